/*
 * ir-opt-dce.c — dead-code elimination by backward liveness.
 *
 * Three small steps, all linear:
 *   1. unreachable code: ops after br / an exit op, up to the next label that
 *      some branch targets, can never run; labels nobody targets go too
 *      (which lets the forward passes see through them next round), and so
 *      does "br L" straight into "L:".
 *   2. liveness, walking backwards over a bitset of temps: an op without
 *      side effects whose outputs are all dead is deleted.  Globals count as
 *      outputs too, so a flag computed by one instruction and overwritten by
 *      the next before anything reads it simply disappears.
 *   3. the deleted ops (now nops) are compacted away.
 *
 * Where globals must hold their architectural values (so all are live):
 *   - at the end of the block and at every exit op (the next block or the
 *     cpu loop reads the state);
 *   - before an op that may fault (IR_OPF_MAY_FAULT): the fault handler
 *     sees the CPU state as of the faulting instruction (except globals
 *     marked IR_GLOBAL_LAZY_AT_FAULT, unless the block is precise, or the
 *     guest code after the fault reads them: see "fault reads" below);
 *   - before IR_OPF_SYNC_GLOBALS ops (goto_tb: once patched it jumps away);
 *   - before ops that read or write CPU state outside the globals' view
 *     (ld_env, st_env, exit_check);
 *   - before a helper call: those the helper reads (ir_helper_reads_global),
 *     and all (but the lazy ones) when it may fault.
 * Control flow: the live set at a label is recorded when the walk passes it;
 * a forward branch (the usual case: skipping a conditional instruction) adds
 * its target's set, which is already known because we walk backwards.  A
 * backward branch (a loop inside the block) needs its header's set before
 * the walk has seen it: the walk is iterated to a fixpoint first (see
 * ir_pass_dce()).  An op after an exit starts from "globals only".
 * "discard t" declares t's current value dead.
 *
 * Fault reads: the guest reads of lazy-at-fault globals that copy
 * propagation turned into reads of the stored value (IROp.fault_reads;
 * compare fusion then often drops even those).  The code resumed after a
 * fault reads the globals themselves, so a lazy global is live at an op
 * that may fault when such a read follows before the next write.  The walk
 * keeps those reads as extra "shadow" bits past the temps (bit n_temps +
 * lazy_bit, in the spare word every set has), so labels, branches and loops
 * carry them like any live bit; only a fault turns them into live globals.
 */
#include <stdlib.h>
#include <string.h>

#include "ir-opt-internal.h"

typedef uint64_t Word;
#define WBITS 64

static inline void bit_set(Word *s, unsigned i) { s[i / WBITS] |= (Word)1 << (i % WBITS); }
static inline void bit_clr(Word *s, unsigned i) { s[i / WBITS] &= ~((Word)1 << (i % WBITS)); }
static inline bool bit_get(const Word *s, unsigned i) { return (s[i / WBITS] >> (i % WBITS)) & 1; }

/* Set bits 0 .. n-1 of a zeroed set. */
static void bit_fill(Word *s, unsigned n)
{
    memset(s, 0xff, n / WBITS * sizeof(Word));
    if (n % WBITS)
        s[n / WBITS] = ((Word)1 << (n % WBITS)) - 1;
}

static void set_or(Word *d, const Word *s, unsigned nw)
{
    for (unsigned i = 0; i < nw; i++)
        d[i] |= s[i];
}

static uint64_t branch_target(const IROp *op)
{
    return op->opc == IR_OP_br ? ir_op_const(op, 0) : ir_op_const(op, 1);
}

/* Step 0, jump threading: a branch to a label whose code is just `br M`
 * (nops and other labels aside) goes to M directly.  Region translation
 * (frontend-arm) produces `brcond c, L1; br L2; L1: br L3; L2: ...`, which
 * becomes `brcond c, L3; L2: ...` with step 1.  label_pos: every label's
 * op index.  Returns the number of branches changed. */
static unsigned thread_jumps(IRBlock *b, const unsigned *label_pos)
{
    unsigned changes = 0;
    for (unsigned i = 0; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        if (op->opc != IR_OP_br && op->opc != IR_OP_brcond)
            continue;
        unsigned ci = op->opc == IR_OP_br ? 0 : 1;
        for (int hops = 0; hops < 8; hops++) {      /* bounded: `L: br L` loops */
            uint64_t l = ir_op_const(op, ci);
            unsigned j = label_pos[l] + 1;
            while (j < b->n_ops && (b->ops[j].opc == IR_OP_nop || b->ops[j].opc == IR_OP_label))
                j++;
            if (j >= b->n_ops || b->ops[j].opc != IR_OP_br || ir_op_const(&b->ops[j], 0) == l ||
                j == i)
                break;
            op->args[op->n_out + op->n_in + ci] = ir_op_const(&b->ops[j], 0);
            changes++;
        }
    }
    return changes;
}

/* Step 1.  label_refs and label_state are scratch arrays of n_labels;
 * has_br: the block has a `br` op.
 * Returns the number of ops removed. */
static unsigned remove_unreachable(IRBlock *b, unsigned *label_refs, unsigned *label_state, bool has_br)
{
    unsigned changes = 0;

    /* "br L" followed (maybe after nops) by "L:" */
    for (unsigned i = 0; has_br && i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        if (op->opc != IR_OP_br)
            continue;
        unsigned j = i + 1;
        while (j < b->n_ops && b->ops[j].opc == IR_OP_nop)
            j++;
        if (j < b->n_ops && b->ops[j].opc == IR_OP_label &&
            ir_op_const(&b->ops[j], 0) == ir_op_const(op, 0)) {
            ir_op_make_nop(op);
            changes++;
        }
    }

    /* Count only references from reachable branches.  One forward walk is
     * exact when branches go forward; a reachable backward branch to a label
     * the walk already judged unreachable would need another round, so then
     * we fall back to counting every branch (imprecise but sound). */
    enum { UNSEEN, SEEN_REACHABLE, SEEN_UNREACHABLE };
    memset(label_refs, 0, b->n_labels * sizeof(*label_refs));
    memset(label_state, 0, b->n_labels * sizeof(*label_state));
    bool reachable = true, precise = true;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label) {
            uint64_t l = ir_op_const(op, 0);
            reachable |= label_refs[l] > 0;
            label_state[l] = reachable ? SEEN_REACHABLE : SEEN_UNREACHABLE;
            continue;
        }
        if (!reachable)
            continue;
        if (op->opc == IR_OP_br || op->opc == IR_OP_brcond) {
            uint64_t l = branch_target(op);
            precise &= label_state[l] != SEEN_UNREACHABLE;
            label_refs[l]++;
        }
        if (op->opc == IR_OP_br || (ir_op_defs[op->opc].flags & IR_OPF_BLOCK_END))
            reachable = false;
    }
    if (!precise) {
        memset(label_refs, 0, b->n_labels * sizeof(*label_refs));
        for (unsigned i = 0; i < b->n_ops; i++) {
            const IROp *op = &b->ops[i];
            if (op->opc == IR_OP_br || op->opc == IR_OP_brcond)
                label_refs[branch_target(op)]++;
        }
    }

    reachable = true;
    for (unsigned i = 0; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        if (op->opc == IR_OP_nop)
            continue;
        if (op->opc == IR_OP_label) {
            if (label_refs[ir_op_const(op, 0)]) {
                reachable = true;
            } else {
                /* nobody jumps here: the label only blocks the forward passes */
                ir_op_make_nop(op);
                changes++;
            }
            continue;
        }
        if (!reachable) {
            /* insn_start stays: backends and exec number guest
             * instructions by counting them (IRBlock.n_insns) */
            if (op->opc != IR_OP_insn_start) {
                ir_op_make_nop(op);
                changes++;
            }
            continue;
        }
        if (op->opc == IR_OP_br || (ir_op_defs[op->opc].flags & IR_OPF_BLOCK_END))
            reachable = false;
    }
    return changes;
}

/* Which globals have to be in the CPU state just before op runs: 0 none,
 * 1 all, 2 all but the IR_GLOBAL_LAZY_AT_FAULT ones (op may fault, and
 * that is the only reason), 3 those the helper op calls reads
 * (ir_helper_reads_global), and with IR_HELPER_MAY_FAULT those of 2 as well. */
static int op_needs_globals(const IROp *op)
{
    unsigned f = ir_op_defs[op->opc].flags;
    if (f & (IR_OPF_SYNC_GLOBALS | IR_OPF_READS_STATE | IR_OPF_WRITES_STATE))
        return 1;
    if (op->opc == IR_OP_call) {
        const IRHelper *h = ir_op_helper(op);
        if (h->reads)
            return 3;
        if (!(h->flags & IR_HELPER_NO_READ_GLOBALS))
            return 1;
        return (h->flags & IR_HELPER_MAY_FAULT) ? 2 : 0;
    }
    return (f & IR_OPF_MAY_FAULT) ? 2 : 0;
}

/* May op be deleted when none of its outputs is live? */
static bool op_removable(const IRBlock *b, const IROp *op)
{
    if (op->opc == IR_OP_call) {
        const IRHelper *h = ir_op_helper(op);
        return (h->flags & IR_HELPER_NO_SIDE_EFFECTS) && !ir_helper_writes_any_global(h, b) &&
               !(h->flags & IR_HELPER_MAY_FAULT);
    }
    unsigned f = ir_op_defs[op->opc].flags;
    return op->n_out > 0 &&
           !(f & (IR_OPF_SIDE_EFFECTS | IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END | IR_OPF_MAY_FAULT));
}

/* One backward walk (step 2).  At a backward branch the live set is
 * back_live[label] when given (else: everything).  Records each label's
 * live set in label_live.  With `apply`, dead ops become nops; without, it
 * only computes (ops it would delete count as deleted, so both agree).
 * Returns the number of ops deleted (or that would be). */
/* The lazy-at-fault globals, for the fault reads. */
typedef struct LazyGlobals {
    unsigned n;
    IRTemp g[IR_MAX_LAZY_GLOBALS];   /* by lazy_bit */
} LazyGlobals;

static inline unsigned shadow_bit(const IRBlock *b, unsigned lazy_bit) { return b->n_temps + lazy_bit; }

/* The guest reads op stands for: shadow bits on. */
static inline void note_fault_reads(const IRBlock *b, Word *live, const IROp *op)
{
    for (unsigned r = op->fault_reads; r; r &= r - 1)
        bit_set(live, shadow_bit(b, (unsigned)__builtin_ctz(r)));
}

/* An op that may fault: the lazy globals read after it are live. */
static inline void fault_live(const IRBlock *b, Word *live, const LazyGlobals *lz)
{
    for (unsigned k = 0; k < lz->n; k++)
        if (bit_get(live, shadow_bit(b, k)))
            bit_set(live, lz->g[k]);
}

/* A write (or discard) of t ends the guest's interest in its older value. */
static inline void note_write(const IRBlock *b, Word *live, IRTemp t)
{
    bit_clr(live, t);
    if (t < b->n_globals && (b->temps[t].gflags & IR_GLOBAL_LAZY_AT_FAULT))
        bit_clr(live, shadow_bit(b, b->temps[t].lazy_bit));
}

static unsigned liveness_walk(IRBlock *b, unsigned nw, Word *live, const Word *globals,
                              const Word *fault_globals, const Word *all, Word *label_live,
                              const Word *back_live, const unsigned *label_pos,
                              const LazyGlobals *lz, bool apply)
{
    unsigned changes = 0;
    memcpy(live, globals, nw * sizeof(Word));   /* falling off the end: be safe */

    for (unsigned i = b->n_ops; i-- > 0;) {
        IROp *op = &b->ops[i];
        const unsigned f = ir_op_defs[op->opc].flags;

        switch (op->opc) {
        case IR_OP_nop:
            note_fault_reads(b, live, op);      /* of an op deleted earlier */
            continue;
        case IR_OP_label:
            note_fault_reads(b, live, op);
            memcpy(label_live + (size_t)ir_op_const(op, 0) * nw, live, nw * sizeof(Word));
            continue;
        case IR_OP_br: {
            uint64_t l = ir_op_const(op, 0);
            memcpy(live, label_pos[l] > i ? label_live + l * nw : back_live ? back_live + l * nw : all,
                   nw * sizeof(Word));
            continue;
        }
        case IR_OP_brcond: {
            uint64_t l = ir_op_const(op, 1);
            if (label_pos[l] > i)
                set_or(live, label_live + l * nw, nw);
            else if (back_live)
                set_or(live, back_live + l * nw, nw);
            else
                memcpy(live, all, nw * sizeof(Word));
            break;          /* inputs below */
        }
        case IR_OP_discard:
            note_write(b, live, ir_op_in(op, 0));
            continue;
        default:
            if (f & IR_OPF_BLOCK_END) {
                /* nothing after an exit runs: only the state matters */
                memcpy(live, globals, nw * sizeof(Word));
            } else if (op_removable(b, op)) {
                bool any_live = false;
                for (unsigned k = 0; k < op->n_out; k++)
                    any_live |= bit_get(live, ir_op_out(op, k));
                if (!any_live) {
                    if (apply)
                        ir_op_make_nop(op);     /* keeps its fault_reads */
                    changes++;
                    note_fault_reads(b, live, op);
                    continue;
                }
            }
            break;
        }

        for (unsigned k = 0; k < op->n_out; k++)
            note_write(b, live, ir_op_out(op, k));
        note_fault_reads(b, live, op);
        int need = op_needs_globals(op);
        if (need == 3) {
            const IRHelper *h = ir_op_helper(op);
            if (h->flags & IR_HELPER_MAY_FAULT) {
                set_or(live, fault_globals, nw);
                fault_live(b, live, lz);
            }
            for (IRTemp g = 0; g < b->n_globals; g++)
                if (ir_helper_reads_global(h, b, g))
                    bit_set(live, g);
        } else if (need) {
            set_or(live, need == 1 ? globals : fault_globals, nw);
            if (need == 2)
                fault_live(b, live, lz);
        }
        for (unsigned k = 0; k < op->n_in; k++) {
            IRTemp t = ir_op_in(op, k);
            if (!ir_temp_is_const(b, t))
                bit_set(live, t);
        }
    }
    return changes;
}

unsigned ir_pass_dce(IRBlock *b)
{
    unsigned changes = 0;
    const unsigned nw = (b->n_temps + WBITS - 1) / WBITS + 1;
    const unsigned nl = b->n_labels;

    /* one allocation: live, globals, all, fault globals, label sets
     * (twice); label positions and refs */
    size_t words = (size_t)nw * (4 + 2 * (size_t)nl);
    size_t bytes = words * sizeof(Word) + 3 * (size_t)(nl + 1) * sizeof(unsigned);
    size_t mark = ir_scratch_mark();
    Word *mem = ir_scratch_zalloc(bytes);
    if (!mem)
        return 0;
    Word *live = mem, *globals = mem + nw, *all = mem + 2 * nw, *fault_globals = mem + 3 * nw;
    Word *label_live = mem + 4 * nw;
    Word *back_live = label_live + (size_t)nl * nw;
    unsigned *label_pos = (unsigned *)(mem + words);
    unsigned *label_refs = label_pos + nl + 1;
    unsigned *label_state = label_refs + nl + 1;

    /* Ops stay where they are until the final compaction (deleted ones
     * become nops), so these positions hold for the whole pass.  The same
     * walk notes whether there is a `br` at all (jump threading and "br L;
     * L:" need one) and whether a branch may go backwards. */
    bool has_br = false, maybe_loops = false;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_label) {
            label_pos[ir_op_const(op, 0)] = i + 1;      /* + 1: placed before the ops after it */
        } else if (op->opc == IR_OP_br || op->opc == IR_OP_brcond) {
            has_br |= op->opc == IR_OP_br;
            maybe_loops |= label_pos[branch_target(op)] != 0;
        }
    }
    for (unsigned l = 0; l < nl; l++)
        label_pos[l] -= label_pos[l] != 0;
    if (has_br) {
        unsigned threaded = thread_jumps(b, label_pos);
        maybe_loops |= threaded != 0;
        changes += threaded;
    }
    changes += remove_unreachable(b, label_refs, label_state, has_br);

    /* This runs for every block: fill whole words, then fix the few lazy
     * globals, rather than a bit at a time over some hundred temps. */
    bit_fill(globals, b->n_globals);
    memcpy(fault_globals, globals, nw * sizeof(Word));
    LazyGlobals lz = { .n = b->n_lazy };
    for (unsigned k = 0; k < b->n_lazy; k++) {
        lz.g[k] = b->lazy_g[k];
        if (!b->precise)
            bit_clr(fault_globals, b->lazy_g[k]);
    }
    bit_fill(all, b->n_temps);
    for (unsigned k = 0; k < lz.n; k++)
        bit_set(all, shadow_bit(b, k));
    bool loops = false;
    for (unsigned i = 0; maybe_loops && i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if ((op->opc == IR_OP_br || op->opc == IR_OP_brcond) && label_pos[branch_target(op)] < i)
            loops = true;
    }

    /* A loop inside the block: the live set at a backward branch is its
     * header's, which the walk only learns when it gets there.  Iterate
     * from "nothing live" until the headers' sets stop growing (the least
     * fixpoint: sound, and a loop's dead flag computations can go);
     * give up and assume everything after a few rounds. */
    const Word *back = NULL;
    if (loops) {
        bool stable = false;
        for (int round = 0; round < 8 && !stable; round++) {
            liveness_walk(b, nw, live, globals, fault_globals, all, label_live, back_live, label_pos,
                          &lz, false);
            stable = memcmp(back_live, label_live, (size_t)nl * nw * sizeof(Word)) == 0;
            memcpy(back_live, label_live, (size_t)nl * nw * sizeof(Word));
        }
        back = stable ? back_live : NULL;
    }
    changes += liveness_walk(b, nw, live, globals, fault_globals, all, label_live, back, label_pos,
                             &lz, true);

    ir_scratch_release(mark);
    ir_compact_nops(b);
    return changes;
}
