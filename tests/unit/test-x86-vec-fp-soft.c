/*
 * Unit tests for the portable SSE/AVX/FMA/F16C floating point
 * (frontend-x86/x86-vec-fp-soft*.c, x86-vec-fma-soft.c), the helpers an
 * aarch64 host runs: on this x86_64 machine they are built as x86_soft_vec_*
 * beside the host helpers (x86-vec-*-host-x86_64.c, the guest's own
 * instruction on the host CPU), and each pair runs on the same random
 * register file -- every operand form, operands biased to zeros,
 * infinities, quiet and signalling NaNs, denormals, the smallest normal,
 * integer-range edges and products/quotients that land on the underflow
 * boundary -- in every rounding mode with FTZ/DAZ on and off and some
 * exceptions unmasked.  The whole register file, the x87/MMX state, the
 * return value and MXCSR must come out identical.  RCPPS/RSQRTPS, which
 * differ between x86 implementations, are checked against their bound.
 * On another host the host helpers do not exist: the test says SKIP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#if defined(__x86_64__)

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-vec-features.h"
#include "frontend-x86/x86-vec-helpers.h"
#include "frontend-x86/x86-vec-mxcsr.h"

enum { ITERS = 4000 };

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static float f32_of(uint32_t w) { float f; memcpy(&f, &w, 4); return f; }
static uint32_t bits32(float f) { uint32_t w; memcpy(&w, &f, 4); return w; }
static double f64_of(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static uint64_t bits64(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }

static uint32_t rnd_f32(void)
{
    static const uint32_t special[] = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0xff812345,
        0x00000001, 0x807fffff, 0x00400000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x00800000,
        0x80800000, 0x007fffff, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x3f000000, 0x3fc00000,
        0xcf000001, 0x4effffff, 0x477fe000, 0x477ff000, 0x38800000, 0x387fc000, 0x33800000, 0x47800000,
    };
    uint64_t r = rnd();
    switch (r & 7) {
    case 0: case 1: return special[(r >> 8) % (sizeof special / sizeof special[0])];
    case 2: return (uint32_t)(r >> 32 & 0x80000000u) | (uint32_t)((r >> 20) % 40) << 23 | (uint32_t)(r >> 40 & 0x7fffff);
    case 3: return (uint32_t)(r >> 32 & 0x80000000u) | (uint32_t)(120 + (r >> 20) % 40) << 23 |
                   (uint32_t)(r >> 40 & 0x7fffff);
    case 4: return (uint32_t)(r >> 32 & 0x80000000u) | (uint32_t)(r >> 20 & 0x7fffff) | (uint32_t)(r >> 50 & 0xff) << 23;
    default: return (uint32_t)(r >> 16);
    }
}

static uint64_t rnd_f64(void)
{
    static const uint64_t special[] = {
        0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
        0xfff8000000000000ull, 0x7ff4000000000001ull, 0xfff0000000000123ull, 1, 0x800fffffffffffffull,
        0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
        0x8010000000000000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0x43e0000000000000ull,
        0xc3e0000000000000ull, 0x41dfffffffc00000ull, 0xc1e0000000100000ull, 0x3fe0000000000000ull,
        0x3ff8000000000000ull, 0x47efffffe0000000ull, 0x47effffff0000000ull, 0x3810000000000000ull,
        0x380fffffffffffffull, 0x36a0000000000000ull, 0x7fe0000000000000ull,
    };
    uint64_t r = rnd();
    switch (r & 7) {
    case 0: case 1: return special[(r >> 8) % (sizeof special / sizeof special[0])];
    case 2: return (r & 0x8000000000000000ull) | ((r >> 20) % 60) << 52 | (rnd() & 0xfffffffffffffull);
    case 3: return (r & 0x8000000000000000ull) | (1000 + (r >> 20) % 50) << 52 | (rnd() & 0xfffffffffffffull);
    case 4: return (r & 0x8000000000000000ull) | (uint64_t)(0x380 + (r >> 20) % 16) << 52 | (rnd() & 0xfffffffffffffull);
    default: return rnd();
    }
}

/* b so that a*b or a/b lands within a few ulps of the smallest normal */
static uint32_t near_underflow_f32(uint32_t a, bool div)
{
    float x = fabsf(f32_of(a));
    if (!(x > 0) || isinf(x))
        return rnd_f32();
    double want = 0x1p-126 * (1.0 + ((double)(int)(rnd() % 64) - 48) * 0x1p-24);
    float b = (float)(div ? x / want : want / x);
    return bits32(b) + (uint32_t)(rnd() % 5) - 2;
}
static uint64_t near_underflow_f64(uint64_t a, bool div)
{
    double x = fabs(f64_of(a));
    if (!(x > 0) || isinf(x) || x < 0x1p-900 || x > 0x1p900)
        return rnd_f64();
    double want = 0x1p-1022 * (1.0 + ((double)(int)(rnd() % 64) - 48) * 0x1p-53);
    double b = div ? x / want : want / x;
    return bits64(b) + rnd() % 5 - 2;
}

static void rnd_cpu(X86CPU *cpu, bool dbl)
{
    for (unsigned r = 0; r < X86_VEC_NREGS + 2; r++) {
        for (unsigned i = 0; i < 8; i++)
            cpu->vec.ymm[r].l[i] = rnd_f32();
        if (dbl || (rnd() & 1))
            for (unsigned i = 0; i < 4; i++)
                cpu->vec.ymm[r].q[i] = rnd_f64();
    }
    for (unsigned r = 0; r < 8; r++) {
        cpu->fpu.r[r].mant = rnd();
        cpu->fpu.r[r].sign_exp = (uint16_t)rnd();
    }
    cpu->fpu.top = rnd() & 7;
    cpu->fpu.ftw = (uint16_t)rnd();
}

/* The helper kinds. */
typedef uint32_t OpFn(void *, uint32_t);
typedef uint64_t OutFn(void *, uint32_t);
typedef void InFn(void *, uint32_t, uint64_t);
enum Kind { OP, OUT, IN };
/* forms: legacy SSE, VEX.128, VEX.256, MMX */
enum { F_LEG = 1, F_V128 = 2, F_V256 = 4, F_MMX = 8 };
/* operand bias: none, b near an underflowing product / quotient of a */
enum Bias { B_NONE, B_MUL, B_DIV };

typedef struct Case {
    const char *name;
    enum Kind kind;
    void *host, *soft;
    unsigned forms, imm_mod;   /* imm8 random below imm_mod (0: 0) */
    bool dbl;
    enum Bias bias;
} Case;

#define H(n) (void *)helper_vec_##n, (void *)x86_soft_vec_##n
#define PROTO_OP(n) uint32_t x86_soft_vec_##n(void *, uint32_t);
#define PROTO_OUT(n) uint64_t x86_soft_vec_##n(void *, uint32_t);
#define PROTO_IN(n) void x86_soft_vec_##n(void *, uint32_t, uint64_t);

#define ALL_OPS(X) \
    X(addps) X(addpd) X(addss) X(addsd) X(subps) X(subpd) X(subss) X(subsd) X(mulps) X(mulpd) X(mulss) \
    X(mulsd) X(divps) X(divpd) X(divss) X(divsd) X(minps) X(minpd) X(minss) X(minsd) X(maxps) X(maxpd) \
    X(maxss) X(maxsd) X(sqrtps) X(sqrtpd) X(sqrtss) X(sqrtsd) X(addsubps) X(addsubpd) X(haddps) X(haddpd) \
    X(hsubps) X(hsubpd) X(cvtdq2ps) X(cvtps2dq) X(cvttps2dq) X(cvtss2sd) X(cvtsd2ss) X(cmpps) X(cmppd) \
    X(cmpss) X(cmpsd) X(roundps) X(roundpd) X(roundss) X(roundsd) X(cvtps2pd) X(cvtdq2pd) X(cvtpd2ps) \
    X(cvtpd2dq) X(cvttpd2dq) X(cvtpi2ps) X(cvtpi2pd) X(cvtps2pi) X(cvttps2pi) X(cvtpd2pi) X(cvttpd2pi) \
    X(dpps) X(dppd) X(rcpps) X(rcpss) X(rsqrtps) X(rsqrtss) X(fmaddps) X(fmaddpd) X(fmaddss) X(fmaddsd) \
    X(fmsubps) X(fmsubpd) X(fmsubss) X(fmsubsd) X(fnmaddps) X(fnmaddpd) X(fnmaddss) X(fnmaddsd) \
    X(fnmsubps) X(fnmsubpd) X(fnmsubss) X(fnmsubsd) X(fmaddsubps) X(fmaddsubpd) X(fmsubaddps) \
    X(fmsubaddpd) X(cvtph2ps) X(cvtps2ph)
ALL_OPS(PROTO_OP)
PROTO_OUT(comiss) PROTO_OUT(comisd) PROTO_OUT(ucomiss) PROTO_OUT(ucomisd)
PROTO_OUT(cvtss2si) PROTO_OUT(cvttss2si) PROTO_OUT(cvtsd2si) PROTO_OUT(cvttsd2si) PROTO_OUT(stmxcsr)
PROTO_IN(cvtsi2ss) PROTO_IN(cvtsi2sd) PROTO_IN(ldmxcsr)
uint64_t x86_soft_vec_fb_addsd(void *, uint64_t, uint64_t);
uint64_t x86_soft_vec_fb_subsd(void *, uint64_t, uint64_t);
uint64_t x86_soft_vec_fb_mulsd(void *, uint64_t, uint64_t);
uint64_t x86_soft_vec_fb_divsd(void *, uint64_t, uint64_t);
uint64_t x86_soft_vec_fb_sqrtsd(void *, uint64_t);
uint32_t x86_soft_vec_fb_addss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_subss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_mulss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_divss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_sqrtss(void *, uint32_t);
uint32_t x86_soft_vec_fb_comiss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_ucomiss(void *, uint32_t, uint32_t);
uint32_t x86_soft_vec_fb_comisd(void *, uint64_t, uint64_t);
uint32_t x86_soft_vec_fb_ucomisd(void *, uint64_t, uint64_t);

#define ALLF (F_LEG | F_V128 | F_V256)
#define SSEF (F_LEG | F_V128)
#define VEXF (F_V128 | F_V256)

static const Case cases[] = {
    { "addps", OP, H(addps), ALLF, 0, false, B_NONE }, { "addpd", OP, H(addpd), ALLF, 0, true, B_NONE },
    { "addss", OP, H(addss), SSEF, 0, false, B_NONE }, { "addsd", OP, H(addsd), SSEF, 0, true, B_NONE },
    { "subps", OP, H(subps), ALLF, 0, false, B_NONE }, { "subpd", OP, H(subpd), ALLF, 0, true, B_NONE },
    { "subss", OP, H(subss), SSEF, 0, false, B_NONE }, { "subsd", OP, H(subsd), SSEF, 0, true, B_NONE },
    { "mulps", OP, H(mulps), ALLF, 0, false, B_MUL }, { "mulpd", OP, H(mulpd), ALLF, 0, true, B_MUL },
    { "mulss", OP, H(mulss), SSEF, 0, false, B_MUL }, { "mulsd", OP, H(mulsd), SSEF, 0, true, B_MUL },
    { "mulps", OP, H(mulps), ALLF, 0, false, B_NONE }, { "mulsd", OP, H(mulsd), SSEF, 0, true, B_NONE },
    { "divps", OP, H(divps), ALLF, 0, false, B_DIV }, { "divpd", OP, H(divpd), ALLF, 0, true, B_DIV },
    { "divss", OP, H(divss), SSEF, 0, false, B_NONE }, { "divsd", OP, H(divsd), SSEF, 0, true, B_NONE },
    { "minps", OP, H(minps), ALLF, 0, false, B_NONE }, { "minpd", OP, H(minpd), ALLF, 0, true, B_NONE },
    { "minss", OP, H(minss), SSEF, 0, false, B_NONE }, { "minsd", OP, H(minsd), SSEF, 0, true, B_NONE },
    { "maxps", OP, H(maxps), ALLF, 0, false, B_NONE }, { "maxpd", OP, H(maxpd), ALLF, 0, true, B_NONE },
    { "maxss", OP, H(maxss), SSEF, 0, false, B_NONE }, { "maxsd", OP, H(maxsd), SSEF, 0, true, B_NONE },
    { "sqrtps", OP, H(sqrtps), ALLF, 0, false, B_NONE }, { "sqrtpd", OP, H(sqrtpd), ALLF, 0, true, B_NONE },
    { "sqrtss", OP, H(sqrtss), SSEF, 0, false, B_NONE }, { "sqrtsd", OP, H(sqrtsd), SSEF, 0, true, B_NONE },
    { "addsubps", OP, H(addsubps), ALLF, 0, false, B_NONE }, { "addsubpd", OP, H(addsubpd), ALLF, 0, true, B_NONE },
    { "haddps", OP, H(haddps), ALLF, 0, false, B_NONE }, { "haddpd", OP, H(haddpd), ALLF, 0, true, B_NONE },
    { "hsubps", OP, H(hsubps), ALLF, 0, false, B_NONE }, { "hsubpd", OP, H(hsubpd), ALLF, 0, true, B_NONE },
    { "cvtdq2ps", OP, H(cvtdq2ps), ALLF, 0, false, B_NONE }, { "cvtps2dq", OP, H(cvtps2dq), ALLF, 0, false, B_NONE },
    { "cvttps2dq", OP, H(cvttps2dq), ALLF, 0, false, B_NONE },
    { "cvtss2sd", OP, H(cvtss2sd), SSEF, 0, false, B_NONE }, { "cvtsd2ss", OP, H(cvtsd2ss), SSEF, 0, true, B_NONE },
    { "cmpps", OP, H(cmpps), VEXF, 32, false, B_NONE }, { "cmppd", OP, H(cmppd), VEXF, 32, true, B_NONE },
    { "cmpss", OP, H(cmpss), F_V128, 32, false, B_NONE }, { "cmpsd", OP, H(cmpsd), F_V128, 32, true, B_NONE },
    { "cmpps", OP, H(cmpps), F_LEG, 8, false, B_NONE }, { "cmpsd", OP, H(cmpsd), F_LEG, 8, true, B_NONE },
    { "roundps", OP, H(roundps), ALLF, 16, false, B_NONE }, { "roundpd", OP, H(roundpd), ALLF, 16, true, B_NONE },
    { "roundss", OP, H(roundss), SSEF, 16, false, B_NONE }, { "roundsd", OP, H(roundsd), SSEF, 16, true, B_NONE },
    { "cvtps2pd", OP, H(cvtps2pd), ALLF, 0, false, B_NONE }, { "cvtdq2pd", OP, H(cvtdq2pd), ALLF, 0, false, B_NONE },
    { "cvtpd2ps", OP, H(cvtpd2ps), ALLF, 0, true, B_NONE }, { "cvtpd2dq", OP, H(cvtpd2dq), ALLF, 0, true, B_NONE },
    { "cvttpd2dq", OP, H(cvttpd2dq), ALLF, 0, true, B_NONE },
    { "cvtpi2ps", OP, H(cvtpi2ps), F_MMX, 0, false, B_NONE }, { "cvtpi2pd", OP, H(cvtpi2pd), F_MMX, 0, false, B_NONE },
    { "cvtps2pi", OP, H(cvtps2pi), F_MMX, 0, false, B_NONE }, { "cvttps2pi", OP, H(cvttps2pi), F_MMX, 0, false, B_NONE },
    { "cvtpd2pi", OP, H(cvtpd2pi), F_MMX, 0, true, B_NONE }, { "cvttpd2pi", OP, H(cvttpd2pi), F_MMX, 0, true, B_NONE },
    { "dpps", OP, H(dpps), ALLF, 256, false, B_NONE }, { "dppd", OP, H(dppd), SSEF, 256, true, B_NONE },
    { "fmaddps", OP, H(fmaddps), VEXF, 3, false, B_NONE }, { "fmaddpd", OP, H(fmaddpd), VEXF, 3, true, B_NONE },
    { "fmaddss", OP, H(fmaddss), F_V128, 3, false, B_NONE }, { "fmaddsd", OP, H(fmaddsd), F_V128, 3, true, B_NONE },
    { "fmaddps", OP, H(fmaddps), VEXF, 3, false, B_MUL }, { "fmaddsd", OP, H(fmaddsd), F_V128, 3, true, B_MUL },
    { "fmsubps", OP, H(fmsubps), VEXF, 3, false, B_NONE }, { "fmsubpd", OP, H(fmsubpd), VEXF, 3, true, B_NONE },
    { "fmsubss", OP, H(fmsubss), F_V128, 3, false, B_NONE }, { "fmsubsd", OP, H(fmsubsd), F_V128, 3, true, B_NONE },
    { "fnmaddps", OP, H(fnmaddps), VEXF, 3, false, B_NONE }, { "fnmaddpd", OP, H(fnmaddpd), VEXF, 3, true, B_NONE },
    { "fnmaddss", OP, H(fnmaddss), F_V128, 3, false, B_NONE }, { "fnmaddsd", OP, H(fnmaddsd), F_V128, 3, true, B_NONE },
    { "fnmsubps", OP, H(fnmsubps), VEXF, 3, false, B_NONE }, { "fnmsubpd", OP, H(fnmsubpd), VEXF, 3, true, B_NONE },
    { "fnmsubss", OP, H(fnmsubss), F_V128, 3, false, B_NONE }, { "fnmsubsd", OP, H(fnmsubsd), F_V128, 3, true, B_NONE },
    { "fmaddsubps", OP, H(fmaddsubps), VEXF, 3, false, B_NONE }, { "fmaddsubpd", OP, H(fmaddsubpd), VEXF, 3, true, B_NONE },
    { "fmsubaddps", OP, H(fmsubaddps), VEXF, 3, false, B_NONE }, { "fmsubaddpd", OP, H(fmsubaddpd), VEXF, 3, true, B_NONE },
    { "cvtph2ps", OP, H(cvtph2ps), VEXF, 0, false, B_NONE }, { "cvtps2ph", OP, H(cvtps2ph), VEXF, 8, false, B_NONE },
    { "comiss", OUT, H(comiss), F_LEG, 0, false, B_NONE }, { "comisd", OUT, H(comisd), F_LEG, 0, true, B_NONE },
    { "ucomiss", OUT, H(ucomiss), F_LEG, 0, false, B_NONE }, { "ucomisd", OUT, H(ucomisd), F_LEG, 0, true, B_NONE },
    { "cvtss2si", OUT, H(cvtss2si), F_LEG, 2, false, B_NONE }, { "cvttss2si", OUT, H(cvttss2si), F_LEG, 2, false, B_NONE },
    { "cvtsd2si", OUT, H(cvtsd2si), F_LEG, 2, true, B_NONE }, { "cvttsd2si", OUT, H(cvttsd2si), F_LEG, 2, true, B_NONE },
    { "cvtsi2ss", IN, H(cvtsi2ss), SSEF, 2, false, B_NONE }, { "cvtsi2sd", IN, H(cvtsi2sd), SSEF, 2, true, B_NONE },
};

static X86CPU *new_cpu(void)
{
    X86CPU *cpu = aligned_alloc(64, (sizeof(X86CPU) + 63) & ~(size_t)63);
    assert_non_null(cpu);
    memset(cpu, 0, sizeof(*cpu));
    return cpu;
}

static void report(const Case *c, unsigned it, uint32_t desc, uint32_t mx, const char *what)
{
    print_error("%s: iteration %u desc %#x mxcsr %#x: %s differ\n", c->name, it, desc, mx, what);
}

/* One case, ITERS times: both helpers on one random state. */
static void run_case(const Case *c, X86CPU *cpu, X86CPU *base, X86CPU *want)
{
    unsigned forms[4], nf = 0;
    for (unsigned f = 0; f < 4; f++)
        if (c->forms & (1u << f))
            forms[nf++] = 1u << f;
    uint32_t feat = x86_vec_host_features();
    bool is_fma16 = c->name[0] == 'f' || !strncmp(c->name, "cvtp", 4) + !strncmp(c->name, "cvtph", 5) == 2;
    if (is_fma16 && !(feat & X86_VEC_FEAT_FMA) && c->name[0] == 'f')
        return;
    if (!strncmp(c->name, "cvtph", 5) || !strcmp(c->name, "cvtps2ph")) {
        if (!(feat & X86_VEC_FEAT_F16C))
            return;
    }
    if ((c->forms & F_V256) && !(feat & X86_VEC_FEAT_AVX) && nf == 1)
        return;
    for (unsigned it = 0; it < ITERS; it++) {
        unsigned form = forms[rnd() % nf];
        if (form == F_V256 && !(feat & X86_VEC_FEAT_AVX))
            form = F_V128;
        unsigned imm = c->imm_mod ? (unsigned)(rnd() % c->imm_mod) : 0;
        uint32_t mx = X86_MXCSR_DEFAULT | ((uint32_t)rnd() & X86_MXCSR_RC);
        if (rnd() & 1)
            mx |= (uint32_t)rnd() & (X86_MXCSR_FTZ | X86_MXCSR_DAZ);
        /* unmasked exceptions for the helpers that return #XM (the others raise it) */
        if (c->kind == OP && (rnd() & 3) == 0)
            mx &= ~((uint32_t)rnd() & X86_MXCSR_MASKS);
        if ((rnd() & 7) == 0)
            mx |= (uint32_t)rnd() & X86_MXCSR_FLAGS;
        rnd_cpu(base, c->dbl);
        unsigned d = rnd() % 16, s1 = rnd() % 16, s2 = rnd() % 18;
        if (form == F_MMX) {
            d = rnd() % 8;
            s2 = rnd() % 8;
        }
        if (c->bias != B_NONE) {
            for (unsigned i = 0; i < 8; i++)
                base->vec.ymm[s2].l[i] = near_underflow_f32(base->vec.ymm[s1].l[i], c->bias == B_DIV);
            if (c->dbl)
                for (unsigned i = 0; i < 4; i++)
                    base->vec.ymm[s2].q[i] = near_underflow_f64(base->vec.ymm[s1].q[i], c->bias == B_DIV);
        }
        uint32_t flags = form == F_V128 ? X86V_VEX : form == F_V256 ? (X86V_VEX | X86V_L256) :
                         form == F_MMX ? X86V_MMX : 0;
        uint32_t desc = X86V_DESC(d, form == F_LEG || form == F_MMX ? d : s1, s2, flags, imm);
        uint64_t val = rnd();
        if (rnd() & 1)
            val = (uint64_t)(int64_t)(int32_t)val;

        uint64_t r_host = 0, r_soft = 0;
        memcpy(want, base, sizeof(*base));
        x86_vec_mxcsr_set(want, mx);
        switch (c->kind) {
        case OP: r_host = ((OpFn *)c->host)(want, desc); break;
        case OUT: r_host = ((OutFn *)c->host)(want, desc); break;
        case IN: ((InFn *)c->host)(want, desc, val); break;
        }
        want->vec.mxcsr = x86_vec_mxcsr_get(want);

        memcpy(cpu, base, sizeof(*base));
        cpu->vec.mxcsr = mx;
        switch (c->kind) {
        case OP: r_soft = ((OpFn *)c->soft)(cpu, desc); break;
        case OUT: r_soft = ((OutFn *)c->soft)(cpu, desc); break;
        case IN: ((InFn *)c->soft)(cpu, desc, val); break;
        }
        if (r_host != r_soft) {
            report(c, it, desc, mx, "return values");
            print_error("  host %#llx soft %#llx\n", (unsigned long long)r_host, (unsigned long long)r_soft);
        }
        if (want->vec.mxcsr != cpu->vec.mxcsr) {
            report(c, it, desc, mx, "MXCSR");
            print_error("  host %#x soft %#x\n", want->vec.mxcsr, cpu->vec.mxcsr);
        }
        if (memcmp(&want->vec.ymm, &cpu->vec.ymm, sizeof cpu->vec.ymm)) {
            report(c, it, desc, mx, "registers");
            for (unsigned i = 0; i < 4; i++)
                print_error("  d.q[%u] host %016llx soft %016llx  s1 %016llx s2 %016llx\n", i,
                            (unsigned long long)want->vec.ymm[d].q[i], (unsigned long long)cpu->vec.ymm[d].q[i],
                            (unsigned long long)base->vec.ymm[s1].q[i],
                            (unsigned long long)base->vec.ymm[s2].q[i]);
        }
        if (memcmp(&want->fpu, &cpu->fpu, sizeof cpu->fpu))
            report(c, it, desc, mx, "x87/MMX state");
        if (r_host != r_soft || want->vec.mxcsr != cpu->vec.mxcsr ||
            memcmp(&want->vec.ymm, &cpu->vec.ymm, sizeof cpu->vec.ymm) || memcmp(&want->fpu, &cpu->fpu, sizeof cpu->fpu))
            fail();
    }
}

static void test_against_host(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu(), *base = new_cpu(), *want = new_cpu();
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!strncmp(cases[i].name, "rcp", 3) || !strncmp(cases[i].name, "rsqrt", 5))
            continue;
        run_case(&cases[i], cpu, base, want);
    }
    free(cpu);
    free(base);
    free(want);
}

/* The fallbacks of the inline scalar path, under the default MXCSR. */
static void test_fallbacks(void **state)
{
    (void)state;
    X86CPU *a = new_cpu(), *b = new_cpu();
    for (unsigned it = 0; it < 20000; it++) {
        uint32_t x = rnd_f32(), y = (it & 1) ? near_underflow_f32(x, it & 2) : rnd_f32();
        uint64_t p = rnd_f64(), q = (it & 1) ? near_underflow_f64(p, it & 2) : rnd_f64();
        unsigned op = it % 14;
        uint64_t rh = 0, rs = 0;
        x86_vec_mxcsr_set(a, X86_MXCSR_DEFAULT);
        b->vec.mxcsr = X86_MXCSR_DEFAULT;
        uint32_t mh = 0;
        /* the host's flags are read before the soft helper's host ops clear them */
#define FBCASE(n, name, ...) \
    case n: \
        rh = helper_vec_fb_##name(a, __VA_ARGS__); \
        mh = x86_vec_mxcsr_get(a); \
        rs = x86_soft_vec_fb_##name(b, __VA_ARGS__); \
        break;
        switch (op) {
            FBCASE(0, addsd, p, q) FBCASE(1, subsd, p, q) FBCASE(2, mulsd, p, q) FBCASE(3, divsd, p, q)
            FBCASE(4, sqrtsd, p) FBCASE(5, addss, x, y) FBCASE(6, subss, x, y) FBCASE(7, mulss, x, y)
            FBCASE(8, divss, x, y) FBCASE(9, sqrtss, x) FBCASE(10, comiss, x, y) FBCASE(11, ucomiss, x, y)
            FBCASE(12, comisd, p, q) FBCASE(13, ucomisd, p, q)
        }
        uint32_t ms = b->vec.mxcsr;
        if (rh != rs || mh != ms)
            print_error("fallback %u (%#x %#x / %#llx %#llx): host %#llx mxcsr %#x, soft %#llx mxcsr %#x\n", op, x,
                        y, (unsigned long long)p, (unsigned long long)q, (unsigned long long)rh, mh,
                        (unsigned long long)rs, ms);
        assert_int_equal(rh, rs);
        assert_int_equal(mh, ms);
    }
    x86_vec_mxcsr_set(a, X86_MXCSR_DEFAULT);
    free(a);
    free(b);
}

/* RCPPS/RSQRTPS: the SDM's bound |relative error| <= 1.5 * 2^-12, and the
 * special values exactly as the host gives them. */
static void test_approximations(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu(), *host = new_cpu();
    for (unsigned it = 0; it < 20000; it++) {
        bool sq = it & 1;
        rnd_cpu(cpu, false);
        memcpy(host, cpu, sizeof(*cpu));
        uint32_t desc = X86V_DESC(1, 1, 2, 0, 0);
        x86_vec_mxcsr_set(host, X86_MXCSR_DEFAULT);
        cpu->vec.mxcsr = X86_MXCSR_DEFAULT;
        if (sq)
            helper_vec_rsqrtps(host, desc);
        else
            helper_vec_rcpps(host, desc);
        assert_int_equal(x86_vec_mxcsr_get(host), X86_MXCSR_DEFAULT);
        if (sq)
            x86_soft_vec_rsqrtps(cpu, desc);
        else
            x86_soft_vec_rcpps(cpu, desc);
        assert_int_equal(cpu->vec.mxcsr, X86_MXCSR_DEFAULT);
        for (unsigned i = 0; i < 4; i++) {
            uint32_t in = cpu->vec.ymm[2].l[i], h = host->vec.ymm[1].l[i], s = cpu->vec.ymm[1].l[i];
            float x = f32_of(in);
            double exact = sq ? 1.0 / sqrt((double)x) : 1.0 / (double)x;
            bool special = isnan(x) || isinf(x) || x == 0 || fabs(x) < 0x1p-126 || (sq && x < 0);
            if (!special && (f32_of(h) == 0 || f32_of(s) == 0)) {
                /* flushed: only where the true result is (about) below the smallest normal */
                assert_true(fabs(exact) < 0x1p-126 * (1 + 0x1p-10));
                assert_true(f32_of(s) == 0 || fabs(exact) >= 0x1p-126 * (1 - 0x1p-10));
            } else if (special) {
                if (h != s)
                    print_error("%s(%#x): host %#x soft %#x\n", sq ? "rsqrt" : "rcp", in, h, s);
                assert_int_equal(h, s);
            } else {
                double err = fabs(((double)f32_of(s) - exact) / exact);
                if (err > 1.5 * 0x1p-12)
                    print_error("%s(%#x): soft %#x error %g\n", sq ? "rsqrt" : "rcp", in, s, err);
                assert_true(err <= 1.5 * 0x1p-12);
            }
        }
    }
    free(cpu);
    free(host);
}

/* LDMXCSR/STMXCSR: the value round-trips, reserved bits raise #GP (not here). */
static void test_mxcsr(void **state)
{
    (void)state;
    X86CPU *cpu = new_cpu();
    x86_soft_vec_ldmxcsr(cpu, 0, 0x7f80 | 0x21);
    assert_int_equal(x86_soft_vec_stmxcsr(cpu, 0), 0x7fa1);
    free(cpu);
}

int main(void)
{
    /* VEMU_TEST_SEED=n: another random sequence (the default is fixed) */
    const char *seed = getenv("VEMU_TEST_SEED");
    if (seed && strtoull(seed, NULL, 0))
        rng_state = strtoull(seed, NULL, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_host),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_approximations),
        cmocka_unit_test(test_mxcsr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
    printf("SKIP test-x86-vec-fp-soft (it compares with the host's SSE: x86_64 hosts only)\n");
    return 0;
}

#endif
