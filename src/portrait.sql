
-- =====================================================================
-- portrait: the integrity portrait (qinglian huaxiang) of a subject (src/portrait.c)
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
-- a comment with a Chinese name: a Unicode escape, converted when the DO
-- block runs, after the encoding check (the script is ASCII: src/iscore.sql)
DO $comment$
BEGIN
    EXECUTE pg_catalog.format('COMMENT ON AGGREGATE @extschema@.portrait(text, numeric, timestamptz) IS %L',
                              E'integrity portrait of the event rows; events in dimension \u7EA2\u7EBF are red-line hits');
END
$comment$;

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

-- The eight modules (README, "Portraits"): integrity building, promotion,
-- staff management, compliance, discipline inspection, key tasks, red line,
-- blacklist.  Written as Unicode escapes: the script is ASCII, so that in a
-- database of an unsupported encoding it reaches the encoding check (first
-- in the script) instead of failing to convert (README, "Encodings").
CREATE FUNCTION portrait_default_dimensions() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY[E'\u6E05\u5EC9\u5EFA\u8BBE', E'\u6E05\u5EC9\u5BA3\u4F20', E'\u5458\u5DE5\u7BA1\u7406',
                       E'\u5408\u89C4\u5EFA\u8BBE', E'\u7EAA\u68C0\u76D1\u5BDF', E'\u91CD\u70B9\u5DE5\u4F5C',
                       E'\u7EA2\u7EBF', E'\u9ED1\u540D\u5355']::pg_catalog.text[] $$;
COMMENT ON FUNCTION portrait_default_dimensions() IS 'the eight modules of employee clean points, in their usual order';

CREATE FUNCTION portrait_radar(p portrait,
        dimensions text[] DEFAULT @extschema@.portrait_default_dimensions(),
        OUT dimension text, OUT points numeric, OUT events bigint)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 8
    AS $$
    SELECT d.dim, coalesce(x.points, 0.00), coalesce(x.events, 0)
      FROM pg_catalog.unnest(dimensions) WITH ORDINALITY AS d(dim, ord)
      LEFT JOIN @extschema@.portrait_dimensions(p) AS x ON x.dimension OPERATOR(pg_catalog.=) d.dim
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
         OR pg_catalog.num_nulls((VALUE).alert_redlines, (VALUE).alert_below, (VALUE).watch_below,
                                 (VALUE).watch_negative, (VALUE).exemplar_from, (VALUE).trend_months,
                                 (VALUE).watch_drop) OPERATOR(pg_catalog.=) 0)
    CONSTRAINT portrait_rules_amounts_in_range CHECK (
            ((VALUE).alert_below OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).alert_below OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_below OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_below OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_negative OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_negative OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).exemplar_from OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).exemplar_from OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_drop OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_drop OPERATOR(pg_catalog.<=) 9999999999999999.99))
    CONSTRAINT portrait_rules_alert_redlines_positive CHECK ((VALUE).alert_redlines OPERATOR(pg_catalog.>=) 1)
    CONSTRAINT portrait_rules_hundredths CHECK (
            (VALUE).alert_below OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).alert_below, 2)
        AND (VALUE).watch_below OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_below, 2)
        AND (VALUE).watch_negative OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_negative, 2)
        AND (VALUE).exemplar_from OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).exemplar_from, 2)
        AND (VALUE).watch_drop OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_drop, 2))
    CONSTRAINT portrait_rules_thresholds_ordered CHECK (
            (VALUE).alert_below OPERATOR(pg_catalog.<=) (VALUE).watch_below
        AND (VALUE).watch_below OPERATOR(pg_catalog.<=) (VALUE).exemplar_from)
    CONSTRAINT portrait_rules_amounts_not_negative CHECK (
            (VALUE).watch_negative OPERATOR(pg_catalog.>=) 0::numeric
        AND (VALUE).watch_drop OPERATOR(pg_catalog.>=) 0::numeric)
    CONSTRAINT portrait_rules_trend_months_range CHECK (
            (VALUE).trend_months OPERATOR(pg_catalog.>=) 1
        AND (VALUE).trend_months OPERATOR(pg_catalog.<=) 1200);
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
