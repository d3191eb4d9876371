# merge-i386.awk NATIVE64_OUT QEMU_OUT — the expected output of an i386
# program: lines starting with "w:" (word-size dependent) from qemu-i386,
# every other line from the native x86_64 build of the same program (the
# host CPU is the better oracle: qemu-i386's x87, MXCSR flags and a few
# integer corners are not exact, see tests/x86-user/README).  If the two
# runs do not have the same number of shared lines, the rest comes from
# qemu and a line "#ORACLE-MISMATCH" goes to stderr.
FNR == NR { if ($0 !~ /^w: /) nat[++n] = $0; next }
{
    if ($0 ~ /^w: /) { print; next }
    if (++k <= n) print nat[k]; else { print; bad = 1 }
}
END { if (k != n || bad) print "#ORACLE-MISMATCH " k " " n > "/dev/stderr" }
