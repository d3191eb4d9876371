/*
 * translate-flags.c — the lazy flags as the translator sees them
 * (x86-flags.h): recording a flag-setting operation, and reading a
 * condition.  When the cc_op is known statically a condition is a compare
 * of the operation's own operands (cmp a, b; jl -> brcond lt a, b: the
 * backend makes host cmp + jcc of it), else it is tested on EFLAGS
 * computed by the pure helper x86_cc_compute.
 */
#include "frontend-x86/x86-translate.h"

void x86_cc_forget(DisasContext *s)
{
    s->cc_val[0] = s->cc_val[1] = s->cc_val[2] = IR_TEMP_NONE;
}

/* cc_dst (0), cc_src (1), cc_src2 (2): the stored temp, or the global */
static IRTemp ccv(DisasContext *s, unsigned i)
{
    static IRTemp *const g[3] = { &cpu_cc_dst, &cpu_cc_src, &cpu_cc_src2 };
    return s->cc_val[i] != IR_TEMP_NONE ? s->cc_val[i] : *g[i];
}

void x86_set_cc_op(DisasContext *s, uint32_t op)
{
    if (s->cc_op == op)
        return;
    ir_mov_to(s->b, cpu_cc_op, c32(s, op));
    s->cc_op = op;
}

/* A record kind leaves some of the three words unused: their old values
 * are dead (a discard lets dead-code elimination drop their last writes,
 * which would otherwise stay live to every exit). */
static void set_or_discard(DisasContext *s, IRTemp g, IRTemp v)
{
    if (v != IR_TEMP_NONE)
        ir_mov_to(s->b, g, v);
    else
        ir_discard(s->b, g);
}

void x86_set_cc(DisasContext *s, unsigned kind, unsigned ot, IRTemp dst, IRTemp src, IRTemp src2)
{
    set_or_discard(s, cpu_cc_dst, dst);
    set_or_discard(s, cpu_cc_src, src);
    set_or_discard(s, cpu_cc_src2, src2);
    x86_set_cc_op(s, X86_CC_OP(kind, ot));
    s->cc_val[0] = dst;
    s->cc_val[1] = src;
    s->cc_val[2] = src2;
}

static IRTemp to64(DisasContext *s, IRTemp v)
{
    return s->tl == IR_I64 ? v : ir_extu_i32_i64(s->b, v);
}

IRTemp x86_gen_eflags(DisasContext *s)
{
    IRBlock *b = s->b;
    if (s->cc_op == X86_CC_EFLAGS)
        return ir_mov(b, ccv(s, 1));
    IRTemp op = s->cc_op == X86_CC_DYNAMIC ? cpu_cc_op : c32(s, s->cc_op);
    IRTemp in[4] = { op, to64(s, ccv(s, 0)), to64(s, ccv(s, 1)), to64(s, ccv(s, 2)) };
    IRTemp f = ir_call_helper(b, &x86_h_cc_compute, in);
    return s->tl == IR_I64 ? ir_extu_i32_i64(b, f) : f;
}

IRTemp x86_gen_cf(DisasContext *s)
{
    IRBlock *b = s->b;
    if (s->cc_op != X86_CC_DYNAMIC) {
        unsigned ot = X86_CC_SIZE(s->cc_op);
        switch (X86_CC_KIND(s->cc_op)) {
        case X86_CCK_SUB:
            return ir_setcond(b, IR_COND_LTU, ccv(s, 2), ccv(s, 1));
        case X86_CCK_ADD:
            return ir_setcond(b, IR_COND_LTU, ccv(s, 0), ccv(s, 2));
        case X86_CCK_LOGIC:
            return tlc(s, 0);
        case X86_CCK_INC: case X86_CCK_DEC: case X86_CCK_BMI:
            return ir_mov(b, ccv(s, 1));
        case X86_CCK_MUL:
            return ir_setcond(b, IR_COND_NE, ccv(s, 1), tlc(s, 0));
        case X86_CCK_SHL:
            return ir_extract(b, ccv(s, 1), ot_bits(ot) - 1, 1);
        case X86_CCK_SAR:
            return ir_andi(b, ccv(s, 1), 1);
        default:
            break;
        }
    }
    return ir_andi(b, x86_gen_eflags(s), X86_EFLAGS_CF);
}

/* cond on the flags word f (tl) */
static X86Cond cond_on_eflags(DisasContext *s, unsigned cc, IRTemp f)
{
    IRBlock *b = s->b;
    X86Cond c = { IR_COND_TSTNE, f, IR_TEMP_NONE };
    switch (cc >> 1) {
    case 0: c.b = tlc(s, X86_EFLAGS_OF); break;
    case 1: c.b = tlc(s, X86_EFLAGS_CF); break;
    case 2: c.b = tlc(s, X86_EFLAGS_ZF); break;
    case 3: c.b = tlc(s, X86_EFLAGS_CF | X86_EFLAGS_ZF); break;
    case 4: c.b = tlc(s, X86_EFLAGS_SF); break;
    case 5: c.b = tlc(s, X86_EFLAGS_PF); break;
    case 6: case 7: {
        /* L: SF != OF;  LE: ZF or SF != OF.  SF is bit 7, OF bit 11. */
        IRTemp t = ir_xor(b, f, ir_shri(b, f, 4));          /* bit 7: SF ^ OF */
        c.a = t;
        c.b = tlc(s, (cc >> 1) == 6 ? X86_EFLAGS_SF : X86_EFLAGS_SF);
        if ((cc >> 1) == 7) {
            c.a = ir_or(b, ir_andi(b, t, X86_EFLAGS_SF), ir_andi(b, f, X86_EFLAGS_ZF));
            c.b = tlc(s, X86_EFLAGS_SF | X86_EFLAGS_ZF);
        }
        break;
    }
    }
    if (cc & 1)
        c.cond = ir_cond_invert(c.cond);
    return c;
}

X86Cond x86_gen_cond(DisasContext *s, unsigned cc)
{
    IRBlock *b = s->b;
    X86Cond c = { IR_COND_NEVER, IR_TEMP_NONE, IR_TEMP_NONE };
    bool done = false;
    if (s->cc_op != X86_CC_DYNAMIC) {
        unsigned ot = X86_CC_SIZE(s->cc_op), kind = X86_CC_KIND(s->cc_op);
        bool full = (s->tl == IR_I64 && ot == X86_OT_64) || (s->tl == IR_I32 && ot == X86_OT_32);
        IRTemp zero = tlc(s, 0);
        switch (kind) {
        case X86_CCK_SUB:
            done = true;
            switch (cc >> 1) {
            case 1: c = (X86Cond){ IR_COND_LTU, ccv(s, 2), ccv(s, 1) }; break;
            case 2: c = (X86Cond){ IR_COND_EQ, ccv(s, 2), ccv(s, 1) }; break;
            case 3: c = (X86Cond){ IR_COND_LEU, ccv(s, 2), ccv(s, 1) }; break;
            case 4: c = (X86Cond){ IR_COND_LT, x86_sext(s, ccv(s, 0), ot), zero }; break;
            case 6: case 7: {
                IRTemp a = full ? ccv(s, 2) : x86_sext(s, ccv(s, 2), ot);
                IRTemp bb = full ? ccv(s, 1) : x86_sext(s, ccv(s, 1), ot);
                c = (X86Cond){ (cc >> 1) == 6 ? IR_COND_LT : IR_COND_LE, a, bb };
                break;
            }
            default: done = false; break;
            }
            break;
        case X86_CCK_LOGIC:
            done = true;
            switch (cc >> 1) {
            case 0: c = (X86Cond){ IR_COND_NEVER, zero, zero }; break;
            case 1: c = (X86Cond){ IR_COND_NEVER, zero, zero }; break;
            case 2: case 3: c = (X86Cond){ IR_COND_EQ, ccv(s, 0), zero }; break;
            case 4: case 6: c = (X86Cond){ IR_COND_LT, x86_sext(s, ccv(s, 0), ot), zero }; break;
            case 7: c = (X86Cond){ IR_COND_LE, x86_sext(s, ccv(s, 0), ot), zero }; break;
            default: done = false; break;
            }
            break;
        case X86_CCK_ADD: case X86_CCK_ADC: case X86_CCK_SBB: case X86_CCK_INC: case X86_CCK_DEC:
        case X86_CCK_SHL: case X86_CCK_SAR: case X86_CCK_MUL: case X86_CCK_BMI:
            switch (cc >> 1) {
            case 1:
                if (kind != X86_CCK_ADC && kind != X86_CCK_SBB) {
                    c = (X86Cond){ IR_COND_NE, x86_gen_cf(s), zero };
                    done = true;
                }
                break;
            case 2: c = (X86Cond){ IR_COND_EQ, ccv(s, 0), zero }; done = true; break;
            case 4: c = (X86Cond){ IR_COND_LT, x86_sext(s, ccv(s, 0), ot), zero }; done = true; break;
            default: break;
            }
            break;
        default:
            break;
        }
        /* operands of compares must be exact at the operation's size:
         * cc_dst and the sources are stored zero-extended */
        if (done && (c.cond == IR_COND_NEVER)) {
            if (cc & 1)
                c.cond = IR_COND_ALWAYS;
            return c;
        }
    }
    if (!done)
        return cond_on_eflags(s, cc, x86_gen_eflags(s));
    if (cc & 1)
        c.cond = ir_cond_invert(c.cond);
    (void)b;
    return c;
}

IRTemp x86_gen_setcc(DisasContext *s, unsigned cc)
{
    X86Cond c = x86_gen_cond(s, cc);
    if (c.cond == IR_COND_NEVER || c.cond == IR_COND_ALWAYS)
        return tlc(s, c.cond == IR_COND_ALWAYS);
    return ir_setcond(s->b, c.cond, c.a, c.b);
}
