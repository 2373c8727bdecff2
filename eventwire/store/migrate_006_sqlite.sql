-- eventwire store, schema version 6 on SQLite: a narrow index from the full-text key to the
-- columns a text query counts, sums, windows and orders by, so `q=` reads no wide event row
-- to total its matches or to pick a page (a common word matches half the store; reading
-- each match's JSON record doubled the cost of counting them).
-- (PostgreSQL: migrate_006_postgresql.sql.)

CREATE INDEX IF NOT EXISTS events_text_cover ON events (text_key, event_date, fatalities, seq,
    event_id);
