/*
 * x86-encode.h — an x86_64 instruction encoder.
 *
 * Writes machine code into a byte buffer (the rw view of the code buffer)
 * while knowing where that buffer executes (the rx view), so relative
 * branches and calls are computed from run-time addresses.  Every
 * instruction picks its most compact form: no REX prefix unless a register
 * above 7, a 64-bit operand or a byte register needing it asks for one,
 * imm8 and disp8 whenever the value fits, the short accumulator forms.
 *
 * The encoder never writes past `end`; a write that would sets `overflow`
 * and is dropped, so callers check once at the end.
 */
#ifndef VEMU_X86_ENCODE_H
#define VEMU_X86_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend-asm.h"

typedef enum X86Reg {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_NOREG = -1,
} X86Reg;

/* Condition codes, the low nibble of jcc/setcc/cmovcc. */
typedef enum X86Cond {
    X86_CC_O = 0, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
} X86Cond;

/* The eight classic ALU operations (their /digit in opcodes 0x80..0x83). */
typedef enum X86Alu {
    X86_ADD = 0, X86_OR = 1, X86_ADC = 2, X86_SBB = 3, X86_AND = 4, X86_SUB = 5, X86_XOR = 6, X86_CMP = 7,
} X86Alu;

/* Shift group (/digit of 0xC1, 0xD1, 0xD3). */
typedef enum X86Shift { X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 } X86Shift;

/* The 0xF7 group. */
typedef enum X86Unary { X86_NOT = 2, X86_NEG = 3, X86_MUL = 4, X86_IMUL1 = 5, X86_DIV = 6, X86_IDIV = 7 } X86Unary;

/* A memory operand: [base + index * (1 << scale) + disp].  base may be
 * X86_NOREG (absolute disp32); index X86_NOREG means none (rsp cannot be
 * an index). */
typedef struct X86Mem {
    int8_t base, index;
    uint8_t scale;
    int32_t disp;
} X86Mem;

static inline X86Mem x86_mem(int base, int32_t disp)
{
    return (X86Mem){ .base = (int8_t)base, .index = X86_NOREG, .scale = 0, .disp = disp };
}
static inline X86Mem x86_mem_idx(int base, int index, unsigned scale, int32_t disp)
{
    return (X86Mem){ .base = (int8_t)base, .index = (int8_t)index, .scale = (uint8_t)scale, .disp = disp };
}

/* The code cursor is the backend core's (backend/backend-asm.h). */
typedef BackendAsm X86Asm;

static inline void x86_asm_init(X86Asm *a, uint8_t *rw, uintptr_t rx, size_t size) { backend_asm_init(a, rw, rx, size); }
static inline size_t x86_offset(const X86Asm *a) { return backend_asm_offset(a); }
static inline uintptr_t x86_rx_here(const X86Asm *a) { return backend_asm_rx_here(a); }
static inline size_t x86_room(const X86Asm *a) { return backend_asm_room(a); }

/* Raw bytes. */
void x86_byte(X86Asm *a, uint8_t b);
void x86_u32(X86Asm *a, uint32_t v);
void x86_u64(X86Asm *a, uint64_t v);
/* Multi-byte nop padding of n bytes. */
void x86_nops(X86Asm *a, unsigned n);

/* Width argument: true selects 64-bit operation, false 32-bit. */

/* Moves. */
void x86_mov_rr(X86Asm *a, bool w64, int dst, int src);
/* dst = imm, the shortest form; w64 false writes imm truncated to 32 bits
 * (zero-extended).  Does not touch flags. */
void x86_mov_ri(X86Asm *a, bool w64, int dst, uint64_t imm);
/* dst = a host address: lea dst, [rip + disp32] when it is within +-2 GiB
 * of the code (7 bytes), else as x86_mov_ri (5 or 10 bytes). */
void x86_mov_addr(X86Asm *a, int dst, uintptr_t addr);
/* Loads: size in bytes 1/2/4/8.  sign: sign-extend into the w64/32-bit
 * destination; 4-byte loads into a 32-bit destination ignore sign. */
void x86_load(X86Asm *a, unsigned size, bool sign, bool w64, int dst, X86Mem m);
void x86_store(X86Asm *a, unsigned size, int src, X86Mem m);
/* Store an immediate (size 1/2/4, or 8 with a sign-extended 32-bit imm). */
void x86_store_imm(X86Asm *a, unsigned size, int32_t imm, X86Mem m);
/* dst's low byte = imm (the rest of dst unchanged). */
void x86_mov_r8i(X86Asm *a, int dst, uint8_t imm);
void x86_movzx_rr(X86Asm *a, unsigned size, int dst, int src);           /* size 1/2 */
void x86_movsx_rr(X86Asm *a, unsigned size, bool w64, int dst, int src); /* size 1/2/4 */
void x86_lea(X86Asm *a, bool w64, int dst, X86Mem m);

/* ALU. */
void x86_alu_rr(X86Asm *a, X86Alu op, bool w64, int dst, int src);
void x86_alu_ri(X86Asm *a, X86Alu op, bool w64, int dst, int32_t imm);
void x86_alu_rr8(X86Asm *a, X86Alu op, int dst, int src);            /* low bytes */
void x86_alu_rm(X86Asm *a, X86Alu op, bool w64, int dst, X86Mem m);  /* dst op= [m] */
void x86_alu_mi(X86Asm *a, X86Alu op, bool w64, X86Mem m, int32_t imm);
void x86_bts_ri(X86Asm *a, bool w64, int r, unsigned bit);
/* dec [m]: sets ZF, SF and OF as sub [m], 1 does (not CF), a byte shorter */
void x86_dec_m(X86Asm *a, bool w64, X86Mem m);
void x86_test_rr(X86Asm *a, bool w64, int r1, int r2);
void x86_test_ri(X86Asm *a, bool w64, int r, int32_t imm);
void x86_shift_ri(X86Asm *a, X86Shift op, bool w64, int r, unsigned n);
void x86_shift_rcl(X86Asm *a, X86Shift op, bool w64, int r);
/* 16-bit rotate (byte swap of a halfword: rol r16, 8). */
void x86_rol16_ri(X86Asm *a, int r, unsigned n);
void x86_unary(X86Asm *a, X86Unary op, bool w64, int r);
void x86_imul_rr(X86Asm *a, bool w64, int dst, int src);
void x86_imul_rri(X86Asm *a, bool w64, int dst, int src, int32_t imm);
void x86_cdq(X86Asm *a, bool w64);   /* cdq / cqo */
void x86_bsr(X86Asm *a, bool w64, int dst, int src);
void x86_bsf(X86Asm *a, bool w64, int dst, int src);
void x86_lzcnt(X86Asm *a, bool w64, int dst, int src);
void x86_tzcnt(X86Asm *a, bool w64, int dst, int src);
void x86_andn(X86Asm *a, bool w64, int dst, int src1_inverted, int src2);  /* BMI1 */
void x86_bswap(X86Asm *a, bool w64, int r);
void x86_setcc(X86Asm *a, X86Cond cc, int r);
/* x87: opc (0xD8..0xDF) with /digit and a memory operand; a register form
 * given as its ModRM byte (0xC0..0xFF). */
void x86_x87_m(X86Asm *a, unsigned opc, unsigned digit, X86Mem m);
void x86_x87_r(X86Asm *a, unsigned opc, unsigned modrm);
void x86_cmov(X86Asm *a, X86Cond cc, bool w64, int dst, int src);
void x86_xchg_rr(X86Asm *a, bool w64, int r1, int r2);

/* Atomics and barriers. */
void x86_lock_cmpxchg(X86Asm *a, unsigned size, int src, X86Mem m);
void x86_mfence(X86Asm *a);

/* Control flow.  Targets are rx addresses; the *_rel32 forms return the
 * offset of their 4-byte displacement so a label can be fixed up later. */
void x86_jmp(X86Asm *a, uintptr_t target);         /* short when it fits */
void x86_jcc(X86Asm *a, X86Cond cc, uintptr_t target);
size_t x86_jmp_rel32(X86Asm *a, uintptr_t target);
size_t x86_jcc_rel32(X86Asm *a, X86Cond cc, uintptr_t target);
/* Short forward jumps whose target comes later: return the offset of the
 * 8-bit displacement; x86_patch_rel8 returns false when the target is out
 * of reach (the caller must know it is not). */
size_t x86_jmp_rel8(X86Asm *a);
size_t x86_jcc_rel8(X86Asm *a, X86Cond cc);
bool x86_patch_rel8(X86Asm *a, size_t disp_off, uintptr_t target);
/* call: rel32 when in range, else through `scratch` (mov scratch, imm64; call scratch). */
void x86_call(X86Asm *a, uintptr_t target, int scratch);
void x86_call_r(X86Asm *a, int r);
void x86_jmp_r(X86Asm *a, int r);
void x86_push(X86Asm *a, int r);
void x86_pop(X86Asm *a, int r);
void x86_ret(X86Asm *a);
/* Fix a previously emitted rel32 displacement (at offset disp_off) to reach target. */
void x86_patch_rel32(X86Asm *a, size_t disp_off, uintptr_t target);

static inline X86Cond x86_cond_invert(X86Cond c) { return (X86Cond)(c ^ 1); }

#endif
