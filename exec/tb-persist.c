/*
 * tb-persist.c — the persistent translation cache (docs/translation-cache.md).
 *
 * A block is saved when it was translated only from bytes of its own
 * guest pages (page[0], page[1]) that all come from one file, and every
 * reference its host code makes outside itself is one we can move: into
 * the code buffer's fixed prologue area, into vemu's own image (which
 * moves as a whole between runs: PIE), or the block's own tag.  A saved
 * block is reused only when
 *   - the cache file is intact (magic, version, sizes, checksums) and was
 *     written by this vemu build for this host, cpu model and settings, for
 *     the same file (device, inode, size, mtime),
 *   - the block's own record checks out (checksum, bounds), and
 *   - every guest page it was made from holds, right now, exactly the bytes
 *     it was made from (a hash per page, kept in the file), and stays so:
 *     the page is write-protected (code_page_added) before it is hashed,
 *     and the result is forgotten when the page is invalidated.
 * Anything else is a miss, and the block is translated as usual.
 *
 * Layout of a cache file (host byte order, 8-byte aligned parts):
 *   header  (PersistHeader)
 *   pages   n_pages x { guest page address, hash of its bytes }, by address
 *   index   n_entries x { pc, cs_base, flags, offset, size }, by key
 *   entries one record per block (EntryHead, code, insn_off, insn_data,
 *           relocations), each with its own checksum, at `offset`.
 *
 * Everything that looks at blocks or the tables runs with exec_state.lock
 * held; the file writing in a save runs without it.  This file opens,
 * validates and loads; tb-persist-save.c writes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>   /* struct iovec */
#include <time.h>
#include <unistd.h>

#include "tb.h"
#include "tb-persist.h"

#include "backend-reloc.h"
#include "tb-persist-internal.h"

TBPersistState tb_persist = { .file_cap = DEFAULT_FILE_CAP, .total_cap = DEFAULT_TOTAL_CAP };

/* The translation in progress (per thread): the encoder's records and
 * which guest bytes the translator read. */
static __thread BackendReloc tls_reloc_buf[MAX_RELOCS];
static __thread BackendRelocs tls_relocs;
static __thread struct {
    bool active, bad;
    uint64_t lo, hi;
} tls_read;
/* The key whose saved block was last rejected (this thread): the block
 * translated for it replaces the saved one. */
static __thread TBKey tls_rejected;

extern char __executable_start[], _end[];

/* ---- hashing --------------------------------------------------------------- */


uint64_t tb_persist_hash(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *s = p;
    uint64_t a = seed ^ 0x9e3779b97f4a7c15ull, b = seed ^ 0x632be59bd9b4e019ull ^ n;
    while (n >= 16) {
        uint64_t x, y;
        memcpy(&x, s, 8);
        memcpy(&y, s + 8, 8);
        a = rotl(a ^ (x * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full;
        b = rotl(b ^ (y * 0x4cf5ad432745937full), 33) * 0x87c37b91114253d5ull;
        s += 16;
        n -= 16;
    }
    uint64_t t[2] = { 0, 0 };
    memcpy(t, s, n);
    a ^= mix(t[0] ^ 0x1234567);
    b ^= mix(t[1] ^ 0x89abcdef);
    return mix(a + rotl(b, 17)) ^ mix(b + 0x2545f4914f6cdd1dull);
}

/* ---- setup ------------------------------------------------------------------ */

static int find_build_id(struct dl_phdr_info *info, size_t size, void *opaque)
{
    (void)size;
    uint64_t *out = opaque;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + 12 <= end) {
            const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
            const uint8_t *name = p + 12, *desc = name + ((nh->n_namesz + 3) & ~3u);
            if (desc + nh->n_descsz > end)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
                *out = tb_persist_hash(desc, nh->n_descsz, 0xb1d);
                return 1;
            }
            p = desc + ((nh->n_descsz + 3) & ~3u);
        }
    }
    return 1;   /* the first object is the program: stop there */
}

/* Identifies this vemu build: its build-id, else the bytes of its image. */
static uint64_t build_signature(void)
{
    uint64_t id = 0;
    dl_iterate_phdr(find_build_id, &id);
    if (!id)
        id = tb_persist_hash(__executable_start, (size_t)(_end - __executable_start), 0x1a6e);
    return id;
}

void  persist_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void  persist_log(const char *fmt, ...)
{
    if (!exec_log_mask || !exec_log_file || tb_persist.warned)
        return;
    tb_persist.warned = true;
    va_list ap;
    va_start(ap, fmt);
    fputs("vemu: translation cache: ", exec_log_file);
    vfprintf(exec_log_file, fmt, ap);
    fputc('\n', exec_log_file);
    va_end(ap);
}

int  persist_mkdir_p(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

void tb_persist_set_limits(uint64_t per_file, uint64_t total)
{
    if (per_file)
        tb_persist.file_cap = per_file;
    if (total)
        tb_persist.total_cap = total;
}

void tb_persist_enable(const char *dir, const TBPersistHost *host, uint64_t owner_signature)
{
    const ExecState *s = &exec_state;
    if (!s->be || !dir || !*dir || strlen(dir) >= sizeof(tb_persist.dir) - 64)
        return;
    tb_persist.image_lo = (uintptr_t)__executable_start;
    tb_persist.image_hi = (uintptr_t)_end;
    /* Below 4 GiB a 32-bit immediate could be an address we cannot tell
     * from a constant: do not cache at all. */
    if (tb_persist.image_lo < (1ull << 32) || (uintptr_t)s->cb.rx < (1ull << 32))
        return;
    snprintf(tb_persist.dir, sizeof(tb_persist.dir), "%s", dir);
    persist_mkdir_p(tb_persist.dir);   /* may fail (read-only): then we only read */
    uint64_t cfg[] = { owner_signature, s->cfg.optimize, s->cfg.precise_state, s->cfg.max_block_insns,
                       s->cfg.guest_page_bits, s->prologue_end, IR_INSN_DATA_WORDS,
                       tb_persist_hash(s->fe->name, strlen(s->fe->name), 1),
                       tb_persist_hash(s->be->name, strlen(s->be->name), 2), sizeof(void *) };
    tb_persist.name_sig = tb_persist_hash(cfg, sizeof(cfg), 0x5eed);
    uint64_t all[] = { tb_persist.name_sig, build_signature(), s->be->code_signature ? s->be->code_signature() : 0 };
    tb_persist.sig = tb_persist_hash(all, sizeof(all), 0xa11);
    tb_persist.host = host;
    tb_persist.on = true;
    exec_stats.persist_on = true;
}

bool tb_persist_enabled(void) { return tb_persist.on; }

/* ---- what the translator did ---------------------------------------------- */

BackendRelocs *tb_persist_begin(void)
{
    if (!tb_persist.on || exec_state.debug_active)
        return NULL;
    tls_read.active = true;
    tls_read.bad = false;
    tls_read.lo = UINT64_MAX;
    tls_read.hi = 0;
    tls_relocs = (BackendRelocs){ .r = tls_reloc_buf, .n = 0, .cap = MAX_RELOCS };
    return &tls_relocs;
}

void tb_persist_note_read(uint64_t addr, unsigned len, bool ok)
{
    if (!tls_read.active)
        return;
    if (!ok || !len) {
        tls_read.bad = true;
        return;
    }
    if (addr < tls_read.lo)
        tls_read.lo = addr;
    if (addr + len - 1 > tls_read.hi)
        tls_read.hi = addr + len - 1;
}

static bool in_codebuf_prologue(uintptr_t a)
{
    return a >= (uintptr_t)exec_state.cb.rx && a < (uintptr_t)exec_state.cb.rx + exec_state.prologue_end;
}

static bool in_image(uintptr_t a) { return a >= tb_persist.image_lo && a < tb_persist.image_hi; }

/* Forms whose field holds an address relative to the field itself: one
 * pointing inside the block moves with it. */
static bool pc_relative(uint32_t kind)
{
    return kind == BACKEND_RELOC_REL32 || kind == BACKEND_RELOC_A64_B26 || kind == BACKEND_RELOC_A64_ADRP_ADD;
}

/* Classify the encoder's records for tb (just emitted): false when a
 * reference cannot be moved (BACKEND_RELOC_FIXED, a form exec does not
 * know, an address in a library or the heap). */
static bool classify(const TranslationBlock *tb, const BackendRelocs *rs, PersistReloc *out, unsigned *n_out)
{
    uintptr_t code = (uintptr_t)tb->code;
    const uint8_t *rw = exec_state.cb.rw + (code - (uintptr_t)exec_state.cb.rx);
    unsigned n = 0;
    for (unsigned i = 0; i < rs->n; i++) {
        const BackendReloc *r = &rs->r[i];
        PersistReloc pr = { .off = r->offset };
        uint64_t v;
        if (r->offset >= tb->code_size ||
            !backend_reloc_get(r->kind, rw + r->offset, tb->code_size - r->offset, code + r->offset, &v))
            return false;
        bool rel = pc_relative(r->kind);
        if (rel && v >= code && v < code + tb->code_size)
            continue;                           /* inside the block */
        uint32_t base;
        if ((v & ~(uint64_t)15) == (uintptr_t)tb && r->kind != BACKEND_RELOC_A64_B26) {
            base = PR_BASE_TAG;
            pr.addend = (int64_t)(v & 15);
        } else if (in_codebuf_prologue(v)) {
            base = PR_BASE_CODEBUF;
            pr.addend = (int64_t)(v - (uintptr_t)exec_state.cb.rx);
        } else if (in_image(v)) {
            base = PR_BASE_IMAGE;
            pr.addend = (int64_t)(v - tb_persist.image_lo);
        } else if (r->kind == BACKEND_RELOC_IMM64 &&
                   !(v >= (uintptr_t)exec_state.cb.rx && v < (uintptr_t)exec_state.cb.rx + exec_state.cb.size)) {
            continue;                           /* a plain constant */
        } else {
            return false;                       /* an address elsewhere (a library, the heap) */
        }
        pr.type = PR_TYPE(r->kind, base);
        out[n++] = pr;
    }
    *n_out = n;
    return true;
}

void tb_persist_translated(TranslationBlock *tb)
{
    if (!tls_read.active)
        return;
    tls_read.active = false;
    if (!tb_persist.on || !tb->code || tls_relocs.overflow || tls_read.bad || tls_read.lo > tls_read.hi) {
        exec_stats.persist_unsaveable++;
        return;
    }
    /* The pages it was made from: its own, and any the translator peeked
     * into (the next page, to see whether an instruction crosses). */
    unsigned bits = exec_state.cfg.guest_page_bits;
    uint64_t lo = tls_read.lo >> bits, hi = tls_read.hi >> bits;
    if (tb->page[0] < lo)
        lo = tb->page[0];
    if (tb->page[1] > hi)
        hi = tb->page[1];
    if (hi - lo > 1 || tb->phys_pc != tb->pc) {
        exec_stats.persist_unsaveable++;
        return;
    }
    PersistReloc tmp[MAX_RELOCS];
    unsigned n;
    if (!classify(tb, &tls_relocs, tmp, &n)) {
        exec_stats.persist_unsaveable++;
        return;
    }
    struct TBPersistInfo *pi = tb_arena_alloc(sizeof(*pi) + n * sizeof(PersistReloc));
    if (!pi)
        return;
    pi->saved = false;
    pi->replaces = tls_rejected.pc == tb->pc && tls_rejected.flags == tb->flags &&
                   tls_rejected.cs_base == tb->cs_base;
    pi->n_relocs = n;
    pi->page[0] = lo;
    pi->page[1] = hi;
    memcpy(pi->r, tmp, n * sizeof(PersistReloc));
    if (tb_persist.n_pending == tb_persist.cap_pending) {
        size_t cap = tb_persist.cap_pending ? tb_persist.cap_pending * 2 : 1024;
        TranslationBlock **np = realloc(tb_persist.pending, cap * sizeof(*np));
        if (!np)
            return;      /* not saved: only a cache */
        tb_persist.pending = np;
        tb_persist.cap_pending = cap;
    }
    tb_persist.pending[tb_persist.n_pending++] = tb;
    tb->persist = pi;
}

/* ---- opening cache files ---------------------------------------------------- */

void  persist_file_name(char *buf, size_t len, const TBPersistFile *f)
{
    /* the guest address is part of the name: one library at two places
     * (programs of different sizes) is two caches, not one rewritten
     * back and forth */
    uint64_t k[4] = { f->dev, f->ino, f->bias, tb_persist.name_sig };
    snprintf(buf, len, "%s/%016llx.vtc", tb_persist.dir, (unsigned long long)tb_persist_hash(k, sizeof(k), 0xf11e));
}

static bool range_ok(uint64_t off, uint64_t count, uint64_t size, uint64_t total)
{
    return off <= total && count <= (total - off) / size && off % 8 == 0;
}

/* Is the mapped file at (map, len) a valid cache for f?  Sets *h, pages, index. */
bool persist_file_valid(const uint8_t *map, size_t len, const TBPersistFile *f, const PersistHeader **hp)
{
    if (len < sizeof(PersistHeader))
        return false;
    const PersistHeader *h = (const PersistHeader *)(const void *)map;
    if (memcmp(h->magic, PERSIST_MAGIC, 8) || h->version != PERSIST_VERSION ||
        h->header_size != sizeof(PersistHeader) || h->signature != tb_persist.sig || h->file_size != len ||
        h->dev != f->dev || h->ino != f->ino || h->size != f->size || h->mtime_ns != f->mtime_ns)
        return false;
    PersistHeader copy = *h;
    copy.header_hash = 0;
    if (tb_persist_hash(&copy, sizeof(copy), 0x4ead) != h->header_hash)
        return false;
    if (!range_ok(h->pages_off, h->n_pages, sizeof(PersistPage), len) ||
        !range_ok(h->index_off, h->n_entries, sizeof(PersistIndex), len) ||
        h->index_off != h->pages_off + (uint64_t)h->n_pages * sizeof(PersistPage) || h->data_off > len)
        return false;
    uint64_t th = tb_persist_hash(map + h->pages_off,
                                  (size_t)h->n_pages * sizeof(PersistPage) + (size_t)h->n_entries * sizeof(PersistIndex),
                                  0x7ab1e);
    if (th != h->tables_hash)
        return false;
    *hp = h;
    return true;
}

/* Forget every opened cache file (the memo refers to them: drop it first).
 * Loaded blocks read their instruction maps in the mapping, so it is kept
 * until no block is left: unmapped at a flush (blocks_gone), kept
 * otherwise (a fork child looks at the files afresh but keeps its
 * parent's blocks). */
typedef struct KeptMap {
    const uint8_t *map;
    size_t size;
    struct KeptMap *next;
} KeptMap;
static KeptMap *kept_maps;

void  persist_close_files(bool blocks_gone)
{
    while (tb_persist.files) {
        CacheFile *c = tb_persist.files;
        tb_persist.files = c->next;
        KeptMap *k = c->map && !blocks_gone ? malloc(sizeof(*k)) : NULL;
        if (k) {
            *k = (KeptMap){ c->map, c->map_size, kept_maps };
            kept_maps = k;
        } else if (c->map && blocks_gone) {
            munmap((void *)c->map, c->map_size);
        }
        free(c->dir);
        free(c);
    }
    while (blocks_gone && kept_maps) {
        KeptMap *k = kept_maps;
        kept_maps = k->next;
        munmap((void *)k->map, k->size);
        free(k);
    }
}

/* Map the cache file of f (NULL: none or not valid; remembered). */
static CacheFile *cache_open(const TBPersistFile *f)
{
    for (CacheFile *c = tb_persist.files; c; c = c->next)
        if (c->dev == f->dev && c->ino == f->ino && c->bias == f->bias)
            return c->usable ? c : NULL;
    CacheFile *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->dev = f->dev;
    c->ino = f->ino;
    c->bias = f->bias;
    c->next = tb_persist.files;
    tb_persist.files = c;
    char path[4200];
    persist_file_name(path, sizeof(path), f);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(PersistHeader)) {
        close(fd);
        exec_stats.persist_bad_files++;
        return NULL;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    const PersistHeader *h;
    if (!persist_file_valid(m, (size_t)st.st_size, f, &h)) {
        munmap(m, (size_t)st.st_size);
        exec_stats.persist_bad_files++;
        return NULL;
    }
    c->map = m;
    c->map_size = (size_t)st.st_size;
    c->h = h;
    c->pages = (const PersistPage *)(const void *)(c->map + h->pages_off);
    c->index = (const PersistIndex *)(const void *)(c->map + h->index_off);
    c->usable = true;
    /* least recently used goes first when the directory is over its
     * limit: a file in use is young (touched at most once an hour) */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec - st.st_mtim.tv_sec > 3600)
        utimensat(AT_FDCWD, path, NULL, 0);
    return c;
}

int persist_key_cmp(uint64_t pc, uint64_t cs, uint64_t fl, const PersistIndex *e)
{
    if (pc != e->pc)
        return pc < e->pc ? -1 : 1;
    if (fl != e->flags)
        return fl < e->flags ? -1 : 1;
    if (cs != e->cs_base)
        return cs < e->cs_base ? -1 : 1;
    return 0;
}

#define DIR_AFTER_LOOKUPS 1024
#define DIR_MAX_BUCKETS (1u << 20)

static void dir_build(CacheFile *c)
{
    size_t n = c->h->n_entries;
    uint64_t first = c->index[0].pc >> 12, last = c->index[n - 1].pc >> 12;
    if (last - first >= DIR_MAX_BUCKETS)
        return;
    size_t nb = (size_t)(last - first) + 1;
    uint32_t *d = malloc((nb + 1) * sizeof(*d));
    if (!d)
        return;
    size_t i = 0;
    for (size_t b = 0; b <= nb; b++) {
        while (i < n && (c->index[i].pc >> 12) - first < b)
            i++;
        d[b] = (uint32_t)i;
    }
    c->dir = d;
    c->dir_first = first;
    c->dir_n = nb;
}

static const PersistIndex *index_find(CacheFile *c, const TBKey *k)
{
    size_t lo = 0, hi = c->h->n_entries;
    if (!hi)
        return NULL;
    if (!c->dir && c->lookups < DIR_AFTER_LOOKUPS && ++c->lookups == DIR_AFTER_LOOKUPS && hi > 4096 &&
        hi < UINT32_MAX)
        dir_build(c);
    if (c->dir) {
        uint64_t b = (k->pc >> 12) - c->dir_first;
        if ((k->pc >> 12) < c->dir_first || b >= c->dir_n)
            return NULL;
        lo = c->dir[b];
        hi = c->dir[b + 1];
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = persist_key_cmp(k->pc, k->cs_base, k->flags, &c->index[mid]);
        if (!r)
            return &c->index[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* In a table sorted by address. */
const PersistPage *persist_page_search(const PersistPage *pages, size_t n, uint64_t addr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pages[mid].addr == addr)
            return &pages[mid];
        if (pages[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const PersistPage *page_find_in(const CacheFile *c, uint64_t addr)
{
    return persist_page_search(c->pages, c->h->n_pages, addr);
}

/* ---- page validation -------------------------------------------------------- */

static unsigned memo_hash(uint64_t page) { return (unsigned)((page * 0x9e3779b97f4a7c15ull) >> (64 - MEMO_BITS)); }

void  persist_memo_drop_all(void)
{
    for (unsigned i = 0; i < (1u << MEMO_BITS); i++) {
        PageMemo *m = tb_persist.memo[i];
        while (m) {
            PageMemo *n = m->next;
            free(m);
            m = n;
        }
        tb_persist.memo[i] = NULL;
    }
    tb_persist.n_memo = 0;
}

void tb_persist_invalidated(uint64_t start, uint64_t end)
{
    if (!tb_persist.n_memo || end <= start)
        return;
    unsigned bits = exec_state.cfg.guest_page_bits;
    uint64_t first = start >> bits << bits;
    for (unsigned i = 0; i < (1u << MEMO_BITS); i++)
        for (PageMemo **pp = &tb_persist.memo[i]; *pp;) {
            PageMemo *m = *pp;
            if (m->page >= first && m->page < end) {
                *pp = m->next;
                free(m);
                tb_persist.n_memo--;
            } else {
                pp = &m->next;
            }
        }
}

void tb_persist_pages_may_change(uint64_t start, uint64_t end)
{
    if (!tb_persist.on)
        return;
    pthread_mutex_lock(&exec_state.lock);
    tb_persist_invalidated(start, end);
    pthread_mutex_unlock(&exec_state.lock);
}

bool  persist_page_bytes_hash(CPUCommon *cpu, uint64_t page, uint64_t *hash)
{
    const ExecHostOps *host = exec_state.cfg.host;
    size_t psize = (size_t)1 << exec_state.cfg.guest_page_bits;
    uint8_t buf[psize];
    if (!host->code_probe || !host->code_probe(cpu, page, buf, (unsigned)psize))
        return false;
    *hash = tb_persist_hash(buf, psize, 0x9a6e);
    return true;
}

/* Does guest page `page` hold what file c says (and will it until
 * exec_invalidate_range says otherwise)? */
static bool page_ok(CPUCommon *cpu, const CacheFile *c, uint64_t page)
{
    unsigned h = memo_hash(page);
    for (PageMemo **pm = &tb_persist.memo[h]; *pm; pm = &(*pm)->next) {
        PageMemo *m = *pm;
        if (m->page != page || m->file != c)
            continue;
        /* A page without blocks is not guarded against stores: a yes
         * holds only while some block keeps the guard up. */
        if (!m->ok || exec_page_has_code_locked(page))
            return m->ok;
        *pm = m->next;
        free(m);
        tb_persist.n_memo--;
        break;
    }
    const PersistPage *pp = page_find_in(c, page);
    bool ok = false;
    if (pp) {
        /* guard first, then look: a store after this drops the memo */
        if (exec_state.cfg.host->code_page_added)
            exec_state.cfg.host->code_page_added(page);
        uint64_t hash;
        ok = persist_page_bytes_hash(cpu, page, &hash) && hash == pp->hash;
    }
    PageMemo *m = malloc(sizeof(*m));
    if (m) {
        *m = (PageMemo){ page, c, ok, tb_persist.memo[h] };
        tb_persist.memo[h] = m;
        tb_persist.n_memo++;
    }
    return ok;
}

/* ---- loading a block ---------------------------------------------------------- */

static size_t entry_size(const EntryHead *e)
{
    size_t code = ((size_t)e->code_size + 7) & ~(size_t)7;
    size_t off = (((size_t)e->n_insns * 4) + 7) & ~(size_t)7;
    return sizeof(EntryHead) + code + off + (size_t)e->n_insns * IR_INSN_DATA_WORDS * 8 +
           (size_t)e->n_relocs * sizeof(PersistReloc);
}

/* Is the record sound (bounds, checksum, its own fields)? */
static bool entry_sound(const CacheFile *c, const PersistIndex *ix, const EntryHead **out)
{
    if (ix->off < c->h->data_off || ix->off % 8 || ix->size < sizeof(EntryHead) || ix->off > c->map_size ||
        ix->size > c->map_size - ix->off)
        return false;
    const EntryHead *e = (const EntryHead *)(const void *)(c->map + ix->off);
    if (e->n_insns == 0 || e->n_insns > 100000 || e->code_size == 0 || e->code_size > (64u << 20) ||
        e->n_relocs > MAX_RELOCS || entry_size(e) != ix->size)
        return false;
    if (tb_persist_hash((const uint8_t *)e + 8, ix->size - 8, 0xe17) != e->hash)
        return false;
    *out = e;
    return true;
}

TranslationBlock *tb_persist_load(CPUCommon *cpu, const TBKey *k)
{
    if (!tb_persist.on || exec_state.debug_active || k->phys_pc != k->pc ||
        exec_log_enabled(LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM))
        return NULL;
    TBPersistFile f;
    if (!tb_persist.host->file_at(k->pc, &f))
        return NULL;
    CacheFile *c = cache_open(&f);
    if (!c) {
        exec_stats.persist_misses++;
        return NULL;
    }
    const PersistIndex *ix = index_find(c, k);
    if (!ix) {
        exec_stats.persist_misses++;
        return NULL;
    }
    if (c->h->bias != f.bias) {            /* the file landed elsewhere this time */
        exec_stats.persist_moved++;
        return NULL;
    }
    const EntryHead *e;
    if (!entry_sound(c, ix, &e))
        goto reject;
    unsigned bits = exec_state.cfg.guest_page_bits;
    uint64_t psize = 1ull << bits;
    uint64_t last = k->pc + e->guest_size - (e->guest_size ? 1 : 0);
    if (e->page[0] > (k->pc & ~(psize - 1)) || e->page[1] < (last & ~(psize - 1)) || e->page[1] < e->page[0] ||
        e->page[1] - e->page[0] > psize || e->page[0] < f.start || e->page[1] >= f.end ||
        e->guest_lo > k->pc || (e->guest_lo ^ k->pc) >> bits || k->pc + e->guest_size < k->pc ||
        e->guest_lo < f.start || k->pc + e->guest_size > f.end)
        goto reject;
    for (int s = 0; s < 2; s++)
        if ((e->jmp_insn_off[s] == UINT32_MAX) != (e->jmp_reset_off[s] == UINT32_MAX) ||
            (e->jmp_insn_off[s] != UINT32_MAX &&
             (e->jmp_insn_off[s] == e->jmp_reset_off[s] || e->jmp_insn_off[s] >= e->code_size ||
              e->jmp_reset_off[s] > e->code_size)) ||
            (e->exit_size[s] != 0 && e->exit_size[s] != 4 && e->exit_size[s] != 8) ||
            (e->exit_size[s] && e->exit_offset[s] > cpu->fe->cpu_size - e->exit_size[s]))
            goto reject;
    const uint8_t *code = (const uint8_t *)(e + 1);
    const uint32_t *insn_off = (const uint32_t *)(const void *)(code + ((e->code_size + 7) & ~7u));
    const uint64_t *insn_data =
        (const uint64_t *)(const void *)((const uint8_t *)insn_off + (((size_t)e->n_insns * 4 + 7) & ~(size_t)7));
    const PersistReloc *rel = (const PersistReloc *)(const void *)(insn_data + (size_t)e->n_insns * IR_INSN_DATA_WORDS);
    for (unsigned i = 0; i < e->n_insns; i++)
        if (insn_off[i] >= e->code_size)
            goto reject;
    if (!page_ok(cpu, c, e->page[0]) || (e->page[1] != e->page[0] && !page_ok(cpu, c, e->page[1])))
        goto reject;

    /* Room in the code buffer, at the same alignment the code was made
     * with (patchable jumps must stay aligned). */
    CodeBuf *cb = &exec_state.cb;
    size_t start = (cb->used + 63) & ~(size_t)63;
    start += (e->code_align - ((uintptr_t)cb->rx + start) % 64 + 64) % 64;
    if (start + e->code_size + 64 > cb->size)
        return NULL;                        /* full: translating flushes */
    uintptr_t rx = (uintptr_t)cb->rx + start;
    for (unsigned i = 0; i < e->n_relocs; i++) {
        const PersistReloc *r = &rel[i];
        uint32_t form = PR_FORM(r->type), base = PR_BASE(r->type);
        uint64_t at = rx + r->off;
        unsigned size;
        if (r->off >= e->code_size || !(size = backend_reloc_size(form, code + r->off, e->code_size - r->off)))
            goto reject;                    /* FIXED, an unknown form, or not the form's bytes */
        bool fits;
        if (base == PR_BASE_CODEBUF || base == PR_BASE_IMAGE) {
            uint64_t lo = base == PR_BASE_CODEBUF ? (uintptr_t)cb->rx : tb_persist.image_lo;
            uint64_t span = base == PR_BASE_CODEBUF ? exec_state.prologue_end : tb_persist.image_hi - tb_persist.image_lo;
            if (r->addend < 0 || (uint64_t)r->addend >= span)
                goto reject;
            fits = backend_reloc_fits(form, code + r->off, e->code_size - r->off, at, lo + (uint64_t)r->addend);
        } else if (base == PR_BASE_TAG) {
            if (r->addend < 0 || r->addend > 15 || form == BACKEND_RELOC_A64_B26)
                goto reject;
            /* the new block's descriptor comes from the TB arena: reachable
             * from here wherever in the arena it lands?  (ADRP reaches
             * +-4 GiB: the arena within +-2 GiB is enough.)  A MOVZ/MOVK
             * sequence must have all four words. */
            if (form == BACKEND_RELOC_REL32)
                fits = tb_arena_within_rel32(at + 4);
            else if (form == BACKEND_RELOC_A64_ADRP_ADD)
                fits = tb_arena_within_rel32(at);
            else
                fits = form != BACKEND_RELOC_A64_MOVW || size == 16;
        } else {
            goto reject;
        }
        if (!fits) {
            /* out of reach from here (a B/BL past 128 MiB, a rel32 past
             * 2 GiB): not wrong, just no use at this place */
            exec_stats.persist_misses++;
            exec_stats.persist_far++;
            return NULL;
        }
    }

    TranslationBlock *tb = tb_alloc();
    if (!tb)
        return NULL;                        /* full: translating flushes */
    uint8_t *rw = cb->rw + start;
    memcpy(rw, code, e->code_size);
    for (unsigned i = 0; i < e->n_relocs; i++) {
        const PersistReloc *r = &rel[i];
        uint32_t base = PR_BASE(r->type);
        uint64_t v = (uint64_t)r->addend + (base == PR_BASE_CODEBUF ? (uintptr_t)cb->rx
                                            : base == PR_BASE_IMAGE ? tb_persist.image_lo
                                                                    : (uintptr_t)tb);
        /* checked above: it fits (the tag anywhere in the arena), so a
         * failure is a bug here; never run code pointing elsewhere */
        if (!backend_reloc_set(PR_FORM(r->type), rw + r->off, e->code_size - r->off, rx + r->off, v)) {
            fprintf(stderr, "vemu: translation cache: relocation %#x at +%u does not fit after its check\n",
                    r->type, r->off);
            abort();
        }
    }
    cb->used = start + e->code_size;
    tb->pc = k->pc;
    tb->cs_base = k->cs_base;
    tb->flags = k->flags;
    tb->phys_pc = k->phys_pc;
    tb->guest_size = e->guest_size;
    tb->guest_lo = e->guest_lo;
    tb->n_insns = e->n_insns;
    tb->has_loop = (e->has_loop & 1) != 0;
    tb->tier = (e->has_loop >> 1) & 1;
    tb->tier_slot = (e->has_loop >> 16) % EXEC_TIER_SLOTS;
    if (tb->tier == 0)
        exec_tier_arm(tb->tier_slot);
    tb->code = (const uint8_t *)rx;
    tb_code_placed(tb);
    tb->code_size = e->code_size;
    tb->page[0] = k->pc >> bits;
    tb->page[1] = last >> bits;
    /* Read in place: the mapping stays until the next flush (close_files
     * keeps it), and a file is only ever replaced by a rename, never
     * rewritten, so these bytes cannot change under us.  A short
     * process would otherwise copy (and the kernel zero pages for) a
     * third of what it loads. */
    tb->insn_off = insn_off;
    tb->insn_data = insn_data;
    for (int s = 0; s < 2; s++) {
        tb->jmp_insn_off[s] = e->jmp_insn_off[s];
        tb->jmp_reset_off[s] = e->jmp_reset_off[s];
        tb->exit_store[s] = (BackendExitStore){ e->exit_value[s], e->exit_offset[s], e->exit_size[s] };
        /* chained in the process that saved it: unchain */
        if (e->jmp_insn_off[s] != UINT32_MAX)
            exec_state.be->patch_jump(cb, rx + e->jmp_insn_off[s], rx + e->jmp_reset_off[s]);
    }
    __builtin___clear_cache((char *)rx, (char *)rx + e->code_size);
    exec_stats.persist_hits++;
    return tb;

reject:
    exec_stats.persist_rejected++;
    tls_rejected = *k;
    return NULL;
}

void tb_persist_fork_child(void)
{
    if (!tb_persist.on)
        return;
    /* The parent saves what it translated; the child only its own. */
    tb_persist.n_pending = 0;
    /* Look at the cache files afresh: what the parent mapped may be
     * older than what a sibling saved since. */
    persist_memo_drop_all();
    persist_close_files(false);
}
