/*
 * Unit tests for arm_insn_direct_branch() (frontend-arm/arm-branch.c), the
 * table-generated direct-branch classifier: on every B/Bcc/B.W encoding
 * class, with offsets at the edges and at random, on the neighbouring
 * encodings that must not count (BL, BLX, SVC, UDF, T32 BL and hints), and
 * on random words, it must agree with an independent computation written
 * from the ARM ARM's encoding diagrams (A8.8.18 B: encodings A1, T1-T4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "frontend-arm/arm-translate.h"

static int32_t sext(uint32_t v, unsigned bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

/* The reference: B<c> A1 (cond != 1111), T1 Bcc (cond < 1110), T2 B, T3
 * Bcc.W (cond < 1110), T4 B.W. */
static bool ref_branch(uint32_t insn, unsigned len, bool thumb, uint32_t pc, uint32_t *target)
{
    if (!thumb) {
        if ((insn & 0x0f000000u) != 0x0a000000u || insn >> 28 == 0xf)
            return false;
        *target = pc + 8 + (uint32_t)sext(insn & 0xffffff, 24) * 4;
        return true;
    }
    if (len == 2) {
        uint32_t hw = insn & 0xffff;
        if ((hw & 0xf000) == 0xd000 && (hw >> 8 & 0xf) < 0xe) {
            *target = pc + 4 + (uint32_t)sext(hw & 0xff, 8) * 2;
            return true;
        }
        if ((hw & 0xf800) == 0xe000) {
            *target = pc + 4 + (uint32_t)sext(hw & 0x7ff, 11) * 2;
            return true;
        }
        return false;
    }
    uint32_t hw1 = insn >> 16, hw2 = insn & 0xffff;
    if ((hw1 & 0xf800) != 0xf000)
        return false;
    uint32_t S = hw1 >> 10 & 1, J1 = hw2 >> 13 & 1, J2 = hw2 >> 11 & 1;
    if ((hw2 & 0xd000) == 0x8000 && (hw1 >> 6 & 0xf) < 0xe) {
        uint32_t imm = S << 20 | J2 << 19 | J1 << 18 | (hw1 & 0x3f) << 12 | (hw2 & 0x7ff) << 1;
        *target = pc + 4 + (uint32_t)sext(imm, 21);
        return true;
    }
    if ((hw2 & 0xd000) == 0x9000) {
        uint32_t I1 = !(J1 ^ S), I2 = !(J2 ^ S);
        uint32_t imm = S << 24 | I1 << 23 | I2 << 22 | (hw1 & 0x3ff) << 12 | (hw2 & 0x7ff) << 1;
        *target = pc + 4 + (uint32_t)sext(imm, 25);
        return true;
    }
    return false;
}

static uint32_t rng_state = 0x12345678u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void check(uint32_t insn, unsigned len, bool thumb, uint32_t pc)
{
    uint32_t t1 = 0xdeadbeef, t2 = 0xdeadbeef;
    bool r = ref_branch(insn, len, thumb, pc, &t1);
    bool g = arm_insn_direct_branch(insn, len, thumb, pc, &t2);
    if (r != g || (r && t1 != t2))
        fail_msg("%s insn %08x len %u pc %08x: expected %d/%08x, got %d/%08x",
                 thumb ? "thumb" : "arm", insn, len, pc, r, t1, g, t2);
}

/* Offsets: all-zero, all-one, the extremes, and random ones. */
static uint32_t offset_bits(unsigned i, uint32_t mask)
{
    switch (i) {
    case 0: return 0;
    case 1: return mask;
    case 2: return mask >> 1;
    case 3: return (mask >> 1) + 1;
    default: return rnd() & mask;
    }
}

static void test_a32_b(void **state)
{
    (void)state;
    uint32_t t;
    assert_true(arm_insn_direct_branch(0xeafffffe, 4, false, 0x8000, &t));   /* b . */
    assert_int_equal(t, 0x8000);
    assert_true(arm_insn_direct_branch(0x1a000001, 4, false, 0x8000, &t));   /* bne +12 */
    assert_int_equal(t, 0x800c);
    assert_false(arm_insn_direct_branch(0xebfffffe, 4, false, 0x8000, &t));  /* bl . */
    assert_false(arm_insn_direct_branch(0xfafffffe, 4, false, 0x8000, &t));  /* blx . */
    for (uint32_t cond = 0; cond < 16; cond++)
        for (uint32_t L = 0; L < 2; L++)
            for (unsigned i = 0; i < 40; i++)
                check(cond << 28 | 0x0a000000u | L << 24 | offset_bits(i, 0xffffff), 4, false,
                      rnd() & ~3u);
}

static void test_t16_b(void **state)
{
    (void)state;
    uint32_t t;
    assert_true(arm_insn_direct_branch(0xe7fe, 2, true, 0x8000, &t));        /* b . */
    assert_int_equal(t, 0x8000);
    assert_true(arm_insn_direct_branch(0xd0fe, 2, true, 0x8000, &t));        /* beq . */
    assert_int_equal(t, 0x8000);
    assert_false(arm_insn_direct_branch(0xdf00, 2, true, 0x8000, &t));       /* svc 0 */
    assert_false(arm_insn_direct_branch(0xde00, 2, true, 0x8000, &t));       /* udf 0 */
    for (uint32_t cond = 0; cond < 16; cond++)
        for (unsigned i = 0; i < 40; i++)
            check(0xd000u | cond << 8 | offset_bits(i, 0xff), 2, true, rnd() & ~1u);
    for (unsigned i = 0; i < 200; i++)
        check(0xe000u | offset_bits(i, 0x7ff), 2, true, rnd() & ~1u);
}

static void test_t32_b(void **state)
{
    (void)state;
    uint32_t t;
    assert_true(arm_insn_direct_branch(0xf7ffbffe, 4, true, 0x8000, &t));    /* b.w . */
    assert_int_equal(t, 0x8000);
    assert_true(arm_insn_direct_branch(0xf43faffe, 4, true, 0x8000, &t));    /* beq.w . */
    assert_int_equal(t, 0x8000);
    assert_false(arm_insn_direct_branch(0xf7fffffe, 4, true, 0x8000, &t));   /* bl . */
    assert_false(arm_insn_direct_branch(0xf3af8000, 4, true, 0x8000, &t));   /* nop.w */
    assert_false(arm_insn_direct_branch(0xf7f0a000, 4, true, 0x8000, &t));   /* udf.w */
    /* Bcc.W: 11110 S cond imm6 10 J1 0 J2 imm11, every cond */
    for (uint32_t cond = 0; cond < 16; cond++)
        for (unsigned i = 0; i < 60; i++) {
            uint32_t off = offset_bits(i, 0x1fffff);   /* S J2 J1 imm6 imm11 */
            uint32_t insn = 0xf0008000u | (off >> 20 & 1) << 26 | cond << 22 | (off >> 11 & 0x3f) << 16 |
                            (off >> 17 & 1) << 13 | (off >> 18 & 1) << 11 | (off & 0x7ff);
            check(insn, 4, true, rnd() & ~1u);
        }
    /* B.W, BL, BLX: 11110 S imm10 1 1 J1 x J2 imm11 with bits 14 and 12 */
    for (uint32_t op = 0; op < 4; op++)
        for (unsigned i = 0; i < 200; i++) {
            uint32_t off = offset_bits(i, 0xffffff);   /* S J1 J2 imm10 imm11 */
            uint32_t insn = 0xf0008000u | (off >> 23 & 1) << 26 | (off >> 11 & 0x3ff) << 16 |
                            (op >> 1) << 14 | (off >> 22 & 1) << 13 | (op & 1) << 12 |
                            (off >> 21 & 1) << 11 | (off & 0x7ff);
            check(insn, 4, true, rnd() & ~1u);
        }
}

static void test_random_words(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 200000; i++) {
        uint32_t w = rnd();
        check(w, 4, false, rnd() & ~3u);
        check(w & 0xffff, 2, true, rnd() & ~1u);
        check(w, 4, true, rnd() & ~1u);
        /* the T32 branch space: 11110 in the first halfword, 1x in the second */
        check(0xf0008000u | (w & 0x07ff7fffu), 4, true, rnd() & ~1u);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a32_b),
        cmocka_unit_test(test_t16_b),
        cmocka_unit_test(test_t32_b),
        cmocka_unit_test(test_random_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
