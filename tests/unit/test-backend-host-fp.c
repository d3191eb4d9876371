/* Unit tests for the host backend's floating-point ops (x86-emit-fp.c, a64-emit-fp.c):
 * every op over special values (zeros, denormals, the smallest normal,
 * infinities, quiet and signalling NaNs with payloads, integer limits) and
 * random bit patterns, in several operand forms (globals, constants, locals
 * while many other temps are live so that r8-r15 are used), compared bit
 * for bit with the op table's semantics as the IR interpreter computes them
 * (ir/ir-eval.h), where ir-ops.def specifies the result (a NaN where it
 * leaves it unspecified); for non-NaN inputs the host exception flags the
 * generated code raises must also equal the interpreter's (both run the host FPU). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-rig.h"
#include "host/host-fp.h"
#include "ir/ir-eval.h"

static const uint64_t f32_vals[] = {
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x00800001,
    0x00ffffff, 0x3f800000, 0xbf800000, 0x3eaaaaab, 0x40490fdb, 0x7f7fffff, 0xff7fffff,
    0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345, 0x7fc12345,
    0x4f000000, 0xcf000000, 0xcf000001, 0x4effffff, 0x3f000000, 0xbfc00000, 0x5f800000,
};
static const uint64_t f64_vals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x0010000000000001ull, 0x001fffffffffffffull, 0x3ff0000000000000ull,
    0xbff0000000000000ull, 0x3fd5555555555555ull, 0x400921fb54442d18ull, 0x7fefffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
    0x7ff0000000000001ull, 0xfff0000012345678ull, 0x7ff8000012345678ull, 0x41dfffffffc00000ull,
    0xc1e0000000000000ull, 0xc1e0000000200000ull, 0x41e0000000000000ull, 0x3ff0000010000000ull,
    0x47f0000000000000ull, 0x3690000000000000ull, 0xc00c000000000000ull, 0x36a0000000000001ull,
};
#define N32 (sizeof(f32_vals) / sizeof(f32_vals[0]))
#define N64 (sizeof(f64_vals) / sizeof(f64_vals[0]))

/* The IEEE flags the code raised (host/host-fp.h), input-denormal aside
 * (ir-ops.def: host-dependent). */
static unsigned take_flags(void) { return host_fp_take_flags() & ~(unsigned)HOST_FP_INPUT_DENORMAL; }

/* Does ir-ops.def leave the result of opc on (a, b) unspecified when the op
 * has no fallback (a NaN result; fcvtz of a NaN or out of range)?  Then
 * the backend need only agree on "a NaN". */
static bool is_nan(IRType t, uint64_t v);
static bool unspecified(IROpcode opc, IRType ti, IRType to, uint64_t a, uint64_t want)
{
    if (opc == IR_OP_fcvtz_f32_s32 || opc == IR_OP_fcvtz_f64_s32)
        return !ir_float_plain(opc, to, want);
    return opc != IR_OP_fcmp && is_nan(to, want);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static IRType in_type(IROpcode opc, bool dbl)
{
    switch (opc) {
    case IR_OP_fcvt_f32_f64: case IR_OP_fcvt_s32_f32: case IR_OP_fcvt_s32_f64:
    case IR_OP_fcvtz_f32_s32:
        return IR_I32;
    case IR_OP_fcvt_f64_f32: case IR_OP_fcvtz_f64_s32:
        return IR_I64;
    default:
        return dbl ? IR_I64 : IR_I32;
    }
}

static IRType out_type(IROpcode opc, bool dbl)
{
    switch (opc) {
    case IR_OP_fcmp: case IR_OP_fcvt_f64_f32: case IR_OP_fcvt_s32_f32: case IR_OP_fcvtz_f32_s32:
    case IR_OP_fcvtz_f64_s32:
        return IR_I32;
    case IR_OP_fcvt_f32_f64: case IR_OP_fcvt_s32_f64:
        return IR_I64;
    default:
        return dbl ? IR_I64 : IR_I32;
    }
}

static uint64_t get_g(IRType t, int i) { return t == IR_I32 ? rig_cpu.r[i] : rig_cpu.x[i]; }
static void set_g(IRType t, int i, uint64_t v)
{
    if (t == IR_I32)
        rig_cpu.r[i] = (uint32_t)v;
    else
        rig_cpu.x[i] = v;
}
static IRTemp G(IRType t, int i) { return t == IR_I32 ? R[i] : X[i]; }

static bool is_nan(IRType t, uint64_t v) { return t == IR_I32 ? ir_f32_nan(v) : ir_f64_nan(v); }

static unsigned failures;

static void check_op(IROpcode opc, bool dbl, uint64_t a, uint64_t b)
{
    IRType ti = in_type(opc, dbl), to = out_type(opc, dbl);
    unsigned n_in = ir_op_defs[opc].n_in;
    a &= ti == IR_I32 ? 0xffffffffull : ~0ull;
    b &= ti == IR_I32 ? 0xffffffffull : ~0ull;
    uint64_t want;
    take_flags();
    assert_true(ir_eval_value(opc, ti, a, b, 0, 0, &want));
    uint32_t want_flags = take_flags();
    bool loose = unspecified(opc, ti, to, a, want);
    /* Flags are specified for non-NaN inputs (integer inputs always) and,
     * for fcvtz, an in-range result. */
    bool int_in = opc == IR_OP_fcvt_s32_f32 || opc == IR_OP_fcvt_s32_f64;
    bool compare_flags = int_in || (!is_nan(ti, a) && (n_in < 2 || !is_nan(ti, b)));
    if ((opc == IR_OP_fcvtz_f32_s32 || opc == IR_OP_fcvtz_f64_s32) && want == 0x80000000u)
        compare_flags = false;
    for (int form = 0; form < 4; form++) {
        rig_reset_cpu();
        set_g(ti, 1, a);
        set_g(ti, 2, b);
        rig_begin();
        IRTemp x = G(ti, 1), y = G(ti, 2);
        IRTemp fill[12];
        int n_fill = 0;
        if (form == 1 && n_in == 2)
            y = ir_const(&blk, ti, b);
        if (form == 2)
            x = ir_const(&blk, ti, a);
        if (form == 3) {
            /* many live locals: the op's operands land in high registers */
            for (n_fill = 0; n_fill < 10; n_fill++)
                fill[n_fill] = ir_addi(&blk, R[3], (uint64_t)n_fill + 1);
            x = ir_mov(&blk, x);
            y = ir_mov(&blk, y);
        }
        IRTemp out = ir_temp_new(&blk, to);
        uint64_t args[4] = { out, x, y, 0 };
        if (n_in == 1)
            args[2] = 0;     /* the fallback (none), when the op has one */
        ir_emit(&blk, opc, args);
        ir_mov_to(&blk, G(to, 0), out);
        if (form == 3) {
            IRTemp sum = fill[0];
            for (int i = 1; i < n_fill; i++)
                sum = ir_add(&blk, sum, fill[i]);
            ir_mov_to(&blk, R[4], sum);
        }
        take_flags();
        uintptr_t ret = rig_finish();
        uint32_t got_flags = take_flags();
        assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
        uint64_t got = get_g(to, 0);
        bool same = loose ? opc == IR_OP_fcvtz_f32_s32 || opc == IR_OP_fcvtz_f64_s32 ||
                                is_nan(to, got)
                          : got == want;
        if (!same || (compare_flags && got_flags != want_flags)) {
            if (failures++ < 20)
                fprintf(stderr, "%s %s form %d a=%#llx b=%#llx: got %#llx flags %02x, want %#llx flags %02x\n",
                        ir_op_defs[opc].name, dbl ? "f64" : "f32", form, (unsigned long long)a,
                        (unsigned long long)b, (unsigned long long)got, got_flags,
                        (unsigned long long)want, want_flags);
        }
        if (form == 3)
            assert_int_equal(rig_cpu.r[4], 55);
        assert_int_equal(rig_cpu.guard, 0x5a5a5a5a);
    }
}

static void run_op(IROpcode opc, bool dbl)
{
    IRType ti = in_type(opc, dbl);
    const uint64_t *v = ti == IR_I64 ? f64_vals : f32_vals;
    size_t n = ti == IR_I64 ? N64 : N32;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            check_op(opc, dbl, v[i], v[j]);
    for (int k = 0; k < 300; k++) {
        uint64_t a = next_random(), b = next_random();
        if (k & 1) {   /* nearby exponents: cancellations, small results */
            b = (b & ~(0xffull << (ti == IR_I64 ? 52 : 23))) | (a & (0xffull << (ti == IR_I64 ? 52 : 23)));
        }
        check_op(opc, dbl, a, b);
    }
}

static void test_arithmetic(void **state)
{
    (void)state;
    static const IROpcode ops[] = { IR_OP_fadd, IR_OP_fsub, IR_OP_fmul, IR_OP_fdiv, IR_OP_fsqrt,
                                    IR_OP_fcmp };
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int dbl = 0; dbl < 2; dbl++)
            run_op(ops[o], dbl);
    assert_int_equal(failures, 0);
}

static void test_conversions(void **state)
{
    (void)state;
    static const IROpcode ops[] = { IR_OP_fcvt_f32_f64, IR_OP_fcvt_f64_f32, IR_OP_fcvt_s32_f32,
                                    IR_OP_fcvt_s32_f64, IR_OP_fcvtz_f32_s32, IR_OP_fcvtz_f64_s32 };
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        run_op(ops[o], false);
    assert_int_equal(failures, 0);
}

/* The semantics themselves, at a few points worked out by hand. */
static void test_semantics(void **state)
{
    (void)state;
    uint64_t r;
    ir_eval_value(IR_OP_fadd, IR_I32, 0x3f800000, 0x40000000, 0, 0, &r);
    assert_int_equal(r, 0x40400000);                      /* 1 + 2 = 3 */
    ir_eval_value(IR_OP_fsub, IR_I32, 0x7f800000, 0x7f800000, 0, 0, &r);
    assert_true(ir_f32_nan(r));                           /* inf - inf: a NaN */
    assert_false(ir_float_plain(IR_OP_fsub, IR_I32, r));  /* ... for the fallback */
    ir_eval_value(IR_OP_fadd, IR_I32, 0x7fc00001, 0x7f800002, 0, 0, &r);
    assert_int_equal(r, 0x7fc00001);                      /* first NaN wins */
    ir_eval_value(IR_OP_fmul, IR_I64, 0x3ff0000000000000ull, 0xfff0000000000005ull, 0, 0, &r);
    assert_int_equal(r, 0xfff8000000000005ull);           /* second NaN, quieted */
    ir_eval_value(IR_OP_fcmp, IR_I64, 0x8000000000000000ull, 0, 0, 0, &r);
    assert_int_equal(r, IR_FCMP_EQUAL);                   /* -0 == +0 */
    ir_eval_value(IR_OP_fcmp, IR_I32, 0x3f800000, 0x40000000, 0, 0, &r);
    assert_int_equal(r, IR_FCMP_LESS);                    /* 1 < 2 */
    ir_eval_value(IR_OP_fcmp, IR_I32, 0x40000000, 0xff800000, 0, 0, &r);
    assert_int_equal(r, IR_FCMP_GREATER);                 /* 2 > -inf */
    ir_eval_value(IR_OP_fcmp, IR_I32, 0x7fc00000, 0x40000000, 0, 0, &r);
    assert_int_equal(r, IR_FCMP_UNORDERED);               /* NaN */
    ir_eval_value(IR_OP_fcvtz_f64_s32, IR_I64, 0xc00c000000000000ull, 0, 0, 0, &r);
    assert_int_equal(r, 0xfffffffd);                      /* -3.5 -> -3 */
    ir_eval_value(IR_OP_fcvtz_f32_s32, IR_I32, 0x4f000000, 0, 0, 0, &r);
    assert_false(ir_float_plain(IR_OP_fcvtz_f32_s32, IR_I32, r));   /* 2^31: out of range */
    ir_eval_value(IR_OP_fcvt_f64_f32, IR_I64, 0x3ff0000010000000ull, 0, 0, 0, &r);
    assert_int_equal(r, 0x3f800000);                      /* a tie, to even */
    /* never folded: the constant folder would lose the flags they raise */
    assert_true(ir_op_defs[IR_OP_fadd].flags & IR_OPF_SIDE_EFFECTS);
}

/* ---- the fallback helper: called exactly for results that are not plain,
 * with the op's inputs; every live register survives the call ---- */

static unsigned fallback_calls;
static uint64_t fallback_args[2];

static uint64_t fb2(void *env, uint64_t a, uint64_t b)
{
    assert_ptr_equal(env, &rig_cpu);
    fallback_calls++;
    fallback_args[0] = a;
    fallback_args[1] = b;
    return 0x1234567887654321ull;
}
static uint32_t fb1(void *env, uint64_t a)
{
    assert_ptr_equal(env, &rig_cpu);
    fallback_calls++;
    fallback_args[0] = a;
    return 0x13572468u;
}

static const IRHelper fb_add64 = { .name = "fb_add64", .fn = (void *)fb2, .n_args = 2, .has_result = true,
    .flags = IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV,
    .ret_type = IR_I64, .arg_types = { IR_I64, IR_I64 } };
static const IRHelper fb_cvtz64 = { .name = "fb_cvtz64", .fn = (void *)fb1, .n_args = 1, .has_result = true,
    .flags = IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV,
    .ret_type = IR_I32, .arg_types = { IR_I64 } };

static const IRHelper fb_cmp64 = { .name = "fb_cmp64", .fn = (void *)fb2, .n_args = 2, .has_result = true,
    .flags = IR_HELPER_NO_READ_GLOBALS | IR_HELPER_NO_WRITE_GLOBALS | IR_HELPER_PASS_ENV,
    .ret_type = IR_I32, .arg_types = { IR_I64, IR_I64 } };

static void check_fallback(IROpcode opc, const IRHelper *h, uint64_t a, uint64_t b, bool interp)
{
    IRType ti = IR_I64, to = opc == IR_OP_fadd ? IR_I64 : IR_I32;
    bool two = ir_op_defs[opc].n_in == 2;
    uint64_t raw;
    ir_eval_value(opc, ti, a, b, 0, 0, &raw);
    bool plain = ir_float_plain(opc, to, raw);
    uint64_t want = plain ? raw : opc == IR_OP_fadd ? 0x1234567887654321ull
                                : opc == IR_OP_fcmp ? 0x87654321u : 0x13572468u;
    for (int form = 0; form < 2; form++) {
        rig_reset_cpu();
        rig_cpu.x[1] = a;
        rig_cpu.x[2] = b;
        for (int i = 5; i < 16; i++)
            rig_cpu.r[i] = 0x1000u * (unsigned)i;
        rig_begin();
        /* live values in every register class across the op */
        IRTemp live[11];
        for (int i = 0; i < 11; i++)
            live[i] = ir_addi(&blk, R[5 + i], 1);
        IRTemp x = form ? ir_mov(&blk, X[1]) : X[1];
        IRTemp out = ir_temp_new(&blk, to);
        uint64_t args[4] = { out, x, two ? X[2] : (uint64_t)(uintptr_t)h, (uint64_t)(uintptr_t)h };
        ir_emit(&blk, opc, args);
        ir_mov_to(&blk, to == IR_I64 ? X[0] : R[0], out);
        for (int i = 0; i < 11; i++)
            ir_mov_to(&blk, R[5 + i], live[i]);
        fallback_calls = 0;
        if (interp) {
            IRInterpEnv env = { .cpu = &rig_cpu, .guest_base = (uintptr_t)rig_mem,
                                .exception_offset = offsetof(CPUCommon, exception_index),
                                .exit_request_offset = offsetof(CPUCommon, exit_request) };
            ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
            assert_int_equal(ir_interp(&blk, &env), IR_EXIT_NOCHAIN);
        } else {
            assert_int_equal(rig_finish(), RIG_TAG | IR_EXIT_NOCHAIN);
        }
        assert_int_equal(to == IR_I64 ? rig_cpu.x[0] : rig_cpu.r[0], want);
        assert_int_equal(fallback_calls, plain ? 0 : 1);
        if (!plain) {
            assert_int_equal(fallback_args[0], a);
            if (two)
                assert_int_equal(fallback_args[1], b);
        }
        for (int i = 0; i < 11; i++)
            assert_int_equal(rig_cpu.r[5 + i], 0x1000u * (unsigned)(5 + i) + 1);
        assert_int_equal(rig_cpu.guard, 0x5a5a5a5a);
    }
}

static void test_fallback(void **state)
{
    (void)state;
    for (int interp = 0; interp < 2; interp++) {
        for (size_t i = 0; i < N64; i++)
            for (size_t j = 0; j < N64; j++)
                check_fallback(IR_OP_fadd, &fb_add64, f64_vals[i], f64_vals[j], interp);
        for (size_t i = 0; i < N64; i++)
            check_fallback(IR_OP_fcvtz_f64_s32, &fb_cvtz64, f64_vals[i], 0, interp);
        for (size_t i = 0; i < N64; i++)
            for (size_t j = 0; j < N64; j += 3)
                check_fallback(IR_OP_fcmp, &fb_cmp64, f64_vals[i], f64_vals[j], interp);
    }
    /* the plainness rule at its edges */
    assert_true(ir_float_plain(IR_OP_fadd, IR_I64, 0x8000000000000000ull));    /* -0 */
    assert_false(ir_float_plain(IR_OP_fadd, IR_I64, 0x0010000000000000ull));   /* DBL_MIN */
    assert_true(ir_float_plain(IR_OP_fadd, IR_I64, 0x0020000000000000ull));    /* 2 * DBL_MIN */
    assert_false(ir_float_plain(IR_OP_fadd, IR_I32, 0x7f800000));               /* inf */
    assert_true(ir_float_plain(IR_OP_fadd, IR_I32, 0x7f7fffff));                /* FLT_MAX */
    assert_false(ir_float_plain(IR_OP_fadd, IR_I32, 0x00000001));               /* denormal */
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semantics),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_fallback),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
