/*
 * x86-vec-fp-host-x86_64.c — SSE/AVX floating point on an x86_64 host: each
 * helper runs the guest's own instruction on the host under the guest's
 * MXCSR (rounding, FTZ, DAZ), so results, NaN choice, integer indefinite
 * and exception flags are the hardware's by construction.  The host runs
 * with every exception masked; the flags raised are ORed into the guest's
 * MXCSR, and one the guest left unmasked raises #XM instead of writing the
 * result (the destination stays unchanged, as on hardware).
 *
 * The operations are inline asm on memory operands, volatile with a memory
 * clobber, so the compiler keeps them between the MXCSR switches.  A
 * 256-bit operation that works per 128-bit lane runs as two 128-bit host
 * operations, which needs only SSE4.1 on the host; the rest (FMA, F16C)
 * is in x86-vec-fma-host-x86_64.c.  Another host needs a portable version
 * of this file (softfloat-style, with x86's NaN rules).
 */
#if defined(__x86_64__)

#include "exec/exec.h"
#include "frontend-x86/x86-vec-fp-host.h"
#include "frontend-x86/x86-vec-mxcsr.h"

__thread uint64_t x86_vec_fp_owner;

uint32_t x86_vec_mxcsr_get(const X86CPU *cpu)
{
    uint32_t g = cpu->vec.mxcsr;
    if (!(x86_vec_fp_owner >> 32) || (uint32_t)x86_vec_fp_owner == g)
        g |= host_mxcsr_get() & X86_MXCSR_FLAGS;
    return g;
}

void x86_vec_mxcsr_set(X86CPU *cpu, uint32_t val)
{
    cpu->vec.mxcsr = val;
    host_mxcsr_set(HOST_MXCSR_DEFAULT);
    x86_vec_fp_owner = (1ull << 32) | val;
}

/* One host instruction "insn src, %xmm0" with xmm0 = *a, src = *b: *r = xmm0. */
#define HOST_OP(insn, r_, a_, b_) \
    __asm__ volatile("movdqu (%1), %%xmm0\n\t" insn " (%2), %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                     : : "r"(r_), "r"(a_), "r"(b_) : "xmm0", "memory")

/* ... per 128-bit lane of the operation */
#define HOST_LANES(desc, insn, r_, a_, b_) \
    for (unsigned l_ = 0; l_ < vec_bytes(desc); l_ += 16) \
        HOST_OP(insn, &(r_).b[l_], &(a_).b[l_], &(b_).b[l_])

/* A lane-wise operation: r = op(s1, s2); a scalar one gets s1's upper
 * elements in r, which is what both legacy (s1 = d) and VEX want. */
#define FP_LANEWISE(name, insn) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        const X86Vec256 *pa = &cpu->vec.ymm[X86V_S1(desc)], *pb = &cpu->vec.ymm[X86V_S2(desc)]; \
        X86Vec256 r; \
        if (vec_fp_fast(cpu)) { \
            HOST_LANES(desc, insn, r, *pa, *pb); \
            vec_write(cpu, desc, &r); \
            return 0; \
        } \
        VecFP f = vec_fp_begin(cpu); \
        HOST_LANES(desc, insn, r, *pa, *pb); \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }

FP_LANEWISE(addps, "addps")
FP_LANEWISE(addpd, "addpd")
FP_LANEWISE(addss, "addss")
FP_LANEWISE(addsd, "addsd")
FP_LANEWISE(subps, "subps")
FP_LANEWISE(subpd, "subpd")
FP_LANEWISE(subss, "subss")
FP_LANEWISE(subsd, "subsd")
FP_LANEWISE(mulps, "mulps")
FP_LANEWISE(mulpd, "mulpd")
FP_LANEWISE(mulss, "mulss")
FP_LANEWISE(mulsd, "mulsd")
FP_LANEWISE(divps, "divps")
FP_LANEWISE(divpd, "divpd")
FP_LANEWISE(divss, "divss")
FP_LANEWISE(divsd, "divsd")
FP_LANEWISE(minps, "minps")
FP_LANEWISE(minpd, "minpd")
FP_LANEWISE(minss, "minss")
FP_LANEWISE(minsd, "minsd")
FP_LANEWISE(maxps, "maxps")
FP_LANEWISE(maxpd, "maxpd")
FP_LANEWISE(maxss, "maxss")
FP_LANEWISE(maxsd, "maxsd")
FP_LANEWISE(sqrtps, "sqrtps")
FP_LANEWISE(sqrtpd, "sqrtpd")
FP_LANEWISE(sqrtss, "sqrtss")
FP_LANEWISE(sqrtsd, "sqrtsd")
FP_LANEWISE(rcpps, "rcpps")
FP_LANEWISE(rcpss, "rcpss")
FP_LANEWISE(rsqrtps, "rsqrtps")
FP_LANEWISE(rsqrtss, "rsqrtss")
FP_LANEWISE(addsubps, "addsubps")
FP_LANEWISE(addsubpd, "addsubpd")
FP_LANEWISE(haddps, "haddps")
FP_LANEWISE(haddpd, "haddpd")
FP_LANEWISE(hsubps, "hsubps")
FP_LANEWISE(hsubpd, "hsubpd")
FP_LANEWISE(cvtdq2ps, "cvtdq2ps")
FP_LANEWISE(cvtps2dq, "cvtps2dq")
FP_LANEWISE(cvttps2dq, "cvttps2dq")
FP_LANEWISE(cvtss2sd, "cvtss2sd")
FP_LANEWISE(cvtsd2ss, "cvtsd2ss")

/* ---- compares: the predicate is imm8; 0-7 have legacy encodings, 8-31
 * (VEX only) use the host's VEX form ---- */
#define CMP_CASE(n, insn) case n: HOST_LANES(desc, insn " $" #n ",", r, va, vb); break;
/* The VEX form "vcmpps $n, (b), %xmm0, %xmm0" in HOST_OP's "insn (b), %xmm0" mould. */
#define HOST_OP_VEX3(insn, n, r_, a_, b_) \
    __asm__ volatile("movdqu (%1), %%xmm0\n\t" insn " $" #n ", (%2), %%xmm0, %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                     : : "r"(r_), "r"(a_), "r"(b_) : "xmm0", "memory")
#define VCMP_CASE(n, insn) \
    case n: \
        for (unsigned l_ = 0; l_ < vec_bytes(desc); l_ += 16) \
            HOST_OP_VEX3("v" insn, n, &r.b[l_], &va.b[l_], &vb.b[l_]); \
        break;
#define VCMP_CASES8(b, insn) \
    VCMP_CASE(b##0, insn) VCMP_CASE(b##1, insn) VCMP_CASE(b##2, insn) VCMP_CASE(b##3, insn) \
    VCMP_CASE(b##4, insn) VCMP_CASE(b##5, insn) VCMP_CASE(b##6, insn) VCMP_CASE(b##7, insn)

#define FP_CMP(name, insn) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        VecFP f = vec_fp_begin(cpu); \
        switch (X86V_IMM(desc) & 31) { \
            CMP_CASE(0, insn) CMP_CASE(1, insn) CMP_CASE(2, insn) CMP_CASE(3, insn) \
            CMP_CASE(4, insn) CMP_CASE(5, insn) CMP_CASE(6, insn) CMP_CASE(7, insn) \
            VCMP_CASE(8, insn) VCMP_CASE(9, insn) VCMP_CASES8(1, insn) VCMP_CASE(18, insn) VCMP_CASE(19, insn) \
            VCMP_CASE(20, insn) VCMP_CASE(21, insn) VCMP_CASE(22, insn) VCMP_CASE(23, insn) \
            VCMP_CASE(24, insn) VCMP_CASE(25, insn) VCMP_CASE(26, insn) VCMP_CASE(27, insn) \
            VCMP_CASE(28, insn) VCMP_CASE(29, insn) VCMP_CASE(30, insn) VCMP_CASE(31, insn) \
        } \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }

FP_CMP(cmpps, "cmpps")
FP_CMP(cmppd, "cmppd")
FP_CMP(cmpss, "cmpss")
FP_CMP(cmpsd, "cmpsd")

/* ---- rounding: imm8[3:0] ---- */
#define ROUND_CASE(n, insn) \
    case n: \
        for (unsigned l_ = 0; l_ < vec_bytes(desc); l_ += 16) \
            __asm__ volatile("movdqu (%1), %%xmm0\n\t" insn " $" #n ", (%2), %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                             : : "r"(&r.b[l_]), "r"(&va.b[l_]), "r"(&vb.b[l_]) : "xmm0", "memory"); \
        break;

#define FP_ROUND(name, insn) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        VecFP f = vec_fp_begin(cpu); \
        switch (X86V_IMM(desc) & 15) { \
            ROUND_CASE(0, insn) ROUND_CASE(1, insn) ROUND_CASE(2, insn) ROUND_CASE(3, insn) \
            ROUND_CASE(4, insn) ROUND_CASE(5, insn) ROUND_CASE(6, insn) ROUND_CASE(7, insn) \
            ROUND_CASE(8, insn) ROUND_CASE(9, insn) ROUND_CASE(10, insn) ROUND_CASE(11, insn) \
            ROUND_CASE(12, insn) ROUND_CASE(13, insn) ROUND_CASE(14, insn) ROUND_CASE(15, insn) \
        } \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }

FP_ROUND(roundps, "roundps")
FP_ROUND(roundpd, "roundpd")
FP_ROUND(roundss, "roundss")
FP_ROUND(roundsd, "roundsd")

/* ---- comis/ucomis: ZF PF CF from the host's own compare ---- */
#define FP_COMI(name, insn) \
    uint64_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        uint8_t zf, pf, cf; \
        bool fast = vec_fp_fast(cpu); \
        VecFP f = fast ? (VecFP){ 0 } : vec_fp_begin(cpu); \
        __asm__ volatile("movdqu (%3), %%xmm0\n\t" insn " (%4), %%xmm0\n\tsetz %0\n\tsetp %1\n\tsetc %2" \
                         : "=q"(zf), "=q"(pf), "=q"(cf) : "r"(&va), "r"(&vb) : "xmm0", "memory", "cc"); \
        if (!fast) \
            vec_fp_end_raise(cpu, f, GETPC()); \
        return (zf ? X86_EFLAGS_ZF : 0) | (pf ? X86_EFLAGS_PF : 0) | (cf ? X86_EFLAGS_CF : 0); \
    }

FP_COMI(comiss, "comiss")
FP_COMI(comisd, "comisd")
FP_COMI(ucomiss, "ucomiss")
FP_COMI(ucomisd, "ucomisd")

/* ---- integer <-> scalar conversions ---- */
#define FP_CVTSI2(name, insn) \
    void helper_vec_##name(void *env, uint32_t desc, uint64_t val) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 r; \
        int32_t v32 = (int32_t)val; \
        vec_read(cpu, desc, X86V_S1(desc), &r); \
        bool fast = vec_fp_fast(cpu); \
        VecFP f = fast ? (VecFP){ 0 } : vec_fp_begin(cpu); \
        if (X86V_IMM(desc) & 1) \
            __asm__ volatile("movdqu (%0), %%xmm0\n\t" insn "q (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                             : : "r"(&r), "r"(&val) : "xmm0", "memory"); \
        else \
            __asm__ volatile("movdqu (%0), %%xmm0\n\t" insn "l (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                             : : "r"(&r), "r"(&v32) : "xmm0", "memory"); \
        if (!fast) \
            vec_fp_end_raise(cpu, f, GETPC()); \
        vec_write_n(cpu, desc, X86V_D(desc), &r, 16); \
    }

FP_CVTSI2(cvtsi2ss, "cvtsi2ss")
FP_CVTSI2(cvtsi2sd, "cvtsi2sd")

#define FP_CVT2SI(name, insn) \
    uint64_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va; \
        uint64_t r64; \
        uint32_t r32; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        bool fast = vec_fp_fast(cpu); \
        VecFP f = fast ? (VecFP){ 0 } : vec_fp_begin(cpu); \
        if (X86V_IMM(desc) & 1) \
            __asm__ volatile(insn " (%1), %q0" : "=r"(r64) : "r"(&va) : "memory"); \
        else { \
            __asm__ volatile(insn " (%1), %k0" : "=r"(r32) : "r"(&va) : "memory"); \
            r64 = r32; \
        } \
        if (!fast) \
            vec_fp_end_raise(cpu, f, GETPC()); \
        return r64; \
    }

FP_CVT2SI(cvtss2si, "cvtss2si")
FP_CVT2SI(cvttss2si, "cvttss2si")
FP_CVT2SI(cvtsd2si, "cvtsd2si")
FP_CVT2SI(cvttsd2si, "cvttsd2si")

/* ---- packed conversions that change the element width ---- */
/* widen: the low half of s2 (64 bits per output lane) */
#define FP_WIDEN(name, insn) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &vb); \
        VecFP f = vec_fp_begin(cpu); \
        for (unsigned l = 0; l < vec_bytes(desc) / 16; l++) \
            __asm__ volatile(insn " (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)" \
                             : : "r"(&r.b[16 * l]), "r"(&vb.b[8 * l]) : "xmm0", "memory"); \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write(cpu, desc, &r); \
        return 0; \
    }

FP_WIDEN(cvtps2pd, "cvtps2pd")
FP_WIDEN(cvtdq2pd, "cvtdq2pd")

/* narrow: 128 bits of s2 give 64 bits of result; the result is 128 bits
 * (upper half zeroed), whatever the source width */
#define FP_NARROW(name, insn) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &vb); \
        VecFP f = vec_fp_begin(cpu); \
        for (unsigned l = 0; l < vec_bytes(desc) / 16; l++) \
            __asm__ volatile(insn " (%1), %%xmm0\n\tmovq %%xmm0, (%0)" \
                             : : "r"(&r.b[8 * l]), "r"(&vb.b[16 * l]) : "xmm0", "memory"); \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write_n(cpu, desc, X86V_D(desc), &r, 16); \
        return 0; \
    }

FP_NARROW(cvtpd2ps, "cvtpd2ps")
FP_NARROW(cvtpd2dq, "cvtpd2dq")
FP_NARROW(cvttpd2dq, "cvttpd2dq")

/* ---- conversions with an MMX register (d or s2 as the mnemonic says) ---- */
static uint64_t mmx_source(X86CPU *cpu, uint32_t desc)
{
    unsigned s = X86V_S2(desc);
    vec_mmx_enter(cpu);
    return s < X86_VEC_NREGS ? cpu->fpu.r[s & 7].mant : cpu->vec.ymm[s].q[0];
}

/* cvtpi2ps: two dwords into d's low two floats, the rest of d kept */
uint32_t helper_vec_cvtpi2ps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    uint64_t src = mmx_source(cpu, desc);
    X86Vec256 r = cpu->vec.ymm[X86V_D(desc)];
    VecFP f = vec_fp_begin(cpu);
    __asm__ volatile("movdqu (%0), %%xmm0\n\tcvtpi2ps (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)"
                     : : "r"(&r), "r"(&src) : "xmm0", "memory");
    if (vec_fp_end(cpu, f))
        return 1;
    vec_write_n(cpu, desc & ~X86V_MMX, X86V_D(desc), &r, 16);
    return 0;
}

uint32_t helper_vec_cvtpi2pd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    uint64_t src = mmx_source(cpu, desc);
    X86Vec256 r = { 0 };
    __asm__ volatile("cvtdq2pd (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)" : : "r"(&r), "r"(&src) : "xmm0", "memory");
    vec_write_n(cpu, desc & ~X86V_MMX, X86V_D(desc), &r, 16);
    return 0;
}

#define FP_TO_PI(name, insn, single) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 vb; \
        uint64_t r; \
        vec_read(cpu, desc & ~X86V_MMX, X86V_S2(desc), &vb); \
        /* two floats only: the other two must raise no flag */ \
        if (single) \
            vb.q[1] = 0; \
        VecFP f = vec_fp_begin(cpu); \
        __asm__ volatile(insn " (%1), %%xmm0\n\tmovq %%xmm0, (%0)" : : "r"(&r), "r"(&vb) : "xmm0", "memory"); \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write_mmx(cpu, X86V_D(desc), r); \
        return 0; \
    }

/* the host has no MMX in use: the SSE2 equivalents give the same bits */
FP_TO_PI(cvtps2pi, "cvtps2dq", true)
FP_TO_PI(cvttps2pi, "cvttps2dq", true)
FP_TO_PI(cvtpd2pi, "cvtpd2dq", false)
FP_TO_PI(cvttpd2pi, "cvttpd2dq", false)

/* ---- dot products, step by step as the SDM's pseudo-code rounds them ---- */
static inline float f32_op(const char op, float a, float b)
{
    switch (op) {
    case '+': __asm__ volatile("addss %1, %0" : "+x"(a) : "x"(b)); break;
    default:  __asm__ volatile("mulss %1, %0" : "+x"(a) : "x"(b)); break;
    }
    return a;
}
static inline double f64_op(const char op, double a, double b)
{
    switch (op) {
    case '+': __asm__ volatile("addsd %1, %0" : "+x"(a) : "x"(b)); break;
    default:  __asm__ volatile("mulsd %1, %0" : "+x"(a) : "x"(b)); break;
    }
    return a;
}

uint32_t helper_vec_dpps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    VecFP f = vec_fp_begin(cpu);
    for (unsigned l = 0; l < vec_bytes(desc) / 4; l += 4) {
        float t[4];
        for (unsigned i = 0; i < 4; i++)
            t[i] = (imm & (0x10u << i)) ? f32_op('*', va.s[l + i], vb.s[l + i]) : 0.0f;
        float sum = f32_op('+', f32_op('+', t[0], t[1]), f32_op('+', t[2], t[3]));
        for (unsigned i = 0; i < 4; i++)
            r.s[l + i] = (imm & (1u << i)) ? sum : 0.0f;
    }
    if (vec_fp_end(cpu, f))
        return 1;
    vec_write(cpu, desc, &r);
    return 0;
}

uint32_t helper_vec_dppd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    VecFP f = vec_fp_begin(cpu);
    double t0 = (imm & 0x10) ? f64_op('*', va.d[0], vb.d[0]) : 0.0;
    double t1 = (imm & 0x20) ? f64_op('*', va.d[1], vb.d[1]) : 0.0;
    double sum = f64_op('+', t0, t1);
    r.d[0] = (imm & 1) ? sum : 0.0;
    r.d[1] = (imm & 2) ? sum : 0.0;
    if (vec_fp_end(cpu, f))
        return 1;
    vec_write(cpu, desc, &r);
    return 0;
}

/* ---- fallbacks of the inline scalar path: the host's instruction ---- */
#define FB64(name, insn) \
    uint64_t helper_vec_fb_##name(void *env, uint64_t a, uint64_t b) \
    { \
        (void)env; \
        __asm__ volatile("movq %0, %%xmm0\n\tmovq %1, %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\tmovq %%xmm0, %0" \
                         : "+r"(a) : "r"(b) : "xmm0", "xmm1"); \
        return a; \
    }
#define FB32(name, insn) \
    uint32_t helper_vec_fb_##name(void *env, uint32_t a, uint32_t b) \
    { \
        (void)env; \
        __asm__ volatile("movd %0, %%xmm0\n\tmovd %1, %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\tmovd %%xmm0, %0" \
                         : "+r"(a) : "r"(b) : "xmm0", "xmm1"); \
        return a; \
    }
FB64(addsd, "addsd") FB64(subsd, "subsd") FB64(mulsd, "mulsd") FB64(divsd, "divsd")
FB32(addss, "addss") FB32(subss, "subss") FB32(mulss, "mulss") FB32(divss, "divss")

uint64_t helper_vec_fb_sqrtsd(void *env, uint64_t a)
{
    (void)env;
    __asm__ volatile("movq %0, %%xmm0\n\tsqrtsd %%xmm0, %%xmm0\n\tmovq %%xmm0, %0" : "+r"(a) : : "xmm0");
    return a;
}

uint32_t helper_vec_fb_sqrtss(void *env, uint32_t a)
{
    (void)env;
    __asm__ volatile("movd %0, %%xmm0\n\tsqrtss %%xmm0, %%xmm0\n\tmovd %%xmm0, %0" : "+r"(a) : : "xmm0");
    return a;
}

/* fcmp's fallback: IR_FCMP_LESS 0, EQUAL 1, GREATER 2, UNORDERED 3 */
#define FBCMP(name, insn, T, mov) \
    uint32_t helper_vec_fb_##name(void *env, T a, T b) \
    { \
        (void)env; \
        uint8_t zf, pf, cf; \
        __asm__ volatile(mov " %3, %%xmm0\n\t" mov " %4, %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\t" \
                         "setz %0\n\tsetp %1\n\tsetc %2" \
                         : "=q"(zf), "=q"(pf), "=q"(cf) : "r"(a), "r"(b) : "xmm0", "xmm1", "cc"); \
        return pf ? 3 : zf ? 1 : cf ? 0 : 2; \
    }
FBCMP(comiss, "comiss", uint32_t, "movd")
FBCMP(ucomiss, "ucomiss", uint32_t, "movd")
FBCMP(comisd, "comisd", uint64_t, "movq")
FBCMP(ucomisd, "ucomisd", uint64_t, "movq")

/* ---- LDMXCSR ---- */
void helper_vec_ldmxcsr(void *env, uint32_t desc, uint64_t val)
{
    X86CPU *cpu = env;
    if (val & ~(uint64_t)X86_MXCSR_VALID)
        exec_raise(&cpu->common, X86_EXCP_GP, GETPC());
    x86_vec_mxcsr_set(cpu, (uint32_t)val);
}

uint64_t helper_vec_stmxcsr(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    return x86_vec_mxcsr_get(cpu);
}

#endif /* __x86_64__ */
