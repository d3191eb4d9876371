/*
 * cpuinfo.c — what a program learns about an XScale model: AT_HWCAP,
 * AT_PLATFORM (compared with qemu-arm -cpu) and the /proc/cpuinfo lines the
 * kernel writes for it (qemu-arm shows the host's file, so run.sh checks
 * these against the kernel's naming: arch/arm/mm/proc-xscale.S).
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

int main(int argc, char **argv)
{
    printf("hwcap %#lx platform %s\n", getauxval(AT_HWCAP), (const char *)getauxval(AT_PLATFORM));
    if (argc < 2 || strcmp(argv[1], "cpuinfo") != 0)
        return 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "model name", 10) || !strncmp(line, "Features", 8) ||
            !strncmp(line, "CPU implementer", 15) || !strncmp(line, "CPU architecture", 16))
            fputs(line, stdout);
    return 0;
}
