-- eventwire store, schema version 5 on PostgreSQL: nothing to change. Version 5 re-keys
-- SQLite's separate full-text table by a stored column (migrate_005_sqlite.sql); here the
-- tsvector is a generated column of the events row, so it cannot fall out of step.

SELECT 1;
