/*
 * ir-opt-sink.c — sink flag computations into the branch that needs them.
 *
 * A loop ending in `cmp r1, r8; bne loop` computes N, Z, C and V on every
 * iteration although only the exit needs them (the loop's own back edge
 * discards them: frontend-arm's flags liveness).  Compare fusion has
 * already made the branch test the compare's operands, so the flag
 * computation is used by nobody before the branch.  This pass moves it
 * past the branch, with one copy at the start of each side; DCE then
 * deletes the copy on the side where the flags are dead.
 *
 * For a `brcond` whose target label has no other way in (one branch, not
 * reached by falling through), an op of the brcond's basic block moves
 * when:
 *   - it is a pure computation (no side effects, cannot fault, not a call);
 *   - each output is a global marked IR_GLOBAL_LAZY_AT_FAULT (the flags)
 *     that nothing reads before the branch, or a local used only by ops
 *     that move too;
 *   - nothing between it and the branch writes its inputs, and nothing
 *     there needs the globals in the cpu state (exits, helpers that read
 *     globals, state accesses, guest accesses: those may fault);
 *   - it carries no fault_reads (the guest reads it stands for would move);
 *   - no op between it and the branch writes the same global (then it is
 *     simply dead, DCE's business).
 * The copy on the taken side gets fresh locals, so no local is defined on
 * both sides of a label (the backend would give it a spill slot).
 */
#include <stdlib.h>
#include <string.h>

#include "ir-opt-internal.h"

static bool is_lazy_global(const IRBlock *b, IRTemp t)
{
    return b->temps[t].kind == IR_TEMP_GLOBAL && (b->temps[t].gflags & IR_GLOBAL_LAZY_AT_FAULT);
}

static bool op_pure(const IROp *op)
{
    unsigned f = ir_op_defs[op->opc].flags;
    return op->n_out > 0 && op->opc != IR_OP_call && !op->fault_reads &&
           !(f & (IR_OPF_SIDE_EFFECTS | IR_OPF_MAY_FAULT | IR_OPF_BRANCH | IR_OPF_LABEL |
                  IR_OPF_BLOCK_END | IR_OPF_READS_STATE | IR_OPF_WRITES_STATE | IR_OPF_VARARGS));
}

/* Must globals be in the cpu state before op (so a global write cannot
 * move past it)? */
static bool op_is_barrier(const IRBlock *b, const IROp *op)
{
    unsigned f = ir_op_defs[op->opc].flags;
    if (f & (IR_OPF_SYNC_GLOBALS | IR_OPF_READS_STATE | IR_OPF_WRITES_STATE))
        return true;
    /* An access that may fault is one too: the code resumed after the
     * fault (a page fault in system mode, a signal handler that returns)
     * starts at its instruction and reads the flags from the cpu state,
     * and a flag the branch needs is read there on one side or the other.
     * (Only flags nobody reads, which DCE deletes, need not be there.) */
    if (op->opc == IR_OP_call)
        return ir_helper_reads_any_global(ir_op_helper(op), b) ||
               (ir_op_helper(op)->flags & IR_HELPER_MAY_FAULT);
    return (f & IR_OPF_MAY_FAULT) != 0;
}

static bool op_reads(const IROp *op, IRTemp t)
{
    if (op->opc == IR_OP_discard)
        return false;
    for (unsigned k = 0; k < op->n_in; k++)
        if (ir_op_in(op, k) == t)
            return true;
    return false;
}

static bool op_writes(const IROp *op, IRTemp t)
{
    for (unsigned k = 0; k < op->n_out; k++)
        if (ir_op_out(op, k) == t)
            return true;
    return op->opc == IR_OP_discard && ir_op_in(op, 0) == t;
}

/* Only this many ops before a branch are looked at: flag computations
 * sit right before it, and translation time matters. */
#define SINK_WINDOW 40

/* What the backward walk from a brcond has seen so far (ops i+1 .. j):
 * a temp is "written" / "read" there when its stamp equals the walk's. */
typedef struct SinkWalk {
    uint32_t *written, *read;    /* per temp; read counts unmoved readers only */
    uint32_t stamp;
    bool barrier;                /* an op there needs the globals in memory */
} SinkWalk;

/* May op i move past the brcond, given what lies after it?  reads[t]: how
 * often local t is read in the block; moved_reads[t]: by ops moving. */
static bool can_sink(const IRBlock *b, const IROp *op, const SinkWalk *w, const uint16_t *reads,
                     const uint16_t *moved_reads)
{
    if (!op_pure(op))
        return false;
    for (unsigned k = 0; k < op->n_out; k++) {
        IRTemp t = ir_op_out(op, k);
        if (is_lazy_global(b, t)) {
            if (w->read[t] == w->stamp || w->written[t] == w->stamp || w->barrier)
                return false;
        } else if (b->temps[t].kind != IR_TEMP_LOCAL || reads[t] != moved_reads[t]) {
            return false;        /* a local read only by ops that move too */
        }
    }
    for (unsigned k = 0; k < op->n_in; k++)
        if (w->written[ir_op_in(op, k)] == w->stamp)
            return false;
    return true;
}

/* Is the label at op index lp reached only by branches (the op before it,
 * nops aside, is `br` or an exit)? */
static bool not_fallen_into(const IRBlock *b, unsigned lp)
{
    while (lp > 0 && b->ops[lp - 1].opc == IR_OP_nop)
        lp--;
    if (lp == 0)
        return false;
    const IROp *before = &b->ops[lp - 1];
    return before->opc == IR_OP_br || (ir_op_defs[before->opc].flags & IR_OPF_BLOCK_END);
}

/* From op index `from` on, are all of the globals g[0..n) overwritten or
 * discarded before anything reads them (or could: a branch, a label, an
 * exit, a barrier)? */
static bool side_kills(const IRBlock *b, unsigned from, const IRTemp *g, unsigned n)
{
    unsigned killed = 0;
    for (unsigned i = from; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_nop || op->opc == IR_OP_insn_start)
            continue;
        for (unsigned k = 0; k < n; k++)
            if (!(killed & 1u << k) && op_reads(op, g[k]))
                return false;
        for (unsigned k = 0; k < n; k++)
            if (op_writes(op, g[k]))
                killed |= 1u << k;
        if (killed == (1u << n) - 1)
            return true;
        if ((ir_op_defs[op->opc].flags & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END)) ||
            op_is_barrier(b, op))
            return false;
    }
    return false;
}

/* Cheap test before any allocation: is there a brcond, after flag writes
 * in its basic block, to a label that falling through does not reach,
 * with the flags dead on exactly one side?  (Dead on both: DCE deletes
 * them anyway; on neither: moving gains nothing.) */
static bool worth_a_look(const IRBlock *b)
{
    /* Flags die on one side mostly where the frontend discarded them (its
     * look at the next block); a block without such a discard is left. */
    bool discards = false;
    for (unsigned i = 0; i < b->n_ops && !discards; i++)
        discards = b->ops[i].opc == IR_OP_discard && is_lazy_global(b, ir_op_in(&b->ops[i], 0));
    if (!discards)
        return false;
    uint32_t pos[256];                    /* label positions, labels < 256 */
    if (b->n_labels > 256)
        return true;
    for (unsigned l = 0; l < b->n_labels; l++)
        pos[l] = UINT32_MAX;
    for (unsigned i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc == IR_OP_label)
            pos[ir_op_const(&b->ops[i], 0)] = i;
    IRTemp g[8];
    unsigned ng = 0;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        unsigned f = ir_op_defs[op->opc].flags;
        for (unsigned k = 0; k < op->n_out; k++) {
            IRTemp t = ir_op_out(op, k);
            bool have = false;
            for (unsigned x = 0; x < ng; x++)
                have |= g[x] == t;
            if (!have && ng < 8 && is_lazy_global(b, t))
                g[ng++] = t;
        }
        if (op->opc == IR_OP_brcond && ng) {
            uint32_t lp = pos[ir_op_const(op, 1)];
            if (lp != UINT32_MAX && lp > i && not_fallen_into(b, lp) &&
                side_kills(b, i + 1, g, ng) != side_kills(b, lp + 1, g, ng))
                return true;
        }
        if (f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END))
            ng = 0;
    }
    return false;
}

unsigned ir_pass_sink_flags(IRBlock *b)
{
    const unsigned n = b->n_ops, nl = b->n_labels;
    if (!n || !nl || !worth_a_look(b))
        return 0;
    const size_t scratch = ir_scratch_mark();
    unsigned *label_pos = ir_scratch_alloc((nl + 1) * sizeof(unsigned));
    unsigned *label_refs = ir_scratch_zalloc((nl + 1) * sizeof(unsigned));
    unsigned *sink_to = ir_scratch_alloc((nl + 1) * sizeof(unsigned));   /* label -> brcond index */
    uint8_t *mark = ir_scratch_zalloc(n + 1);                             /* op moves (past its brcond) */
    uint8_t *has_sink = ir_scratch_zalloc(n + 1);                         /* brcond with moved ops */
    uint16_t *reads = ir_scratch_zalloc((2 * (size_t)b->n_temps + 1) * sizeof(uint16_t));
    SinkWalk walk = { .written = ir_scratch_zalloc((2 * (size_t)b->n_temps + 1) * sizeof(uint32_t)) };
    if (!label_pos || !label_refs || !sink_to || !mark || !has_sink || !reads || !walk.written) {
        ir_scratch_release(scratch);
        return 0;
    }
    uint16_t *moved_reads = reads + b->n_temps;
    walk.read = walk.written + b->n_temps;
    for (unsigned i = 0; i < n; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_discard)
            continue;
        for (unsigned k = 0; k < op->n_in; k++) {
            IRTemp t = ir_op_in(op, k);
            if (b->temps[t].kind == IR_TEMP_LOCAL && reads[t] < UINT16_MAX)
                reads[t]++;
        }
    }
    for (unsigned l = 0; l <= nl; l++) {
        label_pos[l] = UINT32_MAX;
        sink_to[l] = UINT32_MAX;
    }
    for (unsigned i = 0; i < n; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label)
            label_pos[ir_op_const(op, 0)] = i;
        else if (op->opc == IR_OP_br)
            label_refs[ir_op_const(op, 0)]++;
        else if (op->opc == IR_OP_brcond)
            label_refs[ir_op_const(op, 1)]++;
    }

    unsigned moved = 0;
    unsigned bb_start = 0;
    for (unsigned j = 0; j < n; j++) {
        const IROp *op = &b->ops[j];
        unsigned f = ir_op_defs[op->opc].flags;
        if (op->opc == IR_OP_brcond) {
            unsigned l = (unsigned)ir_op_const(op, 1);
            unsigned lp = label_pos[l];
            /* the label: forward, one way in */
            bool ok = lp != UINT32_MAX && lp > j && label_refs[l] == 1 && not_fallen_into(b, lp);
            if (ok) {
                unsigned count = 0;
                bool any_flag = false;
                unsigned lo = j > bb_start + SINK_WINDOW ? j - SINK_WINDOW : bb_start;
                walk.stamp++;
                walk.barrier = false;
                for (unsigned k = 0; k < op->n_in; k++)
                    walk.read[ir_op_in(op, k)] = walk.stamp;
                for (unsigned i = j; i-- > lo;) {
                    const IROp *m = &b->ops[i];
                    if (m->opc == IR_OP_nop || m->opc == IR_OP_insn_start)
                        continue;
                    if (can_sink(b, m, &walk, reads, moved_reads)) {
                        mark[i] = 1;
                        count++;
                        for (unsigned k = 0; k < m->n_out; k++)
                            any_flag |= is_lazy_global(b, ir_op_out(m, k));
                        for (unsigned k = 0; k < m->n_in; k++)
                            if (b->temps[ir_op_in(m, k)].kind == IR_TEMP_LOCAL)
                                moved_reads[ir_op_in(m, k)]++;
                    } else if (m->opc != IR_OP_discard) {
                        for (unsigned k = 0; k < m->n_in; k++)
                            walk.read[ir_op_in(m, k)] = walk.stamp;
                    }
                    for (unsigned k = 0; k < m->n_out; k++)
                        walk.written[ir_op_out(m, k)] = walk.stamp;
                    if (m->opc == IR_OP_discard)
                        walk.written[ir_op_in(m, 0)] = walk.stamp;
                    walk.barrier |= op_is_barrier(b, m);
                }
                /* worth it only when one side does not need them */
                IRTemp g[8];
                unsigned ng = 0;
                for (unsigned i = bb_start; i < j && ng < 8; i++)
                    for (unsigned k = 0; mark[i] && k < b->ops[i].n_out && ng < 8; k++) {
                        IRTemp t = ir_op_out(&b->ops[i], k);
                        if (is_lazy_global(b, t))
                            g[ng++] = t;
                    }
                if (count && any_flag && ng < 8 && !side_kills(b, j + 1, g, ng) &&
                    !side_kills(b, lp + 1, g, ng))
                    any_flag = false;
                if (count && !any_flag) {        /* nothing worth it: undo */
                    for (unsigned i = bb_start; i < j; i++)
                        mark[i] = 0;
                    count = 0;
                }
                /* moved_reads only matters within this basic block */
                for (unsigned i = lo; i < j; i++)
                    for (unsigned k = 0; k < b->ops[i].n_in; k++)
                        if (b->temps[ir_op_in(&b->ops[i], k)].kind == IR_TEMP_LOCAL)
                            moved_reads[ir_op_in(&b->ops[i], k)] = 0;
                if (count) {
                    has_sink[j] = 1;
                    sink_to[l] = j;
                    moved += count;
                }
            }
        }
        if (f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END))
            bb_start = j + 1;
    }

    if (moved) {
        /* Rebuild: each moved op once after its brcond, once after the label. */
        size_t cap = n + 2 * (size_t)moved + 1;
        IROp *out = ir_scratch_alloc(cap * sizeof(IROp));
        unsigned rename_cap = b->n_temps + 1;
        IRTemp *rename = ir_scratch_zalloc(rename_cap * sizeof(IRTemp));
        if (!out || !rename) {
            moved = 0;
        } else {
            unsigned m = 0;
            unsigned group_start = 0;     /* basic block start of the current brcond */
            for (unsigned i = 0; i < n; i++) {
                const IROp *op = &b->ops[i];
                unsigned f = ir_op_defs[op->opc].flags;
                if (!mark[i])
                    out[m++] = *op;
                if (op->opc == IR_OP_brcond && has_sink[i]) {
                    for (unsigned k = group_start; k < i; k++)
                        if (mark[k])
                            out[m++] = b->ops[k];
                }
                if (op->opc == IR_OP_label && sink_to[ir_op_const(op, 0)] != UINT32_MAX) {
                    unsigned j = sink_to[ir_op_const(op, 0)];
                    unsigned s = j;
                    while (s > 0 && !(ir_op_defs[b->ops[s - 1].opc].flags &
                                      (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END)))
                        s--;
                    memset(rename, 0, rename_cap * sizeof(IRTemp));
                    for (unsigned k = s; k < j; k++) {
                        if (!mark[k])
                            continue;
                        IROp c = b->ops[k];
                        for (unsigned a = 0; a < (unsigned)c.n_out + c.n_in; a++) {
                            IRTemp t = (IRTemp)c.args[a];
                            if (b->temps[t].kind != IR_TEMP_LOCAL)
                                continue;
                            if (a < c.n_out && !rename[t]) {
                                IRTemp nt = ir_temp_new(b, (IRType)b->temps[t].type);
                                if (nt >= rename_cap) {
                                    unsigned cap2 = 2 * rename_cap;
                                    IRTemp *grown = ir_scratch_alloc(cap2 * sizeof(IRTemp));
                                    if (!grown)
                                        abort();
                                    memcpy(grown, rename, rename_cap * sizeof(IRTemp));
                                    rename = grown;
                                    rename_cap = cap2;
                                }
                                rename[nt] = 0;
                                rename[t] = nt;
                            }
                            if (rename[t])
                                c.args[a] = rename[t];
                        }
                        out[m++] = c;
                    }
                }
                if (f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END))
                    group_start = i + 1;
            }
            /* back into the block's own array (it stays where it is) */
            ir_ops_reserve(b, m);
            memcpy(b->ops, out, m * sizeof(IROp));
            b->n_ops = m;
        }
    }
    ir_scratch_release(scratch);
    return moved;
}
