/*
 * syscall.h — the generic system call handlers a target's table points at,
 * and the helpers they share.
 *
 * A handler receives the raw argument registers (a[0..6], zero-extended
 * guest words) and returns the result or -errno.  Where the same Linux
 * call exists in several shapes (stat64 vs statx, mmap vs mmap2, 16- vs
 * 32-bit uids, 32- vs 64-bit time), each shape is its own handler, and the
 * target's table says which number is which.
 */
#ifndef VEMU_LINUX_USER_SYSCALL_H
#define VEMU_LINUX_USER_SYSCALL_H

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "linux-user/target.h"

#define LINUX_GENERIC_SYSCALLS(X) \
    /* process */ \
    X(exit) X(exit_group) X(getpid) X(getppid) X(gettid) \
    X(getuid32) X(geteuid32) X(getgid32) X(getegid32) \
    X(getuid16) X(geteuid16) X(getgid16) X(getegid16) \
    X(getresuid32) X(getresgid32) X(getgroups32) \
    X(set_tid_address) X(set_robust_list) X(uname) X(getrandom) \
    X(prlimit64) X(ugetrlimit) X(setrlimit) X(sysinfo) X(sched_yield) \
    X(sched_getaffinity) X(kill) X(tgkill) X(tkill) X(getpriority) X(setpriority) \
    X(getpgrp) X(getpgid) X(setpgid) X(getsid) X(setsid) X(getrusage) X(umask) \
    X(futex) X(futex_time64) X(personality) X(prctl) X(wait4) \
    X(fork) X(vfork) X(clone) X(execve) \
    /* signals */ \
    X(rt_sigaction) X(rt_sigprocmask) X(sigaltstack) X(rt_sigreturn) X(sigreturn) \
    X(rt_sigpending) X(rt_sigsuspend) X(pause) \
    /* files */ \
    X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64) \
    X(open) X(openat) X(creat) X(close) X(lseek) X(_llseek) \
    X(stat64) X(lstat64) X(fstat64) X(fstatat64) X(statx) \
    X(statfs64) X(fstatfs64) \
    X(getdents64) X(access) X(faccessat) X(faccessat2) X(readlink) X(readlinkat) \
    X(getcwd) X(chdir) X(fchdir) X(mkdir) X(mkdirat) X(rmdir) X(unlink) X(unlinkat) \
    X(rename) X(renameat) X(renameat2) X(symlink) X(symlinkat) X(link) X(linkat) \
    X(chmod) X(fchmod) X(fchmodat) X(chown32) X(fchown32) X(lchown32) X(fchownat) \
    X(truncate64) X(ftruncate64) X(fsync) X(fdatasync) \
    X(ioctl) X(fcntl64) X(dup) X(dup2) X(dup3) X(pipe) X(pipe2) \
    X(utimensat_time64) X(poll) X(ppoll_time64) \
    /* memory */ \
    X(brk) X(mmap2) X(munmap) X(mprotect) X(mremap) X(madvise) X(msync) \
    X(mlock) X(munlock) \
    /* time */ \
    X(clock_gettime) X(clock_gettime64) X(clock_getres) X(clock_getres_time64) \
    X(gettimeofday) X(time) X(nanosleep) X(clock_nanosleep) X(clock_nanosleep_time64) \
    X(times) X(setitimer) X(getitimer) \
    /* POSIX timers (syscall-timer.c) */ \
    X(timer_create) X(timer_settime) X(timer_gettime) X(timer_getoverrun) X(timer_delete) \
    X(timer_settime64) X(timer_gettime64) \
    /* sockets (syscall-net.c) */ \
    X(socket) X(socketpair) X(bind) X(connect) X(listen) X(accept) X(accept4) \
    X(getsockname) X(getpeername) X(send) X(sendto) X(recv) X(recvfrom) X(shutdown) \
    X(setsockopt) X(getsockopt) X(sendmsg) X(recvmsg) X(sendmmsg) X(recvmmsg) \
    X(recvmmsg_time64) \
    /* waiting on descriptors, event descriptors (syscall-event.c) */ \
    X(_newselect) X(pselect6) X(pselect6_time64) X(ppoll) \
    X(epoll_create) X(epoll_create1) X(epoll_ctl) X(epoll_wait) X(epoll_pwait) X(epoll_pwait2) \
    X(eventfd) X(eventfd2) X(signalfd) X(signalfd4) \
    X(timerfd_create) X(timerfd_settime) X(timerfd_gettime) \
    X(timerfd_settime64) X(timerfd_gettime64) \
    X(inotify_init) X(inotify_init1) X(inotify_add_watch) X(inotify_rm_watch) \
    /* more processes, signals, files (syscall-misc.c) */ \
    X(waitid) X(clone3) X(memfd_create) X(rt_sigqueueinfo) X(rt_tgsigqueueinfo) \
    X(rt_sigtimedwait) X(rt_sigtimedwait_time64) \
    X(flock) X(sendfile64) X(fallocate) X(sync) X(syncfs) X(mknod) X(mknodat) \
    X(close_range) X(copy_file_range) X(splice) X(tee) X(getcpu) X(membarrier) \
    X(mlockall) X(munlockall) X(mincore) X(sched_get_priority_max) X(sched_get_priority_min) \
    X(sched_getscheduler) X(sched_getparam) X(sched_setaffinity) \
    X(setuid32) X(setgid32) X(setreuid32) X(setregid32) X(setresuid32) X(setresgid32) \
    X(setgroups32) X(setfsuid32) X(setfsgid32) X(capget) \
    X(utimensat) X(utimes) X(futimesat) X(ftruncate) X(truncate) X(fchown) X(lchown) X(chown) \
    X(getxattr) X(lgetxattr) X(fgetxattr) X(listxattr) X(llistxattr) X(flistxattr) \
    X(setxattr) X(lsetxattr) X(fsetxattr) X(removexattr) X(lremovexattr) X(fremovexattr) \
    X(pidfd_open) X(pidfd_send_signal) X(preadv) X(pwritev) X(preadv2) X(pwritev2) \
    X(arm_fadvise64_64) X(readahead) X(arm_sync_file_range) \
    /* LP64 guests (x86_64): struct stat, statfs and mmap with a byte offset */ \
    X(newstat) X(newlstat) X(newfstat) X(newfstatat) X(statfs_word) X(fstatfs_word) X(mmap64) \
    /* the old 32-bit struct stat, utime (syscall-file.c, syscall-misc.c) */ \
    X(stat) X(lstat) X(fstat) X(utime) \
    /* old multiplexed and struct-argument calls (syscall-old.c) */ \
    X(socketcall) X(ipc) X(mmap) X(select) X(old_getrlimit) X(alarm) \
    /* System V IPC (syscall-ipc.c) */ \
    X(semget) X(semop) X(semtimedop) X(semtimedop_time64) X(semctl) \
    X(shmget) X(shmat) X(shmdt) X(shmctl) X(msgget) X(msgsnd) X(msgrcv) X(msgctl)

#define LINUX_DECLARE_SYSCALL(n) int64_t sys_##n(CPUCommon *cpu, const uint64_t *a);
LINUX_GENERIC_SYSCALLS(LINUX_DECLARE_SYSCALL)

/* A handler's result meaning "the registers are already what the guest
 * must see" (sigreturn restored them all). */
#define SYSCALL_KEEP_REGS INT64_MIN

/* A 64-bit argument passed in two registers starting at a[*i] (aligned to
 * an even register first when the target's ABI does that), or in one on
 * LP64 guests; advances *i. */
static inline uint64_t syscall_arg64(const uint64_t *a, unsigned *i)
{
    if (syscall_abi()->args64)      /* LP64: one register holds it */
        return a[(*i)++];
    if (syscall_abi()->pair_align && (*i & 1))
        (*i)++;
    uint64_t v = (a[*i] & 0xffffffffu) | (a[*i + 1] << 32);
    *i += 2;
    return v;
}

/* A host call's result as a syscall result. */
static inline int64_t host_result(long r)
{
    return r < 0 ? -(int64_t)errno : r;
}

/* Guest open(2) flags <-> host (the numbering differs between ARM and x86). */
int open_flags_to_host(uint32_t guest_flags);
uint32_t open_flags_to_guest(int host_flags);

/* Write a host struct stat as the guest's struct stat64.  0 or -EFAULT. */
int put_guest_stat64(uint64_t addr, const struct stat *st);

/* Directory offsets handed to the guest are small cookies (syscall-dir.c). */
void dir_cookies_forget(int fd);
int dir_cookie_to_host(int fd, uint64_t cookie, int64_t *host_off);

/* Build a host iovec from a guest one (32-bit base/len pairs) with each
 * buffer checked for prot; 0, -EINVAL or -EFAULT. */
int64_t guest_iovec(uint64_t addr, uint64_t cnt, struct iovec *iov, unsigned prot);

/* n guest longs (4 or 8 bytes each, sign-extended when read); 0 or -EFAULT. */
int put_guest_longs(uint64_t addr, const int64_t *v, unsigned n);
int get_guest_longs(uint64_t addr, int64_t *v, unsigned n);

/* struct timespec with long members ("32": two 32-bit words on 32-bit
 * guests, two 64-bit ones on LP64) and the 64-bit-time one (0 or -EFAULT). */
struct timespec;
struct timeval;
struct rusage;
int get_timespec32(uint64_t addr, struct timespec *ts);
int put_timespec32(uint64_t addr, const struct timespec *ts);
int get_timespec64(uint64_t addr, struct timespec *ts);
int put_timespec64(uint64_t addr, const struct timespec *ts);
/* struct rusage of a 32-bit guest (72 bytes). */
int put_guest_rusage(uint64_t addr, const struct rusage *ru);

/* Sign-extend a 32-bit guest int argument. */
static inline int32_t sarg(uint64_t v) { return (int32_t)(uint32_t)v; }

#endif
