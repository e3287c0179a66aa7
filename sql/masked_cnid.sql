-- masked_cnid: masked resident identity numbers as published lists give them
-- Every rule: a passing case and a failing case, with its message.

-- valid values, canonical output (x upper-cased, white space trimmed)
SELECT '3303241976****2118'::masked_cnid AS court_list,
       '110105********002x'::masked_cnid AS date_masked,
       E' 11010519**1231002X\t'::masked_cnid AS year_masked,
       '11010519491231002X'::masked_cnid AS nothing_masked,
       '1*****************'::masked_cnid AS one_visible;
-- a leap day fits only in leap years: 19**0229 and **000229 have some
SELECT '33032419**0229****'::masked_cnid AS leap_some, '330324**000229****'::masked_cnid AS leap_2000;
-- the check character must be reachable: with only the last digit of the
-- day masked, Dec 30 gives 4 and Dec 31 gives X
SELECT '1101051949123*0024'::masked_cnid AS day_30, '1101051949123*002X'::masked_cnid AS day_31;

-- one failing input per rule (all SQLSTATE 22P02)
\set VERBOSITY default
SELECT '3303241976****211'::masked_cnid;         -- wrong length
SELECT ''::masked_cnid;                          -- empty
SELECT '330324760101211'::masked_cnid;           -- the old 15-digit form
SELECT '3303241976-**-2118'::masked_cnid;        -- separators
SELECT '3303241976????2118'::masked_cnid;        -- another masking character
SELECT '3303241976**X*2118'::masked_cnid;        -- X before position 18
SELECT '3303241976****211A'::masked_cnid;        -- bad check character
SELECT '******************'::masked_cnid;        -- nothing visible
SELECT '9303241976****2118'::masked_cnid;        -- unknown province
SELECT '9***241976****2118'::masked_cnid;        -- no province starts with 9
SELECT '330324197613**2118'::masked_cnid;        -- month 13
SELECT '3303241976023***18'::masked_cnid;        -- February 3x
SELECT '3303240976****2118'::masked_cnid;        -- year 09xx
SELECT '3303241799****2118'::masked_cnid;        -- before 1800
SELECT '330324190002292118'::masked_cnid;        -- 1900 is not a leap year
SELECT '330324*9000229****'::masked_cnid;        -- no year *900 is a leap year
SELECT '110105194912310021'::masked_cnid;        -- nothing masked: wrong check character
SELECT '1101051949123*0025'::masked_cnid;        -- no filling reaches the check character
SELECT '３３０３２４１９７６＊＊＊＊２１１８'::masked_cnid;  -- full-width: identifier_normalize cleans it
SELECT identifier_normalize('３３０３２４１９７６＊＊＊＊２１１８')::masked_cnid AS normalized;

-- matching: every visible position agrees
SELECT c, m, c ~ m AS fits, cnid_matches(c, m::text) AS fits_text
FROM (VALUES ('11010519491231002X'::cnid, '110105********002X'::masked_cnid),
             ('11010519491231002X', '1101051949****002X'),
             ('11010519491231002X', '1101051950****002X'),
             ('11010519491231002X', '110105********0021'),
             ('11010519491231002X', '11010519491231002X'),
             ('110105194912300024', '1101051949123*002X'),
             ('110105194912300024', '1101051949123*0024')) t(c, m)
ORDER BY c, m;
SELECT cnid_matches('11010519491231002X', '1101051949****002'); -- an invalid mask raises
-- a full number casts to a mask (implicitly) and fits only itself
SELECT '11010519491231002X'::cnid ~ '11010519491231002X'::cnid AS itself,
       '11010519491231002X'::cnid::masked_cnid AS as_mask,
       masked_cnid_visible('3303241976****2118') AS visible;

-- the block key: equal for a number and a mask showing positions 1-6 and
-- 15-18 that it fits; NULL when the mask hides any of them
SELECT cnid_block('11010519491231002X') AS number_key,
       masked_cnid_block('110105********002X') AS mask_key,
       masked_cnid_block('1101051949****002*') AS hidden_check,
       masked_cnid_block('****051949123100**') AS hidden_region;

-- comparison and DISTINCT
SELECT DISTINCT m FROM (VALUES ('110105********002X'::masked_cnid), ('110105********002x'),
                               ('1101051949****002X'), ('110105********0021')) t(m) ORDER BY m;

-- screening a masked list by index lookups: equality on the block key,
-- ~ as the recheck
CREATE TABLE mask_staff (id cnid PRIMARY KEY);
INSERT INTO mask_staff
SELECT cnid_from_parts(110101 + (i % 7), date '1960-01-01' + (i * 37) % 15000, i % 1000)
FROM generate_series(1, 5000) i;
CREATE TABLE mask_list (entry int PRIMARY KEY, masked masked_cnid);
INSERT INTO mask_list
SELECT i, overlay(s.id::text PLACING repeat('*', (4 + 2 * (i % 3))::int) FROM (11 - 2 * (i % 3))::int)::masked_cnid
FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM mask_staff) s WHERE s.i % 10 = 0;
INSERT INTO mask_list VALUES (100000, '3303241976****2118'), (100001, '1*****************');
CREATE INDEX ON mask_list (masked_cnid_block(masked));
ANALYZE mask_staff, mask_list;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT s.id, l.entry FROM mask_staff s JOIN mask_list l
  ON masked_cnid_block(l.masked) = cnid_block(s.id) AND s.id ~ l.masked
WHERE s.id = cnid_from_parts(110102, date '1960-02-07', 1);
RESET enable_seqscan;
-- the join finds exactly what ~ over every pair finds (masks that hide
-- positions 1-6 or 15-18 are screened apart: here one)
SELECT count(*) AS hits,
       (SELECT count(*) FROM mask_staff s, mask_list l WHERE s.id ~ l.masked
           AND masked_cnid_block(l.masked) IS NOT NULL) AS by_scan,
       (SELECT count(*) FROM mask_list WHERE masked_cnid_block(masked) IS NULL) AS unblocked
FROM mask_staff s JOIN mask_list l
  ON masked_cnid_block(l.masked) = cnid_block(s.id) AND s.id ~ l.masked;
DROP TABLE mask_staff, mask_list;

-- binary COPY round trip
CREATE TABLE masked_cnid_bin (m masked_cnid);
INSERT INTO masked_cnid_bin VALUES ('3303241976****2118'), ('110105********002X'), ('11010519491231002X'), (NULL);
COPY masked_cnid_bin TO '/tmp/integrity_regress_cnid_mask.bin' WITH (FORMAT binary);
CREATE TABLE masked_cnid_bin2 (m masked_cnid);
COPY masked_cnid_bin2 FROM '/tmp/integrity_regress_cnid_mask.bin' WITH (FORMAT binary);
SELECT a.m, b.m, a.m IS NOT DISTINCT FROM b.m AS same
FROM masked_cnid_bin a FULL JOIN masked_cnid_bin2 b ON a.m = b.m ORDER BY a.m;
SELECT count(*) FROM masked_cnid_bin2 WHERE m IS NULL;
SELECT masked_cnid_send('3303241976****2118');

-- malformed binary input is rejected with 22P03
CREATE FUNCTION masked_cnid_try_recv(raw bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', raw, '/tmp/integrity_regress_cnid_mask_bad.bin');
    TRUNCATE masked_cnid_bin2;
    COPY masked_cnid_bin2 FROM '/tmp/integrity_regress_cnid_mask_bad.bin' WITH (FORMAT binary);
    RETURN 'accepted ' || (SELECT m::text FROM masked_cnid_bin2);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT masked_cnid_try_recv('\x01' || convert_to('3303241976****2118', 'UTF8')) AS good;
SELECT masked_cnid_try_recv('\x02' || convert_to('3303241976****2118', 'UTF8')) AS bad_version;
SELECT masked_cnid_try_recv('\x01' || convert_to('110105********002x', 'UTF8')) AS lower_x;
SELECT masked_cnid_try_recv('\x01' || convert_to(' 3303241976****211', 'UTF8')) AS white_space;
SELECT masked_cnid_try_recv('\x01' || convert_to('******************', 'UTF8')) AS all_masked;
SELECT masked_cnid_try_recv('\x01' || convert_to('330324197613**2118', 'UTF8')) AS bad_date;
SELECT masked_cnid_try_recv('\x01' || convert_to('3303241976', 'UTF8')) AS short;
SELECT masked_cnid_try_recv('\x01' || convert_to('3303241976****21180', 'UTF8')) AS long;
SELECT masked_cnid_try_recv('\x01' || convert_to('3303241976****211', 'UTF8') || '\x00') AS nul_last;
SELECT masked_cnid_try_recv('\x01' || convert_to('3303241976****21', 'UTF8') || '\xc3a9') AS utf8_char;
SELECT masked_cnid_try_recv('') AS empty;
SELECT masked_cnid_try_recv('\x01') AS version_only;
DROP FUNCTION masked_cnid_try_recv(bytea);
DROP TABLE masked_cnid_bin, masked_cnid_bin2;

-- labels: pure functions of their arguments
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p
WHERE p.proname IN ('masked_cnid_in', 'masked_cnid_recv', 'cnid_matches', 'masked_cnid_match',
                    'cnid_block', 'masked_cnid_block', 'masked_cnid_from_cnid')
ORDER BY p.oid::regprocedure::text;

-- the 1.0 function cnid_mask(cnid) keeps its meaning for an untyped literal
-- (a type named cnid_mask would have made this a cast showing every digit)
SELECT cnid_mask('11010519491231002X') AS masked, pg_typeof(cnid_mask('11010519491231002X')) AS type;
