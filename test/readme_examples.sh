#!/usr/bin/env bash
# test/readme_examples.sh — every SQL example of README.md runs as written.
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser): loads the demo
# district data into a database of its own (bash demo/load.sh), then runs
# every fenced block of README.md, in the order of the README, each with its
# own psql and ON_ERROR_STOP, so a block may use what an earlier one created
# (as a reader following the README does):
#   ```sql        must run without an error;
#   ```sql-error  a deliberately failing example: must raise an SQL ERROR.
# Other fences (```sh, plain ```) are not run.  Then the README's links to
# its own headings (#anchors, as GitHub derives them) must all land, and the
# contents line must link only to top-level (##) sections.
# Prints "ok N - ..." / "not ok N - ..." lines; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_readme
work=$(mktemp -d /tmp/integrity-readme.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
n=0 bad=0
ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; bad=$((bad + 1)); }

if bash demo/load.sh "$db" district >"$work/load.out" 2>&1; then
    ok "demo district data loaded into $db"
else
    not_ok "demo district data loaded into $db"; sed 's/^/#   /' "$work/load.out" | tail -20
    echo "1..$n"; exit 1
fi

# The blocks, one file each: NNN.<fence language>.<README line of the fence>
WORK="$work" perl -CSD -ne '
    if (!defined $lang) {
        if (/^```(sql(?:-error)?)\s*$/) { $lang = $1; $k++; open($out, ">", sprintf("%s/%03d.%s.%d", $ENV{WORK}, $k, $lang, $.)) or die; }
        elsif (/^```/) { $lang = "" }
    } elsif (/^```\s*$/) { close($out) if $lang ne ""; undef $lang; }
    elsif ($lang ne "") { print $out $_; }
' README.md

blocks=$(ls "$work" | grep -Ec '^[0-9]{3}\.sql')
if [ "$blocks" -ge 10 ]; then ok "README.md has $blocks SQL examples"; else not_ok "README.md has SQL examples (found $blocks)"; fi

for f in $(ls "$work" | grep -E '^[0-9]{3}\.sql' | sort); do
    kind=${f#*.}; kind=${kind%.*}; line=${f##*.}
    first=$(grep -m1 -v '^\s*\(--.*\)\?$' "$work/$f" | cut -c1-60)
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/$f" >"$work/out" 2>"$work/err"
    rc=$?
    if [ "$kind" = sql ]; then
        if [ $rc -eq 0 ] && ! grep -q '^psql:.*ERROR:' "$work/err"; then
            ok "README.md:$line runs: $first"
        else
            not_ok "README.md:$line runs: $first"; sed 's/^/#   /' "$work/err" | head -12
        fi
    else
        if [ $rc -ne 0 ] && grep -q 'ERROR:' "$work/err"; then
            ok "README.md:$line raises an error, as it says: $(grep -m1 'ERROR:' "$work/err" | sed 's/^psql:[^ ]* //' | cut -c1-70)"
        else
            not_ok "README.md:$line is marked sql-error but ran without an error: $first"
        fi
    fi
done

# Links to the README's own headings.  GitHub's anchors: the heading text in
# lower case, characters other than letters, digits, "_", "-" and spaces
# dropped, spaces turned into "-"; a repeated anchor gets -1, -2, ...
perl -CSD -Mutf8 -e '
    my (%seen, %level, @links, $in_code);
    open(my $fh, "<:encoding(UTF-8)", "README.md") or die;
    while (<$fh>) {
        if (/^```/) { $in_code = !$in_code; next; }
        next if $in_code;
        if (/^(#{1,6})\s+(.*?)\s*$/) {
            my ($hashes, $t) = ($1, $2);
            my $a = lc $t; $a =~ s/[^\w\- ]//g; $a =~ s/ /-/g;
            my $u = exists $seen{$a} ? "$a-" . ++$seen{$a} : $a;
            $seen{$a} //= 0; $level{$u} = length $hashes;
        }
        my $contents = /^Contents:/ .. /^\s*$/;
        while (/\]\(#([^)]+)\)/g) { push @links, [$1, $., $contents ? 1 : 0]; }
    }
    my $bad = 0;
    for my $l (@links) {
        my ($a, $line, $contents) = @$l;
        if (!exists $level{$a}) { print "README.md:$line: #$a names no heading\n"; $bad++; }
        elsif ($contents && $level{$a} != 2) { print "README.md:$line: contents link #$a lands on a level-$level{$a} heading, not a section\n"; $bad++; }
    }
    printf "%d links checked\n", scalar @links;
    exit($bad ? 1 : 0);
' >"$work/links" 2>&1
if [ $? -eq 0 ]; then
    ok "README.md links land on their headings ($(tail -1 "$work/links"))"
else
    not_ok "README.md links land on their headings"; sed 's/^/#   /' "$work/links"
fi

echo "1..$n"
[ "$bad" -eq 0 ]
