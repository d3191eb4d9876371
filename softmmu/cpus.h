/*
 * cpus.h — the vcpu: creating the cpu of a machine and running it.
 *
 * The board (hw-versatile/versatilepb.c) does, in this order:
 *
 *     PhysMemory *pm = phys_memory_new();  ... regions ...
 *     CPUCommon *cpu = cpus_create(&frontend_arm, pm, &(CPUsOptions){0});
 *     // cpu->sys is set: the frontend sees a system-mode cpu
 *     arm_cpu_set_model((ARMCPU *)cpu, "arm926");
 *     arm_cpu_sys_reset((ARMCPU *)cpu);
 *     IRQLine irq = cpus_irq_line(cpu, ARM_CPU_IRQ);   // the VIC's outputs
 *     IRQLine fiq = cpus_irq_line(cpu, ARM_CPU_FIQ);
 *     ... boot loader sets registers ...
 *     main_loop_start();
 *     return cpus_run(cpu);                            // exit status
 *
 * cpus_run() is the vcpu thread's loop (any thread may be it; main()'s is
 * fine): it runs guest code with exec_cpu_run() and
 *   - EXCP_HALT (WFI): sleeps on a condition variable until an interrupt
 *     line is raised or a run-state request comes (no spinning);
 *   - EXCP_INTERRUPT (a kick): looks at machine_shutdown_requested()
 *     (returns its status) and machine_reset_requested() (cpu reset, then
 *     every device_register_reset() hook under the machine lock, then the
 *     translations and TLB are dropped);
 *   - EXCP_DEBUG (a gdb breakpoint or single-step): stops for gdb
 *     (softmmu/gdb-system.h), as do gdb attaching and gdb's Ctrl-C, seen
 *     after a kick; under -S the cpu does not run until gdb resumes it;
 *   - anything else: Frontend.do_exception (the guest's vectors).
 * Interrupt lines reach the cpu through cpus_set_irq() / cpus_irq_line(),
 * from any thread (device code runs under the machine lock).
 */
#ifndef VEMU_SOFTMMU_CPUS_H
#define VEMU_SOFTMMU_CPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "irq.h"
#include "memory.h"

typedef struct CPUsOptions {
    bool interp;                 /* run in the IR interpreter (-accel interp) */
    bool no_optimize;            /* skip the IR passes (debugging) */
    size_t code_buffer_size;     /* 0: exec's default */
    unsigned max_block_insns;    /* 0: exec's default */
} CPUsOptions;

/* Set up exec for fe in system mode (soft TLB, code fetch by physical
 * page) and create the machine's one cpu over pm.  opt NULL: defaults.
 * NULL when exec cannot be set up (a message was printed). */
CPUCommon *cpus_create(const Frontend *fe, PhysMemory *pm, const CPUsOptions *opt);
void cpus_destroy(CPUCommon *cpu);

/* Interrupt line(s) `mask` of the cpu (CPUCommon.interrupt_request bits,
 * e.g. ARM_CPU_IRQ) go to `level`; wakes a halted cpu. */
void cpus_set_irq(CPUCommon *cpu, uint32_t mask, int level);
/* An IRQLine whose irq_set() is cpus_set_irq(cpu, mask, level). */
IRQLine cpus_irq_line(CPUCommon *cpu, uint32_t mask);

/* Make the vcpu look at its requests soon (any thread): leaves generated
 * code and wakes it from WFI or from -S.  The debugger's kick. */
void cpus_kick(CPUCommon *cpu);

/* Run fn(cpu, opaque) on the vcpu thread between blocks (the cpu state is
 * the vcpu's own while it runs) and wait for it; called with the machine
 * lock held (released during the wait; fn runs with it held).  Directly
 * when the vcpu loop is not running or this is the vcpu thread.  Waits
 * while gdb holds the stopped cpu. */
void cpus_run_on_vcpu(void (*fn)(CPUCommon *cpu, void *opaque), void *opaque);

/* Run the cpu until the machine shuts down; returns the exit status.
 * Parks while the run state says so (runstate.h: prelaunch, paused). */
int cpus_run(CPUCommon *cpu);

/* The debugger's hooks into the loop (softmmu/gdb-system.c installs them
 * with -gdb or -S; NULL: none).  poll: after every kick (gdb attached, or
 * its Ctrl-C); holding: the cpu must not run yet (-S), the loop waits for
 * a kick; debug_stop: EXCP_DEBUG, or a single-step that ended in an
 * exception.  poll and debug_stop return -1 when the debugger ended the
 * machine (cpus_run returns 0), else 0. */
typedef struct CPUsDebugger {
    int (*poll)(CPUCommon *cpu);
    bool (*holding)(void);
    int (*debug_stop)(CPUCommon *cpu);
} CPUsDebugger;
extern const CPUsDebugger *cpus_debugger;

/* The run state's hooks into the loop (main installs runstate.c's; NULL:
 * the cpu always runs).  may_run: false parks the vcpu until a kick;
 * parked(true/false) around guest code (stop waits for the park);
 * did_reset and did_shutdown with the machine lock held. */
typedef struct CPUsRunState {
    bool (*may_run)(void);
    void (*parked)(bool parked);
    void (*did_reset)(void);
    void (*did_shutdown)(void);
} CPUsRunState;
extern const CPUsRunState *cpus_runstate;

/* Return once the vcpu has looked at its requests (an empty
 * cpus_run_on_vcpu); the machine lock held. */
void cpus_sync(void);

/* For -d int and tests: called with each exception before the frontend
 * takes it (NULL: nothing). */
extern void (*cpus_exception_hook)(CPUCommon *cpu, int excp);

#endif
