--
-- the screening scan (src/listed_scan.c): a restriction listed(col, list)
-- or NOT listed(...) on a table scan is answered a page at a time, exactly
-- as listed() per row would
--
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

CREATE TABLE scan_list (id bigint, valid daterange);
INSERT INTO scan_list SELECT g * 7, CASE WHEN g % 3 = 0 THEN daterange('2020-01-01', '2021-01-01') END
  FROM generate_series(1, 3000) g;
CREATE INDEX ON scan_list (id);
CREATE INDEX scan_list_bl ON scan_list USING blacklist (id);
CREATE TABLE scan_probe (k bigint, d date, tenant text);
INSERT INTO scan_probe SELECT g, date '2019-06-01' + (g % 900), CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
  FROM generate_series(1, 30000) g;
INSERT INTO scan_probe VALUES (NULL, date '2020-06-01', 'a'), (7, NULL, 'a');
ANALYZE scan_list, scan_probe;

-- the plans: the node takes the restriction; the selectivity is the list's
-- rows over the column's distinct values, not a third
EXPLAIN (COSTS OFF) SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list');
EXPLAIN (COSTS OFF) SELECT * FROM scan_probe WHERE NOT listed(k, 'scan_list', d) AND tenant = 'a';
CREATE FUNCTION scan_estimate(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
  RETURN (j -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'Plan Rows')::bigint;
END $$;
SELECT scan_estimate($$SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list')$$) AS listed_estimate,
       scan_estimate($$SELECT count(*) FROM scan_probe WHERE NOT listed(k, 'scan_list')$$) AS not_listed_estimate;

-- the counters: every non-NULL subject screened, the filter's "no"s, the
-- candidates it left and those the btree confirmed
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT count(*) FROM scan_probe WHERE NOT listed(k, 'scan_list', d) AND tenant = 'a';

-- an expression subject the node may evaluate a page ahead: it cannot
-- raise for a row's values (LEAKPROOF; k * 7 itself could overflow, and
-- would keep the sequential scan)
CREATE FUNCTION scan_x7(k bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT LEAKPROOF
  AS $$ BEGIN RETURN k * 7; END $$;
-- the answers are listed()'s, with the node and without it
CREATE FUNCTION scan_answers() RETURNS TABLE (q text, node bigint, per_row bigint, "exists" bigint)
LANGUAGE plpgsql AS $$
DECLARE
  queries text[][] := ARRAY[
    ARRAY['listed', $q$SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list')$q$,
          $q$SELECT count(*) FROM scan_probe p WHERE EXISTS (SELECT 1 FROM scan_list l WHERE l.id = p.k)$q$],
    ARRAY['not listed', $q$SELECT count(*) FROM scan_probe WHERE NOT listed(k, 'scan_list')$q$,
          $q$SELECT count(*) FROM scan_probe p WHERE k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scan_list l WHERE l.id = p.k)$q$],
    ARRAY['dated', $q$SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list', d)$q$,
          $q$SELECT count(*) FROM scan_probe p WHERE EXISTS (SELECT 1 FROM scan_list l WHERE l.id = p.k AND l.valid @> p.d)$q$],
    ARRAY['not dated', $q$SELECT count(*) FROM scan_probe WHERE NOT listed(k, 'scan_list', d)$q$,
          $q$SELECT count(*) FROM scan_probe p WHERE k IS NOT NULL AND d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scan_list l WHERE l.id = p.k AND l.valid @> p.d)$q$],
    ARRAY['expression', $q$SELECT count(*) FROM scan_probe WHERE listed(scan_x7(k), 'scan_list') AND tenant = 'b'$q$,
          $q$SELECT count(*) FROM scan_probe p WHERE tenant = 'b' AND EXISTS (SELECT 1 FROM scan_list l WHERE l.id = p.k * 7)$q$]];
  i int;
BEGIN
  FOR i IN 1 .. array_length(queries, 1) LOOP
    q := queries[i][1];
    SET LOCAL integrity.screening_scan = on;
    EXECUTE queries[i][2] INTO node;
    SET LOCAL integrity.screening_scan = off;
    EXECUTE queries[i][2] INTO per_row;
    EXECUTE queries[i][3] INTO "exists";
    RETURN NEXT;
  END LOOP;
  SET LOCAL integrity.screening_scan = on;
END $$;
SELECT * FROM scan_answers();

-- the statement's own writes: a trigger adds each updated key + 1 to the
-- list; the scan's snapshot does not see them (as listed() per row)
CREATE TABLE scan_small AS SELECT g AS k FROM generate_series(1, 400) g;
CREATE FUNCTION scan_add_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO scan_list VALUES (NEW.k + 1, NULL);
  RETURN NEW;
END $$;
CREATE TRIGGER scan_add_next BEFORE UPDATE ON scan_small FOR EACH ROW EXECUTE FUNCTION scan_add_next();
BEGIN;
EXPLAIN (COSTS OFF) UPDATE scan_small SET k = k WHERE NOT listed(k, 'scan_list');
UPDATE scan_small SET k = k WHERE NOT listed(k, 'scan_list');
SELECT count(*) AS now_listed FROM scan_small WHERE listed(k, 'scan_list');
ROLLBACK;
BEGIN;
SET LOCAL integrity.screening_scan = off;
UPDATE scan_small SET k = k WHERE NOT listed(k, 'scan_list');
SELECT count(*) AS now_listed FROM scan_small WHERE listed(k, 'scan_list');
ROLLBACK;

-- rescans: the node in a subquery run again for every outer row
CREATE TABLE scan_outer AS SELECT g AS x FROM generate_series(1, 5) g;
ANALYZE scan_outer;
EXPLAIN (COSTS OFF)
SELECT x, (SELECT count(*) FROM scan_small s WHERE listed(scan_x7(s.k), 'scan_list') AND s.k > o.x) FROM scan_outer o;
SELECT x, (SELECT count(*) FROM scan_small s WHERE listed(scan_x7(s.k), 'scan_list') AND s.k > o.x) AS node,
       (SELECT count(*) FROM scan_small s WHERE EXISTS (SELECT 1 FROM scan_list l WHERE l.id = s.k * 7) AND s.k > o.x) AS "exists"
  FROM scan_outer o ORDER BY x;

-- batches: the candidates of many pages are confirmed together (64 at
-- first, doubling up to 4096), then returned in the order they were read.
-- scan_many: 20000 rows, every key listed (each 3000 key six or seven
-- times), then 5000 unlisted; the answers, their order (the rows' ctids in
-- the order returned) and the rows an UPDATE and FOR UPDATE take, with the
-- node and without it
CREATE TABLE scan_many (g int, k bigint, d date, tag bool DEFAULT false);
INSERT INTO scan_many SELECT g, (g % 3000 + 1) * 7, date '2019-06-01' + (g * 37 % 900)
  FROM generate_series(1, 20000) g;
INSERT INTO scan_many SELECT g, g * 7 + 1, date '2020-06-01' FROM generate_series(20001, 25000) g;
ANALYZE scan_many;
CREATE FUNCTION scan_costly(g int) RETURNS bool LANGUAGE plpgsql STABLE COST 100000 AS $$
BEGIN
  RETURN g % 3 <> 0;
END $$;
CREATE FUNCTION scan_batches(node bool) RETURNS TABLE (q text, n bigint, ctids text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('integrity.screening_scan', node::text, true);
  q := 'listed';
  SELECT count(*), md5(string_agg(ctid::text, ',')) INTO n, ctids FROM scan_many WHERE listed(k, 'scan_list');
  RETURN NEXT;
  q := 'dated';
  SELECT count(*), md5(string_agg(ctid::text, ',')) INTO n, ctids FROM scan_many WHERE listed(k, 'scan_list', d);
  RETURN NEXT;
  q := 'quals after';
  SELECT count(*), md5(string_agg(ctid::text, ',')) INTO n, ctids FROM scan_many WHERE listed(k, 'scan_list') AND scan_costly(g);
  RETURN NEXT;
  q := 'for update';
  SELECT count(*), md5(string_agg(c::text, ',')) INTO n, ctids
    FROM (SELECT ctid AS c FROM scan_many WHERE listed(k, 'scan_list') AND g % 4 = 0 FOR UPDATE) s;
  RETURN NEXT;
END $$;
EXPLAIN (COSTS OFF) SELECT count(*) FROM scan_many WHERE listed(k, 'scan_list') AND scan_costly(g);
SELECT * FROM scan_batches(true);
SELECT * FROM scan_batches(false);
BEGIN;
UPDATE scan_many SET tag = true WHERE listed(k, 'scan_list', d) AND scan_costly(g);
SELECT count(*), md5(string_agg(g::text, ',' ORDER BY g)) FROM scan_many WHERE tag;
ROLLBACK;
BEGIN;
SET LOCAL integrity.screening_scan = off;
UPDATE scan_many SET tag = true WHERE listed(k, 'scan_list', d) AND scan_costly(g);
SELECT count(*), md5(string_agg(g::text, ',' ORDER BY g)) FROM scan_many WHERE tag;
ROLLBACK;
-- the decision made again in the middle of a batch: the subject
-- expression rolls back a subtransaction every 500th row (what listed()'s
-- call-site stamp and the node's decision compare), the candidates held
-- are confirmed first; the rows and their order as without the node
CREATE FUNCTION scan_flaky(k bigint, g int) RETURNS bigint LANGUAGE plpgsql STABLE LEAKPROOF AS $$
BEGIN
  IF g % 500 = 0 THEN
    BEGIN
      PERFORM 1 / 0;
    EXCEPTION WHEN division_by_zero THEN
      NULL;
    END;
  END IF;
  RETURN k;
END $$;
SELECT count(*), md5(string_agg(ctid::text, ',')) FROM scan_many WHERE listed(scan_flaky(k, g), 'scan_list');
SET integrity.screening_scan = off;
SELECT count(*), md5(string_agg(ctid::text, ',')) FROM scan_many WHERE listed(scan_flaky(k, g), 'scan_list');
RESET integrity.screening_scan;
-- a LIMIT reads a batch (here all of the first page's rows are candidates:
-- one page), not the table
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT g FROM scan_many WHERE listed(k, 'scan_list') LIMIT 3;
SELECT g FROM scan_many WHERE listed(k, 'scan_list') LIMIT 3;
-- a rescan in the middle of a batch: each outer row's subquery stops after
-- three rows; nothing of the previous batch is returned again
SELECT x, (SELECT array_agg(g) FROM (SELECT g FROM scan_many s WHERE listed(s.k, 'scan_list') AND s.g % 5 = o.x - 1 LIMIT 3) a) AS node
  FROM scan_outer o ORDER BY x;
SET integrity.screening_scan = off;
SELECT x, (SELECT array_agg(g) FROM (SELECT g FROM scan_many s WHERE listed(s.k, 'scan_list') AND s.g % 5 = o.x - 1 LIMIT 3) a) AS per_row
  FROM scan_outer o ORDER BY x;
RESET integrity.screening_scan;
EXPLAIN (COSTS OFF)
SELECT x, (SELECT count(*) FROM scan_many s WHERE listed(s.k, 'scan_list', s.d) AND s.g % 5 = o.x - 1) FROM scan_outer o;
SELECT x, (SELECT count(*) FROM scan_many s WHERE listed(s.k, 'scan_list', s.d) AND s.g % 5 = o.x - 1) AS node,
       (SELECT count(*) FROM scan_many s WHERE EXISTS (SELECT 1 FROM scan_list l WHERE l.id = s.k AND l.valid @> s.d) AND s.g % 5 = o.x - 1) AS "exists"
  FROM scan_outer o ORDER BY x;

-- lists the node does not screen: listed() per row, with its reason
CREATE TABLE scan_nofilter AS SELECT id FROM scan_list;
CREATE INDEX ON scan_nofilter (id);
CREATE VIEW scan_view AS SELECT id FROM scan_list WHERE id % 2 = 0;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_nofilter');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_view');
SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_view');
SET integrity.screening_scan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list');
RESET integrity.screening_scan;

-- roles: a plan cached by the owner, run by a role without SELECT on the
-- list (listed()'s error, decided at execution), and by a role under a
-- row-level security policy (listed() per row, under the policy)
CREATE ROLE scan_reader;
CREATE ROLE scan_tenant;
GRANT SELECT ON scan_probe, scan_small TO scan_reader, scan_tenant;
GRANT SELECT ON scan_list TO scan_tenant;
ALTER TABLE scan_list ENABLE ROW LEVEL SECURITY;
CREATE POLICY scan_low ON scan_list TO scan_tenant USING (id < 700);
PREPARE scan_q AS SELECT count(*) FROM scan_small WHERE listed(k, 'scan_list');
EXECUTE scan_q;
EXECUTE scan_q;
EXECUTE scan_q;
EXECUTE scan_q;
EXECUTE scan_q;
EXECUTE scan_q;
SET ROLE scan_tenant;
EXECUTE scan_q;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE scan_q;
RESET ROLE;
SET ROLE scan_reader;
EXECUTE scan_q;
RESET ROLE;
EXECUTE scan_q;
DEALLOCATE scan_q;
ALTER TABLE scan_list DISABLE ROW LEVEL SECURITY;

-- tenants: row-level security on the screened table, and a security
-- barrier view.  The policy and the cheaper restriction are evaluated
-- before the screened one, whose subject expression here says what it saw
-- (LEAKPROOF: a notice is no error; a function that may raise keeps the
-- sequential scan)
CREATE FUNCTION scan_peek(k bigint) RETURNS bigint LANGUAGE plpgsql STABLE LEAKPROOF AS $$
BEGIN
  RAISE NOTICE 'saw %', k;
  RETURN k;
END $$;
ALTER TABLE scan_probe ENABLE ROW LEVEL SECURITY;
CREATE POLICY scan_tenant_a ON scan_probe TO scan_tenant USING (tenant = 'a');
GRANT SELECT ON scan_list TO scan_tenant;
SET ROLE scan_tenant;
SET client_min_messages = notice;
EXPLAIN (COSTS OFF) SELECT k FROM scan_probe WHERE listed(scan_peek(k), 'scan_list') AND k BETWEEN 10 AND 14;
SELECT k FROM scan_probe WHERE listed(scan_peek(k), 'scan_list') AND k BETWEEN 10 AND 14 ORDER BY k;
SET client_min_messages = warning;
RESET ROLE;
ALTER TABLE scan_probe DISABLE ROW LEVEL SECURITY;
CREATE VIEW scan_tenant_view WITH (security_barrier) AS
  SELECT * FROM scan_probe WHERE tenant = 'a' AND k BETWEEN 10 AND 14;
SET client_min_messages = notice;
-- listed() is not leakproof: not pushed into the view, no node
EXPLAIN (COSTS OFF) SELECT k FROM scan_tenant_view WHERE listed(scan_peek(k), 'scan_list');
SELECT k FROM scan_tenant_view WHERE listed(scan_peek(k), 'scan_list') ORDER BY k;
SET client_min_messages = warning;

-- the quals keep their order: without SELECT on the list, a restriction
-- that rejects every row first means no call and no error, with the node
-- as without it
SET ROLE scan_reader;
SELECT count(*) FROM scan_small WHERE k < 0 AND listed(k, 'scan_list');
RESET ROLE;
-- so for a list listed() refuses (no daterange for the dated form)
CREATE TABLE scan_undated (id bigint PRIMARY KEY);
CREATE INDEX ON scan_undated USING blacklist (id);
SELECT count(*) FROM scan_small WHERE k < 0 AND listed(k, 'scan_undated', current_date);
SELECT count(*) FROM scan_small WHERE listed(k, 'scan_undated', current_date);
DROP TABLE scan_undated;

-- no relation of the list stays open after the statement: a loop of
-- screening statements, then TRUNCATE of the list in the same block
CREATE TABLE scan_trunc (id bigint);
INSERT INTO scan_trunc SELECT g FROM generate_series(1, 50) g;
CREATE INDEX ON scan_trunc (id);
CREATE INDEX ON scan_trunc USING blacklist (id);
DO $$
DECLARE n bigint; total bigint := 0;
BEGIN
  FOR i IN 1 .. 5 LOOP
    SELECT count(*) INTO n FROM scan_small WHERE listed(k, 'scan_trunc');
    total := total + n;
  END LOOP;
  TRUNCATE scan_trunc;
  SELECT count(*) INTO n FROM scan_small WHERE listed(k, 'scan_trunc');
  RAISE WARNING 'listed % times, then % after TRUNCATE', total, n;
END $$;

-- parallel: Gather over the node, the same answers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list');
SELECT count(*) FROM scan_probe WHERE listed(k, 'scan_list');
SELECT count(*) FROM scan_probe WHERE NOT listed(k, 'scan_list', d);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- memory: what a page evaluates (a subject expression's values) is freed
-- with the page, not kept until the end of the query (it grew with every
-- row: 40 kB a row with a 10 kB subject, a 10M-row screening ran out of
-- memory)
SET max_parallel_workers_per_gather = 0;
CREATE TABLE scan_mem_list (s text);
INSERT INTO scan_mem_list SELECT 'x' || g FROM generate_series(1, 100) g;
CREATE INDEX ON scan_mem_list (s);
CREATE INDEX ON scan_mem_list USING blacklist (s);
CREATE TABLE scan_mem_probe (id int, s text);
INSERT INTO scan_mem_probe SELECT g, 'y' || g FROM generate_series(1, 6000) g;
-- a subject expression that allocates a new value per row (LEAKPROOF, so
-- that the node is planned: it cannot raise)
CREATE FUNCTION scan_pad(s text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT LEAKPROOF
  AS $$ BEGIN RETURN rpad(s, 2000); END $$;
ANALYZE scan_mem_list, scan_mem_probe;
CREATE FUNCTION scan_memory(int) RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT sum(total_bytes)::bigint FROM pg_catalog.pg_backend_memory_contexts WHERE $1 > 0 $$;
EXPLAIN (COSTS OFF)
SELECT m FROM (SELECT CASE WHEN id % 1000 = 1 THEN scan_memory(id) END AS m
                 FROM scan_mem_probe WHERE NOT listed(scan_pad(s), 'scan_mem_list') OFFSET 0) x
 WHERE m IS NOT NULL;
SELECT count(m) AS measured, max(m) - min(m) < 1000000 AS bounded
  FROM (SELECT CASE WHEN id % 1000 = 1 THEN scan_memory(id) END AS m
          FROM scan_mem_probe WHERE NOT listed(scan_pad(s), 'scan_mem_list') OFFSET 0) x;
DROP TABLE scan_mem_list, scan_mem_probe;
DROP FUNCTION scan_memory(int), scan_pad(text);
RESET max_parallel_workers_per_gather;

-- a subject or a condition that may raise for a row's values (here a
-- division by zero at x = 50) keeps the sequential scan: the node evaluates
-- a page ahead, and a scan stopping early (LIMIT 1) must not raise for
-- rows it never reaches; leakproof comparisons keep the node
CREATE TABLE scan_raise (x int);
INSERT INTO scan_raise SELECT g FROM generate_series(1, 100) g;
ANALYZE scan_raise;
EXPLAIN (COSTS OFF)
SELECT x FROM scan_raise WHERE listed((100 / (50 - x))::bigint, 'scan_list') LIMIT 1;
SELECT count(*) AS rows_until_first FROM (
  SELECT x FROM scan_raise WHERE NOT listed((100 / (50 - x))::bigint, 'scan_list') LIMIT 1) f;
EXPLAIN (COSTS OFF)
SELECT x FROM scan_raise WHERE 100 / (50 - x) > 0 AND NOT listed(x::bigint, 'scan_list') LIMIT 1;
SELECT count(*) AS rows_until_first FROM (
  SELECT x FROM scan_raise WHERE 100 / (50 - x) > 0 AND NOT listed(x::bigint, 'scan_list') LIMIT 1) f;
EXPLAIN (COSTS OFF)
SELECT x FROM scan_raise WHERE x > 10 AND NOT listed(x::bigint, 'scan_list') LIMIT 1;
DROP TABLE scan_raise;

DROP VIEW scan_view, scan_tenant_view;
DROP TABLE scan_list, scan_probe, scan_small, scan_outer, scan_nofilter, scan_trunc, scan_many;
DROP FUNCTION scan_answers(), scan_add_next(), scan_estimate(text), scan_peek(bigint), scan_x7(bigint),
  scan_costly(int), scan_batches(bool), scan_flaky(bigint, int);
DROP OWNED BY scan_reader, scan_tenant;
DROP ROLE scan_reader, scan_tenant;
