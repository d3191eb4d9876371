/* hello.c — the smallest useful guest: stdio, one syscall path, exit 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello from an ARM guest! argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("  argv[%d] = %s\n", i, argv[i]);
    return 0;
}
