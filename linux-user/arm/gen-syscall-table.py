#!/usr/bin/env python3
"""Generate syscall-table-arm.inc (the ARM EABI system call table) from the
kernel's ARM EABI unistd header (Debian: linux-libc-dev-armel-cross) and the
list of generic handlers in linux-user/syscall.h; with --oabi
syscall-table-arm-oabi.inc, the old ABI's table, from asm/unistd-oabi.h
(numbers as svc 0x900000+n gives them after the kernel's XOR with
0x900000: n, and the private calls 0x9f0000+n at 0xf0000+n).

Usage: linux-user/arm/gen-syscall-table.py > linux-user/arm/syscall-table-arm.inc
       linux-user/arm/gen-syscall-table.py --oabi > linux-user/arm/syscall-table-arm-oabi.inc
(included by target-arm.c, so the tables' sizes are constants there).
       linux-user/arm/gen-syscall-table.py --docs > docs/syscalls.md
(`make syscall-docs`): the same table as documentation, with each call's
status: implemented (emulated by vemu itself), converted (a host call with
structures, flags or 64-bit arguments translated), passed through (a host
call with the same arguments), missing (-ENOSYS).
The output is committed: the header is a build-time fact about the ABI,
which never renumbers a system call.
"""
import re
import sys

HEADER = "/usr/arm-linux-gnueabi/include/asm/unistd-eabi.h"
OABI_HEADER = "/usr/arm-linux-gnueabi/include/asm/unistd-oabi.h"
HANDLERS = "linux-user/syscall.h"

# ARM numbers whose generic handler has another name (16/32-bit ids, the
# 32-bit-time variants...).
ALIASES = {
    "getuid": "getuid16", "geteuid": "geteuid16", "getgid": "getgid16", "getegid": "getegid16",
    "fcntl": "fcntl64", "setrlimit": "setrlimit",
}
# The old ABI: calls EABI does not have, whose handler has another name.
OABI_ALIASES = {
    "getrlimit": "old_getrlimit",
}
# Old-ABI calls handled in linux-user/arm/.
OABI_ARM = {"syscall": "arm_sys_oabi_syscall"}
# ARM-private calls (__ARM_NR_BASE + n), handled in linux-user/arm/.
PRIVATE = [(0xf0001, "breakpoint", None, 0), (0xf0002, "cacheflush", "arm_sys_cacheflush", 3),
           (0xf0003, "usr26", None, 0), (0xf0004, "usr32", None, 0),
           (0xf0005, "set_tls", "arm_sys_set_tls", 1), (0xf0006, "get_tls", "arm_sys_get_tls", 0)]
# How many arguments -strace shows (default 6 for unknown ones).
NARGS = {
    "exit": 1, "exit_group": 1, "read": 3, "write": 3, "open": 3, "openat": 4, "close": 1,
    "readv": 3, "writev": 3, "pread64": 6, "pwrite64": 6, "creat": 2, "lseek": 3, "_llseek": 5,
    "stat64": 2, "lstat64": 2, "fstat64": 2, "fstatat64": 4, "statx": 5, "getdents64": 3,
    "access": 2, "faccessat": 3, "faccessat2": 4, "readlink": 3, "readlinkat": 4, "getcwd": 2,
    "chdir": 1, "fchdir": 1, "mkdir": 2, "mkdirat": 3, "rmdir": 1, "unlink": 1, "unlinkat": 3,
    "rename": 2, "renameat": 4, "renameat2": 5, "ioctl": 3, "fcntl64": 3, "fcntl": 3, "dup": 1,
    "dup2": 2, "dup3": 3, "pipe": 1, "pipe2": 2, "brk": 1, "mmap2": 6, "munmap": 2,
    "mprotect": 3, "mremap": 5, "madvise": 3, "uname": 1, "getpid": 0, "getppid": 0,
    "gettid": 0, "getuid32": 0, "geteuid32": 0, "getgid32": 0, "getegid32": 0, "getuid": 0,
    "geteuid": 0, "getgid": 0, "getegid": 0, "set_tid_address": 1, "set_robust_list": 2,
    "rt_sigaction": 4, "rt_sigprocmask": 4, "sigaltstack": 2, "clock_gettime": 2,
    "clock_gettime64": 2, "clock_getres": 2, "clock_getres_time64": 2, "gettimeofday": 2,
    "nanosleep": 2, "clock_nanosleep": 4, "clock_nanosleep_time64": 4, "getrandom": 3,
    "prlimit64": 4, "ugetrlimit": 2, "getrlimit": 2, "setrlimit": 2, "sysinfo": 1,
    "sched_yield": 0, "sched_getaffinity": 3, "kill": 2, "tgkill": 3, "tkill": 2,
    "getpriority": 2, "setpriority": 3, "futex": 6, "futex_time64": 6, "times": 1,
    "rt_sigreturn": 0, "sigreturn": 0, "rt_sigpending": 2, "rt_sigsuspend": 2, "pause": 0,
    "setitimer": 3, "getitimer": 2, "fork": 0, "vfork": 0, "clone": 5, "execve": 3,
    "umask": 1, "fsync": 1, "fdatasync": 1, "poll": 3, "wait4": 4, "prctl": 5,
    "timer_create": 3, "timer_settime": 4, "timer_gettime": 2, "timer_getoverrun": 1,
    "timer_delete": 1, "timer_settime64": 4, "timer_gettime64": 2,
    "stat": 2, "lstat": 2, "fstat": 2, "socketcall": 2, "ipc": 6, "mmap": 1, "select": 1,
    "getrlimit": 2, "alarm": 1, "time": 1, "utime": 2, "syscall": 7,
}

# Calls vemu carries out itself rather than by the host call of that name.
EMULATED = {
    "exit", "exit_group", "brk", "mmap2", "munmap", "mprotect", "mremap", "madvise", "clone",
    "fork", "vfork", "execve", "rt_sigaction", "rt_sigprocmask", "sigaltstack", "rt_sigreturn",
    "sigreturn", "rt_sigpending", "rt_sigsuspend", "pause", "set_tid_address", "set_robust_list",
    "uname", "prctl", "personality", "kill", "tgkill", "tkill", "getdents64", "lseek", "_llseek",
    "readlink", "readlinkat", "open", "openat", "close", "set_tls", "get_tls", "cacheflush",
    "mlockall", "munlockall", "sched_getaffinity", "clone3", "mincore", "msync", "mlock", "munlock",
    "shmat", "shmdt", "mmap", "syscall",
}
# Host calls whose arguments or results are translated (struct layouts,
# 32-bit time, 16-bit ids, flag numbering, 64-bit register pairs, signal sets).
CONVERTED = {
    "stat64", "lstat64", "fstat64", "fstatat64", "statfs64", "fstatfs64", "fcntl", "fcntl64",
    "ioctl", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "pread64", "pwrite64",
    "truncate64", "ftruncate64", "truncate", "ftruncate", "fallocate", "arm_fadvise64_64",
    "arm_sync_file_range",
    "readahead", "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64",
    "gettimeofday", "time", "nanosleep", "clock_nanosleep", "clock_nanosleep_time64", "times",
    "setitimer", "getitimer", "futex", "futex_time64", "wait4", "waitid", "getrusage", "sysinfo",
    "prlimit64", "getrlimit", "ugetrlimit", "setrlimit", "getuid", "geteuid", "getgid", "getegid",
    "chown", "lchown", "fchown", "creat", "pipe2", "dup3", "ppoll", "ppoll_time64", "_newselect",
    "pselect6", "pselect6_time64", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
    "epoll_create1", "timerfd_create", "timerfd_settime", "timerfd_gettime", "timerfd_settime64",
    "timerfd_gettime64", "signalfd", "signalfd4", "eventfd2", "inotify_init1", "sendmsg",
    "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64", "setsockopt", "getsockopt",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigtimedwait", "rt_sigtimedwait_time64",
    "utimensat", "utimensat_time64", "utimes", "futimesat", "sched_setaffinity",
    "pidfd_send_signal", "getgroups32", "statx", "accept", "accept4", "getsockname",
    "getpeername", "recvfrom", "recv", "socketpair", "getcpu", "sendfile64",
    "semctl", "shmctl", "semtimedop", "semtimedop_time64", "msgsnd", "msgrcv", "msgctl",
    "timer_create", "timer_settime", "timer_gettime", "timer_settime64", "timer_gettime64",
    "stat", "lstat", "fstat", "socketcall", "ipc", "select", "getrlimit", "utime", "semop",
    "bind", "connect", "sendto",
}


def status(name, fn):
    if not fn:
        return "missing"
    if name in EMULATED:
        return "implemented"
    if name in CONVERTED:
        return "converted"
    return "passed through"


def docs(rows):
    out = sys.stdout
    counts = {}
    for nr, name, fn, _ in rows:
        st = status(name, fn)
        counts[st] = counts.get(st, 0) + 1
    out.write("# ARM EABI system calls in vemu-arm\n\n")
    out.write("Generated by `linux-user/arm/gen-syscall-table.py --docs` (`make syscall-docs`)\n"
              "from the kernel's `asm/unistd-eabi.h` and the handlers in `linux-user/`; do not edit.\n\n")
    out.write("- **implemented**: carried out by vemu itself (memory map, signals, threads and\n"
              "  processes, emulated `/proc` files, directory offset cookies);\n"
              "- **converted**: the host system call, with structures, 32-bit time values,\n"
              "  16-bit ids, flag numbers, signal sets or 64-bit register pairs translated;\n"
              "- **passed through**: the host system call with the same arguments (guest\n"
              "  pointers checked and made host pointers);\n"
              "- **missing**: returns `-ENOSYS` (logged with `-d unimp`).\n\n")
    out.write("| status | count |\n| --- | --- |\n")
    for st in ("implemented", "converted", "passed through", "missing"):
        out.write("| %s | %d |\n" % (st, counts.get(st, 0)))
    out.write("\n| nr | name | status | handler |\n| --- | --- | --- | --- |\n")
    for nr, name, fn, _ in rows:
        nrs = "0x%x" % nr if nr >= 0xf0000 else str(nr)
        out.write("| %s | %s | %s | %s |\n" % (nrs, name, status(name, fn), "`%s`" % fn if fn else ""))


def table(header, oabi):
    handlers = set()
    text = open(HANDLERS).read()
    m = re.search(r"#define LINUX_GENERIC_SYSCALLS\(X\)(.*?)\n\n", text, re.S)
    handlers.update(re.findall(r"X\((\w+)\)", m.group(1)))
    rows = []
    for line in open(header):
        m = re.match(r"#define __NR_(\w+)\s+\(__NR_SYSCALL_BASE\s*\+\s*(\d+)\)", line)
        if not m:
            continue
        name, nr = m.group(1), int(m.group(2))
        h = ALIASES.get(name, name)
        if oabi:
            h = OABI_ALIASES.get(name, h)
        fn = "sys_" + h if h in handlers else None
        if oabi and name in OABI_ARM:
            fn = OABI_ARM[name]
        rows.append((nr, name, fn, NARGS.get(name, 6)))
    rows += PRIVATE
    rows.sort()
    return rows


def oabi_docs(eabi_rows, oabi_rows):
    out = sys.stdout
    eabi_names = {name for _, name, _, _ in eabi_rows}
    out.write("\n## The old ABI (OABI)\n\n"
              "`svc 0x900000+n` in ARM state selects the old ABI's table (see\n"
              "[linux-user.md](linux-user.md#the-old-arm-abi-oabi)): the same numbers as\n"
              "above, the private calls at 0x9f0000+n, and these calls EABI does not have:\n\n")
    out.write("| nr | name | status | handler |\n| --- | --- | --- | --- |\n")
    for nr, name, fn, _ in oabi_rows:
        if name not in eabi_names:
            out.write("| %d | %s | %s | %s |\n" % (nr, name, status(name, fn), "`%s`" % fn if fn else ""))


def main():
    oabi = "--oabi" in sys.argv[1:]
    rows = table(OABI_HEADER if oabi else HEADER, oabi)
    if "--docs" in sys.argv[1:]:
        docs(rows)
        oabi_docs(rows, table(OABI_HEADER, True))
        return
    out = sys.stdout
    what, var, hdr = (("the ARM old-ABI (OABI)", "arm_oabi_syscalls", "unistd-oabi.h") if oabi else
                      ("the ARM EABI", "arm_syscalls", "unistd-eabi.h"))
    out.write("/*\n * syscall-table-arm%s.inc — %s system call table.\n"
              " * Generated by linux-user/arm/gen-syscall-table.py%s from the kernel's\n"
              " * asm/%s; do not edit by hand.  NULL: known, not implemented.\n */\n"
              % ("-oabi" if oabi else "", what, " --oabi" if oabi else "", hdr))
    out.write("static const LinuxSyscallDef %s[] = {\n" % var)
    for nr, name, fn, nargs in rows:
        out.write('    { 0x%x, "%s", %s, %d },\n' % (nr, name, fn or "NULL", nargs) if nr >= 0xf0000 else
                  '    { %d, "%s", %s, %d },\n' % (nr, name, fn or "NULL", nargs))
    out.write("};\n")


main()
