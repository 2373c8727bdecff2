-- eventwire store, schema version 3. Runs unchanged on SQLite and PostgreSQL.
-- The analyst's loop: every correction is a claim by an analyst (who, when, before, after,
-- why), kept forever; the fields it sets are applied on top of the linker's resolved view
-- every time an event is resolved again, so a later ingest never undoes it.
CREATE TABLE IF NOT EXISTS corrections (
    correction_no  BIGINT PRIMARY KEY,   -- the store sequence number when it was made
    event_id       TEXT NOT NULL,
    kind           TEXT NOT NULL,        -- 'edit' | 'split' | 'merge' | 'accept'
    author         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    before_json    TEXT NOT NULL,        -- the corrected fields' values before (JSON object)
    after_json     TEXT NOT NULL,        -- the values the analyst set (JSON object)
    created_at     BIGINT NOT NULL       -- unix seconds
);
CREATE INDEX IF NOT EXISTS corrections_event ON corrections (event_id);

-- Saved searches: a named filter (the /events query parameters) with an Atom feed.
CREATE TABLE IF NOT EXISTS saved_searches (
    name        TEXT PRIMARY KEY,
    filter      TEXT NOT NULL,           -- JSON object of /events query parameters
    created_at  BIGINT NOT NULL
);
