/* avx.c — AVX, AVX2, FMA3 and F16C (the x86-64-v3 set) through intrinsics:
 * 256-bit float and integer operations, lane-crossing permutes, variable
 * shifts, gathers from a table, masked loads/stores, broadcasts, the FMA
 * forms (single rounding: results differ from mul+add), half-precision
 * conversions in every rounding mode; the float operations in the four
 * MXCSR rounding modes with and without FTZ/DAZ, with the exception flags. */
#include "x86u.h"
#include <immintrin.h>

#define NIN 16
static __m256i in[NIN];
static int32_t table[64];

static uint32_t rnd_state = 777;
static uint32_t rnd(void) { rnd_state = rnd_state * 1103515245u + 12345u; return rnd_state ^ (rnd_state >> 15); }

static void make_inputs(void)
{
    static const uint32_t f32[] = { 0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x00000001, 0x807fffff,
        0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345, 0x7f812345, 0xffc00001, 0x7f7fffff, 0x00800000,
        0x4f000000, 0xcf000001, 0x3eaaaaab, 0x40490fdb, 0x477fe000, 0x33800000, 0x38800000, 0xc7800000 };
    static const uint64_t f64[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
        0x0000000000000001ull, 0x800fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff8000000000000ull, 0x7ff8000000012345ull, 0x7ff0000000012345ull, 0x7fefffffffffffffull,
        0x41e0000000000000ull, 0xc1e0000000200000ull, 0x3fd5555555555555ull, 0x43e0000000000000ull };
    for (int i = 0; i < NIN; i++) {
        uint32_t w[8];
        uint64_t d[4];
        switch (i % 3) {
        case 0: for (int k = 0; k < 8; k++) w[k] = f32[(i + k * 5) % 22]; memcpy(&in[i], w, 32); break;
        case 1: for (int k = 0; k < 4; k++) d[k] = f64[(i + k * 7) % 16]; memcpy(&in[i], d, 32); break;
        default: for (int k = 0; k < 8; k++) w[k] = rnd(); memcpy(&in[i], w, 32); break;
        }
    }
    for (int i = 0; i < 64; i++) table[i] = (int32_t)(i * 0x01010101u ^ 0x5a5a0000u);
}

typedef __m256i (*Fn)(__m256i, __m256i, __m256i);
typedef struct { const char *name; Fn fn; int fp; } Op;
#define PS(x) _mm256_castsi256_ps(x)
#define PD(x) _mm256_castsi256_pd(x)
#define IS(x) _mm256_castps_si256(x)
#define ID(x) _mm256_castpd_si256(x)
#define P4(x) _mm_castsi128_ps(x)
#define P2(x) _mm_castsi128_pd(x)
#define LO(x) _mm256_castsi256_si128(x)
#define Z(x) _mm256_zextsi128_si256(x)
#define F(NAME, EXPR) static __m256i NAME(__m256i a, __m256i b, __m256i c) { (void)a; (void)b; (void)c; return EXPR; }
/* AVX float */
F(vaddps, IS(_mm256_add_ps(PS(a), PS(b)))) F(vmulpd, ID(_mm256_mul_pd(PD(a), PD(b))))
F(vdivps, IS(_mm256_div_ps(PS(a), PS(b)))) F(vsqrtpd, ID(_mm256_sqrt_pd(PD(a))))
F(vmaxps, IS(_mm256_max_ps(PS(a), PS(b)))) F(vminpd, ID(_mm256_min_pd(PD(a), PD(b))))
F(vcmpps_eq_uq, IS(_mm256_cmp_ps(PS(a), PS(b), _CMP_EQ_UQ))) F(vcmpps_nge_uq, IS(_mm256_cmp_ps(PS(a), PS(b), _CMP_NGE_UQ)))
F(vcmpps_lt_oq, IS(_mm256_cmp_ps(PS(a), PS(b), _CMP_LT_OQ))) F(vcmppd_neq_os, ID(_mm256_cmp_pd(PD(a), PD(b), _CMP_NEQ_OS)))
F(vcmppd_true_us, ID(_mm256_cmp_pd(PD(a), PD(b), _CMP_TRUE_US))) F(vcmpss_gt_oq, Z(_mm_castps_si128(_mm_cmp_ss(P4(LO(a)), P4(LO(b)), _CMP_GT_OQ))))
F(vaddsubpd, ID(_mm256_addsub_pd(PD(a), PD(b)))) F(vhaddps, IS(_mm256_hadd_ps(PS(a), PS(b))))
F(vdpps, IS(_mm256_dp_ps(PS(a), PS(b), 0x7d))) F(vroundps, IS(_mm256_round_ps(PS(a), _MM_FROUND_TO_NEAREST_INT)))
F(vroundpd, ID(_mm256_round_pd(PD(a), _MM_FROUND_CUR_DIRECTION))) F(vcvtps2dq, _mm256_cvtps_epi32(PS(a)))
F(vcvttpd2dq, Z(_mm256_cvttpd_epi32(PD(a)))) F(vcvtdq2pd, ID(_mm256_cvtepi32_pd(LO(a))))
F(vcvtpd2ps, Z(_mm_castps_si128(_mm256_cvtpd_ps(PD(a))))) F(vcvtps2pd, ID(_mm256_cvtps_pd(P4(LO(a)))))
F(vblendvps, IS(_mm256_blendv_ps(PS(a), PS(b), PS(c)))) F(vblendpd, ID(_mm256_blend_pd(PD(a), PD(b), 0x9)))
F(vpermilps, IS(_mm256_permute_ps(PS(a), 0x4e))) F(vpermilpsv, IS(_mm256_permutevar_ps(PS(a), b)))
F(vpermilpdv, ID(_mm256_permutevar_pd(PD(a), b))) F(vperm2f128, IS(_mm256_permute2f128_ps(PS(a), PS(b), 0x21)))
F(vperm2f128z, IS(_mm256_permute2f128_ps(PS(a), PS(b), 0x83))) F(vshufps, IS(_mm256_shuffle_ps(PS(a), PS(b), 0xb1)))
F(vunpckhpd, ID(_mm256_unpackhi_pd(PD(a), PD(b)))) F(vinsertf128, IS(_mm256_insertf128_ps(PS(a), P4(LO(b)), 1)))
F(vextractf128, Z(_mm_castps_si128(_mm256_extractf128_ps(PS(a), 1)))) F(vbroadcastss, IS(_mm256_broadcastss_ps(P4(LO(a)))))
F(vmovmsk, _mm256_setr_epi32(_mm256_movemask_ps(PS(a)), _mm256_movemask_pd(PD(a)), _mm256_movemask_epi8(a), 0, 0, 0, 0, 0))
F(vtest, _mm256_setr_epi32(_mm256_testz_ps(PS(a), PS(b)), _mm256_testc_pd(PD(a), PD(b)), _mm256_testnzc_si256(a, b),
    _mm256_testz_si256(a, a), 0, 0, 0, 0))
F(vmovshdup, IS(_mm256_movehdup_ps(PS(a)))) F(vandnpd, ID(_mm256_andnot_pd(PD(a), PD(b))))
/* AVX2 integer */
F(vpaddb, _mm256_add_epi8(a, b)) F(vpsubq, _mm256_sub_epi64(a, b)) F(vpaddsw, _mm256_adds_epi16(a, b))
F(vpsubusb, _mm256_subs_epu8(a, b)) F(vpmullw, _mm256_mullo_epi16(a, b)) F(vpmulld, _mm256_mullo_epi32(a, b))
F(vpmulhuw, _mm256_mulhi_epu16(a, b)) F(vpmuldq, _mm256_mul_epi32(a, b)) F(vpmaddwd, _mm256_madd_epi16(a, b))
F(vpmaddubsw, _mm256_maddubs_epi16(a, b)) F(vpsadbw, _mm256_sad_epu8(a, b)) F(vpavgw, _mm256_avg_epu16(a, b))
F(vpminsd, _mm256_min_epi32(a, b)) F(vpmaxub, _mm256_max_epu8(a, b)) F(vpcmpeqw, _mm256_cmpeq_epi16(a, b))
F(vpcmpgtq, _mm256_cmpgt_epi64(a, b)) F(vpacksswb, _mm256_packs_epi16(a, b)) F(vpackusdw, _mm256_packus_epi32(a, b))
F(vpunpcklbw, _mm256_unpacklo_epi8(a, b)) F(vpunpckhdq, _mm256_unpackhi_epi32(a, b)) F(vpshufb, _mm256_shuffle_epi8(a, b))
F(vpshufd, _mm256_shuffle_epi32(a, 0x1b)) F(vpshufhw, _mm256_shufflehi_epi16(a, 0x93)) F(vpalignr, _mm256_alignr_epi8(a, b, 9))
F(vpsllw, _mm256_slli_epi16(a, 7)) F(vpsrad, _mm256_srai_epi32(a, 40)) F(vpsrlq, _mm256_srl_epi64(a, LO(b)))
F(vpslldq, _mm256_slli_si256(a, 3)) F(vpsllvd, _mm256_sllv_epi32(a, _mm256_and_si256(b, _mm256_set1_epi32(0x3f))))
F(vpsrlvq, _mm256_srlv_epi64(a, _mm256_and_si256(b, _mm256_set1_epi64x(0x7f)))) F(vpsravd, _mm256_srav_epi32(a, _mm256_and_si256(b, _mm256_set1_epi32(0x3f))))
F(vpermd, _mm256_permutevar8x32_epi32(a, b)) F(vpermq, _mm256_permute4x64_epi64(a, 0x72)) F(vpermps, IS(_mm256_permutevar8x32_ps(PS(a), b)))
F(vperm2i128, _mm256_permute2x128_si256(a, b, 0x31)) F(vpblendd, _mm256_blend_epi32(a, b, 0xa5)) F(vpblendvb, _mm256_blendv_epi8(a, b, c))
F(vpbroadcastb, _mm256_broadcastb_epi8(LO(a))) F(vpbroadcastq, _mm256_broadcastq_epi64(LO(a))) F(vinserti128, _mm256_inserti128_si256(a, LO(b), 0))
F(vextracti128, Z(_mm256_extracti128_si256(a, 1))) F(vpmovzxbw, _mm256_cvtepu8_epi16(LO(a))) F(vpmovsxwq, _mm256_cvtepi16_epi64(LO(a)))
F(vpabsw, _mm256_abs_epi16(a)) F(vpsignd, _mm256_sign_epi32(a, b)) F(vphaddd, _mm256_hadd_epi32(a, b)) F(vmpsadbw, _mm256_mpsadbw_epu8(a, b, 0x2d))
F(vpgatherdd, _mm256_i32gather_epi32(table, _mm256_and_si256(a, _mm256_set1_epi32(63)), 4))
F(vpgatherqq, _mm256_mask_i64gather_epi64(b, (const long long *)table, _mm256_and_si256(a, _mm256_set1_epi64x(31)), c, 8))
F(vgatherdps, IS(_mm256_mask_i32gather_ps(PS(b), (const float *)table, _mm256_and_si256(a, _mm256_set1_epi32(15)), PS(c), 4)))
F(vpmaskmovd, _mm256_maskload_epi32(table + 8, c))
F(vmaskmovps_store, ({ int32_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }; _mm256_maskstore_ps((float *)buf, c, PS(a)); _mm256_loadu_si256((const __m256i *)buf); }))
F(vzeroupper_keeps_low, ({ __m128i lo = LO(a); _mm256_zeroupper(); Z(lo); }))
/* FMA */
F(vfmadd_ps, IS(_mm256_fmadd_ps(PS(a), PS(b), PS(c)))) F(vfmsub_pd, ID(_mm256_fmsub_pd(PD(a), PD(b), PD(c))))
F(vfnmadd_ps, IS(_mm256_fnmadd_ps(PS(a), PS(b), PS(c)))) F(vfnmsub_pd, ID(_mm256_fnmsub_pd(PD(a), PD(b), PD(c))))
F(vfmaddsub_ps, IS(_mm256_fmaddsub_ps(PS(a), PS(b), PS(c)))) F(vfmsubadd_pd, ID(_mm256_fmsubadd_pd(PD(a), PD(b), PD(c))))
F(vfmadd_ss, Z(_mm_castps_si128(_mm_fmadd_ss(P4(LO(a)), P4(LO(b)), P4(LO(c))))))
F(vfnmsub_sd, Z(_mm_castpd_si128(_mm_fnmsub_sd(P2(LO(a)), P2(LO(b)), P2(LO(c))))))
F(vfmadd128_pd, Z(_mm_castpd_si128(_mm_fmadd_pd(P2(LO(a)), P2(LO(b)), P2(LO(c))))))
/* F16C */
F(vcvtph2ps, IS(_mm256_cvtph_ps(LO(a)))) F(vcvtps2ph_cur, Z(_mm256_cvtps_ph(PS(a), _MM_FROUND_CUR_DIRECTION)))
F(vcvtps2ph_rz, Z(_mm256_cvtps_ph(PS(a), _MM_FROUND_TO_ZERO))) F(vcvtps2ph_rn, Z(_mm_cvtps_ph(P4(LO(a)), _MM_FROUND_TO_NEAREST_INT)))

#define R(n, fp) { #n, n, fp },
static const Op ops[] = {
    R(vaddps, 1) R(vmulpd, 1) R(vdivps, 1) R(vsqrtpd, 1) R(vmaxps, 1) R(vminpd, 1) R(vcmpps_eq_uq, 1) R(vcmpps_nge_uq, 1)
    R(vcmpps_lt_oq, 1) R(vcmppd_neq_os, 1) R(vcmppd_true_us, 1) R(vcmpss_gt_oq, 1) R(vaddsubpd, 1) R(vhaddps, 1) R(vdpps, 1)
    R(vroundps, 1) R(vroundpd, 1) R(vcvtps2dq, 1) R(vcvttpd2dq, 1) R(vcvtdq2pd, 1) R(vcvtpd2ps, 1) R(vcvtps2pd, 1)
    R(vblendvps, 0) R(vblendpd, 0) R(vpermilps, 0) R(vpermilpsv, 0) R(vpermilpdv, 0) R(vperm2f128, 0) R(vperm2f128z, 0)
    R(vshufps, 0) R(vunpckhpd, 0) R(vinsertf128, 0) R(vextractf128, 0) R(vbroadcastss, 0) R(vmovmsk, 0) R(vtest, 0)
    R(vmovshdup, 0) R(vandnpd, 0)
    R(vpaddb, 0) R(vpsubq, 0) R(vpaddsw, 0) R(vpsubusb, 0) R(vpmullw, 0) R(vpmulld, 0) R(vpmulhuw, 0) R(vpmuldq, 0)
    R(vpmaddwd, 0) R(vpmaddubsw, 0) R(vpsadbw, 0) R(vpavgw, 0) R(vpminsd, 0) R(vpmaxub, 0) R(vpcmpeqw, 0) R(vpcmpgtq, 0)
    R(vpacksswb, 0) R(vpackusdw, 0) R(vpunpcklbw, 0) R(vpunpckhdq, 0) R(vpshufb, 0) R(vpshufd, 0) R(vpshufhw, 0)
    R(vpalignr, 0) R(vpsllw, 0) R(vpsrad, 0) R(vpsrlq, 0) R(vpslldq, 0) R(vpsllvd, 0) R(vpsrlvq, 0) R(vpsravd, 0)
    R(vpermd, 0) R(vpermq, 0) R(vpermps, 0) R(vperm2i128, 0) R(vpblendd, 0) R(vpblendvb, 0) R(vpbroadcastb, 0)
    R(vpbroadcastq, 0) R(vinserti128, 0) R(vextracti128, 0) R(vpmovzxbw, 0) R(vpmovsxwq, 0) R(vpabsw, 0) R(vpsignd, 0)
    R(vphaddd, 0) R(vmpsadbw, 0) R(vpgatherdd, 0) R(vpgatherqq, 0) R(vgatherdps, 0) R(vpmaskmovd, 0) R(vmaskmovps_store, 0)
    R(vzeroupper_keeps_low, 0)
    R(vfmadd_ps, 1) R(vfmsub_pd, 1) R(vfnmadd_ps, 1) R(vfnmsub_pd, 1) R(vfmaddsub_ps, 1) R(vfmsubadd_pd, 1) R(vfmadd_ss, 1)
    R(vfnmsub_sd, 1) R(vfmadd128_pd, 1) R(vcvtph2ps, 1) R(vcvtps2ph_cur, 1) R(vcvtps2ph_rz, 1) R(vcvtps2ph_rn, 1)
};

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    make_inputs();
    unsigned saved = _mm_getcsr();
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        Hash h;
        hash_init(&h);
        int v = verbose_for(ops[o].name);
        int modes = ops[o].fp ? 8 : 1;
        for (int m = 0; m < modes; m++)
            for (int i = 0; i < NIN; i++)
                for (int j = 0; j < NIN; j++) {
                    unsigned csr = 0x1f80 | (unsigned)(m & 3) << 13 | (m & 4 ? 0x8040 : 0);
                    _mm_setcsr(csr);
                    __m256i r = ops[o].fn(in[i], in[j], in[(i * 3 + j) % NIN]);
                    unsigned after = _mm_getcsr();
                    _mm_setcsr(saved);
                    uint32_t w[8];
                    memcpy(w, &r, 32);
                    char line[160];
                    snprintf(line, sizeof line, "%d %d %d: %08x %08x %08x %08x %08x %08x %08x %08x mxcsr %04x", m, i, j,
                             w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], after & 0xffff);
                    hash_str(&h, line);
                    if (v) puts(line);
                }
        printf("%s %016llx\n", ops[o].name, (unsigned long long)h.h);
    }
    return 0;
}
