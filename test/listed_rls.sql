-- listed() and the blacklist diagnostics tell a role nothing about rows a
-- row-level security policy hides from it, nor about lists it may not read
-- (issue 17, item 4).  pgTAP; roles are switched by SECURITY DEFINER
-- functions owned by them.
BEGIN;
SELECT plan(16);

CREATE ROLE tap_rls_reader;    -- SELECT on the list, its policy shows keys 1..1000
CREATE ROLE tap_rls_other;     -- SELECT on the list, its policy shows every row
CREATE ROLE tap_rls_blind;     -- SELECT on the list, no policy: sees no row
CREATE ROLE tap_rls_nosel;     -- no SELECT on the list

CREATE TABLE tap_rls_list (k bigint, owner name);
INSERT INTO tap_rls_list SELECT g, 'tap_rls_reader' FROM generate_series(1, 1000) g;
INSERT INTO tap_rls_list SELECT g, 'nobody' FROM generate_series(100001, 101000) g;   -- hidden from the reader
CREATE INDEX ON tap_rls_list (k);
CREATE INDEX tap_rls_list_bl ON tap_rls_list USING blacklist (k);
GRANT SELECT ON tap_rls_list TO tap_rls_reader, tap_rls_other, tap_rls_blind;
ALTER TABLE tap_rls_list ENABLE ROW LEVEL SECURITY;
CREATE POLICY tap_rls_own ON tap_rls_list FOR SELECT TO tap_rls_reader USING (owner = current_user);
CREATE POLICY tap_rls_all ON tap_rls_list FOR SELECT TO tap_rls_other USING (true);

-- how a role's calls on `keys` were answered: the change of its own
-- listed_explain counters (calls, filtered, probed, spi, hits)
CREATE FUNCTION tap_rls_work(keys bigint[], OUT calls bigint, OUT filtered bigint, OUT probed bigint,
                             OUT spi bigint, OUT hits bigint)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE b record; a record; k bigint; n bigint := 0;
BEGIN
  SELECT * INTO b FROM listed_explain('public.tap_rls_list');
  FOREACH k IN ARRAY keys LOOP
    IF listed(k, 'public.tap_rls_list') THEN n := n + 1; END IF;
  END LOOP;
  SELECT * INTO a FROM listed_explain('public.tap_rls_list');
  calls := a.calls - b.calls; filtered := a.filtered - b.filtered; probed := a.probed - b.probed;
  spi := a.spi - b.spi; hits := a.hits - b.hits;
  IF hits <> n THEN RAISE EXCEPTION 'hits % but % answers listed', hits, n; END IF;
END $$;
ALTER FUNCTION tap_rls_work(bigint[]) OWNER TO tap_rls_reader;

CREATE FUNCTION tap_rls_reader_explain() RETURNS SETOF record LANGUAGE sql SECURITY DEFINER AS
  $$SELECT filter, note FROM listed_explain('public.tap_rls_list')$$;
ALTER FUNCTION tap_rls_reader_explain() OWNER TO tap_rls_reader;

-- the hidden keys 100001..101000 and the absent keys 200001..201000 cost the
-- reader exactly the same work, and are both "not listed" (every call an
-- exact probe under the policy: through SPI, or from the list hash read
-- through SPI under the policy, which a call site builds after its first
-- 16 SPI probes whatever their keys, and which the second run, the same
-- call site under the same snapshot, finds built)
SELECT is((SELECT row(w.calls, w.filtered, w.probed + w.spi, w.hits)::text
             FROM tap_rls_work(ARRAY(SELECT generate_series(100001::bigint, 101000))) w),
          (SELECT row(w.calls, w.filtered, w.probed + w.spi, w.hits)::text
             FROM tap_rls_work(ARRAY(SELECT generate_series(200001::bigint, 201000))) w),
          'hidden keys and absent keys: the same counters for the reader');
SELECT is((SELECT hits FROM tap_rls_work(ARRAY(SELECT generate_series(100001::bigint, 101000)))), 0::bigint,
          'hidden keys are not listed for the reader');
SELECT is((SELECT hits FROM tap_rls_work(ARRAY(SELECT generate_series(1::bigint, 1000)))), 1000::bigint,
          'its own keys are listed for the reader');
SELECT is((SELECT filtered FROM tap_rls_work(ARRAY(SELECT generate_series(200001::bigint, 201000)))), 0::bigint,
          'where a policy applies no call is answered from the filter');
SELECT is((SELECT filter::text FROM tap_rls_reader_explain() AS (filter regclass, note text)), NULL,
          'listed_explain: no filter for the reader');
SELECT matches((SELECT note FROM tap_rls_reader_explain() AS (filter regclass, note text)), 'row-level security',
               'listed_explain says why');
SELECT is((SELECT filter::text FROM listed_explain('tap_rls_list')), 'tap_rls_list_bl',
          'the owner, whom no policy restricts, keeps the filter');

-- row_security = off: any probe raises for the reader, as the EXISTS does
CREATE FUNCTION tap_rls_off(k bigint) RETURNS boolean LANGUAGE sql SECURITY DEFINER
  SET row_security = off AS $$SELECT listed(k, 'public.tap_rls_list')$$;
ALTER FUNCTION tap_rls_off(bigint) OWNER TO tap_rls_reader;
SELECT throws_ok('SELECT tap_rls_off(100001)', '42501', NULL, 'row_security off: a hidden key raises');
SELECT throws_ok('SELECT tap_rls_off(200001)', '42501', NULL, 'row_security off: an absent key raises alike');

-- listed_explain needs SELECT on the list, and shows a role its own calls only
CREATE FUNCTION tap_rls_nosel_explain() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS
  $$SELECT hits FROM listed_explain('public.tap_rls_list')$$;
ALTER FUNCTION tap_rls_nosel_explain() OWNER TO tap_rls_nosel;
SELECT throws_ok('SELECT tap_rls_nosel_explain()', '42501', NULL, 'listed_explain without SELECT on the list: 42501');
CREATE FUNCTION tap_rls_other_hits() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS
  $$SELECT count(*) FROM generate_series(100001, 100005) g WHERE listed(g::bigint, 'public.tap_rls_list')$$;
ALTER FUNCTION tap_rls_other_hits() OWNER TO tap_rls_other;
SELECT is(tap_rls_other_hits(), 5::bigint, 'another role sees the keys its policy shows');
CREATE FUNCTION tap_rls_blind_explain() RETURNS text LANGUAGE sql SECURITY DEFINER AS
  $$SELECT calls || ' calls, ' || hits || ' hits' FROM listed_explain('public.tap_rls_list')$$;
ALTER FUNCTION tap_rls_blind_explain() OWNER TO tap_rls_blind;
SELECT is(tap_rls_blind_explain(), '0 calls, 0 hits', 'listed_explain does not show one role the hits of another');

-- the diagnostics given an OID check USAGE on the schema, as listed() does
CREATE SCHEMA tap_priv_s;
CREATE TABLE tap_priv_s.lst (k bigint);
INSERT INTO tap_priv_s.lst VALUES (7);
CREATE INDEX tap_priv_bl ON tap_priv_s.lst USING blacklist (k);
GRANT SELECT ON tap_priv_s.lst TO tap_rls_other;
CREATE FUNCTION tap_rls_probe(idx oid) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS
  $$SELECT blacklist_probe(idx, 7::bigint)$$;
CREATE FUNCTION tap_rls_stats(idx oid) RETURNS bigint LANGUAGE sql SECURITY DEFINER AS
  $$SELECT inserted FROM blacklist_index_stats(idx)$$;
CREATE FUNCTION tap_rls_listed(tbl oid) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS
  $$SELECT listed(7::bigint, tbl)$$;
ALTER FUNCTION tap_rls_probe(oid) OWNER TO tap_rls_other;
ALTER FUNCTION tap_rls_stats(oid) OWNER TO tap_rls_other;
ALTER FUNCTION tap_rls_listed(oid) OWNER TO tap_rls_other;
SELECT throws_ok(format('SELECT tap_rls_listed(%s)', 'tap_priv_s.lst'::regclass::oid), '42501', NULL,
                 'listed() by OID without USAGE on the schema: 42501');
SELECT throws_ok(format('SELECT tap_rls_probe(%s)', 'tap_priv_s.tap_priv_bl'::regclass::oid), '42501', NULL,
                 'blacklist_probe by OID without USAGE on the schema: 42501');
SELECT throws_ok(format('SELECT tap_rls_stats(%s)', 'tap_priv_s.tap_priv_bl'::regclass::oid), '42501', NULL,
                 'blacklist_index_stats by OID without USAGE on the schema: 42501');
GRANT USAGE ON SCHEMA tap_priv_s TO tap_rls_other;
SELECT is(tap_rls_probe('tap_priv_s.tap_priv_bl'::regclass::oid), true, 'with USAGE the probe answers');

SELECT * FROM finish();
ROLLBACK;
