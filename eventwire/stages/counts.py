"""Counts stage: reported deaths, injuries and arrests in a sentence, with numbers in words.

ACLED's rule is the most conservative reported figure: "at least 37" is 37, "more than 20" is 20,
"dozens" or "several" is no number, and "casualties" or "wounded" alone are not deaths.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .dates import Months
from .event_lexicon import case_free, lowered


def _alternation(words) -> str:
    """One regex alternation, the longest phrase first ("one hundred" before "one")."""
    return "|".join(sorted(words, key=len, reverse=True))


_QUALIFIER = r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|approximately|roughly|a total of|another|other|an estimated)\s+)?"
_PEOPLE = (r"(?:(?!at\b|least\b|more\b|than\b|\d)[\w'’-]+\s+){0,4}?(?:people|persons|civilians|children|kids|women|men|soldiers|troops|fighters|members|militants|"
           r"jihadists|gunmen|insurgents|rebels|officers|policemen|police(?:men)?|personnel|servicemen|guards|"
           r"combatants|elements|individuals|villagers|residents|workers|farmers|students|protesters|demonstrators|"
           r"others|loyalists|recruits|cadets|pilgrims|passengers|militiamen|mercenaries|terrorists|suspects|"
           r"associates|leaders|commanders|officials|shepherds|family members|relatives|victims|bodies|"
           r"youths|boys|girls|infants|babies|journalists|detainees|prisoners|worshippers|tribesmen|"
           r"of them|dead|killed)")
_INJURED = r"(?:injured|wounded|hurt|injuring|wounding)"
# what lies between a count and its kill word: never an injury word, which takes the count
# itself ("19 people were injured and an unspecified number of others killed": 19 are hurt)
_NOT_HURT = r"(?:(?!injur|wound|hurt)[^.;:])"
# one item of a victim list ("eight soldiers", "1 member of the National Police Forces"): a few words,
# none of them a count of the hurt ("killed 3 injured in attacks ... one civilian ... and three")
_LIST_ITEM = r"(?:(?!injur|wound|hurt)[\w'-]+)(?:\s+(?!injur|wound|hurt)[\w'-]+){0,8}?"
_ARRESTED = r"(?:arrested|detained|apprehended|captured|rounded up|taken into custody|held)"
_KILLING_TITLED = re.compile(
    r"\b(?:killing|killed|assassinating|assassinated|executing|executed)\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:emir|leader|commander|official|spokesman|governor|mayor|cleric|imam|judge|mukhtar|chief)\s+[A-Z]")
_NOT_DEATH_CONTEXT = re.compile(r"\b(?:casualties|wounded|injured)\b", re.I)
# where a victim list ends: a preposition or clause that no longer names victims
_LIST_END = re.compile(
    r"\s(?:injured|wounded|hurt|in|on|at|of|near|inside|outside|during|when|after|while|as they|who|whom|which|that|from|for|because|"
    r"amid|following|before|since|by|with|including|among|among them|of whom|according|to|and (?:wounded|injured|"
    r"wounding|injuring|abducted|arrested)|and (?:also )?(?:set|burned|looted|destroyed|took|fled|escaped|seized))\b|"
    r"[.;:()\[\]]|,\s*(?:and\s+)?(?:wounding|injuring|according|while|as|who|which|the |a |an |in |on )", re.I)
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+|\s+plus\s+", re.I)
_ITEM_PERSON = re.compile(r"^[A-Z][\w'’-]+(?:\s+(?:al-|bin\s|ibn\s|abu\s|de\s|[A-Z])[\w'’-]*){0,4}$")
_VAGUE_DEATHS = re.compile(r"\b(?:killing|killed|kill)\s+(?:several|some|a number of|many|numerous|dozens of|scores of|hundreds of)\b|\b(?:several|some|a number of|many|numerous|dozens of|scores of|hundreds of)\s+(?:[\w-]+\s+){0,3}?(?:were\s+|have been\s+)?(?:killed|dead|died|fatalities|deaths)\b|"
                           r"\b(?:incurring|causing|resulting in|with|leaving|left)\s+(?:several\s+|multiple\s+|some\s+)?(?:fatalities|deaths|dead)\b", re.I)
_MANY = re.compile(r"\b(?:dozens|scores|hundreds|many|numerous)\b", re.I)


_PARENS = re.compile(r"\([^)]*\)")
_SUBSET_TAIL = re.compile(r"\b(?:including|among them|among whom|of whom)\b.*$")
_CLAUSE_CUT = re.compile(r"[;:]|,\s+(?=(?:when|after|while|as|and)\b)|\b(?:that|which|who|where|when|after)\s")
_INJURY_WORDS = re.compile(r"injur|wound|hurt", re.I)
_ARREST_WORDS = re.compile(r"arrest|detain|detention|apprehend|captur|round(?:ed|ing)? up|custody|\bheld\b", re.I)




def _mask_day(m: re.Match) -> str:
    """Replace the digits of a date with letters of the same length, keeping offsets."""
    return "".join("D" if ch.isdigit() else ch for ch in m.group(0))


_DIGIT = re.compile(r"\d")
_RANGE = re.compile(r"\b(\d{1,4})\s*(?:-|–|to|or)\s*\d{1,4}\b(?!\s*(?:km|kilomet|%|percent|-year|year))")


@dataclass(frozen=True, slots=True)
class Counts:
    """Figures one sentence reports; None where the sentence gives no figure."""

    fatalities: Optional[int] = None
    injuries: Optional[int] = None
    arrests: Optional[int] = None
    vague: bool = False  # the deaths were told without a number: `fatalities` is ACLED's default




_NEGATED = re.compile(r"\b(?:not|never|no one|nobody)\s+(?:\w+\s+)?$|n't\s+$", re.I)  # "did not deny"
# where a sentence turns to another speaker: "..., but the army denied", "; a monitor said"
_CLAUSE_TURN = re.compile(r",?\s+(?:but|while|whereas|although|though)\s+|;\s*|,\s+and\s+(?=(?:a|an|the)\s)|"
                          r",\s+(?=(?:a|the) claims?\b)", re.I)
_SPEAKER_TRIM = re.compile(r"^(?:\W|and\b|but\b|that\b|who\b|as\b)+|(?:\s+(?:later|also|previously|earlier|then|"
                           r"has|have|had|officially|quickly|swiftly|immediately))+\s*$", re.I)
_SPEAKER_WORDS = 7  # a speaker is a short noun phrase ("a Syrian Observatory official")


@dataclass(frozen=True, slots=True)
class Claim:
    """One toll as a report tells it: its value, who says it and how."""

    value: Optional[int]  # deaths (None: a denial of any losses, or no figure)
    speaker: Optional[str]  # the words naming who says it; None in the report's own voice
    stance: str  # "reported", "claimed", "denied" or "confirmed"

    def to_record(self) -> dict:
        return {"field": "fatalities", "value": self.value, "speaker": self.speaker, "stance": self.stance}


def _speaker_before(text: str) -> Optional[str]:
    head = re.split(r"[,:]\s*", text)[-1]
    words = _SPEAKER_TRIM.sub("", head).split()
    return " ".join(words[-_SPEAKER_WORDS:]) or None


def _speaker_after(text: str) -> Optional[str]:
    head = re.split(r"[,.;:]|\s(?:that|which|who|and)\s", text)[0]
    words = head.split()
    return " ".join(words[:_SPEAKER_WORDS]) or None


def settle_deaths(claims: list[Claim], figure: Optional[int], in_order: bool = True) -> tuple[Optional[int], Optional[str]]:
    """A report's deaths given its claims: `figure` (the toll read from its sentences) unless
    a claim denies the toll. Then only a confirmed figure counts, the lowest of them, else 0:
    one with a confirming verb, the denier's own figure, or (`in_order`: the claims of one
    report, in text order) a figure told after the denial by someone who claimed none before
    it ("... but the army denied any losses. A monitor said 18 soldiers were killed").
    The reason is None when no claim denies a toll."""
    first = next((i for i, c in enumerate(claims) if c.stance == "denied"), None)
    if first is None:
        return figure, None
    denials = [c for c in claims if c.stance == "denied"]
    deniers = {_speaker_key(c.speaker) for c in denials}
    claimants = {_speaker_key(c.speaker) for c in claims[:first] if c.value}
    who = ", ".join(dict.fromkeys(c.speaker or "the report" for c in denials))

    def confirms(i: int, c: Claim) -> bool:
        if not c.value or c.stance == "denied":
            return False
        key = _speaker_key(c.speaker)
        return c.stance == "confirmed" or key in deniers or (in_order and i > first and key not in claimants)
    confirmed = [c for i, c in enumerate(claims) if confirms(i, c)]
    if confirmed:
        low = min(confirmed, key=lambda c: c.value)
        return low.value, f"denied by {who}; {low.value} confirmed by {low.speaker or 'the report'}"
    return 0, f"denied by {who}; no one confirms a toll: 0"


def _speaker_key(speaker: Optional[str]) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", (speaker or "").lower()).strip()


class CountReader:
    """The counts stage's readers of a sentence's figures, compiled from its language packs:
    number words, kill verbs, death reports and claim verbs, and the month names that make a
    number a day (resources.load_count_reader builds it, and the components that count receive it)."""

    def __init__(self, number_words: dict, kill_verbs: list[dict], death_reports: dict, claims: dict, months: Months):
        self._NUMBER_WORDS = number_words
        self._KILL_FORMS = kill_verbs
        self._DEATH_REPORTS = death_reports  # bodies found: deaths told without a kill verb
        # phrase -> value; a ten also takes a numeral from one to nine ("twenty-five", "thirty two")
        self._NUMERALS = {e["word"]: e["value"] for e in self._NUMBER_WORDS["numerals"]}
        self._TENS = {e["word"]: e["value"] for e in self._NUMBER_WORDS["tens"]}
        self._DIGIT_WORDS = [w for w, v in self._NUMERALS.items() if 1 <= v <= 9 and " " not in w]

        self._COMPOUND_TENS = re.compile(rf"({_alternation(self._TENS)})(?:[- ]({_alternation(self._DIGIT_WORDS)}))?")
        self._WORD_NUMBER = rf"(?:(?:{_alternation(self._TENS)})(?:[- ](?:{_alternation(self._DIGIT_WORDS)}))?|{_alternation(self._NUMERALS)})"
        self.NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{self._WORD_NUMBER})"
        self._KILLED = self.kill_forms("after_count")  # after counted victims: "two men were slain"

        self._DEATH_PATTERNS = [
            re.compile(rf"\b{self.kill_forms('act', 'before_figure')}\s+{_QUALIFIER}({self.NUMBER})\b(?!\s*(?:km|kilomet|miles|percent|%|years|days|hours|meters|metres|injured|wounded|hurt|others? (?:injured|wounded)))", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+{_PEOPLE}{_NOT_HURT}{{0,60}}?\b(?:were|was|have been|had been|are|being|got)?\s*{self._KILLED}\b", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+(?:dead|deaths|fatalities|fatality|killed|bodies)\b", re.I),
            re.compile(rf"\b(?:death toll|toll|number of (?:the )?dead|number of deaths|number of victims)\b[^.;]{{0,40}}?\b(?:to|of|at|reached|is|was|rose to|climbed to|stands at)\s+{_QUALIFIER}({self.NUMBER})\b", re.I),
            re.compile(rf"\b(?:deaths|death|killing|lives) of\s+{_QUALIFIER}({self.NUMBER})\b", re.I),
        ]
        self._INJURY_PATTERNS = [
            re.compile(rf"\b(?:injuring|wounding|injured|wounded|hurt)\s+{_QUALIFIER}({self.NUMBER})\b(?!\s*(?:km|percent|%))", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+(?:{_PEOPLE}\s+)?(?:were |others |other |was |being )?{_INJURED}\b", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+(?:injuries|wounded|injured)\b", re.I),
        ]
        self._ARREST_PATTERNS = [
            re.compile(rf"\b(?:arrest(?:ing|ed)?|detain(?:ing|ed)?|apprehend(?:ing|ed)?|round(?:ing|ed) up|captur(?:ing|ed)|detention) (?:of )?{_QUALIFIER}({self.NUMBER})\b(?!\s*(?:km|percent|%))", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+{_PEOPLE}[^.;]{{0,40}}?\b(?:were|was|have been|had been)\s+{_ARRESTED}\b", re.I),
            re.compile(rf"\b{_QUALIFIER}({self.NUMBER})\s+(?:arrests|detentions|were arrested|arrested)\b", re.I),
        ]
        # "the deaths of eight soldiers, four allied fighters and three civilians": a list to add up
        self._LIST_AFTER_DEATHS = re.compile(
            rf"\b(?:deaths? of|killing|killed|killing of)\s+({self.NUMBER}\s+{_LIST_ITEM}(?:,\s*{self.NUMBER}\s+{_LIST_ITEM})*,?\s+and\s+{self.NUMBER}\s+[\w'-]+(?:\s+[\w'-]+)?)", re.I)
        # "X and one associate were killed", "His assistant and three other ISIS members had been killed"
        self._NAMED_PLUS = re.compile(
            rf"\b(?:[A-Z][\w'’-]+|[Hh]is|[Hh]er|[Tt]heir)\s+[^.;]{{0,80}}?\band\s+({self.NUMBER})\s+(?:other\s+|more\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:associates?|members?|others?|companions?|aides?|bodyguards?|fighters?|people|civilians|soldiers|sons?|daughters?|children|relatives)\s*(?:[^.;]{{0,30}}?\s)?(?:were|have been|had been)\s+{self._KILLED}")
        self._SINGLE_VICTIM = re.compile(
            rf"\b(?:(?:killing|killed|shot dead|shooting dead|executed|executing|assassinated|assassinating|murdered|murdering|beheaded|stabbed to death)\s+(?:a|an|one|the)\s+(?:young\s+|local\s+|senior\s+|prominent\s+|former\s+|elderly\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:man|woman|boy|girl|child|civilian|member|soldier|officer|policeman|fighter|leader|commander|emir|official|journalist|teacher|doctor|farmer|shepherd|person|resident|activist|driver|guard|worker|student|militant|cleric|imam|mukhtar|dignitary)"
            rf"|(?:^|[.;]\s*|\b(?:a|an|one)\s+)(?:[\w'’-]+\s+){{0,3}}?(?:man|woman|boy|girl|child|civilian|soldier|policeman|officer|fighter|member)\s+(?:was|has been|had been)\s+{self._KILLED})\b", re.I)
        self._PASSIVE_NAMED_SINGLE = re.compile(rf"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,3}}\s+(?:was|has been|had been)\s+(?:{self._KILLED})\b")
        self._FOUND_ONE = [re.compile(e["pattern"], re.I) for e in self._DEATH_REPORTS["one"]]
        self._NO_NUMBER = [re.compile(e["pattern"], re.I) for e in self._DEATH_REPORTS["no_number"]]
        self._DEATH_PATTERNS += [re.compile(e["pattern"].replace("{QUALIFIER}", _QUALIFIER).replace("{NUMBER}", self.NUMBER), re.I)
                                 for e in self._DEATH_REPORTS["figure"]]

        self._KILL_VERB = self.kill_forms("act")  # followed by its victims: "killed a policeman and a civilian"
        self._PASSIVE_KILLED = (rf"(?:was|were|had been|have been|has been|got|being)\s+(?:\w+\s+)?{self.kill_forms('passive')}"
                                rf"|\b{self.kill_forms('intransitive')}")
        self._OBJECT_AFTER_KILL = re.compile(rf"\b{self._KILL_VERB}\s+(.{{1,160}})", re.I)
        self._SUBJECT_BEFORE_KILLED = re.compile(rf"^(.{{0,200}}?)\b(?:{self._PASSIVE_KILLED})\b", re.I)
        self._ITEM_COUNT = re.compile(rf"^{_QUALIFIER}(?:the\s+)?({self.NUMBER}|a|an|another|his|her|their)\b(?!\s+(?:number|lot|total|series|few|couple|dozen of|group of|family|crowd|convoy))", re.I)
        self._COUNTED_NOUN = re.compile(rf"\b({self.NUMBER})\s+(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+$", re.I)
        self._NUMBER_RE = re.compile(self.NUMBER, re.I)
        # cheap gates: the expensive patterns only run where their key words occur
        self._DEATH_WORDS = re.compile(rf"kill|dead|death|execut|murder|behead|massacr|assassin|lynch|fatalit|toll|bodies|body|corpse|lives|"
                                       rf"{self.kill_forms('act', 'passive', 'intransitive', 'after_count')}", re.I)
        # ('left', 'leaving' are no death words by themselves: "a bomb left 3 policemen injured")

        self._TALLY = re.compile(rf"^\W*(?:(?:the\s+)?(?:death\s+toll|toll|number of (?:the )?dead)\s+(?:has\s+)?(?:rose|risen|climbed|increased|reached|stands at|is|was)\s+(?:to\s+)?{_QUALIFIER}({self.NUMBER})|"
                                 rf"{_QUALIFIER}({self.NUMBER})\s+fatalit(?:y|ies)(?:\s+(?:were\s+)?(?:reported|recorded))?|"
                            rf"fatalities\s+(?:were\s+)?(?:coded|recorded|counted)\s+as\s+({self.NUMBER}))\b[^.]{{0,40}}\.?\W*$", re.I)

        # "between 43 and 52 people", "between two to four": the lower figure, as for a range
        self._BETWEEN = re.compile(rf"\bbetween\s+({self.NUMBER})\s*(?:and|to|-|–)\s*{self.NUMBER}\b", re.I)

        # items that count time, not victims: "In 2014", "on May 3", "Over the past two weeks" ("a 10-year-old boy" is a victim)
        prefixes = "|".join(months.prefixes)
        self._SKIP_ITEM = re.compile(rf"\b(?:19|20)\d\d\b|\b(?:{prefixes})[a-z]*\s+\d|\d+\s+(?:{prefixes})|"
                                     r"(?<!-)\b(?:hours?|days?|weeks?|months?|years?)\b(?!-)", re.I)
        month = "(?:" + "|".join(months.short) + r")[a-z]*\.?"
        self._DATE_NUMBER = re.compile(rf"\b({month}\s+)(\d{{1,2}})\b|\b(\d{{1,2}})(\s+{month})|\b(?:19|20)\d\d\b")

        # ---- who says a toll, and how (lang/en/claims.json) ----
        self._CLAIMS_PACK = claims
        self._STANCE_OF = {v.lower(): e["stance"] for e in self._CLAIMS_PACK["stances"] for v in e["verbs"]}
        self._ATTRIBUTION = re.compile(r"\b(" + _alternation(re.escape(v) for v in self._STANCE_OF) + r")\b", re.I)
        self._DENIED_OBJECT = re.compile(self._CLAIMS_PACK["denied_object"], re.I)
        self._DENIED_CLAIM = re.compile(self._CLAIMS_PACK["denied_claim"], re.I)

        # each gate and figure pattern -> its twin for lower-cased text (None: it needs the original case)
        self._CASE_FREE = {p: case_free(p) for p in (self._DEATH_WORDS, _INJURY_WORDS, _ARREST_WORDS,
                                                     *self._DEATH_PATTERNS, *self._INJURY_PATTERNS, *self._ARREST_PATTERNS)}
        # pure; a sentence is read again as its own clause (claims_in) and by later stages
        self.count_figures = lru_cache(maxsize=4096)(self._count_figures)

    def kill_forms(self, *uses: str) -> str:
        """One alternation of the kill-verb pack's forms that have any of `uses`."""
        return "(?:" + _alternation(f["form"] for f in self._KILL_FORMS if set(uses) & set(f["uses"])) + ")"

    def _victim_list(self, segment: str) -> Optional[int]:
        """Sum the victims of a list such as 'a police officer and a civilian' or
        'eight soldiers, four allied fighters and three civilians'; None when an item has no count."""
        end = _LIST_END.search(" " + segment)
        if end and end.group(0).strip().lower() in ("injured", "wounded", "hurt"):
            return None  # "killed 57, 150 injured": the number belongs to the wounded
        segment = (" " + segment)[:end.start()] if end else segment
        items = [i.strip() for i in _ITEM_SPLIT.split(segment.strip()) if i.strip()]
        if not items or len(items) > 8:
            return None
        total = 0
        for item in items:
            m = self._ITEM_COUNT.match(item)
            if m:
                word = m.group(1).lower()
                total += 1 if word in ("a", "an", "another", "his", "her", "their") else (self.parse_number(word) or 0)
            elif _ITEM_PERSON.match(item):
                total += 1  # a named person
            else:
                return None
        return total or None

    def _subject_list(self, text: str) -> Optional[int]:
        """Victims named before a passive kill verb: '4 people as well as 2 policemen were killed'."""
        m = self._SUBJECT_BEFORE_KILLED.search(text)
        if not m:
            return None
        head = _PARENS.sub(" ", m.group(1))
        head = _SUBSET_TAIL.sub(" ", head)  # "including two children": a subset, not more victims
        head = _CLAUSE_CUT.split(head)[-1]
        items = [i.strip(" ,") for i in _ITEM_SPLIT.split(head) if i.strip(" ,")]
        total = 0
        for item in reversed(items[-6:]):  # the victims are the run of counted items next to the verb
            n = self._ITEM_COUNT.search(item) or self._COUNTED_NOUN.search(item)
            if not n or self._SKIP_ITEM.search(item):
                break
            w = n.group(1).lower()
            total += 1 if w in ("a", "an", "another", "his", "her", "their") else (self.parse_number(w) or 0)
        return total or None

    def tally(self, sentence: str) -> Optional[int]:
        """A sentence that only states a toll ("4 fatalities.", "The death toll rose to 12."):
        the report's own summary figure, which beats figures for parts of the incident."""
        m = self._TALLY.search(sentence)
        if not m:
            return None
        return self.parse_number(next(g for g in m.groups() if g))

    def parse_number(self, text: str) -> Optional[int]:
        """An integer from digits ("1,200") or English number words ("twenty-five", "a dozen")."""
        t = text.strip().lower()
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
            return int(t.replace(",", ""))
        if t in self._NUMERALS:
            return self._NUMERALS[t]
        m = self._COMPOUND_TENS.fullmatch(t)
        if m:
            return self._TENS[m.group(1)] + (self._NUMERALS[m.group(2)] if m.group(2) else 0)
        return None

    def _count_figures(self, sentence: str) -> Counts:
        """Deaths, injuries and arrests the sentence reports (`count_figures`, memoised)."""
        if "between" in sentence.lower():  # _BETWEEN's one literal word
            sentence = self._BETWEEN.sub(r"\1", sentence)
        if _DIGIT.search(sentence):  # both patterns need a figure
            sentence = _RANGE.sub(r"\1", sentence)  # "11-12 militants": the lower figure is the conservative one
            sentence = self._DATE_NUMBER.sub(_mask_day, sentence)  # "on July 25 killed seven": 25 is a day, not a toll
        # the gates and figure patterns run ~3x faster without re.I on the lower-cased text
        lower = lowered(sentence)
        deaths, vague = self._deaths(sentence, lower) if self._found(self._DEATH_WORDS, sentence, lower) else (None, False)
        return Counts(deaths,
                      self._first(self._INJURY_PATTERNS, sentence, lower) if self._found(_INJURY_WORDS, sentence, lower) else None,
                      self._first(self._ARREST_PATTERNS, sentence, lower) if self._found(_ARREST_WORDS, sentence, lower) else None, vague)

    def _found(self, gate: re.Pattern, sentence: str, lower: Optional[str]) -> bool:
        fast = self._CASE_FREE.get(gate)
        return bool(fast.search(lower) if fast is not None and lower is not None else gate.search(sentence))

    def _first(self, patterns: list[re.Pattern], sentence: str, lower: Optional[str] = None) -> Optional[int]:
        # the lower-cased text gives the same offsets, and parse_number lower-cases the figure anyway
        fast = [self._CASE_FREE.get(p) for p in patterns] if lower is not None else []
        if lower is not None and all(f is not None for f in fast):
            patterns, sentence = fast, lower
        values = [self.parse_number(m.group(1)) for p in patterns for m in p.finditer(sentence)]
        values = [v for v in values if v is not None and v < 100000]
        return max(values) if values else None

    def _deaths(self, sentence: str, lower: Optional[str] = None) -> tuple[Optional[int], bool]:
        """The deaths the sentence reports, and whether they were told without a number."""
        listed = self._listed_total(sentence)
        if listed is not None:
            return listed, False
        m = self._NAMED_PLUS.search(sentence)
        if m and self.parse_number(m.group(1)) is not None:
            return 1 + self.parse_number(m.group(1)), False
        plain = self._first(self._DEATH_PATTERNS, sentence, lower)
        if plain is None and any(p.search(sentence) for p in self._NO_NUMBER):
            return 3, True  # "an unknown number of fighters were killed": no victim list to count
        lists = [n for n in (self._object_deaths(sentence), self._subject_list(sentence)) if n]
        if lists and (plain is None or max(lists) > plain):
            return max(lists), False
        if plain is not None:
            return plain, False
        if any(p.search(sentence) for p in (self._SINGLE_VICTIM, _KILLING_TITLED, self._PASSIVE_NAMED_SINGLE, *self._FOUND_ONE)):
            return 1, False
        vague = _VAGUE_DEATHS.search(sentence)
        if vague:  # ACLED: deaths with no number count 3, or 10 for a significant toll
            return (10 if _MANY.search(vague.group(0)) else 3), True
        return None, False

    def _object_deaths(self, sentence: str) -> Optional[int]:
        for m in self._OBJECT_AFTER_KILL.finditer(sentence):
            n = self._victim_list(m.group(1))
            if n:
                return n
        return None

    def _listed_total(self, sentence: str) -> Optional[int]:
        m = self._LIST_AFTER_DEATHS.search(sentence)
        if not m:
            return None
        numbers = [self.parse_number(x) for x in self._NUMBER_RE.findall(m.group(1))]
        numbers = [n for n in numbers if n is not None]
        return sum(numbers) if len(numbers) >= 2 else None

    def claims_in(self, sentence: str) -> list[Claim]:
        """The death claims of one sentence, clause by clause, each with its speaker and stance
        ("IS said it killed 30 soldiers, but the army denied any losses": IS reports 30, the army
        denies). A clause with neither a figure nor a denial or confirmation claims nothing."""
        claims: list[Claim] = []
        start = 0
        for turn in [*_CLAUSE_TURN.finditer(sentence), None]:
            end = turn.start() if turn else len(sentence)
            clause = sentence[start:end]
            start = turn.end() if turn else end
            claim = self._clause_claim(clause, any(c.value for c in claims))
            if claim is not None:
                claims.append(claim)
        return claims

    def _clause_claim(self, clause: str, after_figure: bool) -> Optional[Claim]:
        value = self.count_figures(clause).fatalities
        for m in self._ATTRIBUTION.finditer(clause):
            if _NEGATED.search(clause[:m.start()]):
                continue
            verb = m.group(1).lower()
            stance = self._STANCE_OF[verb]
            named = self._DENIED_CLAIM.search(clause[:m.start()]) if stance == "denied" and after_figure else None
            if stance == "denied" and not (named or self._DENIED_OBJECT.match(clause, m.end())):
                continue  # "denied involvement": no toll denied
            speaker = (named.group("speaker") if named else _speaker_after(clause[m.end():]) if verb == "according to"
                       else _speaker_before(clause[:m.start()]))
            if stance == "denied" or value is not None:
                return Claim(value, speaker, stance)
        return Claim(value, None, "reported") if value is not None else None
