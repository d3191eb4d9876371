/*
 * translate-branch.c — jumps, calls and returns: JMP, Jcc, CALL, RET,
 * LOOP/JCXZ, and their indirect forms.
 */
#include "frontend-x86/x86-translate.h"

bool x86_trans_JMP(DisasContext *s, X86Insn *d)
{
    x86_gen_jmp(s, (uint64_t)d->op[0].imm, true);
    return true;
}

bool x86_trans_JCC(DisasContext *s, X86Insn *d)
{
    x86_gen_jcc(s, x86_gen_cond(s, s->opcode & 15), (uint64_t)d->op[0].imm);
    return true;
}
