/*
 * guest-mem.c — the guest address space reservation, the page-state table
 * and checked access to guest memory from vemu's own code.
 */
#include <errno.h>
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
    memset(guest_page_flags + first, (uint8_t)flags, last - first);
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
        uint8_t *f = &guest_page_flags[a >> GUEST_PAGE_BITS];
        if (*f & PAGE_CODE_PROTECTED) {
            exec_invalidate_range(a, a + GUEST_PAGE_SIZE);
            *f &= ~PAGE_CODE_PROTECTED;
            mprotect(g2h(a), GUEST_PAGE_SIZE, page_host_prot(*f));
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
