/*
 * ir-opt-cmp-fusion.c — compare-and-branch fusion.
 *
 * Guest flags are computed the way they are cheapest to store (the ARM
 * frontend keeps N in NF's bit 31, Z as ZF == 0, C in CF, V in VF's bit
 * 31), and a conditional branch then tests a combination of them.  After
 * "cmp a, b" that is, with copy propagation done:
 *
 *     t = sub a, b ; c = setcond geu a, b ; v = and (xor a b) (xor a t)
 *     HI:  n = neg c ;             brcond tstne n, t
 *     GE:  x = xor t, v ;          brcond ge x, $0
 *     GT:  s = sar (xor t v), 31 ; w = andc t, s ; brcond ne w, $0
 *
 * This pass recognises those shapes and rewrites the branch to compare a
 * and b directly (brcond gtu a, b / ge a, b / gt a, b ...), which a backend
 * emits as one cmp + jcc.  The flag values themselves are untouched (they
 * are still stored where the block needs them); the temps that only fed
 * the branch become dead and DCE removes them.
 *
 * Recognised, with a and b unchanged since the compare:
 *   eq/ne  (and a b), $0             -> tsteq/tstne a, b
 *   eq/ne  (setcond cc a b), $0      -> !cc / cc a, b
 *   tstne/tsteq (neg (setcond geu a b)), (sub a b)  -> gtu / leu a, b   (HI/LS)
 *   ge/lt  (xor t v), $0             -> ge / lt a, b                     (GE/LT)
 *   ne/eq  (andc t (sar (xor t v) w-1)), $0 -> gt / le a, b              (GT/LE)
 * where t = sub a b and v = and (xor a b) (xor a t), operands of the
 * commutative ops in either order.
 *
 * Facts are only used along straight-line code: each temp remembers the op
 * that last wrote it, a label forgets every definition, and a definition
 * whose inputs were written since (or, for globals, possibly changed by a
 * helper or st_env) is not used.  One forward walk, no allocation per op.
 */
#include <stdlib.h>
#include <string.h>

#include "ir-opt-internal.h"

typedef struct Fusion {
    IRBlock *b;
    uint32_t *def;        /* per temp: op index + 1 of its last write, 0 = none */
    uint32_t label_kill;  /* definitions at or before this op index + 1 are forgotten */
    uint32_t global_kill; /* globals may have changed after op index + 1 - 1 */
} Fusion;

/* The op that produced t's current value, if it is usable here. */
static const IROp *defining(const Fusion *f, IRTemp t, IROpcode opc)
{
    const IRBlock *b = f->b;
    if (ir_temp_is_const(b, t))
        return NULL;
    uint32_t d = f->def[t];
    if (!d || d <= f->label_kill)
        return NULL;
    if (ir_temp_is_global(b, t) && f->global_kill >= d)
        return NULL;                            /* a helper may have changed it */
    const IROp *op = &b->ops[d - 1];
    if (op->opc != opc || op->n_out != 1)
        return NULL;
    /* Its inputs must still hold the values it read. */
    for (unsigned k = 0; k < op->n_in; k++) {
        IRTemp x = ir_op_in(op, k);
        if (ir_temp_is_const(b, x))
            continue;
        if (f->def[x] >= d)                     /* written at or after the op */
            return NULL;
        if (ir_temp_is_global(b, x) && f->global_kill >= d)
            return NULL;
    }
    return op;
}

static bool is_zero(const IRBlock *b, IRTemp t)
{
    return ir_temp_is_const(b, t) && b->temps[t].value == 0;
}

/* Is op (commutative, two inputs) op(p, q) in some order? */
static bool same_pair(const IROp *op, IRTemp p, IRTemp q)
{
    IRTemp x = ir_op_in(op, 0), y = ir_op_in(op, 1);
    return (x == p && y == q) || (x == q && y == p);
}

/* t = sub a, b: fills a and b. */
static bool is_sub(const Fusion *f, IRTemp t, IRTemp *a, IRTemp *b)
{
    const IROp *op = defining(f, t, IR_OP_sub);
    if (!op)
        return false;
    *a = ir_op_in(op, 0);
    *b = ir_op_in(op, 1);
    return true;
}

/* v = and (xor a b) (xor a t): the overflow of t = a - b in the sign bit. */
static bool is_sub_overflow(const Fusion *f, IRTemp v, IRTemp a, IRTemp b, IRTemp t)
{
    const IROp *and = defining(f, v, IR_OP_and);
    if (!and)
        return false;
    const IROp *x0 = defining(f, ir_op_in(and, 0), IR_OP_xor);
    const IROp *x1 = defining(f, ir_op_in(and, 1), IR_OP_xor);
    if (!x0 || !x1)
        return false;
    return (same_pair(x0, a, b) && same_pair(x1, a, t)) || (same_pair(x1, a, b) && same_pair(x0, a, t));
}

/* x = xor t v with t = sub a b and v its overflow: N ^ V of "cmp a, b". */
static bool is_n_xor_v(const Fusion *f, IRTemp x, IRTemp *a, IRTemp *b, IRTemp *t)
{
    const IROp *op = defining(f, x, IR_OP_xor);
    if (!op)
        return false;
    for (unsigned k = 0; k < 2; k++) {
        IRTemp tt = ir_op_in(op, k), v = ir_op_in(op, 1 - k);
        if (is_sub(f, tt, a, b) && is_sub_overflow(f, v, *a, *b, tt)) {
            *t = tt;
            return true;
        }
    }
    return false;
}

/* The compare "cond a, b" the branch's (cond, x, y) amounts to, if any. */
static bool fuse(const Fusion *f, IRCond cond, IRTemp x, IRTemp y, IRCond *nc, IRTemp *na, IRTemp *nb)
{
    const IRBlock *b = f->b;
    IRTemp c, t;
    const IROp *op;
    if ((cond == IR_COND_EQ || cond == IR_COND_NE) && is_zero(b, y)) {
        bool eq = cond == IR_COND_EQ;
        /* "sub"/"xor" then "test t, t" costs what "cmp a, b" costs, and the
         * difference usually stays live for the Z flag: not rewritten, as
         * comparing a and b would only keep them in registers longer. */
        if ((op = defining(f, x, IR_OP_and))) {
            *nc = eq ? IR_COND_TSTEQ : IR_COND_TSTNE;
        } else if ((op = defining(f, x, IR_OP_setcond))) {
            IRCond cc = (IRCond)ir_op_const(op, 0);
            *nc = eq ? ir_cond_invert(cc) : cc;
        } else if ((op = defining(f, x, IR_OP_andc))) {
            /* GT/LE: andc t, (sar (xor t v), w-1) */
            IRTemp s = ir_op_in(op, 1);
            t = ir_op_in(op, 0);
            const IROp *sar = defining(f, s, IR_OP_sar);
            IRTemp xa, xb, xt;
            unsigned width = ir_temp_type(b, t) == IR_I64 ? 64 : 32;
            if (!sar || !ir_temp_is_const(b, ir_op_in(sar, 1)) || b->temps[ir_op_in(sar, 1)].value != width - 1 ||
                !is_n_xor_v(f, ir_op_in(sar, 0), &xa, &xb, &xt) || xt != t)
                return false;
            *nc = eq ? IR_COND_LE : IR_COND_GT;
            *na = xa;
            *nb = xb;
            return true;
        } else {
            return false;
        }
        *na = ir_op_in(op, 0);
        *nb = ir_op_in(op, 1);
        return true;
    }
    if ((cond == IR_COND_GE || cond == IR_COND_LT) && is_zero(b, y)) {
        IRTemp xa, xb;
        if (!is_n_xor_v(f, x, &xa, &xb, &t))
            return false;
        *nc = cond;
        *na = xa;
        *nb = xb;
        return true;
    }
    if (cond == IR_COND_TSTNE || cond == IR_COND_TSTEQ) {
        /* HI/LS: (neg (setcond geu a b)) & (sub a b) */
        for (unsigned k = 0; k < 2; k++) {
            IRTemp n = k ? y : x, z = k ? x : y, sa, sb;
            const IROp *neg = defining(f, n, IR_OP_neg);
            if (!neg || !is_sub(f, z, &sa, &sb))
                continue;
            c = ir_op_in(neg, 0);
            const IROp *sc = defining(f, c, IR_OP_setcond);
            if (!sc || (IRCond)ir_op_const(sc, 0) != IR_COND_GEU || ir_op_in(sc, 0) != sa || ir_op_in(sc, 1) != sb)
                continue;
            *nc = cond == IR_COND_TSTNE ? IR_COND_GTU : IR_COND_LEU;
            *na = sa;
            *nb = sb;
            return true;
        }
        return false;
    }
    return false;
}

unsigned ir_pass_cmp_fusion(IRBlock *b)
{
    unsigned changes = 0;
    Fusion f = { .b = b };
    bool any = false;
    for (unsigned i = 0; i < b->n_ops && !any; i++)
        any = b->ops[i].opc == IR_OP_brcond;
    if (!any)
        return 0;
    size_t mark = ir_scratch_mark();
    f.def = ir_scratch_zalloc((b->n_temps + 1) * sizeof(*f.def));
    if (!f.def)
        return 0;
    for (unsigned i = 0; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        switch (op->opc) {
        case IR_OP_nop:
            continue;
        case IR_OP_label:
            f.label_kill = i + 1;
            continue;
        case IR_OP_discard:
            f.def[ir_op_in(op, 0)] = i + 1;   /* a write of an unknown value */
            continue;
        case IR_OP_brcond: {
            IRCond nc;
            IRTemp na, nb;
            if (fuse(&f, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &nc, &na, &nb)) {
                op->args[0] = na;
                op->args[1] = nb;
                op->args[2] = nc;
                changes++;
            }
            continue;
        }
        default:
            break;
        }
        if (ir_op_clobbers_globals(op))
            f.global_kill = i + 1;
        else if (ir_op_writes_some_globals(op))
            for (IRTemp g = 0; g < b->n_globals; g++)
                if (ir_helper_writes_global(ir_op_helper(op), b, g))
                    f.def[g] = i + 1;
        for (unsigned k = 0; k < op->n_out; k++)
            f.def[ir_op_out(op, k)] = i + 1;
    }
    ir_scratch_release(mark);
    return changes;
}
