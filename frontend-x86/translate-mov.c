/*
 * translate-mov.c — data movement: MOV, MOVZX/MOVSX/MOVSXD, LEA, XCHG,
 * PUSH/POP, the accumulator extensions (CBW ... CQO), CMOVcc, SETcc.
 */
#include "frontend-x86/x86-translate.h"

bool x86_trans_MOV(DisasContext *s, X86Insn *d)
{
    x86_store_op(s, d, 0, x86_load_op(s, d, 1));
    return true;
}
