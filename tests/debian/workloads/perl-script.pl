# Run by Debian's perl (tests/debian/workloads/perl.test).
use strict;
use warnings;
use List::Util qw(sum max min reduce first shuffle);
use Digest::MD5 qw(md5_hex);
use POSIX qw(floor ceil fmod strftime);
use Data::Dumper;
$Data::Dumper::Sortkeys = 1; $Data::Dumper::Indent = 1;

my %count;
open my $fh, '<', 'words.txt' or die;
while (<$fh>) { chomp; $count{$_}++ }
close $fh;
my @top = (sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count)[0 .. 5];
print join(' ', map { "$_=$count{$_}" } @top), "\n";

open $fh, '<', 'table.csv' or die;
<$fh>;
my (%by_dept, %sal);
while (my $line = <$fh>) {
    chomp $line;
    my ($id, $name, $dept, $salary, $date) = split /,/, $line;
    push @{ $by_dept{$dept} }, $id;
    $sal{$dept} += $salary;
    if ($date =~ /^(\d{4})-(0[1-3])-(\d\d)$/ && $salary > 195000) { print "q1 rich: $name $1/$2/$3\n" }
}
printf "%-8s %5d %12.2f\n", $_, scalar @{ $by_dept{$_} }, $sal{$_} / @{ $by_dept{$_} } for sort keys %by_dept;

my $text = do { local $/; open my $t, '<', 'text.txt' or die; <$t> };
my @caps = $text =~ /\b([A-Z]\w+)\b/g;
print scalar(@caps), " capitalised, first: @caps[0..3]\n";
(my $t2 = substr($text, 0, 300)) =~ s/(\w+) (\w+)/$2 $1/g;
print "$t2\n";
my $n = () = $text =~ /alpha|omega/g;
print "alpha|omega: $n\n";
print join(',', 'aaa bbb ccc' =~ /(?<x>b+)/ ? ($+{x}, length $`) : ()), "\n";
print join('|', split /(?<=,)/, 'a,b,,c'), "\n";
$_ = 'The Cat sat on the MAT'; my $cnt = tr/a-z//; print "lower letters: $cnt; ", lc, "; ", ucfirst(lc), "\n";

my @nums = map { $_ + 0 } do { open my $nf, '<', 'numbers.txt' or die; <$nf> };
my @sorted = sort { $a <=> $b } @nums;
print "n=", scalar @nums, " sum=", sum(@nums), " min=$sorted[0] max=$sorted[-1] median=$sorted[@sorted / 2]\n";
print "reduce: ", (reduce { ($a * 31 + $b) % 1000003 } @nums), " first>99990: ", (first { $_ > 99990 } @nums) // 'none', "\n";
print "sprintf: ", sprintf('%08.3f|%-6s|%x|%o|%e|%g|%.0f|%s', 3.14159, 'ab', 255, 8, 12345.678, 0.0001234, 2.5, 1e21), "\n";
print "numbers: ", 2**53 + 1, " ", 9007199254740993, " ", 0.1 + 0.2, " ", 1/7, " ", -7 % 3, " ", int(-7 / 2), " ", 18446744073709551615, "\n";
print "posix: ", floor(-3.5), " ", ceil(-3.5), " ", fmod(-7, 3), " ", strftime('%Y-%m-%d %H:%M:%S', gmtime(1700000000)), "\n";
print "md5: ", md5_hex($text), "\n";
print "pack: ", unpack('H*', pack('NnCa4w', 0xdeadbeef, 513, 7, 'xy', 300)), " ", join(',', unpack('s< l> q', pack('s< l> q', -2, -3, -4))), "\n";
my %h = (b => [1, { c => 'd' }], a => \'str', n => undef);
print Dumper(\%h);
my @aoa = map { [$_, $_ ** 2, sqrt $_] } 1 .. 4;
printf "%d %d %.6f\n", @$_ for @aoa;
eval { die { code => 7 } }; print "die hash: $@->{code}\n";
eval { my $z = 0; my $r = 1 / $z }; print "div: ", ($@ =~ /division by zero/ ? 'caught' : $@), "\n";
local $SIG{__WARN__} = sub { print "warn: $_[0]" }; my $u; my $s = "x" . (defined $u ? $u : 'undef'); warn "custom\n";
my $str = join '', map { chr(65 + $_ % 26) } 0 .. 99;
print scalar reverse($str), " ", index($str, 'XYZ'), " ", rindex($str, 'ABC'), "\n";
exit 6;
