/*
 * a64-emit-alu.c — code for the IR's integer value ops on an AArch64 host:
 * moves, arithmetic, logic, shifts, divisions, multiplies, bit counting,
 * extensions, bitfields, width changes, setcond/movcond, and the compare of
 * brcond (BackendHost.compare) with its CBZ/CBNZ/TBZ/TBNZ fusion.
 *
 * Invariant (a64-internal.h): a register holding an i32 value has its upper
 * 32 bits clear.  Every W-form instruction establishes it, so i32 ops use
 * the W forms and extu_i32_i64 is at most a register copy.
 *
 * A64 is a three-operand machine: the result goes to any register, so an
 * op only reuses an input's register when that input dies here (or is the
 * output itself), to keep register pressure down.  Constants never take an
 * allocatable register: an operand that an instruction cannot hold as an
 * immediate is built in the scratch registers x16/x17, or is the zero
 * register when it is 0.  The allocator may itself use x16/x17 while it
 * loads, spills or moves (a far offset in the cpu state), so constants are
 * built only after every register of the op has been asked for.
 */
#include "a64-internal.h"

#define ALL A64_ALLOC_REGS

static uint64_t wmask(bool w) { return w ? ~0ull : 0xffffffffull; }

/* May the op overwrite input i's register with its result? */
static bool reusable(const BackendCtx *c, const IROp *op, unsigned i)
{
    IRTemp t = ir_op_in(op, i);
    if (a64_is_const(c, t))
        return false;
    return t == ir_op_out(op, 0) || ra_in_dies(c, op, i);
}

/* The result register of an op whose last instruction alone writes it
 * after reading every input: the register of one of the first n inputs
 * when that input may be overwritten, else a fresh one.  The inputs must
 * be loaded already. */
static int dst_any(BackendCtx *c, const IROp *op, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        IRTemp t = ir_op_in(op, i);
        int r = c->t[t].reg;
        if (reusable(c, op, i) && r >= 0 && c->owner[r] == (int)t && (c->locked & A64_RBIT(r)))
            return r;
    }
    return a64_out(c, ir_op_out(op, 0));
}

/* Input t in a register, or -1 for a constant (built later by konst). */
static int in_reg(BackendCtx *c, IRTemp t) { return a64_is_const(c, t) ? -1 : a64_in(c, t); }

/* r when t is in a register (r >= 0), else constant t in scratch register
 * s, or the zero register for 0 (not for an operand slot that means SP). */
static int konst(BackendCtx *c, bool w, IRTemp t, int r, int s)
{
    if (r >= 0)
        return r;
    uint64_t v = a64_const_val(c, t) & wmask(w);
    if (!v)
        return A64_ZR;
    a64_mov_imm(&c->a, w, s, v);
    return s;
}

/* The same, never the zero register. */
static int konst_reg(BackendCtx *c, bool w, IRTemp t, int r, int s)
{
    if (r >= 0)
        return r;
    a64_mov_imm(&c->a, w, s, a64_const_val(c, t) & wmask(w));
    return s;
}

static void set_const(BackendCtx *c, IRTemp out, uint64_t v)
{
    int rd = a64_out(c, out);
    a64_mov_imm(&c->a, a64_is_w64(c, out), rd, v & wmask(a64_is_w64(c, out)));
    ra_bind(c, out, rd);
}

/* out = the value of register rs (a copy). */
static void copy_to(BackendCtx *c, IRTemp out, int rs)
{
    int rd = a64_out(c, out);
    a64_mov_rr(&c->a, a64_is_w64(c, out), rd, rs);
    ra_bind(c, out, rd);
}

static void emit_mov(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = a64_is_w64(c, out);
    if (out == a)
        return;
    /* A global the block does not read again: store it now rather than
     * hold it in a register until the block's end. */
    bool store_now = c->b->temps[out].kind == IR_TEMP_GLOBAL && !(c->dead[c->op_index] & BACKEND_DEAD_OUT_REREAD);
    if (a64_is_const(c, a)) {
        if (!store_now) {
            set_const(c, out, a64_const_val(c, a));
            return;
        }
        if (c->t[out].reg >= 0)
            ra_unbind(c, c->t[out].reg);
        c->host->store(c, konst(c, w, a, -1, A64_REG_TMP), out);
        c->t[out].mem_ok = true;
        return;
    }
    int ra = a64_in(c, a);
    if (ra_in_dies(c, op, 0)) {        /* hand the register over */
        ra_bind(c, out, ra);
        return;
    }
    if (store_now) {
        if (c->t[out].reg >= 0)
            ra_unbind(c, c->t[out].reg);
        c->host->store(c, ra, out);
        c->t[out].mem_ok = true;
        return;
    }
    copy_to(c, out, ra);
}

/* ---- shifted register operands ---------------------------------------------
 *
 * ARM's "add r0, r1, r2, lsl #2" reaches the IR as "t = shl r2, $2;
 * r0 = add r1, t".  A64 has the same operand: when t dies at the add, the
 * shift is left out (the core skips it: BackendHost.fold_op) and the add
 * is one `ADD w0, w1, w2, LSL #2`.  Shifts by a constant (LSL/LSR/ASR,
 * and ROR for the logical ops) into add, sub, and, or, xor, andc; t must
 * be the second operand of sub and andc (the only one A64 shifts), and
 * the other operand a register. */

static bool shift_pending(const BackendCtx *c)
{
    const struct BackendHostCtx *h = c->h;
    return h->sh_t != IR_TEMP_NONE && h->sh_block == c->b && h->sh_op + 1 == c->op_index;
}

bool a64_defer_shift(BackendCtx *c, const IROp *op, const IROp *next)
{
    struct BackendHostCtx *h = c->h;
    if (shift_pending(c))
        return false;                  /* op is the one using the deferred shift */
    h->sh_t = IR_TEMP_NONE;            /* anything older is stale */
    A64Shift sh;
    switch ((IROpcode)op->opc) {
    case IR_OP_shl: sh = A64_LSL; break;
    case IR_OP_shr: sh = A64_LSR; break;
    case IR_OP_sar: sh = A64_ASR; break;
    case IR_OP_rotr: sh = A64_ROR; break;
    default: return false;
    }
    if (!next)
        return false;
    bool logic = next->opc == IR_OP_and || next->opc == IR_OP_or || next->opc == IR_OP_xor ||
                 next->opc == IR_OP_andc;
    bool arith = next->opc == IR_OP_add || next->opc == IR_OP_sub;
    if (!logic && !(arith && sh != A64_ROR))
        return false;
    const IRBlock *b = c->b;
    IRTemp t = ir_op_out(op, 0), x = ir_op_in(op, 0), k = ir_op_in(op, 1);
    if (b->temps[t].kind != IR_TEMP_LOCAL || c->t[t].cross || a64_is_const(c, x) || x == t || !a64_is_const(c, k))
        return false;
    unsigned width = b->temps[t].type == IR_I64 ? 64 : 32;
    unsigned n = (unsigned)a64_const_val(c, k) & (width - 1);
    if (!n)
        return false;
    IRTemp a0 = ir_op_in(next, 0), a1 = ir_op_in(next, 1);
    if ((a0 == t) == (a1 == t))
        return false;                  /* t on both sides or neither */
    unsigned ti = a1 == t ? 1 : 0;
    IRTemp y = ti ? a0 : a1;
    if (a64_is_const(c, y) || y == t)
        return false;
    if (ti == 0 && (next->opc == IR_OP_sub || next->opc == IR_OP_andc))
        return false;                  /* only the second operand is shifted */
    if (!((c->dead[c->op_index + 1] >> (next->n_out + ti)) & 1) || ir_op_out(next, 0) == t)
        return false;                  /* t is read again later */
    h->sh_block = b;
    h->sh_op = c->op_index;
    h->sh_t = t;
    h->sh_src = x;
    h->sh_type = (uint8_t)sh;
    h->sh_amount = (uint8_t)n;
    /* x dying at the shift stays bound (the skipped op releases nothing)
     * until the next op has read it */
    h->sh_src_dies = b->temps[x].kind == IR_TEMP_LOCAL && ((c->dead[c->op_index] >> op->n_out) & 1);
    return true;
}

/* The op after a deferred shift: y op (x shifted). */
static void emit_shifted(BackendCtx *c, const IROp *op)
{
    struct BackendHostCtx *h = c->h;
    IRTemp out = ir_op_out(op, 0);
    IRTemp y = ir_op_in(op, 0) == h->sh_t ? ir_op_in(op, 1) : ir_op_in(op, 0);
    IRTemp x = h->sh_src;
    A64Shift sh = (A64Shift)h->sh_type;
    unsigned n = h->sh_amount;
    bool w = a64_is_w64(c, out);
    h->sh_t = IR_TEMP_NONE;
    int ry = a64_in(c, y);
    int rx = a64_in(c, x);
    int rd;
    if (h->sh_src_dies && x != y) {
        ra_release_local(c, x);        /* its last use: the register is the result's */
        rd = rx;
    } else {
        rd = dst_any(c, op, 2);
    }
    switch ((IROpcode)op->opc) {
    case IR_OP_add: a64_addsub_reg(&c->a, A64_ADD, w, rd, ry, rx, sh, n); break;
    case IR_OP_sub: a64_addsub_reg(&c->a, A64_SUB, w, rd, ry, rx, sh, n); break;
    case IR_OP_and: a64_logic_reg(&c->a, A64_AND, w, rd, ry, rx, sh, n); break;
    case IR_OP_or: a64_logic_reg(&c->a, A64_ORR, w, rd, ry, rx, sh, n); break;
    case IR_OP_xor: a64_logic_reg(&c->a, A64_EOR, w, rd, ry, rx, sh, n); break;
    default: a64_logic_reg(&c->a, A64_BIC, w, rd, ry, rx, sh, n); break;      /* andc */
    }
    ra_bind(c, out, rd);
}

/* add / sub: an immediate (or two, or a built constant) for a constant
 * second operand; constants go second for add. */
static void emit_addsub(BackendCtx *c, const IROp *op, bool sub)
{
    if (shift_pending(c)) {
        emit_shifted(c, op);
        return;
    }
    IRTemp out = ir_op_out(op, 0);
    IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    if (!sub && a64_is_const(c, a) && !a64_is_const(c, b)) {
        IRTemp t = a;
        a = b;
        b = t;
    }
    bool w = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    if (a64_is_const(c, b)) {
        uint64_t v = a64_const_val(c, b) & wmask(w);
        if (sub)
            v = -v & wmask(w);
        int rd = dst_any(c, op, 2);
        ra = konst_reg(c, w, a, ra, A64_REG_TMP2);           /* an SP slot: no ZR */
        a64_add_const(&c->a, w, rd, ra, w ? (int64_t)v : (int64_t)(int32_t)v,
                      ra == A64_REG_TMP ? A64_REG_TMP2 : A64_REG_TMP);
        ra_bind(c, out, rd);
        return;
    }
    int rb = a64_in(c, b);
    int rd = dst_any(c, op, 2);
    ra = konst(c, w, a, ra, A64_REG_TMP);                    /* 0 - b: NEG */
    a64_addsub_reg(&c->a, sub ? A64_SUB : A64_ADD, w, rd, ra, rb, A64_LSL, 0);
    ra_bind(c, out, rd);
}

/* and / or / xor (lop AND, ORR, EOR) and andc (AND with invert_b). */
static void emit_logic(BackendCtx *c, const IROp *op, A64Logic lop, bool invert_b)
{
    if (shift_pending(c)) {
        emit_shifted(c, op);
        return;
    }
    IRTemp out = ir_op_out(op, 0);
    IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    if (!invert_b && a64_is_const(c, a) && !a64_is_const(c, b)) {
        IRTemp t = a;
        a = b;
        b = t;
    }
    bool w = a64_is_w64(c, a);
    uint64_t m = wmask(w);
    int ra = in_reg(c, a);
    if (a64_is_const(c, b)) {
        uint64_t v = a64_const_val(c, b) & m;
        if (invert_b)
            v = ~v & m;
        int rd = dst_any(c, op, 2);
        ra = konst(c, w, a, ra, A64_REG_TMP2);
        uint32_t enc;
        if (a64_logic_imm_encode(w, v, &enc)) {
            a64_logic_imm(&c->a, lop, w, rd, ra, v);
        } else if (v == m) {
            /* all ones, which no bitmask immediate is: the inverted
             * register form with the zero register (BIC: a, ORN: -1, EON: ~a) */
            a64_logic_reg(&c->a, (A64Logic)(lop | 1), w, rd, ra, A64_ZR, A64_LSL, 0);
        } else {
            int rb = A64_ZR;                                 /* v == 0: AND 0, ORR/EOR a */
            if (v) {
                a64_mov_imm(&c->a, w, A64_REG_TMP, v);
                rb = A64_REG_TMP;
            }
            a64_logic_reg(&c->a, lop, w, rd, ra, rb, A64_LSL, 0);
        }
        ra_bind(c, out, rd);
        return;
    }
    int rb = a64_in(c, b);
    int rd = dst_any(c, op, 2);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    a64_logic_reg(&c->a, (A64Logic)(lop | (invert_b ? 1 : 0)), w, rd, ra, rb, A64_LSL, 0);
    ra_bind(c, out, rd);
}

static void emit_mul(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    if (a64_is_const(c, a) && !a64_is_const(c, b)) {
        IRTemp t = a;
        a = b;
        b = t;
    }
    bool w = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    int rb = in_reg(c, b);
    int rd = dst_any(c, op, 2);
    if (ra >= 0 && rb < 0) {
        uint64_t v = a64_const_val(c, b) & wmask(w);
        if (v && !(v & (v - 1))) {                           /* by a power of two: LSL */
            unsigned n = (unsigned)__builtin_ctzll(v);
            if (n)
                a64_shift_imm(&c->a, A64_LSL, w, rd, ra, n);
            else if (rd != ra)
                a64_mov_rr(&c->a, w, rd, ra);
            ra_bind(c, out, rd);
            return;
        }
    }
    ra = konst(c, w, a, ra, A64_REG_TMP);
    rb = konst(c, w, b, rb, A64_REG_TMP2);
    a64_mul(&c->a, w, rd, ra, rb);
    ra_bind(c, out, rd);
}

/* shl / shr / sar / rotr (sh), rotl (ROR by the negated count).  Counts
 * are modulo the width in the IR, as in LSLV & co. */
static void emit_shift(BackendCtx *c, const IROp *op, A64Shift sh, bool rotl)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = a64_is_w64(c, a);
    unsigned width = w ? 64 : 32;
    int ra = in_reg(c, a);
    if (a64_is_const(c, b)) {
        unsigned n = (unsigned)a64_const_val(c, b) & (width - 1);
        if (rotl)
            n = (width - n) & (width - 1);
        int rd = dst_any(c, op, 1);
        ra = konst(c, w, a, ra, A64_REG_TMP);
        if (n)
            a64_shift_imm(&c->a, sh, w, rd, ra, n);
        else if (rd != ra)
            a64_mov_rr(&c->a, w, rd, ra);
        ra_bind(c, out, rd);
        return;
    }
    int rb = a64_in(c, b);
    int rd = dst_any(c, op, 2);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    if (rotl) {
        a64_neg(&c->a, w, A64_REG_TMP2, rb);   /* rotl n == rotr (width - n) mod width */
        rb = A64_REG_TMP2;
    }
    a64_shiftv(&c->a, sh, w, rd, ra, rb);
    ra_bind(c, out, rd);
}

/* neg, not, clz, ctz, bswap: one input, the result written last. */
static void emit_unary(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    int rd = dst_any(c, op, 1);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    switch ((IROpcode)op->opc) {
    case IR_OP_neg: a64_neg(&c->a, w, rd, ra); break;
    case IR_OP_not: a64_mvn(&c->a, w, rd, ra); break;
    case IR_OP_clz: a64_clz(&c->a, w, rd, ra); break;             /* clz(0) == width */
    case IR_OP_ctz:
        a64_rbit(&c->a, w, rd, ra);
        a64_clz(&c->a, w, rd, rd);
        break;
    default: a64_rev(&c->a, w, rd, ra); break;                      /* bswap */
    }
    ra_bind(c, out, rd);
}

/* SDIV/UDIV already give the IR's answers: x / 0 == 0, INT_MIN / -1 ==
 * INT_MIN; and the remainder x - (x / y) * y (MSUB) then gives x % 0 == x
 * and INT_MIN % -1 == 0. */
static void emit_div(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = a64_is_w64(c, a);
    bool sign = op->opc == IR_OP_divs || op->opc == IR_OP_rems;
    bool rem = op->opc == IR_OP_rems || op->opc == IR_OP_remu;
    int ra = in_reg(c, a);
    int rb = in_reg(c, b);
    if (!sign && ra >= 0 && rb < 0) {
        uint64_t v = a64_const_val(c, b) & wmask(w);
        if (v && !(v & (v - 1))) {                           /* unsigned by a power of two */
            unsigned n = (unsigned)__builtin_ctzll(v);
            int rd = dst_any(c, op, 1);
            if (rem && n)
                a64_ubfx(&c->a, w, rd, ra, 0, n);
            else if (rem)
                a64_mov_rr(&c->a, w, rd, A64_ZR);            /* x % 1 == 0 */
            else if (n)
                a64_shift_imm(&c->a, A64_LSR, w, rd, ra, n);
            else if (rd != ra)
                a64_mov_rr(&c->a, w, rd, ra);
            ra_bind(c, out, rd);
            return;
        }
    }
    /* A remainder computes the quotient into its result register first:
     * that must not be an input's. */
    int rd = rem ? a64_out(c, out) : dst_any(c, op, 2);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    rb = konst(c, w, b, rb, A64_REG_TMP2);
    if (sign)
        a64_sdiv(&c->a, w, rd, ra, rb);
    else
        a64_udiv(&c->a, w, rd, ra, rb);
    if (rem)
        a64_msub(&c->a, w, rd, rd, rb, ra);
    ra_bind(c, out, rd);
}

/* mulu2 / muls2: (lo, hi) of the double-width product. */
static void emit_mul2(BackendCtx *c, const IROp *op)
{
    IRTemp lo = ir_op_out(op, 0), hi = ir_op_out(op, 1);
    IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = a64_is_w64(c, a);
    bool sign = op->opc == IR_OP_muls2;
    int ra = in_reg(c, a);
    int rb = in_reg(c, b);
    /* both results in fresh registers: the inputs are read by two instructions */
    int rlo = a64_out(c, lo);
    int rhi = ra_out(c, hi, ALL);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    rb = konst(c, w, b, rb, A64_REG_TMP2);
    if (w) {
        a64_mul(&c->a, true, rlo, ra, rb);
        if (sign)
            a64_smulh(&c->a, rhi, ra, rb);
        else
            a64_umulh(&c->a, rhi, ra, rb);
    } else {
        /* the 64-bit product of the W registers, then its halves */
        if (sign)
            a64_smaddl(&c->a, rlo, ra, rb, A64_ZR);
        else
            a64_umaddl(&c->a, rlo, ra, rb, A64_ZR);
        a64_shift_imm(&c->a, A64_LSR, true, rhi, rlo, 32);
        a64_mov_rr(&c->a, false, rlo, rlo);
    }
    ra_bind(c, lo, rlo);
    ra_bind(c, hi, rhi);
}

/* ext8s/u, ext16s/u, exts_i32_i64, extu_i32_i64, extrl/extrh_i64_i32. */
static void emit_ext(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = a64_is_w64(c, out);
    bool wi = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    int rd = dst_any(c, op, 1);
    ra = konst(c, wi, a, ra, A64_REG_TMP);
    switch ((IROpcode)op->opc) {
    /* UXTB/UXTH are W forms: their zero upper half suits both widths */
    case IR_OP_ext8s: a64_sxt(&c->a, 1, w, rd, ra); break;
    case IR_OP_ext8u: a64_uxt(&c->a, 1, rd, ra); break;
    case IR_OP_ext16s: a64_sxt(&c->a, 2, w, rd, ra); break;
    case IR_OP_ext16u: a64_uxt(&c->a, 2, rd, ra); break;
    case IR_OP_exts_i32_i64: a64_sxt(&c->a, 4, true, rd, ra); break;
    case IR_OP_extu_i32_i64:
        if (rd != ra)                       /* i32 values are kept zero-extended */
            a64_mov_rr(&c->a, false, rd, ra);
        break;
    case IR_OP_extrl_i64_i32: a64_mov_rr(&c->a, false, rd, ra); break;   /* clears bits 63..32 */
    default: a64_shift_imm(&c->a, A64_LSR, true, rd, ra, 32); break;     /* extrh_i64_i32 */
    }
    ra_bind(c, out, rd);
}

static void emit_extract(BackendCtx *c, const IROp *op, bool sign)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    unsigned pos = (unsigned)ir_op_const(op, 0), len = (unsigned)ir_op_const(op, 1);
    bool w = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    int rd = dst_any(c, op, 1);
    ra = konst(c, w, a, ra, A64_REG_TMP);
    if (sign)
        a64_sbfx(&c->a, w, rd, ra, pos, len);
    else
        a64_ubfx(&c->a, w, rd, ra, pos, len);
    ra_bind(c, out, rd);
}

/* deposit: BFI into a's value, in a's register when a dies here, else in
 * a copy. */
static void emit_deposit(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    unsigned pos = (unsigned)ir_op_const(op, 0), len = (unsigned)ir_op_const(op, 1);
    bool w = a64_is_w64(c, a);
    int ra = in_reg(c, a);
    int rb = in_reg(c, b);
    if (len >= (w ? 64u : 32u)) {            /* the whole of b */
        if (rb >= 0) {
            copy_to(c, out, rb);
        } else {
            set_const(c, out, a64_const_val(c, b));
        }
        return;
    }
    int rd;
    if (ra >= 0 && reusable(c, op, 0) && c->owner[ra] == (int)a) {
        rd = ra;
    } else {
        rd = a64_out(c, out);
        if (ra >= 0)
            a64_mov_rr(&c->a, w, rd, ra);
        else
            a64_mov_imm(&c->a, w, rd, a64_const_val(c, a) & wmask(w));
    }
    rb = konst(c, w, b, rb, A64_REG_TMP);   /* 0: BFI of ZR clears the field */
    a64_bfi(&c->a, w, rd, rb, pos, len);
    ra_bind(c, out, rd);
}

/* ---- comparisons ------------------------------------------------------------ */

static const A64Cond cond_map[IR_COND_COUNT] = {
    [IR_COND_EQ] = A64_EQ, [IR_COND_NE] = A64_NE,
    [IR_COND_LT] = A64_LT, [IR_COND_GE] = A64_GE, [IR_COND_LE] = A64_LE, [IR_COND_GT] = A64_GT,
    [IR_COND_LTU] = A64_LO, [IR_COND_GEU] = A64_HS, [IR_COND_LEU] = A64_LS, [IR_COND_GTU] = A64_HI,
    [IR_COND_TSTEQ] = A64_EQ, [IR_COND_TSTNE] = A64_NE,
};

/* A comparison after its operands were put in order. */
typedef struct A64Cmp {
    IRCond cond;
    IRTemp a, b;       /* a is not a constant */
    bool w;
} A64Cmp;

/* Puts a constant operand second (mirroring the condition).  False when
 * the outcome is known at translation time: *known is it. */
static bool cmp_prep(const BackendCtx *c, IRCond cond, IRTemp a, IRTemp b, A64Cmp *k, bool *known)
{
    IRType ty = c->b->temps[a].type;
    if (cond == IR_COND_NEVER || cond == IR_COND_ALWAYS) {
        *known = cond == IR_COND_ALWAYS;
        return false;
    }
    if (a64_is_const(c, a) && a64_is_const(c, b)) {
        *known = ir_cond_eval(cond, a64_const_val(c, a), a64_const_val(c, b), ty);
        return false;
    }
    if (a64_is_const(c, a)) {
        IRTemp t = a;
        a = b;
        b = t;
        cond = ir_cond_swap(cond);
    }
    k->cond = cond;
    k->a = a;
    k->b = b;
    k->w = ty == IR_I64;
    if (a64_is_const(c, b)) {
        uint64_t v = a64_const_val(c, b) & wmask(k->w);
        if (v == 0 && (cond == IR_COND_TSTEQ || cond == IR_COND_TSTNE || cond == IR_COND_LTU ||
                       cond == IR_COND_GEU)) {
            /* x & 0 == 0; x <u 0 never; x >=u 0 always */
            *known = cond == IR_COND_TSTEQ || cond == IR_COND_GEU;
            return false;
        }
    }
    return true;
}

/* Ops whose code leaves the host flags alone (and the core's spills,
 * reloads and write-backs around them: LDR/STR/MOV).  Compares, labels,
 * branches, calls, exits, exit checks, memory and FP ops are not among
 * them. */
static bool flag_safe(IROpcode opc)
{
    switch (opc) {
    case IR_OP_mov: case IR_OP_add: case IR_OP_sub: case IR_OP_mul: case IR_OP_and: case IR_OP_or:
    case IR_OP_xor: case IR_OP_andc: case IR_OP_shl: case IR_OP_shr: case IR_OP_sar: case IR_OP_rotl:
    case IR_OP_rotr: case IR_OP_neg: case IR_OP_not: case IR_OP_divs: case IR_OP_divu: case IR_OP_rems:
    case IR_OP_remu: case IR_OP_mulu2: case IR_OP_muls2: case IR_OP_clz: case IR_OP_ctz: case IR_OP_bswap:
    case IR_OP_ext8s: case IR_OP_ext8u: case IR_OP_ext16s: case IR_OP_ext16u: case IR_OP_extract:
    case IR_OP_sextract: case IR_OP_deposit: case IR_OP_extu_i32_i64: case IR_OP_exts_i32_i64:
    case IR_OP_extrl_i64_i32: case IR_OP_extrh_i64_i32: case IR_OP_insn_start: case IR_OP_nop:
        return true;
    default:
        return false;
    }
}

static bool is_tst(IRCond cond) { return cond == IR_COND_TSTEQ || cond == IR_COND_TSTNE; }

/* Do the host flags still hold this comparison (ARM's flags: "setcond eq
 * a, b; setcond geu a, b; brcond ne a, b" compare once)?  The flags depend
 * only on the two values, so the same temps (or equal constants), not
 * written since, with only flag_safe ops in between, will do. */
static bool flags_hold(const BackendCtx *c, const A64Cmp *k)
{
    const struct BackendHostCtx *h = c->h;
    if (h->fl_block != c->b || h->fl_op >= c->op_index || h->fl_a != k->a || h->fl_w != k->w ||
        h->fl_tst != is_tst(k->cond))
        return false;
    /* The note is from this emission of this block, not an older one of
     * the same (reused) IRBlock: op fl_op is a comparison, so it was
     * emitted before this op, and its emission noted its compare or
     * cleared the note (flags_clear), as each later one did. */
    IROpcode fo = (IROpcode)c->b->ops[h->fl_op].opc;
    if (fo != IR_OP_setcond && fo != IR_OP_movcond && fo != IR_OP_brcond)
        return false;
    if (h->fl_b != k->b && !(a64_is_const(c, h->fl_b) && a64_is_const(c, k->b) &&
                             ((a64_const_val(c, h->fl_b) ^ a64_const_val(c, k->b)) & wmask(k->w)) == 0))
        return false;
    for (unsigned j = h->fl_op + 1; j < c->op_index; j++) {
        const IROp *op = &c->b->ops[j];
        if (!flag_safe((IROpcode)op->opc))
            return false;
        for (unsigned o = 0; o < op->n_out; o++)
            if (ir_op_out(op, o) == k->a || ir_op_out(op, o) == k->b)
                return false;
    }
    return true;
}

/* A comparison emitted without setting the flags (decided at translation
 * time, fused into the branch, the sign bit): whatever an older note says
 * must not be trusted beyond it. */
static void flags_clear(BackendCtx *c) { c->h->fl_block = NULL; }

static void flags_note(BackendCtx *c, const A64Cmp *k)
{
    struct BackendHostCtx *h = c->h;
    h->fl_block = c->b;
    h->fl_op = c->op_index;
    h->fl_a = k->a;
    h->fl_b = k->b;
    h->fl_w = k->w;
    h->fl_tst = is_tst(k->cond);
}

/* Emits the compare of a (in register ra) with b (in rb, or a constant
 * when rb < 0), using x16 for a constant no instruction holds, unless the
 * flags already hold it; returns the condition to test. */
static A64Cond cmp_emit(BackendCtx *c, const A64Cmp *k, int ra, int rb)
{
    bool w = k->w;
    uint64_t m = wmask(w);
    bool tst = is_tst(k->cond);
    bool held = flags_hold(c, k);
    flags_note(c, k);                  /* they hold at this op either way */
    if (held)
        return cond_map[k->cond];
    if (rb < 0) {
        uint64_t v = a64_const_val(c, k->b) & m;
        uint32_t enc;
        if (tst && a64_logic_imm_encode(w, v, &enc)) {
            a64_tst_imm(&c->a, w, ra, v);
        } else if (tst && v == m) {
            a64_tst_reg(&c->a, w, ra, ra);
        } else if (!tst && a64_addsub_imm_ok(v)) {
            a64_cmp_imm(&c->a, w, ra, v);
        } else if (!tst && a64_addsub_imm_ok(-v & m)) {
            /* CMN #-v sets the same flags as CMP #v for v != 0 and v not
             * the most negative value, which no 12-bit immediate is */
            a64_cmn_imm(&c->a, w, ra, -v & m);
        } else {
            a64_mov_imm(&c->a, w, A64_REG_TMP, v);
            if (tst)
                a64_tst_reg(&c->a, w, ra, A64_REG_TMP);
            else
                a64_cmp_reg(&c->a, w, ra, A64_REG_TMP);
        }
    } else if (tst) {
        a64_tst_reg(&c->a, w, ra, rb);
    } else {
        a64_cmp_reg(&c->a, w, ra, rb);
    }
    return cond_map[k->cond];
}

static void emit_setcond(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    A64Cmp k;
    bool known;
    if (!cmp_prep(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &k, &known)) {
        flags_clear(c);
        set_const(c, out, known);
        return;
    }
    int ra = a64_in(c, k.a);
    int rb = in_reg(c, k.b);
    int rd = dst_any(c, op, 2);
    if (rb < 0 && k.cond == IR_COND_LT && (a64_const_val(c, k.b) & wmask(k.w)) == 0) {
        /* x < 0: the sign bit */
        flags_clear(c);
        a64_shift_imm(&c->a, A64_LSR, k.w, rd, ra, k.w ? 63 : 31);
    } else {
        A64Cond cc = cmp_emit(c, &k, ra, rb);
        a64_cset(&c->a, false, rd, cc);     /* a W form: 0 or 1 for either width */
    }
    ra_bind(c, out, rd);
}

static void emit_movcond(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp vt = ir_op_in(op, 2), vf = ir_op_in(op, 3);
    bool w = a64_is_w64(c, out);
    A64Cmp k;
    bool known;
    if (!cmp_prep(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &k, &known)) {
        flags_clear(c);
        IRTemp src = known ? vt : vf;
        if (a64_is_const(c, src)) {
            set_const(c, out, a64_const_val(c, src));
        } else {
            int rs = a64_in(c, src);
            if (src == out)
                return;
            copy_to(c, out, rs);
        }
        return;
    }
    int ra = a64_in(c, k.a);
    int rb = in_reg(c, k.b);
    int rt = in_reg(c, vt);
    int rf = in_reg(c, vf);
    int rd = dst_any(c, op, 4);             /* written by the CSEL alone */
    A64Cond cc = cmp_emit(c, &k, ra, rb);
    /* constants after the compare (which may use x16); MOVZ/MOVN/ORR keep the flags */
    uint64_t m = wmask(w);
    if (rt < 0 && rf < 0 && (a64_const_val(c, vf) & m) == 0 &&
        ((a64_const_val(c, vt) & m) == 1 || (a64_const_val(c, vt) & m) == m)) {
        if ((a64_const_val(c, vt) & m) == 1)
            a64_cset(&c->a, w, rd, cc);
        else
            a64_csetm(&c->a, w, rd, cc);
    } else {
        rt = konst(c, w, vt, rt, A64_REG_TMP);
        rf = konst(c, w, vf, rf, A64_REG_TMP2);
        a64_csel(&c->a, A64_CSEL, w, rd, rt, rf, cc);
    }
    ra_bind(c, out, rd);
}

/* brcond's compare.  Fused forms the jump itself tests (the register
 * stays locked until the core emits that jump right after):
 *   x == 0, x <=u 0 / x != 0, x >u 0       CBZ / CBNZ
 *   x & (1 << n) == 0 / != 0                TBZ / TBNZ bit n
 *   x < 0 / x >= 0                          TBNZ / TBZ of the sign bit
 *   x & x == 0 / != 0, x & all-ones        CBZ / CBNZ */
static int fused_branch(BackendCtx *c, const A64Cmp *k);

int a64_compare(BackendCtx *c, IRCond cond, IRTemp a, IRTemp b)
{
    A64Cmp k;
    bool known;
    if (!cmp_prep(c, cond, a, b, &k, &known)) {
        flags_clear(c);
        return known ? BACKEND_CC_ALWAYS : BACKEND_CC_NEVER;
    }
    int cc = fused_branch(c, &k);
    if (cc >= 0) {
        flags_clear(c);
        return cc;
    }
    int ra = a64_in(c, k.a);
    int rb = in_reg(c, k.b);
    return (int)cmp_emit(c, &k, ra, rb);
}

/* The forms of a64_compare that the jump tests itself, or -1. */
static int fused_branch(BackendCtx *c, const A64Cmp *kp)
{
    A64Cmp k = *kp;
    bool w = k.w;
    unsigned sign_bit = w ? 63 : 31;
    int ra = a64_in(c, k.a);
    bool tst = k.cond == IR_COND_TSTEQ || k.cond == IR_COND_TSTNE;
    if (a64_is_const(c, k.b)) {
        uint64_t v = a64_const_val(c, k.b) & wmask(w);
        if (v == 0) {
            switch (k.cond) {
            case IR_COND_EQ: case IR_COND_LEU: return A64_CC_CBZ(ra, w);
            case IR_COND_NE: case IR_COND_GTU: return A64_CC_CBNZ(ra, w);
            case IR_COND_LT: return A64_CC_TBNZ(ra, sign_bit);
            case IR_COND_GE: return A64_CC_TBZ(ra, sign_bit);
            default: break;
            }
        }
        if (tst && !(v & (v - 1))) {
            unsigned bit = (unsigned)__builtin_ctzll(v);
            return k.cond == IR_COND_TSTEQ ? A64_CC_TBZ(ra, bit) : A64_CC_TBNZ(ra, bit);
        }
        if (tst && v == wmask(w))
            return k.cond == IR_COND_TSTEQ ? A64_CC_CBZ(ra, w) : A64_CC_CBNZ(ra, w);
    } else if (tst && k.a == k.b) {
        return k.cond == IR_COND_TSTEQ ? A64_CC_CBZ(ra, w) : A64_CC_CBNZ(ra, w);
    }
    return -1;
}

bool a64_emit_alu(BackendCtx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_mov: emit_mov(c, op); break;
    case IR_OP_add: emit_addsub(c, op, false); break;
    case IR_OP_sub: emit_addsub(c, op, true); break;
    case IR_OP_and: emit_logic(c, op, A64_AND, false); break;
    case IR_OP_or: emit_logic(c, op, A64_ORR, false); break;
    case IR_OP_xor: emit_logic(c, op, A64_EOR, false); break;
    case IR_OP_andc: emit_logic(c, op, A64_AND, true); break;
    case IR_OP_mul: emit_mul(c, op); break;
    case IR_OP_shl: emit_shift(c, op, A64_LSL, false); break;
    case IR_OP_shr: emit_shift(c, op, A64_LSR, false); break;
    case IR_OP_sar: emit_shift(c, op, A64_ASR, false); break;
    case IR_OP_rotl: emit_shift(c, op, A64_ROR, true); break;
    case IR_OP_rotr: emit_shift(c, op, A64_ROR, false); break;
    case IR_OP_neg: case IR_OP_not: case IR_OP_clz: case IR_OP_ctz: case IR_OP_bswap:
        emit_unary(c, op);
        break;
    case IR_OP_divs: case IR_OP_divu: case IR_OP_rems: case IR_OP_remu: emit_div(c, op); break;
    case IR_OP_mulu2: case IR_OP_muls2: emit_mul2(c, op); break;
    case IR_OP_ext8s: case IR_OP_ext8u: case IR_OP_ext16s: case IR_OP_ext16u:
    case IR_OP_exts_i32_i64: case IR_OP_extu_i32_i64: case IR_OP_extrl_i64_i32: case IR_OP_extrh_i64_i32:
        emit_ext(c, op);
        break;
    case IR_OP_extract: emit_extract(c, op, false); break;
    case IR_OP_sextract: emit_extract(c, op, true); break;
    case IR_OP_deposit: emit_deposit(c, op); break;
    case IR_OP_setcond: emit_setcond(c, op); break;
    case IR_OP_movcond: emit_movcond(c, op); break;
    default: return false;
    }
    return true;
}
