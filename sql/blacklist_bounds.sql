-- Bounds of the blacklist index (issue 17, items 5 and 6): the size limit
-- integrity.blacklist_max_filter_size against a role that has nothing but
-- TEMP, a build within a small maintenance_work_mem writing the same filter
-- as one with room, one SQLSTATE for a missing OID, and
-- blacklist_index_stats labelled PARALLEL RESTRICTED.  (The timing of
-- cancelled builds and scans: test/bounds.sh; hot standby: test/standby.sh.)
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- ---------- the size limit ----------
CREATE ROLE bl_temp_only;
SET ROLE bl_temp_only;
CREATE TEMP TABLE bl_e (k bigint);
-- 16 GB of pages (a 16 GiB zeroed allocation before), 1.1 GB on 0 rows
CREATE INDEX ON bl_e USING blacklist (k) WITH (capacity = 2147483647, bits_per_key = 64);
\echo :LAST_ERROR_SQLSTATE
SHOW integrity.blacklist_max_filter_size;
CREATE INDEX ON bl_e USING blacklist (k) WITH (capacity = 150000000, bits_per_key = 64);
\echo :LAST_ERROR_SQLSTATE
-- what fits is built
CREATE INDEX bl_e_k ON bl_e USING blacklist (k) WITH (capacity = 1000000);
SELECT capacity, pages FROM blacklist_index_stats('bl_e_k');
-- raising the capacity takes effect at REINDEX, which checks again
ALTER INDEX bl_e_k SET (capacity = 800000000);
REINDEX INDEX bl_e_k;
\echo :LAST_ERROR_SQLSTATE
ALTER INDEX bl_e_k RESET (capacity);
REINDEX INDEX bl_e_k;
-- only a superuser raises the limit
SET integrity.blacklist_max_filter_size = '2GB';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- an unlogged table (its main and its init fork) is bounded alike
CREATE UNLOGGED TABLE bl_u (k bigint);
CREATE INDEX ON bl_u USING blacklist (k) WITH (capacity = 150000000, bits_per_key = 64);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE bl_u;
SET integrity.blacklist_max_filter_size = '512kB';
SET integrity.blacklist_max_filter_size = '2MB';
-- a filter sized by the rows (capacity 0) is bounded too
INSERT INTO bl_e SELECT g FROM generate_series(1, 300000) g;
CREATE INDEX ON bl_e USING blacklist (k) WITH (bits_per_key = 64);
CREATE INDEX bl_e_k12 ON bl_e USING blacklist (k);
SELECT capacity, pages FROM blacklist_index_stats('bl_e_k12');
SET integrity.blacklist_max_filter_size = '8MB';
CREATE INDEX bl_e_k64 ON bl_e USING blacklist (k) WITH (bits_per_key = 64);
SELECT capacity, pages FROM blacklist_index_stats('bl_e_k64');
RESET integrity.blacklist_max_filter_size;
DROP TABLE bl_e;
DROP ROLE bl_temp_only;

-- ---------- a build within maintenance_work_mem ----------
-- 300k keys under 1MB: most hashes through a temporary file, the filter set
-- in several windows; the same filter as a build with room.
CREATE TABLE bl_w (k bigint);
INSERT INTO bl_w SELECT g * 7919::bigint FROM generate_series(1, 300000) g;
INSERT INTO bl_w VALUES (NULL);
SET maintenance_work_mem = '1MB';
CREATE INDEX bl_w_small ON bl_w USING blacklist (k) WITH (bits_per_key = 16);
RESET maintenance_work_mem;
CREATE INDEX bl_w_big ON bl_w USING blacklist (k) WITH (bits_per_key = 16);
SELECT s.capacity = b.capacity AND s.inserted = b.inserted AND s.pages = b.pages AND
       s.fill = b.fill AND s.measured_fpr = b.measured_fpr AS same_filter, s.pages
FROM blacklist_index_stats('bl_w_small') s, blacklist_index_stats('bl_w_big') b;
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_w_small', k)) AS missed FROM bl_w;
SELECT count(*) FILTER (WHERE blacklist_probe('bl_w_small', -g::bigint) <> blacklist_probe('bl_w_big', -g::bigint)) AS differ,
       count(*) FILTER (WHERE blacklist_probe('bl_w_small', -g::bigint)) < 1000 AS fpr_low
FROM generate_series(1, 100000) g;
DROP TABLE bl_w;

-- ---------- a missing OID: 42P01 everywhere; a wrong relation: 42809 ----------
CREATE TABLE bl_o (k bigint);
SELECT * FROM blacklist_index_stats(4000000000);
\echo :LAST_ERROR_SQLSTATE
SELECT blacklist_probe(4000000000, 1::bigint);
\echo :LAST_ERROR_SQLSTATE
SELECT listed(1::bigint, 4000000000);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM blacklist_index_stats('bl_o');
\echo :LAST_ERROR_SQLSTATE

-- ---------- blacklist_index_stats is PARALLEL RESTRICTED ----------
-- private_copy is the calling backend's: a worker would report its own
SELECT proparallel FROM pg_proc WHERE oid = 'blacklist_index_stats(regclass)'::regprocedure;
INSERT INTO bl_o SELECT g FROM generate_series(1, 2000) g;
CREATE INDEX bl_o_k ON bl_o USING blacklist (k);
SELECT count(*) FILTER (WHERE NOT blacklist_probe('bl_o_k', g::bigint)) AS missed
FROM generate_series(1, 2000) g;
SELECT private_copy FROM blacklist_index_stats('bl_o_k');
SET force_parallel_mode = on;
SELECT private_copy FROM blacklist_index_stats('bl_o_k');
RESET force_parallel_mode;
DROP TABLE bl_o;
