# bench_report.sh — the annual report at province scale.  Sourced by
# bench/run.sh.
#
# Loads the province data (3,000 institutions, ~1M employees, ~10M events,
# ~14M transfers, ~1M blacklist entries; REPORT_FACTOR scales it, default 1)
# into its own database with demo/load.sh, which also computes the report's
# stored figures (demo/stored.sql).  Then:
#   report_province_refresh   every stored figure recomputed from nothing
#                             (CALL regulator.refresh_report() after
#                             forgetting every refresh) against the report
#                             derived from the raw rows (demo/report_derived.sql)
#   report_province_sN        section N (demo/report/N_*.sql, reading the
#                             stored figures) against the same section derived
#                             from the raw rows (report_derived.*)
#   report_province_total     all sections: the report alone
#   report_province_refresh_and_total   the refresh plus the report, against
#                             the derived report (what a year end costs when
#                             the report is read once)
# and the two heaviest derivations against plain-SQL versions of the same
# queries (same rows, no extension objects):
#   3  the top-risk portraits: portrait() per employee vs sums with FILTER
#   4  the blacklist hits: listed() vs EXISTS on the blacklist
REPORT_FACTOR=${REPORT_FACTOR:-1}
report_db=integrity_report_bench
t0=$(date +%s)
bash demo/load.sh "$report_db" province "$REPORT_FACTOR"
bench_note "report: province data (factor $REPORT_FACTOR) loaded in $(( $(date +%s) - t0 )) s, stored figures included"

saved_db=$BENCH_DB
BENCH_DB=$report_db
bench_sql "SET client_min_messages = warning; DROP SCHEMA IF EXISTS report_derived CASCADE"
psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -f demo/report_derived.sql >/dev/null

# the refresh, from nothing (every stored figure missing)
bench_sql "DELETE FROM regulator.stored_refresh"
refresh_ms=$(bench_ms "CALL regulator.refresh_report()" 1)
bench_note "report: refresh $(psql -X -At -d "$BENCH_DB" -c "SELECT string_agg(format('%s %s %s s (%s rows)', figures, year, seconds, rows), ', ' ORDER BY figures, year) FROM regulator.stored_refresh")"

# each section both ways, ours and the derivation alternating
total=0 derived_total=0
for f in $(ls demo/report/*.sql | sort -V); do
    sec=$(basename "$f" .sql); num=${sec%%_*}
    derived=$(sed -e '/^--/d' -e 's/\breport\./report_derived./g' "$f")
    view=$(grep -o 'report_derived\.[a-z_]*' <<<"$derived" | head -1)
    if [ -n "$view" ] && [ "$(psql -X -At -d "$BENCH_DB" -c "SELECT to_regclass('$view') IS NOT NULL")" = t ]; then
        read -r ours base < <(bench_pair_n "$(cat "$f")" "$derived" 2)
    else
        # a section with no derived twin (added after the stored figures) costs the same both ways
        ours=$(bench_ms "$(cat "$f")" 2); base=$ours
    fi
    bench_line "report_province_s$num" "$ours" "$base"
    total=$(awk -v a="$total" -v b="$ours" 'BEGIN { printf "%.1f", a + b }')
    derived_total=$(awk -v a="$derived_total" -v b="$base" 'BEGIN { printf "%.1f", a + b }')
done
bench_line report_province_total "$total" "$derived_total"
bench_line report_province_refresh_and_total "$(awk -v a="$total" -v b="$refresh_ms" 'BEGIN { printf "%.1f", a + b }')" "$derived_total"
bench_line report_province_refresh "$refresh_ms" "$derived_total"

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

ours=$(bench_ms "SELECT * FROM report_derived.top_risk_portraits ORDER BY rank" 2)
base=$(bench_ms "$plain_portraits" 2)
bench_line report_portraits_vs_plain_sql "$ours" "$base"

# 4. plain SQL: EXISTS against the blacklist instead of listed(), in the
# definition of the view the section reads
view4=$(psql -X -At -d "$BENCH_DB" -c "SELECT pg_get_viewdef('report.blacklist_hits')")
plain_hits=$(sed -E "s/listed\(([a-z_0-9.]+), 'regulator\.blacklist'::regclass, ([a-z_0-9.]+)\)/EXISTS (SELECT FROM regulator.blacklist bl WHERE bl.subject = \1 AND bl.valid @> \2)/g" <<<"${view4%;}")
if grep -q 'listed(' <<<"$plain_hits" || ! grep -q 'EXISTS (SELECT FROM regulator.blacklist bl' <<<"$plain_hits"; then
    echo "bench_report: could not build the plain version of section 4" >&2
else
    read -r ours base < <(bench_pair_n "SELECT * FROM report.blacklist_hits" "$plain_hits" 2)
    bench_line report_blacklist_hits_vs_exists "$ours" "$base"
fi

BENCH_DB=$saved_db
# the province database stays for bench/bench_warnings.sh, which drops it
if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" warnings "* ]]; then
    psql -X -q -d postgres -c "DROP DATABASE $report_db" >/dev/null
fi
