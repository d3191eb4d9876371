/*
 * tb.h — translation blocks and the structures that find them (private to exec/).
 */
#ifndef VEMU_EXEC_TB_H
#define VEMU_EXEC_TB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "exec.h"

typedef struct TranslationBlock TranslationBlock;

/* What identifies a block: the guest pc, the code segment base (x86; 0
 * elsewhere), the frontend's mode flags, and the physical address of the
 * pc (system mode: the same virtual pc in two address spaces is two
 * blocks; user mode: equal to pc). */
typedef struct TBKey {
    uint64_t pc, cs_base, flags, phys_pc;
} TBKey;

struct TranslationBlock {
    uint64_t pc;                 /* guest address of the first instruction */
    uint64_t cs_base;            /* the rest of the key (TBKey) */
    uint64_t flags;
    uint64_t phys_pc;
    uint32_t guest_size;         /* guest code covered: [pc, pc + guest_size) ... */
    uint64_t guest_lo;           /* ... and [guest_lo, pc) (same page as pc) */
    uint32_t n_insns;
    bool invalid;
    bool has_loop;               /* branches back inside itself (see tb_invalidate) */
    uint8_t tier;                /* 0: first tier, counting its runs; 1: full */
    uint32_t tier_slot;          /* tier 0: its counter (exec_tier_counter) */
    const uint8_t *code;         /* rx address of the host code (NULL in interp mode) */
    uint32_t code_size;
    uint32_t jmp_insn_off[2];    /* patchable jumps, UINT32_MAX when absent */
    uint32_t jmp_reset_off[2];
    /* made by exec when the block leaves through slot s unchained (the
     * backend left the store out of the code: BackendBlock.exit_store) */
    BackendExitStore exit_store[2];
    TranslationBlock *jmp_dest[2];   /* where each slot is chained to */
    /* Incoming chained jumps form a list of tagged pointers (tb | slot):
     * the head is in the destination, the links in the sources. */
    uintptr_t jmp_in_head;
    uintptr_t jmp_in_next[2];
    uint32_t index;              /* in creation order (tb-cache.c's tb_by_code) */
    uint64_t page[2];            /* physical guest pages covered (page[1] == page[0] if one) */
    TranslationBlock *page_next[2];
    /* Both in the TB arena, or for a block loaded from the translation
     * cache in that file's mapping (kept until the next flush). */
    const uint32_t *insn_off;    /* host offset of each guest insn (n_insns) */
    const uint64_t *insn_data;   /* insn_start's words of each insn (n_insns x IR_INSN_DATA_WORDS) */
    IRBlock *ir;                 /* interp mode: the block to interpret */
    struct TBPersistInfo *persist;   /* tb-persist.c: how to save it (NULL: it is not saved) */
};

/* The guest pc of instruction i of tb. */
static inline uint64_t tb_insn_pc(const TranslationBlock *tb, unsigned i)
{
    return tb->insn_data[i * IR_INSN_DATA_WORDS];
}

#define TB_JMP_CACHE_BITS 14   /* 512 KiB per cpu; 12 bits missed 2.4M times in sqlite3 (bench), 14: 0.33M */
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)

/* 32 bytes, laid out for the probe generated code may do inline (see
 * BackendEnv): compare pc, cs_base and flags, then jump to code if it is not
 * NULL.  The TranslationBlock, which only C code needs, is in the parallel
 * array TBJumpCache.tb so the entry stays a power of two. */
typedef struct TBJumpCacheEntry {
    uint64_t pc;
    uint64_t cs_base;
    uint64_t flags;
    const void *code;            /* tb->code, NULL once tb is invalidated */
} TBJumpCacheEntry;

/* Entries filled since the last flush, so that a flush clears what was
 * used, not the whole 640 KiB: system mode flushes at every guest TLB flush
 * (an ARMv5 context switch), with a few hundred entries in use. */
#define TB_JMP_CACHE_LOG 1024

struct TBJumpCache {
    TBJumpCacheEntry e[TB_JMP_CACHE_SIZE];
    TranslationBlock *tb[TB_JMP_CACHE_SIZE];   /* the block of e[i] */
    /* Indexes set since the last flush (each at least once; duplicates
     * are harmless); beyond TB_JMP_CACHE_LOG only counted, and the next
     * flush clears everything. */
    unsigned n_filled;
    uint16_t filled[TB_JMP_CACHE_LOG];
};
_Static_assert(TB_JMP_CACHE_BITS <= 16, "TBJumpCache.filled holds 16-bit indexes");

/* The entry for pc.  Any byte may start a block (x86 guests), yet ARM's
 * 4-byte-aligned pcs must spread over every entry too: pc ^ (pc >> 2) mixes
 * the low bits so 1 << TB_JMP_CACHE_BITS consecutive pcs of either kind
 * (bytes, or words in an aligned window) get distinct entries (the map is
 * triangular with a unit diagonal; tests/unit/test-backend-jmpcache.c
 * checks it), and the third term folds in the bits above the window. */
static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    return (unsigned)(pc ^ (pc >> 2) ^ (pc >> (2 + TB_JMP_CACHE_BITS))) & (TB_JMP_CACHE_SIZE - 1);
}

/* Does entry h hold the key (pc, cs_base, flags)? */
static inline bool tb_jmp_cache_match(const struct TBJumpCache *jc, unsigned h, uint64_t pc,
                                      uint64_t cs_base, uint64_t flags)
{
    const TBJumpCacheEntry *e = &jc->e[h];
    return e->pc == pc && e->cs_base == cs_base && e->flags == flags;
}

/* Remember tb for (pc, cs_base, flags) in this cpu's jump cache.  The code
 * pointer is stored last, so a concurrent reader never pairs it with a
 * stale key. */
static inline void tb_jmp_cache_set(struct TBJumpCache *jc, uint64_t pc, uint64_t cs_base, uint64_t flags,
                                    TranslationBlock *tb)
{
    unsigned h = tb_jmp_cache_hash(pc);
    TBJumpCacheEntry *e = &jc->e[h];
    if (!jc->tb[h]) {                 /* not yet in the log since the last flush */
        if (jc->n_filled < TB_JMP_CACHE_LOG)
            jc->filled[jc->n_filled] = (uint16_t)h;
        if (jc->n_filled <= TB_JMP_CACHE_LOG)
            jc->n_filled++;
    }
    __atomic_store_n(&e->code, NULL, __ATOMIC_RELAXED);
    e->pc = pc;
    e->cs_base = cs_base;
    e->flags = flags;
    jc->tb[h] = tb;
    __atomic_store_n(&e->code, (const void *)tb->code, __ATOMIC_RELEASE);
    /* tb may have been invalidated since we found it (another thread
     * stored into its page), and its invalidation may have scanned the jump
     * caches before this entry existed: generated code would then jump to
     * the stale block for as long as the entry lives.  tb_invalidate marks
     * the block before it scans, so after a full fence one of the two sees
     * the other. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
        __atomic_store_n(&e->code, NULL, __ATOMIC_RELAXED);
        jc->tb[h] = NULL;
    }
}

/* ---- tiers ---------------------------------------------------------------
 *
 * A block is first translated cheaply (tier 0: IRBlock.quick) with a
 * counter that its code decrements on every entry; when the counter reaches
 * zero the block leaves like an exit_check and the loop translates it again
 * with the full optimiser (tier 1), replacing it.  The counters are int32s
 * in a table of EXEC_TIER_SLOTS just below each cpu state (negative offsets
 * from the cpu pointer that generated code holds), one slot per tier-0
 * block, reused round robin: a slot shared by two blocks only makes one of
 * them hot early. */
#define EXEC_TIER_SLOTS 32768u
#define EXEC_TIER_THRESHOLD 1000
#define EXEC_TIER_TABLE_BYTES (EXEC_TIER_SLOTS * sizeof(int32_t))
static inline int32_t exec_tier_offset(uint32_t slot)
{
    return -(int32_t)((EXEC_TIER_SLOTS - slot) * sizeof(int32_t));
}
static inline int32_t *exec_tier_counter(CPUCommon *cpu, uint32_t slot)
{
    return (int32_t *)((uint8_t *)cpu + exec_tier_offset(slot));
}

/* cpu-loop.c: set slot's counter to the threshold in every cpu (exec's
 * lock held), for a tier-0 block being set up. */
void exec_tier_arm(uint32_t slot);

/* The engine's global state (exec.c). */
typedef struct ExecState {
    ExecConfig cfg;
    const Frontend *fe;
    const Backend *be;
    CodeBuf cb;
    BackendEnv benv;
    uintptr_t entry;             /* backend prologue */
    pthread_mutex_t lock;        /* translation, tables, chaining */
    /* Held for reading by every thread while it runs generated code; a
     * flush of the code buffer takes it for writing, so no thread is
     * inside the buffer when it is reused. */
    pthread_rwlock_t running;
    unsigned generation;         /* bumped by every flush */
    CPUCommon **cpus;            /* every live cpu, to kick them */
    /* debugging: breakpoints, and how many cpus single-step */
    uint64_t breakpoints[64];
    unsigned n_breakpoints;
    unsigned n_singlestep;
    volatile bool debug_active; /* either of the above: one-insn blocks, no chaining */
    unsigned n_cpus, cap_cpus;
    int fork_snapshot_fd;        /* between exec_fork_prepare and the fork's end */
    uint32_t tier_next_slot;     /* the next tier-0 counter slot */
    bool tier_armed;             /* some slot was armed (exec_tier_arm) */
    int32_t tier_threshold;      /* entries before a tier-0 block is hot; 0: one tier */
    size_t prologue_end;         /* the backend's init() wrote [0, prologue_end) of the buffer */
} ExecState;

extern ExecState exec_state;

/* The physical address of guest code at vaddr: the owner's mapping in
 * system mode, vaddr itself in user mode.  false: not mapped. */
static inline bool exec_code_phys(CPUCommon *cpu, uint64_t vaddr, uint64_t *paddr)
{
    const ExecHostOps *host = exec_state.cfg.host;
    *paddr = vaddr;
    return !host->code_phys_addr || host->code_phys_addr(cpu, vaddr, paddr);
}

/* tb-cache.c */
void tb_cache_init(void);
TranslationBlock *tb_alloc(void);
void *tb_arena_alloc(size_t size);
/* Is every block descriptor (the TB arena) within a rel32 of host address
 * from?  (Loaded code that reaches its tag rip-relatively.) */
bool tb_arena_within_rel32(uintptr_t from);
TranslationBlock *tb_lookup_hash(const TBKey *k);
void tb_insert(TranslationBlock *tb);
/* The guest code of tb changed: it must never run again. */
void tb_invalidate(TranslationBlock *tb);
/* The same for a block that is replaced (tier up): out of every table,
 * incoming chains unlinked, not counted as an invalidation. */
void tb_retire(TranslationBlock *tb);
void tb_link(TranslationBlock *src, int slot, TranslationBlock *dst);
TranslationBlock *tb_find_by_host_pc(uintptr_t host_pc);
/* After setting tb->code: make the block findable by tb_find_by_host_pc. */
void tb_code_placed(TranslationBlock *tb);
void tb_cache_flush(void);
void tb_jmp_caches_register(struct TBJumpCache *jc);
void tb_jmp_caches_unregister(struct TBJumpCache *jc);

/* cpu-loop.c: make every other cpu leave generated code soon */
void exec_kick_all(void);

/* debug.c */
bool exec_debug_stop_before(CPUCommon *cpu, uint64_t pc);

/* translate.c */
/* Find or translate the block for k.  replace: a tier-0 block that became
 * hot (its counter reached zero): translate k with the full optimiser and
 * put the result in its place. */
TranslationBlock *tb_translate(CPUCommon *cpu, const TBKey *k, TranslationBlock *replace);

/* tb-persist.c: the persistent translation cache (tb-persist.h), with
 * exec_state.lock held unless said otherwise. */
BackendRelocs *tb_persist_begin(void);     /* a translation starts; NULL: nothing to record */
void tb_persist_note_read(uint64_t addr, unsigned len, bool ok);   /* the translator read guest code */
void tb_persist_translated(TranslationBlock *tb);   /* it ended: may tb be saved? */
TranslationBlock *tb_persist_load(CPUCommon *cpu, const TBKey *k);  /* a saved block (not inserted) */
void tb_persist_invalidated(uint64_t start, uint64_t end);
void tb_persist_flushed(void);             /* before the blocks go */
void tb_persist_fork_child(void);

/* codebuf.c */
int codebuf_init(CodeBuf *cb, size_t size);
void codebuf_reset(CodeBuf *cb);
bool codebuf_contains(const CodeBuf *cb, uintptr_t host_pc);
/* Before emitting: map the pages the next blocks will use, a megabyte at a
 * time, in both views. */
void codebuf_populate_ahead(CodeBuf *cb);
/* Fork: a private copy of the used part in a new memfd (*fd_out; -1 when
 * the buffer is a private mapping that fork copies anyway); 0 or -errno.
 * In the child, codebuf_adopt_snapshot maps it over both views and closes it. */
int codebuf_snapshot(const CodeBuf *cb, int *fd_out);
int codebuf_adopt_snapshot(CodeBuf *cb, int fd);

/* log.c */
void log_block(CPUCommon *cpu, const TranslationBlock *tb, const IRBlock *before, const IRBlock *after);

#endif
