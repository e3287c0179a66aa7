#!/usr/bin/env bash
# test/clients/jdbc.sh — the report queries through a real client: pgJDBC.
#
# Loads the district data into its own database (integrity_jdbc) on the
# server that PGHOST/PGPORT/PGUSER name, runs every demo/report/*.sql and
# reads every view of the schema report through pgJDBC
# (test/clients/ReportTypes.java, run as a single-file Java source), fails if
# any column is not a standard JDBC type or any report view or column lacks a
# Chinese and English comment, and compares the values read through the
# typed getters with psql's text output of the same query.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=/usr/share/java/postgresql.jar
if [ ! -f "$jar" ] || ! command -v java >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "needs Java and pgJDBC: sudo apt-get install -y default-jdk-headless libpostgresql-jdbc-java" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq default-jdk-headless libpostgresql-jdbc-java >/dev/null 2>&1 || {
        apt-get update -qq >/dev/null 2>&1
        apt-get install -y -qq default-jdk-headless libpostgresql-jdbc-java >/dev/null; }
fi

db=integrity_jdbc
bash demo/load.sh "$db" district
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT

case "${PGHOST:-}" in
    ''|/*) host=127.0.0.1 ;;      # a socket directory: the cluster also listens on TCP
    *) host=$PGHOST ;;
esac
url="jdbc:postgresql://$host:${PGPORT:-5432}/$db?user=${PGUSER:-$(id -un)}"
[ -n "${PGPASSWORD:-}" ] && url="$url&password=$PGPASSWORD"

out=$(mktemp -d /tmp/integrity-jdbc.XXXXXX)
# every view of the schema report, read whole as a BI tool does
views=()
for v in $(psql -X -At -d "$db" -c "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'report'::regnamespace AND c.relkind = 'v' ORDER BY 1"); do
    echo "SELECT * FROM report.$v" >"$out/view_$v.sql"
    views+=("$out/view_$v.sql")
done
[ ${#views[@]} -ge 10 ] || { echo "expected the ten report views, found ${#views[@]}" >&2; exit 1; }
java -cp "$jar" test/clients/ReportTypes.java "$url" "$out" demo/report/*.sql "${views[@]}"

status=0
for f in demo/report/*.sql "${views[@]}"; do
    name=$(basename "$f")
    psql -X -q -A -t -F $'\x1f' -P null='<NULL>' -v ON_ERROR_STOP=1 -d "$db" -f "$f" >"$out/$name.psql"
    if ! cmp -s "$out/$name.psql" "$out/$name.jdbc"; then
        echo "$name: pgJDBC values differ from psql's:" >&2
        diff "$out/$name.psql" "$out/$name.jdbc" | tr '\037' '|' | head -20 >&2
        status=1
    elif [ ! -s "$out/$name.psql" ]; then
        echo "$name: no rows" >&2
        status=1
    else
        echo "$name: $(wc -l <"$out/$name.psql") rows, pgJDBC = psql"
    fi
done
exit $status
