/*
 * host-fp-x86_64.h — host-fp.h on x86_64: SSE's MXCSR.  Only host-fp.h
 * includes this.
 *
 * MXCSR's flag bits IE DE ZE OE UE PE (0-5) are HOST_FP_INVALID ...
 * HOST_FP_INEXACT in that order (vemu's order was chosen so), its rounding
 * control RC (bits 13-14) is RN 00, RM 01, RP 10, RZ 11.  The default state
 * is 0x1f80: all exceptions masked, round to nearest, no FTZ/DAZ, no flags.
 * ldmxcsr is the slow part (it serialises): each function skips it when
 * MXCSR already holds the value wanted.
 */
#ifndef VEMU_HOST_FP_X86_64_H
#define VEMU_HOST_FP_X86_64_H

#define HOST_MXCSR_DEFAULT 0x1f80u

static inline uint32_t host_mxcsr_get(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}
static inline void host_mxcsr_set(uint32_t v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }

/* The handler runs with a fresh MXCSR and longjmp keeps it (whichever way
 * the rest of the API works: HOST_FP_PORTABLE changes only that). */
static inline void host_fp_restore_from_signal(const ucontext_t *uc)
{
    if (uc->uc_mcontext.fpregs)
        host_mxcsr_set(uc->uc_mcontext.fpregs->mxcsr);
}

#if !defined(HOST_FP_PORTABLE)
static inline unsigned host_fp_flags(void) { return host_mxcsr_get() & HOST_FP_ALL_FLAGS; }

static inline unsigned host_fp_take_flags(void)
{
    uint32_t m = host_mxcsr_get();
    if (!(m & HOST_FP_ALL_FLAGS))
        return 0;
    host_mxcsr_set(m & ~HOST_FP_ALL_FLAGS);
    return m & HOST_FP_ALL_FLAGS;
}

static inline void host_fp_begin(HostFPRound rm)
{
    static const uint32_t rc[4] = { 0x0000, 0x4000, 0x2000, 0x6000 };  /* RN RP RM RZ */
    uint32_t want = HOST_MXCSR_DEFAULT | rc[rm & 3];
    if (host_mxcsr_get() != want)
        host_mxcsr_set(want);
}

static inline unsigned host_fp_end(void)
{
    uint32_t after = host_mxcsr_get();
    if (after != HOST_MXCSR_DEFAULT)
        host_mxcsr_set(HOST_MXCSR_DEFAULT);
    return after & HOST_FP_ALL_FLAGS;
}

/* SSE scalar ops as volatile asm: the compiler keeps them between the
 * MXCSR accesses. */
static inline float host_fp_op_f32(HostFPOp op, float x, float y)
{
    switch (op) {
    case HOST_FP_ADD: __asm__ volatile("addss %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_SUB: __asm__ volatile("subss %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_MUL: __asm__ volatile("mulss %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_DIV: __asm__ volatile("divss %1, %0" : "+x"(x) : "x"(y)); break;
    default: __asm__ volatile("sqrtss %0, %0" : "+x"(x)); break;
    }
    return x;
}
static inline double host_fp_op_f64(HostFPOp op, double x, double y)
{
    switch (op) {
    case HOST_FP_ADD: __asm__ volatile("addsd %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_SUB: __asm__ volatile("subsd %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_MUL: __asm__ volatile("mulsd %1, %0" : "+x"(x) : "x"(y)); break;
    case HOST_FP_DIV: __asm__ volatile("divsd %1, %0" : "+x"(x) : "x"(y)); break;
    default: __asm__ volatile("sqrtsd %0, %0" : "+x"(x)); break;
    }
    return x;
}
static inline float host_fp_f64_to_f32(double d)
{
    float x;
    __asm__ volatile("cvtsd2ss %1, %0" : "=x"(x) : "x"(d));
    return x;
}
#endif

#endif
