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

#include "ir/ir.h"

/* Defines `vfp_helper_<id>`, the descriptor of the C helper fn_ (n
 * arguments of the given types, a result of type ret).  VFP helpers read
 * and write FPSCR in the cpu state, never the IR globals. */
#define VFP_HELPER_FLAGS (IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV)
#define VFP_HELPER(id, fn_, n, ret, ...) \
    const IRHelper vfp_helper_##id = { .name = "vfp_" #id, .fn = (void *)fn_, .flags = VFP_HELPER_FLAGS, \
        .n_args = n, .has_result = true, .ret_type = ret, .arg_types = { __VA_ARGS__ } }

/* Conversion descriptors (the "desc" argument of the fixed-point helpers). */
#define VFP_CVT_FBITS(n)    ((uint32_t)(n) & 0x3f)   /* fraction bits, 0..32 */
#define VFP_CVT_UNSIGNED    (1u << 8)
#define VFP_CVT_SIZE16      (1u << 9)                 /* 16-bit fixed point, else 32-bit */
#define VFP_CVT_RMODE(m)    ((uint32_t)(m) << 12)    /* 0 RN, 1 RP, 2 RM, 3 RZ */
#define VFP_CVT_RMODE_FPSCR (4u << 12)                /* the rounding mode in FPSCR */
#define VFP_CVT_TIEAWAY     (1u << 16)                /* to nearest, ties away (VCVTA) */

/* (a, b) -> a op b, in the order the ARM ARM passes operands (NaN choice). */
extern const IRHelper vfp_helper_add_s, vfp_helper_sub_s, vfp_helper_mul_s, vfp_helper_div_s;
extern const IRHelper vfp_helper_add_d, vfp_helper_sub_d, vfp_helper_mul_d, vfp_helper_div_d;
extern const IRHelper vfp_helper_sqrt_s, vfp_helper_sqrt_d;
/* (addend, n, m) -> addend + n * m with one rounding (VFMA family). */
extern const IRHelper vfp_helper_fma_s, vfp_helper_fma_d;
/* (a, b, signal_qnan): sets FPSCR.NZCV; VCMPE passes signal_qnan = 1. */
extern const IRHelper vfp_helper_cmp_s, vfp_helper_cmp_d;
/* (a, b): the same (VCMP / VCMPE), also returning the relation as an
 * IRFCmpResult: the fallback of the inline fcmp */
extern const IRHelper vfp_helper_cmp_nzcv_s, vfp_helper_cmpe_nzcv_s;
extern const IRHelper vfp_helper_cmp_nzcv_d, vfp_helper_cmpe_nzcv_d;
/* single <-> double, half <-> single (half in bits 15:0) */
extern const IRHelper vfp_helper_cvt_s_to_d, vfp_helper_cvt_d_to_s;
extern const IRHelper vfp_helper_f16_to_f32, vfp_helper_f32_to_f16;
/* (value, desc) float -> integer / fixed point, saturating; the result is
 * sign- or zero-extended to 32 bits. */
extern const IRHelper vfp_helper_to_fixed_s, vfp_helper_to_fixed_d;
/* value -> signed 32-bit integer, rounding toward zero (VCVT.S32.F32/F64) */
extern const IRHelper vfp_helper_to_int_rz_s, vfp_helper_to_int_rz_d;
/* (value, desc) integer / fixed point -> float, rounded per desc's RMODE. */
extern const IRHelper vfp_helper_from_fixed_s, vfp_helper_from_fixed_d;

#endif
