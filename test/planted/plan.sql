-- test/planted/plan.sql — which traps to plant (run by test/planted.sh in a
-- database with a fresh install, search_path pg_catalog).  Input (standard
-- input): the output of derive.pl; output (standard output): one trap a
-- line: kind (f function, o operator), name, argument types, result type,
-- returns a set.  Every name is one the code uses (the scripts as built and
-- shipped, the bodies, views, CHECKs and defaults of a fresh install); for
-- each, the signatures that would beat pg_catalog's at a call site:
--   * the exact argument types of every call bound in a stored parse tree
--     (a CHECK, a view, a RETURN body, a default), where pg_catalog's
--     function or operator is not exactly of those types (num_nulls'
--     VARIADIC "any" included);
--   * for every call and operator in the text: pg_catalog's candidates of
--     that name and arity with each polymorphic, "any" or variadic argument
--     replaced by each concrete type the extension uses, and each argument
--     by each such type that reaches it by an implicit cast.
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
CREATE TEMP TABLE raw (line text);
\copy raw FROM pstdin WITH (FORMAT csv, DELIMITER E'\x01', QUOTE E'\x02')
CREATE TEMP TABLE nm AS
SELECT split_part(line, E'\t', 1) AS k, split_part(line, E'\t', 2) AS a, split_part(line, E'\t', 3) AS b,
       split_part(line, E'\t', 4) AS c, split_part(line, E'\t', 5) AS d, split_part(line, E'\t', 6) AS e
  FROM raw;

-- the concrete types the extension uses
CREATE TEMP TABLE ty AS
WITH m AS (SELECT p.* FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
            AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
            AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')),
     used(t) AS (
        SELECT a::oid FROM nm WHERE k = 'T'
        UNION SELECT unnest(string_to_array(b, ','))::oid FROM nm WHERE k IN ('F', 'G') AND b <> ''
        UNION SELECT unnest(proargtypes::oid[]) FROM m
        UNION SELECT prorettype FROM m
        UNION SELECT unnest(proallargtypes) FROM m
        UNION SELECT a.atttypid FROM pg_attribute a JOIN pg_type t ON t.typrelid = a.attrelid
               JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
              WHERE a.attnum > 0
        UNION SELECT t.typbasetype FROM pg_type t JOIN pg_depend d ON d.classid = 'pg_type'::regclass
               AND d.objid = t.oid AND d.deptype = 'e' WHERE t.typtype = 'd')
SELECT DISTINCT t.oid FROM used JOIN pg_type t ON t.oid = used.t
 WHERE t.typtype <> 'p' AND t.typisdefined;
-- arrays of them too (a polymorphic anyarray argument)
INSERT INTO ty SELECT t.typarray FROM ty JOIN pg_type t ON t.oid = ty.oid
 WHERE t.typarray <> 0 AND t.typarray NOT IN (SELECT oid FROM ty);

CREATE TEMP TABLE plan (kind text, name name, args oid[], ret oid, retset boolean);

-- 1. exact call sites of the stored parse trees
INSERT INTO plan
SELECT 'f', p.proname, string_to_array(n.b, ',')::oid[], n.c::oid, n.d::boolean
  FROM nm n JOIN pg_proc p ON p.oid = n.a::oid
 WHERE n.k = 'F' AND p.pronamespace = 'pg_catalog'::regnamespace;
INSERT INTO plan
SELECT 'f', p.proname, string_to_array(n.b, ',')::oid[], p.prorettype, false
  FROM nm n JOIN pg_proc p ON p.oid = n.a::oid
 WHERE n.k = 'G' AND p.pronamespace = 'pg_catalog'::regnamespace AND n.b <> '';
INSERT INTO plan
SELECT 'o', o.oprname, ARRAY[n.b::oid, n.c::oid], n.d::oid, false
  FROM nm n JOIN pg_operator o ON o.oid = n.a::oid
 WHERE n.k = 'O' AND o.oprnamespace = 'pg_catalog'::regnamespace;
INSERT INTO plan
SELECT 'o', o.oprname, ARRAY[n.b::oid, e.typelem], 'bool'::regtype, false
  FROM nm n JOIN pg_operator o ON o.oid = n.a::oid JOIN pg_type e ON e.oid = n.c::oid
 WHERE n.k = 'A' AND o.oprnamespace = 'pg_catalog'::regnamespace AND e.typelem <> 0;

-- 2. the names of the text: candidates' argument types, varied
CREATE FUNCTION pg_temp.variants(decl oid[], poly_ret oid) RETURNS TABLE (args oid[], ret oid)
LANGUAGE plpgsql AS $$
DECLARE
    poly oid[] := ARRAY['anyelement', 'anynonarray', 'anyenum', 'anycompatible', 'anycompatiblenonarray',
                        '"any"']::regtype[]::oid[];
    polyarr oid[] := ARRAY['anyarray', 'anycompatiblearray']::regtype[]::oid[];
    acc oid[][] := ARRAY[]::oid[];
    rows oid[] := ARRAY[]::oid[];
    combos text[] := ARRAY[''];
    nxt text[];
    opts oid[];
    i int;
    t oid;
    c text;
    hasp boolean := false;
    tlist oid[];
BEGIN
    FOR i IN 1 .. coalesce(array_length(decl, 1), 0) LOOP
        IF decl[i] = ANY (poly) OR decl[i] = ANY (polyarr) THEN
            hasp := true;
            opts := ARRAY[0::oid];              -- placeholder, filled per shared type below
        ELSIF (SELECT typtype FROM pg_type WHERE oid = decl[i]) = 'p' AND decl[i] <> 0 THEN
            RETURN;                             -- anyrange, internal, ...: no SQL caller
        ELSE
            opts := ARRAY[decl[i]] || ARRAY(SELECT ty.oid FROM ty
                                           WHERE ty.oid <> decl[i]
                                             AND (EXISTS (SELECT FROM pg_cast WHERE castsource = ty.oid
                                                            AND casttarget = decl[i] AND castcontext = 'i')
                                                  OR (SELECT typbasetype FROM pg_type WHERE oid = ty.oid) = decl[i])
                                           ORDER BY ty.oid);
        END IF;
        nxt := ARRAY[]::text[];
        FOREACH c IN ARRAY combos LOOP
            FOREACH t IN ARRAY opts LOOP
                nxt := nxt || (c || CASE WHEN c = '' THEN '' ELSE ',' END || t::text);
            END LOOP;
        END LOOP;
        combos := nxt[1:400];
    END LOOP;
    tlist := CASE WHEN hasp THEN ARRAY(SELECT oid FROM ty ORDER BY oid) ELSE ARRAY[0::oid] END;
    FOREACH c IN ARRAY combos LOOP
        FOREACH t IN ARRAY tlist LOOP
            args := string_to_array(NULLIF(c, ''), ',')::oid[];
            FOR i IN 1 .. coalesce(array_length(args, 1), 0) LOOP
                IF decl[i] = ANY (poly) THEN args[i] := t;
                ELSIF decl[i] = ANY (polyarr) THEN args[i] := (SELECT typarray FROM pg_type WHERE oid = t);
                END IF;
            END LOOP;
            CONTINUE WHEN 0 = ANY (args) OR NULL::oid = ANY (args) OR array_position(args, NULL) IS NOT NULL;
            ret := CASE WHEN poly_ret = ANY (poly) THEN t
                        WHEN poly_ret = ANY (polyarr) THEN (SELECT typarray FROM pg_type WHERE oid = t)
                        ELSE poly_ret END;
            CONTINUE WHEN ret IS NULL OR ret = 0;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$$;

-- functions: pg_catalog's candidates of the name that take that many arguments
INSERT INTO plan
SELECT DISTINCT 'f', p.proname, v.args, v.ret, p.proretset
  FROM (SELECT DISTINCT a AS name, b::int AS arity FROM nm WHERE k = 'f') f
  JOIN pg_proc p ON p.proname = f.name AND p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind IN ('f', 'a')
  CROSS JOIN LATERAL (SELECT g AS k FROM generate_series(0, 8) g
                       WHERE (f.arity < 0 AND g = p.pronargs)
                          OR (f.arity = g AND p.provariadic = 0 AND g BETWEEN p.pronargs - p.pronargdefaults AND p.pronargs)
                          OR (f.arity = g AND p.provariadic <> 0 AND g >= p.pronargs - 1)) k
  CROSS JOIN LATERAL pg_temp.variants(
        ARRAY(SELECT CASE WHEN p.provariadic <> 0 AND i >= p.pronargs
                          THEN CASE WHEN p.provariadic = '"any"'::regtype THEN p.provariadic ELSE p.provariadic END
                          ELSE p.proargtypes[i - 1] END
                FROM generate_series(1, k.k) i),
        p.prorettype) v;

-- operators: pg_catalog's operators of the name, both operands varied
INSERT INTO plan
SELECT DISTINCT 'o', o.oprname, ARRAY[v.args[1], v.args[2]], v.ret, false
  FROM (SELECT DISTINCT a AS name FROM nm WHERE k = 'o') n
  JOIN pg_operator o ON o.oprname = n.name AND o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprleft <> 0
  CROSS JOIN LATERAL pg_temp.variants(ARRAY[o.oprleft, o.oprright], o.oprresult) v;
INSERT INTO plan
SELECT DISTINCT 'o', o.oprname, ARRAY[0::oid, v.args[1]], v.ret, false
  FROM (SELECT DISTINCT a AS name FROM nm WHERE k = 'o') n
  JOIN pg_operator o ON o.oprname = n.name AND o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprleft = 0
  CROSS JOIN LATERAL pg_temp.variants(ARRAY[o.oprright], o.oprresult) v;

-- leave out what pg_catalog has exactly (it is found first) and pseudo-types
DELETE FROM plan p WHERE kind = 'f' AND EXISTS (
    SELECT FROM pg_proc c WHERE c.proname = p.name AND c.pronamespace = 'pg_catalog'::regnamespace
       AND c.proargtypes = array_to_string(p.args, ' ')::oidvector);
DELETE FROM plan p WHERE kind = 'o' AND EXISTS (
    SELECT FROM pg_operator c WHERE c.oprname = p.name AND c.oprnamespace = 'pg_catalog'::regnamespace
       AND c.oprleft = p.args[1] AND c.oprright = p.args[2]);
DELETE FROM plan p WHERE EXISTS (SELECT FROM unnest(p.args) a JOIN pg_type t ON t.oid = a
                                  WHERE t.typtype = 'p' AND t.oid <> 0);
DELETE FROM plan WHERE ret IN ('internal'::regtype, 'trigger'::regtype, 'event_trigger'::regtype,
                                'language_handler'::regtype, 'index_am_handler'::regtype,
                                'table_am_handler'::regtype, 'fdw_handler'::regtype, 'tsm_handler'::regtype);

-- and what would collide with the extension's own functions and operators
-- (CREATE would fail: the script refuses to adopt an object; not the point here)
DELETE FROM plan p WHERE kind = 'f' AND EXISTS (
    SELECT FROM pg_proc c JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = c.oid AND d.deptype = 'e'
     WHERE c.proname = p.name AND c.proargtypes = array_to_string(p.args, ' ')::oidvector);
DELETE FROM plan p WHERE kind = 'o' AND EXISTS (
    SELECT FROM pg_operator c JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = c.oid AND d.deptype = 'e'
     WHERE c.oprname = p.name AND c.oprleft = p.args[1] AND c.oprright = p.args[2]);

\copy (SELECT DISTINCT kind, name, (SELECT string_agg(CASE WHEN a = 0 THEN '-' ELSE format('%I.%I', n.nspname, t.typname) END, ',' ORDER BY o) FROM unnest(args) WITH ORDINALITY u(a, o) LEFT JOIN pg_type t ON t.oid = a LEFT JOIN pg_namespace n ON n.oid = t.typnamespace), (SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ret), retset FROM plan ORDER BY 1, 2, 3) TO pstdout
