/*
 * arm-helpers.h — private to frontend-arm: C helpers generated code calls
 * for the rare instructions not worth inline IR.
 */
#ifndef VEMU_ARM_HELPERS_H
#define VEMU_ARM_HELPERS_H

#include "ir/ir.h"

/* MRS: returns the architectural CPSR (reads the flag globals). */
extern const IRHelper arm_helper_cpsr_read;
/* MSR: (value, mask) — writes the CPSR bits selected by mask. */
extern const IRHelper arm_helper_cpsr_write;

#endif
