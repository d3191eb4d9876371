/* tests/aarch64-host/qemu-wrap.c — runs the aarch64 build of a vemu
 * program under qemu-aarch64 as if it were a native program, for suites
 * that take the emulator as one path (tests/guest/run.sh's VEMU).  Not a
 * shell script: a shell would add PWD to the guest's environment.
 * Built by tests/aarch64-host/run.sh with QEMU, SYSROOT and PROGRAM
 * defined as strings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char **v = calloc((size_t)argc + 4, sizeof *v);
    if (!v)
        return 127;
    int n = 0;
    v[n++] = (char *)QEMU;
    v[n++] = (char *)"-L";
    v[n++] = (char *)SYSROOT;
    v[n++] = (char *)PROGRAM;
    for (int i = 1; i < argc; i++)
        v[n++] = argv[i];
    v[n] = NULL;
    execv(QEMU, v);
    fprintf(stderr, "qemu-wrap: cannot run %s: %s\n", QEMU, strerror(errno));
    return 127;
}
