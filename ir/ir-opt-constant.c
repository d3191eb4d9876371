/*
 * ir-opt-constant.c — constant folding and constant propagation.
 *
 * One forward walk.  For every temp (local or global) we remember the
 * constant it was last given, if any, and replace later reads with that
 * constant; an op whose inputs are then all constant is evaluated (with
 * ir-eval.h, the interpreter's own semantics) and becomes "mov out, $c".
 * Algebraic identities (x+0, x*1, x&0, x^x ...) turn into movs too;
 * setcond/movcond/brcond with a decided condition become constants, movs,
 * br, or disappear.
 *
 * Soundness: knowledge is only used on straight-line paths.
 *   - A label may be reached from elsewhere, so everything is forgotten there.
 *   - A global may change behind the IR's back at a call that writes globals
 *     or at st_env, so knowledge about globals is forgotten there.
 *   - discard makes a temp's value undefined, so its knowledge is dropped.
 * Forgetting is O(1): each fact carries the sequence number at which it was
 * learned and is valid only if newer than the last label / global clobber.
 */
#include <stdlib.h>

#include "ir-eval.h"
#include "ir-opt-internal.h"

typedef struct ConstFold {
    IRBlock *b;
    unsigned n_tracked;      /* temps that existed when the pass started */
    uint32_t *stamp;         /* per temp: when its value became known, 0 = unknown */
    IRTemp *value;           /* per temp: the constant temp holding its value */
    uint32_t seq, label_kill, global_kill;
    unsigned changes;
} ConstFold;

static bool is_const(const ConstFold *cf, IRTemp t) { return ir_temp_is_const(cf->b, t); }
static uint64_t cval(const ConstFold *cf, IRTemp t) { return cf->b->temps[t].value; }

static IRTemp known_const(const ConstFold *cf, IRTemp t)
{
    if (is_const(cf, t))
        return t;
    if (t >= cf->n_tracked)
        return IR_TEMP_NONE;
    uint32_t s = cf->stamp[t];
    if (!s || s <= cf->label_kill)
        return IR_TEMP_NONE;
    if (ir_temp_is_global(cf->b, t) && s <= cf->global_kill)
        return IR_TEMP_NONE;
    return cf->value[t];
}

/* Rewrite op as "mov out, in" unless it already is; a self-move vanishes. */
static void become_mov(ConstFold *cf, IROp *op, IRTemp out, IRTemp in)
{
    if (out == in) {
        ir_op_make_nop(op);
        cf->changes++;
        return;
    }
    if (op->opc == IR_OP_mov && ir_op_in(op, 0) == in)
        return;
    ir_op_make_mov(op, out, in);
    cf->changes++;
}

static void become_const(ConstFold *cf, IROp *op, IRTemp out, uint64_t v)
{
    become_mov(cf, op, out, ir_const(cf->b, ir_temp_type(cf->b, out), v));
}

/* Identities with one constant operand, or the same operand twice.  Returns
 * true if op was rewritten.  x is in0, y is in1 (both of type t). */
static bool fold_identity(ConstFold *cf, IROp *op, IRType t)
{
    IRTemp out = ir_op_out(op, 0), x = ir_op_in(op, 0), y = ir_op_in(op, 1);
    const uint64_t m = ir_type_mask(t);
    const unsigned w = ir_type_bits(t);
    bool xc = is_const(cf, x), yc = is_const(cf, y);
    uint64_t xv = xc ? cval(cf, x) : 0, yv = yc ? cval(cf, y) : 0;

    /* Commutative ops: look at the constant on the right. */
    if ((ir_op_defs[op->opc].flags & IR_OPF_COMMUTATIVE) && xc && !yc) {
        IRTemp tt = x; x = y; y = tt;
        xc = false; yc = true;
        yv = xv;
    }

    switch (op->opc) {
    case IR_OP_add:
    case IR_OP_or:
    case IR_OP_xor:
        if (yc && yv == 0)
            return become_mov(cf, op, out, x), true;
        if (op->opc == IR_OP_or && yc && yv == m)
            return become_const(cf, op, out, m), true;
        if (x == y && op->opc == IR_OP_or)
            return become_mov(cf, op, out, x), true;
        if (x == y && op->opc == IR_OP_xor)
            return become_const(cf, op, out, 0), true;
        break;
    case IR_OP_sub:
        if (yc && yv == 0)
            return become_mov(cf, op, out, x), true;
        if (x == y)
            return become_const(cf, op, out, 0), true;
        break;
    case IR_OP_mul:
        if (yc && yv == 0)
            return become_const(cf, op, out, 0), true;
        if (yc && yv == 1)
            return become_mov(cf, op, out, x), true;
        break;
    case IR_OP_and:
        if (yc && yv == 0)
            return become_const(cf, op, out, 0), true;
        if ((yc && yv == m) || x == y)
            return become_mov(cf, op, out, x), true;
        break;
    case IR_OP_andc:
        if (yc && yv == 0)
            return become_mov(cf, op, out, x), true;
        if ((yc && yv == m) || (xc && xv == 0) || x == y)
            return become_const(cf, op, out, 0), true;
        break;
    case IR_OP_shl:
    case IR_OP_shr:
    case IR_OP_sar:
    case IR_OP_rotl:
    case IR_OP_rotr:
        if (yc && (yv & (w - 1)) == 0)
            return become_mov(cf, op, out, x), true;
        if (xc && xv == 0)
            return become_const(cf, op, out, 0), true;
        break;
    case IR_OP_divs:
    case IR_OP_divu:
        if (yc && yv == 1)
            return become_mov(cf, op, out, x), true;
        break;
    case IR_OP_rems:
        if (yc && (yv == 1 || yv == m))
            return become_const(cf, op, out, 0), true;
        break;
    case IR_OP_remu:
        if (yc && yv == 1)
            return become_const(cf, op, out, 0), true;
        break;
    default:
        break;
    }
    return false;
}

/* Is cond(x, y) decided without knowing the values?  Sets *res. */
static bool cond_decided(const ConstFold *cf, IRCond c, IRTemp x, IRTemp y, IRType t, bool *res)
{
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER) {
        *res = c == IR_COND_ALWAYS;
        return true;
    }
    if (is_const(cf, x) && is_const(cf, y)) {
        *res = ir_cond_eval(c, cval(cf, x), cval(cf, y), t);
        return true;
    }
    if (x == y && c != IR_COND_TSTEQ && c != IR_COND_TSTNE) {
        /* every non-test comparison of a value with itself is fixed */
        *res = ir_cond_eval(c, 0, 0, t);
        return true;
    }
    return false;
}

static void fold_op(ConstFold *cf, IROp *op)
{
    const IROpcode opc = (IROpcode)op->opc;
    IRBlock *b = cf->b;

    switch (opc) {
    case IR_OP_setcond: {
        IRTemp x = ir_op_in(op, 0);
        bool r;
        if (cond_decided(cf, (IRCond)ir_op_const(op, 0), x, ir_op_in(op, 1), ir_temp_type(b, x), &r))
            become_const(cf, op, ir_op_out(op, 0), r);
        return;
    }
    case IR_OP_movcond: {
        IRTemp x = ir_op_in(op, 0);
        bool r;
        if (cond_decided(cf, (IRCond)ir_op_const(op, 0), x, ir_op_in(op, 1), ir_temp_type(b, x), &r))
            become_mov(cf, op, ir_op_out(op, 0), ir_op_in(op, r ? 2 : 3));
        else if (ir_op_in(op, 2) == ir_op_in(op, 3))
            become_mov(cf, op, ir_op_out(op, 0), ir_op_in(op, 2));
        return;
    }
    case IR_OP_brcond: {
        IRTemp x = ir_op_in(op, 0);
        bool r;
        if (cond_decided(cf, (IRCond)ir_op_const(op, 0), x, ir_op_in(op, 1), ir_temp_type(b, x), &r)) {
            if (r)
                ir_op_make_br(op, ir_op_const(op, 1));
            else
                ir_op_make_nop(op);
            cf->changes++;
        }
        return;
    }
    case IR_OP_mov:
        if (ir_op_out(op, 0) == ir_op_in(op, 0)) {
            ir_op_make_nop(op);
            cf->changes++;
        }
        return;
    default:
        break;
    }

    /* Single-output value ops: everything ir_eval_value knows. */
    if (op->n_out != 1 || op->n_in == 0 || (ir_op_defs[opc].flags & ~IR_OPF_COMMUTATIVE))
        return;
    IRTemp x = ir_op_in(op, 0);
    IRType t = ir_temp_type(b, x);
    bool all_const = true;
    for (unsigned i = 0; i < op->n_in; i++)
        all_const &= is_const(cf, ir_op_in(op, i));
    if (all_const) {
        uint64_t c0 = op->n_const > 0 ? ir_op_const(op, 0) : 0;
        uint64_t c1 = op->n_const > 1 ? ir_op_const(op, 1) : 0;
        uint64_t y = op->n_in > 1 ? cval(cf, ir_op_in(op, 1)) : 0;
        uint64_t r;
        if (ir_eval_value(opc, t, cval(cf, x), y, c0, c1, &r))
            become_const(cf, op, ir_op_out(op, 0), r);
        return;
    }
    if (op->n_in == 2 && op->n_const == 0) {
        fold_identity(cf, op, t);
        return;
    }
    if ((opc == IR_OP_extract) && ir_op_const(op, 0) == 0 && ir_op_const(op, 1) == ir_type_bits(t))
        become_mov(cf, op, ir_op_out(op, 0), x);
}

/* Record what the op's outputs hold now. */
static void learn_outputs(ConstFold *cf, const IROp *op)
{
    IRBlock *b = cf->b;
    if ((op->opc == IR_OP_mulu2 || op->opc == IR_OP_muls2) &&
        is_const(cf, ir_op_in(op, 0)) && is_const(cf, ir_op_in(op, 1))) {
        /* Two results cannot become one mov; remember both and let the
         * readers use the constants (DCE then deletes a dead mul2). */
        IRTemp x = ir_op_in(op, 0);
        uint64_t lo, hi;
        ir_eval_mul2(op->opc == IR_OP_muls2, ir_temp_type(b, x), cval(cf, x),
                     cval(cf, ir_op_in(op, 1)), &lo, &hi);
        IRTemp lt = ir_op_out(op, 0), ht = ir_op_out(op, 1);
        IRTemp lc = ir_const(b, ir_temp_type(b, lt), lo);
        IRTemp hc = ir_const(b, ir_temp_type(b, ht), hi);
        cf->stamp[lt] = ++cf->seq;
        cf->value[lt] = lc;
        cf->stamp[ht] = ++cf->seq;
        cf->value[ht] = hc;
        return;
    }
    for (unsigned i = 0; i < op->n_out; i++) {
        IRTemp o = ir_op_out(op, i);
        if (op->opc == IR_OP_mov && is_const(cf, ir_op_in(op, 0))) {
            cf->stamp[o] = ++cf->seq;
            cf->value[o] = ir_op_in(op, 0);
        } else {
            cf->stamp[o] = 0;
        }
    }
}

unsigned ir_pass_const_fold(IRBlock *b)
{
    ConstFold cf = { .b = b, .n_tracked = b->n_temps };
    size_t mark = ir_scratch_mark();
    cf.stamp = ir_scratch_zalloc((b->n_temps + 1) * sizeof(*cf.stamp));
    cf.value = ir_scratch_alloc((b->n_temps + 1) * sizeof(*cf.value));
    if (!cf.stamp || !cf.value) {
        ir_scratch_release(mark);
        return 0;
    }

    for (unsigned i = 0; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        switch (op->opc) {
        case IR_OP_nop:
            continue;
        case IR_OP_label:
            cf.label_kill = cf.seq;
            continue;
        case IR_OP_discard: {
            IRTemp t = ir_op_in(op, 0);
            if (t < cf.n_tracked)
                cf.stamp[t] = 0;
            continue;
        }
        default:
            break;
        }

        for (unsigned k = 0; k < op->n_in; k++) {
            IRTemp t = ir_op_in(op, k);
            IRTemp c = known_const(&cf, t);
            if (c != IR_TEMP_NONE && c != t) {
                op->args[op->n_out + k] = c;
                cf.changes++;
            }
        }
        fold_op(&cf, op);
        if (op->opc == IR_OP_nop || op->opc == IR_OP_br)
            continue;
        if (ir_op_clobbers_globals(op))
            cf.global_kill = cf.seq;
        else if (ir_op_writes_some_globals(op))
            for (IRTemp g = 0; g < b->n_globals; g++)
                if (ir_helper_writes_global(ir_op_helper(op), b, g))
                    cf.stamp[g] = 0;
        learn_outputs(&cf, op);
    }

    ir_scratch_release(mark);
    return cf.changes;
}
