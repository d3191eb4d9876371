/*
 * arm-cpu.c — the ARM CPU as the engine sees it: reset, cpu models, the
 * CPSR view of the split flag fields, state dumps, and the Frontend table.
 */
#include <stddef.h>
#include <string.h>

#include <capstone/capstone.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-translate.h"
#include "exec/translator.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/arm-iwmmxt.h"
#include "frontend-arm/arm-cp15.h"

/* ---- CPSR --------------------------------------------------------------- */

/* IT[1:0] live in CPSR[26:25], IT[7:2] in CPSR[15:10]. */
#define ARM_CPSR_IT_LO (3u << 25)
#define ARM_CPSR_IT_HI (0x3fu << 10)
/* Bits kept in cpsr_rest: everything not held in a field of its own. */
#define ARM_CPSR_REST ~(ARM_CPSR_N | ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_V | ARM_CPSR_Q | \
                        ARM_CPSR_GE | ARM_CPSR_T | ARM_CPSR_IT_LO | ARM_CPSR_IT_HI)

uint32_t arm_cpsr_read(const ARMCPU *cpu)
{
    uint32_t v = cpu->cpsr_rest & ARM_CPSR_REST;
    v |= cpu->NF & ARM_CPSR_N;
    v |= cpu->ZF == 0 ? ARM_CPSR_Z : 0;
    v |= (cpu->CF & 1) ? ARM_CPSR_C : 0;
    v |= (cpu->VF >> 31) ? ARM_CPSR_V : 0;
    v |= cpu->QF ? ARM_CPSR_Q : 0;
    v |= (cpu->GE & 0xf) << 16;
    v |= cpu->thumb ? ARM_CPSR_T : 0;
    v |= (cpu->condexec & 3) << 25;
    v |= (cpu->condexec >> 2 & 0x3f) << 10;
    return v;
}

void arm_cpsr_write(ARMCPU *cpu, uint32_t val, uint32_t mask)
{
    if (mask & ARM_CPSR_N)
        cpu->NF = val & ARM_CPSR_N;
    if (mask & ARM_CPSR_Z)
        cpu->ZF = (val & ARM_CPSR_Z) ? 0 : 1;
    if (mask & ARM_CPSR_C)
        cpu->CF = (val & ARM_CPSR_C) ? 1 : 0;
    if (mask & ARM_CPSR_V)
        cpu->VF = (val & ARM_CPSR_V) ? 0x80000000u : 0;
    if (mask & ARM_CPSR_Q)
        cpu->QF = (val & ARM_CPSR_Q) ? 1 : 0;
    if (mask & ARM_CPSR_GE)
        cpu->GE = (cpu->GE & ~(mask >> 16 & 0xf)) | ((val & mask) >> 16 & 0xf);
    if (mask & ARM_CPSR_T)
        cpu->thumb = (val & ARM_CPSR_T) ? 1 : 0;
    if (mask & (ARM_CPSR_IT_LO | ARM_CPSR_IT_HI)) {
        uint32_t it = ((val >> 25) & 3) | ((val >> 10 & 0x3f) << 2);
        uint32_t itmask = ((mask >> 25) & 3) | ((mask >> 10 & 0x3f) << 2);
        cpu->condexec = (cpu->condexec & ~itmask) | (it & itmask);
    }
    cpu->cpsr_rest = (cpu->cpsr_rest & ~(mask & ARM_CPSR_REST)) | (val & mask & ARM_CPSR_REST);
}

/* ---- models -------------------------------------------------------------- */

typedef struct ARMModel {
    const char *name;
    uint32_t features;
    uint32_t midr;
} ARMModel;

#define ARM_FEATURES_V7 (ARM_FEATURE_V5TE | ARM_FEATURE_V6 | ARM_FEATURE_V6K | ARM_FEATURE_V7 | \
                         ARM_FEATURE_THUMB2 | ARM_FEATURE_VFP | ARM_FEATURE_VFP3 | \
                         ARM_FEATURE_VFP_D32 | ARM_FEATURE_NEON)

/* The first entry is the system models' default (a zeroed model_index). */
static const ARMModel arm_models[] = {
    { "arm926",     ARM_FEATURE_V5TE | ARM_FEATURE_VFP, 0x41069265 },
    { "arm1136",    ARM_FEATURE_V5TE | ARM_FEATURE_V6 | ARM_FEATURE_V6K | ARM_FEATURE_VFP, 0x4117b363 },
    /* ARM1176JZF-S r0p7 (ARMv6KZ), the Raspberry Pi's core */
    { "arm1176",    ARM_FEATURE_V5TE | ARM_FEATURE_V6 | ARM_FEATURE_V6K | ARM_FEATURE_VFP, 0x410fb767 },
    /* Cortex-A8 r0p0: ARMv7-A, VFPv3 with 32 double registers, no SDIV/UDIV */
    { "cortex-a8",  ARM_FEATURES_V7, 0x410fc080 },
    { "cortex-a7",  ARM_FEATURES_V7 | ARM_FEATURE_DIV, 0x410fc075 },
    { "cortex-a15", ARM_FEATURES_V7 | ARM_FEATURE_DIV, 0x412fc0f1 },
    /* "max" claims only what the translator implements: ARMv5TE, the
     * v6/v6T2/v7 A32 integer additions (media, multiplies, SDIV/UDIV), the
     * v6K exclusives, CLREX and barriers, Thumb-2 (T16, T32, IT blocks),
     * and the ARMv8 AArch32 additions compilers emit (translate-v8.c:
     * load-acquire/store-release, CRC32, the FP-ARMv8 instructions) and the
     * ARMv8.2 scalar half-precision ones (FEAT_FP16, translate-fp16.c).  Its
     * MIDR is a Cortex-A57's, as qemu-arm's max. */
    { "max",        ARM_FEATURE_V5TE | ARM_FEATURE_V6 | ARM_FEATURE_V6K | ARM_FEATURE_V7 |
                    ARM_FEATURE_DIV | ARM_FEATURE_THUMB2 | ARM_FEATURE_V8 | ARM_FEATURE_CRC |
                    ARM_FEATURE_FP16,
                    0x411fd070 },
    /* Intel XScale PXA2xx (ARMv5TE, no FPU), as qemu-arm offers them: the
     * PXA25x/26x with the DSP accumulator, the PXA270 steppings with iWMMXt
     * ("pxa270" is the A0 stepping, as in qemu). */
    { "pxa250",     ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE, 0x69052100 },
    { "pxa255",     ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE, 0x69052d00 },
    { "pxa260",     ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE, 0x69052903 },
    { "pxa261",     ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE, 0x69052d05 },
    { "pxa262",     ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE, 0x69052d06 },
#define PXA270 (ARM_FEATURE_V5TE | ARM_FEATURE_XSCALE | ARM_FEATURE_IWMMXT)
    { "pxa270",     PXA270, 0x69054110 },
    { "pxa270-a0",  PXA270, 0x69054110 },
    { "pxa270-a1",  PXA270, 0x69054111 },
    { "pxa270-b0",  PXA270, 0x69054112 },
    { "pxa270-b1",  PXA270, 0x69054113 },
    { "pxa270-c0",  PXA270, 0x69054114 },
    { "pxa270-c5",  PXA270, 0x69054117 },
#undef PXA270
};

int arm_cpu_set_model(ARMCPU *cpu, const char *name)
{
    for (size_t i = 0; i < sizeof(arm_models) / sizeof(arm_models[0]); i++) {
        if (strcmp(arm_models[i].name, name) == 0) {
            cpu->features = arm_models[i].features;
            cpu->midr = arm_models[i].midr;
            cpu->model_index = (int32_t)i;
            arm_vfp_set_model(cpu, name);     /* VFP version, ID registers */
            arm_iwmmxt_set_model(cpu);
            arm_cp15_set_model(cpu, name);    /* system models: CP15 ID registers */
            return 0;
        }
    }
    return -1;
}

/* System mode: the architectural reset of the cpu's model (B1.8.1). */
void arm_cpu_sys_reset(ARMCPU *cpu)
{
    int32_t model = cpu->model_index;
    if (model < 0 || (size_t)model >= sizeof(arm_models) / sizeof(arm_models[0]) ||
        !arm_cpu_is_system_model(arm_models[model].name))
        model = 0;                      /* a user-mode model ("max"): the ARM926EJ-S */
    memset((char *)cpu + offsetof(ARMCPU, regs), 0, sizeof(ARMCPU) - offsetof(ARMCPU, regs));
    arm_cpu_set_model(cpu, arm_models[model].name);
    cpu->ZF = 1;
    cpu->exclusive_addr = UINT64_MAX;
    cpu->cpsr_rest = ARM_MODE_SVC | ARM_CPSR_I | ARM_CPSR_F |
                     ((cpu->features & ARM_FEATURE_V6) ? ARM_CPSR_A : 0);
    arm_cp15_reset(cpu);
    cpu->fpexc = 0;                     /* VFP disabled until the kernel enables it */
    cpu->regs[15] = (cpu->cp15.sctlr & (1u << 13)) ? 0xffff0000u : 0;
}

/* Everything after CPUCommon: the engine owns the common part. */
static void arm_cpu_reset(CPUCommon *common)
{
    ARMCPU *cpu = (ARMCPU *)common;
    if (common->sys) {
        arm_cpu_sys_reset(cpu);
        return;
    }
    memset((char *)cpu + offsetof(ARMCPU, regs), 0, sizeof(ARMCPU) - offsetof(ARMCPU, regs));
    cpu->ZF = 1;                        /* Z clear */
    cpu->cpsr_rest = ARM_CPSR_MODE_USR;
    cpu->exclusive_addr = UINT64_MAX;
    arm_cpu_set_model(cpu, "max");
}

/* ---- the engine's view ------------------------------------------------------ */

static uint64_t arm_get_pc(const CPUCommon *cpu)
{
    return ((const ARMCPU *)cpu)->regs[15];
}

static void arm_set_pc(CPUCommon *cpu, uint64_t pc)
{
    ((ARMCPU *)cpu)->regs[15] = (uint32_t)pc;
}

static uint32_t arm_tb_flags(const CPUCommon *cpu);

static int arm_frontend_mmu_index(const CPUCommon *cpu)
{
    return arm_cpu_mmu_index((const ARMCPU *)cpu);
}

static void arm_get_tb_key(const CPUCommon *cpu, uint64_t *pc, uint64_t *cs_base, uint64_t *flags)
{
    *pc = ((const ARMCPU *)cpu)->regs[15];
    *cs_base = 0;
    *flags = arm_tb_flags(cpu);
}

static uint32_t arm_tb_flags(const CPUCommon *cpu)
{
    const ARMCPU *c = (const ARMCPU *)cpu;
    /* The IT state is part of the key: a block starting inside an IT
     * block is translated with its instructions' conditions. */
    uint32_t f = (c->thumb ? ARM_TBFLAG_THUMB | (c->condexec & 0xff) << ARM_TBFLAG_CONDEXEC_SHIFT : 0) |
                 arm_vfp_tb_flags(c);
    /* System mode: the privilege (permissions, the mmu index of every
     * access, which instructions are undefined) and SCTLR.A (alignment
     * checks on every access). */
    if (cpu->sys) {
        f |= ARM_TBFLAG_SYS;
        if ((c->cpsr_rest & ARM_CPSR_M) == ARM_MODE_USR)
            f |= ARM_TBFLAG_USER;
        if (c->cp15.sctlr & 2)
            f |= ARM_TBFLAG_ALIGN;
        /* VFP usable: FPEXC.EN, and from v6 on CPACR's cp10 field (01:
         * privileged modes only, 11: all) */
        unsigned cp10 = (c->features & ARM_FEATURE_V6) ? (c->cp15.cpacr >> 20) & 3 : 3;
        bool user = (c->cpsr_rest & ARM_CPSR_M) == ARM_MODE_USR;
        if ((c->fpexc & (1u << 30)) && (user ? cp10 == 3 : (cp10 & 1)))
            f |= ARM_TBFLAG_VFP_EN;
    }
    return f;
}

static void arm_disas_mode(uint64_t flags, int *cs_arch, int *cs_mode)
{
    *cs_arch = CS_ARCH_ARM;
    *cs_mode = (flags & ARM_TBFLAG_THUMB) ? CS_MODE_THUMB : CS_MODE_ARM;
}

static void arm_dump_state(const CPUCommon *common, FILE *out)
{
    const ARMCPU *cpu = (const ARMCPU *)common;
    for (int i = 0; i < 16; i++)
        fprintf(out, "R%02d=%08x%c", i, cpu->regs[i], (i & 3) == 3 ? '\n' : ' ');
    uint32_t psr = arm_cpsr_read(cpu);
    fprintf(out, "PSR=%08x %c%c%c%c%s %s\n", psr,
            psr & ARM_CPSR_N ? 'N' : '-', psr & ARM_CPSR_Z ? 'Z' : '-',
            psr & ARM_CPSR_C ? 'C' : '-', psr & ARM_CPSR_V ? 'V' : '-',
            psr & ARM_CPSR_Q ? " Q" : "", cpu->thumb ? "T" : "A");
    if (common->sys) {
        static const char *const names[32] = {
            [ARM_MODE_USR] = "usr", [ARM_MODE_FIQ] = "fiq", [ARM_MODE_IRQ] = "irq",
            [ARM_MODE_SVC] = "svc", [ARM_MODE_ABT] = "abt", [ARM_MODE_UND] = "und",
            [ARM_MODE_SYS] = "sys",
        };
        const char *m = names[psr & ARM_CPSR_M];
        fprintf(out, "mode %s%s%s%s SPSR=%08x SCTLR=%08x TTBR0=%08x DACR=%08x\n", m ? m : "???",
                psr & ARM_CPSR_I ? " I" : "", psr & ARM_CPSR_F ? " F" : "", psr & ARM_CPSR_A ? " A" : "",
                arm_spsr_read(cpu), cpu->cp15.sctlr, cpu->cp15.ttbr0, cpu->cp15.dacr);
    }
    if (cpu->features & ARM_FEATURE_IWMMXT) {
        for (int i = 0; i < 16; i++)
            fprintf(out, "wR%02d=%016llx%c", i, (unsigned long long)cpu->iwmmxt_wr[i],
                    (i & 3) == 3 ? '\n' : ' ');
        const uint32_t *wc = cpu->iwmmxt_wc;
        fprintf(out, "wCon=%08x wCSSF=%08x wCASF=%08x wCGR0-3=%08x %08x %08x %08x\n",
                wc[IWMMXT_wCon], wc[IWMMXT_wCSSF], wc[IWMMXT_wCASF], wc[IWMMXT_wCGR0],
                wc[IWMMXT_wCGR1], wc[IWMMXT_wCGR2], wc[IWMMXT_wCGR3]);
    } else if (cpu->features & ARM_FEATURE_XSCALE) {
        fprintf(out, "acc0=%010llx\n", (unsigned long long)(cpu->iwmmxt_wr[0] & 0xffffffffffull));
    }
}

/* The one table of ARM core register names (gdb's org.gnu.gdb.arm.core
 * order; the IR globals and the gdbstub take theirs from here). */
static const FrontendReg arm_regs[16] = {
#define R(n, name, type) { name, offsetof(ARMCPU, regs[n]), 32, type }
    R(0, "r0", "uint32"), R(1, "r1", "uint32"), R(2, "r2", "uint32"), R(3, "r3", "uint32"),
    R(4, "r4", "uint32"), R(5, "r5", "uint32"), R(6, "r6", "uint32"), R(7, "r7", "uint32"),
    R(8, "r8", "uint32"), R(9, "r9", "uint32"), R(10, "r10", "uint32"), R(11, "r11", "uint32"),
    R(12, "r12", "uint32"), R(13, "sp", "data_ptr"), R(14, "lr", "uint32"), R(15, "pc", "code_ptr"),
#undef R
};

const Frontend frontend_arm = {
    .name = "arm",
    .guest_bits = 32,
    .cpu_size = sizeof(ARMCPU),
    .globals = &arm_globals,
    .init = arm_translate_init,
    .cpu_reset = arm_cpu_reset,
    .get_pc = arm_get_pc,
    .set_pc = arm_set_pc,
    .get_tb_key = arm_get_tb_key,
    .exec_interrupt = arm_exec_interrupt,
    .mmu_translate = arm_mmu_translate,
    .do_exception = arm_do_exception,
    .n_mmu_idx = ARM_MMU_IDX_N,
    .cpu_mmu_index = arm_frontend_mmu_index,
    .translator = &arm_translator_ops,
    .disas_mode = arm_disas_mode,
    .dump_state = arm_dump_state,
    .regs = arm_regs,
    .n_regs = sizeof(arm_regs) / sizeof(arm_regs[0]),
};
