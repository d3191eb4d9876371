/* smc.c — self-modifying code: (1) code written into an RWX buffer, run,
 * rewritten (a new immediate), run again, 1000 rounds; (2) the W^X way:
 * write into an RW mapping, mprotect to RX, run, back to RW, rewrite;
 * (3) a store that patches the very next instruction inside the running
 * block (the patched immediate must be what executes); (4) a loop whose
 * body rewrites an instruction further down the same block every
 * iteration; (5) with the argument "dual", two mappings of one memfd, one
 * writable, one executable. */
#include "x86u.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn_t)(void);

/* mov eax, imm32 ; ret */
static void emit_ret_imm(unsigned char *p, uint32_t imm)
{
    p[0] = 0xb8;
    memcpy(p + 1, &imm, 4);
    p[5] = 0xc3;
}

int main(int argc, char **argv)
{
    unsigned char *rwx = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long sum = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        emit_ret_imm(rwx + (i % 3) * 16, i * 7);   /* also move around */
        sum += ((fn_t)(rwx + (i % 3) * 16))();
    }
    printf("rwx rewrite: sum %ld\n", sum);

    unsigned char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sum = 0;
    for (uint32_t i = 0; i < 200; i++) {
        mprotect(w, 4096, PROT_READ | PROT_WRITE);
        emit_ret_imm(w, i * 13 + 1);
        mprotect(w, 4096, PROT_READ | PROT_EXEC);
        sum += ((fn_t)w)();
    }
    printf("w^x rewrite: sum %ld\n", sum);

    /* (3) mov byte [next+1], 0x2a ; next: mov eax, 0x11 ; ret
     * x86_64: c6 05 <rel32> 2a   (rip-relative to the immediate of the next insn)
     * i386:   c6 05 <abs32> 2a */
    unsigned char *p = rwx + 256;
    int k = 0;
    p[k++] = 0xc6; p[k++] = 0x05;
    int disp_at = k;
    k += 4;
    p[k++] = 0x2a;
    int next = k;
    emit_ret_imm(p + next, 0x11);
#ifdef __x86_64__
    int32_t rel = (int32_t)((next + 1) - (disp_at + 5));   /* relative to the end of the store */
    memcpy(p + disp_at, &rel, 4);
#else
    uint32_t abs = (uint32_t)(uintptr_t)(p + next + 1);
    memcpy(p + disp_at, &abs, 4);
#endif
    int r1 = ((fn_t)p)();
    /* reset the immediate, run again: the patch must happen again */
    p[next + 1] = 0x11;
    int r2 = ((fn_t)p)();
    printf("patch next insn: %x %x\n", r1, r2);

    /* (4) loop: ecx = 5; L: mov byte [imm_of_add], cl ; add eax, imm8 ; dec ecx ; jnz L ; ret
     * with eax starting at 0: each iteration adds the value just stored (ecx) */
    p = rwx + 512;
    k = 0;
    p[k++] = 0x31; p[k++] = 0xc0;                 /* xor eax, eax */
    p[k++] = 0xb9; p[k++] = 5; p[k++] = 0; p[k++] = 0; p[k++] = 0;   /* mov ecx, 5 */
    int loop = k;
    p[k++] = 0x88; p[k++] = 0x0d;                 /* mov [disp], cl */
    int d2 = k;
    k += 4;
    p[k++] = 0x83; p[k++] = 0xc0;                 /* add eax, imm8 */
    int imm_at = k;
    p[k++] = 0x00;
    p[k++] = 0xff; p[k++] = 0xc9;                 /* dec ecx */
    p[k++] = 0x75; p[k] = (unsigned char)(loop - (k + 1)); k++;   /* jnz loop */
    p[k++] = 0xc3;
#ifdef __x86_64__
    int32_t rel2 = (int32_t)(imm_at - (d2 + 4));
    memcpy(p + d2, &rel2, 4);
#else
    uint32_t abs2 = (uint32_t)(uintptr_t)(p + imm_at);
    memcpy(p + d2, &abs2, 4);
#endif
    printf("loop patching its own body: %d (5+4+3+2+1 = 15)\n", ((fn_t)p)());

    /* (5) two views of one memfd: only with the argument "dual" (a known
     * limitation of vemu and qemu-user, docs/quirks.md) */
    int fd = argc > 1 && strcmp(argv[1], "dual") == 0 ? memfd_create("smc", 0) : -1;
    if (fd >= 0 && ftruncate(fd, 4096) == 0) {
        unsigned char *wv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        unsigned char *xv = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        sum = 0;
        for (uint32_t i = 0; i < 100; i++) {
            emit_ret_imm(wv, i + 1000);
            sum += ((fn_t)xv)();
        }
        printf("dual mapping: sum %ld\n", sum);
    }
    return 0;
}
