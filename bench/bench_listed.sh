# bench/bench_listed.sh — screening: listed() against EXISTS and the bare scan.
#
# Sourced by bench/run.sh (bench_sql, bench_ms, bench_line, bench_note).
# Every timed query runs in a new connection (bench_ms starts psql per run):
# what is fast must be fast from a fresh session, where nothing was built
# before — the blacklist index is persistent and shared.
#
# Data: probe tables of LISTED_PROBES rows (default 10M) of cnid keys, one
# per fraction in LISTED_FRACTIONS (default "1 10": per cent of the probes on
# each list), and three disjoint lists, LISTED_SIZES (default
# "10k=10000 1m=1000000 10m=10000000"), each with a btree (primary key) and a
# blacklist index on the key.  The bigint and varchar(18) baselines use the
# same sequence numbers (the same subjects) for the 1M list.
#
# Compared, serially and with 2 parallel workers, per fraction:
#   listed_<list>_vs_floor_<f>pct_<mode>         vs the same scan with a trivial filter
#   listed_1m_vs_bigint_exists_<f>pct_<mode>     vs bigint keys, EXISTS (hash semi-join)
#   listed_1m_vs_varchar_exists_<f>pct_<mode>    vs varchar(18) keys, EXISTS
#   listed_node_off_1m_<f>pct_<mode>            the screening scan (the default, every
#                                                line above) vs listed() per row
#                                                (integrity.screening_scan = off)
# the per-call path alone, serially (listed() in an aggregate's FILTER):
#   listed_percall_1m_vs_bigint_exists_<f>pct_serial
#   listed_percall_<largest>_vs_floor_<f>pct_serial
# and once:
#   listed_single_call_<largest>_vs_exists       LISTED_CALLS statements of one call each
#   listed_plpgsql_loop_vs_exists                one-row lookups in a plpgsql loop
#   listed_plpgsql_loop_writes_vs_exists         ... with a write per iteration
#   listed_noindex                               20k probes, 30k-row list without any index
#
# Develop with small sizes, e.g.
#   LISTED_PROBES=200000 LISTED_SIZES="10k=1000 1m=20000 10m=200000" BENCH_ONLY=listed make bench
LISTED_KEY_TYPE=${LISTED_KEY_TYPE:-cnid}
LISTED_KEY_EXPR=${LISTED_KEY_EXPR:-'cnid_from_parts((ARRAY[11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,83])[(1 + $1 % 35)::int] * 10000 + (($1 * 7919) % 10000)::int, date '"'"'1940-01-01'"'"' + (($1 / 35) % 25000)::int, (($1 / 875000) % 1000)::int)'}
# (distinct for $1 < 875M: region from $1 % 35, birth date and sequence from $1 / 35)
LISTED_BIGINT_EXPR='(($1 * 2654435761) % 1099511627776)'
if [ "$LISTED_KEY_TYPE" = bigint ]; then
    LISTED_TEXT_EXPR="lpad(($LISTED_BIGINT_EXPR)::text, 18, '0')"
else
    LISTED_TEXT_EXPR="(($LISTED_KEY_EXPR)::$LISTED_KEY_TYPE)::text"
fi

LISTED_PROBES=${LISTED_PROBES:-10000000}
LISTED_FRACTIONS=${LISTED_FRACTIONS:-"1 10"}
LISTED_SIZES=${LISTED_SIZES:-"10k=10000 1m=1000000 10m=10000000"}
LISTED_CALLS=${LISTED_CALLS:-2000}
LISTED_LOOP=${LISTED_LOOP:-100000}

bench_note "listed: $LISTED_PROBES probe rows per fraction ($LISTED_FRACTIONS %), lists $LISTED_SIZES (key type $LISTED_KEY_TYPE)"
gen_start=$(date +%s)
bench_sql "
CREATE FUNCTION bench_listed_key(bigint) RETURNS $LISTED_KEY_TYPE
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$f\$SELECT ($LISTED_KEY_EXPR)::$LISTED_KEY_TYPE\$f\$;
CREATE FUNCTION bench_listed_bigint(bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $LISTED_BIGINT_EXPR';
CREATE FUNCTION bench_listed_text(bigint) RETURNS varchar(18)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$f\$SELECT $LISTED_TEXT_EXPR\$f\$;
"

# the lists: consecutive, disjoint ranges of sequence numbers
lists=() ; start=0 ; largest=
for spec in $LISTED_SIZES; do
    name=${spec%%=*}; n=${spec#*=}
    lists+=("$name:$start:$n")
    t0=$(date +%s%N)
    bench_sql "
CREATE UNLOGGED TABLE bench_listed_$name AS
  SELECT bench_listed_key(i) AS k FROM generate_series($start::bigint, $start::bigint + $n - 1) i;
ALTER TABLE bench_listed_$name ADD PRIMARY KEY (k);"
    t1=$(date +%s%N)
    bench_sql "CREATE INDEX bench_listed_${name}_bl ON bench_listed_$name USING blacklist (k)"
    t2=$(date +%s%N)
    bench_note "listed_$name: $n entries; btree build $(( (t1 - t0) / 1000000 )) ms (with the table), blacklist index build $(( (t2 - t1) / 1000000 )) ms, $(psql -X -At -d "$BENCH_DB" -c "SELECT pg_relation_size('bench_listed_${name}_bl')") bytes"
    [ "$name" = 1m ] && { m_start=$start; m_n=$n; }
    largest=$name
    start=$((start + n))
done
nobody=$start
[ -n "${m_n:-}" ] || { echo "bench_listed: LISTED_SIZES needs a list named 1m" >&2; return 1 2>/dev/null || exit 1; }
bench_sql "
CREATE UNLOGGED TABLE bench_listed_1m_b AS
  SELECT bench_listed_bigint(i) AS k FROM generate_series($m_start::bigint, $m_start::bigint + $m_n - 1) i;
ALTER TABLE bench_listed_1m_b ADD PRIMARY KEY (k);
CREATE UNLOGGED TABLE bench_listed_1m_v AS
  SELECT bench_listed_text(i) AS k FROM generate_series($m_start::bigint, $m_start::bigint + $m_n - 1) i;
ALTER TABLE bench_listed_1m_v ADD PRIMARY KEY (k);"

# probes: per fraction f, f% of the probes on each list, the rest on nobody
for f in $LISTED_FRACTIONS; do
    cases="" ; acc=0
    for l in "${lists[@]}"; do
        IFS=: read -r name s n <<<"$l"
        acc=$((acc + f))
        cases="$cases WHEN r < $acc / 100.0 THEN $s + (random() * ($n - 1))::bigint"
    done
    bench_sql "
SELECT setseed(0.1234);
CREATE UNLOGGED TABLE bench_listed_seq AS
SELECT CASE $cases ELSE $nobody + (random() * 99999999)::bigint END AS i
  FROM (SELECT random() AS r FROM generate_series(1, $LISTED_PROBES)) g;
CREATE UNLOGGED TABLE bench_listed_p$f AS SELECT bench_listed_key(i) AS k FROM bench_listed_seq;
CREATE UNLOGGED TABLE bench_listed_p${f}_b AS SELECT bench_listed_bigint(i) AS k FROM bench_listed_seq;
CREATE UNLOGGED TABLE bench_listed_p${f}_v AS SELECT bench_listed_text(i) AS k FROM bench_listed_seq;
DROP TABLE bench_listed_seq;"
    bench_sql "VACUUM ANALYZE bench_listed_p$f, bench_listed_p${f}_b, bench_listed_p${f}_v"
done
bench_sql "VACUUM ANALYZE $(for l in "${lists[@]}"; do printf 'bench_listed_%s, ' "${l%%:*}"; done) bench_listed_1m_b, bench_listed_1m_v"
bench_note "listed: data generated in $(( $(date +%s) - gen_start )) s"

# correctness first: the counts agree with EXISTS
for f in $LISTED_FRACTIONS; do
    for l in "${lists[@]}"; do
        name=${l%%:*}
        ours=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM bench_listed_p$f WHERE listed(k, 'bench_listed_$name')")
        theirs=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM bench_listed_p$f p WHERE EXISTS (SELECT 1 FROM bench_listed_$name l WHERE l.k = p.k)")
        bench_note "listed_$name, $f%: $ours of $LISTED_PROBES probes listed (EXISTS: $theirs)"
        [ "$ours" = "$theirs" ] || { echo "listed() disagrees with EXISTS on bench_listed_$name" >&2; return 1 2>/dev/null || exit 1; }
    done
done

# the timed runs, each in a fresh session, serial and parallel
for f in $LISTED_FRACTIONS; do
    bench_sql "SELECT count(*) FROM bench_listed_p$f; SELECT count(*) FROM bench_listed_p${f}_b; SELECT count(*) FROM bench_listed_p${f}_v"
    for mode in serial parallel; do
        if [ $mode = serial ]; then set_par="SET max_parallel_workers_per_gather = 0;"
        else set_par="SET max_parallel_workers_per_gather = 2;"; fi
        floor=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p$f WHERE k IS NOT NULL")
        for l in "${lists[@]}"; do
            name=${l%%:*}
            ours=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p$f WHERE listed(k, 'bench_listed_$name')")
            [ "$name" = 1m ] && ours_1m=$ours
            bench_line "listed_${name}_vs_floor_${f}pct_$mode" "$ours" "$floor"
        done
        # the screening scan against listed() per row, the same statement
        for l in "${lists[@]}"; do
            name=${l%%:*}
            [ "$name" = 1m ] || continue
            off=$(bench_ms "$set_par SET integrity.screening_scan = off; SELECT count(*) FROM bench_listed_p$f WHERE listed(k, 'bench_listed_$name')")
            bench_line "listed_node_off_${name}_${f}pct_$mode" "$ours_1m" "$off"
        done
        base=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p${f}_b p WHERE EXISTS (SELECT 1 FROM bench_listed_1m_b l WHERE l.k = p.k)")
        bench_line "listed_1m_vs_bigint_exists_${f}pct_$mode" "$ours_1m" "$base"
        base=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p${f}_v p WHERE EXISTS (SELECT 1 FROM bench_listed_1m_v l WHERE l.k = p.k)")
        bench_line "listed_1m_vs_varchar_exists_${f}pct_$mode" "$ours_1m" "$base"
    done
done

# the per-call path alone (issue 22): listed() in an aggregate's FILTER is
# evaluated once per row whatever plan nodes a WHERE clause may get, so these
# lines keep measuring the function call itself; serial, per fraction
for f in $LISTED_FRACTIONS; do
    set_par="SET max_parallel_workers_per_gather = 0;"
    for l in "${lists[@]}"; do
        name=${l%%:*}
        [ "$name" = 1m ] || [ "$name" = "$largest" ] || continue
        ours=$(bench_ms "$set_par SELECT count(*) FILTER (WHERE listed(k, 'bench_listed_$name')) FROM bench_listed_p$f")
        if [ "$name" = 1m ]; then
            base=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p${f}_b p WHERE EXISTS (SELECT 1 FROM bench_listed_1m_b l WHERE l.k = p.k)")
            bench_line "listed_percall_1m_vs_bigint_exists_${f}pct_serial" "$ours" "$base"
        else
            base=$(bench_ms "$set_par SELECT count(*) FROM bench_listed_p$f WHERE k IS NOT NULL")
            bench_line "listed_percall_${name}_vs_floor_${f}pct_serial" "$ours" "$base"
        fi
    done
done

# single calls: LISTED_CALLS statements of one call each (half of the keys
# listed) against the largest list, vs the same EXISTS; one session each
f1=${LISTED_FRACTIONS%% *}
calls_file=$(mktemp /tmp/bench_listed_calls.XXXXXX)
psql -X -At -d "$BENCH_DB" -c "
SELECT format('SELECT listed(%L::$LISTED_KEY_TYPE, ''bench_listed_$largest'');', k)
  FROM (SELECT k FROM bench_listed_$largest ORDER BY k LIMIT $LISTED_CALLS / 2) a
UNION ALL
SELECT format('SELECT listed(%L::$LISTED_KEY_TYPE, ''bench_listed_$largest'');', k)
  FROM (SELECT k FROM bench_listed_p$f1 p WHERE NOT EXISTS (SELECT 1 FROM bench_listed_$largest l WHERE l.k = p.k) LIMIT $LISTED_CALLS / 2) b" >"$calls_file"
sed -e "s/^SELECT listed(\(.*\)::$LISTED_KEY_TYPE, 'bench_listed_$largest');/SELECT EXISTS (SELECT 1 FROM bench_listed_$largest l WHERE l.k = \1::$LISTED_KEY_TYPE);/" \
    "$calls_file" >"$calls_file.exists"
run_file() {   # best of 3 wall times in ms of psql -f FILE
    local best= i t0 t1 t
    for i in 1 2 3; do
        t0=$(date +%s%N); psql -X -q -d "$BENCH_DB" -f "$1" >/dev/null; t1=$(date +%s%N)
        t=$(( (t1 - t0) / 1000 ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v t="$best" 'BEGIN { printf "%.1f", t / 1000 }'
}
ours=$(run_file "$calls_file")
base=$(run_file "$calls_file.exists")
bench_line "listed_single_call_${largest}_vs_exists" "$ours" "$base"
rm -f "$calls_file" "$calls_file.exists"

# one-row lookups in a plpgsql loop (simple expressions), without and with
# a write per iteration, against the 1M list's btree
loop() {   # loop LOOKUP WRITE
    echo "DO \$\$DECLARE r boolean; subj $LISTED_KEY_TYPE; keys $LISTED_KEY_TYPE[];
BEGIN
  keys := ARRAY(SELECT p.k FROM bench_listed_p$f1 p LIMIT 1000);
  FOR i IN 1..$LISTED_LOOP LOOP
    subj := keys[1 + i % 1000];
    r := $1;
    $2
  END LOOP;
END \$\$"
}
bench_sql "CREATE UNLOGGED TABLE bench_listed_log (i int)"
ours=$(bench_ms "$(loop "listed(subj, 'bench_listed_1m')" "")")
base=$(bench_ms "$(loop "EXISTS (SELECT 1 FROM bench_listed_1m l WHERE l.k = subj)" "")")
bench_line listed_plpgsql_loop_vs_exists "$ours" "$base"
ours=$(bench_ms "TRUNCATE bench_listed_log; $(loop "listed(subj, 'bench_listed_1m')" "INSERT INTO bench_listed_log VALUES (i);")")
base=$(bench_ms "TRUNCATE bench_listed_log; $(loop "EXISTS (SELECT 1 FROM bench_listed_1m l WHERE l.k = subj)" "INSERT INTO bench_listed_log VALUES (i);")")
bench_line listed_plpgsql_loop_writes_vs_exists "$ours" "$base"

# no cliff without an index (issue 18): 20,000 probes against a 30,000-row
# list that has no index at all, against the EXISTS (a hash semi-join);
# listed() answers from a hash of the list per statement
bench_sql "
CREATE UNLOGGED TABLE bench_listed_noix AS
  SELECT bench_listed_key(i) AS k FROM generate_series(0, 29999) i;
CREATE UNLOGGED TABLE bench_listed_noix_p AS
  SELECT bench_listed_key(i * 3) AS k FROM generate_series(0, 19999) i;
ANALYZE bench_listed_noix, bench_listed_noix_p;"
read -r ours base < <(bench_pair \
    "SELECT count(*) FROM bench_listed_noix_p p WHERE listed(p.k, 'bench_listed_noix')" \
    "SELECT count(*) FROM bench_listed_noix_p p WHERE EXISTS (SELECT 1 FROM bench_listed_noix l WHERE l.k = p.k)")
bench_line listed_noindex "$ours" "$base"
bench_sql "DROP TABLE bench_listed_noix, bench_listed_noix_p"

bench_sql "DROP TABLE bench_listed_log, bench_listed_1m_b, bench_listed_1m_v,
  $(for f in $LISTED_FRACTIONS; do printf 'bench_listed_p%s, bench_listed_p%s_b, bench_listed_p%s_v, ' "$f" "$f" "$f"; done)
  $(for l in "${lists[@]}"; do printf 'bench_listed_%s, ' "${l%%:*}"; done | sed 's/, $//');
  DROP FUNCTION bench_listed_key(bigint), bench_listed_bigint(bigint), bench_listed_text(bigint)"
