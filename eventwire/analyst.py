"""The analyst's loop behind the API and CLI: correct, split, merge, accept, review, saved
searches and their feeds.

Every function opens the store, does one job in one transaction and closes it. A correction
is recorded with who made it, when, the values before and after, and why
(`store.corrections`); the fields it sets are laid over the linker's view whenever the event
is resolved again (`services.refresh_event`), so later ingests keep it.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional, Sequence

from .errors import BadRequest
from .records import Event
from .services import refresh_event, split_in
from .store.corrections import Correction, Corrections, SavedSearch
from .store.db import Decision, open_store

__all__ = ["CorrectionError", "EDITABLE", "ReplayReport", "export_corrections", "replay_corrections", "real_date", "HistoryEntry", "ReviewItem", "accept_event",
           "correct_event", "event_history", "event_types", "find_places", "merge_events", "review_queue", "save_search",
           "saved_search", "saved_searches", "split_event"]


class CorrectionError(BadRequest):
    """A correction that cannot be applied (unknown field, bad value, unknown event)."""


class UnknownEvent(CorrectionError):
    """The event to correct is not in the store."""


# Fields an analyst may set, each with the check its value must pass.
_TEXT_LIMIT = 300


def _text(value: Any, name: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _TEXT_LIMIT:
        raise CorrectionError(f"{name} must be text of at most {_TEXT_LIMIT} characters")
    return value.strip() or None


def _note(value: Any, name: str) -> Optional[str]:
    if value is not None and (not isinstance(value, str) or len(value) > 2000):
        raise CorrectionError(f"{name} must be text of at most 2000 characters")
    return value.strip() if value else None


def _date(value: Any, name: str) -> str:
    return real_date(value, name)


def real_date(value: Any, name: str) -> str:
    """A calendar date YYYY-MM-DD (2017-04-31 is refused); the one check every filter and
    correction of a date uses (CLI, API, saved searches)."""
    text = str(value)
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise CorrectionError(f"{name} must be a real date YYYY-MM-DD, not {value!r}") from None


def _count(value: Any, name: str) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise CorrectionError(f"{name} must be a whole number from 0 to 100000")
    return value


def _coordinate(limit: float):
    def check(value: Any, name: str) -> Optional[float]:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or abs(value) > limit:
            raise CorrectionError(f"{name} must be a number from -{limit:g} to {limit:g}")
        return float(value)
    return check


def _precision(value: Any, name: str) -> int:
    if value not in (1, 2, 3):
        raise CorrectionError(f"{name} must be 1, 2 or 3")
    return int(value)


EDITABLE = {
    "event_date": _date, "event_type": _text, "sub_event_type": _text,
    "actor1": _text, "actor2": _text, "assoc_actor_1": _text, "assoc_actor_2": _text,
    "fatalities": _count, "injuries": _count, "arrests": _count,
    "country": _text, "admin1": _text, "admin2": _text, "admin3": _text, "location": _text,
    "latitude": _coordinate(90), "longitude": _coordinate(180), "geo_precision": _precision,
    "notes": _note,
}


@lru_cache(maxsize=1)
def event_types() -> dict[str, str]:
    """sub_event_type -> event_type, from the packaged lexicon (what a correction may set)."""
    from .resources import load_event_lexicon
    return dict(load_event_lexicon().types)


def _checked(changes: dict, current: Event) -> dict:
    """The validated fields to set; the type pair is kept consistent with ACLED's list."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise CorrectionError(f"cannot correct {', '.join(unknown)}; editable fields:"
                              f" {', '.join(EDITABLE)}")
    if not changes:
        raise CorrectionError("nothing to correct: give at least one field")
    out = {name: EDITABLE[name](value, name) for name, value in changes.items()}
    types = event_types()
    if "sub_event_type" in out:
        sub = out["sub_event_type"]
        if sub not in types:
            raise CorrectionError(f"unknown sub_event_type {sub!r}; known:"
                                  f" {', '.join(sorted(types))}")
        out.setdefault("event_type", types[sub])
    if "event_type" in out:
        sub = out.get("sub_event_type", current.sub_event_type)
        if out["event_type"] not in set(types.values()):
            raise CorrectionError(f"unknown event_type {out['event_type']!r}; known:"
                                  f" {', '.join(sorted(set(types.values())))}")
        if types.get(sub) != out["event_type"]:
            raise CorrectionError(f"sub_event_type {sub!r} is not a kind of"
                                  f" {out['event_type']!r}: set sub_event_type too")
    if ("latitude" in out) != ("longitude" in out):
        raise CorrectionError("latitude and longitude are corrected together")
    return out


def _reason(reason: Any) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise CorrectionError("every correction needs a reason")
    return reason.strip()[:1000]


def _author(author: Optional[str]) -> str:
    return (author or "analyst").strip()[:100] or "analyst"


def _get(store, event_id: str) -> Event:
    found = store.get_event(event_id)
    if found is None:
        raise UnknownEvent(f"no event {event_id!r}")
    return found.event


def correct_event(db_url: Optional[str], event_id: str, changes: dict, reason: str,
                  author: Optional[str] = None) -> tuple[Event, Correction]:
    """Set fields of an event as an analyst's claim; returns the corrected event and the
    correction recorded (fields whose value does not change are left out of it)."""
    why = _reason(reason)
    with open_store(db_url) as store, store.transaction():
        current = _get(store, event_id)
        fields = _checked(changes, current)
        before = {k: getattr(current, k) for k in fields}
        after = {k: v for k, v in fields.items() if before[k] != v}
        if not after:
            raise CorrectionError("the event already has these values")
        row = Corrections(store).add(event_id, "edit", _author(author), why,
                                     {k: before[k] for k in after}, after)
        refresh_event(store, event_id, row.correction_no)
        return _get(store, event_id), row


def accept_event(db_url: Optional[str], event_id: str, reason: str = "checked against the"
                 " sources", author: Optional[str] = None) -> Correction:
    """Record that an analyst checked an event and left it as it is (leaves the queue)."""
    with open_store(db_url) as store, store.transaction():
        _get(store, event_id)
        return Corrections(store).add(event_id, "accept", _author(author), _reason(reason),
                                      {}, {})


def split_event(db_url: Optional[str], event_id: str, report_ids: Sequence[str], reason: str,
                author: Optional[str] = None) -> str:
    """Take reports of an event into a new event; recorded on both; returns the new id."""
    why = _reason(reason)
    with open_store(db_url) as store, store.transaction():
        _get(store, event_id)
        owners = {r.event_id for r in store.reports_by_id(list(report_ids))}
        if owners - {event_id}:
            raise CorrectionError(f"the reports to split are not all in {event_id}")
        new_id = split_in(store, report_ids, why)
        moved = {"report_ids": sorted(report_ids)}
        notes = Corrections(store)
        notes.add(event_id, "split", _author(author), why, moved, {"new_event": new_id})
        notes.add(new_id, "split", _author(author), why, moved, {"from_event": event_id})
        return new_id


def merge_events(db_url: Optional[str], event_ids: Sequence[str], reason: str,
                 author: Optional[str] = None) -> str:
    """Join the reports of several events into the first; the others are removed, and the
    merge is recorded on the kept event (with every merged event's last view)."""
    why = _reason(reason)
    ids = list(dict.fromkeys(event_ids))
    if len(ids) < 2:
        raise CorrectionError("merge needs two or more different event ids")
    with open_store(db_url) as store, store.transaction():
        views = {i: _get(store, i) for i in ids}
        keep, gone = ids[0], ids[1:]
        seq = store.next_seq()
        notes = Corrections(store)
        for other in gone:
            reports = store.event_reports(other)
            store.move_reports([r.report_id for r in reports], keep)
            for r in reports:
                store.add_decision(Decision(r.report_id, store.next_decision_no(r.report_id),
                                            keep, "merge", None, None,
                                            {"from_event": other, "reason": why}), seq)
            notes.delete_event(other)
        refresh_event(store, keep, seq)
        notes.add(keep, "merge", _author(author), why,
                  {"merged": {i: views[i].to_record() | {"sources": None} for i in gone}},
                  {"merged_into": keep, "events": gone})
        return keep


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an event's history: a link decision or an analyst's correction."""

    seq: int
    kind: str
    author: str
    reason: str
    before: dict
    after: dict
    created_at: Optional[int]


def event_history(db_url: Optional[str], event_id: str) -> list[HistoryEntry]:
    """How the event came to be what it is: each report's link decision and each
    correction, in store order (UnknownEvent if the event never existed)."""
    with open_store(db_url) as store:
        fixes = Corrections(store).history([event_id])
        if store.get_event(event_id) is None and not fixes:
            raise UnknownEvent(f"no event {event_id!r}")
        out = [HistoryEntry(c.correction_no, c.kind, c.author, c.reason, c.before, c.after,
                            c.created_at) for c in fixes]
        for d in store.decisions(event_id):
            out.append(HistoryEntry(0, f"link:{d.decision}", "linker",
                                    str(d.features.get("reason", "")),
                                    {"report_id": d.report_id}, {"event_id": d.event_id,
                                                                 "score": d.score},
                                    None))
        return sorted(out, key=lambda h: (h.created_at is not None, h.seq))


# -- the review queue ---------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewItem:
    """An event likely to be wrong, with why."""

    record: dict
    score: float
    reasons: tuple[str, ...]


# What makes an event suspect, and how much (an event's score is the sum).
_SUSPECT = {"low confidence": 2.0, "single source": 1.0, "toll outlier": 2.0,
            "sources disagree": 1.5, "approximate place": 1.0, "no coordinates": 1.5}
_LOW_CONFIDENCE = 0.6
_TOLL_OUTLIER = 50  # a single incident's toll this high is rare enough to check


def _suspicions(rec: dict, n_sources: int) -> tuple[str, ...]:
    found = []
    if (rec.get("confidence") or 0) < _LOW_CONFIDENCE:
        found.append("low confidence")
    if n_sources <= 1:
        found.append("single source")
    if (rec.get("fatalities") or 0) >= _TOLL_OUTLIER:
        found.append("toll outlier")
    if rec.get("geo_precision") == 3:
        found.append("approximate place")
    if rec.get("latitude") is None:
        found.append("no coordinates")
    return tuple(found)


def review_queue(db_url: Optional[str], limit: int = 50) -> list[ReviewItem]:
    """Unreviewed events, the most likely wrong first (ties: newest first)."""
    with open_store(db_url) as store:
        done = Corrections(store).reviewed()
        items = []
        for stored in store.find_events():
            event = stored.event
            if event.event_id in done:
                continue
            reasons = list(_suspicions(event.to_record(), stored.n_sources))
            claims = store.event_reports(event.event_id) if stored.n_sources > 1 else []
            if len({(c.event.event_type, c.event.fatalities) for c in claims}) > 1:
                reasons.append("sources disagree")
            if reasons:
                rec = event.to_record()
                rec["n_sources"] = stored.n_sources
                items.append(ReviewItem(rec, sum(_SUSPECT[r] for r in reasons),
                                        tuple(reasons)))
    items.sort(key=lambda i: i.record.get("event_date") or "", reverse=True)
    items.sort(key=lambda i: -i.score)  # stable: newest first within a score
    return items[:limit]


# -- saved searches -----------------------------------------------------------------------

def save_search(db_url: Optional[str], name: str, filter: dict) -> SavedSearch:
    """Create or replace a named search (the caller checks the filter's fields)."""
    with open_store(db_url) as store, store.transaction():
        return Corrections(store).save_search(name, filter)


def saved_search(db_url: Optional[str], name: str) -> Optional[SavedSearch]:
    """One saved search, or None."""
    with open_store(db_url) as store:
        return Corrections(store).search(name)


def saved_searches(db_url: Optional[str]) -> list[SavedSearch]:
    """Every saved search."""
    with open_store(db_url) as store:
        return Corrections(store).searches()



# -- what analysts teach: actor aliases and places ----------------------------------------

@lru_cache(maxsize=1)
def _actors():
    from .resources import load_actor_lexicon
    return load_actor_lexicon()


def _forget_resources() -> None:
    """Drop loaded dictionaries so this process's next ingest and filter read the overlays."""
    from .resources import load_resources
    _actors.cache_clear()
    load_resources.cache_clear()


def _dictionary_actor(text: str) -> Optional[dict]:
    """The dictionary record `text` names as a whole (an id, a name or an alias), or None."""
    from .stages.actors import find_actors
    lex = _actors()
    if text in lex.records:
        return lex.records[text]
    found = find_actors(text, 0, len(text), lex, None)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text.rstrip()):
        return lex.records.get(found[0].actor_id)
    return None


def _named_actor(text: str) -> Optional[dict]:
    """The dictionary record of an id, a name or an alias, or of the name an event carries
    ("Islamic State (Syria)", "Military Forces of Syria (2000-2024)": the record's name with
    its country filled in); the first record in dictionary order when several share it."""
    import re
    found = _dictionary_actor(text)
    if found is not None:
        return found
    records = list(_actors().records.values())
    exact = [r for r in records if r.get("name") == text]  # a country's own forces first
    return next(iter(exact), None) or next(
        (r for r in records if "{country}" in (r.get("name") or "") and re.fullmatch(
            re.escape(r["name"]).replace(re.escape("{country}"), ".+"), text)), None)


def actor_filter(text: Optional[str]) -> Optional[str]:
    """What an actor filter matches: a dictionary actor's stored name (every country's
    variant of it: "ISIS", "IS" and "Daesh" all give "islamic state (") when the text names
    one as a whole, else the text itself as a substring."""
    if not text or not text.strip():
        return text
    rec = _dictionary_actor(text.strip())
    if rec is None:
        return text
    name = rec["name"]
    return name.split("{country}")[0] if "{country}" in name else name


def add_actor_alias(alias: str, actor: str, reason: str,
                    author: Optional[str] = None) -> dict:
    """Teach the actor dictionary a new name for a known actor (the actor overlay, read by
    every later ingest and filter); returns the overlay record."""
    import json
    import time

    from .resources import actor_overlay_path
    why = _reason(reason)
    alias = _text(alias, "alias")
    if not alias or len(alias) < 2:
        raise CorrectionError("alias must be at least two characters")
    rec = _named_actor(actor.strip()) if isinstance(actor, str) else None
    if rec is None:
        raise CorrectionError(f"unknown actor {actor!r}: give a dictionary actor's id, name"
                              " (as events carry it) or alias")
    line = {k: v for k, v in rec.items() if k not in ("aliases", "cased", "notes")}
    line.update(aliases=[alias], added_by=_author(author), reason=why,
                added_at=int(time.time()))
    path = actor_overlay_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    _forget_resources()
    return line


def find_places(name: str, limit: int = 20) -> list[dict]:
    """Gazetteer entries (packaged and overlay) named `name` once folded (vowels, doubled
    letters and articles aside: "Menbij" finds Manbij), the most populous first: what the
    panel's place picker offers."""
    from .gazetteer import fold_key
    from .resources import load_resources
    text = _text(name, "name")
    if not text:
        raise CorrectionError("give a place name to look up")
    gaz = load_resources().gazetteer
    hits = gaz.lookup(fold_key(text))
    rows = sorted({p.id: p for p in hits}.values(), key=lambda p: (-p.population, p.name, p.id))
    return [{"name": p.name, "country": gaz.country_name(p.cc) or p.cc, "country_code": p.cc,
             "admin1": p.admin1 or None,
             "admin2": p.admin2 or None, "latitude": p.lat, "longitude": p.lon,
             "kind": p.kind} for p in rows[:limit]]


def pin_place(place: dict, reason: str, author: Optional[str] = None) -> dict:
    """Add a place (a village pinned on the map) to the place overlay, read by every later
    ingest; `place` holds name, latitude, longitude and optionally country (ISO code),
    admin1, admin2, alternates. Returns the overlay row's fields."""
    import csv
    import tempfile
    from pathlib import Path

    from .place_overlay import merge_places
    from .resources import place_overlay_path
    why = _reason(reason)
    if not isinstance(place, dict):
        raise CorrectionError("the place must be an object")
    name = _text(place.get("name"), "name")
    if not name:
        raise CorrectionError("a place needs a name")
    row = {"name": name,
           "latitude": _coordinate(90)(place.get("latitude"), "latitude"),
           "longitude": _coordinate(180)(place.get("longitude"), "longitude"),
           "cc": (_text(place.get("country"), "country") or "").upper()[:2],
           "admin1": _text(place.get("admin1"), "admin1") or "",
           "admin2": _text(place.get("admin2"), "admin2") or "",
           "alternates": ";".join(a for a in place.get("alternates") or []
                                  if isinstance(a, str) and a.strip())[:1000],
           "source": f"pinned by {_author(author)}: {why}"[:300]}
    if row["latitude"] is None or row["longitude"] is None:
        raise CorrectionError("a place needs latitude and longitude")
    with tempfile.TemporaryDirectory(prefix="eventwire-pin-") as tmp:
        file = Path(tmp) / "pinned.csv"
        with open(file, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, list(row))
            w.writeheader()
            w.writerow(row)
        merge_places(place_overlay_path(), file)
    _forget_resources()
    return row


# -- corrections that outlive the store: anchored on the reports, replayed by identity -----

@dataclass(frozen=True)
class ReplayReport:
    """What replaying a corrections file did."""

    applied: int
    already: int  # the event already had the corrected values
    unmatched: int  # none of the anchored reports is in this store
    problems: tuple[str, ...] = ()


def export_corrections(db_url: Optional[str]) -> list[dict]:
    """Every edit, acceptance, split and merge of the store, each anchored on reports
    (report ids are the document's content hash and the report's place in it, so a store
    rebuilt from the same documents -- in any order -- holds them again): an edit or an
    acceptance on the reports its event holds now, a split on the reports it took off, a
    merge on the reports the kept event holds now."""
    out = []
    with open_store(db_url, read_only=True) as store:
        for c in Corrections(store).every():
            if c.kind in ("edit", "accept", "merge"):
                reports = store.event_reports(c.event_id)
            elif c.kind == "split" and "new_event" in c.after:  # its twin on the new event: skipped
                reports = store.reports_by_id(list(c.before.get("report_ids") or []))
            else:
                continue
            anchors = [{"report_id": r.report_id, "doc_hash": r.doc_hash} for r in reports]
            out.append({"kind": c.kind, "author": c.author, "reason": c.reason,
                        "created_at": c.created_at, "event_id": c.event_id,
                        "before": c.before if c.kind != "merge" else {},
                        "after": c.after, "anchors": anchors})
    return out


def replay_corrections(db_url: Optional[str], entries: Sequence[dict]) -> ReplayReport:
    """Apply exported corrections to a store, oldest first, each where its anchored reports
    are now (the event ids may differ): an edit or an acceptance to the event holding most of
    them, a split by taking them off the event they share with other reports, a merge by
    joining the events they are spread over. What the store already shows is left alone, so
    replaying twice changes nothing."""
    applied = already = unmatched = 0
    problems = []
    for n, entry in enumerate(entries, 1):
        ids = [a.get("report_id") for a in entry.get("anchors", []) if a.get("report_id")]
        kind = entry.get("kind")
        why, who = entry.get("reason") or "replayed", entry.get("author")
        with open_store(db_url, read_only=True) as store:
            found = store.reports_by_id(ids)
            owners = [r.event_id for r in found]
            target = max(set(owners), key=lambda e: (owners.count(e), e)) if owners else None
            accepted = target is not None and any(
                c.kind == "accept" for c in Corrections(store).history([target]))
            alone = target is not None and len(store.event_reports(target)) == owners.count(target)
        if target is None:
            unmatched += 1
            continue
        try:
            if kind == "accept" and accepted or kind == "split" and alone \
                    or kind == "merge" and len(set(owners)) == 1:
                already += 1
                continue
            if kind == "accept":
                accept_event(db_url, target, why, who)
            elif kind == "split":
                split_event(db_url, target, [r.report_id for r in found
                                             if r.event_id == target], why, who)
            elif kind == "merge":
                merge_events(db_url, [target, *sorted(set(owners) - {target})], why, who)
            elif kind != "edit":
                problems.append(f"correction {n}: unknown kind {kind!r}")
                continue
            else:
                correct_event(db_url, target, dict(entry.get("after") or {}), why, who)
            applied += 1
        except CorrectionError as exc:
            if "already has these values" in str(exc):
                already += 1
            else:
                problems.append(f"correction {n}: {exc}")
    return ReplayReport(applied, already, unmatched, tuple(problems))
