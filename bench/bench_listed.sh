# bench/bench_listed.sh — screening: listed() against EXISTS and the bare scan.
#
# Sourced by bench/run.sh (bench_sql, bench_ms, bench_line, bench_note).
# 10M probe rows against lists of 10k, 1M and 10M entries; about 10% of the
# probes are on each list (the lists are disjoint, so one probe table serves
# all three).  Compared, in the same run:
#   (a) the best plain plan: bigint keys, EXISTS (hash semi-join, default work_mem)
#   (b) the common schema: varchar(18) keys, EXISTS
#   the floor: the same scan with a trivial filter (ratio = floor / ours)
#
# The key type (cnid by default) is set by the two definitions below — the key type and the SQL expression that turns a
# sequence number $1 (bigint, 0 .. ~120M) into a distinct key of that type.
# The bigint and varchar(18) baselines are derived from the same sequence
# numbers, so every variant screens the same subjects.
LISTED_KEY_TYPE=${LISTED_KEY_TYPE:-cnid}
LISTED_KEY_EXPR=${LISTED_KEY_EXPR:-'cnid_from_parts((ARRAY[11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,83])[(1 + $1 % 35)::int] * 10000 + (($1 * 7919) % 10000)::int, date '"'"'1940-01-01'"'"' + (($1 / 35) % 25000)::int, (($1 / 875000) % 1000)::int)'}
# LISTED_KEY_TYPE=bigint with LISTED_KEY_EXPR='(($1 * 2654435761) % 1099511627776)'
# screens bigint keys instead.
# (distinct for $1 < 875M: region from $1 % 35, birth date and sequence from $1 / 35)
# the bigint baseline's key and the varchar(18) text form of a key
LISTED_BIGINT_EXPR='(($1 * 2654435761) % 1099511627776)'
if [ "$LISTED_KEY_TYPE" = bigint ]; then
    LISTED_TEXT_EXPR="lpad(($LISTED_BIGINT_EXPR)::text, 18, '0')"
else
    LISTED_TEXT_EXPR="(($LISTED_KEY_EXPR)::$LISTED_KEY_TYPE)::text"
fi

LISTED_PROBES=${LISTED_PROBES:-10000000}

bench_note "listed: generating $LISTED_PROBES probe rows and lists of 10k, 1M, 10M entries (key type $LISTED_KEY_TYPE)"
gen_start=$(date +%s)
bench_sql "
CREATE FUNCTION bench_listed_key(bigint) RETURNS $LISTED_KEY_TYPE
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$f\$SELECT ($LISTED_KEY_EXPR)::$LISTED_KEY_TYPE\$f\$;
CREATE FUNCTION bench_listed_bigint(bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $LISTED_BIGINT_EXPR';
CREATE FUNCTION bench_listed_text(bigint) RETURNS varchar(18)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$f\$SELECT $LISTED_TEXT_EXPR\$f\$;
"
# sequence numbers: [0,10k) list 10k, [10k,1.01M) list 1M, [1.01M,11.01M) list 10M, beyond: nobody
bench_sql "
SELECT setseed(0.1234);
CREATE UNLOGGED TABLE bench_listed_seq AS
SELECT CASE WHEN r < 0.1 THEN (random() * 9999)::bigint
            WHEN r < 0.2 THEN 10000 + (random() * 999999)::bigint
            WHEN r < 0.3 THEN 1010000 + (random() * 9999999)::bigint
            ELSE 11010000 + (random() * 99999999)::bigint END AS i
  FROM (SELECT random() AS r FROM generate_series(1, $LISTED_PROBES)) g;
"
bench_sql "
CREATE UNLOGGED TABLE bench_listed_probes AS SELECT bench_listed_key(i) AS k FROM bench_listed_seq;
CREATE UNLOGGED TABLE bench_listed_probes_b AS SELECT bench_listed_bigint(i) AS k FROM bench_listed_seq;
CREATE UNLOGGED TABLE bench_listed_probes_v AS SELECT bench_listed_text(i) AS k FROM bench_listed_seq;
DROP TABLE bench_listed_seq;
"
for spec in "10k 0 10000" "1m 10000 1000000" "10m 1010000 10000000"; do
    set -- $spec
    bench_sql "
CREATE UNLOGGED TABLE bench_listed_$1 AS
  SELECT bench_listed_key(i) AS k FROM generate_series($2::bigint, $2::bigint + $3 - 1) i;
ALTER TABLE bench_listed_$1 ADD PRIMARY KEY (k);"
done
bench_sql "
CREATE UNLOGGED TABLE bench_listed_1m_b AS
  SELECT bench_listed_bigint(i) AS k FROM generate_series(10000::bigint, 1009999) i;
ALTER TABLE bench_listed_1m_b ADD PRIMARY KEY (k);
CREATE UNLOGGED TABLE bench_listed_1m_v AS
  SELECT bench_listed_text(i) AS k FROM generate_series(10000::bigint, 1009999) i;
ALTER TABLE bench_listed_1m_v ADD PRIMARY KEY (k);"
bench_sql "VACUUM ANALYZE bench_listed_probes, bench_listed_probes_b, bench_listed_probes_v,
  bench_listed_10k, bench_listed_1m, bench_listed_10m, bench_listed_1m_b, bench_listed_1m_v;
"
bench_note "listed: data generated in $(( $(date +%s) - gen_start )) s"

# warm the caches (and set hint bits) once
bench_sql "SELECT count(*) FROM bench_listed_probes; SELECT count(*) FROM bench_listed_probes_b;
           SELECT count(*) FROM bench_listed_probes_v"

# correctness first: the counts agree with EXISTS
for l in 10k 1m 10m; do
    ours=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM bench_listed_probes WHERE listed(k, 'bench_listed_$l')")
    theirs=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM bench_listed_probes p WHERE EXISTS (SELECT 1 FROM bench_listed_$l l WHERE l.k = p.k)")
    bench_note "listed_$l: $ours of $LISTED_PROBES probes listed (EXISTS: $theirs)"
    [ "$ours" = "$theirs" ] || { echo "listed() disagrees with EXISTS on bench_listed_$l" >&2; return 1 2>/dev/null || exit 1; }
done

floor=$(bench_ms "SELECT count(*) FROM bench_listed_probes WHERE k IS NOT NULL")
for l in 10k 1m 10m; do
    ours=$(bench_ms "SELECT count(*) FROM bench_listed_probes WHERE listed(k, 'bench_listed_$l')")
    [ "$l" = 1m ] && ours_1m=$ours
    bench_line "listed_${l}_vs_floor" "$ours" "$floor"
done
bigint_1m=$(bench_ms "SELECT count(*) FROM bench_listed_probes_b p WHERE EXISTS (SELECT 1 FROM bench_listed_1m_b l WHERE l.k = p.k)")
bench_line listed_1m_vs_bigint_exists "$ours_1m" "$bigint_1m"
varchar_1m=$(bench_ms "SELECT count(*) FROM bench_listed_probes_v p WHERE EXISTS (SELECT 1 FROM bench_listed_1m_v l WHERE l.k = p.k)")
bench_line listed_1m_vs_varchar_exists "$ours_1m" "$varchar_1m"

# build cost and size of the in-memory index (serial builds; the second one
# of a session is reported, the first pays the process's page faults)
for l in 10k 1m 10m; do
    psql -X -At -F ' ' -d "$BENCH_DB" \
        -c "SET integrity.listed_build_threshold = 0" -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT listed(k, 'bench_listed_$l') FROM bench_listed_probes LIMIT 1" \
        -c "SELECT listed(k, 'bench_listed_$l') FROM bench_listed_probes LIMIT 1" \
        -c "SELECT rows, round(build_ms::numeric * 1e6 / rows, 1), round(bytes::numeric / rows, 1) FROM listed_last_build()" \
        | tail -1 | while read -r rows ns bytes; do
            bench_note "listed_$l build: $rows entries, $ns ns/entry, $bytes bytes/entry"
        done
done

bench_sql "DROP TABLE bench_listed_probes, bench_listed_probes_b, bench_listed_probes_v,
  bench_listed_10k, bench_listed_1m, bench_listed_10m, bench_listed_1m_b, bench_listed_1m_v;
  DROP FUNCTION bench_listed_key(bigint), bench_listed_bigint(bigint), bench_listed_text(bigint)"
