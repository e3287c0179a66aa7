-- integrity upgrade script 1.0 -> 1.1: every change to the extension's SQL
-- objects since the released 1.0 (upgrade/integrity--1.0.sql), in the order
-- of the pieces of work below.  test/upgrade.sh proves that a 1.0 database
-- updated with it has exactly the catalogue of a fresh 1.1 install.
--
-- Edited after the 1.1 release (in 1.2), as PostgreSQL edited its released
-- contrib update scripts for CVE-2020-14350: this script runs as a
-- superuser over a schema a database owner can write, binds expressions
-- (RETURN bodies, domain CHECKs, a view) and runs some at once (the DO
-- blocks; ADD CONSTRAINT checks every stored value), so an overload planted
-- in that schema that matched an unqualified name better than the built-in
-- ran as the superuser during the update: num_nulls(integer, numeric, ...)
-- in the CHECK portrait_rules_complete, over a stored portrait_rules value.
-- The only change: every function and operator reference is
-- schema-qualified (pg_catalog.f, OPERATOR(pg_catalog.op), @extschema@.);
-- IN lists became = ANY / <> ALL and NULLIF a CASE (their operators cannot
-- be qualified otherwise), BETWEEN a pair of qualified comparisons.  The
-- objects are the same as before; integrity--1.1--1.2.sql then rebinds the
-- CHECKs and the view to their final (identical) definitions.
\echo Use "ALTER EXTENSION integrity UPDATE TO '1.1'" to load this file. \quit

-- ---------------------------------------------------------------------
-- 10-reliability (issue 10): reliability hardening
-- ---------------------------------------------------------------------

-- Server encodings: UTF8 and EUC_CN (see the top of src/iscore.sql).
DO $encoding$
BEGIN
    IF NOT pg_catalog.current_setting('server_encoding') OPERATOR(pg_catalog.=) ANY (ARRAY['UTF8', 'EUC_CN']) THEN
        RAISE EXCEPTION 'extension "integrity" does not support the server encoding %',
                pg_catalog.current_setting('server_encoding')
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'Its Chinese names (indicator classes, assessors, portrait dimensions) need a server encoding that holds them: UTF8 or EUC_CN.',
                  HINT = 'Create the database with ENCODING ''UTF8'' (or ''EUC_CN'') and TEMPLATE template0; a UTF8 database also serves GB18030 and GBK clients.';
    END IF;
END
$encoding$;

-- cnid: type input is a pure function of the text (the future birth-date
-- rule moved to the cleansing functions), so it is IMMUTABLE
ALTER FUNCTION cnid_in(cstring) IMMUTABLE;
ALTER FUNCTION cnid_recv(internal) IMMUTABLE;
ALTER FUNCTION cnid(text) IMMUTABLE;
ALTER FUNCTION cnid_from_parts(integer, date, integer) IMMUTABLE;
COMMENT ON FUNCTION is_valid_cnid(text) IS 'true if the text is a valid resident identity number with a birth date not after CURRENT_DATE; never raises';
COMMENT ON FUNCTION cnid_invalid_reason(text) IS 'the rule a text breaks as a cnid (a birth date after CURRENT_DATE included), NULL if valid; never raises';

-- =====================================================================
-- aggregates: one scheme reader in C (scheme_check, grade(numeric, scheme),
-- current_scheme() and the setting integrity.scheme), integrity_index's
-- combine and final functions in C, every index state validated
-- =====================================================================

CREATE OR REPLACE FUNCTION scheme_check(s scheme_fields) RETURNS boolean
    AS 'MODULE_PATHNAME', 'scheme_check' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION scheme_check(scheme_fields) IS
    'internal: the CHECK of the domain scheme; raises 22023 naming the broken rule';

CREATE OR REPLACE FUNCTION current_scheme() RETURNS scheme
    AS 'MODULE_PATHNAME', 'current_scheme' LANGUAGE C STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION grade(points numeric, rules scheme) RETURNS grade
    AS 'MODULE_PATHNAME', 'scheme_grade' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION index_combine(a numeric[], b numeric[]) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS
    'internal: combine function of integrity_index (adds two partial states of one scheme)';
CREATE OR REPLACE FUNCTION index_final(state numeric[]) RETURNS index_result
    AS 'MODULE_PATHNAME', 'index_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_final(numeric[]) IS
    'internal: final function of integrity_index (value, standard error, 90% interval, counts)';

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

-- Bodies bound when the script runs, with exactly the built-ins' argument
-- types (no implicit cast an operator planted in the target schema could
-- beat): the same definitions as src/index.sql and src/portrait.sql.
CREATE OR REPLACE FUNCTION round_half_even(x numeric, places integer DEFAULT 2) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT pg_catalog.round(
                   CASE WHEN y OPERATOR(pg_catalog.-) fl OPERATOR(pg_catalog.>) 0.5
                          OR (y OPERATOR(pg_catalog.-) fl OPERATOR(pg_catalog.=) 0.5
                              AND fl OPERATOR(pg_catalog.%) 2::numeric OPERATOR(pg_catalog.<>) 0::numeric)
                        THEN fl OPERATOR(pg_catalog.+) 1::numeric ELSE fl END
                   OPERATOR(pg_catalog./) pg_catalog.power(10::numeric, places::numeric), places)
        FROM (SELECT y, pg_catalog.floor(y) AS fl
                FROM (SELECT x OPERATOR(pg_catalog.*) pg_catalog.power(10::numeric, places::numeric) AS y) a) b);

CREATE OR REPLACE FUNCTION index_points(s iscore, rules scheme) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 100::numeric OPERATOR(pg_catalog.*) @extschema@.total(s, (rules).bonus_cap)
       OPERATOR(pg_catalog./) ((rules).full_marks OPERATOR(pg_catalog.+) (rules).bonus_cap);

ALTER DOMAIN portrait_rules DROP CONSTRAINT portrait_rules_amounts_not_negative;
ALTER DOMAIN portrait_rules ADD CONSTRAINT portrait_rules_amounts_not_negative CHECK (
        (VALUE).watch_negative OPERATOR(pg_catalog.>=) 0::numeric
    AND (VALUE).watch_drop OPERATOR(pg_catalog.>=) 0::numeric);

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
-- 30-blacklist: the blacklist index access method (issue 9).
-- blacklist: the persistent blacklist index access method
--                              (src/blacklist_utils.c, blacklist_build.c,
--                               blacklist_insert.c, blacklist_scan.c,
--                               blacklist_vacuum.c; contract: blacklist.h)
--
-- CREATE INDEX ... ON list USING blacklist (subject): a blocked Bloom filter
-- over the key column, kept in the index's pages (shared buffers, generic
-- WAL).  It only over-approximates: a "no" holds for every snapshot, role
-- and policy; listed() confirms a "maybe" exactly.  Operator classes for
-- cnid, uscc, bigint and text (varchar columns use text_ops); support
-- function 1 is the type's seeded, platform-independent 64-bit hash.
-- ---------------------------------------------------------------------------

CREATE FUNCTION blacklist_handler(internal) RETURNS index_am_handler
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION blacklist_handler(internal) IS
    'handler of the blacklist index access method';

CREATE ACCESS METHOD blacklist TYPE INDEX HANDLER blacklist_handler;
COMMENT ON ACCESS METHOD blacklist IS
    'blacklist index: a persistent blocked Bloom filter over one key column; a "no" holds for every snapshot (used by listed())';

CREATE FUNCTION blacklist_int8_hash(bigint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int8_hash(bigint, bigint) IS
    'seeded portable 64-bit hash of a bigint (blacklist int8_ops support function)';

CREATE FUNCTION blacklist_int4_hash(integer, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int4_hash(integer, bigint) IS
    'seeded portable 64-bit hash of an integer, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_int2_hash(smallint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int2_hash(smallint, bigint) IS
    'seeded portable 64-bit hash of a smallint, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_text_hash(text, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_text_hash(text, bigint) IS
    'seeded portable 64-bit hash of the bytes of a text (blacklist text_ops support function)';

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING blacklist AS
        OPERATOR 1 = (cnid, cnid),
        FUNCTION 1 cnid_hash_extended(cnid, bigint);
COMMENT ON OPERATOR CLASS cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';
COMMENT ON OPERATOR FAMILY cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING blacklist AS
        OPERATOR 1 = (uscc, uscc),
        FUNCTION 1 uscc_hash_extended(uscc, bigint);
COMMENT ON OPERATOR CLASS uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';
COMMENT ON OPERATOR FAMILY uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';

CREATE OPERATOR CLASS int8_ops
    DEFAULT FOR TYPE bigint USING blacklist AS
        OPERATOR 1 = (bigint, bigint),
        OPERATOR 1 = (bigint, integer),
        OPERATOR 1 = (bigint, smallint),
        FUNCTION 1 blacklist_int8_hash(bigint, bigint),
        FUNCTION 1 (integer, integer) blacklist_int4_hash(integer, bigint),
        FUNCTION 1 (smallint, smallint) blacklist_int2_hash(smallint, bigint);
COMMENT ON OPERATOR CLASS int8_ops USING blacklist IS
    'blacklist filter over bigint keys';
COMMENT ON OPERATOR FAMILY int8_ops USING blacklist IS
    'blacklist filter over bigint keys (searched also with integer and smallint values)';

CREATE OPERATOR CLASS text_ops
    DEFAULT FOR TYPE text USING blacklist AS
        OPERATOR 1 = (text, text),
        FUNCTION 1 blacklist_text_hash(text, bigint);
COMMENT ON OPERATOR CLASS text_ops USING blacklist IS
    'blacklist filter over text (and varchar) keys; deterministic collations only';
COMMENT ON OPERATOR FAMILY text_ops USING blacklist IS
    'blacklist filter over text and varchar keys';

CREATE FUNCTION blacklist_probe(index regclass, key anyelement) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION blacklist_probe(regclass, anyelement) IS
    'diagnostic: the blacklist filter''s answer for a key (false = no row holds it; true = maybe)';

CREATE FUNCTION blacklist_index_stats(index regclass,
    OUT capacity bigint, OUT inserted bigint, OUT bits_per_key integer,
    OUT probes integer, OUT pages bigint, OUT bytes bigint,
    OUT fill float8, OUT estimated_fpr float8, OUT measured_fpr float8,
    OUT private_copy boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION blacklist_index_stats(regclass) IS
    'size, fill and false-positive rate of a blacklist index (REINDEX when inserted exceeds capacity)';
-- listed (issue 9): listed() no longer builds in-memory indexes; it answers
-- from a blacklist index's filter and exact probes (src/listed.c).  The C
-- symbols of 1.0 stay; listed_last_build() keeps its signature and symbol
-- and now returns NULLs (deprecated), listed_explain() and the view
-- listed_lists are its successors.

COMMENT ON FUNCTION listed_last_build() IS
    'deprecated since 1.1 (listed() builds no in-memory index any more): a row of NULLs; see listed_explain()';

CREATE FUNCTION listed_explain(list regclass,
                               OUT filter regclass, OUT probe_index regclass,
                               OUT confirm text, OUT note text,
                               OUT calls bigint, OUT filtered bigint, OUT probed bigint,
                               OUT spi bigint, OUT hits bigint, OUT advice text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_explain'
    LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION listed_explain(regclass) IS
    'how listed() answers calls on the list for the current user (blacklist filter, btree probe or SPI) and how this session''s calls were answered';

-- Tables that look like lists, with the indexes listed() would use: plain
-- tables whose first column is an identifier (cnid, uscc, or a domain over
-- one), and every table that already has a blacklist index.  A blacklist
-- index counts when the subject column's collation is deterministic, a
-- btree when it has the column's collation (as in src/listed.c).
CREATE VIEW listed_lists AS
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
COMMENT ON VIEW listed_lists IS
    'tables that look like lists (first column cnid or uscc, or a blacklist index) with the blacklist and btree indexes listed() would use; blacklist_index IS NULL: screening reads the list on every call';
-- 1.0 -> 1.1, issue 12 (the screening workflow): identifier cleaning (src/normalize.sql)
-- and hits with their entries (src/screening.sql).

-- ---------------------------------------------------------------------------
-- identifier cleaning: normaliser and try-casts            (src/normalize.c)
--
-- identifier_normalize(text) turns the text of a cnid or a uscc as forms,
-- spreadsheets and CSV files deliver it into the types' input: full-width
-- forms to ASCII, every space (U+3000, no-break, zero-width, ...) removed,
-- one hyphen or dot between two groups removed, ASCII letters upper-cased.
-- to_cnid / to_uscc normalise and convert in one call; strict => false
-- returns NULL instead of raising.
-- ---------------------------------------------------------------------------

CREATE FUNCTION identifier_normalize(raw text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION identifier_normalize(text) IS
    'clean the text of a cnid or uscc: full-width forms to ASCII, spaces removed, hyphens and dots between groups removed, upper case';

CREATE FUNCTION to_cnid(raw text, strict boolean DEFAULT true) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_cnid(text, boolean) IS
    'normalise and convert to cnid; strict => false returns NULL for a value the type rejects';

CREATE FUNCTION to_uscc(raw text, strict boolean DEFAULT true) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_uscc(text, boolean) IS
    'normalise and convert to uscc; strict => false returns NULL for a value the type rejects';
-- ---------------------------------------------------------------------------
-- screening: hits with their entries                       (src/screening.c)
--
-- listed_entries(subject, list [, at]) returns the list rows behind a hit as
-- jsonb, under exactly the rules of listed(): the first column holds the
-- subject, the second the validity; the caller's privileges, row-level
-- security and the calling statement's snapshot apply.
-- ---------------------------------------------------------------------------

CREATE FUNCTION listed_entries(subject cnid, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(cnid, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject cnid, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(cnid, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject uscc, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(uscc, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject uscc, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(uscc, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject text, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(text, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject text, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(text, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject bigint, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(bigint, regclass) IS
    'the rows of the list (first column = the subject) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject bigint, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(bigint, regclass, date) IS
    'the rows of the list for the subject whose validity (second column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

-- =====================================================================
-- 90-catalog: the comments of 1.0's objects, then the internal schema.
-- The same statements as src/catalog.sql; this part must stay the last of
-- the script (the move of internal helpers is a rule over the whole
-- catalogue).
-- =====================================================================

-- iscore ---------------------------------------------------------------
COMMENT ON FUNCTION iscore_in(cstring) IS 'input function of type iscore: base+bonus[!redlines]';
COMMENT ON FUNCTION iscore_out(iscore) IS 'output function of type iscore: two decimals, "!n" only when n > 0';
COMMENT ON FUNCTION iscore_recv(internal) IS 'binary input function of type iscore';
COMMENT ON FUNCTION iscore_send(iscore) IS 'binary output function of type iscore';
COMMENT ON FUNCTION base(iscore) IS 'basic points (基础项) of a score';
COMMENT ON FUNCTION bonus(iscore) IS 'bonus points (加分项) of a score, uncapped';
COMMENT ON FUNCTION redlines(iscore) IS 'number of red-line hits (红线项) of a score; any hit vetoes it';
COMMENT ON FUNCTION iscore_plus(iscore, iscore) IS 'implementation of iscore + iscore: adds points and red-line hits';
COMMENT ON FUNCTION iscore_mul(iscore, numeric) IS 'implementation of iscore * numeric: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_mul_commuted(numeric, iscore) IS 'implementation of numeric * iscore: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_cmp(iscore, iscore) IS 'btree comparison of scores: more red-line hits lower, then base + bonus, then base';
COMMENT ON FUNCTION iscore_eq(iscore, iscore) IS 'implementation of iscore = iscore (all fields equal)';
COMMENT ON FUNCTION iscore_ne(iscore, iscore) IS 'implementation of iscore <> iscore';
COMMENT ON FUNCTION iscore_lt(iscore, iscore) IS 'implementation of iscore < iscore';
COMMENT ON FUNCTION iscore_le(iscore, iscore) IS 'implementation of iscore <= iscore';
COMMENT ON FUNCTION iscore_gt(iscore, iscore) IS 'implementation of iscore > iscore';
COMMENT ON FUNCTION iscore_ge(iscore, iscore) IS 'implementation of iscore >= iscore';
COMMENT ON FUNCTION iscore_hash(iscore) IS 'hash of a score (hash opclass)';
COMMENT ON FUNCTION iscore_hash_extended(iscore, bigint) IS 'seeded 64-bit hash of a score (hash opclass)';
COMMENT ON OPERATOR + (iscore, iscore) IS 'sum of two scores: points and red-line hits add';
COMMENT ON OPERATOR * (iscore, numeric) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR * (numeric, iscore) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR = (iscore, iscore) IS 'equal: same base, bonus and red-line hits';
COMMENT ON OPERATOR <> (iscore, iscore) IS 'not equal';
COMMENT ON OPERATOR < (iscore, iscore) IS 'lower: more red-line hits, else less base + bonus, else less base';
COMMENT ON OPERATOR <= (iscore, iscore) IS 'lower or equal (order of <)';
COMMENT ON OPERATOR > (iscore, iscore) IS 'higher: fewer red-line hits, else more base + bonus, else more base';
COMMENT ON OPERATOR >= (iscore, iscore) IS 'higher or equal (order of >)';
COMMENT ON OPERATOR CLASS iscore_ops USING btree IS 'default btree order of iscore: red-line hits, base + bonus, base';
COMMENT ON OPERATOR FAMILY iscore_ops USING btree IS 'btree order of iscore';
COMMENT ON OPERATOR CLASS iscore_hash_ops USING hash IS 'default hash opclass of iscore (hash joins, hash aggregation)';
COMMENT ON OPERATOR FAMILY iscore_hash_ops USING hash IS 'hash equality of iscore';
COMMENT ON FUNCTION iscore_sum_accum(iscore, iscore) IS 'transition and combine function of sum(iscore), iscore_agg and redline_sum';
COMMENT ON AGGREGATE sum(iscore) IS 'exact sum of scores: points and red-line hits add';
COMMENT ON FUNCTION iscore_avg_accum(bigint[], iscore) IS 'transition function of avg(iscore): state {rows, base, bonus, redlines}';
COMMENT ON FUNCTION iscore_avg_combine(bigint[], bigint[]) IS 'combine function of avg(iscore)';
COMMENT ON FUNCTION iscore_avg_final(bigint[]) IS 'final function of avg(iscore): mean points rounded half-even to 0.01, red-line hits summed';
COMMENT ON AGGREGATE avg(iscore) IS 'mean of scores: points rounded half-even to 0.01, red-line hits summed (a vetoed row vetoes the mean)';

-- scheme ---------------------------------------------------------------
COMMENT ON TYPE scheme_fields IS 'the fields of a scheme; use the checked domain scheme';
COMMENT ON FUNCTION scheme_check(scheme_fields) IS 'CHECK of domain scheme: raises 22023 naming the first broken rule';
COMMENT ON FUNCTION total(iscore, scheme) IS '0 when vetoed by a red line, else base + least(bonus, the scheme''s bonus_cap)';
COMMENT ON FUNCTION total(iscore) IS 'total(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';
COMMENT ON FUNCTION grade(iscore) IS 'grade(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';

-- redline --------------------------------------------------------------
COMMENT ON FUNCTION iscore_item_accum(iscore, text, numeric) IS 'transition function of iscore_agg: one indicator row of class basic, bonus or redline';
COMMENT ON FUNCTION redline_sum_accum(iscore, numeric, boolean) IS 'transition function of redline_sum';
COMMENT ON FUNCTION redline_sum_final(iscore) IS 'final function of redline_sum: 0 when any row was a red line, else the sum';

-- assessment -----------------------------------------------------------
COMMENT ON FUNCTION assessment_in(cstring) IS 'input function of type assessment';
COMMENT ON FUNCTION assessment_out(assessment) IS 'output function of type assessment';
COMMENT ON FUNCTION assessment_recv(internal) IS 'binary input function of type assessment';
COMMENT ON FUNCTION assessment_send(assessment) IS 'binary output function of type assessment';
COMMENT ON FUNCTION assess_accum(assessment, text, iscore, scheme) IS 'transition function of assess: adds a row to its assessor''s sum';
COMMENT ON FUNCTION assess_combine(assessment, assessment) IS 'combine function of assess';
COMMENT ON FUNCTION assessors(assessment) IS 'number of assessors that scored the institution (0..3)';
COMMENT ON FUNCTION assessor_score(assessment, text) IS 'summed score of one assessor (self, inspection, third_party); NULL if it did not score';
COMMENT ON FUNCTION assessor_weight(assessment, text) IS 'the scheme''s weight of one assessor (self, inspection, third_party)';

-- index ----------------------------------------------------------------
COMMENT ON FUNCTION index_points(iscore, scheme) IS 'an institution''s points on the index scale 0..100: 100 * total / (full_marks + bonus_cap)';
COMMENT ON TYPE index_result IS 'result of integrity_index: value, stderr, 90% interval, institutions, excluded, no_spread';
COMMENT ON FUNCTION index_step(numeric[], iscore, numeric, numeric, scheme, boolean) IS 'one institution into an integrity_index state (the method''s step, callable for audits)';
COMMENT ON FUNCTION index_accum_assessment(numeric[], assessment, numeric, scheme) IS 'transition function of integrity_index(assessment, numeric, scheme)';
COMMENT ON FUNCTION index_accum_assessment1(numeric[], assessment, scheme) IS 'transition function of integrity_index(assessment, scheme)';
COMMENT ON FUNCTION index_accum_score(numeric[], iscore, numeric, scheme) IS 'transition function of integrity_index(iscore, numeric, scheme)';
COMMENT ON FUNCTION index_accum_score1(numeric[], iscore, scheme) IS 'transition function of integrity_index(iscore, scheme)';
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS 'combine function of integrity_index';
COMMENT ON FUNCTION index_final(numeric[]) IS 'final function of integrity_index: value, standard error and interval, rounded half-even';
COMMENT ON AGGREGATE integrity_index(assessment, scheme) IS
    'clean-finance index 0..100 (every institution weighs 1) with standard error and 90% interval';
COMMENT ON AGGREGATE integrity_index(iscore, numeric, scheme) IS
    'weighted clean-finance index 0..100 of plain scores (no uncertainty estimate)';
COMMENT ON AGGREGATE integrity_index(iscore, scheme) IS
    'clean-finance index 0..100 of plain scores, every institution weighs 1 (no uncertainty estimate)';

-- cnid -----------------------------------------------------------------
COMMENT ON FUNCTION cnid_in(cstring) IS 'input function of type cnid: validates, upgrades the 15-digit form';
COMMENT ON FUNCTION cnid_out(cnid) IS 'output function of type cnid: 18 characters, check character X upper case';
COMMENT ON FUNCTION cnid_recv(internal) IS 'binary input function of type cnid: validated like the text';
COMMENT ON FUNCTION cnid_send(cnid) IS 'binary output function of type cnid';
COMMENT ON FUNCTION cnid(text) IS 'the text as a cnid (validated); the function of the casts text/varchar to cnid';
COMMENT ON FUNCTION text(cnid) IS 'canonical text of a cnid; the function of the casts cnid to text/varchar';
COMMENT ON CAST (text AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (varchar AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (cnid AS text) IS 'canonical 18-character text';
COMMENT ON CAST (cnid AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION cnid_eq(cnid, cnid) IS 'implementation of cnid = cnid';
COMMENT ON FUNCTION cnid_ne(cnid, cnid) IS 'implementation of cnid <> cnid';
COMMENT ON FUNCTION cnid_lt(cnid, cnid) IS 'implementation of cnid < cnid';
COMMENT ON FUNCTION cnid_le(cnid, cnid) IS 'implementation of cnid <= cnid';
COMMENT ON FUNCTION cnid_gt(cnid, cnid) IS 'implementation of cnid > cnid';
COMMENT ON FUNCTION cnid_ge(cnid, cnid) IS 'implementation of cnid >= cnid';
COMMENT ON FUNCTION cnid_cmp(cnid, cnid) IS 'btree comparison of cnid (order of the canonical text)';
COMMENT ON FUNCTION cnid_sortsupport(internal) IS 'btree sort support of cnid';
COMMENT ON FUNCTION cnid_hash(cnid) IS 'hash of a cnid (hash opclass)';
COMMENT ON FUNCTION cnid_hash_extended(cnid, bigint) IS 'seeded 64-bit hash of a cnid (hash opclass)';
COMMENT ON OPERATOR = (cnid, cnid) IS 'equal';
COMMENT ON OPERATOR <> (cnid, cnid) IS 'not equal';
COMMENT ON OPERATOR < (cnid, cnid) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (cnid, cnid) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (cnid, cnid) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (cnid, cnid) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION cnid_smaller(cnid, cnid) IS 'transition and combine function of min(cnid)';
COMMENT ON FUNCTION cnid_larger(cnid, cnid) IS 'transition and combine function of max(cnid)';
COMMENT ON AGGREGATE min(cnid) IS 'least cnid (order of the canonical text)';
COMMENT ON AGGREGATE max(cnid) IS 'greatest cnid (order of the canonical text)';
COMMENT ON OPERATOR CLASS cnid_ops USING btree IS 'default btree opclass of cnid (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY cnid_ops USING btree IS 'btree order of cnid';
COMMENT ON OPERATOR CLASS cnid_ops USING hash IS 'default hash opclass of cnid';
COMMENT ON OPERATOR FAMILY cnid_ops USING hash IS 'hash equality of cnid';
COMMENT ON TYPE cnid_gist_key IS 'GiST key of cnid: an interval [lo, hi] (storage of cnid_gist_ops only)';
COMMENT ON FUNCTION cnid_gist_key_in(cstring) IS 'input function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_key_out(cnid_gist_key) IS 'output function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_consistent(internal, cnid, smallint, oid, internal) IS 'GiST support of cnid: consistent';
COMMENT ON FUNCTION cnid_gist_union(internal, internal) IS 'GiST support of cnid: union';
COMMENT ON FUNCTION cnid_gist_compress(internal) IS 'GiST support of cnid: compress';
COMMENT ON FUNCTION cnid_gist_penalty(internal, internal, internal) IS 'GiST support of cnid: penalty';
COMMENT ON FUNCTION cnid_gist_picksplit(internal, internal) IS 'GiST support of cnid: picksplit';
COMMENT ON FUNCTION cnid_gist_same(cnid_gist_key, cnid_gist_key, internal) IS 'GiST support of cnid: same';
COMMENT ON FUNCTION cnid_gist_fetch(internal) IS 'GiST support of cnid: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS cnid_gist_ops USING gist IS 'default GiST opclass of cnid, for exclusion constraints (EXCLUDE USING gist (person WITH =, during WITH &&))';
COMMENT ON OPERATOR FAMILY cnid_gist_ops USING gist IS 'GiST comparison of cnid';

-- uscc -----------------------------------------------------------------
COMMENT ON FUNCTION uscc_in(cstring) IS 'input function of type uscc: validates, lower case accepted';
COMMENT ON FUNCTION uscc_out(uscc) IS 'output function of type uscc: 18 upper-case characters';
COMMENT ON FUNCTION uscc_recv(internal) IS 'binary input function of type uscc: validated like the text';
COMMENT ON FUNCTION uscc_send(uscc) IS 'binary output function of type uscc';
COMMENT ON FUNCTION uscc(text) IS 'the text as a uscc (validated); the function of the casts text/varchar to uscc';
COMMENT ON FUNCTION text(uscc) IS 'canonical text of a uscc; the function of the casts uscc to text/varchar';
COMMENT ON CAST (text AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (varchar AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (uscc AS text) IS 'canonical 18-character text';
COMMENT ON CAST (uscc AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION uscc_eq(uscc, uscc) IS 'implementation of uscc = uscc';
COMMENT ON FUNCTION uscc_ne(uscc, uscc) IS 'implementation of uscc <> uscc';
COMMENT ON FUNCTION uscc_lt(uscc, uscc) IS 'implementation of uscc < uscc';
COMMENT ON FUNCTION uscc_le(uscc, uscc) IS 'implementation of uscc <= uscc';
COMMENT ON FUNCTION uscc_gt(uscc, uscc) IS 'implementation of uscc > uscc';
COMMENT ON FUNCTION uscc_ge(uscc, uscc) IS 'implementation of uscc >= uscc';
COMMENT ON FUNCTION uscc_cmp(uscc, uscc) IS 'btree comparison of uscc (order of the canonical text)';
COMMENT ON FUNCTION uscc_sortsupport(internal) IS 'btree sort support of uscc';
COMMENT ON FUNCTION uscc_hash(uscc) IS 'hash of a uscc (hash opclass)';
COMMENT ON FUNCTION uscc_hash_extended(uscc, bigint) IS 'seeded 64-bit hash of a uscc (hash opclass)';
COMMENT ON OPERATOR = (uscc, uscc) IS 'equal';
COMMENT ON OPERATOR <> (uscc, uscc) IS 'not equal';
COMMENT ON OPERATOR < (uscc, uscc) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (uscc, uscc) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (uscc, uscc) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (uscc, uscc) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION uscc_smaller(uscc, uscc) IS 'transition and combine function of min(uscc)';
COMMENT ON FUNCTION uscc_larger(uscc, uscc) IS 'transition and combine function of max(uscc)';
COMMENT ON AGGREGATE min(uscc) IS 'least uscc (order of the canonical text)';
COMMENT ON AGGREGATE max(uscc) IS 'greatest uscc (order of the canonical text)';
COMMENT ON OPERATOR CLASS uscc_ops USING btree IS 'default btree opclass of uscc (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY uscc_ops USING btree IS 'btree order of uscc';
COMMENT ON OPERATOR CLASS uscc_ops USING hash IS 'default hash opclass of uscc';
COMMENT ON OPERATOR FAMILY uscc_ops USING hash IS 'hash equality of uscc';
COMMENT ON TYPE uscc_gist_key IS 'GiST key of uscc: an interval [lo, hi] (storage of uscc_gist_ops only)';
COMMENT ON FUNCTION uscc_gist_key_in(cstring) IS 'input function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_key_out(uscc_gist_key) IS 'output function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_consistent(internal, uscc, smallint, oid, internal) IS 'GiST support of uscc: consistent';
COMMENT ON FUNCTION uscc_gist_union(internal, internal) IS 'GiST support of uscc: union';
COMMENT ON FUNCTION uscc_gist_compress(internal) IS 'GiST support of uscc: compress';
COMMENT ON FUNCTION uscc_gist_penalty(internal, internal, internal) IS 'GiST support of uscc: penalty';
COMMENT ON FUNCTION uscc_gist_picksplit(internal, internal) IS 'GiST support of uscc: picksplit';
COMMENT ON FUNCTION uscc_gist_same(uscc_gist_key, uscc_gist_key, internal) IS 'GiST support of uscc: same';
COMMENT ON FUNCTION uscc_gist_fetch(internal) IS 'GiST support of uscc: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS uscc_gist_ops USING gist IS 'default GiST opclass of uscc, for exclusion constraints';
COMMENT ON OPERATOR FAMILY uscc_gist_ops USING gist IS 'GiST comparison of uscc';

-- portrait -------------------------------------------------------------
COMMENT ON FUNCTION portrait_in(cstring) IS 'input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_out(portrait) IS 'output function of type portrait';
COMMENT ON FUNCTION portrait_recv(internal) IS 'binary input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_send(portrait) IS 'binary output function of type portrait';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz) IS 'transition function of portrait(text, numeric, timestamptz)';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz, boolean) IS 'transition function of portrait(text, numeric, timestamptz, boolean)';
COMMENT ON FUNCTION portrait_combine(portrait, portrait) IS 'merges two portraits (the combine function of portrait(), callable)';
COMMENT ON FUNCTION portrait_final(portrait) IS 'final function of portrait(): the compact form of the state';
COMMENT ON CAST (portrait AS jsonb) IS 'the portrait as jsonb, as portrait_jsonb() gives it';
COMMENT ON TYPE portrait_rules_t IS 'the fields of portrait risk rules; use the checked domain portrait_rules';

-- =====================================================================
-- The internal schema
--
-- Aggregate support functions, domain CHECK helpers and the steps of the
-- index method are not API: they live in the schema integrity_internal,
-- which the extension creates and owns.  Aggregates, operators and domain
-- constraints refer to functions by OID, so moving a function changes
-- nothing for queries, views or dumps; integrity_internal.<name>(...)
-- still calls it (USAGE is granted to PUBLIC: the steps are meant to be
-- audited, and are all PUBLIC EXECUTE like every function).
--
-- The move is a rule, not a list, so that functions added by later work are
-- moved too.  Moved: every function of the extension that is
--   * a support function of one of its aggregates (transition, final,
--     combine, serial, deserial, moving-aggregate functions), or
--   * called by the CHECK constraint of one of its domains, or
--   * a step of an aggregate's state: its first parameter is named "state";
-- except the documented user API named in keep (portrait_combine: the README
-- documents merging stored portraits with it).  Users' own aggregates and
-- domains built on the extension's functions (an update meets them) move
-- nothing.  This block ends both the
-- install script and the 1.0--1.1 update; it must stay last.
-- =====================================================================

CREATE SCHEMA integrity_internal;
COMMENT ON SCHEMA integrity_internal IS
    'internal helpers of the integrity extension: aggregate support functions, CHECK helpers, steps of the index method';
GRANT USAGE ON SCHEMA integrity_internal TO PUBLIC;

DO $move$
DECLARE
    -- This block runs as the bootstrap superuser (the extension is trusted)
    -- with the target schema on the search_path: every function and
    -- operator is pg_catalog-qualified, so nothing planted in that schema is
    -- ever called.
    ext  oid := (SELECT e.oid FROM pg_catalog.pg_extension e
                  WHERE e.extname OPERATOR(pg_catalog.=) 'integrity'::pg_catalog.name);
    home oid := (SELECT e.extnamespace FROM pg_catalog.pg_extension e
                  WHERE e.extname OPERATOR(pg_catalog.=) 'integrity'::pg_catalog.name);
    keep oid[] := pg_catalog.array_remove(
                      ARRAY[pg_catalog.to_regprocedure('@extschema@.portrait_combine(@extschema@.portrait, @extschema@.portrait)')::oid],
                      NULL::oid);
    f    regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d
            ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
           AND d.objid OPERATOR(pg_catalog.=) p.oid
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
           AND d.refobjid OPERATOR(pg_catalog.=) ext
           AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
         WHERE p.pronamespace OPERATOR(pg_catalog.=) home
           AND p.oid OPERATOR(pg_catalog.<>) ALL (keep)
           AND (EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate a
                          JOIN pg_catalog.pg_depend m
                            ON m.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
                           AND m.objid OPERATOR(pg_catalog.=) a.aggfnoid::oid
                           AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
                           AND m.refobjid OPERATOR(pg_catalog.=) ext
                           AND m.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
                         WHERE p.oid OPERATOR(pg_catalog.=) ANY (ARRAY[
                                   a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid,
                                   a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggmtransfn::oid,
                                   a.aggminvtransfn::oid, a.aggmfinalfn::oid]))
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend c
                             JOIN pg_catalog.pg_constraint k ON k.oid OPERATOR(pg_catalog.=) c.objid
                             JOIN pg_catalog.pg_depend m
                               ON m.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::regclass::oid
                              AND m.objid OPERATOR(pg_catalog.=) k.contypid
                              AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
                              AND m.refobjid OPERATOR(pg_catalog.=) ext
                              AND m.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
                            WHERE c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::regclass::oid
                              AND c.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
                              AND c.refobjid OPERATOR(pg_catalog.=) p.oid)
                OR p.proargnames[1] OPERATOR(pg_catalog.=) 'state'::pg_catalog.text)
         ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA integrity_internal', f::pg_catalog.text);
    END LOOP;
END
$move$;
