/*
 * syscall-proc.c — process identity, limits, system information, exit,
 * and signals sent with kill/tgkill.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

int64_t sys_exit(CPUCommon *cpu, const uint64_t *a)
{
    /* Ends this thread; the last thread's exit ends the process. */
    linux_thread_exit((int)(a[0] & 0xff));
}

int64_t sys_exit_group(CPUCommon *cpu, const uint64_t *a)
{
    process_exit((int)(a[0] & 0xff));
}

int64_t sys_getpid(CPUCommon *cpu, const uint64_t *a) { return getpid(); }
int64_t sys_getppid(CPUCommon *cpu, const uint64_t *a) { return getppid(); }
int64_t sys_gettid(CPUCommon *cpu, const uint64_t *a) { return gettid(); }
int64_t sys_getuid32(CPUCommon *cpu, const uint64_t *a) { return getuid(); }
int64_t sys_geteuid32(CPUCommon *cpu, const uint64_t *a) { return geteuid(); }
int64_t sys_getgid32(CPUCommon *cpu, const uint64_t *a) { return getgid(); }
int64_t sys_getegid32(CPUCommon *cpu, const uint64_t *a) { return getegid(); }

/* 16-bit ids: ids that do not fit read as the overflow id 65534. */
static int64_t id16(unsigned id) { return id > 0xffff ? 65534 : id; }
int64_t sys_getuid16(CPUCommon *cpu, const uint64_t *a) { return id16(getuid()); }
int64_t sys_geteuid16(CPUCommon *cpu, const uint64_t *a) { return id16(geteuid()); }
int64_t sys_getgid16(CPUCommon *cpu, const uint64_t *a) { return id16(getgid()); }
int64_t sys_getegid16(CPUCommon *cpu, const uint64_t *a) { return id16(getegid()); }

int64_t sys_getresuid32(CPUCommon *cpu, const uint64_t *a)
{
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    uint32_t v[3] = { r, e, s };
    for (int i = 0; i < 3; i++)
        if (copy_to_guest(a[i], &v[i], 4) < 0)
            return -EFAULT;
    return 0;
}

int64_t sys_getresgid32(CPUCommon *cpu, const uint64_t *a)
{
    gid_t r, e, s;
    getresgid(&r, &e, &s);
    uint32_t v[3] = { r, e, s };
    for (int i = 0; i < 3; i++)
        if (copy_to_guest(a[i], &v[i], 4) < 0)
            return -EFAULT;
    return 0;
}

int64_t sys_getgroups32(CPUCommon *cpu, const uint64_t *a)
{
    int size = sarg(a[0]);
    if (size < 0 || size > 65536)
        return -EINVAL;
    gid_t g[size ? size : 1];
    int n = getgroups(size, g);
    if (n < 0)
        return -errno;
    if (size) {
        uint32_t *p = guest_ptr(a[1], (uint64_t)n * 4, PAGE_WRITE);
        if (!p && n)
            return -EFAULT;
        for (int i = 0; i < n; i++)
            p[i] = g[i];
    }
    return n;
}

int64_t sys_set_tid_address(CPUCommon *cpu, const uint64_t *a)
{
    thread_set_clear_child_tid(guest_ulong(a[0]));
    return gettid();
}

int64_t sys_set_robust_list(CPUCommon *cpu, const uint64_t *a)
{
    /* Recorded by the kernel only for thread exit; nothing to do yet. */
    /* sizeof(struct robust_list_head): three guest words */
    return a[1] == 3 * guest_long_size() ? 0 : -EINVAL;
}

int64_t sys_uname(CPUCommon *cpu, const uint64_t *a)
{
    struct utsname u;
    if (uname(&u) < 0)
        return -errno;
    const char *m = linux_target.uname_machine ? linux_target.uname_machine(cpu) : linux_target.name;
    snprintf(u.machine, sizeof(u.machine), "%s", m);
    /* struct new_utsname: six 65-byte fields, like the host's. */
    return copy_to_guest(a[0], &u, 6 * 65);
}

int64_t sys_getrandom(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[1]);
    void *p = guest_ptr(a[0], len, PAGE_WRITE);
    if (!p && len)
        return -EFAULT;
    return host_result(getrandom(p, len, (unsigned)a[2]));
}

/* ---- limits ---------------------------------------------------------- */

int64_t sys_prlimit64(CPUCommon *cpu, const uint64_t *a)
{
    int pid = sarg(a[0]);
    int res = sarg(a[1]);
    struct rlimit nl, ol;
    /* struct rlimit64 is two u64 everywhere; RLIM64_INFINITY is ~0 too. */
    if (a[2]) {
        uint64_t v[2];
        if (copy_from_guest(v, a[2], 16) < 0)
            return -EFAULT;
        nl.rlim_cur = v[0];
        nl.rlim_max = v[1];
    }
    /* The guest's stack limit is the host's: our own stack is separate,
     * and a smaller guest limit must not shrink it. */
    if (a[2] && res == RLIMIT_STACK && (pid == 0 || pid == getpid())) {
        if (a[3]) {
            if (getrlimit(res, &ol) < 0)
                return -errno;
        }
    } else if (prlimit(pid, res, a[2] ? &nl : NULL, a[3] ? &ol : NULL) < 0) {
        return -errno;
    }
    if (a[3]) {
        uint64_t v[2] = { ol.rlim_cur, ol.rlim_max };
        if (copy_to_guest(a[3], v, 16) < 0)
            return -EFAULT;
    }
    return 0;
}

/* struct rlimit is two unsigned longs: on 32-bit guests a limit that
 * does not fit is RLIM_INFINITY (0xffffffff). */
static int64_t rlim_guest(rlim_t v)
{
    if (guest_long_size() == 8)
        return (int64_t)v;
    return v > 0xffffffffull ? (int64_t)0xffffffffu : (int64_t)v;
}

static rlim_t rlim_host(int64_t v)
{
    if (guest_long_size() == 8)
        return (rlim_t)v;
    return (uint32_t)v == 0xffffffffu ? RLIM_INFINITY : (uint32_t)v;
}

int64_t sys_ugetrlimit(CPUCommon *cpu, const uint64_t *a)
{
    struct rlimit rl;
    if (getrlimit(sarg(a[0]), &rl) < 0)
        return -errno;
    int64_t v[2] = { rlim_guest(rl.rlim_cur), rlim_guest(rl.rlim_max) };
    return put_guest_longs(a[1], v, 2);
}

int64_t sys_setrlimit(CPUCommon *cpu, const uint64_t *a)
{
    int64_t v[2];
    if (get_guest_longs(a[1], v, 2) < 0)
        return -EFAULT;
    struct rlimit rl = { rlim_host(v[0]), rlim_host(v[1]) };
    if (sarg(a[0]) == RLIMIT_STACK)
        return 0;
    return host_result(setrlimit(sarg(a[0]), &rl));
}

int64_t sys_getrusage(CPUCommon *cpu, const uint64_t *a)
{
    struct rusage ru;
    if (getrusage(sarg(a[0]), &ru) < 0)
        return -errno;
    return put_guest_rusage(a[1], &ru);
}

int put_guest_rusage(uint64_t addr, const struct rusage *rup)
{
    const struct rusage ru = *rup;
    /* struct rusage: two timevals, then 14 longs, all guest longs (72
     * bytes on 32-bit guests, 144 on LP64 ones). */
    int64_t v[18] = {
        ru.ru_utime.tv_sec, ru.ru_utime.tv_usec, ru.ru_stime.tv_sec, ru.ru_stime.tv_usec,
        ru.ru_maxrss, ru.ru_ixrss, ru.ru_idrss, ru.ru_isrss, ru.ru_minflt, ru.ru_majflt,
        ru.ru_nswap, ru.ru_inblock, ru.ru_oublock, ru.ru_msgsnd, ru.ru_msgrcv,
        ru.ru_nsignals, ru.ru_nvcsw, ru.ru_nivcsw,
    };
    GuestStruct s;
    gs_init_abi(&s);
    for (int i = 0; i < 18; i++)
        gs_long(&s, v[i]);
    return copy_to_guest(addr, s.buf, gs_size(&s));
}

int64_t sys_sysinfo(CPUCommon *cpu, const uint64_t *a)
{
    struct sysinfo si;
    if (sysinfo(&si) < 0)
        return -errno;
    uint64_t unit = si.mem_unit ? si.mem_unit : 1;
    if (guest_long_size() == 8) {
        /* LP64: the host's struct sysinfo, field by field (112 bytes) */
        GuestStruct s;
        gs_init(&s, 8);
        gs_long(&s, si.uptime);
        for (int i = 0; i < 3; i++)
            gs_ulong(&s, si.loads[i]);
        gs_ulong(&s, si.totalram);
        gs_ulong(&s, si.freeram);
        gs_ulong(&s, si.sharedram);
        gs_ulong(&s, si.bufferram);
        gs_ulong(&s, si.totalswap);
        gs_ulong(&s, si.freeswap);
        gs_u16(&s, si.procs);
        gs_u16(&s, 0);
        gs_ulong(&s, si.totalhigh);
        gs_ulong(&s, si.freehigh);
        gs_u32(&s, (uint32_t)unit);
        gs_pad(&s, 4);
        return copy_to_guest(a[0], s.buf, 112);
    }
    /* Like the kernel's compat path: scale the memory figures until they
     * fit 32 bits, raising mem_unit. */
    uint64_t ram[6] = { si.totalram, si.freeram, si.sharedram, si.bufferram, si.totalswap, si.freeswap };
    uint64_t high[2] = { si.totalhigh, si.freehigh };
    for (;;) {
        bool fits = true;
        for (int i = 0; i < 6; i++)
            fits &= ram[i] <= 0xffffffffu;
        if (fits)
            break;
        for (int i = 0; i < 6; i++)
            ram[i] >>= 1;
        for (int i = 0; i < 2; i++)
            high[i] >>= 1;
        unit <<= 1;
    }
    uint8_t buf[64] = { 0 };
    uint32_t w[14] = {
        (uint32_t)si.uptime, (uint32_t)si.loads[0], (uint32_t)si.loads[1], (uint32_t)si.loads[2],
        (uint32_t)ram[0], (uint32_t)ram[1], (uint32_t)ram[2], (uint32_t)ram[3], (uint32_t)ram[4],
        (uint32_t)ram[5], 0, (uint32_t)high[0], (uint32_t)high[1], (uint32_t)unit,
    };
    memcpy(buf, w, 40);
    uint16_t procs = si.procs;
    memcpy(buf + 40, &procs, 2);
    memcpy(buf + 44, &w[11], 12);
    return copy_to_guest(a[0], buf, sizeof(buf));
}

int64_t sys_sched_yield(CPUCommon *cpu, const uint64_t *a) { return host_result(sched_yield()); }

int64_t sys_sched_getaffinity(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[1]);
    uint8_t mask[1024] = { 0 };
    if (len & 3)
        return -EINVAL;
    long r = syscall(SYS_sched_getaffinity, sarg(a[0]), sizeof(mask), mask);
    if (r < 0)
        return -errno;
    /* The host reports in 8-byte units; a 32-bit guest's mask is in
     * 4-byte units and only needs to cover the bits actually set. */
    uint64_t need = 4;
    for (uint64_t i = 0; i < (uint64_t)r; i++)
        if (mask[i])
            need = (i / 4 + 1) * 4;
    if (len < need)
        return -EINVAL;
    if (copy_to_guest(a[2], mask, need) < 0)
        return -EFAULT;
    return (int64_t)need;
}

int64_t sys_getpriority(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(syscall(SYS_getpriority, sarg(a[0]), sarg(a[1])));
}

int64_t sys_setpriority(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(setpriority(sarg(a[0]), (id_t)a[1], sarg(a[2])));
}

int64_t sys_getpgrp(CPUCommon *cpu, const uint64_t *a) { return getpgrp(); }
int64_t sys_getpgid(CPUCommon *cpu, const uint64_t *a) { return host_result(getpgid(sarg(a[0]))); }
int64_t sys_setpgid(CPUCommon *cpu, const uint64_t *a) { return host_result(setpgid(sarg(a[0]), sarg(a[1]))); }
int64_t sys_getsid(CPUCommon *cpu, const uint64_t *a) { return host_result(getsid(sarg(a[0]))); }
int64_t sys_setsid(CPUCommon *cpu, const uint64_t *a) { return host_result(setsid()); }
int64_t sys_umask(CPUCommon *cpu, const uint64_t *a) { return umask((mode_t)a[0]); }

int64_t sys_personality(CPUCommon *cpu, const uint64_t *a)
{
    /* The guest's personality is plain Linux; report it, accept PER_LINUX. */
    uint32_t p = (uint32_t)a[0];
    if (p == 0xffffffffu || (p & 0xff) == PER_LINUX)
        return PER_LINUX;
    return -EINVAL;
}

int64_t sys_prctl(CPUCommon *cpu, const uint64_t *a)
{
    switch (sarg(a[0])) {
    case PR_SET_NAME: {
        char name[16] = { 0 };
        if (copy_from_guest(name, a[1], 15) < 0)
            return -EFAULT;
        return host_result(prctl(PR_SET_NAME, name));
    }
    case PR_GET_NAME: {
        char name[16] = { 0 };
        prctl(PR_GET_NAME, name);
        return copy_to_guest(a[1], name, 16);
    }
    default:
        return -EINVAL;
    }
}

int64_t sys_wait4(CPUCommon *cpu, const uint64_t *a)
{
    int status;
    struct rusage ru;
    long r = safe_syscall(SYS_wait4, (long)sarg(a[0]), (long)&status, (long)sarg(a[2]),
                          (long)(a[3] ? &ru : NULL));
    if (r < 0)
        return r;
    if (r > 0 && a[1] && copy_to_guest(a[1], &status, 4) < 0)
        return -EFAULT;
    if (r > 0 && a[3] && put_guest_rusage(a[3], &ru) < 0)
        return -EFAULT;
    return r;
}

/* ---- signals sent by the guest ---------------------------------------- */

/* A signal the guest sends itself.  Mirrored signals go through the host
 * kernel (which applies the mirrored disposition and mask); the others
 * (SIGSEGV and SIGBUS, owned by our fault handler) are queued or take
 * their default action here. */
static int64_t self_signal(int sig, int code)
{
    if (sig == 0)
        return 0;
    if (sig < 0 || sig > GUEST_NSIG)
        return -EINVAL;
    if (sig == SIGSEGV || sig == SIGBUS) {
        uint64_t h = guest_sigactions[sig].handler;
        if (h == 1)
            return 0;
        if (h == 0 && !(guest_sigmask & sigbit(sig)))
            die_by_signal(sig);
        GuestSiginfo info = { .signo = sig, .code = code, .pid = (uint32_t)getpid(),
                              .uid = getuid() };
        queue_guest_signal(sig, &info);
        return 0;
    }
    return code == SI_TKILL ? host_result(syscall(SYS_tgkill, getpid(), gettid(), sig))
                            : host_result(kill(getpid(), sig));
}

int64_t sys_kill(CPUCommon *cpu, const uint64_t *a)
{
    int pid = sarg(a[0]), sig = sarg(a[1]);
    if (pid == getpid())
        return self_signal(sig, SI_USER);
    return host_result(kill(pid, sig));
}

int64_t sys_tgkill(CPUCommon *cpu, const uint64_t *a)
{
    int tgid = sarg(a[0]), tid = sarg(a[1]), sig = sarg(a[2]);
    if (tgid == getpid() && tid == gettid())
        return self_signal(sig, SI_TKILL);
    return host_result(syscall(SYS_tgkill, tgid, tid, sig));
}

int64_t sys_tkill(CPUCommon *cpu, const uint64_t *a)
{
    int tid = sarg(a[0]), sig = sarg(a[1]);
    if (tid == gettid())
        return self_signal(sig, SI_TKILL);
    return host_result(syscall(SYS_tkill, tid, sig));
}
