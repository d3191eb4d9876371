/*
 * x86-vec-fma-host-x86_64.c — FMA3 and F16C on an x86_64 host: the guest's
 * instruction runs on the host under the guest's MXCSR, as in
 * x86-vec-fp-host-x86_64.c.  These need the host to have FMA and F16C
 * (and AVX for the 256-bit forms): the cpu model reports them to the guest
 * only when the host has them (x86_vec_host_features()).
 */
#if defined(__x86_64__)

#include "frontend-x86/x86-vec-fp-host.h"

/* vfmaddNNN with d = xmm0/ymm0 (also an input), s1 (vvvv) = xmm1/ymm1, s2
 * the memory operand: exactly the guest's operand roles. */
#define FMA_ASM(reg, insn, r, a, b) \
    __asm__ volatile("vmovdqu (%0), %%" reg "0\n\tvmovdqu (%1), %%" reg "1\n\t" \
                     insn " (%2), %%" reg "1, %%" reg "0\n\tvmovdqu %%" reg "0, (%0)" \
                     : : "r"(r), "r"(a), "r"(b) : "xmm0", "xmm1", "memory")

/* packed: 128 or 256 bits; scalar (VEX.LIG): always an xmm register */
#define FMA_ORDER_P(insn, sfx, r, a, b, l256) \
    do { \
        if (l256) \
            FMA_ASM("ymm", insn sfx, r, a, b); \
        else \
            FMA_ASM("xmm", insn sfx, r, a, b); \
    } while (0)
#define FMA_ORDER_S(insn, sfx, r, a, b, l256) \
    do { \
        (void)(l256); \
        FMA_ASM("xmm", insn sfx, r, a, b); \
    } while (0)

#define FMA_HELPER(name, mnemonic, type, PS) \
    uint32_t helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = cpu->vec.ymm[X86V_D(desc)]; \
        bool l256 = (desc & X86V_L256) && #PS[0] == 'P'; \
        if (#PS[0] == 'S') \
            desc &= ~X86V_L256; \
        VecFP f = vec_fp_begin(cpu); \
        switch (X86V_IMM(desc)) { \
        case 0: FMA_ORDER_##PS(mnemonic "132", type, &r, &va, &vb, l256); break; \
        case 1: FMA_ORDER_##PS(mnemonic "213", type, &r, &va, &vb, l256); break; \
        default: FMA_ORDER_##PS(mnemonic "231", type, &r, &va, &vb, l256); break; \
        } \
        if (vec_fp_end(cpu, f)) \
            return 1; \
        vec_write(cpu, desc | X86V_VEX, &r); \
        return 0; \
    }

FMA_HELPER(fmaddps, "vfmadd", "ps", P)
FMA_HELPER(fmaddpd, "vfmadd", "pd", P)
FMA_HELPER(fmaddss, "vfmadd", "ss", S)
FMA_HELPER(fmaddsd, "vfmadd", "sd", S)
FMA_HELPER(fmsubps, "vfmsub", "ps", P)
FMA_HELPER(fmsubpd, "vfmsub", "pd", P)
FMA_HELPER(fmsubss, "vfmsub", "ss", S)
FMA_HELPER(fmsubsd, "vfmsub", "sd", S)
FMA_HELPER(fnmaddps, "vfnmadd", "ps", P)
FMA_HELPER(fnmaddpd, "vfnmadd", "pd", P)
FMA_HELPER(fnmaddss, "vfnmadd", "ss", S)
FMA_HELPER(fnmaddsd, "vfnmadd", "sd", S)
FMA_HELPER(fnmsubps, "vfnmsub", "ps", P)
FMA_HELPER(fnmsubpd, "vfnmsub", "pd", P)
FMA_HELPER(fnmsubss, "vfnmsub", "ss", S)
FMA_HELPER(fnmsubsd, "vfnmsub", "sd", S)
FMA_HELPER(fmaddsubps, "vfmaddsub", "ps", P)
FMA_HELPER(fmaddsubpd, "vfmaddsub", "pd", P)
FMA_HELPER(fmsubaddps, "vfmsubadd", "ps", P)
FMA_HELPER(fmsubaddpd, "vfmsubadd", "pd", P)

/* vcvtph2ps: 4 (8) halves from the low 64 (128) bits of s2. */
uint32_t helper_vec_cvtph2ps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 vb, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &vb);
    VecFP f = vec_fp_begin(cpu);
    if (desc & X86V_L256)
        __asm__ volatile("vcvtph2ps (%1), %%ymm0\n\tvmovdqu %%ymm0, (%0)" : : "r"(&r), "r"(&vb) : "xmm0", "memory");
    else
        __asm__ volatile("vcvtph2ps (%1), %%xmm0\n\tvmovdqu %%xmm0, (%0)" : : "r"(&r), "r"(&vb) : "xmm0", "memory");
    if (vec_fp_end(cpu, f))
        return 1;
    vec_write(cpu, desc | X86V_VEX, &r);
    return 0;
}

/* vcvtps2ph: rounding by imm8[2:0]; the result is 64 (128) bits, the rest
 * of d zeroed (a memory destination stores the scratch register's low part). */
#define PS2PH_CASE(n) \
    case n: \
        if (desc & X86V_L256) \
            __asm__ volatile("vmovdqu (%1), %%ymm0\n\tvcvtps2ph $" #n ", %%ymm0, (%0)" \
                             : : "r"(&r), "r"(&vb) : "xmm0", "memory"); \
        else \
            __asm__ volatile("vmovdqu (%1), %%xmm0\n\tvcvtps2ph $" #n ", %%xmm0, (%0)" \
                             : : "r"(&r), "r"(&vb) : "xmm0", "memory"); \
        break;

uint32_t helper_vec_cvtps2ph(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 vb, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &vb);
    VecFP f = vec_fp_begin(cpu);
    switch (X86V_IMM(desc) & 7) {
        PS2PH_CASE(0) PS2PH_CASE(1) PS2PH_CASE(2) PS2PH_CASE(3)
        PS2PH_CASE(4) PS2PH_CASE(5) PS2PH_CASE(6) PS2PH_CASE(7)
    }
    if (vec_fp_end(cpu, f))
        return 1;
    vec_write_n(cpu, desc | X86V_VEX, X86V_D(desc), &r, 16);
    return 0;
}

#endif /* __x86_64__ */
