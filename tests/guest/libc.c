/*
 * libc.c — a broad sample of the C library: printf of every integer width
 * and of floats, snprintf, strtol/strtoul/strtod, string functions,
 * qsort/bsearch, and a malloc/realloc/free stress with a checksum.
 * glibc's own code for all of this is large and exercises most of the
 * integer instruction set (and, on armel, the soft-float routines).
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the snprintf truncation below is the point of the test */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static void integers(void)
{
    long long ll[] = { 0, 1, -1, LLONG_MAX, LLONG_MIN, 1234567890123LL, -987654321098LL };
    for (unsigned i = 0; i < sizeof ll / sizeof ll[0]; i++)
        printf("%lld %llu %llx %llo %+20lld|%-20lld|\n", ll[i], (unsigned long long)ll[i],
               (unsigned long long)ll[i], (unsigned long long)ll[i], ll[i], ll[i]);
    int iv[] = { 0, 42, -42, INT_MAX, INT_MIN, 0x1234abcd };
    for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++)
        printf("%d %u %x %X %o %08d %-8d| %#x %hd %hhd %hhu\n", iv[i], (unsigned)iv[i],
               (unsigned)iv[i], (unsigned)iv[i], (unsigned)iv[i], iv[i], iv[i],
               (unsigned)iv[i], (short)iv[i], (signed char)iv[i], (unsigned char)iv[i]);
    printf("%" PRId64 " %" PRIx64 " %zu %c%c\n", (int64_t)-5, (uint64_t)0xdeadbeefcafeULL,
           sizeof(long long), 'o', 'k');
}

static void floats(void)
{
    double d[] = { 0.0, -0.0, 1.0, -2.5, 3.14159265358979, 1e-300, 6.02214076e23, 1.0 / 3.0,
                   123456789.125, 1e100, 5e-324 };
    for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++)
        printf("%f %e %g %.3f %.10e %.17g %a\n", d[i], d[i], d[i], d[i], d[i], d[i], d[i]);
    float f = 1.1f;
    printf("float %f %.9g %e\n", f, f, f * 3.0f);
}

static void conversions(void)
{
    const char *ints[] = { "0", "12345", "-42", "0x1F", "077", "  +9z", "2147483648",
                           "-99999999999", "zzz" };
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        char *end;
        long v = strtol(ints[i], &end, 0);
        unsigned long u = strtoul(ints[i], NULL, 10);
        long long ll = strtoll(ints[i], NULL, 0);
        long b36 = strtol(ints[i], NULL, 36);
        printf("strtol(\"%s\") = %ld rest=\"%s\" strtoul=%lu strtoll=%lld base36=%ld\n",
               ints[i], v, end, u, ll, b36);
    }
    const char *dbl[] = { "3.25", "-1e10", "1e-5", "0x1.8p3", "inf", "-nan", "2.2250738585072014e-308",
                          "1.7976931348623157e308", "0.1", "123abc" };
    for (unsigned i = 0; i < sizeof dbl / sizeof dbl[0]; i++) {
        char *end;
        double v = strtod(dbl[i], &end);
        printf("strtod(\"%s\") = %.17g rest=\"%s\"\n", dbl[i], v, end);
    }
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%s-%d-%x-%.2f", "truncated", 12345, 0xabc, 2.5);
    printf("snprintf returned %d, buf=\"%s\"\n", n, buf);
    printf("atoi=%d atol=%ld atof=%g\n", atoi("-77"), atol("123456"), atof("2.5e3"));
}

static void strings(void)
{
    char a[64] = "Hello, ARM world";
    char b[64];
    strcpy(b, a);
    strcat(b, "! again");
    printf("strlen=%zu %zu strcmp=%d strncmp=%d\n", strlen(a), strlen(b), strcmp(a, b) < 0,
           strncmp(a, b, 10));
    printf("strchr=%s strrchr=%s strstr=%s\n", strchr(b, 'A'), strrchr(b, 'a'), strstr(b, "world"));
    printf("strspn=%zu strcspn=%zu\n", strspn(b, "HeloL"), strcspn(b, ",!"));
    char tok[] = "one,two;;three four";
    for (char *t = strtok(tok, ",; "); t; t = strtok(NULL, ",; "))
        printf("token '%s'\n", t);
    memset(b, 'x', 10);
    memmove(b + 3, b, 20);
    b[30] = 0;
    printf("memmove: %s memcmp=%d\n", b, memcmp("abc", "abd", 3) < 0);
    char up[32];
    for (int i = 0; a[i]; i++)
        up[i] = (char)toupper((unsigned char)a[i]), up[i + 1] = 0;
    printf("upper: %s\n", up);
    /* memcpy/memset at every alignment and length up to 40 */
    unsigned sum = 0;
    for (int s = 0; s < 8; s++)
        for (int d = 0; d < 8; d++)
            for (int len = 0; len < 40; len++) {
                unsigned char src[64], dst[64];
                for (int i = 0; i < 64; i++)
                    src[i] = (unsigned char)(i * 7 + s), dst[i] = 0xee;
                memcpy(dst + d, src + s, len);
                memset(dst + d + len, len, 3);
                for (int i = 0; i < 64; i++)
                    sum = sum * 31 + dst[i];
            }
    printf("memcpy/memset checksum %08x\n", sum);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sorting(void)
{
    enum { N = 5000 };
    static int v[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = (int)(x >> 8) % 100000 - 50000;
    }
    qsort(v, N, sizeof v[0], cmp_int);
    long long s = 0;
    for (int i = 0; i < N; i++)
        s = s * 3 + v[i];
    printf("sorted: first=%d last=%d median=%d weighted=%lld\n", v[0], v[N - 1], v[N / 2], s);
    int found = 0;
    for (int k = -50000; k < 50000; k += 777)
        found += bsearch(&k, v, N, sizeof v[0], cmp_int) != NULL;
    printf("bsearch found %d\n", found);
    const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "elderberry" };
    qsort(words, 7, sizeof words[0], cmp_str);
    for (int i = 0; i < 7; i++)
        printf("%s%c", words[i], i == 6 ? '\n' : ' ');
}

static void heap(void)
{
    enum { SLOTS = 512 };
    static unsigned char *p[SLOTS];
    static size_t sz[SLOTS];
    uint32_t x = 7;
    unsigned long check = 0;
    for (int round = 0; round < 20000; round++) {
        x = x * 1664525u + 1013904223u;
        unsigned i = (x >> 10) % SLOTS;
        size_t n = (x >> 20) % ((x & 3) == 0 ? 70000 : 300) + 1;
        if (p[i] && (x & 16)) {
            for (size_t k = 0; k < sz[i]; k++)
                check += p[i][k] ^ (unsigned char)k;
            free(p[i]);
            p[i] = NULL;
        } else if (p[i]) {
            unsigned char *q = realloc(p[i], n);
            if (!q)
                return;
            for (size_t k = sz[i]; k < n; k++)
                q[k] = (unsigned char)(k + i);
            p[i] = q;
            sz[i] = n;
        } else {
            p[i] = malloc(n);
            if (!p[i])
                return;
            memset(p[i], (int)i, n);
            sz[i] = n;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        for (size_t k = 0; p[i] && k < sz[i]; k++)
            check += p[i][k] * (k + 1);
        free(p[i]);
    }
    void *c = calloc(1000, 8);
    int zero = 1;
    for (int i = 0; i < 8000; i++)
        zero &= ((unsigned char *)c)[i] == 0;
    free(c);
    printf("heap checksum %lu calloc zeroed %d\n", check, zero);
}

int main(void)
{
    integers();
    floats();
    conversions();
    strings();
    sorting();
    heap();
    return 0;
}
