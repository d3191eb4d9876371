/*
 * translate-t32.c — the 32-bit Thumb-2 instructions (ARM ARM A6.3):
 * data processing with modified, plain and shifted-register operands,
 * loads and stores of every size and addressing form, LDM/STM, LDRD/STRD,
 * the exclusives, TBB/TBH, wide and conditional branches, BL/BLX,
 * barriers and hints, MRS/MSR, multiplies and divides, the v6/v7 media
 * instructions (via arm-media.h) and the coprocessor space (VFP via
 * arm-vfp.h, the CP15 TLS registers via the A32 MCR/MRC).
 *
 * Registers are checked the way the manual's T32 pseudocode does where it
 * matters (r15 mostly undefined; r13 is accepted where A32 accepts it).
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-media.h"
#include "frontend-arm/arm-vfp.h"

#include "frontend-arm/t32-decode.h.inc"

/* ---- data processing ------------------------------------------------------------ */

/* ThumbExpandImm_C: *carry is the carry-out, or IR_TEMP_NONE (unchanged). */
static uint32_t thumb_expand_imm(DisasContext *s, uint32_t imm12, IRTemp *carry)
{
    uint32_t imm8 = imm12 & 0xff, v;
    *carry = IR_TEMP_NONE;
    if ((imm12 >> 10) == 0) {
        switch (imm12 >> 8 & 3) {
        case 0: v = imm8; break;
        case 1: v = imm8 << 16 | imm8; break;
        case 2: v = imm8 << 24 | imm8 << 8; break;
        default: v = imm8 * 0x01010101u; break;
        }
        return v;
    }
    uint32_t unrot = 0x80 | (imm12 & 0x7f), rot = imm12 >> 7;
    v = unrot >> rot | unrot << (32 - rot);    /* rot is 8..31 */
    *carry = c32(s, v >> 31);
    return v;
}

/* The shared op field of A6.3.1 and A6.3.11.  Rd = 15 with S is the test
 * form (TST TEQ CMN CMP), Rn = 15 the move form (MOV MVN); op2 is already
 * shifted.  ORN is ORR with the operand inverted (the carry comes from
 * the shifter either way). */
static bool gen_t32_dp(DisasContext *s, int op, int S, int Rn, int Rd, IRTemp op2, IRTemp carry)
{
    int opc;
    switch (op) {
    case 0:  opc = (Rd == 15 && S) ? ARM_DP_TST : ARM_DP_AND; break;
    case 1:  opc = ARM_DP_BIC; break;
    case 2:  opc = Rn == 15 ? ARM_DP_MOV : ARM_DP_ORR; break;
    case 3:
        opc = Rn == 15 ? ARM_DP_MVN : ARM_DP_ORR;
        if (Rn != 15)
            op2 = ir_not(s->b, op2);
        break;
    case 4:  opc = (Rd == 15 && S) ? ARM_DP_TEQ : ARM_DP_EOR; break;
    case 8:  opc = (Rd == 15 && S) ? ARM_DP_CMN : ARM_DP_ADD; break;
    case 10: opc = ARM_DP_ADC; break;
    case 11: opc = ARM_DP_SBC; break;
    case 13: opc = (Rd == 15 && S) ? ARM_DP_CMP : ARM_DP_SUB; break;
    case 14: opc = ARM_DP_RSB; break;
    default: return false;
    }
    bool test = opc >= ARM_DP_TST && opc <= ARM_DP_CMN;
    if (!test && Rd == 15)
        return false;
    if (Rn == 15 && opc != ARM_DP_MOV && opc != ARM_DP_MVN)
        return false;
    return gen_dp(s, opc, S, Rn, Rd, op2, carry);
}

static bool dp_is_logical(int op)
{
    return op <= 4;     /* AND BIC ORR ORN EOR */
}

static bool do_t32_dp_modimm(DisasContext *s, const arg_t32_dp_modimm *a)
{
    IRTemp carry;
    uint32_t imm = thumb_expand_imm(s, (uint32_t)a->imm12, &carry);
    return gen_t32_dp(s, a->op, a->S, a->Rn, a->Rd, c32(s, imm), carry);
}

bool trans_T32_AND_rri(DisasContext *s, const arg_T32_AND_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_BIC_rri(DisasContext *s, const arg_T32_BIC_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_ORR_rri(DisasContext *s, const arg_T32_ORR_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_ORN_rri(DisasContext *s, const arg_T32_ORN_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_EOR_rri(DisasContext *s, const arg_T32_EOR_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_ADD_rri(DisasContext *s, const arg_T32_ADD_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_ADC_rri(DisasContext *s, const arg_T32_ADC_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_SBC_rri(DisasContext *s, const arg_T32_SBC_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_SUB_rri(DisasContext *s, const arg_T32_SUB_rri *a) { return do_t32_dp_modimm(s, a); }
bool trans_T32_RSB_rri(DisasContext *s, const arg_T32_RSB_rri *a) { return do_t32_dp_modimm(s, a); }

static bool do_t32_dp_shreg(DisasContext *s, const arg_t32_dp_shreg *a)
{
    int imm5 = a->imm5;
    if (a->Rm == 15)
        return false;
    if (a->op == 6) {       /* PKHBT, PKHTB */
        if (a->S || (a->type & 1) || a->Rd == 15 || a->Rn == 15 || !arm_has(s, ARM_FEATURE_V6))
            return false;
        gen_pkh(s, a->Rd, a->Rn, a->Rm, a->type >> 1, imm5);
        return true;
    }
    IRTemp carry = IR_TEMP_NONE;
    bool want_carry = a->S && dp_is_logical(a->op);
    IRTemp op2 = gen_shift_imm(s, load_reg(s, a->Rm), a->type, imm5, want_carry ? &carry : NULL);
    return gen_t32_dp(s, a->op, a->S, a->Rn, a->Rd, op2, carry);
}

bool trans_T32_AND_rrri(DisasContext *s, const arg_T32_AND_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_BIC_rrri(DisasContext *s, const arg_T32_BIC_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_ORR_rrri(DisasContext *s, const arg_T32_ORR_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_ORN_rrri(DisasContext *s, const arg_T32_ORN_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_EOR_rrri(DisasContext *s, const arg_T32_EOR_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_ADD_rrri(DisasContext *s, const arg_T32_ADD_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_ADC_rrri(DisasContext *s, const arg_T32_ADC_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_SBC_rrri(DisasContext *s, const arg_T32_SBC_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_SUB_rrri(DisasContext *s, const arg_T32_SUB_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_RSB_rrri(DisasContext *s, const arg_T32_RSB_rrri *a) { return do_t32_dp_shreg(s, a); }
bool trans_T32_PKH(DisasContext *s, const arg_T32_PKH *a) { return do_t32_dp_shreg(s, a); }

/* ADDW SUBW (ADR), MOVW MOVT, SSAT USAT (16), SBFX UBFX, BFI BFC */
static bool do_t32_dp_plain(DisasContext *s, const arg_t32_dp_plain *a)
{
    uint32_t imm12 = (uint32_t)a->imm12;
    int imm5 = a->imm5;                          /* shift amount / lsb */
    int low5 = a->imm8 & 0x1f;                   /* sat_imm, widthm1 or msb */
    if (a->Rd == 15)
        return false;
    switch (a->op) {
    case 0x00: case 0x0a:   /* ADDW, SUBW; Rn = 15 is ADR */
        if (a->Rn == 15) {
            uint32_t base = (s->pc + 4) & ~3u;
            store_reg(s, a->Rd, c32(s, a->op ? base - imm12 : base + imm12));
            return true;
        }
        return gen_dp(s, a->op ? ARM_DP_SUB : ARM_DP_ADD, 0, a->Rn, a->Rd, c32(s, imm12), IR_TEMP_NONE);
    case 0x04:              /* MOVW */
        gen_movw(s, a->Rd, (uint32_t)a->imm16);
        return true;
    case 0x0c:              /* MOVT */
        gen_movt(s, a->Rd, (uint32_t)a->imm16);
        return true;
    }
    if (a->Rn == 15 && a->op != 0x16)
        return false;
    if (a->imm8 & 0x20)     /* bit 5 of the second halfword is 0 in all of them */
        return false;
    switch (a->op) {
    case 0x10: case 0x12:   /* SSAT (sh = op bit 1), SSAT16 */
        if (a->op == 0x12 && imm5 == 0) {
            if (low5 > 15)
                return false;
            gen_ssat16(s, a->Rd, a->Rn, low5 + 1);
        } else {
            gen_ssat(s, a->Rd, a->Rn, low5 + 1, a->op >> 1 & 1, imm5);
        }
        return true;
    case 0x18: case 0x1a:   /* USAT, USAT16 */
        if (a->op == 0x1a && imm5 == 0) {
            if (low5 > 15)
                return false;
            gen_usat16(s, a->Rd, a->Rn, low5);
        } else {
            gen_usat(s, a->Rd, a->Rn, low5, a->op >> 1 & 1, imm5);
        }
        return true;
    case 0x14: case 0x1c:   /* SBFX, UBFX */
        if (imm5 + low5 + 1 > 32)
            return false;
        if (a->op == 0x14)
            gen_sbfx(s, a->Rd, a->Rn, imm5, low5 + 1);
        else
            gen_ubfx(s, a->Rd, a->Rn, imm5, low5 + 1);
        return true;
    case 0x16:              /* BFI, BFC (Rn = 15) */
        if (low5 < imm5)
            return false;
        gen_bfi(s, a->Rd, a->Rn, imm5, low5 - imm5 + 1);
        return true;
    default:
        return false;
    }
}

bool trans_T32_ADDW(DisasContext *s, const arg_T32_ADDW *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_MOVW(DisasContext *s, const arg_T32_MOVW *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_SUBW(DisasContext *s, const arg_T32_SUBW *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_MOVT(DisasContext *s, const arg_T32_MOVT *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_SSAT16(DisasContext *s, const arg_T32_SSAT16 *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_SSAT(DisasContext *s, const arg_T32_SSAT *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_SBFX(DisasContext *s, const arg_T32_SBFX *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_BFI(DisasContext *s, const arg_T32_BFI *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_USAT16(DisasContext *s, const arg_T32_USAT16 *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_USAT(DisasContext *s, const arg_T32_USAT *a) { return do_t32_dp_plain(s, a); }
bool trans_T32_UBFX(DisasContext *s, const arg_T32_UBFX *a) { return do_t32_dp_plain(s, a); }

static bool do_t32_shift_reg(DisasContext *s, const arg_t32_shift_reg *a)
{
    if (a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    IRTemp carry = IR_TEMP_NONE;
    IRTemp v = gen_shift_reg(s, load_reg(s, a->Rn), a->type, load_reg(s, a->Rm), a->S ? &carry : NULL);
    return gen_dp(s, ARM_DP_MOV, a->S, 0, a->Rd, v, carry);
}

bool trans_T32_LSL_rrr(DisasContext *s, const arg_T32_LSL_rrr *a) { return do_t32_shift_reg(s, a); }
bool trans_T32_LSR_rrr(DisasContext *s, const arg_T32_LSR_rrr *a) { return do_t32_shift_reg(s, a); }
bool trans_T32_ASR_rrr(DisasContext *s, const arg_T32_ASR_rrr *a) { return do_t32_shift_reg(s, a); }
bool trans_T32_ROR_rrr(DisasContext *s, const arg_T32_ROR_rrr *a) { return do_t32_shift_reg(s, a); }

/* SXTAH UXTAH SXTAB16 UXTAB16 SXTAB UXTAB, and without the add (Rn = 15) */
static bool do_t32_extend(DisasContext *s, const arg_t32_extend *a)
{
    static const int kind[6] = { ARM_XT_H, ARM_XT_H, ARM_XT_B16, ARM_XT_B16, ARM_XT_B, ARM_XT_B };
    if (a->op > 5 || a->Rd == 15 || a->Rm == 15)
        return false;
    gen_extend(s, a->op & 1, kind[a->op], a->Rd, a->Rn, a->Rm, a->rot);
    return true;
}

bool trans_T32_SXTAH(DisasContext *s, const arg_T32_SXTAH *a) { return do_t32_extend(s, a); }
bool trans_T32_UXTAH(DisasContext *s, const arg_T32_UXTAH *a) { return do_t32_extend(s, a); }
bool trans_T32_SXTAB16(DisasContext *s, const arg_T32_SXTAB16 *a) { return do_t32_extend(s, a); }
bool trans_T32_UXTAB16(DisasContext *s, const arg_T32_UXTAB16 *a) { return do_t32_extend(s, a); }
bool trans_T32_SXTAB(DisasContext *s, const arg_T32_SXTAB *a) { return do_t32_extend(s, a); }
bool trans_T32_UXTAB(DisasContext *s, const arg_T32_UXTAB *a) { return do_t32_extend(s, a); }

/* Parallel add/subtract: T32 op1 (lanes) and op2 (U, kind) to the A32 numbers. */
static bool do_t32_parallel(DisasContext *s, const arg_t32_parallel *a)
{
    static const int lanes[8] = { ARM_PAR_ADD8, ARM_PAR_ADD16, ARM_PAR_ASX, -1,
                                  ARM_PAR_SUB8, ARM_PAR_SUB16, ARM_PAR_SAX, -1 };
    static const int kinds[2][3] = { { ARM_PAR_S, ARM_PAR_Q, ARM_PAR_SH },
                                     { ARM_PAR_U, ARM_PAR_UQ, ARM_PAR_UH } };
    int u = a->op2 >> 2 & 1, k = a->op2 & 3;
    if (lanes[a->op1] < 0 || k == 3 || a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    int op1 = kinds[u][k], op2 = lanes[a->op1];
    if (!arm_par_valid(op1, op2))
        return false;
    gen_parallel_addsub(s, op1, op2, a->Rd, a->Rn, a->Rm);
    return true;
}

bool trans_T32_SADD8(DisasContext *s, const arg_T32_SADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SADD16(DisasContext *s, const arg_T32_SADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SASX(DisasContext *s, const arg_T32_SASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_SSUB8(DisasContext *s, const arg_T32_SSUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SSUB16(DisasContext *s, const arg_T32_SSUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SSAX(DisasContext *s, const arg_T32_SSAX *a) { return do_t32_parallel(s, a); }
bool trans_T32_QADD8(DisasContext *s, const arg_T32_QADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_QADD16(DisasContext *s, const arg_T32_QADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_QASX(DisasContext *s, const arg_T32_QASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_QSUB8(DisasContext *s, const arg_T32_QSUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_QSUB16(DisasContext *s, const arg_T32_QSUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_QSAX(DisasContext *s, const arg_T32_QSAX *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHADD8(DisasContext *s, const arg_T32_SHADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHADD16(DisasContext *s, const arg_T32_SHADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHASX(DisasContext *s, const arg_T32_SHASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHSUB8(DisasContext *s, const arg_T32_SHSUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHSUB16(DisasContext *s, const arg_T32_SHSUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_SHSAX(DisasContext *s, const arg_T32_SHSAX *a) { return do_t32_parallel(s, a); }
bool trans_T32_UADD8(DisasContext *s, const arg_T32_UADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UADD16(DisasContext *s, const arg_T32_UADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UASX(DisasContext *s, const arg_T32_UASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_USUB8(DisasContext *s, const arg_T32_USUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_USUB16(DisasContext *s, const arg_T32_USUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_USAX(DisasContext *s, const arg_T32_USAX *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQADD8(DisasContext *s, const arg_T32_UQADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQADD16(DisasContext *s, const arg_T32_UQADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQASX(DisasContext *s, const arg_T32_UQASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQSUB8(DisasContext *s, const arg_T32_UQSUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQSUB16(DisasContext *s, const arg_T32_UQSUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UQSAX(DisasContext *s, const arg_T32_UQSAX *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHADD8(DisasContext *s, const arg_T32_UHADD8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHADD16(DisasContext *s, const arg_T32_UHADD16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHASX(DisasContext *s, const arg_T32_UHASX *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHSUB8(DisasContext *s, const arg_T32_UHSUB8 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHSUB16(DisasContext *s, const arg_T32_UHSUB16 *a) { return do_t32_parallel(s, a); }
bool trans_T32_UHSAX(DisasContext *s, const arg_T32_UHSAX *a) { return do_t32_parallel(s, a); }

/* QADD QDADD QSUB QDSUB, REV REV16 RBIT REVSH, SEL, CLZ.  The second
 * register is encoded twice (Rn and Rm must match) for the one-operand ops. */
static bool do_t32_misc(DisasContext *s, const arg_t32_misc *a)
{
    if (a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    switch (a->op1) {
    case 0: {   /* op2: 00 QADD, 01 QDADD, 10 QSUB, 11 QDSUB -> A32 op: sub bit 0, double bit 1 */
        static const int op[4] = { 0, 2, 1, 3 };
        gen_sat_addsub(s, op[a->op2], a->Rd, a->Rm, a->Rn);
        return true;
    }
    case 1:
        if (a->Rn != a->Rm)
            return false;
        switch (a->op2) {
        case 0: gen_rev(s, a->Rd, a->Rm); break;
        case 1: gen_rev16(s, a->Rd, a->Rm); break;
        case 2: gen_rbit(s, a->Rd, a->Rm); break;
        default: gen_revsh(s, a->Rd, a->Rm); break;
        }
        return true;
    case 2:
        if (a->op2 != 0)
            return false;
        gen_sel(s, a->Rd, a->Rn, a->Rm);
        return true;
    default:
        if (a->op2 != 0 || a->Rn != a->Rm)
            return false;
        store_reg(s, a->Rd, ir_clz(s->b, load_reg(s, a->Rm)));
        return true;
    }
}

bool trans_T32_QADD(DisasContext *s, const arg_T32_QADD *a) { return do_t32_misc(s, a); }
bool trans_T32_QDADD(DisasContext *s, const arg_T32_QDADD *a) { return do_t32_misc(s, a); }
bool trans_T32_QSUB(DisasContext *s, const arg_T32_QSUB *a) { return do_t32_misc(s, a); }
bool trans_T32_QDSUB(DisasContext *s, const arg_T32_QDSUB *a) { return do_t32_misc(s, a); }
bool trans_T32_REV(DisasContext *s, const arg_T32_REV *a) { return do_t32_misc(s, a); }
bool trans_T32_REV16(DisasContext *s, const arg_T32_REV16 *a) { return do_t32_misc(s, a); }
bool trans_T32_RBIT(DisasContext *s, const arg_T32_RBIT *a) { return do_t32_misc(s, a); }
bool trans_T32_REVSH(DisasContext *s, const arg_T32_REVSH *a) { return do_t32_misc(s, a); }
bool trans_T32_SEL(DisasContext *s, const arg_T32_SEL *a) { return do_t32_misc(s, a); }
bool trans_T32_CLZ(DisasContext *s, const arg_T32_CLZ *a) { return do_t32_misc(s, a); }

/* ---- multiplies and divides ------------------------------------------------------------- */

static bool do_t32_mul(DisasContext *s, const arg_t32_mul *a)
{
    int Ra = a->Ra;
    if (a->Rd == 15 || a->Rn == 15 || a->Rm == 15)
        return false;
    switch (a->op1) {
    case 0:
        if (a->op2 == 0) {          /* MUL (Ra = 15), MLA */
            arg_MLA m = { .S = 0, .Rd = a->Rd, .Ra = Ra, .Rm = a->Rm, .Rn = a->Rn };
            if (Ra == 15) {
                arg_MUL mm = { .S = 0, .Rd = a->Rd, .Rm = a->Rm, .Rn = a->Rn };
                return trans_MUL(s, &mm);
            }
            return trans_MLA(s, &m);
        }
        if (a->op2 == 1 && Ra != 15) {
            gen_mls(s, a->Rd, a->Rn, a->Rm, Ra);
            return true;
        }
        return false;
    case 1: {                       /* SMUL<x><y> (Ra = 15), SMLA<x><y>; op2 = N:M */
        int N = a->op2 >> 1, M = a->op2 & 1;
        if (Ra == 15) {
            arg_SMULxy m = { .Rd = a->Rd, .Rm = a->Rm, .M = M, .N = N, .Rn = a->Rn };
            return trans_SMULxy(s, &m);
        }
        arg_SMLAxy m = { .Rd = a->Rd, .Ra = Ra, .Rm = a->Rm, .M = M, .N = N, .Rn = a->Rn };
        return trans_SMLAxy(s, &m);
    }
    case 2: case 4:                 /* SMLAD/SMUAD, SMLSD/SMUSD; op2 bit 0 = X */
        if (a->op2 > 1)
            return false;
        gen_smlad(s, a->Rd, a->Rn, a->Rm, Ra, a->op1 == 4, a->op2 & 1);
        return true;
    case 3: {                       /* SMULW<y> (Ra = 15), SMLAW<y>; op2 = 0:M */
        if (a->op2 > 1)
            return false;
        if (Ra == 15) {
            arg_SMULWy m = { .Rd = a->Rd, .Rm = a->Rm, .M = a->op2, .Rn = a->Rn };
            return trans_SMULWy(s, &m);
        }
        arg_SMLAWy m = { .Rd = a->Rd, .Ra = Ra, .Rm = a->Rm, .M = a->op2, .Rn = a->Rn };
        return trans_SMLAWy(s, &m);
    }
    case 5: case 6:                 /* SMMLA/SMMUL, SMMLS; op2 bit 0 = R */
        if (a->op2 > 1 || (a->op1 == 6 && Ra == 15))
            return false;
        gen_smmla(s, a->Rd, a->Rn, a->Rm, Ra, a->op1 == 6, a->op2 & 1);
        return true;
    default:                        /* USAD8 (Ra = 15), USADA8 */
        if (a->op2 != 0)
            return false;
        gen_usad8(s, a->Rd, a->Rn, a->Rm, Ra);
        return true;
    }
}

bool trans_T32_MUL(DisasContext *s, const arg_T32_MUL *a) { return do_t32_mul(s, a); }
bool trans_T32_MLA(DisasContext *s, const arg_T32_MLA *a) { return do_t32_mul(s, a); }
bool trans_T32_MLS(DisasContext *s, const arg_T32_MLS *a) { return do_t32_mul(s, a); }
bool trans_T32_SMULxy(DisasContext *s, const arg_T32_SMULxy *a) { return do_t32_mul(s, a); }
bool trans_T32_SMLAxy(DisasContext *s, const arg_T32_SMLAxy *a) { return do_t32_mul(s, a); }
bool trans_T32_SMUAD(DisasContext *s, const arg_T32_SMUAD *a) { return do_t32_mul(s, a); }
bool trans_T32_SMLAD(DisasContext *s, const arg_T32_SMLAD *a) { return do_t32_mul(s, a); }
bool trans_T32_SMULWy(DisasContext *s, const arg_T32_SMULWy *a) { return do_t32_mul(s, a); }
bool trans_T32_SMLAWy(DisasContext *s, const arg_T32_SMLAWy *a) { return do_t32_mul(s, a); }
bool trans_T32_SMUSD(DisasContext *s, const arg_T32_SMUSD *a) { return do_t32_mul(s, a); }
bool trans_T32_SMLSD(DisasContext *s, const arg_T32_SMLSD *a) { return do_t32_mul(s, a); }
bool trans_T32_SMMUL(DisasContext *s, const arg_T32_SMMUL *a) { return do_t32_mul(s, a); }
bool trans_T32_SMMLA(DisasContext *s, const arg_T32_SMMLA *a) { return do_t32_mul(s, a); }
bool trans_T32_SMMLS(DisasContext *s, const arg_T32_SMMLS *a) { return do_t32_mul(s, a); }
bool trans_T32_USAD8(DisasContext *s, const arg_T32_USAD8 *a) { return do_t32_mul(s, a); }
bool trans_T32_USADA8(DisasContext *s, const arg_T32_USADA8 *a) { return do_t32_mul(s, a); }

static bool do_t32_mull(DisasContext *s, const arg_t32_mull *a)
{
    if (a->Rn == 15 || a->Rm == 15 || a->RdHi == 15)
        return false;
    switch (a->op1) {
    case 1: case 3:                 /* SDIV, UDIV: RdLo is 1111, RdHi is Rd */
        if (a->op2 != 0xf || a->RdLo != 15 || !arm_has(s, ARM_FEATURE_DIV))
            return false;
        gen_div(s, a->RdHi, a->Rn, a->Rm, a->op1 == 3);
        return true;
    }
    if (a->RdLo == 15)
        return false;
    if (a->op2 == 0 && (a->op1 & 1) == 0) {   /* SMULL UMULL SMLAL UMLAL */
        arg_mull m = { .sgn = !(a->op1 & 2), .A = a->op1 >> 2, .S = 0,
                       .RdHi = a->RdHi, .RdLo = a->RdLo, .Rm = a->Rm, .Rn = a->Rn };
        if (m.sgn)
            return m.A ? trans_SMLAL(s, &m) : trans_SMULL(s, &m);
        return m.A ? trans_UMLAL(s, &m) : trans_UMULL(s, &m);
    }
    if (a->op1 == 4 && (a->op2 & 0xc) == 8) {  /* SMLAL<x><y>: op2 = 10 N M */
        arg_SMLALxy m = { .RdHi = a->RdHi, .RdLo = a->RdLo, .Rm = a->Rm,
                          .M = a->op2 & 1, .N = a->op2 >> 1 & 1, .Rn = a->Rn };
        return trans_SMLALxy(s, &m);
    }
    if ((a->op1 == 4 || a->op1 == 5) && (a->op2 & 0xe) == 0xc) {  /* SMLALD, SMLSLD */
        if (a->RdLo == a->RdHi)
            return false;
        gen_smlald(s, a->RdLo, a->RdHi, a->Rn, a->Rm, a->op1 == 5, a->op2 & 1);
        return true;
    }
    if (a->op1 == 6 && a->op2 == 6) {          /* UMAAL */
        if (a->RdLo == a->RdHi)
            return false;
        gen_umaal(s, a->RdLo, a->RdHi, a->Rn, a->Rm);
        return true;
    }
    return false;
}

bool trans_T32_SMULL(DisasContext *s, const arg_T32_SMULL *a) { return do_t32_mull(s, a); }
bool trans_T32_SDIV(DisasContext *s, const arg_T32_SDIV *a) { return do_t32_mull(s, a); }
bool trans_T32_UMULL(DisasContext *s, const arg_T32_UMULL *a) { return do_t32_mull(s, a); }
bool trans_T32_UDIV(DisasContext *s, const arg_T32_UDIV *a) { return do_t32_mull(s, a); }
bool trans_T32_SMLAL(DisasContext *s, const arg_T32_SMLAL *a) { return do_t32_mull(s, a); }
bool trans_T32_SMLALxy(DisasContext *s, const arg_T32_SMLALxy *a) { return do_t32_mull(s, a); }
bool trans_T32_SMLALD(DisasContext *s, const arg_T32_SMLALD *a) { return do_t32_mull(s, a); }
bool trans_T32_SMLSLD(DisasContext *s, const arg_T32_SMLSLD *a) { return do_t32_mull(s, a); }
bool trans_T32_UMLAL(DisasContext *s, const arg_T32_UMLAL *a) { return do_t32_mull(s, a); }
bool trans_T32_UMAAL(DisasContext *s, const arg_T32_UMAAL *a) { return do_t32_mull(s, a); }

/* ---- loads and stores ------------------------------------------------------------------- */

/* size (00 B, 01 H, 10 W) and S (signed) to a memory op; false when the
 * combination is undefined (size 11, signed words, signed stores). */
static bool t32_memop(int size, int S, int L, IRMemOp *mo)
{
    static const IRMemOp ops[2][2] = { { IR_MO_UB, IR_MO_UW }, { IR_MO_SB, IR_MO_SW } };
    if (size == 3 || (S && (!L || size == 2)))
        return false;
    *mo = size == 2 ? IR_MO_UL : ops[S][size];
    return true;
}

/* Byte and halfword loads into the pc are the preload hints (PLD, PLI). */
static bool t32_is_hint(int size, int L, int Rt)
{
    return L && Rt == 15 && size != 2;
}

static bool gen_t32_ldst(DisasContext *s, int size, int S, int L, int P, int U, int W, int Rn, int Rt,
                         IRTemp offset)
{
    IRMemOp mo;
    if (!t32_memop(size, S, L, &mo))
        return false;
    if (t32_is_hint(size, L, Rt))
        return true;
    if ((Rt == 15 && (!L || size != 2)) || ((!P || W) && (Rn == 15 || Rn == Rt)) || (Rn == 15 && !L))
        return false;
    gen_ldst(s, mo, L, P, U, W, Rn, Rt, offset);
    return true;
}

static bool do_t32_ldst_lit(DisasContext *s, const arg_t32_ldst_lit *a)
{
    return gen_t32_ldst(s, a->size, a->S, 1, 1, a->U, 0, 15, a->Rt, c32(s, a->imm12));
}

bool trans_T32_LDRB_lit(DisasContext *s, const arg_T32_LDRB_lit *a) { return do_t32_ldst_lit(s, a); }
bool trans_T32_LDRH_lit(DisasContext *s, const arg_T32_LDRH_lit *a) { return do_t32_ldst_lit(s, a); }
bool trans_T32_LDR_lit(DisasContext *s, const arg_T32_LDR_lit *a) { return do_t32_ldst_lit(s, a); }
bool trans_T32_LDRSB_lit(DisasContext *s, const arg_T32_LDRSB_lit *a) { return do_t32_ldst_lit(s, a); }
bool trans_T32_LDRSH_lit(DisasContext *s, const arg_T32_LDRSH_lit *a) { return do_t32_ldst_lit(s, a); }

static bool do_t32_ldst_imm12(DisasContext *s, const arg_t32_ldst_imm12 *a)
{
    return gen_t32_ldst(s, a->size, a->S, a->L, 1, 1, 0, a->Rn, a->Rt, c32(s, a->imm12));
}

bool trans_T32_STRB_ri(DisasContext *s, const arg_T32_STRB_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_STRH_ri(DisasContext *s, const arg_T32_STRH_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_STR_ri(DisasContext *s, const arg_T32_STR_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_LDRB_ri(DisasContext *s, const arg_T32_LDRB_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_LDRH_ri(DisasContext *s, const arg_T32_LDRH_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_LDR_ri(DisasContext *s, const arg_T32_LDR_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_LDRSB_ri(DisasContext *s, const arg_T32_LDRSB_ri *a) { return do_t32_ldst_imm12(s, a); }
bool trans_T32_LDRSH_ri(DisasContext *s, const arg_T32_LDRSH_ri *a) { return do_t32_ldst_imm12(s, a); }

/* imm8 forms: P U W as in A32; PUW = 110 is the unprivileged LDRT/STRT
 * (an ordinary access in user mode), P = W = 0 is undefined. */
static bool do_t32_ldst_imm8(DisasContext *s, const arg_t32_ldst_imm8 *a)
{
    if (!a->P && !a->W)
        return false;
    return gen_t32_ldst(s, a->size, a->S, a->L, a->P, a->U, a->W, a->Rn, a->Rt, c32(s, a->imm8));
}

bool trans_T32_STRB_ri8(DisasContext *s, const arg_T32_STRB_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_STRH_ri8(DisasContext *s, const arg_T32_STRH_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_STR_ri8(DisasContext *s, const arg_T32_STR_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_LDRB_ri8(DisasContext *s, const arg_T32_LDRB_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_LDRH_ri8(DisasContext *s, const arg_T32_LDRH_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_LDR_ri8(DisasContext *s, const arg_T32_LDR_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_LDRSB_ri8(DisasContext *s, const arg_T32_LDRSB_ri8 *a) { return do_t32_ldst_imm8(s, a); }
bool trans_T32_LDRSH_ri8(DisasContext *s, const arg_T32_LDRSH_ri8 *a) { return do_t32_ldst_imm8(s, a); }

static bool do_t32_ldst_reg(DisasContext *s, const arg_t32_ldst_reg *a)
{
    if (a->Rm == 15 || a->Rm == 13)
        return false;
    IRTemp off = a->imm2 ? ir_shli(s->b, load_reg(s, a->Rm), a->imm2) : load_reg(s, a->Rm);
    return gen_t32_ldst(s, a->size, a->S, a->L, 1, 1, 0, a->Rn, a->Rt, off);
}

bool trans_T32_STRB_rr(DisasContext *s, const arg_T32_STRB_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_STRH_rr(DisasContext *s, const arg_T32_STRH_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_STR_rr(DisasContext *s, const arg_T32_STR_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_LDRB_rr(DisasContext *s, const arg_T32_LDRB_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_LDRH_rr(DisasContext *s, const arg_T32_LDRH_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_LDR_rr(DisasContext *s, const arg_T32_LDR_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_LDRSB_rr(DisasContext *s, const arg_T32_LDRSB_rr *a) { return do_t32_ldst_reg(s, a); }
bool trans_T32_LDRSH_rr(DisasContext *s, const arg_T32_LDRSH_rr *a) { return do_t32_ldst_reg(s, a); }

static bool do_t32_ldrd_strd(DisasContext *s, const arg_t32_ldrd_strd *a)
{
    if (!a->P && !a->W)
        return false;
    if (a->Rt == 15 || a->Rt2 == 15 || (a->Rn == 15 && (!a->L || a->W)) ||
        (a->W && (a->Rn == a->Rt || a->Rn == a->Rt2)) || (a->L && a->Rt == a->Rt2))
        return false;
    gen_ldst_dual(s, a->L, a->P, a->U, a->W, a->Rn, a->Rt, a->Rt2, c32(s, a->imm8 * 4u));
    return true;
}

bool trans_T32_STRD(DisasContext *s, const arg_T32_STRD *a) { return do_t32_ldrd_strd(s, a); }
bool trans_T32_LDRD(DisasContext *s, const arg_T32_LDRD *a) { return do_t32_ldrd_strd(s, a); }

/* LDMIA/LDMDB/STMIA/STMDB (POP and PUSH of several registers) */
static bool do_t32_ldm_stm(DisasContext *s, const arg_t32_ldm_stm *a)
{
    unsigned list = (unsigned)a->reglist;
    if ((a->op != 1 && a->op != 2) || a->Rn == 15 || list == 0 || (list & 0x2000))
        return false;
    if (!a->L && (list & 0x8000))
        return false;
    bool db = a->op == 2;
    gen_ldm_stm(s, a->Rn, list, db, !db, a->W, a->L);
    return true;
}

bool trans_T32_STM(DisasContext *s, const arg_T32_STM *a) { return do_t32_ldm_stm(s, a); }
bool trans_T32_LDM(DisasContext *s, const arg_T32_LDM *a) { return do_t32_ldm_stm(s, a); }
bool trans_T32_STMDB(DisasContext *s, const arg_T32_STMDB *a) { return do_t32_ldm_stm(s, a); }
bool trans_T32_LDMDB(DisasContext *s, const arg_T32_LDMDB *a) { return do_t32_ldm_stm(s, a); }

/* ---- exclusives --------------------------------------------------------------------------- */

enum { EXCL_WORD, EXCL_DUAL, EXCL_BYTE, EXCL_HALF };

static IRTemp excl_addr(DisasContext *s, int Rn, uint32_t off)
{
    return off ? ir_addi(s->b, load_reg(s, Rn), off) : load_reg(s, Rn);
}

bool trans_T32_LDREX(DisasContext *s, const arg_T32_LDREX *a)
{
    if (a->Rt == 15 || a->Rn == 15)
        return false;
    gen_load_exclusive(s, EXCL_WORD, a->Rt, 0, excl_addr(s, a->Rn, a->imm8 * 4u));
    return true;
}

bool trans_T32_STREX(DisasContext *s, const arg_T32_STREX *a)
{
    if (a->Rt == 15 || a->Rn == 15 || a->Rd == 15 || a->Rd == a->Rn || a->Rd == a->Rt)
        return false;
    gen_store_exclusive(s, EXCL_WORD, a->Rd, a->Rt, 0, excl_addr(s, a->Rn, a->imm8 * 4u));
    return true;
}

/* sz: 00 byte, 01 halfword, 11 doubleword (Rt2 is 1111 for the others) */
static int excl_size(int sz, int Rt2)
{
    if (sz == 2 || (sz != 3 && Rt2 != 15))
        return -1;
    return sz == 0 ? EXCL_BYTE : sz == 1 ? EXCL_HALF : EXCL_DUAL;
}

static bool do_t32_ldrexx(DisasContext *s, const arg_t32_ldrexx *a)
{
    int size = excl_size(a->sz, a->Rt2);
    if (size < 0 || a->Rt == 15 || a->Rn == 15 || (size == EXCL_DUAL && (a->Rt2 == 15 || a->Rt == a->Rt2)))
        return false;
    gen_load_exclusive(s, size, a->Rt, a->Rt2, load_reg(s, a->Rn));
    return true;
}

bool trans_T32_LDREXB(DisasContext *s, const arg_T32_LDREXB *a) { return do_t32_ldrexx(s, a); }
bool trans_T32_LDREXH(DisasContext *s, const arg_T32_LDREXH *a) { return do_t32_ldrexx(s, a); }
bool trans_T32_LDREXD(DisasContext *s, const arg_T32_LDREXD *a) { return do_t32_ldrexx(s, a); }

static bool do_t32_strexx(DisasContext *s, const arg_t32_strexx *a)
{
    int size = excl_size(a->sz, a->Rt2);
    if (size < 0 || a->Rt == 15 || a->Rn == 15 || a->Rd == 15 || a->Rd == a->Rn || a->Rd == a->Rt ||
        (size == EXCL_DUAL && (a->Rt2 == 15 || a->Rd == a->Rt2)))
        return false;
    gen_store_exclusive(s, size, a->Rd, a->Rt, a->Rt2, load_reg(s, a->Rn));
    return true;
}

bool trans_T32_STREXB(DisasContext *s, const arg_T32_STREXB *a) { return do_t32_strexx(s, a); }
bool trans_T32_STREXH(DisasContext *s, const arg_T32_STREXH *a) { return do_t32_strexx(s, a); }
bool trans_T32_STREXD(DisasContext *s, const arg_T32_STREXD *a) { return do_t32_strexx(s, a); }

/* ---- branches ------------------------------------------------------------------------------- */

/* TBB [Rn, Rm] / TBH [Rn, Rm, LSL #1]: pc + 4 + 2 * table entry */
bool trans_T32_TBB(DisasContext *s, const arg_T32_TBB *a)
{
    IRBlock *b = s->b;
    if (a->Rm == 15 || a->Rm == 13)
        return false;
    IRTemp idx = a->H ? ir_shli(b, load_reg(s, a->Rm), 1) : load_reg(s, a->Rm);
    IRTemp entry = ir_ld(b, IR_I32, ir_add(b, load_reg(s, a->Rn), idx), a->H ? IR_MO_UW : IR_MO_UB);
    IRTemp dest = ir_addi(b, ir_shli(b, entry, 1), s->pc + 4);
    gen_alu_write_pc(s, dest);      /* a plain branch in Thumb state */
    return true;
}

bool trans_T32_Bcc(DisasContext *s, const arg_T32_Bcc *a)
{
    if ((s->condexec & 0xf) != 0)     /* not allowed in an IT block */
        return false;
    gen_cond_skip(s, (unsigned)a->cond);
    gen_jump_direct(s, s->pc + 4 + (uint32_t)a->offset, true);
    return true;
}

bool trans_T32_B(DisasContext *s, const arg_T32_B *a)
{
    gen_jump_direct(s, s->pc + 4 + (uint32_t)a->offset, true);
    return true;
}

bool trans_T32_BL(DisasContext *s, const arg_T32_BL *a)
{
    store_reg(s, 14, c32(s, (s->pc + 4) | 1));
    gen_jump_direct(s, s->pc + 4 + (uint32_t)a->offset, true);
    return true;
}

/* BLX <label>: to ARM state at Align(PC, 4) + offset. */
bool trans_T32_BLX_imm(DisasContext *s, const arg_T32_BLX_imm *a)
{
    if (a->H)
        return false;
    uint32_t dest = ((s->pc + 4) & ~3u) + (uint32_t)a->offset;
    store_reg(s, 14, c32(s, (s->pc + 4) | 1));
    gen_jump_direct(s, dest, false);
    return true;
}

/* ---- miscellaneous control ----------------------------------------------------------------- */

bool trans_T32_HINT(DisasContext *s, const arg_T32_HINT *a)
{
    if (s->sys && a->op == 3)
        gen_wfi(s);     /* system mode: WFI */
    return true;    /* NOP YIELD WFE WFI SEV DBG */
}

bool trans_T32_CLREX(DisasContext *s, const arg_T32_CLREX *a)
{
    arg_CLREX c = { 0 };
    return trans_CLREX(s, &c);
}

bool trans_T32_DSB(DisasContext *s, const arg_T32_DSB *a)
{
    arg_DSB d = { .option = a->option };
    return trans_DSB(s, &d);
}

bool trans_T32_DMB(DisasContext *s, const arg_T32_DMB *a)
{
    arg_DMB d = { .option = a->option };
    return trans_DMB(s, &d);
}

bool trans_T32_ISB(DisasContext *s, const arg_T32_ISB *a)
{
    arg_ISB d = { .option = a->option };
    return trans_ISB(s, &d);
}

/* BXJ as BX (Jazelle disabled; translate-branch.c). */
bool trans_T32_BXJ(DisasContext *s, const arg_T32_BXJ *a)
{
    if (a->Rm == 13 || a->Rm == 15)
        return false;     /* UNPREDICTABLE */
    gen_bx(s, load_reg(s, a->Rm));
    return true;
}

bool trans_T32_MRS(DisasContext *s, const arg_T32_MRS *a)
{
    if (a->Rd == 13)
        return false;
    arg_MRS m = { .R = a->R, .Rd = a->Rd };
    return trans_MRS(s, &m);
}

/* MSR APSR_<fields>, Rn: mask bits 3:2 are nzcvq and g (the A32 f and s);
 * in system mode also MSR CPSR_<fsxc> and SPSR_<fsxc> (B9.3.12), bits 1:0
 * the x and c fields. */
bool trans_T32_MSR(DisasContext *s, const arg_T32_MSR *a)
{
    if (a->Rn == 13 || a->Rn == 15 || ((a->mask & 3) && !s->sys))
        return false;
    arg_MSR_reg m = { .R = a->R, .mask = a->mask, .Rm = a->Rn };
    return trans_MSR_reg(s, &m);
}

/* ---- system level (privileged; undefined in user mode) ---------------------------- */

bool trans_T32_CPS(DisasContext *s, const arg_T32_CPS *a)
{
    if (!s->sys || !arm_has(s, ARM_FEATURE_V6))
        return false;
    arg_CPS c = { .imod = a->imod, .M = a->M, .A = a->A, .I = a->I, .F = a->F, .mode = a->mode };
    return trans_CPS(s, &c);
}

/* op 00: DB (P=1 U=0), 11: IA (P=0 U=1); 01/10 are LDM/STM */
bool trans_T32_SRS(DisasContext *s, const arg_T32_SRS *a)
{
    if (a->op != 0 && a->op != 3)
        return false;
    arg_SRS r = { .P = a->op == 0, .U = a->op == 3, .W = a->W, .mode = a->mode };
    return trans_SRS(s, &r);
}

bool trans_T32_RFE(DisasContext *s, const arg_T32_RFE *a)
{
    if (a->op != 0 && a->op != 3)
        return false;
    arg_RFE r = { .P = a->op == 0, .U = a->op == 3, .W = a->W, .Rn = a->Rn };
    return trans_RFE(s, &r);
}

/* SUBS PC, LR, #imm8: pc = lr - imm8 and CPSR <- SPSR.  Outside an IT
 * block or as its last instruction (else UNPREDICTABLE: undefined here). */
bool trans_T32_SUBS_PC_LR(DisasContext *s, const arg_T32_SUBS_PC_LR *a)
{
    if (!s->sys || s->user || !arm_has(s, ARM_FEATURE_THUMB2) || (s->condexec && s->condexec_after))
        return false;
    gen_exception_return(s, ir_addi(s->b, load_reg(s, 14), -(uint32_t)a->imm8));
    return true;
}

bool trans_T32_UDF(DisasContext *s, const arg_T32_UDF *a)
{
    return false;
}

/* The coprocessor space (t32.decode): FP16, VFP and FP-ARMv8 (coprocessors 9-11) and the CP15
 * registers user code may use (MCR/MRC, same layout as A32 with 1110 at the
 * top).  The 1111 forms (MCR2 ..., Advanced SIMD) are undefined. */
bool trans_T32_FP16(DisasContext *s, const arg_T32_FP16 *a)
{
    return arm_translate_fp16(s, s->insn);
}

bool trans_T32_VFP_v8(DisasContext *s, const arg_T32_VFP_v8 *a)
{
    return arm_translate_vfp_v8(s, s->insn) || arm_translate_fp16(s, s->insn);
}

bool trans_T32_VFP(DisasContext *s, const arg_T32_VFP *a)
{
    return arm_translate_vfp(s, s->insn);
}

bool trans_T32_MCR(DisasContext *s, const arg_T32_MCR *a)
{
    return trans_MCR(s, a);
}

bool trans_T32_MRC(DisasContext *s, const arg_T32_MRC *a)
{
    return trans_MRC(s, a);
}
