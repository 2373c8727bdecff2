-- eventwire store, schema version 1. Runs unchanged on SQLite and PostgreSQL.
-- Nothing is overwritten silently: every report's own claim is kept in `claims`,
-- every link/split decision in `merge_decisions`; `events` holds the resolved view.

CREATE TABLE IF NOT EXISTS documents (
    doc_hash      TEXT PRIMARY KEY,      -- sha256 of the cleaned article text: the idempotency key
    doc_id        TEXT NOT NULL,
    title         TEXT,
    outlet        TEXT,
    published     TEXT,
    url           TEXT,
    text          TEXT,                  -- the cleaned article text the reports quote
    n_events      INTEGER NOT NULL,
    n_rejected    INTEGER NOT NULL,
    seq           BIGINT NOT NULL,       -- ingest order; ties every later row to a document
    ingested_at   BIGINT NOT NULL        -- unix seconds
);
CREATE INDEX IF NOT EXISTS documents_doc_id ON documents (doc_id);

-- One row per incident after linking: the resolved record shown to users.
CREATE TABLE IF NOT EXISTS events (
    event_id        TEXT PRIMARY KEY,
    event_date      TEXT,
    event_type      TEXT,
    sub_event_type  TEXT,
    actors          TEXT,                -- lower-cased actor1/actor2/associated, for filtering
    country         TEXT,
    admin1          TEXT,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    fatalities      INTEGER,
    n_sources       INTEGER NOT NULL,
    record          TEXT NOT NULL,       -- the EVENTS.md record as JSON
    seq             BIGINT NOT NULL,     -- creation order: export order
    updated_at      BIGINT NOT NULL      -- unix seconds of the last change (ACLED `timestamp`)
);
CREATE INDEX IF NOT EXISTS events_date ON events (event_date);
CREATE INDEX IF NOT EXISTS events_seq ON events (seq);

-- One row per report of an incident: what one document claims (the extractor's event).
CREATE TABLE IF NOT EXISTS claims (
    report_id       TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events (event_id),
    doc_hash        TEXT NOT NULL REFERENCES documents (doc_hash),
    doc_id          TEXT NOT NULL,
    outlet          TEXT,
    published       TEXT,
    block_family    TEXT NOT NULL,       -- event-type family used for blocking
    event_date      TEXT,
    event_type      TEXT,
    sub_event_type  TEXT,
    actor1          TEXT,
    actor2          TEXT,
    country         TEXT,
    admin1          TEXT,
    location        TEXT,
    geo_precision   INTEGER,
    fatalities      INTEGER,
    injuries        INTEGER,
    record          TEXT NOT NULL,       -- the extractor's event as JSON, unchanged
    seq             BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_block ON claims (country, block_family, event_date);
CREATE INDEX IF NOT EXISTS claims_event ON claims (event_id);
CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_hash);
CREATE INDEX IF NOT EXISTS claims_doc_id ON claims (doc_id);

-- Why each report joined (or did not join) an event, with per-feature scores.
CREATE TABLE IF NOT EXISTS merge_decisions (
    report_id          TEXT NOT NULL,
    decision_no        INTEGER NOT NULL,     -- 1 at ingest; splits add 2, 3...
    event_id           TEXT NOT NULL,
    decision           TEXT NOT NULL,        -- 'new' | 'merge' | 'split'
    partner_report_id  TEXT,                 -- the best-matching report already stored
    score              DOUBLE PRECISION,
    features           TEXT NOT NULL,        -- JSON: feature -> score, or the analyst's reason
    seq                BIGINT NOT NULL,
    PRIMARY KEY (report_id, decision_no)
);
CREATE INDEX IF NOT EXISTS merge_decisions_event ON merge_decisions (event_id);

CREATE TABLE IF NOT EXISTS counters (
    name   TEXT PRIMARY KEY,
    value  BIGINT NOT NULL
);
