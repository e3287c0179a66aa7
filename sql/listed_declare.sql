--
-- listed_declare(list, subject column, validity column): the list's owner
-- names the columns listed() uses, over the list reader's rules (issue 18)
--
SET client_min_messages = warning;
\set VERBOSITY default

-- two identifier columns, neither first nor indexed: the rules cannot choose
CREATE TABLE ld_t (id serial PRIMARY KEY, subject cnid, other cnid, valid daterange,
                   until daterange, n int, note text);
INSERT INTO ld_t (subject, other, valid, until) VALUES
  (cnid_from_parts(110101, date '1980-01-01', 1), cnid_from_parts(110101, date '1980-01-01', 2),
   '[2020-01-01,2021-01-01)', '[2030-01-01,)');
SELECT * FROM listed_shape('ld_t');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t');
SELECT list FROM listed_lists WHERE list = 'ld_t'::regclass;

-- declared: listed(), listed_entries(), listed_shape, listed_lists and
-- listed_explain follow the declaration
SELECT listed_declare('ld_t', 'other', 'until');
SELECT * FROM listed_shape('ld_t');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t') AS other_listed,
       listed(cnid_from_parts(110101, date '1980-01-01', 1), 'ld_t') AS subject_listed,
       listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t', date '2020-06-01') AS in_valid,
       listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t', date '2031-06-01') AS in_until;
SELECT e->>'id' AS id FROM listed_entries(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t') e;
SELECT count(*) AS entries FROM listed_entries(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t', date '2020-06-01');
SELECT list, subject_column, subject_type, validity_column, declared FROM listed_lists WHERE list = 'ld_t'::regclass;
SELECT confirm, note FROM listed_explain('ld_t');
SELECT list, subject_column, validity_column FROM list_declarations;
-- declared again: the subject only (the validity by the rules: the one
-- right after the subject column, or none of two otherwise)
SELECT listed_declare('ld_t', 'other');
SELECT * FROM listed_shape('ld_t');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_t', date '2020-06-01') AS valid_after_other;
SELECT listed_declare('ld_t', 'subject');
SELECT * FROM listed_shape('ld_t');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 1), 'ld_t', date '2020-06-01');

-- errors: unknown columns, a column of a type listed() does not screen, a
-- validity column not a daterange, a validity without subject, another
-- type of subject, not the owner, not a list
SELECT listed_declare('ld_t', 'nope');
SELECT listed_declare('ld_t', 'ctid');
SELECT listed_declare('ld_t', 'n');
SELECT listed_declare('ld_t', 'other', 'note');
SELECT listed_declare('ld_t', NULL, 'valid');
SELECT listed_declare(NULL, 'other');
SELECT listed(1::bigint, 'ld_t');
CREATE ROLE ld_someone;
GRANT SELECT ON ld_t TO ld_someone;
SET ROLE ld_someone;
SELECT listed_declare('ld_t', 'other');
INSERT INTO list_declarations VALUES ('ld_t', 'other', NULL);
UPDATE list_declarations SET subject_column = 'other';
DELETE FROM list_declarations;
RESET ROLE;
-- the owner may write the table directly: checked as listed_declare
-- checks, and every session reads the list again
DELETE FROM list_declarations WHERE list = 'ld_t'::regclass;
SELECT * FROM listed_shape('ld_t');
INSERT INTO list_declarations VALUES ('ld_t', 'n', NULL);
INSERT INTO list_declarations VALUES ('ld_t', 'other', 'until');
SELECT * FROM listed_shape('ld_t');
UPDATE list_declarations SET validity_column = NULL WHERE list = 'ld_t'::regclass;
SELECT * FROM listed_shape('ld_t');
DELETE FROM list_declarations WHERE list = 'ld_t'::regclass;
SELECT listed_declare('ld_t', 'subject');
CREATE SEQUENCE ld_seq;
SELECT listed_declare('ld_seq', 'last_value');

-- a declared column renamed: a clear error until declared again
ALTER TABLE ld_t RENAME subject TO subject2;
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 1), 'ld_t');
SELECT listed_declare('ld_t', 'subject2');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 1), 'ld_t');

-- a view: declared too, and the filter of its table follows the declared
-- column
CREATE INDEX ON ld_t USING blacklist (other);
CREATE VIEW ld_v AS SELECT subject2 AS a, other AS b FROM ld_t;
SELECT listed_declare('ld_v', 'b');
SELECT filter, note FROM listed_explain('ld_v');
SELECT listed(cnid_from_parts(110101, date '1980-01-01', 2), 'ld_v') AS b_listed,
       listed(cnid_from_parts(110101, date '1980-01-01', 1), 'ld_v') AS a_not_declared;
SELECT list, declared FROM listed_lists WHERE list = 'ld_v'::regclass;

-- removed; a dropped list's declaration goes at the next declaration
SELECT listed_declare('ld_t', NULL);
SELECT * FROM listed_shape('ld_t');
DROP VIEW ld_v;
SELECT count(*) AS declarations FROM list_declarations;
SELECT listed_declare('ld_t', 'other');
SELECT count(*) AS declarations FROM list_declarations;
SELECT listed_declare('ld_t', NULL);

-- pg_dump keeps the declarations (a configuration table of the extension)
SELECT c.relname FROM pg_extension e, unnest(e.extconfig) x(oid) JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'integrity';

-- the trigger function checks list_declarations' rows only: on a table of
-- another shape (anyone may create such a trigger on a table of theirs) it
-- refuses, instead of reading an integer as a name (the server crashed)
CREATE TABLE ld_other (list oid, subject_column integer, validity_column integer);
CREATE TRIGGER ld_other_check BEFORE INSERT ON ld_other
    FOR EACH ROW EXECUTE FUNCTION list_declarations_check();
INSERT INTO ld_other VALUES ('ld_other'::regclass, 12345, 0);
DROP TABLE ld_other;

DROP TABLE ld_t;
DROP SEQUENCE ld_seq;
DROP ROLE ld_someone;
