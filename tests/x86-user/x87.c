/* x87.c — 80-bit extended precision, bit-exact: arithmetic in each rounding
 * mode and precision control, the transcendental instructions (fsin, fcos,
 * fsincos, fptan, fpatan, f2xm1, fyl2x, fyl2xp1), fscale/fxtract/fprem/
 * fprem1/frndint, fxam and compare condition codes, fcomi/fucomi flags,
 * integer and BCD load/store, fisttp, status-word exceptions, the tag word
 * via fnstenv, long double libm and printf/strtold.  Results print as
 * %La (exact) plus the status word's condition codes and exception flags. */
#include "x86u.h"
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

static const long double vals[] = { 0.0L, -0.0L, 1.0L, -1.0L, 0.5L, 3.0L, 1e-5L, 0.7853981633974483096L,
    1.5707963267948966192L, 3.1415926535897932385L, 100.25L, -7.75L, 1e300L, 1e-300L, 6.5e4000L,
    3.6e-4951L /* denormal */, 1.0L / 3.0L, 12345678.9L, -1e18L, (long double)INFINITY,
    -(long double)INFINITY, (long double)NAN, 0x1.fffffffffffffffep-1L, 1e19L };
#define NV (sizeof vals / sizeof vals[0])

static Hash h;
static int verbose;
static void emit(const char *s) { hash_str(&h, s); if (verbose) puts(s); }
static void begin(const char *n) { hash_init(&h); verbose = verbose_for(n); }
static void end(const char *n) { printf("%s %016llx\n", n, (unsigned long long)h.h); }
/* libm's long double functions: i386 and x86_64 glibc implement them
 * differently (1 ulp apart in places), and qemu-i386's x87 transcendental
 * instructions are not the hardware's (docs/quirks.md), so neither oracle
 * gives the i386 libm's exact bits.  These results are compared to 15
 * significant digits with the x86_64 build run natively; the x87
 * instructions themselves are checked bit for bit elsewhere (tests/x87,
 * test-x87, tests/x86-diff's x87 classes, this file's other groups). */
static void ld15(char *out, long double v) { snprintf(out, 32, "%.15Le", v); }

/* 80-bit image as hex (sign/exponent and mantissa): NaN payloads too. */
static void x80(char *out, long double v)
{
    unsigned char b[10];
    memcpy(b, &v, 10);
    sprintf(out, "%02x%02x.%02x%02x%02x%02x%02x%02x%02x%02x", b[9], b[8], b[7], b[6], b[5], b[4], b[3], b[2], b[1], b[0]);
}

static uint16_t sw_of(void) { uint16_t sw; asm volatile("fnstsw %0" : "=m"(sw)); return sw; }
/* A call, so the x87 stack is empty (the ABI): fninit also clears the
 * condition codes the previous case left in the status word. */
__attribute__((noinline)) static void set_cw(uint16_t cw) { asm volatile("fninit\n\tfldcw %0" : : "m"(cw)); }
#define CW_DEFAULT 0x037f

/* binary st(0) op st(1) in every rounding and precision mode */
static void arith(void)
{
    static const char *names[] = { "fadd", "fsub", "fmul", "fdiv", "fsubr", "fdivr", "fprem", "fprem1", "fscale", "fpatan", "fyl2x", "fyl2xp1" };
    for (int op = 0; op < 12; op++) {
        char gname[32];
        snprintf(gname, sizeof gname, "x87.%s", names[op]);
        begin(gname);
        for (size_t i = 0; i < NV; i++)
            for (size_t j = 0; j < NV; j++)
                for (int rc = 0; rc < 4; rc++)
                    for (int pc = 0; pc < 3; pc++) {
                        if (op >= 6 && pc != 2) continue;
                        static const uint16_t pcs[3] = { 0x000, 0x200, 0x300 };
                        uint16_t cw = (uint16_t)(0x7f | pcs[pc] | rc << 10);
                        long double a = vals[i], b = vals[j], r;
                        uint16_t sw;
                        set_cw(cw);
                        switch (op) {
                        case 0: asm("faddp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 1: asm("fsubrp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;   /* st1 - st0 in AT&T terms: b - a */
                        case 2: asm("fmulp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 3: asm("fdivrp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 4: asm("fsubp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 5: asm("fdivp" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 6: asm("fprem" : "=t"(r) : "0"(a), "u"(b)); break;
                        case 7: asm("fprem1" : "=t"(r) : "0"(a), "u"(b)); break;
                        case 8: asm("fscale" : "=t"(r) : "0"(a), "u"(b)); break;
                        case 9: asm("fpatan" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        case 10: asm("fyl2x" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        default: asm("fyl2xp1" : "=t"(r) : "0"(a), "u"(b) : "st(1)"); break;
                        }
                        sw = sw_of();
                        set_cw(CW_DEFAULT);
                        char ra[32], s[120];
                        x80(ra, r);
                        snprintf(s, sizeof s, "%zu %zu %x -> %s sw %04x", i, j, cw, ra, sw & 0x473f);
                        emit(s);
                    }
        end(gname);
    }
}

static void unary(void)
{
    static const char *names[] = { "fsqrt", "fsin", "fcos", "fptan", "f2xm1", "frndint", "fabs", "fchs", "fxtract", "fsincos", "fxam", "ftst", "fist", "fisttp", "fbstp" };
    for (int op = 0; op < 15; op++) {
        char gname[32];
        snprintf(gname, sizeof gname, "x87.%s", names[op]);
        begin(gname);
        for (size_t i = 0; i < NV; i++)
            for (int rc = 0; rc < 4; rc++) {
                uint16_t cw = (uint16_t)(0x37f | rc << 10);
                long double a = vals[i], r = 0, r2 = 0;
                long long ll = 0;
                unsigned char bcd[10] = { 0 };
                set_cw(cw);
                switch (op) {
                case 0: asm("fsqrt" : "=t"(r) : "0"(a)); break;
                case 1: asm("fsin" : "=t"(r) : "0"(a)); break;
                case 2: asm("fcos" : "=t"(r) : "0"(a)); break;
                /* out of range (|x| >= 2^63) fptan/fsincos push nothing: not
                 * expressible as asm operands, so only in-range values */
                case 3: if (fabsl(a) < 0x1p62L) asm("fptan" : "=t"(r2), "=u"(r) : "0"(a)); break;
                case 4: if (fabsl(a) <= 1) asm("f2xm1" : "=t"(r) : "0"(a)); break;
                case 5: asm("frndint" : "=t"(r) : "0"(a)); break;
                case 6: asm("fabs" : "=t"(r) : "0"(a)); break;
                case 7: asm("fchs" : "=t"(r) : "0"(a)); break;
                case 8: asm("fxtract" : "=t"(r2), "=u"(r) : "0"(a)); break;
                case 9: if (fabsl(a) < 0x1p62L) asm("fsincos" : "=t"(r2), "=u"(r) : "0"(a)); break;
                case 10: asm("fxam" : "=t"(r) : "0"(a)); break;
                case 11: asm("ftst" : "=t"(r) : "0"(a)); break;
                case 12: asm("fistpll %0" : "=m"(ll) : "t"(a) : "st"); break;
                case 13: asm("fisttpll %0" : "=m"(ll) : "t"(a) : "st"); break;
                default: asm("fbstp %0" : "=m"(bcd) : "t"(a) : "st"); break;
                }
                uint16_t sw = sw_of();
                set_cw(CW_DEFAULT);
                char ra[32], rb[32], s[200];
                x80(ra, r);
                x80(rb, r2);
                snprintf(s, sizeof s, "%zu %x -> %s %s %llx %02x%02x%02x%02x%02x%02x%02x%02x%02x%02x sw %04x", i, cw, ra, rb,
                         (unsigned long long)ll, bcd[9], bcd[8], bcd[7], bcd[6], bcd[5], bcd[4], bcd[3], bcd[2], bcd[1], bcd[0],
                         sw & 0x473f);
                emit(s);
            }
        end(gname);
    }
}

static void compares(void)
{
    begin("x87.compare");
    for (size_t i = 0; i < NV; i++)
        for (size_t j = 0; j < NV; j++) {
            long double a = vals[i], b = vals[j];
            unsigned long f1, f2;
            uint16_t sw1, sw2;
            set_cw(CW_DEFAULT);
            asm("fcomi %%st(1), %%st\n\t" RZ_DOWN "pushf\n\tpop %0\n\t" RZ_UP : "=r"(f1) : "t"(a), "u"(b) : "cc");
            sw1 = sw_of();
            set_cw(CW_DEFAULT);
            asm("fucomi %%st(1), %%st\n\t" RZ_DOWN "pushf\n\tpop %0\n\t" RZ_UP : "=r"(f2) : "t"(a), "u"(b) : "cc");
            asm("fucom %%st(1)" : : "t"(a), "u"(b));
            sw2 = sw_of();
            char s[100];
            snprintf(s, sizeof s, "%zu %zu -> %lx %04x %lx %04x", i, j, f1 & F_ARITH, sw1 & 0x473f, f2 & F_ARITH, sw2 & 0x473f);
            emit(s);
        }
    end("x87.compare");
}

static void loads(void)
{
    begin("x87.loads");
    static const long long ints[] = { 0, 1, -1, 123456789012345678LL, -9223372036854775807LL - 1, 0x7fffffffffffffffLL };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        long double r, r16, r32;
        short s16 = (short)ints[i];
        int s32 = (int)ints[i];
        asm("fildll %1" : "=t"(r) : "m"(ints[i]));
        asm("filds %1" : "=t"(r16) : "m"(s16));
        asm("fildl %1" : "=t"(r32) : "m"(s32));
        float f; double d;
        asm("fsts %0" : "=m"(f) : "t"(r));
        asm("fstl %0" : "=m"(d) : "t"(r));
        char a[32], b[32], c[32], s[200];
        x80(a, r); x80(b, r16); x80(c, r32);
        uint32_t fb; uint64_t db;
        memcpy(&fb, &f, 4); memcpy(&db, &d, 8);
        snprintf(s, sizeof s, "%lld -> %s %s %s %08x %016llx", ints[i], a, b, c, fb, (unsigned long long)db);
        emit(s);
    }
    /* constants */
    long double k[7];
    asm("fld1" : "=t"(k[0])); asm("fldl2t" : "=t"(k[1])); asm("fldl2e" : "=t"(k[2]));
    asm("fldpi" : "=t"(k[3])); asm("fldlg2" : "=t"(k[4])); asm("fldln2" : "=t"(k[5])); asm("fldz" : "=t"(k[6]));
    for (int i = 0; i < 7; i++) { char a[32]; x80(a, k[i]); emit(a); }
    /* BCD load */
    unsigned char bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 };
    long double r;
    asm("fbld %1" : "=t"(r) : "m"(bcd));
    char a[32]; x80(a, r); emit(a);
    end("x87.loads");
}

/* the tag word and TOP as fnstenv shows them with 3 values pushed */
static void env(void)
{
    unsigned char e[28];
    asm volatile("fninit\n\tfld1\n\tfldz\n\tfldpi\n\tfnstenv %0\n\tfninit" : "=m"(e));
    printf("fnstenv: cw %02x%02x sw %02x%02x tw %02x%02x\n", e[1], e[0], e[5] & 0x3f, e[4], e[9], e[8]);
    /* stack overflow: a 9th push sets IE and SF (C1 = 1) and loads the indefinite */
    uint16_t sw;
    long double r;
    asm volatile("fninit\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfldpi\n\tfnstsw %0\n\tfstpt %1\n\tfninit"
                 : "=m"(sw), "=m"(r));
    char a[32]; x80(a, r);
    printf("overflow: sw %04x value %s\n", sw & 0x7fff, a);
}

static void libm(void)
{
    begin("x87.libm");
    for (size_t i = 0; i < NV; i++) {
        long double a = vals[i];
        char s[400], r[10][32];
        /* exact operations: every bit */
        x80(r[0], sqrtl(a)); x80(r[5], fmodl(a, 2.5L)); x80(r[6], ldexpl(a, 100)); x80(r[7], nearbyintl(a));
        /* approximations: 15 digits */
        ld15(r[1], expl(a)); ld15(r[2], logl(a)); ld15(r[3], powl(a, 0.75L));
        ld15(r[4], atan2l(a, 3.0L)); ld15(r[8], cbrtl(a)); ld15(r[9], hypotl(a, 1.0L));
        snprintf(s, sizeof s, "%zu: %s %s %s %s %s %s %s %s %s %s", i, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
        emit(s);
    }
    end("x87.libm");
    /* printf and strtold, in every rounding mode */
    static const int modes[4] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile long double one = 1.0L, three = 3.0L, e4000 = 1e4000L;
        volatile long double third = one / three, big = e4000 * three;
        long double parsed = strtold("0.1000000000000000000000001", NULL);
        printf("round %d: %.25Lg %La %.10Le %La %ld\n", m, third, third, big, parsed, lrintl(2.5L));
        fesetround(FE_TONEAREST);
    }
    feclearexcept(FE_ALL_EXCEPT);
    volatile long double z = 0.0L, one = 1.0L;
    volatile long double q = one / z;   /* exact: no inexact */
    (void)q;
    printf("fetestexcept after 1/0: divbyzero %d inexact %d\n", fetestexcept(FE_DIVBYZERO) != 0, fetestexcept(FE_INEXACT) != 0);
    printf("LDBL_MANT_DIG %d, 2^64+1 = %.0Lf\n", LDBL_MANT_DIG, 18446744073709551617.0L);
}

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    arith();
    unary();
    compares();
    loads();
    env();
    libm();
    return 0;
}
