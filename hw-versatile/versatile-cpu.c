/*
 * versatile-cpu.c — the Versatile PB's cpu (versatilepb.h): an ARM cpu of
 * the chosen model, in system mode over the board's physical memory, with
 * its IRQ and FIQ inputs for the VIC.
 */
#include "hw-versatile/versatilepb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "softmmu/cpus.h"
#include "softmmu/tlb.h"
#include "softmmu/vmstate.h"

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ----
 * The whole architectural state: the current mode's registers and the
 * banked copies, the flags as generated code keeps them, VFP and iWMMXt,
 * CP15 (the MMU's TTBRs, DACR, SCTLR, fault registers), the model's ID
 * registers.  The pending interrupt lines are the VIC's to restore. */

static const VMStateField cpu_fields[] = {
    VMS_FIELD(ARMCPU, regs),
    VMS_FIELD(ARMCPU, NF),
    VMS_FIELD(ARMCPU, ZF),
    VMS_FIELD(ARMCPU, CF),
    VMS_FIELD(ARMCPU, VF),
    VMS_FIELD(ARMCPU, QF),
    VMS_FIELD(ARMCPU, GE),
    VMS_FIELD(ARMCPU, thumb),
    VMS_FIELD(ARMCPU, condexec),
    VMS_FIELD(ARMCPU, cpsr_rest),
    VMS_FIELD(ARMCPU, tpidrurw),
    VMS_FIELD(ARMCPU, tpidruro),
    VMS_FIELD(ARMCPU, features),
    VMS_FIELD(ARMCPU, midr),
    VMS_FIELD(ARMCPU, exclusive_addr),
    VMS_FIELD(ARMCPU, exclusive_val),
    VMS_FIELD(ARMCPU, vfp_d),
    VMS_FIELD(ARMCPU, fpscr),
    VMS_FIELD(ARMCPU, fpexc),
    VMS_FIELD(ARMCPU, fpsid),
    VMS_FIELD(ARMCPU, mvfr0),
    VMS_FIELD(ARMCPU, mvfr1),
    VMS_FIELD(ARMCPU, iwmmxt_wr),
    VMS_FIELD(ARMCPU, iwmmxt_wc),
    VMS_FIELD(ARMCPU, spsr),
    VMS_FIELD(ARMCPU, banked_r13),
    VMS_FIELD(ARMCPU, banked_r14),
    VMS_FIELD(ARMCPU, banked_spsr),
    VMS_FIELD(ARMCPU, usr_r8_12),
    VMS_FIELD(ARMCPU, fiq_r8_12),
    VMS_FIELD(ARMCPU, cp15),
    VMS_FIELD(ARMCPU, id),
    VMS_FIELD(ARMCPU, model_index),
    VMS_END
};

/* FPSCR's cumulative flags may still be in the host FPU (on this, the
 * vcpu thread: savevm runs here) */
static void cpu_pre_save(void *opaque)
{
    (void)vfp_get_fpscr(opaque);
}

/* new code, new mappings: what was translated and cached for the old
 * state is dropped, and the host FPU's flags start clean */
static void cpu_post_load(void *opaque)
{
    ARMCPU *cpu = opaque;
    vfp_set_fpscr(cpu, cpu->fpscr);
    exec_flush_all();
    tlb_flush(&cpu->common);
}

static const VMStateDescription cpu_vmsd = {
    .name = "arm-cpu",
    .version = 1,
    .fields = cpu_fields,
    .pre_save = cpu_pre_save,
    .post_load = cpu_post_load,
};

CPUCommon *versatile_cpu_create(PhysMemory *pm, const char *model, IRQLine *irq, IRQLine *fiq, char **err)
{
    CPUCommon *cpu = cpus_create(&frontend_arm, pm, NULL);
    if (!cpu) {
        *err = strdup("cannot set up the cpu");
        return NULL;
    }
    if (arm_cpu_set_model((ARMCPU *)cpu, model) < 0) {
        if (asprintf(err, "unable to find CPU model '%s'", model) < 0)
            *err = NULL;
        cpus_destroy(cpu);
        return NULL;
    }
    arm_cpu_sys_reset((ARMCPU *)cpu);
    /* the model's MIDR as the instance: a snapshot of another -cpu is
     * refused by name instead of loading another model's registers */
    vmstate_register(&cpu_vmsd, ((ARMCPU *)cpu)->midr, cpu);
    *irq = cpus_irq_line(cpu, ARM_CPU_IRQ);
    *fiq = cpus_irq_line(cpu, ARM_CPU_FIQ);
    return cpu;
}
