/*
 * mmap.c — guest mmap, munmap, mprotect, mremap and brk, emulated inside
 * the guest space reservation.
 *
 * Every guest mapping is a host mapping with MAP_FIXED at guest_base + addr;
 * unmapping puts a PROT_NONE reservation back so the guest space stays
 * ours.  The page-state table is the truth about what the guest mapped.
 * Free ranges are found top-down below the stack, as Linux does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "exec/exec.h"
#include "exec/tb-persist.h"
#include "linux-user/guest-mem.h"
#include "linux-user/pcache.h"
#include "linux-user/target.h"

/* x86's MAP_32BIT, which an x86_64 guest may pass: vemu places every
 * mapping in guest space itself, so it is never passed on.  Only x86
 * hosts' headers define it; elsewhere the bit (0x40) means nothing. */
#ifndef MAP_32BIT
#define MAP_32BIT 0x40
#endif

uint64_t guest_mmap_top;
uint64_t guest_mmap_min = 0x10000;

static uint64_t brk_start, brk_cur;

/* The top of the area mmap hands out: below 4 GiB for a 32-bit system
 * call of a 64-bit process (int $0x80 in x86_64 code), as the kernel's
 * compat mmap base gives it; the 32-bit result must hold the address. */
static uint64_t mmap_top(void)
{
    const uint64_t top32 = 1ull << 32;
    return guest_long_size() == 4 && guest_mmap_top > top32 ? top32 : guest_mmap_top;
}

/* Guest threads map and unmap concurrently: one lock for the page table
 * and the host mappings (recursive: brk and mremap call guest_mmap). */
static pthread_mutex_t mmap_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static unsigned prot_to_page(int prot)
{
    unsigned f = PAGE_VALID;
    if (prot & PROT_READ)
        f |= PAGE_READ;
    if (prot & PROT_WRITE)
        f |= PAGE_WRITE;
    if (prot & PROT_EXEC)
        f |= PAGE_EXEC;
    return f;
}

static int page_to_prot(unsigned f)
{
    return ((f & PAGE_READ) ? PROT_READ : 0) | ((f & PAGE_WRITE) ? PROT_WRITE : 0) |
           ((f & PAGE_EXEC) ? PROT_EXEC : 0);
}

/* Make the host protection of [start, end) follow the page table: one
 * host mprotect per run of pages with the same host protection, so the
 * cost is in the number of runs, not of pages. */
static int sync_host_prot(uint64_t start, uint64_t end)
{
    uint64_t run = start;
    int run_prot = -1;
    for (uint64_t a = start; a <= end; a += GUEST_PAGE_SIZE) {
        int prot = a < end ? page_host_prot(guest_page_flags[a >> GUEST_PAGE_BITS]) : -1;
        if (prot == run_prot) {
            continue;
        }
        if (run_prot >= 0 && mprotect(g2h(run), a - run, run_prot) < 0) {
            return -errno;
        }
        run = a;
        run_prot = prot;
    }
    return 0;
}

/* Drop translations of any page in [start, end) that may hold code. */
static void invalidate_code(uint64_t start, uint64_t end)
{
    for (uint64_t a = start; a < end; a += GUEST_PAGE_SIZE) {
        unsigned f = guest_page_flags[a >> GUEST_PAGE_BITS];
        if (f & (PAGE_EXEC | PAGE_CODE_PROTECTED)) {
            exec_invalidate_range(a, end);
            return;
        }
    }
}

uint64_t guest_find_free(uint64_t len, uint64_t below)
{
    len = GUEST_PAGE_ALIGN(len);
    if (len == 0 || below > guest_space_size) {
        return UINT64_MAX;
    }
    uint64_t end = below & GUEST_PAGE_MASK;
    while (end >= guest_mmap_min + len) {
        /* Scan down for a run of len free bytes ending at end. */
        uint64_t a = end;
        while (a > end - len && !(guest_page_flags[(a - 1) >> GUEST_PAGE_BITS] & PAGE_VALID)) {
            a -= GUEST_PAGE_SIZE;
        }
        if (a == end - len) {
            return a;
        }
        end = a - GUEST_PAGE_SIZE;   /* the page at a-1.. is used: restart below it */
    }
    return UINT64_MAX;
}

static int64_t guest_mmap_locked(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset)
{
    if (len == 0 || (offset & ~GUEST_PAGE_MASK)) {
        return -EINVAL;
    }
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) {
        return -EINVAL;
    }
    int type = flags & MAP_TYPE;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE) {
        return -EINVAL;
    }
    uint64_t alen = GUEST_PAGE_ALIGN(len);
    if (alen == 0 || alen > guest_space_size) {
        return -ENOMEM;
    }
    bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    if (fixed) {
        if (addr & ~GUEST_PAGE_MASK) {
            return -EINVAL;
        }
        if (addr >= guest_space_size || alen > guest_space_size - addr) {
            return -ENOMEM;
        }
        if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
            !guest_range_free(addr, addr + alen)) {
            return -EEXIST;
        }
    } else {
        /* A hint is honoured when the range is free, as the kernel does. */
        addr &= GUEST_PAGE_MASK;
        if (!(addr >= guest_mmap_min && addr < guest_space_size &&
              alen <= guest_space_size - addr && guest_range_free(addr, addr + alen))) {
            addr = guest_find_free(alen, mmap_top());
            if (addr == UINT64_MAX) {
                return -ENOMEM;
            }
        }
    }

    int host_flags = MAP_FIXED | (flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN |
                                            MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED |
                                            MAP_POPULATE | MAP_HUGETLB | MAP_32BIT));
    if (type == MAP_SHARED_VALIDATE) {
        host_flags = (host_flags & ~MAP_TYPE) | MAP_SHARED;
    }
    unsigned pf = prot_to_page(prot);
    invalidate_code(addr, addr + alen);
    void *want = g2h(addr);
    void *p = mmap(want, alen, page_host_prot(pf), host_flags,
                   (flags & MAP_ANONYMOUS) ? -1 : fd, (off_t)offset);
    if (p == MAP_FAILED) {
        return -errno;
    }
    if (p != want) {      /* cannot happen with MAP_FIXED; be safe */
        munmap(p, alen);
        return -ENOMEM;
    }
    page_set_flags(addr, addr + alen, pf);
    if (flags & MAP_ANONYMOUS)
        pcache_forget(addr, addr + alen);
    else
        pcache_note_fd(addr, addr + alen, offset, fd);
    return (int64_t)addr;
}

static int guest_munmap_locked(uint64_t addr, uint64_t len)
{
    if ((addr & ~GUEST_PAGE_MASK) || len == 0) {
        return -EINVAL;
    }
    uint64_t alen = GUEST_PAGE_ALIGN(len);
    if (addr >= guest_space_size || alen > guest_space_size - addr) {
        return -EINVAL;
    }
    invalidate_code(addr, addr + alen);
    void *p = mmap(g2h(addr), alen, PROT_NONE,
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        return -errno;
    }
    page_set_flags(addr, addr + alen, 0);
    pcache_forget(addr, addr + alen);
    return 0;
}

/* A guest mprotect of [start, end): page flags and host protection change
 * together under the page-protection lock (guest-mem.c), so a thread
 * faulting on one of the pages meanwhile sees one state or the other and
 * retries if the new one allows its access.  Run directly, or by exec
 * under its lock when pages lose exec (their blocks go first) or gain
 * write access while executable (whether they have blocks cannot change
 * before they are guarded). */
typedef struct ProtChange {
    uint64_t start, end;
    unsigned flags;
    int result;
} ProtChange;

static void prot_change(void *opaque)
{
    ProtChange *c = opaque;
    page_prot_lock_take();
    for (uint64_t a = c->start; a < c->end; a += GUEST_PAGE_SIZE) {
        uint8_t *f = &guest_page_flags[a >> GUEST_PAGE_BITS];
        unsigned old = *f, nf = c->flags;
        /* A page guarded for its translations stays guarded while it stays
         * writable and executable (losing exec dropped its blocks); a
         * read-only page with translations becoming writable (a JIT
         * flipping W^X back to write) is guarded from now on. */
        if ((nf & PAGE_WRITE) && (nf & PAGE_EXEC) &&
            ((old & PAGE_CODE_PROTECTED) || (!(old & PAGE_WRITE) && exec_page_has_code_locked(a)))) {
            nf |= PAGE_CODE_PROTECTED;
        }
        *f = (uint8_t)nf;
    }
    c->result = sync_host_prot(c->start, c->end);
    page_prot_lock_drop();
}

static int guest_mprotect_locked(uint64_t addr, uint64_t len, int prot)
{
    if (addr & ~GUEST_PAGE_MASK) {
        return -EINVAL;
    }
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) {
        return -EINVAL;
    }
    prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
    uint64_t alen = GUEST_PAGE_ALIGN(len);
    if (len == 0) {
        return 0;
    }
    if (addr >= guest_space_size || alen > guest_space_size - addr) {
        return -ENOMEM;
    }
    for (uint64_t a = addr; a < addr + alen; a += GUEST_PAGE_SIZE) {
        if (!(guest_page_flags[a >> GUEST_PAGE_BITS] & PAGE_VALID)) {
            return -ENOMEM;
        }
    }
    unsigned pf = prot_to_page(prot);
    bool drop_exec = false, gains_write = false;
    for (uint64_t a = addr; a < addr + alen; a += GUEST_PAGE_SIZE) {
        unsigned old = guest_page_flags[a >> GUEST_PAGE_BITS];
        drop_exec |= (old & PAGE_EXEC) && !(pf & PAGE_EXEC);
        gains_write |= (pf & PAGE_WRITE) && (pf & PAGE_EXEC) && !(old & PAGE_WRITE);
    }
    if (pf & PAGE_WRITE)   /* unguarded stores may follow: the cache checks the code again */
        tb_persist_pages_may_change(addr, addr + alen);
    ProtChange c = { .start = addr, .end = addr + alen, .flags = pf, .result = 0 };
    if (drop_exec || gains_write) {
        exec_invalidate_range_then(addr, drop_exec ? addr + alen : addr, prot_change, &c);
    } else {
        prot_change(&c);
    }
    return c.result;
}

static int64_t guest_mremap_locked(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                     uint64_t new_addr)
{
    if ((old_addr & ~GUEST_PAGE_MASK) || new_len == 0 ||
        (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED))) {
        return -EINVAL;
    }
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) {
        return -EINVAL;
    }
    uint64_t olen = GUEST_PAGE_ALIGN(old_len), nlen = GUEST_PAGE_ALIGN(new_len);
    if (nlen == 0 || nlen > guest_space_size || olen == 0 ||
        old_addr >= guest_space_size || olen > guest_space_size - old_addr ||
        !guest_range_ok(old_addr, olen, 0)) {
        return -EFAULT;
    }
    unsigned pf = guest_page_flags[old_addr >> GUEST_PAGE_BITS] & ~PAGE_CODE_PROTECTED;
    if (!(flags & MREMAP_FIXED)) {
        if (nlen <= olen) {
            if (nlen < olen) {
                guest_munmap(old_addr + nlen, olen - nlen);
            }
            return (int64_t)old_addr;
        }
        /* Grow in place when the pages after the mapping are free. */
        if (old_addr + nlen <= guest_space_size &&
            guest_range_free(old_addr + olen, old_addr + nlen)) {
            /* The host cannot grow over our own reservation in place; map
             * the tail as anonymous memory with the same protection. */
            int64_t r = guest_mmap(old_addr + olen, nlen - olen, page_to_prot(pf),
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (r >= 0) {
                page_set_flags(old_addr + olen, old_addr + nlen, pf);
                return (int64_t)old_addr;
            }
        }
        if (!(flags & MREMAP_MAYMOVE)) {
            return -ENOMEM;
        }
        new_addr = guest_find_free(nlen, mmap_top());
        if (new_addr == UINT64_MAX) {
            return -ENOMEM;
        }
    } else {
        if ((new_addr & ~GUEST_PAGE_MASK) || new_addr >= guest_space_size ||
            nlen > guest_space_size - new_addr ||
            (new_addr < old_addr + olen && old_addr < new_addr + nlen)) {
            return -EINVAL;
        }
        guest_munmap(new_addr, nlen);
    }
    /* Move the host pages (keeping their contents and file backing), then
     * put our reservation back where they were. */
    invalidate_code(old_addr, old_addr + olen);
    void *p = mremap(g2h(old_addr), olen, nlen, MREMAP_MAYMOVE | MREMAP_FIXED, g2h(new_addr));
    if (p == MAP_FAILED) {
        return -errno;
    }
    mmap(g2h(old_addr), olen, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
         -1, 0);
    /* Per-page protections move with the pages. */
    page_prot_lock_take();
    for (uint64_t o = 0; o < olen && o < nlen; o += GUEST_PAGE_SIZE) {
        guest_page_flags[(new_addr + o) >> GUEST_PAGE_BITS] =
            guest_page_flags[(old_addr + o) >> GUEST_PAGE_BITS] & ~PAGE_CODE_PROTECTED;
    }
    page_prot_lock_drop();
    if (nlen > olen) {
        page_set_flags(new_addr + olen, new_addr + nlen, pf);
    }
    page_set_flags(old_addr, old_addr + olen, 0);
    pcache_forget(old_addr, old_addr + olen);
    pcache_forget(new_addr, new_addr + nlen);
    sync_host_prot(new_addr, new_addr + nlen);
    return (int64_t)new_addr;
}

int64_t guest_shmat(int shmid, uint64_t addr, uint64_t size, int shmflg)
{
    uint64_t alen = GUEST_PAGE_ALIGN(size);
    if (alen == 0 || alen > guest_space_size)
        return -EINVAL;
    pthread_mutex_lock(&mmap_lock);
    if (addr) {
        if (shmflg & SHM_RND)
            addr &= ~(uint64_t)(SHMLBA - 1);
        if ((addr & ~GUEST_PAGE_MASK) || addr >= guest_space_size || alen > guest_space_size - addr) {
            pthread_mutex_unlock(&mmap_lock);
            return -EINVAL;
        }
        if (!(shmflg & SHM_REMAP) && !guest_range_free(addr, addr + alen)) {
            pthread_mutex_unlock(&mmap_lock);
            return -EINVAL;
        }
    } else {
        addr = guest_find_free(alen, mmap_top());
        if (addr == UINT64_MAX) {
            pthread_mutex_unlock(&mmap_lock);
            return -ENOMEM;
        }
    }
    invalidate_code(addr, addr + alen);
    /* SHM_REMAP: the attachment replaces our PROT_NONE reservation. */
    void *p = shmat(shmid, g2h(addr), (shmflg & (SHM_RDONLY | SHM_EXEC)) | SHM_REMAP);
    if (p == (void *)-1) {
        int e = errno;
        pthread_mutex_unlock(&mmap_lock);
        return -e;
    }
    unsigned pf = PAGE_VALID | PAGE_READ | ((shmflg & SHM_RDONLY) ? 0 : PAGE_WRITE) |
                  ((shmflg & SHM_EXEC) ? PAGE_EXEC : 0);
    /* The host attachment cannot be executable-only or lose write access
     * the guest has; only our page table changes. */
    page_set_flags(addr, addr + alen, pf);
    pcache_forget(addr, addr + alen);
    pthread_mutex_unlock(&mmap_lock);
    return (int64_t)addr;
}

void guest_mmap_fork_prepare(void)
{
    pthread_mutex_lock(&mmap_lock);
}

void guest_mmap_fork_parent(void)
{
    pthread_mutex_unlock(&mmap_lock);
}

void guest_mmap_fork_child(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&mmap_lock, &a);
    pthread_mutexattr_destroy(&a);
}

void guest_brk_range(uint64_t *start, uint64_t *cur)
{
    *start = brk_start;
    *cur = brk_cur;
}

void guest_brk_init(uint64_t start)
{
    brk_start = brk_cur = GUEST_PAGE_ALIGN(start);
}

static uint64_t guest_brk_locked(uint64_t new_brk)
{
    /* Like the kernel: a failed request returns the unchanged break. */
    if (new_brk < brk_start || new_brk >= guest_space_size) {
        return brk_cur;
    }
    uint64_t old_end = GUEST_PAGE_ALIGN(brk_cur), new_end = GUEST_PAGE_ALIGN(new_brk);
    if (new_end > old_end) {
        if (!guest_range_free(old_end, new_end)) {
            return brk_cur;
        }
        int64_t r = guest_mmap(old_end, new_end - old_end, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (r < 0) {
            return brk_cur;
        }
    } else if (new_end < old_end) {
        guest_munmap(new_end, old_end - new_end);
    }
    brk_cur = new_brk;
    return brk_cur;
}

int64_t guest_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset)
{
    pthread_mutex_lock(&mmap_lock);
    int64_t r = guest_mmap_locked(addr, len, prot, flags, fd, offset);
    pthread_mutex_unlock(&mmap_lock);
    return r;
}

int guest_munmap(uint64_t addr, uint64_t len)
{
    pthread_mutex_lock(&mmap_lock);
    int r = guest_munmap_locked(addr, len);
    pthread_mutex_unlock(&mmap_lock);
    return r;
}

int guest_mprotect(uint64_t addr, uint64_t len, int prot)
{
    pthread_mutex_lock(&mmap_lock);
    int r = guest_mprotect_locked(addr, len, prot);
    pthread_mutex_unlock(&mmap_lock);
    return r;
}

int64_t guest_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                     uint64_t new_addr)
{
    pthread_mutex_lock(&mmap_lock);
    int64_t r = guest_mremap_locked(old_addr, old_len, new_len, flags, new_addr);
    pthread_mutex_unlock(&mmap_lock);
    return r;
}

uint64_t guest_brk(uint64_t new_brk)
{
    pthread_mutex_lock(&mmap_lock);
    uint64_t r = guest_brk_locked(new_brk);
    pthread_mutex_unlock(&mmap_lock);
    return r;
}
