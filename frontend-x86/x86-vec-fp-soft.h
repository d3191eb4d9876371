/*
 * x86-vec-fp-soft.h — private to the portable SSE/AVX floating point
 * (x86-vec-fp-soft*.c): x86's rules around the host's IEEE arithmetic.
 *
 * On a host that is not x86_64 the guest's vector floating point cannot run
 * as the guest's own instructions (x86-vec-*-host-x86_64.c); these files do
 * it in C.  The host (through host/host-fp.h) only does IEEE 754 basic
 * operations in a rounding mode and reports invalid, divide-by-zero,
 * overflow, underflow (tiny before rounding) and inexact; everything where
 * hosts differ is decided here, never by the host:
 *
 *   NaNs       an SNaN operand raises IE; the result is the first NaN operand
 *              (quieted), in the instruction's operand order; an invalid
 *              operation on non-NaNs gives the default NaN with the sign SET
 *              (0xffc00000), where ARM's has it clear.  NaNs never reach the
 *              host op.
 *   DAZ        a denormal operand becomes a zero of its sign (no DE).
 *   DE         raised for a denormal operand (DAZ clear) of an operation
 *              without NaN operands; no host reports it the same way.
 *   FTZ        a tiny result (masked underflow) becomes a zero of its sign,
 *              raising UE and PE.
 *   UE         tiny and inexact; with UE unmasked, tiny alone.  Tininess is
 *              before rounding (the host's flag); a result that rounded up
 *              to the smallest normal is redone toward zero, for hosts that
 *              detect it after rounding.
 *   integers   a NaN or out-of-range conversion gives the integer
 *              indefinite (0x80000000...) and IE, where ARM saturates; the
 *              rounding to an integer is done here in exact arithmetic.
 *
 * On an x86_64 host the same files are built with their functions renamed
 * (x86_soft_vec_* instead of helper_vec_*) so that a unit test runs them
 * beside the host's instructions (tests/unit/test-x86-vec-fp-soft.c).
 */
#ifndef VEMU_X86_VEC_FP_SOFT_H
#define VEMU_X86_VEC_FP_SOFT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "frontend-x86/x86-vec-impl.h"

#if defined(__x86_64__)
#define SOFT_FN(name) x86_soft_vec_##name
#define SOFT_MXCSR_GET x86_soft_vec_mxcsr_get
#define SOFT_MXCSR_SET x86_soft_vec_mxcsr_set
#else
#define SOFT_FN(name) helper_vec_##name
#define SOFT_MXCSR_GET x86_vec_mxcsr_get
#define SOFT_MXCSR_SET x86_vec_mxcsr_set
#endif

/* The host return address into generated code, for exec_raise. */
#define SOFT_GETPC() ((uintptr_t)__builtin_return_address(0))

/* ---- formats ---- */
typedef struct SoftFmt {
    unsigned bits;
    uint64_t sign, exp, frac, quiet, min_normal;
} SoftFmt;

extern const SoftFmt soft_f32, soft_f64;

static inline uint64_t soft_abs(const SoftFmt *f, uint64_t x) { return x & ~f->sign; }
static inline bool soft_is_nan(const SoftFmt *f, uint64_t x) { return soft_abs(f, x) > f->exp; }
static inline bool soft_is_snan(const SoftFmt *f, uint64_t x) { return soft_is_nan(f, x) && !(x & f->quiet); }
static inline bool soft_is_inf(const SoftFmt *f, uint64_t x) { return soft_abs(f, x) == f->exp; }
static inline bool soft_is_zero(const SoftFmt *f, uint64_t x) { return soft_abs(f, x) == 0; }
static inline bool soft_is_denormal(const SoftFmt *f, uint64_t x)
{
    return (x & f->exp) == 0 && (x & f->frac) != 0;
}
static inline uint64_t soft_default_nan(const SoftFmt *f) { return f->sign | f->exp | f->quiet; }

static inline float soft_f32_of(uint64_t v) { uint32_t w = (uint32_t)v; float x; memcpy(&x, &w, 4); return x; }
static inline double soft_f64_of(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint32_t soft_bits_f32(float x) { uint32_t w; memcpy(&w, &x, 4); return w; }
static inline uint64_t soft_bits_f64(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
/* The exact value of a non-NaN operand. */
static inline double soft_value(const SoftFmt *f, uint64_t x)
{
    return f->bits == 32 ? (double)soft_f32_of(x) : soft_f64_of(x);
}

/* ---- one instruction's state: the guest's controls and the flags raised ---- */
typedef struct SoftFP {
    uint32_t mxcsr;   /* the guest's MXCSR before the instruction */
    uint32_t flags;   /* IE DE ZE OE UE PE raised by it (MXCSR bit order) */
} SoftFP;

enum { SX_IE = 1, SX_DE = 2, SX_ZE = 4, SX_OE = 8, SX_UE = 16, SX_PE = 32 };

/* The MXCSR rounding control (RN, down, up, zero) as host/host-fp.h's. */
static inline unsigned soft_rc_host(unsigned rc)
{
    static const unsigned char map[4] = { 0, 2, 1, 3 };   /* HostFPRound */
    return map[rc & 3];
}
static inline unsigned soft_rm(const SoftFP *s) { return soft_rc_host(s->mxcsr >> 13); }

/* DAZ: a denormal operand as a zero of its sign. */
uint64_t soft_daz(SoftFP *s, const SoftFmt *f, uint64_t x);
/* Two operands, at least one a NaN: x86's choice (the first NaN, quieted),
 * IE for an SNaN. */
uint64_t soft_nan2(SoftFP *s, const SoftFmt *f, uint64_t a, uint64_t b);

typedef enum SoftOp { SOFT_ADD, SOFT_SUB, SOFT_MUL, SOFT_DIV, SOFT_SQRT, SOFT_CVT, SOFT_FMA } SoftOp;

/* a op b for an arithmetic instruction: DAZ, NaNs, DE, the host op in
 * rounding mode rm (host/host-fp.h numbering), then x86's result rules.
 * SOFT_CVT: the double a to single (f is the result's format); SOFT_FMA:
 * a * b + c. */
uint64_t soft_arith_rm(SoftFP *s, const SoftFmt *f, SoftOp op, uint64_t a, uint64_t b, uint64_t c,
                       unsigned rm);
static inline uint64_t soft_arith(SoftFP *s, const SoftFmt *f, SoftOp op, uint64_t a, uint64_t b)
{
    return soft_arith_rm(s, f, op, a, b, 0, soft_rm(s));
}

/* Round the exact value x (an integer-valued result wanted) in rounding
 * mode rm (HostFPRound); *inexact says whether it changed. */
double soft_round_int(double x, unsigned rm, bool *inexact);

/* The instruction's end: the flags into the guest's MXCSR; true when one is
 * unmasked (#XM: the caller must not write its result). */
static inline bool soft_end(X86CPU *cpu, const SoftFP *s)
{
    cpu->vec.mxcsr |= s->flags;
    return (s->flags & ~(s->mxcsr >> 7) & X86_MXCSR_FLAGS) != 0;
}
static inline SoftFP soft_begin(const X86CPU *cpu)
{
    return (SoftFP){ .mxcsr = cpu->vec.mxcsr, .flags = 0 };
}

#endif
