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

ours=$(bench_ms "SELECT integrity_index(a, assets, scheme())::text FROM (
    SELECT inst, assets, assess(who, iscore(base, bonus, redlines), scheme()) AS a
    FROM bench_assessor GROUP BY inst, assets) i")
base=$(bench_ms "
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
bench_sql "DROP TABLE bench_assessor"
