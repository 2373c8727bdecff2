-- eventwire store, schema version 4 on SQLite: a full-text index of each event's notes and
-- source quotes (FTS5), so `q=` no longer scans every event. Its rows are keyed by the
-- events row's rowid and kept in step by triggers (the record is the only indexed input).
-- (PostgreSQL: migrate_004_postgresql.sql, a generated tsvector with a GIN index.)

CREATE VIRTUAL TABLE IF NOT EXISTS events_text USING fts5 (body,
    tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER IF NOT EXISTS events_text_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_text (rowid, body) VALUES (new.rowid,
        coalesce(json_extract(new.record, '$.notes'), '') || ' ' || coalesce((SELECT
            group_concat(json_extract(s.value, '$.quote'), ' ')
            FROM json_each(new.record, '$.sources') AS s), ''));
END;

CREATE TRIGGER IF NOT EXISTS events_text_update AFTER UPDATE OF record ON events BEGIN
    DELETE FROM events_text WHERE rowid = old.rowid;
    INSERT INTO events_text (rowid, body) VALUES (new.rowid,
        coalesce(json_extract(new.record, '$.notes'), '') || ' ' || coalesce((SELECT
            group_concat(json_extract(s.value, '$.quote'), ' ')
            FROM json_each(new.record, '$.sources') AS s), ''));
END;

CREATE TRIGGER IF NOT EXISTS events_text_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_text WHERE rowid = old.rowid;
END;

-- Index the events stored before this version (from scratch: a re-run must not double them).
DELETE FROM events_text;
INSERT INTO events_text (rowid, body) SELECT rowid,
    coalesce(json_extract(record, '$.notes'), '') || ' ' || coalesce((SELECT
        group_concat(json_extract(s.value, '$.quote'), ' ')
        FROM json_each(events.record, '$.sources') AS s), '')
    FROM events;
