/*
 * fp16-ops.c — the FEAT_FP16 scalar half-precision instructions (ARMv8.2,
 * -cpu max) over a table of half-precision operands (signed zeros,
 * denormals, the smallest and largest normals, infinities, quiet and
 * signalling NaNs with payloads, ties for every rounding, values near the
 * integer boundaries) plus random ones, under every FPSCR rounding mode x
 * FZ16 x DN (x FZ with AHP), one hash line per form.  Operands go in with
 * junk in bits 31:16 of their S registers, and the result's top half is
 * checked too.  tests/armv8/run.sh compares the lines with qemu-arm
 * -cpu max; `fp16-ops -v NAME` prints every case of one form, and
 * `fp16-ops misaligned` does a misaligned VLDR.16.  Built with
 * -march=armv8.2-a+fp16 -mfpu=fp-armv8 (run.sh checks that the objects
 * hold no Advanced SIMD instruction).  Reuses vfp-ops.c's hashing
 * (included below).
 */
/* gcc 12 with -mfpu=fp-armv8 -march=armv8.2-a+fp16 emits FP16 code but
 * does not tell the assembler (and -mfpu=auto would bring in NEON). */
__asm__(".arch_extension fp16");

#define main vfp_ops_main
#include "../vfp/vfp-ops.c"
#undef main

static const uint32_t h_vals[] = {
    0x0000, 0x8000, 0x0001, 0x8001, 0x0002, 0x01ff, 0x0200, 0x03ff, 0x83ff, 0x0400, 0x8400,
    0x0401, 0x07ff, 0x1000, 0x3555, 0x3800, 0xb800, 0x3a00, 0x3bff, 0x3c00, 0xbc00, 0x3c01,
    0x3e00, 0xbe00, 0x4000, 0x4100, 0xc100, 0x4500, 0x5555, 0x63ff, 0x6400, 0x6401, 0x6800,
    0x7800, 0x7bfe, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7e55, 0x7d00, 0xfd01,
    0x7c01, 0x7fff, 0x57ff, 0xd800, 0x2e66, 0x0c00,
};
#define NH (sizeof(h_vals) / sizeof(h_vals[0]))
#define NHR 24
static uint32_t h_rand[NHR];

static uint32_t h_operand(unsigned i) { return i < NH ? h_vals[i] : h_rand[i - NH]; }
/* junk in the top half, different per operand slot */
static uint32_t junk(uint32_t h, unsigned slot) { return (0x5a5au + slot * 0x1111u) << 16 | h; }

/* RMode x FZ16 x DN x (FZ and AHP: neither may affect these instructions) */
static uint32_t hcfg(unsigned i)
{
    return (i & 3) << 22 | ((i >> 2) & 1) << 19 | ((i >> 3) & 1) << 25 | ((i >> 4) & 1) * 0x05000000u;
}

#define H_CLOBBERS "d0", "d1", "d2", "memory"
/* s0 = d, s1 = a, s2 = b; insn; r = s0 (all 32 bits), fout = FPSCR */
#define H_OP(name, insn)                                                                    \
    static uint32_t name(uint32_t d, uint32_t a, uint32_t b, uint32_t fin, uint32_t *fout)  \
    {                                                                                       \
        uint32_t r, fo;                                                                     \
        __asm__ volatile("vmsr fpscr, %[fin]\n\tvmov s0, %[d]\n\tvmov s1, %[a]\n\t"         \
                         "vmov s2, %[b]\n\t" insn "\n\tvmov %[r], s0\n\t"                   \
                         "vmrs %[fo], fpscr\n\tvmsr fpscr, %[z]"                            \
                         : [r] "=&r"(r), [fo] "=&r"(fo)                                     \
                         : [fin] "r"(fin), [d] "r"(d), [a] "r"(a), [b] "r"(b), [z] "r"(0)   \
                         : H_CLOBBERS);                                                     \
        *fout = fo;                                                                         \
        return r;                                                                           \
    }

H_OP(h_add, "vadd.f16 s0, s1, s2")
H_OP(h_sub, "vsub.f16 s0, s1, s2")
H_OP(h_mul, "vmul.f16 s0, s1, s2")
H_OP(h_nmul, "vnmul.f16 s0, s1, s2")
H_OP(h_div, "vdiv.f16 s0, s1, s2")
H_OP(h_maxnm, "vmaxnm.f16 s0, s1, s2")
H_OP(h_minnm, "vminnm.f16 s0, s1, s2")
H_OP(h_mla, "vmla.f16 s0, s1, s2")
H_OP(h_mls, "vmls.f16 s0, s1, s2")
H_OP(h_nmla, "vnmla.f16 s0, s1, s2")
H_OP(h_nmls, "vnmls.f16 s0, s1, s2")
H_OP(h_fma, "vfma.f16 s0, s1, s2")
H_OP(h_fms, "vfms.f16 s0, s1, s2")
H_OP(h_fnma, "vfnma.f16 s0, s1, s2")
H_OP(h_fnms, "vfnms.f16 s0, s1, s2")
H_OP(h_abs, "vabs.f16 s0, s1")
H_OP(h_neg, "vneg.f16 s0, s1")
H_OP(h_sqrt, "vsqrt.f16 s0, s1")
H_OP(h_rinta, "vrinta.f16 s0, s1")
H_OP(h_rintn, "vrintn.f16 s0, s1")
H_OP(h_rintp, "vrintp.f16 s0, s1")
H_OP(h_rintm, "vrintm.f16 s0, s1")
H_OP(h_rintr, "vrintr.f16 s0, s1")
H_OP(h_rintx, "vrintx.f16 s0, s1")
H_OP(h_rintz, "vrintz.f16 s0, s1")
H_OP(h_cvt_s, "vcvt.s32.f16 s0, s1")
H_OP(h_cvt_u, "vcvt.u32.f16 s0, s1")
H_OP(h_cvtr_s, "vcvtr.s32.f16 s0, s1")
H_OP(h_cvtr_u, "vcvtr.u32.f16 s0, s1")
H_OP(h_cvta_s, "vcvta.s32.f16 s0, s1")
H_OP(h_cvta_u, "vcvta.u32.f16 s0, s1")
H_OP(h_cvtn_s, "vcvtn.s32.f16 s0, s1")
H_OP(h_cvtn_u, "vcvtn.u32.f16 s0, s1")
H_OP(h_cvtp_s, "vcvtp.s32.f16 s0, s1")
H_OP(h_cvtp_u, "vcvtp.u32.f16 s0, s1")
H_OP(h_cvtm_s, "vcvtm.s32.f16 s0, s1")
H_OP(h_cvtm_u, "vcvtm.u32.f16 s0, s1")
/* The 16-bit fixed-point forms with .F16, which binutils 2.40 does not
 * assemble: their encodings (cond 1110 1D11 1o1U Vd 1001 sx1i 0imm4). */
#ifdef __thumb__
#define INSN(x) ".inst.w " #x
#else
#define INSN(x) ".inst " #x
#endif
/* fixed point in place: the operand is d (s0) */
H_OP(h_tofix_s16, INSN(0xeebe0966))      /* vcvt.s16.f16 s0, s0, #3 */
H_OP(h_tofix_u16, INSN(0xeebf0940))      /* vcvt.u16.f16 s0, s0, #16 */
H_OP(h_tofix_s32, "vcvt.s32.f16 s0, s0, #20")
H_OP(h_tofix_u32, "vcvt.u32.f16 s0, s0, #1")
/* integer / fixed point -> half: the operand is a 32-bit value */
H_OP(h_from_s32, "vcvt.f16.s32 s0, s1")
H_OP(h_from_u32, "vcvt.f16.u32 s0, s1")
H_OP(h_fromfix_s16, INSN(0xeeba0946))   /* vcvt.f16.s16 s0, s0, #4 */
H_OP(h_fromfix_u16, INSN(0xeebb0940))   /* vcvt.f16.u16 s0, s0, #16 */
H_OP(h_fromfix_s32, "vcvt.f16.s32 s0, s0, #30")
H_OP(h_fromfix_u32, "vcvt.f16.u32 s0, s0, #7")
/* compares: the result is FPSCR (NZCV and IOC) */
H_OP(h_cmp, "vcmp.f16 s1, s2")
H_OP(h_cmpe, "vcmpe.f16 s1, s2")
H_OP(h_cmp0, "vcmp.f16 s1, #0")
H_OP(h_cmpe0, "vcmpe.f16 s1, #0")
/* moves */
H_OP(h_ins, "vins.f16 s0, s1")
H_OP(h_movx, "vmovx.f16 s0, s1")
H_OP(h_core, "vmov.f16 r12, s1\n\tvmov.f16 s0, r12\n\tvmov s2, r12\n\tvadd.f32 s0, s0, s2")

/* kind: 1 unary (a), 2 binary (a, b), 3 ternary (d from a few, a, b),
 * 4 in place (d) */
static void run_hh(const char *name, SOp op, int kind, unsigned ncfg)
{
    if (!begin(name))
        return;
    static const uint32_t accs[] = { 0x0000, 0x8000, 0x3c00, 0x0001, 0x7c00, 0xfc00, 0x7e01, 0x7c02,
                                     0xbc01, 0x7bff };
    unsigned n = kind == 3 ? 30 : NH + NHR;
    for (unsigned c = 0; c < ncfg; c++)
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < (kind == 2 || kind == 3 ? n : 1); j++)
                for (unsigned k = 0; k < (kind == 3 ? 10u : 1u); k++) {
                    uint32_t ai = kind == 3 ? (i * 7 + 3) % (NH + NHR) : i;
                    uint32_t bi = kind == 3 ? (j * 11 + 5) % (NH + NHR) : j;
                    uint32_t d = junk(kind == 3 ? accs[k] : kind == 4 ? h_operand(i) : 0x1234, 0);
                    uint32_t a = junk(h_operand(ai), 1), b = junk(kind >= 2 ? h_operand(bi) : 0, 2), fo;
                    uint32_t r = op(d, a, b, hcfg(c), &fo);
                    record(name, d, a, b, hcfg(c), r, fo);
                }
    if (kind == 3) {
        /* products far below the addend's last bit (or just at it): where
         * a rounding of the exact sum to anything wider first goes wrong */
        static const uint32_t small[] = { 0x0001, 0x8001, 0x03ff, 0x0400, 0x3c01, 0xbc00, 0x7bff,
                                          0x1400, 0x2001, 0xa3ff };
        static const uint32_t big[] = { 0x7800, 0xf800, 0x6400, 0x3c00, 0xbc00, 0x7bff, 0x0400,
                                        0x8400, 0x5801, 0x0000 };
        for (unsigned c = 0; c < ncfg; c++)
            for (unsigned i = 0; i < 10; i++)
                for (unsigned j = 0; j < 10; j++)
                    for (unsigned k = 0; k < 10; k++) {
                        uint32_t d = junk(big[k], 0), a = junk(small[i], 1), b = junk(small[j], 2), fo;
                        uint32_t r = op(d, a, b, hcfg(c), &fo);
                        record(name, d, a, b, hcfg(c), r, fo);
                    }
    }
    end(name);
}

/* 32-bit integer / fixed-point operands */
static const uint32_t i_vals[] = {
    0, 1, 2, 3, 0x7ff, 0x800, 0x801, 0x802, 0x803, 0xfff, 0x1001, 0x1003, 0xffe0, 0xffef, 0xfff0,
    0xffff, 0x10000, 0x7fff, 0x8000, 0x8001, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff,
    0xfffffffe, 0xfffff801, 0xffff0001, 0x12345678, 0x00100000, 0x0fffffff, 0x3ff, 0x400,
};
static void run_from(const char *name, SOp op, bool in_place)
{
    if (!begin(name))
        return;
    unsigned n = sizeof(i_vals) / sizeof(i_vals[0]);
    for (unsigned c = 0; c < 16; c++)
        for (unsigned i = 0; i < n + 32; i++) {
            uint32_t v = i < n ? i_vals[i] : (uint32_t)next_rand() >> (i % 31), fo;
            uint32_t r = in_place ? op(v, 0, 0, hcfg(c), &fo) : op(0x12345678, v, 0, hcfg(c), &fo);
            record(name, v, 0, 0, hcfg(c), r, fo);
        }
    end(name);
}

/* VSEL<cc>.F16 under all 16 NZCV values */
#define HSEL_OP(name, insn)                                                                 \
    static uint32_t name(uint32_t a, uint32_t b, uint32_t nzcv)                             \
    {                                                                                       \
        uint32_t r;                                                                         \
        __asm__ volatile("msr APSR_nzcvq, %[f]\n\tvmov s1, %[a]\n\tvmov s2, %[b]\n\t"       \
                         "vmov s0, %[a]\n\t" insn "\n\tvmov %[r], s0"                       \
                         : [r] "=&r"(r)                                                     \
                         : [f] "r"(nzcv << 28), [a] "r"(a), [b] "r"(b)                      \
                         : H_CLOBBERS, "cc");                                               \
        return r;                                                                           \
    }
HSEL_OP(hsel_eq, "vseleq.f16 s0, s1, s2")
HSEL_OP(hsel_vs, "vselvs.f16 s0, s1, s2")
HSEL_OP(hsel_ge, "vselge.f16 s0, s1, s2")
HSEL_OP(hsel_gt, "vselgt.f16 s0, s1, s2")

static void run_hsel(const char *name, uint32_t (*op)(uint32_t, uint32_t, uint32_t))
{
    if (!begin(name))
        return;
    for (uint32_t f = 0; f < 16; f++)
        for (unsigned i = 0; i < 6; i++) {
            uint32_t a = junk(h_operand(i * 5), 1), b = junk(h_operand(i * 7 + 1), 2);
            record(name, 0, a, b, f, op(a, b, f), 0);
        }
    end(name);
}

/* VMOV.F16 immediates, VLDR.16/VSTR.16 (offsets, r15-relative, the other
 * halfword of the memory untouched) */
static void run_misc(void)
{
    if (!begin("f16_moves"))
        return;
    uint32_t out[6];
    __asm__ volatile("vmov s0, %1\n\tvmov s1, %1\n\tvmov s2, %1\n\tvmov s3, %1\n\t"
                     "vmov.f16 s0, #1.0\n\tvmov.f16 s1, #-0.125\n\tvmov.f16 s2, #31.0\n\t"
                     "vmov.f16 s3, #-1.9375\n\tvmov.f16 s4, #0.1328125\n\tvmov.f16 s5, #2.5\n\t"
                     "vstmia %0, {s0-s5}"
                     : : "r"(out), "r"(0xdeadbeef) : "d0", "d1", "d2", "memory");
    for (int i = 0; i < 6; i++)
        record("f16_moves", 0, (uint64_t)i, 0, 0, out[i], 0);
    uint16_t mem[8] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888 };
    uint32_t r[4];
    __asm__ volatile("vmov s0, %2\n\tvmov s1, %2\n\tvldr.16 s0, [%1, #2]\n\tvldr.16 s1, [%1, #14]\n\t"
                     "vstr.16 s0, [%1, #8]\n\tvstr.16 s1, [%1]\n\tvldr.16 s2, 1f\n\tvldr.16 s3, 1f + 2\n\t"
                     "vstmia %0, {s0-s3}\n\tb 2f\n\t.p2align 2\n1:\n\t.word 0xbeefcafe\n2:"
                     : : "r"(r), "r"(mem), "r"(0xdeadbeef) : "d0", "d1", "memory");
    for (int i = 0; i < 4; i++)
        record("f16_moves", 1, (uint64_t)i, 0, 0, r[i], 0);
    for (int i = 0; i < 8; i++)
        record("f16_moves", 2, (uint64_t)i, 0, 0, mem[i], 0);
    end("f16_moves");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "misaligned") == 0) {
        /* VLDR.16 from an odd address: SIGBUS (BUS_ADRALN), as the other
         * VFP transfers (run.sh checks the exit status) */
        static uint16_t buf[4] = { 0x3c00, 0x4000, 0x4200, 0x4400 };
        uint32_t r;
        __asm__ volatile("vldr.16 s0, [%1]\n\tvmov %0, s0" : "=r"(r)
                         : "r"((char *)buf + 1) : "d0", "memory");
        printf("no fault: %08x\n", (unsigned)r);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "-v") == 0)
        only = argv[2];
    for (unsigned i = 0; i < NHR; i++) {
        /* random halves, exponents biased to the edges */
        static const uint32_t e[] = { 0, 1, 2, 13, 14, 15, 16, 24, 25, 29, 30 };
        uint64_t r = next_rand();
        h_rand[i] = (uint32_t)(r >> 63) << 15 | e[(r >> 20) % 11] << 10 | (uint32_t)(r & 0x3ff);
    }
    run_hh("vadd.f16", h_add, 2, 32);
    run_hh("vsub.f16", h_sub, 2, 32);
    run_hh("vmul.f16", h_mul, 2, 32);
    run_hh("vnmul.f16", h_nmul, 2, 16);
    run_hh("vdiv.f16", h_div, 2, 32);
    run_hh("vmaxnm.f16", h_maxnm, 2, 16);
    run_hh("vminnm.f16", h_minnm, 2, 16);
    run_hh("vmla.f16", h_mla, 3, 16);
    run_hh("vmls.f16", h_mls, 3, 16);
    run_hh("vnmla.f16", h_nmla, 3, 16);
    run_hh("vnmls.f16", h_nmls, 3, 16);
    run_hh("vfma.f16", h_fma, 3, 16);
    run_hh("vfms.f16", h_fms, 3, 16);
    run_hh("vfnma.f16", h_fnma, 3, 16);
    run_hh("vfnms.f16", h_fnms, 3, 16);
    run_hh("vabs.f16", h_abs, 1, 16);
    run_hh("vneg.f16", h_neg, 1, 16);
    run_hh("vsqrt.f16", h_sqrt, 1, 32);
    run_hh("vrinta.f16", h_rinta, 1, 16);
    run_hh("vrintn.f16", h_rintn, 1, 16);
    run_hh("vrintp.f16", h_rintp, 1, 16);
    run_hh("vrintm.f16", h_rintm, 1, 16);
    run_hh("vrintr.f16", h_rintr, 1, 16);
    run_hh("vrintx.f16", h_rintx, 1, 16);
    run_hh("vrintz.f16", h_rintz, 1, 16);
    run_hh("vcvt.s32.f16", h_cvt_s, 1, 32);
    run_hh("vcvt.u32.f16", h_cvt_u, 1, 16);
    run_hh("vcvtr.s32.f16", h_cvtr_s, 1, 16);
    run_hh("vcvtr.u32.f16", h_cvtr_u, 1, 16);
    run_hh("vcvta.s32.f16", h_cvta_s, 1, 16);
    run_hh("vcvta.u32.f16", h_cvta_u, 1, 16);
    run_hh("vcvtn.s32.f16", h_cvtn_s, 1, 16);
    run_hh("vcvtn.u32.f16", h_cvtn_u, 1, 16);
    run_hh("vcvtp.s32.f16", h_cvtp_s, 1, 16);
    run_hh("vcvtp.u32.f16", h_cvtp_u, 1, 16);
    run_hh("vcvtm.s32.f16", h_cvtm_s, 1, 16);
    run_hh("vcvtm.u32.f16", h_cvtm_u, 1, 16);
    run_hh("vcvt.s16.f16#3", h_tofix_s16, 4, 16);
    run_hh("vcvt.u16.f16#16", h_tofix_u16, 4, 16);
    run_hh("vcvt.s32.f16#20", h_tofix_s32, 4, 16);
    run_hh("vcvt.u32.f16#1", h_tofix_u32, 4, 16);
    run_from("vcvt.f16.s32", h_from_s32, false);
    run_from("vcvt.f16.u32", h_from_u32, false);
    run_from("vcvt.f16.s16#4", h_fromfix_s16, true);
    run_from("vcvt.f16.u16#16", h_fromfix_u16, true);
    run_from("vcvt.f16.s32#30", h_fromfix_s32, true);
    run_from("vcvt.f16.u32#7", h_fromfix_u32, true);
    run_hh("vcmp.f16", h_cmp, 2, 16);
    run_hh("vcmpe.f16", h_cmpe, 2, 16);
    run_hh("vcmp.f16#0", h_cmp0, 1, 16);
    run_hh("vcmpe.f16#0", h_cmpe0, 1, 16);
    run_hh("vins.f16", h_ins, 1, 1);
    run_hh("vmovx.f16", h_movx, 1, 1);
    run_hh("vmov.f16-core", h_core, 1, 1);
    run_hsel("vseleq.f16", hsel_eq);
    run_hsel("vselvs.f16", hsel_vs);
    run_hsel("vselge.f16", hsel_ge);
    run_hsel("vselgt.f16", hsel_gt);
    run_misc();
    return 0;
}
