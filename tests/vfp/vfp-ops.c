/*
 * vfp-ops.c — differential test program for the VFP (armhf, ARM state):
 * runs every VFP data-processing and conversion instruction over tables of
 * interesting operands (signed zeros, denormals, infinities, quiet and
 * signalling NaNs with payloads, extreme normals, values that round
 * differently) and pseudo-random ones, under each rounding mode with FZ and
 * DN on and off, and prints the result bits and FPSCR after each.
 *
 *   vfp-ops            one line per operation: name, count, hash
 *   vfp-ops -v NAME    every case of operation NAME (to find a difference)
 *
 * tests/vfp/run.sh compares the output of qemu-arm and vemu-arm.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t f32_vals[] = {
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000,
    0x00800000, 0x80800000, 0x00800001, 0x00ffffff, 0x3f800000, 0xbf800000, 0x3f800001,
    0x3fffffff, 0x40490fdb, 0x3eaaaaab, 0x3fc00000, 0xbfc00000, 0x40200000, 0xc0200000,
    0x3f000000, 0x4b800001, 0x4b7fffff, 0x33800000, 0x1f800000, 0x5f800000, 0x4f000000,
    0xcf000000, 0x4f800000, 0x4effffff, 0xcf000001, 0x477fe000, 0x477ff000, 0x387fc000,
    0x33000001, 0x7f7fffff, 0xff7fffff, 0x7f000000, 0x7f800000, 0xff800000, 0x7fc00000,
    0xffc00000, 0x7fc12345, 0xffd00001, 0x7f800001, 0xff800001, 0x7fa00055, 0x7f812345,
};
static const uint64_t f64_vals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x8000000000000001ull,
    0x000fffffffffffffull, 0x800fffffffffffffull, 0x0010000000000000ull, 0x8010000000000000ull,
    0x0010000000000001ull, 0x001fffffffffffffull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff0000000000001ull, 0x3fffffffffffffffull, 0x400921fb54442d18ull, 0x3fd5555555555555ull,
    0x3ff8000000000000ull, 0xbff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
    0x3fe0000000000000ull, 0x4340000000000001ull, 0x433fffffffffffffull, 0x3ca0000000000000ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41f0000000000000ull, 0x41efffffffe00000ull,
    0xc1e0000000200000ull, 0x41dfffffffc00000ull, 0x47efffffe0000000ull, 0x47effffff0000000ull,
    0x36a0000000000000ull, 0x3690000000000001ull, 0x380fffffe0000000ull, 0x3810000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7fe0000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff8000012345678ull,
    0xfffa000000000001ull, 0x7ff0000000000001ull, 0xfff0000000000001ull, 0x7ff4000000000055ull,
    0x7ff0123456789abcull,
};
static const uint32_t f16_vals[] = {
    0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x3c00, 0xbc00, 0x3555, 0x7bff, 0xfbff,
    0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7e55, 0x7d00, 0xfd01, 0x7c01, 0x7fff, 0x5555,
};

#define N32 (sizeof(f32_vals) / sizeof(f32_vals[0]))
#define N64 (sizeof(f64_vals) / sizeof(f64_vals[0]))
#define N16 (sizeof(f16_vals) / sizeof(f16_vals[0]))
#define NRAND 64

static uint32_t rand32[NRAND];
static uint64_t rand64[NRAND];

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random values with exponents biased toward the edges and the middle. */
static void make_random(void)
{
    for (int i = 0; i < NRAND; i++) {
        uint64_t r = next_rand();
        static const int e32[] = { 0, 1, 2, 24, 100, 126, 127, 128, 150, 200, 253, 254 };
        static const int e64[] = { 0, 1, 2, 53, 900, 1022, 1023, 1024, 1075, 1500, 2045, 2046 };
        uint32_t e = (uint32_t)e32[(r >> 40) % 12];
        rand32[i] = (uint32_t)(r >> 63) << 31 | e << 23 | (uint32_t)(r & 0x7fffff);
        uint64_t e2 = (uint64_t)e64[(r >> 44) % 12];
        uint64_t r2 = next_rand();
        rand64[i] = (r2 >> 63) << 63 | e2 << 52 | (r2 & 0xfffffffffffffull);
    }
}

/* FPSCR configurations: RMode x FZ x DN (x AHP for half conversions) */
static uint32_t config(unsigned i)
{
    return (i & 3) << 22 | ((i >> 2) & 1) << 24 | ((i >> 3) & 1) << 25 | ((i >> 4) & 1) << 26;
}

/* ---- the instructions, one asm wrapper each ---------------------------------------- */

#define FP_CLOBBERS "d0", "d1", "d2", "d3", "memory"

#define S_OP(name, insn)                                                                    \
    static uint32_t name(uint32_t d, uint32_t a, uint32_t b, uint32_t fin, uint32_t *fout)  \
    {                                                                                       \
        uint32_t r, fo;                                                                     \
        __asm__ volatile("vmsr fpscr, %[fin]\n\tvmov s0, %[d]\n\tvmov s1, %[a]\n\t"         \
                         "vmov s2, %[b]\n\t" insn "\n\tvmov %[r], s0\n\t"                   \
                         "vmrs %[fo], fpscr\n\tvmsr fpscr, %[z]"                            \
                         : [r] "=&r"(r), [fo] "=&r"(fo)                                     \
                         : [fin] "r"(fin), [d] "r"(d), [a] "r"(a), [b] "r"(b), [z] "r"(0)   \
                         : FP_CLOBBERS);                                                    \
        *fout = fo;                                                                         \
        return r;                                                                           \
    }

#define D_OP(name, insn)                                                                    \
    static uint64_t name(uint64_t d, uint64_t a, uint64_t b, uint32_t fin, uint32_t *fout)  \
    {                                                                                       \
        uint64_t r;                                                                         \
        uint32_t fo;                                                                        \
        __asm__ volatile("vmsr fpscr, %[fin]\n\tvmov d0, %Q[d], %R[d]\n\t"                  \
                         "vmov d1, %Q[a], %R[a]\n\tvmov d2, %Q[b], %R[b]\n\t" insn "\n\t"   \
                         "vmov %Q[r], %R[r], d0\n\tvmrs %[fo], fpscr\n\tvmsr fpscr, %[z]"   \
                         : [r] "=&r"(r), [fo] "=&r"(fo)                                     \
                         : [fin] "r"(fin), [d] "r"(d), [a] "r"(a), [b] "r"(b), [z] "r"(0)   \
                         : FP_CLOBBERS);                                                    \
        *fout = fo;                                                                         \
        return r;                                                                           \
    }

S_OP(s_add, "vadd.f32 s0, s1, s2")
S_OP(s_sub, "vsub.f32 s0, s1, s2")
S_OP(s_mul, "vmul.f32 s0, s1, s2")
S_OP(s_nmul, "vnmul.f32 s0, s1, s2")
S_OP(s_div, "vdiv.f32 s0, s1, s2")
S_OP(s_mla, "vmla.f32 s0, s1, s2")
S_OP(s_mls, "vmls.f32 s0, s1, s2")
S_OP(s_nmla, "vnmla.f32 s0, s1, s2")
S_OP(s_nmls, "vnmls.f32 s0, s1, s2")
S_OP(s_fma, "vfma.f32 s0, s1, s2")
S_OP(s_fms, "vfms.f32 s0, s1, s2")
S_OP(s_fnma, "vfnma.f32 s0, s1, s2")
S_OP(s_fnms, "vfnms.f32 s0, s1, s2")
S_OP(s_sqrt, "vsqrt.f32 s0, s1")
S_OP(s_abs, "vabs.f32 s0, s1")
S_OP(s_neg, "vneg.f32 s0, s1")
S_OP(s_mov, "vmov.f32 s0, s1")
S_OP(s_cmp, "vcmp.f32 s1, s2")
S_OP(s_cmpe, "vcmpe.f32 s1, s2")
S_OP(s_cmpz, "vcmp.f32 s1, #0")
S_OP(s_cmpez, "vcmpe.f32 s1, #0")
S_OP(s_cvtb_f16, "vcvtb.f16.f32 s0, s1")
S_OP(s_cvtt_f16, "vcvtt.f16.f32 s0, s1")
S_OP(h_cvtb_f32, "vcvtb.f32.f16 s0, s1")
S_OP(h_cvtt_f32, "vcvtt.f32.f16 s0, s1")
S_OP(s_to_s32, "vcvt.s32.f32 s0, s1")
S_OP(s_to_u32, "vcvt.u32.f32 s0, s1")
S_OP(s_to_s32r, "vcvtr.s32.f32 s0, s1")
S_OP(s_to_u32r, "vcvtr.u32.f32 s0, s1")
S_OP(s_from_s32, "vcvt.f32.s32 s0, s1")
S_OP(s_from_u32, "vcvt.f32.u32 s0, s1")
S_OP(s_to_s32x16, "vmov.f32 s0, s1\n\tvcvt.s32.f32 s0, s0, #16")
S_OP(s_to_u16x3, "vmov.f32 s0, s1\n\tvcvt.u16.f32 s0, s0, #3")
S_OP(s_to_s16x0, "vmov.f32 s0, s1\n\tvcvt.s16.f32 s0, s0, #16")
S_OP(s_to_u32x32, "vmov.f32 s0, s1\n\tvcvt.u32.f32 s0, s0, #32")
S_OP(s_from_s32x16, "vmov.f32 s0, s1\n\tvcvt.f32.s32 s0, s0, #16")
S_OP(s_from_u16x3, "vmov.f32 s0, s1\n\tvcvt.f32.u16 s0, s0, #3")
S_OP(s_from_s16x1, "vmov.f32 s0, s1\n\tvcvt.f32.s16 s0, s0, #1")
S_OP(s_from_u32x32, "vmov.f32 s0, s1\n\tvcvt.f32.u32 s0, s0, #32")

D_OP(d_add, "vadd.f64 d0, d1, d2")
D_OP(d_sub, "vsub.f64 d0, d1, d2")
D_OP(d_mul, "vmul.f64 d0, d1, d2")
D_OP(d_nmul, "vnmul.f64 d0, d1, d2")
D_OP(d_div, "vdiv.f64 d0, d1, d2")
D_OP(d_mla, "vmla.f64 d0, d1, d2")
D_OP(d_mls, "vmls.f64 d0, d1, d2")
D_OP(d_nmla, "vnmla.f64 d0, d1, d2")
D_OP(d_nmls, "vnmls.f64 d0, d1, d2")
D_OP(d_fma, "vfma.f64 d0, d1, d2")
D_OP(d_fms, "vfms.f64 d0, d1, d2")
D_OP(d_fnma, "vfnma.f64 d0, d1, d2")
D_OP(d_fnms, "vfnms.f64 d0, d1, d2")
D_OP(d_sqrt, "vsqrt.f64 d0, d1")
D_OP(d_abs, "vabs.f64 d0, d1")
D_OP(d_neg, "vneg.f64 d0, d1")
D_OP(d_cmp, "vcmp.f64 d1, d2")
D_OP(d_cmpe, "vcmpe.f64 d1, d2")
D_OP(d_cmpz, "vcmp.f64 d1, #0")
D_OP(d_cmpez, "vcmpe.f64 d1, #0")
D_OP(d_to_f32, "vcvt.f32.f64 s0, d1\n\tvmov s1, s0")   /* both halves: s0 */
D_OP(s_to_f64, "vcvt.f64.f32 d0, s4")                  /* s4 = low half of b (d2) */
D_OP(d_to_s32, "vcvt.s32.f64 s0, d1\n\tvmov s1, s0")
D_OP(d_to_u32, "vcvt.u32.f64 s0, d1\n\tvmov s1, s0")
D_OP(d_to_s32r, "vcvtr.s32.f64 s0, d1\n\tvmov s1, s0")
D_OP(d_to_u32r, "vcvtr.u32.f64 s0, d1\n\tvmov s1, s0")
D_OP(d_from_s32, "vcvt.f64.s32 d0, s4")
D_OP(d_from_u32, "vcvt.f64.u32 d0, s4")
D_OP(d_to_s32x20, "vmov.f64 d0, d1\n\tvcvt.s32.f64 d0, d0, #20")
D_OP(d_to_u16x8, "vmov.f64 d0, d1\n\tvcvt.u16.f64 d0, d0, #8")
D_OP(d_to_s16x16, "vmov.f64 d0, d1\n\tvcvt.s16.f64 d0, d0, #16")
D_OP(d_from_s32x20, "vmov.f64 d0, d2\n\tvcvt.f64.s32 d0, d0, #20")
D_OP(d_from_u16x8, "vmov.f64 d0, d2\n\tvcvt.f64.u16 d0, d0, #8")

/* ---- drivers ---------------------------------------------------------------------- */

static const char *only;     /* -v NAME */
static uint64_t hash;
static unsigned long count;

static void record(const char *name, uint64_t d, uint64_t a, uint64_t b, uint32_t cfg, uint64_t r,
                   uint32_t fo)
{
    if (only) {
        printf("%s cfg=%08x d=%016llx a=%016llx b=%016llx -> %016llx fpscr=%08x\n", name, cfg,
               (unsigned long long)d, (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)r, fo);
        return;
    }
    uint64_t v[3] = { r, fo, count };
    for (int i = 0; i < 3; i++) {
        hash ^= v[i];
        hash *= 0x100000001b3ull;
        hash ^= hash >> 29;
    }
    count++;
}

static bool begin(const char *name)
{
    hash = 0xcbf29ce484222325ull;
    count = 0;
    return !only || strcmp(only, name) == 0;
}

static void end(const char *name)
{
    if (!only)
        printf("%-14s %6lu %016llx\n", name, count, (unsigned long long)hash);
}

typedef uint32_t (*SOp)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t *);
typedef uint64_t (*DOp)(uint64_t, uint64_t, uint64_t, uint32_t, uint32_t *);

static uint32_t s_operand(unsigned i) { return i < N32 ? f32_vals[i] : rand32[i - N32]; }
static uint64_t d_operand(unsigned i) { return i < N64 ? f64_vals[i] : rand64[i - N64]; }

/* kind: 1 = unary (a), 2 = binary (a, b), 3 = ternary (d from a few, a, b) */
static void run_s(const char *name, SOp op, int kind, unsigned ncfg)
{
    if (!begin(name))
        return;
    unsigned n = N32 + NRAND;
    static const uint32_t accs[] = { 0x00000000, 0x80000000, 0x3f800000, 0x00000001, 0x7f800000,
                                     0x7fc00001, 0x7f800002, 0xbf800001 };
    for (unsigned c = 0; c < ncfg; c++) {
        for (unsigned i = 0; i < n; i++) {
            for (unsigned j = 0; j < (kind >= 2 ? n : 1); j++) {
                for (unsigned k = 0; k < (kind == 3 ? 8u : 1u); k++) {
                    uint32_t d = kind == 3 ? accs[k] : 0x12345678, a = s_operand(i);
                    uint32_t b = kind >= 2 ? s_operand(j) : 0x2468ace0, fo;
                    uint32_t r = op(d, a, b, config(c), &fo);
                    record(name, d, a, b, config(c), r, fo);
                }
            }
        }
    }
    end(name);
}

static void run_d(const char *name, DOp op, int kind, unsigned ncfg)
{
    if (!begin(name))
        return;
    unsigned n = N64 + NRAND;
    static const uint64_t accs[] = { 0, 1ull << 63, 0x3ff0000000000000ull, 1, 0x7ff0000000000000ull,
                                     0x7ff8000000000001ull, 0x7ff0000000000002ull,
                                     0xbff0000000000001ull };
    for (unsigned c = 0; c < ncfg; c++) {
        for (unsigned i = 0; i < n; i++) {
            for (unsigned j = 0; j < (kind >= 2 ? n : 1); j++) {
                for (unsigned k = 0; k < (kind == 3 ? 8u : 1u); k++) {
                    uint64_t d = kind == 3 ? accs[k] : 0x123456789abcdef0ull, a = d_operand(i);
                    uint64_t b = kind >= 2 ? d_operand(j) : 0x0fedcba987654321ull;
                    uint32_t fo;
                    uint64_t r = op(d, a, b, config(c), &fo);
                    record(name, d, a, b, config(c), r, fo);
                }
            }
        }
    }
    end(name);
}

/* Operands that are single-precision values in a 64-bit slot (b's low half) */
static void run_d_from_s(const char *name, DOp op, unsigned ncfg)
{
    if (!begin(name))
        return;
    for (unsigned c = 0; c < ncfg; c++) {
        for (unsigned i = 0; i < N32 + NRAND; i++) {
            uint64_t b = 0xabcdef0000000000ull | s_operand(i);
            uint32_t fo;
            uint64_t r = op(0x1111111122222222ull, 0x3333333344444444ull, b, config(c), &fo);
            record(name, 0, 0, b, config(c), r, fo);
        }
    }
    end(name);
}

/* Half-precision operands in either half of s1, with junk in the other. */
static void run_h(const char *name, SOp op, unsigned ncfg, int top)
{
    if (!begin(name))
        return;
    for (unsigned c = 0; c < ncfg; c++) {
        for (unsigned i = 0; i < N16 + 32; i++) {
            uint32_t h = i < N16 ? f16_vals[i] : (uint32_t)(next_rand() & 0xffff);
            uint32_t a = top ? (h << 16 | 0xa5a5) : (0x5a5a0000 | h), fo;
            uint32_t r = op(0x12345678, a, 0, config(c), &fo);
            record(name, 0, a, 0, config(c), r, fo);
        }
    }
    end(name);
}

/* VMSR/VMRS: which FPSCR bits stick; VMRS APSR_nzcv after compares. */
static void run_fpscr(void)
{
    if (!begin("fpscr_bits"))
        return;
    static const uint32_t writes[] = { 0xffffffff, 0x0000009f, 0xf0000000, 0x07c00000, 0x00370000,
                                       0x00009f00, 0x12345678 };
    for (unsigned i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
        uint32_t back, z = 0;
        __asm__ volatile("vmsr fpscr, %1\n\tvmrs %0, fpscr\n\tvmsr fpscr, %2"
                         : "=&r"(back) : "r"(writes[i]), "r"(z) : "memory");
        /* QC (Advanced SIMD) and the short-vector fields LEN/STRIDE: vemu
         * has neither and keeps them RAZ/WI; qemu stores them. */
        record("fpscr_bits", 0, writes[i], 0, 0, back & ~0x083f0000u, 0);
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t psr, in = i << 28, z = 0;
        __asm__ volatile("msr APSR_nzcvq, %2\n\tvmsr fpscr, %1\n\tvmrs APSR_nzcv, fpscr\n\t"
                         "mrs %0, APSR\n\tvmsr fpscr, %3"
                         : "=&r"(psr) : "r"(in), "r"(0), "r"(z) : "cc", "memory");
        record("fpscr_bits", 0, in, 0, 0, psr & 0xf8000000u, 0);
    }
    end("fpscr_bits");
}

/* VMOV immediate, VLDM/VSTM/VPUSH/VPOP, core <-> extension transfers. */
static void run_moves(void)
{
    if (!begin("moves"))
        return;
    uint32_t out[8];
    __asm__ volatile("vmov.f32 s0, #1.0\n\tvmov.f32 s1, #-0.125\n\tvmov.f64 d1, #31.0\n\t"
                     "vmov.f64 d2, #-1.9375\n\tvmov.f32 s6, #0.5\n\tvmov.f32 s7, #16.0\n\t"
                     "vstmia %0, {d0-d3}"
                     : : "r"(out) : FP_CLOBBERS);
    for (int i = 0; i < 8; i++)
        record("moves", 0, (uint64_t)i, 0, 0, out[i], 0);
    uint32_t src[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, dst[8] = { 0 };
    uint32_t *p = src, *q = dst + 8;
    uint32_t r0, r1, r2, r3;
    __asm__ volatile("vldmia %[p]!, {s0-s5}\n\tvpush {d0-d1}\n\tvpop {d2}\n\tvmov %[r0], %[r1], d2\n\t"
                     "vpop {s10}\n\tvpop {s11}\n\tvmov %[r2], s10\n\tvmov.32 %[r3], d1[1]\n\t"
                     "vstmdb %[q]!, {s0-s4}\n\t"
                     : [p] "+r"(p), [q] "+r"(q), [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2),
                       [r3] "=&r"(r3)
                     : : "d0", "d1", "d2", "d3", "d4", "d5", "memory");
    record("moves", 1, (uint64_t)(p - src), (uint64_t)(q - dst), 0, (uint64_t)r0 << 32 | r1, r2);
    record("moves", 2, r3, 0, 0, 0, 0);
    for (int i = 0; i < 8; i++)
        record("moves", 3, (uint64_t)i, 0, 0, dst[i], 0);
    end("moves");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-v") == 0)
        only = argv[2];
    make_random();
    run_s("vadd.f32", s_add, 2, 16);
    run_s("vsub.f32", s_sub, 2, 16);
    run_s("vmul.f32", s_mul, 2, 16);
    run_s("vnmul.f32", s_nmul, 2, 16);
    run_s("vdiv.f32", s_div, 2, 16);
    run_s("vmla.f32", s_mla, 3, 4);
    run_s("vmls.f32", s_mls, 3, 4);
    run_s("vnmla.f32", s_nmla, 3, 4);
    run_s("vnmls.f32", s_nmls, 3, 4);
    run_s("vfma.f32", s_fma, 3, 16);
    run_s("vfms.f32", s_fms, 3, 4);
    run_s("vfnma.f32", s_fnma, 3, 4);
    run_s("vfnms.f32", s_fnms, 3, 4);
    run_s("vsqrt.f32", s_sqrt, 1, 16);
    run_s("vabs.f32", s_abs, 1, 16);
    run_s("vneg.f32", s_neg, 1, 16);
    run_s("vmov.f32", s_mov, 1, 4);
    run_s("vcmp.f32", s_cmp, 2, 16);
    run_s("vcmpe.f32", s_cmpe, 2, 16);
    run_s("vcmp0.f32", s_cmpz, 1, 16);
    run_s("vcmpe0.f32", s_cmpez, 1, 16);
    run_s("vcvtb.f16.f32", s_cvtb_f16, 1, 32);
    run_s("vcvtt.f16.f32", s_cvtt_f16, 1, 32);
    run_h("vcvtb.f32.f16", h_cvtb_f32, 32, 0);
    run_h("vcvtt.f32.f16", h_cvtt_f32, 32, 1);
    run_s("vcvt.s32.f32", s_to_s32, 1, 16);
    run_s("vcvt.u32.f32", s_to_u32, 1, 16);
    run_s("vcvtr.s32.f32", s_to_s32r, 1, 16);
    run_s("vcvtr.u32.f32", s_to_u32r, 1, 16);
    run_s("vcvt.f32.s32", s_from_s32, 1, 16);
    run_s("vcvt.f32.u32", s_from_u32, 1, 16);
    run_s("vcvt.s32x16", s_to_s32x16, 1, 16);
    run_s("vcvt.u16x3", s_to_u16x3, 1, 16);
    run_s("vcvt.s16x16", s_to_s16x0, 1, 16);
    run_s("vcvt.u32x32", s_to_u32x32, 1, 16);
    run_s("vcvt.f.s32x16", s_from_s32x16, 1, 16);
    run_s("vcvt.f.u16x3", s_from_u16x3, 1, 16);
    run_s("vcvt.f.s16x1", s_from_s16x1, 1, 16);
    run_s("vcvt.f.u32x32", s_from_u32x32, 1, 16);
    run_d("vadd.f64", d_add, 2, 16);
    run_d("vsub.f64", d_sub, 2, 16);
    run_d("vmul.f64", d_mul, 2, 16);
    run_d("vnmul.f64", d_nmul, 2, 16);
    run_d("vdiv.f64", d_div, 2, 16);
    run_d("vmla.f64", d_mla, 3, 4);
    run_d("vmls.f64", d_mls, 3, 4);
    run_d("vnmla.f64", d_nmla, 3, 4);
    run_d("vnmls.f64", d_nmls, 3, 4);
    run_d("vfma.f64", d_fma, 3, 16);
    run_d("vfms.f64", d_fms, 3, 4);
    run_d("vfnma.f64", d_fnma, 3, 4);
    run_d("vfnms.f64", d_fnms, 3, 4);
    run_d("vsqrt.f64", d_sqrt, 1, 16);
    run_d("vabs.f64", d_abs, 1, 4);
    run_d("vneg.f64", d_neg, 1, 4);
    run_d("vcmp.f64", d_cmp, 2, 16);
    run_d("vcmpe.f64", d_cmpe, 2, 16);
    run_d("vcmp0.f64", d_cmpz, 1, 16);
    run_d("vcmpe0.f64", d_cmpez, 1, 16);
    run_d("vcvt.f32.f64", d_to_f32, 1, 16);
    run_d_from_s("vcvt.f64.f32", s_to_f64, 16);
    run_d("vcvt.s32.f64", d_to_s32, 1, 16);
    run_d("vcvt.u32.f64", d_to_u32, 1, 16);
    run_d("vcvtr.s32.f64", d_to_s32r, 1, 16);
    run_d("vcvtr.u32.f64", d_to_u32r, 1, 16);
    run_d_from_s("vcvt.f64.s32", d_from_s32, 16);
    run_d_from_s("vcvt.f64.u32", d_from_u32, 16);
    run_d("vcvt.s32x20.f64", d_to_s32x20, 1, 16);
    run_d("vcvt.u16x8.f64", d_to_u16x8, 1, 16);
    run_d("vcvt.s16x16.f64", d_to_s16x16, 1, 16);
    run_d_from_s("vcvt.f64.s32x20", d_from_s32x20, 16);
    run_d_from_s("vcvt.f64.u16x8", d_from_u16x8, 16);
    run_fpscr();
    run_moves();
    return 0;
}
