# bench_report.sh — the annual report at province scale.  Sourced by
# bench/run.sh.
#
# Loads the province data (3,000 institutions, ~1M employees, ~10M events,
# ~1M blacklist entries; REPORT_FACTOR scales it, default 1) into its own
# database with demo/load.sh, times every report section (demo/report/*.sql)
# and the whole report, then sets the two heaviest sections against
# plain-SQL versions of the same queries (same rows, no extension objects):
#   3  the top-risk portraits: portrait() per employee vs sums with FILTER
#   4  the blacklist hits: listed() vs EXISTS on the blacklist
REPORT_FACTOR=${REPORT_FACTOR:-1}
report_db=integrity_report_bench
t0=$(date +%s)
bash demo/load.sh "$report_db" province "$REPORT_FACTOR"
bench_note "report: province data (factor $REPORT_FACTOR) loaded in $(( $(date +%s) - t0 )) s"

saved_db=$BENCH_DB
BENCH_DB=$report_db
total=0
declare -A section_ms
for f in demo/report/*.sql; do
    ms=$(bench_ms "$(cat "$f")" 1)
    section_ms[$(basename "$f" .sql)]=$ms
    total=$(awk -v a="$total" -v b="$ms" 'BEGIN { printf "%.1f", a + b }')
    bench_note "report section $(basename "$f" .sql): $ms ms"
done
bench_note "report: all sections at province scale in $total ms"

# 3. plain SQL: the portrait's figures as sums with FILTER, the risk rules as
# CASE (the defaults of make_portrait_rules), the radar for the five rows only
plain_portraits="
WITH p AS (
    SELECT ev.employee_id,
           sum(ev.points) AS total,
           coalesce(sum(ev.points) FILTER (WHERE ev.points < 0), 0) AS negative,
           count(*) AS events,
           count(*) FILTER (WHERE ev.module = '红线') AS redlines,
           count(*) FILTER (WHERE ev.points < 0) AS violations,
           max(ev.at) AS last_at,
           coalesce(sum(ev.points) FILTER (WHERE ev.at >= timestamptz '2024-07-01 00:00+00'), 0)
         - coalesce(sum(ev.points) FILTER (WHERE ev.at >= timestamptz '2024-01-01 00:00+00'
                                          AND ev.at < timestamptz '2024-07-01 00:00+00'), 0) AS change
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
graded AS (
    SELECT p.*, CASE WHEN redlines >= 1 OR total < -20 THEN 'alert'
                     WHEN total < 0 OR -negative >= 10 OR change <= -10 THEN 'watch'
                     WHEN total >= 20 AND redlines = 0 AND negative = 0 THEN 'exemplar'
                     ELSE 'normal' END AS risk
    FROM p)
SELECT row_number() OVER (ORDER BY CASE g.risk WHEN 'alert' THEN 0 WHEN 'watch' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                                   g.redlines DESC, g.total, e.id) AS rank,
       left(e.cnid::text, 6) || '********' || right(e.cnid::text, 4) AS person, i.name, e.position, g.risk,
       g.total, g.negative, g.events, g.violations, g.change, g.last_at,
       (SELECT jsonb_object_agg(m.name, coalesce((SELECT sum(points) FROM regulator.event v
                                                  WHERE v.employee_id = g.employee_id AND v.module = m.name), 0))
        FROM regulator.module m) AS radar
FROM graded g JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
ORDER BY rank LIMIT 5"

ours=$(bench_ms "$(cat demo/report/3_top_risk_portraits.sql)" 2)
base=$(bench_ms "$plain_portraits" 2)
bench_line report_portraits_vs_plain_sql "$ours" "$base"

# 4. plain SQL: EXISTS against the blacklist instead of listed()
plain_hits=$(sed -e "s|listed(e.cnid, 'regulator.blacklist', e.hired)|EXISTS (SELECT FROM regulator.blacklist b WHERE b.subject = e.cnid AND b.valid @> e.hired)|" \
                 -e "s|listed(e.cnid, 'regulator.blacklist', date '2024-12-31')|EXISTS (SELECT FROM regulator.blacklist b WHERE b.subject = e.cnid AND b.valid @> date '2024-12-31')|" \
                 -e '/^--/d' demo/report/4_blacklist_hits.sql)
grep -q 'listed(e' <<<"$plain_hits" && { echo "bench_report: could not build the plain version of section 4" >&2; return 1; }
ours=$(bench_ms "$(cat demo/report/4_blacklist_hits.sql)" 2)
base=$(bench_ms "$plain_hits" 2)
bench_line report_blacklist_hits_vs_exists "$ours" "$base"

BENCH_DB=$saved_db
# the province database stays for bench/bench_warnings.sh, which drops it
if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" warnings "* ]]; then
    psql -X -q -d postgres -c "DROP DATABASE $report_db" >/dev/null
fi
