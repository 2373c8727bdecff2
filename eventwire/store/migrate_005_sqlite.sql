-- eventwire store, schema version 5 on SQLite: the full-text index is keyed by a column of
-- its own, `events.text_key`, instead of the events row's rowid. A table whose primary key is
-- not an INTEGER PRIMARY KEY may have its rowids renumbered (VACUUM is allowed to; a dump
-- and restore does it after any deletion, e.g. a merge), which would point every index row
-- at another event. A stored column survives both. New keys count up from the largest.
-- (PostgreSQL: migrate_005_postgresql.sql; its tsvector sits in the events row itself.)

ALTER TABLE events ADD COLUMN text_key INTEGER;
UPDATE events SET text_key = rowid;
CREATE UNIQUE INDEX IF NOT EXISTS events_text_key ON events (text_key);

DROP TRIGGER IF EXISTS events_text_insert;
DROP TRIGGER IF EXISTS events_text_update;
DROP TRIGGER IF EXISTS events_text_delete;

CREATE TRIGGER events_text_insert AFTER INSERT ON events BEGIN
    UPDATE events SET text_key = (SELECT coalesce(max(text_key), 0) + 1 FROM events)
        WHERE rowid = new.rowid AND text_key IS NULL;
    INSERT INTO events_text (rowid, body) VALUES (
        (SELECT text_key FROM events WHERE rowid = new.rowid),
        coalesce(json_extract(new.record, '$.notes'), '') || ' ' || coalesce((SELECT
            group_concat(json_extract(s.value, '$.quote'), ' ')
            FROM json_each(new.record, '$.sources') AS s), ''));
END;

CREATE TRIGGER events_text_update AFTER UPDATE OF record ON events BEGIN
    DELETE FROM events_text WHERE rowid = old.text_key;
    INSERT INTO events_text (rowid, body) VALUES (new.text_key,
        coalesce(json_extract(new.record, '$.notes'), '') || ' ' || coalesce((SELECT
            group_concat(json_extract(s.value, '$.quote'), ' ')
            FROM json_each(new.record, '$.sources') AS s), ''));
END;

CREATE TRIGGER events_text_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_text WHERE rowid = old.text_key;
END;

-- Re-key the index (from scratch: a re-run must not double it).
DELETE FROM events_text;
INSERT INTO events_text (rowid, body) SELECT text_key,
    coalesce(json_extract(record, '$.notes'), '') || ' ' || coalesce((SELECT
        group_concat(json_extract(s.value, '$.quote'), ' ')
        FROM json_each(events.record, '$.sources') AS s), '')
    FROM events;
