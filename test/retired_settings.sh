#!/usr/bin/env bash
# test/retired_settings.sh — 1.0's settings integrity.listed_build_threshold
# and integrity.listed_max_memory are retired, not refused.
#
# A 1.0 database may carry them (ALTER DATABASE ... SET, valid in 1.0).  After
# the update, every session that loads the library must start without a
# WARNING, the retired names must be accepted by SET and do nothing, and a
# misspelt integrity.* name must still be refused (the prefix stays reserved).
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser).
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-retired.XXXXXX)
db=integrity_retired
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

# no_stderr SQL: a new session runs SQL and prints nothing on stderr
no_stderr() {
    psql -X -q -v ON_ERROR_STOP=1 -d $db -c "$1" >"$work/out" 2>"$work/err"
    local rc=$?
    cat "$work/err"
    [ $rc -eq 0 ] && [ ! -s "$work/err" ]
}

q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
check "install 1.0" q -d $db -c "CREATE EXTENSION integrity VERSION '1.0'"
# a session that has not loaded the library, as under 1.0 before its first call
check "ALTER DATABASE sets 1.0's settings" \
    q -d $db -c "ALTER DATABASE $db SET integrity.listed_max_memory = '64MB'" \
             -c "ALTER DATABASE $db SET integrity.listed_build_threshold = 100"
check "ALTER EXTENSION integrity UPDATE" q -d $db -c "ALTER EXTENSION integrity UPDATE"
check "a new session loading the library prints no WARNING" \
    no_stderr "SELECT to_cnid('11010519491231002X')"
check "LOAD 'integrity' prints no WARNING" no_stderr "LOAD 'integrity'"
check "the database's values are kept (SHOW)" \
    test "$(qt -d $db -c "LOAD 'integrity'" -c "SHOW integrity.listed_max_memory" 2>&1)" = "64MB"
check "SET of a retired setting with the library loaded: no error, no WARNING" \
    no_stderr "LOAD 'integrity'; SET integrity.listed_max_memory = '1GB'; SET integrity.listed_build_threshold = 0; SELECT is_valid_cnid('x')"
check "ALTER ROLE ... SET of a retired setting with the library loaded" \
    q -d $db -c "LOAD 'integrity'" -c "ALTER ROLE CURRENT_USER IN DATABASE $db SET integrity.listed_build_threshold = 5" \
             -c "ALTER ROLE CURRENT_USER IN DATABASE $db RESET integrity.listed_build_threshold"
check "retired settings are hidden from pg_settings" \
    test "$(qt -d $db -c "LOAD 'integrity'" -c "SELECT count(*) FROM pg_settings WHERE name LIKE 'integrity.listed%'")" = "0"
check "a misspelt integrity.* setting is still refused" \
    bash -c "! psql -X -q -v ON_ERROR_STOP=1 -d $db -c \"LOAD 'integrity'\" -c \"SET integrity.listed_max_memoryy = 1\" 2>$work/typo.err && grep -q 'invalid configuration parameter name' $work/typo.err"

[ $bad -eq 0 ]
