
-- =====================================================================
-- index: the clean-finance index (qinglian jinrong zhishu) with its uncertainty (SQL)
--
-- Every step of the published method can be read here by an auditor: the
-- work (score_variance, the transition, combine and final functions) runs in
-- C (src/index.c) and is written out below in the SQL it computes exactly.  All arithmetic is numeric (exact decimal); sums are
-- order-independent, so serial, parallel and sharded runs agree digit for
-- digit.  The method is documented in README.md, "The index".
-- =====================================================================

-- Half-even rounding (banker's rounding), used for every published figure,
-- to `places` decimals (-1000 to 1000; negative: tens, hundreds, ...).  In C
-- (src/index.c), in exact numeric arithmetic, the result of
--     y = x * 10^places,  fl = floor(y),
--     r = fl + 1 when y - fl > 0.5 or (y - fl = 0.5 and fl is odd), else fl,
--     round(r / 10^places, places)
-- computed without scaling x: t = trunc(x, places); t when |x - t| is half a
-- unit of the last place and t's last place is even, else round(x, places).
-- NaN and infinities pass through; places outside -1000..1000 raise 22023.
CREATE FUNCTION round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
    AS 'MODULE_PATHNAME', 'index_round_half_even' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION round_half_even(numeric, integer) IS 'round half to even (banker''s rounding)';

-- Every function and operator in the extension's SQL is schema-qualified
-- (pg_catalog., OPERATOR(pg_catalog.op), @extschema@.): the script runs as
-- the bootstrap superuser with the target schema, which the installing role
-- can write, on the search_path, and a function or operator planted there
-- that matches an unqualified name better than the built-in would be bound
-- for good (README, "Trusted"; test/planted.sh plants such traps for every
-- name the scripts use).

-- An institution's points on the index scale, 0..100:
--   100 * total / (full_marks + bonus_cap)      (total is 0 when vetoed)
CREATE FUNCTION index_points(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 100::numeric OPERATOR(pg_catalog.*) @extschema@.total(s, (rules).bonus_cap)
       OPERATOR(pg_catalog./) ((rules).full_marks OPERATOR(pg_catalog.+) (rules).bonus_cap);

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
RETURN @extschema@.round_half_even(pg_catalog.sqrt(@extschema@.score_variance(a, rules)), 2);
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
--   weight < 0, NaN or infinite: error 22023;
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

-- index_combine(a, b) and index_final(state) are C (src/index.c) and compute
-- exactly this PL/pgSQL, digit for digit (test/index.sql compares them):
--
--   index_combine(a numeric[], b numeric[]) RETURNS numeric[]:
--     IF a[7] = -1 THEN RETURN b; END IF;
--     IF b[7] = -1 THEN RETURN a; END IF;
--     IF a[7] <> b[7] OR a[8] <> b[8] OR a[9] <> b[9] THEN error 22023 (one index per scheme);
--     RETURN ARRAY[a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], a[5] + b[5], a[6] + b[6],
--                  a[7], a[8], a[9]];
--
--   index_final(state numeric[]) RETURNS index_result:
--     IF state[4] = 0 AND state[5] = 0 THEN RETURN NULL; END IF;
--     r.institutions := state[4]; r.excluded := state[5]; r.no_spread := state[6];
--     IF state[1] = 0 THEN RETURN r; END IF;        -- nothing weighted: no value
--     v := 100 * state[2] / (state[7] * state[1]);
--     r.value := round_half_even(v, 2);
--     IF state[6] < state[4] THEN                   -- at least one variance
--         se := 100 * sqrt(state[3]) / (state[7] * state[1]);
--         r.stderr := round_half_even(se, 2);
--         r.ci90_low := round_half_even(v - 1.645 * se, 2);
--         r.ci90_high := round_half_even(v + 1.645 * se, 2);
--     END IF;
--     RETURN r;
--
-- Every function that takes a state checks it is one an aggregate can reach
-- (error 22023 otherwise): numeric[9] without NULLs, every element finite;
-- fresh ({0,0,0,0,0,0,-1,-1,-1}) or started (7 = full_marks + bonus_cap > 9 =
-- bonus cap >= 0, 8 = 0 or 1); 4, 5, 6 whole counts, 6 <= 4; 1 and 3 >= 0;
-- with nothing counted (4 = 0) 1, 2, 3 and 6 are 0.
CREATE FUNCTION index_combine(a numeric[], b numeric[]) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS
    'internal: combine function of integrity_index (adds two partial states of one scheme)';
CREATE FUNCTION index_final(state numeric[]) RETURNS index_result
    AS 'MODULE_PATHNAME', 'index_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_final(numeric[]) IS
    'internal: final function of integrity_index (value, standard error, 90% interval, counts)';

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
