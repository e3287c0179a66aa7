#!/usr/bin/env bash
# test/portrait_encoding.sh — portraits in a database whose server encoding
# is not UTF-8.
#
# The extension's scripts are UTF-8 (integrity.control: encoding = UTF8), so
# CREATE EXTENSION converts their Chinese literals — the default dimensions,
# the comments — into the database encoding; src/portrait.c converts its one
# literal, the red-line dimension 红线, from UTF-8 once per backend.  This
# test creates an EUC_CN database (the GB2312 server encoding of mainland
# Chinese installations) and checks, through a UTF-8 client and an EUC_CN
# one (no conversion: the bytes as stored), that the names come out right and
# 红线 is recognised; and
# that a LATIN1 database, which cannot hold those characters, refuses the
# extension instead of installing mojibake.
# On the server that PGHOST/PGPORT/PGUSER name (a superuser); TAP lines.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-encoding.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS integrity_euc_cn" -c "DROP DATABASE IF EXISTS integrity_latin1" >/dev/null 2>&1; rm -rf "$work"' EXIT
n=0 bad=0
check() {   # check DESCRIPTION EXPECTED ACTUAL
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
        bad=$((bad + 1))
    fi
}
# q ENCODING SQL: one value, the query sent and the result read through a client of
# that encoding, shown in UTF-8
q() {
    local enc=${1/EUC_CN/EUC-CN}
    printf '%s\n' "$2" | iconv -f UTF-8 -t "$enc" |
        PGCLIENTENCODING=$1 psql -X -qAt -v ON_ERROR_STOP=1 -d integrity_euc_cn -f - 2>&1 | iconv -f "$enc" -t UTF-8
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS integrity_euc_cn" -c "DROP DATABASE IF EXISTS integrity_latin1" >/dev/null 2>&1
psql -X -q -d postgres -c "CREATE DATABASE integrity_euc_cn ENCODING 'EUC_CN' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
check "EUC_CN database: CREATE EXTENSION integrity" "" \
    "$(psql -X -q -v ON_ERROR_STOP=1 -d integrity_euc_cn -c 'CREATE EXTENSION integrity' 2>&1)"
check "server encoding" "EUC_CN" "$(q UTF8 'SHOW server_encoding')"

dims="清廉建设,清廉宣传,员工管理,合规建设,纪检监察,重点工作,红线,黑名单"
check "default dimensions through a UTF-8 client" "$dims" \
    "$(q UTF8 "SELECT array_to_string(portrait_default_dimensions(), ',')")"
check "default dimensions through an EUC_CN client" "$dims" \
    "$(q EUC_CN "SELECT array_to_string(portrait_default_dimensions(), ',')")"
check "default dimensions are characters of the server encoding (29 of them)" "29" \
    "$(q UTF8 "SELECT sum(length(d)) FROM unnest(portrait_default_dimensions()) d")"

events="(VALUES ('红线', -10.00, timestamptz '2024-01-05 00:00+00'), ('清廉建设', 5.00, '2024-02-01 00:00+00'),
                ('红线', -2.50, '2024-02-03 00:00+00'), ('黑名单', -1.00, '2024-03-01 00:00+00')) v(d, pts, t)"
check "红线 is the red-line dimension of the 3-argument aggregate" "2" \
    "$(q UTF8 "SELECT portrait_redlines(portrait(d, pts, t)) FROM $events")"
check "the same through an EUC_CN client" "2" \
    "$(q EUC_CN "SELECT portrait_redlines(portrait(d, pts, t)) FROM $events")"
check "portrait text form (dimensions in the byte order of EUC_CN)" \
    'v1|2024-01-05 00:00:00+00|2024-03-01 00:00:00+00|"黑名单"=0.00/-1.00/1/0;"红线"=0.00/-12.50/2/2;"清廉建设"=5.00/0.00/1/0|2024-01=-10.00/1;2024-02=2.50/2;2024-03=-1.00/1' \
    "$(q UTF8 "SELECT portrait(d, pts, t) FROM $events")"
check "radar on the default dimensions" "清廉建设=5.00,清廉宣传=0.00,员工管理=0.00,合规建设=0.00,纪检监察=0.00,重点工作=0.00,红线=-12.50,黑名单=-1.00" \
    "$(q UTF8 "SELECT string_agg(r.dimension || '=' || r.points, ',') FROM (SELECT portrait(d, pts, t) p FROM $events) s, portrait_radar(p) r")"
check "grade and tags" "alert {redline,below_watch,deductions}" \
    "$(q UTF8 "SELECT portrait_grade(p) || ' ' || portrait_tags(p)::text FROM (SELECT portrait(d, pts, t) p FROM $events) s")"
check "text round trip" "t" \
    "$(q UTF8 "SELECT p::text::portrait::text = p::text FROM (SELECT portrait(d, pts, t) p FROM $events) s")"
check "binary round trip through an EUC_CN client" "t" \
    "$(q EUC_CN "SELECT portrait_from_bytea(portrait_send(p))::text = p::text FROM (SELECT portrait(d, pts, t) p FROM $events) s")"

psql -X -q -d postgres -c "CREATE DATABASE integrity_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
out=$(psql -X -q -v ON_ERROR_STOP=1 -d integrity_latin1 -c 'CREATE EXTENSION integrity' 2>&1 && echo installed)
check "LATIN1 database: CREATE EXTENSION refuses (no mojibake)" "refused" \
    "$(grep -q '^ERROR:' <<<"$out" && [ "$(psql -X -qAt -d integrity_latin1 -c "SELECT count(*) FROM pg_extension WHERE extname = 'integrity'")" = 0 ] && echo refused || echo "$out")"

echo "1..$n"
[ "$bad" -eq 0 ]
