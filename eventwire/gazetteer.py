"""The place gazetteer: loading, transliteration-proof name keys and toponym spotting.

The packaged asset is two sorted text files built by tools/build_gazetteer.py:

* ``gazetteer.tsv``: one place per line (id, name, country code, admin1, admin2, lat, lon,
  population, kind). Kind is ``P`` (a populated place), ``A2`` (a district), ``A1`` (a
  first-level region) or ``PCL`` (a country). Rows are parsed only when a lookup reaches them.
  Districts whose id starts with ``a2c:`` have no known seat and sit on their region's main
  town (``GazPlace.coarse``).
* ``gazetteer_index.tsv``: ``<tier><key>\\t<offset>,<offset>...`` lines sorted by Python
  string order, where offsets point into ``gazetteer.tsv``. Tier ``=`` holds folded names
  (case, diacritics, articles, hyphens and doubled letters ironed out); tier ``~`` holds
  consonant skeletons that also survive vowel spelling ("Muhaimida" = "Mhemideh").

Both files stay single strings in memory and are searched by bisection over line starts, so
loading is one read per file and memory is the size of the text. A user overlay in the same
row format plus an alternate-names column (written by ``eventwire gazetteer add``) is indexed
in a plain dict at load time.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from bisect import bisect_right
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator, Optional

__all__ = ["Gazetteer", "GazPlace", "Mention", "PlaceWeights", "Theatre", "load_gazetteer", "fold_key",
           "skeleton_key", "find_mentions", "merge_places", "overlay_path"]

log = logging.getLogger(__name__)

FOLD, SKEL = "=", "~"
COARSE_PREFIX = "a2c:"  # id prefix of districts placed on their region's main town
OVERLAY_COLUMNS = ["id", "name", "cc", "admin1", "admin2", "lat", "lon", "population", "kind",
                   "alternates", "source"]
# Arabic definite articles as separate romanised tokens (sun-letter assimilated forms too)
ARTICLES = frozenset({"al", "el", "il", "ul", "ad", "ed", "adh", "ash", "esh", "as", "es",
                      "ar", "er", "az", "ez", "at", "et", "ath", "an", "en", "l"})
# lower-case words inside names: Romance ("Rio de Janeiro", "Port-au-Prince"), Persian ezafe
# ("Mazar-e Sharif", "Sangi-ye Pain"), Germanic ("Frankfurt am Main" aside)
CONNECTORS = frozenset({"de", "del", "da", "do", "dos", "das", "di", "du", "des", "la", "las",
                        "los", "le", "les", "y", "sur", "en", "au", "aux", "e", "ye", "i",
                        "upon", "van", "von", "der", "wa", "bin", "ibn", "bint"})
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`ʿʾʼ´"), None)
_AR_MAP = str.maketrans({"ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None})
_NON_WORD = re.compile(r"[^\w]+")
_LATIN_DIGRAPHS = (("dj", "j"), ("kh", "h"), ("gh", "k"), ("dh", "z"), ("th", "t"),
                   ("sh", "s"), ("ch", "s"), ("ph", "f"), ("q", "k"), ("c", "k"), ("g", "k"),
                   ("x", "ks"))
_VOWELS = frozenset("aeiouy")


# ----------------------------------------------------------------------------- name keys
@lru_cache(maxsize=1 << 16)
def plain_name(name: str) -> str:
    """A name lower-cased without diacritics: how an English word would be written."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()


def fold_tokens(text: str) -> list[str]:
    """Lower-case, diacritic-free, apostrophe-free tokens of a name (hyphens split words)."""
    s = plain_name(text).translate(_APOSTROPHES).translate(_AR_MAP).replace("_", " ")
    return [_arabic_article(t) for t in _NON_WORD.split(s) if t]


def _arabic_article(tok: str) -> str:
    # Arabic-script names glue the article to the word: الرقة -> رقه
    if tok.startswith("ال") and len(tok) > 3:
        return tok[2:]
    return tok


def _strip_articles(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in ARTICLES]
    return kept or tokens


def _unfused(tok: str) -> str:
    """A word of a name after its first without a fused Arabic article: OCHA's "Harasta
    Elqantara" is "Harasta al-Qantara" ("Bab Eltaqa", "Rasm Elfaleh"). Not the first word:
    "Aleppo", "Elbistan" are names, not articles."""
    if tok in _ALBU:
        return "bu"
    return tok[2:] if len(tok) >= 5 and tok[:2] in _FUSED_ARTICLES and tok.isascii() else tok


_FUSED_ARTICLES = ("al", "el")
# "Albu Kamal" is "al-Bu Kamal" (Abu Kamal, al-Bukamal): a tribe's "Al Bu", fused, wherever it stands
_ALBU = frozenset({"albu", "albou", "elbu", "elbou"})


def _first_then_unfused(toks: list[str]) -> list[str]:
    return ["bu" if toks[0] in _ALBU else toks[0]] + [_unfused(t) for t in toks[1:]] if toks else toks


def _undouble(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


def _fold_token(tok: str) -> str:
    """Spelling-level folding: doubled letters, ou/u, ei/ay/ey, a final -eh/-ah."""
    tok = _undouble(tok)
    if tok.isascii():
        tok = tok.replace("ou", "u").replace("ei", "e").replace("ey", "e").replace("ay", "e")
        if len(tok) > 3 and tok.endswith(("eh", "ah")):
            tok = tok[:-1]
    return tok


@lru_cache(maxsize=1 << 16)
def fold_key(text: str) -> str:
    """Tier-1 key: "Deir ez-Zor", "Deir al-Zour" and "Dayr az Zawr" differ only in vowels here."""
    return " ".join(_first_then_unfused([_fold_token(t) for t in _strip_articles(fold_tokens(text))]))


def _skeleton_token(tok: str) -> str:
    if not tok.isascii():
        return tok  # Arabic script is already consonantal
    if len(tok) > 3 and tok.endswith("h") and tok[-2] in _VOWELS:
        tok = tok[:-1]
    for a, b in _LATIN_DIGRAPHS:
        tok = tok.replace(a, b)
    head, tail = tok[:1], tok[1:]
    head = "" if head in _VOWELS else head
    tail = "".join(c for c in tail if c not in _VOWELS and c != "w")
    return head + tail


def skeleton_key(text: str) -> str:
    """Tier-2 key: the consonant skeleton of the name with articles and spaces removed."""
    tokens = _first_then_unfused(_strip_articles(fold_tokens(text)))
    return _undouble("".join(_skeleton_token(t) for t in tokens))


def name_keys(name: str) -> tuple[str, str]:
    """Both index keys of one name."""
    return fold_key(name), skeleton_key(name)


# ----------------------------------------------------------------------------- records
@dataclass(frozen=True, slots=True)
class GazPlace:
    """One gazetteer row."""

    id: str
    name: str
    cc: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    population: int
    kind: str  # P, A2, A1 or PCL

    @property
    def coarse(self) -> bool:
        """A district whose seat is unknown, placed on its region's main town (precision 3)."""
        return self.id.startswith(COARSE_PREFIX)

    @property
    def seated(self) -> bool:
        """An imported village without coordinates, placed on its sub-district's seat (precision 2)."""
        return self.id.startswith(SEAT_PREFIX)

    @classmethod
    def from_line(cls, line: str) -> "GazPlace":
        f = line.split("\t")
        return cls(f[0], f[1], f[2], f[3], f[4], float(f[5]), float(f[6]), int(f[7] or 0), f[8])


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym found in text: its offsets, surface and candidate places with match tier."""

    start: int
    end: int
    surface: str
    candidates: tuple[GazPlace, ...]
    exact: bool  # matched on the folded name (True) or only on the consonant skeleton


@dataclass(frozen=True)
class Theatre:
    """A conflict whose reports name frontline villages without their region (data/theatres.json)."""

    country: str
    cue: re.Pattern
    regions: tuple[str, ...]
    front: tuple[tuple[float, float], ...]  # the front line as a polyline of (lat, lon)


@dataclass(frozen=True)
class PlaceWeights:
    """The numbers the places stage weighs toponyms by (data/lang/en/place_weights.json)."""

    attachment: dict[str, SimpleNamespace]  # "cue" -> weight, precision, vote
    kind_rank: dict[str, float]  # "P" -> a reading's bonus for a town
    reading: SimpleNamespace  # adjustments to a reading's score
    candidate: SimpleNamespace  # a namesake's score
    vote: SimpleNamespace  # the article's country vote
    km: SimpleNamespace  # distances that make two places one


def parse_place_weights(text: str) -> PlaceWeights:
    data = json.loads(text)

    def values(section: str) -> dict[str, float]:
        return {k: float(v["value"]) for k, v in data[section].items() if isinstance(v, dict)}

    attachment = {k: SimpleNamespace(weight=float(v["weight"]), precision=int(v["precision"]), vote=float(v["vote"]))
                  for k, v in data["attachment"].items() if isinstance(v, dict)}
    return PlaceWeights(attachment, values("kind_rank"), SimpleNamespace(**values("reading")),
                        SimpleNamespace(**values("candidate")), SimpleNamespace(**values("vote")),
                        SimpleNamespace(**values("distances_km")))


def _packaged_weights() -> PlaceWeights:
    return parse_place_weights(_asset("lang/en/place_weights.json"))


@dataclass
class Gazetteer:
    """Sorted-text gazetteer with sampled-bisection lookups plus a small in-memory overlay.

    Both texts are kept as UTF-8 bytes (half the memory of a str holding Arabic script).
    ``_marks`` samples the first key of every ``_BLOCK`` bytes of the index, so a lookup is
    one C-level bisection over the samples and one ``bytes.find`` inside a single block.
    """

    places: bytes
    index: bytes
    countries: dict[str, tuple[str, str]]  # cc -> (ACLED country name, capital place id)
    admin1: dict[tuple[str, str], str] = field(default_factory=dict)  # (cc, code) -> name
    overlay: dict[str, list[int]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()  # one-word names never taken as toponyms
    demonyms: dict[str, str] = field(default_factory=dict)  # "Syrian" -> "SY"
    capitals: dict[str, str] = field(default_factory=dict)  # "SY" -> "Damascus"
    name_prefixes: frozenset[str] = frozenset()  # "tal", "ain": first words of longer names
    common_words: frozenset[str] = frozenset()  # English words given no spelling-level guess
    theatres: tuple[Theatre, ...] = ()  # conflicts whose reports name frontline villages bare
    # "in rural X", "X's eastern countryside": words before / after a name that put the
    # incident near X (data/lang/en/places.json)
    countryside_before: tuple[re.Pattern, ...] = ()
    countryside_after: tuple[re.Pattern, ...] = ()
    # countries whose reports name small villages without their country: a foreign namesake
    # of one loses to them (data/lang/en/places.json, namesakes)
    home_theatre: frozenset[str] = frozenset()
    weights: PlaceWeights = field(default_factory=_packaged_weights)  # how the places stage weighs toponyms
    # (cc, gazetteer spelling) -> ACLED's spelling of a first-level region (data/acled_admin1.tsv)
    acled_admin1: dict[tuple[str, str], str] = field(default_factory=dict)
    _cache: dict[int, GazPlace] = field(default_factory=dict, repr=False)
    _codes: dict[str, str] = field(default_factory=dict, repr=False)  # ACLED name -> code
    _lookups: dict[str, tuple[GazPlace, ...]] = field(default_factory=dict, repr=False)
    _prefixes: dict[str, bool] = field(default_factory=dict, repr=False)
    _marks: list[bytes] = field(default_factory=list, repr=False)
    _mark_pos: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._marks, self._mark_pos = _sample_lines(self.index)
        self._codes = {name: cc for cc, (name, _) in self.countries.items()}
        self.admin1 = {k: self.acled_admin1.get((k[0], v), v) for k, v in self.admin1.items()}

    def place(self, offset: int) -> GazPlace:
        """The row starting at a byte offset of the places text."""
        hit = self._cache.get(offset)
        if hit is None:
            end = self.places.find(b"\n", offset)
            hit = GazPlace.from_line(self.places[offset:end if end >= 0 else None].decode())
            acled = self.acled_admin1.get((hit.cc, hit.admin1))
            if acled:
                hit = replace(hit, admin1=acled)
            self._cache[offset] = hit
        return hit

    def lookup(self, key: str, tier: str = FOLD) -> tuple[GazPlace, ...]:
        """Places whose folded (tier '=') or skeleton (tier '~') key equals key."""
        if not key:
            return ()
        hit = self._lookups.get(tier + key)
        if hit is not None:
            return hit
        if len(self._lookups) > 200_000:
            self._lookups.clear()
        hit = self._lookups[tier + key] = self._lookup(key, tier)
        return hit

    def _lookup(self, key: str, tier: str) -> tuple[GazPlace, ...]:
        offs = list(self.overlay.get(tier + key, ()))
        probe = (tier + key + "\t").encode()
        pos = self._find(probe)
        if pos >= 0:
            end = self.index.find(b"\n", pos)
            offs.extend(map(int, self.index[pos + len(probe):end if end >= 0 else None].split(b",")))
        return tuple(self.place(o) for o in offs)

    def has_prefix(self, key: str, tier: str = FOLD) -> bool:
        """Whether some key of the tier starts with key (to stop growing an n-gram early)."""
        probe = tier + key
        hit = self._prefixes.get(probe)
        if hit is None:
            if len(self._prefixes) > 200_000:
                self._prefixes.clear()
            hit = self._find(probe.encode()) >= 0 or any(k.startswith(probe) for k in self.overlay)
            self._prefixes[probe] = hit
        return hit

    def by_name(self, name: str) -> tuple[GazPlace, ...]:
        """Places named exactly like name once folded (for tests and the CLI)."""
        return self.lookup(fold_key(name))

    def country_name(self, cc: str) -> Optional[str]:
        """ACLED's name for an ISO country code."""
        entry = self.countries.get(cc)
        return entry[0] if entry else None

    def country_code(self, name: str) -> Optional[str]:
        """The ISO code of a country by its ACLED name ("Syria" -> "SY")."""
        return self._codes.get(name)

    def _find(self, probe: bytes) -> int:
        """Offset of the first index line starting with probe, or -1.

        Lines starting with probe sort at or after it, so they begin in the block whose first
        line is the last sample <= probe, or they are the first line of the next block.
        """
        i = bisect_right(self._marks, probe) - 1
        start = self._mark_pos[i] if i >= 0 else 0
        end = self._mark_pos[i + 1] if i + 1 < len(self._mark_pos) else len(self.index)
        if self.index.startswith(probe, start):
            return start
        pos = self.index.find(b"\n" + probe, start, end + len(probe))
        return pos + 1 if pos >= 0 else -1


_BLOCK = 8192


def _sample_lines(text: bytes) -> tuple[list[bytes], list[int]]:
    """The first line (up to its tab) of every _BLOCK-byte block, with its offset."""
    marks, starts, pos = [], [], 0
    while pos < len(text):
        tab = text.find(b"\t", pos)
        marks.append(text[pos:tab])
        starts.append(pos)
        nxt = text.find(b"\n", pos + _BLOCK)
        if nxt < 0:
            break
        pos = nxt + 1
    return marks, starts


# ----------------------------------------------------------------------------- loading
def overlay_path() -> Path:
    """Where `eventwire gazetteer add` keeps user places ($EVENTWIRE_GAZETTEER overrides)."""
    env = os.environ.get("EVENTWIRE_GAZETTEER")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "eventwire" / "places.tsv"


def _asset(name: str) -> str:
    return resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")


def _asset_bytes(name: str) -> bytes:
    return resources.files("eventwire").joinpath("data", name).read_bytes()


def load_gazetteer(path: str | None = None, overlay: str | None = None) -> Gazetteer:
    """Load the packaged gazetteer (or the directory `path`) plus the user overlay file.

    Args:
        path: a directory holding gazetteer.tsv, gazetteer_index.tsv, countries.tsv and
            admin1.tsv; None for the packaged assets.
        overlay: a user places file; None for overlay_path() when it exists.
    Returns:
        the Gazetteer.
    """
    read = (lambda n: Path(path, n).read_text(encoding="utf-8")) if path else _asset
    read_bytes = (lambda n: Path(path, n).read_bytes()) if path else _asset_bytes
    countries = read("countries.tsv")
    gaz = Gazetteer(places=read_bytes("gazetteer.tsv"), index=read_bytes("gazetteer_index.tsv"),
                    countries=_parse_countries(countries), demonyms=_parse_demonyms(countries),
                    capitals=_parse_capitals(countries),
                    admin1=_parse_admin1(read("admin1.tsv")),
                    stopwords=_parse_words(_asset("gazetteer_stopwords.txt")),
                    name_prefixes=_parse_words(_asset("name_prefixes.txt")),
                    common_words=_parse_words(_asset("common_words.txt")),
                    theatres=_parse_theatres(_asset("theatres.json")),
                    acled_admin1=_parse_acled_admin1(_asset("acled_admin1.tsv")),
                    **_parse_place_pack(_asset("lang/en/places.json")))
    extra = Path(overlay) if overlay else overlay_path()
    if extra.exists():
        _attach_overlay(gaz, extra.read_text(encoding="utf-8"))
    return gaz


def _parse_theatres(text: str) -> tuple[Theatre, ...]:
    return tuple(Theatre(t["country"], re.compile(t["cue"]), tuple(t["regions"]),
                         tuple((float(a), float(b)) for a, b in t["front"]))
                 for t in json.loads(text)["theatres"])


def _parse_place_pack(text: str) -> dict[str, tuple[re.Pattern, ...]]:
    data = json.loads(text)
    pack = data["countryside"]
    return {"countryside_before": tuple(re.compile(e["pattern"], re.I) for e in pack["before"]),
            "countryside_after": tuple(re.compile(e["pattern"], re.I) for e in pack["after"]),
            "home_theatre": frozenset(data["namesakes"]["home_theatre"])}


def _parse_acled_admin1(text: str) -> dict[tuple[str, str], str]:
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")][1:]
    return {(r[0], r[1]): r[2] for r in rows}


def _parse_countries(text: str) -> dict[str, tuple[str, str]]:
    out = {}
    for row in text.splitlines()[1:]:
        cc, name, capital = row.split("\t")[:3]
        out[cc] = (name, capital)
    return out


def _parse_capitals(text: str) -> dict[str, str]:
    rows = (r.split("\t") for r in text.splitlines()[1:])
    return {r[0]: r[4] for r in rows if len(r) > 4 and r[4]}


def _parse_demonyms(text: str) -> dict[str, str]:
    """Country adjectives ("Philippine|Filipino" in the demonym column) -> country code."""
    rows = (r.split("\t") for r in text.splitlines()[1:])
    return {word: r[0] for r in rows if len(r) > 3 for word in r[3].split("|") if word}


def _parse_words(text: str) -> frozenset[str]:
    lines = (ln for ln in text.splitlines() if not ln.startswith("#"))
    return frozenset(w for ln in lines for w in ln.split())


def _parse_admin1(text: str) -> dict[tuple[str, str], str]:
    out = {}
    for row in text.splitlines()[1:]:
        cc, code, name = row.split("\t")[:3]
        out[(cc, code)] = name
    return out


def _attach_overlay(gaz: Gazetteer, text: str) -> None:
    """Append overlay rows to the places text and index their names in a dict."""
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    base = gaz.places if gaz.places.endswith(b"\n") else gaz.places + b"\n"
    chunks, pos = [], len(base)
    for r in rows:
        line = ("\t".join(r.get(c) or "" for c in OVERLAY_COLUMNS[:9]) + "\n").encode()
        names = [r["name"], *filter(None, (r.get("alternates") or "").split("|"))]
        for n in names:
            for tier, key in zip((FOLD, SKEL), name_keys(n)):
                if key:
                    gaz.overlay.setdefault(tier + key, []).append(pos)
        chunks.append(line)
        pos += len(line)
    gaz.places = base + b"".join(chunks)
    log.debug("gazetteer overlay: %d places", len(rows))


# ----------------------------------------------------------------------------- spotting
# only the tokens spotting needs: words not starting with a lower-case ASCII letter or a digit
# (capitalised or non-Latin), lower-case Arabic articles and Romance name connectors
_CANDIDATE = re.compile(r"(?<!\w)(?<!\w[’'ʿʾ`‘])(?:[^\W\d_a-z](?:[\w’'ʿʾ`‘]*[^\W_])?|(?:%s)(?![\w’'ʿʾ`‘]))"
                        % "|".join(sorted(ARTICLES | CONNECTORS, key=len, reverse=True)))
MAX_NGRAM = 5


# A token: (start, end, surface, folded form or "" for an article, capitalised, joined to the
# token before by nothing but a space or hyphen). Plain tuples: this runs on every word.
_Tok = tuple[int, int, str, str, bool, bool, str]
_JOINERS = frozenset(" -\u2010\u2011\u00a0")


_POSSESSIVES = ("'s", "’s")
# articles that may stand apart from their name ("al Bab"); the others are English words
# unless hyphenated ("at-Tall", "an-Nabk", not "at Uri")
_SPACED_ARTICLES = frozenset({"al", "el", "il", "ul"})


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    """Capitalised words and Arabic articles; other words only break names, so they are dropped
    (a dropped word leaves a gap that stops the next token joining the one before)."""
    out: list[_Tok] = []
    prev = -10
    for m in _CANDIDATE.finditer(text, start, end):
        w, w_end = m.group(), m.end()
        if w.endswith(_POSSESSIVES) and len(w) > 3:
            # "Syria's Ghouta": the possessive ends the name; the gap it leaves keeps the next
            # word from joining it
            w, w_end = w[:-2], w_end - 2
        c = w[0]
        if c.isupper() or not c.isascii() and c.isalpha() and not c.islower():
            fold = _fold_word(w)
            cap = True
        elif w in ARTICLES:
            fold, cap = "", False
        elif w in CONNECTORS:
            fold, cap = w, False
        else:
            continue
        s = m.start()
        joined = s - prev <= 2 and all(ch in _JOINERS for ch in text[prev:s])
        # the word's key first in a name, and after another word (fused articles dropped)
        later = _fold_word_later(w) if fold else fold
        out.append((s, w_end, w, fold, cap, joined, later))
        prev = w_end
    return out


@lru_cache(maxsize=1 << 16)
def _fold_word(w: str) -> str:
    return " ".join(_first_then_unfused([_fold_token(p) for p in fold_tokens(w) if p not in ARTICLES]))


@lru_cache(maxsize=1 << 16)
def _fold_word_later(w: str) -> str:
    return " ".join(_unfused(_fold_token(p)) for p in fold_tokens(w) if p not in ARTICLES)


def find_mentions(text: str, gaz: Gazetteer, start: int = 0, end: Optional[int] = None
                  ) -> list[Mention]:
    """Longest-match toponyms in text[start:end]: capitalised n-grams looked up in the index.

    An n-gram starts at a capitalised token that is not a stopword, may hold lowercase
    Arabic articles ("Deir ez-Zor") and grows while some indexed key has it as a prefix.
    The skeleton tier is tried only where the folded tier found nothing.
    """
    toks = _tokens(text, start, len(text) if end is None else end)
    out: list[Mention] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        lead_article = not t[3] and i + 1 < n and toks[i + 1][4] and toks[i + 1][5] and (
            t[2].lower() in _SPACED_ARTICLES or text[t[1]:toks[i + 1][0]] != " ")
        if not (t[4] or lead_article):
            i += 1
            continue
        hit = _longest_match(text, toks, i, gaz)
        if hit is None:
            i += 1
            continue
        words = [x[2] for x in toks[i:hit[1]] if x[3]]
        one = len(words) == 1
        # a spelling-level match that starts on a stopword ("In Rio de") is the word, not a name
        stop = words[0].lower() in gaz.stopwords and (one or not hit[0].exact)
        if stop or one and words[0] in gaz.demonyms or all(map(_acronym, words)):
            i += 1
            continue
        mention = hit[0]
        if one and mention.exact and words[0].lower() in gaz.common_words:
            # "Day" is no Dei: an English word names only a place written exactly so, or a big one
            kept = tuple(p for p in mention.candidates
                         if plain_name(p.name) == words[0].lower() or p.population >= _FAMOUS)
            if not kept:
                i += 1
                continue
            mention = replace(mention, candidates=kept)
        out.append(mention)
        i = hit[1]
    return out


def _acronym(word: str) -> bool:
    """GNA, SDF, OSCE: organisations, not the homonymous hamlets."""
    return word.isupper() and word.isascii() and len(word) <= 5


def _grow(toks: list[_Tok], i: int) -> Iterator[tuple[int, str]]:
    """(end token index, folded key) for each n-gram starting at i, shortest first."""
    parts: list[str] = []
    j, n = i, len(toks)
    while j < n and len(parts) < MAX_NGRAM:
        t = toks[j]
        if j > i and not t[5]:
            return
        if t[3]:
            parts.append(t[6] if parts else t[3])
            yield j + 1, " ".join(parts)
        j += 1


def _longest_match(text: str, toks: list[_Tok], i: int, gaz: Gazetteer
                   ) -> Optional[tuple[Mention, int]]:
    best: Optional[tuple[Mention, int]] = None
    for j, key in _grow(toks, i):
        found = gaz.lookup(key)
        if found:
            s, e = toks[i][0], toks[j - 1][1]
            best = (Mention(s, e, text[s:e], found, True), j)
        elif best is None and _bare_possessive(toks[j - 1][2], key):
            # "Syrias Ghouta", "Aleppos outskirts": copy stripped of its apostrophes
            found = tuple(p for p in gaz.lookup(key[:-1]) if p.kind in ("PCL", "A1") or p.population >= _FAMOUS)
            if found:
                s, e = toks[i][0], toks[j - 1][1] - 1
                return Mention(s, e, text[s:e], found, True), j
        if not gaz.has_prefix(key + " "):
            break
    if best is not None and not _generic_head(best[1], i, toks, gaz):
        return best
    exact = best  # None, or "Tal" alone before "Tamer": a longer spelling-level name wins
    for j, _key in _grow(toks, i):
        if j - i > 3:
            break
        if exact is not None and j <= exact[1]:
            continue
        if j == i + 1 and _ENGLISH_SHAPE.search(toks[i][2]):
            continue  # "Fighting", "Gunmen": an English word, not a misspelt village
        if all(t[2].lower() in gaz.common_words for t in toks[i:j] if t[3]):
            continue  # "Around", "Civil Hospital": English words, not a misspelt village
        s, e = toks[i][0], toks[j - 1][1]
        skel = _skeleton_cached(text[s:e])
        found = gaz.lookup(skel, SKEL) if len(skel) >= 3 else ()
        if found:
            best = (Mention(s, e, text[s:e], found, False), j)
    return best


_FAMOUS = 100_000  # towns this large (and regions, countries) are written in the possessive


# endings of English words that no transliterated place name has
_ENGLISH_SHAPE = re.compile(r"(?:ing|ings|ed|ers|men|ists?|tion|tions|ness|ments?|ly|ies)$")


def _generic_head(end: int, i: int, toks: list[_Tok], gaz: Gazetteer) -> bool:
    """An exact match of one generic first word ("Tal", "Khan") that a name goes on after."""
    return end == i + 1 and toks[i][3] in gaz.name_prefixes and end < len(toks) and toks[end][5]


def _bare_possessive(word: str, key: str) -> bool:
    """A name with a possessive s but no apostrophe: only for words long enough that the
    stem is itself a name ("Syrias"), never a short plural ("Kurds")."""
    return len(word) >= 6 and word.endswith("s") and not word.endswith("ss") and key.endswith("s")


@lru_cache(maxsize=1 << 16)
def _skeleton_cached(surface: str) -> str:
    return skeleton_key(surface)


# ----------------------------------------------------------------------------- user places
SEAT_PREFIX = "seat:"  # id prefix of imported villages placed on their sub-district's seat


@dataclass(frozen=True)
class _Kinds:
    """Which rows of an imported file name a place (data/gazetteer_kinds.json)."""

    units: dict[str, str]
    features: frozenset[str]
    skip_kinds: frozenset[str]
    skip_names: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _import_kinds() -> _Kinds:
    d = json.loads(_asset("gazetteer_kinds.json"))
    return _Kinds(d["geonames_units"], frozenset(f["code"] for f in d["geonames_features"]),
                  frozenset(k["kind"] for k in d["skip_kinds"]),
                  tuple(re.compile(n["pattern"]) for n in d["skip_names"]))


UNPLACED: dict[str, str] = {}  # a row without coordinates that nothing known places


class PlaceFileError(ValueError):
    """A row of an imported place file that cannot be read: one line naming file and line."""


def merge_places(gaz_path: str | os.PathLike, file: str | os.PathLike,
                 admin1: Optional[dict[tuple[str, str], str]] = None) -> dict:
    """Merge places from a GeoNames dump (SY.txt), a UCDP GED places file, an OCHA p-coded
    communities file or an analyst CSV into an overlay file.

    Args:
        gaz_path: the overlay TSV to create or extend (see overlay_path()).
        file: a GeoNames tab-separated dump (19 columns, no header) or a CSV/TSV with a header
            holding at least a name (latitude, longitude, country, admin1, admin2, admin3,
            alternates or alt_names, kind, population, source_id, source optional). A row
            without coordinates (OCHA's communities) is placed on the gazetteer place it names
            in its region, else on its sub-district's (or district's) seat town at precision 2.
        admin1: (country code, admin1 code) -> name, to name GeoNames admin1 codes; defaults
            to the packaged admin1 table.
    Returns:
        {"read", "added", "updated", "skipped": rows naming no point, "unplaced": rows without
        coordinates that nothing known places, "errors": one line per
        unreadable row ("FILE:LINE: why")}; every readable row is merged.
    """
    gaz_path, file = Path(gaz_path), Path(file)
    if admin1 is None:
        admin1 = _parse_admin1(_asset("admin1.tsv"))
    existing: dict[str, dict[str, str]] = {}
    if gaz_path.exists():
        with open(gaz_path, encoding="utf-8", newline="") as fh:
            existing = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    stats: dict = {"read": 0, "added": 0, "updated": 0, "skipped": 0, "unplaced": 0, "errors": []}
    placer = _Placer(gaz_path)
    for row in read_user_places(file, admin1, placer):
        if isinstance(row, PlaceFileError):
            stats["errors"].append(str(row))
            continue
        stats["read"] += 1
        if row is None or row is UNPLACED:
            stats["skipped" if row is None else "unplaced"] += 1
            continue
        stats["updated" if row["id"] in existing else "added"] += 1
        existing[row["id"]] = row
    gaz_path.parent.mkdir(parents=True, exist_ok=True)
    with open(gaz_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, OVERLAY_COLUMNS, delimiter="\t", lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        w.writerows(existing.values())
    return stats


_GEONAMES_COLUMNS = 19


def read_user_places(file: Path, admin1: dict[tuple[str, str], str], placer: "_Placer"
                     ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    """Overlay rows (None for a row naming no point, a PlaceFileError for a bad row)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlaceFileError(f"{file.name}: not UTF-8 text ({exc.reason})") from exc
    first = text.split("\n", 1)[0]
    if first.split("\t")[0].isdigit() and first.count("\t") >= 8:
        yield from _geonames_rows(text, admin1, file.name)
    elif "name" in {c.strip().lower() for c in re.split(r"[\t,]", first)} | (
            {"location"} & {c.strip().lower() for c in re.split(r"[\t,]", first)}):
        yield from _headed_rows(text, "\t" if "\t" in first else ",", file.name, placer)
    else:
        raise PlaceFileError(f"{file.name}:1: unknown format (neither a GeoNames dump nor a "
                             "file with a header naming a 'name' column)")


def _geonames_rows(text: str, admin1: dict[tuple[str, str], str], origin: str
                   ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    kinds = _import_kinds()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        f = line.split("\t")
        if len(f) != _GEONAMES_COLUMNS:
            yield PlaceFileError(f"{origin}:{n}: {len(f)} columns, a GeoNames dump has {_GEONAMES_COLUMNS}")
            continue
        feature = f"{f[6]}.{f[7]}"
        if f[6] == "P":
            kind = "P"
        elif f[6] == "A" and f[7] in kinds.units:
            kind = kinds.units[f[7]]
        elif feature in kinds.features:
            kind = "P"  # a named point: mountain, camp, field, base
        else:
            yield None
            continue
        coords = _coordinates(f[4], f[5])
        if coords is None:
            yield PlaceFileError(f"{origin}:{n}: bad coordinates {f[4]!r}, {f[5]!r}")
            continue
        alts = [a for a in f[3].split(",") if a and _useful_alternate(a)]
        yield {"id": f"gn:{f[0]}", "name": f[1], "cc": f[8],
               "admin1": admin1.get((f[8], f[10]), ""), "admin2": "", "lat": coords[0],
               "lon": coords[1], "population": f[14] or "0", "kind": kind,
               "alternates": "|".join(dict.fromkeys([f[2], *alts])),
               "source": "geonames" if f[6] in "PA" else f"geonames {feature}"}


def _coordinates(lat: str, lon: str) -> Optional[tuple[str, str]]:
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        return None
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or math.isnan(la + lo):
        return None
    return str(la), str(lo)


def _headed_rows(text: str, delimiter: str, origin: str, placer: "_Placer"
                 ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    kinds = _import_kinds()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    for raw in reader:
        n = reader.line_num
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            yield PlaceFileError(f"{origin}:{n}: {len(raw)} columns, the header has {len(header)}")
            continue
        r = {k: v.strip() for k, v in zip(header, raw) if k}
        name = r.get("name") or r.get("location")
        kind_word = (r.get("kind") or "").lower()
        if not name:
            yield PlaceFileError(f"{origin}:{n}: no name")
            continue
        if kind_word in kinds.skip_kinds or any(p.search(name) for p in kinds.skip_names):
            yield None
            continue
        cc = (r.get("cc") or r.get("country_code") or r.get("country") or "").upper()
        alternates = (r.get("alternates") or r.get("alt_names") or "").replace(";", "|")
        lat, lon = r.get("latitude") or r.get("lat"), r.get("longitude") or r.get("lon")
        row = {"id": r.get("id") or r.get("source_id") or f"user:{fold_key(name).replace(' ', '-')}:{cc or '-'}",
               "name": name, "cc": cc, "admin1": placer.region(cc, r.get("admin1", "")),
               "admin2": r.get("admin2", ""), "population": r.get("population") or "0",
               "kind": "P", "alternates": alternates, "source": r.get("source") or origin}
        if lat or lon:
            coords = _coordinates(lat or "", lon or "")
            if coords is None:
                yield PlaceFileError(f"{origin}:{n}: bad coordinates {lat!r}, {lon!r}")
                continue
            row["lat"], row["lon"] = coords
            yield row
            continue
        # None: neither the name nor its sub-district or district is a known place of its region
        yield placer.place(row, r.get("admin3", "")) or UNPLACED


class _Placer:
    """Places rows that come without coordinates (OCHA's p-coded communities) on what the
    gazetteer already knows, and names regions as the gazetteer does ("Deir ez Zor Governorate"
    is Deir-ez-Zor)."""

    _UNIT_WORDS = re.compile(r"\s+(?:governorate|province|district|sub-?district|nahiya)\s*$", re.I)

    def __init__(self, overlay: Path):
        self.overlay = overlay
        self._gaz: Optional[Gazetteer] = None
        self._regions: dict[tuple[str, str], str] = {}

    @property
    def gaz(self) -> "Gazetteer":
        if self._gaz is None:
            self._gaz = load_gazetteer(overlay=str(self.overlay))
        return self._gaz

    def _named(self, name: str, cc: str, kinds: tuple[str, ...], admin1: str = "",
               tiers: tuple[str, ...] = (FOLD, SKEL)) -> list[GazPlace]:
        name = self._UNIT_WORDS.sub("", name)
        for tier, key in zip((FOLD, SKEL), name_keys(name)):
            if tier not in tiers:
                continue
            hits = [p for p in self.gaz.lookup(key, tier) if p.cc == cc and p.kind in kinds
                    and (not admin1 or p.admin1 == admin1) and not p.coarse]
            if hits:
                return sorted(hits, key=lambda p: -p.population)
        return []

    def region(self, cc: str, name: str) -> str:
        if not (cc and name):
            return name
        if (cc, name) not in self._regions:
            hits = self._named(name, cc, ("A1",))
            self._regions[(cc, name)] = hits[0].admin1 if hits else name
        return self._regions[(cc, name)]

    def place(self, row: dict[str, str], admin3: str) -> Optional[dict[str, str]]:
        """The row on the place of its name in its region (precision 1), else on its
        sub-district's or district's seat town (precision 2: SEAT_PREFIX)."""
        cc, admin1 = row["cc"], row["admin1"]
        names = [row["name"], *filter(None, row["alternates"].split("|"))]
        for n in names:
            # a spelling-level match only: a consonant skeleton is too loose among a
            # governorate's thousand villages
            same = self._named(n, cc, ("P",), admin1, (FOLD,))
            if same:
                return {**row, "lat": str(same[0].lat), "lon": str(same[0].lon)}
        for unit in (admin3, row["admin2"]):
            seat = self._named(unit, cc, ("P",), admin1) if unit else []
            if seat:
                return {**row, "id": SEAT_PREFIX + row["id"], "lat": str(seat[0].lat),
                        "lon": str(seat[0].lon)}
        return None


def _useful_alternate(name: str) -> bool:
    """Latin names written as names, or Arabic script; never codes or very short forms.

    GeoNames alternate names hold airport and ICAO codes ("ABB", "DNAA"), abbreviations and
    clipped forms ("Ab", "Pir") that equal ordinary capitalised words in news copy.
    """
    letters = sum(c.isalpha() for c in name)
    if any(c.isdigit() for c in name):
        return False
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return letters >= _MIN_ARABIC_LETTERS
    latin = all(c.isascii() or unicodedata.category(c)[0] != "L" or "LATIN" in
                unicodedata.name(c, "") for c in name)
    code = name.isupper() and " " not in name.strip()
    return latin and not code and any(c.isupper() for c in name) and letters > _MAX_SHORT_LETTERS


_MAX_SHORT_LETTERS = 2  # Latin alternates this short are codes or clipped forms ("Ab")
_MIN_ARABIC_LETTERS = 3  # Arabic script is consonantal: three letters already name a town
