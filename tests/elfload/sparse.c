/* A valid program whose segments span a large address range: data placed
 * 1.5 GiB above the text (linked with --section-start=.far=0x60000000),
 * and a 512 MiB bss.  It prints what it finds there. */
#include <stdio.h>
#include <string.h>

/* Initialised, so it is a file-backed segment of its own far away. */
__attribute__((section(".far"))) char far_data[64] = "far away data";
/* A 512 MiB bss between them. */
char big_bss[512u << 20];

int main(void)
{
    char *volatile b = big_bss;
    b[0] = 1;
    b[sizeof(big_bss) - 1] = 2;
    far_data[20] = 'x';
    printf("%s %c %d %d\n", far_data, far_data[20], b[0], b[sizeof(big_bss) - 1]);
    return 0;
}
