# bench/bench_identifiers.sh — cnid and uscc: COPY speed against text, and
# storage size against varchar(18).  Sourced by bench/run.sh (bench_* helpers).
#
#   BENCH copy_cnid   COPY of N valid numbers into a cnid column vs a text column
#   BENCH copy_uscc   the same for uscc
#   NOTE  size_*      table and btree index sizes, cnid/uscc vs varchar(18)
#
# IDENT_BENCH_N (default 2000000) sets the number of rows.  The input files are
# written by the server under /tmp first, so COPY measures parsing and storing.

IDENT_N=${IDENT_BENCH_N:-2000000}
CNID_FILE=/tmp/integrity_bench_cnid.txt
USCC_FILE=/tmp/integrity_bench_uscc.txt

bench_sql "SET client_min_messages = warning; DROP TABLE IF EXISTS ib_cnid, ib_cnid_text, ib_cnid_vc, ib_uscc, ib_uscc_text, ib_uscc_vc"

# valid, distinct, spread-out identifiers built with the constructors
# (cnid: (birth, seq) runs through a permutation of 25M pairs)
bench_sql "COPY (SELECT cnid_from_parts(
                   (ARRAY[11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,
                          50,51,52,53,54,61,62,63,64,65,71,81,82,83])[(1 + i % 35)::int] * 10000 + ((i * 7919) % 10000)::int,
                   date '1940-01-01' + (j % 25000)::int, (j / 25000)::int)
                 FROM generate_series(1::bigint, $IDENT_N) i,
                      LATERAL (SELECT (i * 1000003) % 25000000 AS j) k) TO '$CNID_FILE'"
A="'0123456789ABCDEFGHJKLMNPQRTUWXY'"
bench_sql "COPY (SELECT uscc_from_parts(
                   substr($A, (1 + i % 31)::int, 1) || substr($A, (1 + (i / 31) % 31)::int, 1) ||
                   lpad(((i * 7919) % 1000000)::text, 6, '0') ||
                   substr($A, (1 + (i * 3) % 31)::int, 1) || substr($A, (1 + (i * 5 / 7) % 31)::int, 1) ||
                   substr($A, (1 + (i / 961) % 31)::int, 1) || substr($A, (1 + (i / 29791) % 31)::int, 1) ||
                   substr($A, (1 + (i * 11) % 31)::int, 1) || substr($A, (1 + (i * 13 / 3) % 31)::int, 1) ||
                   substr($A, (1 + (i * 17) % 31)::int, 1) || substr($A, (1 + (i * 19 / 5) % 31)::int, 1) ||
                   substr($A, (1 + (i * 23) % 31)::int, 1))
                 FROM generate_series(1::bigint, $IDENT_N) i) TO '$USCC_FILE'"

bench_sql "CREATE TABLE ib_cnid (id cnid); CREATE TABLE ib_cnid_text (id text); CREATE TABLE ib_cnid_vc (id varchar(18))"
bench_sql "CREATE TABLE ib_uscc (id uscc); CREATE TABLE ib_uscc_text (id text); CREATE TABLE ib_uscc_vc (id varchar(18))"

copy_ms() {   # copy_ms TABLE FILE: best of 3 COPYs into a truncated table
    bench_ms "TRUNCATE $1; COPY $1 FROM '$2'" 3
}

ours=$(copy_ms ib_cnid "$CNID_FILE")
base=$(copy_ms ib_cnid_text "$CNID_FILE")
bench_line copy_cnid "$ours" "$base"
ours=$(copy_ms ib_uscc "$USCC_FILE")
base=$(copy_ms ib_uscc_text "$USCC_FILE")
bench_line copy_uscc "$ours" "$base"

# sizes: the table and a btree index on the column, against varchar(18)
bench_sql "TRUNCATE ib_cnid_vc; COPY ib_cnid_vc FROM '$CNID_FILE'"
bench_sql "TRUNCATE ib_uscc_vc; COPY ib_uscc_vc FROM '$USCC_FILE'"
ours=$(bench_ms "CREATE INDEX ib_cnid_idx ON ib_cnid (id)" 1)
base=$(bench_ms "CREATE INDEX ib_cnid_vc_idx ON ib_cnid_vc (id)" 1)
bench_line index_build_cnid "$ours" "$base"
ours=$(bench_ms "CREATE INDEX ib_uscc_idx ON ib_uscc (id)" 1)
base=$(bench_ms "CREATE INDEX ib_uscc_vc_idx ON ib_uscc_vc (id)" 1)
bench_line index_build_uscc "$ours" "$base"
bench_sql "VACUUM ANALYZE ib_cnid, ib_cnid_vc, ib_uscc, ib_uscc_vc"

size_note() {   # size_note NAME TABLE_OURS INDEX_OURS TABLE_BASE INDEX_BASE
    psql -X -q -At -d "$BENCH_DB" -c "
        SELECT format('$1 rows=%s table=%s/%s (%s) btree=%s/%s (%s) [ours/varchar(18), ratio ours:varchar]',
            (SELECT count(*) FROM $2),
            pg_size_pretty(pg_relation_size('$2')), pg_size_pretty(pg_relation_size('$4')),
            round(pg_relation_size('$2')::numeric / pg_relation_size('$4'), 2),
            pg_size_pretty(pg_relation_size('$3')), pg_size_pretty(pg_relation_size('$5')),
            round(pg_relation_size('$3')::numeric / pg_relation_size('$5'), 2))" |
        while read -r line; do bench_note "$line"; done
}
size_note size_cnid ib_cnid ib_cnid_idx ib_cnid_vc ib_cnid_vc_idx
size_note size_uscc ib_uscc ib_uscc_idx ib_uscc_vc ib_uscc_vc_idx

bench_sql "DROP TABLE ib_cnid, ib_cnid_text, ib_cnid_vc, ib_uscc, ib_uscc_text, ib_uscc_vc"
bench_sql "COPY (SELECT 1 WHERE false) TO '$CNID_FILE'"
bench_sql "COPY (SELECT 1 WHERE false) TO '$USCC_FILE'"
