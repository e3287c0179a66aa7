#!/usr/bin/env bash
# test/names_encoding.sh — name screening and masked numbers in a UTF8 and an
# EUC_CN database give the same answers.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser): one database
# per server encoding (LC_COLLATE/LC_CTYPE 'C', TEMPLATE template0, as
# test/encodings.sh makes them), the same checks from a UTF8 client and, for
# EUC_CN, from an EUC_CN client: name_normalize (full-width forms, the
# ideographic space, middle dots, pinyin letters with tone marks),
# name_pinyin, name_keys (the keys are hashes of code points, so they must be
# equal whatever the encoding), name_match (written form, middle dot, one
# character, a number that differs), name_match_lines, name_match_threshold,
# name_icu_version, every masked_cnid function (text and binary forms, the cast from cnid,
# order, ~, cnid_matches, masked_cnid_visible, the block keys) and the input
# errors: full-width digits (positions counted in characters), an impossible
# date, a name over the screened length.  Only characters of
# GB 2312 are used: an EUC_CN database cannot store the others.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-names-enc.XXXXXX)
dbs="integrity_names_utf8 integrity_names_euccn"
cleanup() {
    for db in $dbs; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
    rm -rf "$work"
}
trap cleanup EXIT
. tools/tap.sh

# The checks, written in UTF-8; each line of output is "name|value".
cat >"$work/checks.sql" <<'SQL'
\pset format unaligned
\pset tuples_only on
SELECT 'normalize|' || string_agg(name_normalize(n), ',' ORDER BY k)
FROM (VALUES (1, '张　伟'), (2, 'ＺＨＡＮＧ　Ｗｅｉ'), (3, '阿依古丽・买买提'), (4, '阿依古丽 ・ 买买提'),
             (5, 'Lǚ Xiǎohuá'), (6, '  王小明  ')) t(k, n);
SELECT 'pinyin|' || string_agg(array_to_string(name_pinyin(n), '/'), ',' ORDER BY k)
FROM (VALUES (1, '张伟'), (2, '曾国藩'), (3, '单雄信'), (4, '欧阳修'), (5, 'Lǚ Xiǎohuá'),
             (6, '阿依古丽・买买提')) t(k, n);
SELECT 'keys|' || string_agg(array_to_string(name_keys(n), ' '), ',' ORDER BY k)
FROM (VALUES (1, '张伟'), (2, '王小明'), (3, 'ZHANG Wei'), (4, '阿依古丽・买买提')) t(k, n);
SELECT 'share|' || string_agg((name_keys(a) && name_keys(b))::text, ',' ORDER BY k)
FROM (VALUES (1, '张伟', 'ＺＨＡＮＧ　Ｗｅｉ'), (2, '王小明', '王晓明'), (3, '王小明', '王大明'),
             (4, '张伟', '张敏')) t(k, a, b);
SELECT 'match|' || m.score || ' ' || array_to_string(m.reasons, '/')
FROM name_match('张伟', 'Wei Zhang', '11010519491231002X', '110105********002X') m;
SELECT 'match_name|' || m.score || ' ' || array_to_string(m.reasons, '/')
FROM name_match('王小明', '王晓明') m;
SELECT 'match_dot|' || m.score || ' ' || array_to_string(m.reasons, '/')
FROM name_match('阿依古丽・买买提', '阿依古丽 ・ 买买提', '110105197001010011', '1101051970****0011') m;
SELECT 'match_typo|' || m.score || ' ' || array_to_string(m.reasons, '/')
FROM name_match('欧阳小明', '欧阳晓明', '11010519491231002X', '1101051949****002X') m;
SELECT 'match_differs|' || m.score || ' ' || array_to_string(m.reasons, '/')
FROM name_match('张伟', '张伟', '11010519491231002X', '1101051950****002X') m;
SELECT 'lines|' || string_agg(reason || ':' || points, '/')
FROM name_match_lines('阿依古丽・买买提', '阿依古丽 ・ 买买提', '110105197001010011', '1101051970****0011');
SELECT 'threshold|' || name_match_threshold() || ' ' || (name_icu_version() ~ '^[0-9]+\.')::text;
-- masked_cnid: text and binary forms, the cast, order, ~, cnid_matches, visible, block keys
SELECT 'masked|' || string_agg(m::text || ' ' || masked_cnid_visible(m) || ' ' || encode(masked_cnid_send(m), 'hex'), ',' ORDER BY m)
FROM (VALUES ('3303241976****2118'::masked_cnid), ('110105********002X'), ('11010519491231002X'::cnid::masked_cnid),
             (masked_cnid_from_cnid('110105197001010011'))) t(m);
SELECT 'masked_ops|' || concat_ws(' ', '110105********002X'::masked_cnid < '3303241976****2118'::masked_cnid,
                                  '110105********002X'::masked_cnid = '110105********002X'::masked_cnid,
                                  '110105********002X'::masked_cnid <> '3303241976****2118'::masked_cnid,
                                  '11010519491231002X'::cnid ~ '110105********002X'::masked_cnid,
                                  '11010519491231002X'::cnid ~ '1101051950****002X'::masked_cnid,
                                  cnid_matches('11010519491231002X', '1101051949****002X'),
                                  cnid_block('11010519491231002X') = masked_cnid_block('110105********002X'),
                                  masked_cnid_block('110105**********2X') IS NULL,
                                  cnid_mask('11010519491231002X'));
\set ON_ERROR_STOP off
SELECT cnid_matches('11010519491231002X', '110105＊＊＊＊＊＊＊＊002X');
SELECT '330324197613**2118'::masked_cnid;
SELECT name_normalize(repeat('张', 300));
SELECT '３３０３２４１９７６＊＊＊＊２１１８'::masked_cnid;
SELECT '3303241976＊＊＊＊2118'::masked_cnid;
SQL
cat >"$work/expected.txt" <<'TXT'
normalize|张伟,ZHANG WEI,阿依古丽·买买提,阿依古丽·买买提,LU XIAOHUA,王小明
pinyin|zhang wei,zeng guofan/ceng guofan,shan xiongxin/dan xiongxin/chan xiongxin,ouyang xiu,lu xiaohua/xiaohua lu,ayiguli maimaiti
share|true,true,true,false
match|70 pinyin/region/sex/sequence
match_name|40 pinyin
match_dot|87 written form/region/birth year/sex/sequence
match_typo|82 pinyin/region/birth year/sex/sequence
match_differs|20 exact/number differs
lines|written form:45/region:10/birth year:12/sex:0/sequence:20
threshold|70 true
masked|110105********002X 10 013131303130352a2a2a2a2a2a2a2a30303258,11010519491231002X 18 01313130313035313934393132333130303258,110105197001010011 18 01313130313035313937303031303130303131,3303241976****2118 14 01333330333234313937362a2a2a2a32313138
masked_ops|t t t t f t t t 110105********002X
ERROR:  invalid masked_cnid "110105＊＊＊＊＊＊＊＊002X": a non-ASCII character at position 7 is neither a digit nor *
ERROR:  invalid masked_cnid "330324197613**2118": no birth date fits "197613**"
ERROR:  name is too long for name screening
ERROR:  invalid masked_cnid "３３０３２４１９７６＊＊＊＊２１１８": a non-ASCII character at position 1 is neither a digit nor *
ERROR:  invalid masked_cnid "3303241976＊＊＊＊2118": a non-ASCII character at position 11 is neither a digit nor *
TXT

run_checks() {   # run_checks DB CLIENT_ENCODING -> the output lines, in UTF-8
    local db=$1 enc=$2
    if [ "$enc" = UTF8 ]; then
        PGCLIENTENCODING=UTF8 psql -X -q -d "$db" -f "$work/checks.sql" 2>&1
    else
        local ienc=${enc//_/-}
        iconv -f UTF-8 -t "$ienc" "$work/checks.sql" >"$work/checks.$enc.sql"
        PGCLIENTENCODING=$enc psql -X -q -d "$db" -f "$work/checks.$enc.sql" 2>&1 | iconv -f "$ienc" -t UTF-8
    fi | grep -E '^[a-z_]+\||ERROR:' | sed 's/^psql:[^ ]* //'
}

for spec in "integrity_names_utf8 UTF8 UTF8" "integrity_names_euccn EUC_CN UTF8 EUC_CN"; do
    set -- $spec; db=$1; enc=$2; shift 2; clients=$*
    createdb_enc "$db" "$enc"
    check "$enc: CREATE EXTENSION integrity" q -d "$db" -c "CREATE EXTENSION integrity"
    for client in $clients; do
        run_checks "$db" "$client" >"$work/got.$db.$client.txt"
        # GB 2312's middle dot is U+30FB: name_normalize writes that one in EUC_CN
        if [ "$enc" = EUC_CN ]; then sed 's/·/・/g' "$work/expected.txt"; else cat "$work/expected.txt"; fi >"$work/expected.$enc.txt"
        check "$enc server, $client client: normalisation, pinyin, matches and errors as expected" \
            diff -u "$work/expected.$enc.txt" <(grep -v '^keys|' "$work/got.$db.$client.txt")
    done
done
# the join keys are the same numbers in both encodings
check "name_keys gives the same keys in UTF8 and EUC_CN databases" \
    diff -u <(grep '^keys|' "$work/got.integrity_names_utf8.UTF8.txt") \
            <(grep '^keys|' "$work/got.integrity_names_euccn.EUC_CN.txt")
check "the keys were compared (not empty)" grep -q '^keys|-\?[0-9]' "$work/got.integrity_names_utf8.UTF8.txt"

echo "1..$n"
[ "$bad" -eq 0 ]
