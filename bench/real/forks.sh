# bench/real/forks.sh WORKDIR — the "bash script that forks and execs" row:
# command substitutions, subshells, pipelines and calls of coreutils, the
# shape of configure scripts and build glue.  About 40 processes, most of
# them exec'd programs.  Output: a summary that is the same on every side.
cd "$1" || exit 1
: >log
for i in $(seq 1 6); do
    up=$(echo "item-$i" | tr a-z A-Z)
    top=$( (echo "$i"; echo $((i * 7 % 23))) | sort -n | tail -1)
    base=$(basename "/src/dir$i/$up.c" .c)
    if [ $((i % 3)) -eq 0 ]; then
        sub=$(cut -d- -f2 <<<"$up")
    else
        sub=$( { printf '%s\n' "$base"; } | wc -c)
    fi
    printf '%s %s %s %s\n' "$up" "$top" "$base" "$sub" >>log
done
( cd / && pwd )
wc -l <log
cksum <log
head -3 log | sort -r
expr 6 \* 7
date -u -d @1000000000 '+%F %T'
mkdir -p d/e && touch d/e/f d/g && ls -R d | cksum
printf '%s\n' one two three | sed 's/o/0/g' | tr '\n' ' '
echo
