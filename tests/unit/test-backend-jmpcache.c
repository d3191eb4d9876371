/*
 * Unit tests for the jump cache's layout and hash (exec/tb.h), which the
 * backends' inline probes rely on (BackendEnv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "exec/cpu-common.h"
#include "exec/exec.h"
#include "exec/tb.h"

/* The probe's entry: 32 bytes, the key then the code pointer. */
static void test_entry_layout(void **state)
{
    (void)state;
    assert_int_equal(sizeof(TBJumpCacheEntry), 32);
    assert_int_equal(offsetof(TBJumpCacheEntry, pc), 0);
    assert_int_equal(offsetof(TBJumpCacheEntry, cs_base), 8);
    assert_int_equal(offsetof(TBJumpCacheEntry, flags), 16);
    assert_int_equal(offsetof(TBJumpCacheEntry, code), 24);
}

/* n consecutive pcs base, base + step, ... hit n distinct entries. */
static void assert_spread(uint64_t base, uint64_t step, unsigned n)
{
    static uint8_t seen[TB_JMP_CACHE_SIZE];
    memset(seen, 0, sizeof(seen));
    for (unsigned k = 0; k < n; k++) {
        unsigned h = tb_jmp_cache_hash(base + k * step);
        assert_true(h < TB_JMP_CACHE_SIZE);
        assert_int_equal(seen[h], 0);
        seen[h] = 1;
    }
}

/* A bijection on any aligned window of TB_JMP_CACHE_SIZE pcs: bytes (x86
 * guests start blocks anywhere), halfwords (Thumb) and words (ARM). */
static void test_hash_spreads(void **state)
{
    (void)state;
    const uint64_t bases[] = { 0, 0x8000, 0x10000, 0x400000, 0xfffc0000u, 0x7f1234560000ull };
    for (unsigned i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        uint64_t words = bases[i] & ~(uint64_t)(4 * TB_JMP_CACHE_SIZE - 1);
        uint64_t bytes = bases[i] & ~(uint64_t)(TB_JMP_CACHE_SIZE - 1);
        assert_spread(words, 4, TB_JMP_CACHE_SIZE);
        assert_spread(bytes, 1, TB_JMP_CACHE_SIZE);
        uint64_t halves = bases[i] & ~(uint64_t)(2 * TB_JMP_CACHE_SIZE - 1);
        assert_spread(halves, 2, TB_JMP_CACHE_SIZE);      /* Thumb */
    }
}

static void test_set_and_match(void **state)
{
    (void)state;
    static struct TBJumpCache jc;
    static TranslationBlock tb;
    tb.code = (const uint8_t *)&tb;
    tb_jmp_cache_set(&jc, 0x1235, 7, 0x100000000ull, &tb);
    unsigned h = tb_jmp_cache_hash(0x1235);
    assert_ptr_equal(jc.tb[h], &tb);
    assert_ptr_equal(jc.e[h].code, tb.code);
    assert_true(tb_jmp_cache_match(&jc, h, 0x1235, 7, 0x100000000ull));
    assert_false(tb_jmp_cache_match(&jc, h, 0x1235, 0, 0x100000000ull));
    assert_false(tb_jmp_cache_match(&jc, h, 0x1235, 7, 0));
    tb.invalid = true;           /* an invalidated block is never entered */
    tb_jmp_cache_set(&jc, 0x1235, 7, 0x100000000ull, &tb);
    assert_null(jc.e[h].code);
    assert_null(jc.tb[h]);
}

/* exec_cpu_flush_jmp_cache clears exactly what was filled (the log) or,
 * past TB_JMP_CACHE_LOG fills, everything: no entry survives either way. */
static void fill_flush_check(unsigned n)
{
    static struct TBJumpCache jc;
    static TranslationBlock tb;
    static CPUCommon cpu;
    memset(&jc, 0, sizeof(jc));
    tb.code = (const uint8_t *)&tb;
    tb.invalid = false;
    cpu.jmp_cache = &jc;
    for (unsigned k = 0; k < n; k++)
        tb_jmp_cache_set(&jc, 0x8000 + 4 * (uint64_t)k, 0, 0, &tb);
    for (unsigned k = 0; k < n; k++)                   /* again: no new log entries */
        tb_jmp_cache_set(&jc, 0x8000 + 4 * (uint64_t)k, 0, 0, &tb);
    assert_int_equal(jc.n_filled, n <= TB_JMP_CACHE_LOG ? n : TB_JMP_CACHE_LOG + 1);
    exec_cpu_flush_jmp_cache(&cpu);
    assert_int_equal(jc.n_filled, 0);
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        assert_null(jc.e[i].code);
        assert_null(jc.tb[i]);
    }
}

static void test_flush_by_log(void **state)
{
    (void)state;
    fill_flush_check(0);
    fill_flush_check(10);
    fill_flush_check(TB_JMP_CACHE_LOG);
    fill_flush_check(TB_JMP_CACHE_LOG + 1);
    fill_flush_check(TB_JMP_CACHE_SIZE);
}

/* exec_cpu_flush_jmp_cache_range clears the entries of pcs in the range
 * and nothing else, by the log (few entries) or by pc (many). */
static void range_check(unsigned n)
{
    static struct TBJumpCache jc;
    static TranslationBlock tb;
    static CPUCommon cpu;
    memset(&jc, 0, sizeof(jc));
    tb.code = (const uint8_t *)&tb;
    tb.invalid = false;
    cpu.jmp_cache = &jc;
    for (unsigned k = 0; k < n; k++)                      /* pcs 0x10000, 0x10006, ... */
        tb_jmp_cache_set(&jc, 0x10000 + 6 * (uint64_t)k, 0, 0, &tb);
    uint64_t start = 0x10000 + 6 * (uint64_t)(n / 3), end = start + 0x400;
    exec_cpu_flush_jmp_cache_range(&cpu, start, end);
    for (unsigned k = 0; k < n; k++) {
        uint64_t pc = 0x10000 + 6 * (uint64_t)k;
        unsigned h = tb_jmp_cache_hash(pc);
        bool in = pc >= start && pc < end;
        if (in) {
            assert_null(jc.tb[h]);
            assert_null(jc.e[h].code);
        } else {
            assert_ptr_equal(jc.tb[h], &tb);
            assert_true(tb_jmp_cache_match(&jc, h, pc, 0, 0));
        }
    }
    exec_cpu_flush_jmp_cache(&cpu);       /* and the log still covers the rest */
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++)
        assert_null(jc.tb[i]);
}

static void test_flush_range(void **state)
{
    (void)state;
    range_check(100);                      /* by the log */
    range_check(TB_JMP_CACHE_LOG + 10);    /* by pc */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_layout),
        cmocka_unit_test(test_hash_spreads),
        cmocka_unit_test(test_set_and_match),
        cmocka_unit_test(test_flush_by_log),
        cmocka_unit_test(test_flush_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
