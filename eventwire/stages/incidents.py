"""Incidents stage: pick the sentences that report one incident and group them per incident.

A sentence is a candidate when the event lexicon signals violence, protest or a strategic
development and no cue marks it as something else (an aggregate statistic, a war-wide total,
a threat or plan, a habitual or trend statement, a running total told past the lead, an
earlier incident recalled for context). A sentence that turns to an earlier incident ("comes two
weeks after IS killed 270 ...") is cut to the part that tells its own. Candidates are then
grouped: a sentence with its own date opens or joins the incident of that date; an undated
sentence joins the incident just told (a follow-up sentence about the same attack), or the next
dated incident it introduces, unless the two name different places or kinds of event. In a
dated article, an incident placed only by its month is recalled history and is dropped.

An incident is its kind, its place and its day: a sentence joins one only when none of these
contradicts it. Every sentence left out says why (a Dropped with one of doc.LEFT_OUT's reasons:
background, aggregate, threat-or-plan, other-incident, recalled-incident). The figures, claims
and dates of a sentence are read by the counts and dates components and kept on the Doc; this
module reads them through SentenceFacts and never calls those stages itself.
"""
from __future__ import annotations

import dataclasses

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..records import Article
from .annotate import Sentence
from .counts import Claim, Counts
from .dates import DateMention, incident_date
from .event_lexicon import case_free, literal_lead, lowered

_FOLLOW_UP_WINDOW = 3  # sentences: how far a follow-up sentence may sit from its incident
_LOOSE_WINDOW = 8  # ... when it names neither day nor place ("A car-bomb exploded at the roundabout")
_OLD_BACKGROUND_DAYS = 400  # a dated incident older than this is history, not news
LEAD_SENTENCES = 2  # headline and lead: a running total told there is the report's subject
TALLY = "tally"  # family of a sentence that only states, denies or confirms the toll of the incident before it
_CUE_KINDS = ("furniture", "aggregate", "war_total", "aggregate_count", "threat", "habitual", "period", "running_total",
              "recalled")
_CUT_KINDS = ("widget", "comes_after", "days_after")  # cues that cut a sentence down rather than drop it


@dataclass(frozen=True)
class IncidentCues:
    """Compiled non-event cue patterns (see data/incident_cues.json)."""

    patterns: dict[str, tuple[re.Pattern, ...]]
    # from lang/en/incidents.json: what makes a bare plural event noun one told act, and the
    # wordings that give a toll without telling it as the incident's act (the fatality guard)
    told_act: Optional[re.Pattern] = None
    untold_toll: tuple[tuple[str, re.Pattern], ...] = ()
    # a sentence pointing back at the incident just told: "that attack", "the massacre", "which killed"
    anaphor: Optional[re.Pattern] = None
    # each cue kind's patterns joined into one (see _any_of), for the original and the
    # lower-cased sentence; derived from `patterns`
    _joined: dict[str, tuple[Optional[re.Pattern], Optional[re.Pattern]]] = field(
        init=False, repr=False, compare=False, default_factory=dict)
    # each joined cue kind's and each cutting pattern's literal_lead (None: none), derived too
    _leads: dict[object, Optional[re.Pattern]] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._joined.update({kind: _any_of(self.patterns.get(kind, ())) for kind in _CUE_KINDS})
        self._leads.update({kind: literal_lead(j) for kind, (j, _) in self._joined.items() if j is not None})
        self._leads.update({p: literal_lead(p) for kind in _CUT_KINDS for p in self.patterns.get(kind, ())})

    def first(self, kind: str, text: str, pos: int, lower: Optional[str]) -> Optional[re.Match]:
        """The earliest match at or after pos of the cutting patterns of a kind (widget,
        comes_after, days_after); `lower` is lowered(text)."""
        found = []
        for p in self.patterns[kind]:
            lead = self._leads.get(p) if lower is not None else None
            at = pos
            if lead is not None:
                hit = lead.search(lower, pos)
                if hit is None:
                    continue
                at = hit.start()
            m = p.search(text, at)
            if m is not None:
                found.append(m)
        return min(found, key=lambda m: m.start()) if found else None

    def matches(self, sentence: str) -> dict[str, int]:
        """Each cue kind found in the sentence, with the offset where it first occurs."""
        found: dict[str, int] = {}
        lower = lowered(sentence)
        leads = self._leads
        for kind in _CUE_KINDS:
            joined, joined_lower = self._joined[kind]
            pos = 0
            lead = leads.get(kind) if lower is not None else None
            if lead is not None:  # no match starts before the first of its literal prefixes
                at = lead.search(lower)
                if at is None:
                    continue
                pos = at.start()
            if joined_lower is not None and lower is not None:
                m = joined_lower.search(lower, pos)
            elif joined is not None:
                m = joined.search(sentence, pos)
            else:
                starts = [m.start() for p in self.patterns[kind] for m in [p.search(sentence)] if m]
                if starts:
                    found[kind] = min(starts)
                continue
            if m is not None:
                found[kind] = m.start()
        return found


_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # back-references shift when patterns are joined


def _any_of(patterns: tuple[re.Pattern, ...]) -> tuple[Optional[re.Pattern], Optional[re.Pattern]]:
    """The patterns as one alternation, whose search starts where the earliest of theirs does
    (at each offset the engine tries them in turn): one scan of the sentence instead of one
    per pattern. Also that alternation without re.I, for the lower-cased sentence, when no
    pattern needs an upper-case letter. (None, None) when they cannot be joined."""
    sources = [p.pattern for p in patterns]
    if not sources or any(not isinstance(x, str) or _UNJOINABLE.search(x) for x in sources) \
            or any(p.flags != patterns[0].flags for p in patterns) or not patterns[0].flags & re.I:
        return None, None
    try:
        joined = re.compile("|".join(f"(?:{x})" for x in sources), patterns[0].flags)
        return joined, case_free(joined)
    except re.error:  # an inline flag or the like that only one pattern may carry
        return None, None


def compile_incident_cues(raw: dict, kill_act: str, pack: Optional[dict] = None) -> IncidentCues:
    """Compile the incident cues (the parsed data/incident_cues.json and lang/en/incidents.json;
    resources.load_incident_cues reads them), with the counts stage's kill verbs in their act
    form (`kill_act`, one alternation)."""
    pack = pack or {"told_act_verbs": [], "untold_toll": []}
    # "airstrikes by the air force hit a compound": the pack's verbs and every kill verb's act form
    told_act = re.compile(r"[^.;]{0,50}?\b(?:" + "".join(e["verb"] + "|" for e in pack["told_act_verbs"]
                                                     if e["verb"] and "(" not in e["verb"])
                          + kill_act + r")\b", re.I)
    anaphor = re.compile(r"\b(?:that|this|the same|the|said) (?:attack|massacre|bombing|strike|raid|assault|ambush|"
                         r"incident|explosion|blast|offensive|shelling)\b|^\W*(?:it|they) (?:" + kill_act
                         + r"|left)\b", re.I)
    return IncidentCues({k: tuple(re.compile(p, re.I) for p in raw.get(k, [])) for k in _CUE_KINDS + _CUT_KINDS},
                        told_act, tuple((e["kind"], re.compile(e["pattern"])) for e in pack["untold_toll"]), anaphor)


@dataclass(frozen=True, slots=True)
class Mention:
    """One candidate sentence with what it says about its incident."""

    sentence: Sentence
    signal: float
    date: Optional[DateMention]
    counts: Counts
    family: str  # coarse event family, used to keep unlike mentions apart
    claims: tuple[Claim, ...] = ()  # the tolls it tells, each with who says it and how


@dataclass
class Incident:
    """Mentions of one incident within one article, the first being the defining one."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def date(self) -> Optional[DateMention]:
        dated = [m.date for m in self.mentions if m.date is not None]
        return dated[0] if dated else None

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(m.sentence.start, m.sentence.end) for m in self.mentions]

    @property
    def last_index(self) -> int:
        return max(m.sentence.index for m in self.mentions)


@dataclass(frozen=True, slots=True)
class SentenceReading:
    """What the event lexicon makes of one sentence."""

    signal: float  # how strongly it reads as an incident report
    family: str  # coarse event family of its best type ("battle", "protest", "sd:Arrests"...)
    trigger: str  # the words that triggered the type ("" when none)
    trigger_start: int = -1  # offset of the trigger in the sentence


@dataclass(frozen=True)
class SentenceFacts:
    """What the counts and dates components tell of a text (kept on the Doc), as segmentation reads it."""

    figures: Callable[[str], Counts]  # the deaths, injuries and arrests it reports
    claims: Callable[[str], tuple[Claim, ...]]  # the tolls it tells, each with its speaker and stance
    tally: Callable[[str], Optional[int]]  # the toll of a sentence that only states one ("4 fatalities.")
    dates: Callable[[str, int], list[DateMention]]  # its date expressions (text, offset), against `day`
    day: Optional[object]  # the report's day: its dateline's, else its publication's


Probe = Callable[[str], SentenceReading]
PlaceKey = Callable[[Sentence], Optional[tuple[float, float]]]
SidesKey = Callable[[Sentence], frozenset]  # the armed actors a sentence names (ACLED names)


def _no_sides(sentence: Sentence) -> frozenset:
    return frozenset()


@dataclass(frozen=True)
class Keys:
    """What tells two incidents apart besides kind and day: a sentence's place and the armed
    actors it names."""

    place: PlaceKey
    sides: SidesKey = _no_sides
Drop = Callable[[tuple[int, int], str, str, str], None]  # (span, code, detail, reason): why a sentence is no incident
# what each reason code means, for the Dropped record an analyst reads (eventwire explain)
WHY = {
    "heading": "a title or section heading, not a sentence",
    "no-event-signal": "no event word strong enough to report an incident",
    "furniture": "page furniture (a caption, a share line, a widget)",
    "aggregate": "an aggregate over many incidents or a period, not one incident",
    "war_total": "a war-wide total",
    "threat": "a threat, plan or warning, not an act done",
    "habitual": "a habitual or trend statement, not one incident",
    "history": "an earlier incident recalled for context",
    "continues-excluded": "goes on about the aggregate or earlier incident told just before",
    "tally-without-incident": "a toll with no incident just before it",
    "recalled-month": "an incident placed only by its month in an article that dates its news to the day: recalled history",
    "commentary": "undated, past the lead and without figures in an article that dates its incidents: commentary",
    "earlier-incident": "an earlier incident the sentence recalls for context: its toll and place are not this incident's",
}
# the segmentation model's reason (doc.LEFT_OUT) for each code
REASON = {"heading": "background", "no-event-signal": "background", "furniture": "background",
          "aggregate": "aggregate", "war_total": "aggregate", "habitual": "aggregate", "threat": "threat-or-plan",
          "history": "recalled-incident", "recalled-month": "recalled-incident", "commentary": "background",
          "tally-without-incident": "background", "earlier-incident": "other-incident"}


def _no_drop(span: tuple[int, int], code: str, detail: str, reason: str) -> None:
    return None
# bare plural event nouns: "conduct attacks", "facing continued airstrikes" speak of many incidents
_GENERIC_PLURAL = re.compile(r"^(?:attacks|air ?strikes|strikes|operations|ambushes|bombings|raids|assaults|"
                             r"killings|executions|bombardments|offensives|hit-and-run attacks)$", re.I)
_HEADING_MAX_WORDS = 12


def untold_toll(text: str, cues: IncidentCues) -> Optional[str]:
    """The kind of wording ("allegation") by which a sentence gives a toll
    that it does not tell as the reported incident's act, else None."""
    return next((kind for kind, pattern in cues.untold_toll if pattern.search(text)), None)


def toll_statement(incident: Incident, toll: int, cues: IncidentCues) -> Optional[Mention]:
    """The mention that states `toll` as this incident's own: it gives that very figure, tells
    the killing as the act (no allegation: lang/en/incidents.json untold_toll), and
    dates it, by its own day or by standing in the headline and lead, which tell the news of
    the report's day. None when no sentence does: a toll met deep in a report with no day of
    its own is background (a timeline, a recalled massacre), not this incident's count."""
    for m in incident.mentions:
        if m.counts.fatalities != toll or untold_toll(m.sentence.text, cues):
            continue
        if m.sentence.index < LEAD_SENTENCES or (m.date is not None and m.date.precision == 1):
            return m
    return None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", "”", '"'))


def find_incidents(article: Article, sentences: list[Sentence], probe: Probe, place_of: PlaceKey, cues: IncidentCues,
                   facts: SentenceFacts, threshold: float, drop: Drop = _no_drop,
                   sides_of: SidesKey = _no_sides) -> list[Incident]:
    """Group an article's incident sentences into incidents, in order of first mention;
    `drop` hears why each other sentence is none; `sides_of` names a sentence's armed actors."""
    keys = Keys(place_of, sides_of)
    if facts.day != article.published:  # the report counts its days from its dateline's day
        article = dataclasses.replace(article, published=facts.day)
    mentions = _collect_mentions(article, sentences, probe, cues, facts, threshold, drop)
    incidents: list[Incident] = []
    # the dated incidents by day: an incident's date is that of the mention that opened it, so
    # a dated mention looks at its own day's incidents only, not at every incident of the text
    by_day: dict[object, list[Incident]] = {}
    pending: list[Mention] = []  # undated mentions waiting for an incident to introduce
    for mention in mentions:
        if mention.date is not None:
            target = _same_day_incident(by_day.get(mention.date.date, []), mention, keys)
            if target is None:
                target = Incident()
                incidents.append(target)
                by_day.setdefault(mention.date.date, []).append(target)
            if not _recalled(mention.date, article):
                target.mentions.extend(_claim_pending(pending, mention, keys))
            target.mentions.append(mention)
            continue
        if mention.family == TALLY:
            owner = _incident_of(incidents, pending, mention.sentence.index)
            if owner is not None:
                owner.mentions.append(mention)
            else:
                _tell(drop, mention.sentence, "tally-without-incident")
            continue
        previous = incidents[-1] if incidents else None
        if previous and _follows(previous, mention, keys):
            previous.mentions.append(mention)
        else:
            pending.append(mention)
    _place_undated(pending, incidents, article, keys)  # undated mentions nobody claimed
    incidents = _merge_retold(_drop_commentary(_drop_background(incidents, article, drop), drop), keys)
    return sorted(incidents, key=lambda inc: min(m.sentence.index for m in inc.mentions))


_RETOLD_TOLL = 10  # a toll this large, told twice in one report of one kind and place, is one incident's


def _toll(incident: Incident) -> Optional[int]:
    tolls = [m.counts.fatalities for m in incident.mentions if m.counts.fatalities is not None and not m.counts.vague]
    return max(tolls) if tolls else None


def _merge_retold(incidents: list[Incident], keys: Keys) -> list[Incident]:
    """One incident told twice in a report (the lead, and again in a caption, a tag line or a
    later paragraph) with the same toll, kind, place and sides is one incident, though the two
    tellings date it differently: it takes the earlier day, since news is told on or after the
    day it happens ("Date of publication 14 October ... 20 were killed" and "... on Thursday")."""
    kept: list[Incident] = []
    for inc in incidents:
        toll = _toll(inc)
        twin = None if toll is None or toll < _RETOLD_TOLL else next(
            (k for k in kept if _toll(k) == toll and all(_compatible(k, m, keys) for m in inc.mentions)), None)
        if twin is None:
            kept.append(inc)
            continue
        mentions = sorted(twin.mentions + inc.mentions, key=lambda m: m.sentence.index)
        dated = [m for m in mentions if m.date is not None and m.date.date is not None and m.counts.fatalities == toll]
        if dated:  # the telling that states the toll on the earlier day defines the incident
            first = min(dated, key=lambda m: (m.date.date, m.sentence.index))
            mentions.remove(first)
            mentions.insert(0, first)
        twin.mentions[:] = mentions
    return kept


def _tell(drop: Drop, sentence: Sentence, code: str, reason: Optional[str] = None) -> None:
    drop((sentence.start, sentence.end), code, WHY[code], reason or REASON[code])


def _collect_mentions(article: Article, sentences: list[Sentence], probe: Probe, cues: IncidentCues,
                      facts: SentenceFacts, threshold: float, drop: Drop) -> list[Mention]:
    """The article's incident mentions, tallies included, in text order."""
    mentions: list[Mention] = []
    after_excluded = False  # the sentence before was an aggregate or an old incident
    for s in sentences:
        own = _own_part(article, s, cues, facts)
        if own.end < s.end:  # its tail recalls an earlier incident, whose toll and place are not its own
            drop((own.end, s.end), "earlier-incident", WHY["earlier-incident"], REASON["earlier-incident"])
        mention, cue = _mention(article, own, probe, cues, facts, threshold)
        if mention is None and cue is None and mentions and s.index - mentions[-1].sentence.index <= 2:
            toll = facts.tally(s.text)  # "4 fatalities." closing the report of the incident just told
            # ... or a denial of its toll ("The army denied any casualties.")
            said = tuple(c for c in facts.claims(s.text) if c.stance == "denied")
            if toll is not None or said:
                mention = Mention(s, 1.0, None, Counts(fatalities=toll), TALLY, said)
        # an undated sentence that goes on about an aggregate ("... and the killing of 10. Others
        # ...") or about an old incident ("that attack, which killed 1,429") belongs with it
        continues = after_excluded and mention is not None and mention.date is None and (
            cue is None and (cues.anaphor.search(s.text) or not _ends_sentence(s.text) or after_excluded == "aggregate"))
        if mention is not None and not continues:
            mentions.append(mention)
        elif mention is not None:
            _tell(drop, s, "continues-excluded", "recalled-incident" if after_excluded == "history" else "aggregate")
        else:
            _tell(drop, s, cue or ("heading" if _is_heading(own.text) else "no-event-signal"))
        if cue in ("aggregate", "war_total", "history"):
            after_excluded = "history" if cue == "history" else "aggregate"
        elif not (after_excluded and (mention is None or continues) and cue is None and not _ends_sentence(s.text)):
            after_excluded = "history" if continues and after_excluded == "history" else False
    return mentions


def _own_part(article: Article, sentence: Sentence, cues: IncidentCues, facts: SentenceFacts) -> Sentence:
    """The part of a sentence that tells its own incident: without the page widget it may open
    with ("Get short URL 0 55 At least nine ...") and without an earlier incident it recalls for
    context ("The assault comes two weeks after IS killed 270 guards in Homs"), whose toll and
    place are not this incident's."""
    text = sentence.text
    lower = lowered(text)
    start, end = 0, len(text)
    widget = cues.first("widget", text, 0, lower)
    if widget is not None:
        start = widget.end()
    turn = cues.first("comes_after", text, start, lower)
    if turn is not None and turn.start() > start:
        # "Friday's attack came after a car bomb killed 100 on Tuesday": the subject is an
        # incident told already; a recalled incident with its own day is the news of the sentence
        if _has_own_day(text[turn.start():], facts):
            start = turn.start()
        elif article.published is not None:  # undated, the recalled incident has no "today" to blur
            end = turn.start()
    else:
        turn = cues.first("days_after", text, start, lower)
        if turn is not None and turn.start() > start and facts.figures(text[turn.start():]).fatalities is not None:
            end = turn.start()
    if (start, end) == (0, len(text)):
        return sentence
    return Sentence(sentence.index, sentence.start + start, sentence.start + end, text[start:end], sentence.paragraph)


def _has_own_day(text: str, facts: SentenceFacts) -> bool:
    own = incident_date(facts.dates(text, 0))
    return own is not None and own.precision == 1


def _recalled(date: Optional[DateMention], article: Article) -> bool:
    """An incident a dated article places only by its month is recalled history, which takes
    in none of the undated sentences around it (they tell the day's news)."""
    return article.published is not None and date is not None and date.precision >= 3


def _drop_background(incidents: list[Incident], article: Article, drop: Drop) -> list[Incident]:
    """In a dated article that tells news to the day, an incident placed only by its month ("In
    May, barrel bombs killed 60 in the town", "last month's bombings") is an earlier incident
    recalled for context: it was news when it happened, and coding it again would duplicate it."""
    if not any(inc.date is None or inc.date.precision <= 2 for inc in incidents):
        return incidents
    return _keep(incidents, lambda inc: not _recalled(inc.date, article), drop, "recalled-month")


def _keep(incidents: list[Incident], keep: Callable[[Incident], bool], drop: Drop, code: str) -> list[Incident]:
    """The incidents `keep` accepts; each of the others' sentences is told to `drop` with `code`."""
    kept = []
    for inc in incidents:
        if keep(inc):
            kept.append(inc)
        else:
            for m in inc.mentions:
                _tell(drop, m.sentence, code)
    return kept


def _drop_commentary(incidents: list[Incident], drop: Drop) -> list[Incident]:
    """In an article that dates its incidents, an undated "incident" past the lead that gives
    no figure is commentary ("hospitals are overflowing", "leaders stressed the ceasefire")."""
    if not any(inc.date is not None for inc in incidents):
        return incidents
    return _keep(incidents, lambda inc: inc.date is not None or _has_figures(inc)
                 or min(m.sentence.index for m in inc.mentions) <= 1, drop, "commentary")


def _has_figures(incident: Incident) -> bool:
    return any(m.counts.fatalities is not None or m.counts.injuries is not None or m.counts.arrests is not None
               for m in incident.mentions)


def _mention(article: Article, sentence: Sentence, probe: Probe, cues: IncidentCues, facts: SentenceFacts,
             threshold: float) -> tuple[Optional[Mention], Optional[str]]:
    """The sentence as an incident mention (or None), and the non-event cue it carries."""
    if _is_heading(sentence.text):
        return None, None
    reading = probe(sentence.text)
    if reading.signal < threshold:
        return None, None
    counts = facts.figures(sentence.text)
    found = cues.matches(sentence.text)
    if "furniture" in found:
        return None, "furniture"
    for kind in ("aggregate", "war_total"):
        if kind in found:
            return None, kind
    dates = facts.dates(sentence.text, sentence.start)
    own = incident_date(dates)
    has_day = own is not None and own.precision == 1
    if "aggregate_count" in found and not has_day:
        return None, "aggregate"
    if "running_total" in found and not has_day and sentence.index >= LEAD_SENTENCES:
        return None, "aggregate"  # past the lead, "killed since Saturday" is background to the news
    if "recalled" in found and not has_day:
        return None, "history"  # "an earlier attack on the field left 270 dead"
    has_figures = counts.fatalities is not None or counts.arrests is not None
    claims = facts.claims(sentence.text)
    if counts.fatalities and any(c.stance == "denied" for c in claims):
        # "IS said it killed 30 soldiers, but the army denied any losses": a denied toll is no
        # figure of the incident; it counts 0 unless someone confirms a toll (counts.settle_deaths).
        counts = dataclasses.replace(counts, fatalities=None)
    cue = _scoped_cue(found, reading.trigger_start, own is not None)
    if cue is not None and not has_figures:
        return None, cue
    if own is None and not has_figures and counts.injuries is None and _GENERIC_PLURAL.match(reading.trigger.strip()) \
            and not cues.told_act.match(sentence.text, reading.trigger_start + len(reading.trigger)):
        return None, "habitual"
    if own is None and any(d.precision >= 4 for d in dates):
        return None, "history"  # "in 2014": history, not news
    if own is not None and own.date and article.published and \
            (article.published - own.date).days > _OLD_BACKGROUND_DAYS:
        return None, "history"
    return Mention(sentence, reading.signal, own, counts, reading.family, claims), None


def _scoped_cue(found: dict[str, int], trigger_start: int, dated: bool) -> Optional[str]:
    """A threat or habitual cue that governs the event word: "threatened to launch attacks"
    (the attacks fall after the cue) but not "protested, warning that ..."."""
    if "threat" in found and found["threat"] <= trigger_start:
        return "threat"
    if "habitual" in found and (found["habitual"] <= trigger_start or not dated):
        return "habitual"
    if "period" in found and found["period"] <= trigger_start:
        return "aggregate"  # "a rise in recent months of ambushes": many incidents over a period
    return None


def _is_heading(text: str) -> bool:
    """A title or section heading: short, without sentence punctuation, and in title case or
    capitals ("Mercenary attacks", "7 REGIME LOYALISTS KILLED"); a wire snippet cut before its
    full stop is written in sentence case and stays a sentence."""
    if text.rstrip().endswith((".", "!", "?", "”", '"', ":", ")")):
        return False
    words = text.split()
    if len(words) > _HEADING_MAX_WORDS:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return len(words) <= 3 or capitalised / len(words) >= 0.6


def _incident_of(incidents: list[Incident], pending: list[Mention], index: int) -> Optional[Incident]:
    """The incident whose last mention sits just before sentence `index` (pending ones promoted)."""
    for m in reversed(pending):
        if index - m.sentence.index <= 2:
            pending.remove(m)
            incident = Incident([m])
            incidents.append(incident)
            return incident
    for incident in reversed(incidents):
        if 0 < index - incident.last_index <= 2:
            return incident
    return None


def _same_day_incident(incidents: list[Incident], mention: Mention, keys: Keys) -> Optional[Incident]:
    for incident in reversed(incidents):
        d = incident.date
        if d is None or d.date != mention.date.date:
            continue
        if _compatible(incident, mention, keys):
            return incident
    return None


def _follows(incident: Incident, mention: Mention, keys: Keys) -> bool:
    near = mention.sentence.index - incident.last_index <= _FOLLOW_UP_WINDOW
    return near and _compatible(incident, mention, keys)


def _claim_pending(pending: list[Mention], dated: Mention, keys: Keys) -> list[Mention]:
    """Undated mentions just before a dated one that introduce the same incident. Pending
    mentions are in text order, so those near enough are its tail (a scan of all of them for
    each dated mention made long texts quadratic)."""
    probe = Incident([dated])
    near = len(pending)
    while near and dated.sentence.index - pending[near - 1].sentence.index <= _FOLLOW_UP_WINDOW:
        near -= 1
    claimed = [m for m in pending[near:] if _compatible(probe, m, keys)]
    pending[near:] = [m for m in pending[near:] if not any(m is c for c in claimed)]
    return claimed


def _place_undated(pending: list[Mention], incidents: list[Incident], article: Article, keys: Keys) -> None:
    """Each mention joins the nearest compatible incident that is not recalled history, else
    opens one in `incidents`; a mention with no place of its own may reach further back, since
    it can only be telling more of an incident already named. Only an incident whose last
    sentence lies within the window can take a mention, so incidents are looked up by their
    last sentence (scanning all of them for each mention made long texts quadratic); ties go
    to the incident opened first."""
    opened = {id(inc): n for n, inc in enumerate(incidents)}
    by_last: dict[int, list[Incident]] = {}
    for inc in incidents:
        by_last.setdefault(inc.last_index, []).append(inc)
    for mention in pending:
        index = mention.sentence.index
        window = _LOOSE_WINDOW if keys.place(mention.sentence) is None else _FOLLOW_UP_WINDOW
        near = sorted((inc for last in range(index - window, index + window + 1) for inc in by_last.get(last, ())
                       if not _recalled(inc.date, article)),
                      key=lambda inc: (abs(index - inc.last_index), opened[id(inc)]))
        host = next((inc for inc in near if _compatible(inc, mention, keys)), None)
        if host is None:
            host = Incident([mention])
            opened[id(host)] = len(incidents)
            incidents.append(host)
        else:
            bucket = by_last[host.last_index]
            bucket.pop(next(n for n, inc in enumerate(bucket) if inc is host))
            host.mentions.append(mention)
            host.mentions.sort(key=lambda m: m.sentence.index)
        by_last.setdefault(host.last_index, []).append(host)


def _compatible(incident: Incident, mention: Mention, keys: Keys) -> bool:
    """Whether the mention may tell the incident: none of kind, place and actors contradicts it
    (the day is matched by the callers)."""
    families = {m.family for m in incident.mentions if m.family != TALLY}
    if mention.family not in families and not ({mention.family} | families) <= _FAMILY_GROUPS.get(mention.family, set()) \
            and not (families and families <= _PART_OF.get(mention.family, set())):
        return False
    if _other_sides(incident, mention, keys):
        return False
    here = keys.place(mention.sentence)
    if here is None:
        return True
    for m in incident.mentions:
        there = keys.place(m.sentence)
        if there is not None and _km(here, there) > 40:
            return False
    return True


def _other_sides(incident: Incident, mention: Mention, keys: Keys) -> bool:
    """The mention names both sides of a fight and the incident names both sides of another,
    with no actor in common ("IS fighters attacked an SDF post" beside "Russian jets struck Free
    Syrian Army positions" in the same town that day): two incidents. One side named, or one
    actor shared, is no contradiction: reports name the sides of one incident by turns."""
    own = keys.sides(mention.sentence)
    if len(own) < 2:
        return False
    told: set[str] = set()
    for m in incident.mentions:
        told |= keys.sides(m.sentence)
    return len(told) >= 2 and not (own & told)


# families that may describe one incident (a clash reported as an attack, a strike as a raid)
_VIOLENT = {"battle", "explosion", "violence", "unknown"}
_FAMILY_GROUPS = {f: _VIOLENT for f in _VIOLENT}
_FAMILY_GROUPS.update({"protest": {"protest", "riot", "unknown"}, "riot": {"protest", "riot", "violence", "unknown"}})
# codebook: looting in a riot, arrests at a protest and warning shots fired in a clash are part
# of that event, so a sentence telling one joins the incident it goes with
_PART_OF = {"sd:Looting/property destruction": {"riot", "protest"},
            "sd:Arrests": {"protest", "riot"},
            "sd:Other": _VIOLENT | {"riot", "protest", "territory"}}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
