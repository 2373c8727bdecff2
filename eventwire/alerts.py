"""Alerts on a saved search: after each ingest, the events that newly match it.

`watch` polls the store's write sequence number (it changes with every write); when it has
moved, the saved search's filter is run again and each matching event not seen before is
yielded -- printed by `eventwire watch NAME` and, with a webhook URL, POSTed there as JSON
one event at a time. Events matching when the watch starts are the baseline, not news.
"""
from __future__ import annotations

import dataclasses
import json
import time
import urllib.request
from typing import Callable, Iterator, Optional

from .errors import NotFound
from .records import Event

__all__ = ["Watch", "WebhookError", "post_webhook", "watch"]

_WATCH_LIMIT = 1000  # newest matches compared per poll
_WEBHOOK_TIMEOUT = 10.0


class WebhookError(RuntimeError):
    """The webhook receiver did not take an event (the watch goes on)."""


def _matches(db_url: Optional[str], query) -> tuple[int, list[Event]]:
    from .store.analytics import Analytics
    from .store.db import open_store
    with open_store(db_url, read_only=True) as store:
        a = Analytics(store)
        return a.version(), [s.event for s in a.find(query)]


class Watch:
    """A saved search being watched: its matches when the watch began are the baseline."""

    def __init__(self, db_url: Optional[str], name: str) -> None:
        from .analyst import saved_search
        from .web.analyst_routes import query_from_filter  # the /events parameter rules
        search = saved_search(db_url, name)
        if search is None:
            raise NotFound(f"no saved search named {name!r} (create one with POST /searches)")
        self.db_url, self.name = db_url, name
        self.query = dataclasses.replace(query_from_filter(search.filter, limit=_WATCH_LIMIT),
                                         sort="seq", descending=True)
        self.version, current = _matches(db_url, self.query)
        self.seen = {e.event_id for e in current}

    def poll(self) -> list[Event]:
        """The events newly matching since the last poll (oldest first); none when nothing
        was written to the store meanwhile."""
        now, current = _matches(self.db_url, self.query)
        if now == self.version:
            return []
        self.version = now
        new = [e for e in reversed(current) if e.event_id not in self.seen]
        self.seen.update(e.event_id for e in new)
        return new


def watch(db_url: Optional[str], name: str, interval: float = 5.0,
          polls: Optional[int] = None, sleep: Callable[[float], None] = time.sleep,
          started: Optional[Watch] = None) -> Iterator[list[Event]]:
    """Yield, after each write to the store, the events newly matching saved search `name`.
    Stops after `polls` polls when given, else runs until interrupted."""
    w = started or Watch(db_url, name)
    done = 0
    while polls is None or done < polls:
        sleep(interval)
        done += 1
        new = w.poll()
        if new:
            yield new


def post_webhook(url: str, name: str, event: Event) -> None:
    """POST one new match as JSON: {"search": NAME, "event": RECORD}."""
    body = json.dumps({"search": name, "event": event.to_record()}).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "eventwire-watch"})
    try:
        with urllib.request.urlopen(req, timeout=_WEBHOOK_TIMEOUT) as r:
            if not 200 <= r.status < 300:
                raise WebhookError(f"webhook {url} answered {r.status}")
    except OSError as exc:  # URLError, HTTPError, timeouts
        raise WebhookError(f"webhook {url} failed for {event.event_id}: {exc}") from exc
