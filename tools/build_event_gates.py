#!/usr/bin/env python3
"""Build eventwire/data/event_gates.json: the word-start prefixes of every event-lexicon pattern.

Derived from eventwire/data/event_types.json (the hand-maintained lexicon) by parsing each
pattern once with the stdlib regex parser, so that load_event_lexicon() need not parse or
compile any regex at load time. Patterns missing from the cache (the lexicon was edited and
this script not rerun) are still derived at load, only more slowly. Also checks that every
pattern compiles. Usage: .venv/bin/python tools/build_event_gates.py
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from eventwire.resources import GATE_CACHE, load_event_lexicon
from eventwire.stages.event_lexicon import pattern_gate

DATA = Path(__file__).resolve().parents[1] / "eventwire" / "data"
_BODY = re.compile(r"^\(\?<!\\w\)\(\?:(.*)\)\(\?!\\w\)$", re.S)


def main() -> None:
    lexicon = load_event_lexicon()
    gates: dict[str, list[str] | None] = {}
    for g in lexicon.patterns:
        g.regex  # compile now: a bad pattern fails the build, not a later run
        body = _BODY.match(g.source).group(1)
        gates[body] = pattern_gate(body)
    source = (DATA / "event_types.json").read_bytes()
    out = {"about": "DERIVED, do not edit: built by tools/build_event_gates.py from event_types.json "
                    "(word-start prefixes of each expanded pattern, null = none usable).",
           "source_sha256": hashlib.sha256(source).hexdigest(), "gates": gates}
    (DATA / GATE_CACHE).write_text(json.dumps(out, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    print(f"{GATE_CACHE}: {len(gates)} patterns, {sum(v is None for v in gates.values())} without prefixes")


if __name__ == "__main__":
    main()
