/*
 * translate-vfp.c — VFPv3/VFPv4 (ARM ARM A7.5 - A7.9): data processing,
 * conversions, loads/stores and transfers to and from core registers.
 *
 * The D registers are i64 IR globals (d0..d31), so a backend can keep them
 * in host registers; S2n and S2n+1 are the low and high halves of Dn.  The
 * arithmetic is done by C helpers (vfp-helpers.c) that apply ARM's NaN,
 * flush-to-zero and exception-flag rules around the host FPU; moves, VABS,
 * VNEG, loads and stores are plain IR.  FPSCR lives in ARMCPU.fpscr (not a
 * global: only helpers, VMRS and VMSR touch it).
 *
 * Short vectors (FPSCR.LEN/STRIDE) are not supported (MVFR0.FPShVec = 0):
 * VMSR ignores those fields, so every data-processing instruction is
 * scalar.  In user mode only FPSCR is accessible (FPSID too on VFPv2);
 * FPEXC, FPSID and MVFR0/1 need a privileged mode.
 */
#include <stddef.h>
#include <stdio.h>

#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-helpers.h"
#include "frontend-arm/vfp-regs.h"

#include "frontend-arm/vfp-decode.h.inc"
#include "frontend-arm/vfp-decode.c.inc"

IRTemp cpu_D[32];

void arm_vfp_init_globals(void)
{
    static char names[32][4];
    for (int i = 0; i < 32; i++) {
        snprintf(names[i], sizeof(names[i]), "d%d", i);
        cpu_D[i] = ir_global_new(&arm_globals, IR_I64, offsetof(ARMCPU, vfp_d[i]), names[i]);
    }
}

/* System mode with the VFP disabled (FPEXC.EN clear, or CPACR denying
 * cp10 at this privilege: ARM_TBFLAG_VFP_EN clear): only privileged VMRS
 * and VMSR of FPSID, FPEXC, MVFR0/1 remain; everything else is undefined,
 * which is how Linux notices a task's first VFP instruction. */
static bool vfp_disabled_allows(const DisasContext *s, uint32_t insn)
{
    if ((insn & 0x0fe00fffu) != 0x0ee00a10u || s->user)
        return false;   /* not VMRS/VMSR (A32, or T32 as hw1 << 16 | hw2) */
    unsigned reg = insn >> 16 & 15;
    return reg == 0 || reg == 6 || reg == 7 || reg == 8;
}

bool arm_translate_vfp(DisasContext *s, uint32_t insn)
{
    if (!arm_has(s, ARM_FEATURE_VFP))
        return false;     /* no FPU: SIGILL, as the hardware without one */
    if (s->sys && !s->vfp_en && !vfp_disabled_allows(s, insn))
        return false;
    /* encodings vfp.decode leaves unallocated may be FP-ARMv8 ones */
    return vfp_decode(s, insn) || arm_translate_vfp_v8(s, insn);
}

/* The A32 coprocessor space with coprocessor 10 or 11 (a32.decode). */
bool trans_VFP_ldst(DisasContext *s, const arg_VFP_ldst *a)
{
    return arm_translate_vfp(s, s->insn);
}

bool trans_VFP_dp(DisasContext *s, const arg_VFP_dp *a)
{
    return arm_translate_vfp(s, s->insn);
}

/* ---- registers ----------------------------------------------------------------- */

static IRTemp vfp_neg(DisasContext *s, bool dp, IRTemp v)
{
    return ir_xor(s->b, v, dp ? ir_const64(s->b, 1ull << 63) : c32(s, 0x80000000u));
}

/* ---- three-register data processing ------------------------------------------------ */

typedef struct VRegs3 {
    bool dp;
    int d, n, m;
} VRegs3;

static bool decode3(DisasContext *s, int sz, int vd, int vn, int vm, VRegs3 *r)
{
    r->dp = sz != 0;
    r->d = vd;
    r->n = vn;
    r->m = vm;
    return !sz || (dreg_ok(s, r->d) && dreg_ok(s, r->n) && dreg_ok(s, r->m));
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

/* ---- the fast path: inline host float ops ----------------------------------------------
 *
 * In a block translated with ARM_TBFLAG_VFP_FAST (FPSCR: RN, FZ = 0,
 * DN = 0) an operation runs as an IR float op (ir-ops.def), which in that
 * mode computes what ARM computes whenever the result is "plain" (a zero,
 * or a finite number with biased exponent >= 2; NaN inputs never give
 * one), and raises exactly ARM's exception flags in the host FPU (folded
 * into FPSCR lazily, vfp-fpscr.c).  A zero result is ARM's too: exact (no
 * flags), or an underflow both raise as Underflow + Inexact.  Otherwise —
 * a NaN (operand choice, default NaN, signalling NaNs), an infinity, a
 * denormal or a result below twice the smallest normal (ARM detects
 * tininess before rounding) — the op's fallback, the exact helper,
 * computes the result again.  Recomputing is harmless: the flags the
 * inline op raised in that case are a subset of the ones ARM raises (and
 * the helper raises) for the same operation. */

/* out = the inline op with the helper as its fallback: the backend checks
 * the result and calls the helper only when it is not plain. */
static IRTemp gen_fast_or_helper(DisasContext *s, IROpcode fop, IRTemp out, const IRHelper *h,
                                 IRTemp a, IRTemp b)
{
    if (b == IR_TEMP_NONE) {
        uint64_t args[3] = { out, a, (uint64_t)(uintptr_t)h };
        ir_emit(s->b, fop, args);
    } else {
        uint64_t args[4] = { out, a, b, (uint64_t)(uintptr_t)h };
        ir_emit(s->b, fop, args);
    }
    return out;
}

static IRTemp gen_arith(DisasContext *s, bool dp, int op, IRTemp a, IRTemp b)
{
    static const IRHelper *const hs[4] = { &vfp_helper_add_s, &vfp_helper_sub_s,
                                           &vfp_helper_mul_s, &vfp_helper_div_s };
    static const IRHelper *const hd[4] = { &vfp_helper_add_d, &vfp_helper_sub_d,
                                           &vfp_helper_mul_d, &vfp_helper_div_d };
    static const IROpcode fops[4] = { IR_OP_fadd, IR_OP_fsub, IR_OP_fmul, IR_OP_fdiv };
    const IRHelper *h = dp ? hd[op] : hs[op];
    if (!s->vfp_fast)
        return call2(s, h, a, b);
    return gen_fast_or_helper(s, fops[op], ir_temp_new(s->b, dp ? IR_I64 : IR_I32), h, a, b);
}

#define DECODE3(a, r) \
    VRegs3 r; \
    if (!decode3(s, (a)->sz, (a)->vd, (a)->vn, (a)->vm, &r)) \
        return false

/* VMLA: d + n*m;  VMLS: d + -(n*m)  (two roundings, as the ARM ARM says) */
static bool do_vmla(DisasContext *s, const arg_vmla *a)
{
    DECODE3(a, r);
    IRTemp prod = gen_arith(s, r.dp, OP_MUL, load_vreg(s, r.dp, r.n), load_vreg(s, r.dp, r.m));
    if (a->op)
        prod = vfp_neg(s, r.dp, prod);
    store_vreg(s, r.dp, r.d, gen_arith(s, r.dp, OP_ADD, load_vreg(s, r.dp, r.d), prod));
    return true;
}

bool trans_VMLA_sp(DisasContext *s, const arg_VMLA_sp *a) { return do_vmla(s, a); }
bool trans_VMLA_dp(DisasContext *s, const arg_VMLA_dp *a) { return do_vmla(s, a); }
bool trans_VMLS_sp(DisasContext *s, const arg_VMLS_sp *a) { return do_vmla(s, a); }
bool trans_VMLS_dp(DisasContext *s, const arg_VMLS_dp *a) { return do_vmla(s, a); }

/* VNMLA: -d + -(n*m);  VNMLS: -d + n*m */
static bool do_vnmla(DisasContext *s, const arg_vnmla *a)
{
    DECODE3(a, r);
    IRTemp prod = gen_arith(s, r.dp, OP_MUL, load_vreg(s, r.dp, r.n), load_vreg(s, r.dp, r.m));
    if (a->op)
        prod = vfp_neg(s, r.dp, prod);
    IRTemp d = vfp_neg(s, r.dp, load_vreg(s, r.dp, r.d));
    store_vreg(s, r.dp, r.d, gen_arith(s, r.dp, OP_ADD, d, prod));
    return true;
}

bool trans_VNMLS_sp(DisasContext *s, const arg_VNMLS_sp *a) { return do_vnmla(s, a); }
bool trans_VNMLS_dp(DisasContext *s, const arg_VNMLS_dp *a) { return do_vnmla(s, a); }
bool trans_VNMLA_sp(DisasContext *s, const arg_VNMLA_sp *a) { return do_vnmla(s, a); }
bool trans_VNMLA_dp(DisasContext *s, const arg_VNMLA_dp *a) { return do_vnmla(s, a); }

/* VMUL; VNMUL: -(n*m) */
static bool do_vmul(DisasContext *s, const arg_vmul *a)
{
    DECODE3(a, r);
    IRTemp prod = gen_arith(s, r.dp, OP_MUL, load_vreg(s, r.dp, r.n), load_vreg(s, r.dp, r.m));
    if (a->op)
        prod = vfp_neg(s, r.dp, prod);
    store_vreg(s, r.dp, r.d, prod);
    return true;
}

bool trans_VMUL_sp(DisasContext *s, const arg_VMUL_sp *a) { return do_vmul(s, a); }
bool trans_VMUL_dp(DisasContext *s, const arg_VMUL_dp *a) { return do_vmul(s, a); }
bool trans_VNMUL_sp(DisasContext *s, const arg_VNMUL_sp *a) { return do_vmul(s, a); }
bool trans_VNMUL_dp(DisasContext *s, const arg_VNMUL_dp *a) { return do_vmul(s, a); }

static bool do_vadd(DisasContext *s, const arg_vadd *a)
{
    DECODE3(a, r);
    store_vreg(s, r.dp, r.d, gen_arith(s, r.dp, a->op ? OP_SUB : OP_ADD,
                                       load_vreg(s, r.dp, r.n), load_vreg(s, r.dp, r.m)));
    return true;
}

bool trans_VADD_sp(DisasContext *s, const arg_VADD_sp *a) { return do_vadd(s, a); }
bool trans_VADD_dp(DisasContext *s, const arg_VADD_dp *a) { return do_vadd(s, a); }
bool trans_VSUB_sp(DisasContext *s, const arg_VSUB_sp *a) { return do_vadd(s, a); }
bool trans_VSUB_dp(DisasContext *s, const arg_VSUB_dp *a) { return do_vadd(s, a); }

static bool do_vdiv(DisasContext *s, const arg_vdiv *a)
{
    DECODE3(a, r);
    store_vreg(s, r.dp, r.d, gen_arith(s, r.dp, OP_DIV, load_vreg(s, r.dp, r.n),
                                       load_vreg(s, r.dp, r.m)));
    return true;
}

bool trans_VDIV_sp(DisasContext *s, const arg_VDIV_sp *a) { return do_vdiv(s, a); }
bool trans_VDIV_dp(DisasContext *s, const arg_VDIV_dp *a) { return do_vdiv(s, a); }

/* Fused (VFPv4): FPMulAdd(addend, op1, op2) with the operands negated as
 * the ARM ARM does it (the negation applies to NaNs too). */
static bool gen_fused(DisasContext *s, const VRegs3 *r, bool neg_d, bool neg_n)
{
    if (!arm_has(s, ARM_FEATURE_VFP4))
        return false;
    IRTemp d = load_vreg(s, r->dp, r->d), n = load_vreg(s, r->dp, r->n);
    if (neg_d)
        d = vfp_neg(s, r->dp, d);
    if (neg_n)
        n = vfp_neg(s, r->dp, n);
    IRTemp res = call3(s, r->dp ? &vfp_helper_fma_d : &vfp_helper_fma_s, d, n,
                       load_vreg(s, r->dp, r->m));
    store_vreg(s, r->dp, r->d, res);
    return true;
}

/* VFNMA (op 1): -d + -(n*m);  VFNMS (op 0): -d + n*m */
static bool do_vfnma(DisasContext *s, const arg_vfnma *a)
{
    DECODE3(a, r);
    return gen_fused(s, &r, true, a->op);
}

bool trans_VFNMS_sp(DisasContext *s, const arg_VFNMS_sp *a) { return do_vfnma(s, a); }
bool trans_VFNMS_dp(DisasContext *s, const arg_VFNMS_dp *a) { return do_vfnma(s, a); }
bool trans_VFNMA_sp(DisasContext *s, const arg_VFNMA_sp *a) { return do_vfnma(s, a); }
bool trans_VFNMA_dp(DisasContext *s, const arg_VFNMA_dp *a) { return do_vfnma(s, a); }

/* VFMA (op 0): d + n*m;  VFMS (op 1): d + -n*m */
static bool do_vfma(DisasContext *s, const arg_vfma *a)
{
    DECODE3(a, r);
    return gen_fused(s, &r, false, a->op);
}

bool trans_VFMA_sp(DisasContext *s, const arg_VFMA_sp *a) { return do_vfma(s, a); }
bool trans_VFMA_dp(DisasContext *s, const arg_VFMA_dp *a) { return do_vfma(s, a); }
bool trans_VFMS_sp(DisasContext *s, const arg_VFMS_sp *a) { return do_vfma(s, a); }
bool trans_VFMS_dp(DisasContext *s, const arg_VFMS_dp *a) { return do_vfma(s, a); }

/* ---- two-register and immediate data processing ------------------------------------- */

typedef struct VRegs2 {
    bool dp;
    int d, m;
} VRegs2;

static bool decode2(DisasContext *s, int sz, int vd, int vm, VRegs2 *r)
{
    r->dp = sz != 0;
    r->d = vd;
    r->m = vm;
    return !sz || (dreg_ok(s, r->d) && dreg_ok(s, r->m));
}

#define DECODE2(a, r) \
    VRegs2 r; \
    if (!decode2(s, (a)->sz, (a)->vd, (a)->vm, &r)) \
        return false

/* VFPExpandImm: imm8 = a:b:cdefgh -> a : NOT(b) : b...b : cdefgh : 0... */
static uint64_t vfp_expand_imm(bool dp, unsigned imm8)
{
    uint64_t a = imm8 >> 7 & 1, b = imm8 >> 6 & 1, cdefgh = imm8 & 0x3f;
    if (dp)
        return a << 63 | (b ^ 1) << 62 | (b ? 0xffull : 0) << 54 | cdefgh << 48;
    return a << 31 | (b ^ 1) << 30 | (b ? 0x1full : 0) << 25 | cdefgh << 19;
}

static bool do_vmov_imm(DisasContext *s, const arg_vmov_imm *a)
{
    int d = a->vd;
    if (!arm_has(s, ARM_FEATURE_VFP3) || (a->sz && !dreg_ok(s, d)))
        return false;
    uint64_t v = vfp_expand_imm(a->sz, (unsigned)a->imm8);
    store_vreg(s, a->sz, d, a->sz ? ir_const64(s->b, v) : c32(s, (uint32_t)v));
    return true;
}

bool trans_VMOV_imm_sp(DisasContext *s, const arg_VMOV_imm_sp *a) { return do_vmov_imm(s, a); }
bool trans_VMOV_imm_dp(DisasContext *s, const arg_VMOV_imm_dp *a) { return do_vmov_imm(s, a); }

static bool do_vmov_reg(DisasContext *s, const arg_vmov_reg *a)
{
    DECODE2(a, r);
    store_vreg(s, r.dp, r.d, load_vreg(s, r.dp, r.m));
    return true;
}

bool trans_VMOV_reg_sp(DisasContext *s, const arg_VMOV_reg_sp *a) { return do_vmov_reg(s, a); }
bool trans_VMOV_reg_dp(DisasContext *s, const arg_VMOV_reg_dp *a) { return do_vmov_reg(s, a); }

/* VABS and VNEG only change the sign bit (NaNs included, no flags). */
static bool do_vabs(DisasContext *s, const arg_vabs *a)
{
    DECODE2(a, r);
    IRTemp sign = r.dp ? ir_const64(s->b, 1ull << 63) : c32(s, 0x80000000u);
    store_vreg(s, r.dp, r.d, ir_andc(s->b, load_vreg(s, r.dp, r.m), sign));
    return true;
}

bool trans_VABS_sp(DisasContext *s, const arg_VABS_sp *a) { return do_vabs(s, a); }
bool trans_VABS_dp(DisasContext *s, const arg_VABS_dp *a) { return do_vabs(s, a); }

static bool do_vneg(DisasContext *s, const arg_vneg *a)
{
    DECODE2(a, r);
    store_vreg(s, r.dp, r.d, vfp_neg(s, r.dp, load_vreg(s, r.dp, r.m)));
    return true;
}

bool trans_VNEG_sp(DisasContext *s, const arg_VNEG_sp *a) { return do_vneg(s, a); }
bool trans_VNEG_dp(DisasContext *s, const arg_VNEG_dp *a) { return do_vneg(s, a); }

static bool do_vsqrt(DisasContext *s, const arg_vsqrt *a)
{
    DECODE2(a, r);
    const IRHelper *h = r.dp ? &vfp_helper_sqrt_d : &vfp_helper_sqrt_s;
    IRTemp m = load_vreg(s, r.dp, r.m), res;
    if (s->vfp_fast)
        res = gen_fast_or_helper(s, IR_OP_fsqrt, ir_temp_new(s->b, r.dp ? IR_I64 : IR_I32),
                                 h, m, IR_TEMP_NONE);
    else
        res = call1(s, h, m);
    store_vreg(s, r.dp, r.d, res);
    return true;
}

bool trans_VSQRT_sp(DisasContext *s, const arg_VSQRT_sp *a) { return do_vsqrt(s, a); }
bool trans_VSQRT_dp(DisasContext *s, const arg_VSQRT_dp *a) { return do_vsqrt(s, a); }

/* VCVTB/VCVTT: half precision in the bottom (T=0) or top (T=1) half of an
 * S register; the other half of the destination is kept. */
static bool do_vcvt_f16(DisasContext *s, const arg_vcvt_f16 *a)
{
    if (!arm_has(s, ARM_FEATURE_VFP3))
        return false;
    int d = a->vd, m = a->vm;
    IRTemp src = load_sreg(s, m);
    if (a->op == 0) {          /* half -> single */
        IRTemp h = ir_extract(s->b, src, a->T ? 16 : 0, 16);
        store_sreg(s, d, call1(s, &vfp_helper_f16_to_f32, h));
    } else {                   /* single -> half */
        IRTemp h = call1(s, &vfp_helper_f32_to_f16, src);
        store_sreg(s, d, ir_deposit(s->b, load_sreg(s, d), h, a->T ? 16 : 0, 16));
    }
    return true;
}

bool trans_VCVT_f32_f16(DisasContext *s, const arg_VCVT_f32_f16 *a) { return do_vcvt_f16(s, a); }
bool trans_VCVT_f16_f32(DisasContext *s, const arg_VCVT_f16_f32 *a) { return do_vcvt_f16(s, a); }

/* FPSCR.NZCV (in bits 31:28) of fcmp's IRFCmpResult rel: less 1000, equal
 * 0110, greater 0010, unordered 0011 — the nibble at bits 31:28 of
 * 0x86230000 << (4 * rel). */
static IRTemp gen_fcmp_nzcv_bits(IRBlock *b, IRTemp rel)
{
    _Static_assert(IR_FCMP_LESS == 0 && IR_FCMP_EQUAL == 1 && IR_FCMP_GREATER == 2 &&
                   IR_FCMP_UNORDERED == 3, "IRFCmpResult order");
    IRTemp table = ir_const(b, IR_I32, 0x86230000u);
    return ir_andi(b, ir_shl(b, table, ir_shli(b, rel, 2)), FPSCR_NZCV);
}

/* FPSCR.NZCV <- compare(x, y).  Fast path: an inline compare, with the
 * helper as its fallback when unordered (signalling NaNs, VCMPE on quiet
 * ones raise Invalid Operation). */
static void gen_compare(DisasContext *s, bool dp, IRTemp x, IRTemp y, bool signal_qnan)
{
    if (!s->vfp_fast) {
        call3(s, dp ? &vfp_helper_cmp_d : &vfp_helper_cmp_s, x, y, c32(s, signal_qnan));
        return;
    }
    static const IRHelper *const fallback[2][2] = {
        { &vfp_helper_cmp_nzcv_s, &vfp_helper_cmpe_nzcv_s },
        { &vfp_helper_cmp_nzcv_d, &vfp_helper_cmpe_nzcv_d },
    };
    IRBlock *b = s->b;
    IRTemp rel = gen_fast_or_helper(s, IR_OP_fcmp, ir_temp_new(b, IR_I32),
                                    fallback[dp][signal_qnan], x, y);
    IRTemp f = ir_andi(b, ir_ld_env(b, IR_I32, offsetof(ARMCPU, fpscr), IR_MO_UL), ~FPSCR_NZCV);
    ir_st_env(b, ir_or(b, f, gen_fcmp_nzcv_bits(b, rel)), offsetof(ARMCPU, fpscr), IR_MO_UL);
}

static bool do_vcmp(DisasContext *s, const arg_vcmp *a)
{
    DECODE2(a, r);
    gen_compare(s, r.dp, load_vreg(s, r.dp, r.d), load_vreg(s, r.dp, r.m), a->E);
    return true;
}

bool trans_VCMP_sp(DisasContext *s, const arg_VCMP_sp *a) { return do_vcmp(s, a); }
bool trans_VCMP_dp(DisasContext *s, const arg_VCMP_dp *a) { return do_vcmp(s, a); }
bool trans_VCMPE_sp(DisasContext *s, const arg_VCMPE_sp *a) { return do_vcmp(s, a); }
bool trans_VCMPE_dp(DisasContext *s, const arg_VCMPE_dp *a) { return do_vcmp(s, a); }

static bool do_vcmp_zero(DisasContext *s, const arg_vcmp_zero *a)
{
    int d = a->vd;
    if (a->sz && !dreg_ok(s, d))
        return false;
    IRTemp zero = a->sz ? ir_const64(s->b, 0) : c32(s, 0);
    gen_compare(s, a->sz, load_vreg(s, a->sz, d), zero, a->E);
    return true;
}

bool trans_VCMP_zero_sp(DisasContext *s, const arg_VCMP_zero_sp *a) { return do_vcmp_zero(s, a); }
bool trans_VCMP_zero_dp(DisasContext *s, const arg_VCMP_zero_dp *a) { return do_vcmp_zero(s, a); }
bool trans_VCMPE_zero_sp(DisasContext *s, const arg_VCMPE_zero_sp *a) { return do_vcmp_zero(s, a); }
bool trans_VCMPE_zero_dp(DisasContext *s, const arg_VCMPE_zero_dp *a) { return do_vcmp_zero(s, a); }

/* Between single and double: sz is the source's size. */
static bool do_vcvt_sd(DisasContext *s, const arg_vcvt_sd *a)
{
    if (a->sz) {   /* double -> single */
        int d = a->vd, m = a->vm;
        if (!dreg_ok(s, m))
            return false;
        IRTemp v = load_vreg(s, true, m), r;
        if (s->vfp_fast)
            r = gen_fast_or_helper(s, IR_OP_fcvt_f64_f32, ir_temp_new(s->b, IR_I32),
                                   &vfp_helper_cvt_d_to_s, v, IR_TEMP_NONE);
        else
            r = call1(s, &vfp_helper_cvt_d_to_s, v);
        store_sreg(s, d, r);
    } else {       /* single -> double */
        int d = a->vd, m = a->vm;
        if (!dreg_ok(s, d))
            return false;
        IRTemp v = load_sreg(s, m), r;
        if (s->vfp_fast) {
            /* exact, no flags, unless the input is a NaN (or infinity) */
            IRBlock *b = s->b;
            unsigned ok = ir_label_new(b);
            r = ir_temp_new(b, IR_I64);
            ir_op1_to(b, IR_OP_fcvt_f32_f64, r, v);
            ir_brcond(b, IR_COND_NE, ir_andi(b, v, 0x7f800000u), c32(s, 0x7f800000u), ok);
            ir_mov_to(b, r, call1(s, &vfp_helper_cvt_s_to_d, v));
            ir_set_label(b, ok);
        } else {
            r = call1(s, &vfp_helper_cvt_s_to_d, v);
        }
        store_vreg(s, true, d, r);
    }
    return true;
}

bool trans_VCVT_f64_f32(DisasContext *s, const arg_VCVT_f64_f32 *a) { return do_vcvt_sd(s, a); }
bool trans_VCVT_f32_f64(DisasContext *s, const arg_VCVT_f32_f64 *a) { return do_vcvt_sd(s, a); }

/* VCVT.F32/F64.S32/U32: the source is always an S register. */
static bool do_vcvt_from_int(DisasContext *s, const arg_vcvt_from_int *a)
{
    int d = a->vd, m = a->vm;
    if (a->sz && !dreg_ok(s, d))
        return false;
    IRTemp desc = c32(s, (a->op ? 0 : VFP_CVT_UNSIGNED) | VFP_CVT_RMODE_FPSCR);
    IRTemp v = load_sreg(s, m);
    if (s->vfp_fast && a->op) {
        /* signed, to nearest: exact for double; for single the host rounds
         * and raises Inexact just as ARM does (no other case exists) */
        IRTemp r = ir_temp_new(s->b, a->sz ? IR_I64 : IR_I32);
        ir_op1_to(s->b, a->sz ? IR_OP_fcvt_s32_f64 : IR_OP_fcvt_s32_f32, r, v);
        store_vreg(s, a->sz, d, r);
        return true;
    }
    if (a->sz)
        store_vreg(s, true, d, call2(s, &vfp_helper_from_fixed_d, v, desc));
    else
        store_sreg(s, d, call2(s, &vfp_helper_from_fixed_s, v, desc));
    return true;
}

bool trans_VCVT_from_int_sp(DisasContext *s, const arg_VCVT_from_int_sp *a) { return do_vcvt_from_int(s, a); }
bool trans_VCVT_from_int_dp(DisasContext *s, const arg_VCVT_from_int_dp *a) { return do_vcvt_from_int(s, a); }

/* VCVT (op 1: round toward zero) / VCVTR (FPSCR rounding) to S32/U32; the
 * destination is always an S register. */
static bool do_vcvt_to_int(DisasContext *s, const arg_vcvt_to_int *a)
{
    int d = a->vd, m = a->vm;
    if (a->sz && !dreg_ok(s, m))
        return false;
    uint32_t desc = (a->S ? 0 : VFP_CVT_UNSIGNED) | (a->op ? VFP_CVT_RMODE(3) : VFP_CVT_RMODE_FPSCR);
    IRTemp v = load_vreg(s, a->sz, m);
    if (s->vfp_fast && a->S && a->op) {
        /* signed, toward zero: 0x80000000 (NaN, out of range, or truly
         * INT32_MIN) goes to the helper for ARM's saturation and flags */
        IRTemp r = gen_fast_or_helper(s, a->sz ? IR_OP_fcvtz_f64_s32 : IR_OP_fcvtz_f32_s32,
                                      ir_temp_new(s->b, IR_I32),
                                      a->sz ? &vfp_helper_to_int_rz_d : &vfp_helper_to_int_rz_s,
                                      v, IR_TEMP_NONE);
        store_sreg(s, d, r);
        return true;
    }
    store_sreg(s, d, call2(s, a->sz ? &vfp_helper_to_fixed_d : &vfp_helper_to_fixed_s, v,
                           c32(s, desc)));
    return true;
}

bool trans_VCVT_to_int_sp(DisasContext *s, const arg_VCVT_to_int_sp *a) { return do_vcvt_to_int(s, a); }
bool trans_VCVT_to_int_dp(DisasContext *s, const arg_VCVT_to_int_dp *a) { return do_vcvt_to_int(s, a); }

/* VCVT between floating point and fixed point (VFPv3), in place. */
static bool do_vcvt_fix(DisasContext *s, const arg_vcvt_fix *a)
{
    int d = a->vd;
    int size = a->sx ? 32 : 16;
    int fbits = size - a->imm5;
    if (!arm_has(s, ARM_FEATURE_VFP3) || (a->sz && !dreg_ok(s, d)) || fbits < 0)
        return false;     /* fbits < 0: UNPREDICTABLE */
    uint32_t desc = VFP_CVT_FBITS(fbits) | (a->U ? VFP_CVT_UNSIGNED : 0) |
                    (size == 16 ? VFP_CVT_SIZE16 : 0);
    IRTemp v = load_vreg(s, a->sz, d);
    if (a->op) {      /* to fixed: round toward zero */
        desc |= VFP_CVT_RMODE(3);
        IRTemp r = call2(s, a->sz ? &vfp_helper_to_fixed_d : &vfp_helper_to_fixed_s, v,
                         c32(s, desc));
        if (a->sz)
            store_vreg(s, true, d, a->U ? ir_extu_i32_i64(s->b, r) : ir_exts_i32_i64(s->b, r));
        else
            store_sreg(s, d, r);
    } else {          /* from fixed: the low 16 or 32 bits of the register, to nearest */
        desc |= VFP_CVT_RMODE(0);
        if (a->sz)
            store_vreg(s, true, d, call2(s, &vfp_helper_from_fixed_d,
                                         ir_extrl_i64_i32(s->b, v), c32(s, desc)));
        else
            store_sreg(s, d, call2(s, &vfp_helper_from_fixed_s, v, c32(s, desc)));
    }
    return true;
}

bool trans_VCVT_fix_sp(DisasContext *s, const arg_VCVT_fix_sp *a) { return do_vcvt_fix(s, a); }
bool trans_VCVT_fix_dp(DisasContext *s, const arg_VCVT_fix_dp *a) { return do_vcvt_fix(s, a); }

/* ---- transfers between core and extension registers ---------------------------------- */

/* Privileged modes may access FPEXC, FPSID and MVFR0/1.  The mode is read
 * at translation time: in user mode it never changes (a system-mode
 * frontend must make it part of the tb flags). */
static bool vfp_privileged(DisasContext *s)
{
    if (s->sys)
        return !s->user;    /* system mode: the block's privilege */
    return s->cpu && (((const ARMCPU *)s->cpu)->cpsr_rest & 0x1f) != ARM_CPSR_MODE_USR;
}

enum { VFP_REG_FPSID = 0, VFP_REG_FPSCR = 1, VFP_REG_MVFR1 = 6, VFP_REG_MVFR0 = 7,
       VFP_REG_FPEXC = 8 };

bool trans_VMOV_single(DisasContext *s, const arg_VMOV_single *a)
{
    int n = a->vn;
    if (a->Rt == 15)
        return false;
    if (a->op)
        store_reg(s, a->Rt, load_sreg(s, n));
    else
        store_sreg(s, n, load_reg(s, a->Rt));
    return true;
}

bool trans_VMSR(DisasContext *s, const arg_VMSR *a)
{
    if (a->Rt == 15)
        return false;
    switch (a->reg) {
    case VFP_REG_FPSCR: {
        /* Drops the pending host flags (vfp-fpscr.c).  The rounding mode,
         * FZ and DN are part of the tb flags: leave through a lookup of the
         * next instruction that asks tb_flags() (a chained exit, or
         * goto_lookup_pc with this block's flags, would keep the old mode). */
        IRTemp in[1] = { load_reg(s, a->Rt) };
        ir_call_helper(s->b, &vfp_helper_write_fpscr, in);
        gen_condexec_exit(s);
        ir_mov_to(s->b, cpu_R[15], c32(s, s->pc + s->len));
        ir_goto_lookup(s->b);
        s->is_jmp = DISAS_NORETURN;
        return true;
    }
    case VFP_REG_FPEXC:
        /* Only EN is implemented (EX and the trap bits read as zero). */
        if (!vfp_privileged(s))
            return false;
        ir_st_env(s->b, ir_andi(s->b, load_reg(s, a->Rt), FPEXC_EN), offsetof(ARMCPU, fpexc),
                  IR_MO_UL);
        if (s->sys)     /* EN is in the tb flags: look the next block up afresh */
            gen_exit_to_loop(s, c32(s, s->pc + s->len));
        else
            s->is_jmp = DISAS_UPDATE;
        return true;
    case VFP_REG_FPSID:   /* writes ignored */
        if (!vfp_privileged(s))
            return false;
        return true;
    default:
        return false;
    }
}

bool trans_VMRS(DisasContext *s, const arg_VMRS *a)
{
    uint32_t off;
    switch (a->reg) {
    case VFP_REG_FPSCR:
        off = offsetof(ARMCPU, fpscr);
        break;
    case VFP_REG_FPSID:
        /* VFPv2 lets user code read FPSID; VFPv3 makes every ID register privileged */
        if (!vfp_privileged(s) && arm_has(s, ARM_FEATURE_VFP3))
            return false;
        off = offsetof(ARMCPU, fpsid);
        break;
    case VFP_REG_MVFR0:
    case VFP_REG_MVFR1:
        if (!vfp_privileged(s) || !arm_has(s, ARM_FEATURE_VFP3))
            return false;
        off = a->reg == VFP_REG_MVFR0 ? offsetof(ARMCPU, mvfr0) : offsetof(ARMCPU, mvfr1);
        break;
    case VFP_REG_FPEXC:
        if (!vfp_privileged(s))
            return false;
        off = offsetof(ARMCPU, fpexc);
        break;
    default:
        return false;
    }
    if (a->Rt == 15) {
        /* VMRS APSR_nzcv, FPSCR: only FPSCR may go to the flags */
        if (a->reg != VFP_REG_FPSCR)
            return false;
        IRTemp v = ir_ld_env(s->b, IR_I32, off, IR_MO_UL);
        ir_mov_to(s->b, cpu_NF, v);                                      /* N = bit 31 */
        ir_op2_to(s->b, IR_OP_andc, cpu_ZF, c32(s, ARM_CPSR_Z), v);     /* Z: ZF == 0 */
        ir_mov_to(s->b, cpu_CF, ir_extract(s->b, v, 29, 1));
        ir_mov_to(s->b, cpu_VF, ir_shli(s->b, v, 3));                    /* V = bit 28 */
        return true;
    }
    if (a->reg == VFP_REG_FPSCR)   /* with the pending host flags folded in */
        store_reg(s, a->Rt, ir_call_helper(s->b, &vfp_helper_read_fpscr, NULL));
    else
        store_reg(s, a->Rt, ir_ld_env(s->b, IR_I32, off, IR_MO_UL));
    return true;
}

/* VMOV.32 Dd[x], Rt (the byte and halfword forms need Advanced SIMD) */
bool trans_VMOV_to_scalar(DisasContext *s, const arg_VMOV_to_scalar *a)
{
    int d = a->vd;
    if ((a->opc1 & 2) || a->opc2 != 0 || a->Rt == 15 || !dreg_ok(s, d))
        return false;
    store_sreg(s, d * 2 + (a->opc1 & 1), load_reg(s, a->Rt));
    return true;
}

bool trans_VMOV_from_scalar(DisasContext *s, const arg_VMOV_from_scalar *a)
{
    int n = a->vn;
    if (a->U || (a->opc1 & 2) || a->opc2 != 0 || a->Rt == 15 || !dreg_ok(s, n))
        return false;
    store_reg(s, a->Rt, load_sreg(s, n * 2 + (a->opc1 & 1)));
    return true;
}

/* VMOV Rt, Rt2, Sm, Sm1 / VMOV Sm, Sm1, Rt, Rt2 */
bool trans_VMOV_2sg(DisasContext *s, const arg_VMOV_2sg *a)
{
    int m = a->vm;
    if (a->Rt == 15 || a->Rt2 == 15 || m == 31 || (a->op && a->Rt == a->Rt2))
        return false;
    if (a->op) {
        IRTemp lo = load_sreg(s, m), hi = load_sreg(s, m + 1);
        store_reg(s, a->Rt, lo);
        store_reg(s, a->Rt2, hi);
    } else {
        IRTemp lo = load_reg(s, a->Rt), hi = load_reg(s, a->Rt2);
        store_sreg(s, m, lo);
        store_sreg(s, m + 1, hi);
    }
    return true;
}

/* VMOV Rt, Rt2, Dm / VMOV Dm, Rt, Rt2: Rt is the low word */
bool trans_VMOV_dbl(DisasContext *s, const arg_VMOV_dbl *a)
{
    int m = a->vm;
    if (a->Rt == 15 || a->Rt2 == 15 || !dreg_ok(s, m) || (a->op && a->Rt == a->Rt2))
        return false;
    if (a->op) {
        IRTemp v = load_vreg(s, true, m);
        store_reg(s, a->Rt, ir_extrl_i64_i32(s->b, v));
        store_reg(s, a->Rt2, ir_extrh_i64_i32(s->b, v));
    } else {
        IRTemp lo = ir_extu_i32_i64(s->b, load_reg(s, a->Rt));
        IRTemp hi = ir_extu_i32_i64(s->b, load_reg(s, a->Rt2));
        ir_mov_to(s->b, cpu_D[m], ir_or(s->b, lo, ir_shli(s->b, hi, 32)));
    }
    return true;
}

/* ---- loads and stores ------------------------------------------------------------------ */

/* Extension-register loads and stores need word alignment, even for D
 * registers: Linux does not fix up coprocessor transfers, so a misaligned
 * one is SIGBUS/BUS_ADRALN (the backend or interpreter tests the address). */
#define VFP_MO_S (IR_MO_UL | IR_MO_ALIGN)
#define VFP_MO_D (IR_MO_Q | IR_MO_ALIGN4)

/* The base of an extension-register access; r15 reads as Align(PC, 4). */
static IRTemp vfp_base(DisasContext *s, int Rn)
{
    if (Rn == 15)
        return c32(s, (s->pc + (s->thumb ? 4 : 8)) & ~3u);
    return load_reg(s, Rn);
}

static bool do_vldr_vstr(DisasContext *s, const arg_vldr_vstr *a)
{
    int d = a->vd;
    if (a->sz && !dreg_ok(s, d))
        return false;
    IRTemp addr = gen_add_sub(s, vfp_base(s, a->Rn), c32(s, (uint32_t)a->imm8 * 4), a->U);
    if (a->L) {
        if (a->sz)
            ir_mov_to(s->b, cpu_D[d], ir_ld(s->b, IR_I64, addr, VFP_MO_D));
        else
            store_sreg(s, d, ir_ld(s->b, IR_I32, addr, VFP_MO_S));
    } else {
        if (a->sz)
            ir_st(s->b, cpu_D[d], addr, VFP_MO_D);
        else
            ir_st(s->b, load_sreg(s, d), addr, VFP_MO_S);
    }
    return true;
}

bool trans_VSTR_sp(DisasContext *s, const arg_VSTR_sp *a) { return do_vldr_vstr(s, a); }
bool trans_VSTR_dp(DisasContext *s, const arg_VSTR_dp *a) { return do_vldr_vstr(s, a); }
bool trans_VLDR_sp(DisasContext *s, const arg_VLDR_sp *a) { return do_vldr_vstr(s, a); }
bool trans_VLDR_dp(DisasContext *s, const arg_VLDR_dp *a) { return do_vldr_vstr(s, a); }

/* VLDM/VSTM (and VPUSH/VPOP, FLDMX/FSTMX).  A load reads all memory before
 * writing any register, so a fault leaves the registers unchanged. */
static bool do_vldm_vstm(DisasContext *s, const arg_vldm_vstm *a)
{
    /* increment after (P=0, U=1) or decrement before with writeback (P=1, U=0, W=1) */
    if (a->P == a->U || (a->P && !a->W))
        return false;
    if (a->Rn == 15 && (a->W || s->thumb))
        return false;
    int first = a->vd;
    int n = a->sz ? a->imm8 >> 1 : a->imm8;     /* an odd imm8 with sz: FLDMX/FSTMX */
    int limit = a->sz ? (arm_has(s, ARM_FEATURE_VFP_D32) ? 32 : 16) : 32;
    if (n == 0 || first + n > limit || (a->sz && n > 16))
        return false;     /* UNPREDICTABLE, or beyond D15 without D32: undefined */

    IRBlock *b = s->b;
    uint32_t bytes = (uint32_t)a->imm8 * 4;
    IRTemp base = vfp_base(s, a->Rn);
    IRTemp start = a->U ? ir_mov(b, base) : ir_sub(b, base, c32(s, bytes));
    IRTemp wb = a->U ? ir_add(b, base, c32(s, bytes)) : start;
    unsigned step = a->sz ? 8 : 4;
    if (a->L) {
        IRTemp vals[32];
        for (int i = 0; i < n; i++) {
            IRTemp addr = i ? ir_add(b, start, c32(s, (uint32_t)i * step)) : start;
            vals[i] = a->sz ? ir_ld(b, IR_I64, addr, VFP_MO_D) : ir_ld(b, IR_I32, addr, VFP_MO_S);
        }
        if (a->W)
            store_reg(s, a->Rn, wb);
        for (int i = 0; i < n; i++)
            store_vreg(s, a->sz, first + i, vals[i]);
    } else {
        for (int i = 0; i < n; i++) {
            IRTemp addr = i ? ir_add(b, start, c32(s, (uint32_t)i * step)) : start;
            if (a->sz)
                ir_st(b, cpu_D[first + i], addr, VFP_MO_D);
            else
                ir_st(b, load_sreg(s, first + i), addr, VFP_MO_S);
        }
        if (a->W)
            store_reg(s, a->Rn, wb);
    }
    return true;
}

bool trans_VSTM_sp(DisasContext *s, const arg_VSTM_sp *a) { return do_vldm_vstm(s, a); }
bool trans_VSTM_dp(DisasContext *s, const arg_VSTM_dp *a) { return do_vldm_vstm(s, a); }
bool trans_VLDM_sp(DisasContext *s, const arg_VLDM_sp *a) { return do_vldm_vstm(s, a); }
bool trans_VLDM_dp(DisasContext *s, const arg_VLDM_dp *a) { return do_vldm_vstm(s, a); }
