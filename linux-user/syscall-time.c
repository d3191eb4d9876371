/*
 * syscall-time.c — clocks and sleeping.
 *
 * 32-bit guests have two shapes of struct timespec: the old one (two
 * 32-bit words) and the time64 one (two 64-bit words, tv_nsec's high half
 * being padding).  struct timeval is two 32-bit words.  The "old" shapes
 * are really two guest longs (time_t is long): on LP64 guests (x86_64)
 * the same handlers read and write 64-bit words, which is why they go
 * through get/put_guest_longs.
 */
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/syscall.h>
#include <time.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

int put_guest_longs(uint64_t addr, const int64_t *v, unsigned n)
{
    uint8_t buf[8 * 8];
    unsigned ws = guest_long_size();
    if (n > 8)
        return -EFAULT;
    for (unsigned i = 0; i < n; i++) {
        if (ws == 8) {
            memcpy(buf + 8 * i, &v[i], 8);
        } else {
            int32_t w = (int32_t)v[i];
            memcpy(buf + 4 * i, &w, 4);
        }
    }
    return copy_to_guest(addr, buf, n * ws);
}

int get_guest_longs(uint64_t addr, int64_t *v, unsigned n)
{
    uint8_t buf[8 * 8];
    unsigned ws = guest_long_size();
    if (n > 8 || copy_from_guest(buf, addr, n * ws) < 0)
        return -EFAULT;
    for (unsigned i = 0; i < n; i++) {
        if (ws == 8) {
            memcpy(&v[i], buf + 8 * i, 8);
        } else {
            int32_t w;
            memcpy(&w, buf + 4 * i, 4);
            v[i] = w;
        }
    }
    return 0;
}

int put_timespec32(uint64_t addr, const struct timespec *ts)
{
    int64_t v[2] = { ts->tv_sec, ts->tv_nsec };
    return put_guest_longs(addr, v, 2);
}

int get_timespec32(uint64_t addr, struct timespec *ts)
{
    int64_t v[2];
    if (get_guest_longs(addr, v, 2) < 0)
        return -EFAULT;
    ts->tv_sec = v[0];
    ts->tv_nsec = v[1];
    return 0;
}

int put_timespec64(uint64_t addr, const struct timespec *ts)
{
    int64_t v[2] = { ts->tv_sec, ts->tv_nsec };
    return copy_to_guest(addr, v, sizeof(v));
}

int get_timespec64(uint64_t addr, struct timespec *ts)
{
    int64_t v[2];
    if (copy_from_guest(v, addr, sizeof(v)) < 0)
        return -EFAULT;
    ts->tv_sec = v[0];
    ts->tv_nsec = (int32_t)v[1];
    return 0;
}

int64_t sys_clock_gettime(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts;
    if (clock_gettime(sarg(a[0]), &ts) < 0)
        return -errno;
    return put_timespec32(a[1], &ts);
}

int64_t sys_clock_gettime64(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts;
    if (clock_gettime(sarg(a[0]), &ts) < 0)
        return -errno;
    return put_timespec64(a[1], &ts);
}

int64_t sys_clock_getres(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts;
    if (clock_getres(sarg(a[0]), &ts) < 0)
        return -errno;
    return a[1] ? put_timespec32(a[1], &ts) : 0;
}

int64_t sys_clock_getres_time64(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts;
    if (clock_getres(sarg(a[0]), &ts) < 0)
        return -errno;
    return a[1] ? put_timespec64(a[1], &ts) : 0;
}

int64_t sys_gettimeofday(CPUCommon *cpu, const uint64_t *a)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (a[0]) {
        int64_t v[2] = { tv.tv_sec, tv.tv_usec };
        if (put_guest_longs(a[0], v, 2) < 0)
            return -EFAULT;
    }
    if (a[1]) {
        int32_t tz[2] = { 0, 0 };   /* the kernel's sys_tz is normally zero */
        if (copy_to_guest(a[1], tz, sizeof(tz)) < 0)
            return -EFAULT;
    }
    return 0;
}

int64_t sys_time(CPUCommon *cpu, const uint64_t *a)
{
    int64_t t = guest_slong((uint64_t)time(NULL));
    if (a[0] && put_guest_longs(a[0], &t, 1) < 0)
        return -EFAULT;
    return t;
}

static int64_t do_sleep(clockid_t clk, int flags, const struct timespec *req, uint64_t rem_addr,
                        int (*put)(uint64_t, const struct timespec *))
{
    struct timespec rem;
    int r = -(int)safe_syscall(SYS_clock_nanosleep, (long)clk, (long)flags, (long)req, (long)&rem);
    if (r != 0) {
        if (r == EINTR && rem_addr && !(flags & TIMER_ABSTIME))
            put(rem_addr, &rem);
        return -r;
    }
    return 0;
}

int64_t sys_nanosleep(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec req;
    if (get_timespec32(a[0], &req) < 0)
        return -EFAULT;
    if (req.tv_nsec < 0 || req.tv_nsec >= 1000000000 || req.tv_sec < 0)
        return -EINVAL;
    return do_sleep(CLOCK_MONOTONIC, 0, &req, a[1], put_timespec32);
}

int64_t sys_clock_nanosleep(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec req;
    if (get_timespec32(a[2], &req) < 0)
        return -EFAULT;
    return do_sleep(sarg(a[0]), sarg(a[1]), &req, a[3], put_timespec32);
}

int64_t sys_clock_nanosleep_time64(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec req;
    if (get_timespec64(a[2], &req) < 0)
        return -EFAULT;
    return do_sleep(sarg(a[0]), sarg(a[1]), &req, a[3], put_timespec64);
}

int64_t sys_times(CPUCommon *cpu, const uint64_t *a)
{
    struct tms t;
    clock_t r = times(&t);
    if (a[0]) {
        int64_t v[4] = { t.tms_utime, t.tms_stime, t.tms_cutime, t.tms_cstime };
        if (put_guest_longs(a[0], v, 4) < 0)     /* clock_t is long */
            return -EFAULT;
    }
    return guest_slong((uint64_t)r);
}

/* struct itimerval: two timevals of two guest longs. */
static void itimerval_to_guest(int64_t v[4], const struct itimerval *it)
{
    v[0] = (int32_t)it->it_interval.tv_sec;
    v[1] = (int32_t)it->it_interval.tv_usec;
    v[2] = (int32_t)it->it_value.tv_sec;
    v[3] = (int32_t)it->it_value.tv_usec;
}

int64_t sys_setitimer(CPUCommon *cpu, const uint64_t *a)
{
    struct itimerval nv, ov;
    int64_t v[4];
    if (a[1]) {
        if (get_guest_longs(a[1], v, 4) < 0)
            return -EFAULT;
        nv.it_interval.tv_sec = v[0];
        nv.it_interval.tv_usec = v[1];
        nv.it_value.tv_sec = v[2];
        nv.it_value.tv_usec = v[3];
    } else {
        memset(&nv, 0, sizeof(nv));   /* Linux treats NULL as a zero timer */
    }
    if (setitimer(sarg(a[0]), &nv, &ov) < 0)
        return -errno;
    if (a[2]) {
        itimerval_to_guest(v, &ov);
        if (put_guest_longs(a[2], v, 4) < 0)
            return -EFAULT;
    }
    return 0;
}

int64_t sys_getitimer(CPUCommon *cpu, const uint64_t *a)
{
    struct itimerval it;
    if (getitimer(sarg(a[0]), &it) < 0)
        return -errno;
    int64_t v[4];
    itimerval_to_guest(v, &it);
    return put_guest_longs(a[1], v, 4);
}
