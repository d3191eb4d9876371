/*
 * a64-emit-mem.c — guest memory (ld, st, cmpxchg, mb) and cpu-state fields
 * outside the globals (ld_env, st_env) on an aarch64 host.
 *
 * User mode maps guest address A at host address guest_base + A, with
 * guest_base in x20 for the whole run.  A guest access is one host access
 * with a register offset: [x20, w_addr, uxtw] for an i32 address (the
 * extension makes the access independent of the register's upper half),
 * [x20, x_addr] for an i64 one (64-bit guests: the guest address is the
 * whole register, as on x86_64, where the access is [r14 + addr]).
 *
 * An access may fault (SIGSEGV/SIGBUS caught by the owner): every modified
 * global is written back first, and the faulting instruction is the access
 * itself (insn_off, recorded by the core, finds the guest instruction).
 *
 * Address folding (a64_fold_op): "t = add base, $disp" right before the
 * access through t, t dying there, is left out; the access computes
 * x16 = base + disp in the address's own width (`add w16, w_base, #disp`
 * for an i32 address: the sum wraps in 32 bits exactly as the guest's add
 * does) and uses [x20, w16, uxtw].  That is as many instructions as
 * without folding, but t needs no register.  The x86_64 backend folds the
 * disp into the access's displacement instead ([r14 + base + disp]), which
 * does not wrap in 32 bits; there only 1..0x7fff is folded, so a sum past
 * 4 GiB lands in the guard after the guest space.  Here the add is exact,
 * so any disp an ADD/SUB immediate holds is folded, negative ones too.
 */
#include "a64-internal.h"

#define ALL A64_ALLOC_REGS

/* "t = add base, $k" directly followed by a guest ld/st through t, where
 * t dies there and base stays available (see the top). */
bool a64_fold_op(BackendCtx *c, const IROp *op, const IROp *next)
{
    /* a64-emit-alu.c's shifted operands, asked first and at every op */
    if (a64_defer_shift(c, op, next))
        return true;
    if (op->opc != IR_OP_add || !next || (next->opc != IR_OP_ld && next->opc != IR_OP_st) || a64_mem_softtlb())
        return false;
    IRTemp t = ir_op_out(op, 0), base = ir_op_in(op, 0), k = ir_op_in(op, 1);
    const IRBlock *b = c->b;
    if (a64_is_const(c, base)) {
        IRTemp s = base;
        base = k;
        k = s;
    }
    if (b->temps[t].kind != IR_TEMP_LOCAL || a64_is_const(c, base) || !a64_is_const(c, k) || base == t ||
        c->t[t].cross || b->temps[base].type != b->temps[t].type)
        return false;
    bool w = b->temps[t].type == IR_I64;
    int64_t disp = w ? (int64_t)a64_const_val(c, k) : (int64_t)(int32_t)a64_const_val(c, k);
    if (disp == 0 || disp < -4095 || disp > 4095)
        return false;
    unsigned base_idx = ir_op_in(op, 0) == base ? op->n_out : op->n_out + 1;
    unsigned ai = next->opc == IR_OP_ld ? 0 : 1;      /* the address operand */
    if (ir_op_in(next, ai) != t || !((c->dead[c->op_index + 1] >> (next->n_out + ai)) & 1))
        return false;
    if (next->opc == IR_OP_st && ir_op_in(next, 0) == t)
        return false;
    c->h->addr_t = t;
    c->h->addr_base = base;
    /* a base dying at the add stays bound (the skipped op releases
     * nothing) until the access has used it; addr_load frees it */
    c->h->addr_base_dies = b->temps[base].kind == IR_TEMP_LOCAL && ((c->dead[c->op_index] >> base_idx) & 1);
    c->h->addr_disp = (int32_t)disp;
    return true;
}

/* A guest address as the access uses it: register r, 64-bit (w) or an i32
 * to be zero-extended.  addr_load loads what it needs (locking the
 * registers: any spill code comes first); addr_form then puts a folded
 * sum or a constant in x16, after which the op allocates nothing (an
 * eviction's store could need the scratch registers). */
typedef struct A64Addr {
    int r;
    bool w;
    enum { ADDR_REG, ADDR_FOLD, ADDR_CONST } kind;
    int32_t disp;
    uint64_t value;
} A64Addr;

static A64Addr addr_load(BackendCtx *c, IRTemp addr)
{
    A64Addr ad = { .w = a64_is_w64(c, addr), .kind = ADDR_REG };
    if (addr == c->h->addr_t) {
        c->h->addr_t = IR_TEMP_NONE;
        ad.kind = ADDR_FOLD;
        ad.r = a64_in(c, c->h->addr_base);
        ad.disp = c->h->addr_disp;
        if (c->h->addr_base_dies) {
            /* free the dead base now: its register stays locked for this op */
            ra_release_local(c, c->h->addr_base);
            c->h->addr_base_dies = false;
        }
    } else if (a64_is_const(c, addr)) {
        ad.kind = ADDR_CONST;
        ad.value = ad.w ? a64_const_val(c, addr) : (uint32_t)a64_const_val(c, addr);
        ad.r = A64_REG_TMP;
    } else {
        ad.r = a64_in(c, addr);
    }
    return ad;
}

static void addr_form(BackendCtx *c, A64Addr *ad)
{
    if (ad->kind == ADDR_FOLD) {
        int32_t d = ad->disp;
        a64_addsub_imm(&c->a, d < 0 ? A64_SUB : A64_ADD, ad->w, A64_REG_TMP, ad->r,
                       (uint64_t)(d < 0 ? -(int64_t)d : d));
        ad->r = A64_REG_TMP;
    } else if (ad->kind == ADDR_CONST) {
        a64_mov_imm(&c->a, true, A64_REG_TMP, ad->value);
        ad->w = true;
    }
    ad->kind = ADDR_REG;
}

static inline A64Extend addr_ext(A64Addr ad) { return ad.w ? A64_UXTX : A64_UXTW; }

/* x16 = the host address (x20 + guest address), for the exclusive and LSE
 * forms, which have no register offset. */
static void host_addr_tmp(BackendCtx *c, A64Addr ad)
{
    a64_addsub_ext(&c->a, A64_ADD, true, A64_REG_TMP, A64_REG_GBASE, ad.r, addr_ext(ad), 0);
}

/* Test register r (the guest address; w: 64-bit) against mask and call
 * raise_unaligned(cpu, r) when any bit is set.  The call never returns
 * (the globals are already written back: the access is a fault point), so
 * no register needs saving, and its return address lies in this guest
 * instruction's code.  Fast path: TST and a taken B.EQ over the call. */
void a64_emit_align_test(BackendCtx *c, int r, bool w, unsigned mask)
{
    BackendAsm *a = &c->a;
    a64_tst_imm(a, false, r, mask);
    size_t beq = backend_asm_offset(a);
    a64_b_cond(a, A64_EQ, a64_here(a));
    a64_mov_rr(a, w, A64_X1, r);
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    a64_call(c, (uintptr_t)a64_state.env.raise_unaligned);
    a64_patch_branch(a, beq, a64_here(a));
}

/* IR_MO_ALIGN / IR_MO_ALIGN4 on a formed address (a constant one that
 * is aligned needs no test). */
static void align_check(BackendCtx *c, A64Addr ad, IRMemOp mo, bool aligned_const)
{
    unsigned mask = ir_memop_align_mask(mo);
    if (mask && !aligned_const)
        a64_emit_align_test(c, ad.r, ad.w, mask);
}

static bool const_aligned(const A64Addr *ad, IRMemOp mo)
{
    return ad->kind == ADDR_CONST && !(ad->value & ir_memop_align_mask(mo));
}

/* Reverse the low `size` bytes of rn into rd (upper bits of a 2-byte swap
 * stay zero when they were). */
void a64_swap_reg(BackendCtx *c, unsigned size, bool w, int rd, int rn)
{
    if (size == 2)
        a64_rev16(&c->a, false, rd, rn);
    else if (size == 4)
        a64_rev(&c->a, false, rd, rn);
    else if (size == 8)
        a64_rev(&c->a, true, rd, rn);
    else if (rd != rn)
        a64_mov_rr(&c->a, w, rd, rn);
}

static uint64_t swap_const(unsigned size, uint64_t v)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v & 0xff;
    }
}

unsigned a64_log2_size(unsigned size) { return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0; }

/* rd (w: the output is i64) = the raw `size` bytes in rs, byte-swapped when
 * swap, sign-extended when sign; rs == rd allowed.  Used after a swapped
 * load and after cmpxchg. */
void a64_finish_value(BackendCtx *c, unsigned size, bool w, bool sign, bool swap, int rd, int rs)
{
    if (swap && size > 1) {
        a64_swap_reg(c, size, w, rd, rs);
        rs = rd;
    }
    if (sign && size < 8 && (size < 4 || w))
        a64_sxt(&c->a, size, w, rd, rs);
    else if (rs != rd)
        a64_mov_rr(&c->a, w, rd, rs);
}

static void emit_ld(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), addr = ir_op_in(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = a64_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    bool sign = (mo & IR_MO_SIGN) != 0;
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    if (!w && size > 4)
        size = 4;
    ra_sync_globals(c);
    A64Addr ad = addr_load(c, addr);
    int rd = a64_out(c, out);
    bool ok = const_aligned(&ad, mo);
    addr_form(c, &ad);
    align_check(c, ad, mo, ok);
    unsigned l2 = a64_log2_size(size);
    A64LdSt ldop = A64_LDR;
    if (sign && !swap && size < 8 && (size < 4 || w))
        ldop = w ? A64_LDRS_X : A64_LDRS_W;
    a64_ldst_reg(&c->a, ldop, l2, rd, A64_REG_GBASE, ad.r, addr_ext(ad), false);
    if (swap)
        a64_finish_value(c, size, w, sign, true, rd, rd);
    ra_bind(c, out, rd);
}

static void emit_st(BackendCtx *c, const IROp *op)
{
    IRTemp val = ir_op_in(op, 0), addr = ir_op_in(op, 1);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    if (!a64_is_w64(c, val) && size > 4)
        size = 4;
    ra_sync_globals(c);
    int rv = a64_is_const(c, val) ? A64_ZR : a64_in(c, val);
    A64Addr ad = addr_load(c, addr);
    bool ok = const_aligned(&ad, mo);
    addr_form(c, &ad);
    if (a64_is_const(c, val)) {
        uint64_t v = a64_const_val(c, val);
        if (size < 8)
            v &= ((uint64_t)1 << (8 * size)) - 1;
        if (swap)
            v = swap_const(size, v);
        if (v == 0) {
            rv = A64_ZR;
        } else {
            a64_mov_imm(&c->a, size == 8, A64_REG_TMP2, v);
            rv = A64_REG_TMP2;
        }
    } else if (swap) {
        a64_swap_reg(c, size, true, A64_REG_TMP2, rv);
        rv = A64_REG_TMP2;
    }
    align_check(c, ad, mo, ok);
    a64_ldst_reg(&c->a, A64_STR, a64_log2_size(size), rv, A64_REG_GBASE, ad.r, addr_ext(ad), false);
}

/* x17 (zero-extended old value) compared with the low bytes of re. */
static void cmp_old(BackendAsm *a, unsigned l2, int re)
{
    if (l2 < 2)
        a64_addsub_ext(a, A64_SUBS, false, A64_ZR, A64_REG_TMP2, re, l2 == 0 ? A64_UXTB : A64_UXTH, 0);
    else
        a64_cmp_reg(a, l2 == 3, A64_REG_TMP2, re);
}

/* The compare-and-swap itself at host address x16: x17 = the old value
 * (zero-extended), [x16] = rn when it equals the low bytes of re.  rs: a
 * free register for the store-exclusive status (without LSE).
 *
 * A64's exclusive and LSE accesses must be naturally aligned (else an
 * alignment fault, SIGBUS), where x86's lock cmpxchg is not, and an x86
 * guest may well do a misaligned one.  A misaligned address takes a plain
 * load, compare and store instead: exact for the thread itself, not atomic
 * against other threads (which an ARM guest never sees: its exclusives
 * fault when misaligned, through the memop's alignment check). */
void a64_emit_cas(BackendCtx *c, unsigned l2, int re, int rn, int rs)
{
    BackendAsm *a = &c->a;
    bool sf = l2 == 3;
    size_t to_unaligned = 0, to_done[3];
    unsigned n_done = 0;
    if (l2) {
        a64_tst_imm(a, true, A64_REG_TMP, (1u << l2) - 1);
        to_unaligned = backend_asm_offset(a);
        a64_b_cond(a, A64_NE, a64_here(a));
    }
    if (a64_state.lse) {
        a64_mov_rr(a, sf, A64_REG_TMP2, re);
        a64_cas(a, l2, true, true, A64_REG_TMP2, rn, A64_REG_TMP);
    } else {
        uintptr_t loop = a64_here(a);
        a64_ldxr(a, l2, true, A64_REG_TMP2, A64_REG_TMP);
        cmp_old(a, l2, re);
        size_t bne = backend_asm_offset(a);
        a64_b_cond(a, A64_NE, a64_here(a));
        a64_stxr(a, l2, true, rs, rn, A64_REG_TMP);
        a64_cbz(a, true, false, rs, loop);
        to_done[n_done++] = backend_asm_offset(a);
        a64_b(a, a64_here(a));
        a64_patch_branch(a, bne, a64_here(a));
        a64_emit(a, 0xd503305f);            /* CLREX: drop the monitor after a mismatch */
    }
    if (l2) {
        to_done[n_done++] = backend_asm_offset(a);
        a64_b(a, a64_here(a));
        a64_patch_branch(a, to_unaligned, a64_here(a));
        a64_dmb(a, A64_ISH);
        a64_ldst_imm(a, A64_LDR, l2, A64_REG_TMP2, A64_REG_TMP, 0);
        cmp_old(a, l2, re);
        to_done[n_done++] = backend_asm_offset(a);
        a64_b_cond(a, A64_NE, a64_here(a));
        a64_ldst_imm(a, A64_STR, l2, rn, A64_REG_TMP, 0);
        a64_dmb(a, A64_ISH);
    }
    for (unsigned i = 0; i < n_done; i++)
        a64_patch_branch(a, to_done[i], a64_here(a));
}

/* cmpxchg: out = old value of the `size` bytes at addr; new is stored when
 * old equals the low bytes of expected.  With LSE one CASAL (x17 carries
 * expected in and the old value out), else an LDAXR/STLXR loop; both are
 * sequentially consistent like x86's lock cmpxchg. */
static void emit_cmpxchg(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp addr = ir_op_in(op, 0), expect = ir_op_in(op, 1), newv = ir_op_in(op, 2);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = a64_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    if (!w && size > 4)
        size = 4;
    unsigned l2 = a64_log2_size(size);
    ra_sync_globals(c);
    int re = a64_in(c, expect);
    int rn = a64_in(c, newv);
    A64Addr ad = addr_load(c, addr);
    /* every register before the scratch ones get values: the swapped
     * (guest-order) operands, the store-exclusive status, the output */
    int se = swap ? ra_alloc(c, ALL) : -1, sn = swap ? ra_alloc(c, ALL) : -1;
    int rs = a64_state.lse ? -1 : ra_alloc(c, ALL);
    int rd = a64_out(c, out);
    bool ok = const_aligned(&ad, mo);
    addr_form(c, &ad);
    align_check(c, ad, mo, ok);
    host_addr_tmp(c, ad);
    if (swap) {
        a64_swap_reg(c, size, true, se, re);
        a64_swap_reg(c, size, true, sn, rn);
        re = se;
        rn = sn;
    }
    a64_emit_cas(c, l2, re, rn, rs);
    a64_finish_value(c, size, w, (mo & IR_MO_SIGN) != 0, swap, rd, A64_REG_TMP2);
    ra_bind(c, out, rd);
}

static void emit_ld_env(BackendCtx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    uint32_t off = (uint32_t)ir_op_const(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
    bool w = a64_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    if (!w && size > 4)
        size = 4;
    ra_env_alias(c, off, size, false);
    int rd = a64_out(c, out);
    A64LdSt ldop = A64_LDR;
    if ((mo & IR_MO_SIGN) && size < 8 && (size < 4 || w))
        ldop = w ? A64_LDRS_X : A64_LDRS_W;
    a64_cpu_ldst(c, ldop, a64_log2_size(size), rd, off);
    ra_bind(c, out, rd);
}

static void emit_st_env(BackendCtx *c, const IROp *op)
{
    IRTemp val = ir_op_in(op, 0);
    uint32_t off = (uint32_t)ir_op_const(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
    unsigned size = ir_memop_bytes(mo);
    if (!a64_is_w64(c, val) && size > 4)
        size = 4;
    int rv = a64_is_const(c, val) && a64_const_val(c, val) == 0 ? A64_ZR : a64_in(c, val);
    ra_env_alias(c, off, size, true);
    a64_cpu_ldst(c, A64_STR, a64_log2_size(size), rv, off);
}

bool a64_emit_mem(BackendCtx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_ld: a64_mem_softtlb() ? a64_softtlb_ld(c, op) : emit_ld(c, op); break;
    case IR_OP_st: a64_mem_softtlb() ? a64_softtlb_st(c, op) : emit_st(c, op); break;
    case IR_OP_cmpxchg: a64_mem_softtlb() ? a64_softtlb_cmpxchg(c, op) : emit_cmpxchg(c, op); break;
    /* IR_MB_ALL is the only kind: a full barrier between the inner-shareable
     * observers (every thread of the process) */
    case IR_OP_mb: a64_dmb(&c->a, A64_ISH); break;
    case IR_OP_ld_env: emit_ld_env(c, op); break;
    case IR_OP_st_env: emit_st_env(c, op); break;
    default: return false;
    }
    return true;
}
