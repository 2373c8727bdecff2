"""eventwire/store/db.py schema version 2 as the web reads it: the confidence column and the
covering index arrive by migration on SQLite and PostgreSQL (backfilled from each stored
record), and the web's read-only opens neither migrate nor write.

(Lives beside the web tests because the dashboard is what needs the column; the store's own
tests are tests/store.)
"""
from __future__ import annotations

import pytest

from eventwire.store.db import _MIGRATIONS, StoreError, open_store
from eventwire.store.query import EventQuery


def _copy_seed_events(seed_db: str, url: str) -> dict[str, float]:
    """The seed store's events saved into the store at `url`; event_id -> confidence."""
    with open_store(seed_db, read_only=True) as src:
        events = [s.event for s in src.find_events()]
    with open_store(url) as dst, dst.transaction():
        for n, e in enumerate(events, 1):
            dst.save_event(e, 1, n, new=True)
    return {e.event_id: e.confidence for e in events}


def _downgrade_to_v1(url: str) -> None:
    """Turn the store back into a schema-version-1 store (what older eventwire wrote)."""
    with open_store(url) as s, s.transaction():
        s.execute("DROP INDEX events_cover")
        s.execute("DROP INDEX events_points")
        s.execute("ALTER TABLE events DROP COLUMN confidence")
        if s.dialect == "sqlite":
            for name in ("insert", "update", "delete"):
                s.execute(f"DROP TRIGGER events_text_{name}")
            s.execute("DROP TABLE events_text")
            s.execute("DROP INDEX events_text_cover")
            s.execute("ALTER TABLE events DROP COLUMN map_point")
            s.execute("DROP INDEX events_date_text")
            s.execute("DROP INDEX events_fatalities_text")
            s.execute("DROP INDEX events_text_key")
            s.execute("ALTER TABLE events DROP COLUMN text_key")
        else:
            s.execute("ALTER TABLE events DROP COLUMN search")
        s.execute("DELETE FROM schema_version WHERE version > 1")


_WORDS = ("killed", "shell", "Deir", "zzzz")


def _searches(store) -> dict[str, list[str]]:
    return {w: sorted(s.event.event_id for s in store.find_events(EventQuery(q=w)))
            for w in _WORDS}


def _searches_of(url: str) -> dict[str, list[str]]:
    with open_store(url, read_only=True) as store:
        return _searches(store)


def _columns(store) -> dict[str, float]:
    return dict(store.rows("SELECT event_id, confidence FROM events"))


def test_store_schema_migration_backfills_confidence(store_url, seed_db):
    expected = _copy_seed_events(seed_db, store_url)
    assert len(expected) >= 5 and all(0 < c <= 1 for c in expected.values())
    _downgrade_to_v1(store_url)
    with pytest.raises(StoreError, match="schema version 1"):
        open_store(store_url, read_only=True)  # the web's opens never migrate
    with open_store(store_url) as store:
        assert store.schema_version() == _MIGRATIONS[-1][0]
        assert _columns(store) == pytest.approx(expected)
    with open_store(store_url, read_only=True) as store:
        assert _columns(store) == pytest.approx(expected)
        assert _searches(store) == _searches_of(seed_db)  # the text index was backfilled


def test_store_schema_migration_rerun_skips_existing_column(store_url, seed_db):
    _copy_seed_events(seed_db, store_url)
    with open_store(store_url) as s, s.transaction():
        s.execute("DELETE FROM schema_version WHERE version > 1")  # column and index stay
    with open_store(store_url) as store:  # no "duplicate column" error
        assert store.schema_version() == _MIGRATIONS[-1][0]
        assert None not in _columns(store).values()
        assert _searches(store) == _searches_of(seed_db)  # nothing indexed twice


def test_store_schema_read_only_open_refuses_writes(store_url, seed_db):
    _copy_seed_events(seed_db, store_url)
    with open_store(store_url, read_only=True) as store:
        with pytest.raises(Exception, match="(?i)read.?only"):
            store.execute("UPDATE events SET fatalities = 99")
        assert store.count_events() >= 5


def test_store_schema_read_only_open_of_missing_file_fails(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(str(tmp_path / "absent.sqlite"), read_only=True)
    assert not (tmp_path / "absent.sqlite").exists()
