-- test/planted/traps.sql — plant the traps of the plan (standard input)
-- in the schema public, as the role running it (the database owner).  Each
-- trap records who ran it in public.planted_trap and returns NULL.  A
-- signature whose types do not exist here (an extension type before the
-- install) or that PostgreSQL refuses is skipped; the count is printed.
\set ON_ERROR_STOP 1
SET search_path = pg_catalog;
CREATE TEMP TABLE plan (kind text, name name, args text, ret text, retset boolean);
\copy plan FROM pstdin
DO $plant$
DECLARE
    r record;
    argl text;
    ok boolean;
    n int := 0;
    made int := 0;
    body text;
BEGIN
    FOR r IN SELECT * FROM plan ORDER BY kind, name, args LOOP
        ok := to_regtype(r.ret) IS NOT NULL
              AND NOT EXISTS (SELECT FROM unnest(string_to_array(r.args, ',')) a
                               WHERE a <> '-' AND to_regtype(a) IS NULL);
        CONTINUE WHEN NOT ok;
        n := n + 1;
        argl := array_to_string(ARRAY(SELECT a FROM unnest(string_to_array(r.args, ',')) a WHERE a <> '-'), ', ');
        body := format('BEGIN INSERT INTO public.planted_trap VALUES (current_user, %L); RETURN%s; END',
                       format('%s %s(%s)', CASE r.kind WHEN 'f' THEN 'function' ELSE 'operator' END, r.name, r.args),
                       CASE WHEN r.retset OR r.ret = 'pg_catalog.void' THEN '' ELSE ' NULL' END);
        BEGIN
            IF r.kind = 'f' THEN
                EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s%s LANGUAGE plpgsql AS %L',
                               r.name, argl, CASE WHEN r.retset THEN 'SETOF ' ELSE '' END, r.ret, body);
            ELSE
                EXECUTE format('CREATE FUNCTION public.planted_op_%s(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                               n, argl, r.ret, body);
                EXECUTE format('CREATE OPERATOR public.%s (%s FUNCTION = public.planted_op_%s)', r.name,
                               CASE WHEN r.args LIKE '-,%'
                                    THEN format('RIGHTARG = %s,', split_part(r.args, ',', 2))
                                    ELSE format('LEFTARG = %s, RIGHTARG = %s,', split_part(r.args, ',', 1),
                                                split_part(r.args, ',', 2)) END, n);
            END IF;
            made := made + 1;
        EXCEPTION WHEN OTHERS THEN
            NULL;                               -- e.g. a signature PostgreSQL refuses
        END;
    END LOOP;
    RAISE NOTICE 'planted % traps', made;
END
$plant$;
