/*
 * x86-helpers.h — private to frontend-x86: the C helpers generated x86
 * code calls, their prototypes and IRHelper descriptors, all expanded from
 * the one list in helpers.def.
 */
#ifndef VEMU_X86_HELPERS_H
#define VEMU_X86_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* The cpu state the helpers touch, as IRStateRange initialisers (each ends
 * with a comma, so that a list is their concatenation). */
#define X86_STATE_RANGE(off, size) { (uint32_t)(off), (uint32_t)(size) },
#define X86_STATE_REG(r)   X86_STATE_RANGE(offsetof(X86CPU, regs) + 8 * (r), 8)
#define X86_STATE_RAX_RDX  X86_STATE_RANGE(offsetof(X86CPU, regs), 24)
#define X86_STATE_REGS     X86_STATE_RANGE(offsetof(X86CPU, regs), 8 * X86_NREGS)
#define X86_STATE_MODEL    X86_STATE_RANGE(offsetof(X86CPU, model), sizeof(void *))
#define X86_STATE_SEGS     X86_STATE_RANGE(offsetof(X86CPU, seg_sel), \
                                           offsetof(X86CPU, code_mode) - offsetof(X86CPU, seg_sel))
#define X86_STATE_TSC      X86_STATE_RANGE(offsetof(X86CPU, tsc_offset), 8)
#define X86_STATE_FPU      X86_STATE_RANGE(offsetof(X86CPU, fpu), sizeof(X87State))
#define X86_STATE_FLAGS    X86_STATE_RANGE(offsetof(X86CPU, cc_dst), \
                                           offsetof(X86CPU, eflags_rest) + 4 - offsetof(X86CPU, cc_dst))

/* For exec_raise() in a helper that generated code called: a host pc
 * inside the call instruction (its return address is already the next
 * guest instruction's code when the call ends one). */
#define X86_GETPC() ((uintptr_t)__builtin_return_address(0) - 1)

#define X86H_CT_i32 uint32_t
#define X86H_CT_i64 uint64_t
#define X86H_CT_void void
#define X86H_IT_i32 IR_I32
#define X86H_IT_i64 IR_I64
#define X86H_IT_void IR_I32
#define X86H_RES_i32 true
#define X86H_RES_i64 true
#define X86H_RES_void false

#define X86H_FLAGS_PURE     IR_HELPER_PURE
#define X86H_FLAGS_STATE    (IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV)
#define X86H_FLAGS_READS    (IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_NO_SIDE_EFFECTS | IR_HELPER_PASS_ENV)
#define X86H_FLAGS_GLOBALS  IR_HELPER_PASS_ENV
#define X86H_FLAGS_MAYFAULT (IR_HELPER_PASS_ENV | IR_HELPER_MAY_FAULT)

#define X86H_CAT(a, b) X86H_CAT_(a, b)
#define X86H_CAT_(a, b) a##b
#define X86H_NARGS(...) X86H_NARGS_(0, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define X86H_NARGS_(z, a, b, c, d, e, f, n, ...) n

#define X86H_CP0()
#define X86H_CP1(a) , X86H_CT_##a
#define X86H_CP2(a, b) X86H_CP1(a) X86H_CP1(b)
#define X86H_CP3(a, b, c) X86H_CP2(a, b) X86H_CP1(c)
#define X86H_CP4(a, b, c, d) X86H_CP3(a, b, c) X86H_CP1(d)
#define X86H_CP5(a, b, c, d, e) X86H_CP4(a, b, c, d) X86H_CP1(e)
#define X86H_P0() void
#define X86H_P1(a) X86H_CT_##a
#define X86H_P2(a, b) X86H_P1(a) X86H_CP1(b)
#define X86H_P3(a, b, c) X86H_P2(a, b) X86H_CP1(c)
#define X86H_P4(a, b, c, d) X86H_P3(a, b, c) X86H_CP1(d)
#define X86H_P5(a, b, c, d, e) X86H_P4(a, b, c, d) X86H_CP1(e)
#define X86H_PARAMS_PURE(...)     (X86H_CAT(X86H_P, X86H_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define X86H_PARAMS_STATE(...)    (void * X86H_CAT(X86H_CP, X86H_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define X86H_PARAMS_READS(...)    X86H_PARAMS_STATE(__VA_ARGS__)
#define X86H_PARAMS_GLOBALS(...)  X86H_PARAMS_STATE(__VA_ARGS__)
#define X86H_PARAMS_MAYFAULT(...) X86H_PARAMS_STATE(__VA_ARGS__)

#define X86H_IR0()
#define X86H_IR1(a) X86H_IT_##a
#define X86H_IR2(a, b) X86H_IR1(a), X86H_IR1(b)
#define X86H_IR3(a, b, c) X86H_IR2(a, b), X86H_IR1(c)
#define X86H_IR4(a, b, c, d) X86H_IR3(a, b, c), X86H_IR1(d)
#define X86H_IR5(a, b, c, d, e) X86H_IR4(a, b, c, d), X86H_IR1(e)
#define X86H_IRTYPES(...) X86H_CAT(X86H_IR, X86H_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define X86_HELPER(id, kind, rd, wr, ret, ...) \
    X86H_CT_##ret x86_helper_##id X86H_PARAMS_##kind(__VA_ARGS__); \
    extern const IRHelper x86_h_##id;
#include "frontend-x86/helpers.def"
#undef X86_HELPER

#endif
