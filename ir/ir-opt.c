/*
 * ir-opt.c — the standard optimisation pipeline.
 *
 * Constant folding, copy propagation and dead-code elimination feed each
 * other (a folded branch makes code unreachable, a deleted label lets
 * constants flow further), so the trio runs until nothing changes, at most
 * a few rounds: translation time matters as much as code quality.
 *
 * In debug builds (-DVEMU_DEBUG) or with VEMU_IR_VERIFY=1 in the
 * environment, the verifier runs before the first pass and after every
 * pass, and a broken block aborts with the name of the pass that broke it.
 */
#include <stdlib.h>
#include <string.h>

#include "ir-opt-internal.h"

#define MAX_ROUNDS 4

unsigned ir_compact_nops(IRBlock *b)
{
    unsigned j = 0;
    uint8_t reads = 0;      /* fault_reads of the nops since the last op kept */
    for (unsigned i = 0; i < b->n_ops; i++) {
        if (b->ops[i].opc == IR_OP_nop) {
            reads |= b->ops[i].fault_reads;
            continue;
        }
        if (i != j)
            b->ops[j] = b->ops[i];
        /* the reads happened just before this op (only nops in between) */
        b->ops[j].fault_reads |= reads;
        reads = 0;
        j++;
    }
    unsigned removed = b->n_ops - j;
    b->n_ops = j;
    return removed;
}

static bool verify_enabled(void)
{
#ifdef VEMU_DEBUG
    return true;
#else
    /* -1 unknown, 0 off, 1 on; a benign race: every thread computes the same */
    static int enabled = -1;
    int e = __atomic_load_n(&enabled, __ATOMIC_RELAXED);
    if (e < 0) {
        const char *s = getenv("VEMU_IR_VERIFY");
        e = s && strcmp(s, "0") != 0 && *s;
        __atomic_store_n(&enabled, e, __ATOMIC_RELAXED);
    }
    return e;
#endif
}

static void check(const IRBlock *b, const char *after)
{
    if (ir_verify(b, stderr) == 0)
        return;
    fprintf(stderr, "vemu: IR verification failed after %s\n", after);
    ir_dump(b, stderr);
    abort();
}

void ir_optimize(IRBlock *b)
{
    const bool verify = verify_enabled();
    if (verify)
        check(b, "the frontend");
    /* The first tier (IRBlock.quick) stops after one round: most blocks
     * run a few times, and the rounds after the first rarely change much. */
    const int rounds = b->quick ? 1 : MAX_ROUNDS;
    for (int round = 0; round < rounds; round++) {
        unsigned changes = 0;
        /* Tier 0 runs copy propagation and DCE only.  Measured on python3
         * -c pass (docs/measurements.md, "Tier-0 translation cost, third
         * round"): constant folding cost 2,400 instructions a block and
         * compare fusion 800, for 3.7% and 0.4% more host code; the extra
         * code ran ~200 instructions a block in all, since tier-0 code
         * runs a few times (a hot block is translated again, in full). */
        if (!b->quick) {
            changes += ir_pass_const_fold(b);
            if (verify)
                check(b, "constant folding");
        }
        changes += ir_pass_copy_prop(b);
        if (verify)
            check(b, "copy propagation");
        /* Once, when copy propagation has exposed the flag computations;
         * not counted as a change: what it rewrites feeds no other pass,
         * and the DCE below removes what it left dead. */
        if (round == 0 && !b->quick) {
            ir_pass_cmp_fusion(b);
            if (verify)
                check(b, "compare fusion");
            /* Sinking pays in loops whose exits discard the flags: tier 0
             * has neither (no look-ahead, no loop heads), and there it
             * changed no code while costing ~1% of translation. */
            ir_pass_sink_flags(b);
            if (verify)
                check(b, "flag sinking");
        }
        changes += ir_pass_dce(b);
        if (verify)
            check(b, "dead-code elimination");
        if (!changes)
            break;
    }
    /* DCE, the last pass of every round, has compacted the block. */
}
