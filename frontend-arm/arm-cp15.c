/*
 * arm-cp15.c — the system control coprocessor (CP15) of the system models:
 * ARM926EJ-S (ARMv5TEJ, ARM DDI 0198E chapter 2), ARM1136JF-S and
 * ARM1176JZF-S (ARMv6, DDI 0211K / DDI 0301H chapter 3) and Cortex-A8
 * (ARMv7-A, DDI 0344K chapter 3; the ARM ARM B3/B4 for the VMSA).
 *
 * Which registers a model has and who may touch them is decided at
 * translation time (arm_cp15_access); the values are read and written at
 * run time by two helpers keyed by (opc1, CRn, CRm, opc2).  Caches are not
 * modelled, so cache maintenance is accepted and does nothing; TLB
 * maintenance and every change of the translation regime (SCTLR, TTBRs,
 * TTBCR, DACR, CONTEXTIDR, PRRR/NMRR) flush the soft TLB through cpu->sys.
 * Not modelled: TCMs, the cache and TLB lockdown effects (the registers
 * keep what is written), the v7 performance monitors, VA-to-PA operations,
 * the Security Extensions' banking, the FCSE's address modification.
 */
#include <string.h>

#include "frontend-arm/arm-cp15.h"
#include "frontend-arm/arm-helpers.h"
#include "exec/exec.h"

#define K ARM_CP15_KEY

/* ---- the models' ID values ------------------------------------------------ */

/* SCTLR bits this file acts on */
#define SCTLR_M  (1u << 0)
#define SCTLR_V  (1u << 13)

typedef struct CP15Model {
    const char *name;
    ARMIDRegs id;
} CP15Model;

static const CP15Model cp15_models[] = {
    /* SCTLR: bits 3-6, 16 and 19 should-be-one; M A C B S R Z I V RR L4 writable */
    { "arm926", { .ctr = 0x1dd20d2, .sctlr_reset = 0x00090078, .sctlr_fixed = 0x00090078,
                  .sctlr_wmask = 0x0000fb87 } },
    /* ARMv6: adds FI, U, XP, EE; the ID registers of the r1p3 part */
    { "arm1136", { .ctr = 0x1dd20d2, .sctlr_reset = 0x00050078, .sctlr_fixed = 0x00050078,
                   .sctlr_wmask = 0x02e0fb87,
                   .id_pfr = { 0x111, 0x1 }, .id_dfr0 = 0x2, .id_afr0 = 0x3,
                   .id_mmfr = { 0x01130003, 0x10030302, 0x01222110, 0 },
                   .id_isar = { 0x00140011, 0x12002111, 0x11231111, 0x01102131, 0x141, 0 } } },
    /* ARMv6KZ: adds TEX remap (TRE) and the access flag (AFE) */
    { "arm1176", { .ctr = 0x1dd20d2, .sctlr_reset = 0x00050078, .sctlr_fixed = 0x00050078,
                   .sctlr_wmask = 0x32e0fb87,
                   .id_pfr = { 0x111, 0x11 }, .id_dfr0 = 0x33, .id_afr0 = 0,
                   .id_mmfr = { 0x01130003, 0x10030302, 0x01222100, 0 },
                   .id_isar = { 0x0140011, 0x12002111, 0x11231121, 0x01102131, 0x01141, 0 } } },
    /* ARMv7: U and XP read as one; M A C Z I V EE TRE AFE TE writable */
    { "cortex-a8", { .ctr = 0x82048004, .sctlr_reset = 0x00c50078, .sctlr_fixed = 0x00c50078,
                     .sctlr_wmask = 0x72003c07,
                     .id_pfr = { 0x1031, 0x11 }, .id_dfr0 = 0x400, .id_afr0 = 0,
                     .id_mmfr = { 0x31100003, 0x20000000, 0x01202000, 0x11 },
                     .id_isar = { 0x00101111, 0x12112111, 0x21232031, 0x11112131, 0x00111142, 0 },
                     .clidr = 0x0a000023, .ccsidr = { 0xe007e01a, 0x2007e01a, 0xf0000000 } } },
};

bool arm_cp15_set_model(ARMCPU *cpu, const char *name)
{
    for (size_t i = 0; i < sizeof(cp15_models) / sizeof(cp15_models[0]); i++)
        if (strcmp(cp15_models[i].name, name) == 0) {
            cpu->id = cp15_models[i].id;
            return true;
        }
    memset(&cpu->id, 0, sizeof(cpu->id));
    return false;
}

bool arm_cpu_is_system_model(const char *name)
{
    for (size_t i = 0; i < sizeof(cp15_models) / sizeof(cp15_models[0]); i++)
        if (strcmp(cp15_models[i].name, name) == 0)
            return true;
    return false;
}

void arm_cp15_reset(ARMCPU *cpu)
{
    memset(&cpu->cp15, 0, sizeof(cpu->cp15));
    cpu->cp15.sctlr = cpu->id.sctlr_reset;
}

/* ---- what a model has -------------------------------------------------------- */

static bool is_v6(const ARMCPU *cpu) { return (cpu->features & ARM_FEATURE_V6) != 0; }
static bool is_v7(const ARMCPU *cpu) { return (cpu->features & ARM_FEATURE_V7) != 0; }

#define RW (CP15_R | CP15_W)

unsigned arm_cp15_access(const ARMCPU *cpu, uint32_t key)
{
    unsigned opc1 = key >> 12 & 7, crn = key >> 8 & 15, crm = key >> 4 & 15, opc2 = key & 7;
    switch (crn) {
    case 0:
        if (opc1 == 1 && crm == 0 && is_v7(cpu))   /* CCSIDR, CLIDR, AIDR */
            return (opc2 == 0 || opc2 == 1 || opc2 == 7) ? CP15_R : 0;
        if (opc1 == 2 && crm == 0 && opc2 == 0 && is_v7(cpu))
            return RW;                             /* CSSELR */
        if (opc1 != 0)
            return 0;
        if (crm == 0)                              /* MIDR, CTR, TCMTR, TLBTR, MPIDR, aliases */
            return CP15_R;
        if (crm <= 7 && is_v6(cpu))                /* the CPUID scheme (RAZ where unallocated) */
            return CP15_R;
        return 0;
    case 1:
        if (opc1 != 0 || crm != 0)
            return 0;
        if (opc2 == 0)
            return RW | CP15_END;                  /* SCTLR */
        if (opc2 == 1)
            return RW;                             /* ACTLR */
        if (opc2 == 2 && is_v6(cpu))
            return RW | CP15_END;                  /* CPACR: VFP access is in the tb flags */
        return 0;
    case 2:
        if (opc1 != 0 || crm != 0)
            return 0;
        if (opc2 == 0 || (opc2 <= 2 && is_v6(cpu)))
            return RW | CP15_END;                  /* TTBR0, TTBR1, TTBCR */
        return 0;
    case 3:
        return (opc1 == 0 && crm == 0 && opc2 == 0) ? RW | CP15_END : 0;   /* DACR */
    case 5:
        return (opc1 == 0 && crm == 0 && opc2 <= 1) ? RW : 0;              /* DFSR, IFSR */
    case 6:
        if (opc1 != 0 || crm != 0)
            return 0;
        if (opc2 == 0)
            return RW;                             /* DFAR (FAR) */
        if (opc2 == 1 && is_v6(cpu) && !is_v7(cpu))
            return RW;                             /* WFAR */
        if (opc2 == 2 && is_v6(cpu))
            return RW;                             /* IFAR */
        return 0;
    case 7:
        if (opc1 != 0)
            return 0;
        if (crm == 0 && opc2 == 4 && !is_v7(cpu))
            return CP15_W | CP15_WFI;
        if (crm == 5 && opc2 == 4)
            return CP15_W | CP15_ISB | (is_v6(cpu) ? CP15_UW : 0);
        if (crm == 10 && (opc2 == 4 || opc2 == 5))
            return CP15_W | CP15_BARRIER | (is_v6(cpu) ? CP15_UW : 0);
        /* ARMv5 "test and clean (and invalidate)": MRC r15 loops until Z */
        if ((crm == 10 || crm == 14) && opc2 == 3 && !is_v6(cpu))
            return CP15_R;
        if (crm == 10 && opc2 == 6 && is_v6(cpu) && !is_v7(cpu))
            return CP15_R;                         /* cache dirty status */
        /* cache maintenance and prefetch: invalidate (5, 6, 7), clean (10,
         * 11), prefetch (13), clean and invalidate (14); the v6 unified
         * cache (15); the v7 inner-shareable forms (1) */
        if (crm == 5 || crm == 6 || crm == 7 || crm == 10 || crm == 11 || crm == 13 || crm == 14 ||
            (crm == 15 && is_v6(cpu) && !is_v7(cpu)) || (crm == 1 && is_v7(cpu)))
            return CP15_W | CP15_NOP;
        return 0;
    case 8:                                        /* TLB maintenance: I (5), D (6), unified (7) */
        if (opc1 == 0 && ((crm >= 5 && crm <= 7) || (crm == 3 && is_v7(cpu))) &&
            opc2 <= (is_v7(cpu) ? 3u : is_v6(cpu) ? 2u : 1u))
            return CP15_W | CP15_END;               /* (3: the v7 inner-shareable forms) */
        return 0;
    case 9:
        if (opc1 == 0 && crm == 0 && opc2 <= 1 && !is_v7(cpu))
            return RW;                             /* cache lockdown */
        if (opc1 == 1 && crm == 0 && opc2 == 2 && is_v7(cpu))
            return RW;                             /* Cortex-A8 L2 auxiliary control */
        return 0;
    case 10:
        if (opc1 == 0 && crm == 0 && opc2 == 0 && !is_v7(cpu))
            return RW;                             /* TLB lockdown */
        if (opc1 == 0 && crm == 2 && opc2 <= 1 && is_v7(cpu))
            return RW | CP15_END;                  /* PRRR, NMRR */
        return 0;
    case 12:
        return (opc1 == 0 && crm == 0 && opc2 == 0 && is_v7(cpu)) ? RW : 0;    /* VBAR */
    case 13:
        if (opc1 != 0 || crm != 0)
            return 0;
        if (opc2 == 0)
            return RW | CP15_END;                  /* FCSEIDR */
        if (!is_v6(cpu))
            return 0;
        if (opc2 == 1)
            return RW | CP15_END;                  /* CONTEXTIDR: the ASID */
        if (!(cpu->features & (ARM_FEATURE_V6K | ARM_FEATURE_V7)))
            return 0;
        if (opc2 == 2)
            return RW | CP15_UR | CP15_UW;         /* TPIDRURW */
        if (opc2 == 3)
            return RW | CP15_UR;                   /* TPIDRURO */
        if (opc2 == 4)
            return RW;                             /* TPIDRPRW */
        return 0;
    default:
        return 0;
    }
}

/* ---- values ---------------------------------------------------------------------- */

static void tlb_flush_all(ARMCPU *cpu)
{
    CPUCommon *c = &cpu->common;
    /* (the TLB's owner also flushes the jump cache, which maps virtual pcs
     * to blocks; without one, as in unit tests, there is nothing to do) */
    if (c->sys && c->sys->tlb_flush)
        c->sys->tlb_flush(c);
}

static void tlb_flush_page(ARMCPU *cpu, uint32_t va)
{
    CPUCommon *c = &cpu->common;
    if (c->sys && c->sys->tlb_flush_page)
        c->sys->tlb_flush_page(c, va & ~0x3ffu);
    else
        tlb_flush_all(cpu);
}

uint32_t helper_cp15_read(void *env, uint32_t key)
{
    ARMCPU *cpu = env;
    ARMCP15 *c = &cpu->cp15;
    const ARMIDRegs *id = &cpu->id;
    unsigned crm = key >> 4 & 15, opc2 = key & 7;
    switch (key) {
    case K(0, 0, 0, 0): return cpu->midr;
    case K(0, 0, 0, 1): return id->ctr;
    case K(0, 0, 0, 2): return id->tcmtr;
    case K(0, 0, 0, 3): return is_v6(cpu) ? id->tlbtr : cpu->midr;
    case K(0, 0, 0, 5): return is_v7(cpu) ? id->mpidr : cpu->midr;
    case K(1, 0, 0, 0): return id->ccsidr[c->csselr == 0 ? 0 : c->csselr == 1 ? 1 : 2];
    case K(1, 0, 0, 1): return id->clidr;
    case K(1, 0, 0, 7): return 0;
    case K(2, 0, 0, 0): return c->csselr;
    case K(0, 1, 0, 0): return c->sctlr;
    case K(0, 1, 0, 1): return c->actlr;
    case K(0, 1, 0, 2): return c->cpacr;
    case K(0, 2, 0, 0): return c->ttbr0;
    case K(0, 2, 0, 1): return c->ttbr1;
    case K(0, 2, 0, 2): return c->ttbcr;
    case K(0, 3, 0, 0): return c->dacr;
    case K(0, 5, 0, 0): return c->dfsr;
    case K(0, 5, 0, 1): return c->ifsr;
    case K(0, 6, 0, 0): return c->dfar;
    case K(0, 6, 0, 1): return c->wfar;
    case K(0, 6, 0, 2): return c->ifar;
    case K(0, 7, 10, 3): case K(0, 7, 14, 3):
        return 1u << 30;            /* Z: the (unmodelled) data cache is clean */
    case K(0, 7, 10, 6): return 0;  /* no dirty lines */
    case K(0, 9, 0, 0): return c->dcache_lockdown;
    case K(0, 9, 0, 1): return c->icache_lockdown;
    case K(1, 9, 0, 2): return c->l2auxcr;
    case K(0, 10, 0, 0): return c->tlb_lockdown;
    case K(0, 10, 2, 0): return c->prrr;
    case K(0, 10, 2, 1): return c->nmrr;
    case K(0, 12, 0, 0): return c->vbar;
    case K(0, 13, 0, 0): return c->fcseidr;
    case K(0, 13, 0, 1): return c->contextidr;
    case K(0, 13, 0, 2): return cpu->tpidrurw;
    case K(0, 13, 0, 3): return cpu->tpidruro;
    case K(0, 13, 0, 4): return c->tpidrprw;
    }
    if ((key & 0xff00) == 0 && (key >> 12) == 0) {
        if (crm == 0)
            return cpu->midr;       /* unallocated c0, c0 registers read as the MIDR */
        if (crm == 1)
            return opc2 < 2 ? id->id_pfr[opc2] : opc2 == 2 ? id->id_dfr0 : opc2 == 3 ? id->id_afr0
                                                                            : id->id_mmfr[opc2 - 4];
        if (crm == 2 && opc2 < 6)
            return id->id_isar[opc2];
    }
    return 0;
}

void helper_cp15_write(void *env, uint32_t key, uint32_t val)
{
    ARMCPU *cpu = env;
    ARMCP15 *c = &cpu->cp15;
    switch (key) {
    case K(2, 0, 0, 0): c->csselr = val & 0xf; return;
    case K(0, 1, 0, 0): {
        /* Only M, S, R, XP, TRE and AFE change translations: Linux's ARM926
         * idle loop toggles the I-cache bit around every WFI. */
        uint32_t old = c->sctlr;
        c->sctlr = (val & cpu->id.sctlr_wmask) | cpu->id.sctlr_fixed;
        if ((old ^ c->sctlr) & (1u << 0 | 1u << 8 | 1u << 9 | 1u << 23 | 1u << 28 | 1u << 29))
            tlb_flush_all(cpu);
        return;
    }
    case K(0, 1, 0, 1): c->actlr = val; return;
    case K(0, 1, 0, 2): c->cpacr = val & 0x00f00000u; return;   /* cp10, cp11 only */
    case K(0, 2, 0, 0): c->ttbr0 = val; tlb_flush_all(cpu); return;
    case K(0, 2, 0, 1): c->ttbr1 = val; tlb_flush_all(cpu); return;
    case K(0, 2, 0, 2): c->ttbcr = val & 7; tlb_flush_all(cpu); return;
    case K(0, 3, 0, 0):
        if (val != c->dacr) {                       /* the TLB holds permissions */
            c->dacr = val;
            tlb_flush_all(cpu);
        }
        return;
    case K(0, 5, 0, 0): c->dfsr = val; return;
    case K(0, 5, 0, 1): c->ifsr = val; return;
    case K(0, 6, 0, 0): c->dfar = val; return;
    case K(0, 6, 0, 1): c->wfar = val; return;
    case K(0, 6, 0, 2): c->ifar = val; return;
    case K(0, 9, 0, 0): c->dcache_lockdown = val; return;
    case K(0, 9, 0, 1): c->icache_lockdown = val; return;
    case K(1, 9, 0, 2): c->l2auxcr = val; return;
    case K(0, 10, 0, 0): c->tlb_lockdown = val; return;
    case K(0, 10, 2, 0): c->prrr = val; tlb_flush_all(cpu); return;
    case K(0, 10, 2, 1): c->nmrr = val; tlb_flush_all(cpu); return;
    case K(0, 12, 0, 0): c->vbar = val & ~0x1fu; return;
    case K(0, 13, 0, 0): c->fcseidr = val & 0xfe000000u; tlb_flush_all(cpu); return;
    case K(0, 13, 0, 1):
        /* The TLB is not tagged with ASIDs: a new ASID flushes it. */
        if (val != c->contextidr) {
            c->contextidr = val;
            tlb_flush_all(cpu);
        }
        return;
    case K(0, 13, 0, 2): cpu->tpidrurw = val; return;
    case K(0, 13, 0, 3): cpu->tpidruro = val; return;
    case K(0, 13, 0, 4): c->tpidrprw = val; return;
    }
    if ((key & 0xff00) == 0x0800) {                 /* c8: TLB maintenance */
        unsigned opc2 = key & 7;
        if (opc2 == 1 || opc2 == 3)
            tlb_flush_page(cpu, val);               /* by MVA (and ASID) */
        else
            tlb_flush_all(cpu);                     /* all, or by ASID */
    }
}
