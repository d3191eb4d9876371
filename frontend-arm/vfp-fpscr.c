/*
 * vfp-fpscr.c — FPSCR's cumulative exception flags while VFP arithmetic
 * runs inline on the host FPU (docs/frontend-arm.md, "VFP fast path").
 *
 * Inline float ops (fadd ... in ir-ops.def) raise the host's sticky IEEE
 * flags (host/host-fp.h) instead of writing FPSCR.
 * Those host flags are *pending* FPSCR flags of the guest thread that runs
 * on this host thread: the true FPSCR is ARMCPU.fpscr | fold(host flags).
 * The host's flags map one to one onto IOC DZC OFC UFC IXC (the
 * input-denormal flag is ignored: ARM's IDC means "flushed", which the
 * fast path never does).  Every reader of the whole FPSCR folds first (vfp_get_fpscr), every
 * writer discards the pending flags (vfp_set_fpscr: they happened before
 * the write, which replaces the cumulative bits), and every VFP helper
 * folds before it touches the host's flags itself (vfp-helpers.c).
 */
#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-vfp.h"
#include "host/host-fp.h"

/* The pending flags as FPSCR bits, cleared from the host. */
static uint32_t take_host_flags(void)
{
    unsigned f = host_fp_take_flags();
    if (!f)
        return 0;
    /* INVALID -> IOC (bit 0); DIVBYZERO OVERFLOW UNDERFLOW INEXACT (bits
     * 2-5) -> DZC OFC UFC IXC (bits 1-4) */
    _Static_assert(FPSCR_IOC == HOST_FP_INVALID && FPSCR_DZC == HOST_FP_DIVBYZERO >> 1 &&
                   FPSCR_OFC == HOST_FP_OVERFLOW >> 1 && FPSCR_UFC == HOST_FP_UNDERFLOW >> 1 &&
                   FPSCR_IXC == HOST_FP_INEXACT >> 1, "FPSCR and host-fp flag orders");
    return (f & HOST_FP_INVALID) | ((f >> 1) & 0x1e);
}

void vfp_fold_host_flags(ARMCPU *cpu)
{
    cpu->fpscr |= take_host_flags();
}

void vfp_drop_host_flags(void)
{
    (void)take_host_flags();
}

uint32_t vfp_get_fpscr(ARMCPU *cpu)
{
    vfp_fold_host_flags(cpu);
    return cpu->fpscr;
}

void vfp_set_fpscr(ARMCPU *cpu, uint32_t value)
{
    (void)take_host_flags();
    /* FZ16 exists only with FEAT_FP16 (else RES0) */
    cpu->fpscr = value & (FPSCR_WRITABLE | ((cpu->features & ARM_FEATURE_FP16) ? FPSCR_FZ16 : 0));
}

uint32_t arm_vfp_tb_flags(const ARMCPU *cpu)
{
    return (cpu->fpscr & (FPSCR_RMODE | FPSCR_FZ | FPSCR_DN)) ? 0 : ARM_TBFLAG_VFP_FAST;
}

/* VMRS Rt, FPSCR and VMSR FPSCR, Rt from generated code. */
uint32_t helper_vfp_read_fpscr(void *env) { return vfp_get_fpscr(env); }
void helper_vfp_write_fpscr(void *env, uint32_t v) { vfp_set_fpscr(env, v); }
