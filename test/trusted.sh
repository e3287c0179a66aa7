#!/usr/bin/env bash
# test/trusted.sh — the extension is trusted (integrity.control): a database
# owner who is not a superuser installs it, updates it from 1.0 and uses it,
# and gains nothing by it (README, "Trusted: what a database owner can do").
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser): a role
# integrity_owner (LOGIN, not superuser) owning database integrity_trusted;
# a role integrity_other without CREATE on it.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_trusted
work=$(mktemp -d /tmp/integrity-trusted.XXXXXX)
cleanup() {
    [ -n "${KEEP:-}" ] && return    # KEEP=1 leaves the databases and roles for inspection
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS ${db}_restored" \
        -c "DROP ROLE IF EXISTS integrity_owner" -c "DROP ROLE IF EXISTS integrity_other" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
cleanup; mkdir -p "$work"
. tools/tap.sh
fails() {   # fails SQLSTATE ROLE SQL: the statement, run as ROLE, raises SQLSTATE
    local state=$1 role=$2 sql=$3 out
    out=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d $db \
          -c "SET ROLE $role" -c "\\set VERBOSITY verbose" -c "$sql" 2>&1)
    echo "$out"
    grep -q "ERROR:  $state:" <<<"$out"
}
as() { local role=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d $db -c "SET ROLE $role" "$@"; }

psql -X -q -d postgres -c "CREATE ROLE integrity_owner LOGIN" -c "CREATE ROLE integrity_other LOGIN" \
    -c "CREATE DATABASE $db OWNER integrity_owner" -c "CREATE DATABASE ${db}_restored OWNER integrity_owner" >/dev/null
psql -X -q -d $db -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" -c "GRANT CREATE ON SCHEMA public TO integrity_owner" >/dev/null

check "the control files say: the current version trusted, the released 1.0 and 1.1 not" \
    test "$(psql -X -At -d $db -c "SELECT string_agg(version || '=' || trusted, ' ' ORDER BY version) FROM pg_available_extension_versions WHERE name = 'integrity'")" = "1.0=false 1.1=false $(sed -n "s/^default_version = '\(.*\)'/\1/p" integrity.control)=true"
check "a role without CREATE on the database cannot install it (42501)" \
    fails 42501 integrity_other "CREATE EXTENSION integrity"
check "1.0 is not trusted (upgrade/integrity--1.0.control): the owner cannot install it (42501)" \
    fails 42501 integrity_owner "CREATE EXTENSION integrity VERSION '1.0'"
check "the database owner (not a superuser) installs the current version" \
    as integrity_owner -c "CREATE EXTENSION integrity"
check "the extension belongs to the owner, its objects to the bootstrap superuser" \
    test "$(psql -X -At -d $db -c "
        SELECT (SELECT extowner::regrole::text FROM pg_extension WHERE extname = 'integrity')
               || ' ' || (SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
                           WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
                             AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
                             AND p.proowner <> 10)")" = "integrity_owner 0"
check "the owner uses it: tables, indexes, aggregates, listed()" \
    as integrity_owner -c "
        CREATE TABLE t (id int, s iscore, who cnid, rules scheme DEFAULT scheme());
        INSERT INTO t SELECT g, iscore(g, 1), cnid_from_parts(110105, date '1980-01-01' + g, g) FROM generate_series(1, 50) g;
        CREATE INDEX ON t (s); CREATE INDEX ON t USING gist (who);
        CREATE TABLE bans (who cnid PRIMARY KEY); INSERT INTO bans SELECT who FROM t WHERE id % 10 = 0;
        SELECT sum(s), max(s), (integrity_index(s, scheme())).value, count(*) FILTER (WHERE listed(who, 'bans')) FROM t;"
check "the owner cannot replace one of its functions (42501: not the owner)" \
    fails 42501 integrity_owner "CREATE OR REPLACE FUNCTION base(iscore) RETURNS numeric LANGUAGE sql AS 'SELECT 0'"
check "... nor change one (42501)" \
    fails 42501 integrity_owner "ALTER FUNCTION integrity_internal.scheme_check(scheme_fields) SECURITY DEFINER"
check "... nor put its own function into the internal schema (42501)" \
    fails 42501 integrity_owner "CREATE FUNCTION integrity_internal.x() RETURNS int LANGUAGE sql AS 'SELECT 1'"
check "listed() reads a list as the caller: another role without SELECT is refused (42501)" \
    fails 42501 integrity_other "SELECT listed(cnid_from_parts(110105, date '1980-01-02', 1), 'bans')"
check "the owner dumps and restores the database without a superuser" \
    bash -c "pg_dump -Fc -U integrity_owner -d $db -f $work/db.dump &&
             pg_restore --exit-on-error -U integrity_owner -d ${db}_restored $work/db.dump &&
             test \"\$(psql -X -At -U integrity_owner -d ${db}_restored -c 'SELECT sum(s) FROM t')\" = '1275.00+50.00'"
check "the owner drops the extension" \
    as integrity_owner -c "DROP EXTENSION integrity CASCADE"

# A hostile owner plants, in the schema the extension goes into, operators
# for the cross-type pairs that PostgreSQL resolves only through an implicit
# cast (numeric >= integer, integer * numeric, oid = regclass, ...) and
# functions such as power(numeric, integer): each better matches such an
# unqualified call than the built-in does.  Each trap records who ran it.
# Then the owner installs the extension (the script runs as the bootstrap
# superuser) and a superuser with a safe search_path uses it: no trap may
# run as anyone but the owner, and no member of the extension may depend on
# an object the owner made (an expression bound at install time).  The
# checks themselves run with search_path = pg_catalog: the traps catch any
# query that gives them the chance.
check "the owner plants traps in the target schema" \
    as integrity_owner -c "
        CREATE TABLE public.trap (who name, what text);
        GRANT INSERT ON public.trap TO PUBLIC;
        DO \$\$
        DECLARE o text; l regtype; r regtype; n int := 0;
        BEGIN
            FOREACH o IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '~~', '~'] LOOP
                FOREACH l IN ARRAY ARRAY['numeric', 'integer', 'bigint', 'smallint', 'double precision', 'oid',
                                         'regclass', 'regproc', 'regprocedure', 'text', 'name']::regtype[] LOOP
                    FOREACH r IN ARRAY ARRAY['numeric', 'integer', 'bigint', 'smallint', 'double precision', 'oid',
                                             'regclass', 'regproc', 'regprocedure', 'text', 'name']::regtype[] LOOP
                        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_operator WHERE oprname = o AND oprleft = l AND oprright = r);
                        n := n + 1;
                        EXECUTE format('CREATE FUNCTION public.trap_%s(%s, %s) RETURNS %s LANGUAGE plpgsql AS %L',
                            n, l, r, CASE WHEN o IN ('+', '-', '*', '/', '%') THEN 'numeric' ELSE 'boolean' END,
                            format('BEGIN INSERT INTO public.trap VALUES (current_user, %L); RETURN NULL; END',
                                   format('%s %s %s', l, o, r)));
                        EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.trap_%s)',
                            o, l, r, n);
                    END LOOP;
                END LOOP;
            END LOOP;
            CREATE FUNCTION public.power(numeric, integer) RETURNS numeric LANGUAGE plpgsql
                AS \$f\$BEGIN INSERT INTO public.trap VALUES (current_user, 'power(numeric, integer)'); RETURN 1; END\$f\$;
            CREATE FUNCTION public.format(text, regprocedure) RETURNS text LANGUAGE plpgsql
                AS \$f\$BEGIN INSERT INTO public.trap VALUES (current_user, 'format(text, regprocedure)'); RETURN NULL; END\$f\$;
        END
        \$\$;"
check "the owner installs the extension over the traps" \
    as integrity_owner -c "CREATE EXTENSION integrity"
check "a superuser (search_path pg_catalog) uses it: index, grades, portrait rules, scheme checks" \
    psql -X -q -v ON_ERROR_STOP=1 -d $db -c "SET search_path = pg_catalog" -c "
        SELECT public.index_points('80+5', public.scheme()), public.round_half_even(2.345, 2),
               public.score_stderr(public.assess(w, '80+5', public.scheme()), public.scheme()),
               public.grade('80+5'::public.iscore, public.scheme()), public.total('80+5'::public.iscore, '12'),
               public.make_portrait_rules(), public.scheme(bonus_cap => 5)
          FROM (VALUES ('self'), ('inspection')) v(w) GROUP BY ()"
check "no trap ran as a superuser" \
    bash -c "out=\$(psql -X -q -At -d $db -c 'SET search_path = pg_catalog' -c \"SELECT who || ': ' || what || ' (' || count(*) || ' times)' FROM public.trap WHERE who <> 'integrity_owner' GROUP BY who, what ORDER BY 1\"); echo \"\$out\"; test -z \"\$out\""
check "no member of the extension depends on an object of the owner" \
    bash -c "out=\$(psql -X -q -At -d $db -c 'SET search_path = pg_catalog' -c \"
        SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' || pg_describe_object(d.refclassid, d.refobjid, 0)
          FROM pg_depend d
         WHERE d.refclassid IN ('pg_operator'::regclass, 'pg_proc'::regclass)
           AND (d.refclassid = 'pg_operator'::regclass AND d.refobjid IN (SELECT oid FROM pg_operator WHERE oprowner = 'integrity_owner'::regrole)
             OR d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT oid FROM pg_proc WHERE proowner = 'integrity_owner'::regrole))
           AND d.deptype <> 'i'
           AND NOT (d.classid = 'pg_operator'::regclass AND d.objid IN (SELECT oid FROM pg_operator WHERE oprowner = 'integrity_owner'::regrole))\"); echo \"\$out\"; test -z \"\$out\""

echo "1..$n"
[ "$bad" -eq 0 ]
