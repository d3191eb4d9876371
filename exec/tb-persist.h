/*
 * tb-persist.h — the persistent translation cache: translations of guest
 * code that comes from files are kept on disk and reused by later
 * processes (docs/translation-cache.md).
 *
 * exec does the work (what may be saved, the file format, validation,
 * loading and relocating blocks); the cpu's owner says which file a guest
 * address comes from, where the cache lives, and when to save (at exit,
 * before exec).  Off unless the owner calls tb_persist_enable().
 */
#ifndef VEMU_EXEC_TB_PERSIST_H
#define VEMU_EXEC_TB_PERSIST_H

#include <stdbool.h>
#include <stdint.h>

/* A file mapped into the guest, as its owner knows it. */
typedef struct TBPersistFile {
    uint64_t dev, ino, size, mtime_ns;   /* the file's identity */
    uint64_t start, end;                 /* guest range [start, end) it covers */
    uint64_t bias;                       /* guest address of the file's offset 0 */
} TBPersistFile;

typedef struct TBPersistHost {
    /* The file whose contents are at guest address addr (false: anonymous
     * memory or unknown).  Called with exec's lock held: it may take only
     * locks of its own that are never held while calling into exec. */
    bool (*file_at)(uint64_t addr, TBPersistFile *f);
} TBPersistHost;

/* Use the cache in directory dir (created if missing; not writable: the
 * cache is only read).  owner_signature: a hash of whatever else changes
 * translation (the cpu model).  Call after exec_init(). */
void tb_persist_enable(const char *dir, const TBPersistHost *host, uint64_t owner_signature);
bool tb_persist_enabled(void);

/* Guest memory in [start, end) may now change without exec hearing of it
 * (user mode: pages become writable while they hold no translations, so
 * they are not guarded): forget that they were checked. */
void tb_persist_pages_may_change(uint64_t start, uint64_t end);

/* Write the translations made since the last save to the cache (the
 * process ends, or execs).  Never fails loudly. */
void tb_persist_save(void);

/* Size limits (bytes): per cache file, and of the whole directory (least
 * recently used files go first).  0 keeps the default. */
void tb_persist_set_limits(uint64_t per_file, uint64_t total);

/* A fast 64-bit hash (not cryptographic) of n bytes. */
uint64_t tb_persist_hash(const void *p, size_t n, uint64_t seed);

#endif
