-- pgTAP: the portrait aggregate's behaviour as properties on random data.
BEGIN;
SELECT plan(42);

-- the objects exist with their signatures
SELECT has_type('portrait');
SELECT has_function('portrait_total', ARRAY['portrait']);
SELECT has_function('portrait_trend', ARRAY['portrait', 'timestamp with time zone', 'integer']);
SELECT has_function('portrait_grade', ARRAY['portrait', 'timestamp with time zone', 'portrait_rules']);
SELECT has_function('portrait_dimensions', ARRAY['portrait']);
SELECT has_function('portrait_radar', ARRAY['portrait', 'text[]']);

-- random events: 400 subjects, the eight modules plus two custom
-- dimensions, points with two decimals (some zero), times over three
-- years, a few NULL rows (skipped by the aggregate)
SELECT setseed(0.4242);
CREATE TEMP TABLE tap_ev AS
    SELECT (random() * 399)::int AS subject,
           (portrait_default_dimensions() || ARRAY['客户投诉', 'Audit'])[1 + (random() * 9)::int] AS dimension,
           CASE WHEN random() < 0.1 THEN 0 ELSE round((random() * 60 - 30)::numeric, 2) END AS points,
           timestamptz '2021-06-01 00:00:00+00' + random() * interval '1100 days' AS at,
           random() < 0.05 AS flag
      FROM generate_series(1, 40000);
UPDATE tap_ev SET points = NULL WHERE subject = 7 AND random() < 0.5;
ANALYZE tap_ev;
CREATE TEMP TABLE tap_ok AS SELECT * FROM tap_ev WHERE points IS NOT NULL;
CREATE TEMP TABLE tap_p AS
    SELECT subject, portrait(dimension, points, at) AS p FROM tap_ev GROUP BY subject;

-- helpers: the plan of a query, and the text of a per-subject portrait query
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; acc text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP acc := acc || r || E'\n'; END LOOP;
    RETURN acc;
END $$;

-- the readers agree with plain SQL over the rows
SELECT is((SELECT count(*) FROM tap_p p
             JOIN (SELECT subject, sum(points) AS s, count(*) AS c, min(at) AS f, max(at) AS l,
                          count(*) FILTER (WHERE dimension = '红线') AS r,
                          coalesce(sum(points) FILTER (WHERE points > 0), 0) AS pos,
                          coalesce(sum(points) FILTER (WHERE points < 0), 0) AS neg
                     FROM tap_ok GROUP BY subject) q USING (subject)
            WHERE portrait_total(p.p) = q.s AND portrait_events(p.p) = q.c
              AND portrait_first(p.p) = q.f AND portrait_last(p.p) = q.l
              AND portrait_redlines(p.p) = q.r AND portrait_positive(p.p) = q.pos
              AND portrait_negative(p.p) = q.neg),
          (SELECT count(DISTINCT subject) FROM tap_ok),
          'total, events, first, last, red lines, positive, negative equal plain SQL for every subject');

SELECT is_empty($$
    (SELECT subject, d.dimension, d.points, d.positive, d.negative, d.events, d.redlines
       FROM tap_p, portrait_dimensions(p) d
     EXCEPT
     SELECT subject, dimension, sum(points), coalesce(sum(points) FILTER (WHERE points > 0), 0),
            coalesce(sum(points) FILTER (WHERE points < 0), 0), count(*),
            count(*) FILTER (WHERE dimension = '红线')
       FROM tap_ok GROUP BY subject, dimension)
    UNION ALL
    (SELECT subject, dimension, sum(points), coalesce(sum(points) FILTER (WHERE points > 0), 0),
            coalesce(sum(points) FILTER (WHERE points < 0), 0), count(*),
            count(*) FILTER (WHERE dimension = '红线')
       FROM tap_ok GROUP BY subject, dimension
     EXCEPT
     SELECT subject, d.dimension, d.points, d.positive, d.negative, d.events, d.redlines
       FROM tap_p, portrait_dimensions(p) d)$$,
    'portrait_dimensions equals GROUP BY subject, dimension');

SELECT is_empty($$
    (SELECT subject, m.month, m.points, m.events FROM tap_p, portrait_months(p) m
     EXCEPT
     SELECT subject, date_trunc('month', at AT TIME ZONE 'UTC')::date, sum(points), count(*)
       FROM tap_ok GROUP BY 1, 2)
    UNION ALL
    (SELECT subject, date_trunc('month', at AT TIME ZONE 'UTC')::date, sum(points), count(*)
       FROM tap_ok GROUP BY 1, 2
     EXCEPT
     SELECT subject, m.month, m.points, m.events FROM tap_p, portrait_months(p) m)$$,
    'portrait_months equals GROUP BY UTC calendar month');

SELECT is((SELECT count(*) FROM tap_p WHERE
               portrait_points(p, '清廉建设') = (SELECT coalesce(sum(points), 0) FROM tap_ok e
                                                 WHERE e.subject = tap_p.subject AND dimension = '清廉建设')
           AND portrait_events(p, 'Audit') = (SELECT count(*) FROM tap_ok e
                                              WHERE e.subject = tap_p.subject AND dimension = 'Audit')),
          (SELECT count(*) FROM tap_p),
          'portrait_points and portrait_events of one dimension equal plain SQL');

-- trend as of random dates, against plain SQL over month windows
CREATE TEMP TABLE tap_asof AS
    SELECT subject, timestamptz '2021-06-01 00:00:00+00' + random() * interval '1200 days' AS as_of,
           1 + (random() * 5)::int AS n
      FROM tap_p;
SELECT is_empty($$
    SELECT a.subject
      FROM tap_asof a JOIN tap_p USING (subject),
           LATERAL portrait_trend(p, a.as_of, a.n) t,
           LATERAL (SELECT
                coalesce(sum(points) FILTER (WHERE age BETWEEN 0 AND a.n - 1), 0) AS recent,
                coalesce(sum(points) FILTER (WHERE age BETWEEN a.n AND 2 * a.n - 1), 0) AS previous,
                count(*) FILTER (WHERE age BETWEEN 0 AND a.n - 1) AS re,
                count(*) FILTER (WHERE age BETWEEN a.n AND 2 * a.n - 1) AS pe
              FROM (SELECT points,
                           (extract(year FROM a.as_of AT TIME ZONE 'UTC') * 12 + extract(month FROM a.as_of AT TIME ZONE 'UTC'))
                         - (extract(year FROM e.at AT TIME ZONE 'UTC') * 12 + extract(month FROM e.at AT TIME ZONE 'UTC')) AS age
                      FROM tap_ok e WHERE e.subject = a.subject) x) q
     WHERE (t.recent, t.previous, t.change, t.recent_events, t.previous_events)
           IS DISTINCT FROM (q.recent, q.previous, q.recent - q.previous, q.re, q.pe)$$,
    'portrait_trend equals the sums over the two month windows');

-- the 4-argument form counts the rows flagged
SELECT is((SELECT count(*) FROM
             (SELECT subject, portrait_redlines(portrait(dimension, points, at, flag)) AS r,
                     count(*) FILTER (WHERE flag AND points IS NOT NULL) AS c
                FROM tap_ev GROUP BY subject) s WHERE r = c),
          (SELECT count(DISTINCT subject) FROM tap_ok),
          'is_redline flags are the red-line hits');

-- grades follow the documented default rules
SELECT is_empty($$
    SELECT subject FROM tap_p
     WHERE portrait_grade(p) IS DISTINCT FROM
           CASE WHEN portrait_redlines(p) >= 1 OR portrait_total(p) < -20 THEN 'alert'
                WHEN portrait_total(p) < 0 OR portrait_negative(p) <= -10 THEN 'watch'
                WHEN portrait_total(p) >= 20 AND portrait_negative(p) = 0 THEN 'exemplar'
                ELSE 'normal' END$$,
    'portrait_grade applies the default rules');
SELECT ok((SELECT bool_and(portrait_grade(p, portrait_last(p)) = 'watch'
                           OR 'declining' <> ALL (portrait_tags(p, portrait_last(p)))
                           OR portrait_grade(p, portrait_last(p)) = 'alert')
             FROM tap_p),
          'a declining trend makes at least watch');

-- round trips
SELECT is((SELECT count(*) FROM tap_p WHERE p::text::portrait::text = p::text), (SELECT count(*) FROM tap_p),
          'text form round-trips for every subject');
SELECT is((SELECT count(*) FROM tap_p WHERE portrait_from_bytea(portrait_send(p))::text = p::text),
          (SELECT count(*) FROM tap_p), 'binary form round-trips for every subject');
SELECT is((SELECT count(*) FROM tap_p WHERE portrait_jsonb(p::text::portrait) = p::jsonb),
          (SELECT count(*) FROM tap_p), 'jsonb of a round-tripped value is the same');

-- order independence: random order and sorted order give the same text
SELECT is_empty($$
    SELECT subject, portrait(dimension, points, at ORDER BY random())::text FROM tap_ev GROUP BY subject
    EXCEPT
    SELECT subject, portrait(dimension, points, at ORDER BY at, dimension, points)::text FROM tap_ev GROUP BY subject$$,
    'aggregating in random order gives the same text as in sorted order');

-- combine: two random halves combined equal the whole, both ways round
CREATE TEMP TABLE tap_half AS SELECT *, random() < 0.5 AS half FROM tap_ok;
SELECT is_empty($$
    SELECT subject FROM tap_p
      JOIN (SELECT subject, portrait(dimension, points, at) FILTER (WHERE half) AS a,
                   portrait(dimension, points, at) FILTER (WHERE NOT half) AS b
              FROM tap_half GROUP BY subject) h USING (subject)
     WHERE coalesce(portrait_combine(a, b), a, b)::text <> p::text
        OR coalesce(portrait_combine(b, a), a, b)::text <> p::text$$,
    'combine of two halves equals the whole, in either order');
SELECT is((SELECT portrait_combine(portrait_combine(x.p, y.p), z.p)::text
                = portrait_combine(x.p, portrait_combine(y.p, z.p))::text
             FROM tap_p x, tap_p y, tap_p z WHERE x.subject = 1 AND y.subject = 2 AND z.subject = 3),
          true, 'combine is associative');

-- serial = parallel
CREATE TEMP TABLE tap_serial AS
    SELECT subject, portrait(dimension, points, at)::text AS t FROM tap_ev GROUP BY subject;
CREATE TEMP TABLE tap_serial_all AS SELECT portrait(dimension, points, at)::text AS t FROM tap_ev;
-- temporary tables are never scanned in parallel: a regular copy
CREATE TABLE tap_par AS SELECT * FROM tap_ev;
ANALYZE tap_par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_relation_size('tap_par') > 50 * 8192, 'the parallel table has several pages');
SELECT matches(pg_temp.plan_of('SELECT subject, portrait(dimension, points, at) FROM tap_par GROUP BY subject'),
               'Partial (Hash|Group)?Aggregate', 'grouped plan is split into partial aggregates');
SELECT matches(pg_temp.plan_of('SELECT portrait(dimension, points, at) FROM tap_par'),
               'Partial Aggregate', 'ungrouped plan is split into partial aggregates');
SELECT is_empty($$
    (SELECT subject, portrait(dimension, points, at)::text FROM tap_par GROUP BY subject
     EXCEPT SELECT subject, t FROM tap_serial)
    UNION ALL
    (SELECT subject, t FROM tap_serial
     EXCEPT SELECT subject, portrait(dimension, points, at)::text FROM tap_par GROUP BY subject)$$,
    'parallel grouped portraits equal the serial ones');
SELECT is((SELECT portrait(dimension, points, at)::text FROM tap_par), (SELECT t FROM tap_serial_all),
          'parallel whole-table portrait equals the serial one');
SELECT is((SELECT portrait(dimension, points, at, flag)::text FROM tap_par),
          (SELECT portrait(dimension, points, at, flag)::text FROM tap_ev),
          'parallel 4-argument form equals serial');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors, by SQLSTATE
SELECT throws_ok($$SELECT portrait('x', 0.005, now())$$, '22023', NULL, 'points finer than 0.01: 22023');
SELECT throws_ok($$SELECT portrait('x', 'NaN', now())$$, '22023', NULL, 'NaN points: 22023');
SELECT throws_ok($$SELECT portrait('x', 92233720368547758.07, now()) FROM generate_series(1, 2)$$,
                 '22003', NULL, 'overflowing sum: 22003');
SELECT throws_ok($$SELECT portrait('d' || i, 1, now()) FROM generate_series(1, 65) i$$,
                 '54000', NULL, '65 dimensions: 54000');
SELECT throws_ok($$SELECT portrait(repeat('名', 43), 1, now())$$, '22001', NULL, 'name over 128 bytes: 22001');
SELECT throws_ok($$SELECT portrait('x', 1, 'infinity')$$, '22008', NULL, 'infinite time: 22008');
SELECT throws_ok($$SELECT 'v1|junk'::portrait$$, '22P02', NULL, 'malformed text: 22P02');
SELECT throws_ok($$SELECT portrait_from_bytea(set_byte(portrait_send(p), 0, 9)) FROM tap_p LIMIT 1$$,
                 '22P03', NULL, 'bad version byte in binary input: 22P03');
SELECT throws_ok($$SELECT make_portrait_rules(watch_below => -50)$$, '23514', NULL, 'inconsistent rules: 23514');

-- fuzzing: random mutations of valid text and binary values are either
-- rejected with an input error or accepted as values that round-trip
CREATE FUNCTION pg_temp.fuzz(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    src text; bin bytea; m text; mb bytea; pos int; ok int := 0; bad int := 0; v portrait;
    other text := '';
BEGIN
    FOR i IN 1..n LOOP
        SELECT p::text, portrait_send(p) INTO src, bin FROM tap_p ORDER BY random() LIMIT 1;
        -- text: replace, delete or duplicate one to three characters
        m := src;
        FOR k IN 1..1 + (random() * 2)::int LOOP
            pos := 1 + (random() * (length(m) - 1))::int;
            m := CASE (random() * 2)::int
                   WHEN 0 THEN overlay(m PLACING substr('0123456789|;=/".-:+ v\x', 1 + (random() * 24)::int, 1) FROM pos FOR 1)
                   WHEN 1 THEN overlay(m PLACING '' FROM pos FOR 1)
                   ELSE overlay(m PLACING substr(m, pos, 2) FROM pos FOR 1) END;
        END LOOP;
        BEGIN
            v := m::portrait;
            -- the text form is canonical: what is accepted prints back as it was
            IF v::text <> m THEN other := other || ' text-canonical:' || m; END IF;
            ok := ok + 1;
        EXCEPTION WHEN invalid_text_representation OR program_limit_exceeded
                       OR numeric_value_out_of_range THEN bad := bad + 1;
        END;
        -- binary: flip one to three bytes
        mb := bin;
        FOR k IN 1..1 + (random() * 2)::int LOOP
            pos := (random() * (length(mb) - 1))::int;
            mb := set_byte(mb, pos, (random() * 255)::int);
        END LOOP;
        BEGIN
            v := portrait_from_bytea(mb);
            IF portrait_from_bytea(portrait_send(v))::text <> v::text THEN other := other || ' bin-rt'; END IF;
            ok := ok + 1;
        EXCEPTION WHEN invalid_binary_representation OR protocol_violation OR program_limit_exceeded
                       OR character_not_in_repertoire OR numeric_value_out_of_range THEN bad := bad + 1;
        END;
    END LOOP;
    RETURN CASE WHEN other = '' THEN 'clean' ELSE other END;
END $$;
SELECT is(pg_temp.fuzz(1500), 'clean', 'mutated text and binary inputs: rejected with input errors or round-trip');
SELECT lives_ok($$SELECT portrait_combine(p, q) FROM (SELECT p FROM tap_p LIMIT 20) a,
                  (SELECT portrait_from_bytea(portrait_send(p)) AS q FROM tap_p LIMIT 20) b$$,
                'combine of every pair of received values');

-- tags and grade (C since 1.1) = their 1.0 definition in SQL, on the random
-- portraits under random rules and dates; portrait_risk is the same grade
CREATE FUNCTION pg_temp.ref_tags(p portrait, as_of timestamptz, rules portrait_rules)
RETURNS text[] LANGUAGE sql AS $$
    SELECT CASE WHEN p IS NULL THEN NULL ELSE array_remove(ARRAY[
             CASE WHEN s.redlines >= (rules).alert_redlines THEN 'redline' END,
             CASE WHEN s.total < (rules).alert_below THEN 'low_total' END,
             CASE WHEN s.total < (rules).watch_below THEN 'below_watch' END,
             CASE WHEN s.negative < 0 AND -s.negative >= (rules).watch_negative THEN 'deductions' END,
             CASE WHEN s.change < 0 AND -s.change >= (rules).watch_drop THEN 'declining' END,
             CASE WHEN s.total >= (rules).exemplar_from AND s.redlines = 0 AND s.negative = 0
                       AND NOT (coalesce(s.change, 0) < 0 AND -s.change >= (rules).watch_drop)
                  THEN 'exemplar' END
           ]::text[], NULL) END
      FROM (SELECT portrait_redlines(p) AS redlines, portrait_total(p) AS total,
                   portrait_negative(p) AS negative,
                   CASE WHEN as_of IS NOT NULL
                        THEN (portrait_trend(p, as_of, (rules).trend_months)).change END AS change) AS s
$$;
CREATE FUNCTION pg_temp.ref_grade(t text[]) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN t IS NULL THEN NULL
                WHEN t && ARRAY['redline', 'low_total'] THEN 'alert'
                WHEN t && ARRAY['below_watch', 'deductions', 'declining'] THEN 'watch'
                WHEN 'exemplar' = ANY (t) THEN 'exemplar'
                ELSE 'normal' END
$$;
CREATE TEMP TABLE tap_rules AS
    SELECT i, CASE WHEN random() < 0.3 THEN NULL
                   ELSE timestamptz '2021-01-01 00:00:00+00' + random() * interval '1300 days' END AS as_of,
           make_portrait_rules(1 + (random() * 20)::int, least(a, b), greatest(a, b), round((random() * 150)::numeric, 2),
                               greatest(a, b) + round((random() * 80)::numeric, 2), 1 + (random() * 11)::int,
                               round((random() * 60)::numeric, 2)) AS rules
      FROM (SELECT i, round((random() * 200 - 150)::numeric, 2) AS a, round((random() * 200 - 150)::numeric, 2) AS b
              FROM generate_series(1, 25) i) r;
CREATE TEMP TABLE tap_graded AS
    SELECT t.subject, r.i, portrait_tags(t.p, r.as_of, r.rules) AS tags, pg_temp.ref_tags(t.p, r.as_of, r.rules) AS ref,
           portrait_grade(t.p, r.as_of, r.rules) AS grade, portrait_risk(t.p, r.as_of, r.rules) AS risk
      FROM (SELECT subject, p FROM tap_p
            UNION ALL   -- clean records (no deductions, no red line) and small ones
            SELECT subject + 1000, portrait(dimension, points, at) FROM tap_ok
             WHERE points >= 0 AND dimension <> '红线' AND subject < 100 GROUP BY subject
            UNION ALL
            SELECT subject + 2000, portrait(dimension, points, at) FROM tap_ok
             WHERE points BETWEEN -3 AND 8 AND subject < 100 GROUP BY subject) t,
           tap_rules r;
SELECT is((SELECT count(*) FROM tap_graded WHERE tags IS DISTINCT FROM ref), 0::bigint,
          'portrait_tags = the 1.0 SQL definition (15,000 portrait/rules pairs)');
SELECT is((SELECT count(*) FROM tap_graded WHERE grade IS DISTINCT FROM pg_temp.ref_grade(ref)), 0::bigint,
          'portrait_grade = the 1.0 PL/pgSQL definition');
SELECT is((SELECT count(*) FROM tap_graded WHERE risk::text IS DISTINCT FROM grade), 0::bigint,
          'portrait_risk = portrait_grade');
SELECT is((SELECT count(DISTINCT grade) FROM tap_graded), 4::bigint, 'the pairs reach every grade');
SELECT is((SELECT count(DISTINCT t) FROM tap_graded, unnest(tags) t), 6::bigint, 'the pairs fire every tag');

SELECT * FROM finish();
ROLLBACK;
