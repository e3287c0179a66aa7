--
-- listed()'s per-call-site state across DDL (issue 22): the filter's handle
-- (src/blacklist.h) must never outlive what it was taken for.  A PL/pgSQL
-- loop keeps one call site (a simple expression whose list is a variable, so
-- that no cached plan depends on the list and is replanned away) across DDL
-- on the list in the same transaction; every answer is compared with
-- EXISTS.  Before each change the backend holds the filter's private copy
-- (taken after some hundred calls), and after it keys arrive that the old
-- copy never saw: a stale handle would answer "not listed" for them.
--
SET client_min_messages = notice;

CREATE TABLE lh_list (k bigint);
INSERT INTO lh_list SELECT g * 2 FROM generate_series(1, 1500) g;   -- even keys
CREATE INDEX lh_list_bt ON lh_list (k);
CREATE INDEX lh_list_bl ON lh_list USING blacklist (k);
ANALYZE lh_list;

-- does this backend hold a private copy of a blacklist index of the list?
-- (as the owner: the diagnostic refuses a role under row-level security)
CREATE FUNCTION lh_copy(lst regclass) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$
  SELECT bool_or((blacklist_index_stats(i.indexrelid)).private_copy)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
   WHERE i.indrelid = lst AND a.amname = 'blacklist'
$$;

-- disagreements of listed() with EXISTS over keys 1..n, the keys listed,
-- and whether this backend holds a private copy of a blacklist index of
-- the list (NULL: there is none)
CREATE FUNCTION lh_check(lst regclass, n int, OUT bad int, OUT hits int, OUT copy boolean)
LANGUAGE plpgsql AS $$
DECLARE l boolean; e boolean;
BEGIN
  bad := 0; hits := 0;
  FOR i IN 1..n LOOP
    l := listed(i::bigint, lst);
    e := EXISTS (SELECT 1 FROM lh_list WHERE k = i);
    IF l IS DISTINCT FROM e THEN bad := bad + 1; END IF;
    IF l THEN hits := hits + 1; END IF;
  END LOOP;
  copy := lh_copy(lst);
END $$;

CREATE FUNCTION lh_report(what text, r record) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE '%: % disagreements, % listed, private copy %', what, r.bad, r.hits,
    coalesce(r.copy::text, 'none');
END $$;

-- TRUNCATE after a loop of listed() in the same block: nothing of the list
-- is held open between calls ("cannot TRUNCATE ... because it is being used
-- by active queries in this session" otherwise); then new keys.
DO $$
DECLARE lst regclass := 'lh_list'; r record;
BEGIN
  r := lh_check(lst, 1000); PERFORM lh_report('even keys', r);
  TRUNCATE lh_list;
  r := lh_check(lst, 1000); PERFORM lh_report('after TRUNCATE', r);
  INSERT INTO lh_list SELECT g * 2 - 1 FROM generate_series(1, 1500) g;   -- odd keys
  r := lh_check(lst, 1000); PERFORM lh_report('odd keys after TRUNCATE', r);
  r := lh_check(lst, 1000); PERFORM lh_report('odd keys again', r);
  -- REINDEX: a new relfilenode; then keys the old copy never had
  REINDEX INDEX lh_list_bl;
  INSERT INTO lh_list SELECT g * 4 FROM generate_series(1, 250) g;
  r := lh_check(lst, 1000); PERFORM lh_report('after REINDEX and inserts', r);
  r := lh_check(lst, 1000); PERFORM lh_report('again', r);
  -- an invalidation of the index alone (not of the list: the call site's
  -- decision stands), then keys the copy never had
  ALTER INDEX lh_list_bl SET (bits_per_key = 12);
  INSERT INTO lh_list SELECT g * 4 + 2 FROM generate_series(0, 24) g;
  r := lh_check(lst, 1000); PERFORM lh_report('after ALTER INDEX and inserts', r);
  r := lh_check(lst, 1000); PERFORM lh_report('again', r);
  -- DROP INDEX mid-loop: the filter is gone, btree probes answer
  DROP INDEX lh_list_bl;
  INSERT INTO lh_list SELECT g * 8 + 2 FROM generate_series(0, 124) g;
  r := lh_check(lst, 1000); PERFORM lh_report('after DROP INDEX', r);
  CREATE INDEX lh_list_bl ON lh_list USING blacklist (k);
  r := lh_check(lst, 1000); PERFORM lh_report('after CREATE INDEX', r);
  r := lh_check(lst, 1000); PERFORM lh_report('again', r);
END $$;

-- TRUNCATE right after a query that called listed() on every row, and after
-- an index scan of the list, in one block
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM generate_series(1, 2000) g WHERE listed(g::bigint, 'lh_list');
  RAISE NOTICE 'listed by a query: %', n;
  TRUNCATE lh_list;
  SELECT count(*) INTO n FROM generate_series(1, 2000) g WHERE listed(g::bigint, 'lh_list');
  RAISE NOTICE 'after TRUNCATE: %', n;
END $$;
SELECT count(*) FROM lh_list;

-- a subtransaction that created the only blacklist index and used it rolls
-- back: the index is gone, and so must be its copy's answers
INSERT INTO lh_list SELECT g * 2 FROM generate_series(1, 1500) g;          -- even keys
DROP INDEX lh_list_bl;
DO $$
DECLARE lst regclass := 'lh_list'; r record;
BEGIN
  BEGIN
    CREATE INDEX lh_list_bl2 ON lh_list USING blacklist (k);
    r := lh_check(lst, 1000); PERFORM lh_report('with the new index', r);
    r := lh_check(lst, 1000); PERFORM lh_report('again', r);
    RAISE EXCEPTION 'roll back' USING ERRCODE = 'P0001';
  EXCEPTION WHEN raise_exception THEN
    RAISE NOTICE 'rolled back';
  END;
  INSERT INTO lh_list SELECT g * 2 - 1 FROM generate_series(1, 1500) g;   -- odd keys
  r := lh_check(lst, 1000); PERFORM lh_report('after the rollback', r);
  CREATE INDEX lh_list_bl ON lh_list USING blacklist (k);
  r := lh_check(lst, 1000); PERFORM lh_report('with a new index', r);
  r := lh_check(lst, 1000); PERFORM lh_report('again', r);
END $$;
SELECT count(*) FROM pg_class WHERE relname = 'lh_list_bl2';

-- roles: SET ROLE between calls of one call site, and row-level security
-- enabled mid-loop (the filter knows the keys of hidden rows)
TRUNCATE lh_list;
INSERT INTO lh_list SELECT g FROM generate_series(1, 600) g;
CREATE ROLE lh_reader;
CREATE ROLE lh_nosel;
GRANT SELECT ON lh_list TO lh_reader;
CREATE POLICY lh_low ON lh_list FOR SELECT TO lh_reader USING (k <= 300);
DO $$
DECLARE lst regclass := 'lh_list'; r record;
BEGIN
  r := lh_check(lst, 1000); PERFORM lh_report('owner', r);
  SET LOCAL ROLE lh_reader;
  r := lh_check(lst, 1000); PERFORM lh_report('reader, no row-level security', r);
  RESET ROLE;
  ALTER TABLE lh_list ENABLE ROW LEVEL SECURITY;
  r := lh_check(lst, 1000); PERFORM lh_report('owner, row-level security enabled', r);
  SET LOCAL ROLE lh_reader;
  r := lh_check(lst, 1000); PERFORM lh_report('reader under the policy', r);
  RESET ROLE;
  ALTER TABLE lh_list DISABLE ROW LEVEL SECURITY;
  SET LOCAL ROLE lh_reader;
  r := lh_check(lst, 1000); PERFORM lh_report('reader, disabled again', r);
  SET LOCAL ROLE lh_nosel;
  BEGIN
    r := lh_check(lst, 10);
    RAISE NOTICE 'a role without SELECT got answers';
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'a role without SELECT: %', SQLERRM;
  END;
  RESET ROLE;
  r := lh_check(lst, 1000); PERFORM lh_report('owner again', r);
END $$;

-- row-level security forced on the owner mid-loop: the same role, the same
-- call site, and from now on the policy decides
CREATE ROLE lh_owner;
ALTER TABLE lh_list OWNER TO lh_owner;
CREATE POLICY lh_high ON lh_list FOR SELECT TO lh_owner USING (k > 450);
DO $$
DECLARE lst regclass := 'lh_list'; r record;
BEGIN
  SET LOCAL ROLE lh_owner;
  r := lh_check(lst, 1000); PERFORM lh_report('owner role', r);
  ALTER TABLE lh_list ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lh_list FORCE ROW LEVEL SECURITY;
  r := lh_check(lst, 1000); PERFORM lh_report('owner role, row-level security forced', r);
  ALTER TABLE lh_list NO FORCE ROW LEVEL SECURITY;
  r := lh_check(lst, 1000); PERFORM lh_report('owner role, not forced', r);
END $$;

-- the same call site with cnid keys (the inlined hash) and text keys (the
-- support function through fmgr): answers of the private copy
CREATE TABLE lh_cnid (k cnid);
INSERT INTO lh_cnid SELECT cnid_from_parts(110101, date '1980-01-01' + g, g % 1000)
  FROM generate_series(0, 1999, 2) g;
CREATE INDEX ON lh_cnid (k);
CREATE INDEX lh_cnid_bl ON lh_cnid USING blacklist (k);
CREATE TABLE lh_text (k text);
INSERT INTO lh_text SELECT 'K' || g FROM generate_series(0, 1999, 2) g;
CREATE INDEX ON lh_text (k);
CREATE INDEX lh_text_bl ON lh_text USING blacklist (k);
SELECT count(*) FILTER (WHERE listed(c, 'lh_cnid') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM lh_cnid l WHERE l.k = c)) AS cnid_bad,
       count(*) FILTER (WHERE listed(c, 'lh_cnid')) AS cnid_listed,
       count(*) FILTER (WHERE listed(t, 'lh_text') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM lh_text l WHERE l.k = t)) AS text_bad,
       count(*) FILTER (WHERE listed(t, 'lh_text')) AS text_listed
  FROM (SELECT cnid_from_parts(110101, date '1980-01-01' + g, g % 1000) AS c, 'K' || g AS t
          FROM generate_series(0, 1999) g) s;
SELECT (blacklist_index_stats('lh_cnid_bl')).private_copy AS cnid_copy,
       (blacklist_index_stats('lh_text_bl')).private_copy AS text_copy;

DROP TABLE lh_list, lh_cnid, lh_text;
DROP FUNCTION lh_check(regclass, int), lh_copy(regclass), lh_report(text, record);
DROP ROLE lh_reader, lh_nosel, lh_owner;
