#!/usr/bin/env python3
"""Evaluation gate: run the shared benchmark sets and fail when a pinned score drops.

Floors live in eval/baseline.json as {set: {metric: floor}}; a dotted metric name reaches into
nested results ("field_accuracy.date"). A metric listed under "ceilings" must not rise above its
value (e.g. events per note). The runs are deterministic and score.py rounds its figures, so a
floor is the measured value itself and is compared exactly: no tolerance lets a score sit below it. Run: .venv/bin/python eval/gate.py [SET ...]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT.parent / "shared" / "eval" / "run.sh"


PLACES = ROOT.parent / "shared" / "data" / "places"
# the place packs a user imports (README, "Village-level places"), in this order: the OCHA
# communities, which have no coordinates, are placed on the UCDP and packaged places
PLACE_PACKS = ("ucdp_ged_places_SY.tsv", "ocha_pplp_SY.tsv")
WITH_PACKS = "+packs"  # "acled-syria-iraq+packs": the set run with the place packs imported


def run_set(name: str) -> tuple[dict, str]:
    """Run one benchmark set; return its metrics and the speed line run.sh prints.

    Every set runs on a private, empty place overlay (a user's ~/.local places must not move
    the scores); a name ending in +packs first imports PLACE_PACKS into that overlay with
    `eventwire gazetteer add`, exactly as the README tells a user to."""
    if name == "link":
        return run_link()
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


def _run_sh(name: str, set_name: str, env: dict) -> tuple[dict, str]:
    proc = subprocess.run(["bash", str(RUN_SH), set_name], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"gate: {name}: run.sh failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    out = proc.stdout.strip().splitlines()
    return json.loads("\n".join(out[:-1])), out[-1]


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


def check(name: str, metrics: dict, pins: dict) -> list[str]:
    failures = []
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
        metrics, speed = run_set(name)
        summary = {k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}
        print(f"{name}: {json.dumps(summary)}")
        if "field_accuracy" in metrics:
            print(f"{name}: field_accuracy {json.dumps(metrics['field_accuracy'])}")
        print(f"{name}: {speed}")
        failures += check(name, metrics, baseline["sets"][name])
    for f in failures:
        print("GATE FAIL:", f)
    print("eval gate: " + ("failed" if failures else f"passed ({len(names)} sets)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
