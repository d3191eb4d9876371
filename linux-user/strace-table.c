/*
 * strace-table.c — how -strace shows each system call: one line per call
 * name (the names of the target's syscall table), its result kind, flags
 * and argument kinds (strace-kinds.h).  Adding a call is adding a line.
 *
 * 64-bit arguments (SA_OFF64) take a register pair, aligned the way the
 * target's ABI aligns them, so one line serves ARM EABI and i386.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux-user/strace-kinds.h"

#define S(nm, r, f, ...) { .name = #nm, .ret = r, .flags = f, .args = { __VA_ARGS__ } }
#define CALL(nm, ...) S(nm, SR_INT, 0, __VA_ARGS__)
/* A call whose arguments differ in one ABI: "<abi>:<name>" (looked up
 * before the plain name; see strace_spec_find_abi). */
#define SABI(str, r, f, ...) { .name = str, .ret = r, .flags = f, .args = { __VA_ARGS__ } }

/* Sorted by name (checked on first use). */
static const StraceSpec specs[] = {
    CALL(_llseek, SA_FD, SA_LLSEEK_OFF, SA_LOFF_OUT, SA_WHENCE),
    S(_newselect, SR_INT, SF_BLOCKS, SA_INT, SA_PTR, SA_PTR, SA_PTR, SA_PTR),
CALL(accept, SA_FD, SA_SOCKADDR_OUT, SA_INT_OUT),
    S(accept4, SR_INT, SF_BLOCKS, SA_FD, SA_SOCKADDR_OUT, SA_INT_OUT, SA_SOCKFLAGS),
    CALL(access, SA_PATH, SA_ACCESS),
    CALL(alarm, SA_UINT),
    CALL(arch_prctl, SA_HEX, SA_PTR),
    CALL(arm_fadvise64_64, SA_FD, SA_INT, SA_OFF64, SA_OFF64),
    CALL(bind, SA_FD, SA_SOCKADDR_IN, SA_UINT),
    S(brk, SR_HEX, 0, SA_PTR),
    CALL(capget, SA_PTR, SA_PTR),
    CALL(chdir, SA_PATH),
    CALL(chmod, SA_PATH, SA_OCT),
    CALL(chown, SA_PATH, SA_INT, SA_INT),
    CALL(chown32, SA_PATH, SA_INT, SA_INT),
    CALL(clock_getres, SA_CLOCKID, SA_TS32_OUT),
    CALL(clock_getres_time64, SA_CLOCKID, SA_TS64_OUT),
    CALL(clock_gettime, SA_CLOCKID, SA_TS32_OUT),
    CALL(clock_gettime64, SA_CLOCKID, SA_TS64_OUT),
    S(clock_nanosleep, SR_INT, SF_BLOCKS, SA_CLOCKID, SA_INT, SA_TS32_IN, SA_PTR),
    S(clock_nanosleep_time64, SR_INT, SF_BLOCKS, SA_CLOCKID, SA_INT, SA_TS64_IN, SA_PTR),
    /* ARM and i386 (CLONE_BACKWARDS): flags, stack, parent_tid, tls, child_tid. */
    CALL(clone, SA_CLONE_FLAGS, SA_PTR, SA_PTR, SA_PTR, SA_PTR),
    CALL(clone3, SA_PTR, SA_UINT),
    CALL(close, SA_FD),
    CALL(close_range, SA_FD, SA_FD, SA_HEX),
    S(connect, SR_INT, SF_BLOCKS, SA_FD, SA_SOCKADDR_IN, SA_UINT),
    CALL(copy_file_range, SA_FD, SA_PTR, SA_FD, SA_PTR, SA_UINT, SA_HEX),
    CALL(creat, SA_PATH, SA_OCT),
    CALL(dup, SA_FD),
    CALL(dup2, SA_FD, SA_FD),
    CALL(dup3, SA_FD, SA_FD, SA_FDFLAGS),
    CALL(epoll_create, SA_INT),
    CALL(epoll_create1, SA_FDFLAGS),
    CALL(epoll_ctl, SA_FD, SA_EPOLL_OP, SA_FD, SA_PTR),
    S(epoll_pwait, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_INT, SA_INT, SA_PTR),
    S(epoll_wait, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_INT, SA_INT),
    CALL(eventfd, SA_UINT),
    CALL(eventfd2, SA_UINT, SA_FDFLAGS),
    S(execve, SR_INT, SF_BEFORE, SA_PATH, SA_STRV, SA_ENVP),
    S(exit, SR_NONE, 0, SA_INT),
    S(exit_group, SR_NONE, 0, SA_INT),
    CALL(faccessat, SA_DIRFD, SA_PATH, SA_ACCESS),
    CALL(faccessat2, SA_DIRFD, SA_PATH, SA_ACCESS, SA_ATFLAGS),
    CALL(fallocate, SA_FD, SA_INT, SA_OFF64, SA_OFF64),
    CALL(fchdir, SA_FD),
    CALL(fchmod, SA_FD, SA_OCT),
    CALL(fchmodat, SA_DIRFD, SA_PATH, SA_OCT),
    CALL(fchown, SA_FD, SA_INT, SA_INT),
    CALL(fchown32, SA_FD, SA_INT, SA_INT),
    CALL(fchownat, SA_DIRFD, SA_PATH, SA_INT, SA_INT, SA_ATFLAGS),
    S(fcntl, SR_FCNTL, 0, SA_FD, SA_FCNTL_CMD),
    S(fcntl64, SR_FCNTL, 0, SA_FD, SA_FCNTL_CMD),
    CALL(fdatasync, SA_FD),
    CALL(fgetxattr, SA_FD, SA_PATH, SA_PTR, SA_UINT),
    CALL(flistxattr, SA_FD, SA_PTR, SA_UINT),
    S(flock, SR_INT, SF_BLOCKS, SA_FD, SA_FLOCK_OP),
    CALL(fork),
    CALL(fremovexattr, SA_FD, SA_PATH),
    CALL(fsetxattr, SA_FD, SA_PATH, SA_PTR, SA_UINT, SA_HEX),
    CALL(fstat, SA_FD, SA_PTR),
    CALL(fstat64, SA_FD, SA_STAT64_OUT),
    CALL(fstatat64, SA_DIRFD, SA_PATH, SA_STAT64_OUT, SA_ATFLAGS),
    CALL(fstatfs64, SA_FD, SA_UINT, SA_PTR),
    CALL(fsync, SA_FD),
    CALL(ftruncate, SA_FD, SA_INT),
    CALL(ftruncate64, SA_FD, SA_OFF64),
    S(futex, SR_INT, SF_BLOCKS, SA_PTR, SA_FUTEX_OP, SA_INT, SA_PTR, SA_PTR, SA_INT),
    S(futex_time64, SR_INT, SF_BLOCKS, SA_PTR, SA_FUTEX_OP, SA_INT, SA_PTR, SA_PTR, SA_INT),
    CALL(get_thread_area, SA_PTR),
    CALL(getcpu, SA_INT_OUT, SA_INT_OUT, SA_PTR),
    CALL(getcwd, SA_STR_OUT, SA_UINT),
    CALL(getdents64, SA_FD, SA_DIRENTS_OUT, SA_UINT),
    CALL(getegid),
    CALL(getegid32),
    CALL(geteuid),
    CALL(geteuid32),
    CALL(getgid),
    CALL(getgid32),
    CALL(getgroups32, SA_INT, SA_PTR),
    CALL(getitimer, SA_INT, SA_PTR),
    CALL(getpeername, SA_FD, SA_SOCKADDR_OUT, SA_INT_OUT),
    CALL(getpgid, SA_INT),
    CALL(getpgrp),
    CALL(getpid),
    CALL(getppid),
    CALL(getpriority, SA_WHO, SA_INT),
    CALL(getrandom, SA_BUF_OUT, SA_UINT, SA_GRND_FLAGS),
    CALL(getresgid32, SA_INT_OUT, SA_INT_OUT, SA_INT_OUT),
    CALL(getresuid32, SA_INT_OUT, SA_INT_OUT, SA_INT_OUT),
    CALL(getrlimit, SA_RESOURCE, SA_RLIMIT_OUT),
    CALL(getrusage, SA_WHO, SA_PTR),
    CALL(getsid, SA_INT),
    CALL(getsockname, SA_FD, SA_SOCKADDR_OUT, SA_INT_OUT),
    CALL(getsockopt, SA_FD, SA_SOCKLEVEL, SA_SOCKOPT, SA_PTR, SA_PTR),
    CALL(gettid),
    CALL(gettimeofday, SA_TIMEVAL_OUT, SA_PTR),
    CALL(getuid),
    CALL(getuid32),
    CALL(getxattr, SA_PATH, SA_PATH, SA_PTR, SA_UINT),
    CALL(inotify_add_watch, SA_FD, SA_PATH, SA_HEX),
    CALL(inotify_init),
    CALL(inotify_init1, SA_FDFLAGS),
    CALL(inotify_rm_watch, SA_FD, SA_INT),
    CALL(ioctl, SA_FD, SA_IOCTL_REQ, SA_PTR),
    /* the old multiplexers: the call number, then its arguments (socketcall: in memory) */
    CALL(ipc, SA_UINT, SA_INT, SA_INT, SA_INT, SA_PTR, SA_INT),
    CALL(kill, SA_INT, SA_SIGNAL),
    CALL(lchown, SA_PATH, SA_INT, SA_INT),
    CALL(lchown32, SA_PATH, SA_INT, SA_INT),
    CALL(lgetxattr, SA_PATH, SA_PATH, SA_PTR, SA_UINT),
    CALL(link, SA_PATH, SA_PATH),
    CALL(linkat, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH, SA_ATFLAGS),
    CALL(listen, SA_FD, SA_INT),
    CALL(listxattr, SA_PATH, SA_PTR, SA_UINT),
    CALL(llistxattr, SA_PATH, SA_PTR, SA_UINT),
    CALL(lremovexattr, SA_PATH, SA_PATH),
    CALL(lseek, SA_FD, SA_INT, SA_WHENCE),
    CALL(lsetxattr, SA_PATH, SA_PATH, SA_PTR, SA_UINT, SA_HEX),
    CALL(lstat, SA_PATH, SA_PTR),
    CALL(lstat64, SA_PATH, SA_STAT64_OUT),
    CALL(madvise, SA_PTR, SA_UINT, SA_MADVICE),
    CALL(membarrier, SA_INT, SA_HEX),
    CALL(memfd_create, SA_PATH, SA_HEX),
    CALL(mincore, SA_PTR, SA_UINT, SA_PTR),
    CALL(mkdir, SA_PATH, SA_OCT),
    CALL(mkdirat, SA_DIRFD, SA_PATH, SA_OCT),
    CALL(mknod, SA_PATH, SA_OCT, SA_HEX),
    CALL(mknodat, SA_DIRFD, SA_PATH, SA_OCT, SA_HEX),
    CALL(mlock, SA_PTR, SA_UINT),
    CALL(mlockall, SA_HEX),
    /* the old mmap (and select): the arguments are a struct in memory */
    S(mmap, SR_HEX, 0, SA_PTR),
    /* mmap2's offset is in 4096-byte units. */
    S(mmap2, SR_HEX, 0, SA_PTR, SA_UINT, SA_PROT, SA_MMAP_FLAGS, SA_FD, SA_HEX),
    CALL(mprotect, SA_PTR, SA_UINT, SA_PROT),
    S(mremap, SR_HEX, 0, SA_PTR, SA_UINT, SA_UINT, SA_MREMAP_FLAGS, SA_PTR),
    CALL(msync, SA_PTR, SA_UINT, SA_MSYNC_FLAGS),
    CALL(munlock, SA_PTR, SA_UINT),
    CALL(munlockall),
    CALL(munmap, SA_PTR, SA_UINT),
    S(nanosleep, SR_INT, SF_BLOCKS, SA_TS32_IN, SA_PTR),
    CALL(newfstatat, SA_DIRFD, SA_PATH, SA_PTR, SA_ATFLAGS),
    CALL(open, SA_PATH, SA_OFLAGS, SA_MODE),
    CALL(openat, SA_DIRFD, SA_PATH, SA_OFLAGS, SA_MODE),
    S(pause, SR_INT, SF_BLOCKS),
    CALL(personality, SA_HEX),
    CALL(pidfd_open, SA_INT, SA_HEX),
    CALL(pidfd_send_signal, SA_FD, SA_SIGNAL, SA_PTR, SA_HEX),
    CALL(pipe, SA_PIPE_OUT),
    CALL(pipe2, SA_PIPE_OUT, SA_FDFLAGS),
    S(poll, SR_INT, SF_BLOCKS, SA_POLLFDS, SA_UINT, SA_INT),
    S(ppoll, SR_INT, SF_BLOCKS, SA_POLLFDS, SA_UINT, SA_TS32_IN, SA_SIGSET_IN, SA_UINT),
    S(ppoll_time64, SR_INT, SF_BLOCKS, SA_POLLFDS, SA_UINT, SA_TS64_IN, SA_SIGSET_IN, SA_UINT),
    CALL(prctl, SA_PRCTL_OP, SA_HEX, SA_HEX, SA_HEX, SA_HEX),
    S(pread64, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_OUT, SA_UINT, SA_OFF64),
    S(preadv, SR_INT, SF_BLOCKS, SA_FD, SA_IOV_OUT, SA_UINT, SA_HEX, SA_HEX),
    CALL(prlimit64, SA_INT, SA_RESOURCE, SA_RLIMIT64_IN, SA_RLIMIT64_OUT),
    S(pselect6, SR_INT, SF_BLOCKS, SA_INT, SA_PTR, SA_PTR, SA_PTR, SA_PTR, SA_PTR),
    S(pselect6_time64, SR_INT, SF_BLOCKS, SA_INT, SA_PTR, SA_PTR, SA_PTR, SA_PTR, SA_PTR),
    S(pwrite64, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_IN, SA_UINT, SA_OFF64),
    S(pwritev, SR_INT, SF_BLOCKS, SA_FD, SA_IOV_IN, SA_UINT, SA_HEX, SA_HEX),
    S(read, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_OUT, SA_UINT),
    CALL(readahead, SA_FD, SA_OFF64, SA_UINT),
    CALL(readlink, SA_PATH, SA_BUF_OUT, SA_UINT),
    CALL(readlinkat, SA_DIRFD, SA_PATH, SA_BUF_OUT, SA_UINT),
    S(readv, SR_INT, SF_BLOCKS, SA_FD, SA_IOV_OUT, SA_UINT),
    S(recv, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_OUT, SA_UINT, SA_MSGFLAGS),
    S(recvfrom, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_OUT, SA_UINT, SA_MSGFLAGS, SA_SOCKADDR_OUT, SA_INT_OUT),
    S(recvmmsg, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_UINT, SA_MSGFLAGS, SA_TS32_IN),
    S(recvmmsg_time64, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_UINT, SA_MSGFLAGS, SA_TS64_IN),
    S(recvmsg, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_MSGFLAGS),
    CALL(removexattr, SA_PATH, SA_PATH),
    CALL(rename, SA_PATH, SA_PATH),
    CALL(renameat, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH),
    CALL(renameat2, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH, SA_HEX),
    CALL(rmdir, SA_PATH),
    CALL(rt_sigaction, SA_SIGNAL, SA_SIGACT_IN, SA_SIGACT_OUT, SA_UINT),
    CALL(rt_sigpending, SA_SIGSET_OUT, SA_UINT),
    CALL(rt_sigprocmask, SA_SIGHOW, SA_SIGSET_IN, SA_SIGSET_OUT, SA_UINT),
    CALL(rt_sigqueueinfo, SA_INT, SA_SIGNAL, SA_PTR),
    S(rt_sigreturn, SR_INT, 0),
    S(rt_sigsuspend, SR_INT, SF_BLOCKS, SA_SIGSET_IN, SA_UINT),
    S(rt_sigtimedwait, SR_INT, SF_BLOCKS, SA_SIGSET_IN, SA_PTR, SA_TS32_IN, SA_UINT),
    S(rt_sigtimedwait_time64, SR_INT, SF_BLOCKS, SA_SIGSET_IN, SA_PTR, SA_TS64_IN, SA_UINT),
    CALL(rt_tgsigqueueinfo, SA_INT, SA_INT, SA_SIGNAL, SA_PTR),
    CALL(sched_get_priority_max, SA_INT),
    CALL(sched_get_priority_min, SA_INT),
    CALL(sched_getaffinity, SA_INT, SA_UINT, SA_PTR),
    CALL(sched_getparam, SA_INT, SA_PTR),
    CALL(sched_getscheduler, SA_INT),
    CALL(sched_setaffinity, SA_INT, SA_UINT, SA_PTR),
    CALL(sched_yield),
    S(select, SR_INT, SF_BLOCKS, SA_PTR),
    S(send, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_IN, SA_UINT, SA_MSGFLAGS),
    CALL(sendfile64, SA_FD, SA_FD, SA_LOFF_OUT, SA_UINT),
    S(sendmmsg, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_UINT, SA_MSGFLAGS),
    S(sendmsg, SR_INT, SF_BLOCKS, SA_FD, SA_PTR, SA_MSGFLAGS),
    S(sendto, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_IN, SA_UINT, SA_MSGFLAGS, SA_SOCKADDR_IN, SA_UINT),
    CALL(set_robust_list, SA_PTR, SA_UINT),
    CALL(set_thread_area, SA_PTR),
    CALL(set_tid_address, SA_PTR),
    CALL(setgid32, SA_INT),
    CALL(setitimer, SA_INT, SA_PTR, SA_PTR),
    CALL(setpgid, SA_INT, SA_INT),
    CALL(setpriority, SA_WHO, SA_INT, SA_INT),
    CALL(setresgid32, SA_INT, SA_INT, SA_INT),
    CALL(setresuid32, SA_INT, SA_INT, SA_INT),
    CALL(setrlimit, SA_RESOURCE, SA_PTR),
    CALL(setsid),
    CALL(setsockopt, SA_FD, SA_SOCKLEVEL, SA_SOCKOPT, SA_PTR, SA_UINT),
    CALL(setuid32, SA_INT),
    CALL(setxattr, SA_PATH, SA_PATH, SA_PTR, SA_UINT, SA_HEX),
    CALL(shutdown, SA_FD, SA_SHUTHOW),
    CALL(sigaltstack, SA_PTR, SA_PTR),
    CALL(signalfd4, SA_FD, SA_SIGSET_IN, SA_UINT, SA_FDFLAGS),
    S(sigreturn, SR_INT, 0),
    CALL(socket, SA_DOMAIN, SA_SOCKTYPE, SA_INT),
    CALL(socketcall, SA_UINT, SA_PTR),
    CALL(socketpair, SA_DOMAIN, SA_SOCKTYPE, SA_INT, SA_PIPE_OUT),
    CALL(splice, SA_FD, SA_PTR, SA_FD, SA_PTR, SA_UINT, SA_HEX),
    CALL(stat, SA_PATH, SA_PTR),
    CALL(stat64, SA_PATH, SA_STAT64_OUT),
    CALL(statfs64, SA_PATH, SA_UINT, SA_PTR),
    CALL(statx, SA_DIRFD, SA_PATH, SA_ATFLAGS, SA_STATX_MASK, SA_STATX_OUT),
    CALL(symlink, SA_PATH, SA_PATH),
    CALL(symlinkat, SA_PATH, SA_DIRFD, SA_PATH),
    CALL(sync),
    CALL(syncfs, SA_FD),
    CALL(sysinfo, SA_PTR),
    CALL(tee, SA_FD, SA_FD, SA_UINT, SA_HEX),
    CALL(tgkill, SA_INT, SA_INT, SA_SIGNAL),
    CALL(time, SA_PTR),
    CALL(timer_create, SA_CLOCKID, SA_PTR, SA_INT_OUT),
    CALL(timer_delete, SA_INT),
    CALL(timer_getoverrun, SA_INT),
    CALL(timer_gettime, SA_INT, SA_PTR),
    CALL(timer_gettime64, SA_INT, SA_PTR),
    CALL(timer_settime, SA_INT, SA_HEX, SA_PTR, SA_PTR),
    CALL(timer_settime64, SA_INT, SA_HEX, SA_PTR, SA_PTR),
    CALL(timerfd_create, SA_CLOCKID, SA_FDFLAGS),
    CALL(timerfd_gettime, SA_FD, SA_PTR),
    CALL(timerfd_gettime64, SA_FD, SA_PTR),
    CALL(timerfd_settime, SA_FD, SA_HEX, SA_PTR, SA_PTR),
    CALL(timerfd_settime64, SA_FD, SA_HEX, SA_PTR, SA_PTR),
    CALL(times, SA_PTR),
    CALL(tkill, SA_INT, SA_SIGNAL),
    CALL(truncate, SA_PATH, SA_INT),
    CALL(truncate64, SA_PATH, SA_OFF64),
    CALL(ugetrlimit, SA_RESOURCE, SA_RLIMIT_OUT),
    CALL(umask, SA_OCT),
    CALL(uname, SA_UNAME_OUT),
    CALL(unlink, SA_PATH),
    CALL(unlinkat, SA_DIRFD, SA_PATH, SA_ATFLAGS),
    CALL(utime, SA_PATH, SA_PTR),
    CALL(utimensat, SA_DIRFD, SA_PATH, SA_PTR, SA_ATFLAGS),
    CALL(utimensat_time64, SA_DIRFD, SA_PATH, SA_PTR, SA_ATFLAGS),
    CALL(utimes, SA_PATH, SA_PTR),
    CALL(vfork),
    S(wait4, SR_INT, SF_BLOCKS, SA_INT, SA_WSTATUS_OUT, SA_WAIT_OPTIONS, SA_PTR),
    S(waitid, SR_INT, SF_BLOCKS, SA_WHO, SA_INT, SA_PTR, SA_WAIT_OPTIONS, SA_PTR),
    S(write, SR_INT, SF_BLOCKS, SA_FD, SA_BUF_IN, SA_UINT),
    S(writev, SR_INT, SF_BLOCKS, SA_FD, SA_IOV_IN, SA_UINT),
    /* x86_64: clone(flags, stack, parent_tid, child_tid, tls); mmap with
     * its six arguments and a byte offset */
    SABI("x86_64:clone", SR_INT, 0, SA_CLONE_FLAGS, SA_PTR, SA_PTR, SA_PTR, SA_PTR),
    SABI("x86_64:mmap", SR_HEX, 0, SA_PTR, SA_UINT, SA_PROT, SA_MMAP_FLAGS, SA_FD, SA_HEX),
};

static int spec_cmp(const void *k, const void *e)
{
    return strcmp((const char *)k, ((const StraceSpec *)e)->name);
}

const StraceSpec *strace_spec_find(const char *name)
{
    if (!name)
        return NULL;
    return bsearch(name, specs, sizeof(specs) / sizeof(specs[0]), sizeof(specs[0]), spec_cmp);
}

const StraceSpec *strace_spec_find_abi(const char *abi, const char *name)
{
    char key[64];
    if (name && abi && snprintf(key, sizeof(key), "%s:%s", abi, name) < (int)sizeof(key)) {
        const StraceSpec *s = strace_spec_find(key);
        if (s)
            return s;
    }
    return strace_spec_find(name);
}

const StraceSpec *strace_spec_at(unsigned i)
{
    return i < sizeof(specs) / sizeof(specs[0]) ? &specs[i] : NULL;
}

/* The table must stay sorted for bsearch. */
int strace_table_check_sorted(void)
{
    for (size_t i = 1; i < sizeof(specs) / sizeof(specs[0]); i++)
        if (strcmp(specs[i - 1].name, specs[i].name) >= 0)
            return (int)i;
    return 0;
}
