/*
 * Unit tests for the ARM VFP (frontend-arm/translate-vfp.c, vfp-helpers.c):
 * hand-assembled A32 VFP instructions (encodings from GNU as) run through
 * exec with the IR interpreter and with the x86_64 backend; results, FPSCR
 * flags and NZCV are checked against values worked out from the ARM ARM
 * pseudocode (and cross-checked with qemu-arm 7.2).  Also: D16 / no-VFP
 * models, privileged-only registers, AT_HWCAP bits, and IR validity of
 * random VFP encodings.  The exhaustive differential test against qemu-arm
 * is tests/vfp/run.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "frontend-arm/arm-vfp.h"
#include "tests/unit/arm-test-rig.h"

/* FPSCR shorthands */
#define IOC FPSCR_IOC
#define DZC FPSCR_DZC
#define OFC FPSCR_OFC
#define UFC FPSCR_UFC
#define IXC FPSCR_IXC
#define IDC FPSCR_IDC
#define FZ  FPSCR_FZ
#define DN  FPSCR_DN
#define AHP FPSCR_AHP
#define RP  (1u << 22)
#define RM  (2u << 22)
#define RZ  (3u << 22)

static uint32_t get_s(const ARMCPU *cpu, int n)
{
    return (uint32_t)(cpu->vfp_d[n >> 1] >> ((n & 1) * 32));
}

static void set_s(ARMCPU *cpu, int n, uint32_t v)
{
    uint64_t mask = 0xffffffffull << ((n & 1) * 32);
    cpu->vfp_d[n >> 1] = (cpu->vfp_d[n >> 1] & ~mask) | (uint64_t)v << ((n & 1) * 32);
}

/* ---- single precision: s0 = op(s0, s1, s2) ----------------------------------------- */

typedef struct SCase {
    const char *name;
    uint32_t insn;
    uint32_t s0, s1, s2;
    uint32_t fpscr_in;
    uint32_t out;          /* s0 afterwards */
    uint32_t fpscr_out;
} SCase;

#define VADD_S  0xee300a81u   /* vadd.f32 s0, s1, s2 */
#define VDIV_S  0xee800a81u   /* vdiv.f32 s0, s1, s2 */
#define VMUL_S  0xee200a81u   /* vmul.f32 s0, s1, s2 */
#define VMLA_S  0xee000a81u   /* vmla.f32 s0, s1, s2 */
#define VFMA_S  0xeea00a81u   /* vfma.f32 s0, s1, s2 */
#define VCVT_S32   0xeebd0ae0u   /* vcvt.s32.f32 s0, s1 */
#define VCVTR_S32  0xeebd0a60u   /* vcvtr.s32.f32 s0, s1 */
#define VCVT_U32   0xeebc0ae0u   /* vcvt.u32.f32 s0, s1 */
#define VCVT_FIX16 0xeebe0ac8u   /* vcvt.s32.f32 s0, s0, #16 */
#define VCVTB_F16  0xeeb30a60u   /* vcvtb.f16.f32 s0, s1 */
#define VCVTT_F32  0xeeb20ae0u   /* vcvtt.f32.f16 s0, s1 */
#define VNEG_S     0xeeb10a60u   /* vneg.f32 s0, s1 */
#define VCVT_F32_U32 0xeeb80a60u /* vcvt.f32.u32 s0, s1 */

static const SCase s_cases[] = {
    { "add", VADD_S, 0, 0x3f800000, 0x40000000, 0, 0x40400000, 0 },
    { "add_inexact", VDIV_S, 0, 0x3f800000, 0x40400000, 0, 0x3eaaaaab, IXC },
    /* 1/3 in each rounding mode */
    { "div_rz", VDIV_S, 0, 0x3f800000, 0x40400000, RZ, 0x3eaaaaaa, RZ | IXC },
    { "div_rp", VDIV_S, 0, 0x3f800000, 0x40400000, RP, 0x3eaaaaab, RP | IXC },
    { "div_rm", VDIV_S, 0, 0xbf800000, 0x40400000, RM, 0xbeaaaaab, RM | IXC },
    { "div_rz_neg", VDIV_S, 0, 0xbf800000, 0x40400000, RZ, 0xbeaaaaaa, RZ | IXC },
    /* flags accumulate: earlier ones stay set */
    { "sticky", VADD_S, 0, 0x3f800000, 0x40000000, DZC | IDC, 0x40400000, DZC | IDC },
    /* NaNs: SNaN beats QNaN (quieted, IOC), else the first QNaN */
    { "snan_second", VADD_S, 0, 0x7fc00001, 0x7f800002, 0, 0x7fc00002, IOC },
    { "qnan_first", VADD_S, 0, 0xffc00005, 0x7fc00006, 0, 0xffc00005, 0 },
    { "qnan_second", VMUL_S, 0, 0x3f800000, 0x7fd00006, 0, 0x7fd00006, 0 },
    { "snan_first", VMUL_S, 0, 0xff812345, 0x7f800003, 0, 0xffc12345, IOC },
    { "dn_mode", VADD_S, 0, 0xffc00005, 0x7fc00006, DN, 0x7fc00000, DN },
    { "dn_snan", VADD_S, 0, 0x3f800000, 0xff800001, DN, 0x7fc00000, DN | IOC },
    /* invalid operations give ARM's default NaN (positive, unlike x86's) */
    { "inf_minus_inf", VADD_S, 0, 0x7f800000, 0xff800000, 0, 0x7fc00000, IOC },
    { "zero_times_inf", VMUL_S, 0, 0x80000000, 0x7f800000, 0, 0x7fc00000, IOC },
    { "zero_div_zero", VDIV_S, 0, 0, 0x80000000, 0, 0x7fc00000, IOC },
    { "div_by_zero", VDIV_S, 0, 0xbf800000, 0, 0, 0xff800000, DZC },
    { "overflow_rn", VMUL_S, 0, 0x7f7fffff, 0x40000000, 0, 0x7f800000, OFC | IXC },
    { "overflow_rz", VMUL_S, 0, 0x7f7fffff, 0x40000000, RZ, 0x7f7fffff, RZ | OFC | IXC },
    { "overflow_rm_pos", VMUL_S, 0, 0x7f7fffff, 0x40000000, RM, 0x7f7fffff, RM | OFC | IXC },
    /* denormals without FZ: exact denormal results raise nothing */
    { "denormal_exact", VMUL_S, 0, 0x00800000, 0x3f000000, 0, 0x00400000, 0 },
    { "denormal_inexact", VMUL_S, 0, 0x00800001, 0x3f000000, 0, 0x00400000, UFC | IXC },
    /* ARM detects tininess before rounding: this rounds up to the smallest
     * normal but is tiny (x86 would not report underflow) */
    { "tiny_rounds_to_normal", VMUL_S, 0, 0x00ffffff, 0x3f000000, 0, 0x00800000, UFC | IXC },
    /* FZ: tiny results flush to signed zero with UFC (not IXC) ... */
    { "fz_output", VMUL_S, 0, 0x00800000, 0x3f000000, FZ, 0, FZ | UFC },
    { "fz_output_neg", VMUL_S, 0, 0x80800000, 0x3f000000, FZ, 0x80000000, FZ | UFC },
    { "fz_tiny_rounds_up", VMUL_S, 0, 0x00ffffff, 0x3f000000, FZ, 0, FZ | UFC },
    /* ... and denormal inputs flush to zero with IDC */
    { "fz_input", VADD_S, 0, 0x00000001, 0x80000000, FZ, 0, FZ | IDC },
    { "fz_input_neg", VADD_S, 0, 0x80000001, 0x80000000, FZ, 0x80000000, FZ | IDC },
    { "fz_input_nan", VADD_S, 0, 0x00000001, 0x7fc00000, FZ, 0x7fc00000, FZ | IDC },
    /* VMLA rounds twice, VFMA once: (1+2^-23)(1-2^-24) - 1 */
    { "vmla_two_roundings", VMLA_S, 0xbf800000, 0x3f800001, 0x3f7fffff, 0, 0, IXC },
    { "vfma_one_rounding", VFMA_S, 0xbf800000, 0x3f800001, 0x3f7fffff, 0, 0x337ffffe, 0 },
    /* FPMulAdd: inf * 0 + QNaN is invalid */
    { "vfma_infzero_qnan", VFMA_S, 0x7fc00011, 0x7f800000, 0, 0, 0x7fc00000, IOC },
    { "vfma_addend_first", VFMA_S, 0x7fc00011, 0x7fc00022, 0x3f800000, 0, 0x7fc00011, 0 },
    { "vfma_snan_n", VFMA_S, 0x7fc00011, 0x7f800022, 0x3f800000, 0, 0x7fc00022, IOC },
    /* VNEG flips NaN signs too and raises nothing */
    { "vneg_snan", VNEG_S, 0, 0x7f800001, 0, 0, 0xff800001, 0 },
    /* conversions to integer: round toward zero, or FPSCR (VCVTR) */
    { "cvt_rz", VCVT_S32, 0, 0xbfc00000, 0, 0, 0xffffffff, IXC },
    { "cvtr_rn_even", VCVTR_S32, 0, 0xc0200000, 0, 0, 0xfffffffe, IXC },   /* -2.5 -> -2 */
    { "cvtr_rm", VCVTR_S32, 0, 0x3fc00000, 0, RM, 1, RM | IXC },
    { "cvtr_rp", VCVTR_S32, 0, 0x3fc00000, 0, RP, 2, RP | IXC },
    { "cvt_exact", VCVT_S32, 0, 0xc2280000, 0, 0, 0xffffffd6, 0 },         /* -42 */
    { "cvt_sat_pos", VCVT_S32, 0, 0x4f400000, 0, 0, 0x7fffffff, IOC },    /* 3e9 */
    { "cvt_sat_neg", VCVT_S32, 0, 0xdf000000, 0, 0, 0x80000000, IOC },
    { "cvt_int_min", VCVT_S32, 0, 0xcf000000, 0, 0, 0x80000000, 0 },      /* -2^31 exact */
    { "cvt_nan", VCVT_S32, 0, 0x7fc00000, 0, 0, 0, IOC },
    { "cvt_u32_neg", VCVT_U32, 0, 0xbfc00000, 0, 0, 0, IOC },
    { "cvt_u32_neg_small", VCVT_U32, 0, 0xbf000000, 0, 0, 0, IXC },      /* -0.5 -> 0 */
    { "cvt_u32_big", VCVT_U32, 0, 0x4f400000, 0, 0, 0xc0000000, 0 },
    { "cvt_u32_inf", VCVT_U32, 0, 0x7f800000, 0, 0, 0xffffffff, IOC },
    { "cvt_fz_denormal", VCVT_S32, 0, 0x80000001, 0, FZ, 0, FZ | IDC },
    { "cvt_denormal", VCVT_S32, 0, 0x80000001, 0, 0, 0, IXC },
    { "cvt_fixed", VCVT_FIX16, 0x3fc00000, 0, 0, 0, 0x00018000, 0 },     /* 1.5 * 2^16 */
    { "cvt_fixed_sat", VCVT_FIX16, 0x47000000, 0, 0, 0, 0x7fffffff, IOC }, /* 32768 */
    { "cvt_from_u32", VCVT_F32_U32, 0, 0xffffffff, 0, 0, 0x4f800000, IXC },
    { "cvt_from_u32_rz", VCVT_F32_U32, 0, 0xffffffff, 0, RZ, 0x4f7fffff, RZ | IXC },
    /* half precision: VCVTB keeps the top half of the destination */
    { "f32_to_f16", VCVTB_F16, 0xabcd1234, 0x3f800000, 0, 0, 0xabcd3c00, 0 },
    { "f32_to_f16_round", VCVTB_F16, 0xabcd1234, 0x3f801000, 0, 0, 0xabcd3c00, IXC },
    { "f32_to_f16_overflow", VCVTB_F16, 0, 0x47800000, 0, 0, 0x7c00, OFC | IXC },
    { "f32_to_f16_ahp_big", VCVTB_F16, 0, 0x47800000, 0, AHP, 0x7c00, AHP },   /* 65536 */
    { "f32_to_f16_ahp_sat", VCVTB_F16, 0, 0x48000000, 0, AHP, 0x7fff, AHP | IOC },
    { "f32_to_f16_nan", VCVTB_F16, 0, 0xff812345, 0, 0, 0xfe09, IOC },
    { "f32_to_f16_denormal", VCVTB_F16, 0, 0x33800000, 0, 0, 0x0001, 0 },       /* 2^-24 */
    { "f32_to_f16_tiny", VCVTB_F16, 0, 0x33000001, 0, 0, 0x0001, UFC | IXC },
    { "f16_to_f32_top", VCVTT_F32, 0, 0xc0000000, 0, 0, 0xc0000000, 0 },           /* -2.0 */
    { "f16_to_f32_snan", VCVTT_F32, 0, 0x7d010000, 0, 0, 0x7fe02000, IOC },
    { "f16_to_f32_ahp", VCVTT_F32, 0, 0x7c000000, 0, AHP, 0x47800000, AHP },
    { "f16_to_f32_denormal", VCVTT_F32, 0, 0x00010000, 0, FZ, 0x33800000, FZ },
};

static void test_single_cases(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    for (size_t i = 0; i < sizeof(s_cases) / sizeof(s_cases[0]); i++) {
        const SCase *c = &s_cases[i];
        memset(cpu->vfp_d, 0, sizeof(cpu->vfp_d));
        set_s(cpu, 0, c->s0);
        set_s(cpu, 1, c->s1);
        set_s(cpu, 2, c->s2);
        set_s(cpu, 3, 0x5a5a5a5a);
        vfp_set_fpscr(cpu, c->fpscr_in);
        assert_int_equal(run_code(cpu, &c->insn, 1), EXCP_SYSCALL);
        if (get_s(cpu, 0) != c->out || vfp_get_fpscr(cpu) != c->fpscr_out)
            fail_msg("%s: s0 = %08x fpscr = %08x, expected %08x %08x", c->name, get_s(cpu, 0),
                     vfp_get_fpscr(cpu), c->out, c->fpscr_out);
        assert_int_equal(get_s(cpu, 3), 0x5a5a5a5a);    /* the other half of d1 */
    }
    exec_cpu_free(&cpu->common);
}

/* ---- double precision --------------------------------------------------------------- */

static void test_double(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* vsub.f64 d0, d1, d2: 1.0 - 2^-60 rounds to 1.0, inexact */
    uint32_t vsub = 0xee310b42;
    cpu->vfp_d[1] = 0x3ff0000000000000ull;
    cpu->vfp_d[2] = 0x3c30000000000000ull;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vsub, 1);
    assert_int_equal(cpu->vfp_d[0], 0x3ff0000000000000ull);
    assert_int_equal(vfp_get_fpscr(cpu), IXC);
    vfp_set_fpscr(cpu, RM);
    run_code(cpu, &vsub, 1);
    assert_int_equal(cpu->vfp_d[0], 0x3fefffffffffffffull);
    /* vmul.f64: the tiny result that rounds up to DBL_MIN (before-rounding tininess) */
    uint32_t vmul = 0xee210b02;
    cpu->vfp_d[1] = 0x001fffffffffffffull;
    cpu->vfp_d[2] = 0x3fe0000000000000ull;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vmul, 1);
    assert_int_equal(cpu->vfp_d[0], 0x0010000000000000ull);
    assert_int_equal(vfp_get_fpscr(cpu), UFC | IXC);
    vfp_set_fpscr(cpu, FZ);
    run_code(cpu, &vmul, 1);
    assert_int_equal(cpu->vfp_d[0], 0);
    assert_int_equal(vfp_get_fpscr(cpu), FZ | UFC);
    /* SNaN payload propagation in double */
    cpu->vfp_d[1] = 0x3ff0000000000000ull;
    cpu->vfp_d[2] = 0xfff0000000000123ull;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vmul, 1);
    assert_int_equal(cpu->vfp_d[0], 0xfff8000000000123ull);
    assert_int_equal(vfp_get_fpscr(cpu), IOC);
    /* vsqrt.f64 d0, d1 of -1: default NaN, IOC; of -0: -0 */
    uint32_t vsqrt = 0xeeb10bc1;
    cpu->vfp_d[1] = 0xbff0000000000000ull;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vsqrt, 1);
    assert_int_equal(cpu->vfp_d[0], 0x7ff8000000000000ull);
    assert_int_equal(vfp_get_fpscr(cpu), IOC);
    cpu->vfp_d[1] = 1ull << 63;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vsqrt, 1);
    assert_int_equal(cpu->vfp_d[0], 1ull << 63);
    assert_int_equal(vfp_get_fpscr(cpu), 0);
    /* vabs.f64 d0, d1 clears only the sign */
    uint32_t vabs = 0xeeb00bc1;
    cpu->vfp_d[1] = 0xfff0000000000001ull;
    run_code(cpu, &vabs, 1);
    assert_int_equal(cpu->vfp_d[0], 0x7ff0000000000001ull);
    assert_int_equal(vfp_get_fpscr(cpu), 0);
    /* vcvt.f64.f32 d0, s2: a quiet NaN keeps its payload; vcvt.f32.f64 s0, d1 rounds */
    uint32_t s2d = 0xeeb70ac1, d2s = 0xeeb70bc1;
    cpu->vfp_d[1] = 0xffc01234ull;    /* s2 */
    run_code(cpu, &s2d, 1);
    assert_int_equal(cpu->vfp_d[0], 0xfff8024680000000ull);
    cpu->vfp_d[1] = 0x3ff0000010000000ull;   /* 1 + 2^-24: a tie, to even */
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &d2s, 1);
    assert_int_equal(get_s(cpu, 0), 0x3f800000);
    assert_int_equal(vfp_get_fpscr(cpu), IXC);
    vfp_set_fpscr(cpu, RP);
    run_code(cpu, &d2s, 1);
    assert_int_equal(get_s(cpu, 0), 0x3f800001);
    cpu->vfp_d[1] = 0x47f0000000000000ull;   /* 2^128: overflows single */
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &d2s, 1);
    assert_int_equal(get_s(cpu, 0), 0x7f800000);
    assert_int_equal(vfp_get_fpscr(cpu), OFC | IXC);
    exec_cpu_free(&cpu->common);
}

/* ---- the inline fast path (ARM_TBFLAG_VFP_FAST) and the lazy flags ------------------- */

static void test_fast_path(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* round to nearest, FZ = 0, DN = 0 selects it, whatever NZCV and the
     * cumulative flags are; another rounding mode, FZ or DN does not */
    vfp_set_fpscr(cpu, 0xf0000000u | IXC | IOC);
    assert_int_equal(arm_vfp_tb_flags(cpu), ARM_TBFLAG_VFP_FAST);
    vfp_set_fpscr(cpu, RZ);
    assert_int_equal(arm_vfp_tb_flags(cpu), 0);
    vfp_set_fpscr(cpu, FZ);
    assert_int_equal(arm_vfp_tb_flags(cpu), 0);
    vfp_set_fpscr(cpu, DN);
    assert_int_equal(arm_vfp_tb_flags(cpu), 0);

    /* 1 / 3 inline: Inexact waits in the host FPU until FPSCR is read */
    uint32_t vdiv = VDIV_S;
    set_s(cpu, 1, 0x3f800000);
    set_s(cpu, 2, 0x40400000);
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vdiv, 1);
    assert_int_equal(get_s(cpu, 0), 0x3eaaaaab);
    assert_int_equal(cpu->fpscr, 0);
    assert_int_equal(vfp_get_fpscr(cpu), IXC);
    assert_int_equal(cpu->fpscr, IXC);
    /* vdiv; vmrs r0, fpscr: the guest's read folds them in */
    uint32_t div_mrs[2] = { VDIV_S, 0xeef10a10 };
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, div_mrs, 2);
    assert_int_equal(cpu->regs[0], IXC);
    /* vdiv; vmsr fpscr, r1; vmrs r0, fpscr: a write drops the pending ones */
    uint32_t div_msr_mrs[3] = { VDIV_S, 0xeee11a10, 0xeef10a10 };
    cpu->regs[1] = 0;
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, div_msr_mrs, 3);
    assert_int_equal(cpu->regs[0], 0);
    /* exact results raise nothing */
    set_s(cpu, 1, 0x3f800000);
    set_s(cpu, 2, 0x40000000);
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vdiv, 1);
    assert_int_equal(get_s(cpu, 0), 0x3f000000);
    assert_int_equal(vfp_get_fpscr(cpu), 0);
    /* results the inline op hands to the helper: a NaN operand (ARM's
     * choice: the signalling one, quieted), overflow, a denormal result */
    set_s(cpu, 1, 0x7fc00001);
    set_s(cpu, 2, 0x7f800002);
    run_code(cpu, &vdiv, 1);
    assert_int_equal(get_s(cpu, 0), 0x7fc00002);
    assert_int_equal(vfp_get_fpscr(cpu), IOC);
    set_s(cpu, 1, 0x7f000000);
    set_s(cpu, 2, 0x3e800000);
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vdiv, 1);
    assert_int_equal(get_s(cpu, 0), 0x7f800000);
    assert_int_equal(vfp_get_fpscr(cpu), OFC | IXC);
    set_s(cpu, 1, 0x00800000);
    set_s(cpu, 2, 0x40400000);
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vdiv, 1);
    assert_int_equal(get_s(cpu, 0), 0x002aaaab);
    assert_int_equal(vfp_get_fpscr(cpu), UFC | IXC);
    /* vcvt.s32.f32 inline, and its saturating case through the helper */
    uint32_t vcvt = VCVT_S32;
    set_s(cpu, 1, 0xc0200000);   /* -2.5 -> -2, inexact */
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vcvt, 1);
    assert_int_equal(get_s(cpu, 0), 0xfffffffe);
    assert_int_equal(vfp_get_fpscr(cpu), IXC);
    set_s(cpu, 1, 0x4f32d05e);   /* 3e9 saturates */
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vcvt, 1);
    assert_int_equal(get_s(cpu, 0), 0x7fffffff);
    assert_int_equal(vfp_get_fpscr(cpu), IOC);
    set_s(cpu, 1, 0xcf000000);   /* -2^31 exactly */
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vcvt, 1);
    assert_int_equal(get_s(cpu, 0), 0x80000000);
    assert_int_equal(vfp_get_fpscr(cpu), 0);
    exec_cpu_free(&cpu->common);
}

/* ---- compares and VMRS/VMSR ----------------------------------------------------------- */

static void test_compare(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* vcmp.f32 s1, s2; vmrs APSR_nzcv, fpscr; movlt r0, #1; movgt r1, #1; moveq r2, #1;
     * movvs r3, #1 */
    uint32_t code[6] = { 0xeef40a41, 0xeef1fa10, 0xb3a00001, 0xc3a01001, 0x03a02001, 0x63a03001 };
    static const struct { uint32_t a, b; uint32_t nzcv; uint32_t lt, gt, eq, vs; uint32_t ioc; } cmp[] = {
        { 0x3f800000, 0x40000000, 0x8, 1, 0, 0, 0, 0 },
        { 0x40000000, 0x3f800000, 0x2, 0, 1, 0, 0, 0 },
        { 0x80000000, 0x00000000, 0x6, 0, 0, 1, 0, 0 },     /* -0 == +0 */
        { 0x7fc00000, 0x3f800000, 0x3, 1, 0, 0, 1, 0 },     /* unordered: LT and VS hold */
        { 0x7f800001, 0x3f800000, 0x3, 1, 0, 0, 1, IOC },   /* SNaN signals */
        { 0xff800000, 0x7f800000, 0x8, 1, 0, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
        set_s(cpu, 1, cmp[i].a);
        set_s(cpu, 2, cmp[i].b);
        vfp_set_fpscr(cpu, 0);
        for (int r = 0; r < 4; r++)
            cpu->regs[r] = 0;
        assert_int_equal(run_code(cpu, code, 6), EXCP_SYSCALL);
        assert_int_equal(vfp_get_fpscr(cpu), cmp[i].nzcv << 28 | cmp[i].ioc);
        assert_int_equal(arm_cpsr_read(cpu) >> 28, cmp[i].nzcv);
        assert_int_equal(cpu->regs[0], cmp[i].lt);
        assert_int_equal(cpu->regs[1], cmp[i].gt);
        assert_int_equal(cpu->regs[2], cmp[i].eq);
        assert_int_equal(cpu->regs[3], cmp[i].vs);
    }
    /* vcmpe.f32 s1, s2 signals on a quiet NaN too */
    uint32_t vcmpe = 0xeef40ac1;
    set_s(cpu, 1, 0x7fc00000);
    vfp_set_fpscr(cpu, 0);
    run_code(cpu, &vcmpe, 1);
    assert_int_equal(vfp_get_fpscr(cpu), 0x30000000 | IOC);
    /* vmsr fpscr, r0; vmrs r1, fpscr: only the implemented bits stick
     * (FZ16 with FEAT_FP16 only: the default model, max, has it) */
    uint32_t msr_mrs[2] = { 0xeee10a10, 0xeef11a10 };
    assert_true(cpu->features & ARM_FEATURE_FP16);
    cpu->regs[0] = 0xffffffff;
    run_code(cpu, msr_mrs, 2);
    assert_int_equal(cpu->regs[1], FPSCR_WRITABLE | FPSCR_FZ16);
    assert_int_equal(vfp_get_fpscr(cpu), FPSCR_WRITABLE | FPSCR_FZ16);
    cpu->features &= ~(uint32_t)ARM_FEATURE_FP16;
    vfp_set_fpscr(cpu, 0xffffffff);
    assert_int_equal(vfp_get_fpscr(cpu), FPSCR_WRITABLE);
    cpu->features |= ARM_FEATURE_FP16;
    cpu->regs[0] = 0x00c00000;   /* RZ takes effect for the next instruction */
    uint32_t msr_div[2] = { 0xeee10a10, VDIV_S };
    set_s(cpu, 1, 0x3f800000);
    set_s(cpu, 2, 0x40400000);
    run_code(cpu, msr_div, 2);
    assert_int_equal(get_s(cpu, 0), 0x3eaaaaaa);
    exec_cpu_free(&cpu->common);
}

/* ---- moves, loads and stores ---------------------------------------------------------- */

static void test_moves(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    memset(cpu->vfp_d, 0, sizeof(cpu->vfp_d));
    /* vmov.f32 s0, #-1.5; vmov.f64 d5, #0.25 */
    uint32_t imm[2] = { 0xeebf0a08, 0xeeb55b00 };
    run_code(cpu, imm, 2);
    assert_int_equal(get_s(cpu, 0), 0xbfc00000);
    assert_int_equal(cpu->vfp_d[5], 0x3fd0000000000000ull);
    /* vmov s5, r1; vmov r2, s5 via vmov r1, s5 after clearing */
    cpu->regs[1] = 0xdeadbeef;
    uint32_t to_s[1] = { 0xee021a90 };
    run_code(cpu, to_s, 1);
    assert_int_equal(get_s(cpu, 5), 0xdeadbeef);
    cpu->regs[1] = 0;
    uint32_t from_s[1] = { 0xee121a90 };
    run_code(cpu, from_s, 1);
    assert_int_equal(cpu->regs[1], 0xdeadbeef);
    /* vmov d4, r3, r2; vmov r2, r3, d4 (r3 low word) */
    cpu->regs[3] = 0x11111111;
    cpu->regs[2] = 0x22222222;
    uint32_t to_d = 0xec423b14;
    run_code(cpu, &to_d, 1);
    assert_int_equal(cpu->vfp_d[4], 0x2222222211111111ull);
    cpu->vfp_d[4] = 0x8877665544332211ull;
    uint32_t from_d = 0xec532b14;
    run_code(cpu, &from_d, 1);
    assert_int_equal(cpu->regs[2], 0x44332211);
    assert_int_equal(cpu->regs[3], 0x88776655);
    /* vmov.32 r4, d3[1]; vmov.32 d3[0], r4 */
    cpu->vfp_d[3] = 0xaaaaaaaabbbbbbbbull;
    uint32_t scalar[2] = { 0xee334b10, 0xee034b10 };
    run_code(cpu, scalar, 2);
    assert_int_equal(cpu->regs[4], 0xaaaaaaaa);
    assert_int_equal(cpu->vfp_d[3], 0xaaaaaaaaaaaaaaaaull);
    /* vmov r0, r1, s1, s2 */
    set_s(cpu, 1, 0x01010101);
    set_s(cpu, 2, 0x02020202);
    uint32_t two = 0xec510a30;
    run_code(cpu, &two, 1);
    assert_int_equal(cpu->regs[0], 0x01010101);
    assert_int_equal(cpu->regs[1], 0x02020202);
    exec_cpu_free(&cpu->common);
}

static void test_loads_stores(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    memset(cpu->vfp_d, 0, sizeof(cpu->vfp_d));
    for (uint32_t i = 0; i < 16; i++)
        set_mem32(DATA + 4 * i, 0x10000000u * (i & 7) + i);
    /* vldr d0, [r0, #8]: low word at the lower address */
    cpu->regs[0] = DATA;
    uint32_t vldr = 0xed900b02;
    run_code(cpu, &vldr, 1);
    assert_int_equal(cpu->vfp_d[0], (uint64_t)mem32(DATA + 12) << 32 | mem32(DATA + 8));
    /* vstr s3, [r0, #-4] */
    set_s(cpu, 3, 0xcafef00d);
    cpu->regs[0] = DATA + 0x100;
    uint32_t vstr = 0xed401a01;
    run_code(cpu, &vstr, 1);
    assert_int_equal(mem32(DATA + 0xfc), 0xcafef00d);
    /* vldmia r0!, {d1-d3} */
    cpu->regs[0] = DATA;
    uint32_t vldmia = 0xecb01b06;
    run_code(cpu, &vldmia, 1);
    assert_int_equal(cpu->regs[0], DATA + 24);
    for (int i = 0; i < 3; i++)
        assert_int_equal(cpu->vfp_d[1 + i],
                         (uint64_t)mem32(DATA + 8 * i + 4) << 32 | mem32(DATA + 8 * i));
    /* vstmdb r1!, {s4-s6} */
    cpu->regs[1] = DATA + 0x200;
    set_s(cpu, 4, 4);
    set_s(cpu, 5, 5);
    set_s(cpu, 6, 6);
    uint32_t vstmdb = 0xed212a03;
    run_code(cpu, &vstmdb, 1);
    assert_int_equal(cpu->regs[1], DATA + 0x200 - 12);
    assert_int_equal(mem32(DATA + 0x200 - 12), 4);
    assert_int_equal(mem32(DATA + 0x200 - 8), 5);
    assert_int_equal(mem32(DATA + 0x200 - 4), 6);
    /* vpush {d8-d9}; vpop {d10-d11} */
    cpu->regs[13] = DATA + 0x400;
    cpu->vfp_d[8] = 0x0808080808080808ull;
    cpu->vfp_d[9] = 0x0909090909090909ull;
    uint32_t pushpop[2] = { 0xed2d8b04, 0xecbdab04 };
    run_code(cpu, pushpop, 2);
    assert_int_equal(cpu->regs[13], DATA + 0x400);
    assert_int_equal(cpu->vfp_d[10], 0x0808080808080808ull);
    assert_int_equal(cpu->vfp_d[11], 0x0909090909090909ull);
    assert_int_equal(mem32(DATA + 0x400 - 16), 0x08080808);
    /* vldr s0, [pc, #-4]: Align(pc + 8, 4) - 4 is the SVC word run_code
     * places after it */
    uint32_t lit = 0xed1f0a01;
    run_code(cpu, &lit, 1);
    assert_int_equal(get_s(cpu, 0), SVC0);
    exec_cpu_free(&cpu->common);
}

/* The T32 encodings reach the same translator (first halfword first). */
static void test_thumb(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    memset(guest_mem, 0, CODE_END);
    /* vadd.f32 s0, s1, s2 (ee30 0a81); vldr s4, [pc, #0] (ed9f 2a00); svc 0; 0 */
    static const uint16_t code[] = { 0xee30, 0x0a81, 0xed9f, 0x2a00, 0xdf00, 0x0000 };
    memcpy(guest_mem + CODE, code, sizeof(code));
    exec_flush_all();
    set_s(cpu, 1, 0x3f800000);
    set_s(cpu, 2, 0x3f800000);
    vfp_set_fpscr(cpu, 0);
    cpu->thumb = 1;
    cpu->regs[15] = CODE;
    int e;
    while ((e = exec_cpu_run(&cpu->common)) == EXCP_INTERRUPT)
        continue;
    assert_int_equal(e, EXCP_SYSCALL);
    assert_int_equal(get_s(cpu, 0), 0x40000000);
    /* the literal: Align(pc + 4, 4) = CODE + 8, the SVC halfword and the zero */
    assert_int_equal(get_s(cpu, 4), 0x0000df00);
    cpu->thumb = 0;
    exec_cpu_free(&cpu->common);
}

/* ---- models and privilege ------------------------------------------------------------ */

static void test_models(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    uint32_t vadd_d16 = 0xee710ba2;     /* vadd.f64 d16, d17, d18 */
    uint32_t vfma = VFMA_S, vmov_imm = 0xeeb55b00;
    /* max: D32, VFPv4 */
    assert_int_equal(run_code(cpu, &vadd_d16, 1), EXCP_SYSCALL);
    assert_int_equal(run_code(cpu, &vfma, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->fpexc, FPEXC_EN);
    /* arm1136: VFPv2 D16, no VMOV immediate, no fused ops */
    assert_int_equal(arm_cpu_set_model(cpu, "arm1136"), 0);
    assert_int_equal(run_code(cpu, &vadd_d16, 1), EXCP_UDEF);
    assert_int_equal(run_code(cpu, &vfma, 1), EXCP_UDEF);
    assert_int_equal(run_code(cpu, &vmov_imm, 1), EXCP_UDEF);
    uint32_t vadd = VADD_S;
    assert_int_equal(run_code(cpu, &vadd, 1), EXCP_SYSCALL);
    /* FPSID is readable from user mode on VFPv2 only */
    uint32_t fpsid = 0xeef00a10;
    assert_int_equal(run_code(cpu, &fpsid, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x410120b4);
    /* a model without VFP: every VFP instruction is undefined */
    cpu->features &= ~(uint32_t)ARM_FEATURE_VFP;
    assert_int_equal(run_code(cpu, &vadd, 1), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE);
    /* cortex-a15 */
    assert_int_equal(arm_cpu_set_model(cpu, "cortex-a15"), 0);
    assert_int_equal(run_code(cpu, &vadd_d16, 1), EXCP_SYSCALL);
    /* ID registers and FPEXC are privileged on VFPv3 */
    uint32_t mvfr0 = 0xeef70a10, fpexc = 0xeef80a10;
    assert_int_equal(run_code(cpu, &mvfr0, 1), EXCP_UDEF);
    assert_int_equal(run_code(cpu, &fpexc, 1), EXCP_UDEF);
    assert_int_equal(run_code(cpu, &fpsid, 1), EXCP_UDEF);
    cpu->cpsr_rest = (cpu->cpsr_rest & ~0x1fu) | 0x13;     /* SVC mode */
    assert_int_equal(run_code(cpu, &mvfr0, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x10110222);
    assert_int_equal(run_code(cpu, &fpexc, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], FPEXC_EN);
    cpu->cpsr_rest = (cpu->cpsr_rest & ~0x1fu) | ARM_CPSR_MODE_USR;
    exec_cpu_free(&cpu->common);
}

static void test_hwcap(void **state)
{
    (void)state;
    ARMCPU cpu;
    memset(&cpu, 0, sizeof(cpu));
    /* SWP HALF THUMB FAST_MULT EDSP VFP */
    assert_int_equal(arm_cpu_set_model(&cpu, "arm926"), 0);
    assert_int_equal(arm_cpu_hwcap(&cpu), 0x1 | 0x2 | 0x4 | 0x10 | 0x80 | 0x40);
    /* + TLS */
    assert_int_equal(arm_cpu_set_model(&cpu, "arm1136"), 0);
    assert_int_equal(arm_cpu_hwcap(&cpu), 0x1 | 0x2 | 0x4 | 0x10 | 0x80 | 0x40 | 0x8000);
    /* + VFPv3 VFPD32 VFPv4 IDIVA IDIVT, never NEON */
    assert_int_equal(arm_cpu_set_model(&cpu, "cortex-a15"), 0);
    uint32_t hw = arm_cpu_hwcap(&cpu);
    assert_int_equal(hw & 0x2000, 0x2000);      /* VFPv3 */
    assert_int_equal(hw & 0x4000, 0);           /* not VFPv3D16 */
    assert_int_equal(hw & 0x80000, 0x80000);    /* VFPD32 */
    assert_int_equal(hw & 0x10000, 0x10000);    /* VFPv4 */
    assert_int_equal(hw & 0x60000, 0x60000);    /* IDIVA IDIVT */
    assert_int_equal(hw & 0x1000, 0);           /* NEON */
    cpu.features &= ~(uint32_t)ARM_FEATURE_VFP_D32;
    assert_int_equal(arm_cpu_hwcap(&cpu) & 0x84000, 0x4000);   /* D16 */
}

/* Random words in the VFP space translate to verifiable IR (or UDEF). */
static void test_random_vfp_verify(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    uint32_t seed = 777;
    for (int i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t hi = seed >> 16;
        seed = seed * 1103515245u + 12345u;
        uint32_t w = (hi << 16 | seed >> 16);
        /* cond 1110/0000, bits 27:25 = 110 or 111 with bit 24 = 0, coproc 101x */
        w = (w & 0x10fff1ffu) | 0xe0000a00u | ((i & 1) ? 0x0c000000u : 0x0e000000u);
        IRBlock b;
        ir_block_init(&b, frontend_arm.globals, CODE);
        memset(guest_mem, 0, CODE_END);
        set_mem32(CODE, w);
        set_mem32(CODE + 4, SVC0);
        frontend_translate(&frontend_arm, &b, &cpu->common, CODE, 0, 4);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x: IR does not verify", w);
        ir_optimize(&b);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x: optimised IR does not verify", w);
        ir_block_free(&b);
    }
    exec_cpu_free(&cpu->common);
}

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_single_cases),
        cmocka_unit_test(test_double),
        cmocka_unit_test(test_fast_path),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_moves),
        cmocka_unit_test(test_loads_stores),
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_thumb),
    };
    const struct CMUnitTest other_tests[] = {
        cmocka_unit_test(test_hwcap),
        cmocka_unit_test(test_random_vfp_verify),
    };
    int fails = cmocka_run_group_tests_name("vfp-interp", run_tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("vfp-x86_64", run_tests, setup_x86, NULL);
    fails += cmocka_run_group_tests_name("vfp-ir", other_tests, setup_interp, NULL);
    return fails;
}
