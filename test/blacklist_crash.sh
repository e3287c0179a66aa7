#!/usr/bin/env bash
# test/blacklist_crash.sh — the blacklist index survives a crash and a
# dump/restore.
#
# On a throwaway cluster of its own (tools/cluster.sh): a list with a
# blacklist index, CHECKPOINT, then several sessions inserting keys in small
# committed transactions (and one never-committed transaction) while the
# server is stopped with `pg_ctl stop -m immediate`.  After the restart
# (crash recovery replays the generic WAL of the filter pages), for every
# key any session tried to insert: the probe says "maybe" wherever the key
# is present (EXISTS) — no key missed.  An unlogged list's filter restarts
# empty from its init fork.  A streaming replica replays the filter's WAL
# and answers on hot standby, its filter pages byte for byte those of the
# primary.  The server runs with wal_consistency_checking = 'generic': every
# filter WAL record carries the page as the primary wrote it, and crash
# recovery and the replica compare the page they replay against it (a
# record that left out a changed byte stops recovery).  Inserts that set no
# new bit write no WAL: a crash after such inserts, whose bits came from a
# transaction that never committed, still finds every committed key.  Then
# pg_dump -Fc / pg_restore of a database with a blacklist index gives a
# working index (probe true for every key, a sane false-positive rate).
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh
start_cluster "wal_consistency_checking = 'generic'" >/dev/null 2>&1 || { echo "not ok 1 - start a throwaway cluster"; exit 1; }
work=$(mktemp -d /tmp/integrity-blcrash.XXXXXX)
chmod 777 "$work"
standby=
trap '[ -n "$standby" ] && as_owner "$PG_BINDIR/pg_ctl" -D "$standby" -m immediate -w stop >/dev/null 2>&1; stop_cluster; rm -rf "$work"' EXIT

. tools/tap.sh

check "a list with a blacklist index, checkpointed" \
    q -d postgres -c "CREATE EXTENSION integrity" \
      -c "CREATE TABLE list (k bigint PRIMARY KEY)" \
      -c "INSERT INTO list SELECT g FROM generate_series(1, 20000) g" \
      -c "CREATE INDEX list_bl ON list USING blacklist (k) WITH (capacity = 400000)" \
      -c "CHECKPOINT"

# Writers: session w inserts keys w*1e6 + i, one small transaction per 20
# keys, until the server dies.  One more session keeps a transaction open.
for w in 1 2 3; do
    (
        for ((b = 0; b < 100000; b += 20)); do
            echo "INSERT INTO list SELECT $w * 1000000 + g FROM generate_series($b, $b + 19) g;"
        done | psql -X -q -d postgres >/dev/null 2>&1
    ) &
done
( printf 'BEGIN;\nINSERT INTO list SELECT 9000000 + g FROM generate_series(1, 5000) g;\nSELECT pg_sleep(60);\n' |
    psql -X -q -d postgres >/dev/null 2>&1 ) &
sleep 3
check "inserts were running when the server was killed" \
    bash -c "[ \$(psql -X -qAt -d postgres -c 'SELECT count(*) FROM list') -gt 20000 ]"
check "pg_ctl stop -m immediate during the inserts" \
    as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop
wait
check "restart: crash recovery" \
    as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w start
check "recovery replayed committed inserts after the checkpoint" \
    bash -c "[ \$(psql -X -qAt -d postgres -c 'SELECT count(*) FROM list WHERE k > 1000000') -gt 0 ]"

# every key anyone tried: probe "no" never meets a present key
cat >"$work/keys.sql" <<'SQL'
WITH tried AS (
  SELECT (w * 1000000 + g)::bigint AS k FROM generate_series(1, 5) w, generate_series(0, 100019) g
  UNION ALL SELECT 9000000 + g FROM generate_series(1, 5000) g
  UNION ALL SELECT g FROM generate_series(1, 20000) g)
SELECT count(*) FILTER (WHERE NOT blacklist_probe('list_bl', t.k)
                          AND EXISTS (SELECT 1 FROM list l WHERE l.k = t.k)) AS missed,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM list l WHERE l.k = t.k)) > 20000 AS some_present
FROM tried t;
SQL
check "after the crash: no present key is missed (probe no => NOT EXISTS)" \
    equals "$(val -d postgres -F' ' -f "$work/keys.sql")" "0 t"
check "after the crash: every row of the list is maybe" \
    equals "$(val -d postgres -c "SELECT count(*) FROM list WHERE NOT blacklist_probe('list_bl', k)")" 0
check "the uncommitted transaction's rows are gone, the index still works" \
    equals "$(val -d postgres -c "SELECT count(*) FROM list WHERE k > 9000000")" 0
check "inserts after recovery are found" \
    equals "$(val -d postgres -c "INSERT INTO list VALUES (-42)" -c "SELECT blacklist_probe('list_bl', -42::bigint)")" t
check "stats readable after recovery" \
    equals "$(val -d postgres -c "SELECT inserted >= 20000 AND measured_fpr < 0.05 FROM blacklist_index_stats('list_bl')")" t

# Inserts whose bits are all set already write no WAL for the filter.  Here
# the bits come from a transaction still open when the server dies (its
# filter record is in the WAL, its rows will be gone); another session
# inserts the same keys into the table (no unique constraint) and commits
# (synchronous_commit on: the commit record is written); then the crash.
check "a table of repeated keys with a blacklist index, checkpointed" \
    q -d postgres -c "CREATE TABLE dups (k bigint)" \
      -c "CREATE INDEX dups_bl ON dups USING blacklist (k) WITH (capacity = 20000)" -c "CHECKPOINT"
( printf 'BEGIN;\nINSERT INTO dups SELECT g FROM generate_series(1, 3000) g;\nSELECT pg_sleep(60);\n' |
    psql -X -q -d postgres >/dev/null 2>&1 ) &
for i in $(seq 1 100); do
    [ "$(val -d postgres -c "SELECT blacklist_probe('dups_bl', 3000::bigint)")" = t ] && break
    sleep 0.1
done
check "the same keys again set no new bit (nothing to log)" \
    equals "$(val -d postgres -c "CREATE TEMP TABLE s AS SELECT inserted FROM blacklist_index_stats('dups_bl')" \
        -c "SET synchronous_commit = on" -c "INSERT INTO dups SELECT g FROM generate_series(1, 3000) g" \
        -c "SELECT s.inserted, b.inserted - s.inserted FROM blacklist_index_stats('dups_bl') b, s" -F' ')" "3000 0"
check "pg_ctl stop -m immediate after the repeated keys committed" \
    as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop
wait
check "restart: crash recovery (the filter records pass the consistency check)" \
    as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w start
check "after the crash: the committed keys are there, each one maybe" \
    equals "$(val -d postgres -F' ' -c "SELECT count(*), count(*) FILTER (WHERE NOT blacklist_probe('dups_bl', k)) FROM dups")" "3000 0"

# an unlogged list: after the crash its table is empty and its filter the
# empty one of the init fork; it keeps working
check "an unlogged list with a blacklist index" \
    q -d postgres -c "CREATE UNLOGGED TABLE ulist (k bigint)" \
      -c "CREATE INDEX ulist_bl ON ulist USING blacklist (k)" \
      -c "INSERT INTO ulist SELECT g FROM generate_series(1, 5000) g" -c "CHECKPOINT"
as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1
as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w start >/dev/null 2>&1
check "after a crash the unlogged list is empty and its filter reset" \
    equals "$(val -d postgres -c "SELECT count(*) FROM ulist" -c "SELECT count(*) FILTER (WHERE blacklist_probe('ulist_bl', g::bigint)) < 100 FROM generate_series(1, 5000) g")" "0
t"
check "the unlogged list's filter takes new rows" \
    equals "$(val -d postgres -c "INSERT INTO ulist VALUES (77)" -c "SELECT blacklist_probe('ulist_bl', 77::bigint)")" t

# a streaming replica replays the filter's WAL and answers on hot standby
standby_dir="$CLUSTER_DIR/standby"
sport=$(pick_port)
q -d postgres -c "CREATE EXTENSION pageinspect" >/dev/null
check "a streaming replica (pg_basebackup)" make_standby "$standby_dir" "$sport"
if [ -d "$standby_dir" ]; then
    standby=$standby_dir
    check "the replica starts" \
        as_owner "$PG_BINDIR/pg_ctl" -D "$standby_dir" -l "$CLUSTER_DIR/standby.log" -w start
    target=$(val -d postgres -c "INSERT INTO list SELECT 5000000 + g FROM generate_series(1, 5000) g" \
        -c "INSERT INTO dups SELECT g FROM generate_series(2001, 6000) g" -c "SELECT pg_current_wal_insert_lsn()")
    for i in $(seq 1 100); do
        [ "$(val -p "$sport" -d postgres -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ] && break
        sleep 0.2
    done
    check "on the replica: every row of the list is maybe, new rows included" \
        equals "$(val -p "$sport" -d postgres -c "SELECT count(*) FILTER (WHERE k > 5000000), count(*) FILTER (WHERE NOT blacklist_probe('list_bl', k)) FROM list" -F' ')" "5000 0"
    pages="SELECT i, string_agg(md5(get_raw_page(i, b::int)), ' ' ORDER BY b)
             FROM unnest(array['list_bl', 'dups_bl']) i, generate_series(0, pg_relation_size(i) / current_setting('block_size')::int - 1) b GROUP BY i ORDER BY i"
    check "on the replica: every page of the filters is the primary's, byte for byte" \
        equals "$(val -p "$sport" -d postgres -c "$pages")" "$(val -d postgres -c "$pages")"
    check "on the replica: the repeated keys are maybe, the stats the primary's" \
        equals "$(val -p "$sport" -d postgres -F' ' -c "SELECT count(*) FILTER (WHERE NOT blacklist_probe('dups_bl', k)), (SELECT inserted FROM blacklist_index_stats('dups_bl')) FROM dups")" \
               "$(val -d postgres -F' ' -c "SELECT 0, inserted FROM blacklist_index_stats('dups_bl')")"
    check "on the replica: probe no => NOT EXISTS, no private copy during recovery" \
        equals "$(val -p "$sport" -d postgres -F' ' -f "$work/keys.sql" -c "SELECT private_copy FROM blacklist_index_stats('list_bl')")" "0 t
f"
fi

# dump and restore
check "a database with a blacklist index on cnid and on text" \
    q -d postgres -c "CREATE DATABASE blsrc" -c "CREATE DATABASE bldst" \
      -c "\\c blsrc" -c "CREATE EXTENSION integrity" \
      -c "CREATE TABLE people (id cnid PRIMARY KEY, name text)" \
      -c "INSERT INTO people SELECT cnid_from_parts(110101, date '1950-01-01' + g / 1000, g % 1000), 'n' || g FROM generate_series(1, 30000) g" \
      -c "CREATE INDEX people_bl ON people USING blacklist (id) WITH (bits_per_key = 16)" \
      -c "CREATE INDEX people_name_bl ON people USING blacklist (name)"
check "pg_dump -Fc" pg_dump -Fc -d blsrc -f "$work/bl.dump"
check "pg_restore" pg_restore -d bldst "$work/bl.dump"
check "restored indexes use the blacklist access method with their options" \
    equals "$(val -d bldst -c "SELECT string_agg(c.relname || ':' || a.amname || ':' || coalesce(array_to_string(c.reloptions, ','), ''), ' ' ORDER BY c.relname) FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname LIKE 'people%bl'")" \
      "people_bl:blacklist:bits_per_key=16 people_name_bl:blacklist:"
check "restored: every key is maybe" \
    equals "$(val -d bldst -c "SELECT count(*) FROM people WHERE NOT blacklist_probe('people_bl', id) OR NOT blacklist_probe('people_name_bl', name)")" 0
check "restored: probe no => NOT EXISTS on other keys, and mostly no" \
    equals "$(val -d bldst -F' ' -c "SELECT count(*) FILTER (WHERE NOT blacklist_probe('people_bl', c) AND EXISTS (SELECT 1 FROM people WHERE id = c)), count(*) FILTER (WHERE blacklist_probe('people_bl', c)) < 300 FROM (SELECT cnid_from_parts(110101, date '1980-01-01' + g / 1000, g % 1000) AS c FROM generate_series(1, 30000) g) s")" \
      "0 t"
check "restored: inserts maintain the index" \
    equals "$(val -d bldst -c "INSERT INTO people VALUES (cnid_from_parts(110101, date '1999-09-09', 9), 'late')" -c "SELECT blacklist_probe('people_bl', cnid_from_parts(110101, date '1999-09-09', 9)) AND blacklist_probe('people_name_bl', 'late'::text)")" t

echo "1..$n"
[ "$bad" -eq 0 ]
