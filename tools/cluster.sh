# tools/cluster.sh — shared set-up for `make test`, `make demo` and `make bench`.
#
# Sourced, not run.  Provides:
#   ensure_packages   install the Debian packages the project needs (as root;
#                     otherwise print the exact command and stop)
#   build_install     build and install the extension with PGXS
#   start_cluster     start a throwaway PostgreSQL 15 cluster in a temporary
#                     directory, as an unprivileged user when run as root;
#                     exports PGHOST, PGPORT, PGUSER for the caller
#   start_cluster_faketime  the same with the clock moved to $FAKETIME
#   make_standby      a hot standby of it (pg_basebackup -R), not started
#   stop_cluster      stop it and remove the directory (installed as an EXIT
#                     trap by start_cluster, so it runs even on failure)
#   as_owner CMD...   run CMD as the cluster's owner

PG_BINDIR=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
REQUIRED_PACKAGES=${REQUIRED_PACKAGES:-"postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libicu-dev pkg-config"}

log() { printf '== %s\n' "$*" >&2; }

ensure_packages() {
    local missing=() p
    for p in $REQUIRED_PACKAGES "$@"; do
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
    if ! apt-get install -y -qq "${missing[@]}" >/tmp/integrity-apt.log 2>&1; then
        apt-get update -qq >>/tmp/integrity-apt.log 2>&1
        apt-get install -y -qq "${missing[@]}" >>/tmp/integrity-apt.log 2>&1 || {
            tail -20 /tmp/integrity-apt.log >&2; exit 1; }
    fi
    PG_BINDIR=$(pg_config --bindir)
}

build_install() {
    log "building and installing the extension"
    make -s -j2 >/tmp/integrity-build.log 2>&1 || { cat /tmp/integrity-build.log >&2; exit 1; }
    if [ "$(id -u)" -ne 0 ] && [ ! -w "$(pg_config --pkglibdir)" ]; then
        echo "cannot install into $(pg_config --pkglibdir); run: sudo make install" >&2
        exit 1
    fi
    make -s install >>/tmp/integrity-build.log 2>&1 || { cat /tmp/integrity-build.log >&2; exit 1; }
}

CLUSTER_DIR=
CLUSTER_OWNER=

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$CLUSTER_OWNER" -- "$@"
    else
        "$@"
    fi
}

pick_port() {
    local port
    for port in $(seq $((54000 + $$ % 1000)) 55999); do
        if ! (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$port" ]; then
            echo "$port"; return
        fi
    done
    echo "no free port" >&2; exit 1
}

# start_cluster [extra postgres -c settings...]
start_cluster() {
    if [ "$(id -u)" -eq 0 ]; then
        CLUSTER_OWNER=postgres
        id "$CLUSTER_OWNER" >/dev/null 2>&1 || useradd --system --no-create-home "$CLUSTER_OWNER"
    else
        CLUSTER_OWNER=$(id -un)
    fi
    CLUSTER_DIR=$(mktemp -d /tmp/integrity-pg.XXXXXX)
    chmod 755 "$CLUSTER_DIR"
    [ "$(id -u)" -eq 0 ] && chown "$CLUSTER_OWNER" "$CLUSTER_DIR"
    trap stop_cluster EXIT
    local port; port=$(pick_port)
    as_owner "$PG_BINDIR/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
        --no-sync -E UTF8 --locale=C >"$CLUSTER_DIR/initdb.log" 2>&1 || {
        cat "$CLUSTER_DIR/initdb.log" >&2; exit 1; }
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = '$CLUSTER_DIR'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "max_worker_processes = 8"
        echo "max_parallel_workers = 4"
        local s; for s in "$@"; do echo "$s"; done
    } >>"$CLUSTER_DIR/data/postgresql.conf"
    as_owner ${CLUSTER_WRAPPER:-} "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w start >/dev/null || {
        cat "$CLUSTER_DIR/server.log" >&2; exit 1; }
    export PGHOST=$CLUSTER_DIR PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    log "throwaway cluster on port $port in $CLUSTER_DIR"
}

# start_cluster_faketime [settings...]: the same, the server's clock moved by
# libfaketime to $FAKETIME (e.g. +400d; Debian package faketime).  The
# library is preloaded directly: the faketime command waits for every process
# its child leaves behind, so `faketime pg_ctl start` never returns.  The
# monotonic clock is left alone (timeouts and latches keep real time).
start_cluster_faketime() {
    local lib; lib=$(dpkg -L faketime libfaketime 2>/dev/null | grep -m1 '/libfaketime\.so\.1$')
    [ -n "$lib" ] || { echo "libfaketime not found (Debian package faketime)" >&2; exit 1; }
    CLUSTER_WRAPPER="env LD_PRELOAD=$lib FAKETIME=$FAKETIME DONT_FAKE_MONOTONIC=1" start_cluster "$@"
}

# make_standby DIR PORT: a hot standby of the running cluster in DIR
# (pg_basebackup -R, streaming), to listen on PORT; start it with pg_ctl
make_standby() {
    as_owner "$PG_BINDIR/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U postgres -D "$1" -R -X stream || return 1
    printf 'port = %s\nhot_standby = on\n' "$2" >>"$1/postgresql.conf"
}

stop_cluster() {
    [ -n "$CLUSTER_DIR" ] || return 0
    as_owner "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=
}
