# bench_index.sh — integrity_index over 100k institutions (three assessors
# each, weighted by assets) against the same method written in plain SQL:
# weighted composition with renormalised weights, veto, cap, the assessors'
# variance, and the weighted index with its standard error.
# Sourced by bench/run.sh.

INSTITUTIONS=${INDEX_INSTITUTIONS:-100000}

bench_sql "
CREATE TABLE bench_assessor AS
SELECT g AS inst, (1000 + (hashint4(g) & 65535))::numeric AS assets, who, k,
       (6000 + (hashint4(g * 3 + k) & 4095) % 4000) / 100.0 AS base,
       ((hashint4(g * 5 + k) & 1023) % 1000) / 100.0 AS bonus,
       (hashint4(g * 7 + k) % 997 = 0)::int AS redlines
FROM generate_series(1, $INSTITUTIONS) g,
     LATERAL (SELECT k, (ARRAY['self','inspection','third_party'])[k] AS who
              FROM generate_series(1, 3) k WHERE k <= 1 + (g % 7 <> 0)::int + (g % 5 <> 0)::int) w"
bench_sql "VACUUM ANALYZE bench_assessor"

read -r ours base < <(bench_pair "SELECT integrity_index(a, assets, scheme())::text FROM (
    SELECT inst, assets, assess(who, iscore(base, bonus, redlines), scheme()) AS a
    FROM bench_assessor GROUP BY inst, assets) i" "
WITH w AS (SELECT inst, assets, redlines, base + least(bonus, 10) AS t_j, base, bonus,
                  CASE who WHEN 'self' THEN 0.2 WHEN 'inspection' THEN 0.5 ELSE 0.3 END AS wt
           FROM bench_assessor),
     i AS (SELECT inst, assets, max(redlines) AS red, count(*) AS n,
                  round(sum(wt * base) / sum(wt), 2) + least(round(sum(wt * bonus) / sum(wt), 2), 10) AS t,
                  var_samp(t_j) * sum(wt * wt) / (sum(wt) * sum(wt)) AS v
           FROM w GROUP BY inst, assets)
SELECT round(100 * sum(assets * CASE WHEN red > 0 THEN 0 ELSE t END) / (110 * sum(assets)), 2),
       round(100 * sqrt(sum(assets * assets * CASE WHEN red > 0 THEN 0 ELSE v END)) / (110 * sum(assets)), 2),
       count(*) FILTER (WHERE n < 2 AND red = 0)
FROM i")
bench_line index_100k_vs_plain_sql "$ours" "$base"

# A scheme written as a literal (what postgres_fdw and Citus ship for
# scheme()) against scheme(), in the same run: PostgreSQL checks a literal's
# domain for every row; the scheme reader's per-call-site cache makes that one
# memcmp.  Goal: ratio >= 0.91 (the literal within 1.1x of scheme()).
bench_sql "CREATE TABLE bench_inst AS
SELECT inst, assets, assess(who, iscore(base, bonus, redlines), scheme()) AS a
FROM bench_assessor GROUP BY inst, assets"
bench_sql "VACUUM ANALYZE bench_inst"
lit="'(10,100,90,80,60,0.2,0.5,0.3,zero)'::scheme"
read -r ours base < <(bench_pair \
    "SELECT count(*) FROM (SELECT inst, assess(who, iscore(base, bonus, redlines), $lit) AS a
     FROM bench_assessor GROUP BY inst) i" \
    "SELECT count(*) FROM (SELECT inst, assess(who, iscore(base, bonus, redlines), scheme()) AS a
     FROM bench_assessor GROUP BY inst) i")
bench_line assess_literal_scheme_vs_scheme_fn "$ours" "$base"
read -r ours base < <(bench_pair "SELECT integrity_index(a, assets, $lit)::text FROM bench_inst" \
                                 "SELECT integrity_index(a, assets, scheme())::text FROM bench_inst")
bench_line index_literal_scheme_vs_scheme_fn "$ours" "$base"

# The combine step as a coordinator runs it: 20k partial states of one index
# (numeric[9] as text, the form Citus and parallel workers move) combined and
# finished, against the same element-wise sums and final formula in plain SQL.
bench_sql "CREATE AGGREGATE bench_index_raw(assessment, numeric, scheme) (
    SFUNC = integrity_internal.index_accum_assessment, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}')"
bench_sql "CREATE AGGREGATE bench_index_combine(numeric[]) (
    SFUNC = integrity_internal.index_combine, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}', FINALFUNC = integrity_internal.index_final)"
bench_sql "CREATE TABLE bench_partials AS
SELECT inst % 20000 AS part, bench_index_raw(a, assets, scheme())::text AS state
FROM bench_inst GROUP BY inst % 20000"
ours=$(bench_ms "SELECT bench_index_combine(state::numeric[])::text FROM bench_partials")
base=$(bench_ms "SELECT round(100 * s2 / (110 * s1), 2), round(100 * sqrt(s3) / (110 * s1), 2), n4, n5, n6
FROM (SELECT sum(c[1]) s1, sum(c[2]) s2, sum(c[3]) s3, sum(c[4]) n4, sum(c[5]) n5, sum(c[6]) n6
      FROM (SELECT state::numeric[] AS c FROM bench_partials) p) s")
bench_line index_combine_20k_partials_vs_plain_sql "$ours" "$base"
bench_sql "DROP TABLE bench_partials, bench_inst"
bench_sql "DROP AGGREGATE bench_index_combine(numeric[])"
bench_sql "DROP AGGREGATE bench_index_raw(assessment, numeric, scheme)"
bench_sql "DROP TABLE bench_assessor"
