# bench/lib.sh — helpers shared by the benchmark scripts bench/bench_*.sh.
#
#   bench_sql SQL            run SQL in the bench database, quietly
#   bench_ms SQL [RUNS]      best wall time in ms of SQL over RUNS runs (default 3)
#   bench_line NAME OURS BASELINE
#                            print "BENCH NAME ours=<ms> baseline=<ms> ratio=<baseline/ours>"
#   bench_note TEXT          print an informational line ("NOTE ...")
#   bench_pair OURS BASELINE best ms of each over five alternating runs: "ours baseline"
#   bench_pair_n OURS BASELINE N   the same over N runs
#   (BASELINE_DB=DB bench_pair ...: the baseline runs in database DB)

BENCH_DB=${BENCH_DB:-integrity_bench}

bench_sql() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -c "$1" >/dev/null
}

bench_ms() {
    local sql=$1 runs=${2:-3} best= i t out
    for ((i = 0; i < runs; i++)); do
        # psql prints "Time:" for a failed statement too: its exit status decides
        out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -c '\timing on' -c "$sql" 2>&1) ||
            { echo "bench query failed: $sql" >&2; echo "$out" | grep -m3 ERROR >&2; return 1; }
        t=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out" | tail -1)
        [ -n "$t" ] || { echo "bench query printed no time: $sql" >&2; return 1; }
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
    done
    echo "$best"
}

bench_line() {
    awk -v n="$1" -v o="$2" -v b="$3" \
        'BEGIN { printf "BENCH %s ours=%.1f baseline=%.1f ratio=%.2f\n", n, o, b, (o > 0 ? b / o : 0) }'
}

bench_note() { echo "NOTE $*"; }

# best of N runs of each side (bench_pair: five), the two sides alternating
# (so that a change in the machine's load falls on both)
bench_pair_n() {
    local i o b bo= bb=
    for ((i = 0; i < $3; i++)); do
        o=$(bench_ms "$1" 1) || return 1
        b=$(BENCH_DB=${BASELINE_DB:-$BENCH_DB} bench_ms "$2" 1) || return 1
        if [ -z "$bo" ] || awk -v a="$o" -v c="$bo" 'BEGIN{exit !(a<c)}'; then bo=$o; fi
        if [ -z "$bb" ] || awk -v a="$b" -v c="$bb" 'BEGIN{exit !(a<c)}'; then bb=$b; fi
    done
    echo "$bo $bb"
}
bench_pair() { bench_pair_n "$1" "$2" 5; }
