#!/usr/bin/perl
# test/planted/derive.pl — the names test/planted.sh plants traps for, read
# from the code itself (not from a hand-kept list).
#
#   derive.pl text  < SQL text      every call site and operator of the text:
#       f <name> <arity> <qualifier>   a call name(...) with arity arguments
#                                      (qualifier: the schema written, or -)
#       o <name> <qualifier>           an operator, written or implied by a
#                                      keyword (LIKE: ~~ and !~~, BETWEEN:
#                                      >= and <=, IN: = and <>, NULLIF: =, ...)
#       c <type> <qualified or ->      the type name of a cast (::type)
#       w <word>                       every identifier (for the pg_temp traps)
#   derive.pl tree  < node strings     one stored parse tree a line
#       (prosqlbody, conbin, adbin, ev_action, proargdefaults): every call
#       bound in them with the exact argument types of the call site:
#       F <funcid> <argtype,...> <resulttype> <retset>
#       O <opno> <lefttype> <righttype> <resulttype>    (lefttype 0: prefix)
#       A <opno> <lefttype> <arraytype>                 (op ANY/ALL (array))
#       G <aggfnoid> <argtype,...>                      (an aggregate call)
#       T <typeoid>                                     (every type seen)
# The text scanner follows PostgreSQL's lexer where it matters: comments,
# quoted strings and identifiers, dollar-quoted bodies (read as code: they
# are function bodies and DO blocks), and the rule that an operator token
# loses a trailing + or - unless it holds one of ~ ! @ # % ^ & | ` ?.
use strict;
use warnings;

my $mode = shift // die "usage: derive.pl text|tree\n";
local $/;
my $in = <STDIN>;


sub text {
    my ($s) = @_;
    $s =~ s/\@extschema\@/extschema_/g;
    $s =~ s/\$([A-Za-z_]\w*)?\$/ /g;           # dollar quotes: their contents are code
    my @t;                                       # [kind, value]
    pos($s) = 0;
    while (pos($s) < length $s) {
        if ($s =~ /\G\s+/gc) { next }
        if ($s =~ /\G--[^\n]*/gc) { next }
        if ($s =~ /\G\/\*.*?\*\//gcs) { next }
        if ($s =~ /\G[eE]'((?:[^'\\]|\\.|'')*)'/gcs) { push @t, ['s', $1]; next }
        if ($s =~ /\G'((?:[^']|'')*)'/gcs) { push @t, ['s', $1]; next }
        if ($s =~ /\G"((?:[^"]|"")*)"/gcs) { (my $v = $1) =~ s/""/"/g; push @t, ['i', $v]; next }
        if ($s =~ /\G([A-Za-z_\x80-\xff][A-Za-z0-9_\$\x80-\xff]*)/gc) { push @t, ['i', lc $1, 1]; next }
        if ($s =~ /\G(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)/gc) { push @t, ['n', $1]; next }
        if ($s =~ /\G(::|:=|=>)/gc) { push @t, ['p', $1]; next }
        if ($s =~ /\G([-+*\/<>=~!\@#%^&|`?]+)/gc) {
            my $op = $1;
            my $full = length $op;
            $op =~ s/(--|\/\*).*$//s;             # a comment starts inside the run
            chop $op while length $op > 1 && $op =~ /[-+]$/ && $op !~ /[~!\@#%^&|`?]/;
            pos($s) -= $full - length $op;
            push @t, ['o', $op] if $op ne '';
            next;
        }
        if ($s =~ /\G([(),;\[\].:])/gc) { push @t, ['p', $1]; next }
        $s =~ /\G./gcs;                          # anything else: skip
    }
    my %seen;
    my $out = sub { my $l = join "\t", @_; print "$l\n" unless $seen{$l}++ };
    my %kwop = (like => ['~~', '!~~'], ilike => ['~~*', '!~~*'], similar => ['~', '!~'],
                between => ['>=', '<=', '<', '>'], in => ['=', '<>'], nullif => ['='],
                distinct => ['=', '<>'], case => ['='], any => [], all => [], some => []);
    my %kwfn = (similar => ['similar_to_escape'], escape => ['like_escape'], overlaps => ['overlaps'],
                extract => ['extract', 'date_part'], trim => ['btrim', 'ltrim', 'rtrim'],
                substring => ['substring'], position => ['position'], overlay => ['overlay'],
                normalize => ['normalize'], collation => ['pg_collation_for']);
    for my $i (0 .. $#t) {
        my ($k, $v) = @{$t[$i]};
        if ($k eq 'o') {                          # OPERATOR(schema.op): qualified
            my $q = ($i > 1 && $t[$i - 1][0] eq 'p' && $t[$i - 1][1] eq '.') ? $t[$i - 2][1] : '-';
            $out->('o', $v, $q);
            next;
        }
        if ($k eq 'p' && $v eq '::' && $i < $#t && $t[$i + 1][0] eq 'i') {   # a cast's type name
            my $q = ($i + 2 <= $#t && $t[$i + 2][0] eq 'p' && $t[$i + 2][1] eq '.') ? 'qualified' : '-';
            $out->('c', $t[$i + 1][1], $q);
            next;
        }
        next unless $k eq 'i';
        $out->('w', $v);
        if ($t[$i][2]) {                          # an unquoted word: keywords imply operators
            $out->('o', $_, '-') for @{$kwop{$v} // []};
            $out->('f', $_, -1, '-') for @{$kwfn{$v} // []};
            $out->('f', 'timezone', 2, '-') if $v eq 'at' && $i < $#t && $t[$i + 1][1] eq 'time';
        }
        next unless $i < $#t && $t[$i + 1][0] eq 'p' && $t[$i + 1][1] eq '(';
        next if $i > 0 && $t[$i - 1][0] eq 'i' && $t[$i - 1][1] =~ /^(function|procedure|aggregate|type|table|view|domain)$/;
        my $q = ($i > 1 && $t[$i - 1][1] eq '.' && $t[$i - 1][0] eq 'p') ? $t[$i - 2][1] : '-';
        my ($depth, $commas, $empty) = (0, 0, 1);
        for my $j ($i + 1 .. $#t) {
            my ($kk, $vv) = @{$t[$j]};
            if ($kk eq 'p' && ($vv eq '(' || $vv eq '[')) { $depth++; next if $depth == 1 }
            elsif ($kk eq 'p' && ($vv eq ')' || $vv eq ']')) { $depth--; last if $depth == 0 }
            $empty = 0;
            $commas++ if $depth == 1 && $kk eq 'p' && $vv eq ',';
        }
        $out->('f', $v, $empty ? 0 : $commas + 1, $q);
    }
}

# --- stored parse trees ----------------------------------------------------
my @tok; my $ti;
sub tree {
    my ($s) = @_;
    return if $s =~ /^\s*$/;
    @tok = (); $ti = 0;
    while ($s =~ /\G\s*((?:\\.|[^\s(){}\\])+|[(){}])/gcs) { push @tok, $1 }
    my @roots;
    push @roots, item() while $ti < @tok;
    walk($_) for @roots;
}
sub item {                                      # one value: a node, a list or a token
    my $t = $tok[$ti++];
    if ($t eq '{') {
        my %n = (_type => $tok[$ti++]);
        while ($ti < @tok && $tok[$ti] ne '}') {
            my $f = $tok[$ti++];
            my @v;
            push @v, item() while $ti < @tok && $tok[$ti] ne '}' && $tok[$ti] !~ /^:/;
            $n{$f} = @v == 1 ? $v[0] : \@v;
        }
        $ti++;
        return \%n;
    }
    if ($t eq '(') {
        my @l;
        push @l, item() while $ti < @tok && $tok[$ti] ne ')';
        $ti++;
        return \@l;
    }
    return $t;
}
my %typefield = (VAR => ':vartype', CONST => ':consttype', PARAM => ':paramtype',
    FUNCEXPR => ':funcresulttype', OPEXPR => ':opresulttype', DISTINCTEXPR => ':opresulttype',
    NULLIFEXPR => ':opresulttype', FIELDSELECT => ':resulttype', RELABELTYPE => ':resulttype',
    COERCEVIAIO => ':resulttype', ARRAYCOERCEEXPR => ':resulttype', CONVERTROWTYPEEXPR => ':resulttype',
    CASEEXPR => ':casetype', CASETESTEXPR => ':typeId', ARRAYEXPR => ':array_typeid',
    ROWEXPR => ':row_typeid', COALESCEEXPR => ':coalescetype', MINMAXEXPR => ':minmaxtype',
    SQLVALUEFUNCTION => ':type', COERCETODOMAIN => ':resulttype', COERCETODOMAINVALUE => ':typeId',
    AGGREF => ':aggtype', WINDOWFUNC => ':wintype', SUBSCRIPTINGREF => ':refrestype',
    FIELDSTORE => ':resulttype', SETTODEFAULT => ':typeId');
my %booltype = map { $_ => 1 } qw(SCALARARRAYOPEXPR BOOLEXPR NULLTEST BOOLEANTEST);
sub etype {
    my ($n) = @_;
    return 0 unless ref $n eq 'HASH';
    return 16 if $booltype{$n->{_type}};
    return etype($n->{':arg'}) if $n->{_type} eq 'COLLATEEXPR' || $n->{_type} eq 'NAMEDARGEXPR';
    my $f = $typefield{$n->{_type}} or return 0;
    my $v = $n->{$f};
    return defined $v && !ref $v ? $v : 0;
}
my %emitted;
sub emit { my $l = join "\t", @_; print "$l\n" unless $emitted{$l}++ }
sub args { my ($n) = @_; my $a = $n->{':args'}; return ref $a eq 'ARRAY' ? @$a : () }
sub walk {
    my ($n) = @_;
    if (ref $n eq 'ARRAY') { walk($_) for @$n; return }
    return unless ref $n eq 'HASH';
    my $ty = $n->{_type};
    my $et = etype($n);
    emit('T', $et) if $et;
    if ($ty eq 'FUNCEXPR') {
        my @a = map { etype($_) } args($n);
        emit('F', $n->{':funcid'}, join(',', @a), $n->{':funcresulttype'}, $n->{':funcretset'})
            unless grep { !$_ } @a;
    } elsif ($ty eq 'OPEXPR' || $ty eq 'DISTINCTEXPR' || $ty eq 'NULLIFEXPR') {
        my @a = map { etype($_) } args($n);
        if (@a == 1) { emit('O', $n->{':opno'}, 0, $a[0], $n->{':opresulttype'}) if $a[0] }
        elsif (!grep { !$_ } @a) { emit('O', $n->{':opno'}, @a, $n->{':opresulttype'}) }
    } elsif ($ty eq 'SCALARARRAYOPEXPR') {
        my @a = map { etype($_) } args($n);
        emit('A', $n->{':opno'}, @a) if @a == 2 && $a[0] && $a[1];
    } elsif ($ty eq 'AGGREF') {
        my $at = $n->{':aggargtypes'};
        my @a = ref $at eq 'ARRAY' ? grep { /^\d+$/ } @$at : ();
        emit('G', $n->{':aggfnoid'}, join(',', @a));
    }
    for my $k (keys %$n) { walk($n->{$k}) if ref $n->{$k} }
}

if ($mode eq 'text') { text($in) } elsif ($mode eq 'tree') { tree($_) for split /\n/, $in } else { die "mode?\n" }
