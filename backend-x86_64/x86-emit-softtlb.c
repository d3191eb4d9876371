/*
 * x86-emit-softtlb.c — guest memory in system mode (BACKEND_MEM_SOFTTLB):
 * the inline soft-TLB probe for ld, st and cmpxchg, and its slow path.
 *
 * For an access of `size` bytes at address A (in register ra, zero-extended
 * as every i32 value is) with mmu index m, the layout from BackendSoftTLB:
 *
 *     mov   r11d, ra                   (64-bit mov for an i64 address)
 *     shr   r11, page_bits - log2(entry_size)
 *     and   r11d, (n_entries - 1) << log2(entry_size)
 *     add   r11, [cpu + table_offset + 8*m]     r11 = the entry
 *     lea   rt, [ra + size - 1]        (an aligned access: mov rt, ra)
 *     and   rt, ~page_mask             (aligned: ~page_mask | align_mask)
 *     cmp   rt, [r11 + tag]            flag bits in the tag never match
 *     jne   slow                       a crossing or misaligned access misses
 *     mov   r11, [r11 + addend]
 *     <the access at [r11 + ra]>       as in user mode (byte swaps, extension)
 *     jmp   done
 *   slow:                              loads:  mov r11, ra; call ld_stub;
 *                                              mov rd, r11
 *                                      stores: push rv; mov r11, ra;
 *                                              call st_stub
 *   done:
 *
 * rt is a register the allocator hands out for the op; r11 is the scratch
 * register.  The globals were written back before (the access may fault),
 * so the slow path needs nothing else; every other register comes back as
 * it was.
 *
 * An alignment the memop demands is folded into the tag compare, as QEMU
 * does: a misaligned address keeps low bits that no tag has, so it takes the
 * slow path, which raises the alignment fault (softmmu/tlb.c).  Only an
 * alignment smaller than the access (ARM's LDRD/STRD: 4 of 8 bytes) keeps
 * the separate test (raise_unaligned).
 *
 * The slow paths are shared stubs (x86_softtlb_emit_stubs), one per memop
 * and mmu index, emitted once after the prologue: each saves every
 * caller-saved register, calls ld_slow/st_slow with the host return address
 * of its caller (inside this guest instruction's code, so a fault raised
 * there restores it), and returns a load's value in r11.  A block pays 11 to
 * 14 bytes per access for its slow path instead of 50 to 60 (system-mode
 * code was 95 bytes per guest instruction; translation time goes with it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86-internal.h"

#define ALL X86_ALLOC_REGS

/* Caller-saved registers the slow path may have to keep (r11 is scratch). */
static const int saved_order[8] = { X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10 };

typedef struct SlowFrame {
    int regs[9];                 /* pushed, in push order */
    unsigned n;                  /* pushes (plus one pad slot when odd) */
    bool pad;
} SlowFrame;

static inline bool is_caller_saved(int r) { return (X86_CALLER_SAVED & RBIT(r)) && r != X86_R11; }

static void frame_push(X86Ctx *c, SlowFrame *f)
{
    f->n = 0;
    f->pad = false;
    for (unsigned i = 0; i < 8; i++) {
        int r = saved_order[i];
        if (c->owner[r] >= 0 || (c->locked & RBIT(r)))
            f->regs[f->n++] = r;
    }
    for (unsigned i = 0; i < f->n; i++)
        x86_push(&c->a, f->regs[i]);
    if (f->n & 1) {
        x86_alu_ri(&c->a, X86_SUB, true, X86_RSP, 8);
        f->pad = true;
    }
}

/* Where register r's value was pushed, or -1 (not pushed). */
static int32_t frame_slot(const SlowFrame *f, int r)
{
    for (unsigned i = 0; i < f->n; i++)
        if (f->regs[i] == r)
            return (int32_t)((f->n - 1 - i) * 8 + (f->pad ? 8 : 0));
    return -1;
}

static void frame_pop(X86Ctx *c, const SlowFrame *f)
{
    if (f->pad)
        x86_alu_ri(&c->a, X86_ADD, true, X86_RSP, 8);
    for (unsigned i = f->n; i-- > 0;)
        x86_pop(&c->a, f->regs[i]);
}

/* dst = the value register src held when the slow path started. */
static void frame_arg(X86Ctx *c, const SlowFrame *f, int dst, int src)
{
    int32_t slot = frame_slot(f, src);
    if (slot >= 0)
        x86_load(&c->a, 8, false, true, dst, x86_mem(X86_RSP, slot));
    else if (dst != src)
        x86_mov_rr(&c->a, true, dst, src);
}

/* lea dst, [rip + disp32]; returns the disp32's offset for lea_rip_patch. */
static size_t lea_rip(X86Asm *a, int dst)
{
    x86_byte(a, (uint8_t)(0x48 | ((dst & 8) ? 4 : 0)));
    x86_byte(a, 0x8d);
    x86_byte(a, (uint8_t)(((dst & 7) << 3) | 5));
    size_t off = x86_offset(a);
    x86_u32(a, 0);
    return off;
}

/* Point the lea at the current position (the call's return address). */
static void lea_rip_patch(X86Asm *a, size_t off)
{
    if (a->overflow)
        return;
    int32_t d = (int32_t)(x86_offset(a) - (off + 4));
    memcpy(a->start + off, &d, 4);
}

static void call_slow(X86Ctx *c, int retaddr_reg, void *fn)
{
    size_t lea = lea_rip(&c->a, retaddr_reg);
    x86_call(&c->a, (uintptr_t)fn, X86_REG_SCRATCH);
    lea_rip_patch(&c->a, lea);
}

static unsigned log2u(uint32_t v)
{
    unsigned n = 0;
    while ((1u << n) < v)
        n++;
    return n;
}

/* Does the tag compare check the memop's alignment (see the top)?  It can
 * when the alignment covers the access, which then cannot cross a page. */
static bool align_folded(IRMemOp mo)
{
    uint64_t flags = x86_state.env.mem.tlb.tag_flag_mask;
    unsigned mask = ir_memop_align_mask(mo);
    /* ... and the tag's flags lie above the alignment bits */
    return mask && mask >= ir_memop_bytes(mo) - 1 && mask < (flags & -flags);
}

/* An alignment the tag compare does not check: tested first, as in user
 * mode (x86-emit-mem.c). */
static void align_check(X86Ctx *c, int ra, bool aw, IRMemOp mo)
{
    unsigned mask = ir_memop_align_mask(mo);
    if (mask && !align_folded(mo))
        x86_emit_align_test(c, ra, aw, mask);
}

/* The probe; returns the jne's offset (to the slow path: rel8 when the
 * slow path is a stub call, else rel32).  Leaves r11 = the host address's
 * base, to be used as [r11 + ra]. */
static size_t probe(X86Ctx *c, int ra, bool aw, unsigned size, IRMemOp mo, uint32_t tag_off, int rt, bool near)
{
    const BackendSoftTLB *l = &x86_state.env.mem.tlb;
    X86Asm *a = &c->a;
    unsigned m = ir_memop_mmu_idx(mo);
    unsigned esh = log2u(l->entry_size);
    x86_mov_rr(a, aw, X86_REG_SCRATCH, ra);
    if (l->page_bits >= esh) {
        /* the index, already scaled: one shift and one mask */
        if (l->page_bits > esh)
            x86_shift_ri(a, X86_SHR, aw, X86_REG_SCRATCH, l->page_bits - esh);
        x86_alu_ri(a, X86_AND, false, X86_REG_SCRATCH, (int32_t)(((1u << l->entry_bits) - 1) << esh));
    } else {
        x86_shift_ri(a, X86_SHR, aw, X86_REG_SCRATCH, l->page_bits);
        x86_alu_ri(a, X86_AND, false, X86_REG_SCRATCH, (int32_t)((1u << l->entry_bits) - 1));
        x86_shift_ri(a, X86_SHL, false, X86_REG_SCRATCH, esh);
    }
    x86_alu_rm(a, X86_ADD, true, X86_REG_SCRATCH, x86_cpu_mem(l->table_offset + m * (uint32_t)sizeof(void *)));
    uint64_t page_mask = ((uint64_t)1 << l->page_bits) - 1;
    if (align_folded(mo)) {
        x86_mov_rr(a, aw, rt, ra);
        x86_alu_ri(a, X86_AND, true, rt, (int32_t)~(page_mask & ~(uint64_t)ir_memop_align_mask(mo)));
    } else {
        x86_lea(a, true, rt, x86_mem(ra, (int32_t)size - 1));
        x86_alu_ri(a, X86_AND, true, rt, (int32_t)~page_mask);
    }
    x86_alu_rm(a, X86_CMP, true, rt, x86_mem(X86_REG_SCRATCH, (int32_t)tag_off));
    size_t jne = near ? x86_jcc_rel8(a, X86_CC_NE) : x86_jcc_rel32(a, X86_CC_NE, x86_rx_here(a));
    x86_load(a, 8, false, true, X86_REG_SCRATCH, x86_mem(X86_REG_SCRATCH, (int32_t)l->addend_offset));
    return jne;
}

/* The stub index of a memop, or -1 when there is none for it. */
static int stub_key(IRMemOp mo)
{
    if (mo & ~(uint32_t)(IR_MO_MMU_MASK | 63))
        return -1;
    return (int)(ir_memop_mmu_idx(mo) << 6 | (mo & 63));
}

/* A stub the block can reach with a rel32 call (r11 must survive the
 * call instruction), or 0. */
static uintptr_t reachable(const X86Ctx *c, uintptr_t stub)
{
    int64_t d = (int64_t)(stub - x86_rx_here(&c->a));     /* the call is a few bytes on */
    return stub && d > INT32_MIN + 4096 && d < INT32_MAX - 4096 ? stub : 0;
}

static uintptr_t ld_stub(const X86Ctx *c, IRMemOp mo, bool w)
{
    int k = stub_key(mo);
    return k < 0 ? 0 : reachable(c, x86_state.softtlb_ld_rx[w][k]);
}

static uintptr_t st_stub(const X86Ctx *c, IRMemOp mo)
{
    int k = stub_key(mo);
    return k < 0 ? 0 : reachable(c, x86_state.softtlb_st_rx[k]);
}

/* Patch a jump to here: rel8 (near) or rel32. */
static void patch_here(X86Ctx *c, size_t off, bool near)
{
    if (!near) {
        x86_patch_rel32(&c->a, off, x86_rx_here(&c->a));
    } else if (!x86_patch_rel8(&c->a, off, x86_rx_here(&c->a)) && !c->a.overflow) {
        fputs("vemu: x86_64 backend: soft-TLB path out of rel8 range\n", stderr);
        abort();
    }
}

/* The caller-saved registers a stub keeps (r11 is its input and output). */
static const int stub_saved[7] = { X86_RAX, X86_RCX, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10 };

/* host_ra_note: the host return address a stub hands the slow path is its
 * caller's return address minus one, a byte of the call instruction.  The
 * return address itself may be the first byte of the next guest
 * instruction's code (a store's slow path ends with the call), and a fault
 * restored there would skip the faulting instruction. */
void x86_softtlb_emit_stubs(X86Asm *a, const BackendEnv *env)
{
    memset(x86_state.softtlb_ld_rx, 0, sizeof(x86_state.softtlb_ld_rx));
    memset(x86_state.softtlb_st_rx, 0, sizeof(x86_state.softtlb_st_rx));
    if (env->mem.kind != BACKEND_MEM_SOFTTLB)
        return;
    const BackendSoftTLB *l = &env->mem.tlb;

    /* Common load part, by width.  Entered from a memop's stub with
     * [rsp] = the caller's rdx, [rsp + 8] = the return address into the
     * block, edx = the memop, r11 = the address.  Blocks keep rsp 16-byte
     * aligned, so after the call, 8 pushes and a pad the C call is aligned. */
    uintptr_t ld_common[2];
    for (int w = 0; w < 2; w++) {
        while (x86_offset(a) & 15)
            x86_byte(a, 0xcc);
        ld_common[w] = x86_rx_here(a);
        for (unsigned i = 0; i < 7; i++)
            x86_push(a, stub_saved[i]);
        x86_alu_ri(a, X86_SUB, true, X86_RSP, 8);
        x86_mov_rr(a, true, X86_RSI, X86_REG_SCRATCH);
        x86_load(a, 8, false, true, X86_RCX, x86_mem(X86_RSP, 8 + 7 * 8 + 8));
        x86_alu_ri(a, X86_SUB, true, X86_RCX, 1);       /* see host_ra_note */
        x86_cpu_ptr(a, X86_RDI);
        x86_call(a, (uintptr_t)l->ld_slow, X86_REG_SCRATCH);
        x86_mov_rr(a, w, X86_REG_SCRATCH, X86_RAX);     /* i32: upper half clear */
        x86_alu_ri(a, X86_ADD, true, X86_RSP, 8);
        for (unsigned i = 7; i-- > 0;)
            x86_pop(a, stub_saved[i]);
        x86_pop(a, X86_RDX);
        x86_ret(a);
    }
    /* Common store part: as a load's, with [rsp + 16] = the value the
     * block pushed, dropped by `ret 8`. */
    while (x86_offset(a) & 15)
        x86_byte(a, 0xcc);
    uintptr_t st_common = x86_rx_here(a);
    for (unsigned i = 0; i < 7; i++)
        x86_push(a, stub_saved[i]);
    x86_mov_rr(a, false, X86_RCX, X86_RDX);
    x86_mov_rr(a, true, X86_RSI, X86_REG_SCRATCH);
    x86_load(a, 8, false, true, X86_RDX, x86_mem(X86_RSP, 7 * 8 + 16));
    x86_load(a, 8, false, true, X86_R8, x86_mem(X86_RSP, 7 * 8 + 8));
    x86_alu_ri(a, X86_SUB, true, X86_R8, 1);
    x86_cpu_ptr(a, X86_RDI);
    x86_call(a, (uintptr_t)l->st_slow, X86_REG_SCRATCH);
    for (unsigned i = 7; i-- > 0;)
        x86_pop(a, stub_saved[i]);
    x86_pop(a, X86_RDX);
    x86_byte(a, 0xc2);                  /* ret 8 */
    x86_byte(a, 8);
    x86_byte(a, 0);

    /* One stub per memop: push rdx; mov edx, memop; jmp common. */
    unsigned n_mmu = l->n_mmu_idx < 16 ? l->n_mmu_idx : 16;
    for (unsigned m = 0; m < n_mmu; m++)
        for (unsigned low = 0; low < 64; low++) {
            uint32_t mo = m << IR_MO_MMU_SHIFT | low;
            int k = stub_key((IRMemOp)mo);
            for (int w = 0; w < 2; w++) {
                x86_state.softtlb_ld_rx[w][k] = x86_rx_here(a);
                x86_push(a, X86_RDX);
                x86_mov_ri(a, false, X86_RDX, mo);
                x86_jmp(a, ld_common[w]);
            }
            if (low & IR_MO_SIGN)
                continue;                   /* stores do not extend */
            x86_state.softtlb_st_rx[k] = x86_rx_here(a);
            x86_push(a, X86_RDX);
            x86_mov_ri(a, false, X86_RDX, mo);
            x86_jmp(a, st_common);
        }
    if (a->overflow) {
        memset(x86_state.softtlb_ld_rx, 0, sizeof(x86_state.softtlb_ld_rx));
        memset(x86_state.softtlb_st_rx, 0, sizeof(x86_state.softtlb_st_rx));
    }
}

static void swap_reg(X86Ctx *c, unsigned size, int r)
{
    if (size == 2)
        x86_rol16_ri(&c->a, r, 8);
    else if (size == 4)
        x86_bswap(&c->a, false, r);
    else if (size == 8)
        x86_bswap(&c->a, true, r);
}

void x86_softtlb_ld(X86Ctx *c, const IROp *op)
{
    const BackendSoftTLB *l = &x86_state.env.mem.tlb;
    IRTemp out = ir_op_out(op, 0), addr = ir_op_in(op, 0);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = ra_is_w64(c, out), aw = ra_is_w64(c, addr);
    unsigned size = ir_memop_bytes(mo);
    bool sign = (mo & IR_MO_SIGN) != 0;
    ra_sync_globals(c);
    int ra = ra_load(c, addr, ALL);
    align_check(c, ra, aw, mo);
    int rt = ra_alloc(c, ALL);
    int rd = ra_out(c, out, ALL);
    uintptr_t stub = ld_stub(c, mo, w);
    size_t jne = probe(c, ra, aw, size, mo, l->read_tag_offset, rt, stub != 0);
    X86Mem hm = x86_mem_idx(X86_REG_SCRATCH, ra, 0, 0);
    if (!(mo & IR_MO_BSWAP) || size == 1) {
        x86_load(&c->a, size, sign, w, rd, hm);
    } else {
        x86_load(&c->a, size, false, false, rd, hm);
        swap_reg(c, size, rd);
        if (sign && size == 2)
            x86_movsx_rr(&c->a, 2, w, rd, rd);
        else if (sign && size == 4 && w)
            x86_movsx_rr(&c->a, 4, true, rd, rd);
    }
    if (stub) {
        size_t jmp = x86_jmp_rel8(&c->a);
        patch_here(c, jne, true);
        x86_mov_rr(&c->a, aw, X86_REG_SCRATCH, ra);
        x86_call(&c->a, stub, X86_REG_SCRATCH);
        x86_mov_rr(&c->a, w, rd, X86_REG_SCRATCH);
        patch_here(c, jmp, true);
        ra_bind(c, out, rd);
        return;
    }
    size_t jmp = x86_jmp_rel32(&c->a, x86_rx_here(&c->a));
    x86_patch_rel32(&c->a, jne, x86_rx_here(&c->a));

    SlowFrame f;
    frame_push(c, &f);
    frame_arg(c, &f, X86_RSI, ra);
    x86_mov_ri(&c->a, false, X86_RDX, mo);
    x86_cpu_ptr(&c->a, X86_RDI);
    call_slow(c, X86_RCX, (void *)l->ld_slow);
    if (!w)
        x86_mov_rr(&c->a, false, X86_RAX, X86_RAX);   /* the i32 invariant: upper half clear */
    int32_t slot = frame_slot(&f, rd);
    if (slot >= 0)
        x86_store(&c->a, 8, X86_RAX, x86_mem(X86_RSP, slot));
    else
        x86_mov_rr(&c->a, true, rd, X86_RAX);
    frame_pop(c, &f);
    x86_patch_rel32(&c->a, jmp, x86_rx_here(&c->a));
    ra_bind(c, out, rd);
}

void x86_softtlb_st(X86Ctx *c, const IROp *op)
{
    const BackendSoftTLB *l = &x86_state.env.mem.tlb;
    IRTemp val = ir_op_in(op, 0), addr = ir_op_in(op, 1);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool aw = ra_is_w64(c, addr);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    ra_sync_globals(c);
    int ra = ra_load(c, addr, ALL);
    align_check(c, ra, aw, mo);
    int rv = ra_load(c, val, ALL);
    int rt = ra_alloc(c, ALL);
    uintptr_t stub = st_stub(c, mo);
    size_t jne = probe(c, ra, aw, size, mo, l->write_tag_offset, rt, stub != 0);
    int rs = rv;
    if (swap) {
        x86_mov_rr(&c->a, true, rt, rv);
        swap_reg(c, size, rt);
        rs = rt;
    }
    x86_store(&c->a, size, rs, x86_mem_idx(X86_REG_SCRATCH, ra, 0, 0));
    if (stub) {
        size_t jmp = x86_jmp_rel8(&c->a);
        patch_here(c, jne, true);
        x86_push(&c->a, rv);                /* the value as the IR has it */
        x86_mov_rr(&c->a, aw, X86_REG_SCRATCH, ra);
        x86_call(&c->a, stub, X86_REG_SCRATCH);
        patch_here(c, jmp, true);
        return;
    }
    size_t jmp = x86_jmp_rel32(&c->a, x86_rx_here(&c->a));
    x86_patch_rel32(&c->a, jne, x86_rx_here(&c->a));

    SlowFrame f;
    frame_push(c, &f);
    frame_arg(c, &f, X86_RSI, ra);
    frame_arg(c, &f, X86_RDX, rv);
    x86_mov_ri(&c->a, false, X86_RCX, mo);
    x86_cpu_ptr(&c->a, X86_RDI);
    call_slow(c, X86_R8, (void *)l->st_slow);
    frame_pop(c, &f);
    x86_patch_rel32(&c->a, jmp, x86_rx_here(&c->a));
}

void x86_softtlb_cmpxchg(X86Ctx *c, const IROp *op)
{
    const BackendSoftTLB *l = &x86_state.env.mem.tlb;
    IRTemp out = ir_op_out(op, 0);
    IRTemp addr = ir_op_in(op, 0), expect = ir_op_in(op, 1), newv = ir_op_in(op, 2);
    IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
    bool w = ra_is_w64(c, out), aw = ra_is_w64(c, addr);
    unsigned size = ir_memop_bytes(mo);
    bool swap = (mo & IR_MO_BSWAP) && size > 1;
    uint16_t not_ax = ALL & ~RBIT(X86_RAX);
    ra_sync_globals(c);
    int rn = ra_load(c, newv, not_ax);
    ra_copy_fixed(c, expect, X86_RAX, ra_in_dies(c, op, 1) && expect != newv && expect != addr);
    int ra = ra_load(c, addr, not_ax);
    align_check(c, ra, aw, mo);
    int rt = ra_alloc(c, not_ax);
    size_t jne = probe(c, ra, aw, size, mo, l->write_tag_offset, rt, false);
    int rs = rn;
    if (swap) {
        swap_reg(c, size, X86_RAX);
        x86_mov_rr(&c->a, true, rt, rn);
        swap_reg(c, size, rt);
        rs = rt;
    }
    x86_lock_cmpxchg(&c->a, size, rs, x86_mem_idx(X86_REG_SCRATCH, ra, 0, 0));
    if (size == 1 || size == 2)
        x86_movzx_rr(&c->a, size, X86_RAX, X86_RAX);
    else if (size == 4)
        x86_mov_rr(&c->a, false, X86_RAX, X86_RAX);
    if (swap)
        swap_reg(c, size, X86_RAX);
    size_t jmp = x86_jmp_rel32(&c->a, x86_rx_here(&c->a));
    x86_patch_rel32(&c->a, jne, x86_rx_here(&c->a));

    /* the slow path returns the old value zero-extended, byte order as
     * the IR sees it (as the fast path leaves rax here) */
    SlowFrame f;
    frame_push(c, &f);
    frame_arg(c, &f, X86_RSI, ra);
    frame_arg(c, &f, X86_RDX, X86_RAX);
    frame_arg(c, &f, X86_RCX, rn);
    x86_mov_ri(&c->a, false, X86_R8, mo);
    x86_cpu_ptr(&c->a, X86_RDI);
    call_slow(c, X86_R9, (void *)l->cmpxchg_slow);
    int32_t slot = frame_slot(&f, X86_RAX);
    if (slot >= 0)
        x86_store(&c->a, 8, X86_RAX, x86_mem(X86_RSP, slot));
    frame_pop(c, &f);
    x86_patch_rel32(&c->a, jmp, x86_rx_here(&c->a));
    if ((mo & IR_MO_SIGN) && size < 8 && (size < 4 || w))
        x86_movsx_rr(&c->a, size, w, X86_RAX, X86_RAX);
    ra_bind(c, out, X86_RAX);
}

bool x86_softtlb_layout_ok(const BackendMem *mem)
{
    const BackendSoftTLB *l = &mem->tlb;
    return mem->kind == BACKEND_MEM_SOFTTLB && l->n_mmu_idx >= 1 && l->n_mmu_idx <= 16 && l->entry_size &&
           !(l->entry_size & (l->entry_size - 1)) && l->page_bits >= 1 && l->page_bits < 32 &&
           l->entry_bits >= 1 && l->entry_bits + log2u(l->entry_size) < 31 &&
           l->tag_flag_mask < ((uint64_t)1 << l->page_bits) && l->ld_slow && l->st_slow && l->cmpxchg_slow &&
           l->table_offset + 16 * sizeof(void *) < 0x7fffff00u;
}
