-- eventwire store, schema version 4 on PostgreSQL: a full-text vector of each event's notes
-- and source quotes, computed by the database from the record ('simple': no stemming, as
-- SQLite's FTS5 unicode61) and indexed with GIN, so `q=` no longer scans every event.
-- (SQLite: migrate_004_sqlite.sql.)

ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, coalesce(record::jsonb ->> 'notes', ''))
    || to_tsvector('simple'::regconfig,
                   jsonb_path_query_array(record::jsonb, '$.sources[*].quote'))) STORED;
CREATE INDEX IF NOT EXISTS events_search ON events USING GIN (search);
