/*
 * arm-translate.h — private to frontend-arm: the translation context and the
 * small IR-building routines shared by the translate-*.c files.
 *
 * Each translate-<class>.c implements the trans_<PATTERN>() functions the
 * generated decoder (a32-decode.c.inc, from a32.decode) calls for one class
 * of instructions.  A trans_ function returns false for an encoding that is
 * undefined (the block loop then raises EXCP_UDEF at the instruction).
 */
#ifndef VEMU_ARM_TRANSLATE_H
#define VEMU_ARM_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir-build.h"
#include "frontend-arm/arm-cpu.h"

/* How the current instruction leaves the block. */
typedef enum DisasJumpType {
    DISAS_NEXT,       /* continue with the next instruction */
    DISAS_UPDATE,     /* state changed that affects translation: end the block after this insn */
    DISAS_NORETURN,   /* the instruction emitted its own exit ops */
} DisasJumpType;

typedef struct DisasContext {
    IRBlock *b;
    CPUCommon *cpu;
    uint32_t pc;            /* address of the current instruction */
    uint32_t insn;
    uint32_t features;      /* ARM_FEATURE_* of the cpu model */
    bool thumb;
    DisasJumpType is_jmp;
    /* A conditional instruction branches to skip_label when its condition
     * fails; the block loop places the label after the instruction. */
    bool cond_skip;
    unsigned skip_label;
} DisasContext;

/* Globals, valid after arm_translate_init(). */
extern IRTemp cpu_R[16];              /* r0..r14, and the pc (regs[15]) */
extern IRTemp cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_GE, cpu_thumb;
extern IRTemp cpu_exclusive_addr, cpu_exclusive_val;   /* i64 */
extern IRGlobalSet arm_globals;

/* Generated from a32.decode: arg_<PATTERN> structs, a32_extract_<PATTERN>()
 * and the trans_<PATTERN>() prototypes. */
#include "frontend-arm/a32-decode.h.inc"

void arm_translate_init(void);
uint32_t arm_translate_block(IRBlock *b, CPUCommon *cpu, uint64_t pc, uint32_t flags,
                             unsigned max_insns);

/* tb_flags bits */
#define ARM_TBFLAG_THUMB 1u

static inline bool arm_has(const DisasContext *s, uint32_t feature)
{
    return (s->features & feature) != 0;
}

static inline IRTemp c32(DisasContext *s, uint32_t v) { return ir_const32(s->b, v); }

/* Reading r15 gives the current instruction's address + 8 (A32). */
IRTemp load_reg(DisasContext *s, int r);
/* A fresh local copy of a register (safe to keep across writes to it). */
IRTemp load_reg_copy(DisasContext *s, int r);
/* Write r0..r14.  Writes to r15 use the gen_*_write_pc routines below. */
void store_reg(DisasContext *s, int r, IRTemp v);

/* Writes to the pc end the block with an indirect jump:
 *   gen_bx        BXWritePC: bit 0 selects Thumb state (BX, BLX, LDR pc on v5T+)
 *   gen_alu_write_pc  ALUWritePC: like BX on v7, plain branch before
 *   gen_jump_direct   direct branch to a known address: chainable exit slot 0 */
void gen_bx(DisasContext *s, IRTemp addr);
void gen_alu_write_pc(DisasContext *s, IRTemp addr);
void gen_jump_direct(DisasContext *s, uint32_t dest, bool to_thumb);
/* Store a result to r0..r15 (r15 via ALUWritePC or LoadWritePC). */
void store_reg_alu(DisasContext *s, int r, IRTemp v);
void store_reg_load(DisasContext *s, int r, IRTemp v);

/* pc <- this instruction, raise excp (EXCP_UDEF, EXCP_BKPT ...). */
void gen_exception_insn(DisasContext *s, int excp);

/* Flag setting shared by several classes: N and Z from a 32-bit result. */
static inline void gen_logic_nz(DisasContext *s, IRTemp res)
{
    ir_mov_to(s->b, cpu_NF, res);
    ir_mov_to(s->b, cpu_ZF, res);
}

/* Address arithmetic for loads/stores */
static inline IRTemp gen_add_sub(DisasContext *s, IRTemp base, IRTemp off, bool add)
{
    if (ir_temp_is_const(s->b, off) && s->b->temps[off].value == 0)
        return base;    /* [Rn] and [Rn, #0]: the common case, no op needed */
    return add ? ir_add(s->b, base, off) : ir_sub(s->b, base, off);
}

/* Shift by an immediate, as in "Rm, <type> #imm5" (DecodeImmShift); sets
 * *carry to the shifter carry-out when carry is non-NULL. */
IRTemp gen_shift_imm(DisasContext *s, IRTemp val, int type, int imm5, IRTemp *carry);

#endif
