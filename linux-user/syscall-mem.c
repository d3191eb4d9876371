/*
 * syscall-mem.c — memory-management system calls, on top of mmap.c.
 */
#include <sys/mman.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

int64_t sys_brk(CPUCommon *cpu, const uint64_t *a)
{
    return (int64_t)guest_brk(guest_ulong(a[0]));
}

/* mmap(addr, len, prot, flags, fd, offset) with the offset in bytes: the
 * x86_64 call (the 32-bit guests' old mmap takes a struct: syscall-old.c). */
int64_t sys_mmap64(CPUCommon *cpu, const uint64_t *a)
{
    return guest_mmap(guest_ulong(a[0]), guest_ulong(a[1]), sarg(a[2]), sarg(a[3]), sarg(a[4]),
                      guest_ulong(a[5]));
}

int64_t sys_mmap2(CPUCommon *cpu, const uint64_t *a)
{
    /* mmap2's offset counts 4096-byte units whatever the page size. */
    int64_t r = guest_mmap(guest_ulong(a[0]), guest_ulong(a[1]), sarg(a[2]), sarg(a[3]), sarg(a[4]),
                           (uint64_t)(uint32_t)a[5] << 12);
    return r;
}

int64_t sys_munmap(CPUCommon *cpu, const uint64_t *a)
{
    return guest_munmap(guest_ulong(a[0]), guest_ulong(a[1]));
}

int64_t sys_mprotect(CPUCommon *cpu, const uint64_t *a)
{
    return guest_mprotect(guest_ulong(a[0]), guest_ulong(a[1]), sarg(a[2]));
}

int64_t sys_mremap(CPUCommon *cpu, const uint64_t *a)
{
    return guest_mremap(guest_ulong(a[0]), guest_ulong(a[1]), guest_ulong(a[2]), sarg(a[3]), guest_ulong(a[4]));
}

int64_t sys_madvise(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t addr = guest_ulong(a[0]), len = guest_ulong(a[1]);
    if (addr & ~GUEST_PAGE_MASK)
        return -EINVAL;
    if (!guest_range_ok(addr, GUEST_PAGE_ALIGN(len), 0))
        return -ENOMEM;
    /* Only advice that cannot change what the guest reads is passed on;
     * MADV_DONTNEED on a private mapping zero-fills, which the host does
     * for us as well, so it is safe too. */
    int advice = sarg(a[2]);
    switch (advice) {
    case MADV_DONTNEED:
        exec_invalidate_range(addr, addr + GUEST_PAGE_ALIGN(len));
        return host_result(madvise(g2h(addr), GUEST_PAGE_ALIGN(len), advice));
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
        return host_result(madvise(g2h(addr), GUEST_PAGE_ALIGN(len), advice));
    default:
        return 0;
    }
}

int64_t sys_msync(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t addr = guest_ulong(a[0]), len = guest_ulong(a[1]);
    if (!guest_range_ok(addr & GUEST_PAGE_MASK, len, 0))
        return -ENOMEM;
    return host_result(msync(g2h(addr), len, sarg(a[2])));
}

int64_t sys_mlock(CPUCommon *cpu, const uint64_t *a)
{
    return guest_range_ok(guest_ulong(a[0]), guest_ulong(a[1]), 0) ? 0 : -ENOMEM;
}

int64_t sys_munlock(CPUCommon *cpu, const uint64_t *a)
{
    return guest_range_ok(guest_ulong(a[0]), guest_ulong(a[1]), 0) ? 0 : -ENOMEM;
}
