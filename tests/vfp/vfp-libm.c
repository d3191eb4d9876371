/*
 * vfp-libm.c — a libm-heavy armhf program: glibc's sin, cos, tan, exp, log,
 * pow, sqrt, atan2, fmod, cbrt, the float variants and a few printf/strtod
 * round trips, printed with %.17g / %a.  tests/vfp/run.sh compares the
 * output under qemu-arm and vemu-arm.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static volatile double sink;

int main(void)
{
    static const double xs[] = { 0.0, -0.0, 1e-310, 5e-324, 0.5, 1.0, -1.0, 2.0, 3.141592653589793,
                                 10.0, 100.5, 1e10, -1e-5, 710.0, -745.0, 1e300, 0.1, 0.7,
                                 12345.6789, -3.75 };
    unsigned n = sizeof(xs) / sizeof(xs[0]);
    for (unsigned i = 0; i < n; i++) {
        double x = xs[i];
        printf("x=%a sin=%.17g cos=%.17g tan=%.17g\n", x, sin(x), cos(x), tan(x));
        printf("  exp=%.17g log=%.17g sqrt=%.17g cbrt=%.17g\n", exp(x), log(fabs(x)), sqrt(x),
               cbrt(x));
        printf("  atan=%.17g sinh=%.17g tanh=%.17g log1p=%.17g expm1=%.17g\n", atan(x), sinh(x),
               tanh(x), log1p(fabs(x)), expm1(x));
        float f = (float)x;
        printf("  f=%a sinf=%.9g expf=%.9g logf=%.9g sqrtf=%.9g powf=%.9g\n", (double)f,
               (double)sinf(f), (double)expf(f), (double)logf(fabsf(f)), (double)sqrtf(f),
               (double)powf(fabsf(f), 0.3f));
        for (unsigned j = 0; j < n; j += 3) {
            double y = xs[j];
            printf("  pow(%g,%g)=%.17g atan2=%.17g fmod=%.17g hypot=%.17g\n", x, y, pow(x, y),
                   atan2(x, y), fmod(x, y), hypot(x, y));
        }
    }
    /* decimal conversions exercise the integer/FP boundary of printf/strtod */
    static const char *strs[] = { "0.1", "1e-320", "2.2250738585072011e-308", "1.7976931348623157e308",
                                  "123456789.123456789", "-0.0", "nan", "-inf", "4.9e-324" };
    for (unsigned i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        double d = strtod(strs[i], NULL);
        float f = strtof(strs[i], NULL);
        printf("strtod(%s)=%.17g %a strtof=%.9g\n", strs[i], d, d, (double)f);
    }
    /* a loop with accumulated rounding */
    double acc = 0;
    float facc = 0;
    for (int i = 1; i <= 100000; i++) {
        acc += 1.0 / ((double)i * i);
        facc += 1.0f / (float)i;
        sink = acc;
    }
    printf("basel=%.17g harmonic_f=%.9g lround=%ld llrint=%lld\n", acc, (double)facc, lround(acc * 1e6),
           llrint(acc * 1e12));
    return 0;
}
