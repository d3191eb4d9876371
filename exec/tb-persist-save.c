/*
 * tb-persist-save.c — writing new blocks into the persistent translation
 * cache (docs/translation-cache.md): collecting the blocks translated since
 * the last save, grouping them by guest file, merging them with what the
 * cache file already holds, and evicting old files past the size limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "tb-persist-internal.h"

/* ---- saving ------------------------------------------------------------------- */

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
} Buf;

static void *buf_add(Buf *b, const void *src, size_t n)
{
    if (b->oom)
        return NULL;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    void *dst = b->p + b->n;
    if (src)
        memcpy(dst, src, n);
    else
        memset(dst, 0, n);
    b->n += n;
    return dst;
}

static void buf_align8(Buf *b)
{
    static const uint8_t z[8];
    if (b->n % 8)
        buf_add(b, z, 8 - b->n % 8);
}

/* The new blocks of one guest file. */
typedef struct SaveGroup {
    TBPersistFile f;
    Buf data;                            /* records, offsets relative to data start */
    Buf index;                           /* PersistIndex */
    Buf pages;                           /* PersistPage, unsorted, unique */
    uint64_t *seen;                      /* open addressing: page address + 1, 0 = empty */
    size_t seen_cap, n_seen;
    unsigned n;
} SaveGroup;

typedef struct SaveBatch {
    SaveGroup *g;
    unsigned n, cap;
    CPUCommon *cpu;
} SaveBatch;

static SaveGroup *group_for(SaveBatch *sb, const TBPersistFile *f)
{
    for (unsigned i = 0; i < sb->n; i++)
        if (sb->g[i].f.dev == f->dev && sb->g[i].f.ino == f->ino && sb->g[i].f.bias == f->bias)
            return &sb->g[i];
    if (sb->n == sb->cap) {
        unsigned cap = sb->cap ? sb->cap * 2 : 16;
        SaveGroup *g = realloc(sb->g, cap * sizeof(*g));
        if (!g)
            return NULL;
        sb->g = g;
        sb->cap = cap;
    }
    SaveGroup *g = &sb->g[sb->n++];
    memset(g, 0, sizeof(*g));
    g->f = *f;
    return g;
}

/* Remember page (and its hash) once per group. */
static bool group_page(SaveGroup *g, CPUCommon *cpu, uint64_t page)
{
    if (2 * (g->n_seen + 1) > g->seen_cap) {
        size_t cap = g->seen_cap ? 2 * g->seen_cap : 256;
        uint64_t *t = calloc(cap, sizeof(*t));
        if (!t)
            return false;
        for (size_t i = 0; i < g->seen_cap; i++)
            if (g->seen[i]) {
                size_t h = (size_t)mix(g->seen[i]) & (cap - 1);
                while (t[h])
                    h = (h + 1) & (cap - 1);
                t[h] = g->seen[i];
            }
        free(g->seen);
        g->seen = t;
        g->seen_cap = cap;
    }
    size_t h = (size_t)mix(page + 1) & (g->seen_cap - 1);
    for (; g->seen[h]; h = (h + 1) & (g->seen_cap - 1))
        if (g->seen[h] == page + 1)
            return true;
    PersistPage np = { page, 0 };
    if (!persist_page_bytes_hash(cpu, page, &np.hash) || !buf_add(&g->pages, &np, sizeof(np)))
        return false;
    g->seen[h] = page + 1;
    g->n_seen++;
    return true;
}

static void collect_one(TranslationBlock *tb, SaveBatch *sb)
{
    struct TBPersistInfo *pi = tb->persist;
    if (!pi || pi->saved || tb->invalid || !tb->code)
        return;
    TBPersistFile f;
    unsigned bits = exec_state.cfg.guest_page_bits;
    uint64_t p0 = pi->page[0] << bits, p1 = pi->page[1] << bits;
    if (!tb_persist.host->file_at(tb->pc, &f) || p0 < f.start || p1 >= f.end) {
        pi->saved = true;                 /* anonymous memory: never */
        return;
    }
    SaveGroup *g = group_for(sb, &f);
    if (!g || g->f.bias != f.bias)
        return;
    if (!group_page(g, sb->cpu, p0) || !group_page(g, sb->cpu, p1))
        return;
    size_t at = g->data.n;
    EntryHead e = {
        .guest_lo = tb->guest_lo, .page = { p0, p1 }, .guest_size = tb->guest_size, .n_insns = tb->n_insns,
        .code_size = tb->code_size, .n_relocs = pi->n_relocs,
        .jmp_insn_off = { tb->jmp_insn_off[0], tb->jmp_insn_off[1] },
        .jmp_reset_off = { tb->jmp_reset_off[0], tb->jmp_reset_off[1] },
        .code_align = (uint32_t)((uintptr_t)tb->code % 64), .has_loop = (uint32_t)tb->has_loop | (uint32_t)(tb->tier & 1) << 1 | tb->tier_slot << 16,
        .exit_value = { tb->exit_store[0].value, tb->exit_store[1].value },
        .exit_offset = { tb->exit_store[0].offset, tb->exit_store[1].offset },
        .exit_size = { tb->exit_store[0].size, tb->exit_store[1].size },
    };
    buf_add(&g->data, &e, sizeof(e));
    buf_add(&g->data, exec_state.cb.rw + (tb->code - exec_state.cb.rx), tb->code_size);
    buf_align8(&g->data);
    buf_add(&g->data, tb->insn_off, (size_t)tb->n_insns * 4);
    buf_align8(&g->data);
    buf_add(&g->data, tb->insn_data, (size_t)tb->n_insns * IR_INSN_DATA_WORDS * 8);
    buf_add(&g->data, pi->r, (size_t)pi->n_relocs * sizeof(PersistReloc));
    if (g->data.oom)
        return;
    EntryHead *eh = (EntryHead *)(void *)(g->data.p + at);
    eh->hash = tb_persist_hash((const uint8_t *)eh + 8, g->data.n - at - 8, 0xe17);
    /* pad (not used in files): 1 when it replaces a rejected saved block */
    PersistIndex ix = { tb->pc, tb->cs_base, tb->flags, at, (uint32_t)(g->data.n - at), pi->replaces };
    buf_add(&g->index, &ix, sizeof(ix));
    g->n++;
    pi->saved = true;
}

/* The tier a record was saved at. */
static unsigned entry_tier(const uint8_t *record)
{
    return (((const EntryHead *)(const void *)record)->has_loop >> 1) & 1;
}

/* The entry with x's key in a sorted index, or NULL. */
static const PersistIndex *index_search(const PersistIndex *ix, size_t n, const PersistIndex *x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = persist_key_cmp(x->pc, x->cs_base, x->flags, &ix[mid]);
        if (!r)
            return &ix[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int page_cmp(const void *a, const void *b)
{
    uint64_t x = ((const PersistPage *)a)->addr, y = ((const PersistPage *)b)->addr;
    return x < y ? -1 : x > y;
}

static int index_cmp(const void *a, const void *b)
{
    const PersistIndex *x = a;
    return persist_key_cmp(x->pc, x->cs_base, x->flags, b);
}

static bool write_all(int fd, const void *p, size_t n)
{
    const uint8_t *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

/* Keep the directory under its limit: the least recently used files go. */
static void evict(const char *keep)
{
    DIR *d = opendir(tb_persist.dir);
    if (!d)
        return;
    struct Ent { char name[256]; time_t mtime; off_t size; } *v = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    struct dirent *de;
    time_t now = time(NULL);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        struct stat tst;
        /* left by a writer that died before its rename */
        if (len > 4 && !strcmp(de->d_name + len - 4, ".tmp") &&
            fstatat(dirfd(d), de->d_name, &tst, AT_SYMLINK_NOFOLLOW) == 0 && now - tst.st_mtim.tv_sec > 3600)
            unlinkat(dirfd(d), de->d_name, 0);
        if (len < 5 || len >= 256 || strcmp(de->d_name + len - 4, ".vtc"))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct Ent *nv = realloc(v, cap * sizeof(*v));
            if (!nv)
                break;
            v = nv;
        }
        memcpy(v[n].name, de->d_name, len + 1);
        v[n].mtime = st.st_mtim.tv_sec;
        v[n].size = st.st_size;
        total += (uint64_t)st.st_size;
        n++;
    }
    while (total > tb_persist.total_cap && n) {
        size_t old = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (strcmp(v[i].name, keep) && (old == SIZE_MAX || v[i].mtime < v[old].mtime))
                old = i;
        if (old == SIZE_MAX)
            break;
        unlinkat(dirfd(d), v[old].name, 0);
        total -= (uint64_t)v[old].size;
        v[old] = v[--n];
    }
    free(v);
    closedir(d);
}

/* Merge group g with what the cache file holds now and write it anew.
 * Called with the directory lock held.  Returns the blocks written. */
static unsigned write_group(SaveGroup *g)
{
    char path[4200], tmp[4300];
    persist_file_name(path, sizeof(path), &g->f);
    snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());

    /* What another process wrote meanwhile (if it is valid for this file). */
    const uint8_t *old = NULL;
    size_t old_size = 0;
    const PersistHeader *oh = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)sizeof(PersistHeader)) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                old = m;
                old_size = (size_t)st.st_size;
                if (!persist_file_valid(old, old_size, &g->f, &oh) || oh->bias != g->f.bias)
                    oh = NULL;
            }
        }
        close(fd);
    }

    PersistPage *np = (PersistPage *)(void *)g->pages.p;
    size_t n_np = g->pages.n / sizeof(PersistPage);
    qsort(np, n_np, sizeof(PersistPage), page_cmp);
    Buf pages = { 0 }, index = { 0 };
    Buf segs = { 0 };                    /* the records, as pieces of the old file and of g->data */
    size_t data_n = 0;
    unsigned written = 0;
    bool must_write = false;

    /* pages: the new hashes win; old entries on a page whose hash changed go */
    const PersistPage *op = oh ? (const PersistPage *)(const void *)(old + oh->pages_off) : NULL;
    size_t n_op = oh ? oh->n_pages : 0;
    {
        size_t i = 0, j = 0;
        while (i < n_np || j < n_op) {
            if (j == n_op || (i < n_np && np[i].addr < op[j].addr)) {
                buf_add(&pages, &np[i++], sizeof(PersistPage));
            } else if (i == n_np || op[j].addr < np[i].addr) {
                buf_add(&pages, &op[j++], sizeof(PersistPage));
            } else {
                must_write |= np[i].hash != op[j].hash;   /* the code changed: old blocks of it go */
                buf_add(&pages, &np[i++], sizeof(PersistPage));
                j++;
            }
        }
    }
    const PersistPage *mp = (const PersistPage *)(const void *)pages.p;
    size_t n_mp = pages.n / sizeof(PersistPage);
    /* Our blocks replace saved ones with the same key when those failed
     * validation here, and a block that proved hot here (full tier)
     * replaces a first-tier one: the next run starts with it.  Other
     * duplicates (a fork child with an older view of the file, a
     * concurrent writer) keep the saved one. */
    PersistIndex *ni = (PersistIndex *)(void *)g->index.p;
    size_t n_ni = g->index.n / sizeof(PersistIndex);
    qsort(ni, n_ni, sizeof(PersistIndex), index_cmp);
    const PersistIndex *oi = oh ? (const PersistIndex *)(const void *)(old + oh->index_off) : NULL;
    size_t n_oi = oh ? oh->n_entries : 0, n_new_keys = 0, n_hot = 0;
    for (size_t k = 0; k < n_ni; k++) {
        const PersistIndex *o = index_search(oi, n_oi, &ni[k]);
        if (!o)
            n_new_keys++;
        else if (ni[k].pad)
            must_write = true;
        else if (entry_tier(g->data.p + ni[k].off) > 0 && o->off >= oh->data_off && o->off % 8 == 0 &&
                 o->off <= old_size && o->size <= old_size - o->off && o->size >= sizeof(EntryHead) &&
                 entry_tier(old + o->off) == 0)
            n_hot++;                            /* hot now: replaces the first-tier one */
        else
            ni[k].size = 0;                     /* keep the saved one */
    }
    /* A few blocks more are not worth rewriting a large file each run
     * (code run only sometimes, addresses that differ between runs); hot
     * blocks are worth more (one in a thousand entries is enough). */
    if (oh && !must_write && (n_new_keys + n_hot == 0 || (n_oi > 64 * n_new_keys && n_new_keys < 256 && n_hot * 1024 < n_oi)))
        goto out;
    for (size_t k = 0; k < n_oi; k++) {
        const PersistIndex *x = &oi[k];
        if (x->off < oh->data_off || x->off % 8 || x->off > old_size || x->size > old_size - x->off ||
            x->size < sizeof(EntryHead) || data_n + x->size > tb_persist.file_cap)
            continue;
        const PersistIndex *mine = index_search(ni, n_ni, x);
        if (mine && mine->size)
            continue;                           /* replaced by ours */
        const EntryHead *e = (const EntryHead *)(const void *)(old + x->off);
        bool keep = true;
        for (int s = 0; s < 2 && keep; s++) {
            const PersistPage *a = persist_page_search(op, n_op, e->page[s]), *b = persist_page_search(mp, n_mp, e->page[s]);
            keep = a && b && a->hash == b->hash;   /* else made from code that is not there any more */
        }
        if (!keep)
            continue;
        PersistIndex y = *x;
        y.off = data_n;
        data_n += x->size;
        buf_add(&segs, &(struct iovec){ (void *)e, x->size }, sizeof(struct iovec));
        buf_add(&index, &y, sizeof(y));
    }
    for (size_t k = 0; k < n_ni; k++) {
        if (!ni[k].size || data_n + ni[k].size > tb_persist.file_cap)
            continue;
        PersistIndex y = ni[k];
        y.pad = 0;
        y.off = data_n;
        data_n += ni[k].size;
        buf_add(&segs, &(struct iovec){ g->data.p + ni[k].off, ni[k].size }, sizeof(struct iovec));
        buf_add(&index, &y, sizeof(y));
        written++;
    }
    if (pages.oom || index.oom || segs.oom || (!written && !must_write))
        goto out;
    size_t n_index = index.n / sizeof(PersistIndex);
    qsort(index.p, n_index, sizeof(PersistIndex), index_cmp);

    PersistHeader h = { .version = PERSIST_VERSION, .header_size = sizeof(PersistHeader), .signature = tb_persist.sig,
                        .dev = g->f.dev, .ino = g->f.ino, .size = g->f.size, .mtime_ns = g->f.mtime_ns,
                        .bias = g->f.bias, .n_pages = (uint32_t)n_mp, .n_entries = (uint32_t)n_index };
    memcpy(h.magic, PERSIST_MAGIC, 8);
    h.pages_off = sizeof(PersistHeader);
    h.index_off = h.pages_off + pages.n;
    h.data_off = h.index_off + index.n;
    h.file_size = h.data_off + data_n;
    PersistIndex *xi = (PersistIndex *)(void *)index.p;
    for (size_t k = 0; k < n_index; k++)
        xi[k].off += h.data_off;
    Buf tables = { 0 };
    buf_add(&tables, pages.p, pages.n);
    buf_add(&tables, index.p, index.n);
    if (tables.oom) {
        free(tables.p);
        written = 0;
        goto out;
    }
    h.tables_hash = tb_persist_hash(tables.p, tables.n, 0x7ab1e);
    free(tables.p);
    h.header_hash = tb_persist_hash(&h, sizeof(h), 0x4ead);

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        persist_log("cannot write %s: %s; not saving", tmp, strerror(errno));
        written = 0;
        goto out;
    }
    bool ok = write_all(fd, &h, sizeof(h)) && write_all(fd, pages.p, pages.n) && write_all(fd, index.p, index.n);
    /* the records straight from where they are, many per system call */
    const struct iovec *iov = (const struct iovec *)(const void *)segs.p;
    size_t n_iov = segs.n / sizeof(struct iovec);
    for (size_t k = 0; ok && k < n_iov;) {
        size_t batch = n_iov - k < 512 ? n_iov - k : 512, want = 0;
        for (size_t q = 0; q < batch; q++)
            want += iov[k + q].iov_len;
        ssize_t w = writev(fd, &iov[k], (int)batch);
        if (w < 0 && errno == EINTR)
            continue;
        if (w == (ssize_t)want) {
            k += batch;
            continue;
        }
        /* short write: finish this batch piece by piece */
        size_t done = w > 0 ? (size_t)w : 0;
        ok = w >= 0;
        for (size_t q = 0; ok && q < batch; q++) {
            size_t len = iov[k + q].iov_len;
            if (done >= len) {
                done -= len;
                continue;
            }
            ok = write_all(fd, (const uint8_t *)iov[k + q].iov_base + done, len - done);
            done = 0;
        }
        k += batch;
    }
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        unlink(tmp);
        written = 0;
    }
out:
    free(pages.p);
    free(index.p);
    free(segs.p);
    if (old)
        munmap((void *)old, old_size);
    return written;
}

/* Gather what is new (with exec's lock held): copies, so the lock can go. */
static void collect(SaveBatch *sb)
{
    memset(sb, 0, sizeof(*sb));
    sb->cpu = exec_state.n_cpus ? exec_state.cpus[0] : NULL;
    /* What could not be saved this time (its group ran out of memory, its
     * page could not be read) stays pending for the next save. */
    size_t keep = 0;
    for (size_t i = 0; i < tb_persist.n_pending; i++) {
        TranslationBlock *tb = tb_persist.pending[i];
        collect_one(tb, sb);
        if (!tb->persist->saved && !tb->invalid)
            tb_persist.pending[keep++] = tb;
    }
    tb_persist.n_pending = keep;
}

static void write_batch(SaveBatch *sb)
{
    static pthread_mutex_t save_lock = PTHREAD_MUTEX_INITIALIZER;
    if (sb->n) {
        pthread_mutex_lock(&save_lock);
        char lpath[4200];
        snprintf(lpath, sizeof(lpath), "%s/lock", tb_persist.dir);
        int lfd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (lfd < 0) {
            persist_log("%s is not writable (%s); not saving", tb_persist.dir, strerror(errno));
        } else {
            /* A POSIX record lock, not flock(): a child forked meanwhile
             * by another thread does not inherit it.  The wait is bounded
             * (a writer stopped in a debugger must not hang everyone);
             * then this save is skipped. */
            struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
            bool locked = false;
            for (int tries = 0; tries < 3000 && !locked; tries++) {
                locked = fcntl(lfd, F_SETLK, &fl) == 0;
                if (!locked)
                    nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
            }
            if (!locked)
                persist_log("%s/lock is held too long; not saving", tb_persist.dir);
            char last[64] = "";
            for (unsigned i = 0; locked && i < sb->n; i++) {
                unsigned w = write_group(&sb->g[i]);
                exec_stats.persist_saved += w;
                if (w) {
                    char path[4200];
                    persist_file_name(path, sizeof(path), &sb->g[i].f);
                    snprintf(last, sizeof(last), "%s", strrchr(path, '/') + 1);
                }
            }
            if (last[0])
                evict(last);
            close(lfd);   /* releases the lock */
        }
        pthread_mutex_unlock(&save_lock);
    }
    for (unsigned i = 0; i < sb->n; i++) {
        free(sb->g[i].data.p);
        free(sb->g[i].index.p);
        free(sb->g[i].pages.p);
        free(sb->g[i].seen);
    }
    free(sb->g);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void tb_persist_save(void)
{
    if (!tb_persist.on)
        return;
    uint64_t t0 = now_ns();
    SaveBatch sb;
    pthread_mutex_lock(&exec_state.lock);
    collect(&sb);
    pthread_mutex_unlock(&exec_state.lock);
    write_batch(&sb);
    exec_stats.persist_save_ns += now_ns() - t0;
}

void tb_persist_flushed(void)
{
    if (!tb_persist.on)
        return;
    /* The blocks are about to go: save them first (a flush is rare and
     * already stops every thread), and forget what we checked. */
    uint64_t t0 = now_ns();
    SaveBatch sb;
    collect(&sb);
    write_batch(&sb);
    tb_persist.n_pending = 0;  /* the blocks go */
    persist_memo_drop_all();
    persist_close_files(true);   /* look again: they now hold what we just saved */
    exec_stats.persist_save_ns += now_ns() - t0;
}
