/*
 * ir-opt-internal.h — small helpers shared by the passes (private to ir/).
 *
 * Passes rewrite ops in place (an op never grows, so nothing moves) and
 * leave deleted ops as nops; ir_compact_nops() squeezes them out.
 */
#ifndef VEMU_IR_OPT_INTERNAL_H
#define VEMU_IR_OPT_INTERNAL_H

#include "ir.h"

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

/* After this op, may a global hold a value the IR did not write?  (A
 * helper that writes guest state, st_env into the CPU state.) */
static inline bool ir_op_clobbers_globals(const IROp *op)
{
    if (op->opc == IR_OP_call)
        return !(ir_op_helper(op)->flags & IR_HELPER_NO_WRITE_GLOBALS);
    return ir_op_defs[op->opc].flags & IR_OPF_WRITES_STATE;
}

#endif
