/*
 * vsyscall-x86_64.c — the legacy vsyscall page of x86_64 Linux, emulated
 * as the kernel does by default (vsyscall=xonly).
 *
 * Before the vDSO, x86_64 processes called gettimeofday, time and getcpu
 * at fixed addresses: 0xffffffffff600000, ...400, ...800.  Modern kernels
 * map nothing readable there; a call faults, and the fault handler
 * (emulate_vsyscall) carries out the call and returns to the caller as
 * the page's `ret` would have.  The page lies outside vemu-x86_64's guest
 * space, so the fetch fails in the same way and x86_64_vsyscall_fault
 * does what the kernel does.  glibc never uses the page (since 2.14) but
 * old static binaries do.  (Reading the page, which faults on Linux, is
 * not caught: it is beyond the 512 GiB guest space, where wild 64-bit
 * pointers are not caught either, docs/linux-user.md.)
 */
#include <errno.h>
#include <signal.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"
#include "linux-user/x86/x86-user.h"
#include "linux-user/x86_64/target-x86_64.h"

#define VSYSCALL_PAGE 0xffffffffff600000ull

/* A pointer the call writes through must be a user address (NULL is
 * allowed), else SIGSEGV SEGV_MAPERR at it, as write_ok_or_segv sends;
 * a user address that is not writable makes the call fail with EFAULT
 * (below). */
static bool write_ok_or_segv(CPUCommon *cpu, uint64_t ptr, uint64_t size)
{
    const uint64_t task_size_max = (1ull << 47) - 4096;
    if (ptr && (ptr > task_size_max || size > task_size_max - ptr)) {
        cpu_loop_raise_signal(cpu, SIGSEGV, SEGV_MAPERR, ptr);
        return false;
    }
    return true;
}

bool x86_64_vsyscall_fault(CPUCommon *cpu)
{
    X86CPU *c = x86(cpu);
    if (cpu->fault_access != EXEC_ACCESS_EXEC || !(c->code_mode & X86_TBF_CODE64) ||
        (c->rip & ~0xfffull) != VSYSCALL_PAGE)
        return false;
    uint64_t off = c->rip - VSYSCALL_PAGE;
    uint64_t caller, a[7] = { c->regs[X86_RDI], c->regs[X86_RSI], 0, 0, 0, 0, 0 };
    /* a jump into the middle of an entry, or no return address: SIGSEGV
     * as a kernel fault (SI_KERNEL, no address) */
    if ((off != 0 && off != 0x400 && off != 0x800) ||
        copy_from_guest(&caller, c->regs[X86_RSP], 8) < 0) {
        cpu_loop_raise_signal(cpu, SIGSEGV, 0x80, 0);
        return true;
    }
    int64_t ret;
    switch (off) {
    case 0x000:   /* gettimeofday(tv, tz) */
        if (!write_ok_or_segv(cpu, a[0], 16) || !write_ok_or_segv(cpu, a[1], 8))
            return true;
        ret = sys_gettimeofday(cpu, a);
        break;
    case 0x400:   /* time(t) */
        if (!write_ok_or_segv(cpu, a[0], 8))
            return true;
        ret = sys_time(cpu, a);
        break;
    default:      /* getcpu(cpu, node, cache): the cache is ignored */
        if (!write_ok_or_segv(cpu, a[0], 4) || !write_ok_or_segv(cpu, a[1], 4))
            return true;
        ret = sys_getcpu(cpu, a);
        break;
    }
    /* a bad pointer: SIGSEGV as a kernel fault, the call not returned
     * from (rip stays at the entry) */
    if (ret == -EFAULT) {
        cpu_loop_raise_signal(cpu, SIGSEGV, 0x80, 0);
        return true;
    }
    /* the page's `ret` */
    c->regs[X86_RAX] = (uint64_t)ret;
    c->rip = caller;
    c->regs[X86_RSP] += 8;
    return true;
}
