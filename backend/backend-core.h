/*
 * backend-core.h — the host-neutral half of every backend: liveness,
 * register allocation with spill slots, label and loop register maps, the
 * per-op emission driver, fixups, insn_off recording and the bookkeeping of
 * exits.  A host (backend-x86_64/, later backend-aarch64/) gives its
 * registers, constraints, instruction selection and encoding through one
 * `BackendHost` table; the core never emits an instruction itself.
 *
 * The split follows LuaJIT's lj_asm.c + lj_asm_<arch>.h and QEMU's tcg.c +
 * tcg-target, but binds the host at run time through a const table of
 * function pointers rather than by including a per-host header: the core is
 * compiled once, a unit test can drive it with a toy host, and two hosts
 * can live in one program (an aarch64 encoder tested on x86 with capstone).
 * The calls are per emitted move/load/jump, a small cost next to emitting
 * the instruction.  docs/backend.md lists what a host must provide.
 *
 * Inside one block's code generation (BackendCtx):
 *   - registers are numbered 0 .. host->n_regs - 1 (at most
 *     BACKEND_MAX_REGS) and sets of them are BackendRegSet bit masks;
 *   - each temp is in a register, in memory (a global's home in the cpu
 *     state, a local's spill slot), or both; a register has one owner;
 *   - host emitters ask for operands with ra_load/ra_out/ra_alloc/...,
 *     which lock the registers for the current op; the driver unlocks
 *     them and releases dying temps after the op (ra_end_op).
 */
#ifndef VEMU_BACKEND_CORE_H
#define VEMU_BACKEND_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/backend.h"
#include "ir/ir.h"
#include "backend-asm.h"

#define BACKEND_MAX_REGS 64
typedef uint64_t BackendRegSet;
#define BACKEND_REG(r) ((BackendRegSet)1 << (r))

typedef struct BackendCtx BackendCtx;

/* Host condition codes are the host's own small integers (>= 0); a
 * compare whose outcome is known at translation time returns one of these. */
enum { BACKEND_CC_ALWAYS = -1, BACKEND_CC_NEVER = -2 };

/* What a host provides.  Every hook receives the block's context; the
 * host's own per-block state hangs off ctx->h (see begin_block). */
typedef struct BackendHost {
    const char *name;                /* for messages: "x86_64" */

    /* ---- registers ---- */
    unsigned n_regs;                 /* registers the core tracks: 0 .. n_regs - 1 */
    BackendRegSet alloc_regs;        /* those the allocator may hand out */
    BackendRegSet caller_saved;      /* clobbered by a helper call */
    unsigned n_spill_slots;          /* spill slots in the frame (one per temp at most) */
    /* Optional: registers the host encodes shorter; first-tier blocks
     * (IRBlock.quick) prefer them, even over keeping a clean value */
    BackendRegSet short_regs;

    /* ---- code layout ---- */
    unsigned max_op_size;            /* no op (nor the exit-request stub) emits more bytes */
    unsigned code_align;             /* blocks start at a multiple (power of two) */
    uint8_t pad_byte;                /* fills the gap before a block (a trap on the host) */

    /* ---- moves between registers and memory homes ----
     * Whole registers: mov/xchg copy all of it (an i32 value keeps the
     * host's invariant for i32s, e.g. x86's clear upper half). */
    void (*mov)(BackendCtx *c, int dst, int src);
    void (*xchg)(BackendCtx *c, int r1, int r2);
    void (*movi)(BackendCtx *c, bool w64, int r, uint64_t value);
    /* Register r from / to temp t's memory home: a global's offset in the
     * cpu state, a local's spill slot ctx->t[t].slot (already allocated),
     * with t's type's width. */
    void (*load)(BackendCtx *c, int r, IRTemp t);
    void (*store)(BackendCtx *c, int r, IRTemp t);

    /* ---- control flow inside the block ----
     * cc < 0 means unconditional. */
    int (*invert_cond)(int cc);
    /* A jump to an rx address already emitted (backward). */
    void (*jump)(BackendCtx *c, int cc, uintptr_t target);
    /* A jump whose target is set later: returns a handle for patch(). */
    uint32_t (*jump_fwd)(BackendCtx *c, int cc);
    /* Optional: the same with a short reach, for a forward jump to a label
     * that the core knows lies at most near_jump_reach bytes after the
     * jump's end: the label is separated from it only by block exits
     * (goto_tb, exit_tb, constant stores to globals, discards), each at most
     * max_exit_op_size bytes (a conditional branch around a chained exit). */
    uint32_t (*jump_fwd_near)(BackendCtx *c, int cc);
    unsigned near_jump_reach;
    unsigned max_exit_op_size;
    /* Optional: a typical size of other ops.  With it the core also guesses
     * which labels (and the exit-request stub, BackendCtx.exit_check_near)
     * are near; patch() sets BackendCtx.near_missed when a short jump does
     * not reach, and the block is emitted again with long jumps only. */
    unsigned near_jump_est_op;
    void (*patch)(BackendCtx *c, uint32_t handle, uintptr_t target);
    /* Compare a with b for brcond: returns the host condition that is true
     * when `cond` holds, or BACKEND_CC_ALWAYS/NEVER (nothing emitted). */
    int (*compare)(BackendCtx *c, IRCond cond, IRTemp a, IRTemp b);

    /* ---- ops ---- */
    /* Before the first op: reset the host's per-block state (ctx->h). */
    void (*begin_block)(BackendCtx *c);
    /* May op be left out because the host folds it into `next` (e.g. an
     * address add into the following access)?  NULL: never. */
    bool (*fold_op)(BackendCtx *c, const IROp *op, const IROp *next);
    /* Value, memory and floating-point ops; false: not one of those (the
     * core then handles labels, branches, calls and exits). */
    bool (*emit_op)(BackendCtx *c, const IROp *op);
    /* After each op, folded or not (e.g. forget tracked host flags).  NULL: nothing. */
    void (*after_op)(BackendCtx *c, const IROp *op);

    /* ---- helper calls ----
     * The core has written back the globals the helper may read or write
     * and saved live values out of caller-saved registers.  call_args puts
     * the arguments (and the env pointer, IR_HELPER_PASS_ENV) where the
     * host ABI wants them, reading them through ctx->t (ra_parallel_moves
     * helps); the core then forgets caller-saved registers and the globals
     * the helper writes; call_emit emits the call and returns the register
     * holding the result (op->n_out == 1; an i32 result obeying the host's
     * i32 invariant), or -1. */
    void (*call_args)(BackendCtx *c, const IROp *op, const IRHelper *h);
    int (*call_emit)(BackendCtx *c, const IROp *op, const IRHelper *h);

    /* ---- exits (the core has written back every global) ---- */
    void (*exit_tb)(BackendCtx *c, unsigned kind);        /* return tb_tag | kind */
    void (*raise)(BackendCtx *c, int32_t excp);           /* exception_index = excp; exit */
    /* exit_check: test exit_request, jump (forward, patched to the stub
     * later) when set; returns the jump's handle. */
    uint32_t (*exit_check)(BackendCtx *c);
    /* tier_count: decrement the int32 at cpu_offset from the cpu state and
     * jump (forward, patched to the exit-request stub like exit_check's)
     * when it reaches zero; returns the jump's handle. */
    uint32_t (*tier_count)(BackendCtx *c, int32_t cpu_offset);
    /* The block's one out-of-line exit-request stub. */
    void (*exit_request_stub)(BackendCtx *c);
    /* Optional (false: the stub always follows the block): when the
     * stub is not near the end, the core may place it right after the
     * block's leading checks instead (BackendCtx.exit_stub_inline); the
     * host's exit_check/tier_count then honour exit_check_skip and
     * exit_stub_rx. */
    bool exit_stub_inline;
    /* Optional: after the last op, before the exit-request stub (which
     * follows when stubs_follow): the host's shared per-block code, e.g.
     * x86_64's exit tail that every exit of the block jumps to.  It may
     * place the stub itself (falling into that code): it then sets
     * BackendCtx.exit_stub_rx. */
    void (*end_block)(BackendCtx *c, bool stubs_follow);
    /* goto_tb: a patchable jump falling through; its offset and the
     * offset it falls through to (both from the block start). */
    void (*goto_tb)(BackendCtx *c, uint32_t *jmp_off, uint32_t *reset_off);
    /* Optional: goto_tb and the exit after it when exec makes that exit's
     * store (BackendBlock.exit_stores_by_exec): a patchable jump whose
     * unpatched target leaves with tb_tag | kind.  The host sets
     * out->jmp_insn_off[slot] and out->jmp_reset_off[slot] (the latter
     * possibly later, when the target is placed, but before emit_block
     * returns). */
    void (*goto_tb_exit)(BackendCtx *c, unsigned slot, unsigned kind);
    /* goto_lookup and goto_lookup_pc (the inline jump-cache probe). */
    void (*goto_lookup)(BackendCtx *c, const IROp *op);
} BackendHost;

/* Where a temp's value is during code generation. */
typedef struct BackendTempLoc {
    int8_t reg;        /* host register holding it, or -1 */
    bool mem_ok;       /* memory home (global) / spill slot (local) is current */
    bool cross;        /* local used on both sides of a label */
    int32_t slot;      /* spill slot, or -1 */
} BackendTempLoc;

enum {
    BACKEND_LABEL_HAS_REGS = 1,   /* label_regs holds a state from a branch */
    BACKEND_LABEL_BACK_EDGE = 2,  /* a branch after the label jumps back to it */
    BACKEND_LABEL_LOOP_REGS = 4,  /* label_regs is a loop header's map, which
                                     every backward branch to it establishes */
};

/* In BackendCtx.dead: output 0 is a global that a later op reads. */
#define BACKEND_DEAD_OUT_REREAD 0x8000

typedef struct BackendFixup {
    uint32_t handle;     /* from jump_fwd */
    uint32_t label;
} BackendFixup;

struct BackendHostCtx;   /* each host's per-block state, its own definition */

/* One block's code generation. */
struct BackendCtx {
    const BackendHost *host;
    struct BackendHostCtx *h;
    BackendAsm a;
    const IRBlock *b;
    BackendBlock *out;
    BackendTempLoc *t;       /* per temp */
    uint16_t *dead;          /* per op: bit k set = args[k] is not used after the op,
                                plus BACKEND_DEAD_OUT_REREAD */
    int owner[BACKEND_MAX_REGS];     /* temp held by each register, or -1 */
    unsigned lru[BACKEND_MAX_REGS];  /* op index of the register's last use */
    BackendRegSet locked;    /* registers the current op relies on */
    /* a global may be in a register and not in memory (set by ra_bind,
     * cleared by ra_sync_globals, which returns at once while clear) */
    bool globals_dirty;
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
     * (host->n_regs owners each, -1 = nothing), and flags (BACKEND_LABEL_*). */
    int *label_regs;
    uint8_t *label_flags;
    bool reachable;          /* the current op can be reached by falling through */
    BackendFixup *label_fix;
    unsigned n_label_fix, cap_label_fix;
    uint32_t *exit_check_fix;  /* exit_check jumps to the exit-request stub */
    unsigned n_exit_check_fix, cap_exit_check_fix;
    unsigned insn_idx;
    /* Short forward jumps (BackendHost.near_jump_est_op): none in this
     * attempt; the exit-request stub is guessed near; a guess was wrong. */
    bool far_only, exit_check_near, near_missed;
    /* BackendHost.exit_stub_inline: the stub goes after the block's
     * leading exit_check/tier_count (each a short jump to it; the last one
     * jumps over it, exit_check_skip, when its condition does not hold);
     * exit_stub_rx is its address once placed (later checks jump there,
     * host handle UINT32_MAX: nothing to patch). */
    bool exit_stub_inline, exit_check_skip;
    uintptr_t exit_stub_rx;
    /* ops before this index are left out (an exit goto_tb_exit emitted) */
    unsigned skip_to;
};

/* Emit one block with `host` (Backend.emit_block): 0, or -1 when the
 * buffer is full. */
int backend_emit_block(const BackendHost *host, CodeBuf *cb, const IRBlock *b, BackendBlock *out);

/* ---- register allocation (regalloc.c) ---- */
void ra_liveness(BackendCtx *c);
void ra_begin(BackendCtx *c);
/* A free register from `allowed` (evicting if needed), locked for the op. */
int ra_alloc(BackendCtx *c, BackendRegSet allowed);
/* Temp t's value in a register from `allowed`, locked.  Constants are
 * materialised in an unbound (scratch) register. */
int ra_load(BackendCtx *c, IRTemp t, BackendRegSet allowed);
/* A register for output temp `out`: its current register when that is
 * free to overwrite, else a fresh one. */
int ra_out(BackendCtx *c, IRTemp out, BackendRegSet allowed);
/* Make register r hold nothing, moving or spilling its temp; locks r. */
void ra_reserve(BackendCtx *c, int r);
/* out's value is now in register r (memory stale). */
void ra_bind(BackendCtx *c, IRTemp out, int r);
/* Forget register r's temp (no store). */
void ra_unbind(BackendCtx *c, int r);
/* Store a register-held temp to its memory home / spill slot. */
void ra_spill(BackendCtx *c, IRTemp t);
void ra_sync_globals(BackendCtx *c);      /* write back dirty globals, keep them */
void ra_spill_cross(BackendCtx *c);       /* spill dirty cross locals */
void ra_drop_all(BackendCtx *c);          /* registers hold nothing */
/* Globals overlapping cpu-state bytes [off, off + size) (ld_env/st_env):
 * write back (and, for a store, forget) their registers so the access
 * sees/keeps the truth. */
void ra_env_alias(BackendCtx *c, uint32_t off, unsigned size, bool write);
/* A local's spill slot, allocated on first use (its memory home). */
int32_t ra_slot(BackendCtx *c, IRTemp t);
/* A local's value is dead: free its register and spill slot. */
void ra_release_local(BackendCtx *c, IRTemp t);
/* After the op: release dying inputs and unused outputs, unlock. */
void ra_end_op(BackendCtx *c, const IROp *op);
/* t's value in fixed register r, locked (not to be clobbered: r stays
 * bound to t when t is not a constant). */
void ra_load_fixed(BackendCtx *c, IRTemp t, int r);
/* A copy of t's value in fixed register r, which the op may clobber; r is
 * left unbound and locked.  `dies`: t is not needed after the op. */
void ra_copy_fixed(BackendCtx *c, IRTemp t, int r, bool dies);

/* Register moves that happen "at once" (no move reads a register an
 * earlier one wrote), with host mov/xchg; cycles are broken by xchg. */
typedef struct BackendMove { int dst, src; } BackendMove;
void ra_parallel_moves(BackendCtx *c, BackendMove *mv, unsigned n);

/* Does input i of op die here (a local's last use)? */
static inline bool ra_in_dies(const BackendCtx *c, const IROp *op, unsigned i)
{
    return (c->dead[c->op_index] >> (op->n_out + i)) & 1;
}
static inline bool ra_is_w64(const BackendCtx *c, IRTemp t) { return c->b->temps[t].type == IR_I64; }

/* Is the label guessed within a short jump of the current op (emit.c)? */
bool backend_label_guess_near(const BackendCtx *c, unsigned label);

/* ---- labels and loops (labels.c), used by the driver ---- */
void backend_find_loops(BackendCtx *c);
void backend_jump_to_label(BackendCtx *c, int cc, unsigned label);
void backend_place_label(BackendCtx *c, unsigned label);
/* Everything a branch target expects in memory is there. */
void backend_end_basic_block(BackendCtx *c);

/* For the driver's and the labels' growable arrays. */
void *backend_grow(void *p, size_t n);

#endif
