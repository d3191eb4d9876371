/*
 * cpu-loop.c — running guest code: find the block for the cpu's pc, chain
 * it behind the block that just ran, enter generated code, and come back
 * to the cpu's owner when an exception needs it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tb.h"

_Static_assert(IR_EXCP_EXIT_REQUEST == EXCP_INTERRUPT, "exit_check's exception is EXCP_INTERRUPT");

ExecState exec_state;
ExecStats exec_stats;

/* The cpu this thread is running, and whether it is inside the IR
 * interpreter (then insn_data_in_interp holds the current instruction's insn_start words). */
static __thread CPUCommon *current_cpu;
static __thread bool in_interp;
static __thread uint64_t insn_data_in_interp[IR_INSN_DATA_WORDS];
static __thread const TranslationBlock *tb_in_interp;   /* the block it runs */

static const void *lookup_code(void *opaque);

/* The guest state at the start of the instruction whose insn_start words
 * are data: the pc, and whatever else the frontend recorded. */
static void restore_insn(CPUCommon *cpu, const uint64_t *data)
{
    if (cpu->fe->restore_state)
        cpu->fe->restore_state(cpu, data);
    else
        cpu->fe->set_pc(cpu, data[0]);
}

/* A guest access whose memop asks for alignment (IR_MO_ALIGN, IR_MO_ALIGN4)
 * was misaligned: the guest's alignment fault at the address.
 * From generated code (the backend calls it at the access, with the state
 * as precise as at a host fault there: its return address identifies the
 * guest instruction) or from the interpreter (insn_data_in_interp). */
static __attribute__((noinline)) void raise_unaligned(void *opaque, uint64_t guest_addr)
{
    CPUCommon *cpu = opaque;
    uintptr_t host_pc = (uintptr_t)__builtin_return_address(0);
    cpu->fault_addr = guest_addr;
    if (in_interp) {
        restore_insn(cpu, insn_data_in_interp);
        host_pc = 0;
    } else {
        /* generated code does not say read or write: a data access at
         * least, never a fetch (the interpreter says which; so does system
         * mode's soft-TLB slow path for the alignments it checks:
         * docs/quirks.md) */
        cpu->fault_access = EXEC_ACCESS_READ;
    }
    cpu->fault_reason = EXEC_FAULT_ALIGNMENT;
    exec_raise(cpu, EXCP_MEM_FAULT, host_pc);
}

static void interp_unaligned(void *opaque, uint64_t guest_addr, bool is_write)
{
    ((CPUCommon *)opaque)->fault_access = is_write ? EXEC_ACCESS_WRITE : EXEC_ACCESS_READ;
    raise_unaligned(opaque, guest_addr);
}

static void codebuf_start(void)
{
    codebuf_reset(&exec_state.cb);
    if (exec_state.be) {
        exec_state.entry = exec_state.be->init(&exec_state.cb, &exec_state.benv);
        exec_state.prologue_end = exec_state.cb.used;
        if (!exec_state.entry) {
            fputs("vemu: backend initialisation failed\n", stderr);
            abort();
        }
    }
}

int exec_init(const ExecConfig *cfg)
{
    ExecState *s = &exec_state;
    bool again = s->fe != NULL;   /* re-initialisation (tests switch modes) */
    if (again)
        tb_cache_flush();
    s->cfg = *cfg;
    if (!s->cfg.code_buffer_size)
        s->cfg.code_buffer_size = 64u << 20;
    if (!s->cfg.max_block_insns)
        s->cfg.max_block_insns = 512;
    if (!s->cfg.guest_page_bits)
        s->cfg.guest_page_bits = 12;
    /* Tuning knob (docs/architecture.md, "Tiers"): VEMU_TIER_THRESHOLD=N
     * entries, 0 for one tier. */
    const char *tt = getenv("VEMU_TIER_THRESHOLD");
    if (tt && *tt)
        s->cfg.tier_threshold = atoi(tt) > 0 ? atoi(tt) : -1;
    if (!s->cfg.tier_threshold)
        s->cfg.tier_threshold = EXEC_TIER_THRESHOLD;
    s->tier_threshold = s->cfg.optimize && s->cfg.tier_threshold > 0 ? s->cfg.tier_threshold : 0;
    s->fe = cfg->fe;
    s->be = cfg->be;
    if (!again) {
        pthread_mutex_init(&s->lock, NULL);
        pthread_rwlockattr_t ra;
        pthread_rwlockattr_init(&ra);
        /* a waiting flush must not starve behind a stream of readers */
        pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
        pthread_rwlock_init(&s->running, &ra);
        pthread_rwlockattr_destroy(&ra);
        tb_cache_init();
    }
    s->fe->init();
    s->generation++;
    if (s->be) {
        if (!s->cb.rx && codebuf_init(&s->cb, s->cfg.code_buffer_size) < 0)
            return -1;
        if (cfg->softtlb) {                    /* system mode: the soft TLB */
            s->benv.mem.kind = BACKEND_MEM_SOFTTLB;
            s->benv.mem.tlb = *cfg->softtlb;
        } else {
            s->benv.mem.kind = BACKEND_MEM_USER;    /* guest_base + address */
        }
        s->benv.lookup_code = lookup_code;
        s->benv.raise_unaligned = raise_unaligned;
        s->benv.exit_request_offset = offsetof(CPUCommon, exit_request);
        s->benv.exception_index_offset = offsetof(CPUCommon, exception_index);
        s->benv.guest_base_offset = offsetof(CPUCommon, guest_base);
        s->benv.jmp_cache_offset = offsetof(CPUCommon, jmp_cache);
        s->benv.jmp_cache_bits = TB_JMP_CACHE_BITS;
        s->benv.jmp_cache_entry_size = sizeof(TBJumpCacheEntry);
        s->benv.jmp_cache_pc_offset = offsetof(TBJumpCacheEntry, pc);
        s->benv.jmp_cache_cs_base_offset = offsetof(TBJumpCacheEntry, cs_base);
        s->benv.jmp_cache_flags_offset = offsetof(TBJumpCacheEntry, flags);
        s->benv.jmp_cache_code_offset = offsetof(TBJumpCacheEntry, code);
        s->benv.globals = s->fe->globals;
        s->benv.nochain_tag_unused = true;      /* exec_cpu_run ignores it */
        s->benv.exits_by_host_pc = true;        /* exec_cpu_run: tb_find_by_host_pc */
        codebuf_start();
    }
    return 0;
}

int exec_fork_prepare(void)
{
    pthread_mutex_lock(&exec_state.lock);
    exec_state.fork_snapshot_fd = -1;
    if (exec_state.be) {
        int r = codebuf_snapshot(&exec_state.cb, &exec_state.fork_snapshot_fd);
        if (r < 0) {
            pthread_mutex_unlock(&exec_state.lock);
            return r;
        }
    }
    return 0;
}

void exec_fork_parent(void)
{
    if (exec_state.fork_snapshot_fd >= 0)
        close(exec_state.fork_snapshot_fd);
    exec_state.fork_snapshot_fd = -1;
    pthread_mutex_unlock(&exec_state.lock);
}

int exec_fork_child(CPUCommon *self)
{
    /* Only this thread exists now; locks held by vanished threads at the
     * fork would deadlock us, so start them afresh (the engine lock was
     * ours: exec_fork_prepare). */
    pthread_mutex_init(&exec_state.lock, NULL);
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&exec_state.running, &ra);
    pthread_rwlockattr_destroy(&ra);
    for (unsigned i = 0; i < exec_state.n_cpus;) {
        CPUCommon *c = exec_state.cpus[i];
        if (c != self) {
            tb_jmp_caches_unregister(c->jmp_cache);
            exec_state.cpus[i] = exec_state.cpus[--exec_state.n_cpus];
        } else {
            i++;
        }
    }
    tb_persist_fork_child();
    int fd = exec_state.fork_snapshot_fd;
    exec_state.fork_snapshot_fd = -1;
    return codebuf_adopt_snapshot(&exec_state.cb, fd);
}

bool exec_has_backend(void)
{
    return exec_state.be != NULL;
}

bool exec_backend_host_x87(void)
{
    return exec_state.be && exec_state.be->host_x87 && !exec_state.cfg.softtlb;
}

/* Must not be called while this thread runs generated code. */
void exec_flush_all(void)
{
    exec_kick_all();
    pthread_rwlock_wrlock(&exec_state.running);
    pthread_mutex_lock(&exec_state.lock);
    tb_cache_flush();
    if (exec_state.be)
        codebuf_start();
    exec_state.generation++;
    pthread_mutex_unlock(&exec_state.lock);
    pthread_rwlock_unlock(&exec_state.running);
}

/* By cpu's own thread (from a helper, or between runs): no other thread
 * reads this cache; tb_invalidate() may clear entries concurrently, which
 * only ever stores NULL. */
void exec_cpu_flush_jmp_cache(CPUCommon *cpu)
{
    struct TBJumpCache *jc = cpu->jmp_cache;
    if (jc->n_filled <= TB_JMP_CACHE_LOG) {          /* only what was filled */
        for (unsigned k = 0; k < jc->n_filled; k++) {
            unsigned i = jc->filled[k];
            __atomic_store_n(&jc->e[i].code, NULL, __ATOMIC_RELAXED);
            jc->tb[i] = NULL;
        }
    } else {
        for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
            __atomic_store_n(&jc->e[i].code, NULL, __ATOMIC_RELAXED);
            jc->tb[i] = NULL;
        }
    }
    jc->n_filled = 0;
}

void exec_cpu_flush_jmp_cache_range(CPUCommon *cpu, uint64_t start, uint64_t end)
{
    struct TBJumpCache *jc = cpu->jmp_cache;
    if (jc->n_filled <= TB_JMP_CACHE_LOG && jc->n_filled < end - start) {
        /* fewer entries in use than pcs in the range (a page flush while a
         * few hundred are filled): look at those */
        for (unsigned k = 0; k < jc->n_filled; k++) {
            unsigned i = jc->filled[k];
            if (jc->tb[i] && jc->e[i].pc - start < end - start) {
                __atomic_store_n(&jc->e[i].code, NULL, __ATOMIC_RELAXED);
                jc->tb[i] = NULL;
            }
        }
        return;
    }
    if (end - start >= TB_JMP_CACHE_SIZE) {
        exec_cpu_flush_jmp_cache(cpu);
        return;
    }
    for (uint64_t pc = start; pc < end; pc++) {
        unsigned h = tb_jmp_cache_hash(pc);
        if (cpu->jmp_cache->e[h].pc == pc) {
            __atomic_store_n(&cpu->jmp_cache->e[h].code, NULL, __ATOMIC_RELAXED);
            cpu->jmp_cache->tb[h] = NULL;
        }
    }
}

void exec_kick_all(void)
{
    pthread_mutex_lock(&exec_state.lock);
    for (unsigned i = 0; i < exec_state.n_cpus; i++)
        if (exec_state.cpus[i] != current_cpu && exec_state.cpus[i]->in_exec)
            exec_cpu_kick(exec_state.cpus[i]);
    pthread_mutex_unlock(&exec_state.lock);
}

/*
 * A jump cache is only a cache, and a forked child (a shell's subshell)
 * writes to pages of it at once: shared copy-on-write with the parent, each
 * such write costs the child a page copy and a TLB flush, and the parent
 * the same again for every page it writes next (in a virtual machine that
 * made most of a fork's cost).  Wiped on fork instead, the child starts with
 * an empty cache (zero pages, no copies) and the parent keeps its pages.
 */
/*
 * A short process reaches most pages of its jump cache (block pcs hash all
 * over it): 160 page faults of a 4 KiB page each, a read fault on an empty
 * entry and a write fault when it is set, and in a virtual machine each
 * costs microseconds.  So the cache gets a huge page of its own where the
 * kernel gives one (one fault, one 2 MiB clear), and 4 KiB pages otherwise.
 */
#define JMP_CACHE_ALIGN ((size_t)2 << 20)
#define JMP_CACHE_MAP_SIZE ((sizeof(struct TBJumpCache) + JMP_CACHE_ALIGN - 1) & ~(JMP_CACHE_ALIGN - 1))

static struct TBJumpCache *jmp_cache_alloc(void)
{
    size_t size = JMP_CACHE_MAP_SIZE;
    uint8_t *p = mmap(NULL, size + JMP_CACHE_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uint8_t *a = (uint8_t *)(((uintptr_t)p + JMP_CACHE_ALIGN - 1) & ~(uintptr_t)(JMP_CACHE_ALIGN - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (a + size < p + size + JMP_CACHE_ALIGN)
        munmap(a + size, (size_t)(p + size + JMP_CACHE_ALIGN - (a + size)));
    madvise(a, size, MADV_HUGEPAGE);     /* hints: fine if refused */
#ifdef MADV_WIPEONFORK
    madvise(a, size, MADV_WIPEONFORK);   /* Linux 4.14+ */
#endif
    return (struct TBJumpCache *)a;
}

CPUCommon *exec_cpu_new(void)
{
    const Frontend *fe = exec_state.fe;
    /* The tier counters sit just below the cpu state (tb.h).  Fresh pages:
     * a process's first cpu, made before any block, leaves its table zero
     * and untouched (setting up a block arms its slot in every cpu:
     * exec_tier_arm), instead of writing 128 KiB it mostly never reads. */
    size_t size = (EXEC_TIER_TABLE_BYTES + fe->cpu_size + 4095) & ~(size_t)4095;
    uint8_t *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct TBJumpCache *jc = jmp_cache_alloc();
    if (base == MAP_FAILED || !jc) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    CPUCommon *cpu = (CPUCommon *)(base + EXEC_TIER_TABLE_BYTES);
    /* A later cpu (a thread) may run blocks set up before it: a slot it
     * has not seen armed counts from the threshold too (a block is made
     * hot by the cpu that runs it most). */
    pthread_mutex_lock(&exec_state.lock);
    bool fill = exec_state.tier_armed;
    pthread_mutex_unlock(&exec_state.lock);
    if (fill)
        for (uint32_t s = 0; s < EXEC_TIER_SLOTS; s++)
            *exec_tier_counter(cpu, s) = exec_state.tier_threshold;
    memset(cpu, 0, fe->cpu_size);
    cpu->fe = fe;
    cpu->jmp_cache = jc;
    fe->cpu_reset(cpu);
    pthread_mutex_lock(&exec_state.lock);
    tb_jmp_caches_register(jc);
    if (exec_state.n_cpus == exec_state.cap_cpus) {
        exec_state.cap_cpus = exec_state.cap_cpus ? exec_state.cap_cpus * 2 : 16;
        exec_state.cpus = realloc(exec_state.cpus, exec_state.cap_cpus * sizeof(*exec_state.cpus));
        if (!exec_state.cpus) {
            fputs("vemu: out of memory\n", stderr);
            abort();
        }
    }
    exec_state.cpus[exec_state.n_cpus++] = cpu;
    pthread_mutex_unlock(&exec_state.lock);
    return cpu;
}

void exec_cpu_free(CPUCommon *cpu)
{
    if (!cpu)
        return;
    pthread_mutex_lock(&exec_state.lock);
    tb_jmp_caches_unregister(cpu->jmp_cache);
    for (unsigned i = 0; i < exec_state.n_cpus; i++)
        if (exec_state.cpus[i] == cpu) {
            exec_state.cpus[i] = exec_state.cpus[--exec_state.n_cpus];
            break;
        }
    pthread_mutex_unlock(&exec_state.lock);
    munmap(cpu->jmp_cache, JMP_CACHE_MAP_SIZE);
    munmap((uint8_t *)cpu - EXEC_TIER_TABLE_BYTES,
           (EXEC_TIER_TABLE_BYTES + cpu->fe->cpu_size + 4095) & ~(size_t)4095);
}

bool exec_code_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    bool ok = exec_state.cfg.host->code_fetch(cpu, addr, buf, len);
    tb_persist_note_read(addr, len, ok);
    return ok;
}

/* The key of the block cpu runs next.  The jump cache is per cpu and by
 * virtual pc: when the guest's address space changes (system mode) its
 * owner calls exec_cpu_flush_jmp_cache(). */
static void cpu_tb_key(CPUCommon *cpu, TBKey *k)
{
    cpu->fe->get_tb_key(cpu, &k->pc, &k->cs_base, &k->flags);
    if (!exec_code_phys(cpu, k->pc, &k->phys_pc))
        k->phys_pc = UINT64_MAX;     /* unmapped: the block is a fetch fault */
}

/* The block for k if the jump cache has it (the physical pc is checked
 * through the block: generated code's probe compares the other three). */
static TranslationBlock *jmp_cache_hit(const struct TBJumpCache *jc, const TBKey *k)
{
    unsigned h = tb_jmp_cache_hash(k->pc);
    TranslationBlock *tb = jc->tb[h];
    if (tb && tb_jmp_cache_match(jc, h, k->pc, k->cs_base, k->flags) && tb->phys_pc == k->phys_pc &&
        !tb->invalid)
        return tb;
    return NULL;
}

/* Find the block for k: jump cache, then the hash table. */
static TranslationBlock *tb_find(CPUCommon *cpu, const TBKey *k)
{
    TranslationBlock *tb = jmp_cache_hit(cpu->jmp_cache, k);
    if (tb)
        return tb;
    pthread_mutex_lock(&exec_state.lock);
    tb = tb_lookup_hash(k);
    pthread_mutex_unlock(&exec_state.lock);
    if (tb && !exec_state.debug_active) {   /* debugging: every block via the loop */
        tb_jmp_cache_set(cpu->jmp_cache, k->pc, k->cs_base, k->flags, tb);
    }
    return tb;
}

/* Called from generated code for indirect jumps (goto_lookup). */
static const void *lookup_code(void *opaque)
{
    CPUCommon *cpu = opaque;
    TBKey k;
    cpu_tb_key(cpu, &k);
    exec_stats.code_lookups++;
    if (exec_state.debug_active)
        return NULL;   /* every block goes through the loop */
    TranslationBlock *tb = jmp_cache_hit(cpu->jmp_cache, &k);
    if (tb)
        return tb->code;
    /* Never block here: a thread waiting to flush may hold the lock while
     * it waits for this one to leave generated code. */
    if (pthread_mutex_trylock(&exec_state.lock) != 0)
        return NULL;
    tb = tb_lookup_hash(&k);
    pthread_mutex_unlock(&exec_state.lock);
    if (!tb) {
        exec_stats.code_lookup_misses++;
        return NULL;
    }
    tb_jmp_cache_set(cpu->jmp_cache, k.pc, k.cs_base, k.flags, tb);
    return tb->code;
}

static uintptr_t run_tb(CPUCommon *cpu, TranslationBlock *tb)
{
    if (exec_log_enabled(LOG_CPU))
        cpu->fe->dump_state(cpu, exec_log_file);
    if (exec_log_enabled(LOG_EXEC))
        exec_log("Trace %p [%08llx/%08llx]\n", (void *)tb, (unsigned long long)tb->pc,
                 (unsigned long long)tb->flags);
    if (tb->ir) {
        IRInterpEnv env = {
            .cpu = cpu,
            .guest_base = cpu->guest_base,
            .exception_offset = offsetof(CPUCommon, exception_index),
            .exit_request_offset = offsetof(CPUCommon, exit_request),
            .insn_data = insn_data_in_interp,
            .unaligned = interp_unaligned,
            .mem = exec_state.cfg.interp_mem,
        };
        in_interp = true;
        tb_in_interp = tb;
        unsigned kind = ir_interp(tb->ir, &env);
        in_interp = false;
        return (uintptr_t)tb | kind;
    }
    uintptr_t (*entry)(void *, const void *) = (uintptr_t (*)(void *, const void *))exec_state.entry;
    return entry(cpu, tb->code);
}

static int cpu_run(CPUCommon *cpu);

void exec_tier_arm(uint32_t slot)
{
    exec_state.tier_armed = true;
    for (unsigned i = 0; i < exec_state.n_cpus; i++)
        *exec_tier_counter(exec_state.cpus[i], slot) = exec_state.tier_threshold;
}

/* A tier-0 block's counter ran out: translate it again with the full
 * optimiser (tb_translate replaces it; chains into it are unlinked and
 * come back to the new block through the loop). */
static void tier_up(CPUCommon *cpu, TranslationBlock *tb)
{
    *exec_tier_counter(cpu, tb->tier_slot) = exec_state.tier_threshold;
    if (__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED) || exec_state.debug_active)
        return;
    TBKey k = { .pc = tb->pc, .cs_base = tb->cs_base, .flags = tb->flags, .phys_pc = tb->phys_pc };
    tb_translate(cpu, &k, tb);
}

int exec_cpu_run(CPUCommon *cpu)
{
    cpu->in_exec = 1;
    int e = cpu_run(cpu);
    cpu->in_exec = 0;
    return e;
}

static int cpu_run(CPUCommon *cpu)
{
    const Frontend *fe = cpu->fe;
    current_cpu = cpu;
    if (sigsetjmp(cpu->jmp_env, 1)) {
        /* Back from exec_raise(): the state is precise, the exception set.
         * We left generated code (or the interpreter) by longjmp, so the
         * running lock is still held for reading. */
        pthread_rwlock_unlock(&exec_state.running);
        current_cpu = cpu;
        in_interp = false;
        int e = cpu->exception_index;
        cpu->exception_index = EXCP_NONE;
        return e;
    }

    TranslationBlock *last = NULL;
    int last_slot = -1;
    unsigned generation = exec_state.generation;
    bool nochain = exec_log_enabled(LOG_NOCHAIN) || !exec_state.be;

    for (;;) {
        if (cpu->exit_request) {
            int req = __atomic_exchange_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
            if (req & EXEC_EXIT_OWNER)
                return EXCP_INTERRUPT;
        }
        /* Not while a debugger single-steps: a step would otherwise end
         * in whatever handler the timer entered (QEMU masks them too). */
        uint32_t irq = cpu->singlestep ? 0 : __atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE);
        if (irq && fe->exec_interrupt && fe->exec_interrupt(cpu, irq)) {
            last = NULL;            /* the guest went elsewhere: nothing to chain */
            last_slot = -1;
        }
        TBKey k;
        cpu_tb_key(cpu, &k);
        bool debug = exec_state.debug_active;
        if (debug && exec_debug_stop_before(cpu, k.pc))
            return EXCP_DEBUG;
        TranslationBlock *tb = tb_find(cpu, &k);
        exec_stats.loop_lookups++;
        if (!tb) {
            tb = tb_translate(cpu, &k, NULL);
            if (!debug)
                tb_jmp_cache_set(cpu->jmp_cache, k.pc, k.cs_base, k.flags, tb);
        }
        if (generation != exec_state.generation) {
            /* a flush happened: `last` is gone */
            generation = exec_state.generation;
            last = NULL;
        }
        /* System mode: a direct jump to another virtual page is not
         * chained, since that page's mapping may change under it (the loop
         * then finds the block by its physical pc again). */
        if (last && last_slot >= 0 && !nochain && !debug &&
            (!exec_state.cfg.softtlb ||
             !((last->pc ^ tb->pc) >> exec_state.cfg.guest_page_bits))) {
            pthread_mutex_lock(&exec_state.lock);
            if (generation == exec_state.generation)
                tb_link(last, last_slot, tb);
            pthread_mutex_unlock(&exec_state.lock);
        }

        pthread_rwlock_rdlock(&exec_state.running);
        if (generation != exec_state.generation) {
            /* flushed between translation and now: look again */
            pthread_rwlock_unlock(&exec_state.running);
            continue;
        }
        uintptr_t ret = run_tb(cpu, tb);
        if (ret & BACKEND_EXIT_BY_HOST_PC) {
            /* the address is the exit tail's return address: at most the
             * block's end, so the byte before it is the block's */
            uintptr_t host_pc = (uintptr_t)((ret & ~BACKEND_EXIT_BY_HOST_PC) >> 2) - 1;
            last = tb_find_by_host_pc(host_pc);
            if (!last) {
                fprintf(stderr, "vemu: exit from unknown host code %#lx\n", (unsigned long)host_pc);
                abort();
            }
            ret = (uintptr_t)last | (ret & IR_EXIT_KIND_MASK);
        }
        last = (TranslationBlock *)(ret & ~(uintptr_t)IR_EXIT_KIND_MASK);
        if ((ret & IR_EXIT_KIND_MASK) <= IR_EXIT_CHAIN1) {
            /* the exit's store the backend left to us (its pc, usually) */
            const BackendExitStore *st = &last->exit_store[ret & 1];
            if (st->size == 8) {
                memcpy((uint8_t *)cpu + st->offset, &st->value, 8);
            } else if (st->size == 4) {
                uint32_t v = (uint32_t)st->value;
                memcpy((uint8_t *)cpu + st->offset, &v, 4);
            }
        }
        /* after reading the block: no flush can reuse it under the lock */
        pthread_rwlock_unlock(&exec_state.running);
        if (cpu->singlestep && (ret & IR_EXIT_KIND_MASK) != IR_EXIT_EXCEPTION)
            return EXCP_DEBUG;
        switch (ret & IR_EXIT_KIND_MASK) {
        case IR_EXIT_CHAIN0:
            last_slot = 0;
            break;
        case IR_EXIT_CHAIN1:
            last_slot = 1;
            break;
        case IR_EXIT_NOCHAIN:
            last = NULL;
            last_slot = -1;
            break;
        default: {
            int e = cpu->exception_index;
            cpu->exception_index = EXCP_NONE;
            if (e == IR_EXCP_EXIT_REQUEST) {
                /* exit_check or tier_count left before the block's first
                 * insn; chained entries do not store the pc, so take it
                 * from the block.  The loop's top sees why (exit_request),
                 * or the block's counter ran out: it is hot. */
                fe->set_pc(cpu, last->pc);
                if (last->tier == 0 && *exec_tier_counter(cpu, last->tier_slot) <= 0 &&
                    generation == exec_state.generation)
                    tier_up(cpu, last);
                last = NULL;
                last_slot = -1;
                continue;
            }
            return e;
        }
        }
    }
}

bool exec_host_pc_in_code(uintptr_t host_pc)
{
    return in_interp || (exec_state.be && codebuf_contains(&exec_state.cb, host_pc));
}

bool exec_restore_state(CPUCommon *cpu, uintptr_t host_pc)
{
    if (in_interp) {
        restore_insn(cpu, insn_data_in_interp);
        return true;
    }
    if (!exec_state.be || !codebuf_contains(&exec_state.cb, host_pc))
        return false;
    /* No lock: this runs in a signal handler; the arrays only grow until a
     * flush, and no flush happens while this thread runs generated code. */
    TranslationBlock *tb = tb_find_by_host_pc(host_pc);
    if (!tb || !tb->n_insns)
        return false;
    uint32_t off = (uint32_t)(host_pc - (uintptr_t)tb->code);
    unsigned i = 0;
    while (i + 1 < tb->n_insns && tb->insn_off[i + 1] <= off)
        i++;
    restore_insn(cpu, &tb->insn_data[i * IR_INSN_DATA_WORDS]);
    return true;
}

/* Self-modifying code inside the running block (exec.h). */
__thread bool exec_smc_single;

bool exec_smc_store(CPUCommon *cpu, uintptr_t host_pc, uint64_t guest_addr)
{
    const TranslationBlock *tb;
    if (in_interp)
        tb = tb_in_interp;
    else if (exec_state.be && codebuf_contains(&exec_state.cb, host_pc))
        tb = tb_find_by_host_pc(host_pc);
    else
        return false;
    if (!tb || tb->n_insns <= 1)
        return false;      /* one instruction: nothing after the store is stale */
    if (guest_addr < tb->guest_lo || guest_addr >= tb->pc + (tb->guest_size ? tb->guest_size : 1))
        return false;
    if (!exec_restore_state(cpu, host_pc))
        return false;
    exec_smc_single = true;
    return true;
}

_Noreturn void exec_raise(CPUCommon *cpu, int excp, uintptr_t host_pc)
{
    if (host_pc)
        exec_restore_state(cpu, host_pc);
    in_interp = false;
    cpu->exception_index = excp;
    siglongjmp(cpu->jmp_env, 1);
}

CPUCommon *exec_current_cpu(void)
{
    return current_cpu;
}

void exec_set_current_cpu(CPUCommon *cpu)
{
    current_cpu = cpu;
    in_interp = false;
}
