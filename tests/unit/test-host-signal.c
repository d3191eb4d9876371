/* Unit tests for host/host-signal.h: the interrupted pc, and whether a
 * host fault was a write, on real faults (a store and a load to
 * protected pages) and, on aarch64, the load/store classifier used when
 * the signal frame has no ESR (qemu-aarch64 7.2's frames have none) on
 * encodings checked with binutils. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host/host-signal.h"

static sigjmp_buf env;
static volatile int seen_write = -2;
static volatile uintptr_t seen_addr;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    seen_write = host_signal_is_write(ctx);
    seen_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

/* Runs access(p) and returns what the handler saw (-2: no fault). */
static int fault_kind(void (*access)(volatile uint8_t *), volatile uint8_t *p)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    seen_write = -2;
    if (!sigsetjmp(env, 1))
        access(p);
    sigaction(SIGSEGV, &old, NULL);
    return seen_write;
}

static void do_store(volatile uint8_t *p) { *p = 1; }
static void do_load(volatile uint8_t *p) { (void)*p; }
static void do_store64(volatile uint8_t *p) { *(volatile uint64_t *)p = 1; }
static void do_load64(volatile uint8_t *p) { (void)*(volatile uint64_t *)p; }

static void test_fault_read_or_write(void **state)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, 2 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + pg, pg, PROT_READ), 0);
    /* an unmapped-for-access page: stores are writes, loads are not */
    assert_int_equal(fault_kind(do_store, m + 8), 1);
    assert_true(seen_addr == (uintptr_t)(m + 8));
    assert_int_equal(fault_kind(do_load, m + 8), 0);
    assert_int_equal(fault_kind(do_store64, m + 16), 1);
    assert_int_equal(fault_kind(do_load64, m + 16), 0);
    /* a read-only page: the store faults as a write, the load does not fault */
    assert_int_equal(fault_kind(do_store, m + pg + 3), 1);
    assert_int_equal(fault_kind(do_load, m + pg + 3), -2);
    munmap(m, 2 * pg);
}

static void test_pc_round_trip(void **state)
{
    ucontext_t uc;
    memset(&uc, 0, sizeof uc);
    host_signal_set_pc(&uc, (uintptr_t)0x123456789abcull);
    assert_true(host_signal_pc(&uc) == (uintptr_t)0x123456789abcull);
}

#if defined(__aarch64__)
static void test_a64_classifier(void **state)
{
    static const struct { uint32_t insn; int store; const char *text; } cases[] = {
        { 0xb9000001, 1, "str w1, [x0]" },
        { 0xb9400001, 0, "ldr w1, [x0]" },
        { 0xa9bf07e0, 1, "stp x0, x1, [sp, #-16]!" },
        { 0xa8c107e0, 0, "ldp x0, x1, [sp], #16" },
        { 0xc8027c01, 1, "stxr w2, x1, [x0]" },
        { 0xc85f7c01, 0, "ldxr x1, [x0]" },
        { 0xb8210002, 1, "ldadd w1, w2, [x0]" },
        { 0x3d800000, 1, "str q0, [x0]" },
        { 0x3dc00000, 0, "ldr q0, [x0]" },
        { 0xc8e1fc02, 1, "casal x1, x2, [x0]" },
        { 0x58000040, 0, "ldr x0, <literal>" },
        { 0xf9800000, 0, "prfm pldl1keep, [x0]" },
        { 0x39000401, 1, "strb w1, [x0, #1]" },
        { 0x39800001, 0, "ldrsb x1, [x0]" },
        { 0x889ffc01, 1, "stlr w1, [x0]" },
        { 0x88dffc01, 0, "ldar w1, [x0]" },
        { 0xfc1f8000, 1, "stur d0, [x0, #-8]" },
        { 0x4c407000, -1, "ld1 {v0.16b}, [x0]" },
        { 0x8b010000, -1, "add x0, x0, x1" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (host_a64_insn_is_store(cases[i].insn) != cases[i].store)
            fail_msg("%s (%08x): %d, want %d", cases[i].text, cases[i].insn,
                     host_a64_insn_is_store(cases[i].insn), cases[i].store);
    }
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_read_or_write),
        cmocka_unit_test(test_pc_round_trip),
#if defined(__aarch64__)
        cmocka_unit_test(test_a64_classifier),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
