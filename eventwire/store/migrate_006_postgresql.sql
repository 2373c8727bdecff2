-- eventwire store, schema version 6 on PostgreSQL: nothing to change (version 6 adds an index
-- on SQLite's full-text key, migrate_006_sqlite.sql; here the GIN index answers `q=` and
-- the planner reads the matching rows' columns from the heap in one bitmap scan).

SELECT 1;
