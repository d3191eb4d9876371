/*
 * translate-misc.c — NOPs, system calls, traps and the instructions user
 * mode may not run.
 */
#include "frontend-x86/x86-translate.h"

bool x86_trans_NOP(DisasContext *s, X86Insn *d)
{
    return true;
}

/* SYSCALL, INT 0x80, SYSENTER: linux-user reads the registers */
bool x86_trans_SYSCALL(DisasContext *s, X86Insn *d)
{
    x86_gen_exception_next(s, EXCP_SYSCALL);
    return true;
}

/* HLT is privileged: #GP, SIGSEGV in user mode */
bool x86_trans_HLT(DisasContext *s, X86Insn *d)
{
    x86_gen_exception(s, X86_EXCP_GP);
    return true;
}

/* UD2 (0F 0B): #UD by definition */
bool x86_trans_UD(DisasContext *s, X86Insn *d)
{
    return false;
}
