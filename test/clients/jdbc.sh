#!/usr/bin/env bash
# test/clients/jdbc.sh — the report queries through a real client: pgJDBC.
#
# Loads the district data into its own database (integrity_jdbc) on the
# server that PGHOST/PGPORT/PGUSER name, runs every demo/report/*.sql through
# pgJDBC (test/clients/ReportTypes.java, run as a single-file Java source),
# fails if any column is not a standard JDBC type, and compares the values
# read through the typed getters with psql's text output of the same query.
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
java -cp "$jar" test/clients/ReportTypes.java "$url" "$out" demo/report/*.sql

status=0
for f in demo/report/*.sql; do
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
