/*
 * vdso.c — the vDSO as a program finds and uses it: AT_SYSINFO_EHDR
 * points at an ELF image, listed as [vdso] in /proc/self/maps, whose
 * dynamic symbol table has Linux's functions under Linux's symbol
 * versions (found here by parsing the image, as glibc does); calling
 * them gives what the system calls give (the clocks within tolerance and
 * in order, the errors as -errno); glibc registered the image
 * (dl_iterate_phdr).  On i386 also: AT_SYSINFO is __kernel_vsyscall,
 * which glibc's system calls go through (%gs:0x10) and which makes a
 * call; a signal handler installed by glibc (no SA_RESTORER when there
 * is a vDSO) returns through __kernel_sigreturn / __kernel_rt_sigreturn,
 * and glibc's backtrace() unwinds from a handler through them.
 * Prints "name: ok" or "name: BAD (why)" lines only: the native x86_64
 * run is the test's own check.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok, const char *why)
{
    if (ok) {
        printf("%s: ok\n", what);
    } else {
        printf("%s: BAD (%s)\n", what, why);
        bad = 1;
    }
}

/* ---- the image, as a dynamic linker reads it ---- */
static uintptr_t base, bias;
static const ElfW(Sym) *symtab;
static const char *strtab;
static const ElfW(Half) *versym;
static const ElfW(Verdef) *verdef;
static unsigned nsyms;

static int parse_image(void)
{
    const ElfW(Ehdr) *eh = (const void *)base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
        return 0;
    const ElfW(Phdr) *ph = (const void *)(base + eh->e_phoff);
    const ElfW(Dyn) *dyn = NULL;
    int have_load = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_load) {
            bias = base + ph[i].p_offset - ph[i].p_vaddr;
            have_load = 1;
        }
    }
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const void *)(bias + ph[i].p_vaddr);
    if (!have_load || !dyn)
        return 0;
    const uint32_t *hash = NULL, *gnu_hash = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        const void *p = (const void *)(bias + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_SYMTAB: symtab = p; break;
        case DT_STRTAB: strtab = p; break;
        case DT_HASH: hash = p; break;
        case DT_GNU_HASH: gnu_hash = p; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        }
    }
    if (hash) {
        nsyms = hash[1];
    } else if (gnu_hash) {
        /* the highest symbol a bucket reaches, then to the end of its chain */
        uint32_t nb = gnu_hash[0], symoff = gnu_hash[1], bloom = gnu_hash[2];
        const uint32_t *buckets = gnu_hash + 4 + bloom * (sizeof(ElfW(Addr)) / 4);
        const uint32_t *chain = buckets + nb;
        uint32_t max = 0;
        for (uint32_t b = 0; b < nb; b++)
            if (buckets[b] > max)
                max = buckets[b];
        if (max >= symoff)
            while (!(chain[max - symoff] & 1))
                max++;
        nsyms = max + 1;
    }
    return symtab && strtab && nsyms;
}

/* The version name symbol i is defined with (NULL: unversioned). */
static const char *version_of(unsigned i)
{
    if (!versym || !verdef)
        return NULL;
    unsigned v = versym[i] & 0x7fff;
    for (const ElfW(Verdef) *d = verdef;; d = (const void *)((const char *)d + d->vd_next)) {
        if (d->vd_ndx == v && !(d->vd_flags & VER_FLG_BASE)) {
            const ElfW(Verdaux) *a = (const void *)((const char *)d + d->vd_aux);
            return strtab + a->vda_name;
        }
        if (!d->vd_next)
            return NULL;
    }
}

static void *lookup(const char *name, const char *version)
{
    for (unsigned i = 1; i < nsyms; i++) {
        const ElfW(Sym) *s = &symtab[i];
        if (s->st_shndx == SHN_UNDEF || strcmp(strtab + s->st_name, name))
            continue;
        const char *v = version_of(i);
        if (v && !strcmp(v, version))
            return (void *)(bias + s->st_value);
    }
    return NULL;
}

static void *need(const char *name, const char *version)
{
    void *p = lookup(name, version);
    char what[96];
    snprintf(what, sizeof(what), "symbol %s@%s", name, version);
    check(what, p != NULL, "not in the vDSO's dynamic symbols");
    return p;
}

/* ---- calling the functions ---- */
struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

static int64_t ns_of(int64_t s, int64_t n) { return s * 1000000000 + n; }

/* The clock as the system call reads it, in ns. */
static int64_t sys_clock(clockid_t clk)
{
#ifdef __x86_64__
    struct timespec t;
    syscall(SYS_clock_gettime, clk, &t);
    return ns_of(t.tv_sec, t.tv_nsec);
#else
    struct ts64 t;
    syscall(SYS_clock_gettime64, clk, &t);
    return ns_of(t.sec, t.nsec);
#endif
}

static void check_clock(const char *what, clockid_t clk, long (*fn)(clockid_t, void *), int wide)
{
    char name[96];
    snprintf(name, sizeof(name), "%s(%s)", what, clk == CLOCK_MONOTONIC ? "CLOCK_MONOTONIC" : "CLOCK_REALTIME");
    if (!fn)
        return;
    union { struct ts32 t32; struct ts64 t64; struct timespec ts; } u;
    memset(&u, 0, sizeof(u));
    int64_t before = sys_clock(clk);
    long r = fn(clk, &u);
    int64_t after = sys_clock(clk);
    int64_t v = sizeof(void *) == 8 || wide ? ns_of(u.t64.sec, u.t64.nsec) : ns_of(u.t32.sec, u.t32.nsec);
    char why[160];
    snprintf(why, sizeof(why), "returned %ld, %lld not within the system call's [%lld, %lld]", r,
             (long long)v, (long long)before, (long long)after);
    /* the realtime clock: 32-bit seconds lose nothing before 2038 */
    check(name, r == 0 && before <= v && v <= after, why);
}

static volatile uintptr_t handler_ret;

/* raises SIGPROF; a backtrace from its handler must come through here */
static void __attribute__((noinline)) raiser(void)
{
    raise(SIGPROF);
    __asm__ volatile("" ::: "memory");
}
static void (*volatile raiser_start)(void) = raiser;

static void handler(int sig) { handler_ret = (uintptr_t)__builtin_return_address(0); }
#ifndef __x86_64__
static void rt_handler(int sig, siginfo_t *si, void *uc) { handler_ret = (uintptr_t)__builtin_return_address(0); }
#endif

/* An unwinder (glibc's backtrace: libgcc) finds its way out of a signal
 * handler through the signal frame (on i386: the vDSO's trampolines,
 * which it recognizes by their bytes) into the interrupted function. */
static volatile int unwound;

static void __attribute__((noinline)) bt_handler(int sig)
{
    void *frames[32];
    int n = backtrace(frames, 32);
    for (int i = 0; i < n; i++)
        if ((uintptr_t)frames[i] > (uintptr_t)raiser_start && (uintptr_t)frames[i] < (uintptr_t)raiser_start + 64)
            unwound = 1;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    if (info->dlpi_addr == bias)
        for (int i = 0; i < info->dlpi_phnum; i++)
            if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
                *(int *)data = 1;
    return 0;
}

int main(void)
{
    base = getauxval(AT_SYSINFO_EHDR);
    check("AT_SYSINFO_EHDR", base != 0 && (base & 4095) == 0, "none, or not page-aligned");
    if (!base)
        return 1;
    check("the image parses", parse_image(), "no ELF, PT_LOAD, PT_DYNAMIC or dynamic symbols");

    /* /proc/self/maps: [vdso] covers the image, read+execute */
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int listed = 0;
    while (f && fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char perm[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && strstr(line, "[vdso]") &&
            lo <= base && base < hi && !strcmp(perm, "r-xp"))
            listed = 1;
    }
    if (f)
        fclose(f);
    check("maps: [vdso] r-xp at AT_SYSINFO_EHDR", listed, "no such line");

    int registered = 0;
    dl_iterate_phdr(phdr_cb, &registered);
    check("glibc registered the vDSO (dl_iterate_phdr)", registered, "not among the objects");

    typedef long (*clock_fn)(clockid_t, void *);
    typedef long (*tod_fn)(struct timeval *, void *);
    typedef long (*time_fn)(void *);
    typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
    clock_fn cg = (clock_fn)need("__vdso_clock_gettime", "LINUX_2.6");
    tod_fn tod = (tod_fn)need("__vdso_gettimeofday", "LINUX_2.6");
    time_fn tm = (time_fn)need("__vdso_time", "LINUX_2.6");
    getcpu_fn gc = (getcpu_fn)need("__vdso_getcpu", "LINUX_2.6");
    clock_fn res = (clock_fn)need("__vdso_clock_getres", "LINUX_2.6");
#ifdef __x86_64__
    need("clock_gettime", "LINUX_2.6");
    need("gettimeofday", "LINUX_2.6");
    need("time", "LINUX_2.6");
    need("getcpu", "LINUX_2.6");
    clock_fn cg64 = NULL;
#else
    clock_fn cg64 = (clock_fn)need("__vdso_clock_gettime64", "LINUX_2.6");
    void *vsys = need("__kernel_vsyscall", "LINUX_2.5");
    void *sigret = need("__kernel_sigreturn", "LINUX_2.5");
    void *rtsigret = need("__kernel_rt_sigreturn", "LINUX_2.5");
#endif

    check_clock("__vdso_clock_gettime", CLOCK_MONOTONIC, cg, 0);
    check_clock("__vdso_clock_gettime", CLOCK_REALTIME, cg, 0);
    check_clock("__vdso_clock_gettime64", CLOCK_MONOTONIC, cg64, 1);
    check_clock("__vdso_clock_gettime64", CLOCK_REALTIME, cg64, 1);
    if (cg) {
        struct ts64 t;
        long r = cg(12345, &t);
        char why[64];
        snprintf(why, sizeof(why), "returned %ld", r);
        check("__vdso_clock_gettime(bad clock) = -EINVAL", r == -EINVAL, why);
    }
    if (res) {
        union { struct ts32 t32; struct timespec ts; } a, b;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        long r = res(CLOCK_MONOTONIC, &a);
        syscall(SYS_clock_getres, CLOCK_MONOTONIC, &b);
        check("__vdso_clock_getres(CLOCK_MONOTONIC)", r == 0 && !memcmp(&a, &b, sizeof(a)),
              "differs from the system call");
    }
    if (tod) {
        struct timeval tv;
        struct timezone tz = { 1, 1 }, stz;
        int64_t before = sys_clock(CLOCK_REALTIME) / 1000;
        long r = tod(&tv, &tz);
        int64_t after = sys_clock(CLOCK_REALTIME) / 1000 + 1;
        int64_t v = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
        syscall(SYS_gettimeofday, NULL, &stz);
        check("__vdso_gettimeofday", r == 0 && before <= v && v <= after &&
              tz.tz_minuteswest == stz.tz_minuteswest && tz.tz_dsttime == stz.tz_dsttime,
              "not the system call's time or timezone");
    }
    if (tm) {
        long t_arg = 0;
        long before = syscall(SYS_time, NULL);
        long r = tm(&t_arg);
        long after = syscall(SYS_time, NULL);
        check("__vdso_time", before <= r && r <= after && t_arg == r, "not the system call's time");
    }
    if (gc) {
        int same = 0;
        unsigned cpu = ~0u, node = ~0u;
        long r = 0;
        for (int i = 0; i < 100 && !same; i++) {
            unsigned scpu = ~1u, snode = ~1u;
            r = gc(&cpu, &node, NULL);
            syscall(SYS_getcpu, &scpu, &snode, NULL);
            same = r == 0 && cpu == scpu && node == snode;
        }
        check("__vdso_getcpu", same, "never the system call's cpu and node");
    }

#ifndef __x86_64__
    check("AT_SYSINFO is __kernel_vsyscall", getauxval(AT_SYSINFO) == (uintptr_t)vsys && vsys,
          "it is not");
    uintptr_t tcb_sysinfo;
    __asm__ volatile("movl %%gs:0x10, %0" : "=r"(tcb_sysinfo));
    check("glibc's system calls go through AT_SYSINFO (%gs:0x10)", tcb_sysinfo == (uintptr_t)vsys,
          "glibc uses another entry");
    if (vsys) {
        long pid;
        __asm__ volatile("call *%1" : "=a"(pid) : "r"(vsys), "0"(SYS_getpid) : "memory");
        long tid, ebx = 0x1234, ecx;
        __asm__ volatile("call *%3" : "=a"(tid), "+b"(ebx), "=c"(ecx) : "r"(vsys), "0"(SYS_gettid), "2"(0x5678) : "memory", "edx");
        check("__kernel_vsyscall makes the call, keeps the registers",
              pid == getpid() && tid == gettid() && ebx == 0x1234 && ecx == 0x5678, "it does not");
    }
    /* glibc's sigaction sets no restorer when there is a vDSO: the handler
     * returns into the vDSO's trampolines */
    signal(SIGUSR1, handler);
    handler_ret = 0;
    raise(SIGUSR1);
    check("a handler returns through __kernel_sigreturn", handler_ret == (uintptr_t)sigret,
          "another return address");
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = rt_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    handler_ret = 0;
    raise(SIGUSR2);
    check("an SA_SIGINFO handler returns through __kernel_rt_sigreturn",
          handler_ret == (uintptr_t)rtsigret, "another return address");
#else
    signal(SIGUSR1, handler);
    handler_ret = 0;
    raise(SIGUSR1);
    check("a handler runs and returns", handler_ret != 0, "it did not run");
#endif
    signal(SIGPROF, bt_handler);
    raiser();
    check("a backtrace from a handler reaches the interrupted function", unwound,
          "the unwinder stopped at the signal frame");

    /* glibc's own clock_gettime (through the vDSO): the syscall's clock */
    struct timespec ts;
    int64_t before = sys_clock(CLOCK_MONOTONIC);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t after = sys_clock(CLOCK_MONOTONIC);
    int64_t v = ns_of(ts.tv_sec, ts.tv_nsec);
    check("glibc clock_gettime", before <= v && v <= after, "outside the system call's clock");
    return bad;
}
