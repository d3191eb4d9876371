/*
 * translate-branch.c — A32 branches (ARM ARM A5.5, A5.2.12, A5.7):
 * B, BL, BLX (immediate) to Thumb, BX and BLX (register) with interworking.
 */
#include "frontend-arm/arm-translate.h"

bool trans_B(DisasContext *s, const arg_B *a)
{
    gen_jump_direct(s, s->pc + 8 + (uint32_t)a->offset, false);
    return true;
}

bool trans_BL(DisasContext *s, const arg_BL *a)
{
    store_reg(s, 14, c32(s, s->pc + 4));
    gen_jump_direct(s, s->pc + 8 + (uint32_t)a->offset, false);
    return true;
}

/* BLX <label>: always a call into Thumb code; H supplies address bit 1. */
bool trans_BLX_imm(DisasContext *s, const arg_BLX_imm *a)
{
    uint32_t dest = s->pc + 8 + (uint32_t)a->offset;
    store_reg(s, 14, c32(s, s->pc + 4));
    gen_jump_direct(s, dest, true);
    return true;
}

bool trans_BX(DisasContext *s, const arg_BX *a)
{
    gen_bx(s, load_reg(s, a->Rm));
    return true;
}

/* BXJ: every ARMv5TEJ and later core has at least the trivial Jazelle
 * extension, and Linux never enables Jazelle, so BXJ behaves as BX.  The
 * XScale is ARMv5TE without J: undefined there. */
bool trans_BXJ(DisasContext *s, const arg_BXJ *a)
{
    if (arm_has(s, ARM_FEATURE_XSCALE))
        return false;
    gen_bx(s, load_reg(s, a->Rm));
    return true;
}

bool trans_BLX_reg(DisasContext *s, const arg_BLX_reg *a)
{
    if (a->Rm == 15)
        return false;
    IRTemp dest = load_reg_copy(s, a->Rm);   /* read before lr changes: blx lr */
    store_reg(s, 14, c32(s, s->pc + 4));
    gen_bx(s, dest);
    return true;
}
