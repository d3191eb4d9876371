/*
 * arm-cpu-vfp.c — the floating-point side of the cpu models (which VFP
 * version, D16 or D32, the FPSID/MVFR0/MVFR1 values), FPEXC at reset, and
 * the Linux AT_HWCAP bits that describe a model truthfully.
 *
 * Models: arm926 and arm1136 have VFPv2 with 16 double registers (the
 * optional VFP9-S / VFP11 coprocessors; Debian's armel code never needs
 * them, qemu's models have them too); cortex-a7, cortex-a15 and max have
 * VFPv4 with 32 double registers (VFPv3 + half-precision conversion +
 * fused multiply-add).  Advanced SIMD (NEON) is not implemented, so MVFR1
 * advertises no SIMD and HWCAP has no NEON.
 */
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-vfp.h"

typedef struct VFPModel {
    const char *name;
    uint32_t features;           /* ORed into the model's features */
    uint32_t fpsid, mvfr0, mvfr1;
} VFPModel;

#define VFP4_D32 (ARM_FEATURE_VFP | ARM_FEATURE_VFP3 | ARM_FEATURE_VFP4 | ARM_FEATURE_VFP_D32)

/* MVFR0 0x10110222: all rounding modes, no short vectors, sqrt, divide, no
 * trapping, VFPv3+ double and single, 32 double registers.
 * MVFR1 0x01000011: half-precision conversion, NaN propagation and
 * denormal arithmetic supported; no Advanced SIMD fields. */
static const VFPModel vfp_models[] = {
    { "arm926",     ARM_FEATURE_VFP, 0x41011090, 0, 0 },
    { "arm1136",    ARM_FEATURE_VFP, 0x410120b4, 0x11111111, 0 },
    { "cortex-a7",  VFP4_D32,        0x41023075, 0x10110222, 0x01000011 },
    { "cortex-a15", VFP4_D32,        0x410430f0, 0x10110222, 0x01000011 },
    { "max",        VFP4_D32,        0x410430f0, 0x10110222, 0x01000011 },
};

void arm_vfp_set_model(ARMCPU *cpu, const char *name)
{
    cpu->fpsid = cpu->mvfr0 = cpu->mvfr1 = 0;
    for (size_t i = 0; i < sizeof(vfp_models) / sizeof(vfp_models[0]); i++) {
        if (strcmp(vfp_models[i].name, name) == 0) {
            cpu->features |= vfp_models[i].features;
            cpu->fpsid = vfp_models[i].fpsid;
            cpu->mvfr0 = vfp_models[i].mvfr0;
            cpu->mvfr1 = vfp_models[i].mvfr1;
        }
    }
    /* Advanced SIMD is not implemented: no model may claim it (glibc picks
     * NEON string functions from AT_HWCAP). */
    cpu->features &= ~(uint32_t)ARM_FEATURE_NEON;
    if (!(cpu->features & ARM_FEATURE_VFP))
        cpu->features &= ~(ARM_FEATURE_VFP3 | ARM_FEATURE_VFP4 | ARM_FEATURE_VFP_D32);
    /* Linux enables the FPU for user processes. */
    cpu->fpexc = (cpu->features & ARM_FEATURE_VFP) ? FPEXC_EN : 0;
}

/* Linux arch/arm/include/uapi/asm/hwcap.h */
enum {
    HWCAP_ARM_SWP = 1 << 0, HWCAP_ARM_HALF = 1 << 1, HWCAP_ARM_THUMB = 1 << 2,
    HWCAP_ARM_FAST_MULT = 1 << 4, HWCAP_ARM_VFP = 1 << 6, HWCAP_ARM_EDSP = 1 << 7,
    HWCAP_ARM_IWMMXT = 1 << 9,
    HWCAP_ARM_NEON = 1 << 12, HWCAP_ARM_VFPv3 = 1 << 13, HWCAP_ARM_VFPv3D16 = 1 << 14,
    HWCAP_ARM_TLS = 1 << 15, HWCAP_ARM_VFPv4 = 1 << 16, HWCAP_ARM_IDIVA = 1 << 17,
    HWCAP_ARM_IDIVT = 1 << 18, HWCAP_ARM_VFPD32 = 1 << 19,
    HWCAP_ARM_FPHP = 1 << 22,         /* FEAT_FP16 scalar (ASIMDHP, 1 << 23: never, no NEON) */
};

uint32_t arm_cpu_hwcap(const ARMCPU *cpu)
{
    uint32_t f = cpu->features;
    uint32_t hw = HWCAP_ARM_SWP | HWCAP_ARM_HALF | HWCAP_ARM_THUMB | HWCAP_ARM_FAST_MULT;
    if (f & ARM_FEATURE_V5TE)
        hw |= HWCAP_ARM_EDSP;
    if (f & ARM_FEATURE_V6K)
        hw |= HWCAP_ARM_TLS;          /* the TPIDRURO register */
    if (f & ARM_FEATURE_VFP)
        hw |= HWCAP_ARM_VFP;
    if (f & ARM_FEATURE_IWMMXT)
        hw |= HWCAP_ARM_IWMMXT;       /* the kernel saves wR0-15 in signal frames */
    if (f & ARM_FEATURE_VFP3) {
        hw |= HWCAP_ARM_VFPv3;
        hw |= (f & ARM_FEATURE_VFP_D32) ? HWCAP_ARM_VFPD32 : HWCAP_ARM_VFPv3D16;
    }
    if (f & ARM_FEATURE_VFP4)
        hw |= HWCAP_ARM_VFPv4;
    if ((f & ARM_FEATURE_FP16) && (f & ARM_FEATURE_VFP))
        hw |= HWCAP_ARM_FPHP;
    if (f & ARM_FEATURE_DIV) {
        hw |= HWCAP_ARM_IDIVA;
        if (f & ARM_FEATURE_THUMB2)
            hw |= HWCAP_ARM_IDIVT;
    }
    return hw;
}

/* Linux arch/arm/include/uapi/asm/hwcap.h, AT_HWCAP2 */
enum { HWCAP2_ARM_CRC32 = 1 << 4 };

uint32_t arm_cpu_hwcap2(const ARMCPU *cpu)
{
    return (cpu->features & ARM_FEATURE_CRC) ? HWCAP2_ARM_CRC32 : 0;
}
