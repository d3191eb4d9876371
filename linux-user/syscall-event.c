/*
 * syscall-event.c — waiting on descriptors (select, pselect6, ppoll,
 * epoll) and the event descriptors (eventfd, signalfd, timerfd, inotify).
 *
 * Layouts that differ for 32-bit guests:
 *  - fd_set is an array of guest longs (32-bit ones on 32-bit guests); on
 *    little-endian hosts and guests
 *    its bits are at the same byte positions as the host's 64-bit longs,
 *    but the host kernel reads whole 64-bit words, so the sets go through
 *    bounce buffers rounded up;
 *  - struct epoll_event is packed (12 bytes) on x86_64 but 16 bytes on ARM
 *    EABI (the 64-bit data member is 8-aligned: 4 bytes of padding after
 *    events); i386 is packed like x86_64, so the guest size comes from
 *    syscall_abi()->llong_align (ARM OABI is packed too);
 *  - struct itimerspec and timeval/timespec exist in 32- and 64-bit time.
 * signalfd_siginfo, inotify_event, eventfd counters and pollfd have one
 * layout everywhere.
 *
 * The calls with a signal mask (pselect6, ppoll, epoll_pwait) make it the
 * guest's temporary mask (sigmask_temporary) and hand its host image to
 * the host call, which applies it atomically as the kernel does.
 */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

/* ---- signal mask arguments -------------------------------------------- */

/* Read a guest sigset (sigsetsize must be 8) and make it the temporary
 * guest mask; *host gets its host image.  0, -EINVAL or -EFAULT. */
static int64_t temp_mask_begin(uint64_t addr, uint64_t size, sigset_t *host)
{
    if (size != 8)
        return -EINVAL;
    uint64_t mask;
    if (copy_from_guest(&mask, addr, 8) < 0)
        return -EFAULT;
    sigmask_temporary(mask);
    guest_mask_to_host(mask, host);
    return 0;
}

/* After the host call: -EINTR leaves the temporary mask for the signal
 * delivery that follows (its frame saves the old mask). */
static int64_t temp_mask_end(int64_t r)
{
    if (r != -EINTR)
        sigmask_temporary_end();
    return r;
}

/* ---- select ------------------------------------------------------------- */

typedef struct FdSets {
    int n;
    size_t gbytes;              /* guest bytes per set: whole guest longs */
    uint64_t gaddr[3];
    uint64_t *h[3];             /* host sets, whole 64-bit longs, or NULL */
} FdSets;

static void fdsets_free(FdSets *s)
{
    for (int i = 0; i < 3; i++)
        free(s->h[i]);
}

static int64_t fdsets_in(FdSets *s, int n, const uint64_t *addrs)
{
    memset(s, 0, sizeof(*s));
    if (n < 0)
        return -EINVAL;
    if (n > 1 << 20)
        n = 1 << 20;
    s->n = n;
    unsigned wbits = 8 * guest_long_size();      /* fd_set words are guest longs */
    s->gbytes = (size_t)(n + wbits - 1) / wbits * (wbits / 8);
    size_t hbytes = (size_t)(n + 63) / 64 * 8;
    for (int i = 0; i < 3; i++) {
        s->gaddr[i] = addrs[i];
        if (!addrs[i])
            continue;
        s->h[i] = calloc(1, hbytes ? hbytes : 8);
        if (!s->h[i] || copy_from_guest(s->h[i], addrs[i], s->gbytes) < 0) {
            fdsets_free(s);
            return s->h[i] ? -EFAULT : -ENOMEM;
        }
    }
    return 0;
}

static int64_t fdsets_out(FdSets *s)
{
    for (int i = 0; i < 3; i++)
        if (s->h[i] && copy_to_guest(s->gaddr[i], s->h[i], s->gbytes) < 0)
            return -EFAULT;
    return 0;
}

/* The host pselect6's sixth argument. */
struct host_sigset_arg {
    const sigset_t *set;
    size_t size;
};

static int64_t do_select(int n, const uint64_t *sets, struct timespec *ts,
                         const sigset_t *mask)
{
    FdSets s;
    int64_t r = fdsets_in(&s, n, sets);
    if (r < 0)
        return r;
    struct host_sigset_arg sa = { mask, 8 };
    r = safe_syscall(SYS_pselect6, (long)s.n, (long)s.h[0], (long)s.h[1], (long)s.h[2], (long)ts,
                     (long)(mask ? &sa : NULL));
    if (r >= 0 && fdsets_out(&s) < 0)
        r = -EFAULT;
    fdsets_free(&s);
    return r;
}

int64_t sys__newselect(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts, *tsp = NULL;
    if (a[4]) {
        int64_t tv[2];          /* struct timeval: two guest longs */
        if (get_guest_longs(a[4], tv, 2) < 0)
            return -EFAULT;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -EINVAL;
        ts.tv_sec = tv[0];
        ts.tv_nsec = (long)tv[1] * 1000;
        tsp = &ts;
    }
    int64_t r = do_select(sarg(a[0]), &a[1], tsp, NULL);
    if (tsp && (r >= 0 || r == -EINTR)) {
        /* Linux writes back the time left. */
        int64_t tv[2] = { ts.tv_sec, ts.tv_nsec / 1000 };
        put_guest_longs(a[4], tv, 2);
    }
    return r;
}

static int64_t do_pselect6(const uint64_t *a, bool time64)
{
    struct timespec ts, *tsp = NULL;
    if (a[4]) {
        if ((time64 ? get_timespec64(a[4], &ts) : get_timespec32(a[4], &ts)) < 0)
            return -EFAULT;
        tsp = &ts;
    }
    sigset_t host;
    bool masked = false;
    if (a[5]) {
        int64_t arg[2];     /* { const sigset_t *ss; size_t ss_len; }: guest words */
        if (get_guest_longs(a[5], arg, 2) < 0)
            return -EFAULT;
        arg[0] = (int64_t)guest_ulong((uint64_t)arg[0]);
        arg[1] = (int64_t)guest_ulong((uint64_t)arg[1]);
        if (arg[0]) {
            int64_t e = temp_mask_begin(arg[0], arg[1], &host);
            if (e < 0)
                return e;
            masked = true;
        }
    }
    int64_t r = do_select(sarg(a[0]), &a[1], tsp, masked ? &host : NULL);
    if (masked)
        r = temp_mask_end(r);
    if (tsp && (r >= 0 || r == -EINTR))
        time64 ? put_timespec64(a[4], &ts) : put_timespec32(a[4], &ts);
    return r;
}

int64_t sys_pselect6(CPUCommon *cpu, const uint64_t *a) { return do_pselect6(a, false); }
int64_t sys_pselect6_time64(CPUCommon *cpu, const uint64_t *a) { return do_pselect6(a, true); }

/* ---- ppoll -------------------------------------------------------------- */

static int64_t do_ppoll(const uint64_t *a, bool time64)
{
    uint64_t n = guest_ulong(a[1]);
    if (n > 65536)
        return -EINVAL;
    /* struct pollfd: int fd; short events; short revents — same everywhere. */
    struct pollfd *p = guest_ptr(a[0], n * sizeof(struct pollfd), PAGE_WRITE);
    if (!p && n)
        return -EFAULT;
    struct timespec ts, *tsp = NULL;
    if (a[2]) {
        if ((time64 ? get_timespec64(a[2], &ts) : get_timespec32(a[2], &ts)) < 0)
            return -EFAULT;
        tsp = &ts;
    }
    sigset_t host;
    bool masked = false;
    if (a[3]) {
        int64_t e = temp_mask_begin(a[3], a[4], &host);
        if (e < 0)
            return e;
        masked = true;
    }
    int64_t r = safe_syscall(SYS_ppoll, (long)p, (long)n, (long)tsp, (long)(masked ? &host : NULL), 8L);
    if (masked)
        r = temp_mask_end(r);
    if (tsp && (r >= 0 || r == -EINTR))
        time64 ? put_timespec64(a[2], &ts) : put_timespec32(a[2], &ts);
    return r;
}

int64_t sys_ppoll(CPUCommon *cpu, const uint64_t *a) { return do_ppoll(a, false); }
int64_t sys_ppoll_time64(CPUCommon *cpu, const uint64_t *a) { return do_ppoll(a, true); }

/* ---- epoll -------------------------------------------------------------- */

/* struct epoll_event { u32 events; u64 data; }: 16 bytes where u64 aligns
 * to 8, 12 where it does not (ARM OABI, i386) and on x86_64, whose kernel
 * declares it packed. */
static unsigned epoll_event_size(void)
{
    return syscall_abi()->llong_align >= 8 && !syscall_abi()->epoll_packed ? 16 : 12;
}

static unsigned epoll_data_off(void) { return epoll_event_size() == 16 ? 8 : 4; }

int64_t sys_epoll_create1(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(epoll_create1(open_flags_to_host((uint32_t)a[0]) & EPOLL_CLOEXEC));
}

int64_t sys_epoll_create(CPUCommon *cpu, const uint64_t *a)
{
    if (sarg(a[0]) <= 0)
        return -EINVAL;
    return host_result(epoll_create1(0));
}

int64_t sys_epoll_ctl(CPUCommon *cpu, const uint64_t *a)
{
    struct epoll_event ev, *evp = NULL;
    if (sarg(a[1]) != EPOLL_CTL_DEL || a[3]) {
        uint8_t g[16];
        if (copy_from_guest(g, a[3], epoll_event_size()) < 0)
            return -EFAULT;
        uint32_t events;
        uint64_t data;
        memcpy(&events, g, 4);
        memcpy(&data, g + epoll_data_off(), 8);
        ev.events = events;
        ev.data.u64 = data;
        evp = &ev;
    }
    return host_result(epoll_ctl(sarg(a[0]), sarg(a[1]), sarg(a[2]), evp));
}

static int64_t do_epoll_wait(const uint64_t *a, int timeout_ms, const struct timespec *ts,
                             bool with_mask)
{
    int max = sarg(a[2]);
    if (max <= 0 || max > 65536)
        return -EINVAL;
    unsigned gsz = epoll_event_size();
    if (!guest_range_ok(a[1], (uint64_t)max * gsz, PAGE_WRITE))
        return -EFAULT;
    struct epoll_event *ev = malloc(sizeof(*ev) * (size_t)max);
    if (!ev)
        return -ENOMEM;
    sigset_t host;
    bool masked = false;
    if (with_mask && a[4]) {
        int64_t e = temp_mask_begin(a[4], a[5], &host);
        if (e < 0) {
            free(ev);
            return e;
        }
        masked = true;
    }
    int64_t r;
    if (ts)
        r = safe_syscall(SYS_epoll_pwait2, (long)sarg(a[0]), (long)ev, (long)max, (long)ts,
                         (long)(masked ? &host : NULL), 8L);
    else
        r = safe_syscall(SYS_epoll_pwait, (long)sarg(a[0]), (long)ev, (long)max, (long)timeout_ms,
                         (long)(masked ? &host : NULL), 8L);
    if (masked)
        r = temp_mask_end(r);
    for (int64_t i = 0; i < r; i++) {
        uint8_t g[16] = { 0 };
        uint32_t events = ev[i].events;
        uint64_t data = ev[i].data.u64;
        memcpy(g, &events, 4);
        memcpy(g + epoll_data_off(), &data, 8);
        if (copy_to_guest(a[1] + (uint64_t)i * gsz, g, gsz) < 0) {
            r = -EFAULT;
            break;
        }
    }
    free(ev);
    return r;
}

int64_t sys_epoll_wait(CPUCommon *cpu, const uint64_t *a) { return do_epoll_wait(a, sarg(a[3]), NULL, false); }
int64_t sys_epoll_pwait(CPUCommon *cpu, const uint64_t *a) { return do_epoll_wait(a, sarg(a[3]), NULL, true); }

int64_t sys_epoll_pwait2(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts;   /* epoll_pwait2 takes a 64-bit __kernel_timespec */
    if (a[3] && get_timespec64(a[3], &ts) < 0)
        return -EFAULT;
    if (!a[3])
        return do_epoll_wait(a, -1, NULL, true);
    return do_epoll_wait(a, 0, &ts, true);
}

/* ---- eventfd, signalfd -------------------------------------------------- */

int64_t sys_eventfd2(CPUCommon *cpu, const uint64_t *a)
{
    /* EFD_CLOEXEC and EFD_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
    return host_result(eventfd((unsigned)a[0], open_flags_to_host((uint32_t)a[1])));
}

int64_t sys_eventfd(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(eventfd((unsigned)a[0], 0));
}

int64_t sys_signalfd4(CPUCommon *cpu, const uint64_t *a)
{
    if (a[2] != 8)
        return -EINVAL;
    uint64_t mask;
    if (copy_from_guest(&mask, a[1], 8) < 0)
        return -EFAULT;
    sigset_t host;
    guest_mask_to_host(mask, &host);
    /* The raw call: the C library would drop signals 32 and 33. */
    return host_result(syscall(SYS_signalfd4, sarg(a[0]), &host, 8,
                               open_flags_to_host((uint32_t)a[3])));
}

int64_t sys_signalfd(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_signalfd4(cpu, b);
}

/* ---- timerfd ------------------------------------------------------------ */

int64_t sys_timerfd_create(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(timerfd_create(sarg(a[0]), open_flags_to_host((uint32_t)a[1])));
}

static int get_itimerspec(uint64_t addr, struct itimerspec *it, bool time64)
{
    unsigned sz = time64 ? 16 : 2 * guest_long_size();
    if (time64)
        return get_timespec64(addr, &it->it_interval) < 0 || get_timespec64(addr + sz, &it->it_value) < 0
                   ? -EFAULT : 0;
    return get_timespec32(addr, &it->it_interval) < 0 || get_timespec32(addr + sz, &it->it_value) < 0
               ? -EFAULT : 0;
}

static int put_itimerspec(uint64_t addr, const struct itimerspec *it, bool time64)
{
    unsigned sz = time64 ? 16 : 2 * guest_long_size();
    if (time64)
        return put_timespec64(addr, &it->it_interval) < 0 || put_timespec64(addr + sz, &it->it_value) < 0
                   ? -EFAULT : 0;
    return put_timespec32(addr, &it->it_interval) < 0 || put_timespec32(addr + sz, &it->it_value) < 0
               ? -EFAULT : 0;
}

static int64_t do_timerfd_settime(const uint64_t *a, bool time64)
{
    struct itimerspec nv, ov;
    if (get_itimerspec(a[2], &nv, time64) < 0)
        return -EFAULT;
    if (timerfd_settime(sarg(a[0]), sarg(a[1]), &nv, a[3] ? &ov : NULL) < 0)
        return -errno;
    if (a[3] && put_itimerspec(a[3], &ov, time64) < 0)
        return -EFAULT;
    return 0;
}

static int64_t do_timerfd_gettime(const uint64_t *a, bool time64)
{
    struct itimerspec cur;
    if (timerfd_gettime(sarg(a[0]), &cur) < 0)
        return -errno;
    return put_itimerspec(a[1], &cur, time64);
}

int64_t sys_timerfd_settime(CPUCommon *cpu, const uint64_t *a) { return do_timerfd_settime(a, false); }
int64_t sys_timerfd_settime64(CPUCommon *cpu, const uint64_t *a) { return do_timerfd_settime(a, true); }
int64_t sys_timerfd_gettime(CPUCommon *cpu, const uint64_t *a) { return do_timerfd_gettime(a, false); }
int64_t sys_timerfd_gettime64(CPUCommon *cpu, const uint64_t *a) { return do_timerfd_gettime(a, true); }

/* ---- inotify ------------------------------------------------------------ */

int64_t sys_inotify_init1(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(inotify_init1(open_flags_to_host((uint32_t)a[0])));
}

int64_t sys_inotify_init(CPUCommon *cpu, const uint64_t *a) { return host_result(inotify_init1(0)); }

int64_t sys_inotify_add_watch(CPUCommon *cpu, const uint64_t *a)
{
    const char *p = guest_string(a[1], 4096);
    if (!p)
        return -EFAULT;
    char buf[4096 + 256];
    return host_result(inotify_add_watch(sarg(a[0]), guest_path(p, buf, sizeof(buf)), (uint32_t)a[2]));
}

int64_t sys_inotify_rm_watch(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(inotify_rm_watch(sarg(a[0]), sarg(a[1])));
}
