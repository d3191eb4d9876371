/*
 * arm-helpers.h — private to frontend-arm: the C helpers generated ARM code
 * calls, their prototypes and IRHelper descriptors, all expanded from the
 * one list in helpers.def.
 */
#ifndef VEMU_ARM_HELPERS_H
#define VEMU_ARM_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* The cpu state the helpers touch, as IRStateRange initialisers (each ends
 * with a comma, so that a list is their concatenation); ARMCPU is in
 * arm-cpu.h, needed where the descriptors are made (arm-helpers.c). */
#define ARM_STATE_RANGE(first, last) \
    { offsetof(ARMCPU, first), \
      (uint32_t)(offsetof(ARMCPU, last) + sizeof(((ARMCPU *)0)->last) - offsetof(ARMCPU, first)) },
#define ARM_STATE_FPSCR          ARM_STATE_RANGE(fpscr, fpscr)
#define ARM_STATE_FEATURES       ARM_STATE_RANGE(features, features)
/* NF ZF CF VF QF GE thumb condexec cpsr_rest: what makes up the CPSR */
#define ARM_STATE_CPSR           ARM_STATE_RANGE(NF, cpsr_rest)
/* r0..r15 and the CPSR: what a mode switch touches */
#define ARM_STATE_CORE           ARM_STATE_RANGE(regs, cpsr_rest)
#define ARM_STATE_IWMMXT_CONTROL ARM_STATE_RANGE(iwmmxt_wc, iwmmxt_wc)

/* ---- the expansion machinery ---- */
#define ARMH_CT_i32 uint32_t
#define ARMH_CT_i64 uint64_t
#define ARMH_CT_void void
#define ARMH_IT_i32 IR_I32
#define ARMH_IT_i64 IR_I64
#define ARMH_IT_void IR_I32
#define ARMH_RES_i32 true
#define ARMH_RES_i64 true
#define ARMH_RES_void false

#define ARMH_FLAGS_PURE    IR_HELPER_PURE
#define ARMH_FLAGS_STATE   (IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV)
#define ARMH_FLAGS_READS   (IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_NO_SIDE_EFFECTS | IR_HELPER_PASS_ENV)
#define ARMH_FLAGS_GLOBALS IR_HELPER_PASS_ENV

#define ARMH_CAT(a, b) ARMH_CAT_(a, b)
#define ARMH_CAT_(a, b) a##b
#define ARMH_NARGS(...) ARMH_NARGS_(0, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define ARMH_NARGS_(z, a, b, c, d, e, f, n, ...) n

/* the C parameter types: with a leading comma (after env) or without */
#define ARMH_CP0()
#define ARMH_CP1(a) , ARMH_CT_##a
#define ARMH_CP2(a, b) ARMH_CP1(a) ARMH_CP1(b)
#define ARMH_CP3(a, b, c) ARMH_CP2(a, b) ARMH_CP1(c)
#define ARMH_CP4(a, b, c, d) ARMH_CP3(a, b, c) ARMH_CP1(d)
#define ARMH_P1(a) ARMH_CT_##a
#define ARMH_P2(a, b) ARMH_P1(a) ARMH_CP1(b)
#define ARMH_P3(a, b, c) ARMH_P2(a, b) ARMH_CP1(c)
#define ARMH_P4(a, b, c, d) ARMH_P3(a, b, c) ARMH_CP1(d)
#define ARMH_PARAMS_PURE(...)    (ARMH_CAT(ARMH_P, ARMH_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define ARMH_PARAMS_STATE(...)   (void * ARMH_CAT(ARMH_CP, ARMH_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define ARMH_PARAMS_READS(...)   ARMH_PARAMS_STATE(__VA_ARGS__)
#define ARMH_PARAMS_GLOBALS(...) ARMH_PARAMS_STATE(__VA_ARGS__)

/* the IR argument types */
#define ARMH_IR0()
#define ARMH_IR1(a) ARMH_IT_##a
#define ARMH_IR2(a, b) ARMH_IR1(a), ARMH_IR1(b)
#define ARMH_IR3(a, b, c) ARMH_IR2(a, b), ARMH_IR1(c)
#define ARMH_IR4(a, b, c, d) ARMH_IR3(a, b, c), ARMH_IR1(d)
#define ARMH_IRTYPES(...) ARMH_CAT(ARMH_IR, ARMH_NARGS(__VA_ARGS__))(__VA_ARGS__)

/* Prototypes and descriptors. */
#define ARM_HELPER(group, id, kind, rd, wr, ret, ...) \
    ARMH_CT_##ret helper_##group##_##id ARMH_PARAMS_##kind(__VA_ARGS__); \
    extern const IRHelper group##_helper_##id;
#include "frontend-arm/helpers.def"
#undef ARM_HELPER

#endif
