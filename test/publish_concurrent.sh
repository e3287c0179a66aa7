#!/usr/bin/env bash
# test/publish_concurrent.sh — two regulator.publish calls at the same time
# (demo/schema.sql, the reference model).
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser), in a database
# of its own: session A publishes a list and keeps its transaction open for
# a few seconds while session B publishes another list, or the same list
# with an earlier date.  Publications are loaded one at a time: B waits for
# A, then sees what A published — new entries of the two lists by name get
# distinct ids (name_entry's key is (id, recorded_from), so nothing else
# would stop two lists sharing an id), and a publication dated before one
# committed meanwhile is refused (22023) instead of writing versions out of
# date order.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-publish-conc.XXXXXX)
db=integrity_publish_conc
cleanup() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
. tools/tap.sh

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
     -c "CREATE DATABASE $db" >/dev/null
q -d "$db" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION integrity;
CREATE EXTENSION btree_gist;
\i demo/schema.sql
-- one new entry for each list published by name
CREATE TABLE pub_ban (id bigint, name text, masked text, institution_id integer, decision text, reason text, valid daterange);
INSERT INTO pub_ban VALUES (NULL, '李强', NULL, 7, '浙金罚决字〔2024〕1号', '禁止从业', '[2024-05-01,)');
CREATE TABLE pub_debtor (LIKE pub_ban);
INSERT INTO pub_debtor VALUES (NULL, '张伟', '1101051949****002X', NULL, '(2024)京0105执1号', '失信被执行人', '[2024-05-01,)');
SQL

# A publishes ban_names on 2024-06-01 and commits 3 s later; B starts 1 s in
conc() {   # conc LIST-A DATE-A TABLE-A LIST-B DATE-B TABLE-B: B's output in $work/b.out
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$work/a.out" 2>&1 <<SQL &
BEGIN;
CALL regulator.publish('$1', '$2', '$3');
SELECT pg_sleep(3);
COMMIT;
SQL
    local a=$!
    sleep 1
    psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=terse -d "$db" \
         -c "CALL regulator.publish('$4', '$5', '$6')" >"$work/b.out" 2>&1
    wait $a
}

conc ban_names 2024-06-01 pub_ban debtor_names 2024-07-01 pub_debtor
check "two lists published by name at once: the new entries get distinct ids" \
    equals "$(val -d "$db" -c "SELECT count(DISTINCT id) || ' ' || count(*) FROM regulator.name_entry")" "2 2"
check "the second publication waited and succeeded" equals "$(cat "$work/b.out")" ""

conc debtor_names 2024-09-01 pub_debtor debtor_names 2024-08-01 pub_debtor
check "a publication dated before one committed meanwhile is refused" \
    grep -q 'ERROR:  list debtor_names already has a publication on or after 2024-08-01' "$work/b.out"
check "and wrote nothing: the list's versions are in date order" \
    equals "$(val -d "$db" -c "SELECT string_agg(published::text, ' ' ORDER BY published) FROM regulator.list_publication WHERE list = 'debtor_names'")" \
           "2024-07-01 2024-09-01"

echo "1..$n"
[ "$bad" -eq 0 ]
