/*
 * regalloc.c — register allocation within one IR block, for any host.
 *
 * A single forward pass, in the manner of a "local" allocator: every temp
 * is either in a host register, in memory (a global's home in the cpu
 * state, a local's spill slot on the stack), or both.  A backward liveness
 * pass first marks each operand's last use so a dying input's register can
 * be reused for the result, and unused results are freed at once.
 *
 * Basic blocks (split at labels, branches and block ends) are where the
 * allocator keeps it simple: before a branch or label every modified global
 * is written back and every dirty local that is used on both sides of a
 * label (a "cross" local, with its own spill slot) is spilled; a label keeps
 * only the register contents all its incoming edges agree on.  Inside a basic block values stay in
 * registers as long as there are registers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-core.h"

static bool is_bb_boundary(const IROp *op)
{
    unsigned f = ir_op_defs[op->opc].flags;
    return (f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END)) != 0;
}

static unsigned op_nargs(const IROp *op) { return op->n_out + op->n_in; }

void ra_liveness(BackendCtx *c)
{
    const IRBlock *b = c->b;
    unsigned nt = b->n_temps;
    /* per-temp scratch, kept across blocks (no malloc per block) */
    static __thread int32_t *first_bb;
    static __thread uint8_t *live;
    static __thread IRTemp *cross;
    static __thread unsigned cap;
    if (nt > cap) {
        cap = nt * 2;
        first_bb = backend_grow(first_bb, cap * sizeof(*first_bb));
        live = backend_grow(live, cap * sizeof(*live));
        cross = backend_grow(cross, cap * sizeof(*cross));
    }
    unsigned n_cross = 0;
    memset(live, 0, nt);
    /* only locals are looked up (temps from n_globals on) */
    for (unsigned i = b->n_globals; i < nt; i++)
        first_bb[i] = -1;

    /* Forward: which locals appear on both sides of a label.  Only labels
     * count: across a branch the fall-through keeps its registers, so a
     * local used on both sides of a brcond (but not of a label) needs no
     * special care; code after br/exit up to the next label is dead.
     * Without labels (most first-tier blocks) there is nothing to find. */
    int bb = 0;
    for (unsigned i = 0; b->n_labels && i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label)
            bb++;
        if (op->opc != IR_OP_discard) {
            for (unsigned k = 0; k < op_nargs(op); k++) {
                IRTemp t = (IRTemp)op->args[k];
                if (b->temps[t].kind != IR_TEMP_LOCAL)
                    continue;
                if (first_bb[t] < 0)
                    first_bb[t] = bb;
                else if (first_bb[t] != bb && !c->t[t].cross) {
                    c->t[t].cross = true;
                    cross[n_cross++] = t;
                }
            }
        }
    }

    /* Label positions, for loops: c->label_at (backend_find_loops). */
    const uint32_t *label_pos = c->label_at;

    /* Backward: last uses.  Cross locals are treated as live at every
     * basic-block boundary (conservative, and they have their own slot).
     * For globals, `live` means "read again later in the block" (a hint:
     * BACKEND_DEAD_OUT_REREAD), ignoring control flow, except that a branch
     * to a label inside a loop counts as reading every global the loop
     * reads (the loop keeps them in registers, labels.c).  Per op: the
     * outputs die (a local's bit k set when nothing reads it later), then
     * the inputs live (bit k set on a local's last use); globals and cross
     * locals are disjoint, so marking the cross locals at a boundary first
     * is the same as after the globals. */
    for (unsigned i = b->n_ops; i-- > 0;) {
        const IROp *op = &b->ops[i];
        uint16_t d = 0;
        if (op->opc == IR_OP_discard) {
            c->dead[i] = 0;
            continue;
        }
        if (op->opc == IR_OP_br || op->opc == IR_OP_brcond) {
            /* a branch into a loop: the loop's map is established on the
             * way, from registers when the globals are still in them */
            int h = c->label_loop[ir_op_const(op, op->opc == IR_OP_br ? 0 : 1)];
            if (h >= 0)
                for (unsigned j = label_pos[h]; j < c->loop_end[h] && j < b->n_ops; j++) {
                    const IROp *o = &b->ops[j];
                    if (o->opc != IR_OP_discard)
                        for (unsigned k = 0; k < o->n_in; k++)
                            if (b->temps[ir_op_in(o, k)].kind == IR_TEMP_GLOBAL)
                                live[ir_op_in(o, k)] = 1;
                }
        }
        if (op->n_out && b->temps[op->args[0]].kind == IR_TEMP_GLOBAL && live[op->args[0]])
            d |= BACKEND_DEAD_OUT_REREAD;
        if (n_cross && is_bb_boundary(op))
            for (unsigned k = 0; k < n_cross; k++)
                live[cross[k]] = 1;
        unsigned n_out = op->n_out, n_args = op_nargs(op);
        for (unsigned k = 0; k < n_out; k++) {
            IRTemp t = (IRTemp)op->args[k];
            unsigned kind = b->temps[t].kind;
            if (kind == IR_TEMP_LOCAL && !live[t])
                d |= (uint16_t)(1u << k);
            if (kind != IR_TEMP_CONST)
                live[t] = 0;
        }
        for (unsigned k = n_out; k < n_args; k++) {
            IRTemp t = (IRTemp)op->args[k];
            unsigned kind = b->temps[t].kind;
            if (kind == IR_TEMP_LOCAL && !live[t])
                d |= (uint16_t)(1u << k);
            if (kind != IR_TEMP_CONST)
                live[t] = 1;
        }
        c->dead[i] = d;
    }
}

void ra_begin(BackendCtx *c)
{
    const IRBlock *b = c->b;
    /* The globals (temps 0 .. n_globals - 1, some hundred of them on ARM)
     * start the same in every block: copied from a template, not set one
     * field at a time. */
    static __thread BackendTempLoc global_tpl[IR_MAX_GLOBALS];
    static __thread bool tpl_ready;
    if (!tpl_ready) {
        for (unsigned i = 0; i < IR_MAX_GLOBALS; i++)
            global_tpl[i] = (BackendTempLoc){ .reg = -1, .mem_ok = true, .cross = false, .slot = -1 };
        tpl_ready = true;
    }
    unsigned ng = b->n_globals <= b->n_temps ? b->n_globals : b->n_temps;
    memcpy(c->t, global_tpl, ng * sizeof(*c->t));
    for (unsigned i = ng; i < b->n_temps; i++) {
        c->t[i].reg = -1;
        c->t[i].slot = -1;
        c->t[i].cross = false;
        c->t[i].mem_ok = b->temps[i].kind == IR_TEMP_GLOBAL;
    }
    for (unsigned r = 0; r < BACKEND_MAX_REGS; r++) {
        c->owner[r] = -1;
        c->lru[r] = 0;
    }
    c->locked = 0;
    c->n_free_slots = 0;
    c->next_slot = 0;
    c->globals_dirty = false;
}

/* Freed slots first, then never used ones: low slots (disp8) come first. */
static int32_t slot_alloc(BackendCtx *c)
{
    if (c->n_free_slots)
        return c->free_slots[--c->n_free_slots];
    if (c->next_slot >= (int32_t)c->host->n_spill_slots) {
        fprintf(stderr, "vemu: %s backend: out of spill slots\n", c->host->name);
        abort();
    }
    return c->next_slot++;
}

int32_t ra_slot(BackendCtx *c, IRTemp t)
{
    if (c->t[t].slot < 0)
        c->t[t].slot = slot_alloc(c);
    return c->t[t].slot;
}

/* Register r from / to t's memory home (a local gets its slot first). */
static void load_home(BackendCtx *c, int r, IRTemp t)
{
    if (c->b->temps[t].kind != IR_TEMP_GLOBAL)
        ra_slot(c, t);
    c->host->load(c, r, t);
}

void ra_spill(BackendCtx *c, IRTemp t)
{
    BackendTempLoc *l = &c->t[t];
    if (l->reg < 0 || l->mem_ok)
        return;
    if (c->b->temps[t].kind != IR_TEMP_GLOBAL)
        ra_slot(c, t);
    c->host->store(c, l->reg, t);
    l->mem_ok = true;
}

void ra_unbind(BackendCtx *c, int r)
{
    int t = c->owner[r];
    if (t >= 0)
        c->t[t].reg = -1;
    c->owner[r] = -1;
}

void ra_bind(BackendCtx *c, IRTemp out, int r)
{
    BackendTempLoc *l = &c->t[out];
    if (l->reg >= 0 && l->reg != r)
        c->owner[(int)l->reg] = -1;
    if (c->owner[r] >= 0 && (IRTemp)c->owner[r] != out)
        c->t[c->owner[r]].reg = -1;
    c->owner[r] = (int)out;
    l->reg = (int8_t)r;
    l->mem_ok = false;
    c->globals_dirty |= c->b->temps[out].kind == IR_TEMP_GLOBAL;
    c->locked |= BACKEND_REG(r);
    c->lru[r] = c->op_index;
}

/* Pick a register to hand out: a free one, else the least recently used
 * clean one, else the least recently used dirty one (spilled). */
int ra_alloc(BackendCtx *c, BackendRegSet allowed)
{
    BackendRegSet cand = allowed & c->host->alloc_regs & ~c->locked;
    int best = -1, best_clean = -1;
    if (c->b->quick && (cand & c->host->short_regs)) {
        /* First-tier code favours size: a free register the host encodes
         * shorter, else a clean one of those (reloaded if needed again),
         * before a free longer one (x86_64: no REX prefix) */
        BackendRegSet sc = cand & c->host->short_regs;
        for (int r = 0; r < (int)c->host->n_regs; r++)
            if ((sc & BACKEND_REG(r)) && c->owner[r] < 0) {
                c->locked |= BACKEND_REG(r);
                c->lru[r] = c->op_index;
                return r;
            }
        for (int r = 0; r < (int)c->host->n_regs; r++) {
            int t = c->owner[r];
            if ((sc & BACKEND_REG(r)) && c->t[t].mem_ok && (best_clean < 0 || c->lru[r] < c->lru[best_clean]))
                best_clean = r;
        }
        if (best_clean >= 0) {
            ra_unbind(c, best_clean);
            c->locked |= BACKEND_REG(best_clean);
            c->lru[best_clean] = c->op_index;
            return best_clean;
        }
    }
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        if (!(cand & BACKEND_REG(r)))
            continue;
        int t = c->owner[r];
        if (t < 0) {
            c->locked |= BACKEND_REG(r);
            c->lru[r] = c->op_index;
            return r;
        }
        if (c->t[t].mem_ok) {
            if (best_clean < 0 || c->lru[r] < c->lru[best_clean])
                best_clean = r;
        } else if (best < 0 || c->lru[r] < c->lru[best]) {
            best = r;
        }
    }
    int r = best_clean >= 0 ? best_clean : best;
    if (r < 0) {
        fprintf(stderr, "vemu: %s backend: no register left for an op\n", c->host->name);
        abort();
    }
    ra_spill(c, (IRTemp)c->owner[r]);
    ra_unbind(c, r);
    c->locked |= BACKEND_REG(r);
    c->lru[r] = c->op_index;
    return r;
}

int ra_load(BackendCtx *c, IRTemp t, BackendRegSet allowed)
{
    const IRTempInfo *ti = &c->b->temps[t];
    BackendTempLoc *l = &c->t[t];
    if (ti->kind == IR_TEMP_CONST) {
        int r = ra_alloc(c, allowed);
        c->host->movi(c, ti->type == IR_I64, r, ti->value);
        return r;
    }
    if (l->reg >= 0 && (allowed & BACKEND_REG(l->reg))) {
        c->locked |= BACKEND_REG(l->reg);
        c->lru[(int)l->reg] = c->op_index;
        return l->reg;
    }
    int r = ra_alloc(c, allowed);
    if (l->reg >= 0) {                 /* in the wrong register: move it */
        int old = l->reg;
        c->host->mov(c, r, old);
        c->owner[old] = -1;
        c->owner[r] = (int)t;
        l->reg = (int8_t)r;
        return r;
    }
    if (ti->kind == IR_TEMP_GLOBAL || l->slot >= 0)
        load_home(c, r, t);
    c->owner[r] = (int)t;
    l->reg = (int8_t)r;
    l->mem_ok = true;
    return r;
}

int ra_out(BackendCtx *c, IRTemp out, BackendRegSet allowed)
{
    int r = c->t[out].reg;
    if (r >= 0 && (allowed & BACKEND_REG(r)) && !(c->locked & BACKEND_REG(r))) {
        c->locked |= BACKEND_REG(r);
        c->lru[r] = c->op_index;
        return r;
    }
    return ra_alloc(c, allowed);
}

void ra_reserve(BackendCtx *c, int r)
{
    int t = c->owner[r];
    if (t >= 0) {
        /* Keep the value in a register when one is free; else spill it. */
        BackendRegSet freeish = c->host->alloc_regs & ~c->locked & ~BACKEND_REG(r);
        int dst = -1;
        for (int k = 0; k < (int)c->host->n_regs; k++)
            if ((freeish & BACKEND_REG(k)) && c->owner[k] < 0) {
                dst = k;
                break;
            }
        if (dst >= 0) {
            c->host->mov(c, dst, r);
            c->owner[dst] = t;
            c->t[t].reg = (int8_t)dst;
            c->lru[dst] = c->lru[r];
            c->owner[r] = -1;
        } else {
            ra_spill(c, (IRTemp)t);
            ra_unbind(c, r);
        }
    }
    c->locked |= BACKEND_REG(r);
    c->lru[r] = c->op_index;
}

void ra_sync_globals(BackendCtx *c)
{
    /* Called before every op that may fault (some twenty times a block):
     * nothing to do unless a global was bound as an output since the
     * last sync (ra_bind is the only way a global becomes dirty). */
    if (!c->globals_dirty)
        return;
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        int t = c->owner[r];
        if (t >= 0 && c->b->temps[t].kind == IR_TEMP_GLOBAL)
            ra_spill(c, (IRTemp)t);
    }
    c->globals_dirty = false;
}

void ra_spill_cross(BackendCtx *c)
{
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        int t = c->owner[r];
        if (t >= 0 && c->t[t].cross)
            ra_spill(c, (IRTemp)t);
    }
}

void ra_drop_all(BackendCtx *c)
{
    for (int r = 0; r < (int)c->host->n_regs; r++)
        ra_unbind(c, r);
}

static void release_local(BackendCtx *c, IRTemp t)
{
    BackendTempLoc *l = &c->t[t];
    if (l->reg >= 0) {
        c->owner[(int)l->reg] = -1;
        l->reg = -1;
    }
    if (!l->cross && l->slot >= 0) {
        c->free_slots[c->n_free_slots++] = l->slot;
        l->slot = -1;
    }
    l->mem_ok = false;
}

void ra_release_local(BackendCtx *c, IRTemp t)
{
    release_local(c, t);
}

void ra_end_op(BackendCtx *c, const IROp *op)
{
    uint16_t d = c->dead[c->op_index];
    if (d) {
        for (unsigned k = op->n_out; k < op_nargs(op); k++) {
            if (!((d >> k) & 1))
                continue;
            IRTemp t = (IRTemp)op->args[k];
            bool is_out = false;
            for (unsigned j = 0; j < op->n_out; j++)
                is_out |= (IRTemp)op->args[j] == t;
            if (!is_out)
                release_local(c, t);
        }
        for (unsigned k = 0; k < op->n_out; k++)
            if ((d >> k) & 1)
                release_local(c, (IRTemp)op->args[k]);
    }
    c->locked = 0;
}

void ra_load_fixed(BackendCtx *c, IRTemp t, int r)
{
    BackendTempLoc *l = &c->t[t];
    if (l->reg == r) {
        c->locked |= BACKEND_REG(r);
        c->lru[r] = c->op_index;
        return;
    }
    ra_reserve(c, r);
    const IRTempInfo *ti = &c->b->temps[t];
    if (ti->kind == IR_TEMP_CONST) {
        c->host->movi(c, ti->type == IR_I64, r, ti->value);
    } else if (l->reg >= 0) {
        c->host->mov(c, r, l->reg);      /* a copy; t stays where it is */
    } else {
        if (ti->kind == IR_TEMP_GLOBAL || l->slot >= 0)
            load_home(c, r, t);
        c->owner[r] = (int)t;
        l->reg = (int8_t)r;
        l->mem_ok = true;
    }
}

void ra_copy_fixed(BackendCtx *c, IRTemp t, int r, bool dies)
{
    BackendTempLoc *l = &c->t[t];
    const IRTempInfo *ti = &c->b->temps[t];
    if (l->reg == r) {
        if (dies && ti->kind == IR_TEMP_LOCAL)
            ra_unbind(c, r);
        else
            ra_reserve(c, r);    /* moves t away; r still holds the value */
        c->locked |= BACKEND_REG(r);
        return;
    }
    ra_reserve(c, r);
    if (ti->kind == IR_TEMP_CONST)
        c->host->movi(c, ti->type == IR_I64, r, ti->value);
    else if (l->reg >= 0)
        c->host->mov(c, r, l->reg);
    else if (ti->kind == IR_TEMP_GLOBAL || l->slot >= 0)
        load_home(c, r, t);
}

void ra_parallel_moves(BackendCtx *c, BackendMove *mv, unsigned n)
{
    while (n) {
        bool progress = false;
        for (unsigned i = 0; i < n; i++) {
            bool blocked = false;
            for (unsigned j = 0; j < n; j++)
                if (j != i && mv[j].src == mv[i].dst)
                    blocked = true;
            if (!blocked) {
                if (mv[i].dst != mv[i].src)
                    c->host->mov(c, mv[i].dst, mv[i].src);
                mv[i] = mv[--n];
                progress = true;
                break;
            }
        }
        if (progress)
            continue;
        /* every destination is still needed as a source: a cycle */
        int d = mv[0].dst, s = mv[0].src;
        c->host->xchg(c, d, s);
        mv[0] = mv[--n];
        for (unsigned j = 0; j < n; j++) {
            if (mv[j].src == d)
                mv[j].src = s;
            else if (mv[j].src == s)
                mv[j].src = d;
        }
        for (unsigned j = 0; j < n;) {
            if (mv[j].src == mv[j].dst)
                mv[j] = mv[--n];
            else
                j++;
        }
    }
}

void ra_env_alias(BackendCtx *c, uint32_t off, unsigned size, bool write)
{
    for (int r = 0; r < (int)c->host->n_regs; r++) {
        int t = c->owner[r];
        if (t < 0 || c->b->temps[t].kind != IR_TEMP_GLOBAL)
            continue;
        uint32_t goff = c->b->temps[t].offset;
        unsigned gsize = c->b->temps[t].type == IR_I64 ? 8 : 4;
        if (off < goff + gsize && goff < off + size) {
            ra_spill(c, (IRTemp)t);
            if (write)
                ra_unbind(c, r);
        }
    }
}
