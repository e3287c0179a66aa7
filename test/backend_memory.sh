#!/usr/bin/env bash
# test/backend_memory.sh — a long-running backend: every aggregate of the
# extension over many groups, again and again in one session, and the
# backend's memory (pg_backend_memory_contexts, total bytes of every
# context) stays bounded.
#
# Scaled for make test (about 5 s): BACKEND_MEMORY_GROUPS groups (default
# 20 000; the issue's figure is 1M: BACKEND_MEMORY_GROUPS=1000000 runs that)
# of two rows each, BACKEND_MEMORY_ROUNDS rounds (default 3)
# of sum(iscore), avg(iscore), iscore_agg, redline_sum, assess and portrait
# over every group, and integrity_index (over assessments and over scores;
# its final function is costly) over every row in groups/100 groups,
# hash-aggregated (work_mem large enough not to spill), all in one psql
# session.  The memory after the first round is the baseline (caches fill
# once); every later round must stay within BACKEND_MEMORY_SLACK_KB (512) of it.  Prints TAP
# lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
groups=${BACKEND_MEMORY_GROUPS:-20000}
rounds=${BACKEND_MEMORY_ROUNDS:-3}
igroups=$((groups / 100))
slack_kb=${BACKEND_MEMORY_SLACK_KB:-512}
db=integrity_backend_memory
work=$(mktemp -d /tmp/integrity-backend-memory.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1

{
cat <<SQL
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
CREATE EXTENSION integrity;
SET work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TABLE ev AS
SELECT g, r,
       (g % 97)::numeric + r AS p,
       iscore((g % 97)::numeric, r, (g % 1000 = 0)::int) AS s,
       (ARRAY['self', 'inspection', 'third_party'])[1 + (g + r) % 3] AS who,
       (ARRAY['清廉建设', '员工管理', '红线'])[1 + (g * 7 + r) % 3] AS dim,
       timestamptz '2024-01-01 00:00+00' + (g % 365) * interval '1 day' + r * interval '1 hour' AS at
FROM generate_series(1, $groups) g, generate_series(1, 2) r;
CREATE TABLE asm AS SELECT g, assess(who, s, scheme()) AS a FROM ev GROUP BY g;
ANALYZE ev; ANALYZE asm;
SQL
for i in $(seq 1 "$rounds"); do
cat <<SQL
SELECT 'round $i aggregates ' ||
  (SELECT count(x) FROM (SELECT g, sum(s) x FROM ev GROUP BY g) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g, avg(s) x FROM ev GROUP BY g) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g, iscore_agg(CASE WHEN r = 1 THEN 'basic' ELSE '加分项' END, p) x FROM ev GROUP BY g) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g, redline_sum(p, g % 1000 = 0) x FROM ev GROUP BY g) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g, assess(who, s, scheme()) x FROM ev GROUP BY g) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g % $igroups AS k, integrity_index(a, scheme()) x FROM asm GROUP BY 1) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g % $igroups AS k, integrity_index(s, scheme()) x FROM ev GROUP BY 1) t) || ' ' ||
  (SELECT count(x) FROM (SELECT g, portrait(dim, p, at) x FROM ev GROUP BY g) t);
SELECT 'round $i memory ' || sum(total_bytes) FROM pg_backend_memory_contexts;
SQL
done
} >"$work/run.sql"

start=$(date +%s.%N)
psql -X -q -d "$db" -f "$work/run.sql" >"$work/out.txt" 2>&1
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
n=0 bad=0
n=$((n + 1))
if [ $rc -eq 0 ]; then echo "ok $n - $rounds rounds of every aggregate over $groups groups in one backend (${secs%.*} s)"
else echo "not ok $n - the rounds ran"; sed 's/^/#   /' "$work/out.txt" | head -20; bad=$((bad + 1)); fi

expect="$groups $groups $groups $groups $groups $igroups $igroups $groups"
n=$((n + 1))
if [ "$(grep -c "aggregates $expect\$" "$work/out.txt")" -eq "$rounds" ]; then
    echo "ok $n - every round gives every group a result"
else echo "not ok $n - every round gives every group a result"; grep aggregates "$work/out.txt" | sed 's/^/#   /'; bad=$((bad + 1)); fi

base=$(sed -n 's/^round 1 memory //p' "$work/out.txt")
for i in $(seq 2 "$rounds"); do
    m=$(sed -n "s/^round $i memory //p" "$work/out.txt")
    n=$((n + 1))
    if [ -n "$base" ] && [ -n "$m" ] && [ $((m - base)) -le $((slack_kb * 1024)) ]; then
        echo "ok $n - backend memory after round $i: $m bytes, round 1: $base (within ${slack_kb} kB)"
    else
        echo "not ok $n - backend memory after round $i: ${m:-?} bytes, round 1: ${base:-?} (more than ${slack_kb} kB above)"
        bad=$((bad + 1))
    fi
done
echo "1..$n"
[ "$bad" -eq 0 ]
