-- pgTAP: masked_cnid against an independent brute force, and the block key
-- against ~ (issue 21).
--
-- The input rule of masked_cnid is "some valid cnid fits the mask".  Here it
-- is checked literally: for random masks with up to three masked positions
-- (a random valid number, some positions masked, half of them with one
-- visible character changed), the mask is accepted exactly when one of the
-- at most 1331 fillings is a valid cnid (cast in a subtransaction).
BEGIN;
SELECT plan(8);
SELECT setseed(0.21);

CREATE FUNCTION pg_temp.valid_cnid(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM t::cnid;
    RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN false;
END $$;
CREATE FUNCTION pg_temp.accepted(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM t::masked_cnid;
    RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN false;
END $$;
-- does some filling of the * of m make a valid cnid?
CREATE FUNCTION pg_temp.fits_some(m text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    p int := strpos(m, '*');
    c text;
BEGIN
    IF p = 0 THEN
        RETURN pg_temp.valid_cnid(m);
    END IF;
    FOREACH c IN ARRAY CASE WHEN p = 18 THEN '{0,1,2,3,4,5,6,7,8,9,X}'::text[] ELSE '{0,1,2,3,4,5,6,7,8,9}'::text[] END LOOP
        IF pg_temp.fits_some(overlay(m PLACING c FROM p FOR 1)) THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END $$;

CREATE TEMP TABLE nums AS
SELECT i, cnid_from_parts((ARRAY[110105, 330324, 440305, 510104, 650102, 820001])[1 + i % 6],
                          date '1900-01-01' + (random() * 45000)::int, (random() * 999)::int)::text AS id
FROM generate_series(1, 400) i;
CREATE TEMP TABLE masks AS
SELECT i, id, m,
       pg_temp.accepted(m) AS accepted
FROM (SELECT i, id,
             -- up to three masked positions, and in half the rows one visible
             -- character changed (which may or may not leave a fitting number)
             (SELECT string_agg(CASE WHEN k = ANY (masked) THEN '*'
                                     WHEN k = changed THEN (ARRAY['0','1','2','3','4','5','6','7','8','9'])[1 + ((i * 7 + k) % 10)]
                                     ELSE substr(n.id, k, 1) END, '' ORDER BY k)
                FROM generate_series(1, 18) k) AS m
        FROM (SELECT i, id,
                     ARRAY[1 + (random() * 17)::int, 1 + (random() * 17)::int, CASE WHEN i % 3 = 0 THEN 1 + (random() * 17)::int END] AS masked,
                     CASE WHEN i % 2 = 0 THEN 1 + (random() * 17)::int END AS changed
                FROM nums) n) x;

SELECT is((SELECT count(*) FROM masks WHERE accepted IS DISTINCT FROM pg_temp.fits_some(m)), 0::bigint,
          'a mask is accepted exactly when some filling of its * is a valid cnid (400 random masks)');
SELECT cmp_ok((SELECT count(*) FROM masks WHERE accepted), '>', 100::bigint, 'many of them are accepted');
SELECT cmp_ok((SELECT count(*) FROM masks WHERE NOT accepted), '>', 20::bigint, 'and some are refused');

-- the published shapes: 4, 6 and 8 masked date digits; the number fits and
-- the block keys agree
CREATE TEMP TABLE published AS
SELECT i, id::cnid AS id,
       overlay(id PLACING repeat('*', 4 + 2 * (i % 3)) FROM 11 - 2 * (i % 3))::masked_cnid AS m
FROM nums;
SELECT is((SELECT count(*) FROM published WHERE id ~ m AND cnid_block(id) = masked_cnid_block(m)),
          400::bigint, 'every published-shape mask of a number fits it, with equal block keys');
SELECT is((SELECT count(*) FROM published WHERE cnid_matches(id, m::text)), 400::bigint,
          'cnid_matches agrees with ~');
-- the block join finds exactly what ~ over every pair finds
SELECT is((SELECT count(*) FROM published a JOIN published b ON cnid_block(a.id) = masked_cnid_block(b.m) AND a.id ~ b.m),
          (SELECT count(*) FROM published a, published b WHERE a.id ~ b.m),
          'the equality join on the block keys loses no pair that ~ accepts');
-- the text and binary forms round-trip
SELECT is((SELECT count(*) FROM published WHERE m::text::masked_cnid <> m), 0::bigint,
          'text output reads back as the same mask');
SELECT is((SELECT count(*) FROM published
            WHERE convert_from(substr(masked_cnid_send(m), 2), 'UTF8') <> m::text
               OR get_byte(masked_cnid_send(m), 0) <> 1), 0::bigint,
          'binary output is the version byte 1 and the canonical text');

SELECT * FROM finish();
ROLLBACK;
