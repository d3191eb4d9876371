/*
 * x86-user.c — the parts of vemu-i386's and vemu-x86_64's LinuxTargets
 * that are the same for both: registers at start, the system call
 * number and its restart.
 */
#include <fcntl.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "host/host-abi.h"
#include "linux-user/guest-mem.h"
#include "linux-user/x86/x86-user.h"

void x86_user_init_thread(CPUCommon *cpu, const LinuxImageInfo *info, bool code64)
{
    X86CPU *c = x86(cpu);
    memset(c->regs, 0, sizeof(c->regs));
    c->regs[X86_RSP] = info->sp;
    c->rip = info->start_pc;
    c->df = 1;
    x86_eflags_write(c, X86_EFLAGS_FIXED | X86_EFLAGS_IF, 0xffffffffu);
    /* flat segments; fs and gs null until the C library sets up TLS */
    uint16_t cs = code64 ? X86_64_USER_CS : I386_USER_CS, ds = code64 ? X86_64_USER_DS : I386_USER_DS;
    for (int i = 0; i < X86_NSEGS; i++) {
        c->seg_sel[i] = i == X86_SEG_CS ? cs : (i == X86_SEG_FS || i == X86_SEG_GS) ? 0 : ds;
        c->seg_base[i] = 0;
    }
    c->code_mode = code64 ? X86_TBF_CODE64 : X86_TBF_CODE32;
    x86_fpu_reset(c);
}

uint64_t x86_user_get_pc(const CPUCommon *cpu) { return cx86(cpu)->rip; }
uint64_t x86_user_get_sp(const CPUCommon *cpu) { return cx86(cpu)->regs[X86_RSP]; }

/* The number of the call being made, for a restart after a signal (the
 * result has replaced it in eax by then). */
static __thread uint64_t last_nr;

/* Whether the 2-byte instruction before rip is int $0x80 (cd 80), rather
 * than syscall (0f 05) or sysenter (0f 34).  The bytes were just
 * translated, so they are mapped; a page that went away since reads as
 * no int $0x80. */
static bool after_int80(const X86CPU *c)
{
    uint64_t at = c->rip - 2;
    if (!page_flags_at(at) || !page_flags_at(at + 1))
        return false;
    const uint8_t *p = g2h(at);
    return p[0] == 0xcd && p[1] == 0x80;
}

uint32_t x86_user_syscall_nr(CPUCommon *cpu, const LinuxAbi **abi)
{
    X86CPU *c = x86(cpu);
    last_nr = c->regs[X86_RAX];
    *abi = linux_target.abi;
    if ((c->code_mode & X86_TBF_CODE64) && linux_target.abi != &i386_abi && after_int80(c)) {
        /* int $0x80 in 64-bit code: the kernel's compat entry runs the
         * i386 table with the 32-bit registers (x86_64_syscall_args) */
        *abi = &i386_abi;
        last_nr = (uint32_t)last_nr;
        /* except sigreturn and rt_sigreturn, which would restore a
         * 32-bit frame (and may switch to 32-bit code): not supported,
         * ENOSYS (docs/linux-user.md) */
        if (last_nr == I386_NR_SIGRETURN || last_nr == I386_NR_RT_SIGRETURN)
            return UINT32_MAX - 1;
        return (uint32_t)last_nr;
    }
    /* numbers past 32 bits are no call (the kernel compares all of rax) */
    return last_nr > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)last_nr;
}

bool x86_user_compat_call(void)
{
    return linux_cur_abi == &i386_abi && linux_target.abi != &i386_abi;
}

void x86_user_syscall_restart(CPUCommon *cpu, uint64_t orig_arg0)
{
    X86CPU *c = x86(cpu);
    /* arguments are in other registers than the result: only the number
     * needs restoring */
    c->regs[X86_RAX] = last_nr;
    c->rip -= 2;
    if (!(c->code_mode & X86_TBF_CODE64))
        c->rip = (uint32_t)c->rip;
}

/* x86's numbers are the generic ones; an aarch64 host's libc and kernel
 * number these four as ARM does (O_DIRECTORY 040000, O_NOFOLLOW 0100000,
 * O_DIRECT 0200000, O_LARGEFILE 0400000).  O_LARGEFILE is the kernel's
 * (glibc's is 0 on a 64-bit host): it sets it on every open, and F_GETFL
 * reports it. */
const LinuxFlagPair x86_open_flags[X86_N_OPEN_FLAGS] = {
    { 040000, O_DIRECT },
    { 0100000, HOST_O_LARGEFILE },
    { 0200000, O_DIRECTORY },
    { 0400000, O_NOFOLLOW },
};
