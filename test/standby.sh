#!/usr/bin/env bash
# test/standby.sh — listed() and the blacklist diagnostics on a hot standby
# (issue 17, item 6).
#
# A throwaway primary (tools/cluster.sh, as the cluster's owner when run as
# root) and a hot standby made from it with pg_basebackup -R, on free ports.
# On the primary: a logged list with a blacklist index and a btree, an
# unlogged list with a blacklist index ('ubl'), an unlogged list with only a
# btree and one with no index.  On the standby, once it has replayed all:
#   - every call on an unlogged list (listed(), with and without a date,
#     blacklist_probe, blacklist_index_stats) fails with PostgreSQL's own
#     error for such relations during recovery, SQLSTATE 0A000, the same a
#     SELECT from the list gives (it was 58P01 "could not open file");
#   - listed() on the logged list answers as EXISTS does, for present and
#     absent keys, through the filter and the btree, and its diagnostics
#     read the filter.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh
start_cluster >/dev/null 2>&1 || { echo "not ok 1 - start a throwaway primary"; exit 1; }
work=$(mktemp -d /tmp/integrity-standby.XXXXXX)
chmod 777 "$work"
standby=
trap '[ -n "$standby" ] && as_owner "$PG_BINDIR/pg_ctl" -D "$standby" -m immediate -w stop >/dev/null 2>&1; stop_cluster; rm -rf "$work"' EXIT

. tools/tap.sh

check "on the primary: a logged list and three unlogged ones" \
    q -d postgres -c "CREATE EXTENSION integrity" \
      -c "CREATE TABLE bl (k bigint, during daterange)" \
      -c "INSERT INTO bl SELECT g, daterange('2020-01-01', NULL) FROM generate_series(1, 20000) g" \
      -c "CREATE INDEX bl_bl ON bl USING blacklist (k)" \
      -c "CREATE INDEX bl_bt ON bl (k)" \
      -c "CREATE UNLOGGED TABLE ubl (k bigint, during daterange)" \
      -c "INSERT INTO ubl SELECT g, NULL FROM generate_series(1, 100) g" \
      -c "CREATE INDEX ubl_bl ON ubl USING blacklist (k)" \
      -c "CREATE UNLOGGED TABLE ubt (k bigint)" \
      -c "INSERT INTO ubt VALUES (5)" \
      -c "CREATE INDEX ubt_bt ON ubt (k)" \
      -c "CREATE UNLOGGED TABLE unone (k bigint)" \
      -c "INSERT INTO unone VALUES (5)" \
      -c "CHECKPOINT"

standby_dir="$CLUSTER_DIR/standby"
sport=$(pick_port)
check "a hot standby (pg_basebackup -R)" make_standby "$standby_dir" "$sport"
[ -d "$standby_dir" ] || { echo "1..$n"; exit 1; }
standby=$standby_dir
check "the standby starts" \
    as_owner "$PG_BINDIR/pg_ctl" -D "$standby_dir" -l "$CLUSTER_DIR/standby.log" -w start
target=$(val -d postgres -c "INSERT INTO bl VALUES (-7, NULL)" -c "SELECT pg_current_wal_insert_lsn()")
for i in $(seq 1 150); do
    [ "$(val -p "$sport" -d postgres -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null)" = t ] && break
    sleep 0.2
done
check "the standby is in recovery and has replayed the primary's last insert" \
    equals "$(val -p "$sport" -d postgres -c "SELECT pg_is_in_recovery(), EXISTS (SELECT 1 FROM bl WHERE k = -7)" -F' ')" "t t"

# "<SQLSTATE> <message>" of a statement on the standby
err() { psql -X -q -p "$sport" -d postgres -v VERBOSITY=default -c '\set VERBOSITY verbose' -c "$1" 2>&1 |
        sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): \(.*\)$/\1 \2/p'; }
expected=$(err "SELECT count(*) FROM ubl")
check "PostgreSQL's own error for an unlogged table on a standby: $expected" \
    equals "$expected" "0A000 cannot access temporary or unlogged relations during recovery"
for call in "listed(5::bigint, 'ubl')" \
            "listed(5::bigint, 'ubl', date '2024-06-01')" \
            "listed(5::bigint, 'ubt')" \
            "listed(5::bigint, 'unone')" \
            "blacklist_probe('ubl_bl', 5::bigint)" \
            "(blacklist_index_stats('ubl_bl')).inserted"; do
    check "on the standby: SELECT $call gives the same error" \
        equals "$(err "SELECT $call")" "$expected"
done

# the logged list: exact answers, as EXISTS
cat >"$work/logged.sql" <<'SQL'
SELECT count(*) FILTER (WHERE listed(g::bigint, 'bl') IS DISTINCT FROM EXISTS (SELECT 1 FROM bl WHERE k = g)) AS wrong,
       count(*) FILTER (WHERE listed(g::bigint, 'bl')) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, 'bl', date '2024-06-01')) AS hits_dated
FROM generate_series(-10, 40000) g;
SQL
check "on the standby: listed() on the logged list answers as EXISTS (20001 of 40011 keys listed)" \
    equals "$(val -p "$sport" -d postgres -F' ' -f "$work/logged.sql")" "0 20001 20000"
check "on the standby: listed(5::bigint, 'bl') is t, listed(-5::bigint, 'bl') is f" \
    equals "$(val -p "$sport" -d postgres -F' ' -c "SELECT listed(5::bigint, 'bl'), listed(-5::bigint, 'bl')")" "t f"
check "on the standby: the logged list's filter answers and reports" \
    equals "$(val -p "$sport" -d postgres -F' ' -c "SELECT blacklist_probe('bl_bl', 5::bigint), inserted > 19900 FROM blacklist_index_stats('bl_bl')")" "t t"

echo "1..$n"
[ "$bad" -eq 0 ]
