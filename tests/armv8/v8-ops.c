/*
 * v8-ops.c — the FP-ARMv8 instructions over vfp-ops.c's operand tables
 * (signed zeros, denormals, infinities, quiet and signalling NaNs with
 * payloads, extreme normals, ties, integer boundaries, random values) under
 * every FPSCR rounding mode x FZ x DN (x AHP), one hash line per form.
 * It reuses tests/vfp/vfp-ops.c's tables and drivers (included below, with
 * its main renamed), so both programs test with the same operands.
 * tests/armv8/run.sh compares the lines with qemu-arm -cpu max; `v8-ops -v
 * NAME` prints every case of one form.
 */
#define main vfp_ops_main
#include "../vfp/vfp-ops.c"
#undef main

S_OP(s_vmaxnm, "vmaxnm.f32 s0, s1, s2")
S_OP(s_vminnm, "vminnm.f32 s0, s1, s2")
D_OP(d_vmaxnm, "vmaxnm.f64 d0, d1, d2")
D_OP(d_vminnm, "vminnm.f64 d0, d1, d2")
S_OP(s_vrinta, "vrinta.f32 s0, s1")
S_OP(s_vrintn, "vrintn.f32 s0, s1")
S_OP(s_vrintp, "vrintp.f32 s0, s1")
S_OP(s_vrintm, "vrintm.f32 s0, s1")
S_OP(s_vrintr, "vrintr.f32 s0, s1")
S_OP(s_vrintz, "vrintz.f32 s0, s1")
S_OP(s_vrintx, "vrintx.f32 s0, s1")
D_OP(d_vrinta, "vrinta.f64 d0, d1")
D_OP(d_vrintn, "vrintn.f64 d0, d1")
D_OP(d_vrintp, "vrintp.f64 d0, d1")
D_OP(d_vrintm, "vrintm.f64 d0, d1")
D_OP(d_vrintr, "vrintr.f64 d0, d1")
D_OP(d_vrintz, "vrintz.f64 d0, d1")
D_OP(d_vrintx, "vrintx.f64 d0, d1")
S_OP(s_vcvta_s, "vcvta.s32.f32 s0, s1")
S_OP(s_vcvta_u, "vcvta.u32.f32 s0, s1")
S_OP(s_vcvtn_s, "vcvtn.s32.f32 s0, s1")
S_OP(s_vcvtn_u, "vcvtn.u32.f32 s0, s1")
S_OP(s_vcvtp_s, "vcvtp.s32.f32 s0, s1")
S_OP(s_vcvtp_u, "vcvtp.u32.f32 s0, s1")
S_OP(s_vcvtm_s, "vcvtm.s32.f32 s0, s1")
S_OP(s_vcvtm_u, "vcvtm.u32.f32 s0, s1")
/* the result is in s0, the low half of d0 */
D_OP(d_vcvta_s, "vcvta.s32.f64 s0, d1")
D_OP(d_vcvta_u, "vcvta.u32.f64 s0, d1")
D_OP(d_vcvtn_s, "vcvtn.s32.f64 s0, d1")
D_OP(d_vcvtn_u, "vcvtn.u32.f64 s0, d1")
D_OP(d_vcvtp_s, "vcvtp.s32.f64 s0, d1")
D_OP(d_vcvtp_u, "vcvtp.u32.f64 s0, d1")
D_OP(d_vcvtm_s, "vcvtm.s32.f64 s0, d1")
D_OP(d_vcvtm_u, "vcvtm.u32.f64 s0, d1")
/* double -> half into either half of s0 (d0 starts as junk) */
D_OP(d_vcvtb_f16, "vcvtb.f16.f64 s0, d1")
D_OP(d_vcvtt_f16, "vcvtt.f16.f64 s0, d1")
/* half (in s1, i.e. the high word of d0's operand slot: a's low half) -> double */
S_OP(h_dummy, "nop")
D_OP(h_vcvtb_f64, "vcvtb.f64.f16 d0, s2")
D_OP(h_vcvtt_f64, "vcvtt.f64.f16 d0, s2")

/* VSEL<cc>: d = cc(APSR) ? a : b, under all 16 NZCV values. */
#define SEL_OP(name, insn)                                                                  \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t nzcv)                             \
    {                                                                                       \
        uint64_t r;                                                                         \
        __asm__ volatile("msr APSR_nzcvq, %[f]\n\tvmov d1, %Q[a], %R[a]\n\t"                \
                         "vmov d2, %Q[b], %R[b]\n\tvmov d0, %Q[b], %R[a]\n\t" insn "\n\t"   \
                         "vmov %Q[r], %R[r], d0"                                            \
                         : [r] "=&r"(r)                                                     \
                         : [f] "r"(nzcv << 28), [a] "r"(a), [b] "r"(b)                      \
                         : FP_CLOBBERS, "cc");                                              \
        return r;                                                                           \
    }
SEL_OP(sel_eq_d, "vseleq.f64 d0, d1, d2")
SEL_OP(sel_vs_d, "vselvs.f64 d0, d1, d2")
SEL_OP(sel_ge_d, "vselge.f64 d0, d1, d2")
SEL_OP(sel_gt_d, "vselgt.f64 d0, d1, d2")
SEL_OP(sel_eq_s, "vseleq.f32 s0, s2, s4")
SEL_OP(sel_vs_s, "vselvs.f32 s1, s3, s5")
SEL_OP(sel_ge_s, "vselge.f32 s0, s3, s4")
SEL_OP(sel_gt_s, "vselgt.f32 s1, s2, s5")

static void run_sel(const char *name, uint64_t (*op)(uint64_t, uint64_t, uint32_t))
{
    if (!begin(name))
        return;
    for (uint32_t f = 0; f < 16; f++) {
        for (unsigned i = 0; i < 8; i++) {
            uint64_t a = d_operand(i * 5), b = d_operand(i * 7 + 1);
            record(name, 0, a, b, f, op(a, b, f), 0);
        }
    }
    end(name);
}

/* Half-precision operands in either half of the low word of d1 (s2). */
static void run_hd(const char *name, DOp op, unsigned ncfg, int top)
{
    if (!begin(name))
        return;
    for (unsigned c = 0; c < ncfg; c++) {
        for (unsigned i = 0; i < N16 + 32; i++) {
            uint32_t h = i < N16 ? f16_vals[i] : (uint32_t)(next_rand() & 0xffff), fo;
            uint64_t a = 0x9876543200000000ull | (top ? (h << 16 | 0xa5a5) : (0x5a5a0000 | h));
            uint64_t r = op(0x123456789abcdef0ull, a, 0, config(c), &fo);
            record(name, 0, a, 0, config(c), r, fo);
        }
    }
    end(name);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "-v") == 0)
        only = argv[2];
    make_random();
    (void)h_dummy;
    run_s("vmaxnm.f32", s_vmaxnm, 2, 16);
    run_s("vminnm.f32", s_vminnm, 2, 16);
    run_d("vmaxnm.f64", d_vmaxnm, 2, 16);
    run_d("vminnm.f64", d_vminnm, 2, 16);
    run_s("vrinta.f32", s_vrinta, 1, 16);
    run_s("vrintn.f32", s_vrintn, 1, 16);
    run_s("vrintp.f32", s_vrintp, 1, 16);
    run_s("vrintm.f32", s_vrintm, 1, 16);
    run_s("vrintr.f32", s_vrintr, 1, 16);
    run_s("vrintz.f32", s_vrintz, 1, 16);
    run_s("vrintx.f32", s_vrintx, 1, 16);
    run_d("vrinta.f64", d_vrinta, 1, 16);
    run_d("vrintn.f64", d_vrintn, 1, 16);
    run_d("vrintp.f64", d_vrintp, 1, 16);
    run_d("vrintm.f64", d_vrintm, 1, 16);
    run_d("vrintr.f64", d_vrintr, 1, 16);
    run_d("vrintz.f64", d_vrintz, 1, 16);
    run_d("vrintx.f64", d_vrintx, 1, 16);
    run_s("vcvta.s32.f32", s_vcvta_s, 1, 16);
    run_s("vcvta.u32.f32", s_vcvta_u, 1, 16);
    run_s("vcvtn.s32.f32", s_vcvtn_s, 1, 16);
    run_s("vcvtn.u32.f32", s_vcvtn_u, 1, 16);
    run_s("vcvtp.s32.f32", s_vcvtp_s, 1, 16);
    run_s("vcvtp.u32.f32", s_vcvtp_u, 1, 16);
    run_s("vcvtm.s32.f32", s_vcvtm_s, 1, 16);
    run_s("vcvtm.u32.f32", s_vcvtm_u, 1, 16);
    run_d("vcvta.s32.f64", d_vcvta_s, 1, 16);
    run_d("vcvta.u32.f64", d_vcvta_u, 1, 16);
    run_d("vcvtn.s32.f64", d_vcvtn_s, 1, 16);
    run_d("vcvtn.u32.f64", d_vcvtn_u, 1, 16);
    run_d("vcvtp.s32.f64", d_vcvtp_s, 1, 16);
    run_d("vcvtp.u32.f64", d_vcvtp_u, 1, 16);
    run_d("vcvtm.s32.f64", d_vcvtm_s, 1, 16);
    run_d("vcvtm.u32.f64", d_vcvtm_u, 1, 16);
    run_d("vcvtb.f16.f64", d_vcvtb_f16, 1, 32);
    run_d("vcvtt.f16.f64", d_vcvtt_f16, 1, 32);
    run_hd("vcvtb.f64.f16", h_vcvtb_f64, 32, 0);
    run_hd("vcvtt.f64.f16", h_vcvtt_f64, 32, 1);
    run_sel("vseleq.f64", sel_eq_d);
    run_sel("vselvs.f64", sel_vs_d);
    run_sel("vselge.f64", sel_ge_d);
    run_sel("vselgt.f64", sel_gt_d);
    run_sel("vseleq.f32", sel_eq_s);
    run_sel("vselvs.f32", sel_vs_s);
    run_sel("vselge.f32", sel_ge_s);
    run_sel("vselgt.f32", sel_gt_s);
    return 0;
}
