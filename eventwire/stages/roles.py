"""Roles stage: who did what to whom, from the actors named around an incident's trigger.

ACLED's actor1/actor2 do not strictly mean attacker/target, but analysts read actor1 as the
initiator, so we put the perpetrator first when the wording says who it is ("killed by X",
"X shot dead", "claimed by X"), and fill the side ACLED always names: civilians for violence
against civilians, protesters for protests, an unidentified armed group when nobody is named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..records import ActorMention

@dataclass(frozen=True, slots=True)
class RoleWords:
    """Who acted and who was hit, from the words around an actor's name: the roles pack
    (data/lang/en/roles.json) and the kill forms of kill_verbs.json with a 'roles' use."""

    victim_after: re.Pattern  # "two HTS members were wounded"
    agent_after: re.Pattern  # "HTS stormed a prison"
    victim_before: re.Pattern  # "a drone strike targeting HTS"
    agent_attributive: re.Pattern = re.compile(r"(?!)")  # "rebel shelling", "a coalition air strike"
    other_subject: re.Pattern = re.compile(r"(?!)")  # "the army said HTS attacked"


def compile_role_words(pack: dict, kill_forms: list[dict]) -> RoleWords:
    """The roles stage's patterns from its pack and the kill forms (resources loads both)."""
    def words(use: str) -> str:
        found = [e["word"] for e in pack.get(use, ())] + [f["form"] for f in kill_forms
                                                          if any(r["use"] == use for r in f.get("roles", ()))]
        return "|".join(sorted(found, key=len, reverse=True))
    return RoleWords(
        re.compile(rf"^[^.;]{{0,60}}?\b(?:was|were|had been|have been|has been|got)\s+(?:\w+\s+)?(?:{words('victim_after')})\b", re.I),
        re.compile(rf"^[^.;]{{0,50}}?\b(?:{words('agent_after')})\b", re.I),
        re.compile(rf"\b(?:{words('victim_before')})\s+(?:the\s+|a\s+|an\s+|\w+\s+){{0,3}}$", re.I),
        re.compile(rf"^[\s-]*(?:\([^()]{{0,40}}\)\s*)?(?:(?:{words('attributive_gap')})\s+)?"
                   rf"(?:{words('agent_attributive')})\b(?!\s+(?:(?:were|was|had been|have been)\s+)?"
                   rf"(?:{words('presence_after')})\b)", re.I),
        re.compile(rf"\b(?:{words('speech_between')})\b(?!\s+(?:that\s+)?(?:{words('speaker_pronouns')})\b)", re.I))


_AGAINST_PREFIX = re.compile(r"\b(?:anti|counter)\s*-?\s*$", re.I)  # "an anti-IS raid": IS is the target
_BY_BEFORE = re.compile(r"\b(?:by|claimed by|attributed to)\s+(?:the\s+|an?\s+)?$", re.I)
_BY_OR_WITH_BEFORE = re.compile(r"\b(?:by|attributed to|claimed by|with)\s+(?:the\s+|an?\s+)?$", re.I)
_STATE, _REBEL, _POLITICAL, _IDENTITY, _RIOTERS, _PROTESTERS, _CIVILIANS, _EXTERNAL = range(1, 9)


@dataclass(frozen=True, slots=True)
class Roles:
    """The coded sides of an event."""

    actor1: Optional[str]
    actor2: Optional[str]
    assoc_actor_1: Optional[str]
    assoc_actor_2: Optional[str]
    inter1: Optional[int]
    inter2: Optional[int]

    @property
    def interaction(self) -> Optional[int]:
        """ACLED's interaction code: the two inter codes, smaller first (20 for one-sided)."""
        if self.inter1 is None:
            return None
        if self.inter2 is None:
            return self.inter1 * 10
        a, b = sorted((self.inter1, self.inter2))
        return a * 10 + b


def assign_roles(text: str, mentions: list[ActorMention], event_type: str, sub_event_type: str,
                 country: Optional[str], words: RoleWords) -> Roles:
    """Order the incident's actors into actor1 (initiator) and actor2 (the other side)."""
    actors = _unique(mentions)
    agents = [a for a in actors if _is_agent(text, a, words)]
    victims = [a for a in actors if a not in agents and _is_victim(text, a, words)]
    others = [a for a in actors if a not in agents and a not in victims]
    side1 = agents + [a for a in others if a.inter != _CIVILIANS]
    side2 = victims + [a for a in others if a.inter == _CIVILIANS]
    side1 = [a for a in side1 if a.inter != _CIVILIANS] + [a for a in side1 if a.inter == _CIVILIANS]
    return _by_type(side1, side2, agents, event_type, sub_event_type, country)


def _by_type(side1: list[ActorMention], side2: list[ActorMention], agents: list[ActorMention], event_type: str,
             sub: str, country: Optional[str]) -> Roles:
    if event_type == "Protests":
        return _protest(side1 + side2, sub, country)
    if event_type == "Riots":
        rioters = (_generic("Rioters", country), _RIOTERS)
        rest = [a for a in side1 + side2 if a.inter not in (_RIOTERS, _PROTESTERS)]
        return _pack(rioters, _first(rest) if rest else ((_generic("Civilians", country), _CIVILIANS) if sub == "Mob violence" else None), [], [])
    if event_type == "Violence against civilians":
        perpetrators = [a for a in side1 + side2 if a.inter != _CIVILIANS]
        victims = [a for a in side1 + side2 if a.inter == _CIVILIANS]
        actor1 = _first(perpetrators) if perpetrators else (_generic("Unidentified Armed Group", country), _POLITICAL)
        actor2 = _first(victims) if victims else (_generic("Civilians", country), _CIVILIANS)
        return _pack(actor1, actor2, perpetrators[1:], [])
    ordered = side1 + side2
    if sub == "Air/drone strike":
        # only states and foreign forces fly aircraft here; a rebel group named first is the target,
        # unless the wording makes it the attacker ("mortar shelling by ISIS", "rebel bombardment"):
        # a named attacker is never put behind an actor the wording gives no part
        ordered = sorted(ordered, key=lambda a: (a not in agents, a.inter not in (_STATE, _EXTERNAL)))
    if not ordered:
        if event_type in ("Explosions/Remote violence", "Battles"):
            return _pack((_generic("Unidentified Armed Group", country), _POLITICAL), None, [], [])
        return Roles(None, None, None, None, None, None)
    if event_type == "Explosions/Remote violence" and sub != "Air/drone strike" and (
            not side1 or all(a.inter == _CIVILIANS for a in ordered)):
        # "a landmine killed two children", "an IED targeted an army patrol": the named are the
        # victims, never the side that laid the mine or fired the shell, which goes unnamed
        return _pack((_generic("Unidentified Armed Group", country), _POLITICAL), _first(ordered),
                     [], ordered[1:])
    actor1 = _first(ordered)
    # the other side: a named target first, else the next actor named
    rest = [a for a in side2 + side1 if a.name != actor1[0]]
    actor2 = _first(rest) if rest else None
    assoc2 = [a for a in rest[1:] if a.inter == _CIVILIANS or not side2 or a in side2]
    assoc1 = [a for a in rest[1:] if a not in assoc2]
    return _pack(actor1, actor2, assoc1, assoc2)


def _protest(actors: list[ActorMention], sub: str, country: Optional[str]) -> Roles:
    protesters = (_generic("Protesters", country), _PROTESTERS)
    named = [a for a in actors if a.inter not in (_PROTESTERS, _CIVILIANS)]
    if sub in ("Protest with intervention", "Excessive force against protesters"):
        force = [a for a in named if a.inter == _STATE]
        actor2 = _first(force) if force else (f"Police Forces of {country}" if country else "Police Forces", _STATE)
        return _pack(protesters, actor2, [], [])
    return _pack(protesters, None, [a for a in named if a.inter in (_POLITICAL, _IDENTITY)], [])


def _pack(actor1, actor2, assoc1: list[ActorMention], assoc2: list[ActorMention]) -> Roles:
    def names(items: list[ActorMention]) -> Optional[str]:
        unique = list(dict.fromkeys(a.name for a in items if a.name not in (actor1 and actor1[0], actor2 and actor2[0])))
        return "; ".join(unique) if unique else None
    return Roles(actor1[0] if actor1 else None, actor2[0] if actor2 else None, names(assoc1), names(assoc2),
                 actor1[1] if actor1 else None, actor2[1] if actor2 else None)


def _first(items: list[ActorMention]) -> tuple[str, int]:
    return items[0].name, items[0].inter


def _generic(kind: str, country: Optional[str]) -> str:
    return f"{kind} ({country})" if country else kind


def _unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: dict[str, ActorMention] = {}
    for m in mentions:
        seen.setdefault(m.name, m)
    return list(seen.values())


def _is_agent(text: str, m: ActorMention, words: RoleWords) -> bool:
    before = text[max(0, m.start - 30):m.start]
    after = text[m.end:m.end + 70]
    if (words.agent_attributive.match(after) or _ends_with_attack(m, after, words)) and not _AGAINST_PREFIX.search(before):
        return True  # the name modifies the attack noun: "rebel shelling", "a coalition air strike"
    if words.victim_after.match(after) or words.victim_before.search(before[-25:]):
        return bool(_BY_BEFORE.search(before))
    acted = words.agent_after.match(after)
    if acted and words.other_subject.search(acted.group()):
        acted = None  # "the army said HTS attacked": the reported act has another subject
    return bool(acted) or bool(_BY_OR_WITH_BEFORE.search(before))


def _ends_with_attack(m: ActorMention, after: str, words: RoleWords) -> bool:
    """The mention took in its attack noun as a trailer ("HTS artillery")."""
    parts = m.surface.split()
    return len(parts) > 1 and bool(words.agent_attributive.match(" " + parts[-1] + after))


def _is_victim(text: str, m: ActorMention, words: RoleWords) -> bool:
    before = text[max(0, m.start - 30):m.start]
    after = text[m.end:m.end + 70]
    return bool(words.victim_after.match(after) or words.victim_before.search(before))
