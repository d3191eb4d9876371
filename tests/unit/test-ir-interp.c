/* Unit tests for the reference IR interpreter: the exact semantics of every
 * op class, corner cases included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/ir-test-cpu.h"

static TestRig rig;

/* out = opc(a, b) through globals (r0, r1 -> r2 or x0, x1 -> x2). */
static uint64_t bin(IROpcode opc, IRType t, uint64_t a, uint64_t c)
{
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0x1000);
    IRTemp x = t == IR_I32 ? rig.r[0] : rig.x[0];
    IRTemp y = t == IR_I32 ? rig.r[1] : rig.x[1];
    IRTemp o = t == IR_I32 ? rig.r[2] : rig.x[2];
    if (t == IR_I32) {
        rig.cpu.r[0] = (uint32_t)a;
        rig.cpu.r[1] = (uint32_t)c;
    } else {
        rig.cpu.x[0] = a;
        rig.cpu.x[1] = c;
    }
    if (ir_op_defs[opc].n_in == 1)
        ir_op1_to(&b, opc, o, x);
    else
        ir_op2_to(&b, opc, o, x, y);
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(test_run(&rig, &b), IR_EXIT_NOCHAIN);
    assert_int_equal(rig.cpu.guard, 0x5a5a5a5a);
    ir_block_free(&b);
    return t == IR_I32 ? rig.cpu.r[2] : rig.cpu.x[2];
}

static void test_arith_wraps_at_width(void **state)
{
    (void)state;
    assert_int_equal(bin(IR_OP_add, IR_I32, 0xffffffff, 1), 0);
    assert_int_equal(bin(IR_OP_sub, IR_I32, 0, 1), 0xffffffff);
    assert_int_equal(bin(IR_OP_mul, IR_I32, 0x10000, 0x10000), 0);
    assert_int_equal(bin(IR_OP_add, IR_I64, 0xffffffff, 1), 0x100000000ull);
    assert_int_equal(bin(IR_OP_sub, IR_I64, 0, 1), UINT64_MAX);
    assert_int_equal(bin(IR_OP_neg, IR_I32, 1, 0), 0xffffffff);
    assert_int_equal(bin(IR_OP_not, IR_I32, 0, 0), 0xffffffff);
    assert_int_equal(bin(IR_OP_not, IR_I64, 0, 0), UINT64_MAX);
    assert_int_equal(bin(IR_OP_andc, IR_I32, 0xff, 0x0f), 0xf0);
    assert_int_equal(bin(IR_OP_xor, IR_I32, 0xf0f0, 0xffff), 0x0f0f);
    assert_int_equal(bin(IR_OP_or, IR_I64, 1ull << 40, 1), (1ull << 40) | 1);
    assert_int_equal(bin(IR_OP_and, IR_I64, 0xff00ff00ff00ull, 0xffff00000000ull), 0xff0000000000ull);
}

static void test_shifts_modulo_width(void **state)
{
    (void)state;
    assert_int_equal(bin(IR_OP_shl, IR_I32, 1, 31), 0x80000000u);
    assert_int_equal(bin(IR_OP_shl, IR_I32, 1, 32), 1);        /* 32 mod 32 == 0 */
    assert_int_equal(bin(IR_OP_shl, IR_I32, 1, 33), 2);
    assert_int_equal(bin(IR_OP_shr, IR_I32, 0x80000000u, 31), 1);
    assert_int_equal(bin(IR_OP_sar, IR_I32, 0x80000000u, 31), 0xffffffff);
    assert_int_equal(bin(IR_OP_sar, IR_I32, 0x40000000u, 30), 1);
    assert_int_equal(bin(IR_OP_sar, IR_I32, 0x80000000u, 32), 0x80000000u);
    assert_int_equal(bin(IR_OP_shl, IR_I64, 1, 63), 1ull << 63);
    assert_int_equal(bin(IR_OP_shl, IR_I64, 1, 64), 1);
    assert_int_equal(bin(IR_OP_shl, IR_I64, 1, 65), 2);
    assert_int_equal(bin(IR_OP_sar, IR_I64, 1ull << 63, 63), UINT64_MAX);
    assert_int_equal(bin(IR_OP_shr, IR_I64, 1ull << 63, 63), 1);
    assert_int_equal(bin(IR_OP_rotl, IR_I32, 0x80000001u, 1), 3);
    assert_int_equal(bin(IR_OP_rotr, IR_I32, 0x80000001u, 1), 0xc0000000u);
    assert_int_equal(bin(IR_OP_rotl, IR_I32, 0x12345678, 0), 0x12345678);
    assert_int_equal(bin(IR_OP_rotl, IR_I32, 0x12345678, 36), 0x23456781);
    assert_int_equal(bin(IR_OP_rotr, IR_I64, 1, 1), 1ull << 63);
    assert_int_equal(bin(IR_OP_rotl, IR_I64, 1ull << 63, 65), 1);
}

static void test_division_corner_cases(void **state)
{
    (void)state;
    assert_int_equal(bin(IR_OP_divu, IR_I32, 7, 0), 0);
    assert_int_equal(bin(IR_OP_divs, IR_I32, 7, 0), 0);
    assert_int_equal(bin(IR_OP_remu, IR_I32, 7, 0), 7);
    assert_int_equal(bin(IR_OP_rems, IR_I32, 0xfffffff9u, 0), 0xfffffff9u);
    assert_int_equal(bin(IR_OP_divs, IR_I32, 0x80000000u, 0xffffffffu), 0x80000000u);
    assert_int_equal(bin(IR_OP_rems, IR_I32, 0x80000000u, 0xffffffffu), 0);
    assert_int_equal(bin(IR_OP_divs, IR_I64, 1ull << 63, UINT64_MAX), 1ull << 63);
    assert_int_equal(bin(IR_OP_rems, IR_I64, 1ull << 63, UINT64_MAX), 0);
    assert_int_equal(bin(IR_OP_divs, IR_I32, (uint32_t)-7, 2), (uint32_t)-3);   /* truncates toward 0 */
    assert_int_equal(bin(IR_OP_rems, IR_I32, (uint32_t)-7, 2), (uint32_t)-1);
    assert_int_equal(bin(IR_OP_divu, IR_I32, 0xfffffff9u, 2), 0x7ffffffcu);
    assert_int_equal(bin(IR_OP_remu, IR_I64, 100, 7), 2);
    assert_int_equal(bin(IR_OP_divs, IR_I32, 5, (uint32_t)-1), (uint32_t)-5);
}

static void test_bit_counting_and_bswap(void **state)
{
    (void)state;
    assert_int_equal(bin(IR_OP_clz, IR_I32, 0, 0), 32);
    assert_int_equal(bin(IR_OP_clz, IR_I64, 0, 0), 64);
    assert_int_equal(bin(IR_OP_ctz, IR_I32, 0, 0), 32);
    assert_int_equal(bin(IR_OP_ctz, IR_I64, 0, 0), 64);
    assert_int_equal(bin(IR_OP_clz, IR_I32, 1, 0), 31);
    assert_int_equal(bin(IR_OP_clz, IR_I64, 1, 0), 63);
    assert_int_equal(bin(IR_OP_clz, IR_I32, 0x80000000u, 0), 0);
    assert_int_equal(bin(IR_OP_ctz, IR_I32, 0x80000000u, 0), 31);
    assert_int_equal(bin(IR_OP_ctz, IR_I64, 1ull << 40, 0), 40);
    assert_int_equal(bin(IR_OP_bswap, IR_I32, 0x11223344, 0), 0x44332211);
    assert_int_equal(bin(IR_OP_bswap, IR_I64, 0x1122334455667788ull, 0), 0x8877665544332211ull);
    assert_int_equal(bin(IR_OP_ext8s, IR_I32, 0x180, 0), 0xffffff80u);
    assert_int_equal(bin(IR_OP_ext8u, IR_I32, 0x180, 0), 0x80);
    assert_int_equal(bin(IR_OP_ext16s, IR_I64, 0x18000, 0), 0xffffffffffff8000ull);
    assert_int_equal(bin(IR_OP_ext16u, IR_I64, 0x18000, 0), 0x8000);
}

static void test_double_width_multiplies(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    uint64_t a32[4] = { rig.r[2], rig.r[3], rig.r[0], rig.r[1] };
    ir_emit(&b, IR_OP_mulu2, a32);
    uint64_t s32[4] = { rig.r[4], rig.r[5], rig.r[0], rig.r[1] };
    ir_emit(&b, IR_OP_muls2, s32);
    uint64_t a64[4] = { rig.x[2], rig.x[3], rig.x[0], rig.x[1] };
    ir_emit(&b, IR_OP_muls2, a64);
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[0] = 0xffffffff;
    rig.cpu.r[1] = 0xffffffff;
    rig.cpu.x[0] = UINT64_MAX;     /* -1 */
    rig.cpu.x[1] = 5;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.r[2], 1);              /* 0xffffffff^2 = 0xfffffffe00000001 */
    assert_int_equal(rig.cpu.r[3], 0xfffffffe);
    assert_int_equal(rig.cpu.r[4], 1);              /* (-1)*(-1) = 1 */
    assert_int_equal(rig.cpu.r[5], 0);
    assert_int_equal(rig.cpu.x[2], (uint64_t)-5);
    assert_int_equal(rig.cpu.x[3], UINT64_MAX);
    ir_block_free(&b);

    /* unsigned 64-bit high half */
    ir_block_init(&b, &rig.gs, 0);
    ir_emit(&b, IR_OP_mulu2, a64);
    test_end_block(&b);
    rig.cpu.x[0] = 1ull << 63;
    rig.cpu.x[1] = 6;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.x[2], 0);
    assert_int_equal(rig.cpu.x[3], 3);
    ir_block_free(&b);
}

static void test_bitfields_and_width_changes(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    ir_mov_to(&b, rig.r[1], ir_extract(&b, rig.r[0], 4, 8));
    ir_mov_to(&b, rig.r[2], ir_sextract(&b, rig.r[0], 4, 8));
    ir_mov_to(&b, rig.r[3], ir_deposit(&b, rig.r[0], ir_const32(&b, 0xabc), 8, 8));
    ir_mov_to(&b, rig.r[4], ir_deposit(&b, rig.r[0], ir_const32(&b, 0xffffffff), 0, 32));
    ir_mov_to(&b, rig.x[1], ir_extu_i32_i64(&b, rig.r[0]));
    ir_mov_to(&b, rig.x[2], ir_exts_i32_i64(&b, rig.r[0]));
    ir_mov_to(&b, rig.r[5], ir_extrl_i64_i32(&b, rig.x[0]));
    ir_mov_to(&b, rig.r[6], ir_extrh_i64_i32(&b, rig.x[0]));
    ir_mov_to(&b, rig.x[3], ir_sextract(&b, rig.x[0], 60, 4));
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[0] = 0x80000f80u;
    rig.cpu.x[0] = 0x8123456789abcdefull;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.r[1], 0xf8);
    assert_int_equal(rig.cpu.r[2], 0xfffffff8u);
    assert_int_equal(rig.cpu.r[3], 0x8000bc80u);
    assert_int_equal(rig.cpu.r[4], 0xffffffffu);
    assert_int_equal(rig.cpu.x[1], 0x80000f80ull);
    assert_int_equal(rig.cpu.x[2], 0xffffffff80000f80ull);
    assert_int_equal(rig.cpu.r[5], 0x89abcdefu);
    assert_int_equal(rig.cpu.r[6], 0x81234567u);
    assert_int_equal(rig.cpu.x[3], (uint64_t)-8);   /* 0x8 as 4-bit signed */
    ir_block_free(&b);
}

static void test_setcond_movcond(void **state)
{
    (void)state;
    static const uint32_t vals[] = { 0, 1, 0x7fffffff, 0x80000000u, 0xffffffffu };
    for (int c = 0; c < IR_COND_COUNT; c++) {
        for (unsigned i = 0; i < 5; i++) {
            for (unsigned j = 0; j < 5; j++) {
                IRBlock b;
                test_rig_init(&rig);
                ir_block_init(&b, &rig.gs, 0);
                ir_mov_to(&b, rig.r[2], ir_setcond(&b, (IRCond)c, rig.r[0], rig.r[1]));
                ir_mov_to(&b, rig.x[0], ir_movcond(&b, (IRCond)c, rig.r[0], rig.r[1], rig.x[1], rig.x[2]));
                test_end_block(&b);
                rig.cpu.r[0] = vals[i];
                rig.cpu.r[1] = vals[j];
                rig.cpu.x[1] = 111;
                rig.cpu.x[2] = 222;
                test_run(&rig, &b);
                bool expect = ir_cond_eval((IRCond)c, vals[i], vals[j], IR_I32);
                assert_int_equal(rig.cpu.r[2], expect);
                assert_int_equal(rig.cpu.x[0], expect ? 111 : 222);
                ir_block_free(&b);
            }
        }
    }
    /* spot checks independent of ir_cond_eval */
    assert_true(ir_cond_eval(IR_COND_LT, 0x80000000u, 0, IR_I32));
    assert_false(ir_cond_eval(IR_COND_LTU, 0x80000000u, 0, IR_I32));
}

static void test_memops(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    static const uint8_t bytes[8] = { 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88 };
    memcpy(rig.mem + 0x100, bytes, 8);
    IRTemp a = ir_const32(&b, 0x100);
    ir_mov_to(&b, rig.r[0], ir_ld(&b, IR_I32, a, IR_MO_UB));
    ir_mov_to(&b, rig.r[1], ir_ld(&b, IR_I32, a, IR_MO_SB));
    ir_mov_to(&b, rig.r[2], ir_ld(&b, IR_I32, a, IR_MO_UW));
    ir_mov_to(&b, rig.r[3], ir_ld(&b, IR_I32, a, IR_MO_SW | IR_MO_BSWAP));
    ir_mov_to(&b, rig.r[4], ir_ld(&b, IR_I32, a, IR_MO_UL | IR_MO_BSWAP));
    ir_mov_to(&b, rig.x[0], ir_ld(&b, IR_I64, a, IR_MO_SL));
    ir_mov_to(&b, rig.x[1], ir_ld(&b, IR_I64, ir_const64(&b, 0x100), IR_MO_Q | IR_MO_BSWAP));
    ir_mov_to(&b, rig.x[2], ir_ld(&b, IR_I64, a, IR_MO_UL));
    /* stores: a 16-bit big-endian store and a byte store */
    ir_st(&b, ir_const32(&b, 0x1234abcd), ir_const32(&b, 0x200), IR_MO_UW | IR_MO_BSWAP);
    ir_st(&b, ir_const32(&b, 0xfe), ir_const32(&b, 0x203), IR_MO_SB);
    ir_st(&b, ir_const64(&b, 0x0102030405060708ull), ir_const32(&b, 0x208), IR_MO_Q);
    /* an i32 address wraps at 4 GiB: 0xfffffff0 + 0x310 == 0x300 */
    IRTemp wrapped = ir_add(&b, ir_const32(&b, 0xfffffff0u), ir_const32(&b, 0x310));
    ir_st(&b, ir_const32(&b, 0xdeadbeef), wrapped, IR_MO_UL);
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.r[0], 0x81);
    assert_int_equal(rig.cpu.r[1], 0xffffff81u);
    assert_int_equal(rig.cpu.r[2], 0x8281);
    assert_int_equal(rig.cpu.r[3], 0xffff8182u);
    assert_int_equal(rig.cpu.r[4], 0x81828384u);
    assert_int_equal(rig.cpu.x[0], 0xffffffff84838281ull);
    assert_int_equal(rig.cpu.x[1], 0x8182838485868788ull);
    assert_int_equal(rig.cpu.x[2], 0x84838281ull);
    assert_int_equal(rig.mem[0x200], 0xab);
    assert_int_equal(rig.mem[0x201], 0xcd);
    assert_int_equal(rig.mem[0x202], 0);
    assert_int_equal(rig.mem[0x203], 0xfe);
    assert_int_equal(rig.mem[0x204], 0);
    assert_int_equal(rig.mem[0x208], 0x08);
    assert_int_equal(rig.mem[0x20f], 0x01);
    uint32_t w;
    memcpy(&w, rig.mem + 0x300, 4);
    assert_int_equal(w, 0xdeadbeef);
    ir_block_free(&b);
}

static void test_cmpxchg(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    IRTemp a = ir_const32(&b, 0x40);
    ir_mov_to(&b, rig.r[2], ir_cmpxchg(&b, a, rig.r[0], rig.r[1], IR_MO_UL));
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    uint32_t v = 7;
    memcpy(rig.mem + 0x40, &v, 4);
    rig.cpu.r[0] = 7;                        /* matches: swap */
    rig.cpu.r[1] = 9;
    test_run(&rig, &b);
    memcpy(&v, rig.mem + 0x40, 4);
    assert_int_equal(v, 9);
    assert_int_equal(rig.cpu.r[2], 7);
    rig.cpu.r[0] = 7;                        /* no longer matches: unchanged */
    rig.cpu.r[1] = 11;
    test_run(&rig, &b);
    memcpy(&v, rig.mem + 0x40, 4);
    assert_int_equal(v, 9);
    assert_int_equal(rig.cpu.r[2], 9);
    ir_block_free(&b);

    /* byte-sized, sign-extended old value */
    ir_block_init(&b, &rig.gs, 0);
    ir_mov_to(&b, rig.r[2], ir_cmpxchg(&b, ir_const32(&b, 0x50), rig.r[0], rig.r[1], IR_MO_SB));
    test_end_block(&b);
    rig.mem[0x50] = 0x80;
    rig.cpu.r[0] = 0xffffff80u;
    rig.cpu.r[1] = 0x1;
    test_run(&rig, &b);
    assert_int_equal(rig.mem[0x50], 1);
    assert_int_equal(rig.cpu.r[2], 0xffffff80u);
    ir_block_free(&b);
}

static void test_branches_and_loops(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    /* r1 = sum of 1..r0 with a backward branch; r2 = r0 > 5 ? 1 : 2 via brcond */
    unsigned loop = ir_label_new(&b), done = ir_label_new(&b), big = ir_label_new(&b), join = ir_label_new(&b);
    IRTemp i = ir_temp_new(&b, IR_I32), s = ir_temp_new(&b, IR_I32);
    ir_mov_to(&b, i, rig.r[0]);
    ir_mov_to(&b, s, ir_const32(&b, 0));
    ir_set_label(&b, loop);
    ir_brcond(&b, IR_COND_EQ, i, ir_const32(&b, 0), done);
    ir_op2_to(&b, IR_OP_add, s, s, i);
    ir_op2_to(&b, IR_OP_sub, i, i, ir_const32(&b, 1));
    ir_br(&b, loop);
    ir_set_label(&b, done);
    ir_mov_to(&b, rig.r[1], s);
    ir_brcond(&b, IR_COND_GTU, rig.r[0], ir_const32(&b, 5), big);
    ir_mov_to(&b, rig.r[2], ir_const32(&b, 2));
    ir_br(&b, join);
    ir_set_label(&b, big);
    ir_mov_to(&b, rig.r[2], ir_const32(&b, 1));
    ir_set_label(&b, join);
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[0] = 10;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.r[1], 55);
    assert_int_equal(rig.cpu.r[2], 1);
    rig.cpu.r[0] = 3;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.r[1], 6);
    assert_int_equal(rig.cpu.r[2], 2);
    ir_block_free(&b);
}

static void test_exits(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);

    /* exit_check + insn_start + goto_tb/exit_tb */
    ir_block_init(&b, &rig.gs, 0x8000);
    ir_exit_check(&b);
    ir_insn_start(&b, 0x8000);
    ir_mov_to(&b, rig.r[0], ir_const32(&b, 1));
    ir_insn_start(&b, 0x8004);
    ir_goto_tb(&b, 1);
    ir_mov_to(&b, rig.r[7], ir_const32(&b, 0x8008));
    ir_exit_tb(&b, IR_EXIT_CHAIN1);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(test_run(&rig, &b), IR_EXIT_CHAIN1);
    assert_int_equal(rig.cur_pc[0], 0x8004);
    assert_int_equal(rig.cpu.r[7], 0x8008);
    assert_int_equal(rig.cpu.r[0], 1);
    /* with an exit request nothing in the block runs */
    rig.cpu.r[0] = 0;
    rig.cpu.exit_request = 1;
    assert_int_equal(test_run(&rig, &b), IR_EXIT_EXCEPTION);
    assert_int_equal(rig.cpu.exception, IR_EXCP_EXIT_REQUEST);
    assert_int_equal(rig.cpu.r[0], 0);
    rig.cpu.exit_request = 0;
    ir_block_free(&b);

    /* tier_count: counts down an int32 in the cpu state; at zero it leaves
     * like exit_check, before anything runs */
    ir_block_init(&b, &rig.gs, 0x8000);
    ir_tier_count(&b, (int32_t)(offsetof(TestCPU, r) + 4 * 6));
    ir_mov_to(&b, rig.r[0], ir_const32(&b, 5));
    ir_exit_tb(&b, IR_EXIT_NOCHAIN);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[6] = 2;
    rig.cpu.r[0] = 0;
    assert_int_equal(test_run(&rig, &b), IR_EXIT_NOCHAIN);
    assert_int_equal(rig.cpu.r[6], 1);
    assert_int_equal(rig.cpu.r[0], 5);
    rig.cpu.r[0] = 0;
    assert_int_equal(test_run(&rig, &b), IR_EXIT_EXCEPTION);
    assert_int_equal(rig.cpu.exception, IR_EXCP_EXIT_REQUEST);
    assert_int_equal(rig.cpu.r[6], 0);
    assert_int_equal(rig.cpu.r[0], 0);
    ir_block_free(&b);

    /* raise */
    ir_block_init(&b, &rig.gs, 0);
    ir_insn_start(&b, 0x9000);
    ir_mov_to(&b, rig.r[1], ir_const32(&b, 42));
    ir_raise(&b, 33);
    ir_mov_to(&b, rig.r[1], ir_const32(&b, 43));   /* never runs */
    ir_goto_lookup(&b);
    rig.cpu.exception = 0;
    assert_int_equal(test_run(&rig, &b), IR_EXIT_EXCEPTION);
    assert_int_equal(rig.cpu.exception, 33);
    assert_int_equal(rig.cpu.r[1], 42);
    ir_block_free(&b);

    /* goto_lookup */
    ir_block_init(&b, &rig.gs, 0);
    ir_mov_to(&b, rig.r[7], rig.r[1]);
    ir_goto_lookup(&b);
    assert_int_equal(test_run(&rig, &b), IR_EXIT_NOCHAIN);
    assert_int_equal(rig.cpu.r[7], 42);
    ir_block_free(&b);
}

static uint32_t helper_add3_calls;
static uint32_t helper_add3(uint32_t a, uint32_t b, uint32_t c)
{
    helper_add3_calls++;
    return a + b + c;
}
/* Returns junk in the high half: the interpreter must truncate i32 results. */
static uint64_t helper_junk_high(uint64_t a)
{
    return 0xdead000000000000ull | a;
}
static uint64_t helper_env(void *cpu, uint64_t a)
{
    TestCPU *c = cpu;
    c->env_word = (uint32_t)a;
    return c->r[0] * 2ull + a;
}

static void test_calls_and_env_access(void **state)
{
    (void)state;
    static const IRHelper h_add3 = {
        .name = "add3", .fn = (void *)helper_add3, .flags = IR_HELPER_PURE,
        .n_args = 3, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32, IR_I32, IR_I32 } };
    static const IRHelper h_junk = {
        .name = "junk", .fn = (void *)helper_junk_high, .flags = IR_HELPER_PURE,
        .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I64 } };
    static const IRHelper h_env = {
        .name = "env", .fn = (void *)helper_env, .flags = IR_HELPER_PASS_ENV,
        .n_args = 1, .has_result = true, .ret_type = IR_I64, .arg_types = { IR_I32 } };
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    IRTemp in3[3] = { rig.r[0], rig.r[1], ir_const32(&b, 0xffffffff) };
    ir_mov_to(&b, rig.r[2], ir_call_helper(&b, &h_add3, in3));
    IRTemp in1[1] = { rig.x[0] };
    ir_mov_to(&b, rig.r[3], ir_call_helper(&b, &h_junk, in1));
    IRTemp in_env[1] = { ir_const32(&b, 5) };
    ir_mov_to(&b, rig.x[1], ir_call_helper(&b, &h_env, in_env));
    ir_mov_to(&b, rig.r[4], ir_ld_env(&b, IR_I32, offsetof(TestCPU, env_word), IR_MO_UL));
    ir_st_env(&b, ir_const32(&b, 0x1ff), offsetof(TestCPU, env_word), IR_MO_UB);
    ir_mov_to(&b, rig.r[5], ir_ld_env(&b, IR_I32, offsetof(TestCPU, env_word), IR_MO_SB));
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[0] = 10;
    rig.cpu.r[1] = 20;
    rig.cpu.x[0] = 0x12345678;
    helper_add3_calls = 0;
    test_run(&rig, &b);
    assert_int_equal(helper_add3_calls, 1);
    assert_int_equal(rig.cpu.r[2], 29);
    assert_int_equal(rig.cpu.r[3], 0x12345678);
    assert_int_equal(rig.cpu.x[1], 25);
    assert_int_equal(rig.cpu.r[4], 5);
    assert_int_equal(rig.cpu.r[5], 0xffffffffu);   /* 0xff sign-extended from a byte */
    assert_int_equal(rig.cpu.env_word, 0xff);       /* byte store left the rest */
    assert_int_equal(rig.cpu.guard, 0x5a5a5a5a);
    ir_block_free(&b);
}

static uint64_t helper_env_sum6(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
    return ((TestCPU *)cpu)->r[7] + a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

static void test_call_with_most_arguments(void **state)
{
    (void)state;
    static const IRHelper h = { .name = "sum6", .fn = (void *)helper_env_sum6, .flags = IR_HELPER_PASS_ENV,
        .n_args = 6, .has_result = true, .ret_type = IR_I64,
        .arg_types = { IR_I32, IR_I32, IR_I64, IR_I64, IR_I32, IR_I64 } };
    IRBlock b;
    test_rig_init(&rig);
    ir_block_init(&b, &rig.gs, 0);
    IRTemp in[6] = { rig.r[0], rig.r[1], rig.x[0], rig.x[1], ir_const32(&b, 10), ir_const64(&b, 1ull << 40) };
    ir_mov_to(&b, rig.x[2], ir_call_helper(&b, &h, in));
    test_end_block(&b);
    assert_int_equal(ir_verify(&b, stderr), 0);
    rig.cpu.r[7] = 1000;
    rig.cpu.r[0] = 1;
    rig.cpu.r[1] = 0xffffffff;      /* passed zero-extended */
    rig.cpu.x[0] = 3;
    rig.cpu.x[1] = 4;
    test_run(&rig, &b);
    assert_int_equal(rig.cpu.x[2], 1000 + 1 + 2 * 0xffffffffull + 9 + 16 + 50 + 6 * (1ull << 40));
    ir_block_free(&b);
}

static uint64_t last_unaligned = 0;
static void on_unaligned(void *cpu, uint64_t addr, bool is_write)
{
    (void)cpu;
    last_unaligned = addr | ((uint64_t)is_write << 63);
}

static void test_alignment_hook(void **state)
{
    (void)state;
    IRBlock b;
    test_rig_init(&rig);
    rig.env.unaligned = on_unaligned;
    ir_block_init(&b, &rig.gs, 0);
    ir_mov_to(&b, rig.r[0], ir_ld(&b, IR_I32, ir_const32(&b, 0x101), IR_MO_UL | IR_MO_ALIGN));
    ir_mov_to(&b, rig.r[1], ir_ld(&b, IR_I32, ir_const32(&b, 0x105), IR_MO_UL));  /* not checked */
    test_end_block(&b);
    test_run(&rig, &b);
    assert_int_equal(last_unaligned, 0x101);
    ir_block_free(&b);
    ir_block_init(&b, &rig.gs, 0);
    ir_st(&b, rig.r[0], ir_const32(&b, 0x102), IR_MO_UW | IR_MO_ALIGN);   /* aligned */
    ir_st(&b, rig.r[0], ir_const32(&b, 0x106), IR_MO_UL | IR_MO_ALIGN);
    test_end_block(&b);
    last_unaligned = 0;
    test_run(&rig, &b);
    assert_int_equal(last_unaligned, 0x106 | (1ull << 63));
    ir_block_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arith_wraps_at_width),
        cmocka_unit_test(test_shifts_modulo_width),
        cmocka_unit_test(test_division_corner_cases),
        cmocka_unit_test(test_bit_counting_and_bswap),
        cmocka_unit_test(test_double_width_multiplies),
        cmocka_unit_test(test_bitfields_and_width_changes),
        cmocka_unit_test(test_setcond_movcond),
        cmocka_unit_test(test_memops),
        cmocka_unit_test(test_cmpxchg),
        cmocka_unit_test(test_branches_and_loops),
        cmocka_unit_test(test_exits),
        cmocka_unit_test(test_calls_and_env_access),
        cmocka_unit_test(test_call_with_most_arguments),
        cmocka_unit_test(test_alignment_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
