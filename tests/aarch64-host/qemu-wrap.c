/* tests/aarch64-host/qemu-wrap.c — runs the aarch64 build of a vemu
 * program under qemu-aarch64 as if it were a native program, for suites
 * that take the emulator as one path (tests/guest/run.sh's VEMU).  Not a
 * shell script: a shell would add PWD to the guest's environment.
 * Built by tests/aarch64-host/run.sh with QEMU, SYSROOT and PROGRAM
 * defined as strings.
 *
 * Without PROGRAM it is a binfmt_misc interpreter (flag P) for aarch64
 * programs: the kernel runs it as `wrap path argv0 args...`, and it runs
 * `qemu-aarch64 -L SYSROOT -0 argv0 path args...`, so an aarch64 vemu under
 * qemu can execve itself (a guest's execve) as on an aarch64 machine. */
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
#ifdef PROGRAM
    v[n++] = (char *)PROGRAM;
    for (int i = 1; i < argc; i++)
        v[n++] = argv[i];
#else
    if (argc < 3) {
        fprintf(stderr, "qemu-wrap: binfmt_misc interpreter: expected a path and argv0\n");
        return 127;
    }
    char **w = realloc(v, ((size_t)argc + 6) * sizeof *v);
    if (!w)
        return 127;
    v = w;
    v[n++] = (char *)"-0";
    v[n++] = argv[2];
    v[n++] = argv[1];
    for (int i = 3; i < argc; i++)
        v[n++] = argv[i];
#endif
    v[n] = NULL;
    execv(QEMU, v);
    fprintf(stderr, "qemu-wrap: cannot run %s: %s\n", QEMU, strerror(errno));
    return 127;
}
