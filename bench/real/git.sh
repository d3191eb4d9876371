# bench/real/git.sh WORKDIR — the git row: init, add and commit a small tree
# (three commits), then log, show and a diff of the history.  Fixed names
# and dates, so commit ids are the same on every side.
cd "$1" || exit 1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
export GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat
git init -q -b main repo && cd repo || exit 1
git config gc.auto 0
mkdir -p src docs
for i in 1 2 3 4 5 6 7 8; do
    printf 'int f%d(int x)\n{\n    return x * %d + 1;\n}\n' "$i" "$i" >src/f$i.c
    printf 'Notes %d\n' "$i" >docs/n$i.txt
done
git add . && GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' git commit -q -m 'first'
printf 'int g(void)\n{\n    return 7;\n}\n' >src/g.c
sed -i 's/1;/2;/' src/f3.c
git add -A && GIT_AUTHOR_DATE='2024-01-02T00:00:00Z' GIT_COMMITTER_DATE='2024-01-02T00:00:00Z' git commit -q -m 'second'
git rm -q docs/n5.txt
GIT_AUTHOR_DATE='2024-01-03T00:00:00Z' GIT_COMMITTER_DATE='2024-01-03T00:00:00Z' git commit -q -m 'third'
git log --format='%H %ad %s' --date=iso-strict
git log --stat --format=%s | cksum
git show --format=%T HEAD~1 | cksum
git diff --numstat HEAD~2 HEAD
git ls-files | wc -l
git status --porcelain | wc -l
