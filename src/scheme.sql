
-- =====================================================================
-- scheme: a year's rules as data, and the four-colour grade (SQL only)
-- =====================================================================

CREATE TYPE grade AS ENUM ('red', 'yellow', 'blue', 'green');
COMMENT ON TYPE grade IS 'four-colour integrity grade, ordered red < yellow < blue < green';

-- The fields of a scheme (pingfen fang'an).  Use the domain `scheme`, which checks
-- them; this composite is only its base type.
CREATE TYPE scheme_fields AS (
    bonus_cap     numeric,  -- bonus points counted at most
    full_marks    numeric,  -- full marks of the basic items
    green         numeric,  -- total >= green  -> green
    blue          numeric,  -- total >= blue   -> blue
    yellow        numeric,  -- total >= yellow -> yellow, below -> red
    w_self        numeric,  -- weight of the institution's self-assessment
    w_inspection  numeric,  -- weight of the inspection team
    w_third_party numeric,  -- weight of the third party
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
RETURN CASE WHEN @extschema@.redlines(s) OPERATOR(pg_catalog.>) 0 THEN 'red'::@extschema@.grade
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
RETURN CASE WHEN pg_catalog.ltrim(cap_or_rules) OPERATOR(pg_catalog.~~) '(%'
            THEN @extschema@.total(s, cap_or_rules::@extschema@.scheme)
            ELSE @extschema@.total(s, cap_or_rules::numeric) END;
COMMENT ON FUNCTION total(iscore, text) IS
    'total of a literal: a scheme''s text form "(...)" or a bonus cap; makes total(s, NULL) unambiguous';

CREATE FUNCTION grade(points_or_score text, rules scheme) RETURNS grade
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN points_or_score OPERATOR(pg_catalog.~) '[0-9.][-+]'
            THEN @extschema@.grade(points_or_score::@extschema@.iscore, rules)
            ELSE @extschema@.grade(points_or_score::numeric, rules) END;
COMMENT ON FUNCTION grade(text, scheme) IS
    'grade of a literal: a score "80.50+3.00" or a total "85"; makes grade(NULL, rules) unambiguous';
