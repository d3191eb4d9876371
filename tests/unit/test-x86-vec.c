/*
 * Unit tests for the SSE/AVX/MMX helpers (frontend-x86/x86-vec-*.c): each
 * helper runs on random register contents (floats mixed with zeros,
 * infinities, quiet and signalling NaNs, denormals and extremes) and is
 * compared with the host's own instruction through its intrinsic, in
 * each encoding the helper serves: legacy SSE (d = op(d, s), bits 255:128
 * kept), VEX.128 (upper half zeroed), VEX.256, and MMX where it exists.
 * Floating-point helpers are also checked for the MXCSR flags they raise
 * under random rounding/FTZ/DAZ settings, and for #XM when unmasked.
 */
#pragma GCC target("sse4.2,avx2,fma,f16c,aes,pclmul")

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <immintrin.h>

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-vec-helpers.h"
#include "frontend-x86/x86-vec-mxcsr.h"

enum { ITERS = 300 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* 32-bit patterns with a bias to the special ones */
static uint32_t rnd_f32(void)
{
    static const uint32_t special[] = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001,
        0xff812345, 0x00000001, 0x807fffff, 0x00400000, 0x3f800000, 0xbf800000, 0x7f7fffff,
        0xff7fffff, 0x00800000, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x3f000000,
    };
    uint64_t r = rnd();
    switch (r & 7) {
    case 0: case 1: return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
    case 2: return (uint32_t)((r >> 32) % 2001) - 1000 ? (uint32_t)(((r >> 20) & 0x1ff) << 23 | (r >> 40 & 0x7fffff)) : 0;
    default: return (uint32_t)(r >> 16);
    }
}

static uint64_t rnd_f64(void)
{
    static const uint64_t special[] = {
        0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
        0xfff8000000000000ull, 0x7ff4000000000001ull, 0xfff0000000000123ull, 1, 0x800fffffffffffffull,
        0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
        0x41e0000000000000ull, 0xc1e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
        0x3fe0000000000000ull, 0x41dfffffffc00000ull,
    };
    uint64_t r = rnd();
    switch (r & 7) {
    case 0: case 1: return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
    case 2: return (rnd() & 0x800fffffffffffffull) | (uint64_t)(0x3c0 + (r >> 56)) << 52;
    default: return rnd();
    }
}

/* Element-wise random contents: bytes, floats or doubles (kind 0/1/2). */
static void rnd_vec(X86Vec256 *v, int kind)
{
    for (unsigned i = 0; i < 8; i++) {
        if (kind == 1)
            v->l[i] = rnd_f32();
        else if (kind == 2 && i < 4)
            v->q[i] = rnd_f64();
        else if (kind == 0)
            v->l[i] = (uint32_t)rnd();
    }
    /* small integers and repeated bytes now and then (saturation, equality) */
    if (kind == 0 && (rnd() & 3) == 0)
        for (unsigned i = 0; i < 32; i++)
            v->b[i] = (uint8_t)((rnd() & 1) ? v->b[0] : (rnd() & 3) - 1);
}

static X86CPU *new_cpu(void)
{
    X86CPU *cpu = aligned_alloc(64, (sizeof(X86CPU) + 63) & ~(size_t)63);
    memset(cpu, 0, sizeof(*cpu));
    cpu->vec.mxcsr = X86_MXCSR_DEFAULT;
    return cpu;
}

static void rnd_state(X86CPU *cpu, int kind)
{
    for (unsigned i = 0; i < X86_VEC_NREGS + 2; i++)
        rnd_vec(&cpu->vec.ymm[i], kind);
    for (unsigned i = 0; i < 8; i++) {
        cpu->fpu.r[i].mant = rnd();
        cpu->fpu.r[i].sign_exp = (uint16_t)rnd();
    }
}

/* ---- references: the host instruction ---- */
typedef void RefFn(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm);
typedef void HelperFn(void *env, uint32_t desc);

#define LD128(p) _mm_loadu_si128((const __m128i *)(p))
#define ST128(p, v) _mm_storeu_si128((__m128i *)(p), (v))
#define LD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define ST256(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

#define REF2(name, intr128, intr256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; ST128(r, intr128(LD128(a), LD128(b))); } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; ST256(r, intr256(LD256(a), LD256(b))); }
#define REF2_128(name, intr128) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; ST128(r, intr128(LD128(a), LD128(b))); }
/* unary: the source is b (s2) */
#define REF1(name, intr128, intr256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; ST128(r, intr128(LD128(b))); } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; ST256(r, intr256(LD128(b))); }

/* unary on a whole register */
#define REF1W(name, intr128, intr256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; ST128(r, intr128(LD128(b))); } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; ST256(r, intr256(LD256(b))); }
#define REF2_256(name, intr256) \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; ST256(r, intr256(LD256(a), LD256(b))); }
/* AVX2 shifts by an xmm count */
#define SHIFT256(fn, intr) static inline __m256i fn(__m256i a, __m256i b) { return intr(a, _mm256_castsi256_si128(b)); }
SHIFT256(sll16_256, _mm256_sll_epi16)
SHIFT256(sll32_256, _mm256_sll_epi32)
SHIFT256(sll64_256, _mm256_sll_epi64)
SHIFT256(srl16_256, _mm256_srl_epi16)
SHIFT256(srl32_256, _mm256_srl_epi32)
SHIFT256(srl64_256, _mm256_srl_epi64)
SHIFT256(sra16_256, _mm256_sra_epi16)
SHIFT256(sra32_256, _mm256_sra_epi32)
static inline __m256i permd_256(__m256i idx, __m256i src) { return _mm256_permutevar8x32_epi32(src, idx); }

/* the float intrinsics, as integer-typed wrappers */
#define PSW(intr) static inline __m128i w_##intr(__m128i a, __m128i b) \
    { return _mm_castps_si128(intr(_mm_castsi128_ps(a), _mm_castsi128_ps(b))); }
#define PDW(intr) static inline __m128i w_##intr(__m128i a, __m128i b) \
    { return _mm_castpd_si128(intr(_mm_castsi128_pd(a), _mm_castsi128_pd(b))); }
#define PSW256(intr) static inline __m256i w_##intr(__m256i a, __m256i b) \
    { return _mm256_castps_si256(intr(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b))); }
#define PDW256(intr) static inline __m256i w_##intr(__m256i a, __m256i b) \
    { return _mm256_castpd_si256(intr(_mm256_castsi256_pd(a), _mm256_castsi256_pd(b))); }

/* integer */
REF2(paddb, _mm_add_epi8, _mm256_add_epi8)
REF2(paddw, _mm_add_epi16, _mm256_add_epi16)
REF2(paddd, _mm_add_epi32, _mm256_add_epi32)
REF2(paddq, _mm_add_epi64, _mm256_add_epi64)
REF2(psubb, _mm_sub_epi8, _mm256_sub_epi8)
REF2(psubw, _mm_sub_epi16, _mm256_sub_epi16)
REF2(psubd, _mm_sub_epi32, _mm256_sub_epi32)
REF2(psubq, _mm_sub_epi64, _mm256_sub_epi64)
REF2(paddsb, _mm_adds_epi8, _mm256_adds_epi8)
REF2(paddsw, _mm_adds_epi16, _mm256_adds_epi16)
REF2(paddusb, _mm_adds_epu8, _mm256_adds_epu8)
REF2(paddusw, _mm_adds_epu16, _mm256_adds_epu16)
REF2(psubsb, _mm_subs_epi8, _mm256_subs_epi8)
REF2(psubsw, _mm_subs_epi16, _mm256_subs_epi16)
REF2(psubusb, _mm_subs_epu8, _mm256_subs_epu8)
REF2(psubusw, _mm_subs_epu16, _mm256_subs_epu16)
REF2(pand, _mm_and_si128, _mm256_and_si256)
REF2(pandn, _mm_andnot_si128, _mm256_andnot_si256)
REF2(por, _mm_or_si128, _mm256_or_si256)
REF2(pxor, _mm_xor_si128, _mm256_xor_si256)
REF2(pcmpeqb, _mm_cmpeq_epi8, _mm256_cmpeq_epi8)
REF2(pcmpeqw, _mm_cmpeq_epi16, _mm256_cmpeq_epi16)
REF2(pcmpeqd, _mm_cmpeq_epi32, _mm256_cmpeq_epi32)
REF2(pcmpeqq, _mm_cmpeq_epi64, _mm256_cmpeq_epi64)
REF2(pcmpgtb, _mm_cmpgt_epi8, _mm256_cmpgt_epi8)
REF2(pcmpgtw, _mm_cmpgt_epi16, _mm256_cmpgt_epi16)
REF2(pcmpgtd, _mm_cmpgt_epi32, _mm256_cmpgt_epi32)
REF2(pcmpgtq, _mm_cmpgt_epi64, _mm256_cmpgt_epi64)
REF2(pminub, _mm_min_epu8, _mm256_min_epu8)
REF2(pminuw, _mm_min_epu16, _mm256_min_epu16)
REF2(pminud, _mm_min_epu32, _mm256_min_epu32)
REF2(pminsb, _mm_min_epi8, _mm256_min_epi8)
REF2(pminsw, _mm_min_epi16, _mm256_min_epi16)
REF2(pminsd, _mm_min_epi32, _mm256_min_epi32)
REF2(pmaxub, _mm_max_epu8, _mm256_max_epu8)
REF2(pmaxuw, _mm_max_epu16, _mm256_max_epu16)
REF2(pmaxud, _mm_max_epu32, _mm256_max_epu32)
REF2(pmaxsb, _mm_max_epi8, _mm256_max_epi8)
REF2(pmaxsw, _mm_max_epi16, _mm256_max_epi16)
REF2(pmaxsd, _mm_max_epi32, _mm256_max_epi32)
REF2(pavgb, _mm_avg_epu8, _mm256_avg_epu8)
REF2(pavgw, _mm_avg_epu16, _mm256_avg_epu16)
REF2(pmullw, _mm_mullo_epi16, _mm256_mullo_epi16)
REF2(pmulhw, _mm_mulhi_epi16, _mm256_mulhi_epi16)
REF2(pmulhuw, _mm_mulhi_epu16, _mm256_mulhi_epu16)
REF2(pmulld, _mm_mullo_epi32, _mm256_mullo_epi32)
REF2(pmuludq, _mm_mul_epu32, _mm256_mul_epu32)
REF2(pmuldq, _mm_mul_epi32, _mm256_mul_epi32)
REF2(pmaddwd, _mm_madd_epi16, _mm256_madd_epi16)
REF2(pmaddubsw, _mm_maddubs_epi16, _mm256_maddubs_epi16)
REF2(pmulhrsw, _mm_mulhrs_epi16, _mm256_mulhrs_epi16)
REF2(psadbw, _mm_sad_epu8, _mm256_sad_epu8)
REF1W(pabsb, _mm_abs_epi8, _mm256_abs_epi8)
REF1W(pabsw, _mm_abs_epi16, _mm256_abs_epi16)
REF1W(pabsd, _mm_abs_epi32, _mm256_abs_epi32)
REF2(psignb, _mm_sign_epi8, _mm256_sign_epi8)
REF2(psignw, _mm_sign_epi16, _mm256_sign_epi16)
REF2(psignd, _mm_sign_epi32, _mm256_sign_epi32)
REF2(phaddw, _mm_hadd_epi16, _mm256_hadd_epi16)
REF2(phaddd, _mm_hadd_epi32, _mm256_hadd_epi32)
REF2(phaddsw, _mm_hadds_epi16, _mm256_hadds_epi16)
REF2(phsubw, _mm_hsub_epi16, _mm256_hsub_epi16)
REF2(phsubd, _mm_hsub_epi32, _mm256_hsub_epi32)
REF2(phsubsw, _mm_hsubs_epi16, _mm256_hsubs_epi16)
REF2(psllw, _mm_sll_epi16, sll16_256)
REF2(pslld, _mm_sll_epi32, sll32_256)
REF2(psllq, _mm_sll_epi64, sll64_256)
REF2(psrlw, _mm_srl_epi16, srl16_256)
REF2(psrld, _mm_srl_epi32, srl32_256)
REF2(psrlq, _mm_srl_epi64, srl64_256)
REF2(psraw, _mm_sra_epi16, sra16_256)
REF2(psrad, _mm_sra_epi32, sra32_256)
REF2(psllvd, _mm_sllv_epi32, _mm256_sllv_epi32)
REF2(psllvq, _mm_sllv_epi64, _mm256_sllv_epi64)
REF2(psrlvd, _mm_srlv_epi32, _mm256_srlv_epi32)
REF2(psrlvq, _mm_srlv_epi64, _mm256_srlv_epi64)
REF2(psravd, _mm_srav_epi32, _mm256_srav_epi32)
/* packs / unpacks */
REF2(packsswb, _mm_packs_epi16, _mm256_packs_epi16)
REF2(packssdw, _mm_packs_epi32, _mm256_packs_epi32)
REF2(packuswb, _mm_packus_epi16, _mm256_packus_epi16)
REF2(packusdw, _mm_packus_epi32, _mm256_packus_epi32)
REF2(punpcklbw, _mm_unpacklo_epi8, _mm256_unpacklo_epi8)
REF2(punpcklwd, _mm_unpacklo_epi16, _mm256_unpacklo_epi16)
REF2(punpckldq, _mm_unpacklo_epi32, _mm256_unpacklo_epi32)
REF2(punpcklqdq, _mm_unpacklo_epi64, _mm256_unpacklo_epi64)
REF2(punpckhbw, _mm_unpackhi_epi8, _mm256_unpackhi_epi8)
REF2(punpckhwd, _mm_unpackhi_epi16, _mm256_unpackhi_epi16)
REF2(punpckhdq, _mm_unpackhi_epi32, _mm256_unpackhi_epi32)
REF2(punpckhqdq, _mm_unpackhi_epi64, _mm256_unpackhi_epi64)
REF2(pshufb, _mm_shuffle_epi8, _mm256_shuffle_epi8)
static inline __m128i pvps(__m128i a, __m128i b) { return _mm_castps_si128(_mm_permutevar_ps(_mm_castsi128_ps(a), b)); }
static inline __m256i pvps256(__m256i a, __m256i b) { return _mm256_castps_si256(_mm256_permutevar_ps(_mm256_castsi256_ps(a), b)); }
static inline __m128i pvpd(__m128i a, __m128i b) { return _mm_castpd_si128(_mm_permutevar_pd(_mm_castsi128_pd(a), b)); }
static inline __m256i pvpd256(__m256i a, __m256i b) { return _mm256_castpd_si256(_mm256_permutevar_pd(_mm256_castsi256_pd(a), b)); }
REF2(vpermilps, pvps, pvps256)
REF2(vpermilpd, pvpd, pvpd256)
REF2_256(vpermd, permd_256)
/* extensions (256: from the low 128 bits of the source) */
REF1(pmovsxbw, _mm_cvtepi8_epi16, _mm256_cvtepi8_epi16)
REF1(pmovsxbd, _mm_cvtepi8_epi32, _mm256_cvtepi8_epi32)
REF1(pmovsxbq, _mm_cvtepi8_epi64, _mm256_cvtepi8_epi64)
REF1(pmovsxwd, _mm_cvtepi16_epi32, _mm256_cvtepi16_epi32)
REF1(pmovsxwq, _mm_cvtepi16_epi64, _mm256_cvtepi16_epi64)
REF1(pmovsxdq, _mm_cvtepi32_epi64, _mm256_cvtepi32_epi64)
REF1(pmovzxbw, _mm_cvtepu8_epi16, _mm256_cvtepu8_epi16)
REF1(pmovzxbd, _mm_cvtepu8_epi32, _mm256_cvtepu8_epi32)
REF1(pmovzxbq, _mm_cvtepu8_epi64, _mm256_cvtepu8_epi64)
REF1(pmovzxwd, _mm_cvtepu16_epi32, _mm256_cvtepu16_epi32)
REF1(pmovzxwq, _mm_cvtepu16_epi64, _mm256_cvtepu16_epi64)
REF1(pmovzxdq, _mm_cvtepu32_epi64, _mm256_cvtepu32_epi64)

/* floating point */
PSW(_mm_add_ps) PSW(_mm_sub_ps) PSW(_mm_mul_ps) PSW(_mm_div_ps) PSW(_mm_min_ps) PSW(_mm_max_ps)
PSW(_mm_add_ss) PSW(_mm_sub_ss) PSW(_mm_mul_ss) PSW(_mm_div_ss) PSW(_mm_min_ss) PSW(_mm_max_ss)
PSW(_mm_addsub_ps) PSW(_mm_hadd_ps) PSW(_mm_hsub_ps)
PDW(_mm_add_pd) PDW(_mm_sub_pd) PDW(_mm_mul_pd) PDW(_mm_div_pd) PDW(_mm_min_pd) PDW(_mm_max_pd)
PDW(_mm_add_sd) PDW(_mm_sub_sd) PDW(_mm_mul_sd) PDW(_mm_div_sd) PDW(_mm_min_sd) PDW(_mm_max_sd)
PDW(_mm_addsub_pd) PDW(_mm_hadd_pd) PDW(_mm_hsub_pd)
PSW256(_mm256_add_ps) PSW256(_mm256_sub_ps) PSW256(_mm256_mul_ps) PSW256(_mm256_div_ps)
PSW256(_mm256_min_ps) PSW256(_mm256_max_ps) PSW256(_mm256_addsub_ps) PSW256(_mm256_hadd_ps) PSW256(_mm256_hsub_ps)
PDW256(_mm256_add_pd) PDW256(_mm256_sub_pd) PDW256(_mm256_mul_pd) PDW256(_mm256_div_pd)
PDW256(_mm256_min_pd) PDW256(_mm256_max_pd) PDW256(_mm256_addsub_pd) PDW256(_mm256_hadd_pd) PDW256(_mm256_hsub_pd)

/* add and mul are commutative to the compiler, which may swap the
 * operands of the intrinsic and so pick the other NaN: the exact
 * instruction, operand order fixed, by asm */
#define ASM128(fn, insn) \
    static inline __m128i fn(__m128i a, __m128i b) { __asm__(insn " %1, %0" : "+x"(a) : "x"(b)); return a; }
#define ASM256(fn, insn) \
    static inline __m256i fn(__m256i a, __m256i b) { __m256i r; __asm__(insn " %2, %1, %0" : "=x"(r) : "x"(a), "x"(b)); return r; }
ASM128(a_addps, "addps") ASM128(a_addpd, "addpd") ASM128(a_mulps, "mulps") ASM128(a_mulpd, "mulpd")
ASM128(a_addss, "addss") ASM128(a_addsd, "addsd") ASM128(a_mulss, "mulss") ASM128(a_mulsd, "mulsd")
ASM256(a_vaddps, "vaddps") ASM256(a_vaddpd, "vaddpd") ASM256(a_vmulps, "vmulps") ASM256(a_vmulpd, "vmulpd")
#define FREF2(name, f128, f256) REF2(name, w_##f128, w_##f256)
#define FREF2S(name, f128) REF2_128(name, w_##f128)
REF2(addps, a_addps, a_vaddps)
FREF2(subps, _mm_sub_ps, _mm256_sub_ps)
REF2(mulps, a_mulps, a_vmulps)
FREF2(divps, _mm_div_ps, _mm256_div_ps)
FREF2(minps, _mm_min_ps, _mm256_min_ps)
FREF2(maxps, _mm_max_ps, _mm256_max_ps)
FREF2(addsubps, _mm_addsub_ps, _mm256_addsub_ps)
FREF2(haddps, _mm_hadd_ps, _mm256_hadd_ps)
FREF2(hsubps, _mm_hsub_ps, _mm256_hsub_ps)
REF2(addpd, a_addpd, a_vaddpd)
FREF2(subpd, _mm_sub_pd, _mm256_sub_pd)
REF2(mulpd, a_mulpd, a_vmulpd)
FREF2(divpd, _mm_div_pd, _mm256_div_pd)
FREF2(minpd, _mm_min_pd, _mm256_min_pd)
FREF2(maxpd, _mm_max_pd, _mm256_max_pd)
FREF2(addsubpd, _mm_addsub_pd, _mm256_addsub_pd)
FREF2(haddpd, _mm_hadd_pd, _mm256_hadd_pd)
FREF2(hsubpd, _mm_hsub_pd, _mm256_hsub_pd)
REF2_128(addss, a_addss)
FREF2S(subss, _mm_sub_ss)
REF2_128(mulss, a_mulss)
FREF2S(divss, _mm_div_ss)
FREF2S(minss, _mm_min_ss)
FREF2S(maxss, _mm_max_ss)
REF2_128(addsd, a_addsd)
FREF2S(subsd, _mm_sub_sd)
REF2_128(mulsd, a_mulsd)
FREF2S(divsd, _mm_div_sd)
FREF2S(minsd, _mm_min_sd)
FREF2S(maxsd, _mm_max_sd)

/* unary float: source b; the scalar forms keep a's upper elements */
#define UPS(fn, intr) static inline __m128i fn(__m128i b) { return _mm_castps_si128(intr(_mm_castsi128_ps(b))); }
#define UPS256(fn, intr) static inline __m256i fn(__m256i b) { return _mm256_castps_si256(intr(_mm256_castsi256_ps(b))); }
#define UPD(fn, intr) static inline __m128i fn(__m128i b) { return _mm_castpd_si128(intr(_mm_castsi128_pd(b))); }
#define UPD256(fn, intr) static inline __m256i fn(__m256i b) { return _mm256_castpd_si256(intr(_mm256_castsi256_pd(b))); }
UPS(u_sqrtps, _mm_sqrt_ps) UPS256(u_sqrtps256, _mm256_sqrt_ps)
UPD(u_sqrtpd, _mm_sqrt_pd) UPD256(u_sqrtpd256, _mm256_sqrt_pd)
UPS(u_rcpps, _mm_rcp_ps) UPS256(u_rcpps256, _mm256_rcp_ps)
UPS(u_rsqrtps, _mm_rsqrt_ps) UPS256(u_rsqrtps256, _mm256_rsqrt_ps)
static inline __m128i u_cvtdq2ps(__m128i b) { return _mm_castps_si128(_mm_cvtepi32_ps(b)); }
static inline __m256i u_cvtdq2ps256(__m256i b) { return _mm256_castps_si256(_mm256_cvtepi32_ps(b)); }
static inline __m128i u_cvtps2dq(__m128i b) { return _mm_cvtps_epi32(_mm_castsi128_ps(b)); }
static inline __m256i u_cvtps2dq256(__m256i b) { return _mm256_cvtps_epi32(_mm256_castsi256_ps(b)); }
static inline __m128i u_cvttps2dq(__m128i b) { return _mm_cvttps_epi32(_mm_castsi128_ps(b)); }
static inline __m256i u_cvttps2dq256(__m256i b) { return _mm256_cvttps_epi32(_mm256_castsi256_ps(b)); }
static inline __m128i u_cvtps2pd(__m128i b) { return _mm_castpd_si128(_mm_cvtps_pd(_mm_castsi128_ps(b))); }
static inline __m256i u_cvtps2pd256(__m128i b) { return _mm256_castpd_si256(_mm256_cvtps_pd(_mm_castsi128_ps(b))); }
static inline __m128i u_cvtdq2pd(__m128i b) { return _mm_castpd_si128(_mm_cvtepi32_pd(b)); }
static inline __m256i u_cvtdq2pd256(__m128i b) { return _mm256_castpd_si256(_mm256_cvtepi32_pd(b)); }
REF1W(sqrtps, u_sqrtps, u_sqrtps256)
REF1W(sqrtpd, u_sqrtpd, u_sqrtpd256)
REF1W(rcpps, u_rcpps, u_rcpps256)
REF1W(rsqrtps, u_rsqrtps, u_rsqrtps256)
REF1W(cvtdq2ps, u_cvtdq2ps, u_cvtdq2ps256)
REF1W(cvtps2dq, u_cvtps2dq, u_cvtps2dq256)
REF1W(cvttps2dq, u_cvttps2dq, u_cvttps2dq256)
REF1(cvtps2pd, u_cvtps2pd, u_cvtps2pd256)
REF1(cvtdq2pd, u_cvtdq2pd, u_cvtdq2pd256)
/* narrowing: the 256-bit source gives a 128-bit result (upper zeroed) */
#define NARROW(name, e128, e256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; ST128(r, e128); } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; (void)a; memset(r, 0, 32); ST128(r, e256); }
NARROW(cvtpd2ps, _mm_castps_si128(_mm_cvtpd_ps(_mm_castsi128_pd(LD128(b)))),
       _mm_castps_si128(_mm256_cvtpd_ps(_mm256_castsi256_pd(LD256(b)))))
NARROW(cvtpd2dq, _mm_cvtpd_epi32(_mm_castsi128_pd(LD128(b))), _mm256_cvtpd_epi32(_mm256_castsi256_pd(LD256(b))))
NARROW(cvttpd2dq, _mm_cvttpd_epi32(_mm_castsi128_pd(LD128(b))), _mm256_cvttpd_epi32(_mm256_castsi256_pd(LD256(b))))
/* scalar unary: a's upper part, b's low element converted */
#define SCALAR1(name, expr) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)imm; ST128(r, expr); }
SCALAR1(sqrtss, _mm_castps_si128(_mm_move_ss(_mm_castsi128_ps(LD128(a)), _mm_sqrt_ss(_mm_castsi128_ps(LD128(b))))))
SCALAR1(sqrtsd, _mm_castpd_si128(_mm_sqrt_sd(_mm_castsi128_pd(LD128(a)), _mm_castsi128_pd(LD128(b)))))
SCALAR1(rcpss, _mm_castps_si128(_mm_move_ss(_mm_castsi128_ps(LD128(a)), _mm_rcp_ss(_mm_castsi128_ps(LD128(b))))))
SCALAR1(rsqrtss, _mm_castps_si128(_mm_move_ss(_mm_castsi128_ps(LD128(a)), _mm_rsqrt_ss(_mm_castsi128_ps(LD128(b))))))
SCALAR1(cvtss2sd, _mm_castpd_si128(_mm_cvtss_sd(_mm_castsi128_pd(LD128(a)), _mm_castsi128_ps(LD128(b)))))
SCALAR1(cvtsd2ss, _mm_castps_si128(_mm_cvtsd_ss(_mm_castsi128_ps(LD128(a)), _mm_castsi128_pd(LD128(b)))))

/* ---- ops with imm8: the reference switches over a fixed list of values ---- */
#define IMM_LIST(X) X(0x00) X(0x01) X(0x02) X(0x03) X(0x04) X(0x07) X(0x08) X(0x0c) X(0x0f) X(0x10) \
    X(0x11) X(0x1b) X(0x21) X(0x30) X(0x31) X(0x39) X(0x4e) X(0x55) X(0x5a) X(0x72) X(0x93) X(0xa5) \
    X(0xb1) X(0xc6) X(0xe4) X(0xf0) X(0xff)
#define IMM_ARRAY_EL(n) n,
static const uint8_t imm_list[] = { IMM_LIST(IMM_ARRAY_EL) };
#define IMM16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define IMM32(X) IMM16(X) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) \
    X(28) X(29) X(30) X(31)
static const uint8_t imm16[] = { IMM16(IMM_ARRAY_EL) };
static const uint8_t imm32[] = { IMM32(IMM_ARRAY_EL) };
static const uint8_t imm8[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

/* ref128/ref256 of an op whose intrinsic takes (a, b, imm) or (b, imm) */
#define REFI(name, LIST, e128, e256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { \
        (void)a; (void)b; \
        switch (imm) { LIST(CASE128_##name) default: fail(); } \
    } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { \
        (void)a; (void)b; \
        switch (imm) { LIST(CASE256_##name) default: fail(); } \
    }
#define REFI128(name, LIST) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { \
        (void)a; (void)b; \
        switch (imm) { LIST(CASE128_##name) default: fail(); } \
    }
#define REFI256(name, LIST) \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { \
        (void)a; (void)b; \
        switch (imm) { LIST(CASE256_##name) default: fail(); } \
    }

#define A128 LD128(a)
#define B128 LD128(b)
#define A256 LD256(a)
#define B256 LD256(b)
#define PS(x) _mm_castsi128_ps(x)
#define PD(x) _mm_castsi128_pd(x)
#define PS2(x) _mm256_castsi256_ps(x)
#define PD2(x) _mm256_castsi256_pd(x)
#define IPS(x) _mm_castps_si128(x)
#define IPD(x) _mm_castpd_si128(x)
#define IPS2(x) _mm256_castps_si256(x)
#define IPD2(x) _mm256_castpd_si256(x)

#define CASE128_pshufd(n) case n: ST128(r, _mm_shuffle_epi32(B128, n)); break;
#define CASE256_pshufd(n) case n: ST256(r, _mm256_shuffle_epi32(B256, n)); break;
REFI(pshufd, IMM_LIST, , )
#define CASE128_pshufhw(n) case n: ST128(r, _mm_shufflehi_epi16(B128, n)); break;
#define CASE256_pshufhw(n) case n: ST256(r, _mm256_shufflehi_epi16(B256, n)); break;
REFI(pshufhw, IMM_LIST, , )
#define CASE128_pshuflw(n) case n: ST128(r, _mm_shufflelo_epi16(B128, n)); break;
#define CASE256_pshuflw(n) case n: ST256(r, _mm256_shufflelo_epi16(B256, n)); break;
REFI(pshuflw, IMM_LIST, , )
#define CASE128_shufps(n) case n: ST128(r, IPS(_mm_shuffle_ps(PS(A128), PS(B128), n))); break;
#define CASE256_shufps(n) case n: ST256(r, IPS2(_mm256_shuffle_ps(PS2(A256), PS2(B256), n))); break;
REFI(shufps, IMM_LIST, , )
#define CASE128_shufpd(n) case n: ST128(r, IPD(_mm_shuffle_pd(PD(A128), PD(B128), (n) & 3))); break;
#define CASE256_shufpd(n) case n: ST256(r, IPD2(_mm256_shuffle_pd(PD2(A256), PD2(B256), (n) & 15))); break;
REFI(shufpd, IMM_LIST, , )
#define CASE128_palignr(n) case n: ST128(r, _mm_alignr_epi8(A128, B128, n)); break;
#define CASE256_palignr(n) case n: ST256(r, _mm256_alignr_epi8(A256, B256, n)); break;
REFI(palignr, IMM_LIST, , )
#define CASE128_blendps(n) case n: ST128(r, IPS(_mm_blend_ps(PS(A128), PS(B128), (n) & 15))); break;
#define CASE256_blendps(n) case n: ST256(r, IPS2(_mm256_blend_ps(PS2(A256), PS2(B256), n))); break;
REFI(blendps, IMM_LIST, , )
#define CASE128_blendpd(n) case n: ST128(r, IPD(_mm_blend_pd(PD(A128), PD(B128), (n) & 3))); break;
#define CASE256_blendpd(n) case n: ST256(r, IPD2(_mm256_blend_pd(PD2(A256), PD2(B256), (n) & 15))); break;
REFI(blendpd, IMM_LIST, , )
#define CASE128_pblendw(n) case n: ST128(r, _mm_blend_epi16(A128, B128, n)); break;
#define CASE256_pblendw(n) case n: ST256(r, _mm256_blend_epi16(A256, B256, n)); break;
REFI(pblendw, IMM_LIST, , )
#define CASE128_pblendd(n) case n: ST128(r, _mm_blend_epi32(A128, B128, (n) & 15)); break;
#define CASE256_pblendd(n) case n: ST256(r, _mm256_blend_epi32(A256, B256, n)); break;
REFI(pblendd, IMM_LIST, , )
#define CASE128_pslldq_i(n) case n: ST128(r, _mm_slli_si128(B128, n)); break;
#define CASE256_pslldq_i(n) case n: ST256(r, _mm256_slli_si256(B256, n)); break;
REFI(pslldq_i, IMM_LIST, , )
#define CASE128_psrldq_i(n) case n: ST128(r, _mm_srli_si128(B128, n)); break;
#define CASE256_psrldq_i(n) case n: ST256(r, _mm256_srli_si256(B256, n)); break;
REFI(psrldq_i, IMM_LIST, , )
#define SHIFTI(name, i128, i256) \
    static void ref128_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)a; ST128(r, i128(B128, _mm_cvtsi32_si128((int)imm))); } \
    static void ref256_##name(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm) \
    { (void)a; ST256(r, i256(B256, _mm_cvtsi32_si128((int)imm))); }
SHIFTI(psllw_i, _mm_sll_epi16, _mm256_sll_epi16)
SHIFTI(pslld_i, _mm_sll_epi32, _mm256_sll_epi32)
SHIFTI(psllq_i, _mm_sll_epi64, _mm256_sll_epi64)
SHIFTI(psrlw_i, _mm_srl_epi16, _mm256_srl_epi16)
SHIFTI(psrld_i, _mm_srl_epi32, _mm256_srl_epi32)
SHIFTI(psrlq_i, _mm_srl_epi64, _mm256_srl_epi64)
SHIFTI(psraw_i, _mm_sra_epi16, _mm256_sra_epi16)
SHIFTI(psrad_i, _mm_sra_epi32, _mm256_sra_epi32)
#define CASE128_insertps(n) case n: ST128(r, IPS(_mm_insert_ps(PS(A128), PS(B128), n))); break;
REFI128(insertps, IMM_LIST)
#define CASE128_mpsadbw(n) case n: ST128(r, _mm_mpsadbw_epu8(A128, B128, (n) & 7)); break;
#define CASE256_mpsadbw(n) case n: ST256(r, _mm256_mpsadbw_epu8(A256, B256, (n) & 63)); break;
REFI(mpsadbw, IMM_LIST, , )
#define CASE128_pclmulqdq(n) case n: ST128(r, _mm_clmulepi64_si128(A128, B128, n)); break;
REFI128(pclmulqdq, IMM_LIST)
#define CASE128_aeskeygenassist(n) case n: ST128(r, _mm_aeskeygenassist_si128(B128, n)); break;
REFI128(aeskeygenassist, IMM_LIST)
#define CASE256_vperm2f128(n) case n: ST256(r, _mm256_permute2x128_si256(A256, B256, n)); break;
REFI256(vperm2f128, IMM_LIST)
#define CASE256_vpermq(n) case n: ST256(r, _mm256_permute4x64_epi64(B256, n)); break;
REFI256(vpermq, IMM_LIST)
#define CASE128_vpermilps_i(n) case n: ST128(r, IPS(_mm_permute_ps(PS(B128), n))); break;
#define CASE256_vpermilps_i(n) case n: ST256(r, IPS2(_mm256_permute_ps(PS2(B256), n))); break;
REFI(vpermilps_i, IMM_LIST, , )
#define CASE128_vpermilpd_i(n) case n: ST128(r, IPD(_mm_permute_pd(PD(B128), (n) & 3))); break;
#define CASE256_vpermilpd_i(n) case n: ST256(r, IPD2(_mm256_permute_pd(PD2(B256), (n) & 15))); break;
REFI(vpermilpd_i, IMM_LIST, , )
#define CASE128_cmpps(n) case n: ST128(r, IPS(_mm_cmp_ps(PS(A128), PS(B128), n))); break;
#define CASE256_cmpps(n) case n: ST256(r, IPS2(_mm256_cmp_ps(PS2(A256), PS2(B256), n))); break;
REFI(cmpps, IMM32, , )
#define CASE128_cmppd(n) case n: ST128(r, IPD(_mm_cmp_pd(PD(A128), PD(B128), n))); break;
#define CASE256_cmppd(n) case n: ST256(r, IPD2(_mm256_cmp_pd(PD2(A256), PD2(B256), n))); break;
REFI(cmppd, IMM32, , )
#define CASE128_cmpss(n) case n: ST128(r, IPS(_mm_cmp_ss(PS(A128), PS(B128), n))); break;
REFI128(cmpss, IMM32)
#define CASE128_cmpsd(n) case n: ST128(r, IPD(_mm_cmp_sd(PD(A128), PD(B128), n))); break;
REFI128(cmpsd, IMM32)
#define CASE128_roundps(n) case n: ST128(r, IPS(_mm_round_ps(PS(B128), n))); break;
#define CASE256_roundps(n) case n: ST256(r, IPS2(_mm256_round_ps(PS2(B256), n))); break;
REFI(roundps, IMM16, , )
#define CASE128_roundpd(n) case n: ST128(r, IPD(_mm_round_pd(PD(B128), n))); break;
#define CASE256_roundpd(n) case n: ST256(r, IPD2(_mm256_round_pd(PD2(B256), n))); break;
REFI(roundpd, IMM16, , )
#define CASE128_roundss(n) case n: ST128(r, IPS(_mm_round_ss(PS(A128), PS(B128), n))); break;
REFI128(roundss, IMM16)
#define CASE128_roundsd(n) case n: ST128(r, IPD(_mm_round_sd(PD(A128), PD(B128), n))); break;
REFI128(roundsd, IMM16)
#define CASE128_dpps(n) case n: ST128(r, IPS(_mm_dp_ps(PS(A128), PS(B128), n))); break;
#define CASE256_dpps(n) case n: ST256(r, IPS2(_mm256_dp_ps(PS2(A256), PS2(B256), n))); break;
REFI(dpps, IMM_LIST, , )
#define CASE128_dppd(n) case n: ST128(r, IPD(_mm_dp_pd(PD(A128), PD(B128), n))); break;
REFI128(dppd, IMM_LIST)
#define CASE128_cvtps2ph(n) case n: ST128(r, _mm_cvtps_ph(PS(B128), n)); break;
#define CASE256_cvtps2ph(n) case n: memset(r, 0, 32); ST128(r, _mm256_cvtps_ph(PS2(B256), n)); break;
REFI(cvtps2ph, IMM16, , )
static void ref128_cvtph2ps(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm)
{ (void)a; (void)imm; ST128(r, IPS(_mm_cvtph_ps(B128))); }
static void ref256_cvtph2ps(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm)
{ (void)a; (void)imm; ST256(r, IPS2(_mm256_cvtph_ps(B128))); }
REF2_128(aesenc, _mm_aesenc_si128)
REF2_128(aesenclast, _mm_aesenclast_si128)
REF2_128(aesdec, _mm_aesdec_si128)
REF2_128(aesdeclast, _mm_aesdeclast_si128)
static void ref128_aesimc(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm)
{ (void)a; (void)imm; ST128(r, _mm_aesimc_si128(B128)); }
/* unary moves */
static inline __m128i w_movsldup(__m128i b) { return IPS(_mm_moveldup_ps(PS(b))); }
static inline __m256i w_movsldup256(__m256i b) { return IPS2(_mm256_moveldup_ps(PS2(b))); }
static inline __m128i w_movshdup(__m128i b) { return IPS(_mm_movehdup_ps(PS(b))); }
static inline __m256i w_movshdup256(__m256i b) { return IPS2(_mm256_movehdup_ps(PS2(b))); }
static inline __m128i w_movddup(__m128i b) { return IPD(_mm_movedup_pd(PD(b))); }
static inline __m256i w_movddup256(__m256i b) { return IPD2(_mm256_movedup_pd(PD2(b))); }
REF1W(movsldup, w_movsldup, w_movsldup256)
REF1W(movshdup, w_movshdup, w_movshdup256)
REF1W(movddup, w_movddup, w_movddup256)
REF1(vbroadcastb, _mm_broadcastb_epi8, _mm256_broadcastb_epi8)
REF1(vbroadcastw, _mm_broadcastw_epi16, _mm256_broadcastw_epi16)
REF1(vbroadcastd, _mm_broadcastd_epi32, _mm256_broadcastd_epi32)
REF1(vbroadcastq, _mm_broadcastq_epi64, _mm256_broadcastq_epi64)
static void ref256_vbroadcast128(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm)
{ (void)a; (void)imm; ST256(r, _mm256_broadcastsi128_si256(B128)); }
static void ref256_vinsert128(X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm)
{ ST256(r, (imm & 1) ? _mm256_inserti128_si256(A256, B128, 1) : _mm256_inserti128_si256(A256, B128, 0)); }
static const uint8_t imm01[] = { 0, 1, 2, 3 };

/* ---- the runner ---- */
typedef struct VecCase {
    const char *name;
    HelperFn *fn;
    RefFn *r128, *r256;
    int kind;                  /* random data: 0 integer, 1 float, 2 double */
    bool fp;                   /* runs under random MXCSR; flags compared */
    bool mmx;                  /* has an MMX form that equals the low 64 bits of the 128-bit one */
    const uint8_t *imms;
    unsigned n_imms;
} VecCase;

/* The reference under MXCSR mx (masks all set): returns the flags raised. */
static uint32_t run_ref(RefFn *ref, X86Vec256 *r, const X86Vec256 *a, const X86Vec256 *b, unsigned imm, uint32_t mx)
{
    uint32_t saved = _mm_getcsr();
    _mm_setcsr(mx & ~X86_MXCSR_FLAGS);
    __asm__ volatile("" ::: "memory");
    ref(r, a, b, imm);
    __asm__ volatile("" ::: "memory");
    uint32_t flags = _mm_getcsr() & X86_MXCSR_FLAGS;
    _mm_setcsr(saved);
    return flags;
}

static void fail_case(const VecCase *c, const char *form, unsigned it, unsigned imm, const X86Vec256 *got,
                      const X86Vec256 *want, const X86Vec256 *a, const X86Vec256 *b)
{
    print_error("%s (%s) iteration %u imm 0x%02x\n", c->name, form, it, imm);
    for (int i = 3; i >= 0; i--)
        print_error("  a %016llx b %016llx got %016llx want %016llx\n", (unsigned long long)a->q[i],
                    (unsigned long long)b->q[i], (unsigned long long)got->q[i], (unsigned long long)want->q[i]);
    fail();
}

/* Instructions with no legacy-SSE encoding (the translator always passes VEX). */
static bool vex_only(const char *name)
{
    static const char *const list[] = {
        "psllvd", "psllvq", "psrlvd", "psrlvq", "psravd", "vpermilps", "vpermilpd", "vpermilps_i",
        "vpermilpd_i", "pblendd", "vbroadcastb", "vbroadcastw", "vbroadcastd", "vbroadcastq",
        "cvtps2ph", "cvtph2ps", NULL,
    };
    for (unsigned i = 0; list[i]; i++)
        if (!strcmp(list[i], name))
            return true;
    return false;
}

static X86CPU case_cpus[2] __attribute__((aligned(64)));

static void run_case(const VecCase *c)
{
    X86CPU *cpu = &case_cpus[0], *before = &case_cpus[1];
    memset(case_cpus, 0, sizeof(case_cpus));
    for (unsigned it = 0; it < ITERS; it++) {
        unsigned imm = c->n_imms ? c->imms[rnd() % c->n_imms] : 0;
        uint32_t mx = X86_MXCSR_DEFAULT;
        if (c->fp) {
            mx |= (uint32_t)rnd() & X86_MXCSR_RC;
            if ((rnd() & 3) == 0)
                mx |= (uint32_t)rnd() & (X86_MXCSR_FTZ | X86_MXCSR_DAZ);
        }
        rnd_state(cpu, c->kind);
        cpu->vec.mxcsr = mx;
        memcpy(before, cpu, sizeof(*cpu));
        const X86Vec256 *a = &before->vec.ymm[3], *b = &before->vec.ymm[5];

        for (int form = 0; form < 3; form++) {
            RefFn *ref = form < 2 ? c->r128 : c->r256;
            if (!ref || (form == 0 && vex_only(c->name)))
                continue;
            X86Vec256 want = { 0 };
            unsigned d = form == 0 ? 3 : 7;
            uint32_t flags = run_ref(ref, &want, a, b, imm, mx);
            if (form == 0) {           /* legacy: bits 255:128 kept */
                want.q[2] = a->q[2];
                want.q[3] = a->q[3];
            }
            memcpy(cpu, before, sizeof(*cpu));
            x86_vec_mxcsr_set(cpu, mx);
            c->fn(cpu, X86V_DESC(d, 3, 5, form == 0 ? 0 : form == 1 ? X86V_VEX : X86V_VEX | X86V_L256, imm));
            if (memcmp(&cpu->vec.ymm[d], &want, 32))
                fail_case(c, form == 0 ? "legacy" : form == 1 ? "VEX.128" : "VEX.256", it, imm,
                          &cpu->vec.ymm[d], &want, a, b);
            if (c->fp)
                assert_int_equal(x86_vec_mxcsr_get(cpu), mx | flags);
            cpu->vec.mxcsr = x86_vec_mxcsr_get(cpu);
            /* nothing else changed */
            memcpy(&cpu->vec.ymm[d], &before->vec.ymm[d], 32);
            cpu->vec.mxcsr = before->vec.mxcsr;
            assert_memory_equal(cpu, before, sizeof(*cpu));
        }

        if (c->mmx) {
            /* mm3 = op(mm3, mm5): the 128-bit op on zero-extended inputs */
            X86Vec256 a64 = { 0 }, b64 = { 0 }, want = { 0 };
            a64.q[0] = before->fpu.r[3].mant;
            b64.q[0] = before->fpu.r[5].mant;
            run_ref(c->r128, &want, &a64, &b64, imm, mx);
            memcpy(cpu, before, sizeof(*cpu));
            cpu->fpu.top = 5;
            cpu->fpu.ftw = 0xffff;
            c->fn(cpu, X86V_DESC(3, 3, 5, X86V_MMX, imm));
            assert_int_equal(cpu->fpu.r[3].mant, want.q[0]);
            assert_int_equal(cpu->fpu.r[3].sign_exp, 0xffff);
            assert_int_equal(cpu->fpu.top, 0);
            assert_int_equal(cpu->fpu.ftw, 0);
        }
    }
}

#define C_INT(n, r128, r256, mmx) { #n, helper_vec_##n, r128, r256, 0, false, mmx, NULL, 0 }
#define INT2(n) C_INT(n, ref128_##n, ref256_##n, true)
#define INT2X(n) C_INT(n, ref128_##n, ref256_##n, false)
#define INTI(n, imms) { #n, helper_vec_##n, ref128_##n, ref256_##n, 0, false, false, imms, sizeof(imms) }
#define FPFN(n) ((HelperFn *)(void (*)(void))helper_vec_##n)
#define FP2(n, kind) { #n, FPFN(n), ref128_##n, ref256_##n, kind, true, false, NULL, 0 }
#define FPS(n, kind) { #n, FPFN(n), ref128_##n, NULL, kind, true, false, NULL, 0 }
#define FPI(n, kind, imms) { #n, FPFN(n), ref128_##n, ref256_##n, kind, true, false, imms, sizeof(imms) }
#define FPIS(n, kind, imms) { #n, FPFN(n), ref128_##n, NULL, kind, true, false, imms, sizeof(imms) }

static const VecCase cases[] = {
    INT2(paddb), INT2(paddw), INT2(paddd), INT2(paddq), INT2(psubb), INT2(psubw), INT2(psubd), INT2(psubq),
    INT2(paddsb), INT2(paddsw), INT2(paddusb), INT2(paddusw), INT2(psubsb), INT2(psubsw), INT2(psubusb),
    INT2(psubusw), INT2(pand), INT2(pandn), INT2(por), INT2(pxor), INT2(pcmpeqb), INT2(pcmpeqw),
    INT2(pcmpeqd), INT2(pcmpeqq), INT2(pcmpgtb), INT2(pcmpgtw), INT2(pcmpgtd), INT2(pcmpgtq),
    INT2(pminub), INT2(pminuw), INT2(pminud), INT2(pminsb), INT2(pminsw), INT2(pminsd), INT2(pmaxub),
    INT2(pmaxuw), INT2(pmaxud), INT2(pmaxsb), INT2(pmaxsw), INT2(pmaxsd), INT2(pavgb), INT2(pavgw),
    INT2(pmullw), INT2(pmulhw), INT2(pmulhuw), INT2(pmulld), INT2(pmuludq), INT2(pmuldq), INT2(pmaddwd),
    INT2(pmaddubsw), INT2(pmulhrsw), INT2(psadbw), INT2(pabsb), INT2(pabsw), INT2(pabsd), INT2(psignb),
    INT2(psignw), INT2(psignd), INT2X(phaddw), INT2X(phaddd), INT2X(phaddsw), INT2X(phsubw),
    INT2X(phsubd), INT2X(phsubsw), INT2(psllw), INT2(pslld), INT2(psllq), INT2(psrlw), INT2(psrld),
    INT2(psrlq), INT2(psraw), INT2(psrad), INT2X(psllvd), INT2X(psllvq), INT2X(psrlvd), INT2X(psrlvq),
    INT2X(psravd), INT2X(packsswb), INT2X(packssdw), INT2X(packuswb), INT2X(packusdw),
    INT2X(punpcklbw), INT2X(punpcklwd), INT2X(punpckldq), INT2X(punpcklqdq), INT2X(punpckhbw),
    INT2X(punpckhwd), INT2X(punpckhdq), INT2X(punpckhqdq), INT2X(pshufb), INT2X(vpermilps),
    INT2X(vpermilpd), C_INT(vpermd, NULL, ref256_vpermd, false),
    INT2X(pmovsxbw), INT2X(pmovsxbd), INT2X(pmovsxbq), INT2X(pmovsxwd), INT2X(pmovsxwq), INT2X(pmovsxdq),
    INT2X(pmovzxbw), INT2X(pmovzxbd), INT2X(pmovzxbq), INT2X(pmovzxwd), INT2X(pmovzxwq), INT2X(pmovzxdq),
    INT2X(movsldup), INT2X(movshdup), INT2X(movddup), INT2X(vbroadcastb), INT2X(vbroadcastw),
    INT2X(vbroadcastd), INT2X(vbroadcastq), C_INT(vbroadcast128, NULL, ref256_vbroadcast128, false),
    { "vinsert128", helper_vec_vinsert128, NULL, ref256_vinsert128, 0, false, false, imm01, sizeof(imm01) },
    INTI(pshufd, imm_list), INTI(pshufhw, imm_list), INTI(pshuflw, imm_list), INTI(shufps, imm_list),
    INTI(shufpd, imm_list), INTI(palignr, imm_list), INTI(blendps, imm_list), INTI(blendpd, imm_list),
    INTI(pblendw, imm_list), INTI(pblendd, imm_list), INTI(pslldq_i, imm_list), INTI(psrldq_i, imm_list),
    INTI(psllw_i, imm_list), INTI(pslld_i, imm_list), INTI(psllq_i, imm_list), INTI(psrlw_i, imm_list),
    INTI(psrld_i, imm_list), INTI(psrlq_i, imm_list), INTI(psraw_i, imm_list), INTI(psrad_i, imm_list),
    INTI(mpsadbw, imm_list), INTI(vpermilps_i, imm_list), INTI(vpermilpd_i, imm_list),
    { "insertps", helper_vec_insertps, ref128_insertps, NULL, 1, false, false, imm_list, sizeof(imm_list) },
    { "pclmulqdq", helper_vec_pclmulqdq, ref128_pclmulqdq, NULL, 0, false, false, imm_list, sizeof(imm_list) },
    { "aeskeygenassist", helper_vec_aeskeygenassist, ref128_aeskeygenassist, NULL, 0, false, false, imm_list,
      sizeof(imm_list) },
    { "vperm2f128", helper_vec_vperm2f128, NULL, ref256_vperm2f128, 0, false, false, imm_list, sizeof(imm_list) },
    { "vpermq", helper_vec_vpermq, NULL, ref256_vpermq, 0, false, false, imm_list, sizeof(imm_list) },
    C_INT(aesenc, ref128_aesenc, NULL, false), C_INT(aesenclast, ref128_aesenclast, NULL, false),
    C_INT(aesdec, ref128_aesdec, NULL, false), C_INT(aesdeclast, ref128_aesdeclast, NULL, false),
    C_INT(aesimc, ref128_aesimc, NULL, false),
    FP2(addps, 1), FP2(subps, 1), FP2(mulps, 1), FP2(divps, 1), FP2(minps, 1), FP2(maxps, 1),
    FP2(addsubps, 1), FP2(haddps, 1), FP2(hsubps, 1), FP2(addpd, 2), FP2(subpd, 2), FP2(mulpd, 2),
    FP2(divpd, 2), FP2(minpd, 2), FP2(maxpd, 2), FP2(addsubpd, 2), FP2(haddpd, 2), FP2(hsubpd, 2),
    FPS(addss, 1), FPS(subss, 1), FPS(mulss, 1), FPS(divss, 1), FPS(minss, 1), FPS(maxss, 1),
    FPS(addsd, 2), FPS(subsd, 2), FPS(mulsd, 2), FPS(divsd, 2), FPS(minsd, 2), FPS(maxsd, 2),
    FP2(sqrtps, 1), FP2(sqrtpd, 2), FP2(rcpps, 1), FP2(rsqrtps, 1), FP2(cvtdq2ps, 0), FP2(cvtps2dq, 1),
    FP2(cvttps2dq, 1), FP2(cvtps2pd, 1), FP2(cvtdq2pd, 0), FP2(cvtpd2ps, 2), FP2(cvtpd2dq, 2),
    FP2(cvttpd2dq, 2), FPS(sqrtss, 1), FPS(sqrtsd, 2), FPS(rcpss, 1), FPS(rsqrtss, 1), FPS(cvtss2sd, 1),
    FPS(cvtsd2ss, 2),
    FPI(cmpps, 1, imm32), FPI(cmppd, 2, imm32), FPIS(cmpss, 1, imm32), FPIS(cmpsd, 2, imm32),
    FPI(roundps, 1, imm16), FPI(roundpd, 2, imm16), FPIS(roundss, 1, imm16), FPIS(roundsd, 2, imm16),
    FPI(dpps, 1, imm_list), FPIS(dppd, 2, imm_list), FPI(cvtps2ph, 1, imm8), FP2(cvtph2ps, 0),
};

static void test_all_cases(void **state)
{
    (void)state;
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
}

/* ---- helpers that return a value or take one ---- */
static void test_masks_extract_insert(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS; it++) {
        rnd_state(cpu, 1);
        const X86Vec256 *v = &cpu->vec.ymm[5];
        __m128i x = LD128(v);
        __m256i y = LD256(v);
        assert_int_equal(helper_vec_pmovmskb(cpu, X86V_DESC(0, 0, 5, 0, 0)), (uint32_t)_mm_movemask_epi8(x));
        assert_int_equal(helper_vec_pmovmskb(cpu, X86V_DESC(0, 0, 5, X86V_VEX | X86V_L256, 0)),
                         (uint32_t)_mm256_movemask_epi8(y));
        assert_int_equal(helper_vec_movmskps(cpu, X86V_DESC(0, 0, 5, 0, 0)), (unsigned)_mm_movemask_ps(PS(x)));
        assert_int_equal(helper_vec_movmskps(cpu, X86V_DESC(0, 0, 5, X86V_VEX | X86V_L256, 0)),
                         (unsigned)_mm256_movemask_ps(PS2(y)));
        assert_int_equal(helper_vec_movmskpd(cpu, X86V_DESC(0, 0, 5, 0, 0)), (unsigned)_mm_movemask_pd(PD(x)));
        assert_int_equal(helper_vec_movmskpd(cpu, X86V_DESC(0, 0, 5, X86V_VEX | X86V_L256, 0)),
                         (unsigned)_mm256_movemask_pd(PD2(y)));
        /* MMX pmovmskb: 8 bits */
        assert_int_equal(helper_vec_pmovmskb(cpu, X86V_DESC(0, 0, 2, X86V_MMX, 0)),
                         (uint32_t)_mm_movemask_epi8(_mm_cvtsi64_si128((long long)cpu->fpu.r[2].mant)) & 0xff);
        assert_int_equal(helper_vec_pextrb(cpu, X86V_DESC(0, 0, 5, 0, 9)), (uint8_t)_mm_extract_epi8(x, 9));
        assert_int_equal(helper_vec_pextrw(cpu, X86V_DESC(0, 0, 5, 0, 6)), (uint16_t)_mm_extract_epi16(x, 6));
        assert_int_equal(helper_vec_pextrd(cpu, X86V_DESC(0, 0, 5, 0, 3)), (uint32_t)_mm_extract_epi32(x, 3));
        assert_int_equal(helper_vec_pextrq(cpu, X86V_DESC(0, 0, 5, 0, 1)), (uint64_t)_mm_extract_epi64(x, 1));

        uint64_t val = rnd();
        X86Vec256 old3 = cpu->vec.ymm[3];
        helper_vec_pinsrw(cpu, X86V_DESC(3, 3, 0, 0, 5), val);
        __m128i want = _mm_insert_epi16(LD128(&old3), (int)val, 5);
        assert_memory_equal(&cpu->vec.ymm[3], &want, 16);
        assert_memory_equal(&cpu->vec.ymm[3].q[2], &old3.q[2], 16);
        helper_vec_pinsrq(cpu, X86V_DESC(4, 5, 0, X86V_VEX, 1), val);
        want = _mm_insert_epi64(x, (long long)val, 1);
        assert_memory_equal(&cpu->vec.ymm[4], &want, 16);
        assert_true(cpu->vec.ymm[4].q[2] == 0 && cpu->vec.ymm[4].q[3] == 0);
        helper_vec_pinsrb(cpu, X86V_DESC(4, 5, 0, 0, 13), val);
        want = _mm_insert_epi8(x, (int)val, 13);
        assert_memory_equal(&cpu->vec.ymm[4], &want, 16);

        /* ptest / vtestps / vtestpd */
        __m128i a = LD128(&cpu->vec.ymm[3]);
        if (rnd() & 1)
            cpu->vec.ymm[5].q[0] = cpu->vec.ymm[5].q[1] = 0;
        x = LD128(v);
        uint32_t fl = (_mm_testz_si128(a, x) ? X86_EFLAGS_ZF : 0) | (_mm_testc_si128(a, x) ? X86_EFLAGS_CF : 0);
        assert_int_equal(helper_vec_ptest(cpu, X86V_DESC(0, 3, 5, 0, 0)), fl);
        __m256i a2 = LD256(&cpu->vec.ymm[3]);
        y = LD256(v);
        fl = (_mm256_testz_si256(a2, y) ? X86_EFLAGS_ZF : 0) | (_mm256_testc_si256(a2, y) ? X86_EFLAGS_CF : 0);
        assert_int_equal(helper_vec_ptest(cpu, X86V_DESC(0, 3, 5, X86V_VEX | X86V_L256, 0)), fl);
        fl = (_mm256_testz_ps(PS2(a2), PS2(y)) ? X86_EFLAGS_ZF : 0) | (_mm256_testc_ps(PS2(a2), PS2(y)) ? X86_EFLAGS_CF : 0);
        assert_int_equal(helper_vec_vtestps(cpu, X86V_DESC(0, 3, 5, X86V_VEX | X86V_L256, 0)), fl);
        fl = (_mm_testz_pd(PD(a), PD(x)) ? X86_EFLAGS_ZF : 0) | (_mm_testc_pd(PD(a), PD(x)) ? X86_EFLAGS_CF : 0);
        assert_int_equal(helper_vec_vtestpd(cpu, X86V_DESC(0, 3, 5, X86V_VEX, 0)), fl);

        /* phminposuw */
        helper_vec_phminposuw(cpu, X86V_DESC(6, 6, 5, 0, 0));
        want = _mm_minpos_epu16(x);
        assert_memory_equal(&cpu->vec.ymm[6], &want, 16);
    }
    free(cpu);
}

/* Variable blends: mask xmm0 (legacy) or the register in imm8[7:4] (VEX). */
static void test_blendv(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS; it++) {
        rnd_state(cpu, 0);
        __m128i a = LD128(&cpu->vec.ymm[3]), b = LD128(&cpu->vec.ymm[5]), m = LD128(&cpu->vec.ymm[0]);
        __m256i a2 = LD256(&cpu->vec.ymm[3]), b2 = LD256(&cpu->vec.ymm[5]), m2 = LD256(&cpu->vec.ymm[9]);
        __m128i w = _mm_blendv_epi8(a, b, m);
        helper_vec_pblendvb(cpu, X86V_DESC(7, 3, 5, 0, 0));
        assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
        w = IPS(_mm_blendv_ps(PS(a), PS(b), PS(m)));
        helper_vec_blendvps(cpu, X86V_DESC(7, 3, 5, 0, 0));
        assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
        w = IPD(_mm_blendv_pd(PD(a), PD(b), PD(m)));
        helper_vec_blendvpd(cpu, X86V_DESC(7, 3, 5, 0, 0));
        assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
        __m256i w2 = _mm256_blendv_epi8(a2, b2, m2);
        helper_vec_pblendvb(cpu, X86V_DESC(7, 3, 5, X86V_VEX | X86V_L256, 9 << 4));
        assert_memory_equal(&cpu->vec.ymm[7], &w2, 32);
        w2 = IPS2(_mm256_blendv_ps(PS2(a2), PS2(b2), PS2(m2)));
        helper_vec_blendvps(cpu, X86V_DESC(7, 3, 5, X86V_VEX | X86V_L256, 9 << 4));
        assert_memory_equal(&cpu->vec.ymm[7], &w2, 32);
        w2 = IPD2(_mm256_blendv_pd(PD2(a2), PD2(b2), PD2(m2)));
        helper_vec_blendvpd(cpu, X86V_DESC(7, 3, 5, X86V_VEX | X86V_L256, 9 << 4));
        assert_memory_equal(&cpu->vec.ymm[7], &w2, 32);
    }
    free(cpu);
}

/* comis/ucomis flags, conversions to and from general registers, with the
 * MXCSR flags each raises. */
static uint32_t host_flags_begin(uint32_t mx)
{
    uint32_t saved = _mm_getcsr();
    _mm_setcsr(mx);
    return saved;
}
static uint32_t host_flags_end(uint32_t saved)
{
    uint32_t f = _mm_getcsr() & X86_MXCSR_FLAGS;
    _mm_setcsr(saved);
    return f;
}

static void test_scalar_int(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS * 4; it++) {
        int kind = 1 + (it & 1);
        rnd_state(cpu, kind);
        uint32_t mx = X86_MXCSR_DEFAULT | ((uint32_t)rnd() & X86_MXCSR_RC);
        __m128i a = LD128(&cpu->vec.ymm[3]), b = LD128(&cpu->vec.ymm[5]);
        uint32_t saved, f, want;
        uint8_t zf, pf, cf;

#define CHECK_COMI(helper, insn) \
        x86_vec_mxcsr_set(cpu, mx); \
        saved = host_flags_begin(mx); \
        __asm__ volatile(insn " %4, %3\n\tsetz %0\n\tsetp %1\n\tsetc %2" \
                         : "=q"(zf), "=q"(pf), "=q"(cf) : "x"(a), "x"(b) : "cc"); \
        f = host_flags_end(saved); \
        want = (zf ? X86_EFLAGS_ZF : 0) | (pf ? X86_EFLAGS_PF : 0) | (cf ? X86_EFLAGS_CF : 0); \
        assert_int_equal(helper(cpu, X86V_DESC(0, 3, 5, 0, 0)), want); \
        assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f);
        if (kind == 1) {
            CHECK_COMI(helper_vec_comiss, "comiss")
            CHECK_COMI(helper_vec_ucomiss, "ucomiss")
        } else {
            CHECK_COMI(helper_vec_comisd, "comisd")
            CHECK_COMI(helper_vec_ucomisd, "ucomisd")
        }

#define CHECK_CVT2SI(helper, expr32, expr64) \
        x86_vec_mxcsr_set(cpu, mx); \
        saved = host_flags_begin(mx); \
        { uint32_t w32 = (uint32_t)(expr32); f = host_flags_end(saved); \
          assert_int_equal(helper(cpu, X86V_DESC(0, 0, 5, 0, 0)), w32); \
          assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f); } \
        x86_vec_mxcsr_set(cpu, mx); \
        saved = host_flags_begin(mx); \
        { uint64_t w64 = (uint64_t)(expr64); f = host_flags_end(saved); \
          assert_int_equal(helper(cpu, X86V_DESC(0, 0, 5, 0, 1)), w64); \
          assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f); }
        if (kind == 1) {
            CHECK_CVT2SI(helper_vec_cvtss2si, _mm_cvtss_si32(PS(b)), _mm_cvtss_si64(PS(b)))
            CHECK_CVT2SI(helper_vec_cvttss2si, _mm_cvttss_si32(PS(b)), _mm_cvttss_si64(PS(b)))
        } else {
            CHECK_CVT2SI(helper_vec_cvtsd2si, _mm_cvtsd_si32(PD(b)), _mm_cvtsd_si64(PD(b)))
            CHECK_CVT2SI(helper_vec_cvttsd2si, _mm_cvttsd_si32(PD(b)), _mm_cvttsd_si64(PD(b)))
        }

        /* cvtsi2ss/sd from a 32- and a 64-bit integer */
        uint64_t v = rnd() >> (rnd() & 63);
        if (rnd() & 1)
            v = -v;
        for (int wide = 0; wide < 2; wide++) {
            __m128i w;
            x86_vec_mxcsr_set(cpu, mx);
            saved = host_flags_begin(mx);
            w = IPS(wide ? _mm_cvtsi64_ss(PS(a), (long long)v) : _mm_cvtsi32_ss(PS(a), (int)v));
            f = host_flags_end(saved);
            helper_vec_cvtsi2ss(cpu, X86V_DESC(7, 3, 0, X86V_VEX, wide), v);
            assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
            assert_true(cpu->vec.ymm[7].q[2] == 0 && cpu->vec.ymm[7].q[3] == 0);
            assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f);
            x86_vec_mxcsr_set(cpu, mx);
            saved = host_flags_begin(mx);
            w = IPD(wide ? _mm_cvtsi64_sd(PD(a), (long long)v) : _mm_cvtsi32_sd(PD(a), (int)v));
            f = host_flags_end(saved);
            helper_vec_cvtsi2sd(cpu, X86V_DESC(7, 3, 0, 0, wide), v);
            assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
            assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f);
        }
    }
    free(cpu);
}

/* ---- pcmpXstrX: strings from a small alphabet with zeros, every control
 * byte the reference list holds ---- */
#define CASE_STRI(n) case n: return (uint64_t)_mm_cmpistri(a, b, n) | \
    (uint64_t)((_mm_cmpistrc(a, b, n) ? X86_EFLAGS_CF : 0) | (_mm_cmpistrz(a, b, n) ? X86_EFLAGS_ZF : 0) | \
               (_mm_cmpistrs(a, b, n) ? X86_EFLAGS_SF : 0) | (_mm_cmpistro(a, b, n) ? X86_EFLAGS_OF : 0)) << 32;
#define CASE_ESTRI(n) case n: return (uint64_t)_mm_cmpestri(a, la, b, lb, n) | \
    (uint64_t)((_mm_cmpestrc(a, la, b, lb, n) ? X86_EFLAGS_CF : 0) | \
               (_mm_cmpestrz(a, la, b, lb, n) ? X86_EFLAGS_ZF : 0) | \
               (_mm_cmpestrs(a, la, b, lb, n) ? X86_EFLAGS_SF : 0) | \
               (_mm_cmpestro(a, la, b, lb, n) ? X86_EFLAGS_OF : 0)) << 32;
#define CASE_STRM(n) case n: return _mm_cmpistrm(a, b, n);
#define CASE_ESTRM(n) case n: return _mm_cmpestrm(a, la, b, lb, n);
#define STR_IMMS(X) X(0x00) X(0x01) X(0x02) X(0x03) X(0x04) X(0x05) X(0x06) X(0x07) X(0x08) X(0x09) \
    X(0x0a) X(0x0b) X(0x0c) X(0x0d) X(0x0e) X(0x0f) X(0x10) X(0x14) X(0x18) X(0x1c) X(0x30) X(0x34) \
    X(0x38) X(0x3c) X(0x3a) X(0x40) X(0x44) X(0x48) X(0x4c) X(0x70) X(0x7d) X(0x12) X(0x1a) X(0x3d)
static const uint8_t str_imms[] = { STR_IMMS(IMM_ARRAY_EL) };

static uint64_t ref_istri(__m128i a, __m128i b, unsigned imm)
{
    switch (imm) { STR_IMMS(CASE_STRI) }
    fail();
    return 0;
}
static uint64_t ref_estri(__m128i a, int la, __m128i b, int lb, unsigned imm)
{
    switch (imm) { STR_IMMS(CASE_ESTRI) }
    fail();
    return 0;
}
static __m128i ref_istrm(__m128i a, __m128i b, unsigned imm)
{
    switch (imm) { STR_IMMS(CASE_STRM) }
    fail();
    return a;
}
static __m128i ref_estrm(__m128i a, int la, __m128i b, int lb, unsigned imm)
{
    switch (imm) { STR_IMMS(CASE_ESTRM) }
    fail();
    return a;
}

static void rnd_string(X86Vec256 *v)
{
    static const uint8_t alpha[] = { 0, 'a', 'b', 'c', 0x80, 0xff, 'a', 'b' };
    unsigned zero_from = (rnd() & 1) ? (unsigned)(rnd() % 20) : 99;
    for (unsigned i = 0; i < 16; i++)
        v->b[i] = i >= zero_from ? 0 : alpha[rnd() & 7];
    if ((rnd() & 3) == 0)
        for (unsigned i = 0; i < 16; i++)
            if (!v->b[i])
                v->b[i] = 'a';
}

static void test_strcmp(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS * 20; it++) {
        rnd_state(cpu, 0);
        rnd_string(&cpu->vec.ymm[3]);
        rnd_string(&cpu->vec.ymm[5]);
        if ((rnd() & 3) == 0)
            memcpy(&cpu->vec.ymm[5].b[rnd() & 7], &cpu->vec.ymm[3], 4);
        unsigned imm = str_imms[rnd() % sizeof(str_imms)];
        __m128i a = LD128(&cpu->vec.ymm[3]), b = LD128(&cpu->vec.ymm[5]);
        int la = (int)(rnd() % 40) - 20, lb = (int)(rnd() % 40) - 20;
        uint64_t got = helper_vec_pcmpistri(cpu, X86V_DESC(0, 3, 5, 0, imm));
        if (got != ref_istri(a, b, imm)) {
            print_error("pcmpistri imm 0x%02x: got %llx want %llx\n", imm, (unsigned long long)got,
                        (unsigned long long)ref_istri(a, b, imm));
            fail();
        }
        got = helper_vec_pcmpestri(cpu, X86V_DESC(0, 3, 5, 0, imm), (uint64_t)(int64_t)la, (uint64_t)(int64_t)lb);
        if (got != ref_estri(a, la, b, lb, imm)) {
            print_error("pcmpestri imm 0x%02x la %d lb %d: got %llx want %llx\n", imm, la, lb,
                        (unsigned long long)got, (unsigned long long)ref_estri(a, la, b, lb, imm));
            fail();
        }
        __m128i w = ref_istrm(a, b, imm);
        helper_vec_pcmpistrm(cpu, X86V_DESC(0, 3, 5, 0, imm));
        assert_memory_equal(&cpu->vec.ymm[0], &w, 16);
        w = ref_estrm(a, la, b, lb, imm);
        helper_vec_pcmpestrm(cpu, X86V_DESC(0, 3, 5, 0, imm), (uint64_t)(int64_t)la, (uint64_t)(int64_t)lb);
        assert_memory_equal(&cpu->vec.ymm[0], &w, 16);
    }
    free(cpu);
}

/* ---- FMA: the three operand orders, packed and scalar ---- */
#define FMA_REF(fn, t, intr, cast, icast, ld, st) \
    static void fn(X86Vec256 *d, const X86Vec256 *s1, const X86Vec256 *s2, unsigned order) \
    { \
        t x = cast(ld(d)), y = cast(ld(s1)), z = cast(ld(s2)), r; \
        r = order == 0 ? intr(x, z, y) : order == 1 ? intr(y, x, z) : intr(y, z, x); \
        st(d, icast(r)); \
    }
FMA_REF(fma_ps128, __m128, _mm_fmadd_ps, PS, IPS, LD128, ST128)
FMA_REF(fma_ps256, __m256, _mm256_fmadd_ps, PS2, IPS2, LD256, ST256)
FMA_REF(fnmsub_pd128, __m128d, _mm_fnmsub_pd, PD, IPD, LD128, ST128)
FMA_REF(fmaddsub_pd256, __m256d, _mm256_fmaddsub_pd, PD2, IPD2, LD256, ST256)
/* scalar: bits 127:32 (127:64) are d's, whatever the order */
#define FMA_REF_S(fn, t, intr, cast, icast, bytes) \
    FMA_REF(fn##_all, t, intr, cast, icast, LD128, ST128) \
    static void fn(X86Vec256 *d, const X86Vec256 *s1, const X86Vec256 *s2, unsigned order) \
    { \
        X86Vec256 r = *d; \
        fn##_all(&r, s1, s2, order); \
        memcpy(d, &r, bytes); \
    }
FMA_REF_S(fmsub_ss, __m128, _mm_fmsub_ss, PS, IPS, 4)
FMA_REF_S(fnmadd_sd, __m128d, _mm_fnmadd_sd, PD, IPD, 8)

static void test_fma(void **state)
{
    (void)state;
    static const struct {
        uint32_t (*fn)(void *, uint32_t);
        void (*ref)(X86Vec256 *, const X86Vec256 *, const X86Vec256 *, unsigned);
        uint32_t flags;
        int kind;
    } fma[] = {
        { helper_vec_fmaddps, fma_ps128, X86V_VEX, 1 },
        { helper_vec_fmaddps, fma_ps256, X86V_VEX | X86V_L256, 1 },
        { helper_vec_fnmsubpd, fnmsub_pd128, X86V_VEX, 2 },
        { helper_vec_fmaddsubpd, fmaddsub_pd256, X86V_VEX | X86V_L256, 2 },
        { helper_vec_fmsubss, fmsub_ss, X86V_VEX, 1 },
        { helper_vec_fnmaddsd, fnmadd_sd, X86V_VEX, 2 },
    };
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS; it++)
        for (unsigned k = 0; k < sizeof(fma) / sizeof(fma[0]); k++) {
            rnd_state(cpu, fma[k].kind);
            unsigned order = (unsigned)(rnd() % 3);
            uint32_t mx = X86_MXCSR_DEFAULT | ((uint32_t)rnd() & X86_MXCSR_RC);
            X86Vec256 want = { 0 };
            memcpy(&want, &cpu->vec.ymm[7], (fma[k].flags & X86V_L256) ? 32 : 16);
            uint32_t saved = host_flags_begin(mx);
            fma[k].ref(&want, &cpu->vec.ymm[3], &cpu->vec.ymm[5], order);
            uint32_t f = host_flags_end(saved);
            x86_vec_mxcsr_set(cpu, mx);
            fma[k].fn(cpu, X86V_DESC(7, 3, 5, fma[k].flags, order));
            /* Which NaN operand a NaN result is depends on the encoding
             * (132/213/231), which the compiler picks for the intrinsic:
             * a NaN result only has to be a NaN here. */
            for (unsigned e = 0; e < 8; e++) {
                if (fma[k].kind == 1) {
                    uint32_t g = cpu->vec.ymm[7].l[e], w = want.l[e];
                    if ((g & 0x7fffffff) > 0x7f800000 && (w & 0x7fffffff) > 0x7f800000)
                        continue;
                    assert_int_equal(g, w);
                } else if (e < 4) {
                    uint64_t g = cpu->vec.ymm[7].q[e], w = want.q[e];
                    if ((g << 1) > 0xffe0000000000000ull && (w << 1) > 0xffe0000000000000ull)
                        continue;
                    assert_int_equal(g, w);
                }
            }
            assert_int_equal(x86_vec_mxcsr_get(cpu), mx | f);
        }
    free(cpu);
}

/* ---- MMX forms with their own semantics ---- */
static void test_mmx_specific(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    for (unsigned it = 0; it < ITERS; it++) {
        rnd_state(cpu, 0);
        __m64 a = (__m64)cpu->fpu.r[3].mant, b = (__m64)cpu->fpu.r[5].mant;
        uint64_t want;
#define CHECK_MMX(helper, expr, imm) \
        want = (uint64_t)(expr); \
        cpu->fpu.r[6].mant = cpu->fpu.r[3].mant; \
        helper(cpu, X86V_DESC(6, 6, 5, X86V_MMX, imm)); \
        assert_int_equal(cpu->fpu.r[6].mant, want);
        CHECK_MMX(helper_vec_phaddw, _mm_hadd_pi16(a, b), 0)
        CHECK_MMX(helper_vec_phsubsw, _mm_hsubs_pi16(a, b), 0)
        CHECK_MMX(helper_vec_packsswb, _mm_packs_pi16(a, b), 0)
        CHECK_MMX(helper_vec_packuswb, _mm_packs_pu16(a, b), 0)
        CHECK_MMX(helper_vec_punpckhbw, _mm_unpackhi_pi8(a, b), 0)
        CHECK_MMX(helper_vec_punpckldq, _mm_unpacklo_pi32(a, b), 0)
        CHECK_MMX(helper_vec_pshufb, _mm_shuffle_pi8(a, b), 0)
        CHECK_MMX(helper_vec_palignr, _mm_alignr_pi8(a, b, 3), 3)
        CHECK_MMX(helper_vec_palignr, _mm_alignr_pi8(a, b, 11), 11)
        CHECK_MMX(helper_vec_pshufw, _mm_shuffle_pi16(b, 0x4e), 0x4e)
        _mm_empty();
        /* cvtpi2ps / cvtps2pi */
        X86Vec256 old = cpu->vec.ymm[7];
        helper_vec_cvtpi2ps(cpu, X86V_DESC(7, 7, 5, X86V_MMX, 0));
        __m128 w = _mm_cvtpi32_ps(PS(LD128(&old)), b);
        _mm_empty();
        assert_memory_equal(&cpu->vec.ymm[7], &w, 16);
        helper_vec_cvttps2pi(cpu, X86V_DESC(2, 0, 7, X86V_MMX, 0));
        assert_int_equal(cpu->fpu.r[2].mant, (uint64_t)_mm_cvttps_pi32(w));
        _mm_empty();
    }
    free(cpu);
}

/* ---- #XM: an unmasked exception leaves the destination and raises ---- */
static void test_unmasked_exception(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    rnd_state(cpu, 1);
    cpu->vec.ymm[3].s[0] = 1.0f;
    cpu->vec.ymm[5].s[0] = 0.0f;
    X86Vec256 old = cpu->vec.ymm[3];
    x86_vec_mxcsr_set(cpu, X86_MXCSR_DEFAULT & ~(1u << 9));   /* ZE unmasked */
    assert_int_equal(helper_vec_divss(cpu, X86V_DESC(3, 3, 5, 0, 0)), 1);   /* #XM */
    assert_true(cpu->vec.mxcsr & 4);                    /* ZE set */
    assert_memory_equal(&cpu->vec.ymm[3], &old, 32);
    /* masked: the infinity, ZE sticky */
    x86_vec_mxcsr_set(cpu, X86_MXCSR_DEFAULT);
    assert_int_equal(helper_vec_divss(cpu, X86V_DESC(3, 3, 5, 0, 0)), 0);
    assert_int_equal(cpu->vec.ymm[3].l[0], 0x7f800000);
    assert_int_equal(x86_vec_mxcsr_get(cpu), X86_MXCSR_DEFAULT | 4);
    /* a plain store to vec.mxcsr (FXRSTOR, a signal frame) drops the
     * flags pending in the host */
    cpu->vec.ymm[6].l[0] = 0x3f800000;
    cpu->vec.ymm[4].l[0] = 0x3f800000;
    cpu->vec.mxcsr = X86_MXCSR_DEFAULT | 0x20;
    assert_int_equal(helper_vec_divss(cpu, X86V_DESC(4, 4, 6, 0, 0)), 0);   /* 1/1: exact */
    assert_int_equal(x86_vec_mxcsr_get(cpu), X86_MXCSR_DEFAULT | 0x20);
    /* ldmxcsr: reserved bits are #GP */
    if (sigsetjmp(cpu->common.jmp_env, 0) == 0) {
        helper_vec_ldmxcsr(cpu, 0, 0x11f80);
        fail_msg("ldmxcsr with a reserved bit did not raise");
    }
    assert_int_equal(cpu->common.exception_index, X86_EXCP_GP);
    helper_vec_ldmxcsr(cpu, 0, 0x9fc0);
    assert_int_equal(cpu->vec.mxcsr, 0x9fc0);
    free(cpu);
}

static void test_vzero(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    rnd_state(cpu, 0);
    X86Vec256 r9 = cpu->vec.ymm[9];
    helper_vec_vzeroupper(cpu, X86V_DESC(0, 0, 0, 0, 8));      /* 32-bit code: ymm0-7 */
    assert_true(cpu->vec.ymm[7].q[2] == 0 && cpu->vec.ymm[7].q[3] == 0);
    assert_memory_equal(&cpu->vec.ymm[9], &r9, 32);
    helper_vec_vzeroupper(cpu, 0);
    assert_true(cpu->vec.ymm[15].q[3] == 0 && cpu->vec.ymm[15].q[0] == cpu->vec.ymm[15].q[0]);
    helper_vec_vzeroall(cpu, 0);
    for (unsigned i = 0; i < 16; i++)
        for (unsigned j = 0; j < 4; j++)
            assert_int_equal(cpu->vec.ymm[i].q[j], 0);
    free(cpu);
}

int main(void)
{
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") ||
        !__builtin_cpu_supports("aes") || !__builtin_cpu_supports("pclmul") ||
        !__builtin_cpu_supports("sse4.2")) {
        printf("SKIP test-x86-vec (the host lacks AVX2/FMA/AES/PCLMUL/SSE4.2 for the references)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_cases),
        cmocka_unit_test(test_masks_extract_insert),
        cmocka_unit_test(test_blendv),
        cmocka_unit_test(test_scalar_int),
        cmocka_unit_test(test_strcmp),
        cmocka_unit_test(test_fma),
        cmocka_unit_test(test_mmx_specific),
        cmocka_unit_test(test_unmasked_exception),
        cmocka_unit_test(test_vzero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
