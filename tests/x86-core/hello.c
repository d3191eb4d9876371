/* hello.c — the smallest glibc program: stdio, argv, exit status. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from %d arguments:", argc);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 3;
}
