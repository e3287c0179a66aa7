#!/usr/bin/env bash
# demo/report.sh — `make demo`: the regulator's annual integrity report.
#
# Sets up what is missing (Debian packages, build, install), starts a
# throwaway PostgreSQL cluster — or, when PGHOST or PGDATABASE is set and a
# server answers, uses that server (the extension must be installed there) —
# loads the district data into its own database (integrity_demo, or
# $DEMO_DB) and prints the report: every section is one SQL file in
# demo/report/, runnable as is from a BI tool.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh

DEMO_DB=${DEMO_DB:-integrity_demo}
if { [ -n "${PGHOST:-}" ] || [ -n "${PGDATABASE:-}" ]; } \
   && psql -X -At -d "${PGDATABASE:-postgres}" -c 'SELECT 1' >/dev/null 2>&1; then
    log "using the server at ${PGHOST:-local socket}${PGPORT:+:$PGPORT}"
    if ! psql -X -At -d "${PGDATABASE:-postgres}" \
            -c "SELECT 1 FROM pg_available_extensions WHERE name = 'integrity'" | grep -q 1; then
        echo "the extension integrity is not installed on that server; run make install there" >&2
        exit 1
    fi
    export PGDATABASE=postgres
else
    unset PGDATABASE
    ensure_packages
    build_install
    start_cluster
fi

bash demo/load.sh "$DEMO_DB" district
export PGDATABASE=$DEMO_DB

section() {   # section FILE TITLE
    printf '\n%s\n%s\n' "$2" "$(printf '%*s' 72 '' | tr ' ' '=')"
    sed -n '/^--/!q; s/^-- \{0,1\}/   /p' "$1" | tail -n +2
    echo
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -f "$1"
}

year=$(psql -X -At -c 'SELECT max(year) FROM regulator.scheme_year')
cat <<HEAD

清廉金融 annual integrity report ${year} — $(psql -X -At -c "SELECT count(*) || ' institutions in ' || count(DISTINCT district) || ' districts, ' || (SELECT count(*) FROM regulator.employee WHERE left_on IS NULL) || ' staff' FROM regulator.institution")
(synthetic district data from demo/generate.sql; queries in demo/report/)
HEAD
section demo/report/1_league_table.sql      "1. League table of institutions (机构清廉积分), $year"
section demo/report/2_index.sql             "2. Clean-finance index (清廉金融指数) by sector and district, year on year"
section demo/report/3_top_risk_portraits.sql "3. Five highest-risk employee portraits (清廉画像)"
section demo/report/4_blacklist_hits.sql    "4. Blacklist hits across institutions (黑名单)"
section demo/report/5_feedback.sql          "5. Feedback code: ratings and complaints (清廉码)"
section demo/report/6_outcomes.sql          "6. Outcomes year on year (成效)"
section demo/report/7_new_hire_screening.sql "7. Screening of the year's new hires (新员工名单筛查)"
section demo/report/8_explanation.sql       "8. Why this grade? The lowest-graded institution explained (评分说明)"
section demo/report/9_early_warnings.sql    "9. Early warnings from fund flows (清廉数智监督)"
section demo/report/10_honour_list.sql      "10. Honour list: exemplar institutions and employees (光荣榜)"
