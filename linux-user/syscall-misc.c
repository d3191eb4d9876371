/*
 * syscall-misc.c — the remaining process, signal and file system calls:
 * waitid, clone3, memfd_create, queued signals and sigtimedwait, set*id,
 * scheduling queries, extended attributes, 32-bit-time and 16-bit-id
 * variants, and calls whose arguments pass straight through.
 *
 * set*id calls are raw system calls: Linux applies them to one thread and
 * the guest's C library broadcasts them to its other threads itself (with
 * signal 33); the host C library's wrappers would broadcast too.
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

#define PATH_IN(var, addr)                                                 \
    char var##_buf[PATH_MAX + 256];                                        \
    const char *var##_g = guest_string(addr, PATH_MAX);                    \
    if (!var##_g)                                                          \
        return -EFAULT;                                                    \
    const char *var = guest_path(var##_g, var##_buf, sizeof(var##_buf))

/* ---- processes ------------------------------------------------------------ */

int64_t sys_waitid(CPUCommon *cpu, const uint64_t *a)
{
    siginfo_t si;
    struct rusage ru;
    memset(&si, 0, sizeof(si));
    long r = safe_syscall(SYS_waitid, (long)sarg(a[0]), (long)sarg(a[1]), (long)(a[2] ? &si : NULL),
                          (long)sarg(a[3]), (long)(a[4] ? &ru : NULL));
    if (r < 0)
        return r;
    if (a[2]) {
        /* WNOHANG with nothing to report leaves si_pid 0 (the kernel clears
         * the struct); otherwise a SIGCHLD siginfo. */
        GuestSiginfo gi = { 0 };
        if (si.si_pid) {
            gi.signo = host_sig_to_guest(si.si_signo);
            gi.code = si.si_code;
            gi.pid = (uint32_t)si.si_pid;
            gi.uid = si.si_uid;
            gi.status = si.si_status;
        }
        uint8_t out[128];
        guest_siginfo_encode(&gi, out);
        if (!si.si_pid)
            memset(out, 0, sizeof(out));
        if (copy_to_guest(a[2], out, sizeof(out)) < 0)
            return -EFAULT;
    }
    if (a[4] && put_guest_rusage(a[4], &ru) < 0)
        return -EFAULT;
    return 0;
}

/* The C library falls back to clone when clone3 is missing. */
int64_t sys_clone3(CPUCommon *cpu, const uint64_t *a) { return -ENOSYS; }

int64_t sys_memfd_create(CPUCommon *cpu, const uint64_t *a)
{
    const char *name = guest_string(a[0], 256);
    if (!name)
        return -EFAULT;
    return host_result(memfd_create(name, (unsigned)a[1]));
}

/* ---- queued signals -------------------------------------------------------- */

/* A guest siginfo (128 bytes, 32-bit layout) as the host's. */
static int siginfo_from_guest(uint64_t addr, siginfo_t *si)
{
    int32_t w[32];
    if (copy_from_guest(w, addr, sizeof(w)) < 0)
        return -EFAULT;
    memset(si, 0, sizeof(*si));
    /* the union at 12 (32-bit guests) or 16 (LP64), si_value after pid, uid */
    bool lp64 = guest_long_size() == 8;
    unsigned u = lp64 ? 4 : 3;
    si->si_signo = guest_sig_to_host(w[0]);
    si->si_errno = w[1];
    si->si_code = w[2];
    si->si_pid = w[u];
    si->si_uid = (uid_t)w[u + 1];
    uint64_t v = (uint32_t)w[u + 2] | (lp64 ? (uint64_t)(uint32_t)w[u + 3] << 32 : 0);
    si->si_value.sival_ptr = (void *)(uintptr_t)v;
    return 0;
}

static void siginfo_to_guest_buf(const siginfo_t *si, uint8_t out[128])
{
    int sig = host_sig_to_guest(si->si_signo);
    GuestSiginfo gi;
    guest_siginfo_from_host(&gi, sig, si);
    gi.addr = (uintptr_t)si->si_addr;    /* used for fault codes only */
    guest_siginfo_encode(&gi, out);
}

int64_t sys_rt_sigqueueinfo(CPUCommon *cpu, const uint64_t *a)
{
    siginfo_t si;
    if (siginfo_from_guest(a[2], &si) < 0)
        return -EFAULT;
    int sig = guest_sig_to_host(sarg(a[1]));
    if (!sig && a[1])
        return -EINVAL;
    si.si_signo = sig;
    return host_result(syscall(SYS_rt_sigqueueinfo, sarg(a[0]), sig, &si));
}

int64_t sys_rt_tgsigqueueinfo(CPUCommon *cpu, const uint64_t *a)
{
    siginfo_t si;
    if (siginfo_from_guest(a[3], &si) < 0)
        return -EFAULT;
    int sig = guest_sig_to_host(sarg(a[2]));
    if (!sig && a[2])
        return -EINVAL;
    si.si_signo = sig;
    return host_result(syscall(SYS_rt_tgsigqueueinfo, sarg(a[0]), sarg(a[1]), sig, &si));
}

static int64_t do_sigtimedwait(const uint64_t *a, bool time64)
{
    if (a[3] != 8)
        return -EINVAL;
    uint64_t mask;
    if (copy_from_guest(&mask, a[0], 8) < 0)
        return -EFAULT;
    struct timespec ts, *tsp = NULL;
    if (a[2]) {
        if ((time64 ? get_timespec64(a[2], &ts) : get_timespec32(a[2], &ts)) < 0)
            return -EFAULT;
        tsp = &ts;
    }
    sigset_t host;
    guest_mask_to_host(mask, &host);
    siginfo_t si;
    /* The signals waited for are blocked (the guest blocked them, and the
     * host mask mirrors the guest's), so they wait in the host kernel. */
    long r = syscall(SYS_rt_sigtimedwait, &host, &si, tsp, 8);
    if (r < 0)
        return -errno;
    if (a[1]) {
        uint8_t out[128];
        siginfo_to_guest_buf(&si, out);
        if (copy_to_guest(a[1], out, sizeof(out)) < 0)
            return -EFAULT;
    }
    return host_sig_to_guest((int)r);
}

int64_t sys_rt_sigtimedwait(CPUCommon *cpu, const uint64_t *a) { return do_sigtimedwait(a, false); }
int64_t sys_rt_sigtimedwait_time64(CPUCommon *cpu, const uint64_t *a) { return do_sigtimedwait(a, true); }

int64_t sys_pidfd_open(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_pidfd_open, sarg(a[0]), (unsigned)a[1]));
}

int64_t sys_pidfd_send_signal(CPUCommon *cpu, const uint64_t *a)
{
    siginfo_t si, *sip = NULL;
    if (a[2]) {
        if (siginfo_from_guest(a[2], &si) < 0)
            return -EFAULT;
        sip = &si;
    }
    return host_result(syscall(SYS_pidfd_send_signal, sarg(a[0]), guest_sig_to_host(sarg(a[1])), sip,
                               (unsigned)a[3]));
}

/* ---- identities ------------------------------------------------------------ */

int64_t sys_setuid32(CPUCommon *cpu, const uint64_t *a) { return host_result(syscall(SYS_setuid, (uid_t)a[0])); }
int64_t sys_setgid32(CPUCommon *cpu, const uint64_t *a) { return host_result(syscall(SYS_setgid, (gid_t)a[0])); }
int64_t sys_setreuid32(CPUCommon *cpu, const uint64_t *a) { return host_result(syscall(SYS_setreuid, (uid_t)a[0], (uid_t)a[1])); }
int64_t sys_setregid32(CPUCommon *cpu, const uint64_t *a) { return host_result(syscall(SYS_setregid, (gid_t)a[0], (gid_t)a[1])); }
int64_t sys_setresuid32(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_setresuid, (uid_t)a[0], (uid_t)a[1], (uid_t)a[2]));
}
int64_t sys_setresgid32(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_setresgid, (gid_t)a[0], (gid_t)a[1], (gid_t)a[2]));
}
int64_t sys_setfsuid32(CPUCommon *cpu, const uint64_t *a) { return syscall(SYS_setfsuid, (uid_t)a[0]); }
int64_t sys_setfsgid32(CPUCommon *cpu, const uint64_t *a) { return syscall(SYS_setfsgid, (gid_t)a[0]); }

int64_t sys_setgroups32(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t n = guest_ulong(a[0]);
    if (n > 65536)
        return -EINVAL;
    const void *p = guest_ptr(a[1], n * 4, PAGE_READ);   /* gid_t: 32 bits everywhere */
    if (!p && n)
        return -EFAULT;
    return host_result(syscall(SYS_setgroups, n, p));
}

int64_t sys_capget(CPUCommon *cpu, const uint64_t *a)
{
    /* cap_user_header_t and cap_user_data_t hold only 32-bit fields. */
    void *h = guest_ptr(a[0], 8, PAGE_READ | PAGE_WRITE);
    if (!h)
        return -EFAULT;
    void *d = a[1] ? guest_ptr(a[1], 24, PAGE_WRITE) : NULL;
    if (a[1] && !d)
        return -EFAULT;
    return host_result(syscall(SYS_capget, h, d));
}

/* ---- scheduling ---------------------------------------------------------- */

int64_t sys_sched_get_priority_max(CPUCommon *cpu, const uint64_t *a) { return host_result(sched_get_priority_max(sarg(a[0]))); }
int64_t sys_sched_get_priority_min(CPUCommon *cpu, const uint64_t *a) { return host_result(sched_get_priority_min(sarg(a[0]))); }
int64_t sys_sched_getscheduler(CPUCommon *cpu, const uint64_t *a) { return host_result(syscall(SYS_sched_getscheduler, sarg(a[0]))); }

int64_t sys_sched_getparam(CPUCommon *cpu, const uint64_t *a)
{
    void *p = guest_ptr(a[1], 4, PAGE_WRITE);    /* struct sched_param: one int */
    return p ? host_result(syscall(SYS_sched_getparam, sarg(a[0]), p)) : -EFAULT;
}

int64_t sys_sched_setaffinity(CPUCommon *cpu, const uint64_t *a)
{
    /* Little-endian 32-bit words hold the cpu bits where 64-bit ones do. */
    uint8_t mask[1024] = { 0 };
    uint64_t len = guest_ulong(a[1]);
    if (len > sizeof(mask))
        len = sizeof(mask);
    if (copy_from_guest(mask, a[2], len) < 0)
        return -EFAULT;
    return host_result(syscall(SYS_sched_setaffinity, sarg(a[0]), (len + 7) & ~7ull, mask));
}

int64_t sys_getcpu(CPUCommon *cpu, const uint64_t *a)
{
    unsigned c, n;
    if (syscall(SYS_getcpu, &c, &n, NULL) < 0)
        return -errno;
    if ((a[0] && copy_to_guest(a[0], &c, 4) < 0) || (a[1] && copy_to_guest(a[1], &n, 4) < 0))
        return -EFAULT;
    return 0;
}

/* The host threads are the guest threads, so the host's barrier is theirs. */
int64_t sys_membarrier(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_membarrier, sarg(a[0]), (unsigned)a[1], sarg(a[2])));
}

/* ---- memory ------------------------------------------------------------------ */

int64_t sys_mlockall(CPUCommon *cpu, const uint64_t *a) { return 0; }     /* nothing to pin for a translator */
int64_t sys_munlockall(CPUCommon *cpu, const uint64_t *a) { return 0; }

int64_t sys_mincore(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t addr = guest_ulong(a[0]), len = guest_ulong(a[1]);
    if (addr & (GUEST_PAGE_SIZE - 1))
        return -EINVAL;
    if (!guest_range_ok(addr, len, 0))
        return -ENOMEM;
    uint64_t pages = GUEST_PAGE_ALIGN(len) >> GUEST_PAGE_BITS;
    void *vec = guest_ptr(a[2], pages, PAGE_WRITE);
    if (!vec && pages)
        return -EFAULT;
    return host_result(mincore(g2h(addr), len, vec));
}

/* ---- files ------------------------------------------------------------------- */

int64_t sys_flock(CPUCommon *cpu, const uint64_t *a) { return host_result(flock(sarg(a[0]), sarg(a[1]))); }
int64_t sys_sync(CPUCommon *cpu, const uint64_t *a) { sync(); return 0; }
int64_t sys_syncfs(CPUCommon *cpu, const uint64_t *a) { return host_result(syncfs(sarg(a[0]))); }

int64_t sys_sendfile64(CPUCommon *cpu, const uint64_t *a)
{
    off_t *off = NULL;
    if (a[2] && !(off = guest_ptr(a[2], 8, PAGE_READ | PAGE_WRITE)))
        return -EFAULT;
    return host_result(sendfile(sarg(a[0]), sarg(a[1]), off, guest_ulong(a[3])));
}

int64_t sys_fallocate(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 2;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    int64_t len = (int64_t)syscall_arg64(a, &i);
    return host_result(fallocate(sarg(a[0]), sarg(a[1]), off, len));
}

int64_t sys_arm_fadvise64_64(CPUCommon *cpu, const uint64_t *a)
{
    /* ARM's order: fd, advice, offset, len (keeps the 64-bit pairs aligned). */
    unsigned i = 2;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    int64_t len = (int64_t)syscall_arg64(a, &i);
    return -posix_fadvise(sarg(a[0]), off, len, sarg(a[1]));
}

int64_t sys_arm_sync_file_range(CPUCommon *cpu, const uint64_t *a)
{
    /* sync_file_range2's order: fd, flags, offset, nbytes (aligned pairs). */
    unsigned i = 2;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    int64_t n = (int64_t)syscall_arg64(a, &i);
    return host_result(sync_file_range(sarg(a[0]), off, n, (unsigned)a[1]));
}

int64_t sys_readahead(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 1;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    return host_result(readahead(sarg(a[0]), off, guest_ulong(a[i])));
}

int64_t sys_mknodat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_IN(path, a[1]);
    return host_result(syscall(SYS_mknodat, sarg(a[0]), path, (mode_t)a[2], (unsigned)a[3]));
}

int64_t sys_mknod(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], a[2] };
    return sys_mknodat(cpu, b);
}

int64_t sys_close_range(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_close_range, (unsigned)a[0], (unsigned)a[1], (unsigned)a[2]));
}

static int64_t loff_ptr(uint64_t addr, loff_t **p)
{
    *p = NULL;
    if (!addr)
        return 0;
    *p = guest_ptr(addr, 8, PAGE_READ | PAGE_WRITE);
    return *p ? 0 : -EFAULT;
}

int64_t sys_copy_file_range(CPUCommon *cpu, const uint64_t *a)
{
    loff_t *in, *out;
    if (loff_ptr(a[1], &in) < 0 || loff_ptr(a[3], &out) < 0)
        return -EFAULT;
    return host_result(copy_file_range(sarg(a[0]), in, sarg(a[2]), out, guest_ulong(a[4]), (unsigned)a[5]));
}

int64_t sys_splice(CPUCommon *cpu, const uint64_t *a)
{
    loff_t *in, *out;
    if (loff_ptr(a[1], &in) < 0 || loff_ptr(a[3], &out) < 0)
        return -EFAULT;
    return host_result(splice(sarg(a[0]), in, sarg(a[2]), out, guest_ulong(a[4]), (unsigned)a[5]));
}

int64_t sys_tee(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(tee(sarg(a[0]), sarg(a[1]), guest_ulong(a[2]), (unsigned)a[3]));
}

static int64_t do_prwv(const uint64_t *a, bool write, int flags)
{
    uint64_t cnt = guest_ulong(a[2]);
    struct iovec iov[UIO_MAXIOV];
    int64_t r = guest_iovec(a[1], cnt, iov, write ? PAGE_READ : PAGE_WRITE);
    if (r < 0)
        return r;
    /* pos_l, pos_h: two longs, never pair-aligned; a 64-bit kernel takes
     * the whole position from pos_l. */
    int64_t pos = syscall_abi()->args64 ? (int64_t)a[3]
                  : (int64_t)((uint32_t)a[3] | ((uint64_t)(uint32_t)a[4] << 32));
    return write ? host_result(pwritev2(sarg(a[0]), iov, (int)cnt, pos, flags))
                 : host_result(preadv2(sarg(a[0]), iov, (int)cnt, pos, flags));
}

int64_t sys_preadv(CPUCommon *cpu, const uint64_t *a) { return do_prwv(a, false, 0); }
int64_t sys_pwritev(CPUCommon *cpu, const uint64_t *a) { return do_prwv(a, true, 0); }
int64_t sys_preadv2(CPUCommon *cpu, const uint64_t *a) { return do_prwv(a, false, sarg(a[5])); }
int64_t sys_pwritev2(CPUCommon *cpu, const uint64_t *a) { return do_prwv(a, true, sarg(a[5])); }

/* 32-bit lengths (off_t of the guest). */
int64_t sys_ftruncate(CPUCommon *cpu, const uint64_t *a) { return host_result(ftruncate(sarg(a[0]), guest_slong(a[1]))); }

int64_t sys_truncate(CPUCommon *cpu, const uint64_t *a)
{
    PATH_IN(path, a[0]);
    return host_result(truncate(path, guest_slong(a[1])));
}

/* 16-bit ids: 0xffff means "unchanged" like -1. */
static uint32_t id16_in(uint64_t v) { return (uint16_t)v == 0xffff ? (uint32_t)-1 : (uint16_t)v; }

int64_t sys_fchown(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(fchown(sarg(a[0]), id16_in(a[1]), id16_in(a[2])));
}

int64_t sys_chown(CPUCommon *cpu, const uint64_t *a)
{
    PATH_IN(path, a[0]);
    return host_result(chown(path, id16_in(a[1]), id16_in(a[2])));
}

int64_t sys_lchown(CPUCommon *cpu, const uint64_t *a)
{
    PATH_IN(path, a[0]);
    return host_result(lchown(path, id16_in(a[1]), id16_in(a[2])));
}

/* ---- 32-bit time variants ----------------------------------------------------- */

int64_t sys_utimensat(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts[2], *tsp = NULL;
    if (a[2]) {
        if (get_timespec32(a[2], &ts[0]) < 0 || get_timespec32(a[2] + 2 * guest_long_size(), &ts[1]) < 0)
            return -EFAULT;
        tsp = ts;
    }
    if (!a[1])
        return host_result(syscall(SYS_utimensat, sarg(a[0]), NULL, tsp, sarg(a[3])));
    PATH_IN(path, a[1]);
    return host_result(utimensat(sarg(a[0]), path, tsp, sarg(a[3])));
}

int64_t sys_futimesat(CPUCommon *cpu, const uint64_t *a)
{
    struct timeval tv[2], *tvp = NULL;
    if (a[2]) {
        int64_t v[4];
        if (get_guest_longs(a[2], v, 4) < 0)
            return -EFAULT;
        tv[0] = (struct timeval){ v[0], v[1] };
        tv[1] = (struct timeval){ v[2], v[3] };
        tvp = tv;
    }
    PATH_IN(path, a[1]);
    return host_result(futimesat(sarg(a[0]), path, tvp));
}

int64_t sys_utimes(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[3] = { (uint32_t)AT_FDCWD, a[0], a[1] };
    return sys_futimesat(cpu, b);
}

/* utime (the old ABI's): struct utimbuf is two 32-bit times, or NULL for now. */
int64_t sys_utime(CPUCommon *cpu, const uint64_t *a)
{
    struct timeval tv[2], *tvp = NULL;
    if (a[1]) {
        int64_t v[2];
        if (get_guest_longs(a[1], v, 2) < 0)
            return -EFAULT;
        tv[0] = (struct timeval){ v[0], 0 };
        tv[1] = (struct timeval){ v[1], 0 };
        tvp = tv;
    }
    PATH_IN(path, a[0]);
    return host_result(utimes(path, tvp));
}

/* ---- extended attributes (names and values are bytes) ---------------------- */

static int64_t xattr_get(const uint64_t *a, int kind)
{
    const char *name = guest_string(a[1], 256);
    if (!name)
        return -EFAULT;
    uint64_t size = guest_ulong(a[3]);
    void *val = size ? guest_ptr(a[2], size, PAGE_WRITE) : NULL;
    if (size && !val)
        return -EFAULT;
    if (kind == 2)
        return host_result(fgetxattr(sarg(a[0]), name, val, size));
    PATH_IN(path, a[0]);
    return host_result(kind ? lgetxattr(path, name, val, size) : getxattr(path, name, val, size));
}

static int64_t xattr_set(const uint64_t *a, int kind)
{
    const char *name = guest_string(a[1], 256);
    if (!name)
        return -EFAULT;
    uint64_t size = guest_ulong(a[3]);
    const void *val = size ? guest_ptr(a[2], size, PAGE_READ) : NULL;
    if (size && !val)
        return -EFAULT;
    int flags = sarg(a[4]);
    if (kind == 2)
        return host_result(fsetxattr(sarg(a[0]), name, val, size, flags));
    PATH_IN(path, a[0]);
    return host_result(kind ? lsetxattr(path, name, val, size, flags) : setxattr(path, name, val, size, flags));
}

static int64_t xattr_list(const uint64_t *a, int kind)
{
    uint64_t size = guest_ulong(a[2]);
    char *list = size ? guest_ptr(a[1], size, PAGE_WRITE) : NULL;
    if (size && !list)
        return -EFAULT;
    if (kind == 2)
        return host_result(flistxattr(sarg(a[0]), list, size));
    PATH_IN(path, a[0]);
    return host_result(kind ? llistxattr(path, list, size) : listxattr(path, list, size));
}

static int64_t xattr_remove(const uint64_t *a, int kind)
{
    const char *name = guest_string(a[1], 256);
    if (!name)
        return -EFAULT;
    if (kind == 2)
        return host_result(fremovexattr(sarg(a[0]), name));
    PATH_IN(path, a[0]);
    return host_result(kind ? lremovexattr(path, name) : removexattr(path, name));
}

int64_t sys_getxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_get(a, 0); }
int64_t sys_lgetxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_get(a, 1); }
int64_t sys_fgetxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_get(a, 2); }
int64_t sys_setxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_set(a, 0); }
int64_t sys_lsetxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_set(a, 1); }
int64_t sys_fsetxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_set(a, 2); }
int64_t sys_listxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_list(a, 0); }
int64_t sys_llistxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_list(a, 1); }
int64_t sys_flistxattr(CPUCommon *cpu, const uint64_t *a) { return xattr_list(a, 2); }
int64_t sys_removexattr(CPUCommon *cpu, const uint64_t *a) { return xattr_remove(a, 0); }
int64_t sys_lremovexattr(CPUCommon *cpu, const uint64_t *a) { return xattr_remove(a, 1); }
int64_t sys_fremovexattr(CPUCommon *cpu, const uint64_t *a) { return xattr_remove(a, 2); }
