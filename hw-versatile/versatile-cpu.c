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
    *irq = cpus_irq_line(cpu, ARM_CPU_IRQ);
    *fiq = cpus_irq_line(cpu, ARM_CPU_FIQ);
    return cpu;
}
