-- eventwire store, schema version 7 on PostgreSQL: nothing to change (version 7 adds the
-- indexes SQLite's text queries walk, migrate_007_sqlite.sql; here the GIN index's bitmap
-- answers `q=` and the planner sorts the matching rows itself).

SELECT 1;
