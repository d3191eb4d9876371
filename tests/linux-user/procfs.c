/* /proc as the guest sees it: maps (guest addresses, protections, names),
 * auxv (the guest's), cpuinfo (an ARM cpu whose Features match AT_HWCAP),
 * cmdline, stat, and the same through /proc/<pid>/.  Prints "ok"/"BAD"
 * lines only, so the output is the same on every machine. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

static int check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "BAD");
    return ok;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char bufs[4][65536];
    static int next;
    char *b = bufs[next++ & 3];
    *len = fread(b, 1, sizeof(bufs[0]) - 1, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

/* The maps line containing addr, or NULL. */
static const char *maps_line(const char *maps, uintptr_t addr, char *line, size_t n)
{
    for (const char *p = maps; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        unsigned long s, en;
        if (sscanf(p, "%lx-%lx", &s, &en) == 2 && addr >= s && addr < en) {
            snprintf(line, n, "%.*s", (int)l, p);
            return line;
        }
        p += l + (e ? 1 : 0);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    size_t len;
    char line[512], path[64];
    const char *maps = slurp("/proc/self/maps", &len);
    check("maps readable", maps && len > 0);
    /* Our code: r-xp, named after the executable. */
    const char *l = maps_line(maps, (uintptr_t)&main, line, sizeof(line));
    check("maps: main in an r-x mapping", l && strstr(l, " r-xp "));
    check("maps: code mapping named after the program", l && strstr(l, "/procfs"));
    /* 32-bit addresses: 8 hex digits. */
    check("maps: 8-digit addresses", l && strchr(l, '-') - l == 8);
    int local;
    l = maps_line(maps, (uintptr_t)&local, line, sizeof(line));
    check("maps: stack is [stack], rw-p", l && strstr(l, "[stack]") && strstr(l, " rw-p "));
    /* A fresh mapping with its protections, changed by mprotect. */
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m + 4096, 4096, PROT_READ);
    maps = slurp("/proc/self/maps", &len);
    l = maps_line(maps, (uintptr_t)m + 4096, line, sizeof(line));
    unsigned long s = 0, e = 0;
    if (l)
        sscanf(l, "%lx-%lx", &s, &e);
    check("maps: mprotect splits a mapping", l && strstr(l, " r--p ") && s == (uintptr_t)m + 4096 && e == s + 4096);
    /* A file mapping carries the file's name and offset. */
    FILE *tf = fopen("procfs-mapped.tmp", "w+");
    for (int i = 0; i < 3 * 4096; i++)
        fputc('a', tf);
    fflush(tf);
    char *fm = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(tf), 8192);
    maps = slurp("/proc/self/maps", &len);
    l = maps_line(maps, (uintptr_t)fm, line, sizeof(line));
    check("maps: file mapping named, shared, offset 2000", l && strstr(l, "procfs-mapped.tmp") && strstr(l, " r--s 00002000 "));
    munmap(fm, 4096);
    fclose(tf);
    unlink("procfs-mapped.tmp");

    /* auxv: the guest's vector, 32-bit pairs. */
    const uint32_t *av = (const uint32_t *)slurp("/proc/self/auxv", &len);
    int found_pagesz = 0, found_hwcap = 0, terminated = 0;
    for (size_t i = 0; i + 1 < len / 4; i += 2) {
        if (av[i] == AT_PAGESZ && av[i + 1] == 4096)
            found_pagesz = 1;
        if (av[i] == AT_HWCAP && av[i + 1] == getauxval(AT_HWCAP))
            found_hwcap = 1;
        if (av[i] == AT_NULL)
            terminated = i + 2 == len / 4;
    }
    check("auxv: AT_PAGESZ 4096", found_pagesz);
    check("auxv: AT_HWCAP as getauxval says", found_hwcap);
    check("auxv: ends with AT_NULL", terminated);

    /* cpuinfo: an ARM cpu, Features = AT_HWCAP's names. */
    const char *ci = slurp("/proc/cpuinfo", &len);
    check("cpuinfo: processor 0", ci && strstr(ci, "processor\t: 0"));
    check("cpuinfo: model name ARM", ci && strstr(ci, "model name\t: ARM"));
    check("cpuinfo: CPU implementer 0x41", ci && strstr(ci, "CPU implementer\t: 0x41"));
    check("cpuinfo: CPU architecture", ci && strstr(ci, "CPU architecture: "));
    const char *feat = ci ? strstr(ci, "Features\t:") : NULL;
    static const char *const names[] = { "swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfp", "edsp",
                                         "java", "iwmmxt", "crunch", "thumbee", "neon", "vfpv3", "vfpv3d16",
                                         "tls", "vfpv4", "idiva", "idivt", "vfpd32", "lpae", "evtstrm" };
    int match = feat != NULL;
    if (feat) {
        char fl[512];
        sscanf(feat, "Features\t:%511[^\n]", fl);
        strcat(fl, " ");
        unsigned long hw = getauxval(AT_HWCAP);
        for (unsigned b = 0; b < sizeof(names) / sizeof(names[0]); b++) {
            char w[32];
            snprintf(w, sizeof(w), " %s ", names[b]);
            if (!!(hw & (1ul << b)) != !!strstr(fl, w))
                match = 0;
        }
        /* AT_HWCAP2's names follow (only crc32 can be set today) */
        if (!!(getauxval(AT_HWCAP2) & (1ul << 4)) != !!strstr(fl, " crc32 "))
            match = 0;
    }
    check("cpuinfo: Features match AT_HWCAP", match);

    /* cmdline: argv, NUL-separated. */
    const char *cl = slurp("/proc/self/cmdline", &len);
    size_t want = 0;
    for (int i = 0; i < argc; i++)
        want += strlen(argv[i]) + 1;
    check("cmdline: argv", cl && len == want && strcmp(cl, argv[0]) == 0 && strcmp(cl + strlen(argv[0]) + 1, argv[1]) == 0);
    /* stat: our pid, our name, start of stack near our stack. */
    const char *st = slurp("/proc/self/stat", &len);
    char comm[64] = "";
    int pid = 0;
    sscanf(st, "%d (%63[^)])", &pid, comm);
    check("stat: pid and name", pid == getpid() && strcmp(comm, "procfs") == 0);
    const char *rp = strrchr(st, ')');
    unsigned long long field[60] = { 0 };
    int n = 3;
    for (char *tok = strtok((char *)rp + 2, " "); tok && n < 60; tok = strtok(NULL, " "), n++)
        field[n] = strtoull(tok, NULL, 0);
    check("stat: startstack above our locals", field[28] > (uintptr_t)&local && field[28] - (uintptr_t)&local < (1 << 20));
    check("stat: startcode <= main < endcode", field[26] <= (uintptr_t)&main && (uintptr_t)&main < field[27]);
    snprintf(path, sizeof(path), "/proc/%d/cmdline", getpid());
    const char *cl2 = slurp(path, &len);
    check("/proc/<pid>/cmdline is ours", cl2 && len == want && strcmp(cl2, argv[0]) == 0);
    snprintf(path, sizeof(path), "/proc/%d/maps", getpid());
    check("/proc/<pid>/maps is the guest's", strstr(slurp(path, &len), "[stack]") != NULL);
    return 0;
}
