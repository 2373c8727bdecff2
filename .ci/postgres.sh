#!/bin/sh
# Install Debian's PostgreSQL and start a throwaway server on loopback for the store tests.
# Prints the URL to export as EVENTWIRE_TEST_PG on its last line, e.g.
#   export EVENTWIRE_TEST_PG="$(.ci/postgres.sh | tail -n 1)"
# Trust authentication on 127.0.0.1 only: a test server, never a deployment recipe.
# Idempotent: a server already running in $PGDATA is reused. Stop it with
#   runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" stop
set -eu

PGPORT="${EVENTWIRE_PG_PORT:-54329}"
PGDATA="${EVENTWIRE_PG_DATA:-/tmp/eventwire-pg}"
DBNAME=eventwire_test

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

as_postgres() { runuser -u postgres -- "$@"; }   # initdb and postgres refuse to run as root

if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >&2
fi
if ! as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -w -l "$PGDATA/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off" start >&2
fi
if ! as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
    as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DBNAME" >&2
fi
echo "postgresql://postgres@127.0.0.1:$PGPORT/$DBNAME"
