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
 * in stack order (mark/release).  It is reserved once (no memory until
 * used), populated in 64 KiB steps with one madvise (0.6-1 us a page
 * instead of a fault each), and wiped on fork (MADV_WIPEONFORK): a child
 * never copies the parent's scratch page by page; it populates the few
 * pages it uses afresh.  Nothing in it outlives a pass, so a wiped page is
 * as good as the old one.  Both madvise calls are hints: on kernels that
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

#define SCRATCH_RESERVE ((size_t)256 << 20)   /* a 512-insn block needs a few MiB at most */
#define SCRATCH_STEP ((size_t)64 << 10)

static __thread uint8_t *scratch_base;
static __thread size_t scratch_used, scratch_populated;
static __thread bool scratch_failed;

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* In the child, the forking thread's arena is wiped (or, where the kernel
 * cannot wipe, copy-on-write): populate it again as it is used. */
static void scratch_after_fork_child(void)
{
    scratch_populated = 0;
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, scratch_after_fork_child);
}

static bool scratch_map(void)
{
    if (scratch_failed)
        return false;
    void *p = mmap(NULL, SCRATCH_RESERVE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        scratch_failed = true;      /* the passes then skip their work */
        return false;
    }
    madvise(p, SCRATCH_RESERVE, MADV_WIPEONFORK);
    pthread_once(&atfork_once, register_atfork);
    scratch_base = p;
    scratch_used = scratch_populated = 0;
    return true;
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
    if (!scratch_base && !scratch_map())
        return NULL;
    bytes = (bytes + 15) & ~(size_t)15;
    if (bytes > SCRATCH_RESERVE - scratch_used)
        return NULL;
    size_t end = scratch_used + bytes;
    if (end > scratch_populated) {
        size_t to = (end + SCRATCH_STEP - 1) & ~(SCRATCH_STEP - 1);
        madvise(scratch_base + scratch_populated, to - scratch_populated, MADV_POPULATE_WRITE);
        scratch_populated = to;
    }
    void *p = scratch_base + scratch_used;
    scratch_used = end;
    return p;
}

void *ir_scratch_zalloc(size_t bytes)
{
    void *p = ir_scratch_alloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}
