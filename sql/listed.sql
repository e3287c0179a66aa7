--
-- listed(subject, list) and listed(subject, list, at): screening
--
SET client_min_messages = warning;

-- a text list with an index, and a bigint list
CREATE TABLE listed_t_names (id text PRIMARY KEY, note text);
INSERT INTO listed_t_names VALUES ('P1234567', 'passport'), ('E-0042', 'staff'), ('', 'empty key');
CREATE TABLE listed_t_ids (id bigint PRIMARY KEY);
INSERT INTO listed_t_ids SELECT g * 3 FROM generate_series(-5, 1000) g;

-- plain tables with a btree index: direct probes
SELECT s, listed(s, 'listed_t_names') FROM unnest(ARRAY['P1234567', 'p1234567', 'E-0042', '', 'nobody']) s ORDER BY s;
SELECT listed(0::bigint, 'listed_t_ids'), listed(3::bigint, 'listed_t_ids'),
       listed(4::bigint, 'listed_t_ids'), listed(-15::bigint, 'listed_t_ids');
-- listed_last_build() (1.0) is deprecated: nothing is built any more
SELECT * FROM listed_last_build();

-- agrees with EXISTS on every subject
SELECT count(*) AS disagreements
  FROM generate_series(-20, 3100) g
 WHERE listed(g::bigint, 'listed_t_ids') IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_t_ids l WHERE l.id = g);
SELECT confirm, calls, probed, spi, hits FROM listed_explain('listed_t_ids');

-- with a blacklist index: its filter answers "not listed", the btree
-- confirms the rest under the statement's snapshot
CREATE INDEX listed_t_ids_bl ON listed_t_ids USING blacklist (id);
CREATE INDEX listed_t_names_bl ON listed_t_names USING blacklist (id);
SELECT count(*) AS disagreements
  FROM generate_series(-20, 3100) g
 WHERE listed(g::bigint, 'listed_t_ids') IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_t_ids l WHERE l.id = g);
SELECT s, listed(s, 'listed_t_names') FROM unnest(ARRAY['P1234567', 'p1234567', 'E-0042', '', 'nobody']) s ORDER BY s;
SELECT filter, probe_index, confirm, calls, filtered + probed = calls AS all_counted,
       filtered > 2000 AS mostly_filtered, hits FROM listed_explain('listed_t_ids');

-- NULL subject: NULL (STRICT); NULL keys in the list never match
SELECT listed(NULL::text, 'listed_t_names') IS NULL AS is_null;
CREATE TABLE listed_t_nullkeys (id text);
INSERT INTO listed_t_nullkeys VALUES (NULL), ('A');
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
SELECT s, d, listed(s, 'listed_t_bans', d) AS listed,
       EXISTS (SELECT 1 FROM listed_t_bans b WHERE b.id = s AND b.valid @> d) AS "exists"
  FROM unnest(ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G']) s,
       unnest(ARRAY['-infinity', '2019-12-31', '2020-01-01', '2020-12-31', '2021-01-01',
                    '2023-06-01', 'infinity']::date[]) d
 WHERE listed(s, 'listed_t_bans', d) OR EXISTS (SELECT 1 FROM listed_t_bans b WHERE b.id = s AND b.valid @> d)
 ORDER BY s, d;
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
-- regclass '-' (OID 0): an error, not a crash (the call site's first decision)
SELECT listed('x', '-'::regclass);
SELECT listed(1::bigint, 0::oid::regclass, current_date);
\set VERBOSITY terse

-- the statement's own changes count
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
SELECT listed('S1', 'listed_t_secret') AS s1, listed('S2', 'listed_t_secret') AS s2;
SET ROLE listed_reader;
SELECT listed('S1', 'listed_t_secret') AS s1, listed('S2', 'listed_t_secret') AS s2;
RESET ROLE;

-- a temporary list (read through the executor, which knows local buffers)
CREATE TEMP TABLE listed_t_temp (id text PRIMARY KEY);
INSERT INTO listed_t_temp VALUES ('T1');
SELECT listed('T1', 'listed_t_temp'), listed('T2', 'listed_t_temp');
-- ... which a parallel worker cannot: a clear error, unless only a temporary
-- view over permanent tables is involved
CREATE TEMP VIEW listed_v_temp AS SELECT id FROM listed_t_temp;
CREATE TEMP VIEW listed_v_temp_perm AS SELECT id FROM listed_t_names;
SET force_parallel_mode = on;
\set VERBOSITY default
SELECT listed('T1', 'listed_t_temp');
\set VERBOSITY terse
SELECT listed('T1', 'listed_t_temp');
SELECT listed('T1', 'listed_v_temp');
SELECT listed('E-0042', 'listed_v_temp_perm'), listed('T1', 'listed_v_temp_perm');
RESET force_parallel_mode;
SELECT listed('T1', 'listed_v_temp'), listed('E-0042', 'listed_v_temp_perm');
DROP VIEW listed_v_temp, listed_v_temp_perm;
DROP TABLE listed_t_temp;

-- empty lists (no rows, or only NULL keys)
CREATE TABLE listed_t_empty_txt (id text, valid daterange);
CREATE TABLE listed_t_empty_big (id bigint, valid daterange);
INSERT INTO listed_t_empty_big VALUES (NULL, '[2020-01-01,)');
SELECT listed('A', 'listed_t_empty_txt') AS txt, listed('A', 'listed_t_empty_txt', current_date) AS txt_at,
       listed(0::bigint, 'listed_t_empty_big') AS big, listed(1::bigint, 'listed_t_empty_big', current_date) AS big_at;
DROP TABLE listed_t_empty_txt, listed_t_empty_big;

-- a subtransaction that rolled back takes its changes (and its locks) with it
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
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT listed_f_subxact('delete') AS deleted, listed_f_subxact('insert') AS inserted;
ROLLBACK;
DROP FUNCTION listed_f_subxact(text);
DROP TABLE listed_t_sx;

-- USAGE on the list's schema is needed, as for the EXISTS, even when the
-- list is given by OID
CREATE SCHEMA listed_ns;
CREATE TABLE listed_ns.hidden (id text PRIMARY KEY);
CREATE VIEW listed_ns.hidden_v AS SELECT id FROM listed_ns.hidden;
INSERT INTO listed_ns.hidden VALUES ('N1');
GRANT SELECT ON listed_ns.hidden, listed_ns.hidden_v TO listed_reader;
SELECT 'listed_ns.hidden'::regclass::oid AS listed_hidden, 'listed_ns.hidden_v'::regclass::oid AS listed_hidden_v \gset
SELECT listed('N1', :listed_hidden::oid::regclass), listed('N1', :listed_hidden_v::oid::regclass);
SET ROLE listed_reader;
SELECT EXISTS (SELECT 1 FROM listed_ns.hidden WHERE id = 'N1');
SELECT listed('N1', :listed_hidden::oid::regclass);
SELECT listed('N1', :listed_hidden_v::oid::regclass);
SELECT listed('N1', :listed_hidden::oid::regclass);
SELECT listed('N1', :listed_hidden_v::oid::regclass);
RESET ROLE;
GRANT USAGE ON SCHEMA listed_ns TO listed_reader;
SET ROLE listed_reader;
SELECT listed('N1', :listed_hidden::oid::regclass), listed('N1', :listed_hidden_v::oid::regclass);
RESET ROLE;
DROP SCHEMA listed_ns CASCADE;

-- issue 9: a trigger that screens the rows its own statement inserts sees
-- them (the EXISTS in the same trigger keeps 500 of the 5000 rows)
CREATE TABLE listed_t_trig (k bigint);
CREATE INDEX ON listed_t_trig (k);
CREATE FUNCTION listed_f_trig() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN IF listed(NEW.k, 'listed_t_trig') THEN RETURN NULL; END IF; RETURN NEW; END$$;
CREATE TRIGGER listed_trig BEFORE INSERT ON listed_t_trig FOR EACH ROW EXECUTE FUNCTION listed_f_trig();
INSERT INTO listed_t_trig SELECT g % 500 FROM generate_series(1, 5000) g;
SELECT count(*) AS kept, count(DISTINCT k) AS keys FROM listed_t_trig;
-- the same with a blacklist index in front
TRUNCATE listed_t_trig;
CREATE INDEX listed_t_trig_bl ON listed_t_trig USING blacklist (k);
INSERT INTO listed_t_trig SELECT g % 500 FROM generate_series(1, 5000) g;
SELECT count(*) AS kept, count(DISTINCT k) AS keys FROM listed_t_trig;
SELECT filter IS NOT NULL AS has_filter, confirm FROM listed_explain('listed_t_trig');
-- the same through SPI (a view over the table)
CREATE VIEW listed_v_trig AS SELECT k FROM listed_t_trig;
TRUNCATE listed_t_trig;
CREATE OR REPLACE FUNCTION listed_f_trig() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN IF listed(NEW.k, 'listed_v_trig') THEN RETURN NULL; END IF; RETURN NEW; END$$;
INSERT INTO listed_t_trig SELECT g % 500 FROM generate_series(1, 5000) g;
SELECT count(*) AS kept, count(DISTINCT k) AS keys FROM listed_t_trig;

-- the statement's own deletes: a row trigger screens the key deleted just
-- before its own row, which the statement has already removed
CREATE TABLE listed_t_owndel (k bigint PRIMARY KEY);
CREATE INDEX ON listed_t_owndel USING blacklist (k);
INSERT INTO listed_t_owndel SELECT generate_series(1, 300);
CREATE TABLE listed_t_dellog (k bigint, l boolean, e boolean);
CREATE FUNCTION listed_f_owndel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO listed_t_dellog
    VALUES (OLD.k, listed(OLD.k - 1, 'listed_t_owndel'),
            EXISTS (SELECT 1 FROM listed_t_owndel WHERE k = OLD.k - 1));
  RETURN OLD;
END $$;
CREATE TRIGGER listed_owndel BEFORE DELETE ON listed_t_owndel FOR EACH ROW EXECUTE FUNCTION listed_f_owndel();
DELETE FROM listed_t_owndel WHERE k % 3 <> 0;
SELECT count(*) AS deleted, count(*) FILTER (WHERE l) AS listed, count(*) FILTER (WHERE e) AS "exists",
       count(*) FILTER (WHERE l IS DISTINCT FROM e) AS disagree
  FROM listed_t_dellog;

-- ... and without any write of its own in the trigger (no command id
-- advances between the rows), over enough rows that a cache would be built
CREATE TABLE listed_t_owndel2 (k bigint PRIMARY KEY);
CREATE INDEX ON listed_t_owndel2 USING blacklist (k);
INSERT INTO listed_t_owndel2 SELECT generate_series(1, 6000);
CREATE FUNCTION listed_f_owndel2() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM listed_t_owndel2 WHERE k = OLD.k - 1) THEN
    PERFORM set_config('listed.exists', (current_setting('listed.exists')::int + 1)::text, false);
  END IF;
  IF listed(OLD.k - 1, 'listed_t_owndel2') THEN
    PERFORM set_config('listed.hits', (current_setting('listed.hits')::int + 1)::text, false);
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER listed_owndel2 BEFORE DELETE ON listed_t_owndel2 FOR EACH ROW EXECUTE FUNCTION listed_f_owndel2();
SET listed.exists = 0;
SET listed.hits = 0;
DELETE FROM listed_t_owndel2 WHERE k % 3 <> 0;
SELECT current_setting('listed.hits') AS listed, current_setting('listed.exists') AS "exists";

-- a list view that reads a setting: two tenants in one transaction
CREATE TABLE listed_t_tenant_bans (id text, tenant text);
INSERT INTO listed_t_tenant_bans
  SELECT 'P' || g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 400) g;
CREATE INDEX ON listed_t_tenant_bans (id);
CREATE VIEW listed_v_tenant AS
  SELECT id FROM listed_t_tenant_bans WHERE tenant = current_setting('app.tenant');
CREATE FUNCTION listed_f_tenant_hits() RETURNS bigint LANGUAGE sql AS
  $$SELECT count(*) FROM generate_series(1, 400) g WHERE listed('P' || g, 'listed_v_tenant')$$;
CREATE FUNCTION listed_f_tenants() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text := ''; l boolean; e boolean;
BEGIN
  FOREACH r IN ARRAY ARRAY['a', 'b', 'a'] LOOP
    PERFORM set_config('app.tenant', r, true);
    l := listed('P2', 'listed_v_tenant');
    e := EXISTS (SELECT 1 FROM listed_v_tenant WHERE id = 'P2');
    RAISE NOTICE 'tenant %: listed %, exists %', r, l, e;
  END LOOP;
  RETURN 'done';
END $$;
BEGIN;
SET LOCAL app.tenant = 'a';
SELECT listed('P2', 'listed_v_tenant') AS p2, listed('P3', 'listed_v_tenant') AS p3, listed_f_tenant_hits() AS hits;
SET LOCAL app.tenant = 'b';
SELECT listed('P2', 'listed_v_tenant') AS p2, listed('P3', 'listed_v_tenant') AS p3, listed_f_tenant_hits() AS hits;
SET client_min_messages = notice;
SELECT listed_f_tenants();
SET client_min_messages = warning;
COMMIT;

-- ... and inside one statement, the tenant changing from row to row
BEGIN;
SET LOCAL app.tenant = 'a';
SELECT count(*) AS calls, count(*) FILTER (WHERE l) AS listed, count(*) FILTER (WHERE e) AS "exists",
       count(*) FILTER (WHERE l IS DISTINCT FROM e) AS disagree
  FROM (SELECT g, set_config('app.tenant', CASE WHEN g % 7 < 3 THEN 'a' ELSE 'b' END, true) AS t
          FROM generate_series(1, 6000) g OFFSET 0) s,
       LATERAL (SELECT listed('P' || (g % 400 + 1), 'listed_v_tenant') AS l,
                       EXISTS (SELECT 1 FROM listed_v_tenant v WHERE v.id = 'P' || (g % 400 + 1)) AS e) x;
COMMIT;

-- a row-level security policy per role: each role sees only its own bans,
-- switching roles inside one transaction and one statement
CREATE ROLE listed_role_a;
CREATE ROLE listed_role_b;
CREATE TABLE listed_t_rls (id bigint, team text);
INSERT INTO listed_t_rls SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 1000) g;
CREATE INDEX ON listed_t_rls (id);
CREATE INDEX ON listed_t_rls USING blacklist (id);
GRANT SELECT ON listed_t_rls TO listed_role_a, listed_role_b;
ALTER TABLE listed_t_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY listed_rls_a ON listed_t_rls FOR SELECT TO listed_role_a USING (team = 'a');
CREATE POLICY listed_rls_b ON listed_t_rls FOR SELECT TO listed_role_b USING (team = 'b');
CREATE FUNCTION listed_f_rls_a(k bigint) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS
  $$SELECT listed(k, 'public.listed_t_rls')$$;
CREATE FUNCTION listed_f_rls_b(k bigint) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS
  $$SELECT listed(k, 'public.listed_t_rls')$$;
ALTER FUNCTION listed_f_rls_a(bigint) OWNER TO listed_role_a;
ALTER FUNCTION listed_f_rls_b(bigint) OWNER TO listed_role_b;
BEGIN;
SET LOCAL ROLE listed_role_a;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rls')) AS a_hits,
       count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rls') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM listed_t_rls WHERE id = g)) AS a_disagree
  FROM generate_series(-1000, 1000) g;
SET LOCAL ROLE listed_role_b;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rls')) AS b_hits,
       count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rls') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM listed_t_rls WHERE id = g)) AS b_disagree
  FROM generate_series(-1000, 1000) g;
RESET ROLE;
-- one statement, two roles alternating row by row
SELECT count(*) FILTER (WHERE listed_f_rls_a(g)) AS a_hits, count(*) FILTER (WHERE listed_f_rls_b(g)) AS b_hits,
       count(*) FILTER (WHERE listed_f_rls_a(g) = listed_f_rls_b(g)) AS both_same,
       count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rls')) AS owner_hits
  FROM generate_series(1, 1000) g;
COMMIT;
SELECT filter IS NOT NULL AS has_filter, note, confirm FROM listed_explain('listed_t_rls');
BEGIN;
SET LOCAL ROLE listed_role_a;
SELECT filter IS NOT NULL AS has_filter, note, confirm FROM listed_explain('listed_t_rls');
ROLLBACK;

-- how calls are answered: listed_explain()
CREATE TABLE listed_t_noindex (id bigint);
INSERT INTO listed_t_noindex VALUES (1), (2);
SELECT listed(1::bigint, 'listed_t_noindex'), listed(3::bigint, 'listed_t_noindex');
SELECT filter, probe_index, confirm, note, calls, filtered, probed, spi, hits,
       advice LIKE 'CREATE INDEX ON public.listed_t_noindex USING blacklist (id)%' AS advises_blacklist
  FROM listed_explain('listed_t_noindex');
SELECT filter, probe_index, confirm, note FROM listed_explain('listed_v_tenant');
-- a blacklist index under another deterministic collation filters too; a
-- column under a nondeterministic collation gets no filter
CREATE TABLE listed_t_coll (id text COLLATE "POSIX");
INSERT INTO listed_t_coll VALUES ('A');
CREATE INDEX listed_t_coll_bl ON listed_t_coll USING blacklist (id COLLATE "C");
SELECT listed('A', 'listed_t_coll') AS a, listed('a', 'listed_t_coll') AS lower_a;
SELECT filter, confirm FROM listed_explain('listed_t_coll');
CREATE INDEX listed_t_ci_bl ON listed_t_ci USING blacklist (name COLLATE "C");
SELECT s, listed(s, 'listed_t_ci') FROM unnest(ARRAY['zhang wei', 'Li Na', 'Wang Fang']) s ORDER BY s;
SELECT filter, confirm FROM listed_explain('listed_t_ci');
DROP TABLE listed_t_coll;
SELECT probe_index, confirm, note FROM listed_explain('listed_t_names');
-- listed_lists: tables whose first column is an identifier
CREATE TABLE listed_t_cnids (person cnid PRIMARY KEY, valid daterange);
SELECT list, subject_column, subject_type, blacklist_index, btree_index FROM listed_lists
 WHERE list::text LIKE 'listed_t_%' ORDER BY list::text;
DROP TABLE listed_t_cnids;

-- a foreign list (postgres_fdw, loopback): read through the executor only
CREATE EXTENSION postgres_fdw;
DO $$BEGIN
  EXECUTE format('CREATE SERVER listed_loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname %L, port %L, host %L)',
                 current_database(), current_setting('port'),
                 split_part(current_setting('unix_socket_directories'), ',', 1));
END $$;
CREATE USER MAPPING FOR CURRENT_USER SERVER listed_loopback;
CREATE FOREIGN TABLE listed_f_remote (id bigint) SERVER listed_loopback
  OPTIONS (schema_name 'public', table_name 'listed_t_ids');
SELECT count(*) AS disagreements
  FROM generate_series(-20, 400) g
 WHERE listed(g::bigint, 'listed_f_remote') IS DISTINCT FROM
       EXISTS (SELECT 1 FROM listed_f_remote l WHERE l.id = g);
SELECT listed(3::bigint, 'listed_f_remote') AS three, listed(4::bigint, 'listed_f_remote') AS four;
SELECT filter, probe_index, confirm, note FROM listed_explain('listed_f_remote');
-- a parallel worker cannot use the session's connection: a clear error
SET force_parallel_mode = on;
\set VERBOSITY default
SELECT listed(3::bigint, 'listed_f_remote');
\set VERBOSITY terse
RESET force_parallel_mode;
DROP FOREIGN TABLE listed_f_remote;
DROP USER MAPPING FOR CURRENT_USER SERVER listed_loopback;
DROP SERVER listed_loopback;
DROP EXTENSION postgres_fdw;

-- a Citus table (a relation named in Citus's catalog pg_dist_partition) is
-- read through the executor, never its node-local storage, even with indexes
SET allow_system_table_mods = on;
CREATE TABLE pg_catalog.pg_dist_partition (logicalrelid regclass, partmethod "char");
RESET allow_system_table_mods;
CREATE TABLE listed_t_citus (id bigint PRIMARY KEY);
INSERT INTO listed_t_citus VALUES (7);
INSERT INTO pg_catalog.pg_dist_partition VALUES ('listed_t_citus', 'n');
SELECT listed(7::bigint, 'listed_t_citus') AS seven, listed(8::bigint, 'listed_t_citus') AS eight;
SELECT filter, probe_index, confirm, note FROM listed_explain('listed_t_citus');
SET force_parallel_mode = on;
SELECT listed(7::bigint, 'listed_t_citus');
RESET force_parallel_mode;
-- a distributed (hash) table says so; a view over a Citus table uses
-- neither the node's blacklist index nor a hash of the list
CREATE TABLE listed_t_citus_dist (id bigint PRIMARY KEY);
INSERT INTO listed_t_citus_dist VALUES (7);
CREATE INDEX ON listed_t_citus_dist USING blacklist (id);
INSERT INTO pg_catalog.pg_dist_partition VALUES ('listed_t_citus_dist', 'h');
CREATE VIEW listed_v_citus AS SELECT id FROM listed_t_citus_dist;
SELECT filter, probe_index, confirm, note FROM listed_explain('listed_t_citus_dist');
SELECT filter, probe_index, confirm, note FROM listed_explain('listed_v_citus');
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_v_citus')) AS hits FROM generate_series(1, 40) g;
SELECT probed, spi FROM listed_explain('listed_v_citus');
DROP VIEW listed_v_citus;
DROP TABLE pg_catalog.pg_dist_partition;
DROP TABLE listed_t_citus, listed_t_citus_dist;

-- bounded memory: 2,000 temporary lists created, screened (directly and
-- through a view, whose plan is kept) and dropped in one session leave the
-- session's memory where it was (measured after 100 lists have warmed the
-- catalog caches; the local buffers of temporary tables, bounded by
-- temp_buffers, are left out)
CREATE PROCEDURE listed_p_lists(n int) LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
  FOR g IN 1..n LOOP
    EXECUTE format('CREATE TEMP TABLE listed_tmp_%s (id bigint PRIMARY KEY, valid daterange)', g);
    EXECUTE format('INSERT INTO listed_tmp_%s SELECT generate_series(1, 20), NULL', g);
    EXECUTE format('CREATE TEMP VIEW listed_tmpv_%s AS SELECT id FROM listed_tmp_%s', g, g);
    EXECUTE format('SELECT listed(5::bigint, %L) AND NOT listed(50::bigint, %L) AND NOT listed(5::bigint, %L, current_date)
                           AND listed(5::bigint, %L) AND NOT listed(50::bigint, %L)',
                   'listed_tmp_' || g, 'listed_tmp_' || g, 'listed_tmp_' || g,
                   'listed_tmpv_' || g, 'listed_tmpv_' || g) INTO ok;
    IF NOT ok THEN RAISE EXCEPTION 'list % answered wrongly', g; END IF;
    EXECUTE format('DROP TABLE listed_tmp_%s CASCADE', g);
    COMMIT;
  END LOOP;
END $$;
CALL listed_p_lists(100);
SELECT sum(total_bytes) AS mem_before FROM pg_backend_memory_contexts WHERE name <> 'LocalBufferContext' \gset
CALL listed_p_lists(2000);
SELECT sum(total_bytes) AS mem_after FROM pg_backend_memory_contexts WHERE name <> 'LocalBufferContext' \gset
SELECT :mem_after - :mem_before < 3 * 1024 * 1024 AS memory_bounded,
       (SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'listed() list') <= 64 AS lists_bounded;
DROP PROCEDURE listed_p_lists(int);

-- catalog: volatility, strictness, parallel safety
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p WHERE p.proname IN ('listed', 'listed_last_build', 'listed_explain') ORDER BY p.oid::regprocedure::text COLLATE "C";

-- lists of any shape (issue 18): the subject column is the blacklist
-- index's key column, else the first column (1.1), else an indexed
-- column, else the only column of the subject's type; the validity column
-- the only daterange (or the one after the subject)
CREATE TABLE listed_t_bl (id serial PRIMARY KEY, subject cnid, list text, valid daterange);
CREATE INDEX ON listed_t_bl USING blacklist (subject);
INSERT INTO listed_t_bl (subject, list, valid) VALUES
  ('11010519491231002X', 'fraud', '[2020-01-01,2030-01-01)'), ('440524188001010014', 'fraud', NULL);
SELECT listed('11010519491231002X'::cnid, 'listed_t_bl') AS listed,
       listed('11010519491231002X'::cnid, 'listed_t_bl', date '2024-06-01') AS listed_at,
       listed('440524188001010014'::cnid, 'listed_t_bl', date '2024-06-01') AS null_validity,
       listed('440524188001010014'::cnid, 'listed_t_bl') AS undated;
SELECT e->>'list' AS list FROM listed_entries('11010519491231002X'::cnid, 'listed_t_bl', date '2024-06-01') e;
SELECT * FROM listed_shape('listed_t_bl');
SELECT filter, confirm, advice FROM listed_explain('listed_t_bl');
-- a bigint subject on the same list: its first column is integer, no bigint column
\set VERBOSITY default
SELECT listed(1::bigint, 'listed_t_bl');
\set VERBOSITY terse
-- rule order
CREATE TABLE listed_t_rule1 (a bigint, b bigint, c bigint);   -- the first column
CREATE TABLE listed_t_rule2 (a bigint, b bigint, c bigint);   -- the blacklist index over the first column
CREATE INDEX ON listed_t_rule2 USING blacklist (c);
CREATE INDEX ON listed_t_rule2 (b);
CREATE TABLE listed_t_rule3 (a int, b text, c bigint, d bigint);  -- an indexed column (btree or hash)
CREATE INDEX ON listed_t_rule3 USING hash (d);
CREATE TABLE listed_t_rule4 (a int, b text, c bigint);        -- the only column of the type
INSERT INTO listed_t_rule1 VALUES (1, 2, 3);
INSERT INTO listed_t_rule2 VALUES (1, 2, 3);
INSERT INTO listed_t_rule3 VALUES (1, 'x', 3, 4);
INSERT INTO listed_t_rule4 VALUES (1, 'x', 3);
SELECT l, (listed_shape(l)).subject_column,
       listed(1::bigint, l) AS one, listed(2::bigint, l) AS two, listed(3::bigint, l) AS three, listed(4::bigint, l) AS four
  FROM unnest('{listed_t_rule1,listed_t_rule2,listed_t_rule3,listed_t_rule4}'::regclass[]) l;
-- ambiguity is an error naming the candidates
\set VERBOSITY default
CREATE TABLE listed_t_amb (id int, a text, b text);
-- the only text column is no subject by rule 4 (an untyped literal is
-- screened as text: a name or reason column must not answer for ids)
SELECT listed('x', 'listed_t_amb');
SELECT * FROM listed_entries('x'::text, 'listed_t_amb');
-- two bigint columns without an index: ambiguous, naming both
CREATE TABLE listed_t_amb3 (id int, a bigint, b bigint);
SELECT listed(1::bigint, 'listed_t_amb3');
DROP TABLE listed_t_amb3;
SELECT * FROM listed_shape('listed_t_amb');
-- no subject type given (listed_shape, listed_explain): two identifier
-- columns are ambiguous, not a reason to take the bigint one
CREATE TABLE listed_t_amb2 (n int, a cnid, b cnid, c bigint);
SELECT * FROM listed_shape('listed_t_amb2');
SELECT * FROM listed_explain('listed_t_amb2');
DROP TABLE listed_t_amb2;
CREATE INDEX ON listed_t_amb USING blacklist (b);
SELECT listed('x', 'listed_t_amb'), (listed_shape('listed_t_amb')).subject_column;
CREATE INDEX ON listed_t_amb USING blacklist (a);
SELECT listed('x', 'listed_t_amb');
CREATE TABLE listed_t_twodates (k cnid, reason text, since daterange, noted daterange);
SELECT listed('11010519491231002X'::cnid, 'listed_t_twodates', current_date);
SELECT confirm AS undated_works FROM listed_explain('listed_t_twodates');
CREATE TABLE listed_t_twodates2 (k cnid, valid daterange, noted daterange);
SELECT listed('11010519491231002X'::cnid, 'listed_t_twodates2', current_date), validity_column
  FROM listed_shape('listed_t_twodates2');
\set VERBOSITY terse
DROP TABLE listed_t_amb, listed_t_twodates, listed_t_twodates2;
-- listed_explain: the identifier column before a bigserial key
CREATE TABLE listed_t_serial (id bigserial PRIMARY KEY, person uscc, valid daterange);
SELECT * FROM listed_shape('listed_t_serial');
-- listed_lists: only lists (a blacklist index, or an identifier subject
-- beside a daterange of validity), not a staff table
CREATE TABLE listed_t_staff (person cnid PRIMARY KEY, name text, hired date);
SELECT list, subject_column, subject_type, blacklist_index, btree_index, validity_column FROM listed_lists
 WHERE list::text LIKE 'listed_t_%' ORDER BY list::text;

-- every advice listed_explain gives is a statement that runs: executed
-- until none is left, on lists of every shape
CREATE SCHEMA "listed Odd";
CREATE DOMAIN listed_d_cnid AS cnid;
CREATE TABLE "listed Odd"."Adv 1" (n int, "Who Is" listed_d_cnid, valid daterange);
CREATE TABLE listed_t_adv2 (staff varchar(20), valid daterange);
CREATE TABLE listed_t_adv3 (name text COLLATE listed_ci, note int);
CREATE TABLE listed_t_adv4 (name text COLLATE "C");
CREATE TABLE listed_t_adv5 (id bigint);
CREATE TABLE listed_t_adv6 (id int, code uscc);
CREATE INDEX ON listed_t_adv6 USING blacklist (code);
CREATE FUNCTION listed_f_follow_advice(l regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE a text; done text := '';
BEGIN
  FOR i IN 1..3 LOOP
    SELECT advice INTO a FROM listed_explain(l);
    EXIT WHEN a IS NULL;
    EXECUTE a;
    done := done || split_part(a, ';', 1) || E'\n';
  END LOOP;
  RETURN done || coalesce('still advised: ' || a, 'no advice left');
END $$;
SELECT l, listed_f_follow_advice(l)
  FROM unnest('{"\"listed Odd\".\"Adv 1\"",listed_t_adv2,listed_t_adv3,listed_t_adv4,listed_t_adv5,listed_t_adv6,listed_t_bl,listed_t_rule3}'::regclass[]) l;
SELECT filter IS NOT NULL AS has_filter, probe_index IS NOT NULL AS has_btree
  FROM unnest('{"\"listed Odd\".\"Adv 1\"",listed_t_adv2,listed_t_adv4,listed_t_adv5,listed_t_adv6}'::regclass[]) l,
       listed_explain(l);
DROP FUNCTION listed_f_follow_advice(regclass);
DROP SCHEMA "listed Odd" CASCADE;
DROP TABLE listed_t_adv2, listed_t_adv3, listed_t_adv4, listed_t_adv5, listed_t_adv6;
DROP DOMAIN listed_d_cnid;

-- randomized: listed() = EXISTS over every shape (subject column first,
-- in the middle or last; blacklist, btree, hash or no index; a view over
-- it; dated), many lists in one statement
SELECT setseed(0.18);
CREATE TABLE listed_t_shapes (shape text, list regclass, subject text, validity text);
CREATE PROCEDURE listed_p_shapes() LANGUAGE plpgsql AS $$
DECLARE pos int; idx text; n int := 0; cols text; t text;
BEGIN
  FOREACH idx IN ARRAY ARRAY['none', 'blacklist', 'btree', 'hash', 'blacklist+btree'] LOOP
    FOR pos IN 1..3 LOOP
      n := n + 1;
      t := 'listed_t_shape_' || n;
      cols := CASE pos WHEN 1 THEN 'k bigint, valid daterange, note text, x int'
                       WHEN 2 THEN 'x int, k bigint, note text, valid daterange'
                       ELSE 'x int, note text, valid daterange, k bigint' END;
      EXECUTE format('CREATE TABLE %I (%s)', t, cols);
      EXECUTE format('INSERT INTO %I (k, valid, note, x)
                      SELECT (random() * 400)::bigint,
                             CASE WHEN random() < 0.2 THEN NULL
                                  ELSE daterange(d, d + (random() * 90)::int + 1) END,
                             ''n'', 0
                        FROM (SELECT date ''2024-01-01'' + (random() * 300)::int AS d
                                FROM generate_series(1, 300)) s', t);
      IF idx LIKE '%blacklist%' THEN EXECUTE format('CREATE INDEX ON %I USING blacklist (k)', t); END IF;
      IF idx LIKE '%btree%' THEN EXECUTE format('CREATE INDEX ON %I (k)', t); END IF;
      IF idx = 'hash' THEN EXECUTE format('CREATE INDEX ON %I USING hash (k)', t); END IF;
      INSERT INTO listed_t_shapes VALUES (idx || ' @' || pos, t::regclass, 'k', 'valid');
      EXECUTE format('CREATE VIEW %I AS SELECT note, valid, k FROM %I WHERE x = 0', t || '_v', t);
      INSERT INTO listed_t_shapes VALUES (idx || ' @' || pos || ' view', (t || '_v')::regclass, 'k', 'valid');
    END LOOP;
  END LOOP;
END $$;
CALL listed_p_shapes();
SELECT count(*) AS shapes, count(*) FILTER (WHERE (listed_shape(list)).subject_column = 'k'
                                              AND (listed_shape(list)).validity_column = 'valid') AS read_right
  FROM listed_t_shapes;
CREATE FUNCTION listed_f_exists(l regclass, k bigint, at date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE r boolean;
BEGIN
  IF at IS NULL THEN EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE k = $1)', l) INTO r USING k;
  ELSE EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE k = $1 AND valid @> $2)', l) INTO r USING k, at;
  END IF;
  RETURN r;
END $$;
SELECT count(*) AS probes,
       count(*) FILTER (WHERE listed(p.k, s.list) IS DISTINCT FROM listed_f_exists(s.list, p.k, NULL)) AS undated_differ,
       count(*) FILTER (WHERE listed(p.k, s.list, p.at) IS DISTINCT FROM listed_f_exists(s.list, p.k, p.at)) AS dated_differ,
       count(*) FILTER (WHERE listed(p.k, s.list)) > 0 AS some_hits
  FROM listed_t_shapes s,
       (SELECT (random() * 450)::bigint AS k, date '2024-01-01' + (random() * 400)::int AS at
          FROM generate_series(1, 150)) p;
DROP FUNCTION listed_f_exists(regclass, bigint, date);
DROP PROCEDURE listed_p_shapes();
DO $$DECLARE r record; BEGIN
  FOR r IN SELECT list FROM listed_t_shapes WHERE shape NOT LIKE '%view' LOOP
    EXECUTE format('DROP TABLE %s CASCADE', r.list);
  END LOOP;
END $$;
-- the list's hash (no btree): where a row-level security policy applies,
-- read through SPI under the policy (after 16 SPI probes, whatever the
-- keys), never from the table's rows directly; not for a list larger than
-- work_mem; the answers stay those of the EXISTS
CREATE TABLE listed_t_rlsnoix (k bigint, owner name);
INSERT INTO listed_t_rlsnoix SELECT g, CASE WHEN g % 2 = 0 THEN 'listed_role_a' ELSE 'nobody' END FROM generate_series(1, 100) g;
GRANT SELECT ON listed_t_rlsnoix TO listed_role_a;
ALTER TABLE listed_t_rlsnoix ENABLE ROW LEVEL SECURITY;
CREATE POLICY listed_t_rlsnoix_own ON listed_t_rlsnoix USING (owner = current_user);
BEGIN;
SET LOCAL ROLE listed_role_a;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rlsnoix')) AS hits FROM generate_series(1, 100) g;
SELECT confirm, probed, spi FROM listed_explain('listed_t_rlsnoix');
ROLLBACK;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_rlsnoix')) AS hits FROM generate_series(1, 100) g;
SELECT confirm, probed, spi FROM listed_explain('listed_t_rlsnoix');
DROP TABLE listed_t_rlsnoix;
CREATE TABLE listed_t_big (k bigint);
INSERT INTO listed_t_big SELECT generate_series(1, 20000);
SET work_mem = 64;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'listed_t_big')) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, 'listed_t_big') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM listed_t_big l WHERE l.k = g)) AS differ
  FROM generate_series(19950, 20050) g;
SELECT confirm, probed > 0 AS hashed, spi > 0 AS through_spi FROM listed_explain('listed_t_big');
RESET work_mem;
DROP TABLE listed_t_big;
-- keys stored out of line (TOAST) are fetched into the hash
CREATE TABLE listed_t_long (k text);
ALTER TABLE listed_t_long ALTER COLUMN k SET STORAGE EXTERNAL;
INSERT INTO listed_t_long
SELECT (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 200) i) FROM generate_series(1, 3) g;
SELECT count(*) FILTER (WHERE listed(k, 'listed_t_long')) AS listed,
       count(*) FILTER (WHERE listed(k || 'x', 'listed_t_long')) AS other
  FROM listed_t_long;
SELECT confirm FROM listed_explain('listed_t_long');
DROP TABLE listed_t_long;
-- work_mem bounds the hash whatever the keys' size: 40 keys of 6400 bytes
-- (250 kB) within 64 kB go through SPI (the bound was checked only every
-- 1024 rows, so a list of few long keys was hashed whole)
CREATE TABLE listed_t_longkeys (k text);
ALTER TABLE listed_t_longkeys ALTER COLUMN k SET STORAGE EXTERNAL;
INSERT INTO listed_t_longkeys
SELECT (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 200) i) FROM generate_series(1, 40) g;
SET work_mem = 64;
SELECT count(*) FILTER (WHERE listed(k, 'listed_t_longkeys')) AS listed,
       count(*) FILTER (WHERE listed(k || 'x', 'listed_t_longkeys')) AS other
  FROM listed_t_longkeys;
SELECT confirm, probed > 0 AS hashed, spi > 0 AS through_spi FROM listed_explain('listed_t_longkeys');
RESET work_mem;
DROP TABLE listed_t_longkeys;
DROP TABLE listed_t_shapes, listed_t_bl, listed_t_rule1, listed_t_rule2, listed_t_rule3, listed_t_rule4,
  listed_t_serial, listed_t_staff;

DROP TABLE listed_t_secret;
DROP FUNCTION listed_f_rls_a(bigint), listed_f_rls_b(bigint), listed_f_tenants(), listed_f_tenant_hits(),
  listed_f_owndel(), listed_f_owndel2(), listed_f_trig() CASCADE;
DROP VIEW listed_v_tenant, listed_v_trig;
DROP TABLE listed_t_rls, listed_t_tenant_bans, listed_t_trig, listed_t_owndel, listed_t_owndel2, listed_t_dellog, listed_t_noindex;
-- a call site's decision follows the security context, not only the user:
-- inside a referential integrity check the owner of a list with FORCE ROW
-- LEVEL SECURITY bypasses its policy (a list hash of every row); the same
-- call site called afterwards must not answer from that decision (a
-- function in the subtype's btree opclass of a range key runs in the check)
GRANT CREATE ON SCHEMA public TO listed_role_a;
SET ROLE listed_role_a;
CREATE TABLE listed_t_force (k bigint);
INSERT INTO listed_t_force SELECT generate_series(1, 10);
ALTER TABLE listed_t_force ENABLE ROW LEVEL SECURITY;
ALTER TABLE listed_t_force FORCE ROW LEVEL SECURITY;
CREATE POLICY listed_t_force_even ON listed_t_force USING (k % 2 = 0);
CREATE FUNCTION listed_f_force(bigint) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN RETURN listed($1, 'listed_t_force'); END $$;
CREATE FUNCTION listed_f_force_cmp(bigint, bigint) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN PERFORM listed_f_force($1); RETURN btint8cmp($1, $2); END $$;
RESET ROLE;
CREATE OPERATOR CLASS listed_force_ops FOR TYPE bigint USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 listed_f_force_cmp(bigint, bigint);
CREATE TYPE listed_force_range AS RANGE (subtype = bigint, subtype_opclass = listed_force_ops);
SET ROLE listed_role_a;
CREATE TABLE listed_t_force_pk (id listed_force_range PRIMARY KEY);
INSERT INTO listed_t_force_pk VALUES (listed_force_range(3, 4));
CREATE TABLE listed_t_force_fk (id listed_force_range REFERENCES listed_t_force_pk (id));
BEGIN;
INSERT INTO listed_t_force_fk SELECT id FROM listed_t_force_pk;
SELECT listed_f_force(3) AS listed, EXISTS (SELECT 1 FROM listed_t_force WHERE k = 3) AS exists;
ROLLBACK;
DROP TABLE listed_t_force_fk, listed_t_force_pk, listed_t_force;
RESET ROLE;
DROP TYPE listed_force_range;
DROP OPERATOR FAMILY listed_force_ops USING btree;
DROP FUNCTION listed_f_force_cmp(bigint, bigint), listed_f_force(bigint);
REVOKE CREATE ON SCHEMA public FROM listed_role_a;
DROP ROLE listed_role_a, listed_role_b;
REVOKE USAGE ON SCHEMA public FROM listed_reader;
DROP ROLE listed_reader;
DROP FUNCTION listed_f_add_and_check(text), listed_f_del_and_check(text);
DROP VIEW listed_v_staff;
DROP TABLE listed_t_names, listed_t_ids, listed_t_nullkeys, listed_t_varchar, listed_t_ci,
  listed_t_bans, listed_t_int, listed_t_nodates;
DROP SEQUENCE listed_s;
DROP COLLATION listed_ci;
