/* Unit tests for exec/backend-reloc.c, the relocation forms the persistent
 * translation cache moves blocks with (docs/translation-cache.md), on any
 * build machine: each A64 form emitted by backend-aarch64's encoder at one
 * address, read back, rewritten for another address and target, and the
 * result disassembled by capstone (ARM64) at its new address, whose target
 * must be the one asked for; the reach of each form at its edges (a target
 * out of reach is refused and the bytes stay as they were); bytes that are
 * not the form; and x86_64's rel32 and 64-bit words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>

#include "backend-aarch64/a64-encode.h"
#include "exec/backend-reloc.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static csh cs;
static uint8_t buf[64] __attribute__((aligned(16)));
static BackendAsm a;

static void start_at(uint64_t rx) { backend_asm_init(&a, buf, (uintptr_t)rx, sizeof(buf)); }

/* Capstone's text of the n instructions at buf, run at address `at`. */
static const char *dis(uint64_t at, unsigned n)
{
    static char out[256];
    cs_insn *insn;
    size_t count = cs_disasm(cs, buf, 4 * n, at, n, &insn);
    assert_int_equal(count, n);
    out[0] = 0;
    for (size_t i = 0; i < count; i++)
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s %s", i ? "; " : "", insn[i].mnemonic,
                 insn[i].op_str);
    cs_free(insn, count);
    return out;
}

/* Capstone's immediate operand of instruction i (of n) at buf, run at `at`. */
static int64_t dis_imm(uint64_t at, unsigned i, unsigned n)
{
    cs_insn *insn;
    size_t count = cs_disasm(cs, buf, 4 * n, at, n, &insn);
    assert_int_equal(count, n);
    const cs_arm64 *d = &insn[i].detail->arm64;
    int64_t v = 0;
    bool found = false;
    for (unsigned k = 0; k < d->op_count; k++)
        if (d->operands[k].type == ARM64_OP_IMM) {
            v = d->operands[k].imm;
            found = true;
        }
    cs_free(insn, count);
    assert_true(found);
    return v;
}

/* ---- B / BL (imm26) ------------------------------------------------------------ */

static void test_b26(void **state)
{
    (void)state;
    const uint64_t at = 0x7f0012345000ull;
    for (int link = 0; link < 2; link++) {
        start_at(at);
        assert_true(link ? a64_bl(&a, (uintptr_t)(at - 0x1000)) : a64_b(&a, (uintptr_t)(at - 0x1000)));
        uint64_t v;
        assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_B26, buf, 4), 4);
        assert_true(backend_reloc_get(BACKEND_RELOC_A64_B26, buf, 4, at, &v));
        assert_int_equal(v, at - 0x1000);
        /* moved: the block lands elsewhere, the target is where it was */
        static const int64_t deltas[] = { 0, 4, -4, 0x123450, -0x123450, (int64_t)(128 * MiB) - 4, -(int64_t)(128 * MiB) };
        for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
            uint64_t at2 = 0x7f0020000000ull, target = at2 + (uint64_t)deltas[i];
            assert_true(backend_reloc_fits(BACKEND_RELOC_A64_B26, buf, 4, at2, target));
            assert_true(backend_reloc_set(BACKEND_RELOC_A64_B26, buf, 4, at2, target));
            assert_true(backend_reloc_get(BACKEND_RELOC_A64_B26, buf, 4, at2, &v));
            assert_int_equal(v, target);
            /* capstone, at the new place: the same B or BL, to target */
            assert_int_equal(strncmp(dis(at2, 1), link ? "bl #" : "b #", link ? 4 : 3), 0);
            assert_int_equal((uint64_t)dis_imm(at2, 0, 1), target);
        }
        /* out of reach (one word past 128 MiB either way) or misaligned:
         * refused, nothing written */
        uint32_t before;
        memcpy(&before, buf, 4);
        static const int64_t bad[] = { (int64_t)(128 * MiB), -(int64_t)(128 * MiB) - 4, 2, (int64_t)(4 * GiB) };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            uint64_t at2 = 0x7f0020000000ull;
            assert_false(backend_reloc_fits(BACKEND_RELOC_A64_B26, buf, 4, at2, at2 + (uint64_t)bad[i]));
            assert_false(backend_reloc_set(BACKEND_RELOC_A64_B26, buf, 4, at2, at2 + (uint64_t)bad[i]));
            assert_memory_equal(buf, &before, 4);
        }
    }
}

/* ---- ADRP + ADD ------------------------------------------------------------------ */

static void emit_adrp_add(uint64_t at, int rd, uint64_t addr)
{
    start_at(at);
    assert_true(a64_adrp(&a, rd, (uintptr_t)addr));
    a64_addsub_imm(&a, A64_ADD, true, rd, rd, addr & 0xfff);
}

static void test_adrp_add(void **state)
{
    (void)state;
    const uint64_t at = 0x7f0012345678ull & ~3ull;
    emit_adrp_add(at, A64_X16, at + 0x2345);
    uint64_t v;
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_ADRP_ADD, buf, 8), 8);
    assert_true(backend_reloc_get(BACKEND_RELOC_A64_ADRP_ADD, buf, 8, at, &v));
    assert_int_equal(v, at + 0x2345);
    /* every page offset, both directions, the edges of +-4 GiB (in pages
     * from the instruction's page) */
    const uint64_t at2 = 0x7f8000000ffcull;
    static const int64_t deltas[] = { 0, 1, 0xfff, 0x1000, -0x1000, -1, 0x12345678, -0x12345678,
                                      (int64_t)(4 * GiB) - 0x1000 - 0xffc + 0xfff, -(int64_t)(4 * GiB) - 0xffc };
    for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
        uint64_t target = at2 + (uint64_t)deltas[i];
        assert_true(backend_reloc_set(BACKEND_RELOC_A64_ADRP_ADD, buf, 8, at2, target));
        assert_true(backend_reloc_get(BACKEND_RELOC_A64_ADRP_ADD, buf, 8, at2, &v));
        assert_int_equal(v, target);
        /* capstone: adrp x16, #page; add x16, x16, #lo12 */
        const char *t = dis(at2, 2);
        assert_true(strncmp(t, "adrp x16, #", 11) == 0);
        assert_non_null(strstr(t, "; add x16, x16, #"));
        assert_int_equal((uint64_t)dis_imm(at2, 0, 2) + (uint64_t)dis_imm(at2, 1, 2), target);
    }
    uint8_t before[8];
    memcpy(before, buf, 8);
    static const int64_t bad[] = { (int64_t)(4 * GiB) + 0x1000, -(int64_t)(4 * GiB) - 0x1000 - 0xffc, (int64_t)(1ull << 40) };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(backend_reloc_set(BACKEND_RELOC_A64_ADRP_ADD, buf, 8, at2, at2 + (uint64_t)bad[i]));
        assert_memory_equal(buf, before, 8);
    }
    /* not the form: an ADD of another register, an ADD with LSL #12, no ADD */
    start_at(at);
    a64_adrp(&a, A64_X16, (uintptr_t)at);
    a64_addsub_imm(&a, A64_ADD, true, A64_X17, A64_X16, 8);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_ADRP_ADD, buf, 8), 0);
    assert_false(backend_reloc_get(BACKEND_RELOC_A64_ADRP_ADD, buf, 8, at, &v));
    start_at(at);
    a64_adrp(&a, A64_X16, (uintptr_t)at);
    a64_addsub_imm(&a, A64_ADD, true, A64_X16, A64_X16, 0x1000);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_ADRP_ADD, buf, 8), 0);
    emit_adrp_add(at, A64_X0, at);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_ADRP_ADD, buf, 4), 0);   /* cut short */
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_ADRP_ADD, buf, 8), 8);
}

/* ---- MOVZ + MOVKs ------------------------------------------------------------------ */

static void emit_movw(int rd, uint64_t v, unsigned words)
{
    start_at(0x7f0000001000ull);
    a64_movz(&a, true, rd, (uint16_t)v, 0);
    for (unsigned i = 1; i < words; i++)
        a64_movk(&a, true, rd, (uint16_t)(v >> 16 * i), 16 * i);
    a64_br(&a, rd);                          /* what follows is not part of it */
}

static void test_movw(void **state)
{
    (void)state;
    for (unsigned words = 2; words <= 4; words++) {
        uint64_t v0 = words == 4 ? 0x8123456789abcdefull : words == 3 ? 0xaaaa00001234ull : 0x5678;
        emit_movw(A64_X16, v0, words);
        uint64_t v;
        assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, sizeof(buf)), 4 * words);
        assert_true(backend_reloc_get(BACKEND_RELOC_A64_MOVW, buf, sizeof(buf), 0, &v));
        assert_int_equal(v, v0);
        /* any address the words cover, zero halfwords included; the
         * position does not matter */
        static const uint64_t vals[] = { 0, 0xffff, 0x10000, 0xfffe0000, 0xffff00000000ull, 0x0000ffffffffffffull,
                                         0xffffaaaabbbbccccull, 0x1000000000000ull };
        for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
            bool fits = words == 4 || vals[i] >> (16 * words) == 0;
            uint8_t before[sizeof(buf)];
            memcpy(before, buf, sizeof(buf));
            assert_int_equal(backend_reloc_fits(BACKEND_RELOC_A64_MOVW, buf, sizeof(buf), 0x1234, vals[i]), fits);
            assert_int_equal(backend_reloc_set(BACKEND_RELOC_A64_MOVW, buf, sizeof(buf), 0x1234, vals[i]), fits);
            if (!fits) {
                assert_memory_equal(buf, before, sizeof(buf));
                continue;
            }
            assert_true(backend_reloc_get(BACKEND_RELOC_A64_MOVW, buf, sizeof(buf), 0x5678, &v));
            assert_int_equal(v, vals[i]);
            /* capstone: the words still MOVZ x16 then MOVK x16 ..., lsl #16*i, and a BR */
            uint64_t sum = 0;
            for (unsigned k = 0; k < words; k++) {
                cs_insn *insn;
                assert_int_equal(cs_disasm(cs, buf + 4 * k, 4, 0, 1, &insn), 1);
                /* capstone shows a MOVZ of 0 as "mov x16, #0" and others as mov */
                assert_true(strcmp(insn[0].mnemonic, k ? "movk" : "mov") == 0 ||
                            strcmp(insn[0].mnemonic, k ? "movk" : "movz") == 0);
                const cs_arm64 *d = &insn[0].detail->arm64;
                assert_int_equal(d->operands[0].reg, ARM64_REG_X16);
                uint64_t imm = (uint64_t)d->operands[1].imm;
                if (k)
                    imm <<= d->operands[1].shift.value;
                sum |= imm;
                cs_free(insn, 1);
            }
            assert_int_equal(sum, vals[i]);
            assert_string_equal(dis(0, words + 1) + strlen(dis(0, words + 1)) - 6, "br x16");
        }
    }
    /* not the form: a MOVK of another register or out of order ends the
     * sequence; a MOVN or a 32-bit MOVZ is none */
    start_at(0);
    a64_movz(&a, true, A64_X16, 1, 0);
    a64_movk(&a, true, A64_X17, 2, 16);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, 8), 4);
    start_at(0);
    a64_movz(&a, true, A64_X16, 1, 0);
    a64_movk(&a, true, A64_X16, 2, 32);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, 8), 4);
    start_at(0);
    a64_movn(&a, true, A64_X16, 1, 0);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, 4), 0);
    start_at(0);
    a64_movz(&a, false, A64_X16, 1, 0);
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, 4), 0);
    start_at(0);
    a64_movz(&a, true, A64_X16, 1, 16);      /* hw 1 first: not a sequence */
    assert_int_equal(backend_reloc_size(BACKEND_RELOC_A64_MOVW, buf, 4), 0);
}

/* ---- x86_64's forms, FIXED and unknown kinds ---------------------------------------- */

static void test_x86_forms_and_unknown(void **state)
{
    (void)state;
    uint8_t f[8] = { 0 };
    uint64_t v;
    const uint64_t at = 0x7f0000000000ull;
    assert_true(backend_reloc_set(BACKEND_RELOC_REL32, f, 4, at, at + 4 + 0x7fffffff));
    assert_true(backend_reloc_get(BACKEND_RELOC_REL32, f, 4, at, &v));
    assert_int_equal(v, at + 4 + 0x7fffffff);
    assert_false(backend_reloc_set(BACKEND_RELOC_REL32, f, 4, at, at + 4 + 0x80000000ull));
    assert_true(backend_reloc_set(BACKEND_RELOC_REL32, f, 4, at, at + 4 - 0x80000000ull));
    assert_true(backend_reloc_get(BACKEND_RELOC_REL32, f, 4, at, &v));
    assert_int_equal(v, at + 4 - 0x80000000ull);
    for (uint32_t k = BACKEND_RELOC_IMM64; k <= BACKEND_RELOC_ABS64; k++) {
        assert_true(backend_reloc_set(k, f, 8, at, 0x123456789abcdef0ull));
        assert_true(backend_reloc_get(k, f, 8, 0, &v));
        assert_int_equal(v, 0x123456789abcdef0ull);
        assert_int_equal(backend_reloc_size(k, f, 7), 0);
    }
    static const uint32_t none[] = { 0, BACKEND_RELOC_FIXED, 8, 0x105, UINT32_MAX };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        assert_int_equal(backend_reloc_size(none[i], f, 8), 0);
        assert_false(backend_reloc_get(none[i], f, 8, at, &v));
        assert_false(backend_reloc_set(none[i], f, 8, at, at));
    }
    /* an A64 form over other words */
    start_at(at);
    a64_addsub_imm(&a, A64_ADD, true, A64_X0, A64_X0, 1);
    a64_addsub_imm(&a, A64_ADD, true, A64_X0, A64_X0, 1);
    for (uint32_t k = BACKEND_RELOC_A64_B26; k <= BACKEND_RELOC_A64_MOVW; k++)
        assert_int_equal(backend_reloc_size(k, buf, 8), 0);
}

static int setup(void **state)
{
    (void)state;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
        return -1;
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cs_close(&cs);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b26),
        cmocka_unit_test(test_adrp_add),
        cmocka_unit_test(test_movw),
        cmocka_unit_test(test_x86_forms_and_unknown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
