/* Unit tests for the host backend in a code buffer larger than a short
 * branch reaches (every host: backend_host): blocks 200 and 250 MiB from
 * the prologue and from each other, where aarch64's B/BL (+-128 MiB) do
 * not reach.  Exits to the epilogue, helper calls, goto_lookup's fallback
 * and chained goto_tb jumps (forward and backward, patched and unpatched:
 * aarch64's per-slot veneer) must all still work.  The buffer is a sparse
 * memfd: only the touched pages cost memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define RIG_CODE_SIZE (300u << 20)
#include "backend-rig.h"

#define MIB ((size_t)1 << 20)

static uint32_t helper_twice_plus(uint32_t a) { return 2 * a + 3; }
static const IRHelper htp = { .name = "helper_twice_plus", .fn = (void *)helper_twice_plus, .flags = IR_HELPER_PURE,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };

/* Emit blk at offset `at` of the buffer; returns its rx address. */
static uintptr_t emit_at(size_t at, uintptr_t tag)
{
    rig_cb.used = at;
    return rig_emit(tag);
}

static uintptr_t b_code;
static const void *lookup_b(void *cpu)
{
    (void)cpu;
    return (const void *)b_code;
}

static void test_far_blocks(void **state)
{
    (void)state;
    /* A, near the prologue: r0 += 1, then a chainable exit in slot 0 */
    rig_begin();
    ir_mov_to(&blk, R[0], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_goto_tb(&blk, 0);
    ir_mov_to(&blk, R[15], ir_const32(&blk, 0x2000));
    ir_exit_tb(&blk, IR_EXIT_CHAIN0);
    uintptr_t a = emit_at(rig_base_used, 0xa000);
    BackendBlock ba = rig_last;
    assert_int_not_equal(ba.jmp_insn_off[0], UINT32_MAX);
    uintptr_t jmp_a = a + ba.jmp_insn_off[0];

    /* B, 200 MiB on: r1 = helper(r0), exits to the far epilogue */
    rig_begin();
    IRTemp args[1] = { R[0] };
    ir_mov_to(&blk, R[1], ir_call_helper(&blk, &htp, args));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    uintptr_t b = b_code = emit_at(200 * MIB, 0xb000);

    /* C, 250 MiB on: r2 = 7, then goto_tb slot 1 (to be chained back to A) */
    rig_begin();
    ir_mov_to(&blk, R[2], ir_const32(&blk, 7));
    ir_goto_tb(&blk, 1);
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    uintptr_t c = emit_at(250 * MIB, 0xc000);
    BackendBlock bc = rig_last;
    uintptr_t jmp_c = c + bc.jmp_insn_off[1];

    /* D, 280 MiB on: goto_lookup through the shared fallback */
    rig_begin();
    ir_mov_to(&blk, R[3], ir_const32(&blk, 9));
    ir_goto_lookup(&blk);
    uintptr_t d = emit_at(280 * MIB, 0xd000);

    /* unpatched: each leaves by its own exit */
    rig_reset_cpu();
    assert_int_equal(rig_enter(a), 0xa000 | IR_EXIT_CHAIN0);
    assert_int_equal(rig_cpu.r[0], 1);
    assert_int_equal(rig_cpu.r[15], 0x2000);
    rig_reset_cpu();
    rig_cpu.r[0] = 20;
    assert_int_equal(rig_enter(b), 0xb000 | IR_EXIT_NOCHAIN);
    assert_int_equal(rig_cpu.r[1], 43);
    rig_reset_cpu();
    assert_int_equal(rig_enter(c), 0xc000 | IR_EXIT_CHAIN1);
    assert_int_equal(rig_cpu.r[2], 7);

    /* chained A -> B (forward, 200 MiB) and C -> A (backward, 250 MiB) */
    RIG_BACKEND.patch_jump(&rig_cb, jmp_a, b);
    RIG_BACKEND.patch_jump(&rig_cb, jmp_c, a);
    rig_reset_cpu();
    rig_cpu.r[0] = 4;
    assert_int_equal(rig_enter(c), 0xb000 | IR_EXIT_NOCHAIN);
    assert_int_equal(rig_cpu.r[2], 7);
    assert_int_equal(rig_cpu.r[0], 5);
    assert_int_equal(rig_cpu.r[1], 13);
    assert_int_equal(rig_cpu.r[15], 0);
    /* retargeted while chained: A -> D, whose goto_lookup finds B */
    RIG_BACKEND.patch_jump(&rig_cb, jmp_a, d);
    rig_reset_cpu();
    rig_lookups = 0;
    rig_lookup_result = lookup_b;
    assert_int_equal(rig_enter(a), 0xb000 | IR_EXIT_NOCHAIN);
    assert_int_equal(rig_lookups, 1);
    assert_int_equal(rig_cpu.r[3], 9);
    assert_int_equal(rig_cpu.r[1], 2 * 1 + 3);
    /* goto_lookup finding nothing: D's own exit */
    rig_lookup_result = NULL;
    rig_reset_cpu();
    assert_int_equal(rig_enter(d), 0xd000 | IR_EXIT_NOCHAIN);

    /* unchained: back to the fall-through */
    RIG_BACKEND.patch_jump(&rig_cb, jmp_a, a + ba.jmp_reset_off[0]);
    RIG_BACKEND.patch_jump(&rig_cb, jmp_c, c + bc.jmp_reset_off[1]);
    rig_reset_cpu();
    assert_int_equal(rig_enter(a), 0xa000 | IR_EXIT_CHAIN0);
    assert_int_equal(rig_cpu.r[1], 0);
    rig_reset_cpu();
    assert_int_equal(rig_enter(c), 0xc000 | IR_EXIT_CHAIN1);
    rig_cb.used = rig_base_used;
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    (void)rig_finish;                             /* the rig's, unused here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_far_blocks),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
