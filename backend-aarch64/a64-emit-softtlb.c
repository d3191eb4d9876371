/*
 * a64-emit-softtlb.c — guest memory in system mode (BACKEND_MEM_SOFTTLB) on
 * an aarch64 host: the inline soft-TLB probe for ld, st and cmpxchg, and
 * its slow path.  The x86_64 version (x86-emit-softtlb.c) is the model.
 *
 * For an access of `size` bytes at guest address A (register ra: an i32 is
 * read as a W register, so its upper half never matters) with mmu index m,
 * the layout from BackendSoftTLB (exec/backend.h):
 *
 *     ubfx  x16, ra, #page_bits, #entry_bits     the entry's index
 *     ldr   x17, [x19, #table_offset + 8*m]      the mmu index's table
 *     add   x16, x17, x16, lsl #log2(entry_size) x16 = the entry
 *     mov   w21, w_ra                (i64: mov x21, x_ra; A zero-extended)
 *     add   x21, x21, #size - 1      (an aligned access: none)
 *     and   x21, x21, #~page_mask    (aligned: ~page_mask | align_mask)
 *     ldr   x17, [x16, #tag]         read or write tag
 *     cmp   x21, x17                 flag bits in the tag never match
 *     b.ne  slow                     a crossing or misaligned access misses
 *     ldr   x16, [x16, #addend]
 *     <the access at [x16, w_ra, uxtw]>   as in user mode (byte swaps, extension)
 *     b     done
 *   slow:                            the shared stub or the inline frame,
 *     ...                            see below
 *   done:
 *
 * x16, x17 and x21 (reserved for this path, a64-internal.h) are the only
 * registers the probe uses: no allocated register is needed.  The globals
 * were written back before (the access may fault), so the slow path needs
 * nothing else; every other register comes back as it was.
 *
 * An alignment the memop demands is folded into the tag compare as on
 * x86_64: a misaligned address keeps low bits that no tag has, so it takes
 * the slow path, which raises the alignment fault (softmmu/tlb.c).  Only an
 * alignment smaller than the access (ARM's LDRD/STRD: 4 of 8 bytes) keeps
 * the separate test (a64_emit_align_test).
 *
 * Loads and stores reach their slow path through shared stubs
 * (a64_softtlb_emit_stubs, emitted once after the prologue): the block
 * puts the guest address in x17, the memop in w16 (a store's value in
 * x21) and BLs the stub, which saves every caller-saved register and x30,
 * calls ld_slow/st_slow with host_retaddr = its caller's BL (x30 - 4,
 * inside this guest instruction's code) and returns a load's value in
 * x17.  That is 4 or 5 instructions per access instead of about 20.  A
 * block out of BL's reach of the stubs (a code buffer above 128 MiB),
 * and cmpxchg, carry the slow path inline (A64SlowFrame): there
 * host_retaddr is the address right after the call, where the frame's
 * restore follows, inside the instruction's code too.
 */
#include "a64-internal.h"

#define ALL A64_ALLOC_REGS

static unsigned log2u(uint32_t v)
{
    unsigned n = 0;
    while ((1u << n) < v)
        n++;
    return n;
}

/* Does the tag compare check the memop's alignment (see the top)?  It can
 * when the alignment covers the access, which then cannot cross a page,
 * and the tag's flags lie above the alignment bits. */
static bool align_folded(IRMemOp mo)
{
    uint64_t flags = a64_state.env.mem.tlb.tag_flag_mask;
    unsigned mask = ir_memop_align_mask(mo);
    return mask && mask >= ir_memop_bytes(mo) - 1 && (!flags || mask < (flags & -flags));
}

static void align_check(BackendCtx *c, int ra, bool aw, IRMemOp mo)
{
    unsigned mask = ir_memop_align_mask(mo);
    if (mask && !align_folded(mo))
        a64_emit_align_test(c, ra, aw, mask);
}

/* The probe (see the top); returns the B.NE's offset (to the slow path).
 * Leaves x16 = the entry's addend, to be used as [x16, ra]. */
static size_t probe(BackendCtx *c, int ra, bool aw, unsigned size, IRMemOp mo, uint32_t tag_off)
{
    const BackendSoftTLB *l = &a64_state.env.mem.tlb;
    BackendAsm *a = &c->a;
    unsigned m = ir_memop_mmu_idx(mo);
    unsigned esh = log2u(l->entry_size);
    unsigned width = aw ? 64 : 32;
    unsigned eb = l->entry_bits;
    if (l->page_bits + eb > width)
        eb = width - l->page_bits;            /* the index bits above an i32 address are zero */
    a64_ubfx(a, aw, A64_REG_TMP, ra, l->page_bits, eb);
    a64_cpu_ldst(c, A64_LDR, 3, A64_REG_TMP2, l->table_offset + m * (int64_t)sizeof(void *));
    a64_addsub_reg(a, A64_ADD, true, A64_REG_TMP, A64_REG_TMP2, A64_REG_TMP, A64_LSL, esh);
    uint64_t page_mask = ((uint64_t)1 << l->page_bits) - 1;
    a64_mov_rr(a, aw, A64_REG_MEM, ra);
    if (align_folded(mo)) {
        a64_logic_imm(a, A64_AND, true, A64_REG_MEM, A64_REG_MEM,
                      ~(page_mask & ~(uint64_t)ir_memop_align_mask(mo)));
    } else {
        if (size > 1)
            a64_addsub_imm(a, A64_ADD, true, A64_REG_MEM, A64_REG_MEM, size - 1);
        a64_logic_imm(a, A64_AND, true, A64_REG_MEM, A64_REG_MEM, ~page_mask);
    }
    a64_ldst_imm(a, A64_LDR, 3, A64_REG_TMP2, A64_REG_TMP, tag_off);
    a64_cmp_reg(a, true, A64_REG_MEM, A64_REG_TMP2);
    size_t bne = backend_asm_offset(a);
    a64_b_cond(a, A64_NE, a64_here(a));
    a64_ldst_imm(a, A64_LDR, 3, A64_REG_TMP, A64_REG_TMP, l->addend_offset);
    return bne;
}

static size_t b_fwd(BackendAsm *a)
{
    size_t off = backend_asm_offset(a);
    a64_b(a, a64_here(a));
    return off;
}

static void patch_here(BackendAsm *a, size_t off) { a64_patch_branch(a, off, a64_here(a)); }

/* Register dst = the guest address (zero-extended) from the frame. */
static void arg_addr(BackendCtx *c, const A64SlowFrame *f, int dst, int ra, bool aw)
{
    a64_frame_arg(c, f, dst, ra);
    if (!aw)
        a64_mov_rr(&c->a, false, dst, dst);
}

/* rd_ret = host_retaddr (ADR, see the top); call fn. */
static void call_slow(BackendCtx *c, int rd_ret, void *fn)
{
    BackendAsm *a = &c->a;
    size_t adr = backend_asm_offset(a);
    a64_adr(a, rd_ret, a64_here(a));
    a64_call(c, (uintptr_t)fn);
    a64_patch_branch(a, adr, a64_here(a));
}

/* After the call: register rd (saved in the frame or not) = x0. */
static void result_to(BackendCtx *c, const A64SlowFrame *f, int rd)
{
    int32_t slot = a64_frame_slot(f, rd);
    if (slot >= 0)
        a64_ldst_imm(&c->a, A64_STR, 3, A64_X0, A64_SP, slot);
    else
        a64_mov_rr(&c->a, true, rd, A64_X0);
}

/* BL to a shared stub (stub_reach checked that it reaches), recorded for
 * the persistent cache as a BACKEND_RELOC_A64_B26 (a block loaded where the
 * stub is out of reach is translated afresh). */
static void stub_call(BackendCtx *c, uintptr_t stub)
{
    size_t at = backend_asm_offset(&c->a);
    if (a64_bl(&c->a, stub))
        backend_reloc_note(c->a.relocs, at, BACKEND_RELOC_A64_B26);
}

/* The shared stub, when a BL from here reaches it (else 0). */
static uintptr_t stub_reach(const BackendCtx *c, uintptr_t stub)
{
    return stub && a64_b_reaches(a64_here(&c->a) + 16, stub) && a64_b_reaches(a64_here(&c->a), stub) ? stub : 0;
}

void a64_softtlb_ld(BackendCtx *c, const IROp *op)
{
    const BackendSoftTLB *l = &a64_state.env.mem.tlb;
    BackendAsm *a = &c->a;
    IRTemp out = ir_op_out(op, 0), addr = ir_op_in(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = a64_is_w64(c, out), aw = a64_is_w64(c, addr);
    unsigned size = ir_memop_bytes(mo);
    bool sign = (mo & IR_MO_SIGN) != 0;
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    ra_sync_globals(c);
    int ra = a64_in(c, addr);
    int rd = a64_out(c, out);
    align_check(c, ra, aw, mo);
    size_t bne = probe(c, ra, aw, size, mo, l->read_tag_offset);
    /* the fast access: size as the memop says (the slow path reads that
     * many bytes too); an i32 output keeps the low 32 bits */
    unsigned lsz = !w && size > 4 ? 4 : size;
    A64LdSt ldop = A64_LDR;
    if (sign && !swap && lsz < 8 && (lsz < 4 || w))
        ldop = w ? A64_LDRS_X : A64_LDRS_W;
    a64_ldst_reg(a, ldop, a64_log2_size(lsz), rd, A64_REG_TMP, ra, aw ? A64_UXTX : A64_UXTW, false);
    if (swap)
        a64_finish_value(c, lsz, w, sign, true, rd, rd);
    size_t b_done = b_fwd(a);
    patch_here(a, bne);
    uintptr_t stub = stub_reach(c, a64_state.softtlb_ld_rx[w]);
    if (stub) {
        a64_mov_rr(a, aw, A64_REG_TMP2, ra);
        a64_movz(a, false, A64_REG_TMP, (uint16_t)mo, 0);
        stub_call(c, stub);
        a64_mov_rr(a, w, rd, A64_REG_TMP2);
        patch_here(a, b_done);
        ra_bind(c, out, rd);
        return;
    }

    A64SlowFrame f;
    a64_frame_push(c, &f);
    arg_addr(c, &f, A64_X1, ra, aw);
    a64_mov_imm(a, false, A64_X2, mo);
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    call_slow(c, A64_X3, (void *)l->ld_slow);
    if (!w)
        a64_mov_rr(a, false, A64_X0, A64_X0);      /* an i32: upper half clear */
    result_to(c, &f, rd);
    a64_frame_pop(c, &f);
    patch_here(a, b_done);
    ra_bind(c, out, rd);
}

void a64_softtlb_st(BackendCtx *c, const IROp *op)
{
    const BackendSoftTLB *l = &a64_state.env.mem.tlb;
    BackendAsm *a = &c->a;
    IRTemp val = ir_op_in(op, 0), addr = ir_op_in(op, 1);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool aw = a64_is_w64(c, addr), vw = a64_is_w64(c, val);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    ra_sync_globals(c);
    int ra = a64_in(c, addr);
    int rv = a64_in(c, val);
    align_check(c, ra, aw, mo);
    size_t bne = probe(c, ra, aw, size, mo, l->write_tag_offset);
    int rs = rv;
    if (swap) {
        /* x17 is free after the probe: the value in guest order */
        a64_swap_reg(c, size, true, A64_REG_TMP2, rv);
        rs = A64_REG_TMP2;
    }
    a64_ldst_reg(a, A64_STR, a64_log2_size(size), rs, A64_REG_TMP, ra, aw ? A64_UXTX : A64_UXTW, false);
    size_t b_done = b_fwd(a);
    patch_here(a, bne);
    uintptr_t stub = stub_reach(c, a64_state.softtlb_st_rx);
    if (stub) {
        a64_mov_rr(a, vw, A64_REG_MEM, rv);        /* the value as the IR has it */
        a64_mov_rr(a, aw, A64_REG_TMP2, ra);
        a64_movz(a, false, A64_REG_TMP, (uint16_t)mo, 0);
        stub_call(c, stub);
        patch_here(a, b_done);
        return;
    }

    A64SlowFrame f;
    a64_frame_push(c, &f);
    arg_addr(c, &f, A64_X1, ra, aw);
    a64_frame_arg(c, &f, A64_X2, rv);           /* the value as the IR has it */
    if (!vw)
        a64_mov_rr(a, false, A64_X2, A64_X2);
    a64_mov_imm(a, false, A64_X3, mo);
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    call_slow(c, A64_X4, (void *)l->st_slow);
    a64_frame_pop(c, &f);
    patch_here(a, b_done);
}

void a64_softtlb_cmpxchg(BackendCtx *c, const IROp *op)
{
    const BackendSoftTLB *l = &a64_state.env.mem.tlb;
    BackendAsm *a = &c->a;
    IRTemp out = ir_op_out(op, 0);
    IRTemp addr = ir_op_in(op, 0), expect = ir_op_in(op, 1), newv = ir_op_in(op, 2);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = a64_is_w64(c, out), aw = a64_is_w64(c, addr);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    unsigned csize = !w && size > 4 ? 4 : size;   /* the bytes the fast path exchanges */
    ra_sync_globals(c);
    int ra = a64_in(c, addr);
    int re = a64_in(c, expect);
    int rn = a64_in(c, newv);
    int se = swap ? ra_alloc(c, ALL) : re, sn = swap ? ra_alloc(c, ALL) : rn;
    int rs = a64_state.lse ? -1 : ra_alloc(c, ALL);
    int rd = a64_out(c, out);
    align_check(c, ra, aw, mo);
    size_t bne = probe(c, ra, aw, size, mo, l->write_tag_offset);
    a64_addsub_ext(a, A64_ADD, true, A64_REG_TMP, A64_REG_TMP, ra, aw ? A64_UXTX : A64_UXTW, 0);
    if (swap) {
        a64_swap_reg(c, csize, true, se, re);
        a64_swap_reg(c, csize, true, sn, rn);
    }
    a64_emit_cas(c, a64_log2_size(csize), se, sn, rs);
    /* the old value zero-extended in IR byte order, as the slow path gives it */
    a64_finish_value(c, csize, w, false, swap, rd, A64_REG_TMP2);
    size_t b_done = b_fwd(a);
    patch_here(a, bne);

    A64SlowFrame f;
    a64_frame_push(c, &f);
    arg_addr(c, &f, A64_X1, ra, aw);
    a64_frame_arg(c, &f, A64_X2, re);
    a64_frame_arg(c, &f, A64_X3, rn);
    a64_mov_imm(a, false, A64_X4, mo);
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    call_slow(c, A64_X5, (void *)l->cmpxchg_slow);
    if (!w)
        a64_mov_rr(a, false, A64_X0, A64_X0);
    result_to(c, &f, rd);
    a64_frame_pop(c, &f);
    patch_here(a, b_done);
    if ((mo & IR_MO_SIGN) && csize < 8 && (csize < 4 || w))
        a64_sxt(a, csize, w, rd, rd);
    ra_bind(c, out, rd);
}

/* The caller-saved registers a stub keeps: x0..x15 and x30 (x16/x17
 * carry its arguments and a load's result; x21 is the probe's). */
#define STUB_FRAME 144      /* 17 registers, rounded up to 16 bytes */

static void stub_save(BackendAsm *a)
{
    a64_ldstp(a, false, true, A64_X0, A64_X1, A64_SP, -STUB_FRAME, A64_PRE);
    for (int r = 2; r < 16; r += 2)
        a64_ldstp(a, false, true, r, r + 1, A64_SP, 8 * r, A64_OFFSET);
    a64_ldst_imm(a, A64_STR, 3, A64_LR, A64_SP, 128);
}

static void stub_restore(BackendAsm *a)
{
    a64_ldst_imm(a, A64_LDR, 3, A64_LR, A64_SP, 128);
    for (int r = 2; r < 16; r += 2)
        a64_ldstp(a, true, true, r, r + 1, A64_SP, 8 * r, A64_OFFSET);
    a64_ldstp(a, true, true, A64_X0, A64_X1, A64_SP, STUB_FRAME, A64_POST);
}

/* The shared slow paths (see the top), emitted by init after the
 * prologue.  Entered by BL with x17 = the guest address (zero-extended),
 * w16 = the memop, x21 = a store's value; blocks keep sp 16-byte aligned,
 * and the frame keeps it so for the C call. */
void a64_softtlb_emit_stubs(BackendAsm *a, const BackendEnv *env)
{
    a64_state.softtlb_ld_rx[0] = a64_state.softtlb_ld_rx[1] = a64_state.softtlb_st_rx = 0;
    if (env->mem.kind != BACKEND_MEM_SOFTTLB)
        return;
    const BackendSoftTLB *l = &env->mem.tlb;
    /* a64_call's far form goes through x16 and needs a BackendCtx: these
     * are plain BL / address + BLR x16 after the arguments are placed */
    uintptr_t ld[2], st;
    for (int w = 0; w < 2; w++) {
        ld[w] = a64_here(a);
        stub_save(a);
        a64_mov_rr(a, true, A64_X1, A64_REG_TMP2);
        a64_mov_rr(a, false, A64_X2, A64_REG_TMP);
        a64_addsub_imm(a, A64_SUB, true, A64_X3, A64_LR, 4);   /* the caller's BL */
        a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
        if (!a64_bl(a, (uintptr_t)l->ld_slow)) {
            a64_mov_addr(a, A64_REG_TMP, (uintptr_t)l->ld_slow);
            a64_blr(a, A64_REG_TMP);
        }
        a64_mov_rr(a, w, A64_REG_TMP2, A64_X0);               /* an i32: upper half clear */
        stub_restore(a);
        a64_ret(a);
    }
    st = a64_here(a);
    stub_save(a);
    a64_mov_rr(a, true, A64_X1, A64_REG_TMP2);
    a64_mov_rr(a, true, A64_X2, A64_REG_MEM);
    a64_mov_rr(a, false, A64_X3, A64_REG_TMP);
    a64_addsub_imm(a, A64_SUB, true, A64_X4, A64_LR, 4);
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    if (!a64_bl(a, (uintptr_t)l->st_slow)) {
        a64_mov_addr(a, A64_REG_TMP, (uintptr_t)l->st_slow);
        a64_blr(a, A64_REG_TMP);
    }
    stub_restore(a);
    a64_ret(a);
    if (a->overflow)
        return;
    a64_state.softtlb_ld_rx[0] = ld[0];
    a64_state.softtlb_ld_rx[1] = ld[1];
    a64_state.softtlb_st_rx = st;
}

bool a64_softtlb_layout_ok(const BackendMem *mem)
{
    const BackendSoftTLB *l = &mem->tlb;
    if (mem->kind != BACKEND_MEM_SOFTTLB)
        return false;
    /* the tag and addend loads take a scaled 12-bit offset */
    bool offs_ok = !(l->read_tag_offset & 7) && !(l->write_tag_offset & 7) && !(l->addend_offset & 7) &&
                   l->read_tag_offset < 32768 && l->write_tag_offset < 32768 && l->addend_offset < 32768;
    return l->n_mmu_idx >= 1 && l->n_mmu_idx <= 16 && l->entry_size && !(l->entry_size & (l->entry_size - 1)) &&
           l->page_bits >= 1 && l->page_bits < 32 && l->entry_bits >= 1 &&
           l->entry_bits + log2u(l->entry_size) < 31 && l->tag_flag_mask < ((uint64_t)1 << l->page_bits) &&
           l->ld_slow && l->st_slow && l->cmpxchg_slow && offs_ok;
}
