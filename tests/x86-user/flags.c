/* flags.c — every flag producer followed directly by every jcc, setcc and
 * cmovcc, for 8/16/32(/64)-bit operands over a table of edge values, with
 * the incoming flags all clear and all set.  The condition follows its
 * producer in the same asm block, so a translator that fuses compare and
 * branch is exercised on its fused path; pushf right after the producer
 * checks the flags themselves.  Flags the manual leaves undefined for an
 * instruction (AF after logic ops, all but CF/OF after imul, ...) are masked
 * and the conditions reading them are printed as '-'.
 * One hash line per producer and width; `flags -v add.l` prints the cases. */
#include "x86u.h"

/* what xb_read stores: the 16 conditions, the flags (pushf) and CF (adc) */
typedef struct { char set[16]; uint32_t flags, cf; } XB;
typedef struct { uint64_t res; unsigned flags; char set[17], jcc[17], cmov[17]; XB xb; } Out;

#define XB_SET(cc, off) "set" #cc " " #off "(" XB_PTR ")\n\t"
#ifdef __x86_64__
#define XB_PTR "%rdi"
#define XB_PUSHF "pushf\n\tpop %rax\n\t"
#else
#define XB_PTR "%edi"
#define XB_PUSHF "pushf\n\tpop %eax\n\t"
#endif
void xb_read(void);
asm(".text\n\t.p2align 4\n\t.globl xb_read\n\t.type xb_read, @function\nxb_read:\n\t"
    XB_SET(o, 0) XB_SET(no, 1) XB_SET(b, 2) XB_SET(ae, 3) XB_SET(e, 4) XB_SET(ne, 5) XB_SET(be, 6)
    XB_SET(a, 7) XB_SET(s, 8) XB_SET(ns, 9) XB_SET(p, 10) XB_SET(np, 11) XB_SET(l, 12) XB_SET(ge, 13)
    XB_SET(le, 14) XB_SET(g, 15)
    XB_PUSHF "mov %eax, 16(" XB_PTR ")\n\t"
    "mov $0, %eax\n\tadc %eax, %eax\n\tmov %eax, 20(" XB_PTR ")\n\tret\n\t"
    ".size xb_read, .-xb_read\n\t.text");

#ifdef __x86_64__
#define FIN_C "r"
#define B8 "q"
#define BV "r"
#else
#define FIN_C "g"
#define B8 "qm"
#define BV "rm"
#endif

#define CCS(X, ...) X(o, __VA_ARGS__) X(no, __VA_ARGS__) X(b, __VA_ARGS__) X(ae, __VA_ARGS__) \
    X(e, __VA_ARGS__) X(ne, __VA_ARGS__) X(be, __VA_ARGS__) X(a, __VA_ARGS__) X(s, __VA_ARGS__) \
    X(ns, __VA_ARGS__) X(p, __VA_ARGS__) X(np, __VA_ARGS__) X(l, __VA_ARGS__) X(ge, __VA_ARGS__) \
    X(le, __VA_ARGS__) X(g, __VA_ARGS__)
/* the flags each condition (in CCS order) reads */
static const unsigned cc_reads[16] = {
    F_OF, F_OF, F_CF, F_CF, F_ZF, F_ZF, F_CF | F_ZF, F_CF | F_ZF, F_SF, F_SF, F_PF, F_PF,
    F_SF | F_OF, F_SF | F_OF, F_ZF | F_SF | F_OF, F_ZF | F_SF | F_OF };

#define PRE RZ_DOWN "push %[fin]\n\tpopf\n\t" RZ_UP

#define DO_SET(cc, TXT, T, C, CB) { T x = a; unsigned char r; \
    asm volatile(PRE TXT "\n\tset" #cc " %[r]" \
        : [a] "+" C (x), [r] "=&q" (r) : [b] CB (b), [fin] FIN_C (fin) : "cc"); \
    o->set[k++] = (char)('0' + r); }
#define DO_JCC(cc, TXT, T, C, CB) { T x = a; unsigned r; \
    asm volatile(PRE TXT "\n\tj" #cc " 1f\n\tmov $0, %[r]\n\tjmp 2f\n1:\tmov $1, %[r]\n2:" \
        : [a] "+" C (x), [r] "=&r" (r) : [b] CB (b), [fin] FIN_C (fin) : "cc"); \
    o->jcc[k++] = (char)('0' + r); }
#define DO_CMOV(cc, TXT, T, C, CB) { T x = a; unsigned r = 0; \
    asm volatile(PRE TXT "\n\tcmov" #cc " %[one], %[r]" \
        : [a] "+" C (x), [r] "+r" (r) : [b] CB (b), [fin] FIN_C (fin), [one] "r" (1u) : "cc"); \
    o->cmov[k++] = (char)('0' + r); }

#define GEN(FN, TXT, T, C, CB) \
static void FN(T a, T b, unsigned long fin, Out *o) \
{ \
    T x = a; unsigned long f; int k; \
    asm volatile(PRE TXT "\n\t" RZ_DOWN "pushf\n\tpop %[f]\n\t" RZ_UP \
        : [a] "+" C (x), [f] "=&r" (f) : [b] CB (b), [fin] FIN_C (fin) : "cc"); \
    o->res = (uint64_t)x; o->flags = (unsigned)f; \
    x = a; \
    asm volatile(PRE TXT "\n\t" RZ_DOWN "call *%[fn]\n\t" RZ_UP \
        : [a] "+" C (x) : [b] CB (b), [fin] FIN_C (fin), [fn] "r" (xb_read), "D" (&o->xb) \
        : "cc", "memory", "eax"); \
    k = 0; CCS(DO_SET, TXT, T, C, CB) \
    k = 0; CCS(DO_JCC, TXT, T, C, CB) \
    k = 0; CCS(DO_CMOV, TXT, T, C, CB) \
    o->set[16] = o->jcc[16] = o->cmov[16] = 0; \
}

/* name, text, width, defined flags */
#define OPS_ALL(X) \
    X(add, "add %[b], %[a]", F_ARITH) X(adc, "adc %[b], %[a]", F_ARITH) \
    X(sub, "sub %[b], %[a]", F_ARITH) X(sbb, "sbb %[b], %[a]", F_ARITH) \
    X(cmp, "cmp %[b], %[a]", F_ARITH) X(and, "and %[b], %[a]", F_ARITH & ~F_AF) \
    X(or, "or %[b], %[a]", F_ARITH & ~F_AF) X(xor, "xor %[b], %[a]", F_ARITH & ~F_AF) \
    X(test, "test %[b], %[a]", F_ARITH & ~F_AF) X(inc, "inc %[a]", F_ARITH) \
    X(dec, "dec %[a]", F_ARITH) X(neg, "neg %[a]", F_ARITH) \
    X(shl1, "shl %[a]", F_ARITH & ~F_AF) X(shr1, "shr %[a]", F_ARITH & ~F_AF) \
    X(sar1, "sar %[a]", F_ARITH & ~F_AF) X(rol1, "rol %[a]", F_ARITH) X(ror1, "ror %[a]", F_ARITH) \
    X(rcl1, "rcl %[a]", F_ARITH) X(rcr1, "rcr %[a]", F_ARITH)
/* not for bytes; the source must be a register for bt */
#define OPS_WIDE(X) \
    X(imul, "imul %[b], %[a]", F_CF | F_OF) X(bsf, "bsf %[b], %[a]", F_ZF) \
    X(bsr, "bsr %[b], %[a]", F_ZF) X(popcnt, "popcnt %[b], %[a]", F_ARITH) \
    X(lzcnt, "lzcnt %[b], %[a]", F_CF | F_ZF) X(tzcnt, "tzcnt %[b], %[a]", F_CF | F_ZF)
#define OPS_BT(X) X(bt, "bt %[b], %[a]", F_CF) X(bts, "bts %[b], %[a]", F_CF) \
    X(btr, "btr %[b], %[a]", F_CF) X(btc, "btc %[b], %[a]", F_CF)

#define GEN_B(n, t, m) GEN(n##_b, t, uint8_t, "q", B8)
#define GEN_W(n, t, m) GEN(n##_w, t, uint16_t, "r", BV)
#define GEN_L(n, t, m) GEN(n##_l, t, uint32_t, "r", BV)
#define GEN_Q(n, t, m) GEN(n##_q, t, uint64_t, "r", BV)
#define GENR_W(n, t, m) GEN(n##_w, t, uint16_t, "r", "r")
#define GENR_L(n, t, m) GEN(n##_l, t, uint32_t, "r", "r")
#define GENR_Q(n, t, m) GEN(n##_q, t, uint64_t, "r", "r")
OPS_ALL(GEN_B)
OPS_ALL(GEN_W) OPS_WIDE(GEN_W) OPS_BT(GENR_W)
OPS_ALL(GEN_L) OPS_WIDE(GEN_L) OPS_BT(GENR_L)
#if W64
OPS_ALL(GEN_Q) OPS_WIDE(GEN_Q) OPS_BT(GENR_Q)
#endif

typedef void (*Fn)(uint64_t a, uint64_t b, unsigned long fin, Out *o);
typedef struct { const char *name; int width; unsigned defined; void *fn; } Op;

#define ROW_B(n, t, m) { #n ".b", 8, m, (void *)n##_b },
#define ROW_W(n, t, m) { #n ".w", 16, m, (void *)n##_w },
#define ROW_L(n, t, m) { #n ".l", 32, m, (void *)n##_l },
#define ROW_Q(n, t, m) { #n ".q", 64, m, (void *)n##_q },
static const Op ops[] = {
    OPS_ALL(ROW_B)
    OPS_ALL(ROW_W) OPS_WIDE(ROW_W) OPS_BT(ROW_W)
    OPS_ALL(ROW_L) OPS_WIDE(ROW_L) OPS_BT(ROW_L)
#if W64
    OPS_ALL(ROW_Q) OPS_WIDE(ROW_Q) OPS_BT(ROW_Q)
#endif
};

static const uint64_t vals[] = {
    0, 1, 2, 3, 0x0f, 0x10, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
    0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xdeadbeef, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 0x0123456789abcdefull, 0x100000000ull };
#define NV (sizeof vals / sizeof vals[0])

static void call(const Op *op, uint64_t a, uint64_t b, unsigned long fin, Out *o)
{
    switch (op->width) {
    case 8: ((void (*)(uint8_t, uint8_t, unsigned long, Out *))op->fn)((uint8_t)a, (uint8_t)b, fin, o); break;
    case 16: ((void (*)(uint16_t, uint16_t, unsigned long, Out *))op->fn)((uint16_t)a, (uint16_t)b, fin, o); break;
    case 32: ((void (*)(uint32_t, uint32_t, unsigned long, Out *))op->fn)((uint32_t)a, (uint32_t)b, fin, o); break;
    default: ((void (*)(uint64_t, uint64_t, unsigned long, Out *))op->fn)(a, b, fin, o); break;
    }
}

int main(int argc, char **argv)
{
    parse_verbose(argc, argv);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const Op *op = &ops[i];
        uint64_t mask = op->width == 64 ? ~0ull : (1ull << op->width) - 1;
        int v = verbose_for(op->name);
        Hash h;
        hash_init(&h);
        for (size_t ia = 0; ia < NV; ia++)
            for (size_t ib = 0; ib < NV; ib++)
                for (int fi = 0; fi < 2; fi++) {
                    uint64_t a = vals[ia] & mask, b = vals[ib] & mask;
                    if (op->width < 64 && (vals[ia] > mask || vals[ib] > mask) && vals[ia] != ~0ull && vals[ib] != ~0ull)
                        continue;   /* truncations of wider values repeat narrower ones */
                    unsigned long fin = 0x202 | (fi ? F_ARITH : 0);
                    Out o;
                    call(op, a, b, fin, &o);
                    unsigned fl = o.flags & op->defined;
                    char xset[17];
                    for (int c = 0; c < 16; c++) {
                        xset[c] = (char)('0' + o.xb.set[c]);
                        if (cc_reads[c] & ~op->defined)
                            o.set[c] = o.jcc[c] = o.cmov[c] = xset[c] = '-';
                    }
                    xset[16] = 0;
                    unsigned xfl = o.xb.flags & op->defined, xcf = op->defined & F_CF ? o.xb.cf : 2;
                    char line[240];
                    snprintf(line, sizeof line, "%llx %llx %lx -> %llx %03x %s %s %s | %s %03x %u",
                             (unsigned long long)a, (unsigned long long)b, fin,
                             (unsigned long long)(o.res & mask), fl, o.set, o.jcc, o.cmov, xset, xfl, xcf);
                    hash_str(&h, line);
                    if (v) puts(line);
                }
        printf("%s%s %016llx\n", op->width == 64 ? "w: " : "", op->name, (unsigned long long)h.h);
    }
    return 0;
}
