/*
 * translate.c — making a block: frontend → IR → passes → backend (or a
 * stored IR copy for the interpreter), then registering it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tb.h"
#include "translator.h"
#include "../ir/ir-build.h"

/* Per thread: a translation may drop the lock while it waits for a flush. */
static __thread IRBlock ir_work;     /* reused for every translation */
static __thread IRBlock ir_before;   /* copy for -d op when op_opt is also wanted */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void ir_copy(IRBlock *dst, const IRBlock *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->globals = src->globals;
    dst->guest_pc = src->guest_pc;
    dst->ops = malloc(src->n_ops * sizeof(IROp) + 1);
    dst->temps = malloc(src->n_temps * sizeof(IRTempInfo) + 1);
    if (!dst->ops || !dst->temps) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    memcpy(dst->ops, src->ops, src->n_ops * sizeof(IROp));
    memcpy(dst->temps, src->temps, src->n_temps * sizeof(IRTempInfo));
    dst->n_ops = dst->cap_ops = src->n_ops;
    dst->n_temps = dst->cap_temps = src->n_temps;
    dst->n_globals = src->n_globals;
    dst->n_labels = src->n_labels;
    dst->n_insns = src->n_insns;
    dst->n_lazy = src->n_lazy;
    memcpy(dst->lazy_g, src->lazy_g, sizeof(dst->lazy_g));
}

/* Fill tb from the IR and the backend; false when something is full. */
static bool tb_fill(TranslationBlock *tb, const IRBlock *b, BackendRelocs *relocs)
{
    tb->n_insns = b->n_insns;
    uint32_t *insn_off = tb_arena_alloc(sizeof(uint32_t) * (b->n_insns + 1));
    uint64_t *d = tb_arena_alloc(sizeof(uint64_t) * IR_INSN_DATA_WORDS * (b->n_insns + 1));
    if (!insn_off || !d)
        return false;
    tb->insn_off = insn_off;
    tb->insn_data = d;
    /* One walk: the insn_start words, and whether a branch goes back to a
     * label placed before it (a loop inside the block). */
    uint64_t placed[(b->n_labels + 63) / 64 + 1];
    memset(placed, 0, sizeof(placed));
    bool has_loop = false;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        uint64_t l;
        switch (op->opc) {
        case IR_OP_insn_start:
            for (unsigned w = 0; w < IR_INSN_DATA_WORDS; w++)
                *d++ = ir_op_const(op, w);
            continue;
        case IR_OP_label:
            l = ir_op_const(op, 0);
            placed[l / 64] |= 1ull << (l % 64);
            continue;
        case IR_OP_br:
            l = ir_op_const(op, 0);
            break;
        case IR_OP_brcond:
            l = ir_op_const(op, 1);
            break;
        default:
            continue;
        }
        has_loop |= placed[l / 64] >> (l % 64) & 1;
    }
    tb->has_loop = has_loop;

    if (!exec_state.be) {
        tb->ir = malloc(sizeof(IRBlock));
        if (!tb->ir)
            return false;
        ir_copy(tb->ir, b);
        memset(insn_off, 0, sizeof(uint32_t) * b->n_insns);
        return true;
    }
    BackendBlock bb = {
        .tb_tag = (uintptr_t)tb,
        .insn_off = insn_off,
        .n_insns = b->n_insns,
        .relocs = relocs,
        .exit_stores_by_exec = true,
    };
    if (relocs) {                 /* a retry after a flush starts over */
        relocs->n = 0;
        relocs->overflow = false;
    }
    if (exec_state.be->emit_block(&exec_state.cb, b, &bb) < 0)
        return false;
    tb->code = exec_state.cb.rx + bb.code_off;
    tb_code_placed(tb);
    tb->code_size = (uint32_t)bb.code_size;
    for (int s = 0; s < 2; s++) {
        tb->jmp_insn_off[s] = bb.jmp_insn_off[s];
        tb->jmp_reset_off[s] = bb.jmp_reset_off[s];
        tb->exit_store[s] = bb.exit_store[s];
    }
    return true;
}

/* The physical page of guest address addr (user mode: its own page). */
static uint64_t phys_page(CPUCommon *cpu, uint64_t addr)
{
    uint64_t pa;
    if (!exec_code_phys(cpu, addr, &pa))
        pa = addr;       /* not mapped: the block only faults there */
    return pa >> exec_state.cfg.guest_page_bits;
}

/* Outside the lock: the owner may take its own locks (mprotect). */
static void code_pages_added(const TranslationBlock *tb)
{
    if (exec_state.cfg.host->code_page_added) {
        unsigned bits = exec_state.cfg.guest_page_bits;
        exec_state.cfg.host->code_page_added(tb->page[0] << bits);
        if (tb->page[1] != tb->page[0])
            exec_state.cfg.host->code_page_added(tb->page[1] << bits);
    }
}

TranslationBlock *tb_translate(CPUCommon *cpu, const TBKey *k, TranslationBlock *replace)
{
    uint64_t pc = k->pc, flags = k->flags;
    const Frontend *fe = exec_state.fe;
    uint64_t t0 = now_ns();
    pthread_mutex_lock(&exec_state.lock);

    /* Another thread may have translated (or promoted) it meanwhile. */
    TranslationBlock *tb = tb_lookup_hash(k);
    if (tb && tb != replace) {
        pthread_mutex_unlock(&exec_state.lock);
        return tb;
    }
    if (!tb)
        replace = NULL;     /* gone (invalidated): an ordinary translation */

    /* Saved by an earlier process?  (The cache checks the code is the same.)
     * Not for a promotion: the saved block may be the tier-0 one. */
    /* after a store into the running block (exec_smc_store): one
     * instruction, translated afresh */
    extern __thread bool exec_smc_single;
    bool smc_single = exec_smc_single;
    exec_smc_single = false;
    tb = replace || smc_single ? NULL : tb_persist_load(cpu, k);
    if (tb) {
        tb_insert(tb);
        pthread_mutex_unlock(&exec_state.lock);
        code_pages_added(tb);
        exec_stats.persist_load_ns += now_ns() - t0;
        return tb;
    }

    BackendRelocs *relocs = tb_persist_begin();
    IRBlock *b = &ir_work;
    if (!b->globals)
        ir_block_init_work(b, fe->globals, pc);
    else
        ir_block_reset(b, pc);
    /* gdbstub, breakpoints, single step: exact state everywhere */
    b->precise = exec_state.debug_active || exec_state.cfg.precise_state;
    /* single-stepping: one instruction per block, so the loop sees each
     * pc; breakpoints alone: blocks end before them (translator.c) */
    unsigned max_insns = exec_state.n_singlestep || smc_single ? 1 : exec_state.cfg.max_block_insns;
    /* Tiers (tb.h): new blocks start in tier 0 with a counter; a hot one
     * comes back here with `replace` set.  Not while debugging (precise
     * blocks of one instruction), nor in the interpreter. */
    uint32_t slot = 0;
    b->quick = !replace && !b->precise && exec_state.be && exec_state.tier_threshold > 0;
    if (b->quick) {
        /* tier_count instead of exit_check: a tier-0 block leaves every
         * time from the threshold-th entry on until it is promoted, so a
         * guest spinning in tier-0 code sees exit requests within a
         * threshold of entries (and 9 bytes per block are saved) */
        slot = exec_state.tier_next_slot++ % EXEC_TIER_SLOTS;
        exec_tier_arm(slot);
        ir_tier_count(b, exec_tier_offset(slot));
    } else {
        ir_exit_check(b);
    }
    uint32_t size = translator_run(fe->translator, b, cpu, pc, k->cs_base, flags, max_insns,
                                   exec_state.cfg.guest_page_bits, fe->guest_bits);

    bool want_before = exec_log_enabled(LOG_OP) && exec_log_enabled(LOG_OP_OPT | LOG_OUT_ASM | LOG_IN_ASM);
    if (want_before) {
        if (ir_before.ops)
            ir_block_free(&ir_before);
        ir_copy(&ir_before, b);
    }
    if (exec_log_enabled(LOG_OP) && !want_before)
        log_block(cpu, NULL, b, NULL);
    if (exec_state.cfg.optimize)
        ir_optimize(b);

    if (exec_state.be)
        codebuf_populate_ahead(&exec_state.cb);
    for (int attempt = 0;; attempt++) {
        tb = tb_alloc();
        if (tb) {
            tb->pc = pc;
            tb->cs_base = k->cs_base;
            tb->flags = flags;
            tb->phys_pc = k->phys_pc;
            tb->guest_size = size;
            tb->guest_lo = b->guest_lo < pc ? b->guest_lo : pc;
            tb->page[0] = phys_page(cpu, pc);
            tb->page[1] = phys_page(cpu, pc + (size ? size - 1 : 0));
            tb->tier = b->quick ? 0 : 1;
            tb->tier_slot = slot;
            if (tb_fill(tb, b, relocs))
                break;
        }
        if (attempt) {
            fputs("vemu: a single block does not fit in the code buffer\n", stderr);
            abort();
        }
        /* Full: start over with an empty cache, once no thread runs
         * generated code.  Lock order is `running` before `lock`, so drop
         * the lock while waiting; b is this thread's own. */
        pthread_mutex_unlock(&exec_state.lock);
        exec_kick_all();
        pthread_rwlock_wrlock(&exec_state.running);
        pthread_mutex_lock(&exec_state.lock);
        tb_cache_flush();
        if (exec_state.be) {
            codebuf_reset(&exec_state.cb);
            exec_state.entry = exec_state.be->init(&exec_state.cb, &exec_state.benv);
            exec_state.prologue_end = exec_state.cb.used;
        }
        exec_state.generation++;
        pthread_rwlock_unlock(&exec_state.running);
        tb = tb_lookup_hash(k);   /* someone was quicker */
        replace = NULL;           /* the flush took it */
        if (tb) {
            pthread_mutex_unlock(&exec_state.lock);
            return tb;
        }
    }
    if (replace) {
        tb_retire(replace);
        exec_stats.promotions++;
    } else if (tb->tier == 0) {
        exec_stats.tier0_blocks++;
    }
    tb_insert(tb);
    tb_persist_translated(tb);
    exec_stats.blocks_translated++;
    exec_stats.guest_insns_translated += tb->n_insns;
    exec_stats.host_bytes += tb->code_size;
    if (exec_log_enabled(LOG_IN_ASM | LOG_OUT_ASM | LOG_OP_OPT) || want_before)
        log_block(cpu, tb, want_before ? &ir_before : NULL,
                  exec_log_enabled(LOG_OP_OPT) ? b : NULL);
    pthread_mutex_unlock(&exec_state.lock);

    code_pages_added(tb);
    exec_stats.translate_ns += now_ns() - t0;
    return tb;
}
