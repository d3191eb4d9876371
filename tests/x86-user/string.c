/* string.c — movs/stos/lods/cmps/scas at every element size, without and
 * with rep/repe/repne, forwards (DF=0) and backwards (DF=1), counts 0, 1, 7
 * and 33, overlapping copies; prints the buffer's hash, where rsi/rdi/rcx
 * ended (as offsets into the buffer) and the flags cmps/scas left (a count
 * of 0 leaves the incoming flags, which are set to a known value). */
#include "x86u.h"

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

int main(void)
{
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
