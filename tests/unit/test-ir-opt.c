/* Unit tests for the IR passes: constant folding, copy propagation, dead-code
 * elimination, the pipeline, and a differential test that runs thousands of
 * random blocks in the interpreter before and after each pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/ir-test-cpu.h"

static TestRig rig;
static IRBlock blk;

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
    return 0;
}

static void verify_ok(const IRBlock *b)
{
    if (ir_verify(b, stderr) != 0) {
        ir_dump(b, stderr);
        fail();
    }
}

/* Number of ops with opcode opc (nops ignored). */
static unsigned count_ops(const IRBlock *b, IROpcode opc)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->n_ops; i++)
        n += b->ops[i].opc == opc;
    return n;
}

/* Number of (non-nop) ops writing temp t. */
static unsigned count_writes(const IRBlock *b, IRTemp t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->n_ops; i++) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_nop)
            continue;
        for (unsigned k = 0; k < op->n_out; k++)
            n += ir_op_out(op, k) == t;
    }
    return n;
}

/* The last op writing t must be "t = mov $value". */
static void expect_const_write(const IRBlock *b, IRTemp t, uint64_t value)
{
    for (unsigned i = b->n_ops; i-- > 0;) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_nop || op->n_out == 0 || ir_op_out(op, 0) != t)
            continue;
        if (op->opc != IR_OP_mov || !ir_temp_is_const(b, ir_op_in(op, 0)) ||
            b->temps[ir_op_in(op, 0)].value != value) {
            fprintf(stderr, "expected t%u = mov $0x%llx, got:", t, (unsigned long long)value);
            ir_dump_op(b, op, stderr);
            fail();
        }
        return;
    }
    fail_msg("no write to temp %u", t);
}

/* The last op writing t must be "t = mov src". */
static void expect_mov_from(const IRBlock *b, IRTemp t, IRTemp src)
{
    for (unsigned i = b->n_ops; i-- > 0;) {
        const IROp *op = &b->ops[i];
        if (op->opc == IR_OP_nop || op->n_out == 0 || ir_op_out(op, 0) != t)
            continue;
        if (op->opc != IR_OP_mov || ir_op_in(op, 0) != src) {
            fprintf(stderr, "expected mov from temp %u, got:", src);
            ir_dump_op(b, op, stderr);
            fail();
        }
        return;
    }
    fail_msg("no write to temp %u", t);
}

/* ---- constant folding ---------------------------------------------------- */

static IRTemp k32(uint32_t v) { return ir_const32(&blk, v); }
static IRTemp k64(uint64_t v) { return ir_const64(&blk, v); }

static void test_fold_arithmetic(void **state)
{
    (void)state;
    IRTemp *r = rig.r, *x = rig.x;
    ir_op2_to(&blk, IR_OP_add, r[0], k32(0xffffffff), k32(2));         /* wraps */
    ir_op2_to(&blk, IR_OP_shl, r[1], k32(1), k32(33));                 /* modulo 32 */
    ir_op2_to(&blk, IR_OP_divs, r[2], k32(0x80000000u), k32(0xffffffffu));
    ir_op2_to(&blk, IR_OP_remu, r[3], k32(7), k32(0));
    ir_op2_to(&blk, IR_OP_divu, r[4], k32(7), k32(0));
    ir_op2_to(&blk, IR_OP_sar, r[5], k32(0x80000000u), k32(4));
    ir_op1_to(&blk, IR_OP_clz, r[6], k32(0));
    ir_op2_to(&blk, IR_OP_sub, x[0], k64(0), k64(1));
    ir_op1_to(&blk, IR_OP_exts_i32_i64, x[1], k32(0x80000000u));
    ir_op2_to(&blk, IR_OP_rems, x[2], k64(1ull << 63), k64(UINT64_MAX));
    ir_mov_to(&blk, r[7], ir_setcond(&blk, IR_COND_LT, k32(0xffffffffu), k32(0)));
    ir_mov_to(&blk, x[3], ir_deposit(&blk, k64(0xffff), k64(0), 4, 8));
    test_end_block(&blk);
    ir_pass_const_fold(&blk);
    verify_ok(&blk);
    expect_const_write(&blk, r[0], 1);
    expect_const_write(&blk, r[1], 2);
    expect_const_write(&blk, r[2], 0x80000000u);
    expect_const_write(&blk, r[3], 7);
    expect_const_write(&blk, r[4], 0);
    expect_const_write(&blk, r[5], 0xf8000000u);
    expect_const_write(&blk, r[6], 32);
    expect_const_write(&blk, x[0], UINT64_MAX);
    expect_const_write(&blk, x[1], 0xffffffff80000000ull);
    expect_const_write(&blk, x[2], 0);
    expect_const_write(&blk, r[7], 1);
    expect_const_write(&blk, x[3], 0xf00f);
}

static void test_fold_identities(void **state)
{
    (void)state;
    IRTemp *r = rig.r;
    ir_op2_to(&blk, IR_OP_add, r[0], r[1], k32(0));
    ir_op2_to(&blk, IR_OP_mul, r[2], k32(1), r[1]);
    ir_op2_to(&blk, IR_OP_and, r[3], r[1], k32(0));
    ir_op2_to(&blk, IR_OP_or, r[4], r[1], k32(0));
    ir_op2_to(&blk, IR_OP_xor, r[5], r[1], r[1]);
    ir_op2_to(&blk, IR_OP_sub, r[6], r[1], r[1]);
    ir_op2_to(&blk, IR_OP_shl, r[7], r[1], k32(32));     /* shift by 32 == by 0 */
    ir_op2_to(&blk, IR_OP_and, rig.x[0], rig.x[1], k64(UINT64_MAX));
    ir_op2_to(&blk, IR_OP_sub, rig.x[2], rig.x[1], k64(1));   /* no identity: kept */
    test_end_block(&blk);
    ir_pass_const_fold(&blk);
    verify_ok(&blk);
    expect_mov_from(&blk, r[0], r[1]);
    expect_mov_from(&blk, r[2], r[1]);
    expect_const_write(&blk, r[3], 0);
    expect_mov_from(&blk, r[4], r[1]);
    expect_const_write(&blk, r[5], 0);
    expect_const_write(&blk, r[6], 0);
    expect_mov_from(&blk, r[7], r[1]);
    expect_mov_from(&blk, rig.x[0], rig.x[1]);
    assert_int_equal(count_ops(&blk, IR_OP_sub), 1);
}

static void test_fold_propagates_and_forgets(void **state)
{
    (void)state;
    static const IRHelper writes_globals = {
        .name = "w", .fn = (void *)abs, .flags = IR_HELPER_NO_READ_GLOBALS,
        .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
    IRTemp *r = rig.r;
    IRTemp t = ir_temp_new(&blk, IR_I32);
    unsigned l = ir_label_new(&blk);
    ir_mov_to(&blk, t, k32(5));
    ir_mov_to(&blk, r[0], k32(7));
    ir_op2_to(&blk, IR_OP_add, r[1], t, k32(3));        /* 8 */
    ir_op2_to(&blk, IR_OP_mul, r[2], r[0], t);          /* 35: a global's known value */
    IRTemp in[1] = { t };
    ir_call(&blk, &writes_globals, r[5], in);           /* helper may change r0 */
    ir_op2_to(&blk, IR_OP_add, r[3], r[0], t);          /* t still 5, r0 unknown */
    ir_set_label(&blk, l);
    ir_op2_to(&blk, IR_OP_add, r[4], t, k32(1));        /* after a label: nothing known */
    ir_brcond(&blk, IR_COND_NE, r[4], r[4], l);         /* never taken */
    ir_brcond(&blk, IR_COND_ALWAYS, r[4], r[4], l);     /* always taken: a loop */
    test_end_block(&blk);
    ir_pass_const_fold(&blk);
    verify_ok(&blk);
    expect_const_write(&blk, r[1], 8);
    expect_const_write(&blk, r[2], 35);
    const IROp *op = &blk.ops[5];
    assert_int_equal(op->opc, IR_OP_add);
    assert_int_equal(ir_op_in(op, 0), r[0]);
    assert_true(ir_temp_is_const(&blk, ir_op_in(op, 1)));
    op = &blk.ops[7];
    assert_int_equal(op->opc, IR_OP_add);
    assert_int_equal(ir_op_in(op, 0), t);
    assert_int_equal(blk.ops[8].opc, IR_OP_nop);
    assert_int_equal(blk.ops[9].opc, IR_OP_br);
}

/* ---- copy propagation ---------------------------------------------------- */

static void test_copy_prop(void **state)
{
    (void)state;
    IRTemp *r = rig.r;
    IRTemp t = ir_temp_new(&blk, IR_I32), u = ir_temp_new(&blk, IR_I32);
    unsigned l = ir_label_new(&blk);
    ir_mov_to(&blk, t, r[1]);
    ir_mov_to(&blk, u, t);                                /* u -> r1 too */
    ir_op2_to(&blk, IR_OP_add, r[0], u, k32(1));          /* reads r1 */
    ir_op2_to(&blk, IR_OP_add, r[1], r[1], k32(1));       /* r1 changes */
    ir_op2_to(&blk, IR_OP_add, r[2], t, k32(1));          /* must read t now */
    ir_mov_to(&blk, r[3], t);
    ir_set_label(&blk, l);
    ir_op2_to(&blk, IR_OP_add, r[4], r[3], k32(1));       /* after a label: r3 */
    ir_brcond(&blk, IR_COND_NE, r[4], k32(0), l);
    test_end_block(&blk);
    unsigned changes = ir_pass_copy_prop(&blk);
    verify_ok(&blk);
    assert_true(changes > 0);
    assert_int_equal(ir_op_in(&blk.ops[1], 0), r[1]);
    assert_int_equal(ir_op_in(&blk.ops[2], 0), r[1]);
    assert_int_equal(ir_op_in(&blk.ops[4], 0), t);
    assert_int_equal(ir_op_in(&blk.ops[7], 0), r[3]);
    /* and the pass is idempotent */
    assert_int_equal(ir_pass_copy_prop(&blk), 0);
}

/* ---- dead-code elimination ----------------------------------------------- */

static uint64_t helper_id(uint64_t a) { return a; }
static const IRHelper h_reads = { .name = "reads", .fn = (void *)helper_id, .flags = 0,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
static const IRHelper h_noread = {
    .name = "noread", .fn = (void *)helper_id, .flags = IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
static const IRHelper h_pure = { .name = "pure", .fn = (void *)helper_id, .flags = IR_HELPER_PURE,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };

/* NF = r1; <between>; NF = r2; exit.  Returns whether "NF = mov r1" survives DCE. */
static bool first_flag_write_survives(void (*between)(void))
{
    IRTemp nf = rig.r[6];
    ir_block_reset(&blk, 0);
    ir_insn_start(&blk, 0x8000);
    ir_mov_to(&blk, nf, rig.r[1]);
    if (between)
        between();
    ir_insn_start(&blk, 0x8004);
    ir_mov_to(&blk, nf, rig.r[2]);
    test_end_block(&blk);
    verify_ok(&blk);
    unsigned writes = count_writes(&blk, nf);
    ir_pass_dce(&blk);
    verify_ok(&blk);
    unsigned first = 0;
    for (unsigned i = 0; i < blk.n_ops; i++)
        first += blk.ops[i].opc == IR_OP_mov && ir_op_out(&blk.ops[i], 0) == nf && ir_op_in(&blk.ops[i], 0) == rig.r[1];
    /* DCE never removes the last write, which is live at the block end */
    assert_int_equal(count_writes(&blk, nf), writes - !first);
    return first;
}

static void between_nothing(void) { ir_op2_to(&blk, IR_OP_add, rig.r[0], rig.r[0], rig.r[3]); }
static void between_load(void) { ir_mov_to(&blk, rig.r[0], ir_ld(&blk, IR_I32, rig.r[3], IR_MO_UL)); }
static void between_call_reads(void) { IRTemp in[1] = { rig.r[3] }; ir_call(&blk, &h_reads, rig.r[0], in); }
static void between_call_noread(void) { IRTemp in[1] = { rig.r[3] }; ir_call(&blk, &h_noread, rig.r[0], in); }
static void between_ld_env(void) { ir_mov_to(&blk, rig.r[0], ir_ld_env(&blk, IR_I32, 0, IR_MO_UL)); }
static void between_exit(void)
{
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_EQ, rig.r[3], k32(0), l);
    ir_goto_lookup(&blk);                                 /* NF read by the next block */
    ir_set_label(&blk, l);
}
static void between_branch_overwrites(void)
{
    /* both paths overwrite NF before any read: the first write is dead */
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_EQ, rig.r[3], k32(0), l);
    ir_mov_to(&blk, rig.r[6], rig.r[4]);
    ir_goto_lookup(&blk);
    ir_set_label(&blk, l);
}
static void between_branch_reads(void)
{
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_EQ, rig.r[3], k32(0), l);
    ir_op2_to(&blk, IR_OP_add, rig.r[0], rig.r[0], k32(1));
    ir_set_label(&blk, l);
    ir_mov_to(&blk, rig.r[5], rig.r[6]);                  /* reads NF on both paths */
}
static void between_branch_target_reads(void)
{
    /* the fallthrough overwrites NF, but the branch target reads it */
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_EQ, rig.r[3], k32(0), l);
    ir_mov_to(&blk, rig.r[6], rig.r[4]);
    ir_goto_lookup(&blk);
    ir_set_label(&blk, l);
    ir_mov_to(&blk, rig.r[5], rig.r[6]);
}
static void between_discard(void) { ir_discard(&blk, rig.r[6]); ir_mov_to(&blk, rig.r[5], rig.r[3]); }

static void test_dce_dead_flag_writes(void **state)
{
    (void)state;
    assert_int_equal(first_flag_write_survives(NULL), 0);
    assert_int_equal(first_flag_write_survives(between_nothing), 0);
    assert_int_equal(first_flag_write_survives(between_call_noread), 0);
    assert_int_equal(first_flag_write_survives(between_branch_overwrites), 0);
    assert_int_equal(first_flag_write_survives(between_discard), 0);
    /* live: the state must be precise or is read */
    assert_int_equal(first_flag_write_survives(between_load), 1);
    assert_int_equal(first_flag_write_survives(between_call_reads), 1);
    assert_int_equal(first_flag_write_survives(between_ld_env), 1);
    assert_int_equal(first_flag_write_survives(between_exit), 1);
    assert_int_equal(first_flag_write_survives(between_branch_reads), 1);
    assert_int_equal(first_flag_write_survives(between_branch_target_reads), 1);
}

/* ---- declared helper effects (IRHelper.reads / .writes) ------------------ */

/* Ranges of TestCPU: r1 alone, r6 alone, and none. */
static const IRStateRange range_r1[] = { { offsetof(TestCPU, r) + 4, 4 }, { 0, 0 } };
static const IRStateRange range_r6[] = { { offsetof(TestCPU, r) + 24, 4 }, { 0, 0 } };
static const IRStateRange range_none[] = { { 0, 0 } };

static uint32_t helper_env_id(void *env, uint32_t a) { (void)env; return a; }
/* may write globals (no NO_WRITE flag), declares exactly r1 */
static const IRHelper h_writes_r1 = {
    .name = "writes_r1", .fn = (void *)helper_env_id, .flags = IR_HELPER_PASS_ENV,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 },
    .reads = range_none, .writes = range_r1 };
/* may read globals, declares exactly r1 / r6 */
static const IRHelper h_reads_r1 = {
    .name = "reads_r1", .fn = (void *)helper_env_id, .flags = IR_HELPER_PASS_ENV | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 },
    .reads = range_r1, .writes = range_none };
static const IRHelper h_reads_r6 = {
    .name = "reads_r6", .fn = (void *)helper_env_id, .flags = IR_HELPER_PASS_ENV | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 },
    .reads = range_r6, .writes = range_none };
/* flags that claim less than the lists: the verifier refuses them */
static const IRHelper h_lying = {
    .name = "lying", .fn = (void *)helper_env_id,
    .flags = IR_HELPER_PASS_ENV | IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 },
    .reads = range_r1, .writes = range_none };

static void test_helper_effects_answer_per_global(void **state)
{
    (void)state;
    for (IRTemp g = 0; g < blk.n_globals; g++) {
        assert_int_equal(ir_helper_writes_global(&h_writes_r1, &blk, g), g == rig.r[1]);
        assert_false(ir_helper_reads_global(&h_writes_r1, &blk, g));
        assert_int_equal(ir_helper_reads_global(&h_reads_r1, &blk, g), g == rig.r[1]);
        assert_false(ir_helper_writes_global(&h_reads_r1, &blk, g));
        /* without lists, the flags answer for every global */
        assert_true(ir_helper_reads_global(&h_reads, &blk, g));
        assert_false(ir_helper_reads_global(&h_noread, &blk, g));
    }
    assert_true(ir_helper_writes_any_global(&h_writes_r1, &blk));
    assert_false(ir_helper_writes_any_global(&h_reads_r1, &blk));
}

/* A helper that writes r1 only: what the passes know about every other
 * global (their register copies, for a backend) stays valid across it. */
static void test_helper_writing_one_global_keeps_the_others(void **state)
{
    (void)state;
    IRTemp *r = rig.r;
    ir_mov_to(&blk, r[0], k32(7));
    ir_mov_to(&blk, r[1], k32(9));
    IRTemp in[1] = { r[3] };
    ir_call(&blk, &h_writes_r1, r[5], in);
    ir_op2_to(&blk, IR_OP_add, r[2], r[0], k32(1));     /* r0 still 7: folds to 8 */
    ir_op2_to(&blk, IR_OP_add, r[4], r[1], k32(1));     /* r1 changed: stays an add */
    IRTemp c = ir_mov(&blk, r[0]);                      /* copies of r0 ... */
    IRTemp d = ir_mov(&blk, r[1]);                      /* ... and of r1 */
    ir_call(&blk, &h_writes_r1, r[5], in);
    ir_mov_to(&blk, r[6], c);                           /* -> mov r6, r0 */
    ir_mov_to(&blk, r[7], d);                           /* r1 changed: keeps d */
    test_end_block(&blk);
    verify_ok(&blk);
    ir_pass_const_fold(&blk);
    ir_pass_copy_prop(&blk);
    verify_ok(&blk);
    expect_const_write(&blk, r[2], 8);
    assert_int_equal(count_ops(&blk, IR_OP_add), 1);
    expect_mov_from(&blk, r[7], d);
    for (unsigned i = 0; i < blk.n_ops; i++) {
        const IROp *op = &blk.ops[i];
        if (op->opc == IR_OP_mov && ir_op_out(op, 0) == r[6])
            assert_true(ir_op_in(op, 0) == r[0] || ir_temp_is_const(&blk, ir_op_in(op, 0)));
    }
}

static void between_call_reads_r1(void) { IRTemp in[1] = { rig.r[3] }; ir_call(&blk, &h_reads_r1, rig.r[0], in); }
static void between_call_reads_r6(void) { IRTemp in[1] = { rig.r[3] }; ir_call(&blk, &h_reads_r6, rig.r[0], in); }

/* DCE: a helper that declares it reads r1 does not keep a dead write of the
 * flag global r6 alive; one that reads r6 does. */
static void test_dce_helper_reads_declared_globals(void **state)
{
    (void)state;
    assert_int_equal(first_flag_write_survives(between_call_reads_r1), 0);
    assert_int_equal(first_flag_write_survives(between_call_reads_r6), 1);
}

static void test_verify_helper_flags_agree_with_effects(void **state)
{
    (void)state;
    IRTemp in[1] = { rig.r[3] };
    ir_call(&blk, &h_lying, rig.r[0], in);
    test_end_block(&blk);
    FILE *sink = tmpfile();
    assert_non_null(sink);
    assert_int_not_equal(ir_verify(&blk, sink), 0);
    fclose(sink);
}

static void test_dce_locals_and_side_effects(void **state)
{
    (void)state;
    IRTemp dead = ir_add(&blk, rig.r[0], rig.r[1]);
    IRTemp dead2 = ir_mul(&blk, dead, dead);                /* only feeds dead code */
    (void)dead2;
    IRTemp loaded = ir_ld(&blk, IR_I32, rig.r[2], IR_MO_UL); /* unused, but may fault */
    (void)loaded;
    IRTemp in[1] = { rig.r[3] };
    ir_call_helper(&blk, &h_pure, in);                      /* pure and unused */
    ir_call_helper(&blk, &h_noread, in);                    /* has side effects */
    ir_mov_to(&blk, rig.r[4], ir_ld_env(&blk, IR_I32, 0, IR_MO_UL));
    ir_mov_to(&blk, rig.r[5], rig.r[3]);                    /* live at block end */
    test_end_block(&blk);
    ir_mov_to(&blk, rig.r[5], rig.r[0]);                    /* unreachable */
    ir_pass_dce(&blk);
    verify_ok(&blk);
    assert_int_equal(count_ops(&blk, IR_OP_add), 0);
    assert_int_equal(count_ops(&blk, IR_OP_mul), 0);
    assert_int_equal(count_ops(&blk, IR_OP_ld), 1);
    assert_int_equal(count_ops(&blk, IR_OP_call), 1);
    assert_int_equal(count_ops(&blk, IR_OP_ld_env), 1);
    assert_int_equal(count_writes(&blk, rig.r[5]), 1);
    assert_int_equal(count_ops(&blk, IR_OP_nop), 0);        /* compacted */
    assert_int_equal(blk.n_ops, 6);
}

static void test_dce_backward_branch_keeps_loop_values(void **state)
{
    (void)state;
    unsigned loop = ir_label_new(&blk);
    IRTemp i = ir_temp_new(&blk, IR_I32), s = ir_temp_new(&blk, IR_I32);
    ir_mov_to(&blk, i, rig.r[0]);
    ir_mov_to(&blk, s, k32(0));
    ir_set_label(&blk, loop);
    ir_op2_to(&blk, IR_OP_add, s, s, i);
    ir_op2_to(&blk, IR_OP_sub, i, i, k32(1));
    ir_brcond(&blk, IR_COND_NE, i, k32(0), loop);
    ir_mov_to(&blk, rig.r[1], s);
    test_end_block(&blk);
    ir_optimize(&blk);
    verify_ok(&blk);
    rig.cpu.r[0] = 4;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[1], 10);
}

/* A loop whose flag computation is discarded before the back edge (what
 * frontend-arm emits for a loop of one block): the fixpoint across the
 * backward branch lets DCE delete it, while a loop-carried local stays. */
static void test_dce_loop_fixpoint(void **state)
{
    (void)state;
    unsigned loop = ir_label_new(&blk);
    IRTemp s = ir_temp_new(&blk, IR_I32);
    ir_mov_to(&blk, s, k32(0));
    ir_set_label(&blk, loop);
    ir_op2_to(&blk, IR_OP_add, s, s, rig.r[0]);              /* loop-carried local */
    IRTemp i = ir_sub(&blk, rig.r[0], k32(1));
    ir_mov_to(&blk, rig.r[0], i);
    ir_mov_to(&blk, rig.r[6], ir_xor(&blk, i, rig.r[2]));    /* a "flag", read by nobody */
    unsigned out = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_EQ, i, k32(0), out);
    ir_discard(&blk, rig.r[6]);
    ir_br(&blk, loop);
    ir_set_label(&blk, out);
    ir_discard(&blk, rig.r[6]);
    ir_mov_to(&blk, rig.r[1], s);
    test_end_block(&blk);
    ir_pass_dce(&blk);
    verify_ok(&blk);
    assert_int_equal(count_ops(&blk, IR_OP_xor), 0);
    assert_int_equal(count_ops(&blk, IR_OP_add), 1);
    rig.cpu.r[0] = 4;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[1], 10);
    assert_int_equal(rig.cpu.r[0], 0);
}

/* Make t a lazy-at-fault global with IROp.fault_reads bit `bit` (what
 * ir_block_reset does for a frontend's flags). */
static void make_lazy(IRTemp t, unsigned bit)
{
    blk.temps[t].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
    blk.temps[t].lazy_bit = (uint8_t)bit;
    blk.lazy_g[bit] = (uint8_t)t;
    if (bit + 1u > blk.n_lazy)
        blk.n_lazy = (uint8_t)(bit + 1u);
}

/* Flag sinking: a flag computed before a branch and dead on one side
 * (discarded) is computed only on the side that reads it.  A guest access
 * before the flag computation does not matter; one between it and the
 * branch does (access_between): the code resumed after a fault there reads
 * the flags from the cpu state, so they must be computed before it. */
static void build_sink_block(bool access_between)
{
    IRTemp nf = rig.r[6], vf = rig.r[7];
    make_lazy(nf, 0);
    make_lazy(vf, 1);
    unsigned out = ir_label_new(&blk);
    if (!access_between)
        ir_mov_to(&blk, rig.r[4], ir_ld(&blk, IR_I32, rig.r[5], IR_MO_UL));
    IRTemp d = ir_sub(&blk, rig.r[0], rig.r[1]);
    ir_mov_to(&blk, nf, d);
    ir_mov_to(&blk, vf, ir_and(&blk, ir_xor(&blk, rig.r[0], d), ir_xor(&blk, rig.r[0], rig.r[1])));
    if (access_between)
        ir_mov_to(&blk, rig.r[4], ir_ld(&blk, IR_I32, rig.r[5], IR_MO_UL));
    ir_brcond(&blk, IR_COND_EQ, rig.r[0], rig.r[1], out);
    ir_discard(&blk, nf);
    ir_discard(&blk, vf);
    ir_mov_to(&blk, rig.r[2], k32(1));
    test_end_block(&blk);
    ir_set_label(&blk, out);
    ir_mov_to(&blk, rig.r[3], ir_add(&blk, nf, vf));
    test_end_block(&blk);
}

/* Index of the last op with this opcode in blk (0 when there is none). */
static unsigned last_op_index(IROpcode opc)
{
    unsigned at = 0;
    for (unsigned i = 0; i < blk.n_ops; i++)
        if (blk.ops[i].opc == opc)
            at = i;
    return at;
}

static void run_sink_block(void)
{
    rig.cpu.r[0] = 5;
    rig.cpu.r[1] = 5;
    rig.cpu.r[5] = 0;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[3], 0);             /* nf = 0, vf = 0 */
    rig.cpu.r[0] = 7;
    rig.cpu.r[1] = 5;
    rig.cpu.r[2] = 0;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[2], 1);
}

static void test_sink_flags(void **state)
{
    (void)state;
    build_sink_block(false);
    ir_optimize(&blk);
    verify_ok(&blk);
    /* one sub, after the branch (on the taken side) */
    unsigned br_at = last_op_index(IR_OP_brcond), sub_at = last_op_index(IR_OP_sub);
    assert_int_equal(count_ops(&blk, IR_OP_sub), 1);
    assert_true(sub_at > br_at);
    run_sink_block();
}

/* Not past a guest access: the flags stay before it. */
static void test_sink_flags_not_past_access(void **state)
{
    (void)state;
    build_sink_block(true);
    ir_optimize(&blk);
    verify_ok(&blk);
    unsigned br_at = last_op_index(IR_OP_brcond), sub_at = last_op_index(IR_OP_sub);
    unsigned ld_at = last_op_index(IR_OP_ld);
    assert_true(sub_at < ld_at);
    assert_true(ld_at < br_at);
    run_sink_block();
}

/* A precise block keeps the flags exact at the guest access: nothing moves. */
static void test_sink_flags_precise(void **state)
{
    (void)state;
    blk.precise = true;
    build_sink_block(true);
    ir_optimize(&blk);
    verify_ok(&blk);
    unsigned br_at = last_op_index(IR_OP_brcond), sub_at = last_op_index(IR_OP_sub);
    assert_true(sub_at < br_at);
}

/* Fault reads: "cmp; ldr; beq" with the flags dead after the branch on
 * both sides.  Copy propagation and compare fusion leave no IR read of ZF,
 * but the branch reads it in the guest: resumed after a fault at the load,
 * it reads ZF from the cpu state, so ZF is stored before the load.  Without
 * the load nothing can observe ZF and it goes. */
static void build_fault_read_block(bool with_load)
{
    IRTemp zf = rig.r[6];
    make_lazy(zf, 0);
    unsigned out = ir_label_new(&blk);
    IRTemp d = ir_sub(&blk, rig.r[0], rig.r[1]);
    ir_mov_to(&blk, zf, d);
    if (with_load)
        ir_mov_to(&blk, rig.r[4], ir_ld(&blk, IR_I32, rig.r[5], IR_MO_UL));
    ir_brcond(&blk, IR_COND_EQ, zf, k32(0), out);
    ir_discard(&blk, zf);
    ir_mov_to(&blk, rig.r[2], k32(1));
    test_end_block(&blk);
    ir_set_label(&blk, out);
    ir_discard(&blk, zf);
    ir_mov_to(&blk, rig.r[2], k32(2));
    test_end_block(&blk);
}

static unsigned writes_of(IRTemp t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < blk.n_ops; i++)
        for (unsigned k = 0; k < blk.ops[i].n_out; k++)
            n += ir_op_out(&blk.ops[i], k) == t;
    return n;
}

static void test_dce_fault_reads(void **state)
{
    (void)state;
    build_fault_read_block(true);
    ir_optimize(&blk);
    verify_ok(&blk);
    assert_int_equal(writes_of(rig.r[6]), 1);
    assert_true(last_op_index(IR_OP_mov) > 0);
    rig.cpu.r[0] = 3;
    rig.cpu.r[1] = 3;
    rig.cpu.r[5] = 0;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[2], 2);
    assert_int_equal(rig.cpu.r[6], 0);
}

static void test_dce_fault_reads_no_access(void **state)
{
    (void)state;
    build_fault_read_block(false);
    ir_optimize(&blk);
    verify_ok(&blk);
    assert_int_equal(writes_of(rig.r[6]), 0);
}

/* Jump threading: a branch to `L: br M` goes to M. */
static void test_dce_threads_jumps(void **state)
{
    (void)state;
    unsigned l1 = ir_label_new(&blk), l2 = ir_label_new(&blk), l3 = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_NE, rig.r[0], k32(0), l1);
    ir_br(&blk, l2);
    ir_set_label(&blk, l1);
    ir_br(&blk, l3);
    ir_set_label(&blk, l2);
    ir_mov_to(&blk, rig.r[1], k32(1));
    ir_set_label(&blk, l3);
    test_end_block(&blk);
    ir_pass_dce(&blk);
    ir_pass_dce(&blk);      /* the next round removes the `br` into its label */
    verify_ok(&blk);
    assert_int_equal(count_ops(&blk, IR_OP_br), 0);
    assert_int_equal(count_ops(&blk, IR_OP_label), 1);
    rig.cpu.r[0] = 1;
    rig.cpu.r[1] = 7;
    test_run(&rig, &blk);
    assert_int_equal(rig.cpu.r[1], 7);
}

/* The worked example of ir.h and docs/ir.md: adds r0, r1, #4 ; adds r2, r0, r0 ; bne */
static void test_pipeline_arm_adds_bne(void **state)
{
    (void)state;
    IRTemp *r = rig.r;
    IRTemp NF = rig.r[4], ZF = rig.r[5], CF = rig.r[6], VF = rig.x[0];
    (void)VF;
    for (int insn = 0; insn < 2; insn++) {
        IRTemp src = insn ? r[0] : r[1];
        IRTemp imm = insn ? r[0] : k32(4);
        ir_insn_start(&blk, 0x8000 + 4 * insn);
        IRTemp t = ir_add(&blk, src, imm);
        ir_mov_to(&blk, NF, t);
        ir_mov_to(&blk, ZF, t);
        ir_mov_to(&blk, CF, ir_setcond(&blk, IR_COND_LTU, t, src));
        IRTemp v1 = ir_xor(&blk, t, src), v2 = ir_xor(&blk, src, imm);
        ir_mov_to(&blk, r[7], ir_andc(&blk, v1, v2));        /* r7 stands in for VF */
        ir_mov_to(&blk, insn ? r[2] : r[0], t);
    }
    unsigned taken = ir_label_new(&blk);
    ir_insn_start(&blk, 0x8008);
    ir_brcond(&blk, IR_COND_NE, ZF, k32(0), taken);
    ir_goto_tb(&blk, 0);
    ir_mov_to(&blk, r[3], k32(0x800c));
    ir_exit_tb(&blk, IR_EXIT_CHAIN0);
    ir_set_label(&blk, taken);
    ir_goto_tb(&blk, 1);
    ir_mov_to(&blk, r[3], k32(0x9000));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    verify_ok(&blk);
    unsigned before = blk.n_ops;
    ir_optimize(&blk);
    verify_ok(&blk);
    /* the first adds' four flag computations are gone, its result stays */
    assert_int_equal(count_writes(&blk, NF), 1);
    assert_int_equal(count_writes(&blk, ZF), 1);
    assert_int_equal(count_writes(&blk, CF), 1);
    assert_int_equal(count_writes(&blk, r[7]), 1);
    assert_int_equal(count_writes(&blk, r[0]), 1);
    assert_int_equal(count_ops(&blk, IR_OP_setcond), 1);
    assert_true(blk.n_ops < before - 6);
    /* the branch compares the local sum, not the ZF global */
    for (unsigned i = 0; i < blk.n_ops; i++)
        if (blk.ops[i].opc == IR_OP_brcond)
            assert_false(ir_temp_is_global(&blk, ir_op_in(&blk.ops[i], 0)));
    rig.cpu.r[1] = 0xfffffffc;      /* r0 = 0, r2 = 0: not taken */
    assert_int_equal(test_run(&rig, &blk), IR_EXIT_CHAIN0);
    assert_int_equal(rig.cpu.r[3], 0x800c);
    assert_int_equal(rig.cpu.r[6], 0);     /* C of 0 + 0 */
    rig.cpu.r[1] = 1;               /* r0 = 5, r2 = 10: taken */
    assert_int_equal(test_run(&rig, &blk), IR_EXIT_CHAIN1);
    assert_int_equal(rig.cpu.r[2], 10);
    assert_int_equal(rig.cpu.r[3], 0x9000);
}

/* ---- differential testing against the unoptimised block -------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* xorshift64*: deterministic, so a failure is reproducible */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }

static uint64_t interesting(IRType t)
{
    static const uint64_t v[] = { 0, 1, 2, 3, 4, 7, 31, 32, 33, 63, 64, 0xff, 0x80, 0x7fffffff,
                                  0x80000000u, 0xffffffffu, 0x8000000000000000ull, UINT64_MAX };
    uint64_t x = rn(3) ? v[rn(sizeof(v) / sizeof(v[0]))] : rnd();
    return t == IR_I32 ? (uint32_t)x : x;
}

static jmp_buf fault_jmp;
static uint64_t helper_mix(uint64_t a, uint64_t b) { return a * 0x9e3779b97f4a7c15ull ^ (b >> 3); }
static uint64_t helper_reads_state(void *cpu, uint64_t a)
{
    TestCPU *c = cpu;
    uint64_t h = a;
    for (int i = 0; i < 8; i++)
        h = h * 31 + c->r[i];
    return h + c->x[1];
}
static uint64_t helper_writes_state(void *cpu, uint64_t a)
{
    TestCPU *c = cpu;
    c->r[3] += (uint32_t)a;
    c->x[2] ^= a;
    return c->r[0];
}
static uint64_t helper_may_fault(uint64_t a)
{
    if ((a & 0xf) == 3)
        longjmp(fault_jmp, 1);
    return a + 1;
}

static const IRHelper rh_mix = { .name = "mix", .fn = (void *)helper_mix, .flags = IR_HELPER_PURE,
    .n_args = 2, .has_result = true, .ret_type = IR_I64, .arg_types = { IR_I64, IR_I32 } };
static const IRHelper rh_reads = {
    .name = "reads_state", .fn = (void *)helper_reads_state, .flags = IR_HELPER_PASS_ENV | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
static const IRHelper rh_writes = {
    .name = "writes_state", .fn = (void *)helper_writes_state, .flags = IR_HELPER_PASS_ENV,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };
static const IRHelper rh_fault = {
    .name = "may_fault", .fn = (void *)helper_may_fault, .flags = IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_MAY_FAULT,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };

typedef struct Gen {
    IRBlock *b;
    IRTemp avail[512];          /* locals readable here (defined on every path) */
    unsigned n_avail;
    unsigned open_label[8], open_avail[8];
    unsigned n_open;
    unsigned goto_tb_used;      /* each goto_tb slot may appear once */
    uint64_t pc;
} Gen;

static IRTemp pick_input(Gen *g, IRType t)
{
    unsigned k = rn(10);
    if (k < 2)
        return ir_const(g->b, t, interesting(t));
    if (k < 6 && g->n_avail) {
        for (int tries = 0; tries < 4; tries++) {
            IRTemp c = g->avail[rn(g->n_avail)];
            if (ir_temp_type(g->b, c) == t)
                return c;
        }
    }
    return t == IR_I32 ? rig.r[rn(8)] : rig.x[rn(4)];
}

static IRTemp pick_output(Gen *g, IRType t)
{
    unsigned k = rn(10);
    if (k < 4)
        return t == IR_I32 ? rig.r[rn(8)] : rig.x[rn(4)];
    if (k < 5 && g->n_avail) {
        IRTemp c = g->avail[rn(g->n_avail)];
        if (ir_temp_type(g->b, c) == t)
            return c;                          /* reassign a local */
    }
    IRTemp n = ir_temp_new(g->b, t);
    if (g->n_avail < 512)
        g->avail[g->n_avail++] = n;
    return n;
}

static IRTemp gen_address(Gen *g)
{
    IRTemp v = pick_input(g, IR_I32);
    IRTemp a = ir_temp_new(g->b, IR_I32);
    ir_op2_to(g->b, IR_OP_and, a, v, ir_const32(g->b, 0x7f8 | rn(8)));
    return a;
}

static void gen_op(Gen *g)
{
    static const IROpcode bin[] = {
        IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_andc, IR_OP_shl,
        IR_OP_shr, IR_OP_sar, IR_OP_rotl, IR_OP_rotr, IR_OP_divs, IR_OP_divu, IR_OP_rems, IR_OP_remu,
    };
    static const IROpcode un[] = {
        IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz, IR_OP_bswap, IR_OP_ext8s, IR_OP_ext8u,
        IR_OP_ext16s, IR_OP_ext16u, IR_OP_mov, IR_OP_mov, IR_OP_mov,
    };
    IRBlock *b = g->b;
    IRType t = rn(3) ? IR_I32 : IR_I64;
    unsigned w = t == IR_I32 ? 32 : 64;
    switch (rn(23)) {
    case 0: case 1: case 2: case 3: case 4: {
        IRTemp x = pick_input(g, t), y = rn(4) ? pick_input(g, t) : x;
        IROpcode opc = bin[rn(sizeof(bin) / sizeof(bin[0]))];
        ir_op2_to(b, opc, pick_output(g, t), x, y);
        break;
    }
    case 5: case 6: {
        IROpcode opc = un[rn(sizeof(un) / sizeof(un[0]))];
        IRTemp x = pick_input(g, t);
        ir_op1_to(b, opc, pick_output(g, t), x);
        break;
    }
    case 7: {
        IRTemp x = pick_input(g, t), y = rn(4) ? pick_input(g, t) : x;
        uint64_t a[4] = { 0, x, y, rn(IR_COND_COUNT) };
        a[0] = pick_output(g, t);
        ir_emit(b, IR_OP_setcond, a);
        break;
    }
    case 8: {
        IRType vt = rn(2) ? IR_I32 : IR_I64;
        IRTemp x = pick_input(g, t), y = pick_input(g, t);
        IRTemp vx = pick_input(g, vt), vy = pick_input(g, vt);
        uint64_t a[6] = { 0, x, y, vx, vy, rn(IR_COND_COUNT) };
        a[0] = pick_output(g, vt);
        ir_emit(b, IR_OP_movcond, a);
        break;
    }
    case 9: {
        unsigned pos = rn(w), len = 1 + rn(w - pos);
        IROpcode opc = rn(3) == 0 ? IR_OP_deposit : rn(2) ? IR_OP_extract : IR_OP_sextract;
        if (opc == IR_OP_deposit) {
            IRTemp x = pick_input(g, t), y = pick_input(g, t);
            uint64_t a[5] = { 0, x, y, pos, len };
            a[0] = pick_output(g, t);
            ir_emit(b, opc, a);
        } else {
            IRTemp x = pick_input(g, t);
            uint64_t a[4] = { 0, x, pos, len };
            a[0] = pick_output(g, t);
            ir_emit(b, opc, a);
        }
        break;
    }
    case 10: {
        static const IROpcode cv[] = { IR_OP_extu_i32_i64, IR_OP_exts_i32_i64, IR_OP_extrl_i64_i32, IR_OP_extrh_i64_i32 };
        unsigned k = rn(4);
        IRType from = k < 2 ? IR_I32 : IR_I64, to = k < 2 ? IR_I64 : IR_I32;
        IRTemp x = pick_input(g, from);
        ir_op1_to(b, cv[k], pick_output(g, to), x);
        break;
    }
    case 11: {
        IRTemp x = pick_input(g, t), y = pick_input(g, t);
        IRTemp lo = pick_output(g, t), hi = pick_output(g, t);
        if (lo == hi)
            hi = ir_temp_new(b, t);
        uint64_t a[4] = { lo, hi, x, y };
        ir_emit(b, rn(2) ? IR_OP_mulu2 : IR_OP_muls2, a);
        break;
    }
    case 12: {   /* load */
        IRMemOp mo = rn(t == IR_I32 ? 3 : 4) | (rn(2) ? IR_MO_SIGN : 0) | (rn(3) ? 0 : IR_MO_BSWAP);
        IRTemp a = gen_address(g);
        uint64_t args[3] = { 0, a, mo };
        args[0] = pick_output(g, t);
        ir_emit(b, IR_OP_ld, args);
        break;
    }
    case 13: {   /* store */
        IRMemOp mo = rn(t == IR_I32 ? 3 : 4) | (rn(3) ? 0 : IR_MO_BSWAP);
        IRTemp a = gen_address(g);
        IRTemp v = pick_input(g, t);
        ir_st(b, v, a, mo);
        break;
    }
    case 14: {   /* helper calls */
        unsigned k = rn(4);
        if (k == 0) {
            IRTemp in[2];
            in[0] = pick_input(g, IR_I64);
            in[1] = pick_input(g, IR_I32);
            ir_call(b, &rh_mix, pick_output(g, IR_I64), in);
        } else {
            const IRHelper *h = k == 1 ? &rh_reads : k == 2 ? &rh_writes : &rh_fault;
            IRTemp in[1] = { pick_input(g, IR_I32) };
            ir_call(b, h, pick_output(g, IR_I32), in);
        }
        break;
    }
    case 15:     /* open a conditional region */
        if (g->n_open < 8) {
            unsigned l = ir_label_new(b);
            IRTemp x = pick_input(g, t);
            IRTemp y = rn(4) ? pick_input(g, t) : x;
            ir_brcond(b, (IRCond)rn(IR_COND_COUNT), x, y, l);
            g->open_label[g->n_open] = l;
            g->open_avail[g->n_open++] = g->n_avail;
        }
        break;
    case 16:     /* close one */
        if (g->n_open) {
            g->n_open--;
            ir_set_label(b, g->open_label[g->n_open]);
            g->n_avail = g->open_avail[g->n_open];
        }
        break;
    case 17:     /* an exit inside a region */
        if (g->n_open) {
            switch (rn(3)) {
            case 0: ir_goto_lookup(b); break;
            case 1: ir_raise(b, 40 + rn(4)); break;
            default:
                if (g->goto_tb_used >= 2) {
                    ir_goto_lookup(b);
                    break;
                }
                ir_goto_tb(b, g->goto_tb_used);
                ir_mov_to(b, rig.r[7], ir_const32(b, 0x1234));
                ir_exit_tb(b, (IRExitKind)g->goto_tb_used++);
                break;
            }
        }
        break;
    case 18: {   /* a flag the frontend knows is overwritten next */
        IRTemp gl = t == IR_I32 ? rig.r[rn(8)] : rig.x[rn(4)];
        IRTemp x = pick_input(g, t), y = pick_input(g, t);
        if (x == gl)
            x = ir_const(b, t, 1);
        if (y == gl)
            y = ir_const(b, t, 2);
        ir_discard(b, gl);
        ir_op2_to(b, IR_OP_add, gl, x, y);
        break;
    }
    case 19:
        ir_insn_start(b, g->pc += 4);
        break;
    case 21: {   /* "cmp; bcc": flags r5, r6 dead on one side (flag sinking) */
        IRTemp x = pick_input(g, IR_I32), y = pick_input(g, IR_I32);
        IRTemp d = ir_sub(b, x, y);
        ir_mov_to(b, rig.r[5], d);
        ir_mov_to(b, rig.r[6], ir_and(b, ir_xor(b, x, d), ir_xor(b, x, y)));
        if (rn(2))
            ir_st(b, pick_input(g, IR_I32), gen_address(g), IR_MO_32);
        unsigned l = ir_label_new(b);
        bool dead_taken = rn(2);
        ir_brcond(b, (IRCond)rn(IR_COND_COUNT), x, y, l);
        /* the dead side overwrites them (as the next block would) */
        if (!dead_taken) {
            ir_mov_to(b, rig.r[5], ir_const32(b, 5));
            ir_mov_to(b, rig.r[6], ir_const32(b, 6));
        }
        ir_raise(b, 40 + rn(4));
        ir_set_label(b, l);
        if (dead_taken) {
            ir_mov_to(b, rig.r[5], ir_const32(b, 5));
            ir_mov_to(b, rig.r[6], ir_const32(b, 6));
        }
        break;
    }
    case 20: {   /* a constant into a local: food for propagation */
        IRTemp c = ir_const(b, t, interesting(t));
        ir_mov_to(b, pick_output(g, t), c);
        break;
    }
    default: {
        IRTemp x = pick_input(g, t);
        ir_mov_to(b, pick_output(g, t), x);
        break;
    }
    }
}

static void gen_block(IRBlock *b, unsigned n_ops)
{
    Gen g = { .b = b, .pc = 0x10000 };
    ir_block_reset(b, g.pc);
    ir_exit_check(b);
    ir_insn_start(b, g.pc);
    for (unsigned i = 0; i < n_ops; i++)
        gen_op(&g);
    while (g.n_open)
        ir_set_label(b, g.open_label[--g.n_open]);
    test_end_block(b);
}

static void clone_block(IRBlock *dst, const IRBlock *src)
{
    ir_block_init(dst, src->globals, src->guest_pc);
    for (unsigned i = src->n_globals; i < src->n_temps; i++)
        ir_temp_new(dst, IR_I32);
    memcpy(dst->temps, src->temps, src->n_temps * sizeof(*src->temps));
    for (unsigned i = 0; i < src->n_labels; i++)
        ir_label_new(dst);
    for (unsigned i = 0; i < src->n_ops; i++)
        ir_emit(dst, IR_OP_nop, NULL);
    memcpy(dst->ops, src->ops, src->n_ops * sizeof(*src->ops));
    dst->n_insns = src->n_insns;
}

typedef struct Outcome {
    TestCPU cpu;
    uint8_t mem[TEST_MEM_SIZE];
    unsigned exit;
} Outcome;

static void run_from(const IRBlock *b, const TestCPU *cpu0, const uint8_t *mem0, Outcome *o)
{
    rig.cpu = *cpu0;
    memcpy(rig.mem, mem0, TEST_MEM_SIZE);
    if (setjmp(fault_jmp) == 0)
        o->exit = test_run(&rig, b);
    else
        o->exit = 99;          /* the may_fault helper faulted */
    o->cpu = rig.cpu;
    memcpy(o->mem, rig.mem, TEST_MEM_SIZE);
}

static void report_mismatch(const IRBlock *orig, const IRBlock *opt, const char *what, unsigned seed)
{
    fprintf(stderr, "mismatch after %s (seed %u); original:\n", what, seed);
    ir_dump(orig, stderr);
    fprintf(stderr, "optimised:\n");
    ir_dump(opt, stderr);
}

static void test_random_blocks_keep_semantics(void **state)
{
    (void)state;
    static TestCPU cpu0;
    static uint8_t mem0[TEST_MEM_SIZE];
    static Outcome want, got;
    IRBlock orig, opt;
    ir_block_init(&orig, &rig.gs, 0);
    unsigned removed = 0, total = 0, sunk = 0;

    for (unsigned seed = 1; seed <= 4000; seed++) {
        rng_state = seed * 0x9e3779b97f4a7c15ull;
        gen_block(&orig, 5 + rn(60));
        verify_ok(&orig);

        for (int variant = 0; variant < 5; variant++) {
            static const char *const names[] = { "const_fold", "copy_prop", "dce", "ir_optimize",
                                                 "ir_optimize with lazy r5, r6" };
            clone_block(&opt, &orig);
            switch (variant) {
            case 0: ir_pass_const_fold(&opt); break;
            case 1: ir_pass_copy_prop(&opt); break;
            case 2: ir_pass_dce(&opt); break;
            case 3: ir_optimize(&opt); break;
            default:
                /* r5 and r6 as flags: they may differ only when the block
                 * faults (the may_fault helper), and flag sinking gets to
                 * move their computations */
                for (unsigned k = 0; k < 2; k++) {
                    IRTemp g = rig.r[5 + k];
                    opt.temps[g].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
                    opt.temps[g].lazy_bit = (uint8_t)k;
                    opt.lazy_g[k] = (uint8_t)g;
                }
                opt.n_lazy = 2;
                sunk += ir_pass_sink_flags(&opt);
                ir_optimize(&opt);
                break;
            }
            if (ir_verify(&opt, stderr) != 0) {
                report_mismatch(&orig, &opt, names[variant], seed);
                fail();
            }
            /* exec numbers guest instructions by their insn_start ops */
            assert_int_equal(count_ops(&opt, IR_OP_insn_start), orig.n_insns);
            assert_int_equal(opt.n_insns, orig.n_insns);
            if (variant == 3) {
                total += orig.n_ops;
                removed += orig.n_ops - opt.n_ops;
            }
            for (int run = 0; run < 6; run++) {
                for (int i = 0; i < 8; i++)
                    cpu0.r[i] = (uint32_t)interesting(IR_I32);
                for (int i = 0; i < 4; i++)
                    cpu0.x[i] = interesting(IR_I64);
                cpu0.guard = 0x5a5a5a5a;
                cpu0.exit_request = rn(20) == 0;
                for (unsigned i = 0; i < TEST_MEM_SIZE; i += 8) {
                    uint64_t v = rnd();
                    memcpy(mem0 + i, &v, 8);
                }
                run_from(&orig, &cpu0, mem0, &want);
                run_from(&opt, &cpu0, mem0, &got);
                if (variant == 4 && want.exit == 99 && got.exit == 99) {
                    got.cpu.r[5] = want.cpu.r[5];
                    got.cpu.r[6] = want.cpu.r[6];
                }
                if (want.exit != got.exit || memcmp(&want.cpu, &got.cpu, sizeof(want.cpu)) ||
                    memcmp(want.mem, got.mem, TEST_MEM_SIZE)) {
                    report_mismatch(&orig, &opt, names[variant], seed);
                    fprintf(stderr, "exit %u vs %u\n", want.exit, got.exit);
                    for (int i = 0; i < 8; i++)
                        fprintf(stderr, "r%d %08x %08x\n", i, want.cpu.r[i], got.cpu.r[i]);
                    for (int i = 0; i < 4; i++)
                        fprintf(stderr, "x%d %016llx %016llx\n", i, (unsigned long long)want.cpu.x[i],
                                (unsigned long long)got.cpu.x[i]);
                    fail();
                }
            }
            ir_block_free(&opt);
        }
    }
    ir_block_free(&orig);
    /* the passes must actually do something on these blocks */
    assert_true(removed * 10 > total);
    fprintf(stderr, "random blocks: %u of %u ops removed by ir_optimize, %u moved by flag sinking\n",
            removed, total, sunk);
    assert_true(sunk > 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fold_arithmetic),
        T(test_fold_identities),
        T(test_fold_propagates_and_forgets),
        T(test_copy_prop),
        T(test_dce_dead_flag_writes),
        T(test_dce_locals_and_side_effects),
        T(test_helper_effects_answer_per_global),
        T(test_helper_writing_one_global_keeps_the_others),
        T(test_dce_helper_reads_declared_globals),
        T(test_verify_helper_flags_agree_with_effects),
        T(test_dce_backward_branch_keeps_loop_values),
        T(test_dce_loop_fixpoint),
        T(test_dce_threads_jumps),
        T(test_sink_flags),
        T(test_sink_flags_precise),
        T(test_sink_flags_not_past_access),
        T(test_dce_fault_reads),
        T(test_dce_fault_reads_no_access),
        T(test_pipeline_arm_adds_bne),
        T(test_random_blocks_keep_semantics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
