#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the journal's tests, and print the line that points
# the tests at it:
#
#     eval "$(bash scripts/start_postgres.sh)"     # then: pytest tests/journal
#     bash scripts/start_postgres.sh stop          # stop it (the data stays in $PGDIR)
#
# Needs the PostgreSQL server programs (Debian: apt-get install -y postgresql). Safe to run
# again: a running server is reused. As root it runs the server as the `postgres` user, which
# PostgreSQL requires; as anyone else, as that user. The cluster trusts every local
# connection and skips fsync: it is for tests only, never for data you want to keep.
#
# Settings (environment): TINKERLAB_PG_DIR (default /tmp/tinkerlab-pg), TINKERLAB_PG_PORT
# (default 54329), TINKERLAB_PG_BIN (default: the newest /usr/lib/postgresql/*/bin).
# Only the `export` line goes to stdout; everything else goes to stderr.
set -euo pipefail

PGDIR="$(realpath -m "${TINKERLAB_PG_DIR:-/tmp/tinkerlab-pg}")"
PORT="${TINKERLAB_PG_PORT:-54329}"
DB=tinkerlab_test
HOST=127.0.0.1

say() { echo "start_postgres: $*" >&2; }

PGBIN="${TINKERLAB_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    say "PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin."
    say "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set TINKERLAB_PG_BIN."
    exit 1
fi

# Run a command as the user that owns the cluster: `postgres` when we are root.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        say "running as root, but there is no 'postgres' user to run the server as."
        say "Installing the postgresql package creates it (apt-get install -y postgresql)."
        exit 1
    fi
    # From /, which `postgres` can enter (it may not be allowed into the current folder).
    as_owner() { (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")"); }
    OWNER=postgres
else
    as_owner() { "$@"; }
    OWNER="$(id -un)"
fi

if [ "${1:-start}" = "stop" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$PGDIR" -m fast stop >&2 || true
    exit 0
fi

if [ ! -f "$PGDIR/PG_VERSION" ]; then
    say "creating a cluster in $PGDIR (superuser: postgres, trust authentication)"
    mkdir -p "$PGDIR"
    chown "$OWNER" "$PGDIR"
    chmod 700 "$PGDIR"
    as_owner "$PGBIN/initdb" -D "$PGDIR" -U postgres --auth=trust --encoding=UTF8 \
        --no-locale >"$PGDIR.initdb.log" 2>&1 || {
        cat "$PGDIR.initdb.log" >&2
        exit 1
    }
fi

if "$PGBIN/pg_isready" -q -h "$HOST" -p "$PORT"; then
    say "a server is already answering on $HOST:$PORT; reusing it"
else
    say "starting PostgreSQL on $HOST:$PORT (log: $PGDIR/server.log)"
    # The socket goes in $PGDIR: /var/run/postgresql may not exist outside a system service.
    as_owner "$PGBIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=$HOST -p $PORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >&2 || {
        tail -n 20 "$PGDIR/server.log" >&2 || true
        say "could not start the server (log above). If an earlier one was killed, wait a few"
        say "seconds for it to exit, or delete $PGDIR (test data only), then run this again."
        exit 1
    }
fi

exists="$("$PGBIN/psql" -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
if [ "$exists" != "1" ]; then
    say "creating database $DB"
    "$PGBIN/createdb" -h "$HOST" -p "$PORT" -U postgres "$DB"
fi

echo "export TINKERLAB_TEST_PG_URL=postgresql+psycopg://postgres@$HOST:$PORT/$DB"
