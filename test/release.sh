#!/usr/bin/env bash
# test/release.sh — the files of a release agree with each other: META.json
# is a valid PGXN distribution description (Meta Spec 1.0.0: the required
# keys and no key the spec does not define except x_ ones, a semantic
# version equal to the control file's default_version, a license, a
# maintainer with a contact, resources of the spec's shape, provides with
# the extension script make builds and the same version), its
# release_status agrees with CHANGELOG.md (testing or unstable while the
# version is unreleased, stable once dated), the LICENSE is the PostgreSQL
# License, CHANGELOG.md has a section for the version, and every released
# version names the commit it was completed at, whose src/*.sql are exactly
# that version's frozen script.  JSON is parsed by the server (jsonb) on
# PGHOST/PGPORT.
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
check "META.json has only keys Meta Spec 1.0.0 defines (or x_ keys)" \
    test "$(meta "(SELECT coalesce(string_agg(k, ' '), 'none') FROM jsonb_object_keys(m) k WHERE k NOT IN ('name','abstract','description','version','maintainer','license','provides','meta-spec','prereqs','release_status','resources','generated_by','tags','no_index') AND k !~ '^[xX]_')
                || ' ' || (SELECT coalesce(string_agg(p.key || '.' || k, ' '), 'none') FROM jsonb_each(m->'provides') p, jsonb_object_keys(p.value) k WHERE k NOT IN ('file','version','abstract','docfile') AND k !~ '^[xX]_')
                || ' ' || (SELECT coalesce(string_agg(k, ' '), 'none') FROM jsonb_object_keys(coalesce(m->'resources', '{}')) k WHERE k NOT IN ('homepage','bugtracker','repository') AND k !~ '^[xX]_')
                || ' ' || (SELECT coalesce(string_agg(k, ' '), 'none') FROM jsonb_object_keys(coalesce(m->'resources'->'bugtracker', '{}')) k WHERE k NOT IN ('web','mailto') AND k !~ '^[xX]_')
                || ' ' || (SELECT coalesce(string_agg(k, ' '), 'none') FROM jsonb_object_keys(coalesce(m->'resources'->'repository', '{}')) k WHERE k NOT IN ('url','web','type') AND k !~ '^[xX]_')")" = "none none none none none"
check "META.json maintainer has a contact (name <address> or a URL)" \
    test "$(meta "(SELECT bool_and(x ~ '<[^<>@ ]+@[^<> ]+>|https?://') FROM jsonb_array_elements_text(CASE jsonb_typeof(m->'maintainer') WHEN 'array' THEN m->'maintainer' ELSE jsonb_build_array(m->'maintainer') END) x)")" = t
check "META.json resources say where to report bugs" \
    test "$(meta "(m->'resources'->'bugtracker') ?| ARRAY['web','mailto']")" = t
check "META.json provides.file is the extension script make builds (integrity--$ext.sql, DATA_built)" \
    bash -c "$(declare -f meta); test \"\$(meta \"m->'provides'->'integrity'->>'file'\")\" = 'integrity--$ext.sql' &&
             grep -q '^DATA_built *= *\$(EXTENSION)--\$(EXTVERSION).sql' Makefile && grep -q \"^EXTVERSION *= *$ext\\\$\" Makefile"
status=$(meta "m->>'release_status'")
if grep -q "^## $ext — unreleased" CHANGELOG.md; then want="testing|unstable"; else want="stable"; fi
check "META.json release_status ($status) agrees with CHANGELOG.md's $ext section ($want)" \
    bash -c "[[ '$status' =~ ^($want)\$ ]]"
# every released (dated) version: the commit it was completed at reproduces its frozen script
for v in $(sed -n 's/^## \([0-9.]*\) — [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$/\1/p' CHANGELOG.md); do
    c=$(awk -v v="$v" '$0 ~ "^## " v " " {f = 1; next} /^## / {f = 0} f && /^Completed at commit/ {print $4; exit}' CHANGELOG.md)
    check "CHANGELOG.md: $v names the commit it was completed at" test -n "$c"
    [ -n "$c" ] || continue
    if git cat-file -e "$c^{commit}" 2>/dev/null; then   # (a shallow clone may lack it)
        check "$v: src/*.sql of commit $c (Makefile's CONCEPTS order) are upgrade/integrity--$v.sql" \
            bash -c "for p in \$(git show $c:Makefile | sed -n 's/^CONCEPTS *= *//p'); do git show $c:src/\$p.sql 2>/dev/null; done | cmp - upgrade/integrity--$v.sql"
    fi
done
check "META.json names the documentation file and it exists" \
    test -f "$(meta "m->'provides'->'integrity'->>'docfile'")"
check "LICENSE is the PostgreSQL License of the integrity authors" \
    bash -c "grep -q '^PostgreSQL License' LICENSE && grep -q 'Copyright (c) [0-9]*, the integrity authors' LICENSE"
check "CHANGELOG.md has a section for $ext and one for 1.0" \
    bash -c "grep -q '^## $ext ' CHANGELOG.md && grep -q '^## 1.0 ' CHANGELOG.md"
echo "1..$n"
[ "$bad" -eq 0 ]
