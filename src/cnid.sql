-- ---------------------------------------------------------------------------
-- cnid: the resident identity number (GB 11643-1999)      (src/cnid.c)
--
-- 8 bytes by value: the 17-digit body as an int64; the check character is
-- derived.  Input validates length, characters, the province code, the birth
-- date (a calendar date, year >= 1800) and the ISO 7064 MOD 11-2 check
-- character; the 15-digit form is upgraded.
--
-- Volatility: input is a pure function of the text, so cnid_in, cnid_recv,
-- cnid(text) and cnid_from_parts are IMMUTABLE and a dump restores, and a
-- replica applies, under any clock and time zone.  The cleansing functions
-- is_valid_cnid and cnid_invalid_reason also refuse a birth date after
-- CURRENT_DATE (session time zone): they are STABLE.
-- ---------------------------------------------------------------------------

CREATE TYPE cnid;

CREATE FUNCTION cnid_in(cstring) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_out(cnid) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_recv(internal) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_send(cnid) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cnid (
    INTERNALLENGTH = 8,
    INPUT = cnid_in,
    OUTPUT = cnid_out,
    RECEIVE = cnid_recv,
    SEND = cnid_send,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE cnid IS 'resident identity number (GB 11643-1999), 8 bytes, canonical output';

-- casts to and from text (and varchar, through the same functions)
CREATE FUNCTION cnid(text) RETURNS cnid
    AS 'MODULE_PATHNAME', 'cnid_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION text(cnid) RETURNS text
    AS 'MODULE_PATHNAME', 'cnid_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (varchar AS cnid) WITH FUNCTION cnid(text) AS ASSIGNMENT;
CREATE CAST (cnid AS text) WITH FUNCTION text(cnid) AS ASSIGNMENT;
CREATE CAST (cnid AS varchar) WITH FUNCTION text(cnid) AS ASSIGNMENT;

-- validation without raising
CREATE FUNCTION is_valid_cnid(text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_valid_cnid(text) IS 'true if the text is a valid resident identity number with a birth date not after CURRENT_DATE; never raises';
CREATE FUNCTION cnid_invalid_reason(text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_invalid_reason(text) IS 'the rule a text breaks as a cnid (a birth date after CURRENT_DATE included), NULL if valid; never raises';

-- accessors
CREATE FUNCTION cnid_birth_date(cnid) RETURNS date
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_region(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_province(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_sex(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_mask(cnid) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_birth_date(cnid) IS 'birth date (positions 7-14)';
COMMENT ON FUNCTION cnid_region(cnid) IS 'region code, 6 digits (positions 1-6, GB/T 2260)';
COMMENT ON FUNCTION cnid_province(cnid) IS 'province-level code, 2 digits (positions 1-2)';
COMMENT ON FUNCTION cnid_sex(cnid) IS 'M if the sequence (positions 15-17) is odd, F if even';
COMMENT ON FUNCTION cnid_mask(cnid) IS 'the number with the birth date masked: 110105********002X';

-- constructor: computes the check character
CREATE FUNCTION cnid_from_parts(region integer, birth date, seq integer) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_from_parts(integer, date, integer) IS 'the cnid of a 6-digit region, a birth date and a 3-digit sequence, with its check character';

-- comparison
CREATE FUNCTION cnid_eq(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_ne(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_lt(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_le(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_gt(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_ge(cnid, cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_cmp(cnid, cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_hash(cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_hash_extended(cnid, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION cnid_smaller(cnid, cnid) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_larger(cnid, cnid) RETURNS cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE min(cnid) (
    SFUNC = cnid_smaller, STYPE = cnid, COMBINEFUNC = cnid_smaller,
    SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(cnid) (
    SFUNC = cnid_larger, STYPE = cnid, COMBINEFUNC = cnid_larger,
    SORTOP = >, PARALLEL = SAFE
);

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 cnid_cmp(cnid, cnid),
        FUNCTION 2 cnid_sortsupport(internal),
        FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING hash AS
        OPERATOR 1 =,
        FUNCTION 1 cnid_hash(cnid),
        FUNCTION 2 cnid_hash_extended(cnid, bigint);

-- GiST: interval keys [lo, hi] of 16 bytes, for exclusion constraints
CREATE TYPE cnid_gist_key;
CREATE FUNCTION cnid_gist_key_in(cstring) RETURNS cnid_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_key_out(cnid_gist_key) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cnid_gist_key (
    INTERNALLENGTH = 16,
    INPUT = cnid_gist_key_in,
    OUTPUT = cnid_gist_key_out
);

CREATE FUNCTION cnid_gist_consistent(internal, cnid, smallint, oid, internal) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_union(internal, internal) RETURNS cnid_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_compress(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_penalty(internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_picksplit(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_same(cnid_gist_key, cnid_gist_key, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_gist_fetch(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR CLASS cnid_gist_ops
    DEFAULT FOR TYPE cnid USING gist AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 cnid_gist_consistent(internal, cnid, smallint, oid, internal),
        FUNCTION 2 cnid_gist_union(internal, internal),
        FUNCTION 3 cnid_gist_compress(internal),
        FUNCTION 5 cnid_gist_penalty(internal, internal, internal),
        FUNCTION 6 cnid_gist_picksplit(internal, internal),
        FUNCTION 7 cnid_gist_same(cnid_gist_key, cnid_gist_key, internal),
        FUNCTION 9 cnid_gist_fetch(internal),
        STORAGE cnid_gist_key;
