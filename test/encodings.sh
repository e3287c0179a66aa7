#!/usr/bin/env bash
# test/encodings.sh — the server encodings the extension supports.
#
# Supported: UTF8 and EUC_CN (GB2312 holds every Chinese name the extension
# uses).  GB18030 and GBK are client encodings only (PostgreSQL cannot run a
# server in them) and PostgreSQL converts them to and from UTF8 only, so a
# GB18030 client needs a UTF8 database; an EUC_CN database serves UTF8 and
# EUC_CN clients.  Every other server encoding is refused by CREATE
# EXTENSION.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser), one database
# per encoding (LC_COLLATE/LC_CTYPE 'C', TEMPLATE template0):
#   UTF8, EUC_CN: CREATE EXTENSION works (1.1, and 1.0 then UPDATE); the
#     Chinese aliases of the C code match (indicator classes, assessors, the
#     red-line dimension of portraits), portrait_default_dimensions() and the
#     error hints come back as the right characters, from every client
#     encoding PostgreSQL converts to the server's (UTF8 server: UTF8,
#     GB18030, GBK, EUC_CN clients; EUC_CN server: UTF8 and EUC_CN clients);
#   LATIN1, SQL_ASCII: CREATE EXTENSION is refused, naming the encoding.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-encodings.XXXXXX)
dbs="integrity_enc_utf8 integrity_enc_euccn integrity_enc_latin1 integrity_enc_sqlascii integrity_enc_euccn10"
cleanup() {
    for db in $dbs; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
    rm -rf "$work"
}
trap cleanup EXIT
n=0 bad=0
ok() {     # ok DESCRIPTION CONDITION-EXIT-STATUS [diagnostics file]
    n=$((n + 1))
    if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else
        echo "not ok $n - $1"; [ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -30; bad=$((bad + 1)); fi
}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

. tools/tap.sh   # createdb_enc

# The checks, written in UTF-8; each line of output is "name|value".
cat >"$work/checks.sql" <<'SQL'
\pset format unaligned
\pset tuples_only on
SELECT 'class_zh|' || iscore_agg(c, p)::text
FROM (VALUES ('基础项', 40), ('基础项', 38.5), ('加分项', 2), ('红线项', 1)) t(c, p);
SELECT 'class_en|' || iscore_agg(c, p)::text
FROM (VALUES ('basic', 40), ('basic', 38.5), ('bonus', 2), ('redline', 1)) t(c, p);
SELECT 'assessor_zh|' || score(assess(a, s, scheme()))::text
FROM (VALUES ('机构自评', '90+2'::iscore), ('检查组考评', '80+1'), ('第三方测评', '85+0')) t(a, s);
SELECT 'assessor_score_zh|' || assessor_score(assess(a, s, scheme()), '检查组考评')::text
FROM (VALUES ('self', '90+2'::iscore), ('inspection', '80+1')) t(a, s);
SELECT 'redline_dim|' || portrait_redlines(portrait(d, p, at))
FROM (VALUES ('红线', -5, timestamptz '2024-01-01 00:00+00'), ('清廉建设', 2, '2024-01-02 00:00+00')) t(d, p, at);
SELECT 'dimensions|' || array_to_string(portrait_default_dimensions(), ',');
SELECT 'dimension_lengths|' || string_agg(length(d)::text, ',') FROM unnest(portrait_default_dimensions()) d;
SELECT 'comment_base|' || obj_description('base(iscore)'::regprocedure, 'pg_proc');
SELECT 'comment_portrait|' || obj_description('portrait(text, numeric, timestamptz)'::regprocedure, 'pg_proc');
\set VERBOSITY verbose
\set ON_ERROR_STOP off
SELECT iscore_agg(c, 1) FROM (VALUES ('基础')) t(c);
SELECT assess('自评', '1+0', scheme());
SQL
cat >"$work/expected.txt" <<'TXT'
class_zh|78.50+2.00!1
class_en|78.50+2.00!1
assessor_zh|83.50+0.90
assessor_score_zh|80.00+1.00
redline_dim|1
dimensions|清廉建设,清廉宣传,员工管理,合规建设,纪检监察,重点工作,红线,黑名单
dimension_lengths|4,4,4,4,4,4,2,3
comment_base|basic points (基础项) of a score
comment_portrait|integrity portrait of the event rows; events in dimension 红线 are red-line hits
HINT:  Use 'basic' (基础项), 'bonus' (加分项) or 'redline' (红线项).
HINT:  Use 'self' (机构自评), 'inspection' (检查组考评) or 'third_party' (第三方测评).
TXT

run_checks() {   # run_checks DB CLIENT_ENCODING -> normalised output on stdout
    local db=$1 enc=$2
    if [ "$enc" = UTF8 ]; then
        PGCLIENTENCODING=UTF8 psql -X -q -d "$db" -f "$work/checks.sql" 2>&1
    else
        local ienc=${enc//_/-}    # iconv's spelling: EUC-CN
        iconv -f UTF-8 -t "$ienc" "$work/checks.sql" >"$work/checks.$enc.sql"
        PGCLIENTENCODING=$enc psql -X -q -d "$db" -f "$work/checks.$enc.sql" 2>&1 | iconv -f "$ienc" -t UTF-8
    fi | grep -E '^[a-z_]+\||^HINT:' | sed 's/^psql:[^ ]* //'
}

for spec in "integrity_enc_utf8 UTF8 UTF8 GB18030 GBK EUC_CN" "integrity_enc_euccn EUC_CN UTF8 EUC_CN"; do
    set -- $spec; db=$1; enc=$2; shift 2; clients=$*
    createdb_enc "$db" "$enc"
    q -d "$db" -c "CREATE EXTENSION integrity" >"$work/create.out" 2>&1
    ok "$enc: CREATE EXTENSION integrity" $? "$work/create.out"
    for client in $clients; do
        run_checks "$db" "$client" >"$work/got.txt"
        diff -u "$work/expected.txt" "$work/got.txt" >"$work/diff.txt"
        ok "$enc server, $client client: Chinese aliases match, names and hints come back intact" $? "$work/diff.txt"
    done
done

# 1.0 installs in EUC_CN too (its script is converted) and updates to 1.1
createdb_enc integrity_enc_euccn10 EUC_CN
q -d integrity_enc_euccn10 -c "CREATE EXTENSION integrity VERSION '1.0'" -c "ALTER EXTENSION integrity UPDATE" \
    >"$work/update.out" 2>&1
ok "EUC_CN: CREATE EXTENSION integrity VERSION '1.0', then ALTER EXTENSION UPDATE" $? "$work/update.out"
run_checks integrity_enc_euccn10 UTF8 >"$work/got.txt"
diff -u "$work/expected.txt" "$work/got.txt" >"$work/diff.txt"
ok "EUC_CN, updated from 1.0: the same answers" $? "$work/diff.txt"

for spec in "integrity_enc_latin1 LATIN1" "integrity_enc_sqlascii SQL_ASCII"; do
    set -- $spec; db=$1; enc=$2
    createdb_enc "$db" "$enc"
    q -d "$db" -c "CREATE EXTENSION integrity" >"$work/create.out" 2>&1
    rc=$?
    [ $rc -ne 0 ] && grep -q "$enc" "$work/create.out"
    ok "$enc: CREATE EXTENSION integrity is refused, naming the encoding" $? "$work/create.out"
    test "$(psql -X -qAt -d "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'integrity'")" = 0
    ok "$enc: nothing is left installed" $?
done
grep -q 'does not support the server encoding SQL_ASCII' "$work/create.out"
ok "SQL_ASCII: the refusal says the encoding is not supported" $? "$work/create.out"

# the refusal is the script's own check (0A000), in LATIN1 too: the script
# is ASCII, so its conversion from UTF-8 cannot fail (22P05) before it runs
for enc in LATIN1 SQL_ASCII; do
    db=integrity_enc_$(echo $enc | tr 'A-Z' 'a-z' | tr -d _)
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
        -c '\set VERBOSITY verbose' -c "CREATE EXTENSION integrity" >"$work/create.out" 2>&1
    grep -q "ERROR:  0A000: extension \"integrity\" does not support the server encoding $enc" "$work/create.out"
    ok "$enc: CREATE EXTENSION fails with the encoding check's 0A000" $? "$work/create.out"
done
LC_ALL=C grep -nP '[^\x00-\x7F]' "$(pg_config --sharedir)/extension/integrity--$(sed -n "s/^default_version = '\(.*\)'/\1/p" integrity.control).sql" >"$work/nonascii.txt"
[ $? -eq 1 ]
ok "the install script is ASCII" $? "$work/nonascii.txt"

echo "1..$n"
[ "$bad" -eq 0 ]
