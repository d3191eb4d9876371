/*
 * x86-emit-fp.c — code for the IR's floating-point ops (fadd ... fcvtz_*,
 * ir-ops.def) with SSE2 scalar instructions.
 *
 * The IR keeps float values as bit patterns in integer temps, so the
 * allocator never sees an xmm register: each op moves its inputs from
 * their general registers into xmm0/xmm1 (movd/movq), computes there and
 * moves the result back.  xmm0 and xmm1 are scratch: nothing lives in an
 * xmm register between ops (helper calls clobber them anyway).  A movq
 * costs about a cycle each way, still far below a helper call.
 *
 * ir-ops.def's rule: the fast path gives the exact result or calls the
 * op's fallback.  The SSE instructions are exact for plain results in the
 * host's default state (round to nearest, no FTZ/DAZ: host/host-fp.h); so
 * each op checks its result and calls the fallback when it is not plain:
 * arithmetic whose result is a NaN, an infinity or tiny (emit_plain_check);
 * cvtt*2si's "integer indefinite" 0x80000000, which covers NaN and
 * out-of-range inputs (and a true INT32_MIN, which the fallback computes
 * too); ucomis's unordered.  Without a fallback those results are
 * unspecified and SSE's stand.  The sticky flags the instructions raise
 * stay in the host status for the frontend (host/host-fp.h).
 */
#include "x86-internal.h"

#define ALL X86_ALLOC_REGS

enum { XMM0 = 0, XMM1 = 1 };

/* prefix (0x66/0xf2/0xf3 or 0) [REX] 0f opc modrm(reg, rm), register form. */
static void sse_rr(X86Asm *a, uint8_t prefix, bool w64, uint8_t opc, int reg, int rm)
{
    if (prefix)
        x86_byte(a, prefix);
    uint8_t rex = (uint8_t)(0x40 | (w64 ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((rm >> 3) & 1));
    if (rex != 0x40)
        x86_byte(a, rex);
    x86_byte(a, 0x0f);
    x86_byte(a, opc);
    x86_byte(a, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* movd/movq xmm, gpr and back */
static void movx_from_gpr(X86Asm *a, bool w64, int xmm, int gpr) { sse_rr(a, 0x66, w64, 0x6e, xmm, gpr); }
static void movx_to_gpr(X86Asm *a, bool w64, int gpr, int xmm) { sse_rr(a, 0x66, w64, 0x7e, xmm, gpr); }

/* Scalar prefix: f2 for double, f3 for single. */
static uint8_t scalar_prefix(bool dbl) { return dbl ? 0xf2 : 0xf3; }

/* Input i of op into xmm register x; returns the general register that
 * holds it (locked for the op: the fallback reads it again). */
static int input_to_xmm(X86Ctx *c, const IROp *op, unsigned i, int x)
{
    IRTemp t = ir_op_in(op, i);
    int r = ra_load(c, t, ALL);
    movx_from_gpr(&c->a, ra_is_w64(c, t), x, r);
    return r;
}

/* The result in xmm0 to the op's output temp. */
static void output_from_xmm0(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    int rd = ra_out(c, out, ALL);
    movx_to_gpr(&c->a, ra_is_w64(c, out), rd, XMM0);
    ra_bind(c, out, rd);
}

/* ---- the fallback (ir-ops.def): an inline slow path around a helper call ----
 *
 * Taken rarely, so it is simple rather than small: it saves every
 * caller-saved register (8 pushes keep rsp 16-byte aligned), loads the
 * helper's arguments from the input registers (or their saved copies),
 * calls it and leaves its result in rax; nothing the allocator knows about
 * changes.  The helper touches no globals (the verifier checks). */
static const int8_t saved_regs[8] = { X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10 };

static int saved_slot(int r)
{
    for (int i = 0; i < 8; i++)
        if (saved_regs[i] == r)
            return 7 - i;     /* [rsp + 8 * slot] after the pushes */
    return -1;
}

static void emit_fallback_call(X86Ctx *c, const IRHelper *h, const int *in_regs, unsigned n_in)
{
    static const int8_t arg_regs[3] = { X86_RDI, X86_RSI, X86_RDX };
    X86Asm *a = &c->a;
    for (int i = 0; i < 8; i++)
        x86_push(a, saved_regs[i]);
    unsigned k = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    for (unsigned i = 0; i < n_in; i++, k++) {
        int slot = saved_slot(in_regs[i]);
        if (slot >= 0)
            x86_load(a, 8, false, true, arg_regs[k], x86_mem(X86_RSP, 8 * slot));
        else
            x86_mov_rr(a, true, arg_regs[k], in_regs[i]);
    }
    if (h->flags & IR_HELPER_PASS_ENV)
        x86_cpu_ptr(a, X86_RDI);
    x86_call(a, (uintptr_t)h->fn, X86_REG_SCRATCH);
}

static void emit_fallback_pops(X86Ctx *c)
{
    for (int i = 7; i >= 0; i--)
        x86_pop(&c->a, saved_regs[i]);
}

/* After the result is in xmm0 (output width w64): keep it when plain
 * (ir_float_plain), else call the helper and put its result in xmm0. */
static void emit_plain_check(X86Ctx *c, const IROp *op, const int *in_regs, bool w64)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h)
        return;
    X86Asm *a = &c->a;
    const int s = X86_REG_SCRATCH;
    /* (exponent - 2) <= emax - 3, unsigned: finite, exponent >= 2 */
    movx_to_gpr(a, w64, s, XMM0);
    x86_shift_ri(a, X86_SHR, w64, s, w64 ? 52 : 23);
    x86_alu_ri(a, X86_AND, false, s, w64 ? 0x7ff : 0xff);
    x86_alu_ri(a, X86_SUB, false, s, 2);
    x86_alu_ri(a, X86_CMP, false, s, w64 ? 0x7fc : 0xfc);
    size_t to_done1 = x86_jcc_rel32(a, X86_CC_BE, 0);
    /* zeros are plain too: the value shifted left by one is zero */
    movx_to_gpr(a, w64, s, XMM0);
    x86_shift_ri(a, X86_SHL, w64, s, 1);
    size_t to_done2 = x86_jcc_rel32(a, X86_CC_E, 0);
    emit_fallback_call(c, h, in_regs, op->n_in);
    movx_from_gpr(a, w64, XMM0, X86_RAX);
    emit_fallback_pops(c);
    x86_patch_rel32(a, to_done1, x86_rx_here(a));
    x86_patch_rel32(a, to_done2, x86_rx_here(a));
}

static void emit_arith(X86Ctx *c, const IROp *op, uint8_t opc)
{
    bool dbl = ra_is_w64(c, ir_op_in(op, 0));
    int in_regs[2];
    in_regs[0] = input_to_xmm(c, op, 0, XMM0);
    if (op->n_in > 1)
        in_regs[1] = input_to_xmm(c, op, 1, XMM1);
    if (opc == 0x51)   /* sqrt: xmm0 = sqrt(xmm0) */
        sse_rr(&c->a, scalar_prefix(dbl), false, opc, XMM0, XMM0);
    else
        sse_rr(&c->a, scalar_prefix(dbl), false, opc, XMM0, XMM1);
    emit_plain_check(c, op, in_regs, dbl);
    output_from_xmm0(c, op);
}

/* ucomis[sd] sets ZF PF CF: unordered 111, less 001, equal 100, greater
 * 000.  The IRFCmpResult is built with cmovs (mov imm leaves the flags
 * alone). */
static void emit_fcmp(X86Ctx *c, const IROp *op)
{
    bool dbl = ra_is_w64(c, ir_op_in(op, 0));
    int in_regs[2];
    in_regs[0] = input_to_xmm(c, op, 0, XMM0);
    in_regs[1] = input_to_xmm(c, op, 1, XMM1);
    IRTemp out = ir_op_out(op, 0);
    int rd = ra_out(c, out, ALL);
    const int s = X86_REG_SCRATCH;
    sse_rr(&c->a, dbl ? 0x66 : 0, false, 0x2e, XMM0, XMM1);
    x86_mov_ri(&c->a, false, rd, IR_FCMP_GREATER);
    x86_mov_ri(&c->a, false, s, IR_FCMP_LESS);
    x86_cmov(&c->a, X86_CC_B, false, rd, s);
    x86_mov_ri(&c->a, false, s, IR_FCMP_EQUAL);
    x86_cmov(&c->a, X86_CC_E, false, rd, s);
    x86_mov_ri(&c->a, false, s, IR_FCMP_UNORDERED);
    x86_cmov(&c->a, X86_CC_P, false, rd, s);
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (h) {
        /* unordered: the helper's answer (rd itself is restored by the pops) */
        X86Asm *a = &c->a;
        x86_alu_ri(a, X86_CMP, false, rd, IR_FCMP_UNORDERED);
        size_t to_done = x86_jcc_rel32(a, X86_CC_NE, 0);
        emit_fallback_call(c, h, in_regs, 2);
        x86_mov_rr(a, false, s, X86_RAX);
        emit_fallback_pops(c);
        x86_mov_rr(a, false, rd, s);
        x86_patch_rel32(a, to_done, x86_rx_here(a));
    }
    ra_bind(c, out, rd);
}

/* cvtss2sd / cvtsd2ss: opcode 5a with the source's prefix. */
static void emit_cvt_format(X86Ctx *c, const IROp *op, bool from_dbl)
{
    int in_reg = input_to_xmm(c, op, 0, XMM0);
    sse_rr(&c->a, scalar_prefix(from_dbl), false, 0x5a, XMM0, XMM0);
    if (op->n_const)
        emit_plain_check(c, op, &in_reg, !from_dbl);
    output_from_xmm0(c, op);
}

/* cvtsi2ss / cvtsi2sd from a 32-bit register (xorps first: the convert
 * only writes the low lane and would depend on xmm0's old value). */
static void emit_cvt_from_int(X86Ctx *c, const IROp *op, bool to_dbl)
{
    int r = ra_load(c, ir_op_in(op, 0), ALL);
    sse_rr(&c->a, 0, false, 0x57, XMM0, XMM0);
    sse_rr(&c->a, scalar_prefix(to_dbl), false, 0x2a, XMM0, r);
    output_from_xmm0(c, op);
}

/* cvttss2si / cvttsd2si into a 32-bit register (via r11, where the
 * fallback leaves its result too). */
static void emit_cvt_to_int(X86Ctx *c, const IROp *op, bool from_dbl)
{
    X86Asm *a = &c->a;
    const int s = X86_REG_SCRATCH;
    int in_reg = input_to_xmm(c, op, 0, XMM0);
    sse_rr(a, scalar_prefix(from_dbl), false, 0x2c, s, XMM0);
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (h) {
        x86_alu_ri(a, X86_CMP, false, s, (int32_t)0x80000000u);
        size_t to_done = x86_jcc_rel32(a, X86_CC_NE, 0);
        emit_fallback_call(c, h, &in_reg, 1);
        x86_mov_rr(a, false, s, X86_RAX);
        emit_fallback_pops(c);
        x86_patch_rel32(a, to_done, x86_rx_here(a));
    }
    IRTemp out = ir_op_out(op, 0);
    int rd = ra_out(c, out, ALL);
    x86_mov_rr(a, false, rd, s);
    ra_bind(c, out, rd);
}

bool x86_emit_fp(X86Ctx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_fadd: emit_arith(c, op, 0x58); break;
    case IR_OP_fsub: emit_arith(c, op, 0x5c); break;
    case IR_OP_fmul: emit_arith(c, op, 0x59); break;
    case IR_OP_fdiv: emit_arith(c, op, 0x5e); break;
    case IR_OP_fsqrt: emit_arith(c, op, 0x51); break;
    case IR_OP_fcmp: emit_fcmp(c, op); break;
    case IR_OP_fcvt_f32_f64: emit_cvt_format(c, op, false); break;
    case IR_OP_fcvt_f64_f32: emit_cvt_format(c, op, true); break;
    case IR_OP_fcvt_s32_f32: emit_cvt_from_int(c, op, false); break;
    case IR_OP_fcvt_s32_f64: emit_cvt_from_int(c, op, true); break;
    case IR_OP_fcvtz_f32_s32: emit_cvt_to_int(c, op, false); break;
    case IR_OP_fcvtz_f64_s32: emit_cvt_to_int(c, op, true); break;
    default: return false;
    }
    return true;
}
