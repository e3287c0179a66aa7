-- ---------------------------------------------------------------------------
-- uscc: the unified social credit code (GB 32100-2015)     (src/uscc.c)
--
-- 10 bytes, fixed length, by reference, no varlena header: the 17 body
-- characters packed big-endian as one mixed-radix number; the check
-- character is derived.  memcmp equality is equality and memcmp order is the
-- order of the canonical text.  Input validates the length, the 31-character
-- alphabet (no I, O, S, V, Z; lower case accepted), digits in the region
-- (positions 3-8) and the GB 32100 check character.  Nothing depends on the
-- date, so every function here is IMMUTABLE.
-- ---------------------------------------------------------------------------

CREATE TYPE uscc;

CREATE FUNCTION uscc_in(cstring) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_out(uscc) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_recv(internal) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_send(uscc) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE uscc (
    INTERNALLENGTH = 10,
    INPUT = uscc_in,
    OUTPUT = uscc_out,
    RECEIVE = uscc_recv,
    SEND = uscc_send,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE uscc IS 'unified social credit code (GB 32100-2015), 10 bytes, canonical output';

-- casts to and from text (and varchar, through the same functions)
CREATE FUNCTION uscc(text) RETURNS uscc
    AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION text(uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS uscc) WITH FUNCTION uscc(text) AS ASSIGNMENT;
CREATE CAST (varchar AS uscc) WITH FUNCTION uscc(text) AS ASSIGNMENT;
CREATE CAST (uscc AS text) WITH FUNCTION text(uscc) AS ASSIGNMENT;
CREATE CAST (uscc AS varchar) WITH FUNCTION text(uscc) AS ASSIGNMENT;

-- validation without raising
CREATE FUNCTION is_valid_uscc(text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_valid_uscc(text) IS 'true if the text is a valid unified social credit code; never raises';
CREATE FUNCTION uscc_invalid_reason(text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_invalid_reason(text) IS 'the rule a text breaks as a uscc, NULL if valid; never raises';

-- accessors
CREATE FUNCTION uscc_authority(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_entity_type(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_region(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_org_code(uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_org_code_valid(uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_authority(uscc) IS 'registration authority code (position 1)';
COMMENT ON FUNCTION uscc_entity_type(uscc) IS 'entity type code (position 2)';
COMMENT ON FUNCTION uscc_region(uscc) IS 'region code, 6 digits (positions 3-8)';
COMMENT ON FUNCTION uscc_org_code(uscc) IS 'organisation code, 9 characters (positions 9-17, GB 11714)';
COMMENT ON FUNCTION uscc_org_code_valid(uscc) IS 'whether the organisation code passes its own GB 11714 check';

-- constructor: appends the check character
CREATE FUNCTION uscc_from_parts(text) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uscc_from_parts(text) IS 'the uscc of 17 characters, with its GB 32100 check character appended';

-- comparison
CREATE FUNCTION uscc_eq(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_ne(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_lt(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_le(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_gt(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_ge(uscc, uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_cmp(uscc, uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_hash(uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION uscc_hash_extended(uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = uscc, RIGHTARG = uscc, FUNCTION = uscc_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION uscc_smaller(uscc, uscc) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_larger(uscc, uscc) RETURNS uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE min(uscc) (
    SFUNC = uscc_smaller, STYPE = uscc, COMBINEFUNC = uscc_smaller,
    SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(uscc) (
    SFUNC = uscc_larger, STYPE = uscc, COMBINEFUNC = uscc_larger,
    SORTOP = >, PARALLEL = SAFE
);

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 uscc_cmp(uscc, uscc),
        FUNCTION 2 uscc_sortsupport(internal),
        FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING hash AS
        OPERATOR 1 =,
        FUNCTION 1 uscc_hash(uscc),
        FUNCTION 2 uscc_hash_extended(uscc, bigint);

-- GiST: interval keys [lo, hi] of 16 bytes, for exclusion constraints
CREATE TYPE uscc_gist_key;
CREATE FUNCTION uscc_gist_key_in(cstring) RETURNS uscc_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_key_out(uscc_gist_key) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE uscc_gist_key (
    INTERNALLENGTH = 20,
    INPUT = uscc_gist_key_in,
    OUTPUT = uscc_gist_key_out
);

CREATE FUNCTION uscc_gist_consistent(internal, uscc, smallint, oid, internal) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_union(internal, internal) RETURNS uscc_gist_key
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_compress(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_penalty(internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_picksplit(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_same(uscc_gist_key, uscc_gist_key, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uscc_gist_fetch(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR CLASS uscc_gist_ops
    DEFAULT FOR TYPE uscc USING gist AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 uscc_gist_consistent(internal, uscc, smallint, oid, internal),
        FUNCTION 2 uscc_gist_union(internal, internal),
        FUNCTION 3 uscc_gist_compress(internal),
        FUNCTION 5 uscc_gist_penalty(internal, internal, internal),
        FUNCTION 6 uscc_gist_picksplit(internal, internal),
        FUNCTION 7 uscc_gist_same(uscc_gist_key, uscc_gist_key, internal),
        FUNCTION 9 uscc_gist_fetch(internal),
        STORAGE uscc_gist_key;
