/*
 * translate-mul.c — A32 multiplies (ARM ARM A5.2.5, A5.2.7) and the v5TE
 * saturating additions (A5.2.6): MUL MLA UMULL UMLAL SMULL SMLAL,
 * SMUL<x><y> SMLA<x><y> SMULW<y> SMLAW<y> SMLAL<x><y>, QADD QSUB QDADD QDSUB.
 *
 * Long multiplies are done in 64-bit IR arithmetic; the Q flag is sticky:
 * QF |= (overflow), never cleared here.
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-media.h"

/* MUL/MLA: Rd = Rn * Rm (+ Ra); S sets N and Z (C and V are unchanged
 * from v5 on). */
static bool gen_mul(DisasContext *s, int Rd, int Rn, int Rm, int Ra, int S)
{
    if (Rd == 15 || Rn == 15 || Rm == 15 || Ra == 15)
        return false;
    IRTemp res = ir_mul(s->b, load_reg(s, Rn), load_reg(s, Rm));
    if (Ra >= 0)
        res = ir_add(s->b, res, load_reg(s, Ra));
    if (S)
        gen_logic_nz(s, res);
    store_reg(s, Rd, res);
    return true;
}

bool trans_MUL(DisasContext *s, const arg_MUL *a)
{
    return gen_mul(s, a->Rd, a->Rn, a->Rm, -1, a->S);
}

bool trans_MLA(DisasContext *s, const arg_MLA *a)
{
    return gen_mul(s, a->Rd, a->Rn, a->Rm, a->Ra, a->S);
}

static IRTemp ext64(DisasContext *s, IRTemp v, bool sign)
{
    return sign ? ir_exts_i32_i64(s->b, v) : ir_extu_i32_i64(s->b, v);
}

/* The 64-bit value RdHi:RdLo. */
static IRTemp load_pair(DisasContext *s, int lo, int hi)
{
    IRBlock *b = s->b;
    return ir_or(b, ir_shli(b, ir_extu_i32_i64(b, load_reg(s, hi)), 32),
                 ir_extu_i32_i64(b, load_reg(s, lo)));
}

static void store_pair(DisasContext *s, int lo, int hi, IRTemp v64)
{
    store_reg(s, lo, ir_extrl_i64_i32(s->b, v64));
    store_reg(s, hi, ir_extrh_i64_i32(s->b, v64));
}

/* UMULL UMLAL SMULL SMLAL */
static bool do_mull(DisasContext *s, const arg_mull *a)
{
    IRBlock *b = s->b;
    if (a->RdLo == 15 || a->RdHi == 15 || a->Rn == 15 || a->Rm == 15 || a->RdLo == a->RdHi)
        return false;
    IRTemp p = ir_mul(b, ext64(s, load_reg(s, a->Rn), a->sgn), ext64(s, load_reg(s, a->Rm), a->sgn));
    if (a->A)
        p = ir_add(b, p, load_pair(s, a->RdLo, a->RdHi));
    IRTemp lo = ir_extrl_i64_i32(b, p), hi = ir_extrh_i64_i32(b, p);
    if (a->S) {
        ir_mov_to(b, cpu_NF, hi);
        ir_mov_to(b, cpu_ZF, ir_or(b, lo, hi));
    }
    store_reg(s, a->RdLo, lo);
    store_reg(s, a->RdHi, hi);
    return true;
}

bool trans_UMULL(DisasContext *s, const arg_UMULL *a) { return do_mull(s, a); }
bool trans_UMLAL(DisasContext *s, const arg_UMLAL *a) { return do_mull(s, a); }
bool trans_SMULL(DisasContext *s, const arg_SMULL *a) { return do_mull(s, a); }
bool trans_SMLAL(DisasContext *s, const arg_SMLAL *a) { return do_mull(s, a); }

/* ---- v5TE halfword multiplies --------------------------------------------- */

/* The signed top (top != 0) or bottom half of v. */
static IRTemp half(DisasContext *s, IRTemp v, int top)
{
    return top ? ir_sari(s->b, v, 16) : ir_ext16s(s->b, v);
}

/* QF |= signed overflow of res = x + y */
static void gen_q_add_overflow(DisasContext *s, IRTemp x, IRTemp y, IRTemp res)
{
    IRBlock *b = s->b;
    IRTemp ovf = ir_andc(b, ir_xor(b, res, x), ir_xor(b, x, y));
    ir_mov_to(b, cpu_QF, ir_or(b, cpu_QF, ir_shri(b, ovf, 31)));
}

static bool check_v5te(DisasContext *s, int r0, int r1, int r2, int r3)
{
    return arm_has(s, ARM_FEATURE_V5TE) && r0 != 15 && r1 != 15 && r2 != 15 && r3 != 15;
}

bool trans_SMULxy(DisasContext *s, const arg_SMULxy *a)
{
    if (!check_v5te(s, a->Rd, a->Rn, a->Rm, 0))
        return false;
    store_reg(s, a->Rd, ir_mul(s->b, half(s, load_reg(s, a->Rn), a->N), half(s, load_reg(s, a->Rm), a->M)));
    return true;
}

bool trans_SMLAxy(DisasContext *s, const arg_SMLAxy *a)
{
    if (!check_v5te(s, a->Rd, a->Rn, a->Rm, a->Ra))
        return false;
    IRTemp p = ir_mul(s->b, half(s, load_reg(s, a->Rn), a->N), half(s, load_reg(s, a->Rm), a->M));
    IRTemp ra = load_reg(s, a->Ra);
    IRTemp res = ir_add(s->b, p, ra);
    gen_q_add_overflow(s, p, ra, res);
    store_reg(s, a->Rd, res);
    return true;
}

/* (Rn * Rm.half) >> 16: the top 32 bits of the 48-bit product */
static IRTemp gen_mulw(DisasContext *s, int Rn, int Rm, int M)
{
    IRBlock *b = s->b;
    IRTemp p = ir_mul(b, ir_exts_i32_i64(b, load_reg(s, Rn)),
                      ir_exts_i32_i64(b, half(s, load_reg(s, Rm), M)));
    return ir_extrl_i64_i32(b, ir_sari(b, p, 16));
}

bool trans_SMULWy(DisasContext *s, const arg_SMULWy *a)
{
    if (!check_v5te(s, a->Rd, a->Rn, a->Rm, 0))
        return false;
    store_reg(s, a->Rd, gen_mulw(s, a->Rn, a->Rm, a->M));
    return true;
}

bool trans_SMLAWy(DisasContext *s, const arg_SMLAWy *a)
{
    if (!check_v5te(s, a->Rd, a->Rn, a->Rm, a->Ra))
        return false;
    IRTemp p = gen_mulw(s, a->Rn, a->Rm, a->M);
    IRTemp ra = load_reg(s, a->Ra);
    IRTemp res = ir_add(s->b, p, ra);
    gen_q_add_overflow(s, p, ra, res);
    store_reg(s, a->Rd, res);
    return true;
}

bool trans_SMLALxy(DisasContext *s, const arg_SMLALxy *a)
{
    if (!check_v5te(s, a->RdLo, a->RdHi, a->Rn, a->Rm) || a->RdLo == a->RdHi)
        return false;
    IRBlock *b = s->b;
    IRTemp p = ir_mul(b, half(s, load_reg(s, a->Rn), a->N), half(s, load_reg(s, a->Rm), a->M));
    IRTemp acc = ir_add(b, load_pair(s, a->RdLo, a->RdHi), ir_exts_i32_i64(b, p));
    store_pair(s, a->RdLo, a->RdHi, acc);
    return true;
}

/* ---- saturating add/subtract ------------------------------------------------ */

/* Saturate res when ovf (bit 31) is set: towards the sign of x. */
static IRTemp gen_saturate(DisasContext *s, IRTemp x, IRTemp res, IRTemp ovf)
{
    IRBlock *b = s->b;
    IRTemp sat = ir_xor(b, ir_sari(b, x, 31), c32(s, 0x7fffffff));
    ir_mov_to(b, cpu_QF, ir_or(b, cpu_QF, ir_shri(b, ovf, 31)));
    return ir_movcond(b, IR_COND_LT, ovf, c32(s, 0), sat, res);
}

static IRTemp gen_qadd(DisasContext *s, IRTemp x, IRTemp y)
{
    IRBlock *b = s->b;
    IRTemp r = ir_add(b, x, y);
    return gen_saturate(s, x, r, ir_andc(b, ir_xor(b, r, x), ir_xor(b, x, y)));
}

static IRTemp gen_qsub(DisasContext *s, IRTemp x, IRTemp y)
{
    IRBlock *b = s->b;
    IRTemp r = ir_sub(b, x, y);
    return gen_saturate(s, x, r, ir_and(b, ir_xor(b, x, y), ir_xor(b, x, r)));
}

/* QADD Rd, Rm, Rn: op bit 0 subtracts, bit 1 doubles Rn first (saturating).
 * Shared with the T32 decoder (arm-media.h). */
void gen_sat_addsub(DisasContext *s, int op, int rd, int rm, int rn)
{
    IRTemp y = load_reg(s, rn);
    if (op & 2)
        y = gen_qadd(s, y, y);
    IRTemp res = (op & 1) ? gen_qsub(s, load_reg(s, rm), y) : gen_qadd(s, load_reg(s, rm), y);
    store_reg(s, rd, res);
}

static bool do_sat_addsub(DisasContext *s, const arg_sat_addsub *a)
{
    if (!check_v5te(s, a->Rd, a->Rn, a->Rm, 0))
        return false;
    gen_sat_addsub(s, a->op, a->Rd, a->Rm, a->Rn);
    return true;
}

bool trans_QADD(DisasContext *s, const arg_QADD *a) { return do_sat_addsub(s, a); }
bool trans_QSUB(DisasContext *s, const arg_QSUB *a) { return do_sat_addsub(s, a); }
bool trans_QDADD(DisasContext *s, const arg_QDADD *a) { return do_sat_addsub(s, a); }
bool trans_QDSUB(DisasContext *s, const arg_QDSUB *a) { return do_sat_addsub(s, a); }
