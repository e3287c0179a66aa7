-- cnid: resident identity number (GB 11643-1999)
-- Every rule: a passing case and a failing case, with its message.

-- valid values, canonical output
SELECT '11010519491231002X'::cnid AS upper_x,
       '11010519491231002x'::cnid AS lower_x,
       E' \t11010519491231002X\n '::cnid AS white_space,
       '440524188001010014'::cnid AS born_1880;

-- the old 15-digit form is upgraded (19YY, check character added)
SELECT '110105491231002'::cnid AS old_form,
       cnid_birth_date('110105491231002') AS birth;
-- centenarians: sequence 996-999 in a 15-digit number means born 18YY
SELECT t.v, t.v::cnid AS upgraded, cnid_birth_date(t.v::cnid)
FROM (VALUES ('110105991231995'), ('110105991231996'), ('110105050101997'),
             ('110105050101998'), ('110105050101999')) t(v)
ORDER BY t.v;

-- accessors
SELECT cnid_birth_date(c), cnid_region(c), cnid_province(c), cnid_sex(c), cnid_mask(c)
FROM (VALUES ('11010519491231002X'::cnid), ('440524188001010014'), ('310101200002290015')) t(c)
ORDER BY c;

-- one failing input per rule: the error names the rule (all SQLSTATE 22P02)
\set VERBOSITY default
SELECT '1101051949123100'::cnid;              -- wrong length
SELECT ''::cnid;                              -- empty
SELECT '11010519491231002X1'::cnid;           -- too long
SELECT '110105-1949-1231-002X'::cnid;         -- separators are not forgiven
SELECT '1101051949x231002X'::cnid;            -- non-digit in the body
SELECT '11010519491231002A'::cnid;            -- bad check character position
SELECT '11010519491231002Y'::cnid;
SELECT '11010549123100A'::cnid;               -- non-digit in the old form
SELECT '１１０１０５１９４９１２３１００２Ｘ'::cnid;  -- full-width digits
SELECT '110105194912310021'::cnid;            -- wrong check character: expected X
SELECT '110105194912310020'::cnid;
SELECT '91010519491231002X'::cnid;            -- unknown province
SELECT '000000194912310000'::cnid;
SELECT '11010519490230002X'::cnid;            -- Feb 30
SELECT '110105190002290011'::cnid;            -- 1900 is not a leap year
SELECT '110105194913010011'::cnid;            -- month 13
SELECT '110105194912000011'::cnid;            -- day 0
SELECT '110105490230002'::cnid;               -- impossible date in the old form
SELECT '11010517991231002X'::cnid;            -- before 1800
-- a birth date after today is not an input rule (input is a pure function
-- of the text); the cleansing functions refuse it
SELECT '110105209912310010'::cnid AS future_value, is_valid_cnid('110105209912310010') AS valid,
       cnid_invalid_reason('110105209912310010') AS reason;

-- leap days are fine
SELECT '110105200002290013'::cnid, '110105190402290016'::cnid;

-- the error code and the detail of the check-character rule
DO $$
BEGIN
    PERFORM '110105194912310021'::cnid;
EXCEPTION WHEN invalid_text_representation THEN
    RAISE NOTICE 'caught %', SQLSTATE;
END $$;

-- type input is a pure function of its text: a value born "today" where the
-- date is already tomorrow elsewhere reads back under every time zone (text
-- input, cast, text COPY and binary COPY); the cleansing rule follows the
-- session's date
SET TimeZone = 'Pacific/Kiritimati';
CREATE TABLE cnid_tz (id cnid);
INSERT INTO cnid_tz SELECT cnid_from_parts(110105, current_date, 1);
SELECT is_valid_cnid(id::text) AS valid_in_kiritimati FROM cnid_tz;
COPY cnid_tz TO '/tmp/integrity_regress_cnid_tz.txt';
COPY cnid_tz TO '/tmp/integrity_regress_cnid_tz.bin' (FORMAT binary);
SET TimeZone = 'Pacific/Pago_Pago';
SELECT cnid_birth_date(id) > current_date AS born_tomorrow_here,
       id::text::cnid = id AS text_cast, cnid(id::text) = id AS cnid_text,
       cnid_in(cnid_out(id)) = id AS type_input,
       is_valid_cnid(id::text) AS valid_in_pago_pago,
       cnid_invalid_reason(id::text) LIKE '%is in the future' AS reason_future
FROM cnid_tz;
COPY cnid_tz FROM '/tmp/integrity_regress_cnid_tz.txt';
COPY cnid_tz FROM '/tmp/integrity_regress_cnid_tz.bin' (FORMAT binary);
SELECT count(*) AS rows, count(DISTINCT id) AS values FROM cnid_tz;
RESET TimeZone;
DROP TABLE cnid_tz;
-- and it is IMMUTABLE: usable in an expression index over raw text
CREATE TABLE cnid_raw (raw text);
CREATE INDEX ON cnid_raw (cnid(raw));
DROP TABLE cnid_raw;
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility
FROM pg_proc p
WHERE p.oid IN ('cnid_in(cstring)'::regprocedure, 'cnid_recv(internal)'::regprocedure,
                'cnid(text)'::regprocedure, 'cnid_from_parts(integer, date, integer)'::regprocedure,
                'is_valid_cnid(text)'::regprocedure, 'cnid_invalid_reason(text)'::regprocedure)
ORDER BY 1::text;

-- the future rule against the real current date
SELECT cnid_birth_date(cnid_from_parts(110105, current_date, 1)) = current_date AS today_ok,
       is_valid_cnid(text(cnid_from_parts(110105, current_date, 1))) AS today_valid;
SELECT is_valid_cnid(x) AS tomorrow_valid, cnid_invalid_reason(x) LIKE '%is in the future' AS reason
FROM (SELECT '110105' || to_char(current_date + 1, 'YYYYMMDD') || '001' AS b) s,
     LATERAL (SELECT b || substr('10X98765432',
                  (SELECT sum(substr(b, i, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i])
                   FROM generate_series(1, 17) i)::int % 11 + 1, 1) AS x) c;

-- every province-level code, and never a county-level rule
SELECT p, is_valid_cnid(text(cnid_from_parts(p * 10000 + 9999, '1990-01-01', 123))) AS ok
FROM unnest(ARRAY[11,15,21,23,31,37,41,46,50,54,61,65,71,81,82,83]) p ORDER BY p;
SELECT p, cnid_invalid_reason(lpad(p::text, 2, '0') || '0101199001011230') AS reason
FROM unnest(ARRAY[0,10,16,20,24,30,38,40,47,49,55,60,66,70,72,80,84,99]) p ORDER BY p;

-- is_valid_cnid and cnid_invalid_reason never raise
SELECT v, is_valid_cnid(v), cnid_invalid_reason(v)
FROM (VALUES ('11010519491231002X'), ('11010519491231002x'), (' 110105491231002 '),
             ('110105194912310021'), ('1101051949'), ('ABCDEFGHIJKLMNOPQR'),
             ('11010519490230002X'), ('99010519491231002X'), ('11010517991231002X'),
             ('11010519491231002'), (E'11010519491231002X\u00e9'), ('')) t(v)
ORDER BY v;
SELECT is_valid_cnid(NULL), cnid_invalid_reason(NULL);

-- constructor
SELECT cnid_from_parts(110105, '1949-12-31', 2), cnid_from_parts(440524, '1880-01-01', 1);
SELECT cnid_from_parts(110105, '1949-12-31', 1000);
SELECT cnid_from_parts(99999, '1949-12-31', 1);
SELECT cnid_from_parts(910105, '1949-12-31', 1);
SELECT cnid_from_parts(110105, '1700-12-31', 1);
SELECT cnid_from_parts(110105, 'infinity', 1);

-- casts: text, varchar (assignment), explicit
CREATE TABLE cnid_cast_t (c cnid, t text, v varchar(18));
INSERT INTO cnid_cast_t VALUES ('11010519491231002x', '11010519491231002X', '11010519491231002X');
INSERT INTO cnid_cast_t (c) SELECT t FROM cnid_cast_t;
INSERT INTO cnid_cast_t (c) SELECT v FROM cnid_cast_t WHERE v IS NOT NULL;
UPDATE cnid_cast_t SET t = c, v = c;
SELECT c, t, v, c::text = t AS same, pg_typeof(c) FROM cnid_cast_t ORDER BY c;
SELECT 'x'::text::cnid;
SELECT '110105491231002'::varchar::cnid;
DROP TABLE cnid_cast_t;

-- size and representation
SELECT pg_column_size('11010519491231002X'::cnid) AS bytes,
       typlen, typbyval, typalign FROM pg_type WHERE typname = 'cnid';

-- comparison and order: cnid order = canonical text order
SELECT c FROM (VALUES ('11010519491231002X'::cnid), ('110105194912310011'), ('440524188001010014'),
       ('110105491231002'), ('310101200002290015')) t(c) ORDER BY c;
SELECT a < b, a <= b, a = b, a <> b, a >= b, a > b, cnid_cmp(a, b), cnid_cmp(b, a), cnid_cmp(a, a)
FROM (SELECT '110105194912310011'::cnid a, '11010519491231002X'::cnid b) s;

-- the hash is fixed (stable across versions and platforms); low 32 bits of
-- the extended hash with seed 0 are the standard hash
SELECT cnid_hash('11010519491231002X'), cnid_hash_extended('11010519491231002X', 0),
       cnid_hash_extended('11010519491231002X', 42);
SELECT count(*) FILTER (WHERE (cnid_hash(c)::bigint & 4294967295) <> (cnid_hash_extended(c, 0) & 4294967295)) AS mismatches
FROM (SELECT cnid_from_parts(110105, date '1950-01-01' + i, i % 1000) c FROM generate_series(1, 1000) i) s;

-- joins, aggregation, partitioning
CREATE TABLE cnid_a AS SELECT cnid_from_parts(110105 + i % 7, date '1950-01-01' + i % 5000, i % 1000) AS id, i
    FROM generate_series(1, 20000) i;
CREATE TABLE cnid_b AS SELECT cnid_from_parts(110105 + i % 7, date '1950-01-01' + i % 5000, i % 1000) AS id, i
    FROM generate_series(1, 20000, 3) i;
ANALYZE cnid_a, cnid_b;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM cnid_a JOIN cnid_b USING (id);
SELECT count(*) FROM cnid_a JOIN cnid_b USING (id);
RESET enable_mergejoin; SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM cnid_a JOIN cnid_b USING (id);
SELECT count(*) FROM cnid_a JOIN cnid_b USING (id);
RESET enable_hashjoin; RESET enable_nestloop;
-- the same join on text gives the same count
SELECT count(*) FROM cnid_a a JOIN cnid_b b ON a.id::text = b.id::text;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT id, count(*) FROM cnid_a GROUP BY id;
SELECT count(*), sum(n) FROM (SELECT id, count(*) n FROM cnid_a GROUP BY id) s;
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*), sum(n) FROM (SELECT id, count(*) n FROM cnid_a GROUP BY id) s;
RESET enable_hashagg;
SELECT count(DISTINCT id) FROM cnid_a;

-- hash partitioning: the routing is pinned by the fixed hash function
CREATE TABLE cnid_hp (id cnid) PARTITION BY HASH (id);
CREATE TABLE cnid_hp0 PARTITION OF cnid_hp FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE cnid_hp1 PARTITION OF cnid_hp FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE cnid_hp2 PARTITION OF cnid_hp FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE cnid_hp3 PARTITION OF cnid_hp FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO cnid_hp SELECT DISTINCT id FROM cnid_a;
SELECT tableoid::regclass, count(*) FROM cnid_hp GROUP BY 1 ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT * FROM cnid_hp WHERE id = '11010519491231002X';
SELECT count(*) FROM cnid_hp WHERE id = (SELECT min(id) FROM cnid_a);
DROP TABLE cnid_hp;

-- btree index, unique
CREATE UNIQUE INDEX cnid_b_idx ON cnid_b (id);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM cnid_b WHERE id = '11010519491231002X';
SELECT count(*) FROM cnid_b WHERE id BETWEEN '110105195001010012' AND '110105195012310010';
RESET enable_seqscan;
SELECT count(*) FROM cnid_b WHERE id BETWEEN '110105195001010012' AND '110105195012310010';
INSERT INTO cnid_b SELECT id, 0 FROM cnid_b LIMIT 1;

-- GiST: the same answers as a sequential scan and as text comparison
CREATE INDEX cnid_a_gist ON cnid_a USING gist (id);
CREATE TABLE cnid_bound AS SELECT id AS b FROM cnid_a WHERE i = 7777;
SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM cnid_a WHERE id < (SELECT b FROM cnid_bound);
SELECT (SELECT count(*) FROM cnid_a WHERE id <  (SELECT b FROM cnid_bound)) AS lt,
       (SELECT count(*) FROM cnid_a WHERE id <= (SELECT b FROM cnid_bound)) AS le,
       (SELECT count(*) FROM cnid_a WHERE id =  (SELECT b FROM cnid_bound)) AS eq,
       (SELECT count(*) FROM cnid_a WHERE id >= (SELECT b FROM cnid_bound)) AS ge,
       (SELECT count(*) FROM cnid_a WHERE id >  (SELECT b FROM cnid_bound)) AS gt;
RESET enable_seqscan; RESET enable_bitmapscan;
SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;
SELECT (SELECT count(*) FROM cnid_a WHERE id <  (SELECT b FROM cnid_bound)) AS lt,
       (SELECT count(*) FROM cnid_a WHERE id <= (SELECT b FROM cnid_bound)) AS le,
       (SELECT count(*) FROM cnid_a WHERE id =  (SELECT b FROM cnid_bound)) AS eq,
       (SELECT count(*) FROM cnid_a WHERE id >= (SELECT b FROM cnid_bound)) AS ge,
       (SELECT count(*) FROM cnid_a WHERE id >  (SELECT b FROM cnid_bound)) AS gt;
RESET enable_indexscan; RESET enable_indexonlyscan; RESET enable_bitmapscan;
SELECT count(*) FILTER (WHERE id::text COLLATE "C" <  b::text) AS lt,
       count(*) FILTER (WHERE id::text COLLATE "C" <= b::text) AS le,
       count(*) FILTER (WHERE id::text COLLATE "C" =  b::text) AS eq,
       count(*) FILTER (WHERE id::text COLLATE "C" >= b::text) AS ge,
       count(*) FILTER (WHERE id::text COLLATE "C" >  b::text) AS gt
FROM cnid_a, cnid_bound;
DROP TABLE cnid_bound;
DROP TABLE cnid_a, cnid_b;

-- the exclusion constraint of the manual: no two overlapping bans of one
-- subject on one list (23P01)

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE cnid_bans (subject cnid, list text, valid daterange,
    EXCLUDE USING gist (subject WITH =, list WITH =, valid WITH &&));
INSERT INTO cnid_bans VALUES ('11010519491231002X', 'industry', '[2020-01-01,2025-01-01)');
INSERT INTO cnid_bans VALUES ('11010519491231002X', 'credit',   '[2020-01-01,2025-01-01)');
INSERT INTO cnid_bans VALUES ('11010519491231002X', 'industry', '[2025-01-01,2030-01-01)');
INSERT INTO cnid_bans VALUES ('110105491231002',    'industry', '[2024-06-01,2024-07-01)');  -- same person, old form
INSERT INTO cnid_bans VALUES ('440524188001010014', 'industry', '[2024-06-01,2024-07-01)');
SELECT * FROM cnid_bans ORDER BY subject, list, valid;
DROP TABLE cnid_bans;
DROP EXTENSION btree_gist;

-- binary COPY round trip
CREATE TABLE cnid_bin (id cnid);
INSERT INTO cnid_bin VALUES ('11010519491231002X'), ('440524188001010014'), ('110105491231002'), (NULL);
COPY cnid_bin TO '/tmp/integrity_regress_cnid.bin' WITH (FORMAT binary);
CREATE TABLE cnid_bin2 (id cnid);
COPY cnid_bin2 FROM '/tmp/integrity_regress_cnid.bin' WITH (FORMAT binary);
SELECT a.id, b.id, a.id IS NOT DISTINCT FROM b.id AS same
FROM cnid_bin a FULL JOIN cnid_bin2 b ON a.id = b.id ORDER BY a.id;
SELECT count(*) FROM cnid_bin2 WHERE id IS NULL;
SELECT cnid_send('11010519491231002X');

-- malformed binary input is rejected: write raw fields with bytea's binary
-- form, read them back as cnid
CREATE FUNCTION cnid_try_recv(raw bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', raw, '/tmp/integrity_regress_cnid_bad.bin');
    TRUNCATE cnid_bin2;
    COPY cnid_bin2 FROM '/tmp/integrity_regress_cnid_bad.bin' WITH (FORMAT binary);
    RETURN 'accepted ' || (SELECT id::text FROM cnid_bin2);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT cnid_try_recv('\x01' || convert_to('11010519491231002X', 'UTF8')) AS good;
SELECT cnid_try_recv('\x02' || convert_to('11010519491231002X', 'UTF8')) AS bad_version;
SELECT cnid_try_recv('\x01' || convert_to('11010519491231002x', 'UTF8')) AS lower_x;
SELECT cnid_try_recv('\x01' || convert_to('110105491231002   ', 'UTF8')) AS old_form;
SELECT cnid_try_recv('\x01' || convert_to('110105194912310021', 'UTF8')) AS bad_check;
SELECT cnid_try_recv('\x01' || convert_to('11010519490230002X', 'UTF8')) AS bad_date;
SELECT cnid_try_recv('\x01' || convert_to('1101051949', 'UTF8')) AS short;
SELECT cnid_try_recv('\x01' || convert_to('11010519491231002X0', 'UTF8')) AS long;
SELECT cnid_try_recv('\x01ffffffffffffffffffffffffffffffffffff') AS garbage;
SELECT cnid_try_recv('') AS empty;
-- every failure is 22P03, never a read past the field: an embedded NUL
-- (the issue's payload: "1" and 17 NULs), a NUL after 17 good characters,
-- control characters, invalid UTF-8
SELECT cnid_try_recv('\x01310000000000000000000000000000000000') AS nul_after_one;
SELECT cnid_try_recv('\x01' || convert_to('11010519491231002', 'UTF8') || '\x00') AS nul_last;
SELECT cnid_try_recv('\x01' || convert_to('1101051949123100', 'UTF8') || '\x0a0d') AS control;
SELECT cnid_try_recv('\x01' || convert_to('1101051949123100', 'UTF8') || '\xc3a9') AS utf8_char;
DROP FUNCTION cnid_try_recv(bytea);
DROP TABLE cnid_bin, cnid_bin2;
