/* tests/aarch64-host/x86-fp.c — SSE, SSE2, SSE3, SSE4.1, AVX, FMA and F16C
 * floating point on special operands (zeros, infinities, quiet and
 * signalling NaNs, denormals, the smallest normal, integer-range edges,
 * products at the underflow boundary) in every MXCSR rounding mode with
 * FTZ and DAZ off and on: one line per operation and mode with a hash of
 * the results and the MXCSR flags raised.  Run natively (the oracle) and
 * under vemu-x86_64 / vemu-i386 built for aarch64, where the portable
 * helpers (frontend-x86/x86-vec-fp-soft*.c) do the work.  Lines starting
 * "w:" exist only in the x86_64 build (64-bit integer conversions).
 * Built with -O2 -mavx2 -mfma -mf16c. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint32_t f32v[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7fa00001, 0xff812345,
    0x00000001, 0x807fffff, 0x00400000, 0x00800000, 0x80800000, 0x3f800000, 0xbf800000, 0x3fc00000,
    0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x5f000000, 0x3f000000, 0x1f800001, 0x1fffffff,
    0x477fe000, 0x477ff000, 0x387fc000, 0x33800001, 0x40490fdb, 0xc2f6e979, 0x4effffff, 0x0d18eed4,
};
static const uint64_t f64v[] = {
    0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0xfff8000000000001ull, 0x7ff4000000000001ull, 0xfff0000000000123ull, 1, 0x800fffffffffffffull,
    0x0008000000000000ull, 0x0010000000000000ull, 0x8010000000000000ull, 0x3ff0000000000000ull,
    0xbff0000000000000ull, 0x3ff8000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x43e0000000000000ull, 0x3fe0000000000000ull,
    0x1ff0000000000001ull, 0x1fffffffffffffffull, 0x41dfffffffc00000ull, 0xc1e0000000100000ull,
    0x47efffffe0000000ull, 0x380fffffffffffffull, 0x400921fb54442d18ull, 0xc05edd2f1a9fbe77ull,
    0x36a0000000000001ull, 0x0d18eed4a5a5a5a5ull,
};
#define NV 32

static uint64_t hash;
static void mix(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        hash = (hash ^ b[i]) * 0x100000001b3ull;
}

/* the four rounding modes, FTZ, and FTZ with DAZ rounding up */
static const unsigned modes[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0xdfc0 };
#define NMODES (sizeof modes / sizeof modes[0])

static volatile uint32_t vf[NV];
static volatile uint64_t vd[NV];

static void begin(unsigned mode)
{
    hash = 0xcbf29ce484222325ull;
    _mm_setcsr(mode);
}
static void end(const char *prefix, const char *name, unsigned mode)
{
    unsigned flags = _mm_getcsr() & 0x3f;
    _mm_setcsr(0x1f80);
    printf("%s%-12s %04x %016llx %02x\n", prefix, name, mode, (unsigned long long)hash, flags);
}

static __m128 ps4(unsigned i, unsigned j)   /* four floats from the table */
{
    uint32_t w[4] = { vf[i % NV], vf[j % NV], vf[(i + j) % NV], vf[(i * 7 + j + 3) % NV] };
    __m128 r;
    memcpy(&r, w, 16);
    return r;
}
static __m128d pd2(unsigned i, unsigned j)
{
    uint64_t w[2] = { vd[i % NV], vd[j % NV] };
    __m128d r;
    memcpy(&r, w, 16);
    return r;
}

/* The operations a compiler may commute (which changes the NaN chosen) as
 * fixed instructions: r = a op b, and r = a * b +- c (the 231 forms). */
#define V3(insn, a, b) \
    ({ __typeof__(a) r_; __asm__("v" insn " %2, %1, %0" : "=x"(r_) : "x"(a), "x"(b)); r_; })
#define V3I(insn, imm, a, b) \
    ({ __typeof__(a) r_; __asm__("v" insn " $" #imm ", %2, %1, %0" : "=x"(r_) : "x"(a), "x"(b)); r_; })
#define FMA231(insn, a, b, c) \
    ({ __typeof__(a) r_ = (c); __asm__("v" insn " %2, %1, %0" : "+x"(r_) : "x"(a), "x"(b)); r_; })

#define PS_BIN(name, expr) \
    static void t_##name(unsigned mode) \
    { \
        begin(mode); \
        for (unsigned i = 0; i < NV; i++) \
            for (unsigned j = 0; j < NV; j++) { \
                __m128 a = ps4(i, j), b = ps4(j, i + 1); \
                __m128 r = (expr); (void)b; \
                mix(&r, 16); \
            } \
        end("", #name, mode); \
    }
#define PD_BIN(name, expr) \
    static void t_##name(unsigned mode) \
    { \
        begin(mode); \
        for (unsigned i = 0; i < NV; i++) \
            for (unsigned j = 0; j < NV; j++) { \
                __m128d a = pd2(i, j), b = pd2(j, i); \
                __m128d r = (expr); (void)b; \
                mix(&r, 16); \
            } \
        end("", #name, mode); \
    }
#define I_OUT(prefix, name, T, expr) \
    static void t_##name(unsigned mode) \
    { \
        begin(mode); \
        for (unsigned i = 0; i < NV; i++) \
            for (unsigned j = 0; j < NV; j++) { \
                __m128 a = ps4(i, j); \
                __m128d d = pd2(i, j); \
                (void)a; (void)d; \
                T r = (expr); \
                mix(&r, sizeof r); \
            } \
        end(prefix, #name, mode); \
    }

PS_BIN(addps, V3("addps", a, b)) PS_BIN(subps, _mm_sub_ps(a, b)) PS_BIN(mulps, V3("mulps", a, b))
PS_BIN(divps, _mm_div_ps(a, b)) PS_BIN(minps, _mm_min_ps(a, b)) PS_BIN(maxps, _mm_max_ps(a, b))
PS_BIN(sqrtps, _mm_sqrt_ps(a)) PS_BIN(addss, V3("addss", a, b)) PS_BIN(mulss, V3("mulss", a, b))
PS_BIN(divss, _mm_div_ss(a, b)) PS_BIN(sqrtss, _mm_sqrt_ss(a)) PS_BIN(minss, _mm_min_ss(a, b))
PS_BIN(addsubps, _mm_addsub_ps(a, b)) PS_BIN(haddps, _mm_hadd_ps(a, b)) PS_BIN(hsubps, _mm_hsub_ps(a, b))
PS_BIN(cmpltps, _mm_cmplt_ps(a, b)) PS_BIN(cmpunordps, V3I("cmpps", 3, a, b))
PS_BIN(cmpnleps, _mm_cmpnle_ps(a, b)) PS_BIN(cmpeqss, V3I("cmpss", 0, a, b))
PS_BIN(vcmpgtoq, _mm_cmp_ps(a, b, _CMP_GT_OQ)) PS_BIN(vcmpnequs, V3I("cmpps", 20, a, b))
PS_BIN(roundps0, _mm_round_ps(a, 0)) PS_BIN(roundps1, _mm_round_ps(a, 1)) PS_BIN(roundps2, _mm_round_ps(a, 2))
PS_BIN(roundps3, _mm_round_ps(a, 3)) PS_BIN(roundps4, _mm_round_ps(a, 4)) PS_BIN(roundps12, _mm_round_ps(a, 12))
PS_BIN(dpps, V3I("dpps", 0xf3, a, b)) PS_BIN(dpps5a, V3I("dpps", 0x5a, a, b))
PS_BIN(cvtdq2ps, _mm_cvtepi32_ps(_mm_castps_si128(a)))
PS_BIN(cvtps2dq, _mm_castsi128_ps(_mm_cvtps_epi32(a))) PS_BIN(cvttps2dq, _mm_castsi128_ps(_mm_cvttps_epi32(a)))
PS_BIN(cvtpd2ps, _mm_cvtpd_ps(_mm_castps_pd(a))) PS_BIN(cvtsd2ss, _mm_cvtsd_ss(b, _mm_castps_pd(a)))
PS_BIN(fmaddps, FMA231("fmadd231ps", a, b, ps4(i + j, 5))) PS_BIN(fmsubps, FMA231("fmsub231ps", a, b, ps4(j, 7)))
PS_BIN(fnmaddps, FMA231("fnmadd231ps", a, b, ps4(i + 3, j))) PS_BIN(fnmsubss, FMA231("fnmsub231ss", a, b, ps4(i + 3, j)))
PS_BIN(fmaddsubps, FMA231("fmaddsub231ps", a, b, ps4(i, j + 9)))
PS_BIN(cvtps2ph, _mm_castsi128_ps(_mm_cvtps_ph(a, 4))) PS_BIN(cvtps2ph1, _mm_castsi128_ps(_mm_cvtps_ph(a, 1)))
PS_BIN(cvtph2ps, _mm_cvtph_ps(_mm_castps_si128(a)))
PD_BIN(addpd, V3("addpd", a, b)) PD_BIN(subpd, _mm_sub_pd(a, b)) PD_BIN(mulpd, V3("mulpd", a, b))
PD_BIN(divpd, _mm_div_pd(a, b)) PD_BIN(minpd, _mm_min_pd(a, b)) PD_BIN(maxpd, _mm_max_pd(a, b))
PD_BIN(sqrtpd, _mm_sqrt_pd(a)) PD_BIN(mulsd, V3("mulsd", a, b)) PD_BIN(divsd, _mm_div_sd(a, b))
PD_BIN(sqrtsd, _mm_sqrt_sd(a, b)) PD_BIN(addsubpd, _mm_addsub_pd(a, b)) PD_BIN(haddpd, _mm_hadd_pd(a, b))
PD_BIN(cmplepd, _mm_cmple_pd(a, b)) PD_BIN(cmpordsd, V3I("cmpsd", 7, a, b))
PD_BIN(roundpd0, _mm_round_pd(a, 0)) PD_BIN(roundsd6, _mm_round_sd(a, b, 6))
PD_BIN(dppd, V3I("dppd", 0x31, a, b)) PD_BIN(cvtps2pd, _mm_cvtps_pd(_mm_castpd_ps(a)))
PD_BIN(cvtss2sd, _mm_cvtss_sd(b, _mm_castpd_ps(a))) PD_BIN(cvtdq2pd, _mm_cvtepi32_pd(_mm_castpd_si128(a)))
PD_BIN(cvtpd2dq, _mm_castsi128_pd(_mm_cvtpd_epi32(a))) PD_BIN(cvttpd2dq, _mm_castsi128_pd(_mm_cvttpd_epi32(a)))
PD_BIN(fmaddpd, FMA231("fmadd231pd", a, b, pd2(i + j, 5))) PD_BIN(fnmsubsd, FMA231("fnmsub231sd", a, b, pd2(i, j + 2)))
PD_BIN(fmsubaddpd, FMA231("fmsubadd231pd", a, b, pd2(j, 3)))
I_OUT("", comiss, int, _mm_comilt_ss(a, _mm_shuffle_ps(a, a, 1)) * 4 + _mm_comieq_ss(a, _mm_shuffle_ps(a, a, 1)))
I_OUT("", ucomisd, int, _mm_ucomigt_sd(d, _mm_unpackhi_pd(d, d)) * 4 + _mm_ucomineq_sd(d, _mm_unpackhi_pd(d, d)))
I_OUT("", cvtss2si, int, _mm_cvtss_si32(a)) I_OUT("", cvttsd2si, int, _mm_cvttsd_si32(d))
/* the instruction itself: a compiler may convert (float)int with x87 */
I_OUT("", cvtsi2ss, int, ({ __m128 r_; int n_ = (int)(vf[i] ^ vf[j] << 3);
      __asm__("vcvtsi2ssl %2, %1, %0" : "=x"(r_) : "x"(a), "rm"(n_)); _mm_cvtsi128_si32(_mm_castps_si128(r_)); }))
/* RCPPS/RSQRTPS: their bits differ between x86 implementations; the hash
 * takes the class of each result and whether it is within the SDM's
 * relative error of 1.5 * 2^-12 */
static void t_rcp_rsqrt(unsigned mode)
{
    begin(mode);
    for (unsigned i = 0; i < NV; i++)
        for (unsigned j = 0; j < NV; j++) {
            __m128 a = ps4(i, j);
            for (int sq = 0; sq < 2; sq++) {
                uint32_t rb[4];
                __m128 r = sq ? _mm_rsqrt_ps(a) : _mm_rcp_ps(a);
                unsigned csr = _mm_getcsr();
                _mm_setcsr(0x1f80);
                /* the check in SSE2 double arithmetic (an i386 build's C
                 * doubles would be x87 ones) */
                float af[4], rf[4];
                _mm_storeu_si128((__m128i *)rb, _mm_castps_si128(r));
                _mm_storeu_ps(af, a);
                _mm_storeu_ps(rf, r);
                for (int k = 0; k < 4; k++) {
                    __m128d x = _mm_cvtss_sd(_mm_setzero_pd(), _mm_load_ss(&af[k]));
                    __m128d y = _mm_cvtss_sd(_mm_setzero_pd(), _mm_load_ss(&rf[k]));
                    __m128d want = _mm_div_sd(_mm_set_sd(1.0), sq ? _mm_sqrt_sd(x, x) : x);
                    __m128d err = _mm_div_sd(_mm_sub_sd(y, want), want);
                    __m128d aerr = _mm_andnot_pd(_mm_set_sd(-0.0), err), aw = _mm_andnot_pd(_mm_set_sd(-0.0), want);
                    uint32_t m = rb[k] & 0x7fffffffu;
                    int c = (m > 0x7f800000u) | (m == 0) << 1 | (m == 0x7f800000u) << 2 | (int)(rb[k] >> 31) << 3 |
                            _mm_comilt_sd(aerr, _mm_set_sd(0x1.8p-12)) << 4;
                    /* near the flush boundary either side is right */
                    if (_mm_comilt_sd(aw, _mm_set_sd(0x1.004p-126)) && _mm_comigt_sd(aw, _mm_set_sd(0x1.ff8p-127)))
                        c = 0;
                    mix(&c, sizeof c);
                }
                _mm_setcsr(csr);
            }
        }
    end("", "rcp_rsqrt", mode);
}
#if defined(__x86_64__)
I_OUT("w:", cvtss2si64, long long, _mm_cvtss_si64(a)) I_OUT("w:", cvttsd2si64, long long, _mm_cvttsd_si64(d))
I_OUT("w:", cvtsi2sd64, double, _mm_cvtsd_f64(_mm_cvtsi64_sd(d, (long long)(vd[i] ^ vd[j] >> 3))))
#endif

static void (*const tests[])(unsigned) = {
    t_addps, t_subps, t_mulps, t_divps, t_minps, t_maxps, t_sqrtps, t_addss, t_mulss, t_divss, t_sqrtss,
    t_minss, t_addsubps, t_haddps, t_hsubps, t_cmpltps, t_cmpunordps, t_cmpnleps, t_cmpeqss, t_vcmpgtoq,
    t_vcmpnequs, t_roundps0, t_roundps1, t_roundps2, t_roundps3, t_roundps4, t_roundps12, t_dpps, t_dpps5a,
    t_cvtdq2ps, t_cvtps2dq, t_cvttps2dq, t_cvtpd2ps, t_cvtsd2ss, t_rcp_rsqrt, t_fmaddps, t_fmsubps,
    t_fnmaddps, t_fnmsubss, t_fmaddsubps, t_cvtps2ph, t_cvtps2ph1, t_cvtph2ps, t_addpd, t_subpd, t_mulpd,
    t_divpd, t_minpd, t_maxpd, t_sqrtpd, t_mulsd, t_divsd, t_sqrtsd, t_addsubpd, t_haddpd, t_cmplepd,
    t_cmpordsd, t_roundpd0, t_roundsd6, t_dppd, t_cvtps2pd, t_cvtss2sd, t_cvtdq2pd, t_cvtpd2dq, t_cvttpd2dq,
    t_fmaddpd, t_fnmsubsd, t_fmsubaddpd, t_comiss, t_ucomisd, t_cvtss2si, t_cvttsd2si, t_cvtsi2ss,
#if defined(__x86_64__)
    t_cvtss2si64, t_cvttsd2si64, t_cvtsi2sd64,
#endif
};

int main(void)
{
    for (unsigned i = 0; i < NV; i++) {
        vf[i] = f32v[i];
        vd[i] = f64v[i];
    }
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++)
        for (unsigned m = 0; m < NMODES; m++)
            tests[t](modes[m]);
    return 0;
}
