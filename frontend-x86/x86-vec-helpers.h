/*
 * x86-vec-helpers.h — private to frontend-x86: the SSE/AVX/MMX helpers that
 * generated code calls, their prototypes and IRHelper descriptors, all
 * expanded from the one list in vec-helpers.def, and the operand
 * descriptor the translator passes them.
 *
 * A vector helper works on the register file in place (x86-vec.h): it gets
 * the cpu state and one 32-bit descriptor naming its registers, the vector
 * length, whether the encoding was VEX, and the instruction's imm8:
 *
 *   bits  0-4   d    destination register (0-15 XMM/YMM, or MMX 0-7)
 *   bits  5-9   s1   first source (legacy SSE: d again; VEX: vvvv)
 *   bits 10-14  s2   second source (ModRM.rm, or X86_VEC_TMP0 for memory)
 *   bit  15     L    256-bit operation (VEX.L=1)
 *   bit  16     VEX  VEX-encoded: a 128-bit result zeroes bits 255:128
 *   bit  17     MMX  d, s1 and s2 < 16 are MMX registers (the x87
 *                    significands); s2 >= 16 is still a vector scratch
 *   bits 24-31  imm8 (for the 4-operand VEX forms, imm8[7:4] is the
 *                    fourth register)
 *
 * Legacy SSE: dst = op(dst, src), bits 255:128 kept.  VEX.128:
 * dst = op(src1, src2), bits 255:128 zeroed.  VEX.256: all 256 bits.
 * A helper reads all its sources before it writes, so any operands may be
 * the same register.
 */
#ifndef VEMU_X86_VEC_HELPERS_H
#define VEMU_X86_VEC_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* ---- the descriptor ---- */
#define X86V_L256 (1u << 15)
#define X86V_VEX  (1u << 16)
#define X86V_MMX  (1u << 17)
#define X86V_DESC(d, s1, s2, flags, imm) \
    ((uint32_t)(d) | ((uint32_t)(s1) << 5) | ((uint32_t)(s2) << 10) | (uint32_t)(flags) | \
     ((uint32_t)(uint8_t)(imm) << 24))
#define X86V_D(desc)   ((desc) & 31u)
#define X86V_S1(desc)  (((desc) >> 5) & 31u)
#define X86V_S2(desc)  (((desc) >> 10) & 31u)
#define X86V_IMM(desc) ((desc) >> 24)

/* Exceptions the helpers raise (x86-cpu.h): X86_EXCP_XM for an unmasked
 * MXCSR exception, X86_EXCP_GP for LDMXCSR with reserved bits set. */

/* MXCSR fields */
#define X86_MXCSR_FLAGS 0x3fu        /* IE DE ZE OE UE PE */
#define X86_MXCSR_DAZ   (1u << 6)
#define X86_MXCSR_MASKS (0x3fu << 7)
#define X86_MXCSR_RC    (3u << 13)
#define X86_MXCSR_FTZ   (1u << 15)
/* The bits LDMXCSR accepts; others set raise #GP. */
#define X86_MXCSR_VALID 0xffffu

/* The cpu state the helpers touch, as IRStateRange initialisers: the x87
 * registers (MMX) and the vector registers with MXCSR, which lie next to
 * each other in X86CPU. */
#define X86V_STATE_RANGE(first, last) \
    { offsetof(X86CPU, first), \
      (uint32_t)(offsetof(X86CPU, last) + sizeof(((X86CPU *)0)->last) - offsetof(X86CPU, first)) },
#define X86V_STATE_VEC X86V_STATE_RANGE(fpu, vec)

/* ---- the expansion machinery ---- */
#define X86VH_CT_i32 uint32_t
#define X86VH_CT_i64 uint64_t
#define X86VH_CT_void void
#define X86VH_IT_i32 IR_I32
#define X86VH_IT_i64 IR_I64
#define X86VH_IT_void IR_I32
#define X86VH_RES_i32 true
#define X86VH_RES_i64 true
#define X86VH_RES_void false

/* VEC: works on the vector/MMX registers only (no globals, no fault).
 * FP: the same, and may raise #XM (an unmasked MXCSR exception).
 * PURE: a function of its arguments. */
#define X86VH_FLAGS_PURE IR_HELPER_PURE
#define X86VH_FLAGS_VEC  (IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV)
#define X86VH_FLAGS_FP   (IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV | IR_HELPER_MAY_FAULT)
#define X86VH_RD_PURE ()
#define X86VH_RD_VEC (X86V_STATE_VEC)
#define X86VH_RD_FP  (X86V_STATE_VEC)

#define X86VH_CAT(a, b) X86VH_CAT_(a, b)
#define X86VH_CAT_(a, b) a##b
#define X86VH_NARGS(...) X86VH_NARGS_(0, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define X86VH_NARGS_(z, a, b, c, d, e, f, n, ...) n

#define X86VH_CP0()
#define X86VH_CP1(a) , X86VH_CT_##a
#define X86VH_CP2(a, b) X86VH_CP1(a) X86VH_CP1(b)
#define X86VH_CP3(a, b, c) X86VH_CP2(a, b) X86VH_CP1(c)
#define X86VH_P1(a) X86VH_CT_##a
#define X86VH_P2(a, b) X86VH_P1(a) X86VH_CP1(b)
#define X86VH_P3(a, b, c) X86VH_P2(a, b) X86VH_CP1(c)
#define X86VH_PARAMS_PURE(...) (X86VH_CAT(X86VH_P, X86VH_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define X86VH_PARAMS_VEC(...)  (void * X86VH_CAT(X86VH_CP, X86VH_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define X86VH_PARAMS_FP(...)   X86VH_PARAMS_VEC(__VA_ARGS__)

#define X86VH_IR0()
#define X86VH_IR1(a) X86VH_IT_##a
#define X86VH_IR2(a, b) X86VH_IR1(a), X86VH_IR1(b)
#define X86VH_IR3(a, b, c) X86VH_IR2(a, b), X86VH_IR1(c)
#define X86VH_IRTYPES(...) X86VH_CAT(X86VH_IR, X86VH_NARGS(__VA_ARGS__))(__VA_ARGS__)

/* The common shapes: (env, desc) on registers; returning a value (to a
 * general register, or EFLAGS bits); taking one from a general register. */
#define X86_VEC_OP(group, id, kind)  X86_VEC_HELPER(group, id, kind, void, i32)
#define X86_VEC_OUT(group, id, kind) X86_VEC_HELPER(group, id, kind, i64, i32)
#define X86_VEC_IN(group, id, kind)  X86_VEC_HELPER(group, id, kind, void, i32, i64)
#define X86_VEC_FPOP(group, id)      X86_VEC_HELPER(group, id, VEC, i32, i32)

#define X86_VEC_HELPER(group, id, kind, ret, ...) \
    X86VH_CT_##ret helper_##group##_##id X86VH_PARAMS_##kind(__VA_ARGS__); \
    extern const IRHelper group##_helper_##id;
#include "frontend-x86/vec-helpers.def"
#undef X86_VEC_HELPER

#endif
