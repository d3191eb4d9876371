# Run by busybox sh (tests/debian/workloads/busybox-sh.test).
fib() {
    local n=$1 a=0 b=1 t
    while [ "$n" -gt 0 ]; do t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done
    echo "$a"
}
i=0
while [ $i -lt 30 ]; do printf '%s ' "$(fib $i)"; i=$((i + 1)); done; echo
echo "arith: $(( (7 * 6) % 5 )) $(( 1 << 20 )) $(( -17 / 3 )) $(( -17 % 3 )) $(( 0x7fffffff + 1 )) $(( 3 ** 4 ))"
s="The quick brown fox jumps over the lazy dog"
echo "len=${#s} prefix=${s%% *} suffix=${s##* } sub=${s#The } cut=${s% dog}"
echo "upper: $(echo "$s" | tr a-z A-Z)"
for w in $s; do echo "$w"; done | sort | uniq -c | sort -rn | head -3
case "$s" in *fox*) echo "case: fox";; *) echo "case: none";; esac
cat <<END | while read -r a b; do echo "heredoc: $b $a"; done
one 1
two 2
three $((1 + 2))
END
seq 1 200 | awk '{ s += $1 * $1 } END { print "sum of squares", s }'
seq 1 50 | grep -E '^(1|2)[0-9]?$' | tr '\n' ',' ; echo
printf '%5d|%-6s|%x|%o|%c\n' 42 ab 255 8 Z
set -- a "b c" d; echo "argc=$# second=$2"
sum=0; for n in $(seq 1 1000); do sum=$((sum + n)); done; echo "sum=$sum"
wc -l < numbers.txt
sort -n numbers.txt | head -3
sort words.txt | uniq -c | sort -k1,1nr -k2 | head -5
md5sum text.txt
sed -n 's/alpha \([a-z]*\)/<\1>/p' text.txt | head -3
f() { return 3; }; f; echo "status=$?"
( exit 7 ); echo "subshell=$?"
x=outer; g2() { local x=inner; echo "$x"; }; g2; echo "$x"
echo "${undefined:-default} ${#undefined}"
trap 'echo trapped' EXIT
exit 5
