#!/usr/bin/env bash
# tools/sanitize.sh — `make sanitize`: the whole test suite under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
# Preloading the sanitizer runtime into the packaged server deadlocks it at
# startup, so this builds its own server: PostgreSQL 15 from the Debian
# source package (apt-get source postgresql-15), configured with
# --enable-cassert --enable-debug and compiled with -fsanitize=address,undefined,
# installed into a cache directory ($SANITIZE_CACHE, default
# /var/cache/integrity-sanitize) and reused on later runs.  pgTAP is pure SQL:
# its packaged scripts are copied into that server.
#
# Then it builds the extension with the same flags against that server (in a
# copy of the tree, so the normal build is untouched), starts a throwaway
# cluster, runs pg_regress (sql/), the isolation tests (specs/) and pgTAP
# (test/*.sql), and fails on any failed test or any sanitizer report (the
# reports go to $SANITIZE_CACHE/reports/run-*/ and into the server log).
#
#   bash tools/sanitize.sh            build what is missing, run the suite
#   bash tools/sanitize.sh --build    only build the server
#
# Measured on the shared 2-core machine: the server build takes about
# 25 minutes once; a run of the suite a few minutes (see README).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CACHE=${SANITIZE_CACHE:-/var/cache/integrity-sanitize}
PREFIX=$CACHE/install
SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
# Build-time tools (zic, configure probes) are sanitized too: no leak checks.
export ASAN_OPTIONS=detect_leaks=0
export UBSAN_OPTIONS=print_stacktrace=1

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'sanitize: %s\n' "$*" >&2; exit 1; }

ensure_build_packages() {
    local need=(dpkg-dev gcc make perl bison flex libreadline-dev zlib1g-dev
                libicu-dev pkg-config postgresql-15-pgtap
                libtap-parser-sourcehandler-pgtap-perl) missing=() p
    for p in "${need[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages: sudo apt-get install -y ${missing[*]}"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/tmp/integrity-sanitize-apt.log 2>&1 || {
        apt-get update -qq >>/tmp/integrity-sanitize-apt.log 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>/tmp/integrity-sanitize-apt.log 2>&1 ||
            { tail -20 /tmp/integrity-sanitize-apt.log >&2; exit 1; }
    }
}

# apt-get source needs a deb-src line; add one for the suites of the
# existing deb lines (deb822 or one-line format) if there is none.
ensure_deb_src() {
    if grep -rqsE '^\s*(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        return 0
    fi
    [ "$(id -u)" -eq 0 ] || die "no deb-src line in /etc/apt; add one for bookworm and run apt-get update"
    log "adding a deb-src line for bookworm"
    cat >/etc/apt/sources.list.d/integrity-sanitize-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt-get update -qq >/tmp/integrity-sanitize-apt.log 2>&1 || { tail -20 /tmp/integrity-sanitize-apt.log >&2; exit 1; }
}

# contrib modules the suite creates (CREATE EXTENSION in sql/, test/,
# specs/, demo/), built with the same flags from the same source tree
install_contrib() {
    local m
    for m in $(grep -rhoiE 'CREATE EXTENSION (IF NOT EXISTS )?[a-z_0-9]+' "$ROOT"/sql "$ROOT"/test \
                   "$ROOT"/specs "$ROOT"/demo 2>/dev/null | awk '{print tolower($NF)}' | sort -u); do
        [ -d "$CACHE/build/contrib/$m" ] || continue
        [ -f "$PREFIX/share/postgresql/extension/$m.control" ] && continue
        log "building contrib/$m"
        make -C "$CACHE/build/contrib/$m" -s install >>"$CACHE/build.log" 2>&1 ||
            { tail -20 "$CACHE/build.log" >&2; exit 1; }
    done
}

install_pgtap() {
    mkdir -p "$PREFIX/share/postgresql/extension"
    cp /usr/share/postgresql/15/extension/pgtap* "$PREFIX/share/postgresql/extension/" || die "cannot copy pgTAP"
}

# Debian's patch 50-per-version-dirs pins pkglibdir to the system's
# /usr/lib/postgresql/15/lib whatever the prefix: `make install` would
# overwrite the packaged server's modules and PGXS.  Point it into the
# prefix, and refuse to install if any directory of the build lies outside.
pin_dirs() {
    sed -i -E "s|^override pkglibdir := .*|override pkglibdir := $PREFIX/lib/postgresql|" \
        "$CACHE/build/src/Makefile.global"
}

check_dirs() {
    local d bad=0
    for d in $(sed -n 's/^#define [A-Z]* "\(.*\)"$/\1/p' "$CACHE/build/src/port/pg_config_paths.h") \
             $(sed -n 's/^override pkglibdir := //p' "$CACHE/build/src/Makefile.global"); do
        case "$d" in
            "$PREFIX"/*) ;;
            *) echo "sanitize: build directory $d lies outside $PREFIX" >&2; bad=1 ;;
        esac
    done
    [ $bad -eq 0 ] || die "refusing to install"
}

build_server() {
    if [ -x "$PREFIX/bin/postgres" ] && [ -x "$PREFIX/lib/postgresql/pgxs/src/test/isolation/pg_isolation_regress" ]; then
        log "sanitizer server cached in $PREFIX ($("$PREFIX/bin/postgres" --version))"
        [ -f "$PREFIX/share/postgresql/extension/pgtap.control" ] || { ensure_build_packages; install_pgtap; }
        install_contrib
        return 0
    fi
    ensure_build_packages
    ensure_deb_src
    mkdir -p "$CACHE/src"
    local srcdir
    srcdir=$(find "$CACHE/src" -maxdepth 1 -type d -name 'postgresql-15-*' | head -1)
    if [ -z "$srcdir" ]; then
        log "fetching the Debian source package postgresql-15"
        # Newest first; a mirror may lack one suite's sources (the security
        # suite often serves binaries only), so fall back to the next version.
        local v ok=
        for v in $(apt-cache showsrc postgresql-15 | awk '/^Version:/ {print $2}' | sort -rV); do
            if (cd "$CACHE/src" && apt-get source -qq "postgresql-15=$v" >>"$CACHE/src/apt-source.log" 2>&1); then
                ok=$v; break
            fi
        done
        [ -n "$ok" ] || { tail -20 "$CACHE/src/apt-source.log" >&2; exit 1; }
        log "source package postgresql-15 $ok"
        srcdir=$(find "$CACHE/src" -maxdepth 1 -type d -name 'postgresql-15-*' | head -1)
    fi
    [ -n "$srcdir" ] || die "no source tree under $CACHE/src"
    local t0=$SECONDS
    log "configuring $srcdir (cassert, debug, $SAN_FLAGS)"
    mkdir -p "$CACHE/build"
    (cd "$CACHE/build" &&
        "$srcdir/configure" --prefix="$PREFIX" --enable-cassert --enable-debug \
            --with-icu --without-llvm --without-systemd \
            CC=gcc CFLAGS="-O1 -g $SAN_FLAGS" LDFLAGS="$SAN_FLAGS" \
            >"$CACHE/configure.log" 2>&1) || { tail -30 "$CACHE/configure.log" >&2; exit 1; }
    pin_dirs
    log "building (make -j${SANITIZE_JOBS:-2}); log in $CACHE/build.log"
    (cd "$CACHE/build" &&
        make -j"${SANITIZE_JOBS:-2}" -s >"$CACHE/build.log" 2>&1) ||
        { tail -40 "$CACHE/build.log" >&2; exit 1; }
    check_dirs
    (cd "$CACHE/build" &&
        make -s install >>"$CACHE/build.log" 2>&1 &&
        make -C src/test/isolation -s install >>"$CACHE/build.log" 2>&1 &&
        make -C src/test/regress -s install >>"$CACHE/build.log" 2>&1) ||
        { tail -40 "$CACHE/build.log" >&2; exit 1; }
    install_contrib
    # pgTAP: the packaged extension is SQL only.
    install_pgtap
    log "server built in $((SECONDS - t0)) s"
}

run_suite() {
    export PATH=$PREFIX/bin:$PATH
    local t0=$SECONDS work
    work=$(mktemp -d /tmp/integrity-sanitize.XXXXXX)
    # A copy of the tree: the sanitized objects never mix with the normal build.
    tar -C "$ROOT" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        --exclude=results --exclude=output_iso --exclude='fuzz/build' -cf - . | tar -C "$work" -xf -
    cd "$work" || exit 1
    log "building the extension with $SAN_FLAGS against $PREFIX"
    make -s -j2 PG_CONFIG="$PREFIX/bin/pg_config" COPT="$SAN_FLAGS" >build.log 2>&1 &&
        make -s install PG_CONFIG="$PREFIX/bin/pg_config" >>build.log 2>&1 || { cat build.log >&2; exit 1; }

    local reports=$CACHE/reports/run-$(date +%Y%m%d-%H%M%S)
    mkdir -p "$reports"
    chmod 1777 "$CACHE/reports" "$reports"
    # The server and every backend: report to files, stop at the first
    # error, with stack traces; no leak check (the postmaster never frees
    # its startup allocations, by design).
    export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:print_stacktrace=1:log_path=$reports/asan:detect_stack_use_after_return=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"

    REQUIRED_PACKAGES="libtap-parser-sourcehandler-pgtap-perl"
    . tools/cluster.sh
    PG_BINDIR=$PREFIX/bin
    start_cluster
    local failed=0 passed=0 out=$work/out
    mkdir -p "$out"

    # pg_regress and the isolation tests as two runs, so that a failure in
    # one does not skip the other
    local part
    for part in regress isolation; do
        log "$part"
        if [ $part = regress ]; then
            make -s installcheck PG_CONFIG="$PREFIX/bin/pg_config" ISOLATION= >"$out/$part.out" 2>&1
        else
            make -s installcheck PG_CONFIG="$PREFIX/bin/pg_config" REGRESS= >"$out/$part.out" 2>&1
        fi
        grep -E '\.\.\. |tests (passed|failed)' "$out/$part.out"
        passed=$((passed + $(grep -Ec '\.\.\. ok' "$out/$part.out")))
        failed=$((failed + $(grep -Ec '\.\.\. FAILED' "$out/$part.out")))
    done
    [ -f regression.diffs ] && head -100 regression.diffs
    [ -f output_iso/regression.diffs ] && head -100 output_iso/regression.diffs

    log "pgTAP"
    psql -q -X -d postgres -c 'CREATE DATABASE integrity_tap' >/dev/null
    psql -q -X -d integrity_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION integrity' >/dev/null
    local rc bad
    pg_prove --verbose -d integrity_tap test/*.sql >"$out/tap.out" 2>&1
    rc=$?
    grep -E '^\s*not ok|^Files=|^Result|\.\. ' "$out/tap.out" | head -60
    bad=$(grep -Ec '^\s*not ok [0-9]+' "$out/tap.out")
    passed=$((passed + $(grep -Ec '^\s*ok [0-9]+' "$out/tap.out")))
    failed=$((failed + bad))
    [ $rc -ne 0 ] && [ "$bad" -eq 0 ] && failed=$((failed + 1))

    cp "$CLUSTER_DIR/server.log" "$reports/server.log"
    stop_cluster
    cd "$ROOT" && rm -rf "$work"

    # sanitizer reports, failed assertions (TRAP) and crashed backends
    local n
    n=$(grep -lE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|TRAP: |terminated by signal' \
            "$reports"/* 2>/dev/null | wc -l)
    if [ "$n" -gt 0 ]; then
        log "sanitizer reports:"
        grep -hE -A30 'ERROR: AddressSanitizer|runtime error:|TRAP: |terminated by signal' "$reports"/* | head -120
    fi
    log "suite ran in $((SECONDS - t0)) s; reports and server log in $reports"
    echo "sanitize: $passed passed, $failed failed, $n files with sanitizer reports"
    [ "$failed" -eq 0 ] && [ "$n" -eq 0 ]
}

build_server
[ "${1:-}" = "--build" ] && exit 0
run_suite
