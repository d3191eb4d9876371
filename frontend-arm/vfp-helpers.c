/*
 * vfp-helpers.c — VFP arithmetic and conversions on the host FPU, with the
 * ARM rules applied around it.
 *
 * The host FPU (through host/host-fp.h: SSE on x86_64, <fenv.h> elsewhere)
 * does the IEEE 754 arithmetic in the guest's rounding mode and reports its
 * exception flags.  ARM and
 * the host agree on every finite, non-NaN result; they differ in:
 *
 *   NaNs       ARM propagates the first signalling NaN operand (quieted),
 *              else the first quiet NaN, in the operand order the ARM ARM
 *              pseudocode uses; with FPSCR.DN, or when an invalid operation
 *              makes a NaN, the result is the default NaN 0x7fc00000 (x86's
 *              has the sign bit set).  NaN operands never reach the host.
 *   FZ         ARM flushes denormal inputs to signed zero (setting IDC) and
 *              tiny results to signed zero (setting UFC, not IXC).  We flush
 *              inputs here, and results after the host op.
 *   tininess   ARM detects underflow before rounding.  x86 SSE does too (a
 *              tiny result that rounds up to the smallest normal raises UE),
 *              but IEEE 754 lets a host detect it after rounding; for such
 *              hosts, when an inexact result is exactly the smallest normal
 *              we redo the op rounding toward zero, which stays below the
 *              smallest normal exactly when the exact result was tiny.
 *
 * The common case (no NaN, a normal result) is one host op between
 * host_fp_begin and host_fp_end (host/host-fp.h) plus a few compares.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-helpers.h"
#include "host/host-fp.h"

/* ---- formats ------------------------------------------------------------- */

typedef struct FPFmt {
    unsigned bits;
    uint64_t sign, exp, frac, quiet, default_nan, min_normal;
} FPFmt;

static const FPFmt F32 = { 32, 0x80000000u, 0x7f800000u, 0x007fffffu, 0x00400000u,
                           0x7fc00000u, 0x00800000u };
static const FPFmt F64 = { 64, 1ull << 63, 0x7ff0000000000000ull, 0x000fffffffffffffull,
                           1ull << 51, 0x7ff8000000000000ull, 1ull << 52 };

static inline uint64_t fp_abs(const FPFmt *f, uint64_t x) { return x & ~f->sign; }
static inline bool fp_is_nan(const FPFmt *f, uint64_t x) { return fp_abs(f, x) > f->exp; }
static inline bool fp_is_snan(const FPFmt *f, uint64_t x) { return fp_is_nan(f, x) && !(x & f->quiet); }
static inline bool fp_is_qnan(const FPFmt *f, uint64_t x) { return fp_is_nan(f, x) && (x & f->quiet); }
static inline bool fp_is_inf(const FPFmt *f, uint64_t x) { return fp_abs(f, x) == f->exp; }
static inline bool fp_is_zero(const FPFmt *f, uint64_t x) { return fp_abs(f, x) == 0; }
static inline bool fp_is_denormal(const FPFmt *f, uint64_t x)
{
    return (x & f->exp) == 0 && (x & f->frac) != 0;
}

static inline float f32_of(uint64_t v) { uint32_t w = (uint32_t)v; float f; memcpy(&f, &w, 4); return f; }
static inline double f64_of(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint32_t bits_f32(float f) { uint32_t w; memcpy(&w, &f, 4); return w; }
static inline uint64_t bits_f64(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }

/* The exact value of a non-NaN operand as a double. */
static inline double fp_to_double(const FPFmt *f, uint64_t x)
{
    return f->bits == 32 ? (double)f32_of(x) : f64_of(x);
}

static inline unsigned fpscr_rmode(uint32_t fpscr)
{
    return (fpscr >> FPSCR_RMODE_SHIFT) & 3;
}

/* FZ: a denormal input becomes a zero of the same sign (and sets IDC). */
static inline uint64_t flush_input(ARMCPU *env, const FPFmt *f, uint64_t x)
{
    if ((env->fpscr & FPSCR_FZ) && fp_is_denormal(f, x)) {
        env->fpscr |= FPSCR_IDC;
        return x & f->sign;
    }
    return x;
}

/* ---- NaN propagation (FPProcessNaN/FPProcessNaNs/FPProcessNaNs3) ----------- */

/* Called when at least one of the n operands is a NaN. */
static uint64_t process_nans(ARMCPU *env, const FPFmt *f, const uint64_t *ops, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (fp_is_snan(f, ops[i])) {
            env->fpscr |= FPSCR_IOC;
            return (env->fpscr & FPSCR_DN) ? f->default_nan : (ops[i] | f->quiet);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        if (fp_is_nan(f, ops[i]))
            return (env->fpscr & FPSCR_DN) ? f->default_nan : ops[i];
    }
    return f->default_nan;   /* not reached */
}

/* ---- the host FPU -------------------------------------------------------- */

enum HostOp {
    H_ADD = HOST_FP_ADD, H_SUB = HOST_FP_SUB, H_MUL = HOST_FP_MUL, H_DIV = HOST_FP_DIV,
    H_SQRT = HOST_FP_SQRT, H_FMA, H_CVT,
};

/* Host exception flags (host/host-fp.h). */
enum {
    HF_INVALID = HOST_FP_INVALID, HF_DENORMAL = HOST_FP_INPUT_DENORMAL, HF_DIVZERO = HOST_FP_DIVBYZERO,
    HF_OVERFLOW = HOST_FP_OVERFLOW, HF_UNDERFLOW = HOST_FP_UNDERFLOW, HF_INEXACT = HOST_FP_INEXACT,
};

/* Fused multiply-add through libm (correctly rounded, honours <fenv.h>):
 * n * m + a.  The volatiles keep the call between the fenv calls. */
static unsigned host_fma(const FPFmt *f, uint64_t n, uint64_t m, uint64_t a, unsigned rmode,
                         uint64_t *res)
{
    host_fp_fenv_begin((HostFPRound)rmode);
    if (f->bits == 32) {
        volatile float x = f32_of(n), y = f32_of(m), z = f32_of(a);
        volatile float r = fmaf(x, y, z);
        *res = bits_f32(r);
    } else {
        volatile double x = f64_of(n), y = f64_of(m), z = f64_of(a);
        volatile double r = fma(x, y, z);
        *res = bits_f64(r);
    }
    return host_fp_fenv_end();
}

/* a op b (H_SQRT: op a; H_CVT: the double a to single) in rounding mode
 * rmode; returns the host flags and the result bits in *res.  The host
 * state is the default one again afterwards (host_fp_end). */
static unsigned host_op_raw(const FPFmt *f, enum HostOp op, uint64_t a, uint64_t b, uint64_t c,
                        unsigned rmode, uint64_t *res)
{
    if (op == H_FMA)
        return host_fma(f, b, c, a, rmode, res);
    host_fp_begin((HostFPRound)rmode);
    if (f->bits == 32)
        *res = bits_f32(op == H_CVT ? host_fp_f64_to_f32(f64_of(a))
                                    : host_fp_op_f32((HostFPOp)op, f32_of(a), f32_of(b)));
    else
        *res = bits_f64(host_fp_op_f64((HostFPOp)op, f64_of(a), f64_of(b)));
    return host_fp_end();
}

/* The host op, after folding the flags inline VFP code left pending in
 * the host FPU into FPSCR (vfp-fpscr.c): host_op_raw clears them. */
static unsigned host_op(ARMCPU *env, const FPFmt *f, enum HostOp op, uint64_t a, uint64_t b,
                        uint64_t c, unsigned rmode, uint64_t *res)
{
    vfp_fold_host_flags(env);
    return host_op_raw(f, op, a, b, c, rmode, res);
}

/* Turn the host's result and flags into ARM's (FPRound): default NaN for
 * invalid operations, before-rounding tininess, FZ flushing, and the
 * cumulative FPSCR flags. */
static uint64_t arm_round_result(ARMCPU *env, const FPFmt *f, enum HostOp op, uint64_t a,
                                 uint64_t b, uint64_t c, unsigned rmode, uint64_t r, unsigned hf)
{
    if (hf & HF_INVALID) {
        env->fpscr |= FPSCR_IOC;
        return f->default_nan;
    }
    uint32_t exc = 0;
    if (hf & HF_DIVZERO)
        exc |= FPSCR_DZC;
    if (hf & HF_OVERFLOW)
        exc |= FPSCR_OFC;
    if (hf & HF_INEXACT)
        exc |= FPSCR_IXC;
    uint64_t mag = fp_abs(f, r);
    /* Masked underflow = tiny and inexact. */
    bool tiny = (hf & HF_UNDERFLOW) != 0;
    if (!tiny && mag == f->min_normal && (hf & HF_INEXACT)) {
        uint64_t rz;
        host_op(env, f, op, a, b, c, 3, &rz);
        tiny = fp_abs(f, rz) < f->min_normal;
    }
    if (env->fpscr & FPSCR_FZ) {
        if (tiny || (mag != 0 && mag < f->min_normal)) {
            env->fpscr |= FPSCR_UFC;
            return r & f->sign;
        }
    } else if (tiny) {
        exc |= FPSCR_UFC;
    }
    env->fpscr |= exc;
    return r;
}

/* One host op on non-NaN operands, with the fast path for normal results. */
static inline uint64_t arith_rm(ARMCPU *env, const FPFmt *f, enum HostOp op, uint64_t a,
                                uint64_t b, uint64_t c, unsigned rmode)
{
    uint64_t r;
    unsigned hf = host_op(env, f, op, a, b, c, rmode, &r);
    uint64_t mag = fp_abs(f, r);
    if (!(hf & (HF_INVALID | HF_DIVZERO | HF_OVERFLOW | HF_UNDERFLOW)) &&
        (mag > f->min_normal || mag == 0)) {
        if (hf & HF_INEXACT)
            env->fpscr |= FPSCR_IXC;
        return r;
    }
    return arm_round_result(env, f, op, a, b, c, rmode, r, hf);
}

/* ... in the FPSCR rounding mode */
static inline uint64_t arith(ARMCPU *env, const FPFmt *f, enum HostOp op, uint64_t a, uint64_t b,
                             uint64_t c)
{
    return arith_rm(env, f, op, a, b, c, fpscr_rmode(env->fpscr));
}

static inline uint64_t binop(ARMCPU *env, const FPFmt *f, enum HostOp op, uint64_t a, uint64_t b)
{
    a = flush_input(env, f, a);
    b = flush_input(env, f, b);
    if (fp_is_nan(f, a) || fp_is_nan(f, b)) {
        uint64_t ops[2] = { a, b };
        return process_nans(env, f, ops, 2);
    }
    return arith(env, f, op, a, b, 0);
}

static uint64_t sqrt_op(ARMCPU *env, const FPFmt *f, uint64_t a)
{
    a = flush_input(env, f, a);
    if (fp_is_nan(f, a))
        return process_nans(env, f, &a, 1);
    return arith(env, f, H_SQRT, a, 0, 0);
}

/* FPMulAdd(addend, op1, op2): addend + op1 * op2, one rounding. */
static uint64_t fma_op(ARMCPU *env, const FPFmt *f, uint64_t addend, uint64_t n, uint64_t m)
{
    addend = flush_input(env, f, addend);
    n = flush_input(env, f, n);
    m = flush_input(env, f, m);
    if (fp_is_nan(f, addend) || fp_is_nan(f, n) || fp_is_nan(f, m)) {
        uint64_t ops[3] = { addend, n, m };
        uint64_t r = process_nans(env, f, ops, 3);
        /* (inf * 0) + QNaN is an invalid operation: default NaN */
        if (fp_is_qnan(f, addend) &&
            ((fp_is_inf(f, n) && fp_is_zero(f, m)) || (fp_is_zero(f, n) && fp_is_inf(f, m)))) {
            env->fpscr |= FPSCR_IOC;
            return f->default_nan;
        }
        return r;
    }
    return arith(env, f, H_FMA, addend, n, m);
}

/* FPCompare: sets FPSCR.NZCV (equal 0110, less 1000, greater 0010,
 * unordered 0011).  A signalling NaN always raises Invalid Operation; a
 * quiet one only for VCMPE. */
static void compare(ARMCPU *env, const FPFmt *f, uint64_t a, uint64_t b, uint32_t signal_qnan)
{
    a = flush_input(env, f, a);
    b = flush_input(env, f, b);
    uint32_t nzcv;
    if (fp_is_nan(f, a) || fp_is_nan(f, b)) {
        nzcv = 0x3;
        if (signal_qnan || fp_is_snan(f, a) || fp_is_snan(f, b))
            env->fpscr |= FPSCR_IOC;
    } else {
        double x = fp_to_double(f, a), y = fp_to_double(f, b);
        nzcv = x == y ? 0x6 : x < y ? 0x8 : 0x2;
    }
    env->fpscr = (env->fpscr & ~FPSCR_NZCV) | nzcv << 28;
}

/* ---- the helpers' C functions ------------------------------------------------ */

uint32_t helper_vfp_add_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)binop(env, &F32, H_ADD, a, b); }
uint32_t helper_vfp_sub_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)binop(env, &F32, H_SUB, a, b); }
uint32_t helper_vfp_mul_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)binop(env, &F32, H_MUL, a, b); }
uint32_t helper_vfp_div_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)binop(env, &F32, H_DIV, a, b); }
uint64_t helper_vfp_add_d(void *env, uint64_t a, uint64_t b) { return binop(env, &F64, H_ADD, a, b); }
uint64_t helper_vfp_sub_d(void *env, uint64_t a, uint64_t b) { return binop(env, &F64, H_SUB, a, b); }
uint64_t helper_vfp_mul_d(void *env, uint64_t a, uint64_t b) { return binop(env, &F64, H_MUL, a, b); }
uint64_t helper_vfp_div_d(void *env, uint64_t a, uint64_t b) { return binop(env, &F64, H_DIV, a, b); }
uint32_t helper_vfp_sqrt_s(void *env, uint32_t a) { return (uint32_t)sqrt_op(env, &F32, a); }
uint64_t helper_vfp_sqrt_d(void *env, uint64_t a) { return sqrt_op(env, &F64, a); }
uint32_t helper_vfp_fma_s(void *env, uint32_t a, uint32_t n, uint32_t m) { return (uint32_t)fma_op(env, &F32, a, n, m); }
uint64_t helper_vfp_fma_d(void *env, uint64_t a, uint64_t n, uint64_t m) { return fma_op(env, &F64, a, n, m); }
void helper_vfp_cmp_s(void *env, uint32_t a, uint32_t b, uint32_t sig) { compare(env, &F32, a, b, sig); }
void helper_vfp_cmp_d(void *env, uint64_t a, uint64_t b, uint32_t sig) { compare(env, &F64, a, b, sig); }
/* The same, returning the relation as an IRFCmpResult: the inline
 * compare's fallback (ir-ops.def, fcmp). */
static uint32_t fcmp_result_of(void *env)
{
    switch (((ARMCPU *)env)->fpscr >> 28) {
    case 0x8: return IR_FCMP_LESS;
    case 0x6: return IR_FCMP_EQUAL;
    case 0x2: return IR_FCMP_GREATER;
    default: return IR_FCMP_UNORDERED;
    }
}
uint32_t helper_vfp_cmp_nzcv_s(void *env, uint32_t a, uint32_t b) { compare(env, &F32, a, b, 0); return fcmp_result_of(env); }
uint32_t helper_vfp_cmpe_nzcv_s(void *env, uint32_t a, uint32_t b) { compare(env, &F32, a, b, 1); return fcmp_result_of(env); }
uint32_t helper_vfp_cmp_nzcv_d(void *env, uint64_t a, uint64_t b) { compare(env, &F64, a, b, 0); return fcmp_result_of(env); }
uint32_t helper_vfp_cmpe_nzcv_d(void *env, uint64_t a, uint64_t b) { compare(env, &F64, a, b, 1); return fcmp_result_of(env); }

/* FPConvert single -> double: exact except for NaNs. */
uint64_t helper_vfp_cvt_s_to_d(void *envp, uint32_t a)
{
    ARMCPU *env = envp;
    a = (uint32_t)flush_input(env, &F32, a);
    if (fp_is_nan(&F32, a)) {
        if (fp_is_snan(&F32, a))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return F64.default_nan;
        return (uint64_t)(a & 0x80000000u) << 32 | F64.default_nan | (uint64_t)(a & 0x3fffffu) << 29;
    }
    return bits_f64((double)f32_of(a));
}

uint32_t helper_vfp_cvt_d_to_s(void *envp, uint64_t a)
{
    ARMCPU *env = envp;
    a = flush_input(env, &F64, a);
    if (fp_is_nan(&F64, a)) {
        if (fp_is_snan(&F64, a))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return (uint32_t)F32.default_nan;
        return (uint32_t)(a >> 32 & 0x80000000u) | 0x7fc00000u | (uint32_t)(a >> 29 & 0x3fffffu);
    }
    return (uint32_t)arith(env, &F32, H_CVT, a, 0, 0);
}

/* Half precision (VCVTB/VCVTT).  FZ does not apply to half-precision values;
 * FPSCR.AHP selects the alternative format (no infinities or NaNs, exponent
 * 31 is a normal exponent). */
uint32_t helper_vfp_f16_to_f32(void *envp, uint32_t h)
{
    ARMCPU *env = envp;
    uint32_t sign = (h & 0x8000u) << 16;
    uint32_t e = h >> 10 & 0x1f, m = h & 0x3ff;
    if (e == 0x1f && !(env->fpscr & FPSCR_AHP)) {
        if (m == 0)
            return sign | 0x7f800000u;
        if (!(m & 0x200))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return (uint32_t)F32.default_nan;
        return sign | 0x7fc00000u | m << 13;
    }
    if (e == 0) {
        if (m == 0)
            return sign;
        return sign | bits_f32((float)m * 0x1p-24f);   /* exact */
    }
    return sign | (e - 15 + 127) << 23 | m << 13;
}

uint32_t helper_vfp_f32_to_f16(void *envp, uint32_t a)
{
    ARMCPU *env = envp;
    bool ahp = (env->fpscr & FPSCR_AHP) != 0;
    a = (uint32_t)flush_input(env, &F32, a);
    uint32_t sign = (a >> 16) & 0x8000u;
    if (fp_is_nan(&F32, a)) {
        if (ahp) {
            env->fpscr |= FPSCR_IOC;
            return sign;      /* no NaNs in the alternative format: a zero */
        }
        if (fp_is_snan(&F32, a))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return 0x7e00u;
        return sign | 0x7e00u | (a >> 13 & 0x1ffu);
    }
    if (fp_is_inf(&F32, a)) {
        if (ahp) {
            env->fpscr |= FPSCR_IOC;
            return sign | 0x7fffu;
        }
        return sign | 0x7c00u;
    }
    if (fp_is_zero(&F32, a))
        return sign;

    /* value = m * 2^(exp - 23), m < 2^24 */
    int exp = (int)(a >> 23 & 0xff);
    uint64_t m = a & 0x7fffffu;
    if (exp == 0)
        exp = 1;
    else
        m |= 0x800000u;
    exp -= 127;
    bool tiny = exp < -14;   /* below 2^-14, the smallest normal half */
    int shift = tiny ? 13 + (-14 - exp) : 13;
    if (shift > 40)
        shift = 40;
    uint64_t kept = m >> shift, rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    bool up;
    switch (fpscr_rmode(env->fpscr)) {
    case 0: up = rem > half || (rem == half && (kept & 1)); break;
    case 1: up = rem != 0 && !sign; break;
    case 2: up = rem != 0 && sign; break;
    default: up = false; break;
    }
    kept += up;
    uint32_t exc = rem ? FPSCR_IXC : 0;
    uint32_t res;
    if (tiny) {
        res = sign | (uint32_t)kept;      /* 0x400 is the smallest normal: still right */
        if (rem)
            exc |= FPSCR_UFC;
    } else {
        if (kept == 1u << 11) {
            kept >>= 1;
            exp++;
        }
        int biased = exp + 15;
        if (ahp && biased > 31) {
            env->fpscr |= FPSCR_IOC;
            return sign | 0x7fffu;
        }
        if (!ahp && biased >= 31) {
            unsigned rm = fpscr_rmode(env->fpscr);
            bool to_inf = rm == 0 || (rm == 1 && !sign) || (rm == 2 && sign);
            env->fpscr |= FPSCR_OFC | FPSCR_IXC;
            return sign | (to_inf ? 0x7c00u : 0x7bffu);
        }
        res = sign | (uint32_t)biased << 10 | (uint32_t)(kept & 0x3ff);
    }
    env->fpscr |= exc;
    return res;
}

/* Round an exact double to an integral value in ARM rounding mode rmode
 * (4: to nearest with ties away from zero). */
static double round_integral(double x, unsigned rmode)
{
    switch (rmode) {
    case 1: return ceil(x);
    case 2: return floor(x);
    case 3: return trunc(x);
    case 4: return round(x);     /* ties away from zero (VCVTA) */
    default: {
        double fl = floor(x), d = x - fl;    /* exact: |x| < 2^52 or d == 0 */
        if (d > 0.5 || (d == 0.5 && fmod(fl, 2.0) != 0.0))
            fl += 1.0;
        return fl;
    }
    }
}

/* FPToFixed: saturating, NaN -> 0; Invalid Operation when out of range
 * (then no Inexact). */
static uint32_t to_fixed(ARMCPU *env, const FPFmt *f, uint64_t a, uint32_t desc)
{
    a = flush_input(env, f, a);
    if (fp_is_nan(f, a)) {
        env->fpscr |= FPSCR_IOC;
        return 0;
    }
    unsigned rmode = (desc & VFP_CVT_TIEAWAY) ? 4
                     : (desc & VFP_CVT_RMODE_FPSCR) ? fpscr_rmode(env->fpscr) : (desc >> 12 & 3);
    unsigned size = (desc & VFP_CVT_SIZE16) ? 16 : 32;
    double x = ldexp(fp_to_double(f, a), (int)(desc & 0x3f));
    double r = round_integral(x, rmode);
    double lo, hi;
    if (desc & VFP_CVT_UNSIGNED) {
        lo = 0;
        hi = ldexp(1.0, (int)size) - 1;
    } else {
        lo = -ldexp(1.0, (int)size - 1);
        hi = ldexp(1.0, (int)size - 1) - 1;
    }
    if (r < lo || r > hi) {
        env->fpscr |= FPSCR_IOC;
        r = r < lo ? lo : hi;
    } else if (r != x) {
        env->fpscr |= FPSCR_IXC;
    }
    return (uint32_t)(int64_t)r;
}

/* to_fixed's C arithmetic (libm rounding) may raise host flags that are
 * not the guest's: fold the pending ones first, drop its own after. */
static uint32_t to_fixed_guarded(ARMCPU *env, const FPFmt *f, uint64_t a, uint32_t desc)
{
    vfp_fold_host_flags(env);
    uint32_t r = to_fixed(env, f, a, desc);
    vfp_drop_host_flags();
    return r;
}

uint32_t helper_vfp_to_fixed_s(void *env, uint32_t a, uint32_t desc) { return to_fixed_guarded(env, &F32, a, desc); }
uint32_t helper_vfp_to_fixed_d(void *env, uint64_t a, uint32_t desc) { return to_fixed_guarded(env, &F64, a, desc); }
/* VCVT.S32 toward zero: the inline conversion's fallback (translate-vfp.c) */
uint32_t helper_vfp_to_int_rz_s(void *env, uint32_t a) { return to_fixed_guarded(env, &F32, a, VFP_CVT_RMODE(3)); }
uint32_t helper_vfp_to_int_rz_d(void *env, uint64_t a) { return to_fixed_guarded(env, &F64, a, VFP_CVT_RMODE(3)); }

/* FixedToFP: the exact value v / 2^fbits, rounded per FPSCR (VCVT from
 * an integer) or to nearest (VCVT from fixed point, as the ARM ARM says). */
static double fixed_value(uint32_t v, uint32_t desc)
{
    double x;
    if (desc & VFP_CVT_SIZE16)
        x = (desc & VFP_CVT_UNSIGNED) ? (double)(uint16_t)v : (double)(int16_t)v;
    else
        x = (desc & VFP_CVT_UNSIGNED) ? (double)v : (double)(int32_t)v;
    return ldexp(x, -(int)(desc & 0x3f));
}

uint32_t helper_vfp_from_fixed_s(void *env, uint32_t v, uint32_t desc)
{
    ARMCPU *cpu = env;
    unsigned rmode = (desc & VFP_CVT_RMODE_FPSCR) ? fpscr_rmode(cpu->fpscr) : (desc >> 12 & 3);
    return (uint32_t)arith_rm(env, &F32, H_CVT, bits_f64(fixed_value(v, desc)), 0, 0, rmode);
}

uint64_t helper_vfp_from_fixed_d(void *env, uint32_t v, uint32_t desc)
{
    (void)env;
    return bits_f64(fixed_value(v, desc));   /* at most 32 significant bits: exact */
}

