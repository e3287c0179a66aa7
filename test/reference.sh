#!/usr/bin/env bash
# test/reference.sh — the reference (doc/reference/*.md) and the catalogue
# agree, so the reference cannot go stale.
#
# An entry is a level-3 heading naming one object, as doc/reference/README.md
# describes:
#   ### total(iscore, numeric)           a function or an aggregate (argument types)
#   ### type iscore                      a type (base, enum, composite, domain)
#   ### operator +(iscore, iscore)       an operator (left and right operand types)
#   ### view listed_lists                a view
#   ### setting integrity.scheme         a setting (a GUC the library defines)
# followed by its label line, which this test computes from the catalogue and
# compares character for character (signature with argument names, defaults
# and result; volatility, STRICT, LEAKPROOF, parallel label; a type's kind,
# size, labels or fields; an operator's function; a setting's type, default
# and context).  Then the entry's text: "Errors: …" (functions and aggregates)
# and a ```sql (or ```sql-error) example, which test/readme_examples.sh runs.
# Entries that directly follow each other with only their label line share
# the text of the next entry that has one (a group, e.g. the six comparison
# functions of a type).
#
# Fails when a member of the extension (pg_depend deptype 'e': functions and
# aggregates outside integrity_internal, types, operators, views) or a setting
# integrity.* has no entry, when an entry names an object that does not
# exist, names one twice, has a stale label, or lacks its errors or example.
#
#   bash test/reference.sh              the test (TAP lines)
#   bash test/reference.sh --skeleton   prints an entry (heading and label) for
#                                       every undocumented object, to paste
#
# Runs on the server PGHOST/PGPORT/PGUSER name (a superuser), in a database
# of its own.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_reference
work=$(mktemp -d /tmp/integrity-reference.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null || exit 1
q -d "$db" -c 'CREATE EXTENSION integrity' >/dev/null || exit 1

# The entries, as CSV: file, line, kind, name, label, has_errors, has_example
perl -CSD -e '
    sub csv { my $s = shift; $s =~ s/"/""/g; return "\"$s\""; }
    for my $file (@ARGV) {
        open(my $fh, "<:encoding(UTF-8)", $file) or die "$file: $!";
        my (@e, $cur, $code);
        while (my $l = <$fh>) {
            chomp $l;
            if ($l =~ /^```(\S*)/) {
                if (!$code) { $code = 1; $cur->{sql} = 1 if $cur && $1 =~ /^sql(-error)?$/; $cur->{body} = 1 if $cur; }
                else { $code = 0; }
                next;
            }
            next if $code;
            if ($l =~ /^(#{1,6})\s+(.*?)\s*$/) {
                my ($lvl, $h) = (length $1, $2);
                my ($kind, $name);
                if ($lvl == 3 && $h =~ /^(type|operator|view|setting)\s+(.+)$/) { ($kind, $name) = ($1, $2); }
                elsif ($lvl == 3 && $h =~ /^([A-Za-z_][A-Za-z0-9_]*\(.*\))$/) { ($kind, $name) = ("function", $1); }
                if (defined $kind) {
                    # a group continues only when the entry before has nothing but its label
                    $cur = { file => $file, line => $., kind => $kind, name => $name, label => undef,
                             errors => 0, sql => 0, body => 0,
                             prev => ($cur && !$cur->{body} ? $cur : undef) };
                    push @e, $cur;
                } else { $cur = undef; }
                next;
            }
            next unless $cur;
            next if $l =~ /^\s*$/;
            if (!defined $cur->{label}) { $cur->{label} = $l; next; }
            $cur->{body} = 1;
            $cur->{errors} = 1 if $l =~ /^Errors:/;
        }
        # a label-only entry shares the text of the entry after it
        for my $x (reverse @e) {
            my $p = $x->{prev};
            next unless $p && !$p->{body};
            $p->{errors} ||= $x->{errors}; $p->{sql} ||= $x->{sql};
        }
        for my $x (@e) {
            print join(",", csv($x->{file}), $x->{line}, csv($x->{kind}), csv($x->{name}),
                       csv($x->{label} // ""), $x->{errors}, $x->{sql}), "\n";
        }
    }
' doc/reference/*.md >"$work/entries.csv" || exit 1

# The catalogue's side: every object the reference must describe, with the
# heading and label line an entry must have.  Then the entries, resolved.
cat >"$work/setup.sql" <<'EOF'
LOAD 'integrity';
CREATE TEMP TABLE entry (file text, line int, kind text, name text, label text, has_errors boolean, has_example boolean);
\copy entry FROM 'ENTRIES' WITH (FORMAT csv)
CREATE TEMP TABLE member AS
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'integrity'),
dep AS (SELECT d.classid, d.objid FROM pg_depend d, ext
         WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT 'function' AS kind, 'p' || p.oid AS key,
       replace(p.oid::regprocedure::text, ',', ', ') AS name,
       format('`%s(%s) → %s` · %s', p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
              CASE WHEN p.prokind = 'a' THEN 'aggregate'
                   ELSE CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END
                        || CASE WHEN p.proisstrict THEN ' · STRICT' ELSE '' END
                        || CASE WHEN p.proleakproof THEN ' · LEAKPROOF' ELSE '' END
                        || CASE WHEN p.prosecdef THEN ' · SECURITY DEFINER' ELSE '' END END
              || ' · PARALLEL ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END) AS label,
       p.prokind = 'a' AS aggregate
  FROM dep JOIN pg_proc p ON dep.classid = 'pg_proc'::regclass AND p.oid = dep.objid
 WHERE p.pronamespace <> 'integrity_internal'::regnamespace
UNION ALL
SELECT 'type', 't' || t.oid, t.typname::text,
       CASE t.typtype
         WHEN 'e' THEN format('`%s` · enum: %s', t.typname,
              (SELECT string_agg(format('`%s`', e.enumlabel), ' < ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
         WHEN 'c' THEN format('`%s` · composite (%s)', t.typname,
              (SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
         WHEN 'd' THEN format('`%s` · domain over `%s`', t.typname, format_type(t.typbasetype, t.typtypmod))
         ELSE format('`%s` · base type, %s, %s', t.typname,
                     CASE WHEN t.typlen > 0 THEN t.typlen || ' bytes' ELSE 'variable length' END,
                     CASE WHEN t.typbyval THEN 'passed by value' ELSE 'passed by reference' END)
       END, false
  FROM dep JOIN pg_type t ON dep.classid = 'pg_type'::regclass AND t.oid = dep.objid
UNION ALL
SELECT 'operator', 'o' || o.oid, replace(o.oid::regoperator::text, ',', ', '),
       format('`%s %s %s → %s` · function `%s`', format_type(o.oprleft, NULL), o.oprname, format_type(o.oprright, NULL),
              format_type(o.oprresult, NULL), o.oprcode), false
  FROM dep JOIN pg_operator o ON dep.classid = 'pg_operator'::regclass AND o.oid = dep.objid
UNION ALL
SELECT 'view', 'c' || c.oid, c.oid::regclass::text,
       format('`%s` · view (%s)', c.relname,
              (SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)), false
  FROM dep JOIN pg_class c ON dep.classid = 'pg_class'::regclass AND c.oid = dep.objid AND c.relkind = 'v'
UNION ALL
SELECT 'setting', 's' || s.name, s.name,
       format('`%s` · %s, default %s, context %s', s.name, s.vartype,
              CASE WHEN s.boot_val = '' THEN 'empty' ELSE format('`%s`', s.boot_val) END, s.context), false
  FROM pg_settings s WHERE s.name LIKE 'integrity.%';
-- each entry's object, or NULL when it names nothing that exists
CREATE TEMP TABLE resolved AS
SELECT e.*, CASE e.kind
         WHEN 'function' THEN 'p' || to_regprocedure(e.name)::oid
         WHEN 'type'     THEN 't' || to_regtype(e.name)::oid
         WHEN 'operator' THEN 'o' || to_regoperator(e.name)::oid
         WHEN 'view'     THEN 'c' || to_regclass(e.name)::oid
         WHEN 'setting'  THEN (SELECT 's' || s.name FROM pg_settings s WHERE s.name = e.name)
       END AS key
  FROM entry e;
EOF
sed -i "s|ENTRIES|$work/entries.csv|" "$work/setup.sql"

run() {   # run SQL: the setup, then SQL printing one line per problem
    { cat "$work/setup.sql"; echo "$1"; } | psql -X -qAt -v ON_ERROR_STOP=1 -d "$db"
}
none() {  # none SQL: passes when the query prints nothing
    local out; out=$(run "$1") || { echo "$out"; return 1; }
    [ -z "$out" ] || { echo "$out"; return 1; }
}

if [ "${1:-}" = --skeleton ]; then
    run "SELECT format(E'### %s%s\n\n%s\n\nWhat it does.%s\n\n\`\`\`sql\nSELECT …;\n\`\`\`\n',
                       CASE WHEN m.kind = 'function' THEN '' ELSE m.kind || ' ' END, m.name, m.label,
                       CASE WHEN m.kind = 'function' THEN E'\n\nErrors: none.' ELSE '' END)
           FROM member m WHERE m.key NOT IN (SELECT key FROM resolved WHERE key IS NOT NULL)
          ORDER BY m.kind, m.name;"
    exit $?
fi

entries=$(wc -l <"$work/entries.csv")
check "doc/reference has entries ($entries)" test "$entries" -ge 100
check "every entry names an object that exists" \
    none "SELECT format('%s:%s: %s %s names nothing in the catalogue', file, line, kind, name)
            FROM resolved WHERE key IS NULL ORDER BY file, line;"
check "no object has two entries" \
    none "SELECT format('%s %s: entries at %s', kind, name, string_agg(file || ':' || line, ', '))
            FROM resolved WHERE key IS NOT NULL GROUP BY kind, name, key HAVING count(*) > 1;"
check "every member of the extension and every integrity.* setting has an entry (bash test/reference.sh --skeleton prints them)" \
    none "SELECT format('no entry: ### %s%s', CASE WHEN kind = 'function' THEN '' ELSE kind || ' ' END, name)
            FROM member WHERE key NOT IN (SELECT key FROM resolved WHERE key IS NOT NULL) ORDER BY kind, name;"
check "every entry's label line is the catalogue's" \
    none "SELECT format(E'%s:%s: %s\n    doc:       %s\n    catalogue: %s', r.file, r.line, r.name, r.label, m.label)
            FROM resolved r JOIN member m USING (key) WHERE r.label IS DISTINCT FROM m.label ORDER BY r.file, r.line;"
check "every function and aggregate entry says its errors (Errors: …)" \
    none "SELECT format('%s:%s: %s has no Errors: line', file, line, name)
            FROM resolved WHERE kind = 'function' AND NOT has_errors ORDER BY file, line;"
check "every entry has an example (a sql block, run by test/readme_examples.sh)" \
    none "SELECT format('%s:%s: %s %s has no example', file, line, kind, name)
            FROM resolved WHERE NOT has_example ORDER BY file, line;"
echo "1..$n"
[ "$bad" -eq 0 ]
