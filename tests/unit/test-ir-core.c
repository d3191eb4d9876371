/* Unit tests for the IR core: op table, builder, constants, conditions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ir/ir-build.h"

static void test_op_table_consistent(void **state)
{
    (void)state;
    for (int i = 0; i < IR_OP_COUNT; i++) {
        const IROpDef *d = &ir_op_defs[i];
        assert_non_null(d->name);
        assert_true(d->n_out + d->n_in + d->n_const <= IR_MAX_ARGS);
    }
    assert_string_equal(ir_op_defs[IR_OP_add].name, "add");
    assert_true(ir_op_defs[IR_OP_add].flags & IR_OPF_COMMUTATIVE);
    assert_true(ir_op_defs[IR_OP_ld].flags & IR_OPF_MAY_FAULT);
}

static void test_globals_are_first_temps(void **state)
{
    (void)state;
    IRGlobalSet gs = { 0 };
    IRTemp r0 = ir_global_new(&gs, IR_I32, 16, "r0");
    IRTemp r1 = ir_global_new(&gs, IR_I32, 20, "r1");
    IRBlock b;
    ir_block_init(&b, &gs, 0x8000);
    assert_int_equal(r0, 0);
    assert_int_equal(r1, 1);
    assert_int_equal(b.n_temps, 2);
    IRTemp s = ir_add(&b, r0, ir_const32(&b, 4));
    assert_int_equal(ir_temp_type(&b, s), IR_I32);
    ir_mov_to(&b, r1, s);
    assert_int_equal(b.n_ops, 2);
    assert_int_equal(b.ops[0].opc, IR_OP_add);
    assert_int_equal(ir_op_out(&b.ops[0], 0), s);
    assert_int_equal(ir_op_in(&b.ops[0], 0), r0);
    assert_true(ir_temp_is_const(&b, ir_op_in(&b.ops[0], 1)));
    assert_int_equal(b.temps[ir_op_in(&b.ops[0], 1)].value, 4);
    ir_block_free(&b);
}

static void test_constants_are_shared_and_truncated(void **state)
{
    (void)state;
    IRBlock b;
    ir_block_init(&b, NULL, 0);
    IRTemp a = ir_const32(&b, 7);
    IRTemp c = ir_const32(&b, 7);
    IRTemp d = ir_const64(&b, 7);
    IRTemp e = ir_const(&b, IR_I32, 0x100000005ull);
    assert_int_equal(a, c);
    assert_int_not_equal(a, d);
    assert_int_equal(b.temps[e].value, 5);
    ir_block_free(&b);
}

/* Tier 0 (IRBlock.quick) finds earlier constants through a table that
 * outlives the block: an entry from another block must not be taken for
 * one of this block's temps, and an entry overwritten by another value
 * only costs a new temp. */
static void test_quick_constants(void **state)
{
    (void)state;
    IRGlobalSet gs = { 0 };
    ir_global_new(&gs, IR_I32, 16, "r0");
    IRBlock b1, b2;
    ir_block_init(&b1, &gs, 0);
    b1.quick = true;
    IRTemp a = ir_const32(&b1, 0x1234);
    assert_int_equal(ir_const32(&b1, 0x1234), a);
    assert_int_not_equal(ir_const64(&b1, 0x1234), a);
    for (unsigned i = 0; i < 200; i++) {     /* collisions make new temps, never wrong ones */
        IRTemp t = ir_const32(&b1, 0x10000 + i % 50);
        assert_true(ir_temp_is_const(&b1, t));
        assert_int_equal(ir_temp_type(&b1, t), IR_I32);
        assert_int_equal(b1.temps[t].value, 0x10000 + i % 50);
    }
    assert_int_equal(b1.temps[ir_const(&b1, IR_I32, 0x100000005ull)].value, 5);

    /* a second block: the table still names b1's temps */
    ir_block_init(&b2, &gs, 0);
    b2.quick = true;
    IRTemp l = ir_temp_new(&b2, IR_I32);     /* b2's temp a's number in b1 is a local */
    (void)l;
    IRTemp c = ir_const32(&b2, 0x1234);
    assert_true(ir_temp_is_const(&b2, c));
    assert_int_equal(b2.temps[c].value, 0x1234);
    assert_int_equal(ir_const32(&b2, 0x1234), c);
    for (IRTemp t = b2.n_globals; t < b2.n_temps; t++)
        if (b2.temps[t].kind == IR_TEMP_CONST)
            assert_true(t == c);
    ir_block_free(&b1);
    ir_block_free(&b2);
}

static void test_conditions(void **state)
{
    (void)state;
    assert_true(ir_cond_eval(IR_COND_LT, 0xffffffff, 0, IR_I32));
    assert_false(ir_cond_eval(IR_COND_LTU, 0xffffffff, 0, IR_I32));
    assert_false(ir_cond_eval(IR_COND_LT, 0xffffffff, 0, IR_I64));
    assert_true(ir_cond_eval(IR_COND_TSTNE, 6, 2, IR_I32));
    for (int c = 0; c < IR_COND_COUNT; c++) {
        for (uint64_t a = 0; a < 4; a++)
            for (uint64_t x = 0; x < 4; x++) {
                uint64_t va = a * 0x7fffffffu, vx = x * 0x7fffffffu;
                assert_int_equal(ir_cond_eval(c, va, vx, IR_I32), !ir_cond_eval(ir_cond_invert(c), va, vx, IR_I32));
                assert_int_equal(ir_cond_eval(c, va, vx, IR_I32), ir_cond_eval(ir_cond_swap(c), vx, va, IR_I32));
            }
    }
}

/* A work block (ir_block_init_work) grows in place past several populate
 * steps, keeps what it holds, and starts over on reset; in a forked child
 * (whose regions are wiped) it works the same. */
static void fill_and_check_work_block(IRBlock *b, IRTemp r0, unsigned n)
{
    ir_block_reset(b, 0x9000);
    IROp *first = NULL;
    IRTemp last = r0;
    for (unsigned i = 0; i < n; i++) {
        last = ir_add(b, last, ir_const32(b, i));
        if (!first)
            first = b->ops;
    }
    assert_ptr_equal(b->ops, first);           /* grown in place */
    assert_int_equal(b->n_ops, n);
    assert_true(b->cap_ops >= n);
    assert_int_equal(b->temps[r0].kind, IR_TEMP_GLOBAL);
    for (unsigned i = 0; i < n; i++) {
        const IROp *op = &b->ops[i];
        assert_int_equal(op->opc, IR_OP_add);
        IRTemp c = ir_op_in(op, 1);
        assert_int_equal(b->temps[c].kind, IR_TEMP_CONST);
        assert_int_equal(b->temps[c].value, i);
    }
    assert_int_equal(ir_op_out(&b->ops[n - 1], 0), last);
}

static void test_work_block(void **state)
{
    (void)state;
    IRGlobalSet gs = { 0 };
    IRTemp r0 = ir_global_new(&gs, IR_I32, 16, "r0");
    static IRBlock b;
    ir_block_init_work(&b, &gs, 0x8000);
    fill_and_check_work_block(&b, r0, 20000);  /* 1.7 MiB of ops, 0.5 MiB of temps */
    fill_and_check_work_block(&b, r0, 10);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fill_and_check_work_block(&b, r0, 30000);
        _exit(0);                               /* a failed check exits non-zero */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fill_and_check_work_block(&b, r0, 3);
    ir_block_free(&b);
}

/* IRBlock.exit_hook: called around every call and exit op, never for
 * what it emits itself; ir_block_reset clears it. */
typedef struct HookLog { unsigned n; IROpcode opc[8]; int phase[8]; } HookLog;

static void log_hook(IRBlock *b, IROpcode opc, int phase, void *opaque)
{
    HookLog *l = opaque;
    if (l->n < 8) {
        l->opc[l->n] = opc;
        l->phase[l->n] = phase;
    }
    l->n++;
    /* an op emitted from the hook: a nop marker (and a raise, which must
     * not recurse into the hook) */
    ir_emit(b, IR_OP_nop, NULL);
    if (opc == IR_OP_goto_tb && phase == IR_HOOK_BEFORE)
        ir_raise(b, 99);
}

static uint32_t dummy_helper(uint32_t a) { return a; }

static void test_exit_hook(void **state)
{
    (void)state;
    IRGlobalSet gs = { 0 };
    ir_global_new(&gs, IR_I32, 16, "r0");
    static IRBlock b;
    ir_block_init(&b, &gs, 0x8000);
    HookLog l = { 0 };
    b.exit_hook = log_hook;
    b.exit_hook_opaque = &l;
    static const IRHelper h = { .name = "dummy", .fn = (void *)dummy_helper, .flags = IR_HELPER_PURE,
                                .n_args = 1, .has_result = true, .ret_type = IR_I32,
                                .arg_types = { IR_I32 } };
    IRTemp x = ir_const32(&b, 5);
    ir_mov_to(&b, 0, x);                       /* not hooked */
    ir_call_helper(&b, &h, &x);
    ir_goto_tb(&b, 0);
    ir_exit_tb(&b, IR_EXIT_CHAIN0);
    assert_int_equal(l.n, 6);
    static const IROpcode want[6] = { IR_OP_call, IR_OP_call, IR_OP_goto_tb, IR_OP_goto_tb,
                                      IR_OP_exit_tb, IR_OP_exit_tb };
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(l.opc[i], want[i]);
        assert_int_equal(l.phase[i], i % 2 ? IR_HOOK_AFTER : IR_HOOK_BEFORE);
    }
    /* mov, nop call nop, nop raise goto_tb nop, nop exit_tb nop */
    static const IROpcode ops[] = { IR_OP_mov, IR_OP_nop, IR_OP_call, IR_OP_nop, IR_OP_nop, IR_OP_raise,
                                    IR_OP_goto_tb, IR_OP_nop, IR_OP_nop, IR_OP_exit_tb, IR_OP_nop };
    assert_int_equal(b.n_ops, sizeof(ops) / sizeof(ops[0]));
    for (unsigned i = 0; i < b.n_ops; i++)
        assert_int_equal(b.ops[i].opc, ops[i]);
    ir_block_reset(&b, 0x9000);
    assert_null(b.exit_hook);
    ir_block_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_table_consistent),
        cmocka_unit_test(test_globals_are_first_temps),
        cmocka_unit_test(test_constants_are_shared_and_truncated),
        cmocka_unit_test(test_quick_constants),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_work_block),
        cmocka_unit_test(test_exit_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
