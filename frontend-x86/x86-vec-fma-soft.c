/*
 * x86-vec-fma-soft.c — FMA3 and F16C in portable C: the helpers of
 * x86-vec-fma-host-x86_64.c for a host that is not x86_64, with x86's rules
 * (x86-vec-fp-soft.h).  The fused multiply-add is libm's fma()/fmaf()
 * (one rounding, <fenv.h>'s mode and flags); the half-precision
 * conversions are exact integer arithmetic on the significand.
 */
#include <math.h>

#include "frontend-x86/x86-vec-fp-soft.h"
#include "host/host-fp.h"

#define F32 (&soft_f32)
#define F64 (&soft_f64)

/* x * y + z with the product and/or the addend negated (FMSUB, FNMADD,
 * FNMSUB): NaNs are chosen before the negations, so a NaN keeps its sign. */
static uint64_t fma_elem(SoftFP *s, const SoftFmt *f, uint64_t x, uint64_t y, uint64_t z, bool neg_prod,
                         bool neg_add)
{
    x = soft_daz(s, f, x);
    y = soft_daz(s, f, y);
    z = soft_daz(s, f, z);
    if (soft_is_nan(f, x) || soft_is_nan(f, y) || soft_is_nan(f, z)) {
        if (soft_is_snan(f, x) || soft_is_snan(f, y) || soft_is_snan(f, z))
            s->flags |= SX_IE;
        uint64_t first = soft_is_nan(f, x) ? x : soft_is_nan(f, y) ? y : z;
        return first | f->quiet;
    }
    return soft_arith_rm(s, f, SOFT_FMA, neg_prod ? x ^ f->sign : x, y, neg_add ? z ^ f->sign : z, soft_rm(s));
}

/* The operand roles by imm8 (0 = 132: d*s2 + s1, 1 = 213: s1*d + s2,
 * 2 = 231: s1*s2 + d); `sub_even`/`sub_odd` negate the addend of the even
 * / odd elements, `neg_prod` the product. */
#define FMA_ELEMS(field, f, count) \
    for (unsigned i = 0; i < (count); i++) { \
        uint64_t d_ = r.field[i], a_ = va.field[i], b_ = vb.field[i]; \
        uint64_t x_ = imm == 0 ? d_ : a_, y_ = imm == 0 ? b_ : imm == 1 ? d_ : b_; \
        uint64_t z_ = imm == 0 ? a_ : imm == 1 ? b_ : d_; \
        r.field[i] = fma_elem(&s, f, x_, y_, z_, neg_prod, (i & 1) ? sub_odd : sub_even); \
    }

#define FMA_HELPER(name, type, packed, neg_prod_, sub_even_, sub_odd_) \
    uint32_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = cpu->vec.ymm[X86V_D(desc)]; \
        if (!(packed)) \
            desc &= ~X86V_L256; \
        unsigned imm = X86V_IMM(desc), bytes = vec_bytes(desc); \
        bool neg_prod = neg_prod_, sub_even = sub_even_, sub_odd = sub_odd_; \
        SoftFP s = soft_begin(cpu); \
        if (type == 32) { \
            FMA_ELEMS(l, F32, (packed) ? bytes / 4 : 1) \
        } else { \
            FMA_ELEMS(q, F64, (packed) ? bytes / 8 : 1) \
        } \
        if (soft_end(cpu, &s)) \
            return 1; \
        vec_write(cpu, desc | X86V_VEX, &r); \
        return 0; \
    }

FMA_HELPER(fmaddps, 32, true, false, false, false)
FMA_HELPER(fmaddpd, 64, true, false, false, false)
FMA_HELPER(fmaddss, 32, false, false, false, false)
FMA_HELPER(fmaddsd, 64, false, false, false, false)
FMA_HELPER(fmsubps, 32, true, false, true, true)
FMA_HELPER(fmsubpd, 64, true, false, true, true)
FMA_HELPER(fmsubss, 32, false, false, true, true)
FMA_HELPER(fmsubsd, 64, false, false, true, true)
FMA_HELPER(fnmaddps, 32, true, true, false, false)
FMA_HELPER(fnmaddpd, 64, true, true, false, false)
FMA_HELPER(fnmaddss, 32, false, true, false, false)
FMA_HELPER(fnmaddsd, 64, false, true, false, false)
FMA_HELPER(fnmsubps, 32, true, true, true, true)
FMA_HELPER(fnmsubpd, 64, true, true, true, true)
FMA_HELPER(fnmsubss, 32, false, true, true, true)
FMA_HELPER(fnmsubsd, 64, false, true, true, true)
/* fmaddsub: even elements subtract; fmsubadd: odd ones */
FMA_HELPER(fmaddsubps, 32, true, false, true, false)
FMA_HELPER(fmaddsubpd, 64, true, false, true, false)
FMA_HELPER(fmsubaddps, 32, true, false, false, true)
FMA_HELPER(fmsubaddpd, 64, true, false, false, true)

/* ---- F16C ---- */

/* half -> single: exact; an SNaN is quieted (IE) */
static uint32_t half_to_single(SoftFP *s, uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    unsigned e = (h >> 10) & 31, m = h & 0x3ff;
    if (e == 31) {
        if (m == 0)
            return sign | 0x7f800000u;
        if (!(m & 0x200))
            s->flags |= SX_IE;
        return sign | 0x7fc00000u | (uint32_t)m << 13;
    }
    if (e == 0)
        return sign | (m ? soft_bits_f32((float)ldexp(m, -24)) : 0);
    return sign | (e - 15 + 127) << 23 | (uint32_t)m << 13;
}

/* single -> half in rounding mode rm (HostFPRound) */
static uint16_t single_to_half(SoftFP *s, uint32_t x, unsigned rm)
{
    x = (uint32_t)soft_daz(s, F32, x);
    uint16_t sign = (uint16_t)(x >> 16 & 0x8000);
    if (soft_is_nan(F32, x)) {
        if (soft_is_snan(F32, x))
            s->flags |= SX_IE;
        return sign | 0x7e00 | (uint16_t)(x >> 13 & 0x3ff);
    }
    if (soft_is_inf(F32, x))
        return sign | 0x7c00;
    if (soft_is_zero(F32, x))
        return sign;
    if (soft_is_denormal(F32, x))
        s->flags |= SX_DE;
    double v = (double)soft_f32_of(x);
    int ex;
    frexp(v, &ex);
    int e = ex - 1;                     /* v = 1.m * 2^e */
    bool tiny = false;
    if (e < -14) {
        /* tiny after rounding: below 2^-14 once rounded to 11 bits with
         * an unbounded exponent */
        bool unused;
        tiny = fabs(ldexp(soft_round_int(ldexp(v, 10 - e), rm, &unused), e - 10)) < 0x1p-14;
        e = -14;
    }
    bool inexact;
    double q = soft_round_int(ldexp(v, 10 - e), rm, &inexact);   /* in units of the ulp */
    double mag = fabs(q);
    uint16_t r;
    if (e > 15 || ldexp(mag, e - 10) > 65504.0) {
        s->flags |= SX_OE | SX_PE;
        bool to_inf = rm == HOST_FP_ROUND_NEAREST || (rm == HOST_FP_ROUND_UP && !sign) ||
                      (rm == HOST_FP_ROUND_DOWN && sign);
        return sign | (to_inf ? 0x7c00 : 0x7bff);
    }
    unsigned m = (unsigned)mag;
    if (m == 2048) {
        m = 1024;
        e++;
    }
    if (m < 1024)
        r = (uint16_t)m;                /* denormal (e == -14) */
    else
        r = (uint16_t)((e + 15) << 10 | (m - 1024));
    if (tiny && inexact)
        s->flags |= SX_UE;
    if (inexact)
        s->flags |= SX_PE;
    return sign | r;
}

uint32_t SOFT_FN(cvtph2ps)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 vb, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &vb);
    SoftFP s = soft_begin(cpu);
    for (unsigned i = 0; i < ((desc & X86V_L256) ? 8u : 4u); i++)
        r.l[i] = half_to_single(&s, vb.w[i]);
    if (soft_end(cpu, &s))
        return 1;
    vec_write(cpu, desc | X86V_VEX, &r);
    return 0;
}

uint32_t SOFT_FN(cvtps2ph)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 vb, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &vb);
    SoftFP s = soft_begin(cpu);
    unsigned imm = X86V_IMM(desc);
    unsigned rm = (imm & 4) ? soft_rm(&s) : soft_rc_host(imm & 3);
    for (unsigned i = 0; i < ((desc & X86V_L256) ? 8u : 4u); i++)
        r.w[i] = single_to_half(&s, vb.l[i], rm);
    if (soft_end(cpu, &s))
        return 1;
    vec_write_n(cpu, desc | X86V_VEX, X86V_D(desc), &r, 16);
    return 0;
}
