/*
 * translate-shift.c — shifts and rotates: SHL/SAL SHR SAR ROL ROR (C0 C1
 * D0-D3), RCL/RCR (helpers), SHLD/SHRD.  The count is masked to 5 bits (6
 * with a 64-bit operand); a masked count of zero changes no flags, which
 * for a count in CL is a movcond on each flag record word.
 */
#include "frontend-x86/x86-translate.h"

enum { SH_ROL, SH_ROR, SH_SHL, SH_SHR, SH_SAR };

static unsigned count_mask(unsigned ot)
{
    return ot == X86_OT_64 ? 63 : 31;
}

/* The count operand: constant (*is_const, *c) or a temp. */
static IRTemp load_count(DisasContext *s, X86Insn *d, unsigned i, unsigned ot, bool *is_const, unsigned *c)
{
    X86Operand *o = &d->op[i];
    if (o->kind == X86_OPK_I || o->kind == X86_OPK_ONE) {
        *is_const = true;
        *c = (unsigned)o->imm & count_mask(ot);
        return tlc(s, *c);
    }
    *is_const = false;
    return ir_andi(s->b, x86_load_reg(s, X86_OT_8, X86_RCX, false), count_mask(ot));
}

/* A shift by a constant zero changes nothing, except that a 32-bit
 * register destination is still written (bits 63:32 cleared), as the
 * processors do. */
static bool gen_count0(DisasContext *s, X86Insn *d)
{
    if (!d->op[0].is_mem && d->op[0].ot == X86_OT_32 && s->tl == IR_I64)
        x86_store_op(s, d, 0, x86_load_op(s, d, 0));
    return true;
}

/* After a flag-setting shift by a variable count: keep the old record when
 * the count was zero (the cc_op global is always current). */
static void set_cc_unless_zero(DisasContext *s, IRTemp cnt, unsigned kind, unsigned ot, IRTemp dst, IRTemp src)
{
    IRBlock *b = s->b;
    IRTemp z = tlc(s, 0);
    ir_mov_to(b, cpu_cc_dst, ir_movcond(b, IR_COND_EQ, cnt, z, cpu_cc_dst, dst));
    ir_mov_to(b, cpu_cc_src, ir_movcond(b, IR_COND_EQ, cnt, z, cpu_cc_src, src));
    IRTemp op = s->cc_op == X86_CC_DYNAMIC ? cpu_cc_op : c32(s, s->cc_op);
    IRTemp cnt32 = s->tl == IR_I64 ? ir_extrl_i64_i32(b, cnt) : cnt;
    ir_mov_to(b, cpu_cc_op, ir_movcond(b, IR_COND_EQ, cnt32, c32(s, 0), op, c32(s, X86_CC_OP(kind, ot))));
    s->cc_op = X86_CC_DYNAMIC;
    x86_cc_forget(s);
}

static bool gen_shift(DisasContext *s, X86Insn *d, unsigned op)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    bool is_const;
    unsigned c;
    IRTemp cnt = load_count(s, d, 1, ot, &is_const, &c);
    if (is_const && c == 0)
        return gen_count0(s, d);
    IRTemp a = x86_load_op(s, d, 0);
    IRTemp cm1 = is_const ? tlc(s, c - 1) : ir_sub(b, cnt, tlc(s, 1));
    IRTemp r, src;
    unsigned kind;
    switch (op) {
    case SH_SHL:
        r = x86_zext(s, ir_shl(b, a, cnt), ot);
        src = x86_zext(s, ir_shl(b, a, cm1), ot);
        kind = X86_CCK_SHL;
        break;
    case SH_SHR:
        r = ir_shr(b, a, cnt);
        src = ir_shr(b, a, cm1);
        kind = X86_CCK_SAR;
        break;
    default: {
        IRTemp sa = x86_sext(s, a, ot);
        r = x86_zext(s, ir_sar(b, sa, cnt), ot);
        src = x86_zext(s, ir_sar(b, sa, cm1), ot);
        kind = X86_CCK_SAR;
        break;
    }
    }
    x86_store_op(s, d, 0, r);
    if (is_const)
        x86_set_cc(s, kind, ot, r, src, IR_TEMP_NONE);
    else
        set_cc_unless_zero(s, cnt, kind, ot, r, src);
    (void)bits;
    return true;
}

static bool gen_rotate(DisasContext *s, X86Insn *d, bool left)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    bool is_const, full = ot_bits(ot) == (s->tl == IR_I64 ? 64u : 32u);
    unsigned c;
    IRTemp cnt = load_count(s, d, 1, ot, &is_const, &c);
    if (is_const && c == 0)
        return gen_count0(s, d);
    IRTemp a = x86_load_op(s, d, 0);
    IRTemp rc = is_const ? tlc(s, c & (bits - 1)) : ir_andi(b, cnt, bits - 1);
    IRTemp r;
    if (full) {
        r = left ? ir_rotl(b, a, rc) : ir_rotr(b, a, rc);
    } else {
        IRTemp back = ir_sub(b, tlc(s, bits), rc);
        r = left ? ir_or(b, ir_shl(b, a, rc), ir_shr(b, a, back))
                 : ir_or(b, ir_shr(b, a, rc), ir_shl(b, a, back));
        r = x86_zext(s, r, ot);
    }
    x86_store_op(s, d, 0, r);
    /* CF: the bit that went round; OF (defined for one place): ROL
     * MSB ^ CF, ROR the two top bits' XOR.  The other flags stay. */
    IRTemp old = x86_gen_eflags(s);
    IRTemp cf, of;
    if (left) {
        cf = ir_andi(b, r, 1);
        of = ir_xor(b, ir_extract(b, r, bits - 1, 1), cf);
    } else {
        cf = ir_extract(b, r, bits - 1, 1);
        of = ir_xor(b, cf, ir_extract(b, r, bits - 2, 1));
    }
    IRTemp nf = ir_or(b, ir_andi(b, old, ~(uint64_t)(X86_EFLAGS_CF | X86_EFLAGS_OF)),
                      ir_or(b, cf, ir_shli(b, of, 11)));
    if (!is_const)
        nf = ir_movcond(b, IR_COND_EQ, cnt, tlc(s, 0), old, nf);
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, nf, IR_TEMP_NONE);
    return true;
}

bool x86_trans_SHL(DisasContext *s, X86Insn *d) { return gen_shift(s, d, SH_SHL); }
bool x86_trans_SHR(DisasContext *s, X86Insn *d) { return gen_shift(s, d, SH_SHR); }
bool x86_trans_SAR(DisasContext *s, X86Insn *d) { return gen_shift(s, d, SH_SAR); }
bool x86_trans_ROL(DisasContext *s, X86Insn *d) { return gen_rotate(s, d, true); }
bool x86_trans_ROR(DisasContext *s, X86Insn *d) { return gen_rotate(s, d, false); }

/* RCL / RCR: rotations through CF, in C (rare, and a 9/17/33/65-bit
 * rotation is awkward in IR) */
static bool gen_rcx(DisasContext *s, X86Insn *d, bool left)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    bool is_const;
    unsigned c;
    IRTemp cnt = load_count(s, d, 1, ot, &is_const, &c);
    if (is_const && c == 0)
        return gen_count0(s, d);
    IRTemp a = x86_load_op(s, d, 0);
    IRTemp fl = x86_gen_eflags(s);
    IRTemp in[4] = {
        s->tl == IR_I64 ? a : ir_extu_i32_i64(b, a),
        s->tl == IR_I64 ? ir_extrl_i64_i32(b, cnt) : cnt,
        s->tl == IR_I64 ? ir_extrl_i64_i32(b, fl) : fl,
        c32(s, ot | (left ? 0x100 : 0)),
    };
    IRTemp r = ir_call_helper(b, &x86_h_rcx, in);
    IRTemp nf = ir_call_helper(b, &x86_h_rcx_flags, in);
    if (s->tl == IR_I32)
        r = ir_extrl_i64_i32(b, r);
    else
        nf = ir_extu_i32_i64(b, nf);
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, nf, IR_TEMP_NONE);
    return true;
}

bool x86_trans_RCL(DisasContext *s, X86Insn *d) { return gen_rcx(s, d, true); }
bool x86_trans_RCR(DisasContext *s, X86Insn *d) { return gen_rcx(s, d, false); }

/* SHLD / SHRD: shift operand 0, filling from operand 1 */
static bool gen_shxd(DisasContext *s, X86Insn *d, bool left)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    bool is_const, full = bits == (s->tl == IR_I64 ? 64u : 32u);
    unsigned c;
    IRTemp cnt = load_count(s, d, 2, ot, &is_const, &c);
    if (is_const && c == 0)
        return gen_count0(s, d);
    IRTemp a = x86_load_op(s, d, 0), f = x86_load_op(s, d, 1);
    IRTemp cm1 = is_const ? tlc(s, c - 1) : ir_sub(b, cnt, tlc(s, 1));
    IRTemp r, src;
    if (full) {
        IRTemp back = ir_sub(b, tlc(s, bits), cnt);
        r = left ? ir_or(b, ir_shl(b, a, cnt), ir_shr(b, f, back))
                 : ir_or(b, ir_shr(b, a, cnt), ir_shl(b, f, back));
    } else {
        /* the two operands side by side in one register-wide value */
        IRTemp t = left ? ir_or(b, ir_shli(b, a, bits), f) : ir_or(b, ir_shli(b, f, bits), a);
        r = left ? ir_shri(b, ir_shl(b, t, cnt), bits) : ir_shr(b, t, cnt);
        r = x86_zext(s, r, ot);
    }
    src = left ? x86_zext(s, ir_shl(b, a, cm1), ot) : ir_shr(b, a, cm1);
    if (!is_const)
        r = ir_movcond(b, IR_COND_EQ, cnt, tlc(s, 0), a, r);
    x86_store_op(s, d, 0, r);
    if (is_const)
        x86_set_cc(s, left ? X86_CCK_SHL : X86_CCK_SAR, ot, r, src, IR_TEMP_NONE);
    else
        set_cc_unless_zero(s, cnt, left ? X86_CCK_SHL : X86_CCK_SAR, ot, r, src);
    return true;
}

bool x86_trans_SHLD(DisasContext *s, X86Insn *d) { return gen_shxd(s, d, true); }
bool x86_trans_SHRD(DisasContext *s, X86Insn *d) { return gen_shxd(s, d, false); }
