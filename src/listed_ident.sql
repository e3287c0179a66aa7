-- listed for the identifier types (appended after src/listed.sql once the
-- cnid and uscc types exist: the ident branch).

CREATE FUNCTION listed(subject cnid, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject cnid, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed(subject uscc, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject uscc, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';
