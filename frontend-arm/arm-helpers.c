/*
 * arm-helpers.c — the IRHelper descriptors of every helper in helpers.def,
 * and the CPSR helpers (MRS, MSR).
 */
#include <stdbool.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-helpers.h"

/* MRS: the execution state bits (J, IT, T) read as zero (ARM ARM B9.3.9),
 * so Thumb and ARM code see the same value. */
uint32_t helper_arm_cpsr_read(void *env)
{
    return arm_cpsr_read(env) & ~(ARM_CPSR_T | 0x0600fc00u | 0x01000000u);
}

void helper_arm_cpsr_write(void *env, uint32_t val, uint32_t mask)
{
    arm_cpsr_write(env, val, mask);
}

/* ---- descriptors ---- */

#define ARMH_UNPAREN(...) __VA_ARGS__
#define ARM_HELPER(group, id, kind, rd, wr, ret, ...) \
    static const IRStateRange group##_reads_##id[] = { ARMH_UNPAREN rd { 0, 0 } }; \
    static const IRStateRange group##_writes_##id[] = { ARMH_UNPAREN wr { 0, 0 } }; \
    const IRHelper group##_helper_##id = { \
        .name = #group "_" #id, .fn = (void *)helper_##group##_##id, .flags = ARMH_FLAGS_##kind, \
        .n_args = ARMH_NARGS(__VA_ARGS__), .has_result = ARMH_RES_##ret, .ret_type = ARMH_IT_##ret, \
        .arg_types = { ARMH_IRTYPES(__VA_ARGS__) }, \
        .reads = group##_reads_##id, .writes = group##_writes_##id, \
    };
#include "frontend-arm/helpers.def"
#undef ARM_HELPER
