/*
 * procinfo.c — what an x86 program learns about its machine: AT_HWCAP is
 * CPUID.1:EDX, AT_PLATFORM names the architecture, /proc/cpuinfo has the
 * kernel's x86 fields with flags agreeing with CPUID, uname's machine,
 * AT_PAGESZ, AT_RANDOM, /proc/self/auxv holding the same auxv in guest
 * words, and /proc/self/maps listing the stack and the program.  Prints
 * "name: ok" or "name: BAD" lines only, the same on i386 and x86_64.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "BAD"); }

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = 0;
    return buf;
}

int main(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    check("AT_PLATFORM", plat && !strcmp(plat, sizeof(void *) == 8 ? "x86_64" : "i686"));
    check("AT_PAGESZ", getauxval(AT_PAGESZ) == 4096);
    check("AT_RANDOM", getauxval(AT_RANDOM) != 0);
    struct utsname u;
    uname(&u);
    check("uname machine", !strcmp(u.machine, "x86_64") || !strcmp(u.machine, "i686"));

    char *ci = slurp("/proc/cpuinfo");
    check("cpuinfo: processor 0", ci && strstr(ci, "processor\t: 0\n"));
    check("cpuinfo: vendor_id", ci && strstr(ci, "vendor_id\t: "));
    check("cpuinfo: model name", ci && strstr(ci, "model name\t: "));
    char *fl = ci ? strstr(ci, "\nflags\t\t:") : NULL;
    char *eol = fl ? strchr(fl + 1, '\n') : NULL;
    if (eol)
        *eol = 0;
    check("cpuinfo: flags agree on fpu", fl && (d & 1) == (strstr(fl, " fpu ") != NULL));
    check("cpuinfo: flags agree on sse2", fl && ((d >> 26) & 1) == (strstr(fl, " sse2") != NULL));
    check("cpuinfo: flags agree on cmov", fl && ((d >> 15) & 1) == (strstr(fl, " cmov") != NULL));

    /* /proc/self/auxv: pairs of guest words, ending with AT_NULL.  Its
     * AT_HWCAP is the kernel's CPUID.1:EDX (the kernel may clear bits it
     * does not support; glibc's getauxval(AT_HWCAP) is its own value on
     * x86, so the file is where the raw one is seen). */
    FILE *f = fopen("/proc/self/auxv", "r");
    unsigned long kv[2], hwcap = 0;
    int found = 0, n = 0;
    while (f && fread(kv, sizeof(kv), 1, f) == 1 && n++ < 64) {
        if (kv[0] == AT_PAGESZ && kv[1] == 4096)
            found |= 1;
        if (kv[0] == AT_HWCAP) {
            hwcap = kv[1];
            found |= 2;
        }
        if (kv[0] == AT_NULL) {
            found |= 4;
            break;
        }
    }
    if (f)
        fclose(f);
    check("/proc/self/auxv", found == 7);
    check("AT_HWCAP within CPUID.1:EDX", (hwcap & ~(unsigned long)d) == 0);
    check("AT_HWCAP has tsc and cx8", (hwcap & 0x110) == 0x110);

    char *maps = slurp("/proc/self/maps");
    check("maps: [stack]", maps && strstr(maps, "[stack]"));
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0)
        exe[len] = 0;
    check("maps: the program", maps && len > 0 && strstr(maps, exe));
    char here;
    char addr[32];
    snprintf(addr, sizeof(addr), "%lx", (unsigned long)&here);
    int in_stack = 0;
    for (char *line = maps; line && *line;) {
        char *next = strchr(line, '\n');
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && (unsigned long)&here >= lo &&
            (unsigned long)&here < hi && strstr(line, "[stack]") && (!next || strstr(line, "[stack]") < next))
            in_stack = 1;
        line = next ? next + 1 : NULL;
    }
    check("maps: a local is in [stack]", in_stack);
    return 0;
}
