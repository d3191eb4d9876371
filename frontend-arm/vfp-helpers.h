/*
 * vfp-helpers.h — private to frontend-arm: the C helpers behind VFP
 * arithmetic and conversions (vfp-helpers.c).  Each one takes the cpu state
 * (for FPSCR: rounding mode, FZ, DN, AHP in; cumulative flags and, for
 * compares, NZCV out) and works on raw register bits: i32 for single
 * precision, i64 for double precision.  None reads or writes IR globals.
 */
#ifndef VEMU_VFP_HELPERS_H
#define VEMU_VFP_HELPERS_H

#include <stdint.h>

#include "frontend-arm/arm-helpers.h"

/* Conversion descriptors (the "desc" argument of the fixed-point helpers). */
#define VFP_CVT_FBITS(n)    ((uint32_t)(n) & 0x3f)   /* fraction bits, 0..32 */
#define VFP_CVT_UNSIGNED    (1u << 8)
#define VFP_CVT_SIZE16      (1u << 9)                 /* 16-bit fixed point, else 32-bit */
#define VFP_CVT_RMODE(m)    ((uint32_t)(m) << 12)    /* 0 RN, 1 RP, 2 RM, 3 RZ */
#define VFP_CVT_RMODE_FPSCR (4u << 12)                /* the rounding mode in FPSCR */
#define VFP_CVT_TIEAWAY     (1u << 16)                /* to nearest, ties away (VCVTA) */

/* The helpers themselves (vfp_helper_add_s ...) are declared in helpers.def. */

#endif
