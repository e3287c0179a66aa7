-- pgTAP: the score aggregates are exact, and equal serial and in parallel.
BEGIN;
SELECT plan(34);

-- the objects exist with the fixed signatures
SELECT has_type('iscore');
SELECT has_type('grade');
SELECT has_function('iscore', ARRAY['numeric', 'numeric', 'integer']);
SELECT has_function('total', ARRAY['iscore', 'numeric']);
SELECT function_returns('base', ARRAY['iscore'], 'numeric');
SELECT function_returns('redlines', ARRAY['iscore'], 'integer');
SELECT enum_has_labels('grade', ARRAY['red', 'yellow', 'blue', 'green']);

-- error codes
SELECT throws_ok($$SELECT '80.5'::iscore$$, '22P02');
SELECT throws_ok($$SELECT '80.555+0'::iscore$$, '22P02');
SELECT throws_ok($$SELECT '99999999999999999+0'::iscore$$, '22003');
SELECT throws_ok($$SELECT sum(s) FROM (VALUES ('9999999999999999.99+0'::iscore), ('1+0')) t(s)$$, '22003');
SELECT throws_ok($$SELECT scheme(w_self => 0.5)$$, '22023');

-- a million random scores: the sum equals numeric's sum to the cent
SELECT setseed(0.42);
CREATE TEMP TABLE million AS
SELECT g AS id, g % 997 AS grp,
       round((random() * 200 - 50)::numeric, 2) AS b,
       round((random() * 20 - 5)::numeric, 2) AS o,
       (random() < 0.01)::int AS r
FROM generate_series(1, 1000000) g;
SELECT is((SELECT sum(iscore(b, o, r))::text FROM million),
          (SELECT iscore(sum(b), sum(o), sum(r)::int)::text FROM million),
          'sum(iscore) over 1M rows equals the numeric sums to the cent');
CREATE FUNCTION pg_temp.half_even(cents numeric, n numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $f$
    SELECT (CASE WHEN 2 * (cents - q * n) > n OR (2 * (cents - q * n) = n AND q % 2 <> 0)
                 THEN q + 1 ELSE q END) / 100
    FROM (SELECT floor(cents / n) AS q) t
$f$;
SELECT is((SELECT avg(iscore(b, o, r))::text FROM million),
          (SELECT iscore(pg_temp.half_even(sum(b) * 100, count(*)),
                         pg_temp.half_even(sum(o) * 100, count(*)), sum(r)::int)::text FROM million),
          'avg(iscore) equals the numeric averages rounded half-even');

-- the digit-reading fast path for numeric input agrees with numeric itself
SELECT is((SELECT count(*) FROM (
             SELECT round(((random() - 0.5) * 10 ^ (random() * 16))::numeric, (random() * 2)::int) AS x
             FROM generate_series(1, 200000)) t
           WHERE base(iscore(x)) <> x OR bonus(iscore(0, x)) <> x),
          0::bigint, 'iscore(numeric) is exact for 200k random values of every magnitude');
SELECT is((SELECT count(*) FROM million
           WHERE base(iscore(b, o, r)) <> b OR bonus(iscore(b, o, r)) <> o),
          0::bigint, 'iscore(numeric) reads stored (packed) numerics exactly');

-- serial against a forced parallel plan
CREATE TABLE tap_items AS
SELECT g % 500 AS inst,
       (ARRAY['self', 'inspection', 'third_party'])[1 + g % 3] AS assessor,
       (ARRAY['basic', 'basic', 'basic', 'bonus', 'redline'])[1 + (g / 3) % 5] AS class,
       CASE WHEN (g / 3) % 5 = 4 THEN (random() < 0.002)::int
            ELSE round((random() * 5)::numeric, 2) END AS points
FROM generate_series(1, 300000) g;
ANALYZE tap_items;

CREATE FUNCTION pg_temp.results(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text;
BEGIN
    EXECUTE 'SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (' || q || ') t' INTO r;
    RETURN r;
END $f$;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text; l text;
BEGIN
    r := '';
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP r := r || l || E'\n'; END LOOP;
    RETURN r;
END $f$;

CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
 ('sum', $$SELECT inst, sum(iscore(points, 0)) FROM tap_items WHERE class <> 'redline' GROUP BY inst$$),
 ('avg', $$SELECT inst, avg(iscore(points, points)) FROM tap_items WHERE class <> 'redline' GROUP BY inst$$),
 ('iscore_agg', $$SELECT inst, iscore_agg(class, points) FROM tap_items GROUP BY inst$$),
 ('redline_sum', $$SELECT inst, redline_sum(points, class = 'redline' AND points > 0) FROM tap_items GROUP BY inst$$),
 ('assess', $$SELECT inst, score(a), a::text FROM (SELECT inst, assess(assessor, s, scheme()) a FROM (SELECT inst, assessor, iscore_agg(class, points) s FROM tap_items GROUP BY inst, assessor) x GROUP BY inst) y$$),
 ('assess_flat', $$SELECT inst, assess(assessor, iscore(points, 0), scheme())::text FROM tap_items WHERE class = 'basic' GROUP BY inst$$),
 ('min', $$SELECT inst, min(iscore(points, round(points / 2, 2), (class = 'redline' AND points > 0)::int)) FROM tap_items GROUP BY inst$$),
 ('max', $$SELECT inst, max(iscore(points, -points, (class = 'redline' AND points > 0)::int)) FROM tap_items GROUP BY inst$$);

CREATE TEMP TABLE serial AS SELECT name, pg_temp.results(q) AS r FROM queries;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SET LOCAL enable_hashagg = off;

SELECT ok(pg_temp.plan(q) LIKE '%Partial%Aggregate%', name || ': the plan has a Partial Aggregate')
FROM queries WHERE name IN ('sum', 'avg', 'iscore_agg', 'redline_sum', 'assess_flat', 'min', 'max') ORDER BY name;
SELECT is(pg_temp.results(q.q), s.r, q.name || ': parallel equals serial')
FROM queries q JOIN serial s USING (name) ORDER BY name;

RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation; RESET enable_hashagg;

-- min and max follow the btree order (the first and the last of ORDER BY)
SELECT is((SELECT pg_temp.results($$SELECT inst, min(iscore(points, round(points / 2, 2), (class = 'redline' AND points > 0)::int))::text FROM tap_items GROUP BY inst$$)),
          (SELECT pg_temp.results($$SELECT DISTINCT ON (inst) inst, s::text AS txt FROM (SELECT inst, iscore(points, round(points / 2, 2), (class = 'redline' AND points > 0)::int) s FROM tap_items) x ORDER BY inst, s$$)),
          'min(iscore) is the first score of ORDER BY');
SELECT is((SELECT pg_temp.results($$SELECT inst, max(iscore(points, -points, (class = 'redline' AND points > 0)::int))::text FROM tap_items GROUP BY inst$$)),
          (SELECT pg_temp.results($$SELECT DISTINCT ON (inst) inst, s::text AS txt FROM (SELECT inst, iscore(points, -points, (class = 'redline' AND points > 0)::int) s FROM tap_items) x ORDER BY inst, s DESC$$)),
          'max(iscore) is the last score of ORDER BY');

-- combine with empty and one-sided states (the support functions live in integrity_internal)
SELECT is(integrity_internal.iscore_avg_final(integrity_internal.iscore_avg_combine('{0,0,0,0}', '{2,301,0,1}'))::text, '1.50+0.00!1',
          'avg combine with an empty state');
SELECT * FROM finish();
ROLLBACK;
