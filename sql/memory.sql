-- memory: aggregates leave nothing behind per group.
--
-- A transition function that allocates a group's first state in the
-- aggregate context and returns it has the executor copy it there again:
-- the first copy stays, one per group, until the end of the query.  Hash
-- aggregation over many groups shows it: its peak memory must equal that of
-- an aggregate with the same state type that does not allocate (sum(iscore)
-- for iscore states; for assessment states an aggregate whose first state
-- is the input itself).  work_mem is large so that nothing spills.
SET work_mem = '512MB';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TABLE memory_t AS
SELECT g, (g % 97)::numeric AS p, iscore((g % 97)::numeric, 1) AS s,
       (ARRAY['self', 'inspection', 'third_party'])[1 + g % 3] AS who
FROM generate_series(1, 50000) g;
ANALYZE memory_t;
CREATE TABLE memory_a AS
SELECT g, assess(who, s, scheme()) AS a FROM memory_t GROUP BY g;
ANALYZE memory_a;
CREATE AGGREGATE pg_temp.assess_ref(assessment) (SFUNC = integrity_internal.assess_combine, STYPE = assessment);
-- for sum(iscore) itself: a transition function that returns a fresh state
-- every row (the executor copies it and frees the old one)
CREATE AGGREGATE pg_temp.sum_ref(iscore) (SFUNC = iscore_plus, STYPE = iscore);

-- peak memory (kB) of the HashAggregate of a query
CREATE FUNCTION pg_temp.hash_peak_kb(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO plan;
    IF plan -> 0 -> 'Plan' ->> 'Strategy' <> 'Hashed' OR (plan -> 0 -> 'Plan' ->> 'HashAgg Batches')::int <> 1 THEN
        RAISE EXCEPTION 'not a single-batch hash aggregate: %', plan;
    END IF;
    RETURN (plan -> 0 -> 'Plan' ->> 'Peak Memory Usage')::bigint;
END $$;

SELECT pg_temp.hash_peak_kb('SELECT g, sum(s) FROM memory_t GROUP BY g')
       <= pg_temp.hash_peak_kb('SELECT g, pg_temp.sum_ref(s) FROM memory_t GROUP BY g') AS sum_no_leak,
       pg_temp.hash_peak_kb('SELECT g, iscore_agg(''basic'', p) FROM memory_t GROUP BY g')
       <= pg_temp.hash_peak_kb('SELECT g, sum(s) FROM memory_t GROUP BY g') AS iscore_agg_no_leak,
       pg_temp.hash_peak_kb('SELECT g, redline_sum(p, false) FROM memory_t GROUP BY g')
       <= pg_temp.hash_peak_kb('SELECT g, sum(s) FROM memory_t GROUP BY g') AS redline_sum_no_leak,
       pg_temp.hash_peak_kb('SELECT g, assess(who, s, scheme()) FROM memory_t GROUP BY g')
       <= pg_temp.hash_peak_kb('SELECT g, pg_temp.assess_ref(a) FROM memory_a GROUP BY g') AS assess_no_leak;

-- and the aggregates give the same answers as their references
SELECT count(*) FILTER (WHERE x.a::text <> m.a::text) AS assess_differs
FROM (SELECT g, assess(who, s, scheme()) AS a FROM memory_t GROUP BY g) x JOIN memory_a m USING (g);

DROP TABLE memory_t, memory_a;
