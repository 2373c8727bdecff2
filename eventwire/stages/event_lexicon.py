"""The event lexicon: eventwire/data/event_types.json compiled for the classify stage.

Trigger, cue and actor patterns per ACLED sub-event type are wrapped, macro-expanded and gated
by the literal word-start prefixes every match must begin with (derived once by
tools/build_event_gates.py into data/event_gates.json), so that classifying a sentence tries
only the few regexes that could match it; each regex is compiled on its first use.
"""
from __future__ import annotations

import re
try:  # the stdlib regex parser, used once at load time to derive literal prefixes
    from re import _constants as _sre_c, _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse
import dataclasses
from dataclasses import dataclass
from typing import Iterator, Optional, Protocol

__all__ = ["EventLexicon", "Gated", "Rule", "TextIndex", "Trigger", "case_free", "compile_event_lexicon", "literal_lead", "lowered", "pattern_gate", "pattern_lead", "subject_hurt_words", "with_arresting_actors"]

_MACRO = re.compile(r"\{([A-Z0-9]+)\}")
_ESCAPE = re.compile(r"\\[A-Za-z]")
_GATE_LEN = 4  # length of the literal prefixes used to skip patterns that cannot match
_GATE_MAX = 120  # more alternative prefixes than this: no gate, always run the regex


_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K: re.I folds them onto ASCII i, s, k


def lowered(text: str) -> Optional[str]:
    """The text lower-cased when a pattern without upper-case letters, run on it without re.I,
    matches exactly where it matches the text with re.I (the same offsets): when no letter
    changes length as it is lower-cased and none is one that re.I folds onto an ASCII letter
    that lower() keeps apart. Else None."""
    lower = text.lower()
    return lower if len(lower) == len(text) and not _ODD_CASE.search(text) else None


def case_free(pattern: re.Pattern) -> Optional[re.Pattern]:
    """The re.I pattern compiled without re.I, for lower-cased text (see lowered()): ~3x
    faster. None when some letter of the pattern is upper case (an acronym, [A-Z])."""
    plain = _ESCAPE.sub("", pattern.pattern)
    if not pattern.flags & re.I or plain != plain.lower() or "(?-i" in pattern.pattern:
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


class TextIndex(Protocol):
    """What a pattern needs of the text it runs on (the classify stage's indexed sentence)."""

    text: str
    lower: str
    same_length: bool
    folds_safely: bool  # lowered(text) is not None: lower-cased letter for letter, as re.I folds it
    live: set[int]  # pids of the patterns that may match: may_match(g) is g.pid in live

    def may_match(self, g: "Gated") -> bool: ...

    def starts(self, gate: frozenset[str]) -> list[int]: ...

    def lead_starts(self, lead: tuple[frozenset[str], tuple[str, ...]]) -> list[int]: ...


class Gated:
    """One lexicon pattern: its source, the word-start prefixes every match begins with, and
    its regexes, compiled on first use (most patterns never meet a text that could match)."""

    __slots__ = ("pid", "source", "case_sensitive", "gate", "lead", "_regex", "_fast")

    def __init__(self, pid: int, source: str, case_sensitive: bool, gate: Optional[frozenset[str]],
                 lead: Optional[tuple[frozenset[str], tuple[str, ...]]] = None) -> None:
        self.pid = pid  # index in EventLexicon.patterns
        self.source = source  # the wrapped pattern text
        self.case_sensitive = case_sensitive  # has acronyms: must run on the original text
        self.gate = gate  # None: no usable prefixes, the pattern may match any text
        # without a gate, the prefixes that still begin every match (pattern_lead), if any, as
        # (those of 3 and 4 chars, the shorter): the regex is tried at the word starts that
        # carry one, not over the whole text
        self.lead = lead
        self._regex: Optional[re.Pattern] = None
        self._fast: Optional[re.Pattern] = None

    @property
    def regex(self) -> re.Pattern:
        """Case-insensitive, for the original text."""
        if self._regex is None:
            self._regex = re.compile(self.source, re.I)
        return self._regex

    @property
    def fast(self) -> re.Pattern:
        """Case-sensitive, for the lower-cased text (~3x faster than re.I)."""
        if self._fast is None:
            self._fast = re.compile(self.source)
        return self._fast

    def _plan(self, ctx: "TextIndex") -> tuple[Optional[list[int]], re.Pattern, str]:
        """How to look for the pattern in the context: (None, regex, text) to scan all of
        `text`, (starts, regex, text) to try `regex` only at those word starts, the ones that
        carry one of its prefixes.

        A case-sensitive pattern (an acronym) runs with re.I on the original text; when that
        text lower-cases letter for letter (ctx.folds_safely: lowered()), a match still begins
        at a word start whose lower-cased prefix is one of the pattern's, so only those are tried."""
        if self.case_sensitive:
            regex, text = self.regex, ctx.text
            if not ctx.folds_safely:
                return None, regex, text
        elif not ctx.same_length:
            return None, self.regex, ctx.text
        else:
            regex, text = self.fast, ctx.lower
        if self.gate is not None:
            return ctx.starts(self.gate), regex, text
        if self.lead is not None:
            return ctx.lead_starts(self.lead), regex, text
        return None, regex, text

    def finditer(self, ctx: "TextIndex") -> Iterator[re.Match]:
        """Non-overlapping matches over the context's text (offsets equal in text and lower)."""
        return iter(self.matches(ctx))

    def matches(self, ctx: "TextIndex") -> list[re.Match]:
        """The non-overlapping matches over the context's text, in text order."""
        if self.pid not in ctx.live:  # ctx.may_match(self), inlined: called for every live pattern
            return []
        starts, regex, text = self._plan(ctx)
        if starts is None:
            return list(regex.finditer(text))
        # try the regex only at the word starts that carry one of its prefixes
        out: list[re.Match] = []
        last_end, match = 0, regex.match
        for pos in starts:
            if pos >= last_end:
                m = match(text, pos)
                if m is not None:
                    last_end = max(m.end(), pos + 1)
                    out.append(m)
        return out

    def search(self, ctx: "TextIndex") -> Optional[re.Match]:
        """The first match over the context's text, or None."""
        if self.pid not in ctx.live:
            return None
        starts, regex, text = self._plan(ctx)
        if starts is None:
            return regex.search(text)
        match = regex.match
        for pos in starts:
            m = match(text, pos)
            if m is not None:
                return m
        return None


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: Gated
    weight: float
    target: str  # a sub-event type, or "@name" of a generic trigger group
    resolve: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    when: tuple[str, ...]
    unless: tuple[str, ...]
    floor: tuple[tuple[str, float], ...]
    scale: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class NonEvent:
    """A non-ACLED context (disaster, crime, diplomacy, bare attribution) that damps sub-types."""

    name: str
    cue: tuple[Gated, ...]
    factor: float
    applies_to: frozenset[str]
    unless: tuple[Gated, ...]  # wording that makes the text a report of the act after all


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Compiled trigger lexicon; build it with compile_event_lexicon() (resources.load_event_lexicon())."""

    types: dict[str, str]  # sub_event_type -> event_type
    order: tuple[str, ...]  # sub-event types in lexicon order (tie-break)
    triggers: tuple[Trigger, ...]
    cues: dict[str, tuple[Gated, ...]]
    actors: dict[str, tuple[Gated, ...]]
    non_event: tuple[NonEvent, ...]
    rules: tuple[Rule, ...]
    modality: re.Pattern
    modality_window: int
    modality_factor: float
    threshold: float
    bonus: float
    bonus_cap: float
    resolved_bonus: float
    signal_stems: dict[str, float]
    signal_lengths: tuple[int, ...]
    patterns: tuple[Gated, ...]  # every pattern above, by pid
    gate_index: dict[str, tuple[int, ...]]  # word-start prefix -> pids of the patterns it gates
    ungated: frozenset[int]  # pids to try on every text
    by_weight: tuple[Trigger, ...]  # triggers, strongest first (for incident_signal)
    trigger_of: dict[int, Trigger]  # pid -> its trigger
    strength_rank: dict[int, int]  # pid of a trigger -> its place in by_weight
    # ACLED's fatalities for deaths told without a number, by event type (the rest keep the wording's)
    vague_deaths: dict[str, int] = dataclasses.field(default_factory=dict)
    # the setting [coding] detentions_as_arrests: non-state actors whose detentions are arrests
    arresting: Optional[re.Pattern] = None
    # harm words whose subject is the one hurt ("three people died"): data/lang/en/classify.json
    subject_hurt: re.Pattern = re.compile(r"(?!)")


# ---------------------------------------------------------------- loading

def compile_event_lexicon(data: dict, gates: dict[str, Optional[list[str]]]) -> EventLexicon:
    """Compile the event-type lexicon (the parsed event_types.json) for classify.

    Args:
        data: the lexicon; resources.load_event_lexicon() reads the packaged one.
        gates: pattern -> its literal prefixes, from the derived cache data/event_gates.json
            (tools/build_event_gates.py); a pattern missing there is parsed here, so with a
            fresh cache compiling parses no regex. Each regex is compiled on its first use.
    Returns:
        The compiled EventLexicon.
    """
    return _compile_lexicon(data, gates)


def subject_hurt_words(lexicon: EventLexicon, pack: dict, kill_forms: list[dict]) -> EventLexicon:
    """The lexicon with its harm words whose subject is the one hurt: the classify pack's and
    the kill forms with the roles use 'subject_hurt' ('died', 'dead')."""
    words = [e["word"] for e in pack["subject_is_hurt"]] + [
        f["form"] for f in kill_forms if any(r["use"] == "subject_hurt" for r in f.get("roles", ()))]
    return dataclasses.replace(lexicon, subject_hurt=re.compile("|".join(words)))


def with_arresting_actors(lexicon: EventLexicon, names: tuple[str, ...]) -> EventLexicon:
    """The lexicon whose detain resolver ('agent:arresting') codes the detentions of these
    non-state actors as Arrests; names match whole words in any case. None: ACLED's rule."""
    if not names:
        return lexicon
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return dataclasses.replace(lexicon, arresting=re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I))


class _Builder:
    """Numbers the lexicon's patterns and derives (or looks up) their prefixes."""

    def __init__(self, macros: dict[str, str], cache: dict[str, Optional[list[str]]]) -> None:
        self.macros = macros
        self.cache = cache
        self.patterns: list[Gated] = []

    def pattern(self, pattern: str) -> Gated:
        body = _MACRO.sub(lambda m: self.macros[m.group(1)], pattern)
        gate = self.cache[body] if body in self.cache else pattern_gate(body)
        # case-sensitive parts (acronyms) or upper-case letters need the original text
        plain = _ESCAPE.sub("", body)
        case_sensitive = plain != plain.lower() or "(?-i:" in body
        g = Gated(len(self.patterns), r"(?<!\w)(?:" + body + r")(?!\w)", case_sensitive,
                   None if gate is None else frozenset(gate), _split_lead(pattern_lead(body)) if gate is None else None)
        self.patterns.append(g)
        return g

    def many(self, patterns: list[str]) -> tuple[Gated, ...]:
        return tuple(self.pattern(p) for p in patterns)

    def index(self) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """prefix -> ids of the patterns gated by it, and the ids of ungated patterns."""
        by_prefix: dict[str, list[int]] = {}
        for g in self.patterns:
            for p in g.gate or ():
                by_prefix.setdefault(p, []).append(g.pid)
        return ({p: tuple(ids) for p, ids in by_prefix.items()},
                tuple(g.pid for g in self.patterns if g.gate is None))


def _compile_lexicon(data: dict, cache: dict[str, Optional[list[str]]]) -> EventLexicon:
    b = _Builder(_expand_macros(data.get("macros", {})), cache)
    types = dict(data["types"])
    triggers = [t for entry in data["subtypes"] for t in _compile_entry(entry, b, types)]
    triggers += [t for entry in data.get("generic", []) for t in _compile_entry(entry, b, types)]
    modality = data["modality"]
    stems = {k.lower(): float(v) for k, v in data["signal"]["stems"].items()}
    cues = {name: b.many(c["patterns"]) for name, c in data["cues"].items()}
    actors = {k: b.many(v) for k, v in data["actors"].items() if k != "notes"}
    non_event = tuple(NonEvent(name, b.many(c["patterns"]), float(c["factor"]), frozenset(c.get("applies_to", types)),
                                b.many(c.get("unless", [])))
                      for name, c in data["non_event"]["categories"].items())
    index, ungated = b.index()
    by_weight = tuple(sorted(triggers, key=lambda t: -t.weight))
    return EventLexicon(
        types=types, order=tuple(e["sub_event_type"] for e in data["subtypes"]), triggers=tuple(triggers),
        cues=cues, actors=actors, non_event=non_event,
        rules=tuple(_compile_rule(r, types) for r in data["rules"]),
        # case-sensitive: the modal "may" must not match the month "May"
        modality=re.compile(r"(?:^|\W)(?:" + "|".join(modality["patterns"]) + r")(?:\W|$)"),
        modality_window=int(modality["window"]), modality_factor=float(modality["factor"]),
        threshold=float(data["threshold"]), bonus=float(data["extra_match_bonus"]),
        bonus_cap=float(data["extra_match_cap"]), resolved_bonus=float(data["resolved_bonus"]),
        signal_stems=stems, signal_lengths=tuple(sorted({len(s) for s in stems})),
        patterns=tuple(b.patterns), gate_index=index, ungated=frozenset(ungated),
        by_weight=by_weight, trigger_of={t.pattern.pid: t for t in triggers},
        strength_rank={t.pattern.pid: i for i, t in enumerate(by_weight)},
        vague_deaths={k: int(v) for k, v in data.get("vague_deaths", {}).get("by_event_type", {}).items()},
    )


def _expand_macros(raw: dict[str, str]) -> dict[str, str]:
    # macros may use earlier macros; two passes cover the nesting the lexicon uses
    out = dict(raw)
    for _ in range(2):
        out = {k: _MACRO.sub(lambda m: out.get(m.group(1), m.group(0)), v) for k, v in out.items()}
    return out


def pattern_gate(body: str) -> Optional[list[str]]:
    """The word-start prefixes (3 or 4 lower-case chars) one of which every match of the
    pattern body begins with, or None when there is no short selective set. Also the check
    that the pattern is a valid regex (tools/build_event_gates.py caches the results)."""
    try:
        tree = _sre_parse.parse(body, re.I)
    except re.error as err:
        raise ValueError(f"event lexicon: bad pattern {body!r}: {err}") from err
    gate = _gate(tree)
    # a prefix must begin with a word character, since the text is indexed at word starts
    if gate is None or not all(p[0].isalnum() for p in gate):
        return None
    return list(gate)


def pattern_lead(body: str) -> Optional[tuple[str, ...]]:
    """For a pattern with no gate: the word-start prefixes (1 to 4 lower-case chars, however
    many) one of which every match begins with, or None when some match may begin otherwise
    (a digit class, a wildcard). Too short or too many to index, they still spare the scan of
    the whole text."""
    prefixes = _prefixes(list(_sre_parse.parse(body, re.I)), {("", False)}, _LEAD_MAX)
    if prefixes is None or not all(p[:1].isalnum() for p, _ in prefixes):
        return None
    return tuple(sorted({p for p, _ in prefixes}))


_LEAD_MAX = 2000


def _split_lead(lead: Optional[tuple[str, ...]]) -> Optional[tuple[frozenset[str], tuple[str, ...]]]:
    """A lead as the prefixes a text's word-start index holds (3 and 4 chars) and the shorter."""
    if lead is None:
        return None
    return frozenset(p for p in lead if len(p) >= 3), tuple(p for p in lead if len(p) < 3)


def literal_lead(pattern: re.Pattern) -> Optional[re.Pattern]:
    """Where in the lower-cased text a match of `pattern` may begin: an alternation of the
    literal prefixes (lower-cased, 1 to 4 chars) that every match of it begins with, or None
    when some match may begin otherwise (a digit class, a wildcard, an optional start).

    On a text that lowered() keeps letter for letter, no match of the pattern starts before
    the lead's first match in the lower-cased text, and none exists when the lead finds
    nothing: the pattern's own search may start there (a literal scan is far cheaper than
    trying a long alternation at every offset)."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    prefixes = _prefixes(list(tree), {("", False)}, _LEAD_MAX)
    if prefixes is None or any(not p for p, _ in prefixes):
        return None
    return re.compile("|".join(re.escape(p) for p in sorted({p for p, _ in prefixes}, key=lambda p: (-len(p), p))))


def _gate(tree) -> Optional[tuple[str, ...]]:
    """Literal prefixes (up to _GATE_LEN chars) that every match starts with, or None."""
    prefixes = _prefixes(list(tree), {("", False)})
    if prefixes is None or len(prefixes) > _GATE_MAX:
        return None
    if any(len(p) < 3 for p, _ in prefixes):
        return None  # too short to be selective
    return tuple(sorted({p for p, _ in prefixes}))


def _prefixes(items: list, acc: set[tuple[str, bool]], limit: int = _GATE_MAX) -> Optional[set[tuple[str, bool]]]:
    """Extend (prefix, frozen) pairs through a parsed regex sequence; frozen means no longer
    extendable. None past `limit` pairs."""
    for op, av in items:
        if acc is None or len(acc) > limit:
            return None
        if all(frozen or len(p) >= _GATE_LEN for p, frozen in acc):
            break
        if op is _sre_c.LITERAL:
            acc = {(p if f or len(p) >= _GATE_LEN else p + chr(av).lower(), f) for p, f in acc}
        elif op is _sre_c.IN:
            acc = _extend_class(acc, av)
        elif op is _sre_c.SUBPATTERN:
            acc = _prefixes(list(av[-1]), acc, limit)
        elif op is _sre_c.BRANCH:
            parts = [_prefixes(list(seq), acc, limit) for seq in av[1]]
            acc = None if any(x is None for x in parts) else set().union(*parts)
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            once = _prefixes(list(av[2]), acc, limit)
            if once is None:
                return None
            acc = (acc | once) if av[0] == 0 else {(p, True) for p, _ in once}
        elif op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue  # zero-width
        else:
            acc = {(p, True) for p, _ in acc}
    return acc


def _extend_class(acc: set[tuple[str, bool]], av: list) -> set[tuple[str, bool]]:
    chars: set[str] = set()
    for op, arg in av:
        if op is _sre_c.LITERAL:
            chars.add(chr(arg).lower())
        elif op is _sre_c.RANGE and arg[1] - arg[0] < 12:
            chars.update(chr(c).lower() for c in range(arg[0], arg[1] + 1))
        else:
            return {(p, True) for p, _ in acc}
    return {(p + c, f) if not f and len(p) < _GATE_LEN else (p, f) for p, f in acc for c in chars}


def _compile_entry(entry: dict, b: _Builder, types: dict[str, str]) -> list[Trigger]:
    target = entry.get("sub_event_type") or "@" + entry["name"]
    resolve = tuple((cond, sub) for cond, sub in entry.get("resolve", []))
    for _, sub in resolve:
        _check_type(sub, types)
    if not target.startswith("@"):
        _check_type(target, types)
    return [Trigger(b.pattern(p), float(w), target, resolve) for p, w in entry["triggers"]]


def _check_type(sub: str, types: dict[str, str]) -> None:
    if sub not in types:
        raise ValueError(f"event lexicon: unknown sub_event_type {sub!r}")


def _compile_rule(raw: dict, types: dict[str, str]) -> Rule:
    for sub in list(raw.get("floor", {})) + list(raw.get("scale", {})):
        _check_type(sub, types)
    return Rule(when=tuple(raw["when"]), unless=tuple(raw.get("unless", [])),
                 floor=tuple((k, float(v)) for k, v in raw.get("floor", {}).items()),
                 scale=tuple((k, float(v)) for k, v in raw.get("scale", {}).items()))


# ---------------------------------------------------------------- classification
