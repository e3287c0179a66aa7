#!/usr/bin/env bash
# demo/report.sh — `make demo`: the regulator's annual integrity report.
#
# Sets up what is missing (Debian packages, build, install), starts a
# throwaway PostgreSQL cluster — or, when PGHOST or PGDATABASE is set and a
# server answers, uses that server (the extension must be installed there) —
# loads the district data into its own database (integrity_demo, or
# $DEMO_DB) and prints the report: every section is one SQL file in
# demo/report/, runnable as is from a BI tool.  Then writes the same report
# as one offline HTML page with charts (demo/report_html.py) to report.html,
# or $REPORT_HTML (REPORT_HTML=0: none), and prints its path.
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

# section FILE: the file's first comment line is the section's title, the
# rest of its leading comment block the text for the reader (the SQL's own
# comments, after a blank line, are for developers); then the result.
section() {
    printf '\n%s\n%s\n' "$(head -1 "$1" | sed 's/^-- *//')" "$(printf '%*s' 72 '' | tr ' ' '=')"
    sed -n '1d; /^--/!q; s/^-- \{0,1\}/   /p' "$1"
    echo
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -f "$1"
}

year=$(psql -X -At -c 'SELECT max(year) FROM regulator.scheme_year')
cat <<HEAD

清廉金融 annual integrity report ${year} — $(psql -X -At -c "SELECT count(*) || ' institutions in ' || count(DISTINCT district) || ' districts, ' || (SELECT count(*) FROM regulator.employee WHERE left_on IS NULL) || ' staff' FROM regulator.institution")
(synthetic district data from demo/generate.sql; queries in demo/report/)
HEAD
for f in $(ls demo/report/*.sql | sort -V); do
    section "$f"
done

REPORT_HTML=${REPORT_HTML:-report.html}
if [ "$REPORT_HTML" != 0 ]; then
    py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
    "$py" demo/report_html.py "$REPORT_HTML"
    log "the report with charts: $(realpath "$REPORT_HTML") (one file, opens offline)"
fi
