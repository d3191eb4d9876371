/* Unit tests of the x86_64 backend's own choices for value ops: the
 * fallbacks for hosts without LZCNT/BMI1 and init's refusal of what it
 * cannot generate.  The host-neutral op tests are test-backend-host.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-x86_64/backend-x86_64.h"
#include "x86-backend-rig.h"
#include "backend-rig-ops.h"
#include "backend-x86_64/x86-internal.h"

static void test_without_lzcnt_bmi1(void **state)
{
    (void)state;
    /* the bsr/bsf and not+and fallbacks for hosts without LZCNT/BMI1 */
    X86HostFeatures saved = x86_state.feat;
    x86_state.feat.lzcnt = x86_state.feat.bmi1 = false;
    for (int t = 0; t < 2; t++)
        for (unsigned i = 0; i < NVALS; i++) {
            check_unop(IR_OP_clz, (IRType)t, vals[i]);
            check_unop(IR_OP_ctz, (IRType)t, vals[i]);
            check_unop(IR_OP_clz, (IRType)t, vals[i] << 7);
            check_unop(IR_OP_ctz, (IRType)t, vals[i] << 7);
            for (unsigned j = 0; j < NVALS; j += 3)
                check_binop(IR_OP_andc, (IRType)t, vals[i], vals[j]);
        }
    x86_state.feat = saved;
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

/* The soft-TLB memory kind (system mode) is not generated yet: init
 * refuses it rather than emitting user-mode accesses. */
static void test_refuses_soft_tlb(void **state)
{
    (void)state;
    BackendEnv env = rig_env;
    env.mem.kind = BACKEND_MEM_SOFTTLB;
    CodeBuf cb = rig_cb;
    cb.used = rig_base_used;
    assert_int_equal(backend_x86_64.init(&cb, &env), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_lzcnt_bmi1),
        cmocka_unit_test(test_refuses_soft_tlb),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
