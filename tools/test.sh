#!/usr/bin/env bash
# tools/test.sh — `make test`: every test of the project from a fresh machine.
#
# Installs what is missing, builds and installs the extension, starts a
# throwaway cluster, runs pg_regress (sql/, expected/), the isolation tests
# (specs/), pgTAP (test/*.sql through pg_prove) and the client tests
# (test/clients/*.sh), the script tests (test/*.sh, TAP lines; among them the upgrade test), stops the cluster and ends with the line
# "N passed, N failed".  Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh

ensure_packages default-jdk-headless libpostgresql-jdbc-java   # the JDBC client test
build_install
start_cluster

passed=0 failed=0
logdir=$(mktemp -d /tmp/integrity-test.XXXXXX)

count_regress() {   # pg_regress prints "name ... ok" / "name ... FAILED" per test
    local out=$1 ok bad
    ok=$(grep -Ec '\.\.\. ok' "$out")
    bad=$(grep -Ec '\.\.\. FAILED' "$out")
    passed=$((passed + ok)); failed=$((failed + bad))
}

log "pg_regress"
make -s installcheck >"$logdir/regress.out" 2>&1
rc=$?
cat "$logdir/regress.out"
count_regress "$logdir/regress.out"
if [ $rc -ne 0 ]; then
    [ -f regression.diffs ] && head -200 regression.diffs
    [ -f output_iso/regression.diffs ] && head -200 output_iso/regression.diffs
    grep -Eq '\.\.\. FAILED' "$logdir/regress.out" || failed=$((failed + 1))
fi

if ls test/*.sql >/dev/null 2>&1; then
    log "pgTAP"
    psql -q -X -d postgres -c 'CREATE DATABASE integrity_tap' >/dev/null
    psql -q -X -d integrity_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION integrity' >/dev/null
    pg_prove --verbose -d integrity_tap test/*.sql >"$logdir/tap.out" 2>&1
    rc=$?
    ok=$(grep -Ec '^\s*ok [0-9]+' "$logdir/tap.out")
    bad=$(grep -Ec '^\s*not ok [0-9]+' "$logdir/tap.out")
    grep -E '^\s*not ok|^#|\.\. |^Files=|^Result|Dubious|Parse errors|Bad plan|ERROR' "$logdir/tap.out" | grep -Ev '^\s*# (Subtest|\{)' | head -100
    passed=$((passed + ok)); failed=$((failed + bad))
    [ $rc -ne 0 ] && [ "$bad" -eq 0 ] && failed=$((failed + 1))
fi

# Script tests (test/*.sh): each prints TAP lines "ok N - ..." / "not ok N - ..."
# and exits non-zero on a failure; test/upgrade.sh is one of them.
for t in test/*.sh; do
    [ -e "$t" ] || continue
    log "script test $t"
    bash "$t" >"$logdir/script.out" 2>&1
    rc=$?
    ok=$(grep -Ec '^ok [0-9]+' "$logdir/script.out")
    bad=$(grep -Ec '^not ok [0-9]+' "$logdir/script.out")
    cat "$logdir/script.out"
    passed=$((passed + ok)); failed=$((failed + bad))
    [ $rc -ne 0 ] && [ "$bad" -eq 0 ] && failed=$((failed + 1))
done

for t in test/clients/*.sh; do
    [ -e "$t" ] || continue
    log "client test $t"
    if bash "$t" >"$logdir/client.out" 2>&1; then
        passed=$((passed + 1)); tail -3 "$logdir/client.out"
    else
        failed=$((failed + 1)); tail -40 "$logdir/client.out"
    fi
done

stop_cluster
rm -rf "$logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
