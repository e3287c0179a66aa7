#!/usr/bin/env bash
# tools/test.sh — `make test`: every test of the project from a fresh machine.
#
# Installs what is missing, builds and installs the extension, starts a
# throwaway cluster, runs pg_regress (sql/, expected/), the isolation tests
# (specs/), pgTAP (test/*.sql through pg_prove), the script tests (test/*.sh,
# TAP lines; among them the upgrade test) and the client tests
# (test/clients/*.sh); last, pg_regress once more with the server's clock
# moved FUTURE_DAYS (400) days ahead by libfaketime, so that no expected
# output depends on the day the tests run.  Every suite runs whatever the
# ones before it gave; the closing line "N passed, N failed" counts every
# test of every suite.  Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh

# Said before anything is installed: what beyond the server and pgTAP, and why.
log "make test needs, beyond PostgreSQL 15 and pgTAP: default-jdk-headless and libpostgresql-jdbc-java (the JDBC client test, test/clients/jdbc.sh), faketime (pg_regress again with the server's clock moved ahead), chromium, chromium-driver, python3-selenium and fonts-noto-cjk (report.html in a real browser, test/report_browser.sh), python3-xlsxwriter and python3-openpyxl (the exports, test/report_export.sh); missing Debian packages are installed now (as root)"
ensure_packages default-jdk-headless libpostgresql-jdbc-java faketime \
    chromium chromium-driver python3-selenium fonts-noto-cjk \
    python3-xlsxwriter python3-openpyxl
build_install
start_cluster

passed=0 failed=0
logdir=$(mktemp -d /tmp/integrity-test.XXXXXX)

count_regress() {   # pg_regress and pg_isolation_regress print "name ... ok" / "... FAILED"
    local out=$1 rc=$2 ok bad
    ok=$(grep -Ec '\.\.\. ok' "$out")
    bad=$(grep -Ec '\.\.\. FAILED' "$out")
    passed=$((passed + ok)); failed=$((failed + bad))
    # a run that failed without naming a failed test (a crash, a setup error)
    [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && failed=$((failed + 1))
    return 0
}

# run_regress LABEL MAKE-ARGS...: one PGXS installcheck (pg_regress alone, or
# the isolation tests alone: PGXS stops at the first failing one otherwise)
run_regress() {
    local label=$1 rc; shift
    log "$label"
    rm -f regression.diffs output_iso/regression.diffs
    make -s installcheck "$@" >"$logdir/regress.out" 2>&1
    rc=$?
    cat "$logdir/regress.out"
    count_regress "$logdir/regress.out" $rc
    if [ $rc -ne 0 ]; then
        [ -f regression.diffs ] && head -200 regression.diffs
        [ -f output_iso/regression.diffs ] && head -200 output_iso/regression.diffs
    fi
    return 0
}

run_regress "pg_regress" ISOLATION=
run_regress "isolation" REGRESS=

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

# The same pg_regress suite with the server's clock FUTURE_DAYS ahead.
FUTURE_DAYS=${FUTURE_DAYS:-400}
stop_cluster
FAKETIME="+${FUTURE_DAYS}d" start_cluster_faketime
if [ "$(psql -X -At -d postgres -c "SELECT current_date - '$(date -u +%F)'::date >= $FUTURE_DAYS - 1")" = t ]; then
    run_regress "pg_regress, the server's clock $FUTURE_DAYS days ahead ($(psql -X -At -d postgres -c 'SELECT current_date'))" ISOLATION=
else
    log "the server's clock did not move ahead under libfaketime"; failed=$((failed + 1))
fi
stop_cluster
rm -rf "$logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
