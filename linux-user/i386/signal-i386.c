/*
 * signal-i386.c — i386 signal frames, as a 64-bit Linux kernel builds them
 * for 32-bit tasks (arch/x86/ia32/ia32_signal.c, asm/sigframe.h):
 *
 *   struct sigframe_ia32    { u32 pretcode; int sig; struct sigcontext_32 sc;
 *                             struct _fpstate_32 fpstate_unused; u32 extramask;
 *                             char retcode[8]; }
 *   struct rt_sigframe_ia32 { u32 pretcode; int sig; u32 pinfo, puc;
 *                             siginfo info (128); struct ucontext_ia32 uc;
 *                             char retcode[8]; }
 *
 * sigcontext_32 (88 bytes): gs fs es ds (16-bit, each padded to 32), edi
 * esi ebp esp ebx edx ecx eax, trapno, err, eip, cs, eflags,
 * esp_at_signal, ss, fpstate (pointer), oldmask, cr2.  ucontext_ia32:
 * uc_flags, uc_link, uc_stack (sp, flags, size), uc_mcontext, uc_sigmask.
 *
 * The FPU state lies above the frame: a 112-byte FSAVE header (the
 * 108-byte FNSAVE image, then status and magic 0x0000, "FXSR data
 * follows") whose end is 64-byte aligned, then the XSAVE area
 * (x86-signal-fp.c).  sc.fpstate points at the header.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "linux-user/guest-mem.h"
#include "linux-user/i386/target-i386.h"
#include "linux-user/vdso.h"
#include "linux-user/x86/x86-user.h"

#define SC_SIZE 88
#define FPSTATE32_SIZE 624        /* struct _fpstate_32 */
#define FREGS_SIZE 112            /* struct fregs_state: FNSAVE image + status/magic */
#define SIGFRAME_SIZE (8 + SC_SIZE + FPSTATE32_SIZE + 4 + 8)
#define SIGFRAME_EXTRAMASK (8 + SC_SIZE + FPSTATE32_SIZE)
#define SIGFRAME_RETCODE (SIGFRAME_EXTRAMASK + 4)
#define UC_SIZE (20 + SC_SIZE + 8)
#define RT_INFO 16
#define RT_UC (RT_INFO + 128)
#define RT_RETCODE (RT_UC + UC_SIZE)
#define RT_SIGFRAME_SIZE (RT_RETCODE + 8)
#define SA_RESTORER_FLAG 0x04000000u
#define NR_SIGRETURN 119
#define NR_RT_SIGRETURN 173

/* The trap number Linux reports for a signal the cpu raised. */
static uint32_t trapno_of(const GuestSiginfo *info)
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

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void sigcontext_save(const X86CPU *c, uint8_t *sc, uint32_t fpstate, uint32_t oldmask,
                            const GuestSiginfo *info)
{
    memset(sc, 0, SC_SIZE);
    put32(sc + 0, c->seg_sel[X86_SEG_GS]);
    put32(sc + 4, c->seg_sel[X86_SEG_FS]);
    put32(sc + 8, c->seg_sel[X86_SEG_ES]);
    put32(sc + 12, c->seg_sel[X86_SEG_DS]);
    static const int order[8] = { X86_RDI, X86_RSI, X86_RBP, X86_RSP, X86_RBX, X86_RDX, X86_RCX, X86_RAX };
    for (int i = 0; i < 8; i++)
        put32(sc + 16 + 4 * i, (uint32_t)c->regs[order[i]]);
    put32(sc + 48, trapno_of(info));
    put32(sc + 52, 0);
    put32(sc + 56, (uint32_t)c->rip);
    put32(sc + 60, c->seg_sel[X86_SEG_CS]);
    put32(sc + 64, x86_eflags_read(c));
    put32(sc + 68, (uint32_t)c->regs[X86_RSP]);
    put32(sc + 72, c->seg_sel[X86_SEG_SS]);
    put32(sc + 76, fpstate);
    put32(sc + 80, oldmask);
    put32(sc + 84, trapno_of(info) == 14 ? (uint32_t)info->addr : 0);
}

/* Load a segment register as sigreturn does; an unusable selector is
 * replaced by the null selector rather than faulting. */
static void load_seg(X86CPU *c, int seg, uint16_t sel)
{
    uint64_t base;
    if (!x86_user_seg_base(c, sel, &base)) {
        sel = 0;
        base = 0;
    }
    c->seg_sel[seg] = sel;
    c->seg_base[seg] = base;
}

static int sigcontext_restore(X86CPU *c, const uint8_t *sc)
{
    load_seg(c, X86_SEG_GS, (uint16_t)get32(sc + 0));
    load_seg(c, X86_SEG_FS, (uint16_t)get32(sc + 4));
    static const int order[8] = { X86_RDI, X86_RSI, X86_RBP, X86_RSP, X86_RBX, X86_RDX, X86_RCX, X86_RAX };
    for (int i = 0; i < 8; i++)
        c->regs[order[i]] = get32(sc + 16 + 4 * i);
    c->rip = get32(sc + 56);
    x86_eflags_write(c, get32(sc + 64), X86_FIX_EFLAGS);
    return x86_sigframe_fp_restore(c, get32(sc + 76) ? get32(sc + 76) + FREGS_SIZE : 0, false);
}

/* Place the FPU state below sp; returns the new sp (the fpstate pointer)
 * or 0 when it does not fit. */
static uint64_t fp_alloc(const X86CPU *c, uint64_t sp)
{
    unsigned size = x86_sigframe_fp_size();
    if (sp < size + FREGS_SIZE + 64 + 4096)
        return 0;
    uint64_t fx = (sp - size) & ~(uint64_t)63;
    uint64_t fp = fx - FREGS_SIZE;
    uint8_t hdr[FREGS_SIZE];
    memset(hdr, 0, sizeof(hdr));
    x86_fpu_sync_host(c);
    x86_fsave(c, hdr, 0);
    uint16_t status = (uint16_t)(c->fpu.fsw | (c->fpu.top << 11)), magic = 0x0000;
    memcpy(hdr + 108, &status, 2);
    memcpy(hdr + 110, &magic, 2);
    if (copy_to_guest(fp, hdr, sizeof(hdr)) < 0 || x86_sigframe_fp_save(c, fx, false) < 0)
        return 0;
    return fp;
}

/* The handler's registers (the kernel's ia32_setup_(rt_)frame). */
static void enter_handler(X86CPU *c, uint64_t frame, const GuestSigAction *ka, int sig)
{
    c->regs[X86_RSP] = (uint32_t)frame;
    c->rip = (uint32_t)ka->handler;
    c->regs[X86_RAX] = (uint32_t)sig;
    load_seg(c, X86_SEG_DS, I386_USER_DS);
    load_seg(c, X86_SEG_ES, I386_USER_DS);
    load_seg(c, X86_SEG_SS, I386_USER_DS);
    c->seg_sel[X86_SEG_CS] = I386_USER_CS;
    x86_eflags_write(c, 0, X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
    /* the handler starts with a clean FPU (fpu__clear_user_states) */
    x86_fpu_reset(c);
}

int i386_setup_signal_frame(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                            const GuestSiginfo *info, uint64_t old_mask, uint64_t sp)
{
    X86CPU *c = x86(cpu);
    bool rt = ka->flags & SA_SIGINFO;
    sp = (uint32_t)sp;
    uint64_t fp = fp_alloc(c, sp);
    if (!fp)
        return -EFAULT;
    unsigned size = rt ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE;
    uint64_t frame = (((fp - size) + 4) & ~(uint64_t)15) - 4;
    uint8_t f[RT_SIGFRAME_SIZE > SIGFRAME_SIZE ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE];
    memset(f, 0, sizeof(f));
    uint32_t retcode_at = (uint32_t)frame + (rt ? RT_RETCODE : SIGFRAME_RETCODE);
    /* the handler returns to its restorer, else (glibc sets none when
     * there is a vDSO) to the vDSO's trampoline, else to the retcode on
     * the stack, as ia32_setup_(rt_)frame choose; the retcode is written
     * either way, as the kernel does (gdb knows it) */
    uint32_t tramp = (uint32_t)vdso_symbol(rt ? i386_vdso.rt_sigreturn : i386_vdso.sigreturn);
    put32(f + 0, (ka->flags & SA_RESTORER_FLAG) ? (uint32_t)ka->restorer
                 : tramp ? tramp : retcode_at);
    put32(f + 4, (uint32_t)sig);
    uint8_t *retcode;
    if (rt) {
        put32(f + 8, (uint32_t)frame + RT_INFO);
        put32(f + 12, (uint32_t)frame + RT_UC);
        guest_siginfo_encode(info, f + RT_INFO);
        uint8_t *uc = f + RT_UC;
        put32(uc + 0, 0);                   /* uc_flags */
        put32(uc + 4, 0);                   /* uc_link */
        put32(uc + 8, (uint32_t)guest_altstack.sp);
        put32(uc + 12, guest_altstack.flags);
        put32(uc + 16, (uint32_t)guest_altstack.size);
        sigcontext_save(c, uc + 20, (uint32_t)fp, (uint32_t)old_mask, info);
        put32(uc + 20 + SC_SIZE, (uint32_t)old_mask);
        put32(uc + 24 + SC_SIZE, (uint32_t)(old_mask >> 32));
        retcode = f + RT_RETCODE;
        /* movl $__NR_rt_sigreturn, %eax; int $0x80 */
        static const uint8_t code[8] = { 0xb8, NR_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0 };
        memcpy(retcode, code, 8);
    } else {
        sigcontext_save(c, f + 8, (uint32_t)fp, (uint32_t)old_mask, info);
        put32(f + SIGFRAME_EXTRAMASK, (uint32_t)(old_mask >> 32));
        retcode = f + SIGFRAME_RETCODE;
        /* popl %eax; movl $__NR_sigreturn, %eax; int $0x80 */
        static const uint8_t code[8] = { 0x58, 0xb8, NR_SIGRETURN, 0, 0, 0, 0xcd, 0x80 };
        memcpy(retcode, code, 8);
    }
    if (copy_to_guest(frame, f, size) < 0)
        return -EFAULT;
    enter_handler(c, frame, ka, sig);
    if (rt) {
        c->regs[X86_RDX] = (uint32_t)frame + RT_INFO;
        c->regs[X86_RCX] = (uint32_t)frame + RT_UC;
    } else {
        c->regs[X86_RDX] = 0;
        c->regs[X86_RCX] = 0;
    }
    return 0;
}

int i386_restore_signal_frame(CPUCommon *cpu, bool rt, uint64_t *mask)
{
    X86CPU *c = x86(cpu);
    uint8_t f[RT_SIGFRAME_SIZE > SIGFRAME_SIZE ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE];
    if (rt) {
        /* the handler's ret popped pretcode: esp is the frame + 4 */
        uint64_t frame = (uint32_t)(c->regs[X86_RSP] - 4);
        if (copy_from_guest(f, frame, RT_SIGFRAME_SIZE) < 0)
            return -EFAULT;
        const uint8_t *uc = f + RT_UC;
        *mask = get32(uc + 20 + SC_SIZE) | (uint64_t)get32(uc + 24 + SC_SIZE) << 32;
        return sigcontext_restore(c, uc + 20);
    }
    /* the retcode's popl took sig too: esp is the frame + 8 */
    uint64_t frame = (uint32_t)(c->regs[X86_RSP] - 8);
    if (copy_from_guest(f, frame, SIGFRAME_SIZE) < 0)
        return -EFAULT;
    *mask = get32(f + 8 + 80) | (uint64_t)get32(f + SIGFRAME_EXTRAMASK) << 32;
    return sigcontext_restore(c, f + 8);
}
