/*
 * signal-arm.c — ARM signal frames, as the ARM Linux kernel builds them.
 *
 *   struct sigframe    { struct ucontext uc; unsigned long retcode[4]; }
 *   struct rt_sigframe { struct siginfo info; struct sigframe sig; }
 *
 * ucontext (744 bytes): uc_flags, uc_link, uc_stack (sp, flags, size),
 * uc_mcontext = struct sigcontext (trap_no, error_code, oldmask, r0-r10,
 * fp, ip, sp, lr, pc, cpsr, fault_address), uc_sigmask (8 bytes, padded
 * to 128), uc_regspace (512 bytes, 8-aligned).
 *
 * uc_regspace holds the coprocessor records the kernel saves; with VFP it is
 *   struct vfp_sigframe { magic 0x56465001, size 288,
 *                         u64 fpregs[32], u32 fpscr, pad,
 *                         u32 fpexc, fpinst, fpinst2, pad }
 * and with iWMMXt (before the VFP record, as the kernel's aux_sigframe has it)
 *   struct iwmmxt_sigframe { magic 0x12ef842a, size 0xa0,
 *                            u64 wR[16], u32 wCSSF, wCASF, wCGR0-3 }
 * (arch/arm/include/asm/ucontext.h; the storage is the kernel's 0x98-byte
 * iwmmxt_struct, laid out by arch/arm/kernel/iwmmxt.S: wCon and wCID are
 * not saved), followed by a zero word that ends the list.
 * sigreturn finds the ucontext at sp, rt_sigreturn at sp + 128.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "linux-user/arm/target-arm.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"

#define SIGINFO_SIZE 128
#define UC_MCONTEXT 20
#define UC_SIGMASK 104
#define UC_REGSPACE 232
#define UC_SIZE 744
#define SIGFRAME_SIZE (UC_SIZE + 16)
#define RT_SIGFRAME_SIZE (SIGINFO_SIZE + SIGFRAME_SIZE)
#define SA_RESTORER_FLAG 0x04000000u
#define VFP_MAGIC 0x56465001u
#define VFP_FRAME_SIZE 288u
#define VFP_FPSCR_OFF (8 + 32 * 8)
#define VFP_FPEXC_OFF (VFP_FPSCR_OFF + 8)
#define IWMMXT_MAGIC 0x12ef842au
#define IWMMXT_FRAME_SIZE 0xa0u
#define IWMMXT_WC_OFF (8 + 16 * 8)

/* The iWMMXt record, when the cpu has iWMMXt: a handler that uses the
 * SIMD registers must not corrupt the interrupted code's.  Returns the
 * bytes used. */
static unsigned iwmmxt_frame_save(const ARMCPU *cpu, uint8_t *regspace)
{
    if (!(cpu->features & ARM_FEATURE_IWMMXT))
        return 0;
    uint32_t hdr[2] = { IWMMXT_MAGIC, IWMMXT_FRAME_SIZE };
    uint32_t wc[6] = { cpu->iwmmxt_wc[IWMMXT_wCSSF], cpu->iwmmxt_wc[IWMMXT_wCASF],
                       cpu->iwmmxt_wc[IWMMXT_wCGR0], cpu->iwmmxt_wc[IWMMXT_wCGR1],
                       cpu->iwmmxt_wc[IWMMXT_wCGR2], cpu->iwmmxt_wc[IWMMXT_wCGR3] };
    memcpy(regspace, hdr, 8);
    memcpy(regspace + 8, cpu->iwmmxt_wr, 16 * 8);
    memcpy(regspace + IWMMXT_WC_OFF, wc, sizeof(wc));
    return IWMMXT_FRAME_SIZE;
}

static int iwmmxt_frame_restore(ARMCPU *cpu, uint64_t regspace)
{
    uint8_t buf[IWMMXT_FRAME_SIZE];
    if (!(cpu->features & ARM_FEATURE_IWMMXT))
        return 0;
    if (copy_from_guest(buf, regspace, sizeof(buf)) < 0)
        return -EFAULT;
    uint32_t hdr[2], wc[6];
    memcpy(hdr, buf, 8);
    if (hdr[0] != IWMMXT_MAGIC || hdr[1] != IWMMXT_FRAME_SIZE)
        return -EFAULT;   /* as the kernel's restore_iwmmxt_context */
    memcpy(cpu->iwmmxt_wr, buf + 8, 16 * 8);
    memcpy(wc, buf + IWMMXT_WC_OFF, sizeof(wc));
    cpu->iwmmxt_wc[IWMMXT_wCSSF] = wc[0];
    cpu->iwmmxt_wc[IWMMXT_wCASF] = wc[1];
    for (int i = 0; i < 4; i++)
        cpu->iwmmxt_wc[IWMMXT_wCGR0 + i] = wc[2 + i];
    return 0;
}

/* The VFP record, when the cpu has VFP (glibc's getcontext/makecontext and
 * unwinders read it; handlers that use floating point must not disturb the
 * interrupted code's registers). */
static void vfp_frame_save(const ARMCPU *cpu, uint8_t *regspace)
{
    if (!(cpu->features & ARM_FEATURE_VFP))
        return;   /* only the end marker (zero) */
    uint32_t hdr[2] = { VFP_MAGIC, VFP_FRAME_SIZE };
    memcpy(regspace, hdr, 8);
    unsigned nregs = (cpu->features & ARM_FEATURE_VFP_D32) ? 32 : 16;
    memcpy(regspace + 8, cpu->vfp_d, nregs * 8);
    /* with the flags inline VFP code left in the host FPU (vfp-fpscr.c) */
    uint32_t fpscr = vfp_get_fpscr((ARMCPU *)cpu), exc[3] = { cpu->fpexc, 0, 0 };
    memcpy(regspace + VFP_FPSCR_OFF, &fpscr, 4);
    memcpy(regspace + VFP_FPEXC_OFF, exc, sizeof(exc));
}

static int vfp_frame_restore(ARMCPU *cpu, uint64_t regspace)
{
    uint8_t buf[VFP_FRAME_SIZE];
    if (!(cpu->features & ARM_FEATURE_VFP))
        return 0;
    if (copy_from_guest(buf, regspace, sizeof(buf)) < 0)
        return -EFAULT;
    uint32_t hdr[2];
    memcpy(hdr, buf, 8);
    if (hdr[0] != VFP_MAGIC || hdr[1] != VFP_FRAME_SIZE)
        return -EFAULT;   /* the kernel refuses a damaged frame too */
    unsigned nregs = (cpu->features & ARM_FEATURE_VFP_D32) ? 32 : 16;
    memcpy(cpu->vfp_d, buf + 8, nregs * 8);
    uint32_t fpscr;
    memcpy(&fpscr, buf + VFP_FPSCR_OFF, 4);
    /* only the bits VMSR may write */
    vfp_set_fpscr(cpu, fpscr);
    return 0;
}

/* The CPSR bits a signal frame may change: flags, GE, Thumb, and the IT
 * state (IT[1:0] in bits 26:25, IT[7:2] in 15:10), so a signal that arrives
 * inside an IT block resumes with the rest of the block still conditional. */
#define USER_CPSR_MASK (ARM_CPSR_N | ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_V | ARM_CPSR_Q | \
                        ARM_CPSR_GE | ARM_CPSR_T | (3u << 25) | (0x3fu << 10))

int arm_setup_signal_frame(CPUCommon *common, int sig, const GuestSigAction *ka,
                           const GuestSiginfo *info, uint64_t old_mask, uint64_t sp)
{
    ARMCPU *cpu = (ARMCPU *)common;
    bool rt = ka->flags & SA_SIGINFO;
    uint32_t size = rt ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE;
    uint64_t frame = (sp - size) & ~7ull;
    uint8_t buf[RT_SIGFRAME_SIZE];
    memset(buf, 0, sizeof(buf));
    uint8_t *uc = buf + (rt ? SIGINFO_SIZE : 0);
    if (rt)
        guest_siginfo_encode(info, buf);

    uint32_t w[3 + 18 + 1];
    w[0] = 0;                                   /* uc_flags */
    w[1] = 0;                                   /* uc_link */
    memcpy(uc, w, 8);
    uint32_t st[3] = { (uint32_t)guest_altstack.sp, guest_altstack.flags,
                       (uint32_t)guest_altstack.size };
    memcpy(uc + 8, st, 12);
    uint32_t mc[21];
    mc[0] = 0;                                  /* trap_no */
    mc[1] = 0;                                  /* error_code */
    mc[2] = (uint32_t)old_mask;                 /* oldmask */
    for (int i = 0; i < 16; i++)
        mc[3 + i] = cpu->regs[i];
    mc[19] = arm_cpsr_read(cpu);
    mc[20] = (uint32_t)info->addr;              /* fault_address */
    memcpy(uc + UC_MCONTEXT, mc, sizeof(mc));
    memcpy(uc + UC_SIGMASK, &old_mask, 8);
    unsigned aux = iwmmxt_frame_save(cpu, uc + UC_REGSPACE);
    vfp_frame_save(cpu, uc + UC_REGSPACE + aux);
    /* retcode: what a debugger or unwinder expects to find at lr when no
     * restorer is given: mov r7, #(rt_)sigreturn; svc 0. */
    uint32_t retcode[2] = { 0xe3a07000u | (rt ? 173 : 119), 0xef000000u };
    memcpy(uc + UC_SIZE, retcode, 8);
    if (copy_to_guest(frame, buf, size) < 0)
        return -EFAULT;

    uint32_t handler = (uint32_t)ka->handler;
    cpu->regs[0] = (uint32_t)sig;
    cpu->regs[1] = rt ? (uint32_t)frame : 0;
    cpu->regs[2] = rt ? (uint32_t)(frame + SIGINFO_SIZE) : 0;
    cpu->regs[13] = (uint32_t)frame;
    /* glibc always passes its restorer; otherwise return through the
     * trampoline in the kuser page (the stack need not be executable). */
    cpu->regs[14] = (ka->flags & SA_RESTORER_FLAG) ? (uint32_t)ka->restorer
                    : rt ? ARM_SIGRETURN_TRAMPOLINE + 8 : ARM_SIGRETURN_TRAMPOLINE;
    cpu->regs[15] = handler & ~1u;
    cpu->thumb = handler & 1;
    cpu->condexec = 0;
    return 0;
}

int arm_restore_signal_frame(CPUCommon *common, bool rt, uint64_t *mask)
{
    ARMCPU *cpu = (ARMCPU *)common;
    uint64_t uc = (uint64_t)cpu->regs[13] + (rt ? SIGINFO_SIZE : 0);
    uint32_t mc[21];
    if ((cpu->regs[13] & 7) || copy_from_guest(mc, uc + UC_MCONTEXT, sizeof(mc)) < 0 ||
        copy_from_guest(mask, uc + UC_SIGMASK, 8) < 0)
        return -EFAULT;
    for (int i = 0; i < 16; i++)
        cpu->regs[i] = mc[3 + i];
    arm_cpsr_write(cpu, mc[19], USER_CPSR_MASK);
    unsigned aux = (cpu->features & ARM_FEATURE_IWMMXT) ? IWMMXT_FRAME_SIZE : 0;
    if (iwmmxt_frame_restore(cpu, uc + UC_REGSPACE) < 0 ||
        vfp_frame_restore(cpu, uc + UC_REGSPACE + aux) < 0)
        return -EFAULT;
    /* The pc's low bit is never set in ARM state; in Thumb it is ignored. */
    cpu->regs[15] &= cpu->thumb ? ~1u : ~3u;
    return 0;
}

void arm_syscall_restart(CPUCommon *common, uint64_t orig_arg0)
{
    ARMCPU *cpu = (ARMCPU *)common;
    cpu->regs[0] = (uint32_t)orig_arg0;
    cpu->regs[15] -= cpu->thumb ? 2 : 4;    /* back to the svc */
}
