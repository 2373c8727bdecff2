"""Notes stage: a one-sentence summary of a coded event in ACLED's style."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Event


@dataclass(frozen=True)
class NoteWords:
    """How a note words each sub-event type and its figures (data/lang/en/notes.json)."""

    with_target: dict[str, str]  # sub-event type -> action with {a1} and {a2}
    alone: dict[str, str]  # sub-event type -> action with {a1} only
    unknown_actor: str  # stands for a missing actor1
    figures: dict[str, str]  # fatality / fatalities / injuries / arrests -> phrase with {n}
    months: tuple[str, ...] = ()  # the month names a date is written with (lang/en/metadata.json)


def note_words(pack: dict, months: tuple[str, ...]) -> NoteWords:
    """The note wording from the pack's entries, dates written with `months`."""
    entries = pack["sub_event_types"]
    return NoteWords(with_target={e["sub_event_type"]: e["with_target"] for e in entries},
                     alone={e["sub_event_type"]: e["alone"] for e in entries},
                     unknown_actor=pack["unknown_actor"], figures=dict(pack["figures"]), months=months)


def write_note(event: Event, words: NoteWords) -> str:
    """'On 9 January 2021, A clashed with B in Ash Shula (Deir-ez-Zor), Syria. 7 fatalities.'

    `words`: the action phrases per sub-event type (resources.load_note_words()).
    """
    a1 = event.actor1 or words.unknown_actor
    if event.actor2:
        action = words.with_target[event.sub_event_type].format(a1=a1, a2=event.actor2)
    else:
        action = words.alone[event.sub_event_type].format(a1=a1)
    when = f"On {_long_date(event.event_date, event.time_precision, words.months)}, " if event.event_date else ""
    where = _where(event)
    text = f"{when}{action}{where}."
    text = text[0].upper() + text[1:]
    figures = []
    if event.fatalities:
        figures.append(words.figures["fatality" if event.fatalities == 1 else "fatalities"].format(n=event.fatalities))
    if event.injuries:
        figures.append(words.figures["injuries"].format(n=event.injuries))
    if event.arrests:
        figures.append(words.figures["arrests"].format(n=event.arrests))
    return text + (" " + ", ".join(figures) + "." if figures else "")


def _long_date(iso: str, precision: int, months: tuple[str, ...]) -> str:
    d = dt.date.fromisoformat(iso)
    if precision >= 3:
        return f"{months[d.month - 1]} {d.year}"
    day = f"{d.day} {months[d.month - 1]} {d.year}"
    return f"around {day}" if precision == 2 else day


def _where(event: Event) -> str:
    if event.location and event.admin1 and event.location != event.admin1:
        return f" in {event.location} ({event.admin1}), {event.country}" if event.country else f" in {event.location} ({event.admin1})"
    if event.location:
        return f" in {event.location}" + (f", {event.country}" if event.country else "")
    if event.country:
        return f" in {event.country}"
    return ""
