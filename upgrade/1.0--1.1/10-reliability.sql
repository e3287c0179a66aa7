
-- ---------------------------------------------------------------------
-- 10-reliability (issue 10): reliability hardening
-- ---------------------------------------------------------------------

-- Server encodings: UTF8 and EUC_CN (see the top of src/iscore.sql).
DO $encoding$
BEGIN
    IF current_setting('server_encoding') NOT IN ('UTF8', 'EUC_CN') THEN
        RAISE EXCEPTION 'extension "integrity" does not support the server encoding %',
                current_setting('server_encoding')
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'Its Chinese names (indicator classes, assessors, portrait dimensions) need a server encoding that holds them: UTF8 or EUC_CN.',
                  HINT = 'Create the database with ENCODING ''UTF8'' (or ''EUC_CN'') and TEMPLATE template0; a UTF8 database also serves GB18030 and GBK clients.';
    END IF;
END
$encoding$;

-- cnid: type input is a pure function of the text (the future birth-date
-- rule moved to the cleansing functions), so it is IMMUTABLE
ALTER FUNCTION cnid_in(cstring) IMMUTABLE;
ALTER FUNCTION cnid_recv(internal) IMMUTABLE;
ALTER FUNCTION cnid(text) IMMUTABLE;
ALTER FUNCTION cnid_from_parts(integer, date, integer) IMMUTABLE;
COMMENT ON FUNCTION is_valid_cnid(text) IS 'true if the text is a valid resident identity number with a birth date not after CURRENT_DATE; never raises';
COMMENT ON FUNCTION cnid_invalid_reason(text) IS 'the rule a text breaks as a cnid (a birth date after CURRENT_DATE included), NULL if valid; never raises';
