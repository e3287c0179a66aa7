
-- =====================================================================
-- index: the clean-finance index (清廉金融指数) with its uncertainty (SQL)
--
-- Written in SQL on purpose: every step of the published method can be read
-- here by an auditor.  All arithmetic is numeric (exact decimal); sums are
-- order-independent, so serial, parallel and sharded runs agree digit for
-- digit.  The method is documented in README.md, "The index".
-- =====================================================================

-- Half-even rounding (banker's rounding), used for every published figure.
CREATE FUNCTION round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT round(CASE WHEN y - fl > 0.5 OR (y - fl = 0.5 AND fl % 2 <> 0) THEN fl + 1 ELSE fl END
                     / power(10::numeric, places), places)
        FROM (SELECT y, floor(y) AS fl FROM (SELECT x * power(10::numeric, places) AS y) a) b);
COMMENT ON FUNCTION round_half_even(numeric, integer) IS 'round half to even (banker''s rounding)';

-- An institution's points on the index scale, 0..100:
--   100 * total / (full_marks + bonus_cap)      (total is 0 when vetoed)
CREATE FUNCTION index_points(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 100 * @extschema@.total(s, (rules).bonus_cap) / ((rules).full_marks + (rules).bonus_cap);

-- The variance (points squared) of an institution's composed total, from the
-- disagreement of its assessors: the sample variance of the assessors' capped
-- totals, times the sum of the squared renormalised weights.  With equal
-- weights this is s^2/n, the squared standard error of a mean of n sources.
-- NULL when fewer than two assessors scored the institution.
CREATE FUNCTION score_variance(a assessment, rules scheme) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    who  text;
    p    @extschema@.iscore;
    t    numeric;
    w    numeric;
    n    integer := 0;
    st   numeric := 0;    -- sum of totals
    st2  numeric := 0;    -- sum of squared totals
    sw   numeric := 0;    -- sum of weights
    sw2  numeric := 0;    -- sum of squared weights
BEGIN
    FOREACH who IN ARRAY ARRAY['self', 'inspection', 'third_party'] LOOP
        p := @extschema@.assessor_score(a, who);
        CONTINUE WHEN p IS NULL;
        t := @extschema@.base(p) + least(@extschema@.bonus(p), (rules).bonus_cap);
        w := @extschema@.assessor_weight(a, who);
        n := n + 1; st := st + t; st2 := st2 + t * t; sw := sw + w; sw2 := sw2 + w * w;
    END LOOP;
    IF n < 2 OR sw = 0 THEN
        RETURN NULL;
    END IF;
    -- sample variance (n*sum t^2 - (sum t)^2) / (n (n-1)), times sum w^2 / (sum w)^2,
    -- in one exact numerator and a single division
    RETURN (n * st2 - st * st) * sw2 / (n * (n - 1) * sw * sw);
END
$$;
COMMENT ON FUNCTION score_variance(assessment, scheme) IS
    'variance of the composed total from the assessors'' disagreement; NULL with fewer than two assessors';

CREATE FUNCTION score_stderr(a assessment, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN @extschema@.round_half_even(sqrt(@extschema@.score_variance(a, rules)), 2);
COMMENT ON FUNCTION score_stderr(assessment, scheme) IS
    'standard error of the composed total (points), rounded half-even to 0.01';

-- The result of the index aggregates: every field a standard SQL type.
CREATE TYPE index_result AS (
    value            numeric,  -- the index, 0..100, rounded half-even to 0.01
    stderr           numeric,  -- its standard error (index points), NULL if unknown
    ci90_low         numeric,  -- value - 1.645 * stderr
    ci90_high        numeric,  -- value + 1.645 * stderr
    institutions     integer,  -- institutions counted
    excluded         integer,  -- red-line institutions left out (rule 'exclude')
    no_spread        integer   -- counted institutions without an uncertainty estimate
                               -- (a single assessor, or plain scores)
);

-- State, numeric[9]:
--   1 sum of weights         2 sum of weight * total     3 sum of weight^2 * variance
--   4 institutions counted   5 excluded                  6 without a variance
--   7 full_marks + bonus_cap 8 red-line rule (0 zero, 1 exclude)   9 bonus cap
CREATE FUNCTION index_step(state numeric[], s iscore, variance numeric, weight numeric,
                           rules scheme, assessed boolean)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    scale numeric := (rules).full_marks + (rules).bonus_cap;
    rule  numeric := CASE (rules).redline WHEN 'exclude' THEN 1 ELSE 0 END;
    t     numeric;
BEGIN
    IF s IS NULL OR weight IS NULL THEN
        RETURN state;
    END IF;
    IF rules IS NULL THEN
        RAISE EXCEPTION 'scheme must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF weight < 0 THEN
        RAISE EXCEPTION 'index weight must not be negative' USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('Got %s.', weight);
    END IF;
    IF state[7] = -1 THEN
        state[7] := scale; state[8] := rule; state[9] := (rules).bonus_cap;
    ELSIF state[7] <> scale OR state[8] <> rule OR state[9] <> (rules).bonus_cap THEN
        RAISE EXCEPTION 'one index cannot mix schemes with different full marks, bonus caps or red-line rules'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Compute one index per scheme year (GROUP BY year).';
    END IF;
    IF @extschema@.redlines(s) > 0 THEN
        IF rule = 1 THEN
            state[5] := state[5] + 1;
            RETURN state;
        END IF;
        IF assessed THEN
            variance := 0;       -- a vetoed total is certain: 0
        END IF;
    END IF;
    t := @extschema@.total(s, (rules).bonus_cap);
    state[1] := state[1] + weight;
    state[2] := state[2] + weight * t;
    state[4] := state[4] + 1;
    IF variance IS NULL THEN
        state[6] := state[6] + 1;
    ELSE
        state[3] := state[3] + weight * weight * variance;
    END IF;
    RETURN state;
END
$$;

-- The aggregates' transition functions (PL/pgSQL: a SQL-language function
-- that is not inlined, as a transition function never is, costs several
-- times more per call).
CREATE FUNCTION index_accum_assessment(state numeric[], a assessment, weight numeric, rules scheme)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF a IS NULL THEN
        RETURN state;
    END IF;
    RETURN @extschema@.index_step(state, @extschema@.score(a),
        CASE WHEN rules IS NULL THEN NULL ELSE @extschema@.score_variance(a, rules) END,
        weight, rules, true);
END
$$;
CREATE FUNCTION index_accum_assessment1(state numeric[], a assessment, rules scheme)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN @extschema@.index_accum_assessment(state, a, 1, rules);
END
$$;
CREATE FUNCTION index_accum_score(state numeric[], s iscore, weight numeric, rules scheme)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN @extschema@.index_step(state, s, NULL, weight, rules, false);
END
$$;
CREATE FUNCTION index_accum_score1(state numeric[], s iscore, rules scheme)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN @extschema@.index_step(state, s, NULL, 1, rules, false);
END
$$;

CREATE FUNCTION index_combine(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    IF array_length(a, 1) IS DISTINCT FROM 9 OR array_length(b, 1) IS DISTINCT FROM 9
       OR array_position(a, NULL) IS NOT NULL OR array_position(b, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'invalid integrity_index state' USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Expected numeric[9] without NULLs.';
    END IF;
    IF a[7] = -1 THEN RETURN b; END IF;
    IF b[7] = -1 THEN RETURN a; END IF;
    IF a[7] <> b[7] OR a[8] <> b[8] OR a[9] <> b[9] THEN
        RAISE EXCEPTION 'one index cannot mix schemes with different full marks, bonus caps or red-line rules'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN ARRAY[a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], a[5] + b[5], a[6] + b[6],
                 a[7], a[8], a[9]];
END
$$;

CREATE FUNCTION index_final(state numeric[]) RETURNS index_result
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v  numeric;
    se numeric;
    r  @extschema@.index_result;
BEGIN
    IF array_length(state, 1) IS DISTINCT FROM 9 OR array_position(state, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'invalid integrity_index state' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF state[4] = 0 AND state[5] = 0 THEN
        RETURN NULL;
    END IF;
    r.institutions := state[4];
    r.excluded := state[5];
    r.no_spread := state[6];
    IF state[1] = 0 THEN
        RETURN r;                 -- nothing weighted: no value
    END IF;
    v := 100 * state[2] / (state[7] * state[1]);
    r.value := @extschema@.round_half_even(v, 2);
    IF state[6] < state[4] THEN   -- at least one institution has a variance
        se := 100 * sqrt(state[3]) / (state[7] * state[1]);
        r.stderr := @extschema@.round_half_even(se, 2);
        r.ci90_low := @extschema@.round_half_even(v - 1.645 * se, 2);
        r.ci90_high := @extschema@.round_half_even(v + 1.645 * se, 2);
    END IF;
    RETURN r;
END
$$;

CREATE AGGREGATE integrity_index(a assessment, weight numeric, rules scheme) (
    SFUNC = index_accum_assessment, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}',
    COMBINEFUNC = index_combine, FINALFUNC = index_final, PARALLEL = SAFE);
CREATE AGGREGATE integrity_index(a assessment, rules scheme) (
    SFUNC = index_accum_assessment1, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}',
    COMBINEFUNC = index_combine, FINALFUNC = index_final, PARALLEL = SAFE);
CREATE AGGREGATE integrity_index(s iscore, weight numeric, rules scheme) (
    SFUNC = index_accum_score, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}',
    COMBINEFUNC = index_combine, FINALFUNC = index_final, PARALLEL = SAFE);
CREATE AGGREGATE integrity_index(s iscore, rules scheme) (
    SFUNC = index_accum_score1, STYPE = numeric[], INITCOND = '{0,0,0,0,0,0,-1,-1,-1}',
    COMBINEFUNC = index_combine, FINALFUNC = index_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE integrity_index(assessment, numeric, scheme) IS
    'weighted clean-finance index 0..100 with standard error and 90% interval from the assessors'' disagreement';
