"""Classify stage: decide whether an incident text reports an ACLED event, and of which type.

Adds the ACLED event type and sub-event type (6 / 25, spelled as ACLED does) to an incident
text, with a 0..1 score and the trigger words that decided it. Rule-based and fast: weighted
trigger regexes per sub-event type (eventwire/data/event_types.json), resolvers that pick a
sub-type from the agent or victim of a generic verb ("killed", "arrested", "captured"), a
small rule layer for ACLED's precedence conventions (tear gas at a protest -> intervention,
suicide + car bomb -> Suicide bomb, air strike beats explosion ...), damping of threats and
plans ("vowed to attack") and of non-ACLED contexts (disasters, crime, diplomacy, claims).
"""
from __future__ import annotations

import json
import re
try:  # the stdlib regex parser, used once at load time to derive literal prefixes
    from re import _constants as _sre_c, _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional

__all__ = ["TypeScore", "EventLexicon", "load_event_lexicon", "classify_incident", "incident_signal"]

_MACRO = re.compile(r"\{([A-Z0-9]+)\}")
_ESCAPE = re.compile(r"\\[A-Za-z]")
_GATE_LEN = 4  # length of the literal prefixes used to skip patterns that cannot match
_GATE_MAX = 120  # more alternative prefixes than this: no gate, always run the regex
GATE_CACHE = "event_gates.json"  # derived prefixes, built by tools/build_event_gates.py
_WORD_START = re.compile(r"(?<!\w)\w")
_WORD = re.compile(r"[a-z][a-z'-]*")
_CLAUSE_BREAK = re.compile(r"[.;!?]")
# "by two armed men": the noun after "by" is the agent, never the victim
_AGENT_PHRASE = re.compile(r"\bby (?:\w+ )?$")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|got|is|are)(?: \w+ly)? \S*$")
_AGENT_WINDOW = 100
_VICTIM_WINDOW = 60


@dataclass(frozen=True, slots=True)
class TypeScore:
    """One candidate ACLED type for an incident text, best first in classify_incident's list."""

    event_type: str
    sub_event_type: str
    score: float
    trigger: str
    trigger_start: int
    trigger_end: int


class _Gated:
    """One lexicon pattern: its source, the word-start prefixes every match begins with, and
    its regexes, compiled on first use (most patterns never meet a text that could match)."""

    __slots__ = ("pid", "source", "case_sensitive", "gate", "_regex", "_fast")

    def __init__(self, pid: int, source: str, case_sensitive: bool, gate: Optional[frozenset[str]]) -> None:
        self.pid = pid  # index in EventLexicon.patterns
        self.source = source  # the wrapped pattern text
        self.case_sensitive = case_sensitive  # has acronyms: must run on the original text
        self.gate = gate  # None: no usable prefixes, try the regex on every text
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

    def finditer(self, ctx: "_Context") -> Iterator[re.Match]:
        """Non-overlapping matches over the context's text (offsets equal in text and lower)."""
        if not ctx.may_match(self):
            return
        if self.case_sensitive or not ctx.same_length:
            yield from self.regex.finditer(ctx.text)
            return
        if self.gate is None:
            yield from self.fast.finditer(ctx.lower)
            return
        # try the regex only at the word starts that carry one of its prefixes
        last_end, fast, lower = 0, self.fast, ctx.lower
        for pos in ctx.starts(self.gate):
            if pos >= last_end:
                m = fast.match(lower, pos)
                if m is not None:
                    last_end = max(m.end(), pos + 1)
                    yield m

    def search(self, ctx: "_Context") -> Optional[re.Match]:
        return next(self.finditer(ctx), None)


@dataclass(frozen=True, slots=True)
class _Trigger:
    pattern: _Gated
    weight: float
    target: str  # a sub-event type, or "@name" of a generic trigger group
    resolve: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    when: tuple[str, ...]
    unless: tuple[str, ...]
    floor: tuple[tuple[str, float], ...]
    scale: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class _NonEvent:
    """A non-ACLED context (disaster, crime, diplomacy, bare attribution) that damps sub-types."""

    name: str
    cue: tuple[_Gated, ...]
    factor: float
    applies_to: frozenset[str]
    unless: tuple[_Gated, ...]  # wording that makes the text a report of the act after all


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Compiled trigger lexicon; build it with load_event_lexicon()."""

    types: dict[str, str]  # sub_event_type -> event_type
    order: tuple[str, ...]  # sub-event types in lexicon order (tie-break)
    triggers: tuple[_Trigger, ...]
    cues: dict[str, tuple[_Gated, ...]]
    actors: dict[str, tuple[_Gated, ...]]
    non_event: tuple[_NonEvent, ...]
    rules: tuple[_Rule, ...]
    modality: re.Pattern
    modality_window: int
    modality_factor: float
    threshold: float
    bonus: float
    bonus_cap: float
    resolved_bonus: float
    signal_stems: dict[str, float]
    signal_lengths: tuple[int, ...]
    patterns: tuple[_Gated, ...]  # every pattern above, by pid
    gate_index: dict[str, tuple[int, ...]]  # word-start prefix -> pids of the patterns it gates
    ungated: frozenset[int]  # pids to try on every text
    by_weight: tuple[_Trigger, ...]  # triggers, strongest first (for incident_signal)
    trigger_of: dict[int, _Trigger]  # pid -> its trigger
    signal_index: dict[str, tuple[_Trigger, ...]]  # word-start prefix -> its triggers, strongest first
    signal_ungated: tuple[_Trigger, ...]  # triggers without prefixes


# ---------------------------------------------------------------- loading

def load_event_lexicon(path: str | None = None) -> EventLexicon:
    """Load and compile the event-type lexicon.

    Args:
        path: a JSON lexicon file; default the packaged eventwire/data/event_types.json.
    Returns:
        The compiled EventLexicon. Pattern prefixes come from the derived cache
        eventwire/data/event_gates.json (tools/build_event_gates.py) when it has them, so
        loading parses no regex; each regex is compiled on its first use.
    """
    data = resources.files("eventwire.data")
    if path is None:
        text = data.joinpath("event_types.json").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    cache_file = data.joinpath(GATE_CACHE)
    cache = json.loads(cache_file.read_text("utf-8"))["gates"] if cache_file.is_file() else {}
    return _compile_lexicon(json.loads(text), cache)


class _Builder:
    """Numbers the lexicon's patterns and derives (or looks up) their prefixes."""

    def __init__(self, macros: dict[str, str], cache: dict[str, Optional[list[str]]]) -> None:
        self.macros = macros
        self.cache = cache
        self.patterns: list[_Gated] = []

    def pattern(self, pattern: str) -> _Gated:
        body = _MACRO.sub(lambda m: self.macros[m.group(1)], pattern)
        gate = self.cache[body] if body in self.cache else pattern_gate(body)
        # case-sensitive parts (acronyms) or upper-case letters need the original text
        plain = _ESCAPE.sub("", body)
        case_sensitive = plain != plain.lower() or "(?-i:" in body
        g = _Gated(len(self.patterns), r"(?<!\w)(?:" + body + r")(?!\w)", case_sensitive,
                   None if gate is None else frozenset(gate))
        self.patterns.append(g)
        return g

    def many(self, patterns: list[str]) -> tuple[_Gated, ...]:
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
    non_event = tuple(_NonEvent(name, b.many(c["patterns"]), float(c["factor"]), frozenset(c.get("applies_to", types)),
                                b.many(c.get("unless", [])))
                      for name, c in data["non_event"]["categories"].items())
    index, ungated = b.index()
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
        by_weight=tuple(sorted(triggers, key=lambda t: -t.weight)),
        trigger_of={t.pattern.pid: t for t in triggers},
        signal_index=_signal_index(triggers), signal_ungated=tuple(t for t in triggers if t.pattern.gate is None),
    )


def _signal_index(triggers: list[_Trigger]) -> dict[str, tuple[_Trigger, ...]]:
    index: dict[str, list[_Trigger]] = {}
    for t in triggers:
        for p in t.pattern.gate or ():
            index.setdefault(p, []).append(t)
    return {p: tuple(sorted(ts, key=lambda t: -t.weight)) for p, ts in index.items()}


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


def _gate(tree) -> Optional[tuple[str, ...]]:
    """Literal prefixes (up to _GATE_LEN chars) that every match starts with, or None."""
    prefixes = _prefixes(list(tree), {("", False)})
    if prefixes is None or len(prefixes) > _GATE_MAX:
        return None
    if any(len(p) < 3 for p, _ in prefixes):
        return None  # too short to be selective
    return tuple(sorted({p for p, _ in prefixes}))


def _prefixes(items: list, acc: set[tuple[str, bool]]) -> Optional[set[tuple[str, bool]]]:
    """Extend (prefix, frozen) pairs through a parsed regex sequence; frozen means no longer extendable."""
    for op, av in items:
        if acc is None or len(acc) > _GATE_MAX:
            return None
        if all(frozen or len(p) >= _GATE_LEN for p, frozen in acc):
            break
        if op is _sre_c.LITERAL:
            acc = {(p if f or len(p) >= _GATE_LEN else p + chr(av).lower(), f) for p, f in acc}
        elif op is _sre_c.IN:
            acc = _extend_class(acc, av)
        elif op is _sre_c.SUBPATTERN:
            acc = _prefixes(list(av[-1]), acc)
        elif op is _sre_c.BRANCH:
            parts = [_prefixes(list(seq), acc) for seq in av[1]]
            acc = None if any(x is None for x in parts) else set().union(*parts)
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            once = _prefixes(list(av[2]), acc)
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


def _compile_entry(entry: dict, b: _Builder, types: dict[str, str]) -> list[_Trigger]:
    target = entry.get("sub_event_type") or "@" + entry["name"]
    resolve = tuple((cond, sub) for cond, sub in entry.get("resolve", []))
    for _, sub in resolve:
        _check_type(sub, types)
    if not target.startswith("@"):
        _check_type(target, types)
    return [_Trigger(b.pattern(p), float(w), target, resolve) for p, w in entry["triggers"]]


def _check_type(sub: str, types: dict[str, str]) -> None:
    if sub not in types:
        raise ValueError(f"event lexicon: unknown sub_event_type {sub!r}")


def _compile_rule(raw: dict, types: dict[str, str]) -> _Rule:
    for sub in list(raw.get("floor", {})) + list(raw.get("scale", {})):
        _check_type(sub, types)
    return _Rule(when=tuple(raw["when"]), unless=tuple(raw.get("unless", [])),
                 floor=tuple((k, float(v)) for k, v in raw.get("floor", {}).items()),
                 scale=tuple((k, float(v)) for k, v in raw.get("scale", {}).items()))


# ---------------------------------------------------------------- classification

@dataclass(slots=True)
class _Hit:
    score: float
    start: int
    end: int
    count: int = 1


class _Context:
    """One text indexed by its word-start prefixes, with lazy caches of cue and actor matches."""

    def __init__(self, text: str, lexicon: EventLexicon) -> None:
        self.text = text
        self.lower = lower = text.lower()
        self.same_length = len(lower) == len(text)  # false for a few non-ASCII letters
        self.lex = lexicon
        positions: dict[str, list[int]] = {}
        for m in _WORD_START.finditer(lower):
            i = m.start()
            k4 = lower[i:i + 4]
            positions.setdefault(k4, []).append(i)
            if len(k4) == 4:
                positions.setdefault(k4[:3], []).append(i)
        self.positions = positions
        index = lexicon.gate_index
        live = set(lexicon.ungated)
        for key in positions.keys() & index.keys():
            live.update(index[key])
        self.live = live  # pids of the patterns that may match this text
        self._cues: dict[str, Optional[re.Match]] = {}
        self._actors: dict[str, list[re.Match]] = {}

    def may_match(self, g: _Gated) -> bool:
        """False when none of the pattern's prefixes starts a word of the text."""
        return g.pid in self.live

    def starts(self, gate: frozenset[str]) -> list[int]:
        """Sorted word-start offsets that carry one of the prefixes."""
        positions = self.positions
        keys = [k for k in gate if k in positions] if len(gate) < len(positions) \
            else [k for k in positions if k in gate]
        if len(keys) == 1:
            return positions[keys[0]]
        found: set[int] = set()
        for key in keys:
            found.update(positions[key])
        return sorted(found)

    def cue(self, name: str) -> Optional[re.Match]:
        if name not in self._cues:
            self._cues[name] = self.search(self.lex.cues[name])
        return self._cues[name]

    def search(self, patterns: tuple[_Gated, ...]) -> Optional[re.Match]:
        """The first match of any of the patterns (in pattern order), or None."""
        for g in patterns:
            if g.pid in self.live:
                m = g.search(self)
                if m is not None:
                    return m
        return None

    def actors(self, kind: str) -> list[re.Match]:
        if kind not in self._actors:
            self._actors[kind] = [m for g in self.lex.actors[kind] if g.pid in self.live for m in g.finditer(self)]
        return self._actors[kind]


def classify_incident(text: str, lexicon: EventLexicon) -> list[TypeScore]:
    """Score the ACLED sub-event types an incident text reports.

    Args:
        text: one incident, a sentence or a few.
        lexicon: from load_event_lexicon().
    Returns:
        TypeScores above the lexicon threshold, best first; empty when the text reports no
        ACLED event (disasters, crime, diplomacy, bare claims, threats and plans).
    """
    ctx = _Context(text, lexicon)
    hits = _collect_hits(ctx)
    if not hits:
        return []
    scores = _base_scores(hits, lexicon)
    spans = {sub: (h.start, h.end) for sub, h in hits.items()}
    _apply_rules(ctx, scores, spans)
    damp = _non_event_factors(ctx)
    out = [_type_score(text, lexicon, sub, min(1.0, s * damp.get(sub, 1.0)), spans[sub])
           for sub, s in scores.items()]
    out = [t for t in out if t.score >= lexicon.threshold]
    rank = {sub: i for i, sub in enumerate(lexicon.order)}
    out.sort(key=lambda t: (-t.score, rank.get(t.sub_event_type, 99)))
    return out


def _collect_hits(ctx: _Context) -> dict[str, _Hit]:
    hits: dict[str, _Hit] = {}
    triggers = ctx.lex.trigger_of
    for pid in sorted(ctx.live.intersection(triggers)):  # lexicon order
        trig = triggers[pid]
        for m in trig.pattern.finditer(ctx):
            weight = trig.weight * _modality_factor(ctx, m.start())
            target = trig.target
            if target.startswith("@"):
                target, resolved = _resolve(ctx, trig.resolve, m)
                weight += ctx.lex.resolved_bonus * resolved
            _add_hit(hits, target, weight, m)
    return hits


def _add_hit(hits: dict[str, _Hit], sub: str, weight: float, m: re.Match) -> None:
    old = hits.get(sub)
    if old is None:
        hits[sub] = _Hit(weight, m.start(), m.end())
        return
    old.count += 1
    # equal weights: the earlier words decide, so a threat or habitual cue is scoped against
    # the first telling of the event ("pelted stones ... to control the riot")
    if weight > old.score or (weight == old.score and m.start() < old.start):
        old.score, old.start, old.end = weight, m.start(), m.end()


def _modality_factor(ctx: _Context, start: int) -> float:
    """Damp triggers introduced by a threat, plan, warning or denial in the same clause."""
    window = ctx.text[max(0, start - ctx.lex.modality_window):start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return ctx.lex.modality_factor if ctx.lex.modality.search(window) else 1.0


def _resolve(ctx: _Context, resolve: tuple[tuple[str, str], ...], m: re.Match) -> tuple[str, bool]:
    """Pick the sub-type of a generic trigger; the flag says a specific condition decided."""
    for cond, sub in resolve:
        if cond == "default":
            return sub, False
        kind, _, arg = cond.partition(":")
        if kind == "agent" and _agent(ctx, m) == arg:
            return sub, True
        if kind == "victim" and _victim(ctx, m) == arg:
            return sub, True
        if kind == "cue" and ctx.cue(arg):
            return sub, True
    return resolve[-1][1], False


def _agent(ctx: _Context, m: re.Match) -> Optional[str]:
    """Who acted: a 'by X' after the verb, else (active voice) the nearest actor before it."""
    by = ctx.lower.find(" by ", m.end(), m.end() + 50)
    if by >= 0:
        for kind in ("state", "nonstate"):
            if any(by <= a.start() < by + 30 for a in ctx.actors(kind)):
                return kind
    if _is_passive(ctx, m):
        return None  # the noun before a passive verb is its object, not its agent
    best, best_end = None, -1
    lo = m.start() - _AGENT_WINDOW
    for kind in ("state", "nonstate"):
        for a in ctx.actors(kind):
            if lo <= a.start() and a.end() <= m.start() and a.end() > best_end:
                best, best_end = kind, a.end()
    return best


def _is_passive(ctx: _Context, m: re.Match) -> bool:
    return _PASSIVE.search(ctx.lower, max(0, m.start() - 14), m.start()) is not None


def _victim(ctx: _Context, m: re.Match) -> Optional[str]:
    """Who was hit: the nearest civilian or armed noun after an active verb, before a passive one."""
    after = (m.end(), m.end() + _VICTIM_WINDOW, True)
    before = (m.start() - _VICTIM_WINDOW, m.start(), False)
    order = (before, after) if _is_passive(ctx, m) else (after, before)
    for lo, hi, forward in order:
        found = _nearest(ctx, lo, hi, forward)
        if found is not None:
            return found
    return None


def _nearest(ctx: _Context, lo: int, hi: int, forward: bool) -> Optional[str]:
    best, best_pos = None, None
    for kind in ("civilian", "armed"):
        for a in ctx.actors(kind):
            if lo <= a.start() and a.end() <= hi and not _AGENT_PHRASE.search(ctx.lower, max(0, a.start() - 14), a.start()):
                pos = a.start() if forward else -a.end()
                if best_pos is None or pos < best_pos:
                    best, best_pos = kind, pos
    return best


def _base_scores(hits: dict[str, _Hit], lexicon: EventLexicon) -> dict[str, float]:
    return {sub: h.score + min(lexicon.bonus_cap, lexicon.bonus * (h.count - 1))
            for sub, h in hits.items()}


def _apply_rules(ctx: _Context, scores: dict[str, float], spans: dict[str, tuple[int, int]]) -> None:
    """ACLED precedence conventions; a rule's floor creates a sub-type at its cue's words."""
    before = dict(scores)
    for rule in ctx.lex.rules:
        if not all(_holds(ctx, c, before) for c in rule.when):
            continue
        if any(_holds(ctx, c, before) for c in rule.unless):
            continue
        for sub, factor in rule.scale:
            if sub in scores:
                scores[sub] *= factor
        for sub, value in rule.floor:
            if scores.get(sub, 0.0) < value:
                scores[sub] = value
                spans.setdefault(sub, _rule_span(ctx, rule, spans))


def _holds(ctx: _Context, cond: str, scores: dict[str, float]) -> bool:
    kind, _, arg = cond.partition(":")
    if kind == "cue":
        return ctx.cue(arg) is not None
    if kind == "has":
        return scores.get(arg, 0.0) >= ctx.lex.threshold
    raise ValueError(f"event lexicon: unknown rule condition {cond!r}")


def _rule_span(ctx: _Context, rule: _Rule, spans: dict[str, tuple[int, int]]) -> tuple[int, int]:
    # the words of the most specific condition (the last one) explain the floor
    for cond in reversed(rule.when):
        kind, _, arg = cond.partition(":")
        if kind == "cue" and ctx.cue(arg) is not None:
            return ctx.cue(arg).span()
        if kind == "has" and arg in spans:
            return spans[arg]
    return (0, 0)


def _non_event_factors(ctx: _Context) -> dict[str, float]:
    """Per sub-type damping from disaster, crime, diplomacy and attribution wording."""
    factors: dict[str, float] = {}
    for cat in ctx.lex.non_event:
        if ctx.search(cat.cue) is None or (cat.unless and ctx.search(cat.unless) is not None):
            continue
        for sub in cat.applies_to:
            factors[sub] = min(factors.get(sub, 1.0), cat.factor)
    return factors


def _type_score(text: str, lexicon: EventLexicon, sub: str, score: float,
                span: tuple[int, int]) -> TypeScore:
    return TypeScore(event_type=lexicon.types[sub], sub_event_type=sub, score=round(score, 3),
                     trigger=text[span[0]:span[1]], trigger_start=span[0], trigger_end=span[1])


# ---------------------------------------------------------------- sentence filter

def incident_signal(sentence: str, lexicon: EventLexicon) -> float:
    """Cheap 0..1 test of whether a sentence describes a violent, strategic or protest incident.

    Args:
        sentence: one sentence of an article.
        lexicon: from load_event_lexicon().
    Returns:
        The strongest incident word's weight (0 when none): the signal stems (prefix match of
        each lower-cased word), and every trigger of classify_incident, tried only at the words
        that start with one of its prefixes, so that any sentence the classifier could type
        gets through. An upper bound: classify_incident makes the real decision.
    """
    lower = sentence.lower()
    stems, lengths = lexicon.signal_stems, lexicon.signal_lengths
    best = 0.0
    for word in _WORD.findall(lower):
        for n in lengths:
            if n > len(word):
                break
            w = stems.get(word[:n])
            if w is not None and w > best:
                best = w
    return max(best, _trigger_signal(sentence, lower, lexicon, best))


def _trigger_signal(sentence: str, lower: str, lexicon: EventLexicon, floor: float) -> float:
    """The weight of the strongest trigger above floor that matches the sentence, else 0."""
    index, best = lexicon.signal_index, 0.0
    for m in _WORD_START.finditer(lower):
        i = m.start()
        for key in (lower[i:i + 4], lower[i:i + 3]):
            for trig in index.get(key, ()):
                if trig.weight <= max(best, floor):
                    break
                g = trig.pattern
                found = g.regex.match(sentence, i) if g.case_sensitive or len(lower) != len(sentence) \
                    else g.fast.match(lower, i)
                if found is not None:
                    best = trig.weight
    for trig in lexicon.signal_ungated:
        if trig.weight > max(best, floor) and trig.pattern.regex.search(sentence):
            best = trig.weight
    return best
