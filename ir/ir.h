/*
 * ir.h — vemu's intermediate representation.
 *
 * A translated guest block is an IRBlock: a flat array of IROps over typed
 * temps.  Frontends build it, passes optimise it, a backend (or the
 * reference interpreter) turns it into something that runs.
 *
 * Temps are small integers indexing IRBlock.temps.  There are three kinds:
 *
 *   IR_TEMP_GLOBAL  a guest-state field: an offset into the CPU state struct
 *                   with a name for dumps (r0, NF, pc ...).  Globals are
 *                   declared once per frontend in an IRGlobalSet and occupy
 *                   temp numbers 0 .. n_globals-1 of every block, so a
 *                   frontend keeps stable handles to them.  A backend may
 *                   keep a global in a host register inside a block; it
 *                   writes it back before exits, helper calls that read or
 *                   write globals, and ops that may fault.
 *   IR_TEMP_LOCAL   a value private to the block.  It may be assigned more
 *                   than once and may live across labels.
 *   IR_TEMP_CONST   an immutable constant.
 *
 * Worked example: ARM  "adds r0, r1, #4"  at 0x8000 becomes
 *
 *     insn_start 0x8000
 *     t5  = add r1, $0x4            ; result
 *     NF  = mov t5                  ; N is bit 31 of NF
 *     ZF  = mov t5                  ; Z is (ZF == 0)
 *     CF  = setcond ltu t5, r1      ; carry out of an add
 *     t6  = xor t5, r1 ; t7 = xor r1, $0x4 ; VF = andc t6, t7   ; overflow
 *     r0  = mov t5
 *
 * If the next instruction sets all four flags again, the dead-code pass
 * deletes the flag computations here: flags cost nothing unless read.
 *
 * Control flow inside a block uses labels (label/br/brcond); a block ends
 * with exit ops (goto_tb+exit_tb for chainable direct jumps, goto_lookup
 * for indirect jumps, exit_tb, raise).  See ir-ops.def for every op.
 */
#ifndef VEMU_IR_H
#define VEMU_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the op table ---------------------------------------------------- */

enum {
    IR_OPF_COMMUTATIVE   = 1 << 0,
    IR_OPF_SIDE_EFFECTS  = 1 << 1,  /* never deleted even if outputs unused */
    IR_OPF_MAY_FAULT     = 1 << 2,  /* globals must be in memory before it */
    IR_OPF_BRANCH        = 1 << 3,  /* transfers control to a label */
    IR_OPF_LABEL         = 1 << 4,
    IR_OPF_BLOCK_END     = 1 << 5,  /* control never falls through */
    IR_OPF_SYNC_GLOBALS  = 1 << 6,  /* all globals written back before it */
    IR_OPF_READS_STATE   = 1 << 7,  /* reads CPU state outside the globals' view */
    IR_OPF_WRITES_STATE  = 1 << 8,
    IR_OPF_VARARGS       = 1 << 9,  /* counts live in the IROp, not the table */
};

typedef enum IROpcode {
#define OP(name, nout, nin, nconst, flags) IR_OP_##name,
#include "ir-ops.def"
#undef OP
    IR_OP_COUNT
} IROpcode;

typedef struct IROpDef {
    const char *name;
    uint8_t n_out, n_in, n_const;
    uint16_t flags;
} IROpDef;

extern const IROpDef ir_op_defs[IR_OP_COUNT];

/* ---- types, conditions, memory ops ----------------------------------- */

typedef enum IRType { IR_I32, IR_I64 } IRType;

typedef enum IRCond {
    IR_COND_NEVER, IR_COND_ALWAYS,
    IR_COND_EQ, IR_COND_NE,
    IR_COND_LT, IR_COND_GE, IR_COND_LE, IR_COND_GT,       /* signed */
    IR_COND_LTU, IR_COND_GEU, IR_COND_LEU, IR_COND_GTU,   /* unsigned */
    IR_COND_TSTEQ, IR_COND_TSTNE,                         /* (a & b) == 0 / != 0 */
    IR_COND_COUNT
} IRCond;

IRCond ir_cond_invert(IRCond c);   /* !c */
IRCond ir_cond_swap(IRCond c);     /* c with operands exchanged */
bool ir_cond_eval(IRCond c, uint64_t a, uint64_t b, IRType t);
const char *ir_cond_name(IRCond c);

/* The result of fcmp (ir-ops.def): how a compares to b.  A frontend turns
 * it into its own flags (ARM: NZCV 1000, 0110, 0010, 0011). */
typedef enum IRFCmpResult {
    IR_FCMP_LESS = 0,
    IR_FCMP_EQUAL = 1,        /* also +0 against -0 */
    IR_FCMP_GREATER = 2,
    IR_FCMP_UNORDERED = 3,    /* either operand is a NaN */
} IRFCmpResult;

/* An IRMemOp packs size, signedness, byte order, alignment and mmu index. */
typedef uint32_t IRMemOp;
enum {
    IR_MO_8 = 0, IR_MO_16 = 1, IR_MO_32 = 2, IR_MO_64 = 3,
    IR_MO_SIZE   = 3,
    IR_MO_SIGN   = 1 << 2,   /* sign-extend loads to the output type */
    IR_MO_BSWAP  = 1 << 3,   /* guest byte order differs from little-endian */
    IR_MO_ALIGN  = 1 << 4,   /* unaligned access faults (SIGBUS) */
    IR_MO_ALIGN4 = 1 << 5,   /* faults unless 4-byte aligned, whatever the size
                                (ARM's VLDR/VSTR of a doubleword) */
    IR_MO_MMU_SHIFT = 8,     /* mmu index in bits 8..11 (system mode: which soft-TLB */
    IR_MO_MMU_MASK = 15 << 8,/* table the access uses, exec/backend.h BackendSoftTLB) */
};
#define IR_MO_UB  (IR_MO_8)
#define IR_MO_SB  (IR_MO_8 | IR_MO_SIGN)
#define IR_MO_UW  (IR_MO_16)
#define IR_MO_SW  (IR_MO_16 | IR_MO_SIGN)
#define IR_MO_UL  (IR_MO_32)
#define IR_MO_SL  (IR_MO_32 | IR_MO_SIGN)
#define IR_MO_Q   (IR_MO_64)
static inline unsigned ir_memop_bytes(IRMemOp mo) { return 1u << (mo & IR_MO_SIZE); }
static inline unsigned ir_memop_mmu_idx(IRMemOp mo) { return (mo & IR_MO_MMU_MASK) >> IR_MO_MMU_SHIFT; }
/* The address bits that must be zero (IR_MO_ALIGN, IR_MO_ALIGN4), or 0. */
static inline unsigned ir_memop_align_mask(IRMemOp mo)
{
    return (mo & IR_MO_ALIGN4) ? 3 : (mo & IR_MO_ALIGN) ? ir_memop_bytes(mo) - 1 : 0;
}

enum { IR_MB_ALL = 0 };

/* exit_check, when the cpu's exit_request is set, stores this number in the
 * exception index and leaves with IR_EXIT_EXCEPTION; the loop then sets the
 * pc to the block's start (equal to exec's EXCP_INTERRUPT). */
#define IR_EXCP_EXIT_REQUEST 5

/* insn_start's constants: the guest pc and two words for the frontend. */
#define IR_INSN_DATA_WORDS 3

/* The x87 op (ir-ops.def): one host x87 instruction, for a frontend whose
 * guest has the same unit (frontend-x86, docs/x87.md "The host x87 fast
 * path") on a backend that sets Backend.host_x87.  Const 0: */
#define IR_X87_DESC(kind, opc, modrm, size) \
    ((uint64_t)(opc) | (uint64_t)(modrm) << 8 | (uint64_t)(kind) << 16 | (uint64_t)(size) << 20)
static inline unsigned ir_x87_opc(uint64_t d) { return d & 0xff; }          /* 0xD8..0xDF */
/* register forms: the whole ModRM byte (0xC0..0xFF); memory forms: the
 * /digit in bits 5:3 */
static inline unsigned ir_x87_modrm(uint64_t d) { return (d >> 8) & 0xff; }
static inline unsigned ir_x87_kind(uint64_t d) { return (d >> 16) & 0xf; }
static inline unsigned ir_x87_size(uint64_t d) { return (d >> 20) & 0xf; }  /* 2, 4, 8 */
enum {
    IR_X87_REG,      /* a register form: no memory operand */
    IR_X87_ENV,      /* memory operand: the cpu state at const 1 */
    IR_X87_IN,       /* store the input's low `size` bytes at const 1, then as ENV */
    IR_X87_OUT,      /* as ENV, then out = the `size` bytes at const 1 (zero-extended) */
    IR_X87_FNSTSW,   /* out = the host's status word (opc/modrm unused) */
    IR_X87_FCOMI,    /* a register-form FCOMI/FUCOMI(P): out = ZF PF CF in EFLAGS' positions */
};

/* How generated code leaves a block: the loop receives (tb | kind). */
typedef enum IRExitKind {
    IR_EXIT_CHAIN0 = 0,      /* direct exit slot 0: the loop may chain it */
    IR_EXIT_CHAIN1 = 1,      /* direct exit slot 1 */
    IR_EXIT_NOCHAIN = 2,     /* look the pc up; do not chain */
    IR_EXIT_EXCEPTION = 3,   /* cpu->exception_index says why */
} IRExitKind;
#define IR_EXIT_KIND_MASK 3u

/* ---- helpers callable from IR ----------------------------------------- */

enum {
    IR_HELPER_NO_READ_GLOBALS  = 1 << 0, /* globals need not be written back before */
    IR_HELPER_NO_WRITE_GLOBALS = 1 << 1, /* cached globals stay valid after */
    IR_HELPER_NO_SIDE_EFFECTS  = 1 << 2, /* pure: may be deleted or folded if unused */
    IR_HELPER_PASS_ENV         = 1 << 3, /* the cpu state pointer is passed first */
    IR_HELPER_MAY_FAULT        = 1 << 4, /* may raise a guest exception (longjmp to the loop) */
};
#define IR_HELPER_PURE (IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_NO_SIDE_EFFECTS)

#define IR_HELPER_MAX_ARGS 6

/* A byte range [offset, offset + size) of the cpu state.  A helper's
 * effects are lists of them ended by one of size 0. */
typedef struct IRStateRange {
    uint32_t offset, size;
} IRStateRange;

typedef struct IRHelper {
    const char *name;
    void *fn;            /* C function: every argument and result is uint32_t or uint64_t */
    uint16_t flags;
    uint8_t n_args;      /* IR inputs, not counting the env pointer */
    bool has_result;
    IRType ret_type;
    IRType arg_types[IR_HELPER_MAX_ARGS];
    /* The cpu state the helper reads / writes besides its arguments and
     * result (a frontend's helper declarations fill them in, e.g.
     * frontend-arm/helpers.def).  A field the helper may leave unchanged
     * (a masked or conditional write) is read too.  NULL: the flags decide
     * (every global, or none with IR_HELPER_NO_READ/WRITE_GLOBALS), and the
     * flags must never claim less than the lists (ir-verify checks). */
    const IRStateRange *reads, *writes;
} IRHelper;


/* ---- temps ------------------------------------------------------------ */

typedef uint32_t IRTemp;
#define IR_TEMP_NONE ((IRTemp)-1)

typedef enum IRTempKind { IR_TEMP_GLOBAL, IR_TEMP_LOCAL, IR_TEMP_CONST } IRTempKind;

typedef struct IRTempInfo {
    uint8_t kind;       /* IRTempKind */
    uint8_t type;       /* IRType */
    uint8_t gflags;     /* globals: IR_GLOBAL_* */
    uint8_t lazy_bit;   /* IR_GLOBAL_LAZY_AT_FAULT globals: their bit in
                           IROp.fault_reads (ir_block_reset numbers them) */
    uint32_t offset;    /* globals: byte offset into the CPU state */
    uint64_t value;     /* constants (i32 values are zero-extended) */
    const char *name;   /* globals: for dumps and logs */
} IRTempInfo;

/* A global whose value need not be exact when an op faults, as long as the
 * block overwrites it before anything reads it (condition flags: only a
 * signal handler inspecting the saved context could tell).  DCE may then
 * drop its computation although a load or store lies in between, unless
 * the block is translated precise (IRBlock.precise).  "Before anything
 * reads it" means the guest's reads: when copy propagation replaces a read
 * of such a global by the value stored into it, the op keeps the read in
 * IROp.fault_reads, because code resumed after a fault reads the global
 * itself.  At most IR_MAX_LAZY_GLOBALS per guest (more are treated as
 * ordinary globals). */
#define IR_GLOBAL_LAZY_AT_FAULT 1
#define IR_MAX_LAZY_GLOBALS 8
/* A global that most blocks write before they read it (condition flags):
 * before a direct exit exec looks ahead at the target and discards it when
 * the target overwrites it first (exec/translator.c, "look-ahead"). */
#define IR_GLOBAL_EXIT_LIVENESS 2

#define IR_MAX_GLOBALS 128

/* A frontend declares its globals (and sets their gflags) before its first
 * block: blocks take the set's prepared form from a per-thread cache keyed
 * by the set and its serial (ir_block_reset), so a set must not change
 * after a block was made from it without another ir_global_new. */
typedef struct IRGlobalSet {
    unsigned n;
    uint32_t serial;             /* new with every ir_global_new (process-wide) */
    IRTempInfo g[IR_MAX_GLOBALS];
} IRGlobalSet;

/* Declare a guest-state field; returns its stable temp number. */
IRTemp ir_global_new(IRGlobalSet *gs, IRType type, uint32_t offset, const char *name);

/* ---- ops and blocks ---------------------------------------------------- */

#define IR_MAX_ARGS 10

typedef struct IROp {
    uint16_t opc;          /* IROpcode */
    uint8_t n_out, n_in, n_const;
    /* Lazy-at-fault globals (IR_GLOBAL_LAZY_AT_FAULT, by lazy_bit) the
     * guest code reads just before this op although the IR no longer does
     * (copy propagation gave the op the stored value instead).  DCE keeps
     * them live at an earlier op that may fault: the code resumed there
     * reads them from the cpu state.  Ops that are deleted pass theirs on
     * to the next op (ir_compact_nops). */
    uint8_t fault_reads;
    uint8_t pad[2];
    uint64_t args[IR_MAX_ARGS]; /* outputs, inputs (IRTemp), constants (raw) */
} IROp;

static inline IRTemp ir_op_out(const IROp *op, unsigned i) { return (IRTemp)op->args[i]; }
static inline IRTemp ir_op_in(const IROp *op, unsigned i) { return (IRTemp)op->args[op->n_out + i]; }
static inline uint64_t ir_op_const(const IROp *op, unsigned i) { return op->args[op->n_out + op->n_in + i]; }
/* The helper a `call` op calls. */
static inline const IRHelper *ir_op_helper(const IROp *op)
{
    return (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
}

typedef struct IRBlock {
    IROp *ops;
    unsigned n_ops, cap_ops;
    IRTempInfo *temps;
    unsigned n_temps, cap_temps;
    unsigned n_globals;
    unsigned n_labels;
    uint64_t guest_pc;     /* first guest instruction */
    uint64_t guest_lo;     /* lowest guest address translated (below
                              guest_pc when a frontend followed a branch
                              backwards); guest_pc unless set */
    unsigned n_insns;      /* insn_start markers emitted */
    const IRGlobalSet *globals;
    bool quick;            /* exec's first tier: translated cheaply (no
                              look-ahead, no loop regions, one round of
                              passes); hot blocks are translated again */
    bool precise;          /* every global exact at every fault (debugging);
                              ir_block_reset clears it */
    bool work;             /* ops and temps in the thread's work regions
                              (ir_block_init_work), not the heap */
    /* The lazy-at-fault globals by lazy_bit (IR_GLOBAL_LAZY_AT_FAULT),
     * listed by ir_block_reset so that no pass scans every global */
    uint8_t n_lazy;
    uint8_t lazy_g[IR_MAX_LAZY_GLOBALS];
    /* A frontend's hook around every op that leaves the block or calls a
     * helper (call, goto_tb, exit_tb, goto_lookup, goto_lookup_pc, raise):
     * ir_emit/ir_call run it with IR_HOOK_BEFORE before the op and
     * IR_HOOK_AFTER after it; what it emits goes around the op.  (The x86
     * frontend writes back guest registers it keeps outside the cpu state,
     * frontend-x86/x87-fast.h.)  ir_block_reset clears it. */
    void (*exit_hook)(struct IRBlock *b, IROpcode opc, int phase, void *opaque);
    void *exit_hook_opaque;
    bool in_exit_hook;
} IRBlock;
enum { IR_HOOK_BEFORE, IR_HOOK_AFTER };

/* Does a cpu-state range list touch [offset, offset + size)? */
static inline bool ir_state_ranges_touch(const IRStateRange *r, uint32_t offset, uint32_t size)
{
    for (; r->size; r++)
        if (offset < r->offset + r->size && r->offset < offset + size)
            return true;
    return false;
}

/* Does a call to h read (need in memory before the call) / write (leave
 * stale in host registers after the call) global temp g of block b?  Every
 * pass and backend asks these rather than testing the flags: a helper's
 * declared effects name the exact guest state it touches.  Cheap: a
 * helper's lists hold a range or two. */
static inline bool ir_helper_reads_global(const IRHelper *h, const IRBlock *b, IRTemp g)
{
    if (h->reads)
        return ir_state_ranges_touch(h->reads, b->temps[g].offset, b->temps[g].type == IR_I64 ? 8 : 4);
    return !(h->flags & IR_HELPER_NO_READ_GLOBALS);
}
static inline bool ir_helper_writes_global(const IRHelper *h, const IRBlock *b, IRTemp g)
{
    if (h->writes)
        return ir_state_ranges_touch(h->writes, b->temps[g].offset, b->temps[g].type == IR_I64 ? 8 : 4);
    return !(h->flags & IR_HELPER_NO_WRITE_GLOBALS);
}
/* ... any global of b at all? */
static inline bool ir_helper_reads_any_global(const IRHelper *h, const IRBlock *b)
{
    if (!h->reads)
        return !(h->flags & IR_HELPER_NO_READ_GLOBALS);
    for (IRTemp g = 0; g < b->n_globals; g++)
        if (ir_helper_reads_global(h, b, g))
            return true;
    return false;
}
static inline bool ir_helper_writes_any_global(const IRHelper *h, const IRBlock *b)
{
    if (!h->writes)
        return !(h->flags & IR_HELPER_NO_WRITE_GLOBALS);
    for (IRTemp g = 0; g < b->n_globals; g++)
        if (ir_helper_writes_global(h, b, g))
            return true;
    return false;
}

/* Start a block whose temps 0..n-1 are the globals of gs. */
void ir_block_init(IRBlock *b, const IRGlobalSet *gs, uint64_t guest_pc);
/* The same for the one block a thread reuses for every translation (exec's
 * work block): its ops and temps grow in place in address space reserved
 * for the thread, populated in steps and wiped on fork, so a short-lived or
 * forked process takes no page fault per page of them (ir-scratch.c).  At
 * most one live work block per thread; heap storage if it cannot be mapped. */
void ir_block_init_work(IRBlock *b, const IRGlobalSet *gs, uint64_t guest_pc);
void ir_block_reset(IRBlock *b, uint64_t guest_pc);   /* reuse storage */
void ir_block_free(IRBlock *b);

IRTemp ir_temp_new(IRBlock *b, IRType type);
IRTemp ir_const(IRBlock *b, IRType type, uint64_t value);
static inline IRTemp ir_const32(IRBlock *b, uint32_t v) { return ir_const(b, IR_I32, v); }
static inline IRTemp ir_const64(IRBlock *b, uint64_t v) { return ir_const(b, IR_I64, v); }
static inline IRType ir_temp_type(const IRBlock *b, IRTemp t) { return (IRType)b->temps[t].type; }
static inline bool ir_temp_is_const(const IRBlock *b, IRTemp t) { return b->temps[t].kind == IR_TEMP_CONST; }
static inline bool ir_temp_is_global(const IRBlock *b, IRTemp t) { return b->temps[t].kind == IR_TEMP_GLOBAL; }

unsigned ir_label_new(IRBlock *b);

/* Append an op; args in table order (outputs, inputs, constants).
 * For IR_OP_call use ir_call().  Returns the op's index. */
unsigned ir_emit(IRBlock *b, IROpcode opc, const uint64_t *args);
/* Emit a call; out may be IR_TEMP_NONE when the helper has no result. */
void ir_call(IRBlock *b, const IRHelper *h, IRTemp out, const IRTemp *in);

/* ---- analysis, passes, output ----------------------------------------- */

/* Check the block is well formed: arg counts, temp indices and types, labels
 * defined once and used, a block end at the end.  Also: every local is
 * written before it is read (in program order), and each goto_tb slot is
 * used at most once and followed, before any label/branch/exit, by
 * exit_tb with the same slot.  Returns 0 or prints a diagnostic (op index and
 * dump) to err (may be NULL) and returns -1. */
int ir_verify(const IRBlock *b, FILE *err);

/* Textual dump, one op per line, temps by name (globals), tN, $const. */
void ir_dump(const IRBlock *b, FILE *out);
void ir_dump_op(const IRBlock *b, const IROp *op, FILE *out);

/* Passes (ir-opt-*.c); each returns the number of changes it made. */
unsigned ir_pass_const_fold(IRBlock *b);    /* constant folding + propagation */
unsigned ir_pass_copy_prop(IRBlock *b);     /* copy propagation */
unsigned ir_pass_dce(IRBlock *b);           /* dead ops, dead global (flag) writes */
unsigned ir_pass_cmp_fusion(IRBlock *b);    /* branches on flag combinations -> compares */
unsigned ir_pass_sink_flags(IRBlock *b);    /* flag computations into the branch side needing them */
void ir_optimize(IRBlock *b);               /* the standard pipeline; verifies in debug builds */
unsigned ir_compact_nops(IRBlock *b);       /* drop nop ops; returns how many were removed */

/* Reference interpreter: runs a block against a CPU state in memory.
 * guest_base is added to guest addresses.  Returns an IRExitKind
 * (IR_EXIT_CHAIN0/1 for goto_tb+exit_tb, IR_EXIT_NOCHAIN for goto_lookup,
 * IR_EXIT_EXCEPTION for raise, with the exception number stored at
 * exception_offset in the state). */
/* System mode: guest accesses through the owner's soft TLB instead of
 * guest_base + address.  Values are raw (memory order, zero-extended):
 * the interpreter applies IR_MO_BSWAP and IR_MO_SIGN itself, as with host
 * memory.  The functions may raise guest faults (they do not return then). */
typedef struct IRInterpMem {
    uint64_t (*ld)(void *cpu, uint64_t addr, uint32_t memop);
    void (*st)(void *cpu, uint64_t addr, uint64_t raw, uint32_t memop);
    uint64_t (*cmpxchg)(void *cpu, uint64_t addr, uint64_t raw_expected, uint64_t raw_desired, uint32_t memop);
} IRInterpMem;

typedef struct IRInterpEnv {
    void *cpu;                    /* CPU state base: globals are offsets into it */
    uintptr_t guest_base;
    uint32_t exception_offset;    /* where raise stores its number (int32) */
    uint32_t exit_request_offset; /* the int32 exit_check reads */
    uint64_t *insn_data;          /* if non-NULL, each insn_start stores its
                                     IR_INSN_DATA_WORDS words (the pc first) here,
                                     so a host fault inside the interpreter maps to a guest pc */
    /* If non-NULL, called for a misaligned guest access whose memop has
     * IR_MO_ALIGN or IR_MO_ALIGN4 (raise the guest's alignment fault;
     * normally does not return).  If NULL, alignment is not checked. */
    void (*unaligned)(void *cpu, uint64_t guest_addr, bool is_write);
    /* If non-NULL, guest memory is reached through these (system mode). */
    const IRInterpMem *mem;
} IRInterpEnv;
unsigned ir_interp(const IRBlock *b, const IRInterpEnv *env);

#endif
