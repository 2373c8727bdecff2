"""Every packaged data file is declared in MANIFEST.json with its current hash, and every built
asset names its build script and is fresh: the files it was built from still hash as they did
when it was built (tools/build_manifest.py --rebuilt ASSET records them)."""
import hashlib
import importlib.metadata
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eventwire" / "data"
MANIFEST = json.loads((DATA / "MANIFEST.json").read_text("utf-8"))
BUILT = sorted(rel for rel, entry in MANIFEST.items() if entry["built_by"])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_lists_every_data_file_with_its_hash():
    files = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
             if p.is_file() and p.name not in ("MANIFEST.json", "__init__.py") and p.suffix != ".md"}
    assert files == set(MANIFEST), "run tools/build_manifest.py"
    for rel, entry in MANIFEST.items():
        assert _sha256(DATA / rel) == entry["sha256"], f"{rel} changed: run tools/build_manifest.py"
        assert entry["source"] and entry["licence"]


def test_the_built_assets_are_the_ones_with_build_scripts():
    # gazetteer tables, the actor dictionary, word list, region table, event gates, link model, boundaries, roads
    assert {"gazetteer.tsv", "gazetteer_index.tsv", "admin1.tsv", "countries.tsv", "actors.jsonl", "event_gates.json",
            "link_model.json", "common_words.txt", "acled_regions.tsv", "boundaries/admin1.geojson", "roads.geojson",
            "boundaries/countries.geojson"} <= set(BUILT)


@pytest.mark.parametrize("rel", BUILT)
def test_built_asset_is_fresh_against_its_sources(rel):
    entry = MANIFEST[rel]
    script = ROOT / entry["built_by"]
    assert script.is_file(), f"{rel}: its build script {entry['built_by']} is missing"
    sources = entry["sources"]
    assert entry["built_by"] in sources, f"{rel}: the build script is one of its sources"
    stale = sorted(f for f, digest in sources.items() if not (ROOT / f).is_file() or _sha256(ROOT / f) != digest)
    assert not stale, (f"{rel} is older than {', '.join(stale)}: rebuild it with {entry['built_by']}, then run "
                       f"tools/build_manifest.py --rebuilt {rel}")


@pytest.mark.parametrize("rel", [r for r in BUILT if MANIFEST[r]["packages"]])
def test_built_asset_packages_are_pinned(rel):
    """A registry package an asset is built from is named with its version; where it is
    installed (the `build` extra), the installed version is the one the asset was built from."""
    for name, version in MANIFEST[rel]["packages"].items():
        assert version, f"{rel}: {name} has no version"
        if version[0].isdigit() and "(npm)" not in name:
            try:
                installed = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                continue  # only the build scripts need the package
            assert installed == version, f"{rel} was built from {name} {version}; {installed} is installed: rebuild it"


def test_event_gates_record_the_lexicon_they_were_derived_from():
    gates = json.loads((DATA / "event_gates.json").read_text("utf-8"))
    assert gates["source_sha256"] == _sha256(DATA / "event_types.json"), "run tools/build_event_gates.py"
