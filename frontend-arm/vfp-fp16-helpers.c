/*
 * vfp-fp16-helpers.c — the FEAT_FP16 half-precision arithmetic (ARMv8.2
 * scalar VADD.F16 ...), done on exact integers rather than the host FPU.
 *
 * Every finite half-precision value is k * 2^-24 with k < 2^40, so sums,
 * products and fused multiply-adds of them are exact in 128-bit integers,
 * and quotients and square roots are computed to more than 24 significant
 * bits with a sticky bit for the remainder: one rounding to half precision
 * (round_h), in FPSCR's mode, with no double-rounding question at all.
 *
 * The rules are the ARM ARM's for N = 16: FZ16 (not FZ) flushes
 * denormal inputs to zero without raising Input Denormal, and results
 * below the smallest normal (before rounding) to zero with Underflow;
 * underflow is otherwise detected before rounding and raised only when
 * inexact; DN gives the default NaN 0x7e00; AHP does not apply.  The flags
 * are ORed into env->fpscr, never through the host's (so nothing here
 * touches the lazily kept host flags).
 */
#include <stdbool.h>
#include <stdint.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-fp16-helpers.h"
#include "frontend-arm/vfp-helpers.h"

typedef unsigned __int128 u128;

#define H_SIGN 0x8000u
#define H_INF 0x7c00u
#define H_QUIET 0x0200u
#define H_DEFAULT_NAN 0x7e00u

enum { H_ZERO, H_FINITE, H_INFINITY, H_NAN };

typedef struct Half {
    uint32_t bits;   /* after the FZ16 flush */
    int cls;
    bool sign;
    uint64_t k;      /* |value| = k * 2^-24 for H_FINITE */
} Half;

static Half unpack(ARMCPU *env, uint32_t h)
{
    Half r = { .bits = h & 0xffffu, .sign = (h & H_SIGN) != 0 };
    uint32_t e = h >> 10 & 0x1f, m = h & 0x3ff;
    if (e == 0x1f) {
        r.cls = m ? H_NAN : H_INFINITY;
    } else if (e == 0) {
        if (m && (env->fpscr & FPSCR_FZ16)) {
            r.bits &= H_SIGN;        /* FZ16: no Input Denormal exception */
            m = 0;
        }
        r.cls = m ? H_FINITE : H_ZERO;
        r.k = m;
    } else {
        r.cls = H_FINITE;
        r.k = (uint64_t)(m | 0x400) << (e - 1);
    }
    return r;
}

static bool is_snan(const Half *x) { return x->cls == H_NAN && !(x->bits & H_QUIET); }

static uint32_t nan_result(ARMCPU *env, uint32_t bits)
{
    return (env->fpscr & FPSCR_DN) ? H_DEFAULT_NAN : (bits | H_QUIET);
}

/* FPProcessNaNs for up to three operands, at least one a NaN: the first
 * signalling one (Invalid Operation), else the first quiet one. */
static uint32_t process_nans(ARMCPU *env, const Half *const *ops, int n)
{
    for (int i = 0; i < n; i++) {
        if (is_snan(ops[i])) {
            env->fpscr |= FPSCR_IOC;
            return nan_result(env, ops[i]->bits);
        }
    }
    for (int i = 0; i < n; i++)
        if (ops[i]->cls == H_NAN)
            return nan_result(env, ops[i]->bits);
    return H_DEFAULT_NAN;
}

static uint32_t invalid(ARMCPU *env)
{
    env->fpscr |= FPSCR_IOC;
    return H_DEFAULT_NAN;
}

/* An exact zero from operands that cancel: -0 only when rounding down. */
static uint32_t exact_zero(ARMCPU *env)
{
    return ((env->fpscr >> FPSCR_RMODE_SHIFT & 3) == 2) ? H_SIGN : 0;
}

static int bit_length(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    if (hi)
        return 128 - __builtin_clzll(hi);
    return (uint64_t)x ? 64 - __builtin_clzll((uint64_t)x) : 0;
}

/* FPRound to half precision of (mag + sticky * epsilon) * 2^exp2, mag != 0:
 * sticky says nonzero bits lie below mag's last one (callers give at least
 * two bits beyond the half's precision when they set it). */
static uint32_t round_h_rm(ARMCPU *env, unsigned rm, bool negative, u128 mag, int exp2, bool sticky)
{
    uint32_t sign = negative ? H_SIGN : 0;
    int top = bit_length(mag) - 1 + exp2;        /* 2^top <= |value| < 2^(top+1) */
    bool tiny = top < -14;
    if (tiny && (env->fpscr & FPSCR_FZ16)) {
        env->fpscr |= FPSCR_UFC;                 /* flushed output: Underflow, not Inexact */
        return sign;
    }
    int lsb = top - 10 < -24 ? -24 : top - 10;    /* exponent of the result's last bit */
    int shift = lsb - exp2;
    u128 kept;
    bool above = false, half = false, inexact = sticky;
    if (shift <= 0) {
        kept = mag << -shift;
    } else {
        kept = mag >> shift;
        u128 rem = mag & (((u128)1 << shift) - 1), h = (u128)1 << (shift - 1);
        above = rem > h || (rem == h && sticky);
        half = rem == h && !sticky;
        inexact |= rem != 0;
    }
    bool up;
    switch (rm) {
    case 0: up = above || (half && (kept & 1)); break;
    case 1: up = inexact && !negative; break;
    case 2: up = inexact && negative; break;
    default: up = false; break;
    }
    kept += up;
    /* kept < 2^11 (2^11 after a carry); the encoding is (lsb + 24) << 10 plus
     * kept, the implicit bit carrying into the exponent field */
    uint32_t bits = (uint32_t)(lsb + 24) * 0x400u + (uint32_t)kept;
    if (bits >= H_INF) {
        bool to_inf = rm == 0 || (rm == 1 && !negative) || (rm == 2 && negative);
        env->fpscr |= FPSCR_OFC | FPSCR_IXC;
        return sign | (to_inf ? H_INF : 0x7bffu);
    }
    if (inexact)
        env->fpscr |= FPSCR_IXC | (tiny ? FPSCR_UFC : 0);
    return sign | bits;
}

/* ... in FPSCR's rounding mode */
static uint32_t round_h(ARMCPU *env, bool negative, u128 mag, int exp2, bool sticky)
{
    return round_h_rm(env, env->fpscr >> FPSCR_RMODE_SHIFT & 3, negative, mag, exp2, sticky);
}

/* The signed exact value of a finite or zero operand, in units of 2^-24. */
static int64_t sval(const Half *x) { return x->sign ? -(int64_t)x->k : (int64_t)x->k; }

static uint32_t add_h(ARMCPU *env, uint32_t a, uint32_t b, bool subtract)
{
    Half x = unpack(env, a), y = unpack(env, b);
    if (x.cls == H_NAN || y.cls == H_NAN)
        return process_nans(env, (const Half *[]){ &x, &y }, 2);
    y.sign ^= subtract;
    if (x.cls == H_INFINITY || y.cls == H_INFINITY) {
        if (x.cls == H_INFINITY && y.cls == H_INFINITY && x.sign != y.sign)
            return invalid(env);
        return (x.cls == H_INFINITY ? x.sign : y.sign) ? (H_SIGN | H_INF) : H_INF;
    }
    if (x.cls == H_ZERO && y.cls == H_ZERO && x.sign == y.sign)
        return x.sign ? H_SIGN : 0;
    int64_t sum = sval(&x) + sval(&y);
    if (sum == 0)
        return exact_zero(env);
    return round_h(env, sum < 0, (u128)(sum < 0 ? -sum : sum), -24, false);
}

uint32_t helper_vfp_add_h(void *env, uint32_t a, uint32_t b) { return add_h(env, a, b, false); }
uint32_t helper_vfp_sub_h(void *env, uint32_t a, uint32_t b) { return add_h(env, a, b, true); }

uint32_t helper_vfp_mul_h(void *envp, uint32_t a, uint32_t b)
{
    ARMCPU *env = envp;
    Half x = unpack(env, a), y = unpack(env, b);
    if (x.cls == H_NAN || y.cls == H_NAN)
        return process_nans(env, (const Half *[]){ &x, &y }, 2);
    uint32_t sign = (x.sign != y.sign) ? H_SIGN : 0;
    if ((x.cls == H_INFINITY && y.cls == H_ZERO) || (x.cls == H_ZERO && y.cls == H_INFINITY))
        return invalid(env);
    if (x.cls == H_INFINITY || y.cls == H_INFINITY)
        return sign | H_INF;
    if (x.cls == H_ZERO || y.cls == H_ZERO)
        return sign;
    return round_h(env, sign != 0, (u128)x.k * y.k, -48, false);
}

uint32_t helper_vfp_div_h(void *envp, uint32_t a, uint32_t b)
{
    ARMCPU *env = envp;
    Half x = unpack(env, a), y = unpack(env, b);
    if (x.cls == H_NAN || y.cls == H_NAN)
        return process_nans(env, (const Half *[]){ &x, &y }, 2);
    uint32_t sign = (x.sign != y.sign) ? H_SIGN : 0;
    if ((x.cls == H_INFINITY && y.cls == H_INFINITY) || (x.cls == H_ZERO && y.cls == H_ZERO))
        return invalid(env);
    if (x.cls == H_INFINITY)
        return sign | H_INF;
    if (y.cls == H_ZERO) {
        env->fpscr |= FPSCR_DZC;
        return sign | H_INF;
    }
    if (x.cls == H_ZERO || y.cls == H_INFINITY)
        return sign;
    /* x / y = q * 2^-64: q has at least 24 significant bits */
    u128 n = (u128)x.k << 64;
    return round_h(env, sign != 0, n / y.k, -64, n % y.k != 0);
}

uint32_t helper_vfp_sqrt_h(void *envp, uint32_t a)
{
    ARMCPU *env = envp;
    Half x = unpack(env, a);
    if (x.cls == H_NAN)
        return process_nans(env, (const Half *[]){ &x }, 1);
    if (x.cls == H_ZERO)
        return x.bits;
    if (x.sign)
        return invalid(env);
    if (x.cls == H_INFINITY)
        return H_INF;
    /* sqrt(k * 2^-24) = sqrt(k * 2^40) * 2^-32; the root has >= 21 bits */
    u128 op = (u128)x.k << 40, root = 0, one = (u128)1 << 126;
    while (one > op)
        one >>= 2;
    while (one) {
        if (op >= root + one) {
            op -= root + one;
            root = (root >> 1) + one;
        } else {
            root >>= 1;
        }
        one >>= 2;
    }
    return round_h(env, false, root, -32, op != 0);
}

/* FPMulAdd(addend, n, m) */
uint32_t helper_vfp_fma_h(void *envp, uint32_t ad, uint32_t an, uint32_t am)
{
    ARMCPU *env = envp;
    Half a = unpack(env, ad), x = unpack(env, an), y = unpack(env, am);
    bool inf_zero = (x.cls == H_INFINITY && y.cls == H_ZERO) || (x.cls == H_ZERO && y.cls == H_INFINITY);
    if (a.cls == H_NAN || x.cls == H_NAN || y.cls == H_NAN) {
        uint32_t r = process_nans(env, (const Half *[]){ &a, &x, &y }, 3);
        if (a.cls == H_NAN && !is_snan(&a) && inf_zero)
            return invalid(env);       /* quiet NaN + inf * 0 */
        return r;
    }
    bool psign = x.sign != y.sign, pinf = x.cls == H_INFINITY || y.cls == H_INFINITY;
    bool pzero = x.cls == H_ZERO || y.cls == H_ZERO;
    if (inf_zero || (a.cls == H_INFINITY && pinf && a.sign != psign))
        return invalid(env);
    if (a.cls == H_INFINITY || pinf)
        return ((a.cls == H_INFINITY) ? a.sign : psign) ? (H_SIGN | H_INF) : H_INF;
    if (a.cls == H_ZERO && pzero && a.sign == psign)
        return a.sign ? H_SIGN : 0;
    /* in units of 2^-48: the product < 2^80, the addend < 2^64 */
    __int128 p = (__int128)((u128)x.k * y.k), sum = ((__int128)sval(&a) * ((__int128)1 << 24)) + (psign ? -p : p);
    if (sum == 0)
        return exact_zero(env);
    return round_h(env, sum < 0, (u128)(sum < 0 ? -sum : sum), -48, false);
}

/* FPCompare: NZCV 0110 equal, 1000 less, 0010 greater, 0011 unordered. */
uint32_t helper_vfp_cmp_h(void *envp, uint32_t a, uint32_t b, uint32_t signal_qnan)
{
    ARMCPU *env = envp;
    Half x = unpack(env, a), y = unpack(env, b);
    if (x.cls == H_NAN || y.cls == H_NAN) {
        if (signal_qnan || is_snan(&x) || is_snan(&y))
            env->fpscr |= FPSCR_IOC;
        return 0x3;
    }
    /* infinities order as values beyond every finite k */
    int64_t vx = x.cls == H_INFINITY ? (x.sign ? INT64_MIN : INT64_MAX) : sval(&x);
    int64_t vy = y.cls == H_INFINITY ? (y.sign ? INT64_MIN : INT64_MAX) : sval(&y);
    return vx == vy ? 0x6 : vx < vy ? 0x8 : 0x2;
}

uint32_t helper_vfp_from_fixed_h(void *envp, uint32_t v, uint32_t desc)
{
    ARMCPU *env = envp;
    bool is_unsigned = desc & VFP_CVT_UNSIGNED;
    int64_t k;
    if (desc & VFP_CVT_SIZE16)
        k = is_unsigned ? (int64_t)(uint16_t)v : (int64_t)(int16_t)v;
    else
        k = is_unsigned ? (int64_t)v : (int64_t)(int32_t)v;
    if (k == 0)
        return 0;
    unsigned rm = (desc & VFP_CVT_RMODE_FPSCR) ? (env->fpscr >> FPSCR_RMODE_SHIFT & 3) : (desc >> 12 & 3);
    return round_h_rm(env, rm, k < 0, (u128)(k < 0 ? -k : k), -(int)VFP_CVT_FBITS(desc), false);
}

uint32_t helper_vfp_h_to_s_exact(void *envp, uint32_t a)
{
    Half x = unpack(envp, a);
    uint32_t sign = x.sign ? 0x80000000u : 0;
    switch (x.cls) {
    case H_NAN:
        return sign | 0x7f800000u | (x.bits & 0x3ffu) << 13;
    case H_INFINITY:
        return sign | 0x7f800000u;
    case H_ZERO:
        return sign;
    default: {
        /* k * 2^-24, k's top bit at p: single exponent p - 24 */
        int p = 63 - __builtin_clzll(x.k);      /* k < 2^40, 11 significant bits */
        uint64_t frac = p <= 23 ? x.k << (23 - p) : x.k >> (p - 23);
        return sign | (uint32_t)(p - 24 + 127) << 23 | (uint32_t)(frac & 0x7fffffu);
    }
    }
}

