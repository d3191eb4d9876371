/* Unit tests for the host backend's control flow and state handling (every
 * host: backend_host): register pressure, helper calls, exits, goto_tb
 * chaining, goto_lookup, exit_check, fault precision, a full buffer, and a
 * differential test of random blocks against the IR interpreter.  The
 * x86_64 code-shape checks are in test-backend-x86_64-flow.c. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <cmocka.h>

#include "exec/tb.h"
#include "backend-rig.h"

/* ---- register pressure ------------------------------------------------------ */

static void test_register_pressure(void **state)
{
    (void)state;
    enum { N = 40 };
    for (int variant = 0; variant < 3; variant++) {
        rig_reset_cpu();
        for (int i = 0; i < 8; i++)
            rig_cpu.r[i] = 1000u * (unsigned)i + 7;
        rig_begin();
        IRTemp t[N];
        uint32_t want[N];
        for (int i = 0; i < N; i++) {
            t[i] = ir_add(&blk, R[i % 8], ir_const32(&blk, (uint32_t)i * 3));
            want[i] = rig_cpu.r[i % 8] + (uint32_t)i * 3;
        }
        if (variant == 1) {      /* a basic-block boundary with everything live */
            unsigned l = ir_label_new(&blk);
            ir_brcond(&blk, IR_COND_EQ, R[0], ir_const32(&blk, 12345), l);
            ir_set_label(&blk, l);
        }
        /* everything live at once: combine in an order unlike definition */
        IRTemp acc = ir_mov(&blk, t[N - 1]);
        uint32_t wacc = want[N - 1];
        for (int i = N - 2; i >= 0; i--) {
            acc = i & 1 ? ir_xor(&blk, acc, t[i]) : ir_add(&blk, ir_mul(&blk, acc, ir_const32(&blk, 3)), t[i]);
            wacc = i & 1 ? wacc ^ want[i] : wacc * 3 + want[i];
        }
        ir_mov_to(&blk, R[8], acc);
        /* the values are still live: sum them again */
        IRTemp s = ir_mov(&blk, t[0]);
        uint32_t ws = want[0];
        for (int i = 1; i < N; i++) {
            s = ir_sub(&blk, s, t[i]);
            ws -= want[i];
        }
        if (variant == 2)        /* i64 pressure too */
            for (int i = 0; i < N; i++)
                s = ir_extrl_i64_i32(&blk, ir_add(&blk, ir_extu_i32_i64(&blk, s), ir_exts_i32_i64(&blk, t[i])));
        if (variant == 2)
            for (int i = 0; i < N; i++)
                ws += want[i];
        ir_mov_to(&blk, R[9], s);
        rig_finish();
        assert_int_equal(rig_cpu.r[8], wacc);
        assert_int_equal(rig_cpu.r[9], ws);
        for (int i = 0; i < 8; i++)
            assert_int_equal(rig_cpu.r[i], 1000u * (unsigned)i + 7);
    }
}

static void test_locals_across_labels_and_loops(void **state)
{
    (void)state;
    /* a counted loop in one block: t = sum of 1..r1, locals live across the back edge */
    rig_reset_cpu();
    rig_cpu.r[1] = 100;
    rig_begin();
    IRTemp i = ir_temp_new(&blk, IR_I32), sum = ir_temp_new(&blk, IR_I32), x64 = ir_temp_new(&blk, IR_I64);
    ir_mov_to(&blk, i, ir_const32(&blk, 0));
    ir_mov_to(&blk, sum, ir_const32(&blk, 0));
    ir_mov_to(&blk, x64, ir_const64(&blk, 1));
    unsigned top = ir_label_new(&blk), done = ir_label_new(&blk);
    ir_set_label(&blk, top);
    ir_brcond(&blk, IR_COND_GEU, i, R[1], done);
    ir_op2_to(&blk, IR_OP_add, i, i, ir_const32(&blk, 1));
    ir_op2_to(&blk, IR_OP_add, sum, sum, i);
    ir_op2_to(&blk, IR_OP_mul, x64, x64, ir_const64(&blk, 3));
    ir_mov_to(&blk, R[2], sum);   /* a global written inside the loop */
    ir_br(&blk, top);
    ir_set_label(&blk, done);
    ir_mov_to(&blk, R[0], sum);
    ir_mov_to(&blk, X[0], x64);
    rig_finish();
    uint64_t p = 1;
    for (int k = 0; k < 100; k++)
        p *= 3;
    assert_int_equal(rig_cpu.r[0], 5050);
    assert_int_equal(rig_cpu.r[2], 5050);
    assert_int_equal(rig_cpu.x[0], p);
}

/* Many loops in one block, some nested, with globals the loops read:
 * more loops than get register maps (16), inner labels, a loop entered
 * by a forward branch into its middle. */
static void test_many_loops(void **state)
{
    (void)state;
    rig_reset_cpu();
    for (int k = 0; k < 8; k++)
        rig_cpu.r[k] = (uint32_t)(k + 3);
    rig_begin();
    uint32_t want[8];
    for (int k = 0; k < 8; k++)
        want[k] = (uint32_t)(k + 3);
    for (int n = 0; n < 20; n++) {
        /* r[a] += r[b] (r[c] times), with an inner skip on odd counts */
        int a = n % 8, b = (n + 3) % 8, c = (n + 5) % 8;
        IRTemp i = ir_temp_new(&blk, IR_I32);
        ir_mov_to(&blk, i, ir_const32(&blk, 0));
        unsigned top = ir_label_new(&blk), skip = ir_label_new(&blk), mid = ir_label_new(&blk);
        if (n % 5 == 4)
            ir_br(&blk, mid);                 /* enter in the middle */
        ir_set_label(&blk, top);
        ir_brcond(&blk, IR_COND_NE, ir_andi(&blk, i, 1), ir_const32(&blk, 0), skip);
        ir_op2_to(&blk, IR_OP_add, R[a], R[a], R[b]);
        ir_set_label(&blk, skip);
        ir_op2_to(&blk, IR_OP_add, R[a], R[a], ir_const32(&blk, 1));
        ir_set_label(&blk, mid);
        ir_op2_to(&blk, IR_OP_add, i, i, ir_const32(&blk, 1));
        ir_brcond(&blk, IR_COND_LTU, i, ir_andi(&blk, R[c], 7), top);
        /* the same in C */
        uint32_t cnt = want[c] & 7, j = 0;
        if (n % 5 == 4)
            goto c_mid;
        for (;;) {
            if (!(j & 1))
                want[a] += want[b];
            want[a] += 1;
        c_mid:
            j++;
            if (!(j < (want[c] & 7)))
                break;
        }
        (void)cnt;
    }
    rig_finish();
    for (int k = 0; k < 8; k++)
        assert_int_equal(rig_cpu.r[k], want[k]);
}

/* ---- helper calls ---------------------------------------------------------- */

static uint64_t seen_env;
static unsigned misaligned_calls;
/* SysV: rsp is 16-byte aligned at the call, so the frame pointer is too. */
#define CHECK_STACK_ALIGNED() (misaligned_calls += ((uintptr_t)__builtin_frame_address(0) & 15) != 0)
static uint64_t helper6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
    CHECK_STACK_ALIGNED();
    return a * 1 + b * 10 + c * 100 + d * 1000 + e * 10000 + f * 100000;
}
static uint32_t helper_env(void *env, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    seen_env = (uintptr_t)env;
    FakeCPU *cpu = env;
    /* reads a global (must have been written back) and writes one */
    uint32_t r = cpu->r[5] + a + b + c + d + e;
    cpu->r[6] = 0x600d;
    return r;
}
static uint32_t helper_pure(uint32_t a, uint32_t b) { return (a << 8) ^ b ^ 0xffffff00u; }
static uint64_t helper_ret64(uint32_t a) { return 0xabcdef0000000000ull | a; }

static const IRHelper h6 = { .name = "helper6", .fn = (void *)helper6, .flags = IR_HELPER_PURE,
    .n_args = 6, .has_result = true, .ret_type = IR_I64, .arg_types = { IR_I64, IR_I32, IR_I64, IR_I32, IR_I64, IR_I32 } };
static const IRHelper henv = { .name = "helper_env", .fn = (void *)helper_env, .flags = IR_HELPER_PASS_ENV,
    .n_args = 5, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32, IR_I32, IR_I32, IR_I32, IR_I32 } };
static const IRHelper hpure = { .name = "helper_pure", .fn = (void *)helper_pure, .flags = IR_HELPER_PURE,
    .n_args = 2, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32, IR_I32 } };
static const IRHelper hret64 = { .name = "helper_ret64", .fn = (void *)helper_ret64, .flags = IR_HELPER_PURE,
    .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };

static uint64_t helper_env6(void *env, uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e, uint64_t f)
{
    seen_env = (uintptr_t)env;
    CHECK_STACK_ALIGNED();
    return a + 3 * b + 5 * c + 7 * d + 11 * e + 13 * f;
}
static const IRHelper henv6 = { .name = "helper_env6", .fn = (void *)helper_env6, .flags = IR_HELPER_PASS_ENV | IR_HELPER_NO_WRITE_GLOBALS,
    .n_args = 6, .has_result = true, .ret_type = IR_I64, .arg_types = { IR_I32, IR_I64, IR_I32, IR_I64, IR_I32, IR_I64 } };

static void test_helper_env_and_six_args(void **state)
{
    (void)state;
    /* env + 6 arguments: the sixth goes on the stack, from each kind of source */
    for (int form = 0; form < 3; form++) {
        rig_reset_cpu();
        rig_cpu.r[1] = 1;
        rig_cpu.x[1] = 0x100000000ull;
        rig_cpu.x[2] = 1000;
        seen_env = 0;
        rig_begin();
        IRTemp last = form == 0 ? X[2] : form == 1 ? ir_const64(&blk, 1000) : ir_add(&blk, X[2], ir_const64(&blk, 0));
        IRTemp a[6] = { R[1], X[1], ir_const32(&blk, 2), ir_add(&blk, X[1], X[1]), R[1], last };
        ir_mov_to(&blk, X[0], ir_call_helper(&blk, &henv6, a));
        ir_mov_to(&blk, X[3], ir_add(&blk, X[2], ir_const64(&blk, 1)));   /* state still right after */
        rig_finish();
        assert_int_equal(seen_env, (uintptr_t)&rig_cpu);
        assert_int_equal(rig_cpu.x[0], helper_env6(NULL, 1, 0x100000000ull, 2, 0x200000000ull, 1, 1000));
        assert_int_equal(rig_cpu.x[3], 1001);
    }
    assert_int_equal(misaligned_calls, 0);
}

static void test_helper_calls(void **state)
{
    (void)state;
    rig_reset_cpu();
    for (int i = 0; i < 8; i++) {
        rig_cpu.r[i] = (uint32_t)i + 1;
        rig_cpu.x[i] = (uint64_t)i + 1;
    }
    rig_begin();
    /* live values in caller-saved registers across calls */
    IRTemp live[12];
    for (int i = 0; i < 12; i++)
        live[i] = ir_add(&blk, R[i % 8], ir_const32(&blk, 100u * (unsigned)i));
    /* arguments in a rotated order, so the parallel move has cycles */
    IRTemp a6[6] = { X[3], R[2], X[1], R[6], ir_const64(&blk, 7), live[3] };
    IRTemp r6 = ir_call_helper(&blk, &h6, a6);
    ir_mov_to(&blk, X[0], r6);
    /* r5 modified in a register: the helper must see the new value */
    ir_mov_to(&blk, R[5], ir_const32(&blk, 50));
    ir_mov_to(&blk, R[6], ir_const32(&blk, 1));
    IRTemp a5[5] = { live[0], live[1], live[2], R[3], ir_const32(&blk, 9) };
    IRTemp re = ir_call_helper(&blk, &henv, a5);
    ir_mov_to(&blk, R[0], re);
    /* r6 was written by the helper: the backend must not use a stale copy */
    ir_mov_to(&blk, R[7], ir_add(&blk, R[6], ir_const32(&blk, 1)));
    IRTemp ap[2] = { live[4], live[5] };
    ir_mov_to(&blk, R[1], ir_call_helper(&blk, &hpure, ap));
    IRTemp a1[1] = { live[6] };
    ir_mov_to(&blk, R[2], ir_call_helper(&blk, &hret64, a1));   /* i32 result: upper bits cut */
    IRTemp s = live[0];
    for (int i = 1; i < 12; i++)
        s = ir_add(&blk, s, live[i]);
    ir_mov_to(&blk, R[3], s);
    rig_finish();
    uint32_t lv[12], ws = 0;
    for (int i = 0; i < 12; i++) {
        lv[i] = (uint32_t)(i % 8) + 1 + 100u * (unsigned)i;
        ws += lv[i];
    }
    assert_int_equal(rig_cpu.x[0], helper6(4, 3, 2, 7, 7, lv[3]));
    assert_int_equal(seen_env, (uintptr_t)&rig_cpu);
    assert_int_equal(rig_cpu.r[0], 50 + lv[0] + lv[1] + lv[2] + 4 + 9);
    assert_int_equal(rig_cpu.r[6], 0x600d);
    assert_int_equal(rig_cpu.r[7], 0x600e);
    assert_int_equal(rig_cpu.r[1], helper_pure(lv[4], lv[5]));
    assert_int_equal(rig_cpu.r[2], lv[6]);
    assert_int_equal(rig_cpu.r[3], ws);
    assert_int_equal(misaligned_calls, 0);
}

/* ---- exits ----------------------------------------------------------------- */

static void test_exits(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 4; k++) {
        rig_reset_cpu();
        rig_begin();
        ir_mov_to(&blk, R[0], ir_const32(&blk, k + 1));
        ir_exit_tb(&blk, (IRExitKind)k);
        assert_int_equal(rig_run(), RIG_TAG | k);
        assert_int_equal(rig_cpu.r[0], k + 1);
    }
    /* raise */
    rig_reset_cpu();
    rig_begin();
    ir_mov_to(&blk, R[1], ir_add(&blk, R[1], ir_const32(&blk, 3)));
    ir_raise(&blk, EXCP_UDEF);
    assert_int_equal(rig_run(), RIG_TAG | IR_EXIT_EXCEPTION);
    assert_int_equal(rig_cpu.common.exception_index, EXCP_UDEF);
    assert_int_equal(rig_cpu.r[1], 3);
    /* exit_check: leaves only when requested */
    for (int req = 0; req < 2; req++) {
        rig_reset_cpu();
        rig_cpu.common.exit_request = req;
        rig_begin();
        ir_exit_check(&blk);
        ir_mov_to(&blk, R[2], ir_const32(&blk, 77));
        uintptr_t ret = rig_finish();
        if (req) {
            assert_int_equal(ret, RIG_TAG | IR_EXIT_EXCEPTION);
            assert_int_equal(rig_cpu.common.exception_index, IR_EXCP_EXIT_REQUEST);
            assert_int_equal(rig_cpu.r[2], 0);
        } else {
            assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
            assert_int_equal(rig_cpu.r[2], 77);
        }
    }
    /* tier_count: decrements its counter on entry and leaves like
     * exit_check, before anything else, when it reaches zero */
    for (int entries = 3; entries > 0; entries--) {
        rig_reset_cpu();
        rig_cpu.env_word = (uint32_t)entries;
        rig_begin();
        ir_tier_count(&blk, (int32_t)offsetof(FakeCPU, env_word));
        ir_mov_to(&blk, R[2], ir_const32(&blk, 77));
        uintptr_t ret = rig_finish();
        assert_int_equal(rig_cpu.env_word, (uint32_t)entries - 1);
        if (entries == 1) {
            assert_int_equal(ret, RIG_TAG | IR_EXIT_EXCEPTION);
            assert_int_equal(rig_cpu.common.exception_index, IR_EXCP_EXIT_REQUEST);
            assert_int_equal(rig_cpu.r[2], 0);
        } else {
            assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
            assert_int_equal(rig_cpu.r[2], 77);
        }
    }
}

static uintptr_t other_block;
static const void *lookup_other(void *cpu)
{
    FakeCPU *c = cpu;
    assert_int_equal(c->r[0], 0x4444);   /* state written back before the lookup */
    return (const void *)other_block;
}

static void test_goto_lookup(void **state)
{
    (void)state;
    rig_cb.used = rig_base_used;
    /* the target block */
    rig_begin();
    ir_mov_to(&blk, R[1], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    other_block = rig_emit(0x5550);
    /* the block that looks it up */
    rig_begin();
    ir_mov_to(&blk, R[0], ir_const32(&blk, 0x4444));
    ir_goto_lookup(&blk);
    uintptr_t code = rig_emit(RIG_TAG);

    rig_reset_cpu();
    rig_lookups = 0;
    rig_lookup_result = NULL;
    assert_int_equal(rig_enter(code) & IR_EXIT_KIND_MASK, IR_EXIT_NOCHAIN);
    assert_int_equal(rig_lookups, 1);
    assert_int_equal(rig_cpu.r[1], 0);

    rig_reset_cpu();
    rig_lookup_result = lookup_other;
    assert_int_equal(rig_enter(code), 0x5550 | IR_EXIT_CHAIN1);
    assert_int_equal(rig_cpu.r[1], 0x4445);
    rig_lookup_result = NULL;
}

/* goto_lookup_pc's inline probe of exec's jump cache: a hit needs the pc,
 * the cs_base and all 64 bits of the flags equal (constants compared as
 * immediates or from a register, values from globals), any difference
 * falls back to lookup_code. */
static struct TBJumpCache probe_jc;

/* The rig's backend again, with the inline jump-cache probe enabled. */
static void rig_init_with_jmp_cache(void)
{
    BackendEnv env = rig_env;
    env.jmp_cache_offset = offsetof(CPUCommon, jmp_cache);
    env.jmp_cache_bits = TB_JMP_CACHE_BITS;
    env.jmp_cache_entry_size = sizeof(TBJumpCacheEntry);
    env.jmp_cache_pc_offset = offsetof(TBJumpCacheEntry, pc);
    env.jmp_cache_cs_base_offset = offsetof(TBJumpCacheEntry, cs_base);
    env.jmp_cache_flags_offset = offsetof(TBJumpCacheEntry, flags);
    env.jmp_cache_code_offset = offsetof(TBJumpCacheEntry, code);
    rig_cb.used = rig_base_used;
    rig_entry = RIG_BACKEND.init(&rig_cb, &env);
    assert_true(rig_entry != 0);
}

static void test_goto_lookup_pc_probe(void **state)
{
    (void)state;
    rig_init_with_jmp_cache();

    rig_begin();                                  /* the target block */
    ir_mov_to(&blk, R[1], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    static TranslationBlock tb;
    tb.code = (const uint8_t *)rig_emit(0x5550);
    const uint32_t pc = 0x8001;                   /* any byte may start a block */
    const uint64_t flags = 0x100000002ull;

    for (int form = 0; form < 4; form++) {
        rig_begin();
        IRTemp cs = form & 1 ? R[3] : ir_const32(&blk, 7);
        IRTemp fl = form & 2 ? X[1] : ir_const64(&blk, flags);
        ir_mov_to(&blk, R[0], ir_const32(&blk, 0x4444));
        ir_goto_lookup_pc(&blk, R[2], cs, fl);
        uintptr_t code = rig_emit(RIG_TAG);
        for (int miss = 0; miss < 4; miss++) {
            if (miss == 2 && !(form & 1))
                continue;                         /* cs_base is a constant */
            if (miss == 3 && !(form & 2))
                continue;                         /* flags are a constant */
            rig_reset_cpu();
            memset(&probe_jc, 0, sizeof(probe_jc));
            rig_cpu.common.jmp_cache = &probe_jc;
            tb_jmp_cache_set(&probe_jc, pc, 7, flags, &tb);
            rig_cpu.r[2] = miss == 1 ? pc + 4 : pc;
            rig_cpu.r[3] = miss == 2 ? 8 : 7;
            rig_cpu.x[1] = miss == 3 ? (uint32_t)flags : flags;   /* only the high half differs */
            rig_lookups = 0;
            uintptr_t ret = rig_enter(code);
            if (miss) {
                assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
                assert_int_equal(rig_lookups, 1);
                assert_int_equal(rig_cpu.r[1], 0);
            } else {
                assert_int_equal(ret, 0x5550 | IR_EXIT_CHAIN1);
                assert_int_equal(rig_lookups, 0);
                assert_int_equal(rig_cpu.r[1], 0x4445);
            }
        }
    }
    /* an invalidated entry (code NULL) misses too */
    rig_reset_cpu();
    rig_cpu.common.jmp_cache = &probe_jc;
    probe_jc.e[tb_jmp_cache_hash(pc)].code = NULL;
    rig_cpu.r[2] = pc;
    rig_cpu.r[3] = 7;
    rig_cpu.x[1] = flags;
    rig_lookups = 0;
    rig_begin();
    ir_goto_lookup_pc(&blk, R[2], R[3], X[1]);
    assert_int_equal(rig_enter(rig_emit(RIG_TAG)), RIG_TAG | IR_EXIT_NOCHAIN);
    assert_int_equal(rig_lookups, 1);

    rig_cpu.common.jmp_cache = NULL;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);   /* back to the rig's env (no probe) */
    rig_base_used = rig_cb.used;
}

static void test_goto_tb_patching(void **state)
{
    (void)state;
    rig_cb.used = rig_base_used;
    /* block A: r0 += 1, then a chainable exit in slot 1 */
    rig_begin();
    ir_mov_to(&blk, R[0], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_goto_tb(&blk, 1);
    ir_mov_to(&blk, R[15], ir_const32(&blk, 0x2000));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    uintptr_t a = rig_emit(0xa000);
    BackendBlock ba = rig_last;
    assert_int_equal(ba.jmp_insn_off[0], UINT32_MAX);
    assert_int_not_equal(ba.jmp_insn_off[1], UINT32_MAX);
    uintptr_t jmp = a + ba.jmp_insn_off[1];
#if defined(__x86_64__)
    assert_int_equal(ba.jmp_reset_off[1], ba.jmp_insn_off[1] + 5);
    assert_int_equal((jmp + 1) & 3, 0);                 /* atomic patching needs alignment */
    assert_int_equal(((const uint8_t *)jmp)[0], 0xe9);
#elif defined(__aarch64__)
    assert_int_equal(jmp & 3, 0);                       /* one aligned word, stored atomically */
#endif
    /* block B: r1 = r0 * 2 */
    rig_begin();
    ir_mov_to(&blk, R[1], ir_mul(&blk, R[0], ir_const32(&blk, 2)));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    uintptr_t b = rig_emit(0xb000);

    rig_reset_cpu();
    assert_int_equal(rig_enter(a), 0xa000 | IR_EXIT_CHAIN1);
    assert_int_equal(rig_cpu.r[0], 1);
    assert_int_equal(rig_cpu.r[15], 0x2000);

    RIG_BACKEND.patch_jump(&rig_cb, jmp, b);
    rig_reset_cpu();
    rig_cpu.r[0] = 20;
    assert_int_equal(rig_enter(a), 0xb000 | IR_EXIT_NOCHAIN);
    assert_int_equal(rig_cpu.r[0], 21);
    assert_int_equal(rig_cpu.r[1], 42);
    assert_int_equal(rig_cpu.r[15], 0);

    /* unchain: back to the fall-through */
    RIG_BACKEND.patch_jump(&rig_cb, jmp, a + ba.jmp_reset_off[1]);
    rig_reset_cpu();
    assert_int_equal(rig_enter(a), 0xa000 | IR_EXIT_CHAIN1);
    assert_int_equal(rig_cpu.r[1], 0);
}

/* goto_lookup_pc with a constant pc: the backend finds the entry at
 * translation time; pcs below and above 2^31 (compared as an immediate or
 * from a register), an i64 pc, hits and misses. */
static void test_goto_lookup_pc_const(void **state)
{
    (void)state;
    rig_init_with_jmp_cache();

    rig_begin();                                  /* the target block */
    ir_mov_to(&blk, R[1], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    static TranslationBlock tb;
    tb.code = (const uint8_t *)rig_emit(0x5550);
    static const uint64_t pcs[] = { 0, 0x8001, 0x7fffffff, 0x80000000u, 0xf7fd1f72u, 0x123456789aull };
    for (unsigned i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
        uint64_t pc = pcs[i];
        rig_begin();
        ir_mov_to(&blk, R[0], ir_const32(&blk, 0x4444));
        IRTemp pct = pc > UINT32_MAX ? ir_const64(&blk, pc) : ir_const32(&blk, pc);
        ir_goto_lookup_pc(&blk, pct, ir_const32(&blk, 0), ir_const64(&blk, 3));
        uintptr_t code = rig_emit(RIG_TAG);
        for (int miss = 0; miss < 3; miss++) {
            rig_reset_cpu();
            memset(&probe_jc, 0, sizeof(probe_jc));
            rig_cpu.common.jmp_cache = &probe_jc;
            /* miss 1: another pc in the same entry is not this one;
             * miss 2: the entry's pc differs only in its high half */
            uint64_t key = miss == 0 ? pc : miss == 1 ? pc + 1 : pc ^ (1ull << 40);
            TBJumpCacheEntry *e = &probe_jc.e[tb_jmp_cache_hash(pc)];
            e->pc = key;
            e->cs_base = 0;
            e->flags = 3;
            e->code = tb.code;
            probe_jc.tb[tb_jmp_cache_hash(pc)] = &tb;
            rig_lookups = 0;
            uintptr_t ret = rig_enter(code);
            if (miss) {
                assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
                assert_int_equal(rig_lookups, 1);
                assert_int_equal(rig_cpu.r[1], 0);
            } else {
                assert_int_equal(ret, 0x5550 | IR_EXIT_CHAIN1);
                assert_int_equal(rig_lookups, 0);
                assert_int_equal(rig_cpu.r[1], 0x4445);
            }
        }
    }
    rig_cpu.common.jmp_cache = NULL;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);   /* back to the rig's env (no probe) */
    rig_base_used = rig_cb.used;
}

/* goto_lookup_pc in a tier-0 block (IRBlock.quick, whose code favours
 * size): pcs from a global, constant ones below and above 2^31 and an i64
 * one; cs_base and flags as constants or from globals; hits, each kind of
 * miss, an invalidated entry. */
static void test_goto_lookup_pc_shared(void **state)
{
    (void)state;
    rig_init_with_jmp_cache();

    rig_begin();                                  /* the target block */
    ir_mov_to(&blk, R[1], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    static TranslationBlock tb;
    tb.code = (const uint8_t *)rig_emit(0x5550);
    static const uint64_t pcs[] = { 0x8001, 0, 0x7fffffff, 0x80000000u, 0xf7fd1f72u, 0x123456789aull };
    const uint64_t flags = 0x100000002ull;
    for (unsigned i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
        for (int form = 0; form < 8; form++) {
            uint64_t pc = pcs[i];
            bool pc_global = form & 4;
            if (pc_global && pc > UINT32_MAX)
                continue;                         /* R[2] is an i32 global */
            rig_begin();
            blk.quick = true;
            IRTemp cs = form & 1 ? R[3] : ir_const32(&blk, 7);
            IRTemp fl = form & 2 ? X[1] : ir_const64(&blk, flags);
            IRTemp pct = pc_global ? R[2] : pc > UINT32_MAX ? ir_const64(&blk, pc) : ir_const32(&blk, (uint32_t)pc);
            ir_mov_to(&blk, R[0], ir_const32(&blk, 0x4444));
            ir_goto_lookup_pc(&blk, pct, cs, fl);
            uintptr_t code = rig_emit(RIG_TAG);
            for (int miss = 0; miss < 6; miss++) {
                rig_reset_cpu();
                memset(&probe_jc, 0, sizeof(probe_jc));
                rig_cpu.common.jmp_cache = &probe_jc;
                tb_jmp_cache_set(&probe_jc, pc, 7, flags, &tb);
                TBJumpCacheEntry *e = &probe_jc.e[tb_jmp_cache_hash(pc)];
                if (miss == 1)
                    e->pc = pc + 1;               /* another pc in this entry */
                if (miss == 2)
                    e->pc = pc ^ (1ull << 40);    /* differs in the high half only */
                if (miss == 3)
                    e->cs_base = 8;
                if (miss == 4)
                    e->flags = (uint32_t)flags;   /* differs in the high half only */
                if (miss == 5)
                    e->code = NULL;               /* invalidated */
                rig_cpu.r[2] = (uint32_t)pc;
                rig_cpu.r[3] = 7;
                rig_cpu.x[1] = flags;
                rig_lookups = 0;
                uintptr_t ret = rig_enter(code);
                if (miss) {
                    assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
                    assert_int_equal(rig_lookups, 1);
                    assert_int_equal(rig_cpu.r[1], 0);
                } else {
                    assert_int_equal(ret, 0x5550 | IR_EXIT_CHAIN1);
                    assert_int_equal(rig_lookups, 0);
                    assert_int_equal(rig_cpu.r[1], 0x4445);
                }
                assert_int_equal(rig_cpu.r[0], 0x4444);
            }
        }
    }
    rig_cpu.common.jmp_cache = NULL;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);   /* back to the rig's env (no probe) */
    rig_base_used = rig_cb.used;
}

/* Exits through the block's tail with a tag within rel32 of the code (the
 * 9-byte `call tail_tag; dd rel32` form) and with a small one; a long
 * block (the exit-request stub out of short reach) and a short one, in
 * tier 0 (the stub placed after the leading checks) and not: every exit
 * returns tag | kind, the exit request and the tier counter leave before
 * the first instruction. */
static void test_exit_tail_and_checks(void **state)
{
    (void)state;
    uintptr_t far_tag = ((uintptr_t)rig_cb.rx + RIG_CODE_SIZE - 4096) & ~(uintptr_t)15;
    for (int v = 0; v < 256; v++) {
        uintptr_t tag = v & 1 ? far_tag : RIG_TAG;
        bool quick = v & 2, long_block = v & 4;
        int shift = (v >> 3) & 3, extra = (v >> 5) & 1;  /* every alignment of the exits */
        bool x_pc = v & 64;                       /* the exits store an i64 global (11 bytes, not 10) */
        IRTemp pc_g = x_pc ? X[7] : R[15];
        for (int run = 0; run < 4; run++) {
            ir_block_reset(&blk, 0x1000);             /* the checks first, as exec emits them */
            blk.quick = quick;
            ir_exit_check(&blk);
            ir_tier_count(&blk, (int32_t)offsetof(FakeCPU, env_word));
            ir_insn_start(&blk, 0x1000);
            for (int k = 0; k < shift; k++)
                ir_mov_to(&blk, R[13], ir_const32(&blk, 0x1000 + k));
            for (int k = 0; k < extra; k++)
                ir_mov_to(&blk, R[12], ir_add(&blk, R[12], ir_const32(&blk, 1)));
            for (int k = 0; k < (long_block ? 40 : 1); k++)
                ir_mov_to(&blk, R[4 + k % 8], ir_add(&blk, R[4 + k % 8], ir_const32(&blk, 1)));
            unsigned l = ir_label_new(&blk);
            ir_brcond(&blk, IR_COND_EQ, R[0], ir_const32(&blk, 5), l);
            ir_goto_tb(&blk, 0);
            ir_mov_to(&blk, pc_g, ir_const(&blk, x_pc ? IR_I64 : IR_I32, 0x2000));
            ir_exit_tb(&blk, IR_EXIT_CHAIN0);
            ir_set_label(&blk, l);
            ir_goto_tb(&blk, 1);
            ir_mov_to(&blk, pc_g, ir_const(&blk, x_pc ? IR_I64 : IR_I32, 0x3000));
            ir_exit_tb(&blk, IR_EXIT_CHAIN1);
            rig_cb.used = rig_base_used;
            uintptr_t code = rig_emit(tag);
#if defined(__x86_64__)
            if (v & 1) {                          /* no lea rax, [rip + tag] */
                const uint8_t *p = (const uint8_t *)code;
                for (uint32_t i = 0; i + 3 <= rig_last.code_size; i++)
                    assert_false(p[i] == 0x48 && p[i + 1] == 0x8d && p[i + 2] == 0x05);
            }
#endif
            rig_reset_cpu();
            rig_cpu.env_word = run == 1 ? 1 : 100;
            rig_cpu.common.exit_request = run == 0;
            rig_cpu.r[0] = run == 3 ? 5 : 0;
            uintptr_t ret = rig_enter(code);
            if (run < 2) {
                assert_int_equal(ret, tag | IR_EXIT_EXCEPTION);
                assert_int_equal(rig_cpu.common.exception_index, IR_EXCP_EXIT_REQUEST);
                assert_int_equal(rig_cpu.r[4], 0);
                assert_int_equal(x_pc ? rig_cpu.x[7] : rig_cpu.r[15], 0);
            } else {
                assert_int_equal(ret, tag | (run == 3 ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0));
                assert_int_equal(rig_cpu.r[4], long_block ? 5 : 1);
                assert_int_equal(x_pc ? rig_cpu.x[7] : rig_cpu.r[15], run == 3 ? 0x3000 : 0x2000);
            }
        }
    }
}

/* ---- fault precision ------------------------------------------------------- */

static sigjmp_buf fault_jmp;
static uintptr_t fault_pc;

static void on_segv(int sig, siginfo_t *si, void *uc_)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = uc_;
#if defined(__x86_64__)
    fault_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    fault_pc = (uintptr_t)uc->uc_mcontext.pc;
#endif
    siglongjmp(fault_jmp, 1);
}

static void test_fault_precision(void **state)
{
    (void)state;
    /* guest memory with an inaccessible page at guest 0x1000 */
    uint8_t *gm = mmap(NULL, 0x3000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(gm != MAP_FAILED);
    assert_int_equal(mprotect(gm + 0x1000, 0x1000, PROT_NONE), 0);
    rig_begin();
    ir_mov_to(&blk, R[0], ir_add(&blk, R[0], ir_const32(&blk, 5)));   /* modified, in a register */
    ir_mov_to(&blk, X[0], ir_const64(&blk, 0x1234));
    ir_insn_start(&blk, 0x1004);
    ir_st(&blk, R[0], ir_const32(&blk, 0x20), IR_MO_UL);                /* fine */
    ir_mov_to(&blk, R[1], ir_const32(&blk, 9));
    ir_insn_start(&blk, 0x1008);
    ir_mov_to(&blk, R[2], ir_ld(&blk, IR_I32, R[3], IR_MO_UL));         /* faults */
    ir_mov_to(&blk, R[4], ir_const32(&blk, 1));
    ir_insn_start(&blk, 0x100c);
    ir_mov_to(&blk, R[4], ir_const32(&blk, 2));
    rig_cb.used = rig_base_used;
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    uintptr_t code = rig_emit(RIG_TAG);
    BackendBlock bb = rig_last;
    assert_int_equal(rig_insn_off[0], 0);
    assert_true(rig_insn_off[1] < rig_insn_off[2]);
    assert_true(rig_insn_off[2] < rig_insn_off[3]);
    assert_true(rig_insn_off[3] < bb.code_size);

    rig_reset_cpu();
    rig_cpu.common.guest_base = (uintptr_t)gm;
    rig_cpu.r[0] = 10;
    rig_cpu.r[3] = 0x1000;
    struct sigaction sa = { 0 }, old;
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old);
    if (sigsetjmp(fault_jmp, 1) == 0) {
        rig_enter(code);
        sigaction(SIGSEGV, &old, NULL);
        fail_msg("the load did not fault");
    }
    sigaction(SIGSEGV, &old, NULL);
    /* every global modified before the faulting instruction is in memory */
    assert_int_equal(rig_cpu.r[0], 15);
    assert_int_equal(rig_cpu.x[0], 0x1234);
    assert_int_equal(rig_cpu.r[1], 9);
    assert_int_equal(rig_cpu.r[4], 0);
    uint32_t stored;
    memcpy(&stored, gm + 0x20, 4);
    assert_int_equal(stored, 15);
    /* the host pc maps to the third guest instruction */
    size_t off = fault_pc - code;
    assert_true(off >= rig_insn_off[2] && off < rig_insn_off[3]);
    munmap(gm, 0x3000);
}

/* ---- full buffer -------------------------------------------------------------- */

static void test_buffer_full(void **state)
{
    (void)state;
    rig_begin();
    for (int i = 0; i < 200; i++)
        ir_mov_to(&blk, R[i % 8], ir_add(&blk, R[(i + 1) % 8], ir_const32(&blk, (uint32_t)i)));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    size_t keep = rig_cb.size;
    rig_cb.used = rig_base_used;
    rig_cb.size = rig_base_used + 3000;
    memset(rig_cb.rw + rig_cb.size, 0xa5, 64);
    BackendBlock bb = { .tb_tag = RIG_TAG };
    int r = 0;
    unsigned n = 0;
    while ((r = RIG_BACKEND.emit_block(&rig_cb, &blk, &bb)) == 0)
        n++;
    assert_int_equal(r, -1);
    assert_true(rig_cb.used <= rig_cb.size);
    for (int i = 0; i < 64; i++)
        assert_int_equal(rig_cb.rw[rig_cb.size + i], 0xa5);
    rig_cb.size = keep;
    rig_cb.used = rig_base_used;
}

/* ---- differential: random blocks against ir_interp ---------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const uint64_t interesting[] = { 0, 1, 2, 31, 32, 63, 64, 0x80, 0xffff, 0x7fffffff, 0x80000000,
                                        0xffffffff, 0x8000000000000000ull, ~0ull };

typedef struct Pool { IRTemp t[64]; unsigned n; } Pool;

static IRTemp pick(Pool *p32, Pool *p64, IRType ty)
{
    Pool *p = ty == IR_I32 ? p32 : p64;
    unsigned r = (unsigned)(rnd() % 10);
    if (r == 0)
        return ir_const(&blk, ty, interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))]);
    if (r == 1)
        return ir_const(&blk, ty, rnd());
    if (r < 4)
        return ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 8];
    return p->t[rnd() % p->n];
}

static void add_val(Pool *p32, Pool *p64, IRTemp t)
{
    Pool *p = ir_temp_type(&blk, t) == IR_I32 ? p32 : p64;
    if (p->n < 64)
        p->t[p->n++] = t;
    else
        p->t[rnd() % 64] = t;
}

/* A guest address inside the test window [0, 0x1000), aligned for size. */
static IRTemp rand_addr(Pool *p32, Pool *p64, unsigned size)
{
    IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
    IRTemp a = pick(p32, p64, ty);
    if ((rnd() & 3) == 0) {   /* base + (index << 1..3): the scaled-index lea */
        IRTemp idx = ir_andi(&blk, pick(p32, p64, ty), 0x78);
        return ir_add(&blk, ir_andi(&blk, a, 0x800), ir_shli(&blk, idx, 1 + (unsigned)(rnd() % 3)));
    }
    if (rnd() & 1)   /* base + small constant: the folded [r14 + base + disp] form */
        return ir_addi(&blk, ir_andi(&blk, a, 0xe00), (rnd() % 0x1f8) & ~(uint64_t)(size - 1));
    return ir_andi(&blk, a, 0xff8 & ~(uint64_t)(size - 1));
}

static void gen_block(void)
{
    static const IROpcode bin[] = { IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor,
                                    IR_OP_andc, IR_OP_shl, IR_OP_shr, IR_OP_sar, IR_OP_rotl, IR_OP_rotr,
                                    IR_OP_divs, IR_OP_divu, IR_OP_rems, IR_OP_remu };
    static const IROpcode un[] = { IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz, IR_OP_bswap, IR_OP_ext8s,
                                   IR_OP_ext8u, IR_OP_ext16s, IR_OP_ext16u, IR_OP_mov };
    Pool p32 = { .n = 0 }, p64 = { .n = 0 };
    rig_begin();
    for (int i = 0; i < 4; i++) {
        add_val(&p32, &p64, R[i]);
        add_val(&p32, &p64, X[i]);
    }
    unsigned n_ops = 20 + (unsigned)(rnd() % 120);
    /* forward branches nest: a stack of open labels, each with the value
     * pools to restore when it is placed (values defined in a region that
     * may be skipped are undefined after it) */
    struct { unsigned label, close_at; Pool p32, p64; } open[4];
    unsigned n_open = 0;
    bool in_loop = false;
    unsigned loop_label = 0, loop_end = 0;
    IRTemp loop_i = IR_TEMP_NONE, loop_n = IR_TEMP_NONE;
    for (unsigned i = 0; i < n_ops; i++) {
        IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
        unsigned kind = (unsigned)(rnd() % 104);
        IRTemp r = IR_TEMP_NONE;
        if (rnd() % 8 == 0)
            ir_insn_start(&blk, 0x1000 + 4 * i);
        if (kind < 40) {
            r = ir_op2(&blk, bin[rnd() % 16], pick(&p32, &p64, ty), pick(&p32, &p64, ty));
        } else if (kind < 52) {
            r = ir_op1(&blk, un[rnd() % 10], pick(&p32, &p64, ty));
        } else if (kind < 56) {
            unsigned w = ty == IR_I32 ? 32 : 64, pos = (unsigned)(rnd() % w), len = 1 + (unsigned)(rnd() % (w - pos));
            unsigned which = (unsigned)(rnd() % 3);
            IRTemp a = pick(&p32, &p64, ty);
            r = which == 0 ? ir_extract(&blk, a, pos, len) : which == 1 ? ir_sextract(&blk, a, pos, len)
                                                                       : ir_deposit(&blk, a, pick(&p32, &p64, ty), pos, len);
        } else if (kind < 62) {
            IRCond c = (IRCond)(rnd() % IR_COND_COUNT);
            IRTemp a = pick(&p32, &p64, ty), b = pick(&p32, &p64, ty);
            if (rnd() & 1)
                r = ir_setcond(&blk, c, a, b);
            else
                r = ir_movcond(&blk, c, a, b, pick(&p32, &p64, ty), pick(&p32, &p64, ty));
        } else if (kind < 66) {
            IRTemp lo, hi;
            ir_mul2(&blk, rnd() & 1, &lo, &hi, pick(&p32, &p64, ty), pick(&p32, &p64, ty));
            add_val(&p32, &p64, lo);
            r = hi;
        } else if (kind < 70) {
            unsigned which = (unsigned)(rnd() % 4);
            if (which == 0)
                r = ir_extu_i32_i64(&blk, pick(&p32, &p64, IR_I32));
            else if (which == 1)
                r = ir_exts_i32_i64(&blk, pick(&p32, &p64, IR_I32));
            else if (which == 2)
                r = ir_extrl_i64_i32(&blk, pick(&p32, &p64, IR_I64));
            else
                r = ir_extrh_i64_i32(&blk, pick(&p32, &p64, IR_I64));
        } else if (kind < 76) {
            IRMemOp mo = (IRMemOp)(rnd() % 16);
            if (ty == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
                mo &= ~(IRMemOp)IR_MO_SIZE;
            r = ir_ld(&blk, ty, rand_addr(&p32, &p64, ir_memop_bytes(mo)), mo);
        } else if (kind < 82) {
            IRMemOp mo = (IRMemOp)(rnd() % 16) & ~(IRMemOp)IR_MO_SIGN;
            if (ty == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
                mo &= ~(IRMemOp)IR_MO_SIZE;
            ir_st(&blk, pick(&p32, &p64, ty), rand_addr(&p32, &p64, ir_memop_bytes(mo)), mo);
        } else if (kind < 84) {
            IRMemOp mo = (IRMemOp)(rnd() % 16);
            if (ty == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
                mo &= ~(IRMemOp)IR_MO_SIZE;
            r = ir_cmpxchg(&blk, rand_addr(&p32, &p64, ir_memop_bytes(mo)), pick(&p32, &p64, ty),
                           pick(&p32, &p64, ty), mo);
        } else if (kind < 88) {
            if (rnd() & 1) {
                IRTemp a[2] = { pick(&p32, &p64, IR_I32), pick(&p32, &p64, IR_I32) };
                r = ir_call_helper(&blk, &hpure, a);
            } else {   /* reads r5, writes r6 through the env pointer */
                IRTemp a[5];
                for (int k = 0; k < 5; k++)
                    a[k] = pick(&p32, &p64, IR_I32);
                r = ir_call_helper(&blk, &henv, a);
            }
        } else if (kind < 94) {
            /* write a global */
            IRTemp g = ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 8];
            ir_mov_to(&blk, g, pick(&p32, &p64, ty));
        } else if (kind < 98) {
            /* a forward branch (sometimes unconditional, sometimes over an
             * exit, sometimes a second way into an open label) */
            if (n_open && rnd() % 3 == 0) {
                ir_brcond(&blk, (IRCond)(rnd() % IR_COND_COUNT), pick(&p32, &p64, ty), pick(&p32, &p64, ty),
                          open[n_open - 1].label);
            } else if (n_open < 4) {
                unsigned l = ir_label_new(&blk);
                unsigned close_at = i + 1 + (unsigned)(rnd() % 12);
                if (n_open && close_at > open[n_open - 1].close_at)
                    close_at = open[n_open - 1].close_at;
                open[n_open].label = l;
                open[n_open].close_at = close_at;
                open[n_open].p32 = p32;
                open[n_open].p64 = p64;
                n_open++;
                unsigned how = (unsigned)(rnd() % 8);
                if (how == 0) {
                    ir_br(&blk, l);
                } else {
                    ir_brcond(&blk, (IRCond)(rnd() % IR_COND_COUNT), pick(&p32, &p64, ty), pick(&p32, &p64, ty), l);
                    if (how == 1)
                        ir_exit_tb(&blk, (IRExitKind)(rnd() % 3));
                }
            }
        } else if (kind < 100) {
            /* a counted loop (2 or 3 iterations) around the next ops */
            if (!in_loop && n_open == 0) {
                loop_i = ir_temp_new(&blk, IR_I32);
                loop_n = ir_const32(&blk, 2 + (uint32_t)(rnd() % 2));
                ir_mov_to(&blk, loop_i, ir_const32(&blk, 0));
                loop_label = ir_label_new(&blk);
                ir_set_label(&blk, loop_label);
                in_loop = true;
                loop_end = i + 2 + (unsigned)(rnd() % 10);
            }
        } else {
            IRTemp a = pick(&p32, &p64, ty);
            IRTemp t = ir_temp_new(&blk, ty);
            ir_mov_to(&blk, t, a);
            ir_op2_to(&blk, IR_OP_add, t, t, ir_const(&blk, ty, 1));   /* a reassigned local */
            r = t;
        }
        if (r != IR_TEMP_NONE)
            add_val(&p32, &p64, r);
        while (n_open && i >= open[n_open - 1].close_at) {
            n_open--;
            ir_set_label(&blk, open[n_open].label);
            p32 = open[n_open].p32;
            p64 = open[n_open].p64;
        }
        if (in_loop && n_open == 0 && i >= loop_end) {
            ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, ir_const32(&blk, 1));
            ir_brcond(&blk, IR_COND_LTU, loop_i, loop_n, loop_label);
            in_loop = false;
        }
    }
    while (n_open) {
        n_open--;
        ir_set_label(&blk, open[n_open].label);
        p32 = open[n_open].p32;
        p64 = open[n_open].p64;
    }
    if (in_loop) {
        ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, ir_const32(&blk, 1));
        ir_brcond(&blk, IR_COND_LTU, loop_i, loop_n, loop_label);
    }
    /* publish some locals */
    for (int i = 0; i < 4; i++) {
        ir_mov_to(&blk, R[8 + i], pick(&p32, &p64, IR_I32));
        ir_mov_to(&blk, X[4 + i], pick(&p32, &p64, IR_I64));
    }
    ir_exit_tb(&blk, (IRExitKind)(rnd() % 3));
}

static void run_differential(int iters, bool quick)
{
    static FakeCPU init_cpu, interp_cpu;
    static uint8_t init_mem[0x1000], interp_mem[0x1000];
    for (int iter = 0; iter < iters; iter++) {
        gen_block();
        blk.quick = quick;
        rig_reset_cpu();
        for (int i = 0; i < 16; i++)
            rig_cpu.r[i] = (uint32_t)rnd();
        for (int i = 0; i < 8; i++)
            rig_cpu.x[i] = rnd() >> (rnd() % 64);
        for (unsigned i = 0; i < sizeof(init_mem); i++)
            init_mem[i] = (uint8_t)rnd();
        init_cpu = rig_cpu;

        /* the interpreter on a copy */
        interp_cpu = init_cpu;
        memcpy(interp_mem, init_mem, sizeof(init_mem));
        IRInterpEnv ienv = {
            .cpu = &interp_cpu, .guest_base = (uintptr_t)interp_mem,
            .exception_offset = offsetof(CPUCommon, exception_index),
            .exit_request_offset = offsetof(CPUCommon, exit_request),
        };
        unsigned ik = ir_interp(&blk, &ienv);

        memcpy(rig_mem, init_mem, sizeof(init_mem));
        uintptr_t ret = rig_run();
        bool same = (ret & IR_EXIT_KIND_MASK) == ik &&
                    memcmp(rig_cpu.r, interp_cpu.r, sizeof(rig_cpu.r)) == 0 &&
                    memcmp(rig_cpu.x, interp_cpu.x, sizeof(rig_cpu.x)) == 0 &&
                    memcmp(rig_mem, interp_mem, sizeof(init_mem)) == 0;
        if (!same) {
            fprintf(stderr, "iteration %d differs (kind %lu vs %u)\n", iter, (unsigned long)(ret & 3), ik);
            for (int i = 0; i < 16; i++)
                if (rig_cpu.r[i] != interp_cpu.r[i])
                    fprintf(stderr, "  r%d: jit %#x interp %#x (init %#x)\n", i, rig_cpu.r[i], interp_cpu.r[i],
                            init_cpu.r[i]);
            for (int i = 0; i < 8; i++)
                if (rig_cpu.x[i] != interp_cpu.x[i])
                    fprintf(stderr, "  x%d: jit %#llx interp %#llx\n", i, (unsigned long long)rig_cpu.x[i],
                            (unsigned long long)interp_cpu.x[i]);
            for (unsigned i = 0; i < sizeof(init_mem); i++)
                if (rig_mem[i] != interp_mem[i])
                    fprintf(stderr, "  mem[%#x]: jit %#x interp %#x\n", i, rig_mem[i], interp_mem[i]);
            ir_dump(&blk, stderr);
            fail();
        }
    }
}

static void test_differential_random(void **state)
{
    (void)state;
    run_differential(4000, false);
}

/* The same in tier-0 blocks (IRBlock.quick), whose code favours size. */
static void test_differential_random_tier0(void **state)
{
    (void)state;
    run_differential(1500, true);
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_pressure),
        cmocka_unit_test(test_locals_across_labels_and_loops),
        cmocka_unit_test(test_many_loops),
        cmocka_unit_test(test_helper_calls),
        cmocka_unit_test(test_helper_env_and_six_args),
        cmocka_unit_test(test_exits),
        cmocka_unit_test(test_goto_lookup),
        cmocka_unit_test(test_goto_lookup_pc_probe),
        cmocka_unit_test(test_goto_lookup_pc_const),
        cmocka_unit_test(test_goto_lookup_pc_shared),
        cmocka_unit_test(test_exit_tail_and_checks),
        cmocka_unit_test(test_goto_tb_patching),
        cmocka_unit_test(test_fault_precision),
        cmocka_unit_test(test_buffer_full),
        cmocka_unit_test(test_differential_random),
        cmocka_unit_test(test_differential_random_tier0),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
