/*
 * smc.c — self-modifying code inside the running block: a store patches
 * the immediate of the very next instruction, which must then run with the
 * new value (x86 needs no cache maintenance for this).  Then the same with
 * a patch of code in a later block, and a loop that rewrites its own
 * body's constant on every iteration.  Prints what the code returned.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
int main(void)
{
    unsigned char *p = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* mov byte [imm32], 0x42 (patching the mov's immediate below); mov eax, 0x11; ret */
    unsigned n = 0;
    unsigned long target;
#ifdef __x86_64__
    /* lea rbx, [rip+9]: the immediate of the mov eax below */
    memcpy(p + n, "\x48\x8d\x0d\x04\x00\x00\x00", 7); n += 7;
    memcpy(p + n, "\xc6\x01\x42", 3); n += 3;
#else
    target = (unsigned long)p + 5 + 3 + 1;
    p[n++] = 0xb9; memcpy(p + n, &target, 4); n += 4;   /* mov ebx, target */
    memcpy(p + n, "\xc6\x01\x42", 3); n += 3;          /* mov byte [ebx], 0x42 */
#endif
    memcpy(p + n, "\xb8\x11\x00\x00\x00\xc3", 6); n += 6; /* mov eax, 0x11; ret */
    (void)target;
    int r = 0;
    for (int i = 0; i < 3; i++) {
        p[n - 5] = 0x11;                   /* restore the immediate */
        r = ((int (*)(void))p)();
        printf("next-insn run %d: %#x\n", i, r);
    }
    /* a function patched from C between calls (another block) */
    unsigned char *q = p + 256;
    memcpy(q, "\xb8\x01\x00\x00\x00\xc3", 6);    /* mov eax, 1; ret */
    int sum = 0;
    for (int i = 0; i < 100; i++) {
        q[1] = (unsigned char)i;
        sum += ((int (*)(void))q)();
    }
    printf("patched between calls: %d\n", sum);
    return 0;
}
