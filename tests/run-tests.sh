#!/bin/bash
# Runs every test suite and prints the summary line `N passed, N failed[, N skipped]`.
#
# Suites: each cmocka binary in $BUILD/tests/unit, then each tests/*/run.sh.
# A suite reports one line per test: "PASS: name", "FAIL: name" or
# "SKIP: name (reason)"; anything else it prints is shown as-is.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
# The persistent translation cache (docs/translation-cache.md): a private
# one under the build directory, never the user's; the suites must pass
# with it cold or warm (it is kept between runs of make check).
case "$BUILD" in /*) VEMU_CACHE_DIR=$BUILD/test-cache ;; *) VEMU_CACHE_DIR=$PWD/$BUILD/test-cache ;; esac
export VEMU_CACHE_DIR
export VEMU_CACHE_SIZE=${VEMU_CACHE_SIZE:-512M}
pass=0 fail=0 skip=0
failed_names=()
# VEMU_TEST_BUDGET=seconds: once the run has taken that long, the suites not
# started yet print one SKIP each (CI gives the sanitizer pass the time left
# in its budget: .ci/run, docs/testing.md).  Each suite's time is printed as
# a "# time:" line either way.
START=$SECONDS
BUDGET=${VEMU_TEST_BUDGET:-0}
over_budget() { [ "$BUDGET" -gt 0 ] && [ $((SECONDS - START)) -ge "$BUDGET" ]; }

count() {   # reads suite output, tallies, echoes
    local line
    while IFS= read -r line; do
        echo "$line"
        case "$line" in
        "PASS: "*) pass=$((pass + 1)) ;;
        "FAIL: "*) fail=$((fail + 1)); failed_names+=("${line#FAIL: }") ;;
        "SKIP: "*) skip=$((skip + 1)) ;;
        esac
    done
}

# cmocka prints "[       OK ] name" / "[  FAILED  ] name" per test.
t0=$SECONDS
for t in "$BUILD"/tests/unit/test-*; do
    [ -x "$t" ] || continue
    case "$t" in *.o|*.d) continue ;; esac
    name=$(basename "$t")
    out=$("$t" 2>&1); rc=$?
    n=0
    group="" groups=0 skip_list=0
    while IFS= read -r line; do
        case "$line" in
        "[==========] "*"Running "*) groups=$((groups + 1)); [ $groups -gt 1 ] && group="group$groups/"; skip_list=0 ;;
        # cmocka's skip(): one line per test, then a summary that names them again
        "[  SKIPPED ] "*" test(s), listed below:") skip_list=1 ;;
        "[  SKIPPED ] "*) [ $skip_list = 1 ] || { echo "SKIP: $name/$group${line#\[  SKIPPED \] } (skipped by the test)"; n=$((n + 1)); } ;;
        "[       OK ] "*) echo "PASS: $name/$group${line#\[       OK \] }"; n=$((n + 1)) ;;
        "[  FAILED  ] "*" test(s), listed below:"|"[  FAILED  ] "*" test(s)."*) ;;
        "[  FAILED  ] "*|"[  ERROR   ] "*) echo "FAIL: $name/$group${line#\[  * \] }"; n=$((n + 1)) ;;
        esac
    done <<<"$out" > /tmp/vemu-unit.$$
    count < /tmp/vemu-unit.$$
    rm -f /tmp/vemu-unit.$$
    if [ $rc -ne 0 ] && ! grep -q '^\[  FAILED  \]' <<<"$out"; then
        echo "$out" | tail -20
        count <<<"FAIL: $name (exit status $rc)"
    elif [ $n -eq 0 ]; then
        count <<<"FAIL: $name (ran no tests)"
    fi
done
echo "# time: unit tests $((SECONDS - t0)) s"

for suite in tests/*/run.sh; do
    [ -x "$suite" ] || continue
    name=${suite#tests/}; name=${name%/run.sh}
    if over_budget; then
        count <<<"SKIP: $name (the run's time budget of $BUDGET s is spent: VEMU_TEST_BUDGET)"
        continue
    fi
    t0=$SECONDS
    while IFS= read -r line; do echo "$line"; done < <("$suite" 2>&1) > /tmp/vemu-suite.$$
    count < /tmp/vemu-suite.$$
    rm -f /tmp/vemu-suite.$$
    echo "# time: $name $((SECONDS - t0)) s"
done

if [ $fail -gt 0 ]; then
    echo "failed tests:"
    printf '  %s\n' "${failed_names[@]}"
fi
if [ $skip -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ] && [ $pass -gt 0 ]
