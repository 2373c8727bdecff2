#!/usr/bin/env python3
"""Evaluation gate: run the shared benchmark sets and fail when a pinned score drops.

Floors live in eval/baseline.json as {set: {metric: floor}}; a dotted metric name reaches into
nested results ("field_accuracy.date"). A metric listed under "ceilings" must not rise above its
value (e.g. events per note). Run: .venv/bin/python eval/gate.py [SET ...]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT.parent / "shared" / "eval" / "run.sh"
TOLERANCE = 0.005  # scores are deterministic; this only absorbs float rounding


def run_set(name: str) -> tuple[dict, str]:
    """Run one benchmark set; return its metrics and the speed line run.sh prints."""
    if name == "link":
        return run_link()
    env = dict(os.environ, EVENTWIRE=str(ROOT / ".venv" / "bin" / "eventwire"))
    proc = subprocess.run(["bash", str(RUN_SH), name], capture_output=True, text=True, env=env, cwd=ROOT)
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
        if value is None or value < floor - TOLERANCE:
            failures.append(f"{name}.{metric} = {value} fell below its floor {floor}")
    for metric, ceiling in pins.get("ceilings", {}).items():
        value = lookup(metrics, metric)
        if value is None or value > ceiling + TOLERANCE:
            failures.append(f"{name}.{metric} = {value} rose above its ceiling {ceiling}")
    return failures


def main(argv: list[str]) -> int:
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
