-- test/planted/calls.sql — one call of every member function of the
-- extension, generated from pg_proc/pg_depend (run with psql -At, search_path
-- pg_catalog; prints a psql script).  Each argument is a literal of its type,
-- fully qualified ('...'::public.iscore): the value table below, or an
-- override by function and argument position; arguments with a default are
-- left out (the defaults run).  A function that takes internal, or a
-- trigger function, cannot be called from SQL and is listed as such; a function with an argument of a
-- type the table does not know prints "NO CALL", which test/planted.sh
-- counts as a failure: a new function needs a value here.
SET search_path = pg_catalog;
WITH ext AS (SELECT oid, extnamespace FROM pg_extension WHERE extname = 'integrity'),
m AS (
    SELECT p.oid, p.proname, p.pronamespace, p.prokind, p.pronargs, p.pronargdefaults, p.proargtypes, p.proretset
      FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
       AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = (SELECT oid FROM ext) AND d.deptype = 'e'),
cn AS (SELECT public.cnid_from_parts(110105, date '1949-12-31', 2)::text AS v),
vals(typ, lit) AS (VALUES
    ('pg_catalog.int2', '2'), ('pg_catalog.int4', '3'), ('pg_catalog.int8', '5'),
    ('pg_catalog.numeric', '12.5'), ('pg_catalog.bool', 'true'), ('pg_catalog.text', 'x'),
    ('pg_catalog.date', '2024-06-01'), ('pg_catalog.timestamptz', '2024-06-30 00:00+00'),
    ('pg_catalog._int8', '{0,0,0,0}'), ('pg_catalog._numeric', '{0,0,0,0,0,0,-1,-1,-1}'),
    ('pg_catalog._text', '{红线,合规建设}'),
    ('iscore', '80+5'), ('scheme', '(10,100,90,80,60,0.2,0.5,0.3,zero)'),
    ('scheme_fields', '(10,100,90,80,60,0.2,0.5,0.3,zero)'),
    ('assessment', 'self:80.00+5.00;inspection:80.00+5.00;third_party:-;weights:0.2000/0.5000/0.3000'),
    ('portrait', (SELECT public.portrait(d, 3, timestamptz '2024-01-05 00:00+00')::text
                    FROM (VALUES ('红线'), ('合规建设')) v(d))),
    ('pg_catalog.bytea', (SELECT public.portrait_send(public.portrait(d, 3, timestamptz '2024-01-05 00:00+00'))::text
                            FROM (VALUES ('红线'), ('合规建设')) v(d))),
    ('portrait_rules', '(1,-20.00,0.00,10.00,20.00,3,10.00)'),
    ('cnid', (SELECT v FROM cn)), ('uscc', '91350100M000100Y43'), ('masked_cnid', '110105********002X'),
    ('grade', 'green'), ('risk_grade', 'alert'),
    ('cnid_gist_key', NULL), ('uscc_gist_key', NULL),
    ('pg_catalog.anyelement', (SELECT v FROM cn))),
over(fn, pos, typ, lit) AS (VALUES
    ('cnid', 1, NULL, (SELECT v FROM cn)), ('to_cnid', 1, NULL, (SELECT v FROM cn)),
    ('uscc', 1, NULL, '91350100M000100Y43'), ('to_uscc', 1, NULL, '91350100M000100Y43'),
    ('uscc_from_parts', 1, NULL, '91350100M000100Y4'), ('cnid_from_parts', 1, NULL, '110105'),
    ('iscore_item_accum', 2, NULL, 'basic'), ('iscore_agg', 1, NULL, 'basic'),
    ('assessor_score', 2, NULL, 'self'), ('assessor_weight', 2, NULL, 'self'),
    ('assess_accum', 2, NULL, 'self'), ('assess', 1, NULL, 'self'),
    ('total', 2, 'pg_catalog.text', '12'), ('grade', 1, 'pg_catalog.text', '85'),
    ('blacklist_probe', 2, NULL, (SELECT v FROM cn)), ('cnid_matches', 2, NULL, '110105********002X'),
    ('listed_declare', 2, NULL, 'subject')),
args AS (
    SELECT m.oid, i, t.oid AS typ, format('%I.%I', tn.nspname, t.typname) AS qtyp,
           coalesce((SELECT o.lit FROM over o WHERE o.fn = m.proname AND o.pos = i
                                AND (o.typ IS NULL OR o.typ = format('%I.%I', tn.nspname, t.typname))),
                    CASE WHEN t.oid = 'regclass'::regtype THEN
                         CASE WHEN m.proname LIKE 'blacklist\_%' THEN 'planted_lists.l_cnid_bl'
                              ELSE 'planted_lists.l_' || coalesce((SELECT typname FROM pg_type WHERE oid = m.proargtypes[0]
                                                                   AND m.proargtypes[0] <> 'regclass'::regtype), 'cnid') END
                         WHEN t.oid = 'cstring'::regtype THEN
                         (SELECT v.lit FROM vals v, pg_proc p, pg_type r
                           WHERE p.oid = m.oid AND r.oid = p.prorettype AND v.typ IN (r.typname, 'pg_catalog.' || r.typname))
                         ELSE (SELECT v.lit FROM vals v WHERE v.typ IN (t.typname, 'pg_catalog.' || t.typname)) END) AS lit,
           EXISTS (SELECT FROM vals v WHERE v.typ IN (t.typname, 'pg_catalog.' || t.typname)) OR t.oid IN ('regclass'::regtype, 'cstring'::regtype)
             OR EXISTS (SELECT FROM over o WHERE o.fn = m.proname AND o.pos = i
                         AND (o.typ IS NULL OR o.typ = format('%I.%I', tn.nspname, t.typname))) AS known,
           t.oid = 'pg_catalog.anyelement'::regtype AS poly
      FROM m, generate_series(1, m.pronargs - m.pronargdefaults) i
      JOIN LATERAL (SELECT m.proargtypes[i - 1] AS a) x ON true
      JOIN pg_type t ON t.oid = x.a JOIN pg_namespace tn ON tn.oid = t.typnamespace)
SELECT CASE
         WHEN EXISTS (SELECT FROM args a WHERE a.oid = m.oid AND a.typ = 'internal'::regtype)
           THEN format('-- not callable from SQL (internal argument): %s', m.oid::regprocedure)
         WHEN (SELECT p.prorettype FROM pg_proc p WHERE p.oid = m.oid) = 'trigger'::regtype
           THEN format('-- not callable from SQL (a trigger function): %s', m.oid::regprocedure)
         WHEN EXISTS (SELECT FROM args a WHERE a.oid = m.oid AND NOT a.known)
           THEN format('-- NO CALL: %s', m.oid::regprocedure)
         ELSE format(E'\\echo planted-call %s\nSELECT %I.%I(%s)%s;', m.oid::regprocedure, n.nspname, m.proname,
                     coalesce((SELECT string_agg(CASE WHEN a.lit IS NULL THEN format('NULL::%s', a.qtyp)
                                                      WHEN a.poly THEN format('%L::public.cnid', a.lit)
                                                      ELSE format('%L::%s', a.lit, a.qtyp) END, ', ' ORDER BY a.i)
                                 FROM args a WHERE a.oid = m.oid), ''),
                     CASE WHEN m.prokind = 'a' THEN ' FROM pg_catalog.generate_series(1, 3)' ELSE '' END)
       END
  FROM m JOIN pg_namespace n ON n.oid = m.pronamespace
 WHERE m.prokind IN ('f', 'a')
UNION ALL
-- and every view of the extension, read
SELECT format(E'\\echo planted-view %s\nSELECT * FROM %s;', c.oid::regclass, c.oid::regclass)
  FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
   AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
 WHERE c.relkind = 'v'
 ORDER BY 1;
