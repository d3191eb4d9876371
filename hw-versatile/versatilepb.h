/*
 * versatilepb.h — the ARM Versatile PB board (ARM DUI 0224: the Versatile
 * Platform Baseboard for ARM926EJ-S) as vemu builds it.
 */
#ifndef VEMU_HW_VERSATILE_VERSATILEPB_H
#define VEMU_HW_VERSATILE_VERSATILEPB_H

#include "softmmu/irq.h"
#include "softmmu/machine.h"

extern const MachineClass versatilepb_machine;

/* Linux's machine type for the board (r1 at boot). */
#define VERSATILEPB_BOARD_ID 0x183

/*
 * The cpu, created by the board through this one function
 * (hw-versatile/versatile-cpu.c, over softmmu/cpus.h and frontend-arm's
 * system level).  It creates the
 * system-mode ARM cpu of `model` (one of versatilepb_machine.cpus) over
 * pm, in its reset state (SVC mode, MMU and interrupts off, pc = 0, where
 * the boot stub is), and returns its IRQ and FIQ inputs, which the VIC
 * drives.  NULL with *err (malloc'd) when it cannot.
 */
CPUCommon *versatile_cpu_create(PhysMemory *pm, const char *model, IRQLine *irq, IRQLine *fiq, char **err);

#endif
