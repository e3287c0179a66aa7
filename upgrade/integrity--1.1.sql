-- integrity extension script.  Assembled by the Makefile from one fragment
-- per concept (src/<concept>.sql, beside src/<concept>.c), in dependency order.
\echo Use "CREATE EXTENSION integrity" to load this file. \quit

-- Server encodings: UTF8 and EUC_CN.  The extension compares and returns
-- Chinese names (indicator classes, assessors, portrait dimensions); the
-- control file declares this script UTF-8 and PostgreSQL converts it to the
-- server encoding, which must hold those names.  Clients may use any client
-- encoding PostgreSQL converts to the server's (GB18030 and GBK: to UTF8).
DO $encoding$
BEGIN
    IF current_setting('server_encoding') NOT IN ('UTF8', 'EUC_CN') THEN
        RAISE EXCEPTION 'extension "integrity" does not support the server encoding %',
                current_setting('server_encoding')
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'Its Chinese names (indicator classes, assessors, portrait dimensions) need a server encoding that holds them: UTF8 or EUC_CN.',
                  HINT = 'Create the database with ENCODING ''UTF8'' (or ''EUC_CN'') and TEMPLATE template0; a UTF8 database also serves GB18030 and GBK clients.';
    END IF;
END
$encoding$;

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
-- states travel as text or binary), avg keeps bigint[6] {rows, base, bonus,
-- redlines, base / 10^18, bonus / 10^18}: exact int128 sums (src/iscore.c)
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

-- min and max in the btree order (as for any ordered type): the state is the
-- best or worst score so far; SORTOP lets an index answer them
CREATE FUNCTION iscore_smaller(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore_smaller(iscore, iscore) IS 'transition and combine function of min(iscore)';
CREATE FUNCTION iscore_larger(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore_larger(iscore, iscore) IS 'transition and combine function of max(iscore)';
CREATE AGGREGATE min(iscore) (
    SFUNC = iscore_smaller, STYPE = iscore, COMBINEFUNC = iscore_smaller,
    SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(iscore) IS 'lowest score in the iscore order: most red-line hits, then least base + bonus, then least base';
CREATE AGGREGATE max(iscore) (
    SFUNC = iscore_larger, STYPE = iscore, COMBINEFUNC = iscore_larger,
    SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(iscore) IS 'highest score in the iscore order: fewest red-line hits, then most base + bonus, then most base';

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

-- The rules of a scheme, checked in C by the one scheme reader (src/scheme.c)
-- that assess, integrity_index, grade() and the setting integrity.scheme
-- share; the result is cached per call site by value, so a scheme written as
-- a literal (checked again for every row) costs what scheme() costs.
-- NULL is a NULL scheme; a row whose fields are NULL is rejected.
CREATE FUNCTION scheme_check(s scheme_fields) RETURNS boolean
    AS 'MODULE_PATHNAME', 'scheme_check' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION scheme_check(scheme_fields) IS
    'internal: the CHECK of the domain scheme; raises 22023 naming the broken rule';

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

-- Ad-hoc default: the setting integrity.scheme (registered by the library,
-- checked when SET) holds a scheme's text form, e.g.
--   SET integrity.scheme = '(10,100,90,80,60,0.2,0.5,0.3,zero)';
-- Only current_scheme() and the one-argument total()/grade() read it (they
-- are STABLE, so postgres_fdw never ships them to a shard).
CREATE FUNCTION current_scheme() RETURNS scheme
    AS 'MODULE_PATHNAME', 'current_scheme' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION current_scheme() IS 'the scheme named by the GUC integrity.scheme, or the default scheme()';

CREATE FUNCTION total(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN @extschema@.total(s, (rules).bonus_cap);

CREATE FUNCTION total(s iscore) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.total(s, (@extschema@.current_scheme()).bonus_cap);

-- green when points >= green, blue when >= blue, yellow when >= yellow, else
-- red; NaN and infinite points are an error (22023).
CREATE FUNCTION grade(points numeric, rules scheme) RETURNS grade
    AS 'MODULE_PATHNAME', 'scheme_grade' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION grade(numeric, scheme) IS 'grade of a total under the scheme''s thresholds';

CREATE FUNCTION grade(s iscore, rules scheme) RETURNS grade
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN @extschema@.redlines(s) > 0 THEN 'red'::@extschema@.grade
            ELSE @extschema@.grade(@extschema@.total(s, (rules).bonus_cap), rules) END;
COMMENT ON FUNCTION grade(iscore, scheme) IS 'red when vetoed by a red line, else the grade of the capped total';

CREATE FUNCTION grade(s iscore) RETURNS grade
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.grade(s, @extschema@.current_scheme());

-- Untyped literals and NULLs: total(s, NULL), total(s, '12'), grade(NULL, r),
-- grade('85', r) named two overloads each ("function is not unique").  An
-- overload taking text settles them (an unknown literal prefers text): it
-- reads the text as whichever of the other overloads' types can read it,
-- and the text forms never overlap (a scheme starts with "(", a number has
-- no sign after a digit, a score always has one: 80.50+3.00).
CREATE FUNCTION total(s iscore, cap_or_rules text) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN CASE WHEN ltrim(cap_or_rules) LIKE '(%'
            THEN @extschema@.total(s, cap_or_rules::@extschema@.scheme)
            ELSE @extschema@.total(s, cap_or_rules::numeric) END;
COMMENT ON FUNCTION total(iscore, text) IS
    'total of a literal: a scheme''s text form "(...)" or a bonus cap; makes total(s, NULL) unambiguous';

CREATE FUNCTION grade(points_or_score text, rules scheme) RETURNS grade
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN points_or_score ~ '[0-9.][-+]'
            THEN @extschema@.grade(points_or_score::@extschema@.iscore, rules)
            ELSE @extschema@.grade(points_or_score::numeric, rules) END;
COMMENT ON FUNCTION grade(text, scheme) IS
    'grade of a literal: a score "80.50+3.00" or a total "85"; makes grade(NULL, rules) unambiguous';

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
-- work (score_variance, the transition, combine and final functions) runs in
-- C (src/index.c) and is written out below in the SQL it computes exactly.  All arithmetic is numeric (exact decimal); sums are
-- order-independent, so serial, parallel and sharded runs agree digit for
-- digit.  The method is documented in README.md, "The index".
-- =====================================================================

-- Half-even rounding (banker's rounding), used for every published figure.
-- Every operator and function in a body that is bound when the script runs
-- (RETURN bodies, domain CHECKs) takes exactly the built-in's argument
-- types: an implicit cast would let an operator planted in the target
-- schema (e.g. %(numeric, integer)) match better and be bound for good
-- (README, "Trusted"; test/trusted.sh plants such traps).
CREATE FUNCTION round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT pg_catalog.round(
                   CASE WHEN y - fl > 0.5 OR (y - fl = 0.5 AND fl % 2::numeric <> 0::numeric)
                        THEN fl + 1::numeric ELSE fl END
                   / pg_catalog.power(10::numeric, places::numeric), places)
        FROM (SELECT y, pg_catalog.floor(y) AS fl
                FROM (SELECT x * pg_catalog.power(10::numeric, places::numeric) AS y) a) b);
COMMENT ON FUNCTION round_half_even(numeric, integer) IS 'round half to even (banker''s rounding)';

-- An institution's points on the index scale, 0..100:
--   100 * total / (full_marks + bonus_cap)      (total is 0 when vetoed)
CREATE FUNCTION index_points(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 100::numeric * @extschema@.total(s, (rules).bonus_cap) / ((rules).full_marks + (rules).bonus_cap);

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
-- ---------------------------------------------------------------------------
-- cnid: the resident identity number (GB 11643-1999)      (src/cnid.c)
--
-- 8 bytes by value: the 17-digit body as an int64; the check character is
-- derived.  Input validates length, characters, the province code, the birth
-- date (a calendar date, year >= 1800) and the ISO 7064 MOD 11-2 check
-- character; the 15-digit form is upgraded.
--
-- Volatility: input is a pure function of the text, so cnid_in, cnid_recv,
-- cnid(text) and cnid_from_parts are IMMUTABLE and a dump restores, and a
-- replica applies, under any clock and time zone.  The cleansing functions
-- is_valid_cnid and cnid_invalid_reason also refuse a birth date after
-- CURRENT_DATE (session time zone): they are STABLE.
-- ---------------------------------------------------------------------------

CREATE TYPE cnid;

CREATE FUNCTION cnid_in(cstring) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_out(cnid) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_recv(internal) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
    AS 'MODULE_PATHNAME', 'cnid_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION text(cnid) RETURNS text
    AS 'MODULE_PATHNAME', 'cnid_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (varchar AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (cnid AS text) WITH FUNCTION text(cnid) AS ASSIGNMENT;
CREATE CAST (cnid AS varchar) WITH FUNCTION text(cnid) AS ASSIGNMENT;

-- validation without raising
CREATE FUNCTION is_valid_cnid(text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_valid_cnid(text) IS 'true if the text is a valid resident identity number with a birth date not after CURRENT_DATE; never raises';
CREATE FUNCTION cnid_invalid_reason(text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_invalid_reason(text) IS 'the rule a text breaks as a cnid (a birth date after CURRENT_DATE included), NULL if valid; never raises';

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
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
-- ---------------------------------------------------------------------------
-- identifier cleaning: normaliser and try-casts            (src/normalize.c)
--
-- identifier_normalize(text) turns the text of a cnid or a uscc as forms,
-- spreadsheets and CSV files deliver it into the types' input: full-width
-- forms to ASCII, every space (U+3000, no-break, zero-width, ...) removed,
-- one hyphen or dot between two groups removed, ASCII letters upper-cased.
-- to_cnid / to_uscc normalise and convert in one call; strict => false
-- returns NULL instead of raising.
-- ---------------------------------------------------------------------------

CREATE FUNCTION identifier_normalize(raw text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION identifier_normalize(text) IS
    'clean the text of a cnid or uscc: full-width forms to ASCII, spaces removed, hyphens and dots between groups removed, upper case';

CREATE FUNCTION to_cnid(raw text, strict boolean DEFAULT true) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_cnid(text, boolean) IS
    'normalise and convert to cnid; strict => false returns NULL for a value the type rejects';

CREATE FUNCTION to_uscc(raw text, strict boolean DEFAULT true) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_uscc(text, boolean) IS
    'normalise and convert to uscc; strict => false returns NULL for a value the type rejects';
-- ---------------------------------------------------------------------------
-- blacklist: the persistent blacklist index access method
--                              (src/blacklist_utils.c, blacklist_build.c,
--                               blacklist_insert.c, blacklist_scan.c,
--                               blacklist_vacuum.c; contract: blacklist.h)
--
-- CREATE INDEX ... ON list USING blacklist (subject): a blocked Bloom filter
-- over the key column, kept in the index's pages (shared buffers, generic
-- WAL).  It only over-approximates: a "no" holds for every snapshot, role
-- and policy; listed() confirms a "maybe" exactly.  Operator classes for
-- cnid, uscc, bigint and text (varchar columns use text_ops); support
-- function 1 is the type's seeded, platform-independent 64-bit hash.
-- ---------------------------------------------------------------------------

CREATE FUNCTION blacklist_handler(internal) RETURNS index_am_handler
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION blacklist_handler(internal) IS
    'handler of the blacklist index access method';

CREATE ACCESS METHOD blacklist TYPE INDEX HANDLER blacklist_handler;
COMMENT ON ACCESS METHOD blacklist IS
    'blacklist index: a persistent blocked Bloom filter over one key column; a "no" holds for every snapshot (used by listed())';

CREATE FUNCTION blacklist_int8_hash(bigint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int8_hash(bigint, bigint) IS
    'seeded portable 64-bit hash of a bigint (blacklist int8_ops support function)';

CREATE FUNCTION blacklist_int4_hash(integer, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int4_hash(integer, bigint) IS
    'seeded portable 64-bit hash of an integer, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_int2_hash(smallint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int2_hash(smallint, bigint) IS
    'seeded portable 64-bit hash of a smallint, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_text_hash(text, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_text_hash(text, bigint) IS
    'seeded portable 64-bit hash of the bytes of a text (blacklist text_ops support function)';

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING blacklist AS
        OPERATOR 1 = (cnid, cnid),
        FUNCTION 1 cnid_hash_extended(cnid, bigint);
COMMENT ON OPERATOR CLASS cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';
COMMENT ON OPERATOR FAMILY cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING blacklist AS
        OPERATOR 1 = (uscc, uscc),
        FUNCTION 1 uscc_hash_extended(uscc, bigint);
COMMENT ON OPERATOR CLASS uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';
COMMENT ON OPERATOR FAMILY uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';

CREATE OPERATOR CLASS int8_ops
    DEFAULT FOR TYPE bigint USING blacklist AS
        OPERATOR 1 = (bigint, bigint),
        OPERATOR 1 = (bigint, integer),
        OPERATOR 1 = (bigint, smallint),
        FUNCTION 1 blacklist_int8_hash(bigint, bigint),
        FUNCTION 1 (integer, integer) blacklist_int4_hash(integer, bigint),
        FUNCTION 1 (smallint, smallint) blacklist_int2_hash(smallint, bigint);
COMMENT ON OPERATOR CLASS int8_ops USING blacklist IS
    'blacklist filter over bigint keys';
COMMENT ON OPERATOR FAMILY int8_ops USING blacklist IS
    'blacklist filter over bigint keys (searched also with integer and smallint values)';

CREATE OPERATOR CLASS text_ops
    DEFAULT FOR TYPE text USING blacklist AS
        OPERATOR 1 = (text, text),
        FUNCTION 1 blacklist_text_hash(text, bigint);
COMMENT ON OPERATOR CLASS text_ops USING blacklist IS
    'blacklist filter over text (and varchar) keys; deterministic collations only';
COMMENT ON OPERATOR FAMILY text_ops USING blacklist IS
    'blacklist filter over text and varchar keys';

CREATE FUNCTION blacklist_probe(index regclass, key anyelement) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION blacklist_probe(regclass, anyelement) IS
    'diagnostic: the blacklist filter''s answer for a key (false = no row holds it; true = maybe)';

CREATE FUNCTION blacklist_index_stats(index regclass,
    OUT capacity bigint, OUT inserted bigint, OUT bits_per_key integer,
    OUT probes integer, OUT pages bigint, OUT bytes bigint,
    OUT fill float8, OUT estimated_fpr float8, OUT measured_fpr float8,
    OUT private_copy boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION blacklist_index_stats(regclass) IS
    'size, fill and false-positive rate of a blacklist index (REINDEX when inserted exceeds capacity)';
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

-- 1.0 API: since 1.1 no in-memory index is built, so this returns NULLs.
CREATE FUNCTION listed_last_build(OUT list regclass, OUT rows bigint, OUT keys bigint,
                                  OUT bytes bigint, OUT build_ms float8,
                                  OUT calls_before bigint, OUT threshold bigint)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_last_build'
    LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION listed_last_build() IS
    'deprecated since 1.1 (listed() builds no in-memory index any more): a row of NULLs; see listed_explain()';

CREATE FUNCTION listed_explain(list regclass,
                               OUT filter regclass, OUT probe_index regclass,
                               OUT confirm text, OUT note text,
                               OUT calls bigint, OUT filtered bigint, OUT probed bigint,
                               OUT spi bigint, OUT hits bigint, OUT advice text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_explain'
    LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION listed_explain(regclass) IS
    'how listed() answers calls on the list for the current user (blacklist filter, btree probe or SPI) and how this session''s calls were answered';

-- Tables that look like lists, with the indexes listed() would use: plain
-- tables whose first column is an identifier (cnid, uscc, or a domain over
-- one), and every table that already has a blacklist index.  A blacklist
-- index counts when the subject column's collation is deterministic, a
-- btree when it has the column's collation (as in src/listed.c).
CREATE VIEW listed_lists AS
SELECT c.oid::regclass AS list,
       a.attname AS subject_column,
       a.atttypid::regtype AS subject_type,
       CASE WHEN c.reltuples >= 0::real THEN c.reltuples::bigint END AS rows_estimate,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_catalog.pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = c.oid AND am.amname = 'blacklist' AND i.indkey[0] = a.attnum
           AND i.indisvalid AND i.indpred IS NULL
           AND (a.attcollation = 0::oid OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co
                                        WHERE co.oid = a.attcollation))
         ORDER BY i.indexrelid LIMIT 1) AS blacklist_index,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND ic.relam = 403::oid AND i.indkey[0] = a.attnum
           AND i.indcollation[0] = a.attcollation AND i.indisvalid AND i.indpred IS NULL
         ORDER BY i.indexrelid LIMIT 1) AS btree_index
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a
    ON a.attrelid = c.oid
   AND a.attnum = (SELECT min(f.attnum) FROM pg_catalog.pg_attribute f
                    WHERE f.attrelid = c.oid AND f.attnum > 0 AND NOT f.attisdropped)
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
 WHERE c.relkind = 'r'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
   AND (coalesce(nullif(t.typbasetype, 0::oid), t.oid) IN ('@extschema@.cnid'::regtype::oid, '@extschema@.uscc'::regtype::oid)
        OR EXISTS (SELECT FROM pg_catalog.pg_index i
                     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                     JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                    WHERE i.indrelid = c.oid AND am.amname = 'blacklist'));
COMMENT ON VIEW listed_lists IS
    'tables that look like lists (first column cnid or uscc, or a blacklist index) with the blacklist and btree indexes listed() would use; blacklist_index IS NULL: screening reads the list on every call';

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
-- binary I/O carries dimension names in the client encoding (as textsend
-- and textrecv do): STABLE, like them
CREATE FUNCTION portrait_recv(internal) RETURNS portrait
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portrait_send(portrait) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

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
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION portrait_from_bytea(bytea) IS 'portrait from its binary form (as portrait_send gives it, names in the client encoding), fully validated';

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
-- Every constraint is true or NULL for a NULL value (a column may hold NULL);
-- a row of NULL fields is not a NULL value: IS NOT DISTINCT FROM tells them
-- apart where IS NULL would not.
CREATE DOMAIN portrait_rules AS portrait_rules_t
    CONSTRAINT portrait_rules_complete CHECK (
            VALUE IS NOT DISTINCT FROM NULL
         OR num_nulls((VALUE).alert_redlines, (VALUE).alert_below, (VALUE).watch_below,
                      (VALUE).watch_negative, (VALUE).exemplar_from, (VALUE).trend_months,
                      (VALUE).watch_drop) = 0)
    CONSTRAINT portrait_rules_amounts_in_range CHECK (
            (VALUE).alert_below BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_below BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_negative BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).exemplar_from BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_drop BETWEEN -9999999999999999.99 AND 9999999999999999.99)
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
            (VALUE).watch_negative >= 0::numeric AND (VALUE).watch_drop >= 0::numeric)
    CONSTRAINT portrait_rules_trend_months_range CHECK (
            (VALUE).trend_months BETWEEN 1 AND 1200);
COMMENT ON DOMAIN portrait_rules IS 'risk rules of portraits: alert/watch/exemplar thresholds, validated (finite amounts in hundredths within +/-9999999999999999.99); NULL allowed';

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
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_tags(portrait, timestamptz, portrait_rules) IS 'the risk rules that fire: redline, low_total, below_watch, deductions, declining (only with as_of), exemplar; NULL for a NULL portrait or NULL rules';

CREATE FUNCTION portrait_grade(p portrait, as_of timestamptz DEFAULT NULL,
                               rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_grade(portrait, timestamptz, portrait_rules) IS 'risk grade as text: alert, watch, normal or exemplar, from portrait_tags (portrait_risk gives it as the ordered risk_grade)';

-- the grade as an ordered type; portrait_grade keeps its 1.0 text result
-- (changing it would need DROP FUNCTION, blocked by any view using it)
CREATE TYPE risk_grade AS ENUM ('exemplar', 'normal', 'watch', 'alert');
COMMENT ON TYPE risk_grade IS 'risk grade of a portrait, ordered from low to high risk: exemplar < normal < watch < alert';

CREATE FUNCTION portrait_risk(p portrait, as_of timestamptz DEFAULT NULL,
                              rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS risk_grade
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_risk(portrait, timestamptz, portrait_rules) IS 'risk grade as the ordered risk_grade (ORDER BY portrait_risk(p) DESC: alert first); the same grade as portrait_grade';
-- ---------------------------------------------------------------------------
-- screening: hits with their entries                       (src/screening.c)
--
-- listed_entries(subject, list [, at]) returns the list rows behind a hit as
-- jsonb, under exactly the rules of listed(): the first column holds the
-- subject, the second the validity; the caller's privileges, row-level
-- security and the calling statement's snapshot apply.
-- ---------------------------------------------------------------------------

CREATE FUNCTION listed_entries(subject cnid, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(cnid, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject cnid, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(cnid, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject uscc, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(uscc, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject uscc, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(uscc, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject text, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(text, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject text, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(text, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject bigint, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(bigint, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject bigint, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(bigint, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

-- =====================================================================
-- catalog: the catalogue's own documentation, and the internal schema
--
-- Every object of the extension carries a COMMENT (\df+, \dT+, \do+, \dC+,
-- the catalogue browsers of BI tools).  Objects declared with their comment
-- in src/<concept>.sql are not repeated here; these are the comments of the
-- objects 1.0 shipped without one, grouped by concept in CONCEPTS order.
-- The same statements end upgrade/integrity--1.0--1.1.sql.
--
-- Then the internal helpers leave the user's schema: see the end of this
-- file.  test/catalog.sql fails, naming the objects, when a member object has
-- no comment or a helper is left beside the user API.
-- =====================================================================

-- iscore ---------------------------------------------------------------
COMMENT ON FUNCTION iscore_in(cstring) IS 'input function of type iscore: base+bonus[!redlines]';
COMMENT ON FUNCTION iscore_out(iscore) IS 'output function of type iscore: two decimals, "!n" only when n > 0';
COMMENT ON FUNCTION iscore_recv(internal) IS 'binary input function of type iscore';
COMMENT ON FUNCTION iscore_send(iscore) IS 'binary output function of type iscore';
COMMENT ON FUNCTION base(iscore) IS 'basic points (基础项) of a score';
COMMENT ON FUNCTION bonus(iscore) IS 'bonus points (加分项) of a score, uncapped';
COMMENT ON FUNCTION redlines(iscore) IS 'number of red-line hits (红线项) of a score; any hit vetoes it';
COMMENT ON FUNCTION iscore_plus(iscore, iscore) IS 'implementation of iscore + iscore: adds points and red-line hits';
COMMENT ON FUNCTION iscore_mul(iscore, numeric) IS 'implementation of iscore * numeric: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_mul_commuted(numeric, iscore) IS 'implementation of numeric * iscore: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_cmp(iscore, iscore) IS 'btree comparison of scores: more red-line hits lower, then base + bonus, then base';
COMMENT ON FUNCTION iscore_eq(iscore, iscore) IS 'implementation of iscore = iscore (all fields equal)';
COMMENT ON FUNCTION iscore_ne(iscore, iscore) IS 'implementation of iscore <> iscore';
COMMENT ON FUNCTION iscore_lt(iscore, iscore) IS 'implementation of iscore < iscore';
COMMENT ON FUNCTION iscore_le(iscore, iscore) IS 'implementation of iscore <= iscore';
COMMENT ON FUNCTION iscore_gt(iscore, iscore) IS 'implementation of iscore > iscore';
COMMENT ON FUNCTION iscore_ge(iscore, iscore) IS 'implementation of iscore >= iscore';
COMMENT ON FUNCTION iscore_hash(iscore) IS 'hash of a score (hash opclass)';
COMMENT ON FUNCTION iscore_hash_extended(iscore, bigint) IS 'seeded 64-bit hash of a score (hash opclass)';
COMMENT ON OPERATOR + (iscore, iscore) IS 'sum of two scores: points and red-line hits add';
COMMENT ON OPERATOR * (iscore, numeric) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR * (numeric, iscore) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR = (iscore, iscore) IS 'equal: same base, bonus and red-line hits';
COMMENT ON OPERATOR <> (iscore, iscore) IS 'not equal';
COMMENT ON OPERATOR < (iscore, iscore) IS 'lower: more red-line hits, else less base + bonus, else less base';
COMMENT ON OPERATOR <= (iscore, iscore) IS 'lower or equal (order of <)';
COMMENT ON OPERATOR > (iscore, iscore) IS 'higher: fewer red-line hits, else more base + bonus, else more base';
COMMENT ON OPERATOR >= (iscore, iscore) IS 'higher or equal (order of >)';
COMMENT ON OPERATOR CLASS iscore_ops USING btree IS 'default btree order of iscore: red-line hits, base + bonus, base';
COMMENT ON OPERATOR FAMILY iscore_ops USING btree IS 'btree order of iscore';
COMMENT ON OPERATOR CLASS iscore_hash_ops USING hash IS 'default hash opclass of iscore (hash joins, hash aggregation)';
COMMENT ON OPERATOR FAMILY iscore_hash_ops USING hash IS 'hash equality of iscore';
COMMENT ON FUNCTION iscore_sum_accum(iscore, iscore) IS 'transition and combine function of sum(iscore), iscore_agg and redline_sum';
COMMENT ON AGGREGATE sum(iscore) IS 'exact sum of scores: points and red-line hits add';
COMMENT ON FUNCTION iscore_avg_accum(bigint[], iscore) IS 'transition function of avg(iscore): state {rows, base, bonus, redlines}';
COMMENT ON FUNCTION iscore_avg_combine(bigint[], bigint[]) IS 'combine function of avg(iscore)';
COMMENT ON FUNCTION iscore_avg_final(bigint[]) IS 'final function of avg(iscore): mean points rounded half-even to 0.01, red-line hits summed';
COMMENT ON AGGREGATE avg(iscore) IS 'mean of scores: points rounded half-even to 0.01, red-line hits summed (a vetoed row vetoes the mean)';

-- scheme ---------------------------------------------------------------
COMMENT ON TYPE scheme_fields IS 'the fields of a scheme; use the checked domain scheme';
COMMENT ON FUNCTION scheme_check(scheme_fields) IS 'CHECK of domain scheme: raises 22023 naming the first broken rule';
COMMENT ON FUNCTION total(iscore, scheme) IS '0 when vetoed by a red line, else base + least(bonus, the scheme''s bonus_cap)';
COMMENT ON FUNCTION total(iscore) IS 'total(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';
COMMENT ON FUNCTION grade(iscore) IS 'grade(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';

-- redline --------------------------------------------------------------
COMMENT ON FUNCTION iscore_item_accum(iscore, text, numeric) IS 'transition function of iscore_agg: one indicator row of class basic, bonus or redline';
COMMENT ON FUNCTION redline_sum_accum(iscore, numeric, boolean) IS 'transition function of redline_sum';
COMMENT ON FUNCTION redline_sum_final(iscore) IS 'final function of redline_sum: 0 when any row was a red line, else the sum';

-- assessment -----------------------------------------------------------
COMMENT ON FUNCTION assessment_in(cstring) IS 'input function of type assessment';
COMMENT ON FUNCTION assessment_out(assessment) IS 'output function of type assessment';
COMMENT ON FUNCTION assessment_recv(internal) IS 'binary input function of type assessment';
COMMENT ON FUNCTION assessment_send(assessment) IS 'binary output function of type assessment';
COMMENT ON FUNCTION assess_accum(assessment, text, iscore, scheme) IS 'transition function of assess: adds a row to its assessor''s sum';
COMMENT ON FUNCTION assess_combine(assessment, assessment) IS 'combine function of assess';
COMMENT ON FUNCTION assessors(assessment) IS 'number of assessors that scored the institution (0..3)';
COMMENT ON FUNCTION assessor_score(assessment, text) IS 'summed score of one assessor (self, inspection, third_party); NULL if it did not score';
COMMENT ON FUNCTION assessor_weight(assessment, text) IS 'the scheme''s weight of one assessor (self, inspection, third_party)';

-- index ----------------------------------------------------------------
COMMENT ON FUNCTION index_points(iscore, scheme) IS 'an institution''s points on the index scale 0..100: 100 * total / (full_marks + bonus_cap)';
COMMENT ON TYPE index_result IS 'result of integrity_index: value, stderr, 90% interval, institutions, excluded, no_spread';
COMMENT ON FUNCTION index_step(numeric[], iscore, numeric, numeric, scheme, boolean) IS 'one institution into an integrity_index state (the method''s step, callable for audits)';
COMMENT ON FUNCTION index_accum_assessment(numeric[], assessment, numeric, scheme) IS 'transition function of integrity_index(assessment, numeric, scheme)';
COMMENT ON FUNCTION index_accum_assessment1(numeric[], assessment, scheme) IS 'transition function of integrity_index(assessment, scheme)';
COMMENT ON FUNCTION index_accum_score(numeric[], iscore, numeric, scheme) IS 'transition function of integrity_index(iscore, numeric, scheme)';
COMMENT ON FUNCTION index_accum_score1(numeric[], iscore, scheme) IS 'transition function of integrity_index(iscore, scheme)';
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS 'combine function of integrity_index';
COMMENT ON FUNCTION index_final(numeric[]) IS 'final function of integrity_index: value, standard error and interval, rounded half-even';
COMMENT ON AGGREGATE integrity_index(assessment, scheme) IS
    'clean-finance index 0..100 (every institution weighs 1) with standard error and 90% interval';
COMMENT ON AGGREGATE integrity_index(iscore, numeric, scheme) IS
    'weighted clean-finance index 0..100 of plain scores (no uncertainty estimate)';
COMMENT ON AGGREGATE integrity_index(iscore, scheme) IS
    'clean-finance index 0..100 of plain scores, every institution weighs 1 (no uncertainty estimate)';

-- cnid -----------------------------------------------------------------
COMMENT ON FUNCTION cnid_in(cstring) IS 'input function of type cnid: validates, upgrades the 15-digit form';
COMMENT ON FUNCTION cnid_out(cnid) IS 'output function of type cnid: 18 characters, check character X upper case';
COMMENT ON FUNCTION cnid_recv(internal) IS 'binary input function of type cnid: validated like the text';
COMMENT ON FUNCTION cnid_send(cnid) IS 'binary output function of type cnid';
COMMENT ON FUNCTION cnid(text) IS 'the text as a cnid (validated); the function of the casts text/varchar to cnid';
COMMENT ON FUNCTION text(cnid) IS 'canonical text of a cnid; the function of the casts cnid to text/varchar';
COMMENT ON CAST (text AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (varchar AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (cnid AS text) IS 'canonical 18-character text';
COMMENT ON CAST (cnid AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION cnid_eq(cnid, cnid) IS 'implementation of cnid = cnid';
COMMENT ON FUNCTION cnid_ne(cnid, cnid) IS 'implementation of cnid <> cnid';
COMMENT ON FUNCTION cnid_lt(cnid, cnid) IS 'implementation of cnid < cnid';
COMMENT ON FUNCTION cnid_le(cnid, cnid) IS 'implementation of cnid <= cnid';
COMMENT ON FUNCTION cnid_gt(cnid, cnid) IS 'implementation of cnid > cnid';
COMMENT ON FUNCTION cnid_ge(cnid, cnid) IS 'implementation of cnid >= cnid';
COMMENT ON FUNCTION cnid_cmp(cnid, cnid) IS 'btree comparison of cnid (order of the canonical text)';
COMMENT ON FUNCTION cnid_sortsupport(internal) IS 'btree sort support of cnid';
COMMENT ON FUNCTION cnid_hash(cnid) IS 'hash of a cnid (hash opclass)';
COMMENT ON FUNCTION cnid_hash_extended(cnid, bigint) IS 'seeded 64-bit hash of a cnid (hash opclass)';
COMMENT ON OPERATOR = (cnid, cnid) IS 'equal';
COMMENT ON OPERATOR <> (cnid, cnid) IS 'not equal';
COMMENT ON OPERATOR < (cnid, cnid) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (cnid, cnid) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (cnid, cnid) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (cnid, cnid) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION cnid_smaller(cnid, cnid) IS 'transition and combine function of min(cnid)';
COMMENT ON FUNCTION cnid_larger(cnid, cnid) IS 'transition and combine function of max(cnid)';
COMMENT ON AGGREGATE min(cnid) IS 'least cnid (order of the canonical text)';
COMMENT ON AGGREGATE max(cnid) IS 'greatest cnid (order of the canonical text)';
COMMENT ON OPERATOR CLASS cnid_ops USING btree IS 'default btree opclass of cnid (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY cnid_ops USING btree IS 'btree order of cnid';
COMMENT ON OPERATOR CLASS cnid_ops USING hash IS 'default hash opclass of cnid';
COMMENT ON OPERATOR FAMILY cnid_ops USING hash IS 'hash equality of cnid';
COMMENT ON TYPE cnid_gist_key IS 'GiST key of cnid: an interval [lo, hi] (storage of cnid_gist_ops only)';
COMMENT ON FUNCTION cnid_gist_key_in(cstring) IS 'input function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_key_out(cnid_gist_key) IS 'output function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_consistent(internal, cnid, smallint, oid, internal) IS 'GiST support of cnid: consistent';
COMMENT ON FUNCTION cnid_gist_union(internal, internal) IS 'GiST support of cnid: union';
COMMENT ON FUNCTION cnid_gist_compress(internal) IS 'GiST support of cnid: compress';
COMMENT ON FUNCTION cnid_gist_penalty(internal, internal, internal) IS 'GiST support of cnid: penalty';
COMMENT ON FUNCTION cnid_gist_picksplit(internal, internal) IS 'GiST support of cnid: picksplit';
COMMENT ON FUNCTION cnid_gist_same(cnid_gist_key, cnid_gist_key, internal) IS 'GiST support of cnid: same';
COMMENT ON FUNCTION cnid_gist_fetch(internal) IS 'GiST support of cnid: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS cnid_gist_ops USING gist IS 'default GiST opclass of cnid, for exclusion constraints (EXCLUDE USING gist (person WITH =, during WITH &&))';
COMMENT ON OPERATOR FAMILY cnid_gist_ops USING gist IS 'GiST comparison of cnid';

-- uscc -----------------------------------------------------------------
COMMENT ON FUNCTION uscc_in(cstring) IS 'input function of type uscc: validates, lower case accepted';
COMMENT ON FUNCTION uscc_out(uscc) IS 'output function of type uscc: 18 upper-case characters';
COMMENT ON FUNCTION uscc_recv(internal) IS 'binary input function of type uscc: validated like the text';
COMMENT ON FUNCTION uscc_send(uscc) IS 'binary output function of type uscc';
COMMENT ON FUNCTION uscc(text) IS 'the text as a uscc (validated); the function of the casts text/varchar to uscc';
COMMENT ON FUNCTION text(uscc) IS 'canonical text of a uscc; the function of the casts uscc to text/varchar';
COMMENT ON CAST (text AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (varchar AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (uscc AS text) IS 'canonical 18-character text';
COMMENT ON CAST (uscc AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION uscc_eq(uscc, uscc) IS 'implementation of uscc = uscc';
COMMENT ON FUNCTION uscc_ne(uscc, uscc) IS 'implementation of uscc <> uscc';
COMMENT ON FUNCTION uscc_lt(uscc, uscc) IS 'implementation of uscc < uscc';
COMMENT ON FUNCTION uscc_le(uscc, uscc) IS 'implementation of uscc <= uscc';
COMMENT ON FUNCTION uscc_gt(uscc, uscc) IS 'implementation of uscc > uscc';
COMMENT ON FUNCTION uscc_ge(uscc, uscc) IS 'implementation of uscc >= uscc';
COMMENT ON FUNCTION uscc_cmp(uscc, uscc) IS 'btree comparison of uscc (order of the canonical text)';
COMMENT ON FUNCTION uscc_sortsupport(internal) IS 'btree sort support of uscc';
COMMENT ON FUNCTION uscc_hash(uscc) IS 'hash of a uscc (hash opclass)';
COMMENT ON FUNCTION uscc_hash_extended(uscc, bigint) IS 'seeded 64-bit hash of a uscc (hash opclass)';
COMMENT ON OPERATOR = (uscc, uscc) IS 'equal';
COMMENT ON OPERATOR <> (uscc, uscc) IS 'not equal';
COMMENT ON OPERATOR < (uscc, uscc) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (uscc, uscc) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (uscc, uscc) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (uscc, uscc) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION uscc_smaller(uscc, uscc) IS 'transition and combine function of min(uscc)';
COMMENT ON FUNCTION uscc_larger(uscc, uscc) IS 'transition and combine function of max(uscc)';
COMMENT ON AGGREGATE min(uscc) IS 'least uscc (order of the canonical text)';
COMMENT ON AGGREGATE max(uscc) IS 'greatest uscc (order of the canonical text)';
COMMENT ON OPERATOR CLASS uscc_ops USING btree IS 'default btree opclass of uscc (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY uscc_ops USING btree IS 'btree order of uscc';
COMMENT ON OPERATOR CLASS uscc_ops USING hash IS 'default hash opclass of uscc';
COMMENT ON OPERATOR FAMILY uscc_ops USING hash IS 'hash equality of uscc';
COMMENT ON TYPE uscc_gist_key IS 'GiST key of uscc: an interval [lo, hi] (storage of uscc_gist_ops only)';
COMMENT ON FUNCTION uscc_gist_key_in(cstring) IS 'input function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_key_out(uscc_gist_key) IS 'output function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_consistent(internal, uscc, smallint, oid, internal) IS 'GiST support of uscc: consistent';
COMMENT ON FUNCTION uscc_gist_union(internal, internal) IS 'GiST support of uscc: union';
COMMENT ON FUNCTION uscc_gist_compress(internal) IS 'GiST support of uscc: compress';
COMMENT ON FUNCTION uscc_gist_penalty(internal, internal, internal) IS 'GiST support of uscc: penalty';
COMMENT ON FUNCTION uscc_gist_picksplit(internal, internal) IS 'GiST support of uscc: picksplit';
COMMENT ON FUNCTION uscc_gist_same(uscc_gist_key, uscc_gist_key, internal) IS 'GiST support of uscc: same';
COMMENT ON FUNCTION uscc_gist_fetch(internal) IS 'GiST support of uscc: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS uscc_gist_ops USING gist IS 'default GiST opclass of uscc, for exclusion constraints';
COMMENT ON OPERATOR FAMILY uscc_gist_ops USING gist IS 'GiST comparison of uscc';

-- portrait -------------------------------------------------------------
COMMENT ON FUNCTION portrait_in(cstring) IS 'input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_out(portrait) IS 'output function of type portrait';
COMMENT ON FUNCTION portrait_recv(internal) IS 'binary input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_send(portrait) IS 'binary output function of type portrait';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz) IS 'transition function of portrait(text, numeric, timestamptz)';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz, boolean) IS 'transition function of portrait(text, numeric, timestamptz, boolean)';
COMMENT ON FUNCTION portrait_combine(portrait, portrait) IS 'merges two portraits (the combine function of portrait(), callable)';
COMMENT ON FUNCTION portrait_final(portrait) IS 'final function of portrait(): the compact form of the state';
COMMENT ON CAST (portrait AS jsonb) IS 'the portrait as jsonb, as portrait_jsonb() gives it';
COMMENT ON TYPE portrait_rules_t IS 'the fields of portrait risk rules; use the checked domain portrait_rules';

-- =====================================================================
-- The internal schema
--
-- Aggregate support functions, domain CHECK helpers and the steps of the
-- index method are not API: they live in the schema integrity_internal,
-- which the extension creates and owns.  Aggregates, operators and domain
-- constraints refer to functions by OID, so moving a function changes
-- nothing for queries, views or dumps; integrity_internal.<name>(...)
-- still calls it (USAGE is granted to PUBLIC: the steps are meant to be
-- audited, and are all PUBLIC EXECUTE like every function).
--
-- The move is a rule, not a list, so that functions added by later work are
-- moved too.  Moved: every function of the extension that is
--   * a support function of one of its aggregates (transition, final,
--     combine, serial, deserial, moving-aggregate functions), or
--   * called by the CHECK constraint of one of its domains, or
--   * a step of an aggregate's state: its first parameter is named "state";
-- except the documented user API named in keep (portrait_combine: the README
-- documents merging stored portraits with it).  Users' own aggregates and
-- domains built on the extension's functions (an update meets them) move
-- nothing.  This block ends both the
-- install script and the 1.0--1.1 update; it must stay last.
-- =====================================================================

CREATE SCHEMA integrity_internal;
COMMENT ON SCHEMA integrity_internal IS
    'internal helpers of the integrity extension: aggregate support functions, CHECK helpers, steps of the index method';
GRANT USAGE ON SCHEMA integrity_internal TO PUBLIC;

DO $move$
DECLARE
    -- This block runs as the bootstrap superuser (the extension is trusted)
    -- with the target schema on the search_path: functions are called
    -- pg_catalog-qualified and every comparison has exactly the built-in's
    -- types (oid = oid), so nothing planted in that schema is ever called.
    ext  oid := (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'integrity');
    home oid := (SELECT e.extnamespace FROM pg_catalog.pg_extension e WHERE e.extname = 'integrity');
    keep oid[] := pg_catalog.array_remove(
                      ARRAY[pg_catalog.to_regprocedure('portrait_combine(portrait, portrait)')::oid],
                      NULL::oid);
    f    regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d
            ON d.classid = 'pg_catalog.pg_proc'::regclass::oid AND d.objid = p.oid
           AND d.refclassid = 'pg_catalog.pg_extension'::regclass::oid AND d.refobjid = ext
           AND d.deptype = 'e'
         WHERE p.pronamespace = home
           AND p.oid <> ALL (keep)
           AND (EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate a
                          JOIN pg_catalog.pg_depend m
                            ON m.classid = 'pg_catalog.pg_proc'::regclass::oid AND m.objid = a.aggfnoid::oid
                           AND m.refclassid = 'pg_catalog.pg_extension'::regclass::oid
                           AND m.refobjid = ext AND m.deptype = 'e'
                         WHERE p.oid IN (a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid,
                                         a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggmtransfn::oid,
                                         a.aggminvtransfn::oid, a.aggmfinalfn::oid))
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend c
                             JOIN pg_catalog.pg_constraint k ON k.oid = c.objid
                             JOIN pg_catalog.pg_depend m
                               ON m.classid = 'pg_catalog.pg_type'::regclass::oid AND m.objid = k.contypid
                              AND m.refclassid = 'pg_catalog.pg_extension'::regclass::oid
                              AND m.refobjid = ext AND m.deptype = 'e'
                            WHERE c.classid = 'pg_catalog.pg_constraint'::regclass::oid
                              AND c.refclassid = 'pg_catalog.pg_proc'::regclass::oid AND c.refobjid = p.oid)
                OR p.proargnames[1] = 'state'::text)
         ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA integrity_internal', f::text);
    END LOOP;
END
$move$;
