-- ---------------------------------------------------------------------------
-- masked_cnid: a masked resident identity number        (src/masked_cnid.c)
--
-- 18 bytes by reference: the canonical characters, digits, X (position 18)
-- or * for a masked position, as published lists give them
-- (3303241976****2118).  Input accepts a value only if some valid cnid fits
-- it (visible region, birth date and check character consistent).  Nothing
-- depends on the date or the session: every function here is IMMUTABLE.
--
-- cnid ~ masked_cnid: the number agrees with every visible position.  Screening
-- a large masked list is an equality join on cnid_block(cnid) =
-- masked_cnid_block(mask) (positions 1-6 and 15-18) with ~ as the recheck;
-- README "Masked identity numbers" has the recipe.
-- ---------------------------------------------------------------------------

CREATE TYPE masked_cnid;

CREATE FUNCTION masked_cnid_in(cstring) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_out(masked_cnid) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_recv(internal) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION masked_cnid_send(masked_cnid) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE masked_cnid (
    INTERNALLENGTH = 18,
    INPUT = masked_cnid_in,
    OUTPUT = masked_cnid_out,
    RECEIVE = masked_cnid_recv,
    SEND = masked_cnid_send,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE masked_cnid IS 'masked resident identity number: 18 positions, digits/X or * (3303241976****2118)';
COMMENT ON FUNCTION masked_cnid_in(cstring) IS 'input of masked_cnid: 18 positions, some valid cnid must fit';
COMMENT ON FUNCTION masked_cnid_out(masked_cnid) IS 'output of masked_cnid: the canonical 18 characters';
COMMENT ON FUNCTION masked_cnid_recv(internal) IS 'binary input of masked_cnid: version byte 1 and the 18 canonical characters';
COMMENT ON FUNCTION masked_cnid_send(masked_cnid) IS 'binary output of masked_cnid: version byte 1 and the 18 canonical characters';

-- a full number is a mask with nothing masked
CREATE FUNCTION masked_cnid_from_cnid(cnid) RETURNS masked_cnid
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_from_cnid(cnid) IS 'the number as a masked_cnid with nothing masked';
CREATE CAST (cnid AS masked_cnid) WITH FUNCTION masked_cnid_from_cnid(cnid) AS IMPLICIT;
COMMENT ON CAST (cnid AS masked_cnid) IS 'a full number is a mask with nothing masked';

-- comparison: the order of the canonical text (* before the digits)
CREATE FUNCTION masked_cnid_eq(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_ne(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_lt(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_le(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_gt(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_ge(masked_cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION masked_cnid_cmp(masked_cnid, masked_cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION masked_cnid_eq(masked_cnid, masked_cnid) IS 'implementation of = for masked_cnid';
COMMENT ON FUNCTION masked_cnid_ne(masked_cnid, masked_cnid) IS 'implementation of <> for masked_cnid';
COMMENT ON FUNCTION masked_cnid_lt(masked_cnid, masked_cnid) IS 'implementation of < for masked_cnid';
COMMENT ON FUNCTION masked_cnid_le(masked_cnid, masked_cnid) IS 'implementation of <= for masked_cnid';
COMMENT ON FUNCTION masked_cnid_gt(masked_cnid, masked_cnid) IS 'implementation of > for masked_cnid';
COMMENT ON FUNCTION masked_cnid_ge(masked_cnid, masked_cnid) IS 'implementation of >= for masked_cnid';
COMMENT ON FUNCTION masked_cnid_cmp(masked_cnid, masked_cnid) IS 'btree comparison of masked_cnid (the order of the canonical text)';

CREATE OPERATOR = (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = masked_cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR = (masked_cnid, masked_cnid) IS 'the same masked number';
COMMENT ON OPERATOR <> (masked_cnid, masked_cnid) IS 'not the same masked number';
COMMENT ON OPERATOR < (masked_cnid, masked_cnid) IS 'less than, in the order of the canonical text';
COMMENT ON OPERATOR <= (masked_cnid, masked_cnid) IS 'less than or equal, in the order of the canonical text';
COMMENT ON OPERATOR > (masked_cnid, masked_cnid) IS 'greater than, in the order of the canonical text';
COMMENT ON OPERATOR >= (masked_cnid, masked_cnid) IS 'greater than or equal, in the order of the canonical text';

CREATE OPERATOR CLASS masked_cnid_ops
    DEFAULT FOR TYPE masked_cnid USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 masked_cnid_cmp(masked_cnid, masked_cnid),
        FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR CLASS masked_cnid_ops USING btree IS 'btree order of masked_cnid (the canonical text): DISTINCT, UNIQUE, ORDER BY';
COMMENT ON OPERATOR FAMILY masked_cnid_ops USING btree IS 'btree order of masked_cnid';

-- matching
CREATE FUNCTION masked_cnid_match(cnid, masked_cnid) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION masked_cnid_match(cnid, masked_cnid) IS 'implementation of cnid ~ masked_cnid';
CREATE OPERATOR ~ (
    LEFTARG = cnid, RIGHTARG = masked_cnid, FUNCTION = masked_cnid_match,
    RESTRICT = matchingsel, JOIN = matchingjoinsel
);
COMMENT ON OPERATOR ~ (cnid, masked_cnid) IS 'the number agrees with every visible position of the mask';
CREATE FUNCTION cnid_matches(id cnid, mask text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_matches(cnid, text) IS 'id ~ mask::masked_cnid; an invalid mask raises its input error';

-- the block key for equality joins, and the count of visible positions
CREATE FUNCTION cnid_block(cnid) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_block(cnid) IS 'block key of positions 1-6 and 15-18; equals masked_cnid_block(m) for every mask m that shows them and that the number fits';
CREATE FUNCTION masked_cnid_block(masked_cnid) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_block(masked_cnid) IS 'block key of positions 1-6 and 15-18, NULL if the mask hides any of them; join it to cnid_block(cnid), recheck with ~';
CREATE FUNCTION masked_cnid_visible(masked_cnid) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION masked_cnid_visible(masked_cnid) IS 'how many of the 18 positions the mask shows';
