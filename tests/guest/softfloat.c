/*
 * softfloat.c — floating-point arithmetic and libm over many points,
 * printed with %.17g (every bit of the result shows).  armel has no FPU in
 * its ABI, so all of this runs glibc's and libgcc's integer soft-float code.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

int main(void)
{
    /* arithmetic on a grid of awkward values, including subnormals, infinities, NaN */
    const double v[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 3.0, 1e308, -1e-308, 4.9e-324,
                         DBL_MAX, DBL_EPSILON, INFINITY, 12345.678, -2.5e-10 };
    const unsigned nv = sizeof v / sizeof v[0];
    uint64_t h = 0;
    for (unsigned i = 0; i < nv; i++)
        for (unsigned j = 0; j < nv; j++) {
            double a = v[i], b = v[j];
            double r[4] = { a + b, a - b, a * b, a / b };
            for (int k = 0; k < 4; k++)
                h = (h ^ bits(r[k])) * 0x100000001b3ULL;
            if (i == 4 || j == 4)
                printf("%.17g %.17g: %.17g %.17g %.17g %.17g lt=%d eq=%d\n", a, b,
                       r[0], r[1], r[2], r[3], a < b, a == b);
        }
    printf("grid hash %016llx\n", (unsigned long long)h);

    /* float (single precision) and conversions */
    float f = 1.0f;
    for (int i = 0; i < 30; i++)
        f = f * 1.37f - 0.21f / f;
    printf("float chain %.9g\n", f);
    const double cv[] = { 2.5, -2.5, 3.5, 1e10, -1e10, 4294967295.9, -0.99, 1e20 };
    for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++)
        printf("conv %.17g: int=%d ll=%lld float=%.9g rint=%.17g floor=%.17g ceil=%.17g round=%.17g trunc=%.17g\n",
               cv[i], (cv[i] > 2e9 || cv[i] < -2e9) ? 0 : (int)cv[i],
               (cv[i] > 9e18 || cv[i] < -9e18) ? 0LL : (long long)cv[i], (float)cv[i],
               rint(cv[i]), floor(cv[i]), ceil(cv[i]), round(cv[i]), trunc(cv[i]));
    printf("u64->double %.17g int64->double %.17g\n", (double)18446744073709551615ULL,
           (double)-9007199254740993LL);

    /* libm at many points */
    for (int i = -20; i <= 20; i++) {
        double x = i * 0.37 + 0.001 * i * i;
        printf("x=%.17g sin=%.17g cos=%.17g exp=%.17g atan2=%.17g\n", x, sin(x), cos(x), exp(x),
               atan2(x, 1.5 - x));
        double ax = fabs(x) + 0.01;
        printf("  log=%.17g pow=%.17g sqrt=%.17g fmod=%.17g tan=%.17g\n", log(ax), pow(ax, x / 3),
               sqrt(ax), fmod(x * 7.1, 1.3), tan(x / 4));
    }
    printf("special: %.17g %.17g %.17g %.17g %.17g %.17g\n", sqrt(2.0), log(0.0), exp(710.0),
           pow(-8.0, 1.0 / 3.0), atan2(-0.0, -1.0), fmod(5.0, INFINITY));
    printf("isnan(0/0)=%d signbit(-0)=%d hypot=%.17g cbrt=%.17g\n", isnan(0.0 / 0.0) != 0,
           signbit(-0.0) != 0, hypot(3.0, 4.0), cbrt(27.0));
    return 0;
}
