/*
 * x86-internal.h — state shared by the x86_64 backend's files (private to
 * backend-x86_64/).
 *
 * Register conventions of generated code (see docs/backend-x86_64.md):
 *   rbp  the cpu state pointer, for the whole run
 *   r14  cpu->guest_base, for the whole run
 *   rsp  16-byte aligned; [rsp + 8*i] is spill slot i
 *   r11  scratch of single instructions, never allocated
 *   the other 12 registers hold temps and globals, allocated per block.
 */
#ifndef VEMU_X86_INTERNAL_H
#define VEMU_X86_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/backend.h"
#include "ir/ir.h"
#include "x86-encode.h"

#define X86_REG_CPU      X86_RBP
#define X86_REG_GBASE    X86_R14
#define X86_REG_SCRATCH  X86_R11

#define X86_SPILL_SLOTS  2048
/* Frame below the six saved registers: spill slots plus 8 bytes so that
 * rsp is 16-byte aligned (return address + 6 pushes = 56 bytes). */
#define X86_FRAME_SIZE   (X86_SPILL_SLOTS * 8 + 8)

#define RBIT(r) ((uint16_t)(1u << (r)))
/* Registers the allocator hands out. */
#define X86_ALLOC_REGS ((uint16_t)(0xffffu & ~(RBIT(X86_RSP) | RBIT(X86_RBP) | RBIT(X86_R14) | RBIT(X86_R11))))
/* SysV caller-saved registers (clobbered by helper calls). */
#define X86_CALLER_SAVED ((uint16_t)(RBIT(X86_RAX) | RBIT(X86_RCX) | RBIT(X86_RDX) | RBIT(X86_RSI) | \
                                     RBIT(X86_RDI) | RBIT(X86_R8) | RBIT(X86_R9) | RBIT(X86_R10) | \
                                     RBIT(X86_R11)))

/* Host features the encoder may use, detected once by init(). */
typedef struct X86HostFeatures {
    bool lzcnt, bmi1;
} X86HostFeatures;

/* Process-wide backend state: set by init(), read while emitting blocks. */
typedef struct X86BackendState {
    BackendEnv env;
    uintptr_t epilogue_rx;   /* returns rax to entry()'s caller */
    X86HostFeatures feat;
} X86BackendState;

extern X86BackendState x86_state;

/* Where a temp's value is during code generation. */
typedef struct X86TempLoc {
    int8_t reg;        /* host register holding it, or -1 */
    bool mem_ok;       /* memory home (global) / spill slot (local) is current */
    bool cross;        /* local used on both sides of a label */
    int32_t slot;      /* spill slot, or -1 */
} X86TempLoc;

enum {
    X86_LABEL_HAS_REGS = 1,   /* label_regs holds a state from a branch */
    X86_LABEL_BACK_EDGE = 2,  /* a branch after the label jumps back to it */
    X86_LABEL_LOOP_REGS = 4,  /* label_regs is a loop header's map, which
                                 every backward branch to it establishes */
};

/* In X86Ctx.dead: output 0 is a global that a later op reads. */
#define X86_DEAD_OUT_REREAD 0x8000

typedef struct X86Fixup {
    uint32_t disp_off;   /* rel32 displacement to patch */
    uint32_t target;     /* label id, or stub kind */
} X86Fixup;

/* One block's code generation. */
typedef struct X86Ctx {
    X86Asm a;
    const IRBlock *b;
    BackendBlock *out;
    X86TempLoc *t;           /* per temp */
    uint16_t *dead;          /* per op: bit k set = args[k] is not used after the op,
                                plus X86_DEAD_OUT_REREAD */
    int owner[16];           /* temp held by each register, or -1 */
    unsigned lru[16];        /* op index of the register's last use */
    uint16_t locked;         /* registers the current op relies on */
    unsigned op_index;
    int32_t *free_slots;     /* stack of free spill slots */
    unsigned n_free_slots;
    int32_t next_slot;       /* slots below this have been handed out */
    uint32_t *label_off;     /* per label: code offset, or UINT32_MAX */
    uint32_t *label_at;      /* per label: its op index */
    /* per label: the header of the innermost loop it lies in (itself for
     * a header), whose register map it shares, or -1 */
    int *label_loop;
    uint32_t *loop_end;      /* per header: op index of its last back branch */
    /* Per label: register contents every forward branch to it agrees on
     * (16 owners each, -1 = nothing), and flags (X86_LABEL_*). */
    int *label_regs;
    uint8_t *label_flags;
    bool reachable;          /* the current op can be reached by falling through */
    X86Fixup *label_fix;
    unsigned n_label_fix, cap_label_fix;
    /* The host flags as left by the last compare x86_cmp_emit() wrote,
     * while no instruction since has changed them (flags_valid). */
    bool flags_valid;
    uint8_t flags_kind;      /* which compare instruction (X86CmpKind) */
    bool flags_w64;
    int8_t flags_ra, flags_rb;
    int32_t flags_imm;
    IRTemp flags_ta, flags_tb;
    unsigned flags_op;       /* op index that set them */
    bool flags_from_result;  /* set by an and/or/xor writing flags_ta itself */
    uint32_t *exit_check_fix;  /* jne displacements to the exit-request stub */
    unsigned n_exit_check_fix, cap_exit_check_fix;
    unsigned insn_idx;
    /* "addr_t = add addr_base, $addr_disp" not emitted: the next op is a
     * guest access through addr_t, which uses [r14 + base + disp]
     * (addr_t == IR_TEMP_NONE: nothing pending). */
    IRTemp addr_t, addr_base;
    int32_t addr_disp;
    bool addr_base_dies;     /* a local whose last use was the add */
    /* "idx_t = shl idx_src, $idx_shift" not emitted: the next op is an add
     * of idx_t, emitted as lea [other + idx_src << idx_shift]. */
    IRTemp idx_t, idx_src;
    unsigned idx_shift;
    bool idx_src_dies;       /* a local whose last use was the shl */
} X86Ctx;

/* ---- register allocation (x86-regalloc.c) ---- */
void ra_liveness(X86Ctx *c);
void ra_begin(X86Ctx *c);
/* A free register from `allowed` (evicting if needed), locked for the op. */
int ra_alloc(X86Ctx *c, uint16_t allowed);
/* Temp t's value in a register from `allowed`, locked.  Constants are
 * materialised in an unbound (scratch) register. */
int ra_load(X86Ctx *c, IRTemp t, uint16_t allowed);
/* A register for output temp `out`: its current register when that is
 * free to overwrite, else a fresh one. */
int ra_out(X86Ctx *c, IRTemp out, uint16_t allowed);
/* Make register r hold nothing, moving or spilling its temp; locks r. */
void ra_reserve(X86Ctx *c, int r);
/* out's value is now in register r (memory stale). */
void ra_bind(X86Ctx *c, IRTemp out, int r);
/* Forget register r's temp (no store). */
void ra_unbind(X86Ctx *c, int r);
/* Store a register-held temp to its memory home / spill slot. */
void ra_spill(X86Ctx *c, IRTemp t);
void ra_sync_globals(X86Ctx *c);          /* write back dirty globals, keep them */
void ra_spill_cross(X86Ctx *c);           /* spill dirty cross locals */
void ra_drop_all(X86Ctx *c);              /* registers hold nothing */
/* Memory home of a temp (global offset or spill slot), allocating a slot. */
X86Mem ra_home(X86Ctx *c, IRTemp t);
/* A local's value is dead: free its register and spill slot. */
void ra_release_local(X86Ctx *c, IRTemp t);
/* After the op: release dying inputs and unused outputs, unlock. */
void ra_end_op(X86Ctx *c, const IROp *op);
/* Does input i of op die here (a local's last use)? */
static inline bool ra_in_dies(const X86Ctx *c, const IROp *op, unsigned i)
{
    return (c->dead[c->op_index] >> (op->n_out + i)) & 1;
}

static inline bool ra_is_w64(const X86Ctx *c, IRTemp t) { return c->b->temps[t].type == IR_I64; }

/* t's value in fixed register r, locked (not to be clobbered: r stays
 * bound to t when t is not a constant). */
void ra_load_fixed(X86Ctx *c, IRTemp t, int r);
/* A copy of t's value in fixed register r, which the op may clobber; r is
 * left unbound and locked.  `dies`: t is not needed after the op. */
void ra_copy_fixed(X86Ctx *c, IRTemp t, int r, bool dies);

/* ---- operand helpers ---- */
static inline bool x86_is_const(const X86Ctx *c, IRTemp t) { return c->b->temps[t].kind == IR_TEMP_CONST; }
static inline uint64_t x86_const_val(const X86Ctx *c, IRTemp t) { return c->b->temps[t].value; }
/* Is t a constant usable as a (sign-extended) imm32 of its type's width? */
static inline bool x86_imm_of(const X86Ctx *c, IRTemp t, int32_t *imm)
{
    const IRTempInfo *ti = &c->b->temps[t];
    if (ti->kind != IR_TEMP_CONST)
        return false;
    if (ti->type == IR_I32 || (int64_t)ti->value == (int32_t)ti->value) {
        *imm = (int32_t)ti->value;
        return true;
    }
    return false;
}

/* ---- per-op code ---- */
/* x86-emit-alu.c: value ops (arithmetic, logic, shifts, bitfields,
 * comparisons).  Returns false for an op it does not handle. */
bool x86_emit_alu(X86Ctx *c, const IROp *op);
/* May op (a shl by 1..3) be left out and folded into the next op (an add)
 * as a scaled index? */
bool x86_defer_scaled_shift(X86Ctx *c, const IROp *op, const IROp *next);
/* Comparison operands, loaded before any flag-setting instruction. */
typedef struct X86Cmp {
    IRCond cond;
    bool w64, bimm;
    int ra, rb;
    int32_t imm;
    IRTemp ta, tb;           /* the IR operands (after swapping a constant right) */
} X86Cmp;
/* Returns false when the outcome is known at translation time (*known). */
bool x86_cmp_prep(X86Ctx *c, IRCond cond, IRTemp a, IRTemp b, X86Cmp *k, bool *known);
X86Cond x86_cmp_emit(X86Ctx *c, const X86Cmp *k);
/* Would x86_cmp_emit() emit nothing because the flags are already set? */
bool x86_cmp_flags_live(const X86Ctx *c, const X86Cmp *k);
/* x86-emit-fp.c: the floating-point ops (fadd ... fcvtz_f64_s32) with SSE2. */
bool x86_emit_fp(X86Ctx *c, const IROp *op);
/* x86-emit-mem.c: ld, st, cmpxchg, mb, ld_env, st_env. */
bool x86_emit_mem(X86Ctx *c, const IROp *op);
/* May op (an add) be left out and folded into the next op's guest address? */
bool x86_defer_address_add(X86Ctx *c, const IROp *op, const IROp *next);
/* x86-emit-block.c: the block driver, control flow, calls and exits. */
int x86_emit_block(CodeBuf *cb, const IRBlock *b, BackendBlock *out);

/* ---- prologue, epilogue, chaining (x86-prologue.c) ---- */
uintptr_t x86_init(CodeBuf *cb, const BackendEnv *env);
void x86_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target);

#endif
