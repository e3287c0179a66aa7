#!/usr/bin/env bash
# test/readme_examples.sh — every SQL example of the manual runs as written:
# README.md and every doc/**/*.md (the reference, the how-to guides, the
# Chinese quick start, the internals).
#
# On the server that PGHOST/PGPORT/PGUSER name (a superuser): loads the demo
# district data into a database of its own (bash demo/load.sh), then, file by
# file (README.md first, then doc/ in path order), runs every fenced block in
# the order of the file, each with its own psql and ON_ERROR_STOP, so a block
# may use what an earlier block of the same file created (as a reader
# following the page does).  Each file gets a schema of its own first on the
# search_path (doc_1, doc_2, …), so the tables one page creates do not meet
# another page's:
#   ```sql        must run without an error;
#   ```sql-error  a deliberately failing example: must raise an SQL ERROR.
# Other fences (```sh, plain ```) are not run.  Then the links of every page:
# a link to a file of the repository must find it, a #anchor must land on a
# heading of that page (as GitHub derives anchors); every page of doc/ must
# be reachable from README.md; README.md stays under 300 lines.
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

pages=$( { echo README.md; find doc -name '*.md' | LC_ALL=C sort; } )
total=0 k=0
for page in $pages; do
    k=$((k + 1))
    blocks="$work/blocks.$k"; mkdir -p "$blocks"
    # The blocks, one file each: NNN.<fence language>.<line of the fence>
    WORK="$blocks" perl -CSD -ne '
        if (!defined $lang) {
            if (/^```(sql(?:-error)?)\s*$/) { $lang = $1; $k++; open($out, ">", sprintf("%s/%03d.%s.%d", $ENV{WORK}, $k, $lang, $.)) or die; }
            elsif (/^```/) { $lang = "" }
        } elsif (/^```\s*$/) { close($out) if $lang ne ""; undef $lang; }
        elsif ($lang ne "") { print $out $_; }
    ' "$page"
    count=$(ls "$blocks" | wc -l)
    [ "$count" -eq 0 ] && continue
    total=$((total + count))
    psql -X -q -d "$db" -c "CREATE SCHEMA doc_$k" >/dev/null
    for f in $(ls "$blocks" | sort); do
        kind=${f#*.}; kind=${kind%.*}; line=${f##*.}
        first=$(grep -m1 -v '^\s*\(--.*\)\?$' "$blocks/$f" | cut -c1-60)
        PGOPTIONS="-c search_path=doc_$k,public" \
            psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$blocks/$f" >"$work/out" 2>"$work/err"
        rc=$?
        if [ "$kind" = sql ]; then
            if [ $rc -eq 0 ] && ! grep -q '^psql:.*ERROR:' "$work/err"; then
                ok "$page:$line runs: $first"
            else
                not_ok "$page:$line runs: $first"; sed 's/^/#   /' "$work/err" | head -12
            fi
        else
            if [ $rc -ne 0 ] && grep -q 'ERROR:' "$work/err"; then
                ok "$page:$line raises an error, as it says: $(grep -m1 'ERROR:' "$work/err" | sed 's/^psql:[^ ]* //' | cut -c1-70)"
            else
                not_ok "$page:$line is marked sql-error but ran without an error: $first"
            fi
        fi
    done
done
if [ "$total" -ge 100 ]; then ok "the manual has $total SQL examples"; else not_ok "the manual has SQL examples (found $total)"; fi

# Links.  GitHub's anchors: the heading text in lower case, characters other
# than letters, digits, "_", "-" and spaces dropped, spaces turned into "-";
# a repeated anchor gets -1, -2, ...
perl -CSD -Mutf8 -MEncode -MFile::Basename -e '
    @ARGV = map { decode("UTF-8", $_) } @ARGV;     # page names as characters, like the links
    my (%anchors, %links);
    sub norm { my @p; for (split m{/}, shift) { next if $_ eq "." || $_ eq ""; if ($_ eq "..") { pop @p } else { push @p, $_ } } join("/", @p) }
    for my $page (@ARGV) {
        open(my $fh, "<:encoding(UTF-8)", $page) or die "$page: $!";
        my (%seen, $code);
        while (<$fh>) {
            if (/^```/) { $code = !$code; next; }
            next if $code;
            if (/^(#{1,6})\s+(.*?)\s*$/) {
                my $a = lc $2; $a =~ s/[^\w\- ]//g; $a =~ s/ /-/g;
                my $u = exists $seen{$a} ? "$a-" . ++$seen{$a} : $a;
                $seen{$a} //= 0; $anchors{$page}{$u} = 1;
            }
            my $l = $_; $l =~ s/`[^`]*`//g;       # no links inside inline code
            while ($l =~ /\]\(([^)\s]+)\)/g) { push @{$links{$page}}, [$1, $.]; }
        }
    }
    my $bad = 0; my $count = 0; my %reach;
    for my $page (@ARGV) {
        for my $l (@{$links{$page} || []}) {
            my ($t, $line) = @$l; $count++;
            next if $t =~ m{^(https?|mailto):};
            my ($path, $a) = split /#/, $t, 2;
            my $target = $path eq "" ? $page : norm(dirname($page) . "/" . $path);
            if (!-e $target) { print "$page:$line: $t: no file $target\n"; $bad++; next; }
            $reach{$page}{$target} = 1;
            next unless defined $a && $target =~ /\.md$/;
            if (!exists $anchors{$target}) { print "$page:$line: $t: $target is not a page of the manual\n"; $bad++; next; }
            if (!$anchors{$target}{$a}) { print "$page:$line: $t: #$a names no heading of $target\n"; $bad++; }
        }
    }
    # every page reachable from README.md
    my %done = ("README.md" => 1); my @todo = ("README.md");
    while (my $p = shift @todo) { for my $t (keys %{$reach{$p} || {}}) { push @todo, $t unless $done{$t}++; } }
    for my $page (@ARGV) { next if $done{$page}; print "$page: not reachable from README.md\n"; $bad++; }
    print "$count links checked\n";
    exit($bad ? 1 : 0);
' $pages >"$work/links" 2>&1
if [ $? -eq 0 ]; then
    ok "links land on their files and headings, every page is reachable from README.md ($(tail -1 "$work/links"))"
else
    not_ok "links land on their files and headings, every page is reachable from README.md"; sed 's/^/#   /' "$work/links"
fi

lines=$(wc -l <README.md)
if [ "$lines" -lt 300 ]; then ok "README.md is a front door: $lines lines (< 300)"; else not_ok "README.md is a front door: $lines lines (< 300)"; fi

echo "1..$n"
[ "$bad" -eq 0 ]
