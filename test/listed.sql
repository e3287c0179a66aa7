-- listed(): behaviour as properties (pgTAP)
BEGIN;
SELECT plan(47);

-- signatures
SELECT has_function('listed', ARRAY['text', 'regclass'], 'listed(text, regclass) exists');
SELECT has_function('listed', ARRAY['text', 'regclass', 'date'], 'listed(text, regclass, date) exists');
SELECT has_function('listed', ARRAY['bigint', 'regclass'], 'listed(bigint, regclass) exists');
SELECT has_function('listed', ARRAY['bigint', 'regclass', 'date'], 'listed(bigint, regclass, date) exists');
SELECT function_returns('listed', ARRAY['text', 'regclass'], 'boolean', 'listed() returns boolean');
SELECT volatility_is('listed', ARRAY['bigint', 'regclass'], 'stable', 'listed() is STABLE');
SELECT is_strict('listed', ARRAY['text', 'regclass', 'date'], 'listed() is STRICT');
SELECT is((SELECT bool_and(proparallel = 's') FROM pg_proc WHERE proname = 'listed'), true,
          'every listed() is PARALLEL SAFE');

-- random data: lists of random keys, probes half of which are listed
SELECT setseed(0.4242);
CREATE TABLE tap_ids (id bigint);
INSERT INTO tap_ids SELECT (random() * 40000)::bigint - 20000 FROM generate_series(1, 8000);  -- duplicates too
CREATE INDEX ON tap_ids (id);
CREATE TABLE tap_probe_ids AS SELECT (random() * 44000)::bigint - 22000 AS k FROM generate_series(1, 30000);
INSERT INTO tap_probe_ids VALUES (NULL), (0), (-1);
CREATE TABLE tap_names (name text PRIMARY KEY);
INSERT INTO tap_names SELECT DISTINCT substr(md5(g::text), 1, 1 + g % 12) FROM generate_series(1, 6000, 2) g;
CREATE TABLE tap_probe_names AS SELECT substr(md5(g::text), 1, 1 + g % 12) AS s FROM generate_series(1, 12000) g;
CREATE TABLE tap_bans (id bigint, valid daterange);
INSERT INTO tap_bans
SELECT (random() * 3000)::bigint,
       CASE WHEN r < 0.05 THEN NULL
            ELSE daterange(CASE WHEN random() < 0.2 THEN NULL ELSE d END,
                           CASE WHEN random() < 0.2 THEN NULL ELSE d + (random() * 900)::int END,
                           (ARRAY['[)', '[]', '(]', '()'])[1 + (random() * 3)::int]) END
  FROM (SELECT random() AS r, date '2015-01-01' + (random() * 3000)::int AS d
          FROM generate_series(1, 6000)) g;
CREATE INDEX ON tap_bans (id);
CREATE TABLE tap_probe_bans AS
SELECT (random() * 3300)::bigint AS k, date '2014-06-01' + (random() * 4000)::int AS d
  FROM generate_series(1, 20000);
CREATE TABLE tap_text_bans AS SELECT id::text AS id, valid FROM tap_bans;
CREATE INDEX ON tap_text_bans (id);
ANALYZE tap_ids, tap_probe_ids, tap_names, tap_probe_names, tap_bans, tap_probe_bans, tap_text_bans;

CREATE FUNCTION tap_disagree_ids() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM tap_probe_ids p
   WHERE listed(p.k, 'tap_ids') IS DISTINCT FROM
         CASE WHEN p.k IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = p.k) END $$;
CREATE FUNCTION tap_disagree_names() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM tap_probe_names p
   WHERE listed(p.s, 'tap_names') IS DISTINCT FROM EXISTS (SELECT 1 FROM tap_names l WHERE l.name = p.s) $$;
CREATE FUNCTION tap_disagree_bans() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM tap_probe_bans p
   WHERE listed(p.k, 'tap_bans', p.d) IS DISTINCT FROM
         EXISTS (SELECT 1 FROM tap_bans l WHERE l.id = p.k AND l.valid @> p.d) $$;
CREATE FUNCTION tap_disagree_text_bans() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM tap_probe_bans p
   WHERE listed(p.k::text, 'tap_text_bans', p.d) IS DISTINCT FROM
         EXISTS (SELECT 1 FROM tap_text_bans l WHERE l.id = p.k::text AND l.valid @> p.d) $$;

SELECT cmp_ok((SELECT count(*) FROM tap_probe_ids p WHERE listed(p.k, 'tap_ids')), '>', 3000::bigint,
              'the random probes hit the list often');
-- without a blacklist index: btree probes (and SPI for the view below)
SELECT is(tap_disagree_ids(), 0::bigint, 'bigint list, btree probes: listed() = EXISTS');
SELECT is(tap_disagree_names(), 0::bigint, 'text list, btree probes: listed() = EXISTS');
SELECT is(tap_disagree_bans(), 0::bigint, 'dated bigint list, btree probes: listed() = EXISTS');
SELECT is(tap_disagree_text_bans(), 0::bigint, 'dated text list, btree probes: listed() = EXISTS');
SELECT is((SELECT filter FROM listed_explain('tap_ids')), NULL, 'no blacklist index: no filter');
SELECT matches((SELECT advice FROM listed_explain('tap_ids')), 'USING blacklist', 'and the advice says to create one');
-- with blacklist indexes: the filter answers "no", the btree confirms
CREATE INDEX tap_ids_bl ON tap_ids USING blacklist (id);
CREATE INDEX tap_names_bl ON tap_names USING blacklist (name);
CREATE INDEX tap_bans_bl ON tap_bans USING blacklist (id);
CREATE INDEX tap_text_bans_bl ON tap_text_bans USING blacklist (id);
SELECT is(tap_disagree_ids(), 0::bigint, 'bigint list, blacklist filter: listed() = EXISTS');
SELECT is((SELECT filter FROM listed_explain('tap_ids')), 'tap_ids_bl'::regclass, 'the blacklist index is the filter');
SELECT cmp_ok((SELECT filtered FROM listed_explain('tap_ids')), '>', 0::bigint, 'and answered calls');
SELECT is(tap_disagree_names(), 0::bigint, 'text list, blacklist filter: listed() = EXISTS');
SELECT is(tap_disagree_bans(), 0::bigint, 'dated bigint list (open bounds, all inclusivities), blacklist filter: listed() = EXISTS');
SELECT is(tap_disagree_text_bans(), 0::bigint, 'dated text list, blacklist filter: listed() = EXISTS');
-- the statement's own inserts and deletes, through the filter: one
-- statement deletes half the list and inserts new keys, then screens
CREATE FUNCTION tap_change_and_disagree() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tap_ids WHERE id % 2 = 0;
  INSERT INTO tap_ids SELECT 30000 + g FROM generate_series(1, 500) g;
  RETURN (SELECT count(*) FROM generate_series(-21000, 31000) g
           WHERE listed(g::bigint, 'tap_ids') IS DISTINCT FROM EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = g));
END $$;
SELECT is(tap_change_and_disagree(), 0::bigint, 'own deletes and inserts in the same function: listed() = EXISTS');
SELECT is(tap_disagree_ids(), 0::bigint, 'and in the next statement');
-- NULLs
SELECT is(listed(NULL::bigint, 'tap_ids'), NULL, 'NULL subject: NULL');
SELECT is(listed(1::bigint, 'tap_bans', NULL), NULL, 'NULL date: NULL');

-- views are lists, and the list may vary per row
CREATE VIEW tap_v_even AS SELECT id FROM tap_ids WHERE id % 2 = 0;
SELECT is((SELECT count(*) FROM tap_probe_ids p
            WHERE listed(p.k, 'tap_v_even') IS DISTINCT FROM EXISTS (SELECT 1 FROM tap_v_even v WHERE v.id = p.k)
              AND p.k IS NOT NULL),
          0::bigint, 'a view as list: listed() = EXISTS');
SELECT is((SELECT count(*) FROM tap_probe_ids p
            WHERE listed(p.k, CASE WHEN p.k % 3 = 0 THEN 'tap_v_even' ELSE 'tap_ids' END::regclass)
                  IS DISTINCT FROM
                  CASE WHEN p.k % 3 = 0 THEN EXISTS (SELECT 1 FROM tap_v_even v WHERE v.id = p.k)
                       ELSE EXISTS (SELECT 1 FROM tap_ids v WHERE v.id = p.k) END
              AND p.k IS NOT NULL),
          0::bigint, 'the list changing from row to row: listed() = EXISTS');

-- wrong lists
CREATE TABLE tap_wrong (id integer, valid tstzrange);
SELECT throws_ok($$SELECT listed(1::bigint, 'tap_wrong')$$, '42804', NULL, 'first column of another type: 42804');
SELECT throws_ok($$SELECT listed('1', 'tap_ids')$$, '42804', NULL, 'text subject against a bigint list: 42804');
SELECT throws_ok($$SELECT listed('1', 'tap_names', current_date)$$, '42804', NULL, 'dated form without a second column: 42804');
CREATE TABLE tap_wrong2 (id bigint, valid tstzrange);
SELECT throws_ok($$SELECT listed(1::bigint, 'tap_wrong2', current_date)$$, '42804', NULL, 'second column not a daterange: 42804');

-- privileges and row-level security, as a non-superuser
CREATE ROLE tap_listed_role;
CREATE TABLE tap_secret (id bigint, visible_to name);
INSERT INTO tap_secret SELECT g, CASE WHEN g % 4 = 0 THEN 'tap_listed_role' ELSE 'nobody' END FROM generate_series(1, 4000) g;
CREATE INDEX ON tap_secret (id);
CREATE FUNCTION tap_as_role_disagree() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$
  SELECT count(*) FROM generate_series(0, 4100) g
   WHERE listed(g::bigint, 'public.tap_secret') IS DISTINCT FROM
         EXISTS (SELECT 1 FROM public.tap_secret s WHERE s.id = g) $$;
CREATE FUNCTION tap_as_role_hits() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$
  SELECT count(*) FROM generate_series(0, 4100) g WHERE listed(g::bigint, 'public.tap_secret') $$;
ALTER FUNCTION tap_as_role_disagree() OWNER TO tap_listed_role;
ALTER FUNCTION tap_as_role_hits() OWNER TO tap_listed_role;
SELECT throws_ok('SELECT tap_as_role_hits()', '42501', NULL, 'without SELECT on the list: 42501');
GRANT SELECT ON tap_secret TO tap_listed_role;
ALTER TABLE tap_secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY tap_secret_own ON tap_secret FOR SELECT USING (visible_to = current_user);
SELECT is(tap_as_role_hits(), 1000::bigint, 'row-level security hides the other rows');
SELECT is(tap_as_role_disagree(), 0::bigint, 'under row-level security listed() = EXISTS');
SELECT is((SELECT count(*) FROM generate_series(0, 4100) g WHERE listed(g::bigint, 'tap_secret')), 4000::bigint,
          'the owner still sees every row');
CREATE INDEX tap_secret_bl ON tap_secret USING blacklist (id);
SELECT is(tap_as_role_hits(), 1000::bigint, 'row-level security hides the other rows (blacklist filter, SPI confirmation)');
SELECT is(tap_as_role_disagree(), 0::bigint, 'under row-level security with a blacklist index listed() = EXISTS');

-- the screening scan (src/listed_scan.c): the rows a restriction
-- listed(...) or NOT listed(...) lets through are those of EXISTS or
-- NOT EXISTS, with the node and without it (listed() per row)
CREATE FUNCTION tap_node_disagree(node boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint := 0; m bigint;
BEGIN
  PERFORM set_config('integrity.screening_scan', node::text, true);
  SELECT count(*) INTO m FROM (
    (SELECT k FROM tap_probe_ids p WHERE listed(p.k, 'tap_ids')
     EXCEPT ALL SELECT k FROM tap_probe_ids p WHERE EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = p.k))
    UNION ALL
    (SELECT k FROM tap_probe_ids p WHERE EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = p.k)
     EXCEPT ALL SELECT k FROM tap_probe_ids p WHERE listed(p.k, 'tap_ids'))
    UNION ALL
    (SELECT k FROM tap_probe_ids p WHERE NOT listed(p.k, 'tap_ids')
     EXCEPT ALL SELECT k FROM tap_probe_ids p WHERE k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = p.k))
    UNION ALL
    (SELECT k FROM tap_probe_ids p WHERE k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tap_ids l WHERE l.id = p.k)
     EXCEPT ALL SELECT k FROM tap_probe_ids p WHERE NOT listed(p.k, 'tap_ids'))) x;
  n := n + m;
  SELECT count(*) INTO m FROM (
    (SELECT s FROM tap_probe_names p WHERE listed(p.s, 'tap_names')
     EXCEPT ALL SELECT s FROM tap_probe_names p WHERE EXISTS (SELECT 1 FROM tap_names l WHERE l.name = p.s))
    UNION ALL
    (SELECT s FROM tap_probe_names p WHERE NOT EXISTS (SELECT 1 FROM tap_names l WHERE l.name = p.s)
     EXCEPT ALL SELECT s FROM tap_probe_names p WHERE NOT listed(p.s, 'tap_names'))) x;
  n := n + m;
  SELECT count(*) INTO m FROM (
    (SELECT k, d FROM tap_probe_bans p WHERE listed(p.k, 'tap_bans', p.d)
     EXCEPT ALL SELECT k, d FROM tap_probe_bans p WHERE EXISTS (SELECT 1 FROM tap_bans l WHERE l.id = p.k AND l.valid @> p.d))
    UNION ALL
    (SELECT k, d FROM tap_probe_bans p WHERE EXISTS (SELECT 1 FROM tap_bans l WHERE l.id = p.k AND l.valid @> p.d)
     EXCEPT ALL SELECT k, d FROM tap_probe_bans p WHERE listed(p.k, 'tap_bans', p.d))
    UNION ALL
    (SELECT k, d FROM tap_probe_bans p WHERE NOT listed(p.k::text, 'tap_text_bans', p.d)
     EXCEPT ALL SELECT k, d FROM tap_probe_bans p WHERE NOT EXISTS (SELECT 1 FROM tap_text_bans l WHERE l.id = p.k::text AND l.valid @> p.d))
    UNION ALL
    (SELECT k, d FROM tap_probe_bans p WHERE NOT EXISTS (SELECT 1 FROM tap_text_bans l WHERE l.id = p.k::text AND l.valid @> p.d)
     EXCEPT ALL SELECT k, d FROM tap_probe_bans p WHERE NOT listed(p.k::text, 'tap_text_bans', p.d))) x;
  RETURN n + m;
END $$;
CREATE FUNCTION tap_node_planned(node boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; o text := '';
BEGIN
  PERFORM set_config('integrity.screening_scan', node::text, true);
  FOR r IN EXECUTE $q$EXPLAIN (COSTS OFF) SELECT k FROM tap_probe_bans p WHERE NOT listed(p.k, 'tap_bans', p.d)$q$ LOOP
    o := o || r || E'\n';
  END LOOP;
  PERFORM set_config('integrity.screening_scan', 'on', true);
  RETURN o;
END $$;
SELECT matches(tap_node_planned(true), 'Screening Scan', 'the screening scan takes a restriction NOT listed(k, list, d)');
SELECT is(tap_node_disagree(true), 0::bigint, 'screening scan: WHERE (NOT) listed() = WHERE (NOT) EXISTS (bigint, text, dated)');
SELECT is(tap_node_disagree(false), 0::bigint, 'integrity.screening_scan off: WHERE (NOT) listed() = WHERE (NOT) EXISTS');
SET LOCAL integrity.screening_scan = on;

-- parallel plans give the same answers
CREATE TABLE tap_serial AS
SELECT k, listed(k, 'tap_ids') AS l FROM tap_probe_ids WHERE k IS NOT NULL;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE FUNCTION tap_explain(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; o text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP o := o || r || E'\n'; END LOOP;
  RETURN o;
END $$;
SELECT matches(tap_explain($$SELECT k, listed(k, 'tap_ids') FROM tap_probe_ids WHERE listed(k, 'tap_ids')$$),
               'Gather.*Parallel Custom Scan \(Screening Scan\).*listed', 'the screening runs in parallel workers');
SELECT matches(tap_node_planned(true), 'Gather.*Parallel Custom Scan \(Screening Scan\)', 'the screening scan runs in parallel workers');
SELECT is(tap_node_disagree(true), 0::bigint, 'parallel screening scan: WHERE (NOT) listed() = WHERE (NOT) EXISTS');
SELECT is(tap_node_disagree(false), 0::bigint, 'parallel, integrity.screening_scan off: WHERE (NOT) listed() = WHERE (NOT) EXISTS');
SET LOCAL integrity.screening_scan = on;
SELECT is((SELECT count(*) FROM (SELECT k, listed(k, 'tap_ids') AS l FROM tap_probe_ids WHERE k IS NOT NULL) p
                    FULL JOIN tap_serial s ON s.k = p.k AND s.l = p.l
            WHERE s.k IS NULL OR p.k IS NULL),
          0::bigint, 'parallel (blacklist filter in the workers) = serial');
SELECT is((SELECT count(*) FROM tap_probe_ids p WHERE listed(p.k, 'tap_ids')),
          (SELECT count(*) FROM tap_serial WHERE l), 'parallel count (blacklist filter) = serial count');
SELECT is((SELECT count(*) FROM tap_probe_ids p WHERE listed(p.k, 'tap_v_even')),
          (SELECT count(*) FROM tap_probe_ids p WHERE EXISTS (SELECT 1 FROM tap_v_even v WHERE v.id = p.k)),
          'parallel count (view, SPI in the workers) = EXISTS');

SELECT * FROM finish();
ROLLBACK;
