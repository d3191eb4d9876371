/*
 * arm-branch.c — arm_insn_direct_branch(): is an instruction a direct,
 * non-linking branch, and to where?  For the engine's look-ahead (loop
 * detection), which must not decode instructions by hand.
 *
 * The answer comes from subset decoders generated from the decode tables
 * themselves (tools/gen-decoder.py --subset, rules in module.mk): the same
 * decision tree as a32_decode()/t16_decode()/t32_decode(), so an encoding
 * a more specific pattern claims (SVC and UDF inside the T16 Bcc space, the
 * T32 hints beside Bcc.W) is never taken for a branch; only the B and Bcc
 * patterns call the branch_ functions below.
 */
#include "frontend-arm/arm-translate.h"
#include "frontend-arm/t16-decode.h.inc"
#include "frontend-arm/t32-decode.h.inc"

/* What the subset decoders fill in. */
typedef struct BranchInfo {
    uint32_t pc;        /* the instruction's address */
    uint32_t target;
} BranchInfo;

#include "frontend-arm/a32-branch.c.inc"
#include "frontend-arm/t16-branch.c.inc"
#include "frontend-arm/t32-branch.c.inc"

/* A32 B<c>: the pc reads as the instruction's address + 8. */
static bool branch_B(BranchInfo *bi, const arg_B *a)
{
    bi->target = bi->pc + 8 + (uint32_t)a->offset;
    return true;
}

/* Thumb: the pc reads as the instruction's address + 4. */
static bool branch_T16_Bcc(BranchInfo *bi, const arg_T16_Bcc *a)
{
    bi->target = bi->pc + 4 + (uint32_t)a->offset;
    return true;
}

static bool branch_T16_B(BranchInfo *bi, const arg_T16_B *a)
{
    bi->target = bi->pc + 4 + (uint32_t)a->offset;
    return true;
}

static bool branch_T32_Bcc(BranchInfo *bi, const arg_T32_Bcc *a)
{
    bi->target = bi->pc + 4 + (uint32_t)a->offset;
    return true;
}

static bool branch_T32_B(BranchInfo *bi, const arg_T32_B *a)
{
    bi->target = bi->pc + 4 + (uint32_t)a->offset;
    return true;
}

bool arm_insn_direct_branch(uint32_t insn, unsigned len, bool thumb, uint32_t pc, uint32_t *target)
{
    BranchInfo bi = { .pc = pc };
    bool ok;
    if (!thumb)
        ok = len == 4 && a32_branch_decode(&bi, insn);
    else if (len == 2)
        ok = t16_branch_decode(&bi, (uint16_t)insn);
    else
        ok = len == 4 && t32_branch_decode(&bi, insn);
    if (ok)
        *target = bi.target;
    return ok;
}
