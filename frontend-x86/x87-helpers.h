/*
 * x87-helpers.h — private to frontend-x86: how translate-x87.c packs an x87
 * instruction's constant operands into the i32 descriptor its helper takes
 * (x87-helpers.def, x87-helpers.c).
 */
#ifndef VEMU_X87_HELPERS_H
#define VEMU_X87_HELPERS_H

#include "host/host-x87.h"

/* memory formats (HostX87Fmt) in bits 3:0, then: */
#define X87D_TRUNC   (1u << 4)    /* FISTTP */
#define X87D_POP     (1u << 5)
/* register arithmetic: op (HostX87Arith) 2:0, di 6:4, si 10:8, pop 12 */
#define X87D_ARITH(op, di, si, pop) ((unsigned)(op) | ((di) << 4) | ((si) << 8) | ((pop) ? 1u << 12 : 0))
/* memory arithmetic: op 2:0, fmt 7:4 */
#define X87D_ARITH_MEM(op, fmt) ((unsigned)(op) | ((unsigned)(fmt) << 4))
/* compares: i 2:0, unordered 4, pops 9:8 */
#define X87D_COM(i, unord, pops) ((unsigned)(i) | ((unord) ? 1u << 4 : 0) | ((unsigned)(pops) << 8))
/* compare memory: fmt 3:0, pop 5 (X87D_POP) */

/* x87_op: the operation in bits 7:0, ST(i) in 10:8 */
enum {
    X87_OP_FLD_ST, X87_OP_FST_ST, X87_OP_FSTP_ST, X87_OP_FXCH, X87_OP_FFREE, X87_OP_FFREEP,
    X87_OP_FCHS, X87_OP_FABS, X87_OP_FTST, X87_OP_FXAM, X87_OP_FINCSTP, X87_OP_FDECSTP,
    X87_OP_FNCLEX, X87_OP_FNINIT,
    X87_OP_MASKALL,               /* FNSTENV's last step: fcw |= 0x3f */
    X87_OP_CONST = 0x20,          /* + HostX87Const */
    X87_OP_FUNC = 0x40,           /* + HostX87Func */
};
#define X87D_OP(op, i) ((unsigned)(op) | ((unsigned)(i) << 8))

/* images: kind 7:0, X86_FPU_* flags 15:8, XCR0 23:16 (XRSTOR's checks) */
enum {
    X87_IMG_FENV, X87_IMG_FSAVE, X87_IMG_FXSAVE, X87_IMG_XSAVE, X87_IMG_XSAVEOPT, X87_IMG_XSAVEC,
};
#define X87D_IMG(kind, flags, xcr0) ((unsigned)(kind) | ((unsigned)(flags) << 8) | ((unsigned)(xcr0) << 16))

#endif
