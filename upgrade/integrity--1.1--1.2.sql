-- integrity upgrade script 1.1 -> 1.2: every change to the extension's SQL
-- objects since the released 1.1 (upgrade/integrity--1.1.sql), in the order
-- of the pieces of work below.  test/upgrade.sh proves that a 1.0 and a 1.1
-- database updated with it have exactly the catalogue of a fresh 1.2 install.
\echo Use "ALTER EXTENSION integrity UPDATE TO '1.2'" to load this file. \quit

-- ---------------------------------------------------------------------
-- 17-trust (issue 17, part 2): every name the scripts bind is qualified
-- ---------------------------------------------------------------------

-- Every function and operator that an expression of the extension binds or
-- runs is schema-qualified (pg_catalog., OPERATOR(pg_catalog.op),
-- @extschema@.), as PostgreSQL's "Security Considerations for Extension
-- Scripts" asks: a database owner (who may install and update the trusted
-- extension) can write the target schema, and an overload planted there
-- that matches an unqualified name better than the built-in was bound into
-- 1.1's domain CHECK portrait_rules_complete (num_nulls, VARIADIC "any")
-- and view listed_lists (NOT LIKE on name), and looked up at run time by
-- portrait_radar (unnest).  The statements below rebind every such
-- expression to exactly the fresh install's definition; nothing here calls
-- an unqualified name.

-- The functions with a RETURN body (bound when created) already had
-- exactly the built-ins' argument types in 1.1, so nothing planted could be
-- bound into them (test/planted.sh checks pg_depend); src/ now writes them
-- qualified too, with the same parse trees, so they stay as they are.

-- Quoted SQL bodies are parsed when they run, with the caller's search_path
-- (pg_temp first for types): every function, operator and type qualified.
-- (portrait_default_dimensions: see 17-defects, where it is written in ASCII)
CREATE OR REPLACE FUNCTION portrait_radar(p portrait,
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

-- The domain's CHECKs, re-added qualified.  ADD CONSTRAINT checks the stored
-- values at once (as the superuser running the update): with these
-- expressions only pg_catalog code runs.
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_complete;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_amounts_in_range;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_alert_redlines_positive;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_hundredths;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_thresholds_ordered;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_amounts_not_negative;
ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_trend_months_range;
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_complete CHECK (
            VALUE IS NOT DISTINCT FROM NULL
         OR pg_catalog.num_nulls((VALUE).alert_redlines, (VALUE).alert_below, (VALUE).watch_below,
                                 (VALUE).watch_negative, (VALUE).exemplar_from, (VALUE).trend_months,
                                 (VALUE).watch_drop) OPERATOR(pg_catalog.=) 0);
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_amounts_in_range CHECK (
            ((VALUE).alert_below OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).alert_below OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_below OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_below OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_negative OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_negative OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).exemplar_from OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).exemplar_from OPERATOR(pg_catalog.<=) 9999999999999999.99)
        AND ((VALUE).watch_drop OPERATOR(pg_catalog.>=) -9999999999999999.99
             AND (VALUE).watch_drop OPERATOR(pg_catalog.<=) 9999999999999999.99));
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_alert_redlines_positive CHECK ((VALUE).alert_redlines OPERATOR(pg_catalog.>=) 1);
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_hundredths CHECK (
            (VALUE).alert_below OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).alert_below, 2)
        AND (VALUE).watch_below OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_below, 2)
        AND (VALUE).watch_negative OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_negative, 2)
        AND (VALUE).exemplar_from OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).exemplar_from, 2)
        AND (VALUE).watch_drop OPERATOR(pg_catalog.=) pg_catalog.round((VALUE).watch_drop, 2));
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_thresholds_ordered CHECK (
            (VALUE).alert_below OPERATOR(pg_catalog.<=) (VALUE).watch_below
        AND (VALUE).watch_below OPERATOR(pg_catalog.<=) (VALUE).exemplar_from);
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_amounts_not_negative CHECK (
            (VALUE).watch_negative OPERATOR(pg_catalog.>=) 0::numeric
        AND (VALUE).watch_drop OPERATOR(pg_catalog.>=) 0::numeric);
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_trend_months_range CHECK (
            (VALUE).trend_months OPERATOR(pg_catalog.>=) 1
        AND (VALUE).trend_months OPERATOR(pg_catalog.<=) 1200);

-- The view, its operators qualified (CREATE OR REPLACE keeps its columns,
-- comment and grants).
CREATE OR REPLACE VIEW listed_lists AS
SELECT c.oid::regclass AS list,
       a.attname AS subject_column,
       a.atttypid::regtype AS subject_type,
       CASE WHEN c.reltuples OPERATOR(pg_catalog.>=) 0::real THEN c.reltuples::bigint END AS rows_estimate,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
          JOIN pg_catalog.pg_am am ON am.oid OPERATOR(pg_catalog.=) ic.relam
         WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND am.amname OPERATOR(pg_catalog.=) 'blacklist'::pg_catalog.name
           AND i.indkey[0] OPERATOR(pg_catalog.=) a.attnum
           AND i.indisvalid AND i.indpred IS NULL
           AND (a.attcollation OPERATOR(pg_catalog.=) 0::oid
                OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co
                     WHERE co.oid OPERATOR(pg_catalog.=) a.attcollation))
         ORDER BY i.indexrelid LIMIT 1) AS blacklist_index,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
         WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND ic.relam OPERATOR(pg_catalog.=) 403::oid
           AND i.indkey[0] OPERATOR(pg_catalog.=) a.attnum
           AND i.indcollation[0] OPERATOR(pg_catalog.=) a.attcollation AND i.indisvalid AND i.indpred IS NULL
         ORDER BY i.indexrelid LIMIT 1) AS btree_index
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
  JOIN pg_catalog.pg_attribute a
    ON a.attrelid OPERATOR(pg_catalog.=) c.oid
   AND a.attnum OPERATOR(pg_catalog.=) (SELECT pg_catalog.min(f.attnum) FROM pg_catalog.pg_attribute f
                                         WHERE f.attrelid OPERATOR(pg_catalog.=) c.oid
                                           AND f.attnum OPERATOR(pg_catalog.>) 0
                                           AND NOT f.attisdropped)
  JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
 WHERE c.relkind OPERATOR(pg_catalog.=) 'r'::pg_catalog."char"
   AND n.nspname OPERATOR(pg_catalog.<>) ALL (ARRAY['pg_catalog', 'information_schema', 'pg_toast']::pg_catalog.name[])
   AND n.nspname OPERATOR(pg_catalog.!~~) 'pg_temp%'::pg_catalog.text
   AND n.nspname OPERATOR(pg_catalog.!~~) 'pg_toast_temp%'::pg_catalog.text
   AND (CASE WHEN t.typbasetype OPERATOR(pg_catalog.=) 0::oid THEN t.oid ELSE t.typbasetype END
          OPERATOR(pg_catalog.=) ANY (ARRAY['@extschema@.cnid'::regtype::oid, '@extschema@.uscc'::regtype::oid])
        OR EXISTS (SELECT FROM pg_catalog.pg_index i
                     JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
                     JOIN pg_catalog.pg_am am ON am.oid OPERATOR(pg_catalog.=) ic.relam
                    WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND am.amname OPERATOR(pg_catalog.=) 'blacklist'::pg_catalog.name));

-- ---------------------------------------------------------------------
-- 17-screening (issue 17, parts 3-6): exact "not listed", RLS, bounds
-- ---------------------------------------------------------------------

-- listed_explain shows the current user's calls only (part 4)
COMMENT ON FUNCTION @extschema@.listed_explain(regclass) IS
    'how listed() answers calls on the list for the current user (blacklist filter, btree probe or SPI) and how the current user''s calls in this session were answered; needs SELECT on the list';

-- bounds
-- blacklist_index_stats reports this backend's private copy: not for a worker
ALTER FUNCTION @extschema@.blacklist_index_stats(pg_catalog.regclass) PARALLEL RESTRICTED;

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
                       E'\u7EA2\u7EBF', E'\u9ED1\u540D\u5355']::pg_catalog.text[] $$;

-- ---------------------------------------------------------------------
-- 19-report (issue 19): report views for BI tools
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- 21-names (issue 21): masked identity numbers and names
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------------
-- masked_cnid: a masked resident identity number        (src/masked_cnid.c)
--
-- 18 bytes by reference: the canonical characters, digits, X (position 18)
-- or * for a masked position, as published lists give them
-- (3303241976****2118).  Input accepts a value only if some valid cnid fits
-- it (visible region, birth date and check character consistent).  Nothing
-- depends on the date or the session: every function here is IMMUTABLE.
--
-- cnid ~ masked_cnid: the number agrees with every visible position.  Screening
-- a large masked list is an equality join on cnid_block(cnid) =
-- masked_cnid_block(mask) (positions 1-6 and 15-18) with ~ as the recheck;
-- README "Masked identity numbers" has the recipe.
-- ---------------------------------------------------------------------------

CREATE TYPE masked_cnid;

CREATE FUNCTION masked_cnid_in(cstring) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_out(masked_cnid) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_recv(internal) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_send(masked_cnid) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE masked_cnid (
    INTERNALLENGTH = 18,
    INPUT = masked_cnid_in,
    OUTPUT = masked_cnid_out,
    RECEIVE = masked_cnid_recv,
    SEND = masked_cnid_send,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE masked_cnid IS 'masked resident identity number: 18 positions, digits/X or * (3303241976****2118)';
COMMENT ON FUNCTION masked_cnid_in(cstring) IS 'input of masked_cnid: 18 positions, some valid cnid must fit';
COMMENT ON FUNCTION masked_cnid_out(masked_cnid) IS 'output of masked_cnid: the canonical 18 characters';
COMMENT ON FUNCTION masked_cnid_recv(internal) IS 'binary input of masked_cnid: version byte 1 and the 18 canonical characters';
COMMENT ON FUNCTION masked_cnid_send(masked_cnid) IS 'binary output of masked_cnid: version byte 1 and the 18 canonical characters';

-- a full number is a mask with nothing masked
CREATE FUNCTION masked_cnid_from_cnid(cnid) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_from_cnid(cnid) IS 'the number as a masked_cnid with nothing masked';
CREATE CAST (cnid AS masked_cnid) WITH FUNCTION masked_cnid_from_cnid(cnid) AS IMPLICIT;
COMMENT ON CAST (cnid AS masked_cnid) IS 'a full number is a mask with nothing masked';

-- comparison: the order of the canonical text (* before the digits)
CREATE FUNCTION masked_cnid_eq(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_ne(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_lt(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_le(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_gt(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_ge(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_cmp(masked_cnid, masked_cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION masked_cnid_eq(masked_cnid, masked_cnid) IS 'implementation of = for masked_cnid';
COMMENT ON FUNCTION masked_cnid_ne(masked_cnid, masked_cnid) IS 'implementation of <> for masked_cnid';
COMMENT ON FUNCTION masked_cnid_lt(masked_cnid, masked_cnid) IS 'implementation of < for masked_cnid';
COMMENT ON FUNCTION masked_cnid_le(masked_cnid, masked_cnid) IS 'implementation of <= for masked_cnid';
COMMENT ON FUNCTION masked_cnid_gt(masked_cnid, masked_cnid) IS 'implementation of > for masked_cnid';
COMMENT ON FUNCTION masked_cnid_ge(masked_cnid, masked_cnid) IS 'implementation of >= for masked_cnid';
COMMENT ON FUNCTION masked_cnid_cmp(masked_cnid, masked_cnid) IS 'btree comparison of masked_cnid (the order of the canonical text)';

CREATE OPERATOR = (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR = (masked_cnid, masked_cnid) IS 'the same masked number';
COMMENT ON OPERATOR <> (masked_cnid, masked_cnid) IS 'not the same masked number';
COMMENT ON OPERATOR < (masked_cnid, masked_cnid) IS 'less than, in the order of the canonical text';
COMMENT ON OPERATOR <= (masked_cnid, masked_cnid) IS 'less than or equal, in the order of the canonical text';
COMMENT ON OPERATOR > (masked_cnid, masked_cnid) IS 'greater than, in the order of the canonical text';
COMMENT ON OPERATOR >= (masked_cnid, masked_cnid) IS 'greater than or equal, in the order of the canonical text';

CREATE OPERATOR CLASS masked_cnid_ops
    DEFAULT FOR TYPE masked_cnid USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 masked_cnid_cmp(masked_cnid, masked_cnid),
        FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR CLASS masked_cnid_ops USING btree IS 'btree order of masked_cnid (the canonical text): DISTINCT, UNIQUE, ORDER BY';
COMMENT ON OPERATOR FAMILY masked_cnid_ops USING btree IS 'btree order of masked_cnid';

-- matching
CREATE FUNCTION masked_cnid_match(cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION masked_cnid_match(cnid, masked_cnid) IS 'implementation of cnid ~ masked_cnid';
CREATE OPERATOR ~ (
    LEFTARG = cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_match,
    RESTRICT = matchingsel, JOIN = matchingjoinsel
);
COMMENT ON OPERATOR ~ (cnid, masked_cnid) IS 'the number agrees with every visible position of the mask';
CREATE FUNCTION cnid_matches(id cnid, mask text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_matches(cnid, text) IS 'id ~ mask::masked_cnid; an invalid mask raises its input error';

-- the block key for equality joins, and the count of visible positions
CREATE FUNCTION cnid_block(cnid) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_block(cnid) IS 'block key of positions 1-6 and 15-18; equals masked_cnid_block(m) for every mask m that shows them and that the number fits';
CREATE FUNCTION masked_cnid_block(masked_cnid) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_block(masked_cnid) IS 'block key of positions 1-6 and 15-18, NULL if the mask hides any of them; join it to cnid_block(cnid), recheck with ~';
CREATE FUNCTION masked_cnid_visible(masked_cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_visible(masked_cnid) IS 'how many of the 18 positions the mask shows';

-- ---------------------------------------------------------------------------
-- names: screening by name                                  (src/names.c)
--
-- Chinese names in every written form (simplified, traditional, variant
-- characters, pinyin in either order, middle-dot variants, full-width
-- forms), keys that make fuzzy screening an equality join, and a match
-- score with its reasons.  ICU does the Unicode work (NFKC, Hant-Hans,
-- Han-Latin, Latin-ASCII).
--
-- Volatility: the functions are pure functions of their arguments for a
-- given ICU version's data, like an ICU collation: IMMUTABLE, so that they
-- can key indexes; rebuild such indexes after an ICU major upgrade
-- (name_icu_version() says which ICU the server uses).
-- ---------------------------------------------------------------------------

CREATE FUNCTION name_normalize(name text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_normalize(text) IS 'a name in one written form: NFKC, spaces, the middle-dot family as U+00B7, variant and traditional characters simplified, Latin upper case';
CREATE FUNCTION name_pinyin(name text) RETURNS text[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_pinyin(text) IS 'the pinyin keys of a name, "surname given" in ASCII: every reading of a Han surname, both orders of a Latin name';
CREATE FUNCTION name_keys(name text) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_keys(text) IS 'join keys of a name: two names share one if they are equal after name_normalize, share a pinyin key, or are one character apart (three characters or more)';
CREATE FUNCTION name_match(candidate text, entry text,
                           candidate_id cnid DEFAULT NULL, entry_id masked_cnid DEFAULT NULL,
                           OUT score integer, OUT reasons text[])
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_match(text, text, cnid, masked_cnid) IS 'score 0-100 of a candidate against a list entry by name and number, with the evidence that agreed; a hit is score >= name_match_threshold()';
CREATE FUNCTION name_match_threshold() RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_match_threshold() IS 'the score from which name_match reports a hit (70): a name alone or a number alone stays below it';
CREATE FUNCTION name_icu_version() RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_icu_version() IS 'the version of ICU whose data the name functions use';

-- ---------------------------------------------------------------------
-- 18-shapes (issue 18, item 1): lists of any shape, one list reader
-- ---------------------------------------------------------------------

CREATE FUNCTION @extschema@.listed_shape(list regclass,
                             OUT subject_column name, OUT subject_type regtype,
                             OUT validity_column name)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_shape'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.listed_shape(regclass) IS
    'the subject and validity columns listed() uses on the list (the blacklist index''s key column, else the first column, else an indexed column, else the only column of the subject''s type; the only daterange column); NULLs where there is none or several';

-- listed_lists (only tables that are lists, validity_column appended) is
-- defined once, in its final form, in the 18-views section below
COMMENT ON FUNCTION @extschema@.listed(text, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';
COMMENT ON FUNCTION @extschema@.listed(text, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';
COMMENT ON FUNCTION @extschema@.listed(bigint, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';
COMMENT ON FUNCTION @extschema@.listed(bigint, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';
COMMENT ON FUNCTION @extschema@.listed(cnid, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';
COMMENT ON FUNCTION @extschema@.listed(cnid, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';
COMMENT ON FUNCTION @extschema@.listed(uscc, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';
COMMENT ON FUNCTION @extschema@.listed(uscc, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';
COMMENT ON FUNCTION @extschema@.listed_entries(cnid, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';
COMMENT ON FUNCTION @extschema@.listed_entries(cnid, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';
COMMENT ON FUNCTION @extschema@.listed_entries(uscc, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';
COMMENT ON FUNCTION @extschema@.listed_entries(uscc, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';
COMMENT ON FUNCTION @extschema@.listed_entries(text, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';
COMMENT ON FUNCTION @extschema@.listed_entries(text, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';
COMMENT ON FUNCTION @extschema@.listed_entries(bigint, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';
COMMENT ON FUNCTION @extschema@.listed_entries(bigint, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

-- ---------------------------------------------------------------------
-- 18-views (issue 18, items 1-3): declared lists; views and partitioned
-- lists use their tables' filters (C only)
-- ---------------------------------------------------------------------

-- Declared lists: the subject (and validity) columns a list's owner named
-- with listed_declare(); the list reader (src/listed.h) honours them over
-- its rules.  Dumped by pg_dump with the database (a configuration table).
CREATE TABLE @extschema@.list_declarations (
    list regclass PRIMARY KEY,
    subject_column name NOT NULL,
    validity_column name
);
COMMENT ON TABLE @extschema@.list_declarations IS
    'the subject and validity columns that lists'' owners declared with listed_declare() (each row checked by its trigger)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.list_declarations', '');
-- every write is checked (only a list's owner declares its columns) and
-- makes every session read the list again, listed_declare's and
-- pg_restore's alike
CREATE FUNCTION @extschema@.list_declarations_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'list_declarations_check'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.list_declarations_check() IS
    'the trigger of list_declarations: a row only for a list the current user owns, naming columns a list can be read by; invalidates the lists'' cached shapes';
CREATE TRIGGER list_declarations_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.list_declarations
    FOR EACH ROW EXECUTE FUNCTION @extschema@.list_declarations_check();
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.list_declarations TO PUBLIC;

CREATE FUNCTION @extschema@.listed_declare(list regclass, subject name, validity name DEFAULT NULL)
    RETURNS void
    AS 'MODULE_PATHNAME', 'listed_declare'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.listed_declare(regclass, name, name) IS
    'name the subject column (and the validity column) listed() uses on the list, instead of the rules; subject NULL removes the declaration; only the list''s owner may';

-- listed_lists: declared relations too; declared appended
CREATE OR REPLACE VIEW @extschema@.listed_lists AS
SELECT c.oid::regclass AS list,
       s.subject_column,
       s.subject_type,
       CASE WHEN c.reltuples OPERATOR(pg_catalog.>=) 0::real THEN c.reltuples::bigint END AS rows_estimate,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
          JOIN pg_catalog.pg_am am ON am.oid OPERATOR(pg_catalog.=) ic.relam
         WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND am.amname OPERATOR(pg_catalog.=) 'blacklist'::pg_catalog.name
           AND i.indkey[0] OPERATOR(pg_catalog.=) a.attnum
           AND i.indisvalid AND i.indpred IS NULL
           AND (a.attcollation OPERATOR(pg_catalog.=) 0::oid
                OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co
                     WHERE co.oid OPERATOR(pg_catalog.=) a.attcollation))
         ORDER BY i.indexrelid LIMIT 1) AS blacklist_index,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
         WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND ic.relam OPERATOR(pg_catalog.=) 403::oid
           AND i.indkey[0] OPERATOR(pg_catalog.=) a.attnum
           AND i.indcollation[0] OPERATOR(pg_catalog.=) a.attcollation AND i.indisvalid AND i.indpred IS NULL
         ORDER BY i.indexrelid LIMIT 1) AS btree_index,
       s.validity_column,
       EXISTS (SELECT FROM @extschema@.list_declarations d
                WHERE d.list::pg_catalog.oid OPERATOR(pg_catalog.=) c.oid) AS declared
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
  CROSS JOIN LATERAL @extschema@.listed_shape(c.oid::regclass) s
  JOIN pg_catalog.pg_attribute a
    ON a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attname OPERATOR(pg_catalog.=) s.subject_column
  JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
 WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'v', 'm', 'f']::pg_catalog."char"[])
   AND n.nspname OPERATOR(pg_catalog.<>) ALL (ARRAY['pg_catalog', 'information_schema', 'pg_toast']::pg_catalog.name[])
   AND n.nspname OPERATOR(pg_catalog.!~~) 'pg_temp%'::pg_catalog.text
   AND n.nspname OPERATOR(pg_catalog.!~~) 'pg_toast_temp%'::pg_catalog.text
   AND ((c.relkind OPERATOR(pg_catalog.=) 'r'::pg_catalog."char" AND (EXISTS (SELECT FROM pg_catalog.pg_index i
                  JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid
                  JOIN pg_catalog.pg_am am ON am.oid OPERATOR(pg_catalog.=) ic.relam
                 WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND am.amname OPERATOR(pg_catalog.=) 'blacklist'::pg_catalog.name)
        OR (s.validity_column IS NOT NULL
            AND (CASE WHEN t.typbasetype OPERATOR(pg_catalog.=) 0::oid THEN t.oid ELSE t.typbasetype END
                   OPERATOR(pg_catalog.=) ANY (ARRAY['@extschema@.cnid'::regtype::oid, '@extschema@.uscc'::regtype::oid])))))
        OR EXISTS (SELECT FROM @extschema@.list_declarations d
                    WHERE d.list::pg_catalog.oid OPERATOR(pg_catalog.=) c.oid));
COMMENT ON VIEW @extschema@.listed_lists IS
    'tables that are lists (a blacklist index, an identifier subject with a daterange of validity, or declared by listed_declare) with the columns and the blacklist and btree indexes listed() uses; blacklist_index IS NULL: no filter';

-- 21-namescreen (issue 21, items 2 and 4): the score's lines
-- ---------------------------------------------------------------------

CREATE FUNCTION name_match_lines(candidate text, entry text,
                                 candidate_id cnid DEFAULT NULL, entry_id masked_cnid DEFAULT NULL)
    RETURNS TABLE (reason text, points integer)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION name_match_lines(text, text, cnid, masked_cnid) IS 'the reasons of name_match, one row each with the points it gave: they add up to the score (the cap of a number that differs is a row of negative points)';

-- 22-node (issue 22, item 2): the screening scan
-- ---------------------------------------------------------------------

-- The planner support of listed() (src/listed_scan.c): the selectivity of a
-- restriction listed(column, list) from the list's size and the column's
-- distinct values, and, being called at planning, the load of the library
-- whose planner hook plans the screening scan (integrity.screening_scan).
CREATE FUNCTION listed_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'listed_support'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed_support(internal) IS
    'planner support of listed(): the selectivity of a restriction listed(column, list), and the screening scan''s planner hook';
ALTER FUNCTION @extschema@.listed(pg_catalog.text, pg_catalog.regclass) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(pg_catalog.text, pg_catalog.regclass, pg_catalog.date) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(pg_catalog.int8, pg_catalog.regclass) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(pg_catalog.int8, pg_catalog.regclass, pg_catalog.date) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(@extschema@.cnid, pg_catalog.regclass) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(@extschema@.cnid, pg_catalog.regclass, pg_catalog.date) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(@extschema@.uscc, pg_catalog.regclass) SUPPORT @extschema@.listed_support;
ALTER FUNCTION @extschema@.listed(@extschema@.uscc, pg_catalog.regclass, pg_catalog.date) SUPPORT @extschema@.listed_support;
