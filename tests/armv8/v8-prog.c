/*
 * v8-prog.c — ordinary C that gcc compiles into the ARMv8 AArch32
 * instructions when targeting armv8-a (-march=armv8-a+crc -mfpu=fp-armv8
 * -mfp16-format=ieee): __crc32* (CRC32/CRC32C), round/rint/floor/ceil/
 * trunc/nearbyint (VRINTA/X/M/P/Z/R), fmax/fmin (VMAXNM/VMINNM), lround
 * (VCVTA), conditional selects (VSEL), _Float16 conversions (VCVTB/T
 * to and from single and double), and C11 atomics with acquire/release
 * (LDA/STL, LDAEX/STLEX).  It prints every result's bits and the FPSCR
 * flags; tests/armv8/run.sh compares the output with qemu-arm -cpu max.
 */
#include <arm_acle.h>
#include <fenv.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t dbits(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static uint32_t fbits(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
static double dof(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static float fof(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }

static unsigned flags(void)
{
    unsigned f = fetestexcept(FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    return f;
}

static const uint64_t dvals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff8000000000000ull, 0xc004000000000000ull,
    0x4004000000000000ull, 0x3fd0000000000000ull, 0xbfd0000000000000ull, 0x4330000000000001ull,
    0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000200000ull,
    0x41efffffffe00000ull, 0x41f0000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff4000000000001ull, 0xfff8000000000123ull, 0x0000000000000001ull,
    0x800fffffffffffffull, 0x7fefffffffffffffull, 0x3f1a36e2eb1c432dull, 0x40f86a0000000000ull,
    0x3ee4f8b588e368f1ull, 0x3e70000000000000ull, 0x40effe0000000000ull, 0x40effc0000000000ull,
    0x4000000000000001ull, 0x4002ffffffffffffull, 0xc00c000000000000ull, 0x3e6ff80000000000ull,
};
#define ND (sizeof dvals / sizeof dvals[0])

static const uint32_t fvals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000,
    0xc0200000, 0x40200000, 0x4b000001, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001,
    0x4f7fffff, 0x4f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc00123,
    0x00000001, 0x807fffff, 0x7f7fffff, 0x477fe000, 0x477ff000, 0x38800000, 0x33800000,
    0x33000000, 0x387fc000, 0x3effffff, 0xbf400000,
};
#define NF (sizeof fvals / sizeof fvals[0])

static const uint16_t hvals[] = {
    0x0000, 0x8000, 0x3c00, 0xbc00, 0x0001, 0x83ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00,
    0x7e00, 0x7d01, 0xfe55, 0x3555, 0x5640,
};
#define NH (sizeof hvals / sizeof hvals[0])

__attribute__((noinline)) static double sel_d(double a, double b, double c, double d) { return a > b ? c : d; }
__attribute__((noinline)) static double sel_ge(double a, double b, double c, double d) { return a >= b ? c : d; }
__attribute__((noinline)) static float sel_eq(float a, float b, float c, float d) { return a == b ? c : d; }

static void fp_tests(const char *mode)
{
    for (size_t i = 0; i < ND; i++) {
        double x = dof(dvals[i]);
        flags();
        uint64_t r1 = dbits(round(x)); unsigned f1 = flags();
        uint64_t r2 = dbits(rint(x)); unsigned f2 = flags();
        uint64_t r3 = dbits(floor(x)); unsigned f3 = flags();
        uint64_t r4 = dbits(ceil(x)); unsigned f4 = flags();
        uint64_t r5 = dbits(trunc(x)); unsigned f5 = flags();
        uint64_t r6 = dbits(nearbyint(x)); unsigned f6 = flags();
        long l = lround(x); unsigned f7 = flags();
        long l2 = lrint(x); unsigned f8 = flags();
        printf("%s d %016llx: round %016llx/%x rint %016llx/%x floor %016llx/%x ceil %016llx/%x "
               "trunc %016llx/%x nearbyint %016llx/%x lround %ld/%x lrint %ld/%x\n", mode,
               (unsigned long long)dvals[i], (unsigned long long)r1, f1, (unsigned long long)r2, f2,
               (unsigned long long)r3, f3, (unsigned long long)r4, f4, (unsigned long long)r5, f5,
               (unsigned long long)r6, f6, l, f7, l2, f8);
        _Float16 h = (_Float16)x; unsigned fh = flags();
        uint16_t hb; memcpy(&hb, &h, 2);
        printf("%s d %016llx -> f16 %04x/%x\n", mode, (unsigned long long)dvals[i], hb, fh);
        for (size_t j = 0; j < ND; j += 3) {
            double y = dof(dvals[j]);
            uint64_t mx = dbits(fmax(x, y)); unsigned fm = flags();
            uint64_t mn = dbits(fmin(x, y)); unsigned fn = flags();
            uint64_t s1 = dbits(sel_d(x, y, 1.0, 2.0)), s2 = dbits(sel_ge(x, y, 3.0, 4.0));
            flags();
            printf("%s d %016llx %016llx: fmax %016llx/%x fmin %016llx/%x sel %llx %llx\n", mode,
                   (unsigned long long)dvals[i], (unsigned long long)dvals[j], (unsigned long long)mx,
                   fm, (unsigned long long)mn, fn, (unsigned long long)s1, (unsigned long long)s2);
        }
    }
    for (size_t i = 0; i < NF; i++) {
        float x = fof(fvals[i]);
        flags();
        uint32_t r1 = fbits(roundf(x)); unsigned f1 = flags();
        uint32_t r2 = fbits(rintf(x)); unsigned f2 = flags();
        uint32_t r3 = fbits(floorf(x)); unsigned f3 = flags();
        uint32_t r4 = fbits(ceilf(x)); unsigned f4 = flags();
        uint32_t r5 = fbits(truncf(x)); unsigned f5 = flags();
        long l = lroundf(x); unsigned f7 = flags();
        _Float16 h = (_Float16)x; unsigned fh = flags();
        uint16_t hb; memcpy(&hb, &h, 2);
        printf("%s f %08x: round %08x/%x rint %08x/%x floor %08x/%x ceil %08x/%x trunc %08x/%x "
               "lround %ld/%x f16 %04x/%x\n", mode, fvals[i], r1, f1, r2, f2, r3, f3, r4, f4, r5, f5,
               l, f7, hb, fh);
        for (size_t j = 0; j < NF; j += 2) {
            float y = fof(fvals[j]);
            uint32_t mx = fbits(fmaxf(x, y)); unsigned fm = flags();
            uint32_t mn = fbits(fminf(x, y)); unsigned fn = flags();
            uint32_t s = fbits(sel_eq(x, y, 5.0f, 6.0f));
            flags();
            printf("%s f %08x %08x: fmax %08x/%x fmin %08x/%x sel %x\n", mode, fvals[i], fvals[j],
                   mx, fm, mn, fn, s);
        }
    }
    for (size_t i = 0; i < NH; i++) {
        _Float16 h;
        memcpy(&h, &hvals[i], 2);
        flags();
        float f = h; unsigned ff = flags();
        double d = h; unsigned fd = flags();
        printf("%s h %04x: f32 %08x/%x f64 %016llx/%x\n", mode, hvals[i], fbits(f), ff,
               (unsigned long long)dbits(d), fd);
    }
}

static _Atomic int counter;
static _Atomic long long counter64;
static _Atomic unsigned char flag8;

static void *worker(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        atomic_fetch_add_explicit(&counter, 1, memory_order_acq_rel);
        atomic_fetch_add_explicit(&counter64, 3, memory_order_seq_cst);
        unsigned char e = 0;
        while (!atomic_compare_exchange_weak_explicit(&flag8, &e, 1, memory_order_acquire,
                                                      memory_order_relaxed))
            e = 0;
        atomic_store_explicit(&flag8, 0, memory_order_release);
    }
    return arg;
}

/* CRC32/CRC32C of every width over pseudo-random accumulators and data. */
static void crc_random(void)
{
    uint64_t x = 0x243f6a8885a308d3ull;
    uint32_t h[6] = { 0 };
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t a = (uint32_t)(x >> 32), v = (uint32_t)x ^ (uint32_t)(x >> 17);
        h[0] = h[0] * 31 + __crc32b(a, (uint8_t)v);
        h[1] = h[1] * 31 + __crc32h(a, (uint16_t)v);
        h[2] = h[2] * 31 + __crc32w(a, v);
        h[3] = h[3] * 31 + __crc32cb(a, (uint8_t)v);
        h[4] = h[4] * 31 + __crc32ch(a, (uint16_t)v);
        h[5] = h[5] * 31 + __crc32cw(a, v);
    }
    printf("crc random %08x %08x %08x %08x %08x %08x\n", h[0], h[1], h[2], h[3], h[4], h[5]);
}

/* Every load-acquire/store-release form once, on aligned data. */
static void acqrel_forms(void)
{
    static uint32_t w = 0x11223344;
    static uint16_t hw = 0x5566;
    static uint8_t b = 0x77;
    static uint64_t dw __attribute__((aligned(8))) = 0x8899aabbccddeeffull;
    uint32_t r1, r2, r3, st;
    uint64_t d;
    __asm__ volatile("lda %0, [%3]\n\tldah %1, [%4]\n\tldab %2, [%5]"
                     : "=&r"(r1), "=&r"(r2), "=&r"(r3) : "r"(&w), "r"(&hw), "r"(&b) : "memory");
    printf("lda %08x ldah %08x ldab %08x\n", r1, r2, r3);
    __asm__ volatile("stl %0, [%3]\n\tstlh %1, [%4]\n\tstlb %2, [%5]"
                     : : "r"(r1 + 0x01010101), "r"(r2 + 0x80ff), "r"(r3 + 0x90), "r"(&w), "r"(&hw), "r"(&b)
                     : "memory");
    printf("stl %08x stlh %04x stlb %02x\n", w, hw, b);
    do {
        __asm__ volatile("ldaexh %0, [%2]\n\tadd %0, %0, #3\n\tstlexh %1, %0, [%2]"
                         : "=&r"(r1), "=&r"(st) : "r"(&hw) : "memory");
    } while (st);
    do {
        __asm__ volatile("ldaexb %0, [%2]\n\tadd %0, %0, #5\n\tstlexb %1, %0, [%2]"
                         : "=&r"(r1), "=&r"(st) : "r"(&b) : "memory");
    } while (st);
    do {
        __asm__ volatile("ldaexd %Q0, %R0, [%2]\n\tadds %Q0, %Q0, #7\n\tadc %R0, %R0, #0\n\t"
                         "stlexd %1, %Q0, %R0, [%2]"
                         : "=&r"(d), "=&r"(st) : "r"(&dw) : "memory", "cc");
    } while (st);
    /* a failing STLEX: the monitor was cleared */
    __asm__ volatile("ldaex %0, [%2]\n\tclrex\n\tstlex %1, %0, [%2]"
                     : "=&r"(r1), "=&r"(st) : "r"(&w) : "memory");
    printf("ldaexh/stlexh %04x ldaexb/stlexb %02x ldaexd/stlexd %016llx failed stlex %u\n", hw, b,
           (unsigned long long)dw, st);
}

int main(void)
{
    crc_random();
    acqrel_forms();
    /* CRC32 over a buffer with the ACLE intrinsics, all widths. */
    unsigned char buf[257];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    uint32_t c = 0xffffffffu, cc = 0xffffffffu;
    for (unsigned i = 0; i + 4 <= 256; i += 4) {
        uint32_t w;
        memcpy(&w, buf + i, 4);
        c = __crc32w(c, w);
        cc = __crc32cw(cc, w);
    }
    uint16_t hw;
    memcpy(&hw, buf + 100, 2);
    c = __crc32h(c, hw);
    cc = __crc32ch(cc, hw);
    c = __crc32b(c, buf[256]);
    cc = __crc32cb(cc, buf[256]);
    printf("crc32 %08x crc32c %08x\n", ~c, ~cc);
    printf("crc32(\"123456789\") %08x\n", ({
        uint32_t x = 0xffffffffu;
        for (const char *p = "123456789"; *p; p++) x = __crc32b(x, (uint8_t)*p);
        ~x; }));

    static const int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    static const char *const names[] = { "rn", "rp", "rm", "rz" };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        fp_tests(names[m]);
    }
    fesetround(FE_TONEAREST);

    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("atomics %d %lld %d\n", atomic_load_explicit(&counter, memory_order_acquire),
           (long long)atomic_load(&counter64), atomic_load(&flag8));
    return 0;
}
