-- pgTAP: the identifier core (src/ident.c) gives cnid, uscc and masked_cnid
-- one behaviour wherever nothing is particular to a type: the length error
-- and its shape, a non-ASCII character named instead of a length, the
-- reason of the cleansing functions, binary receive's order of checks
-- (length, then version, then the input rules, then canonical form) and
-- its round trip.
BEGIN;
SELECT plan(24);

CREATE SCHEMA ident_core_tap;
CREATE TABLE ident_core_tap.r_cnid (v cnid);
CREATE TABLE ident_core_tap.r_uscc (v uscc);
CREATE TABLE ident_core_tap.r_masked_cnid (v masked_cnid);

-- the binary field raw received as a value of the table's column: the
-- value's text, or the error as SQLSTATE: message
CREATE FUNCTION ident_core_tap.recv(typ text, raw bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := '/tmp/integrity_tap_ident_core.bin';
    r text;
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', raw, f);
    EXECUTE format('TRUNCATE ident_core_tap.r_%s', typ);
    EXECUTE format('COPY ident_core_tap.r_%s FROM %L WITH (FORMAT binary)', typ, f);
    EXECUTE format('SELECT v::text FROM ident_core_tap.r_%s', typ) INTO r;
    RETURN 'accepted ' || r;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE TABLE ident_core_tap.ex (typ text, good text);
INSERT INTO ident_core_tap.ex VALUES
    ('cnid', '11010519491231002X'),
    ('uscc', '91350100M000100Y43'),
    ('masked_cnid', '3303241976****2118');

-- binary receive: a short field is "too short" whatever its version byte
SELECT is(ident_core_tap.recv(typ, '\x02' || convert_to('3303', 'UTF8')),
          format('22P03: invalid binary %s: value too short', typ),
          typ || ': a short binary value with an unknown version byte is too short')
FROM ident_core_tap.ex ORDER BY typ;
SELECT is(ident_core_tap.recv(typ, '\x02' || convert_to(good, 'UTF8')),
          format('22P03: invalid binary %s: unknown format version 2', typ),
          typ || ': a full-length binary value with version 2 is refused for its version')
FROM ident_core_tap.ex ORDER BY typ;
SELECT is(ident_core_tap.recv(typ, '\x01' || convert_to(good, 'UTF8')),
          'accepted ' || good,
          typ || ': the canonical binary form round-trips')
FROM ident_core_tap.ex ORDER BY typ;
SELECT is(ident_core_tap.recv(typ, '\x01' || convert_to(' ' || left(good, 17), 'UTF8')),
          format('22P03: invalid binary %s " %s": wrong length (17 characters, expected %s)',
                 typ, left(good, 17), CASE typ WHEN 'cnid' THEN '18 or 15' ELSE '18' END),
          typ || ': white space in a binary field is not canonical, the rule is named')
FROM ident_core_tap.ex ORDER BY typ;

-- text input: the length error, with surrounding white space ignored
SELECT throws_ok(format('SELECT %L::%s', E' 12345\t', typ), '22P02',
                 format(E'invalid %s " 12345\t": wrong length (5 characters, expected %s)',
                        typ, CASE typ WHEN 'cnid' THEN '18 or 15' ELSE '18' END),
                 typ || ': the length error names the trimmed length and the accepted ones')
FROM ident_core_tap.ex ORDER BY typ;
-- a non-ASCII character is named, not counted in bytes
SELECT throws_like(format('SELECT %L::%s', '12é45', typ), 'invalid % "12é45": a non-ASCII character at position 3 %',
                   typ || ': a non-ASCII character is named at its character position')
FROM ident_core_tap.ex ORDER BY typ;
-- the canonical text round-trips through text and the input function
SELECT results_eq(format('SELECT %L::%s::text', lower(' ' || good || ' '), typ),
                  ARRAY[good],
                  typ || ': lower case and white space are read, the output is canonical')
FROM ident_core_tap.ex ORDER BY typ;

-- the cleansing functions give the input error's rule, never raising
SELECT is(cnid_invalid_reason(E' 12345\t'), 'wrong length (5 characters, expected 18 or 15)',
          'cnid_invalid_reason: the rule of the input error');
SELECT is(uscc_invalid_reason(E' 12345\t'), 'wrong length (5 characters, expected 18)',
          'uscc_invalid_reason: the rule of the input error');
SELECT is(is_valid_cnid('11010519491231002x') AND is_valid_uscc(' 91350100m000100y43 ')
          AND NOT is_valid_cnid('12é45') AND NOT is_valid_uscc('12é45'), true,
          'is_valid_cnid and is_valid_uscc accept what the input functions accept');

SELECT * FROM finish();
ROLLBACK;
