"""Line-level boilerplate removal for plain-text page scrapes.

A scrape holds every visible line of a page: menus, share buttons, cookie notices, captions,
"most read" lists and reader comments around the article. This module classifies each line
(sentence-like text, headline, short furniture, known junk, comment-section barrier), finds the
highest-scoring contiguous block of article text (maximum-sum run, never crossing a barrier),
then drops the furniture left inside that block. It adds `Cleaned`: the kept body lines plus
the lines above and below the block, which the metadata finder searches for the title, byline
and date.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?。！？…:;\"”’»)\]]$")
_INNER_SENTENCE = re.compile(r"\w[.!?][\"”’]? [\"“‘]?[A-Z]")

_TRUNCATED = re.compile(r"(\.\.\.|…)$")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Phrase lists and stop words the cleaner needs (resources.load_read_lexicon builds it from
    the language pack data/lang/en/clean.json)."""

    junk: re.Pattern  # page furniture lines
    comments: re.Pattern  # lines that open a reader-comment section
    stamps: re.Pattern  # commenter name + timestamp, lone relative times, vote counts
    sections: re.Pattern  # headers of "related"/"most read" story lists
    credits: re.Pattern  # a photo credit anywhere in a caption line
    caption_tails: re.Pattern  # the expander word a caption line ends with
    stoplists: dict[str, frozenset[str]]  # ISO 639-1 code -> stop words
    numbers: CleanNumbers  # the line scores and thresholds (the pack's 'numbers')


@dataclass(frozen=True, slots=True)
class CleanNumbers:
    """The cleaner's scores and thresholds (data/lang/en/clean.json 'numbers', each with why and
    an example). Sentence-like lines earn their word count in the maximum-sum run, furniture costs."""

    good_chars: int  # a line this long that reads as prose is article text
    fair_chars: int  # ... this long and ending like a sentence, fair text
    min_stop_density: float  # the share of stop words prose has
    headline_min_words: int  # a line of this many words or more (up to headline_max_words) is headline-shaped
    headline_max_words: int
    opener_max_chars: int  # longest line that opens a comment section
    barrier_max_chars: int  # longest commenter stamp line
    section_max_chars: int  # longest "related stories" header
    caption_max_words: int  # longest line a photo credit or expander makes a caption
    caption_tail_min_words: int  # shortest line an expander word makes a caption
    short_cost: float  # the run's score of a short line ...
    headline_cost: float  # ... of a headline-shaped line
    junk_cost: float  # ... of page furniture
    section_cost: float  # ... of a story-list header
    fair_weight: float  # a fair line earns this share of its words
    above_headline_weight: float  # text above the headline earns this share
    min_article_score: float  # a block worth stopping at a comment section
    max_gap_to_comments: int  # lines of share buttons and tags between an article and its comments
    max_kept_furniture_run: int  # a run of short lines inside the body longer than this is a story list
    max_subhead_words: int  # longest short line kept as a subheading
    min_repeat_words: int  # a line printed twice with this many words is a caption, not body
    min_hint_words: int  # a title hint needs this many words to find the headline
    hint_cover: float  # the share of the hint's words the headline holds
    max_headline_words: int  # longest line taken for the headline
    language_sample: int  # words read to tell the page's language
    min_stop_cover: float  # below this share of stop words no listed language fits the page


def lexicon(pack: dict, stoplists: dict[str, frozenset[str]]) -> Lexicon:
    """The lexicon from the pack's entries: each list is one alternation of its patterns (the
    phrase lists match a whole line, credits anywhere in it, caption tails at its end)."""
    def alternation(key: str) -> str:
        return "|".join(f"(?:{e['pattern']})" for e in pack[key])
    credits = "|".join(e["pattern"] for e in pack["credits"])
    tails = "|".join(e["pattern"] for e in pack["caption_tails"])
    return Lexicon(junk=re.compile(alternation("junk"), re.IGNORECASE),
                   comments=re.compile(alternation("comments"), re.IGNORECASE),
                   stamps=re.compile(alternation("stamps"), re.IGNORECASE),
                   sections=re.compile(alternation("sections"), re.IGNORECASE),
                   credits=re.compile(f"({credits})", re.IGNORECASE),
                   caption_tails=re.compile(rf"\b({tails})$", re.IGNORECASE), stoplists=stoplists,
                   numbers=CleanNumbers(**{name: e["value"] for section in pack["numbers"].values()
                                           if isinstance(section, dict) for name, e in section.items()
                                           if isinstance(e, dict)}))


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A scrape split into the article body and the page lines around it."""

    body: list[str]
    title: Optional[str]  # the headline line the page's title hint pointed at, if found
    language: Optional[str]  # ISO code of the best-fitting stop-word list
    before: list[str]  # non-empty lines above the article block, in page order
    after: list[str]  # non-empty lines below it (credits, bylines, comments, footer)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    kind: str  # good | fair | short | headline | junk | section | barrier | opener
    words: int


def clean_text(text: str, lex: Lexicon, title_hint: str = "") -> Cleaned:
    """Keep the main article block of a plain-text scrape and drop the page furniture around it.

    Args:
        text: the scrape, one visible block per line.
        lex: phrase lists and stop words from resources.load_read_lexicon().
        title_hint: the page title or the words of its URL slug, if known; the article
            starts after the headline line that matches it.
    Returns:
        Cleaned with the body lines (empty when nothing article-like was found).
    """
    texts = [t for t in (_normalise(ln) for ln in text.splitlines()) if t]
    if not texts:
        return Cleaned([], None, None, [], [])
    language = detect_language(texts, lex)
    stop = lex.stoplists[language] if language else None
    repeated = _repeated_lines(texts, lex.numbers)
    lines = _mark_teasers([_classify(t, t in repeated, stop, lex) for t in texts])
    anchor = _find_headline(texts, title_hint, lex.numbers)
    span = _article_span(lines, -1 if anchor is None else anchor, lex.numbers)
    title = texts[anchor] if anchor is not None else None
    if span is None:
        return Cleaned([], title, language, texts, [])
    start, end = span
    return Cleaned(_filter_block(lines[start:end + 1], lex.numbers), title, language, texts[:start], texts[end + 1:])


def _find_headline(texts: list[str], hint: str, n: CleanNumbers) -> Optional[int]:
    """Index of the first short line that holds most of the hint's words."""
    want = {w for w in _WORD.findall(hint.lower()) if not w.isdigit()}
    if len(want) < n.min_hint_words:
        return None
    best, best_cover = None, n.hint_cover * len(want)
    for i, t in enumerate(texts):
        words = _WORD.findall(t.lower())
        cover = len(want.intersection(words))
        if len(words) <= n.max_headline_words and cover > best_cover:
            best, best_cover = i, cover
    return best


def _normalise(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").split())


def detect_language(texts: list[str], lex: Lexicon) -> Optional[str]:
    """ISO code of the stop-word list that covers the longer lines best (None if none fits)."""
    n = lex.numbers
    sample = [w for t in texts if len(t) >= n.fair_chars for w in _WORD.findall(t.lower())][:n.language_sample]
    if not sample:
        return None
    counts = Counter(sample)
    best, best_cov = None, 0.0
    for code, words in lex.stoplists.items():
        cov = sum(n for w, n in counts.items() if w in words) / len(sample)
        if cov > best_cov:
            best, best_cov = code, cov
    return best if best_cov >= n.min_stop_cover else None



def _repeated_lines(texts: list[str], n: CleanNumbers) -> set[str]:
    """Lines printed twice or more (captions, repeated titles, gallery text): never body text."""
    counts = Counter(t for t in texts if len(t.split()) >= n.min_repeat_words)
    return {t for t, times in counts.items() if times > 1}


def _classify(text: str, repeated: bool, stop: Optional[frozenset[str]], lex: Lexicon) -> _Line:
    words = _WORD.findall(text)
    n, limits = len(words), lex.numbers
    if len(text) <= limits.opener_max_chars and lex.comments.fullmatch(text):
        return _Line(text, "opener", n)
    if len(text) <= limits.barrier_max_chars and lex.stamps.fullmatch(text):
        return _Line(text, "barrier", n)
    if lex.junk.fullmatch(text):
        return _Line(text, "junk", n)
    if len(text) <= limits.section_max_chars and lex.sections.fullmatch(text):
        return _Line(text, "section", n)
    if repeated or _is_caption(text, n, lex):
        return _Line(text, "junk", n)
    return _Line(text, _shape(text, words, stop, limits), n)


def line_kind(line: str, lex: Lexicon, language: Optional[str] = "en") -> str:
    """What the cleaner takes one page line for, on its own: good | fair | short | headline |
    junk | section | barrier | opener (the language's stop words judge sentence shape)."""
    text = _normalise(line)
    return _classify(text, False, lex.stoplists.get(language or ""), lex).kind


def _is_caption(text: str, n: int, lex: Lexicon) -> bool:
    limits = lex.numbers
    return n <= limits.caption_max_words and (bool(lex.credits.search(text)) or bool(lex.caption_tails.search(text))
                                             and n >= limits.caption_tail_min_words)


def _shape(text: str, words: list[str], stop: Optional[frozenset[str]], n: CleanNumbers) -> str:
    """Sentence-likeness of a line that matched no phrase list."""
    density = (sum(w.lower() in stop for w in words) / len(words)) if stop and words else 1.0
    ends = bool(_SENTENCE_END.search(text)) or bool(_INNER_SENTENCE.search(text))
    if len(text) >= n.good_chars and density >= n.min_stop_density and (ends or len(text) >= 2 * n.good_chars):
        return "good"
    if len(text) >= n.fair_chars and ends and density >= n.min_stop_density:
        return "fair"
    if n.headline_min_words <= len(words) <= n.headline_max_words:
        return "headline"
    return "short"


def _mark_teasers(lines: list[_Line]) -> list[_Line]:
    """Story-list summaries are cut off with an ellipsis; article paragraphs never are."""
    return [_Line(ln.text, "junk", ln.words) if ln.kind in ("good", "fair") and _TRUNCATED.search(ln.text)
            else ln for ln in lines]


def _line_score(line: _Line, n: CleanNumbers) -> float:
    if line.kind == "good":
        return float(line.words)
    if line.kind == "fair":
        return n.fair_weight * line.words
    return getattr(n, line.kind + "_cost")  # short, headline, junk or section


def _article_span(lines: list[_Line], first: int, n: CleanNumbers) -> Optional[tuple[int, int]]:
    """The best run ending shortly before the first comment-section opener that follows a
    real article block; the best run on the whole page when no opener qualifies."""
    for i, line in enumerate(lines):
        if line.kind != "opener" or i <= first:
            continue
        best, span = _best_run(lines[:i], first, n)
        if span is not None and best >= n.min_article_score and i - span[1] <= n.max_gap_to_comments:
            return span
    return _best_run(lines, first, n)[1]


def _best_run(lines: list[_Line], first: int, n: CleanNumbers) -> tuple[float, Optional[tuple[int, int]]]:
    """Maximum-sum run of line scores that crosses no barrier (Kadane's algorithm); an
    article never precedes its headline (line `first`), so text above it counts for little."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if line.kind in ("barrier", "opener") or i == first:
            total, start = 0.0, i + 1
            continue
        score = _line_score(line, n)
        if i < first and score > 0:
            score *= n.above_headline_weight
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_span = total, (start, i)
    return best, best_span


def _filter_block(block: list[_Line], n: CleanNumbers) -> list[str]:
    """Drop junk inside the article block, and runs of headline-like lines (story lists);
    keep a lone short line between paragraphs, which is a subheading."""
    kept: list[str] = []
    run: list[_Line] = []
    for line in block + [_Line("", "good", 0)]:
        if line.kind in ("good", "fair"):
            if len(run) <= n.max_kept_furniture_run and not any(r.kind == "section" for r in run):
                kept.extend(r.text for r in run if r.kind in ("short", "headline")
                            and r.words <= n.max_subhead_words)
            run = []
            if line.text:
                kept.append(line.text)
        else:
            run.append(line)
    return kept
