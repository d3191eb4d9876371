/* bitops.c — bt/bts/btr/btc on memory with register bit offsets far beyond
 * the operand (positive and negative: the offset selects another word) and
 * with immediates; bswap; movbe; crc32 (all sizes); BMI1 (andn, bextr, blsi,
 * blsmsk, blsr, tzcnt), BMI2 (bzhi, mulx, pdep, pext, rorx, sarx, shlx,
 * shrx), ADX (adcx, adox chains) and lzcnt/popcnt, over edge values, with the
 * flags each defines.  Inline assembly: the same instructions at -O0 and -O2. */
#include "x86u.h"

static const uint64_t vals[] = { 0, 1, 2, 0x80, 0xff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
    0xffffffff, 0x12345678, 0xdeadbeef, 0xf0f0f0f0, 0x0000ff00, 0x3f, 0x1f08, 0x2010,
    0x8000000000000000ull, 0xffffffffffffffffull, 0x0123456789abcdefull, 0xff00ff00ff00ff00ull };
#define NV (sizeof vals / sizeof vals[0])

static Hash h;
static int verbose;
static void line(const char *s) { hash_str(&h, s); if (verbose) puts(s); }
static void begin(const char *n) { hash_init(&h); verbose = verbose_for(n); }
static void end(const char *n, int w) { printf("%s%s %016llx\n", w ? "w: " : "", n, (unsigned long long)h.h); }

#ifdef __x86_64__
#define RM(x) "r"(x)
#else
#define RM(x) "rm"(x)   /* i386 has too few registers for all in registers */
#endif
#define FLAGS_OUT RZ_DOWN "pushf\n\tpop %[f]\n\t" RZ_UP

static void bt_mem(void)
{
    static uint32_t arr[64];
    static const long offs[] = { 0, 1, 31, 32, 33, 63, 64, 100, 511, 1000, 1023, -1, -32, -33, -200, -1000 };
    begin("bt.mem");
    for (int op = 0; op < 4; op++)
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            for (int k = 0; k < 64; k++) arr[k] = (uint32_t)(k * 0x9e3779b9u);
            uint32_t *base = arr + 32;
            long off = offs[i];
            unsigned long f;
            char s[200];
            switch (op) {
            case 0: asm volatile("btl %[o], %[m]\n\t" FLAGS_OUT : [m] "+m"(*base), [f] "=r"(f) : [o] "r"((int32_t)off) : "cc", "memory"); break;
            case 1: asm volatile("btsl %[o], %[m]\n\t" FLAGS_OUT : [m] "+m"(*base), [f] "=r"(f) : [o] "r"((int32_t)off) : "cc", "memory"); break;
            case 2: asm volatile("btrw %[o], %[m]\n\t" FLAGS_OUT : [m] "+m"(*base), [f] "=r"(f) : [o] "r"((int16_t)off) : "cc", "memory"); break;
            default: asm volatile("btc %[o], %[m]\n\t" FLAGS_OUT : [m] "+m"(*base), [f] "=r"(f) : [o] "r"(off) : "cc", "memory"); break;
            }
            Hash a; hash_init(&a); hash_bytes(&a, arr, sizeof arr);
            snprintf(s, sizeof s, "op%d %ld -> cf %lu arr %016llx", op, off, f & 1, (unsigned long long)a.h);
            line(s);
        }
    /* immediate offsets are taken modulo the operand size, also on memory */
    for (int k = 0; k < 64; k++) arr[k] = 0;
    unsigned long f1, f2;
    asm volatile("btsl $35, %[m]\n\t" FLAGS_OUT : [m] "+m"(arr[10]), [f] "=r"(f1) : : "cc");
    asm volatile("btcw $17, %[m]\n\t" FLAGS_OUT : [m] "+m"(arr[20]), [f] "=r"(f2) : : "cc");
    char s[100];
    snprintf(s, sizeof s, "imm %x %x %x %lu %lu", arr[10], arr[11], arr[20], f1 & 1, f2 & 1);
    line(s);
    end("bt.mem", 0);
}

static void misc(void)
{
    char s[300];
    begin("bswap.movbe");
    for (size_t i = 0; i < NV; i++) {
        uint32_t a = (uint32_t)vals[i], b = a, m = a;
        uint16_t w;
        asm("bswap %0" : "+r"(b));
        asm("movbe %1, %0" : "=r"(m) : "m"(a));
        uint16_t a16 = (uint16_t)a;
        asm("movbe %1, %0" : "=r"(w) : "m"(a16));
        snprintf(s, sizeof s, "%x -> %x %x %x", a, b, m, w);
        line(s);
    }
    end("bswap.movbe", 0);
#if W64
    begin("bswap.q");
    for (size_t i = 0; i < NV; i++) {
        uint64_t a = vals[i], b = a, m;
        asm("bswap %0" : "+r"(b));
        asm("movbe %1, %0" : "=r"(m) : "m"(a));
        snprintf(s, sizeof s, "%llx -> %llx %llx", (unsigned long long)a, (unsigned long long)b, (unsigned long long)m);
        line(s);
    }
    end("bswap.q", 1);
#endif
    begin("crc32");
    for (size_t i = 0; i < NV; i++)
        for (size_t j = 0; j < NV; j++) {
            uint32_t c = (uint32_t)vals[i], b = c, w = c, l = c;
            asm("crc32b %1, %0" : "+r"(b) : "q"((uint8_t)vals[j]));
            asm("crc32w %1, %0" : "+r"(w) : "r"((uint16_t)vals[j]));
            asm("crc32l %1, %0" : "+r"(l) : "r"((uint32_t)vals[j]));
            snprintf(s, sizeof s, "%x %llx -> %x %x %x", c, (unsigned long long)vals[j], b, w, l);
            line(s);
        }
    end("crc32", 0);
}

/* BMI1/BMI2/ADX, 32-bit forms (and 64-bit ones on x86_64). */
#define BMI(NAME, T, W) \
static void NAME(void) \
{ \
    char s[400]; \
    begin(#NAME); \
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) { \
        T a = (T)vals[i], b = (T)vals[j], andn, bextr, blsi, blsmsk, blsr, tz, lz, pop, bzhi, pdep, pext, \
          rorx, sarx, shlx, shrx, mlo, mhi, d = a; \
        unsigned long f1, f2, f3, f4, f5, f6, f7, f8, f9; \
        asm("andn %[b], %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(andn), [f] "=r"(f1) : [a] "r"(a), [b] "r"(b) : "cc"); \
        asm("bextr %[b], %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(bextr), [f] "=r"(f2) : [a] "r"(a), [b] "r"(b) : "cc"); \
        asm("blsi %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(blsi), [f] "=r"(f3) : [a] "r"(a) : "cc"); \
        asm("blsmsk %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(blsmsk), [f] "=r"(f4) : [a] "r"(a) : "cc"); \
        asm("blsr %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(blsr), [f] "=r"(f5) : [a] "r"(a) : "cc"); \
        asm("tzcnt %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(tz), [f] "=r"(f6) : [a] "r"(a) : "cc"); \
        asm("lzcnt %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(lz), [f] "=r"(f7) : [a] "r"(a) : "cc"); \
        asm("popcnt %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(pop), [f] "=r"(f8) : [a] "r"(a) : "cc"); \
        asm("bzhi %[b], %[a], %[r]\n\t" FLAGS_OUT : [r] "=&r"(bzhi), [f] "=r"(f9) : [a] "r"(a), [b] "r"(b) : "cc"); \
        asm("pdep %[b], %[a], %[r]" : [r] "=r"(pdep) : [a] "r"(a), [b] "r"(b)); \
        asm("pext %[b], %[a], %[r]" : [r] "=r"(pext) : [a] "r"(a), [b] "r"(b)); \
        asm("rorx $13, %[a], %[r]" : [r] "=r"(rorx) : [a] "r"(a)); \
        asm("sarx %[b], %[a], %[r]" : [r] "=r"(sarx) : [a] "r"(a), [b] "r"(b)); \
        asm("shlx %[b], %[a], %[r]" : [r] "=r"(shlx) : [a] "r"(a), [b] "r"(b)); \
        asm("shrx %[b], %[a], %[r]" : [r] "=r"(shrx) : [a] "r"(a), [b] "r"(b)); \
        asm("mulx %[b], %[lo], %[hi]" : [lo] "=&r"(mlo), [hi] "=&r"(mhi), "+d"(d) : [b] "r"(b)); \
        snprintf(s, sizeof s, "%llx %llx: %llx %x %llx %x %llx %x %llx %x %llx %x %llx %x %llx %x %llx %x %llx %x " \
                 "%llx %llx %llx %llx %llx %llx %llx:%llx", \
                 (unsigned long long)a, (unsigned long long)b, \
                 (unsigned long long)andn, (unsigned)f1 & (F_ZF | F_SF | F_CF | F_OF), \
                 (unsigned long long)bextr, (unsigned)f2 & (F_ZF | F_CF | F_OF), \
                 (unsigned long long)blsi, (unsigned)f3 & (F_ZF | F_SF | F_CF | F_OF), \
                 (unsigned long long)blsmsk, (unsigned)f4 & (F_ZF | F_SF | F_CF | F_OF), \
                 (unsigned long long)blsr, (unsigned)f5 & (F_ZF | F_SF | F_CF | F_OF), \
                 (unsigned long long)tz, (unsigned)f6 & (F_ZF | F_CF), \
                 (unsigned long long)lz, (unsigned)f7 & (F_ZF | F_CF), \
                 (unsigned long long)pop, (unsigned)f8 & F_ARITH, \
                 (unsigned long long)bzhi, (unsigned)f9 & (F_ZF | F_SF | F_CF | F_OF), \
                 (unsigned long long)pdep, (unsigned long long)pext, (unsigned long long)rorx, \
                 (unsigned long long)sarx, (unsigned long long)shlx, (unsigned long long)shrx, \
                 (unsigned long long)mhi, (unsigned long long)mlo); \
        line(s); \
    } \
    end(#NAME, W); \
}
BMI(bmi32, uint32_t, 0)
#if W64
BMI(bmi64, uint64_t, 1)
#endif

/* adcx/adox: two independent carry chains through CF and OF. */
static void adx(void)
{
    char s[200];
    begin("adx");
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) for (int fin = 0; fin < 4; fin++) {
        uint32_t a = (uint32_t)vals[i], b = (uint32_t)vals[j], c, o, c2, o2;
        unsigned long fl = 0x202 | (fin & 1 ? F_CF : 0) | (fin & 2 ? F_OF : 0) | F_ZF, f;
        asm(RZ_DOWN "push %[fl]\n\tpopf\n\t" RZ_UP
            "mov %[a], %[c]\n\tmov %[b], %[o]\n\tadcx %[b], %[c]\n\tadox %[a], %[o]\n\tadcx %[a], %[c]\n\tadox %[b], %[o]\n\t"
            "mov %[c], %[c2]\n\tmov %[o], %[o2]\n\tadcx %[c2], %[c2]\n\tadox %[o2], %[o2]\n\t" FLAGS_OUT
            : [c] "=&r"(c), [o] "=&r"(o), [c2] "=&r"(c2), [o2] "=&r"(o2), [f] "=r"(f)
            : [a] RM(a), [b] RM(b), [fl] RM(fl) : "cc");
        snprintf(s, sizeof s, "%x %x %d -> %x %x %x %x %lx", a, b, fin, c, o, c2, o2, f & F_ARITH);
        line(s);
    }
    end("adx", 0);
}

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    bt_mem();
    misc();
    bmi32();
#if W64
    bmi64();
#endif
    adx();
    return 0;
}
