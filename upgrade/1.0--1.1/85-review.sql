-- =====================================================================
-- 85-review: fixes from the review of the second wave (src/listed.sql).
-- =====================================================================

-- listed_lists: every comparison in the view names the built-in operator
-- exactly (oid = oid, real >= real), so that CREATE EXTENSION in a schema
-- holding operators such as =(oid, integer) or >=(double precision,
-- integer) binds none of them (trusted install; test/trusted.sh).
CREATE OR REPLACE VIEW listed_lists AS
SELECT c.oid::regclass AS list,
       a.attname AS subject_column,
       a.atttypid::regtype AS subject_type,
       CASE WHEN c.reltuples >= 0::real THEN c.reltuples::bigint END AS rows_estimate,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_catalog.pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = c.oid AND am.amname = 'blacklist' AND i.indkey[0] = a.attnum
           AND i.indisvalid AND i.indpred IS NULL
           AND (a.attcollation = 0::oid OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co
                                        WHERE co.oid = a.attcollation))
         ORDER BY i.indexrelid LIMIT 1) AS blacklist_index,
       (SELECT i.indexrelid::regclass FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND ic.relam = 403::oid AND i.indkey[0] = a.attnum
           AND i.indcollation[0] = a.attcollation AND i.indisvalid AND i.indpred IS NULL
         ORDER BY i.indexrelid LIMIT 1) AS btree_index
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a
    ON a.attrelid = c.oid
   AND a.attnum = (SELECT min(f.attnum) FROM pg_catalog.pg_attribute f
                    WHERE f.attrelid = c.oid AND f.attnum > 0 AND NOT f.attisdropped)
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
 WHERE c.relkind = 'r'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
   AND (coalesce(nullif(t.typbasetype, 0::oid), t.oid) IN ('@extschema@.cnid'::regtype, '@extschema@.uscc'::regtype)
        OR EXISTS (SELECT FROM pg_catalog.pg_index i
                     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                     JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                    WHERE i.indrelid = c.oid AND am.amname = 'blacklist'));
