-- uscc: unified social credit code (GB 32100-2015)
-- Every rule: a passing case and a failing case, with its message.

-- valid values, canonical (upper-case) output
SELECT '91350100M000100Y43'::uscc AS a,
       '91350100m000100y43'::uscc AS lower_case,
       E' \t91110000600037341L\n'::uscc AS white_space;

-- accessors (the lists of authorities and entity types are not hard-coded)
SELECT u, uscc_authority(u), uscc_entity_type(u), uscc_region(u), uscc_org_code(u),
       uscc_org_code_valid(u)
FROM (VALUES ('91350100M000100Y43'::uscc), ('91110000600037341L'),
             (uscc_from_parts('Y1110000600037342')), (uscc_from_parts('A2440300MA5DTRUCK'))) t(u)
ORDER BY u;

-- one failing input per rule (all SQLSTATE 22P02)
SELECT '91350100M000100Y4'::uscc;             -- wrong length
SELECT '91350100M000100Y431'::uscc;
SELECT ''::uscc;
SELECT '91350100-M000100Y43'::uscc;           -- separators are not forgiven
SELECT '91350100M0001I0Y43'::uscc;            -- forbidden letters I O S V Z
SELECT '9135O100M000100Y43'::uscc;
SELECT '91350100M000100S43'::uscc;
SELECT 'V1350100M000100Y43'::uscc;
SELECT '91350100M000100Yz3'::uscc;
SELECT '91350100M000100Y4#'::uscc;            -- other characters
SELECT '91350100M000100Y4é'::uscc;
SELECT '９１３５０１００Ｍ０００１００Ｙ４３'::uscc;
SELECT '913501A0M000100Y43'::uscc;            -- region must be digits
SELECT '91B50100M000100Y43'::uscc;
SELECT '91350100M000100Y44'::uscc;            -- wrong check character
SELECT '91350100M000100Y4X'::uscc;
\set VERBOSITY terse
SELECT '91110000600037341M'::uscc;
\set VERBOSITY default

-- is_valid_uscc and uscc_invalid_reason never raise
SELECT v, is_valid_uscc(v), uscc_invalid_reason(v)
FROM (VALUES ('91350100M000100Y43'), ('91350100m000100y43'), (' 91110000600037341L '),
             ('91350100M000100Y44'), ('91350100M0001I0Y43'), ('913501A0M000100Y43'),
             ('9135'), (''), ('91350100M000100Y4#')) t(v)
ORDER BY v;
SELECT is_valid_uscc(NULL), uscc_invalid_reason(NULL);

-- an early code that fails the GB 32100 check stays text and is flagged
CREATE TABLE uscc_staging (raw text);
INSERT INTO uscc_staging VALUES ('91350100M000100Y43'), ('91350100M000100Y44'), ('91110000600037341L');
SELECT raw, is_valid_uscc(raw), uscc_invalid_reason(raw) FROM uscc_staging ORDER BY raw;
SELECT raw::uscc FROM uscc_staging WHERE is_valid_uscc(raw) ORDER BY 1;
DROP TABLE uscc_staging;

-- GB 11714 organisation code check
SELECT c, uscc_org_code(c), uscc_org_code_valid(c)
FROM (VALUES (uscc_from_parts('91110000600037341')), (uscc_from_parts('91110000600037342')),
             (uscc_from_parts('9111000012345678X')), (uscc_from_parts('91110000000000000')),
             (uscc_from_parts('91110000MA0000001'))) t(c)
ORDER BY c;

-- constructor
SELECT uscc_from_parts('91350100M000100Y4'), uscc_from_parts(' 91350100m000100y4 ');
SELECT uscc_from_parts('91350100M000100Y43');
SELECT uscc_from_parts('91350100M000100O4');
SELECT uscc_from_parts('913501A0M000100Y4');

-- casts
CREATE TABLE uscc_cast_t (u uscc, t text, v varchar(18));
INSERT INTO uscc_cast_t VALUES ('91350100m000100y43', '91350100M000100Y43', '91110000600037341L');
INSERT INTO uscc_cast_t (u) SELECT t FROM uscc_cast_t;
INSERT INTO uscc_cast_t (u) SELECT v FROM uscc_cast_t WHERE v IS NOT NULL;
UPDATE uscc_cast_t SET t = u, v = u;
SELECT u, t, v, u::text = t AS same FROM uscc_cast_t ORDER BY u;
SELECT 'x'::text::uscc;
SELECT '91110000600037341l'::varchar::uscc;
DROP TABLE uscc_cast_t;

-- size and representation: 10 bytes, fixed length, by reference
SELECT pg_column_size('91350100M000100Y43'::uscc) AS bytes,
       typlen, typbyval, typalign FROM pg_type WHERE typname = 'uscc';

-- order = canonical text order (C collation); extremes of the alphabet
SELECT u FROM (VALUES (uscc_from_parts('YY999999YYYYYYYYY')), (uscc_from_parts('00000000000000000')),
       ('91350100M000100Y43'), ('91110000600037341L'), (uscc_from_parts('Y0000000000000000')),
       (uscc_from_parts('0Y999999YYYYYYYYY'))) t(u) ORDER BY u;
SELECT a < b, a <= b, a = b, a <> b, a >= b, a > b, uscc_cmp(a, b), uscc_cmp(b, a), uscc_cmp(a, a)
FROM (SELECT '91110000600037341L'::uscc a, '91350100M000100Y43'::uscc b) s;

-- the hash is fixed (stable across versions and platforms)
SELECT uscc_hash('91350100M000100Y43'), uscc_hash_extended('91350100M000100Y43', 0),
       uscc_hash_extended('91350100M000100Y43', 42);

-- generated data: 20000 codes from the alphabet
CREATE FUNCTION uscc_regress_gen(i integer) RETURNS uscc LANGUAGE sql IMMUTABLE AS $$
    SELECT uscc_from_parts(
        substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + i % 31, 1) ||
        substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (i / 31) % 31, 1) ||
        lpad((110000 + i % 700)::text, 6, '0') ||
        (SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ((i * 7919 + k * 104729) % 31), 1), '' ORDER BY k)
         FROM generate_series(1, 9) k))
$$;
CREATE TABLE uscc_a AS SELECT uscc_regress_gen(i) AS id, i FROM generate_series(1, 20000) i;
CREATE TABLE uscc_b AS SELECT id, i FROM uscc_a WHERE i % 3 = 1;
ANALYZE uscc_a, uscc_b;
SELECT count(*), count(DISTINCT id), count(DISTINCT id::text) FROM uscc_a;
SELECT count(*) FROM uscc_a WHERE id::text::uscc <> id OR NOT is_valid_uscc(id::text);
-- sort order agrees with the text
SELECT count(*) FROM (SELECT id, row_number() OVER (ORDER BY id) r1,
                             row_number() OVER (ORDER BY id::text COLLATE "C") r2 FROM uscc_a) s
WHERE r1 <> r2;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM uscc_a JOIN uscc_b USING (id);
SELECT count(*) FROM uscc_a JOIN uscc_b USING (id);
RESET enable_mergejoin; SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM uscc_a JOIN uscc_b USING (id);
SELECT count(*) FROM uscc_a JOIN uscc_b USING (id);
RESET enable_hashjoin; RESET enable_nestloop;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT id, count(*) FROM uscc_a GROUP BY id;
SELECT count(*), sum(n) FROM (SELECT id, count(*) n FROM uscc_a GROUP BY id) s;
RESET enable_sort;
SELECT min(id), max(id) FROM uscc_a;

-- hash partitioning
CREATE TABLE uscc_hp (id uscc) PARTITION BY HASH (id);
CREATE TABLE uscc_hp0 PARTITION OF uscc_hp FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE uscc_hp1 PARTITION OF uscc_hp FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE uscc_hp2 PARTITION OF uscc_hp FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO uscc_hp SELECT id FROM uscc_a;
SELECT tableoid::regclass, count(*) FROM uscc_hp GROUP BY 1 ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT * FROM uscc_hp WHERE id = '91350100M000100Y43';
SELECT count(*) FROM uscc_hp h JOIN uscc_b b USING (id);
DROP TABLE uscc_hp;

-- btree and GiST agree with a sequential scan
CREATE UNIQUE INDEX uscc_a_idx ON uscc_a (id);
CREATE INDEX uscc_a_gist ON uscc_a USING gist (id);
CREATE TABLE uscc_bound AS SELECT id AS b FROM uscc_a WHERE i = 7777;
SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off;
DROP INDEX uscc_a_idx;
EXPLAIN (COSTS OFF) SELECT count(*) FROM uscc_a WHERE id >= (SELECT b FROM uscc_bound);
SELECT (SELECT count(*) FROM uscc_a WHERE id <  (SELECT b FROM uscc_bound)) AS lt,
       (SELECT count(*) FROM uscc_a WHERE id <= (SELECT b FROM uscc_bound)) AS le,
       (SELECT count(*) FROM uscc_a WHERE id =  (SELECT b FROM uscc_bound)) AS eq,
       (SELECT count(*) FROM uscc_a WHERE id >= (SELECT b FROM uscc_bound)) AS ge,
       (SELECT count(*) FROM uscc_a WHERE id >  (SELECT b FROM uscc_bound)) AS gt;
RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_indexonlyscan;
SELECT count(*) FILTER (WHERE id::text COLLATE "C" <  b::text) AS lt,
       count(*) FILTER (WHERE id::text COLLATE "C" <= b::text) AS le,
       count(*) FILTER (WHERE id::text COLLATE "C" =  b::text) AS eq,
       count(*) FILTER (WHERE id::text COLLATE "C" >= b::text) AS ge,
       count(*) FILTER (WHERE id::text COLLATE "C" >  b::text) AS gt
FROM uscc_a, uscc_bound;
DROP TABLE uscc_bound, uscc_a, uscc_b;
DROP FUNCTION uscc_regress_gen(integer);

-- exclusion constraint: no two overlapping bans of one company on one list
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE uscc_bans (subject uscc, list text, valid daterange,
    EXCLUDE USING gist (subject WITH =, list WITH =, valid WITH &&));
INSERT INTO uscc_bans VALUES ('91350100M000100Y43', 'tender', '[2020-01-01,2025-01-01)');
INSERT INTO uscc_bans VALUES ('91350100M000100Y43', 'credit', '[2020-01-01,2025-01-01)');
INSERT INTO uscc_bans VALUES ('91350100m000100y43', 'tender', '[2024-12-31,2026-01-01)');
INSERT INTO uscc_bans VALUES ('91110000600037341L', 'tender', '[2024-12-31,2026-01-01)');
SELECT * FROM uscc_bans ORDER BY subject, list;
DROP TABLE uscc_bans;
DROP EXTENSION btree_gist;

-- binary COPY round trip
CREATE TABLE uscc_bin (id uscc);
INSERT INTO uscc_bin VALUES ('91350100M000100Y43'), ('91110000600037341L'), (NULL);
COPY uscc_bin TO '/tmp/integrity_regress_uscc.bin' WITH (FORMAT binary);
CREATE TABLE uscc_bin2 (id uscc);
COPY uscc_bin2 FROM '/tmp/integrity_regress_uscc.bin' WITH (FORMAT binary);
SELECT a.id, b.id FROM uscc_bin a FULL JOIN uscc_bin2 b ON a.id = b.id ORDER BY a.id, b.id;
SELECT uscc_send('91350100M000100Y43');

-- malformed binary input is rejected
CREATE FUNCTION uscc_try_recv(raw bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', raw, '/tmp/integrity_regress_uscc_bad.bin');
    TRUNCATE uscc_bin2;
    COPY uscc_bin2 FROM '/tmp/integrity_regress_uscc_bad.bin' WITH (FORMAT binary);
    RETURN 'accepted ' || (SELECT id::text FROM uscc_bin2);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT uscc_try_recv('\x01' || convert_to('91350100M000100Y43', 'UTF8')) AS good;
SELECT uscc_try_recv('\x00' || convert_to('91350100M000100Y43', 'UTF8')) AS bad_version;
SELECT uscc_try_recv('\x01' || convert_to('91350100m000100y43', 'UTF8')) AS lower_case;
SELECT uscc_try_recv('\x01' || convert_to('91350100M000100Y44', 'UTF8')) AS bad_check;
SELECT uscc_try_recv('\x01' || convert_to('91350100M0001O0Y43', 'UTF8')) AS forbidden;
SELECT uscc_try_recv('\x01' || convert_to('9135010', 'UTF8')) AS short;
SELECT uscc_try_recv('\x01' || convert_to('91350100M000100Y43 ', 'UTF8')) AS long;
SELECT uscc_try_recv('\x01' || convert_to(' 91350100M000100Y4', 'UTF8')) AS padded;
SELECT uscc_try_recv('\x01808080808080808080808080808080808080') AS garbage;
-- every failure is 22P03, never a read past the field: "9" and 17 NULs (the
-- issue's payload), a NUL at the end, invalid UTF-8
SELECT uscc_try_recv('\x01390000000000000000000000000000000000') AS nul_after_one;
SELECT uscc_try_recv('\x01' || convert_to('91350100M000100Y4', 'UTF8') || '\x00') AS nul_last;
SELECT uscc_try_recv('\x01' || convert_to('91350100M000100Y', 'UTF8') || '\xe6b8') AS cut_utf8;
DROP FUNCTION uscc_try_recv(bytea);
-- the same inside an array: the issue's crasher was a 366-element uscc[] of
-- such values sent in binary; built here by hand (ndim, flags, element type,
-- length, lower bound, then each element's length and bytes)
CREATE TABLE uscc_arr (ids uscc[]);
CREATE FUNCTION uscc_arr_try_recv(elem bytea, n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    raw bytea := int4send(1) || int4send(0) || int4send('uscc'::regtype::oid::bigint::int)
                 || int4send(n) || int4send(1)
                 || (SELECT string_agg(int4send(length(elem)) || elem, ''::bytea) FROM generate_series(1, n));
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', raw, '/tmp/integrity_regress_uscc_arr.bin');
    TRUNCATE uscc_arr;
    COPY uscc_arr FROM '/tmp/integrity_regress_uscc_arr.bin' WITH (FORMAT binary);
    RETURN 'accepted ' || (SELECT cardinality(ids) || ' x ' || ids[n]::text FROM uscc_arr);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT uscc_arr_try_recv('\x01' || convert_to('91350100M000100Y43', 'UTF8'), 366) AS good_array;
SELECT uscc_arr_try_recv('\x01390000000000000000000000000000000000', 366) AS nul_array;
DROP FUNCTION uscc_arr_try_recv(bytea, int);
DROP TABLE uscc_arr;
DROP TABLE uscc_bin, uscc_bin2;
