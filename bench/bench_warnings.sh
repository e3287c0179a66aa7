# bench_warnings.sh — the early-warning rules over the province's flows.
# Sourced by bench/run.sh after bench_report.sh, whose province database
# (demo/load.sh province: ~1M employees, ~1.6M clients, ~15M transfers in
# 2024) it reuses, or loads when run alone (BENCH_ONLY=warnings).
#
#   ours      regulator.early_warnings(2024): all enabled rules of
#             regulator.warning_rule in one query, one pass over transfers
#   baseline  the same four rules written as four plain join queries, each
#             reading the transfers and accounts itself (same rows: checked)
report_db=${WARN_DB:-integrity_report_bench}
if ! psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$report_db'" | grep -q 1; then
    t0=$(date +%s)
    bash demo/load.sh "$report_db" province "${REPORT_FACTOR:-1}"
    bench_note "warnings: province data loaded in $(( $(date +%s) - t0 )) s"
fi
saved_db=$BENCH_DB
BENCH_DB=$report_db
bench_note "warnings: $(psql -X -At -d "$BENCH_DB" -c "SELECT format('%s transfers (%s in 2024 with an employee on a side), %s accounts, %s loans, %s employees',
    (SELECT count(*) FROM regulator.transfer),
    (SELECT count(*) FROM regulator.transfer t JOIN regulator.account a ON a.id IN (t.from_account, t.to_account) WHERE a.owner_kind = 'employee'),
    (SELECT count(*) FROM regulator.account), (SELECT count(*) FROM regulator.loan), (SELECT count(*) FROM regulator.employee))")"

ours_sql="SELECT rule, employee_id FROM regulator.early_warnings('[2024-01-01,2025-01-01)')"
plain_sql="
WITH lo AS (SELECT timestamptz '2024-01-01 00:00+08' AS lo, timestamptz '2025-01-01 00:00+08' AS hi)
SELECT 'EW1' AS rule, officer_id AS employee_id FROM (
    SELECT l.officer_id, t.at, l.granted, l.due
    FROM regulator.transfer t
    JOIN regulator.account fa ON fa.id = t.from_account AND fa.owner_kind = 'employee'
    JOIN regulator.account ta ON ta.id = t.to_account AND ta.owner_kind = 'client'
    JOIN regulator.loan l ON l.officer_id = fa.employee_id AND l.client_id = ta.client_id
    CROSS JOIN lo WHERE t.at >= lo.lo AND t.at < lo.hi AND t.amount >= 1000
    UNION ALL
    SELECT l.officer_id, t.at, l.granted, l.due
    FROM regulator.transfer t
    JOIN regulator.account fa ON fa.id = t.from_account AND fa.owner_kind = 'client'
    JOIN regulator.account ta ON ta.id = t.to_account AND ta.owner_kind = 'employee'
    JOIN regulator.loan l ON l.officer_id = ta.employee_id AND l.client_id = fa.client_id
    CROSS JOIN lo WHERE t.at >= lo.lo AND t.at < lo.hi AND t.amount >= 1000) x
WHERE (at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN granted - 90 AND due + 90
GROUP BY officer_id
UNION ALL
SELECT 'EW2', employee_id FROM (
    SELECT ta.employee_id, t.at,
           sum(t.amount) OVER (PARTITION BY ta.employee_id ORDER BY t.at RANGE BETWEEN interval '90 days' PRECEDING AND CURRENT ROW) AS total
    FROM regulator.transfer t
    JOIN regulator.account fa ON fa.id = t.from_account AND fa.owner_kind = 'client'
    JOIN regulator.account ta ON ta.id = t.to_account AND ta.owner_kind = 'employee'
    WHERE t.at >= timestamptz '2024-01-01 00:00+08' - interval '90 days' AND t.at < timestamptz '2025-01-01 00:00+08') x
WHERE at >= timestamptz '2024-01-01 00:00+08' AND total >= 20000 GROUP BY employee_id
UNION ALL
SELECT 'EW3', employee_id FROM (
    SELECT e.employee_id, t.at,
           count(*) OVER (PARTITION BY e.employee_id ORDER BY t.at RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS n
    FROM regulator.transfer t
    JOIN regulator.account e ON e.id IN (t.from_account, t.to_account) AND e.owner_kind = 'employee'
    WHERE t.amount >= 45000 AND t.amount < 50000
      AND t.at >= timestamptz '2024-01-01 00:00+08' - interval '7 days' AND t.at < timestamptz '2025-01-01 00:00+08') x
WHERE at >= timestamptz '2024-01-01 00:00+08' AND n >= 3 GROUP BY employee_id
UNION ALL
SELECT 'EW4', employee_id FROM (
    SELECT ta.employee_id, t.at,
           sum(t.amount) OVER (PARTITION BY ta.employee_id ORDER BY t.at RANGE BETWEEN interval '30 days' PRECEDING AND CURRENT ROW) AS win,
           coalesce(sum(t.amount) OVER (PARTITION BY ta.employee_id ORDER BY t.at RANGE BETWEEN interval '210 days' PRECEDING AND interval '30 days' PRECEDING), 0) * 30 / 180 AS usual
    FROM regulator.transfer t
    JOIN regulator.account ta ON ta.id = t.to_account AND ta.owner_kind = 'employee'
    WHERE t.at >= timestamptz '2024-01-01 00:00+08' - interval '210 days' AND t.at < timestamptz '2025-01-01 00:00+08') x
WHERE at >= timestamptz '2024-01-01 00:00+08' AND win >= 100000 AND win >= 5 * usual GROUP BY employee_id"

same=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM (($ours_sql) EXCEPT ($plain_sql)) a" \
                                   -c "SELECT count(*) FROM (($plain_sql) EXCEPT ($ours_sql)) b" | paste -sd' ')
[ "$same" = "0 0" ] || echo "warnings: early_warnings() and the plain joins disagree ($same)" >&2
bench_note "warnings: $(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) || ' warnings, ' || (SELECT count(*) FROM regulator.planted_warning WHERE expected) || ' planted' FROM ($ours_sql) w")"
ours=$(bench_ms "$ours_sql" 2)
plain=$(bench_ms "$plain_sql" 2)
bench_line warnings_province_vs_plain_joins "$ours" "$plain"

BENCH_DB=$saved_db
psql -X -q -d postgres -c "DROP DATABASE $report_db" >/dev/null
