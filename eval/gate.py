#!/usr/bin/env python3
"""Evaluation gate: run the shared benchmark sets and fail when a pinned score drops.

Floors live in eval/baseline.json as {set: {metric: floor}}; a dotted metric name reaches into
nested results ("field_accuracy.date"). A metric listed under "ceilings" must not rise above its
value (e.g. events per note). The runs are deterministic and score.py rounds its figures, so a
floor is the measured value itself and is compared exactly: no tolerance lets a score sit below it.

The validation folds are pinned too: a set's "folds" hold floors per fold of
../shared/eval/folds.py (acled: its countries; acled-syria-iraq: Syria and Iraq; case and fakes:
halves A and B), scored from the same events file the set's run wrote, so they cost no second
extraction. A change that lifts one fold by sinking another fails here.
Run: .venv/bin/python eval/gate.py [SET ...]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT.parent / "shared" / "eval" / "run.sh"
FOLDS_PY = RUN_SH.parent / "folds.py"


PLACES = ROOT.parent / "shared" / "data" / "places"
# the place packs a user imports (README, "Village-level places"), in this order: the OCHA
# communities, which have no coordinates, are placed on the UCDP and packaged places
PLACE_PACKS = ("ucdp_ged_places_SY.tsv", "ocha_pplp_SY.tsv")
WITH_PACKS = "+packs"  # "acled-syria-iraq+packs": the set run with the place packs imported


def run_set(name: str) -> tuple[dict, str, Optional[dict]]:
    """Run one benchmark set; return its metrics, the speed line run.sh prints and, for a set
    with validation folds, each fold's metrics.

    Every set runs on a private, empty place overlay (a user's ~/.local places must not move
    the scores); a name ending in +packs first imports PLACE_PACKS into that overlay with
    `eventwire gazetteer add`, exactly as the README tells a user to."""
    if name == "link":
        return (*run_link(), None)
    eventwire = str(ROOT / ".venv" / "bin" / "eventwire")
    with tempfile.TemporaryDirectory(prefix="gate-places-") as tmp:
        overlay = str(Path(tmp) / "places.tsv")
        env = dict(os.environ, EVENTWIRE=eventwire, EVENTWIRE_GAZETTEER=overlay)
        set_name = name
        if name.endswith(WITH_PACKS):
            set_name = name[:-len(WITH_PACKS)]
            for pack in PLACE_PACKS:
                proc = subprocess.run([eventwire, "gazetteer", "add", str(PLACES / pack), "--to", overlay],
                                      capture_output=True, text=True, env=env, cwd=ROOT)
                if proc.returncode != 0:
                    raise SystemExit(f"gate: {name}: importing {pack} failed:\n{proc.stderr[-2000:]}")
        return _run_sh(name, set_name, env)


def _run_sh(name: str, set_name: str, env: dict) -> tuple[dict, str, Optional[dict]]:
    with tempfile.TemporaryDirectory(prefix="gate-run-") as work:
        proc = subprocess.run(["bash", str(RUN_SH), set_name], capture_output=True, text=True,
                              env=dict(env, WORK=work), cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"gate: {name}: run.sh failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        out = proc.stdout.strip().splitlines()
        folds = score_folds(name, set_name, Path(work) / "events.jsonl") if set_name in FOLD_SETS else None
    return json.loads("\n".join(out[:-1])), out[-1], folds


FOLD_SETS = ("acled", "acled-syria-iraq", "case", "fakes")  # the sets folds.py splits


def score_folds(name: str, set_name: str, events: Path) -> dict:
    """Each fold's metrics for the events a set's run wrote (folds.py --events: scoring only)."""
    proc = subprocess.run([sys.executable, str(FOLDS_PY), set_name, "--events", str(events), "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"gate: {name}: folds.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def run_link() -> tuple[dict, str]:
    """Cross-report linking on the FA-KES same-incident clusters (tools/eval_link.py)."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "eval_link.py")], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"gate: link: eval_link.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    metrics = json.loads(proc.stdout)
    return metrics, f"{metrics['reports']} reports ingested in {metrics['ingest_seconds']} s"


def lookup(metrics: dict, dotted: str):
    value = metrics
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def check(name: str, metrics: dict, pins: dict, folds: Optional[dict] = None) -> list[str]:
    failures = []
    for fold, fold_pins in pins.get("folds", {}).items():
        if folds is None or fold not in folds:
            failures.append(f"{name}[{fold}]: the fold was not scored")
        else:
            failures += check(f"{name}[{fold}]", folds[fold], fold_pins)
    for metric, floor in pins.get("floors", {}).items():
        value = lookup(metrics, metric)
        if value is None or value < floor:
            failures.append(f"{name}.{metric} = {value} fell below its floor {floor}")
    for metric, ceiling in pins.get("ceilings", {}).items():
        value = lookup(metrics, metric)
        if value is None or value > ceiling:
            failures.append(f"{name}.{metric} = {value} rose above its ceiling {ceiling}")
    return failures


def main(argv: list[str]) -> int:
    if not RUN_SH.exists() or not PLACES.is_dir():
        # locally the gate needs ../shared beside the checkout; under CI its absence is a failure
        if os.environ.get("CI") == "true":
            print(f"eval gate: FAILED: {RUN_SH.parent} or {PLACES} is missing (CI=true)")
            return 1
        print(f"eval gate skipped: {RUN_SH.parent} is not beside this checkout")
        return 0
    baseline = json.loads((ROOT / "eval" / "baseline.json").read_text("utf-8"))
    names = argv or list(baseline["sets"])
    failures = []
    for name in names:
        metrics, speed, folds = run_set(name)
        summary = {k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}
        print(f"{name}: {json.dumps(summary)}")
        if "field_accuracy" in metrics:
            print(f"{name}: field_accuracy {json.dumps(metrics['field_accuracy'])}")
        for fold, pins in baseline["sets"][name].get("folds", {}).items():
            fold_metrics = (folds or {}).get(fold, {})
            print(f"{name}[{fold}]: {json.dumps({m: lookup(fold_metrics, m) for m in pins.get('floors', {})})}")
        print(f"{name}: {speed}")
        failures += check(name, metrics, baseline["sets"][name], folds)
    for f in failures:
        print("GATE FAIL:", f)
    print("eval gate: " + ("failed" if failures else f"passed ({len(names)} sets)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
