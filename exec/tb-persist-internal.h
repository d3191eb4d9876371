/*
 * tb-persist-internal.h — what the persistent translation cache's two
 * halves share: the file format (docs/translation-cache.md), the
 * process's cache state, and the loading half's services the saving half
 * uses.  Private to exec/tb-persist*.c.
 */
#ifndef VEMU_TB_PERSIST_INTERNAL_H
#define VEMU_TB_PERSIST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tb.h"
#include "tb-persist.h"

#define PERSIST_MAGIC "VEMUTBC"
#define PERSIST_VERSION 4   /* 3: exit stores made by exec (EntryHead.exit_*); 4: PersistReloc.type is form and base */
#define MAX_RELOCS 256
#define DEFAULT_FILE_CAP (128ull << 20)
#define DEFAULT_TOTAL_CAP (1ull << 30)

/* A relocation in a saved block: type = form << 8 | base.  The form is the
 * encoder's BackendRelocKind (how the field holds its address: rel32,
 * 64-bit word, A64 B/BL, ADRP+ADD, MOVZ/MOVK; exec/backend-reloc.c reads
 * and writes each), the base what the address is relative to in the
 * process that loads the block: */
enum {
    PR_BASE_CODEBUF = 1,   /* the code buffer's start + addend (the prologue area) */
    PR_BASE_IMAGE = 2,     /* vemu's image start + addend */
    PR_BASE_TAG = 3,       /* the block's own tag | addend (0..15: an exit kind) */
};
#define PR_TYPE(form, base) ((uint32_t)(form) << 8 | (uint32_t)(base))
#define PR_FORM(type) ((type) >> 8)
#define PR_BASE(type) ((type) & 0xff)

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
typedef struct TBPersistState {
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
} TBPersistState;

extern TBPersistState tb_persist;   /* the process's cache state (exec_state.lock) */

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

/* Loading half (tb-persist.c), for the saving half. */
void persist_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int persist_mkdir_p(const char *path);
void persist_file_name(char *buf, size_t len, const TBPersistFile *f);
bool persist_page_bytes_hash(CPUCommon *cpu, uint64_t page, uint64_t *hash);
void persist_memo_drop_all(void);
void persist_close_files(bool blocks_gone);
const PersistPage *persist_page_search(const PersistPage *pages, size_t n, uint64_t addr);
bool persist_file_valid(const uint8_t *map, size_t len, const TBPersistFile *f, const PersistHeader **hp);
int persist_key_cmp(uint64_t pc, uint64_t cs, uint64_t fl, const PersistIndex *e);

#endif
