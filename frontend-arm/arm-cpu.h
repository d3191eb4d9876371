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

#include <stdbool.h>
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
/* The system level (frontend-arm/arm-sys-cpu.c): the other CPSR bits ... */
#define ARM_CPSR_M    0x1fu        /* mode */
#define ARM_CPSR_F    (1u << 6)    /* FIQs masked */
#define ARM_CPSR_I    (1u << 7)    /* IRQs masked */
#define ARM_CPSR_A    (1u << 8)    /* asynchronous aborts masked (v6+) */
#define ARM_CPSR_J    (1u << 24)
#define ARM_CPSR_IT   0x0600fc00u  /* IT[1:0] in 26:25, IT[7:2] in 15:10 */
/* ... and the modes (ARM ARM B1.3.1) */
enum {
    ARM_MODE_USR = 0x10, ARM_MODE_FIQ = 0x11, ARM_MODE_IRQ = 0x12, ARM_MODE_SVC = 0x13,
    ARM_MODE_ABT = 0x17, ARM_MODE_UND = 0x1b, ARM_MODE_SYS = 0x1f,
};
/* Register banks (ARMCPU.banked_*): USR and SYS share bank 0. */
enum { ARM_BANK_USR, ARM_BANK_SVC, ARM_BANK_ABT, ARM_BANK_UND, ARM_BANK_IRQ, ARM_BANK_FIQ, ARM_BANK_N };

/* System mode: the interrupt lines of CPUCommon.interrupt_request, as the
 * board raises them (exec_cpu_interrupt / exec_cpu_reset_interrupt): the
 * core's nIRQ and nFIQ inputs, level-sensitive.  Frontend.exec_interrupt
 * takes FIQ before IRQ, each when CPSR.F / CPSR.I allow. */
#define ARM_CPU_IRQ 1u
#define ARM_CPU_FIQ 2u

/* System mode: the mmu indexes of memory accesses (Frontend.n_mmu_idx = 2).
 * Code running in a privileged mode uses ARM_MMU_IDX_PRIV, in USR mode
 * ARM_MMU_IDX_USER; LDRT/STRT/LDRBT/STRBT (and the other T forms) use
 * ARM_MMU_IDX_USER from privileged modes too.  arm_cpu_mmu_index() is the
 * one for code fetches and ordinary accesses of the cpu's current mode. */
enum { ARM_MMU_IDX_PRIV = 0, ARM_MMU_IDX_USER = 1, ARM_MMU_IDX_N = 2 };

/* Frontend-private exception numbers (do_exception): EXCP_UDEF,
 * EXCP_SYSCALL (SVC), EXCP_BKPT (a prefetch abort, as v5+ cores take
 * BKPT), EXCP_MEM_FAULT (prefetch abort when the access was EXEC, data
 * abort otherwise) and these. */
enum {
    ARM_EXCP_RESET = EXCP_FRONTEND_BASE,  /* the reset vector, SVC mode, interrupts masked */
    ARM_EXCP_IRQ,                         /* (exec_interrupt takes these itself) */
    ARM_EXCP_FIQ,
};

/* CP15 state (arm-cp15.c) and the ID registers of the model. */
typedef struct ARMCP15 {
    uint32_t sctlr, actlr, cpacr;
    uint32_t ttbr0, ttbr1, ttbcr, dacr;
    uint32_t dfsr, ifsr, dfar, ifar, wfar;
    uint32_t fcseidr, contextidr, tpidrprw;
    uint32_t vbar, prrr, nmrr, csselr;
    uint32_t dcache_lockdown, icache_lockdown, tlb_lockdown, l2auxcr;
    /* the fault status mmu_translate found, for do_exception (FSR format
     * of the model: status, domain) */
    uint32_t pending_fsr, pending_addr, pending_valid;
    /* the length of the instruction an EXCP_UDEF was raised at (2 or 4):
     * the undefined-instruction LR is the address after it */
    uint32_t udef_len;
} ARMCP15;

typedef struct ARMIDRegs {
    uint32_t ctr, tcmtr, tlbtr, mpidr;
    uint32_t id_pfr[2], id_dfr0, id_afr0, id_mmfr[4], id_isar[6];
    uint32_t clidr, ccsidr[3];
    uint32_t sctlr_reset, sctlr_fixed, sctlr_wmask;
} ARMIDRegs;

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
    /* ---- the system level (cpu->common.sys != NULL; unused in user mode).
     * regs[8..14] and the CPSR fields are the current mode's; the other
     * modes' copies live here (arm_switch_mode swaps them). */
    uint32_t spsr;                       /* the current mode's SPSR (none in USR/SYS) */
    uint32_t banked_r13[ARM_BANK_N], banked_r14[ARM_BANK_N], banked_spsr[ARM_BANK_N];
    uint32_t usr_r8_12[5], fiq_r8_12[5]; /* r8-r12 of the mode not current */
    ARMCP15 cp15;
    ARMIDRegs id;
    int32_t model_index;                 /* into arm-cpu.c's table, for resets */
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

/* ---- the system level ----------------------------------------------------------
 * A cpu in system mode: exec_cpu_new(), then set cpu->common.sys (the
 * machine's ExecSysOps), arm_cpu_set_model(cpu, "arm926") (or "arm1136",
 * "arm1176", "cortex-a8"), then arm_cpu_sys_reset(cpu) — which is also
 * what Frontend.cpu_reset does for a cpu whose sys is set (the machine's
 * reset hook): SVC mode, IRQ/FIQ (and A) masked, CP15 at its reset values,
 * pc at the reset vector (0, or 0xffff0000 on a model whose SCTLR.V
 * resets to 1). */
void arm_cpu_sys_reset(ARMCPU *cpu);
/* Whether name is one of the system cpu models (for -cpu help/validation). */
bool arm_cpu_is_system_model(const char *name);
/* The current mode's mmu index (ARM_MMU_IDX_*): code fetches and ordinary
 * accesses use it. */
int arm_cpu_mmu_index(const ARMCPU *cpu);
/* Switch the banked registers (r13, r14, SPSR; r8-r12 to or from FIQ) and
 * CPSR.M to mode; nothing else of the CPSR changes. */
void arm_switch_mode(ARMCPU *cpu, uint32_t mode);
/* Write the CPSR bits mask selects, switching banks when M changes (an
 * invalid mode leaves M as it was).  The system-mode counterpart of
 * arm_cpsr_write (which never switches banks). */
void arm_cpsr_write_sys(ARMCPU *cpu, uint32_t val, uint32_t mask);
/* The SPSR of the current mode (0 in USR/SYS). */
uint32_t arm_spsr_read(const ARMCPU *cpu);
/* Enter the exception handler for excp (Frontend.do_exception). */
void arm_do_exception(CPUCommon *cpu, int excp);
/* Take a pending IRQ/FIQ if unmasked (Frontend.exec_interrupt). */
bool arm_exec_interrupt(CPUCommon *cpu, uint32_t pending);
/* The MMU walk (Frontend.mmu_translate; arm-mmu.c). */
bool arm_mmu_translate(CPUCommon *cpu, uint64_t vaddr, ExecAccess access, int mmu_idx,
                       struct ExecTLBFill *out);

/* The whole FPSCR, for those outside frontend-arm that save or show it
 * (signal frames, the gdbstub, tests), on the cpu's own thread: reading
 * folds in the cumulative flags generated code left in the host FPU,
 * writing drops them and keeps the writable bits (frontend-arm/vfp-fpscr.c). */
uint32_t vfp_get_fpscr(ARMCPU *cpu);
void vfp_set_fpscr(ARMCPU *cpu, uint32_t value);

#endif
