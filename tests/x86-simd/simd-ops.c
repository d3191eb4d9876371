/*
 * simd-ops.c — the vector instructions through their compiler intrinsics,
 * over deterministic operand tables (random bits, small integers, and the
 * special floats: zeros, infinities, quiet and signalling NaNs, denormals,
 * integer-conversion edges), for floats in every MXCSR rounding mode with
 * and without FTZ/DAZ.  One line per instruction: its name, the number of
 * cases and a hash of the results and the MXCSR flags they raised.
 * `simd-ops -v NAME` prints every case of NAME instead.
 *
 * Built without AVX (legacy SSE encodings; -m32 too) and with
 * -mavx2 -mfma -mf16c (VEX encodings and the 256-bit instructions); each
 * build is run natively and under vemu, and the outputs must be equal.
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef union V {
    uint8_t b[32];
    uint32_t l[8];
    uint64_t q[4];
    float f[8];
    double d[4];
    __m128i x;
    __m128 xs;
    __m128d xd;
#ifdef __AVX__
    __m256i y;
    __m256 ys;
    __m256d yd;
#endif
} __attribute__((aligned(32))) V;

static uint64_t seed;
static uint64_t rnd(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 17 ^ seed << 23;
}

static const uint32_t f32s[] = { 0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001,
                                 0x00000001, 0x807fffff, 0x00800000, 0x3f800000, 0xbf800000, 0x7f7fffff,
                                 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x3f000000, 0x3fc00000,
                                 0x40200000, 0x4b7fffff, 0xcb000001, 0x477fe000, 0x33800000 };
static const uint64_t f64s[] = { 0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
                                 0x7ff8000000000000ull, 0x7ff4000000000001ull, 1, 0x800fffffffffffffull,
                                 0x0010000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
                                 0x41e0000000000000ull, 0xc1e0000000200000ull, 0x43e0000000000000ull,
                                 0x3fe0000000000000ull, 0x4330000000000001ull, 0x7fefffffffffffffull,
                                 0x380fffffe0000000ull };

/* kind 0: integer bits, 1: floats, 2: doubles, 3: string bytes */
static void fill(V *v, int kind)
{
    for (int i = 0; i < 8; i++) {
        uint64_t r = rnd();
        switch (kind) {
        case 1:
            v->l[i] = (r & 3) == 0 ? f32s[(r >> 8) % (sizeof(f32s) / 4)]
                                   : (uint32_t)(((r >> 20) % 70 + 95) << 23 | (r >> 40 & 0x807fffff));
            break;
        case 2:
            if (i < 4)
                v->q[i] = (r & 3) == 0 ? f64s[(r >> 8) % (sizeof(f64s) / 8)]
                                       : ((r >> 20) % 140 + 960) << 52 | (rnd() & 0x800fffffffffffffull);
            break;
        case 3:
            for (int k = 0; k < 4; k++)
                v->b[4 * i + k] = "abc\0ab\xff\x80"[(r >> (3 * k)) & 7];
            break;
        default:
            v->l[i] = (r & 7) == 0 ? (uint32_t)((r >> 8) % 5) - 2 : (uint32_t)(r >> 8);
            break;
        }
    }
}

typedef struct Op {
    const char *name;
    void (*fn)(V *r, const V *a, const V *b, const V *c);
    int kind;       /* operand kind */
    int fp;         /* run under every MXCSR mode, hash the flags */
} Op;

#define OP(name, kind, fp, body) \
    static void f_##name(V *r, const V *a, const V *b, const V *c) { (void)a; (void)b; (void)c; body; }
#define X(e) (r->x = (e))
#define XS(e) (r->xs = (e))
#define XD(e) (r->xd = (e))
#define Y(e) (r->y = (e))
#define YS(e) (r->ys = (e))
#define YD(e) (r->yd = (e))

/* ---- the operations ---- */
#include "simd-ops.inc"

static const Op ops[] = {
#undef OP
#define OP(name, kind, fp, body) { #name, f_##name, kind, fp },
#include "simd-ops.inc"
};

static const uint32_t modes[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0xdfc0 };

int main(int argc, char **argv)
{
    const char *verbose = argc > 2 && !strcmp(argv[1], "-v") ? argv[2] : NULL;
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        const Op *op = &ops[k];
        if (verbose && strcmp(verbose, op->name))
            continue;
        uint64_t h = 14695981039346656037ull;
        unsigned n = 0;
        seed = k * 7919 + 1;
        unsigned nmodes = op->fp ? sizeof(modes) / sizeof(modes[0]) : 1;
        for (unsigned m = 0; m < nmodes; m++)
            for (int i = 0; i < 300; i++) {
                V a, b, c, r;
                fill(&a, op->kind);
                fill(&b, op->kind);
                fill(&c, op->kind == 3 ? 0 : op->kind);
                memset(&r, 0, sizeof(r));
                _mm_setcsr(modes[m]);
                op->fn(&r, &a, &b, &c);
                uint32_t flags = _mm_getcsr() & 0x3f;
                _mm_setcsr(0x1f80);
                for (int j = 0; j < 32; j++)
                    h = (h ^ r.b[j]) * 1099511628211ull;
                if (op->fp)
                    h = (h ^ flags) * 1099511628211ull;
                n++;
                if (verbose)
                    printf("%s mode %04x a %016llx%016llx b %016llx%016llx -> %016llx%016llx %016llx%016llx flags %02x\n",
                           op->name, modes[m], (unsigned long long)a.q[1], (unsigned long long)a.q[0],
                           (unsigned long long)b.q[1], (unsigned long long)b.q[0], (unsigned long long)r.q[3],
                           (unsigned long long)r.q[2], (unsigned long long)r.q[1], (unsigned long long)r.q[0], flags);
            }
        if (!verbose)
            printf("%s %u %016llx\n", op->name, n, (unsigned long long)h);
    }
    return 0;
}
