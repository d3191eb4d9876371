/*
 * syscall-abi-arm.c — ARM Linux's two system call conventions, and which
 * one a given svc instruction uses.
 *
 * EABI (every binary since 2006): `svc 0` with the number in r7, 64-bit
 * arguments in even/odd register pairs, 64-bit struct members 8-aligned.
 * The old ABI (OABI): `svc 0x900000+n`, the number in the instruction,
 * arguments in r0-r6, 64-bit arguments in the next two registers whatever
 * their position, 64-bit members 4-aligned and every struct padded to 4
 * bytes (struct stat64 96 bytes instead of 104, epoll_event 12 instead of
 * 16, flock64 24 instead of 32, sembuf 8 instead of 6).  The old table has
 * a few calls EABI dropped (socketcall, ipc, the old mmap and select...).
 *
 * Like a kernel built with CONFIG_OABI_COMPAT (and like qemu-arm), the
 * choice is made per call, not per program: in ARM state a non-zero svc
 * immediate is an old-ABI call, zero an EABI one; Thumb has no old ABI.
 * So an EABI program's `svc 0x900000+n` works too, as on such a kernel,
 * and the ELF header's ABI version (e_flags) decides nothing.
 */
#include <errno.h>
#include <signal.h>

#include "frontend-arm/arm-cpu.h"
#include "linux-user/arm/target-arm.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

#include "syscall-table-arm.inc"
#include "syscall-table-arm-oabi.inc"

#define OABI_SYSCALL_BASE 0x900000u
#define ARM_PRIVATE_BASE 0xf0000u
/* The private calls the kernel answers with ENOSYS when it lacks them
 * (0xf0000..0xf07ff); anything else outside the table is SIGILL. */
#define ARM_PRIVATE_ENOSYS_LIMIT 0xf0800u

const LinuxAbi arm_eabi = {
    .name = "eabi",
    .syscalls = arm_syscalls,
    .n_syscalls = sizeof(arm_syscalls) / sizeof(arm_syscalls[0]),
    .pair_align = true,
    .llong_align = 8,
    .struct_align = 1,
};

const LinuxAbi arm_oabi = {
    .name = "oabi",
    .syscalls = arm_oabi_syscalls,
    .n_syscalls = sizeof(arm_oabi_syscalls) / sizeof(arm_oabi_syscalls[0]),
    .pair_align = false,
    .llong_align = 4,
    .struct_align = 4,
};

const LinuxAbi *const arm_abis[2] = { &arm_eabi, &arm_oabi };

/* Like the kernel, numbers past the table below the private calls are
 * ENOSYS (sys_ni_syscall), private calls it lacks up to 0xf07ff too, and
 * anything above raises SIGILL (bad_syscall), si_addr the svc, the pc
 * after it. */
static uint32_t refuse_bad_number(CPUCommon *cpu, const LinuxAbi *abi, uint32_t nr,
                                  uint32_t svc_addr)
{
    if (nr >= ARM_PRIVATE_ENOSYS_LIMIT && !linux_syscall_find(abi, nr)) {
        force_guest_signal(cpu, SIGILL, ILL_ILLTRP, svc_addr);
        return LINUX_SYSCALL_NONE;
    }
    return nr;
}

uint32_t arm_syscall_nr(CPUCommon *cpu, const LinuxAbi **abi)
{
    ARMCPU *c = (ARMCPU *)cpu;
    *abi = &arm_eabi;
    if (c->thumb)
        return refuse_bad_number(cpu, &arm_eabi, c->regs[7], c->regs[15] - 2);
    /* The kernel reads the instruction back, as we do: pc is past it.  The
     * translator has just read it, so it is mapped; a racing munmap gives
     * 0 here, an EABI call, where the kernel would give SIGSEGV. */
    uint32_t svc_addr = c->regs[15] - 4, insn = 0;
    if (page_flags_at(svc_addr) & (PAGE_READ | PAGE_EXEC))
        insn = ldl_guest(svc_addr);
    uint32_t imm = insn & 0xffffff;
    if (imm == 0)
        return refuse_bad_number(cpu, &arm_eabi, c->regs[7], svc_addr);
    /* The kernel's XOR: 0x900000+n gives n, 0x9f0000+n the private call
     * 0xf0000+n, any other immediate a number above 0xfffff. */
    *abi = &arm_oabi;
    return refuse_bad_number(cpu, &arm_oabi, imm ^ OABI_SYSCALL_BASE, svc_addr);
}

/* syscall(nr, args...) (old ABI 113): call nr of the old table (n or
 * 0x900000+n) with the arguments one register down.  Like the kernel,
 * neither itself nor the private calls. */
int64_t arm_sys_oabi_syscall(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t nr = (uint32_t)a[0] & ~OABI_SYSCALL_BASE;
    const LinuxSyscallDef *d = nr < ARM_PRIVATE_BASE ? linux_syscall_find(&arm_oabi, nr) : NULL;
    if (!d || !d->fn || d->fn == arm_sys_oabi_syscall)
        return -ENOSYS;
    uint64_t b[7] = { a[1], a[2], a[3], a[4], a[5], a[6], 0 };
    return d->fn(cpu, b);
}
