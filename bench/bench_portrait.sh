# bench/bench_portrait.sh — the portrait aggregate against count(*) and
# against the plain-SQL pivot, on 10M event rows of 1M subjects.
# Sourced by bench/run.sh (bench_sql, bench_ms, bench_line from bench/lib.sh).
#
# Data: deterministic, hash-based pseudo-random columns: subject in
# [0, 1M), one of the eight modules, points in hundredths from -20.00 to
# 20.00, times over three years (2022-2024).  Each query consumes every
# group and returns one row; an accessor or predicate in the outer query
# keeps the planner from dropping the aggregate.

PORTRAIT_ROWS=${PORTRAIT_ROWS:-10000000}
PORTRAIT_SUBJECTS=${PORTRAIT_SUBJECTS:-1000000}

bench_sql "DROP TABLE IF EXISTS portrait_bench_events"
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
psql -X -q -d "$BENCH_DB" -c "EXPLAIN (COSTS OFF) $PORTRAIT_Q" | sed 's/^/NOTE plan: /'

# warm the cache once, then best of 3
bench_sql "$COUNT_Q"
count_ms=$(bench_ms "$COUNT_Q" 3)
portrait_ms=$(bench_ms "$PORTRAIT_Q" 3)
pivot_ms=$(bench_ms "$PIVOT_Q" 3)
bench_line portrait_vs_count "$portrait_ms" "$count_ms"
bench_line portrait_vs_pivot "$portrait_ms" "$pivot_ms"
bench_sql "DROP TABLE portrait_bench_events"
