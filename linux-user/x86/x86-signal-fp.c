/*
 * x86-signal-fp.c — the FPU/SSE/AVX state in x86 signal frames.
 *
 * Linux with XSAVE (arch/x86/kernel/fpu/signal.c) writes the task's XSAVE
 * area where the frame's fpstate pointer points: the legacy FXSAVE region
 * (512 bytes), the XSAVE header, the enabled components, then the 32-bit
 * GUEST_FP_XSTATE_MAGIC2.  Bytes 464..511 of the legacy region, which the
 * hardware leaves alone, carry struct _fpx_sw_bytes: GUEST_FP_XSTATE_MAGIC1,
 * the extended size (area + MAGIC2), the enabled features and the XSAVE
 * size.  sigreturn takes the XSAVE path only when both magics agree and
 * falls back to the FXSAVE image otherwise (a handler that built its own
 * context).  vemu writes the x87, SSE and AVX components (XCR0 7) for
 * every cpu model: a model without AVX leaves its YMM upper halves zero.
 */
#include <errno.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "frontend-x86/x86-vec-mxcsr.h"
#include "linux-user/guest-mem.h"
#include "linux-user/x86/x86-user.h"

#define GUEST_FP_XSTATE_MAGIC1 0x46505853u
#define GUEST_FP_XSTATE_MAGIC2 0x46505845u
#define FPX_SW_OFF 464u
#define XCR0 X86_XCR0_SUPPORTED

unsigned x86_sigframe_fp_size(void)
{
    return x86_xsave_size(XCR0) + 4;
}

static unsigned fp_flags(bool code64)
{
    return code64 ? X86_FPU_REXW | X86_FPU_XMM16 : 0;
}

int x86_sigframe_fp_save(const X86CPU *cpu, uint64_t addr, bool code64)
{
    unsigned xsize = x86_xsave_size(XCR0);
    uint8_t img[4096];
    if (xsize + 4 > sizeof(img))
        return -EFAULT;
    memset(img, 0, xsize + 4);
    x86_fpu_sync_host(cpu);
    x86_xsave(cpu, img, XCR0, X86_XSAVE_STD, fp_flags(code64));
    uint32_t sw[12] = { GUEST_FP_XSTATE_MAGIC1, xsize + 4, (uint32_t)XCR0, (uint32_t)(XCR0 >> 32), xsize };
    memcpy(img + FPX_SW_OFF, sw, sizeof(sw));
    uint32_t m2 = GUEST_FP_XSTATE_MAGIC2;
    memcpy(img + xsize, &m2, 4);
    return copy_to_guest(addr, img, xsize + 4);
}

int x86_sigframe_fp_restore(X86CPU *cpu, uint64_t addr, bool code64)
{
    if (addr == 0) {
        /* no FPU state: the kernel reinitialises it */
        uint32_t mxcsr = X86_MXCSR_DEFAULT;
        x86_fpu_reset(cpu);
        x86_vec_mxcsr_set(cpu, mxcsr);
        return 0;
    }
    uint8_t img[4096];
    if (copy_from_guest(img, addr, X86_FXSAVE_SIZE) < 0)
        return -EFAULT;
    uint32_t sw[5];
    memcpy(sw, img + FPX_SW_OFF, sizeof(sw));
    unsigned xsize = sw[4];
    if (sw[0] == GUEST_FP_XSTATE_MAGIC1 && xsize >= X86_FXSAVE_SIZE + 64 && xsize + 4 <= sizeof(img) &&
        sw[1] == xsize + 4 && copy_from_guest(img + X86_FXSAVE_SIZE, addr + X86_FXSAVE_SIZE,
                                              xsize + 4 - X86_FXSAVE_SIZE) == 0) {
        uint32_t m2;
        memcpy(&m2, img + xsize, 4);
        if (m2 == GUEST_FP_XSTATE_MAGIC2) {
            /* components whose XSTATE_BV bit the frame clears go to
             * their initial state, as XRSTOR does */
            return x86_xrstor(cpu, img, XCR0, XCR0, fp_flags(code64)) < 0 ? -EFAULT : 0;
        }
    }
    return x86_fxrstor(cpu, img, fp_flags(code64)) < 0 ? -EFAULT : 0;
}
