--
-- listed(subject, list) and listed(subject, list, at): screening
--
SET client_min_messages = warning;

-- a text list with an index, and a bigint list
CREATE TABLE listed_t_names (id text PRIMARY KEY, note text);
INSERT INTO listed_t_names VALUES ('P1234567', 'passport'), ('E-0042', 'staff'), ('', 'empty key');
CREATE TABLE listed_t_ids (id bigint PRIMARY KEY);
INSERT INTO listed_t_ids SELECT g * 3 FROM generate_series(-5, 1000) g;

-- both paths: probing (huge threshold) and in memory (threshold 0)
SET integrity.listed_build_threshold = 1000000;
SELECT s, listed(s, 'listed_t_names') FROM unnest(ARRAY['P1234567', 'p1234567', 'E-0042', '', 'nobody']) s ORDER BY s;
SELECT listed(0::bigint, 'listed_t_ids'), listed(3::bigint, 'listed_t_ids'),
       listed(4::bigint, 'listed_t_ids'), listed(-15::bigint, 'listed_t_ids');
SET integrity.listed_build_threshold = 0;
SELECT s, listed(s, 'listed_t_names') FROM unnest(ARRAY['P1234567', 'p1234567', 'E-0042', '', 'nobody']) s ORDER BY s;
SELECT listed(0::bigint, 'listed_t_ids'), listed(3::bigint, 'listed_t_ids'),
       listed(4::bigint, 'listed_t_ids'), listed(-15::bigint, 'listed_t_ids');
SELECT list, rows, keys, bytes > 0 AS has_bytes, calls_before, threshold FROM listed_last_build();

-- agrees with EXISTS on every subject, in both paths
SET integrity.listed_build_threshold = 0;
SELECT count(*) AS disagreements
  FROM generate_series(-20, 3100) g
 WHERE listed(g::bigint, 'listed_t_ids') IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_t_ids l WHERE l.id = g);
SET integrity.listed_build_threshold = 1000000;
SELECT count(*) AS disagreements
  FROM generate_series(-20, 3100) g
 WHERE listed(g::bigint, 'listed_t_ids') IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_t_ids l WHERE l.id = g);
-- the automatic switch: a few probes, then memory
RESET integrity.listed_build_threshold;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_ids')) AS hits FROM generate_series(1, 20000) g;
SELECT list, rows, calls_before > 0 AS probed_first, calls_before = threshold AS switched_at_threshold FROM listed_last_build();

-- NULL subject: NULL (STRICT); NULL keys in the list never match
SELECT listed(NULL::text, 'listed_t_names') IS NULL AS is_null;
CREATE TABLE listed_t_nullkeys (id text);
INSERT INTO listed_t_nullkeys VALUES (NULL), ('A');
SET integrity.listed_build_threshold = 0;
SELECT listed('A', 'listed_t_nullkeys'), listed('B', 'listed_t_nullkeys');

-- the list argument may change from row to row
SELECT l, s, listed(s, l)
  FROM (VALUES ('listed_t_names'::regclass, 'E-0042'), ('listed_t_nullkeys', 'E-0042'),
               ('listed_t_nullkeys', 'A'), ('listed_t_names', 'A')) v(l, s)
 ORDER BY 1, 2;

-- views are lists; varchar lists take text subjects
CREATE VIEW listed_v_staff AS SELECT id FROM listed_t_names WHERE note = 'staff';
CREATE TABLE listed_t_varchar (code varchar(18) PRIMARY KEY);
INSERT INTO listed_t_varchar VALUES ('11010119900307001X');
SELECT listed('E-0042', 'listed_v_staff'), listed('P1234567', 'listed_v_staff'),
       listed('11010119900307001X', 'listed_t_varchar'), listed('11010119900307001x', 'listed_t_varchar');

-- a nondeterministic collation on the list column decides equality
CREATE COLLATION listed_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE listed_t_ci (name text COLLATE listed_ci);
INSERT INTO listed_t_ci VALUES ('Zhang Wei'), ('LI NA');
SET integrity.listed_build_threshold = 0;
SELECT s, listed(s, 'listed_t_ci') FROM unnest(ARRAY['zhang wei', 'Li Na', 'Wang Fang']) s ORDER BY s;
SET integrity.listed_build_threshold = 1000000;
SELECT s, listed(s, 'listed_t_ci') FROM unnest(ARRAY['zhang wei', 'Li Na', 'Wang Fang']) s ORDER BY s;

-- the dated form: second column is the validity, NULL bounds open
CREATE TABLE listed_t_bans (id text, valid daterange);
INSERT INTO listed_t_bans VALUES
  ('A', '[2020-01-01,2021-01-01)'),          -- one year
  ('A', '[2023-06-01,)'),                    -- open end
  ('B', '(,2019-12-31]'),                    -- open start, inclusive end
  ('C', 'empty'),                            -- never
  ('D', NULL),                               -- unknown validity: never
  ('E', '[2020-01-01,infinity]'),            -- infinity is a value, not open
  ('F', '(,)');                              -- always
SET integrity.listed_build_threshold = 0;
SELECT s, d, listed(s, 'listed_t_bans', d) AS listed,
       EXISTS (SELECT 1 FROM listed_t_bans b WHERE b.id = s AND b.valid @> d) AS "exists"
  FROM unnest(ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G']) s,
       unnest(ARRAY['-infinity', '2019-12-31', '2020-01-01', '2020-12-31', '2021-01-01',
                    '2023-06-01', 'infinity']::date[]) d
 WHERE listed(s, 'listed_t_bans', d) OR EXISTS (SELECT 1 FROM listed_t_bans b WHERE b.id = s AND b.valid @> d)
 ORDER BY s, d;
SET integrity.listed_build_threshold = 1000000;
SELECT count(*) AS disagreements
  FROM unnest(ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G']) s,
       unnest(ARRAY['-infinity', '2019-12-31', '2020-01-01', '2020-12-31', '2021-01-01',
                    '2023-06-01', 'infinity']::date[]) d
 WHERE listed(s, 'listed_t_bans', d) IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_t_bans b WHERE b.id = s AND b.valid @> d);
SELECT listed('A'::text, 'listed_t_bans', NULL::date) IS NULL AS is_null;

-- wrong lists
CREATE TABLE listed_t_int (id integer, valid daterange);
CREATE TABLE listed_t_nodates (id text, valid tsrange);
CREATE SEQUENCE listed_s;
\set VERBOSITY default
SELECT listed('x', 'listed_t_int');
SELECT listed(1::bigint, 'listed_t_names');
SELECT listed('x', 'listed_t_nodates', current_date);
SELECT listed('x', 'listed_v_staff', current_date);
SELECT listed('x', 'listed_s');
SELECT listed('x', 'no_such_list');
SELECT listed('x', 999999::oid::regclass);
\set VERBOSITY terse

-- the statement's own changes count, earlier statements' indexes never do
CREATE FUNCTION listed_f_add_and_check(k text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO listed_t_names VALUES (k, 'added');
  RETURN listed(k, 'listed_t_names');
END $$;
CREATE FUNCTION listed_f_del_and_check(k text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM listed_t_names WHERE id = k;
  RETURN listed(k, 'listed_t_names');
END $$;
SET integrity.listed_build_threshold = 0;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT listed('N1', 'listed_t_names');
SELECT listed_f_add_and_check('N1');
SELECT listed('N1', 'listed_t_names');
SELECT listed_f_del_and_check('N1');
SELECT listed('N1', 'listed_t_names');
ROLLBACK;
-- a plpgsql loop keeps its expression state across statements
DO $$
DECLARE i int; r boolean; e boolean;
BEGIN
  FOR i IN 1..30 LOOP
    IF i % 3 = 0 THEN
      INSERT INTO listed_t_names VALUES ('L' || i, 'loop');
    ELSIF i % 3 = 1 THEN
      DELETE FROM listed_t_names WHERE id = 'L' || (i - 1);
    END IF;
    r := listed('L' || (i - i % 3), 'listed_t_names');
    e := EXISTS (SELECT 1 FROM listed_t_names WHERE id = 'L' || (i - i % 3));
    IF r IS DISTINCT FROM e THEN
      RAISE EXCEPTION 'iteration %: listed % but EXISTS %', i, r, e;
    END IF;
  END LOOP;
  RAISE NOTICE 'loop agrees';
END $$;
SELECT count(*) FROM listed_t_names WHERE note = 'loop';

-- privileges and row-level security
CREATE ROLE listed_reader;
GRANT USAGE ON SCHEMA public TO listed_reader;
CREATE TABLE listed_t_secret (id text, owner name);
INSERT INTO listed_t_secret VALUES ('S1', 'listed_reader'), ('S2', 'someone_else');
SET ROLE listed_reader;
SELECT listed('S1', 'listed_t_secret');
RESET ROLE;
GRANT SELECT ON listed_t_secret TO listed_reader;
ALTER TABLE listed_t_secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY listed_p_own ON listed_t_secret FOR SELECT USING (owner = current_user);
SET integrity.listed_build_threshold = 0;
SELECT listed('S1', 'listed_t_secret') AS s1, listed('S2', 'listed_t_secret') AS s2;
SET ROLE listed_reader;
SELECT listed('S1', 'listed_t_secret') AS s1, listed('S2', 'listed_t_secret') AS s2;
SET integrity.listed_build_threshold = 1000000;
SELECT listed('S1', 'listed_t_secret') AS s1, listed('S2', 'listed_t_secret') AS s2;
RESET ROLE;

-- a temporary list (read through the executor, which knows local buffers)
CREATE TEMP TABLE listed_t_temp (id text PRIMARY KEY);
INSERT INTO listed_t_temp VALUES ('T1');
SET integrity.listed_build_threshold = 0;
SELECT listed('T1', 'listed_t_temp'), listed('T2', 'listed_t_temp');
SET integrity.listed_build_threshold = 1000000;
SELECT listed('T1', 'listed_t_temp'), listed('T2', 'listed_t_temp');
-- ... which a parallel worker cannot: a clear error, unless only a temporary
-- view over permanent tables is involved
CREATE TEMP VIEW listed_v_temp AS SELECT id FROM listed_t_temp;
CREATE TEMP VIEW listed_v_temp_perm AS SELECT id FROM listed_t_names;
SET force_parallel_mode = on;
\set VERBOSITY default
SELECT listed('T1', 'listed_t_temp');
\set VERBOSITY terse
SET integrity.listed_build_threshold = 0;
SELECT listed('T1', 'listed_t_temp');
SELECT listed('T1', 'listed_v_temp');
SELECT listed('E-0042', 'listed_v_temp_perm'), listed('T1', 'listed_v_temp_perm');
RESET force_parallel_mode;
SELECT listed('T1', 'listed_v_temp'), listed('E-0042', 'listed_v_temp_perm');
DROP VIEW listed_v_temp, listed_v_temp_perm;
DROP TABLE listed_t_temp;

-- empty lists (no rows, or only NULL keys): the in-memory index is empty
CREATE TABLE listed_t_empty_txt (id text, valid daterange);
CREATE TABLE listed_t_empty_big (id bigint, valid daterange);
INSERT INTO listed_t_empty_big VALUES (NULL, '[2020-01-01,)');
SET integrity.listed_build_threshold = 0;
SELECT listed('A', 'listed_t_empty_txt') AS txt, listed('A', 'listed_t_empty_txt', current_date) AS txt_at,
       listed(0::bigint, 'listed_t_empty_big') AS big, listed(1::bigint, 'listed_t_empty_big', current_date) AS big_at;
SELECT list, rows, keys FROM listed_last_build();
DROP TABLE listed_t_empty_txt, listed_t_empty_big;

-- a subtransaction that rolled back takes its changes with it: nothing read
-- inside it (an in-memory index) may serve the rest of the statement
CREATE TABLE listed_t_sx (id text PRIMARY KEY);
INSERT INTO listed_t_sx VALUES ('X'), ('W');
CREATE FUNCTION listed_f_subxact(change text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text := ''; k text := CASE change WHEN 'delete' THEN 'X' ELSE 'Y' END; l boolean; e boolean;
BEGIN
  FOR i IN 1..2 LOOP
    BEGIN
      IF i = 1 THEN
        IF change = 'delete' THEN DELETE FROM listed_t_sx WHERE id = k;
        ELSE INSERT INTO listed_t_sx VALUES (k); END IF;
      END IF;
      l := listed(k, 'listed_t_sx');
      e := EXISTS (SELECT 1 FROM listed_t_sx WHERE id = k);
      r := r || format('%s:%s/%s ', i, l, e);
      IF i = 1 THEN RAISE EXCEPTION 'undo'; END IF;
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
  END LOOP;
  RETURN r;
END $$;
SET integrity.listed_build_threshold = 0;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
SET integrity.listed_build_threshold = 1000000;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
DROP FUNCTION listed_f_subxact(text);
DROP TABLE listed_t_sx;

-- a DO block that commits keeps its old expression states until it ends:
-- their in-memory indexes must not outlive the transaction that built them
CREATE TABLE listed_t_commit (id bigint PRIMARY KEY);
INSERT INTO listed_t_commit SELECT generate_series(1, 20000);
CREATE TABLE listed_t_ctx (round int, contexts bigint, listed boolean);
SET integrity.listed_build_threshold = 0;
DO $$
DECLARE l boolean;
BEGIN
  FOR i IN 1..4 LOOP
    l := listed(i::bigint * 7000, 'listed_t_commit');
    INSERT INTO listed_t_ctx
      SELECT i, count(*), l FROM pg_backend_memory_contexts WHERE name = 'listed() in-memory index';
    COMMIT;
  END LOOP;
END $$;
SELECT round, contexts, listed FROM listed_t_ctx ORDER BY round;
DROP TABLE listed_t_commit, listed_t_ctx;

-- USAGE on the list's schema is needed, as for the EXISTS, even when the
-- list is given by OID
CREATE SCHEMA listed_ns;
CREATE TABLE listed_ns.hidden (id text PRIMARY KEY);
CREATE VIEW listed_ns.hidden_v AS SELECT id FROM listed_ns.hidden;
INSERT INTO listed_ns.hidden VALUES ('N1');
GRANT SELECT ON listed_ns.hidden, listed_ns.hidden_v TO listed_reader;
SELECT 'listed_ns.hidden'::regclass::oid AS listed_hidden, 'listed_ns.hidden_v'::regclass::oid AS listed_hidden_v \gset
SET integrity.listed_build_threshold = 0;
SELECT listed('N1', :listed_hidden::oid::regclass), listed('N1', :listed_hidden_v::oid::regclass);
SET ROLE listed_reader;
SELECT EXISTS (SELECT 1 FROM listed_ns.hidden WHERE id = 'N1');
SELECT listed('N1', :listed_hidden::oid::regclass);
SELECT listed('N1', :listed_hidden_v::oid::regclass);
SET integrity.listed_build_threshold = 1000000;
SELECT listed('N1', :listed_hidden::oid::regclass);
SELECT listed('N1', :listed_hidden_v::oid::regclass);
RESET ROLE;
GRANT USAGE ON SCHEMA listed_ns TO listed_reader;
SET ROLE listed_reader;
SELECT listed('N1', :listed_hidden::oid::regclass), listed('N1', :listed_hidden_v::oid::regclass);
RESET ROLE;
DROP SCHEMA listed_ns CASCADE;

-- catalog: volatility, strictness, parallel safety
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p WHERE p.proname IN ('listed', 'listed_last_build') ORDER BY p.oid::regprocedure::text COLLATE "C";

RESET integrity.listed_build_threshold;
DROP TABLE listed_t_secret;
REVOKE USAGE ON SCHEMA public FROM listed_reader;
DROP ROLE listed_reader;
DROP FUNCTION listed_f_add_and_check(text), listed_f_del_and_check(text);
DROP VIEW listed_v_staff;
DROP TABLE listed_t_names, listed_t_ids, listed_t_nullkeys, listed_t_varchar, listed_t_ci,
  listed_t_bans, listed_t_int, listed_t_nodates;
DROP SEQUENCE listed_s;
DROP COLLATION listed_ci;
