-- pgTAP: the generator's regulator.generate_name_entry_aside (demo/generate.sql)
-- sets name_entry's foreign keys and secondary indexes aside for the bulk
-- insert and makes them again as they were: names, definitions (partial
-- predicates, storage options), comments; the primary key and CHECKs stay.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS btree_gist;
\i demo/schema.sql
\i demo/generate.sql
RESET client_min_messages;
SELECT plan(6);

-- a DBA's comments on an index and on the foreign key, and an index whose
-- name needs quoting
COMMENT ON INDEX regulator.name_entry_keys_idx IS 'name keys, GIN; it''s partial';
COMMENT ON CONSTRAINT name_entry_list_fkey ON regulator.name_entry IS 'the list';
CREATE INDEX "Name Entry ""decision""" ON regulator.name_entry (decision) WHERE decision IS NOT NULL;
CREATE TEMP VIEW tap_ne_objects AS
SELECT 'index' AS kind, c.relname::text AS name, pg_get_indexdef(i.indexrelid) AS def,
       obj_description(i.indexrelid, 'pg_class') AS comment
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = 'regulator.name_entry'::regclass
UNION ALL
SELECT 'constraint', conname, pg_get_constraintdef(oid), obj_description(oid, 'pg_constraint')
FROM pg_constraint WHERE conrelid = 'regulator.name_entry'::regclass;
CREATE TEMP TABLE tap_ne_before AS SELECT * FROM tap_ne_objects;

CALL regulator.generate_name_entry_aside(true);
SELECT set_eq('SELECT name FROM tap_ne_objects',
              $$VALUES ('name_entry_pkey'), ('name_entry_pkey'), ('name_entry_check'), ('name_entry_name_check'),
                       ('name_entry_valid_check')$$,
              'set aside: the foreign key and the secondary indexes are gone, the primary key and the CHECKs stay');
SELECT throws_ok('CALL regulator.generate_name_entry_aside(true)', '55000',
                 'name_entry''s foreign keys and indexes are already set aside',
                 'setting them aside twice is an error');
CALL regulator.generate_name_entry_aside(false);
SELECT set_eq('SELECT * FROM tap_ne_objects', 'SELECT * FROM tap_ne_before',
              'made again: the same names, definitions and comments');
SELECT ok((SELECT count(*) FROM tap_ne_before WHERE name IN ('name_entry_name_idx', 'name_entry_keys_idx', 'Name Entry "decision"')) = 3,
          'the partial btree and GIN indexes on the keys and a name that needs quoting are among them');
SELECT throws_ok('CALL regulator.generate_name_entry_aside(false)', '55000',
                 'name_entry''s foreign keys and indexes are not set aside',
                 'making them again without setting them aside first is an error');
-- an error after setting them aside rolls the drops back
SAVEPOINT s;
CALL regulator.generate_name_entry_aside(true);
ROLLBACK TO SAVEPOINT s;
SELECT set_eq('SELECT * FROM tap_ne_objects', 'SELECT * FROM tap_ne_before',
              'an error between setting aside and making again leaves them as they were');

SELECT * FROM finish();
ROLLBACK;
