/*
 * translate-mov.c — data movement: MOV (and to/from segment registers),
 * MOVZX/MOVSX/MOVSXD, LEA, XCHG, the accumulator extensions (CBW ...
 * CQO), CMOVcc, SETcc, XLAT, MOVBE.
 */
#include <stddef.h>

#include "frontend-x86/x86-translate.h"

bool x86_trans_MOV(DisasContext *s, X86Insn *d)
{
    x86_store_op(s, d, 0, x86_load_op(s, d, 1));
    return true;
}

bool x86_trans_MOVZX(DisasContext *s, X86Insn *d)
{
    x86_store_op(s, d, 0, x86_load_op(s, d, 1));
    return true;
}

bool x86_trans_MOVSX(DisasContext *s, X86Insn *d)
{
    /* sign extension reads only the low bits: the whole register will do */
    IRTemp v = x86_sext(s, x86_load_op_low(s, d, 1), d->op[1].ot);
    x86_store_op(s, d, 0, x86_zext(s, v, d->op[0].ot));
    return true;
}

/* MOVSXD Gv,Ed: with REX.W sign-extends; without, a plain 32-bit move */
bool x86_trans_MOVSXD(DisasContext *s, X86Insn *d)
{
    IRTemp v = x86_load_op_low(s, d, 1);
    if (d->op[0].ot == X86_OT_64)
        v = x86_sext(s, v, X86_OT_32);
    x86_store_op(s, d, 0, x86_zext(s, v, d->op[0].ot));
    return true;
}

bool x86_trans_LEA(DisasContext *s, X86Insn *d)
{
    x86_store_op(s, d, 0, x86_zext(s, d->ea, d->op[0].ot));
    return true;
}

/* XCHG: with a memory operand always atomic (an implicit LOCK) */
bool x86_trans_XCHG(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    /* 90 without REX.B is NOP, not "xchg eax, eax" (which would clear
     * the upper half of rax) */
    if (s->opcode == 0x90 && d->op[0].reg == X86_RAX && !d->op[0].high_byte)
        return true;
    unsigned ot = d->op[0].ot;
    if (d->op[0].is_mem) {
        IRTemp v = x86_load_op(s, d, 1);
        unsigned again = ir_label_new(b);
        IRTemp old = ir_temp_new(b, s->tl);
        ir_set_label(b, again);
        ir_mov_to(b, old, x86_ld(s, ot, d->addr));
        IRTemp prev = ir_cmpxchg(b, d->addr, old, v, (IRMemOp)ot);
        ir_brcond(b, IR_COND_NE, prev, old, again);
        x86_store_op(s, d, 1, old);
        return true;
    }
    IRTemp a = x86_load_op(s, d, 0), v = x86_load_op(s, d, 1);
    x86_store_op(s, d, 0, v);
    x86_store_op(s, d, 1, a);
    return true;
}

bool x86_trans_PAUSE(DisasContext *s, X86Insn *d)
{
    return true;
}

/* 98: CBW / CWDE / CDQE by operand size */
bool x86_trans_CBW(DisasContext *s, X86Insn *d)
{
    unsigned ot = s->dflag;
    IRTemp v = x86_sext(s, x86_load_reg(s, ot - 1, X86_RAX, false), ot - 1);
    x86_store_reg(s, ot, X86_RAX, false, x86_zext(s, v, ot));
    return true;
}

/* 99: CWD / CDQ / CQO: rDX = the sign of rAX */
bool x86_trans_CWD(DisasContext *s, X86Insn *d)
{
    unsigned ot = s->dflag;
    IRTemp v = x86_sext(s, x86_load_reg(s, ot, X86_RAX, false), ot);
    v = ir_sari(s->b, v, s->tl == IR_I64 ? 63 : 31);
    x86_store_reg(s, ot, X86_RDX, false, x86_zext(s, v, ot));
    return true;
}

/* CMOVcc: the source is read (and may fault) whatever the condition; a
 * 32-bit destination is zero-extended even when nothing moves */
bool x86_trans_CMOVCC(DisasContext *s, X86Insn *d)
{
    IRTemp src = x86_load_op(s, d, 1);
    IRTemp dst = x86_load_op(s, d, 0);
    X86Cond c = x86_gen_cond(s, s->opcode & 15);
    IRTemp v;
    if (c.cond == IR_COND_ALWAYS || c.cond == IR_COND_NEVER)
        v = c.cond == IR_COND_ALWAYS ? src : dst;
    else
        v = ir_movcond(s->b, c.cond, c.a, c.b, src, dst);
    x86_store_op(s, d, 0, v);
    return true;
}

bool x86_trans_SETCC(DisasContext *s, X86Insn *d)
{
    x86_store_op(s, d, 0, x86_gen_setcc(s, s->opcode & 15));
    return true;
}

/* XLAT: AL = [seg:rBX + AL] */
bool x86_trans_XLAT(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp ea = ir_add(b, cpu_regs[X86_RBX], x86_load_reg(s, X86_OT_8, X86_RAX, false));
    if (s->aflag != (s->tl == IR_I64 ? X86_OT_64 : X86_OT_32))
        ea = x86_zext(s, ea, s->aflag);
    IRTemp addr = x86_gen_seg_addr(s, s->seg >= 0 ? s->seg : X86_SEG_DS, ea);
    x86_store_reg(s, X86_OT_8, X86_RAX, false, x86_ld(s, X86_OT_8, addr));
    return true;
}

static IRTemp bswap_ot(DisasContext *s, IRTemp v, unsigned ot)
{
    IRBlock *b = s->b;
    switch (ot) {
    case X86_OT_16:
        return ir_or(b, ir_shri(b, v, 8), ir_andi(b, ir_shli(b, v, 8), 0xff00));
    case X86_OT_32:
        if (s->tl == IR_I64)
            return ir_extu_i32_i64(b, ir_bswap(b, ir_extrl_i64_i32(b, v)));
        return ir_bswap(b, v);
    default:
        return ir_bswap(b, v);
    }
}

/* MOVBE: a load or store with the bytes reversed */
bool x86_trans_MOVBE(DisasContext *s, X86Insn *d)
{
    unsigned ot = d->op[0].ot;
    x86_store_op(s, d, 0, bswap_ot(s, x86_load_op(s, d, 1), ot));
    return true;
}

/* BSWAP r32/r64 (0F C8+r); with a 16-bit operand the result is undefined:
 * the processors clear the word, as does this */
bool x86_trans_BSWAP(DisasContext *s, X86Insn *d)
{
    unsigned ot = d->op[0].ot;
    if (ot == X86_OT_16) {
        x86_store_op(s, d, 0, tlc(s, 0));
        return true;
    }
    x86_store_op(s, d, 0, bswap_ot(s, x86_load_op(s, d, 0), ot));
    return true;
}

/* MOV r/m, Sreg: the selector (a register destination of 32/64 bits is
 * zero-extended; memory takes 16 bits) */
bool x86_trans_MOV_FROM_SEG(DisasContext *s, X86Insn *d)
{
    unsigned seg = d->op[1].reg;
    if (seg >= X86_NSEGS)
        return false;
    IRTemp v = ir_ld_env(s->b, s->tl, offsetof(X86CPU, seg_sel) + 2 * seg, IR_MO_UW);
    if (d->op[0].is_mem)
        x86_st(s, X86_OT_16, v, d->addr);
    else
        x86_store_op(s, d, 0, v);
    return true;
}

/* MOV Sreg, r/m: loading CS is #UD; the others go through the owner's
 * descriptor tables (x86_user_seg_base, x86-cpu.h) */
bool x86_trans_MOV_TO_SEG(DisasContext *s, X86Insn *d)
{
    unsigned seg = d->op[0].reg;
    if (seg >= X86_NSEGS || seg == X86_SEG_CS)
        return false;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp in[2] = { c32(s, seg), s->tl == IR_I64 ? ir_extrl_i64_i32(s->b, v) : v };
    ir_call_helper(s->b, &x86_h_load_seg, in);
    return true;
}

/* LES LDS LSS LFS LGS r, m16:16/32/64: the offset into the register, the
 * selector after it into the segment register (through x86_user_seg_base,
 * #GP when refused) */
static bool gen_load_far(DisasContext *s, X86Insn *d, unsigned seg)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp off = x86_ld(s, ot, d->addr);
    IRTemp sel = x86_ld(s, X86_OT_16, ir_add(b, d->addr, tlc(s, 1u << ot)));
    IRTemp in[2] = { c32(s, seg), s->tl == IR_I64 ? ir_extrl_i64_i32(b, sel) : sel };
    ir_call_helper(b, &x86_h_load_seg, in);
    x86_store_op(s, d, 0, off);
    return true;
}

bool x86_trans_LES(DisasContext *s, X86Insn *d) { return gen_load_far(s, d, X86_SEG_ES); }
bool x86_trans_LDS(DisasContext *s, X86Insn *d) { return gen_load_far(s, d, X86_SEG_DS); }
bool x86_trans_LSS(DisasContext *s, X86Insn *d) { return gen_load_far(s, d, X86_SEG_SS); }
bool x86_trans_LFS(DisasContext *s, X86Insn *d) { return gen_load_far(s, d, X86_SEG_FS); }
bool x86_trans_LGS(DisasContext *s, X86Insn *d) { return gen_load_far(s, d, X86_SEG_GS); }

/* ARPL r/m16, r16 (32-bit code): raise the destination selector's RPL to
 * the source's; ZF says whether it changed (the other flags stay) */
bool x86_trans_ARPL(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp dst = x86_load_op(s, d, 0), src = x86_load_op(s, d, 1);
    IRTemp drpl = ir_andi(b, dst, 3), srpl = ir_andi(b, src, 3);
    IRTemp lower = ir_setcond(b, IR_COND_LTU, drpl, srpl);
    IRTemp nv = ir_movcond(b, IR_COND_NE, lower, tlc(s, 0), ir_or(b, ir_andc(b, dst, tlc(s, 3)), srpl), dst);
    x86_store_op(s, d, 0, nv);
    IRTemp f = ir_or(b, ir_andi(b, x86_gen_eflags(s), ~(uint64_t)X86_EFLAGS_ZF), ir_shli(b, lower, 6));
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, f, IR_TEMP_NONE);
    return true;
}
