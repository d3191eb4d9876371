# tests/block/lib.sh — what the block suites (tests/block*/run.sh) share,
# sourced from the repository root: block_suite_setup SUITE skips the
# suite when vemu-img or Debian's qemu-utils is missing, moves into a
# scratch directory removed at exit, and defines
#   $V              the vemu-img under test ($BUILD/vemu-img)
#   $T              the scratch directory
#   pass/fail NAME [WHY]   PASS:/FAIL: lines named SUITE/NAME
#   no_crash RC     an error exit that is not a signal (128+N is a crash)
block_suite_setup() {
    BLOCK_SUITE=$1
    BUILD=${BUILD:-build}
    case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
    V=$BUILD/vemu-img
    if [ ! -x "$V" ]; then
        echo "SKIP: $BLOCK_SUITE (no $V)"
        exit 0
    fi
    if ! command -v qemu-img >/dev/null || ! command -v qemu-io >/dev/null; then
        echo "SKIP: $BLOCK_SUITE (qemu-utils is not installed: make deps)"
        exit 0
    fi
    T=$(mktemp -d "${TMPDIR:-/tmp}/vemu-$BLOCK_SUITE.XXXXXX")
    trap 'rm -rf "$T"' EXIT
    cd "$T" || exit 1
}
pass() { echo "PASS: $BLOCK_SUITE/$1"; }
fail() { echo "FAIL: $BLOCK_SUITE/$1${2:+ ($2)}"; }
no_crash() { local rc=$1; [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; }
