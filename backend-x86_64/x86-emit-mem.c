/*
 * x86-emit-mem.c — guest memory (ld, st, cmpxchg, mb) and cpu-state fields
 * outside the globals (ld_env, st_env).
 *
 * User mode maps guest address A at host address guest_base + A, with
 * guest_base kept in r14 for the whole run: a guest load is one host load
 * [r14 + addr].  An i32 address register is already zero-extended (see the
 * invariant in x86-emit-alu.c), so no extra instruction is needed.
 *
 * A guest access may fault (SIGSEGV/SIGBUS caught by the owner); every
 * modified global is written back first so the state is precise, and the
 * insn_start offsets let exec find the faulting guest instruction.
 */
#include "x86-internal.h"

#define ALL X86_ALLOC_REGS

/* Largest displacement folded into a guest access: the guest space is
 * followed by a 64 KiB PROT_NONE guard (linux-user/guest-mem.c), so an
 * address that would wrap past 4 GiB in 32-bit arithmetic faults in the
 * guard instead of reaching host memory. */
#define ADDR_DISP_MAX 0x7fff

/* "t = add base, $disp" directly followed by a guest ld/st through t, where
 * t dies there and base stays available: emit nothing now, and let the
 * access use [r14 + base + disp] (one lea less per load/store with an
 * immediate offset, the commonest ARM addressing mode).  Negative offsets
 * are not folded: below guest_base may be mapped host memory. */
bool x86_defer_address_add(X86Ctx *c, const IROp *op, const IROp *next)
{
    if (op->opc != IR_OP_add || !next || (next->opc != IR_OP_ld && next->opc != IR_OP_st) || x86_mem_softtlb())
        return false;
    IRTemp t = ir_op_out(op, 0), base = ir_op_in(op, 0), k = ir_op_in(op, 1);
    const IRBlock *b = c->b;
    if (x86_is_const(c, base)) {
        IRTemp s = base;
        base = k;
        k = s;
    }
    if (b->temps[t].kind != IR_TEMP_LOCAL || b->temps[t].type != IR_I32 || x86_is_const(c, base) ||
        !x86_is_const(c, k) || x86_const_val(c, k) == 0 || x86_const_val(c, k) > ADDR_DISP_MAX ||
        base == t || c->t[t].cross)
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
     * nothing) until the access has used it; emit_ld/emit_st free it */
    c->h->addr_base_dies = b->temps[base].kind == IR_TEMP_LOCAL && ((c->dead[c->op_index] >> base_idx) & 1);
    c->h->addr_disp = (int32_t)x86_const_val(c, k);
    return true;
}

static X86Mem guest_addr(X86Ctx *c, IRTemp addr, uint16_t allowed)
{
    if (addr == c->h->addr_t) {
        c->h->addr_t = IR_TEMP_NONE;
        int r = ra_load(c, c->h->addr_base, allowed);
        if (c->h->addr_base_dies) {
            /* free the dead base now: its register stays locked for this op */
            ra_release_local(c, c->h->addr_base);
            c->h->addr_base_dies = false;
        }
        return x86_mem_idx(X86_REG_GBASE, r, 0, c->h->addr_disp);
    }
    if (x86_is_const(c, addr) && x86_const_val(c, addr) <= 0x7fffffffu)
        return x86_mem(X86_REG_GBASE, (int32_t)x86_const_val(c, addr));
    int r = ra_load(c, addr, allowed);
    return x86_mem_idx(X86_REG_GBASE, r, 0, 0);
}

X86Mem x86_guest_mem(X86Ctx *c, IRTemp addr, uint16_t allowed)
{
    return guest_addr(c, addr, allowed);
}

/* IR_MO_ALIGN / IR_MO_ALIGN4: before the access, test the address; a
 * misaligned one calls env.raise_unaligned(cpu, address), which never
 * returns (the globals are already written back: the access is a fault
 * point, and the call's return address lies in this guest instruction's
 * code).  Fast path: a test and a taken jz over the call.
 * A deferred [base + disp] address is formed in the scratch register. */
static void align_check(X86Ctx *c, IRTemp addr, IRMemOp mo, uint16_t allowed)
{
    unsigned mask = ir_memop_align_mask(mo);
    if (!mask)
        return;
    int r;
    if (addr == c->h->addr_t) {
        int base = ra_load(c, c->h->addr_base, allowed);
        x86_lea(&c->a, false, X86_REG_SCRATCH, x86_mem(base, c->h->addr_disp));
        r = X86_REG_SCRATCH;
    } else if (x86_is_const(c, addr)) {
        if (!(x86_const_val(c, addr) & mask))
            return;
        x86_mov_ri(&c->a, true, X86_REG_SCRATCH, x86_const_val(c, addr));
        r = X86_REG_SCRATCH;
    } else {
        r = ra_load(c, addr, allowed);
    }
    bool w = !(addr == c->h->addr_t || x86_is_const(c, addr)) && ra_is_w64(c, addr);
    x86_emit_align_test(c, r, w, mask);
}

/* Test register r (the guest address; w: 64-bit) against mask and call
 * raise_unaligned(cpu, r) when any bit is set; shared with the soft-TLB
 * path (x86-emit-softtlb.c). */
void x86_emit_align_test(X86Ctx *c, int r, bool w, unsigned mask)
{
    x86_test_ri(&c->a, false, r, (int32_t)mask);
    x86_byte(&c->a, 0x74);                   /* jz: aligned */
    size_t jz = x86_offset(&c->a);
    x86_byte(&c->a, 0);
    x86_mov_rr(&c->a, w, X86_RSI, r);
    x86_cpu_ptr(&c->a, X86_RDI);
    x86_call(&c->a, (uintptr_t)x86_state.env.raise_unaligned, X86_REG_SCRATCH);
    if (!c->a.overflow)
        c->a.start[jz] = (uint8_t)(x86_offset(&c->a) - (jz + 1));
}

/* Reverse the low `size` bytes of register r (upper bits zero for size < 8
 * when they were zero before). */
static void swap_reg(X86Ctx *c, unsigned size, int r)
{
    if (size == 2)
        x86_rol16_ri(&c->a, r, 8);
    else if (size == 4)
        x86_bswap(&c->a, false, r);
    else if (size == 8)
        x86_bswap(&c->a, true, r);
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

static void emit_ld(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0), addr = ir_op_in(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = ra_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    bool sign = (mo & IR_MO_SIGN) != 0;
    if (!w && size > 4)
        size = 4;
    ra_sync_globals(c);
    align_check(c, addr, mo, ALL);
    X86Mem m = guest_addr(c, addr, ALL);
    int rd;
    if (m.index >= 0 && c->owner[m.index] < 0)
        rd = m.index;                      /* a folded base that died: reuse its register */
    else if (m.index >= 0 && c->owner[m.index] == (int)addr && ra_in_dies(c, op, 0))
        rd = m.index;                      /* the address register is free after the load */
    else
        rd = ra_out(c, out, ALL);
    if (!(mo & IR_MO_BSWAP) || size == 1) {
        x86_load(&c->a, size, sign, w, rd, m);
    } else {
        x86_load(&c->a, size, false, false, rd, m);
        swap_reg(c, size, rd);
        if (sign && size == 2)
            x86_movsx_rr(&c->a, 2, w, rd, rd);
        else if (sign && size == 4 && w)
            x86_movsx_rr(&c->a, 4, true, rd, rd);
    }
    ra_bind(c, out, rd);
}

static void emit_st(X86Ctx *c, const IROp *op)
{
    IRTemp val = ir_op_in(op, 0), addr = ir_op_in(op, 1);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    if (!ra_is_w64(c, val) && size > 4)
        size = 4;
    ra_sync_globals(c);
    align_check(c, addr, mo, ALL);
    if (x86_is_const(c, val)) {
        uint64_t v = x86_const_val(c, val);
        if (swap)
            v = swap_const(size, v);
        X86Mem m = guest_addr(c, addr, ALL);
        if (size < 8 || (int64_t)v == (int32_t)v) {
            x86_store_imm(&c->a, size, (int32_t)v, m);
        } else {
            x86_mov_ri(&c->a, true, X86_REG_SCRATCH, v);
            x86_store(&c->a, 8, X86_REG_SCRATCH, m);
        }
        return;
    }
    int rv = ra_load(c, val, ALL);
    X86Mem m = guest_addr(c, addr, ALL);
    if (swap) {
        x86_mov_rr(&c->a, true, X86_REG_SCRATCH, rv);
        swap_reg(c, size, X86_REG_SCRATCH);
        rv = X86_REG_SCRATCH;
    }
    x86_store(&c->a, size, rv, m);
}

static void emit_cmpxchg(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    IRTemp addr = ir_op_in(op, 0), expect = ir_op_in(op, 1), newv = ir_op_in(op, 2);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = ra_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    if (!w && size > 4)
        size = 4;
    uint16_t not_ax = ALL & ~RBIT(X86_RAX);
    ra_sync_globals(c);
    int rn = ra_load(c, newv, not_ax);
    ra_copy_fixed(c, expect, X86_RAX, ra_in_dies(c, op, 1) && expect != newv && expect != addr);
    align_check(c, addr, mo, not_ax);
    X86Mem m = guest_addr(c, addr, not_ax);
    if (swap) {
        swap_reg(c, size, X86_RAX);
        x86_mov_rr(&c->a, true, X86_REG_SCRATCH, rn);
        swap_reg(c, size, X86_REG_SCRATCH);
        rn = X86_REG_SCRATCH;
    }
    /* rax = old value: on success it already equals the (low bits of the)
     * expected value, on failure cmpxchg loads it. */
    x86_lock_cmpxchg(&c->a, size, rn, m);
    if (size == 1 || size == 2)
        x86_movzx_rr(&c->a, size, X86_RAX, X86_RAX);
    else if (size == 4)
        x86_mov_rr(&c->a, false, X86_RAX, X86_RAX);
    if (swap)
        swap_reg(c, size, X86_RAX);
    if ((mo & IR_MO_SIGN) && size < 8 && (size < 4 || w))
        x86_movsx_rr(&c->a, size, w, X86_RAX, X86_RAX);
    ra_bind(c, out, X86_RAX);
}

static void emit_ld_env(X86Ctx *c, const IROp *op)
{
    IRTemp out = ir_op_out(op, 0);
    uint32_t off = (uint32_t)ir_op_const(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
    bool w = ra_is_w64(c, out);
    unsigned size = ir_memop_bytes(mo);
    if (!w && size > 4)
        size = 4;
    ra_env_alias(c, off, size, false);
    int rd = ra_out(c, out, ALL);
    x86_load(&c->a, size, (mo & IR_MO_SIGN) != 0, w, rd, x86_cpu_mem(off));
    ra_bind(c, out, rd);
}

static void emit_st_env(X86Ctx *c, const IROp *op)
{
    IRTemp val = ir_op_in(op, 0);
    uint32_t off = (uint32_t)ir_op_const(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
    unsigned size = ir_memop_bytes(mo);
    if (!ra_is_w64(c, val) && size > 4)
        size = 4;
    X86Mem m = x86_cpu_mem(off);
    int32_t imm;
    if (x86_imm_of(c, val, &imm) && (size < 8 || ra_is_w64(c, val))) {
        ra_env_alias(c, off, size, true);
        x86_store_imm(&c->a, size, imm, m);
        return;
    }
    int rv = ra_load(c, val, ALL);
    ra_env_alias(c, off, size, true);
    x86_store(&c->a, size, rv, m);
}

bool x86_emit_mem(X86Ctx *c, const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_ld: x86_mem_softtlb() ? x86_softtlb_ld(c, op) : emit_ld(c, op); break;
    case IR_OP_st: x86_mem_softtlb() ? x86_softtlb_st(c, op) : emit_st(c, op); break;
    case IR_OP_cmpxchg: x86_mem_softtlb() ? x86_softtlb_cmpxchg(c, op) : emit_cmpxchg(c, op); break;
    case IR_OP_mb: x86_mfence(&c->a); break;
    case IR_OP_ld_env: emit_ld_env(c, op); break;
    case IR_OP_st_env: emit_st_env(c, op); break;
    default: return false;
    }
    return true;
}
