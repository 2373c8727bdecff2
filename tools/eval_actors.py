#!/usr/bin/env python3
"""Measure the actor finder against the benchmark dev sets (an upper bound for role assignment).

For each document every mention find_actors returns is a candidate; a gold actor counts as
found when any candidate matches it by the scorer's own actor_match (acled, seeds) or by the
FAKES_ACTOR substrings (fakes). The extractor still has to pick actor1/actor2 among the
candidates, so these are ceilings, not end-to-end scores.

  python tools/eval_actors.py [--eval-dir ../shared/eval] [--misses 25]

acled: notes with the row's country; also shown with civilian-like mentions recast by the
row's gold event type (Protests -> protesters, Riots -> rioters), what the extractor can do
once it knows the type. Prints aggregate counts only (no note text).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from eventwire.resources import load_actor_lexicon  # noqa: E402
from eventwire.stages.actors import as_people, civilian_like, find_actors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _score_module(eval_dir: str):
    spec = importlib.util.spec_from_file_location("score", os.path.join(eval_dir, "score.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _recast(mentions, event_type: str, country: str):
    role = {"Protests": "protesters", "Riots": "rioters"}.get(event_type)
    if role is None:
        return mentions
    return mentions + [as_people(m, role, country) for m in mentions if civilian_like(m)]


def eval_acled(path: str, lex, score, n_misses: int) -> dict:
    found = found_recast = total = 0
    missed: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        text, country = r["notes"], r["country"]
        mentions = find_actors(text, 0, len(text), lex, country)
        names = {m.name for m in mentions}
        recast = {m.name for m in _recast(mentions, r["event_type"], country)}
        for gold in (r["actor1"], r["actor2"]):
            if not gold:
                continue
            total += 1
            hit = any(score.actor_match(gold, n) for n in names)
            found += hit
            found_recast += hit or any(score.actor_match(gold, n) for n in recast)
            if not hit:
                missed[gold] += 1
    return {"rows": len(rows), "gold_actors": total, "recall": round(found / total, 4),
            "recall_with_event_type_recast": round(found_recast / total, 4),
            "top_missed_gold_names": missed.most_common(n_misses)}


def eval_fakes(path: str, lex, score) -> dict:
    hits = n = 0
    per: Counter = Counter()
    per_n: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for r in rows:
        cat = r["labels"].get("actor")
        if cat not in score.FAKES_ACTOR:
            continue
        text = r["text"]
        names = " | ".join(m.name for m in find_actors(text, 0, len(text), lex, "Syria")).lower()
        ok = any(k in names for k in score.FAKES_ACTOR[cat])
        n, hits = n + 1, hits + ok
        per_n[cat] += 1
        per[cat] += ok
    return {"articles": n, "perpetrator_among_mentions": round(hits / n, 4),
            "by_category": {c: f"{per[c]}/{per_n[c]}" for c in per_n}}


def eval_seeds(eval_dir: str, lex, score) -> dict:
    gold = json.load(open(os.path.join(eval_dir, "dev", "seeds.gold.json"), encoding="utf-8"))
    texts = {}
    for name in os.listdir(os.path.join(ROOT, "samples")):
        if name.endswith(".txt"):
            with open(os.path.join(ROOT, "samples", name), encoding="utf-8") as f:
                texts[name[:-4]] = f.read()
    hits = total = 0
    for ev in gold["events"]:
        text = texts.get(ev["doc"], "")
        names = {m.name for m in find_actors(text, 0, len(text), lex, "Syria")}
        for role in ("actor1", "actor2"):
            if ev.get(role):
                total += 1
                hits += any(score.actor_match(a, n) for a in ev[role] for n in names)
    return {"gold_roles": total, "recall": round(hits / total, 4) if total else None}


def speed(path: str, lex) -> dict:
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    for t in texts:
        find_actors(t, 0, len(t), lex, "Syria")
    secs = time.perf_counter() - t0
    t1 = time.perf_counter()
    load_actor_lexicon()
    load = time.perf_counter() - t1
    return {"articles": len(texts), "ms_per_2000_chars": round(1000 * secs / chars * 2000, 3),
            "ms_per_article": round(1000 * secs / len(texts), 3), "load_s": round(load, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.path.join(os.path.dirname(ROOT), "shared", "eval"))
    ap.add_argument("--misses", type=int, default=25)
    args = ap.parse_args()
    score = _score_module(args.eval_dir)
    lex = load_actor_lexicon()
    dev = os.path.join(args.eval_dir, "dev")
    out = {"seeds": eval_seeds(args.eval_dir, lex, score),
           "fakes": eval_fakes(os.path.join(dev, "fakes.dev.jsonl"), lex, score),
           "acled": eval_acled(os.path.join(dev, "acled.notes.dev.csv"), lex, score, args.misses),
           "speed": speed(os.path.join(dev, "fakes.dev.jsonl"), lex)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
