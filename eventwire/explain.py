"""Why each sentence did or did not become an event: the components' decisions, sentence by sentence.

`explain_article` runs one article through the same components as `extract` and reads the Doc
they leave: for each sentence, the incident it joined and how that incident was coded (type,
trigger, place, actors, date, counts, events), or the Dropped records that say why it is no
event. The read stage's part is told too: the lines of a text scrape it left out of the body.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Union

from .doc import Coding, Doc
from .pipeline import Reader, components, run
from .records import Article, RawDocument, Rejected
from .resources import Resources, load_read_resources
from .inputs import iter_documents


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _coding_summary(coding: Coding, number: int) -> dict:
    place, roles, best = coding.place, coding.roles, coding.best
    return {
        "incident": number, "event_type": best.event_type, "sub_event_type": best.sub_event_type,
        "trigger": best.trigger, "score": round(best.score, 3),
        "place": {"location": place.location, "admin1": place.admin1, "country": coding.country,
                  "geo_precision": place.geo_precision, "words": place.surface},
        "places_listed": [p.location for p in coding.places] if len(coding.places) > 1 else [],
        "actor1": roles.actor1, "actor2": roles.actor2,
        "event_date": coding.event_date, "time_precision": coding.time_precision,
        "fatalities": coding.fatalities, "injuries": coding.injuries, "arrests": coding.arrests,
    }


def explain_doc(doc: Doc, left_out: Iterable[tuple[str, str]] = ()) -> dict:
    """The explanation of one Doc that went through every component."""
    number_of = {id(c.incident): i + 1 for i, c in enumerate(doc.codings)}
    coding_of = {id(c.incident): c for c in doc.codings}
    sentences = []
    for s in doc.sentences:
        span = (s.start, s.end)
        entry: dict = {"index": s.index, "start": s.start, "end": s.end, "text": s.text}
        for incident in doc.incidents:
            if any(m.sentence.index == s.index for m in incident.mentions) and id(incident) in coding_of:
                entry["decision"] = "incident"
                entry.update(_coding_summary(coding_of[id(incident)], number_of[id(incident)]))
                entry["events"] = [e.event_id for e in doc.events
                                   if any(_overlaps(span, (a, b)) for a, b in e.sources[0].spans)]
        drops = [{"stage": d.stage, "code": d.code, "detail": d.detail, **({"reason": d.reason} if d.reason else {})}
                 for d in doc.dropped if _overlaps(span, d.span)]
        if drops:
            entry["dropped"] = drops
        entry.setdefault("decision", "dropped" if drops else "no incident")
        sentences.append(entry)
    a = doc.article
    return {"doc": a.id, "published": a.published.isoformat() if a.published else None,
            "events": len(doc.events), "sentences": sentences,
            "read": [{"stage": "read", "code": code, "text": text} for code, text in left_out]}


def _left_out(raw: RawDocument, article: Article) -> list[tuple[str, str]]:
    """Lines of a text scrape the read stage kept out of the article body (menus, comments, sidebars)."""
    if raw.text is None:
        return []
    body = " ".join(article.text.split())
    return [("not-article-body", line) for line in (" ".join(ln.split()) for ln in raw.text.splitlines())
            if line and line not in body and line != (article.title or "")]


def explain(paths: Iterable[str], resources: Resources, doc_id: Optional[str] = None) -> Iterator[Union[dict, Rejected]]:
    """The explanation of every document under `paths` (or only the one with `doc_id`)."""
    reader, pipes = Reader(load_read_resources()), components(resources)
    for raw in iter_documents(paths):
        if doc_id is not None and getattr(raw, "id", getattr(raw, "item_id", None)) != doc_id:
            continue
        item = reader(raw) if isinstance(raw, RawDocument) else raw
        if isinstance(item, Rejected):
            yield item
            continue
        yield explain_doc(run(item, pipes), _left_out(raw, item))


def as_text(explanation: dict) -> str:
    """The explanation for a terminal: one block per sentence."""
    out = [f"{explanation['doc']} (published {explanation['published'] or 'unknown'}): {explanation['events']} event(s)"]
    for s in explanation["sentences"]:
        out.append(f"\n[{s['index']}] {s['text']}")
        if s["decision"] == "incident":
            place = s["place"]
            out.append(f"    incident {s['incident']}: {s['event_type']} / {s['sub_event_type']} (trigger '{s['trigger']}')")
            out.append(f"    place: {place['location'] or '-'}, {place['admin1'] or '-'}, {place['country'] or '-'} "
                       f"(precision {place['geo_precision']})" + (f"; listed {', '.join(map(str, s['places_listed']))}"
                                                                 if s["places_listed"] else ""))
            out.append(f"    actors: {s['actor1'] or '-'} vs {s['actor2'] or '-'}; date {s['event_date']} "
                       f"(precision {s['time_precision']}); deaths {s['fatalities']}, injured {s['injuries']}, "
                       f"arrested {s['arrests']}")
            out.append(f"    events: {', '.join(s['events']) or '-'}")
        for d in s.get("dropped", []):
            why = f" ({d['reason']})" if d.get("reason") else ""
            out.append(f"    dropped by {d['stage']}: {d['code']}{why}: {d['detail']}")
        if s["decision"] == "no incident":
            out.append("    no incident")
    for r in explanation["read"]:
        out.append(f"\nleft out by read ({r['code']}): {r['text']}")
    return "\n".join(out)
