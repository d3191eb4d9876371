/*
 * emit.c — the emission driver, for any host: one IR block to host code.
 *
 * Walks the ops once.  Value, memory and floating-point ops go to the
 * host's emit_op; this file handles what is the same on every host: the
 * write-back of globals an op's flags demand, instruction starts
 * (insn_off), labels and branches (through labels.c), the allocation side
 * of helper calls, the bookkeeping of exits (goto_tb offsets, the
 * exit-request stub and its jumps) and the final fixups of forward jumps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-core.h"

/* ---- development aid: VEMU_BACKEND_OPBYTES=1 prints, at exit, the host
 * bytes emitted per IR opcode (the syncs an op causes count as its own). */
enum { OPB_TAIL = IR_OP_COUNT, OPB_STUB, OPB_MOV_G_CONST, OPB_MOV_G, OPB_N };
static unsigned long long opb_bytes[OPB_N], opb_count[OPB_N];
static int opb_on = -1;
static unsigned long long opb_blocks;
static void opb_report(void)
{
    /* processes leave with _exit: rewritten every 1000 blocks instead */
    FILE *f = fopen(getenv("VEMU_BACKEND_OPBYTES"), "w");
    if (!f)
        return;
    unsigned long long tot = 0;
    for (unsigned i = 0; i < OPB_N; i++)
        tot += opb_bytes[i];
    for (unsigned i = 0; i < OPB_N; i++) {
        if (!opb_count[i])
            continue;
        const char *n = i < IR_OP_COUNT ? ir_op_defs[i].name : i == OPB_TAIL ? "(end_block)" : i == OPB_STUB ? "(exit stub)"
                        : i == OPB_MOV_G_CONST ? "mov global, const" : "mov global, temp";
        fprintf(f, "opbytes %-20s %10llu bytes %5.1f%% %9llu ops %6.2f avg\n", n, opb_bytes[i],
                100.0 * (double)opb_bytes[i] / (double)tot, opb_count[i], (double)opb_bytes[i] / (double)opb_count[i]);
    }
    fclose(f);
}
static void opb_add(const BackendCtx *c, const IROp *op, unsigned kind, size_t bytes)
{
    if (op && op->opc == IR_OP_mov && c->b->temps[ir_op_out(op, 0)].kind == IR_TEMP_GLOBAL)
        kind = c->b->temps[ir_op_in(op, 0)].kind == IR_TEMP_CONST ? OPB_MOV_G_CONST : OPB_MOV_G;
    opb_bytes[kind] += bytes;
    opb_count[kind]++;
}

static void emit_br(BackendCtx *c, const IROp *op)
{
    backend_end_basic_block(c);
    backend_jump_to_label(c, -1, (unsigned)ir_op_const(op, 0));
    c->reachable = false;
}

static void emit_brcond(BackendCtx *c, const IROp *op)
{
    backend_end_basic_block(c);
    unsigned label = (unsigned)ir_op_const(op, 1);
    int cc = c->host->compare(c, (IRCond)ir_op_const(op, 0), ir_op_in(op, 0), ir_op_in(op, 1));
    if (cc == BACKEND_CC_NEVER)
        return;
    if (cc == BACKEND_CC_ALWAYS) {
        backend_jump_to_label(c, -1, label);
        c->reachable = false;
        return;
    }
    backend_jump_to_label(c, cc, label);
}

static void emit_exit_check(BackendCtx *c, const IROp *op)
{
    /* The out-of-line path leaves to the loop, which restarts the block:
     * globals must be in memory (they normally are at a block's start). */
    ra_sync_globals(c);
    /* The stub placed inline after the last of the block's leading checks
     * (BackendHost.exit_stub_inline): that check jumps over it. */
    const IROp *next = c->op_index + 1 < c->b->n_ops ? &c->b->ops[c->op_index + 1] : NULL;
    bool place = c->exit_stub_inline && !c->exit_stub_rx &&
                 !(next && (next->opc == IR_OP_exit_check || next->opc == IR_OP_tier_count));
    c->exit_check_skip = place;
    uint32_t handle = op->opc == IR_OP_tier_count ? c->host->tier_count(c, (int32_t)ir_op_const(op, 0))
                                                  : c->host->exit_check(c);
    c->exit_check_skip = false;
    if (place) {
        uintptr_t stub = backend_asm_rx_here(&c->a);
        c->host->exit_request_stub(c);
        for (unsigned i = 0; i < c->n_exit_check_fix; i++)
            c->host->patch(c, c->exit_check_fix[i], stub);
        c->n_exit_check_fix = 0;
        c->host->patch(c, handle, backend_asm_rx_here(&c->a));
        c->exit_stub_rx = stub;
        return;
    }
    if (handle == UINT32_MAX)      /* a jump to the placed stub */
        return;
    if (c->n_exit_check_fix == c->cap_exit_check_fix) {
        c->cap_exit_check_fix = c->cap_exit_check_fix ? 2 * c->cap_exit_check_fix : 4;
        c->exit_check_fix = backend_grow(c->exit_check_fix, c->cap_exit_check_fix * sizeof(uint32_t));
    }
    c->exit_check_fix[c->n_exit_check_fix++] = handle;
}

/* Is goto_tb (op index i, chain slot `slot`) followed by an exit exec can
 * complete: at most one constant store to a global, then `exit_tb
 * chain<slot>`?  Sets *st to the store and *end to the exit_tb's index. */
static bool exit_by_exec(const BackendCtx *c, unsigned i, unsigned slot, BackendExitStore *st, unsigned *end)
{
    const IRBlock *b = c->b;
    *st = (BackendExitStore){ 0, 0, 0 };
    for (unsigned j = i + 1; j < b->n_ops; j++) {
        const IROp *op = &b->ops[j];
        switch ((IROpcode)op->opc) {
        case IR_OP_discard: case IR_OP_nop:
            continue;
        case IR_OP_mov: {
            const IRTempInfo *g = &b->temps[ir_op_out(op, 0)], *v = &b->temps[ir_op_in(op, 0)];
            if (st->size || g->kind != IR_TEMP_GLOBAL || v->kind != IR_TEMP_CONST ||
                (g->type != IR_I32 && g->type != IR_I64))
                return false;
            *st = (BackendExitStore){ g->type == IR_I32 ? (uint32_t)v->value : v->value, g->offset,
                                      g->type == IR_I32 ? 4 : 8 };
            continue;
        }
        case IR_OP_exit_tb:
            *end = j;
            return ir_op_const(op, 0) == (slot ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
        default:
            return false;
        }
    }
    return false;
}

static void emit_goto_tb(BackendCtx *c, const IROp *op)
{
    unsigned slot = (unsigned)ir_op_const(op, 0);
    ra_sync_globals(c);
    BackendExitStore st;
    unsigned end;
    if (slot < 2 && c->out->exit_stores_by_exec && c->host->goto_tb_exit &&
        exit_by_exec(c, c->op_index, slot, &st, &end)) {
        c->out->exit_store[slot] = st;
        c->host->goto_tb_exit(c, slot, slot ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
        c->skip_to = end + 1;
        c->reachable = false;
        return;
    }
    uint32_t jmp_off, reset_off;
    c->host->goto_tb(c, &jmp_off, &reset_off);
    if (slot < 2) {
        c->out->jmp_insn_off[slot] = jmp_off;
        c->out->jmp_reset_off[slot] = reset_off;
    }
}

/* ---- helper calls ------------------------------------------------------------- */

static bool input_dies(const BackendCtx *c, const IROp *op, IRTemp t)
{
    for (unsigned i = 0; i < op->n_in; i++)
        if (ir_op_in(op, i) == t && ra_in_dies(c, op, i))
            return true;
    return false;
}

static void emit_call(BackendCtx *c, const IROp *op)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    const IRBlock *b = c->b;
    bool may_fault = (h->flags & IR_HELPER_MAY_FAULT) != 0;
    unsigned n_regs = c->host->n_regs;

    /* Globals: the helper sees the ones it reads in memory; one it may
     * write is written back too (a helper that writes it only on some
     * paths leaves memory as it was); a faulting helper needs every global
     * exact. */
    for (unsigned r = 0; r < n_regs; r++) {
        int t = c->owner[r];
        if (t >= 0 && b->temps[t].kind == IR_TEMP_GLOBAL &&
            (may_fault || ir_helper_reads_global(h, b, (IRTemp)t) || ir_helper_writes_global(h, b, (IRTemp)t)))
            ra_spill(c, (IRTemp)t);
    }
    /* Values living in registers the call clobbers go to memory unless
     * this is their last use. */
    for (unsigned r = 0; r < n_regs; r++) {
        int t = c->owner[r];
        if (t < 0 || !(c->host->caller_saved & BACKEND_REG(r)))
            continue;
        if (b->temps[t].kind == IR_TEMP_LOCAL && input_dies(c, op, (IRTemp)t))
            continue;
        ra_spill(c, (IRTemp)t);
    }
    c->host->call_args(c, op, h);
    /* After the call: caller-saved registers hold nothing, and a global the
     * helper writes is in memory only. */
    for (unsigned r = 0; r < n_regs; r++) {
        int t = c->owner[r];
        if (t < 0)
            continue;
        if ((c->host->caller_saved & BACKEND_REG(r)) ||
            (b->temps[t].kind == IR_TEMP_GLOBAL && ir_helper_writes_global(h, b, (IRTemp)t)))
            ra_unbind(c, (int)r);
    }
    int ret = c->host->call_emit(c, op, h);
    if (op->n_out) {
        c->locked = 0;
        ra_bind(c, ir_op_out(op, 0), ret);
    }
}

static void emit_discard(BackendCtx *c, const IROp *op)
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

static __thread BackendCtx tls_ctx;   /* reused buffers across blocks */
static __thread unsigned cap_temps, cap_ops, cap_labels, cap_slots, cap_regs;

static void ctx_reserve(BackendCtx *c, const IRBlock *b)
{
    const BackendHost *host = c->host;
    if (b->n_temps > cap_temps) {
        cap_temps = b->n_temps * 2;
        c->t = backend_grow(c->t, cap_temps * sizeof(*c->t));
    }
    if (b->n_ops > cap_ops) {
        cap_ops = b->n_ops * 2;
        c->dead = backend_grow(c->dead, cap_ops * sizeof(*c->dead));
    }
    if (b->n_labels + 1 > cap_labels || host->n_regs > cap_regs) {
        cap_labels = b->n_labels + 1 > cap_labels ? (b->n_labels + 1) * 2 : cap_labels;
        cap_regs = host->n_regs > cap_regs ? host->n_regs : cap_regs;
        c->label_off = backend_grow(c->label_off, cap_labels * sizeof(*c->label_off));
        c->label_at = backend_grow(c->label_at, cap_labels * sizeof(*c->label_at));
        c->label_loop = backend_grow(c->label_loop, cap_labels * sizeof(*c->label_loop));
        c->loop_end = backend_grow(c->loop_end, cap_labels * sizeof(*c->loop_end));
        c->label_regs = backend_grow(c->label_regs, cap_labels * cap_regs * sizeof(*c->label_regs));
        c->label_flags = backend_grow(c->label_flags, cap_labels * sizeof(*c->label_flags));
    }
    if (host->n_spill_slots > cap_slots) {
        cap_slots = host->n_spill_slots;
        c->free_slots = backend_grow(c->free_slots, cap_slots * sizeof(*c->free_slots));
    }
}

static void emit_op(BackendCtx *c, const IROp *op)
{
    /* The table's promise, whatever the op: state in memory before an op
     * that may fault or that synchronises (the emitters rely on it too; a
     * second sync emits nothing). */
    if (ir_op_defs[op->opc].flags & (IR_OPF_MAY_FAULT | IR_OPF_SYNC_GLOBALS))
        ra_sync_globals(c);
    if (c->host->emit_op(c, op))
        return;
    switch ((IROpcode)op->opc) {
    case IR_OP_insn_start:
        if (c->out->insn_off && c->insn_idx < c->out->n_insns)
            c->out->insn_off[c->insn_idx] = (uint32_t)backend_asm_offset(&c->a);
        c->insn_idx++;
        break;
    case IR_OP_label: backend_place_label(c, (unsigned)ir_op_const(op, 0)); break;
    case IR_OP_br: emit_br(c, op); break;
    case IR_OP_brcond: emit_brcond(c, op); break;
    case IR_OP_call: emit_call(c, op); break;
    case IR_OP_exit_check:
    case IR_OP_tier_count: emit_exit_check(c, op); break;
    case IR_OP_goto_tb: emit_goto_tb(c, op); break;
    case IR_OP_exit_tb:
        ra_sync_globals(c);
        c->host->exit_tb(c, (unsigned)ir_op_const(op, 0));
        break;
    case IR_OP_goto_lookup:
    case IR_OP_goto_lookup_pc:
        ra_sync_globals(c);
        c->host->goto_lookup(c, op);
        break;
    case IR_OP_raise:
        ra_sync_globals(c);
        c->host->raise(c, (int32_t)ir_op_const(op, 0));
        break;
    case IR_OP_discard: emit_discard(c, op); break;
    case IR_OP_nop: break;
    default:
        fprintf(stderr, "vemu: %s backend: unhandled op %s\n", c->host->name, ir_op_defs[op->opc].name);
        abort();
    }
}

/* A guess (not a bound) of the bytes ops [from, to) emit, to choose short
 * forward jumps: each op counts as near_jump_est_op, a call or a lookup
 * exit as out of reach.
 * When a guess is wrong, the block is emitted again with long jumps only. */
static unsigned guess_bytes(const BackendCtx *c, unsigned from, unsigned to)
{
    const BackendHost *host = c->host;
    unsigned bytes = 0;
    for (unsigned j = from; j < to && bytes <= host->near_jump_reach; j++) {
        switch ((IROpcode)c->b->ops[j].opc) {
        case IR_OP_discard: case IR_OP_nop: case IR_OP_insn_start: case IR_OP_label:
            break;
        case IR_OP_call: case IR_OP_goto_lookup: case IR_OP_goto_lookup_pc:
            return UINT32_MAX;
        default:
            bytes += host->near_jump_est_op;
            break;
        }
    }
    return bytes;
}

bool backend_label_guess_near(const BackendCtx *c, unsigned label)
{
    if (c->far_only || !c->host->jump_fwd_near || !c->host->near_jump_est_op)
        return false;
    unsigned end = c->label_at[label];
    if (end <= c->op_index || end > c->b->n_ops)
        return false;
    return guess_bytes(c, c->op_index + 1, end) <= c->host->near_jump_reach;
}

static int emit_attempt(const BackendHost *host, CodeBuf *cb, const IRBlock *b, BackendBlock *out, bool far_only);

int backend_emit_block(const BackendHost *host, CodeBuf *cb, const IRBlock *b, BackendBlock *out)
{
    /* python3 -c pass: 3% of the blocks are emitted twice */
    int r = emit_attempt(host, cb, b, out, false);
    if (r == -2)        /* a short jump fell short: long jumps only */
        r = emit_attempt(host, cb, b, out, true);
    return r < 0 ? -1 : 0;
}

static int emit_attempt(const BackendHost *host, CodeBuf *cb, const IRBlock *b, BackendBlock *out, bool far_only)
{
    size_t align = host->code_align;
    size_t start = (cb->used + align - 1) & ~(align - 1);
    if (start + 2 * (size_t)host->max_op_size > cb->size)
        return -1;
    BackendCtx *c = &tls_ctx;
    c->host = host;
    ctx_reserve(c, b);
    c->far_only = far_only;
    c->near_missed = false;
    backend_asm_init(&c->a, cb->rw + start, (uintptr_t)cb->rx + start, cb->size - start);
    c->a.relocs = out->relocs;
    c->b = b;
    c->out = out;
    c->insn_idx = 0;
    c->n_label_fix = 0;
    c->n_exit_check_fix = 0;
    backend_find_loops(c);
    c->reachable = true;
    host->begin_block(c);
    for (int s = 0; s < 2; s++) {
        out->jmp_insn_off[s] = out->jmp_reset_off[s] = UINT32_MAX;
        out->exit_store[s] = (BackendExitStore){ 0, 0, 0 };
    }
    c->skip_to = 0;
    ra_begin(c);
    ra_liveness(c);
    /* the exit-request stub follows the ops and the host's end_block */
    c->exit_check_near = !far_only && host->near_jump_est_op &&
                         guess_bytes(c, 0, b->n_ops) + host->max_exit_op_size <= host->near_jump_reach;
    /* Not near, in a tier-0 block: the stub after the leading checks, each
     * check a short jump, the last one over the stub (a taken branch on
     * every entry: hot blocks keep the stub at the end). */
    c->exit_stub_inline = host->exit_stub_inline && b->quick && !c->exit_check_near && b->n_ops &&
                          (b->ops[0].opc == IR_OP_exit_check || b->ops[0].opc == IR_OP_tier_count);
    c->exit_check_skip = false;
    c->exit_stub_rx = 0;

    if (opb_on < 0) {
        const char *e = getenv("VEMU_BACKEND_OPBYTES");
        opb_on = e && *e;
    }
    if (opb_on && ++opb_blocks % 1000 == 0)
        opb_report();
    size_t opb_from = 0;
    for (unsigned i = 0; i < b->n_ops; i++) {
        if (opb_on && i)
            opb_add(c, &b->ops[i - 1], b->ops[i - 1].opc, backend_asm_offset(&c->a) - opb_from);
        opb_from = backend_asm_offset(&c->a);
        if (i < c->skip_to)
            continue;
        if (backend_asm_room(&c->a) < host->max_op_size)
            return -1;
        c->op_index = i;
        const IROp *op = &b->ops[i];
        const IROp *next = i + 1 < b->n_ops ? &b->ops[i + 1] : NULL;
        if (host->fold_op && host->fold_op(c, op, next)) {
            c->locked = 0;       /* nothing emitted, nothing bound, nothing released */
            if (host->after_op)
                host->after_op(c, op);
            continue;
        }
        emit_op(c, op);
        if (host->after_op)
            host->after_op(c, op);
        ra_end_op(c, op);
        if (ir_op_defs[op->opc].flags & IR_OPF_BLOCK_END)
            c->reachable = false;
    }

    if (opb_on && b->n_ops)
        opb_add(c, &b->ops[b->n_ops - 1], b->ops[b->n_ops - 1].opc, backend_asm_offset(&c->a) - opb_from);
    opb_from = backend_asm_offset(&c->a);
    if (host->end_block) {
        if (backend_asm_room(&c->a) < host->max_op_size)
            return -1;
        host->end_block(c, c->n_exit_check_fix != 0);
    }
    if (opb_on)
        opb_add(c, NULL, OPB_TAIL, backend_asm_offset(&c->a) - opb_from);
    opb_from = backend_asm_offset(&c->a);
    /* Out-of-line: exit_request set. */
    if (c->n_exit_check_fix) {
        if (backend_asm_room(&c->a) < host->max_op_size)
            return -1;
        uintptr_t stub = c->exit_stub_rx;    /* placed by the host's end_block */
        if (!stub) {
            stub = backend_asm_rx_here(&c->a);
            host->exit_request_stub(c);
        }
        for (unsigned i = 0; i < c->n_exit_check_fix; i++)
            host->patch(c, c->exit_check_fix[i], stub);
    }
    if (opb_on)
        opb_add(c, NULL, OPB_STUB, backend_asm_offset(&c->a) - opb_from);
    for (unsigned i = 0; i < c->n_label_fix; i++) {
        uint32_t off = c->label_off[c->label_fix[i].label];
        if (off == UINT32_MAX) {
            fprintf(stderr, "vemu: %s backend: label %u never placed\n", host->name, c->label_fix[i].label);
            abort();
        }
        host->patch(c, c->label_fix[i].handle, c->a.rx_start + off);
    }
    if (c->a.overflow)
        return -1;
    if (c->near_missed)
        return -2;

    if (start > cb->used)
        memset(cb->rw + cb->used, host->pad_byte, start - cb->used);
    out->code_off = start;
    out->code_size = backend_asm_offset(&c->a);
    cb->used = start + out->code_size;
    return 0;
}
