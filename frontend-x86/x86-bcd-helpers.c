/*
 * x86-bcd-helpers.c — the decimal adjust instructions (SDM vol. 2, DAA,
 * DAS, AAA, AAS, AAM, AAD), on AL/AH and EFLAGS in the cpu state.
 */
#include "exec/exec.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-flags.h"
#include "frontend-x86/x86-helpers.h"

static uint32_t szp(uint8_t v)
{
    return (v == 0 ? X86_EFLAGS_ZF : 0) | ((v & 0x80) ? X86_EFLAGS_SF : 0) |
           (__builtin_parity(v) ? 0 : X86_EFLAGS_PF);
}

void x86_helper_bcd(void *env, uint32_t op, uint32_t imm)
{
    X86CPU *cpu = env;
    uint32_t f = x86_eflags_read(cpu);
    uint8_t al = (uint8_t)cpu->regs[X86_RAX], ah = (uint8_t)(cpu->regs[X86_RAX] >> 8);
    bool cf = f & X86_EFLAGS_CF, af = f & X86_EFLAGS_AF;
    uint32_t nf = f & ~X86_EFLAGS_ARITH;
    switch (op) {
    case 0: case 1: {          /* DAA, DAS */
        uint8_t old = al;
        bool ncf = false, naf = false;
        if ((al & 0xf) > 9 || af) {
            ncf = cf || (op == 0 ? al > 0xf9 : al < 6);
            al = op == 0 ? (uint8_t)(al + 6) : (uint8_t)(al - 6);
            naf = true;
        }
        if (old > 0x99 || cf) {
            al = op == 0 ? (uint8_t)(al + 0x60) : (uint8_t)(al - 0x60);
            ncf = true;
        }
        nf |= szp(al) | (ncf ? X86_EFLAGS_CF : 0) | (naf ? X86_EFLAGS_AF : 0);
        /* OF is undefined: the processors compute it as for the add */
        break;
    }
    case 2: case 3:            /* AAA, AAS */
        if ((al & 0xf) > 9 || af) {
            if (op == 2) {
                al = (uint8_t)(al + 6);
                ah = (uint8_t)(ah + 1);
            } else {
                al = (uint8_t)(al - 6);
                ah = (uint8_t)(ah - 1);
            }
            nf |= X86_EFLAGS_AF | X86_EFLAGS_CF;
        }
        al &= 0xf;
        nf |= szp(al) & X86_EFLAGS_PF;
        break;
    case 4:                    /* AAM imm8 */
        if (imm == 0)
            exec_raise(&cpu->common, X86_EXCP_DE, X86_GETPC());
        ah = (uint8_t)(al / imm);
        al = (uint8_t)(al % imm);
        nf |= szp(al);
        break;
    default:                   /* AAD imm8 */
        al = (uint8_t)(al + ah * imm);
        ah = 0;
        nf |= szp(al);
        break;
    }
    cpu->regs[X86_RAX] = (cpu->regs[X86_RAX] & ~0xffffull) | (uint64_t)ah << 8 | al;
    x86_eflags_write(cpu, nf, X86_EFLAGS_ARITH);
}
