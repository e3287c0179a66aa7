-- normalize: identifier cleaning (src/normalize.c) — identifier_normalize(),
-- the try-casts to_cnid()/to_uscc() and the input HINT for values the
-- normaliser would clean.  The same cases in a UTF8 and an EUC_CN database.
\set VERBOSITY default

-- every form a CSV column brings, normalised to the canonical value
SELECT t.raw, identifier_normalize(t.raw) AS clean, identifier_normalize(t.raw) = '11010519491231002X' AS canonical
FROM (VALUES ('11010519491231002X'),                       -- already clean
             ('11010519491231002x'),                       -- lower case x
             (E' \t11010519491231002X\r\n'),               -- surrounding ASCII white space
             ('１１０１０５１９４９１２３１００２Ｘ'),      -- full-width digits and letter
             ('１１０１０５１９４９１２３１００２ｘ'),      -- full-width lower-case x
             ('　11010519491231002X　'),                   -- ideographic spaces U+3000 around
             ('110105　19491231　002X'),                   -- ... and between groups
             (E'110105\u00a019491231\u00a0002X'),          -- no-break spaces
             (E'110105\u200319491231\u202f002X'),          -- em space, narrow no-break space
             (E'\ufeff11010519491231002X'),                -- byte-order mark of a CSV file
             (E'110105\u200b19491231\u00ad002X'),          -- zero-width space, soft hyphen
             ('110105 1949 1231 002X'),                    -- ASCII spaces between groups
             ('110105-19491231-002X'),                     -- hyphens between groups
             ('110105－19491231－002Ｘ'),                  -- full-width hyphen-minus
             (E'110105\u201019491231\u2013002X'),          -- hyphen, en dash
             (E'110105\u221219491231\u2014002X'),          -- minus sign, em dash
             ('110105.19491231.002X'),                     -- dots
             ('110105·19491231·002X'),                     -- middle dots
             ('110105。19491231．002X'),                   -- ideographic and full-width full stops
             ('110105 - 19491231 - 002x')) t(raw)          -- spaces around hyphens, lower case
ORDER BY 1;

-- unified social credit codes the same way
SELECT t.raw, identifier_normalize(t.raw) AS clean, identifier_normalize(t.raw) = '91350100M000100Y43' AS canonical
FROM (VALUES ('91350100m000100y43'),
             ('９１３５０１００Ｍ０００１００Ｙ４３'),
             ('９１３５０１００ｍ０００１００ｙ４３'),
             ('91 350100 M000100Y4 3'),
             ('9135-0100-M000-100Y-43'),
             ('913501.00M000100Y43'),
             ('　91350100M000100Y43　')) t(raw)
ORDER BY 1;

-- what is not a group separator stays, so the value stays recognisably wrong
SELECT t.raw, identifier_normalize(t.raw) AS clean, is_valid_cnid(identifier_normalize(t.raw)) AS valid
FROM (VALUES ('-11010519491231002X'),       -- leading hyphen
             ('11010519491231002X-'),       -- trailing hyphen
             ('110105--19491231002X'),      -- two hyphens
             ('110105-.19491231002X'),      -- two separators
             ('110105_19491231_002X'),      -- underscore is no separator
             ('110105/19491231/002X'),      -- nor a slash
             ('11010519491231002X号'),      -- other characters are kept
             ('身份证11010519491231002X'),
             ('１１０１０５１９４９１２３１００２＃'),   -- full-width punctuation becomes ASCII and stays
             ('ⅰ1010519491231002X'),        -- roman numeral: no full-width form, kept
             (''), ('   '), ('　'), ('-'), ('.')) t(raw)
ORDER BY 1;

-- NULL in, NULL out
SELECT identifier_normalize(NULL) IS NULL AS n1, to_cnid(NULL) IS NULL AS n2, to_cnid(NULL, false) IS NULL AS n3,
       to_uscc(NULL) IS NULL AS n4, to_cnid('11010519491231002X', NULL) IS NULL AS n5;

-- the try-casts normalise and convert in one call
SELECT to_cnid('１１０１０５ １９４９１２３１ ００２ｘ') AS cnid_full_width,
       to_cnid('110105-491231-002') AS cnid_old_form,
       to_cnid('110105 19491231 002x', strict => false) AS cnid_lenient,
       to_uscc('9135 0100 M000 100Y 43') AS uscc_spaced,
       to_uscc('９１３５０１００ｍ０００１００ｙ４３', false) AS uscc_lenient;

-- strict => false: NULL for every rejection reason, never an error
SELECT t.why, t.raw, to_cnid(t.raw, strict => false) AS converted,
       cnid_invalid_reason(identifier_normalize(t.raw)) AS reason
FROM (VALUES ('length',      '1101051949123100'),
             ('empty',       ''),
             ('non-digit',   '1101051949x231002X'),
             ('check char',  '11010519491231002A'),
             ('old form',    '11010549123100A'),
             ('province',    '91010519491231002X'),
             ('date',        '11010519490230002X'),
             ('before 1800', '11010517991231002X'),
             ('future',      '110105209912310010'),
             ('check',       '110105194912310021'),
             ('non-ASCII',   '110105１9491231002号'),
             ('separator',   '110105--19491231002X')) t(why, raw)
ORDER BY 1;
SELECT t.why, t.raw, to_uscc(t.raw, strict => false) AS converted,
       uscc_invalid_reason(identifier_normalize(t.raw)) AS reason
FROM (VALUES ('length',   '91350100M000100Y4'),
             ('empty',    ''),
             ('letter I', '91350100M0001I0Y43'),
             ('alphabet', '91350100M000100Y4#'),
             ('region',   '913501A0M000100Y43'),
             ('check',    '91350100M000100Y44'),
             ('non-ASCII','91350100M000100Y4号')) t(why, raw)
ORDER BY 1;

-- one call in a WHERE clause: no dependence on evaluation order
CREATE TABLE staff_csv (line int, raw text);
INSERT INTO staff_csv VALUES (1, '１１０１０５１９４９１２３１００２Ｘ'), (2, 'not an id'), (3, NULL),
                             (4, '110105-19491231-002x'), (5, '110105194912310021');
SELECT line, raw, to_cnid(raw, strict => false) AS id FROM staff_csv
WHERE to_cnid(raw, strict => false) IS NOT NULL ORDER BY line;
SELECT count(*) FILTER (WHERE to_cnid(raw, false) IS NULL AND raw IS NOT NULL) AS rejected FROM staff_csv;

-- strict (the default): the type's error, with the raw value in the context
SELECT to_cnid('110105194912310021');
SELECT to_uscc('９１３５０１００Ｍ０００１００Ｙ４４');

-- one rule for both forms: the type's.  A birth date after today is a
-- cleansing rule (is_valid_cnid), not an input rule, so both forms convert
-- such a number, like cnid_in; to_cnid is IMMUTABLE like cnid_in (an index
-- or a generated column may use it), is_valid_cnid STABLE.
SELECT to_cnid('110105299912310012') AS strict_form,
       to_cnid('110105299912310012', strict => false) AS lenient_form,
       to_cnid('１１０１０５ ２９９９１２３１ ００１２', false) AS lenient_full_width,
       '110105299912310012'::cnid AS type_input,
       is_valid_cnid('110105299912310012') AS cleansing_valid,
       cnid_invalid_reason('110105299912310012') AS cleansing_reason;
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility
FROM pg_proc p
WHERE p.proname IN ('to_cnid', 'to_uscc', 'cnid_in', 'cnid_recv', 'cnid', 'cnid_from_parts',
                    'identifier_normalize', 'is_valid_cnid', 'cnid_invalid_reason',
                    'is_valid_uscc', 'uscc_invalid_reason')
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'integrity')
ORDER BY p.oid::regprocedure::text;
CREATE TABLE hires_generated (raw text, id cnid GENERATED ALWAYS AS (to_cnid(raw, false)) STORED);
INSERT INTO hires_generated VALUES ('110105-19491231-002x'), ('110105299912310012'), ('n/a');
CREATE INDEX ON hires_generated (to_cnid(raw, false));
SELECT raw, id FROM hires_generated ORDER BY raw;
DROP TABLE hires_generated;

-- the input functions point to the normaliser when the value holds what it cleans
SELECT '１１０１０５１９４９１２３１００２Ｘ'::cnid;
SELECT '110105 19491231 002X'::cnid;
SELECT '110105-19491231-002X'::cnid;
SELECT '　11010519491231002X'::cnid;
SELECT '１１０１０５　１９４９１２３１－００２Ｘ'::cnid;
SELECT '９１３５０１００Ｍ０００１００Ｙ４３'::uscc;
SELECT '9135-0100-M000-100Y-43'::uscc;
-- ... and not when it holds nothing to clean
SELECT '11010519491231002Y'::cnid;
SELECT ' 91350100M000100Y44 '::uscc;
SELECT '11010519491231002X号'::cnid;

-- the same in an EUC_CN database: full-width forms exist there too (GB 2312 row 3)
\set orig :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_integrity_euc;
CREATE DATABASE regress_integrity_euc ENCODING 'EUC_CN' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
RESET client_min_messages;
\c regress_integrity_euc
SET client_encoding = 'UTF8';
CREATE EXTENSION integrity;
SELECT pg_encoding_to_char(encoding) AS server_encoding FROM pg_database WHERE datname = current_database();
SELECT identifier_normalize('１１０１０５　１９４９１２３１－００２ｘ') AS cnid_clean,
       identifier_normalize('９１３５・０１００．ｍ０００１００ｙ４３') AS uscc_clean,
       identifier_normalize('身份证：１１０１０５１９４９１２３１００２Ｘ') AS kept,
       to_cnid('　１１０１０５１９４９１２３１００２Ｘ　', false) AS cnid,
       to_uscc('９１３５０１００Ｍ０００１００Ｙ４３', false) AS uscc,
       to_cnid('１１０１０５１９４９１２３１００２１', false) AS bad_check;
SELECT '１１０１０５１９４９１２３１００２Ｘ'::cnid;
\c :orig
DROP DATABASE regress_integrity_euc;
DROP TABLE staff_csv;
