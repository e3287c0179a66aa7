#!/usr/bin/env bash
# test/report_stored.sh — the report's stored figures (demo/stored.sql).
#
# On the server that PGHOST/PGPORT/PGUSER name: loads the district data
# (demo/load.sh, which computes the stored figures) and demo/report_derived.sql
# (every section derived from the raw rows, as the report did before), then
#   - every section of the report (schema report, reading the stored tables)
#     prints exactly the rows, in the order, of its derivation from the raw
#     rows (schema report_derived);
#   - a change to a source makes the figures derived from it stale, and a
#     report view reading them raises 55000 naming the change, while the
#     sections whose figures are untouched still read;
#   - regulator.refresh_report() recomputes only what is stale or missing
#     (the other figures keep their refresh time), after which the sections
#     read again and again equal the derivation, the change included;
#   - each refresh procedure recomputes only its own year or period, and
#     holds its sources against writes until its transaction ends;
#   - figures never computed are refused too.
# Prints TAP lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_report_stored
work=$(mktemp -d /tmp/integrity-report-stored.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

check "the district data loads with its stored figures (demo/load.sh)" \
    bash -c 'bash demo/load.sh "$0" district 2>&1 && psql -X -q -v ON_ERROR_STOP=1 -d "$0" -f demo/report_derived.sql' "$db"
export PGDATABASE=$db

sections=$(val -c "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'report_derived'::regnamespace
                   AND c.relkind = 'v' ORDER BY c.relname")
# same_sections LABEL: every section prints the same rows in the same order both ways
same_sections() {
    local v rc=0
    for v in $sections; do
        psql -X -At -v ON_ERROR_STOP=1 -c "SELECT * FROM report.$v" >"$work/stored.$v" 2>&1 || { cat "$work/stored.$v"; rc=1; continue; }
        psql -X -At -v ON_ERROR_STOP=1 -c "SELECT * FROM report_derived.$v" >"$work/derived.$v" 2>&1 || { cat "$work/derived.$v"; rc=1; continue; }
        if ! diff -q "$work/stored.$v" "$work/derived.$v" >/dev/null; then
            echo "report.$v differs from its derivation:"; diff "$work/derived.$v" "$work/stored.$v" | head -10; rc=1
        elif [ ! -s "$work/stored.$v" ] && [ "$v" != new_hire_screening ]; then
            echo "report.$v is empty"; rc=1
        fi
    done
    return $rc
}
check "$(wc -w <<<"$sections") sections: each view over the stored figures prints the rows of the derivation, in order" same_sections
check "the report derives sections 1-3, 6 and 8-10 from the stored tables" \
    bash -c '[ "$(psql -X -At -c "SELECT count(DISTINCT v.relname) FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
              JOIN pg_class v ON v.oid = r.ev_class JOIN pg_class t ON t.oid = d.refobjid
              WHERE v.relnamespace = '"'"'report'"'"'::regnamespace AND t.relname LIKE '"'"'stored\_%'"'"'")" = 7 ]'
check "after the load every stored figure is fresh, with its refresh time" \
    bash -c '[ "$(psql -X -At -c "SELECT string_agg(format('"'"'%s %s %s'"'"', figures, year, fresh), '"'"','"'"' ORDER BY figures, year)
              FROM regulator.stored_status WHERE refreshed_at IS NOT NULL")" = "grades 2022 t,grades 2023 t,grades 2024 t,portraits 2024 t,warnings 2024 t" ]'

# stale: a red-line event for the employee with the most points
q -c "INSERT INTO regulator.event (id, employee_id, module, points, at, source)
      SELECT -1, p.employee_id, '红线', -50, timestamptz '2024-12-20 10:00+08', 'discipline_inspection'
      FROM regulator.stored_portrait p ORDER BY p.total DESC, p.employee_id LIMIT 1"
refused() {   # refused VIEW REASON: reading report.VIEW fails with 55000 and names REASON
    local out
    out=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c '\set VERBOSITY verbose' -c "SELECT * FROM report.$1" 2>&1) && {
        echo "report.$1 read stale figures without an error"; return 1; }
    grep -q '55000' <<<"$out" && grep -q "$2" <<<"$out" && grep -q 'refresh_report' <<<"$out" || { echo "$out"; return 1; }
}
check "a new event makes the portraits stale: the top-risk portraits refuse to print, naming the change" \
    refused top_risk_portraits 'INSERT on regulator.event'
check "... and so does the honour list" refused honour_list 'portraits of 2024 are stale'
check "... the sections whose figures are untouched still read (league table, warnings)" \
    q -c "SELECT count(*) FROM report.league_table" -c "SELECT count(*) FROM report.early_warnings"
before=$(val -c "SELECT string_agg(format('%s %s %s', figures, year, refreshed_at), ',' ORDER BY figures, year)
                 FROM regulator.stored_refresh WHERE figures <> 'portraits'")
check "regulator.refresh_report() recomputes the stale portraits" q -c "CALL regulator.refresh_report()"
check "... and nothing else (the grades and warnings keep their refresh time)" \
    equals "$(val -c "SELECT string_agg(format('%s %s %s', figures, year, refreshed_at), ',' ORDER BY figures, year)
                      FROM regulator.stored_refresh WHERE figures <> 'portraits'")" "$before"
check "after the refresh the new red line leads the top-risk portraits" \
    equals "$(val -c "SELECT rank || ' ' || risk FROM report.top_risk_portraits WHERE deductions = -50 AND events > 1")" "1 alert"
check "every section again prints the rows of the derivation, the change included" same_sections

# warnings: a transfer, a rule; grades: a result
q -c "INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
      SELECT -1, a.id, b.id, 1.00, timestamptz '2024-06-01 12:00+08'
      FROM regulator.account a, regulator.account b WHERE a.id < b.id ORDER BY a.id, b.id LIMIT 1"
check "a new transfer makes the warnings stale: section 9 refuses" refused early_warnings 'INSERT on regulator.transfer'
q -c "UPDATE regulator.assessment_result SET points = points WHERE year = 2022 AND institution_id = 1"
check "a changed assessment result makes the grades stale: sections 1, 2, 6, 8, 10 refuse" \
    bash -c 'for v in league_table clean_finance_index outcomes grade_explanation honour_list; do
                 psql -X -q -c "SELECT * FROM report.$v" 2>&1 | grep -q "grades of 20.. are stale" || { echo "report.$v read"; exit 1; }
             done'
check "refresh_report() brings every section back, equal to the derivation" \
    bash -c 'psql -X -q -v ON_ERROR_STOP=1 -c "CALL regulator.refresh_report()" && [ "$(psql -X -At -c "SELECT bool_and(fresh) FROM regulator.stored_status")" = t ]'
check "... row for row" same_sections

# incremental by period
q -c "CALL regulator.refresh_warnings('[2023-01-01,2024-01-01)')"
w2024=$(val -c "SELECT refreshed_at FROM regulator.stored_refresh WHERE figures = 'warnings' AND year = 2024")
check "refresh_warnings(2023's period) stores that period beside 2024's, which it leaves alone" \
    bash -c '[ "$(psql -X -At -c "SELECT count(*) FROM regulator.stored_refresh WHERE figures = '"'"'warnings'"'"'")" = 2 ] &&
             [ "$(psql -X -At -c "SELECT refreshed_at FROM regulator.stored_refresh WHERE figures = '"'"'warnings'"'"' AND year = 2024")" = "$0" ] &&
             [ "$(psql -X -At -c "SELECT count(*) FROM regulator.stored_warning WHERE period = '"'"'[2023-01-01,2024-01-01)'"'"'")" = \
               "$(psql -X -At -c "SELECT count(*) FROM regulator.early_warnings('"'"'[2023-01-01,2024-01-01)'"'"')")" ]' "$w2024"
check "the stored warnings of a period equal regulator.early_warnings(period)" \
    equals "$(val -c "SELECT count(*) FROM ((SELECT rule, employee_id, first_at, last_at, transfers, amount, evidence
                                                FROM regulator.stored_warning WHERE period = '[2024-01-01,2025-01-01)')
                                               EXCEPT ALL
                                               (SELECT * FROM regulator.early_warnings('[2024-01-01,2025-01-01)'))) d")" 0

# no change slips between what a refresh read and its being recorded fresh
check "a refresh holds its sources against writes until its transaction ends" \
    bash -c 'psql -X -q -c "BEGIN" -c "CALL regulator.refresh_grades(2024)" -c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null &
             sleep 1.5
             out=$(psql -X -q -c "SET lock_timeout = 300" -c "UPDATE regulator.assessment_result SET points = points WHERE false" 2>&1)
             wait; echo "$out"; grep -q "lock timeout" <<<"$out"'

# never computed
q -c "DELETE FROM regulator.stored_refresh WHERE figures = 'warnings' AND year = 2024"
check "figures never computed are refused too" refused early_warnings 'warnings of 2024 have not been computed'

echo "1..$n"
[ "$bad" -eq 0 ]
