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

-- listed_explain shows the current user's calls only (part 4)
COMMENT ON FUNCTION @extschema@.listed_explain(regclass) IS
    'how listed() answers calls on the list for the current user (blacklist filter, btree probe or SPI) and how the current user''s calls in this session were answered; needs SELECT on the list';

-- ---------------------------------------------------------------------
-- 17-defects (issue 17, part 6): smaller defects and the reference model
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 19-report (issue 19): report views for BI tools
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 21-names (issue 21): masked identity numbers and names
-- ---------------------------------------------------------------------
