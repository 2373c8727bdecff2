#!/usr/bin/env python3
"""Build eventwire/data/common_words.txt: frequent English words that are not proper nouns.

A capitalised word of this list in news copy starts a sentence or a title ("Around 30
April", "Civil Hospital"); it is read as a spelling of a place only when a gazetteer name
is written exactly so. The gazetteer builder drops alternate names found here, and the
toponym finder gives such words no consonant-skeleton guess ("Around" is no Arandu).

Sources (registry packages, nothing downloaded):
  * wordfreq 3.1.1 (Apache-2.0 code; word frequencies CC BY-SA 4.0, so this derived list is
    CC BY-SA 4.0): English words of Zipf frequency >= COMMON_ZIPF.
  * english-words 2.0.2 (MIT; its web2 list is Webster's Second International, public
    domain): only words web2 lists in lower case and never capitalised ("Nice", "Manila"
    and "Canton" are proper nouns too, so they stay names).

Usage: python tools/build_common_words.py [--out eventwire/data]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import wordfreq
from english_words import get_english_words_set

COMMON_ZIPF = 3.5  # a word this frequent in English (Zipf scale) is read as a word first
OUT_NAME = "common_words.txt"


def common_words() -> frozenset[str]:
    """Frequent English words (wordfreq Zipf >= COMMON_ZIPF) that Webster's list has only in
    lower case."""
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    proper = {w.lower() for w in web2 if not w.islower()}
    floor = 10 ** (COMMON_ZIPF - 9)  # Zipf = log10 of frequency per billion words
    return frozenset(w for w, f in wordfreq.get_frequency_dict("en").items()
                     if f >= floor and w in web2 and w not in proper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "eventwire" / "data"))
    out = Path(ap.parse_args().out) / OUT_NAME
    words = sorted(common_words())
    header = ("# Frequent English words that are not proper nouns (wordfreq 3.1.1 Zipf >= "
              f"{COMMON_ZIPF}, CC BY-SA 4.0; Webster's web2 via english-words 2.0.2, public domain).\n"
              "# Built by tools/build_common_words.py; one word per line.\n")
    out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words")


if __name__ == "__main__":
    main()
