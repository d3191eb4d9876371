/*
 * ir-opt-internal.h — small helpers shared by the passes (private to ir/).
 *
 * Passes rewrite ops in place (an op never grows, so nothing moves) and
 * leave deleted ops as nops; ir_compact_nops() squeezes them out.
 */
#ifndef VEMU_IR_OPT_INTERNAL_H
#define VEMU_IR_OPT_INTERNAL_H

#include "ir.h"

/* Per-thread scratch memory for a pass's arrays (ir-scratch.c): take a
 * mark, allocate (16-byte aligned; NULL when the arena is exhausted or
 * cannot be mapped: skip the work), release to the mark before returning. */
size_t ir_scratch_mark(void);
void ir_scratch_release(size_t mark);
void *ir_scratch_alloc(size_t bytes);     /* uninitialised */
void *ir_scratch_zalloc(size_t bytes);    /* zeroed */

/* The ops and temps arrays of the thread's work block (ir-scratch.c): the
 * same base every time, with at least `bytes` bytes populated (*usable:
 * how many are); NULL when the region cannot be mapped or is exhausted. */
void *ir_work_ops(size_t bytes, size_t *usable);
void *ir_work_temps(size_t bytes, size_t *usable);

/* Make room for at least n ops in b->ops (ir-core.c). */
void ir_ops_reserve(IRBlock *b, unsigned n);

static inline void ir_op_make_nop(IROp *op)
{
    op->opc = IR_OP_nop;
    op->n_out = op->n_in = op->n_const = 0;
}

static inline void ir_op_make_mov(IROp *op, IRTemp out, IRTemp in)
{
    op->opc = IR_OP_mov;
    op->n_out = 1;
    op->n_in = 1;
    op->n_const = 0;
    op->args[0] = out;
    op->args[1] = in;
}

static inline void ir_op_make_br(IROp *op, uint64_t label)
{
    op->opc = IR_OP_br;
    op->n_out = op->n_in = 0;
    op->n_const = 1;
    op->args[0] = label;
}

/* After this op, may any global hold a value the IR did not write?  (A
 * helper that may write every global, st_env into the CPU state.)  A
 * helper that declares the globals it writes is not such an op: see
 * ir_op_writes_some_globals. */
static inline bool ir_op_clobbers_globals(const IROp *op)
{
    if (op->opc == IR_OP_call) {
        const IRHelper *h = ir_op_helper(op);
        return !h->writes && !(h->flags & IR_HELPER_NO_WRITE_GLOBALS);
    }
    return ir_op_defs[op->opc].flags & IR_OPF_WRITES_STATE;
}

/* Is op a call to a helper with declared writes?  Then exactly the
 * globals g with ir_helper_writes_global(helper, b, g) change behind the
 * IR's back (passes forget what they knew about those only). */
static inline bool ir_op_writes_some_globals(const IROp *op)
{
    return op->opc == IR_OP_call && ir_op_helper(op)->writes;
}

#endif
