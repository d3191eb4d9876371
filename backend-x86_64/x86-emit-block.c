/*
 * x86-emit-block.c — one IR block to host code: the op loop, control flow
 * inside the block, helper calls and the block exits.
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

static const int arg_regs[6] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9 };

static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* ---- labels ----------------------------------------------------------------- */

/* Which register contents can survive a jump to a label: globals and
 * cross-block locals, which end_basic_block() has made clean. */
static int surviving_owner(const X86Ctx *c, int r)
{
    int t = c->owner[r];
    if (t < 0)
        return -1;
    if (c->b->temps[t].kind == IR_TEMP_GLOBAL || c->t[t].cross)
        return t;
    return -1;
}

/* Intersect the label's incoming register state with the current one. */
static void label_merge(X86Ctx *c, unsigned label)
{
    int *s = &c->label_regs[label * 16];
    if (!(c->label_flags[label] & X86_LABEL_HAS_REGS)) {
        for (int r = 0; r < 16; r++)
            s[r] = surviving_owner(c, r);
        c->label_flags[label] |= X86_LABEL_HAS_REGS;
    } else {
        for (int r = 0; r < 16; r++)
            if (s[r] != surviving_owner(c, r))
                s[r] = -1;
    }
}

/* ---- loops ------------------------------------------------------------------
 *
 * A label that a later branch jumps back to is a loop header.  Instead of
 * starting it with empty registers (and reloading every guest register on
 * every iteration), the header gets a register map: the globals the loop
 * reads before writing, each in a register, loaded once on the way in.
 * Every backward branch re-establishes the map (everything is clean at a
 * branch, so this is register moves plus loads of what was evicted), and
 * the loop body runs with its guest registers in host registers: a
 * pointer chase `ldr r1, [r1]` then depends on a register, not on a store
 * to the cpu state forwarded to the next iteration's load. */
#define X86_LOOP_MAX_REGS 8

/* Globals read before written between the label at op index `at` and the
 * last branch back to it, in order of first use (at most `max`). */
static unsigned loop_globals(const X86Ctx *c, unsigned at, unsigned label, IRTemp *out, unsigned max)
{
    const IRBlock *b = c->b;
    unsigned end = at;
    for (unsigned i = at + 1; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if ((op->opc == IR_OP_br && ir_op_const(op, 0) == label) ||
            (op->opc == IR_OP_brcond && ir_op_const(op, 1) == label))
            end = i;
    }
    uint64_t seen[(b->n_globals + 63) / 64 + 1];
    memset(seen, 0, sizeof(seen));
    unsigned n = 0;
    for (unsigned i = at + 1; i < end && n < max; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_discard)
            continue;
        for (unsigned k = 0; k < op->n_in && n < max; k++) {
            IRTemp t = ir_op_in(op, k);
            if (b->temps[t].kind != IR_TEMP_GLOBAL || (seen[t / 64] >> (t % 64) & 1))
                continue;
            seen[t / 64] |= 1ull << (t % 64);
            out[n++] = t;
        }
        for (unsigned k = 0; k < op->n_out; k++) {
            IRTemp t = ir_op_out(op, k);
            if (b->temps[t].kind == IR_TEMP_GLOBAL)
                seen[t / 64] |= 1ull << (t % 64);
        }
    }
    return n;
}

/* At a loop header reached by falling through (everything clean): put the
 * loop's globals in registers and make that the header's map. */
static void enter_loop_header(X86Ctx *c, unsigned label)
{
    IRTemp g[X86_LOOP_MAX_REGS];
    unsigned n = loop_globals(c, c->label_at[label], label, g, X86_LOOP_MAX_REGS);
    for (unsigned i = 0; i < n; i++)           /* already there: stays */
        if (c->t[g[i]].reg >= 0)
            c->locked |= RBIT(c->t[g[i]].reg);
    for (unsigned i = 0; i < n; i++) {
        if (c->t[g[i]].reg >= 0)
            continue;
        int r = ra_alloc(c, X86_ALLOC_REGS);   /* evicts clean values only */
        x86_load(&c->a, ra_is_w64(c, g[i]) ? 8 : 4, false, ra_is_w64(c, g[i]), r, ra_home(c, g[i]));
        ra_bind(c, g[i], r);
        c->t[g[i]].mem_ok = true;
    }
    int *map = &c->label_regs[label * 16];
    for (int r = 0; r < 16; r++) {
        int t = c->owner[r];
        bool keep = false;
        for (unsigned i = 0; i < n && !keep; i++)
            keep = t == (int)g[i];
        if (!keep)
            ra_unbind(c, r);
        map[r] = keep ? t : -1;
    }
    c->label_flags[label] |= X86_LABEL_LOOP_REGS;
}

/* label_loop: every label inside a loop (between its header and the last
 * branch back to it) shares the innermost such loop's map, so the loop's
 * guest registers stay in the same host registers on every path through
 * it, not only on the way back to the header. */
static void find_loops(X86Ctx *c)
{
    const IRBlock *b = c->b;
    unsigned nl = b->n_labels;
    uint32_t *end = c->loop_end;
    for (unsigned l = 0; l < nl; l++) {
        end[l] = 0;
        c->label_loop[l] = -1;
    }
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc != IR_OP_br && op->opc != IR_OP_brcond)
            continue;
        unsigned l = (unsigned)ir_op_const(op, op->opc == IR_OP_br ? 0 : 1);
        if (c->label_flags[l] & X86_LABEL_BACK_EDGE)
            end[l] = i;
    }
    /* the headers first: blocks have a few loops but may have hundreds of
     * labels (one per conditional instruction) */
    unsigned hdr[16], n_hdr = 0;                  /* more loops keep no maps */
    for (unsigned h = 0; h < nl && n_hdr < 16; h++)
        if (c->label_flags[h] & X86_LABEL_BACK_EDGE)
            hdr[n_hdr++] = h;
    for (unsigned l = 0; l < nl; l++) {
        int best = -1;
        for (unsigned k = 0; k < n_hdr; k++) {
            unsigned h = hdr[k];
            if (c->label_at[h] <= c->label_at[l] && c->label_at[l] < end[h] &&
                (best < 0 || c->label_at[h] > c->label_at[best]))
                best = (int)h;
        }
        c->label_loop[l] = best;
    }
}

/* A loop header first reached by a branch: choose its map now, keeping
 * globals that are in registers where they are, the rest in free
 * registers (else any: at a branch everything is clean). */
static void choose_loop_map(X86Ctx *c, unsigned label)
{
    IRTemp g[X86_LOOP_MAX_REGS];
    unsigned n = loop_globals(c, c->label_at[label], label, g, X86_LOOP_MAX_REGS);
    int *map = &c->label_regs[label * 16];
    uint16_t used = 0;
    for (int r = 0; r < 16; r++)
        map[r] = -1;
    for (unsigned i = 0; i < n; i++)
        if (c->t[g[i]].reg >= 0) {
            map[(int)c->t[g[i]].reg] = (int)g[i];
            used |= RBIT(c->t[g[i]].reg);
        }
    for (unsigned i = 0; i < n; i++) {
        if (c->t[g[i]].reg >= 0)
            continue;
        int pick = -1;
        for (int r = 0; r < 16 && pick < 0; r++)
            if ((X86_ALLOC_REGS & RBIT(r)) && !(used & RBIT(r)) && c->owner[r] < 0)
                pick = r;
        for (int r = 0; r < 16 && pick < 0; r++)
            if ((X86_ALLOC_REGS & RBIT(r)) && !(used & RBIT(r)))
                pick = r;
        map[pick] = (int)g[i];
        used |= RBIT(pick);
    }
    c->label_flags[label] |= X86_LABEL_LOOP_REGS;
}

/* Does every register of the header's map hold its global? */
static bool loop_map_holds(const X86Ctx *c, const int *map)
{
    for (int r = 0; r < 16; r++)
        if (map[r] >= 0 && c->owner[r] != map[r])
            return false;
    return true;
}

/* Before a backward branch (everything clean): emit the moves and loads
 * that establish the header's map.  The allocator state is left alone: it
 * describes the path that does not take the branch. */
static void emit_loop_map_moves(X86Ctx *c, const int *map)
{
    int src[16];
    for (int r = 0; r < 16; r++) {
        src[r] = -2;                            /* nothing to do */
        if (map[r] >= 0 && c->owner[r] != map[r])
            src[r] = c->t[map[r]].reg;          /* a register, or -1: memory */
    }
    /* register to register, as one parallel move (a global has one
     * register, so the sources are distinct); cycles are broken by xchg */
    for (;;) {
        int pick = -1, any = -1;
        for (int d = 0; d < 16 && pick < 0; d++) {
            if (src[d] < 0)
                continue;
            any = d;
            bool is_source = false;
            for (int o = 0; o < 16; o++)
                is_source |= o != d && src[o] == d;
            if (!is_source)
                pick = d;
        }
        if (any < 0)
            break;
        if (pick >= 0) {      /* whole registers: i32 values stay zero-extended */
            x86_mov_rr(&c->a, true, pick, src[pick]);
            src[pick] = -2;
        } else {
            int d = any, from = src[d];
            x86_xchg_rr(&c->a, true, d, from);
            src[d] = -2;
            for (int o = 0; o < 16; o++)
                if (src[o] == d)
                    src[o] = from;
        }
    }
    for (int r = 0; r < 16; r++)
        if (src[r] == -1) {
            IRTemp t = (IRTemp)map[r];
            x86_load(&c->a, ra_is_w64(c, t) ? 8 : 4, false, ra_is_w64(c, t), r, ra_home(c, t));
        }
}

/* jmp (cc < 0) or jcc to a label, placed or not. */
static void emit_jump(X86Ctx *c, int cc, unsigned label)
{
    uint32_t off = c->label_off[label];
    if (off != UINT32_MAX) {                 /* backward: already placed */
        uintptr_t target = c->a.rx_start + off;
        if (cc < 0)
            x86_jmp(&c->a, target);
        else
            x86_jcc(&c->a, (X86Cond)cc, target);
        return;
    }
    size_t disp = cc < 0 ? x86_jmp_rel32(&c->a, 0) : x86_jcc_rel32(&c->a, (X86Cond)cc, 0);
    if (c->n_label_fix == c->cap_label_fix) {
        c->cap_label_fix = c->cap_label_fix ? 2 * c->cap_label_fix : 32;
        c->label_fix = grow(c->label_fix, c->cap_label_fix * sizeof(X86Fixup));
    }
    c->label_fix[c->n_label_fix++] = (X86Fixup){ (uint32_t)disp, label };
}

static void jump_to_label(X86Ctx *c, int cc, unsigned label)
{
    int h = c->label_loop[label];
    if (h >= 0) {
        /* in a loop: every way in establishes the loop's register map */
        if (!(c->label_flags[h] & X86_LABEL_LOOP_REGS))
            choose_loop_map(c, (unsigned)h);
        const int *map = &c->label_regs[h * 16];
        if (!loop_map_holds(c, map)) {
            size_t skip = 0;
            if (cc >= 0)                     /* only the taken path moves */
                skip = x86_jcc_rel32(&c->a, (X86Cond)(cc ^ 1), 0);
            emit_loop_map_moves(c, map);
            emit_jump(c, -1, label);
            if (cc >= 0 && !c->a.overflow)
                x86_patch_rel32(&c->a, skip, x86_rx_here(&c->a));
            return;
        }
        emit_jump(c, cc, label);
        return;
    }
    if (c->label_off[label] == UINT32_MAX)
        label_merge(c, label);
    emit_jump(c, cc, label);
}

/* The registers hold exactly the (clean) temps of regs[16], -1 = none. */
static void install_regs(X86Ctx *c, const int *regs)
{
    ra_drop_all(c);
    for (int r = 0; r < 16; r++)
        if (regs[r] >= 0) {
            c->owner[r] = regs[r];
            c->t[regs[r]].reg = (int8_t)r;
            c->t[regs[r]].mem_ok = true;
        }
}

/* Falling into a loop label whose map is chosen: establish it. */
static void conform_loop_map(X86Ctx *c, unsigned h)
{
    const int *map = &c->label_regs[h * 16];
    emit_loop_map_moves(c, map);
    install_regs(c, map);
}

/* Everything a branch target expects in memory is there. */
static void end_basic_block(X86Ctx *c)
{
    ra_sync_globals(c);
    ra_spill_cross(c);
}

/* Before a label that branches already reach: where a branch left a
 * global (or cross local) in register r and the fall-through has it in
 * another register, move it to r when the code after the label reads it,
 * so the label keeps it instead of reloading it.  Everything is clean here
 * (end_basic_block), so r's current occupant can simply be dropped: a
 * global or cross local is in memory, any other local is dead past the
 * label. */
/* Is temp t read after the op at index i before it is written, within
 * the basic block that follows? */
static bool read_soon(const X86Ctx *c, unsigned i, IRTemp t)
{
    const IRBlock *b = c->b;
    for (unsigned j = i + 1; j < b->n_ops; j++) {
        const IROp *op = &b->ops[j];
        if (op->opc == IR_OP_discard)
            continue;
        for (unsigned k = 0; k < op->n_in; k++)
            if (ir_op_in(op, k) == t)
                return true;
        for (unsigned k = 0; k < op->n_out; k++)
            if (ir_op_out(op, k) == t)
                return false;
        if (ir_op_defs[op->opc].flags & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END | IR_OPF_SYNC_GLOBALS) ||
            op->opc == IR_OP_call)
            return false;
    }
    return false;
}

static void conform_to_label(X86Ctx *c, unsigned label)
{
    const int *s = &c->label_regs[label * 16];
    for (int r = 0; r < 16; r++) {
        int t = s[r];
        if (t < 0 || c->owner[r] == t)
            continue;
        int from = c->t[t].reg;
        if (from < 0 || (c->locked & RBIT(r)) || !read_soon(c, c->op_index, (IRTemp)t))
            continue;    /* a mov for a value nobody reads costs more than it saves */
        if (c->owner[r] >= 0)
            ra_unbind(c, r);
        x86_mov_rr(&c->a, true, r, from);
        c->owner[from] = -1;
        c->owner[r] = t;
        c->t[t].reg = (int8_t)r;
        c->lru[r] = c->lru[from];
    }
}

/* At a label the registers keep what every way in agrees on: the forward
 * branches (recorded by label_merge) and the fall-through.  A label that a
 * later branch jumps back to starts with nothing in registers. */
static void emit_label(X86Ctx *c, const IROp *op)
{
    unsigned label = (unsigned)ir_op_const(op, 0);
    end_basic_block(c);
    int h = c->label_loop[label];
    if (h >= 0) {
        if (!(c->label_flags[h] & X86_LABEL_LOOP_REGS) && c->reachable) {
            enter_loop_header(c, (unsigned)h);
        } else if (c->label_flags[h] & X86_LABEL_LOOP_REGS) {
            if (c->reachable)
                conform_loop_map(c, (unsigned)h);
            else
                install_regs(c, &c->label_regs[h * 16]);
        } else {
            ra_drop_all(c);      /* reached by nothing but later branches */
        }
    } else if (c->label_flags[label] & X86_LABEL_BACK_EDGE) {
        ra_drop_all(c);          /* a loop beyond the 16 that get maps */
    } else if (c->reachable) {
        if (c->label_flags[label] & X86_LABEL_HAS_REGS)
            conform_to_label(c, label);
        label_merge(c, label);
        const int *s = &c->label_regs[label * 16];
        for (int r = 0; r < 16; r++)
            if (c->owner[r] != s[r])
                ra_unbind(c, r);
    } else if (c->label_flags[label] & X86_LABEL_HAS_REGS) {
        install_regs(c, &c->label_regs[label * 16]);
    } else {
        ra_drop_all(c);
    }
    c->label_off[label] = (uint32_t)x86_offset(&c->a);
    c->reachable = true;
}

static void emit_br(X86Ctx *c, const IROp *op)
{
    end_basic_block(c);
    jump_to_label(c, -1, (unsigned)ir_op_const(op, 0));
    c->reachable = false;
}

static void emit_brcond(X86Ctx *c, const IROp *op)
{
    end_basic_block(c);
    X86Cmp k;
    bool known;
    unsigned label = (unsigned)ir_op_const(op, 1);
    if (!x86_cmp_prep(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1), &k, &known)) {
        if (known) {
            jump_to_label(c, -1, label);
            c->reachable = false;
        }
        return;
    }
    X86Cond cc = x86_cmp_emit(c, &k);
    jump_to_label(c, cc, label);
}

/* ---- exits ------------------------------------------------------------------ */

static void exit_with(X86Ctx *c, unsigned kind)
{
    x86_mov_ri(&c->a, true, X86_RAX, (uint64_t)c->out->tb_tag | kind);
    x86_jmp(&c->a, x86_state.epilogue_rx);
}

static void emit_goto_tb(X86Ctx *c, const IROp *op)
{
    unsigned slot = (unsigned)ir_op_const(op, 0);
    ra_sync_globals(c);
    unsigned pad = (unsigned)(-(x86_rx_here(&c->a) + 1) & 3);
    x86_nops(&c->a, pad);
    size_t at = x86_offset(&c->a);
    x86_byte(&c->a, 0xe9);
    x86_u32(&c->a, 0);                       /* unpatched: falls through */
    if (slot < 2) {
        c->out->jmp_insn_off[slot] = (uint32_t)at;
        c->out->jmp_reset_off[slot] = (uint32_t)x86_offset(&c->a);
    }
}

static void emit_goto_lookup(X86Ctx *c)
{
    ra_sync_globals(c);
    x86_mov_rr(&c->a, true, X86_RDI, X86_REG_CPU);
    x86_call(&c->a, (uintptr_t)x86_state.env.lookup_code, X86_REG_SCRATCH);
    x86_test_rr(&c->a, true, X86_RAX, X86_RAX);
    x86_byte(&c->a, 0x74);                   /* jz: nothing translated yet */
    size_t jz = x86_offset(&c->a);
    x86_byte(&c->a, 0);
    x86_jmp_r(&c->a, X86_RAX);
    if (!c->a.overflow)
        c->a.start[jz] = (uint8_t)(x86_offset(&c->a) - (jz + 1));
    exit_with(c, IR_EXIT_NOCHAIN);
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
    IRTemp pc = ir_op_in(op, 0), cs_base = ir_op_in(op, 1), flags = ir_op_in(op, 2);
    /* Leaving the block: every register is ours, inputs copied first.  A
     * key part that is a constant fitting a sign-extended imm32 (ARM's
     * cs_base 0 and its flags) is compared as an immediate. */
    int32_t cs_imm = 0, flags_imm = 0;
    bool cs_is_imm = x86_is_const(c, cs_base) && x86_imm_of(c, cs_base, &cs_imm) &&
                     (ra_is_w64(c, cs_base) || cs_imm >= 0);
    bool flags_is_imm = x86_is_const(c, flags) && x86_imm_of(c, flags, &flags_imm);
    ra_copy_fixed(c, pc, X86_RAX, true);
    if (!flags_is_imm)
        ra_copy_fixed(c, flags, X86_RCX, true);
    if (!cs_is_imm)
        ra_copy_fixed(c, cs_base, X86_RDI, true);
    ra_reserve(c, X86_RDX);
    ra_reserve(c, X86_RSI);
    bool pc64 = ra_is_w64(c, pc);
    X86Asm *a = &c->a;
    unsigned bits = e->jmp_cache_bits;
    /* entry = jc + ((pc ^ (pc >> 2) ^ (pc >> (2 + bits))) & mask) * esize;
     * only the low `bits` bits matter, which 32-bit shifts compute from a
     * 64-bit pc as long as 2 * bits + 2 <= 32 */
    bool w = pc64 && 2 * bits + 2 > 32;
    x86_mov_rr(a, w, X86_RDX, X86_RAX);
    x86_shift_ri(a, X86_SHR, w, X86_RDX, 2);
    x86_alu_rr(a, X86_XOR, w, X86_RDX, X86_RAX);
    x86_mov_rr(a, w, X86_RSI, X86_RAX);
    x86_shift_ri(a, X86_SHR, w, X86_RSI, 2 + bits);
    x86_alu_rr(a, X86_XOR, false, X86_RDX, X86_RSI);
    x86_alu_ri(a, X86_AND, false, X86_RDX, (int32_t)((1u << bits) - 1));
    x86_shift_ri(a, X86_SHL, false, X86_RDX, (unsigned)__builtin_ctz(esize));
    x86_alu_rm(a, X86_ADD, true, X86_RDX, x86_mem(X86_REG_CPU, (int32_t)e->jmp_cache_offset));
    if (!pc64)
        x86_mov_rr(a, false, X86_RAX, X86_RAX);   /* zero-extend for the 64-bit compare */
    x86_alu_rm(a, X86_CMP, true, X86_RAX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_pc_offset));
    size_t miss1 = x86_jcc_rel32(a, X86_CC_NE, 0);
    X86Mem fm = x86_mem(X86_RDX, (int32_t)e->jmp_cache_flags_offset);
    if (flags_is_imm)
        x86_alu_mi(a, X86_CMP, true, fm, flags_imm);
    else
        x86_alu_rm(a, X86_CMP, true, X86_RCX, fm);
    size_t miss2 = x86_jcc_rel32(a, X86_CC_NE, 0);
    X86Mem cm = x86_mem(X86_RDX, (int32_t)e->jmp_cache_cs_base_offset);
    if (cs_is_imm)
        x86_alu_mi(a, X86_CMP, true, cm, cs_imm);
    else
        x86_alu_rm(a, X86_CMP, true, X86_RDI, cm);   /* an i32 cs_base is zero-extended */
    size_t miss3 = x86_jcc_rel32(a, X86_CC_NE, 0);
    x86_load(a, 8, false, true, X86_RDX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_code_offset));
    x86_test_rr(a, true, X86_RDX, X86_RDX);
    size_t miss4 = x86_jcc_rel32(a, X86_CC_E, 0);
    x86_jmp_r(a, X86_RDX);
    uintptr_t miss = x86_rx_here(a);
    if (!a->overflow) {
        x86_patch_rel32(a, miss1, miss);
        x86_patch_rel32(a, miss2, miss);
        x86_patch_rel32(a, miss3, miss);
        x86_patch_rel32(a, miss4, miss);
    }
    emit_goto_lookup(c);
}

static void emit_raise(X86Ctx *c, const IROp *op)
{
    ra_sync_globals(c);
    x86_store_imm(&c->a, 4, (int32_t)ir_op_const(op, 0),
                  x86_mem(X86_REG_CPU, (int32_t)x86_state.env.exception_index_offset));
    exit_with(c, IR_EXIT_EXCEPTION);
}

static void emit_exit_check(X86Ctx *c)
{
    /* The out-of-line path leaves to the loop, which restarts the block:
     * globals must be in memory (they normally are at a block's start). */
    ra_sync_globals(c);
    x86_alu_mi(&c->a, X86_CMP, false, x86_mem(X86_REG_CPU, (int32_t)x86_state.env.exit_request_offset), 0);
    size_t disp = x86_jcc_rel32(&c->a, X86_CC_NE, 0);
    if (c->n_exit_check_fix == c->cap_exit_check_fix) {
        c->cap_exit_check_fix = c->cap_exit_check_fix ? 2 * c->cap_exit_check_fix : 4;
        c->exit_check_fix = grow(c->exit_check_fix, c->cap_exit_check_fix * sizeof(uint32_t));
    }
    c->exit_check_fix[c->n_exit_check_fix++] = (uint32_t)disp;
}

/* ---- helper calls ------------------------------------------------------------- */

typedef struct Move { int dst, src; } Move;

/* Emit register moves that happen "at once" (no move reads a register an
 * earlier one wrote); cycles are broken with xchg. */
static void parallel_moves(X86Ctx *c, Move *mv, unsigned n)
{
    while (n) {
        bool progress = false;
        for (unsigned i = 0; i < n; i++) {
            bool blocked = false;
            for (unsigned j = 0; j < n; j++)
                if (j != i && mv[j].src == mv[i].dst)
                    blocked = true;
            if (!blocked) {
                if (mv[i].dst != mv[i].src)
                    x86_mov_rr(&c->a, true, mv[i].dst, mv[i].src);
                mv[i] = mv[--n];
                progress = true;
                break;
            }
        }
        if (progress)
            continue;
        /* every destination is still needed as a source: a cycle */
        int d = mv[0].dst, s = mv[0].src;
        x86_xchg_rr(&c->a, true, d, s);
        mv[0] = mv[--n];
        for (unsigned j = 0; j < n; j++) {
            if (mv[j].src == d)
                mv[j].src = s;
            else if (mv[j].src == s)
                mv[j].src = d;
        }
        for (unsigned j = 0; j < n;) {
            if (mv[j].src == mv[j].dst)
                mv[j] = mv[--n];
            else
                j++;
        }
    }
}

static bool input_dies(const X86Ctx *c, const IROp *op, IRTemp t)
{
    for (unsigned i = 0; i < op->n_in; i++)
        if (ir_op_in(op, i) == t && ra_in_dies(c, op, i))
            return true;
    return false;
}

static void emit_call(X86Ctx *c, const IROp *op)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    bool reads = !(h->flags & IR_HELPER_NO_READ_GLOBALS);
    bool writes = !(h->flags & IR_HELPER_NO_WRITE_GLOBALS);
    unsigned first = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    unsigned nin = op->n_in;
    /* The env pointer plus 6 arguments: the last goes on the stack. */
    bool stack_arg = nin + first > 6;
    if (stack_arg)
        nin = 6 - first;

    /* Globals: the helper sees (and may change) the cpu state; a faulting
     * helper needs precise state too. */
    if (reads || writes || (h->flags & IR_HELPER_MAY_FAULT))
        ra_sync_globals(c);
    /* Values living in registers the call clobbers go to memory unless
     * this is their last use. */
    for (int r = 0; r < 16; r++) {
        int t = c->owner[r];
        if (t < 0 || !(X86_CALLER_SAVED & RBIT(r)))
            continue;
        if (c->b->temps[t].kind == IR_TEMP_LOCAL && input_dies(c, op, (IRTemp)t))
            continue;
        ra_spill(c, (IRTemp)t);
    }
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
    Move mv[6];
    unsigned n = 0;
    for (unsigned i = 0; i < nin; i++) {
        IRTemp t = ir_op_in(op, i);
        if (!x86_is_const(c, t) && c->t[t].reg >= 0)
            mv[n++] = (Move){ arg_regs[first + i], c->t[t].reg };
    }
    parallel_moves(c, mv, n);
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
        x86_mov_rr(&c->a, true, X86_RDI, X86_REG_CPU);
    if (stack_arg) {
        x86_alu_ri(&c->a, X86_SUB, true, X86_RSP, 8);   /* keep rsp 16-aligned at the call */
        x86_push(&c->a, X86_REG_SCRATCH);
    }

    for (int r = 0; r < 16; r++) {
        int t = c->owner[r];
        if (t < 0)
            continue;
        if ((X86_CALLER_SAVED & RBIT(r)) || (writes && c->b->temps[t].kind == IR_TEMP_GLOBAL))
            ra_unbind(c, r);
    }
    x86_call(&c->a, (uintptr_t)h->fn, X86_REG_SCRATCH);
    if (stack_arg)
        x86_alu_ri(&c->a, X86_ADD, true, X86_RSP, 16);
    if (op->n_out) {
        IRTemp out = ir_op_out(op, 0);
        if (!ra_is_w64(c, out))
            x86_mov_rr(&c->a, false, X86_RAX, X86_RAX);   /* ABI leaves bits 63..32 undefined */
        c->locked = 0;
        ra_bind(c, out, X86_RAX);
    }
}

static void emit_discard(X86Ctx *c, const IROp *op)
{
    IRTemp t = ir_op_in(op, 0);
    if (c->t[t].reg >= 0)
        ra_unbind(c, c->t[t].reg);
    /* A discarded global's value is undefined: nothing to write back (its
     * home keeps an older value, which is as good as any). */
    if (c->b->temps[t].kind == IR_TEMP_GLOBAL)
        c->t[t].mem_ok = true;
}

/* ---- the block ---------------------------------------------------------------- */

static __thread X86Ctx tls_ctx;   /* reused buffers across blocks */
static __thread unsigned cap_temps, cap_ops, cap_labels;

static void ctx_reserve(X86Ctx *c, const IRBlock *b)
{
    if (b->n_temps > cap_temps) {
        cap_temps = b->n_temps * 2;
        c->t = grow(c->t, cap_temps * sizeof(*c->t));
    }
    if (b->n_ops > cap_ops) {
        cap_ops = b->n_ops * 2;
        c->dead = grow(c->dead, cap_ops * sizeof(*c->dead));
    }
    if (b->n_labels + 1 > cap_labels) {
        cap_labels = (b->n_labels + 1) * 2;
        c->label_off = grow(c->label_off, cap_labels * sizeof(*c->label_off));
        c->label_at = grow(c->label_at, cap_labels * sizeof(*c->label_at));
        c->label_loop = grow(c->label_loop, cap_labels * sizeof(*c->label_loop));
        c->loop_end = grow(c->loop_end, cap_labels * sizeof(*c->loop_end));
        c->label_regs = grow(c->label_regs, cap_labels * 16 * sizeof(*c->label_regs));
        c->label_flags = grow(c->label_flags, cap_labels * sizeof(*c->label_flags));
    }
    if (!c->free_slots)
        c->free_slots = grow(NULL, X86_SPILL_SLOTS * sizeof(*c->free_slots));
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

static void track_flags(X86Ctx *c, const IROp *op)
{
    if (c->flags_valid && c->flags_from_result && c->flags_op == c->op_index)
        return;                     /* this and/or/xor set them from its own result */
    if (!keeps_flags(op)) {
        c->flags_valid = false;
        return;
    }
    for (unsigned k = 0; k < op->n_out; k++)
        if (ir_op_out(op, k) == c->flags_ta || ir_op_out(op, k) == c->flags_tb)
            c->flags_valid = false;
    if (op->opc == IR_OP_discard)
        c->flags_valid = false;     /* cheap and rare: forget */
}

static void emit_op(X86Ctx *c, const IROp *op)
{
    /* The table's promise, whatever the op: state in memory before an op
     * that may fault or that synchronises (the emitters below rely on it
     * too; a second sync emits nothing). */
    if (ir_op_defs[op->opc].flags & (IR_OPF_MAY_FAULT | IR_OPF_SYNC_GLOBALS))
        ra_sync_globals(c);
    if (x86_emit_alu(c, op) || x86_emit_mem(c, op) || x86_emit_fp(c, op))
        return;
    switch ((IROpcode)op->opc) {
    case IR_OP_insn_start:
        if (c->out->insn_off && c->insn_idx < c->out->n_insns)
            c->out->insn_off[c->insn_idx] = (uint32_t)x86_offset(&c->a);
        c->insn_idx++;
        break;
    case IR_OP_label: emit_label(c, op); break;
    case IR_OP_br: emit_br(c, op); break;
    case IR_OP_brcond: emit_brcond(c, op); break;
    case IR_OP_call: emit_call(c, op); break;
    case IR_OP_exit_check: emit_exit_check(c); break;
    case IR_OP_goto_tb: emit_goto_tb(c, op); break;
    case IR_OP_exit_tb:
        ra_sync_globals(c);
        exit_with(c, (unsigned)ir_op_const(op, 0));
        break;
    case IR_OP_goto_lookup: emit_goto_lookup(c); break;
    case IR_OP_goto_lookup_pc: emit_goto_lookup_pc(c, op); break;
    case IR_OP_raise: emit_raise(c, op); break;
    case IR_OP_discard: emit_discard(c, op); break;
    case IR_OP_nop: break;
    default:
        fprintf(stderr, "vemu: x86_64 backend: unhandled op %s\n", ir_op_defs[op->opc].name);
        abort();
    }
}

int x86_emit_block(CodeBuf *cb, const IRBlock *b, BackendBlock *out)
{
    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + 2 * OP_ROOM > cb->size)
        return -1;
    X86Ctx *c = &tls_ctx;
    ctx_reserve(c, b);
    x86_asm_init(&c->a, cb->rw + start, (uintptr_t)cb->rx + start, cb->size - start);
    c->b = b;
    c->out = out;
    c->insn_idx = 0;
    c->n_label_fix = 0;
    c->n_exit_check_fix = 0;
    for (unsigned i = 0; i < b->n_labels; i++) {
        c->label_off[i] = UINT32_MAX;
        c->label_at[i] = UINT32_MAX;
        c->label_flags[i] = 0;
    }
    /* Labels reached by a backward branch: placed before a branch to them. */
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label) {
            c->label_flags[ir_op_const(op, 0)] |= X86_LABEL_HAS_REGS;   /* "placed", reset below */
            c->label_at[ir_op_const(op, 0)] = i;
        }
        else if (op->opc == IR_OP_br && (c->label_flags[ir_op_const(op, 0)] & X86_LABEL_HAS_REGS))
            c->label_flags[ir_op_const(op, 0)] |= X86_LABEL_BACK_EDGE;
        else if (op->opc == IR_OP_brcond && (c->label_flags[ir_op_const(op, 1)] & X86_LABEL_HAS_REGS))
            c->label_flags[ir_op_const(op, 1)] |= X86_LABEL_BACK_EDGE;
    }
    for (unsigned i = 0; i < b->n_labels; i++)
        c->label_flags[i] &= (uint8_t)~X86_LABEL_HAS_REGS;
    find_loops(c);
    c->reachable = true;
    c->flags_valid = false;
    c->addr_t = IR_TEMP_NONE;
    c->idx_t = IR_TEMP_NONE;
    for (int s = 0; s < 2; s++)
        out->jmp_insn_off[s] = out->jmp_reset_off[s] = UINT32_MAX;
    ra_begin(c);
    ra_liveness(c);

    for (unsigned i = 0; i < b->n_ops; i++) {
        if (x86_room(&c->a) < OP_ROOM)
            return -1;
        c->op_index = i;
        const IROp *next = i + 1 < b->n_ops ? &b->ops[i + 1] : NULL;
        if (x86_defer_address_add(c, &b->ops[i], next) || x86_defer_scaled_shift(c, &b->ops[i], next)) {
            c->locked = 0;       /* nothing emitted, nothing bound, nothing released */
            track_flags(c, &b->ops[i]);
            continue;
        }
        emit_op(c, &b->ops[i]);
        track_flags(c, &b->ops[i]);
        ra_end_op(c, &b->ops[i]);
        if (ir_op_defs[b->ops[i].opc].flags & IR_OPF_BLOCK_END)
            c->reachable = false;
    }

    /* Out-of-line: exit_request set. */
    if (c->n_exit_check_fix) {
        if (x86_room(&c->a) < OP_ROOM)
            return -1;
        uintptr_t stub = x86_rx_here(&c->a);
        x86_store_imm(&c->a, 4, IR_EXCP_EXIT_REQUEST,
                      x86_mem(X86_REG_CPU, (int32_t)x86_state.env.exception_index_offset));
        exit_with(c, IR_EXIT_EXCEPTION);
        for (unsigned i = 0; i < c->n_exit_check_fix; i++)
            x86_patch_rel32(&c->a, c->exit_check_fix[i], stub);
    }
    for (unsigned i = 0; i < c->n_label_fix; i++) {
        uint32_t off = c->label_off[c->label_fix[i].target];
        if (off == UINT32_MAX) {
            fprintf(stderr, "vemu: x86_64 backend: label %u never placed\n", c->label_fix[i].target);
            abort();
        }
        x86_patch_rel32(&c->a, c->label_fix[i].disp_off, c->a.rx_start + off);
    }
    if (c->a.overflow)
        return -1;

    if (start > cb->used)
        memset(cb->rw + cb->used, 0xcc, start - cb->used);
    out->code_off = start;
    out->code_size = x86_offset(&c->a);
    cb->used = start + out->code_size;
    return 0;
}
