/*
 * translate-fp16.c — FEAT_FP16 (ARMv8.2): the scalar half-precision
 * instructions, in A32 and T32, for models with ARM_FEATURE_FP16 (-cpu max):
 *
 *   VADD VSUB VMUL VNMUL VMLA VMLS VNMLA VNMLS VDIV VFMA VFMS VFNMA VFNMS
 *   VABS VNEG VSQRT VCMP VCMPE VMOV (immediate, core register)
 *   VCVT between half and 32-bit integers / fixed point, VCVT{A,N,P,M}
 *   VRINT{A,N,P,M,R,X,Z} VMAXNM VMINNM VSEL VINS VMOVX VLDR.16 VSTR.16
 *
 * All from fp16.decode: the coprocessor-9 encodings (a32.decode's FP16_*
 * routes and translate-t32.c's coprocessor space) and VINS/VMOVX in the
 * unconditional cp10 space (after v8.decode).  A half is bits 15:0 of an S
 * register; every result but VINS's writes bits 31:16 as zero.  The
 * arithmetic is in C (vfp-fp16-helpers.c), the moves are plain IR.  The
 * non-fused multiply-accumulates are, as the ARM ARM writes them, a
 * rounded product then a rounded sum, with FPNeg (a sign flip, NaNs
 * included) in between.
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-fp16-helpers.h"
#include "frontend-arm/vfp-helpers.h"
#include "frontend-arm/vfp-regs.h"
#include "frontend-arm/vfp-v8-helpers.h"

#include "frontend-arm/fp16-decode.h.inc"
#include "frontend-arm/fp16-decode.c.inc"

bool arm_translate_fp16(DisasContext *s, uint32_t insn)
{
    if (!arm_has(s, ARM_FEATURE_VFP) || !arm_has(s, ARM_FEATURE_FP16))
        return false;
    return fp16_decode(s, insn);
}

/* The A32 coprocessor-9 space (a32.decode). */
bool trans_FP16_ldst(DisasContext *s, const arg_FP16_ldst *a) { return arm_translate_fp16(s, s->insn); }
bool trans_FP16_dp(DisasContext *s, const arg_FP16_dp *a) { return arm_translate_fp16(s, s->insn); }
bool trans_FP16_v8(DisasContext *s, const arg_FP16_v8 *a) { return arm_translate_fp16(s, s->insn); }

static IRTemp load_h(DisasContext *s, int r) { return ir_andi(s->b, load_sreg(s, r), 0xffff); }
/* helper results are already clean halves */
static void store_h(DisasContext *s, int r, IRTemp v) { store_sreg(s, r, v); }
static IRTemp neg_h(DisasContext *s, IRTemp v) { return ir_xor(s->b, v, c32(s, 0x8000)); }

/* ---- arithmetic ------------------------------------------------------------------ */

static bool do_vadd_h(DisasContext *s, const arg_vadd_h *a)
{
    int d = a->vd, n = a->vn, m = a->vm;
    store_h(s, d, call2(s, a->op ? &vfp_helper_sub_h : &vfp_helper_add_h, load_h(s, n), load_h(s, m)));
    return true;
}

bool trans_VADD_h(DisasContext *s, const arg_VADD_h *a) { return do_vadd_h(s, a); }
bool trans_VSUB_h(DisasContext *s, const arg_VSUB_h *a) { return do_vadd_h(s, a); }

/* VMUL, VNMUL: FPNeg(FPMul()) */
static bool do_vmul_h(DisasContext *s, const arg_vmul_h *a)
{
    int d = a->vd, n = a->vn, m = a->vm;
    IRTemp p = call2(s, &vfp_helper_mul_h, load_h(s, n), load_h(s, m));
    store_h(s, d, a->op ? neg_h(s, p) : p);
    return true;
}

bool trans_VMUL_h(DisasContext *s, const arg_VMUL_h *a) { return do_vmul_h(s, a); }
bool trans_VNMUL_h(DisasContext *s, const arg_VNMUL_h *a) { return do_vmul_h(s, a); }

/* d = (neg_d ? -d : d) + (neg_p ? -(n * m) : n * m), two roundings */
static void gen_mla(DisasContext *s, int d, int n, int m, bool neg_d, bool neg_p)
{
    IRTemp p = call2(s, &vfp_helper_mul_h, load_h(s, n), load_h(s, m));
    IRTemp acc = load_h(s, d);
    store_h(s, d, call2(s, &vfp_helper_add_h, neg_d ? neg_h(s, acc) : acc, neg_p ? neg_h(s, p) : p));
}

/* VMLA (op 0): d + n*m; VMLS (op 1): d + -(n*m) */
static bool do_vmla_h(DisasContext *s, const arg_vmla_h *a)
{
    gen_mla(s, a->vd, a->vn, a->vm, false, a->op);
    return true;
}

bool trans_VMLA_h(DisasContext *s, const arg_VMLA_h *a) { return do_vmla_h(s, a); }
bool trans_VMLS_h(DisasContext *s, const arg_VMLS_h *a) { return do_vmla_h(s, a); }

/* VNMLS (op 0): -d + n*m; VNMLA (op 1): -d + -(n*m) */
static bool do_vnmla_h(DisasContext *s, const arg_vnmla_h *a)
{
    gen_mla(s, a->vd, a->vn, a->vm, true, a->op);
    return true;
}

bool trans_VNMLS_h(DisasContext *s, const arg_VNMLS_h *a) { return do_vnmla_h(s, a); }
bool trans_VNMLA_h(DisasContext *s, const arg_VNMLA_h *a) { return do_vnmla_h(s, a); }

bool trans_VDIV_h(DisasContext *s, const arg_VDIV_h *a)
{
    int d = a->vd, n = a->vn, m = a->vm;
    store_h(s, d, call2(s, &vfp_helper_div_h, load_h(s, n), load_h(s, m)));
    return true;
}

/* FPMulAdd(neg_d ? -d : d, neg_n ? -n : n, m), one rounding */
static void gen_fused(DisasContext *s, int d, int n, int m, bool neg_d, bool neg_n)
{
    IRTemp acc = load_h(s, d), vn = load_h(s, n);
    store_h(s, d, call3(s, &vfp_helper_fma_h, neg_d ? neg_h(s, acc) : acc, neg_n ? neg_h(s, vn) : vn,
                        load_h(s, m)));
}

/* VFMA (op 0): d + n*m; VFMS (op 1): d + (-n)*m */
static bool do_vfma_h(DisasContext *s, const arg_vfma_h *a)
{
    gen_fused(s, a->vd, a->vn, a->vm, false, a->op);
    return true;
}

bool trans_VFMA_h(DisasContext *s, const arg_VFMA_h *a) { return do_vfma_h(s, a); }
bool trans_VFMS_h(DisasContext *s, const arg_VFMS_h *a) { return do_vfma_h(s, a); }

/* VFNMS (op 0): -d + n*m; VFNMA (op 1): -d + (-n)*m */
static bool do_vfnma_h(DisasContext *s, const arg_vfnma_h *a)
{
    gen_fused(s, a->vd, a->vn, a->vm, true, a->op);
    return true;
}

bool trans_VFNMS_h(DisasContext *s, const arg_VFNMS_h *a) { return do_vfnma_h(s, a); }
bool trans_VFNMA_h(DisasContext *s, const arg_VFNMA_h *a) { return do_vfnma_h(s, a); }

/* VFPExpandImm for N = 16: imm8 = a:b:cd:efgh -> a : NOT(b) : b b : cd : efgh : 000000 */
bool trans_VMOV_imm_h(DisasContext *s, const arg_VMOV_imm_h *a)
{
    uint32_t imm8 = (uint32_t)a->imm8;
    uint32_t sgn = imm8 >> 7 & 1, b = imm8 >> 6 & 1, cdefgh = imm8 & 0x3f;
    uint32_t v = sgn << 15 | (b ^ 1) << 14 | (b ? 3u : 0u) << 12 | cdefgh << 6;
    store_h(s, a->vd, c32(s, v));
    return true;
}

/* VABS, VNEG: the sign bit only (NaNs and denormals untouched, no flags) */
bool trans_VABS_h(DisasContext *s, const arg_VABS_h *a)
{
    store_h(s, a->vd, ir_andi(s->b, load_sreg(s, a->vm), 0x7fff));
    return true;
}

bool trans_VNEG_h(DisasContext *s, const arg_VNEG_h *a)
{
    store_h(s, a->vd, neg_h(s, load_h(s, a->vm)));
    return true;
}

bool trans_VSQRT_h(DisasContext *s, const arg_VSQRT_h *a)
{
    store_h(s, a->vd, call1(s, &vfp_helper_sqrt_h, load_h(s, a->vm)));
    return true;
}

/* FPSCR.NZCV <- compare(x, y) */
static void gen_compare(DisasContext *s, IRTemp x, IRTemp y, int E)
{
    IRBlock *b = s->b;
    IRTemp nzcv = call3(s, &vfp_helper_cmp_h, x, y, c32(s, (uint32_t)E));
    IRTemp f = ir_andi(b, ir_ld_env(b, IR_I32, offsetof(ARMCPU, fpscr), IR_MO_UL), ~FPSCR_NZCV);
    ir_st_env(b, ir_or(b, f, ir_shli(b, nzcv, 28)), offsetof(ARMCPU, fpscr), IR_MO_UL);
}

static bool do_vcmp_h(DisasContext *s, const arg_vcmp_h *a)
{
    gen_compare(s, load_h(s, a->vd), load_h(s, a->vm), a->E);
    return true;
}

bool trans_VCMP_h(DisasContext *s, const arg_VCMP_h *a) { return do_vcmp_h(s, a); }
bool trans_VCMPE_h(DisasContext *s, const arg_VCMPE_h *a) { return do_vcmp_h(s, a); }

static bool do_vcmp_zero_h(DisasContext *s, const arg_vcmp_zero_h *a)
{
    gen_compare(s, load_h(s, a->vd), c32(s, 0), a->E);
    return true;
}

bool trans_VCMP_zero_h(DisasContext *s, const arg_VCMP_zero_h *a) { return do_vcmp_zero_h(s, a); }
bool trans_VCMPE_zero_h(DisasContext *s, const arg_VCMPE_zero_h *a) { return do_vcmp_zero_h(s, a); }

/* ---- FP-ARMv8 forms: VSEL, VMAXNM/VMINNM, VRINT, VCVT{A,N,P,M} ---------------------------- */

bool trans_VSEL_h(DisasContext *s, const arg_VSEL_h *a)
{
    IRTemp vn = load_h(s, a->vn), vm = load_h(s, a->vm);
    IRTemp r = gen_vsel(s, a->cc, vn, vm);
    store_h(s, a->vd, r);
    return true;
}

static bool do_vmaxnm_h(DisasContext *s, const arg_vmaxnm_h *a)
{
    IRTemp vn = load_h(s, a->vn), vm = load_h(s, a->vm);
    store_h(s, a->vd, call2(s, a->op ? &vfp_helper_minnm_h : &vfp_helper_maxnm_h, vn, vm));
    return true;
}

bool trans_VMAXNM_h(DisasContext *s, const arg_VMAXNM_h *a) { return do_vmaxnm_h(s, a); }
bool trans_VMINNM_h(DisasContext *s, const arg_VMINNM_h *a) { return do_vmaxnm_h(s, a); }

static bool gen_rint(DisasContext *s, int d, int m, uint32_t desc)
{
    store_h(s, d, call2(s, &vfp_helper_rint_h, load_h(s, m), c32(s, desc)));
    return true;
}

static const uint32_t rint_mode[4] = { VFP_RINT_TIEAWAY, VFP_RINT_RMODE(0), VFP_RINT_RMODE(1),
                                       VFP_RINT_RMODE(2) };

static bool do_vrint_rm_h(DisasContext *s, const arg_vrint_rm_h *a)
{
    return gen_rint(s, a->vd, a->vm, rint_mode[a->rm]);
}

bool trans_VRINTA_h(DisasContext *s, const arg_VRINTA_h *a) { return do_vrint_rm_h(s, a); }
bool trans_VRINTN_h(DisasContext *s, const arg_VRINTN_h *a) { return do_vrint_rm_h(s, a); }
bool trans_VRINTP_h(DisasContext *s, const arg_VRINTP_h *a) { return do_vrint_rm_h(s, a); }
bool trans_VRINTM_h(DisasContext *s, const arg_VRINTM_h *a) { return do_vrint_rm_h(s, a); }

static bool do_vrint_rz_h(DisasContext *s, const arg_vrint_rz_h *a)
{
    return gen_rint(s, a->vd, a->vm, a->op ? VFP_RINT_RMODE(3) : VFP_RINT_FPSCR);
}

bool trans_VRINTR_h(DisasContext *s, const arg_VRINTR_h *a) { return do_vrint_rz_h(s, a); }
bool trans_VRINTZ_h(DisasContext *s, const arg_VRINTZ_h *a) { return do_vrint_rz_h(s, a); }

bool trans_VRINTX_h(DisasContext *s, const arg_VRINTX_h *a)
{
    return gen_rint(s, a->vd, a->vm, VFP_RINT_FPSCR | VFP_RINT_EXACT);
}

/* ---- conversions: through the exact single-precision value of the half ---------------- */

static void gen_to_fixed(DisasContext *s, int d, int m, uint32_t desc)
{
    IRTemp f = call1(s, &vfp_helper_h_to_s_exact, load_h(s, m));
    store_sreg(s, d, call2(s, &vfp_helper_to_fixed_s, f, c32(s, desc)));
}

static bool do_vcvt_rm_h(DisasContext *s, const arg_vcvt_rm_h *a)
{
    static const uint32_t cvt_mode[4] = { VFP_CVT_TIEAWAY, VFP_CVT_RMODE(0), VFP_CVT_RMODE(1),
                                          VFP_CVT_RMODE(2) };
    gen_to_fixed(s, a->vd, a->vm, (a->op ? 0 : VFP_CVT_UNSIGNED) | cvt_mode[a->rm]);
    return true;
}

bool trans_VCVTA_h(DisasContext *s, const arg_VCVTA_h *a) { return do_vcvt_rm_h(s, a); }
bool trans_VCVTN_h(DisasContext *s, const arg_VCVTN_h *a) { return do_vcvt_rm_h(s, a); }
bool trans_VCVTP_h(DisasContext *s, const arg_VCVTP_h *a) { return do_vcvt_rm_h(s, a); }
bool trans_VCVTM_h(DisasContext *s, const arg_VCVTM_h *a) { return do_vcvt_rm_h(s, a); }

/* VCVT{R}.{S32,U32}.F16: toward zero, or (VCVTR) FPSCR's mode */
bool trans_VCVT_to_int_h(DisasContext *s, const arg_VCVT_to_int_h *a)
{
    uint32_t desc = (a->S ? 0 : VFP_CVT_UNSIGNED) | (a->op ? VFP_CVT_RMODE(3) : VFP_CVT_RMODE_FPSCR);
    gen_to_fixed(s, a->vd, a->vm, desc);
    return true;
}

bool trans_VCVT_from_int_h(DisasContext *s, const arg_VCVT_from_int_h *a)
{
    IRTemp v = load_sreg(s, a->vm);
    store_h(s, a->vd, call2(s, &vfp_helper_from_fixed_h, v,
                                        c32(s, (a->op ? 0 : VFP_CVT_UNSIGNED) | VFP_CVT_RMODE_FPSCR)));
    return true;
}

/* Fixed point in place: sx = 0 a 16-bit, 1 a 32-bit value; imm4:i is size
 * minus the fraction bits.  To fixed rounds toward zero, from fixed to
 * nearest (FPSCR's mode does not apply, as the ARM ARM says); a 16-bit
 * result is sign- or zero-extended to 32 bits, as for single precision. */
bool trans_VCVT_fix_h(DisasContext *s, const arg_VCVT_fix_h *a)
{
    int size = a->sx ? 32 : 16, fbits = size - a->imm5;
    if (fbits < 0)
        return false;     /* UNPREDICTABLE */
    int d = a->vd;
    uint32_t desc = VFP_CVT_FBITS(fbits) | (a->U ? VFP_CVT_UNSIGNED : 0) | (a->sx ? 0 : VFP_CVT_SIZE16);
    if (a->op)
        gen_to_fixed(s, d, d, desc | VFP_CVT_RMODE(3));
    else
        store_h(s, d, call2(s, &vfp_helper_from_fixed_h, load_sreg(s, d), c32(s, desc | VFP_CVT_RMODE(0))));
    return true;
}

/* ---- moves, loads and stores ---------------------------------------------------------- */

/* VMOV.F16 Sn, Rt / Rt, Sn: the low halfword, the rest zeroed */
bool trans_VMOV_single_h(DisasContext *s, const arg_VMOV_single_h *a)
{
    int n = a->vn;
    if (a->Rt == 15)
        return false;     /* UNPREDICTABLE */
    if (a->op)
        store_reg(s, a->Rt, load_h(s, n));
    else
        store_h(s, n, ir_andi(s->b, load_reg(s, a->Rt), 0xffff));
    return true;
}

/* VINS.F16 Sd, Sm: Sd<31:16> = Sm<15:0>, Sd<15:0> kept */
bool trans_VINS(DisasContext *s, const arg_VINS *a)
{
    int d = a->vd, m = a->vm;
    store_sreg(s, d, ir_deposit(s->b, load_sreg(s, d), load_sreg(s, m), 16, 16));
    return true;
}

/* VMOVX.F16 Sd, Sm: Sd = Sm<31:16> */
bool trans_VMOVX(DisasContext *s, const arg_VMOVX *a)
{
    store_sreg(s, a->vd, ir_shri(s->b, load_sreg(s, a->vm), 16));
    return true;
}

/* VLDR.16 / VSTR.16: halfword aligned (SIGBUS otherwise, as the other VFP
 * transfers); the base r15 reads as Align(PC, 4). */
static bool do_vldr_vstr_h(DisasContext *s, const arg_vldr_vstr_h *a)
{
    int d = a->vd;
    IRTemp base = a->Rn == 15 ? c32(s, (s->pc + (s->thumb ? 4 : 8)) & ~3u) : load_reg(s, a->Rn);
    IRTemp addr = gen_add_sub(s, base, c32(s, (uint32_t)a->imm8 * 2), a->U);
    if (a->L)
        store_sreg(s, d, ir_ld(s->b, IR_I32, addr, IR_MO_UW | IR_MO_ALIGN));
    else
        ir_st(s->b, load_sreg(s, d), addr, IR_MO_UW | IR_MO_ALIGN);
    return true;
}

bool trans_VSTR_h(DisasContext *s, const arg_VSTR_h *a) { return do_vldr_vstr_h(s, a); }
bool trans_VLDR_h(DisasContext *s, const arg_VLDR_h *a) { return do_vldr_vstr_h(s, a); }
