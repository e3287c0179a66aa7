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
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS ${db}_restored" \
        -c "DROP ROLE IF EXISTS integrity_owner" -c "DROP ROLE IF EXISTS integrity_other" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
cleanup; mkdir -p "$work"
n=0 bad=0
check() {   # check DESCRIPTION COMMAND...
    local what=$1; shift
    n=$((n + 1))
    if "$@" >"$work/check.out" 2>&1; then
        echo "ok $n - $what"
    else
        echo "not ok $n - $what"; sed 's/^/#   /' "$work/check.out" | head -30
        bad=$((bad + 1))
    fi
}
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

check "the control file says trusted" \
    test "$(psql -X -At -d $db -c "SELECT bool_and(trusted) FROM pg_available_extension_versions WHERE name = 'integrity'")" = t
check "a role without CREATE on the database cannot install it (42501)" \
    fails 42501 integrity_other "CREATE EXTENSION integrity"
check "the database owner (not a superuser) installs 1.0" \
    as integrity_owner -c "CREATE EXTENSION integrity VERSION '1.0'"
check "... and updates it to the current version" \
    as integrity_owner -c "ALTER EXTENSION integrity UPDATE"
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

echo "1..$n"
[ "$bad" -eq 0 ]
