-- integrity extension script.  Assembled by the Makefile from one fragment
-- per concept (src/<concept>.sql, beside src/<concept>.c), in dependency order.
\echo Use "CREATE EXTENSION integrity" to load this file. \quit

-- =====================================================================
-- iscore: an exact integrity score (src/iscore.c)
-- =====================================================================

CREATE TYPE iscore;

CREATE FUNCTION iscore_in(cstring) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_out(iscore) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_recv(internal) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_send(iscore) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE iscore (
    INTERNALLENGTH = 24,
    INPUT = iscore_in,
    OUTPUT = iscore_out,
    RECEIVE = iscore_recv,
    SEND = iscore_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE iscore IS 'exact integrity score: basic and bonus points in hundredths, red-line hits';

CREATE FUNCTION iscore(base numeric, bonus numeric DEFAULT 0, redlines integer DEFAULT 0)
    RETURNS iscore AS 'MODULE_PATHNAME', 'iscore_make'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore(numeric, numeric, integer) IS 'score from basic points, bonus points and red-line hits';

CREATE FUNCTION base(iscore) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_base' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bonus(iscore) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_bonus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION redlines(iscore) RETURNS integer
    AS 'MODULE_PATHNAME', 'iscore_redlines' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION total(iscore, bonus_cap numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION total(iscore, numeric) IS '0 when vetoed by a red line, else base + least(bonus, bonus_cap)';

-- arithmetic
CREATE FUNCTION iscore_plus(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_mul(iscore, numeric) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_mul_commuted(numeric, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR + (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_plus,
                   COMMUTATOR = +);
CREATE OPERATOR * (LEFTARG = iscore, RIGHTARG = numeric, FUNCTION = iscore_mul,
                   COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = numeric, RIGHTARG = iscore, FUNCTION = iscore_mul_commuted,
                   COMMUTATOR = *);

-- comparison: red-line hits (more sort lower), then base + bonus, then base
CREATE FUNCTION iscore_cmp(iscore, iscore) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_eq(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_ne(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_lt(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_le(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_gt(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_ge(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_hash(iscore) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_hash_extended(iscore, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR = (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS iscore_ops DEFAULT FOR TYPE iscore USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 iscore_cmp(iscore, iscore);
CREATE OPERATOR CLASS iscore_hash_ops DEFAULT FOR TYPE iscore USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 iscore_hash(iscore),
    FUNCTION 2 iscore_hash_extended(iscore, bigint);

-- aggregates: sum keeps an iscore as its state (no internal state: partial
-- states travel as text or binary), avg keeps bigint[4]
CREATE FUNCTION iscore_sum_accum(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE sum(iscore) (
    SFUNC = iscore_sum_accum,
    STYPE = iscore,
    COMBINEFUNC = iscore_sum_accum,
    PARALLEL = SAFE
);

CREATE FUNCTION iscore_avg_accum(bigint[], iscore) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_avg_combine(bigint[], bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_avg_final(bigint[]) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE avg(iscore) (
    SFUNC = iscore_avg_accum,
    STYPE = bigint[],
    INITCOND = '{0,0,0,0}',
    COMBINEFUNC = iscore_avg_combine,
    FINALFUNC = iscore_avg_final,
    PARALLEL = SAFE
);

-- =====================================================================
-- scheme: a year's rules as data, and the four-colour grade (SQL only)
-- =====================================================================

CREATE TYPE grade AS ENUM ('red', 'yellow', 'blue', 'green');
COMMENT ON TYPE grade IS 'four-colour integrity grade, ordered red < yellow < blue < green';

-- The fields of a scheme (评分方案).  Use the domain `scheme`, which checks
-- them; this composite is only its base type.
CREATE TYPE scheme_fields AS (
    bonus_cap     numeric,  -- bonus points counted at most
    full_marks    numeric,  -- full marks of the basic items
    green         numeric,  -- total >= green  -> green
    blue          numeric,  -- total >= blue   -> blue
    yellow        numeric,  -- total >= yellow -> yellow, below -> red
    w_self        numeric,  -- weight of the institution's self-assessment (机构自评)
    w_inspection  numeric,  -- weight of the inspection team (检查组考评)
    w_third_party numeric,  -- weight of the third party (第三方测评)
    redline       text      -- red-line institutions in the index: 'zero' or 'exclude'
);

CREATE FUNCTION scheme_check(s scheme_fields) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    f text;
    v numeric;
BEGIN
    IF s IS NULL THEN
        RETURN true;
    END IF;
    FOREACH f IN ARRAY ARRAY['bonus_cap','full_marks','green','blue','yellow',
                             'w_self','w_inspection','w_third_party'] LOOP
        v := CASE f WHEN 'bonus_cap' THEN s.bonus_cap WHEN 'full_marks' THEN s.full_marks
                    WHEN 'green' THEN s.green WHEN 'blue' THEN s.blue WHEN 'yellow' THEN s.yellow
                    WHEN 'w_self' THEN s.w_self WHEN 'w_inspection' THEN s.w_inspection
                    ELSE s.w_third_party END;
        IF v IS NULL OR v = 'NaN'::numeric THEN
            RAISE EXCEPTION 'invalid scheme: % is missing', f
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Every field of a scheme must be given; scheme() supplies defaults.';
        END IF;
        IF f LIKE 'w\_%' THEN
            IF v < 0 OR v > 1 OR v <> round(v, 4) THEN
                RAISE EXCEPTION 'invalid scheme: weight % = % is not between 0 and 1 in steps of 0.0001', f, v
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
        ELSIF v < 0 OR v <> round(v, 2) OR v > 9999999999999999.99 THEN
            RAISE EXCEPTION 'invalid scheme: % = % must be non-negative points with at most two decimals', f, v
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    IF s.full_marks = 0 THEN
        RAISE EXCEPTION 'invalid scheme: full_marks must be positive'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF s.w_self + s.w_inspection + s.w_third_party <> 1 THEN
        RAISE EXCEPTION 'invalid scheme: assessor weights sum to %, not 1',
                s.w_self + s.w_inspection + s.w_third_party
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('w_self %s + w_inspection %s + w_third_party %s',
                                  s.w_self, s.w_inspection, s.w_third_party);
    END IF;
    IF NOT (s.yellow < s.blue AND s.blue < s.green) THEN
        RAISE EXCEPTION 'invalid scheme: grade thresholds out of order'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('yellow %s, blue %s, green %s', s.yellow, s.blue, s.green),
                  HINT = 'Thresholds must rise strictly: yellow < blue < green.';
    END IF;
    IF s.green > s.full_marks + s.bonus_cap THEN
        RAISE EXCEPTION 'invalid scheme: green threshold % is above the best possible total %',
                s.green, s.full_marks + s.bonus_cap
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF s.redline IS NULL OR s.redline NOT IN ('zero', 'exclude') THEN
        RAISE EXCEPTION 'invalid scheme: redline rule % is unknown', coalesce(quote_literal(s.redline), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use ''zero'' (a red-line institution counts 0 in the index) or ''exclude''.';
    END IF;
    RETURN true;
END
$$;

CREATE DOMAIN scheme AS scheme_fields CHECK (@extschema@.scheme_check(VALUE));
COMMENT ON DOMAIN scheme IS 'a scheme-year''s rules: bonus cap, full marks, grade thresholds, assessor weights, red-line rule';

CREATE FUNCTION scheme(bonus_cap numeric DEFAULT 10, full_marks numeric DEFAULT 100,
                       green numeric DEFAULT 90, blue numeric DEFAULT 80, yellow numeric DEFAULT 60,
                       w_self numeric DEFAULT 0.2, w_inspection numeric DEFAULT 0.5,
                       w_third_party numeric DEFAULT 0.3, redline text DEFAULT 'zero')
RETURNS scheme LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ROW(bonus_cap, full_marks, green, blue, yellow,
           w_self, w_inspection, w_third_party, redline)::@extschema@.scheme;
COMMENT ON FUNCTION scheme(numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, text)
    IS 'a checked scheme; every argument has a documented default';

-- Ad-hoc default: the GUC integrity.scheme holds a scheme's text form, e.g.
--   SET integrity.scheme = '(10,100,90,80,60,0.2,0.5,0.3,zero)';
-- Only the one-argument conveniences below read it (they are STABLE).
CREATE FUNCTION current_scheme() RETURNS scheme
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(nullif(current_setting('integrity.scheme', true), '')::@extschema@.scheme,
                @extschema@.scheme());
COMMENT ON FUNCTION current_scheme() IS 'the scheme named by the GUC integrity.scheme, or the default scheme()';

CREATE FUNCTION total(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN @extschema@.total(s, (rules).bonus_cap);

CREATE FUNCTION total(s iscore) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.total(s, (@extschema@.current_scheme()).bonus_cap);

CREATE FUNCTION grade(points numeric, rules scheme) RETURNS grade
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN points >= (rules).green  THEN 'green'::@extschema@.grade
            WHEN points >= (rules).blue   THEN 'blue'::@extschema@.grade
            WHEN points >= (rules).yellow THEN 'yellow'::@extschema@.grade
            ELSE 'red'::@extschema@.grade END;
COMMENT ON FUNCTION grade(numeric, scheme) IS 'grade of a total under the scheme''s thresholds';

CREATE FUNCTION grade(s iscore, rules scheme) RETURNS grade
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN @extschema@.redlines(s) > 0 THEN 'red'::@extschema@.grade
            ELSE @extschema@.grade(@extschema@.total(s, (rules).bonus_cap), rules) END;
COMMENT ON FUNCTION grade(iscore, scheme) IS 'red when vetoed by a red line, else the grade of the capped total';

CREATE FUNCTION grade(s iscore) RETURNS grade
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.grade(s, @extschema@.current_scheme());

-- =====================================================================
-- red-line aggregates (src/redline.c): the veto as an SQL primitive.
-- Their state is an iscore, so partial states are an ordinary SQL type.
-- =====================================================================

CREATE FUNCTION iscore_item_accum(iscore, text, numeric) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE iscore_agg(class text, points numeric) (
    SFUNC = iscore_item_accum,
    STYPE = iscore,
    COMBINEFUNC = iscore_sum_accum,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE iscore_agg(text, numeric) IS
    'score from indicator rows: class basic/bonus add points, redline counts hits';

CREATE FUNCTION redline_sum_accum(iscore, numeric, boolean) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION redline_sum_final(iscore) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE redline_sum(points numeric, is_redline boolean) (
    SFUNC = redline_sum_accum,
    STYPE = iscore,
    COMBINEFUNC = iscore_sum_accum,
    FINALFUNC = redline_sum_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE redline_sum(numeric, boolean) IS
    'sum of points, or 0 when any row is a red line';

-- =====================================================================
-- assessment: the three assessors' scores and their weighted composition
-- (src/assessment.c)
-- =====================================================================

CREATE TYPE assessment;
CREATE FUNCTION assessment_in(cstring) RETURNS assessment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assessment_out(assessment) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assessment_recv(internal) RETURNS assessment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assessment_send(assessment) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE assessment (
    INTERNALLENGTH = 96,
    INPUT = assessment_in,
    OUTPUT = assessment_out,
    RECEIVE = assessment_recv,
    SEND = assessment_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE assessment IS 'one institution''s summed scores per assessor (self, inspection, third party) and the scheme''s weights';

CREATE FUNCTION assess_accum(assessment, text, iscore, scheme) RETURNS assessment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION assess_combine(assessment, assessment) RETURNS assessment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE assess(assessor text, score iscore, rules scheme) (
    SFUNC = assess_accum,
    STYPE = assessment,
    COMBINEFUNC = assess_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE assess(text, iscore, scheme) IS
    'sums each assessor''s rows apart and keeps the scheme''s weights; read it with score()';

CREATE FUNCTION score(assessment) RETURNS iscore
    AS 'MODULE_PATHNAME', 'assessment_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION score(assessment) IS
    'weighted composition; missing assessors renormalise the weights; redlines = most hits any assessor found';
CREATE FUNCTION assessors(assessment) RETURNS integer
    AS 'MODULE_PATHNAME', 'assessment_assessors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assessor_score(assessment, assessor text) RETURNS iscore
    AS 'MODULE_PATHNAME', 'assessment_assessor_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION assessor_weight(assessment, assessor text) RETURNS numeric
    AS 'MODULE_PATHNAME', 'assessment_assessor_weight' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- =====================================================================
-- index: the clean-finance index (清廉金融指数) with its uncertainty (SQL)
--
-- Every step of the published method can be read here by an auditor: the
-- per-row work (score_variance, the transition functions) runs in C
-- (src/index.c) and is written out below in the SQL it computes exactly.  All arithmetic is numeric (exact decimal); sums are
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
-- The arithmetic, in C (src/index.c), is exactly this, in numeric, for the
-- assessors present (in the order self, inspection, third_party):
--     t_i = base_i + least(bonus_i, bonus_cap),   w_i = the assessor's weight,
--     n = their number, st = sum t_i, st2 = sum t_i * t_i, sw = sum w_i, sw2 = sum w_i * w_i,
--     (n * st2 - st * st) * sw2 / (n * (n - 1) * sw * sw)
-- (the sample variance and the squared renormalised weights in one exact
-- numerator and a single division).  NULL when n < 2 or sw = 0.
CREATE FUNCTION score_variance(a assessment, rules scheme) RETURNS numeric
    AS 'MODULE_PATHNAME', 'index_score_variance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
--
-- index_step(state, s, variance, weight, rules, assessed) adds one institution,
-- in C (src/index.c) with numeric operations in this order:
--   s NULL or weight NULL: the state unchanged; rules NULL: error 22004;
--   weight < 0: error 22023;
--   state[7] = -1: state[7..9] := full_marks + bonus_cap, rule, bonus_cap;
--     else any of them different: error 22023 (one index per scheme);
--   s has red lines: rule 'exclude': state[5] + 1, done;
--     else, if assessed, variance := 0 (a vetoed total is certain);
--   t := total(s, bonus_cap)            (0 when vetoed)
--   state[1] + weight, state[2] + weight * t, state[4] + 1,
--   variance NULL: state[6] + 1, else state[3] + weight * weight * variance.
-- The transition functions of the aggregates:
--   index_accum_assessment(state, a, weight, rules)
--       = a NULL: state; else index_step(state, score(a),
--           CASE WHEN rules IS NULL THEN NULL ELSE score_variance(a, rules) END,
--           weight, rules, true)
--   index_accum_assessment1(state, a, rules) = index_accum_assessment(state, a, 1, rules)
--   index_accum_score(state, s, weight, rules) = index_step(state, s, NULL, weight, rules, false)
--   index_accum_score1(state, s, rules) = index_step(state, s, NULL, 1, rules, false)
-- A state that is not numeric[9] without NULLs is an error (22023).
CREATE FUNCTION index_step(state numeric[], s iscore, variance numeric, weight numeric,
                           rules scheme, assessed boolean) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION index_accum_assessment(state numeric[], a assessment, weight numeric, rules scheme)
    RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_accum_assessment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION index_accum_assessment1(state numeric[], a assessment, rules scheme)
    RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_accum_assessment1' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION index_accum_score(state numeric[], s iscore, weight numeric, rules scheme)
    RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_accum_score' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION index_accum_score1(state numeric[], s iscore, rules scheme)
    RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_accum_score1' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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
-- ---------------------------------------------------------------------------
-- cnid: the resident identity number (GB 11643-1999)      (src/cnid.c)
--
-- 8 bytes by value: the 17-digit body as an int64; the check character is
-- derived.  Input validates length, characters, the province code, the birth
-- date (a calendar date, year >= 1800, not after CURRENT_DATE) and the ISO
-- 7064 MOD 11-2 check character; the 15-digit form is upgraded.
--
-- Volatility: input depends on the current date (future birth dates are
-- rejected), so every function that parses text (cnid_in, cnid_recv,
-- cnid(text), is_valid_cnid, cnid_invalid_reason, cnid_from_parts) is
-- STABLE, like date_in.  Everything that works on a stored cnid is IMMUTABLE.
-- ---------------------------------------------------------------------------

CREATE TYPE cnid;

CREATE FUNCTION cnid_in(cstring) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_out(cnid) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_recv(internal) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_send(cnid) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cnid (
    INTERNALLENGTH = 8,
    INPUT = cnid_in,
    OUTPUT = cnid_out,
    RECEIVE = cnid_recv,
    SEND = cnid_send,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE cnid IS 'resident identity number (GB 11643-1999), 8 bytes, canonical output';

-- casts to and from text (and varchar, through the same functions)
CREATE FUNCTION cnid(text) RETURNS cnid
    AS 'MODULE_PATHNAME', 'cnid_from_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION text(cnid) RETURNS text
    AS 'MODULE_PATHNAME', 'cnid_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (varchar AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (cnid AS text) WITH FUNCTION text(cnid) AS ASSIGNMENT;
CREATE CAST (cnid AS varchar) WITH FUNCTION text(cnid) AS ASSIGNMENT;

-- validation without raising
CREATE FUNCTION is_valid_cnid(text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_valid_cnid(text) IS 'true if the text is a valid resident identity number; never raises';
CREATE FUNCTION cnid_invalid_reason(text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_invalid_reason(text) IS 'the rule a text breaks as a cnid, NULL if valid; never raises';

-- accessors
CREATE FUNCTION cnid_birth_date(cnid) RETURNS date
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_region(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_province(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_sex(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_mask(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_birth_date(cnid) IS 'birth date (positions 7-14)';
COMMENT ON FUNCTION cnid_region(cnid) IS 'region code, 6 digits (positions 1-6, GB/T 2260)';
COMMENT ON FUNCTION cnid_province(cnid) IS 'province-level code, 2 digits (positions 1-2)';
COMMENT ON FUNCTION cnid_sex(cnid) IS 'M if the sequence (positions 15-17) is odd, F if even';
COMMENT ON FUNCTION cnid_mask(cnid) IS 'the number with the birth date masked: 110105********002X';

-- constructor: computes the check character
CREATE FUNCTION cnid_from_parts(region integer, birth date, seq integer) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_from_parts(integer, date, integer) IS 'the cnid of a 6-digit region, a birth date and a 3-digit sequence, with its check character';

-- comparison
CREATE FUNCTION cnid_eq(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_ne(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_lt(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_le(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_gt(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_ge(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_cmp(cnid, cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_hash(cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_hash_extended(cnid, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION cnid_smaller(cnid, cnid) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_larger(cnid, cnid) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE min(cnid) (
    SFUNC = cnid_smaller, STYPE = cnid, COMBINEFUNC = cnid_smaller,
    SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(cnid) (
    SFUNC = cnid_larger, STYPE = cnid, COMBINEFUNC = cnid_larger,
    SORTOP = >, PARALLEL = SAFE
);

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 cnid_cmp(cnid, cnid),
        FUNCTION 2 cnid_sortsupport(internal),
        FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING hash AS
        OPERATOR 1 =,
        FUNCTION 1 cnid_hash(cnid),
        FUNCTION 2 cnid_hash_extended(cnid, bigint);

-- GiST: interval keys [lo, hi] of 16 bytes, for exclusion constraints
CREATE TYPE cnid_gist_key;
CREATE FUNCTION cnid_gist_key_in(cstring) RETURNS cnid_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_key_out(cnid_gist_key) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cnid_gist_key (
    INTERNALLENGTH = 16,
    INPUT = cnid_gist_key_in,
    OUTPUT = cnid_gist_key_out
);

CREATE FUNCTION cnid_gist_consistent(internal, cnid, smallint, oid, internal) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_union(internal, internal) RETURNS cnid_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_compress(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_penalty(internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_picksplit(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_same(cnid_gist_key, cnid_gist_key, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_fetch(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR CLASS cnid_gist_ops
    DEFAULT FOR TYPE cnid USING gist AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 cnid_gist_consistent(internal, cnid, smallint, oid, internal),
        FUNCTION 2 cnid_gist_union(internal, internal),
        FUNCTION 3 cnid_gist_compress(internal),
        FUNCTION 5 cnid_gist_penalty(internal, internal, internal),
        FUNCTION 6 cnid_gist_picksplit(internal, internal),
        FUNCTION 7 cnid_gist_same(cnid_gist_key, cnid_gist_key, internal),
        FUNCTION 9 cnid_gist_fetch(internal),
        STORAGE cnid_gist_key;
-- ---------------------------------------------------------------------------
-- uscc: the unified social credit code (GB 32100-2015)     (src/uscc.c)
--
-- 10 bytes, fixed length, by reference, no varlena header: the 17 body
-- characters packed big-endian as one mixed-radix number; the check
-- character is derived.  memcmp equality is equality and memcmp order is the
-- order of the canonical text.  Input validates the length, the 31-character
-- alphabet (no I, O, S, V, Z; lower case accepted), digits in the region
-- (positions 3-8) and the GB 32100 check character.  Nothing depends on the
-- date, so every function here is IMMUTABLE.
-- ---------------------------------------------------------------------------

CREATE TYPE uscc;

CREATE FUNCTION uscc_in(cstring) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_out(uscc) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_recv(internal) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_send(uscc) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE uscc (
    INTERNALLENGTH = 10,
    INPUT = uscc_in,
    OUTPUT = uscc_out,
    RECEIVE = uscc_recv,
    SEND = uscc_send,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE uscc IS 'unified social credit code (GB 32100-2015), 10 bytes, canonical output';

-- casts to and from text (and varchar, through the same functions)
CREATE FUNCTION uscc(text) RETURNS uscc
    AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION text(uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS uscc) WITH FUNCTION uscc(text) AS ASSIGNMENT;
CREATE CAST (varchar AS uscc) WITH FUNCTION uscc(text) AS ASSIGNMENT;
CREATE CAST (uscc AS text) WITH FUNCTION text(uscc) AS ASSIGNMENT;
CREATE CAST (uscc AS varchar) WITH FUNCTION text(uscc) AS ASSIGNMENT;

-- validation without raising
CREATE FUNCTION is_valid_uscc(text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_valid_uscc(text) IS 'true if the text is a valid unified social credit code; never raises';
CREATE FUNCTION uscc_invalid_reason(text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_invalid_reason(text) IS 'the rule a text breaks as a uscc, NULL if valid; never raises';

-- accessors
CREATE FUNCTION uscc_authority(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_entity_type(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_region(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_org_code(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_org_code_valid(uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_authority(uscc) IS 'registration authority code (position 1)';
COMMENT ON FUNCTION uscc_entity_type(uscc) IS 'entity type code (position 2)';
COMMENT ON FUNCTION uscc_region(uscc) IS 'region code, 6 digits (positions 3-8)';
COMMENT ON FUNCTION uscc_org_code(uscc) IS 'organisation code, 9 characters (positions 9-17, GB 11714)';
COMMENT ON FUNCTION uscc_org_code_valid(uscc) IS 'whether the organisation code passes its own GB 11714 check';

-- constructor: appends the check character
CREATE FUNCTION uscc_from_parts(text) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_from_parts(text) IS 'the uscc of 17 characters, with its GB 32100 check character appended';

-- comparison
CREATE FUNCTION uscc_eq(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_ne(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_lt(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_le(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_gt(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_ge(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_cmp(uscc, uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_hash(uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_hash_extended(uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION uscc_smaller(uscc, uscc) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_larger(uscc, uscc) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE min(uscc) (
    SFUNC = uscc_smaller, STYPE = uscc, COMBINEFUNC = uscc_smaller,
    SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(uscc) (
    SFUNC = uscc_larger, STYPE = uscc, COMBINEFUNC = uscc_larger,
    SORTOP = >, PARALLEL = SAFE
);

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 uscc_cmp(uscc, uscc),
        FUNCTION 2 uscc_sortsupport(internal),
        FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING hash AS
        OPERATOR 1 =,
        FUNCTION 1 uscc_hash(uscc),
        FUNCTION 2 uscc_hash_extended(uscc, bigint);

-- GiST: interval keys [lo, hi] of 16 bytes, for exclusion constraints
CREATE TYPE uscc_gist_key;
CREATE FUNCTION uscc_gist_key_in(cstring) RETURNS uscc_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_key_out(uscc_gist_key) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE uscc_gist_key (
    INTERNALLENGTH = 20,
    INPUT = uscc_gist_key_in,
    OUTPUT = uscc_gist_key_out
);

CREATE FUNCTION uscc_gist_consistent(internal, uscc, smallint, oid, internal) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_union(internal, internal) RETURNS uscc_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_compress(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_penalty(internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_picksplit(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_same(uscc_gist_key, uscc_gist_key, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_fetch(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR CLASS uscc_gist_ops
    DEFAULT FOR TYPE uscc USING gist AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 uscc_gist_consistent(internal, uscc, smallint, oid, internal),
        FUNCTION 2 uscc_gist_union(internal, internal),
        FUNCTION 3 uscc_gist_compress(internal),
        FUNCTION 5 uscc_gist_penalty(internal, internal, internal),
        FUNCTION 6 uscc_gist_picksplit(internal, internal),
        FUNCTION 7 uscc_gist_same(uscc_gist_key, uscc_gist_key, internal),
        FUNCTION 9 uscc_gist_fetch(internal),
        STORAGE uscc_gist_key;
-- listed: blacklist screening (src/listed.c).
-- listed(subject, list) is exactly EXISTS (SELECT 1 FROM list l WHERE
-- l.<first column> = subject); the dated form adds AND l.<second column> @> at.

CREATE FUNCTION listed(subject text, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject text, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed(subject bigint, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject bigint, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed_last_build(OUT list regclass, OUT rows bigint, OUT keys bigint,
                                  OUT bytes bigint, OUT build_ms float8,
                                  OUT calls_before bigint, OUT threshold bigint)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_last_build'
    LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION listed_last_build() IS
    'diagnostics of the last in-memory list index listed() built in this session';

-- listed for the identifier types (appended after src/listed.sql once the
-- cnid and uscc types exist: the ident branch).

CREATE FUNCTION listed(subject cnid, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject cnid, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed(subject uscc, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject uscc, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

-- =====================================================================
-- portrait: the integrity portrait (清廉画像) of a subject (src/portrait.c)
-- =====================================================================

CREATE TYPE portrait;

CREATE FUNCTION portrait_in(cstring) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portrait_out(portrait) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portrait_recv(internal) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portrait_send(portrait) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE portrait (
    INTERNALLENGTH = VARIABLE,
    INPUT = portrait_in,
    OUTPUT = portrait_out,
    RECEIVE = portrait_recv,
    SEND = portrait_send,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE portrait IS 'integrity portrait: points (hundredths) and events per dimension, red-line hits, first/last event, monthly buckets';

CREATE FUNCTION portrait_from_bytea(bytea) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_from_bytea(bytea) IS 'portrait from its binary form (as portrait_send gives it), fully validated';

-- the aggregate ------------------------------------------------------

CREATE FUNCTION portrait_trans(portrait, text, numeric, timestamptz) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION portrait_trans(portrait, text, numeric, timestamptz, boolean) RETURNS portrait
    AS 'MODULE_PATHNAME', 'portrait_trans_flag' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION portrait_combine(portrait, portrait) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portrait_final(portrait) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE portrait(dimension text, points numeric, at timestamptz) (
    SFUNC = portrait_trans,
    STYPE = portrait,
    SSPACE = 600,
    FINALFUNC = portrait_final,
    COMBINEFUNC = portrait_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE portrait(text, numeric, timestamptz) IS 'integrity portrait of the event rows; events in dimension 红线 are red-line hits';

CREATE AGGREGATE portrait(dimension text, points numeric, at timestamptz, is_redline boolean) (
    SFUNC = portrait_trans,
    STYPE = portrait,
    SSPACE = 600,
    FINALFUNC = portrait_final,
    COMBINEFUNC = portrait_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE portrait(text, numeric, timestamptz, boolean) IS 'integrity portrait of the event rows; is_redline marks red-line hits';

-- readers ------------------------------------------------------------

CREATE FUNCTION portrait_total(portrait) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_total(portrait) IS 'net points over all dimensions';
CREATE FUNCTION portrait_positive(portrait) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_positive(portrait) IS 'sum of the positive points';
CREATE FUNCTION portrait_negative(portrait) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_negative(portrait) IS 'sum of the negative points (zero or less)';
CREATE FUNCTION portrait_events(portrait) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_events(portrait) IS 'number of events';
CREATE FUNCTION portrait_redlines(portrait) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_redlines(portrait) IS 'number of red-line hits';
CREATE FUNCTION portrait_first(portrait) RETURNS timestamptz
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_first(portrait) IS 'time of the first event';
CREATE FUNCTION portrait_last(portrait) RETURNS timestamptz
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_last(portrait) IS 'time of the last event';
CREATE FUNCTION portrait_dimension_count(portrait) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_dimension_count(portrait) IS 'number of distinct dimensions';
CREATE FUNCTION portrait_points(portrait, dimension text) RETURNS numeric
    AS 'MODULE_PATHNAME', 'portrait_dimension_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_points(portrait, text) IS 'net points of one dimension (0.00 when absent)';
CREATE FUNCTION portrait_events(portrait, dimension text) RETURNS bigint
    AS 'MODULE_PATHNAME', 'portrait_dimension_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_events(portrait, text) IS 'events of one dimension (0 when absent)';

CREATE FUNCTION portrait_jsonb(portrait) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_jsonb(portrait) IS 'the portrait as jsonb (times in UTC, points as exact numbers)';
CREATE CAST (portrait AS jsonb) WITH FUNCTION portrait_jsonb(portrait);

CREATE FUNCTION portrait_dimensions(p portrait,
        OUT dimension text, OUT points numeric, OUT positive numeric,
        OUT negative numeric, OUT events bigint, OUT redlines bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION portrait_dimensions(portrait) IS 'one row per dimension, sorted by name (bytewise)';

CREATE FUNCTION portrait_months(p portrait,
        OUT month date, OUT points numeric, OUT events bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 36;
COMMENT ON FUNCTION portrait_months(portrait) IS 'one row per month with events (UTC months), ascending';

CREATE FUNCTION portrait_trend(p portrait, as_of timestamptz, months integer DEFAULT 3,
        OUT recent numeric, OUT previous numeric, OUT change numeric,
        OUT recent_events bigint, OUT previous_events bigint)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_trend(portrait, timestamptz, integer) IS 'points of the N months ending with the month of as_of (UTC) against the N months before';

CREATE FUNCTION portrait_default_dimensions() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY['清廉建设', '清廉宣传', '员工管理', '合规建设',
                       '纪检监察', '重点工作', '红线', '黑名单']::text[] $$;
COMMENT ON FUNCTION portrait_default_dimensions() IS 'the eight modules of employee clean points, in their usual order';

CREATE FUNCTION portrait_radar(p portrait,
        dimensions text[] DEFAULT @extschema@.portrait_default_dimensions(),
        OUT dimension text, OUT points numeric, OUT events bigint)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 8
    AS $$
    SELECT d.dim, coalesce(x.points, 0.00), coalesce(x.events, 0)
      FROM unnest(dimensions) WITH ORDINALITY AS d(dim, ord)
      LEFT JOIN @extschema@.portrait_dimensions(p) AS x ON x.dimension = d.dim
     ORDER BY d.ord
    $$;
COMMENT ON FUNCTION portrait_radar(portrait, text[]) IS 'one row per listed dimension, in list order, zero when absent: the axes of a radar chart';

-- risk rules, grade and tags -----------------------------------------

CREATE TYPE portrait_rules_t AS (
    alert_redlines integer,   -- this many red-line hits or more: alert
    alert_below    numeric,   -- total points below this: alert
    watch_below    numeric,   -- total points below this: watch
    watch_negative numeric,   -- deductions of at least this much (absolute): watch
    exemplar_from  numeric,   -- total at least this, clean record: exemplar
    trend_months   integer,   -- trend window in months
    watch_drop     numeric    -- recent window down by at least this: watch
);
CREATE DOMAIN portrait_rules AS portrait_rules_t
    CONSTRAINT portrait_rules_complete CHECK (
            (VALUE).alert_redlines IS NOT NULL AND (VALUE).alert_below IS NOT NULL
        AND (VALUE).watch_below IS NOT NULL AND (VALUE).watch_negative IS NOT NULL
        AND (VALUE).exemplar_from IS NOT NULL AND (VALUE).trend_months IS NOT NULL
        AND (VALUE).watch_drop IS NOT NULL)
    CONSTRAINT portrait_rules_alert_redlines_positive CHECK ((VALUE).alert_redlines >= 1)
    CONSTRAINT portrait_rules_hundredths CHECK (
            (VALUE).alert_below = round((VALUE).alert_below, 2)
        AND (VALUE).watch_below = round((VALUE).watch_below, 2)
        AND (VALUE).watch_negative = round((VALUE).watch_negative, 2)
        AND (VALUE).exemplar_from = round((VALUE).exemplar_from, 2)
        AND (VALUE).watch_drop = round((VALUE).watch_drop, 2))
    CONSTRAINT portrait_rules_thresholds_ordered CHECK (
            (VALUE).alert_below <= (VALUE).watch_below
        AND (VALUE).watch_below <= (VALUE).exemplar_from)
    CONSTRAINT portrait_rules_amounts_not_negative CHECK (
            (VALUE).watch_negative >= 0 AND (VALUE).watch_drop >= 0)
    CONSTRAINT portrait_rules_trend_months_range CHECK (
            (VALUE).trend_months BETWEEN 1 AND 1200);
COMMENT ON DOMAIN portrait_rules IS 'risk rules of portraits: alert/watch/exemplar thresholds, validated';

CREATE FUNCTION make_portrait_rules(alert_redlines integer DEFAULT 1,
                                    alert_below numeric DEFAULT -20.00,
                                    watch_below numeric DEFAULT 0.00,
                                    watch_negative numeric DEFAULT 10.00,
                                    exemplar_from numeric DEFAULT 20.00,
                                    trend_months integer DEFAULT 3,
                                    watch_drop numeric DEFAULT 10.00)
    RETURNS portrait_rules
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ROW(alert_redlines, alert_below, watch_below, watch_negative,
                     exemplar_from, trend_months, watch_drop)::@extschema@.portrait_rules $$;
COMMENT ON FUNCTION make_portrait_rules(integer, numeric, numeric, numeric, numeric, integer, numeric) IS 'portrait risk rules; every argument has the documented default';

CREATE FUNCTION portrait_tags(p portrait, as_of timestamptz DEFAULT NULL,
                              rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
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
      FROM (SELECT @extschema@.portrait_redlines(p) AS redlines,
                   @extschema@.portrait_total(p) AS total,
                   @extschema@.portrait_negative(p) AS negative,
                   CASE WHEN as_of IS NOT NULL
                        THEN (@extschema@.portrait_trend(p, as_of, (rules).trend_months)).change END AS change
           ) AS s
    $$;
COMMENT ON FUNCTION portrait_tags(portrait, timestamptz, portrait_rules) IS 'the risk rules that fire: redline, low_total, below_watch, deductions, declining (only with as_of), exemplar';

CREATE FUNCTION portrait_grade(p portrait, as_of timestamptz DEFAULT NULL,
                               rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
    -- PL/pgSQL rather than SQL: the tags are computed once per call, and the
    -- function's expressions stay planned across calls (a SQL function with
    -- a subquery is re-planned on every call: ~20x slower).
    t text[] := @extschema@.portrait_tags(p, as_of, rules);
BEGIN
    RETURN CASE WHEN t IS NULL THEN NULL
                WHEN t && ARRAY['redline', 'low_total'] THEN 'alert'
                WHEN t && ARRAY['below_watch', 'deductions', 'declining'] THEN 'watch'
                WHEN 'exemplar' = ANY (t) THEN 'exemplar'
                ELSE 'normal' END;
END
$$;
COMMENT ON FUNCTION portrait_grade(portrait, timestamptz, portrait_rules) IS 'risk grade: alert, watch, normal or exemplar, from portrait_tags';
