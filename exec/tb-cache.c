/*
 * tb-cache.c — where translation blocks live and how they are found:
 * a hash table keyed by TBKey, a per-physical-page index for invalidation,
 * chaining bookkeeping, and host-pc → block lookup for fault recovery.
 *
 * All functions here run with exec_state.lock held.  Blocks and their side
 * tables come from arenas that are reset only by a full flush, so a block
 * pointer stays valid (possibly marked invalid) until the next flush.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tb.h"

/* Both hash tables start small and double when they hold as many entries
 * as buckets.  A short-lived process (a shell's subshell, a small tool)
 * makes a few hundred blocks: fixed tables of 64K buckets had it touch
 * every page of them, which cost more page faults than anything else it did
 * (and a fork child copied each page again on its first write). */
#define TB_HASH_MIN_BITS 10
#define PAGE_HASH_MIN_BITS 8

typedef struct PageDesc {
    uint64_t page;
    TranslationBlock *first;     /* linked through tb->page_next[n], tagged with n */
    struct PageDesc *next;
} PageDesc;

typedef struct Arena {
    uint8_t *base;
    size_t size, used;
} Arena;

/* The block hash: open addressing with linear probing.  A slot holds the
 * key's 32-bit hash and the block's index in tb_by_code (+1; 0 is empty),
 * so a probe compares slots in one cache line and touches a block
 * descriptor only when the hashes agree: chains through the descriptors
 * missed the cache on every step (a loaded or forked process looks up
 * every block once, each in a cold descriptor). */
typedef struct TBHashSlot {
    uint32_t hash, idx;
} TBHashSlot;
static TBHashSlot *tb_hash;
static unsigned tb_hash_bits;
static size_t tb_hash_count;
static PageDesc **page_hash;
static unsigned page_hash_bits;
static size_t page_hash_count;
static Arena tb_arena;             /* TranslationBlocks and insn maps */
static TranslationBlock **tb_by_code; /* in creation order == code address order */
/* tb_by_code[i]->code, 0 until placed: searched by host address (exits,
 * faults) without touching the descriptors */
static uintptr_t *code_by_index;
static size_t n_tbs, cap_tbs;
static PageDesc *page_free;        /* page descriptors, recycled on flush */

static struct TBJumpCache **jmp_caches;   /* one per cpu */
static unsigned n_jmp_caches, cap_jmp_caches;

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n, sz);
    if (!p) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* Address space for a table that only grows until a flush: reserved
 * once (no memory is used until touched), so it never moves under a
 * signal handler reading it.  Transparent huge pages where the kernel
 * offers them: a translation-heavy process touches megabytes of block
 * descriptors, and in a virtual machine each 4 KiB page fault costs
 * microseconds (python3 -c pass took 10,000 faults, 3,600 of them here). */
static void *reserve(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fputs("vemu: out of address space for the translation tables\n", stderr);
        abort();
    }
    madvise(p, size, MADV_HUGEPAGE);     /* a hint: fine if refused */
    return p;
}

void tb_cache_init(void)
{
    /* Enough that the code buffer, not these, decides when to flush:
     * ~400 bytes of descriptor per block, ~200 bytes of code. */
    tb_arena.size = 512u << 20;
    tb_arena.base = reserve(tb_arena.size);
    cap_tbs = 1u << 22;
    tb_by_code = reserve(cap_tbs * sizeof(*tb_by_code));
    code_by_index = reserve(cap_tbs * sizeof(*code_by_index));
    tb_hash_bits = TB_HASH_MIN_BITS;
    tb_hash = xcalloc((size_t)1 << tb_hash_bits, sizeof(*tb_hash));
    page_hash_bits = PAGE_HASH_MIN_BITS;
    page_hash = xcalloc((size_t)1 << page_hash_bits, sizeof(*page_hash));
}

bool tb_arena_within_rel32(uintptr_t from)
{
    uintptr_t lo = (uintptr_t)tb_arena.base, hi = lo + tb_arena.size;
    int64_t a = (int64_t)(lo - from), b = (int64_t)(hi - from);
    return a == (int32_t)a && b == (int32_t)b;
}

void *tb_arena_alloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (tb_arena.used + size > tb_arena.size)
        return NULL;
    void *p = tb_arena.base + tb_arena.used;
    tb_arena.used += size;
    return p;
}

TranslationBlock *tb_alloc(void)
{
    if (n_tbs == cap_tbs)
        return NULL;
    TranslationBlock *tb = tb_arena_alloc(sizeof(*tb));
    if (!tb)
        return NULL;
    memset(tb, 0, sizeof(*tb));
    tb->jmp_insn_off[0] = tb->jmp_insn_off[1] = UINT32_MAX;
    tb->index = (uint32_t)n_tbs;
    code_by_index[n_tbs] = 0;
    tb_by_code[n_tbs] = tb;
    /* other threads search without the lock: they see the entry before
     * the count that includes it */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    n_tbs++;
    return tb;
}

/* The physical address is part of the key (in system mode every process
 * runs code at the same few virtual addresses: the program's text, ld.so,
 * libc), and the fields are mixed well: with the old hash (a multiply of
 * the xor) a busybox workload in system mode probed 2.8 slots per lookup
 * at 35% load, now 1.4.  Lookups are frequent there: ARMv5 Linux flushes
 * the TLB, and so vemu the jump cache, at every context switch, and
 * tb_lookup_hash was 18% of a Debian guest's CPU time in a dd|tr|md5sum
 * workload. */
static uint32_t tb_hash_fn(uint64_t pc, uint64_t cs_base, uint64_t flags, uint64_t phys_pc)
{
    /* each field multiplied by its own odd constant, then a 64-bit finaliser
     * (murmur3's), so that nearby pcs of nearby pages spread over the table */
    uint64_t h = pc * 0x9e3779b97f4a7c15ull ^ phys_pc * 0xc2b2ae3d27d4eb4full ^
                 flags * 0x165667b19e3779f9ull ^ cs_base * 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)(h >> 32);
}

static inline size_t tb_hash_home(uint32_t hash)
{
    return hash >> (32 - tb_hash_bits);
}

static unsigned page_hash_fn(uint64_t page)
{
    return (unsigned)((page * 0x9e3779b97f4a7c15ull) >> (64 - page_hash_bits));
}

/* The block hash doubles when half full; the page hash (chained) when it
 * holds as many pages as buckets. */
static void tb_hash_grow(void)
{
    size_t old_n = (size_t)1 << tb_hash_bits;
    TBHashSlot *old = tb_hash;
    TBHashSlot *new = calloc(old_n * 2, sizeof(*new));
    if (!new) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    tb_hash = new;
    tb_hash_bits++;
    size_t mask = old_n * 2 - 1;
    for (size_t i = 0; i < old_n; i++)
        if (old[i].idx) {
            size_t j = tb_hash_home(old[i].hash);
            while (new[j].idx)
                j = (j + 1) & mask;
            new[j] = old[i];
        }
    free(old);
}

static void page_hash_grow(void)
{
    unsigned old_bits = page_hash_bits;
    PageDesc **old = page_hash;
    PageDesc **new = calloc((size_t)2 << old_bits, sizeof(*new));
    if (!new)
        return;
    page_hash = new;
    page_hash_bits = old_bits + 1;
    for (size_t i = 0; i < (size_t)1 << old_bits; i++)
        for (PageDesc *p = old[i], *next; p; p = next) {
            next = p->next;
            PageDesc **head = &page_hash[page_hash_fn(p->page)];
            p->next = *head;
            *head = p;
        }
    free(old);
}

TranslationBlock *tb_lookup_hash(const TBKey *k)
{
    uint32_t hash = tb_hash_fn(k->pc, k->cs_base, k->flags, k->phys_pc);
    size_t mask = ((size_t)1 << tb_hash_bits) - 1;
    for (size_t i = tb_hash_home(hash); tb_hash[i].idx; i = (i + 1) & mask) {
        if (tb_hash[i].hash != hash)
            continue;
        TranslationBlock *tb = tb_by_code[tb_hash[i].idx - 1];
        if (tb->pc == k->pc && tb->flags == k->flags && tb->cs_base == k->cs_base && tb->phys_pc == k->phys_pc)
            return tb;
    }
    return NULL;
}

/* Take tb out of the block hash: backward-shift deletion, so that no probe
 * sequence is cut short by the hole. */
static void tb_hash_remove(TranslationBlock *tb)
{
    size_t mask = ((size_t)1 << tb_hash_bits) - 1;
    size_t i = tb_hash_home(tb_hash_fn(tb->pc, tb->cs_base, tb->flags, tb->phys_pc));
    while (tb_hash[i].idx && tb_hash[i].idx != tb->index + 1)
        i = (i + 1) & mask;
    if (!tb_hash[i].idx)
        return;                   /* not in it */
    for (size_t j = i;;) {
        j = (j + 1) & mask;
        if (!tb_hash[j].idx)
            break;
        size_t home = tb_hash_home(tb_hash[j].hash);
        /* j's entry may fill the hole at i if its home is not in (i, j] */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            tb_hash[i] = tb_hash[j];
            i = j;
        }
    }
    tb_hash[i] = (TBHashSlot){ 0, 0 };
    tb_hash_count--;
}

static PageDesc *page_find(uint64_t page, bool create)
{
    PageDesc **head = &page_hash[page_hash_fn(page)];
    for (PageDesc *p = *head; p; p = p->next)
        if (p->page == page)
            return p;
    if (!create)
        return NULL;
    if (++page_hash_count > (size_t)1 << page_hash_bits) {
        page_hash_grow();
        head = &page_hash[page_hash_fn(page)];
    }
    PageDesc *p = page_free;
    if (p)
        page_free = p->next;
    else
        p = xcalloc(1, sizeof(*p));
    p->page = page;
    p->first = NULL;
    p->next = *head;
    *head = p;
    return p;
}

void tb_insert(TranslationBlock *tb)
{
    if (++tb_hash_count > (size_t)1 << (tb_hash_bits - 1))
        tb_hash_grow();
    uint32_t hash = tb_hash_fn(tb->pc, tb->cs_base, tb->flags, tb->phys_pc);
    size_t mask = ((size_t)1 << tb_hash_bits) - 1, i = tb_hash_home(hash);
    while (tb_hash[i].idx)
        i = (i + 1) & mask;
    tb_hash[i] = (TBHashSlot){ hash, tb->index + 1 };
    for (int n = 0; n < 2; n++) {
        if (n == 1 && tb->page[1] == tb->page[0])
            break;
        PageDesc *p = page_find(tb->page[n], true);
        tb->page_next[n] = p->first;
        p->first = (TranslationBlock *)((uintptr_t)tb | (uintptr_t)n);
    }
}

bool exec_page_has_code_locked(uint64_t page_addr)
{
    PageDesc *p = page_find(page_addr >> exec_state.cfg.guest_page_bits, false);
    return p && p->first;
}

bool exec_page_has_code(uint64_t page_addr)
{
    pthread_mutex_lock(&exec_state.lock);
    bool has = exec_page_has_code_locked(page_addr);
    pthread_mutex_unlock(&exec_state.lock);
    return has;
}

/* ---- chaining ---------------------------------------------------------------- */

static void patch_to(TranslationBlock *src, int slot, uintptr_t target)
{
    uintptr_t jmp = (uintptr_t)src->code + src->jmp_insn_off[slot];
    exec_state.be->patch_jump(&exec_state.cb, jmp, target);
}

void tb_link(TranslationBlock *src, int slot, TranslationBlock *dst)
{
    if (!src->code || src->jmp_insn_off[slot] == UINT32_MAX || src->jmp_dest[slot] || src->invalid ||
        dst->invalid)
        return;
    src->jmp_dest[slot] = dst;
    src->jmp_in_next[slot] = dst->jmp_in_head;
    dst->jmp_in_head = (uintptr_t)src | (uintptr_t)slot;
    patch_to(src, slot, (uintptr_t)dst->code);
    exec_stats.chains_made++;
}

/* Remove (src, slot) from the incoming list of src->jmp_dest[slot]. */
static void unlink_outgoing(TranslationBlock *src, int slot)
{
    TranslationBlock *dst = src->jmp_dest[slot];
    if (!dst)
        return;
    uintptr_t want = (uintptr_t)src | (uintptr_t)slot;
    uintptr_t *link = &dst->jmp_in_head;
    while (*link) {
        TranslationBlock *t = (TranslationBlock *)(*link & ~(uintptr_t)3);
        int s = (int)(*link & 3);
        if (*link == want) {
            *link = t->jmp_in_next[s];
            break;
        }
        link = &t->jmp_in_next[s];
    }
    src->jmp_dest[slot] = NULL;
}

void tb_invalidate(TranslationBlock *tb)
{
    if (tb->invalid)
        return;
    exec_stats.invalidations++;
    tb_retire(tb);
}

void tb_retire(TranslationBlock *tb)
{
    if (tb->invalid)
        return;
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* before the jump-cache scan: tb_jmp_cache_set */
    /* A block that loops inside itself only leaves at an exit_check: ask
     * every cpu to pass by the loop, so none keeps running the old code
     * (chained blocks are unlinked below instead). */
    if (tb->has_loop)
        for (unsigned i = 0; i < exec_state.n_cpus; i++)
            exec_cpu_kick(exec_state.cpus[i]);

    /* out of the hash table */
    tb_hash_remove(tb);

    /* out of the page lists */
    for (int n = 0; n < 2; n++) {
        if (n == 1 && tb->page[1] == tb->page[0])
            break;
        PageDesc *p = page_find(tb->page[n], false);
        if (!p)
            continue;
        TranslationBlock **link = &p->first;
        while (*link) {
            TranslationBlock *t = (TranslationBlock *)((uintptr_t)*link & ~(uintptr_t)1);
            int k = (int)((uintptr_t)*link & 1);
            if (t == tb) {
                *link = t->page_next[k];
                break;
            }
            link = &t->page_next[k];
        }
    }

    /* out of every jump cache */
    unsigned h = tb_jmp_cache_hash(tb->pc);
    for (unsigned i = 0; i < n_jmp_caches; i++)
        if (jmp_caches[i]->tb[h] == tb) {
            __atomic_store_n(&jmp_caches[i]->e[h].code, NULL, __ATOMIC_RELEASE);
            jmp_caches[i]->tb[h] = NULL;
        }

    /* nobody may jump into it any more */
    uintptr_t in = tb->jmp_in_head;
    while (in) {
        TranslationBlock *src = (TranslationBlock *)(in & ~(uintptr_t)3);
        int s = (int)(in & 3);
        in = src->jmp_in_next[s];
        patch_to(src, s, (uintptr_t)src->code + src->jmp_reset_off[s]);
        src->jmp_dest[s] = NULL;
    }
    tb->jmp_in_head = 0;
    for (int s = 0; s < 2; s++)
        unlink_outgoing(tb, s);
}

void exec_invalidate_range(uint64_t start, uint64_t end)
{
    exec_invalidate_range_then(start, end, NULL, NULL);
}

void exec_invalidate_range_then(uint64_t start, uint64_t end, void (*then)(void *), void *opaque)
{
    unsigned bits = exec_state.cfg.guest_page_bits;
    pthread_mutex_lock(&exec_state.lock);
    if (end <= start)
        goto done;
    uint64_t psize = (uint64_t)1 << bits;
    for (uint64_t page = start >> bits; page <= (end - 1) >> bits; page++) {
        PageDesc *p = page_find(page, false);
        if (!p)
            continue;
        /* Invalidate only blocks that overlap [start, end), compared as
         * offsets in this page: the range is physical, a block's pcs are
         * virtual (the same in user mode; in system mode the kernel's
         * 0xc0000000 is physical 0, and a physical page may be mapped
         * anywhere). */
        uint64_t pbase = page << bits;
        uint64_t s_off = start > pbase ? start - pbase : 0;
        uint64_t e_off = end - pbase < psize ? end - pbase : psize;
        TranslationBlock *e = p->first;
        while (e) {
            TranslationBlock *t = (TranslationBlock *)((uintptr_t)e & ~(uintptr_t)1);
            int k = (int)((uintptr_t)e & 1);
            e = t->page_next[k];
            uint64_t lo = t->guest_lo, hi = t->pc + (t->guest_size ? t->guest_size : 1);
            uint64_t b_s, b_e;
            if (k == 0 && t->page[1] == t->page[0] && ((lo ^ (hi - 1)) & ~(psize - 1))) {
                b_s = 0;                 /* two virtual pages, one physical: all of it */
                b_e = psize;
            } else if (k == 0) {
                uint64_t vbase = lo & ~(psize - 1);
                b_s = lo - vbase;
                b_e = hi - vbase < psize ? hi - vbase : psize;
            } else {
                uint64_t vbase = (hi - 1) & ~(psize - 1);
                b_s = 0;
                b_e = hi - vbase;
            }
            if (b_s < e_off && b_e > s_off)
                tb_invalidate(t);
        }
        if (page == UINT64_MAX >> bits)
            break;
    }
done:
    tb_persist_invalidated(start, end);   /* pages it checked may change now */
    /* Still under the lock: no block of the range can be translated again
     * before `then` has run (user mode lifts a page's write protection
     * here, so the page is never writable while it has blocks). */
    if (then)
        then(opaque);
    pthread_mutex_unlock(&exec_state.lock);
}

/* ---- host pc → block --------------------------------------------------------- */

void tb_code_placed(TranslationBlock *tb)
{
    code_by_index[tb->index] = (uintptr_t)tb->code;
}

TranslationBlock *tb_find_by_host_pc(uintptr_t host_pc)
{
    size_t lo = 0, hi = __atomic_load_n(&n_tbs, __ATOMIC_ACQUIRE);
    while (lo < hi) {   /* last block whose code starts at or before host_pc */
        size_t mid = (lo + hi) / 2;
        uintptr_t code = code_by_index[mid];
        /* 0: a block another thread is translating, the last one; its
         * code will lie after everyone else's */
        if (code && code <= host_pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    TranslationBlock *tb = tb_by_code[lo - 1];
    if (!tb->code || host_pc >= (uintptr_t)tb->code + tb->code_size)
        return NULL;
    return tb;
}

/* ---- flush ------------------------------------------------------------------- */

void tb_jmp_caches_register(struct TBJumpCache *jc)
{
    if (n_jmp_caches == cap_jmp_caches) {
        cap_jmp_caches = cap_jmp_caches ? cap_jmp_caches * 2 : 16;
        jmp_caches = realloc(jmp_caches, cap_jmp_caches * sizeof(*jmp_caches));
        if (!jmp_caches) {
            fputs("vemu: out of memory\n", stderr);
            abort();
        }
    }
    jmp_caches[n_jmp_caches++] = jc;
}

void tb_jmp_caches_unregister(struct TBJumpCache *jc)
{
    for (unsigned i = 0; i < n_jmp_caches; i++)
        if (jmp_caches[i] == jc) {
            jmp_caches[i] = jmp_caches[--n_jmp_caches];
            return;
        }
}

void tb_cache_flush(void)
{
    tb_persist_flushed();
    for (size_t i = 0; i < n_tbs; i++) {
        TranslationBlock *tb = tb_by_code[i];
        if (tb->ir) {
            ir_block_free(tb->ir);
            free(tb->ir);
        }
    }
    memset(tb_hash, 0, ((size_t)1 << tb_hash_bits) * sizeof(*tb_hash));
    tb_hash_count = 0;
    page_hash_count = 0;
    for (size_t i = 0; i < (size_t)1 << page_hash_bits; i++) {
        PageDesc *p = page_hash[i];
        while (p) {
            PageDesc *n = p->next;
            p->next = page_free;
            page_free = p;
            p = n;
        }
        page_hash[i] = NULL;
    }
    for (unsigned i = 0; i < n_jmp_caches; i++)
        memset(jmp_caches[i], 0, sizeof(*jmp_caches[i]));
    n_tbs = 0;
    tb_arena.used = 0;
    exec_stats.flushes++;
}
