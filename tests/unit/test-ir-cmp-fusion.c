/* Unit tests for compare-and-branch fusion (ir/ir-opt-cmp-fusion.c): the
 * ARM frontend's flag shapes for every two-operand condition become one
 * brcond on the compared values, the outcome is the same as before for
 * edge values (checked in the interpreter and against the ARM meaning of
 * each condition), and nothing is fused when an operand changed between
 * the compare and the branch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/ir-test-cpu.h"

static TestRig rig;

/* ARM conditions as the frontend tests them (frontend-arm/arm-translate.c,
 * gen_branch_if) after "cmp r0, r1" keeps NF/ZF in r6, CF in r4, VF in r5. */
enum { C_CS = 2, C_CC = 3, C_HI = 8, C_LS = 9, C_GE = 10, C_LT = 11, C_GT = 12, C_LE = 13 };

static bool arm_cond_holds(unsigned cond, uint32_t a, uint32_t b)
{
    switch (cond) {
    case C_CS: return a >= b;
    case C_CC: return a < b;
    case C_HI: return a > b;
    case C_LS: return a <= b;
    case C_GE: return (int32_t)a >= (int32_t)b;
    case C_LT: return (int32_t)a < (int32_t)b;
    case C_GT: return (int32_t)a > (int32_t)b;
    default: return (int32_t)a <= (int32_t)b;
    }
}

/* cmp r0, r1 ; b<cond> L0 ; r3 = 1 ; exit ; L0: r3 = 2 ; exit.
 * If clobber, r0 is rewritten between the compare and the branch. */
static void build(IRBlock *b, unsigned cond, bool clobber)
{
    IRTemp a = rig.r[0], x = rig.r[1], zero = ir_const32(b, 0);
    IRTemp t = ir_sub(b, a, x);
    IRTemp v = ir_and(b, ir_xor(b, a, x), ir_xor(b, a, t));
    ir_mov_to(b, rig.r[4], ir_setcond(b, IR_COND_GEU, a, x));   /* CF */
    ir_mov_to(b, rig.r[5], v);                                  /* VF */
    ir_mov_to(b, rig.r[6], t);                                  /* NF, ZF */
    if (clobber)
        ir_mov_to(b, a, ir_const32(b, 77));
    unsigned l0 = ir_label_new(b);
    IRTemp n;
    switch (cond) {
    case C_CS: ir_brcond(b, IR_COND_NE, rig.r[4], zero, l0); break;
    case C_CC: ir_brcond(b, IR_COND_EQ, rig.r[4], zero, l0); break;
    case C_HI: case C_LS:
        n = ir_neg(b, rig.r[4]);
        ir_brcond(b, cond == C_HI ? IR_COND_TSTNE : IR_COND_TSTEQ, n, rig.r[6], l0);
        break;
    case C_GE: case C_LT:
        n = ir_xor(b, rig.r[6], rig.r[5]);
        ir_brcond(b, cond == C_GE ? IR_COND_GE : IR_COND_LT, n, zero, l0);
        break;
    default:
        n = ir_sari(b, ir_xor(b, rig.r[6], rig.r[5]), 31);
        n = ir_andc(b, rig.r[6], n);
        ir_brcond(b, cond == C_GT ? IR_COND_NE : IR_COND_EQ, n, zero, l0);
        break;
    }
    ir_mov_to(b, rig.r[3], ir_const32(b, 1));
    test_end_block(b);
    ir_set_label(b, l0);
    ir_mov_to(b, rig.r[3], ir_const32(b, 2));
    test_end_block(b);
}

static const IROp *the_brcond(const IRBlock *b)
{
    for (unsigned i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc == IR_OP_brcond)
            return &b->ops[i];
    fail_msg("no brcond left");
    return NULL;
}

static uint32_t run(const IRBlock *b, uint32_t a, uint32_t x)
{
    memset(rig.cpu.r, 0, sizeof(rig.cpu.r));
    rig.cpu.r[0] = a;
    rig.cpu.r[1] = x;
    test_run(&rig, b);
    return rig.cpu.r[3];
}

static const uint32_t edge[] = { 0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 1234 };

static void check_cond(unsigned cond, IRCond want)
{
    IRBlock plain, opt;
    ir_block_init(&plain, &rig.gs, 0x8000);
    ir_block_init(&opt, &rig.gs, 0x8000);
    build(&plain, cond, false);
    build(&opt, cond, false);
    ir_optimize(&opt);
    assert_int_equal(ir_verify(&opt, stderr), 0);
    const IROp *br = the_brcond(&opt);
    assert_int_equal(ir_op_const(br, 0), want);
    assert_int_equal(ir_op_in(br, 0), rig.r[0]);
    assert_int_equal(ir_op_in(br, 1), rig.r[1]);
    /* the ops that only fed the branch are gone */
    for (unsigned i = 0; i < opt.n_ops; i++)
        assert_true(opt.ops[i].opc != IR_OP_neg && opt.ops[i].opc != IR_OP_sar && opt.ops[i].opc != IR_OP_andc);
    for (unsigned i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
        for (unsigned j = 0; j < sizeof(edge) / sizeof(edge[0]); j++) {
            uint32_t expect = arm_cond_holds(cond, edge[i], edge[j]) ? 2 : 1;
            assert_int_equal(run(&plain, edge[i], edge[j]), expect);
            assert_int_equal(run(&opt, edge[i], edge[j]), expect);
        }
    ir_block_free(&plain);
    ir_block_free(&opt);
}

static void test_fuses_unsigned(void **state)
{
    (void)state;
    check_cond(C_CS, IR_COND_GEU);
    check_cond(C_CC, IR_COND_LTU);
    check_cond(C_HI, IR_COND_GTU);
    check_cond(C_LS, IR_COND_LEU);
}

static void test_fuses_signed(void **state)
{
    (void)state;
    check_cond(C_GE, IR_COND_GE);
    check_cond(C_LT, IR_COND_LT);
    check_cond(C_GT, IR_COND_GT);
    check_cond(C_LE, IR_COND_LE);
}

/* r0 is overwritten after the compare: the branch must keep testing the
 * flags (comparing the new r0 would be wrong). */
static void test_no_fusion_after_operand_write(void **state)
{
    (void)state;
    static const unsigned conds[] = { C_CS, C_HI, C_LS, C_GE, C_GT, C_LE };
    for (unsigned c = 0; c < sizeof(conds) / sizeof(conds[0]); c++) {
        IRBlock opt;
        ir_block_init(&opt, &rig.gs, 0x8000);
        build(&opt, conds[c], true);
        ir_optimize(&opt);
        const IROp *br = the_brcond(&opt);
        assert_false(ir_op_in(br, 0) == rig.r[0] && ir_op_in(br, 1) == rig.r[1]);
        for (unsigned i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
            for (unsigned j = 0; j < sizeof(edge) / sizeof(edge[0]); j++)
                assert_int_equal(run(&opt, edge[i], edge[j]), arm_cond_holds(conds[c], edge[i], edge[j]) ? 2 : 1);
        ir_block_free(&opt);
    }
}

/* A label between the compare and the branch: another path may arrive
 * with other flags, so nothing is fused. */
static void test_no_fusion_across_label(void **state)
{
    (void)state;
    IRBlock b;
    ir_block_init(&b, &rig.gs, 0x8000);
    IRTemp t = ir_sub(&b, rig.r[0], rig.r[1]);
    ir_mov_to(&b, rig.r[4], ir_setcond(&b, IR_COND_GEU, rig.r[0], rig.r[1]));
    ir_mov_to(&b, rig.r[6], t);
    unsigned l1 = ir_label_new(&b), l0 = ir_label_new(&b);
    ir_brcond(&b, IR_COND_EQ, rig.r[2], ir_const32(&b, 0), l1);
    ir_mov_to(&b, rig.r[4], ir_const32(&b, 0));
    ir_set_label(&b, l1);
    IRTemp n = ir_neg(&b, rig.r[4]);
    ir_brcond(&b, IR_COND_TSTNE, n, rig.r[6], l0);
    ir_mov_to(&b, rig.r[3], ir_const32(&b, 1));
    test_end_block(&b);
    ir_set_label(&b, l0);
    ir_mov_to(&b, rig.r[3], ir_const32(&b, 2));
    test_end_block(&b);
    assert_int_equal(ir_pass_cmp_fusion(&b), 0);
    ir_block_free(&b);
}

int main(void)
{
    test_rig_init(&rig);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuses_unsigned),
        cmocka_unit_test(test_fuses_signed),
        cmocka_unit_test(test_no_fusion_after_operand_write),
        cmocka_unit_test(test_no_fusion_across_label),
    };
    return cmocka_run_group_tests_name("ir-cmp-fusion", tests, NULL, NULL);
}
