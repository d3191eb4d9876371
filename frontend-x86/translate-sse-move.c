/*
 * translate-sse-move.c — the vector moves and logical operations, inline:
 * 64-bit loads and stores of the register fields (x86-vec.h) and of guest
 * memory, no helper.  These are what compiled code and the C library run
 * most (memcpy, strlen, register spills, zeroing idioms).
 *
 * Every memory operand is read whole into temps before any register is
 * written, so a fault leaves the guest state as it was.
 */
#include "frontend-x86/translate-sse.h"

/* ---- registers ---- */
IRTemp sse_ldq(DisasContext *s, unsigned r, unsigned q)
{
    return ir_ld_env(s->b, IR_I64, vec_off(r, q), IR_MO_64);
}

void sse_stq(DisasContext *s, unsigned r, unsigned q, IRTemp v)
{
    ir_st_env(s->b, v, vec_off(r, q), IR_MO_64);
}

void sse_zero_upper(DisasContext *s, unsigned r)
{
    IRTemp z = ir_const(s->b, IR_I64, 0);
    sse_stq(s, r, 2, z);
    sse_stq(s, r, 3, z);
}

IRTemp sse_ld_mmx(DisasContext *s, unsigned r)
{
    return ir_ld_env(s->b, IR_I64, mmx_off(r), IR_MO_64);
}

void sse_mmx_enter(DisasContext *s)
{
    x87_fast_mmx(s, false);
    ir_st_env(s->b, c32(s, 0), offsetof(X86CPU, fpu.top), IR_MO_32);
    ir_st_env(s->b, c32(s, 0), offsetof(X86CPU, fpu.ftw), IR_MO_16);
}

void sse_st_mmx(DisasContext *s, unsigned r, IRTemp v)
{
    ir_st_env(s->b, v, mmx_off(r), IR_MO_64);
    ir_st_env(s->b, c32(s, 0xffff),
              (uint32_t)(offsetof(X86CPU, fpu.r) + (r & 7) * sizeof(X87Reg) + offsetof(X87Reg, sign_exp)),
              IR_MO_16);
    sse_mmx_enter(s);
}

/* ---- memory ---- */
static IRTemp mem_addr(DisasContext *s, X86Insn *d, unsigned off)
{
    return off ? ir_addi(s->b, d->addr, off) : d->addr;
}

void sse_ld_mem(DisasContext *s, X86Insn *d, unsigned ot, IRTemp *q)
{
    if (ot <= X86_OT_32) {
        q[0] = ir_extu_i32_i64(s->b, ir_ld(s->b, IR_I32, d->addr, (IRMemOp)ot));
        return;
    }
    for (unsigned i = 0; i < ot_qwords(ot); i++)
        q[i] = ir_ld(s->b, IR_I64, mem_addr(s, d, 8 * i), IR_MO_64);
}

void sse_st_mem(DisasContext *s, X86Insn *d, unsigned ot, const IRTemp *q)
{
    if (ot <= X86_OT_32) {
        ir_st(s->b, ir_extrl_i64_i32(s->b, q[0]), d->addr, (IRMemOp)ot);
        return;
    }
    for (unsigned i = 0; i < ot_qwords(ot); i++)
        ir_st(s->b, q[i], mem_addr(s, d, 8 * i), IR_MO_64);
}

void sse_check_align(DisasContext *s, X86Insn *d, unsigned bytes)
{
    IRBlock *b = s->b;
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_TSTEQ, d->addr, tlc(s, bytes - 1), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_GP);
    ir_set_label(b, ok);
}

void sse_load_tmp(DisasContext *s, X86Insn *d, unsigned ot, unsigned tmp)
{
    IRTemp q[4];
    sse_ld_mem(s, d, ot, q);
    for (unsigned i = 0; i < ot_qwords(ot); i++)
        sse_stq(s, tmp, i, q[i]);
}

IRTemp sse_tl_to_i64(DisasContext *s, IRTemp v)
{
    return s->tl == IR_I64 ? v : ir_extu_i32_i64(s->b, v);
}

IRTemp sse_i64_to_tl(DisasContext *s, IRTemp v)
{
    return s->tl == IR_I64 ? v : ir_extrl_i64_i32(s->b, v);
}

/* ---- whole-register moves: MOVAPS MOVUPS MOVAPD MOVUPD MOVDQA MOVDQU
 * LDDQU MOVNTDQA (loads) and their stores, MOVNT* ---- */
static bool gen_move_full(DisasContext *s, X86Insn *d, bool aligned)
{
    X86Operand *dst = &d->op[0], *src = &d->op[1];
    unsigned n = ot_qwords(dst->ot);
    IRTemp q[4];
    if (aligned && (dst->is_mem || src->is_mem))
        sse_check_align(s, d, 8 * n);
    if (src->is_mem)
        sse_ld_mem(s, d, src->ot, q);
    else
        for (unsigned i = 0; i < n; i++)
            q[i] = sse_ldq(s, src->reg, i);
    if (dst->is_mem) {
        sse_st_mem(s, d, dst->ot, q);
        return true;
    }
    for (unsigned i = 0; i < n; i++)
        sse_stq(s, dst->reg, i, q[i]);
    if (s->vex && n == 2)
        sse_zero_upper(s, dst->reg);
    return true;
}

bool x86_trans_MOVUPS(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, false); }
bool x86_trans_MOVUPD(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, false); }
bool x86_trans_MOVAPS(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVAPD(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVDQA(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVDQU(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, false); }
bool x86_trans_LDDQU(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, false); }
bool x86_trans_MOVNTDQA(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVNTPS(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVNTPD(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }
bool x86_trans_MOVNTDQ(DisasContext *s, X86Insn *d) { return gen_move_full(s, d, true); }

/* ---- MOVSS / MOVSD ---- */
static IRTemp merge_low(DisasContext *s, IRTemp hi_from, IRTemp lo_from, unsigned bits)
{
    return bits == 64 ? lo_from : ir_deposit(s->b, hi_from, lo_from, 0, 32);
}

static bool gen_movs(DisasContext *s, X86Insn *d, unsigned bits)
{
    X86Operand *o0 = &d->op[0];
    unsigned ot = bits == 32 ? X86_OT_32 : X86_OT_64;
    IRTemp z = ir_const(s->b, IR_I64, 0);
    if (d->n == 3) {
        /* VEX register forms: d = [s2 low element, s1 bits 127:bits], upper zeroed
         * (load form Vss,Hss,Uss; store form Uss,Hss,Vss: the same roles) */
        unsigned dst = o0->reg, s1 = d->op[1].reg, s2 = d->op[2].reg;
        IRTemp lo = merge_low(s, sse_ldq(s, s1, 0), sse_ldq(s, s2, 0), bits);
        IRTemp hi = sse_ldq(s, s1, 1);
        sse_stq(s, dst, 0, lo);
        sse_stq(s, dst, 1, hi);
        sse_zero_upper(s, dst);
        return true;
    }
    X86Operand *o1 = &d->op[1];
    if (o0->is_mem) {                      /* store the low element */
        IRTemp q = sse_ldq(s, o1->reg, 0);
        sse_st_mem(s, d, ot, &q);
        return true;
    }
    if (o1->is_mem) {                      /* load: bits 127:bits zeroed */
        IRTemp q;
        sse_ld_mem(s, d, ot, &q);
        sse_stq(s, o0->reg, 0, q);
        sse_stq(s, o0->reg, 1, z);
        if (s->vex)
            sse_zero_upper(s, o0->reg);
        return true;
    }
    /* legacy register form: only the low element moves */
    sse_stq(s, o0->reg, 0, merge_low(s, sse_ldq(s, o0->reg, 0), sse_ldq(s, o1->reg, 0), bits));
    return true;
}

bool x86_trans_MOVSS(DisasContext *s, X86Insn *d) { return gen_movs(s, d, 32); }
bool x86_trans_MOVSD(DisasContext *s, X86Insn *d) { return gen_movs(s, d, 64); }

/* ---- 64-bit halves: MOVLPS MOVLPD MOVHPS MOVHPD MOVHLPS MOVLHPS ----
 * Legacy: Vq,Mq / Vq,Uq (one half of d replaced) or Mq,Vq (a half stored).
 * VEX: Vdq,Hdq,Mq / Vdq,Hdq,Udq: d = s1 with the half replaced, upper zeroed. */
static bool gen_move_half(DisasContext *s, X86Insn *d, unsigned dst_half, unsigned src_half)
{
    X86Operand *o0 = &d->op[0];
    X86Operand *src = &d->op[d->n - 1];
    if (o0->is_mem) {
        IRTemp q = sse_ldq(s, d->op[1].reg, src_half);
        sse_st_mem(s, d, X86_OT_64, &q);
        return true;
    }
    IRTemp v;
    if (src->is_mem)
        sse_ld_mem(s, d, X86_OT_64, &v);
    else
        v = sse_ldq(s, src->reg, src_half);
    if (d->n == 3) {
        IRTemp keep = sse_ldq(s, d->op[1].reg, dst_half ^ 1);
        sse_stq(s, o0->reg, dst_half ^ 1, keep);
    }
    sse_stq(s, o0->reg, dst_half, v);
    if (s->vex)
        sse_zero_upper(s, o0->reg);
    return true;
}

bool x86_trans_MOVLPS(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 0, 0); }
bool x86_trans_MOVLPD(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 0, 0); }
bool x86_trans_MOVHPS(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 1, 1); }
bool x86_trans_MOVHPD(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 1, 1); }
bool x86_trans_MOVHLPS(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 0, 1); }
bool x86_trans_MOVLHPS(DisasContext *s, X86Insn *d) { return gen_move_half(s, d, 1, 0); }

/* ---- MOVD / MOVQ between general registers or memory and MMX/XMM ---- */
static IRTemp load_gpr_or_mem(DisasContext *s, X86Insn *d, X86Operand *o)
{
    if (o->is_mem) {
        IRTemp q;
        sse_ld_mem(s, d, o->ot, &q);
        return q;
    }
    return sse_tl_to_i64(s, x86_load_reg(s, o->ot, o->reg, false));
}

static void store_gpr_or_mem(DisasContext *s, X86Insn *d, X86Operand *o, IRTemp v)
{
    if (o->is_mem)
        sse_st_mem(s, d, o->ot, &v);
    else
        x86_store_reg(s, o->ot, o->reg, false, o->ot == X86_OT_64 ? v : sse_i64_to_tl(s, v));
}

/* a 64-bit value into XMM d's low qword, bits 127:64 zeroed */
static void set_xmm_q(DisasContext *s, unsigned r, IRTemp v)
{
    sse_stq(s, r, 0, v);
    sse_stq(s, r, 1, ir_const(s->b, IR_I64, 0));
    if (s->vex)
        sse_zero_upper(s, r);
}

static bool gen_movdq(DisasContext *s, X86Insn *d)
{
    X86Operand *o0 = &d->op[0], *o1 = &d->op[1];
    switch (o0->kind) {
    case X86_OPK_P:                          /* MOVD/MOVQ mm, r/m; MOVQ mm, mm/m64 */
        if (o1->kind == X86_OPK_Q && !o1->is_mem)
            sse_st_mmx(s, o0->reg, sse_ld_mmx(s, o1->reg));
        else
            sse_st_mmx(s, o0->reg, load_gpr_or_mem(s, d, o1));
        return true;
    case X86_OPK_V:                          /* MOVD/MOVQ xmm, r/m; MOVQ xmm, xmm/m64 */
        if (o1->kind == X86_OPK_W && !o1->is_mem)
            set_xmm_q(s, o0->reg, sse_ldq(s, o1->reg, 0));
        else
            set_xmm_q(s, o0->reg, load_gpr_or_mem(s, d, o1));
        return true;
    case X86_OPK_Q:                          /* MOVQ mm/m64, mm */
        sse_mmx_enter(s);
        if (o0->is_mem) {
            IRTemp v = sse_ld_mmx(s, o1->reg);
            sse_st_mem(s, d, X86_OT_64, &v);
        } else {
            sse_st_mmx(s, o0->reg, sse_ld_mmx(s, o1->reg));
        }
        return true;
    case X86_OPK_W:                          /* MOVQ xmm/m64, xmm */
        if (o0->is_mem) {
            IRTemp v = sse_ldq(s, o1->reg, 0);
            sse_st_mem(s, d, X86_OT_64, &v);
        } else {
            set_xmm_q(s, o0->reg, sse_ldq(s, o1->reg, 0));
        }
        return true;
    default:                                 /* MOVD/MOVQ r/m, mm or xmm */
        if (o1->kind == X86_OPK_P) {
            sse_mmx_enter(s);
            store_gpr_or_mem(s, d, o0, sse_ld_mmx(s, o1->reg));
        } else {
            store_gpr_or_mem(s, d, o0, sse_ldq(s, o1->reg, 0));
        }
        return true;
    }
}

bool x86_trans_MOVD(DisasContext *s, X86Insn *d) { return gen_movdq(s, d); }
bool x86_trans_MOVQ(DisasContext *s, X86Insn *d) { return gen_movdq(s, d); }

bool x86_trans_MOVNTQ(DisasContext *s, X86Insn *d)
{
    sse_mmx_enter(s);
    IRTemp v = sse_ld_mmx(s, d->op[1].reg);
    sse_st_mem(s, d, X86_OT_64, &v);
    return true;
}

bool x86_trans_MOVQ2DQ(DisasContext *s, X86Insn *d)
{
    IRTemp v = sse_ld_mmx(s, d->op[1].reg);
    sse_mmx_enter(s);
    set_xmm_q(s, d->op[0].reg, v);
    return true;
}

bool x86_trans_MOVDQ2Q(DisasContext *s, X86Insn *d)
{
    sse_st_mmx(s, d->op[0].reg, sse_ldq(s, d->op[1].reg, 0));
    return true;
}

/* EMMS: every x87 tag empty */
bool x86_trans_EMMS(DisasContext *s, X86Insn *d)
{
    x87_fast_mmx(s, true);
    ir_st_env(s->b, c32(s, 0xffff), offsetof(X86CPU, fpu.ftw), IR_MO_16);
    return true;
}

/* ---- bitwise logic, per 64 bits: PAND PANDN POR PXOR, ANDPS ... XORPD ---- */
enum { LOGIC_AND, LOGIC_ANDN, LOGIC_OR, LOGIC_XOR };

static bool gen_logic(DisasContext *s, X86Insn *d, int op)
{
    X86Operand *o0 = &d->op[0], *src = &d->op[d->n - 1];
    bool mmx = o0->kind == X86_OPK_P;
    unsigned n = mmx ? 1 : ot_qwords(o0->ot);
    unsigned a_reg = d->n == 3 ? d->op[1].reg : o0->reg;
    IRTemp b_q[4], r[4];
    IRBlock *b = s->b;

    if (src->is_mem && !mmx && !s->vex)
        sse_check_align(s, d, 16);
    if (src->is_mem)
        sse_ld_mem(s, d, mmx ? X86_OT_64 : o0->ot, b_q);
    bool same = !src->is_mem && src->reg == a_reg;
    for (unsigned i = 0; i < n; i++) {
        if (same && (op == LOGIC_XOR || op == LOGIC_ANDN)) {
            r[i] = ir_const(b, IR_I64, 0);          /* the zeroing idiom */
            continue;
        }
        IRTemp a = mmx ? sse_ld_mmx(s, a_reg) : sse_ldq(s, a_reg, i);
        IRTemp v = src->is_mem ? b_q[i] : mmx ? sse_ld_mmx(s, src->reg) : sse_ldq(s, src->reg, i);
        switch (op) {
        case LOGIC_AND: r[i] = ir_and(b, a, v); break;
        case LOGIC_ANDN: r[i] = ir_andc(b, v, a); break;
        case LOGIC_OR: r[i] = ir_or(b, a, v); break;
        default: r[i] = ir_xor(b, a, v); break;
        }
    }
    if (mmx) {
        sse_st_mmx(s, o0->reg, r[0]);
        return true;
    }
    for (unsigned i = 0; i < n; i++)
        sse_stq(s, o0->reg, i, r[i]);
    if (s->vex && n == 2)
        sse_zero_upper(s, o0->reg);
    return true;
}

bool x86_trans_PAND(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_AND); }
bool x86_trans_PANDN(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_ANDN); }
bool x86_trans_POR(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_OR); }
bool x86_trans_PXOR(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_XOR); }
bool x86_trans_ANDPS(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_AND); }
bool x86_trans_ANDNPS(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_ANDN); }
bool x86_trans_ORPS(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_OR); }
bool x86_trans_XORPS(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_XOR); }
bool x86_trans_ANDPD(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_AND); }
bool x86_trans_ANDNPD(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_ANDN); }
bool x86_trans_ORPD(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_OR); }
bool x86_trans_XORPD(DisasContext *s, X86Insn *d) { return gen_logic(s, d, LOGIC_XOR); }

/* ---- MXCSR ---- */
bool x86_trans_LDMXCSR(DisasContext *s, X86Insn *d)
{
    IRTemp v;
    sse_ld_mem(s, d, X86_OT_32, &v);
    IRTemp args[2] = { c32(s, 0), v };
    ir_call_helper(s->b, &vec_helper_ldmxcsr, args);
    return true;
}

bool x86_trans_STMXCSR(DisasContext *s, X86Insn *d)
{
    IRTemp args[1] = { c32(s, 0) };
    IRTemp v = ir_call_helper(s->b, &vec_helper_stmxcsr, args);
    ir_st(s->b, ir_extrl_i64_i32(s->b, v), d->addr, IR_MO_32);
    return true;
}

/* ---- qword shuffles, inline: UNPCKLPD/PUNPCKLQDQ, UNPCKHPD/PUNPCKHQDQ,
 * SHUFPD (per 128-bit lane: d.q0 from a, d.q1 from b) ---- */
static bool gen_qword_shuffle(DisasContext *s, X86Insn *d, int kind)
{
    X86Operand *o0 = &d->op[0], *src = &d->op[d->n - 1];
    if (src->kind == X86_OPK_I)
        src = &d->op[d->n - 2];
    unsigned n = ot_qwords(o0->ot);
    unsigned a_reg = d->n >= 3 && d->op[1].kind == X86_OPK_H ? d->op[1].reg : o0->reg;
    unsigned imm = d->op[d->n - 1].kind == X86_OPK_I ? (unsigned)d->op[d->n - 1].imm : 0;
    IRTemp bq[4], r[4];
    if (src->is_mem) {
        if (!s->vex)
            sse_check_align(s, d, 16);
        sse_ld_mem(s, d, src->ot, bq);
    } else {
        for (unsigned i = 0; i < n; i++)
            bq[i] = sse_ldq(s, src->reg, i);
    }
    for (unsigned l = 0; l < n; l += 2) {
        unsigned sel_a = kind == 0 ? 0 : kind == 1 ? 1 : (imm >> l) & 1;
        unsigned sel_b = kind == 0 ? 0 : kind == 1 ? 1 : (imm >> (l + 1)) & 1;
        r[l] = sse_ldq(s, a_reg, l + sel_a);
        r[l + 1] = bq[l + sel_b];
    }
    for (unsigned i = 0; i < n; i++)
        sse_stq(s, o0->reg, i, r[i]);
    if (s->vex && n == 2)
        sse_zero_upper(s, o0->reg);
    return true;
}

bool x86_trans_UNPCKLPD(DisasContext *s, X86Insn *d) { return gen_qword_shuffle(s, d, 0); }
bool x86_trans_PUNPCKLQDQ(DisasContext *s, X86Insn *d) { return gen_qword_shuffle(s, d, 0); }
bool x86_trans_UNPCKHPD(DisasContext *s, X86Insn *d) { return gen_qword_shuffle(s, d, 1); }
bool x86_trans_PUNPCKHQDQ(DisasContext *s, X86Insn *d) { return gen_qword_shuffle(s, d, 1); }
bool x86_trans_SHUFPD(DisasContext *s, X86Insn *d) { return gen_qword_shuffle(s, d, 2); }
