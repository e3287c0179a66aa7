-- listed: blacklist screening (src/listed.c).
-- listed(subject, list) is exactly EXISTS (SELECT 1 FROM list l WHERE
-- l.<first column> = subject); the dated form adds AND l.<second column> @> at.

CREATE FUNCTION listed(subject text, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject text, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed(subject bigint, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass) IS
    'true if the list (a table or view whose first column holds the subject) has a row for the subject';

CREATE FUNCTION listed(subject bigint, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass, date) IS
    'true if the list has a row for the subject whose validity (second column, daterange) contains the date';

CREATE FUNCTION listed_last_build(OUT list regclass, OUT rows bigint, OUT keys bigint,
                                  OUT bytes bigint, OUT build_ms float8,
                                  OUT calls_before bigint, OUT threshold bigint)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_last_build'
    LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION listed_last_build() IS
    'diagnostics of the last in-memory list index listed() built in this session';
