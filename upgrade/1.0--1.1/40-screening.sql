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
