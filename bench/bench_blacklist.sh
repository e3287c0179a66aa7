# bench/bench_blacklist.sh — the blacklist index access method: build time and
# size per entry, insert overhead, probe speed.  Sourced by bench/run.sh
# (bench_* helpers from bench/lib.sh).
#
#   BENCH blacklist_build_<N>      CREATE INDEX USING blacklist vs USING btree, N cnid keys
#   NOTE  blacklist_size_<N>       ns and bytes per entry (goals: <= 200 ns, <= 16 bytes)
#   BENCH blacklist_insert_<N>     INSERT of BLACKLIST_BENCH_INS new rows into the N-row list:
#                                  ours = btree + blacklist index, baseline = btree only
#                                  (goal: ratio >= 0.77, i.e. <= 1.3x a btree insert)
#   BENCH blacklist_insert_only_<N>  the same, blacklist index alone vs btree alone
#   BENCH blacklist_insert_rows_<N>  BLACKLIST_BENCH_LOOP single-row INSERTs (a PL/pgSQL
#                                  loop, one transaction): btree + blacklist vs btree only
#   BENCH blacklist_probe_<N>      1M probes of the filter (blacklist_probe, 1% listed)
#                                  vs EXISTS through the btree, each in a fresh session
#
# BLACKLIST_BENCH_SIZES (default "1000000 10000000") lists the list sizes;
# BLACKLIST_BENCH_INS (default 200000) the rows per insert run,
# BLACKLIST_BENCH_LOOP (default 50000) the rows per single-row run.

BL_SIZES=${BLACKLIST_BENCH_SIZES:-"1000000 10000000"}
BL_INS=${BLACKLIST_BENCH_INS:-200000}
BL_LOOP=${BLACKLIST_BENCH_LOOP:-50000}
BL_PROBES=${BLACKLIST_BENCH_PROBES:-1000000}

bl_label() { awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) printf "%dM", n / 1000000; else if (n % 1000 == 0) printf "%dk", n / 1000; else printf "%d", n }'; }

# N distinct cnid keys: (birth day, sequence) runs through a permutation of 25M pairs
bl_keys() {   # bl_keys FROM TO (1-based positions in the permutation)
    echo "SELECT cnid_from_parts(110101, date '1940-01-01' + (j % 25000)::int, (j / 25000)::int)
            FROM generate_series($1::bigint, $2::bigint) i, LATERAL (SELECT (i * 1000003) % 25000000 AS j) k"
}

for BL_N in $BL_SIZES; do
    L=$(bl_label "$BL_N")
    bench_sql "SET client_min_messages = warning;
               DROP TABLE IF EXISTS bb_list, bb_list_bt, bb_list_bl, bb_list_both, bb_probe"
    bench_sql "CREATE TABLE bb_list (id cnid) WITH (autovacuum_enabled = off);
               INSERT INTO bb_list $(bl_keys 1 "$BL_N")"
    bench_sql "VACUUM ANALYZE bb_list"

    # build: best of 3, index dropped between runs
    ours=$(bench_ms "DROP INDEX IF EXISTS bb_build_bl; CREATE INDEX bb_build_bl ON bb_list USING blacklist (id)" 3)
    base=$(bench_ms "DROP INDEX IF EXISTS bb_build_bt; CREATE INDEX bb_build_bt ON bb_list USING btree (id)" 3)
    bench_line "blacklist_build_$L" "$ours" "$base"
    sizes=$(psql -X -qAt -F' ' -d "$BENCH_DB" -c "SELECT pg_relation_size('bb_build_bl'), pg_relation_size('bb_build_bt'), estimated_fpr FROM blacklist_index_stats('bb_build_bl')")
    read -r bl_bytes bt_bytes bl_fpr <<<"$sizes"
    bench_note "$(awk -v ms="$ours" -v n="$BL_N" -v bl="$bl_bytes" -v bt="$bt_bytes" -v fpr="$bl_fpr" -v L="$L" \
        'BEGIN { printf "blacklist_size_%s build_ns_per_entry=%.0f bytes_per_entry=%.2f btree_bytes_per_entry=%.2f estimated_fpr=%.4f%% (goals: <= 200 ns, <= 16 bytes)", L, ms * 1e6 / n, bl / n, bt / n, fpr * 100 }')"

    # inserts: three lists of N rows (btree only, blacklist only, both).
    # Each of three rounds inserts into each list in turn (so that a change
    # in the machine's load falls on all three) BL_INS new keys by one
    # INSERT ... SELECT, then BL_LOOP more by single-row INSERTs; keys never
    # inserted before (fresh bits); best round of each
    for t in bt bl both; do
        bench_sql "CREATE TABLE bb_list_$t (id cnid) WITH (autovacuum_enabled = off); INSERT INTO bb_list_$t SELECT id FROM bb_list"
    done
    bench_sql "CREATE INDEX ON bb_list_bt (id); CREATE INDEX ON bb_list_bl USING blacklist (id);
               CREATE INDEX ON bb_list_both (id); CREATE INDEX bb_list_both_bl ON bb_list_both USING blacklist (id)"
    bench_sql "VACUUM ANALYZE bb_list_bt, bb_list_bl, bb_list_both"
    bench_sql "CHECKPOINT"
    declare -A ins_ms=() row_ms=()
    for r in 1 2 3; do
        from=$((BL_N + 1 + (r - 1) * (BL_INS + BL_LOOP))); to=$((from + BL_INS - 1))
        for t in bt bl both; do
            ms=$(bench_ms "INSERT INTO bb_list_$t $(bl_keys "$from" "$to")" 1)
            if [ -z "${ins_ms[$t]:-}" ] || awk -v a="$ms" -v b="${ins_ms[$t]}" 'BEGIN{exit !(a<b)}'; then ins_ms[$t]=$ms; fi
        done
        for t in bt both; do
            ms=$(bench_ms "DO \$\$ BEGIN FOR i IN $((to + 1))..$((to + BL_LOOP)) LOOP
                             INSERT INTO bb_list_$t VALUES (cnid_from_parts(110101,
                               date '1940-01-01' + ((i::bigint * 1000003) % 25000000 % 25000)::int,
                               ((i::bigint * 1000003) % 25000000 / 25000)::int));
                           END LOOP; END \$\$" 1)
            if [ -z "${row_ms[$t]:-}" ] || awk -v a="$ms" -v b="${row_ms[$t]}" 'BEGIN{exit !(a<b)}'; then row_ms[$t]=$ms; fi
        done
    done
    bench_line "blacklist_insert_$L" "${ins_ms[both]}" "${ins_ms[bt]}"
    bench_line "blacklist_insert_only_$L" "${ins_ms[bl]}" "${ins_ms[bt]}"
    bench_line "blacklist_insert_rows_$L" "${row_ms[both]}" "${row_ms[bt]}"
    unset ins_ms row_ms

    # probes: 1% of them listed; each run in a fresh session
    bench_sql "CREATE TABLE bb_probe AS
                 SELECT CASE WHEN g % 100 = 0
                             THEN cnid_from_parts(110101, date '1940-01-01' + (j % 25000)::int, (j / 25000)::int)
                             ELSE cnid_from_parts(310101, date '1940-01-01' + (g % 25000)::int, ((g / 25000) % 1000)::int) END AS id
                 FROM generate_series(1::bigint, $BL_PROBES) g,
                      LATERAL (SELECT ((1 + (g * 7919) % $BL_N) * 1000003) % 25000000 AS j) k"
    bench_sql "VACUUM ANALYZE bb_probe"
    ours=$(bench_ms "SET max_parallel_workers_per_gather = 0; SELECT count(*) FILTER (WHERE blacklist_probe('bb_list_both_bl', id)) FROM bb_probe" 3)
    base=$(bench_ms "SET max_parallel_workers_per_gather = 0; SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bb_list_both l WHERE l.id = p.id)) FROM bb_probe p" 3)
    bench_line "blacklist_probe_$L" "$ours" "$base"

    bench_sql "DROP TABLE bb_list, bb_list_bt, bb_list_bl, bb_list_both, bb_probe"
done
