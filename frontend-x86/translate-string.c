/*
 * translate-string.c — MOVS, STOS, LODS, CMPS, SCAS with and without
 * REP/REPE/REPNE.  A repeated instruction is a loop inside its own
 * translation: each iteration's registers are written back before its
 * memory accesses (the backend's precise state), so a fault in the middle
 * leaves rCX/rSI/rDI where the hardware would and the instruction
 * resumes there.  The direction is the df global (+1 or -1).
 *
 * REP MOVS and REP STOS with DF clear go faster (bulk_tail): after each
 * element the loop moves, at once, the following elements that lie
 * wholly in the pages that element touched (x86-string-helpers.c), so the
 * loop turns once per page and faults stay exactly where they were.
 */
#include "frontend-x86/x86-helpers.h"
#include "frontend-x86/x86-translate.h"

#define X86_PAGE_SIZE 4096u

enum { STR_MOVS, STR_STOS, STR_LODS, STR_CMPS, STR_SCAS };

/* rSI / rDI / rCX at the address size */
static IRTemp load_areg(DisasContext *s, unsigned reg)
{
    return x86_load_reg(s, s->aflag, reg, false);
}

static void advance(DisasContext *s, unsigned reg, IRTemp delta)
{
    IRTemp v = ir_add(s->b, load_areg(s, reg), delta);
    x86_store_reg(s, s->aflag, reg, false, x86_zext(s, v, s->aflag));
}

/* Elements of 1 << ot bytes from address a (i64) to the end of the page of
 * byte a - 1: 0 when a starts a page (nothing there is known mapped) */
static IRTemp room(DisasContext *s, IRTemp a, unsigned ot)
{
    IRBlock *b = s->b;
    IRTemp r = ir_andi(b, ir_neg(b, a), X86_PAGE_SIZE - 1);
    return ot ? ir_shri(b, r, ot) : r;
}

static IRTemp min_u64(IRBlock *b, IRTemp x, IRTemp y)
{
    return ir_movcond(b, IR_COND_LTU, x, y, x, y);
}

static IRTemp addr64(DisasContext *s, IRTemp v)
{
    return s->tl == IR_I64 ? v : ir_extu_i32_i64(s->b, v);
}

/* After one element of REP MOVS/STOS with DF clear: the rest of rCX that
 * lies in the same pages, moved by a helper; rSI, rDI, rCX advanced past
 * it.  The loop goes on at its top. */
static void bulk_tail(DisasContext *s, unsigned op, unsigned ot)
{
    IRBlock *b = s->b;
    unsigned skip = ir_label_new(b);
    ir_brcond(b, IR_COND_NE, cpu_df, c32(s, 1), skip);
    IRTemp cnt = addr64(s, load_areg(s, X86_RCX));
    IRTemp dst = addr64(s, load_areg(s, X86_RDI));
    IRTemp n = min_u64(b, cnt, room(s, dst, ot));
    IRTemp src = IR_TEMP_NONE;
    if (op == STR_MOVS) {
        src = addr64(s, load_areg(s, X86_RSI));
        n = min_u64(b, n, room(s, src, ot));
    }
    ir_brcond(b, IR_COND_EQ, n, ir_const64(b, 0), skip);
    IRTemp in[4] = { dst, op == STR_MOVS ? src : addr64(s, x86_load_reg(s, ot, X86_RAX, false)), n,
                     c32(s, 1u << ot) };
    ir_call_helper(b, op == STR_MOVS ? &x86_h_rep_movs : &x86_h_rep_stos, in);
    IRTemp nt = s->tl == IR_I64 ? n : ir_extrl_i64_i32(b, n);
    IRTemp bytes = ot ? ir_shli(b, nt, ot) : nt;
    if (op == STR_MOVS)
        advance(s, X86_RSI, bytes);
    advance(s, X86_RDI, bytes);
    x86_store_reg(s, s->aflag, X86_RCX, false, x86_zext(s, ir_sub(b, load_areg(s, X86_RCX), nt), s->aflag));
    ir_set_label(b, skip);
}

static void gen_string(DisasContext *s, X86Insn *d, unsigned op, unsigned ot)
{
    IRBlock *b = s->b;
    bool rep = (s->prefixes & (X86_PRE_REPZ | X86_PRE_REPNZ)) != 0;
    bool cmp = op == STR_CMPS || op == STR_SCAS;
    IRTemp df = s->tl == IR_I64 ? ir_exts_i32_i64(b, cpu_df) : cpu_df;
    IRTemp delta = ot ? ir_shli(b, df, ot) : df;
    unsigned top = 0, done = 0;
    if (rep) {
        top = ir_label_new(b);
        done = ir_label_new(b);
        ir_set_label(b, top);
        ir_brcond(b, IR_COND_EQ, load_areg(s, X86_RCX), tlc(s, 0), done);
    }
    int seg = s->seg >= 0 ? s->seg : X86_SEG_DS;
    IRTemp src = IR_TEMP_NONE, dst = IR_TEMP_NONE, a = IR_TEMP_NONE, v = IR_TEMP_NONE;
    if (op == STR_MOVS || op == STR_LODS || op == STR_CMPS)
        src = x86_gen_seg_addr(s, seg, load_areg(s, X86_RSI));
    if (op != STR_LODS)
        dst = load_areg(s, X86_RDI);     /* ES: flat */
    switch (op) {
    case STR_MOVS:
        x86_st(s, ot, x86_ld(s, ot, src), dst);
        break;
    case STR_STOS:
        x86_st(s, ot, x86_load_reg(s, ot, X86_RAX, false), dst);
        break;
    case STR_LODS:
        x86_store_reg(s, ot, X86_RAX, false, x86_ld(s, ot, src));
        break;
    case STR_CMPS:
        a = x86_ld(s, ot, src);
        v = x86_ld(s, ot, dst);
        break;
    default:
        a = x86_load_reg(s, ot, X86_RAX, false);
        v = x86_ld(s, ot, dst);
        break;
    }
    if (src != IR_TEMP_NONE)
        advance(s, X86_RSI, delta);
    if (dst != IR_TEMP_NONE)
        advance(s, X86_RDI, delta);
    IRTemp r = IR_TEMP_NONE;
    if (cmp) {
        r = x86_zext(s, ir_sub(b, a, v), ot);
        if (rep) {
            /* the record by hand: after the loop the cc_op is dynamic
             * (no iteration leaves the flags as they were) */
            ir_mov_to(b, cpu_cc_dst, r);
            ir_mov_to(b, cpu_cc_src, v);
            ir_mov_to(b, cpu_cc_src2, a);
            ir_mov_to(b, cpu_cc_op, c32(s, X86_CC_OP(X86_CCK_SUB, ot)));
        } else {
            x86_set_cc(s, X86_CCK_SUB, ot, r, v, a);
        }
    }
    if (rep) {
        IRTemp c = x86_zext(s, ir_sub(b, load_areg(s, X86_RCX), tlc(s, 1)), s->aflag);
        x86_store_reg(s, s->aflag, X86_RCX, false, c);
        if (cmp) {
            /* REPE stops at a difference, REPNE at equality */
            bool repz = (s->prefixes & X86_PRE_REPZ) != 0;
            ir_brcond(b, repz ? IR_COND_NE : IR_COND_EQ, a, v, done);
        }
        /* the bulk path needs flat segments and no 16-bit address
         * wrap-around inside a page run */
        int seg = s->seg >= 0 ? s->seg : X86_SEG_DS;
        if ((op == STR_STOS || (op == STR_MOVS && seg != X86_SEG_FS && seg != X86_SEG_GS)) &&
            s->aflag != X86_OT_16)
            bulk_tail(s, op, ot);
        ir_br(b, top);
        ir_set_label(b, done);
        if (cmp) {
            s->cc_op = X86_CC_DYNAMIC;
            x86_cc_forget(s);
        }
    }
    (void)d;
}

bool x86_trans_MOVS(DisasContext *s, X86Insn *d) { gen_string(s, d, STR_MOVS, d->op[0].ot); return true; }
bool x86_trans_STOS(DisasContext *s, X86Insn *d) { gen_string(s, d, STR_STOS, d->op[0].ot); return true; }
bool x86_trans_LODS(DisasContext *s, X86Insn *d) { gen_string(s, d, STR_LODS, d->op[0].ot); return true; }
bool x86_trans_CMPS(DisasContext *s, X86Insn *d) { gen_string(s, d, STR_CMPS, d->op[0].ot); return true; }
bool x86_trans_SCAS(DisasContext *s, X86Insn *d) { gen_string(s, d, STR_SCAS, d->op[0].ot); return true; }
