"""ACLED rows are evaluation-only: no test string or packaged data file may carry a note's text.

Every string literal in tests/ (and the text of every other file there and under
eventwire/data/) is cut into runs of 8 consecutive words; none may also occur in an ACLED dev
note (../shared/eval/dev/*.csv). Runs are compared as hashes, so the check takes about a second.
"""
from __future__ import annotations

import ast
import csv
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
RUN = 8  # words: a shorter run is a common phrase ("killed in an airstrike in the"), a longer one a copy
_WORD = re.compile(r"\w+")
# binary or coordinate-only assets: no prose to compare
_SKIP_SUFFIXES = {".geojson", ".png", ".jpg", ".pdf", ".gz", ".sqlite"}
# the built gazetteer tables: GeoNames names and codes, one place a row (tools/build_gazetteer.py)
_SKIP_NAMES = {"gazetteer.tsv", "gazetteer_index.tsv"}


def shingles(text: str) -> set[int]:
    """Hashes of every run of RUN consecutive words (lower case) in text."""
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i:i + RUN])) for i in range(len(words) - RUN + 1)}


def _note_shingles() -> dict[int, str]:
    found: dict[int, str] = {}
    for path in sorted(DEV.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                note = row.get("notes") or ""
                for h in shingles(note):
                    found.setdefault(h, f"{path.name} {row.get('event_id_cnty')}")
    return found


def _literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _texts() -> list[tuple[str, str]]:
    """(where, text) of everything a test or the package ships as words."""
    out: list[tuple[str, str]] = []
    for base in (ROOT / "tests", ROOT / "eventwire" / "data"):
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.suffix in _SKIP_SUFFIXES or path.name in _SKIP_NAMES or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(ROOT)
            if path.suffix == ".py":
                out.extend((f"{rel}:{line}", text) for line, text in _literals(path))
            else:
                out.append((str(rel), path.read_text(encoding="utf-8", errors="replace")))
    return out


def test_shingles_find_a_shared_run_of_eight_words():
    note = "Militants attacked a checkpoint near the old bridge at dawn, killing two guards."
    assert shingles(note) & shingles("Reports said militants attacked a checkpoint near the old bridge at dawn.")
    assert not shingles(note) & shingles("Militants attacked a checkpoint near the new bridge at dusk.")


def test_no_test_or_data_text_shares_eight_words_with_an_acled_note():
    if not DEV.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DEV} is missing: the licence check cannot run")
        pytest.skip(f"{DEV} not present")
    notes = _note_shingles()
    assert notes, "no ACLED notes read"
    hits = [f"{where}: shares {RUN} words with {notes[h]}"
            for where, text in _texts() for h in shingles(text) if h in notes]
    assert not hits, "\n".join(sorted(set(hits)))
