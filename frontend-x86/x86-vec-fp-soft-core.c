/*
 * x86-vec-fp-soft-core.c — x86's floating-point rules around the host's
 * IEEE 754 arithmetic, for the portable vector helpers (x86-vec-fp-soft.h
 * says which rules and why the host decides none of them).
 */
#include <math.h>

#include "frontend-x86/x86-vec-fp-soft.h"
#include "host/host-fp.h"

const SoftFmt soft_f32 = { 32, 0x80000000u, 0x7f800000u, 0x007fffffu, 0x00400000u, 0x00800000u };
const SoftFmt soft_f64 = { 64, 1ull << 63, 0x7ff0000000000000ull, 0x000fffffffffffffull, 1ull << 51,
                           1ull << 52 };

uint64_t soft_daz(SoftFP *s, const SoftFmt *f, uint64_t x)
{
    if ((s->mxcsr & X86_MXCSR_DAZ) && soft_is_denormal(f, x))
        return x & f->sign;
    return x;
}

uint64_t soft_nan2(SoftFP *s, const SoftFmt *f, uint64_t a, uint64_t b)
{
    if (soft_is_snan(f, a) || soft_is_snan(f, b))
        s->flags |= SX_IE;
    return (soft_is_nan(f, a) ? a : b) | f->quiet;
}

/* The host op on non-NaN operands (o[0] op o[1], FMA o[0] * o[1] + o[2]) in
 * rounding mode rm: the result bits and the host's flags (HOST_FP_*). */
static unsigned host_compute(const SoftFmt *f, SoftOp op, const uint64_t *o, unsigned rm, uint64_t *res)
{
    if (op == SOFT_FMA) {
        /* libm's fma is correctly rounded and honours <fenv.h>; the
         * volatiles keep it between the fenv calls */
        host_fp_fenv_begin((HostFPRound)rm);
        if (f->bits == 32) {
            volatile float x = soft_f32_of(o[0]), y = soft_f32_of(o[1]), z = soft_f32_of(o[2]);
            volatile float r = fmaf(x, y, z);
            *res = soft_bits_f32(r);
        } else {
            volatile double x = soft_f64_of(o[0]), y = soft_f64_of(o[1]), z = soft_f64_of(o[2]);
            volatile double r = fma(x, y, z);
            *res = soft_bits_f64(r);
        }
        return host_fp_fenv_end();
    }
    host_fp_begin((HostFPRound)rm);
    if (op == SOFT_CVT)
        *res = soft_bits_f32(host_fp_f64_to_f32(soft_f64_of(o[0])));
    else if (f->bits == 32)
        *res = soft_bits_f32(host_fp_op_f32((HostFPOp)op, soft_f32_of(o[0]), soft_f32_of(o[1])));
    else
        *res = soft_bits_f64(host_fp_op_f64((HostFPOp)op, soft_f64_of(o[0]), soft_f64_of(o[1])));
    return host_fp_end();
}

_Static_assert((int)SOFT_ADD == HOST_FP_ADD && (int)SOFT_SUB == HOST_FP_SUB && (int)SOFT_MUL == HOST_FP_MUL &&
               (int)SOFT_DIV == HOST_FP_DIV && (int)SOFT_SQRT == HOST_FP_SQRT, "SoftOp and HostFPOp");

/* x * 2^k, exactly (k small enough that nothing overflows here). */
static uint64_t scale_up(const SoftFmt *f, uint64_t x, int k)
{
    if (f->bits == 32)
        return soft_bits_f32((float)ldexp((double)soft_f32_of(x), k));
    return soft_bits_f64(ldexp(soft_f64_of(x), k));
}

/* Whether the op's exact result, rounded in mode rm to the format's
 * precision with an unbounded exponent, is below the smallest normal: the
 * op again on operands scaled by 2^64 (so its result is normal), compared
 * with the smallest normal scaled alike.  Only MUL, DIV, FMA and CVT can
 * round up to the smallest normal inexactly (a tiny sum is exact). */
static bool tiny_after_rounding(const SoftFmt *f, SoftOp op, const uint64_t *o, unsigned rm)
{
    const SoftFmt *fin = op == SOFT_CVT ? &soft_f64 : f;
    uint64_t so[3] = { o[0], o[1], o[2] };
    int k = 64;
    switch (op) {
    case SOFT_MUL:
    case SOFT_FMA: {
        unsigned small = soft_abs(fin, o[0]) < soft_abs(fin, o[1]) ? 0 : 1;
        so[small] = scale_up(fin, o[small], k);
        if (op == SOFT_FMA)
            so[2] = scale_up(fin, o[2], k);
        break;
    }
    case SOFT_DIV:
    case SOFT_CVT:
        so[0] = scale_up(fin, o[0], k);
        break;
    default:
        return false;
    }
    uint64_t r;
    host_compute(f, op, so, rm, &r);
    double min_normal = f->bits == 32 ? 0x1p-126 : 0x1p-1022;
    return fabs(soft_value(f, r)) < ldexp(min_normal, k);
}

uint64_t soft_arith_rm(SoftFP *s, const SoftFmt *f, SoftOp op, uint64_t a, uint64_t b, uint64_t c, unsigned rm)
{
    const SoftFmt *fin = op == SOFT_CVT ? &soft_f64 : f;
    unsigned n = (op == SOFT_SQRT || op == SOFT_CVT) ? 1 : op == SOFT_FMA ? 3 : 2;
    uint64_t o[3] = { a, b, c };
    bool den = false, nan = false;
    for (unsigned i = 0; i < n; i++) {
        o[i] = soft_daz(s, fin, o[i]);
        den |= soft_is_denormal(fin, o[i]);
        nan |= soft_is_nan(fin, o[i]);
    }
    if (nan) {
        for (unsigned i = 0; i < n; i++)
            if (soft_is_snan(fin, o[i]))
                s->flags |= SX_IE;
        for (unsigned i = 0; i < n; i++) {
            if (!soft_is_nan(fin, o[i]))
                continue;
            if (op == SOFT_CVT)   /* the payload's top bits, quieted */
                return (o[i] >> 32 & 0x80000000u) | 0x7fc00000u | (o[i] >> 29 & 0x3fffffu);
            return o[i] | f->quiet;
        }
    }
    uint64_t r;
    unsigned hf = host_compute(f, op, o, rm, &r);
    if (hf & HOST_FP_INVALID) {
        s->flags |= SX_IE;
        return soft_default_nan(f);
    }
    /* an invalid operation or a division by zero outranks DE */
    if (den && !(hf & HOST_FP_DIVBYZERO))
        s->flags |= SX_DE;
    if (hf & HOST_FP_DIVBYZERO)
        s->flags |= SX_ZE;
    if (hf & HOST_FP_OVERFLOW)
        s->flags |= SX_OE;
    bool inexact = (hf & HOST_FP_INEXACT) != 0;
    uint64_t mag = soft_abs(f, r);
    /* tiny after rounding (the host's own underflow flag may be before):
     * a denormal result, a zero one that was rounded, or an inexact
     * smallest normal that is below it when rounded with an unbounded
     * exponent */
    bool tiny = (mag != 0 && mag < f->min_normal) || (mag == 0 && inexact) ||
                (mag == f->min_normal && inexact && tiny_after_rounding(f, op, o, rm));
    /* FTZ flushes every tiny result, exact ones too, setting UE and PE;
     * UE alone is tiny and inexact (masked underflow).  Unmasked
     * exceptions are reported from that masked computation, as the x86_64
     * host helpers do (x86-vec-fp-host.h). */
    if (tiny && (s->mxcsr & X86_MXCSR_FTZ)) {
        s->flags |= SX_UE | SX_PE;
        return r & f->sign;
    }
    if (tiny && inexact)
        s->flags |= SX_UE;
    if (inexact)
        s->flags |= SX_PE;
    return r;
}

double soft_round_int(double x, unsigned rm, bool *inexact)
{
    *inexact = false;
    if (!(fabs(x) < 4503599627370496.0))   /* 2^52: already an integer */
        return x;
    double t = trunc(x), frac = x - t;
    if (frac == 0)
        return x;
    *inexact = true;
    switch (rm) {
    case HOST_FP_ROUND_NEAREST:
        if (fabs(frac) > 0.5 || (fabs(frac) == 0.5 && fmod(t, 2.0) != 0))
            t += x < 0 ? -1.0 : 1.0;
        break;
    case HOST_FP_ROUND_UP:
        if (frac > 0)
            t += 1.0;
        break;
    case HOST_FP_ROUND_DOWN:
        if (frac < 0)
            t -= 1.0;
        break;
    default:
        break;
    }
    return copysign(t, x);
}
