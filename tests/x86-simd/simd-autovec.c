/*
 * simd-autovec.c — loops the compiler vectorizes (built at -O3 with
 * -msse4.2 and with -march=x86-64-v3): float and double arithmetic,
 * reductions, conversions, integer saturation, min/max, shuffles, gathers
 * of computed indices, and libm; prints the results.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define N 1003
static float fa[N], fb[N], fc[N];
static double da[N], db[N], dc[N];
static int32_t ia[N], ib[N], ic[N];
static int16_t sa[N], sb[N];
static uint8_t ua[N], ub[N];
static int32_t idx[N];

int main(void)
{
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        fa[i] = (float)(seed >> 8) / 65536.0f - 100.0f;
        fb[i] = (float)((seed >> 4) & 0xffff) / 1000.0f + 0.5f;
        da[i] = (double)(seed >> 3) / 3.0e5 - 2000.0;
        db[i] = (double)(seed & 0xfff) / 17.0 + 1.0;
        ia[i] = (int32_t)seed;
        ib[i] = (int32_t)(seed >> 7) - 10000;
        sa[i] = (int16_t)(seed >> 9);
        sb[i] = (int16_t)(seed >> 3);
        ua[i] = (uint8_t)(seed >> 11);
        ub[i] = (uint8_t)(seed >> 19);
        idx[i] = (int32_t)((seed >> 5) % N);
    }
    double sum = 0, dsum = 0;
    float fmax = -1e30f;
    int64_t isum = 0;
    for (int i = 0; i < N; i++) {
        fc[i] = fa[i] * fb[i] + fa[i] / fb[i] - sqrtf(fb[i]);
        dc[i] = da[i] * db[i] - da[i] / db[i] + sqrt(db[i]) * 0.25;
        ic[i] = ia[i] * ib[i] + (ia[i] >> 3) - (ib[i] << 2);
        ua[i] = (uint8_t)(ua[i] + ub[i] > 255 ? 255 : ua[i] + ub[i]);
        sa[i] = (int16_t)(sa[i] > sb[i] ? sa[i] - sb[i] / 3 : sb[i]);
    }
    for (int i = 0; i < N; i++) {
        sum += fc[i];
        dsum += dc[i] * dc[i];
        fmax = fc[i] > fmax ? fc[i] : fmax;
        isum += ic[i] ^ ia[idx[i]];
    }
    float gath = 0;
    for (int i = 0; i < N; i++)
        gath += fa[idx[i]] * fb[i];
    int32_t conv = 0;
    for (int i = 0; i < N; i++)
        conv += (int32_t)fc[i] + (int32_t)lrint(dc[i]) + (int32_t)(float)ia[i];
    double lm = 0;
    for (int i = 0; i < 200; i++)
        lm += sin(da[i]) * exp(fb[i] / 100.0) + log(db[i]) + atan2(da[i], db[i]) + pow(db[i], 0.3) +
              floor(da[i]) + ceil(fa[i]) + round(dc[i]) + fmod(da[i], 7.0) + cbrt(da[i]);
    unsigned usum = 0;
    for (int i = 0; i < N; i++)
        usum = usum * 31 + ua[i] + (uint16_t)sa[i];
    printf("sum %.17g dsum %.17g fmax %.9g isum %lld gath %.9g conv %d lm %.17g usum %u\n", sum, dsum,
           (double)fmax, (long long)isum, (double)gath, conv, lm, usum);
    for (int i = 0; i < N; i += 97)
        printf("%d %.9g %.17g %d %d %u\n", i, (double)fc[i], dc[i], ic[i], sa[i], ua[i]);
    return 0;
}
