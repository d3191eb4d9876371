/* Unit tests for host/host-fp.h on the host it is built for (x86_64:
 * MXCSR; aarch64: FPCR/FPSR, run under qemu-aarch64 by
 * tests/aarch64-host): the flags of IEEE operations in vemu's bit order,
 * the rounding modes, taking flags, and a signal handler that leaves by
 * longjmp putting back the interrupted code's status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "host/host-fp.h"

static void test_flags_of_each_operation(void **state)
{
    host_fp_take_flags();
    host_fp_begin(HOST_FP_ROUND_NEAREST);
    double r = host_fp_op_f64(HOST_FP_DIV, 1.0, 3.0);
    assert_int_equal(host_fp_end(), HOST_FP_INEXACT);
    assert_true(r == 1.0 / 3.0);

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    r = host_fp_op_f64(HOST_FP_DIV, 1.0, 0.0);
    assert_int_equal(host_fp_end(), HOST_FP_DIVBYZERO);
    assert_true(r == __builtin_inf());

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    r = host_fp_op_f64(HOST_FP_SQRT, -1.0, 0.0);
    assert_int_equal(host_fp_end(), HOST_FP_INVALID);
    assert_true(r != r);

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    float f = host_fp_f64_to_f32(1e300);
    assert_int_equal(host_fp_end(), HOST_FP_OVERFLOW | HOST_FP_INEXACT);
    assert_true(f == __builtin_inff());

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    f = host_fp_op_f32(HOST_FP_MUL, FLT_MIN, 0.3f);   /* tiny and inexact */
    assert_int_equal(host_fp_end(), HOST_FP_UNDERFLOW | HOST_FP_INEXACT);
    assert_true(f > 0 && f < FLT_MIN);  /* denormal kept, not flushed */

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    f = host_fp_op_f32(HOST_FP_MUL, FLT_MIN, 0.25f);  /* tiny but exact: no flag */
    assert_int_equal(host_fp_end(), 0);
    assert_true(f == FLT_MIN / 4);

    host_fp_begin(HOST_FP_ROUND_NEAREST);
    r = host_fp_op_f64(HOST_FP_ADD, 1.0, 2.0);
    assert_int_equal(host_fp_end(), 0);
    assert_true(r == 3.0);
}

static void test_rounding_modes(void **state)
{
    static const struct { HostFPRound rm; double want; } c[] = {
        { HOST_FP_ROUND_NEAREST, 1.0 }, { HOST_FP_ROUND_UP, 1.0 + DBL_EPSILON },
        { HOST_FP_ROUND_DOWN, 1.0 }, { HOST_FP_ROUND_ZERO, 1.0 },
    };
    for (size_t i = 0; i < 4; i++) {
        host_fp_begin(c[i].rm);
        double r = host_fp_op_f64(HOST_FP_ADD, 1.0, 1e-30);
        double n = host_fp_op_f64(HOST_FP_SUB, -1.0, 1e-30);
        assert_int_equal(host_fp_end(), HOST_FP_INEXACT);
        assert_true(r == c[i].want);
        double nwant = c[i].rm == HOST_FP_ROUND_DOWN ? -1.0 - DBL_EPSILON : -1.0;
        assert_true(n == nwant);
    }
    /* back in the default mode */
    volatile double a = 1.0, b = 1e-30;
    assert_true(a + b == 1.0);
}

static void test_take_flags(void **state)
{
    host_fp_take_flags();
    assert_int_equal(host_fp_flags(), 0);
    volatile double a = 1.0, b = 3.0;
    volatile double r = a / b;       /* the compiler's own code, default state */
    (void)r;
    assert_int_equal(host_fp_flags() & HOST_FP_INEXACT, HOST_FP_INEXACT);
    assert_int_equal(host_fp_take_flags() & HOST_FP_INEXACT, HOST_FP_INEXACT);
    assert_int_equal(host_fp_flags(), 0);
    assert_int_equal(host_fp_take_flags(), 0);
}

static sigjmp_buf env;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    host_fp_restore_from_signal(ctx);
    siglongjmp(env, 1);
}

static void test_restore_from_signal(void **state)
{
    uint8_t *m = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    host_fp_take_flags();
    if (!sigsetjmp(env, 1)) {
        volatile double a = 1.0, z = 0.0;
        volatile double r = a / z;   /* divide-by-zero pending ... */
        (void)r;
        *(volatile uint8_t *)m = 1;  /* ... when the fault hits */
    }
    sigaction(SIGSEGV, &old, NULL);
    assert_int_equal(host_fp_take_flags() & HOST_FP_DIVBYZERO, HOST_FP_DIVBYZERO);
    munmap(m, 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_of_each_operation),
        cmocka_unit_test(test_rounding_modes),
        cmocka_unit_test(test_take_flags),
        cmocka_unit_test(test_restore_from_signal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
