/*
 * cpu-loop.c — the user-mode cpu loop: run the guest, and handle what
 * exec hands back (system calls, faults, undefined instructions).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"

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
            /* A host signal asked us to stop: delivered below. */
            break;
        case EXCP_UDEF:
            force_guest_signal(cpu, SIGILL, ILL_ILLOPC, pc);
            break;
        case EXCP_BKPT:
            force_guest_signal(cpu, SIGTRAP, TRAP_BRKPT, pc);
            break;
        case EXCP_SEGV:
            force_guest_signal(cpu, SIGSEGV, cpu->fault_code, cpu->fault_addr);
            break;
        case EXCP_BUS:
            force_guest_signal(cpu, SIGBUS, BUS_ADRALN, cpu->fault_addr);
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
