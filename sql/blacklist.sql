-- The blacklist index access method: build, insert, scans, options, errors,
-- and the filter's one promise: never "no" for a key that is in the table.
-- Random data (fixed seed) of 100k keys per operator class; the false-
-- positive rate is measured against keys known to be absent.
SET client_min_messages = warning;
SELECT setseed(0.42);

-- ---------- every operator class on 100k random keys ----------
CREATE TABLE bl_int8 (k bigint);
INSERT INTO bl_int8 SELECT (random() * 1e15)::bigint FROM generate_series(1, 100000);
INSERT INTO bl_int8 VALUES (NULL), (NULL);
CREATE INDEX bl_int8_k ON bl_int8 USING blacklist (k);

CREATE TABLE bl_cnid (k cnid);
INSERT INTO bl_cnid
SELECT cnid_from_parts(110101, date '1930-01-01' + (random() * 30000)::int, (random() * 999)::int)
FROM generate_series(1, 100000);
CREATE INDEX bl_cnid_k ON bl_cnid USING blacklist (k);

CREATE TABLE bl_uscc (k uscc);
INSERT INTO bl_uscc
SELECT uscc_from_parts('91110000' || lpad((random() * 999999999)::bigint::text, 9, '0'))
FROM generate_series(1, 100000);
CREATE INDEX bl_uscc_k ON bl_uscc USING blacklist (k);

CREATE TABLE bl_text (k text, v varchar(18));
INSERT INTO bl_text SELECT 'name-' || md5(g::text), left(md5(g::text), 18)
FROM (SELECT (random() * 1e9)::int AS g FROM generate_series(1, 100000)) s;
CREATE INDEX bl_text_k ON bl_text USING blacklist (k);
CREATE INDEX bl_text_v ON bl_text USING blacklist (v);   -- varchar: text_ops

SELECT c.relname, o.opcname
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_opclass o ON o.oid = i.indclass[0]
WHERE c.relname LIKE 'bl\_%\_k' OR c.relname = 'bl_text_v' ORDER BY 1;

-- no present key is ever missed
SELECT 'int8' AS t, count(*) FILTER (WHERE NOT blacklist_probe('bl_int8_k', k)) AS missed FROM bl_int8 WHERE k IS NOT NULL
UNION ALL SELECT 'cnid', count(*) FILTER (WHERE NOT blacklist_probe('bl_cnid_k', k)) FROM bl_cnid
UNION ALL SELECT 'uscc', count(*) FILTER (WHERE NOT blacklist_probe('bl_uscc_k', k)) FROM bl_uscc
UNION ALL SELECT 'text', count(*) FILTER (WHERE NOT blacklist_probe('bl_text_k', k)) FROM bl_text
UNION ALL SELECT 'varchar', count(*) FILTER (WHERE NOT blacklist_probe('bl_text_v', v)) FROM bl_text
ORDER BY 1;

-- false positives on 100k absent keys: a sane bound (12 bits per key: ~0.35%)
SELECT 'int8' AS t, count(*) FILTER (WHERE blacklist_probe('bl_int8_k', -g::bigint)) < 1000 AS fpr_below_1pct
  FROM generate_series(1, 100000) g
UNION ALL SELECT 'cnid', count(*) FILTER (WHERE blacklist_probe('bl_cnid_k',
    cnid_from_parts(310101, date '1930-01-01' + g % 30000, g % 1000))) < 1000
  FROM generate_series(1, 100000) g
UNION ALL SELECT 'uscc', count(*) FILTER (WHERE blacklist_probe('bl_uscc_k',
    uscc_from_parts('91310000' || lpad(g::text, 9, '0')))) < 1000
  FROM generate_series(1, 100000) g
UNION ALL SELECT 'text', count(*) FILTER (WHERE blacklist_probe('bl_text_k', 'other-' || g)) < 1000
  FROM generate_series(1, 100000) g
UNION ALL SELECT 'varchar', count(*) FILTER (WHERE blacklist_probe('bl_text_v', ('other-' || g)::varchar)) < 1000
  FROM generate_series(1, 100000) g
ORDER BY 1;

-- and they are not all "no" either: the measured rate is above zero
SELECT count(*) FILTER (WHERE blacklist_probe('bl_int8_k', -g::bigint)) > 0 AS some_false_positives
FROM generate_series(1, 100000) g;

-- stats: sized for the rows, estimated and measured rates agree
SELECT capacity, inserted BETWEEN 99000 AND 100000 AS inserted_ok, bits_per_key, probes,
       pages, bytes = pages * current_setting('block_size')::int AS bytes_ok,
       estimated_fpr < 0.01 AS est_ok,
       abs(measured_fpr - estimated_fpr) < 0.002 AS measured_agrees,
       bytes::float8 / 100000 <= 16 AS size_per_key_ok
FROM blacklist_index_stats('bl_int8_k');

-- ---------- inserts after the build ----------
INSERT INTO bl_int8 SELECT -g FROM generate_series(1, 1000) g;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_int8_k', -g::bigint)) AS missed_new
FROM generate_series(1, 1000) g;
SELECT inserted > 100000 AS counted FROM blacklist_index_stats('bl_int8_k');

-- overfilling: a small declared capacity keeps working; the rate rises
CREATE TABLE bl_small (k bigint);
CREATE INDEX bl_small_k ON bl_small USING blacklist (k) WITH (capacity = 1000, bits_per_key = 8);
SELECT capacity, inserted, bits_per_key, pages FROM blacklist_index_stats('bl_small_k');
INSERT INTO bl_small SELECT g FROM generate_series(1, 20000) g;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_small_k', k)) AS missed FROM bl_small;
SELECT inserted > capacity AS overfull, estimated_fpr > 0.25 AS fpr_high FROM blacklist_index_stats('bl_small_k');
-- REINDEX resizes from the rows (the capacity option stays: drop it first)
ALTER INDEX bl_small_k RESET (capacity);
REINDEX INDEX bl_small_k;
SELECT capacity, estimated_fpr < 0.05 AS fpr_ok FROM blacklist_index_stats('bl_small_k');
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_small_k', k)) AS missed FROM bl_small;

-- ---------- VACUUM never clears a bit ----------
DELETE FROM bl_small WHERE k <= 10000;
VACUUM bl_small;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_small_k', g::bigint)) AS deleted_still_maybe
FROM generate_series(1, 10000) g;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_small_k', k)) AS missed FROM bl_small;
-- REINDEX rebuilds from the table (deleted rows that VACUUM has removed
-- are forgotten; whether it could remove them depends on other sessions)
REINDEX INDEX bl_small_k;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_small_k', k)) AS missed FROM bl_small;

-- TRUNCATE empties the filter
TRUNCATE bl_small;
SELECT blacklist_probe('bl_small_k', 15000::bigint) AS after_truncate;
INSERT INTO bl_small VALUES (15000);
SELECT blacklist_probe('bl_small_k', 15000::bigint) AS after_insert;

-- an unlogged list
CREATE UNLOGGED TABLE bl_unlogged (k bigint);
CREATE INDEX bl_unlogged_k ON bl_unlogged USING blacklist (k);
INSERT INTO bl_unlogged SELECT g FROM generate_series(1, 5000) g;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_unlogged_k', k)) AS missed FROM bl_unlogged;

-- ---------- the private copy and this backend's own rows ----------
-- Enough probes in one transaction make the backend copy the filter; rows
-- it inserts afterwards must still be found (through its copy).
BEGIN;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_int8_k', k)) AS missed FROM bl_int8 WHERE k IS NOT NULL;
INSERT INTO bl_int8 SELECT 2000000000000000 + g FROM generate_series(1, 500) g;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_int8_k', 2000000000000000 + g)) AS missed_own
FROM generate_series(1, 500) g;
SELECT private_copy FROM blacklist_index_stats('bl_int8_k');
COMMIT;

-- a trigger that screens the rows its own statement inserts
CREATE TABLE bl_trig (k bigint);
CREATE INDEX bl_trig_k ON bl_trig USING blacklist (k);
CREATE TABLE bl_trig_log (k bigint, maybe boolean);
CREATE FUNCTION bl_trig_f() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN INSERT INTO bl_trig_log VALUES (NEW.k, blacklist_probe('bl_trig_k', NEW.k)); RETURN NEW; END$$;
CREATE TRIGGER bl_trig_t AFTER INSERT ON bl_trig FOR EACH ROW EXECUTE FUNCTION bl_trig_f();
INSERT INTO bl_trig SELECT g FROM generate_series(1, 5000) g;
SELECT count(*) AS rows, count(*) FILTER (WHERE NOT maybe) AS missed FROM bl_trig_log;

-- ---------- parallel workers read the index ----------
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_cnid_k', k)) FROM bl_cnid;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_cnid_k', k)) AS missed_parallel FROM bl_cnid;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- ---------- scans: exact results through the bitmap heap scan ----------
SET enable_seqscan = off;
SET enable_indexscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM bl_small WHERE k = 15000::bigint;
SELECT * FROM bl_small WHERE k = 15000::bigint;
SELECT * FROM bl_small WHERE k = 15001::bigint;
-- cross-type = (bigint = integer, bigint = smallint) hash like the bigint
EXPLAIN (COSTS OFF) SELECT * FROM bl_small WHERE k = 15000;
SELECT * FROM bl_small WHERE k = 15000;
SELECT * FROM bl_small WHERE k = 15000::smallint;
SELECT * FROM bl_small WHERE k = 15001;
SELECT * FROM bl_small WHERE k = NULL::bigint;
SELECT count(*) FROM bl_text WHERE v = (SELECT min(v) FROM bl_text);
RESET enable_seqscan;
RESET enable_indexscan;
-- with a btree the planner keeps to it
CREATE INDEX bl_int8_btree ON bl_int8 (k);
ANALYZE bl_int8;
EXPLAIN (COSTS OFF) SELECT * FROM bl_int8 WHERE k = 15000;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM bl_int8 WHERE k = 15000;
RESET enable_seqscan;

-- ---------- errors ----------
CREATE INDEX ON bl_int8 USING blacklist (k) WITH (bits_per_key = 2);
CREATE INDEX ON bl_int8 USING blacklist (k) WITH (bits_per_key = 65);
CREATE INDEX ON bl_int8 USING blacklist (k) WITH (capacity = -1);
CREATE INDEX ON bl_int8 USING blacklist (k) WITH (fill = 3);
CREATE TABLE bl_bad (d date, i integer, k bigint, t text);
CREATE INDEX ON bl_bad USING blacklist (d);
CREATE INDEX ON bl_bad USING blacklist (i);
CREATE INDEX ON bl_bad USING blacklist (k, d);
CREATE INDEX ON bl_bad USING blacklist ((k + 1));
CREATE INDEX ON bl_bad USING blacklist (k) WHERE k > 0;
CREATE INDEX ON bl_bad USING blacklist (k) INCLUDE (d);
CREATE UNIQUE INDEX ON bl_bad USING blacklist (k);
CREATE COLLATION bl_nd (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE INDEX ON bl_bad USING blacklist ((t COLLATE bl_nd));
ALTER TABLE bl_bad ALTER COLUMN t TYPE text COLLATE bl_nd;
CREATE INDEX ON bl_bad USING blacklist (t);
CREATE INDEX ON bl_bad USING blacklist (t COLLATE "C");   -- fine: deterministic
DROP COLLATION bl_nd CASCADE;
CREATE INDEX bl_bad_btree ON bl_bad (k);
SELECT blacklist_probe('bl_bad_btree', 1::bigint);
SELECT blacklist_probe('bl_bad', 1::bigint);
SELECT blacklist_probe('bl_int8_k', 'x'::text);
SELECT blacklist_probe('bl_int8_k', NULL::bigint) IS NULL AS null_key;
SELECT blacklist_probe('bl_small_k', 15000) AS int4_key, blacklist_probe('bl_small_k', 15000::smallint) AS int2_key;
SELECT blacklist_probe('bl_text_k', 1);
SELECT * FROM blacklist_index_stats('bl_bad_btree');

-- a partitioned list: each partition has its own filter
CREATE TABLE bl_part (k bigint, p int) PARTITION BY LIST (p);
CREATE TABLE bl_part1 PARTITION OF bl_part FOR VALUES IN (1);
CREATE TABLE bl_part2 PARTITION OF bl_part FOR VALUES IN (2);
INSERT INTO bl_part SELECT g, 1 + g % 2 FROM generate_series(1, 1000) g;
CREATE INDEX bl_part_k ON bl_part USING blacklist (k);
SELECT blacklist_probe('bl_part1_k_idx', 2::bigint) AS in_part1, blacklist_probe('bl_part2_k_idx', 2::bigint) AS in_part2;
SELECT blacklist_probe('bl_part_k', 2::bigint);
DROP TABLE bl_part;

-- privileges: probing reveals the list's contents
CREATE ROLE bl_nobody;
SET ROLE bl_nobody;
SELECT blacklist_probe('bl_int8_k', 1::bigint);
RESET ROLE;
DROP ROLE bl_nobody;

-- the operator classes validate
SELECT opcname, amvalidate(o.oid) FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
WHERE a.amname = 'blacklist' ORDER BY 1;

-- the hash support functions are the documented portable ones
SELECT blacklist_text_hash('abc', 0) AS text_hash_abc,
       blacklist_text_hash('abc', 1) <> blacklist_text_hash('abc', 0) AS seeded,
       blacklist_int8_hash(1, 0) AS int8_hash_1;

DROP TABLE bl_int8, bl_cnid, bl_uscc, bl_text, bl_small, bl_unlogged, bl_trig, bl_trig_log, bl_bad;
DROP FUNCTION bl_trig_f();
-- the diagnostic probe refuses a table whose rows a policy hides from the
-- caller (the filter would tell hidden keys from absent ones)
CREATE TABLE bl_rls (subject bigint, tenant text);
INSERT INTO bl_rls SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 1000) g;
CREATE INDEX bl_rls_bl ON bl_rls USING blacklist (subject);
ALTER TABLE bl_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY bl_rls_a ON bl_rls USING (tenant = 'a');
CREATE ROLE bl_rls_reader;
GRANT SELECT ON bl_rls TO bl_rls_reader;
SET ROLE bl_rls_reader;
SELECT blacklist_probe('bl_rls_bl', 3::bigint);
SELECT * FROM blacklist_index_stats('bl_rls_bl');
RESET ROLE;
SELECT blacklist_probe('bl_rls_bl', 3::bigint) AS owner_probe;
DROP TABLE bl_rls;
DROP ROLE bl_rls_reader;
