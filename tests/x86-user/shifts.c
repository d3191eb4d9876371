/* shifts.c — shl/shr/sar/rol/ror/rcl/rcr by cl and shld/shrd by cl, counts
 * 0..70 (0, and counts at and beyond the operand width: the count is masked
 * to 5 bits, 6 for 64-bit operands; rcl/rcr of bytes and words rotate
 * through width+1 bits), 8/16/32(/64)-bit, incoming flags clear and set.
 * Masked as the manual says: a masked count of 0 changes no flag; OF only
 * for a count of 1; AF never; CF after shl/shr of bytes/words by >= width;
 * shld/shrd of words by more than 16 (result and flags undefined) skipped.
 * One hash line per instruction and width; `-v NAME` prints the cases. */
#include "x86u.h"

#ifdef __x86_64__
#define FIN_C "r"
#else
#define FIN_C "g"
#endif

#define GEN(FN, TXT, T, C) \
static uint64_t FN(T a, T b, unsigned char c, unsigned long fin, unsigned *fl) \
{ \
    unsigned long f; \
    asm volatile(RZ_DOWN "push %[fin]\n\tpopf\n\t" RZ_UP TXT "\n\t" RZ_DOWN "pushf\n\tpop %[f]\n\t" RZ_UP \
        : [a] "+" C (a), [f] "=&r" (f) : [b] "r" (b), [c] "c" (c), [fin] FIN_C (fin) : "cc"); \
    *fl = (unsigned)f; (void)b; \
    return a; \
}
#define SH(X) X(shl, "shl %%cl, %[a]") X(shr, "shr %%cl, %[a]") X(sar, "sar %%cl, %[a]") \
    X(rol, "rol %%cl, %[a]") X(ror, "ror %%cl, %[a]") X(rcl, "rcl %%cl, %[a]") X(rcr, "rcr %%cl, %[a]")
#define SHD(X) X(shld, "shld %%cl, %[b], %[a]") X(shrd, "shrd %%cl, %[b], %[a]")

#define G8(n, t) GEN(n##_b, t, uint8_t, "q")
#define G16(n, t) GEN(n##_w, t, uint16_t, "r")
#define G32(n, t) GEN(n##_l, t, uint32_t, "r")
#define G64(n, t) GEN(n##_q, t, uint64_t, "r")
SH(G8) SH(G16) SH(G32) SHD(G16) SHD(G32)
#if W64
SH(G64) SHD(G64)
#endif

enum { K_SHIFT, K_ROT, K_RC, K_SHD };
typedef struct { const char *name; int width, kind; void *fn; } Op;
static int kind_of(const char *n)
{
    if (n[0] == 'r' && n[1] == 'c') return K_RC;
    if (n[0] == 'r') return K_ROT;
    if (n[2] == 'd' || n[3] == 'd') return K_SHD;
    return K_SHIFT;
}
#define R8(n, t) { #n ".b", 8, 0, (void *)n##_b },
#define R16(n, t) { #n ".w", 16, 0, (void *)n##_w },
#define R32(n, t) { #n ".l", 32, 0, (void *)n##_l },
#define R64(n, t) { #n ".q", 64, 0, (void *)n##_q },
static Op ops[] = { SH(R8) SH(R16) SH(R32) SHD(R16) SHD(R32)
#if W64
    SH(R64) SHD(R64)
#endif
};

static const uint64_t vals[] = { 0, 1, 0x80, 0x81, 0x8001, 0x7fff, 0x80000000, 0x80000001,
    0xdeadbeef, 0x12345678, 0xffffffff, 0x8000000000000001ull, 0xfedcba9876543210ull };
#define NV (sizeof vals / sizeof vals[0])

static uint64_t call(const Op *op, uint64_t a, uint64_t b, unsigned c, unsigned long fin, unsigned *fl)
{
    switch (op->width) {
    case 8: return ((uint64_t (*)(uint8_t, uint8_t, unsigned char, unsigned long, unsigned *))op->fn)((uint8_t)a, (uint8_t)b, (unsigned char)c, fin, fl);
    case 16: return ((uint64_t (*)(uint16_t, uint16_t, unsigned char, unsigned long, unsigned *))op->fn)((uint16_t)a, (uint16_t)b, (unsigned char)c, fin, fl);
    case 32: return ((uint64_t (*)(uint32_t, uint32_t, unsigned char, unsigned long, unsigned *))op->fn)((uint32_t)a, (uint32_t)b, (unsigned char)c, fin, fl);
    default: return ((uint64_t (*)(uint64_t, uint64_t, unsigned char, unsigned long, unsigned *))op->fn)(a, b, (unsigned char)c, fin, fl);
    }
}

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        Op *op = &ops[i];
        op->kind = kind_of(op->name);
        uint64_t mask = op->width == 64 ? ~0ull : (1ull << op->width) - 1;
        int v = verbose_for(op->name);
        Hash h;
        hash_init(&h);
        for (size_t ia = 0; ia < NV; ia++)
            for (size_t ib = 0; ib < (op->kind == K_SHD ? NV : 1); ib++)
                for (unsigned c = 0; c <= 70; c++)
                    for (int fi = 0; fi < 2; fi++) {
                        uint64_t a = vals[ia] & mask, b = vals[ib] & mask;
                        unsigned mc = c & (op->width == 64 ? 63 : 31);
                        if (op->kind == K_SHD && op->width == 16 && mc > 16)
                            continue;
                        unsigned long fin = 0x202 | (fi ? F_ARITH : 0);
                        unsigned fl, def = F_ARITH;
                        uint64_t r = call(op, a, b, c, fin, &fl) & mask;
                        if (mc != 0) {
                            if (mc != 1) def &= ~F_OF;
                            if (op->kind == K_SHIFT || op->kind == K_SHD) def &= ~F_AF;
                            if (op->kind == K_SHIFT && mc >= (unsigned)op->width) def &= ~F_CF;
                        }
                        char line[160];
                        snprintf(line, sizeof line, "%llx %llx %u %lx -> %llx %03x",
                                 (unsigned long long)a, (unsigned long long)b, c, fin,
                                 (unsigned long long)r, fl & def);
                        hash_str(&h, line);
                        if (v) puts(line);
                    }
        printf("%s%s %016llx\n", op->width == 64 ? "w: " : "", op->name, (unsigned long long)h.h);
    }
    return 0;
}
