/* Unit tests for host/host-x87-soft.c, the portable 80-bit arithmetic,
 * against the host's x87 (host-x87-x86_64.c): random operands of every
 * class (normals over the whole exponent range and near it, denormals,
 * zeros, infinities, QNaNs, SNaNs, unnormals), every rounding mode and
 * precision; results and the status bits must be identical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "host/host-x87-soft.h"
#include "host/host-x87.h"

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static HostF80 rnd_f80(void)
{
    HostF80 r;
    memset(&r, 0, sizeof r);
    uint16_t sign = (rnd() & 1) ? 0x8000 : 0;
    uint64_t m = rnd() | (1ull << 63);
    switch (rnd() % 40) {
    case 0: r.mant = 0; r.sign_exp = sign; break;
    case 1: r.mant = m >> (1 + rnd() % 63); r.sign_exp = sign; break;          /* denormal */
    case 2: r.mant = 1ull << 63; r.sign_exp = sign | 0x7fff; break;            /* infinity */
    case 3: r.mant = m | (1ull << 62); r.sign_exp = sign | 0x7fff; break;      /* QNaN */
    case 4: r.mant = (m & ~(1ull << 62)) | 1; r.sign_exp = sign | 0x7fff; break; /* SNaN */
    case 5: r.mant = m >> 1; r.sign_exp = sign | (uint16_t)(1 + rnd() % 0x7ffe); break; /* unnormal */
    case 6: r.mant = m; r.sign_exp = sign | (uint16_t)(rnd() % 64 + 1); break;  /* near the bottom */
    case 7: r.mant = m; r.sign_exp = sign | (uint16_t)(0x7ffe - rnd() % 64); break; /* near the top */
    case 8: r.mant = m & ~0ull << (rnd() % 64); r.sign_exp = sign | 0x3fff; break; /* short */
    default: r.mant = m; r.sign_exp = sign | (uint16_t)(0x3fff - 100 + rnd() % 200); break;
    }
    return r;
}

static const uint16_t pcs[3] = { 0x000, 0x200, 0x300 };
#define CHECKED (HOST_X87_EXC | HOST_X87_C1)

static int report(const char *what, uint16_t fcw, const HostF80 *a, const HostF80 *b,
                  const HostF80 *want, uint16_t wsw, const HostF80 *got, uint16_t gsw)
{
    printf("%s fcw %04x: %04x:%016llx, %04x:%016llx -> want %04x:%016llx sw %04x, got %04x:%016llx sw %04x\n",
           what, fcw, a->sign_exp, (unsigned long long)a->mant, b ? b->sign_exp : 0,
           b ? (unsigned long long)b->mant : 0ull, want->sign_exp, (unsigned long long)want->mant, wsw,
           got->sign_exp, (unsigned long long)got->mant, gsw);
    return 1;
}

static void test_soft_arith(void **state)
{
    static const HostX87Arith ops[] = { HOST_X87_FADD, HOST_X87_FSUB, HOST_X87_FSUBR,
                                        HOST_X87_FMUL, HOST_X87_FDIV, HOST_X87_FDIVR };
    static const char *names[] = { "fadd", "fsub", "fsubr", "fmul", "fdiv", "fdivr" };
    int bad = 0;
    for (int i = 0; i < 300000 && bad < 20; i++) {
        int k = (int)(rnd() % 6);
        uint16_t fcw = (uint16_t)(0x7f | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80(), b = rnd_f80(), w = a, g = a;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_arith(ops[k], fcw, &w, &b, HOST_X87_ST) & CHECKED;
        uint16_t gsw = host_x87_soft_arith(ops[k], fcw, &g, &b) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report(names[k], fcw, &a, &b, &w, wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_sqrt(void **state)
{
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 20; i++) {
        uint16_t fcw = (uint16_t)(0x7f | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80(), w = a, g = a, st[2] = { a, a };
        int pushed;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_func(HOST_X87_FSQRT, fcw, st, &pushed) & CHECKED;
        w = st[0];
        uint16_t gsw = host_x87_soft_sqrt(fcw, &g) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report("fsqrt", fcw, &a, NULL, &w, wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_compare(void **state)
{
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 20; i++) {
        HostF80 a = rnd_f80(), b = (rnd() % 8) ? rnd_f80() : a;
        bool un = rnd() & 1;
        host_x87_clear_flags();
        uint16_t want = host_x87_compare(un, 0x37f, &a, &b, HOST_X87_ST) &
                        (HOST_X87_EXC | HOST_X87_C0 | HOST_X87_C2 | HOST_X87_C3);
        uint16_t got = host_x87_soft_compare(un, &a, &b);
        if (want != got)
            bad += report(un ? "fucom" : "fcom", 0x37f, &a, &b, &a, want, &b, got);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_loads(void **state)
{
    static const HostX87Fmt fmts[] = { HOST_X87_M32FP, HOST_X87_M64FP, HOST_X87_M16INT,
                                       HOST_X87_M32INT, HOST_X87_M64INT };
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 20; i++) {
        HostX87Fmt f = fmts[rnd() % 5];
        HostF80 m, w, g;
        memset(&m, 0, sizeof m);
        uint64_t raw = rnd();
        switch (rnd() % 6) {   /* make the special classes likely */
        case 0: raw &= f == HOST_X87_M32FP ? 0x807fffffull : 0x800fffffffffffffull; break;
        case 1: raw |= f == HOST_X87_M32FP ? 0x7f800000ull : 0x7ff0000000000000ull; break;
        case 2: raw &= 0xffffffffull; break;
        default: break;
        }
        m.mant = f == HOST_X87_M32FP || f == HOST_X87_M32INT ? (uint32_t)raw :
                 f == HOST_X87_M16INT ? (uint16_t)raw : raw;
        memset(&w, 0, sizeof w);
        memset(&g, 0, sizeof g);
        host_x87_clear_flags();
        uint16_t wsw = host_x87_load(0x37f, &w, &m, f) & CHECKED;
        uint16_t gsw = host_x87_soft_load(&g, &m, f) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report("load", (uint16_t)f, &m, NULL, &w, wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_stores(void **state)
{
    static const HostX87Fmt fmts[] = { HOST_X87_M32FP, HOST_X87_M64FP, HOST_X87_M16INT,
                                       HOST_X87_M32INT, HOST_X87_M64INT };
    int bad = 0;
    for (int i = 0; i < 300000 && bad < 20; i++) {
        HostX87Fmt f = fmts[rnd() % 5];
        bool trunc = f >= HOST_X87_M16INT && (rnd() % 4) == 0;
        uint16_t fcw = (uint16_t)(0x37f | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80();
        /* values in the formats' ranges, also near their edges */
        if (rnd() % 2) {
            int32_t e;
            if (f == HOST_X87_M32FP)
                e = (int32_t)(rnd() % 300) - 150;
            else if (f == HOST_X87_M64FP)
                e = (int32_t)(rnd() % 2200) - 1100;
            else
                e = (f == HOST_X87_M16INT ? 14 : f == HOST_X87_M32INT ? 30 : 62) + (int32_t)(rnd() % 8) - 6;
            a.sign_exp = (uint16_t)((a.sign_exp & 0x8000) | (uint16_t)(0x3fff + e));
            a.mant |= 1ull << 63;
        }
        HostF80 w, g;
        memset(&w, 0, sizeof w);
        memset(&g, 0, sizeof g);
        host_x87_clear_flags();
        uint16_t wsw = host_x87_store(fcw, &w, &a, f, trunc) & CHECKED;
        uint16_t gsw = host_x87_soft_store(fcw, &g, &a, f, trunc) & CHECKED;
        if (w.mant != g.mant || wsw != gsw)
            bad += report(trunc ? "fisttp" : "store", (uint16_t)(fcw | (unsigned)f << 12), &a, NULL, &w, wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_const_frndint_fxtract(void **state)
{
    int bad = 0;
    for (unsigned rc = 0; rc < 4; rc++)
        for (unsigned pc = 0; pc < 3; pc++)
            for (int k = HOST_X87_LD1; k <= HOST_X87_LDZ; k++) {
                uint16_t fcw = (uint16_t)(0x7f | pcs[pc] | rc << 10);
                HostF80 w, g, z;
                memset(&w, 0, sizeof w);
                memset(&g, 0, sizeof g);
                memset(&z, 0, sizeof z);
                host_x87_clear_flags();
                uint16_t wsw = host_x87_const(fcw, &w, (HostX87Const)k) & CHECKED;
                uint16_t gsw = host_x87_soft_const(fcw, &g, (HostX87Const)k) & CHECKED;
                if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
                    bad += report("const", fcw, &z, NULL, &w, wsw, &g, gsw);
            }
    for (int i = 0; i < 100000 && bad < 20; i++) {
        uint16_t fcw = (uint16_t)(0x7f | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80();
        if (rnd() % 2)   /* around the integers */
            a.sign_exp = (uint16_t)((a.sign_exp & 0x8000) | (0x3fff - 3 + rnd() % 70));
        HostF80 st[2] = { a, a }, g = a, gx[2];
        int pushed;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_func(HOST_X87_FRNDINT, fcw, st, &pushed) & CHECKED;
        uint16_t gsw = host_x87_soft_frndint(fcw, &g) & CHECKED;
        if (st[0].mant != g.mant || st[0].sign_exp != g.sign_exp || wsw != gsw)
            bad += report("frndint", fcw, &a, NULL, &st[0], wsw, &g, gsw);
        st[0] = st[1] = a;
        host_x87_clear_flags();
        wsw = host_x87_func(HOST_X87_FXTRACT, fcw, st, &pushed) & CHECKED;
        gsw = host_x87_soft_fxtract(&a, gx) & CHECKED;
        if (pushed == 1 && (st[0].mant != gx[0].mant || st[0].sign_exp != gx[0].sign_exp ||
                            st[1].mant != gx[1].mant || st[1].sign_exp != gx[1].sign_exp || wsw != gsw)) {
            bad += report("fxtract0", fcw, &a, NULL, &st[0], wsw, &gx[0], gsw);
            report("fxtract1", fcw, &a, NULL, &st[1], wsw, &gx[1], gsw);
        }
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_fscale(void **state)
{
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 20; i++) {
        uint16_t fcw = (uint16_t)(0x7f | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80(), b = rnd_f80();
        if (rnd() % 2)   /* moderate scales */
            b.sign_exp = (uint16_t)((b.sign_exp & 0x8000) | (0x3fff - 2 + rnd() % 18));
        HostF80 st[2] = { a, b }, g = a;
        int pushed;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_func(HOST_X87_FSCALE, fcw, st, &pushed) & CHECKED;
        uint16_t gsw = host_x87_soft_fscale(fcw, &g, &b) & CHECKED;
        if (st[0].mant != g.mant || st[0].sign_exp != g.sign_exp || wsw != gsw)
            bad += report("fscale", fcw, &a, &b, &st[0], wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_fprem(void **state)
{
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 20; i++) {
        bool ieee = rnd() & 1;
        HostF80 a = rnd_f80(), b = rnd_f80();
        if (rnd() % 2)   /* exponent differences around 0..100 */
            a.sign_exp = (uint16_t)((a.sign_exp & 0x8000) | ((b.sign_exp & 0x7fff) - 4 + rnd() % 104));
        HostF80 st[2] = { a, b }, g = a;
        int pushed;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_func(ieee ? HOST_X87_FPREM1 : HOST_X87_FPREM, 0x37f, st, &pushed) &
                       (HOST_X87_EXC | HOST_X87_CC);
        uint16_t gsw = host_x87_soft_fprem(ieee, &g, &b) & (HOST_X87_EXC | HOST_X87_CC);
        /* no quotient (a NaN result): C0 and C3 are the host's leftovers,
         * which the caller replaces with its own (x87.c) */
        if ((st[0].sign_exp & 0x7fff) == 0x7fff && (st[0].mant << 1)) {
            wsw &= (uint16_t)~(HOST_X87_C0 | HOST_X87_C3);
            gsw &= (uint16_t)~(HOST_X87_C0 | HOST_X87_C3);
        }
        if (st[0].mant != g.mant || st[0].sign_exp != g.sign_exp || wsw != gsw)
            bad += report(ieee ? "fprem1" : "fprem", 0x37f, &a, &b, &st[0], wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_bcd(void **state)
{
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 20; i++) {
        /* FBLD of a valid BCD */
        HostF80 m, w, g;
        memset(&m, 0, sizeof m);
        uint64_t v = rnd() % 1000000000000000000ull;
        if (rnd() % 4 == 0)
            v %= 1000;
        for (int k = 0; k < 9; k++) {
            unsigned byte = (unsigned)(v % 10) | (unsigned)((v / 10) % 10) << 4;
            v /= 100;
            if (k < 8)
                m.mant |= (uint64_t)byte << (8 * k);
            else
                m.sign_exp = (uint16_t)byte;
        }
        if (rnd() & 1)
            m.sign_exp |= 0x8000;
        memset(&w, 0, sizeof w);
        memset(&g, 0, sizeof g);
        host_x87_clear_flags();
        uint16_t wsw = host_x87_load(0x37f, &w, &m, HOST_X87_M80BCD) & CHECKED;
        uint16_t gsw = host_x87_soft_load(&g, &m, HOST_X87_M80BCD) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report("fbld", 0x37f, &m, NULL, &w, wsw, &g, gsw);
        /* FBSTP of a random value, near the range often */
        uint16_t fcw = (uint16_t)(0x37f | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80();
        if (rnd() % 2)
            a.sign_exp = (uint16_t)((a.sign_exp & 0x8000) | (0x3fff - 2 + rnd() % 64));
        memset(&w, 0, sizeof w);
        memset(&g, 0, sizeof g);
        host_x87_clear_flags();
        wsw = host_x87_store(fcw, &w, &a, HOST_X87_M80BCD, false) & CHECKED;
        gsw = host_x87_soft_store(fcw, &g, &a, HOST_X87_M80BCD, false) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report("fbstp", fcw, &a, NULL, &w, wsw, &g, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

static void test_soft_arith_mem(void **state)
{
    static const HostX87Arith ops[] = { HOST_X87_FADD, HOST_X87_FSUB, HOST_X87_FSUBR,
                                        HOST_X87_FMUL, HOST_X87_FDIV, HOST_X87_FDIVR };
    static const HostX87Fmt fmts[] = { HOST_X87_M32FP, HOST_X87_M64FP, HOST_X87_M16INT, HOST_X87_M32INT };
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 20; i++) {
        HostX87Arith op = ops[rnd() % 6];
        HostX87Fmt f = fmts[rnd() % 4];
        uint16_t fcw = (uint16_t)(0x7f | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80(), m, w = a, g = a;
        memset(&m, 0, sizeof m);
        uint64_t raw = rnd();
        switch (rnd() % 6) {
        case 0: raw &= f == HOST_X87_M32FP ? 0x807fffffull : 0x800fffffffffffffull; break;
        case 1: raw |= f == HOST_X87_M32FP ? 0x7f800000ull : 0x7ff0000000000000ull; break;
        default: break;
        }
        m.mant = f == HOST_X87_M64FP ? raw : f == HOST_X87_M16INT ? (uint16_t)raw : (uint32_t)raw;
        host_x87_clear_flags();
        uint16_t wsw = host_x87_arith(op, fcw, &w, &m, f) & CHECKED;
        uint16_t gsw = host_x87_soft_arith_mem(op, fcw, &g, &m, f) & CHECKED;
        if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
            bad += report("arith-mem", (uint16_t)(fcw | (unsigned)f << 12 | (unsigned)op << 14), &a, &m,
                          &w, wsw, &g, gsw);
        const uint16_t cmask = HOST_X87_EXC | HOST_X87_C0 | HOST_X87_C2 | HOST_X87_C3;
        host_x87_clear_flags();
        wsw = host_x87_compare(false, 0x37f, &a, &m, f) & cmask;
        gsw = host_x87_soft_compare_mem(&a, &m, f) & cmask;
        if (wsw != gsw)
            bad += report("fcom-mem", (uint16_t)((unsigned)f << 12), &a, &m, &a, wsw, &a, gsw);
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

/* Random exception masks: an unmasked invalid operand, zero divide or
 * denormal operand leaves the destination (register, memory, or the
 * stack for a load) as it was; an unmasked overflow or underflow delivers
 * a register result scaled by 2^-+24576. */
static void test_soft_unmasked(void **state)
{
    static const HostX87Arith ops[] = { HOST_X87_FADD, HOST_X87_FSUB, HOST_X87_FSUBR,
                                        HOST_X87_FMUL, HOST_X87_FDIV, HOST_X87_FDIVR };
    static const HostX87Fmt mfmts[] = { HOST_X87_M32FP, HOST_X87_M64FP, HOST_X87_M16INT, HOST_X87_M32INT };
    static const HostX87Fmt sfmts[] = { HOST_X87_M32FP, HOST_X87_M64FP, HOST_X87_M16INT,
                                        HOST_X87_M32INT, HOST_X87_M64INT, HOST_X87_M80BCD };
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 20; i++) {
        uint16_t fcw = (uint16_t)(0x40 | (rnd() & HOST_X87_EXC) | pcs[rnd() % 3] | ((rnd() % 4) << 10));
        HostF80 a = rnd_f80(), b = rnd_f80(), w = a, g = a, m;
        memset(&m, 0, sizeof m);
        uint16_t wsw, gsw;
        const uint16_t cmask = HOST_X87_EXC | HOST_X87_C0 | HOST_X87_C2 | HOST_X87_C3;
        switch (rnd() % 6) {
        case 0: {
            HostX87Arith op = ops[rnd() % 6];
            host_x87_clear_flags();
            wsw = host_x87_arith(op, fcw, &w, &b, HOST_X87_ST) & CHECKED;
            gsw = host_x87_soft_arith(op, fcw, &g, &b) & CHECKED;
            if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
                bad += report("arith", fcw, &a, &b, &w, wsw, &g, gsw);
            break;
        }
        case 1: {
            HostX87Arith op = ops[rnd() % 6];
            HostX87Fmt f = mfmts[rnd() % 4];
            uint64_t raw = rnd();
            if (rnd() % 3 == 0)
                raw &= f == HOST_X87_M32FP ? 0x807fffffull : 0x800fffffffffffffull;   /* denormals */
            m.mant = f == HOST_X87_M64FP ? raw : f == HOST_X87_M16INT ? (uint16_t)raw : (uint32_t)raw;
            host_x87_clear_flags();
            wsw = host_x87_arith(op, fcw, &w, &m, f) & CHECKED;
            gsw = host_x87_soft_arith_mem(op, fcw, &g, &m, f) & CHECKED;
            if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
                bad += report("arith-mem", fcw, &a, &m, &w, wsw, &g, gsw);
            break;
        }
        case 2: {
            HostF80 st[2] = { a, a };
            int pushed;
            host_x87_clear_flags();
            wsw = host_x87_func(HOST_X87_FSQRT, fcw, st, &pushed) & CHECKED;
            gsw = host_x87_soft_sqrt(fcw, &g) & CHECKED;
            if (st[0].mant != g.mant || st[0].sign_exp != g.sign_exp || wsw != gsw)
                bad += report("fsqrt", fcw, &a, NULL, &st[0], wsw, &g, gsw);
            break;
        }
        case 3: {
            bool un = rnd() & 1;
            host_x87_clear_flags();
            wsw = host_x87_compare(un, fcw, &a, &b, HOST_X87_ST) & cmask;
            gsw = host_x87_soft_compare(un, &a, &b) & cmask;
            if (wsw != gsw)
                bad += report(un ? "fucom" : "fcom", fcw, &a, &b, &a, wsw, &b, gsw);
            break;
        }
        case 4: {
            HostX87Fmt f = mfmts[rnd() % 2];
            uint64_t raw = rnd();
            switch (rnd() % 3) {
            case 0: raw &= f == HOST_X87_M32FP ? 0x807fffffull : 0x800fffffffffffffull; break;
            case 1: raw |= f == HOST_X87_M32FP ? 0x7f800000ull : 0x7ff0000000000000ull; break;
            default: break;
            }
            m.mant = f == HOST_X87_M32FP ? (uint32_t)raw : raw;
            host_x87_clear_flags();
            wsw = host_x87_load(fcw, &w, &m, f) & CHECKED;
            gsw = host_x87_soft_load_fcw(fcw, &g, &m, f) & CHECKED;
            if (w.mant != g.mant || w.sign_exp != g.sign_exp || wsw != gsw)
                bad += report("load", fcw, &m, NULL, &w, wsw, &g, gsw);
            break;
        }
        default: {
            HostX87Fmt f = sfmts[rnd() % 6];
            bool trunc = f >= HOST_X87_M16INT && f != HOST_X87_M80BCD && (rnd() % 4) == 0;
            if (rnd() % 2) {
                int32_t e = f == HOST_X87_M32FP ? (int32_t)(rnd() % 300) - 150 :
                            f == HOST_X87_M64FP ? (int32_t)(rnd() % 2200) - 1100 : (int32_t)(rnd() % 70) - 4;
                a.sign_exp = (uint16_t)((a.sign_exp & 0x8000) | (uint16_t)(0x3fff + e));
                a.mant |= 1ull << 63;
            }
            HostF80 wm, gm;
            memset(&wm, 0x5a, sizeof wm);
            memset(&gm, 0x5a, sizeof gm);
            host_x87_clear_flags();
            wsw = host_x87_store(fcw, &wm, &a, f, trunc) & CHECKED;
            gsw = host_x87_soft_store(fcw, &gm, &a, f, trunc) & CHECKED;
            size_t len = f == HOST_X87_M16INT ? 2 : f == HOST_X87_M32INT || f == HOST_X87_M32FP ? 4 :
                         f == HOST_X87_M80BCD ? 10 : 8;
            if (memcmp(&wm, &gm, len) || wsw != gsw)
                bad += report("store", (uint16_t)(fcw | (unsigned)f << 12), &a, NULL, &wm, wsw, &gm, gsw);
            break;
        }
        }
    }
    host_x87_clear_flags();
    assert_int_equal(bad, 0);
}

int main(void)
{
    if (getenv("X87_SOFT_SEED"))                    /* other random cases (the default is fixed) */
        rng = strtoull(getenv("X87_SOFT_SEED"), NULL, 0) | 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soft_arith),
        cmocka_unit_test(test_soft_sqrt),
        cmocka_unit_test(test_soft_compare),
        cmocka_unit_test(test_soft_loads),
        cmocka_unit_test(test_soft_stores),
        cmocka_unit_test(test_soft_const_frndint_fxtract),
        cmocka_unit_test(test_soft_fscale),
        cmocka_unit_test(test_soft_fprem),
        cmocka_unit_test(test_soft_bcd),
        cmocka_unit_test(test_soft_arith_mem),
        cmocka_unit_test(test_soft_unmasked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
