--
-- listed() on views and partitioned lists (issue 18, item 2): the filters
-- of the tables they read answer "not listed"; a "maybe" is confirmed
-- through SPI as the caller, or from the call site's list hash read
-- through SPI; policies and privileges decide whether a filter may answer.
--
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

CREATE TABLE lv_t (id serial PRIMARY KEY, k bigint, valid daterange, team text);
INSERT INTO lv_t (k, valid, team)
  SELECT g * 3, daterange(date '2024-01-01' + g % 50, date '2024-03-01' + g % 50), CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
    FROM generate_series(1, 600) g;
CREATE INDEX lv_t_bl ON lv_t USING blacklist (k);

-- a simple view of one table: its WHERE only leaves rows out
CREATE VIEW lv_v AS SELECT k, valid FROM lv_t WHERE team = 'a';
SELECT filter, confirm, note FROM listed_explain('lv_v');
SELECT count(*) AS probes,
       count(*) FILTER (WHERE listed(g::bigint, 'lv_v')) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, 'lv_v') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM lv_v v WHERE v.k = g)) AS differ,
       count(*) FILTER (WHERE listed(g::bigint, 'lv_v', date '2024-02-15') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM lv_v v WHERE v.k = g AND v.valid @> date '2024-02-15')) AS dated_differ
  FROM generate_series(-10, 2000) g;
SELECT calls, filtered > 0 AS filtered, probed > 0 AS hashed, spi FROM listed_explain('lv_v');

-- views the filter does not cover: the subject an expression, two tables,
-- DISTINCT, aggregates, UNION
CREATE VIEW lv_v_expr AS SELECT k + 0 AS k FROM lv_t;
CREATE VIEW lv_v_join AS SELECT a.k FROM lv_t a JOIN lv_t b USING (id);
CREATE VIEW lv_v_union AS SELECT k FROM lv_t UNION ALL SELECT 1::bigint;
CREATE VIEW lv_v_agg AS SELECT k FROM lv_t GROUP BY k;
SELECT v, (listed_explain(v)).filter, (listed_explain(v)).note
  FROM unnest(ARRAY['lv_v_expr', 'lv_v_join', 'lv_v_union', 'lv_v_agg']::regclass[]) v;
SELECT listed(1::bigint, 'lv_v_union') AS union_row, listed(1::bigint, 'lv_t') AS table_row;
SELECT count(*) FILTER (WHERE listed(g::bigint, v) IS DISTINCT FROM g % 3 = 0 AND g BETWEEN 3 AND 1800) AS differ
  FROM generate_series(0, 1900) g,
       unnest(ARRAY['lv_v_expr', 'lv_v_join', 'lv_v_agg']::regclass[]) v;

-- the table's policy applies to the view's owner: no filter (it knows the
-- hidden rows' keys); a security_invoker view: the caller's policy
CREATE ROLE lv_owner;
CREATE ROLE lv_reader;
GRANT SELECT ON lv_t TO lv_owner, lv_reader;
ALTER TABLE lv_t ENABLE ROW LEVEL SECURITY;
CREATE POLICY lv_t_a ON lv_t FOR SELECT TO lv_owner, lv_reader USING (team = 'a');
CREATE VIEW lv_v_owned AS SELECT k FROM lv_t;
ALTER VIEW lv_v_owned OWNER TO lv_owner;
CREATE VIEW lv_v_invoker WITH (security_invoker) AS SELECT k FROM lv_t;
GRANT SELECT ON lv_v_owned, lv_v_invoker TO lv_reader;
SELECT v, (listed_explain(v)).filter IS NOT NULL AS has_filter, (listed_explain(v)).note
  FROM unnest(ARRAY['lv_v_owned', 'lv_v_invoker']::regclass[]) v;
BEGIN;
SET LOCAL ROLE lv_reader;
SELECT v, (listed_explain(v)).filter IS NOT NULL AS has_filter, (listed_explain(v)).note
  FROM unnest(ARRAY['lv_v_owned', 'lv_v_invoker']::regclass[]) v;
SELECT v, count(*) FILTER (WHERE listed(g::bigint, v)) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, v) IS DISTINCT FROM g % 6 = 0 AND g BETWEEN 6 AND 1800) AS differ
  FROM generate_series(0, 1900) g,
       unnest(ARRAY['lv_v_owned', 'lv_v_invoker']::regclass[]) v
 GROUP BY v ORDER BY v;
ROLLBACK;
ALTER TABLE lv_t DISABLE ROW LEVEL SECURITY;

-- the view's owner may not read the table: the EXISTS raises, and so does
-- listed(), for a key the filter has never seen too
REVOKE SELECT ON lv_t FROM lv_owner;
BEGIN;
SET LOCAL ROLE lv_reader;
SELECT (listed_explain('lv_v_owned')).note;
SELECT EXISTS (SELECT 1 FROM lv_v_owned WHERE k = -1);
ROLLBACK;
BEGIN;
SET LOCAL ROLE lv_reader;
SELECT listed(-1::bigint, 'lv_v_owned');
ROLLBACK;
GRANT SELECT ON lv_t TO lv_owner;

-- partitioned lists: the filters of every leaf partition
CREATE TABLE lv_p (part int, k bigint, valid daterange) PARTITION BY LIST (part);
CREATE TABLE lv_p0 PARTITION OF lv_p FOR VALUES IN (0);
CREATE TABLE lv_p1 PARTITION OF lv_p FOR VALUES IN (1, 2) PARTITION BY LIST (part);
CREATE TABLE lv_p1a PARTITION OF lv_p1 FOR VALUES IN (1);
CREATE TABLE lv_p1b (k bigint, valid daterange, part int);   -- columns in another order
ALTER TABLE lv_p1 ATTACH PARTITION lv_p1b FOR VALUES IN (2);
INSERT INTO lv_p SELECT g % 3, g * 3, daterange(date '2024-01-01', date '2024-02-01' + g) FROM generate_series(1, 600) g;
CREATE VIEW lv_pv AS SELECT k, valid FROM lv_p WHERE part <> 1;
SELECT l, (listed_explain(l)).filter IS NOT NULL AS has_filter, (listed_explain(l)).note
  FROM unnest(ARRAY['lv_p', 'lv_pv']::regclass[]) l;
-- one blacklist index per leaf (a partitioned index would give every
-- partition attached later one too)
CREATE INDEX lv_p0_bl ON lv_p0 USING blacklist (k);
CREATE INDEX lv_p1a_bl ON lv_p1a USING blacklist (k);
CREATE INDEX lv_p1b_bl ON lv_p1b USING blacklist (k);
SELECT l, (listed_explain(l)).filter IS NOT NULL AS has_filter, (listed_explain(l)).note
  FROM unnest(ARRAY['lv_p', 'lv_pv']::regclass[]) l;
SELECT l, count(*) FILTER (WHERE listed(g::bigint, l)) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, l) IS DISTINCT FROM
                              CASE WHEN l = 'lv_p'::regclass THEN EXISTS (SELECT 1 FROM lv_p p WHERE p.k = g)
                                   ELSE EXISTS (SELECT 1 FROM lv_pv p WHERE p.k = g) END) AS differ,
       count(*) FILTER (WHERE listed(g::bigint, l, date '2024-03-01') IS DISTINCT FROM
                              CASE WHEN l = 'lv_p'::regclass THEN EXISTS (SELECT 1 FROM lv_p p WHERE p.k = g AND p.valid @> date '2024-03-01')
                                   ELSE EXISTS (SELECT 1 FROM lv_pv p WHERE p.k = g AND p.valid @> date '2024-03-01') END) AS dated_differ,
       count(*) FILTER (WHERE listed(g::bigint, l, date '2024-03-01')) AS dated_hits
  FROM generate_series(0, 2000) g, unnest(ARRAY['lv_p', 'lv_pv']::regclass[]) l
 GROUP BY l ORDER BY l;
SELECT filtered > 0 AS filtered, probed > 0 AS hashed FROM listed_explain('lv_p');

-- a partition attached later without a blacklist index: its rows are
-- found (the filters no longer cover the list); with one, filtered again
BEGIN;
SELECT listed(90003::bigint, 'lv_p') AS before_attach;
CREATE TABLE lv_p3 (part int, k bigint, valid daterange);
INSERT INTO lv_p3 VALUES (3, 90003, NULL);
ALTER TABLE lv_p ATTACH PARTITION lv_p3 FOR VALUES IN (3);
SELECT listed(90003::bigint, 'lv_p') AS after_attach, listed(90003::bigint, 'lv_pv') AS in_view,
       (listed_explain('lv_p')).note;
CREATE INDEX ON lv_p3 USING blacklist (k);
SELECT listed(90003::bigint, 'lv_p') AS with_index, (listed_explain('lv_p')).note;
ROLLBACK;
-- a leaf's index dropped in the session that used it
BEGIN;
SELECT listed(3::bigint, 'lv_p'), listed(4::bigint, 'lv_p');
DROP INDEX lv_p0_bl;
SELECT listed(3::bigint, 'lv_p'), listed(4::bigint, 'lv_p'), (listed_explain('lv_p')).note;
ROLLBACK;
-- the base table's index dropped: the view's entry is stale
BEGIN;
SELECT listed(6::bigint, 'lv_v');
DROP INDEX lv_t_bl;
SELECT listed(6::bigint, 'lv_v'), listed(7::bigint, 'lv_v'), (listed_explain('lv_v')).filter;
ROLLBACK;

-- the list hash read through SPI: not for a view that reads a setting,
-- which may change between two calls of one call site (a plpgsql loop's
-- expression keeps its call site, the snapshot is the same)
CREATE VIEW lv_v_setting AS SELECT k FROM lv_t WHERE team = current_setting('lv.team');
SELECT (listed_explain('lv_v_setting')).confirm;
CREATE FUNCTION lv_f_loop() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  wrong bigint := 0;
  hit boolean;
BEGIN
  FOR i IN 1..120 LOOP
    PERFORM set_config('lv.team', CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, true);
    hit := listed(((i / 2) * 6)::bigint, 'lv_v_setting');
    IF hit IS DISTINCT FROM EXISTS (SELECT 1 FROM lv_v_setting WHERE k = (i / 2) * 6) THEN
      wrong := wrong + 1;
    END IF;
  END LOOP;
  RETURN wrong;
END $$;
BEGIN;
SELECT lv_f_loop() AS wrong;
ROLLBACK;
-- a policy that reads a setting, on a table without a blacklist index
CREATE TABLE lv_t_pol (k bigint, team text);
INSERT INTO lv_t_pol SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 200) g;
ALTER TABLE lv_t_pol ENABLE ROW LEVEL SECURITY;
CREATE POLICY lv_t_pol_team ON lv_t_pol USING (team = current_setting('lv.team'));
GRANT SELECT ON lv_t_pol TO lv_reader;
CREATE FUNCTION lv_f_pol_loop() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  wrong bigint := 0;
  hit boolean;
BEGIN
  FOR i IN 1..120 LOOP
    PERFORM set_config('lv.team', CASE WHEN i % 4 < 2 THEN 'a' ELSE 'b' END, true);
    hit := listed(i::bigint, 'lv_t_pol');   -- a simple expression: one call site
    IF hit IS DISTINCT FROM EXISTS (SELECT 1 FROM lv_t_pol WHERE k = i) THEN
      wrong := wrong + 1;
    END IF;
  END LOOP;
  RETURN wrong;
END $$;
GRANT EXECUTE ON FUNCTION lv_f_pol_loop() TO lv_reader;
BEGIN;
SET LOCAL ROLE lv_reader;
SELECT lv_f_pol_loop() AS wrong, (listed_explain('lv_t_pol')).confirm;
ROLLBACK;
-- with row_security off under the policy, listed_explain answers (not
-- hashed) and listed() raises, as the EXISTS does
BEGIN;
SET LOCAL ROLE lv_reader;
SET LOCAL row_security = off;
SELECT confirm, note FROM listed_explain('lv_t_pol');
SELECT listed(1::bigint, 'lv_t_pol');
ROLLBACK;
-- a policy by role: hashed, and the hash is the policy's rows
CREATE TABLE lv_t_own (k bigint, owner name);
INSERT INTO lv_t_own SELECT g, CASE WHEN g % 2 = 0 THEN 'lv_reader' ELSE 'lv_owner' END FROM generate_series(1, 300) g;
ALTER TABLE lv_t_own ENABLE ROW LEVEL SECURITY;
CREATE POLICY lv_t_own_mine ON lv_t_own USING (owner = current_user);
GRANT SELECT ON lv_t_own TO lv_reader, lv_owner;
BEGIN;
SET LOCAL ROLE lv_reader;
SELECT count(*) FILTER (WHERE listed(g::bigint, 'lv_t_own')) AS hits,
       count(*) FILTER (WHERE listed(g::bigint, 'lv_t_own') IS DISTINCT FROM g % 2 = 0 AND g BETWEEN 1 AND 300) AS differ
  FROM generate_series(0, 400) g;
SELECT confirm, probed > 0 AS hashed, spi FROM listed_explain('lv_t_own');
ROLLBACK;

-- the statement's own writes: a volatile function that inserts into the
-- view's table between calls of one call site (a new command id: the hash
-- is read again)
CREATE FUNCTION lv_f_add(bigint) RETURNS bigint LANGUAGE sql AS
  $$INSERT INTO lv_t (k, team) VALUES ($1, 'a') RETURNING $1$$;
BEGIN;
SELECT count(*) FILTER (WHERE listed((100000 + g)::bigint, 'lv_v') IS DISTINCT FROM
                              EXISTS (SELECT 1 FROM lv_v v WHERE v.k = 100000 + g)) AS differ
  FROM (SELECT g, lv_f_add(100000 + g) FROM generate_series(1, 40) g) s;
ROLLBACK;
-- a plpgsql loop keeps its call site; every write between two calls is a
-- new command id, so the next call reads the list again and sees it
CREATE FUNCTION lv_f_write_loop() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  wrong bigint := 0;
BEGIN
  FOR i IN 1..60 LOOP
    IF listed((200000 + i)::bigint, 'lv_v') THEN wrong := wrong + 1; END IF;
    INSERT INTO lv_t (k, team) VALUES (200000 + i, 'a');
    IF NOT listed((200000 + i)::bigint, 'lv_v') THEN wrong := wrong + 1; END IF;
    IF listed((300000 + i)::bigint, 'lv_v') THEN wrong := wrong + 1; END IF;
  END LOOP;
  RETURN wrong;
END $$;
BEGIN;
SELECT lv_f_write_loop() AS wrong;
ROLLBACK;

-- listed_explain's advice for a view's table and a partitioned list runs,
-- and gives them their filters
CREATE TABLE lv_adv (k bigint, team text) PARTITION BY LIST (team);
CREATE TABLE lv_adv_a PARTITION OF lv_adv FOR VALUES IN ('a');
CREATE TABLE lv_adv_b PARTITION OF lv_adv FOR VALUES IN ('b');
CREATE TABLE lv_adv_t (k bigint, team text);
CREATE VIEW lv_adv_v AS SELECT k FROM lv_adv_t WHERE team = 'a';
SELECT l, (listed_explain(l)).advice FROM unnest(ARRAY['lv_adv', 'lv_adv_v']::regclass[]) l;
DO $$DECLARE l regclass;
BEGIN
  FOREACH l IN ARRAY ARRAY['lv_adv', 'lv_adv_v']::regclass[] LOOP
    EXECUTE (listed_explain(l)).advice;
  END LOOP;
END $$;
SELECT l, (listed_explain(l)).filter IS NOT NULL AS has_filter, (listed_explain(l)).advice
  FROM unnest(ARRAY['lv_adv', 'lv_adv_v']::regclass[]) l;
DROP VIEW lv_adv_v;
DROP TABLE lv_adv, lv_adv_t;

DROP FUNCTION lv_f_loop(), lv_f_pol_loop(), lv_f_add(bigint), lv_f_write_loop();
DROP TABLE lv_t, lv_p, lv_t_pol, lv_t_own CASCADE;
DROP ROLE lv_owner;
DROP ROLE lv_reader;
