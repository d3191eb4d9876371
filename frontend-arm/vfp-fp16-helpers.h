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

#include "frontend-arm/arm-helpers.h"

/* The helpers (vfp_helper_add_h ...) are declared in helpers.def
 * (arm-helpers.h). */

#endif
