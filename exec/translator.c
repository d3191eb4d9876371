/*
 * translator.c — the shape of a block, the same for every guest: the
 * instruction loop, block ends, branch following, loop heads and regions,
 * chain slots, and the look-ahead liveness of globals across direct exits.
 * The frontend translates single instructions (translator.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb.h"
#include "translator.h"
#include "../ir/ir-build.h"

/* ---- limits, each measured (docs/architecture.md, "Block shapes") ------- */

/* Unconditional branches followed per block. */
#define FOLLOW_MAX 4
/* Conditional exits a loop head's block goes on past. */
#define COND_EXITS_MAX 3
/* How far the look-ahead translates; it stops earlier at the first branch
 * or when every candidate global is decided. */
#define PEEK_MAX_INSNS 8
/* A block is a loop head when a direct branch in its first REGION_SPAN
 * bytes (and its page) jumps back to its start. */
#define REGION_SPAN 512
/* Parts of a loop region.  1: loops of one block.  Multi-part regions work
 * (make CFLAGS=-DREGION_MAX_PARTS=12) but measured no faster yet: see
 * docs/measurements.md, "Flags liveness across blocks and loops". */
#ifndef REGION_MAX_PARTS
#define REGION_MAX_PARTS 1
#endif
/* Globals the look-ahead tracks (IR_GLOBAL_EXIT_LIVENESS). */
#define LIVENESS_MAX 32

typedef struct RegionPart {
    uint64_t pc;
    unsigned label;
    bool placed;
} RegionPart;

typedef struct Region {
    uint64_t entry, limit;      /* parts lie in [entry, limit) */
    unsigned n;
    bool closed;                /* out of budget: no more branches inside */
    RegionPart part[REGION_MAX_PARTS];
} Region;

struct Translator {
    const TranslatorOps *ops;
    void *ctx;
    IRBlock *b;
    CPUCommon *cpu;
    uint64_t block_pc, cs_base, flags;   /* the block's key */
    unsigned page_bits;
    bool lookahead;
    bool optimise;              /* !b->precise: follow branches */
    bool shape;                 /* and !b->quick: look-ahead, loop regions */
    bool first;                 /* the current insn is the run's first */
    bool state_changed;         /* the run ended after a TR_END_AFTER */
    unsigned guest_bits;        /* 32 or 64: the width of guest pcs */
    uint64_t pc;                /* the instruction being translated */
    uint64_t lo, hi;            /* guest bytes translated */
    unsigned n_insns, max_insns;
    unsigned slots_used;
    unsigned n_cond_exits;
    Region *region;
    /* followed branches: the runs translated so far and where to go on */
    unsigned n_follow;
    bool follow_pending;
    uint64_t follow_dest;
    uint64_t run_start;
    uint64_t done_lo[FOLLOW_MAX], done_hi[FOLLOW_MAX];
};

IRBlock *tr_block(const Translator *tr) { return tr->b; }
CPUCommon *tr_cpu(const Translator *tr) { return tr->cpu; }
uint64_t tr_block_flags(const Translator *tr) { return tr->flags; }
uint64_t tr_block_pc(const Translator *tr) { return tr->block_pc; }
uint64_t tr_block_cs_base(const Translator *tr) { return tr->cs_base; }
bool tr_lookahead(const Translator *tr) { return tr->lookahead; }
bool tr_first_insn(const Translator *tr) { return tr->first; }

static bool same_page(const Translator *tr, uint64_t a, uint64_t b)
{
    return ((a ^ b) >> tr->page_bits) == 0;
}

bool tr_code_read(Translator *tr, uint64_t addr, void *buf, unsigned len)
{
    if (tr->lookahead) {
        if (!same_page(tr, addr, tr->block_pc) || !same_page(tr, addr + len - 1, tr->block_pc))
            return false;
        return tr_code_probe(tr->cpu, addr, buf, len);
    }
    return exec_code_fetch(tr->cpu, addr, buf, len);
}

/* ---- the instruction loop ------------------------------------------------- */

/* Translate instructions from tr->pc until the block ends (true: the last
 * one emitted its exits) or should end before tr->pc (false).  stop(tr)
 * is asked after each instruction. */
/* While breakpoints are set (and no cpu single-steps, which makes every
 * block one instruction), blocks are as long as usual but end before any
 * breakpoint pc, so that each breakpoint starts a block and the loop's
 * check before each block sees it (exec/debug.c).  Under exec's lock,
 * which breakpoint changes take too. */
static bool breakpoint_at(uint64_t pc)
{
    if (!exec_state.debug_active)
        return false;
    for (unsigned i = 0; i < exec_state.n_breakpoints; i++)
        if (exec_state.breakpoints[i] == pc)
            return true;
    return false;
}

static bool run_insns(Translator *tr, unsigned max_insns, bool (*stop)(Translator *tr))
{
    unsigned n = 0;             /* in this call */
    tr->state_changed = false;
    for (;;) {
        /* A followed branch's run reached code this block already has:
         * leave for it instead of translating it twice. */
        for (unsigned i = 0; i < tr->n_follow; i++)
            if (tr->pc >= tr->done_lo[i] && tr->pc < tr->done_hi[i])
                return false;
        tr->first = n == 0;
        unsigned len = 0;
        uint64_t pc = tr->pc;
        TrStatus st = tr->ops->translate_insn(tr->ctx, pc, &len);
        if (st == TR_STOP_BEFORE)
            return false;
        if (pc < tr->lo)
            tr->lo = pc;
        n++;
        tr->n_insns++;
        tr->pc = pc + len;
        if (tr->pc > tr->hi)
            tr->hi = tr->pc;
        if (tr->follow_pending) {
            tr->follow_pending = false;
            tr->done_hi[tr->n_follow - 1] = tr->pc;
            tr->pc = tr->follow_dest;
            if (tr->n_insns >= max_insns)
                return false;           /* the exit goes to the target */
            continue;
        }
        if (st == TR_EXITED)
            return true;
        if (stop && stop(tr))
            return false;
        if (st == TR_END_AFTER) {
            tr->state_changed = true;
            return false;
        }
        /* stop at (or, for an instruction straddling it, past) a page
         * boundary, and before a breakpoint (see breakpoint_at) */
        if (tr->n_insns >= max_insns || !same_page(tr, pc, tr->pc) || breakpoint_at(tr->pc))
            return false;
    }
}

/* ---- following unconditional branches --------------------------------------
 *
 * `b handler_done` at the end of an interpreter's opcode handler, `b
 * loop_head`, a jump to a small leaf: instead of ending the block there,
 * translation continues at the target, so the code after the branch joins
 * the block (its registers stay in host registers, no chained jump, no
 * block entry) and each copy of a dispatch sequence ends in its own host
 * indirect jump, which the host predicts per handler.  Only targets in the
 * block's first page (a change there invalidates this block: exec checks
 * [guest_lo, pc + size)), at most FOLLOW_MAX per block, never into code the
 * block already covers (no unrolling), never with a mode switch or while
 * debugging. */
static bool try_follow(Translator *tr, uint64_t dest, uint64_t dest_flags)
{
    if (!tr->optimise || tr->lookahead || dest_flags != tr->flags || tr->n_follow >= FOLLOW_MAX ||
        !same_page(tr, dest, tr->block_pc) || (dest >= tr->run_start && dest <= tr->pc))
        return false;
    for (unsigned i = 0; i < tr->n_follow; i++)
        if (dest >= tr->done_lo[i] && dest < tr->done_hi[i])
            return false;
    tr->done_lo[tr->n_follow] = tr->run_start;
    tr->done_hi[tr->n_follow] = tr->pc + 1;   /* the branch's end: set after it */
    tr->n_follow++;
    tr->run_start = dest;
    tr->follow_pending = true;
    tr->follow_dest = dest;
    return true;
}

/* ---- look-ahead liveness across direct exits ---------------------------------
 *
 * A guest's condition flags are globals that nearly every instruction
 * writes; at a block exit all of them must be in the cpu state because the
 * next block may read them, although most successors (a loop's own head,
 * the code after a compare) set them again before anything reads them.  So
 * before a direct exit we translate the first few instructions at the
 * target into a scratch block and look at its IR in order: a global marked
 * IR_GLOBAL_EXIT_LIVENESS that is written before it is read (on the
 * straight-line path, before the first branch, label, exit or helper that
 * reads it) is dead at the exit and gets a `discard`, and DCE deletes its
 * computation.
 *
 * Sound because:
 *   - the target is only looked at when it lies in this block's first page:
 *     code there that changes invalidates this block too (exec drops every
 *     block of a written code page), so the decision never outlives the code
 *     it was made on; the look-ahead reads only that page;
 *   - the target is translated with the mode flags it will run with; exits
 *     after a change of translation state (TR_GOTO_FLAGS_UNKNOWN) are not
 *     optimised.
 * The trade-off, as in other fast translators: a signal delivered at the
 * start of the successor, or a fault inside it before it writes the
 * globals, shows older values in the signal frame.  The program cannot tell
 * (it overwrites them before reading, and sigreturn resumes there), only a
 * handler that inspects the saved context or a debugger can; with the
 * gdbstub in use exec asks for exact state (b->precise) and this is off. */

typedef struct Liveness {
    const IRGlobalSet *gs;      /* the set `tracked` was built for */
    unsigned n;
    IRTemp tracked[LIVENESS_MAX];
    /* scanning a scratch block */
    unsigned scanned;
    uint32_t live, killed;
    bool done;
} Liveness;

static __thread IRBlock peek_block;
static __thread Liveness peek;

static int tracked_index(IRTemp t)
{
    for (unsigned i = 0; i < peek.n; i++)
        if (peek.tracked[i] == t)
            return (int)i;
    return -1;
}

static void peek_scan(const IRBlock *b)
{
    uint32_t all = peek.n == 32 ? ~0u : (1u << peek.n) - 1;
    unsigned i;
    for (i = peek.scanned; i < b->n_ops && !peek.done; i++) {
        const IROp *op = &b->ops[i];
        unsigned f = ir_op_defs[op->opc].flags;
        if (op->opc == IR_OP_insn_start || op->opc == IR_OP_nop)
            continue;
        if (f & IR_OPF_READS_STATE) {
            peek.done = true;       /* may read any global: the undecided stay live */
            break;
        }
        if (op->opc == IR_OP_call) {
            const IRHelper *h = ir_op_helper(op);
            for (unsigned x = 0; x < peek.n; x++)
                if (!((peek.live | peek.killed) & 1u << x) && ir_helper_reads_global(h, b, peek.tracked[x]))
                    peek.live |= 1u << x;
        }
        for (unsigned k = 0; k < op->n_in; k++) {
            int x = tracked_index(ir_op_in(op, k));
            if (x >= 0 && !((peek.live | peek.killed) & 1u << x))
                peek.live |= 1u << x;
        }
        for (unsigned k = 0; k < op->n_out; k++) {
            int x = tracked_index(ir_op_out(op, k));
            if (x >= 0 && !((peek.live | peek.killed) & 1u << x))
                peek.killed |= 1u << x;
        }
        if (op->opc == IR_OP_call) {
            /* what it writes is decided only if nothing read it before */
            const IRHelper *h = ir_op_helper(op);
            for (unsigned x = 0; x < peek.n; x++)
                if (!((peek.live | peek.killed) & 1u << x) && ir_helper_writes_global(h, b, peek.tracked[x]))
                    peek.killed |= 1u << x;
        }
        if ((f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END | IR_OPF_SYNC_GLOBALS)) ||
            (peek.live | peek.killed) == all)
            peek.done = true;
    }
    peek.scanned = i;
}

static bool peek_stop(Translator *tr)
{
    peek_scan(tr->b);
    return peek.done;
}

static void discard_dead_globals(Translator *tr, uint64_t dest, uint64_t dest_flags, unsigned how)
{
    if (!tr->shape || tr->lookahead || (how & TR_GOTO_FLAGS_UNKNOWN) || !same_page(tr, dest, tr->block_pc))
        return;
    const IRGlobalSet *gs = tr->b->globals;
    if (peek.gs != gs) {
        peek.gs = gs;
        peek.n = 0;
        for (unsigned g = 0; g < gs->n && peek.n < LIVENESS_MAX; g++)
            if (gs->g[g].gflags & IR_GLOBAL_EXIT_LIVENESS)
                peek.tracked[peek.n++] = g;
    }
    if (!peek.n)
        return;
    if (!peek_block.globals)
        ir_block_init(&peek_block, gs, dest);
    else
        ir_block_reset(&peek_block, dest);
    _Alignas(16) unsigned char ctx[TR_CTX_MAX];
    Translator p = {
        .ops = tr->ops,
        .ctx = ctx,
        .b = &peek_block,
        .cpu = tr->cpu,
        .block_pc = dest,
        .cs_base = tr->cs_base,
        .flags = dest_flags,
        .page_bits = tr->page_bits,
        .guest_bits = tr->guest_bits,
        .lookahead = true,
        .optimise = true,
        .shape = true,
        .pc = dest,
        .lo = dest,
        .hi = dest,
        .max_insns = PEEK_MAX_INSNS,
        .run_start = dest,
    };
    peek.scanned = 0;
    peek.live = peek.killed = 0;
    peek.done = false;
    tr->ops->run_start(ctx, &p, dest, dest_flags);
    run_insns(&p, PEEK_MAX_INSNS, peek_stop);
    peek_scan(&peek_block);
    for (unsigned x = 0; x < peek.n; x++)
        if (peek.killed & 1u << x)
            ir_discard(tr->b, peek.tracked[x]);
}

/* ---- loop heads and regions ----------------------------------------------------
 *
 * A loop whose body has branches inside it (Collatz: `tst; orreq; lsreq;
 * beq` → two paths → back) is several guest blocks.  Chained, each of them
 * loads the guest registers it uses from the cpu state and stores what it
 * changed, on every iteration.  When the block being translated is a loop
 * head (a direct branch within the next REGION_SPAN bytes of the same page
 * targets it), we translate the loop as one region instead: a direct exit to
 * an address in [entry, entry + REGION_SPAN) with the same translation state
 * becomes a branch to a label inside the block, and the code at that address
 * is translated later in the same block (at most REGION_MAX_PARTS parts).
 * The backend then keeps guest registers in host registers around the loop
 * (docs/backend.md, loop register maps) and DCE sees the flags across the parts.
 * A loop head's block also goes on past up to COND_EXITS_MAX conditional
 * exits (a loop body with early exits, gzip's longest_match, becomes one
 * block that loops inside itself); outside loop heads that measured worse
 * (hot mid-block exits lose their chained jump).
 *
 * Rules that keep it exact:
 *   - a branch back to a part already placed (every cycle has one) first
 *     checks exit_request, so signals and exit requests still get through;
 *     for the entry that is exit_check (whose exit restarts the block at its
 *     start), for other parts an explicit test that leaves with the pc of
 *     the part;
 *   - every part lies at or after the entry, in its page: the block covers
 *     [entry, end of the last part), which is what invalidation looks at;
 *   - a region has two chain slots like any block; further exits probe the
 *     jump cache (goto_lookup_pc). */

/* Does a direct branch in [entry, limit) jump to entry?  Asked of the
 * frontend's decoder without translating. */
static bool branch_back_to(const Translator *tr, uint64_t entry, uint64_t limit)
{
    uint64_t pc = entry;
    while (pc < limit) {
        uint64_t target = 0;
        bool is_branch = false;
        unsigned len = tr->ops->insn_branch(tr->cpu, pc, tr->flags, &target, &is_branch);
        if (!len || pc + len > limit)
            return false;
        if (is_branch && target == entry)
            return true;
        pc += len;
    }
    return false;
}

static IRTemp guest_const(const Translator *tr, uint64_t v)
{
    return tr->guest_bits == 64 ? ir_const64(tr->b, v) : ir_const32(tr->b, (uint32_t)v);
}

/* A direct exit to dest: a branch inside the region?  Emits it if so. */
static bool region_branch(Translator *tr, uint64_t dest, uint64_t dest_flags, unsigned how)
{
    Region *r = tr->region;
    if (!r || r->closed || tr->lookahead || (how & TR_GOTO_FLAGS_UNKNOWN) || dest < r->entry ||
        dest >= r->limit || dest_flags != tr->flags)
        return false;
    RegionPart *p = NULL;
    for (unsigned i = 0; i < r->n && !p; i++)
        if (r->part[i].pc == dest)
            p = &r->part[i];
    if (!p) {
        if (r->n == REGION_MAX_PARTS)
            return false;
        p = &r->part[r->n++];
        *p = (RegionPart){ .pc = dest, .label = ir_label_new(tr->b) };
    }
    discard_dead_globals(tr, dest, dest_flags, how);     /* as for a chained exit */
    IRBlock *b = tr->b;
    if (!p->placed) {
        ir_br(b, p->label);                 /* forward: translated later */
    } else if (p == &r->part[0]) {
        ir_exit_check(b);                   /* its exit restarts the block */
        ir_br(b, p->label);
    } else {
        IRTemp req = ir_ld_env(b, IR_I32, offsetof(CPUCommon, exit_request), IR_MO_32);
        ir_brcond(b, IR_COND_EQ, req, ir_const32(b, 0), p->label);
        tr->ops->gen_set_pc(tr->ctx, dest);
        ir_exit_tb(b, IR_EXIT_NOCHAIN);
    }
    return true;
}

/* The chain slot for a direct exit: a block has two, handed out in the
 * order its exits are emitted; false when both are taken. */
static bool take_chain_slot(Translator *tr, unsigned *slot)
{
    for (unsigned k = 0; k < 2; k++)
        if (!(tr->slots_used & 1u << k)) {
            tr->slots_used |= 1u << k;
            *slot = k;
            return true;
        }
    return false;
}

bool tr_goto(Translator *tr, uint64_t dest, uint64_t dest_flags, unsigned how)
{
    if ((how & TR_GOTO_MAY_FOLLOW) && try_follow(tr, dest, dest_flags))
        return true;
    if (region_branch(tr, dest, dest_flags, how))
        return false;
    discard_dead_globals(tr, dest, dest_flags, how);
    IRBlock *b = tr->b;
    unsigned slot;
    /* System mode never chains to another virtual page (its mapping may
     * change, and a chained jump would not notice): such an exit probes the
     * jump cache, which a TLB flush clears, instead of going back to the
     * loop. */
    bool chainable = !exec_state.cfg.softtlb || same_page(tr, dest, tr->block_pc);
    if (!chainable || !take_chain_slot(tr, &slot)) {
        /* more exits than chain slots: probe the jump cache */
        tr->ops->gen_set_pc(tr->ctx, dest);
        /* a direct jump stays in the block's code segment */
        ir_goto_lookup_pc(b, guest_const(tr, dest), guest_const(tr, tr->cs_base), ir_const64(b, dest_flags));
        return false;
    }
    ir_goto_tb(b, slot);
    tr->ops->gen_set_pc(tr->ctx, dest);
    ir_exit_tb(b, slot ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
    return false;
}

bool tr_cond_exit_continue(Translator *tr)
{
    if (!tr->region || !tr->optimise || tr->lookahead || tr->n_cond_exits >= COND_EXITS_MAX)
        return false;
    tr->n_cond_exits++;
    return true;
}

uint32_t translator_run(const TranslatorOps *ops, IRBlock *b, CPUCommon *cpu, uint64_t pc, uint64_t cs_base,
                        uint64_t flags, unsigned max_insns, unsigned page_bits, unsigned guest_bits)
{
    if (ops->ctx_size > TR_CTX_MAX) {
        fprintf(stderr, "vemu: frontend translation context too large (%zu > %d)\n", ops->ctx_size,
                TR_CTX_MAX);
        abort();
    }
    _Alignas(16) unsigned char ctx[TR_CTX_MAX];
    Translator tr = {
        .ops = ops,
        .ctx = ctx,
        .b = b,
        .cpu = cpu,
        .block_pc = pc,
        .cs_base = cs_base,
        .flags = flags,
        .page_bits = page_bits,
        .guest_bits = guest_bits,
        .optimise = !b->precise,
        .shape = !b->precise && !b->quick,
        .pc = pc,
        .lo = pc,
        .hi = pc,
        .max_insns = max_insns ? max_insns : 512,
        .run_start = pc,
    };
    max_insns = tr.max_insns;
    ops->run_start(ctx, &tr, pc, flags);
    /* the block's top: a loop of one block branches here (DCE drops the
     * label when nothing does) */
    unsigned top = ir_label_new(b);
    ir_set_label(b, top);

    Region region;
    uint64_t page_end = ((pc >> page_bits) + 1) << page_bits;
    uint64_t limit = pc + REGION_SPAN < page_end ? pc + REGION_SPAN : page_end;
    if (tr.shape && max_insns > 1 && ops->insn_branch && branch_back_to(&tr, pc, limit)) {
        region = (Region){ .entry = pc, .limit = limit, .n = 1 };
        region.part[0] = (RegionPart){ .pc = pc, .label = top, .placed = true };
        tr.region = &region;
    }

    if (!run_insns(&tr, max_insns, NULL)) {
        if (!tr.n_insns) {
            /* translate_insn's contract: the block's first instruction is
             * translated or becomes a fault, never TR_STOP_BEFORE */
            fprintf(stderr, "vemu: internal error: empty block at 0x%llx\n", (unsigned long long)pc);
            abort();
        }
        ops->end_block(ctx, tr.pc, tr.state_changed);
    }
    /* the other parts of a region, in the order they were found */
    for (unsigned i = 1; tr.region && i < region.n; i++) {
        RegionPart *p = &region.part[i];
        ir_set_label(b, p->label);
        p->placed = true;
        tr.pc = p->pc;
        tr.run_start = p->pc;
        ops->run_start(ctx, &tr, p->pc, flags);
        if (tr.n_insns >= max_insns) {
            /* out of budget: leave for the part's address */
            region.closed = true;
            ops->end_block(ctx, p->pc, false);
            continue;
        }
        if (!run_insns(&tr, max_insns, NULL))
            ops->end_block(ctx, tr.pc, tr.state_changed);
    }
    b->guest_lo = tr.lo;
    return (uint32_t)(tr.hi - pc);
}

bool tr_code_probe(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    const ExecHostOps *host = exec_state.cfg.host;
    bool ok = host && host->code_probe && host->code_probe(cpu, addr, buf, len);
    tb_persist_note_read(addr, len, ok);
    return ok;
}

uint32_t frontend_translate(const Frontend *fe, IRBlock *b, CPUCommon *cpu, uint64_t pc, uint64_t flags,
                            unsigned max_insns)
{
    unsigned bits = exec_state.cfg.guest_page_bits ? exec_state.cfg.guest_page_bits : 12;
    return translator_run(fe->translator, b, cpu, pc, 0, flags, max_insns, bits, fe->guest_bits);
}

void tr_gen_fault_info(IRBlock *b, IRTemp addr64, ExecAccess access, ExecFaultReason reason)
{
    ir_st_env(b, addr64, offsetof(CPUCommon, fault_addr), IR_MO_64);
    ir_st_env(b, ir_const32(b, access), offsetof(CPUCommon, fault_access), IR_MO_32);
    ir_st_env(b, ir_const32(b, reason), offsetof(CPUCommon, fault_reason), IR_MO_32);
}
