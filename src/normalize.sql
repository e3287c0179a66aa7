-- ---------------------------------------------------------------------------
-- identifier cleaning: normaliser and try-casts            (src/normalize.c)
--
-- identifier_normalize(text) turns the text of a cnid or a uscc as forms,
-- spreadsheets and CSV files deliver it into the types' input: full-width
-- forms to ASCII, every space (U+3000, no-break, zero-width, ...) removed,
-- one hyphen or dot between two groups removed, ASCII letters upper-cased.
-- to_cnid / to_uscc normalise and convert in one call; strict => false
-- returns NULL instead of raising.  Both apply the type's rules and no
-- other (a cnid born after today converts, as in cnid_in): IMMUTABLE.
-- ---------------------------------------------------------------------------

CREATE FUNCTION identifier_normalize(raw text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION identifier_normalize(text) IS
    'clean the text of a cnid or uscc: full-width forms to ASCII, spaces removed, hyphens and dots between groups removed, upper case';

CREATE FUNCTION to_cnid(raw text, strict boolean DEFAULT true) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_cnid(text, boolean) IS
    'normalise and convert to cnid; strict => false returns NULL for a value the type rejects';

CREATE FUNCTION to_uscc(raw text, strict boolean DEFAULT true) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_uscc(text, boolean) IS
    'normalise and convert to uscc; strict => false returns NULL for a value the type rejects';
