/*
 * translate-v8.c — the ARMv8 AArch32 additions that compilers emit for
 * -march=armv8-a (models with ARM_FEATURE_V8: -cpu max), in A32 and T32:
 *
 *   LDA/LDAB/LDAH, STL/STLB/STLH        load-acquire / store-release
 *   LDAEX/STLEX (B, H, D)               their exclusive forms
 *   CRC32B/H/W, CRC32CB/CH/CW           (ARM_FEATURE_CRC)
 *   VSEL, VMAXNM/VMINNM, VRINT{A,N,P,M,R,Z,X}, VCVT{A,N,P,M}, VCVTB/VCVTT
 *   between half and double             (FP-ARMv8: V8 with a VFP)
 *
 * The load/store ones reuse the exclusives' code (translate-ldst.c) with a
 * full barrier on the acquire or release side; like the exclusives they
 * must be aligned (SIGBUS otherwise).  The floating-point ones are decoded
 * from v8.decode: the unconditional space (A32 cond = 1111, T32 T = 1) is
 * sent here by a32.decode's VFP_v8 and translate-t32.c, the conditional
 * ones come through arm_translate_vfp() when vfp.decode has no match.
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/vfp-helpers.h"
#include "frontend-arm/vfp-regs.h"
#include "frontend-arm/vfp-v8-helpers.h"

#include "frontend-arm/t32-decode.h.inc"
#include "frontend-arm/v8-decode.h.inc"
#include "frontend-arm/v8-decode.c.inc"

/* ---- load-acquire / store-release ------------------------------------------------------- */

/* Sizes are numbered as the A32 exclusives' size field (translate-ldst.c). */
enum { SZ_WORD, SZ_DUAL, SZ_BYTE, SZ_HALF };
static const IRMemOp acqrel_memop[4] = { IR_MO_UL | IR_MO_ALIGN, IR_MO_Q | IR_MO_ALIGN, IR_MO_UB,
                                         IR_MO_UW | IR_MO_ALIGN };

/* LDA: the load, then a barrier (later accesses stay after it). */
static void gen_load_acquire(DisasContext *s, int size, int Rt, IRTemp addr)
{
    IRTemp v = ir_ld(s->b, IR_I32, addr, acqrel_memop[size]);
    ir_mb(s->b);
    store_reg(s, Rt, v);
}

/* STL: a barrier (earlier accesses stay before it), then the store. */
static void gen_store_release(DisasContext *s, int size, int Rt, IRTemp addr)
{
    ir_mb(s->b);
    ir_st(s->b, load_reg(s, Rt), addr, acqrel_memop[size]);
}

static bool do_lda(DisasContext *s, const arg_lda *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->size == SZ_DUAL || a->Rt == 15 || a->Rn == 15)
        return false;
    gen_load_acquire(s, a->size, a->Rt, load_reg(s, a->Rn));
    return true;
}

bool trans_LDA(DisasContext *s, const arg_LDA *a) { return do_lda(s, a); }
bool trans_LDAB(DisasContext *s, const arg_LDAB *a) { return do_lda(s, a); }
bool trans_LDAH(DisasContext *s, const arg_LDAH *a) { return do_lda(s, a); }

static bool do_stl(DisasContext *s, const arg_stl *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->size == SZ_DUAL || a->Rt == 15 || a->Rn == 15)
        return false;
    gen_store_release(s, a->size, a->Rt, load_reg(s, a->Rn));
    return true;
}

bool trans_STL(DisasContext *s, const arg_STL *a) { return do_stl(s, a); }
bool trans_STLB(DisasContext *s, const arg_STLB *a) { return do_stl(s, a); }
bool trans_STLH(DisasContext *s, const arg_STLH *a) { return do_stl(s, a); }

/* LDAEXD needs an even Rt below r14 (Rt2 = Rt + 1), the others Rt != pc. */
static bool do_ldaex(DisasContext *s, const arg_ldaex *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->Rn == 15 || a->Rt == 15 ||
        (a->size == SZ_DUAL && ((a->Rt & 1) || a->Rt == 14)))
        return false;
    gen_load_exclusive(s, a->size, a->Rt, a->Rt + 1, load_reg(s, a->Rn));
    ir_mb(s->b);
    return true;
}

bool trans_LDAEX(DisasContext *s, const arg_LDAEX *a) { return do_ldaex(s, a); }
bool trans_LDAEXD(DisasContext *s, const arg_LDAEXD *a) { return do_ldaex(s, a); }
bool trans_LDAEXB(DisasContext *s, const arg_LDAEXB *a) { return do_ldaex(s, a); }
bool trans_LDAEXH(DisasContext *s, const arg_LDAEXH *a) { return do_ldaex(s, a); }

static bool do_stlex(DisasContext *s, const arg_stlex *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->Rn == 15 || a->Rd == 15 || a->Rt == 15 ||
        a->Rd == a->Rn || a->Rd == a->Rt ||
        (a->size == SZ_DUAL && ((a->Rt & 1) || a->Rt == 14 || a->Rd == a->Rt + 1)))
        return false;
    ir_mb(s->b);
    gen_store_exclusive(s, a->size, a->Rd, a->Rt, a->Rt + 1, load_reg(s, a->Rn));
    return true;
}

bool trans_STLEX(DisasContext *s, const arg_STLEX *a) { return do_stlex(s, a); }
bool trans_STLEXD(DisasContext *s, const arg_STLEXD *a) { return do_stlex(s, a); }
bool trans_STLEXB(DisasContext *s, const arg_STLEXB *a) { return do_stlex(s, a); }
bool trans_STLEXH(DisasContext *s, const arg_STLEXH *a) { return do_stlex(s, a); }

/* T32 sz: 00 byte, 01 halfword, 10 word, 11 doubleword (exclusives only). */
static const int t32_size[4] = { SZ_BYTE, SZ_HALF, SZ_WORD, SZ_DUAL };

static bool do_t32_lda(DisasContext *s, const arg_t32_lda *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->sz == 3 || a->Rt >= 13 || a->Rn == 15)
        return false;     /* Rt = sp/pc: UNPREDICTABLE in T32 */
    gen_load_acquire(s, t32_size[a->sz], a->Rt, load_reg(s, a->Rn));
    return true;
}

bool trans_T32_LDAB(DisasContext *s, const arg_T32_LDAB *a) { return do_t32_lda(s, a); }
bool trans_T32_LDAH(DisasContext *s, const arg_T32_LDAH *a) { return do_t32_lda(s, a); }
bool trans_T32_LDA(DisasContext *s, const arg_T32_LDA *a) { return do_t32_lda(s, a); }

static bool do_t32_stl(DisasContext *s, const arg_t32_stl *a)
{
    if (!arm_has(s, ARM_FEATURE_V8) || a->sz == 3 || a->Rt >= 13 || a->Rn == 15)
        return false;
    gen_store_release(s, t32_size[a->sz], a->Rt, load_reg(s, a->Rn));
    return true;
}

bool trans_T32_STLB(DisasContext *s, const arg_T32_STLB *a) { return do_t32_stl(s, a); }
bool trans_T32_STLH(DisasContext *s, const arg_T32_STLH *a) { return do_t32_stl(s, a); }
bool trans_T32_STL(DisasContext *s, const arg_T32_STL *a) { return do_t32_stl(s, a); }

static bool do_t32_ldaex(DisasContext *s, const arg_t32_ldaex *a)
{
    int size = t32_size[a->sz];
    if (!arm_has(s, ARM_FEATURE_V8) || a->Rn == 15 || a->Rt >= 13 ||
        (size == SZ_DUAL ? (a->Rt2 >= 13 || a->Rt == a->Rt2) : a->Rt2 != 15))
        return false;
    gen_load_exclusive(s, size, a->Rt, a->Rt2, load_reg(s, a->Rn));
    ir_mb(s->b);
    return true;
}

bool trans_T32_LDAEXB(DisasContext *s, const arg_T32_LDAEXB *a) { return do_t32_ldaex(s, a); }
bool trans_T32_LDAEXH(DisasContext *s, const arg_T32_LDAEXH *a) { return do_t32_ldaex(s, a); }
bool trans_T32_LDAEX(DisasContext *s, const arg_T32_LDAEX *a) { return do_t32_ldaex(s, a); }
bool trans_T32_LDAEXD(DisasContext *s, const arg_T32_LDAEXD *a) { return do_t32_ldaex(s, a); }

static bool do_t32_stlex(DisasContext *s, const arg_t32_stlex *a)
{
    int size = t32_size[a->sz];
    if (!arm_has(s, ARM_FEATURE_V8) || a->Rn == 15 || a->Rt >= 13 || a->Rd >= 13 ||
        a->Rd == a->Rn || a->Rd == a->Rt ||
        (size == SZ_DUAL ? (a->Rt2 >= 13 || a->Rd == a->Rt2) : a->Rt2 != 15))
        return false;
    ir_mb(s->b);
    gen_store_exclusive(s, size, a->Rd, a->Rt, a->Rt2, load_reg(s, a->Rn));
    return true;
}

bool trans_T32_STLEXB(DisasContext *s, const arg_T32_STLEXB *a) { return do_t32_stlex(s, a); }
bool trans_T32_STLEXH(DisasContext *s, const arg_T32_STLEXH *a) { return do_t32_stlex(s, a); }
bool trans_T32_STLEX(DisasContext *s, const arg_T32_STLEX *a) { return do_t32_stlex(s, a); }
bool trans_T32_STLEXD(DisasContext *s, const arg_T32_STLEXD *a) { return do_t32_stlex(s, a); }

/* ---- CRC32 ------------------------------------------------------------------------------- */

static bool gen_crc32(DisasContext *s, int sz, int C, int Rd, int Rn, int Rm)
{
    if (!arm_has(s, ARM_FEATURE_CRC) || sz == 3 || Rd == 15 || Rn == 15 || Rm == 15)
        return false;     /* sz = 11 and r15 operands: CONSTRAINED UNPREDICTABLE */
    IRTemp in[3] = { load_reg(s, Rn), load_reg(s, Rm), c32(s, (uint32_t)(sz | C << 2)) };
    store_reg(s, Rd, ir_call_helper(s->b, &arm_helper_crc32, in));
    return true;
}

static bool do_crc32(DisasContext *s, const arg_crc32 *a)
{
    return gen_crc32(s, a->sz, a->C, a->Rd, a->Rn, a->Rm);
}

bool trans_CRC32(DisasContext *s, const arg_CRC32 *a) { return do_crc32(s, a); }
bool trans_CRC32C(DisasContext *s, const arg_CRC32C *a) { return do_crc32(s, a); }

static bool do_t32_crc32(DisasContext *s, const arg_t32_crc32 *a)
{
    if (a->Rd == 13 || a->Rn == 13 || a->Rm == 13)
        return false;
    return gen_crc32(s, a->sz, a->C, a->Rd, a->Rn, a->Rm);
}

bool trans_T32_CRC32(DisasContext *s, const arg_T32_CRC32 *a) { return do_t32_crc32(s, a); }
bool trans_T32_CRC32C(DisasContext *s, const arg_T32_CRC32C *a) { return do_t32_crc32(s, a); }

/* ---- FP-ARMv8 ---------------------------------------------------------------------------- */

bool arm_translate_vfp_v8(DisasContext *s, uint32_t insn)
{
    if (!arm_has(s, ARM_FEATURE_VFP) || !arm_has(s, ARM_FEATURE_V8))
        return false;
    return v8_decode(s, insn);
}

/* The A32 unconditional space with coprocessor 10 or 11 (a32.decode). */
bool trans_VFP_v8(DisasContext *s, const arg_VFP_v8 *a)
{
    /* VINS and VMOVX (FEAT_FP16) share this space */
    return arm_translate_vfp_v8(s, s->insn) || arm_translate_fp16(s, s->insn);
}

static bool regs_ok(DisasContext *s, int sz, int d, int n, int m)
{
    return !sz || (dreg_ok(s, d) && dreg_ok(s, n) && dreg_ok(s, m));
}

/* VSEL<cc>: a move chosen by the APSR flags (no FP exceptions, NaNs too). */
/* VSEL's choice: vn when condition cc (0 EQ, 1 VS, 2 GE, 3 GT) holds, else vm. */
IRTemp gen_vsel(DisasContext *s, unsigned cc, IRTemp vn, IRTemp vm)
{
    IRBlock *b = s->b;
    IRTemp zero = c32(s, 0);
    switch (cc) {
    case 0:     /* EQ: Z */
        return ir_movcond(b, IR_COND_EQ, cpu_ZF, zero, vn, vm);
    case 1:     /* VS: V */
        return ir_movcond(b, IR_COND_LT, cpu_VF, zero, vn, vm);
    case 2:     /* GE: N == V */
        return ir_movcond(b, IR_COND_GE, ir_xor(b, cpu_NF, cpu_VF), zero, vn, vm);
    default: {  /* GT: !Z && N == V */
        IRTemp t = ir_andc(b, cpu_ZF, ir_sari(b, ir_xor(b, cpu_NF, cpu_VF), 31));
        return ir_movcond(b, IR_COND_NE, t, zero, vn, vm);
    }
    }
}

static bool do_vsel(DisasContext *s, const arg_vsel *a)
{
    int d = a->vd, n = a->vn, m = a->vm;
    if (!regs_ok(s, a->sz, d, n, m))
        return false;
    IRTemp vn = load_vreg(s, a->sz, n), vm = load_vreg(s, a->sz, m);
    IRTemp r = gen_vsel(s, a->cc, vn, vm);
    store_vreg(s, a->sz, d, r);
    return true;
}

bool trans_VSEL_sp(DisasContext *s, const arg_VSEL_sp *a) { return do_vsel(s, a); }
bool trans_VSEL_dp(DisasContext *s, const arg_VSEL_dp *a) { return do_vsel(s, a); }

static bool do_vmaxnm(DisasContext *s, const arg_vmaxnm *a)
{
    static const IRHelper *const h[2][2] = {
        { &vfp_helper_maxnm_s, &vfp_helper_minnm_s },
        { &vfp_helper_maxnm_d, &vfp_helper_minnm_d },
    };
    int d = a->vd, n = a->vn, m = a->vm;
    if (!regs_ok(s, a->sz, d, n, m))
        return false;
    IRTemp in[2] = { load_vreg(s, a->sz, n), load_vreg(s, a->sz, m) };
    store_vreg(s, a->sz, d, ir_call_helper(s->b, h[a->sz][a->op], in));
    return true;
}

bool trans_VMAXNM_sp(DisasContext *s, const arg_VMAXNM_sp *a) { return do_vmaxnm(s, a); }
bool trans_VMAXNM_dp(DisasContext *s, const arg_VMAXNM_dp *a) { return do_vmaxnm(s, a); }
bool trans_VMINNM_sp(DisasContext *s, const arg_VMINNM_sp *a) { return do_vmaxnm(s, a); }
bool trans_VMINNM_dp(DisasContext *s, const arg_VMINNM_dp *a) { return do_vmaxnm(s, a); }

static bool gen_rint(DisasContext *s, int sz, int d, int m, uint32_t desc)
{
    if (!regs_ok(s, sz, d, m, m))
        return false;
    IRTemp v = load_vreg(s, sz, m);
    store_vreg(s, sz, d, call2(s, sz ? &vfp_helper_rint_d : &vfp_helper_rint_s, v, c32(s, desc)));
    return true;
}

/* The rm field of VRINT{A,N,P,M} and VCVT{A,N,P,M}: A (ties away), N, P, M. */
static const uint32_t rint_mode[4] = { VFP_RINT_TIEAWAY, VFP_RINT_RMODE(0), VFP_RINT_RMODE(1),
                                       VFP_RINT_RMODE(2) };

static bool do_vrint_rm(DisasContext *s, const arg_vrint_rm *a)
{
    return gen_rint(s, a->sz, a->vd, a->vm, rint_mode[a->rm]);
}

bool trans_VRINTA_sp(DisasContext *s, const arg_VRINTA_sp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTA_dp(DisasContext *s, const arg_VRINTA_dp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTN_sp(DisasContext *s, const arg_VRINTN_sp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTN_dp(DisasContext *s, const arg_VRINTN_dp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTP_sp(DisasContext *s, const arg_VRINTP_sp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTP_dp(DisasContext *s, const arg_VRINTP_dp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTM_sp(DisasContext *s, const arg_VRINTM_sp *a) { return do_vrint_rm(s, a); }
bool trans_VRINTM_dp(DisasContext *s, const arg_VRINTM_dp *a) { return do_vrint_rm(s, a); }

static bool do_vrint_rz(DisasContext *s, const arg_vrint_rz *a)
{
    return gen_rint(s, a->sz, a->vd, a->vm, a->op ? VFP_RINT_RMODE(3) : VFP_RINT_FPSCR);
}

bool trans_VRINTR_sp(DisasContext *s, const arg_VRINTR_sp *a) { return do_vrint_rz(s, a); }
bool trans_VRINTR_dp(DisasContext *s, const arg_VRINTR_dp *a) { return do_vrint_rz(s, a); }
bool trans_VRINTZ_sp(DisasContext *s, const arg_VRINTZ_sp *a) { return do_vrint_rz(s, a); }
bool trans_VRINTZ_dp(DisasContext *s, const arg_VRINTZ_dp *a) { return do_vrint_rz(s, a); }

static bool do_vrintx(DisasContext *s, const arg_vrintx *a)
{
    return gen_rint(s, a->sz, a->vd, a->vm, VFP_RINT_FPSCR | VFP_RINT_EXACT);
}

bool trans_VRINTX_sp(DisasContext *s, const arg_VRINTX_sp *a) { return do_vrintx(s, a); }
bool trans_VRINTX_dp(DisasContext *s, const arg_VRINTX_dp *a) { return do_vrintx(s, a); }

/* VCVT{A,N,P,M}.S32/U32: saturating, NaN -> 0 (IOC), Inexact when rounded. */
static bool do_vcvt_rm(DisasContext *s, const arg_vcvt_rm *a)
{
    static const uint32_t cvt_mode[4] = { VFP_CVT_TIEAWAY, VFP_CVT_RMODE(0), VFP_CVT_RMODE(1),
                                          VFP_CVT_RMODE(2) };
    int d = a->vd, m = a->vm;
    if (a->sz && !dreg_ok(s, m))
        return false;
    uint32_t desc = (a->op ? 0 : VFP_CVT_UNSIGNED) | cvt_mode[a->rm];
    IRTemp v = load_vreg(s, a->sz, m);
    store_sreg(s, d, call2(s, a->sz ? &vfp_helper_to_fixed_d : &vfp_helper_to_fixed_s, v,
                           c32(s, desc)));
    return true;
}

bool trans_VCVTA_sp(DisasContext *s, const arg_VCVTA_sp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTA_dp(DisasContext *s, const arg_VCVTA_dp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTN_sp(DisasContext *s, const arg_VCVTN_sp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTN_dp(DisasContext *s, const arg_VCVTN_dp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTP_sp(DisasContext *s, const arg_VCVTP_sp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTP_dp(DisasContext *s, const arg_VCVTP_dp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTM_sp(DisasContext *s, const arg_VCVTM_sp *a) { return do_vcvt_rm(s, a); }
bool trans_VCVTM_dp(DisasContext *s, const arg_VCVTM_dp *a) { return do_vcvt_rm(s, a); }

/* VCVTB/VCVTT.F64.F16 and .F16.F64: the half in the bottom (T = 0) or
 * top (T = 1) of an S register; the other half of Sd is kept. */
static bool do_vcvt_f16_d(DisasContext *s, const arg_vcvt_f16_d *a)
{
    IRBlock *b = s->b;
    if (a->op == 0) {      /* half -> double */
        int d = a->vd, m = a->vm;
        if (!dreg_ok(s, d))
            return false;
        IRTemp h = ir_extract(b, load_sreg(s, m), a->T ? 16 : 0, 16);
        store_vreg(s, true, d, call1(s, &vfp_helper_f16_to_f64, h));
    } else {               /* double -> half */
        int d = a->vd, m = a->vm;
        if (!dreg_ok(s, m))
            return false;
        IRTemp h = call1(s, &vfp_helper_f64_to_f16, load_vreg(s, true, m));
        store_sreg(s, d, ir_deposit(b, load_sreg(s, d), h, a->T ? 16 : 0, 16));
    }
    return true;
}

bool trans_VCVT_f64_f16(DisasContext *s, const arg_VCVT_f64_f16 *a) { return do_vcvt_f16_d(s, a); }
bool trans_VCVT_f16_f64(DisasContext *s, const arg_VCVT_f16_f64 *a) { return do_vcvt_f16_d(s, a); }
