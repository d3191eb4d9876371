/*
 * signal-x86_64.c — x86_64 signal frames, as Linux builds them
 * (arch/x86/kernel/signal.c, asm/sigframe.h, uapi/asm/sigcontext.h):
 *
 *   struct rt_sigframe { char *pretcode; struct ucontext uc; struct siginfo info; }
 *   struct ucontext    { u64 uc_flags; ucontext *uc_link; stack_t uc_stack (24);
 *                        struct sigcontext uc_mcontext (256); sigset_t uc_sigmask; }
 *   struct sigcontext  { r8..r15, rdi rsi rbp rbx rdx rax rcx rsp rip, eflags,
 *                        u16 cs gs fs ss, err, trapno, oldmask, cr2,
 *                        fpstate (pointer), reserved1[8] }
 *
 * Below the 128-byte red zone (unless on the alternate stack) the XSAVE
 * area, 64-byte aligned (x86-signal-fp.c), then the frame, placed so that
 * rsp + 8 is 16-byte aligned at the handler's entry as after a call.
 * Only SA_RESTORER handlers are supported, as on Linux (glibc always sets
 * one: __restore_rt, which calls rt_sigreturn).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "linux-user/guest-mem.h"
#include "linux-user/x86/x86-user.h"
#include "linux-user/x86_64/target-x86_64.h"

#define UC_OFF 8
#define UC_STACK 16
#define UC_MCONTEXT 40
#define MC_SIZE 256
#define UC_SIGMASK (UC_MCONTEXT + MC_SIZE)
#define UC_SIZE (UC_SIGMASK + 8)
#define INFO_OFF (UC_OFF + UC_SIZE)
#define FRAME_SIZE (INFO_OFF + 128)
#define SA_RESTORER_FLAG 0x04000000u
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* The general registers in struct sigcontext order. */
static const int mc_order[17] = {
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_RDI, X86_RSI, X86_RBP, X86_RBX, X86_RDX, X86_RAX, X86_RCX, X86_RSP, -1 /* rip */
};

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static uint64_t trapno_of(const GuestSiginfo *info)
{
    if (info->code <= 0)
        return 0;
    switch (info->signo) {
    case SIGSEGV: case SIGBUS: return 14;
    case SIGILL: return 6;
    case SIGTRAP: return 3;
    default: return 0;
    }
}

int x86_64_setup_signal_frame(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                              const GuestSiginfo *info, uint64_t old_mask, uint64_t sp)
{
    X86CPU *c = x86(cpu);
    if (!(ka->flags & SA_RESTORER_FLAG))
        return -EFAULT;               /* the kernel refuses such a handler too */
    if (sp == c->regs[X86_RSP])
        sp -= 128;                    /* the red zone, unless on the altstack */
    unsigned fpsize = x86_sigframe_fp_size();
    if (sp < fpsize + FRAME_SIZE + 4096)
        return -EFAULT;
    uint64_t fp = (sp - fpsize) & ~(uint64_t)63;
    uint64_t frame = ((fp - FRAME_SIZE) & ~(uint64_t)15) - 8;
    if (x86_sigframe_fp_save(c, fp, true) < 0)
        return -EFAULT;

    uint8_t f[FRAME_SIZE];
    memset(f, 0, sizeof(f));
    put64(f, ka->restorer);
    uint8_t *uc = f + UC_OFF;
    put64(uc, UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    put64(uc + UC_STACK, guest_altstack.sp);
    uint32_t ssf = guest_altstack.flags;
    memcpy(uc + UC_STACK + 8, &ssf, 4);
    put64(uc + UC_STACK + 16, guest_altstack.size);
    uint8_t *mc = uc + UC_MCONTEXT;
    for (int i = 0; i < 16; i++)
        put64(mc + 8 * i, c->regs[mc_order[i]]);
    put64(mc + 128, c->rip);
    put64(mc + 136, x86_eflags_read(c));
    put16(mc + 144, c->seg_sel[X86_SEG_CS]);
    put16(mc + 146, c->seg_sel[X86_SEG_GS]);
    put16(mc + 148, c->seg_sel[X86_SEG_FS]);
    put16(mc + 150, c->seg_sel[X86_SEG_SS]);
    put64(mc + 160, trapno_of(info));
    put64(mc + 168, old_mask);
    put64(mc + 176, trapno_of(info) == 14 ? info->addr : 0);
    put64(mc + 184, fp);
    put64(uc + UC_SIGMASK, old_mask);
    guest_siginfo_encode(info, f + INFO_OFF);
    if (copy_to_guest(frame, f, sizeof(f)) < 0)
        return -EFAULT;

    c->regs[X86_RSP] = frame;
    c->rip = ka->handler;
    c->regs[X86_RDI] = (uint64_t)sig;
    c->regs[X86_RSI] = frame + INFO_OFF;
    c->regs[X86_RDX] = frame + UC_OFF;
    c->regs[X86_RAX] = 0;
    c->seg_sel[X86_SEG_CS] = X86_64_USER_CS;
    c->seg_sel[X86_SEG_SS] = X86_64_USER_DS;
    x86_eflags_write(c, 0, X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
    x86_fpu_reset(c);
    return 0;
}

int x86_64_restore_signal_frame(CPUCommon *cpu, bool rt, uint64_t *mask)
{
    X86CPU *c = x86(cpu);
    if (!rt)
        return -EFAULT;               /* x86_64 has rt_sigreturn only */
    /* the handler's ret popped pretcode: rsp is the frame + 8 */
    uint64_t frame = c->regs[X86_RSP] - 8;
    uint8_t f[FRAME_SIZE];
    if (copy_from_guest(f, frame, INFO_OFF) < 0)
        return -EFAULT;
    const uint8_t *uc = f + UC_OFF, *mc = uc + UC_MCONTEXT;
    *mask = get64(uc + UC_SIGMASK);
    for (int i = 0; i < 16; i++)
        c->regs[mc_order[i]] = get64(mc + 8 * i);
    c->rip = get64(mc + 128);
    x86_eflags_write(c, (uint32_t)get64(mc + 136), X86_FIX_EFLAGS);
    return x86_sigframe_fp_restore(c, get64(mc + 184), true);
}
