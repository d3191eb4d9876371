/*
 * labels.c — register state across labels and loops, for any host.
 *
 * Before a branch or a label every modified global is written back and
 * every modified cross local is spilled, so all values in registers are
 * clean there.  Each forward branch records the register contents (globals
 * and cross locals) at the jump; a label keeps what all of its ways in
 * agree on.  A loop header instead gets a register map that every way into
 * the loop establishes (docs/backend.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-core.h"

void *backend_grow(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* ---- labels ----------------------------------------------------------------- */

/* Which register contents can survive a jump to a label: globals and
 * cross-block locals, which end_basic_block() has made clean. */
static int surviving_owner(const BackendCtx *c, int r)
{
    int t = c->owner[r];
    if (t < 0)
        return -1;
    if (c->b->temps[t].kind == IR_TEMP_GLOBAL || c->t[t].cross)
        return t;
    return -1;
}

/* Intersect the label's incoming register state with the current one. */
static void label_merge(BackendCtx *c, unsigned label)
{
    int *s = &c->label_regs[label * c->host->n_regs];
    if (!(c->label_flags[label] & BACKEND_LABEL_HAS_REGS)) {
        for (int r = 0; r < (int)c->host->n_regs; r++)
            s[r] = surviving_owner(c, r);
        c->label_flags[label] |= BACKEND_LABEL_HAS_REGS;
    } else {
        for (int r = 0; r < (int)c->host->n_regs; r++)
            if (s[r] != surviving_owner(c, r))
                s[r] = -1;
    }
}

/* ---- loops ------------------------------------------------------------------
 *
 * A label that a later branch jumps back to is a loop header.  Instead of
 * starting it with empty registers (and reloading every guest register on
 * every iteration), the header gets a register map: the globals the loop
 * reads before writing, each in a register, loaded once on the way in.
 * Every backward branch re-establishes the map (everything is clean at a
 * branch, so this is register moves plus loads of what was evicted), and
 * the loop body runs with its guest registers in host registers: a
 * pointer chase `ldr r1, [r1]` then depends on a register, not on a store
 * to the cpu state forwarded to the next iteration's load. */
#define BACKEND_LOOP_MAX_REGS 8

/* How many globals a loop map holds: up to 8, and always two allocatable
 * registers fewer than the host has, so the loop body can still work on a
 * host with few registers. */
static unsigned loop_max_regs(const BackendCtx *c)
{
    unsigned n = (unsigned)__builtin_popcountll(c->host->alloc_regs);
    n = n > 2 ? n - 2 : 0;
    return n < BACKEND_LOOP_MAX_REGS ? n : BACKEND_LOOP_MAX_REGS;
}

/* Globals read before written between the label at op index `at` and the
 * last branch back to it, in order of first use (at most `max`). */
static unsigned loop_globals(const BackendCtx *c, unsigned at, unsigned label, IRTemp *out, unsigned max)
{
    const IRBlock *b = c->b;
    unsigned end = at;
    for (unsigned i = at + 1; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if ((op->opc == IR_OP_br && ir_op_const(op, 0) == label) ||
            (op->opc == IR_OP_brcond && ir_op_const(op, 1) == label))
            end = i;
    }
    uint64_t seen[(b->n_globals + 63) / 64 + 1];
    memset(seen, 0, sizeof(seen));
    unsigned n = 0;
    for (unsigned i = at + 1; i < end && n < max; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_discard)
            continue;
        for (unsigned k = 0; k < op->n_in && n < max; k++) {
            IRTemp t = ir_op_in(op, k);
            if (b->temps[t].kind != IR_TEMP_GLOBAL || (seen[t / 64] >> (t % 64) & 1))
                continue;
            seen[t / 64] |= 1ull << (t % 64);
            out[n++] = t;
        }
        for (unsigned k = 0; k < op->n_out; k++) {
            IRTemp t = ir_op_out(op, k);
            if (b->temps[t].kind == IR_TEMP_GLOBAL)
                seen[t / 64] |= 1ull << (t % 64);
        }
    }
    return n;
}

/* At a loop header reached by falling through (everything clean): put the
 * loop's globals in registers and make that the header's map. */
static void enter_loop_header(BackendCtx *c, unsigned label)
{
    IRTemp g[BACKEND_LOOP_MAX_REGS];
    unsigned n = loop_globals(c, c->label_at[label], label, g, loop_max_regs(c));
    for (unsigned i = 0; i < n; i++)           /* already there: stays */
        if (c->t[g[i]].reg >= 0)
            c->locked |= BACKEND_REG(c->t[g[i]].reg);
    for (unsigned i = 0; i < n; i++) {
        if (c->t[g[i]].reg >= 0)
            continue;
        int r = ra_alloc(c, c->host->alloc_regs);   /* evicts clean values only */
        c->host->load(c, r, g[i]);
        ra_bind(c, g[i], r);
        c->t[g[i]].mem_ok = true;
    }
    int *map = &c->label_regs[label * c->host->n_regs];
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        int t = c->owner[r];
        bool keep = false;
        for (unsigned i = 0; i < n && !keep; i++)
            keep = t == (int)g[i];
        if (!keep)
            ra_unbind(c, r);
        map[r] = keep ? t : -1;
    }
    c->label_flags[label] |= BACKEND_LABEL_LOOP_REGS;
}

/* label_loop: every label inside a loop (between its header and the last
 * branch back to it) shares the innermost such loop's map, so the loop's
 * guest registers stay in the same host registers on every path through
 * it, not only on the way back to the header. */
void backend_find_loops(BackendCtx *c)
{
    const IRBlock *b = c->b;
    for (unsigned i = 0; i < b->n_labels; i++) {
        c->label_off[i] = UINT32_MAX;
        c->label_at[i] = UINT32_MAX;
        c->label_flags[i] = 0;
    }
    unsigned nl = b->n_labels;
    if (!nl)                  /* no labels, no branches: nothing to find */
        return;
    /* Labels reached by a backward branch: placed before a branch to them. */
    bool back = false;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        unsigned l;
        if (op->opc == IR_OP_label) {
            c->label_flags[ir_op_const(op, 0)] |= BACKEND_LABEL_HAS_REGS;   /* "placed", reset below */
            c->label_at[ir_op_const(op, 0)] = i;
            continue;
        }
        if (op->opc == IR_OP_br)
            l = (unsigned)ir_op_const(op, 0);
        else if (op->opc == IR_OP_brcond)
            l = (unsigned)ir_op_const(op, 1);
        else
            continue;
        if (c->label_flags[l] & BACKEND_LABEL_HAS_REGS) {
            c->label_flags[l] |= BACKEND_LABEL_BACK_EDGE;
            back = true;
        }
    }
    for (unsigned i = 0; i < nl; i++)
        c->label_flags[i] &= (uint8_t)~BACKEND_LABEL_HAS_REGS;

    uint32_t *end = c->loop_end;
    for (unsigned l = 0; l < nl; l++) {
        end[l] = 0;
        c->label_loop[l] = -1;
    }
    if (!back)                /* no loop (all of the first tier's blocks) */
        return;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc != IR_OP_br && op->opc != IR_OP_brcond)
            continue;
        unsigned l = (unsigned)ir_op_const(op, op->opc == IR_OP_br ? 0 : 1);
        if (c->label_flags[l] & BACKEND_LABEL_BACK_EDGE)
            end[l] = i;
    }
    /* the headers first: blocks have a few loops but may have hundreds of
     * labels (one per conditional instruction) */
    unsigned hdr[16], n_hdr = 0;                  /* more loops keep no maps */
    for (unsigned h = 0; h < nl && n_hdr < 16; h++)
        if (c->label_flags[h] & BACKEND_LABEL_BACK_EDGE)
            hdr[n_hdr++] = h;
    for (unsigned l = 0; l < nl; l++) {
        int best = -1;
        for (unsigned k = 0; k < n_hdr; k++) {
            unsigned h = hdr[k];
            if (c->label_at[h] <= c->label_at[l] && c->label_at[l] < end[h] &&
                (best < 0 || c->label_at[h] > c->label_at[best]))
                best = (int)h;
        }
        c->label_loop[l] = best;
    }
}

/* A loop header first reached by a branch: choose its map now, keeping
 * globals that are in registers where they are, the rest in free
 * registers (else any: at a branch everything is clean). */
static void choose_loop_map(BackendCtx *c, unsigned label)
{
    IRTemp g[BACKEND_LOOP_MAX_REGS];
    unsigned n = loop_globals(c, c->label_at[label], label, g, loop_max_regs(c));
    int *map = &c->label_regs[label * c->host->n_regs];
    BackendRegSet used = 0;
    for (int r = 0; r < (int)c->host->n_regs; r++)
        map[r] = -1;
    for (unsigned i = 0; i < n; i++)
        if (c->t[g[i]].reg >= 0) {
            map[(int)c->t[g[i]].reg] = (int)g[i];
            used |= BACKEND_REG(c->t[g[i]].reg);
        }
    for (unsigned i = 0; i < n; i++) {
        if (c->t[g[i]].reg >= 0)
            continue;
        int pick = -1;
        for (int r = 0; r < (int)c->host->n_regs && pick < 0; r++)
            if ((c->host->alloc_regs & BACKEND_REG(r)) && !(used & BACKEND_REG(r)) && c->owner[r] < 0)
                pick = r;
        for (int r = 0; r < (int)c->host->n_regs && pick < 0; r++)
            if ((c->host->alloc_regs & BACKEND_REG(r)) && !(used & BACKEND_REG(r)))
                pick = r;
        map[pick] = (int)g[i];
        used |= BACKEND_REG(pick);
    }
    c->label_flags[label] |= BACKEND_LABEL_LOOP_REGS;
}

/* Does every register of the header's map hold its global? */
static bool loop_map_holds(const BackendCtx *c, const int *map)
{
    for (int r = 0; r < (int)c->host->n_regs; r++)
        if (map[r] >= 0 && c->owner[r] != map[r])
            return false;
    return true;
}

/* Before a backward branch (everything clean): emit the moves and loads
 * that establish the header's map.  The allocator state is left alone: it
 * describes the path that does not take the branch. */
static void emit_loop_map_moves(BackendCtx *c, const int *map)
{
    int n_regs = (int)c->host->n_regs;
    int src[BACKEND_MAX_REGS];
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        src[r] = -2;                            /* nothing to do */
        if (map[r] >= 0 && c->owner[r] != map[r])
            src[r] = c->t[map[r]].reg;          /* a register, or -1: memory */
    }
    /* register to register, as one parallel move (a global has one
     * register, so the sources are distinct); cycles are broken by xchg */
    for (;;) {
        int pick = -1, any = -1;
        for (int d = 0; d < n_regs && pick < 0; d++) {
            if (src[d] < 0)
                continue;
            any = d;
            bool is_source = false;
            for (int o = 0; o < n_regs; o++)
                is_source |= o != d && src[o] == d;
            if (!is_source)
                pick = d;
        }
        if (any < 0)
            break;
        if (pick >= 0) {      /* whole registers: i32 values stay zero-extended */
            c->host->mov(c, pick, src[pick]);
            src[pick] = -2;
        } else {
            int d = any, from = src[d];
            c->host->xchg(c, d, from);
            src[d] = -2;
            for (int o = 0; o < n_regs; o++)
                if (src[o] == d)
                    src[o] = from;
        }
    }
    for (int r = 0; r < (int)c->host->n_regs; r++)
        if (src[r] == -1) {
            IRTemp t = (IRTemp)map[r];
            c->host->load(c, r, t);
        }
}

/* Does the label come after the current op with only block exits in
 * between, so that a short forward jump reaches it (BackendHost.jump_fwd_near)?
 * Typical: "brcond L; goto_tb 0; pc = $x; exit_tb; L:". */
static bool label_is_near(const BackendCtx *c, unsigned label)
{
    const BackendHost *host = c->host;
    if (c->far_only || !host->jump_fwd_near || !host->max_exit_op_size)
        return false;       /* far_only: the second attempt has long jumps only */
    unsigned end = c->label_at[label], bytes = 0;
    if (end <= c->op_index || end > c->b->n_ops)
        return false;
    /* The label must not be reached by falling through (that could make it
     * emit loads to conform): the last op before it is an exit. */
    bool after_exit = false;
    for (unsigned j = c->op_index + 1; j < end; j++) {
        const IROp *op = &c->b->ops[j];
        switch ((IROpcode)op->opc) {
        case IR_OP_discard: case IR_OP_nop:
            continue;
        case IR_OP_mov:
            if (c->b->temps[ir_op_out(op, 0)].kind != IR_TEMP_GLOBAL ||
                c->b->temps[ir_op_in(op, 0)].kind != IR_TEMP_CONST)
                return false;
            break;
        case IR_OP_goto_tb: case IR_OP_exit_tb:
            break;
        default:
            return false;
        }
        after_exit = op->opc == IR_OP_exit_tb;
        bytes += host->max_exit_op_size;
        if (bytes > host->near_jump_reach)
            return false;
    }
    return after_exit;
}

/* An unconditional (cc < 0) or conditional jump to a label, placed or not. */
static void emit_jump(BackendCtx *c, int cc, unsigned label)
{
    uint32_t off = c->label_off[label];
    if (off != UINT32_MAX) {                 /* backward: already placed */
        uintptr_t target = c->a.rx_start + off;
        if (cc < 0)
            c->host->jump(c, -1, target);
        else
            c->host->jump(c, cc, target);
        return;
    }
    bool near = label_is_near(c, label) || backend_label_guess_near(c, label);
    uint32_t handle = near ? c->host->jump_fwd_near(c, cc) : c->host->jump_fwd(c, cc);
    if (c->n_label_fix == c->cap_label_fix) {
        c->cap_label_fix = c->cap_label_fix ? 2 * c->cap_label_fix : 32;
        c->label_fix = backend_grow(c->label_fix, c->cap_label_fix * sizeof(BackendFixup));
    }
    c->label_fix[c->n_label_fix++] = (BackendFixup){ handle, label };
}

void backend_jump_to_label(BackendCtx *c, int cc, unsigned label)
{
    int h = c->label_loop[label];
    if (h >= 0) {
        /* in a loop: every way in establishes the loop's register map */
        if (!(c->label_flags[h] & BACKEND_LABEL_LOOP_REGS))
            choose_loop_map(c, (unsigned)h);
        const int *map = &c->label_regs[h * c->host->n_regs];
        if (!loop_map_holds(c, map)) {
            uint32_t skip = 0;
            if (cc >= 0)                     /* only the taken path moves */
                skip = c->host->jump_fwd(c, c->host->invert_cond(cc));
            emit_loop_map_moves(c, map);
            emit_jump(c, -1, label);
            if (cc >= 0 && !c->a.overflow)
                c->host->patch(c, skip, backend_asm_rx_here(&c->a));
            return;
        }
        emit_jump(c, cc, label);
        return;
    }
    if (c->label_off[label] == UINT32_MAX)
        label_merge(c, label);
    emit_jump(c, cc, label);
}

/* The registers hold exactly the (clean) temps of regs[n_regs], -1 = none. */
static void install_regs(BackendCtx *c, const int *regs)
{
    ra_drop_all(c);
    for (int r = 0; r < (int)c->host->n_regs; r++)
        if (regs[r] >= 0) {
            c->owner[r] = regs[r];
            c->t[regs[r]].reg = (int8_t)r;
            c->t[regs[r]].mem_ok = true;
        }
}

/* Falling into a loop label whose map is chosen: establish it. */
static void conform_loop_map(BackendCtx *c, unsigned h)
{
    const int *map = &c->label_regs[h * c->host->n_regs];
    emit_loop_map_moves(c, map);
    install_regs(c, map);
}

/* Everything a branch target expects in memory is there. */
void backend_end_basic_block(BackendCtx *c)
{
    ra_sync_globals(c);
    ra_spill_cross(c);
}

/* Before a label that branches already reach: where a branch left a
 * global (or cross local) in register r and the fall-through has it in
 * another register, move it to r when the code after the label reads it,
 * so the label keeps it instead of reloading it.  Everything is clean here
 * (end_basic_block), so r's current occupant can simply be dropped: a
 * global or cross local is in memory, any other local is dead past the
 * label. */
/* Is temp t read after the op at index i before it is written, within
 * the basic block that follows? */
static bool read_soon(const BackendCtx *c, unsigned i, IRTemp t)
{
    const IRBlock *b = c->b;
    for (unsigned j = i + 1; j < b->n_ops; j++) {
        const IROp *op = &b->ops[j];
        if (op->opc == IR_OP_discard)
            continue;
        for (unsigned k = 0; k < op->n_in; k++)
            if (ir_op_in(op, k) == t)
                return true;
        for (unsigned k = 0; k < op->n_out; k++)
            if (ir_op_out(op, k) == t)
                return false;
        if (ir_op_defs[op->opc].flags & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END | IR_OPF_SYNC_GLOBALS) ||
            op->opc == IR_OP_call)
            return false;
    }
    return false;
}

static void conform_to_label(BackendCtx *c, unsigned label)
{
    const int *s = &c->label_regs[label * c->host->n_regs];
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        int t = s[r];
        if (t < 0 || c->owner[r] == t)
            continue;
        int from = c->t[t].reg;
        if (from < 0 || (c->locked & BACKEND_REG(r)) || !read_soon(c, c->op_index, (IRTemp)t))
            continue;    /* a mov for a value nobody reads costs more than it saves */
        if (c->owner[r] >= 0)
            ra_unbind(c, r);
        c->host->mov(c, r, from);
        c->owner[from] = -1;
        c->owner[r] = t;
        c->t[t].reg = (int8_t)r;
        c->lru[r] = c->lru[from];
    }
}

/* At a label the registers keep what every way in agrees on: the forward
 * branches (recorded by label_merge) and the fall-through.  A label that a
 * later branch jumps back to starts with nothing in registers. */
void backend_place_label(BackendCtx *c, unsigned label)
{
    backend_end_basic_block(c);
    int h = c->label_loop[label];
    if (h >= 0) {
        if (!(c->label_flags[h] & BACKEND_LABEL_LOOP_REGS) && c->reachable) {
            enter_loop_header(c, (unsigned)h);
        } else if (c->label_flags[h] & BACKEND_LABEL_LOOP_REGS) {
            if (c->reachable)
                conform_loop_map(c, (unsigned)h);
            else
                install_regs(c, &c->label_regs[h * c->host->n_regs]);
        } else {
            ra_drop_all(c);      /* reached by nothing but later branches */
        }
    } else if (c->label_flags[label] & BACKEND_LABEL_BACK_EDGE) {
        ra_drop_all(c);          /* a loop beyond the 16 that get maps */
    } else if (c->reachable) {
        if (c->label_flags[label] & BACKEND_LABEL_HAS_REGS)
            conform_to_label(c, label);
        label_merge(c, label);
        const int *s = &c->label_regs[label * c->host->n_regs];
        for (int r = 0; r < (int)c->host->n_regs; r++)
            if (c->owner[r] != s[r])
                ra_unbind(c, r);
    } else if (c->label_flags[label] & BACKEND_LABEL_HAS_REGS) {
        install_regs(c, &c->label_regs[label * c->host->n_regs]);
    } else {
        ra_drop_all(c);
    }
    c->label_off[label] = (uint32_t)backend_asm_offset(&c->a);
    c->reachable = true;
}

