
-- =====================================================================
-- 20-cat: ecosystem habits (issue 14)
-- =====================================================================

-- iscore: min and max (src/iscore.sql)
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

-- scheme: text overloads for untyped literals and NULLs (src/scheme.sql)

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

-- Bodies bound when the script runs, with exactly the built-ins' argument
-- types (no implicit cast an operator planted in the target schema could
-- beat): the same definitions as src/index.sql and src/portrait.sql.
CREATE OR REPLACE FUNCTION round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT pg_catalog.round(
                   CASE WHEN y - fl > 0.5 OR (y - fl = 0.5 AND fl % 2::numeric <> 0::numeric)
                        THEN fl + 1::numeric ELSE fl END
                   / pg_catalog.power(10::numeric, places::numeric), places)
        FROM (SELECT y, pg_catalog.floor(y) AS fl
                FROM (SELECT x * pg_catalog.power(10::numeric, places::numeric) AS y) a) b);

CREATE OR REPLACE FUNCTION index_points(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 100::numeric * @extschema@.total(s, (rules).bonus_cap) / ((rules).full_marks + (rules).bonus_cap);

ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_amounts_not_negative;
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_amounts_not_negative CHECK (
        (VALUE).watch_negative >= 0::numeric AND (VALUE).watch_drop >= 0::numeric);
