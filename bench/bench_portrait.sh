# bench/bench_portrait.sh — the portrait aggregate against count(*) and
# against the plain-SQL pivot, on 10M event rows of 1M subjects, then the
# same on 3M rows of 300k subjects (lines suffixed _3m; the goal holds at
# every size).
# Sourced by bench/run.sh (bench_sql, bench_ms, bench_line from bench/lib.sh).
#
# Data: deterministic, hash-based pseudo-random columns: subject in
# [0, 1M), one of the eight modules, points in hundredths from -20.00 to
# 20.00, times over three years (2022-2024).  Each query consumes every
# group and returns one row; an accessor or predicate in the outer query
# keeps the planner from dropping the aggregate.

# portrait_bench ROWS SUBJECTS SUFFIX: every line of this file at one size
portrait_bench() {
local PORTRAIT_ROWS=$1 PORTRAIT_SUBJECTS=$2 sfx=$3
bench_sql "SET client_min_messages = warning; DROP TABLE IF EXISTS portrait_bench_events"
bench_sql "CREATE TABLE portrait_bench_events (subject integer, dimension text, points numeric(12,2), at timestamptz)"
bench_sql "INSERT INTO portrait_bench_events
    SELECT (hashint8(i) & 2147483647) % $PORTRAIT_SUBJECTS,
           (ARRAY['清廉建设','清廉宣传','员工管理','合规建设','纪检监察','重点工作','红线','黑名单'])
               [1 + ((hashint8(i * 3 + 1) & 2147483647) % 8)],
           ((hashint8(i * 5 + 2) & 2147483647) % 4001 - 2000) / 100.0,
           timestamptz '2022-01-01 00:00:00+00'
               + ((hashint8(i * 7 + 3) & 2147483647) % (3 * 365 * 86400)) * interval '1 second'
      FROM generate_series(1, $PORTRAIT_ROWS) AS i"
bench_sql "VACUUM ANALYZE portrait_bench_events"

PORTRAIT_Q="SELECT count(*) FROM (SELECT subject, portrait(dimension, points, at) AS p
    FROM portrait_bench_events GROUP BY subject) s WHERE portrait_events(s.p) > 0"
COUNT_Q="SELECT count(*) FROM (SELECT subject, count(*) AS c
    FROM portrait_bench_events GROUP BY subject) s WHERE s.c > 0"
# count(*) reading the portrait's three columns: when the hash aggregate
# spills (1M or 300k groups at the default work_mem) it writes the rows it
# defers with the columns their aggregates read, so this is the floor of
# any aggregate over (dimension, points, at) with this GROUP BY
SAME_Q="SELECT count(*) FROM (SELECT subject,
        count(*) FILTER (WHERE dimension IS NOT NULL AND points IS NOT NULL AND at IS NOT NULL) AS c
    FROM portrait_bench_events GROUP BY subject) s WHERE s.c > 0"
PIVOT_Q="SELECT count(*) FROM (SELECT subject,
        sum(points) FILTER (WHERE dimension = '清廉建设') AS d1,
        sum(points) FILTER (WHERE dimension = '清廉宣传') AS d2,
        sum(points) FILTER (WHERE dimension = '员工管理') AS d3,
        sum(points) FILTER (WHERE dimension = '合规建设') AS d4,
        sum(points) FILTER (WHERE dimension = '纪检监察') AS d5,
        sum(points) FILTER (WHERE dimension = '重点工作') AS d6,
        sum(points) FILTER (WHERE dimension = '红线') AS d7,
        sum(points) FILTER (WHERE dimension = '黑名单') AS d8,
        count(*) AS c, min(at) AS first_at, max(at) AS last_at
    FROM portrait_bench_events GROUP BY subject) s
    WHERE s.c > 0 AND s.first_at <= s.last_at
      AND coalesce(d1, 0) + coalesce(d2, 0) + coalesce(d3, 0) + coalesce(d4, 0)
        + coalesce(d5, 0) + coalesce(d6, 0) + coalesce(d7, 0) + coalesce(d8, 0) IS NOT NULL"

# the plans really aggregate (the accessor forces the portrait to be built)
for q in "$PORTRAIT_Q" "$COUNT_Q" "$PIVOT_Q"; do
    bench_note "plan: $(psql -X -q -At -d "$BENCH_DB" -c "EXPLAIN (COSTS OFF) $q" \
        | awk 'NR == 1 || /->/' | sed 's/.*->  //; s/ on .*//; s/  *(.*//' | paste -sd'<' -)"
done

# warm the cache once, then the best of 3 rounds, the three queries
# interleaved in each round (other load on the machine hits all alike)
bench_sql "$COUNT_Q"
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
count_ms= portrait_ms= pivot_ms=
for round in 1 2 3; do
    count_ms=$(best "$(bench_ms "$COUNT_Q" 1)" "$count_ms")
    portrait_ms=$(best "$(bench_ms "$PORTRAIT_Q" 1)" "$portrait_ms")
    pivot_ms=$(best "$(bench_ms "$PIVOT_Q" 1)" "$pivot_ms")
done
bench_line "portrait_vs_count$sfx" "$portrait_ms" "$count_ms"
bench_line "portrait_vs_pivot$sfx" "$portrait_ms" "$pivot_ms"

# the same two without parallel workers (on 2 cores, with 1M groups and the
# default work_mem, the serial hash plans are often the faster ones)
SERIAL="SET max_parallel_workers_per_gather = 0;"
count_s= portrait_s=
for round in 1 2 3; do
    count_s=$(best "$(bench_ms "$SERIAL $COUNT_Q" 1)" "$count_s")
    portrait_s=$(best "$(bench_ms "$SERIAL $PORTRAIT_Q" 1)" "$portrait_s")
done
bench_line "portrait_vs_count_serial$sfx" "$portrait_s" "$count_s"
same_ms= same_s=
for round in 1 2; do
    same_ms=$(best "$(bench_ms "$SAME_Q" 1)" "$same_ms")
    same_s=$(best "$(bench_ms "$SERIAL $SAME_Q" 1)" "$same_s")
done
bench_line "portrait_vs_same_columns$sfx" "$portrait_ms" "$same_ms"
bench_line "portrait_vs_same_columns_serial$sfx" "$portrait_s" "$same_s"
bench_sql "DROP TABLE portrait_bench_events"
}
portrait_bench "${PORTRAIT_ROWS:-10000000}" "${PORTRAIT_SUBJECTS:-1000000}" ""
portrait_bench 3000000 300000 _3m
