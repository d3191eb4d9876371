/*
 * auxv.c — what the loader hands a new process: argc/argv, the environment
 * (run with a fixed `env -i` set by the test runner), and the auxiliary
 * vector.  Values that legitimately differ between emulators (AT_HWCAP,
 * addresses) are reduced to facts: page size, non-null, readable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    printf("argv[0] ends with auxv: %d\n", strstr(argv[0], "auxv") != NULL);
    /* the order of the environment is not the point: sort what we print */
    int n = 0, m = 0;
    const char *mine[16];
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "VEMU_T", 6) == 0 && m < 16)
            mine[m++] = *e;
        else if (!strstr(*e, "SAN_OPTIONS="))   /* sanitizer settings of a vemu-arm ASan build */
            n++;
    qsort(mine, m, sizeof mine[0], cmp_str);
    for (int i = 0; i < m; i++)
        printf("env %s\n", mine[i]);
    printf("environ == envp: %d, other variables: %d\n", environ == envp, n);
    printf("getenv(VEMU_TEST_A)=%s\n", getenv("VEMU_TEST_A") ? getenv("VEMU_TEST_A") : "(null)");

    printf("AT_PAGESZ=%lu sysconf=%ld\n", getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM non-null: %d\n", rnd != NULL);
    if (rnd) {
        volatile unsigned x = 0;
        for (int i = 0; i < 16; i++)   /* readable: touch all 16 bytes */
            x += rnd[i];
        printf("AT_RANDOM readable: 1\n");
    }
    printf("AT_PHDR non-null: %d AT_PHENT=%lu AT_ENTRY non-null: %d\n", getauxval(AT_PHDR) != 0,
           getauxval(AT_PHENT), getauxval(AT_ENTRY) != 0);
    printf("AT_UID matches getuid: %d AT_EGID matches getegid: %d AT_SECURE=%lu\n",
           getauxval(AT_UID) == getuid(), getauxval(AT_EGID) == getegid(), getauxval(AT_SECURE));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN ends with auxv: %d\n", execfn && strstr(execfn, "auxv") != NULL);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM starts with v: %d\n", plat && plat[0] == 'v');
    /* the stack is where argv lives: it must be writable */
    argv[0][0] = argv[0][0];
    return 0;
}
