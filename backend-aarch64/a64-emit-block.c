/*
 * a64-emit-block.c — the aarch64 host as the backend core drives it
 * (a64_host, a BackendHost): register moves and memory homes, jumps and
 * their patching (with the pseudo conditions CBZ/CBNZ/TBZ/TBNZ), the
 * AAPCS64 helper-call sequence, the block exits, goto_tb chaining and
 * goto_lookup with the inline jump-cache probe.  The op loop, labels,
 * loops and the allocator are in backend/; the value ops are in
 * a64-emit-alu.c, a64-emit-mem.c and a64-emit-fp.c.
 *
 * Exits leave with x0 = tb_tag | IRExitKind through the epilogue written
 * by a64_init(), or (BackendEnv.exits_by_host_pc) by `bl exit_pc[kind]`,
 * whose return address names the block.
 *
 * Every reference out of the block is recorded for the persistent
 * translation cache (BackendBlock.relocs) in a form exec can move
 * (exec/backend-reloc.c): a B/BL (BACKEND_RELOC_A64_B26) to the prologue's
 * code or a helper within reach, else the address built in x16 (or x0, the
 * tag) by ADRP + ADD (A64_ADRP_ADD: code buffer targets, always within
 * +-4 GiB of the block) or MOVZ + MOVKs (A64_MOVW: helpers in vemu's image,
 * which moves independently of the code buffer, and the block's tag), then
 * BR/BLR.  Nothing is recorded as BACKEND_RELOC_FIXED.  Without a cache
 * to record for (relocs NULL) the shortest forms are used instead
 * (a64_mov_addr: ADR, ADRP, or the fewest MOV words).
 */
#include <stdio.h>
#include <stdlib.h>

#include "a64-internal.h"

/* No op needs more code than this: a helper call saving registers and
 * moving 8 arguments, a soft-TLB access with its slow path's frame. */
#define OP_ROOM 1024

static const int arg_regs[8] = { A64_X0, A64_X1, A64_X2, A64_X3, A64_X4, A64_X5, A64_X6, A64_X7 };

/* Record a reference out of the block at offset off (docs/backend-aarch64.md). */
static void note_at(BackendCtx *c, size_t off, BackendRelocKind kind)
{
    backend_reloc_note(c->a.relocs, off, kind);
}

/* What an address built into a register points at: the persistent cache
 * moves each in its own form. */
typedef enum ExtAddr {
    EXT_BUFFER,     /* the code buffer's prologue area (shared stubs) */
    EXT_IMAGE,      /* a helper: vemu's image, or a library */
    EXT_TAG,        /* the block's tag | kind (TB arena) */
} ExtAddr;

/* rd = addr, a host address outside the block.  Recording for the
 * persistent cache, in a form it can rewrite at the block's new place:
 * code buffer targets by ADRP + ADD (both words even for a #0: the buffer,
 * at most 2 GiB, stays within ADRP's +-4 GiB wherever the block moves),
 * others by MOVZ + MOVK of every halfword up to bit 47 (user addresses;
 * 63 when above, and always for the tag, so that any TB arena address fits
 * when the block is loaded). */
static void ext_addr(BackendCtx *c, int rd, uintptr_t addr, ExtAddr what)
{
    BackendAsm *a = &c->a;
    if (!a->relocs) {
        a64_mov_addr(a, rd, addr);
        return;
    }
    size_t at = backend_asm_offset(a);
    if (what == EXT_BUFFER && a64_adrp(a, rd, addr)) {
        a64_addsub_imm(a, A64_ADD, true, rd, rd, addr & 0xfff);
        note_at(c, at, BACKEND_RELOC_A64_ADRP_ADD);
        return;
    }
    unsigned words = what == EXT_TAG || (uint64_t)addr >> 48 ? 4 : 3;
    a64_movz(a, true, rd, (uint16_t)addr, 0);
    for (unsigned i = 1; i < words; i++)
        a64_movk(a, true, rd, (uint16_t)((uint64_t)addr >> 16 * i), 16 * i);
    note_at(c, at, BACKEND_RELOC_A64_MOVW);
}

/* B or BL to any rx address outside the block: direct within +-128 MiB
 * (the cache's A64_B26; a block loaded where the target is out of reach is
 * translated afresh), else the address into x16 and BR/BLR. */
static void far_branch(BackendCtx *c, uintptr_t target, bool link, ExtAddr what)
{
    size_t at = backend_asm_offset(&c->a);
    if (link ? a64_bl(&c->a, target) : a64_b(&c->a, target)) {
        note_at(c, at, BACKEND_RELOC_A64_B26);
        return;
    }
    ext_addr(c, A64_REG_TMP, target, what);
    if (link)
        a64_blr(&c->a, A64_REG_TMP);
    else
        a64_br(&c->a, A64_REG_TMP);
}

/* BL to one of the prologue's shared stubs, false (nothing emitted) when
 * out of reach. */
static bool bl_stub(BackendCtx *c, uintptr_t stub)
{
    size_t at = backend_asm_offset(&c->a);
    if (!a64_bl(&c->a, stub))
        return false;
    note_at(c, at, BACKEND_RELOC_A64_B26);
    return true;
}

/* ---- shared helpers (a64-internal.h) ---------------------------------------- */

void a64_cpu_ldst(BackendCtx *c, A64LdSt op, unsigned log2size, int rt, int64_t offset)
{
    if (a64_ldst_imm_ok(log2size, offset)) {
        a64_ldst_imm(&c->a, op, log2size, rt, A64_REG_CPU, offset);
        return;
    }
    a64_mov_imm(&c->a, true, A64_REG_TMP2, (uint64_t)offset);
    a64_ldst_reg(&c->a, op, log2size, rt, A64_REG_CPU, A64_REG_TMP2, A64_UXTX, false);
}

void a64_cpu_fp_ldst(BackendCtx *c, bool load, unsigned log2size, int vt, int64_t offset)
{
    if (offset >= 0 && !(offset & ((1 << log2size) - 1)) && (offset >> log2size) < 4096) {
        a64_fp_ldst_imm(&c->a, load, log2size, vt, A64_REG_CPU, offset);
        return;
    }
    a64_mov_imm(&c->a, true, A64_REG_TMP2, (uint64_t)offset);
    a64_fp_ldst_reg(&c->a, load, log2size, vt, A64_REG_CPU, A64_REG_TMP2, A64_UXTX, false);
}

void a64_cpu_addr(BackendCtx *c, int rd, int64_t offset)
{
    a64_add_const(&c->a, true, rd, A64_REG_CPU, offset, rd == A64_REG_TMP2 ? A64_REG_TMP : A64_REG_TMP2);
}

void a64_call(BackendCtx *c, uintptr_t fn)
{
    far_branch(c, fn, true, EXT_IMAGE);
}

/* ---- registers and memory homes --------------------------------------------- */

/* Whole registers: an i32 value's clear upper half moves with it. */
static void host_mov(BackendCtx *c, int dst, int src) { a64_mov_rr(&c->a, true, dst, src); }

static void host_xchg(BackendCtx *c, int r1, int r2)
{
    a64_mov_rr(&c->a, true, A64_REG_TMP, r1);
    a64_mov_rr(&c->a, true, r1, r2);
    a64_mov_rr(&c->a, true, r2, A64_REG_TMP);
}

static void host_movi(BackendCtx *c, bool w64, int r, uint64_t v) { a64_mov_imm(&c->a, w64, r, v); }

/* A 4-byte load into a W register zero-extends: the i32 invariant. */
static void home_ldst(BackendCtx *c, A64LdSt op, int r, IRTemp t)
{
    const IRTempInfo *ti = &c->b->temps[t];
    unsigned log2size = ti->type == IR_I64 ? 3 : 2;
    if (ti->kind == IR_TEMP_GLOBAL)
        a64_cpu_ldst(c, op, log2size, r, ti->offset);
    else
        a64_ldst_imm(&c->a, op, log2size, r, A64_SP, (int64_t)ra_slot(c, t) * 8);
}

static void host_load(BackendCtx *c, int r, IRTemp t) { home_ldst(c, A64_LDR, r, t); }
static void host_store(BackendCtx *c, int r, IRTemp t) { home_ldst(c, A64_STR, r, t); }

/* ---- control flow inside the block ------------------------------------------ */

static int host_invert_cond(int cc) { return cc < 0 ? cc : a64_cc_invert(cc); }

/* A conditional branch of host condition cc to target, false when target
 * is out of its reach (nothing emitted). */
static bool cond_branch(BackendAsm *a, int cc, uintptr_t target)
{
    if (a64_cc_is_plain(cc))
        return a64_b_cond(a, (A64Cond)cc, target);
    if (a64_cc_is_cbz(cc))
        return a64_cbz(a, a64_cc_nonzero(cc), a64_cc_sf(cc), a64_cc_reg(cc), target);
    return a64_tbz(a, a64_cc_nonzero(cc), a64_cc_reg(cc), a64_cc_bit(cc), target);
}

static void host_jump(BackendCtx *c, int cc, uintptr_t target)
{
    BackendAsm *a = &c->a;
    if (cc < 0) {
        if (!a64_b(a, target)) {            /* inside the block: within reach */
            fprintf(stderr, "vemu: aarch64 backend: a branch inside a block does not reach\n");
            abort();
        }
        return;
    }
    if (cond_branch(a, cc, target))
        return;
    /* out of the short reach: the inverted condition over a B */
    cond_branch(a, a64_cc_invert(cc), a64_here(a) + 8);
    a64_b(a, target);
}

/* The handle is the offset of the instruction to patch.  TBZ/TBNZ reach
 * only +-32 KiB, less than a long block: a forward one is the inverted
 * test over a B (the B is patched); B.cond and CBZ/CBNZ reach +-1 MiB,
 * more than any block's code. */
static uint32_t host_jump_fwd(BackendCtx *c, int cc)
{
    BackendAsm *a = &c->a;
    if (cc >= 0 && a64_cc_is_tbz(cc)) {
        cond_branch(a, a64_cc_invert(cc), a64_here(a) + 8);
        cc = -1;
    }
    uint32_t handle = (uint32_t)backend_asm_offset(a);
    if (cc < 0)
        a64_b(a, a64_here(a));
    else
        cond_branch(a, cc, a64_here(a));
    return handle;
}

static void host_patch(BackendCtx *c, uint32_t handle, uintptr_t target)
{
    if (c->a.overflow)
        return;
    if (!a64_patch_branch(&c->a, handle, target)) {
        fprintf(stderr, "vemu: aarch64 backend: a branch inside a block does not reach (block over 1 MiB)\n");
        abort();
    }
}

/* ---- exits -------------------------------------------------------------------- */

static void exit_with(BackendCtx *c, unsigned kind)
{
    uintptr_t tail = a64_state.exit_pc_rx[kind & IR_EXIT_KIND_MASK];
    if (tail && kind <= IR_EXIT_KIND_MASK && bl_stub(c, tail))
        return;
    ext_addr(c, A64_X0, c->out->tb_tag | kind, EXT_TAG);
    far_branch(c, a64_state.epilogue_rx, false, EXT_BUFFER);
}

static void host_exit_tb(BackendCtx *c, unsigned kind) { exit_with(c, kind); }

static void store_exception(BackendCtx *c, int32_t excp)
{
    a64_mov_imm(&c->a, false, A64_REG_TMP, (uint32_t)excp);
    a64_cpu_ldst(c, A64_STR, 2, A64_REG_TMP, a64_state.env.exception_index_offset);
}

static void host_raise(BackendCtx *c, int32_t excp)
{
    store_exception(c, excp);
    exit_with(c, IR_EXIT_EXCEPTION);
}

static uint32_t host_exit_check(BackendCtx *c)
{
    a64_cpu_ldst(c, A64_LDR, 2, A64_REG_TMP, a64_state.env.exit_request_offset);
    return host_jump_fwd(c, A64_CC_CBNZ(A64_REG_TMP, false));
}

/* tier_count: the counter is an int32 at a (negative) offset from the cpu
 * state; at zero or below the block leaves through the exit-request stub. */
static uint32_t host_tier_count(BackendCtx *c, int32_t cpu_offset)
{
    BackendAsm *a = &c->a;
    if (a64_ldst_imm_ok(2, cpu_offset)) {
        a64_ldst_imm(a, A64_LDR, 2, A64_REG_TMP, A64_REG_CPU, cpu_offset);
        a64_addsub_imm(a, A64_SUBS, false, A64_REG_TMP, A64_REG_TMP, 1);
        a64_ldst_imm(a, A64_STR, 2, A64_REG_TMP, A64_REG_CPU, cpu_offset);
    } else {
        /* exec's counter lies below the cpu state: the offset once in x17 */
        a64_mov_imm(a, true, A64_REG_TMP2, (uint64_t)(int64_t)cpu_offset);
        a64_ldst_reg(a, A64_LDR, 2, A64_REG_TMP, A64_REG_CPU, A64_REG_TMP2, A64_UXTX, false);
        a64_addsub_imm(a, A64_SUBS, false, A64_REG_TMP, A64_REG_TMP, 1);
        a64_ldst_reg(a, A64_STR, 2, A64_REG_TMP, A64_REG_CPU, A64_REG_TMP2, A64_UXTX, false);
    }
    return host_jump_fwd(c, A64_LE);
}

static void host_exit_request_stub(BackendCtx *c)
{
    if (a64_state.exit_request_rx && bl_stub(c, a64_state.exit_request_rx))
        return;
    store_exception(c, IR_EXCP_EXIT_REQUEST);
    exit_with(c, IR_EXIT_EXCEPTION);
}

/* goto_tb: a B that initially branches to the next instruction (falls
 * through), retargeted by a64_patch_jump with one aligned store.  With a
 * code buffer larger than B's reach, the slot's veneer follows (skipped
 * by the unpatched B): `LDR x16, lit; BR x16; lit: .quad`, the literal
 * 8-byte aligned. */
static void host_goto_tb(BackendCtx *c, uint32_t *jmp_off, uint32_t *reset_off)
{
    BackendAsm *a = &c->a;
    *jmp_off = (uint32_t)backend_asm_offset(a);
    if (!a64_state.far_chain) {
        a64_b(a, a64_here(a) + 4);
        *reset_off = (uint32_t)backend_asm_offset(a);
        return;
    }
    a64_b(a, a64_here(a));                   /* over the veneer: patched below */
    if ((a64_here(a) + 8) & 7)
        a64_brk(a, 0);
    uintptr_t lit = a64_here(a) + 8;
    a64_ldr_literal(a, 3, false, A64_REG_TMP, lit);
    a64_br(a, A64_REG_TMP);
    a64_emit(a, 0);
    a64_emit(a, 0);
    *reset_off = (uint32_t)backend_asm_offset(a);
    if (!a->overflow)
        a64_patch_branch(a, *jmp_off, a64_here(a));
}

/* goto_tb followed by its exit, when exec makes the exit's store
 * (BackendBlock.exit_stores_by_exec, BackendHost.goto_tb_exit): the same
 * patchable B (and veneer) as goto_tb, falling into the exit (`bl
 * exit_pc[kind]`), without the store of the next pc (`movz/movk w16; str`,
 * 8 to 12 bytes) that only the unchained path ever ran.  Chained code is the
 * same one B either way: this saves code size, not time on the hot path. */
static void host_goto_tb_exit(BackendCtx *c, unsigned slot, unsigned kind)
{
    uint32_t jmp_off, reset_off;
    host_goto_tb(c, &jmp_off, &reset_off);
    c->out->jmp_insn_off[slot] = jmp_off;
    c->out->jmp_reset_off[slot] = reset_off;
    exit_with(c, kind);
}

/* goto_lookup: the shared fallback (a64-prologue.c) calls lookup_code and
 * branches to the code it finds; when there is none it returns here, and
 * the block exits with IR_EXIT_NOCHAIN. */
static void emit_goto_lookup(BackendCtx *c)
{
    ra_sync_globals(c);
    ra_drop_all(c);
    far_branch(c, a64_state.lookup_rx, true, EXT_BUFFER);
    exit_with(c, IR_EXIT_NOCHAIN);
}

/* Key part t into register r (an i32 zero-extended, the entry's form). */
static void key_to(BackendCtx *c, IRTemp t, int r)
{
    if (a64_is_const(c, t))
        a64_mov_imm(&c->a, true, r, a64_is_w64(c, t) ? a64_const_val(c, t) : (uint32_t)a64_const_val(c, t));
    else if (c->t[t].reg < 0)
        home_ldst(c, A64_LDR, r, t);
}

/* goto_lookup_pc: probe this cpu's jump cache inline (see BackendEnv) and
 * branch straight to the next block on a hit; on a miss fall back to the
 * lookup_code call:
 *     x0, x1, x2 = pc, cs_base, flags
 *     eor x3, x0, x0, lsr #2; eor x3, x3, x0, lsr #(2 + bits); and x3, #mask
 *     ldr x4, [x19, #jmp_cache]; add x4, x4, x3, lsl #log2(entry size)
 *     ldp/ldr and cmp the key words, b.ne miss; ldr x5, [x4, #code]; cbz x5, miss
 *     br x5
 * A constant pc's entry index is computed here. */
static void emit_goto_lookup_pc(BackendCtx *c, const IROp *op)
{
    const BackendEnv *e = &a64_state.env;
    uint32_t esize = e->jmp_cache_entry_size;
    if (!e->jmp_cache_bits || !esize || (esize & (esize - 1))) {
        emit_goto_lookup(c);
        return;
    }
    ra_sync_globals(c);
    BackendAsm *a = &c->a;
    IRTemp in[3] = { ir_op_in(op, 0), ir_op_in(op, 1), ir_op_in(op, 2) };   /* pc, cs_base, flags */
    BackendMove mv[3];
    unsigned n_mv = 0;
    for (unsigned i = 0; i < 3; i++)
        if (!a64_is_const(c, in[i]) && c->t[in[i]].reg >= 0)
            mv[n_mv++] = (BackendMove){ arg_regs[i], c->t[in[i]].reg };
    ra_parallel_moves(c, mv, n_mv);
    for (unsigned i = 0; i < 3; i++)
        key_to(c, in[i], arg_regs[i]);
    ra_drop_all(c);
    unsigned bits = e->jmp_cache_bits;
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    if (c->b->quick && a64_state.probe_entry_rx) {
        /* tier 0: the shared probe (a64-prologue.c) */
        if (a64_is_const(c, in[0])) {
            uint64_t v = a64_is_w64(c, in[0]) ? a64_const_val(c, in[0]) : (uint32_t)a64_const_val(c, in[0]);
            a64_mov_imm(a, true, A64_X3, ((v ^ (v >> 2) ^ (v >> (2 + bits))) & mask) * esize);
            far_branch(c, a64_state.probe_entry_rx, false, EXT_BUFFER);
        } else {
            far_branch(c, a64_state.probe_hash_rx, false, EXT_BUFFER);
        }
        return;
    }
    if (a64_is_const(c, in[0])) {
        uint64_t v = a64_is_w64(c, in[0]) ? a64_const_val(c, in[0]) : (uint32_t)a64_const_val(c, in[0]);
        uint64_t idx = (v ^ (v >> 2) ^ (v >> (2 + bits))) & mask;
        a64_cpu_ldst(c, A64_LDR, 3, A64_X4, e->jmp_cache_offset);
        a64_add_const(a, true, A64_X4, A64_X4, (int64_t)(idx * esize), A64_X3);
    } else {
        a64_logic_reg(a, A64_EOR, true, A64_X3, A64_X0, A64_X0, A64_LSR, 2);
        a64_logic_reg(a, A64_EOR, true, A64_X3, A64_X3, A64_X0, A64_LSR, 2 + bits);
        a64_logic_imm(a, A64_AND, true, A64_X3, A64_X3, mask);
        a64_cpu_ldst(c, A64_LDR, 3, A64_X4, e->jmp_cache_offset);
        a64_addsub_reg(a, A64_ADD, true, A64_X4, A64_X4, A64_X3, A64_LSL, (unsigned)__builtin_ctz(esize));
    }
    size_t miss[4];
    static const int key_reg[3] = { A64_X0, A64_X1, A64_X2 };
    uint32_t key_off[3] = { e->jmp_cache_pc_offset, e->jmp_cache_cs_base_offset, e->jmp_cache_flags_offset };
    for (int k = 0; k < 3; k++) {
        a64_ldst_imm(a, A64_LDR, 3, A64_X5, A64_X4, key_off[k]);
        a64_cmp_reg(a, true, A64_X5, key_reg[k]);
        miss[k] = backend_asm_offset(a);
        a64_b_cond(a, A64_NE, a64_here(a));
    }
    a64_ldst_imm(a, A64_LDR, 3, A64_X5, A64_X4, e->jmp_cache_code_offset);
    miss[3] = backend_asm_offset(a);
    a64_cbz(a, false, true, A64_X5, a64_here(a));
    a64_br(a, A64_X5);
    if (!a->overflow)
        for (int k = 0; k < 4; k++)
            a64_patch_branch(a, miss[k], a64_here(a));
    emit_goto_lookup(c);
}

static void host_goto_lookup(BackendCtx *c, const IROp *op)
{
    if (op->opc == IR_OP_goto_lookup_pc)
        emit_goto_lookup_pc(c, op);
    else
        emit_goto_lookup(c);
}

/* ---- helper calls (AAPCS64) ----------------------------------------------------- */

static void host_call_args(BackendCtx *c, const IROp *op, const IRHelper *h)
{
    unsigned first = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    if (op->n_in + first > 8) {
        fprintf(stderr, "vemu: aarch64 backend: helper %s has more than 8 arguments\n", h->name);
        abort();
    }
    /* Arguments already in registers: one parallel move. */
    BackendMove mv[8];
    unsigned n = 0;
    for (unsigned i = 0; i < op->n_in; i++) {
        IRTemp t = ir_op_in(op, i);
        if (!a64_is_const(c, t) && c->t[t].reg >= 0)
            mv[n++] = (BackendMove){ arg_regs[first + i], c->t[t].reg };
    }
    ra_parallel_moves(c, mv, n);
    /* The others from memory or as immediates. */
    for (unsigned i = 0; i < op->n_in; i++) {
        IRTemp t = ir_op_in(op, i);
        int dst = arg_regs[first + i];
        if (a64_is_const(c, t))
            a64_mov_imm(&c->a, a64_is_w64(c, t), dst, a64_const_val(c, t));
        else if (c->t[t].reg < 0)
            home_ldst(c, A64_LDR, dst, t);
    }
    if (first)
        a64_mov_rr(&c->a, true, A64_X0, A64_REG_CPU);
}

static int host_call_emit(BackendCtx *c, const IROp *op, const IRHelper *h)
{
    /* BL: the return address lies in the guest instruction's code, as a
     * faulting helper's exit needs */
    a64_call(c, (uintptr_t)h->fn);
    if (!op->n_out)
        return -1;
    if (!a64_is_w64(c, ir_op_out(op, 0)))
        a64_mov_rr(&c->a, false, A64_X0, A64_X0);   /* AAPCS64 leaves bits 63..32 undefined */
    return A64_X0;
}

/* ---- ops ------------------------------------------------------------------------ */

static __thread struct BackendHostCtx tls_host_ctx;

static void host_begin_block(BackendCtx *c)
{
    c->h = &tls_host_ctx;
    c->h->n_exits = 0;
    c->h->addr_t = IR_TEMP_NONE;
    c->h->addr_base = IR_TEMP_NONE;
    c->h->addr_disp = 0;
    c->h->addr_base_dies = false;
}

static bool host_emit_op(BackendCtx *c, const IROp *op)
{
    return a64_emit_alu(c, op) || a64_emit_mem(c, op) || a64_emit_fp(c, op);
}

const BackendHost a64_host = {
    .name = "aarch64",
    .n_regs = A64_N_REGS,
    .alloc_regs = A64_ALLOC_REGS,
    .caller_saved = A64_CALLER_SAVED,
    .n_spill_slots = A64_SPILL_SLOTS,
    .max_op_size = OP_ROOM,
    .code_align = 16,
    .pad_byte = 0,                           /* 0x00000000 is UDF #0 */
    .mov = host_mov,
    .xchg = host_xchg,
    .movi = host_movi,
    .load = host_load,
    .store = host_store,
    .invert_cond = host_invert_cond,
    .jump = host_jump,
    .jump_fwd = host_jump_fwd,
    .patch = host_patch,
    .compare = a64_compare,
    .begin_block = host_begin_block,
    .fold_op = a64_fold_op,
    .emit_op = host_emit_op,
    .call_args = host_call_args,
    .call_emit = host_call_emit,
    .exit_tb = host_exit_tb,
    .raise = host_raise,
    .exit_check = host_exit_check,
    .tier_count = host_tier_count,
    .exit_request_stub = host_exit_request_stub,
    .goto_tb = host_goto_tb,
    .goto_tb_exit = host_goto_tb_exit,
    .goto_lookup = host_goto_lookup,
};
