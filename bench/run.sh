#!/usr/bin/env bash
# bench/run.sh — `make bench`: every benchmark, each against its plain-SQL
# alternative measured in the same run.
#
# Starts a throwaway cluster sized for this machine, creates the database
# integrity_bench and sources each bench/bench_*.sh in order (BENCH_ONLY="NAME ..."
# runs only bench/bench_NAME.sh for each NAME).  Every result is a line
#   BENCH <name> ours=<ms> baseline=<ms> ratio=<baseline/ours>
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh
. bench/lib.sh

ensure_packages
build_install
start_cluster "shared_buffers = 4GB" "max_parallel_workers_per_gather = 2" \
    "checkpoint_timeout = 30min" "max_wal_size = 16GB" "jit = off"
psql -X -q -d postgres -c "CREATE DATABASE $BENCH_DB" >/dev/null
bench_sql 'CREATE EXTENSION integrity'

for b in bench/bench_*.sh; do
    name=${b#bench/bench_}; name=${name%.sh}
    [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $name "* ]] || continue
    log "bench $name"
    . "$b"
done
