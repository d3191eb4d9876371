/*
 * vfp-v8-helpers.h — private to frontend-arm: the C helpers behind the
 * FP-ARMv8 instructions (vfp-v8-helpers.c) and CRC32.  Like the VFP
 * helpers they take the cpu state (FPSCR in, cumulative flags out) and
 * raw register bits: i32 for single precision, i64 for double.
 */
#ifndef VEMU_VFP_V8_HELPERS_H
#define VEMU_VFP_V8_HELPERS_H

#include "frontend-arm/arm-helpers.h"

/* The helpers (vfp_helper_maxnm_s ..., arm_helper_crc32) are declared in
 * helpers.def (arm-helpers.h). */

/* (value, desc) -> FPRoundInt: desc is a VFP_RINT_* rounding mode, plus
 * VFP_RINT_EXACT to raise Inexact when the value changes (VRINTX). */
#define VFP_RINT_RMODE(m)   ((uint32_t)(m))   /* 0 RN, 1 RP, 2 RM, 3 RZ */
#define VFP_RINT_TIEAWAY    4u                /* to nearest, ties away (VRINTA) */
#define VFP_RINT_FPSCR      8u                /* FPSCR's mode (VRINTR, VRINTX) */
#define VFP_RINT_EXACT      16u

#endif
