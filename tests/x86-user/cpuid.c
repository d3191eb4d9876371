/* cpuid.c — cpuid must tell the truth about what runs.  The raw values
 * differ between the host, qemu and vemu's models, so this prints only
 * what must hold everywhere: leaf 0's maximum and a 12-character vendor,
 * a non-zero family, the baseline features of the architecture, the
 * brand string's presence, and for every optional feature that is
 * advertised, one instruction of it executed with its known result. */
#include "x86u.h"
#include <cpuid.h>
#include <ctype.h>
#include <signal.h>
#include <setjmp.h>

static sigjmp_buf jb;
static void on_ill(int s) { (void)s; siglongjmp(jb, 1); }

static int bad;
static void check(const char *what, int ok)
{
    if (!ok) { printf("BAD: %s\n", what); bad++; }
}

/* Runs fn if the feature is advertised; fn returns 1 if the result is right. */
static void feature(const char *name, int advertised, int (*fn)(void))
{
    if (!advertised) return;
    volatile int ok = 0;
    if (sigsetjmp(jb, 1) == 0) ok = fn();
    else { printf("BAD: %s advertised but SIGILL\n", name); bad++; return; }
    if (!ok) { printf("BAD: %s advertised but wrong result\n", name); bad++; }
}

static int t_cmov(void) { int r = 1; asm("xor %%eax, %%eax\n\tmov $7, %%ecx\n\tcmovz %%ecx, %0" : "+r"(r) : : "eax", "ecx", "cc"); return r == 7; }
static int t_sse2(void) { double d = 2.0; asm("sqrtsd %0, %0" : "+x"(d)); return d > 1.414 && d < 1.415; }
static int t_sse3(void) { float v[4] __attribute__((aligned(16))) = { 1, 2, 3, 4 }; asm("movaps %0, %%xmm0\n\thaddps %%xmm0, %%xmm0\n\tmovaps %%xmm0, %0" : "+m"(v) : : "xmm0"); return v[0] == 3 && v[1] == 7; }
static int t_ssse3(void) { int v[4] __attribute__((aligned(16))) = { -5, 6, -7, 8 }; asm("pabsd %0, %%xmm0\n\tmovdqa %%xmm0, %0" : "+m"(v) : : "xmm0"); return v[0] == 5 && v[2] == 7; }
static int t_sse41(void) { int v[4] __attribute__((aligned(16))) = { 3, 4, 5, 6 }; asm("movdqa %0, %%xmm0\n\tpmulld %%xmm0, %%xmm0\n\tmovdqa %%xmm0, %0" : "+m"(v) : : "xmm0"); return v[0] == 9 && v[3] == 36; }
static int t_sse42(void) { unsigned c = 0; asm("crc32l %1, %0" : "+r"(c) : "r"(1u)); return c == 0xdd45aab8u; }
static int t_popcnt(void) { unsigned r; asm("popcnt %1, %0" : "=r"(r) : "r"(0xf0f0u)); return r == 8; }
static int t_aes(void) { asm volatile("aesenc %%xmm0, %%xmm0" : : : "xmm0"); return 1; }
static int t_pclmul(void) { unsigned long long v[2] __attribute__((aligned(16))) = { 3, 0 }; asm("movdqa %0, %%xmm0\n\tpclmulqdq $0, %%xmm0, %%xmm0\n\tmovdqa %%xmm0, %0" : "+m"(v) : : "xmm0"); return v[0] == 5; }
static int t_avx(void) { float v[8] __attribute__((aligned(32))) = { 1, 2, 3, 4, 5, 6, 7, 8 }; asm("vmovaps %0, %%ymm0\n\tvaddps %%ymm0, %%ymm0, %%ymm0\n\tvmovaps %%ymm0, %0\n\tvzeroupper" : "+m"(v) : : "xmm0"); return v[7] == 16; }
static int t_avx2(void) { int v[8] __attribute__((aligned(32))) = { 1, 2, 3, 4, 5, 6, 7, 8 }; asm("vmovdqa %0, %%ymm0\n\tvpaddd %%ymm0, %%ymm0, %%ymm0\n\tvmovdqa %%ymm0, %0\n\tvzeroupper" : "+m"(v) : : "xmm0"); return v[7] == 16; }
static int t_fma(void) { float a = 2, b = 3, c = 4; asm("vfmadd231ss %1, %2, %0" : "+x"(c) : "x"(a), "x"(b)); return c == 10; }
static int t_f16c(void) { float f[4] __attribute__((aligned(16))) = { 1.5f, 0, 0, 0 }; unsigned short h[8] __attribute__((aligned(16))); asm("vmovaps %1, %%xmm0\n\tvcvtps2ph $0, %%xmm0, %0" : "=m"(h) : "m"(f) : "xmm0"); return h[0] == 0x3e00; }
static int t_bmi1(void) { unsigned r; asm("andn %2, %1, %0" : "=r"(r) : "r"(0xf0u), "r"(0xffu)); return r == 0x0f; }
static int t_bmi2(void) { unsigned r; asm("pdep %2, %1, %0" : "=r"(r) : "r"(3u), "r"(0x50u)); return r == 0x50; }
static int t_adx(void) { unsigned r = 1; asm("stc\n\tadcx %1, %0" : "+r"(r) : "r"(1u) : "cc"); return r == 3; }
static int t_movbe(void) { unsigned m = 0x11223344, r; asm("movbe %1, %0" : "=r"(r) : "m"(m)); return r == 0x44332211; }
static int t_lzcnt(void) { unsigned r; asm("lzcnt %1, %0" : "=r"(r) : "r"(1u)); return r == 31; }
static int t_cx16(void) {
#if W64
    unsigned __int128 m __attribute__((aligned(16))) = 0; uint64_t a = 0, d = 0;
    asm volatile("cmpxchg16b %0" : "+m"(m), "+a"(a), "+d"(d) : "b"(5ull), "c"(0ull) : "cc");
    return (uint64_t)m == 5;
#else
    return 1;
#endif
}
static int t_rdtscp(void) { unsigned a, d, c; asm volatile("rdtscp" : "=a"(a), "=d"(d), "=c"(c)); return 1; }

int main(void)
{
    unsigned b, c, d, max, maxext;
    signal(SIGILL, on_ill);
    __cpuid(0, max, b, c, d);
    char vendor[13];
    memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4); vendor[12] = 0;
    int printable = 1;
    for (int i = 0; i < 12; i++) printable &= isprint((unsigned char)vendor[i]) != 0;
    check("leaf 0 maximum >= 1", max >= 1);
    check("vendor is 12 printable characters", printable);
    unsigned a1, b1, c1, d1;
    __cpuid(1, a1, b1, c1, d1);
    unsigned family = (a1 >> 8) & 15;
    if (family == 15) family += (a1 >> 20) & 0xff;
    check("family non-zero", family != 0);
    check("fpu", d1 & 1);
    check("tsc", d1 & (1 << 4));
    check("cx8", d1 & (1 << 8));
    check("cmov", d1 & (1 << 15));
#if W64
    check("fxsr", d1 & (1 << 24));
    check("sse", d1 & (1 << 25));
    check("sse2", d1 & (1 << 26));
#endif
    __cpuid(0x80000000, maxext, b, c, d);
    check("extended leaves", maxext >= 0x80000001);
    unsigned ea = 0, eb = 0, ec = 0, ed = 0;
    if (maxext >= 0x80000001) __cpuid(0x80000001, ea, eb, ec, ed);
#if W64
    check("long mode", ed & (1u << 29));
    check("syscall", ed & (1u << 11));
#endif
    if (maxext >= 0x80000004) {
        unsigned br[12];
        for (unsigned l = 0; l < 3; l++) __cpuid(0x80000002 + l, br[l * 4], br[l * 4 + 1], br[l * 4 + 2], br[l * 4 + 3]);
        check("brand string non-empty", ((char *)br)[0] != 0 || ((char *)br)[1] != 0);
    }
    unsigned b7 = 0, c7 = 0, d7 = 0, a7 = 0;
    if (max >= 7) __cpuid_count(7, 0, a7, b7, c7, d7);
    int osxsave = (c1 >> 27) & 1, ymm_ok = 0;
    if (osxsave) {
        unsigned xlo, xhi;
        asm volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
        ymm_ok = (xlo & 6) == 6;
        check("xcr0 has x87", xlo & 1);
    }
    feature("cmov", d1 & (1 << 15), t_cmov);
    feature("sse2", d1 & (1 << 26), t_sse2);
    feature("sse3", c1 & 1, t_sse3);
    feature("ssse3", c1 & (1 << 9), t_ssse3);
    feature("sse4.1", c1 & (1 << 19), t_sse41);
    feature("sse4.2", c1 & (1 << 20), t_sse42);
    feature("popcnt", c1 & (1 << 23), t_popcnt);
    feature("aes", c1 & (1 << 25), t_aes);
    feature("pclmulqdq", c1 & (1 << 1), t_pclmul);
    feature("movbe", c1 & (1 << 22), t_movbe);
    feature("cx16", W64 && (c1 & (1 << 13)), t_cx16);
    feature("avx", ymm_ok && (c1 & (1 << 28)), t_avx);
    feature("fma", ymm_ok && (c1 & (1 << 12)), t_fma);
    feature("f16c", ymm_ok && (c1 & (1 << 29)), t_f16c);
    feature("avx2", ymm_ok && (b7 & (1 << 5)), t_avx2);
    feature("bmi1", b7 & (1 << 3), t_bmi1);
    feature("bmi2", b7 & (1 << 8), t_bmi2);
    feature("adx", b7 & (1 << 19), t_adx);
    feature("lzcnt", ec & (1 << 5), t_lzcnt);
    feature("rdtscp", ed & (1u << 27), t_rdtscp);
    check("avx advertised without osxsave", !(c1 & (1 << 28)) || osxsave);
    /* rdtsc counts up */
    unsigned lo1, hi1, lo2, hi2;
    asm volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
    for (volatile int i = 0; i < 1000; i++) ;
    asm volatile("rdtsc" : "=a"(lo2), "=d"(hi2));
    check("rdtsc increases", ((uint64_t)hi2 << 32 | lo2) > ((uint64_t)hi1 << 32 | lo1));
    printf("cpuid: %s\n", bad ? "inconsistent" : "consistent");
    return bad != 0;
}
