/*
 * translate-thumb.c — Thumb state: the per-instruction IT-block logic and
 * the 16-bit (T16) instructions (ARM ARM A6.2).  The 32-bit instructions
 * are in translate-t32.c; both decoders are generated from t16.decode and
 * t32.decode and dispatched from thumb_translate_insn() below.
 *
 * The semantics are the A32 ones (gen_dp, the shifter, gen_ldst,
 * gen_ldm_stm, the media gen_ functions ...); what differs is decoding,
 * the pc (reads give the instruction's address + 4, Align(PC, 4) for
 * literals and ADR), and flag setting: the 16-bit data-processing forms
 * set flags outside IT blocks only (CMP, CMN and TST always do).
 *
 * IT blocks: ITSTATE (IT[7:0]) is static within a block — it is in the
 * block's tb_flags at the start and advances per instruction — so each
 * instruction in an IT block is translated as conditional on IT[7:4].
 * cpu->condexec is written at the start of every instruction whose
 * ITSTATE differs from what the cpu state holds, so faults, exceptions
 * and syscalls see the right value, and at block exits (gen_condexec_exit).
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-media.h"

#include "frontend-arm/t16-decode.h.inc"
#include "frontend-arm/t32-decode.h.inc"
#include "frontend-arm/t16-decode.c.inc"
#include "frontend-arm/t32-decode.c.inc"

/* ---- IT state --------------------------------------------------------------- */

static bool in_it_block(const DisasContext *s)
{
    return (s->condexec & 0xf) != 0;
}

/* ITAdvance(): shift the mask, or leave the block after its last insn. */
static uint32_t it_advance(uint32_t it)
{
    if ((it & 7) == 0)
        return 0;
    return (it & 0xe0) | ((it << 1) & 0x1f);
}

void thumb_translate_insn(DisasContext *s, uint32_t insn)
{
    s->insn = insn;
    s->cond_skip = false;
    if (s->condexec != s->condexec_cpu) {
        ir_mov_to(s->b, cpu_condexec, c32(s, s->condexec));
        s->condexec_cpu = s->condexec;
    }
    s->condexec_after = it_advance(s->condexec);
    if (in_it_block(s)) {
        unsigned cond = s->condexec >> 4;
        if (cond < 0xe)      /* AL (and the UNPREDICTABLE NV) always run */
            gen_cond_skip(s, cond);
    }
    bool ok;
    if (s->len == 2)
        ok = t16_decode(s, (uint16_t)insn);
    else if (!arm_has(s, ARM_FEATURE_THUMB2) && (insn & 0xf800c000) != 0xf000c000)
        ok = false;     /* before Thumb-2 only the BL/BLX pair is 32 bits long */
    else
        ok = t32_decode(s, insn);
    if (!ok)
        gen_exception_insn(s, EXCP_UDEF);
}

/* "S" for the 16-bit data-processing forms: outside IT blocks only. */
static int t16_setflags(const DisasContext *s)
{
    return !in_it_block(s);
}

/* ---- shift, add, subtract, move, compare ---------------------------------------- */

static bool gen_t16_shift(DisasContext *s, int Rd, IRTemp shifted, IRTemp carry)
{
    return gen_dp(s, ARM_DP_MOV, t16_setflags(s), 0, Rd, shifted, carry);
}

static bool do_t16_shift_imm(DisasContext *s, const arg_t16_shift_imm *a)
{
    IRTemp carry = IR_TEMP_NONE;
    IRTemp v = gen_shift_imm(s, load_reg(s, a->Rm), a->op, a->imm5, t16_setflags(s) ? &carry : NULL);
    return gen_t16_shift(s, a->Rd, v, carry);
}

bool trans_T16_LSL_ri(DisasContext *s, const arg_T16_LSL_ri *a) { return do_t16_shift_imm(s, a); }
bool trans_T16_LSR_ri(DisasContext *s, const arg_T16_LSR_ri *a) { return do_t16_shift_imm(s, a); }
bool trans_T16_ASR_ri(DisasContext *s, const arg_T16_ASR_ri *a) { return do_t16_shift_imm(s, a); }

static bool do_t16_addsub_reg(DisasContext *s, const arg_t16_addsub_reg *a)
{
    return gen_dp(s, a->sub ? ARM_DP_SUB : ARM_DP_ADD, t16_setflags(s), a->Rn, a->Rd,
                  load_reg(s, a->Rm), IR_TEMP_NONE);
}

bool trans_T16_ADD_rrr(DisasContext *s, const arg_T16_ADD_rrr *a) { return do_t16_addsub_reg(s, a); }
bool trans_T16_SUB_rrr(DisasContext *s, const arg_T16_SUB_rrr *a) { return do_t16_addsub_reg(s, a); }

static bool do_t16_addsub_imm3(DisasContext *s, const arg_t16_addsub_imm3 *a)
{
    return gen_dp(s, a->sub ? ARM_DP_SUB : ARM_DP_ADD, t16_setflags(s), a->Rn, a->Rd,
                  c32(s, a->imm3), IR_TEMP_NONE);
}

bool trans_T16_ADD_rri(DisasContext *s, const arg_T16_ADD_rri *a) { return do_t16_addsub_imm3(s, a); }
bool trans_T16_SUB_rri(DisasContext *s, const arg_T16_SUB_rri *a) { return do_t16_addsub_imm3(s, a); }

static bool do_t16_imm8(DisasContext *s, const arg_t16_imm8 *a)
{
    static const int ops[4] = { ARM_DP_MOV, ARM_DP_CMP, ARM_DP_ADD, ARM_DP_SUB };
    int S = a->op == 1 ? 1 : t16_setflags(s);
    return gen_dp(s, ops[a->op], S, a->Rd, a->Rd, c32(s, a->imm8), IR_TEMP_NONE);
}

bool trans_T16_MOV_ri(DisasContext *s, const arg_T16_MOV_ri *a) { return do_t16_imm8(s, a); }
bool trans_T16_CMP_ri(DisasContext *s, const arg_T16_CMP_ri *a) { return do_t16_imm8(s, a); }
bool trans_T16_ADD_ri(DisasContext *s, const arg_T16_ADD_ri *a) { return do_t16_imm8(s, a); }
bool trans_T16_SUB_ri(DisasContext *s, const arg_T16_SUB_ri *a) { return do_t16_imm8(s, a); }

/* ---- data processing (register) ----------------------------------------------------- */

static bool do_t16_dp_reg(DisasContext *s, const arg_t16_dp_reg *a)
{
    /* ALU ops in the order of the op field; -1: a shift, RSB or MUL */
    static const int ops[16] = {
        ARM_DP_AND, ARM_DP_EOR, -1, -1, -1, ARM_DP_ADC, ARM_DP_SBC, -1,
        ARM_DP_TST, -1, ARM_DP_CMP, ARM_DP_CMN, ARM_DP_ORR, -1, ARM_DP_BIC, ARM_DP_MVN,
    };
    int S = t16_setflags(s);
    IRTemp carry = IR_TEMP_NONE;
    switch (a->op) {
    case 2: case 3: case 4: case 7: {   /* LSL LSR ASR ROR Rdn, Rm */
        static const int type[8] = { [2] = 0, [3] = 1, [4] = 2, [7] = 3 };
        IRTemp v = gen_shift_reg(s, load_reg(s, a->Rdn), type[a->op], load_reg(s, a->Rm),
                                 S ? &carry : NULL);
        return gen_t16_shift(s, a->Rdn, v, carry);
    }
    case 9:     /* RSBS Rd, Rn, #0 */
        return gen_dp(s, ARM_DP_RSB, S, a->Rm, a->Rdn, c32(s, 0), IR_TEMP_NONE);
    case 13: {  /* MULS Rdm, Rn, Rdm */
        arg_MUL m = { .S = S, .Rd = a->Rdn, .Rm = a->Rdn, .Rn = a->Rm };
        return trans_MUL(s, &m);
    }
    default: {
        int opc = ops[a->op];
        bool test = opc == ARM_DP_TST || opc == ARM_DP_CMP || opc == ARM_DP_CMN;
        return gen_dp(s, opc, test ? 1 : S, a->Rdn, a->Rdn, load_reg(s, a->Rm), IR_TEMP_NONE);
    }
    }
}

bool trans_T16_AND_rr(DisasContext *s, const arg_T16_AND_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_EOR_rr(DisasContext *s, const arg_T16_EOR_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_LSL_rr(DisasContext *s, const arg_T16_LSL_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_LSR_rr(DisasContext *s, const arg_T16_LSR_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_ASR_rr(DisasContext *s, const arg_T16_ASR_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_ADC_rr(DisasContext *s, const arg_T16_ADC_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_SBC_rr(DisasContext *s, const arg_T16_SBC_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_ROR_rr(DisasContext *s, const arg_T16_ROR_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_TST_rr(DisasContext *s, const arg_T16_TST_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_RSB_rr(DisasContext *s, const arg_T16_RSB_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_CMP_rr(DisasContext *s, const arg_T16_CMP_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_CMN_rr(DisasContext *s, const arg_T16_CMN_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_ORR_rr(DisasContext *s, const arg_T16_ORR_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_MUL_rr(DisasContext *s, const arg_T16_MUL_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_BIC_rr(DisasContext *s, const arg_T16_BIC_rr *a) { return do_t16_dp_reg(s, a); }
bool trans_T16_MVN_rr(DisasContext *s, const arg_T16_MVN_rr *a) { return do_t16_dp_reg(s, a); }

/* ---- high registers, BX, BLX ---------------------------------------------------------- */

/* ADD Rdn, Rm / CMP Rn, Rm / MOV Rd, Rm on r0-r15.  A write to the pc is a
 * plain branch (BranchWritePC), and never sets flags. */
static bool do_t16_hireg(DisasContext *s, const arg_t16_hireg *a)
{
    int Rd = a->Rdn;
    switch (a->op) {
    case 0:
        return gen_dp(s, ARM_DP_ADD, 0, Rd, Rd, load_reg(s, a->Rm), IR_TEMP_NONE);
    case 1:
        if (Rd == 15)
            return false;
        return gen_dp(s, ARM_DP_CMP, 1, Rd, Rd, load_reg(s, a->Rm), IR_TEMP_NONE);
    default:
        return gen_dp(s, ARM_DP_MOV, 0, 0, Rd, load_reg(s, a->Rm), IR_TEMP_NONE);
    }
}

bool trans_T16_ADD_hi(DisasContext *s, const arg_T16_ADD_hi *a) { return do_t16_hireg(s, a); }
bool trans_T16_CMP_hi(DisasContext *s, const arg_T16_CMP_hi *a) { return do_t16_hireg(s, a); }
bool trans_T16_MOV_hi(DisasContext *s, const arg_T16_MOV_hi *a) { return do_t16_hireg(s, a); }

bool trans_T16_BX(DisasContext *s, const arg_T16_BX *a)
{
    gen_bx(s, load_reg(s, a->Rm));
    return true;
}

bool trans_T16_BLX_reg(DisasContext *s, const arg_T16_BLX_reg *a)
{
    if (a->Rm == 15)
        return false;
    IRTemp dest = load_reg_copy(s, a->Rm);   /* blx lr */
    store_reg(s, 14, c32(s, (s->pc + 2) | 1));
    gen_bx(s, dest);
    return true;
}

/* ---- loads and stores ------------------------------------------------------------------ */

bool trans_T16_LDR_lit(DisasContext *s, const arg_T16_LDR_lit *a)
{
    gen_ldst(s, IR_MO_UL, 1, 1, 1, 0, 15, a->Rt, c32(s, a->imm8 * 4u));
    return true;
}

static bool do_t16_ldst_reg(DisasContext *s, const arg_t16_ldst_reg *a)
{
    /* STR STRH STRB LDRSB LDR LDRH LDRB LDRSH */
    static const IRMemOp mo[8] = { IR_MO_UL, IR_MO_UW, IR_MO_UB, IR_MO_SB,
                                   IR_MO_UL, IR_MO_UW, IR_MO_UB, IR_MO_SW };
    gen_ldst(s, mo[a->op], a->op >= 3, 1, 1, 0, a->Rn, a->Rt, load_reg(s, a->Rm));
    return true;
}

bool trans_T16_STR_rr(DisasContext *s, const arg_T16_STR_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_STRH_rr(DisasContext *s, const arg_T16_STRH_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_STRB_rr(DisasContext *s, const arg_T16_STRB_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_LDRSB_rr(DisasContext *s, const arg_T16_LDRSB_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_LDR_rr(DisasContext *s, const arg_T16_LDR_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_LDRH_rr(DisasContext *s, const arg_T16_LDRH_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_LDRB_rr(DisasContext *s, const arg_T16_LDRB_rr *a) { return do_t16_ldst_reg(s, a); }
bool trans_T16_LDRSH_rr(DisasContext *s, const arg_T16_LDRSH_rr *a) { return do_t16_ldst_reg(s, a); }

static bool do_t16_ldst_word_byte(DisasContext *s, const arg_t16_ldst_word_byte *a)
{
    uint32_t off = a->B ? (uint32_t)a->imm5 : a->imm5 * 4u;
    gen_ldst(s, a->B ? IR_MO_UB : IR_MO_UL, a->L, 1, 1, 0, a->Rn, a->Rt, c32(s, off));
    return true;
}

bool trans_T16_STR_ri(DisasContext *s, const arg_T16_STR_ri *a) { return do_t16_ldst_word_byte(s, a); }
bool trans_T16_LDR_ri(DisasContext *s, const arg_T16_LDR_ri *a) { return do_t16_ldst_word_byte(s, a); }
bool trans_T16_STRB_ri(DisasContext *s, const arg_T16_STRB_ri *a) { return do_t16_ldst_word_byte(s, a); }
bool trans_T16_LDRB_ri(DisasContext *s, const arg_T16_LDRB_ri *a) { return do_t16_ldst_word_byte(s, a); }

static bool do_t16_ldst_half(DisasContext *s, const arg_t16_ldst_half *a)
{
    gen_ldst(s, IR_MO_UW, a->L, 1, 1, 0, a->Rn, a->Rt, c32(s, a->imm5 * 2u));
    return true;
}

bool trans_T16_STRH_ri(DisasContext *s, const arg_T16_STRH_ri *a) { return do_t16_ldst_half(s, a); }
bool trans_T16_LDRH_ri(DisasContext *s, const arg_T16_LDRH_ri *a) { return do_t16_ldst_half(s, a); }

static bool do_t16_ldst_sp(DisasContext *s, const arg_t16_ldst_sp *a)
{
    gen_ldst(s, IR_MO_UL, a->L, 1, 1, 0, 13, a->Rt, c32(s, a->imm8 * 4u));
    return true;
}

bool trans_T16_STR_sp(DisasContext *s, const arg_T16_STR_sp *a) { return do_t16_ldst_sp(s, a); }
bool trans_T16_LDR_sp(DisasContext *s, const arg_T16_LDR_sp *a) { return do_t16_ldst_sp(s, a); }

/* ---- addresses ------------------------------------------------------------------------- */

bool trans_T16_ADR(DisasContext *s, const arg_T16_ADR *a)
{
    store_reg(s, a->Rd, c32(s, ((s->pc + 4) & ~3u) + a->imm8 * 4u));
    return true;
}

bool trans_T16_ADD_sp_imm(DisasContext *s, const arg_T16_ADD_sp_imm *a)
{
    return gen_dp(s, ARM_DP_ADD, 0, 13, a->Rd, c32(s, a->imm8 * 4u), IR_TEMP_NONE);
}

static bool do_t16_adj_sp(DisasContext *s, const arg_t16_adj_sp *a)
{
    return gen_dp(s, a->sub ? ARM_DP_SUB : ARM_DP_ADD, 0, 13, 13, c32(s, a->imm7 * 4u), IR_TEMP_NONE);
}

bool trans_T16_ADD_sp(DisasContext *s, const arg_T16_ADD_sp *a) { return do_t16_adj_sp(s, a); }
bool trans_T16_SUB_sp(DisasContext *s, const arg_T16_SUB_sp *a) { return do_t16_adj_sp(s, a); }

/* ---- miscellaneous ------------------------------------------------------------------------ */

/* CBZ/CBNZ Rn, label: forward only, never in an IT block. */
static bool do_t16_cbz(DisasContext *s, const arg_t16_cbz *a, bool nz)
{
    if (in_it_block(s) || !arm_has(s, ARM_FEATURE_THUMB2))
        return false;
    uint32_t dest = s->pc + 4 + (uint32_t)a->offset;
    s->skip_label = ir_label_new(s->b);
    s->cond_skip = true;
    ir_brcond(s->b, nz ? IR_COND_EQ : IR_COND_NE, load_reg(s, a->Rn), c32(s, 0), s->skip_label);
    gen_jump_direct(s, dest, true);
    return true;
}

bool trans_T16_CBZ(DisasContext *s, const arg_T16_CBZ *a) { return do_t16_cbz(s, a, false); }
bool trans_T16_CBNZ(DisasContext *s, const arg_T16_CBNZ *a) { return do_t16_cbz(s, a, true); }

/* SXTH SXTB UXTH UXTB (v6) */
static bool do_t16_extend(DisasContext *s, const arg_t16_extend *a)
{
    if (!arm_has(s, ARM_FEATURE_V6))
        return false;
    gen_extend(s, a->op >> 1, (a->op & 1) ? ARM_XT_B : ARM_XT_H, a->Rd, 15, a->Rm, 0);
    return true;
}

bool trans_T16_SXTH(DisasContext *s, const arg_T16_SXTH *a) { return do_t16_extend(s, a); }
bool trans_T16_SXTB(DisasContext *s, const arg_T16_SXTB *a) { return do_t16_extend(s, a); }
bool trans_T16_UXTH(DisasContext *s, const arg_T16_UXTH *a) { return do_t16_extend(s, a); }
bool trans_T16_UXTB(DisasContext *s, const arg_T16_UXTB *a) { return do_t16_extend(s, a); }

bool trans_T16_PUSH(DisasContext *s, const arg_T16_PUSH *a)
{
    unsigned list = (unsigned)a->reglist;
    if (!list)
        return false;
    gen_ldm_stm(s, 13, list, 1, 0, 1, 0);    /* STMDB sp!, {...} */
    return true;
}

bool trans_T16_POP(DisasContext *s, const arg_T16_POP *a)
{
    unsigned list = (unsigned)a->reglist;
    if (!list)
        return false;
    gen_ldm_stm(s, 13, list, 0, 1, 1, 1);    /* LDMIA sp!, {...}; pc interworks */
    return true;
}

/* CPS changes privileged state: undefined in user mode (translate-sys.c). */
bool trans_T16_CPS(DisasContext *s, const arg_T16_CPS *a)
{
    if (!(a->A | a->I | a->F))
        return false;
    return gen_cps(s, a->im ? 3 : 2, 0, a->A, a->I, a->F, 0);
}

static bool do_t16_rev(DisasContext *s, const arg_t16_rev *a)
{
    if (!arm_has(s, ARM_FEATURE_V6))
        return false;
    if (a->op == 0)
        gen_rev(s, a->Rd, a->Rm);
    else if (a->op == 1)
        gen_rev16(s, a->Rd, a->Rm);
    else
        gen_revsh(s, a->Rd, a->Rm);
    return true;
}

bool trans_T16_REV(DisasContext *s, const arg_T16_REV *a) { return do_t16_rev(s, a); }
bool trans_T16_REV16(DisasContext *s, const arg_T16_REV16 *a) { return do_t16_rev(s, a); }
bool trans_T16_REVSH(DisasContext *s, const arg_T16_REVSH *a) { return do_t16_rev(s, a); }

bool trans_T16_BKPT(DisasContext *s, const arg_T16_BKPT *a)
{
    gen_exception_insn(s, EXCP_BKPT);
    return true;
}

/* NOP, YIELD, WFE, WFI, SEV and the unallocated hints: nothing to do. */
bool trans_T16_HINT(DisasContext *s, const arg_T16_HINT *a)
{
    if (s->sys && a->op == 3 && arm_has(s, ARM_FEATURE_V6K | ARM_FEATURE_V7))
        gen_wfi(s);     /* system mode: WFI */
    return true;
}

/* IT: the next 1-4 instructions are conditional; the state goes into
 * condexec_after and from there into the following instructions. */
bool trans_T16_IT(DisasContext *s, const arg_T16_IT *a)
{
    if (in_it_block(s) || a->firstcond == 0xf || !arm_has(s, ARM_FEATURE_THUMB2))
        return false;
    s->condexec_after = (uint32_t)a->itstate;
    return true;
}

/* ---- load/store multiple ------------------------------------------------------------------ */

bool trans_T16_STM(DisasContext *s, const arg_T16_STM *a)
{
    if (!a->reglist)
        return false;
    gen_ldm_stm(s, a->Rn, (unsigned)a->reglist, 0, 1, 1, 0);
    return true;
}

/* LDM Rn!, {...}; no writeback when Rn is in the list. */
bool trans_T16_LDM(DisasContext *s, const arg_T16_LDM *a)
{
    if (!a->reglist)
        return false;
    gen_ldm_stm(s, a->Rn, (unsigned)a->reglist, 0, 1, !(a->reglist & (1 << a->Rn)), 1);
    return true;
}

/* ---- branches and exceptions ------------------------------------------------------------------- */

bool trans_T16_UDF(DisasContext *s, const arg_T16_UDF *a)
{
    return false;
}

bool trans_T16_SVC(DisasContext *s, const arg_T16_SVC *a)
{
    gen_svc(s);
    return true;
}

bool trans_T16_Bcc(DisasContext *s, const arg_T16_Bcc *a)
{
    if (in_it_block(s))
        return false;
    gen_cond_skip(s, (unsigned)a->cond);
    gen_jump_direct(s, s->pc + 4 + (uint32_t)a->offset, true);
    return true;
}

bool trans_T16_B(DisasContext *s, const arg_T16_B *a)
{
    gen_jump_direct(s, s->pc + 4 + (uint32_t)a->offset, true);
    return true;
}
