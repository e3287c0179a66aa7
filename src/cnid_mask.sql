-- ---------------------------------------------------------------------------
-- cnid_mask: a masked resident identity number        (src/cnid_mask.c)
--
-- 18 bytes by reference: the canonical characters, digits, X (position 18)
-- or * for a masked position, as published lists give them
-- (3303241976****2118).  Input accepts a value only if some valid cnid fits
-- it (visible region, birth date and check character consistent).  Nothing
-- depends on the date or the session: every function here is IMMUTABLE.
--
-- cnid ~ cnid_mask: the number agrees with every visible position.  Screening
-- a large masked list is an equality join on cnid_block(cnid) =
-- cnid_mask_block(mask) (positions 1-6 and 15-18) with ~ as the recheck;
-- README "Masked identity numbers" has the recipe.
-- ---------------------------------------------------------------------------

CREATE TYPE cnid_mask;

CREATE FUNCTION cnid_mask_in(cstring) RETURNS cnid_mask
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_mask_out(cnid_mask) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_mask_recv(internal) RETURNS cnid_mask
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cnid_mask_send(cnid_mask) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cnid_mask (
    INTERNALLENGTH = 18,
    INPUT = cnid_mask_in,
    OUTPUT = cnid_mask_out,
    RECEIVE = cnid_mask_recv,
    SEND = cnid_mask_send,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE cnid_mask IS 'masked resident identity number: 18 positions, digits/X or * (3303241976****2118)';
COMMENT ON FUNCTION cnid_mask_in(cstring) IS 'input of cnid_mask: 18 positions, some valid cnid must fit';
COMMENT ON FUNCTION cnid_mask_out(cnid_mask) IS 'output of cnid_mask: the canonical 18 characters';
COMMENT ON FUNCTION cnid_mask_recv(internal) IS 'binary input of cnid_mask: version byte 1 and the 18 canonical characters';
COMMENT ON FUNCTION cnid_mask_send(cnid_mask) IS 'binary output of cnid_mask: version byte 1 and the 18 canonical characters';

-- a full number is a mask with nothing masked
CREATE FUNCTION cnid_mask_from_cnid(cnid) RETURNS cnid_mask
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_mask_from_cnid(cnid) IS 'the number as a cnid_mask with nothing masked';
CREATE CAST (cnid AS cnid_mask) WITH FUNCTION cnid_mask_from_cnid(cnid) AS IMPLICIT;
COMMENT ON CAST (cnid AS cnid_mask) IS 'a full number is a mask with nothing masked';

-- comparison: the order of the canonical text (* before the digits)
CREATE FUNCTION cnid_mask_eq(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_ne(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_lt(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_le(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_gt(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_ge(cnid_mask, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cnid_mask_cmp(cnid_mask, cnid_mask) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_mask_eq(cnid_mask, cnid_mask) IS 'implementation of = for cnid_mask';
COMMENT ON FUNCTION cnid_mask_ne(cnid_mask, cnid_mask) IS 'implementation of <> for cnid_mask';
COMMENT ON FUNCTION cnid_mask_lt(cnid_mask, cnid_mask) IS 'implementation of < for cnid_mask';
COMMENT ON FUNCTION cnid_mask_le(cnid_mask, cnid_mask) IS 'implementation of <= for cnid_mask';
COMMENT ON FUNCTION cnid_mask_gt(cnid_mask, cnid_mask) IS 'implementation of > for cnid_mask';
COMMENT ON FUNCTION cnid_mask_ge(cnid_mask, cnid_mask) IS 'implementation of >= for cnid_mask';
COMMENT ON FUNCTION cnid_mask_cmp(cnid_mask, cnid_mask) IS 'btree comparison of cnid_mask (the order of the canonical text)';

CREATE OPERATOR = (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = cnid_mask, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR = (cnid_mask, cnid_mask) IS 'the same masked number';
COMMENT ON OPERATOR <> (cnid_mask, cnid_mask) IS 'not the same masked number';
COMMENT ON OPERATOR < (cnid_mask, cnid_mask) IS 'less than, in the order of the canonical text';
COMMENT ON OPERATOR <= (cnid_mask, cnid_mask) IS 'less than or equal, in the order of the canonical text';
COMMENT ON OPERATOR > (cnid_mask, cnid_mask) IS 'greater than, in the order of the canonical text';
COMMENT ON OPERATOR >= (cnid_mask, cnid_mask) IS 'greater than or equal, in the order of the canonical text';

CREATE OPERATOR CLASS cnid_mask_ops
    DEFAULT FOR TYPE cnid_mask USING btree AS
        OPERATOR 1 <,
        OPERATOR 2 <=,
        OPERATOR 3 =,
        OPERATOR 4 >=,
        OPERATOR 5 >,
        FUNCTION 1 cnid_mask_cmp(cnid_mask, cnid_mask),
        FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR CLASS cnid_mask_ops USING btree IS 'btree order of cnid_mask (the canonical text): DISTINCT, UNIQUE, ORDER BY';
COMMENT ON OPERATOR FAMILY cnid_mask_ops USING btree IS 'btree order of cnid_mask';

-- matching
CREATE FUNCTION cnid_mask_match(cnid, cnid_mask) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_mask_match(cnid, cnid_mask) IS 'implementation of cnid ~ cnid_mask';
CREATE OPERATOR ~ (
    LEFTARG = cnid, RIGHTARG = cnid_mask, FUNCTION = cnid_mask_match,
    RESTRICT = matchingsel, JOIN = matchingjoinsel
);
COMMENT ON OPERATOR ~ (cnid, cnid_mask) IS 'the number agrees with every visible position of the mask';
CREATE FUNCTION cnid_matches(id cnid, mask text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_matches(cnid, text) IS 'id ~ mask::cnid_mask; an invalid mask raises its input error';

-- the block key for equality joins, and the count of visible positions
CREATE FUNCTION cnid_block(cnid) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_block(cnid) IS 'block key of positions 1-6 and 15-18; equals cnid_mask_block(m) for every mask m that shows them and that the number fits';
CREATE FUNCTION cnid_mask_block(cnid_mask) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_mask_block(cnid_mask) IS 'block key of positions 1-6 and 15-18, NULL if the mask hides any of them; join it to cnid_block(cnid), recheck with ~';
CREATE FUNCTION cnid_mask_visible(cnid_mask) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_mask_visible(cnid_mask) IS 'how many of the 18 positions the mask shows';
