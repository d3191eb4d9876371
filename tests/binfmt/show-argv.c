/* show-argv.c — an ARM guest program for tests/binfmt/run.sh: prints its
 * argument vector one per line, so the test can see exactly what argv[0]
 * and the arguments were after binfmt_misc and vemu-arm handled them. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    return 7;   /* a distinctive exit status: proves the program itself ran */
}
