# tools/tap.sh — TAP helpers of the script tests (test/*.sh).  Sourced after
# the script has set $work (a scratch directory); counts in $n and $bad.
#   check DESCRIPTION COMMAND...   run COMMAND: "ok N - DESCRIPTION", or
#                                  "not ok N - ..." with its output as comments
#   q ARGS...                      psql, quiet, stopping at the first error
#   qt ARGS...                     the same, unaligned tuples only
#   val ARGS...                    psql's unaligned tuples, stopping at an error
#   equals GOT WANT                fails, saying both, unless GOT = WANT
#   createdb_enc NAME ENCODING     (re)create database NAME in ENCODING, C locale
n=0 bad=0
check() {
    local what=$1; shift
    n=$((n + 1))
    if "$@" >"$work/check.out" 2>&1; then
        echo "ok $n - $what"
    else
        echo "not ok $n - $what"; sed 's/^/#   /' "$work/check.out" | head -60
        bad=$((bad + 1))
    fi
}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
qt() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
val() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
equals() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }
createdb_enc() {   # createdb_enc NAME ENCODING
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1 ENCODING '$2' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
}
