/*
 * syscall-timer.c — POSIX per-process timers (timer_create and friends).
 *
 * Each guest timer is a host kernel timer: the host kernel counts time on
 * the clock the guest named (any clock the host has, including another
 * process's cpu clock), sends the signal, counts overruns, and checks the
 * arguments.  What vemu converts:
 *
 *  - struct sigevent: 64 bytes on 32-bit guests, sigev_value being one
 *    32-bit word (union of int and a 32-bit pointer), then sigev_signo,
 *    sigev_notify, and the thread id of SIGEV_THREAD_ID.  The host's has an
 *    8-byte sigev_value.  A guest thread is a host thread with the same tid,
 *    so SIGEV_THREAD_ID's tid passes through; the signal number goes through
 *    guest_sig_to_host like every other signal.  SIGEV_THREAD is not a
 *    kernel notification (the guest's C library builds it on
 *    SIGEV_THREAD_ID), so the host kernel refuses it as it would natively.
 *  - struct itimerspec: four 32-bit words, or four 64-bit words for the
 *    time64 calls.
 *
 * Timer ids pass through unchanged: the kernel hands out small non-negative
 * ints per process, which fit the guest's 32-bit timer_t, and vemu itself
 * creates no timers, so the guest sees the ids a native process would see,
 * and the si_timerid of a timer's signal is the id timer_create returned.
 *
 * The signal a timer sends arrives through the ordinary host signal path
 * (signal.c), which turns the host's si_timerid, si_overrun and si_value
 * into the guest's siginfo.
 */
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

/* The kernel's struct sigevent on a 64-bit host (64 bytes). */
struct host_sigevent {
    union {
        int sival_int;
        void *sival_ptr;
    } value;
    int signo;
    int notify;
    union {
        int tid;
        int pad[12];
    } un;
};

#define GUEST_SIGEV_SIGNAL 0
#define GUEST_SIGEV_THREAD_ID 4

int64_t sys_timer_create(CPUCommon *cpu, const uint64_t *a)
{
    struct host_sigevent hev;
    struct host_sigevent *hevp = NULL;
    if (a[1]) {
        /* sigev_value (a guest word), sigev_signo, sigev_notify, tid; the
         * rest (the C library's SIGEV_THREAD function and attributes) the
         * kernel ignores. */
        int32_t w[4];
        uint64_t value = 0;
        unsigned ws = guest_long_size();
        if (copy_from_guest(&value, a[1], ws) < 0 || copy_from_guest(w + 1, a[1] + ws, 12) < 0)
            return -EFAULT;
        memset(&hev, 0, sizeof(hev));
        /* A 32-bit value zero-extended: the host's si_value carries it back
         * unchanged in its low half. */
        hev.value.sival_ptr = (void *)(uintptr_t)value;
        hev.notify = w[2];
        hev.signo = w[1];
        /* Linux checks the signal only for notifications that send one;
         * an invalid number stays invalid for the host kernel to refuse. */
        if ((hev.notify & ~GUEST_SIGEV_THREAD_ID) == GUEST_SIGEV_SIGNAL && guest_sig_to_host(w[1]))
            hev.signo = guest_sig_to_host(w[1]);
        hev.un.tid = w[3];
        hevp = &hev;
    }
    if (!guest_range_ok(a[2], 4, PAGE_WRITE))
        return -EFAULT;
    int id;
    long r = syscall(SYS_timer_create, (long)sarg(a[0]), hevp, &id);
    if (r < 0)
        return -errno;
    int32_t gid = id;
    if (copy_to_guest(a[2], &gid, 4) < 0) {
        syscall(SYS_timer_delete, (long)id);
        return -EFAULT;
    }
    return 0;
}

/* struct itimerspec of 32-bit guests: interval, then value. */
typedef int (*GetTimespec)(uint64_t, struct timespec *);
typedef int (*PutTimespec)(uint64_t, const struct timespec *);

static int get_itimerspec(uint64_t addr, struct itimerspec *its, GetTimespec get, size_t ts_size)
{
    if (get(addr, &its->it_interval) < 0 || get(addr + ts_size, &its->it_value) < 0)
        return -EFAULT;
    return 0;
}

static int put_itimerspec(uint64_t addr, const struct itimerspec *its, PutTimespec put,
                          size_t ts_size)
{
    if (put(addr, &its->it_interval) < 0 || put(addr + ts_size, &its->it_value) < 0)
        return -EFAULT;
    return 0;
}

static int64_t do_settime(const uint64_t *a, GetTimespec get, PutTimespec put, size_t ts_size)
{
    struct itimerspec nv, ov;
    struct itimerspec *nvp = NULL;
    if (a[2]) {
        if (get_itimerspec(a[2], &nv, get, ts_size) < 0)
            return -EFAULT;
        nvp = &nv;
    }
    /* No new value: the host kernel says EINVAL, as for a native process. */
    if (syscall(SYS_timer_settime, (long)sarg(a[0]), (long)sarg(a[1]), nvp, a[3] ? &ov : NULL) < 0)
        return -errno;
    if (a[3] && put_itimerspec(a[3], &ov, put, ts_size) < 0)
        return -EFAULT;
    return 0;
}

static int64_t do_gettime(const uint64_t *a, PutTimespec put, size_t ts_size)
{
    struct itimerspec cur;
    if (syscall(SYS_timer_gettime, (long)sarg(a[0]), &cur) < 0)
        return -errno;
    return put_itimerspec(a[1], &cur, put, ts_size);
}

int64_t sys_timer_settime(CPUCommon *cpu, const uint64_t *a)
{
    return do_settime(a, get_timespec32, put_timespec32, 2 * guest_long_size());
}

int64_t sys_timer_settime64(CPUCommon *cpu, const uint64_t *a)
{
    return do_settime(a, get_timespec64, put_timespec64, 16);
}

int64_t sys_timer_gettime(CPUCommon *cpu, const uint64_t *a)
{
    return do_gettime(a, put_timespec32, 2 * guest_long_size());
}

int64_t sys_timer_gettime64(CPUCommon *cpu, const uint64_t *a)
{
    return do_gettime(a, put_timespec64, 16);
}

int64_t sys_timer_getoverrun(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_timer_getoverrun, (long)sarg(a[0])));
}

int64_t sys_timer_delete(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_timer_delete, (long)sarg(a[0])));
}
