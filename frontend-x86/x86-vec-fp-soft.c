/*
 * x86-vec-fp-soft.c — SSE/AVX floating point in portable C: the helpers of
 * x86-vec-fp-host-x86_64.c for a host that is not x86_64, with the same
 * results, NaNs, integer indefinite and MXCSR flags (x86-vec-fp-soft.h).
 * An instruction's flags go straight into the guest's MXCSR (nothing is
 * left pending in the host), and one the guest left unmasked makes the
 * helper return 1 / raise #XM without writing the result, as on hardware.
 *
 * RCPPS/RSQRTPS are approximations whose exact bits differ between x86
 * implementations; here they are 1/x and 1/sqrt(x) rounded to 12
 * significant bits (relative error at most 2^-13, inside the SDM's
 * 1.5 * 2^-12), with the SDM's special cases.
 */
#include <math.h>

#include "exec/exec.h"
#include "frontend-x86/x86-vec-fp-soft.h"
#include "frontend-x86/x86-vec-mxcsr.h"
#include "host/host-fp.h"

#if defined(__x86_64__)
uint32_t x86_soft_vec_mxcsr_get(const X86CPU *cpu);
void x86_soft_vec_mxcsr_set(X86CPU *cpu, uint32_t val);
#endif

/* No flags are ever pending in the host: MXCSR is vec.mxcsr. */
uint32_t SOFT_MXCSR_GET(const X86CPU *cpu)
{
    return cpu->vec.mxcsr;
}

void SOFT_MXCSR_SET(X86CPU *cpu, uint32_t val)
{
    cpu->vec.mxcsr = val;
}

#define F32 (&soft_f32)
#define F64 (&soft_f64)

/* ---- element operations ---- */

static uint64_t minmax(SoftFP *s, const SoftFmt *f, uint64_t a, uint64_t b, bool max)
{
    a = soft_daz(s, f, a);
    b = soft_daz(s, f, b);
    if (soft_is_nan(f, a) || soft_is_nan(f, b)) {
        s->flags |= SX_IE;   /* any NaN: MINPS/MAXPS compare signalling */
        return b;
    }
    if (soft_is_denormal(f, a) || soft_is_denormal(f, b))
        s->flags |= SX_DE;
    double x = soft_value(f, a), y = soft_value(f, b);
    return (max ? x > y : x < y) ? a : b;
}

/* value rounded to 12 significant bits, flushed when below the smallest
 * normal single */
static uint32_t approx12(double v)
{
    uint64_t bits = soft_bits_f64(v);
    bits = (bits + (1ull << 40)) & ~((1ull << 41) - 1);
    double r = soft_f64_of(bits);
    if (fabs(r) < 0x1p-126)
        return (uint32_t)(bits >> 32) & 0x80000000u;
    return soft_bits_f32((float)r);
}

static uint32_t rcp(uint32_t x)
{
    uint32_t sign = x & 0x80000000u;
    if (soft_is_nan(F32, x))
        return x | 0x00400000u;
    if (soft_is_zero(F32, x) || soft_is_denormal(F32, x))
        return sign | 0x7f800000u;
    if (soft_is_inf(F32, x))
        return sign;
    return approx12(1.0 / (double)soft_f32_of(x));
}

static uint32_t rsqrt(uint32_t x)
{
    uint32_t sign = x & 0x80000000u;
    if (soft_is_nan(F32, x))
        return x | 0x00400000u;
    if (soft_is_zero(F32, x) || soft_is_denormal(F32, x))
        return sign | 0x7f800000u;
    if (sign)
        return 0xffc00000u;
    if (soft_is_inf(F32, x))
        return 0;
    return approx12(1.0 / sqrt((double)soft_f32_of(x)));
}

/* The predicates of CMPPS (imm8 0-31): bit 4 swaps signalling and quiet. */
static bool cmp_pred(SoftFP *s, const SoftFmt *f, uint64_t a, uint64_t b, unsigned imm)
{
    static const uint16_t signalling = 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6 | 1u << 9 | 1u << 10 |
                                       1u << 13 | 1u << 14;
    a = soft_daz(s, f, a);
    b = soft_daz(s, f, b);
    unsigned p = imm & 15;
    bool sig = ((signalling >> p) & 1) ^ ((imm >> 4) & 1);
    bool un = soft_is_nan(f, a) || soft_is_nan(f, b);
    bool lt = false, eq = false, gt = false;
    if (un) {
        if (sig || soft_is_snan(f, a) || soft_is_snan(f, b))
            s->flags |= SX_IE;
    } else {
        if (soft_is_denormal(f, a) || soft_is_denormal(f, b))
            s->flags |= SX_DE;
        double x = soft_value(f, a), y = soft_value(f, b);
        lt = x < y;
        eq = x == y;
        gt = x > y;
    }
    switch (p) {
    case 0: return eq;
    case 1: return lt;
    case 2: return lt || eq;
    case 3: return un;
    case 4: return !eq;
    case 5: return !lt;
    case 6: return !(lt || eq);
    case 7: return !un;
    case 8: return eq || un;
    case 9: return lt || un;
    case 10: return !gt;
    case 11: return false;
    case 12: return !eq && !un;
    case 13: return gt || eq;
    case 14: return gt;
    default: return true;
    }
}

/* ROUNDPS's element: imm8[1:0] the mode unless imm8[2] (MXCSR's),
 * imm8[3] suppresses PE. */
static uint64_t round_elem(SoftFP *s, const SoftFmt *f, uint64_t x, unsigned imm)
{
    unsigned rm = (imm & 4) ? soft_rm(s) : soft_rc_host(imm & 3);
    x = soft_daz(s, f, x);
    if (soft_is_nan(f, x)) {
        if (soft_is_snan(f, x))
            s->flags |= SX_IE;
        return x | f->quiet;
    }
    if (soft_is_inf(f, x) || soft_is_zero(f, x))
        return x;
    bool inexact;   /* no DE: ROUNDPS reports only IE and PE */
    double r = soft_round_int(soft_value(f, x), rm, &inexact);
    if (inexact && !(imm & 8))
        s->flags |= SX_PE;
    return f->bits == 32 ? soft_bits_f32((float)r) : soft_bits_f64(r);
}

/* float -> signed integer of `bits` bits: MXCSR's rounding or truncation;
 * NaN and out of range give the integer indefinite and IE. */
static uint64_t to_int(SoftFP *s, const SoftFmt *f, uint64_t x, unsigned bits, bool truncate)
{
    uint64_t indefinite = bits == 32 ? 0x80000000u : 1ull << 63;
    x = soft_daz(s, f, x);
    if (soft_is_nan(f, x)) {
        s->flags |= SX_IE;
        return indefinite;
    }
    bool inexact;
    double r = soft_round_int(soft_value(f, x), truncate ? HOST_FP_ROUND_ZERO : soft_rm(s), &inexact);
    bool in_range = bits == 32 ? (r >= -2147483648.0 && r <= 2147483647.0)
                               : (r >= -9223372036854775808.0 && r < 9223372036854775808.0);
    if (!in_range) {
        s->flags |= SX_IE;
        return indefinite;
    }
    if (inexact)
        s->flags |= SX_PE;
    return bits == 32 ? (uint32_t)(int32_t)r : (uint64_t)(int64_t)r;
}

/* signed integer -> float in MXCSR's rounding mode (PE when rounded) */
static uint64_t from_int(SoftFP *s, const SoftFmt *f, int64_t v)
{
    uint64_t r;
    host_fp_fenv_begin((HostFPRound)soft_rm(s));
    if (f->bits == 32) {
        volatile int64_t x = v;
        volatile float y = (float)x;
        r = soft_bits_f32(y);
    } else {
        volatile int64_t x = v;
        volatile double y = (double)x;
        r = soft_bits_f64(y);
    }
    if (host_fp_fenv_end() & HOST_FP_INEXACT)
        s->flags |= SX_PE;
    return r;
}

/* single -> double: exact but for NaNs */
static uint64_t widen(SoftFP *s, uint32_t x)
{
    x = (uint32_t)soft_daz(s, F32, x);
    if (soft_is_nan(F32, x)) {
        if (soft_is_snan(F32, x))
            s->flags |= SX_IE;
        return (uint64_t)(x & 0x80000000u) << 32 | 0x7ff8000000000000ull | (uint64_t)(x & 0x3fffffu) << 29;
    }
    if (soft_is_denormal(F32, x))
        s->flags |= SX_DE;
    return soft_bits_f64((double)soft_f32_of(x));
}

static uint32_t narrow(SoftFP *s, uint64_t x)
{
    return (uint32_t)soft_arith(s, F32, SOFT_CVT, x, 0);
}

/* ---- the helpers ---- */

/* r starts as s1 (a scalar op keeps s1's upper elements); body sets it. */
#define SOFT_HELPER(name, body) \
    uint32_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = va; \
        SoftFP s = soft_begin(cpu); \
        unsigned nb = vec_bytes(desc); \
        (void)nb; \
        body; \
        if (soft_end(cpu, &s)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }

#define ARITH_FAMILY(stem, OP) \
    SOFT_HELPER(stem##ps, for (unsigned i = 0; i < nb / 4; i++) \
                              r.l[i] = (uint32_t)soft_arith(&s, F32, OP, va.l[i], vb.l[i])) \
    SOFT_HELPER(stem##pd, for (unsigned i = 0; i < nb / 8; i++) r.q[i] = soft_arith(&s, F64, OP, va.q[i], vb.q[i])) \
    SOFT_HELPER(stem##ss, r.l[0] = (uint32_t)soft_arith(&s, F32, OP, va.l[0], vb.l[0])) \
    SOFT_HELPER(stem##sd, r.q[0] = soft_arith(&s, F64, OP, va.q[0], vb.q[0]))

ARITH_FAMILY(add, SOFT_ADD)
ARITH_FAMILY(sub, SOFT_SUB)
ARITH_FAMILY(mul, SOFT_MUL)
ARITH_FAMILY(div, SOFT_DIV)

SOFT_HELPER(sqrtps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)soft_arith(&s, F32, SOFT_SQRT, vb.l[i], 0))
SOFT_HELPER(sqrtpd, for (unsigned i = 0; i < nb / 8; i++) r.q[i] = soft_arith(&s, F64, SOFT_SQRT, vb.q[i], 0))
SOFT_HELPER(sqrtss, r.l[0] = (uint32_t)soft_arith(&s, F32, SOFT_SQRT, vb.l[0], 0))
SOFT_HELPER(sqrtsd, r.q[0] = soft_arith(&s, F64, SOFT_SQRT, vb.q[0], 0))

#define MINMAX_FAMILY(stem, max) \
    SOFT_HELPER(stem##ps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)minmax(&s, F32, va.l[i], vb.l[i], max)) \
    SOFT_HELPER(stem##pd, for (unsigned i = 0; i < nb / 8; i++) r.q[i] = minmax(&s, F64, va.q[i], vb.q[i], max)) \
    SOFT_HELPER(stem##ss, r.l[0] = (uint32_t)minmax(&s, F32, va.l[0], vb.l[0], max)) \
    SOFT_HELPER(stem##sd, r.q[0] = minmax(&s, F64, va.q[0], vb.q[0], max))

MINMAX_FAMILY(min, false)
MINMAX_FAMILY(max, true)

SOFT_HELPER(rcpps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = rcp(vb.l[i]))
SOFT_HELPER(rcpss, r.l[0] = rcp(vb.l[0]))
SOFT_HELPER(rsqrtps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = rsqrt(vb.l[i]))
SOFT_HELPER(rsqrtss, r.l[0] = rsqrt(vb.l[0]))

/* even elements subtract, odd ones add */
SOFT_HELPER(addsubps, for (unsigned i = 0; i < nb / 4; i++)
                          r.l[i] = (uint32_t)soft_arith(&s, F32, (i & 1) ? SOFT_ADD : SOFT_SUB, va.l[i], vb.l[i]))
SOFT_HELPER(addsubpd, for (unsigned i = 0; i < nb / 8; i++)
                          r.q[i] = soft_arith(&s, F64, (i & 1) ? SOFT_ADD : SOFT_SUB, va.q[i], vb.q[i]))

/* horizontal, per 128-bit lane: s1's pairs, then s2's */
#define HORIZONTAL_PS(name, OP) \
    SOFT_HELPER(name, for (unsigned l = 0; l < nb / 4; l += 4) { \
        r.l[l + 0] = (uint32_t)soft_arith(&s, F32, OP, va.l[l + 0], va.l[l + 1]); \
        r.l[l + 1] = (uint32_t)soft_arith(&s, F32, OP, va.l[l + 2], va.l[l + 3]); \
        r.l[l + 2] = (uint32_t)soft_arith(&s, F32, OP, vb.l[l + 0], vb.l[l + 1]); \
        r.l[l + 3] = (uint32_t)soft_arith(&s, F32, OP, vb.l[l + 2], vb.l[l + 3]); \
    })
#define HORIZONTAL_PD(name, OP) \
    SOFT_HELPER(name, for (unsigned l = 0; l < nb / 8; l += 2) { \
        r.q[l + 0] = soft_arith(&s, F64, OP, va.q[l + 0], va.q[l + 1]); \
        r.q[l + 1] = soft_arith(&s, F64, OP, vb.q[l + 0], vb.q[l + 1]); \
    })
HORIZONTAL_PS(haddps, SOFT_ADD)
HORIZONTAL_PS(hsubps, SOFT_SUB)
HORIZONTAL_PD(haddpd, SOFT_ADD)
HORIZONTAL_PD(hsubpd, SOFT_SUB)

SOFT_HELPER(cvtdq2ps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)from_int(&s, F32, vb.sl[i]))
SOFT_HELPER(cvtps2dq, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)to_int(&s, F32, vb.l[i], 32, false))
SOFT_HELPER(cvttps2dq, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)to_int(&s, F32, vb.l[i], 32, true))
SOFT_HELPER(cvtss2sd, r.q[0] = widen(&s, vb.l[0]))
SOFT_HELPER(cvtsd2ss, r.l[0] = narrow(&s, vb.q[0]))

/* ---- compares and rounding: the predicate / mode in imm8 ---- */
SOFT_HELPER(cmpps, for (unsigned i = 0; i < nb / 4; i++)
                       r.l[i] = cmp_pred(&s, F32, va.l[i], vb.l[i], X86V_IMM(desc)) ? ~0u : 0)
SOFT_HELPER(cmppd, for (unsigned i = 0; i < nb / 8; i++)
                       r.q[i] = cmp_pred(&s, F64, va.q[i], vb.q[i], X86V_IMM(desc)) ? ~0ull : 0)
SOFT_HELPER(cmpss, r.l[0] = cmp_pred(&s, F32, va.l[0], vb.l[0], X86V_IMM(desc)) ? ~0u : 0)
SOFT_HELPER(cmpsd, r.q[0] = cmp_pred(&s, F64, va.q[0], vb.q[0], X86V_IMM(desc)) ? ~0ull : 0)

SOFT_HELPER(roundps, for (unsigned i = 0; i < nb / 4; i++) r.l[i] = (uint32_t)round_elem(&s, F32, vb.l[i], X86V_IMM(desc)))
SOFT_HELPER(roundpd, for (unsigned i = 0; i < nb / 8; i++) r.q[i] = round_elem(&s, F64, vb.q[i], X86V_IMM(desc)))
SOFT_HELPER(roundss, r.l[0] = (uint32_t)round_elem(&s, F32, vb.l[0], X86V_IMM(desc)))
SOFT_HELPER(roundsd, r.q[0] = round_elem(&s, F64, vb.q[0], X86V_IMM(desc)))

/* ---- comis/ucomis: ZF PF CF ---- */
static uint64_t comi(X86CPU *cpu, const SoftFmt *f, uint64_t a, uint64_t b, bool signal_qnan, uintptr_t ra)
{
    SoftFP s = soft_begin(cpu);
    a = soft_daz(&s, f, a);
    b = soft_daz(&s, f, b);
    uint64_t fl;
    if (soft_is_nan(f, a) || soft_is_nan(f, b)) {
        if (signal_qnan || soft_is_snan(f, a) || soft_is_snan(f, b))
            s.flags |= SX_IE;
        fl = X86_EFLAGS_ZF | X86_EFLAGS_PF | X86_EFLAGS_CF;
    } else {
        if (soft_is_denormal(f, a) || soft_is_denormal(f, b))
            s.flags |= SX_DE;
        double x = soft_value(f, a), y = soft_value(f, b);
        fl = x == y ? X86_EFLAGS_ZF : x < y ? X86_EFLAGS_CF : 0;
    }
    if (soft_end(cpu, &s))
        exec_raise(&cpu->common, X86_EXCP_XM, ra);
    return fl;
}

#define COMI(name, f, field, signal) \
    uint64_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        return comi(cpu, f, va.field[0], vb.field[0], signal, SOFT_GETPC()); \
    }
COMI(comiss, F32, l, true)
COMI(comisd, F64, q, true)
COMI(ucomiss, F32, l, false)
COMI(ucomisd, F64, q, false)

/* ---- integer <-> scalar ---- */
#define CVTSI2(name, f, field) \
    void SOFT_FN(name)(void *env, uint32_t desc, uint64_t val) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 r; \
        vec_read(cpu, desc, X86V_S1(desc), &r); \
        SoftFP s = soft_begin(cpu); \
        int64_t v = (X86V_IMM(desc) & 1) ? (int64_t)val : (int64_t)(int32_t)val; \
        r.field[0] = from_int(&s, f, v); \
        if (soft_end(cpu, &s)) \
            exec_raise(&cpu->common, X86_EXCP_XM, SOFT_GETPC()); \
        vec_write_n(cpu, desc, X86V_D(desc), &r, 16); \
    }
CVTSI2(cvtsi2ss, F32, l)
CVTSI2(cvtsi2sd, F64, q)

#define CVT2SI(name, f, field, truncate) \
    uint64_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        SoftFP s = soft_begin(cpu); \
        uint64_t r = to_int(&s, f, va.field[0], (X86V_IMM(desc) & 1) ? 64 : 32, truncate); \
        if (soft_end(cpu, &s)) \
            exec_raise(&cpu->common, X86_EXCP_XM, SOFT_GETPC()); \
        return r; \
    }
CVT2SI(cvtss2si, F32, l, false)
CVT2SI(cvttss2si, F32, l, true)
CVT2SI(cvtsd2si, F64, q, false)
CVT2SI(cvttsd2si, F64, q, true)

/* ---- packed conversions that change the element width ---- */
/* widen: the low half of s2 */
#define WIDEN(name, expr) \
    uint32_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &vb); \
        SoftFP s = soft_begin(cpu); \
        for (unsigned i = 0; i < vec_bytes(desc) / 8; i++) \
            r.q[i] = (expr); \
        if (soft_end(cpu, &s)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }
WIDEN(cvtps2pd, widen(&s, vb.l[i]))
WIDEN(cvtdq2pd, soft_bits_f64((double)vb.sl[i]))

/* narrow: a 128-bit result (upper half zeroed) whatever the source width */
#define NARROW(name, expr) \
    uint32_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &vb); \
        SoftFP s = soft_begin(cpu); \
        for (unsigned i = 0; i < vec_bytes(desc) / 8; i++) \
            r.l[i] = (uint32_t)(expr); \
        if (soft_end(cpu, &s)) \
            return 1; \
        vec_write_n(cpu, desc, X86V_D(desc), &r, 16); \
        return 0; \
    }
NARROW(cvtpd2ps, narrow(&s, vb.q[i]))
NARROW(cvtpd2dq, to_int(&s, F64, vb.q[i], 32, false))
NARROW(cvttpd2dq, to_int(&s, F64, vb.q[i], 32, true))

/* ---- conversions with an MMX register ---- */
static uint64_t mmx_source(X86CPU *cpu, uint32_t desc)
{
    unsigned s = X86V_S2(desc);
    vec_mmx_enter(cpu);
    return s < X86_VEC_NREGS ? cpu->fpu.r[s & 7].mant : cpu->vec.ymm[s].q[0];
}

uint32_t SOFT_FN(cvtpi2ps)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    uint64_t src = mmx_source(cpu, desc);
    X86Vec256 r = cpu->vec.ymm[X86V_D(desc)];
    SoftFP s = soft_begin(cpu);
    r.l[0] = (uint32_t)from_int(&s, F32, (int32_t)src);
    r.l[1] = (uint32_t)from_int(&s, F32, (int32_t)(src >> 32));
    if (soft_end(cpu, &s))
        return 1;
    vec_write_n(cpu, desc & ~X86V_MMX, X86V_D(desc), &r, 16);
    return 0;
}

uint32_t SOFT_FN(cvtpi2pd)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    uint64_t src = mmx_source(cpu, desc);
    X86Vec256 r = { 0 };
    r.q[0] = soft_bits_f64((double)(int32_t)src);
    r.q[1] = soft_bits_f64((double)(int32_t)(src >> 32));
    vec_write_n(cpu, desc & ~X86V_MMX, X86V_D(desc), &r, 16);
    return 0;
}

#define TO_PI(name, f, field, truncate) \
    uint32_t SOFT_FN(name)(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb; \
        vec_read(cpu, desc & ~X86V_MMX, X86V_S2(desc), &vb); \
        SoftFP s = soft_begin(cpu); \
        uint64_t lo = to_int(&s, f, vb.field[0], 32, truncate), hi = to_int(&s, f, vb.field[1], 32, truncate); \
        if (soft_end(cpu, &s)) \
            return 1; \
        vec_write_mmx(cpu, X86V_D(desc), lo | hi << 32); \
        return 0; \
    }
TO_PI(cvtps2pi, F32, l, false)
TO_PI(cvttps2pi, F32, l, true)
TO_PI(cvtpd2pi, F64, q, false)
TO_PI(cvttpd2pi, F64, q, true)

/* ---- dot products, step by step as the SDM's pseudo-code rounds them ---- */
uint32_t SOFT_FN(dpps)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    SoftFP s = soft_begin(cpu);
    for (unsigned l = 0; l < vec_bytes(desc) / 4; l += 4) {
        uint64_t t[4];
        for (unsigned i = 0; i < 4; i++)
            t[i] = (imm & (0x10u << i)) ? soft_arith(&s, F32, SOFT_MUL, va.l[l + i], vb.l[l + i]) : 0;
        uint64_t sum = soft_arith(&s, F32, SOFT_ADD, soft_arith(&s, F32, SOFT_ADD, t[0], t[1]),
                                  soft_arith(&s, F32, SOFT_ADD, t[2], t[3]));
        for (unsigned i = 0; i < 4; i++)
            r.l[l + i] = (imm & (1u << i)) ? (uint32_t)sum : 0;
    }
    if (soft_end(cpu, &s))
        return 1;
    vec_write(cpu, desc, &r);
    return 0;
}

uint32_t SOFT_FN(dppd)(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    SoftFP s = soft_begin(cpu);
    uint64_t t0 = (imm & 0x10) ? soft_arith(&s, F64, SOFT_MUL, va.q[0], vb.q[0]) : 0;
    uint64_t t1 = (imm & 0x20) ? soft_arith(&s, F64, SOFT_MUL, va.q[1], vb.q[1]) : 0;
    uint64_t sum = soft_arith(&s, F64, SOFT_ADD, t0, t1);
    r.q[0] = (imm & 1) ? sum : 0;
    r.q[1] = (imm & 2) ? sum : 0;
    if (soft_end(cpu, &s))
        return 1;
    vec_write(cpu, desc, &r);
    return 0;
}

/* ---- the IR float ops' fallbacks (translate-sse.c): the flags straight
 * into MXCSR (only with its default controls: every exception masked) ---- */
static uint64_t fb_arith(void *env, const SoftFmt *f, SoftOp op, uint64_t a, uint64_t b)
{
    X86CPU *cpu = env;
    SoftFP s = soft_begin(cpu);
    uint64_t r = soft_arith(&s, f, op, a, b);
    cpu->vec.mxcsr |= s.flags;
    return r;
}
#define FB64(name, OP) \
    uint64_t SOFT_FN(fb_##name)(void *env, uint64_t a, uint64_t b) { return fb_arith(env, F64, OP, a, b); }
#define FB32(name, OP) \
    uint32_t SOFT_FN(fb_##name)(void *env, uint32_t a, uint32_t b) { return (uint32_t)fb_arith(env, F32, OP, a, b); }
FB64(addsd, SOFT_ADD) FB64(subsd, SOFT_SUB) FB64(mulsd, SOFT_MUL) FB64(divsd, SOFT_DIV)
FB32(addss, SOFT_ADD) FB32(subss, SOFT_SUB) FB32(mulss, SOFT_MUL) FB32(divss, SOFT_DIV)

uint64_t SOFT_FN(fb_sqrtsd)(void *env, uint64_t a) { return fb_arith(env, F64, SOFT_SQRT, a, 0); }
uint32_t SOFT_FN(fb_sqrtss)(void *env, uint32_t a) { return (uint32_t)fb_arith(env, F32, SOFT_SQRT, a, 0); }

/* fcmp's fallback: IR_FCMP_LESS 0, EQUAL 1, GREATER 2, UNORDERED 3 */
static uint32_t fb_cmp(void *env, const SoftFmt *f, uint64_t a, uint64_t b, bool signal_qnan)
{
    uint64_t fl = comi(env, f, a, b, signal_qnan, 0);
    return (fl & X86_EFLAGS_PF) ? 3 : (fl & X86_EFLAGS_ZF) ? 1 : (fl & X86_EFLAGS_CF) ? 0 : 2;
}
uint32_t SOFT_FN(fb_comiss)(void *env, uint32_t a, uint32_t b) { return fb_cmp(env, F32, a, b, true); }
uint32_t SOFT_FN(fb_ucomiss)(void *env, uint32_t a, uint32_t b) { return fb_cmp(env, F32, a, b, false); }
uint32_t SOFT_FN(fb_comisd)(void *env, uint64_t a, uint64_t b) { return fb_cmp(env, F64, a, b, true); }
uint32_t SOFT_FN(fb_ucomisd)(void *env, uint64_t a, uint64_t b) { return fb_cmp(env, F64, a, b, false); }

/* ---- LDMXCSR / STMXCSR ---- */
void SOFT_FN(ldmxcsr)(void *env, uint32_t desc, uint64_t val)
{
    X86CPU *cpu = env;
    if (val & ~(uint64_t)X86_MXCSR_VALID)
        exec_raise(&cpu->common, X86_EXCP_GP, SOFT_GETPC());
    SOFT_MXCSR_SET(cpu, (uint32_t)val);
}

uint64_t SOFT_FN(stmxcsr)(void *env, uint32_t desc)
{
    return SOFT_MXCSR_GET(env);
}
