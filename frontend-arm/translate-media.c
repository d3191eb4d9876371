/*
 * translate-media.c — the ARMv6/v6T2 "media" data-processing additions
 * (ARM ARM A5.4 and MOVW/MOVT from A5.2): move wide, bitfields, byte and
 * bit reversal, extend (and add), parallel add/subtract, SEL, USAD8,
 * PKHBT/PKHTB, SSAT/USAT (and the 16-bit forms); and SETEND.
 *
 * The gen_ functions (declared in arm-media.h) are the semantics, shared
 * with the T32 decoder; the trans_ functions below them check the A32
 * encoding's feature and register rules and call them.  Most of them are
 * a handful of inline IR ops; parallel add/subtract, USAD8 and SSAT16/USAT16
 * call pure helpers (arm-media-helpers.c).
 */
#include "frontend-arm/arm-media.h"

/* ---- semantics ------------------------------------------------------------- */

void gen_movw(DisasContext *s, int rd, uint32_t imm16)
{
    store_reg(s, rd, c32(s, imm16 & 0xffff));
}

void gen_movt(DisasContext *s, int rd, uint32_t imm16)
{
    store_reg(s, rd, ir_deposit(s->b, load_reg(s, rd), c32(s, imm16 & 0xffff), 16, 16));
}

void gen_ubfx(DisasContext *s, int rd, int rn, int lsb, int width)
{
    store_reg(s, rd, ir_extract(s->b, load_reg(s, rn), lsb, width));
}

void gen_sbfx(DisasContext *s, int rd, int rn, int lsb, int width)
{
    store_reg(s, rd, ir_sextract(s->b, load_reg(s, rn), lsb, width));
}

void gen_bfi(DisasContext *s, int rd, int rn, int lsb, int width)
{
    IRTemp src = rn == 15 ? c32(s, 0) : load_reg(s, rn);
    store_reg(s, rd, ir_deposit(s->b, load_reg(s, rd), src, lsb, width));
}

void gen_rev(DisasContext *s, int rd, int rm)
{
    store_reg(s, rd, ir_bswap(s->b, load_reg(s, rm)));
}

/* Swap the bytes inside each halfword: ((x >> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8) */
void gen_rev16(DisasContext *s, int rd, int rm)
{
    IRBlock *b = s->b;
    IRTemp x = load_reg(s, rm);
    IRTemp hi = ir_andi(b, ir_shri(b, x, 8), 0x00ff00ff);
    IRTemp lo = ir_shli(b, ir_andi(b, x, 0x00ff00ff), 8);
    store_reg(s, rd, ir_or(b, hi, lo));
}

/* Byte-reversed low halfword, sign extended: (x << 24 >>s 16) | (x >> 8 & 0xff) */
void gen_revsh(DisasContext *s, int rd, int rm)
{
    IRBlock *b = s->b;
    IRTemp x = load_reg(s, rm);
    IRTemp hi = ir_sari(b, ir_shli(b, x, 24), 16);
    store_reg(s, rd, ir_or(b, hi, ir_extract(b, x, 8, 8)));
}

/* Bit reverse = byte reverse, then reverse the bits inside each byte by
 * swapping nibbles, bit pairs and single bits (3 mask-and-shift steps). */
void gen_rbit(DisasContext *s, int rd, int rm)
{
    static const struct { uint32_t mask; unsigned sh; } steps[3] = {
        { 0x0f0f0f0f, 4 }, { 0x33333333, 2 }, { 0x55555555, 1 },
    };
    IRBlock *b = s->b;
    IRTemp x = ir_bswap(b, load_reg(s, rm));
    for (int i = 0; i < 3; i++) {
        IRTemp hi = ir_andi(b, ir_shri(b, x, steps[i].sh), steps[i].mask);
        IRTemp lo = ir_shli(b, ir_andi(b, x, steps[i].mask), steps[i].sh);
        x = ir_or(b, hi, lo);
    }
    store_reg(s, rd, x);
}

void gen_extend(DisasContext *s, bool is_unsigned, int kind, int rd, int rn, int rm, int rot)
{
    IRBlock *b = s->b;
    IRTemp x = load_reg(s, rm);
    if (rot)
        x = ir_rotr(b, x, c32(s, 8 * rot));
    switch (kind) {
    case ARM_XT_B:
        x = is_unsigned ? ir_ext8u(b, x) : ir_ext8s(b, x);
        break;
    case ARM_XT_H:
        x = is_unsigned ? ir_ext16u(b, x) : ir_ext16s(b, x);
        break;
    default:   /* ARM_XT_B16: bytes 0 and 2, each extended to a halfword */
        if (is_unsigned) {
            x = ir_andi(b, x, 0x00ff00ff);
        } else {
            IRTemp lo = ir_andi(b, ir_ext8s(b, x), 0xffff);
            IRTemp hi = ir_shli(b, ir_sextract(b, x, 16, 8), 16);
            x = ir_or(b, lo, hi);
        }
        if (rn != 15) {
            /* per-halfword addition: no carry from bit 15 into bit 16 */
            IRTemp n = load_reg(s, rn);
            IRTemp sum_lo = ir_add(b, n, x);
            IRTemp sum_hi = ir_add(b, ir_andi(b, n, 0xffff0000), ir_andi(b, x, 0xffff0000));
            x = ir_deposit(b, sum_hi, sum_lo, 0, 16);
        }
        store_reg(s, rd, x);
        return;
    }
    if (rn != 15)
        x = ir_add(b, load_reg(s, rn), x);
    store_reg(s, rd, x);
}

bool arm_par_valid(int op1, int op2)
{
    return (op1 & 3) != 0 && op2 != 5 && op2 != 6;
}

void gen_parallel_addsub(DisasContext *s, int op1, int op2, int rd, int rn, int rm)
{
    IRBlock *b = s->b;
    IRTemp args[3] = { load_reg(s, rn), load_reg(s, rm), c32(s, (uint32_t)(op1 << 3 | op2)) };
    IRTemp r = ir_call_helper(b, &arm_helper_parallel_addsub, args);
    if (op1 == ARM_PAR_S || op1 == ARM_PAR_U)
        ir_mov_to(b, cpu_GE, ir_extrh_i64_i32(b, r));
    store_reg(s, rd, ir_extrl_i64_i32(b, r));
}

/* GE[3:0] -> a byte mask: GE * 0x00204081 puts copies of the 4 bits at
 * bits 0, 7, 14 and 21 (no overlap, so no carries); bit i of copy i lands
 * on bit 8*i; keep those and widen each to a byte. */
void gen_sel(DisasContext *s, int rd, int rn, int rm)
{
    IRBlock *b = s->b;
    IRTemp mask = ir_mul(b, ir_andi(b, ir_mul(b, cpu_GE, c32(s, 0x00204081)), 0x01010101),
                         c32(s, 0xff));
    IRTemp res = ir_or(b, ir_and(b, load_reg(s, rn), mask), ir_andc(b, load_reg(s, rm), mask));
    store_reg(s, rd, res);
}

void gen_usad8(DisasContext *s, int rd, int rn, int rm, int ra)
{
    IRTemp args[2] = { load_reg(s, rn), load_reg(s, rm) };
    IRTemp r = ir_call_helper(s->b, &arm_helper_usad8, args);
    if (ra != 15)
        r = ir_add(s->b, r, load_reg(s, ra));
    store_reg(s, rd, r);
}

void gen_pkh(DisasContext *s, int rd, int rn, int rm, bool tb, int imm5)
{
    IRBlock *b = s->b;
    IRTemp m = load_reg(s, rm), n = load_reg(s, rn), res;
    if (tb) {
        m = ir_sari(b, m, imm5 ? imm5 : 31);   /* ASR #32 and #31 agree on bits 15:0 */
        res = ir_deposit(b, n, m, 0, 16);
    } else {
        if (imm5)
            m = ir_shli(b, m, imm5);
        res = ir_deposit(b, m, n, 0, 16);
    }
    store_reg(s, rd, res);
}

/* The shifted operand of SSAT/USAT: LSL #imm5, or ASR #imm5 (0 = #32). */
static IRTemp sat_operand(DisasContext *s, int rn, int sh, int imm5)
{
    IRTemp x = load_reg(s, rn);
    if (sh)
        return ir_sari(s->b, x, imm5 ? imm5 : 31);   /* ASR #32 == ASR #31 */
    return imm5 ? ir_shli(s->b, x, imm5) : x;
}

/* Clamp x to [min, max] (signed); QF |= whether it changed. */
static IRTemp gen_clamp(DisasContext *s, IRTemp x, int32_t min, int32_t max)
{
    IRBlock *b = s->b;
    IRTemp cmax = c32(s, (uint32_t)max), cmin = c32(s, (uint32_t)min);
    IRTemp r = ir_movcond(b, IR_COND_GT, x, cmax, cmax, x);
    r = ir_movcond(b, IR_COND_LT, x, cmin, cmin, r);
    ir_mov_to(b, cpu_QF, ir_or(b, cpu_QF, ir_setcond(b, IR_COND_NE, r, x)));
    return r;
}

void gen_ssat(DisasContext *s, int rd, int rn, int bits, int sh, int imm5)
{
    IRTemp x = sat_operand(s, rn, sh, imm5);
    if (bits < 32)
        x = gen_clamp(s, x, -(int32_t)(1u << (bits - 1)), (int32_t)((1u << (bits - 1)) - 1));
    store_reg(s, rd, x);
}

void gen_usat(DisasContext *s, int rd, int rn, int bits, int sh, int imm5)
{
    IRTemp x = sat_operand(s, rn, sh, imm5);
    store_reg(s, rd, gen_clamp(s, x, 0, (int32_t)((1u << bits) - 1)));
}

static void gen_sat16(DisasContext *s, int rd, int rn, int bits, bool is_unsigned)
{
    IRBlock *b = s->b;
    IRTemp args[3] = { load_reg(s, rn), c32(s, (uint32_t)bits), c32(s, is_unsigned) };
    IRTemp r = ir_call_helper(b, &arm_helper_sat16, args);
    ir_mov_to(b, cpu_QF, ir_or(b, cpu_QF, ir_extrh_i64_i32(b, r)));
    store_reg(s, rd, ir_extrl_i64_i32(b, r));
}

void gen_ssat16(DisasContext *s, int rd, int rn, int bits)
{
    gen_sat16(s, rd, rn, bits, false);
}

void gen_usat16(DisasContext *s, int rd, int rn, int bits)
{
    gen_sat16(s, rd, rn, bits, true);
}

/* ---- A32 encodings ----------------------------------------------------------- */

/* v6T2 additions: every ARMv7 core, and v6T2 cores (which have Thumb-2) */
static bool has_v6t2(DisasContext *s)
{
    return arm_has(s, ARM_FEATURE_V7 | ARM_FEATURE_THUMB2);
}

static bool has_v6(DisasContext *s)
{
    return arm_has(s, ARM_FEATURE_V6);
}

bool trans_MOVW(DisasContext *s, const arg_MOVW *a)
{
    if (!has_v6t2(s) || a->Rd == 15)
        return false;
    gen_movw(s, a->Rd, (uint32_t)a->imm);
    return true;
}

bool trans_MOVT(DisasContext *s, const arg_MOVT *a)
{
    if (!has_v6t2(s) || a->Rd == 15)
        return false;
    gen_movt(s, a->Rd, (uint32_t)a->imm);
    return true;
}

static bool do_bfx(DisasContext *s, const arg_bfx *a)
{
    if (!has_v6t2(s) || a->Rd == 15 || a->Rn == 15 || a->lsb + a->widthm1 > 31)
        return false;
    if (a->U)
        gen_ubfx(s, a->Rd, a->Rn, a->lsb, a->widthm1 + 1);
    else
        gen_sbfx(s, a->Rd, a->Rn, a->lsb, a->widthm1 + 1);
    return true;
}

bool trans_SBFX(DisasContext *s, const arg_SBFX *a) { return do_bfx(s, a); }
bool trans_UBFX(DisasContext *s, const arg_UBFX *a) { return do_bfx(s, a); }

bool trans_BFI(DisasContext *s, const arg_BFI *a)
{
    if (!has_v6t2(s) || a->Rd == 15 || a->msb < a->lsb)
        return false;
    gen_bfi(s, a->Rd, a->Rn, a->lsb, a->msb - a->lsb + 1);
    return true;
}

static bool rev_ok(DisasContext *s, const arg_rev *a)
{
    return has_v6(s) && a->Rd != 15 && a->Rm != 15;
}

bool trans_REV(DisasContext *s, const arg_REV *a)
{
    if (!rev_ok(s, a))
        return false;
    gen_rev(s, a->Rd, a->Rm);
    return true;
}

bool trans_REV16(DisasContext *s, const arg_REV16 *a)
{
    if (!rev_ok(s, a))
        return false;
    gen_rev16(s, a->Rd, a->Rm);
    return true;
}

bool trans_RBIT(DisasContext *s, const arg_RBIT *a)
{
    if (!rev_ok(s, a) || !has_v6t2(s))
        return false;
    gen_rbit(s, a->Rd, a->Rm);
    return true;
}

bool trans_REVSH(DisasContext *s, const arg_REVSH *a)
{
    if (!rev_ok(s, a))
        return false;
    gen_revsh(s, a->Rd, a->Rm);
    return true;
}

static bool do_extend(DisasContext *s, const arg_extend *a)
{
    if (!has_v6(s) || a->op == 1 || a->Rd == 15 || a->Rm == 15)
        return false;
    gen_extend(s, a->U, a->op, a->Rd, a->Rn, a->Rm, a->rot);
    return true;
}

bool trans_SXTAB16(DisasContext *s, const arg_SXTAB16 *a) { return do_extend(s, a); }
bool trans_SXTAB(DisasContext *s, const arg_SXTAB *a) { return do_extend(s, a); }
bool trans_SXTAH(DisasContext *s, const arg_SXTAH *a) { return do_extend(s, a); }
bool trans_UXTAB16(DisasContext *s, const arg_UXTAB16 *a) { return do_extend(s, a); }
bool trans_UXTAB(DisasContext *s, const arg_UXTAB *a) { return do_extend(s, a); }
bool trans_UXTAH(DisasContext *s, const arg_UXTAH *a) { return do_extend(s, a); }

static bool do_par_addsub(DisasContext *s, const arg_par_addsub *a)
{
    if (!has_v6(s) || !arm_par_valid(a->op1, a->op2) || a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    gen_parallel_addsub(s, a->op1, a->op2, a->Rd, a->Rn, a->Rm);
    return true;
}

bool trans_SADD16(DisasContext *s, const arg_SADD16 *a) { return do_par_addsub(s, a); }
bool trans_SASX(DisasContext *s, const arg_SASX *a) { return do_par_addsub(s, a); }
bool trans_SSAX(DisasContext *s, const arg_SSAX *a) { return do_par_addsub(s, a); }
bool trans_SSUB16(DisasContext *s, const arg_SSUB16 *a) { return do_par_addsub(s, a); }
bool trans_SADD8(DisasContext *s, const arg_SADD8 *a) { return do_par_addsub(s, a); }
bool trans_SSUB8(DisasContext *s, const arg_SSUB8 *a) { return do_par_addsub(s, a); }
bool trans_QADD16(DisasContext *s, const arg_QADD16 *a) { return do_par_addsub(s, a); }
bool trans_QASX(DisasContext *s, const arg_QASX *a) { return do_par_addsub(s, a); }
bool trans_QSAX(DisasContext *s, const arg_QSAX *a) { return do_par_addsub(s, a); }
bool trans_QSUB16(DisasContext *s, const arg_QSUB16 *a) { return do_par_addsub(s, a); }
bool trans_QADD8(DisasContext *s, const arg_QADD8 *a) { return do_par_addsub(s, a); }
bool trans_QSUB8(DisasContext *s, const arg_QSUB8 *a) { return do_par_addsub(s, a); }
bool trans_SHADD16(DisasContext *s, const arg_SHADD16 *a) { return do_par_addsub(s, a); }
bool trans_SHASX(DisasContext *s, const arg_SHASX *a) { return do_par_addsub(s, a); }
bool trans_SHSAX(DisasContext *s, const arg_SHSAX *a) { return do_par_addsub(s, a); }
bool trans_SHSUB16(DisasContext *s, const arg_SHSUB16 *a) { return do_par_addsub(s, a); }
bool trans_SHADD8(DisasContext *s, const arg_SHADD8 *a) { return do_par_addsub(s, a); }
bool trans_SHSUB8(DisasContext *s, const arg_SHSUB8 *a) { return do_par_addsub(s, a); }
bool trans_UADD16(DisasContext *s, const arg_UADD16 *a) { return do_par_addsub(s, a); }
bool trans_UASX(DisasContext *s, const arg_UASX *a) { return do_par_addsub(s, a); }
bool trans_USAX(DisasContext *s, const arg_USAX *a) { return do_par_addsub(s, a); }
bool trans_USUB16(DisasContext *s, const arg_USUB16 *a) { return do_par_addsub(s, a); }
bool trans_UADD8(DisasContext *s, const arg_UADD8 *a) { return do_par_addsub(s, a); }
bool trans_USUB8(DisasContext *s, const arg_USUB8 *a) { return do_par_addsub(s, a); }
bool trans_UQADD16(DisasContext *s, const arg_UQADD16 *a) { return do_par_addsub(s, a); }
bool trans_UQASX(DisasContext *s, const arg_UQASX *a) { return do_par_addsub(s, a); }
bool trans_UQSAX(DisasContext *s, const arg_UQSAX *a) { return do_par_addsub(s, a); }
bool trans_UQSUB16(DisasContext *s, const arg_UQSUB16 *a) { return do_par_addsub(s, a); }
bool trans_UQADD8(DisasContext *s, const arg_UQADD8 *a) { return do_par_addsub(s, a); }
bool trans_UQSUB8(DisasContext *s, const arg_UQSUB8 *a) { return do_par_addsub(s, a); }
bool trans_UHADD16(DisasContext *s, const arg_UHADD16 *a) { return do_par_addsub(s, a); }
bool trans_UHASX(DisasContext *s, const arg_UHASX *a) { return do_par_addsub(s, a); }
bool trans_UHSAX(DisasContext *s, const arg_UHSAX *a) { return do_par_addsub(s, a); }
bool trans_UHSUB16(DisasContext *s, const arg_UHSUB16 *a) { return do_par_addsub(s, a); }
bool trans_UHADD8(DisasContext *s, const arg_UHADD8 *a) { return do_par_addsub(s, a); }
bool trans_UHSUB8(DisasContext *s, const arg_UHSUB8 *a) { return do_par_addsub(s, a); }

bool trans_SEL(DisasContext *s, const arg_SEL *a)
{
    if (!has_v6(s) || a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    gen_sel(s, a->Rd, a->Rn, a->Rm);
    return true;
}

bool trans_USADA8(DisasContext *s, const arg_USADA8 *a)
{
    if (!has_v6(s) || a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    gen_usad8(s, a->Rd, a->Rn, a->Rm, a->Ra);
    return true;
}

static bool do_pkh(DisasContext *s, const arg_pkh *a)
{
    if (!has_v6(s) || a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    gen_pkh(s, a->Rd, a->Rn, a->Rm, a->tb, a->imm5);
    return true;
}

bool trans_PKHBT(DisasContext *s, const arg_PKHBT *a) { return do_pkh(s, a); }
bool trans_PKHTB(DisasContext *s, const arg_PKHTB *a) { return do_pkh(s, a); }

static bool do_sat(DisasContext *s, const arg_sat *a)
{
    if (!has_v6(s) || a->Rd == 15 || a->Rn == 15)
        return false;
    if (a->U)
        gen_usat(s, a->Rd, a->Rn, a->sat, a->sh, a->imm5);
    else
        gen_ssat(s, a->Rd, a->Rn, a->sat + 1, a->sh, a->imm5);
    return true;
}

bool trans_SSAT(DisasContext *s, const arg_SSAT *a) { return do_sat(s, a); }
bool trans_USAT(DisasContext *s, const arg_USAT *a) { return do_sat(s, a); }

static bool do_sat16(DisasContext *s, const arg_sat16 *a)
{
    if (!has_v6(s) || a->Rd == 15 || a->Rn == 15)
        return false;
    if (a->U)
        gen_usat16(s, a->Rd, a->Rn, a->sat);
    else
        gen_ssat16(s, a->Rd, a->Rn, a->sat + 1);
    return true;
}

bool trans_SSAT16(DisasContext *s, const arg_SSAT16 *a) { return do_sat16(s, a); }
bool trans_USAT16(DisasContext *s, const arg_USAT16 *a) { return do_sat16(s, a); }

/* SETEND: vemu supports little-endian data only.  SETEND LE is then a no-op;
 * SETEND BE is undefined (SIGILL), which Linux programs never rely on. */
bool trans_SETEND(DisasContext *s, const arg_SETEND *a)
{
    return has_v6(s) && a->E == 0;
}
