/* Unit tests for the host backend's exits (every host: backend_host) as
 * exec configures them (exec/cpu-loop.c): chained exits whose constant store exec makes
 * (BackendBlock.exit_stores_by_exec), exit tails that name the block by a
 * host address inside it (BackendEnv.exits_by_host_pc), and the shared
 * jump-cache probe of tier-0 blocks, which leaves with tag 0 on a miss
 * (BackendEnv.nochain_tag_unused).  The rig's other tests keep the
 * default env, where none of these apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "exec/tb.h"
#include "backend-rig.h"

static struct TBJumpCache jc;
static BackendBlock last;

static void init_exec_env(void)
{
    BackendEnv env = rig_env;
    env.jmp_cache_offset = offsetof(CPUCommon, jmp_cache);
    env.jmp_cache_bits = TB_JMP_CACHE_BITS;
    env.jmp_cache_entry_size = sizeof(TBJumpCacheEntry);
    env.jmp_cache_pc_offset = offsetof(TBJumpCacheEntry, pc);
    env.jmp_cache_cs_base_offset = offsetof(TBJumpCacheEntry, cs_base);
    env.jmp_cache_flags_offset = offsetof(TBJumpCacheEntry, flags);
    env.jmp_cache_code_offset = offsetof(TBJumpCacheEntry, code);
    env.nochain_tag_unused = true;
    env.exits_by_host_pc = true;
    rig_cb.used = 0;
    rig_entry = RIG_BACKEND.init(&rig_cb, &env);
    assert_true(rig_entry != 0);
    rig_base_used = rig_cb.used;
}

/* Emit blk with exec's settings; returns its rx address (last: its report). */
static uintptr_t emit_exec(void)
{
    assert_int_equal(ir_verify(&blk, stderr), 0);
    last = (BackendBlock){ .tb_tag = RIG_TAG, .insn_off = rig_insn_off, .n_insns = 256, .exit_stores_by_exec = true };
    assert_int_equal(RIG_BACKEND.emit_block(&rig_cb, &blk, &last), 0);
    return (uintptr_t)rig_cb.rx + last.code_off;
}

/* An exit's return value names the block [code, code + size) and a kind. */
static unsigned exit_kind_in(uintptr_t ret, uintptr_t code, size_t size)
{
    assert_true(ret & BACKEND_EXIT_BY_HOST_PC);
    uintptr_t host = (uintptr_t)((ret & ~BACKEND_EXIT_BY_HOST_PC) >> 2) - 1;
    assert_true(host >= code && host < code + size);
    return (unsigned)(ret & IR_EXIT_KIND_MASK);
}

/* A conditional branch to two chained exits, each storing r15 (the pc of
 * a guest): the stores are reported, not emitted; unpatched, each exit
 * leaves with its slot's kind; patched, it runs the other block; the
 * rel32 stays within a 64-byte line, at every alignment of the code. */
static void test_exit_stores_by_exec(void **state)
{
    (void)state;
    init_exec_env();
    for (int quick = 0; quick < 2; quick++) {
        for (int pad = 0; pad < 24; pad++) {
            rig_cb.used = rig_base_used;
            rig_begin();                          /* block B: r1 = r0 * 2 */
            ir_mov_to(&blk, R[1], ir_mul(&blk, R[0], ir_const32(&blk, 2)));
            ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
            uintptr_t b = emit_exec();
            size_t b_size = last.code_size;

            rig_begin();                          /* block A */
            blk.quick = quick;
            for (int k = 0; k < pad; k++)         /* moves the exits over the line */
                ir_mov_to(&blk, R[2 + k % 8], ir_const32(&blk, 0x100 + k));
            ir_mov_to(&blk, R[0], ir_add(&blk, R[0], ir_const32(&blk, 1)));
            unsigned l1 = ir_label_new(&blk);
            ir_brcond(&blk, IR_COND_EQ, R[0], ir_const32(&blk, 5), l1);
            ir_goto_tb(&blk, 0);
            ir_mov_to(&blk, R[15], ir_const32(&blk, 0x2000));
            ir_exit_tb(&blk, IR_EXIT_CHAIN0);
            ir_set_label(&blk, l1);
            ir_goto_tb(&blk, 1);
            ir_mov_to(&blk, R[15], ir_const32(&blk, 0x3000));
            ir_exit_tb(&blk, IR_EXIT_CHAIN1);
            uintptr_t a = emit_exec();
            BackendBlock ba = last;
            for (int s = 0; s < 2; s++) {
                /* a host may leave the store to exec (size 4) or make it
                 * itself (size 0: it has no goto_tb_exit) */
                if (ba.exit_store[s].size) {
                    assert_int_equal(ba.exit_store[s].size, 4);
                    assert_int_equal(ba.exit_store[s].offset, offsetof(FakeCPU, r) + 4 * 15);
                    assert_int_equal(ba.exit_store[s].value, s ? 0x3000 : 0x2000);
                }
                assert_int_not_equal(ba.jmp_insn_off[s], UINT32_MAX);
                assert_int_not_equal(ba.jmp_reset_off[s], UINT32_MAX);
                uintptr_t jmp = a + ba.jmp_insn_off[s];
#if defined(__x86_64__)
                assert_int_equal(ba.exit_store[s].size, 4);
                assert_int_equal(((const uint8_t *)jmp)[0], 0xe9);
                assert_true(((jmp + 1) & 63) <= 60);      /* one line: an atomic patch */
#else
                assert_int_equal(jmp & 3, 0);             /* one aligned word: an atomic patch */
#endif
            }
            for (int s = 0; s < 2; s++) {
                rig_reset_cpu();
                rig_cpu.r[0] = s ? 4 : 0;
                uintptr_t ret = rig_enter(a);
                assert_int_equal(exit_kind_in(ret, a, ba.code_size), s ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
                assert_int_equal(rig_cpu.r[0], s ? 5 : 1);
                /* exec's to store, unless the code made it */
                assert_int_equal(rig_cpu.r[15], ba.exit_store[s].size ? 0 : s ? 0x3000 : 0x2000);
                if (pad)
                    assert_int_equal(rig_cpu.r[2], 0x100 + 8 * ((pad - 1) / 8));
            }
            /* chained: slot 0 runs B; unchained again: back to the exit */
            uintptr_t jmp0 = a + ba.jmp_insn_off[0];
            RIG_BACKEND.patch_jump(&rig_cb, jmp0, b);
            rig_reset_cpu();
            rig_cpu.r[0] = 20;
            uintptr_t ret = rig_enter(a);
            assert_int_equal(exit_kind_in(ret, b, b_size), IR_EXIT_NOCHAIN);
            assert_int_equal(rig_cpu.r[1], 42);
            RIG_BACKEND.patch_jump(&rig_cb, jmp0, a + ba.jmp_reset_off[0]);
            rig_reset_cpu();
            ret = rig_enter(a);
            assert_int_equal(exit_kind_in(ret, a, ba.code_size), IR_EXIT_CHAIN0);
            assert_int_equal(rig_cpu.r[1], 0);
        }
    }
}

/* The exit request and the tier counter leave before the first
 * instruction, through the tail, naming the block. */
static void test_exit_request_by_host_pc(void **state)
{
    (void)state;
    init_exec_env();
    for (int quick = 0; quick < 2; quick++) {
        for (int n = 1; n < 40; n += 13) {        /* short and long blocks */
            rig_cb.used = rig_base_used;
            rig_begin();
            blk.quick = quick;
            if (quick)
                ir_tier_count(&blk, (int32_t)offsetof(FakeCPU, env_word));
            else
                ir_exit_check(&blk);
            for (int k = 0; k < n; k++)
                ir_mov_to(&blk, R[k % 8], ir_add(&blk, R[k % 8], ir_const32(&blk, 1)));
            ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
            uintptr_t a = emit_exec();
            size_t size = last.code_size;
            rig_reset_cpu();
            rig_cpu.env_word = 5;
            assert_int_equal(exit_kind_in(rig_enter(a), a, size), IR_EXIT_NOCHAIN);
            assert_int_equal(rig_cpu.r[0], (unsigned)(n + 7) / 8);
            rig_reset_cpu();
            if (quick)
                rig_cpu.env_word = 1;             /* spent on this entry */
            else
                rig_cpu.common.exit_request = 1;
            assert_int_equal(exit_kind_in(rig_enter(a), a, size), IR_EXIT_EXCEPTION);
            assert_int_equal(rig_cpu.common.exception_index, IR_EXCP_EXIT_REQUEST);
            assert_int_equal(rig_cpu.r[0], 0);
        }
    }
}

static const void *found_code;
static const void *lookup_found(void *cpu)
{
    (void)cpu;
    return found_code;
}

/* Tier 0's shared probe: a hit jumps to the block; a miss asks
 * lookup_code and jumps to what it finds, or leaves with NOCHAIN and tag
 * 0; pcs from a global and constant ones, constant or global flags. */
static void test_shared_probe(void **state)
{
    (void)state;
    init_exec_env();
    rig_cb.used = rig_base_used;
    rig_begin();                                  /* the target block */
    ir_mov_to(&blk, R[1], ir_add(&blk, R[0], ir_const32(&blk, 1)));
    ir_exit_tb(&blk, IR_EXIT_CHAIN1);
    static TranslationBlock tb;
    uintptr_t target = emit_exec();
    size_t target_size = last.code_size;
    tb.code = (const uint8_t *)target;
    static const uint64_t pcs[] = { 0x8001, 0, 0x7fffffff, 0x80000000u, 0xf7fd1f72u, 0x123456789aull };
    const uint64_t flags = 0x100000002ull;
    for (unsigned i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
        for (int form = 0; form < 4; form++) {
            uint64_t pc = pcs[i];
            bool pc_global = form & 1;
            if (pc_global && pc > UINT32_MAX)
                continue;
            rig_begin();
            blk.quick = true;
            IRTemp fl = form & 2 ? X[1] : ir_const64(&blk, flags);
            IRTemp pct = pc_global ? R[2] : pc > UINT32_MAX ? ir_const64(&blk, pc) : ir_const32(&blk, (uint32_t)pc);
            ir_mov_to(&blk, R[0], ir_const32(&blk, 0x4444));
            ir_goto_lookup_pc(&blk, pct, ir_const32(&blk, 7), fl);
            uintptr_t code = emit_exec();
            assert_true(last.code_size < 50);     /* not the 80-byte inline probe */
            for (int miss = 0; miss < 4; miss++) {
                rig_reset_cpu();
                memset(&jc, 0, sizeof(jc));
                rig_cpu.common.jmp_cache = &jc;
                tb_jmp_cache_set(&jc, pc, 7, flags, &tb);
                TBJumpCacheEntry *e = &jc.e[tb_jmp_cache_hash(pc)];
                if (miss == 1)
                    e->pc = pc ^ (1ull << 40);    /* differs in the high half only */
                if (miss == 2)
                    e->cs_base = 8;
                if (miss >= 3)
                    e->code = NULL;               /* invalidated; lookup_code finds it */
                rig_cpu.r[2] = (uint32_t)pc;
                rig_cpu.x[1] = flags;
                rig_lookups = 0;
                rig_lookup_result = miss == 3 ? lookup_found : NULL;
                found_code = tb.code;
                uintptr_t ret = rig_enter(code);
                if (miss == 0 || miss == 3) {
                    assert_int_equal(exit_kind_in(ret, target, target_size), IR_EXIT_CHAIN1);
                    assert_int_equal(rig_lookups, miss ? 1 : 0);
                    assert_int_equal(rig_cpu.r[1], 0x4445);
                } else {
                    assert_int_equal(ret, IR_EXIT_NOCHAIN);
                    assert_int_equal(rig_lookups, 1);
                    assert_int_equal(rig_cpu.r[1], 0);
                }
                assert_int_equal(rig_cpu.r[0], 0x4444);
            }
        }
    }
    rig_lookup_result = NULL;
    rig_cpu.common.jmp_cache = NULL;
}

int main(void)
{
    (void)rig_finish;                             /* the rig's, unused here */
    if (rig_setup() != 0) {
        fputs("rig setup failed\n", stderr);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_stores_by_exec),
        cmocka_unit_test(test_exit_request_by_host_pc),
        cmocka_unit_test(test_shared_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
