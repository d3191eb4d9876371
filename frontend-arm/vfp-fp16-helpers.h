/*
 * vfp-fp16-helpers.h — private to frontend-arm: the C helpers behind the
 * FEAT_FP16 scalar half-precision instructions (vfp-fp16-helpers.c,
 * translate-fp16.c).  Operands and results are half-precision bit patterns
 * in bits 15:0 of an i32 (bits 31:16 of an operand are ignored, of a
 * result zero); they take the cpu state for FPSCR (RMode, FZ16, DN) and
 * its cumulative flags.
 */
#ifndef VEMU_VFP_FP16_HELPERS_H
#define VEMU_VFP_FP16_HELPERS_H

#include "ir/ir.h"

/* (n, m) -> n op m, one rounding */
extern const IRHelper vfp_helper_add_h, vfp_helper_sub_h, vfp_helper_mul_h, vfp_helper_div_h;
/* (a) -> sqrt(a) */
extern const IRHelper vfp_helper_sqrt_h;
/* (addend, n, m) -> addend + n * m, one rounding (FPMulAdd) */
extern const IRHelper vfp_helper_fma_h;
/* (a, b, E) -> FPCompare's NZCV in bits 3:0; E = 1 signals on quiet NaNs too */
extern const IRHelper vfp_helper_cmp_h;
/* (value, desc) integer / fixed point -> half, rounded per desc's
 * VFP_CVT_RMODE (or _RMODE_FPSCR); desc as vfp-helpers.h's VFP_CVT_* */
extern const IRHelper vfp_helper_from_fixed_h;
/* half -> single, exact, with FZ16's input flush: for the conversions to
 * integer, which then reuse vfp_helper_to_fixed_s */
extern const IRHelper vfp_helper_h_to_s_exact;

#endif
