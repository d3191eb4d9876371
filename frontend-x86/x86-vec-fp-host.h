/*
 * x86-vec-fp-host.h — private to the floating-point vector helpers that run
 * the guest's instruction on an x86_64 host (x86-vec-*-host-x86_64.c): the
 * switch of the host's MXCSR to the guest's and back, and the fold of the
 * flags raised into the guest's MXCSR, raising #XM for an unmasked one.
 */
#ifndef VEMU_X86_VEC_FP_HOST_H
#define VEMU_X86_VEC_FP_HOST_H

#include "exec/exec.h"
#include "frontend-x86/x86-vec-impl.h"
#include "host/host-fp.h"

/* The host return address into generated code, for exec_raise (taken in
 * the helper itself: it must not be inlined away). */
#define GETPC() ((uintptr_t)__builtin_return_address(0))

/* Before the host instruction: the guest's rounding, FTZ and DAZ with every
 * exception masked and no flags; returns the host's MXCSR to put back. */
static inline uint32_t vec_fp_begin(const X86CPU *cpu)
{
    uint32_t saved = host_mxcsr_get();
    host_mxcsr_set((cpu->vec.mxcsr & (X86_MXCSR_DAZ | X86_MXCSR_RC | X86_MXCSR_FTZ)) | X86_MXCSR_MASKS);
    return saved;
}

/* After it: the flags go into the guest's MXCSR (sticky); an unmasked one
 * is #XM at the instruction (the caller has not written its result yet). */
static inline void vec_fp_end(X86CPU *cpu, uint32_t saved, uintptr_t ra)
{
    uint32_t flags = host_mxcsr_get() & X86_MXCSR_FLAGS;
    host_mxcsr_set(saved);
    cpu->vec.mxcsr |= flags;
    if (flags & ~(cpu->vec.mxcsr >> 7) & X86_MXCSR_FLAGS)
        exec_raise(&cpu->common, X86_EXCP_XM, ra);
}

#endif
