/*
 * qcow2-cache.h — a write-back LRU cache of metadata tables (qcow2 L2
 * tables and refcount blocks), one cluster each.  The cache does its I/O
 * through callbacks; evicting a dirty table first calls make_room, which must
 * write the dirty tables in the image's crash-safe order (the L2 cache's
 * tables may only reach the disk after the refcounts they rely on).
 */
#ifndef VEMU_BLOCK_QCOW2_CACHE_H
#define VEMU_BLOCK_QCOW2_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Qcow2CacheIO {
    int (*read)(void *opaque, uint64_t offset, void *buf, size_t len);
    int (*write)(void *opaque, uint64_t offset, const void *buf, size_t len);
    /* called when every table is dirty and one must be evicted */
    int (*make_room)(void *opaque);
    void *opaque;
} Qcow2CacheIO;

typedef struct Qcow2Cache Qcow2Cache;

Qcow2Cache *qcow2_cache_new(int n_tables, size_t table_size, const Qcow2CacheIO *io);
void qcow2_cache_free(Qcow2Cache *c);
/* The table at offset: read from disk (read=true) or zero-filled (a new
 * table).  The pointer is valid until the next get on this cache. */
int qcow2_cache_get(Qcow2Cache *c, uint64_t offset, bool read, uint8_t **table);
void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table);
/* Writes every dirty table (no flush of the file). */
int qcow2_cache_write_dirty(Qcow2Cache *c);
/* Writes the table at offset if it is cached and dirty. */
int qcow2_cache_write_table(Qcow2Cache *c, uint64_t offset);
bool qcow2_cache_is_dirty(const Qcow2Cache *c);
/* Forgets the table at offset (its cluster was freed). */
void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset);
/* statistics for tests */
uint64_t qcow2_cache_hits(const Qcow2Cache *c);
uint64_t qcow2_cache_misses(const Qcow2Cache *c);

#endif
