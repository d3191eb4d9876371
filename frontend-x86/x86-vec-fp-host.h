/*
 * x86-vec-fp-host.h — private to the floating-point vector helpers that run
 * the guest's instruction on an x86_64 host (x86-vec-*-host-x86_64.c): the
 * guest's MXCSR on the host.
 *
 * Fast case, lazy flags.  While the guest's MXCSR has the default controls
 * (round to nearest, no FTZ/DAZ, every exception masked) -- nearly all
 * code -- a helper just runs the host instruction: the host's MXCSR already
 * has those controls, and the exception flags the instruction raises stay
 * in the host's sticky flags.  The guest's true MXCSR is then
 * `vec.mxcsr | host flags` (x86_vec_mxcsr_get), folded when something reads
 * it (STMXCSR, FXSAVE/XSAVE images, the slow case).  The host's pending
 * flags belong to the value of vec.mxcsr recorded with them (per thread,
 * like the host MXCSR itself): when vec.mxcsr is found changed (LDMXCSR,
 * FXRSTOR, XRSTOR, a signal frame), the pending flags predate the write and
 * are dropped.  Reading MXCSR is what costs (STMXCSR then a load), so the
 * fast case reads it never.
 *
 * Slow case: other controls, or an unmasked exception: fold the pending
 * flags, load the guest's controls with no flags, run the instruction, take
 * the flags it raised exactly, put the host back to its defaults.
 */
#ifndef VEMU_X86_VEC_FP_HOST_H
#define VEMU_X86_VEC_FP_HOST_H

#include "exec/exec.h"
#include "frontend-x86/x86-vec-impl.h"
#include "host/host-fp.h"

/* The host return address into generated code, for exec_raise (taken in
 * the helper itself: it must not be inlined away). */
#define GETPC() ((uintptr_t)__builtin_return_address(0))

/* The vec.mxcsr value the host's pending flags belong to, with bit 32 set
 * when valid (this thread has run a slow case or LDMXCSR). */
extern __thread uint64_t x86_vec_fp_owner;

static inline bool vec_fp_fast(const X86CPU *cpu)
{
    uint32_t g = cpu->vec.mxcsr;
    return (g & ~X86_MXCSR_FLAGS) == X86_MXCSR_DEFAULT && x86_vec_fp_owner == ((1ull << 32) | g);
}

typedef struct VecFP {
    uint32_t unused;
} VecFP;

/* Slow case, before the operation. */
static inline VecFP vec_fp_begin(X86CPU *cpu)
{
    uint32_t g = cpu->vec.mxcsr, host = host_mxcsr_get();
    /* pending flags are the guest's unless vec.mxcsr changed since; a new
     * thread inherits its creator's (the host copies MXCSR at clone) */
    if (!(x86_vec_fp_owner >> 32) || (uint32_t)x86_vec_fp_owner == g)
        g |= host & X86_MXCSR_FLAGS;
    cpu->vec.mxcsr = g;
    host_mxcsr_set((g & (X86_MXCSR_DAZ | X86_MXCSR_RC | X86_MXCSR_FTZ)) | X86_MXCSR_MASKS);
    return (VecFP){ 0 };
}

/* Slow case, after it: the flags raised go into the guest's MXCSR (sticky),
 * the host back to its defaults; true for an unmasked one (#XM: the caller
 * must not write its result). */
static inline bool vec_fp_end(X86CPU *cpu, VecFP f)
{
    (void)f;
    uint32_t flags = host_mxcsr_get() & X86_MXCSR_FLAGS;
    host_mxcsr_set(HOST_MXCSR_DEFAULT);
    uint32_t g = cpu->vec.mxcsr | flags;
    cpu->vec.mxcsr = g;
    x86_vec_fp_owner = (1ull << 32) | g;
    return (flags & ~(g >> 7) & X86_MXCSR_FLAGS) != 0;
}

/* The same for helpers that raise #XM themselves (MAY_FAULT). */
static inline void vec_fp_end_raise(X86CPU *cpu, VecFP f, uintptr_t ra)
{
    if (vec_fp_end(cpu, f))
        exec_raise(&cpu->common, X86_EXCP_XM, ra);
}

#endif
