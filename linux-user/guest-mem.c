/*
 * guest-mem.c — the guest address space reservation, the page-state table
 * and checked access to guest memory from vemu's own code.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "exec/exec.h"
#include "linux-user/guest-mem.h"

uintptr_t guest_base;
uint64_t guest_space_size;
uint8_t *guest_page_flags;

/* One extra PROT_NONE page past the end catches accesses that straddle the
 * top of the guest space (an unaligned 8-byte load at 0xfffffffc). */
#define GUEST_GUARD_SIZE (64 * 1024)

int guest_space_init(uint64_t size)
{
    /* Let the kernel choose the address: a fixed one could collide with
     * AddressSanitizer's shadow or the host's own mappings. */
    return guest_space_init_at(size, 0);
}

int guest_space_init_at(uint64_t size, uintptr_t base)
{
    /* -B: exactly there, or fail (EEXIST) rather than replace a mapping. */
    int fixed = base ? MAP_FIXED_NOREPLACE : 0;
    void *p = mmap((void *)base, size + GUEST_GUARD_SIZE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | fixed, -1, 0);
    if (p == MAP_FAILED) {
        return -errno;
    }
    if (base && (uintptr_t)p != base) {       /* a kernel without MAP_FIXED_NOREPLACE */
        munmap(p, size + GUEST_GUARD_SIZE);
        return -EEXIST;
    }
    size_t npages = size >> GUEST_PAGE_BITS;
    uint8_t *tab = calloc(npages, 1);
    if (!tab) {
        munmap(p, size + GUEST_GUARD_SIZE);
        return -ENOMEM;
    }
    guest_base = (uintptr_t)p;
    guest_space_size = size;
    guest_page_flags = tab;
    return 0;
}

/*
 * A page's PAGE_CODE_PROTECTED bit and its host protection change together,
 * under page_prot_lock, so no thread ever sees one without the other; and
 * a page is never writable while it has translations:
 *   - the translator protects a writable page before it reads code from it
 *     (page_protect_code, under the engine lock), so a store after the read
 *     faults;
 *   - a store that faults on a protected page drops the page's
 *     translations and lifts the protection in one step under the engine
 *     lock (exec_invalidate_range_then), so no block can be translated in
 *     between, and no thread can store new code and still find the old
 *     block (page_fault_unprotect);
 *   - guest mprotect/mmap change flags and host protection under the lock,
 *     so a fault handler sees either the old state or the new one.
 * A fault that finds the page already allowing the access (another thread
 * lifted the protection first, or an mprotect was half way) is stale: the
 * access is retried.  Lock order: mmap lock, engine lock, this lock.
 */
static pthread_mutex_t page_prot_lock = PTHREAD_MUTEX_INITIALIZER;

void page_prot_lock_take(void)
{
    pthread_mutex_lock(&page_prot_lock);
}

void page_prot_lock_drop(void)
{
    pthread_mutex_unlock(&page_prot_lock);
}

void page_prot_fork_child(void)
{
    pthread_mutex_init(&page_prot_lock, NULL);
}

void page_set_flags(uint64_t start, uint64_t end, unsigned flags)
{
    if (end > guest_space_size) {
        end = guest_space_size;
    }
    if (start >= end) {
        return;
    }
    /* One byte per page: a range is one memset, whatever its size. */
    uint64_t first = start >> GUEST_PAGE_BITS;
    uint64_t last = (end + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_BITS;
    pthread_mutex_lock(&page_prot_lock);
    memset(guest_page_flags + first, (uint8_t)flags, last - first);
    pthread_mutex_unlock(&page_prot_lock);
}

void page_protect_code(uint64_t page)
{
    if (page >= guest_space_size) {
        return;
    }
    uint8_t *f = &guest_page_flags[page >> GUEST_PAGE_BITS];
    if (!(*f & PAGE_WRITE) || (*f & PAGE_CODE_PROTECTED)) {
        return;     /* the common case, without the lock */
    }
    pthread_mutex_lock(&page_prot_lock);
    if ((*f & PAGE_WRITE) && !(*f & PAGE_CODE_PROTECTED)) {
        *f |= PAGE_CODE_PROTECTED;
        mprotect(g2h(page), GUEST_PAGE_SIZE, page_host_prot(*f));
    }
    pthread_mutex_unlock(&page_prot_lock);
}

/* Run by exec with its lock held, after the page's blocks are gone. */
static void unprotect_now(void *opaque)
{
    uint64_t page = *(uint64_t *)opaque;
    uint8_t *f = &guest_page_flags[page >> GUEST_PAGE_BITS];
    pthread_mutex_lock(&page_prot_lock);
    if (*f & PAGE_CODE_PROTECTED) {
        *f &= ~PAGE_CODE_PROTECTED;
        mprotect(g2h(page), GUEST_PAGE_SIZE, page_host_prot(*f));
    }
    pthread_mutex_unlock(&page_prot_lock);
}

/* Drop the translations of a protected page and lift its protection. */
static void page_unprotect_code(uint64_t page)
{
    exec_invalidate_range_then(page, page + GUEST_PAGE_SIZE, unprotect_now, &page);
}

PageFault page_fault_unprotect(uint64_t gaddr, int is_write)
{
    uint64_t page = gaddr & GUEST_PAGE_MASK;
    uint8_t *f = &guest_page_flags[page >> GUEST_PAGE_BITS];
    PageFault r = PAGE_FAULT_GUEST;
    pthread_mutex_lock(&page_prot_lock);
    unsigned fl = *f;
    if (!(fl & PAGE_VALID)) {
        r = PAGE_FAULT_GUEST;
    } else if (is_write != 0 && (fl & PAGE_WRITE) && (fl & PAGE_CODE_PROTECTED)) {
        r = PAGE_FAULT_UNPROTECTED;
    } else if (is_write > 0 ? (fl & PAGE_WRITE) : (fl & (PAGE_READ | PAGE_EXEC))) {
        /* The page allows the access now: make sure the host agrees. */
        mprotect(g2h(page), GUEST_PAGE_SIZE, page_host_prot(fl));
        r = PAGE_FAULT_STALE;
    }
    pthread_mutex_unlock(&page_prot_lock);
    if (r == PAGE_FAULT_UNPROTECTED) {
        page_unprotect_code(page);
    }
    return r;
}

int page_host_prot(unsigned flags)
{
    if (!(flags & PAGE_VALID)) {
        return PROT_NONE;
    }
    int prot = 0;
    /* Guest code is read (by the translator) but never executed in place:
     * host pages are never executable.  Executable implies readable, as
     * on the ARM and x86 kernels. */
    if (flags & (PAGE_READ | PAGE_EXEC)) {
        prot |= PROT_READ;
    }
    if ((flags & PAGE_WRITE) && !(flags & PAGE_CODE_PROTECTED)) {
        prot |= PROT_WRITE | PROT_READ;
    }
    return prot;
}

bool guest_range_ok(uint64_t addr, uint64_t len, unsigned prot)
{
    if (len == 0) {
        return addr <= guest_space_size;
    }
    if (addr >= guest_space_size || len > guest_space_size - addr) {
        return false;
    }
    uint64_t end = addr + len;
    for (uint64_t a = addr & GUEST_PAGE_MASK; a < end; a += GUEST_PAGE_SIZE) {
        unsigned f = guest_page_flags[a >> GUEST_PAGE_BITS];
        if (!(f & PAGE_VALID) || (f & prot) != prot) {
            return false;
        }
    }
    return true;
}

bool guest_range_free(uint64_t start, uint64_t end)
{
    if (start > end || end > guest_space_size) {
        return false;
    }
    for (uint64_t a = start; a < end; a += GUEST_PAGE_SIZE) {
        if (guest_page_flags[a >> GUEST_PAGE_BITS] & PAGE_VALID) {
            return false;
        }
    }
    return true;
}

bool guest_prepare_write(uint64_t addr, uint64_t len)
{
    if (!guest_range_ok(addr, len, PAGE_WRITE)) {
        return false;
    }
    if (len == 0) {
        return true;
    }
    uint64_t end = addr + len;
    for (uint64_t a = addr & GUEST_PAGE_MASK; a < end; a += GUEST_PAGE_SIZE) {
        if (guest_page_flags[a >> GUEST_PAGE_BITS] & PAGE_CODE_PROTECTED) {
            page_unprotect_code(a);
        }
    }
    return true;
}

int copy_from_guest(void *dst, uint64_t src, size_t len)
{
    if (!guest_range_ok(src, len, PAGE_READ)) {
        return -EFAULT;
    }
    memcpy(dst, g2h(src), len);
    return 0;
}

int copy_to_guest(uint64_t dst, const void *src, size_t len)
{
    if (!guest_prepare_write(dst, len)) {
        return -EFAULT;
    }
    memcpy(g2h(dst), src, len);
    return 0;
}

const char *guest_string(uint64_t addr, size_t max)
{
    /* Check page by page: the string may end just before an unmapped page. */
    for (size_t n = 0; n < max; ) {
        uint64_t a = addr + n;
        if (!guest_range_ok(a, 1, PAGE_READ)) {
            return NULL;
        }
        uint64_t page_end = (a & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE;
        size_t chunk = page_end - a;
        const char *p = g2h(a);
        const char *z = memchr(p, 0, chunk);
        if (z) {
            return (n + (size_t)(z - p) < max) ? g2h(addr) : NULL;
        }
        n += chunk;
    }
    return NULL;
}

void *guest_ptr(uint64_t addr, uint64_t len, unsigned prot)
{
    if (prot & PAGE_WRITE) {
        if (!guest_prepare_write(addr, len)) {
            return NULL;
        }
    }
    if (!guest_range_ok(addr, len, prot)) {
        return NULL;
    }
    return g2h(addr);
}
