#!/usr/bin/env bash
# test/fdw_shards.sh — the extension's aggregates over postgres_fdw shards.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser), three
# databases: integrity_shard0 and integrity_shard1 (each with the extension
# and one hash partition of the facts), and integrity_coord, where `facts`
# is a table partitioned by hash of `inst` whose two partitions are foreign
# tables on the shards (postgres_fdw loopback servers with
# OPTIONS (extensions 'integrity')), next to `facts_local`, the same rows in
# one local table.
#
# Checks that, with enable_partitionwise_aggregate, GROUP BY the partition
# key ships each whole aggregate to the shards (EXPLAIN VERBOSE: the
# aggregate in the Remote SQL of each partition), for sum(iscore),
# iscore_agg, redline_sum, assess, integrity_index and portrait; that
# GROUP BY another column does not (rows cross the wire, the coordinator
# aggregates); that the settings-reading total(s)/grade(s) stay on the
# coordinator; and that every result, key and non-key grouping, has the same
# digits as over the local table.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-fdw.XXXXXX)
dbs="integrity_coord integrity_shard0 integrity_shard1"
cleanup() {
    for db in $dbs; do
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    done
    rm -rf "$work"
}
[ -n "${FDW_KEEP:-}" ] || trap cleanup EXIT
. tools/tap.sh

for db in $dbs; do
    q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null 2>&1
done

# the columns of the facts: an institution (the partition key), its region,
# an assessor's score, an indicator row (class, points) and an event
cols="inst int, region int, who text, s iscore, class text, points numeric, dim text, at timestamptz, red boolean"

setup_shard() {
    q -d "integrity_shard$1" -c "CREATE EXTENSION integrity" \
      -c "CREATE TABLE facts_p$1 ($cols)"
}
setup_coord() {
    local host=${PGHOST:-localhost} port=${PGPORT:-5432} user=${PGUSER:-postgres}
    q -d integrity_coord <<SQL
CREATE EXTENSION integrity;
CREATE EXTENSION postgres_fdw;
CREATE SERVER shard0 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '$host', port '$port', dbname 'integrity_shard0', extensions 'integrity');
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '$host', port '$port', dbname 'integrity_shard1', extensions 'integrity');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard0 OPTIONS (user '$user');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user '$user');
CREATE TABLE facts ($cols) PARTITION BY HASH (inst);
CREATE FOREIGN TABLE facts_p0 PARTITION OF facts FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard0 OPTIONS (table_name 'facts_p0');
CREATE FOREIGN TABLE facts_p1 PARTITION OF facts FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard1 OPTIONS (table_name 'facts_p1');
CREATE TABLE facts_local ($cols);
-- 600 institutions in 7 regions; one to three assessors each, with
-- indicator rows, some red lines, and portrait events over two years
INSERT INTO facts_local
SELECT g % 600, g % 600 % 7, (ARRAY['self', 'inspection', 'third_party'])[1 + g % 3],
       iscore(round((40 + (hashint4(g) & 1023) % 600 / 10.0)::numeric, 2),
              ((hashint4(g * 3) & 1023) % 800) / 100.0, (hashint4(g * 7) % 211 = 0)::int),
       (ARRAY['basic', 'basic', 'bonus', 'redline'])[1 + g % 4],
       CASE WHEN g % 4 = 3 THEN (hashint4(g * 5) % 97 = 0)::int
            ELSE ((hashint4(g * 11) & 4095) % 1000) / 100.0 END,
       (ARRAY['清廉建设', '员工管理', '合规建设', '红线'])[1 + g % 4],
       timestamptz '2024-01-01 00:00+00' + (g % 700) * interval '1 day' + (g % 1440) * interval '1 minute',
       g % 4 = 3 AND hashint4(g * 5) % 97 = 0
FROM generate_series(0, 5999) g
WHERE g % 600 % 5 <> 0 OR g % 3 = 0;
INSERT INTO facts SELECT * FROM facts_local;
ANALYZE facts_local;
SQL
    qt -d integrity_coord -c "ANALYZE facts"
}
shards() { setup_shard 0 && setup_shard 1; }
check "two shard databases with the extension" shards
check "coordinator: facts hash-partitioned over postgres_fdw, and the same rows locally" setup_coord
check "the rows went to both shards" \
    test "$(qt -d integrity_shard0 -c 'SELECT count(*) > 0 FROM facts_p0')$(qt -d integrity_shard1 -c 'SELECT count(*) > 0 FROM facts_p1')" = tt

settings="SET enable_partitionwise_aggregate = on;"
# name | select list (over rows of one institution or region)
aggs=$(cat <<'EOF'
sum(iscore)|sum(s)::text
iscore_agg|iscore_agg(class, points)::text
redline_sum|redline_sum(points, red)::text
assess|assess(who, s, scheme())::text
integrity_index|integrity_index(s, scheme())::text
portrait|portrait(dim, points, at)::text
EOF
)

# EXPLAIN VERBOSE of a query on the coordinator, one line
explain() { qt -d integrity_coord -c "$settings" -c "EXPLAIN (VERBOSE, COSTS OFF) $1"; }
pushed() {   # pushed FUNCTION QUERY: both partitions' Remote SQL aggregate with FUNCTION
    local plan; plan=$(explain "$2") || return 1
    echo "$plan"
    [ "$(grep -c "Remote SQL: SELECT .*$1(.*GROUP BY" <<<"$plan")" -eq 2 ] &&
        ! grep -qE '^ *(Finalize |Partial )?(Hash|Group)Aggregate' <<<"$plan"
}
not_pushed() {   # not_pushed FUNCTION QUERY: the coordinator aggregates rows it fetched
    local plan; plan=$(explain "$2") || return 1
    echo "$plan"
    ! grep -q "Remote SQL: SELECT .*$1(" <<<"$plan" && grep -qE 'Aggregate' <<<"$plan"
}
same() {   # same QUERY-ON-TABLE: the digits over facts = over facts_local
    local a b
    a=$(qt -d integrity_coord -c "$settings" -c "${1//@/facts}") || return 1
    b=$(qt -d integrity_coord -c "$settings" -c "${1//@/facts_local}") || return 1
    [ -n "$a" ] && [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b") | head -20; return 1; }
}

while IFS='|' read -r name expr; do
    fn=${expr%%(*}
    check "GROUP BY the partition key ships $name whole to each shard (Remote SQL)" \
        pushed "$fn" "SELECT inst, $expr FROM facts GROUP BY inst"
    check "$name by institution over the shards = over the local table, digit for digit" \
        same "SELECT string_agg(inst || ':' || r, ';' ORDER BY inst) FROM (SELECT inst, $expr AS r FROM @ GROUP BY inst) t"
    check "GROUP BY another column: the rows cross the wire, the coordinator runs $name" \
        not_pushed "$fn" "SELECT region, $expr FROM facts GROUP BY region"
    check "$name by region over the shards = over the local table, digit for digit" \
        same "SELECT string_agg(region || ':' || r, ';' ORDER BY region) FROM (SELECT region, $expr AS r FROM @ GROUP BY region) t"
done <<<"$aggs"

check "an index of institutions assessed on the shards: integrity_index(assess(...)) = local" \
    same "SELECT integrity_index(a, scheme())::text || '/' || integrity_index(a, inst % 5, scheme())::text
          FROM (SELECT inst, assess(who, s, scheme()) AS a FROM @ GROUP BY inst) t"
check "the scheme literal shipped for scheme() is checked on the shard like scheme()" \
    same "SELECT string_agg(inst || ':' || r, ';' ORDER BY inst) FROM (SELECT inst,
          integrity_index(s, '(5,100,92,85,60,0.2,0.5,0.3,exclude)'::scheme)::text AS r FROM @ GROUP BY inst) t"
# screening: listed() is STABLE, so it is not shipped either; the list is a
# table on the coordinator and the candidate rows come over the wire
screen_local() {
    local plan
    q -d integrity_coord -c "CREATE TABLE IF NOT EXISTS banned_inst (inst bigint PRIMARY KEY)" \
      -c "INSERT INTO banned_inst SELECT g FROM generate_series(0, 599, 37) g ON CONFLICT DO NOTHING" >/dev/null || return 1
    plan=$(explain "SELECT inst, sum(s) FROM facts WHERE listed(inst::bigint, 'banned_inst') GROUP BY inst") || return 1
    echo "$plan"
    grep -q 'Filter: listed(' <<<"$plan" && ! grep -q 'Remote SQL: .*listed(' <<<"$plan"
}
check "listed() runs on the coordinator against its local list (not shipped)" screen_local
check "… and screens the shards' rows as it screens the local table" \
    same "SELECT string_agg(inst || ':' || t, ';' ORDER BY inst)
          FROM (SELECT inst, sum(s)::text AS t FROM @ WHERE listed(inst::bigint, 'banned_inst') GROUP BY inst) x"

settings_stay() {
    local plan; plan=$(explain "SELECT inst, grade(sum(s)), total(sum(s)) FROM facts GROUP BY inst") || return 1
    echo "$plan"
    grep -q 'Remote SQL: SELECT .*sum(' <<<"$plan" && ! grep -qE 'Remote SQL: .*(grade|total)\(' <<<"$plan"
}
check "grade(s) and total(s) read integrity.scheme: not shipped, computed on the coordinator" settings_stay
settings="$settings SET integrity.scheme = '(5,100,92,85,60,0.2,0.5,0.3,zero)';"
check "… so the coordinator's setting decides, as on one node" \
    same "SELECT string_agg(inst || ':' || grade(t) || '/' || total(t), ';' ORDER BY inst)
          FROM (SELECT inst, sum(s) AS t FROM @ GROUP BY inst) x"

echo "1..$n"
[ "$bad" -eq 0 ]
