#!/usr/bin/env python3
"""How well `confidence` is calibrated: reliability by confidence bin on the CASE snippets.

An event counts as correct when its sub-event type is the snippet's gold type (for CASE's
non-ACLED snippets, any event is wrong). Measures only: nothing is fitted to these rows.
Usage: .venv/bin/python tools/eval_confidence.py EVENTS.jsonl [GOLD.tsv]
(EVENTS.jsonl from `eventwire extract` over `score.py inputs case ...`).
"""
from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "case2021.dev.tsv"
sys.path.insert(0, str(GOLD.parent.parent))
import score  # noqa: E402  (the shared scorer's label map)


def main(events_path: str, gold_path: str = str(GOLD)) -> None:
    gold = {r["id"]: score.CASE_LABELS.get(r["SubType"]) for r in csv.DictReader(open(gold_path, encoding="utf-8"), delimiter="\t")}
    bins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    total, ece_sum = 0, 0.0
    for line in open(events_path, encoding="utf-8"):
        e = json.loads(line)
        if e["doc_id"] not in gold:
            continue
        ok = int(e["sub_event_type"] == gold[e["doc_id"]])
        b = min(int(e["confidence"] * 10), 9)
        bins[b][0] += 1
        bins[b][1] += ok
        total += 1
    print("confidence bin   events  share correct")
    for b in sorted(bins):
        n, ok = bins[b]
        mid = (b + 0.5) / 10
        ece_sum += n * abs(ok / n - mid)
        print(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}      {n:6d}  {ok / n:.3f}")
    print(f"expected calibration error: {ece_sum / total:.3f} over {total} events")


if __name__ == "__main__":
    main(*sys.argv[1:])
