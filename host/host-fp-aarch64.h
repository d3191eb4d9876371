/*
 * host-fp-aarch64.h — host-fp.h on aarch64: FPCR (control) and FPSR
 * (status).  Only host-fp.h includes this.
 *
 * FPSR's cumulative flags IOC DZC OFC UFC IXC are bits 0-4 and IDC (input
 * denormal, set only when flushing, FPCR.FZ, which vemu never does) is bit
 * 7; vemu's order is INVALID DENORMAL DIVBYZERO OVERFLOW UNDERFLOW INEXACT,
 * so DZC..IXC move up one.  FPCR.RMode (bits 22-23) is RN 00, RP 01, RM 10,
 * RZ 11: HostFPRound's own numbering.  The default state is FPCR = 0 (no
 * trap enables, round to nearest, no flush to zero, no default NaN).
 * MSR FPCR may be slow (it can be self-synchronising on some cores), so
 * each function skips it when the value is already right; FPSR writes are
 * cheap.
 */
#ifndef VEMU_HOST_FP_AARCH64_H
#define VEMU_HOST_FP_AARCH64_H

#include <asm/sigcontext.h>
#include <stddef.h>
#include <string.h>

#define HOST_FPCR_DEFAULT 0u
#define HOST_FPSR_FLAGS 0x9fu   /* IDC, IXC, UFC, OFC, DZC, IOC */

static inline uint64_t host_fpcr_get(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}
static inline void host_fpcr_set(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static inline uint64_t host_fpsr_get(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpsr" : "=r"(v));
    return v;
}
static inline void host_fpsr_set(uint64_t v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }

/* FPSR's flags in vemu's order. */
static inline unsigned host_fpsr_to_flags(uint64_t fpsr)
{
    return (unsigned)(fpsr & 1) | (unsigned)((fpsr >> 7) & 1) << 1 | (unsigned)(fpsr & 0x1e) << 1;
}

/* The handler runs with the kernel's fresh FPCR/FPSR and longjmp keeps
 * them: take the interrupted code's from the frame's fpsimd_context. */
static inline void host_fp_restore_from_signal(const ucontext_t *uc)
{
    const uint8_t *p = uc->uc_mcontext.__reserved;
    const uint8_t *end = p + sizeof uc->uc_mcontext.__reserved;
    while (p + sizeof(struct _aarch64_ctx) <= end) {
        struct _aarch64_ctx h;
        memcpy(&h, p, sizeof h);
        if (h.magic == 0 || h.size < sizeof h || h.size > (size_t)(end - p))
            return;
        if (h.magic == FPSIMD_MAGIC) {
            uint32_t fpsr, fpcr;
            memcpy(&fpsr, p + offsetof(struct fpsimd_context, fpsr), sizeof fpsr);
            memcpy(&fpcr, p + offsetof(struct fpsimd_context, fpcr), sizeof fpcr);
            host_fpsr_set(fpsr);
            if (host_fpcr_get() != fpcr)
                host_fpcr_set(fpcr);
            return;
        }
        p += h.size;
    }
}

#if !defined(HOST_FP_PORTABLE)
static inline unsigned host_fp_flags(void) { return host_fpsr_to_flags(host_fpsr_get()); }

static inline unsigned host_fp_take_flags(void)
{
    uint64_t s = host_fpsr_get();
    if (!(s & HOST_FPSR_FLAGS))
        return 0;
    host_fpsr_set(s & ~(uint64_t)HOST_FPSR_FLAGS);
    return host_fpsr_to_flags(s);
}

static inline void host_fp_begin(HostFPRound rm)
{
    uint64_t want = HOST_FPCR_DEFAULT | (uint64_t)(rm & 3) << 22;
    if (host_fpcr_get() != want)
        host_fpcr_set(want);
    host_fpsr_set(host_fpsr_get() & ~(uint64_t)HOST_FPSR_FLAGS);
}

static inline unsigned host_fp_end(void)
{
    uint64_t s = host_fpsr_get();
    if (s & HOST_FPSR_FLAGS)
        host_fpsr_set(s & ~(uint64_t)HOST_FPSR_FLAGS);
    if (host_fpcr_get() != HOST_FPCR_DEFAULT)
        host_fpcr_set(HOST_FPCR_DEFAULT);
    return host_fpsr_to_flags(s);
}

/* Scalar FP ops as volatile asm: the compiler keeps them between the
 * FPCR/FPSR accesses. */
static inline float host_fp_op_f32(HostFPOp op, float x, float y)
{
    switch (op) {
    case HOST_FP_ADD: __asm__ volatile("fadd %s0, %s0, %s1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_SUB: __asm__ volatile("fsub %s0, %s0, %s1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_MUL: __asm__ volatile("fmul %s0, %s0, %s1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_DIV: __asm__ volatile("fdiv %s0, %s0, %s1" : "+w"(x) : "w"(y)); break;
    default: __asm__ volatile("fsqrt %s0, %s0" : "+w"(x)); break;
    }
    return x;
}
static inline double host_fp_op_f64(HostFPOp op, double x, double y)
{
    switch (op) {
    case HOST_FP_ADD: __asm__ volatile("fadd %d0, %d0, %d1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_SUB: __asm__ volatile("fsub %d0, %d0, %d1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_MUL: __asm__ volatile("fmul %d0, %d0, %d1" : "+w"(x) : "w"(y)); break;
    case HOST_FP_DIV: __asm__ volatile("fdiv %d0, %d0, %d1" : "+w"(x) : "w"(y)); break;
    default: __asm__ volatile("fsqrt %d0, %d0" : "+w"(x)); break;
    }
    return x;
}
static inline float host_fp_f64_to_f32(double d)
{
    float x;
    __asm__ volatile("fcvt %s0, %d1" : "=w"(x) : "w"(d));
    return x;
}
#endif

#endif
