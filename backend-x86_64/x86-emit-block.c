/*
 * x86-emit-block.c — the x86_64 host as the backend core drives it
 * (x86_host, a BackendHost): register moves and memory homes, compares and
 * jumps, the SysV helper-call sequence, the block exits with the inline
 * jump-cache probe, and the tracking of the host flags between ops.  The
 * op loop, labels, loops and the allocator are in backend/.
 *
 * Exits leave with rax = tb_tag | IRExitKind through the epilogue written
 * by init().  goto_tb emits a `jmp rel32` that initially jumps to the next
 * instruction (falls through) and whose displacement is 4-byte aligned so
 * patch_jump can retarget it with one atomic store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86-internal.h"

/* No op needs more code than this (a call saving 12 registers and moving
 * 6 arguments is about 200 bytes); checked before each op. */
#define OP_ROOM 1024

/* A short forward jump's handle: its rel8's offset with this bit set. */
#define HANDLE_REL8 0x80000000u

static const int arg_regs[6] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9 };

/* ---- registers and memory homes --------------------------------------------- */

X86Mem ra_home(X86Ctx *c, IRTemp t)
{
    const IRTempInfo *ti = &c->b->temps[t];
    if (ti->kind == IR_TEMP_GLOBAL)
        return x86_cpu_mem(ti->offset);
    return x86_mem(X86_RSP, ra_slot(c, t) * 8);
}

/* Whole registers: an i32 value's clear upper half moves with it. */
static void host_mov(X86Ctx *c, int dst, int src) { x86_mov_rr(&c->a, true, dst, src); }
static void host_xchg(X86Ctx *c, int r1, int r2) { x86_xchg_rr(&c->a, true, r1, r2); }
static void host_movi(X86Ctx *c, bool w64, int r, uint64_t v) { x86_mov_ri(&c->a, w64, r, v); }
static void host_load(X86Ctx *c, int r, IRTemp t)
{
    /* a 4-byte load into a 32-bit register zero-extends: the i32 invariant */
    x86_load(&c->a, ra_is_w64(c, t) ? 8 : 4, false, ra_is_w64(c, t), r, ra_home(c, t));
}
static void host_store(X86Ctx *c, int r, IRTemp t)
{
    x86_store(&c->a, ra_is_w64(c, t) ? 8 : 4, r, ra_home(c, t));
}

/* ---- control flow inside the block ----------------------------------------- */

static int host_invert_cond(int cc) { return (int)x86_cond_invert((X86Cond)cc); }

static void host_jump(X86Ctx *c, int cc, uintptr_t target)
{
    if (cc < 0)
        x86_jmp(&c->a, target);
    else
        x86_jcc(&c->a, (X86Cond)cc, target);
}

/* The handle is the offset of the rel32 displacement. */
static uint32_t host_jump_fwd(X86Ctx *c, int cc)
{
    size_t disp = cc < 0 ? x86_jmp_rel32(&c->a, 0) : x86_jcc_rel32(&c->a, (X86Cond)cc, 0);
    return (uint32_t)disp;
}


static uint32_t host_jump_fwd_near(X86Ctx *c, int cc)
{
    size_t disp = cc < 0 ? x86_jmp_rel8(&c->a) : x86_jcc_rel8(&c->a, (X86Cond)cc);
    return (uint32_t)disp | HANDLE_REL8;
}

static void host_patch(X86Ctx *c, uint32_t handle, uintptr_t target)
{
    if (c->a.overflow)
        return;
    if (!(handle & HANDLE_REL8)) {
        x86_patch_rel32(&c->a, handle, target);
    } else if (!x86_patch_rel8(&c->a, handle & ~HANDLE_REL8, target)) {
        c->near_missed = true;      /* the core emits the block again */
    }
}

static int host_compare(X86Ctx *c, IRCond cond, IRTemp a, IRTemp b)
{
    X86Cmp k;
    bool known;
    if (!x86_cmp_prep(c, cond, a, b, &k, &known))
        return known ? BACKEND_CC_ALWAYS : BACKEND_CC_NEVER;
    return (int)x86_cmp_emit(c, &k);
}

/* ---- exits ------------------------------------------------------------------
 *
 * Every exit leaves with rax = tb_tag | kind.  The tag, a 64-bit host
 * address, is written once per block, in its exit tail at the end:
 *
 *     T:  call tail_tag              ; pops its return address T + 5 ...
 *         dd tb_tag - (T + 9)        ; ... and adds this: rax = tb_tag; epilogue_cl
 *
 * (or, when the tag is not within rel32 of T, `lea rax, [rip + tb_tag]`
 * / mov eax / movabs and `jmp epilogue_cl`; epilogue_cl is `or al, cl`
 * and the epilogue, x86-prologue.c)
 *
 * and an exit is `mov cl, kind; jmp T` (4 or 7 bytes instead of a 15-byte
 * movabs + jmp each).  The jump is a rel32 patched when T is placed, or a
 * jmp rel8 to the previous exit's rel32 jump when that is near, or nothing
 * when the exit is the block's last op (it falls into T).  Stubs after T
 * (the exit-request stub) jump back to it. */

static void tail_fixup(X86Ctx *c, uint32_t handle)
{
    struct BackendHostCtx *h = c->h;
    if (h->n_tail_fix == h->cap_tail_fix) {
        h->cap_tail_fix = h->cap_tail_fix ? 2 * h->cap_tail_fix : 16;
        h->tail_fix = backend_grow(h->tail_fix, h->cap_tail_fix * sizeof(*h->tail_fix));
    }
    h->tail_fix[h->n_tail_fix++] = handle;
}

/* may_fall: the exit may fall into the tail when it is the block's last
 * op; kind_set: cl already holds the kind (goto_tb_pre_exit). */
static void exit_to_tail(X86Ctx *c, unsigned kind, bool may_fall, bool kind_set)
{
    struct BackendHostCtx *h = c->h;
    X86Asm *a = &c->a;
    if (!kind_set)
        x86_mov_r8i(a, X86_RCX, (uint8_t)kind);
    if (h->tail_rx) {            /* a stub after the tail, or the tail at the block's start */
        uintptr_t here = x86_rx_here(a);
        if (here + 2 - h->tail_rx > 128 && h->tail_jmp_rx && here + 2 - h->tail_jmp_rx <= 128) {
            x86_jmp(a, h->tail_jmp_rx);          /* jmp rel8 to a jmp rel32 T */
            return;
        }
        if (here + 2 - h->tail_rx > 128)
            h->tail_jmp_rx = here;
        x86_jmp(a, h->tail_rx);
        return;
    }
    if (may_fall && c->op_index + 1 == c->b->n_ops) {   /* the tail comes next */
        h->tail_next = true;
        return;
    }
    if (h->tail_jmp_rx && x86_rx_here(a) + 2 - h->tail_jmp_rx <= 128) {
        x86_jmp(a, h->tail_jmp_rx);              /* jmp rel8 to a jmp rel32 T */
        return;
    }
    h->tail_jmp_rx = x86_rx_here(a);
    tail_fixup(c, (uint32_t)x86_jmp_rel32(a, 0));
}

static void exit_with(X86Ctx *c, unsigned kind) { exit_to_tail(c, kind, true, false); }

/* The block's exit tail, here. */
static void emit_tail(X86Ctx *c)
{
    struct BackendHostCtx *h = c->h;
    X86Asm *a = &c->a;
    h->tail_rx = x86_rx_here(a);
    /* call tail_tag; dd tb_tag - end of the field: 9 bytes where the
     * lea + jmp take 12 (the shared code turns the return address into the
     * tag; the field is the same PC-relative reference the lea holds) */
    int64_t to_tag = (int64_t)(c->out->tb_tag - (h->tail_rx + 9));
    int64_t to_shared = (int64_t)(x86_state.tail_tag_rx - (h->tail_rx + 5));
    int64_t to_pc = (int64_t)(x86_state.tail_pc_rx - (h->tail_rx + 5));
    if (x86_state.tail_pc_rx && to_pc == (int32_t)to_pc) {
        /* exec finds the block from the return address: 5 bytes */
        x86_call(a, x86_state.tail_pc_rx, X86_REG_SCRATCH);
    } else if (x86_state.tail_tag_rx && c->out->tb_tag != (uint32_t)c->out->tb_tag && to_tag == (int32_t)to_tag &&
        to_shared == (int32_t)to_shared) {
        x86_call(a, x86_state.tail_tag_rx, X86_REG_SCRATCH);
        backend_reloc_note(a->relocs, x86_offset(a), BACKEND_RELOC_REL32);
        x86_u32(a, (uint32_t)(int32_t)to_tag);
    } else {
        x86_mov_addr(a, X86_RAX, c->out->tb_tag);
        x86_jmp(a, x86_state.epilogue_cl_rx);
    }
    if (!a->overflow)
        for (unsigned i = 0; i < h->n_tail_fix; i++)
            x86_patch_rel32(a, h->tail_fix[i], h->tail_rx);
    for (unsigned s = 0; s < 2; s++)
        if (h->reset_at_tail & 1u << s)
            c->out->jmp_reset_off[s] = (uint32_t)(h->tail_rx - a->rx_start);
}

static void host_end_block(X86Ctx *c, bool stubs_follow)
{
    struct BackendHostCtx *h = c->h;
    if (h->tail_rx)              /* placed after the block's leading checks */
        return;
    if (!h->tail_next && !h->n_tail_fix && !stubs_follow)
        return;
    if (stubs_follow && !h->tail_next) {
        /* the exit-request stub falls into the tail: 2 bytes less than
         * `mov cl, 7; jmp T` after it */
        c->exit_stub_rx = x86_rx_here(&c->a);
        x86_mov_r8i(&c->a, X86_RCX, IR_EXIT_EXCEPTION | X86_EXIT_REQUEST_FLAG);
    }
    emit_tail(c);
}

static void host_exit_tb(X86Ctx *c, unsigned kind)
{
    exit_to_tail(c, kind, true, c->h->pre_kind_op == c->op_index);
}

static void host_raise(X86Ctx *c, int32_t excp)
{
    x86_store_imm(&c->a, 4, excp, x86_cpu_mem(x86_state.env.exception_index_offset));
    exit_with(c, IR_EXIT_EXCEPTION);
}

/* The jump of exit_check / tier_count taken on condition cc: to the stub
 * (forward, or backward once the core placed it inline), or over the
 * inline stub when the condition does not hold (exit_check_skip). */
static uint32_t check_jump(X86Ctx *c, X86Cond cc)
{
    if (c->exit_check_skip)
        return (uint32_t)x86_jcc_rel8(&c->a, x86_cond_invert(cc)) | HANDLE_REL8;
    if (c->exit_stub_rx) {
        x86_jcc(&c->a, cc, c->exit_stub_rx);
        return UINT32_MAX;
    }
    if (c->exit_check_near || c->exit_stub_inline)
        return (uint32_t)x86_jcc_rel8(&c->a, cc) | HANDLE_REL8;
    return (uint32_t)x86_jcc_rel32(&c->a, cc, 0);
}

static uint32_t host_exit_check(X86Ctx *c)
{
    x86_alu_mi(&c->a, X86_CMP, false, x86_cpu_mem(x86_state.env.exit_request_offset), 0);
    return check_jump(c, X86_CC_NE);
}

/* tier_count: the counter is an int32 at a (negative) offset from the cpu
 * state; at zero or below the block leaves through the exit-request stub. */
static uint32_t host_tier_count(X86Ctx *c, int32_t cpu_offset)
{
    /* dec, not sub 1: a byte shorter, and jle reads only ZF, SF, OF */
    x86_dec_m(&c->a, false, x86_mem(X86_REG_CPU, cpu_offset - x86_state.cpu_bias));
    return check_jump(c, X86_CC_LE);
}

/* The shared epilogue_cl stores IR_EXCP_EXIT_REQUEST for this kind: the
 * block's stub is then 4 bytes (mov cl; jmp rel8 back to the tail). */
static void host_exit_request_stub(X86Ctx *c)
{
    if (c->exit_stub_inline && !c->h->tail_rx) {
        /* placed after the block's leading checks: the block's exit tail
         * follows it there (the exits jump back to it), 5 bytes less than
         * a jump from here to a tail at the end */
        x86_mov_r8i(&c->a, X86_RCX, IR_EXIT_EXCEPTION | X86_EXIT_REQUEST_FLAG);
        emit_tail(c);
        return;
    }
    exit_to_tail(c, IR_EXIT_EXCEPTION | X86_EXIT_REQUEST_FLAG, true, false);
}

/* Is op `G = mov $imm` into a global, storable as an immediate? */
static bool const_global_store(const X86Ctx *c, const IROp *op, int32_t *imm)
{
    return op->opc == IR_OP_mov && c->b->temps[ir_op_out(op, 0)].kind == IR_TEMP_GLOBAL &&
           x86_imm_of(c, ir_op_in(op, 0), imm);
}

/* Tier 0: the jmp's rel32 must be 4-byte aligned.  Rather than nops,
 * move the exit that follows (constant stores to globals, then
 * `exit_tb kind`) partly before the jmp: its stores, its `mov cl, kind`
 * or both, whichever leaves no padding.  They then also run when the jump
 * is chained, which changes nothing: chaining skips them, so exec's
 * contract already makes them state that the chained-to block implies
 * (the pc of where it starts); storing them on that path as well stores
 * what holds there anyway.  Returns the bytes of padding still needed. */
static unsigned goto_tb_pre_exit(X86Ctx *c, unsigned pad)
{
    struct BackendHostCtx *h = c->h;
    const IRBlock *b = c->b;
    if (!b->quick || !pad)
        return pad;
    unsigned i = c->op_index + 1, n_st = 0;
    int32_t imm = 0;
    size_t st_bytes = 0;
    while (i < b->n_ops && n_st < 2 && const_global_store(c, &b->ops[i], &imm)) {
        uint8_t tmp[16];
        X86Asm t;
        x86_asm_init(&t, tmp, 0, sizeof(tmp));
        IRTemp g = ir_op_out(&b->ops[i], 0);
        x86_store_imm(&t, ra_is_w64(c, g) ? 8 : 4, imm, ra_home(c, g));
        st_bytes += x86_offset(&t);
        n_st++;
        i++;
    }
    if (i >= b->n_ops || b->ops[i].opc != IR_OP_exit_tb)
        return pad;
    /* candidates: the stores, mov cl, both; the first that aligns */
    size_t pre[3] = { st_bytes, 2, st_bytes + 2 };
    uintptr_t here = x86_rx_here(&c->a);
    for (int k = 0; k < 3; k++) {
        if ((k != 1 && !n_st) || ((here + pre[k] + 1) & 3))
            continue;
        if (k != 1) {
            for (unsigned j = c->op_index + 1; j < c->op_index + 1 + n_st; j++) {
                IRTemp g = ir_op_out(&b->ops[j], 0);
                x86_imm_of(c, ir_op_in(&b->ops[j], 0), &imm);
                if (c->t[g].reg >= 0)
                    ra_unbind(c, c->t[g].reg);
                x86_store_imm(&c->a, ra_is_w64(c, g) ? 8 : 4, imm, ra_home(c, g));
                c->t[g].mem_ok = true;
            }
            h->pre_stores_end = c->op_index + 1 + n_st;
        }
        if (k != 0) {
            x86_mov_r8i(&c->a, X86_RCX, (uint8_t)ir_op_const(&b->ops[i], 0));
            h->pre_kind_op = i;
        }
        return 0;
    }
    return pad;
}

static void host_goto_tb(X86Ctx *c, uint32_t *jmp_off, uint32_t *reset_off)
{
    unsigned pad = goto_tb_pre_exit(c, (unsigned)(-(x86_rx_here(&c->a) + 1) & 3));
    x86_nops(&c->a, pad);
    *jmp_off = (uint32_t)x86_offset(&c->a);
    x86_byte(&c->a, 0xe9);
    x86_u32(&c->a, 0);                       /* unpatched: falls through */
    *reset_off = (uint32_t)x86_offset(&c->a);
}

/* goto_tb whose exit's store exec makes (BackendBlock.exit_stores_by_exec):
 *     mov cl, kind      ; 2 bytes (3 to 5 so that the rel32 stays in one line)
 *     jmp rel32 T       ; patched by chaining; unpatched: the exit tail
 * instead of padding, the jmp, the store and `mov cl, kind; jmp T` (the
 * `mov cl` also runs on the chained path, where rcx is dead). */
static void host_goto_tb_exit(X86Ctx *c, unsigned slot, unsigned kind)
{
    struct BackendHostCtx *h = c->h;
    X86Asm *a = &c->a;
    /* The rel32 must not cross a 64-byte line (x86_patch_jump: a store
     * within one cache line is atomic, for data and for instruction fetch;
     * HotSpot patches its calls under the same rule): the `mov cl` takes
     * 3 to 5 bytes in the 3 of 64 places where 2 would put it across. */
    unsigned n = 2, at = (unsigned)((x86_rx_here(a) + 3) & 63);
    if (at > 60)
        n = 2 + (64 - at);
    switch (n) {
    case 2: x86_byte(a, 0xb1); break;                                        /* mov cl, imm8 */
    case 3: x86_byte(a, 0x40); x86_byte(a, 0xb1); break;                     /* rex mov cl, imm8 */
    case 4: x86_byte(a, 0x40); x86_byte(a, 0xc6); x86_byte(a, 0xc1); break;  /* rex mov cl, imm8 (C6 /0) */
    default: x86_byte(a, 0xb9); break;                                       /* mov ecx, imm32 */
    }
    x86_byte(a, (uint8_t)kind);
    if (n == 5)
        for (int k = 0; k < 3; k++)
            x86_byte(a, 0);
    c->out->jmp_insn_off[slot] = (uint32_t)x86_offset(a);
    if (h->tail_rx) {
        x86_jmp_rel32(a, h->tail_rx);
        c->out->jmp_reset_off[slot] = (uint32_t)(h->tail_rx - a->rx_start);
    } else {
        tail_fixup(c, (uint32_t)x86_jmp_rel32(a, 0));
        h->reset_at_tail |= 1u << slot;
    }
}

/* goto_lookup: the shared fallback (x86-prologue.c) calls lookup_code and
 * jumps to the code it finds; when there is none it returns here, and the
 * block exits with IR_EXIT_NOCHAIN. */
static void emit_goto_lookup(X86Ctx *c)
{
    ra_sync_globals(c);
    x86_call(&c->a, x86_state.lookup_rx, X86_REG_SCRATCH);
    exit_with(c, IR_EXIT_NOCHAIN);
}

/* goto_lookup_pc in a tier-0 block: the key in rax, rcx, rdi and a jump to
 * the shared probe (x86-prologue.c), 10 to 20 bytes.  Tier-0 code runs a
 * thousand times at most, so the shared indirect jump, predicted less well
 * than one per block, costs little; hot blocks get the inline probe. */
static void emit_goto_lookup_pc_shared(X86Ctx *c, const IROp *op)
{
    const BackendEnv *e = &x86_state.env;
    X86Asm *a = &c->a;
    IRTemp in[3] = { ir_op_in(op, 0), ir_op_in(op, 2), ir_op_in(op, 1) };   /* pc, flags, cs_base */
    static const int in_reg[3] = { X86_RAX, X86_RCX, X86_RDI };
    BackendMove mv[3];
    unsigned n_mv = 0;
    for (unsigned i = 0; i < 3; i++)
        if (!x86_is_const(c, in[i]) && c->t[in[i]].reg >= 0)
            mv[n_mv++] = (BackendMove){ in_reg[i], c->t[in[i]].reg };
    ra_parallel_moves(c, mv, n_mv);
    for (unsigned i = 0; i < 3; i++) {
        bool w64 = ra_is_w64(c, in[i]);
        if (x86_is_const(c, in[i])) {
            uint64_t v = x86_const_val(c, in[i]);
            if (!w64)
                v = (uint32_t)v;
            if (v == 0)
                x86_alu_rr(a, X86_XOR, false, in_reg[i], in_reg[i]);
            else
                x86_mov_ri(a, w64, in_reg[i], v);
        } else if (c->t[in[i]].reg < 0) {
            x86_load(a, w64 ? 8 : 4, false, w64, in_reg[i], ra_home(c, in[i]));
        }
    }
    ra_drop_all(c);
    IRTemp pc = in[0];
    bool pc64 = ra_is_w64(c, pc);
    unsigned bits = e->jmp_cache_bits;
    if (x86_is_const(c, pc)) {
        uint64_t v = x86_const_val(c, pc);
        if (!pc64)
            v = (uint32_t)v;
        uint64_t idx = (v ^ (v >> 2) ^ (v >> (2 + bits))) & ((1u << bits) - 1);
        if (idx)
            x86_mov_ri(a, false, X86_RDX, idx * e->jmp_cache_entry_size);
        else
            x86_alu_rr(a, X86_XOR, false, X86_RDX, X86_RDX);
        x86_jmp_rel32(a, x86_state.probe_entry_rx);
    } else {
        x86_jmp_rel32(a, x86_state.probe_hash_rx[pc64 && 2 * bits + 2 > 32]);
    }
}

/* goto_lookup_pc: probe this cpu's jump cache inline (see BackendEnv) and
 * jump straight to the next block on a hit; on a miss fall back to the
 * lookup_code call.  About a dozen instructions instead of a C call. */
static void emit_goto_lookup_pc(X86Ctx *c, const IROp *op)
{
    const BackendEnv *e = &x86_state.env;
    uint32_t esize = e->jmp_cache_entry_size;
    if (!e->jmp_cache_bits || !esize || (esize & (esize - 1))) {
        emit_goto_lookup(c);
        return;
    }
    ra_sync_globals(c);
    if (c->b->quick && x86_state.probe_entry_rx) {
        emit_goto_lookup_pc_shared(c, op);
        return;
    }
    IRTemp pc = ir_op_in(op, 0), cs_base = ir_op_in(op, 1), flags = ir_op_in(op, 2);
    /* Leaving the block: every register is ours, inputs copied first.  A
     * key part that is a constant fitting a sign-extended imm32 (ARM's
     * cs_base 0 and its flags) is compared as an immediate. */
    int32_t cs_imm = 0, flags_imm = 0;
    bool cs_is_imm = x86_is_const(c, cs_base) && x86_imm_of(c, cs_base, &cs_imm) &&
                     (ra_is_w64(c, cs_base) || cs_imm >= 0);
    bool flags_is_imm = x86_is_const(c, flags) && x86_imm_of(c, flags, &flags_imm);
    /* The block ends here and the globals are in memory: only the key's
     * values matter.  They go to rax, rcx, rdi with one parallel move
     * (the rest from memory or as immediates); the allocator then forgets
     * every register. */
    /* A constant pc (a direct branch that cannot chain) is hashed here. */
    bool pc_is_const = x86_is_const(c, pc);
    IRTemp in[3] = { pc_is_const ? IR_TEMP_NONE : pc, flags_is_imm ? IR_TEMP_NONE : flags,
                     cs_is_imm ? IR_TEMP_NONE : cs_base };
    static const int in_reg[3] = { X86_RAX, X86_RCX, X86_RDI };
    BackendMove mv[3];
    unsigned n_mv = 0;
    for (unsigned i = 0; i < 3; i++)
        if (in[i] != IR_TEMP_NONE && !x86_is_const(c, in[i]) && c->t[in[i]].reg >= 0)
            mv[n_mv++] = (BackendMove){ in_reg[i], c->t[in[i]].reg };
    ra_parallel_moves(c, mv, n_mv);
    for (unsigned i = 0; i < 3; i++) {
        if (in[i] == IR_TEMP_NONE)
            continue;
        if (x86_is_const(c, in[i]))
            x86_mov_ri(&c->a, ra_is_w64(c, in[i]), in_reg[i], x86_const_val(c, in[i]));
        else if (c->t[in[i]].reg < 0)
            x86_load(&c->a, ra_is_w64(c, in[i]) ? 8 : 4, false, ra_is_w64(c, in[i]), in_reg[i], ra_home(c, in[i]));
    }
    ra_drop_all(c);
    bool pc64 = ra_is_w64(c, pc);
    X86Asm *a = &c->a;
    unsigned bits = e->jmp_cache_bits;
    /* entry = jc + ((pc ^ (pc >> 2) ^ (pc >> (2 + bits))) & mask) * esize;
     * only the low `bits` bits matter, which 32-bit shifts compute from a
     * 64-bit pc as long as 2 * bits + 2 <= 32 */
    bool w = pc64 && 2 * bits + 2 > 32;
    if (pc_is_const) {
        /* rdx = the entry, found now: about 20 bytes shorter than the hash */
        uint64_t v = x86_const_val(c, pc);
        if (!pc64)
            v = (uint32_t)v;
        uint64_t idx = (v ^ (v >> 2) ^ (v >> (2 + bits))) & ((1u << bits) - 1);
        x86_load(a, 8, false, true, X86_RDX, x86_cpu_mem(e->jmp_cache_offset));
        if (idx)
            x86_lea(a, true, X86_RDX, x86_mem(X86_RDX, (int32_t)(idx * esize)));
        X86Mem pm = x86_mem(X86_RDX, (int32_t)e->jmp_cache_pc_offset);
        if (v <= INT32_MAX) {
            x86_alu_mi(a, X86_CMP, true, pm, (int32_t)v);
        } else {
            x86_mov_ri(a, true, X86_RAX, v);
            x86_alu_rm(a, X86_CMP, true, X86_RAX, pm);
        }
    } else {
        x86_mov_rr(a, w, X86_RDX, X86_RAX);
        x86_shift_ri(a, X86_SHR, w, X86_RDX, 2);
        x86_alu_rr(a, X86_XOR, w, X86_RDX, X86_RAX);
        x86_mov_rr(a, w, X86_RSI, X86_RAX);
        x86_shift_ri(a, X86_SHR, w, X86_RSI, 2 + bits);
        x86_alu_rr(a, X86_XOR, false, X86_RDX, X86_RSI);
        x86_alu_ri(a, X86_AND, false, X86_RDX, (int32_t)((1u << bits) - 1));
        x86_shift_ri(a, X86_SHL, false, X86_RDX, (unsigned)__builtin_ctz(esize));
        x86_alu_rm(a, X86_ADD, true, X86_RDX, x86_cpu_mem(e->jmp_cache_offset));
        if (!pc64)
            x86_mov_rr(a, false, X86_RAX, X86_RAX);   /* zero-extend for the 64-bit compare */
        x86_alu_rm(a, X86_CMP, true, X86_RAX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_pc_offset));
    }
    size_t miss1 = x86_jcc_rel8(a, X86_CC_NE);
    X86Mem fm = x86_mem(X86_RDX, (int32_t)e->jmp_cache_flags_offset);
    if (flags_is_imm)
        x86_alu_mi(a, X86_CMP, true, fm, flags_imm);
    else
        x86_alu_rm(a, X86_CMP, true, X86_RCX, fm);
    size_t miss2 = x86_jcc_rel8(a, X86_CC_NE);
    X86Mem cm = x86_mem(X86_RDX, (int32_t)e->jmp_cache_cs_base_offset);
    if (cs_is_imm)
        x86_alu_mi(a, X86_CMP, true, cm, cs_imm);
    else
        x86_alu_rm(a, X86_CMP, true, X86_RDI, cm);   /* an i32 cs_base is zero-extended */
    size_t miss3 = x86_jcc_rel8(a, X86_CC_NE);
    x86_load(a, 8, false, true, X86_RDX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_code_offset));
    x86_test_rr(a, true, X86_RDX, X86_RDX);
    size_t miss4 = x86_jcc_rel8(a, X86_CC_E);
    x86_jmp_r(a, X86_RDX);
    /* the misses jump over at most four compares and a load: rel8 */
    uintptr_t miss = x86_rx_here(a);
    if (!a->overflow && !(x86_patch_rel8(a, miss1, miss) && x86_patch_rel8(a, miss2, miss) &&
                          x86_patch_rel8(a, miss3, miss) && x86_patch_rel8(a, miss4, miss))) {
        fprintf(stderr, "vemu: x86_64 backend: jump-cache probe longer than a rel8 reaches\n");
        abort();
    }
    emit_goto_lookup(c);
}

static void host_goto_lookup(X86Ctx *c, const IROp *op)
{
    if (op->opc == IR_OP_goto_lookup_pc)
        emit_goto_lookup_pc(c, op);
    else
        emit_goto_lookup(c);
}

/* ---- helper calls (SysV) -------------------------------------------------------- */

static bool call_stack_arg(const IROp *op, const IRHelper *h)
{
    /* The env pointer plus 6 arguments: the last goes on the stack. */
    return op->n_in + ((h->flags & IR_HELPER_PASS_ENV) ? 1 : 0) > 6;
}

static void host_call_args(X86Ctx *c, const IROp *op, const IRHelper *h)
{
    unsigned first = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    bool stack_arg = call_stack_arg(op, h);
    unsigned nin = stack_arg ? 6 - first : op->n_in;
    if (stack_arg) {
        /* The stack argument waits in r11 (no argument register, untouched
         * by the moves below), fetched before its register is overwritten
         * and before rsp (the base of the spill slots) moves. */
        IRTemp t = ir_op_in(op, nin);
        if (x86_is_const(c, t))
            x86_mov_ri(&c->a, ra_is_w64(c, t), X86_REG_SCRATCH, x86_const_val(c, t));
        else if (c->t[t].reg >= 0)
            x86_mov_rr(&c->a, true, X86_REG_SCRATCH, c->t[t].reg);
        else
            x86_load(&c->a, ra_is_w64(c, t) ? 8 : 4, false, false, X86_REG_SCRATCH, ra_home(c, t));
    }
    /* Arguments already in registers: one parallel move. */
    BackendMove mv[6];
    unsigned n = 0;
    for (unsigned i = 0; i < nin; i++) {
        IRTemp t = ir_op_in(op, i);
        if (!x86_is_const(c, t) && c->t[t].reg >= 0)
            mv[n++] = (BackendMove){ arg_regs[first + i], c->t[t].reg };
    }
    ra_parallel_moves(c, mv, n);
    /* The others from memory or as immediates. */
    for (unsigned i = 0; i < nin; i++) {
        IRTemp t = ir_op_in(op, i);
        int dst = arg_regs[first + i];
        if (x86_is_const(c, t))
            x86_mov_ri(&c->a, ra_is_w64(c, t), dst, x86_const_val(c, t));
        else if (c->t[t].reg < 0)
            x86_load(&c->a, ra_is_w64(c, t) ? 8 : 4, false, false, dst, ra_home(c, t));
    }
    if (first)
        x86_cpu_ptr(&c->a, X86_RDI);
    if (stack_arg) {
        x86_alu_ri(&c->a, X86_SUB, true, X86_RSP, 8);   /* keep rsp 16-aligned at the call */
        x86_push(&c->a, X86_REG_SCRATCH);
    }
}

static int host_call_emit(X86Ctx *c, const IROp *op, const IRHelper *h)
{
    x86_call(&c->a, (uintptr_t)h->fn, X86_REG_SCRATCH);
    if (call_stack_arg(op, h))
        x86_alu_ri(&c->a, X86_ADD, true, X86_RSP, 16);
    if (!op->n_out)
        return -1;
    if (!ra_is_w64(c, ir_op_out(op, 0)))
        x86_mov_rr(&c->a, false, X86_RAX, X86_RAX);   /* ABI leaves bits 63..32 undefined */
    return X86_RAX;
}

/* ---- ops and host flags ------------------------------------------------------ */

static __thread struct BackendHostCtx tls_host_ctx;

static void host_begin_block(X86Ctx *c)
{
    c->h = &tls_host_ctx;
    c->h->flags_valid = false;
    c->h->addr_t = IR_TEMP_NONE;
    c->h->idx_t = IR_TEMP_NONE;
    c->h->n_tail_fix = 0;
    c->h->tail_rx = c->h->tail_jmp_rx = 0;
    c->h->tail_next = false;
    c->h->pre_stores_end = 0;
    c->h->pre_kind_op = UINT32_MAX;
    c->h->reset_at_tail = 0;
}

static bool host_fold_op(X86Ctx *c, const IROp *op, const IROp *next)
{
    if (c->op_index < c->h->pre_stores_end)
        return true;                /* stored before goto_tb's jmp */
    return x86_defer_address_add(c, op, next) || x86_defer_scaled_shift(c, op, next);
}

static bool host_emit_op(X86Ctx *c, const IROp *op)
{
    return x86_emit_alu(c, op) || x86_emit_mem(c, op) || x86_emit_fp(c, op) || x86_emit_x87(c, op);
}

/* Ops whose code never changes the host flags except by a compare that
 * x86_cmp_emit() records (moves, stores, loads, setcc, cmov, jcc). */
static bool keeps_flags(const IROp *op)
{
    switch ((IROpcode)op->opc) {
    case IR_OP_mov: case IR_OP_setcond: case IR_OP_movcond: case IR_OP_brcond:
    case IR_OP_insn_start: case IR_OP_discard: case IR_OP_nop:
        return true;
    default:
        return false;
    }
}

static void host_after_op(X86Ctx *c, const IROp *op)
{
    if (c->h->flags_valid && c->h->flags_from_result && c->h->flags_op == c->op_index)
        return;                     /* this and/or/xor set them from its own result */
    if (!keeps_flags(op)) {
        c->h->flags_valid = false;
        return;
    }
    for (unsigned k = 0; k < op->n_out; k++)
        if (ir_op_out(op, k) == c->h->flags_ta || ir_op_out(op, k) == c->h->flags_tb)
            c->h->flags_valid = false;
    if (op->opc == IR_OP_discard)
        c->h->flags_valid = false;     /* cheap and rare: forget */
}


const BackendHost x86_host = {
    .name = "x86_64",
    .n_regs = X86_N_REGS,
    .alloc_regs = X86_ALLOC_REGS,
    .caller_saved = X86_CALLER_SAVED,
    .n_spill_slots = X86_SPILL_SLOTS,
    .short_regs = 0xff,                      /* rax..rdi: no REX prefix */
    .max_op_size = OP_ROOM,
    .code_align = 16,
    .pad_byte = 0xcc,                        /* int3 */
    .mov = host_mov,
    .xchg = host_xchg,
    .movi = host_movi,
    .load = host_load,
    .store = host_store,
    .invert_cond = host_invert_cond,
    .jump = host_jump,
    .jump_fwd = host_jump_fwd,
    .jump_fwd_near = host_jump_fwd_near,
    .near_jump_reach = 127,
    .max_exit_op_size = 24,
    .near_jump_est_op = 6,
    .patch = host_patch,
    .compare = host_compare,
    .begin_block = host_begin_block,
    .fold_op = host_fold_op,
    .emit_op = host_emit_op,
    .after_op = host_after_op,
    .call_args = host_call_args,
    .call_emit = host_call_emit,
    .exit_tb = host_exit_tb,
    .raise = host_raise,
    .exit_check = host_exit_check,
    .tier_count = host_tier_count,
    .exit_request_stub = host_exit_request_stub,
    .exit_stub_inline = true,
    .end_block = host_end_block,
    .goto_tb = host_goto_tb,
    .goto_tb_exit = host_goto_tb_exit,
    .goto_lookup = host_goto_lookup,
};
