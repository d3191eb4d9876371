/*
 * gdb-arm.c — the ARM cpu for the gdbstub: target description and
 * register access.  ARM-specific glue, the only gdbstub file that knows
 * ARMCPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "gdbstub/gdb-arm.h"

#define D(n) "<reg name=\"d" #n "\" bitsize=\"64\" type=\"ieee_double\"/>"

/* The target description: the core registers from the frontend's table
 * (frontend_arm.regs), then cpsr, then the VFP feature. */
static char arm_target_xml[4096];

static void build_target_xml(void)
{
    size_t n = 0, cap = sizeof(arm_target_xml);
    n += (size_t)snprintf(arm_target_xml + n, cap - n,
                          "<?xml version=\"1.0\"?>"
                          "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                          "<target><architecture>arm</architecture>"
                          "<feature name=\"org.gnu.gdb.arm.core\">");
    for (unsigned i = 0; i < frontend_arm.n_regs && n < cap; i++)
        n += (size_t)snprintf(arm_target_xml + n, cap - n, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\"/>",
                              frontend_arm.regs[i].name, frontend_arm.regs[i].bits,
                              frontend_arm.regs[i].gdb_type);
    if (n < cap)
        n += (size_t)snprintf(arm_target_xml + n, cap - n, "%s",
                 "<reg name=\"cpsr\" bitsize=\"32\"/>"
                 "</feature>"
                 "<feature name=\"org.gnu.gdb.arm.vfp\">"
                 D(0) D(1) D(2) D(3) D(4) D(5) D(6) D(7) D(8) D(9) D(10) D(11) D(12) D(13) D(14) D(15)
                 D(16) D(17) D(18) D(19) D(20) D(21) D(22) D(23) D(24) D(25) D(26) D(27) D(28) D(29)
                 D(30) D(31)
                 "<reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
                 "</feature></target>");
    if (n >= cap) {
        fputs("vemu: internal error: gdb target description too long\n", stderr);
        abort();
    }
}

/* Core register n (n < 16) at its offset in the cpu state. */
static uint32_t *core_reg(CPUCommon *c, unsigned n)
{
    return (uint32_t *)((uint8_t *)c + frontend_arm.regs[n].offset);
}

/* What a debugger may change in the CPSR in user mode: the flags, GE, and
 * the execution state (T, IT) — not the mode or the interrupt masks.  In
 * system mode (cpu->sys) those too, as a privileged MSR would: a new mode
 * switches the banked registers. */
#define CPSR_GDB_WRITABLE 0xfe0ffc20u
#define CPSR_GDB_WRITABLE_SYS (CPSR_GDB_WRITABLE | ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F | ARM_CPSR_M)

static int arm_read_reg(CPUCommon *c, unsigned n, uint8_t *buf)
{
    const ARMCPU *cpu = (const ARMCPU *)c;
    uint32_t v;
    if (n < 16)
        v = *core_reg(c, n);
    else if (n == GDB_ARM_CPSR)
        v = arm_cpsr_read(cpu);
    else if (n >= GDB_ARM_D0 && n < GDB_ARM_D0 + 32) {
        memcpy(buf, &cpu->vfp_d[n - GDB_ARM_D0], 8);   /* host and guest are little-endian */
        return 8;
    } else if (n == GDB_ARM_FPSCR)
        v = vfp_get_fpscr((ARMCPU *)cpu);   /* folds pending host FP flags (no other change) */
    else
        return 0;
    memcpy(buf, &v, 4);
    return 4;
}

static int arm_write_reg(CPUCommon *c, unsigned n, const uint8_t *buf)
{
    ARMCPU *cpu = (ARMCPU *)c;
    uint32_t v;
    if (n >= GDB_ARM_D0 && n < GDB_ARM_D0 + 32) {
        memcpy(&cpu->vfp_d[n - GDB_ARM_D0], buf, 8);
        return 8;
    }
    memcpy(&v, buf, 4);
    if (n < 16)
        *core_reg(c, n) = v;
    else if (n == GDB_ARM_CPSR && c->sys)
        arm_cpsr_write_sys(cpu, v, CPSR_GDB_WRITABLE_SYS);
    else if (n == GDB_ARM_CPSR)
        arm_cpsr_write(cpu, v, CPSR_GDB_WRITABLE);
    else if (n == GDB_ARM_FPSCR)
        vfp_set_fpscr(cpu, v);
    else
        return 0;
    return 4;
}

const GdbArch gdb_arch_arm = {
    .name = "arm",
    .target_xml = arm_target_xml,
    .n_regs = GDB_ARM_NREGS,
    .read_reg = arm_read_reg,
    .write_reg = arm_write_reg,
};

/* Found by gdbstub_arch_find("arm") in every program that links ARM. */
__attribute__((constructor)) static void gdb_arm_register(void)
{
    build_target_xml();
    gdbstub_arch_register(&gdb_arch_arm);
}
