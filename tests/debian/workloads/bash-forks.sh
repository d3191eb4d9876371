# Run by bash (tests/debian/workloads/bash-forks.test): a script made of
# processes — subshells, pipes, command substitution, background jobs,
# process substitution — the shape of configure scripts and CI jobs.  Each
# $(...) and pipeline stage is a fork (and often an exec) under test.
set -u
fib() {   # recursive, every call a command substitution: fib 9 forks 108 times
    local n=$1
    if [ "$n" -lt 2 ]; then echo "$n"; return; fi
    echo $(( $(fib $((n - 1))) + $(fib $((n - 2))) ))
}
echo "fib 9 = $(fib 9)"
echo "nested: $(echo "a$(echo "b$(echo "c$(echo d)")")")"
for round in 1 2 3 4 5; do
    out=$( (echo one; echo two; (echo three; echo four) | tr a-z A-Z) | sort | tr '\n' ' ')
    echo "round $round: $out"
done
# Background jobs and wait, with exit statuses.
for i in 1 2 3 4 5 6; do ( exit $((i * 3)) ) & pids="${pids:-} $!"; done
st=""; for p in $pids; do wait "$p"; st="$st $?"; done; echo "statuses:$st"
# Pipelines of external programs.
seq 1 3000 | grep 7 | sort -r | head -5 | tr '\n' ' '; echo
cut -c1-3 words.txt | sort | uniq -c | sort -k1,1nr -k2 | head -4
# Process substitution and here-strings.
diff <(sort numbers.txt | head -20) <(sort numbers.txt | head -19) | wc -l
read -r a b c <<< "x y z"; echo "read: $c$b$a"
while read -r line; do n=$(( ${n:-0} + ${#line} )); done < <(head -100 words.txt); echo "chars: $n"
# Many short children in a loop, as in configure scripts.
for i in $(seq 1 40); do v=$(expr $i \* 2); t=$(( ${t:-0} + v )); done; echo "sum: $t"
x=$(md5sum < text.txt | cut -d' ' -f1); echo "md5: $x"
# A coprocess.
coproc UP { tr a-z A-Z; }
echo "coprocess input" >&"${UP[1]}"; exec {UP[1]}>&-
read -r reply <&"${UP[0]}"; wait "$UP_PID"; echo "coproc: $reply"
# Subshell exit statuses propagate.
( ( exit 7 ) ); echo "nested exit: $?"
f() { ( return 5 ); }; f; echo "function subshell: $?"
echo done
