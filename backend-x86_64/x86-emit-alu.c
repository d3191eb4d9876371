/*
 * x86-emit-alu.c — code for the IR's value ops: arithmetic, logic, shifts,
 * division, multiplies, bit counting, extensions, bitfields, comparisons.
 *
 * Invariant: a register holding an i32 value has its upper 32 bits clear.
 * 32-bit x86 operations establish it for free, so i32 results use 32-bit
 * forms, and extu_i32_i64 and guest addresses need no extra instruction.
 */
#include "x86-internal.h"

#define ALL X86_ALLOC_REGS

static bool w64_of(const X86Ctx *c, IRTemp t) { return ra_is_w64(c, t); }

/* May the op overwrite input i's register with its result? */
static bool reusable(const X86Ctx *c, const IROp *op, unsigned i)
{
    IRTemp t = ir_op_in(op, i);
    if (x86_is_const(c, t))
        return false;
    return t == ir_op_out(op, 0) || ra_in_dies(c, op, i);
}

/* Destination for an op computing in place over input i (already loaded
 * in register ri): ri itself when the input may be overwritten (or is a
 * materialised constant), else a fresh register. */
static int dst_over(X86Ctx *c, const IROp *op, unsigned i, int ri, uint16_t allowed)
{
    IRTemp t = ir_op_in(op, i);
    if (allowed & RBIT(ri)) {
        if (x86_is_const(c, t) && c->owner[ri] < 0)
            return ri;
        if (c->owner[ri] == (int)t && reusable(c, op, i))
            return ri;
    }
    return ra_out(c, ir_op_out(op, 0), allowed);
}

static void set_const(X86Ctx *c, IRTemp out, uint64_t v)
{
    int rd = ra_out(c, out, ALL);
    x86_mov_ri(&c->a, w64_of(c, out), rd, v);
    ra_bind(c, out, rd);
}

static void emit_mov(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = w64_of(c, out);
    int32_t imm;
    if (out == a)
        return;
    if (x86_is_const(c, a)) {
        /* A constant into a global: store it straight to the cpu state. */
        if (c->b->temps[out].kind == IR_TEMP_GLOBAL && x86_imm_of(c, a, &imm)) {
            if (c->t[out].reg >= 0)
                ra_unbind(c, c->t[out].reg);
            if ((imm == 0 || imm == -1) && c->b->quick && !c->h->flags_valid) {
                /* tier 0: and [m], 0 / or [m], -1, an imm8 instead of an
                 * imm32 (3 bytes shorter; a read-modify-write, so not in
                 * hot blocks); they change the host flags, which no later
                 * op relies on (flags_valid is false) */
                x86_alu_mi(&c->a, imm ? X86_OR : X86_AND, w, ra_home(c, out), imm);
            } else {
                x86_store_imm(&c->a, w ? 8 : 4, imm, ra_home(c, out));
            }
            c->t[out].mem_ok = true;
            return;
        }
        set_const(c, out, x86_const_val(c, a));
        return;
    }
    int ra = ra_load(c, a, ALL);
    if (ra_in_dies(c, op, 0)) {        /* hand the register over */
        ra_bind(c, out, ra);
        return;
    }
    if (c->b->temps[out].kind == IR_TEMP_GLOBAL && !(c->dead[c->op_index] & BACKEND_DEAD_OUT_REREAD)) {
        /* The source stays live and the block does not read the global
         * again: rather than copying it into a second register that would
         * be written back later anyway, store the global now. */
        if (c->t[out].reg >= 0)
            ra_unbind(c, c->t[out].reg);
        x86_store(&c->a, w ? 8 : 4, ra, ra_home(c, out));
        c->t[out].mem_ok = true;
        return;
    }
    int rd = ra_out(c, out, ALL);
    x86_mov_rr(&c->a, w, rd, ra);
    ra_bind(c, out, rd);
}

static void note_result_flags(X86Ctx *c, IRTemp out, int rd, bool w);

/* "t = shl x, $1..3" directly followed by "u = add y, t" (either order)
 * where t dies at the add and x is still available there: emit nothing
 * now and let the add be one lea [y + x*scale] (ARM's shifted-register
 * operands, array indexing).  A 32-bit lea wraps like the IR's add. */
bool x86_defer_scaled_shift(X86Ctx *c, const IROp *op, const IROp *next)
{
    if (op->opc != IR_OP_shl || !next || next->opc != IR_OP_add)
        return false;
    IRTemp t = ir_op_out(op, 0), x = ir_op_in(op, 0), k = ir_op_in(op, 1);
    const IRBlock *b = c->b;
    if (b->temps[t].kind != IR_TEMP_LOCAL || c->t[t].cross || x86_is_const(c, x) || x == t ||
        !x86_is_const(c, k) || x86_const_val(c, k) < 1 || x86_const_val(c, k) > 3)
        return false;
    IRTemp a0 = ir_op_in(next, 0), a1 = ir_op_in(next, 1);
    unsigned ti = a0 == t ? 0 : 1;
    IRTemp y = ti ? a0 : a1;
    if ((a0 == t) == (a1 == t) || x86_is_const(c, y))
        return false;                                /* t on both sides or neither; no base */
    if (!((c->dead[c->op_index + 1] >> (next->n_out + ti)) & 1))
        return false;                                /* t is read again later */
    c->h->idx_t = t;
    c->h->idx_src = x;
    /* x dying at the shl stays bound (the skipped op releases nothing)
     * until the add has read it */
    c->h->idx_src_dies = b->temps[x].kind == IR_TEMP_LOCAL && (c->dead[c->op_index] & (1u << op->n_out));
    c->h->idx_shift = (unsigned)x86_const_val(c, k);
    return true;
}

static void emit_add_scaled(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp y = ir_op_in(op, 0) == c->h->idx_t ? ir_op_in(op, 1) : ir_op_in(op, 0);
    IRTemp x = c->h->idx_src;
    c->h->idx_t = IR_TEMP_NONE;
    bool w = w64_of(c, out);
    int ry = ra_load(c, y, ALL);
    int rx = ra_load(c, x, ALL);
    int rd;
    if (c->h->idx_src_dies && x != y) {
        ra_release_local(c, x);
        rd = rx;                                     /* x's register is free now */
    } else {
        rd = ra_out(c, out, ALL);
    }
    x86_lea(&c->a, w, rd, x86_mem_idx(ry, rx, c->h->idx_shift, 0));
    ra_bind(c, out, rd);
}

static void emit_alu(X86Ctx *c, const IROp *op, X86Alu aop, bool comm)
{
    if (aop == X86_ADD && c->h->idx_t != IR_TEMP_NONE &&
        (ir_op_in(op, 0) == c->h->idx_t || ir_op_in(op, 1) == c->h->idx_t)) {
        emit_add_scaled(c, op);
        return;
    }
    IRTemp out = ir_op_out(op, 0);
    unsigned ai = 0, bi = 1;
    int32_t imm;
    if (comm) {
        IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
        if ((x86_is_const(c, a) && !x86_is_const(c, b)) ||
            (!reusable(c, op, 0) && reusable(c, op, 1))) {
            ai = 1;
            bi = 0;
        }
    }
    IRTemp a = ir_op_in(op, ai), b = ir_op_in(op, bi);
    bool w = w64_of(c, a);
    int ra = ra_load(c, a, ALL);
    bool bimm = x86_imm_of(c, b, &imm);
    int rb = bimm ? -1 : ra_load(c, b, ALL);
    int rd = dst_over(c, op, ai, ra, ALL);
    if (rd != ra) {
        /* lea computes into a third register without a mov */
        if (aop == X86_ADD) {
            x86_lea(&c->a, w, rd, bimm ? x86_mem(ra, imm) : x86_mem_idx(ra, rb, 0, 0));
            ra_bind(c, out, rd);
            return;
        }
        if (aop == X86_SUB && bimm && imm != INT32_MIN) {
            x86_lea(&c->a, w, rd, x86_mem(ra, -imm));
            ra_bind(c, out, rd);
            return;
        }
        x86_mov_rr(&c->a, w, rd, ra);
    }
    if (bimm)
        x86_alu_ri(&c->a, aop, w, rd, imm);
    else
        x86_alu_rr(&c->a, aop, w, rd, rb);
    ra_bind(c, out, rd);
    if (aop == X86_AND || aop == X86_OR || aop == X86_XOR)
        note_result_flags(c, out, rd, w);
}

static void emit_andc(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = w64_of(c, a);
    int32_t imm;
    if (x86_is_const(c, b)) {
        uint64_t nb = ~x86_const_val(c, b);
        int ra = ra_load(c, a, ALL);
        int rd = dst_over(c, op, 0, ra, ALL);
        if (rd != ra)
            x86_mov_rr(&c->a, w, rd, ra);
        if (!w || (int64_t)nb == (int32_t)nb) {
            x86_alu_ri(&c->a, X86_AND, w, rd, (int32_t)nb);
        } else {
            x86_mov_ri(&c->a, true, X86_REG_SCRATCH, nb);
            x86_alu_rr(&c->a, X86_AND, w, rd, X86_REG_SCRATCH);
        }
        ra_bind(c, out, rd);
        return;
    }
    (void)imm;
    int ra = ra_load(c, a, ALL);
    int rb = ra_load(c, b, ALL);
    if (x86_state.feat.bmi1) {
        int rd = ra_out(c, out, ALL);
        x86_andn(&c->a, w, rd, rb, ra);
        ra_bind(c, out, rd);
        return;
    }
    int rd = dst_over(c, op, 0, ra, ALL);
    x86_mov_rr(&c->a, w, X86_REG_SCRATCH, rb);
    x86_unary(&c->a, X86_NOT, w, X86_REG_SCRATCH);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    x86_alu_rr(&c->a, X86_AND, w, rd, X86_REG_SCRATCH);
    ra_bind(c, out, rd);
}

static void emit_shift(X86Ctx *c, const IROp *op, X86Shift sop)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = w64_of(c, a);
    if (x86_is_const(c, b)) {
        unsigned n = (unsigned)x86_const_val(c, b) & (w ? 63 : 31);
        int ra = ra_load(c, a, ALL);
        int rd = dst_over(c, op, 0, ra, ALL);
        if (rd != ra)
            x86_mov_rr(&c->a, w, rd, ra);
        if (n)
            x86_shift_ri(&c->a, sop, w, rd, n);
        ra_bind(c, out, rd);
        return;
    }
    /* x86 masks cl to the operand width: exactly the IR's "modulo width". */
    ra_load_fixed(c, b, X86_RCX);
    uint16_t not_cx = ALL & ~RBIT(X86_RCX);
    int ra = ra_load(c, a, not_cx);
    int rd = dst_over(c, op, 0, ra, not_cx);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    x86_shift_rcl(&c->a, sop, w, rd);
    ra_bind(c, out, rd);
}

static void emit_unary(X86Ctx *c, const IROp *op, X86Unary u)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = w64_of(c, a);
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    x86_unary(&c->a, u, w, rd);
    ra_bind(c, out, rd);
}

static void emit_mul(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    unsigned ai = 0, bi = 1;
    int32_t imm;
    IRTemp a0 = ir_op_in(op, 0), b0 = ir_op_in(op, 1);
    if ((x86_is_const(c, a0) && !x86_is_const(c, b0)) || (!reusable(c, op, 0) && reusable(c, op, 1))) {
        ai = 1;
        bi = 0;
    }
    IRTemp a = ir_op_in(op, ai), b = ir_op_in(op, bi);
    bool w = w64_of(c, a);
    int ra = ra_load(c, a, ALL);
    if (x86_imm_of(c, b, &imm)) {
        int rd = dst_over(c, op, ai, ra, ALL);
        x86_imul_rri(&c->a, w, rd, ra, imm);
        ra_bind(c, out, rd);
        return;
    }
    int rb = ra_load(c, b, ALL);
    int rd = dst_over(c, op, ai, ra, ALL);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    x86_imul_rr(&c->a, w, rd, rb);
    ra_bind(c, out, rd);
}

/* Short forward branch inside one op's code: returns the rel8's offset. */
static size_t jcc8(X86Ctx *c, int cc)
{
    x86_byte(&c->a, (uint8_t)(cc < 0 ? 0xeb : 0x70 + cc));
    size_t off = x86_offset(&c->a);
    x86_byte(&c->a, 0);
    return off;
}

static void land8(X86Ctx *c, size_t off)
{
    if (!c->a.overflow)
        c->a.start[off] = (uint8_t)(x86_offset(&c->a) - (off + 1));
}

static void emit_div(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = w64_of(c, a);
    bool sign = op->opc == IR_OP_divs || op->opc == IR_OP_rems;
    bool rem = op->opc == IR_OP_rems || op->opc == IR_OP_remu;
    uint64_t mask = w ? ~0ull : 0xffffffffull;

    if (x86_is_const(c, b)) {
        uint64_t v = x86_const_val(c, b) & mask;
        if (v == 0) {                       /* x / 0 == 0, x % 0 == x */
            if (rem) {
                int ra = ra_load(c, a, ALL);
                int rd = dst_over(c, op, 0, ra, ALL);
                if (rd != ra)
                    x86_mov_rr(&c->a, w, rd, ra);
                ra_bind(c, out, rd);
            } else {
                set_const(c, out, 0);
            }
            return;
        }
        if (sign && v == mask) {            /* x / -1 == -x (wrapping), x % -1 == 0 */
            if (rem) {
                set_const(c, out, 0);
            } else {
                int ra = ra_load(c, a, ALL);
                int rd = dst_over(c, op, 0, ra, ALL);
                if (rd != ra)
                    x86_mov_rr(&c->a, w, rd, ra);
                x86_unary(&c->a, X86_NEG, w, rd);
                ra_bind(c, out, rd);
            }
            return;
        }
        if (!sign && (v & (v - 1)) == 0) {  /* unsigned by a power of two */
            unsigned n = (unsigned)__builtin_ctzll(v);
            int ra = ra_load(c, a, ALL);
            int rd = dst_over(c, op, 0, ra, ALL);
            if (rd != ra)
                x86_mov_rr(&c->a, w, rd, ra);
            if (!rem) {
                if (n)
                    x86_shift_ri(&c->a, X86_SHR, w, rd, n);
            } else if (v - 1 <= 0x7fffffffu) {
                x86_alu_ri(&c->a, X86_AND, false, rd, (int32_t)(v - 1));   /* clears bits 63..32 too */
            } else {
                x86_mov_ri(&c->a, true, X86_REG_SCRATCH, v - 1);
                x86_alu_rr(&c->a, X86_AND, w, rd, X86_REG_SCRATCH);
            }
            ra_bind(c, out, rd);
            return;
        }
    }

    uint16_t not_ad = ALL & ~(RBIT(X86_RAX) | RBIT(X86_RDX));
    int rb = ra_load(c, b, not_ad);
    ra_copy_fixed(c, a, X86_RAX, ra_in_dies(c, op, 0) && a != b);
    ra_reserve(c, X86_RDX);
    size_t to_zero = 0, to_div = 0, to_done1 = 0, to_done2 = 0;
    bool guard = !x86_is_const(c, b);
    if (guard) {
        x86_test_rr(&c->a, w, rb, rb);
        to_zero = jcc8(c, X86_CC_E);
    }
    if (sign && guard) {
        x86_alu_ri(&c->a, X86_CMP, w, rb, -1);
        to_div = jcc8(c, X86_CC_NE);
        if (rem)
            x86_alu_rr(&c->a, X86_XOR, false, X86_RDX, X86_RDX);
        else
            x86_unary(&c->a, X86_NEG, w, X86_RAX);
        to_done1 = jcc8(c, -1);
        land8(c, to_div);
    }
    if (sign) {
        x86_cdq(&c->a, w);
        x86_unary(&c->a, X86_IDIV, w, rb);
    } else {
        x86_alu_rr(&c->a, X86_XOR, false, X86_RDX, X86_RDX);
        x86_unary(&c->a, X86_DIV, w, rb);
    }
    if (guard) {
        to_done2 = jcc8(c, -1);
        land8(c, to_zero);
        if (rem)
            x86_mov_rr(&c->a, w, X86_RDX, X86_RAX);
        else
            x86_alu_rr(&c->a, X86_XOR, false, X86_RAX, X86_RAX);
        land8(c, to_done2);
        if (sign)
            land8(c, to_done1);
    }
    ra_bind(c, out, rem ? X86_RDX : X86_RAX);
}

static void emit_mul2(X86Ctx *c, const IROp *op)
{
    IRTemp lo = ir_op_out(op, 0), hi = ir_op_out(op, 1);
    IRTemp a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    bool w = w64_of(c, a);
    uint16_t not_ad = ALL & ~(RBIT(X86_RAX) | RBIT(X86_RDX));
    int rb = ra_load(c, b, not_ad);
    ra_copy_fixed(c, a, X86_RAX, ra_in_dies(c, op, 0) && a != b);
    ra_reserve(c, X86_RDX);
    x86_unary(&c->a, op->opc == IR_OP_muls2 ? X86_IMUL1 : X86_MUL, w, rb);
    ra_bind(c, lo, X86_RAX);
    ra_bind(c, hi, X86_RDX);
}

static void emit_bitcount(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = w64_of(c, a);
    unsigned width = w ? 64 : 32;
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (op->opc == IR_OP_clz) {
        if (x86_state.feat.lzcnt) {
            x86_lzcnt(&c->a, w, rd, ra);
        } else {
            /* bsr gives the top bit's index; clz = index ^ (width-1), and a
             * zero input (ZF) takes index 2*width-1 so the xor yields width */
            x86_bsr(&c->a, w, rd, ra);
            x86_mov_ri(&c->a, false, X86_REG_SCRATCH, 2 * width - 1);
            x86_cmov(&c->a, X86_CC_E, w, rd, X86_REG_SCRATCH);
            x86_alu_ri(&c->a, X86_XOR, w, rd, (int32_t)(width - 1));
        }
    } else {
        if (x86_state.feat.bmi1) {
            x86_tzcnt(&c->a, w, rd, ra);
        } else {
            x86_bsf(&c->a, w, rd, ra);
            x86_mov_ri(&c->a, false, X86_REG_SCRATCH, width);
            x86_cmov(&c->a, X86_CC_E, w, rd, X86_REG_SCRATCH);
        }
    }
    ra_bind(c, out, rd);
}

static void emit_bswap(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = w64_of(c, a);
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    x86_bswap(&c->a, w, rd);
    ra_bind(c, out, rd);
}

/* ext8s/ext8u/ext16s/ext16u/exts_i32_i64: one movzx/movsx into any register. */
static void emit_ext(X86Ctx *c, const IROp *op, unsigned size, bool sign)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    bool w = w64_of(c, out);
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (sign)
        x86_movsx_rr(&c->a, size, w, rd, ra);
    else
        x86_movzx_rr(&c->a, size, rd, ra);
    ra_bind(c, out, rd);
}

static void emit_extu_i32(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    /* i32 values are kept zero-extended: only a copy may be needed */
    if (rd != ra)
        x86_mov_rr(&c->a, false, rd, ra);
    ra_bind(c, out, rd);
}

static void emit_extr(X86Ctx *c, const IROp *op, bool high)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (high) {
        if (rd != ra)
            x86_mov_rr(&c->a, true, rd, ra);
        x86_shift_ri(&c->a, X86_SHR, true, rd, 32);
    } else {
        x86_mov_rr(&c->a, false, rd, ra);   /* clears bits 63..32 */
    }
    ra_bind(c, out, rd);
}

static void emit_extract(X86Ctx *c, const IROp *op, bool sign)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0);
    unsigned pos = (unsigned)ir_op_const(op, 0), len = (unsigned)ir_op_const(op, 1);
    bool w = w64_of(c, a);
    unsigned width = w ? 64 : 32;
    int ra = ra_load(c, a, ALL);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (pos == 0 && (len == 8 || len == 16)) {
        if (sign)
            x86_movsx_rr(&c->a, len / 8, w, rd, ra);
        else
            x86_movzx_rr(&c->a, len / 8, rd, ra);
    } else if (pos == 0 && len == 32 && w) {
        if (sign)
            x86_movsx_rr(&c->a, 4, true, rd, ra);
        else
            x86_mov_rr(&c->a, false, rd, ra);
    } else {
        if (rd != ra)
            x86_mov_rr(&c->a, w, rd, ra);
        if (len >= width) {
            /* the whole value */
        } else if (pos + len == width) {
            x86_shift_ri(&c->a, sign ? X86_SAR : X86_SHR, w, rd, pos);
        } else if (!sign && len <= 31) {
            if (pos)
                x86_shift_ri(&c->a, X86_SHR, w, rd, pos);
            x86_alu_ri(&c->a, X86_AND, false, rd, (int32_t)((1u << len) - 1));
        } else {
            x86_shift_ri(&c->a, X86_SHL, w, rd, width - pos - len);
            x86_shift_ri(&c->a, sign ? X86_SAR : X86_SHR, w, rd, width - len);
        }
    }
    ra_bind(c, out, rd);
}

static void alu_imm64(X86Ctx *c, X86Alu aop, bool w, int rd, uint64_t v)
{
    if (!w || (int64_t)v == (int32_t)v) {
        x86_alu_ri(&c->a, aop, w, rd, (int32_t)v);
    } else {
        x86_mov_ri(&c->a, true, X86_REG_SCRATCH, v);
        x86_alu_rr(&c->a, aop, w, rd, X86_REG_SCRATCH);
    }
}

static void emit_deposit(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), a = ir_op_in(op, 0), b = ir_op_in(op, 1);
    unsigned pos = (unsigned)ir_op_const(op, 0), len = (unsigned)ir_op_const(op, 1);
    bool w = w64_of(c, a);
    unsigned width = w ? 64 : 32;
    uint64_t wmask = w ? ~0ull : 0xffffffffull;
    if (len >= width) {                      /* replaces everything: out = b */
        int rb = ra_load(c, b, ALL);
        int rd = ra_out(c, out, ALL);
        x86_mov_rr(&c->a, w, rd, rb);
        ra_bind(c, out, rd);
        return;
    }
    uint64_t lmask = (1ull << len) - 1;
    uint64_t field = (lmask << pos) & wmask;
    if (x86_is_const(c, b)) {
        uint64_t bv = ((x86_const_val(c, b) & lmask) << pos) & wmask;
        int ra = ra_load(c, a, ALL);
        int rd = dst_over(c, op, 0, ra, ALL);
        if (rd != ra)
            x86_mov_rr(&c->a, w, rd, ra);
        alu_imm64(c, X86_AND, w, rd, ~field & wmask);
        if (bv)
            alu_imm64(c, X86_OR, w, rd, bv);
        ra_bind(c, out, rd);
        return;
    }
    int rb = ra_load(c, b, ALL);
    int ra = ra_load(c, a, ALL);
    int tmp = ra_alloc(c, ALL);
    x86_mov_rr(&c->a, w, tmp, rb);
    x86_shift_ri(&c->a, X86_SHL, w, tmp, width - len);
    if (width - len - pos)
        x86_shift_ri(&c->a, X86_SHR, w, tmp, width - len - pos);
    int rd = dst_over(c, op, 0, ra, ALL);
    if (rd != ra)
        x86_mov_rr(&c->a, w, rd, ra);
    alu_imm64(c, X86_AND, w, rd, ~field & wmask);
    x86_alu_rr(&c->a, X86_OR, w, rd, tmp);
    ra_bind(c, out, rd);
}

/* ---- comparisons ------------------------------------------------------------ */

static const X86Cond cond_map[IR_COND_COUNT] = {
    [IR_COND_EQ] = X86_CC_E, [IR_COND_NE] = X86_CC_NE,
    [IR_COND_LT] = X86_CC_L, [IR_COND_GE] = X86_CC_GE, [IR_COND_LE] = X86_CC_LE, [IR_COND_GT] = X86_CC_G,
    [IR_COND_LTU] = X86_CC_B, [IR_COND_GEU] = X86_CC_AE, [IR_COND_LEU] = X86_CC_BE, [IR_COND_GTU] = X86_CC_A,
    [IR_COND_TSTEQ] = X86_CC_E, [IR_COND_TSTNE] = X86_CC_NE,
};

bool x86_cmp_prep(X86Ctx *c, IRCond cond, IRTemp a, IRTemp b, X86Cmp *k, bool *known)
{
    if (cond == IR_COND_NEVER || cond == IR_COND_ALWAYS) {
        *known = cond == IR_COND_ALWAYS;
        return false;
    }
    IRType ty = c->b->temps[a].type;
    if (x86_is_const(c, a) && x86_is_const(c, b)) {
        *known = ir_cond_eval(cond, x86_const_val(c, a), x86_const_val(c, b), ty);
        return false;
    }
    if (x86_is_const(c, a)) {
        IRTemp t = a;
        a = b;
        b = t;
        cond = ir_cond_swap(cond);
    }
    k->cond = cond;
    k->ta = a;
    k->tb = b;
    k->w64 = ty == IR_I64;
    k->ra = ra_load(c, a, ALL);
    k->bimm = x86_imm_of(c, b, &k->imm);
    k->rb = k->bimm ? -1 : ra_load(c, b, ALL);
    return true;
}

/* Which instruction a compare needs; every condition of one kind can be
 * read from the flags of the same instruction. */
enum { CMP_TEST_IMM, CMP_TEST_RR, CMP_TEST_SELF, CMP_CMP_IMM, CMP_CMP_RR };

static unsigned cmp_kind(const X86Cmp *k)
{
    if (k->cond == IR_COND_TSTEQ || k->cond == IR_COND_TSTNE)
        return k->bimm ? CMP_TEST_IMM : CMP_TEST_RR;
    if (k->bimm)
        return k->imm == 0 ? CMP_TEST_SELF : CMP_CMP_IMM;
    return CMP_CMP_RR;
}

/* and/or/xor leave the flags exactly as "test rd, rd" would (ZF, SF of
 * the result, CF = OF = 0): a following compare of the result with 0
 * (ARM's "eors/ands/teq ...; beq") needs no instruction. */
static void note_result_flags(X86Ctx *c, IRTemp out, int rd, bool w)
{
    c->h->flags_valid = true;
    c->h->flags_kind = CMP_TEST_SELF;
    c->h->flags_w64 = w;
    c->h->flags_ra = (int8_t)rd;
    c->h->flags_rb = -1;
    c->h->flags_imm = 0;
    c->h->flags_ta = out;
    c->h->flags_tb = IR_TEMP_NONE;
    c->h->flags_op = c->op_index;
    c->h->flags_from_result = true;
}

bool x86_cmp_flags_live(const X86Ctx *c, const X86Cmp *k)
{
    if (!c->h->flags_valid || c->h->flags_kind != cmp_kind(k) || c->h->flags_w64 != k->w64 ||
        c->h->flags_ra != k->ra || c->h->flags_ta != k->ta)
        return false;
    if (c->h->flags_kind == CMP_TEST_SELF)
        return true;                 /* "cmp t, 0": whichever constant temp holds the 0 */
    return c->h->flags_rb == k->rb && c->h->flags_imm == (k->bimm ? k->imm : 0) && c->h->flags_tb == k->tb;
}

/* Emits the compare unless the same compare of the same, unchanged temps
 * in the same registers already set the flags (a setcond and a brcond on
 * one ARM comparison, separated only by moves and stores). */
X86Cond x86_cmp_emit(X86Ctx *c, const X86Cmp *k)
{
    if (x86_cmp_flags_live(c, k))
        return cond_map[k->cond];
    unsigned kind = cmp_kind(k);
    switch (kind) {
    case CMP_TEST_IMM: x86_test_ri(&c->a, k->w64, k->ra, k->imm); break;
    case CMP_TEST_RR: x86_test_rr(&c->a, k->w64, k->ra, k->rb); break;
    /* test r,r gives the same answer as cmp r,0 for every condition */
    case CMP_TEST_SELF: x86_test_rr(&c->a, k->w64, k->ra, k->ra); break;
    case CMP_CMP_IMM: x86_alu_ri(&c->a, X86_CMP, k->w64, k->ra, k->imm); break;
    default: x86_alu_rr(&c->a, X86_CMP, k->w64, k->ra, k->rb); break;
    }
    c->h->flags_valid = true;
    c->h->flags_kind = (uint8_t)kind;
    c->h->flags_w64 = k->w64;
    c->h->flags_ra = (int8_t)k->ra;
    c->h->flags_rb = (int8_t)k->rb;
    c->h->flags_imm = k->bimm ? k->imm : 0;
    c->h->flags_ta = k->ta;
    c->h->flags_tb = k->tb;
    c->h->flags_op = c->op_index;
    c->h->flags_from_result = false;
    return cond_map[k->cond];
}

static void emit_setcond(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    X86Cmp k;
    bool known;
    if (!x86_cmp_prep(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &k, &known)) {
        set_const(c, out, known);
        return;
    }
    int rd = ra_out(c, out, ALL);            /* distinct from the operands */
    if (x86_cmp_flags_live(c, &k)) {
        /* the flags are set: zeroing rd with xor would destroy them */
        x86_setcc(&c->a, x86_cmp_emit(c, &k), rd);
        x86_movzx_rr(&c->a, 1, rd, rd);
    } else {
        x86_alu_rr(&c->a, X86_XOR, false, rd, rd);
        X86Cond cc = x86_cmp_emit(c, &k);
        x86_setcc(&c->a, cc, rd);
    }
    ra_bind(c, out, rd);
}

static void emit_movcond(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp vt = ir_op_in(op, 2), vf = ir_op_in(op, 3);
    bool w = w64_of(c, out);
    X86Cmp k;
    bool known;
    if (!x86_cmp_prep(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &k, &known)) {
        IRTemp src = known ? vt : vf;
        if (x86_is_const(c, src)) {
            set_const(c, out, x86_const_val(c, src));
        } else {
            int rs = ra_load(c, src, ALL);
            int rd = ra_out(c, out, ALL);
            if (rd != rs)
                x86_mov_rr(&c->a, w, rd, rs);
            ra_bind(c, out, rd);
        }
        return;
    }
    int rt = ra_load(c, vt, ALL);
    int rd;
    if (!x86_is_const(c, vf) && c->t[vf].reg >= 0 && (vf == out || ra_in_dies(c, op, 3))) {
        rd = c->t[vf].reg;                   /* overwrite vf in place */
        c->locked |= RBIT(rd);
    } else {
        rd = ra_out(c, out, ALL);
        if (x86_is_const(c, vf)) {
            x86_mov_ri(&c->a, w, rd, x86_const_val(c, vf));
        } else {
            int rf = ra_load(c, vf, ALL);
            if (rd != rf)
                x86_mov_rr(&c->a, w, rd, rf);
        }
    }
    X86Cond cc = x86_cmp_emit(c, &k);
    x86_cmov(&c->a, cc, w, rd, rt);
    ra_bind(c, out, rd);
}

bool x86_emit_alu(X86Ctx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_mov: emit_mov(c, op); break;
    case IR_OP_add: emit_alu(c, op, X86_ADD, true); break;
    case IR_OP_sub: emit_alu(c, op, X86_SUB, false); break;
    case IR_OP_and: emit_alu(c, op, X86_AND, true); break;
    case IR_OP_or: emit_alu(c, op, X86_OR, true); break;
    case IR_OP_xor: emit_alu(c, op, X86_XOR, true); break;
    case IR_OP_andc: emit_andc(c, op); break;
    case IR_OP_mul: emit_mul(c, op); break;
    case IR_OP_shl: emit_shift(c, op, X86_SHL); break;
    case IR_OP_shr: emit_shift(c, op, X86_SHR); break;
    case IR_OP_sar: emit_shift(c, op, X86_SAR); break;
    case IR_OP_rotl: emit_shift(c, op, X86_ROL); break;
    case IR_OP_rotr: emit_shift(c, op, X86_ROR); break;
    case IR_OP_neg: emit_unary(c, op, X86_NEG); break;
    case IR_OP_not: emit_unary(c, op, X86_NOT); break;
    case IR_OP_divs: case IR_OP_divu: case IR_OP_rems: case IR_OP_remu: emit_div(c, op); break;
    case IR_OP_mulu2: case IR_OP_muls2: emit_mul2(c, op); break;
    case IR_OP_clz: case IR_OP_ctz: emit_bitcount(c, op); break;
    case IR_OP_bswap: emit_bswap(c, op); break;
    case IR_OP_ext8s: emit_ext(c, op, 1, true); break;
    case IR_OP_ext8u: emit_ext(c, op, 1, false); break;
    case IR_OP_ext16s: emit_ext(c, op, 2, true); break;
    case IR_OP_ext16u: emit_ext(c, op, 2, false); break;
    case IR_OP_exts_i32_i64: emit_ext(c, op, 4, true); break;
    case IR_OP_extu_i32_i64: emit_extu_i32(c, op); break;
    case IR_OP_extrl_i64_i32: emit_extr(c, op, false); break;
    case IR_OP_extrh_i64_i32: emit_extr(c, op, true); break;
    case IR_OP_extract: emit_extract(c, op, false); break;
    case IR_OP_sextract: emit_extract(c, op, true); break;
    case IR_OP_deposit: emit_deposit(c, op); break;
    case IR_OP_setcond: emit_setcond(c, op); break;
    case IR_OP_movcond: emit_movcond(c, op); break;
    default: return false;
    }
    return true;
}
