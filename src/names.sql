-- ---------------------------------------------------------------------------
-- names: screening by name                                  (src/names.c)
--
-- Chinese names in every written form (simplified, traditional, variant
-- characters, pinyin in either order, middle-dot variants, full-width
-- forms), keys that make fuzzy screening an equality join, and a match
-- score with its reasons.  ICU does the Unicode work (NFKC, Hant-Hans,
-- Han-Latin, Latin-ASCII).
--
-- Volatility: the functions are pure functions of their arguments for a
-- given ICU version's data, like an ICU collation: IMMUTABLE, so that they
-- can key indexes; rebuild such indexes after an ICU major upgrade
-- (name_icu_version() says which ICU the server uses).
-- ---------------------------------------------------------------------------

CREATE FUNCTION name_normalize(name text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_normalize(text) IS 'a name in one written form: NFKC, spaces, the middle-dot family as U+00B7, variant and traditional characters simplified, Latin upper case';
CREATE FUNCTION name_pinyin(name text) RETURNS text[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_pinyin(text) IS 'the pinyin keys of a name, "surname given" in ASCII: every reading of a Han surname, both orders of a Latin name';
CREATE FUNCTION name_keys(name text) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_keys(text) IS 'join keys of a name: two names share one if they are equal after name_normalize, share a pinyin key, or are one character apart (three characters or more)';
CREATE FUNCTION name_match(candidate text, entry text,
                           candidate_id cnid DEFAULT NULL, entry_id masked_cnid DEFAULT NULL,
                           OUT score integer, OUT reasons text[])
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_match(text, text, cnid, masked_cnid) IS 'score 0-100 of a candidate against a list entry by name and number, with the evidence that agreed; a hit is score >= name_match_threshold()';
CREATE FUNCTION name_match_lines(candidate text, entry text,
                                 candidate_id cnid DEFAULT NULL, entry_id masked_cnid DEFAULT NULL)
    RETURNS TABLE (reason text, points integer)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION name_match_lines(text, text, cnid, masked_cnid) IS 'the reasons of name_match, one row each with the points it gave: they add up to the score (the cap of a number that differs is a row of negative points)';
CREATE FUNCTION name_match_threshold() RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_match_threshold() IS 'the score from which name_match reports a hit (70): a name alone or a number alone stays below it';
CREATE FUNCTION name_icu_version() RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION name_icu_version() IS 'the version of ICU whose data the name functions use';
