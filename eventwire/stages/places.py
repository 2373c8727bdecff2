"""Places stage: choose where an incident happened and fill ACLED's place fields.

Toponyms are spotted in the incident's sentences (most important first) with the
gazetteer's n-gram index. Each mention is weighed by the words that attach it to the event
("in the town of X", "X village", "near X"), by sentence rank, and by how specific it is;
each candidate place by the article's country, admin names nearby ("in Deir ez-Zor
province", "(Hasakah)") and population. Relative phrases ("25 km east of X") move the point
and lower precision. A sentence naming only a region or country yields that region's main
town with geo_precision 3 (ACLED's convention). Sentences that name no place inherit the
article's anchor place (the best-attached toponym of the title, first sentence or dateline)
at geo_precision 3, as ACLED codes an incident told without a place of its own; with no
anchor either, only the country is given.

Toponyms are spotted once per article and kept with its country vote, so a call per
sentence only filters the article's mentions by offset.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple, Optional, Union

from ..gazetteer import GazPlace, Gazetteer, Mention, PlaceWeights, Theatre, find_mentions, fold_key, plain_name
from ..records import Article, Place

__all__ = ["resolve_place", "listed_places", "article_country", "place_drops"]

_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|inside|into|on|targeted|targeting|struck|hit|shelled|"
    r"stormed|entered|raided|attacked|bombed|captured|(?:town|village|city|district|"
    r"neighbou?rhood|suburb|area|region|province|governorate|camp|countryside|outskirts|"
    r"vicinity|municipality|county|state|hamlet|farms?|streets?|desert|frontlines?|"
    r"countryside|parts?|center|centre) of)|\b(?:in|at) the)"
    # "in northern Syria", "in south-eastern Idlib"
    r"(?:\s+(?:north|south|east|west|central)(?:-?(?:east|west))?(?:ern)?)?\s*$", re.I)
_NEAR_BEFORE = re.compile(
    r"\b(?:near|nearby|outside|around|close to|next to|vicinity of|outskirts of|"
    r"countryside of|suburbs? of|edge of|area of|road to|road between|between|"
    r"(?:north|south|east|west)(?:ern|-?(?:east|west)(?:ern)?)?(?: countryside| outskirts|"
    r" suburbs| part| parts| side)? of)\s+(?:the\s+)?(?:(?:town|village|city) of\s+)?$", re.I)
_WEAK_BEFORE = re.compile(r"\b(?:from|by|for|against|with)\s+(?:the\s+)?$", re.I)
_KIND_AFTER = re.compile(r"^[\s,]*(?:'s\s+)?(town|village|city|district|neighbou?rhood|"
                         r"camp|area|hamlet|suburb|countryside|outskirts|province|"
                         r"governorate|region|state|oblast|department|municipality|county|"
                         r"LGA|mandal|tehsil|subdivision|sector|raion|rayon|commune)\b", re.I)
_OFFSET = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(km|kms|kilometer|kilometers|kilometre|kilometres|mi|mile|"
    r"miles)\s+(?:\([^)]{0,20}\)\s+)?(north|south|east|west|northeast|northwest|southeast|"
    r"southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+of\s+(?:the\s+)?"
    r"(?:(?:town|village|city) of\s+)?$", re.I)
_DIGIT = re.compile(r"\d")


def _offset_before(before: str) -> Optional[re.Match]:
    """_OFFSET's match in the words before a name; it begins with a figure, so a text without
    a digit is not searched."""
    return _OFFSET.search(before) if _DIGIT.search(before) else None


_STREET_AFTER = re.compile(r"^[\s-]*(?:road|street|st\.|avenue|highway|expressway|"
                           r"motorway|boulevard|bridge|roundabout|junction|square)\b", re.I)
_REGION_WORDS = {"province", "governorate", "region", "state", "oblast", "department",
                 "countryside"}
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
# "province of X"; "Jaghuri district in Ghazni": the name after a district's "in" is its region
_REGION_BEFORE = re.compile(r"\b(?:(?:province|governorate|region|countryside|state|oblast|"
                            r"district|department) of|(?:district|county|municipality|LGA) in)\s+(?:the\s+)?$", re.I)
_APPOSITIVE = re.compile(r"[^\W\d_][\w'’]*\s*(?:\(|,)\s*$")  # after a name, not "On 9 May 2020, X"
_BEARING = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
            "southwest": 225, "west": 270, "northwest": 315}
_REGION_KINDS = frozenset({"A1", "A2"})
# words after a name that make it a second-level unit ("Budgam district", "Paderu mandal")
_A2_WORDS = frozenset({"district", "municipality", "county", "department", "province", "lga",
                       "mandal", "tehsil", "subdivision", "sector", "raion", "rayon", "region",
                       "governorate", "state", "oblast", "prefecture", "commune"})
_FIRST_SENTENCE = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z])")
_VIEW_MAX = 64
_LEAD_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read a mention: the place, how the text attaches it, and its score."""

    mention: Mention
    place: GazPlace
    score: float
    precision: int
    attach: float = 0.0
    rank: int = 0
    offset_km: float = 0.0
    bearing: Optional[int] = None
    region: bool = False
    stated_name: bool = False  # the place is the region; the location keeps the mention's name
    name: str = ""  # the location's name when the text names a village the gazetteer lacks


def resolve_place(article: Article, spans: list[tuple[int, int]], gazetteer: Gazetteer,
                  home_countries: tuple[str, ...] = ()) -> Place:
    """The place of the incident told in spans (character offsets, most important first).

    Args:
        article: the article whose text the spans point into.
        spans: incident sentence offsets into article.text, most important first.
        gazetteer: the loaded gazetteer.
        home_countries: ACLED country names of the local armed groups the article names (the
            Taliban: Afghanistan); a weak vote for the article's country, which its toponyms
            and country words outweigh.
    Returns:
        a Place; when the spans name nothing, the article's anchor place at geo_precision 3;
        with no anchor either, Place(location=None, country=article country) without
        coordinates.
    """
    view = _view(article, gazetteer, home_countries)
    readings: list[_Reading] = []
    for rank, (start, end) in enumerate(spans):
        readings.extend(_span_readings(article.text, view, rank, start, end, gazetteer))
    best = _choose(readings, gazetteer.weights)
    if view.theatre and _homonym_outside(best, view.theatre):
        # a frontline village the gazetteer only knows elsewhere: say where we are sure of
        return Place(location=best.mention.surface, country=gazetteer.country_name(view.theatre[0]),
                     geo_precision=3, surface=best.mention.surface)
    anchor = _anchor(article, view, gazetteer)
    if anchor is not None and _anchor_is_better(best, anchor):
        return _to_place(anchor, gazetteer, fallback=True)
    if best is None:
        return Place(location=None, country=gazetteer.country_name(view.cc) if view.cc else None)
    return _to_place(best, gazetteer)


def listed_places(article: Article, span: tuple[int, int], gazetteer: Gazetteer,
                  home_countries: tuple[str, ...] = ()) -> list[Place]:
    """The places one sentence lists for its incident, in text order, when it lists several
    ("on the Sirwah (Marib), Nihm (Sanaa), and Al Jawf frontlines"; "in Shah Wali Kot and
    Maywand districts"): ACLED codes one event per place. An empty list when the sentence
    names one place, or several that are no such list ("between Gaskinde and Mentao").
    """
    view = _view(article, gazetteer, home_countries)
    if len(view.within(*span)) < 2:
        return []  # one name is no list: spare the readings the incident's place already made
    readings = _span_readings(article.text, view, 0, span[0], span[1], gazetteer)
    best = _choose(readings, gazetteer.weights)
    if best is None:
        return []
    items = _list_items(article.text, view.within(*span))
    run = next((r for r in _list_runs(article.text, items) if any(best.mention in it[2] for it in r)), [])
    if len(run) < 2 or _ROUTE_BEFORE.search(article.text[max(0, run[0][0] - 40):run[0][0]]):
        return []
    # a list ends "..., and X"; what follows X after a comma holds it ("and Maywand districts,
    # Kandahar"), and with no "and", "Bakirkoy town, Istanbul" is a place and what holds it
    ends = [k for k in range(1, len(run)) if _LAST_JOIN.search(article.text, run[k - 1][1], run[k][0])]
    run = run[:ends[-1] + 1] if ends else []
    if not any(best.mention in it[2] for it in run) or _ROUTE_AFTER.match(article.text, run[-1][2][0].end):
        return []
    places: list[Place] = []
    previous: Optional[_Reading] = None
    for _, _, group in run:
        mine = [r for r in readings if r.mention in group]
        if not mine:
            return []  # an item that is no place here: not a list of places
        top = max(mine, key=lambda r: r.score)
        if top.place.cc != best.place.cc or top.place.kind == "PCL":
            return []
        if previous is not None and top.place.kind == "A1" and top.place.admin1 == previous.place.admin1:
            continue  # "al-Busira, Deir ez-Zor": the region of the town before, not a second place
        previous = top
        p = _to_place(top, gazetteer)
        if p.latitude is not None and all((p.latitude, p.longitude) != (q.latitude, q.longitude) for q in places):
            places.append(p)
    return places if len(places) > 1 else []


# an item of a list of places: its name (maybe in parts, "Jabal al Kirsh"), unit words and
# the brackets that qualify it ("Bab Ghaliq (Qaatabah, Ad Dali)"); items are joined by a
# comma or "and" ("Sirwah (Marib), Nihm (Sanaa), and Al Jawf")
_ITEM_GLUE = re.compile(r"[\s-]*(?:(?:al|el|ad|as|ash|ar|az|at|an|de|del|la|wa|bin|ibn)[\s-]+)?")
_ITEM_TAIL = re.compile(r"(?:\s+(?!(?:and|or)\b)[a-z]+){0,2}\s*\([^()]{0,80}\)|(?:\s+(?:front|district|area|village|town)s?\b)?")
_UNKNOWN_HEAD = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}(?:\s+[a-z]+){0,2}\s*\($")
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?")
_LAST_JOIN = re.compile(r"\b(?:and|or)\b")
# "between the cities of Canapi and Manari", "the Bijapur and Dantewada border": one place
# between two, not two places
_ROUTE_BEFORE = re.compile(r"\b(?:between|from|to|road|highway|linking)\b[^,.;()]{0,25}$", re.I)
_ROUTE_AFTER = re.compile(r"\s*(?:[a-z]+\s+)?(?:border|borders|boundary|road|highway|junction|axis|crossing|route)\b", re.I)


def _list_items(text: str, mentions: list[Mention]) -> list[tuple[int, int, list[Mention]]]:
    """(start, end, mentions) of each name in text order, with the names in its brackets."""
    items, i = [], 0
    while i < len(mentions):
        head = _UNKNOWN_HEAD.search(text, max(0, mentions[i].start - 60), mentions[i].start)
        close = text.find(")", mentions[i].end) if head else -1
        if head and close != -1 and "(" not in text[mentions[i].end:close]:
            # "Qaniyah (Mahliyah, Marib)": a name the gazetteer lacks, placed by its brackets
            group = [m for m in mentions[i:] if m.start < close]
            items.append((head.start(), close + 1, group))
            i += len(group)
            continue
        group = [mentions[i]]
        end, i = mentions[i].end, i + 1
        while i < len(mentions) and _ITEM_GLUE.fullmatch(text, end, mentions[i].start):
            group.append(mentions[i])
            end, i = mentions[i].end, i + 1
        tail = _ITEM_TAIL.match(text, end)
        if tail and tail.end() > end:
            end = tail.end()
            while i < len(mentions) and mentions[i].start < end:
                group.append(mentions[i])
                i += 1
        items.append((group[0].start, end, group))
    return items


def _list_runs(text: str, items: list[tuple[int, int, list[Mention]]]) -> list[list[tuple[int, int, list[Mention]]]]:
    """Runs of consecutive items joined as a list."""
    runs: list[list[tuple[int, int, list[Mention]]]] = []
    for item in items:
        if runs and _LIST_JOIN.fullmatch(text, runs[-1][-1][1], item[0]):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def article_country(article: Article, gazetteer: Gazetteer,
                    home_countries: tuple[str, ...] = ()) -> Optional[str]:
    """The article's dominant country (ACLED name) from its dateline and toponym votes."""
    cc = _view(article, gazetteer, home_countries).cc
    return gazetteer.country_name(cc) if cc else None


# ----------------------------------------------------------------------------- article view
class _Refusal(NamedTuple):
    """A toponym set aside: its span in the article, a stable code, one line for an analyst."""

    span: tuple[int, int]
    code: str
    detail: str


def place_drops(article: Article, gazetteer: Gazetteer, home_countries: tuple[str, ...] = ()
                ) -> list[tuple[tuple[int, int], str, str]]:
    """(span, code, detail) of each toponym the places stage set aside in the article so far
    (a name of a longer name, a foreign namesake, a government, a place abroad, a past
    incident): the pipeline records them as Dropped, and `eventwire explain` shows them."""
    return [tuple(r) for r in _view(article, gazetteer, home_countries).refused]


@dataclass
class _View:
    """What resolution needs from a whole article, computed once: its toponyms and country."""

    mentions: list[Mention]
    starts: list[int]
    cc: Optional[str]
    anchor: Optional[_Reading] = None
    anchored: bool = False
    year: Optional[int] = None  # the article's publication year
    theatre: tuple[str, ...] = ()  # (country code, admin1 names) of the article's conflict
    front: tuple[tuple[float, float], ...] = ()  # that conflict's front line, if known
    refused: list[_Refusal] = field(default_factory=list)  # the names set aside, and why
    # (rank, start, end) -> the readings of that span: a sentence is read to group the
    # incidents, again to place one, and again to look for a list of places
    readings: dict[tuple[int, int, int], list["_Reading"]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._told = set(self.refused)  # the refusals kept, to test one in O(1): a list scan made long texts quadratic

    def refuse(self, why: "_Refusal") -> None:
        if why not in self._told:
            self._told.add(why)
            self.refused.append(why)

    def within(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].end <= end:
            out.append(self.mentions[i])
            i += 1
        return out


_VIEWS: dict[tuple[str, int], _View] = {}


def _view(article: Article, gaz: Gazetteer, home_countries: tuple[str, ...] = ()) -> _View:
    # the extractor calls once per sentence, then per incident: cache by article identity
    key = (article.id, hash((article.text, article.title, article.dateline, article.published, home_countries)), id(gaz))
    view = _VIEWS.get(key)
    if view is None:
        if len(_VIEWS) >= _VIEW_MAX:
            _VIEWS.clear()
        mentions, refused = _run_together(article.text, find_mentions(article.text, gaz))
        cc = _vote_country(article, mentions, gaz, home_countries)
        namesakes = _foreign_namesakes(article, mentions, cc, gaz, home_countries)
        if namesakes:
            mentions = [m for m in mentions if m not in namesakes]
            cc = _vote_country(article, mentions, gaz, home_countries)
            refused += [_Refusal((m.start, m.end), "foreign-namesake",
                         f"'{m.surface}' is known only abroad ({m.candidates[0].name}, "
                         f"{gaz.country_name(m.candidates[0].cc)}), a country the text never names, "
                         f"while its other places lie in {gaz.country_name(cc)}") for m in namesakes]
        mentions = _with_capitals(article.text, mentions, gaz, cc)
        theatre = _theatre(article.text, cc, gaz)
        view = _VIEWS[key] = _View(mentions, [m.start for m in mentions], cc,
                                   year=article.published.year if article.published else None,
                                   theatre=(theatre.country, *theatre.regions) if theatre else (),
                                   front=theatre.front if theatre else (), refused=refused)
    return view


def _run_together(text: str, mentions: list[Mention]) -> tuple[list[Mention], list[_Refusal]]:
    """The mentions less the parts of one longer name the gazetteer lacks: two names written
    together with nothing between ("Ayn Laylah", "Sulayman Bak") are one place, not the two
    namesakes (Al Ain, Laila) each word has elsewhere (data/lang/en/places.json, namesakes)."""
    parts: dict[int, str] = {}  # id of a mention -> the longer name it is part of
    for a, b in zip(mentions, mentions[1:]):
        if a.exact and b.exact and _JOINED.fullmatch(text, a.end, b.start) and a.surface[:1].isupper() \
                and b.surface[:1].isupper() and not any(p.kind in ("A1", "PCL") for p in (*a.candidates, *b.candidates)) \
                and not {(p.cc, p.admin1) for p in a.candidates} & {(p.cc, p.admin1) for p in b.candidates}:
            # ... unless both words name places of one region ("Tooz Khurmato": the town twice)
            whole = text[a.start:b.end]
            parts[id(a)] = parts.get(id(a), whole)
            parts[id(b)] = whole
    if not parts:
        return mentions, []
    kept = [m for m in mentions if id(m) not in parts]
    refused = [_Refusal((m.start, m.end), "part-of-longer-name",
                f"'{m.surface}' is one word of '{parts[id(m)]}', a name the gazetteer lacks") for m in mentions if id(m) in parts]
    return kept, refused


_JOINED = re.compile(r"[ \t]")  # one space and nothing else between two names


def _foreign_namesakes(article: Article, mentions: list[Mention], cc: Optional[str], gaz: Gazetteer,
                       home_countries: tuple[str, ...]) -> list[Mention]:
    """Mentions that alone make the story foreign: small towns (under _TOWN) of the voted
    country, which the text never names, while without them the vote goes to another country
    that a place of the text lies in ("a bomb in al-Dabaat, north of Ar Rutba district" is no
    Ethiopian Dabat). An empty list when the vote stands (data/lang/en/places.json, namesakes)."""
    if cc is None or _names_country(article.text + " " + (article.title or ""), None, cc, gaz):
        return []
    own = [m for m in mentions if any(p.cc == cc for p in m.candidates)]
    if not all(m.exact and all(p.kind == "P" and p.population < _TOWN for p in m.candidates if p.cc == cc)
               for m in own):
        return []
    rest = [m for m in mentions if m not in own]
    other = _vote_country(article, rest, gaz, home_countries)
    # ... and that country rests on more than a small town too: a region or a city of it
    if other not in gaz.home_theatre or other == cc or not any(
            p.cc == other and (p.kind in _REGION_KINDS or p.population >= _TOWN)
            for m in rest if m.exact for p in m.candidates):
        return []
    return own


# "the Syrian capital", "Iraq's capital", "the capital" (of the article's country); not when
# the name follows ("the capital Damascus" is the mention of Damascus), nor "the capital (city)
# of X" (a province's), nor in other senses
_CAPITAL = re.compile(
    r"\b(?:[Tt]he\s+(?P<adj>[A-Z][a-z]+)\s+capital|(?P<owner>[A-Z][a-z]+)(?:'s|’s|s)?\s+capital|"
    r"[Tt]he\s+capital)(?!\s+(?:city\s+)?of\b)(?:\s+city)?\b"
    r"(?!\s+(?:[A-Z]|punishment|markets?|gains?|flight|investment))")


def _with_capitals(text: str, mentions: list[Mention], gaz: Gazetteer, cc: Optional[str]) -> list[Mention]:
    """The mentions plus the capitals the text names by their country ("the Syrian capital")."""
    extra, replaced = [], set()
    starts = [m.start for m in mentions]  # in text order, never overlapping (find_mentions)
    for hit in _CAPITAL.finditer(text):
        word = hit.group("adj") or hit.group("owner")
        code = gaz.demonyms.get(word) or gaz.country_code(word) if word else cc
        capital = gaz.capitals.get(code or "")
        towns = [p for p in gaz.by_name(capital) if p.cc == code and p.kind == "P"] if capital else []
        first = bisect_left(starts, hit.start())
        if first and mentions[first - 1].end > hit.start():
            first -= 1  # the mention that starts before the phrase and runs into it
        inside = mentions[first:bisect_left(starts, hit.end())]  # the mentions the phrase overlaps
        # "Iraq's capital": the phrase, not the country word in it, is the place
        if towns and all(any(p.kind == "PCL" for p in m.candidates) for m in inside):
            extra.append(Mention(hit.start(), hit.end(), hit.group(), (max(towns, key=lambda p: p.population),), True))
            replaced.update(id(m) for m in inside)
    if not extra:
        return mentions
    return sorted([m for m in mentions if id(m) not in replaced] + extra, key=lambda m: m.start)


def _theatre(text: str, cc: Optional[str], gaz: Gazetteer) -> Optional[Theatre]:
    """The conflict theatre the article reports from, if a cue names one in its country."""
    for theatre in gaz.theatres:
        if (cc is None or cc == theatre.country) and theatre.cue.search(text):
            return theatre
    return None


def _vote_country(article: Article, body: list[Mention], gaz: Gazetteer,
                  home_countries: tuple[str, ...] = ()) -> Optional[str]:
    w = gaz.weights.vote
    votes: Counter = Counter()
    for text, weight in ((article.dateline or "", w.dateline_weight), (article.title or "", w.title_weight),
                         (article.text, w.body_weight)):
        mentions = body if text is article.text else find_mentions(text, gaz) if text else []
        for m in mentions:
            shares = _country_shares(m, w)
            if not shares:
                continue
            tie = gaz.weights.attachment[_attachment_kind(text[max(0, m.start - 60):m.start],
                                                          bool(_KIND_AFTER.match(text[m.end:m.end + 40])))].vote
            for cc, share in shares.items():
                votes[cc] += weight * tie * share
        for word in _CAPITALISED.findall(text):
            if word in gaz.demonyms:
                votes[gaz.demonyms[word]] += w.demonym_weight * weight
    for cc in _nested_countries(article.text, body):
        votes[cc] += w.nested_vote
    for name in set(home_countries):
        if gaz.country_code(name):
            votes[gaz.country_code(name)] += w.home_vote
    if not votes:
        return None
    cc, top = votes.most_common(1)[0]
    return cc if top >= w.min_top_vote else None


_HAMLET = 5000  # below this population a one-place name votes for its country only weakly
# "Kagara (Rafi LGA, Niger)": a town followed closely by a region that holds it says which
# country is meant, more surely than the region's name alone (Niger the state, not the country)
_NESTED_GAP = 40  # characters between a town and the region named after it


def _nested_countries(text: str, mentions: list[Mention]) -> list[str]:
    """The country of each town the text qualifies by a region named just after it: the
    region that holds the town, or else the region's own country ("Dunda (Uttarakhand)": a
    Tanzanian namesake does not make the story Tanzanian)."""
    out = []
    for i, town in enumerate(mentions):
        if not town.exact:
            continue
        towns = {(p.cc, p.admin1) for p in town.candidates if p.kind == "P" and p.admin1}
        following = [r for r in mentions[i + 1:i + 4] if r.exact and r.start - town.end <= _NESTED_GAP]
        held = [{p.cc for p in r.candidates if p.kind in _REGION_KINDS and (p.cc, p.admin1) in towns}
                for r in following]
        held = [h for h in held if len(h) == 1]
        if held:
            out.append(held[0].pop())
        elif following and _QUALIFIER.fullmatch(text, town.end, following[0].start):
            # a district abroad outweighs only a hamlet ("Mulange (Mulanje, Southern)"), not a
            # town ("Montego Bay, Saint James Parish" is no Louisiana parish)
            hamlet = all(p.population < _HAMLET for p in town.candidates)
            own = {p.cc for p in following[0].candidates if p.kind in ("A1", "PCL") or p.kind == "A2" and hamlet}
            if len(own) == 1:
                out.append(own.pop())
    return out


# what stands between a town and the region that qualifies it: "X (Y", "X, Y", "X (Z LGA, Y"
_QUALIFIER = re.compile(r"\s*(?:\(|,)\s*")


def _country_shares(m: Mention, w: SimpleNamespace) -> dict[str, float]:
    """Split one mention's vote over the countries its candidates lie in.

    Countries and regions vote whole; towns vote by population so that a small homonym
    abroad does not outvote the big city everyone means.
    """
    if not m.exact:
        return {}
    weights: Counter = Counter()
    written, literal = fold_key(m.surface), plain_name(m.surface)
    for p in m.candidates:
        share = w.country_candidate_weight if p.kind == "PCL" else math.sqrt(p.population + 10) * (
            w.region_candidate_factor if p.kind == "A1" else 1.0)
        # a place that only lists the name among its alternates ("Puno" for Pune) is rarely meant
        # ... and one written exactly so ("el Mina") is surer than a spelling variant (Minna)
        share *= 1.0 if plain_name(p.name) == literal else w.variant_share if fold_key(p.name) == written \
            else w.alternate_only_share
        weights[p.cc] = max(weights[p.cc], share)
    total = sum(weights.values())
    if not total:
        return {}
    scale = _vote_scale(m, w)
    return {cc: scale * w / total for cc, w in weights.items()}


def _vote_scale(m: Mention, w: SimpleNamespace) -> float:
    """How much one mention's vote counts: a country or region wholly; a town the more the
    bigger it is; a name known only as a hamlet little, being as often a word or a surname
    ("Massacre", "Assad")."""
    if any(p.kind in ("PCL", "A1") for p in m.candidates):
        return 1.0
    biggest = max(p.population for p in m.candidates)
    if biggest >= _HAMLET or any(p.kind == "A2" for p in m.candidates):
        return min(1.0, math.log10(biggest + 10) / w.scale_log_divisor)
    return w.hamlet_scale


# ----------------------------------------------------------------------------- readings
@dataclass(frozen=True, slots=True)
class _Context:
    """What a sentence says about regions: named regions, and regions of the towns named."""

    regions: frozenset[str]
    towns_admin1: frozenset[str]
    by_mention: tuple[tuple[int, frozenset[str]], ...] = ()  # (mention start, regions it names)
    # how many mentions name each region, overall and per mention start: counted once per
    # sentence, so that a sentence listing n places costs n, not n squared
    counts: Counter = field(default_factory=Counter)
    counts_at: dict[int, Counter] = field(default_factory=dict)

    def regions_besides(self, m: Mention) -> frozenset[str]:
        """The regions the other mentions name: a town's own region homonyms ("Cardenas" is
        also a municipality of Tabasco) say nothing about which town is meant."""
        if not self.by_mention:
            return self.regions
        own = self.counts_at.get(m.start, Counter())
        return frozenset(r for r, n in self.counts.items() if n > own[r])


def _context(mentions: list[Mention], cc: Optional[str]) -> _Context:
    by_mention = tuple((m.start, frozenset(p.admin1 for p in m.candidates if p.kind in _REGION_KINDS
                                           and (cc is None or p.cc == cc)))
                       for m in mentions if m.exact)
    regions = frozenset().union(*(r for _, r in by_mention))
    towns = set()
    for m in mentions:
        ps = [p for p in m.candidates if p.kind == "P" and (cc is None or p.cc == cc)]
        if m.exact and ps and not any(p.kind == "A1" for p in m.candidates):
            # "Baghdad, the Iraqi capital": the capital is Baghdad itself, no other town in it;
            # a town's namesake district ("Ras al-Ain") still says which region it lies in
            towns |= {p.admin1 for p in ps if p.name != p.admin1}
    counts, counts_at = Counter(), {}
    for start, named in by_mention:
        counts.update(named)
        counts_at.setdefault(start, Counter()).update(named)
    return _Context(regions, frozenset(towns), by_mention, counts, counts_at)


def _homonym_outside(best: Optional[_Reading], theatre: tuple[str, ...]) -> bool:
    """A village found only outside the theatre's regions: a homonym, not the frontline village
    (a city is the city: "a WWII commemoration in Odessa" of an article mentioning Donbas)."""
    if best is None or best.place.kind != "P" or best.place.population >= _TOWN:
        return False
    return best.place.cc == theatre[0] and best.place.admin1 not in theatre[1:]


def _span_readings(text: str, view: _View, rank: int, start: int, end: int,
                   gaz: Gazetteer) -> list[_Reading]:
    # the view's refusals are kept once (_View.refuse), so a span read again adds none
    known = view.readings.get((rank, start, end))
    if known is None:
        known = view.readings[(rank, start, end)] = _read_span(text, view, rank, start, end, gaz)
    return list(known)


def _read_span(text: str, view: _View, rank: int, start: int, end: int, gaz: Gazetteer) -> list[_Reading]:
    mentions = view.within(start, end)
    context = _context(mentions, view.cc)
    if view.theatre and not context.regions:
        context = _Context(frozenset(view.theatre[1:]), context.towns_admin1)
    readings = []
    for m in mentions:
        r = _Refusal((m.start, m.end), "told-of-the-past", f"the clause dates '{m.surface}' to a year "
                     "before the article's: a past incident recalled") if _told_of_the_past(text, m, end, view.year) \
            else _read(text, m, rank, view.cc, context, start, gaz, view.front)
        if isinstance(r, _Refusal):
            view.refuse(r)
        else:
            readings.append(r)
    return readings


# "the one the regime committed in eastern Ghouta near Damascus in the summer of 2013"
_YEAR_AFTER = re.compile(r"[^.;]{0,60}?\bin (?:the (?:summer|spring|autumn|fall|winter) of |"
                         r"(?:early|late|mid)[- ]|[A-Z][a-z]+ )?((?:19|20)\d\d)\b")


def _told_of_the_past(text: str, m: Mention, end: int, year: Optional[int]) -> bool:
    """Whether the clause naming the place dates it to a year before the article's: a past
    incident recalled, not where this one happened."""
    hit = _YEAR_AFTER.match(text, m.end, end) if year else None
    return hit is not None and int(hit.group(1)) < year


def _choose(readings: list[_Reading], w: PlaceWeights) -> Optional[_Reading]:
    """The best reading; a later sentence's well-attached town refines a first sentence that
    only placed the incident relative to a city or in a region ("a town east of Deir ez-Zor"
    ... "the town of al-Busira")."""
    if not readings:
        return None
    best = _town_of_region(max(readings, key=lambda r: r.score), readings)
    first = [r for r in readings if r.rank == 0]
    lead = max(first, key=lambda r: r.score) if first else best
    if lead.precision == 1 and lead.place.kind == "P":
        return best
    finer = [r for r in readings if r.rank > 0 and _refines(r, lead, w)]
    return max(finer, key=lambda r: r.score) if finer else best


def _town_of_region(best: _Reading, readings: list[_Reading]) -> _Reading:
    """"Caripe, Monagas state": a region named right after a town it holds only says where
    the town is; the town, not the region, is the place."""
    if best.place.kind not in _REGION_KINDS or best.stated_name or best.bearing is not None:
        return best
    towns = [r for r in readings if r.rank == best.rank and r.place.kind == "P" and r.mention.exact
             and r.precision == 1 and r.place.cc == best.place.cc and r.place.admin1 == best.place.admin1
             and 0 <= best.mention.start - r.mention.end <= 3]
    return towns[-1] if towns else best


def _refines(r: _Reading, lead: _Reading, w: PlaceWeights) -> bool:
    if r.place.kind != "P" or r.precision != 1 or r.attach < w.reading.refine_min_attach or r.place.cc != lead.place.cc:
        return False
    if lead.place.kind == "PCL":
        return True
    same_region = bool(r.place.admin1) and r.place.admin1 == lead.place.admin1
    return same_region or _km(r.place, lead.place) <= w.km.near_km


def _km(a: GazPlace, b: GazPlace) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(b.lon - a.lon) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def _anchor(article: Article, view: _View, gaz: Gazetteer) -> Optional[_Reading]:
    """The article's own place: the best reading of its lead (first sentences) or title,
    else of its dateline (where the reporter was, so only a weak hint)."""
    if view.anchored:
        return view.anchor
    readings = []
    for rank, (start, end) in enumerate(_lead_spans(article.text)):
        readings += _span_readings(article.text, view, rank, start, end, gaz)
    for extra, rank in ((article.title, 0), (article.dateline, _LEAD_SENTENCES)):
        if extra:
            mentions = find_mentions(extra, gaz)
            extra_view = _View(mentions, [m.start for m in mentions], view.cc)
            readings += _span_readings(extra, extra_view, rank, 0, len(extra), gaz)
    # a fallback must rest on a name actually written, not on a consonant-skeleton guess
    # ("7 REGIME LOYALISTS KILLED" is no Ar Riqama)
    view.anchor = _choose([r for r in readings if r.place.kind != "PCL" and r.mention.exact], gaz.weights)
    view.anchored = True
    return view.anchor


def _lead_spans(text: str) -> list[tuple[int, int]]:
    """The first _LEAD_SENTENCES sentences, cut cheaply at sentence punctuation."""
    spans, start = [], 0
    while len(spans) < _LEAD_SENTENCES and start < len(text):
        cut = _FIRST_SENTENCE.search(text, start + 20, start + 400)
        end = cut.start() + 1 if cut else min(len(text), start + 400)
        spans.append((start, end))
        start = cut.end() if cut else end
    return spans


def _anchor_is_better(best: Optional[_Reading], anchor: _Reading) -> bool:
    """No place in the incident's sentences, or only its country, or only the anchor's region."""
    if best is None:
        return True
    if best.place.kind == "PCL":
        return anchor.place.cc == best.place.cc
    if best.place.kind in _REGION_KINDS and anchor.place.kind == "P" and best.bearing is None:
        same = anchor.place.admin1 == best.place.admin1 and anchor.place.cc == best.place.cc
        return same and (best.place.kind == "A1" or anchor.place.admin2 == best.place.admin2)
    return False


def _read(text: str, m: Mention, rank: int, cc: Optional[str], ctx: _Context,
          span_start: int, gaz: Gazetteer, front: tuple[tuple[float, float], ...] = ()
          ) -> Union[_Reading, _Refusal]:
    """The reading of one mention in its sentence, or why it is not a place of the incident."""
    before = text[max(0, m.start - 60):m.start]
    after = text[m.end:m.end + 40]
    kind_after = _KIND_AFTER.match(after)
    # "Shakhta, Donetsk" / "Msallata (Tripoli)": the second name is the first one's region
    appositive = bool(_APPOSITIVE.search(before[-4:])) and not _CUE_BEFORE.search(before)
    word_after = kind_after.group(1).lower() if kind_after else ""
    # "in rural Tall Tamr", "Manbij's western countryside": near the town, not its governorate
    countryside = any(p.search(before) for p in gaz.countryside_before) or any(
        p.match(after) for p in gaz.countryside_after)
    region = not countryside and (appositive or bool(_REGION_BEFORE.search(before))
                                  or word_after in _REGION_WORDS or (
        word_after in _A2_WORDS and any(p.kind == "A2" for p in m.candidates)))
    # "near Albu Kamal in Deir ez-Zor": a name that is the region of another town named
    # (first-level only: a district is mostly named after its own town, "in Belem, Para")
    region = region or any(p.kind == "A1" and p.admin1 in ctx.towns_admin1
                           for p in m.candidates if m.exact)
    # "shelled Dardara in al-Hasakeh": a village the gazetteer lacks, in a governorate that
    # shares its capital's name
    unknown_village = m.exact and any(p.kind == "A1" for p in m.candidates) and \
        _unknown_village_before(before, gaz)
    if _METONYM_AFTER.match(after):
        # "its Damascus ally", "the Damascus government": a government, not a place
        return _Refusal((m.start, m.end), "government-not-place", f"'{m.surface}' names a government here, not a place")
    stated = _paren_admin1(after, gaz)
    comma = _comma_admin1(after, m, gaz)
    regions = ctx.regions_besides(m)
    w = gaz.weights
    place = _pick_candidate(m, cc, regions | stated | comma, region, front, w)
    if place is None:
        return _Refusal((m.start, m.end), "spelling-guess-abroad",
                        f"'{m.surface}' matches only by its consonants, and only outside the article's country")
    if not (region or stated or comma):
        near, town = _qualified(after, m, place, cc, gaz)
        if town is not None:
            # "Sangkum Thmei village, Veal Veaeng district": no village of that name lies near the
            # district named after it, so the district places the village the gazetteer lacks
            attach, _ = _attachment(before, kind_after is not None, w)
            return _Reading(m, town, attach - w.reading.rank_penalty * rank + w.kind_rank["P"], 2, attach, rank,
                            stated_name=True)
        place = near or place
    place = _on_its_town(m, place)
    head = _unplaced_head(text, m, place, cc, gaz)
    # a region named after this one in the parenthesis must hold it ("(Tuban, Lahij)" is not
    # Tuban in Java)
    if head is not None and _outside_next_region(after, place, gaz):
        head = None
    if head is not None and (place.kind in _REGION_KINDS or cc is None or place.cc == cc):
        # "in Yisbal region (As Sawadiyah, Al Bayda)": the parenthesis places a village the
        # gazetteer lacks, so it takes the village's attachment and a district's precision
        attach, _ = _attachment(text[max(0, head - 60):head], True, w)
        score = attach - w.reading.rank_penalty * rank + w.kind_rank["P"] - w.reading.text_order_penalty * (m.start - span_start)
        name = _HEAD_NAME.match(text, head)
        return _Reading(m, place, score, 2, attach, rank, stated_name=True,
                        name=name.group(0).strip(" -") if name else "")
    closing = _closing_region(after, cc, gaz)
    if closing is not None and not region and closing.admin1 not in {p.admin1 for p in m.candidates} \
            and not any(p.kind == "PCL" for p in m.candidates):  # "Yemen (Al Hudaydah)" is the region
        # "near Kamianka, Donetsk": a village the gazetteer lacks, in the region named after it
        attach, precision = _attachment(before, kind_after is not None, w)
        return _Reading(m, closing, attach - w.reading.rank_penalty * rank + w.reading.closing_region_bonus, 2,
                        attach, rank, stated_name=True)
    attach, precision = _attachment(before, kind_after is not None, w)
    if _STREET_AFTER.match(after):
        # "on Murree road in Rawalpindi": a road named after a town; only the town's name
        # when nothing else in the sentence places the incident ("blocked the Halba highway")
        attach = min(attach, w.reading.street_attach_cap)
    if countryside:
        # "in rural Ras al-Ain in al-Hasakeh": the town, near which it happened, not the governorate
        attach, precision = w.reading.countryside_attach, 2
    if region:
        attach, precision = min(attach, w.reading.region_attach_cap), 3 if not (countryside or _NEAR_BEFORE.search(before)) else 2
    if cc and place.cc != cc and attach < w.attachment["near"].weight:
        # a place abroad with nothing tying it to the event ("Moscow said")
        return _Refusal((m.start, m.end), "abroad-unattached",
                        f"'{m.surface}' lies abroad ({gaz.country_name(place.cc)}) and no word ties it to the event")
    if cc and place.cc != cc and place.kind == "P" and not _names_country(text, m, place.cc, gaz) \
            and _names_country(text, None, cc, gaz):
        # "in al-Jadida neighbourhood" of a story from Syria is not the Moroccan town
        return _Refusal((m.start, m.end), "abroad-unnamed-country",
                        f"'{m.surface}' is known only abroad ({place.name}, {gaz.country_name(place.cc)}), "
                        f"a country the text does not name near it, in a story from {gaz.country_name(cc)}")
    score = attach - w.reading.rank_penalty * rank + w.kind_rank.get(place.kind, 0) \
        - w.reading.text_order_penalty * (m.start - span_start)
    score -= 0.0 if m.exact else w.reading.skeleton_penalty
    score -= 0.0 if (cc is None or place.cc == cc) else w.reading.abroad_penalty
    score -= w.reading.inside_name_penalty if _inside_name(before) else 0.0
    # the sentence names a region and this town lies outside it: a homonym, not the place
    # ... unless it is the region's namesake town ("45 killed in Aleppo and 22 in Idlib province")
    named = stated or regions | {p.admin1 for p in m.candidates if m.exact and p.kind == "A1"}
    if place.kind == "P" and named:
        score -= w.reading.outside_named_region_penalty if place.admin1 not in named else 0.0
    off = _offset_before(before)
    if off:
        dist = float(off.group(1)) * (1.609 if off.group(2).lower().startswith("mi") else 1.0)
        bearing = _BEARING[off.group(3).lower().replace("-", "")]
        return _Reading(m, place, score - w.reading.offset_phrase_penalty, 2, attach, rank, dist, bearing, region)
    if place.kind != "P" and not region:
        precision = 3
    if place.kind == "A2":
        precision = 2  # ACLED's convention for an incident placed only by its district
    if unknown_village:
        precision = 3  # the governorate is all the text says; not the capital's own point
    return _Reading(m, place, score, precision, attach, rank, region=region)


# a capitalised name right after a lower-case word and right before "in": "shelled Qabbour in"
_UNKNOWN_IN = re.compile(r"[a-z,]\s((?:[A-Z][\w'’]*[\s-]+(?:(?:al|el|ad|as|an|ash|ar|az|at)[\s-]+)?){1,3})"
                         r"(?:(?:village|town|area|hamlet|farms?)\s+)?in\s+(?:the\s+)?$")


def _unknown_village_before(before: str, gaz: Gazetteer) -> bool:
    hit = _UNKNOWN_IN.search(before)
    if hit is None:
        return False
    name = hit.group(1).strip(" -")
    if name.isupper() or name.split()[0].lower() in gaz.stopwords:
        return False  # "the SDF in Raqqa": an acronym
    return not gaz.by_name(name)


def _names_country(text: str, m: Optional[Mention], cc: str, gaz: Gazetteer) -> bool:
    """Whether the words around a foreign town (or, with no mention, the whole article) name
    the country ("Turkey's Kilis", "the Iraqi city of Mosul"): in an article that says which
    country it reports from, abroad is only where the text says it is."""
    if m is None:  # the whole article, asked for each foreign town: read once per text
        key = (id(text), cc, id(gaz))
        known = _COUNTRY_NAMED.get(key)
        if known is None or known[0] is not text or known[1] is not gaz:
            if len(_COUNTRY_NAMED) >= 8:  # texts are large: keep the last few
                _COUNTRY_NAMED.clear()
            known = _COUNTRY_NAMED[key] = (text, gaz, _says_country(text, cc, gaz))
        return known[2]
    return _says_country(text[max(0, m.start - _FOREIGN_WINDOW):m.end + _FOREIGN_WINDOW], cc, gaz)


_COUNTRY_NAMED: dict[tuple[int, str, int], tuple[str, Gazetteer, bool]] = {}  # by text identity


def _says_country(text: str, cc: str, gaz: Gazetteer) -> bool:
    name = gaz.country_name(cc) or ""
    if name and name.lower() in text.lower():
        return True
    return any(gaz.demonyms.get(word) == cc for word in _CAPITALISED.findall(text))


_METONYM_AFTER = re.compile(r"^(?:'s|’s)?\s*(?:-based\b|(?:ally|allies|government|regime|authorities|officials|"
                            r"administration|leadership|leaders|diplomats|envoy|delegation)\b)", re.I)
# the name a parenthesis qualifies, without its unit word ("Yisbal" of "Yisbal region (...)")
_HEAD_NAME = re.compile(r"(?:[A-Z][\w'’]*[\s-]*(?:(?:al|el|ad|as|an|ash|ar|az|at|de|la)[\s-]+)?)+")
_TOWN = 50_000  # a town this large near the named region is the one meant, whatever its region
_FOREIGN_WINDOW = 150  # characters either side of a foreign town searched for its country
_PAREN_HEAD = re.compile(
    r"((?:[A-Z][\w'’]*[\s-]+(?:(?:al|el|ad|as|an|ash|ar|az|at|de|la)[\s-]+)?){1,4})"
    r"(?:(?:area|region|front|frontline|district|village|town|city|camp|base|sector|mandal|"
    r"subdivision|locality|community|neighbou?rhood|forest|hills?|mountains?)\s+){0,2}"
    r"\((?:[^()]{0,60},\s*)?$")


def _unplaced_head(text: str, m: Mention, place: GazPlace, cc: Optional[str],
                   gaz: Gazetteer) -> Optional[int]:
    """Offset of the name a parenthesis holding this mention qualifies, when the gazetteer
    knows no town of that name in the region the parenthesis names ("Yisbal region (As
    Sawadiyah, Al Bayda)"; "Tudun Wada (Kaduna North LGA, Kaduna)", whose namesake lies in Kano).
    Only the parenthesis' first name that the gazetteer knows places the head: "(Kankara LGA,
    Katsina)" places it by the district, not the state."""
    before = text[max(0, m.start - 140):m.start]
    hit = _PAREN_HEAD.search(before) if "(" in before else None  # the phrase ends in an open bracket
    if hit is None:
        return None
    name = hit.group(1).strip(" -")
    if name.split()[0].lower() in gaz.stopwords or name.isupper():
        return None  # "an ONLF (Ogaden National Liberation Front)": an acronym, not a village
    if any(p.kind == "PCL" for p in gaz.by_name(name)):
        return None  # "in western Yemen (Al Hudaydah)": the region of a country, not a village
    inside = before[before.rindex("(") + 1:]
    finer = inside.split(",")[0].strip() if "," in inside else ""
    if finer and any(p.admin1 == place.admin1 and p.cc == place.cc
                     for p in gaz.by_name(_UNIT_WORD.sub("", finer))):
        return None
    namesakes = [p for p in gaz.by_name(name) if p.kind == "P"]
    towns = [p for p in namesakes if p.cc == place.cc]
    # a namesake inside the named region or close by (sources differ on regions' names and
    # borders) is the town meant; so is a city, whose parenthesis either names a part
    # of it ("Panama City (Bella Vista)") or a region by another source's map ("Msallata
    # (Tripoli)")
    km = gaz.weights.km
    if any(p.admin1 == place.admin1 or _km(p, place) <= km.near_km
           or p.population >= _TOWN and _km(p, place) <= km.town_km for p in towns):
        return None
    # "(Koro, Mopti)": a town whose region the parenthesis names next is its district's seat
    rest = text[m.end:m.end + 80].split(")")[0]
    seat = place.kind in _REGION_KINDS or any(
        p.admin1 == place.admin1 and p.cc == place.cc and p.kind in _REGION_KINDS
        for part in rest.split(",")[1:] for p in gaz.by_name(_UNIT_WORD.sub("", part.strip())))
    if namesakes and (not seat or cc is not None and place.cc != cc and cc in {p.cc for p in namesakes}):
        return None  # a town known elsewhere: the parenthesis names another country's region
    return m.start - len(before) + hit.start(1)


# a name (and its unit word) right before "west of", "near": the place the phrase locates
_NAMED_JUST_BEFORE = re.compile(r"\b[A-Z][\w'’-]+\s+(?:district|front|sector)\s+$")
_BEARING_WORD = re.compile(r"(?:north|south|east|west)", re.I)


def _district_then_bearing(before: str, at: int) -> bool:
    """Whether the phrase at `at` is a bearing ("west of") right after a district's name."""
    return bool(_BEARING_WORD.match(before, at)) and bool(_NAMED_JUST_BEFORE.search(before[:at]))


def _attachment(before: str, kind_after: bool, w: PlaceWeights) -> tuple[float, int]:
    """How firmly the words before the name tie it to the event, and the precision it implies."""
    a = w.attachment[_attachment_kind(before, kind_after)]
    return a.weight, a.precision


@lru_cache(maxsize=4096)  # pure; a mention is read once per span it is read in
def _attachment_kind(before: str, kind_after: bool) -> str:
    """Which words tie the name to the event (data/lang/en/place_weights.json, attachment)."""
    if _offset_before(before):
        return "offset"
    near = _NEAR_BEFORE.search(before)
    if near:
        # "Sirwah district west of Marib city": Marib only says where Sirwah is
        return "near_after_district" if _district_then_bearing(before, near.start()) else "near"
    if _CUE_BEFORE.search(before) or kind_after:
        return "cue"
    if _WEAK_BEFORE.search(before):
        return "weak"
    return "none"


def _inside_name(before: str) -> bool:
    """The toponym continues a capitalised name ("Abu Ibrahim al-Hashimi"): likely a person."""
    tail = re.search(r"([A-Z][\w'’]+)[\s-]+(?:(?:al|el|bin|ibn|abu)[\s-]+)?$", before)
    return bool(tail) and not re.search(r"[.,;:()]\s*[\w'’]*[\s-]*$", before)


def _paren_admin1(after: str, gaz: Gazetteer) -> set[str]:
    """Admin1 names a parenthesis right after the mention gives, e.g. "Qamishli (Hasakah)"."""
    # "Shahpur sector area (Poonch district, J&K)": a few lower-case words may come between
    par = re.match(r"\s*(?:[a-z]+\s+){0,2}\(([^()]{2,60})\)", after)
    out: set[str] = set()
    for part in (par.group(1).split(",") if par else []):
        found = gaz.by_name(_UNIT_WORD.sub("", part.strip()))
        regions = {p.admin1 for p in found if p.kind in _REGION_KINDS}
        out |= regions or {p.admin1 for p in found if p.admin1}
    return out


# "(Poonch district, J&K)": the unit word is not part of the name looked up
_UNIT_WORD = re.compile(r"\s+(?:district|province|governorate|state|county|municipality|LGA|"
                        r"region|oblast|department|division|tehsil|taluka|mandal|sector)$", re.I)
# "in Cuauhtemoc, Ciudad de Mexico": a city this large after a comma is the region of the
# borough before it
_METROPOLIS = 1_000_000
# the name after a comma, with the connectors of Romance and Arabic names ("Ciudad de Mexico")
_COMMA_NAME = re.compile(r"\s*,\s*([A-Z][\w'’]+(?:[\s-]+(?:(?:de|del|la|do|da|al|el|ad|as|ash|"
                         r"ar|az)[\s-]+)*[A-Z][\w'’]+){0,3})")
_CLOSING_NAME = re.compile(r"\s*[,(]\s*((?:[A-Z][\w'’]+[\s-]?){1,3}?)\s*(?:region|oblast|province|"
                           r"governorate|state)?\s*(?:[.;),]|$)")


def _closing_region(after: str, cc: Optional[str], gaz: Gazetteer) -> Optional[GazPlace]:
    """The region named right after a toponym and closing the clause ("X, Donetsk.")."""
    hit = _CLOSING_NAME.match(after)
    if not hit or cc is None or _LIST_GOES_ON.match(after, hit.end()) or _NEXT_IN_LIST.match(after, hit.end()):
        return None  # "in Kabul, Ghor, Laghman and Balkh provinces": a list, not a region
    regions = [p for p in gaz.by_name(hit.group(1).strip()) if p.kind in _REGION_KINDS
               and p.cc == cc]
    return regions[0] if regions else None



# "X, Y" / "X (Y" / "X village, Y district": the name right after a toponym that qualifies it
_QUALIFIER_NAME = re.compile(
    r"\s*(?:(?:town|village|city|area|neighbou?rhood|suburb|community|barangay|district|municipality|"
    r"township|tehsil|LGA)\b)?\s*[,(]\s*"
    r"(?:the\s+)?([A-Z][\w'’]+(?:[\s-]+(?:(?:de|del|la|do|da|al|el|ad|as|ash|ar|az)[\s-]+)*[A-Z][\w'’]+){0,3})")


_LIST_GOES_ON = re.compile(r"\s*(?:[a-z]+\s+)?(?:,\s*)?(?:and|or)\b")
_NEXT_IN_LIST = re.compile(r"(?<=,)\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*\s*(?:,|and\b|or\b)")


def _qualified(after: str, m: Mention, place: GazPlace, cc: Optional[str], gaz: Gazetteer
               ) -> tuple[Optional[GazPlace], Optional[GazPlace]]:
    """What a town or district named right after the mention says of it: (the mention's
    candidate near that town, or None; that town when no candidate lies near it and the
    mention is a village the gazetteer lacks, or None). "Ermita, Manila" is the Ermita in
    Manila; "Sangkum Thmei village, Veal Veaeng district" is a village of Veal Veaeng."""
    hit = _QUALIFIER_NAME.match(after)
    if hit is None or place.kind not in ("P", "A2"):
        return None, None
    country = cc or place.cc
    name = _UNIT_WORD.sub("", hit.group(1).strip())
    if fold_key(name) == fold_key(m.surface):
        return None, None  # "Aurangabad city (Aurangabad, ...)": the town's own district
    named = [p for p in gaz.by_name(name) if p.cc == country]
    towns = [p for p in named if p.kind in ("P", "A2") and not p.coarse]
    if not towns or any(p.kind == "A1" for p in named):
        return None, None  # a region after the town is read by the region rules
    rest = after[hit.end():]
    if _LIST_GOES_ON.match(rest):
        return None, None  # "Mori, Ash Shawati, and Nawjid camps": a list, not a qualifier
    then = _QUALIFIER_NAME.match(rest)
    if then:
        # "Los Cedros community, El Tambo municipality, Cauca department": the region says which
        regions = {p.admin1 for p in gaz.by_name(_UNIT_WORD.sub("", then.group(1).strip()))
                   if p.cc == country and p.kind == "A1"}
        towns = [t for t in towns if t.admin1 in regions]
        if not towns:
            return None, None
    pairs = [(_km(c, t), c, t) for c in m.candidates if c.kind in ("P", "A2") for t in towns]
    dist, near, town = min(pairs, key=lambda x: x[0])
    km = gaz.weights.km
    if dist <= km.near_km or near.admin2 and near.admin2 in (town.admin2, town.name):
        return near, None
    if dist <= km.town_km or any(c.cc == t.cc and c.admin1 == t.admin1 for c in m.candidates for t in towns):
        return None, None  # a town of the same region, or not far: sources draw them differently
    small = not m.exact or all(c.population < _TOWN for c in m.candidates)
    return None, (max(towns, key=lambda t: t.population) if small else None)


def _outside_next_region(after: str, place: GazPlace, gaz: Gazetteer) -> bool:
    """Whether the region named after a comma ("Tuban, Lahij") does not hold the place."""
    hit = _COMMA_NAME.match(after)
    if not hit:
        return False
    regions = {p.admin1 for p in gaz.by_name(hit.group(1).strip()) if p.kind in _REGION_KINDS}
    return bool(regions) and place.admin1 not in regions


def _comma_admin1(after: str, m: Mention, gaz: Gazetteer) -> set[str]:
    """"Shakhta Trudovskaya, Donetsk": a region after a comma that holds one of the candidates."""
    hit = _COMMA_NAME.match(after)
    if not hit:
        return set()
    regions = {p.admin1 for p in gaz.by_name(hit.group(1).strip()) if p.kind in _REGION_KINDS
               or p.kind == "P" and p.population >= _METROPOLIS}
    return regions & {p.admin1 for p in m.candidates}


def _pick_candidate(m: Mention, cc: Optional[str], context: set[str], region: bool,
                    front: tuple[tuple[float, float], ...], w: PlaceWeights) -> Optional[GazPlace]:
    c = w.candidate
    kind_bonus = {"A1": c.A1_as_region if region else c.A1_not_region,
                  "A2": c.A2_as_region if region else c.A2_not_region, "PCL": c.PCL}

    def score(p: GazPlace) -> float:
        s = math.log10(p.population + 10) * c.population_log_factor
        if front and p.kind == "P":
            s += c.front_bonus * max(0.0, 1.0 - _front_km(p, front) / w.km.front_km)  # the nearer the line
        s += c.country_bonus if cc and p.cc == cc else 0.0
        s += c.region_context_bonus if _admin_match(p.admin1, context) else 0.0
        s += kind_bonus.get(p.kind, 0.0)
        # the place so named beats one that only lists the name among its alternates
        s += c.own_name_bonus if fold_key(p.name) == written else 0.0
        return s

    written = fold_key(m.surface)

    pool = list(m.candidates)
    if not m.exact:
        # a consonant-skeleton match is only trusted inside the article's country
        pool = [p for p in pool if cc and p.cc == cc]
    return max(pool, key=score) if pool else None


def _on_its_town(m: Mention, place: GazPlace) -> GazPlace:
    """A district named like a town of its region sits on that town, its seat ("east of Ar Rutba
    district" is near the town of Ar Rutba, not where a source put the district's point); ACLED
    codes it there at geo_precision 2 (data/lang/en/places.json, namesakes)."""
    if place.kind != "A2" or not m.exact:
        return place
    towns = [c for c in m.candidates if c.kind == "P" and c.cc == place.cc and c.admin1 == place.admin1]
    if not towns:
        return place
    town = max(towns, key=lambda c: c.population)
    return replace(place, id=town.id, lat=town.lat, lon=town.lon)


def _front_km(p: GazPlace, front: tuple[tuple[float, float], ...]) -> float:
    """Distance from a place to a front line given as a polyline (flat-earth, fine at 20 km)."""
    ky, kx = 111.2, 111.2 * math.cos(math.radians(p.lat))
    best = math.inf
    for (a_lat, a_lon), (b_lat, b_lon) in zip(front, front[1:]):
        ax, ay, bx, by = a_lon * kx, a_lat * ky, b_lon * kx, b_lat * ky
        px, py = p.lon * kx, p.lat * ky
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def _admin_match(admin1: str, context: set[str]) -> bool:
    return bool(admin1) and admin1 in context


# ----------------------------------------------------------------------------- output
def _to_place(r: _Reading, gaz: Gazetteer, fallback: bool = False) -> Place:
    p = r.place
    if p.kind == "PCL":
        # only the country is known: no capital, no centroid standing in for the place
        return Place(location=None, country=gaz.country_name(p.cc), geo_precision=3,
                     gazetteer_id=p.id, surface=r.mention.surface)
    lat, lon = p.lat, p.lon
    if r.bearing is not None and r.offset_km:
        lat, lon = _move(lat, lon, r.offset_km, r.bearing)
    location = r.name or r.mention.surface if r.stated_name else (
        p.name if p.kind in ("P", "A2") else _region_location(p, gaz))
    return Place(location=location,
                 country=gaz.country_name(p.cc), admin1=p.admin1 or None,
                 admin2=p.admin2 or None, latitude=round(lat, 4), longitude=round(lon, 4),
                 # a district placed on its region's main town says no more than the region
                 geo_precision=3 if fallback or p.coarse else max(r.precision, 2) if p.seated
                 else r.precision, gazetteer_id=p.id,
                 surface=r.mention.surface)


def _region_location(p: GazPlace, gaz: Gazetteer) -> str:
    return p.admin1 or p.name


def _move(lat: float, lon: float, km: float, bearing: int) -> tuple[float, float]:
    """The point km kilometres from (lat, lon) towards a compass bearing."""
    d = km / 6371.0
    b, p1, l1 = math.radians(bearing), math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)
