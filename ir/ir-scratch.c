/*
 * ir-scratch.c — per-thread scratch memory for the passes.
 *
 * Every pass needs a few arrays per block (a stamp per temp, a bit set per
 * label ...).  They used to come from calloc/free on every call: glibc's
 * bookkeeping cost ~4% of translation instructions, and the pages they
 * landed on were scattered over the heap.  Page faults are what a short
 * process pays for most on a virtual machine (a first touch ~11 us, a
 * copy-on-write fault in a forked child 15-25 us, measured on the
 * development machine), and a bash script's subshells are forked children
 * that translate a few hundred blocks each.
 *
 * So the passes take their arrays from one bump arena per thread, released
 * in stack order (mark/release), and exec's work block keeps its ops and
 * temps in two more regions that grow in place.  Each is reserved once (no
 * memory until used), populated in 64 KiB steps with one madvise (0.6-1 us
 * a page instead of a fault each), and wiped on fork (MADV_WIPEONFORK): a
 * child never copies the parent's pages one fault at a time; it populates
 * the few it uses afresh.  Nothing in them outlives a pass or a
 * translation (the work block is reset for each), so a wiped page is as
 * good as the old one.  Both madvise calls are hints: on kernels that
 * refuse them the pages fault in as before.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "ir-opt-internal.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

/* Address space reserved per thread; no memory until used. */
#define SCRATCH_RESERVE ((size_t)64 << 20)    /* a 512-insn block needs a few MiB at most */
#define WORK_OPS_RESERVE ((size_t)64 << 20)   /* 760,000 ops */
#define WORK_TEMPS_RESERVE ((size_t)16 << 20) /* 700,000 temps */
#define SCRATCH_STEP ((size_t)64 << 10)

typedef struct Region {
    uint8_t *base;
    size_t size, populated;
    bool failed;
} Region;

/* The passes' stack, and the ops and temps of the thread's work block
 * (ir_block_init_work: exec translates every block of a thread in one). */
static __thread Region scratch, work_ops, work_temps;
static __thread size_t scratch_used;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;

/* In the child, the forking thread's regions are wiped (or, where the
 * kernel cannot wipe, copy-on-write): populate them again as they are used. */
static void after_fork_child(void)
{
    scratch.populated = work_ops.populated = work_temps.populated = 0;
}

/* A thread that ends gives its regions back (a guest may run many
 * short-lived threads, each of which translates). */
static void release_regions(void *unused)
{
    Region *all[] = { &scratch, &work_ops, &work_temps };
    for (unsigned i = 0; i < 3; i++)
        if (all[i]->base) {
            munmap(all[i]->base, all[i]->size);
            all[i]->base = NULL;
        }
    scratch_used = 0;
}

static void init_once_fn(void)
{
    pthread_atfork(NULL, NULL, after_fork_child);
    if (pthread_key_create(&exit_key, release_regions) != 0)
        exit_key = (pthread_key_t)-1;
}

/* Room for the first `bytes` bytes of r: its base, or NULL when it cannot
 * be mapped or is too small. */
static void *region_ensure(Region *r, size_t size, size_t bytes)
{
    if (!r->base) {
        if (r->failed)
            return NULL;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            r->failed = true;
            return NULL;
        }
        madvise(p, size, MADV_WIPEONFORK);
        pthread_once(&init_once, init_once_fn);
        if (exit_key != (pthread_key_t)-1)
            pthread_setspecific(exit_key, (void *)1);    /* any non-NULL value: call release_regions */
        r->base = p;
        r->size = size;
        r->populated = 0;
    }
    if (bytes > r->size)
        return NULL;
    if (bytes > r->populated) {
        size_t to = (bytes + SCRATCH_STEP - 1) & ~(SCRATCH_STEP - 1);
        madvise(r->base + r->populated, to - r->populated, MADV_POPULATE_WRITE);
        r->populated = to;
    }
    return r->base;
}

size_t ir_scratch_mark(void)
{
    return scratch_used;
}

void ir_scratch_release(size_t mark)
{
    scratch_used = mark;
}

void *ir_scratch_alloc(size_t bytes)
{
    bytes = (bytes + 15) & ~(size_t)15;
    if (bytes > SCRATCH_RESERVE - scratch_used)
        return NULL;
    uint8_t *base = region_ensure(&scratch, SCRATCH_RESERVE, scratch_used + bytes);
    if (!base)
        return NULL;
    void *p = base + scratch_used;
    scratch_used += bytes;
    return p;
}

void *ir_scratch_zalloc(size_t bytes)
{
    void *p = ir_scratch_alloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void *ir_work_ops(size_t bytes, size_t *usable)
{
    void *p = region_ensure(&work_ops, WORK_OPS_RESERVE, bytes);
    *usable = work_ops.populated;
    return p;
}

void *ir_work_temps(size_t bytes, size_t *usable)
{
    void *p = region_ensure(&work_temps, WORK_TEMPS_RESERVE, bytes);
    *usable = work_temps.populated;
    return p;
}
