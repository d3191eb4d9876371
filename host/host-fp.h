/*
 * host-fp.h — the host's floating-point status, behind one neutral API.
 *
 * Everything in vemu that reads or writes the host FPU's control and status
 * (rounding mode, sticky IEEE exception flags) goes through here: frontend
 * helpers that run guest arithmetic on the host FPU, the signal handler that
 * puts back an interrupted thread's status, and tests.  Nothing outside host/
 * names MXCSR (x86_64) or FPCR/FPSR (aarch64).
 *
 * The state the emulator runs in ("default"): round to nearest, ties to
 * even; all exceptions masked (no traps); denormals kept (no flush to zero,
 * denormal inputs not treated as zero); no flags raised.  Between the ops of
 * a guest's inline floating-point code the sticky flags may be set: they
 * then belong to whoever emitted that code (frontend-arm folds them into
 * FPSCR, frontend-arm/vfp-fpscr.c).
 *
 * Each host provides the same static inline functions (they sit on the
 * helpers' fast path); <fenv.h> is the portable fallback, and defining
 * HOST_FP_PORTABLE forces it on any host (to test it on x86_64).
 */
#ifndef VEMU_HOST_FP_H
#define VEMU_HOST_FP_H

#include <fenv.h>
#include <stdint.h>
#include <ucontext.h>

/* The accumulated IEEE 754 exception flags, in vemu's own bit order. */
enum {
    HOST_FP_INVALID        = 1 << 0,  /* invalid operation (a NaN made from non-NaNs, sNaN input) */
    HOST_FP_INPUT_DENORMAL = 1 << 1,  /* an operand was denormal (not IEEE; x86 reports it) */
    HOST_FP_DIVBYZERO      = 1 << 2,  /* exact infinity from finite operands */
    HOST_FP_OVERFLOW       = 1 << 3,
    HOST_FP_UNDERFLOW      = 1 << 4,  /* tiny and inexact (masked underflow) */
    HOST_FP_INEXACT        = 1 << 5,
};
#define HOST_FP_ALL_FLAGS 0x3fu

/* Rounding modes, in the order of IEEE 754's attributes (and ARM's RMode). */
typedef enum HostFPRound {
    HOST_FP_ROUND_NEAREST = 0,   /* ties to even */
    HOST_FP_ROUND_UP      = 1,   /* toward +infinity */
    HOST_FP_ROUND_DOWN    = 2,   /* toward -infinity */
    HOST_FP_ROUND_ZERO    = 3,
} HostFPRound;

/* ---- through <fenv.h>: every host, and what libm calls see -------------- */

static inline unsigned host_fp_fenv_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return ((e & FE_INVALID) ? HOST_FP_INVALID : 0) | ((e & FE_DIVBYZERO) ? HOST_FP_DIVBYZERO : 0) |
           ((e & FE_OVERFLOW) ? HOST_FP_OVERFLOW : 0) | ((e & FE_UNDERFLOW) ? HOST_FP_UNDERFLOW : 0) |
           ((e & FE_INEXACT) ? HOST_FP_INEXACT : 0);
}

/* Around C library calls (fma, ...): rounding mode rm and no flags; then the
 * flags raised, and the default state back. */
static inline void host_fp_fenv_begin(HostFPRound rm)
{
    static const int fe_rounding[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    fesetround(fe_rounding[rm & 3]);
    feclearexcept(FE_ALL_EXCEPT);
}
static inline unsigned host_fp_fenv_end(void)
{
    unsigned flags = host_fp_fenv_flags();
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    return flags;
}

/* The basic operations, for helpers that run one between host_fp_begin and
 * host_fp_end: each host makes sure the compiler keeps it there. */
typedef enum HostFPOp { HOST_FP_ADD, HOST_FP_SUB, HOST_FP_MUL, HOST_FP_DIV, HOST_FP_SQRT } HostFPOp;

#if defined(__x86_64__)
#include "host/host-fp-x86_64.h"
#define HOST_FP_NATIVE 1
#elif defined(__aarch64__)
#include "host/host-fp-aarch64.h"
#define HOST_FP_NATIVE 1
#endif
#if !defined(HOST_FP_NATIVE) || defined(HOST_FP_PORTABLE)
/* Portable: the C library's view of the FPU. */
static inline unsigned host_fp_flags(void) { return host_fp_fenv_flags(); }
static inline unsigned host_fp_take_flags(void)
{
    unsigned f = host_fp_fenv_flags();
    if (f)
        feclearexcept(FE_ALL_EXCEPT);
    return f;
}
static inline void host_fp_begin(HostFPRound rm) { host_fp_fenv_begin(rm); }
static inline unsigned host_fp_end(void) { return host_fp_fenv_end(); }
/* C arithmetic on volatile operands stays between the fenv calls. */
static inline float host_fp_op_f32(HostFPOp op, float a, float b)
{
    volatile float x = a, y = b, r;
    switch (op) {
    case HOST_FP_ADD: r = x + y; break;
    case HOST_FP_SUB: r = x - y; break;
    case HOST_FP_MUL: r = x * y; break;
    case HOST_FP_DIV: r = x / y; break;
    default: r = __builtin_sqrtf(x); break;
    }
    return r;
}
static inline double host_fp_op_f64(HostFPOp op, double a, double b)
{
    volatile double x = a, y = b, r;
    switch (op) {
    case HOST_FP_ADD: r = x + y; break;
    case HOST_FP_SUB: r = x - y; break;
    case HOST_FP_MUL: r = x * y; break;
    case HOST_FP_DIV: r = x / y; break;
    default: r = __builtin_sqrt(x); break;
    }
    return r;
}
static inline float host_fp_f64_to_f32(double a)
{
    volatile double d = a;
    volatile float r = (float)d;
    return r;
}
#endif
#if !defined(HOST_FP_NATIVE)
/* Without knowing the host's signal frame, keep the handler's state. */
static inline void host_fp_restore_from_signal(const ucontext_t *uc) { (void)uc; }
#endif

/*
 * The API every host implements (x86_64: host-fp-x86_64.h, aarch64:
 * host-fp-aarch64.h):
 *
 *   unsigned host_fp_flags(void)       the accumulated flags (HOST_FP_*)
 *   unsigned host_fp_take_flags(void)  the same, and clears them (cheap when none)
 *   void host_fp_begin(HostFPRound rm) before a host op a helper runs: rounding
 *                                      mode rm, no flags (the caller has taken
 *                                      the pending ones first)
 *   unsigned host_fp_end(void)         after it: the flags it raised; back to the
 *                                      default state
 *   float host_fp_op_f32(HostFPOp op, float a, float b)     a op b (sqrt: of a),
 *   double host_fp_op_f64(HostFPOp op, double a, double b)  in the current mode
 *   float host_fp_f64_to_f32(double a)                      rounded in the current mode
 *   void host_fp_restore_from_signal(const ucontext_t *uc)
 *                                      a signal handler that leaves by longjmp puts
 *                                      back the interrupted code's status (its
 *                                      sticky flags may be a guest's pending flags)
 */

#endif
