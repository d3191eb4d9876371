/*
 * arm-cp15.h — private to frontend-arm: the system control coprocessor as
 * the translator sees it (which registers a model has, who may access them,
 * what an access does to translation) and the model ID values.
 */
#ifndef VEMU_ARM_CP15_H
#define VEMU_ARM_CP15_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-arm/arm-cpu.h"

/* A CP15 register or operation, as MCR/MRC name it. */
#define ARM_CP15_KEY(opc1, crn, crm, opc2) ((uint32_t)(opc1) << 12 | (uint32_t)(crn) << 8 | \
                                            (uint32_t)(crm) << 4 | (uint32_t)(opc2))

/* What an access is (arm_cp15_access). */
enum {
    CP15_R       = 1 << 0,   /* readable from privileged modes */
    CP15_W       = 1 << 1,   /* writable from privileged modes */
    CP15_UR      = 1 << 2,   /* readable from USR mode too */
    CP15_UW      = 1 << 3,   /* writable from USR mode too */
    CP15_END     = 1 << 4,   /* a write changes the translation regime: end the block */
    CP15_NOP     = 1 << 5,   /* a write has no effect here (cache maintenance, prefetch) */
    CP15_WFI     = 1 << 6,   /* wait for interrupt (ARMv5/v6 c7, c0, 4) */
    CP15_BARRIER = 1 << 7,   /* data barrier (c7, c10, 4/5) */
    CP15_ISB     = 1 << 8,   /* flush prefetch buffer (c7, c5, 4) */
};

/* The CP15_* flags of register key on cpu's model; 0 when it has none
 * (UNDEFINED). */
unsigned arm_cp15_access(const ARMCPU *cpu, uint32_t key);

/* The ID register values and SCTLR rules of a system model (arm-cp15.c);
 * false when name is not one (the user-mode models keep zeros). */
bool arm_cp15_set_model(ARMCPU *cpu, const char *name);

/* CP15 to its reset values (SCTLR from the model). */
void arm_cp15_reset(ARMCPU *cpu);

#endif
