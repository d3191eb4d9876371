/*
 * test-arm-iwmmxt.c — the XScale coprocessor decoder (iwmmxt.decode) and
 * the iWMMXt cases the differential test cannot take from qemu-arm
 * (tests/iwmmxt/run.sh): shift counts beyond the lane size, TMIA products
 * beyond 32 bits, saturation flags, WZERO, and which models define what.
 * Encodings were produced by `arm-linux-gnueabi-as -mcpu=iwmmxt`; expected
 * values follow the Intel Wireless MMX Technology Developer Guide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-iwmmxt.h"
#include "tests/unit/arm-test-rig.h"

#include "frontend-arm/iwmmxt-decode.h.inc"
#include "frontend-arm/iwmmxt-decode.c.inc"

/* ---- decoding: one pattern per mnemonic --------------------------------------- */

static const struct { uint32_t insn; const char *name; } encodings[] = {
    { 0xec432001, "TMCRR" },   { 0xec532001, "TMRRC" },    { 0xee081110, "TMCR" },
    { 0xee101110, "TMRC" },    { 0xee423050, "TBCST" },    { 0xee623015, "TINSR" },
    { 0xee52107b, "TEXTRM" },  { 0xee921030, "TMOVMSK" },  { 0xee13f177, "TEXTRC" },
    { 0xee53f130, "TANDC" },   { 0xee93f150, "TORC" },     { 0xee202071, "TMIA" },
    { 0xee282071, "TMIAPH" },  { 0xee2e2071, "TMIAxy" },   { 0xed921003, "WLDRB" },
    { 0xec721004, "WLDRH" },   { 0xedb21102, "WLDRW" },    { 0xed521104, "WLDRD" },
    { 0xed821003, "WSTRB" },   { 0xedc21000, "WSTRH" },    { 0xed821101, "WSTRW" },
    { 0xede21102, "WSTRD" },   { 0xfd929101, "WLDRW_wC" }, { 0xfd822100, "WSTRW_wC" },
    { 0xee021003, "WOR" },     { 0xee121003, "WXOR" },     { 0xee221003, "WAND" },
    { 0xee321003, "WANDN" },   { 0xeed21003, "WAVG2" },    { 0xee621023, "WALIGNI" },
    { 0xeea21023, "WALIGNR" }, { 0xeeb21183, "WADD" },     { 0xee1211a3, "WSUB" },
    { 0xee421063, "WCMPEQ" },  { 0xee321063, "WCMPGT" },   { 0xee821163, "WMAX" },
    { 0xee721163, "WMIN" },    { 0xee321103, "WMUL" },     { 0xee521103, "WMAC" },
    { 0xeea21103, "WMADD" },   { 0xee521123, "WSAD" },     { 0xee0211c0, "WACC" },
    { 0xee9211e3, "WSHUFH" },  { 0xee421043, "WSRA" },     { 0xee921149, "WSLL" },
    { 0xeee21043, "WSRL" },    { 0xee721043, "WROR" },     { 0xee921083, "WPACK" },
    { 0xee2210c0, "WUNPCKEH" }, { 0xee5210c3, "WUNPCKIH" }, { 0xee0210e0, "WUNPCKEL" },
    { 0xee9210e3, "WUNPCKIL" }, { 0xee344004, "WANDN" /* wzero wr4 */ },
};

static void test_decode_names(void **state)
{
    (void)state;
    (void)iwmmxt_decode;
    for (size_t i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
        const char *got = iwmmxt_decode_name(encodings[i].insn);
        if (!got || strcmp(got, encodings[i].name) != 0)
            fail_msg("%08x: expected %s, got %s", (unsigned)encodings[i].insn, encodings[i].name,
                     got ? got : "nothing");
    }
    /* cp0 MCR with opcodes iWMMXt does not define */
    assert_null(iwmmxt_decode_name(0xee700010u));
}

/* ---- running snippets on a model ------------------------------------------------- */

static ARMCPU *pxa(const char *model)
{
    ARMCPU *cpu = rig_new_cpu(model);
    assert_non_null(cpu);
    return cpu;
}

/* wr1 = op(wr2, wr3) with wr3 = count (register forms) */
static uint64_t shift_by(uint32_t insn, uint64_t a, uint64_t count)
{
    ARMCPU *cpu = pxa("pxa270");
    cpu->iwmmxt_wr[2] = a;
    cpu->iwmmxt_wr[3] = count;
    assert_int_equal(run_code(cpu, &insn, 1), EXCP_SYSCALL);
    return cpu->iwmmxt_wr[1];
}

#define WSRAH 0xee421043u
#define WSRLH 0xee621043u
#define WSLLW 0xee921043u
#define WSRAW 0xee821043u
#define WSRLD 0xeee21043u
#define WRORH 0xee721043u

static void test_shift_counts(void **state)
{
    (void)state;
    uint64_t v = 0x8000700012348765ull;
    /* at or beyond the lane size: logical shifts give 0, WSRA the sign */
    assert_true(shift_by(WSRLH, v, 16) == 0);
    assert_true(shift_by(WSRLH, v, 200) == 0);
    assert_true(shift_by(WSLLW, v, 32) == 0);
    assert_true(shift_by(WSLLW, v, 64) == 0);
    assert_true(shift_by(WSRLD, v, 64) == 0);
    assert_true(shift_by(WSRLD, v, 255) == 0);
    assert_true(shift_by(WSRAH, v, 17) == 0xffff00000000ffffull);
    assert_true(shift_by(WSRAH, v, 40) == 0xffff00000000ffffull);
    assert_true(shift_by(WSRAW, v, 33) == 0xffffffff00000000ull);
    assert_true(shift_by(WSRAW, v, 100) == 0xffffffff00000000ull);
    /* only wRm[7:0] counts: 0x101 is a shift by 1 */
    assert_true(shift_by(WSRLH, v, 0x101) == 0x40003800091a43b2ull);
    /* rotates reduce the count modulo the lane size */
    assert_true(shift_by(WRORH, v, 20) == shift_by(WRORH, v, 4));
    assert_true(shift_by(WRORH, 0x0001000100010001ull, 1) == 0x8000800080008000ull);
}

static void test_tmia_wide(void **state)
{
    (void)state;
    static const uint32_t tmia = 0xee202071u;     /* tmia wr3, r1, r2 */
    ARMCPU *cpu = pxa("pxa270");
    cpu->iwmmxt_wr[3] = 5;
    cpu->regs[1] = 0x7fffffff;
    cpu->regs[2] = 0x7fffffff;
    assert_int_equal(run_code(cpu, &tmia, 1), EXCP_SYSCALL);
    assert_true(cpu->iwmmxt_wr[3] == 0x3fffffff00000001ull + 5);
    cpu->regs[1] = 0x80000000;                     /* INT32_MIN * INT32_MAX */
    assert_int_equal(run_code(cpu, &tmia, 1), EXCP_SYSCALL);
    assert_true(cpu->iwmmxt_wr[3] == 0x3fffffff00000006ull - 0x3fffffff80000000ull);
}

static void test_saturation_flags(void **state)
{
    (void)state;
    static const uint32_t code[] = {
        0xee1211a3u,      /* wsubbus wr1, wr2, wr3 */
        0xeeb21183u,      /* waddwss wr1, wr2, wr3 -> wr1 again */
    };
    ARMCPU *cpu = pxa("pxa270");
    cpu->iwmmxt_wr[2] = 0x0510ff0000000080ull;
    cpu->iwmmxt_wr[3] = 0x0610000100000001ull;
    assert_int_equal(run_code(cpu, code, 1), EXCP_SYSCALL);
    /* byte lanes: 0x80-1, 0-0 ... 0-1 -> 0 (saturated), 0xff-0, 0x10-0x10, 0x05-0x06 -> 0 */
    assert_true(cpu->iwmmxt_wr[1] == 0x0000ff000000007full);
    assert_int_equal(cpu->iwmmxt_wc[IWMMXT_wCSSF], 0x90);   /* lanes 4 and 7 saturated */
    /* N and Z per byte lane: only lane 5 (0xff) negative */
    assert_int_equal(cpu->iwmmxt_wc[IWMMXT_wCASF], 0x44844440);
    /* signed words: 0x7fffffff + 1 saturates; the sticky bits stay */
    cpu->iwmmxt_wr[2] = 0x7fffffff00000002ull;
    cpu->iwmmxt_wr[3] = 0x0000000100000003ull;
    assert_int_equal(run_code(cpu, code + 1, 1), EXCP_SYSCALL);
    assert_true(cpu->iwmmxt_wr[1] == 0x7fffffff00000005ull);
    assert_int_equal(cpu->iwmmxt_wc[IWMMXT_wCSSF], 0xf0 | 0x90);
}

static void test_wzero(void **state)
{
    (void)state;
    static const uint32_t wzero = 0xee344004u;    /* wzero wr4 = wandn wr4, wr4, wr4 */
    ARMCPU *cpu = pxa("pxa270");
    cpu->iwmmxt_wr[4] = 0x1234567890abcdf0ull;
    assert_int_equal(run_code(cpu, &wzero, 1), EXCP_SYSCALL);
    assert_true(cpu->iwmmxt_wr[4] == 0);
    assert_int_equal(cpu->iwmmxt_wc[IWMMXT_wCASF], 1u << 30);   /* Z */
}

/* Which model defines which encoding (EXCP_UDEF: SIGILL). */
static void test_models(void **state)
{
    (void)state;
    static const struct { const char *model; uint32_t insn; bool defined; } gates[] = {
        { "pxa270", 0xee021003u, true },     /* wor */
        { "pxa250", 0xee021003u, false },
        { "arm926", 0xee021003u, false },
        { "max", 0xee021003u, false },
        { "pxa255", 0xee202011u, true },     /* mia acc0, r1, r2 */
        { "pxa255", 0xee202071u, false },    /* tmia wr3: no acc3 */
        { "pxa262", 0xec454000u, true },     /* mar acc0, r4, r5 */
        { "pxa262", 0xec454001u, false },    /* mar acc1 */
        { "cortex-a15", 0xee202011u, false },
        { "pxa250", 0xee101110u, false },    /* tmrc (cp1) */
        { "pxa270", 0xfd929101u, true },     /* wldrw wcgr1, [r2, #4] */
        { "pxa250", 0xfd929101u, false },
        { "pxa270", 0xee081f10u, false },    /* tmcr wcgr0, pc */
        { "pxa270", 0xee041110u, false },    /* tmcr to control register 4, which does not exist */
    };
    for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
        ARMCPU *cpu = pxa(gates[i].model);
        cpu->regs[2] = DATA;
        int excp = run_code(cpu, &gates[i].insn, 1);
        if (excp != (gates[i].defined ? EXCP_SYSCALL : EXCP_UDEF))
            fail_msg("%s %08x: exception %d", gates[i].model, (unsigned)gates[i].insn, excp);
    }
}

/* The models' wCID and a round trip through the control registers. */
static void test_control(void **state)
{
    (void)state;
    static const uint32_t code[] = {
        0xee101110u,      /* tmrc r1, wcid */
        0xee082110u,      /* tmcr wcgr0, r2 */
        0xee183110u,      /* tmrc r3, wcgr0 */
    };
    ARMCPU *cpu = pxa("pxa270-c5");
    cpu->regs[2] = 0xdeadbeef;
    assert_int_equal(run_code(cpu, code, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[1], 0x69051051);
    assert_int_equal(cpu->regs[3], 0xdeadbeef);
    assert_int_equal(cpu->iwmmxt_wc[IWMMXT_wCon], IWMMXT_WCON_CUP);
}

#define BOTH(fn) cmocka_unit_test_setup(fn, setup_interp), cmocka_unit_test_setup(fn, setup_x86)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_names),
        BOTH(test_shift_counts),
        BOTH(test_tmia_wide),
        BOTH(test_saturation_flags),
        BOTH(test_wzero),
        BOTH(test_models),
        BOTH(test_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
