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
 * held; the file writing in a save runs without it.
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

#define PERSIST_MAGIC "VEMUTBC"
#define PERSIST_VERSION 3   /* 3: exit stores made by exec (EntryHead.exit_*) */
#define MAX_RELOCS 256
#define DEFAULT_FILE_CAP (128ull << 20)
#define DEFAULT_TOTAL_CAP (1ull << 30)

/* Relocation types in a saved block. */
enum {
    PR_CODEBUF_REL32 = 1,  /* rel32 to code buffer base + addend (the prologue area) */
    PR_IMAGE_REL32 = 2,    /* rel32 to vemu's image base + addend */
    PR_CODEBUF_ABS64 = 3,
    PR_IMAGE_ABS64 = 4,
    PR_TAG_ABS64 = 5,      /* the block's own tag | addend (the exit kind) */
    PR_TAG_REL32 = 6,      /* rel32 to the block's own tag (lea rax, [rip + tag]) */
};

typedef struct PersistReloc {
    uint32_t off, type;
    int64_t addend;
} PersistReloc;

struct TBPersistInfo {
    bool saved;
    bool replaces;                       /* the cache had this key, and it failed validation */
    uint32_t n_relocs;
    uint64_t page[2];                    /* the guest pages it was made from (page numbers) */
    PersistReloc r[];
};

typedef struct PersistHeader {
    char magic[8];
    uint32_t version, header_size;
    uint64_t signature;                  /* vemu build, host, cpu model, settings */
    uint64_t dev, ino, size, mtime_ns;   /* the guest file */
    uint64_t bias;
    uint32_t n_pages, n_entries;
    uint64_t pages_off, index_off, data_off, file_size;
    uint64_t tables_hash;                /* of pages and index */
    uint64_t header_hash;                /* of this header with header_hash = 0 */
} PersistHeader;

typedef struct PersistPage {
    uint64_t addr, hash;
} PersistPage;

typedef struct PersistIndex {
    uint64_t pc, cs_base, flags;
    uint64_t off;
    uint32_t size, pad;
} PersistIndex;

typedef struct EntryHead {
    uint64_t hash;                       /* of the record after this field */
    uint64_t guest_lo;
    uint64_t page[2];                    /* guest page addresses it was made from (equal if one) */
    uint32_t guest_size, n_insns, code_size, n_relocs;
    uint32_t jmp_insn_off[2], jmp_reset_off[2];
    uint32_t code_align;                 /* rx address of the code mod 64 when made */
    uint32_t has_loop;                   /* bit 0; bit 1: tier 1; bits 16-31: tier-0 counter slot */
    uint64_t exit_value[2];              /* TranslationBlock.exit_store per slot */
    uint32_t exit_offset[2], exit_size[2];
} EntryHead;

/* A cache file opened by this process. */
typedef struct CacheFile {
    uint64_t dev, ino, bias;             /* of the guest file, and where it is */
    bool usable;
    const uint8_t *map;
    size_t map_size;
    const PersistHeader *h;
    const PersistPage *pages;
    const PersistIndex *index;
    /* After many lookups: where each 4 KiB of guest pcs starts in the
     * index, so a search stays within one bucket of it (a binary search
     * over a large file's index missed the cache at every step). */
    uint32_t *dir;
    uint64_t dir_first;                  /* pc >> 12 of dir[0] */
    size_t dir_n;
    unsigned lookups;
    struct CacheFile *next;
} CacheFile;

/* What this process knows about a guest page: checked against a file. */
typedef struct PageMemo {
    uint64_t page;
    const CacheFile *file;
    bool ok;
    struct PageMemo *next;
} PageMemo;

#define MEMO_BITS 10
static struct {
    bool on;
    char dir[4096];
    const TBPersistHost *host;
    uint64_t name_sig;                   /* in file names: cpu model and settings */
    uint64_t sig;                        /* in headers: name_sig plus vemu's build and the host */
    uintptr_t image_lo, image_hi;
    uint64_t file_cap, total_cap;
    CacheFile *files;
    PageMemo *memo[1u << MEMO_BITS];
    unsigned n_memo;
    bool warned;
    /* Blocks translated here and not saved yet (exec's lock): a save
     * looks at these only, not at every block a forked process inherited
     * from its parent (walking those, or marking them, touched every page
     * of the parent's block descriptors and copied each on write). */
    TranslationBlock **pending;
    size_t n_pending, cap_pending;
} P = { .file_cap = DEFAULT_FILE_CAP, .total_cap = DEFAULT_TOTAL_CAP };

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

static inline uint64_t rotl(uint64_t x, unsigned r) { return x << r | x >> (64 - r); }

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

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

static void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dlog(const char *fmt, ...)
{
    if (!exec_log_mask || !exec_log_file || P.warned)
        return;
    P.warned = true;
    va_list ap;
    va_start(ap, fmt);
    fputs("vemu: translation cache: ", exec_log_file);
    vfprintf(exec_log_file, fmt, ap);
    fputc('\n', exec_log_file);
    va_end(ap);
}

static int mkdir_p(const char *path)
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
        P.file_cap = per_file;
    if (total)
        P.total_cap = total;
}

void tb_persist_enable(const char *dir, const TBPersistHost *host, uint64_t owner_signature)
{
    const ExecState *s = &exec_state;
    if (!s->be || !dir || !*dir || strlen(dir) >= sizeof(P.dir) - 64)
        return;
    P.image_lo = (uintptr_t)__executable_start;
    P.image_hi = (uintptr_t)_end;
    /* Below 4 GiB a 32-bit immediate could be an address we cannot tell
     * from a constant: do not cache at all. */
    if (P.image_lo < (1ull << 32) || (uintptr_t)s->cb.rx < (1ull << 32))
        return;
    snprintf(P.dir, sizeof(P.dir), "%s", dir);
    mkdir_p(P.dir);   /* may fail (read-only): then we only read */
    uint64_t cfg[] = { owner_signature, s->cfg.optimize, s->cfg.precise_state, s->cfg.max_block_insns,
                       s->cfg.guest_page_bits, s->prologue_end, IR_INSN_DATA_WORDS,
                       tb_persist_hash(s->fe->name, strlen(s->fe->name), 1),
                       tb_persist_hash(s->be->name, strlen(s->be->name), 2), sizeof(void *) };
    P.name_sig = tb_persist_hash(cfg, sizeof(cfg), 0x5eed);
    uint64_t all[] = { P.name_sig, build_signature(), s->be->code_signature ? s->be->code_signature() : 0 };
    P.sig = tb_persist_hash(all, sizeof(all), 0xa11);
    P.host = host;
    P.on = true;
    exec_stats.persist_on = true;
}

bool tb_persist_enabled(void) { return P.on; }

/* ---- what the translator did ---------------------------------------------- */

BackendRelocs *tb_persist_begin(void)
{
    if (!P.on || exec_state.debug_active)
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

static bool in_image(uintptr_t a) { return a >= P.image_lo && a < P.image_hi; }

/* Classify the encoder's records for tb (just emitted): false when a
 * reference cannot be moved. */
static bool classify(const TranslationBlock *tb, const BackendRelocs *rs, PersistReloc *out, unsigned *n_out)
{
    uintptr_t code = (uintptr_t)tb->code;
    const uint8_t *rw = exec_state.cb.rw + (code - (uintptr_t)exec_state.cb.rx);
    unsigned n = 0;
    for (unsigned i = 0; i < rs->n; i++) {
        const BackendReloc *r = &rs->r[i];
        PersistReloc pr = { .off = r->offset };
        if (r->kind == BACKEND_RELOC_REL32) {
            if ((size_t)r->offset + 4 > tb->code_size)
                return false;
            int32_t d;
            memcpy(&d, rw + r->offset, 4);
            uintptr_t target = code + r->offset + 4 + (intptr_t)d;
            if (target >= code && target < code + tb->code_size)
                continue;                       /* inside the block */
            if (target == (uintptr_t)tb) {
                pr.type = PR_TAG_REL32;
                pr.addend = 0;
            } else if (in_codebuf_prologue(target)) {
                pr.type = PR_CODEBUF_REL32;
                pr.addend = (int64_t)(target - (uintptr_t)exec_state.cb.rx);
            } else if (in_image(target)) {
                pr.type = PR_IMAGE_REL32;
                pr.addend = (int64_t)(target - P.image_lo);
            } else {
                return false;
            }
        } else if (r->kind == BACKEND_RELOC_IMM64 || r->kind == BACKEND_RELOC_ABS64) {
            if ((size_t)r->offset + 8 > tb->code_size)
                return false;
            uint64_t v;
            memcpy(&v, rw + r->offset, 8);
            if ((v & ~(uint64_t)15) == (uintptr_t)tb) {
                pr.type = PR_TAG_ABS64;
                pr.addend = (int64_t)(v & 15);
            } else if (in_codebuf_prologue(v)) {
                pr.type = PR_CODEBUF_ABS64;
                pr.addend = (int64_t)(v - (uintptr_t)exec_state.cb.rx);
            } else if (in_image(v)) {
                pr.type = PR_IMAGE_ABS64;
                pr.addend = (int64_t)(v - P.image_lo);
            } else if (r->kind == BACKEND_RELOC_IMM64 &&
                       !(v >= (uintptr_t)exec_state.cb.rx && v < (uintptr_t)exec_state.cb.rx + exec_state.cb.size)) {
                continue;                       /* a plain constant */
            } else {
                return false;                   /* an address elsewhere (a library, the heap) */
            }
        } else {
            return false;
        }
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
    if (!P.on || !tb->code || tls_relocs.overflow || tls_read.bad || tls_read.lo > tls_read.hi) {
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
    if (P.n_pending == P.cap_pending) {
        size_t cap = P.cap_pending ? P.cap_pending * 2 : 1024;
        TranslationBlock **np = realloc(P.pending, cap * sizeof(*np));
        if (!np)
            return;      /* not saved: only a cache */
        P.pending = np;
        P.cap_pending = cap;
    }
    P.pending[P.n_pending++] = tb;
    tb->persist = pi;
}

/* ---- opening cache files ---------------------------------------------------- */

static void file_name(char *buf, size_t len, const TBPersistFile *f)
{
    /* the guest address is part of the name: one library at two places
     * (programs of different sizes) is two caches, not one rewritten
     * back and forth */
    uint64_t k[4] = { f->dev, f->ino, f->bias, P.name_sig };
    snprintf(buf, len, "%s/%016llx.vtc", P.dir, (unsigned long long)tb_persist_hash(k, sizeof(k), 0xf11e));
}

static bool range_ok(uint64_t off, uint64_t count, uint64_t size, uint64_t total)
{
    return off <= total && count <= (total - off) / size && off % 8 == 0;
}

/* Is the mapped file at (map, len) a valid cache for f?  Sets *h, pages, index. */
static bool file_valid(const uint8_t *map, size_t len, const TBPersistFile *f, const PersistHeader **hp)
{
    if (len < sizeof(PersistHeader))
        return false;
    const PersistHeader *h = (const PersistHeader *)(const void *)map;
    if (memcmp(h->magic, PERSIST_MAGIC, 8) || h->version != PERSIST_VERSION ||
        h->header_size != sizeof(PersistHeader) || h->signature != P.sig || h->file_size != len ||
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

static void close_files(bool blocks_gone)
{
    while (P.files) {
        CacheFile *c = P.files;
        P.files = c->next;
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
    for (CacheFile *c = P.files; c; c = c->next)
        if (c->dev == f->dev && c->ino == f->ino && c->bias == f->bias)
            return c->usable ? c : NULL;
    CacheFile *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->dev = f->dev;
    c->ino = f->ino;
    c->bias = f->bias;
    c->next = P.files;
    P.files = c;
    char path[4200];
    file_name(path, sizeof(path), f);
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
    if (!file_valid(m, (size_t)st.st_size, f, &h)) {
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

static int key_cmp(uint64_t pc, uint64_t cs, uint64_t fl, const PersistIndex *e)
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
        int r = key_cmp(k->pc, k->cs_base, k->flags, &c->index[mid]);
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
static const PersistPage *page_search(const PersistPage *pages, size_t n, uint64_t addr)
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
    return page_search(c->pages, c->h->n_pages, addr);
}

/* ---- page validation -------------------------------------------------------- */

static unsigned memo_hash(uint64_t page) { return (unsigned)((page * 0x9e3779b97f4a7c15ull) >> (64 - MEMO_BITS)); }

static void memo_drop_all(void)
{
    for (unsigned i = 0; i < (1u << MEMO_BITS); i++) {
        PageMemo *m = P.memo[i];
        while (m) {
            PageMemo *n = m->next;
            free(m);
            m = n;
        }
        P.memo[i] = NULL;
    }
    P.n_memo = 0;
}

void tb_persist_invalidated(uint64_t start, uint64_t end)
{
    if (!P.n_memo || end <= start)
        return;
    unsigned bits = exec_state.cfg.guest_page_bits;
    uint64_t first = start >> bits << bits;
    for (unsigned i = 0; i < (1u << MEMO_BITS); i++)
        for (PageMemo **pp = &P.memo[i]; *pp;) {
            PageMemo *m = *pp;
            if (m->page >= first && m->page < end) {
                *pp = m->next;
                free(m);
                P.n_memo--;
            } else {
                pp = &m->next;
            }
        }
}

void tb_persist_pages_may_change(uint64_t start, uint64_t end)
{
    if (!P.on)
        return;
    pthread_mutex_lock(&exec_state.lock);
    tb_persist_invalidated(start, end);
    pthread_mutex_unlock(&exec_state.lock);
}

static bool page_bytes_hash(CPUCommon *cpu, uint64_t page, uint64_t *hash)
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
    for (PageMemo **pm = &P.memo[h]; *pm; pm = &(*pm)->next) {
        PageMemo *m = *pm;
        if (m->page != page || m->file != c)
            continue;
        /* A page without blocks is not guarded against stores: a yes
         * holds only while some block keeps the guard up. */
        if (!m->ok || exec_page_has_code_locked(page))
            return m->ok;
        *pm = m->next;
        free(m);
        P.n_memo--;
        break;
    }
    const PersistPage *pp = page_find_in(c, page);
    bool ok = false;
    if (pp) {
        /* guard first, then look: a store after this drops the memo */
        if (exec_state.cfg.host->code_page_added)
            exec_state.cfg.host->code_page_added(page);
        uint64_t hash;
        ok = page_bytes_hash(cpu, page, &hash) && hash == pp->hash;
    }
    PageMemo *m = malloc(sizeof(*m));
    if (m) {
        *m = (PageMemo){ page, c, ok, P.memo[h] };
        P.memo[h] = m;
        P.n_memo++;
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
    if (!P.on || exec_state.debug_active || k->phys_pc != k->pc ||
        exec_log_enabled(LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM))
        return NULL;
    TBPersistFile f;
    if (!P.host->file_at(k->pc, &f))
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
        unsigned width = r->type == PR_CODEBUF_REL32 || r->type == PR_IMAGE_REL32 || r->type == PR_TAG_REL32 ? 4 : 8;
        if (r->off > e->code_size || width > e->code_size - r->off)
            goto reject;
        if (r->type == PR_CODEBUF_REL32 || r->type == PR_CODEBUF_ABS64) {
            if (r->addend < 0 || (uint64_t)r->addend >= exec_state.prologue_end)
                goto reject;
        } else if (r->type == PR_IMAGE_REL32 || r->type == PR_IMAGE_ABS64) {
            if (r->addend < 0 || (uint64_t)r->addend >= P.image_hi - P.image_lo)
                goto reject;
            if (r->type == PR_IMAGE_REL32) {
                int64_t d = (int64_t)(P.image_lo + (uint64_t)r->addend - (rx + r->off + 4));
                if (d != (int32_t)d) {
                    exec_stats.persist_misses++;    /* out of reach from here: not wrong, just no use */
                    return NULL;
                }
            }
        } else if (r->type == PR_TAG_REL32) {
            if (r->addend != 0)
                goto reject;
            /* the new block's descriptor comes from the TB arena: reachable
             * from here wherever in the arena it lands? */
            if (!tb_arena_within_rel32(rx + r->off + 4)) {
                exec_stats.persist_misses++;
                return NULL;
            }
        } else if (r->type != PR_TAG_ABS64 || r->addend < 0 || r->addend > 15) {
            goto reject;
        }
    }

    TranslationBlock *tb = tb_alloc();
    if (!tb)
        return NULL;                        /* full: translating flushes */
    uint8_t *rw = cb->rw + start;
    memcpy(rw, code, e->code_size);
    for (unsigned i = 0; i < e->n_relocs; i++) {
        const PersistReloc *r = &rel[i];
        uint64_t v;
        int32_t d;
        switch (r->type) {
        case PR_CODEBUF_REL32:
            d = (int32_t)((uintptr_t)cb->rx + (uint64_t)r->addend - (rx + r->off + 4));
            memcpy(rw + r->off, &d, 4);
            break;
        case PR_IMAGE_REL32:
            d = (int32_t)(P.image_lo + (uint64_t)r->addend - (rx + r->off + 4));
            memcpy(rw + r->off, &d, 4);
            break;
        case PR_CODEBUF_ABS64:
            v = (uintptr_t)cb->rx + (uint64_t)r->addend;
            memcpy(rw + r->off, &v, 8);
            break;
        case PR_IMAGE_ABS64:
            v = P.image_lo + (uint64_t)r->addend;
            memcpy(rw + r->off, &v, 8);
            break;
        case PR_TAG_REL32:
            d = (int32_t)((uintptr_t)tb - (rx + r->off + 4));
            memcpy(rw + r->off, &d, 4);
            break;
        default:
            v = (uintptr_t)tb | (uint64_t)r->addend;
            memcpy(rw + r->off, &v, 8);
            break;
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
    if (!page_bytes_hash(cpu, page, &np.hash) || !buf_add(&g->pages, &np, sizeof(np)))
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
    if (!P.host->file_at(tb->pc, &f) || p0 < f.start || p1 >= f.end) {
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
        int r = key_cmp(x->pc, x->cs_base, x->flags, &ix[mid]);
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
    return key_cmp(x->pc, x->cs_base, x->flags, b);
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
    DIR *d = opendir(P.dir);
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
    while (total > P.total_cap && n) {
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
    file_name(path, sizeof(path), &g->f);
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
                if (!file_valid(old, old_size, &g->f, &oh) || oh->bias != g->f.bias)
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
            x->size < sizeof(EntryHead) || data_n + x->size > P.file_cap)
            continue;
        const PersistIndex *mine = index_search(ni, n_ni, x);
        if (mine && mine->size)
            continue;                           /* replaced by ours */
        const EntryHead *e = (const EntryHead *)(const void *)(old + x->off);
        bool keep = true;
        for (int s = 0; s < 2 && keep; s++) {
            const PersistPage *a = page_search(op, n_op, e->page[s]), *b = page_search(mp, n_mp, e->page[s]);
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
        if (!ni[k].size || data_n + ni[k].size > P.file_cap)
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

    PersistHeader h = { .version = PERSIST_VERSION, .header_size = sizeof(PersistHeader), .signature = P.sig,
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
        dlog("cannot write %s: %s; not saving", tmp, strerror(errno));
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
    for (size_t i = 0; i < P.n_pending; i++) {
        TranslationBlock *tb = P.pending[i];
        collect_one(tb, sb);
        if (!tb->persist->saved && !tb->invalid)
            P.pending[keep++] = tb;
    }
    P.n_pending = keep;
}

static void write_batch(SaveBatch *sb)
{
    static pthread_mutex_t save_lock = PTHREAD_MUTEX_INITIALIZER;
    if (sb->n) {
        pthread_mutex_lock(&save_lock);
        char lpath[4200];
        snprintf(lpath, sizeof(lpath), "%s/lock", P.dir);
        int lfd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (lfd < 0) {
            dlog("%s is not writable (%s); not saving", P.dir, strerror(errno));
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
                dlog("%s/lock is held too long; not saving", P.dir);
            char last[64] = "";
            for (unsigned i = 0; locked && i < sb->n; i++) {
                unsigned w = write_group(&sb->g[i]);
                exec_stats.persist_saved += w;
                if (w) {
                    char path[4200];
                    file_name(path, sizeof(path), &sb->g[i].f);
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
    if (!P.on)
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
    if (!P.on)
        return;
    /* The blocks are about to go: save them first (a flush is rare and
     * already stops every thread), and forget what we checked. */
    uint64_t t0 = now_ns();
    SaveBatch sb;
    collect(&sb);
    write_batch(&sb);
    P.n_pending = 0;  /* the blocks go */
    memo_drop_all();
    close_files(true);   /* look again: they now hold what we just saved */
    exec_stats.persist_save_ns += now_ns() - t0;
}

void tb_persist_fork_child(void)
{
    if (!P.on)
        return;
    /* The parent saves what it translated; the child only its own. */
    P.n_pending = 0;
    /* Look at the cache files afresh: what the parent mapped may be
     * older than what a sibling saved since. */
    memo_drop_all();
    close_files(false);
}
