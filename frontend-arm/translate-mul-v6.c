/*
 * translate-mul-v6.c — the ARMv6/v7 multiplies and divides (ARM ARM A5.2.5,
 * A5.4.4): MLS, UMAAL, SMLAD/SMLSD/SMUAD/SMUSD, SMLALD/SMLSLD,
 * SMMUL/SMMLA/SMMLS (and their rounding forms), SDIV/UDIV.
 *
 * The gen_ functions (arm-media.h) are shared with the T32 decoder.  Dual
 * 16x16 products are formed in 32 bits (each fits) and summed in 64 bits,
 * which gives the exact value the manual's Q test needs.
 */
#include "frontend-arm/arm-media.h"

/* ---- semantics --------------------------------------------------------------- */

void gen_mls(DisasContext *s, int rd, int rn, int rm, int ra)
{
    IRBlock *b = s->b;
    store_reg(s, rd, ir_sub(b, load_reg(s, ra), ir_mul(b, load_reg(s, rn), load_reg(s, rm))));
}

void gen_umaal(DisasContext *s, int rdlo, int rdhi, int rn, int rm)
{
    IRBlock *b = s->b;
    IRTemp p = ir_mul(b, ir_extu_i32_i64(b, load_reg(s, rn)), ir_extu_i32_i64(b, load_reg(s, rm)));
    p = ir_add(b, p, ir_extu_i32_i64(b, load_reg(s, rdlo)));
    p = ir_add(b, p, ir_extu_i32_i64(b, load_reg(s, rdhi)));   /* cannot overflow 64 bits */
    IRTemp lo = ir_extrl_i64_i32(b, p), hi = ir_extrh_i64_i32(b, p);
    store_reg(s, rdlo, lo);
    store_reg(s, rdhi, hi);
}

/* The two signed 16x16 products of a dual multiply, as i32 values:
 * *p_lo = rn.lo * m.lo, *p_hi = rn.hi * m.hi, where m is rm with its halves
 * swapped when swap (the X forms). */
static void dual_products(DisasContext *s, int rn, int rm, bool swap, IRTemp *p_lo, IRTemp *p_hi)
{
    IRBlock *b = s->b;
    IRTemp n = load_reg(s, rn), m = load_reg(s, rm);
    if (swap)
        m = ir_rotr(b, m, c32(s, 16));
    *p_lo = ir_mul(b, ir_ext16s(b, n), ir_ext16s(b, m));
    *p_hi = ir_mul(b, ir_sari(b, n, 16), ir_sari(b, m, 16));
}

void gen_smlad(DisasContext *s, int rd, int rn, int rm, int ra, bool sub, bool swap)
{
    IRBlock *b = s->b;
    IRTemp p_lo, p_hi;
    dual_products(s, rn, rm, swap, &p_lo, &p_hi);
    IRTemp sum = ir_exts_i32_i64(b, p_lo), hi64 = ir_exts_i32_i64(b, p_hi);
    sum = sub ? ir_sub(b, sum, hi64) : ir_add(b, sum, hi64);
    if (ra != 15)
        sum = ir_add(b, sum, ir_exts_i32_i64(b, load_reg(s, ra)));
    IRTemp res = ir_extrl_i64_i32(b, sum);
    /* Q when the exact sum does not fit in 32 bits (SMUSD cannot overflow) */
    if (ra != 15 || !sub) {
        IRTemp ovf = ir_setcond(b, IR_COND_NE, sum, ir_exts_i32_i64(b, res));
        ir_mov_to(b, cpu_QF, ir_or(b, cpu_QF, ir_extrl_i64_i32(b, ovf)));
    }
    store_reg(s, rd, res);
}

void gen_smlald(DisasContext *s, int rdlo, int rdhi, int rn, int rm, bool sub, bool swap)
{
    IRBlock *b = s->b;
    IRTemp p_lo, p_hi;
    dual_products(s, rn, rm, swap, &p_lo, &p_hi);
    IRTemp sum = ir_exts_i32_i64(b, p_lo), hi64 = ir_exts_i32_i64(b, p_hi);
    sum = sub ? ir_sub(b, sum, hi64) : ir_add(b, sum, hi64);
    IRTemp acc = ir_or(b, ir_shli(b, ir_extu_i32_i64(b, load_reg(s, rdhi)), 32),
                       ir_extu_i32_i64(b, load_reg(s, rdlo)));
    sum = ir_add(b, sum, acc);
    IRTemp lo = ir_extrl_i64_i32(b, sum), hi = ir_extrh_i64_i32(b, sum);
    store_reg(s, rdlo, lo);
    store_reg(s, rdhi, hi);
}

void gen_smmla(DisasContext *s, int rd, int rn, int rm, int ra, bool sub, bool round)
{
    IRBlock *b = s->b;
    IRTemp p = ir_mul(b, ir_exts_i32_i64(b, load_reg(s, rn)), ir_exts_i32_i64(b, load_reg(s, rm)));
    IRTemp acc;
    if (ra != 15) {
        acc = ir_shli(b, ir_extu_i32_i64(b, load_reg(s, ra)), 32);
        acc = sub ? ir_sub(b, acc, p) : ir_add(b, acc, p);
    } else {
        acc = sub ? ir_neg(b, p) : p;
    }
    if (round)
        acc = ir_add(b, acc, ir_const64(b, 0x80000000u));
    store_reg(s, rd, ir_extrh_i64_i32(b, acc));
}

void gen_div(DisasContext *s, int rd, int rn, int rm, bool is_unsigned)
{
    IRBlock *b = s->b;
    IRTemp n = load_reg(s, rn), m = load_reg(s, rm);
    /* the IR ops already define x / 0 = 0 and INT_MIN / -1 = INT_MIN, as ARMv7-A does */
    store_reg(s, rd, is_unsigned ? ir_divu(b, n, m) : ir_divs(b, n, m));
}

/* ---- A32 encodings ------------------------------------------------------------- */

static bool any_pc(int r0, int r1, int r2, int r3)
{
    return r0 == 15 || r1 == 15 || r2 == 15 || r3 == 15;
}

bool trans_MLS(DisasContext *s, const arg_MLS *a)
{
    if (!arm_has(s, ARM_FEATURE_V7 | ARM_FEATURE_THUMB2) || any_pc(a->Rd, a->Rn, a->Rm, a->Ra))
        return false;
    gen_mls(s, a->Rd, a->Rn, a->Rm, a->Ra);
    return true;
}

bool trans_UMAAL(DisasContext *s, const arg_UMAAL *a)
{
    if (!arm_has(s, ARM_FEATURE_V6) || any_pc(a->RdLo, a->RdHi, a->Rn, a->Rm) || a->RdLo == a->RdHi)
        return false;
    gen_umaal(s, a->RdLo, a->RdHi, a->Rn, a->Rm);
    return true;
}

/* Ra == 15 is SMUAD/SMUSD */
static bool do_smlad(DisasContext *s, const arg_smlad *a)
{
    if (!arm_has(s, ARM_FEATURE_V6) || any_pc(a->Rd, a->Rn, a->Rm, 0))
        return false;
    gen_smlad(s, a->Rd, a->Rn, a->Rm, a->Ra, a->sub, a->M);
    return true;
}

bool trans_SMLAD(DisasContext *s, const arg_SMLAD *a) { return do_smlad(s, a); }
bool trans_SMLSD(DisasContext *s, const arg_SMLSD *a) { return do_smlad(s, a); }

static bool do_smlald(DisasContext *s, const arg_smlald *a)
{
    if (!arm_has(s, ARM_FEATURE_V6) || any_pc(a->RdLo, a->RdHi, a->Rn, a->Rm) || a->RdLo == a->RdHi)
        return false;
    gen_smlald(s, a->RdLo, a->RdHi, a->Rn, a->Rm, a->sub, a->M);
    return true;
}

bool trans_SMLALD(DisasContext *s, const arg_SMLALD *a) { return do_smlald(s, a); }
bool trans_SMLSLD(DisasContext *s, const arg_SMLSLD *a) { return do_smlald(s, a); }

/* op: 00 SMMLA (Ra == 15: SMMUL), 11 SMMLS; R rounds */
static bool do_smmla(DisasContext *s, const arg_smmla *a)
{
    if (!arm_has(s, ARM_FEATURE_V6) || (a->op != 0 && a->op != 3) || any_pc(a->Rd, a->Rn, a->Rm, 0))
        return false;
    if (a->op == 3 && a->Ra == 15)
        return false;
    gen_smmla(s, a->Rd, a->Rn, a->Rm, a->Ra, a->op == 3, a->R);
    return true;
}

bool trans_SMMLA(DisasContext *s, const arg_SMMLA *a) { return do_smmla(s, a); }
bool trans_SMMLS(DisasContext *s, const arg_SMMLS *a) { return do_smmla(s, a); }

static bool do_div(DisasContext *s, const arg_div *a)
{
    if (!arm_has(s, ARM_FEATURE_DIV) || any_pc(a->Rd, a->Rn, a->Rm, 0))
        return false;
    gen_div(s, a->Rd, a->Rn, a->Rm, a->U);
    return true;
}

bool trans_SDIV(DisasContext *s, const arg_SDIV *a) { return do_div(s, a); }
bool trans_UDIV(DisasContext *s, const arg_UDIV *a) { return do_div(s, a); }
