/*
 * x86-flags.c — the architectural EFLAGS from the lazy flags record
 * (x86-flags.h), and back.  Generated code calls x86_cc_compute (as the
 * pure helper x86_helper_cc_compute) where it cannot read a condition
 * from the operands; pushf, signal frames and gdb use x86_eflags_read.
 */
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-flags.h"

static inline uint32_t parity8(uint64_t v)
{
    return __builtin_parity((unsigned)(v & 0xff)) ? 0 : X86_EFLAGS_PF;
}

uint32_t x86_cc_compute(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    unsigned size = X86_CC_SIZE(cc_op), bits = 8u << size;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t sign = 1ull << (bits - 1);
    uint32_t cf = 0, of = 0, af = 0;
    uint64_t res = dst & mask, a = src2 & mask, b = src & mask;
    switch (X86_CC_KIND(cc_op)) {
    case X86_CCK_EFLAGS:
        return (uint32_t)src & X86_EFLAGS_ARITH;
    case X86_CCK_ADD:
    case X86_CCK_ADC: {
        uint64_t cin = X86_CC_KIND(cc_op) == X86_CCK_ADC ? ((res - a - b) & mask) : 0;
        cf = cin ? res <= a : res < a;
        of = ((a ^ res) & (b ^ res) & sign) != 0;
        af = ((a ^ b ^ res) >> 4) & 1;
        break;
    }
    case X86_CCK_SUB:
    case X86_CCK_SBB: {
        uint64_t cin = X86_CC_KIND(cc_op) == X86_CCK_SBB ? ((a - b - res) & mask) : 0;
        cf = cin ? a <= b : a < b;
        of = ((a ^ b) & (a ^ res) & sign) != 0;
        af = ((a ^ b ^ res) >> 4) & 1;
        break;
    }
    case X86_CCK_LOGIC:
        break;
    case X86_CCK_INC:
        cf = src & 1;
        of = res == sign;
        af = (res & 0xf) == 0;
        break;
    case X86_CCK_DEC:
        cf = src & 1;
        of = res == sign - 1;
        af = (res & 0xf) == 0xf;
        break;
    case X86_CCK_SHL:
        cf = (b & sign) != 0;
        of = ((b ^ res) & sign) != 0;
        break;
    case X86_CCK_SAR:
        cf = b & 1;
        of = ((b ^ res) & sign) != 0;
        break;
    case X86_CCK_MUL:
        cf = of = src != 0;          /* the whole word: not a value at the size */
        break;
    case X86_CCK_BMI:
        cf = b != 0;
        break;
    default:
        break;
    }
    return (cf ? X86_EFLAGS_CF : 0) | parity8(res) | (af ? X86_EFLAGS_AF : 0) |
           (res == 0 ? X86_EFLAGS_ZF : 0) | ((res & sign) ? X86_EFLAGS_SF : 0) |
           (of ? X86_EFLAGS_OF : 0);
}

uint32_t x86_eflags_read(const X86CPU *cpu)
{
    uint32_t f = x86_cc_compute(cpu->cc_op, cpu->cc_dst, cpu->cc_src, cpu->cc_src2);
    f |= cpu->eflags_rest & ~(X86_EFLAGS_ARITH | X86_EFLAGS_DF);
    f |= cpu->df < 0 ? X86_EFLAGS_DF : 0;
    return f | X86_EFLAGS_FIXED;
}

void x86_eflags_write(X86CPU *cpu, uint32_t val, uint32_t mask)
{
    if (mask & X86_EFLAGS_ARITH) {
        uint32_t old = x86_cc_compute(cpu->cc_op, cpu->cc_dst, cpu->cc_src, cpu->cc_src2);
        cpu->cc_src = (old & ~mask & X86_EFLAGS_ARITH) | (val & mask & X86_EFLAGS_ARITH);
        cpu->cc_op = X86_CC_EFLAGS;
        cpu->cc_dst = 0;
        cpu->cc_src2 = 0;
    }
    if (mask & X86_EFLAGS_DF)
        cpu->df = (val & X86_EFLAGS_DF) ? -1 : 1;
    uint32_t rest = mask & ~(X86_EFLAGS_ARITH | X86_EFLAGS_DF | X86_EFLAGS_FIXED);
    cpu->eflags_rest = (cpu->eflags_rest & ~rest) | (val & rest);
}
