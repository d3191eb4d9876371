/*
 * arm-helpers.c — C helpers called from generated ARM code.
 */
#include "frontend-arm/arm-helpers.h"
#include "frontend-arm/arm-cpu.h"

/* MRS: the execution state bits (J, IT, T) read as zero (ARM ARM B9.3.9),
 * so Thumb and ARM code see the same value. */
static uint32_t helper_cpsr_read(void *env)
{
    return arm_cpsr_read(env) & ~(ARM_CPSR_T | 0x0600fc00u | 0x01000000u);
}

static void helper_cpsr_write(void *env, uint32_t val, uint32_t mask)
{
    arm_cpsr_write(env, val, mask);
}

/* Reads the globals (they must be in memory), writes none. */
const IRHelper arm_helper_cpsr_read = {
    .name = "cpsr_read", .fn = (void *)helper_cpsr_read,
    .flags = IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_NO_SIDE_EFFECTS | IR_HELPER_PASS_ENV,
    .n_args = 0, .has_result = true, .ret_type = IR_I32,
};

/* Writes the flag globals: they are reloaded after it. */
const IRHelper arm_helper_cpsr_write = {
    .name = "cpsr_write", .fn = (void *)helper_cpsr_write,
    .flags = IR_HELPER_PASS_ENV,
    .n_args = 2, .has_result = false,
    .arg_types = { IR_I32, IR_I32 },
};
