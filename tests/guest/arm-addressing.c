/*
 * arm-addressing.c — every ARM load/store addressing mode.
 *
 * Each case runs one instruction (inline assembly) against a buffer with a
 * known byte pattern and prints the value loaded (or the words changed by a
 * store) and how far the base register moved (writeback).  Built at -O0 and
 * -O2 so the surrounding code differs too.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t mem[32] __attribute__((aligned(8)));
static uint32_t before[32];

/* bytes 0x81, 0xa6, 0xcb, ... so that byte and halfword loads see both signs */
static void reset(void)
{
    uint8_t *p = (uint8_t *)mem;
    for (unsigned i = 0; i < sizeof mem; i++)
        p[i] = (uint8_t)(i * 37 + 0x81);
    memcpy(before, mem, sizeof mem);
}

static int moved(const uint32_t *b) { return (int)((const char *)b - (const char *)(mem + 8)); }

static void show_changes(const char *name, const uint32_t *b)
{
    printf("%-36s base%+d", name, moved(b));
    for (int i = 0; i < 32; i++)
        if (mem[i] != before[i])
            printf(" [%d]=%08x", i - 8, mem[i]);
    printf("\n");
}

/* %0 = base (starts at mem + 8), %1 = loaded value, %2 = index register */
#define LOAD(insn, index) do {                                              \
        reset();                                                            \
        uint32_t *b = mem + 8, v = 0, ix = (index);                         \
        __asm__ volatile(insn : "+r"(b), "=&r"(v) : "r"(ix) : "memory", "cc"); \
        printf("%-36s value=%08x base%+d\n", insn " ix=" #index, v, moved(b)); \
    } while (0)

/* %0 = base, %1 = value to store, %2 = index register */
#define STORE(insn, value, index) do {                                      \
        reset();                                                            \
        uint32_t *b = mem + 8, v = (value), ix = (index);                   \
        __asm__ volatile(insn : "+r"(b) : "r"(v), "r"(ix) : "memory", "cc"); \
        show_changes(insn " ix=" #index, b);                                \
    } while (0)

/* RRX as an index shift reads the carry flag: set it first. */
#define LOAD_C(insn, index, carry) do {                                     \
        reset();                                                            \
        uint32_t *b = mem + 8, v = 0, ix = (index), c = (carry) ? 0x20000000u : 0; \
        __asm__ volatile("msr cpsr_f, %3\n\t" insn                          \
                         : "+r"(b), "=&r"(v) : "r"(ix), "r"(c) : "memory", "cc"); \
        printf("%-36s value=%08x base%+d\n", insn " C=" #carry, v, moved(b)); \
    } while (0)

/* Multiple loads into r4-r7 (cleared first); %0 = base. */
#define LDM(insn) do {                                                      \
        reset();                                                            \
        uint32_t *b = mem + 8, o[4];                                        \
        __asm__ volatile("mov r4, #0\n\tmov r5, #0\n\tmov r6, #0\n\tmov r7, #0\n\t" \
                         insn "\n\tstm %1, {r4-r7}"                         \
                         : "+r"(b) : "r"(o) : "r4", "r5", "r6", "r7", "memory"); \
        printf("%-36s r4-r7=%08x %08x %08x %08x base%+d\n", insn,           \
               o[0], o[1], o[2], o[3], moved(b));                           \
    } while (0)

/* Multiple stores of r4-r7 = 0x44444444.. 0x77777777; %0 = base. */
#define STM(insn) do {                                                      \
        reset();                                                            \
        uint32_t *b = mem + 8;                                              \
        __asm__ volatile("mov r4, %1\n\tmov r5, %2\n\tmov r6, %3\n\tmov r7, %4\n\t" \
                         insn                                               \
                         : "+r"(b) : "r"(0x44444444), "r"(0x55555555),      \
                           "r"(0x66666666), "r"(0x77777777)                 \
                         : "r4", "r5", "r6", "r7", "memory");               \
        show_changes(insn, b);                                              \
    } while (0)

/* LDM with the pc in the list: every slot holds the address of label 1,
 * so whichever words the mode picks, the load branches there. */
#define LDM_PC(insn) do {                                                   \
        reset();                                                            \
        uint32_t *b = mem + 8, r4v = 0, same = 0;                           \
        __asm__ volatile("adr r5, 1f\n\t"                                   \
                         "mov r6, #0\n"                                     \
                         "0:\n\tstr r5, [%2, r6, lsl #2]\n\t"               \
                         "add r6, r6, #1\n\tcmp r6, #32\n\tblo 0b\n\t"      \
                         "mov r4, #0\n\t"                                   \
                         insn "\n\t"                                        \
                         "mvn r4, #0\n"  /* skipped when the jump works */ \
                         "1:\n\tmov %1, r4\n\t"                             \
                         : "+r"(b), "=&r"(r4v) : "r"(mem) : "r4", "r5", "r6", "memory", "cc"); \
        same = r4v == (uint32_t)(uintptr_t)mem[0];                          \
        printf("%-36s jumped=%d r4=label:%d base%+d\n", insn,               \
               r4v != 0xffffffffu, same, moved(b));                               \
    } while (0)

static void single_word(void)
{
    LOAD("ldr %1, [%0]", 0);
    LOAD("ldr %1, [%0, #4]", 0);
    LOAD("ldr %1, [%0, #-4]", 0);
    LOAD("ldr %1, [%0, #-32]", 0);
    LOAD("ldr %1, [%0, #12]!", 0);
    LOAD("ldr %1, [%0, #-12]!", 0);
    LOAD("ldr %1, [%0], #8", 0);
    LOAD("ldr %1, [%0], #-8", 0);
    LOAD("ldr %1, [%0, %2]", 8);
    LOAD("ldr %1, [%0, -%2]", 8);
    LOAD("ldr %1, [%0, %2]!", 16);
    LOAD("ldr %1, [%0, -%2]!", 16);
    LOAD("ldr %1, [%0], %2", 4);
    LOAD("ldr %1, [%0], -%2", 4);
    LOAD("ldr %1, [%0, %2, lsl #2]", 3);
    LOAD("ldr %1, [%0, -%2, lsl #2]", 3);
    LOAD("ldr %1, [%0, %2, lsr #1]", 8);
    LOAD("ldr %1, [%0, %2, lsr #32]", 0x80000000u);
    LOAD("ldr %1, [%0, %2, asr #1]", 0xfffffff0u);
    LOAD("ldrb %1, [%0, %2, asr #32]", 0x80000000u);   /* base - 1 */
    LOAD("ldr %1, [%0, %2, ror #30]", 2);
    LOAD("ldr %1, [%0, %2, lsl #2]!", 5);
    LOAD("ldr %1, [%0, -%2, lsl #3]!", 2);
    LOAD("ldr %1, [%0], %2, lsl #2", 3);
    LOAD("ldr %1, [%0], -%2, asr #1", 8);
    LOAD_C("ldr %1, [%0, %2, rrx]", 8, 0);
    /* with C set the offset is 0x80000004: move the base down by 2^31 first */
    LOAD_C("sub %0, %0, #0x80000000\n\tldr %1, [%0, %2, rrx]\n\tadd %0, %0, #0x80000000", 8, 1);
    LOAD_C("ldr %1, [%0, -%2, rrx]", 16, 0);

    STORE("str %1, [%0]", 0xa5a5a5a5u, 0);
    STORE("str %1, [%0, #-8]", 0xa5a5a5a5u, 0);
    STORE("str %1, [%0, #8]!", 0x12345678u, 0);
    STORE("str %1, [%0], #-4", 0x12345678u, 0);
    STORE("str %1, [%0, %2, lsl #2]", 0xcafef00du, 2);
    STORE("str %1, [%0, -%2, lsl #2]!", 0xcafef00du, 2);
    STORE("str %1, [%0], %2", 0xcafef00du, 12);
}

static void bytes_and_halves(void)
{
    LOAD("ldrb %1, [%0, #1]", 0);
    LOAD("ldrb %1, [%0, #-3]", 0);
    LOAD("ldrb %1, [%0, #5]!", 0);
    LOAD("ldrb %1, [%0], #-1", 0);
    LOAD("ldrb %1, [%0, %2]", 7);
    LOAD("ldrb %1, [%0, -%2, lsl #1]!", 3);
    LOAD("ldrsb %1, [%0]", 0);
    LOAD("ldrsb %1, [%0, #1]", 0);
    LOAD("ldrsb %1, [%0, #-7]", 0);
    LOAD("ldrsb %1, [%0, #3]!", 0);
    LOAD("ldrsb %1, [%0], #-5", 0);
    LOAD("ldrsb %1, [%0, %2]", 6);
    LOAD("ldrsb %1, [%0, -%2]!", 9);
    LOAD("ldrh %1, [%0]", 0);
    LOAD("ldrh %1, [%0, #2]", 0);
    LOAD("ldrh %1, [%0, #-6]", 0);
    LOAD("ldrh %1, [%0, #10]!", 0);
    LOAD("ldrh %1, [%0], #-2", 0);
    LOAD("ldrh %1, [%0, %2]", 4);
    LOAD("ldrh %1, [%0, -%2]", 4);
    LOAD("ldrh %1, [%0, %2]!", 6);
    LOAD("ldrh %1, [%0], -%2", 6);
    LOAD("ldrsh %1, [%0]", 0);
    LOAD("ldrsh %1, [%0, #2]", 0);
    LOAD("ldrsh %1, [%0, #-2]", 0);
    LOAD("ldrsh %1, [%0, #-14]!", 0);
    LOAD("ldrsh %1, [%0], #2", 0);
    LOAD("ldrsh %1, [%0, %2]", 8);
    LOAD("ldrsh %1, [%0, -%2]!", 10);

    STORE("strb %1, [%0]", 0xfedcba98u, 0);
    STORE("strb %1, [%0, #3]", 0xfedcba98u, 0);
    STORE("strb %1, [%0, #-1]!", 0x01u, 0);
    STORE("strb %1, [%0], %2", 0x7fu, 5);
    STORE("strb %1, [%0, -%2, lsl #2]", 0x80u, 1);
    STORE("strh %1, [%0]", 0xfedcba98u, 0);
    STORE("strh %1, [%0, #2]", 0xfedcba98u, 0);
    STORE("strh %1, [%0, #-6]!", 0x1234u, 0);
    STORE("strh %1, [%0], #4", 0x8001u, 0);
    STORE("strh %1, [%0, %2]", 0xffffu, 10);
    STORE("strh %1, [%0, -%2]!", 0xffffu, 10);
}

static void doublewords(void)
{
    static const int offs[] = { 0, 8, -8 };
    for (unsigned i = 0; i < 3; i++) {
        register uint32_t lo __asm__("r4"), hi __asm__("r5");
        uint32_t *b = mem + 8;
        reset();
        switch (offs[i]) {
        case 0:  __asm__ volatile("ldrd r4, r5, [%2]" : "=r"(lo), "=r"(hi) : "r"(b) : "memory"); break;
        case 8:  __asm__ volatile("ldrd r4, r5, [%2, #8]" : "=r"(lo), "=r"(hi) : "r"(b) : "memory"); break;
        default: __asm__ volatile("ldrd r4, r5, [%2, #-8]" : "=r"(lo), "=r"(hi) : "r"(b) : "memory"); break;
        }
        printf("ldrd [base, #%d]                     r4=%08x r5=%08x\n", offs[i], lo, hi);
    }
    {
        register uint32_t lo __asm__("r4"), hi __asm__("r5");
        uint32_t *b = mem + 8, ix = 16;
        reset();
        __asm__ volatile("ldrd r4, r5, [%2, %3]!" : "=r"(lo), "=r"(hi), "+r"(b) : "r"(ix) : "memory");
        printf("ldrd [base, ix]! ix=16                r4=%08x r5=%08x base%+d\n", lo, hi, moved(b));
        reset();
        b = mem + 8;
        __asm__ volatile("ldrd r4, r5, [%2], #-16" : "=r"(lo), "=r"(hi), "+r"(b) : : "memory");
        printf("ldrd [base], #-16                     r4=%08x r5=%08x base%+d\n", lo, hi, moved(b));
        reset();
        b = mem + 8;
        __asm__ volatile("ldrd r4, r5, [%2, -%3]" : "=r"(lo), "=r"(hi), "+r"(b) : "r"(ix) : "memory");
        printf("ldrd [base, -ix] ix=16                r4=%08x r5=%08x base%+d\n", lo, hi, moved(b));
    }
    {
        uint32_t *b = mem + 8, ix = 8;
        reset();
        __asm__ volatile("mov r4, %2\n\tmov r5, %3\n\tstrd r4, r5, [%0, #8]"
                         : "+r"(b) : "r"(0), "r"(0x01234567), "r"(0x89abcdef) : "r4", "r5", "memory");
        show_changes("strd [base, #8]", b);
        reset();
        __asm__ volatile("mov r4, %2\n\tmov r5, %3\n\tstrd r4, r5, [%0, -%1]!"
                         : "+r"(b) : "r"(ix), "r"(0x01234567), "r"(0x89abcdef) : "r4", "r5", "memory");
        show_changes("strd [base, -ix]! ix=8", b);
        reset();
        b = mem + 8;
        __asm__ volatile("mov r4, %2\n\tmov r5, %3\n\tstrd r4, r5, [%0], #24"
                         : "+r"(b) : "r"(0), "r"(0x01234567), "r"(0x89abcdef) : "r4", "r5", "memory");
        show_changes("strd [base], #24", b);
    }
}

static void multiples(void)
{
    LDM("ldmia %0, {r4-r7}");
    LDM("ldmia %0!, {r4-r7}");
    LDM("ldmib %0, {r4-r7}");
    LDM("ldmib %0!, {r4, r6}");
    LDM("ldmda %0, {r4-r7}");
    LDM("ldmda %0!, {r5, r7}");
    LDM("ldmdb %0, {r4-r7}");
    LDM("ldmdb %0!, {r4-r7}");
    LDM("ldmia %0!, {r7}");
    LDM("ldmdb %0, {r4, r5, r6}");

    STM("stmia %0, {r4-r7}");
    STM("stmia %0!, {r4-r7}");
    STM("stmib %0, {r4-r7}");
    STM("stmib %0!, {r5}");
    STM("stmda %0, {r4-r7}");
    STM("stmda %0!, {r4, r7}");
    STM("stmdb %0, {r4-r7}");
    STM("stmdb %0!, {r4-r6}");

    LDM_PC("ldmia %0, {r4, pc}");
    LDM_PC("ldmia %0!, {r4, pc}");
    LDM_PC("ldmib %0!, {r4, pc}");
    LDM_PC("ldmda %0!, {r4, pc}");
    LDM_PC("ldmdb %0!, {r4, pc}");
    LDM_PC("ldmdb %0, {pc}");

    /* The stored pc is the address of the stm plus 8 on every ARM core
     * that Linux supports; print it relative to the instruction. */
    {
        uint32_t *b = mem + 8, at = 0;
        reset();
        __asm__ volatile("adr %1, 1f\n1:\tstmia %0, {r4, pc}" : "+r"(b), "=&r"(at) : : "r4", "memory");
        printf("stmia base, {r4, pc}                 stored pc = insn%+d\n", (int)(mem[9] - at));
    }
    /* ldm with the base register in the list and no writeback */
    {
        uint32_t *b = mem + 8;
        uint32_t r0v, r1v;
        reset();
        __asm__ volatile("mov r0, %2\n\tldmia r0, {r0, r1}\n\tmov %0, r0\n\tmov %1, r1"
                         : "=r"(r0v), "=r"(r1v) : "r"(b) : "r0", "r1", "memory");
        printf("ldmia r0, {r0, r1}                   r0=%08x r1=%08x\n", r0v, r1v);
    }
}

/* ldr pc, [table, index, lsl #2] — a jump table, as switch statements make. */
static void jump_table(void)
{
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t r = 0;
        __asm__ volatile("adr r4, 9f\n\t"
                         "ldr pc, [r4, %1, lsl #2]\n"
                         "9:\t.word 10f, 11f, 12f, 13f\n"
                         "10:\tmov %0, #100\n\tb 19f\n"
                         "11:\tmov %0, #111\n\tb 19f\n"
                         "12:\tmov %0, #122\n\tb 19f\n"
                         "13:\tmov %0, #133\n"
                         "19:"
                         : "=&r"(r) : "r"(i) : "r4");
        printf("ldr pc jump table [%u] -> %u\n", i, r);
    }
}

int main(void)
{
    single_word();
    bytes_and_halves();
    doublewords();
    multiples();
    jump_table();
    return 0;
}
