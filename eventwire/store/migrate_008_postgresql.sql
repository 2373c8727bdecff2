-- eventwire store, schema version 8 on PostgreSQL: the map's index (see
-- migrate_008_sqlite.sql). Its keys are in the order GET /points reads: the newest date
-- first with unknown dates last, then seq and the event id byte by byte, as query.order_by
-- sorts (COLLATE "C"), so the planner walks it and stops at the LIMIT; a point's columns
-- and the dashboard's filter columns ride along (INCLUDE) for an index-only scan. The
-- points' JSON is built by the query (json_build_array is not immutable, so it cannot be
-- a generated column here). Like SQLite's, it holds the located events only.

CREATE INDEX IF NOT EXISTS events_points ON events (event_date DESC NULLS LAST, seq DESC,
    event_id COLLATE "C" DESC) INCLUDE (latitude, longitude, fatalities, event_type,
    sub_event_type, admin1, country, actors, confidence) WHERE latitude IS NOT NULL;
