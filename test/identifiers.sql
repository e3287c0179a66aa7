-- pgTAP: properties of cnid and uscc on random data, against independent
-- re-implementations of the rules in SQL, plus a one-character mutation fuzz.
BEGIN;
SELECT plan(51);
SELECT setseed(0.1143);

CREATE SCHEMA ident_tap;

-- ---------------------------------------------------------------------------
-- Independent reference implementations (plain SQL, no extension code)
-- ---------------------------------------------------------------------------
CREATE FUNCTION ident_tap.cnid_check(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT substr('10X98765432',
        (SELECT sum(substr(body, i, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i])
         FROM generate_series(1, 17) i)::int % 11 + 1, 1)
$$;

-- the reference: with cleansing => true also the cleansing rule of
-- is_valid_cnid (birth date not after today), which type input never applies
CREATE FUNCTION ident_tap.cnid_canon(t text, cleansing boolean DEFAULT true) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    s text := btrim(t, E' \t\n\r\f' || chr(11));
    body text;
    bd date;
BEGIN
    IF s ~ '^[0-9]{17}[0-9Xx]$' THEN
        body := left(s, 17);
        IF upper(right(s, 1)) <> ident_tap.cnid_check(body) THEN RETURN NULL; END IF;
    ELSIF s ~ '^[0-9]{15}$' THEN
        body := left(s, 6) || CASE WHEN substr(s, 13, 3)::int >= 996 THEN '18' ELSE '19' END
                || substr(s, 7, 6) || substr(s, 13, 3);
    ELSE
        RETURN NULL;
    END IF;
    IF left(body, 2)::int NOT IN (11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,
                                  41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,83) THEN
        RETURN NULL;
    END IF;
    IF substr(body, 7, 4)::int < 1800 THEN RETURN NULL; END IF;
    BEGIN
        bd := make_date(substr(body, 7, 4)::int, substr(body, 11, 2)::int, substr(body, 13, 2)::int);
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END;
    IF cleansing AND bd > current_date THEN RETURN NULL; END IF;
    RETURN body || ident_tap.cnid_check(body);
END $$;

CREATE FUNCTION ident_tap.uscc_idx(c text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', c) - 1
$$;

CREATE FUNCTION ident_tap.uscc_check(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
        (31 - (SELECT sum(ident_tap.uscc_idx(substr(body, i, 1)) * (power(3::numeric, i - 1) % 31))
               FROM generate_series(1, 17) i)::int % 31) % 31 + 1, 1)
$$;

CREATE FUNCTION ident_tap.uscc_canon(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s text := upper(btrim(t, E' \t\n\r\f' || chr(11)));
BEGIN
    IF s !~ '^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$' THEN RETURN NULL; END IF;
    IF right(s, 1) <> ident_tap.uscc_check(left(s, 17)) THEN RETURN NULL; END IF;
    RETURN s;
END $$;

CREATE FUNCTION ident_tap.org_ok(code text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT right(code, 1) = CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - (SELECT sum(CASE WHEN ch ~ '[0-9]' THEN ch::int ELSE ascii(ch) - 55 END
                                  * (ARRAY[3,7,9,10,5,8,4,2])[i])
                       FROM generate_series(1, 8) i, LATERAL (SELECT substr(code, i, 1) AS ch) x)::int % 11 AS c) s
$$;

-- What the extension says about one text: 'ok' or the SQLSTATE.
CREATE FUNCTION ident_tap.try_cnid(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM t::cnid;
    RETURN 'ok';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE;
END $$;
CREATE FUNCTION ident_tap.try_uscc(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM t::uscc;
    RETURN 'ok';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE;
END $$;

-- ---------------------------------------------------------------------------
-- Schema
-- ---------------------------------------------------------------------------
SELECT has_type('cnid');
SELECT has_type('uscc');
SELECT function_returns('is_valid_cnid', ARRAY['text'], 'boolean');
SELECT function_returns('is_valid_uscc', ARRAY['text'], 'boolean');
SELECT function_returns('cnid_from_parts', ARRAY['integer', 'date', 'integer'], 'cnid');
SELECT function_returns('uscc_from_parts', ARRAY['text'], 'uscc');
-- type input is a pure function of the text; the cleansing functions read
-- the current date: STABLE, honestly; uscc does not
SELECT volatility_is('cnid_in', ARRAY['cstring'], 'immutable');
SELECT volatility_is('cnid_recv', ARRAY['internal'], 'immutable');
SELECT volatility_is('cnid', ARRAY['text'], 'immutable');
SELECT volatility_is('cnid_from_parts', ARRAY['integer', 'date', 'integer'], 'immutable');
SELECT volatility_is('is_valid_cnid', ARRAY['text'], 'stable');
SELECT volatility_is('cnid_invalid_reason', ARRAY['text'], 'stable');
SELECT volatility_is('is_valid_uscc', ARRAY['text'], 'immutable');
SELECT is((SELECT count(*) FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
           WHERE c.opcintype IN ('cnid'::regtype, 'uscc'::regtype)
             AND a.amname IN ('btree', 'hash', 'gist') AND amvalidate(c.oid)), 6::bigint,
          'btree, hash and GiST opclasses of both types pass amvalidate');

-- ---------------------------------------------------------------------------
-- cnid: 10 000 random valid numbers built in SQL
-- ---------------------------------------------------------------------------
CREATE TABLE ident_tap.cn AS
SELECT body || ident_tap.cnid_check(body) AS txt, body, birth, seq, region
FROM (
    SELECT lpad(prov::text, 2, '0') || lpad(cnty::text, 4, '0') || to_char(birth, 'YYYYMMDD')
               || lpad(seq::text, 3, '0') AS body,
           birth, seq, prov * 10000 + cnty AS region
    FROM (
        SELECT (ARRAY[11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,
                      50,51,52,53,54,61,62,63,64,65,71,81,82,83])[1 + floor(random() * 35)::int] AS prov,
               floor(random() * 10000)::int AS cnty,
               date '1900-01-01' + floor(random() * (current_date - date '1900-01-01' + 1))::int AS birth,
               floor(random() * 1000)::int AS seq
        FROM generate_series(1, 10000)
    ) r
) b;

SELECT is((SELECT count(*) FROM ident_tap.cn WHERE txt::cnid::text <> txt), 0::bigint,
          'cnid: input -> output round trip on 10000 random numbers');
SELECT is((SELECT count(*) FROM ident_tap.cn WHERE NOT is_valid_cnid(txt)), 0::bigint,
          'cnid: is_valid_cnid accepts every valid number');
SELECT is((SELECT count(*) FROM ident_tap.cn
           WHERE is_valid_cnid(body || translate(ident_tap.cnid_check(body), '0123456789X', '123456789X0'))), 0::bigint,
          'cnid: a wrong check character is always rejected');
SELECT is((SELECT count(*) FROM ident_tap.cn WHERE lower(txt)::cnid::text <> txt
                                                OR (' ' || txt || E'\t')::cnid::text <> txt), 0::bigint,
          'cnid: lower-case x and surrounding white space give the canonical value');
SELECT is((SELECT count(*) FROM ident_tap.cn
           WHERE cnid_birth_date(txt::cnid) <> birth
              OR cnid_region(txt::cnid) <> left(txt, 6)
              OR cnid_province(txt::cnid) <> left(txt, 2)
              OR cnid_sex(txt::cnid) <> CASE WHEN seq % 2 = 1 THEN 'M' ELSE 'F' END
              OR cnid_mask(txt::cnid) <> left(txt, 6) || '********' || right(txt, 4)), 0::bigint,
          'cnid: accessors agree with the positions of the text');
SELECT is((SELECT count(*) FROM ident_tap.cn WHERE cnid_from_parts(region, birth, seq)::text <> txt), 0::bigint,
          'cnid: cnid_from_parts computes the same check character');
SELECT is((SELECT array_agg(txt ORDER BY txt::cnid, txt) FROM ident_tap.cn),
          (SELECT array_agg(txt ORDER BY txt COLLATE "C") FROM ident_tap.cn),
          'cnid: order of values = order of canonical text');
SELECT is((SELECT count(*) FROM ident_tap.cn c
           WHERE (SELECT count(DISTINCT cnid_hash_extended(c.txt::cnid, s)) FROM generate_series(1, 3) s) <> 3
              OR cnid_hash(c.txt::cnid) <> cnid_hash((c.body || lower(right(c.txt, 1)))::cnid)), 0::bigint,
          'cnid: seeds change the extended hash; equal values hash equal');

-- the old 15-digit form: random numbers of 1900-1999 (seq < 996) and centenarians
CREATE TABLE ident_tap.cn15 AS
SELECT left(region::text, 6) || to_char(birth, 'YYMMDD') || lpad(seq::text, 3, '0') AS old, region, birth, seq
FROM (SELECT region, date '1800-01-01' + floor(random() * 73000)::int AS birth, seq FROM ident_tap.cn) s
WHERE (extract(year FROM birth) >= 1900 AND seq < 996)
   OR (extract(year FROM birth) < 1900 AND seq >= 996);
INSERT INTO ident_tap.cn15
SELECT left(region::text, 6) || to_char(birth, 'YYMMDD') || (996 + seq % 4)::text, region, birth, 996 + seq % 4
FROM (SELECT region, date '1800-01-01' + floor(random() * 36500)::int AS birth, seq FROM ident_tap.cn LIMIT 500) s;
SELECT is((SELECT count(*) FROM ident_tap.cn15
           WHERE old::cnid <> cnid_from_parts(region, birth, seq)
              OR old::cnid::text <> ident_tap.cnid_canon(old)), 0::bigint,
          'cnid: 15-digit numbers upgrade to 18 digits (18YY for sequences 996-999)');
SELECT cmp_ok((SELECT count(*) FROM ident_tap.cn15 WHERE seq >= 996), '>=', 500::bigint,
              'cnid: the centenarian case was exercised');

-- joins and aggregation agree with text
CREATE TABLE ident_tap.cn_pick AS
SELECT txt FROM ident_tap.cn WHERE random() < 0.3
UNION ALL SELECT txt FROM ident_tap.cn WHERE random() < 0.1;
SELECT is((SELECT count(*) FROM ident_tap.cn a JOIN ident_tap.cn_pick b ON a.txt::cnid = b.txt::cnid),
          (SELECT count(*) FROM ident_tap.cn a JOIN ident_tap.cn_pick b ON a.txt = b.txt),
          'cnid: join on cnid = join on text');

-- serial = parallel for min/max and grouping
CREATE TABLE ident_tap.cn_par AS SELECT txt::cnid AS id FROM ident_tap.cn, generate_series(1, 4);
ANALYZE ident_tap.cn_par;
CREATE FUNCTION ident_tap.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; out text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP out := out || r."QUERY PLAN" || E'\n'; END LOOP;
    RETURN out;
END $$;
CREATE TABLE ident_tap.serial AS
SELECT (SELECT min(id)::text || max(id)::text FROM ident_tap.cn_par) AS mm,
       (SELECT count(*) FROM (SELECT id FROM ident_tap.cn_par GROUP BY id) g) AS groups;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT matches(ident_tap.plan_of('SELECT min(id), max(id) FROM ident_tap.cn_par'), 'Partial Aggregate',
               'cnid: min/max run as a parallel partial aggregate');
SELECT is((SELECT min(id)::text || max(id)::text FROM ident_tap.cn_par), (SELECT mm FROM ident_tap.serial),
          'cnid: min/max serial = parallel');
SELECT is((SELECT count(*) FROM (SELECT id FROM ident_tap.cn_par GROUP BY id) g), (SELECT groups FROM ident_tap.serial),
          'cnid: GROUP BY serial = parallel');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;

-- ---------------------------------------------------------------------------
-- uscc: 10 000 random valid codes built in SQL
-- ---------------------------------------------------------------------------
CREATE TABLE ident_tap.us AS
SELECT body || ident_tap.uscc_check(body) AS txt, body
FROM (
    SELECT string_agg(CASE WHEN k BETWEEN 3 AND 8
                           THEN substr('0123456789', 1 + floor(random() * 10)::int, 1)
                           ELSE substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + floor(random() * 31)::int, 1) END,
                      '' ORDER BY k) AS body
    FROM generate_series(1, 10000) n, generate_series(1, 17) k
    GROUP BY n
) b;

SELECT is((SELECT count(*) FROM ident_tap.us WHERE txt::uscc::text <> txt), 0::bigint,
          'uscc: input -> output round trip on 10000 random codes');
SELECT is((SELECT count(*) FROM ident_tap.us WHERE NOT is_valid_uscc(txt) OR ident_tap.uscc_canon(txt) IS NULL), 0::bigint,
          'uscc: is_valid_uscc and the reference accept every generated code');
SELECT is((SELECT count(*) FROM ident_tap.us
           WHERE is_valid_uscc(body || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                                              (ident_tap.uscc_idx(right(txt, 1)) + 1 + floor(random() * 30)::int) % 31 + 1, 1))),
          0::bigint, 'uscc: a wrong check character is always rejected');
SELECT is((SELECT count(*) FROM ident_tap.us WHERE lower(txt)::uscc <> txt::uscc OR lower(txt)::uscc::text <> txt), 0::bigint,
          'uscc: lower case gives the canonical value');
SELECT is((SELECT count(*) FROM ident_tap.us
           WHERE uscc_authority(txt::uscc) <> substr(txt, 1, 1) OR uscc_entity_type(txt::uscc) <> substr(txt, 2, 1)
              OR uscc_region(txt::uscc) <> substr(txt, 3, 6) OR uscc_org_code(txt::uscc) <> substr(txt, 9, 9)),
          0::bigint, 'uscc: accessors agree with the positions of the text');
SELECT is((SELECT count(*) FROM ident_tap.us WHERE uscc_org_code_valid(txt::uscc) <> ident_tap.org_ok(substr(txt, 9, 9))),
          0::bigint, 'uscc: organisation code check = GB 11714 reference');
SELECT is((SELECT count(*) FROM ident_tap.us WHERE uscc_from_parts(body)::text <> txt), 0::bigint,
          'uscc: uscc_from_parts appends the same check character');
SELECT is((SELECT array_agg(txt ORDER BY txt::uscc, txt) FROM ident_tap.us),
          (SELECT array_agg(txt ORDER BY txt COLLATE "C") FROM ident_tap.us),
          'uscc: order of values = order of canonical text');
SELECT is((SELECT count(*) FROM ident_tap.us a JOIN ident_tap.us b ON a.txt::uscc = b.txt::uscc),
          (SELECT count(*) FROM ident_tap.us a JOIN ident_tap.us b ON a.txt = b.txt),
          'uscc: join on uscc = join on text');

-- ---------------------------------------------------------------------------
-- Fuzz: every one-character mutant of a valid value either raises 22P02 or,
-- only when the reference says it is valid, parses to the reference's value
-- ---------------------------------------------------------------------------
CREATE TABLE ident_tap.cn_mut AS
SELECT overlay(src PLACING ch FROM pos FOR del) AS m
FROM (
    SELECT src, 1 + floor(random() * length(src))::int AS pos,
           (ARRAY['0','1','2','3','5','7','9','X','x','A','O',' ','-','.','é','０','',''])[1 + floor(random() * 18)::int] AS ch,
           CASE WHEN random() < 0.9 THEN 1 ELSE 0 END AS del
    FROM (SELECT txt AS src FROM ident_tap.cn UNION ALL SELECT old FROM ident_tap.cn15) s,
         generate_series(1, 2)
) q;
CREATE TABLE ident_tap.cn_fuzz AS
SELECT m, ident_tap.try_cnid(m) AS outcome, is_valid_cnid(m) AS pred, ident_tap.cnid_canon(m) AS ref,
       ident_tap.cnid_canon(m, false) AS ref_in,
       CASE WHEN ident_tap.try_cnid(m) = 'ok' THEN m::cnid::text END AS got
FROM ident_tap.cn_mut;
SELECT is((SELECT count(*) FROM ident_tap.cn_fuzz WHERE outcome NOT IN ('ok', '22P02')), 0::bigint,
          'cnid fuzz: every mutant parses or raises 22P02');
SELECT is((SELECT count(*) FROM ident_tap.cn_fuzz
           WHERE (outcome = 'ok') <> (ref_in IS NOT NULL) OR pred <> (ref IS NOT NULL) OR got IS DISTINCT FROM ref_in),
          0::bigint, 'cnid fuzz: input accepted exactly when the reference accepts, with the same value; is_valid_cnid = the reference with the cleansing rule');
SELECT cmp_ok((SELECT count(*) FROM ident_tap.cn_fuzz WHERE outcome = '22P02'), '>', 20000::bigint,
              'cnid fuzz: most mutants are rejected');

CREATE TABLE ident_tap.us_mut AS
SELECT overlay(src PLACING ch FROM pos FOR del) AS m
FROM (
    SELECT txt AS src, 1 + floor(random() * 18)::int AS pos,
           (ARRAY['0','9','A','a','H','I','O','S','V','Z','z','Y','y','X',' ','-','é',''])[1 + floor(random() * 18)::int] AS ch,
           CASE WHEN random() < 0.9 THEN 1 ELSE 0 END AS del
    FROM ident_tap.us, generate_series(1, 2)
) q;
CREATE TABLE ident_tap.us_fuzz AS
SELECT m, ident_tap.try_uscc(m) AS outcome, is_valid_uscc(m) AS pred, ident_tap.uscc_canon(m) AS ref,
       CASE WHEN is_valid_uscc(m) THEN m::uscc::text END AS got
FROM ident_tap.us_mut;
SELECT is((SELECT count(*) FROM ident_tap.us_fuzz WHERE outcome NOT IN ('ok', '22P02')), 0::bigint,
          'uscc fuzz: every mutant parses or raises 22P02');
SELECT is((SELECT count(*) FROM ident_tap.us_fuzz
           WHERE (outcome = 'ok') <> (ref IS NOT NULL) OR pred <> (ref IS NOT NULL) OR got IS DISTINCT FROM ref),
          0::bigint, 'uscc fuzz: accepted exactly when the reference accepts, with the same value');
SELECT cmp_ok((SELECT count(*) FROM ident_tap.us_fuzz WHERE outcome = '22P02'), '>', 15000::bigint,
              'uscc fuzz: most mutants are rejected');

-- ---------------------------------------------------------------------------
-- Error codes and messages
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT '110105194912310021'::cnid$$, '22P02',
                 'invalid cnid "110105194912310021": wrong check character "1", expected "X"',
                 'cnid: wrong check character names the expected one');
SELECT throws_ok($$SELECT '11010519490230002X'::cnid$$, '22P02', NULL, 'cnid: Feb 30 raises 22P02');
SELECT lives_ok($$SELECT cnid_from_parts(110105, current_date + 1, 1)$$,
                'cnid: a birth date after today is a value (input is independent of the clock)');
SELECT is(is_valid_cnid(text(cnid_from_parts(110105, current_date + 1, 1))), false,
          'cnid: ... which the cleansing function is_valid_cnid refuses');
SELECT throws_ok($$SELECT '91350100M000100Y44'::uscc$$, '22P02',
                 'invalid uscc "91350100M000100Y44": wrong check character "4", expected "3"',
                 'uscc: wrong check character names the expected one');
SELECT throws_ok($$SELECT '91350100M0001I0Y43'::uscc$$, '22P02', NULL, 'uscc: letter I raises 22P02');

-- exclusion constraint with btree_gist for the text column
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE ident_tap.bans (subject cnid, list text, valid daterange,
    EXCLUDE USING gist (subject WITH =, list WITH =, valid WITH &&));
INSERT INTO ident_tap.bans
SELECT txt::cnid, 'industry', daterange(birth + 7000, birth + 8000) FROM ident_tap.cn;
SELECT lives_ok($$INSERT INTO ident_tap.bans
                  SELECT txt::cnid, 'industry', daterange(birth + 8000, birth + 9000) FROM ident_tap.cn$$,
                'exclusion: adjacent bans of every subject are allowed');
SELECT throws_ok($$INSERT INTO ident_tap.bans
                   SELECT txt::cnid, 'industry', daterange(birth + 7999, birth + 8001) FROM ident_tap.cn LIMIT 1$$,
                 '23P01', NULL, 'exclusion: an overlapping ban of the same subject on the same list fails');

SELECT * FROM finish();
ROLLBACK;
