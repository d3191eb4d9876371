/*
 * x86-emit-x87.c — the IR's x87 op (ir-ops.def, ir.h "The x87 op"): one
 * host x87 instruction, emitted as it is.
 *
 * The host's x87 register stack is not the register allocator's business:
 * the frontend that emits x87 ops keeps track of what is on it and empties
 * it before anything leaves the block or calls a helper (exec/backend.h,
 * Backend.host_x87).  Memory operands live in the cpu state (const 1):
 * guest memory is read and written by the IR's own ld/st around the op, so
 * guest faults stay precise and go through the usual path.
 */
#include "x86-internal.h"

#define ALL X86_ALLOC_REGS

static void emit_op_itself(X86Ctx *c, uint64_t d, uint32_t off)
{
    unsigned kind = ir_x87_kind(d);
    if (kind == IR_X87_REG || kind == IR_X87_FCOMI)
        x86_x87_r(&c->a, ir_x87_opc(d), ir_x87_modrm(d));
    else
        x86_x87_m(&c->a, ir_x87_opc(d), (ir_x87_modrm(d) >> 3) & 7, x86_cpu_mem(off));
}

static void emit_x87(X86Ctx *c, const IROp *op)
{
    uint64_t d = ir_op_const(op, 0);
    uint32_t off = (uint32_t)ir_op_const(op, 1);
    IRTemp out = ir_op_out(op, 0), in = ir_op_in(op, 0);
    unsigned kind = ir_x87_kind(d), size = ir_x87_size(d);

    if (kind == IR_X87_IN) {
        int32_t imm;
        if (x86_imm_of(c, in, &imm) && size <= 4) {
            x86_store_imm(&c->a, size, imm, x86_cpu_mem(off));
        } else {
            int rv = ra_load(c, in, ALL);
            x86_store(&c->a, size, rv, x86_cpu_mem(off));
        }
    }
    if (kind == IR_X87_FNSTSW) {
        /* fnstsw m16 (no fixed register, no wait) */
        x86_x87_m(&c->a, 0xdd, 7, x86_cpu_mem(off));
        int rd = ra_out(c, out, ALL);
        x86_load(&c->a, 2, false, ra_is_w64(c, out), rd, x86_cpu_mem(off));
        ra_bind(c, out, rd);
        return;
    }
    emit_op_itself(c, d, off);
    if (kind == IR_X87_OUT) {
        int rd = ra_out(c, out, ALL);
        x86_load(&c->a, size, false, ra_is_w64(c, out) || size == 8, rd, x86_cpu_mem(off));
        ra_bind(c, out, rd);
    } else if (kind == IR_X87_FCOMI) {
        /* out = ZF << 6 | PF << 2 | CF, from the flags FCOMI just set */
        int rd = ra_out(c, out, ALL);
        int t = X86_REG_SCRATCH;
        x86_setcc(&c->a, X86_CC_B, rd);
        x86_movzx_rr(&c->a, 1, rd, rd);
        x86_setcc(&c->a, X86_CC_P, t);
        x86_movzx_rr(&c->a, 1, t, t);
        x86_lea(&c->a, false, rd, x86_mem_idx(rd, t, 2, 0));
        x86_setcc(&c->a, X86_CC_E, t);
        x86_movzx_rr(&c->a, 1, t, t);
        x86_shift_ri(&c->a, X86_SHL, false, t, 6);
        x86_alu_rr(&c->a, X86_OR, false, rd, t);
        ra_bind(c, out, rd);
    }
}

/* x87_mem: the instruction on [guest_base + address]; a fault there is a
 * guest fault like a load's (the host leaves the x87 state unchanged) */
static void emit_x87_mem(X86Ctx *c, const IROp *op)
{
    uint64_t d = ir_op_const(op, 0);
    X86Mem m = x86_guest_mem(c, ir_op_in(op, 0), ALL);
    x86_x87_m(&c->a, ir_x87_opc(d), (ir_x87_modrm(d) >> 3) & 7, m);
}

bool x86_emit_x87(X86Ctx *c, const IROp *op)
{
    if (op->opc == IR_OP_x87)
        emit_x87(c, op);
    else if (op->opc == IR_OP_x87_mem)
        emit_x87_mem(c, op);
    else
        return false;
    return true;
}
