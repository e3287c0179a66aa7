-- listed: blacklist screening (src/listed.c).
-- listed(subject, list) is exactly EXISTS (SELECT 1 FROM list l WHERE
-- l.<subject column> = subject); the dated form adds AND l.<validity column>
-- @> at.  Which columns: the list reader (src/listed.h), shown by listed_shape.

CREATE FUNCTION listed(subject text, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';

CREATE FUNCTION listed(subject text, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(text, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';

CREATE FUNCTION listed(subject bigint, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';

CREATE FUNCTION listed(subject bigint, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(bigint, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';

-- 1.0 API: since 1.1 no in-memory index is built, so this returns NULLs.
CREATE FUNCTION listed_last_build(OUT list regclass, OUT rows bigint, OUT keys bigint,
                                  OUT bytes bigint, OUT build_ms float8,
                                  OUT calls_before bigint, OUT threshold bigint)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_last_build'
    LANGUAGE C VOLATILE PARALLEL RESTRICTED;
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
    'how listed() answers calls on the list for the current user (blacklist filter, btree probe or SPI) and how the current user''s calls in this session were answered; needs SELECT on the list';

CREATE FUNCTION listed_shape(list regclass,
                             OUT subject_column name, OUT subject_type regtype,
                             OUT validity_column name)
    RETURNS record
    AS 'MODULE_PATHNAME', 'listed_shape'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed_shape(regclass) IS
    'the subject and validity columns listed() uses on the list (the blacklist index''s key column, else the first column, else an indexed column, else the only column of the subject''s type; the only daterange column); NULLs where there is none or several';

-- Declared lists: the subject (and validity) columns a list's owner named
-- with listed_declare(); the list reader (src/listed.h) honours them over
-- its rules.  Dumped by pg_dump with the database (a configuration table).
CREATE TABLE list_declarations (
    list regclass PRIMARY KEY,
    subject_column name NOT NULL,
    validity_column name
);
COMMENT ON TABLE list_declarations IS
    'the subject and validity columns that lists'' owners declared with listed_declare() (each row checked by its trigger)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.list_declarations', '');
-- every write is checked (only a list's owner declares its columns) and
-- makes every session read the list again, listed_declare's and
-- pg_restore's alike
CREATE FUNCTION list_declarations_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'list_declarations_check'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION list_declarations_check() IS
    'the trigger of list_declarations: a row only for a list the current user owns, naming columns a list can be read by; invalidates the lists'' cached shapes';
CREATE TRIGGER list_declarations_check BEFORE INSERT OR UPDATE OR DELETE ON list_declarations
    FOR EACH ROW EXECUTE FUNCTION @extschema@.list_declarations_check();
GRANT SELECT, INSERT, UPDATE, DELETE ON list_declarations TO PUBLIC;

CREATE FUNCTION listed_declare(list regclass, subject name, validity name DEFAULT NULL)
    RETURNS void
    AS 'MODULE_PATHNAME', 'listed_declare'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION listed_declare(regclass, name, name) IS
    'name the subject column (and the validity column) listed() uses on the list, instead of the rules; subject NULL removes the declaration; only the list''s owner may';

-- Tables that are lists, with the columns (listed_shape) and indexes
-- listed() uses: plain tables with a blacklist index, and tables whose
-- subject is an identifier (cnid, uscc, or a domain over one) beside a
-- daterange of validity.  A blacklist index counts when the subject
-- column's collation is deterministic, a btree when it has the column's
-- collation (as in src/listed.c).  Declared relations of any kind are
-- lists too (declared).
CREATE VIEW listed_lists AS
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
COMMENT ON VIEW listed_lists IS
    'tables that are lists (a blacklist index, an identifier subject with a daterange of validity, or declared by listed_declare) with the columns and the blacklist and btree indexes listed() uses; blacklist_index IS NULL: no filter';

-- listed for the identifier types (appended after src/listed.sql once the
-- cnid and uscc types exist: the ident branch).

CREATE FUNCTION listed(subject cnid, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';

CREATE FUNCTION listed(subject cnid, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(cnid, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';

CREATE FUNCTION listed(subject uscc, list regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass) IS
    'true if the list (a table or view; its subject column as listed_shape says) has a row for the subject';

CREATE FUNCTION listed(subject uscc, list regclass, at date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'listed_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION listed(uscc, regclass, date) IS
    'true if the list has a row for the subject whose validity (its daterange column, as listed_shape says) contains the date';

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
