# bench_iscore.sh — sum(iscore) and the red-line total against count(*) and
# against the plain-SQL red-line formulation, 10M indicator rows in 20k groups.
# The score column comes right after the group key, as in a scores table,
# so both sides deform the same prefix of each row.  Sourced by bench/run.sh.

ROWS=${ISCORE_ROWS:-10000000}
bench_sql "
CREATE TABLE bench_items AS
SELECT grp,
       CASE class WHEN 'basic' THEN iscore(points)
                  WHEN 'bonus' THEN iscore(0, points)
                  ELSE iscore(0, 0, points::int) END AS s,
       class, points
FROM (SELECT g % 20000 AS grp,
             (ARRAY['basic','basic','basic','bonus','redline'])[1 + g % 5] AS class,
             CASE WHEN g % 5 = 4 THEN (hashint4(g) % 5000 = 0)::int
                  ELSE (abs(hashint4(g)) % 500) / 100.0 END AS points
      FROM generate_series(1, $ROWS) g) x"
bench_sql "VACUUM ANALYZE bench_items"

ours=$(bench_ms "SELECT sum(redlines(s)) FROM (SELECT grp, sum(s) AS s FROM bench_items GROUP BY grp) t")
base=$(bench_ms "SELECT sum(c) FROM (SELECT grp, count(*) AS c FROM bench_items GROUP BY grp) t")
bench_line sum_iscore_vs_count "$ours" "$base"

plain="SELECT sum(t) FROM (SELECT grp,
    CASE WHEN bool_or(class = 'redline' AND points > 0) THEN 0
         ELSE sum(points) FILTER (WHERE class = 'basic')
              + least(sum(points) FILTER (WHERE class = 'bonus'), 10) END AS t
    FROM bench_items GROUP BY grp) x"
base=$(bench_ms "$plain")
ours=$(bench_ms "SELECT sum(t) FROM (SELECT grp, total(sum(s), 10) AS t FROM bench_items GROUP BY grp) x")
bench_line total_sum_iscore_vs_plain_sql "$ours" "$base"
ours=$(bench_ms "SELECT sum(t) FROM (SELECT grp, total(iscore_agg(class, points), 10) AS t FROM bench_items GROUP BY grp) x")
bench_line total_iscore_agg_vs_plain_sql "$ours" "$base"

# integrity_index per group against sum(iscore) over the same rows and groups
# (goal: ratio >= 0.67, the index within 1.5x of the sum).
read -r ours base < <(bench_pair \
    "SELECT count((r).value) FROM (SELECT grp, integrity_index(s, scheme()) AS r FROM bench_items GROUP BY grp) t" \
    "SELECT count(redlines(t)) FROM (SELECT grp, sum(s) AS t FROM bench_items GROUP BY grp) t")
bench_line index_groupby_20k_vs_sum_iscore "$ours" "$base"
bench_sql "DROP TABLE bench_items"
