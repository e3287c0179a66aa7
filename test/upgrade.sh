#!/usr/bin/env bash
# test/upgrade.sh — ALTER EXTENSION integrity UPDATE reaches exactly what a
# fresh install of the current version creates.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser):
#   integrity_up:    CREATE EXTENSION integrity VERSION '1.0', user objects
#                    of every type (test/upgrade/fill.sql), their values as
#                    text (test/upgrade/data.sql), ALTER EXTENSION UPDATE
#                    (1.0 -> 1.1 -> current), the values again: unchanged;
#   integrity_up11:  the same from the released 1.1;
#   integrity_fresh: CREATE EXTENSION integrity, the same user objects.
# Then the catalogues (both updated databases against the fresh one): pg_dump --schema-only --binary-upgrade writes every
# member object of an extension with its full definition (functions with
# volatility, strictness and parallel labels, types, operators, operator
# classes and families, casts, aggregates, access methods, comments, ACLs);
# less the lines that pin OIDs, the two dumps must be identical.
# Last, the updated database goes through pg_dump and pg_restore (what an
# operator does to move it): the restore succeeds without an error (tables
# with CHECKs, domains, indexes, views over the aggregates, whose support
# functions live in integrity_internal) and reads the same values.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-upgrade.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS integrity_up" -c "DROP DATABASE IF EXISTS integrity_up11" -c "DROP DATABASE IF EXISTS integrity_fresh" -c "DROP DATABASE IF EXISTS integrity_restored" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" integrity.control)
for db in integrity_up integrity_up11 integrity_fresh integrity_restored; do
    q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
done

# update_from VERSION DATABASE: install VERSION, fill it, update, same values
update_from() {
    local v=$1 db=$2
    check "install $v and fill it" \
        q -d $db -c "CREATE EXTENSION integrity VERSION '$v'" -f test/upgrade/fill.sql
    check "values read under $v" \
        bash -c "psql -X -q -v ON_ERROR_STOP=1 -d $db -f test/upgrade/data.sql >$work/before-$v.txt"
    check "ALTER EXTENSION integrity UPDATE from $v to $default" \
        q -d $db -c "ALTER EXTENSION integrity UPDATE"
    check "version after the update from $v is $default" \
        test "$(psql -X -qAt -d $db -c "SELECT extversion FROM pg_extension WHERE extname = 'integrity'")" = "$default"
    check "values and views unchanged by the update from $v" \
        bash -c "psql -X -q -v ON_ERROR_STOP=1 -d $db -f test/upgrade/data.sql >$work/after-$v.txt && diff -u $work/before-$v.txt $work/after-$v.txt"
}
update_from 1.0 integrity_up
update_from 1.1 integrity_up11
cp "$work/before-1.0.txt" "$work/before.txt"
check "1.0 and 1.1 held the same values" diff -u "$work/before-1.0.txt" "$work/before-1.1.txt"
check "fresh install of $default and the same user objects" \
    q -d integrity_fresh -c "CREATE EXTENSION integrity" -f test/upgrade/fill.sql
check "fresh install holds the same values" \
    bash -c "psql -X -q -v ON_ERROR_STOP=1 -d integrity_fresh -f test/upgrade/data.sql >$work/fresh.txt && diff -u $work/before.txt $work/fresh.txt"

dump() {   # the catalogue of one database, OID-pinning lines left out
    set -o pipefail
    pg_dump --schema-only --binary-upgrade --no-owner -d "$1" |
        grep -Ev 'binary_upgrade_set_|^-- (Dumped|Name:|TOC entry)|^\\(un)?restrict |relfrozenxid|^WHERE oid = '"'"'[0-9]+'"'"';' |
        grep -v '^$' |
        # the OIDs of the extension's configuration tables (list_declarations)
        sed -E "s/(binary_upgrade_create_empty_extension\(.*), '\{[0-9,]+\}', /\1, '{config table OIDs}', /"
}
check "pg_dump of the updated database" bash -c "$(declare -f dump); dump integrity_up >$work/up.sql"
check "pg_dump of the database updated from 1.1" bash -c "$(declare -f dump); dump integrity_up11 >$work/up11.sql"
check "pg_dump of the fresh database" bash -c "$(declare -f dump); dump integrity_fresh >$work/fresh.sql"
check "catalogue updated from 1.0 = fresh catalogue ($(grep -c 'ALTER EXTENSION integrity ADD' "$work/fresh.sql") member objects)" \
    diff -u "$work/fresh.sql" "$work/up.sql"
check "catalogue updated from 1.1 = fresh catalogue" \
    diff -u "$work/fresh.sql" "$work/up11.sql"
check "the catalogue lists the extension's members" \
    test "$(grep -c 'ALTER EXTENSION integrity ADD' "$work/fresh.sql")" -gt 100

check "a list's declaration in the updated database (listed_declare, 1.2)" \
    q -d integrity_up -c "SELECT listed_declare('up_bans', (SELECT subject_column FROM listed_shape('up_bans')))"
check "pg_dump | pg_restore of the updated database, without an error" \
    bash -c "pg_dump -Fc -d integrity_up -f $work/up.dump && pg_restore --exit-on-error -d integrity_restored $work/up.dump"
check "the restored database holds the same values" \
    bash -c "psql -X -q -v ON_ERROR_STOP=1 -d integrity_restored -f test/upgrade/data.sql >$work/restored.txt && diff -u $work/before.txt $work/restored.txt"
check "the restored database keeps the declaration (list_declarations is dumped)" \
    test "$(psql -X -qAt -d integrity_restored -c "SELECT list::text || ' ' || subject_column FROM list_declarations")" = \
         "$(psql -X -qAt -d integrity_up -c "SELECT list::text || ' ' || subject_column FROM list_declarations")"

echo "1..$n"
[ "$bad" -eq 0 ]
