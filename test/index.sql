-- pgTAP: the index's C transition functions and score_variance compute the
-- method written out in src/index.sql, digit for digit (values and display
-- scales), against a reference written here in SQL from that text.
BEGIN;
SELECT plan(21);

-- reference: score_variance as the formula in src/index.sql
CREATE FUNCTION pg_temp.ref_variance(a assessment, rules scheme) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    who text; p iscore; t numeric; w numeric; n integer := 0;
    st numeric := 0; st2 numeric := 0; sw numeric := 0; sw2 numeric := 0;
BEGIN
    FOREACH who IN ARRAY ARRAY['self', 'inspection', 'third_party'] LOOP
        p := assessor_score(a, who);
        CONTINUE WHEN p IS NULL;
        t := base(p) + least(bonus(p), (rules).bonus_cap);
        w := assessor_weight(a, who);
        n := n + 1; st := st + t; st2 := st2 + t * t; sw := sw + w; sw2 := sw2 + w * w;
    END LOOP;
    IF n < 2 OR sw = 0 THEN RETURN NULL; END IF;
    RETURN (n * st2 - st * st) * sw2 / (n * (n - 1) * sw * sw);
END $$;

-- reference: index_step as written out in src/index.sql
CREATE FUNCTION pg_temp.ref_step(state numeric[], s iscore, variance numeric, weight numeric,
                                 rules scheme, assessed boolean) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    scale numeric := (rules).full_marks + (rules).bonus_cap;
    rule  numeric := CASE (rules).redline WHEN 'exclude' THEN 1 ELSE 0 END;
    t     numeric;
BEGIN
    IF s IS NULL OR weight IS NULL THEN RETURN state; END IF;
    IF state[7] = -1 THEN
        state[7] := scale; state[8] := rule; state[9] := (rules).bonus_cap;
    END IF;
    IF redlines(s) > 0 THEN
        IF rule = 1 THEN state[5] := state[5] + 1; RETURN state; END IF;
        IF assessed THEN variance := 0; END IF;
    END IF;
    t := total(s, (rules).bonus_cap);
    state[1] := state[1] + weight;
    state[2] := state[2] + weight * t;
    state[4] := state[4] + 1;
    IF variance IS NULL THEN state[6] := state[6] + 1;
    ELSE state[3] := state[3] + weight * weight * variance; END IF;
    RETURN state;
END $$;
CREATE FUNCTION pg_temp.ref_accum(state numeric[], a assessment, weight numeric, rules scheme)
RETURNS numeric[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL THEN state
                ELSE pg_temp.ref_step(state, score(a), pg_temp.ref_variance(a, rules), weight, rules, true) END
$$;
CREATE FUNCTION pg_temp.ref_accum_score(state numeric[], s iscore, weight numeric, rules scheme)
RETURNS numeric[] LANGUAGE sql IMMUTABLE AS $$
    SELECT pg_temp.ref_step(state, s, NULL, weight, rules, false)
$$;
CREATE AGGREGATE pg_temp.ref_raw(assessment, numeric, scheme) (
    SFUNC = pg_temp.ref_accum, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');
CREATE AGGREGATE pg_temp.ref_raw(iscore, numeric, scheme) (
    SFUNC = pg_temp.ref_accum_score, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');
-- the C transition functions, without the final function: raw states
CREATE AGGREGATE pg_temp.c_raw(assessment, numeric, scheme) (
    SFUNC = integrity_internal.index_accum_assessment, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');
CREATE AGGREGATE pg_temp.c_raw(iscore, numeric, scheme) (
    SFUNC = integrity_internal.index_accum_score, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');

-- random assessments: one to three assessors, some red lines, some scores so
-- large that the sums of squares leave int64
SELECT setseed(0.17);
CREATE TEMP TABLE ix_rows AS
SELECT g AS inst, k, (ARRAY['self', 'inspection', 'third_party'])[k] AS who,
       CASE WHEN g % 50 = 0 THEN round((random() * 9e15)::numeric, 2)
            ELSE round((random() * 120 - 10)::numeric, 2) END AS b,
       round((random() * 25)::numeric, 2) AS o,
       (random() < 0.03)::int AS r
FROM generate_series(1, 2000) g, generate_series(1, 3) k
WHERE random() < 0.7 OR k = 1 + g % 3;
CREATE TEMP TABLE ix_schemes AS SELECT * FROM (VALUES
    (1, scheme()), (2, scheme(bonus_cap => 5)), (3, scheme(bonus_cap => 12.5, redline => 'exclude')),
    (4, scheme(bonus_cap => 7.000, full_marks => 90.0)), (5, scheme(bonus_cap => 0)),
    (6, scheme(w_self => 0.0001, w_inspection => 0.6666, w_third_party => 0.3333))) v(id, r);
CREATE TEMP TABLE ix_a AS
SELECT s.id, i.inst, i.a, s.r,
       CASE i.inst % 4 WHEN 0 THEN 1 WHEN 1 THEN 2.5 WHEN 2 THEN 0.0001 ELSE i.inst * 1000 END::numeric AS w
FROM ix_schemes s,
     LATERAL (SELECT inst, assess(who, iscore(b, o, r), s.r) AS a FROM ix_rows GROUP BY inst) i;

SELECT is((SELECT count(*) FROM ix_a
           WHERE score_variance(a, r)::text IS DISTINCT FROM pg_temp.ref_variance(a, r)::text), 0::bigint,
          'score_variance equals the SQL formula digit for digit (12000 assessments, 6 schemes)');
SELECT cmp_ok((SELECT count(*) FROM ix_a WHERE score_variance(a, r) IS NOT NULL), '>', 5000::bigint,
              'most of them have a variance');
SELECT cmp_ok((SELECT count(*) FROM ix_a WHERE score_variance(a, r) > 1e30), '>', 0::bigint,
              'some variances come from sums of squares beyond int64');
SELECT is((SELECT count(*) FROM ix_a WHERE score_stderr(a, r) IS DISTINCT FROM
                  round_half_even(sqrt(pg_temp.ref_variance(a, r)), 2)), 0::bigint,
          'score_stderr is the rounded root of the reference variance');

SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_raw(a, w, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(a, w, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          'raw index states over assessments equal the reference, as text');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_raw(score(a), w, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(score(a), w, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          'raw index states over scores equal the reference, as text');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_raw(CASE WHEN inst % 7 = 0 THEN NULL ELSE a END,
                                        CASE WHEN inst % 11 = 0 THEN NULL ELSE w END, r ORDER BY inst) AS c
               FROM ix_a GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(CASE WHEN inst % 7 = 0 THEN NULL ELSE a END,
                                          CASE WHEN inst % 11 = 0 THEN NULL ELSE w END, r ORDER BY inst) AS c
               FROM ix_a GROUP BY id) x),
          'NULL assessments and NULL weights are skipped as in the reference');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_index(a, r) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_internal.index_final(pg_temp.ref_raw(a, 1, r)) AS c FROM ix_a GROUP BY id) x),
          'integrity_index(a, rules) is the reference with weight 1');

-- reference: index_combine and index_final as written out in src/index.sql
-- (the PL/pgSQL of version 1.0)
CREATE FUNCTION pg_temp.ref_combine(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    IF a[7] = -1 THEN RETURN b; END IF;
    IF b[7] = -1 THEN RETURN a; END IF;
    RETURN ARRAY[a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], a[5] + b[5], a[6] + b[6],
                 a[7], a[8], a[9]];
END $$;
CREATE FUNCTION pg_temp.ref_final(state numeric[]) RETURNS index_result
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE v numeric; se numeric; r index_result;
BEGIN
    IF state[4] = 0 AND state[5] = 0 THEN RETURN NULL; END IF;
    r.institutions := state[4]; r.excluded := state[5]; r.no_spread := state[6];
    IF state[1] = 0 THEN RETURN r; END IF;
    v := 100 * state[2] / (state[7] * state[1]);
    r.value := round_half_even(v, 2);
    IF state[6] < state[4] THEN
        se := 100 * sqrt(state[3]) / (state[7] * state[1]);
        r.stderr := round_half_even(se, 2);
        r.ci90_low := round_half_even(v - 1.645 * se, 2);
        r.ci90_high := round_half_even(v + 1.645 * se, 2);
    END IF;
    RETURN r;
END $$;
-- partial states as shards send them: per scheme, 40 slices of institutions,
-- over assessments (with variances) and plain scores, some with weight 0 only
CREATE TEMP TABLE ix_parts AS
SELECT id, inst % 40 AS part, pg_temp.c_raw(a, w, r ORDER BY inst) AS c FROM ix_a GROUP BY id, inst % 40
UNION ALL
SELECT id + 100, inst % 40, pg_temp.c_raw(score(a), w, r ORDER BY inst) FROM ix_a GROUP BY id, inst % 40
UNION ALL
SELECT id + 200, inst % 40, pg_temp.c_raw(a, 0, r ORDER BY inst) FROM ix_a WHERE inst % 3 = 0 GROUP BY id, inst % 40
UNION ALL
SELECT id + 300, 0, '{0,0,0,0,0,0,-1,-1,-1}' FROM ix_schemes;
SELECT is((SELECT count(*) FROM ix_parts WHERE integrity_internal.index_final(c)::text IS DISTINCT FROM pg_temp.ref_final(c)::text),
          0::bigint, 'index_final equals the reference digit for digit (960 partial states)');
SELECT is((SELECT count(*) FROM ix_parts p JOIN ix_parts q ON q.id = p.id AND q.part = (p.part + 1) % 40
           WHERE integrity_internal.index_combine(p.c, q.c)::text IS DISTINCT FROM pg_temp.ref_combine(p.c, q.c)::text),
          0::bigint, 'index_combine equals the reference digit for digit');
CREATE AGGREGATE pg_temp.c_comb(numeric[]) (SFUNC = integrity_internal.index_combine, STYPE = numeric[],
                                             INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');
CREATE AGGREGATE pg_temp.ref_comb(numeric[]) (SFUNC = pg_temp.ref_combine, STYPE = numeric[],
                                               INITCOND = '{0,0,0,0,0,0,-1,-1,-1}');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_comb(c ORDER BY part) AS c FROM ix_parts GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_comb(c ORDER BY part) AS c FROM ix_parts GROUP BY id) x),
          'combining 40 partial states in an aggregate (in place) equals the reference');
SELECT is((SELECT string_agg(integrity_internal.index_final(c)::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_comb(c ORDER BY part) AS c FROM ix_parts WHERE id < 100 GROUP BY id) x),
          (SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_index(a, w, r) AS c FROM ix_a GROUP BY id) x),
          'final of the combined partial states = integrity_index over all rows');

-- the running form (sums kept as integers while only index_final reads the
-- state) is left whenever something else may read it: an aggregate sharing
-- the transition state without a final function, a window, partial
-- aggregation (sql/index.sql), sums beyond int64
SELECT is((SELECT string_agg(c || '/' || i, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.c_raw(score(a), w, r)::text AS c, integrity_index(score(a), w, r)::text AS i
               FROM ix_a GROUP BY id) x),
          (SELECT string_agg(c || '/' || integrity_internal.index_final(c::numeric[]), ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(score(a), w, r ORDER BY inst)::text AS c FROM ix_a GROUP BY id) x),
          'an aggregate sharing the state with integrity_index sees the state itself');
SELECT is((SELECT string_agg(x::text, ';' ORDER BY id, inst) FROM
              (SELECT id, inst, integrity_index(a, w, r) OVER (PARTITION BY id ORDER BY inst) AS x
               FROM ix_a WHERE inst % 20 = 0) t),
          (SELECT string_agg(integrity_internal.index_final(x)::text, ';' ORDER BY id, inst) FROM
              (SELECT id, inst, pg_temp.ref_raw(a, w, r) OVER (PARTITION BY id ORDER BY inst) AS x
               FROM ix_a WHERE inst % 20 = 0) t),
          'integrity_index as a window aggregate equals the reference row by row');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_index(score(a), w * 1e12, r) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(integrity_internal.index_final(c)::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(score(a), w * 1e12, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          'sums beyond int64 (weights of 1e12) leave the running form with the same digits');
SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_index(score(a), r) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(integrity_internal.index_final(c)::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(score(a), 1, r ORDER BY inst) AS c FROM ix_a GROUP BY id) x),
          'integrity_index(s, rules) (running form) equals the reference');

SELECT is((SELECT string_agg(c::text, ';' ORDER BY id) FROM
              (SELECT id, integrity_index(a, w, r ORDER BY inst DESC) AS c FROM ix_a GROUP BY id) x),
          (SELECT string_agg(integrity_internal.index_final(c)::text, ';' ORDER BY id) FROM
              (SELECT id, pg_temp.ref_raw(a, w, r ORDER BY inst DESC) AS c FROM ix_a GROUP BY id) x),
          'an ordered integrity_index (ORDER BY inside the call) equals the reference');

-- errors
SELECT throws_ok($$SELECT integrity_internal.index_accum_score('{0,0,0}', '80+0', 1, scheme())$$, '22023',
                 'invalid integrity_index state');
SELECT throws_ok($$SELECT integrity_internal.index_accum_score('{0,0,0,0,0,0,-1,-1,NULL}', '80+0', 1, scheme())$$, '22023',
                 'invalid integrity_index state');
SELECT throws_ok($$SELECT integrity_internal.index_accum_score('{0,0,0,0,0,0,-1,-1,-1}', '80+0', 1, NULL)$$, '22004',
                 'scheme must not be NULL');
SELECT throws_ok($$SELECT integrity_internal.index_step('{0,0,0,0,0,0,-1,-1,-1}', '80+0', NULL, -0.01, scheme(), false)$$, '22023',
                 'index weight must not be negative');

SELECT * FROM finish();
ROLLBACK;
