
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
