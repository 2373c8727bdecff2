"""Build eval/link_clusters.jsonl: same-incident clusters of FA-KES articles, read and verified.

Source: FA-KES (Abu Salem et al., ICWSM 2019, Zenodo record 2607278, CC BY 4.0), the dev
half shipped with the project's evaluation sets. Each cluster below was chosen by reading
the articles: same day, same place and same weapon/attack, reported by different outlets
(or by one outlet in separate articles). Hard negatives are articles from the same day and
governorate about a different incident; each is its own cluster. For every article a
phrase that identifies the incident is checked against the text and kept with a short
quote (CC BY 4.0: ids and short quotes only, with attribution).

Usage: python tools/build_link_benchmark.py /path/to/fakes.dev.jsonl
Writes eval/link_clusters.jsonl; the articles themselves are read from the FA-KES file at
evaluation time by tools/eval_link.py.
"""
from __future__ import annotations

import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parents[1] / "eval" / "link_clusters.jsonl"

# cluster -> (incident, [(article id, phrase that pins the incident in the text)])
CLUSTERS = {
    "C01": ("2013-08-21 nerve gas attack on Eastern Ghouta, Damascus suburbs", [
        ("fakes-1926479389", "gassing hundreds of people on Wednesday"),
        ("fakes-1926479334", "nerve gas attack on Syrias Ghouta region"),
        ("fakes-1926479310", "nerve gas attack on Syrias Ghouta region"),
        ("fakes-1926479215", "killed 1300 people using chemical weapons")]),
    "C02": ("Aug 2014 IS executions of al-Sheitaat tribe members, Deir ez-Zor", [
        ("fakes-1926479264", "executed 700 members of a tribe"),
        ("fakes-1962495639", "executed 700 members of a tribe")]),
    "C03": ("2015-02-01 bomb on a bus of Lebanese pilgrims, al-Kallaseh, Damascus", [
        ("fakes-1914947539", "explosion inside a bus killed six people"),
        ("fakes-1965511156", "targeted on Sunday a bus at a parking lot")]),
    "C04": ("2015-02-05 Jaysh al-Islam rocket fire on central Damascus", [
        ("fakes-1965495334", "Rockets and shells fired by the Jaysh al-Islam"),
        ("fakes-1965511153", "fired rocket shells on Thursday")]),
    "C05": ("2015-07-15 barrel bombs on Taduf and air strikes on Daret Izza, Aleppo", [
        ("fakes-1923848187", "dropped a barrel bomb on the village of Taduf"),
        ("fakes-1924058050", "dropped a barrel bomb on the village of Taduf")]),
    "C06": ("2015-07-22 barrel bombs on Qasr al-Breij, rural Aleppo", [
        ("fakes-1923848183", "barrel bombs this morning on the village of Qasr el-Breij"),
        ("fakes-1926478915", "village of al-Bureij northeast of Aleppo"),
        ("fakes-1926479096", "village of al-Bureij northeast of Aleppo")]),
    "C07": ("2016-07-02 government strikes on Jayrud, Rif Dimashq", [
        ("fakes-1918150039", "Jayrud town"),
        ("fakes-1918398795", "struck the town of Jayrud")]),
    "C08": ("2016-07-27 IS truck bomb in Qamishli, Al-Hasakeh", [
        ("fakes-1923848164", "city of Qamishli"),
        ("fakes-1923848165", "town of Qamishli"),
        ("fakes-1965511170", "al-Qameshli city in Hasaka province")]),
    "C09": ("2016-08-06 air strikes on the hospital in Milis, Idleb", [
        ("fakes-1923848154", "targeted the town of Milis"),
        ("fakes-1924058117", "The hospital in the town of Meles")]),
    "C10": ("2016-08-10 chlorine barrel on a neighbourhood of Aleppo city", [
        ("fakes-1919191753", "believed to be chlorine was dropped alongside barrel bombs"),
        ("fakes-1923102847", "gas barrel was dr")]),
    "C11": ("2016-10-03 suicide bombing of a wedding in Tall Tawil, Al-Hasakeh", [
        ("fakes-1923848289", "village of Tall Tawil"),
        ("fakes-1924058103", "Tall Tawil village during the wedding")]),
    "C12": ("2016-10-17 air strikes on east Aleppo, 12 civilians killed", [
        ("fakes-1923102898", "At least 12 civilians were killed by airstrikes"),
        ("fakes-1923848286", "Air strikes killed at least 12 civilians")]),
    "C13": ("2016-10-18/19 coalition (Belgian F-16) strike on a village, Aleppo province", [
        ("fakes-1923102896", "killing six civilians in airstrikes"),
        ("fakes-1962495706", "two Belgian F-16 combat jets")]),
    "C14": ("2016-10-26 air strikes on the school complex in Hass, Idleb", [
        ("fakes-1923102891", "six strikes in the village of Hass"),
        ("fakes-1924058188", "Air strikes that hit a school")]),
    "C15": ("2017-04-04 sarin attack on Khan Sheikhoun, Idleb", [
        ("fakes-1918150030", "suspected chemical attack"),
        ("fakes-1919191759", "rebel-held town of Khan Shaykhun"),
        ("fakes-1923102872", "rebel-held Syrian town of Khan Sheikhun"),
        ("fakes-1923848146", "province of Idlib on Tuesday"),
        ("fakes-1926479178", "town of Khan Sheikhoun"),
        ("fakes-1926479363", "killed at least 58 people"),
        ("fakes-1923848144", "death toll from a suspected chemical weapons attack"),
        ("fakes-1924058138", "attacked settlements in the Syrian province of Idlib")]),
    "C16": ("2017-04-08 air strike on Urum al-Joz, Idleb", [
        ("fakes-1923102878", "Urom al-Joz"),
        ("fakes-1923848140", "Urum al-Joz")]),
    "C17": ("2017-04-15 suicide car bomb on the Foua/Kafraya evacuee convoy, Rashidin, Aleppo", [
        ("fakes-1919191772", "suicide car bomb has hit a convoy of buses"),
        ("fakes-1923848128", "bomb blast hit a bus convoy"),
        ("fakes-1923848129", "suicide car bomb attack on buses"),
        ("fakes-1965495376", "suicide blast targeting a bus convoy"),
        ("fakes-1914947533", "bomb blast on a crowded Syrian bus convoy outside Aleppo"),
        ("fakes-1923848126", "suicide car bombing tore through buses")]),
    "C18": ("2017-04-19 bomb blast in Salah al-Din district, Aleppo city", [
        ("fakes-1914947534", "Salah al-Din district of Aleppo"),
        ("fakes-1919191770", "bomb blast"),
        ("fakes-1926478982", "Salaheddin district")]),
    "C19": ("2017-05-18 IS attack on Aqareb al-Safi and a neighbouring village, Hama", [
        ("fakes-1926478963", "attack on two villages"),
        ("fakes-1965495360", "Aqareb es Safi village")]),
    "C20": ("2013-08-24 rocket on Burj al-Rouss, Damascus (two NNA articles)", [
        ("fakes-1914947540", "Burj Rouss"),
        ("fakes-1924058073", "Burj Rouss")]),
}

# Same day and governorate as another benchmark article, different incident.
HARD_NEGATIVES = {
    "N01": ("2015-02-05 government air strikes on Eastern Ghouta (vs C04 rockets on Damascus)",
            "fakes-1923848195", "nearly 40 air raids on parts of Eastern Ghouta"),
    "N02": ("2016-10-06 IS suicide bombing at the Atmeh crossing",
            "fakes-1924058102", "Atmeh crossing"),
    "N03": ("2016-10-06 rebel rocket fire on Aleppo city neighbourhoods (vs N02)",
            "fakes-1926478942", "fired tens of shells on the residential neighborhoods"),
    "N04": ("2016-10-13 overnight air strikes on east Aleppo",
            "fakes-1923102902", "More than a dozen airstrikes had been carried out overnight"),
    "N05": ("2016-10-13 car bomb near the Bab al-Salama crossing (vs N04, N06)",
            "fakes-1924058099", "Bab al Salama crossing"),
    "N06": ("2016-10-13 rocket on al-Sulaimaniyeh, Aleppo city (vs N04, N05)",
            "fakes-1926478964", "rocket shell on al-Sulaimaniyeh area"),
    "N07": ("2016-08-13 government air raids and shelling on rebel-held Aleppo",
            "fakes-1923102851", "killed in air raids and shelling attacks on Saturday"),
    "N08": ("2016-08-14 rebel rocket shells on Aleppo neighbourhoods (vs N07)",
            "fakes-1926478929", "terrorist attacks with rocket shells"),
    "N09": ("2016-07-28 coalition strikes on Ghandoura, Aleppo province",
            "fakes-1919191741", "town of Ghandoura"),
    "N10": ("2016-07-29 air strikes on Atareb (vs N09, N11)",
            "fakes-1923848160", "rebel-held town of Atareb"),
    "N11": ("2016-07-29 IS executions after seizing a village (vs N09, N10)",
            "fakes-1965511169", "executed at least 24 civilians"),
    "N12": ("2016-08-01 Russian air strikes on Abu al-Duhur, Idleb",
            "fakes-1924058123", "town of Abu al-Duhur"),
    "N13": ("2016-08-01 toxic gas dropped on Saraqeb (vs N12, N14)",
            "fakes-1926479326", "in Saraqeb in rebel-held Idlib province"),
    "N14": ("2016-08-01 Russian helicopter shot down, Idleb (vs N12, N13)",
            "fakes-1965511226", "Russian military helicopter that was shot down"),
}


def _quote(text: str, phrase: str) -> str:
    at = text.find(phrase)
    if at < 0:
        raise SystemExit(f"phrase not found, re-read the article: {phrase!r}")
    start = max(0, at - 60)
    return ("..." if start else "") + text[start:at + len(phrase) + 60].strip() + "..."


def main(fakes_path: str) -> None:
    articles = {}
    for line in open(fakes_path, encoding="utf-8"):
        row = json.loads(line)
        articles[row["id"]] = row
    lines = []
    entries = [(cid, "incident", inc, docs) for cid, (inc, docs) in CLUSTERS.items()]
    entries += [(cid, "hard-negative", inc, [(doc, phrase)])
                for cid, (inc, doc, phrase) in HARD_NEGATIVES.items()]
    for cid, kind, incident, docs in entries:
        members = [{"id": d, "outlet": articles[d]["source"], "date": articles[d]["date"],
                    "quote": _quote(articles[d]["text"], phrase)} for d, phrase in docs]
        lines.append(json.dumps({"cluster": cid, "kind": kind, "incident": incident,
                                 "articles": members}, ensure_ascii=False))
    header = {"source": "FA-KES dev half (Abu Salem et al. 2019), Zenodo 2607278",
              "licence": "CC BY 4.0", "note": "clusters verified by reading the articles"}
    OUT.write_text(json.dumps(header) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    n = sum(len(d) for *_, d in entries)
    print(f"wrote {len(entries)} clusters ({n} articles) to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
