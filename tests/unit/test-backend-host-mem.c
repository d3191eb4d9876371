/* Unit tests for the host backend's guest-memory paths beyond
 * test-backend-host.c's per-op checks: the address add folded into the
 * access (BackendHost.fold_op) with every displacement a host may or may
 * not fold (positive, negative, at and past the immediate limits), a base
 * that dies at the add or lives on, i32 and i64 addresses, loads and
 * stores of every size; many live values so the operands land in every
 * register class.  The expected values are computed in C from the same
 * memory.  On an aarch64 host also: the wrap of a folded i32 address
 * (exact there: `add w16, w_base, #disp`; the x86_64 backend relies on a
 * guard page instead, which the rig's memory does not have), and the
 * LDAXR/STLXR compare-and-swap loop used when the host lacks LSE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-rig.h"
#include "backend-rig-ops.h"
#if defined(__aarch64__)
#include "backend-aarch64/a64-internal.h"
#endif

static uint64_t mem_le(uint32_t addr, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)rig_mem[addr + i] << (8 * i);
    return v;
}

static void fill_mem(void)
{
    for (unsigned i = 0; i < RIG_MEM_SIZE; i++)
        rig_mem[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + 1);
}

/* ld/st through "t = add base, $disp" (the base a global or a dying or
 * surviving local; an i32 or i64 address). */
static void check_folded(IRType aty, int64_t disp, uint32_t target, unsigned log2n, bool store, int base_kind,
                         bool pressure)
{
    unsigned n = 1u << log2n;
    IRType vty = n == 8 ? IR_I64 : IR_I32;
    uint64_t base = (uint64_t)target - (uint64_t)disp;
    if (aty == IR_I32)
        base &= 0xffffffffu;
    fill_mem();
    rig_reset_cpu();
    set_g(aty, 1, base);
    set_g(vty, 2, 0x8899aabbccddeeffull);
    for (int i = 5; i < 16; i++)
        rig_cpu.r[i] = 0x100u * (unsigned)i;
    rig_begin();
    IRTemp live[11];
    if (pressure)
        for (int i = 0; i < 11; i++)
            live[i] = ir_addi(&blk, R[5 + i], 3);
    IRTemp b = G(aty, 1);
    if (base_kind > 0)
        b = ir_mov(&blk, b);                   /* a local base */
    IRTemp t = ir_add(&blk, b, ir_const(&blk, aty, (uint64_t)disp & tmask(aty)));
    IRMemOp mo = (IRMemOp)log2n;
    if (store)
        ir_st(&blk, G(vty, 2), t, mo);
    else
        ir_mov_to(&blk, G(vty, 0), ir_ld(&blk, vty, t, mo));
    if (base_kind == 2)
        ir_mov_to(&blk, G(aty, 3), ir_addi(&blk, b, 1));   /* the base lives on */
    if (pressure)
        for (int i = 0; i < 11; i++)
            ir_mov_to(&blk, R[5 + i], live[i]);
    uint64_t before = mem_le(target, n);
    assert_int_equal(rig_finish(), RIG_TAG | IR_EXIT_NOCHAIN);
    const char *what = store ? "st" : "ld";
    if (store) {
        uint64_t m = n == 8 ? ~0ull : (1ull << (8 * n)) - 1;
        EXPECT_EQ(mem_le(target, n), 0x8899aabbccddeeffull & m, "%s n=%u disp=%lld base_kind=%d aty=%d", what, n,
                  (long long)disp, base_kind, aty);
        EXPECT_EQ(rig_mem[target - 1], (uint8_t)((target - 1) * 7 + ((target - 1) >> 8) * 13 + 1),
                  "byte before untouched n=%u", n);
        EXPECT_EQ(rig_mem[target + n], (uint8_t)((target + n) * 7 + ((target + n) >> 8) * 13 + 1),
                  "byte after untouched n=%u", n);
    } else {
        EXPECT_EQ(get_g(vty, 0), before, "%s n=%u disp=%lld base_kind=%d aty=%d", what, n, (long long)disp,
                  base_kind, aty);
    }
    if (base_kind == 2)
        EXPECT_EQ(get_g(aty, 3), (base + 1) & tmask(aty), "base kept: disp=%lld", (long long)disp);
    if (pressure)
        for (int i = 0; i < 11; i++)
            EXPECT_EQ(rig_cpu.r[5 + i], 0x100u * (unsigned)(5 + i) + 3, "live r%d", 5 + i);
    assert_int_equal(rig_cpu.guard, 0x5a5a5a5a);
}

static void test_folded_addresses(void **state)
{
    (void)state;
    static const int64_t disps[] = { 1, 2, 8, 255, 256, 4095, 4096, 4097, 0x7fff, 0x8000, 0x12345,
                                     -1, -8, -256, -257, -4095, -4096, -0x8000 };
    for (size_t d = 0; d < sizeof(disps) / sizeof(disps[0]); d++)
        for (int aty = 0; aty < 2; aty++)
            for (unsigned log2n = 0; log2n < 4; log2n++)
                for (int store = 0; store < 2; store++)
                    for (int base_kind = 0; base_kind < 3; base_kind++) {
                        /* a target the base can reach without wrapping */
                        uint32_t target = 0x9000 + 8 * (uint32_t)d + log2n;
                        check_folded((IRType)aty, disps[d], target, log2n, store, base_kind,
                                     (d + log2n + (unsigned)base_kind) % 3 == 0);
                    }
}

/* Two accesses through one added address, the add's result used again
 * after (not foldable), and an access through the base itself. */
static void test_add_not_folded(void **state)
{
    (void)state;
    fill_mem();
    rig_reset_cpu();
    rig_cpu.r[1] = 0x2000;
    rig_begin();
    IRTemp t = ir_addi(&blk, R[1], 0x10);
    ir_mov_to(&blk, R[2], ir_ld(&blk, IR_I32, t, IR_MO_UL));
    ir_mov_to(&blk, R[3], ir_ld(&blk, IR_I32, t, IR_MO_UW));
    ir_mov_to(&blk, R[4], t);
    ir_st(&blk, R[1], R[1], IR_MO_UL);
    IRTemp u = ir_addi(&blk, R[1], 0x20);
    ir_st(&blk, u, u, IR_MO_UL);                   /* the address is also the value */
    uint64_t w2 = mem_le(0x2010, 4), w3 = mem_le(0x2010, 2);
    assert_int_equal(rig_finish(), RIG_TAG | IR_EXIT_NOCHAIN);
    EXPECT_EQ(rig_cpu.r[2], w2, "ld %d", 1);
    EXPECT_EQ(rig_cpu.r[3], w3, "ld %d", 2);
    EXPECT_EQ(rig_cpu.r[4], 0x2010, "the add's value %d", 0);
    EXPECT_EQ(mem_le(0x2000, 4), 0x2000, "st through the base %d", 0);
    EXPECT_EQ(mem_le(0x2020, 4), 0x2020, "st of the address itself %d", 0);
}

/* cmpxchg of every size, byte order and sign, hit and miss, at address
 * addr (misaligned ones too: x86's lock cmpxchg allows them, A64's
 * atomics do not, so the aarch64 backend takes another path), with
 * garbage above the access size in the expected value (only its low
 * bytes are compared). */
static void check_cmpxchg_at(uint32_t addr)
{
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (unsigned mo = 0; mo < 16; mo++) {
            if ((mo & IR_MO_SIZE) == IR_MO_64 && ty == IR_I32)
                continue;
            unsigned n = ir_memop_bytes(mo);
            for (int hit = 0; hit < 2; hit++) {
                uint8_t before[8] = { 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7, 0x88 };
                memset(rig_mem + addr - 8, 0x5c, 24);
                memcpy(rig_mem + addr, before, 8);
                uint64_t raw = 0;
                for (unsigned i = 0; i < n; i++)
                    raw |= (uint64_t)before[(mo & IR_MO_BSWAP) ? n - 1 - i : i] << (8 * i);
                uint64_t high = n < 8 ? 0xabcd000000000000ull & ~((1ull << (8 * n)) - 1) : 0;
                if (ty == IR_I32)
                    high = n < 4 ? 0xab000000u & ~((1u << (8 * n)) - 1) : 0;
                uint64_t expect = (hit ? raw : raw ^ 1) | high;
                uint64_t old = raw;
                if ((mo & IR_MO_SIGN) && n < 8)
                    old = (uint64_t)((int64_t)(old << (64 - 8 * n)) >> (64 - 8 * n));
                uint64_t newv = 0x0102030405060708ull & tmask(ty);
                rig_reset_cpu();
                rig_cpu.r[1] = addr;
                set_g(ty, 2, expect);
                set_g(ty, 3, newv);
                rig_begin();
                ir_mov_to(&blk, G(ty, 0), ir_cmpxchg(&blk, R[1], G(ty, 2), G(ty, 3), mo));
                rig_finish();
                EXPECT_EQ(get_g(ty, 0), old & tmask(ty), "cmpxchg old mo=%#x hit=%d t=%d addr=%#x", mo, hit, t,
                          addr);
                uint8_t want[24];
                memset(want, 0x5c, 24);
                memcpy(want + 8, before, 8);
                if (hit)
                    for (unsigned i = 0; i < n; i++)
                        want[8 + i] = (uint8_t)(newv >> (8 * ((mo & IR_MO_BSWAP) && n > 1 ? n - 1 - i : i)));
                assert_memory_equal(rig_mem + addr - 8, want, 24);
            }
        }
    }
}

static void test_cmpxchg_misaligned(void **state)
{
    (void)state;
    for (uint32_t addr = 0x400; addr < 0x410; addr++)
        check_cmpxchg_at(addr);
}

#if defined(__aarch64__)
/* An i32 guest address wraps at 4 GiB: base 0xfffffff8 + 0x10 is guest
 * address 8 (ARM's LDR r0, [r1, #16] with r1 = -8). */
static void test_folded_wrap(void **state)
{
    (void)state;
    static const struct { uint32_t base; int32_t disp; } cases[] = {
        { 0xfffffff8u, 0x10 }, { 0xffffff00u, 0x100 }, { 0xfffff001u, 0xfff }, { 0x00000010u, -0x10 },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        for (int store = 0; store < 2; store++) {
            uint32_t target = cases[k].base + (uint32_t)cases[k].disp;
            fill_mem();
            rig_reset_cpu();
            rig_cpu.r[1] = cases[k].base;
            rig_cpu.r[2] = 0xdeadbeef;
            rig_begin();
            IRTemp t = ir_add(&blk, R[1], ir_const32(&blk, (uint32_t)cases[k].disp));
            if (store)
                ir_st(&blk, R[2], t, IR_MO_UB);
            else
                ir_mov_to(&blk, R[0], ir_ld(&blk, IR_I32, t, IR_MO_UB));
            uint8_t before = rig_mem[target];
            assert_int_equal(rig_finish(), RIG_TAG | IR_EXIT_NOCHAIN);
            if (store)
                EXPECT_EQ(rig_mem[target], 0xef, "wrap st case %zu", k);
            else
                EXPECT_EQ(rig_cpu.r[0], before, "wrap ld case %zu", k);
        }
}

/* The exclusive-pair loop (no LSE), aligned and not. */
static void test_cmpxchg_llsc(void **state)
{
    (void)state;
    bool lse = a64_state.lse;
    a64_state.lse = false;
    for (uint32_t addr = 0x400; addr < 0x409; addr++)
        check_cmpxchg_at(addr);
    a64_state.lse = lse;
}
#endif

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folded_addresses),
        cmocka_unit_test(test_add_not_folded),
        cmocka_unit_test(test_cmpxchg_misaligned),
#if defined(__aarch64__)
        cmocka_unit_test(test_folded_wrap),
        cmocka_unit_test(test_cmpxchg_llsc),
#endif
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
