-- ---------------------------------------------------------------------------
-- screening: hits with their entries                       (src/screening.c)
--
-- listed_entries(subject, list [, at]) returns the list rows behind a hit as
-- jsonb, under exactly the rules of listed(): the same subject and validity
-- columns (listed_shape); the caller's privileges, row-level
-- security and the calling statement's snapshot apply.
-- ---------------------------------------------------------------------------

CREATE FUNCTION listed_entries(subject cnid, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(cnid, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject cnid, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(cnid, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject uscc, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(uscc, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject uscc, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(uscc, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject text, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(text, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject text, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(text, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';

CREATE FUNCTION listed_entries(subject bigint, list regclass) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 2;
COMMENT ON FUNCTION listed_entries(bigint, regclass) IS
    'the rows of the list for the subject (its subject column as listed_shape says) as jsonb: the entries behind listed(subject, list)';

CREATE FUNCTION listed_entries(subject bigint, list regclass, at date) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME', 'listed_entries_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1;
COMMENT ON FUNCTION listed_entries(bigint, regclass, date) IS
    'the rows of the list for the subject whose validity (its daterange column) contains the date, as jsonb: the entries behind listed(subject, list, at)';
