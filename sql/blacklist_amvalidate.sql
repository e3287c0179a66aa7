-- blacklist_amvalidate: the access method's operator-class validator
-- (amvalidate) reports each defect with a short message and the rule in
-- its detail.  The extension's own operator classes are valid.
SELECT opc.opcname, amvalidate(opc.oid) AS valid
FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
WHERE am.amname = 'blacklist' ORDER BY 1;

-- a support function of the wrong signature, an operator that is not
-- equality, no hash function for the key type
CREATE FUNCTION amv_hash(integer, integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT RETURN $1::bigint + $2;
CREATE OPERATOR CLASS amv_bad_ops FOR TYPE integer USING blacklist AS
    OPERATOR 1 < (integer, integer),
    FUNCTION 1 amv_hash(integer, integer);
SELECT amvalidate(oid) AS valid FROM pg_opclass WHERE opcname = 'amv_bad_ops';
DROP OPERATOR CLASS amv_bad_ops USING blacklist;
DROP FUNCTION amv_hash(integer, integer);
