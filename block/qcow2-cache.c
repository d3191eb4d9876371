/*
 * qcow2-cache.c — the metadata table cache (see qcow2-cache.h).
 */
#include "block/qcow2-cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct CacheEntry {
    uint64_t offset;     /* 0 = empty slot (cluster 0 is the header, never a table) */
    uint64_t last_use;
    bool dirty;
    uint8_t *table;
} CacheEntry;

struct Qcow2Cache {
    int n;
    size_t table_size;
    Qcow2CacheIO io;
    uint64_t clock, hits, misses;
    CacheEntry *e;
};

Qcow2Cache *qcow2_cache_new(int n_tables, size_t table_size, const Qcow2CacheIO *io)
{
    Qcow2Cache *c = calloc(1, sizeof(*c));
    c->n = n_tables < 2 ? 2 : n_tables;
    c->table_size = table_size;
    c->io = *io;
    c->e = calloc(c->n, sizeof(*c->e));
    for (int i = 0; i < c->n; i++) {
        c->e[i].table = malloc(table_size);
    }
    return c;
}

void qcow2_cache_free(Qcow2Cache *c)
{
    if (!c) {
        return;
    }
    for (int i = 0; i < c->n; i++) {
        free(c->e[i].table);
    }
    free(c->e);
    free(c);
}

static int write_entry(Qcow2Cache *c, CacheEntry *e)
{
    int r = c->io.write(c->io.opaque, e->offset, e->table, c->table_size);
    if (r == 0) {
        e->dirty = false;
    }
    return r;
}

/* The least recently used clean slot; if all are dirty, make room first. */
static int find_victim(Qcow2Cache *c, CacheEntry **out)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        CacheEntry *best = NULL;
        for (int i = 0; i < c->n; i++) {
            CacheEntry *e = &c->e[i];
            if (!e->offset) {
                *out = e;
                return 0;
            }
            if (!e->dirty && (!best || e->last_use < best->last_use)) {
                best = e;
            }
        }
        if (best) {
            *out = best;
            return 0;
        }
        int r = c->io.make_room ? c->io.make_room(c->io.opaque) : qcow2_cache_write_dirty(c);
        if (r < 0) {
            return r;
        }
    }
    return -EIO;
}

int qcow2_cache_get(Qcow2Cache *c, uint64_t offset, bool read, uint8_t **table)
{
    if (!offset) {
        return -EINVAL;
    }
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].offset == offset) {
            c->e[i].last_use = ++c->clock;
            c->hits++;
            if (!read) {
                memset(c->e[i].table, 0, c->table_size);
                c->e[i].dirty = true;
            }
            *table = c->e[i].table;
            return 0;
        }
    }
    c->misses++;
    CacheEntry *e;
    int r = find_victim(c, &e);
    if (r < 0) {
        return r;
    }
    e->offset = 0;
    if (read) {
        r = c->io.read(c->io.opaque, offset, e->table, c->table_size);
        if (r < 0) {
            return r;
        }
    } else {
        memset(e->table, 0, c->table_size);
    }
    e->offset = offset;
    e->dirty = !read;
    e->last_use = ++c->clock;
    *table = e->table;
    return 0;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table)
{
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].table == table) {
            c->e[i].dirty = true;
            return;
        }
    }
}

int qcow2_cache_write_dirty(Qcow2Cache *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].offset && c->e[i].dirty) {
            int r = write_entry(c, &c->e[i]);
            if (r < 0) {
                return r;
            }
        }
    }
    return 0;
}

int qcow2_cache_write_table(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].offset == offset && c->e[i].dirty) {
            return write_entry(c, &c->e[i]);
        }
    }
    return 0;
}

bool qcow2_cache_is_dirty(const Qcow2Cache *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].offset && c->e[i].dirty) {
            return true;
        }
    }
    return false;
}

void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].offset == offset) {
            c->e[i].offset = 0;
            c->e[i].dirty = false;
        }
    }
}

uint64_t qcow2_cache_hits(const Qcow2Cache *c)
{
    return c->hits;
}

uint64_t qcow2_cache_misses(const Qcow2Cache *c)
{
    return c->misses;
}
