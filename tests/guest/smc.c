/*
 * smc.c — self-modifying code and run-time code generation, the way JITs
 * do it: write ARM instructions into memory, make the caches coherent
 * (__builtin___clear_cache, or the ARM cacheflush system call directly),
 * run them, patch them, and run again.  A translator that keeps running a
 * stale translation prints the old numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARM_NR_cacheflush 0x0f0002

/* instruction encodings used below */
#define MOV_R0_IMM(i)  (0xe3a00000u | (uint32_t)(i))        /* mov r0, #i (i < 256) */
#define ADD_R0_IMM(i)  (0xe2800000u | (uint32_t)(i))        /* add r0, r0, #i */
#define SUB_R0_IMM(i)  (0xe2400000u | (uint32_t)(i))        /* sub r0, r0, #i */
#define ADD_R0_R0_R1   0xe0800001u                          /* add r0, r0, r1 */
#define EOR_R0_R0_R1   0xe0200001u                          /* eor r0, r0, r1 */
#define SUBS_R1_1      0xe2511001u                          /* subs r1, r1, #1 */
#define BNE_BACK2      0x1afffffcu                          /* bne .-8 (two insns back) */
#define BX_LR          0xe12fff1eu
#define PUSH_R4_LR     0xe92d4010u
#define POP_R4_PC      0xe8bd8010u
#define MOV_R3_R0      0xe1a03000u
#define BLX_R3         0xe12fff33u

typedef int (*fn0)(void);
typedef int (*fn2)(int, int);   /* r0, r1 = loop count */
typedef int (*fn_cb)(int (*)(int));

static void flush(void *start, size_t len)
{
    __builtin___clear_cache((char *)start, (char *)start + len);
}

static uint32_t *patch_site;
static int patch_value = 10;   /* the first patch makes it "add r0, r0, #20" */
/* called from generated code: rewrites the instruction after the call site */
static int patcher(int x)
{
    patch_value += 10;
    *patch_site = ADD_R0_IMM(patch_value);
    syscall(ARM_NR_cacheflush, patch_site, patch_site + 1, 0);
    return x;
}

/* a static, page-aligned code area made executable with mprotect */
static uint32_t static_code[1024] __attribute__((aligned(4096)));

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    uint32_t *buf = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }

    /* 1. return a constant, then change the constant */
    buf[0] = MOV_R0_IMM(11);
    buf[1] = BX_LR;
    flush(buf, 8);
    printf("first: %d\n", ((fn0)buf)());
    buf[0] = MOV_R0_IMM(22);
    flush(buf, 8);
    printf("patched: %d\n", ((fn0)buf)());

    /* 2. patch the same hot function many times */
    long sum = 0;
    for (int i = 0; i < 256; i++) {
        buf[0] = MOV_R0_IMM(i);
        flush(buf, 4);
        for (int k = 0; k < 20; k++)
            sum += ((fn0)buf)();
    }
    printf("sum over 256 patches: %ld\n", sum);

    /* 3. a loop inside generated code; switch its body between add and eor */
    uint32_t *loop = buf + 16;
    loop[0] = MOV_R0_IMM(0);
    loop[1] = ADD_R0_R0_R1;
    loop[2] = SUBS_R1_1;
    loop[3] = BNE_BACK2;
    loop[4] = BX_LR;
    flush(loop, 20);
    printf("loop add: %d\n", ((fn2)loop)(0, 1000));
    loop[1] = EOR_R0_R0_R1;
    flush(loop, 20);
    printf("loop eor: %d\n", ((fn2)loop)(0, 1000));
    /* patch only the initial value: the loop body block is unchanged */
    loop[0] = MOV_R0_IMM(0x55);
    flush(loop, 4);
    printf("loop eor from 0x55: %d\n", ((fn2)loop)(0, 1000));

    /* 4. generated code calls C, which rewrites the very next instruction */
    uint32_t *g = buf + 64;
    g[0] = PUSH_R4_LR;
    g[1] = MOV_R3_R0;
    g[2] = MOV_R0_IMM(1);
    g[3] = BLX_R3;
    g[4] = ADD_R0_IMM(10);
    g[5] = POP_R4_PC;
    flush(g, 24);
    patch_site = &g[4];
    for (int i = 0; i < 4; i++)
        printf("callback patch round %d: %d\n", i, ((fn_cb)g)(patcher));

    /* 5. a static array made executable with mprotect, flushed with the raw syscall */
    uintptr_t start = (uintptr_t)static_code & ~(uintptr_t)(page - 1);
    if (mprotect((void *)start, page, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        return 1;
    }
    for (int round = 0; round < 3; round++) {
        static_code[0] = MOV_R0_IMM(100 + round);
        static_code[1] = SUB_R0_IMM(round * 3);
        static_code[2] = BX_LR;
        long rc = syscall(ARM_NR_cacheflush, static_code, static_code + 3, 0);
        printf("static round %d: %d (cacheflush rc %ld)\n", round, ((fn0)static_code)(), rc);
    }

    /* 6. unmap and map again at the same address with different code */
    void *addr = buf;
    munmap(buf, page);
    uint32_t *again = mmap(addr, page, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again == MAP_FAILED) {
        perror("mmap again");
        return 1;
    }
    again[0] = MOV_R0_IMM(77);
    again[1] = BX_LR;
    flush(again, 8);
    printf("remapped: %d\n", ((fn0)again)());

    /* 7. code written through a second, writable-only mapping of the same memory is
     *    not tested (needs memfd); instead write with PROT_EXEC removed, then restore */
    mprotect(again, page, PROT_READ | PROT_WRITE);
    again[0] = MOV_R0_IMM(88);
    mprotect(again, page, PROT_READ | PROT_EXEC);
    flush(again, 8);
    printf("after W^X flip: %d\n", ((fn0)again)());
    return 0;
}
