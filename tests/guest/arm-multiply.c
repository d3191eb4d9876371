/*
 * arm-multiply.c — the ARMv5TE multiply family, saturating arithmetic and
 * CLZ over a grid of awkward operands.
 *
 * Every case starts with the flags N Z C V Q set to a known pattern and
 * prints the result registers and the flags after, so both the arithmetic
 * and which flags each instruction may touch (MULS keeps C and V; SMLAxy
 * and QADD set the sticky Q) are compared with the oracle.
 */
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {
    0x00000000, 0x00000001, 0xffffffff, 0x7fffffff, 0x80000000, 0x12345678,
    0xfffe0003, 0x00018000, 0x00008000, 0xffff8000, 0x7fff7fff, 0x80017ffe,
};
#define NVALUES (sizeof values / sizeof values[0])

/* flags before each case: alternate between all-clear and C|V|Q set */
static uint32_t flags_in;

static char *flag_str(uint32_t cpsr)
{
    static char s[6];
    s[0] = cpsr & 0x80000000u ? 'N' : 'n';
    s[1] = cpsr & 0x40000000u ? 'Z' : 'z';
    s[2] = cpsr & 0x20000000u ? 'C' : 'c';
    s[3] = cpsr & 0x10000000u ? 'V' : 'v';
    s[4] = cpsr & 0x08000000u ? 'Q' : 'q';
    s[5] = 0;
    return s;
}

/* d = op(a, b, c) */
#define T3(insn, a, b, c) do {                                                  \
        uint32_t d_, f_;                                                        \
        __asm__ volatile("msr cpsr_f, %[fi]\n\t" insn "\n\tmrs %[f], cpsr"      \
                         : [d] "=&r"(d_), [f] "=&r"(f_)                         \
                         : [a] "r"(a), [b] "r"(b), [c] "r"(c), [fi] "r"(flags_in) \
                         : "cc");                                               \
        printf("%-8s %08x %08x %08x -> %08x %s\n", insn_name(insn),\
               a, b, c, d_, flag_str(f_));                                      \
    } while (0)

/* (hi:lo) = op(a, b, hi:lo) */
#define T4(insn, a, b, hi0, lo0) do {                                           \
        uint32_t lo_ = (lo0), hi_ = (hi0), f_;                                  \
        __asm__ volatile("msr cpsr_f, %[fi]\n\t" insn "\n\tmrs %[f], cpsr"      \
                         : [lo] "+&r"(lo_), [hi] "+&r"(hi_), [f] "=&r"(f_)      \
                         : [a] "r"(a), [b] "r"(b), [fi] "r"(flags_in)           \
                         : "cc");                                               \
        printf("%-8s %08x %08x %08x:%08x -> %08x:%08x %s\n", insn_name(insn),   \
               a, b, hi0, lo0, hi_, lo_, flag_str(f_));                         \
    } while (0)

/* the mnemonic: the text up to the first space */
static const char *insn_name(const char *insn)
{
    static char name[16];
    unsigned i = 0;
    while (insn[i] && insn[i] != ' ' && i < sizeof name - 1) {
        name[i] = insn[i];
        i++;
    }
    name[i] = 0;
    return name;
}

static void grid(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    T3("mul %[d], %[a], %[b]", a, b, c);
    T3("muls %[d], %[a], %[b]", a, b, c);
    T3("mla %[d], %[a], %[b], %[c]", a, b, c);
    T3("mlas %[d], %[a], %[b], %[c]", a, b, c);
    T4("umull %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("umulls %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("umlal %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("umlals %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smull %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smulls %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smlal %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smlals %[lo], %[hi], %[a], %[b]", a, b, c, d);

    T3("smulbb %[d], %[a], %[b]", a, b, c);
    T3("smulbt %[d], %[a], %[b]", a, b, c);
    T3("smultb %[d], %[a], %[b]", a, b, c);
    T3("smultt %[d], %[a], %[b]", a, b, c);
    T3("smulwb %[d], %[a], %[b]", a, b, c);
    T3("smulwt %[d], %[a], %[b]", a, b, c);
    T3("smlabb %[d], %[a], %[b], %[c]", a, b, c);
    T3("smlabt %[d], %[a], %[b], %[c]", a, b, c);
    T3("smlatb %[d], %[a], %[b], %[c]", a, b, c);
    T3("smlatt %[d], %[a], %[b], %[c]", a, b, c);
    T3("smlawb %[d], %[a], %[b], %[c]", a, b, c);
    T3("smlawt %[d], %[a], %[b], %[c]", a, b, c);
    T4("smlalbb %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smlalbt %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smlaltb %[lo], %[hi], %[a], %[b]", a, b, c, d);
    T4("smlaltt %[lo], %[hi], %[a], %[b]", a, b, c, d);

    T3("qadd %[d], %[a], %[b]", a, b, c);
    T3("qsub %[d], %[a], %[b]", a, b, c);
    T3("qdadd %[d], %[a], %[b]", a, b, c);
    T3("qdsub %[d], %[a], %[b]", a, b, c);
    T3("clz %[d], %[a]", a, b, c);
}

int main(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NVALUES; i++)
        for (unsigned j = 0; j < NVALUES; j++) {
            uint32_t c = values[(i + j + 3) % NVALUES];
            uint32_t d = values[(i * 5 + j) % NVALUES];
            flags_in = (n++ & 1) ? 0x38000000u : 0;
            grid(values[i], values[j], c, d);
        }
    /* CLZ of every single-bit and every low-mask value */
    for (int k = 0; k < 32; k++) {
        uint32_t one = 1u << k, mask = (one << 1) - 1, r1, r2;
        __asm__("clz %0, %1" : "=r"(r1) : "r"(one));
        __asm__("clz %0, %1" : "=r"(r2) : "r"(mask));
        printf("clz(1<<%d)=%u clz(mask %d)=%u\n", k, r1, k, r2);
    }
    return 0;
}
