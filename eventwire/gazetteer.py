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
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from bisect import bisect_left, bisect_right
from functools import lru_cache
from types import SimpleNamespace
from typing import Iterator, Optional

__all__ = ["Gazetteer", "GazPlace", "Mention", "PlaceWeights", "Theatre", "build_gazetteer", "fold_key",
           "skeleton_key", "skeleton_keys", "index_keys", "ARABIC_SCRIPT_COUNTRIES", "find_mentions", "parse_admin1"]

FOLD, SKEL = "=", "~"
COARSE_PREFIX = "a2c:"  # id prefix of districts placed on their region's main town
SEAT_PREFIX = "seat:"  # id prefix of imported villages placed on their sub-district's seat
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


def _skeleton_token(tok: str, digraphs: tuple[tuple[str, str], ...] = _LATIN_DIGRAPHS) -> str:
    if not tok.isascii():
        return tok  # Arabic script is already consonantal
    if len(tok) > 3 and tok.endswith("h") and tok[-2] in _VOWELS:
        tok = tok[:-1]
    for a, b in digraphs:
        tok = tok.replace(a, b)
    head, tail = tok[:1], tok[1:]
    head = "" if head in _VOWELS else head
    tail = "".join(c for c in tail if c not in _VOWELS and c != "w")
    return head + tail


def skeleton_key(text: str, digraphs: tuple[tuple[str, str], ...] = _LATIN_DIGRAPHS) -> str:
    """Tier-2 key: the consonant skeleton of the name with articles and spaces removed."""
    tokens = _first_then_unfused(_strip_articles(fold_tokens(text)))
    return _undouble("".join(_skeleton_token(t, digraphs) for t in tokens))


# Arabic dhal (ذ) is romanised dh ("Tall Dhahab", UCDP), d ("Tal Dahab", OCHA) or z, as Levantine
# and Iraqi speech says it ("Azamiyah" for Adhamiyah). The main skeleton reads dh as z; a name
# of a country written in Arabic script that has a dh also gets the skeleton reading it as d.
# Elsewhere dh is another sound (Hindi's aspirated d in "Dhakuakhana") and keeps one skeleton.
_DHAL_AS_D = tuple(("dh", "d") if a == "dh" else (a, b) for a, b in _LATIN_DIGRAPHS)
ARABIC_SCRIPT_COUNTRIES = frozenset("AE BH DZ EG IQ JO KW LB LY MA OM PS QA SA SD SY TN YE IR AF PK".split())


def skeleton_keys(text: str) -> tuple[str, ...]:
    """Every tier-2 key of a name: its skeleton, and its dh-as-d skeleton when it has a dh."""
    key = skeleton_key(text)
    if "dh" not in plain_name(text):
        return (key,)
    other = skeleton_key(text, _DHAL_AS_D)
    return (key, other) if other != key else (key,)


def name_keys(name: str) -> tuple[str, str]:
    """Both index keys of one name."""
    return fold_key(name), skeleton_key(name)


def index_keys(name: str, cc: str) -> list[tuple[str, str]]:
    """(tier, key) pairs a place's name is indexed under: its folded name and its skeletons."""
    skeletons = skeleton_keys(name) if cc in ARABIC_SCRIPT_COUNTRIES else (skeleton_key(name),)
    return [(FOLD, fold_key(name))] + [(SKEL, k) for k in skeletons]


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
    weights: Optional[PlaceWeights] = None  # how the places stage weighs toponyms (build_gazetteer sets them)
    # (cc, gazetteer spelling) -> ACLED's spelling of a first-level region (data/acled_admin1.tsv)
    acled_admin1: dict[tuple[str, str], str] = field(default_factory=dict)
    _cache: dict[int, GazPlace] = field(default_factory=dict, repr=False)
    _codes: dict[str, str] = field(default_factory=dict, repr=False)  # ACLED name -> code
    _lookups: dict[str, tuple[GazPlace, ...]] = field(default_factory=dict, repr=False)
    _prefixes: dict[str, bool] = field(default_factory=dict, repr=False)
    _overlay_keys: list[str] = field(default_factory=list, repr=False)  # the overlay's keys, sorted
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
            if len(self._cache) > 200_000:  # bounded as the lookups are
                self._cache.clear()
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
            hit = self._find(probe.encode()) >= 0 or self._overlay_has_prefix(probe)
            self._prefixes[probe] = hit
        return hit

    def _overlay_has_prefix(self, probe: str) -> bool:
        """Whether some overlay key starts with probe: the keys that do sort together, from the
        first one at or after probe (a scan of every key, thousands with the place packs
        imported, made each new n-gram cost as much as a whole sentence)."""
        keys = self._overlay_keys
        if len(keys) != len(self.overlay):  # the overlay only grows, as it is attached
            keys = self._overlay_keys = sorted(self.overlay)
        i = bisect_left(keys, probe)
        return i < len(keys) and keys[i].startswith(probe)

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


# ----------------------------------------------------------------------------- building
def build_gazetteer(places: bytes, index: bytes, countries: str, admin1: str, texts: dict[str, str],
                    overlay: Optional[str] = None) -> Gazetteer:
    """The gazetteer from the contents of its files, which resources.load_gazetteer reads.

    Args:
        places, index: gazetteer.tsv and gazetteer_index.tsv.
        countries, admin1: countries.tsv and admin1.tsv.
        texts: the packaged word lists and packs by their data file name (PACKAGED_FILES).
        overlay: the user places file's text (`eventwire gazetteer add`), if there is one.
    """
    gaz = Gazetteer(places=places, index=index,
                    countries=_parse_countries(countries), demonyms=_parse_demonyms(countries),
                    capitals=_parse_capitals(countries),
                    admin1=parse_admin1(admin1),
                    stopwords=_parse_words(texts["gazetteer_stopwords.txt"]),
                    name_prefixes=_parse_words(texts["name_prefixes.txt"]),
                    common_words=_parse_words(texts["common_words.txt"]),
                    theatres=_parse_theatres(texts["theatres.json"]),
                    acled_admin1=_parse_acled_admin1(texts["acled_admin1.tsv"]),
                    weights=parse_place_weights(texts["lang/en/place_weights.json"]),
                    **_parse_place_pack(texts["lang/en/places.json"]))
    if overlay is not None:
        _attach_overlay(gaz, overlay)
    return gaz


# the packaged files a gazetteer is built from besides its tables (build_gazetteer's `texts`)
PACKAGED_FILES = ("gazetteer_stopwords.txt", "name_prefixes.txt", "common_words.txt", "theatres.json",
                  "acled_admin1.tsv", "lang/en/place_weights.json", "lang/en/places.json")


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


def parse_admin1(text: str) -> dict[tuple[str, str], str]:
    out = {}
    for row in text.splitlines()[1:]:
        cc, code, name = row.split("\t")[:3]
        out[(cc, code)] = name
    return out


def _attach_overlay(gaz: Gazetteer, text: str) -> None:
    """Append overlay rows to the places text and index their names in a dict."""
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    base = gaz.places if gaz.places.endswith(b"\n") else gaz.places + b"\n"
    chunks, pos = [], len(base)
    for r in rows:
        line = ("\t".join(r.get(c) or "" for c in OVERLAY_COLUMNS[:9]) + "\n").encode()
        names = [r["name"], *filter(None, (r.get("alternates") or "").split("|"))]
        for n in names:
            for tier, key in index_keys(n, r.get("cc") or ""):
                if key:
                    gaz.overlay.setdefault(tier + key, []).append(pos)
        chunks.append(line)
        pos += len(line)
    gaz.places = base + b"".join(chunks)


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
        found = _skeleton_lookup(text[s:e], gaz)
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
def _skeleton_cached(surface: str) -> tuple[str, ...]:
    return skeleton_keys(surface)


def _skeleton_lookup(surface: str, gaz: Gazetteer) -> tuple[GazPlace, ...]:
    """Places under the surface's skeleton, and Arabic-script places under its dh-as-d one."""
    key, *dhal_as_d = _skeleton_cached(surface)
    found = gaz.lookup(key, SKEL) if len(key) >= 3 else ()
    if not dhal_as_d or len(dhal_as_d[0]) < 3:
        return found
    more = tuple(p for p in gaz.lookup(dhal_as_d[0], SKEL) if p.cc in ARABIC_SCRIPT_COUNTRIES)
    return tuple(dict.fromkeys(found + more))
