/* Unit tests for the x87 unit: host/host-x87.h against the host's x87 as C
 * compiles long double (random operands, every rounding mode, precision
 * control against SSE doubles), the constants and transcendental
 * instructions on values with known results, the stack machine of
 * frontend-x86/x87.c (tags, overflow and underflow with their masked
 * responses, unmasked exceptions that stay pending), and the memory images
 * of frontend-x86/x86-fxsave.c against the host's own FNSAVE/FXSAVE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fenv.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "frontend-x86/x87.h"
#include "host/host-x87.h"

static HostF80 f80(long double v)
{
    HostF80 r;
    memset(&r, 0, sizeof r);
    memcpy(&r, &v, 10);
    return r;
}

static long double ld(const HostF80 *r)
{
    long double v = 0;
    memcpy(&v, r, 10);
    return v;
}

static int same(const HostF80 *a, const HostF80 *b) { return a->mant == b->mant && a->sign_exp == b->sign_exp; }

/* xorshift, reproducible */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* a random value: mostly normals over a wide exponent range, some
 * denormals, zeros, infinities and NaNs */
static HostF80 rnd_f80(void)
{
    HostF80 r;
    memset(&r, 0, sizeof r);
    uint64_t k = rnd() % 32;
    r.mant = rnd() | (1ull << 63);
    uint16_t sign = (rnd() & 1) ? 0x8000 : 0;
    if (k == 0) {
        r.mant = 0;
        r.sign_exp = sign;
    } else if (k == 1) {
        r.mant >>= 1 + rnd() % 62;   /* denormal */
        r.sign_exp = sign;
    } else if (k == 2) {
        r.mant = 1ull << 63;          /* infinity */
        r.sign_exp = sign | 0x7fff;
    } else if (k == 3) {
        r.mant |= 1ull << 62;         /* QNaN */
        r.sign_exp = sign | 0x7fff;
    } else if (k < 8) {
        r.sign_exp = sign | (uint16_t)(1 + rnd() % 0x7ffe);
    } else {
        r.sign_exp = sign | (uint16_t)(0x3fff - 80 + rnd() % 160);
    }
    return r;
}

/* the host's x87 running C's long double arithmetic, as the oracle */
static long double c_op(HostX87Arith op, long double a, long double b)
{
    volatile long double x = a, y = b, r;
    switch (op) {
    case HOST_X87_FADD: r = x + y; break;
    case HOST_X87_FMUL: r = x * y; break;
    case HOST_X87_FSUB: r = x - y; break;
    case HOST_X87_FSUBR: r = y - x; break;
    case HOST_X87_FDIV: r = x / y; break;
    default: r = y / x; break;
    }
    return r;
}

static unsigned fenv_to_sw(int e)
{
    return ((e & FE_INVALID) ? HOST_X87_IE : 0) | ((e & FE_DIVBYZERO) ? HOST_X87_ZE : 0) |
           ((e & FE_OVERFLOW) ? HOST_X87_OE : 0) | ((e & FE_UNDERFLOW) ? HOST_X87_UE : 0) |
           ((e & FE_INEXACT) ? HOST_X87_PE : 0);
}

static void test_arith_random(void **state)
{
    static const HostX87Arith ops[] = { HOST_X87_FADD, HOST_X87_FMUL, HOST_X87_FSUB,
                                        HOST_X87_FSUBR, HOST_X87_FDIV, HOST_X87_FDIVR };
    static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
    static const uint16_t rc[] = { 0x000, 0x400, 0x800, 0xc00 };
    for (int i = 0; i < 20000; i++) {
        HostX87Arith op = ops[rnd() % 6];
        int m = (int)(rnd() % 4);
        HostF80 a = rnd_f80(), b = rnd_f80();
        fesetround(modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        long double want = c_op(op, ld(&a), ld(&b));
        int e = fetestexcept(FE_ALL_EXCEPT);
        fesetround(FE_TONEAREST);
        HostF80 d = a, w = f80(want);
        uint16_t sw = host_x87_arith(op, 0x37f | rc[m], &d, &b, HOST_X87_ST);
        if (!same(&d, &w))
            fail_msg("op %d mode %d: %04x:%016llx, %04x:%016llx -> %04x:%016llx, want %04x:%016llx", op,
                     m, a.sign_exp, (unsigned long long)a.mant, b.sign_exp, (unsigned long long)b.mant,
                     d.sign_exp, (unsigned long long)d.mant, w.sign_exp, (unsigned long long)w.mant);
        /* the flags the C library sees (denormal is the x87's own) */
        assert_int_equal(sw & (HOST_X87_EXC & ~HOST_X87_DE), fenv_to_sw(e));
    }
}

/* precision control 53 bits = SSE doubles, for results in double's range */
static void test_precision_control(void **state)
{
    for (int i = 0; i < 20000; i++) {
        double a, b;
        uint64_t ba = (rnd() & 0x800fffffffffffffull) | ((uint64_t)(0x3ff - 200 + rnd() % 400) << 52);
        uint64_t bb = (rnd() & 0x800fffffffffffffull) | ((uint64_t)(0x3ff - 200 + rnd() % 400) << 52);
        memcpy(&a, &ba, 8);
        memcpy(&b, &bb, 8);
        volatile double x = a, y = b;
        double want[4] = { x + y, x * y, x - y, x / y };
        HostX87Arith ops[4] = { HOST_X87_FADD, HOST_X87_FMUL, HOST_X87_FSUB, HOST_X87_FDIV };
        for (int k = 0; k < 4; k++) {
            HostF80 d = f80(a), s = f80(b), w = f80(want[k]);
            host_x87_arith(ops[k], 0x27f, &d, &s, HOST_X87_ST);
            assert_true(same(&d, &w));
            /* the m64 form gives the same */
            HostF80 d2 = f80(a), m;
            memset(&m, 0, sizeof m);
            memcpy(&m, &b, 8);
            host_x87_arith(ops[k], 0x27f, &d2, &m, HOST_X87_M64FP);
            assert_true(same(&d2, &w));
        }
    }
}

static void test_memory_operands(void **state)
{
    HostF80 d = f80(1.5L), m;
    memset(&m, 0, sizeof m);
    float f = 0.25f;
    memcpy(&m, &f, 4);
    host_x87_arith(HOST_X87_FSUBR, 0x37f, &d, &m, HOST_X87_M32FP);
    assert_true(ld(&d) == -1.25L);
    int16_t i16 = -3;
    memset(&m, 0, sizeof m);
    memcpy(&m, &i16, 2);
    host_x87_arith(HOST_X87_FMUL, 0x37f, &d, &m, HOST_X87_M16INT);
    assert_true(ld(&d) == 3.75L);
    int32_t i32 = 3;
    memset(&m, 0, sizeof m);
    memcpy(&m, &i32, 4);
    host_x87_arith(HOST_X87_FDIVR, 0x37f, &d, &m, HOST_X87_M32INT);
    assert_true(ld(&d) == 0.8L);
    /* compare with an m32 and an int */
    HostF80 a = f80(2.0L);
    assert_int_equal(host_x87_compare(false, 0x37f, &a, &m, HOST_X87_M32INT) & HOST_X87_CC, HOST_X87_C0);
    memset(&m, 0, sizeof m);
    memcpy(&m, &f, 4);
    assert_int_equal(host_x87_compare(false, 0x37f, &a, &m, HOST_X87_M32FP) & HOST_X87_CC, 0);
}

static void test_compare(void **state)
{
    HostF80 one = f80(1.0L), two = f80(2.0L), nan = f80(__builtin_nanl(""));
    HostF80 snan = f80(__builtin_nansl(""));
    assert_int_equal(host_x87_compare(false, 0x37f, &one, &two, HOST_X87_ST) & HOST_X87_CC, HOST_X87_C0);
    assert_int_equal(host_x87_compare(false, 0x37f, &two, &one, HOST_X87_ST) & HOST_X87_CC, 0);
    assert_int_equal(host_x87_compare(false, 0x37f, &one, &one, HOST_X87_ST) & HOST_X87_CC, HOST_X87_C3);
    uint16_t sw = host_x87_compare(false, 0x37f, &one, &nan, HOST_X87_ST);
    assert_int_equal(sw & HOST_X87_CC, HOST_X87_C0 | HOST_X87_C2 | HOST_X87_C3);
    assert_true(sw & HOST_X87_IE);   /* FCOM: any NaN is invalid */
    sw = host_x87_compare(true, 0x37f, &one, &nan, HOST_X87_ST);
    assert_false(sw & HOST_X87_IE);  /* FUCOM: a QNaN is not */
    sw = host_x87_compare(true, 0x37f, &one, &snan, HOST_X87_ST);
    assert_true(sw & HOST_X87_IE);
}

static void test_loads_stores(void **state)
{
    HostF80 m, d;
    memset(&m, 0, sizeof m);
    /* an m32 SNaN: invalid, loaded quiet */
    uint32_t snan32 = 0x7f800001u;
    memcpy(&m, &snan32, 4);
    uint16_t sw = host_x87_load(0x37f, &d, &m, HOST_X87_M32FP);
    assert_true(sw & HOST_X87_IE);
    assert_int_equal(d.sign_exp, 0x7fff);
    assert_true(d.mant == 0xc000010000000000ull);
    /* unmasked: nothing loaded, no trap */
    HostF80 keep = f80(7.0L);
    d = keep;
    sw = host_x87_load(0x37e, &d, &m, HOST_X87_M32FP);
    assert_true(sw & HOST_X87_IE);
    assert_true(same(&d, &keep));
    /* FILD m64 */
    int64_t big = -1234567890123456789ll;
    memset(&m, 0, sizeof m);
    memcpy(&m, &big, 8);
    host_x87_load(0x37f, &d, &m, HOST_X87_M64INT);
    assert_true(ld(&d) == (long double)big);
    /* FIST in each rounding mode, FISTTP truncates */
    HostF80 v = f80(-2.5L);
    static const uint16_t rc[] = { 0x000, 0x400, 0x800, 0xc00 };
    static const int16_t want[] = { -2, -3, -2, -2 };
    for (int k = 0; k < 4; k++) {
        memset(&m, 0, sizeof m);
        sw = host_x87_store(0x37f | rc[k], &m, &v, HOST_X87_M16INT, false);
        assert_int_equal((int16_t)m.mant, want[k]);
        assert_true(sw & HOST_X87_PE);
    }
    HostF80 v27 = f80(2.7L);
    host_x87_store(0x37f, &m, &v27, HOST_X87_M32INT, true);
    assert_int_equal((int32_t)m.mant, 2);
    /* out of range: the integer indefinite and invalid */
    HostF80 huge = f80(1e10L);
    sw = host_x87_store(0x37f, &m, &huge, HOST_X87_M32INT, false);
    assert_true(sw & HOST_X87_IE);
    assert_int_equal((uint32_t)m.mant, 0x80000000u);
    /* FST m32 overflow -> inf */
    HostF80 e300 = f80(1e300L);
    sw = host_x87_store(0x37f, &m, &e300, HOST_X87_M32FP, false);
    assert_true(sw & HOST_X87_OE);
    assert_int_equal((uint32_t)m.mant, 0x7f800000u);
    /* BCD both ways */
    HostF80 n = f80(-123456789012345678.0L);
    memset(&m, 0, sizeof m);
    host_x87_store(0x37f, &m, &n, HOST_X87_M80BCD, false);
    assert_true(m.mant == 0x3456789012345678ull);
    assert_int_equal(m.sign_exp, 0x8012);
    host_x87_load(0x37f, &d, &m, HOST_X87_M80BCD);
    assert_true(same(&d, &n));
}

static void test_constants(void **state)
{
    HostF80 d;
    host_x87_const(0x37f, &d, HOST_X87_LDPI);
    assert_int_equal(d.sign_exp, 0x4000);
    assert_true(d.mant == 0xc90fdaa22168c235ull);
    host_x87_const(0x37f | 0x400, &d, HOST_X87_LDPI);   /* down */
    assert_true(d.mant == 0xc90fdaa22168c234ull);
    host_x87_const(0x37f, &d, HOST_X87_LD1);
    assert_true(ld(&d) == 1.0L);
    host_x87_const(0x37f, &d, HOST_X87_LDZ);
    assert_true(d.mant == 0 && d.sign_exp == 0);
    host_x87_const(0x37f, &d, HOST_X87_LDLN2);
    assert_int_equal(d.sign_exp, 0x3ffe);
    assert_true(d.mant == 0xb17217f7d1cf79acull);
}

static void test_functions(void **state)
{
    HostF80 st[2];
    int pushed;
    /* FSQRT */
    st[0] = f80(2.25L);
    host_x87_func(HOST_X87_FSQRT, 0x37f, st, &pushed);
    assert_int_equal(pushed, 0);
    assert_true(ld(&st[0]) == 1.5L);
    /* FPTAN(0) = 0, pushes 1 */
    st[0] = f80(0.0L);
    host_x87_func(HOST_X87_FPTAN, 0x37f, st, &pushed);
    assert_int_equal(pushed, 1);
    assert_true(ld(&st[0]) == 1.0L && ld(&st[1]) == 0.0L);
    /* FXTRACT(8) = significand 1 on top, exponent 3 below */
    st[0] = f80(8.0L);
    host_x87_func(HOST_X87_FXTRACT, 0x37f, st, &pushed);
    assert_int_equal(pushed, 1);
    assert_true(ld(&st[0]) == 1.0L && ld(&st[1]) == 3.0L);
    /* FYL2X: 2 * log2(8) = 6, pops */
    st[0] = f80(8.0L);
    st[1] = f80(2.0L);
    host_x87_func(HOST_X87_FYL2X, 0x37f, st, &pushed);
    assert_int_equal(pushed, -1);
    assert_true(ld(&st[0]) == 6.0L);
    /* FSCALE(1, 3) = 8 */
    st[0] = f80(1.0L);
    st[1] = f80(3.0L);
    host_x87_func(HOST_X87_FSCALE, 0x37f, st, &pushed);
    assert_int_equal(pushed, 0);
    assert_true(ld(&st[0]) == 8.0L);
    /* FPREM(10, 3) = 1, quotient 3 in C1 (Q0) C3 (Q1) C0 (Q2) */
    st[0] = f80(10.0L);
    st[1] = f80(3.0L);
    uint16_t sw = host_x87_func(HOST_X87_FPREM, 0x37f, st, &pushed);
    assert_true(ld(&st[0]) == 1.0L);
    assert_int_equal(sw & HOST_X87_CC, HOST_X87_C1 | HOST_X87_C3);
    /* F2XM1(-1) = -0.5 */
    st[0] = f80(-1.0L);
    host_x87_func(HOST_X87_F2XM1, 0x37f, st, &pushed);
    assert_true(ld(&st[0]) == -0.5L);
    /* FPATAN(1, 1) = pi/4, pi's significand */
    st[0] = f80(1.0L);
    st[1] = f80(1.0L);
    host_x87_func(HOST_X87_FPATAN, 0x37f, st, &pushed);
    assert_int_equal(pushed, -1);
    assert_int_equal(st[0].sign_exp, 0x3ffe);
    assert_true(st[0].mant == 0xc90fdaa22168c235ull);
    /* FSIN out of range: C2 set, operand unchanged */
    st[0] = f80(0x1p70L);
    sw = host_x87_func(HOST_X87_FSIN, 0x37f, st, &pushed);
    assert_true(sw & HOST_X87_C2);
    assert_true(ld(&st[0]) == 0x1p70L);
    /* FSINCOS(0): cos 1 on top, sin 0 below */
    st[0] = f80(0.0L);
    host_x87_func(HOST_X87_FSINCOS, 0x37f, st, &pushed);
    assert_int_equal(pushed, 1);
    assert_true(ld(&st[0]) == 1.0L && ld(&st[1]) == 0.0L);
}

/* unmasked exceptions: the destination is left alone and the host does
 * not trap (this test would die of SIGFPE otherwise) */
static void test_unmasked(void **state)
{
    HostF80 d = f80(1.0L), z = f80(0.0L);
    uint16_t sw = host_x87_arith(HOST_X87_FDIV, 0x37b, &d, &z, HOST_X87_ST);
    assert_true(sw & HOST_X87_ZE);
    assert_true(ld(&d) == 1.0L);
    /* overflow unmasked: the exponent-wrapped result (bias 24576) */
    HostF80 big = f80(0x1p16000L);
    d = big;
    sw = host_x87_arith(HOST_X87_FMUL, 0x377, &d, &big, HOST_X87_ST);
    assert_true(sw & HOST_X87_OE);
    assert_int_equal(d.sign_exp, 0x3fff + 32000 - 24576);
    /* and a following C long double operation runs normally */
    volatile long double a = 1.0L, b = 3.0L;
    assert_true(a / b > 0.33L);
}

/* ---- the stack machine ------------------------------------------------------ */

static void fpu_init(X87State *f)
{
    memset(f, 0, sizeof *f);
    x87_init(f);
}

static void push_ld(X87State *f, long double v)
{
    HostF80 m;
    memset(&m, 0, sizeof m);
    memcpy(&m, &v, 10);
    x87_fld_mem(f, HOST_X87_M80FP, &m);
}

static long double st(const X87State *f, unsigned i)
{
    return ld((const HostF80 *)&f->r[x87_phys(f, i)]);
}

static void test_stack_basics(void **state)
{
    X87State f;
    fpu_init(&f);
    push_ld(&f, 3.0L);
    push_ld(&f, 4.0L);
    assert_int_equal(f.top, 6);
    assert_int_equal(f.ftw, 0x0fff);
    assert_true(st(&f, 0) == 4.0L && st(&f, 1) == 3.0L);
    x87_arith_st(&f, HOST_X87_FSUB, 1, 0, true);   /* FSUBP ST(1), ST(0): 3 - 4 */
    assert_int_equal(f.top, 7);
    assert_true(st(&f, 0) == -1.0L);
    x87_fld_const(&f, HOST_X87_LDZ);
    assert_int_equal(x87_tag(&f, 6), X87_TAG_ZERO);
    x87_fxch(&f, 1);
    assert_true(st(&f, 0) == -1.0L && st(&f, 1) == 0.0L);
    assert_int_equal(x87_tag(&f, 7), X87_TAG_ZERO);
    x87_fcom_st(&f, 1, false, 0);
    assert_int_equal(f.fsw & X87_SW_CC, X87_SW_C0);   /* -1 < 0 */
    assert_int_equal(x87_fcomi(&f, 1, true, false), X86_EFLAGS_CF);
    x87_fabs(&f);
    assert_true(st(&f, 0) == 1.0L);
    x87_fxam(&f);
    assert_int_equal(f.fsw & X87_SW_CC, X87_SW_C2);   /* normal, positive */
    x87_fxam(&f);
    x87_fcmov(&f, 1, true);
    assert_true(st(&f, 0) == 0.0L);
    x87_fst_st(&f, 1, true);
    assert_int_equal(f.top, 7);
    HostF80 out;
    assert_true(x87_fst_mem(&f, HOST_X87_M64FP, false, true, &out));
    assert_true(out.mant == 0);
    assert_int_equal(f.ftw, 0xffff);
    assert_int_equal(f.fsw & X87_SW_EXC, 0);
    /* FXAM of an empty register: C3 C0, C1 the sign of what is there */
    x87_fxam(&f);
    assert_int_equal(f.fsw & (X87_SW_C0 | X87_SW_C2 | X87_SW_C3), X87_SW_C3 | X87_SW_C0);
}

static void test_stack_faults(void **state)
{
    X87State f;
    fpu_init(&f);
    for (int i = 0; i < 8; i++)
        push_ld(&f, (long double)i);
    assert_int_equal(f.fsw & X87_SW_EXC, 0);
    push_ld(&f, 8.0L);   /* overflow: IE SF C1, the indefinite pushed */
    assert_int_equal(f.fsw & (X87_SW_IE | X87_SW_SF | X87_SW_C1), X87_SW_IE | X87_SW_SF | X87_SW_C1);
    assert_int_equal(f.r[f.top].sign_exp, 0xffff);
    assert_true(f.r[f.top].mant == 0xc000000000000000ull);
    assert_false(f.fsw & X87_SW_ES);

    fpu_init(&f);
    x87_arith_st(&f, HOST_X87_FADD, 0, 1, false);   /* underflow, masked */
    assert_int_equal(f.fsw & (X87_SW_IE | X87_SW_SF | X87_SW_C1), X87_SW_IE | X87_SW_SF);
    assert_int_equal(x87_tag(&f, f.top), X87_TAG_SPECIAL);
    HostF80 out;
    fpu_init(&f);
    assert_true(x87_fst_mem(&f, HOST_X87_M32INT, false, true, &out));
    assert_int_equal((uint32_t)out.mant, 0x80000000u);

    /* unmasked: nothing changes but the flags; ES pending */
    fpu_init(&f);
    x87_fldcw(&f, 0x37e);
    x87_arith_st(&f, HOST_X87_FADD, 0, 1, true);
    assert_int_equal(f.top, 0);
    assert_int_equal(f.ftw, 0xffff);
    assert_true(x87_pending(&f));
    assert_int_equal(f.fsw & X87_SW_B, X87_SW_B);
    assert_int_equal(x87_fpe_code(&f), FPE_FLTINV);
    x87_fnclex(&f);
    assert_false(x87_pending(&f));
}

static void test_unmasked_zero_divide(void **state)
{
    X87State f;
    fpu_init(&f);
    push_ld(&f, 0.0L);
    push_ld(&f, 1.0L);
    x87_fldcw(&f, 0x37b);
    x87_arith_st(&f, HOST_X87_FDIV, 0, 1, false);
    assert_true(st(&f, 0) == 1.0L);
    assert_true(x87_pending(&f));
    assert_int_equal(x87_fpe_code(&f), FPE_FLTDIV);
    /* masking it again clears ES */
    x87_fldcw(&f, 0x37f);
    assert_false(x87_pending(&f));
}

static void test_funcs_on_stack(void **state)
{
    X87State f;
    fpu_init(&f);
    push_ld(&f, 8.0L);
    x87_func(&f, HOST_X87_FXTRACT);
    assert_int_equal(f.top, 6);
    assert_true(st(&f, 0) == 1.0L && st(&f, 1) == 3.0L);
    x87_func(&f, HOST_X87_FYL2X);   /* 3 * log2(1) = 0 */
    assert_int_equal(f.top, 7);
    assert_true(st(&f, 0) == 0.0L);
    assert_int_equal(x87_tag(&f, 7), X87_TAG_ZERO);
    x87_func(&f, HOST_X87_FPTAN);
    assert_int_equal(f.top, 6);
    assert_true(st(&f, 0) == 1.0L && st(&f, 1) == 0.0L);
}

/* ---- images against the host's own FNSAVE / FXSAVE -------------------------- */

static void test_images(void **state)
{
    uint8_t host_fx[512] __attribute__((aligned(16)));
    uint8_t host_fs[108];
    memset(host_fx, 0, sizeof host_fx);
    __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tfldpi\n\tfxsave64 %0\n\tfnsave %1\n\tfninit"
                     : "=m"(host_fx), "=m"(host_fs));
    X86CPU *cpu = calloc(1, sizeof *cpu);
    assert_non_null(cpu);
    x86_fpu_reset(cpu);
    assert_int_equal(x86_fxrstor(cpu, host_fx, X86_FPU_REXW | X86_FPU_XMM16), 0);
    assert_int_equal(cpu->fpu.top, 5);
    assert_int_equal(cpu->fpu.ftw, 0x13ff);   /* R5 valid, R6 zero, R7 valid */
    uint8_t fx[512];
    memcpy(fx, host_fx, sizeof fx);
    memset(fx, 0xaa, 416);
    x86_fxsave(cpu, fx, X86_FPU_REXW | X86_FPU_XMM16);
    /* MXCSR_MASK is the modelled cpu's (0xffff), not this host's */
    assert_memory_equal(fx, host_fx, 28);
    assert_memory_equal(fx + 32, host_fx + 32, 416 - 32);

    /* FNSAVE: the environment without the pointers, and the registers */
    uint8_t fs[108];
    x86_fsave(cpu, fs, 0);
    assert_memory_equal(fs, host_fs, 12);
    assert_memory_equal(fs + 28, host_fs + 28, 80);
    /* and back */
    X86CPU *c2 = calloc(1, sizeof *c2);
    assert_non_null(c2);
    x86_fpu_reset(c2);
    x86_frstor(c2, host_fs, 0);
    assert_int_equal(c2->fpu.top, 5);
    assert_int_equal(c2->fpu.ftw, cpu->fpu.ftw);
    assert_memory_equal(c2->fpu.r, cpu->fpu.r, sizeof cpu->fpu.r);

    /* a reserved MXCSR bit: #GP, nothing loaded */
    uint8_t bad[512];
    memcpy(bad, host_fx, 512);
    uint32_t mx = 0x10000;
    memcpy(bad + 24, &mx, 4);
    assert_int_equal(x86_fxrstor(c2, bad, 0), -1);

    /* XSAVE round trip with AVX, and the header checks */
    uint8_t xs[1024];
    memset(xs, 0, sizeof xs);
    for (int i = 0; i < 32; i++)
        cpu->vec.ymm[3].b[i] = (uint8_t)i;
    x86_xsave(cpu, xs, 7, X86_XSAVE_STD, X86_FPU_XMM16);
    assert_int_equal(xs[512], 7);
    X86CPU *c3 = calloc(1, sizeof *c3);
    assert_non_null(c3);
    x86_fpu_reset(c3);
    assert_int_equal(x86_xrstor(c3, xs, 7, 7, X86_FPU_XMM16), 0);
    assert_memory_equal(c3->vec.ymm[3].b, cpu->vec.ymm[3].b, 32);
    assert_int_equal(c3->fpu.top, 5);
    xs[512 + 20] = 1;   /* reserved header byte */
    assert_int_equal(x86_xrstor(c3, xs, 7, 7, X86_FPU_XMM16), -1);
    xs[512 + 20] = 0;
    /* XSTATE_BV without AVX: its upper halves are initialised */
    xs[512] = 3;
    assert_int_equal(x86_xrstor(c3, xs, 7, 7, X86_FPU_XMM16), 0);
    assert_int_equal(c3->vec.ymm[3].b[16], 0);
    assert_int_equal(c3->vec.ymm[3].b[15], 15);
    /* compacted */
    memset(xs, 0, sizeof xs);
    x86_xsave(cpu, xs, 7, X86_XSAVE_C, X86_FPU_XMM16);
    assert_int_equal(xs[512 + 15], 0x80);
    assert_int_equal(x86_xrstor(c3, xs, 7, 7, X86_FPU_XMM16), 0);
    assert_memory_equal(c3->vec.ymm[3].b, cpu->vec.ymm[3].b, 32);
    assert_int_equal(x86_xsave_size(7), 832);
    assert_int_equal(x86_xsave_size(3), 576);
    free(cpu);
    free(c2);
    free(c3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arith_random),
        cmocka_unit_test(test_precision_control),
        cmocka_unit_test(test_memory_operands),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_loads_stores),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_unmasked),
        cmocka_unit_test(test_stack_basics),
        cmocka_unit_test(test_stack_faults),
        cmocka_unit_test(test_unmasked_zero_divide),
        cmocka_unit_test(test_funcs_on_stack),
        cmocka_unit_test(test_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
