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

-- the install script is ASCII (its encoding check must run before anything
-- fails to convert): the default dimensions' names as Unicode escapes, the
-- same text[] value
CREATE OR REPLACE FUNCTION @extschema@.portrait_default_dimensions() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY[E'\u6E05\u5EC9\u5EFA\u8BBE', E'\u6E05\u5EC9\u5BA3\u4F20', E'\u5458\u5DE5\u7BA1\u7406',
                       E'\u5408\u89C4\u5EFA\u8BBE', E'\u7EAA\u68C0\u76D1\u5BDF', E'\u91CD\u70B9\u5DE5\u4F5C',
                       E'\u7EA2\u7EBF', E'\u9ED1\u540D\u5355']::text[] $$;

-- ---------------------------------------------------------------------
-- 19-report (issue 19): report views for BI tools
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 21-names (issue 21): masked identity numbers and names
-- ---------------------------------------------------------------------
