/*
 * cpu-loop.c — the user-mode cpu loop: run the guest, and handle what
 * exec hands back (system calls, faults, undefined instructions).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "gdbstub/gdbstub.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"

/* Carry out what gdb decided at a stop: deliver sig (or another signal,
 * or none), or end the process for gdb's kill. */
static void deliver_after_gdb(CPUCommon *cpu, int deliver, int sig, int code, uint64_t addr)
{
    if (deliver == GDBSTUB_KILL)
        die_by_signal(SIGKILL);
    if (deliver > 0 && deliver == sig)
        force_guest_signal(cpu, sig, code, addr);
    else if (deliver > 0)
        queue_guest_signal(deliver, &(GuestSiginfo){ .signo = deliver });
}

/* A signal the cpu raised: gdb (when attached) sees it first.  sig 0: a
 * breakpoint or finished single-step, nothing to deliver. */
void cpu_loop_raise_signal(CPUCommon *cpu, int sig, int code, uint64_t addr)
{
    deliver_after_gdb(cpu, gdbstub_handle_stop(cpu, sig), sig, code, addr);
}

#define raise_signal cpu_loop_raise_signal

/* An engine memory fault as Linux reports it: a misaligned access that
 * the kernel does not fix up is SIGBUS/BUS_ADRALN, an access behind a
 * mapping that fails (a file mapping past its end) SIGBUS/BUS_ADRERR, the
 * rest SIGSEGV with MAPERR (nothing mapped) or ACCERR (not permitted). */
static void raise_fault_signal(CPUCommon *cpu)
{
    switch (cpu->fault_reason) {
    case EXEC_FAULT_ALIGNMENT:
        raise_signal(cpu, SIGBUS, BUS_ADRALN, cpu->fault_addr);
        break;
    case EXEC_FAULT_EXTERNAL:
        raise_signal(cpu, SIGBUS, BUS_ADRERR, cpu->fault_addr);
        break;
    case EXEC_FAULT_PERMISSION:
        raise_signal(cpu, SIGSEGV, SEGV_ACCERR, cpu->fault_addr);
        break;
    default:
        raise_signal(cpu, SIGSEGV, SEGV_MAPERR, cpu->fault_addr);
        break;
    }
}

_Noreturn void cpu_loop(CPUCommon *cpu)
{
    const LinuxTarget *t = &linux_target;
    for (;;) {
        thread_cpu = cpu;
        int excp = exec_cpu_run(cpu);
        uint64_t pc = t->get_pc(cpu);
        switch (excp) {
        case EXCP_SYSCALL:
            linux_do_syscall(cpu);
            break;
        case EXCP_INTERRUPT:
            /* A host signal asked us to stop: delivered below.  Or gdb's
             * Ctrl-C. */
            if (gdbstub_interrupt_pending())
                deliver_after_gdb(cpu, gdbstub_handle_interrupt(cpu), 0, 0, 0);
            break;
        case EXCP_UDEF:
            raise_signal(cpu, SIGILL, t->udef_si_code ? t->udef_si_code : ILL_ILLOPC, pc);
            break;
        case EXCP_BKPT:
            raise_signal(cpu, SIGTRAP, t->bkpt_si_code ? t->bkpt_si_code : TRAP_BRKPT,
                         t->bkpt_no_addr ? 0 : pc);
            break;
        case EXCP_MEM_FAULT:
            if (cpu->fault_access == EXEC_ACCESS_EXEC && t->fetch_fault && t->fetch_fault(cpu))
                break;
            raise_fault_signal(cpu);
            break;
        case EXCP_DEBUG:
            /* A breakpoint or a finished single-step: gdb decides. */
            raise_signal(cpu, 0, 0, 0);
            break;
        default:
            if (t->handle_exception && t->handle_exception(cpu, excp))
                break;
            fprintf(stderr, "vemu: internal error: unexpected exception %d at guest pc 0x%llx\n",
                    excp, (unsigned long long)pc);
            if (cpu->fe->dump_state)
                cpu->fe->dump_state(cpu, stderr);
            abort();
        }
        process_pending_signals(cpu);
    }
}
