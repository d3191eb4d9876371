/*
 * gdb-system.c — the gdbstub's owner in system mode (softmmu/gdb-system.h).
 *
 * Threads: a listener thread accepts gdb and asks the vcpu to stop (a
 * kick); the vcpu thread serves gdb at every stop (gdbstub_handle_stop);
 * the stub's own watcher thread turns gdb's Ctrl-C into a kick while the
 * guest runs.  Kicks go through cpus_kick(), which also wakes a cpu that
 * sleeps in WFI, so an idle guest stops at once too.
 *
 * Memory: gdb's virtual addresses are walked with the frontend's
 * mmu_translate, as the guest's current mode would see them first, then
 * under the other mmu indexes (a debugger reads kernel memory while the cpu
 * is in user mode).  A walk that fails records a fault in the cpu state
 * (fault registers, the fault address); the walk works on a saved copy
 * of the frontend's part of the state put back afterwards, so gdb looking
 * at an unmapped address leaves no trace in the guest.  The soft TLB is not
 * consulted or filled.
 */
#include "gdb-system.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"
#include "exec/exec.h"
#include "exec/frontend.h"
#include "gdbstub/gdbstub.h"
#include "memory.h"
#include "timer.h"
#include "tlb.h"

void (*sysgdb_resume_hook)(void);

static struct {
    bool holding;             /* -S, and gdb has not resumed the machine yet */
    bool have_gdb;            /* -gdb given */
    CPUCommon *cpu;
    char spec[256];           /* gdbstub_listen's */
    int attach_pending;       /* the listener accepted gdb: stop for it */
} sg;

/* ---- memory ------------------------------------------------------------------- */

static int fail_msg(char **err, const char *fmt, const char *a, const char *b)
{
    if (err) {
        size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
        *err = malloc(n);
        if (*err)
            snprintf(*err, n, fmt, a, b);
    }
    return -1;
}

/* vaddr's physical address as the guest's page tables put it, for a debug
 * access; false when no mmu index maps it. */
static bool debug_translate(CPUCommon *cpu, uint64_t vaddr, uint64_t *paddr, uint64_t *page_end)
{
    const Frontend *fe = cpu->fe;
    if (!fe->mmu_translate) {
        *paddr = vaddr;
        *page_end = (vaddr | 0xfff) + 1;
        return true;
    }
    /* mmu_translate records its faults in the frontend's state and in
     * CPUCommon's fault fields: keep both as they were. */
    size_t priv = fe->cpu_size > sizeof(CPUCommon) ? fe->cpu_size - sizeof(CPUCommon) : 0;
    uint8_t saved[priv ? priv : 1];
    memcpy(saved, (uint8_t *)cpu + sizeof(CPUCommon), priv);
    uint64_t fault_addr = cpu->fault_addr;
    int32_t fault_access = cpu->fault_access, fault_reason = cpu->fault_reason;

    unsigned n = fe->n_mmu_idx ? fe->n_mmu_idx : 1;
    int first = fe->cpu_mmu_index ? fe->cpu_mmu_index(cpu) : 0;
    bool ok = false;
    ExecTLBFill f;
    for (unsigned i = 0; i <= n && !ok; i++) {
        int idx = i == 0 ? first : (int)i - 1;
        if (i > 0 && idx == first)
            continue;
        ok = fe->mmu_translate(cpu, vaddr, EXEC_ACCESS_READ, idx, &f) ||
             fe->mmu_translate(cpu, vaddr, EXEC_ACCESS_EXEC, idx, &f);
    }

    memcpy((uint8_t *)cpu + sizeof(CPUCommon), saved, priv);
    cpu->fault_addr = fault_addr;
    cpu->fault_access = fault_access;
    cpu->fault_reason = fault_reason;
    if (!ok)
        return false;
    uint64_t mask = ((uint64_t)1 << f.page_bits) - 1;
    *paddr = (f.paddr & ~mask) | (vaddr & mask);
    *page_end = (vaddr | mask) + 1;
    return true;
}

/* Physical RAM/ROM only: a device's registers change when read. */
static int phys_access(CPUCommon *cpu, uint64_t addr, void *buf, size_t len, bool write)
{
    PhysMemory *pm = tlb_cpu_phys(cpu);
    uint8_t *p = buf;
    while (len) {
        PhysSection s = phys_lookup(pm, addr);
        if (s.kind != PHYS_RAM && s.kind != PHYS_ROM)
            return -1;
        size_t n = s.size - s.offset < len ? (size_t)(s.size - s.offset) : len;
        if (!write) {
            memcpy(p, s.host, n);
        } else if (s.kind == PHYS_RAM) {
            /* through the soft TLB's path: translations of the bytes go */
            if (!cpu->sys->phys_write(cpu, addr, p, (unsigned)n))
                return -1;
        } else {
            return -1;   /* ROM: the guest cannot change it either */
        }
        addr += n;
        p += n;
        len -= n;
    }
    return 0;
}

int sysgdb_read_phys(CPUCommon *cpu, uint64_t addr, void *buf, size_t len)
{
    return phys_access(cpu, addr, buf, len, false);
}

int sysgdb_write_phys(CPUCommon *cpu, uint64_t addr, const void *buf, size_t len)
{
    return phys_access(cpu, addr, (void *)buf, len, true);
}

static int virt_access(CPUCommon *cpu, uint64_t addr, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    uint64_t amask = cpu->fe->guest_bits >= 64 ? UINT64_MAX : ((uint64_t)1 << cpu->fe->guest_bits) - 1;
    while (len) {
        uint64_t paddr, end;
        if ((addr & ~amask) || !debug_translate(cpu, addr, &paddr, &end))
            return -1;
        size_t n = end - addr < len ? (size_t)(end - addr) : len;
        if (phys_access(cpu, paddr, p, n, write) < 0)
            return -1;
        addr += n;
        p += n;
        len -= n;
    }
    return 0;
}

int sysgdb_read_virt(CPUCommon *cpu, uint64_t addr, void *buf, size_t len)
{
    return virt_access(cpu, addr, buf, len, false);
}

int sysgdb_write_virt(CPUCommon *cpu, uint64_t addr, const void *buf, size_t len)
{
    return virt_access(cpu, addr, (void *)buf, len, true);
}

/* ---- GdbOwnerOps -------------------------------------------------------------- */

static int ops_read_mem(void *opaque, uint64_t addr, void *buf, size_t len)
{
    return sysgdb_read_virt(opaque, addr, buf, len);
}

static int ops_write_mem(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    return sysgdb_write_virt(opaque, addr, buf, len);
}

static int ops_read_phys(void *opaque, uint64_t addr, void *buf, size_t len)
{
    return sysgdb_read_phys(opaque, addr, buf, len);
}

static int ops_write_phys(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    return sysgdb_write_phys(opaque, addr, buf, len);
}

static void ops_kick(void *opaque, CPUCommon *cpu)
{
    (void)cpu;
    cpus_kick(opaque);
}

/* ---- the -gdb device ---------------------------------------------------------- */

/* Chardev options QEMU's -gdb takes that change nothing here. */
static bool harmless_option(const char *o, size_t n)
{
    static const char *const ok[] = { "server", "nowait", "server=on", "wait=off", "nodelay",
                                      "nodelay=on", "ipv4", "ipv4=on" };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strlen(ok[i]) == n && !strncmp(o, ok[i], n))
            return true;
    return false;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int sysgdb_parse_dev(const char *dev, char *spec, size_t cap, char **err)
{
    static const char usage[] = "-gdb %s: %s (use tcp::PORT, tcp:localhost:PORT or unix:PATH)";
    const char *comma = strchr(dev, ',');
    size_t main_len = comma ? (size_t)(comma - dev) : strlen(dev);
    for (const char *o = comma; o && *o;) {
        o++;
        const char *next = strchr(o, ',');
        size_t n = next ? (size_t)(next - o) : strlen(o);
        if (!harmless_option(o, n))
            return fail_msg(err, usage, dev, "unsupported option");
        o = next;
    }
    const char *port;
    size_t port_len;
    if (!strncmp(dev, "unix:", 5)) {
        const char *path = dev + 5;
        size_t n = main_len - 5;
        if (!n)
            return fail_msg(err, usage, dev, "no socket path");
        /* gdbstub_listen takes a spec holding a '/' as a path */
        const char *dir = memchr(path, '/', n) ? "" : "./";
        if (strlen(dir) + n + 1 > cap || strlen(dir) + n + 1 > 108)
            return fail_msg(err, usage, dev, "socket path too long");
        snprintf(spec, cap, "%s%.*s", dir, (int)n, path);
        return 0;
    }
    if (!strncmp(dev, "tcp:", 4)) {
        const char *host = dev + 4;
        const char *colon = memchr(host, ':', main_len - 4);
        if (!colon)
            return fail_msg(err, usage, dev, "no port");
        size_t hn = (size_t)(colon - host);
        if (hn && !(hn == 9 && !strncmp(host, "localhost", 9)) && !(hn == 9 && !strncmp(host, "127.0.0.1", 9)))
            return fail_msg(err, usage, dev, "vemu listens on the loopback interface only");
        port = colon + 1;
        port_len = main_len - (size_t)(port - dev);
    } else if (all_digits(dev, main_len)) {
        port = dev;                   /* a bare port, as QEMU also takes */
        port_len = main_len;
    } else {
        return fail_msg(err, usage, dev, "unsupported device");
    }
    if (!all_digits(port, port_len) || port_len > 5)
        return fail_msg(err, usage, dev, "bad port");
    long p = strtol(port, NULL, 10);
    if (p < 1 || p > 65535)
        return fail_msg(err, usage, dev, "port out of range 1..65535");
    snprintf(spec, cap, "%ld", p);
    return 0;
}

/* ---- the listener thread ------------------------------------------------------ */

static void *listener_main(void *arg)
{
    (void)arg;
    for (;;) {
        if (gdbstub_wait_attach() < 0)
            return NULL;
        __atomic_store_n(&sg.attach_pending, 1, __ATOMIC_SEQ_CST);
        cpus_kick(sg.cpu);
        /* gdb is there until it detaches or hangs up: then take the next. */
        while (gdbstub_attached() || __atomic_load_n(&sg.attach_pending, __ATOMIC_SEQ_CST))
            usleep(50 * 1000);
        if (gdbstub_listen(sg.spec) < 0)
            return NULL;
    }
}

int sysgdb_setup(CPUCommon *cpu, const char *dev, bool start_stopped, char **err)
{
    sg.cpu = cpu;
    if (dev) {
        if (sysgdb_parse_dev(dev, sg.spec, sizeof(sg.spec), err) < 0)
            return -1;
        const GdbArch *arch = gdbstub_arch_find(cpu->fe->name);
        if (!arch)
            return fail_msg(err, "-gdb: no gdb support for %s guests%s", cpu->fe->name, "");
        const GdbOwnerOps ops = {
            .opaque = cpu,
            .read_mem = ops_read_mem,
            .write_mem = ops_write_mem,
            .read_phys = ops_read_phys,
            .write_phys = ops_write_phys,
            .kick = ops_kick,
            /* gdb quitting detaches and the machine runs on, as QEMU's */
            .attached_existing = true,
        };
        if (gdbstub_init(arch, &ops) < 0)
            return fail_msg(err, "-gdb %s: cannot set up the gdbstub%s", dev, "");
        if (gdbstub_listen(sg.spec) < 0)
            return fail_msg(err, "-gdb %s: cannot listen there (see above)%s", dev, "");
        /* Host signals are for the main thread (terminal, SIGTERM). */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pthread_t t;
        int e = pthread_create(&t, NULL, listener_main, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (e)
            return fail_msg(err, "-gdb %s: cannot start the listener thread%s", dev, "");
        pthread_detach(t);
        sg.have_gdb = true;
    }
    sg.holding = start_stopped;
    if (start_stopped)
        clock_virtual_stop();
    static const CPUsDebugger hooks = {
        .poll = sysgdb_poll,
        .holding = sysgdb_holding,
        .debug_stop = sysgdb_debug_stop,
    };
    cpus_debugger = &hooks;
    return 0;
}

/* ---- the vcpu's side -------------------------------------------------------- */

/* Serve gdb; sig as gdbstub_handle_stop wants it, interrupt: Ctrl-C. */
static int stop(CPUCommon *cpu, int sig, bool interrupt)
{
    clock_virtual_stop();
    /* A Ctrl-C that crossed a breakpoint's stop is answered by that stop:
     * do not stop again right after gdb continues. */
    if (!interrupt)
        gdbstub_interrupt_pending();
    int r = interrupt ? gdbstub_handle_interrupt(cpu) : gdbstub_handle_stop(cpu, sig);
    if (r == GDBSTUB_KILL) {
        fputs("vemu: terminated via the gdbstub\n", stderr);
        return -1;
    }
    /* A signal gdb wants delivered means nothing to a machine: dropped. */
    sg.holding = false;
    clock_virtual_start();
    /* gdb's continue starts a machine held by -S or the monitor's stop,
     * as QEMU's does */
    if (sysgdb_resume_hook)
        sysgdb_resume_hook();
    return 0;
}

int sysgdb_poll(CPUCommon *cpu)
{
    if (!sg.have_gdb)
        return 0;
    if (__atomic_load_n(&sg.attach_pending, __ATOMIC_SEQ_CST)) {
        int r = stop(cpu, 0, false);    /* gdb asks why with '?' */
        __atomic_store_n(&sg.attach_pending, 0, __ATOMIC_SEQ_CST);
        return r;
    }
    if (gdbstub_interrupt_pending())
        return stop(cpu, 0, true);
    return 0;
}

bool sysgdb_listening(void)
{
    return sg.have_gdb;
}

bool sysgdb_holding(void)
{
    return sg.holding;
}

int sysgdb_debug_stop(CPUCommon *cpu)
{
    return sg.have_gdb ? stop(cpu, 0, false) : 0;
}
