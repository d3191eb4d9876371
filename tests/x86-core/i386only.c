/*
 * i386only.c — instructions that exist only in 32-bit code (or behave
 * differently there): INC/DEC r32 (40-4F), PUSHA/POPA, the decimal adjusts,
 * AAM/AAD with other bases, SALC, BOUND in range, INTO without overflow,
 * LES/LDS, PUSH/POP of segment registers, 16-bit addressing (67), ENTER
 * with nesting, ARPL.  Prints the results; run.sh compares with qemu-i386.
 */
#include <stdio.h>
#include <string.h>

static unsigned flags_of(unsigned f)
{
    return f & 0x8d5;
}

int main(void)
{
    unsigned a, b, c, d, f;

    /* INC/DEC short forms keep CF */
    __asm__ volatile("stc; mov $0x7fffffff, %0; .byte 0x40; pushf; pop %1" : "=a"(a), "=r"(f));
    printf("inc40 %x %x\n", a, flags_of(f));
    __asm__ volatile("clc; mov $0, %0; .byte 0x49; pushf; pop %1" : "=c"(a), "=r"(f));
    printf("dec49 %x %x\n", a, flags_of(f));

    /* PUSHA/POPA round trip with changed registers in between */
    __asm__ volatile("mov $1, %%eax; mov $2, %%ecx; mov $3, %%edx; pusha; "
                     "mov $9, %%eax; mov $9, %%ecx; mov $9, %%edx; popa"
                     : "=a"(a), "=c"(b), "=d"(c) : : "memory");
    printf("pusha/popa %x %x %x\n", a, b, c);

    /* decimal adjusts over a table of inputs, CF and AF set by POPF */
    unsigned sum = 0;
    for (unsigned x = 0; x < 256; x += 7) {
        for (unsigned fl = 0; fl < 4; fl++) {
            unsigned in = 0x202 | (fl & 1) | (fl & 2) << 3;
            unsigned r1, r2, r3, r4, f1, f2, f3, f4;
            __asm__ volatile("push %3; popf; mov %2, %%eax; daa; pushf; pop %1" : "=&a"(r1), "=r"(f1) : "r"(x), "r"(in));
            __asm__ volatile("push %3; popf; mov %2, %%eax; das; pushf; pop %1" : "=&a"(r2), "=r"(f2) : "r"(x), "r"(in));
            __asm__ volatile("push %3; popf; mov %2, %%eax; aaa; pushf; pop %1" : "=&a"(r3), "=r"(f3) : "r"(x | 0x300), "r"(in));
            __asm__ volatile("push %3; popf; mov %2, %%eax; aas; pushf; pop %1" : "=&a"(r4), "=r"(f4) : "r"(x | 0x300), "r"(in));
            /* DAA/DAS: CF AF ZF SF PF defined; AAA/AAS: CF AF */
            sum = sum * 31 + (r1 & 0xff) + (f1 & 0xd5) * 7 + (r2 & 0xff) * 3 + (f2 & 0xd5) * 11;
            sum = sum * 31 + (r3 & 0xffff) + (f3 & 0x11) * 5 + (r4 & 0xffff) * 13 + (f4 & 0x11) * 17;
        }
    }
    printf("bcd %x\n", sum);
    __asm__ volatile("mov $0x1234, %%eax; aam $16; mov %%eax, %0; mov $0x0307, %%eax; aad $10" : "=r"(b), "=a"(a));
    printf("aam16 %x aad %x\n", b & 0xffff, a & 0xffff);
    __asm__ volatile("stc; .byte 0xd6; mov %%eax, %0; clc; .byte 0xd6" : "=r"(b), "=a"(a));
    printf("salc %x %x\n", b & 0xff, a & 0xff);

    /* BOUND in range, INTO without overflow */
    int bounds[2] = { -5, 10 };
    __asm__ volatile("mov $3, %%eax; bound %%eax, %1; mov $0, %%ecx; add $1, %%ecx; into" : "=c"(a) : "m"(bounds) : "eax");
    printf("bound/into ok %x\n", a);

    /* LES/LDS with the selectors the program already has */
    unsigned short ds;
    __asm__ volatile("mov %%ds, %0" : "=r"(ds));
    struct __attribute__((packed)) { unsigned off; unsigned short sel; } fp = { 0xabcdef01, ds };
    __asm__ volatile("les %2, %0; lds %2, %1; push %%ds; pop %%es" : "=r"(a), "=r"(b) : "m"(fp));
    printf("les/lds %x %x\n", a, b);

    /* PUSH/POP segment registers */
    __asm__ volatile("push %%es; push %%ds; pop %%ecx; pop %%edx; push %%fs; pop %%fs" : "=c"(a), "=d"(b));
    printf("push seg %x %x\n", a & 0xffff, b & 0xffff);

    /* 16-bit addressing: [bx+si+disp8] reading a word of a low buffer is
     * not possible in a 32-bit process (addresses < 64 KiB are unmapped):
     * LEA shows the wrapped 16-bit address instead */
    __asm__ volatile("push %%ebx; mov $0xfff0, %%ebx; mov $0x20, %%esi; lea 0x5(%%bx,%%si), %%eax; pop %%ebx"
                     : "=a"(a) : : "esi");
    __asm__ volatile("push %%ebp; mov $0x1234ffff, %%ebp; mov $2, %%edi; lea -3(%%bp,%%di), %%eax; pop %%ebp"
                     : "=a"(b) : : "edi");
    printf("addr16 %x %x\n", a, b);

    /* ENTER with nesting level 3 */
    __asm__ volatile("push %%ebp; mov %%esp, %%ebp; enter $8, $3; mov %%esp, %%eax; sub %%ebp, %%eax; "
                     "mov %%ebp, %%ecx; sub %%esp, %%ecx; leave; pop %%ebp"
                     : "=a"(a), "=c"(b) : : "memory");
    printf("enter nest %d %d\n", (int)a, (int)b);

    /* ARPL */
    __asm__ volatile("mov $0x28, %%eax; mov $0x3, %%ecx; arpl %%cx, %%ax; setz %%dl; movzbl %%dl, %%edx"
                     : "=a"(a), "=d"(d) : : "ecx");
    printf("arpl %x %x\n", a, d);
    return 0;
}
