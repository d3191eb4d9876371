#!/usr/bin/env python3
"""Generate the x86 system call tables of vemu-i386 and vemu-x86_64 from
the kernel's arch/x86/entry/syscalls/syscall_32.tbl and syscall_64.tbl
(Debian's linux-source-6.1, cached at
/var/cache/vemu-tests/linux-source-deb/linux-source-6.1.tar.xz) and the
list of generic handlers in linux-user/syscall.h.

Usage: linux-user/x86/gen-syscall-table.py --i386   > linux-user/i386/syscall-table-i386.inc
       linux-user/x86/gen-syscall-table.py --x86_64 > linux-user/x86_64/syscall-table-x86_64.inc
       linux-user/x86/gen-syscall-table.py --docs   > docs/syscalls-x86.md
       (`make syscall-table-x86`, `make syscall-docs-x86`; --tbl DIR reads
       the .tbl files from DIR instead of the tarball).
The output is committed: the kernel never renumbers a system call.

A table row's name is the kernel's; its handler is the generic handler of
that name, or of the name in the ALIASES below (where the same call has
another shape on ARM: 16/32-bit ids, the old 32-bit time, struct layouts
that follow the guest's word size), or a target handler (TARGET).
x32 rows (the 64-bit table's 512+ range) are not part of the x86_64 ABI
vemu-x86_64 runs.
"""
import os
import re
import sys
import tarfile

TARBALL = "/var/cache/vemu-tests/linux-source-deb/linux-source-6.1.tar.xz"
HANDLERS = "linux-user/syscall.h"

# i386 shares ARM's names almost everywhere (both are 32-bit kernels
# with 16-bit-id calls, fcntl64, stat64, mmap2 ...).
ALIASES_32 = {
    "getuid": "getuid16", "geteuid": "geteuid16", "getgid": "getgid16", "getegid": "getegid16",
    "fcntl": "fcntl64", "getrlimit": "old_getrlimit", "readdir": None,
}
TARGET_32 = {
    "set_thread_area": "x86_sys_set_thread_area", "get_thread_area": "x86_sys_get_thread_area",
    "fadvise64": "i386_sys_fadvise64", "fadvise64_64": "i386_sys_fadvise64_64",
    "sync_file_range": "i386_sys_sync_file_range", "waitpid": "i386_sys_waitpid",
}
# x86_64: the LP64 kernel's calls take 32-bit ids, long-sized time and
# offsets; the generic "32-bit" handlers follow the guest's long size.
ALIASES_64 = {
    "getuid": "getuid32", "geteuid": "geteuid32", "getgid": "getgid32", "getegid": "getegid32",
    "setuid": "setuid32", "setgid": "setgid32", "setreuid": "setreuid32", "setregid": "setregid32",
    "setresuid": "setresuid32", "setresgid": "setresgid32", "getresuid": "getresuid32",
    "getresgid": "getresgid32", "getgroups": "getgroups32", "setgroups": "setgroups32",
    "setfsuid": "setfsuid32", "setfsgid": "setfsgid32",
    "chown": "chown32", "fchown": "fchown32", "lchown": "lchown32",
    "fcntl": "fcntl64", "stat": "newstat", "fstat": "newfstat", "lstat": "newlstat",
    "newfstatat": "newfstatat", "mmap": "mmap64", "select": "_newselect",
    "getrlimit": "ugetrlimit", "statfs": "statfs_word", "fstatfs": "fstatfs_word",
    "sendfile": "sendfile64", "truncate": "truncate", "ftruncate": "ftruncate",
}
TARGET_64 = {
    "arch_prctl": "x86_64_sys_arch_prctl", "clone": "x86_64_sys_clone",
    "fadvise64": "x86_64_sys_fadvise64", "sync_file_range": "x86_64_sys_sync_file_range",
}
# How many arguments -strace shows (default 6).
NARGS = {
    "exit": 1, "exit_group": 1, "read": 3, "write": 3, "open": 3, "openat": 4, "close": 1,
    "readv": 3, "writev": 3, "creat": 2, "lseek": 3, "_llseek": 5, "stat": 2, "lstat": 2,
    "fstat": 2, "newfstatat": 4, "stat64": 2, "lstat64": 2, "fstat64": 2, "fstatat64": 4,
    "statx": 5, "getdents64": 3, "access": 2, "faccessat": 3, "faccessat2": 4, "readlink": 3,
    "readlinkat": 4, "getcwd": 2, "chdir": 1, "fchdir": 1, "mkdir": 2, "mkdirat": 3, "rmdir": 1,
    "unlink": 1, "unlinkat": 3, "rename": 2, "renameat": 4, "renameat2": 5, "ioctl": 3,
    "fcntl": 3, "fcntl64": 3, "dup": 1, "dup2": 2, "dup3": 3, "pipe": 1, "pipe2": 2, "brk": 1,
    "mmap": 6, "mmap2": 6, "munmap": 2, "mprotect": 3, "mremap": 5, "madvise": 3, "uname": 1,
    "getpid": 0, "getppid": 0, "gettid": 0, "getuid": 0, "geteuid": 0, "getgid": 0,
    "getegid": 0, "getuid32": 0, "geteuid32": 0, "getgid32": 0, "getegid32": 0,
    "set_tid_address": 1, "set_robust_list": 2, "rt_sigaction": 4, "rt_sigprocmask": 4,
    "sigaltstack": 2, "clock_gettime": 2, "clock_gettime64": 2, "clock_getres": 2,
    "gettimeofday": 2, "nanosleep": 2, "clock_nanosleep": 4, "getrandom": 3, "prlimit64": 4,
    "ugetrlimit": 2, "getrlimit": 2, "setrlimit": 2, "sysinfo": 1, "sched_yield": 0,
    "sched_getaffinity": 3, "kill": 2, "tgkill": 3, "tkill": 2, "futex": 6, "times": 1,
    "rt_sigreturn": 0, "sigreturn": 0, "rt_sigsuspend": 2, "pause": 0, "fork": 0, "vfork": 0,
    "clone": 5, "execve": 3, "umask": 1, "fsync": 1, "poll": 3, "wait4": 4, "prctl": 5,
    "arch_prctl": 2, "set_thread_area": 1, "get_thread_area": 1, "socketcall": 2, "ipc": 6,
    "time": 1, "alarm": 1, "pread64": 4, "pwrite64": 4, "rseq": 4,
}


def read_tbl(name, tbldir):
    if tbldir:
        return open(os.path.join(tbldir, name)).read()
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            if m.name.endswith("arch/x86/entry/syscalls/" + name):
                return tf.extractfile(m).read().decode()
    raise SystemExit("%s not found in %s" % (name, TARBALL))


def handlers():
    text = open(HANDLERS).read()
    m = re.search(r"#define LINUX_GENERIC_SYSCALLS\(X\)(.*?)\n\n", text, re.S)
    return set(re.findall(r"X\((\w+)\)", m.group(1)))


def table(text, abis, aliases, target):
    have = handlers()
    rows = []
    for line in text.splitlines():
        line = line.split("#")[0].split()
        if len(line) < 3 or line[1] not in abis:
            continue
        nr, name = int(line[0]), line[2]
        if name in target:
            fn = target[name]
        else:
            h = aliases.get(name, name)
            fn = "sys_" + h if h and h in have else None
        rows.append((nr, name, fn, NARGS.get(name, 6)))
    rows.sort()
    return rows


def docs(tbldir):
    out = sys.stdout
    r32 = table(read_tbl("syscall_32.tbl", tbldir), {"i386"}, ALIASES_32, TARGET_32)
    r64 = table(read_tbl("syscall_64.tbl", tbldir), {"common", "64"}, ALIASES_64, TARGET_64)
    out.write("# x86 system calls in vemu-i386 and vemu-x86_64\n\n"
              "Generated by `linux-user/x86/gen-syscall-table.py --docs` (`make syscall-docs-x86`)\n"
              "from the kernel's `syscall_32.tbl` and `syscall_64.tbl` (Linux 6.1) and the handlers\n"
              "in `linux-user/`; do not edit.  A handler named after another call is the same\n"
              "call in another shape (16/32-bit ids, the LP64 struct layouts, x86_64's argument\n"
              "order); `i386_`/`x86_64_`/`x86_` handlers are the targets' own.  Missing calls\n"
              "return `-ENOSYS` (logged with `-d unimp`).\n\n")
    for title, rows in (("i386 (int 0x80, sysenter)", r32), ("x86_64 (syscall)", r64)):
        have = sum(1 for r in rows if r[2])
        out.write("## %s\n\n%d calls, %d handled, %d missing.\n\n" % (title, len(rows), have, len(rows) - have))
        out.write("| nr | name | handler |\n| --- | --- | --- |\n")
        for nr, name, fn, _ in rows:
            out.write("| %d | %s | %s |\n" % (nr, name, "`%s`" % fn if fn else "missing"))
        out.write("\n")


def main():
    args = sys.argv[1:]
    tbldir = None
    if "--tbl" in args:
        tbldir = args[args.index("--tbl") + 1]
    if "--docs" in args:
        docs(tbldir)
        return
    if "--i386" in args:
        arch, tbl, var = "i386", "syscall_32.tbl", "i386_syscalls"
        rows = table(read_tbl(tbl, tbldir), {"i386"}, ALIASES_32, TARGET_32)
    elif "--x86_64" in args:
        arch, tbl, var = "x86_64", "syscall_64.tbl", "x86_64_syscalls"
        rows = table(read_tbl(tbl, tbldir), {"common", "64"}, ALIASES_64, TARGET_64)
    else:
        raise SystemExit("usage: gen-syscall-table.py --i386|--x86_64|--docs [--tbl DIR]")
    out = sys.stdout
    out.write("/*\n * syscall-table-%s.inc — the %s system call table.\n"
              " * Generated by linux-user/x86/gen-syscall-table.py --%s from the kernel's\n"
              " * arch/x86/entry/syscalls/%s (Linux 6.1); do not edit by hand.\n"
              " * NULL: known, not implemented (-ENOSYS).\n */\n" % (arch, arch, arch, tbl))
    out.write("static const LinuxSyscallDef %s[] = {\n" % var)
    for nr, name, fn, nargs in rows:
        out.write('    { %d, "%s", %s, %d },\n' % (nr, name, fn or "NULL", nargs))
    out.write("};\n")


main()
