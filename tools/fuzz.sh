#!/usr/bin/env bash
# tools/fuzz.sh — `make fuzz`: libFuzzer over the text input and binary
# receive functions of cnid, uscc, masked_cnid, iscore, assessment and portrait.
#
#   bash tools/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]
#
# (make fuzz FUZZ_SECONDS=N FUZZ_TARGETS="cnid_text ..." FUZZ_RUNS=N)
#
# Each target (<type>_text, <type>_recv) is fuzz/targets.c compiled with
# clang-14 -fsanitize=fuzzer,address,undefined and linked with the real
# src/<type>.c files and fuzz/pg_stubs.c (the backend symbols they use; the
# ones a parser never reaches become generated stubs that abort with their
# name).  It starts from the seed corpus fuzz/corpus/<target>/ (from the
# tests' literals; reproducers of past findings live there too, so every run
# replays them first) and runs for SECONDS (default 60) or FUZZ_RUNS
# executions, whichever comes first.  New interesting inputs go to
# fuzz/build/corpus/<target>/ (kept between runs, not committed); a finding
# (crash, sanitizer report, broken invariant; see fuzz/targets.c) is saved
# in fuzz/build/findings/<target>/ and fails the run.  Prints one line per
# target: executions, seconds, executions/s, result.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SECONDS_PER_TARGET=${1:-${FUZZ_SECONDS:-60}}
shift || true
ALL_TARGETS="cnid_text cnid_recv uscc_text uscc_recv masked_cnid_text masked_cnid_recv iscore_text iscore_recv
             assessment_text assessment_recv portrait_text portrait_recv scheme_text"
TARGETS=${*:-${FUZZ_TARGETS:-$ALL_TARGETS}}
RUNS=${FUZZ_RUNS:--1}
SOURCES="iscore assessment cnid uscc masked_cnid portrait"	# src/*.c linked into every target (plus what they call)

BUILD=$ROOT/fuzz/build
CC=clang-14
PACKAGES="clang-14 libfuzzer-14-dev libclang-rt-14-dev postgresql-server-dev-15 libpq-dev"

log() { printf '== %s\n' "$*" >&2; }

ensure_packages() {
    local missing=() p
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages; install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/tmp/integrity-fuzz-apt.log 2>&1 || {
        apt-get update -qq >>/tmp/integrity-fuzz-apt.log 2>&1
        apt-get install -y -qq "${missing[@]}" >>/tmp/integrity-fuzz-apt.log 2>&1 ||
            { tail -20 /tmp/integrity-fuzz-apt.log >&2; exit 1; }
    }
}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-g -O1 $SAN -Wall -Wno-ignored-attributes -Wno-unused-function
        -I$ROOT/src -I$ROOT/fuzz -I$(pg_config --includedir-server 2>/dev/null || echo /usr/include/postgresql/15/server)"

build() {
    mkdir -p "$BUILD/obj"
    local s t objs=() ctargets
    ctargets=$(echo $TARGETS | tr ' ' '\n' | grep -v '^scheme_text$' | tr '\n' ' ')
    if [ -z "$ctargets" ]; then
        build_scheme
        return
    fi
    log "compiling src/*.c and the stubs with $CC ($SAN)"
    # every src/*.c is compiled; the parsers' files are linked, and any other
    # src/*.c that defines a function they call (found below) joins them
    rm -f "$BUILD"/obj/src_*.o
    for s in src/*.c; do
        s=$(basename "$s" .c)
        $CC $CFLAGS -fsanitize=fuzzer-no-link -c "src/$s.c" -o "$BUILD/obj/src_$s.o" 2>>"$BUILD/compile.log" ||
            { case " $SOURCES " in *" $s "*) cat "$BUILD/compile.log" >&2; exit 1 ;; esac; }
    done
    for s in $SOURCES; do
        objs+=("$BUILD/obj/src_$s.o")
    done
    $CC $CFLAGS -c fuzz/pg_stubs.c -o "$BUILD/obj/pg_stubs.o" || exit 1
    objs+=("$BUILD/obj/pg_stubs.o")
    for t in $TARGETS; do
        [ "$t" = scheme_text ] && continue
        local type=${t%_*} mode=${t##*_} bin=0
        [ "$mode" = recv ] && bin=1
        $CC $CFLAGS -fsanitize=fuzzer-no-link -DFUZZ_TYPE="$type" -DFUZZ_BINARY=$bin \
            -c fuzz/targets.c -o "$BUILD/obj/target_$t.o" || exit 1
    done
    # Backend functions the objects reference but no fuzzed path reaches
    # (numeric arithmetic, hashing, aggregates, SRFs...): generated stubs
    # that abort with the function's name if ever called.
    local first=${ctargets%% *} added=1 sym o
    : >"$BUILD/autostubs.c"
    while [ $added -eq 1 ]; do
        added=0
        $CC $SAN -fsanitize=fuzzer "${objs[@]}" "$BUILD/obj/target_$first.o" \
            -o "$BUILD/$first" -lm 2>"$BUILD/link.log"
        for sym in $(grep -o "undefined reference to \`[A-Za-z_][A-Za-z0-9_]*'" "$BUILD/link.log" |
                         sed "s/undefined reference to \`\(.*\)'/\1/" | sort -u); do
            for o in "$BUILD"/obj/src_*.o; do
                case " ${objs[*]} " in *" $o "*) continue ;; esac
                if nm --defined-only "$o" 2>/dev/null | grep -qE " [TD] $sym\$"; then
                    objs+=("$o"); added=1; log "linking $(basename "$o" .o | sed 's/^src_/src\//').c for $sym"
                    break
                fi
            done
        done
    done
    {
        echo '/* generated by tools/fuzz.sh: backend functions no fuzzed path calls */'
        echo 'extern void fuzz_unstubbed(const char *name) __attribute__((noreturn));'
        grep -o "undefined reference to \`[A-Za-z_][A-Za-z0-9_]*'" "$BUILD/link.log" |
            sed "s/undefined reference to \`\(.*\)'/\1/" | sort -u |
            while read -r f; do
                echo "void $f(void); void $f(void) { fuzz_unstubbed(\"$f\"); }"
            done
    } >"$BUILD/autostubs.c"
    $CC -g -O1 -c "$BUILD/autostubs.c" -o "$BUILD/obj/autostubs.o" || exit 1
    objs+=("$BUILD/obj/autostubs.o")
    log "$(grep -c '^void' "$BUILD/autostubs.c") backend functions stubbed as unreachable"
    build_scheme
    for t in $ctargets; do
        $CC $SAN -fsanitize=fuzzer "${objs[@]}" "$BUILD/obj/target_$t.o" -o "$BUILD/$t" -lm \
            >"$BUILD/link.log" 2>&1 || { cat "$BUILD/link.log" >&2; exit 1; }
    done
}

build_scheme() {
    case " $(echo $TARGETS) " in
        *" scheme_text "*)
            $CC $SAN -fsanitize=fuzzer -g -O1 -Wall -I"$(pg_config --includedir)" \
                fuzz/scheme_sql.c -o "$BUILD/scheme_text" -lpq || exit 1 ;;
    esac
}

# scheme_text drives a live server: a throwaway cluster with the extension
# (installed into the PostgreSQL of pg_config, as `make test` does).
start_scheme_server() {
    . tools/cluster.sh
    REQUIRED_PACKAGES="postgresql-15 postgresql-server-dev-15" ensure_packages
    build_install
    start_cluster
    psql -q -X -c 'CREATE EXTENSION integrity' >/dev/null || exit 1
}

# the first line that names what went wrong in a target's report
signature() {
    grep -m1 -hoE '==FUZZ INVARIANT== [a-z]+: [^:"]*|SUMMARY: (Address|UndefinedBehavior)Sanitizer: .*|ERROR: libFuzzer: (timeout|out-of-memory).*' "$1" |
        sed -E 's/ \(.*BuildId[^)]*\)//; s/0x[0-9a-f]+/0x.../g' | cut -c1-160
}

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=0

# Reproducers of past findings (fuzz/corpus/<target>/finding-*): each is run
# alone and reported as fixed or still open.
replay() {
    local t=$1 f open=0 total=0
    for f in "$ROOT"/fuzz/corpus/"$t"/finding-*; do
        [ -e "$f" ] || continue
        total=$((total + 1))
        if ! "$BUILD/$t" "$f" >"$BUILD/replay.log" 2>&1; then
            open=$((open + 1))
            printf '    open reproducer %s: %s\n' "${f#$ROOT/}" "$(signature "$BUILD/replay.log")"
        fi
    done
    REPLAY_OPEN=$open REPLAY_TOTAL=$total
}

run() {
    local t=$1 seeds=$ROOT/fuzz/corpus/$1 work=$BUILD/corpus/$1 out=$BUILD/findings/$1
    local dict=$ROOT/fuzz/dict/${1%_*}.dict opts=() t0=$SECONDS execs rate f sig
    mkdir -p "$seeds" "$work" "$out"
    rm -f "$out"/*
    [ -f "$dict" ] && opts+=("-dict=$dict")
    replay "$t"
    # With a known defect still open (a reproducer fails), fork mode: a
    # finding is saved and the run goes on, so the open defect does not hide
    # the next one.  Otherwise one process (faster), stopping at a finding.
    if [ "$REPLAY_OPEN" -gt 0 ]; then
        opts+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    else
        opts+=(-print_final_stats=1)
    fi
    "$BUILD/$t" -max_total_time="$SECONDS_PER_TARGET" -runs="$RUNS" -max_len=4096 \
        -timeout=10 -rss_limit_mb=2048 "${opts[@]}" \
        -artifact_prefix="$out/" "$work" "$seeds" >"$BUILD/$t.log" 2>&1
    if [ "$REPLAY_OPEN" -gt 0 ]; then
        execs=$(grep -oE '^#[0-9]+: cov' "$BUILD/$t.log" | tail -1 | tr -dc 0-9)
    else
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/$t.log" | tail -1)
        # stopped at a finding: the last status line (#N ...)
        [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$BUILD/$t.log" | tail -1 | tr -dc 0-9)
    fi
    execs=${execs:-0}
    rate=$(( execs / ( SECONDS - t0 > 0 ? SECONDS - t0 : 1 ) ))
    : >"$BUILD/$t.findings"
    for f in "$out"/*; do
        [ -e "$f" ] || continue
        "$BUILD/$t" "$f" >"$BUILD/replay.log" 2>&1
        sig=$(signature "$BUILD/replay.log")
        printf '%s\t%s\n' "${sig:-unknown}" "$f" >>"$BUILD/$t.findings"
    done
    local nf
    nf=$(cut -f1 "$BUILD/$t.findings" | sort -u | grep -c .)
    printf '%-16s %12s executions %6d s %8s/s  %d new finding(s), %d/%d reproducers open\n' \
        "$t" "$execs" $((SECONDS - t0)) "$rate" "$nf" "$REPLAY_OPEN" "$REPLAY_TOTAL"
    sort -t$'\t' -k1,1 -u "$BUILD/$t.findings" | while IFS=$'\t' read -r sig f; do
        printf '    %s\n      e.g. %s\n' "$sig" "${f#$ROOT/}"
    done
    [ "$nf" -eq 0 ] && [ "$REPLAY_OPEN" -eq 0 ]
}

ensure_packages
build
case " $(echo $TARGETS) " in *" scheme_text "*) start_scheme_server ;; esac
failed=0
for t in $TARGETS; do
    run "$t" || failed=$((failed + 1))
done
echo "fuzz: $(echo $TARGETS | wc -w) targets, $failed with findings"
[ "$failed" -eq 0 ]
