-- eventwire store, schema version 7 on SQLite: narrow indexes a text query walks in the
-- order of its page, testing each event against the full-text matches (query.where's
-- walk_order) without reading a wide event row: by date (a date window's count and page),
-- and by fatalities (a page of the deadliest). A common word matches half the store; its
-- page and its windowed count read the window's or the order's index entries only.
-- (PostgreSQL: migrate_007_postgresql.sql.)

CREATE INDEX IF NOT EXISTS events_date_text ON events (event_date, text_key, fatalities, seq,
    event_id);
CREATE INDEX IF NOT EXISTS events_fatalities_text ON events (fatalities, seq, event_id,
    text_key);
