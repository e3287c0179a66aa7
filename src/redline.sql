
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
