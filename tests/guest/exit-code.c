/*
 * exit-code.c — process exit status: `exit-code N` exits with N through
 * exit(), `exit-code _N` through _exit() without flushing stdio (so the
 * buffered line is lost), `exit-code rN` by returning from main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("no arguments: returning 3\n");
        return 3;
    }
    printf("buffered output before exit\n");   /* stdout is a pipe: fully buffered */
    const char *a = argv[1];
    if (a[0] == '_') {
        write(1, "unbuffered line\n", 16);
        _exit(atoi(a + 1));
    }
    if (a[0] == 'r')
        return atoi(a + 1);
    exit(atoi(a));
}
