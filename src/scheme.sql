
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
