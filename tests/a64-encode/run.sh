#!/bin/bash
# The AArch64 encoder against a second disassembler (docs/backend-aarch64.md).
# test-a64-encode checks every word it emits against capstone; here the same
# words (VEMU_A64_DUMP) go through binutils' aarch64-linux-gnu-objdump and
# each must disassemble to the same instruction: same mnemonic and operands,
# numbers compared by value, binutils' preferred spellings of a few aliases
# mapped (objdump-compare.py).  One line per mnemonic.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/tests/a64-encode
TEST=$BUILD/tests/unit/test-a64-encode
AS=${AARCH64_AS:-aarch64-linux-gnu-as}
OBJDUMP=${AARCH64_OBJDUMP:-aarch64-linux-gnu-objdump}

for tool in "$AS" "$OBJDUMP" python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: a64-encode/binutils ($tool not installed: binutils-aarch64-linux-gnu)"
        exit 0
    fi
done
if [ ! -x "$TEST" ]; then
    echo "SKIP: a64-encode/binutils ($TEST not built: make unit-tests)"
    exit 0
fi
mkdir -p "$OUT"
rm -f "$OUT/words.txt"
if ! VEMU_A64_DUMP=$OUT/words.txt "$TEST" >"$OUT/unit.log" 2>&1 || [ ! -s "$OUT/words.txt" ]; then
    if grep -q 'Exec format error\|cannot execute' "$OUT/unit.log"; then
        echo "SKIP: a64-encode/binutils ($TEST does not run on this machine)"
        exit 0
    fi
    echo "FAIL: a64-encode/unit (test-a64-encode failed; see $OUT/unit.log)"
    exit 0
fi
python3 tests/a64-encode/objdump-compare.py "$OUT/words.txt" "$OUT" "$AS" "$OBJDUMP"
