/*
 * arm-iwmmxt.h — private to frontend-arm: Intel XScale's coprocessors 0
 * and 1.  On the PXA270 family they are the Wireless MMX unit (iWMMXt):
 * sixteen 64-bit SIMD registers wR0..wR15 and control registers (wCID,
 * wCon, wCSSF, wCASF, wCGR0..3); on the PXA25x/26x coprocessor 0 is only
 * the 40-bit DSP accumulator acc0 (MIA, MIAPH, MIAxy, MAR, MRA), which
 * shares its encodings with TMIA/TMCRR/TMRRC on wR0 and is kept in wR0.
 *
 * Decoding: a32.decode hands the whole cp0/cp1 space of XScale models to
 * arm_translate_xscale(), which runs the generated iwmmxt.decode decoder
 * (translate-iwmmxt.c).  The lane-wise operations are C helpers
 * (iwmmxt-helpers.c) described by a "desc" constant: operation, lane size.
 */
#ifndef VEMU_ARM_IWMMXT_H
#define VEMU_ARM_IWMMXT_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"
#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-helpers.h"

struct DisasContext;

/* The A32 instruction lies in the cp0/cp1 space (LDC/STC/MCRR/MRRC/CDP/
 * MCR/MRC with coprocessor 0 or 1).  False: undefined for this model. */
bool arm_translate_xscale(struct DisasContext *s, uint32_t insn);
/* wR0..wR15 as i64 globals; called by arm_translate_init(). */
void arm_iwmmxt_init_globals(void);
/* The iWMMXt side of arm_cpu_set_model(): wCID of the PXA270. */
void arm_iwmmxt_set_model(ARMCPU *cpu);

/* wCon bits qemu-arm sets (see translate-iwmmxt.c): a data register, a
 * control register updated. */
#define IWMMXT_WCON_MUP 2u
#define IWMMXT_WCON_CUP 1u

/* ---- helper descriptors -------------------------------------------------- */

/* Lane size: 0 byte, 1 halfword, 2 word, 3 doubleword. */
#define IW_SIZE(d)     ((d) & 3u)
#define IW_OP(d)       ((d) >> 4)
#define IW_DESC(op, size) ((uint32_t)(op) << 4 | (uint32_t)(size))

/* Two-operand lane operations: iwmmxt_helper_binop(env, wRn, wRm, desc). */
enum {
    IW_ADD, IW_ADDUS, IW_ADDSS, IW_SUB, IW_SUBUS, IW_SUBSS,
    IW_CMPEQ, IW_CMPGTU, IW_CMPGTS,
    IW_MINU, IW_MINS, IW_MAXU, IW_MAXS,
    IW_AVG2, IW_AVG2R,
    IW_UNPCKIL, IW_UNPCKIH,
    IW_PACKUS, IW_PACKSS,        /* size: the source lanes (1, 2, 3) */
    IW_MULUL, IW_MULUM, IW_MULSL, IW_MULSM,
    IW_MADDU, IW_MADDS,
    IW_SADB, IW_SADH,
    IW_MACU, IW_MACS,
    /* one operand (the second is ignored) */
    IW_UNPCKELU, IW_UNPCKELS, IW_UNPCKEHU, IW_UNPCKEHS,
    IW_WACC,
};
/* Shifts by a count: iwmmxt_helper_shift(env, wRn, count, desc). */
enum { IW_SRL, IW_SRA, IW_SLL, IW_ROR, IW_SHUFH };

/* iwmmxt_helper_binop, _shift, _tmia (op: 0 TMIA, 1 TMIAPH, 2.. TMIAxy, bit
 * 0 top of Rs, bit 1 top of Rm, as in the encoding) and _movmsk are
 * declared in helpers.def (arm-helpers.h). */

/* For tests: the same operations on plain values. */
uint64_t iwmmxt_binop(ARMCPU *env, uint64_t a, uint64_t b, uint32_t desc);
uint64_t iwmmxt_shift(ARMCPU *env, uint64_t a, uint32_t n, uint32_t desc);
uint64_t iwmmxt_tmia(uint64_t acc, uint32_t rm, uint32_t rs, uint32_t op);

#endif
