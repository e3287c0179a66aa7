#!/usr/bin/env bash
# demo/load.sh DB [SCALE [FACTOR [SEED]]] — (re)create database DB on the
# server the PG* variables name and load the reference model with
# deterministic data: SCALE district (default) or province, FACTOR scales
# the size (default 1), SEED the generator's seed (default 2024).
# The database is dropped first only if this script created it (its comment
# says so); any other database of that name is left alone and the load stops.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=$1 scale=${2:-district} factor=${3:-1} seed=${4:-2024}
mark="integrity reference model (demo/load.sh)"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

exists=$(psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")
if [ -n "$exists" ]; then
    comment=$(psql -X -At -d postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")
    if [ "$comment" != "$mark" ]; then
        echo "database $db exists and was not created by demo/load.sh; not touching it" >&2
        exit 1
    fi
    psql_q -d postgres -c "DROP DATABASE \"$db\"" >/dev/null
fi
psql_q -d postgres -c "CREATE DATABASE \"$db\"" -c "COMMENT ON DATABASE \"$db\" IS '$mark'" >/dev/null
start=$(date +%s.%N)
# Progress on stderr when it is a terminal (or LOAD_MESSAGES=notice): each
# phase of the generator with its rows, the share done and the time since
# the start, then the constraints and views; quiet otherwise.
messages=${LOAD_MESSAGES:-warning}
[ -z "${LOAD_MESSAGES:-}" ] && [ -t 2 ] && messages=notice
progress() {   # progress TEXT: a line on stderr with the elapsed time, when showing progress
    [ "$messages" = notice ] && printf 'load: %s, %s s\n' "$1" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')" >&2
    return 0
}
progress "creating the model in $db ($scale, factor $factor)"
psql_q -d "$db" -c "SET client_min_messages = $messages" \
    -c 'CREATE EXTENSION IF NOT EXISTS integrity' -c 'CREATE EXTENSION IF NOT EXISTS btree_gist' \
    -f "$here/schema.sql" -f "$here/generate.sql" \
    -c "CALL regulator.generate('$scale', $seed, $factor)" 2>&1 >/dev/null | sed -u 's/^NOTICE: *//' >&2
progress "generated; adding keys, indexes and the exclusion constraint"
psql_q -d "$db" -c "SET client_min_messages = $messages" \
    -f "$here/constraints.sql" -f "$here/stored.sql" -f "$here/report_views.sql" >/dev/null
progress "constraints and report views done; computing the report's stored figures"
psql_q -d "$db" -c "SET client_min_messages = $messages" -c 'CALL regulator.refresh_report()' >/dev/null
progress "stored figures done ($(psql -X -At -d "$db" -c "SELECT string_agg(format('%s %s: %s rows in %s s', figures, year, rows, seconds), ', ' ORDER BY figures, year) FROM regulator.stored_refresh"))"
end=$(date +%s.%N)
psql -X -At -P pager=off -F ' ' -d "$db" -c "
SELECT format('loaded %s scale (factor %s, seed %s) into %s in %s s: %s institutions, %s employees, %s events, %s blacklist entries, %s feedback rows, %s assessment rows',
              '$scale', $factor, $seed, current_database(), round(($end - $start)::numeric, 1),
              (SELECT count(*) FROM regulator.institution), (SELECT count(*) FROM regulator.employee),
              (SELECT count(*) FROM regulator.event), (SELECT count(*) FROM regulator.blacklist),
              (SELECT count(*) FROM regulator.feedback), (SELECT count(*) FROM regulator.assessment_result))" >&2
