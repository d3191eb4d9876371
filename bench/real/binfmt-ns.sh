# bench/real/binfmt-ns.sh INTERPRETER|none COMMAND... — run COMMAND with a
# binfmt_misc of its own.  Started by bench/real/real.sh inside
# `unshare --user --map-root-user --mount`: since Linux 6.7 a user namespace
# may mount its own binfmt_misc instance, which alone decides how the
# namespace's execve runs foreign binaries.  With an INTERPRETER (qemu-arm),
# ARM ELF executables go to it; with "none", an ARM program exec'd by the
# host kernel fails with ENOEXEC.  Either way no handler of the host (another
# emulator's, or another user's) is involved, and nothing outside sees ours.
dir=/proc/sys/fs/binfmt_misc
mount -t binfmt_misc binfmt_misc "$dir" || exit 125
if [ "$1" != none ]; then
    # 32-bit little-endian ELF, executable or shared object, EM_ARM (40).
    printf '%s' ":arm:M::\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:$1:" \
        >"$dir/register" || exit 125
fi
shift
exec "$@"
