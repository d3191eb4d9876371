/*
 * procfs.c — generated /proc files for the guest (see procfs.h).
 *
 * maps is built from the page-state table (what the guest mapped, with the
 * guest's protections) and named from three sources: ranges the loader
 * noted (ELF segments copied into anonymous memory, special pages), the
 * stack and heap, and for file mappings the host's own /proc/self/maps
 * (a guest file mmap is a host file mmap into the reservation).  Lines
 * have the layout of a 32-bit kernel: 8-digit addresses, names from
 * column 49.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/procfs.h"
#include "linux-user/process.h"

extern const char *guest_exe_path;

/* ---- what procfs_init and the loader recorded ---------------------------- */

typedef struct NamedRange {
    uint64_t start, end, offset;
    char *name;
    dev_t dev;
    ino_t ino;
} NamedRange;

#define MAX_NAMED 64
static NamedRange named[MAX_NAMED];
static int n_named;
static pthread_mutex_t named_lock = PTHREAD_MUTEX_INITIALIZER;

static uint8_t auxv_copy[64 * 8];
static size_t auxv_len;
static uint64_t arg_start, arg_end, env_start, env_end, start_stack;
static uint64_t stack_lo, stack_hi;
static LinuxImageInfo image;

void procfs_fork_child(void)
{
    pthread_mutex_init(&named_lock, NULL);
}

void procfs_note_image(uint64_t start, uint64_t end, const char *name, uint64_t offset)
{
    pthread_mutex_lock(&named_lock);
    if (n_named < MAX_NAMED) {
        NamedRange *r = &named[n_named++];
        r->start = start;
        r->end = end;
        r->offset = offset;
        r->name = strdup(name);
        struct stat st;
        char buf[4096 + 256];
        if (name[0] == '/' && stat(guest_path(name, buf, sizeof(buf)), &st) == 0) {
            r->dev = st.st_dev;
            r->ino = st.st_ino;
        }
    }
    pthread_mutex_unlock(&named_lock);
}

/* A guest word of the initial stack (4 or 8 bytes). */
static uint64_t ld_word(uint64_t a, unsigned ws)
{
    uint64_t v = 0;
    memcpy(&v, g2h(a), ws);
    return v;
}

void procfs_init(const LinuxImageInfo *info)
{
    image = *info;
    unsigned ws = linux_target.fe->guest_bits / 8;
    uint64_t sp = info->sp;
    start_stack = sp;
    stack_lo = info->stack_limit;
    stack_hi = info->stack_top;
    uint64_t argc = ld_word(sp, ws);
    uint64_t p = sp + ws;
    if (argc) {
        arg_start = ld_word(p, ws);
        uint64_t last = ld_word(p + (argc - 1) * ws, ws);
        arg_end = last + strlen(g2h(last)) + 1;
    }
    p += (argc + 1) * ws;
    uint64_t envp = p;
    unsigned envc = 0;
    while (ld_word(p, ws)) {
        p += ws;
        envc++;
    }
    if (envc) {
        env_start = ld_word(envp, ws);
        uint64_t last = ld_word(envp + (envc - 1) * ws, ws);
        env_end = last + strlen(g2h(last)) + 1;
    }
    p += ws;
    /* auxv: pairs of guest words up to and including AT_NULL. */
    auxv_len = 0;
    while (auxv_len + 2 * ws <= sizeof(auxv_copy)) {
        uint64_t k = ld_word(p, ws), v = ld_word(p + ws, ws);
        memcpy(auxv_copy + auxv_len, &k, ws);
        memcpy(auxv_copy + auxv_len + ws, &v, ws);
        auxv_len += 2 * ws;
        p += 2 * ws;
        if (k == 0)
            break;
    }
}

/* ---- maps ------------------------------------------------------------------ */

typedef struct HostMap {
    uint64_t gstart, gend;   /* guest addresses */
    uint64_t offset;
    unsigned maj, min;
    uint64_t ino;
    char shared;
    char name[256];
} HostMap;

/* The host's mappings inside the guest space with a file behind them. */
static int read_host_maps(HostMap **out)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return -errno;
    int n = 0, cap = 0;
    HostMap *v = NULL;
    char line[4096 + 128];
    while (fgets(line, sizeof(line), f)) {
        uint64_t s, e, off, ino;
        unsigned maj, min;
        char perms[8];
        int pos = 0;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n", &s, &e, perms,
                   &off, &maj, &min, &ino, &pos) < 7)
            continue;
        if (e <= guest_base || s >= guest_base + guest_space_size || ino == 0)
            continue;
        char *name = line + pos;
        name[strcspn(name, "\n")] = 0;
        if (!name[0])
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            HostMap *nv = realloc(v, sizeof(*v) * (size_t)cap);
            if (!nv)
                break;
            v = nv;
        }
        HostMap *m = &v[n++];
        uint64_t cs = s < guest_base ? guest_base : s;
        m->gstart = cs - guest_base;
        m->gend = (e > guest_base + guest_space_size ? guest_base + guest_space_size : e) - guest_base;
        m->offset = off + (cs - s);
        m->maj = maj;
        m->min = min;
        m->ino = ino;
        m->shared = perms[3] == 's' ? 's' : 'p';
        snprintf(m->name, sizeof(m->name), "%s", name);
    }
    fclose(f);
    *out = v;
    return n;
}

/* Where a guest page's name comes from: >= 0 a host map, -1 - i the
 * named range i, INT32_MIN none. */
static int source_of(uint64_t a, const HostMap *hm, int nh)
{
    for (int i = 0; i < n_named; i++)
        if (a >= named[i].start && a < named[i].end)
            return -1 - i;
    int lo = 0, hi = nh;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (a < hm[mid].gstart)
            hi = mid;
        else if (a >= hm[mid].gend)
            lo = mid + 1;
        else
            return mid;
    }
    return INT32_MIN;
}

int procfs_write_maps(FILE *out)
{
    HostMap *hm = NULL;
    int nh = read_host_maps(&hm);
    if (nh < 0)
        return nh;
    uint64_t heap_start, heap_end;
    guest_brk_range(&heap_start, &heap_end);
    uint64_t npages = guest_space_size >> GUEST_PAGE_BITS;
    const unsigned keep = PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    pthread_mutex_lock(&named_lock);
    uint64_t pg = 0;
    while (pg < npages) {
        unsigned f = guest_page_flags[pg] & keep;
        if (!(f & PAGE_VALID)) {
            /* A 64-bit guest's table is mostly zero: skip it a word at a
             * time (an empty table is the only cost of a large space). */
            pg++;
            while ((pg & 7) == 0 && pg + 8 <= npages) {
                uint64_t w;
                memcpy(&w, guest_page_flags + pg, 8);
                if (w)
                    break;
                pg += 8;
            }
            continue;
        }
        uint64_t start = pg << GUEST_PAGE_BITS;
        int src = source_of(start, hm, nh);
        uint64_t end_pg = pg + 1;
        while (end_pg < npages && (guest_page_flags[end_pg] & keep) == f &&
               source_of(end_pg << GUEST_PAGE_BITS, hm, nh) == src)
            end_pg++;
        uint64_t end = end_pg << GUEST_PAGE_BITS;
        const char *name = "";
        uint64_t off = 0, ino = 0;
        unsigned maj = 0, min = 0;
        char shared = 'p';
        if (src >= 0) {
            name = hm[src].name;
            off = hm[src].offset + (start - hm[src].gstart);
            maj = hm[src].maj;
            min = hm[src].min;
            ino = hm[src].ino;
            shared = hm[src].shared;
        } else if (src != INT32_MIN) {
            NamedRange *r = &named[-1 - src];
            name = r->name;
            if (name[0] == '/') {
                off = r->offset + (start - r->start);
                maj = major(r->dev);
                min = minor(r->dev);
                ino = r->ino;
            }
        } else if (start < stack_hi && end > stack_lo) {
            name = "[stack]";
        } else if (heap_end > heap_start && start < heap_end && end > heap_start) {
            name = "[heap]";
        }
        int len = fprintf(out, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %02x:%02x %" PRIu64 " ",
                          start, end, (f & PAGE_READ) ? 'r' : '-', (f & PAGE_WRITE) ? 'w' : '-',
                          (f & PAGE_EXEC) ? 'x' : '-', shared, off, maj, min, ino);
        if (name[0])
            fprintf(out, "%*s%s", len < 48 ? 48 - len + 1 : 1, "", name);
        fputc('\n', out);
        pg = end_pg;
    }
    pthread_mutex_unlock(&named_lock);
    free(hm);
    return 0;
}

/* ---- the other files ---------------------------------------------------- */

int procfs_write_cpuinfo(FILE *out)
{
    CPUCommon *cpu = thread_cpu;
    if (!linux_target.write_cpuinfo || !cpu)
        return -ENOENT;
    linux_target.write_cpuinfo(cpu, out);
    return 0;
}

static int write_cmdline(FILE *out, uint64_t start, uint64_t end)
{
    if (end > start && guest_range_ok(start, end - start, PAGE_READ))
        fwrite(g2h(start), 1, end - start, out);
    return 0;
}

/* The host's stat line with the guest's name and addresses. */
static int write_stat(FILE *out)
{
    FILE *f = fopen("/proc/self/stat", "re");
    if (!f)
        return -errno;
    char line[2048];
    if (!fgets(line, sizeof(line), f)) {
        fclose(f);
        return -EIO;
    }
    fclose(f);
    char *rp = strrchr(line, ')');
    if (!rp)
        return -EIO;
    const char *base = strrchr(guest_exe_path ? guest_exe_path : "?", '/');
    base = base ? base + 1 : (guest_exe_path ? guest_exe_path : "?");
    fprintf(out, "%d (%.15s)", getpid(), base);
    /* Fields from 3 on, numbered as proc(5) does. */
    char *save = NULL;
    int field = 3;
    for (char *tok = strtok_r(rp + 1, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save), field++) {
        uint64_t v;
        switch (field) {
        case 23: v = 0; break;                                   /* vsize: unknown, like a kernel thread */
        case 25: v = strtoull(tok, NULL, 10); v = v > 0xffffffffu ? 0xffffffffu : v; break;  /* rsslim */
        case 26: v = image.start_code; break;
        case 27: v = image.end_code; break;
        case 28: v = start_stack; break;
        case 29: case 30: v = 0; break;                          /* kstkesp, kstkeip */
        case 45: v = image.start_data; break;
        case 46: v = image.end_data; break;
        case 47: v = image.brk; break;
        case 48: v = arg_start; break;
        case 49: v = arg_end; break;
        case 50: v = env_start; break;
        case 51: v = env_end; break;
        default:
            fprintf(out, " %s", tok);
            continue;
        }
        fprintf(out, " %" PRIu64, v);
    }
    fputc('\n', out);
    return 0;
}

/* Which file of ours a path names: "/proc/self/X", "/proc/<pid>/X",
 * "/proc/thread-self/X" (X returned), or NULL. */
static const char *own_proc_file(const char *path)
{
    if (strncmp(path, "/proc/", 6) != 0)
        return NULL;
    const char *p = path + 6;
    if (strncmp(p, "self/", 5) == 0)
        return p + 5;
    if (strncmp(p, "thread-self/", 12) == 0)
        return p + 12;
    char *end;
    long pid = strtol(p, &end, 10);
    if (end != p && *end == '/' && (pid == getpid() || pid == gettid()))
        return end + 1;
    return NULL;
}

int procfs_open(const char *path, int host_flags)
{
    const char *f = own_proc_file(path);
    int which;
    if (f && strcmp(f, "maps") == 0)
        which = 0;
    else if (f && strcmp(f, "auxv") == 0)
        which = 1;
    else if (f && strcmp(f, "cmdline") == 0)
        which = 2;
    else if (f && strcmp(f, "stat") == 0)
        which = 3;
    else if (f && strcmp(f, "environ") == 0)
        which = 4;
    else if (strcmp(path, "/proc/cpuinfo") == 0 && linux_target.write_cpuinfo)
        which = 5;
    else
        return PROCFS_NOT_EMULATED;
    if ((host_flags & O_ACCMODE) != O_RDONLY)
        return -EACCES;
    int fd = memfd_create("vemu-proc", (host_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0)
        return -errno;
    int dupfd = dup(fd);
    FILE *out = dupfd >= 0 ? fdopen(dupfd, "w") : NULL;
    if (!out) {
        if (dupfd >= 0)
            close(dupfd);
        close(fd);
        return -ENOMEM;
    }
    int r = 0;
    switch (which) {
    case 0: r = procfs_write_maps(out); break;
    case 1: fwrite(auxv_copy, 1, auxv_len, out); break;
    case 2: r = write_cmdline(out, arg_start, arg_end); break;
    case 3: r = write_stat(out); break;
    case 4: r = write_cmdline(out, env_start, env_end); break;
    case 5: r = procfs_write_cpuinfo(out); break;
    }
    fclose(out);
    if (r < 0) {
        close(fd);
        return r;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}
