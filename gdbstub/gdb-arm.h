/*
 * gdb-arm.h — the ARM guest as gdb sees it (gdbstub/gdb-arm.c).
 *
 * Register numbers: 0-15 r0..r12, sp, lr, pc; 16 cpsr; 17-48 d0..d31;
 * 49 fpscr (features org.gnu.gdb.arm.core and org.gnu.gdb.arm.vfp).
 */
#ifndef VEMU_GDBSTUB_GDB_ARM_H
#define VEMU_GDBSTUB_GDB_ARM_H

#include "gdbstub/gdbstub.h"

enum { GDB_ARM_CPSR = 16, GDB_ARM_D0 = 17, GDB_ARM_FPSCR = 49, GDB_ARM_NREGS = 50 };

extern const GdbArch gdb_arch_arm;

#endif
