-- eventwire store, schema version 2. Runs unchanged on SQLite and PostgreSQL.
-- `{record_confidence}` is the dialect's expression reading `confidence` from the JSON
-- record (filled in by Store.migrate; it carries no user input).

-- The extractor's confidence as a column, so that sorting and filtering by it need not
-- parse every stored record; backfilled from the record of every existing event.
ALTER TABLE events ADD COLUMN confidence DOUBLE PRECISION;
UPDATE events SET confidence = {record_confidence} WHERE confidence IS NULL;

-- A covering index of the columns the dashboard filters, counts, maps and aggregates on:
-- those queries then read this narrow index instead of the wide rows, whose JSON record
-- makes every scan page-bound.
CREATE INDEX IF NOT EXISTS events_cover ON events (event_date, event_type, sub_event_type,
    admin1, country, fatalities, latitude, longitude, actors, seq, event_id, confidence);
