/*
 * ldmath.c — long double and double arithmetic through the C library, as
 * i686 code (gcc uses the x87 for all of it) and as x86_64 code with
 * long double (x87) and -mfpmath=387.  Prints every result exactly (%La)
 * so any difference in the last bit shows.  tests/x87/run.sh compares
 * vemu-i386 with qemu-i386 and with the x86_64 build run natively, and
 * vemu-x86_64 with the native run.
 */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile long double vl[] = { 1.0L, -2.5L, 3.14159265358979323846264L, 1e-4000L, 1e4000L,
                                     0.1L, 7.0L / 3.0L, -0.0L, 123456789.123456789L, 1e-310L };
static volatile double vd[] = { 1.0, -2.5, 0.1, 1e-310, 1e300, 3.0, 1.0 / 3.0, 2.0 };

#define NL (sizeof(vl) / sizeof(vl[0]))
#define ND (sizeof(vd) / sizeof(vd[0]))

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    /* arithmetic on every pair, in each rounding mode */
    static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        for (unsigned i = 0; i < NL; i++)
            for (unsigned j = 0; j < NL; j++) {
                long double a = vl[i], b = vl[j];
                printf("L %d %u %u %La %La %La %La\n", m, i, j, a + b, a - b, a * b, a / b);
            }
        for (unsigned i = 0; i < ND; i++)
            for (unsigned j = 0; j < ND; j++) {
                double a = vd[i], b = vd[j];
                printf("D %d %u %u %a %a %a %a\n", m, i, j, a + b, a - b, a * b, a / b);
            }
        feclearexcept(FE_ALL_EXCEPT);
        volatile long double z = 0.0L, one = 1.0L;
        volatile long double r = one / z;
        printf("flags %d %d %La\n", m, fetestexcept(FE_ALL_EXCEPT), r);
    }
    fesetround(FE_TONEAREST);
    /* the C library's long double functions (x87 code in glibc) */
    for (unsigned i = 0; i < NL; i++) {
        long double x = vl[i];
        printf("F %u %La %La %La %La %La %La\n", i, sqrtl(fabsl(x)), sinl(x), cosl(x), atanl(x),
               rintl(x), fmodl(x, 3.0L));
        printf("G %u %La %La %La %Lf %lld\n", i, logl(fabsl(x) + 1.0L), expl(x / 1e3L),
               ldexpl(x, 7), x, (long long)(x / 1e6L));
    }
    for (unsigned i = 0; i < ND; i++) {
        double x = vd[i];
        printf("H %u %a %a %a %a %.17g\n", i, sqrt(fabs(x)), sin(x), exp(x / 1e3), log1p(fabs(x)), x);
    }
    /* a longer computation, for timing: a series in long double */
    long double acc = 0.0L;
    for (int r = 0; r < rounds; r++)
        for (int k = 1; k <= 100000; k++) {
            long double t = 1.0L / ((long double)k * k);
            acc += (k & 1) ? t : -t;
            acc = acc * 1.0000001L - t * 1e-7L;
        }
    printf("S %La %.20Lg\n", acc, acc);
    return 0;
}
