/* muldiv.c — mul/imul (one-, two- and three-operand forms) and div/idiv at
 * every width over edge values; a zero divisor and a quotient that does not
 * fit raise #DE, which Linux delivers as SIGFPE with si_code FPE_INTDIV and
 * si_addr at the dividing instruction (checked, then siglongjmp'd past).
 * After mul/imul only CF and OF are defined; after div nothing is. */
#include "x86u.h"
#include <signal.h>
#include <stdlib.h>
#include <ucontext.h>

/* Where the dividing instruction is and where to resume after it: set by
 * the asm right before it divides; the SIGFPE handler checks si_addr against
 * `at` and returns to `resume` (sigreturn with a changed pc). */
static struct { uintptr_t at, resume; } site;
static volatile uintptr_t fault_addr;
static volatile int fault_code, faults, fault_at_site;

static void on_fpe(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    fault_at_site += fault_addr == site.at;
    faults++;
#ifdef __x86_64__
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)site.resume;
#else
    uc->uc_mcontext.gregs[REG_EIP] = (greg_t)site.resume;
#endif
}

/* Stores the addresses of local labels 3 (the division) and 5 (after it)
 * into site; clobbers %[t]. */
#ifdef __x86_64__
#define SITE "lea 3f(%%rip), %[t]\n\tmov %[t], (%[s])\n\tlea 5f(%%rip), %[t]\n\tmov %[t], %c[w](%[s])\n\t"
#else
#define SITE RZ_DOWN "call 4f\n4:\tpop %[t]\n\tadd $(3f-4b), %[t]\n\tmov %[t], (%[s])\n\tadd $(5f-3f), %[t]\n\tmov %[t], %c[w](%[s])\n\t"
#endif

static const uint64_t vals[] = { 0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xdeadbeef,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
    0x123456789abcdef0ull };
#define NV (sizeof vals / sizeof vals[0])

static Hash h;
static int verbose;
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void out(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    hash_str(&h, line);
    if (verbose) puts(line);
}
static void group_begin(const char *name) { hash_init(&h); verbose = verbose_for(name); }
static void group_end(const char *name, int w) { printf("%s%s %016llx\n", w ? "w: " : "", name, (unsigned long long)h.h); }

#define FL(f) ((unsigned)(f) & (F_CF | F_OF))

static void mul1(void)
{
    unsigned long f;
    group_begin("mul1.b");
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) {
        uint16_t ax = (uint8_t)vals[i]; uint8_t b = (uint8_t)vals[j], ax2;
        uint16_t r = ax;
        asm(RZ_DOWN "mulb %[b]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : "+a"(r), [f] "=r"(f) : [b] "q"(b) : "cc");
        ax2 = (uint8_t)vals[i]; uint16_t s = ax2;
        unsigned long g;
        asm(RZ_DOWN "imulb %[b]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : "+a"(s), [f] "=r"(g) : [b] "q"(b) : "cc");
        out("%x %x -> mul %x %x imul %x %x", ax, b, r, FL(f), s, FL(g));
    }
    group_end("mul1.b", 0);
#define MUL1(NAME, T, W) \
    group_begin(NAME); \
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) { \
        T a = (T)vals[i], b = (T)vals[j], lo, hi, slo, shi; unsigned long f, g; \
        lo = a; asm(RZ_DOWN "mul %[b]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : "+a"(lo), "=d"(hi), [f] "=r"(f) : [b] "r"(b) : "cc"); \
        slo = a; asm(RZ_DOWN "imul %[b]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : "+a"(slo), "=d"(shi), [f] "=r"(g) : [b] "r"(b) : "cc"); \
        out("%llx %llx -> mul %llx:%llx %x imul %llx:%llx %x", (unsigned long long)a, (unsigned long long)b, \
            (unsigned long long)hi, (unsigned long long)lo, FL(f), (unsigned long long)shi, (unsigned long long)slo, FL(g)); \
    } \
    group_end(NAME, W);
    MUL1("mul1.w", uint16_t, 0)
    MUL1("mul1.l", uint32_t, 0)
#if W64
    MUL1("mul1.q", uint64_t, 1)
#endif
}

static void imul23(void)
{
#define IMUL23(NAME, T, W) \
    group_begin(NAME); \
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) { \
        T a = (T)vals[i], b = (T)vals[j], r2 = a, r3, r4; unsigned long f2, f3, f4; \
        asm(RZ_DOWN "imul %[b], %[r]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : [r] "+r"(r2), [f] "=r"(f2) : [b] "r"(b) : "cc"); \
        asm(RZ_DOWN "imul $-77, %[b], %[r]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : [r] "=r"(r3), [f] "=r"(f3) : [b] "r"(b) : "cc"); \
        asm(RZ_DOWN "imul $0x1234, %[b], %[r]\n\tpushf\n\tpop %[f]\n\t" RZ_UP : [r] "=r"(r4), [f] "=r"(f4) : [b] "r"(b) : "cc"); \
        out("%llx %llx -> %llx %x %llx %x %llx %x", (unsigned long long)a, (unsigned long long)b, \
            (unsigned long long)r2, FL(f2), (unsigned long long)r3, FL(f3), (unsigned long long)r4, FL(f4)); \
    } \
    group_end(NAME, W);
    IMUL23("imul23.w", uint16_t, 0)
    IMUL23("imul23.l", uint32_t, 0)
#if W64
    IMUL23("imul23.q", uint64_t, 1)
#endif
}

/* One division; prints quotient/remainder or the fault. */
#define DIV(INSN, T, HI, LO, D) do { \
    T q = (T)(LO), r = (T)(HI), d = (T)(D); uintptr_t t; \
    int n0 = faults; \
    asm volatile(SITE "3:\t" INSN " %[d]\n5:" : "+a"(q), "+d"(r), [t] "=&r"(t) \
                 : [d] "r"(d), [s] "r"(&site), [w] "i"(sizeof(uintptr_t)) : "cc", "memory"); \
    if (faults == n0) \
        out("%s %llx:%llx / %llx = %llx r %llx", INSN, (unsigned long long)(T)(HI), (unsigned long long)(T)(LO), \
            (unsigned long long)d, (unsigned long long)q, (unsigned long long)r); \
    else \
        out("%s %llx:%llx / %llx = #DE code=%d", INSN, (unsigned long long)(T)(HI), (unsigned long long)(T)(LO), \
            (unsigned long long)d, fault_code); \
} while (0)

static void divs(void)
{
    group_begin("div.b");
    for (size_t i = 0; i < NV; i++) for (size_t j = 0; j < NV; j++) {
        uint16_t ax = (uint16_t)vals[i]; uint8_t d = (uint8_t)vals[j];
        for (int s = 0; s < 2; s++) {
            uint16_t a = ax; uintptr_t t; int n0 = faults;
            if (s) asm volatile(SITE "3:\tidivb %[d]\n5:" : "+a"(a), [t] "=&r"(t) : [d] "q"(d), [s] "r"(&site), [w] "i"(sizeof(uintptr_t)) : "cc", "memory");
            else asm volatile(SITE "3:\tdivb %[d]\n5:" : "+a"(a), [t] "=&r"(t) : [d] "q"(d), [s] "r"(&site), [w] "i"(sizeof(uintptr_t)) : "cc", "memory");
            if (faults == n0) out("%s %x / %x = %x", s ? "idivb" : "divb", ax, d, a);
            else out("%s %x / %x = #DE code=%d", s ? "idivb" : "divb", ax, d, fault_code);
        }
    }
    group_end("div.b", 0);
#define DIVW(NAME, T, SFX, W) \
    group_begin(NAME); \
    for (size_t i = 0; i < NV; i++) for (size_t k = 0; k < 4; k++) for (size_t j = 0; j < NV; j++) { \
        T hi = k == 0 ? 0 : k == 1 ? (T)-1 : k == 2 ? (T)1 : (T)vals[j] - 1; \
        DIV("div" SFX, T, hi, vals[i], vals[j]); \
        DIV("idiv" SFX, T, hi, vals[i], vals[j]); \
    } \
    group_end(NAME, W);
    DIVW("div.w", uint16_t, "w", 0)
    DIVW("div.l", uint32_t, "l", 0)
#if W64
    DIVW("div.q", uint64_t, "q", 1)
#endif
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    parse_verbose(argc, argv);
    mul1();
    imul23();
    divs();
    printf("w: faults %d, all at the dividing instruction: %s, last code %s\n", faults,
           fault_at_site == faults ? "yes" : "no", fault_code == FPE_INTDIV ? "FPE_INTDIV" : "other");
    return 0;
}
