/* sse.c — SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, AES-NI and PCLMULQDQ
 * through the compiler's intrinsics, over vectors of edge values (signed
 * zeros, denormals, infinities, quiet and signalling NaNs with payloads,
 * extreme integers) and random bits; the float operations in the four MXCSR
 * rounding modes with and without FTZ/DAZ, printing the result and the
 * MXCSR exception flags they raised.  rcpps/rsqrtps are left out: their
 * approximations differ between CPU vendors.  Built with -march=x86-64-v3
 * the same source exercises the VEX-encoded 128-bit forms. */
#include "x86u.h"
#include <immintrin.h>

#define NIN 20
static __m128i in[NIN];

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) { rnd_state = rnd_state * 1103515245u + 12345u; return rnd_state ^ (rnd_state >> 15); }

static void make_inputs(void)
{
    static const uint32_t f32[] = { 0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x00000001, 0x807fffff,
        0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345, 0x7f812345, 0xffc00001, 0x7f7fffff, 0x00800000,
        0x4f000000, 0xcf000001, 0x3eaaaaab, 0x40490fdb, 0x5f000000, 0x3f000000 };
    static const uint64_t f64[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
        0x0000000000000001ull, 0x800fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff8000000000000ull, 0x7ff8000000012345ull, 0x7ff0000000012345ull, 0x7fefffffffffffffull,
        0x41e0000000000000ull, 0xc1e0000000200000ull, 0x3fd5555555555555ull, 0x43e0000000000000ull };
    for (int i = 0; i < NIN; i++) {
        uint32_t w[4];
        uint64_t d[2];
        switch (i % 4) {
        case 0: for (int k = 0; k < 4; k++) w[k] = f32[(i + k * 5) % 20]; memcpy(&in[i], w, 16); break;
        case 1: for (int k = 0; k < 2; k++) d[k] = f64[(i + k * 7) % 16]; memcpy(&in[i], d, 16); break;
        case 2: for (int k = 0; k < 4; k++) w[k] = rnd(); memcpy(&in[i], w, 16); break;
        default: {
            static const uint32_t ints[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x7fff8000, 0x80007fff, 0x00ff00ff, 0x01020304, 0xfffe0001 };
            for (int k = 0; k < 4; k++) w[k] = ints[(i + k * 3) % 10];
            memcpy(&in[i], w, 16);
        }
        }
    }
}

typedef __m128i (*Fn)(__m128i, __m128i, __m128i);
typedef struct { const char *name; Fn fn; int fp; } Op;

#define PS(x) _mm_castsi128_ps(x)
#define PD(x) _mm_castsi128_pd(x)
#define IS(x) _mm_castps_si128(x)
#define ID(x) _mm_castpd_si128(x)
#define F(NAME, FP, EXPR) static __m128i NAME(__m128i a, __m128i b, __m128i c) { (void)a; (void)b; (void)c; return EXPR; }
/* floats */
F(addps, 1, IS(_mm_add_ps(PS(a), PS(b)))) F(subps, 1, IS(_mm_sub_ps(PS(a), PS(b))))
F(mulps, 1, IS(_mm_mul_ps(PS(a), PS(b)))) F(divps, 1, IS(_mm_div_ps(PS(a), PS(b))))
F(minps, 1, IS(_mm_min_ps(PS(a), PS(b)))) F(maxps, 1, IS(_mm_max_ps(PS(a), PS(b))))
F(sqrtps, 1, IS(_mm_sqrt_ps(PS(a)))) F(addss, 1, IS(_mm_add_ss(PS(a), PS(b))))
F(divss, 1, IS(_mm_div_ss(PS(a), PS(b)))) F(sqrtss, 1, IS(_mm_sqrt_ss(PS(a))))
F(cmpltps, 1, IS(_mm_cmplt_ps(PS(a), PS(b)))) F(cmpunordps, 1, IS(_mm_cmpunord_ps(PS(a), PS(b))))
F(cmpnleps, 1, IS(_mm_cmpnle_ps(PS(a), PS(b)))) F(cmpeqss, 1, IS(_mm_cmpeq_ss(PS(a), PS(b))))
F(andps, 0, IS(_mm_and_ps(PS(a), PS(b)))) F(andnps, 0, IS(_mm_andnot_ps(PS(a), PS(b))))
F(unpcklps, 0, IS(_mm_unpacklo_ps(PS(a), PS(b)))) F(unpckhps, 0, IS(_mm_unpackhi_ps(PS(a), PS(b))))
F(shufps, 0, IS(_mm_shuffle_ps(PS(a), PS(b), 0x1b))) F(movhlps, 0, IS(_mm_movehl_ps(PS(a), PS(b))))
F(cvtps2dq, 1, _mm_cvtps_epi32(PS(a))) F(cvttps2dq, 1, _mm_cvttps_epi32(PS(a)))
F(cvtdq2ps, 1, IS(_mm_cvtepi32_ps(a))) F(cvtps2pd, 1, ID(_mm_cvtps_pd(PS(a))))
F(cvtpd2ps, 1, IS(_mm_cvtpd_ps(PD(a)))) F(cvtpd2dq, 1, _mm_cvtpd_epi32(PD(a)))
F(cvttpd2dq, 1, _mm_cvttpd_epi32(PD(a))) F(cvtss2sd, 1, ID(_mm_cvtss_sd(PD(a), PS(b))))
F(cvtsd2ss, 1, IS(_mm_cvtsd_ss(PS(a), PD(b)))) F(cvtsi2ss, 1, IS(_mm_cvtsi32_ss(PS(a), _mm_cvtsi128_si32(b))))
F(cvtss2si, 1, _mm_cvtsi32_si128(_mm_cvtss_si32(PS(a)))) F(cvttsd2si, 1, _mm_cvtsi32_si128(_mm_cvttsd_si32(PD(a))))
F(cvtsi2sd, 1, ID(_mm_cvtsi32_sd(PD(a), _mm_cvtsi128_si32(b))))
F(addpd, 1, ID(_mm_add_pd(PD(a), PD(b)))) F(mulpd, 1, ID(_mm_mul_pd(PD(a), PD(b))))
F(divpd, 1, ID(_mm_div_pd(PD(a), PD(b)))) F(sqrtpd, 1, ID(_mm_sqrt_pd(PD(a))))
F(minpd, 1, ID(_mm_min_pd(PD(a), PD(b)))) F(maxsd, 1, ID(_mm_max_sd(PD(a), PD(b))))
F(cmplepd, 1, ID(_mm_cmple_pd(PD(a), PD(b)))) F(cmpordsd, 1, ID(_mm_cmpord_sd(PD(a), PD(b))))
F(subsd, 1, ID(_mm_sub_sd(PD(a), PD(b)))) F(sqrtsd, 1, ID(_mm_sqrt_sd(PD(a), PD(b))))
F(shufpd, 0, ID(_mm_shuffle_pd(PD(a), PD(b), 1)))
F(comi, 1, _mm_setr_epi32(_mm_comieq_ss(PS(a), PS(b)) | _mm_comilt_ss(PS(a), PS(b)) << 1 | _mm_comile_ss(PS(a), PS(b)) << 2
    | _mm_comigt_ss(PS(a), PS(b)) << 3 | _mm_comineq_ss(PS(a), PS(b)) << 4,
    _mm_ucomieq_sd(PD(a), PD(b)) | _mm_ucomilt_sd(PD(a), PD(b)) << 1 | _mm_ucomige_sd(PD(a), PD(b)) << 2 | _mm_ucomineq_sd(PD(a), PD(b)) << 3, 0, 0))
F(movmsk, 0, _mm_setr_epi32(_mm_movemask_ps(PS(a)), _mm_movemask_pd(PD(a)), _mm_movemask_epi8(a), 0))
/* SSE3 */
F(addsubps, 1, IS(_mm_addsub_ps(PS(a), PS(b)))) F(haddps, 1, IS(_mm_hadd_ps(PS(a), PS(b))))
F(hsubpd, 1, ID(_mm_hsub_pd(PD(a), PD(b)))) F(movshdup, 0, IS(_mm_movehdup_ps(PS(a))))
F(movddup, 0, ID(_mm_movedup_pd(PD(a))))
/* SSE2 integer */
F(paddb, 0, _mm_add_epi8(a, b)) F(paddw, 0, _mm_add_epi16(a, b)) F(paddd, 0, _mm_add_epi32(a, b))
F(paddq, 0, _mm_add_epi64(a, b)) F(psubb, 0, _mm_sub_epi8(a, b)) F(psubq, 0, _mm_sub_epi64(a, b))
F(paddsb, 0, _mm_adds_epi8(a, b)) F(paddusb, 0, _mm_adds_epu8(a, b)) F(psubsw, 0, _mm_subs_epi16(a, b))
F(psubusw, 0, _mm_subs_epu16(a, b)) F(pmullw, 0, _mm_mullo_epi16(a, b)) F(pmulhw, 0, _mm_mulhi_epi16(a, b))
F(pmulhuw, 0, _mm_mulhi_epu16(a, b)) F(pmuludq, 0, _mm_mul_epu32(a, b)) F(pmaddwd, 0, _mm_madd_epi16(a, b))
F(psadbw, 0, _mm_sad_epu8(a, b)) F(pavgb, 0, _mm_avg_epu8(a, b)) F(pavgw, 0, _mm_avg_epu16(a, b))
F(pminub, 0, _mm_min_epu8(a, b)) F(pmaxsw, 0, _mm_max_epi16(a, b)) F(pcmpeqb, 0, _mm_cmpeq_epi8(a, b))
F(pcmpgtw, 0, _mm_cmpgt_epi16(a, b)) F(pcmpgtd, 0, _mm_cmpgt_epi32(a, b)) F(packsswb, 0, _mm_packs_epi16(a, b))
F(packssdw, 0, _mm_packs_epi32(a, b)) F(packuswb, 0, _mm_packus_epi16(a, b)) F(punpcklbw, 0, _mm_unpacklo_epi8(a, b))
F(punpckhwd, 0, _mm_unpackhi_epi16(a, b)) F(punpckldq, 0, _mm_unpacklo_epi32(a, b)) F(punpckhqdq, 0, _mm_unpackhi_epi64(a, b))
F(pshufd, 0, _mm_shuffle_epi32(a, 0x9c)) F(pshuflw, 0, _mm_shufflelo_epi16(a, 0x72)) F(pshufhw, 0, _mm_shufflehi_epi16(a, 0xd8))
F(psllw, 0, _mm_slli_epi16(a, 3)) F(psrld, 0, _mm_srli_epi32(a, 31)) F(psraw, 0, _mm_srai_epi16(a, 17))
F(psrad, 0, _mm_srai_epi32(a, 5)) F(psllq, 0, _mm_slli_epi64(a, 33)) F(psrlq, 0, _mm_srli_epi64(a, 64))
F(psllw_x, 0, _mm_sll_epi16(a, _mm_and_si128(b, _mm_set_epi32(0, 0, 0, 31)))) F(psrad_x, 0, _mm_sra_epi32(a, _mm_and_si128(b, _mm_set_epi32(0, 0, 0, 63))))
F(psrlq_x, 0, _mm_srl_epi64(a, b)) F(pslldq, 0, _mm_slli_si128(a, 5)) F(psrldq, 0, _mm_srli_si128(a, 11))
F(pand, 0, _mm_and_si128(a, b)) F(pandn, 0, _mm_andnot_si128(a, b)) F(pxor, 0, _mm_xor_si128(a, b))
F(pextrw, 0, _mm_cvtsi32_si128(_mm_extract_epi16(a, 5))) F(pinsrw, 0, _mm_insert_epi16(a, _mm_cvtsi128_si32(b), 6))
F(movq, 0, _mm_move_epi64(a)) F(movsd, 0, ID(_mm_move_sd(PD(a), PD(b)))) F(movss, 0, IS(_mm_move_ss(PS(a), PS(b))))
/* SSSE3 */
F(pshufb, 0, _mm_shuffle_epi8(a, b)) F(phaddw, 0, _mm_hadd_epi16(a, b)) F(phaddsw, 0, _mm_hadds_epi16(a, b))
F(phsubd, 0, _mm_hsub_epi32(a, b)) F(pabsb, 0, _mm_abs_epi8(a)) F(pabsd, 0, _mm_abs_epi32(a))
F(psignw, 0, _mm_sign_epi16(a, b)) F(palignr, 0, _mm_alignr_epi8(a, b, 7)) F(palignr20, 0, _mm_alignr_epi8(a, b, 20))
F(pmaddubsw, 0, _mm_maddubs_epi16(a, b)) F(pmulhrsw, 0, _mm_mulhrs_epi16(a, b))
/* SSE4.1 */
F(pblendw, 0, _mm_blend_epi16(a, b, 0x5a)) F(pblendvb, 0, _mm_blendv_epi8(a, b, c)) F(blendps, 0, IS(_mm_blend_ps(PS(a), PS(b), 6)))
F(blendvpd, 0, ID(_mm_blendv_pd(PD(a), PD(b), PD(c)))) F(pminsb, 0, _mm_min_epi8(a, b)) F(pmaxud, 0, _mm_max_epu32(a, b))
F(pminuw, 0, _mm_min_epu16(a, b)) F(pmaxsd, 0, _mm_max_epi32(a, b)) F(pmulld, 0, _mm_mullo_epi32(a, b))
F(pmuldq, 0, _mm_mul_epi32(a, b)) F(packusdw, 0, _mm_packus_epi32(a, b)) F(pmovsxbd, 0, _mm_cvtepi8_epi32(a))
F(pmovzxwq, 0, _mm_cvtepu16_epi64(a)) F(pmovsxdq, 0, _mm_cvtepi32_epi64(a)) F(pcmpeqq, 0, _mm_cmpeq_epi64(a, b))
F(ptest, 0, _mm_setr_epi32(_mm_testz_si128(a, b), _mm_testc_si128(a, b), _mm_testnzc_si128(a, b), 0))
F(pextrb, 0, _mm_setr_epi32(_mm_extract_epi8(a, 13), _mm_extract_epi32(a, 2), _mm_extract_ps(PS(a), 1), 0))
F(pinsrd, 0, _mm_insert_epi32(_mm_insert_epi8(a, _mm_cvtsi128_si32(b), 9), _mm_cvtsi128_si32(b), 3))
F(insertps, 0, IS(_mm_insert_ps(PS(a), PS(b), 0x9a))) F(phminposuw, 0, _mm_minpos_epu16(a))
F(mpsadbw, 0, _mm_mpsadbw_epu8(a, b, 5)) F(roundps0, 1, IS(_mm_round_ps(PS(a), _MM_FROUND_TO_NEAREST_INT)))
F(roundps1, 1, IS(_mm_round_ps(PS(a), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))) F(roundpd4, 1, ID(_mm_round_pd(PD(a), _MM_FROUND_CUR_DIRECTION)))
F(roundss, 1, IS(_mm_round_ss(PS(a), PS(b), _MM_FROUND_TO_ZERO))) F(roundsd, 1, ID(_mm_round_sd(PD(a), PD(b), _MM_FROUND_TO_POS_INF)))
F(dpps, 1, IS(_mm_dp_ps(PS(a), PS(b), 0xf3))) F(dppd, 1, ID(_mm_dp_pd(PD(a), PD(b), 0x31)))
/* SSE4.2 */
F(pcmpgtq, 0, _mm_cmpgt_epi64(a, b))
F(pcmpistri, 0, _mm_setr_epi32(_mm_cmpistri(a, b, 0x00), _mm_cmpistri(a, b, 0x0c), _mm_cmpistri(a, b, 0x44), _mm_cmpistrz(a, b, 0x18)))
F(pcmpistrm, 0, _mm_cmpistrm(a, b, 0x40)) F(pcmpistrm1, 0, _mm_cmpistrm(a, b, 0x05))
F(pcmpestri, 0, _mm_setr_epi32(_mm_cmpestri(a, 7, b, 13, 0x01), _mm_cmpestri(a, 16, b, 3, 0x0d), _mm_cmpestra(a, 5, b, 9, 0x39), _mm_cmpestrc(a, -3, b, 20, 0x70)))
F(pcmpestrm, 0, _mm_cmpestrm(a, 11, b, 6, 0x64))
F(crc32, 0, _mm_setr_epi32((int)_mm_crc32_u32((unsigned)_mm_cvtsi128_si32(a), (unsigned)_mm_cvtsi128_si32(b)),
    (int)_mm_crc32_u8((unsigned)_mm_cvtsi128_si32(a), (unsigned char)_mm_cvtsi128_si32(b)), 0, 0))
/* AES, PCLMUL */
F(aesenc, 0, _mm_aesenc_si128(a, b)) F(aesenclast, 0, _mm_aesenclast_si128(a, b)) F(aesdec, 0, _mm_aesdec_si128(a, b))
F(aesdeclast, 0, _mm_aesdeclast_si128(a, b)) F(aesimc, 0, _mm_aesimc_si128(a)) F(aeskeygen, 0, _mm_aeskeygenassist_si128(a, 0x1b))
F(pclmul00, 0, _mm_clmulepi64_si128(a, b, 0x00)) F(pclmul11, 0, _mm_clmulepi64_si128(a, b, 0x11)) F(pclmul10, 0, _mm_clmulepi64_si128(a, b, 0x10))

#define R(n) { #n, n, 0 },
static Op ops[] = {
    R(addps) R(subps) R(mulps) R(divps) R(minps) R(maxps) R(sqrtps) R(addss) R(divss) R(sqrtss) R(cmpltps) R(cmpunordps)
    R(cmpnleps) R(cmpeqss) R(andps) R(andnps) R(unpcklps) R(unpckhps) R(shufps) R(movhlps) R(cvtps2dq) R(cvttps2dq)
    R(cvtdq2ps) R(cvtps2pd) R(cvtpd2ps) R(cvtpd2dq) R(cvttpd2dq) R(cvtss2sd) R(cvtsd2ss) R(cvtsi2ss) R(cvtss2si)
    R(cvttsd2si) R(cvtsi2sd) R(addpd) R(mulpd) R(divpd) R(sqrtpd) R(minpd) R(maxsd) R(cmplepd) R(cmpordsd) R(subsd)
    R(sqrtsd) R(shufpd) R(comi) R(movmsk) R(addsubps) R(haddps) R(hsubpd) R(movshdup) R(movddup)
    R(paddb) R(paddw) R(paddd) R(paddq) R(psubb) R(psubq) R(paddsb) R(paddusb) R(psubsw) R(psubusw) R(pmullw)
    R(pmulhw) R(pmulhuw) R(pmuludq) R(pmaddwd) R(psadbw) R(pavgb) R(pavgw) R(pminub) R(pmaxsw) R(pcmpeqb) R(pcmpgtw)
    R(pcmpgtd) R(packsswb) R(packssdw) R(packuswb) R(punpcklbw) R(punpckhwd) R(punpckldq) R(punpckhqdq) R(pshufd)
    R(pshuflw) R(pshufhw) R(psllw) R(psrld) R(psraw) R(psrad) R(psllq) R(psrlq) R(psllw_x) R(psrad_x) R(psrlq_x)
    R(pslldq) R(psrldq) R(pand) R(pandn) R(pxor) R(pextrw) R(pinsrw) R(movq) R(movsd) R(movss)
    R(pshufb) R(phaddw) R(phaddsw) R(phsubd) R(pabsb) R(pabsd) R(psignw) R(palignr) R(palignr20) R(pmaddubsw) R(pmulhrsw)
    R(pblendw) R(pblendvb) R(blendps) R(blendvpd) R(pminsb) R(pmaxud) R(pminuw) R(pmaxsd) R(pmulld) R(pmuldq)
    R(packusdw) R(pmovsxbd) R(pmovzxwq) R(pmovsxdq) R(pcmpeqq) R(ptest) R(pextrb) R(pinsrd) R(insertps) R(phminposuw)
    R(mpsadbw) R(roundps0) R(roundps1) R(roundpd4) R(roundss) R(roundsd) R(dpps) R(dppd)
    R(pcmpgtq) R(pcmpistri) R(pcmpistrm) R(pcmpistrm1) R(pcmpestri) R(pcmpestrm) R(crc32)
    R(aesenc) R(aesenclast) R(aesdec) R(aesdeclast) R(aesimc) R(aeskeygen) R(pclmul00) R(pclmul11) R(pclmul10)
};

/* which ops are floating point: those whose result depends on MXCSR */
static const char *const fp_ops[] = { "addps", "subps", "mulps", "divps", "minps", "maxps", "sqrtps", "addss", "divss",
    "sqrtss", "cmpltps", "cmpunordps", "cmpnleps", "cmpeqss", "cvtps2dq", "cvttps2dq", "cvtdq2ps", "cvtps2pd", "cvtpd2ps",
    "cvtpd2dq", "cvttpd2dq", "cvtss2sd", "cvtsd2ss", "cvtsi2ss", "cvtss2si", "cvttsd2si", "cvtsi2sd", "addpd", "mulpd",
    "divpd", "sqrtpd", "minpd", "maxsd", "cmplepd", "cmpordsd", "subsd", "sqrtsd", "comi", "addsubps", "haddps", "hsubpd",
    "roundps0", "roundps1", "roundpd4", "roundss", "roundsd", "dpps", "dppd", NULL };

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    make_inputs();
    unsigned saved = _mm_getcsr();
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int k = 0; fp_ops[k]; k++)
            if (strcmp(fp_ops[k], ops[o].name) == 0) ops[o].fp = 1;
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        Hash h;
        hash_init(&h);
        int v = verbose_for(ops[o].name);
        int modes = ops[o].fp ? 8 : 1;
        for (int m = 0; m < modes; m++)
            for (int i = 0; i < NIN; i++)
                for (int j = 0; j < NIN; j++) {
                    /* rounding mode in bits 13-14, FTZ (bit 15) and DAZ (bit 6) together; all masked */
                    unsigned csr = 0x1f80 | (unsigned)(m & 3) << 13 | (m & 4 ? 0x8040 : 0);
                    _mm_setcsr(csr);
                    __m128i r = ops[o].fn(in[i], in[j], in[(i + j) % NIN]);
                    unsigned after = _mm_getcsr();
                    _mm_setcsr(saved);
                    uint32_t w[4];
                    memcpy(w, &r, 16);
                    char line[120];
                    snprintf(line, sizeof line, "%d %d %d: %08x %08x %08x %08x mxcsr %04x", m, i, j, w[0], w[1], w[2], w[3], after & 0xffff);
                    hash_str(&h, line);
                    if (v) puts(line);
                }
        printf("%s %016llx\n", ops[o].name, (unsigned long long)h.h);
    }
    return 0;
}
