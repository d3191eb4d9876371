/*
 * signal.c — guest signals: dispositions, masks, queuing, delivery to
 * guest handlers, and dying by a signal.
 *
 * Signal numbers are the same for every supported guest and the host, so
 * the host kernel does most of the work: the guest's dispositions and mask
 * are mirrored onto the host process.  A guest SIG_DFL is a host SIG_DFL
 * (so a default-fatal signal kills vemu with exactly the wait status a
 * native process would get), SIG_IGN is SIG_IGN, and a guest handler is a
 * host handler that only records the signal and asks the cpu to stop at the
 * next block boundary; the cpu loop then builds the guest's signal frame.
 * The guest's blocked set is the host's, so blocked signals stay pending in
 * the host kernel and cannot interrupt our system calls.
 *
 * Exceptions: SIGSEGV and SIGBUS belong to the fault handler (fault.c);
 * SIGKILL and SIGSTOP cannot be caught.
 *
 * All 64 guest signals are the host signals of the same number, real-time
 * ones included.  The host C library reserves 32 and 33 (SIGCANCEL,
 * SIGSETXID) for pthread_cancel and set*id broadcasts, refusing them in
 * sigaction(), sigprocmask() and sigaddset(); vemu never cancels a thread
 * and makes its set*id calls as raw per-thread system calls (the guest's C
 * library does its own broadcast with guest signal 33), so the host library
 * never uses them and we install and mask them with raw system calls.  The
 * guest's own C library needs them: its pthread_cancel sends signal 32 to
 * another thread.
 *
 * A recorded signal is per host thread (the host kernel chose a thread that
 * does not block it, and thread-directed signals must stay with their
 * thread), and the host handler blocks the signal in the interrupted
 * context: further instances (queued real-time signals with their values)
 * wait in the host kernel until the guest's handler has been entered and
 * the host mask follows the guest's again.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "gdbstub/gdbstub.h"
#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/pcache.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

GuestSigAction guest_sigactions[GUEST_NSIG + 1];
__thread uint64_t guest_sigmask;
__thread GuestAltStack guest_altstack = { .flags = SS_DISABLE };

/* Recorded by host handlers in the thread they ran on, consumed by that
 * thread's cpu loop. */
static __thread struct {
    volatile sig_atomic_t pending;
    GuestSiginfo info;
} pending[GUEST_NSIG + 1];
static __thread volatile sig_atomic_t any_pending;

/* ---- raw host signal calls (the C library refuses 32 and 33) ---------- */

/* The kernel's struct sigaction on 64-bit hosts. */
struct host_ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};
#define HOST_SA_RESTORER 0x04000000ul
/* The C library's signal return trampoline, learnt in signals_init. */
static void *host_restorer;

static int host_sigaction(int sig, void *handler, unsigned long flags, uint64_t mask)
{
    struct host_ksigaction ka = { handler, flags, NULL, mask };
    if (host_restorer) {
        ka.flags |= HOST_SA_RESTORER;
        ka.restorer = host_restorer;
    }
    return (int)syscall(SYS_rt_sigaction, sig, &ka, NULL, 8);
}

static void host_sigmask(int how, uint64_t set, uint64_t *old)
{
    syscall(SYS_rt_sigprocmask, how, &set, old, 8);
}

static uint64_t host_sigpending(void)
{
    uint64_t set = 0;
    syscall(SYS_rt_sigpending, &set, 8);
    return set;
}

static void host_sigsuspend(uint64_t set)
{
    syscall(SYS_rt_sigsuspend, &set, 8);
}

static void learn_host_restorer(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGUSR2, &sa, &old) < 0)
        return;
    struct host_ksigaction k;
    if (syscall(SYS_rt_sigaction, SIGUSR2, NULL, &k, 8) == 0 && (k.flags & HOST_SA_RESTORER))
        host_restorer = k.restorer;
    sigaction(SIGUSR2, &old, NULL);
}

/* rt_sigsuspend: the mask to restore once a handler has run. */
static __thread bool have_saved_mask;
static __thread uint64_t saved_mask;

/* The last system call was interrupted and may be restarted. */
static __thread bool syscall_interrupted;
static __thread uint64_t interrupted_arg0;

#define SA_RESTORER_FLAG 0x04000000u

static bool mirrored(int sig)
{
    return sig >= 1 && sig <= GUEST_NSIG && sig != SIGSEGV && sig != SIGBUS && sig != SIGKILL &&
           sig != SIGSTOP;
}

int guest_sig_to_host(int sig) { return sig >= 1 && sig <= GUEST_NSIG ? sig : 0; }
int host_sig_to_guest(int sig) { return sig >= 1 && sig <= GUEST_NSIG ? sig : 0; }

void guest_mask_to_host(uint64_t mask, sigset_t *host)
{
    /* The first 64 bits of the C library's sigset_t are the kernel's set. */
    memset(host, 0, sizeof(*host));
    uint64_t m = 0;
    for (int sig = 1; sig <= GUEST_NSIG; sig++)
        if (mirrored(sig) && (mask & sigbit(sig)))
            m |= 1ull << (guest_sig_to_host(sig) - 1);
    memcpy(host, &m, sizeof(m));
}

/* Signals that can never be blocked, and those vemu itself raises
 * synchronously (blocking those in the host would hide our own faults). */
static uint64_t unblockable(void)
{
    return sigbit(SIGKILL) | sigbit(SIGSTOP);
}

_Noreturn void process_exit(int status)
{
    gdbstub_report_exit(status);    /* gdb, if attached, sees "exited with code" */
    pcache_save();
    exec_log_at_exit();
    fflush(stdout);
    fflush(stderr);
    _exit(status);
}

_Noreturn void die_by_signal(int sig)
{
    gdbstub_report_signal_exit(sig);
    exec_log_at_exit();
    fflush(stderr);
    host_sigaction(sig, SIG_DFL, 0, 0);
    host_sigmask(SIG_UNBLOCK, sigbit(sig), NULL);
    /* The kernel decides about the core dump from RLIMIT_CORE, like for a
     * native run (qemu-arm behaves the same). */
    kill(getpid(), sig);
    /* A signal whose default action is not fatal: the closest status. */
    _exit(128 + sig);
}

static uint64_t host_mask_of(uint64_t guest_mask)
{
    sigset_t set;
    uint64_t m;
    guest_mask_to_host(guest_mask, &set);
    memcpy(&m, &set, sizeof(m));
    return m;
}

/* Signals recorded by the host handler that have not reached the guest yet
 * (blocked or not delivered yet). */
static uint64_t recorded_signals(void)
{
    uint64_t set = 0;
    for (int sig = 1; sig <= GUEST_NSIG; sig++)
        if (pending[sig].pending)
            set |= sigbit(sig);
    return set;
}

/* The host mask is the guest's plus what is recorded: a further instance of
 * a recorded signal stays queued in the host kernel rather than overwrite
 * the recorded one (a periodic timer's next expiry would replace the
 * siginfo, and its overrun count, of the one about to be delivered). */
static void sync_host_mask(void)
{
    host_sigmask(SIG_SETMASK, host_mask_of(guest_sigmask | recorded_signals()), NULL);
}

void guest_siginfo_from_host(GuestSiginfo *gi, int sig, const siginfo_t *si)
{
    memset(gi, 0, sizeof(*gi));
    gi->signo = sig;
    gi->code = si ? si->si_code : SI_USER;
    if (!si)
        return;
    gi->errno_ = si->si_errno;
    gi->value = (uintptr_t)si->si_value.sival_ptr;   /* what the guest set, zero-extended */
    if (si->si_code == SI_TIMER) {
        /* A POSIX timer's (syscall-timer.c): host timer ids are the guest's. */
        gi->timerid = si->si_timerid;
        gi->overrun = si->si_overrun;
        return;
    }
    gi->pid = (uint32_t)si->si_pid;
    gi->uid = si->si_uid;
    if (sig == SIGCHLD)
        gi->status = si->si_status;
}

volatile sig_atomic_t *signal_pending_flag(void) { return &any_pending; }

void queue_guest_signal(int sig, const GuestSiginfo *info)
{
    if (sig < 1 || sig > GUEST_NSIG)
        return;
    pending[sig].info = *info;
    pending[sig].pending = 1;
    any_pending = 1;
    if (thread_cpu)
        exec_cpu_kick(thread_cpu);
}

static void host_signal_handler(int hsig, siginfo_t *si, void *ucv)
{
    int sig = host_sig_to_guest(hsig);
    GuestSiginfo gi;
    guest_siginfo_from_host(&gi, sig, si);
    queue_guest_signal(sig, &gi);
    safe_syscall_check_pc(ucv);
    /* Keep further instances queued in the host kernel until this one has
     * reached the guest (sync_host_mask unblocks it again). */
    ucontext_t *uc = ucv;
    uint64_t m;
    memcpy(&m, &uc->uc_sigmask, sizeof(m));
    m |= 1ull << (hsig - 1);
    memcpy(&uc->uc_sigmask, &m, sizeof(m));
}

/* Make the host disposition of sig follow the guest's. */
static void mirror_disposition(int sig)
{
    if (!mirrored(sig))
        return;
    uint64_t h = guest_sigactions[sig].handler;
    int hsig = guest_sig_to_host(sig);
    if (h == 0) {
        host_sigaction(hsig, SIG_DFL, 0, 0);
    } else if (h == 1) {
        host_sigaction(hsig, SIG_IGN, 0, 0);
    } else {
        /* No SA_RESTART: an interrupted host call returns EINTR to us and
         * we decide about restarting with the guest's flags. */
        host_sigaction(hsig, (void *)host_signal_handler, SA_SIGINFO | SA_ONSTACK, ~0ull);
    }
}

void signals_init(void)
{
    /* The guest starts with our dispositions as Linux's execve leaves them:
     * ignored stays ignored, everything else becomes default. */
    learn_host_restorer();
    for (int sig = 1; sig <= GUEST_NSIG; sig++) {
        struct host_ksigaction old;
        if (mirrored(sig) && syscall(SYS_rt_sigaction, guest_sig_to_host(sig), NULL, &old, 8) == 0) {
            if (old.handler == SIG_IGN)
                guest_sigactions[sig].handler = 1;
            else if (old.handler != SIG_DFL)    /* the C library's own (32, 33) */
                host_sigaction(guest_sig_to_host(sig), SIG_DFL, 0, 0);
        }
    }
    uint64_t cur = 0;
    host_sigmask(SIG_SETMASK, 0, &cur);
    host_sigmask(SIG_SETMASK, cur, NULL);
    for (int sig = 1; sig <= GUEST_NSIG; sig++)
        if (mirrored(sig) && (cur & (1ull << (guest_sig_to_host(sig) - 1))))
            guest_sigmask |= sigbit(sig);
}

/* A vfork child runs in this thread's memory, and so with its thread-local
 * variables: the parent keeps a copy of its signal state and takes it back
 * when the child has exec'd or exited (syscall-fork.c). */
struct SignalThreadState {
    uint64_t sigmask;
    GuestAltStack altstack;
    __typeof__(pending) pending;
    sig_atomic_t any_pending;
    bool have_saved_mask, syscall_interrupted;
    uint64_t saved_mask, interrupted_arg0;
};

SignalThreadState *signal_thread_state_save(void)
{
    SignalThreadState *st = malloc(sizeof(*st));
    if (!st)
        return NULL;
    st->sigmask = guest_sigmask;
    st->altstack = guest_altstack;
    memcpy((void *)st->pending, (const void *)pending, sizeof(pending));
    st->any_pending = any_pending;
    st->have_saved_mask = have_saved_mask;
    st->saved_mask = saved_mask;
    st->syscall_interrupted = syscall_interrupted;
    st->interrupted_arg0 = interrupted_arg0;
    return st;
}

void signal_thread_state_restore(SignalThreadState *st)
{
    guest_sigmask = st->sigmask;
    guest_altstack = st->altstack;
    memcpy((void *)pending, (const void *)st->pending, sizeof(pending));
    any_pending = st->any_pending;
    have_saved_mask = st->have_saved_mask;
    saved_mask = st->saved_mask;
    syscall_interrupted = st->syscall_interrupted;
    interrupted_arg0 = st->interrupted_arg0;
    free(st);
    sync_host_mask();
}

void signal_thread_init(uint64_t mask)
{
    guest_sigmask = mask;
    sync_host_mask();
}

static bool default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool default_stops(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void note_interrupted_syscall(uint64_t orig_arg0)
{
    syscall_interrupted = true;
    interrupted_arg0 = orig_arg0;
}

void guest_siginfo_encode(const GuestSiginfo *gi, uint8_t out[128])
{
    int32_t w[32];
    memset(w, 0, sizeof(w));
    w[0] = gi->signo;
    w[1] = gi->errno_;
    w[2] = gi->code;
    /* The union starts after the three ints, at 12 on 32-bit guests and
     * at 16 (pointer-aligned) on LP64 ones, where si_addr and si_value
     * are 8 bytes and so SIGCHLD's si_status and si_value sit at 24. */
    bool lp64 = guest_long_size() == 8;
    unsigned u = lp64 ? 4 : 3;
    bool fault = gi->code > 0 && (gi->signo == SIGSEGV || gi->signo == SIGBUS || gi->signo == SIGILL ||
                                  gi->signo == SIGFPE || gi->signo == SIGTRAP);
    if (fault) {
        w[u] = (int32_t)(uint32_t)gi->addr;          /* si_addr */
        if (lp64)
            w[u + 1] = (int32_t)(uint32_t)(gi->addr >> 32);
    } else if (gi->code == SI_TIMER) {
        w[u] = gi->timerid;                          /* si_timerid */
        w[u + 1] = gi->overrun;                      /* si_overrun */
        w[u + 2] = (int32_t)gi->value;               /* si_value */
        if (lp64)
            w[u + 3] = (int32_t)(gi->value >> 32);
    } else {
        w[u] = (int32_t)gi->pid;
        w[u + 1] = (int32_t)gi->uid;
        w[u + 2] = gi->signo == SIGCHLD ? gi->status : (int32_t)gi->value;
        if (lp64 && gi->signo != SIGCHLD)
            w[u + 3] = (int32_t)(gi->value >> 32);
    }
    memcpy(out, w, 128);
}

/* Build the frame and enter the handler.  Returns false when the signal
 * was discarded (ignored). */
static void deliver(CPUCommon *cpu, int sig, const GuestSiginfo *info)
{
    const LinuxTarget *t = &linux_target;
    GuestSigAction *ka = &guest_sigactions[sig];
    if (exec_log_enabled(LOG_INT)) {
        exec_log("delivering signal %d (code %d) at pc 0x%llx, handler 0x%llx\n", sig, info->code,
                 (unsigned long long)t->get_pc(cpu), (unsigned long long)ka->handler);
    }
    if (ka->handler == 1)
        return;
    if (ka->handler == 0) {
        if (default_ignores(sig))
            return;
        if (default_stops(sig)) {
            kill(getpid(), SIGSTOP);
            return;
        }
        die_by_signal(sig);
    }
    if (syscall_interrupted) {
        /* Linux restarts an interrupted call after an SA_RESTART handler
         * returns: the frame saves the registers of the call itself. */
        if (ka->flags & SA_RESTART)
            t->syscall_restart(cpu, interrupted_arg0);
        syscall_interrupted = false;
    }
    uint64_t sp = t->get_sp(cpu);
    if ((ka->flags & SA_ONSTACK) && !(guest_altstack.flags & SS_DISABLE) &&
        !(sp > guest_altstack.sp && sp <= guest_altstack.sp + guest_altstack.size)) {
        sp = guest_altstack.sp + guest_altstack.size;
    }
    uint64_t old_mask = have_saved_mask ? saved_mask : guest_sigmask;
    have_saved_mask = false;
    if (t->setup_signal_frame(cpu, sig, ka, info, old_mask, sp) < 0) {
        /* No room for the frame: Linux kills the process with SIGSEGV. */
        die_by_signal(SIGSEGV);
    }
    guest_sigmask |= ka->mask;
    if (!(ka->flags & SA_NODEFER))
        guest_sigmask |= sigbit(sig);
    guest_sigmask &= ~unblockable();
    if (ka->flags & SA_RESETHAND) {
        ka->handler = 0;
        mirror_disposition(sig);
    }
    sync_host_mask();
}

void sigmask_temporary(uint64_t mask)
{
    saved_mask = guest_sigmask;
    have_saved_mask = true;
    guest_sigmask = mask & ~unblockable();
}

void sigmask_temporary_end(void)
{
    if (have_saved_mask) {
        guest_sigmask = saved_mask;
        have_saved_mask = false;
    }
    sync_host_mask();
}

void process_pending_signals(CPUCommon *cpu)
{
    bool consumed = any_pending;
    while (any_pending) {
        any_pending = 0;
        for (int sig = 1; sig <= GUEST_NSIG; sig++) {
            if (!pending[sig].pending || (guest_sigmask & sigbit(sig)))
                continue;
            if (pending[sig].pending) {
                GuestSiginfo info = pending[sig].info;
                pending[sig].pending = 0;
                deliver(cpu, sig, &info);
            }
        }
        /* Still pending but blocked: stay recorded for a later unblock. */
        for (int sig = 1; sig <= GUEST_NSIG; sig++)
            if (pending[sig].pending && !(guest_sigmask & sigbit(sig)))
                any_pending = 1;
    }
    if (syscall_interrupted) {
        /* Interrupted by a signal no handler saw (it was ignored, or a stop):
         * the call restarts transparently, as in Linux. */
        linux_target.syscall_restart(cpu, interrupted_arg0);
        syscall_interrupted = false;
    }
    /* A temporary mask (sigsuspend, ppoll...) no handler saved: back to the
     * old one.  And the host mask follows the guest's again (the host
     * handler blocked what it recorded). */
    if (have_saved_mask || consumed)
        sigmask_temporary_end();
}

void force_guest_signal(CPUCommon *cpu, int sig, int code, uint64_t addr)
{
    GuestSigAction *ka = &guest_sigactions[sig];
    if (exec_log_enabled(LOG_INT)) {
        exec_log("guest signal %d (code %d, addr 0x%llx) at pc 0x%llx\n", sig, code,
                 (unsigned long long)addr, (unsigned long long)linux_target.get_pc(cpu));
    }
    /* Like Linux's force_sig: blocked or ignored synchronous signals kill. */
    if (ka->handler <= 1 || (guest_sigmask & sigbit(sig)))
        die_by_signal(sig);
    GuestSiginfo info = { .signo = sig, .code = code, .addr = addr };
    deliver(cpu, sig, &info);
}

/* ---- system calls ------------------------------------------------------ */

/* struct sigaction as the kernel ABI lays it out: handler, flags,
 * restorer (guest words: 4 bytes on ARM and i386, 8 on x86_64), then the
 * 64-bit mask (as two words on 32-bit guests). */
int64_t sys_rt_sigaction(CPUCommon *cpu, const uint64_t *a)
{
    int sig = (int)a[0];
    uint64_t act = a[1], oact = a[2], sigsetsize = a[3];
    if (sigsetsize != 8 || sig < 1 || sig > GUEST_NSIG)
        return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    unsigned ws = guest_long_size(), size = 3 * ws + 8;
    uint8_t raw[32];
    GuestSigAction old = guest_sigactions[sig];
    if (act && copy_from_guest(raw, act, size) < 0)
        return -EFAULT;
    if (oact) {
        GuestStruct o;
        gs_init(&o, 4);
        gs_ulong(&o, old.handler);
        gs_ulong(&o, old.flags);
        gs_ulong(&o, old.restorer);
        gs_u32(&o, (uint32_t)old.mask);
        gs_u32(&o, (uint32_t)(old.mask >> 32));
        if (copy_to_guest(oact, o.buf, size) < 0)
            return -EFAULT;
    }
    if (act) {
        GuestStructReader r = { .buf = raw, .llalign = 4 };
        GuestSigAction *ga = &guest_sigactions[sig];
        ga->handler = gsr_ulong(&r);
        ga->flags = gsr_ulong(&r);
        ga->restorer = gsr_ulong(&r);
        uint64_t lo = gsr_u32(&r), hi = gsr_u32(&r);
        ga->mask = (lo | (hi << 32)) & ~unblockable();
        mirror_disposition(sig);
        /* Setting SIG_IGN discards a pending signal (POSIX). */
        if (ga->handler == 1 || (ga->handler == 0 && default_ignores(sig)))
            pending[sig].pending = 0;
    }
    return 0;
}

int64_t sys_rt_sigprocmask(CPUCommon *cpu, const uint64_t *a)
{
    int how = (int)a[0];
    uint64_t set = a[1], oset = a[2];
    if (a[3] != 8)
        return -EINVAL;
    uint64_t old = guest_sigmask, nset = 0;
    if (set) {
        if (copy_from_guest(&nset, set, 8) < 0)
            return -EFAULT;
        switch (how) {
        case SIG_BLOCK:
            nset = old | nset;
            break;
        case SIG_UNBLOCK:
            nset = old & ~nset;
            break;
        case SIG_SETMASK:
            break;
        default:
            return -EINVAL;
        }
    }
    if (oset && copy_to_guest(oset, &old, 8) < 0)
        return -EFAULT;
    if (set) {
        guest_sigmask = nset & ~unblockable();
        sync_host_mask();     /* unblocked host-pending signals arrive now */
        any_pending = 1;      /* and recorded ones are looked at */
    }
    return 0;
}

int64_t sys_rt_sigpending(CPUCommon *cpu, const uint64_t *a)
{
    if (a[1] != 8)
        return -EINVAL;
    uint64_t host = host_sigpending();
    uint64_t set = 0;
    for (int sig = 1; sig <= GUEST_NSIG; sig++) {
        if ((mirrored(sig) && (host & (1ull << (guest_sig_to_host(sig) - 1)))) || pending[sig].pending)
            set |= sigbit(sig);
    }
    set &= guest_sigmask;
    return copy_to_guest(a[0], &set, 8);
}

int64_t sys_rt_sigsuspend(CPUCommon *cpu, const uint64_t *a)
{
    if (a[1] != 8)
        return -EINVAL;
    uint64_t mask;
    if (copy_from_guest(&mask, a[0], 8) < 0)
        return -EFAULT;
    sigmask_temporary(mask);
    /* A recorded signal the suspend mask unblocks is delivered now, rather
     * than waited for (a further instance would replace its siginfo). */
    if (recorded_signals() & ~guest_sigmask)
        any_pending = 1;
    uint64_t host = host_mask_of(guest_sigmask);
    /* Block everything while testing any_pending, so a signal cannot slip
     * in between the test and the wait; sigsuspend opens the window. */
    host_sigmask(SIG_BLOCK, ~0ull, NULL);
    while (!any_pending)
        host_sigsuspend(host);
    /* The cpu loop delivers after this call returns -EINTR: the handler runs
     * with the suspend mask and its frame saves the old one; if nothing
     * gets delivered, the old mask comes back then. */
    sync_host_mask();
    return -EINTR;
}

int64_t sys_pause(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t host;
    host_sigmask(SIG_BLOCK, ~0ull, &host);
    while (!any_pending)
        host_sigsuspend(host);
    host_sigmask(SIG_SETMASK, host, NULL);
    return -EINTR;
}

static int64_t do_sigreturn(CPUCommon *cpu, bool rt)
{
    uint64_t mask;
    if (linux_target.restore_signal_frame(cpu, rt, &mask) < 0) {
        force_guest_signal(cpu, SIGSEGV, SEGV_MAPERR, linux_target.get_sp(cpu));
        return SYSCALL_KEEP_REGS;
    }
    guest_sigmask = mask & ~unblockable();
    sync_host_mask();
    any_pending = 1;
    return SYSCALL_KEEP_REGS;
}

int64_t sys_rt_sigreturn(CPUCommon *cpu, const uint64_t *a) { return do_sigreturn(cpu, true); }
int64_t sys_sigreturn(CPUCommon *cpu, const uint64_t *a) { return do_sigreturn(cpu, false); }

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)
#endif

int64_t sys_sigaltstack(CPUCommon *cpu, const uint64_t *a)
{
    /* stack_t: void *ss_sp, int ss_flags, size_t ss_size (12 bytes on
     * 32-bit guests, 24 on LP64 ones). */
    uint64_t sp = linux_target.get_sp(cpu);
    bool on = !(guest_altstack.flags & SS_DISABLE) && sp > guest_altstack.sp &&
              sp <= guest_altstack.sp + guest_altstack.size;
    GuestStruct old;
    gs_init_abi(&old);
    gs_ptr(&old, guest_altstack.sp);
    gs_u32(&old, on ? SS_ONSTACK : guest_altstack.flags);
    gs_ulong(&old, guest_altstack.size);
    unsigned size = gs_size(&old);
    if (a[0]) {
        uint8_t raw[24];
        uint64_t n[3];
        if (copy_from_guest(raw, a[0], size) < 0)
            return -EFAULT;
        GuestStructReader r = { .buf = raw, .llalign = 4 };
        n[0] = gsr_ptr(&r);
        n[1] = gsr_u32(&r);
        n[2] = gsr_ulong(&r);
        if (on)
            return -EPERM;
        uint32_t mode = n[1] & ~(uint32_t)SS_AUTODISARM;
        if (mode != SS_DISABLE && mode != 0 && mode != SS_ONSTACK)
            return -EINVAL;
        if (mode == SS_DISABLE) {
            guest_altstack = (GuestAltStack){ 0, 0, SS_DISABLE };
        } else {
            if (n[2] < (uint64_t)MINSIGSTKSZ)
                return -ENOMEM;
            guest_altstack = (GuestAltStack){ n[0], n[2], n[1] & SS_AUTODISARM };
        }
    }
    if (a[1] && copy_to_guest(a[1], old.buf, size) < 0)
        return -EFAULT;
    return 0;
}
