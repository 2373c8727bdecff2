"""The eval gate pins each set's validation folds as exactly as the set itself."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
BASELINE = json.loads((ROOT / "eval" / "baseline.json").read_text("utf-8"))


def _gate():
    spec = importlib.util.spec_from_file_location("gate", ROOT / "eval" / "gate.py")
    gate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gate)
    return gate


def test_a_fold_below_its_floor_fails_the_gate_and_one_at_it_passes():
    gate = _gate()
    pins = {"floors": {"admin1": 0.8}, "folds": {"half A": {"floors": {"admin1": 0.84}}}}
    assert gate.check("fakes", {"admin1": 0.83}, pins, {"half A": {"admin1": 0.84}}) == []
    (failure,) = gate.check("fakes", {"admin1": 0.83}, pins, {"half A": {"admin1": 0.8399}})
    assert failure.startswith("fakes[half A].admin1 = 0.8399 fell below")
    (missing,) = gate.check("fakes", {"admin1": 0.83}, pins, None)
    assert "half A" in missing and "not scored" in missing


def test_every_fold_set_pins_each_of_its_folds():
    gate = _gate()
    for name in gate.FOLD_SETS:
        folds = BASELINE["sets"][name].get("folds")
        assert folds and all(f["floors"] for f in folds.values()), f"{name}: no fold floors"
    assert set(BASELINE["sets"]["acled-syria-iraq"]["folds"]) == {"Syria", "Iraq"}
    assert set(BASELINE["sets"]["case"]["folds"]) == set(BASELINE["sets"]["fakes"]["folds"]) == {"half A", "half B"}


def test_the_pinned_folds_are_the_folds_folds_py_makes():
    if not (SHARED_EVAL / "folds.py").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_EVAL} is missing (CI=true)")
        pytest.skip(f"{SHARED_EVAL} not present")
    sys.path.insert(0, str(SHARED_EVAL))
    try:
        import folds
    finally:
        sys.path.remove(str(SHARED_EVAL))
    for name in _gate().FOLD_SETS:
        kind, rel = folds.GOLD[name]
        assert set(folds.split(kind, str(SHARED_EVAL / rel))) == set(BASELINE["sets"][name]["folds"]), name
