#!/usr/bin/env bash
# test/planted.sh — a database owner who plants objects in the schema the
# extension goes into gains nothing (issue 17; README, "Trusted").  The traps
# are derived from the code, not from a hand-kept list:
#
#   1. the names: every function call and operator (written, or implied by
#      LIKE, BETWEEN, IN, NULLIF, ...) in the install script as built, both
#      update scripts, and, from a fresh install (and 1.0 and 1.1 ones), the
#      bodies of the member functions, the views, the domain CHECKs and the
#      defaults; and every call bound in their stored parse trees with the
#      exact argument types of the call site (test/planted/derive.pl);
#   2. the traps: for each name, the overloads that would beat pg_catalog's
#      at an unqualified call site (test/planted/plan.sql), planted in public
#      by the owner (test/planted/traps.sql); and in pg_temp a domain or view
#      named after every type or catalogue relation the texts name (types and
#      relations are looked up in pg_temp first).  Each trap records
#      current_user in public.planted_trap.
#
# Then, as a database owner who is not a superuser, install fresh over the
# traps; separately, as a superuser, install 1.0 with stored rows of every
# type and domain (test/upgrade/fill.sql, by the owner), let the owner plant,
# and ALTER EXTENSION UPDATE; in both databases call every member function
# (test/planted/calls.sql: generated from the catalogue, a new function
# without a call fails) and read every view as a superuser with the default
# search_path.  Asserted: no trap ran as anyone but the owner; no member of
# the extension depends on an object outside pg_catalog and the extension;
# and (a lint) every member function in SQL or PL/pgSQL whose body is parsed
# when it runs either pins search_path or names no function, operator or
# type unqualified.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser).  KEEP=1 leaves
# the databases and roles.  Prints TAP lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/integrity-planted.XXXXXX)
owner=planted_owner
fresh=integrity_planted up=integrity_planted_up probe=integrity_planted_probe
dbs="$fresh $up $probe ${probe}10 ${probe}11"
cleanup() {
    [ -n "${KEEP:-}" ] && return
    for d in $dbs; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done
    psql -X -q -d postgres -c "DROP ROLE IF EXISTS $owner" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
cleanup; mkdir -p "$work"
. tools/tap.sh
default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" integrity.control)
script="$(pg_config --sharedir)/extension/integrity--$default.sql"
members="SELECT d.objid FROM pg_catalog.pg_depend d WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
          AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'integrity') AND d.deptype = 'e'"

q -d postgres -c "CREATE ROLE $owner LOGIN" -c "CREATE DATABASE $fresh OWNER $owner" \
    -c "CREATE DATABASE $up OWNER $owner" -c "CREATE DATABASE $probe" \
    -c "CREATE DATABASE ${probe}10" -c "CREATE DATABASE ${probe}11" >/dev/null
q -d $probe -c "CREATE EXTENSION integrity" >/dev/null
q -d ${probe}10 -c "CREATE EXTENSION integrity VERSION '1.0'" >/dev/null
q -d ${probe}11 -c "CREATE EXTENSION integrity VERSION '1.1'" >/dev/null

# --- 1. the names the code uses ---------------------------------------------
texts() {   # the texts: scripts, then what a fresh install holds
    cat "$script" upgrade/integrity--1.0--1.1.sql upgrade/integrity--1.1--1.2.sql
    qt -d $probe -c "SET search_path = pg_catalog" -c "
        SELECT prosrc || E';\n' FROM pg_proc WHERE oid IN ($members)
           AND prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
        UNION ALL SELECT pg_get_viewdef(objid) FROM ($members) m(objid) JOIN pg_class c ON c.oid = m.objid WHERE c.relkind = 'v'
        UNION ALL SELECT pg_get_constraintdef(k.oid) || E';\n' FROM pg_constraint k WHERE k.contypid IN ($members)
        UNION ALL SELECT pg_get_expr(proargdefaults, 0) || E';\n' FROM pg_proc WHERE oid IN ($members) AND proargdefaults IS NOT NULL"
}
trees() {   # the stored parse trees of 1.0, 1.1 and a fresh install
    local d
    for d in ${probe}10 ${probe}11 $probe; do
        qt -d $d -c "SET search_path = pg_catalog" -c "
            SELECT prosqlbody::text FROM pg_proc WHERE oid IN ($members) AND prosqlbody IS NOT NULL
            UNION ALL SELECT proargdefaults::text FROM pg_proc WHERE oid IN ($members) AND proargdefaults IS NOT NULL
            UNION ALL SELECT conbin::text FROM pg_constraint WHERE contypid IN ($members) AND conbin IS NOT NULL
            UNION ALL SELECT ev_action::text FROM pg_rewrite WHERE ev_class IN ($members)
            UNION ALL SELECT adbin::text FROM pg_attrdef WHERE adrelid IN ($members)"
    done
}
read_code() { texts >"$work/text.sql" && trees >"$work/trees.txt"; }
derive() {
    perl test/planted/derive.pl text <"$work/text.sql" >"$work/derived.tsv" &&
    perl test/planted/derive.pl tree <"$work/trees.txt" >>"$work/derived.tsv"
}
check "the texts and parse trees of the code read" read_code
check "names derived from them (test/planted/derive.pl)" derive
check "traps planned for every name and call site (test/planted/plan.sql)" \
    bash -c "psql -X -q -v ON_ERROR_STOP=1 -d $probe -f test/planted/plan.sql <$work/derived.tsv >$work/plan.tsv"
names=$(awk -F'\t' '$1 == "f" || $1 == "o" {print $1 $2}' "$work/derived.tsv" | sort -u | wc -l)
planned=$(wc -l <"$work/plan.tsv")
check "the plan covers the known traps: num_nulls(integer,numeric,...), !~~(name,name), unnest(text[])" \
    bash -c "grep -q \$'^f\tnum_nulls\tpg_catalog.int4,pg_catalog.\"numeric\",pg_catalog.\"numeric\",pg_catalog.\"numeric\",pg_catalog.\"numeric\",pg_catalog.int4,pg_catalog.\"numeric\"\t' $work/plan.tsv &&
             grep -q \$'^o\t!~~\tpg_catalog.name,pg_catalog.name\t' $work/plan.tsv &&
             grep -q \$'^f\tunnest\tpg_catalog._text\t' $work/plan.tsv"
echo "# $names function and operator names in the code, $planned traps planned"

# the types and catalogue relations the texts name: pg_temp traps
awk -F'\t' '$1 == "w" {print $2}' "$work/derived.tsv" | sort -u >"$work/words.txt"
cat >"$work/temp.sql" <<EOF
SET search_path = pg_catalog, pg_temp;
CREATE TEMP TABLE planted_words (w text);
\\copy planted_words FROM '$work/words.txt'
DO \$temp\$
DECLARE r record; made int := 0;
BEGIN
    FOR r IN SELECT DISTINCT w.w, t.oid AS typ, c.oid AS rel
               FROM planted_words w
               LEFT JOIN pg_type t ON t.typname = w.w AND t.typtype IN ('b', 'c', 'd', 'e', 'r', 'm')
                    AND t.typnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'public', 'integrity_internal'))
               LEFT JOIN pg_class c ON c.relname = w.w AND c.relkind IN ('r', 'v') AND c.relnamespace = 'pg_catalog'::regnamespace
              WHERE t.oid IS NOT NULL OR c.oid IS NOT NULL LOOP
        BEGIN
            IF r.typ IS NOT NULL THEN
                EXECUTE format('CREATE DOMAIN pg_temp.%I AS %s CHECK (public.planted_note(%L))',
                               r.w, r.typ::regtype, 'pg_temp.' || r.w);
            ELSE
                EXECUTE format('CREATE TEMP VIEW %I AS SELECT * FROM %s WHERE public.planted_note(%L)',
                               r.w, r.rel::regclass, 'pg_temp.' || r.w);
            END IF;
            made := made + 1;
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
    END LOOP;
    RAISE NOTICE 'planted % temp traps', made;
END
\$temp\$;
RESET search_path;
EOF

# --- 2. the owner plants --------------------------------------------------
plant() {   # plant DATABASE: the trap table and the traps, as the owner
    q -d $1 -c "SET ROLE $owner" -c "
        CREATE TABLE public.planted_trap (who name, what text);
        GRANT INSERT ON public.planted_trap TO PUBLIC;
        CREATE FUNCTION public.planted_note(what pg_catalog.text) RETURNS boolean LANGUAGE plpgsql
            AS \$f\$BEGIN INSERT INTO public.planted_trap VALUES (current_user, what); RETURN true; END\$f\$;" &&
    q -d $1 -c "SET ROLE $owner" -f test/planted/traps.sql <"$work/plan.tsv" 2>"$work/plant-$1.log"
}
planted() { sed -n 's/.*NOTICE:  planted \([0-9]*\) traps.*/\1/p' "$work/plant-$1.log"; }
no_trap_ran() {
    local out
    out=$(qt -d $1 -c "SET search_path = pg_catalog" -c "
        SELECT who || ': ' || what || ' (' || count(*) || ' times)' FROM public.planted_trap
         WHERE who <> '$owner' GROUP BY who, what ORDER BY 1")
    echo "$out"; test -z "$out"
}
check "the owner plants the traps in public of a new database" plant $fresh
echo "# $(planted $fresh) traps planted in $fresh"
check "the owner, not a superuser, installs the extension over them (with pg_temp traps in the session)" \
    q -d $fresh -c "SET ROLE $owner" -f "$work/temp.sql" -c "CREATE EXTENSION integrity"
check "... and no trap ran as anyone but the owner while the script ran (as the bootstrap superuser)" \
    no_trap_ran $fresh
check "a superuser installs 1.0 into another database of the owner" \
    q -d $up -c "CREATE EXTENSION integrity VERSION '1.0'"
check "the owner stores rows of every type and domain (test/upgrade/fill.sql)" \
    q -d $up -c "SET ROLE $owner" -f test/upgrade/fill.sql
check "the owner plants the traps there" plant $up
echo "# $(planted $up) traps planted in $up (with the extension's types of 1.0)"
check "a superuser updates 1.0 to $default over them (ADD CONSTRAINT checks the stored rows)" \
    q -d $up -c "SET ROLE $owner" -f "$work/temp.sql" -c "RESET ROLE" -c "ALTER EXTENSION integrity UPDATE"
check "... and no trap ran as anyone but the owner during the update" no_trap_ran $up

# --- 3. a superuser calls every member function -----------------------------
for d in $fresh $up; do
    q -d $d -c "CREATE SCHEMA planted_lists; SET search_path = planted_lists, pg_catalog" -c "
        CREATE TABLE l_cnid (subject public.cnid, valid daterange); CREATE TABLE l_uscc (subject public.uscc, valid daterange);
        CREATE TABLE l_text (subject text, valid daterange); CREATE TABLE l_int8 (subject bigint, valid daterange);
        CREATE INDEX l_cnid_bl ON l_cnid USING blacklist (subject);" >/dev/null
done
call_all() {   # call_all DATABASE: the calls, in a session where the owner made pg_temp traps
    local d=$1
    qt -d $d -f test/planted/calls.sql >"$work/calls-$d.sql" || return 1
    echo "$(grep -c '^SELECT' "$work/calls-$d.sql") calls; $(grep -c '^-- not callable' "$work/calls-$d.sql") functions take internal"
    if grep '^-- NO CALL' "$work/calls-$d.sql"; then echo "no call for the functions above: add a value to test/planted/calls.sql"; return 1; fi
    { echo "SET ROLE $owner;"; cat "$work/temp.sql"; echo "RESET ROLE;"; echo 'SHOW search_path;'
      cat "$work/calls-$d.sql"; } >"$work/session-$d.sql"
    psql -X -q -d $d -f "$work/session-$d.sql" >"$work/out-$d.txt" 2>&1
    # every call ran without an error (an aggregate's support function may
    # refuse to run outside an aggregate: it ran, and said so)
    awk '/^planted-(call|view) /{c=$0} /ERROR:/ && !/called outside an aggregate/{print c; print "    " $0; bad=1}
         END{exit bad}' "$work/out-$d.txt"
}
check "a superuser calls every member function and reads every view (default search_path), fresh install" call_all $fresh
check "... and in the database updated from 1.0" call_all $up

# --- 4. the assertions --------------------------------------------------------
check "no trap ran as anyone but the owner (fresh install, after the calls)" no_trap_ran $fresh
check "no trap ran as anyone but the owner (updated from 1.0, after the calls)" no_trap_ran $up
foreign_deps() {   # members and their parts depend only on pg_catalog, the extension, its schemas
    local out
    out=$(qt -d $1 -c "SET search_path = pg_catalog" -c "
        WITH RECURSIVE ext AS (SELECT oid, extnamespace FROM pg_extension WHERE extname = 'integrity'),
        objs(classid, objid) AS (
            SELECT classid, objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
               AND refobjid = (SELECT oid FROM ext) AND deptype = 'e'
            UNION
            SELECT d.classid, d.objid FROM pg_depend d JOIN objs o ON d.refclassid = o.classid AND d.refobjid = o.objid
             WHERE d.deptype IN ('i', 'a'))
        SELECT DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> '
                        || pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
          FROM pg_depend d JOIN objs o ON d.classid = o.classid AND d.objid = o.objid
         WHERE d.deptype IN ('n', 'a', 'i')
           AND (d.refclassid, d.refobjid) NOT IN (SELECT classid, objid FROM objs)
           AND d.refclassid NOT IN ('pg_extension'::regclass, 'pg_language'::regclass)
           AND NOT (d.refclassid = 'pg_namespace'::regclass AND d.refobjid = (SELECT extnamespace FROM ext))
           AND (pg_identify_object(d.refclassid, d.refobjid, 0)).schema IS DISTINCT FROM 'pg_catalog'
         ORDER BY 1")
    echo "$out"; test -z "$out"
}
check "no member of the extension depends on an object outside pg_catalog and the extension (fresh)" foreign_deps $fresh
check "... nor in the database updated from 1.0" foreign_deps $up

# The lint: a body parsed when the function runs (quoted SQL, PL/pgSQL)
# resolves names with the caller's search_path, so it either pins search_path
# or qualifies every function, operator and type it names (keyword types
# such as numeric and integer are pg_catalog's by the grammar).
lint() {
    local oid bad=0 out
    for oid in $(qt -d $fresh -c "SET search_path = pg_catalog" -c "
            SELECT p.oid FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
             WHERE p.oid IN ($members) AND l.lanname IN ('sql', 'plpgsql') AND p.prosqlbody IS NULL
               AND NOT coalesce(p.proconfig::text LIKE '%search_path=%', false)"); do
        qt -d $fresh -c "SET search_path = pg_catalog" -c "SELECT prosrc FROM pg_proc WHERE oid = $oid::oid" |
            perl test/planted/derive.pl text >"$work/lint.tsv"
        out=$(qt -d $fresh -c "SET search_path = pg_catalog" \
            -c "CREATE TEMP TABLE raw (line text)" \
            -c "\\copy raw FROM '$work/lint.tsv' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')" -c "
            WITH l AS (SELECT split_part(line, E'\\t', 1) AS k, split_part(line, E'\\t', 2) AS a,
                              split_part(line, E'\\t', 3) AS b, split_part(line, E'\\t', 4) AS c FROM raw)
            SELECT DISTINCT $oid::regprocedure || ': ' || CASE k WHEN 'f' THEN 'function ' WHEN 'o' THEN 'operator '
                                                       ELSE 'type ' END || a
              FROM l
             WHERE (k = 'f' AND c = '-' AND EXISTS (SELECT FROM pg_proc WHERE proname = l.a
                                                       AND pronamespace = 'pg_catalog'::regnamespace))
                OR (k = 'o' AND b = '-')
                OR (k = 'c' AND b = '-' AND a NOT IN ('int', 'integer', 'smallint', 'bigint', 'real', 'float',
                       'double', 'decimal', 'dec', 'numeric', 'boolean', 'bool', 'char', 'character', 'varchar',
                       'nchar', 'bit', 'time', 'timestamp', 'interval'))")
        [ -n "$out" ] && { echo "$out"; bad=1; }
    done
    return $bad
}
check "lint: member functions parsed at run time name nothing unqualified (or pin search_path)" lint

echo "1..$n"
[ "$bad" -eq 0 ]
