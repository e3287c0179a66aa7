-- iscore: text form, constructors, accessors, rules, arithmetic, order, hashing,
-- aggregates, binary I/O and every kind of bad input.

-- text form round-trips and is canonical
SELECT v::iscore AS score, v::iscore::text::iscore = v::iscore AS round_trips
FROM (VALUES ('80.50+3.00'), ('80.5+3'), ('  80.50+3.00!2  '), ('-5-1.5'),
             ('0+0'), ('100.00+0.00!0'), ('80.500+3.000'),
             ('9999999999999999.99+9999999999999999.99!2147483647'),
             ('-9999999999999999.99-9999999999999999.99')) t(v);

-- malformed text: 22P02 with a detail naming the problem
SELECT ''::iscore;
SELECT 'abc'::iscore;
SELECT '80.50'::iscore;
SELECT '80.50+'::iscore;
SELECT '80.505+0'::iscore;
SELECT '80.+1'::iscore;
SELECT '80.50++3'::iscore;
SELECT '80.50+3.00!'::iscore;
SELECT '80.50+3.00!-1'::iscore;
SELECT '80.50+3.00 x'::iscore;
SELECT '8 0+1'::iscore;
SELECT '+80+1'::iscore;
-- out of range: 22003
SELECT '10000000000000000+0'::iscore;
SELECT '1+0!2147483648'::iscore;

-- constructor and accessors
SELECT iscore(80.5), iscore(80.5, 3), iscore(80.5, 3, 2), iscore(-1.25, -0.5);
SELECT base(s), bonus(s), redlines(s) FROM (SELECT '80.50+3.00!2'::iscore AS s) t;
SELECT iscore(80.501);
SELECT iscore(1, 0.001);
SELECT iscore(1, 0, -1);
SELECT iscore('NaN'::numeric);
SELECT iscore(10000000000000000);
SELECT iscore(NULL, 1) IS NULL AS strict;

-- total(): the veto and the cap
SELECT s, total(s, 10) AS cap10, total(s, 0) AS cap0, total(s, 2.5) AS cap2_5
FROM (VALUES ('80.50+3.00'::iscore), ('80.50+13.00'), ('95.00+5.00!1'), ('70.00-2.00')) t(s);
SELECT total('80+3'::iscore, -1);
SELECT total('80+3'::iscore, 0.001);

-- arithmetic: + adds every field, * scales points (half-even to 0.01), keeps red lines
SELECT '80.50+3.00!1'::iscore + '10.25-1.00!2' AS plus;
SELECT s * w AS scaled, w * s AS commuted
FROM (VALUES ('1.00+0.03'::iscore, 0.5), ('0.01+0.03', 0.5), ('0.05+0.07', 0.5),
             ('-0.05-0.07', 0.5), ('80.00+3.00!1', 0.125), ('33.33+0', 0.3333)) t(s, w);
SELECT '1+0'::iscore * -0.5;
SELECT '1+0'::iscore * 'NaN'::numeric;
SELECT '9999999999999999.99+0'::iscore + '0.01+0';
SELECT '9999999999999999.99+0'::iscore * 2;
SELECT '-9999999999999999.99+0'::iscore + '-0.01+0';
SELECT '1+0!2147483647'::iscore + '1+0!1';

-- order: more red-line hits sort lower, then base + bonus, then base
SELECT s FROM (VALUES ('90+0'::iscore), ('80+10'), ('85+5'), ('99+0!1'), ('50+0!2'),
                      ('0+0'), ('89.99+0'), ('80+10!1')) t(s)
ORDER BY s;
SELECT '90+0'::iscore = '90.00+0.00' AS eq, '90+0'::iscore <> '80+10' AS ne,
       '80+10'::iscore < '90+0' AS lt_same_sum_less_base, '99+0!1'::iscore < '0+0' AS vetoed_lowest,
       '1+0'::iscore <= '1+0' AS le, '2+0'::iscore > '1+0' AS gt, '2+0'::iscore >= '2+0' AS ge;

-- the order does not depend on session settings
SET lc_monetary = 'C'; SET extra_float_digits = 3;
SELECT array_agg(s ORDER BY s) FROM (VALUES ('1+0'::iscore), ('-1+2'), ('0+1!1')) t(s);
RESET lc_monetary; RESET extra_float_digits;

-- hashing: stable values (they decide hash partitions), equal values hash equal
SELECT iscore_hash('80.50+3.00'), iscore_hash('80.5+3'), iscore_hash('80.50+3.00!1'),
       iscore_hash_extended('80.50+3.00', 0) = iscore_hash_extended('80.5+3', 0) AS ext_eq,
       iscore_hash_extended('80.50+3.00', 1) <> iscore_hash_extended('80.50+3.00', 2) AS seeded;

-- the hash values of release 1.0 (x86-64), pinned: hash indexes and hash
-- partitions built by 1.0 stay valid after the update, and the values are
-- computed without reading memory in the machine's byte order, so a
-- big-endian server gives the same numbers
SELECT s, iscore_hash(s) AS h, iscore_hash_extended(s, 0) AS h0,
       iscore_hash_extended(s, 42) AS h42, iscore_hash_extended(s, -1) AS hm1
FROM (VALUES ('0+0'::iscore), ('80.50+3.00'), ('-1.25-0.50!3'),
             ('9999999999999999.99-9999999999999999.99!2147483647')) t(s);

-- btree and hash indexes, hash join, merge join, hash aggregate, hash partitions
CREATE TABLE iscore_t (id int, s iscore);
INSERT INTO iscore_t SELECT g, iscore(g % 50, (g % 7) * 0.25, (g % 11 = 0)::int) FROM generate_series(1, 2000) g;
CREATE INDEX ON iscore_t USING btree (s);
CREATE INDEX ON iscore_t USING hash (s);
ANALYZE iscore_t;
SET enable_seqscan = off;
SELECT count(*) FROM iscore_t WHERE s = '10.00+0.75';
RESET enable_seqscan;
SET enable_mergejoin = off; SET enable_nestloop = off;
SELECT count(*) FROM iscore_t a JOIN iscore_t b ON a.s = b.s;
RESET enable_mergejoin; SET enable_hashjoin = off;
SELECT count(*) FROM iscore_t a JOIN iscore_t b ON a.s = b.s;
RESET enable_hashjoin; RESET enable_nestloop;
SET enable_sort = off;
SELECT count(*) FROM (SELECT s FROM iscore_t GROUP BY s) g;
RESET enable_sort;
CREATE TABLE iscore_parts (s iscore) PARTITION BY HASH (s);
CREATE TABLE iscore_parts_0 PARTITION OF iscore_parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE iscore_parts_1 PARTITION OF iscore_parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO iscore_parts VALUES ('80.50+3.00'), ('70+0'), ('60+1!1'), ('90+2');
SELECT tableoid::regclass AS part, s FROM iscore_parts ORDER BY s;

-- aggregates: sum and avg (red lines add up; averages round half-even)
SELECT sum(s), avg(s), count(s) FROM (VALUES ('80.50+3.00'::iscore), ('70.25-1.00!1'), (NULL)) t(s);
SELECT sum(s) IS NULL AS sum_empty, avg(s) IS NULL AS avg_empty FROM iscore_t WHERE false;
SELECT avg(s) FROM (VALUES ('0.01+0.01'::iscore), ('0.02+0.02')) t(s);   -- 0.015 -> 0.02
SELECT avg(s) FROM (VALUES ('0.01+0.03'::iscore), ('0.00+0.02')) t(s);   -- 0.005 -> 0.00, 0.025 -> 0.02
SELECT sum(s) FROM (VALUES ('9999999999999999.99+0'::iscore), ('0.01+0')) t(s);
SELECT sum(s) = iscore(sum(base(s)), sum(bonus(s)), sum(redlines(s))::int) AS sum_matches_numeric
FROM iscore_t;

-- avg's bigint[] state is checked when it comes from outside
SELECT integrity_internal.iscore_avg_final('{1,2,3}');
SELECT integrity_internal.iscore_avg_final('{-1,0,0,0}');
SELECT integrity_internal.iscore_avg_final('{1,0,0,0}');
-- every support function checks the state it is given (they are callable
-- from SQL): the row count cannot wrap, a red-line count beyond int4 is not
-- truncated, impossible sums are refused
SELECT integrity_internal.iscore_avg_accum('{9223372036854775807,0,0,0}', '1+1');
SELECT integrity_internal.iscore_avg_accum('{1,0,0,4294967296}', '1+1');
SELECT integrity_internal.iscore_avg_final('{1,0,0,4294967296}');
SELECT integrity_internal.iscore_avg_combine('{1,0,0,0}', '{1,0,0,4294967296}');
SELECT integrity_internal.iscore_avg_combine('{9223372036854775807,0,0,0}', '{1,0,0,0}');
SELECT integrity_internal.iscore_avg_accum('{1,100000000000000000,0,0}', '1+1');
SELECT integrity_internal.iscore_avg_accum('{0,1,0,0}', '1+1');
SELECT integrity_internal.iscore_avg_accum('{0,0,0,1}', '1+1');
SELECT integrity_internal.iscore_avg_final('{3,1,0,0,-1,0}');
SELECT integrity_internal.iscore_avg_final('{3,1000000000000000000,0,0,0,0}');
SELECT integrity_internal.iscore_avg_final('[0:3]={1,0,0,0}');
-- sums beyond one score's range are exact: the average of two (or three)
-- largest scores is representable and returned
SELECT avg(s) FROM (VALUES ('9999999999999999.99+0'::iscore), ('9999999999999999.99+0')) t(s);
SELECT avg(s) FROM (VALUES ('-9999999999999999.99-9999999999999999.99'::iscore),
                           ('-9999999999999999.99-9999999999999999.99'),
                           ('-9999999999999999.98-9999999999999999.99')) t(s);
SELECT integrity_internal.iscore_avg_accum(integrity_internal.iscore_avg_accum('{0,0,0,0}', '9999999999999999.99+0.01!1'),
                        '9999999999999999.99+0.01') AS wide_state;
SELECT integrity_internal.iscore_avg_final(integrity_internal.iscore_avg_combine(
           integrity_internal.iscore_avg_accum(integrity_internal.iscore_avg_accum('{0,0,0,0}', '9999999999999999.99+0'), '9999999999999999.99+0'),
           integrity_internal.iscore_avg_accum('{0,0,0,0}', '9999999999999999.97+0'))) AS combined;
-- serial = forced parallel over sums far beyond one score
CREATE TABLE iscore_big AS
SELECT g % 7 AS k, iscore(9999999999999999.99 - (g % 3), -9999999999999999.99 + (g % 5), g % 2) AS s
FROM generate_series(1, 30000) g;
ANALYZE iscore_big;
CREATE TEMP TABLE avg_serial AS SELECT k, avg(s) AS a FROM iscore_big GROUP BY k;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT k, avg(s) FROM iscore_big GROUP BY k;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.a = s.a) AS equal
FROM (SELECT k, avg(s) AS a FROM iscore_big GROUP BY k) p JOIN avg_serial s USING (k);
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SELECT a FROM avg_serial WHERE k = 0;
DROP TABLE iscore_big;

-- "finer than a hundredth" is 22023 everywhere (as in portrait)
DO $$
DECLARE q text;
BEGIN
    FOREACH q IN ARRAY ARRAY['SELECT iscore(80.501)', 'SELECT iscore(1, 0.001)',
                             'SELECT total(''80+3''::iscore, 0.001)']
    LOOP
        BEGIN
            EXECUTE q;
            RAISE NOTICE '%: no error', q;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE '%: %', q, SQLSTATE;
        END;
    END LOOP;
END $$;

-- text input accepts what numeric would (leading zeros, "-0", fewer
-- decimals) and normalises it; output is canonical
SELECT '007.50+000.5'::iscore AS leading_zeros, '-0.00-0'::iscore AS minus_zero,
       '-0+0'::iscore = '0+0' AS minus_zero_equal, ' 1.5-2 '::iscore AS blanks;

-- binary COPY round trip
CREATE TABLE iscore_copy (s iscore);
COPY (SELECT s FROM iscore_t ORDER BY id) TO '/tmp/integrity_regress_iscore.bin' (FORMAT binary);
COPY iscore_copy FROM '/tmp/integrity_regress_iscore.bin' (FORMAT binary);
SELECT count(*) AS copied,
       count(*) FILTER (WHERE c.s = t.s) AS equal
FROM (SELECT s, row_number() OVER () AS n FROM iscore_copy) c
JOIN (SELECT s, row_number() OVER (ORDER BY id) AS n FROM iscore_t) t USING (n);

-- malformed binary values are rejected: unknown format byte, red-line count
-- negative, points out of range, short value
CREATE FUNCTION pg_temp.copy_file(payload text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = 424242;
    PERFORM lo_from_bytea(424242, decode('5047434f50590aff0d0a00' || '00000000' || '00000000'
        || '0001' || lpad(to_hex(length(payload) / 2), 8, '0') || payload || 'ffff', 'hex'));
    PERFORM lo_export(424242, '/tmp/integrity_regress_iscore_bad.bin');
    PERFORM lo_unlink(424242);
END $$;
SELECT pg_temp.copy_file('02' || '0000000000001f72' || '000000000000012c' || '00000000');
COPY iscore_copy FROM '/tmp/integrity_regress_iscore_bad.bin' (FORMAT binary);
SELECT pg_temp.copy_file('01' || '0000000000001f72' || '000000000000012c' || 'ffffffff');
COPY iscore_copy FROM '/tmp/integrity_regress_iscore_bad.bin' (FORMAT binary);
SELECT pg_temp.copy_file('01' || '7fffffffffffffff' || '000000000000012c' || '00000000');
COPY iscore_copy FROM '/tmp/integrity_regress_iscore_bad.bin' (FORMAT binary);
SELECT pg_temp.copy_file('01' || '0000000000001f72');
COPY iscore_copy FROM '/tmp/integrity_regress_iscore_bad.bin' (FORMAT binary);
-- and a good hand-made one is read: 80.50+3.00!1
SELECT pg_temp.copy_file('01' || '0000000000001f72' || '000000000000012c' || '00000001');
COPY iscore_copy FROM '/tmp/integrity_regress_iscore_bad.bin' (FORMAT binary);
SELECT s FROM iscore_copy WHERE redlines(s) = 1 AND base(s) = 80.50;

DROP TABLE iscore_t, iscore_parts, iscore_copy;
