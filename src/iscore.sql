-- integrity extension script.  Assembled by the Makefile from one fragment
-- per concept (src/<concept>.sql, beside src/<concept>.c), in dependency order.
\echo Use "CREATE EXTENSION integrity" to load this file. \quit

-- Server encodings: UTF8 and EUC_CN.  The extension compares and returns
-- Chinese names (indicator classes, assessors, portrait dimensions); the
-- control file declares this script UTF-8 and PostgreSQL converts it to the
-- server encoding, which must hold those names.  Clients may use any client
-- encoding PostgreSQL converts to the server's (GB18030 and GBK: to UTF8).
-- The script itself is ASCII (the names are E'\u....' escapes inside
-- function bodies and DO blocks, converted when those run; an escape in a
-- plain statement would be converted when the whole script is parsed,
-- before this check): its conversion cannot fail, so in any other
-- encoding this check, the first statement, is what answers (0A000), not
-- the conversion of the whole script (22P05 in LATIN1).  test/encodings.sh
-- checks both.
DO $encoding$
BEGIN
    IF NOT pg_catalog.current_setting('server_encoding') OPERATOR(pg_catalog.=) ANY (ARRAY['UTF8', 'EUC_CN']) THEN
        RAISE EXCEPTION 'extension "integrity" does not support the server encoding %',
                pg_catalog.current_setting('server_encoding')
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'Its Chinese names (indicator classes, assessors, portrait dimensions) need a server encoding that holds them: UTF8 or EUC_CN.',
                  HINT = 'Create the database with ENCODING ''UTF8'' (or ''EUC_CN'') and TEMPLATE template0; a UTF8 database also serves GB18030 and GBK clients.';
    END IF;
END
$encoding$;

-- =====================================================================
-- iscore: an exact integrity score (src/iscore.c)
-- =====================================================================

CREATE TYPE iscore;

CREATE FUNCTION iscore_in(cstring) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_out(iscore) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_recv(internal) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_send(iscore) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE iscore (
    INTERNALLENGTH = 24,
    INPUT = iscore_in,
    OUTPUT = iscore_out,
    RECEIVE = iscore_recv,
    SEND = iscore_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE iscore IS 'exact integrity score: basic and bonus points in hundredths, red-line hits';

CREATE FUNCTION iscore(base numeric, bonus numeric DEFAULT 0, redlines integer DEFAULT 0)
    RETURNS iscore AS 'MODULE_PATHNAME', 'iscore_make'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore(numeric, numeric, integer) IS 'score from basic points, bonus points and red-line hits';

CREATE FUNCTION base(iscore) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_base' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bonus(iscore) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_bonus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION redlines(iscore) RETURNS integer
    AS 'MODULE_PATHNAME', 'iscore_redlines' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION total(iscore, bonus_cap numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'iscore_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION total(iscore, numeric) IS '0 when vetoed by a red line, else base + least(bonus, bonus_cap)';

-- arithmetic
CREATE FUNCTION iscore_plus(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_mul(iscore, numeric) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_mul_commuted(numeric, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR + (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_plus,
                   COMMUTATOR = +);
CREATE OPERATOR * (LEFTARG = iscore, RIGHTARG = numeric, FUNCTION = iscore_mul,
                   COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = numeric, RIGHTARG = iscore, FUNCTION = iscore_mul_commuted,
                   COMMUTATOR = *);

-- comparison: red-line hits (more sort lower), then base + bonus, then base
CREATE FUNCTION iscore_cmp(iscore, iscore) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_eq(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_ne(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_lt(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_le(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_gt(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_ge(iscore, iscore) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_hash(iscore) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_hash_extended(iscore, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR = (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = iscore, RIGHTARG = iscore, FUNCTION = iscore_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS iscore_ops DEFAULT FOR TYPE iscore USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 iscore_cmp(iscore, iscore);
CREATE OPERATOR CLASS iscore_hash_ops DEFAULT FOR TYPE iscore USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 iscore_hash(iscore),
    FUNCTION 2 iscore_hash_extended(iscore, bigint);

-- aggregates: sum keeps an iscore as its state (no internal state: partial
-- states travel as text or binary), avg keeps bigint[6] {rows, base, bonus,
-- redlines, base / 10^18, bonus / 10^18}: exact int128 sums (src/iscore.c)
CREATE FUNCTION iscore_sum_accum(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE sum(iscore) (
    SFUNC = iscore_sum_accum,
    STYPE = iscore,
    COMBINEFUNC = iscore_sum_accum,
    PARALLEL = SAFE
);

CREATE FUNCTION iscore_avg_accum(bigint[], iscore) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_avg_combine(bigint[], bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION iscore_avg_final(bigint[]) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE avg(iscore) (
    SFUNC = iscore_avg_accum,
    STYPE = bigint[],
    INITCOND = '{0,0,0,0}',
    COMBINEFUNC = iscore_avg_combine,
    FINALFUNC = iscore_avg_final,
    PARALLEL = SAFE
);

-- min and max in the btree order (as for any ordered type): the state is the
-- best or worst score so far; SORTOP lets an index answer them
CREATE FUNCTION iscore_smaller(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore_smaller(iscore, iscore) IS 'transition and combine function of min(iscore)';
CREATE FUNCTION iscore_larger(iscore, iscore) RETURNS iscore
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iscore_larger(iscore, iscore) IS 'transition and combine function of max(iscore)';
CREATE AGGREGATE min(iscore) (
    SFUNC = iscore_smaller, STYPE = iscore, COMBINEFUNC = iscore_smaller,
    SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(iscore) IS 'lowest score in the iscore order: most red-line hits, then least base + bonus, then least base';
CREATE AGGREGATE max(iscore) (
    SFUNC = iscore_larger, STYPE = iscore, COMBINEFUNC = iscore_larger,
    SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(iscore) IS 'highest score in the iscore order: fewest red-line hits, then most base + bonus, then most base';
