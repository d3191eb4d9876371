/*
 * x86-translate.h — private to frontend-x86: the translation context and
 * the services every instruction class uses (registers, operands, memory,
 * lazy flags, exits).  Tables (*.decode) and their translation functions
 * (translate-*.c, and the SSE/AVX and x87 units' files) build on this.
 */
#ifndef VEMU_X86_TRANSLATE_H
#define VEMU_X86_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/translator.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-cpuid.h"
#include "frontend-x86/x86-flags.h"
#include "frontend-x86/x86-insn.h"
#include "frontend-x86/x87-fast.h"
#include "ir/ir-build.h"

/* Legacy prefixes seen (DisasContext.prefixes). */
enum {
    X86_PRE_LOCK  = 1 << 0,
    X86_PRE_REPZ  = 1 << 1,   /* F3 */
    X86_PRE_REPNZ = 1 << 2,   /* F2 */
    X86_PRE_DATA  = 1 << 3,   /* 66 */
    X86_PRE_ADDR  = 1 << 4,   /* 67 */
};

/* How the instruction left (DisasContext.is_jmp). */
enum { X86_DISAS_NEXT, X86_DISAS_NORETURN, X86_DISAS_END };

/* Memory operand base/index "registers" besides the 16 GPRs. */
#define X86_MEM_NONE (-1)
#define X86_MEM_RIP  16

#define X86_INSN_MAX 15

struct DisasContext {
    Translator *tr;                 /* NULL while probing (insn_branch) */
    IRBlock *b;
    CPUCommon *cpu;
    uint64_t tb_flags;
    bool code64;                    /* 64-bit code */
    IRType tl;                      /* the register type: I64 in 64-bit code, I32 otherwise */
    uint32_t feat[X86_FEAT_WORDS];  /* the cpu model's features (x86-cpuid.h) */

    /* ---- the instruction (decode phase 1) ---- */
    uint64_t pc;                    /* its address */
    uint8_t bytes[X86_INSN_MAX + 1];
    unsigned len;                   /* bytes consumed */
    unsigned avail;                 /* bytes fetched into bytes[] */
    bool fetch_failed;              /* a byte could not be read */
    bool too_long;                  /* more than 15 bytes: #GP */
    uint32_t prefixes;              /* X86_PRE_* */
    int seg;                        /* segment override, or -1 */
    uint8_t rex;                    /* the REX byte, 0 without */
    bool rex_w;
    uint8_t rex_r, rex_x, rex_b;    /* 0 or 8 */
    bool vex;
    uint8_t vex_l;                  /* VEX.L */
    uint8_t vex_v;                  /* VEX.vvvv, not inverted */
    uint8_t mandatory;              /* X86_PFX_*: F3/F2 if present (the last), else 66, else NP */
    uint8_t opcode;
    uint8_t modrm;
    bool have_modrm;
    uint8_t dflag, aflag;           /* operand / address size: X86_OT_16/32/64 */
    /* memory operand: base/index (GPR, X86_MEM_RIP, X86_MEM_NONE), scale, displacement */
    int mem_base, mem_index;
    uint8_t mem_scale;
    int64_t disp;

    /* ---- translation ---- */
    uint32_t cc_op;                 /* statically known X86CCOp, or X86_CC_DYNAMIC */
    /* The cc_op the CPU held when this run was translated, if the run starts
     * where the CPU is (else X86_CC_DYNAMIC): what a read of the flags before
     * any flag-setting instruction tries first (translate-flags.c) */
    uint32_t cc_op_guess;
    /* The values x86_set_cc last stored into cc_dst, cc_src, cc_src2 (or
     * IR_TEMP_NONE): conditions read these temps rather than the globals,
     * so no read of a lazy global keeps an older write of it alive across
     * a load or store (x86_cc_forget when the globals change otherwise). */
    IRTemp cc_val[3];
    int is_jmp;                     /* X86_DISAS_* */
    /* The return addresses of the calls whose targets exec followed into
     * this block, innermost last: a RET tests for the top one and goes on
     * there directly (translate-branch.c) */
    uint64_t ret_pred[4];
    unsigned n_ret_pred;

    /* ---- the x87 fast path (x87-fast.h) ---- */
    bool esc_x87;                   /* an x87 escape, D8..DF */
    uint8_t x87_info_kind;          /* translate-x87-fast.c's class of it */
    X87Fast x87;
};

/* IR globals (x86-translate.c): the same temp numbers in both sets (i386:
 * i32 halves of the 64-bit fields; r8..r15 unused). */
extern IRGlobalSet x86_globals64, x86_globals32;
extern IRTemp cpu_regs[X86_NREGS], cpu_rip;
extern IRTemp cpu_cc_dst, cpu_cc_src, cpu_cc_src2, cpu_cc_op, cpu_df;
void x86_translate_init(void);
extern const TranslatorOps x86_translator_ops;

static inline bool x86_has(const DisasContext *s, unsigned feat)
{
    return (s->feat[feat / 32] >> (feat % 32)) & 1;
}

/* ---- decoding (x86-decode.c) ---- */
/* Phase 1: read the instruction at s->pc; the row, or NULL (undefined, or
 * s->fetch_failed / s->too_long). */
const X86OpEntry *x86_decode(DisasContext *s, X86Insn *d);
/* ModRM for the generated lookup: false when it cannot be read. */
bool x86_fetch_modrm(DisasContext *s);
/* Phase 2: the effective address of the memory operand (d->ea, d->addr). */
void x86_gen_address(DisasContext *s, X86Insn *d);
/* The address of the string operand at seg:reg (X, Y operands, XLAT ...):
 * reg truncated to the address size, plus the segment base (FS/GS). */
IRTemp x86_gen_seg_addr(DisasContext *s, int seg, IRTemp offset);

/* ---- values (translate-ops.c) ---- */
static inline IRTemp tlc(DisasContext *s, uint64_t v) { return ir_const(s->b, s->tl, v); }
static inline IRTemp c32(DisasContext *s, uint32_t v) { return ir_const32(s->b, v); }
static inline unsigned ot_bits(unsigned ot) { return 8u << ot; }
static inline uint64_t ot_mask(unsigned ot) { return ot >= 3 ? ~0ull : (1ull << (8u << ot)) - 1; }
/* v (a tl temp) zero-/sign-extended from ot bits to the whole temp */
IRTemp x86_zext(DisasContext *s, IRTemp v, unsigned ot);
IRTemp x86_sext(DisasContext *s, IRTemp v, unsigned ot);
/* General registers at size ot (zero-extended tl values); high: AH..BH */
IRTemp x86_load_reg(DisasContext *s, unsigned ot, unsigned reg, bool high);
void x86_store_reg(DisasContext *s, unsigned ot, unsigned reg, bool high, IRTemp v);
/* Guest memory at size ot (little-endian, zero-extended into tl) */
IRTemp x86_ld(DisasContext *s, unsigned ot, IRTemp addr);
void x86_st(DisasContext *s, unsigned ot, IRTemp v, IRTemp addr);
/* An integer operand of d: register, memory, immediate (masked to its ot) */
IRTemp x86_load_op(DisasContext *s, X86Insn *d, unsigned i);
void x86_store_op(DisasContext *s, X86Insn *d, unsigned i, IRTemp v);
/* The same, but a register operand's whole register (bits above the
 * operand size arbitrary): for operations whose low bits depend only on
 * their inputs' low bits (add, sub, logic), zero-extended afterwards */
IRTemp x86_load_op_low(DisasContext *s, X86Insn *d, unsigned i);
/* The stack: push/pop a value of ot at rsp (ss is flat) */
void x86_gen_push(DisasContext *s, unsigned ot, IRTemp v);
IRTemp x86_gen_pop(DisasContext *s, unsigned ot);   /* loads and moves rsp */
IRTemp x86_gen_pop_peek(DisasContext *s, unsigned ot); /* loads only */
void x86_gen_pop_commit(DisasContext *s, unsigned ot);
/* The stack width: 8 bytes in 64-bit code (or 2 with 66), else 4 (or 2) */
unsigned x86_stack_ot(DisasContext *s);
/* A 64-bit guest address of an address temp (for fault info) */
IRTemp x86_addr64(DisasContext *s, IRTemp addr);

/* ---- lazy flags (translate-flags.c) ---- */
void x86_set_cc_op(DisasContext *s, uint32_t op);
/* The record was written other than by x86_set_cc (a helper, a loop) */
void x86_cc_forget(DisasContext *s);
/* record a flag-setting operation: cc_op = X86_CC_OP(kind, ot); the
 * values (IR_TEMP_NONE: not stored) */
void x86_set_cc(DisasContext *s, unsigned kind, unsigned ot, IRTemp dst, IRTemp src, IRTemp src2);
/* the six flags as an EFLAGS value (tl; computed from the record) */
IRTemp x86_gen_eflags(DisasContext *s);
/* the whole EFLAGS image PUSHF stores (tl) */
IRTemp x86_gen_eflags_full(DisasContext *s);
/* CF as 0/1 (tl) */
IRTemp x86_gen_cf(DisasContext *s);
/* Condition cc (0..15, the jcc/setcc/cmovcc encoding): a compare of two
 * temps that holds exactly when the condition does. */
typedef struct X86Cond {
    IRCond cond;
    IRTemp a, b;
} X86Cond;
X86Cond x86_gen_cond(DisasContext *s, unsigned cc);
IRTemp x86_gen_setcc(DisasContext *s, unsigned cc);   /* 0/1, tl */

/* ---- exits (x86-translate.c) ---- */
/* rip = pc of this instruction; raise excp */
void x86_gen_exception(DisasContext *s, int excp);
/* rip = the next instruction; raise excp (syscall, int3) */
void x86_gen_exception_next(DisasContext *s, int excp);
/* a direct jump (may_follow: unconditional); true when exec followed it
 * (translation goes on at dest in this block) */
bool x86_gen_jmp(DisasContext *s, uint64_t dest, bool may_follow);
/* an indirect jump to v (tl): rip = v, look the block up */
void x86_gen_jmp_indirect(DisasContext *s, IRTemp v);
/* a conditional direct jump */
void x86_gen_jcc(DisasContext *s, X86Cond c, uint64_t dest);
/* end the block after this instruction (translation state changed) */
void x86_gen_end(DisasContext *s);
/* FXRSTOR, XRSTOR ...: the x87 state changes as the cpu state says (x87-fast.h). */
void x87_fast_state_changed(DisasContext *s);
static inline uint64_t x86_next_pc(const DisasContext *s)
{
    uint64_t n = s->pc + s->len;
    return s->code64 ? n : (uint32_t)n;
}

/* ---- helpers (helpers.def, x86-helpers.h) ---- */
#include "frontend-x86/x86-helpers.h"

#endif
