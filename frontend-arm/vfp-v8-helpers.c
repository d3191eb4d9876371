/*
 * vfp-v8-helpers.c — the FP-ARMv8 operations that need ARM's rules in C:
 * VMAXNM/VMINNM (FPMaxNum/FPMinNum), VRINT* (FPRoundInt), also on halves
 * for FEAT_FP16, the half <->
 * double conversions, and the CRC32 instructions' polynomial arithmetic.
 * VSEL and the VCVT{A,N,P,M} conversions need no helper of their own
 * (translate-v8.c: plain IR, and vfp_helper_to_fixed_* with a rounding
 * mode in the descriptor).
 *
 * FZ flushes single and double inputs (IDC); FZ16 half-precision operands
 * of the FEAT_FP16 forms (without IDC), never those of the conversions.
 * Where these helpers do C floating point (floor, round ...) they fold the
 * guest's lazily kept flags first and drop their own after, as
 * vfp-helpers.c's conversions do (docs/frontend-arm.md, "Lazy cumulative
 * flags").
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-helpers.h"
#include "frontend-arm/vfp-v8-helpers.h"

typedef struct Fmt {
    uint64_t sign, exp, frac, quiet, default_nan;
} Fmt;

static const Fmt S = { 0x80000000u, 0x7f800000u, 0x007fffffu, 0x00400000u, 0x7fc00000u };
static const Fmt D = { 1ull << 63, 0x7ff0000000000000ull, 0x000fffffffffffffull, 1ull << 51,
                       0x7ff8000000000000ull };
static const Fmt H = { 0x8000u, 0x7c00u, 0x03ffu, 0x0200u, 0x7e00u };   /* FEAT_FP16 */

static bool is_nan(const Fmt *f, uint64_t x) { return (x & ~f->sign) > f->exp; }
static bool is_snan(const Fmt *f, uint64_t x) { return is_nan(f, x) && !(x & f->quiet); }
static bool is_inf(const Fmt *f, uint64_t x) { return (x & ~f->sign) == f->exp; }
static bool is_zero(const Fmt *f, uint64_t x) { return (x & ~f->sign) == 0; }

/* FZ for single and double (Input Denormal raised); FZ16 for half, which
 * raises nothing. */
static uint64_t flush(ARMCPU *env, const Fmt *f, uint64_t x)
{
    if (f == &H)
        return ((env->fpscr & FPSCR_FZ16) && (x & f->exp) == 0) ? x & f->sign : x;
    if ((env->fpscr & FPSCR_FZ) && (x & f->exp) == 0 && (x & f->frac) != 0) {
        env->fpscr |= FPSCR_IDC;
        return x & f->sign;
    }
    return x;
}

/* FPProcessNaNs for two operands, at least one a NaN. */
static uint64_t process_nans(ARMCPU *env, const Fmt *f, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (is_snan(f, a) || is_snan(f, b)) {
        env->fpscr |= FPSCR_IOC;
        r = (is_snan(f, a) ? a : b) | f->quiet;
    } else {
        r = is_nan(f, a) ? a : b;
    }
    return (env->fpscr & FPSCR_DN) ? f->default_nan : r;
}

static double value_of(const Fmt *f, uint64_t x)
{
    if (f == &H) {
        int e = (int)(x >> 10 & 0x1f), m = (int)(x & 0x3ff);
        double v = e ? ldexp(m | 0x400, e - 25) : ldexp(m, -24);
        return (x & 0x8000) ? -v : v;
    }
    if (f == &S) {
        uint32_t w = (uint32_t)x;
        float v;
        memcpy(&v, &w, 4);
        return v;
    }
    double v;
    memcpy(&v, &x, 8);
    return v;
}

/* Signed comparison of two non-NaN values through their bit patterns
 * (no host floating point): -1, 0 or 1; -0 < +0 here, which is the order
 * FPMax/FPMin's zero rule gives. */
static int order(const Fmt *f, uint64_t a, uint64_t b)
{
    bool na = (a & f->sign) != 0, nb = (b & f->sign) != 0;
    uint64_t ma = a & ~f->sign, mb = b & ~f->sign;
    if (na != nb)
        return na ? -1 : 1;
    if (ma == mb)
        return 0;
    return ((ma < mb) != na) ? -1 : 1;
}

/* FPMaxNum / FPMinNum */
static uint64_t minmaxnum(ARMCPU *env, const Fmt *f, uint64_t a, uint64_t b, bool max)
{
    a = flush(env, f, a);
    b = flush(env, f, b);
    bool qa = is_nan(f, a) && !is_snan(f, a), qb = is_nan(f, b) && !is_snan(f, b);
    /* a quiet NaN against anything but a quiet NaN is ignored */
    if (qa && !qb)
        a = f->exp | (max ? f->sign : 0);        /* -inf for max, +inf for min */
    else if (qb && !qa)
        b = f->exp | (max ? f->sign : 0);
    if (is_nan(f, a) || is_nan(f, b))
        return process_nans(env, f, a, b);
    int o = order(f, a, b);
    return (o >= 0) == max ? a : b;
}

uint32_t helper_vfp_maxnm_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)minmaxnum(env, &S, a, b, true); }
uint32_t helper_vfp_minnm_s(void *env, uint32_t a, uint32_t b) { return (uint32_t)minmaxnum(env, &S, a, b, false); }
uint64_t helper_vfp_maxnm_d(void *env, uint64_t a, uint64_t b) { return minmaxnum(env, &D, a, b, true); }
uint64_t helper_vfp_minnm_d(void *env, uint64_t a, uint64_t b) { return minmaxnum(env, &D, a, b, false); }

/* FPRoundInt: NaNs propagate (SNaN -> IOC), infinities and zeros stay, a
 * result of zero keeps the operand's sign. */
static uint64_t round_int(ARMCPU *env, const Fmt *f, uint64_t a, uint32_t desc)
{
    a = flush(env, f, a);
    if (is_nan(f, a)) {
        if (is_snan(f, a))
            env->fpscr |= FPSCR_IOC;
        return (env->fpscr & FPSCR_DN) ? f->default_nan : (a | f->quiet);
    }
    if (is_inf(f, a) || is_zero(f, a))
        return a;
    unsigned mode = (desc & VFP_RINT_FPSCR) ? (env->fpscr >> FPSCR_RMODE_SHIFT & 3) : (desc & 7);
    vfp_fold_host_flags(env);
    double x = value_of(f, a), r;    /* exact; |x| >= 2^52 is already integral */
    switch (mode) {
    case 1: r = ceil(x); break;
    case 2: r = floor(x); break;
    case 3: r = trunc(x); break;
    case 4: r = round(x); break;      /* ties away from zero */
    default: {                         /* to nearest, ties to even */
        r = floor(x);
        double d = x - r;              /* exact: |x| < 2^52 here, or d == 0 */
        if (d > 0.5 || (d == 0.5 && fmod(r, 2.0) != 0.0))
            r += 1.0;
        break;
    }
    }
    r = copysign(r, x);               /* -0.25 -> -0 */
    uint64_t bits;
    if (f == &H) {
        /* an integer no larger than |x| <= 65504: exact (11 bits below 2048,
         * and every half from 1024 up is already integral) */
        double ar = fabs(r);
        if (ar == 0) {
            bits = 0;
        } else {
            int e;
            double fr = frexp(ar, &e);            /* ar = fr * 2^e, fr in [0.5, 1) */
            bits = (uint64_t)(e + 14) << 10 | ((uint64_t)ldexp(fr, 11) & 0x3ff);
        }
        bits |= signbit(r) ? 0x8000u : 0;
    } else if (f == &S) {
        float v = (float)r;           /* exact: an integer no larger than x */
        uint32_t w;
        memcpy(&w, &v, 4);
        bits = w;
    } else {
        memcpy(&bits, &r, 8);
    }
    if ((desc & VFP_RINT_EXACT) && r != x)
        env->fpscr |= FPSCR_IXC;
    vfp_drop_host_flags();
    return bits;
}

uint32_t helper_vfp_maxnm_h(void *env, uint32_t a, uint32_t b) { return (uint32_t)minmaxnum(env, &H, a & 0xffff, b & 0xffff, true); }
uint32_t helper_vfp_minnm_h(void *env, uint32_t a, uint32_t b) { return (uint32_t)minmaxnum(env, &H, a & 0xffff, b & 0xffff, false); }
uint32_t helper_vfp_rint_h(void *env, uint32_t a, uint32_t desc) { return (uint32_t)round_int(env, &H, a & 0xffff, desc); }
uint32_t helper_vfp_rint_s(void *env, uint32_t a, uint32_t desc) { return (uint32_t)round_int(env, &S, a, desc); }
uint64_t helper_vfp_rint_d(void *env, uint64_t a, uint32_t desc) { return round_int(env, &D, a, desc); }

/* Half -> double: exact.  AHP: exponent 31 is an ordinary exponent. */
uint64_t helper_vfp_f16_to_f64(void *envp, uint32_t h)
{
    ARMCPU *env = envp;
    uint64_t sign = (uint64_t)(h & 0x8000u) << 48;
    uint32_t e = h >> 10 & 0x1f, m = h & 0x3ff;
    if (e == 0x1f && !(env->fpscr & FPSCR_AHP)) {
        if (m == 0)
            return sign | D.exp;
        if (!(m & 0x200))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return D.default_nan;
        return sign | D.default_nan | (uint64_t)m << 42;
    }
    if (e == 0) {
        if (m == 0)
            return sign;
        /* m * 2^-24, m's top bit at p */
        int p = 31 - __builtin_clz(m);
        return sign | (uint64_t)(p - 24 + 1023) << 52 | (((uint64_t)m << (52 - p)) & D.frac);
    }
    return sign | (uint64_t)(e - 15 + 1023) << 52 | (uint64_t)m << 42;
}

/* Double -> half, one rounding per FPSCR.RMode. */
uint32_t helper_vfp_f64_to_f16(void *envp, uint64_t a)
{
    ARMCPU *env = envp;
    bool ahp = (env->fpscr & FPSCR_AHP) != 0;
    a = flush(env, &D, a);
    uint32_t sign = (uint32_t)(a >> 48) & 0x8000u;
    if (is_nan(&D, a)) {
        if (ahp) {
            env->fpscr |= FPSCR_IOC;
            return sign;
        }
        if (is_snan(&D, a))
            env->fpscr |= FPSCR_IOC;
        if (env->fpscr & FPSCR_DN)
            return 0x7e00u;
        return sign | 0x7e00u | (uint32_t)(a >> 42 & 0x1ffu);
    }
    if (is_inf(&D, a)) {
        if (ahp) {
            env->fpscr |= FPSCR_IOC;
            return sign | 0x7fffu;
        }
        return sign | 0x7c00u;
    }
    if (is_zero(&D, a))
        return sign;
    /* value = m * 2^(exp - 52) */
    int exp = (int)(a >> 52 & 0x7ff);
    uint64_t m = a & D.frac;
    if (exp == 0)
        exp = 1;
    else
        m |= 1ull << 52;
    exp -= 1023;
    bool tiny = exp < -14;
    int shift = tiny ? 42 + (-14 - exp) : 42;
    if (shift > 60)
        shift = 60;       /* everything is below half an ulp: only stickiness matters */
    uint64_t kept = m >> shift, rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    unsigned rm = env->fpscr >> FPSCR_RMODE_SHIFT & 3;
    bool up;
    switch (rm) {
    case 0: up = rem > half || (rem == half && (kept & 1)); break;
    case 1: up = rem != 0 && !sign; break;
    case 2: up = rem != 0 && sign; break;
    default: up = false; break;
    }
    kept += up;
    uint32_t exc = rem ? FPSCR_IXC : 0;
    uint32_t res;
    if (tiny) {
        res = sign | (uint32_t)kept;
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
            bool to_inf = rm == 0 || (rm == 1 && !sign) || (rm == 2 && sign);
            env->fpscr |= FPSCR_OFC | FPSCR_IXC;
            return sign | (to_inf ? 0x7c00u : 0x7bffu);
        }
        res = sign | (uint32_t)biased << 10 | (uint32_t)(kept & 0x3ff);
    }
    env->fpscr |= exc;
    return res;
}

/* CRC32/CRC32C: the bit-reflected polynomial long division the
 * instructions do, a byte at a time (no pre- or post-inversion: software
 * does that around a loop of them). */
uint32_t helper_arm_crc32(uint32_t acc, uint32_t val, uint32_t desc)
{
    uint32_t poly = (desc & 4) ? 0x82f63b78u : 0xedb88320u;
    unsigned bytes = 1u << (desc & 3);
    for (unsigned i = 0; i < bytes; i++) {
        acc ^= (val >> (8 * i)) & 0xff;
        for (int k = 0; k < 8; k++)
            acc = (acc >> 1) ^ (poly & -(acc & 1));
    }
    return acc;
}

