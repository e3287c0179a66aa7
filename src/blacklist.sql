-- ---------------------------------------------------------------------------
-- blacklist: the persistent blacklist index access method
--                              (src/blacklist_utils.c, blacklist_build.c,
--                               blacklist_insert.c, blacklist_scan.c,
--                               blacklist_vacuum.c; contract: blacklist.h)
--
-- CREATE INDEX ... ON list USING blacklist (subject): a blocked Bloom filter
-- over the key column, kept in the index's pages (shared buffers, generic
-- WAL).  It only over-approximates: a "no" holds for every snapshot, role
-- and policy; listed() confirms a "maybe" exactly.  Operator classes for
-- cnid, uscc, bigint and text (varchar columns use text_ops); support
-- function 1 is the type's seeded, platform-independent 64-bit hash.
-- ---------------------------------------------------------------------------

CREATE FUNCTION blacklist_handler(internal) RETURNS index_am_handler
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION blacklist_handler(internal) IS
    'handler of the blacklist index access method';

CREATE ACCESS METHOD blacklist TYPE INDEX HANDLER blacklist_handler;
COMMENT ON ACCESS METHOD blacklist IS
    'blacklist index: a persistent blocked Bloom filter over one key column; a "no" holds for every snapshot (used by listed())';

CREATE FUNCTION blacklist_int8_hash(bigint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int8_hash(bigint, bigint) IS
    'seeded portable 64-bit hash of a bigint (blacklist int8_ops support function)';

CREATE FUNCTION blacklist_int4_hash(integer, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int4_hash(integer, bigint) IS
    'seeded portable 64-bit hash of an integer, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_int2_hash(smallint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_int2_hash(smallint, bigint) IS
    'seeded portable 64-bit hash of a smallint, equal to that of the same bigint (blacklist int8_ops, cross-type =)';

CREATE FUNCTION blacklist_text_hash(text, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION blacklist_text_hash(text, bigint) IS
    'seeded portable 64-bit hash of the bytes of a text (blacklist text_ops support function)';

CREATE OPERATOR CLASS cnid_ops
    DEFAULT FOR TYPE cnid USING blacklist AS
        OPERATOR 1 = (cnid, cnid),
        FUNCTION 1 cnid_hash_extended(cnid, bigint);
COMMENT ON OPERATOR CLASS cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';
COMMENT ON OPERATOR FAMILY cnid_ops USING blacklist IS
    'blacklist filter over cnid keys';

CREATE OPERATOR CLASS uscc_ops
    DEFAULT FOR TYPE uscc USING blacklist AS
        OPERATOR 1 = (uscc, uscc),
        FUNCTION 1 uscc_hash_extended(uscc, bigint);
COMMENT ON OPERATOR CLASS uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';
COMMENT ON OPERATOR FAMILY uscc_ops USING blacklist IS
    'blacklist filter over uscc keys';

CREATE OPERATOR CLASS int8_ops
    DEFAULT FOR TYPE bigint USING blacklist AS
        OPERATOR 1 = (bigint, bigint),
        OPERATOR 1 = (bigint, integer),
        OPERATOR 1 = (bigint, smallint),
        FUNCTION 1 blacklist_int8_hash(bigint, bigint),
        FUNCTION 1 (integer, integer) blacklist_int4_hash(integer, bigint),
        FUNCTION 1 (smallint, smallint) blacklist_int2_hash(smallint, bigint);
COMMENT ON OPERATOR CLASS int8_ops USING blacklist IS
    'blacklist filter over bigint keys';
COMMENT ON OPERATOR FAMILY int8_ops USING blacklist IS
    'blacklist filter over bigint keys (searched also with integer and smallint values)';

CREATE OPERATOR CLASS text_ops
    DEFAULT FOR TYPE text USING blacklist AS
        OPERATOR 1 = (text, text),
        FUNCTION 1 blacklist_text_hash(text, bigint);
COMMENT ON OPERATOR CLASS text_ops USING blacklist IS
    'blacklist filter over text (and varchar) keys; deterministic collations only';
COMMENT ON OPERATOR FAMILY text_ops USING blacklist IS
    'blacklist filter over text and varchar keys';

CREATE FUNCTION blacklist_probe(index regclass, key anyelement) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION blacklist_probe(regclass, anyelement) IS
    'diagnostic: the blacklist filter''s answer for a key (false = no row holds it; true = maybe)';

CREATE FUNCTION blacklist_index_stats(index regclass,
    OUT capacity bigint, OUT inserted bigint, OUT bits_per_key integer,
    OUT probes integer, OUT pages bigint, OUT bytes bigint,
    OUT fill float8, OUT estimated_fpr float8, OUT measured_fpr float8,
    OUT private_copy boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
-- PARALLEL RESTRICTED: private_copy is the calling backend's own state (a
-- parallel worker would report its own, not the leader's).
COMMENT ON FUNCTION blacklist_index_stats(regclass) IS
    'size, fill and false-positive rate of a blacklist index (REINDEX when inserted exceeds capacity)';
