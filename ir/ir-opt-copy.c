/*
 * ir-opt-copy.c — copy propagation.
 *
 * After "d = mov s", later reads of d read s instead, for as long as both
 * still hold the value they had at the mov.  That turns chains like
 *     t5 = add r1, $4 ; ZF = mov t5 ; brcond ne ZF, $0, L1
 * into a compare of t5, and leaves the mov for DCE to judge.
 *
 * A copy fact d -> s is valid while
 *   - neither d nor s was written (or discarded) since the mov,
 *   - no label was crossed (another path may arrive with other values),
 *   - if d or s is a global: no call that writes globals / st_env happened.
 * Each fact stores the sequence number of its mov and each temp the
 * sequence number of its last write, so invalidation is O(1) and the pass
 * is linear in the number of ops.
 */
#include <stdlib.h>

#include "ir-opt-internal.h"

typedef struct CopyProp {
    IRBlock *b;
    unsigned n_tracked;
    uint32_t *copy_stamp;    /* per temp: seq of the "mov" fact, 0 = none */
    IRTemp *copy_src;        /* per temp: the source of that mov */
    uint32_t *write_stamp;   /* per temp: seq of its last write */
    uint32_t seq, label_kill, global_kill;
} CopyProp;

static IRTemp copy_source(const CopyProp *cp, IRTemp d)
{
    if (d >= cp->n_tracked)
        return IR_TEMP_NONE;
    uint32_t s = cp->copy_stamp[d];
    if (!s || s <= cp->label_kill)
        return IR_TEMP_NONE;
    IRTemp src = cp->copy_src[d];
    const IRBlock *b = cp->b;
    if ((ir_temp_is_global(b, d) || ir_temp_is_global(b, src)) && s <= cp->global_kill)
        return IR_TEMP_NONE;
    if (ir_temp_is_const(b, src))
        return src;                     /* constants are never written */
    if (s <= cp->write_stamp[src])
        return IR_TEMP_NONE;
    return src;
}

static void note_write(CopyProp *cp, IRTemp t)
{
    if (t < cp->n_tracked) {
        cp->write_stamp[t] = ++cp->seq;
        cp->copy_stamp[t] = 0;
    }
}

unsigned ir_pass_copy_prop(IRBlock *b)
{
    unsigned n = b->n_temps + 1, changes = 0;
    CopyProp cp = { .b = b, .n_tracked = b->n_temps };
    size_t mark = ir_scratch_mark();
    cp.copy_stamp = ir_scratch_zalloc(n * sizeof(*cp.copy_stamp));
    cp.write_stamp = ir_scratch_zalloc(n * sizeof(*cp.write_stamp));
    cp.copy_src = ir_scratch_alloc(n * sizeof(*cp.copy_src));
    if (!cp.copy_stamp || !cp.write_stamp || !cp.copy_src)
        goto out;

    for (unsigned i = 0; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        switch (op->opc) {
        case IR_OP_nop:
            continue;
        case IR_OP_label:
            cp.label_kill = cp.seq;
            continue;
        case IR_OP_discard:
            /* the value is gone: neither it nor copies of it may be read */
            note_write(&cp, ir_op_in(op, 0));
            continue;
        default:
            break;
        }

        for (unsigned k = 0; k < op->n_in; k++) {
            IRTemp in = ir_op_in(op, k);
            IRTemp src = copy_source(&cp, in);
            if (src != IR_TEMP_NONE) {
                if (ir_temp_is_global(b, in) && (b->temps[in].gflags & IR_GLOBAL_LAZY_AT_FAULT))
                    op->fault_reads |= (uint8_t)(1u << b->temps[in].lazy_bit);
                op->args[op->n_out + k] = src;
                changes++;
            }
        }

        if (op->opc == IR_OP_mov && ir_op_out(op, 0) == ir_op_in(op, 0)) {
            ir_op_make_nop(op);             /* "x = mov x" after propagation */
            changes++;
            continue;
        }
        if (ir_op_clobbers_globals(op))
            cp.global_kill = cp.seq;
        else if (ir_op_writes_some_globals(op))
            for (IRTemp g = 0; g < b->n_globals; g++)
                if (ir_helper_writes_global(ir_op_helper(op), b, g))
                    note_write(&cp, g);
        for (unsigned k = 0; k < op->n_out; k++)
            note_write(&cp, ir_op_out(op, k));
        if (op->opc == IR_OP_mov) {
            IRTemp d = ir_op_out(op, 0);
            cp.copy_stamp[d] = ++cp.seq;
            cp.copy_src[d] = ir_op_in(op, 0);
        }
    }
out:
    ir_scratch_release(mark);
    return changes;
}
