/*
 * arm-conditions.c — conditional execution under every condition code and
 * every NZCV combination, MRS/MSR of the flags, and SWP/SWPB.
 *
 * The condition matrix prints one row per NZCV value and one column per
 * condition (1 = executed).  Further cases check that a condition that fails
 * suppresses everything an instruction does: flag updates, loads from a null
 * pointer, stores, branches with link.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#define COND_LIST(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) \
                     X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al)

#define RUN_COND(cc) {                                                     \
        uint32_t r;                                                        \
        __asm__ volatile("msr cpsr_f, %1\n\tmov %0, #0\n\tmov" #cc " %0, #1" \
                         : "=&r"(r) : "r"(flags) : "cc");                  \
        putchar(r ? '1' : '0');                                            \
    }
#define NAME_COND(cc) printf("%s ", #cc);

static void matrix(void)
{
    printf("NZCV ");
    COND_LIST(NAME_COND)
    printf("\n");
    for (uint32_t nzcv = 0; nzcv < 16; nzcv++) {
        uint32_t flags = nzcv << 28;
        printf("%c%c%c%c ", nzcv & 8 ? 'N' : 'n', nzcv & 4 ? 'Z' : 'z',
               nzcv & 2 ? 'C' : 'c', nzcv & 1 ? 'V' : 'v');
        /* one column per condition, padded like the header */
#define COL(cc) RUN_COND(cc) printf("  ");
        COND_LIST(COL)
#undef COL
        printf("\n");
    }
}

/* A flag-setting instruction whose condition fails must not change flags. */
static void suppressed_effects(void)
{
    for (uint32_t nzcv = 0; nzcv < 16; nzcv++) {
        uint32_t flags = nzcv << 28, out, r = 5;
        __asm__ volatile("msr cpsr_f, %2\n\t"
                         "addeqs %1, %1, #0x80000000\n\t"  /* only when Z */
                         "subnes %1, %1, #6\n\t"           /* only when !Z (flags from before) */
                         "mrs %0, cpsr"
                         : "=&r"(out), "+r"(r) : "r"(flags) : "cc");
        printf("flags %x: r=%08x flags after=%x\n", nzcv, r, out >> 28);
    }

    /* a failing condition must not perform the load (it would fault) */
    volatile uint32_t *null = 0;
    uint32_t v = 7;
    __asm__ volatile("msr cpsr_f, %2\n\tldrne %0, [%1]\n\tstrne %0, [%1]"
                     : "+r"(v) : "r"(null), "r"(0x40000000u) : "cc", "memory");
    printf("ldrne/strne from null with Z set: skipped, v=%u\n", v);

    /* conditional branch with link: only the taken one changes lr */
    for (int z = 0; z < 2; z++) {
        uint32_t hit = 0;
        __asm__ volatile("msr cpsr_f, %1\n\t"
                         "mov r0, #0\n\t"
                         "bleq 1f\n\t"
                         "b 2f\n"
                         "1:\tmov r0, #1\n\t"
                         "bx lr\n"
                         "2:\tmov %0, r0"
                         : "=r"(hit) : "r"(z ? 0x40000000u : 0) : "r0", "lr", "cc");
        printf("bleq with Z=%d: called=%u\n", z, hit);
    }
}

/* MRS/MSR: write each flag pattern (register and immediate forms), read back. */
static void mrs_msr(void)
{
    for (uint32_t nzcvq = 0; nzcvq < 32; nzcvq++) {
        uint32_t in = nzcvq << 27, out;
        __asm__ volatile("msr cpsr_f, %1\n\tmrs %0, cpsr" : "=r"(out) : "r"(in) : "cc");
        printf("msr %08x -> mrs flags %08x\n", in, out & 0xf8000000u);
    }
    uint32_t out;
    __asm__ volatile("msr cpsr_f, #0xa0000000\n\tmrs %0, cpsr" : "=r"(out) : : "cc");
    printf("msr #0xa0000000 -> %08x\n", out & 0xf8000000u);
    __asm__ volatile("msr APSR_nzcvq, #0x50000000\n\tmrs %0, APSR" : "=r"(out) : : "cc");
    printf("msr APSR_nzcvq #0x50000000 -> %08x\n", out & 0xf8000000u);
    /* user mode: the mode field reads as usr, and a syscall keeps the flags */
    __asm__ volatile("msr cpsr_f, #0x90000000\n\t"
                     "mov r7, %1\n\t"
                     "svc #0\n\t"
                     "mrs %0, cpsr"
                     : "=r"(out) : "i"(SYS_getpid) : "r0", "r7", "cc", "memory");
    printf("mode=%02x flags after svc=%08x\n", out & 0x1f, out & 0xf8000000u);
}

static void swap(void)
{
    static uint32_t word = 0x11223344;
    static uint8_t bytes[4] = { 0xaa, 0xbb, 0xcc, 0xdd };
    uint32_t old, val = 0xcafebabe;
    __asm__ volatile("swp %0, %1, [%2]" : "=&r"(old) : "r"(val), "r"(&word) : "memory");
    printf("swp: old=%08x mem=%08x\n", old, word);
    val = 0x55;
    __asm__ volatile("swp %0, %0, [%1]" : "+&r"(val) : "r"(&word) : "memory");
    printf("swp same reg: got=%08x mem=%08x\n", val, word);
    val = 0x123456ff;
    __asm__ volatile("swpb %0, %1, [%2]" : "=&r"(old) : "r"(val), "r"(&bytes[2]) : "memory");
    printf("swpb: old=%08x bytes=%02x %02x %02x %02x\n", old, bytes[0], bytes[1], bytes[2], bytes[3]);
}

int main(void)
{
    matrix();
    suppressed_effects();
    mrs_msr();
    swap();
    return 0;
}
