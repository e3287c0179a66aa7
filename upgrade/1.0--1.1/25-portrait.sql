
-- ---------------------------------------------------------------------
-- portrait (src/portrait.sql, src/portrait.c)
-- ---------------------------------------------------------------------

-- binary I/O carries dimension names in the client encoding: STABLE, as
-- core's textsend/textrecv
ALTER FUNCTION portrait_recv(internal) STABLE;
ALTER FUNCTION portrait_send(portrait) STABLE;
ALTER FUNCTION portrait_from_bytea(bytea) STABLE;
COMMENT ON FUNCTION portrait_from_bytea(bytea) IS 'portrait from its binary form (as portrait_send gives it, names in the client encoding), fully validated';

-- portrait_rules: a NULL value is allowed; amounts finite and within the
-- points bound (ADD CONSTRAINT checks the stored rules: a stored NaN or
-- infinity stops the update, naming the constraint, until it is corrected)
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_complete;
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_complete CHECK (
            VALUE IS NOT DISTINCT FROM NULL
         OR num_nulls((VALUE).alert_redlines, (VALUE).alert_below, (VALUE).watch_below,
                      (VALUE).watch_negative, (VALUE).exemplar_from, (VALUE).trend_months,
                      (VALUE).watch_drop) = 0);
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_amounts_in_range CHECK (
            (VALUE).alert_below BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_below BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_negative BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).exemplar_from BETWEEN -9999999999999999.99 AND 9999999999999999.99
        AND (VALUE).watch_drop BETWEEN -9999999999999999.99 AND 9999999999999999.99);
COMMENT ON DOMAIN portrait_rules IS 'risk rules of portraits: alert/watch/exemplar thresholds, validated (finite amounts in hundredths within +/-9999999999999999.99); NULL allowed';

-- tags and grade in C (were SQL and PL/pgSQL): same signatures, defaults and
-- results; NULL rules now give NULL
CREATE OR REPLACE FUNCTION portrait_tags(p portrait, as_of timestamptz DEFAULT NULL,
                              rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS text[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_tags(portrait, timestamptz, portrait_rules) IS 'the risk rules that fire: redline, low_total, below_watch, deductions, declining (only with as_of), exemplar; NULL for a NULL portrait or NULL rules';

CREATE OR REPLACE FUNCTION portrait_grade(p portrait, as_of timestamptz DEFAULT NULL,
                               rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_grade(portrait, timestamptz, portrait_rules) IS 'risk grade as text: alert, watch, normal or exemplar, from portrait_tags (portrait_risk gives it as the ordered risk_grade)';

-- the grade as an ordered type (portrait_grade keeps returning text: a
-- changed return type would need DROP FUNCTION, which views and functions
-- using it would block, and would break comparisons with text)
CREATE TYPE risk_grade AS ENUM ('exemplar', 'normal', 'watch', 'alert');
COMMENT ON TYPE risk_grade IS 'risk grade of a portrait, ordered from low to high risk: exemplar < normal < watch < alert';

CREATE FUNCTION portrait_risk(p portrait, as_of timestamptz DEFAULT NULL,
                              rules portrait_rules DEFAULT @extschema@.make_portrait_rules())
    RETURNS risk_grade
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION portrait_risk(portrait, timestamptz, portrait_rules) IS 'risk grade as the ordered risk_grade (ORDER BY portrait_risk(p) DESC: alert first); the same grade as portrait_grade';
