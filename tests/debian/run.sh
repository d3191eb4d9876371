#!/bin/bash
# tests/debian/run.sh — runs real Debian armel and armhf programs (busybox sh,
# coreutils, python3, lua, sqlite3, perl, compressors) under vemu-arm on
# deterministic workloads and compares their output with the host's native
# x86_64 build of the same Debian package versions.  See docs/testing-debian.md.
#
# Prints exactly one line per test:
#     PASS: debian/<arch>/<name>
#     FAIL: debian/<arch>/<name> (why: first differing lines)
#     SKIP: debian/<arch>/<name> (reason)
# Infrastructure problems (archive unreachable, no apt) are SKIPs, never FAILs.
#
# Environment:
#   BUILD            build directory (default build); results in $BUILD/debian/
#   VEMU             the emulator under test (default $BUILD/vemu-arm)
#   DEBIAN_ARCHES    arches to test (default "armel armhf")
#   DEBIAN_JOBS      tests run in parallel (default 2)
#   DEBIAN_TIMEOUT   seconds per test and side (default 300; 600 for a sanitizer build)
#   DEBIAN_FILTER    run only tests whose name contains this string
#   DEBIAN_ORACLE    native (default) or qemu: what vemu's output is compared with
#   VEMU_TEST_CACHE  where sysroots are kept (default /var/cache/vemu-tests)
#   VEMU_TEST_REFRESH=1  refresh the package lists (newer Debian versions)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/debian ;; *) OUT=$PWD/$BUILD/debian ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
ARCHES=${DEBIAN_ARCHES:-armel armhf}
JOBS=${DEBIAN_JOBS:-2}
TIMEOUT=${DEBIAN_TIMEOUT:-300}
# The timeout catches hangs, it measures nothing: the sanitizer build runs
# the fork-heavy workloads (bash-forks: ~300 processes) about twice as
# slowly, and CI runs two workloads at once on two cores.
case "$VEMU" in *-san/*) TIMEOUT=${DEBIAN_TIMEOUT:-600} ;; esac
FILTER=${DEBIAN_FILTER:-}
ORACLE=${DEBIAN_ORACLE:-native}
WORKLOADS=$HERE/workloads
export WORKLOADS
ulimit -c 0

case "$VEMU" in
*/*) [ -e "$VEMU" ] && VEMU=$(cd "$(dirname "$VEMU")" && pwd)/$(basename "$VEMU") ;;
*) VEMU=$(command -v "$VEMU" || echo "$VEMU") ;;
esac

TESTS=()
for f in "$WORKLOADS"/*.test; do
    n=$(basename "$f" .test)
    [ -z "$FILTER" ] || [[ "$n" == *"$FILTER"* ]] || continue
    TESTS+=("$n")
done

skip_all() {   # arch reason
    local n
    for n in "${TESTS[@]}"; do echo "SKIP: debian/$1/$n ($2)"; done
}

# ---- one test: both sides, compare ---------------------------------------------
# run_one ARCH NAME: leaves the verdict line in $OUT/results/ARCH-NAME.
run_one() {
    local arch=$1 name=$2
    local dir=$OUT/run/$arch/$name sysroot
    sysroot=$(cat "$OUT/sysroot-$arch")
    rm -rf "$dir"
    mkdir -p "$dir"
    local oracle=$ORACLE side
    for side in "$oracle" vemu; do
        mkdir -p "$dir/$side.tmp"
        cp -rp "$OUT/inputs-$arch/." "$dir/$side.tmp/"
        (
            cd "$dir/$side.tmp" || exit 99
            start=$(date +%s.%N)
            SYSROOT=$sysroot VEMU=$VEMU NATIVE_BUSYBOX=$(cat "$OUT/native-busybox" 2>/dev/null) \
                timeout -k 5 "$TIMEOUT" bash "$HERE/side.sh" "$side" "$WORKLOADS/$name.test" \
                </dev/null >"../$side.out" 2>"../$side.err"
            echo $? >"../$side.rc"
            awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"../$side.seconds"
        )
        if [ "$side" = native ] && [ -e "$dir/native.tmp/.missing" ]; then
            # No native program: Debian's ARM build under qemu-arm is the oracle.
            echo "(oracle: qemu-arm, $(cat "$dir/native.tmp/.missing"))" >"$dir/oracle-note"
            oracle=qemu
            mkdir -p "$dir/qemu.tmp"
            cp -rp "$OUT/inputs-$arch/." "$dir/qemu.tmp/"
            (
                cd "$dir/qemu.tmp" || exit 99
                SYSROOT=$sysroot timeout -k 5 "$TIMEOUT" bash "$HERE/side.sh" qemu "$WORKLOADS/$name.test" \
                    </dev/null >"../qemu.out" 2>"../qemu.err"
                echo $? >"../qemu.rc"
            )
        fi
    done
    local verdict why="" orc vrc
    orc=$(cat "$dir/$oracle.rc") vrc=$(cat "$dir/vemu.rc")
    if [ "$vrc" = 124 ] || [ "$vrc" = 137 ]; then
        why="timed out after ${TIMEOUT}s under vemu-arm"
    elif ! cmp -s "$dir/$oracle.out" "$dir/vemu.out"; then
        why="output differs from $oracle: $(diff "$dir/$oracle.out" "$dir/vemu.out" | grep '^[<>]' | head -4 | cut -c1-100 | tr '\n' '|')"
    elif [ "$orc" != "$vrc" ]; then
        why="exit status $vrc, $oracle $orc"
    fi
    if [ -n "$why" ]; then
        local err
        err=$(grep -v '^$' "$dir/vemu.err" | tail -2 | cut -c1-120 | tr '\n' '|')
        [ -n "$err" ] && why="$why; vemu stderr: $err"
        verdict="FAIL: debian/$arch/$name ($why)"
    elif [ "$orc" = 124 ] || [ "$orc" = 137 ]; then
        verdict="FAIL: debian/$arch/$name (oracle $oracle timed out: workload too slow)"
    else
        verdict="PASS: debian/$arch/$name"
    fi
    echo "$verdict" >"$OUT/results/$arch-$name"
}

if [ "${1:-}" = --one ]; then
    run_one "$2" "$3"
    exit 0
fi

# ---- setup ----------------------------------------------------------------------
[ ${#TESTS[@]} -gt 0 ] || { echo "FAIL: debian/setup (no workloads match '$FILTER')"; exit 0; }
mkdir -p "$OUT"
# Two runs sharing a build directory (two `make check`s) would delete each
# other's files: the second waits.
exec 8>"$OUT/.lock"
flock -w 1800 8 || { echo "FAIL: debian/setup (another run holds $OUT/.lock)"; exit 0; }
rm -rf "$OUT/run" "$OUT/results"
mkdir -p "$OUT/run" "$OUT/results"

if [ ! -x "$VEMU" ]; then
    for a in $ARCHES; do skip_all "$a" "vemu-arm not built ($VEMU)"; done
    exit 0
fi

# Native busybox: Debian's busybox-static for the host, unpacked into the
# cache like the ARM sysroots (the host's dynamic busybox shell would run the
# host's coreutils for pipelines, not its own applets).
host_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
if nb=$("$HERE/fetch-sysroot.sh" "$host_arch" 2>/dev/null) && [ -x "$nb/bin/busybox" ]; then
    echo "$nb/bin/busybox" >"$OUT/native-busybox"
else
    rm -f "$OUT/native-busybox"
fi

# The native oracle programs: Debian's host builds of the same packages.  A
# fresh machine may lack some; as root, install them (a failure only means
# those tests compare with qemu-arm instead).
missing=""
for pp in lua5.4:lua5.4 sqlite3:sqlite3 zstd:zstd xz:xz-utils bzip2:bzip2 gzip:gzip \
          perl:perl python3:python3 json_pp:perl pod2text:perl sha256sum:coreutils \
          bash:bash make:make diff:diffutils; do
    [ -x "/usr/bin/${pp%%:*}" ] || [ -x "/bin/${pp%%:*}" ] || missing="$missing ${pp#*:}"
done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
        $missing >"$OUT/native-install.log" 2>&1 \
        || echo "note: installing native$missing failed (see $OUT/native-install.log); those tests use qemu-arm"
fi

python3 "$HERE/gen-inputs.py" "$OUT/inputs" || { echo "FAIL: debian/setup (gen-inputs.py failed)"; exit 0; }

PAIRS=()
for a in $ARCHES; do
    if ! sysroot=$("$HERE/fetch-sysroot.sh" "$a" 2>"$OUT/fetch-$a.err"); then
        skip_all "$a" "$(sed -n 's/^why: //p' "$OUT/fetch-$a.err" | head -1)"
        continue
    fi
    echo "$sysroot" >"$OUT/sysroot-$a"
    # Inputs: the generated files, plus real files nobody here wrote, from the
    # sysroot's architecture-independent parts (Perl and Python sources).
    rm -rf "$OUT/inputs-$a"
    cp -r "$OUT/inputs" "$OUT/inputs-$a"
    tar -C "$sysroot/usr/share/perl/5.36/" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        -cf "$OUT/inputs-$a/perl-modules.tar" Pod Math File 2>/dev/null
    cp "$sysroot/usr/lib/python3.11/json/decoder.py" "$OUT/inputs-$a/pysrc.py" 2>/dev/null
    cp "$sysroot/usr/share/perl/5.36/Getopt/Long.pm" "$OUT/inputs-$a/Long.pm" 2>/dev/null
    for n in "${TESTS[@]}"; do PAIRS+=("$a $n"); done
done
[ ${#PAIRS[@]} -gt 0 ] || exit 0

# ---- run ------------------------------------------------------------------------
export BUILD VEMU TIMEOUT ORACLE DEBIAN_FILTER
printf '%s\n' "${PAIRS[@]}" | xargs -P "$JOBS" -L 1 "$HERE/run.sh" --one
for p in "${PAIRS[@]}"; do
    set -- $p
    if [ -f "$OUT/results/$1-$2" ]; then
        cat "$OUT/results/$1-$2"
    else
        echo "FAIL: debian/$1/$2 (runner produced no verdict)"
    fi
done
