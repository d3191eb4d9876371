/*
 * vfp-v8-helpers.h — private to frontend-arm: the C helpers behind the
 * FP-ARMv8 instructions (vfp-v8-helpers.c) and CRC32.  Like the VFP
 * helpers they take the cpu state (FPSCR in, cumulative flags out) and
 * raw register bits: i32 for single precision, i64 for double.
 */
#ifndef VEMU_VFP_V8_HELPERS_H
#define VEMU_VFP_V8_HELPERS_H

#include "ir/ir.h"

/* (n, m) -> FPMaxNum / FPMinNum: a quiet NaN against a number gives the
 * number; +0 is above -0. */
extern const IRHelper vfp_helper_maxnm_s, vfp_helper_minnm_s;
extern const IRHelper vfp_helper_maxnm_d, vfp_helper_minnm_d;
extern const IRHelper vfp_helper_maxnm_h, vfp_helper_minnm_h;   /* FEAT_FP16, bits 15:0 */

/* (value, desc) -> FPRoundInt: desc is a VFP_RINT_* rounding mode, plus
 * VFP_RINT_EXACT to raise Inexact when the value changes (VRINTX). */
#define VFP_RINT_RMODE(m)   ((uint32_t)(m))   /* 0 RN, 1 RP, 2 RM, 3 RZ */
#define VFP_RINT_TIEAWAY    4u                /* to nearest, ties away (VRINTA) */
#define VFP_RINT_FPSCR      8u                /* FPSCR's mode (VRINTR, VRINTX) */
#define VFP_RINT_EXACT      16u
extern const IRHelper vfp_helper_rint_s, vfp_helper_rint_d, vfp_helper_rint_h;

/* half precision (bits 15:0) <-> double, one rounding, FPSCR.AHP honoured */
extern const IRHelper vfp_helper_f16_to_f64, vfp_helper_f64_to_f16;

/* (acc, value, desc) -> CRC32 of the low 1 << (desc & 3) bytes of value
 * into acc, reflected, no inversion; desc bit 2 picks CRC-32C
 * (Castagnoli) over CRC-32 (IEEE 802.3). */
extern const IRHelper arm_helper_crc32;

#endif
