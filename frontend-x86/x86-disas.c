/*
 * x86-disas.c — which capstone mode disassembles x86 code for the logs
 * (-d in_asm).  Alone in its file: capstone's x86.h names clash with the
 * frontend's (X86_REG_*, X86_PREFIX_*).
 */
#include <capstone/capstone.h>

#include "frontend-x86/x86-cpu.h"

void x86_disas_mode(uint64_t flags, int *cs_arch, int *cs_mode);

void x86_disas_mode(uint64_t flags, int *cs_arch, int *cs_mode)
{
    *cs_arch = CS_ARCH_X86;
    *cs_mode = (flags & X86_TBF_CODE64) ? CS_MODE_64 : CS_MODE_32;
}
