#!/usr/bin/env bash
# test/release.sh — the files of a release agree with each other: META.json
# is a valid PGXN distribution description (Meta Spec 1.0.0: the required
# keys, a semantic version equal to the control file's default_version, a
# license, provides with an existing file and the same version), the
# LICENSE is the PostgreSQL License, CHANGELOG.md has a section for the
# version.  JSON is parsed by the server (jsonb) on PGHOST/PGPORT.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
n=0 bad=0
check() {   # check DESCRIPTION COMMAND...
    local what=$1; shift
    n=$((n + 1))
    if out=$("$@" 2>&1); then echo "ok $n - $what"
    else echo "not ok $n - $what"; sed 's/^/#   /' <<<"$out" | head -20; bad=$((bad + 1)); fi
}
ext=$(sed -n "s/^default_version = '\(.*\)'/\1/p" integrity.control)
meta() {   # meta SQL-EXPRESSION-OVER-m: evaluates it with m = META.json as jsonb
    echo "SELECT $1 FROM (SELECT :'meta'::jsonb AS m) j;" |
        psql -X -q -At -v ON_ERROR_STOP=1 -d postgres -v meta="$(cat META.json)"
}
check "META.json is a JSON object" test "$(meta "jsonb_typeof(m)")" = object
check "META.json has the required keys" \
    test "$(meta "(SELECT coalesce(string_agg(k, ' ' ORDER BY k), 'none missing') FROM unnest(ARRAY['name','abstract','version','maintainer','license','provides','meta-spec']) k WHERE NOT m ? k)")" = "none missing"
check "META.json follows Meta Spec 1.0.0" test "$(meta "m->'meta-spec'->>'version'")" = 1.0.0
check "META.json version is semantic and is the control file's $ext" \
    test "$(meta "m->>'version'")" = "$ext.0"
check "META.json license is postgresql" test "$(meta "m->>'license'")" = postgresql
check "META.json release_status is stable, testing or unstable" \
    test "$(meta "m->>'release_status' IN ('stable', 'testing', 'unstable')")" = t
check "META.json provides integrity, version $ext.0, from a file of the distribution" \
    bash -c "$(declare -f meta); test \"\$(meta \"m->'provides'->'integrity'->>'version'\")\" = '$ext.0' &&
             test -f \"\$(meta \"m->'provides'->'integrity'->>'file'\")\""
check "META.json names the documentation file and it exists" \
    test -f "$(meta "m->'provides'->'integrity'->>'docfile'")"
check "LICENSE is the PostgreSQL License of the integrity authors" \
    bash -c "grep -q '^PostgreSQL License' LICENSE && grep -q 'Copyright (c) [0-9]*, the integrity authors' LICENSE"
check "CHANGELOG.md has a section for $ext and one for 1.0" \
    bash -c "grep -q '^## $ext ' CHANGELOG.md && grep -q '^## 1.0 ' CHANGELOG.md"
echo "1..$n"
[ "$bad" -eq 0 ]
