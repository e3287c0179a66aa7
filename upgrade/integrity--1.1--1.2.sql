-- integrity upgrade script 1.1 -> 1.2: every change to the extension's SQL
-- objects since the released 1.1 (upgrade/integrity--1.1.sql), in the order
-- of the pieces of work below.  test/upgrade.sh proves that a 1.0 and a 1.1
-- database updated with it have exactly the catalogue of a fresh 1.2 install.
\echo Use "ALTER EXTENSION integrity UPDATE TO '1.2'" to load this file. \quit

-- ---------------------------------------------------------------------
-- 17-trust (issue 17, part 2): every name the scripts bind is qualified
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 17-screening (issue 17, parts 3-6): exact "not listed", RLS, bounds
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 17-defects (issue 17, part 6): smaller defects and the reference model
-- ---------------------------------------------------------------------

-- to_cnid applies the type's rules in both forms (no future-birth-date rule
-- in the lenient one): a pure function of its text, like cnid_in
ALTER FUNCTION @extschema@.to_cnid(text, boolean) IMMUTABLE;

-- round_half_even in C: places outside -1000..1000 raise 22023 (the SQL
-- body divided by zero at -2147483648); the same arithmetic otherwise
CREATE OR REPLACE FUNCTION @extschema@.round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
    AS 'MODULE_PATHNAME', 'index_round_half_even' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---------------------------------------------------------------------
-- 19-report (issue 19): report views for BI tools
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 21-names (issue 21): masked identity numbers and names
-- ---------------------------------------------------------------------
