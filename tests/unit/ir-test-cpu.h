/*
 * ir-test-cpu.h — a tiny guest CPU state and guest memory for the IR unit
 * tests (test-ir-interp, test-ir-opt, test-ir-verify).
 *
 * Globals: r0..r7 (i32), x0..x3 (i64), in a TestCPU; guest memory is a
 * small buffer used as guest address 0 (guest_base).
 */
#ifndef VEMU_IR_TEST_CPU_H
#define VEMU_IR_TEST_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ir/ir-build.h"

#define TEST_MEM_SIZE 4096

typedef struct TestCPU {
    int32_t exit_request;
    int32_t exception;
    uint32_t r[8];
    uint64_t x[4];
    uint32_t env_word;      /* a state field that is not a global (ld_env/st_env) */
    uint32_t guard;         /* must never change: catches over-wide global writes */
} TestCPU;

typedef struct TestRig {
    IRGlobalSet gs;
    IRTemp r[8], x[4];
    TestCPU cpu;
    uint8_t mem[TEST_MEM_SIZE];
    uint64_t cur_pc[IR_INSN_DATA_WORDS];
    IRInterpEnv env;
} TestRig;

static const char *const test_reg_names[8] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
static const char *const test_xreg_names[4] = { "x0", "x1", "x2", "x3" };

static inline void test_rig_init(TestRig *rig)
{
    memset(rig, 0, sizeof(*rig));
    for (int i = 0; i < 8; i++)
        rig->r[i] = ir_global_new(&rig->gs, IR_I32, offsetof(TestCPU, r) + 4 * i, test_reg_names[i]);
    for (int i = 0; i < 4; i++)
        rig->x[i] = ir_global_new(&rig->gs, IR_I64, offsetof(TestCPU, x) + 8 * i, test_xreg_names[i]);
    rig->cpu.guard = 0x5a5a5a5a;
    rig->env.cpu = &rig->cpu;
    rig->env.guest_base = (uintptr_t)rig->mem;
    rig->env.exception_offset = offsetof(TestCPU, exception);
    rig->env.exit_request_offset = offsetof(TestCPU, exit_request);
    rig->env.insn_data = rig->cur_pc;
}

static inline unsigned test_run(TestRig *rig, const IRBlock *b)
{
    return ir_interp(b, &rig->env);
}

/* Ends a block the way frontends do for a direct jump. */
static inline void test_end_block(IRBlock *b)
{
    ir_exit_tb(b, IR_EXIT_NOCHAIN);
}

#endif
