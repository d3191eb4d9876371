/*
 * arm-cpu.h — the ARM guest CPU state (public header of frontend-arm).
 *
 * Flags are kept the way generated code produces them most cheaply:
 *   N = bit 31 of NF, Z = (ZF == 0), C = CF (0 or 1), V = bit 31 of VF.
 * arm_cpsr_read()/arm_cpsr_write() convert to and from the architectural
 * CPSR for MRS/MSR, signal frames and the gdbstub.
 */
#ifndef VEMU_ARM_CPU_H
#define VEMU_ARM_CPU_H

#include <stdint.h>

#include "exec/cpu-common.h"
#include "exec/frontend.h"

/* Architecture features a cpu model has (ARMCPU.features). */
enum {
    ARM_FEATURE_V5TE   = 1 << 0,
    ARM_FEATURE_V6     = 1 << 1,
    ARM_FEATURE_V6K    = 1 << 2,
    ARM_FEATURE_V7     = 1 << 3,
    ARM_FEATURE_THUMB2 = 1 << 4,
    ARM_FEATURE_VFP    = 1 << 5,   /* VFPv2 */
    ARM_FEATURE_VFP3   = 1 << 6,
    ARM_FEATURE_VFP_D32 = 1 << 7,
    ARM_FEATURE_DIV    = 1 << 8,   /* SDIV/UDIV in A32 and T32 */
    ARM_FEATURE_NEON   = 1 << 9,
    ARM_FEATURE_VFP4   = 1 << 16,  /* VFPv4: fused multiply-add (VFMA ...) */
    /* ARMv8 AArch32 (translate-v8.c): LDA/STL and their exclusives, and
     * with VFP the FP-ARMv8 additions (VSEL, VMAXNM, VRINT, VCVTA, f16<->f64) */
    ARM_FEATURE_V8     = 1 << 24,
    ARM_FEATURE_CRC    = 1 << 25,  /* CRC32B/H/W, CRC32CB/CH/CW */
    /* Intel XScale (PXA2xx): coprocessor 0 is the DSP accumulator acc0
     * (MIA, MAR, MRA); with IWMMXT coprocessors 0 and 1 are the Wireless
     * MMX unit instead (frontend-arm/translate-iwmmxt.c). */
    ARM_FEATURE_XSCALE = 1 << 26,
    ARM_FEATURE_IWMMXT = 1 << 27,
    ARM_FEATURE_FP16   = 1 << 28,  /* FEAT_FP16: scalar half-precision arithmetic (VFP) */
};

/* iWMMXt control registers (ARMCPU.iwmmxt_wc[], numbered as in TMCR/TMRC). */
enum {
    IWMMXT_wCID = 0, IWMMXT_wCon = 1, IWMMXT_wCSSF = 2, IWMMXT_wCASF = 3,
    IWMMXT_wCGR0 = 8, IWMMXT_wCGR1 = 9, IWMMXT_wCGR2 = 10, IWMMXT_wCGR3 = 11,
};

/* CPSR bits */
#define ARM_CPSR_N (1u << 31)
#define ARM_CPSR_Z (1u << 30)
#define ARM_CPSR_C (1u << 29)
#define ARM_CPSR_V (1u << 28)
#define ARM_CPSR_Q (1u << 27)
#define ARM_CPSR_GE (0xfu << 16)
#define ARM_CPSR_E (1u << 9)
#define ARM_CPSR_T (1u << 5)
#define ARM_CPSR_MODE_USR 0x10u

typedef struct ARMCPU {
    CPUCommon common;          /* must be first */
    uint32_t regs[16];         /* r0..r15; regs[15] is the address of the current insn between blocks */
    uint32_t NF, ZF, CF, VF;   /* see above */
    uint32_t QF;               /* sticky saturation flag (0/1) */
    uint32_t GE;               /* GE[3:0] */
    uint32_t thumb;            /* 1 in Thumb state */
    uint32_t condexec;         /* IT block state, ITSTATE[7:0] */
    uint32_t cpsr_rest;        /* the other CPSR bits (mode, E, A, I, F) */
    uint32_t tpidrurw;         /* TPIDRURW (c13, c0, 2) */
    uint32_t tpidruro;         /* TPIDRURO (c13, c0, 3): TLS pointer, set_tls */
    uint32_t features;         /* ARM_FEATURE_* */
    uint32_t midr;             /* main ID register value of the model */
    uint64_t exclusive_addr;   /* LDREX monitor address, or UINT64_MAX when clear */
    uint64_t exclusive_val;    /* value LDREX read (both words for LDREXD) */
    /* VFP */
    uint64_t vfp_d[32];
    uint32_t fpscr;
    uint32_t fpexc;
    uint32_t fpsid, mvfr0, mvfr1;
    /* XScale: iWMMXt data registers wR0..wR15 (the DSP accumulator acc0 of
     * the models without iWMMXt is wR0, 40 bits used) and control registers. */
    uint64_t iwmmxt_wr[16];
    uint32_t iwmmxt_wc[16];
} ARMCPU;

uint32_t arm_cpsr_read(const ARMCPU *cpu);
/* Write the bits of val selected by mask (user-writable bits only in user mode). */
void arm_cpsr_write(ARMCPU *cpu, uint32_t val, uint32_t mask);

/* Select a cpu model by name ("arm926", "arm1136", "cortex-a7", "cortex-a15",
 * "max", the XScale "pxa250" ... "pxa270-c5"); returns 0, or -1 for an
 * unknown name.  Sets features and ID regs. */
int arm_cpu_set_model(ARMCPU *cpu, const char *name);

/* The Linux AT_HWCAP bits (HWCAP_ARM_*) true for the model: SWP HALF THUMB
 * FAST_MULT, EDSP (v5TE), TLS (v6K), VFP VFPv3 VFPv3D16/VFPD32 VFPv4,
 * IDIVA/IDIVT (SDIV/UDIV), IWMMXT.  Never NEON (not implemented). */
uint32_t arm_cpu_hwcap(const ARMCPU *cpu);
/* The Linux AT_HWCAP2 bits: CRC32 when the model has it (never the
 * crypto bits AES PMULL SHA1 SHA2: not implemented). */
uint32_t arm_cpu_hwcap2(const ARMCPU *cpu);

extern const Frontend frontend_arm;

/* The whole FPSCR, for those outside frontend-arm that save or show it
 * (signal frames, the gdbstub, tests), on the cpu's own thread: reading
 * folds in the cumulative flags generated code left in the host FPU,
 * writing drops them and keeps the writable bits (frontend-arm/vfp-fpscr.c). */
uint32_t vfp_get_fpscr(ARMCPU *cpu);
void vfp_set_fpscr(ARMCPU *cpu, uint32_t value);

#endif
