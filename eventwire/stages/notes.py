"""Notes stage: a one-sentence summary of a coded event in ACLED's style."""
from __future__ import annotations

import datetime as dt

from ..records import Event


def write_note(event: Event, templates: dict) -> str:
    """'On 9 January 2021, A clashed with B in Ash Shula (Deir-ez-Zor), Syria. 7 fatalities.'

    `templates`: the action phrases per sub-event type (resources.load_note_templates()).
    """
    a1 = event.actor1 or "unidentified actors"
    if event.actor2:
        action = templates["with_target"][event.sub_event_type].format(a1=a1, a2=event.actor2)
    else:
        action = templates["alone"][event.sub_event_type].format(a1=a1)
    when = f"On {_long_date(event.event_date, event.time_precision)}, " if event.event_date else ""
    where = _where(event)
    text = f"{when}{action}{where}."
    text = text[0].upper() + text[1:]
    figures = []
    if event.fatalities:
        figures.append(f"{event.fatalities} fatalit{'y' if event.fatalities == 1 else 'ies'}")
    if event.injuries:
        figures.append(f"{event.injuries} injured")
    if event.arrests:
        figures.append(f"{event.arrests} arrested")
    return text + (" " + ", ".join(figures) + "." if figures else "")


def _long_date(iso: str, precision: int) -> str:
    d = dt.date.fromisoformat(iso)
    if precision >= 3:
        return f"{d.strftime('%B')} {d.year}"
    day = f"{d.day} {d.strftime('%B')} {d.year}"
    return f"around {day}" if precision == 2 else day


def _where(event: Event) -> str:
    if event.location and event.admin1 and event.location != event.admin1:
        return f" in {event.location} ({event.admin1}), {event.country}" if event.country else f" in {event.location} ({event.admin1})"
    if event.location:
        return f" in {event.location}" + (f", {event.country}" if event.country else "")
    if event.country:
        return f" in {event.country}"
    return ""
