#!/usr/bin/env python3
"""Measure the event-type classifier on the CASE 2021 snippets and the ACLED notes (dev halves).

Runs eventwire.stages.classify.classify_incident directly on each snippet / note text (no
article pipeline) and prints:
  CASE: weighted and macro F1 over the 25 ACLED sub-types, computed by /work/shared/eval/score.py
        (score_case, on a temporary prediction file), and the share of non-ACLED snippets left
        without an event;
  ACLED notes: top-1 event_type and sub_event_type accuracy and no-event rate;
  a confusion listing (gold -> predicted counts) for each set, and timing.
Evaluation only: nothing here feeds the lexicon. Usage:
  .venv/bin/python tools/eval_classify.py [--case TSV] [--acled CSV] [--score PY] [--confusion N]
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from eventwire.resources import load_event_lexicon
from eventwire.stages.classify import classify_incident

EVAL = Path("/work/shared/eval")


def load_score(path: Path):
    """Import score.py by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("eventwire_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_case(path: Path, score, lexicon, top: int) -> None:
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
    confusion: Counter = Counter()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for r in rows:
            res = classify_incident(r["EventSnippet"], lexicon)
            gold = score.CASE_LABELS.get(r["SubType"], "(none:" + r["SubType"] + ")")
            confusion[(gold, res[0].sub_event_type if res else "(none)")] += 1
            if res:
                rec = {"doc_id": r["id"], "event_type": res[0].event_type,
                       "sub_event_type": res[0].sub_event_type, "confidence": res[0].score}
                out.write(json.dumps(rec) + "\n")
    print(json.dumps(score.score_case(str(path), out.name)))
    Path(out.name).unlink()
    print_confusion("CASE", confusion, top)


def run_acled(path: Path, lexicon, top: int) -> None:
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    c: Counter = Counter()
    confusion: Counter = Counter()
    for r in rows:
        res = classify_incident(r["notes"], lexicon)
        guess = res[0] if res else None
        c["rows"] += 1
        c["none"] += guess is None
        c["event_type"] += bool(guess) and guess.event_type == r["event_type"]
        c["sub_event_type"] += bool(guess) and guess.sub_event_type == r["sub_event_type"]
        c["sub_any"] += any(t.sub_event_type == r["sub_event_type"] for t in res)
        confusion[(r["sub_event_type"], guess.sub_event_type if guess else "(none)")] += 1
    n = c["rows"]
    print(json.dumps({"set": "acled-notes", "rows": n, "event_type": round(c["event_type"] / n, 4),
                      "sub_event_type": round(c["sub_event_type"] / n, 4),
                      "sub_event_type_any_candidate": round(c["sub_any"] / n, 4),
                      "no_event": round(c["none"] / n, 4)}))
    print_confusion("ACLED", confusion, top)


def print_confusion(name: str, confusion: Counter, top: int) -> None:
    """Most frequent errors first, then per-gold recall."""
    print(f"--- {name}: top {top} confusions (gold -> predicted)")
    errors = [(k, v) for k, v in confusion.items() if k[0] != k[1]]
    for (gold, pred), n in sorted(errors, key=lambda kv: -kv[1])[:top]:
        print(f"{n:5d}  {gold} -> {pred}")
    golds = Counter()
    right = Counter()
    for (gold, pred), n in confusion.items():
        golds[gold] += n
        right[gold] += n * (gold == pred)
    print(f"--- {name}: recall per gold type")
    for gold, n in golds.most_common():
        print(f"{right[gold] / n:6.2f}  {n:5d}  {gold}")


def time_it(lexicon) -> None:
    text = ("Members of ISIS shot dead a young man in the town of al-Busira on Monday. "
            "Separately, a car bomb exploded at a roundabout in Qamishli, wounding several people. "
            "Police dispersed protesters with tear gas outside the governor's office.")
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        classify_incident(text, lexicon)
    per = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    load_event_lexicon()
    load = time.perf_counter() - t0
    print(json.dumps({"classify_3_sentences_ms": round(per * 1000, 3), "load_ms": round(load * 1000, 1)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", type=Path, default=EVAL / "dev/case2021.dev.tsv")
    ap.add_argument("--acled", type=Path, default=EVAL / "dev/acled.notes.dev.csv")
    ap.add_argument("--score", type=Path, default=EVAL / "score.py")
    ap.add_argument("--confusion", type=int, default=25)
    args = ap.parse_args()
    lexicon = load_event_lexicon()
    run_case(args.case, load_score(args.score), lexicon, args.confusion)
    run_acled(args.acled, lexicon, args.confusion)
    time_it(lexicon)


if __name__ == "__main__":
    main()
