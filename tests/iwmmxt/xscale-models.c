/*
 * xscale-models.c — which cpu model runs which XScale coprocessor
 * instruction: the DSP accumulator (MAR, MIA, MIAPH, MIAxy, MRA: acc0 on
 * every XScale, wR0 on the PXA270), iWMMXt (PXA270 only) and the same
 * encodings on non-XScale models (undefined: SIGILL).  Each probe prints its
 * result or "SIGILL"; run under vemu-arm and qemu-arm with the same -cpu
 * (tests/iwmmxt/run.sh).  Values stay where qemu-arm's MIA is exact (its
 * product wraps at 32 bits, docs/quirks.md).  qemu-arm 7.2 -cpu pxa250
 * aborts ("tcg fatal error") on the DSP instructions, so for the PXA25x
 * the expected output is the PXA270's under qemu-arm with acc0's 40 bits
 * (MRA: RdHi[7:0]) and SIGILL for everything beyond acc0.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
uint64_t probe_data = 0x0123456789abcdefull;

static void on_sigill(int sig)
{
    (void)sig;
    siglongjmp(env, 1);
}

/* Runs `body` (which sets lo, hi); prints them or SIGILL. */
#define PROBE(name, body)                                                          \
    do {                                                                           \
        volatile uint32_t lo = 0, hi = 0;                                          \
        if (sigsetjmp(env, 1) == 0) {                                              \
            uint32_t l_ = 0, h_ = 0;                                               \
            body;                                                                  \
            lo = l_; hi = h_;                                                      \
            printf("%-10s %08x %08x\n", name, (unsigned)lo, (unsigned)hi);         \
        } else {                                                                   \
            printf("%-10s SIGILL\n", name);                                        \
        }                                                                          \
    } while (0)

int main(void)
{
    signal(SIGILL, on_sigill);
    /* MAR acc0, r_lo, r_hi (= TMCRR wR0); MRA r_lo, r_hi, acc0 (= TMRRC) */
    PROBE("mar-mra", __asm__ volatile(
        "ldr r4, =0x89abcdef\n\tldr r5, =0x01234567\n\t"
        ".word 0xec454000\n\t"       /* mar acc0, r4, r5 */
        ".word 0xec532000\n\t"       /* mra r2, r3, acc0 */
        "mov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_)
        : : "r2", "r3", "r4", "r5"));
    PROBE("mia", __asm__ volatile(
        "mov r4, #0\n\tmov r5, #0\n\t.word 0xec454000\n\t"
        "ldr r1, =0x1234\n\tldr r2, =-0x5678\n\t"
        ".word 0xee202011\n\t"       /* mia acc0, r1, r2 */
        ".word 0xee202011\n\t"
        ".word 0xec532000\n\t"
        "mov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_)
        : : "r1", "r2", "r3", "r4", "r5"));
    PROBE("miaph", __asm__ volatile(
        "ldr r4, =0xfffffff0\n\tldr r5, =0xff\n\t.word 0xec454000\n\t"
        "ldr r1, =0x7fff8000\n\tldr r2, =0x80007fff\n\t"
        ".word 0xee282011\n\t"       /* miaph acc0, r1, r2 */
        ".word 0xec532000\n\t"
        "mov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_)
        : : "r1", "r2", "r3", "r4", "r5"));
    PROBE("miaxy", __asm__ volatile(
        "mov r4, #0\n\tmov r5, #0\n\t.word 0xec454000\n\t"
        "ldr r1, =0x80027fff\n\tldr r2, =0x00038005\n\t"
        ".word 0xee2c2011\n\t"       /* miabb */
        ".word 0xee2d2011\n\t"       /* miabt */
        ".word 0xee2e2011\n\t"       /* miatb */
        ".word 0xee2f2011\n\t"       /* miatt */
        ".word 0xec532000\n\t"
        "mov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_)
        : : "r1", "r2", "r3", "r4", "r5"));
    PROBE("mia-cond", __asm__ volatile(
        "mov r4, #7\n\tmov r5, #0\n\t.word 0xec454000\n\t"
        "mov r1, #3\n\tmov r2, #5\n\tcmp r1, r1\n\t"
        ".word 0x1e202011\n\t"       /* mia<ne>: not executed */
        ".word 0x0e202011\n\t"       /* mia<eq> */
        ".word 0xec532000\n\t"
        "mov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_)
        : : "r1", "r2", "r3", "r4", "r5", "cc"));
    PROBE("acc1", __asm__ volatile(".word 0xec454001" ::: "memory"));     /* mar acc1 */
    PROBE("wor", __asm__ volatile(".word 0xee000000" ::: "memory"));      /* wor wr0, wr0, wr0 */
    PROBE("tmrc-wcid", __asm__ volatile(".word 0xee100110\n\tmov %0, r0" : "=r"(l_) : : "r0"));
    PROBE("wldrd", __asm__ volatile("ldr r0, =probe_data\n\t.word 0xedd01100\n\t" /* wldrd wr1, [r0] */
                                    ".word 0xec532001\n\tmov %0, r2\n\tmov %1, r3" : "=r"(l_), "=r"(h_) : : "r0", "r2", "r3"));
    PROBE("cp1-mrc", __asm__ volatile(".word 0xee110110\n\tmov %0, r0" : "=r"(l_) : : "r0"));
    return 0;
}
