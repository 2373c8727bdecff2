"""Decode a document's bytes the way a browser would, and say which encoding it was.

Order, as the WHATWG Encoding Standard has it: a byte-order mark; else strict UTF-8 (valid
UTF-8 with any non-ASCII byte is almost never another encoding); else the charset the page
declares in its first 1,024 bytes, when the bytes decode in it; else the web encoding that
charset-normalizer finds likeliest. Its raw ranking misreads short texts ("São" as Big5
"S緌", Latin-1 German as HP Roman-8), so candidates are limited to the web encodings in
data/charsets.json and ranked first by how many words the decoding garbles (a word mixing
scripts, "Kцln", or holding a symbol among its letters, "£odzi", is mojibake), then by whether
the encoding was made for the language the decoded text reads as (Portuguese is never
windows-1257), then by charset-normalizer's chaos and coherence, then by the list's order.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE)
_PRESCAN_BYTES = 1024  # WHATWG: a page's charset declaration sits in its first 1,024 bytes
_SAMPLE_BYTES = 65536  # candidates are ranked on the head of the document
# East Asian scripts share words: a Japanese word mixes kanji and kana legitimately.
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "FULLWIDTH", "HALFWIDTH", "IDEOGRAPHIC"})


@dataclass(frozen=True, slots=True)
class Charsets:
    """The web encodings to choose among, likeliest first, and label aliases (data/charsets.json)."""

    codecs: tuple[str, ...]
    aliases: dict[str, str]
    languages: dict[str, frozenset[str]]  # codec -> the languages it was made for


@dataclass(frozen=True, slots=True)
class Decoded:
    """A document's text and the encoding it was read in (a Python codec name)."""

    text: str
    encoding: str


def charsets_from_json(raw: dict) -> Charsets:
    """Charsets from the parsed data/charsets.json (resources.load_charsets reads the file)."""
    return Charsets(codecs=tuple(e["codec"] for e in raw["charsets"]), aliases=dict(raw["aliases"]),
                    languages={e["codec"]: frozenset(e["languages"]) for e in raw["charsets"]})


def decode_document(data: bytes, charsets: Charsets, markup: bool = False) -> Optional[Decoded]:
    """Decode bytes as BOM, UTF-8, the page's declared charset (markup only) or the likeliest
    web encoding; None when no candidate decodes them."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            return Decoded(text.lstrip("\ufeff"), codec.replace("-sig", "")) if text is not None else None
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    declared = _declared(data, charsets) if markup else None
    if declared and (text := _strict(data, declared)) is not None:
        return Decoded(text, declared)
    return _detect(data, charsets)


def _strict(data: bytes, codec: str) -> Optional[str]:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared(data: bytes, charsets: Charsets) -> Optional[str]:
    m = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    if label in charsets.aliases:
        return charsets.aliases[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detect(data: bytes, charsets: Charsets) -> Optional[Decoded]:
    import charset_normalizer
    matches = charset_normalizer.from_bytes(data, cp_isolation=list(charsets.codecs))
    head = data[:_SAMPLE_BYTES]
    ranked = sorted(matches, key=lambda m: (_garbled_words(head.decode(m.encoding, "ignore")),
                                            m.language not in charsets.languages.get(m.encoding, ()),
                                            round(m.chaos, 2), -round(m.coherence, 2),
                                            _rank(m.encoding, charsets)))
    for match in ranked:
        text = _strict(data, match.encoding)
        if text is not None:
            return Decoded(text, match.encoding)
    return None


def _rank(codec: str, charsets: Charsets) -> int:
    return charsets.codecs.index(codec) if codec in charsets.codecs else len(charsets.codecs)


def _garbled_words(text: str) -> int:
    """Words a wrong decoding would make: letters of two scripts, or a symbol touching a letter."""
    return sum(1 for word in text.split() if not word.isascii() and _garbled(word))


def _garbled(word: str) -> bool:
    scripts = {_script(ch) for ch in word if ch.isalpha()}
    if len(scripts) > 1:
        return True
    for i, ch in enumerate(word):
        category = unicodedata.category(ch)
        if category[0] in "SC" or category == "No":  # symbols, controls, "³" from a wrong page
            if (i and word[i - 1].isalpha()) or (i + 1 < len(word) and word[i + 1].isalpha()):
                return True
    return False


def _script(ch: str) -> str:
    first = unicodedata.name(ch, "UNKNOWN").split()[0]
    return "EAST-ASIAN" if first in _EAST_ASIAN else first
