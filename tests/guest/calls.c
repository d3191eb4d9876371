/*
 * calls.c — calls, returns and non-local control flow: deep and mutual
 * recursion, calls through function pointers and tables, variadic
 * functions, setjmp/longjmp across several frames, struct returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned ackermann(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

typedef long long (*binop)(long long, long long);
static long long op_add(long long a, long long b) { return a + b; }
static long long op_sub(long long a, long long b) { return a - b; }
static long long op_mul(long long a, long long b) { return a * b; }
static long long op_div(long long a, long long b) { return b ? a / b : 0; }
static long long op_mod(long long a, long long b) { return b ? a % b : 0; }
static const binop ops[] = { op_add, op_sub, op_mul, op_div, op_mod };
static const char opnames[] = "+-*/%";

static long long sum_ints(int count, ...)
{
    va_list ap;
    long long s = 0;
    va_start(ap, count);
    for (int i = 0; i < count; i++)
        s += (i & 1) ? va_arg(ap, long long) : va_arg(ap, int);
    va_end(ap);
    return s;
}

struct big { int a[9]; char tag; };
static struct big make_big(int seed)
{
    struct big b;
    for (int i = 0; i < 9; i++)
        b.a[i] = seed * (i + 1) - i * i;
    b.tag = (char)('A' + seed % 26);
    return b;
}

static jmp_buf env;
static int depth_reached;
static void dive(int depth)
{
    volatile char pad[64];
    pad[depth % 64] = (char)depth;
    depth_reached = depth;
    if (depth == 50)
        longjmp(env, depth + pad[depth % 64]);
    if (depth < 1000)
        dive(depth + 1);
}

/* Many arguments: the tail goes on the stack. */
static long many(int a, int b, int c, int d, int e, int f, long long g, int h, char i, short j)
{
    return a + 2L * b + 3L * c + 4L * d + 5L * e + 6L * f + (long)(g >> 3) + 8L * h + 9L * i + 10L * j;
}

static int cmp_desc(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a < b) - (a > b);
}

int main(void)
{
    for (unsigned n = 0; n <= 25; n += 5)
        printf("fib(%u) = %u\n", n, fib(n));
    for (unsigned m = 0; m <= 3; m++)
        for (unsigned n = 0; n <= 4; n++)
            printf("ackermann(%u,%u) = %u\n", m, n, ackermann(m, n));
    printf("is_even(10001)=%d is_odd(7777)=%d\n", is_even(10001), is_odd(7777));

    long long vals[] = { 0, 1, -1, 7, -13, 0x7fffffffffffffffLL, -0x7fffffffffffffffLL - 1, 1000000007, 65536 };
    unsigned nv = sizeof vals / sizeof vals[0];
    unsigned long long h = 1469598103934665603ULL;
    for (unsigned i = 0; i < nv; i++)
        for (unsigned j = 0; j < nv; j++)
            for (unsigned k = 0; k < 5; k++) {
                if ((k == 3 || k == 4) && vals[j] == -1 && vals[i] == -0x7fffffffffffffffLL - 1)
                    continue;   /* overflow trap on the host */
                long long r = ops[k](vals[i], vals[j]);
                h = (h ^ (unsigned long long)r) * 1099511628211ULL;
                if (j == 3)
                    printf("%lld %c %lld = %lld\n", vals[i], opnames[k], vals[j], r);
            }
    printf("hash of all binops: %016llx\n", h);

    printf("sum_ints = %lld\n", sum_ints(6, 1, 2LL << 40, 3, -5LL, -7, 1LL << 62));
    struct big b = make_big(7);
    printf("big: %d %d %d %c\n", b.a[0], b.a[4], b.a[8], b.tag);
    printf("many = %ld\n", many(1, -2, 3, -4, 5, -6, 1LL << 35, 8, 'x', -300));

    int r = setjmp(env);
    if (r == 0) {
        dive(0);
        printf("not reached\n");
    } else {
        printf("longjmp returned %d from depth %d\n", r, depth_reached);
    }

    int arr[] = { 5, 3, 9, 1, 7, -2, 0, 8 };
    qsort(arr, 8, sizeof arr[0], cmp_desc);   /* callback from libc into us */
    for (int i = 0; i < 8; i++)
        printf("%d%c", arr[i], i == 7 ? '\n' : ' ');
    return 0;
}
