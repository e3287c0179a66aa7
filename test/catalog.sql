-- pgTAP: the catalogue is documented, internal helpers are out of the user's
-- schema, and overloads do not trap untyped literals or NULLs.
--
-- When a test here fails it lists the offending objects by name (as
-- pg_describe_object writes them): add the missing COMMENT next to the
-- object in src/<concept>.sql and in the upgrade fragment.
BEGIN;
SELECT plan(18);

-- every object of the extension (functions, aggregates, types, domains,
-- operators, casts, operator classes and families, access methods, schemas
-- ... whatever pg_depend records as a member) has a comment
SELECT is_empty($$
    SELECT pg_describe_object(d.classid, d.objid, 0)
      FROM pg_depend d
     WHERE d.refclassid = 'pg_extension'::regclass
       AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
       AND d.deptype = 'e'
       AND obj_description(d.objid, d.classid::regclass::name) IS NULL
     ORDER BY 1 $$,
    'every member object of the extension has a COMMENT (the rows above lack one)');
SELECT cmp_ok((SELECT count(*) FROM pg_depend d
                WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
                  AND d.classid IN ('pg_cast'::regclass, 'pg_operator'::regclass, 'pg_opclass'::regclass,
                                    'pg_type'::regclass, 'pg_aggregate'::regclass, 'pg_proc'::regclass)),
              '>', 200::bigint, 'the comment check sees the casts, operators, opclasses, types and functions');

-- the internal schema: a member, and everything in it belongs to the extension
SELECT has_schema('integrity_internal');
SELECT is((SELECT count(*) FROM pg_depend
            WHERE classid = 'pg_namespace'::regclass AND objid = to_regnamespace('integrity_internal')
              AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity') AND deptype = 'e'),
          1::bigint, 'integrity_internal is a member of the extension');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = to_regnamespace('integrity_internal')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                          AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')) $$,
    'integrity_internal holds only the extension''s functions');

-- no helper beside the user API: the rule of src/catalog.sql, asserted.
-- A row here is a function that an aggregate or a domain CHECK of the
-- extension uses, or a state step (first parameter "state"), left in the
-- extension's schema: it was created after the move (keep src/catalog.sql
-- last in CONCEPTS and its part last in the update script), or it is
-- user API to add to the keep list of the move.
SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                      AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
     WHERE p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'integrity')
       AND p.oid IS DISTINCT FROM to_regprocedure('portrait_combine(portrait, portrait)')
       AND (EXISTS (SELECT 1 FROM pg_aggregate a
                     WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                                     a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn))
            OR EXISTS (SELECT 1 FROM pg_depend c JOIN pg_constraint k ON k.oid = c.objid
                        WHERE c.classid = 'pg_constraint'::regclass AND k.contypid <> 0
                          AND c.refclassid = 'pg_proc'::regclass AND c.refobjid = p.oid)
            OR p.proargnames[1] = 'state')
     ORDER BY 1 $$,
    'no aggregate support function, CHECK helper or state step in the user''s schema');
SELECT ok(to_regprocedure('integrity_internal.scheme_check(scheme_fields)') IS NOT NULL
          AND to_regprocedure('integrity_internal.index_step(numeric[], iscore, numeric, numeric, scheme, boolean)') IS NOT NULL
          AND to_regprocedure('integrity_internal.iscore_sum_accum(iscore, iscore)') IS NOT NULL
          AND to_regprocedure('integrity_internal.portrait_trans(portrait, text, numeric, timestamptz)') IS NOT NULL,
          'scheme_check, index_step, iscore_sum_accum, portrait_trans are in integrity_internal');
-- the moved helpers still serve the user API
SELECT throws_ok($$SELECT scheme(w_self => 0.5)$$, '22023', NULL, 'the domain CHECK still calls scheme_check');
SELECT is((SELECT sum(s)::text FROM (VALUES ('1+1'::iscore), ('2+0!1')) v(s)), '3.00+1.00!1',
          'sum(iscore) still finds its transition function');
SELECT is(integrity_internal.iscore_sum_accum('1+1', '2+0')::text, '3.00+1.00',
          'a helper is callable qualified (USAGE on integrity_internal)');

-- untyped literals and NULLs: no "function is not unique" (42725) for any
-- overloaded function of the extension, with NULL at any one argument and
-- typed NULLs elsewhere (aggregates excepted: PostgreSQL's own sum(NULL)
-- and avg(NULL) are ambiguous too, and aggregates take columns)
CREATE FUNCTION pg_temp.ambiguous_calls() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    f record;
    i int;
    call text;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.pronargs
          FROM pg_proc p
          JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                          AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
         WHERE p.prokind = 'f' AND p.pronargs > 0
           AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'integrity')
           AND (SELECT count(*) FROM pg_proc q WHERE q.proname = p.proname
                   AND q.pronamespace IN (p.pronamespace, 'pg_catalog'::regnamespace)) > 1
         ORDER BY p.oid
    LOOP
        FOR i IN 1 .. f.pronargs LOOP
            SELECT format('SELECT %I(%s)', f.proname,
                          string_agg(CASE WHEN k = i THEN 'NULL' ELSE 'NULL::' || format_type(t, NULL) END,
                                     ', ' ORDER BY k))
              INTO call
              FROM pg_proc p, unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, k)
             WHERE p.oid = f.oid;
            BEGIN
                EXECUTE call;
            EXCEPTION WHEN ambiguous_function THEN
                RETURN NEXT call;
            WHEN others THEN
                NULL;   -- a strict function's own complaint is not the point here
            END;
        END LOOP;
    END LOOP;
END
$f$;
SELECT is_empty($$SELECT * FROM pg_temp.ambiguous_calls()$$,
    'no overload is ambiguous for an untyped NULL (the calls above are)');
SELECT is(total('80+5', NULL), NULL, 'total(s, NULL) is NULL');
SELECT is(total('80+15', '12'), total('80+15', 12), 'total(s, ''12'') caps the bonus at 12');
SELECT is(total('80+15', '(10,100,90,80,60,0.2,0.5,0.3,zero)'), total('80+15', scheme()),
          'total(s, ''(...)'') reads a scheme');
SELECT is(grade(NULL, scheme()), NULL, 'grade(NULL, rules) is NULL');
SELECT is(grade('85', scheme()), grade(85, scheme()), 'grade(''85'', rules) grades a total');
SELECT is(grade('80+15!1', scheme()), 'red'::grade, 'grade(''80+15!1'', rules) grades a score (vetoed)');
SELECT is(total('80+15', 10) + total('80+15', scheme()), 180.00, '1.0 calls total(s, 10), total(s, scheme()) unchanged');

SELECT * FROM finish();
ROLLBACK;
