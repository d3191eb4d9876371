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
    struct Translator *tr;  /* exec's block translator (exec/translator.h) */
    IRBlock *b;
    CPUCommon *cpu;
    uint32_t pc;            /* address of the current instruction */
    uint32_t insn;
    uint32_t features;      /* ARM_FEATURE_* of the cpu model */
    uint32_t tb_flags;      /* the flags this block is translated for */
    bool thumb;
    DisasJumpType is_jmp;
    /* A conditional instruction branches to skip_label when its condition
     * fails; the block loop places the label after the instruction. */
    bool cond_skip;
    unsigned skip_label;
    /* Thumb: the instruction's length (2 or 4), its ITSTATE (IT[7:0], 0
     * outside IT blocks), the ITSTATE after it (ITAdvance, or what IT sets),
     * and the value cpu->condexec holds at this point of the block (it is
     * written at each instruction whose ITSTATE differs, so a fault or
     * exception sees the right one, and at block exits). */
    unsigned len;
    uint32_t condexec;
    uint32_t condexec_after;
    uint32_t condexec_cpu;
    /* The block was looked up with ARM_TBFLAG_VFP_FAST (translate-vfp.c). */
    bool vfp_fast;
    /* System mode (ARM_TBFLAG_SYS): privileged state exists; user: the
     * code runs in USR mode; mmu_idx: what its accesses use (set into every
     * memop of an instruction after it is translated, unless the
     * instruction chose one: LDRT ...); align: SCTLR.A. */
    bool sys, user, align, vfp_en;
    unsigned mmu_idx;
    bool insn_user;     /* this instruction's accesses are unprivileged (LDRT ...) */
} DisasContext;

/* Globals, valid after arm_translate_init(). */
extern IRTemp cpu_R[16];              /* r0..r14, and the pc (regs[15]) */
extern IRTemp cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_GE, cpu_thumb;
extern IRTemp cpu_condexec;           /* ITSTATE (ARMCPU.condexec) */
extern IRTemp cpu_exclusive_addr, cpu_exclusive_val;   /* i64 */
extern IRGlobalSet arm_globals;

/* Generated from a32.decode: arg_<PATTERN> structs, a32_extract_<PATTERN>()
 * and the trans_<PATTERN>() prototypes. */
#include "frontend-arm/arm-decode-fields.h"
#include "frontend-arm/a32-decode.h.inc"

/* Is insn a direct, non-linking branch (B, Bcc; T16 B, Bcc; T32 B.W, Bcc.W) at pc?
 * insn: A32 word, or T16 halfword, or T32 first halfword << 16 | second.
 * len: 2 or 4 (Thumb), 4 (A32).  Sets *target.  (arm-branch.c, generated
 * from the same tables as the decoders.) */
bool arm_insn_direct_branch(uint32_t insn, unsigned len, bool thumb, uint32_t pc, uint32_t *target);

void arm_translate_init(void);
/* The hooks exec's block translator calls (arm-translate.c). */
extern const struct TranslatorOps arm_translator_ops;

/* tb_flags bits */
#define ARM_TBFLAG_THUMB 1u
/* ITSTATE at the block start, in bits 15:8 (Thumb only) */
#define ARM_TBFLAG_CONDEXEC_SHIFT 8
/* FPSCR is RN, FZ = 0, DN = 0: VFP arithmetic may run inline (arm-vfp.h) */
#define ARM_TBFLAG_VFP_FAST (1u << 16)
/* System mode only (cpu->common.sys set; never in user mode): */
#define ARM_TBFLAG_SYS   (1u << 17)   /* privileged state exists (translate-sys.c) */
#define ARM_TBFLAG_USER  (1u << 18)   /* ... and the cpu is in USR mode */
#define ARM_TBFLAG_ALIGN (1u << 19)   /* SCTLR.A: every access checks alignment */
#define ARM_TBFLAG_VFP_EN (1u << 20)  /* FPEXC.EN and CPACR allow VFP here (translate-vfp.c) */

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

/* If addr (i32) is not a multiple of bytes (a power of two): fault_addr <-
 * addr, pc <- this instruction, raise EXCP_MEM_FAULT for misalignment.  An
 * access itself is checked by giving it IR_MO_ALIGN (cheaper); this is for
 * a check that must happen even when the access is skipped (STREX whose
 * monitor fails). */
void gen_align_check(DisasContext *s, IRTemp addr, unsigned bytes);

/* Leave the block for the cpu loop, which looks the next block up with
 * the cpu's own flags and takes pending interrupts: after an instruction
 * that changed the mode, the interrupt masks or the translation regime.
 * pc: the value for regs[15], or IR_TEMP_NONE when a helper has set it. */
void gen_exit_to_loop(DisasContext *s, IRTemp pc);
/* pc <- this instruction, raise excp (EXCP_UDEF, EXCP_BKPT ...). */
void gen_exception_insn(DisasContext *s, int excp);

/* Before an exit to the next instruction or a branch target: cpu->condexec
 * <- the ITSTATE after this instruction (no op outside IT blocks).  The
 * pc-writing routines above and gen_svc() call it themselves. */
void gen_condexec_exit(DisasContext *s);
/* SVC: pc <- the next instruction, raise EXCP_SYSCALL. */
void gen_svc(DisasContext *s);
/* Make the current instruction conditional on cond (0..13): it branches
 * to s->skip_label when cond fails (the block loop places the label). */
void gen_cond_skip(DisasContext *s, unsigned cond);
/* The Thumb instruction decoder (translate-thumb.c): insn is a 16-bit
 * instruction, or a 32-bit one as first halfword << 16 | second. */
void thumb_translate_insn(DisasContext *s, uint32_t insn);
/* Whether a first halfword starts a 32-bit Thumb instruction. */
static inline bool thumb_insn_is_32bit(uint32_t hw1)
{
    return (hw1 >> 11) >= 0x1d;
}

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
/* Shift by the bottom byte of a register (A32 register-shifted forms,
 * Thumb LSL/LSR/ASR/ROR by a register). */
IRTemp gen_shift_reg(DisasContext *s, IRTemp val, int type, IRTemp rs, IRTemp *carry);

/* ---- A32 semantics shared with the Thumb decoders ---------------------------- */

/* The data-processing opcodes, numbered as in A32 (opc field). */
enum {
    ARM_DP_AND, ARM_DP_EOR, ARM_DP_SUB, ARM_DP_RSB, ARM_DP_ADD, ARM_DP_ADC, ARM_DP_SBC, ARM_DP_RSC,
    ARM_DP_TST, ARM_DP_TEQ, ARM_DP_CMP, ARM_DP_CMN, ARM_DP_ORR, ARM_DP_MOV, ARM_DP_BIC, ARM_DP_MVN,
};
/* Rd = Rn <opc> op2, flags when S (logical ops take C from carry, if not
 * IR_TEMP_NONE); Rd = 15 writes the pc (ALUWritePC).  Always true. */
bool gen_dp(DisasContext *s, int opc, int S, int Rn, int Rd, IRTemp op2, IRTemp carry);
/* Single load/store of size/sign mo; P/U/W as in A32; Rn = 15 in Thumb is
 * a literal (Align(PC, 4), no writeback).  Loads into r15 interwork. */
void gen_ldst(DisasContext *s, IRMemOp mo, int L, int P, int U, int W, int Rn, int Rt, IRTemp offset);
/* LDRD/STRD with any register pair (T32 allows Rt2 != Rt + 1). */
void gen_ldst_dual(DisasContext *s, int L, int P, int U, int W, int Rn, int Rt, int Rt2,
                   IRTemp offset);
/* LDM/STM (IA: P=0 U=1, IB, DA, DB), list non-empty; a loaded pc interworks. */
void gen_ldm_stm(DisasContext *s, int Rn, unsigned list, int P, int U, int W, int L);
/* LDREX/STREX family at addr; size: 0 word, 1 doubleword (Rt, Rt2), 2 byte,
 * 3 halfword.  STREX writes 0 (stored) or 1 (failed) to Rd. */
void gen_load_exclusive(DisasContext *s, int size, int Rt, int Rt2, IRTemp addr);
void gen_store_exclusive(DisasContext *s, int size, int Rd, int Rt, int Rt2, IRTemp addr);

/* ---- the system level (translate-sys.c; only with s->sys) ------------------ */
/* MRS Rd, SPSR / MSR: false when undefined (USR mode).  sys_msr with R = 0
 * from USR mode returns false: the caller's user-mode form applies. */
bool sys_mrs_spsr(DisasContext *s, int Rd);
bool sys_msr(DisasContext *s, int R, int fields, IRTemp val);
/* LDM/STM with ^ (user registers; LDM with the pc: exception return). */
bool sys_ldm_stm_user(DisasContext *s, int Rn, unsigned list, int P, int U, int W, int L);
/* CPS: imod (2 enable, 3 disable) A/I/F, M: mode; false when undefined
 * (user mode, before v6). */
bool gen_cps(DisasContext *s, int imod, int M, int A, int I, int F, int mode);
/* CPSR <- SPSR, pc <- pc; leaves the block. */
void gen_exception_return(DisasContext *s, IRTemp pc);
/* WFI: pc <- next instruction, raise EXCP_HALT. */
void gen_wfi(DisasContext *s);
/* MCR/MRC p15 in system mode. */
bool sys_mcr_mrc(DisasContext *s, const arg_mcr_mrc *a);

#endif
