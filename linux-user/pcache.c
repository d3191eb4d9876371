/*
 * pcache.c — user mode's side of the persistent translation cache: a table
 * of the guest ranges that hold file contents (mmap of a regular file, or
 * an ELF image the loader copied in), the cache directory, and saving at
 * exit and exec.  The cache itself is exec/tb-persist.c.
 *
 * The table only tells the cache which file's saved blocks to look at;
 * whether a saved block may run is decided by the cache from the guest
 * bytes themselves, so a stale or wrong entry here costs a miss, never a
 * wrong translation.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec.h"
#include "exec/tb-persist.h"
#include "linux-user/pcache.h"

typedef struct FileRange {
    TBPersistFile f;
} FileRange;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FileRange *ranges;        /* sorted by start, disjoint */
static size_t n_ranges, cap_ranges;

static bool ensure_room(void)
{
    if (n_ranges + 2 <= cap_ranges)
        return true;
    size_t cap = cap_ranges ? cap_ranges * 2 : 64;
    FileRange *r = realloc(ranges, cap * sizeof(*r));
    if (!r)
        return false;
    ranges = r;
    cap_ranges = cap;
    return true;
}

static void insert_locked(const FileRange *nr)
{
    size_t i = 0;
    while (i < n_ranges && ranges[i].f.start < nr->f.start)
        i++;
    memmove(&ranges[i + 1], &ranges[i], (n_ranges - i) * sizeof(FileRange));
    ranges[i] = *nr;
    n_ranges++;
}

/* Cut [start, end) out of the table (room for one more range first). */
static void forget_locked(uint64_t start, uint64_t end)
{
    FileRange split;
    bool have_split = false;
    size_t out = 0;
    for (size_t i = 0; i < n_ranges; i++) {
        FileRange r = ranges[i];
        if (r.f.end <= start || r.f.start >= end) {
            ranges[out++] = r;
            continue;
        }
        if (r.f.start < start && r.f.end > end) {
            split = r;
            split.f.start = end;
            have_split = true;
        }
        if (r.f.start < start) {
            r.f.end = start;
            ranges[out++] = r;
        } else if (r.f.end > end) {
            r.f.start = end;
            ranges[out++] = r;
        }
    }
    n_ranges = out;
    if (have_split)
        insert_locked(&split);
}

void pcache_forget(uint64_t start, uint64_t end)
{
    if (!tb_persist_enabled())
        return;
    pthread_mutex_lock(&lock);
    if (ensure_room())
        forget_locked(start, end);
    else
        n_ranges = 0;                    /* out of memory: know nothing */
    pthread_mutex_unlock(&lock);
}

void pcache_note_file(uint64_t start, uint64_t end, uint64_t bias, const struct stat *st)
{
    if (!tb_persist_enabled() || end <= start)
        return;
    pthread_mutex_lock(&lock);
    if (!ensure_room()) {
        n_ranges = 0;
        pthread_mutex_unlock(&lock);
        return;
    }
    forget_locked(start, end);
    FileRange nr = { .f = {
        .dev = (uint64_t)st->st_dev, .ino = (uint64_t)st->st_ino, .size = (uint64_t)st->st_size,
        .mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
        .start = start, .end = end, .bias = bias,
    } };
    insert_locked(&nr);
    pthread_mutex_unlock(&lock);
}

void pcache_note_fd(uint64_t start, uint64_t end, uint64_t offset, int fd)
{
    if (!tb_persist_enabled())
        return;
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        pcache_note_file(start, end, start - offset, &st);
    else
        pcache_forget(start, end);
}

static bool file_at(uint64_t addr, TBPersistFile *f)
{
    bool found = false;
    pthread_mutex_lock(&lock);
    size_t lo = 0, hi = n_ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ranges[mid].f.end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n_ranges && ranges[lo].f.start <= addr && addr < ranges[lo].f.end) {
        *f = ranges[lo].f;
        found = true;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static const TBPersistHost host = { .file_at = file_at };

static uint64_t parse_bytes(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    switch (*end) {
    case 'k': case 'K': v <<= 10; break;
    case 'm': case 'M': v <<= 20; break;
    case 'g': case 'G': v <<= 30; break;
    }
    return v;
}

void pcache_setup(bool disabled, const char *cpu_model)
{
    const char *env = getenv("VEMU_CACHE");
    if (disabled || !exec_has_backend() ||
        (env && (!strcmp(env, "off") || !strcmp(env, "0") || !strcmp(env, "no"))))
        return;
    char dir[4096];
    const char *d = getenv("VEMU_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (d && *d)
        snprintf(dir, sizeof(dir), "%s", d);
    else if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof(dir), "%s/vemu", xdg);
    else if (home && home[0] == '/')
        snprintf(dir, sizeof(dir), "%s/.cache/vemu", home);
    else
        return;
    const char *size = getenv("VEMU_CACHE_SIZE");
    if (size && *size)
        tb_persist_set_limits(0, parse_bytes(size));
    const char *model = cpu_model ? cpu_model : "";
    tb_persist_enable(dir, &host, tb_persist_hash(model, strlen(model), 0xc9u));
}

void pcache_save(void)
{
    tb_persist_save();
}
