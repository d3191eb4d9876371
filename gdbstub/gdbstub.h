/*
 * gdbstub.h — a gdb remote-protocol (RSP) stub, shared by user and system
 * mode.
 *
 * The stub knows neither the guest architecture nor who owns the cpus:
 *   - the architecture side gives a GdbArch (target description XML and
 *     register access by gdb register number), e.g. gdb_arch_arm;
 *   - the owner (linux-user, softmmu) gives GdbOwnerOps: guest memory
 *     access, the thread list and, optionally, its own breakpoint engine
 *     (default: exec_breakpoint_* / exec_cpu_set_singlestep).
 *
 * Flow for the owner:
 *     gdbstub_init(gdbstub_arch_find(fe->name), &ops);
 *     gdbstub_listen("1234");  gdbstub_wait_attach();
 *     gdbstub_handle_stop(cpu, 0);            // gdb looks around first
 *     ... cpu loop:
 *       EXCP_DEBUG              -> sig = gdbstub_handle_stop(cpu, 0)
 *       guest signal sig coming -> sig = gdbstub_handle_stop(cpu, sig)
 *       EXCP_INTERRUPT and gdbstub_interrupt_pending()
 *                               -> sig = gdbstub_handle_interrupt(cpu)  (Ctrl-C)
 *       then deliver sig if non-zero; GDBSTUB_KILL: end the process.
 *     at exit: gdbstub_report_exit(status) / gdbstub_report_signal_exit(sig)
 *     in a fork()ed child: gdbstub_fork_child(cpu)
 *
 * Signal numbers in this interface are Linux's (the generic numbering all
 * our user-mode guests share); the stub converts to gdb's own numbering.
 * Thread-safe: concurrent stops are served one after the other.
 */
#ifndef VEMU_GDBSTUB_H
#define VEMU_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/cpu-common.h"

/* Largest register in bytes (a 128-bit vector register). */
#define GDB_MAX_REG_BYTES 16

typedef struct GdbArch {
    const char *name;            /* the Frontend's name: "arm" */
    /* The target description gdb reads with qXfer:features:read:target.xml.
     * Registers are numbered 0..n_regs-1 in document order; the 'g' packet
     * holds all of them in that order. */
    const char *target_xml;
    unsigned n_regs;
    /* Register n as target-order bytes into buf; returns its size in bytes,
     * 0 when there is no such register. */
    int (*read_reg)(CPUCommon *cpu, unsigned n, uint8_t *buf);
    /* Set register n from buf (as many bytes as read_reg gives); returns the
     * size consumed, 0 when there is no such register. */
    int (*write_reg)(CPUCommon *cpu, unsigned n, const uint8_t *buf);
} GdbArch;

typedef struct GdbOwnerOps {
    void *opaque;
    /* Guest (virtual) memory for gdb; 0, or -1 when any byte is not
     * accessible.  write_mem must keep translated code coherent (user mode:
     * guest_prepare_write-style handling; gdb writes code rarely). */
    int (*read_mem)(void *opaque, uint64_t addr, void *buf, size_t len);
    int (*write_mem)(void *opaque, uint64_t addr, const void *buf, size_t len);
    /* Physical memory (system mode), same contract; NULL in user mode.
     * With them the stub serves QEMU's `maintenance packet
     * Qqemu.PhyMemMode:1`, after which m/M/X address physical memory. */
    int (*read_phys)(void *opaque, uint64_t addr, void *buf, size_t len);
    int (*write_phys)(void *opaque, uint64_t addr, const void *buf, size_t len);
    /* Threads (cpus).  NULL: the only thread is the cpu that stopped, id 1.
     * thread_list fills at most max cpus and returns how many there are;
     * thread_id gives the (positive) id gdb sees for a cpu (user mode: tid). */
    unsigned (*thread_list)(void *opaque, CPUCommon **out, unsigned max);
    int64_t (*thread_id)(void *opaque, CPUCommon *cpu);
    /* Breakpoints and single-step.  NULL: the exec_* debug API of exec.h. */
    int (*breakpoint_insert)(uint64_t pc);
    int (*breakpoint_remove)(uint64_t pc);
    void (*breakpoint_remove_all)(void);
    void (*set_singlestep)(CPUCommon *cpu, bool on);
    /* Make the running cpu stop soon for gdb's interrupt (any thread).
     * NULL: exec_cpu_kick() of the last stopped cpu (enough when the cpu
     * never sleeps outside generated code; system mode must also wake a cpu
     * halted in WFI). */
    void (*kick)(void *opaque, CPUCommon *cpu);
    /* qAttached: true when gdb attached to a process that was already
     * running (gdb then detaches on quit instead of killing it). */
    bool attached_existing;
} GdbOwnerOps;

/* Each architecture registers its GdbArch (gdb-arm.c does so from a
 * constructor), so owners find it by their Frontend's name without
 * knowing the architecture: gdbstub_arch_find(cpu->fe->name).  NULL when
 * none is linked in. */
void gdbstub_arch_register(const GdbArch *arch);
const GdbArch *gdbstub_arch_find(const char *name);

/* gdbstub_handle_stop(): gdb killed the program (k / vKill). */
#define GDBSTUB_KILL (-1)

/* Set up (copies ops); call once before anything else.  0 or -1. */
int gdbstub_init(const GdbArch *arch, const GdbOwnerOps *ops);

/* Listen for gdb: spec is a TCP port ("1234", on the loopback interface) or
 * a Unix socket path (anything containing '/').  0, or -1 with a message on
 * stderr. */
int gdbstub_listen(const char *spec);
/* Block until gdb connects; 0 or -1.  Starts the interrupt watcher. */
int gdbstub_wait_attach(void);
/* Talk to gdb over an already-connected descriptor (tests, inetd-style). */
void gdbstub_attach_fd(int fd);
/* Start the thread that, while the guest runs, reads gdb's Ctrl-C byte and
 * kicks the last stopped cpu (exec_cpu_kick: EXCP_INTERRUPT).  Idempotent. */
void gdbstub_watch_interrupts(void);
bool gdbstub_attached(void);

/* cpu stopped: sig == 0 for a breakpoint or a finished single-step (SIGTRAP
 * to gdb), else the Linux signal about to be delivered.  Reports the stop to
 * gdb (unless this is the first stop after attaching: gdb asks with '?'),
 * serves gdb's requests and returns when gdb resumes: the Linux signal to
 * deliver now (0: none), or GDBSTUB_KILL.  When no gdb is attached, returns
 * sig at once.  On detach, breakpoints and single-step are cleared. */
int gdbstub_handle_stop(CPUCommon *cpu, int sig);

/* Did gdb ask to interrupt the program (Ctrl-C)?  Clears the request.  The
 * owner checks this when exec_cpu_run() returns EXCP_INTERRUPT. */
bool gdbstub_interrupt_pending(void);
/* Stop for gdb's interrupt: reported as SIGINT; returns like
 * gdbstub_handle_stop (the signal gdb wants delivered, usually 0). */
int gdbstub_handle_interrupt(CPUCommon *cpu);

/* The process is ending: tell gdb (W / X packet) and close the connection. */
void gdbstub_report_exit(int status);
void gdbstub_report_signal_exit(int sig);

/* In the child after fork(): forget the connection (it stays the parent's)
 * and clear breakpoints and single-step, so the child runs undebugged.
 * The stub also notices a changed pid by itself at the child's first stop
 * or exit; calling this early just saves the child a detour. */
void gdbstub_fork_child(CPUCommon *cpu);

/* Linux signal number <-> gdb's numbering (0 <-> 0; unknown: gdb's 143 /
 * Linux 0). */
int gdbstub_signal_to_gdb(int linux_sig);
int gdbstub_signal_from_gdb(int gdb_sig);

#endif
