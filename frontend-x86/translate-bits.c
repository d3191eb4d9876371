/*
 * translate-bits.c — bit tests (BT BTS BTR BTC, with the memory forms'
 * bit offsets beyond the operand), scans and counts (BSF BSR TZCNT LZCNT
 * POPCNT), BMI1/BMI2 (ANDN BEXTR BLSI BLSMSK BLSR BZHI MULX PDEP PEXT RORX
 * SARX SHLX SHRX), ADX (ADCX ADOX) and CRC32.
 */
#include "frontend-x86/x86-translate.h"

static unsigned tl_bits(const DisasContext *s)
{
    return s->tl == IR_I64 ? 64 : 32;
}

/* The flags record holding exactly the flags value f (tl). */
static void set_eflags(DisasContext *s, IRTemp f)
{
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, f, IR_TEMP_NONE);
}

/* ---- BT BTS BTR BTC ---- */

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static bool gen_bt(DisasContext *s, X86Insn *d, unsigned op)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    IRTemp bit, addr = d->addr;
    if (d->op[1].kind == X86_OPK_I) {
        bit = tlc(s, (uint64_t)d->op[1].imm & (bits - 1));
    } else {
        IRTemp off = x86_load_op(s, d, 1);
        bit = ir_andi(b, off, bits - 1);
        if (d->op[0].is_mem) {
            /* the register offset is signed and reaches any operand-sized
             * word: addr += (offset >> log2(bits)) * (bits / 8) */
            IRTemp words = ir_sari(b, x86_sext(s, off, ot), 3 + ot);
            addr = ir_add(b, addr, ir_shli(b, words, ot));
        }
    }
    IRTemp mask = ir_shl(b, tlc(s, 1), bit);
    IRTemp val, cf;
    if (d->op[0].is_mem && op != BT_TEST && (s->prefixes & X86_PRE_LOCK)) {
        unsigned again = ir_label_new(b);
        val = ir_temp_new(b, s->tl);
        ir_set_label(b, again);
        ir_mov_to(b, val, x86_ld(s, ot, addr));
        IRTemp nv = op == BT_SET ? ir_or(b, val, mask) : op == BT_RESET ? ir_andc(b, val, mask)
                                                                        : ir_xor(b, val, mask);
        IRTemp prev = ir_cmpxchg(b, addr, val, nv, (IRMemOp)ot);
        ir_brcond(b, IR_COND_NE, prev, val, again);
    } else {
        val = d->op[0].is_mem ? x86_ld(s, ot, addr) : x86_load_op(s, d, 0);
        if (op != BT_TEST) {
            IRTemp nv = op == BT_SET ? ir_or(b, val, mask) : op == BT_RESET ? ir_andc(b, val, mask)
                                                                            : ir_xor(b, val, mask);
            if (d->op[0].is_mem)
                x86_st(s, ot, nv, addr);
            else
                x86_store_op(s, d, 0, nv);
        }
    }
    cf = ir_andi(b, ir_shr(b, val, bit), 1);
    /* CF is the bit; the others stay (ZF by definition, OF SF AF PF are
     * undefined and the processors keep them) */
    IRTemp f = ir_or(b, ir_andi(b, x86_gen_eflags(s), ~(uint64_t)X86_EFLAGS_CF), cf);
    set_eflags(s, f);
    return true;
}

bool x86_trans_BT(DisasContext *s, X86Insn *d) { return gen_bt(s, d, BT_TEST); }
bool x86_trans_BTS(DisasContext *s, X86Insn *d) { return gen_bt(s, d, BT_SET); }
bool x86_trans_BTR(DisasContext *s, X86Insn *d) { return gen_bt(s, d, BT_RESET); }
bool x86_trans_BTC(DisasContext *s, X86Insn *d) { return gen_bt(s, d, BT_COMPLEMENT); }

/* ---- scans and counts ---- */

/* trailing zeros of v (zero-extended at ot): ot's width when v is 0 */
static IRTemp ctz_ot(DisasContext *s, IRTemp v, unsigned ot)
{
    if (ot_bits(ot) < tl_bits(s))
        v = ir_or(s->b, v, tlc(s, 1ull << ot_bits(ot)));
    return ir_ctz(s->b, v);
}

static IRTemp clz_ot(DisasContext *s, IRTemp v, unsigned ot)
{
    IRTemp c = ir_clz(s->b, v);
    unsigned extra = tl_bits(s) - ot_bits(ot);
    return extra ? ir_sub(s->b, c, tlc(s, extra)) : c;
}

/* BSF / BSR: a zero source sets ZF and leaves the destination as it was
 * (all of it); the other flags are undefined (cleared here) */
static bool gen_bsx(DisasContext *s, X86Insn *d, bool reverse)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp zero = tlc(s, 0);
    IRTemp r = reverse ? ir_sub(b, tlc(s, tl_bits(s) - 1), ir_clz(b, v)) : ctz_ot(s, v, ot);
    IRTemp old = cpu_regs[d->op[0].reg];
    IRTemp full = ir_movcond(b, IR_COND_EQ, v, zero, old, x86_zext(s, r, ot));
    if (ot == X86_OT_16)
        x86_store_op(s, d, 0, x86_zext(s, full, ot));
    else
        ir_mov_to(b, old, full);
    set_eflags(s, ir_shli(b, ir_setcond(b, IR_COND_EQ, v, zero), 6));
    return true;
}

bool x86_trans_BSF(DisasContext *s, X86Insn *d) { return gen_bsx(s, d, false); }
bool x86_trans_BSR(DisasContext *s, X86Insn *d) { return gen_bsx(s, d, true); }

/* TZCNT / LZCNT: CF = source is zero, ZF = result is zero */
static bool gen_xzcnt(DisasContext *s, X86Insn *d, bool leading)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp r = leading ? clz_ot(s, v, ot) : ctz_ot(s, v, ot);
    x86_store_op(s, d, 0, r);
    IRTemp zero = tlc(s, 0);
    IRTemp f = ir_or(b, ir_setcond(b, IR_COND_EQ, v, zero), ir_shli(b, ir_setcond(b, IR_COND_EQ, r, zero), 6));
    set_eflags(s, f);
    return true;
}

bool x86_trans_TZCNT(DisasContext *s, X86Insn *d) { return gen_xzcnt(s, d, false); }
bool x86_trans_LZCNT(DisasContext *s, X86Insn *d) { return gen_xzcnt(s, d, true); }

/* POPCNT: ZF = source is zero, the other flags cleared */
bool x86_trans_POPCNT(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp in[1] = { s->tl == IR_I64 ? v : ir_extu_i32_i64(b, v) };
    IRTemp r = ir_call_helper(b, &x86_h_popcnt, in);
    x86_store_op(s, d, 0, s->tl == IR_I64 ? r : ir_extrl_i64_i32(b, r));
    set_eflags(s, ir_shli(b, ir_setcond(b, IR_COND_EQ, v, tlc(s, 0)), 6));
    return true;
}

/* ---- BMI1 ---- */

bool x86_trans_ANDN(DisasContext *s, X86Insn *d)
{
    IRTemp r = ir_andc(s->b, x86_load_op(s, d, 2), x86_load_op(s, d, 1));
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_LOGIC, d->op[0].ot, r, IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

/* BLSI / BLSMSK / BLSR: the record keeps the result and CF */
bool x86_trans_BLSI(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp r = ir_and(b, x86_zext(s, ir_neg(b, v), d->op[0].ot), v);
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_BMI, d->op[0].ot, r, ir_setcond(b, IR_COND_NE, v, tlc(s, 0)), IR_TEMP_NONE);
    return true;
}

bool x86_trans_BLSMSK(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp r = x86_zext(s, ir_xor(b, ir_sub(b, v, tlc(s, 1)), v), ot);
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_BMI, ot, r, ir_setcond(b, IR_COND_EQ, v, tlc(s, 0)), IR_TEMP_NONE);
    return true;
}

bool x86_trans_BLSR(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp r = x86_zext(s, ir_and(b, ir_sub(b, v, tlc(s, 1)), v), ot);
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_BMI, ot, r, ir_setcond(b, IR_COND_EQ, v, tlc(s, 0)), IR_TEMP_NONE);
    return true;
}

/* BEXTR: start = bits 7:0 of the control, length = bits 15:8 */
bool x86_trans_BEXTR(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    IRTemp v = x86_load_op(s, d, 1), ctl = x86_load_op(s, d, 2);
    IRTemp start = ir_andi(b, ctl, 0xff), len = ir_andi(b, ir_shri(b, ctl, 8), 0xff);
    IRTemp zero = tlc(s, 0), lim = tlc(s, bits);
    IRTemp sh = ir_movcond(b, IR_COND_GEU, start, lim, zero, ir_shr(b, v, start));
    IRTemp m = ir_sub(b, ir_shl(b, tlc(s, 1), len), tlc(s, 1));
    IRTemp r = ir_movcond(b, IR_COND_GEU, len, lim, sh, ir_and(b, sh, m));
    r = x86_zext(s, r, ot);
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_LOGIC, ot, r, IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

/* ---- BMI2 ---- */

/* BZHI: clear the bits from index (bits 7:0) up; CF = index too large */
bool x86_trans_BZHI(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    IRTemp v = x86_load_op(s, d, 1), idx = ir_andi(b, x86_load_op(s, d, 2), 0xff);
    IRTemp lim = tlc(s, bits);
    IRTemp m = ir_sub(b, ir_shl(b, tlc(s, 1), idx), tlc(s, 1));
    IRTemp r = ir_movcond(b, IR_COND_GEU, idx, lim, v, ir_and(b, v, m));
    x86_store_op(s, d, 0, r);
    x86_set_cc(s, X86_CCK_BMI, ot, r, ir_setcond(b, IR_COND_GEU, idx, lim), IR_TEMP_NONE);
    return true;
}

static bool gen_pdep_pext(DisasContext *s, X86Insn *d, const IRHelper *h)
{
    IRBlock *b = s->b;
    IRTemp v = x86_load_op(s, d, 1), m = x86_load_op(s, d, 2);
    IRTemp in[2] = { s->tl == IR_I64 ? v : ir_extu_i32_i64(b, v), s->tl == IR_I64 ? m : ir_extu_i32_i64(b, m) };
    IRTemp r = ir_call_helper(b, h, in);
    x86_store_op(s, d, 0, x86_zext(s, s->tl == IR_I64 ? r : ir_extrl_i64_i32(b, r), d->op[0].ot));
    return true;
}

bool x86_trans_PDEP(DisasContext *s, X86Insn *d) { return gen_pdep_pext(s, d, &x86_h_pdep); }
bool x86_trans_PEXT(DisasContext *s, X86Insn *d) { return gen_pdep_pext(s, d, &x86_h_pext); }

/* MULX: rDX * source, unsigned; high half to the ModRM.reg register, low
 * to VEX.vvvv (the high half wins when they are the same); no flags */
bool x86_trans_MULX(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp a = x86_load_reg(s, ot, X86_RDX, false), v = x86_load_op(s, d, 2);
    IRTemp lo, hi;
    if (ot_bits(ot) == tl_bits(s)) {
        ir_mul2(b, false, &lo, &hi, a, v);
    } else {
        IRTemp p = ir_mul(b, a, v);
        lo = x86_zext(s, p, ot);
        hi = ir_shri(b, p, 32);
    }
    x86_store_op(s, d, 1, lo);
    x86_store_op(s, d, 0, hi);
    return true;
}

bool x86_trans_RORX(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, bits = ot_bits(ot);
    unsigned c = (unsigned)d->op[2].imm & (bits - 1);
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp r;
    if (bits == tl_bits(s))
        r = ir_rotr(b, v, tlc(s, c));
    else
        r = c ? x86_zext(s, ir_or(b, ir_shri(b, v, c), ir_shli(b, v, bits - c)), ot) : v;
    x86_store_op(s, d, 0, r);
    return true;
}

enum { SX_SHL, SX_SHR, SX_SAR };

static bool gen_shiftx(DisasContext *s, X86Insn *d, unsigned op)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp c = ir_andi(b, x86_load_op(s, d, 2), ot == X86_OT_64 ? 63 : 31);
    IRTemp r = op == SX_SHL ? ir_shl(b, v, c) : op == SX_SHR ? ir_shr(b, v, c) : ir_sar(b, x86_sext(s, v, ot), c);
    x86_store_op(s, d, 0, x86_zext(s, r, ot));
    return true;
}

bool x86_trans_SHLX(DisasContext *s, X86Insn *d) { return gen_shiftx(s, d, SX_SHL); }
bool x86_trans_SHRX(DisasContext *s, X86Insn *d) { return gen_shiftx(s, d, SX_SHR); }
bool x86_trans_SARX(DisasContext *s, X86Insn *d) { return gen_shiftx(s, d, SX_SAR); }

/* ---- ADX: add with carry through CF (ADCX) or OF (ADOX) only ---- */

static bool gen_adx(DisasContext *s, X86Insn *d, uint32_t flag)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot, sh = flag == X86_EFLAGS_CF ? 0 : 11;
    IRTemp f = x86_gen_eflags(s);
    IRTemp cin = ir_andi(b, ir_shri(b, f, sh), 1);
    IRTemp a = x86_load_op(s, d, 0), v = x86_load_op(s, d, 1);
    IRTemp r, cout;
    if (ot_bits(ot) == tl_bits(s)) {
        IRTemp t = ir_add(b, a, v);
        IRTemp c1 = ir_setcond(b, IR_COND_LTU, t, a);
        r = ir_add(b, t, cin);
        IRTemp c2 = ir_setcond(b, IR_COND_LTU, r, t);
        cout = ir_or(b, c1, c2);
    } else {
        IRTemp t = ir_add(b, ir_add(b, a, v), cin);
        r = x86_zext(s, t, ot);
        cout = ir_shri(b, t, 32);
    }
    x86_store_op(s, d, 0, r);
    set_eflags(s, ir_or(b, ir_andi(b, f, ~(uint64_t)flag), ir_shli(b, cout, sh)));
    return true;
}

bool x86_trans_ADCX(DisasContext *s, X86Insn *d) { return gen_adx(s, d, X86_EFLAGS_CF); }
bool x86_trans_ADOX(DisasContext *s, X86Insn *d) { return gen_adx(s, d, X86_EFLAGS_OF); }

/* CRC32 (Castagnoli) of the source's bytes into the 32-bit accumulator */
bool x86_trans_CRC32(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp acc = x86_load_reg(s, X86_OT_32, d->op[0].reg, false);
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp in[3] = { s->tl == IR_I64 ? ir_extrl_i64_i32(b, acc) : acc,
                     s->tl == IR_I64 ? v : ir_extu_i32_i64(b, v), c32(s, 1u << d->op[1].ot) };
    IRTemp r = ir_call_helper(b, &x86_h_crc32c, in);
    x86_store_reg(s, X86_OT_32, d->op[0].reg, false, s->tl == IR_I64 ? ir_extu_i32_i64(b, r) : r);
    return true;
}
