#!/usr/bin/env bash
# test/bounds.sh — the blacklist index's loops stop when asked, and its
# build stays within maintenance_work_mem (issue 17, item 5).
#
# Against the cluster of `make test` (PGHOST/PGPORT), in a database of its
# own, as a superuser (it raises integrity.blacklist_max_filter_size to
# build large filters on empty temporary tables: local buffers, no WAL):
#   - blacklist_index_stats and VACUUM over a filter of BOUNDS_CAPACITY keys
#     (default 240M: 44,293 pages, 346 MB) under statement_timeout = 20ms
#     are cancelled in less than half the time a full pass takes (they read
#     every page without an interrupt check before);
#   - CREATE INDEX of a 3 GB filter (capacity 2e9) under statement_timeout
#     = 300ms returns within BOUNDS_BUILD_MS (1000 ms); before, it first
#     zeroed the whole filter in memory (3 GB here);
#   - a build of 300k keys with maintenance_work_mem = 1MB reports (DEBUG1)
#     at most 1MB of build memory, hashes spilled to a temporary file and
#     several passes; with 64MB, one pass and nothing spilled.
# Prints TAP lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
capacity=${BOUNDS_CAPACITY:-240000000}
build_ms=${BOUNDS_BUILD_MS:-1000}
db=integrity_bounds
work=$(mktemp -d /tmp/integrity-bounds.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
. tools/tap.sh

# one session: each timed statement between "\timing on" and "\timing off",
# preceded by "\echo T <name>"; errors (SQLSTATE only) go to err.txt
psql -X -q -At -d "$db" >"$work/out.txt" 2>"$work/err.txt" <<SQL
\set VERBOSITY sqlstate
CREATE EXTENSION integrity;
SET integrity.blacklist_max_filter_size = '32GB';
CREATE TEMP TABLE ts (k bigint);
CREATE INDEX ts_bl ON ts USING blacklist (k) WITH (capacity = $capacity);
SELECT 'pages ' || pages FROM blacklist_index_stats('ts_bl');
\echo T stats_full
\timing on
SELECT pages FROM blacklist_index_stats('ts_bl');
\timing off
\echo T vacuum_full
\timing on
VACUUM ts;
\timing off
SET statement_timeout = '20ms';
\echo T stats_cancelled
\timing on
SELECT pages FROM blacklist_index_stats('ts_bl');
\timing off
\echo T vacuum_cancelled
\timing on
VACUUM ts;
\timing off
SET statement_timeout = '300ms';
\echo T build_cancelled
\timing on
CREATE INDEX ts_huge ON ts USING blacklist (k) WITH (capacity = 2000000000);
\timing off
RESET statement_timeout;
SELECT 'huge index left: ' || count(*) FROM pg_class WHERE relname = 'ts_huge';
SQL

# the milliseconds of the statement after "T <name>"
ms() { awk -v n="$1" '$1 == "T" && $2 == n { f = 1; next } f && /^Time:/ { print int($2); exit }' "$work/out.txt"; }
stats_full=$(ms stats_full); vacuum_full=$(ms vacuum_full)
stats_cancelled=$(ms stats_cancelled); vacuum_cancelled=$(ms vacuum_cancelled)
build_cancelled=$(ms build_cancelled)
check "set-up: a filter of $(sed -n 's/^pages //p' "$work/out.txt") pages on an empty temporary table" \
    grep -q '^pages [0-9]' "$work/out.txt"
check "the three cancelled statements fail with 57014 (query_canceled), nothing else fails" \
    bash -c "[ \"\$(grep -c '^ERROR:  57014' '$work/err.txt')\" = 3 ] && [ \"\$(grep -c ERROR '$work/err.txt')\" = 3 ]"
lt() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ] || { echo "got ${1:-?} ms, expected less than ${2:-?} ms"; cat "$work/out.txt" "$work/err.txt"; return 1; }; }
check "blacklist_index_stats under statement_timeout=20ms stops in ${stats_cancelled:-?} ms (a full pass: ${stats_full:-?} ms)" \
    lt "$stats_cancelled" "$(( ${stats_full:-0} / 2 ))"
check "VACUUM under statement_timeout=20ms stops in ${vacuum_cancelled:-?} ms (a full pass: ${vacuum_full:-?} ms)" \
    lt "$vacuum_cancelled" "$(( ${vacuum_full:-0} / 2 ))"
check "CREATE INDEX of a 3 GB filter under statement_timeout=300ms returns in ${build_cancelled:-?} ms (< $build_ms)" \
    lt "$build_cancelled" "$build_ms"
check "the cancelled build left no index" grep -q '^huge index left: 0$' "$work/out.txt"

# memory: the build's own report at DEBUG1
psql -X -q -d "$db" >"$work/mem.txt" 2>&1 <<'SQL'
CREATE TABLE tm AS SELECT g * 7919::bigint AS k FROM generate_series(1, 300000) g;
SET client_min_messages = debug1;
SET maintenance_work_mem = '1MB';
CREATE INDEX tm_small ON tm USING blacklist (k) WITH (bits_per_key = 16);
SET maintenance_work_mem = '64MB';
CREATE INDEX tm_big ON tm USING blacklist (k) WITH (bits_per_key = 16);
SQL
# "...: K keys (S through a temporary file), P filter pages, passes over the keys: N, build memory: B bytes of maintenance_work_mem M"
report() { sed -n "s/.*blacklist index \"$1\": \([0-9]*\) keys (\([0-9]*\) through a temporary file), [0-9]* filter pages, passes over the keys: \([0-9]*\), build memory: \([0-9]*\) bytes of maintenance_work_mem \([0-9]*\).*/\1 \2 \3 \4 \5/p" "$work/mem.txt"; }
read -r keys spilled passes mem budget <<<"$(report tm_small)"
check "maintenance_work_mem=1MB: ${mem:-?} bytes of build memory for ${keys:-?} keys, ${spilled:-?} of them through a temporary file, ${passes:-?} passes" \
    bash -c "[ '${keys:-0}' = 300000 ] && [ '${budget:-0}' = 1048576 ] && [ ${mem:-999999999} -le 1048576 ] && [ ${spilled:-0} -gt 0 ] && [ ${passes:-0} -ge 2 ] || { cat '$work/mem.txt'; exit 1; }"
read -r keys spilled passes mem budget <<<"$(report tm_big)"
check "maintenance_work_mem=64MB: one pass, nothing spilled, ${mem:-?} bytes" \
    bash -c "[ '${keys:-0}' = 300000 ] && [ '${spilled:-1}' = 0 ] && [ '${passes:-0}' = 1 ] && [ ${mem:-999999999} -le 67108864 ] || { cat '$work/mem.txt'; exit 1; }"

echo "1..$n"
[ "$bad" -eq 0 ]
