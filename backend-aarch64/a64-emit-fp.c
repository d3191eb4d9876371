/*
 * a64-emit-fp.c — code for the IR's floating-point ops (fadd ... fcvtz_*,
 * ir-ops.def) with A64 scalar FP instructions.
 *
 * Floats live in integer temps as bit patterns (docs/ir.md): each op moves
 * its inputs into v0/v1 (FMOV Sn, Wm / Dn, Xm), computes there and moves the
 * result back.  v0, v1 are scratch inside one op; no temp lives in a vector
 * register (a64-internal.h).
 *
 * The neutral float rule (ir-ops.def, docs/ir.md "Floating point"): the
 * fast path gives the exact result or calls the op's fallback.  A64's
 * scalar instructions are IEEE-exact in the host's default FPCR (round to
 * nearest, FZ = 0, DN = 0: host/host-fp-aarch64.h HOST_FPCR_DEFAULT, which
 * the owner of the FP state keeps while generated code runs), so each op
 * checks its result and calls the fallback when it is not plain:
 *   - arithmetic and fcvt_f64_f32: a NaN, an infinity, a denormal or a
 *     magnitude below twice the smallest normal (plain_check: the biased
 *     exponent minus 2, unsigned, at most emax - 3; or a zero);
 *   - fcvtz: FCVTZS saturates (INT32_MIN/MAX, NaN -> 0) where the IR wants
 *     the fallback, so the conversion is done to 64 bits and the result
 *     must sign-extend from 32 bits (in int32 range), differ from
 *     INT32_MIN (like x86_64's indefinite test, so every backend and the
 *     interpreter call the fallback for the same inputs) and the input
 *     must be ordered (FCMP v0, v0: VS on a NaN);
 *   - fcmp: unordered (V set after FCMP).
 * Without a fallback the host's result stands.  FPSR accumulates the
 * sticky flags for the frontend (host/host-fp.h).
 */
#include "a64-internal.h"

enum { V0 = 0, V1 = 1 };

/* Input i of op into FP register v (S for an i32 temp, D for an i64);
 * returns the general register holding it (locked for the op: the
 * fallback reads it again). */
static int input_to_v(BackendCtx *c, const IROp *op, unsigned i, int v)
{
    IRTemp t = ir_op_in(op, i);
    int r = a64_in(c, t);
    a64_fmov_gp(&c->a, true, a64_is_w64(c, t), v, r);
    return r;
}

/* The result in v0 to the op's output temp. */
static void output_from_v0(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    int rd = a64_out(c, out);
    a64_fmov_gp(&c->a, false, a64_is_w64(c, out), V0, rd);
    ra_bind(c, out, rd);
}

/* ---- the fallback: an inline slow path around a helper call ----
 *
 * Taken rarely, so simple: it saves the caller-saved registers that hold
 * a value (x0..x15 bound or locked; x16/x17 are scratch, x30 is saved by
 * the prologue and clobbered by every call) in pairs below sp, loads the
 * helper's arguments from the input registers or their saved copies, calls
 * it and restores; nothing the allocator knows about changes.  The helper
 * touches no globals (the verifier checks). */
void a64_frame_push(BackendCtx *c, A64SlowFrame *f)
{
    f->n = 0;
    for (int r = 0; r < 16; r++)
        if (c->owner[r] >= 0 || (c->locked & A64_RBIT(r)))
            f->regs[f->n++] = (int8_t)r;
    if (f->n & 1)
        f->regs[f->n++] = A64_ZR;      /* pad to a pair: sp stays 16-byte aligned */
    f->size = f->n * 8;
    if (f->size)
        a64_addsub_imm(&c->a, A64_SUB, true, A64_SP, A64_SP, f->size);
    for (unsigned i = 0; i < f->n; i += 2)
        a64_ldstp(&c->a, false, true, f->regs[i], f->regs[i + 1], A64_SP, (int)(8 * i), A64_OFFSET);
}

int32_t a64_frame_slot(const A64SlowFrame *f, int r)
{
    for (unsigned i = 0; i < f->n; i++)
        if (f->regs[i] == r)
            return (int32_t)(8 * i);
    return -1;
}

void a64_frame_arg(BackendCtx *c, const A64SlowFrame *f, int dst, int src)
{
    int32_t slot = a64_frame_slot(f, src);
    if (slot >= 0)
        a64_ldst_imm(&c->a, A64_LDR, 3, dst, A64_SP, slot);
    else if (dst != src)
        a64_mov_rr(&c->a, true, dst, src);
}

void a64_frame_pop(BackendCtx *c, const A64SlowFrame *f)
{
    for (unsigned i = 0; i < f->n; i += 2) {
        if (f->regs[i + 1] == A64_ZR)
            a64_ldst_imm(&c->a, A64_LDR, 3, f->regs[i], A64_SP, (int64_t)(8 * i));
        else
            a64_ldstp(&c->a, true, true, f->regs[i], f->regs[i + 1], A64_SP, (int)(8 * i), A64_OFFSET);
    }
    if (f->size)
        a64_addsub_imm(&c->a, A64_ADD, true, A64_SP, A64_SP, f->size);
}

/* Save, load the helper's arguments (env first when it wants it), call.
 * The result is in x0 until emit_fallback_pops. */
static void emit_fallback_call(BackendCtx *c, const IRHelper *h, const int *in_regs, unsigned n_in,
                               A64SlowFrame *f)
{
    a64_frame_push(c, f);
    unsigned k = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    /* the inputs go to x0..x2 from their saved copies (every caller-saved
     * input register was saved), so no move overwrites an unread input */
    for (unsigned i = 0; i < n_in; i++, k++)
        a64_frame_arg(c, f, (int)k, in_regs[i]);
    if (h->flags & IR_HELPER_PASS_ENV)
        a64_mov_rr(&c->a, true, A64_X0, A64_REG_CPU);
    a64_call(c, (uintptr_t)h->fn);
}

/* A conditional branch to be patched to "here" later. */
static size_t bcond_fwd(BackendAsm *a, A64Cond cc)
{
    size_t off = backend_asm_offset(a);
    a64_b_cond(a, cc, a64_here(a));
    return off;
}

static void patch_here(BackendAsm *a, size_t off) { a64_patch_branch(a, off, a64_here(a)); }

/* After the result is in v0 (w64: double): keep it when plain, else call
 * the helper and put its result in v0. */
static void emit_plain_check(BackendCtx *c, const IROp *op, const int *in_regs, bool w64)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h)
        return;
    BackendAsm *a = &c->a;
    const int s = A64_REG_TMP, e = A64_REG_TMP2;
    a64_fmov_gp(a, false, w64, V0, s);
    /* (exponent - 2) <= emax - 3, unsigned: finite, exponent >= 2 */
    a64_ubfx(a, w64, e, s, w64 ? 52 : 23, w64 ? 11 : 8);
    a64_addsub_imm(a, A64_SUB, false, e, e, 2);
    a64_cmp_imm(a, false, e, w64 ? 0x7fc : 0xfc);
    size_t to_done1 = bcond_fwd(a, A64_LS);
    /* zeros are plain too: every bit but the sign clear */
    a64_tst_imm(a, w64, s, w64 ? 0x7fffffffffffffffull : 0x7fffffffu);
    size_t to_done2 = bcond_fwd(a, A64_EQ);
    A64SlowFrame f;
    emit_fallback_call(c, h, in_regs, op->n_in, &f);
    a64_fmov_gp(a, true, w64, V0, A64_X0);
    a64_frame_pop(c, &f);
    patch_here(a, to_done1);
    patch_here(a, to_done2);
}

static void emit_arith(BackendCtx *c, const IROp *op, int fop2, bool sqrt)
{
    bool dbl = a64_is_w64(c, ir_op_in(op, 0));
    A64FType t = dbl ? A64_D : A64_S;
    int in_regs[2];
    in_regs[0] = input_to_v(c, op, 0, V0);
    if (op->n_in > 1)
        in_regs[1] = input_to_v(c, op, 1, V1);
    if (sqrt)
        a64_fop1(&c->a, A64_FSQRT, t, V0, V0);
    else
        a64_fop2(&c->a, (A64FOp2)fop2, t, V0, V0, V1);
    emit_plain_check(c, op, in_regs, dbl);
    output_from_v0(c, op);
}

/* FCMP sets NZCV: less 1000, equal 0110, greater 0010, unordered 0011.
 * rd = HI (greater) + GE (greater or equal): 2, 1, 0 for the ordered
 * cases; unordered gives 1 there and is fixed up by VS. */
static void emit_fcmp(BackendCtx *c, const IROp *op)
{
    BackendAsm *a = &c->a;
    bool dbl = a64_is_w64(c, ir_op_in(op, 0));
    int in_regs[2];
    in_regs[0] = input_to_v(c, op, 0, V0);
    in_regs[1] = input_to_v(c, op, 1, V1);
    IRTemp out = ir_op_out(op, 0);
    int rd = a64_out(c, out);
    a64_fcmp(a, false, dbl ? A64_D : A64_S, V0, V1);
    a64_cset(a, false, rd, A64_HI);
    a64_csel(a, A64_CSINC, false, rd, rd, rd, A64_LT);    /* CINC rd, rd, GE */
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h) {
        a64_movz(a, false, A64_REG_TMP, IR_FCMP_UNORDERED, 0);
        a64_csel(a, A64_CSEL, false, rd, A64_REG_TMP, rd, A64_VS);
    } else {
        size_t to_done = bcond_fwd(a, A64_VC);
        A64SlowFrame f;
        emit_fallback_call(c, h, in_regs, 2, &f);
        a64_mov_rr(a, false, A64_REG_TMP, A64_X0);
        a64_frame_pop(c, &f);
        a64_mov_rr(a, false, rd, A64_REG_TMP);
        patch_here(a, to_done);
    }
    ra_bind(c, out, rd);
}

/* FCVT between the formats: from_dbl is the source's. */
static void emit_cvt_format(BackendCtx *c, const IROp *op, bool from_dbl)
{
    int in_reg = input_to_v(c, op, 0, V0);
    a64_fcvt(&c->a, from_dbl ? A64_S : A64_D, from_dbl ? A64_D : A64_S, V0, V0);
    if (op->n_const)
        emit_plain_check(c, op, &in_reg, !from_dbl);
    output_from_v0(c, op);
}

/* SCVTF from a 32-bit register: exact for a double, rounded to nearest for
 * a single (raising inexact then, as IEEE says). */
static void emit_cvt_from_int(BackendCtx *c, const IROp *op, bool to_dbl)
{
    int r = a64_in(c, ir_op_in(op, 0));
    a64_cvtf(&c->a, false, to_dbl ? A64_D : A64_S, false, V0, r);
    output_from_v0(c, op);
}

/* FCVTZS toward zero.  With a fallback: to 64 bits in x16, then a NaN
 * (FCMP v0, v0 unordered), a value that does not sign-extend from 32
 * bits (outside the int32 range; FCVTZS X saturates beyond 2^63, still
 * outside) or INT32_MIN itself calls it.  The 64-bit conversion raises inexact exactly when
 * the 32-bit one would for every in-range input. */
static void emit_cvt_to_int(BackendCtx *c, const IROp *op, bool from_dbl)
{
    BackendAsm *a = &c->a;
    A64FType t = from_dbl ? A64_D : A64_S;
    int in_reg = input_to_v(c, op, 0, V0);
    IRTemp out = ir_op_out(op, 0);
    int rd = a64_out(c, out);
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h) {
        a64_fcvtz(a, false, false, t, rd, V0);
        ra_bind(c, out, rd);
        return;
    }
    const int s = A64_REG_TMP;
    a64_fcvtz(a, false, true, t, s, V0);
    a64_fcmp(a, false, t, V0, V0);
    size_t to_slow1 = bcond_fwd(a, A64_VS);
    /* in range: x16 == sxtw(w16); and w16 != INT32_MIN (the fallback
     * computes that one too, as on x86_64 and in the interpreter): w16 - 1
     * overflows exactly for INT32_MIN.  Out of range forces V. */
    a64_addsub_ext(a, A64_SUBS, true, A64_ZR, s, s, A64_SXTW, 0);
    a64_ccmp_imm(a, false, false, s, 1, 1, A64_EQ);
    size_t to_fast = bcond_fwd(a, A64_VC);
    patch_here(a, to_slow1);
    A64SlowFrame f;
    emit_fallback_call(c, h, &in_reg, 1, &f);
    a64_mov_rr(a, false, s, A64_X0);
    a64_frame_pop(c, &f);
    patch_here(a, to_fast);
    a64_mov_rr(a, false, rd, s);          /* the low 32 bits, upper half clear */
    ra_bind(c, out, rd);
}

bool a64_emit_fp(BackendCtx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_fadd: emit_arith(c, op, A64_FADD, false); break;
    case IR_OP_fsub: emit_arith(c, op, A64_FSUB, false); break;
    case IR_OP_fmul: emit_arith(c, op, A64_FMUL, false); break;
    case IR_OP_fdiv: emit_arith(c, op, A64_FDIV, false); break;
    case IR_OP_fsqrt: emit_arith(c, op, 0, true); break;
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
