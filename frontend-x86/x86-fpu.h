/*
 * x86-fpu.h — what users of frontend-x86 (linux-user's x86 targets) need
 * to know about the x87 unit's exceptions (public header; x87.c).
 *
 * X86_EXCP_MF, the x87 floating-point error (vector 16), joins x86-cpu.h's
 * X86_EXCP_*: it is raised at a waiting x87 instruction while an unmasked
 * exception is pending (status word ES), with rip at that instruction.
 * Linux delivers SIGFPE there with the si_code x86_fpu_fpe_code() returns
 * (the kernel's choice from the unmasked flags), and leaves the status
 * word as it is: the handler sees the flags and must clear them.
 */
#ifndef VEMU_X86_FPU_H
#define VEMU_X86_FPU_H

#include "frontend-x86/x86-cpu.h"

enum { X86_EXCP_MF = EXCP_FRONTEND_BASE + 16 };

/* FPE_FLTINV, FPE_FLTDIV ... for the pending x87 exception, 0 if none. */
int x86_fpu_fpe_code(const X86CPU *cpu);

#endif
