"""Annotate stage: split an article into sentences with character offsets.

A rule-based splitter: it is fast (no model), keeps exact offsets into the article text and
knows the abbreviations news copy uses ("U.S.", "Col.", "Jan."), so quotes stay whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Article

# candidate boundary: sentence punctuation, optional closing quote/bracket, then whitespace
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[A-Z0-9“\"'])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: its text and offsets into Article.text."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(article: Article, abbreviations: frozenset[str]) -> list[Sentence]:
    """Split the article text into sentences, keeping exact character offsets.

    `abbreviations`: words whose full stop ends no sentence (data/lang/en/annotate.json).
    """
    text = article.text
    sentences: list[Sentence] = []
    start, paragraph = 0, 0
    for m in _BOUNDARY.finditer(text):
        cut = m.end()
        head = text[start:m.start() + 1].rstrip()
        if m.group(0).startswith((".",)) and _is_abbreviation(head, abbreviations):
            continue
        if m.group(0)[0] in ".!?" and not _next_starts_sentence(text, cut):
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit() and text[cut:cut + 1].isdigit():
            continue  # "till 6. 00am", "1. 5 million": a number, not a sentence end
        _append(sentences, text, start, m.start() + len(m.group(0).rstrip()), paragraph)
        if "\n" in m.group(0):
            paragraph += 1
        start = cut
    _append(sentences, text, start, len(text), paragraph)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))


def _is_abbreviation(head: str, abbreviations: frozenset[str]) -> bool:
    m = _WORD_BEFORE.search(head)
    if not m:
        return False
    word = m.group(1).lower()
    if word in abbreviations:
        return True
    # single initials ("J." in "J. Smith") and dotted acronyms ("U.S.")
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _next_starts_sentence(text: str, pos: int) -> bool:
    nxt = text[pos:pos + 2]
    if not nxt:
        return True
    ch = nxt[0]
    return ch.isupper() or ch.isdigit() or ch in "\"'“‘([-–—•"
