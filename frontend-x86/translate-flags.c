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

/* ---- flags from a statically known record, without the helper ----------
 * The record holds the operation's operands and result (zero-extended at
 * its size ot), so every flag but PF is a few bit operations on them: the
 * carry out of the top bit and the overflow are the top bits of the
 * classic words below (a: first operand = cc_src2, b: second = cc_src,
 * r: result = cc_dst; an incoming carry/borrow needs no own term, it is
 * implied by r). */

static IRTemp sign_c(DisasContext *s, unsigned ot)
{
    return tlc(s, 1ull << (ot_bits(ot) - 1));
}

/* A word whose bit ot_bits(ot) - 1 is OF, or IR_TEMP_NONE for the kinds
 * whose OF is a comparison instead (of_bit) */
static IRTemp of_word(DisasContext *s, unsigned kind)
{
    IRBlock *b = s->b;
    IRTemp r = ccv(s, 0), src = ccv(s, 1), a = ccv(s, 2);
    switch (kind) {
    case X86_CCK_ADD: case X86_CCK_ADC:
        return ir_and(b, ir_xor(b, a, r), ir_xor(b, src, r));
    case X86_CCK_SUB: case X86_CCK_SBB:
        return ir_and(b, ir_xor(b, a, src), ir_xor(b, a, r));
    case X86_CCK_SHL: case X86_CCK_SAR:
        return ir_xor(b, src, r);
    case X86_CCK_LOGIC: case X86_CCK_BMI:
        return tlc(s, 0);
    default:
        return IR_TEMP_NONE;
    }
}

/* OF as 0/1 for INC, DEC, MUL; IR_TEMP_NONE for kinds without a rule here */
static IRTemp of_bit(DisasContext *s, unsigned kind, unsigned ot)
{
    IRBlock *b = s->b;
    uint64_t sign = 1ull << (ot_bits(ot) - 1);
    switch (kind) {
    case X86_CCK_INC: return ir_setcond(b, IR_COND_EQ, ccv(s, 0), tlc(s, sign));
    case X86_CCK_DEC: return ir_setcond(b, IR_COND_EQ, ccv(s, 0), tlc(s, sign - 1));
    case X86_CCK_MUL: return ir_setcond(b, IR_COND_NE, ccv(s, 1), tlc(s, 0));
    default: return IR_TEMP_NONE;
    }
}

/* The kinds whose whole EFLAGS eflags_inline computes */
static bool eflags_inline_ok(unsigned kind)
{
    switch (kind) {
    case X86_CCK_ADD: case X86_CCK_ADC: case X86_CCK_SUB: case X86_CCK_SBB:
    case X86_CCK_LOGIC: case X86_CCK_INC: case X86_CCK_DEC:
        return true;
    default:
        return false;
    }
}

/* CF PF AF ZF SF OF of the static record (eflags_inline_ok kinds), as
 * x86_cc_compute would: about 30 ops, still cheaper than the call (which
 * also spills every global held in a caller-saved register). */
static IRTemp eflags_inline(DisasContext *s)
{
    IRBlock *b = s->b;
    unsigned kind = X86_CC_KIND(s->cc_op), ot = X86_CC_SIZE(s->cc_op), top = ot_bits(ot) - 1;
    IRTemp r = ccv(s, 0);
    IRTemp f = x86_gen_cf(s);
    /* PF: even parity of the low byte */
    IRTemp p = ir_andi(b, r, 0xff);
    p = ir_xor(b, p, ir_shri(b, p, 4));
    p = ir_xor(b, p, ir_shri(b, p, 2));
    p = ir_xor(b, p, ir_shri(b, p, 1));
    f = ir_or(b, f, ir_andc(b, tlc(s, X86_EFLAGS_PF), ir_shli(b, p, 2)));
    /* AF: the carry out of bit 3 */
    switch (kind) {
    case X86_CCK_ADD: case X86_CCK_ADC: case X86_CCK_SUB: case X86_CCK_SBB:
        f = ir_or(b, f, ir_andi(b, ir_xor(b, ir_xor(b, ccv(s, 2), ccv(s, 1)), r), X86_EFLAGS_AF));
        break;
    case X86_CCK_INC: case X86_CCK_DEC: {
        IRTemp lo = ir_andi(b, r, 0xf);
        IRTemp af = ir_setcond(b, IR_COND_EQ, lo, tlc(s, kind == X86_CCK_INC ? 0 : 0xf));
        f = ir_or(b, f, ir_shli(b, af, 4));
        break;
    }
    default:
        break;
    }
    f = ir_or(b, f, ir_shli(b, ir_setcond(b, IR_COND_EQ, r, tlc(s, 0)), 6));
    f = ir_or(b, f, ir_shli(b, ir_extract(b, r, top, 1), 7));
    IRTemp ofw = of_word(s, kind);
    IRTemp of = ofw != IR_TEMP_NONE ? ir_extract(b, ofw, top, 1) : of_bit(s, kind, ot);
    return ir_or(b, f, ir_shli(b, of, 11));
}

/* ---- a block's first flag reader: the cc_op is only known at run time ----
 * The block is nearly always translated when the CPU is about to run it,
 * so the cc_op the CPU holds then (cc_op_guess) is what the record will
 * usually hold whenever the block starts: test for it and read the flags
 * as if it were static, and call the helper on the dynamic cc_op only when
 * it differs. */
typedef IRTemp (*FlagReader)(DisasContext *s, unsigned arg);

static bool guess_pays(DisasContext *s, bool eflags, unsigned cc)
{
    uint32_t k = s->cc_op_guess;
    if (s->cc_op != X86_CC_DYNAMIC || k == X86_CC_DYNAMIC)
        return false;
    if (eflags)
        return X86_CC_KIND(k) == X86_CCK_EFLAGS || eflags_inline_ok(X86_CC_KIND(k));
    return (cc >> 1) != 5;       /* PF: the helper either way */
}

static IRTemp with_guess(DisasContext *s, FlagReader read, unsigned arg)
{
    IRBlock *b = s->b;
    uint32_t k = s->cc_op_guess;
    IRTemp out = ir_temp_new(b, s->tl);
    unsigned slow = ir_label_new(b), done = ir_label_new(b);
    s->cc_op_guess = X86_CC_DYNAMIC;       /* no nested guesses */
    ir_brcond(b, IR_COND_NE, cpu_cc_op, c32(s, k), slow);
    s->cc_op = k;
    ir_mov_to(b, out, read(s, arg));
    ir_br(b, done);
    ir_set_label(b, slow);
    s->cc_op = X86_CC_DYNAMIC;
    ir_mov_to(b, out, read(s, arg));
    ir_set_label(b, done);
    s->cc_op_guess = k;
    return out;
}

static IRTemp read_eflags(DisasContext *s, unsigned arg)
{
    (void)arg;
    return x86_gen_eflags(s);
}

static IRTemp read_cf(DisasContext *s, unsigned arg)
{
    (void)arg;
    return x86_gen_cf(s);
}

static IRTemp read_setcc(DisasContext *s, unsigned cc)
{
    return x86_gen_setcc(s, cc);
}

IRTemp x86_gen_eflags(DisasContext *s)
{
    IRBlock *b = s->b;
    if (s->cc_op == X86_CC_EFLAGS)
        return ir_mov(b, ccv(s, 1));
    if (guess_pays(s, true, 0))
        return with_guess(s, read_eflags, 0);
    if (s->cc_op != X86_CC_DYNAMIC && eflags_inline_ok(X86_CC_KIND(s->cc_op)))
        return eflags_inline(s);
    IRTemp op = s->cc_op == X86_CC_DYNAMIC ? cpu_cc_op : c32(s, s->cc_op);
    IRTemp in[4] = { op, to64(s, ccv(s, 0)), to64(s, ccv(s, 1)), to64(s, ccv(s, 2)) };
    IRTemp f = ir_call_helper(b, &x86_h_cc_compute, in);
    return s->tl == IR_I64 ? ir_extu_i32_i64(b, f) : f;
}

IRTemp x86_gen_cf(DisasContext *s)
{
    IRBlock *b = s->b;
    if (guess_pays(s, false, 2))
        return with_guess(s, read_cf, 0);
    if (s->cc_op != X86_CC_DYNAMIC) {
        unsigned ot = X86_CC_SIZE(s->cc_op);
        IRTemp r = ccv(s, 0), src = ccv(s, 1), a = ccv(s, 2);
        switch (X86_CC_KIND(s->cc_op)) {
        case X86_CCK_SUB:
            return ir_setcond(b, IR_COND_LTU, a, src);
        case X86_CCK_ADD:
            return ir_setcond(b, IR_COND_LTU, r, a);
        case X86_CCK_ADC:
            /* carry out of the top bit: a & b, or a ^ b without a result bit */
            return ir_extract(b, ir_or(b, ir_and(b, a, src), ir_andc(b, ir_xor(b, a, src), r)), ot_bits(ot) - 1, 1);
        case X86_CCK_SBB:
            /* borrow out of the top bit: ~a & b, or a == b with a result bit */
            return ir_extract(b, ir_or(b, ir_andc(b, src, a), ir_andc(b, r, ir_xor(b, a, src))), ot_bits(ot) - 1, 1);
        case X86_CCK_LOGIC:
            return tlc(s, 0);
        case X86_CCK_INC: case X86_CCK_DEC: case X86_CCK_BMI:
            return ir_mov(b, src);
        case X86_CCK_MUL:
            return ir_setcond(b, IR_COND_NE, src, tlc(s, 0));
        case X86_CCK_SHL:
            return ir_extract(b, src, ot_bits(ot) - 1, 1);
        case X86_CCK_SAR:
            return ir_andi(b, src, 1);
        default:
            break;
        }
    }
    return ir_andi(b, x86_gen_eflags(s), X86_EFLAGS_CF);
}

/* Condition cc (not PF) on a static record of any kind but EFLAGS, from
 * the flags' words; false when it needs the helper. */
static bool cond_from_words(DisasContext *s, unsigned cc, X86Cond *c)
{
    IRBlock *b = s->b;
    unsigned kind = X86_CC_KIND(s->cc_op), ot = X86_CC_SIZE(s->cc_op);
    IRTemp r = ccv(s, 0), zero = tlc(s, 0), sign = sign_c(s, ot);
    IRTemp ofw = IR_TEMP_NONE, of = IR_TEMP_NONE;
    if (kind == X86_CCK_EFLAGS || kind >= X86_CCK_COUNT)
        return false;
    if ((cc >> 1) == 0 || (cc >> 1) >= 6) {
        ofw = of_word(s, kind);
        if (ofw == IR_TEMP_NONE && (of = of_bit(s, kind, ot)) == IR_TEMP_NONE)
            return false;
    }
    switch (cc >> 1) {
    case 0:
        *c = ofw != IR_TEMP_NONE ? (X86Cond){ IR_COND_TSTNE, ofw, sign } : (X86Cond){ IR_COND_NE, of, zero };
        return true;
    case 1:
        *c = (X86Cond){ IR_COND_NE, x86_gen_cf(s), zero };
        return true;
    case 2:
        *c = (X86Cond){ IR_COND_EQ, r, zero };
        return true;
    case 3:
        *c = (X86Cond){ IR_COND_NE, ir_or(b, x86_gen_cf(s), ir_setcond(b, IR_COND_EQ, r, zero)), zero };
        return true;
    case 4:
        *c = (X86Cond){ IR_COND_TSTNE, r, sign };
        return true;
    case 6: case 7: {
        /* SF != OF: the sign bit of OF's word xor the result */
        X86Cond l = ofw != IR_TEMP_NONE
                        ? (X86Cond){ IR_COND_TSTNE, ir_xor(b, ofw, r), sign }
                        : (X86Cond){ IR_COND_NE, ir_xor(b, ir_setcond(b, IR_COND_TSTNE, r, sign), of), zero };
        if ((cc >> 1) == 6) {
            *c = l;
        } else {
            IRTemp lt = ir_setcond(b, l.cond, l.a, l.b);
            *c = (X86Cond){ IR_COND_NE, ir_or(b, lt, ir_setcond(b, IR_COND_EQ, r, zero)), zero };
        }
        return true;
    }
    default:
        return false;
    }
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
    if (guess_pays(s, false, cc))
        return (X86Cond){ IR_COND_NE, with_guess(s, read_setcc, cc), tlc(s, 0) };
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
    if (!done && s->cc_op != X86_CC_DYNAMIC && cond_from_words(s, cc, &c))
        done = true;
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
