/*
 * x86-flags.h — private to frontend-x86: the lazy arithmetic flags.
 *
 * A flag-setting instruction stores what it did in cc_op and its values in
 * cc_dst, cc_src, cc_src2 (X86CPU); CF PF AF ZF SF OF follow from them only
 * when something reads them.  cc_op is an X86CCOp: a kind times four plus
 * the operand size (0..3: 8, 16, 32, 64 bits).  The values, zero-extended
 * from the operand size:
 *
 *   kind     cc_dst   cc_src             cc_src2    flags
 *   EFLAGS   -        the six flags      -          as stored (sahf, popf, bt ...)
 *   ADD      result   second operand     first      carry, overflow of a + b
 *   ADC      result   second operand     first      carry in = result - first - second
 *   SUB      result   second operand     first      also CMP; carry = borrow
 *   SBB      result   second operand     first      carry in = first - second - result
 *   LOGIC    result   -                  -          CF = OF = AF = 0
 *   INC/DEC  result   CF before (0/1)    -          CF kept
 *   SHL      result   value << (n - 1)   -          CF the last bit out, OF = CF ^ SF
 *   SAR      result   value >> (n - 1)   -          SAR and SHR: CF = bit 0 of cc_src,
 *                                                   OF = top bit of (cc_src ^ result)
 *   MUL      low half nonzero: overflow  -          CF = OF = (cc_src != 0)
 *   BMI      result   CF (0/1)           -          ZF SF PF from the result, OF = AF = 0
 *
 * The translator knows the cc_op statically most of the time (it emits it
 * into each insn_start's second word for restore_state) and then reads a
 * condition straight from the operands (a compare and branch on them:
 * translate-flags.c).  X86_CC_DYNAMIC means "whatever cc_op holds".
 */
#ifndef VEMU_X86_FLAGS_H
#define VEMU_X86_FLAGS_H

#include <stdint.h>

enum {
    X86_CCK_EFLAGS, X86_CCK_ADD, X86_CCK_ADC, X86_CCK_SUB, X86_CCK_SBB, X86_CCK_LOGIC,
    X86_CCK_INC, X86_CCK_DEC, X86_CCK_SHL, X86_CCK_SAR, X86_CCK_MUL, X86_CCK_BMI,
    X86_CCK_COUNT
};

typedef uint32_t X86CCOp;
#define X86_CC_OP(kind, size) ((X86CCOp)((kind) * 4 + (size)))
#define X86_CC_KIND(op) ((op) >> 2)
#define X86_CC_SIZE(op) ((op) & 3)
#define X86_CC_EFLAGS X86_CC_OP(X86_CCK_EFLAGS, 0)
#define X86_CC_DYNAMIC 0xffffu    /* translator only: the cc_op global says */

/* CF PF AF ZF SF OF (X86_EFLAGS_ARITH bits) from a lazy flags record. */
uint32_t x86_cc_compute(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2);

#endif
