#!/usr/bin/env bash
# test/report_text.sh — the printed annual report (`make demo`, demo/report.sh).
#
# On the server that PGHOST/PGPORT/PGUSER name: runs demo/report.sh (which
# loads the district data into a database of its own) and checks what a
# reader gets: every section's title and every line of its reader's text are
# printed (none dropped), the texts speak to readers (no planner or function
# internals), and the figures the issue found wrong: the league table's
# per-assessor totals are taken before the veto (as the README says and the
# standard error uses them), section 4 marks which hires are of the report
# year, the honour list's criterion selects exemplars (the top tenth), and
# the hits by name (section 11) are the generator's planted matches.
# Prints TAP lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_report_text
work=$(mktemp -d /tmp/integrity-report-text.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

check "make demo's report runs (demo/report.sh on this server)" \
    env DEMO_DB=$db REPORT_HTML=0 bash -c 'bash demo/report.sh >"$0/report.txt" 2>"$0/report.err" || { cat "$0/report.err"; exit 1; }' "$work"

headers_printed() {
    local f missing=0 line
    for f in demo/report/*.sql; do
        grep -qxF "$(head -1 "$f" | sed 's/^-- *//')" "$work/report.txt" || { echo "title of $f not printed"; missing=1; }
        while IFS= read -r line; do
            grep -qxF "   $line" "$work/report.txt" || { echo "$f: not printed: $line"; missing=1; }
        done < <(sed -n '1d; /^--/!q; s/^-- \{0,1\}//p' "$f")
    done
    return $missing
}
check "every section's title and every line of its text are printed" headers_printed

readers_text() {
    ! sed -n '1d; /^--/!q; p' demo/report/*.sql \
        | grep -inE 'planner|offset 0|materiali[sz]ed|index scan|parallel plan|regulator\.|listed\(\)|jsonb|count\(distinct|make_timestamptz|sql/'
}
check "the sections' texts are for readers: no planner tricks, tables or functions" readers_text

# run a section's query as a subquery
section_sql() { sed '/^--/d; s/;[[:space:]]*$//' "demo/report/$1"; }

check "league table: each assessor's total is before the veto (vetoed rows keep them)" \
    test "$(qt -d $db -c "SELECT count(*) FILTER (WHERE redlines > 0) > 0
                                AND count(*) FILTER (WHERE redlines > 0 AND least(self, inspection, third_party) = 0) = 0
                                AND bool_and(spread = greatest(self, inspection, third_party) - least(self, inspection, third_party))
                         FROM ($(section_sql 1_league_table.sql)) t")" = t

check "league table: the assessors' totals are those the standard error uses (base + capped bonus)" \
    test "$(qt -d $db -c "SELECT bool_and(t.self IS NOT DISTINCT FROM base(assessor_score(iy.a, 'self')) + least(bonus(assessor_score(iy.a, 'self')), (iy.rules).bonus_cap)
                                   AND t.inspection IS NOT DISTINCT FROM base(assessor_score(iy.a, 'inspection')) + least(bonus(assessor_score(iy.a, 'inspection')), (iy.rules).bonus_cap))
                         FROM ($(section_sql 1_league_table.sql)) t
                         JOIN regulator.institution i ON i.name = t.institution
                         JOIN regulator.institution_year iy ON iy.institution_id = i.id
                          AND iy.year = (SELECT max(year) FROM regulator.scheme_year)")" = t

check "section 4 marks the report year's hires as new and earlier ones as earlier" \
    test "$(qt -d $db -c "SELECT count(*) FILTER (WHERE hire = 'new') > 0 AND count(*) FILTER (WHERE hire = 'earlier') > 0
                                AND bool_and((hire = 'new') = (extract(year FROM hired) = (SELECT max(year) FROM regulator.scheme_year)))
                                AND bool_and(extract(year FROM hired) <= (SELECT max(year) FROM regulator.scheme_year))
                         FROM ($(section_sql 4_blacklist_hits.sql)) t")" = t

check "honour list: the institutions named are the top tenth at most (ties aside), each green three years" \
    test "$(qt -d $db -c "WITH t AS (SELECT * FROM ($(section_sql 10_honour_list.sql)) t WHERE kind = 'institution'),
                              ranked AS (SELECT i.name, percent_rank() OVER (ORDER BY index_points(score(iy.a), iy.rules) DESC) AS pr
                                         FROM regulator.institution_year iy JOIN regulator.institution i ON i.id = iy.institution_id
                                         WHERE iy.year = (SELECT max(year) FROM regulator.scheme_year))
                         SELECT count(*) BETWEEN 1 AND 12 AND bool_and(r.pr < 0.1) AND bool_and(t.reason LIKE 'green %')
                         FROM t JOIN ranked r ON r.name = t.who")" = t

check "honour list: its header states the criterion" grep -q 'top tenth' demo/report/10_honour_list.sql

# section 11 against the generator's ground truth (regulator.planted_name):
# the section's rows are found back through the entry's decision number
name_rows="SELECT t.*, p.form, p.planted, p.subject = e.cnid AS same_person
             FROM ($(section_sql 11_name_hits.sql)) t
             JOIN regulator.name_entry n ON n.decision = t.decision AND n.name = t.listed_name
             JOIN regulator.planted_name p ON p.entry_id = n.id
             JOIN regulator.employee e ON cnid_mask(e.cnid) = t.person AND e.hired = t.hired"
check "name hits: every planted true match and namesake with agreeing digits is shown, no near miss with another number" \
    test "$(qt -d $db -c "SELECT (SELECT count(*) FROM regulator.planted_name p
                                  JOIN regulator.employee e ON 5900000000000 + e.id = p.entry_id
                                  WHERE p.form <> 'near_other_number' AND e.hired <= date '2024-12-31')
                                 = count(*) FILTER (WHERE planted AND form <> 'near_other_number')
                                AND count(*) FILTER (WHERE form = 'near_other_number') = 0
                                AND count(DISTINCT form) FILTER (WHERE planted AND same_person) >= 4
                         FROM ($name_rows) r")" = t
check "name hits: each row's score reaches the threshold and names its evidence, whose points add up to it; namesakes are cleared, true matches never" \
    test "$(qt -d $db -c "SELECT count(*) > 0 AND bool_and(score >= name_match_threshold())
                                AND bool_and(evidence ~ '(exact|written form|traditional|variant|pinyin|one character different)')
                                AND bool_and(score = (SELECT sum((regexp_match(x, ' (-?[0-9]+)\$'))[1]::int)
                                                      FROM unnest(string_to_array(evidence, ', ')) x))
                                AND bool_and(NOT same_person = (status = 'cleared'))
                         FROM ($name_rows) r")" = t
check "name hits: its header says a name alone is never a hit" grep -q 'A name alone' demo/report/11_name_hits.sql

echo "1..$n"
[ "$bad" -eq 0 ]
