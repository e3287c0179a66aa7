#!/usr/bin/env bash
# test/report_browser.sh — make demo's report.html in a real browser.
#
# On the server that PGHOST/PGPORT/PGUSER name: runs demo/report.sh (the
# district data in a database of its own, the text report, report.html),
# then test/report_browser.py opens report.html in Debian's headless
# Chromium through Selenium and checks the charts' series and the tables'
# cells against the same SQL, no console error, no network, readability at
# 1366x768, and saves a screenshot next to pg_regress's output
# (results/report/report_1366x768.png, with the page itself).  TAP lines.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_report_html
out=results/report
mkdir -p "$out"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
if ! DEMO_DB=$db REPORT_HTML=$out/report.html bash demo/report.sh >"$out/report.txt" 2>"$out/report.err"; then
    echo "not ok 1 - make demo writes report.html"; sed 's/^/#   /' "$out/report.err" | tail -20
    echo "1..1"; exit 1
fi
if grep -q "$(realpath "$out/report.html")" "$out/report.err"; then
    echo "ok 1 - make demo writes report.html ($(du -k "$out/report.html" | cut -f1) kB) and prints its path"
else
    echo "not ok 1 - make demo writes report.html and prints its path"; sed 's/^/#   /' "$out/report.err"
fi
TAP_START=1 PGDATABASE=$db /usr/bin/python3 test/report_browser.py "$out/report.html" \
    "$(realpath "$out")/report_1366x768.png"
