/*
 * translate-dp.c — A32 data-processing instructions (ARM ARM A5.2.1-A5.2.3):
 * AND EOR SUB RSB ADD ADC SBC RSC TST TEQ CMP CMN ORR MOV BIC MVN with an
 * immediate, an immediate-shifted register or a register-shifted register.
 *
 * Flags are plain IR on the NF/ZF/CF/VF globals (see arm-cpu.h), so the
 * optimiser deletes whatever a later instruction overwrites unread.
 */
#include "frontend-arm/arm-translate.h"

static bool op_is_logical(int opc)
{
    switch (opc) {
    case ARM_DP_AND: case ARM_DP_EOR: case ARM_DP_TST: case ARM_DP_TEQ:
    case ARM_DP_ORR: case ARM_DP_MOV: case ARM_DP_BIC: case ARM_DP_MVN:
        return true;
    default:
        return false;
    }
}

static bool op_is_test(int opc)
{
    return opc >= ARM_DP_TST && opc <= ARM_DP_CMN;
}

/* ---- the shifter ------------------------------------------------------------ */

IRTemp gen_shift_imm(DisasContext *s, IRTemp val, int type, int imm5, IRTemp *carry)
{
    IRBlock *b = s->b;
    IRTemp res;
    int n = imm5 ? imm5 : 32;      /* LSR/ASR #0 encode #32 */
    switch (type) {
    case 0:   /* LSL */
        if (imm5 == 0) {
            if (carry)
                *carry = cpu_CF;   /* unchanged */
            return val;
        }
        res = ir_shli(b, val, imm5);
        if (carry)
            *carry = ir_extract(b, val, 32 - imm5, 1);
        return res;
    case 1:   /* LSR */
        if (carry)
            *carry = ir_extract(b, val, n - 1, 1);
        return n == 32 ? c32(s, 0) : ir_shri(b, val, n);
    case 2:   /* ASR */
        if (carry)
            *carry = ir_extract(b, val, n - 1, 1);
        return ir_sari(b, val, n == 32 ? 31 : n);
    default:  /* ROR, and RRX for #0 */
        if (imm5 == 0) {
            res = ir_or(b, ir_shli(b, cpu_CF, 31), ir_shri(b, val, 1));
            if (carry)
                *carry = ir_andi(b, val, 1);
            return res;
        }
        if (carry)
            *carry = ir_extract(b, val, imm5 - 1, 1);
        return ir_rotr(b, val, c32(s, imm5));
    }
}

/* Shift by the bottom byte of a register: amounts 0 (value and carry
 * unchanged), 1..31, 32 and above each follow their own rule. */
IRTemp gen_shift_reg(DisasContext *s, IRTemp val, int type, IRTemp rs, IRTemp *carry)
{
    IRBlock *b = s->b;
    IRTemp amt = ir_andi(b, rs, 0xff);
    IRTemp zero = c32(s, 0), k32 = c32(s, 32), k31 = c32(s, 31), one = c32(s, 1);
    IRTemp res, c = IR_TEMP_NONE;
    switch (type) {
    case 0:   /* LSL: 32 -> 0 with carry bit 0; >32 -> 0, carry 0 */
        res = ir_movcond(b, IR_COND_GEU, amt, k32, zero, ir_shl(b, val, amt));
        if (carry) {
            c = ir_and(b, ir_shr(b, val, ir_sub(b, k32, amt)), one);   /* bit 32-amt */
            c = ir_movcond(b, IR_COND_GTU, amt, k32, zero, c);
        }
        break;
    case 1:   /* LSR: 32 -> 0 with carry bit 31; >32 -> 0, carry 0 */
        res = ir_movcond(b, IR_COND_GEU, amt, k32, zero, ir_shr(b, val, amt));
        if (carry) {
            c = ir_and(b, ir_shr(b, val, ir_sub(b, amt, one)), one);   /* bit amt-1 */
            c = ir_movcond(b, IR_COND_GTU, amt, k32, zero, c);
        }
        break;
    case 2: { /* ASR: >= 32 fills with the sign, carry the sign */
        res = ir_sar(b, val, ir_movcond(b, IR_COND_GTU, amt, k31, k31, amt));
        if (carry) {
            IRTemp a32 = ir_movcond(b, IR_COND_GTU, amt, k32, k32, amt);
            c = ir_and(b, ir_sar(b, val, ir_sub(b, a32, one)), one);
        }
        break;
    }
    default:  /* ROR: by amt mod 32; the carry is always the result's bit 31 */
        res = ir_rotr(b, val, amt);
        if (carry)
            c = ir_shri(b, res, 31);
        break;
    }
    if (carry)
        *carry = ir_movcond(b, IR_COND_EQ, amt, zero, cpu_CF, c);
    return res;
}

/* ---- arithmetic with flags ---------------------------------------------- */

/* In tier 0 (IRBlock.quick) C and V are computed straight into the flags:
 * two ops fewer per flag-setting add or subtract for every pass and the
 * backend to walk (-2.5% translation instructions, 0.3% less code).  Tier
 * 1 keeps the local and the mov: there a later reader of C in the block
 * reads the local, not the global, and interp's dispatch loop ran 0.8%
 * more instructions without it.  The operands are never the flags. */
static void gen_add_flags(DisasContext *s, IRTemp a, IRTemp x, IRTemp res)
{
    IRBlock *b = s->b;
    if (b->quick && ir_temp_is_const(b, x)) {
        /* V (bit 31) = (res ^ a) & ~(a ^ x): with x's sign known that is
         * res & ~a (x >= 0) or a & ~res (x < 0), two ops fewer */
        if ((int32_t)b->temps[x].value >= 0)
            ir_op2_to(b, IR_OP_andc, cpu_VF, res, a);
        else
            ir_op2_to(b, IR_OP_andc, cpu_VF, a, res);
        uint64_t args[4] = { cpu_CF, res, a, IR_COND_LTU };
        ir_emit(b, IR_OP_setcond, args);
        gen_logic_nz(s, res);
        return;
    }
    if (b->quick) {
        ir_op2_to(b, IR_OP_andc, cpu_VF, ir_xor(b, res, a), ir_xor(b, a, x));
        uint64_t args[4] = { cpu_CF, res, a, IR_COND_LTU };
        ir_emit(b, IR_OP_setcond, args);
    } else {
        IRTemp v = ir_andc(b, ir_xor(b, res, a), ir_xor(b, a, x));
        ir_mov_to(b, cpu_CF, ir_setcond(b, IR_COND_LTU, res, a));
        ir_mov_to(b, cpu_VF, v);
    }
    gen_logic_nz(s, res);
}

static void gen_sub_flags(DisasContext *s, IRTemp a, IRTemp x, IRTemp res)
{
    IRBlock *b = s->b;
    if (b->quick && ir_temp_is_const(b, x) && (uint32_t)b->temps[x].value == 0) {
        /* CMP/SUBS rn, #0 (frequent in Thumb code): no borrow, no overflow.
         * Tier 0 runs one round of passes, in which constant folding sees
         * `a ^ res` before copy propagation has made res a: V and C would
         * cost ~20 bytes of host code each time (python3 -c pass: 11,700) */
        ir_mov_to(b, cpu_VF, c32(s, 0));
        ir_mov_to(b, cpu_CF, c32(s, 1));
        gen_logic_nz(s, res);
        return;
    }
    if (b->quick && ir_temp_is_const(b, x)) {
        /* V (bit 31) = (a ^ x) & (a ^ res): with x's sign known that is
         * a & ~res (x >= 0) or res & ~a (x < 0), two ops fewer */
        if ((int32_t)b->temps[x].value >= 0)
            ir_op2_to(b, IR_OP_andc, cpu_VF, a, res);
        else
            ir_op2_to(b, IR_OP_andc, cpu_VF, res, a);
        uint64_t args[4] = { cpu_CF, a, x, IR_COND_GEU };
        ir_emit(b, IR_OP_setcond, args);
        gen_logic_nz(s, res);
        return;
    }
    if (b->quick) {
        ir_op2_to(b, IR_OP_and, cpu_VF, ir_xor(b, a, x), ir_xor(b, a, res));
        uint64_t args[4] = { cpu_CF, a, x, IR_COND_GEU };
        ir_emit(b, IR_OP_setcond, args);
    } else {
        IRTemp v = ir_and(b, ir_xor(b, a, x), ir_xor(b, a, res));
        ir_mov_to(b, cpu_CF, ir_setcond(b, IR_COND_GEU, a, x));
        ir_mov_to(b, cpu_VF, v);
    }
    gen_logic_nz(s, res);
}

/* a + x + C; SBC and RSC pass x inverted (a - x - !C == a + ~x + C). */
static IRTemp gen_adc(DisasContext *s, IRTemp a, IRTemp x, bool set_flags)
{
    IRBlock *b = s->b;
    if (!set_flags)
        return ir_add(b, ir_add(b, a, x), cpu_CF);
    IRTemp sum = ir_add(b, ir_add(b, ir_extu_i32_i64(b, a), ir_extu_i32_i64(b, x)),
                        ir_extu_i32_i64(b, cpu_CF));
    IRTemp res = ir_extrl_i64_i32(b, sum);
    if (b->quick) {
        ir_op2_to(b, IR_OP_andc, cpu_VF, ir_xor(b, res, a), ir_xor(b, a, x));
        ir_op1_to(b, IR_OP_extrh_i64_i32, cpu_CF, sum);
    } else {
        IRTemp v = ir_andc(b, ir_xor(b, res, a), ir_xor(b, a, x));
        ir_mov_to(b, cpu_CF, ir_extrh_i64_i32(b, sum));
        ir_mov_to(b, cpu_VF, v);
    }
    gen_logic_nz(s, res);
    return res;
}

/* Exception return (S with Rd = pc) does not exist in user mode (in
 * system mode: from privileged modes, translate-sys.c), and TST, TEQ, CMP,
 * CMN without S are other instructions (MRS, MSR, MOVW ...). */
static bool dp_valid(const DisasContext *s, int opc, int S, int Rd)
{
    if (op_is_test(opc))
        return S;
    return !(S && Rd == 15) || (s->sys && !s->user && !s->thumb);
}

bool gen_dp(DisasContext *s, int opc, int S, int Rn, int Rd, IRTemp op2, IRTemp carry)
{
    IRBlock *b = s->b;
    IRTemp rn = (opc == ARM_DP_MOV || opc == ARM_DP_MVN) ? IR_TEMP_NONE : load_reg(s, Rn);
    IRTemp res;
    switch (opc) {
    case ARM_DP_AND: case ARM_DP_TST: res = ir_and(b, rn, op2); break;
    case ARM_DP_EOR: case ARM_DP_TEQ: res = ir_xor(b, rn, op2); break;
    case ARM_DP_ORR: res = ir_or(b, rn, op2); break;
    case ARM_DP_BIC: res = ir_andc(b, rn, op2); break;
    case ARM_DP_MOV: res = op2; break;
    case ARM_DP_MVN: res = ir_not(b, op2); break;
    case ARM_DP_SUB: case ARM_DP_CMP:
        res = ir_sub(b, rn, op2);
        if (S)
            gen_sub_flags(s, rn, op2, res);
        break;
    case ARM_DP_RSB:
        res = ir_sub(b, op2, rn);
        if (S)
            gen_sub_flags(s, op2, rn, res);
        break;
    case ARM_DP_ADD: case ARM_DP_CMN:
        res = ir_add(b, rn, op2);
        if (S)
            gen_add_flags(s, rn, op2, res);
        break;
    case ARM_DP_ADC: res = gen_adc(s, rn, op2, S); break;
    case ARM_DP_SBC: res = gen_adc(s, rn, ir_not(b, op2), S); break;
    default:     res = gen_adc(s, op2, ir_not(b, rn), S); break;   /* RSC */
    }
    if (S && op_is_logical(opc)) {
        gen_logic_nz(s, res);
        if (carry != IR_TEMP_NONE && carry != cpu_CF)
            ir_mov_to(b, cpu_CF, carry);
    }
    if (op_is_test(opc))
        return true;
    if (S && Rd == 15 && s->sys && !s->thumb)
        gen_exception_return(s, res);   /* MOVS pc, lr ...: CPSR <- SPSR */
    else
        store_reg_alu(s, Rd, res);
    return true;
}

static bool do_dp_imm(DisasContext *s, const arg_dp_imm *a)
{
    if (!dp_valid(s, a->opc, a->S, a->Rd))
        return false;
    unsigned rot = a->rot * 2;
    uint32_t imm = rot ? ((uint32_t)a->imm8 >> rot) | ((uint32_t)a->imm8 << (32 - rot)) : (uint32_t)a->imm8;
    IRTemp carry = rot ? c32(s, imm >> 31) : IR_TEMP_NONE;
    return gen_dp(s, a->opc, a->S, a->Rn, a->Rd, c32(s, imm), carry);
}

bool trans_AND_rri(DisasContext *s, const arg_AND_rri *a) { return do_dp_imm(s, a); }
bool trans_EOR_rri(DisasContext *s, const arg_EOR_rri *a) { return do_dp_imm(s, a); }
bool trans_SUB_rri(DisasContext *s, const arg_SUB_rri *a) { return do_dp_imm(s, a); }
bool trans_RSB_rri(DisasContext *s, const arg_RSB_rri *a) { return do_dp_imm(s, a); }
bool trans_ADD_rri(DisasContext *s, const arg_ADD_rri *a) { return do_dp_imm(s, a); }
bool trans_ADC_rri(DisasContext *s, const arg_ADC_rri *a) { return do_dp_imm(s, a); }
bool trans_SBC_rri(DisasContext *s, const arg_SBC_rri *a) { return do_dp_imm(s, a); }
bool trans_RSC_rri(DisasContext *s, const arg_RSC_rri *a) { return do_dp_imm(s, a); }
bool trans_TST_xri(DisasContext *s, const arg_TST_xri *a) { return do_dp_imm(s, a); }
bool trans_TEQ_xri(DisasContext *s, const arg_TEQ_xri *a) { return do_dp_imm(s, a); }
bool trans_CMP_xri(DisasContext *s, const arg_CMP_xri *a) { return do_dp_imm(s, a); }
bool trans_CMN_xri(DisasContext *s, const arg_CMN_xri *a) { return do_dp_imm(s, a); }
bool trans_ORR_rri(DisasContext *s, const arg_ORR_rri *a) { return do_dp_imm(s, a); }
bool trans_MOV_rxi(DisasContext *s, const arg_MOV_rxi *a) { return do_dp_imm(s, a); }
bool trans_BIC_rri(DisasContext *s, const arg_BIC_rri *a) { return do_dp_imm(s, a); }
bool trans_MVN_rxi(DisasContext *s, const arg_MVN_rxi *a) { return do_dp_imm(s, a); }

static bool do_dp_reg(DisasContext *s, const arg_dp_reg *a)
{
    if (!dp_valid(s, a->opc, a->S, a->Rd))
        return false;
    IRTemp carry = IR_TEMP_NONE;
    bool want_carry = a->S && op_is_logical(a->opc);
    IRTemp op2 = gen_shift_imm(s, load_reg(s, a->Rm), a->type, a->imm5, want_carry ? &carry : NULL);
    return gen_dp(s, a->opc, a->S, a->Rn, a->Rd, op2, carry);
}

bool trans_AND_rrri(DisasContext *s, const arg_AND_rrri *a) { return do_dp_reg(s, a); }
bool trans_EOR_rrri(DisasContext *s, const arg_EOR_rrri *a) { return do_dp_reg(s, a); }
bool trans_SUB_rrri(DisasContext *s, const arg_SUB_rrri *a) { return do_dp_reg(s, a); }
bool trans_RSB_rrri(DisasContext *s, const arg_RSB_rrri *a) { return do_dp_reg(s, a); }
bool trans_ADD_rrri(DisasContext *s, const arg_ADD_rrri *a) { return do_dp_reg(s, a); }
bool trans_ADC_rrri(DisasContext *s, const arg_ADC_rrri *a) { return do_dp_reg(s, a); }
bool trans_SBC_rrri(DisasContext *s, const arg_SBC_rrri *a) { return do_dp_reg(s, a); }
bool trans_RSC_rrri(DisasContext *s, const arg_RSC_rrri *a) { return do_dp_reg(s, a); }
bool trans_TST_xrri(DisasContext *s, const arg_TST_xrri *a) { return do_dp_reg(s, a); }
bool trans_TEQ_xrri(DisasContext *s, const arg_TEQ_xrri *a) { return do_dp_reg(s, a); }
bool trans_CMP_xrri(DisasContext *s, const arg_CMP_xrri *a) { return do_dp_reg(s, a); }
bool trans_CMN_xrri(DisasContext *s, const arg_CMN_xrri *a) { return do_dp_reg(s, a); }
bool trans_ORR_rrri(DisasContext *s, const arg_ORR_rrri *a) { return do_dp_reg(s, a); }
bool trans_MOV_rxri(DisasContext *s, const arg_MOV_rxri *a) { return do_dp_reg(s, a); }
bool trans_BIC_rrri(DisasContext *s, const arg_BIC_rrri *a) { return do_dp_reg(s, a); }
bool trans_MVN_rxri(DisasContext *s, const arg_MVN_rxri *a) { return do_dp_reg(s, a); }

static bool do_dp_reg_shreg(DisasContext *s, const arg_dp_reg_shreg *a)
{
    if (!dp_valid(s, a->opc, a->S, a->Rd))
        return false;
    /* Using the pc here is UNPREDICTABLE. */
    if (a->Rd == 15 || a->Rn == 15 || a->Rm == 15 || a->Rs == 15)
        return false;
    IRTemp carry = IR_TEMP_NONE;
    bool want_carry = a->S && op_is_logical(a->opc);
    IRTemp op2 = gen_shift_reg(s, load_reg(s, a->Rm), a->type, load_reg(s, a->Rs),
                               want_carry ? &carry : NULL);
    return gen_dp(s, a->opc, a->S, a->Rn, a->Rd, op2, carry);
}

bool trans_AND_rrrr(DisasContext *s, const arg_AND_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_EOR_rrrr(DisasContext *s, const arg_EOR_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_SUB_rrrr(DisasContext *s, const arg_SUB_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_RSB_rrrr(DisasContext *s, const arg_RSB_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_ADD_rrrr(DisasContext *s, const arg_ADD_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_ADC_rrrr(DisasContext *s, const arg_ADC_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_SBC_rrrr(DisasContext *s, const arg_SBC_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_RSC_rrrr(DisasContext *s, const arg_RSC_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_TST_xrrr(DisasContext *s, const arg_TST_xrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_TEQ_xrrr(DisasContext *s, const arg_TEQ_xrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_CMP_xrrr(DisasContext *s, const arg_CMP_xrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_CMN_xrrr(DisasContext *s, const arg_CMN_xrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_ORR_rrrr(DisasContext *s, const arg_ORR_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_MOV_rxrr(DisasContext *s, const arg_MOV_rxrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_BIC_rrrr(DisasContext *s, const arg_BIC_rrrr *a) { return do_dp_reg_shreg(s, a); }
bool trans_MVN_rxrr(DisasContext *s, const arg_MVN_rxrr *a) { return do_dp_reg_shreg(s, a); }
