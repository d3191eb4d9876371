/*
 * hwcap.c — prints AT_HWCAP, AT_HWCAP2 and AT_PLATFORM (for the -cpu
 * checks); with the argument "wait" it then reads stdin until EOF, so the
 * test can look at the running vemu's host mappings (-B).
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("hwcap=0x%lx hwcap2=0x%lx platform=%s\n", getauxval(AT_HWCAP), getauxval(AT_HWCAP2),
           plat ? plat : "(none)");
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "wait")) {
        char buf[64];
        while (read(0, buf, sizeof(buf)) > 0)
            ;
    }
    return 0;
}
