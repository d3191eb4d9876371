/* Unit tests for the host backend's value and memory ops (every host:
 * backend_host): each op, both types, edge values and every operand form
 * (globals, constants, dying locals, the same temp twice, in place),
 * checked against the semantics written out in backend-rig-ops.h,
 * independently of the IR interpreter.  The x86_64-specific checks are in
 * test-backend-x86_64.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-rig.h"
#include "backend-rig-ops.h"

static void test_binary_ops(void **state)
{
    (void)state;
    static const IROpcode ops[] = {
        IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_andc, IR_OP_shl,
        IR_OP_shr, IR_OP_sar, IR_OP_rotl, IR_OP_rotr, IR_OP_divs, IR_OP_divu, IR_OP_rems, IR_OP_remu,
    };
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int t = 0; t < 2; t++)
            for (unsigned i = 0; i < NVALS; i++)
                for (unsigned j = 0; j < NVALS; j++)
                    check_binop(ops[o], (IRType)t, vals[i], vals[j]);
}

static void test_division_edge_cases(void **state)
{
    (void)state;
    /* INT_MIN / -1 and x / 0 from registers and constants, both widths */
    check_binop(IR_OP_divs, IR_I32, 0x80000000u, 0xffffffffu);
    check_binop(IR_OP_rems, IR_I32, 0x80000000u, 0xffffffffu);
    check_binop(IR_OP_divs, IR_I64, 0x8000000000000000ull, ~0ull);
    check_binop(IR_OP_rems, IR_I64, 0x8000000000000000ull, ~0ull);
    check_binop(IR_OP_divu, IR_I64, 12345, 0);
    check_binop(IR_OP_remu, IR_I32, 12345, 0);
    check_binop(IR_OP_divs, IR_I32, (uint32_t)-7, 2);
    check_binop(IR_OP_rems, IR_I32, (uint32_t)-7, 2);
    check_binop(IR_OP_remu, IR_I64, 0xffffffffffffull, 0x100000000ull);
    check_binop(IR_OP_divu, IR_I64, 0xffffffffffffull, 0x100000000ull);
    assert_int_equal(ref_op(IR_OP_divs, IR_I32, 0x80000000u, 0xffffffffu), 0x80000000u);
    assert_int_equal(ref_op(IR_OP_rems, IR_I32, 5, 0), 5);
}

static void test_unary_ops(void **state)
{
    (void)state;
    static const IROpcode ops[] = {
        IR_OP_mov, IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz, IR_OP_bswap,
        IR_OP_ext8s, IR_OP_ext8u, IR_OP_ext16s, IR_OP_ext16u,
    };
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int t = 0; t < 2; t++)
            for (unsigned i = 0; i < NVALS; i++) {
                check_unop(ops[o], (IRType)t, vals[i]);
                check_unop(ops[o], (IRType)t, vals[i] << 5);
            }
}

static void test_width_changes(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NVALS; i++) {
        uint64_t v = vals[i] * 0x9e3779b97f4a7c15ull + vals[i];
        rig_reset_cpu();
        rig_cpu.r[1] = (uint32_t)v;
        rig_cpu.x[1] = v;
        rig_begin();
        ir_mov_to(&blk, X[2], ir_extu_i32_i64(&blk, R[1]));
        ir_mov_to(&blk, X[3], ir_exts_i32_i64(&blk, R[1]));
        ir_mov_to(&blk, R[2], ir_extrl_i64_i32(&blk, X[1]));
        ir_mov_to(&blk, R[3], ir_extrh_i64_i32(&blk, X[1]));
        /* a dying i32 local zero-extended for free, then used as i64 */
        IRTemp l = ir_add(&blk, R[1], ir_const32(&blk, 1));
        ir_mov_to(&blk, X[4], ir_add(&blk, ir_extu_i32_i64(&blk, l), ir_const64(&blk, 0)));
        ir_mov_to(&blk, X[5], ir_exts_i32_i64(&blk, ir_const32(&blk, (uint32_t)v)));
        rig_finish();
        assert_int_equal(rig_cpu.x[2], (uint32_t)v);
        assert_int_equal(rig_cpu.x[3], (uint64_t)(int64_t)(int32_t)v);
        assert_int_equal(rig_cpu.r[2], (uint32_t)v);
        assert_int_equal(rig_cpu.r[3], (uint32_t)(v >> 32));
        assert_int_equal(rig_cpu.x[4], (uint32_t)((uint32_t)v + 1));
        assert_int_equal(rig_cpu.x[5], (uint64_t)(int64_t)(int32_t)v);
    }
}

static uint64_t ref_extract(IRType t, uint64_t a, unsigned pos, unsigned len, bool sign)
{
    uint64_t v = a >> pos;
    uint64_t r;
    if (len >= 64)
        r = v;
    else if (sign)
        r = (uint64_t)(((int64_t)(v << (64 - len))) >> (64 - len));
    else
        r = v & ((1ull << len) - 1);
    return r & tmask(t);
}

static void test_bitfields(void **state)
{
    (void)state;
    static const uint64_t bv[] = { 0x123456789abcdef0ull, 0xfedcba9876543210ull, 0x8000000080000000ull };
    for (int t = 0; t < 2; t++) {
        unsigned w = t == IR_I32 ? 32 : 64;
        for (unsigned pos = 0; pos < w; pos += (t == IR_I32 ? 1 : 3))
            for (unsigned len = 1; pos + len <= w; len += (t == IR_I32 ? 1 : 5)) {
                for (unsigned k = 0; k < 3; k++) {
                    uint64_t a = bv[k] & tmask((IRType)t), b = bv[(k + 1) % 3] & tmask((IRType)t);
                    rig_reset_cpu();
                    set_g((IRType)t, 1, a);
                    set_g((IRType)t, 2, b);
                    rig_begin();
                    IRType ty = (IRType)t;
                    ir_mov_to(&blk, G(ty, 3), ir_extract(&blk, G(ty, 1), pos, len));
                    ir_mov_to(&blk, G(ty, 4), ir_sextract(&blk, G(ty, 1), pos, len));
                    ir_mov_to(&blk, G(ty, 5), ir_deposit(&blk, G(ty, 1), G(ty, 2), pos, len));
                    ir_mov_to(&blk, G(ty, 6), ir_deposit(&blk, G(ty, 1), ir_const(&blk, ty, b), pos, len));
                    rig_finish();
                    uint64_t m = len >= 64 ? ~0ull : ((1ull << len) - 1) << pos;
                    uint64_t dep = ((a & ~m) | ((b << pos) & m)) & tmask(ty);
                    EXPECT_EQ(get_g(ty, 3), ref_extract(ty, a, pos, len, false), "extract %u,%u w%u", pos, len, w);
                    EXPECT_EQ(get_g(ty, 4), ref_extract(ty, a, pos, len, true), "sextract %u,%u w%u", pos, len, w);
                    EXPECT_EQ(get_g(ty, 5), dep, "deposit %u,%u w%u", pos, len, w);
                    EXPECT_EQ(get_g(ty, 6), dep, "deposit const %u,%u w%u", pos, len, w);
                }
            }
    }
}

static void test_comparisons(void **state)
{
    (void)state;
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (int c = 0; c < IR_COND_COUNT; c++)
            for (unsigned i = 0; i < NVALS; i += 2)
                for (unsigned j = 0; j < NVALS; j += 3) {
                    uint64_t a = vals[i] & tmask(ty), b = vals[j] & tmask(ty);
                    bool want = ir_cond_eval((IRCond)c, a, b, ty);
                    for (int form = 0; form < 3; form++) {
                        rig_reset_cpu();
                        set_g(ty, 1, a);
                        set_g(ty, 2, b);
                        set_g(ty, 3, 111);
                        set_g(ty, 4, 222);
                        rig_begin();
                        IRTemp x = form == 2 ? ir_const(&blk, ty, a) : G(ty, 1);
                        IRTemp y = form == 1 ? ir_const(&blk, ty, b) : G(ty, 2);
                        ir_mov_to(&blk, G(ty, 0), ir_setcond(&blk, (IRCond)c, x, y));
                        ir_mov_to(&blk, G(ty, 5), ir_movcond(&blk, (IRCond)c, x, y, G(ty, 3), G(ty, 4)));
                        ir_mov_to(&blk, G(ty, 6), ir_movcond(&blk, (IRCond)c, x, y, ir_const(&blk, ty, 5),
                                                             ir_const(&blk, ty, 6)));
                        unsigned l = ir_label_new(&blk);
                        ir_mov_to(&blk, G(ty, 7), ir_const(&blk, ty, 1));
                        ir_brcond(&blk, (IRCond)c, x, y, l);
                        ir_mov_to(&blk, G(ty, 7), ir_const(&blk, ty, 0));
                        ir_set_label(&blk, l);
                        rig_finish();
                        const char *cn = ir_cond_name((IRCond)c);
                        EXPECT_EQ(get_g(ty, 0), want, "setcond %s form %d %#llx %#llx", cn, form,
                                  (unsigned long long)a, (unsigned long long)b);
                        EXPECT_EQ(get_g(ty, 5), want ? 111 : 222, "movcond %s form %d", cn, form);
                        EXPECT_EQ(get_g(ty, 6), want ? 5 : 6, "movcond const %s form %d", cn, form);
                        EXPECT_EQ(get_g(ty, 7), want, "brcond %s form %d", cn, form);
                    }
                }
    }
}

static void test_double_width_multiply(void **state)
{
    (void)state;
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (unsigned i = 0; i < NVALS; i++)
            for (unsigned j = 0; j < NVALS; j++) {
                uint64_t a = vals[i] & tmask(ty), b = vals[j] & tmask(ty);
                for (int sign = 0; sign < 2; sign++) {
                    rig_reset_cpu();
                    set_g(ty, 1, a);
                    set_g(ty, 2, b);
                    rig_begin();
                    IRTemp lo, hi;
                    ir_mul2(&blk, sign, &lo, &hi, G(ty, 1), G(ty, 2));
                    ir_mov_to(&blk, G(ty, 3), lo);
                    ir_mov_to(&blk, G(ty, 4), hi);
                    rig_finish();
                    uint64_t wlo, whi;
                    if (ty == IR_I32) {
                        uint64_t p = sign ? (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b) : a * b;
                        wlo = (uint32_t)p;
                        whi = (uint32_t)(p >> 32);
                    } else {
                        __uint128_t p = sign ? (__uint128_t)((__int128)(int64_t)a * (__int128)(int64_t)b)
                                             : (__uint128_t)a * b;
                        wlo = (uint64_t)p;
                        whi = (uint64_t)(p >> 64);
                    }
                    EXPECT_EQ(get_g(ty, 3), wlo, "mul2 lo sign=%d", sign);
                    EXPECT_EQ(get_g(ty, 4), whi, "mul2 hi sign=%d", sign);
                }
            }
    }
}

/* ---- guest memory ---------------------------------------------------------- */

static uint64_t ref_load(const uint8_t *p, IRMemOp mo, IRType t)
{
    unsigned n = ir_memop_bytes(mo);
    uint64_t raw = 0;
    for (unsigned i = 0; i < n; i++)
        raw |= (uint64_t)p[(mo & IR_MO_BSWAP) ? n - 1 - i : i] << (8 * i);
    if ((mo & IR_MO_SIGN) && n < 8)
        raw = (uint64_t)((int64_t)(raw << (64 - 8 * n)) >> (64 - 8 * n));
    return raw & tmask(t);
}

static void test_guest_loads(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 64; i++)
        rig_mem[0x100 + i] = (uint8_t)(0x81 + 37 * i);
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (unsigned mo = 0; mo < 16; mo++) {
            if ((mo & IR_MO_SIZE) == IR_MO_64 && ty == IR_I32)
                continue;
            for (int form = 0; form < 3; form++) {
                rig_reset_cpu();
                rig_cpu.r[1] = 0x100 + 3;
                rig_cpu.x[1] = 0x100 + 5;
                rig_begin();
                IRTemp addr = form == 0 ? R[1] : form == 1 ? X[1] : ir_const32(&blk, 0x100 + 7);
                unsigned off = form == 0 ? 3 : form == 1 ? 5 : 7;
                ir_mov_to(&blk, G(ty, 0), ir_ld(&blk, ty, addr, mo));
                rig_finish();
                EXPECT_EQ(get_g(ty, 0), ref_load(rig_mem + 0x100 + off, mo, ty), "ld mo=%#x form %d t=%d", mo,
                          form, t);
            }
        }
    }
}

static void test_guest_stores(void **state)
{
    (void)state;
    uint64_t v = 0x8877665544332211ull;
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (unsigned mo = 0; mo < 16; mo += 1) {
            if ((mo & IR_MO_SIZE) == IR_MO_64 && ty == IR_I32)
                continue;
            unsigned n = ir_memop_bytes(mo);
            for (int form = 0; form < 3; form++) {
                memset(rig_mem + 0x200, 0xee, 32);
                rig_reset_cpu();
                rig_cpu.r[1] = 0x201;
                set_g(ty, 2, v);
                rig_begin();
                IRTemp val = form == 1 ? ir_const(&blk, ty, v) : G(ty, 2);
                IRTemp addr = form == 2 ? ir_const64(&blk, 0x201) : R[1];
                ir_st(&blk, val, addr, mo);
                rig_finish();
                uint64_t vv = v & tmask(ty);
                assert_int_equal(rig_mem[0x200], 0xee);
                for (unsigned i = 0; i < n; i++)
                    EXPECT_EQ(rig_mem[0x201 + i], (uint8_t)(vv >> (8 * ((mo & IR_MO_BSWAP) ? n - 1 - i : i))),
                              "st mo=%#x form %d byte %u", mo, form, i);
                assert_int_equal(rig_mem[0x201 + n], 0xee);
            }
        }
    }
    /* a 64-bit constant that needs movabs */
    rig_reset_cpu();
    rig_begin();
    ir_st(&blk, ir_const64(&blk, 0x1122334455667788ull), ir_const32(&blk, 0x300), IR_MO_Q);
    rig_finish();
    uint64_t got;
    memcpy(&got, rig_mem + 0x300, 8);
    assert_int_equal(got, 0x1122334455667788ull);
}

static void test_cmpxchg(void **state)
{
    (void)state;
    for (int t = 0; t < 2; t++) {
        IRType ty = (IRType)t;
        for (unsigned mo = 0; mo < 16; mo++) {
            if ((mo & IR_MO_SIZE) == IR_MO_64 && ty == IR_I32)
                continue;
            unsigned n = ir_memop_bytes(mo);
            for (int hit = 0; hit < 2; hit++) {
                uint8_t before[8] = { 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7, 0x88 };
                memcpy(rig_mem + 0x400, before, 8);
                uint64_t cur = ref_load(before, mo & ~IR_MO_SIGN, IR_I64);
                uint64_t expect = hit ? cur : cur ^ 1;
                uint64_t newv = 0x0102030405060708ull & tmask(ty);
                rig_reset_cpu();
                rig_cpu.r[1] = 0x400;
                set_g(ty, 2, expect);
                set_g(ty, 3, newv);
                rig_begin();
                ir_mov_to(&blk, G(ty, 0), ir_cmpxchg(&blk, R[1], G(ty, 2), G(ty, 3), mo));
                rig_finish();
                EXPECT_EQ(get_g(ty, 0), ref_load(before, mo, ty), "cmpxchg old mo=%#x hit=%d", mo, hit);
                uint8_t want[8];
                memcpy(want, before, 8);
                if (hit)
                    for (unsigned i = 0; i < n; i++)
                        want[i] = (uint8_t)(newv >> (8 * ((mo & IR_MO_BSWAP) && n > 1 ? n - 1 - i : i)));
                assert_memory_equal(rig_mem + 0x400, want, 8);
            }
        }
    }
}

static void test_env_fields(void **state)
{
    (void)state;
    rig_reset_cpu();
    rig_cpu.env_word = 0x80000001;
    rig_cpu.env_dword = 0x1122334455667788ull;
    rig_cpu.r[3] = 5;
    rig_begin();
    ir_mov_to(&blk, R[0], ir_ld_env(&blk, IR_I32, offsetof(FakeCPU, env_word), IR_MO_UL));
    ir_mov_to(&blk, X[0], ir_ld_env(&blk, IR_I64, offsetof(FakeCPU, env_word), IR_MO_SL));
    ir_mov_to(&blk, X[1], ir_ld_env(&blk, IR_I64, offsetof(FakeCPU, env_dword), IR_MO_Q));
    ir_mov_to(&blk, R[1], ir_ld_env(&blk, IR_I32, offsetof(FakeCPU, env_dword), IR_MO_SB));
    ir_st_env(&blk, ir_const32(&blk, 0xabcd), offsetof(FakeCPU, env_word), IR_MO_UW);
    /* aliasing: r3 is modified in a register, then read and overwritten through env ops */
    ir_mov_to(&blk, R[3], ir_add(&blk, R[3], ir_const32(&blk, 10)));
    ir_mov_to(&blk, R[4], ir_ld_env(&blk, IR_I32, offsetof(FakeCPU, r) + 12, IR_MO_UL));
    ir_st_env(&blk, R[4], offsetof(FakeCPU, r) + 16 + 4 * 0, IR_MO_UL);   /* r4 = r4 via env */
    ir_st_env(&blk, ir_const32(&blk, 99), offsetof(FakeCPU, r) + 12, IR_MO_UL);
    ir_mov_to(&blk, R[5], ir_add(&blk, R[3], ir_const32(&blk, 1)));
    rig_finish();
    assert_int_equal(rig_cpu.r[0], 0x80000001);
    assert_int_equal(rig_cpu.x[0], 0xffffffff80000001ull);
    assert_int_equal(rig_cpu.x[1], 0x1122334455667788ull);
    assert_int_equal(rig_cpu.r[1], 0xffffff88u);
    assert_int_equal(rig_cpu.env_word, 0x8000abcd);
    assert_int_equal(rig_cpu.r[4], 15);
    assert_int_equal(rig_cpu.r[3], 99);
    assert_int_equal(rig_cpu.r[5], 100);
}

/* Runs blk; true when it called env.raise_unaligned (which longjmps). */
static bool run_catching_unaligned(void)
{
    rig_unaligned_calls = 0;
    if (setjmp(rig_unaligned_jmp) != 0)
        return true;
    rig_finish();
    return false;
}

/* IR_MO_ALIGN / IR_MO_ALIGN4: an aligned access runs normally; a misaligned
 * one calls env.raise_unaligned(cpu, address) before touching memory, with
 * the globals written back and a return address inside the instruction's
 * code.  Every access kind and address form (global, deferred [base +
 * disp], constant). */
static void test_alignment_checks(void **state)
{
    (void)state;
    static const IRMemOp mos[] = { IR_MO_UW | IR_MO_ALIGN, IR_MO_UL | IR_MO_ALIGN, IR_MO_Q | IR_MO_ALIGN,
                                   IR_MO_Q | IR_MO_ALIGN4, IR_MO_UB | IR_MO_ALIGN };
    for (unsigned k = 0; k < sizeof(mos) / sizeof(mos[0]); k++) {
        IRMemOp mo = mos[k];
        unsigned mask = ir_memop_align_mask(mo);
        IRType ty = (mo & IR_MO_SIZE) == IR_MO_64 ? IR_I64 : IR_I32;
        for (unsigned off = 0; off < 8; off++) {
            for (int kind = 0; kind < 3; kind++) {          /* ld, st, cmpxchg */
                for (int form = 0; form < 3; form++) {      /* global, [base + 16], constant */
                    uint32_t addr = 0x400 + off;
                    rig_reset_cpu();
                    memset(rig_mem + 0x400, 0xa5, 64);
                    rig_cpu.r[1] = form == 1 ? addr - 16 : addr;
                    rig_begin();
                    ir_mov_to(&blk, R[5], ir_const32(&blk, 77));      /* dirty global */
                    ir_insn_start(&blk, 0x1004);
                    IRTemp a = form == 0 ? R[1] : form == 1 ? ir_addi(&blk, R[1], 16) : ir_const32(&blk, addr);
                    IRTemp v = ir_const(&blk, ty, 0x1122334455667788ull);
                    if (kind == 0)
                        ir_mov_to(&blk, G(ty, 2), ir_ld(&blk, ty, a, mo));
                    else if (kind == 1)
                        ir_st(&blk, v, a, mo);
                    else
                        ir_mov_to(&blk, G(ty, 2), ir_cmpxchg(&blk, a, ir_const(&blk, ty, 0), v, mo));
                    bool faulted = run_catching_unaligned();
                    bool want = (addr & mask) != 0;
                    EXPECT_EQ(faulted, want, "mo=%#x off=%u kind=%d form=%d", mo, off, kind, form);
                    EXPECT_EQ(rig_cpu.r[5], 77, "global written back: mo=%#x off=%u", mo, off);
                    if (!want) {
                        /* the access itself still works */
                        unsigned n = ir_memop_bytes(mo);
                        uint64_t m = n == 8 ? ~0ull : (1ull << (8 * n)) - 1;
                        if (kind == 1) {
                            uint64_t got = 0;
                            memcpy(&got, rig_mem + addr, n);
                            EXPECT_EQ(got, 0x1122334455667788ull & m, "st mo=%#x off=%u form=%d", mo, off, form);
                        } else {   /* ld, and cmpxchg whose compare fails: the old value */
                            EXPECT_EQ(get_g(ty, 2), 0xa5a5a5a5a5a5a5a5ull & m, "kind=%d mo=%#x off=%u form=%d",
                                      kind, mo, off, form);
                        }
                        continue;
                    }
                    EXPECT_EQ(rig_unaligned_addr, addr, "mo=%#x kind=%d form=%d", mo, kind, form);
                    uintptr_t start = (uintptr_t)rig_cb.rx + rig_last.code_off;
                    EXPECT_EQ(rig_unaligned_ret > start + rig_insn_off[1] &&
                              rig_unaligned_ret < start + rig_last.code_size, 1,
                              "return address in the instruction: mo=%#x kind=%d form=%d", mo, kind, form);
                    for (unsigned i = 0; i < 64; i++)
                        EXPECT_EQ(rig_mem[0x400 + i], 0xa5, "memory untouched at +%u", i);
                }
            }
        }
    }
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_ops),
        cmocka_unit_test(test_division_edge_cases),
        cmocka_unit_test(test_unary_ops),
        cmocka_unit_test(test_width_changes),
        cmocka_unit_test(test_bitfields),
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_double_width_multiply),
        cmocka_unit_test(test_guest_loads),
        cmocka_unit_test(test_guest_stores),
        cmocka_unit_test(test_cmpxchg),
        cmocka_unit_test(test_env_fields),
        cmocka_unit_test(test_alignment_checks),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
