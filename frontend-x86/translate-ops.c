/*
 * translate-ops.c — values every x86 instruction class reads and writes:
 * general registers at 8/16/32/64 bits (AH..BH, the zero-extension of
 * 32-bit writes in 64-bit code), guest memory, the operands of a decoded
 * instruction, and the stack.  Values travel as temps of the register
 * type (s->tl) holding the operand zero-extended.
 */
#include <stddef.h>

#include "frontend-x86/x86-translate.h"

static bool known_zext_at(const IRBlock *b, IRTemp v, unsigned bits, unsigned at, unsigned depth);

/* A guest register global, as read by op `at`: zero-extended when its last
 * write in this straight-line stretch of the block stored such a value (a
 * 32-bit write earlier in the block), with no label, helper that may write
 * it, or other state write in between. */
static bool global_zext_at(const IRBlock *b, IRTemp g, unsigned bits, unsigned at, unsigned depth)
{
    unsigned stop = at > 64 ? at - 64 : 0;
    for (unsigned i = at; i-- > stop;) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label || (ir_op_defs[op->opc].flags & IR_OPF_WRITES_STATE))
            return false;
        if (op->opc == IR_OP_discard && ir_op_in(op, 0) == g)
            return false;
        if (op->opc == IR_OP_call) {
            if (ir_helper_writes_global(ir_op_helper(op), b, g))
                return false;
            continue;
        }
        for (unsigned j = 0; j < op->n_out; j++)
            if (ir_op_out(op, j) == g)
                return op->opc == IR_OP_mov && known_zext_at(b, ir_op_in(op, 0), bits, i, depth - 1);
    }
    return false;
}

/* Is v, as read by op `at`, already zero-extended from `bits`?  A
 * constant, or a local the few ops before made so: a zero-extending
 * extract or load, a compare, or a logical shift right, and, or, xor of
 * such values (32-bit arithmetic in 64-bit code: `shr eax, 8` and
 * `xor eax, [mem]` then need no second extract).  depth bounds the
 * recursion through operands. */
static bool known_zext_at(const IRBlock *b, IRTemp v, unsigned bits, unsigned at, unsigned depth)
{
    const IRTempInfo *t = &b->temps[v];
    if (t->kind == IR_TEMP_CONST)
        return bits >= 64 || (t->value >> bits) == 0;
    if (t->kind == IR_TEMP_GLOBAL)
        return depth && global_zext_at(b, v, bits, at, depth);
    if (t->kind != IR_TEMP_LOCAL)
        return false;
    unsigned stop = at > 6 ? at - 6 : 0;
    for (unsigned i = at; i-- > stop;) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label || op->opc == IR_OP_insn_start)
            return false;
        if (op->n_out && ir_op_out(op, 0) == v) {
            switch (op->opc) {
            case IR_OP_extract:
                return ir_op_const(op, 0) == 0 && ir_op_const(op, 1) <= bits;
            case IR_OP_ext8u:
                return bits >= 8;
            case IR_OP_ext16u:
                return bits >= 16;
            case IR_OP_ld:
                return !(ir_op_const(op, 0) & IR_MO_SIGN) && (8u << (ir_op_const(op, 0) & IR_MO_SIZE)) <= bits;
            case IR_OP_setcond:
                return true;
            case IR_OP_mov:
                return depth && known_zext_at(b, ir_op_in(op, 0), bits, i, depth - 1);
            case IR_OP_shr:
                return depth && known_zext_at(b, ir_op_in(op, 0), bits, i, depth - 1);
            case IR_OP_and:
                return depth && (known_zext_at(b, ir_op_in(op, 0), bits, i, depth - 1) ||
                                 known_zext_at(b, ir_op_in(op, 1), bits, i, depth - 1));
            case IR_OP_or: case IR_OP_xor:
                return depth && known_zext_at(b, ir_op_in(op, 0), bits, i, depth - 1) &&
                       known_zext_at(b, ir_op_in(op, 1), bits, i, depth - 1);
            default:
                return false;
            }
        }
    }
    return false;
}

static bool known_zext(const IRBlock *b, IRTemp v, unsigned bits)
{
    return known_zext_at(b, v, bits, b->n_ops, 2);
}

IRTemp x86_zext(DisasContext *s, IRTemp v, unsigned ot)
{
    /* a global is copied: the instruction may write the register before
     * its last use of the value */
    if (ot < X86_OT_64 && known_zext(s->b, v, ot_bits(ot)))
        return s->b->temps[v].kind == IR_TEMP_GLOBAL ? ir_mov(s->b, v) : v;
    switch (ot) {
    case X86_OT_8: return ir_ext8u(s->b, v);
    case X86_OT_16: return ir_ext16u(s->b, v);
    case X86_OT_32: return s->tl == IR_I64 ? ir_extract(s->b, v, 0, 32) : v;
    default: return v;
    }
}

IRTemp x86_sext(DisasContext *s, IRTemp v, unsigned ot)
{
    switch (ot) {
    case X86_OT_8: return ir_ext8s(s->b, v);
    case X86_OT_16: return ir_ext16s(s->b, v);
    case X86_OT_32: return s->tl == IR_I64 ? ir_sextract(s->b, v, 0, 32) : v;
    default: return v;
    }
}

IRTemp x86_load_reg(DisasContext *s, unsigned ot, unsigned reg, bool high)
{
    IRTemp r = cpu_regs[reg];
    if (high)
        return ir_extract(s->b, r, 8, 8);
    /* a copy: the instruction may write the register before its last use */
    if ((s->tl == IR_I64 && ot == X86_OT_64) || (s->tl == IR_I32 && ot == X86_OT_32))
        return ir_mov(s->b, r);
    return x86_zext(s, r, ot);
}

void x86_store_reg(DisasContext *s, unsigned ot, unsigned reg, bool high, IRTemp v)
{
    IRTemp r = cpu_regs[reg];
    IRBlock *b = s->b;
    if (high) {
        ir_mov_to(b, r, ir_deposit(b, r, v, 8, 8));
        return;
    }
    switch (ot) {
    case X86_OT_8:
        ir_mov_to(b, r, ir_deposit(b, r, v, 0, 8));
        break;
    case X86_OT_16:
        ir_mov_to(b, r, ir_deposit(b, r, v, 0, 16));
        break;
    case X86_OT_32:
        /* a 32-bit write clears bits 63:32 */
        ir_mov_to(b, r, x86_zext(s, v, X86_OT_32));
        break;
    default:
        ir_mov_to(b, r, v);
        break;
    }
}

IRTemp x86_ld(DisasContext *s, unsigned ot, IRTemp addr)
{
    return ir_ld(s->b, s->tl, addr, (IRMemOp)ot);
}

void x86_st(DisasContext *s, unsigned ot, IRTemp v, IRTemp addr)
{
    ir_st(s->b, v, addr, (IRMemOp)ot);
}

IRTemp x86_addr64(DisasContext *s, IRTemp addr)
{
    return s->tl == IR_I64 ? addr : ir_extu_i32_i64(s->b, addr);
}

IRTemp x86_load_op(DisasContext *s, X86Insn *d, unsigned i)
{
    X86Operand *o = &d->op[i];
    switch (o->kind) {
    case X86_OPK_I: case X86_OPK_ONE: {
        /* an immediate is sign-extended to the instruction's operand size
         * (83 /0 Ev,Ib; 81 /0 Ev,Iz with REX.W) */
        unsigned ot = i > 0 && d->op[0].kind != X86_OPK_I && d->op[0].ot <= X86_OT_64 ? d->op[0].ot : o->ot;
        return tlc(s, (uint64_t)o->imm & ot_mask(ot));
    }
    default:
        if (o->is_mem)
            return x86_ld(s, o->ot, d->addr);
        return x86_load_reg(s, o->ot, o->reg, o->high_byte);
    }
}

IRTemp x86_load_op_low(DisasContext *s, X86Insn *d, unsigned i)
{
    X86Operand *o = &d->op[i];
    if (o->kind != X86_OPK_I && o->kind != X86_OPK_ONE && !o->is_mem && !o->high_byte &&
        o->kind != X86_OPK_NONE)
        return ir_mov(s->b, cpu_regs[o->reg]);
    return x86_load_op(s, d, i);
}

void x86_store_op(DisasContext *s, X86Insn *d, unsigned i, IRTemp v)
{
    X86Operand *o = &d->op[i];
    if (o->is_mem)
        x86_st(s, o->ot, v, d->addr);
    else
        x86_store_reg(s, o->ot, o->reg, o->high_byte, v);
}

/* ---- the stack ---------------------------------------------------------------- */

unsigned x86_stack_ot(DisasContext *s)
{
    if (s->code64)
        return s->dflag == X86_OT_16 ? X86_OT_16 : X86_OT_64;
    return s->dflag;
}

/* rsp as an address: ss is flat, the stack is 64-bit in 64-bit code and
 * (Linux) 32-bit otherwise */
void x86_gen_push(DisasContext *s, unsigned ot, IRTemp v)
{
    IRTemp sp = ir_sub(s->b, cpu_regs[X86_RSP], tlc(s, 1u << ot));
    x86_st(s, ot, v, sp);
    ir_mov_to(s->b, cpu_regs[X86_RSP], sp);
}

IRTemp x86_gen_pop_peek(DisasContext *s, unsigned ot)
{
    return x86_ld(s, ot, cpu_regs[X86_RSP]);
}

void x86_gen_pop_commit(DisasContext *s, unsigned ot)
{
    ir_mov_to(s->b, cpu_regs[X86_RSP], ir_add(s->b, cpu_regs[X86_RSP], tlc(s, 1u << ot)));
}

IRTemp x86_gen_pop(DisasContext *s, unsigned ot)
{
    IRTemp v = x86_gen_pop_peek(s, ot);
    x86_gen_pop_commit(s, ot);
    return v;
}
