#!/usr/bin/env bash
# fuzz/seeds.sh — (re)build the seed corpus fuzz/corpus/<type>_{text,recv}/
# from the tests: every string literal cast to cnid, uscc, masked_cnid, iscore,
# assessment or portrait in sql/*.sql and test/*.sql, plus a few aggregated
# assessments and portraits (multi-byte dimension names, red lines, many
# months), and the text of every scheme() call and ROW(...)::scheme of the
# tests that is valid.  A throwaway cluster of the installed server evaluates them: the
# text seeds are the literals and the canonical output of the accepted ones,
# the binary seeds <type>_send() of the accepted ones.  Files are named by a
# hash of their content; files named finding-* (reproducers) are kept.
#
#   bash fuzz/seeds.sh        (needs what `make test` needs; run it with the
#                              PostgreSQL you build against first in PATH)
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/cluster.sh
ensure_packages
build_install
start_cluster

TYPES="cnid uscc masked_cnid iscore assessment portrait"      # and scheme (text only)
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION integrity' >/dev/null || exit 1

work=$(mktemp -d /tmp/integrity-seeds.XXXXXX)
for t in $TYPES; do
    # 'literal'::type, standard strings: '' is a quote inside
    grep -ohE "'([^']|'')*'::$t\b" sql/*.sql test/*.sql |
        sed -E "s/::$t\$//; s/^'//; s/'\$//; s/''/'/g" | sort -u >"$work/$t.lit"
done

# scheme: the constructor calls and ROW literals of the tests
grep -ohE "scheme\([^()]*\)|ROW\([^()]*\)::scheme" sql/*.sql test/*.sql | sort -u >"$work/scheme.expr"

# evaluate: one row per accepted literal: type, literal (hex), output, send (hex)
{
    echo "CREATE TEMP TABLE lit (t text, s text);"
    for t in $TYPES; do
        while IFS= read -r l; do
            printf "INSERT INTO lit VALUES ('%s', convert_from(decode('%s', 'hex'), 'UTF8'));\n" \
                "$t" "$(printf '%s' "$l" | od -An -tx1 -v | tr -d ' \n')"
        done <"$work/$t.lit"
    done
    echo "CREATE TEMP TABLE sch (e text);"
    while IFS= read -r l; do
        printf "INSERT INTO sch VALUES (convert_from(decode('%s', 'hex'), 'UTF8'));\n" \
            "$(printf '%s' "$l" | od -An -tx1 -v | tr -d ' \n')"
    done <"$work/scheme.expr"
    cat <<'EOF'
CREATE TEMP TABLE sch_ok (s text);
DO $$
DECLARE r record; o text;
BEGIN
    FOR r IN SELECT e FROM sch LOOP
        BEGIN
            EXECUTE format('SELECT (%s)::scheme::text', r.e) INTO o;
            INSERT INTO sch_ok VALUES (o);
        EXCEPTION WHEN others THEN NULL;
        END;
    END LOOP;
END $$;
-- aggregated values, as the tests build them
INSERT INTO lit
SELECT 'portrait', p::text FROM (
    SELECT portrait(d, pts, at) AS p FROM (VALUES
        (1, '基础项', 10.00, timestamptz '2024-01-05 10:00+08'),
        (1, '基础项', -2.50, '2024-03-01 00:00+00'),
        (1, '黑名单', -500.00, '2024-03-02 12:34:56.789+00'),
        (1, 'a"b\c', 0.01, '1999-12-31 23:59:59.999999+00'),
        (2, 'x', 1.00, '2024-01-01 00:00+00'),
        (3, 'training', 3.00, '2020-02-29 00:00+00'),
        (3, 'training', -3.00, '2023-07-15 00:00+00'),
        (3, 'audit', 12.34, '2023-08-15 00:00+00')) v(s, d, pts, at)
    GROUP BY s) q;
INSERT INTO lit
SELECT 'assessment', a::text FROM (
    SELECT assess(who, sc::iscore, scheme()) AS a FROM (VALUES
        (1, 'self', '90+2'), (1, 'inspection', '85.50+0'), (1, 'third_party', '70+1!1'),
        (2, '机构自评', '60+0'), (2, '第三方测评', '99.99+0.01'),
        (3, 'inspection', '-5+0')) v(i, who, sc)
    GROUP BY i) q;
CREATE TEMP TABLE ok (t text, s text, out text, bin text);
DO $$
DECLARE r record; o text; b text;
BEGIN
    FOR r IN SELECT DISTINCT t, s FROM lit LOOP
        BEGIN
            EXECUTE format('SELECT $1::%1$s::text, encode(%1$s_send($1::%1$s), ''hex'')', r.t)
                INTO o, b USING r.s;
            INSERT INTO ok VALUES (r.t, r.s, o, b);
        EXCEPTION WHEN others THEN NULL;
        END;
    END LOOP;
END $$;
EOF
    echo "\\copy (SELECT t, encode(convert_to(s, 'UTF8'), 'hex'), encode(convert_to(out, 'UTF8'), 'hex'), bin FROM ok ORDER BY 1, 2) TO '$work/ok.tsv'"
    echo "\\copy (SELECT encode(convert_to(s, 'UTF8'), 'hex') FROM sch_ok ORDER BY 1) TO '$work/scheme.tsv'"
} >"$work/eval.sql"
chmod 755 "$work"
psql -q -X -v ON_ERROR_STOP=1 -f "$work/eval.sql" >/dev/null || exit 1

python3 - "$work" $TYPES <<'EOF'
import hashlib, os, sys
work, types = sys.argv[1], sys.argv[2:]
def put(target, data):
    d = os.path.join('fuzz', 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + hashlib.sha1(data).hexdigest()[:16]), 'wb') as f:
        f.write(data)
for t in types:
    d = os.path.join('fuzz', 'corpus', t + '_text')
    for sub in (t + '_text', t + '_recv'):
        p = os.path.join('fuzz', 'corpus', sub)
        if os.path.isdir(p):
            for f in os.listdir(p):
                if f.startswith('seed-'):
                    os.remove(os.path.join(p, f))
    for line in open(os.path.join(work, t + '.lit'), 'rb'):
        put(t + '_text', line.rstrip(b'\n'))
for line in open(os.path.join(work, 'ok.tsv')):
    t, s, out, b = line.rstrip('\n').split('\t')
    put(t + '_text', bytes.fromhex(out))
    put(t + '_recv', bytes.fromhex(b))
p = os.path.join('fuzz', 'corpus', 'scheme_text')
if os.path.isdir(p):
    for f in os.listdir(p):
        if f.startswith('seed-'):
            os.remove(os.path.join(p, f))
for line in open(os.path.join(work, 'scheme.tsv')):
    put('scheme_text', bytes.fromhex(line.strip()))
print('%-16s %3d files' % ('scheme_text', len(os.listdir(p))))
for t in types:
    for m in ('text', 'recv'):
        p = os.path.join('fuzz', 'corpus', t + '_' + m)
        print('%-16s %3d files' % (t + '_' + m, len(os.listdir(p)) if os.path.isdir(p) else 0))
EOF
rm -rf "$work"
