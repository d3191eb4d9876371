/* string.c — movs/stos/lods/cmps/scas at every element size, without and
 * with rep/repe/repne, forwards (DF=0) and backwards (DF=1), counts 0, 1, 7
 * and 33, overlapping copies; prints the buffer's hash, where rsi/rdi/rcx
 * ended (as offsets into the buffer) and the flags cmps/scas left (a count
 * of 0 leaves the incoming flags, which are set to a known value).
 * Then long runs (a translator may move whole pages at once): rep movs/stos
 * of thousands of elements across page boundaries at odd offsets, copies
 * overlapping from above (the hardware repeats a pattern), and copies into
 * a page that faults midway, where the handler records rsi/rdi/rcx and the
 * fault address (offsets into the region), opens the page and resumes. */
#include "x86u.h"
#include <signal.h>
#include <ucontext.h>
#include <sys/mman.h>

static unsigned char buf[2048];
static void fill(void)
{
    for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + (i >> 3));
    /* some equal runs for repe cmps and matches for repne scas */
    memcpy(buf + 900, buf + 400, 40);
    memcpy(buf + 1000, buf + 600, 40);
    buf[1020] ^= 1;
}

typedef struct { uintptr_t si, di, cx, ax; unsigned long fl; } Regs;

#define STR(NAME, TXT) \
static void NAME(Regs *r, int df) \
{ \
    uintptr_t si = r->si, di = r->di, cx = r->cx, ax = r->ax; \
    unsigned long fl = 0x202 | F_ZF | F_CF | F_AF | (df ? 0x400 : 0); \
    asm volatile(RZ_DOWN "push %[fl]\n\tpopf\n\t" TXT "\n\tpushf\n\tpop %[fl]\n\tcld\n\t" RZ_UP \
                 : "+S"(si), "+D"(di), "+c"(cx), "+a"(ax), [fl] "+r"(fl) : : "cc", "memory"); \
    r->si = si; r->di = di; r->cx = cx; r->ax = ax; r->fl = fl & (F_ARITH | 0x400); \
}
STR(movsb, "rep movsb") STR(movsw, "rep movsw") STR(movsl, "rep movsl")
STR(stosb, "rep stosb") STR(stosw, "rep stosw") STR(stosl, "rep stosl")
STR(lodsb, "rep lodsb") STR(lodsl, "rep lodsl")
STR(cmpsb, "repe cmpsb") STR(cmpsw, "repe cmpsw") STR(cmpsl, "repe cmpsl")
STR(ncmpsb, "repne cmpsb") STR(scasb, "repne scasb") STR(escasb, "repe scasb")
STR(scasl, "repne scasl") STR(movs1, "movsb") STR(cmps1, "cmpsl") STR(scas1, "scasw")
STR(stos1, "stosl") STR(lods1, "lodsw")
#if W64
STR(movsq, "rep movsq") STR(stosq, "rep stosq") STR(cmpsq, "repe cmpsq") STR(scasq, "repne scasq")
#endif

typedef struct { const char *name; void (*fn)(Regs *, int); int w64; } Op;
static const Op ops[] = {
    { "rep movsb", movsb, 0 }, { "rep movsw", movsw, 0 }, { "rep movsl", movsl, 0 },
    { "rep stosb", stosb, 0 }, { "rep stosw", stosw, 0 }, { "rep stosl", stosl, 0 },
    { "rep lodsb", lodsb, 0 }, { "rep lodsl", lodsl, 0 },
    { "repe cmpsb", cmpsb, 0 }, { "repe cmpsw", cmpsw, 0 }, { "repe cmpsl", cmpsl, 0 },
    { "repne cmpsb", ncmpsb, 0 }, { "repne scasb", scasb, 0 }, { "repe scasb", escasb, 0 },
    { "repne scasl", scasl, 0 }, { "movsb", movs1, 0 }, { "cmpsl", cmps1, 0 }, { "scasw", scas1, 0 },
    { "stosl", stos1, 0 }, { "lodsw", lods1, 0 },
#if W64
    { "rep movsq", movsq, 1 }, { "rep stosq", stosq, 1 }, { "repe cmpsq", cmpsq, 1 }, { "repne scasq", scasq, 1 },
#endif
};

/* ---- long runs -------------------------------------------------------- */
#define PG 4096
#define NPG 5
static unsigned char *region;       /* NPG pages */
static struct { long si, di, cx, addr; int hits; } flt;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig;
#if W64
    flt.si = (long)(uc->uc_mcontext.gregs[REG_RSI] - (greg_t)region);
    flt.di = (long)(uc->uc_mcontext.gregs[REG_RDI] - (greg_t)region);
    flt.cx = (long)uc->uc_mcontext.gregs[REG_RCX];
#else
    flt.si = (long)(uc->uc_mcontext.gregs[REG_ESI] - (greg_t)region);
    flt.di = (long)(uc->uc_mcontext.gregs[REG_EDI] - (greg_t)region);
    flt.cx = (long)uc->uc_mcontext.gregs[REG_ECX];
#endif
    flt.addr = (long)((unsigned char *)si->si_addr - region);
    flt.hits++;
    mprotect(region, NPG * PG, PROT_READ | PROT_WRITE);
}

#define LONG(NAME, TXT) \
static void NAME(uintptr_t *si, uintptr_t *di, uintptr_t *cx, uintptr_t ax) \
{ \
    asm volatile("cld\n\t" TXT : "+S"(*si), "+D"(*di), "+c"(*cx), "+a"(ax) : : "cc", "memory"); \
}
LONG(l_movsb, "rep movsb") LONG(l_movsw, "rep movsw") LONG(l_movsl, "rep movsl")
LONG(l_stosb, "rep stosb") LONG(l_stosw, "rep stosw") LONG(l_stosl, "rep stosl")
#if W64
LONG(l_movsq, "rep movsq") LONG(l_stosq, "rep stosq")
#endif
typedef void (*LongFn)(uintptr_t *, uintptr_t *, uintptr_t *, uintptr_t);
static const struct { const char *name; LongFn fn; unsigned size; int w64; } longs[] = {
    { "long movsb", l_movsb, 1, 0 }, { "long movsw", l_movsw, 2, 0 }, { "long movsl", l_movsl, 4, 0 },
    { "long stosb", l_stosb, 1, 0 }, { "long stosw", l_stosw, 2, 0 }, { "long stosl", l_stosl, 4, 0 },
#if W64
    { "long movsq", l_movsq, 8, 1 }, { "long stosq", l_stosq, 8, 1 },
#endif
};

static void fill_region(void)
{
    for (unsigned i = 0; i < NPG * PG; i++) region[i] = (unsigned char)(i * 13 + (i >> 9));
}

static void long_runs(void)
{
    /* bytes to move, source and destination offsets (overlapping ones
     * included: destination just above the source) */
    static const unsigned lens[] = { 4000, 8200, 12280 };
    static const struct { unsigned si, di; } at[] = {
        { 0, 8192 }, { 1, 6147 }, { 4093, 8190 }, { 7000, 100 }, { 100, 101 }, { 100, 103 },
        { 200, 204 }, { 300, 308 }, { 2, 4098 } };
    for (size_t o = 0; o < sizeof longs / sizeof longs[0]; o++) {
        Hash h;
        hash_init(&h);
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
            for (size_t p = 0; p < sizeof at / sizeof at[0]; p++) {
                uintptr_t cnt = lens[l] / longs[o].size;
                if (at[p].si + cnt * longs[o].size > NPG * PG || at[p].di + cnt * longs[o].size > NPG * PG)
                    continue;
                fill_region();
                uintptr_t si = (uintptr_t)region + at[p].si, di = (uintptr_t)region + at[p].di, cx = cnt;
                longs[o].fn(&si, &di, &cx, (uintptr_t)0x8877665544332211ull);
                char line[120];
                snprintf(line, sizeof line, "%u %u %u: si %ld di %ld cx %lu", lens[l], at[p].si, at[p].di,
                         (long)(si - (uintptr_t)region), (long)(di - (uintptr_t)region), (unsigned long)cx);
                hash_str(&h, line);
                hash_bytes(&h, region, NPG * PG);
            }
        printf("%s%s %016llx\n", longs[o].w64 ? "w: " : "", longs[o].name, (unsigned long long)h.h);
    }
    /* a fault midway: page 3 closed, source or destination running into it */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    static const struct { unsigned si, di, len; } fa[] = {
        { 100, 3 * PG - 1000, 3000 }, { 3 * PG - 998, 200, 3000 }, { 5, 3 * PG - 4, 40 },
        { 3 * PG - 6, 7, 64 } };
    for (size_t o = 0; o < sizeof longs / sizeof longs[0]; o++)
        for (size_t f = 0; f < sizeof fa / sizeof fa[0]; f++) {
            int movs = strstr(longs[o].name, "movs") != NULL;
            if (!movs && fa[f].di < fa[f].si)
                continue;     /* stos reads no source */
            fill_region();
            memset(&flt, 0, sizeof flt);
            mprotect(region + 3 * PG, PG, PROT_NONE);
            uintptr_t si = (uintptr_t)region + fa[f].si, di = (uintptr_t)region + fa[f].di;
            uintptr_t cx = fa[f].len / longs[o].size;
            longs[o].fn(&si, &di, &cx, (uintptr_t)0x1122334455667788ull);
            Hash h;
            hash_init(&h);
            hash_bytes(&h, region, NPG * PG);
            printf("%s%s fault %u %u %u: hits %d at %ld si %ld di %ld cx %ld; end si %ld di %ld cx %lu, %016llx\n",
                   longs[o].w64 ? "w: " : "", longs[o].name, fa[f].si, fa[f].di, fa[f].len, flt.hits, flt.addr,
                   flt.si, flt.di, flt.cx, (long)(si - (uintptr_t)region), (long)(di - (uintptr_t)region),
                   (unsigned long)cx, (unsigned long long)h.h);
        }
    signal(SIGSEGV, SIG_DFL);
}

int main(void)
{
    region = mmap(NULL, NPG * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    long_runs();
    static const unsigned counts[] = { 0, 1, 7, 33 };
    static const struct { unsigned si, di; } places[] = { { 400, 900 }, { 600, 1000 }, { 500, 504 }, { 504, 500 }, { 812, 556 } };
    static const uintptr_t axs[] = { 0x5a, 0x10f, 0x2d241b12 };
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        Hash h;
        hash_init(&h);
        for (int df = 0; df < 2; df++)
            for (size_t c = 0; c < 4; c++)
                for (size_t p = 0; p < sizeof places / sizeof places[0]; p++)
                    for (size_t a = 0; a < 3; a++) {
                        fill();
                        Regs r = { (uintptr_t)buf + places[p].si, (uintptr_t)buf + places[p].di, counts[c], axs[a], 0 };
                        ops[o].fn(&r, df);
                        char line[160];
                        snprintf(line, sizeof line, "%d %u %u %u %lx: si %ld di %ld cx %lu ax %lx fl %lx",
                                 df, counts[c], places[p].si, places[p].di, (unsigned long)axs[a],
                                 (long)(r.si - (uintptr_t)buf), (long)(r.di - (uintptr_t)buf),
                                 (unsigned long)r.cx, (unsigned long)r.ax, r.fl);
                        hash_str(&h, line);
                        hash_bytes(&h, buf, sizeof buf);
                    }
        printf("%s%s %016llx\n", ops[o].w64 ? "w: " : "", ops[o].name, (unsigned long long)h.h);
    }
    /* DF is clear again after a handler-free return: memcpy and memset work */
    char a[64], b[64];
    memset(a, 'x', sizeof a);
    memcpy(b, a, sizeof b);
    printf("libc after std/cld: %s\n", memcmp(a, b, sizeof a) == 0 ? "ok" : "broken");
    return 0;
}
