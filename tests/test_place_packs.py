"""The place packs a user imports (../shared/data/places: UCDP GED places, OCHA communities),
imported with the real `gazetteer add` path and read by the real places stage. Locally the
test skips when ../shared is absent; under CI=true its absence is a failure."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from eventwire.gazetteer import fold_key
from eventwire.place_overlay import merge_places
from eventwire.resources import load_gazetteer
from eventwire.records import Article
from eventwire.stages.places import resolve_place

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT.parent / "shared" / "data" / "places"


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    if not PLACES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PLACES} is missing (CI=true)")
        pytest.skip(f"{PLACES} is not beside this checkout")
    overlay = tmp_path_factory.mktemp("packs") / "places.tsv"
    stats = [merge_places(overlay, PLACES / name) for name in ("ucdp_ged_places_SY.tsv", "ocha_pplp_SY.tsv")]
    return load_gazetteer(overlay=str(overlay)), stats


def test_place_packs_import_without_errors(packed):
    _, (ucdp, ocha) = packed
    assert not ucdp["errors"] and not ocha["errors"]
    assert ucdp["added"] > 1800 and ocha["added"] > 5000  # rows sharing a UCDP point stay apart


def test_place_packs_a_ucdp_village_is_placed_on_its_own_point(packed):
    gaz, _ = packed
    text = "Coalition jets struck a house in Tayyani, east of the Euphrates, on Sunday."
    place = resolve_place(Article(id="p", text=text), [(0, len(text))], gaz)
    assert place.location == "Tayyani" and place.admin1 == "Deir-ez-Zor" and place.geo_precision == 1


def test_place_packs_an_ocha_name_with_a_fused_first_article_is_found_apart(packed):
    # OCHA's "Alqahera (Ziyara)" (القاهرة, Hama) is al-Qahera; OCHA's "Aleppo" (حلب) is no "al Eppo"
    gaz, _ = packed
    assert any(p.name.startswith("Alqahera") for p in gaz.lookup(fold_key("al-Qahera")))
    assert not gaz.lookup(fold_key("Eppo"))


def test_place_packs_an_ocha_arabic_name_reaches_its_village(packed):
    gaz, _ = packed
    hits = [p for p in gaz.by_name("طير جبة") if p.cc == "SY"]
    assert hits and hits[0].admin1 == "Hama"


def test_gate_fails_under_ci_when_shared_is_missing(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("gate", ROOT / "eval" / "gate.py")
    gate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gate)
    monkeypatch.setattr(gate, "RUN_SH", tmp_path / "missing" / "run.sh")
    monkeypatch.setenv("CI", "true")
    assert gate.main([]) == 1
    monkeypatch.setenv("CI", "false")
    assert gate.main([]) == 0
