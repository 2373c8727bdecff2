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

import re
from dataclasses import dataclass
from typing import Callable, Optional

from .event_lexicon import EventLexicon, Gated, Rule, Trigger, lowered

__all__ = ["TypeScore", "EventLexicon", "classify_incident", "incident_signal"]

_WORD_START = re.compile(r"(?<!\w)\w")
_WORD = re.compile(r"[a-z][a-z'-]*")
_CLAUSE_BREAK = re.compile(r"[.;!?]")
# "by two armed men": the noun after "by" is the agent, never the victim
_AGENT_PHRASE = re.compile(r"\bby (?:\w+ )?$")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|got|is|are)(?: \w+ly)? \S*$")
_PASSIVE_START = re.compile(r"(?:was|were|been|being|got) ")
# "a crackdown on Taliban militants recaptured": an actor after one of these is the object
# of a preposition, so it cannot be the subject (agent) of the verb that follows
_OBJECT_PHRASE = re.compile(r"\b(?:on|against|from|with|targeting|towards?) (?:[\w'-]+ ){0,2}$")
# an actor noun right before the verb, or before an auxiliary or adverb and the verb: its subject
_SUBJECT_GAP = re.compile(r"[\w'-]+ (?:(?:have|has|had|also|then|later|\w+ly) )?$")
_AGENT_WINDOW = 100
_VICTIM_WINDOW = 60
# told why a text gets no type: (code, detail), the caller records it as a Dropped
Drop = Callable[[str, str], None]

@dataclass(frozen=True, slots=True)
class TypeScore:
    """One candidate ACLED type for an incident text, best first in classify_incident's list."""

    event_type: str
    sub_event_type: str
    score: float
    trigger: str
    trigger_start: int
    trigger_end: int



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
        safe = lowered(text)
        self.lower = lower = text.lower() if safe is None else safe
        self.same_length = len(lower) == len(text)  # false for a few non-ASCII letters
        self.folds_safely = safe is not None  # ... and none that re.I folds apart from lower()
        self.lex = lexicon
        positions: dict[str, list[int]] = {}
        get = positions.get
        self.word_starts = word_starts = [m.start() for m in _WORD_START.finditer(lower)]
        for i in word_starts:
            k4 = lower[i:i + 4]
            at = get(k4)
            if at is None:
                positions[k4] = [i]
            else:
                at.append(i)
            if len(k4) == 4:
                k3 = k4[:3]
                at = get(k3)
                if at is None:
                    positions[k3] = [i]
                else:
                    at.append(i)
        self.positions = positions
        index = lexicon.gate_index
        live = set(lexicon.ungated)
        for key in positions.keys() & index.keys():
            live.update(index[key])
        self.live = live  # pids of the patterns that may match this text
        self._cues: dict[str, Optional[re.Match]] = {}
        self._actors: dict[str, list[re.Match]] = {}
        self._triggers: Optional[list[tuple[Trigger, list[re.Match]]]] = None

    def may_match(self, g: Gated) -> bool:
        """False when none of the pattern's prefixes starts a word of the text."""
        return g.pid in self.live

    def starts(self, gate: frozenset[str]) -> list[int]:
        """Sorted word-start offsets that carry one of the prefixes."""
        positions = self.positions
        keys = gate & positions.keys()
        if len(keys) == 1:
            return positions[next(iter(keys))]
        return sorted(set().union(*[positions[k] for k in keys]))

    def lead_starts(self, lead: tuple[frozenset[str], tuple[str, ...]]) -> list[int]:
        """Sorted word-start offsets that carry one of the prefixes: (those of 3 and 4 chars,
        the shorter ones)."""
        longer, shorter = lead
        positions = self.positions
        found = [positions[k] for k in longer & positions.keys()]
        if shorter:
            starts_with = self.lower.startswith
            found.append([i for i in self.word_starts if starts_with(shorter, i)])
        if len(found) == 1:
            return found[0]
        return sorted(set().union(*found))

    def trigger_matches(self) -> list[tuple[Trigger, list[re.Match]]]:
        """Each trigger the text's words may start, in lexicon order, with its matches: read
        once for the incident signal and the classification alike."""
        if self._triggers is None:
            triggers = self.lex.trigger_of
            self._triggers = [(triggers[pid], triggers[pid].pattern.matches(self))
                              for pid in sorted(self.live.intersection(triggers))]
        return self._triggers

    def cue(self, name: str) -> Optional[re.Match]:
        if name not in self._cues:
            self._cues[name] = self.search(self.lex.cues[name])
        return self._cues[name]

    def search(self, patterns: tuple[Gated, ...]) -> Optional[re.Match]:
        """The first match of any of the patterns (in pattern order), or None."""
        for g in patterns:
            if g.pid in self.live:
                m = g.search(self)
                if m is not None:
                    return m
        return None

    def actors(self, kind: str) -> list[re.Match]:
        if kind not in self._actors:
            self._actors[kind] = [m for g in self.lex.actors[kind] if g.pid in self.live for m in g.matches(self)]
        return self._actors[kind]


def classify_incident(text: str, lexicon: EventLexicon, drop: Optional[Drop] = None) -> list[TypeScore]:
    """Score the ACLED sub-event types an incident text reports.

    Args:
        text: one incident, a sentence or a few.
        lexicon: from resources.load_event_lexicon().
        drop: told why, as (code, detail), when the text gets no type.
    Returns:
        TypeScores above the lexicon threshold, best first; empty when the text reports no
        ACLED event (disasters, crime, diplomacy, bare claims, threats and plans).
    """
    # pure in (text, lexicon): the types stage classifies again the sentence the incidents
    # stage read, so the last texts' results (and the reason for none) are kept
    memo = _MEMO.get(text)
    if memo is None or memo[0] is not lexicon:
        why: list[tuple[str, str]] = []
        memo = (lexicon, _classify(text, lexicon, lambda code, detail: why.append((code, detail))), tuple(why))
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[text] = memo
    if drop is not None:
        for code, detail in memo[2]:
            drop(code, detail)
    return list(memo[1])


_MEMO: dict[str, tuple[EventLexicon, list[TypeScore], tuple[tuple[str, str], ...]]] = {}
_MEMO_MAX = 1024


def _context(text: str, lexicon: EventLexicon) -> _Context:
    """The text indexed for the lexicon; the last few are kept, since the incidents stage
    classifies the very sentence whose incident signal it has just read."""
    ctx = _CONTEXTS.get(text)
    if ctx is None or ctx.lex is not lexicon:
        if len(_CONTEXTS) >= _CONTEXTS_MAX:
            _CONTEXTS.clear()
        ctx = _CONTEXTS[text] = _Context(text, lexicon)
    return ctx


_CONTEXTS: dict[str, _Context] = {}
_CONTEXTS_MAX = 8


def _classify(text: str, lexicon: EventLexicon, drop: Drop) -> list[TypeScore]:
    ctx = _context(text, lexicon)
    hits = _collect_hits(ctx)
    if not hits:
        drop("no-trigger", "no word of the event lexicon's triggers for any ACLED sub-event type")
        return []
    scores = _base_scores(hits, lexicon)
    spans = {sub: (h.start, h.end) for sub, h in hits.items()}
    _apply_rules(ctx, scores, spans)
    damp = _non_event_factors(ctx)
    candidates = [_type_score(text, lexicon, sub, min(1.0, s * damp.get(sub, 1.0)), spans[sub])
                  for sub, s in scores.items()]
    out = [t for t in candidates if t.score >= lexicon.threshold]
    if not out:
        drop(*_why_below_threshold(ctx, candidates, scores))
    rank = {sub: i for i, sub in enumerate(lexicon.order)}
    out.sort(key=lambda t: (-t.score, rank.get(t.sub_event_type, 99)))
    return out


def _collect_hits(ctx: _Context) -> dict[str, _Hit]:
    hits: dict[str, _Hit] = {}
    for trig, found in ctx.trigger_matches():  # lexicon order
        for m in found:
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
        if kind == "agent" and _agent_is(ctx, m, arg):
            return sub, True
        if kind == "victim" and _victim(ctx, m) == arg:
            return sub, True
        if kind == "cue" and ctx.cue(arg):
            return sub, True
    return resolve[-1][1], False


def _agent_is(ctx: _Context, m: re.Match, kind: str) -> bool:
    """Is the agent of the verb of this kind? "arresting": a non-state agent that the setting
    [coding] detentions_as_arrests names, whose detentions count as arrests."""
    found = _agent(ctx, m)
    if found is None:
        return False
    if kind == "arresting":
        agent, named = found[1], ctx.lex.arresting
        return found[0] == "nonstate" and named is not None and any(
            a.start() < agent.end() and agent.start() < a.end() for a in named.finditer(ctx.text))
    return found[0] == kind


def _agent(ctx: _Context, m: re.Match) -> Optional[tuple[str, re.Match]]:
    """Who acted, as its kind and the words naming it: a 'by X' after the verb, else (active
    voice) the nearest actor before it."""
    by = ctx.lower.find(" by ", m.end(), m.end() + 50)
    if by >= 0:
        for kind in ("state", "nonstate"):
            for a in ctx.actors(kind):
                if by <= a.start() < by + 30:
                    return kind, a
    if _is_passive(ctx, m):
        return None  # the noun before a passive verb is its object, not its agent
    best, best_key = None, (-1, 0)
    lo = m.start() - _AGENT_WINDOW
    for kind in ("state", "nonstate"):
        for a in ctx.actors(kind):
            # the nearest name wins; of two ending together the longer ("HTS security forces"
            # over "security forces"), since a group's own forces belong to the group
            key = (a.end(), -a.start())
            if lo <= a.start() and a.end() <= m.start() and key > best_key \
                    and not _OBJECT_PHRASE.search(ctx.lower, max(0, a.start() - 40), a.start()):
                best, best_key = (kind, a), key
    return best


def _is_passive(ctx: _Context, m: re.Match) -> bool:
    # the auxiliary may be part of the trigger itself ("were shot")
    return _PASSIVE.search(ctx.lower, max(0, m.start() - 14), m.start()) is not None \
        or _PASSIVE_START.match(ctx.lower, m.start()) is not None


def _victim(ctx: _Context, m: re.Match) -> Optional[str]:
    """Who was hit: the nearest civilian or armed noun after an active verb (else before it, past
    its subject), before a passive one."""
    after = (m.end(), m.end() + _VICTIM_WINDOW, True)
    if _is_passive(ctx, m):
        order = ((m.start() - _VICTIM_WINDOW, m.start(), False), after)
    else:
        # the noun right before an active verb is its subject ("gunmen opened fire"), not its victim
        subject = None if ctx.lex.subject_hurt.fullmatch(m.group(0).lower()) \
            else _SUBJECT_GAP.search(ctx.lower, max(0, m.start() - 30), m.start())
        hi = subject.start() if subject else m.start()
        order = (after, (m.start() - _VICTIM_WINDOW, hi, False))
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
    known: dict[str, bool] = {}  # condition -> whether it holds: rules share their cues, and `before` stays

    def holds(cond: str) -> bool:
        hold = known.get(cond)
        if hold is None:
            hold = known[cond] = _holds(ctx, cond, before)
        return hold

    for rule in ctx.lex.rules:
        if not all(map(holds, rule.when)) or any(map(holds, rule.unless)):
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
    if kind == "has":  # "has:A|B": any of the sub-types scored
        return any(scores.get(sub, 0.0) >= ctx.lex.threshold for sub in arg.split("|"))
    raise ValueError(f"event lexicon: unknown rule condition {cond!r}")


def _rule_span(ctx: _Context, rule: Rule, spans: dict[str, tuple[int, int]]) -> tuple[int, int]:
    # the words of the most specific condition (the last one) explain the floor
    for cond in reversed(rule.when):
        kind, _, arg = cond.partition(":")
        if kind == "cue" and ctx.cue(arg) is not None:
            return ctx.cue(arg).span()
        if kind == "has" and arg in spans:
            return spans[arg]
    return (0, 0)


def _why_below_threshold(ctx: _Context, candidates: list[TypeScore], scores: dict[str, float]) -> tuple[str, str]:
    """Why no candidate reached the threshold: a non-event context damped the best reading, or
    its trigger is weak (a threat or plan damps a trigger, too)."""
    best = max(candidates, key=lambda t: t.score)
    threshold = ctx.lex.threshold
    if scores[best.sub_event_type] >= threshold:
        for cat in ctx.lex.non_event:
            cue = ctx.search(cat.cue) if best.sub_event_type in cat.applies_to else None
            if cue is not None and not (cat.unless and ctx.search(cat.unless) is not None):
                return ("non-event-context", f"'{best.trigger}' reads as {best.sub_event_type}, but the {cat.name} "
                        f"wording '{cue.group(0)}' damps it to {best.score:.2f}, under the threshold {threshold:g}")
    return ("weak-trigger", f"the strongest reading, {best.sub_event_type} from '{best.trigger}', scores "
            f"{best.score:.2f}, under the threshold {threshold:g}")


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
        lexicon: from resources.load_event_lexicon().
    Returns:
        The strongest incident word's weight (0 when none): the signal stems (prefix match of
        each lower-cased word), and every trigger of classify_incident, tried only at the words
        that start with one of its prefixes, so that any sentence the classifier could type
        gets through. An upper bound: classify_incident makes the real decision.
    """
    ctx = _context(sentence, lexicon)
    stems, lengths = lexicon.signal_stems, lexicon.signal_lengths
    best = 0.0
    for word in _WORD.findall(ctx.lower):
        for n in lengths:
            if n > len(word):
                break
            w = stems.get(word[:n])
            if w is not None and w > best:
                best = w
    if ctx.folds_safely:
        # the classifier's own reading of the triggers: on such a text a trigger matches at
        # the word starts its prefixes begin exactly when re.I finds it in the sentence
        return max(best, max((t.weight for t, found in ctx.trigger_matches() if found), default=0.0))
    return max(best, _trigger_signal(ctx, best))


def _trigger_signal(ctx: _Context, floor: float) -> float:
    """The weight of the strongest trigger above floor that matches the sentence, else 0: the
    triggers its words may start, strongest first, each tried at the word starts that carry
    one of its prefixes (without prefixes, anywhere)."""
    lex = ctx.lex
    triggers, lower, text = lex.trigger_of, ctx.lower, ctx.text
    plain = ctx.same_length
    for pid in sorted(ctx.live.intersection(triggers), key=lex.strength_rank.__getitem__):
        trig = triggers[pid]
        if trig.weight <= floor:
            break
        g = trig.pattern
        if g.gate is None:  # on a text that folds safely, re.I on it finds what the lower-cased search does
            if (g.search(ctx) if ctx.folds_safely else g.regex.search(text)) is not None:
                return trig.weight
            continue
        match, on = (g.fast.match, lower) if plain and not g.case_sensitive else (g.regex.match, text)
        for pos in ctx.starts(g.gate):
            if match(on, pos) is not None:
                return trig.weight
    return 0.0
