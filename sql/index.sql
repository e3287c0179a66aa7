-- The clean-finance index: the worked example of README.md ("The index"),
-- checked to the digit, then the rules around it and bad input.

SELECT round_half_even(2.345) AS a, round_half_even(2.355) AS b, round_half_even(-2.345) AS c,
       round_half_even(2.3451) AS d, round_half_even(2.5, 0) AS e, round_half_even(3.5, 0) AS f;
-- tens, hundreds, ...: half to even there too, also far from the point;
-- non-finite values pass through
SELECT round_half_even(1250, -2) AS a, round_half_even(1350, -2) AS b, round_half_even(-1250.0001, -2) AS c,
       round_half_even(25e20, -21) AS d, round_half_even(15e20, -21) AS e,
       round_half_even(0.5e-30, 30) AS f, round_half_even(1.5e-30, 30) AS g,
       round_half_even('NaN', 2) AS h, round_half_even('-Infinity', -3) AS i;
-- places are those of a numeric's scale, -1000 to 1000: a clear error beyond
SELECT round_half_even(1.5, -2147483648);
\echo :LAST_ERROR_SQLSTATE
SELECT round_half_even(1.5, 1001);
\echo :LAST_ERROR_SQLSTATE
SELECT round_half_even(1.5, -1000) AS lowest, length(round_half_even(1.5, 1000)::text) AS highest_digits;
-- any numeric rounds, exactly: x is not scaled by 10^places (which overflowed
-- for a 131001-digit number, and rounded a value one unit of the 16383rd
-- decimal below a tie into the tie)
SELECT round_half_even(('9' || repeat('0', 131000))::numeric, 1000)
       = ('9' || repeat('0', 131000))::numeric AS huge_kept;
SELECT round_half_even(1.5e1000 - ('1e-' || 16383)::numeric, -1000) = 1e1000 AS below_tie_down,
       round_half_even(2.5e1000 + ('1e-' || 16383)::numeric, -1000) = 3e1000 AS above_tie_up,
       round_half_even(-0.125, 2) AS neg_tie_even, round_half_even(-0.135, 2) AS neg_tie_odd;

CREATE TABLE index_example (inst text, sector text, assets numeric, assessor text, score iscore);
INSERT INTO index_example VALUES
  ('A', 'bank',      300, 'self', '90+5'), ('A', 'bank', 300, 'inspection', '88+4'),
  ('A', 'bank',      300, 'third_party', '86+3'),
  ('B', 'insurance', 100, 'self', '80+0'), ('B', 'insurance', 100, 'inspection', '70+0'),
  ('C', 'lending',   100, 'self', '95+2'), ('C', 'lending', 100, 'third_party', '90+0!1');

-- step 1 and 2: compose each institution, its total, grade, points on the
-- 0..100 scale and its standard error from the assessors' disagreement
CREATE VIEW index_example_inst AS
SELECT inst, sector, assets, assess(assessor, score, scheme()) AS a
FROM index_example GROUP BY inst, sector, assets;
SELECT inst, score(a), total(score(a), scheme()) AS total, grade(score(a), scheme()) AS grade,
       round_half_even(index_points(score(a), scheme()), 4) AS points_0_100,
       score_variance(a, scheme())::numeric(12, 4) AS variance, score_stderr(a, scheme()) AS stderr,
       assessors(a) AS assessors
FROM index_example_inst ORDER BY inst;

-- step 3: the asset-weighted index, its standard error and 90% interval
SELECT (integrity_index(a, assets, scheme())).* FROM index_example_inst;
-- unweighted, and with red-line institutions excluded instead of counted as 0
SELECT (integrity_index(a, scheme())).* FROM index_example_inst;
SELECT (integrity_index(a, assets, scheme(redline => 'exclude'))).* FROM index_example_inst;
-- from plain scores there is no spread to measure: no standard error
SELECT (integrity_index(score(a), assets, scheme())).* FROM index_example_inst;
-- breakdowns are ordinary GROUP BY
SELECT sector, (integrity_index(a, assets, scheme())).value FROM index_example_inst
GROUP BY sector ORDER BY sector;
SELECT grade(score(a), scheme()) AS grade, count(*) FROM index_example_inst GROUP BY 1 ORDER BY 1;

-- empty input, zero weights, bad input
SELECT integrity_index(a, scheme()) IS NULL AS empty FROM index_example_inst WHERE false;
SELECT (integrity_index(a, 0, scheme())).* FROM index_example_inst;
SELECT integrity_index(a, -1, scheme()) FROM index_example_inst;
SELECT integrity_index(s, r) FROM (VALUES ('80+0'::iscore, scheme()),
                                          ('70+0', scheme(bonus_cap => 5))) t(s, r);
SELECT integrity_internal.index_combine('{1,2,3}', '{0,0,0,0,0,0,-1,-1,-1}');
SELECT integrity_internal.index_final('{1,2,3,4,5,6,7,8,NULL}');
-- weights must be finite (NaN sorts above every number, so it slipped past
-- the negative-weight check and made the index NaN)
SELECT integrity_index(a, 'NaN', scheme()) FROM index_example_inst;
SELECT integrity_index(a, 'Infinity', scheme()) FROM index_example_inst;
SELECT integrity_index(score(a), '-Infinity', scheme()) FROM index_example_inst;
-- states no aggregate can reach are refused by every function that takes one
SELECT integrity_internal.index_final('{1,1,1,1,0,0,-1,0,0}');
SELECT integrity_internal.index_final('{1,80,0,-1,0,0,110,0,10}');
SELECT integrity_internal.index_final('{1,80,0,1.5,0,0,110,0,10}');
SELECT integrity_internal.index_final('{1,80,0,1,0,2,110,0,10}');
SELECT integrity_internal.index_final('{-1,80,0,1,0,0,110,0,10}');
SELECT integrity_internal.index_final('{1,80,0,1,0,0,110,2,10}');
SELECT integrity_internal.index_final('{1,80,0,1,0,0,10,0,10}');
SELECT integrity_internal.index_final('{1,NaN,0,1,0,0,110,0,10}');
SELECT integrity_internal.index_final('{0,5,0,0,1,0,110,1,10}');
SELECT integrity_internal.index_combine('{1,1,1,1,0,0,-1,0,0}', '{1,80,0,1,0,1,110,0,10}');
SELECT integrity_internal.index_combine('{1,80,0,1,0,1,110,0,10}', '{1,80,-4,1,0,0,110,0,10}');
SELECT integrity_internal.index_accum_score('{1,1,1,1,0,0,-1,0,0}', '80+0', 1, scheme());
-- a reachable state is read to the digit
SELECT integrity_internal.index_final('{1,80,0,1,0,1,110,0,10}') AS one,
       integrity_internal.index_final(integrity_internal.index_combine('{1,80,0,1,0,1,110,0,10}', '{2.5,80.125,3,2,1,1,110,0,10}')) AS two;

-- serial = parallel on a table of many pages
CREATE TABLE index_many AS
SELECT g AS inst, (g % 7) AS district, 1 + g % 13 AS staff,
       assess(who, iscore(60 + (hashint4(g * 3 + k) & 4095) % 4000 / 100.0,
                          (hashint4(g * 5 + k) & 511) % 500 / 100.0,
                          (hashint4(g * 7 + k) % 97 = 0)::int), scheme()) AS a
FROM generate_series(1, 20000) g,
     LATERAL (SELECT k, (ARRAY['self','inspection','third_party'])[k] AS who
              FROM generate_series(1, 1 + g % 3) k) w
GROUP BY g;
ANALYZE index_many;
CREATE TABLE index_serial AS
SELECT district, integrity_index(a, staff, scheme())::text AS r FROM index_many GROUP BY district;
CREATE TABLE index_serial_scores AS
SELECT district, integrity_index(score(a), scheme())::text AS r FROM index_many GROUP BY district;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT district, integrity_index(a, staff, scheme())::text FROM index_many GROUP BY district;
SELECT count(*) AS districts, count(*) FILTER (WHERE p.r = s.r) AS equal
FROM (SELECT district, integrity_index(a, staff, scheme())::text AS r FROM index_many GROUP BY district) p
JOIN index_serial s USING (district);
-- over scores (the transition keeps its running form in the
-- workers' partial aggregates)
EXPLAIN (COSTS OFF)
SELECT district, integrity_index(score(a), scheme())::text FROM index_many GROUP BY district;
SELECT count(*) AS districts, count(*) FILTER (WHERE p.r = s.r) AS equal
FROM (SELECT district, integrity_index(score(a), scheme())::text AS r FROM index_many GROUP BY district) p
JOIN index_serial_scores s USING (district);
RESET ALL;
DROP TABLE index_serial, index_serial_scores, index_many;
DROP VIEW index_example_inst;
DROP TABLE index_example;
