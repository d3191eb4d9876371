/*
 * x87-state.h — the x87 floating-point unit's state, and MMX's view of it.
 *
 * The eight data registers are kept in physical order (R0..R7, not
 * ST(0)..ST(7)): ST(i) is R[(top + i) & 7].  Each holds an 80-bit extended
 * value as the hardware stores it in memory (64-bit significand with its
 * explicit integer bit, then sign and 15-bit exponent); MMX register mm<i>
 * is the significand of R[i], and an MMX write sets the exponent field to
 * all ones, as the hardware does.
 *
 * The status word is kept without its TOP field (bits 13:11), which lives
 * in `top`; the tag word in full (two bits per physical register: 00
 * valid, 01 zero, 10 special, 11 empty), from which FXSAVE derives its
 * abridged form.
 */
#ifndef VEMU_X87_STATE_H
#define VEMU_X87_STATE_H

#include <stdint.h>

typedef struct X87Reg {
    uint64_t mant;             /* significand, bit 63 the explicit integer bit */
    uint16_t sign_exp;         /* bit 15 sign, bits 14:0 biased exponent */
    uint16_t pad[3];
} X87Reg;

typedef struct X87State {
    X87Reg r[8];               /* physical registers R0..R7 */
    uint16_t fcw;              /* control word */
    uint16_t fsw;              /* status word, TOP bits zero */
    uint16_t ftw;              /* full tag word */
    uint16_t fop;              /* last instruction's opcode (11 bits) */
    uint32_t top;              /* 0..7 */
    uint32_t pad;
    uint64_t fip, fdp;         /* last instruction / operand pointers */
    uint16_t fcs, fds;
    uint32_t pad2;
    /* Not architectural: where the translator moves memory images through
     * (an m80 or BCD operand, FNSAVE/FXSAVE/XSAVE images) with plain IR
     * loads and stores, so a fault is precise and the helpers never touch
     * guest memory.  Large enough for XSAVE with x87, SSE and AVX (832). */
    uint8_t image[1024] __attribute__((aligned(16)));
} X87State;

#endif
