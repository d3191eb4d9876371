/* Unit tests for the IR verifier and the dumper (the verifier's diagnostics
 * print the offending op with the dumper). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/ir-test-cpu.h"

static TestRig rig;
static IRBlock blk;
static char *diag;
static size_t diag_len;

static int setup(void **state)
{
    (void)state;
    test_rig_init(&rig);
    ir_block_init(&blk, &rig.gs, 0x8000);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ir_block_free(&blk);
    free(diag);
    diag = NULL;
    return 0;
}

/* Runs the verifier, keeping its diagnostics in `diag`. */
static int verify(void)
{
    free(diag);
    diag = NULL;
    FILE *f = open_memstream(&diag, &diag_len);
    int r = ir_verify(&blk, f);
    fclose(f);
    return r;
}

static void expect_error(const char *needle)
{
    assert_int_equal(verify(), -1);
    if (!strstr(diag, needle)) {
        fprintf(stderr, "diagnostic was:\n%s\nexpected to contain: %s\n", diag, needle);
        fail();
    }
}

static char *dump_op_text(const IROp *op)
{
    static char buf[256];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    ir_dump_op(&blk, op, f);
    fclose(f);
    return buf;
}

static void test_valid_block_passes(void **state)
{
    (void)state;
    unsigned l = ir_label_new(&blk);
    ir_insn_start(&blk, 0x8000);
    IRTemp t = ir_add(&blk, rig.r[1], ir_const32(&blk, 4));
    ir_mov_to(&blk, rig.r[0], t);
    ir_brcond(&blk, IR_COND_NE, t, ir_const32(&blk, 0), l);
    ir_goto_tb(&blk, 0);
    ir_mov_to(&blk, rig.r[7], ir_const32(&blk, 0x8004));
    ir_exit_tb(&blk, IR_EXIT_CHAIN0);
    ir_set_label(&blk, l);
    ir_goto_tb(&blk, 1);
    ir_mov_to(&blk, rig.r[7], ir_const32(&blk, 0x9000));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    assert_int_equal(verify(), 0);
    assert_int_equal(diag_len, 0);
}

static void test_arg_counts_checked(void **state)
{
    (void)state;
    unsigned i = ir_emit(&blk, IR_OP_add, (uint64_t[]){ ir_temp_new(&blk, IR_I32), rig.r[0], rig.r[1] });
    test_end_block(&blk);
    blk.ops[i].n_in = 1;
    expect_error("op 0: add: has 1/1/0 out/in/const args, the op table says 1/2/0");
}

static void test_temp_range_and_const_output(void **state)
{
    (void)state;
    IRTemp c = ir_const32(&blk, 3);
    ir_mov_to(&blk, c, rig.r[0]);
    test_end_block(&blk);
    expect_error("output 0 is a constant");

    ir_block_reset(&blk, 0);
    ir_mov_to(&blk, rig.r[0], 9999);
    test_end_block(&blk);
    expect_error("input temp 9999 out of range");
}

static void test_types_checked(void **state)
{
    (void)state;
    ir_op2_to(&blk, IR_OP_add, rig.r[0], rig.r[1], rig.x[0]);
    test_end_block(&blk);
    expect_error("type mismatch");
    assert_non_null(strstr(diag, "r0 = add r1, x0"));    /* the op is dumped */

    ir_block_reset(&blk, 0);
    ir_op1_to(&blk, IR_OP_extu_i32_i64, rig.x[0], rig.r[0]);   /* correct */
    test_end_block(&blk);
    assert_int_equal(verify(), 0);

    ir_block_reset(&blk, 0);
    ir_op1_to(&blk, IR_OP_extu_i32_i64, rig.x[0], rig.x[1]);
    test_end_block(&blk);
    expect_error("input has type i64, expected i32");

    ir_block_reset(&blk, 0);
    ir_op1_to(&blk, IR_OP_extrl_i64_i32, rig.x[0], rig.x[1]);
    test_end_block(&blk);
    expect_error("output has type i64, expected i32");

    ir_block_reset(&blk, 0);
    ir_mov_to(&blk, rig.r[0], ir_ld(&blk, IR_I32, rig.r[1], IR_MO_Q));
    test_end_block(&blk);
    expect_error("64-bit memory access with an i32 value");

    ir_block_reset(&blk, 0);
    ir_mov_to(&blk, rig.x[0], ir_ld(&blk, IR_I64, rig.x[1], IR_MO_Q | IR_MO_BSWAP));  /* i64 address ok */
    ir_st(&blk, rig.r[0], rig.r[1], IR_MO_UL);
    test_end_block(&blk);
    assert_int_equal(verify(), 0);

    ir_block_reset(&blk, 0);
    ir_mov_to(&blk, rig.r[0], ir_extract(&blk, rig.r[1], 30, 4));
    test_end_block(&blk);
    expect_error("bitfield pos 30 len 4 does not fit 32 bits");

    ir_block_reset(&blk, 0);
    ir_mov_to(&blk, rig.r[0], ir_setcond(&blk, (IRCond)99, rig.r[1], rig.r[2]));
    test_end_block(&blk);
    expect_error("invalid condition 99");
}

static void test_labels_checked(void **state)
{
    (void)state;
    unsigned l0 = ir_label_new(&blk), l1 = ir_label_new(&blk);
    ir_br(&blk, l1);
    ir_set_label(&blk, l0);
    ir_set_label(&blk, l0);
    test_end_block(&blk);
    assert_int_equal(verify(), -1);
    assert_non_null(strstr(diag, "op 2: label L0 defined more than once"));
    assert_non_null(strstr(diag, "branch to label L1, which is never defined"));

    ir_block_reset(&blk, 0);
    ir_br(&blk, 5);
    test_end_block(&blk);
    expect_error("label L5 out of range");
}

static void test_block_end_checked(void **state)
{
    (void)state;
    expect_error("empty block");
    assert_int_equal(ir_verify(&blk, NULL), -1);     /* silent mode */

    ir_mov_to(&blk, rig.r[0], rig.r[1]);
    expect_error("op 0: the block does not end with an exit op");

    /* trailing nops are fine, goto_tb must reach its exit_tb */
    ir_block_reset(&blk, 0);
    ir_goto_tb(&blk, 0);
    ir_mov_to(&blk, rig.r[7], ir_const32(&blk, 4));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    expect_error("must use kind chain0");

    ir_block_reset(&blk, 0);
    ir_goto_tb(&blk, 0);
    ir_goto_lookup(&blk);
    expect_error("is not followed by its exit_tb");

    ir_block_reset(&blk, 0);
    ir_goto_tb(&blk, 2);
    ir_exit_tb(&blk, IR_EXIT_CHAIN0);
    expect_error("goto_tb slot 2");

    ir_block_reset(&blk, 0);
    ir_exit_tb(&blk, (IRExitKind)7);
    expect_error("exit_tb kind 7");
}

static uint64_t dummy_helper(uint64_t a) { return a; }

static void test_calls_checked(void **state)
{
    (void)state;
    static const IRHelper h = { .name = "dummy", .fn = (void *)dummy_helper, .flags = IR_HELPER_PURE,
        .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
    IRTemp in[1] = { rig.r[0] };
    ir_mov_to(&blk, rig.r[1], ir_call_helper(&blk, &h, in));
    test_end_block(&blk);
    assert_int_equal(verify(), 0);

    blk.ops[0].n_in = 0;          /* the helper takes one argument */
    blk.ops[0].args[1] = (uint64_t)(uintptr_t)&h;
    expect_error("call to dummy has 0 inputs, helper takes 1");

    ir_block_reset(&blk, 0);
    IRTemp in64[1] = { rig.x[0] };
    ir_call(&blk, &h, rig.r[1], in64);
    test_end_block(&blk);
    expect_error("argument 0 has the wrong type");

    ir_block_reset(&blk, 0);
    ir_call(&blk, &h, IR_TEMP_NONE, in);
    test_end_block(&blk);
    expect_error("has 0 outputs, helper returns a result");
}

static void test_use_before_def(void **state)
{
    (void)state;
    IRTemp t = ir_temp_new(&blk, IR_I32);
    ir_mov_to(&blk, rig.r[0], t);
    ir_mov_to(&blk, t, rig.r[1]);
    test_end_block(&blk);
    char want[64];
    snprintf(want, sizeof(want), "op 0: local t%u is read before it is written", t);
    expect_error(want);
}

static void test_dump_format(void **state)
{
    (void)state;
    static const IRHelper h = { .name = "dummy", .fn = (void *)dummy_helper, .flags = IR_HELPER_PURE,
        .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
    unsigned l = ir_label_new(&blk), l2 = ir_label_new(&blk);
    (void)l;
    ir_insn_start(&blk, 0x8004);
    IRTemp t = ir_add(&blk, rig.r[1], ir_const32(&blk, 4));
    ir_brcond(&blk, IR_COND_LTU, t, ir_const32(&blk, 0), l2);
    ir_set_label(&blk, l2);
    IRTemp v = ir_ld(&blk, IR_I32, t, IR_MO_UL);
    ir_st(&blk, v, t, IR_MO_SB);
    ir_st(&blk, v, t, IR_MO_UW | IR_MO_BSWAP);
    IRTemp in[1] = { v };
    ir_call(&blk, &h, rig.r[2], in);
    ir_exit_tb(&blk, IR_EXIT_CHAIN0);

    char want[8][64];
    snprintf(want[0], 64, " t%u = add r1, $0x4\n", t);
    snprintf(want[1], 64, " brcond ltu t%u, $0x0, L1\n", t);
    snprintf(want[2], 64, " t%u = ld.ul [t%u]\n", v, t);
    snprintf(want[3], 64, " st.sb t%u, [t%u]\n", v, t);
    snprintf(want[4], 64, " st.uw.be t%u, [t%u]\n", v, t);
    snprintf(want[5], 64, " r2 = call dummy(t%u)\n", v);
    assert_string_equal(dump_op_text(&blk.ops[0]), " ---- 0x00008004\n");
    assert_string_equal(dump_op_text(&blk.ops[1]), want[0]);
    assert_string_equal(dump_op_text(&blk.ops[2]), want[1]);
    assert_string_equal(dump_op_text(&blk.ops[3]), " L1:\n");
    assert_string_equal(dump_op_text(&blk.ops[4]), want[2]);
    assert_string_equal(dump_op_text(&blk.ops[5]), want[3]);
    assert_string_equal(dump_op_text(&blk.ops[6]), want[4]);
    assert_string_equal(dump_op_text(&blk.ops[7]), want[5]);
    assert_string_equal(dump_op_text(&blk.ops[8]), " exit_tb chain0\n");

    char *all = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&all, &len);
    ir_dump(&blk, f);
    fclose(f);
    assert_non_null(strstr(all, want[0]));
    assert_non_null(strstr(all, " L1:\n"));
    free(all);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_valid_block_passes),
        T(test_arg_counts_checked),
        T(test_temp_range_and_const_output),
        T(test_types_checked),
        T(test_labels_checked),
        T(test_block_end_checked),
        T(test_calls_checked),
        T(test_use_before_def),
        T(test_dump_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
