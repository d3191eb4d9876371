/* A guest program that executes argv[1] (a FIFO, in the test) and reports
 * what execve said: Linux refuses anything but a regular file with EACCES,
 * without opening it (opening a FIFO would wait for a writer). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    char *args[] = { argv[1], NULL };
    execv(argv[1], args);
    printf("execve %s: %s\n", errno == EACCES ? "EACCES" : "other error", strerror(errno));
    return 0;
}
