/*
 * process.h — the state of the emulated process shared by linux-user's
 * files: the running cpu, the host-side fault handling, the cpu loop and
 * the guest's signal dispositions.
 */
#ifndef VEMU_LINUX_USER_PROCESS_H
#define VEMU_LINUX_USER_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/exec.h"
#include "linux-user/target.h"

/* The cpu this host thread is running (set around exec_cpu_run). */
extern __thread CPUCommon *thread_cpu;

/* ExecHostOps for user mode (fault.c). */
extern const ExecHostOps linux_host_ops;

/* Install the SIGSEGV/SIGBUS handler on its own alternate stack; each
 * further host thread calls fault_handlers_thread_init() for its stack. */
int fault_handlers_init(void);
int fault_handlers_thread_init(void);
void fault_handlers_thread_exit(void);

/* Run the guest until it exits (cpu-loop.c). */
_Noreturn void cpu_loop(CPUCommon *cpu);

/* Guest signal state (signal.c). */
#define GUEST_NSIG 64
extern GuestSigAction guest_sigactions[GUEST_NSIG + 1];   /* per process */
extern __thread uint64_t guest_sigmask;                   /* per thread */
static inline uint64_t sigbit(int sig) { return 1ull << (sig - 1); }

/* The guest's alternate signal stack (sigaltstack). */
typedef struct GuestAltStack {
    uint64_t sp, size;
    uint32_t flags;          /* SS_DISABLE, SS_AUTODISARM */
} GuestAltStack;
extern __thread GuestAltStack guest_altstack;

/* Install host handlers; called once before the guest runs. */
void signals_init(void);
/* A new thread's signal state: the creator's mask, no alternate stack. */
void signal_thread_init(uint64_t mask);
/* This thread's signal state, kept across a vfork child that ran with it. */
typedef struct SignalThreadState SignalThreadState;
SignalThreadState *signal_thread_state_save(void);   /* NULL: out of memory */
void signal_thread_state_restore(SignalThreadState *st);   /* frees st */
/* A synchronous guest signal (fault, illegal instruction...): delivered to
 * the guest's handler, or the process dies the way Linux would kill it. */
void force_guest_signal(CPUCommon *cpu, int sig, int code, uint64_t addr);
/* A signal the cpu raised (a target's handle_exception): gdb, when
 * attached, sees it first, then force_guest_signal. */
void cpu_loop_raise_signal(CPUCommon *cpu, int sig, int code, uint64_t addr);
/* A signal sent to us (kill from the guest or outside) that the host
 * side cannot deliver itself: queue it (async-signal-safe). */
void queue_guest_signal(int sig, const GuestSiginfo *info);
/* Deliver pending, unblocked signals (from the cpu loop). */
void process_pending_signals(CPUCommon *cpu);
/* siginfo_t as 32-bit guests lay it out (128 bytes). */
void guest_siginfo_encode(const GuestSiginfo *gi, uint8_t out[128]);
#include <signal.h>
/* What the guest learns from a host siginfo of a non-fault signal (sent,
 * queued, a timer's, SIGCHLD); guest_sig is the guest's number. */
void guest_siginfo_from_host(GuestSiginfo *gi, int guest_sig, const siginfo_t *si);
/* The host signal set that mirrors a guest mask (for ppoll, pselect6,
 * epoll_pwait, signalfd, sigtimedwait). */
void guest_mask_to_host(uint64_t mask, sigset_t *host);
/* A guest signal number as the host one (0: none) and back. */
int guest_sig_to_host(int sig);
int host_sig_to_guest(int sig);
/* A call that waits with a temporary guest mask (ppoll, pselect6,
 * epoll_pwait, sigsuspend): the guest mask becomes `mask` until the next
 * signal delivery, whose frame saves the old one; if nothing is delivered
 * the old one comes back after the call.  The host mask is not changed:
 * the caller passes guest_mask_to_host(mask) to the host call. */
void sigmask_temporary(uint64_t mask);
void sigmask_temporary_end(void);
/* This thread has a recorded guest signal waiting for delivery. */
volatile sig_atomic_t *signal_pending_flag(void);
/* A blocking host system call (safe-syscall.c): returns the result or
 * -errno, and -EINTR without blocking when a guest signal arrived since
 * the last delivery, however close to the call it came.  Pass every
 * argument as long.  (A macro pads the call to six arguments: a variadic
 * function reading more arguments than were passed is undefined.) */
long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
#define safe_syscall(...) safe_syscall_pad_(__VA_ARGS__, 0L, 0L, 0L, 0L, 0L, 0L, 0L)
#define safe_syscall_pad_(nr, a1, a2, a3, a4, a5, a6, ...) \
    safe_syscall6((long)(nr), (long)(a1), (long)(a2), (long)(a3), (long)(a4), (long)(a5), (long)(a6))
/* From the host signal handler: an interrupted pc inside safe_syscall's
 * check-then-syscall window is moved to its -EINTR exit. */
void safe_syscall_check_pc(void *host_ucontext);
/* Called by the dispatcher when a restartable syscall returned -EINTR. */
void note_interrupted_syscall(uint64_t orig_arg0);
/* Terminate vemu with sig, so the wait status matches a native process. */
_Noreturn void die_by_signal(int sig);
/* exit_group: flush logs and leave with status. */
_Noreturn void process_exit(int status);

/* Threads (thread.c). */
int64_t linux_clone_thread(CPUCommon *parent, uint32_t flags, uint64_t newsp, uint64_t ptid,
                           uint64_t tls, uint64_t ctid);
_Noreturn void linux_thread_exit(int status);
/* In a forked child: this is the only thread. */
void linux_thread_fork_child(void);
/* Is this a vfork child, running in its parent's memory (syscall-fork.c)? */
bool linux_in_vfork_child(void);
void thread_set_clear_child_tid(uint64_t addr);

/* vemu's options, replayed when the guest execs another guest program
 * (syscall-fork.c; set by main). */
extern const char *const *vemu_reexec_options;
extern int vemu_reexec_n_options;

/* The syscall dispatcher (syscall.c). */
void linux_do_syscall(CPUCommon *cpu);
const LinuxSyscallDef *linux_syscall_find(const LinuxAbi *abi, uint32_t nr);

#endif
