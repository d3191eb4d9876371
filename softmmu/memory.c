/*
 * memory.c — the guest physical address space (softmmu/memory.h).
 *
 * A sorted array of non-overlapping regions, searched by bisection.  The
 * space is laid out once by the board before the cpu runs, so lookups take
 * no lock; MMIO callbacks are called with the machine lock held by the
 * caller (the soft TLB's slow path, a DMA master), never taken here.
 *
 * Unassigned addresses read as 0 and ignore writes; the functions say so
 * (false / *ok = false) and the caller decides what the guest sees (the
 * soft TLB logs a guest error and lets the access complete, as the Versatile
 * PB's bus does: docs/softmmu.md, "Unassigned addresses").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "memory.h"

typedef enum RegionKind {
    REGION_RAM,
    REGION_ROM,
    REGION_MMIO,
    REGION_ALIAS,
} RegionKind;

typedef struct Region {
    char *name;
    RegionKind kind;
    uint64_t base, size;
    uint8_t *host;                 /* RAM/ROM */
    size_t map_size;               /* of host's mapping */
    const MemoryRegionOps *ops;    /* MMIO */
    void *opaque;
    uint64_t target;               /* alias: physical address shown at base */
} Region;

struct PhysMemory {
    Region *r;                     /* sorted by base */
    unsigned n, cap;
};

/* Aliases of aliases are followed this deep (a loop is a board bug). */
#define ALIAS_DEPTH 8

PhysMemory *phys_memory_new(void)
{
    PhysMemory *pm = calloc(1, sizeof(*pm));
    if (!pm) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return pm;
}

void phys_memory_free(PhysMemory *pm)
{
    if (!pm)
        return;
    for (unsigned i = 0; i < pm->n; i++) {
        if (pm->r[i].host)
            munmap(pm->r[i].host, pm->r[i].map_size);
        free(pm->r[i].name);
    }
    free(pm->r);
    free(pm);
}

/* The board described an impossible layout: a programming error. */
static _Noreturn void layout_error(const char *what, const char *name, uint64_t base, uint64_t size)
{
    fprintf(stderr, "vemu: physical memory: %s: region '%s' at 0x%llx size 0x%llx\n", what, name,
            (unsigned long long)base, (unsigned long long)size);
    abort();
}

static Region *add_region(PhysMemory *pm, const char *name, RegionKind kind, uint64_t base, uint64_t size)
{
    if (!size || base + size - 1 < base)
        layout_error("empty or wrapping", name, base, size);
    unsigned pos = 0;
    while (pos < pm->n && pm->r[pos].base < base)
        pos++;
    if ((pos > 0 && pm->r[pos - 1].base + pm->r[pos - 1].size - 1 >= base) ||
        (pos < pm->n && base + size - 1 >= pm->r[pos].base))
        layout_error("overlaps another", name, base, size);
    if (pm->n == pm->cap) {
        pm->cap = pm->cap ? pm->cap * 2 : 16;
        pm->r = realloc(pm->r, pm->cap * sizeof(*pm->r));
        if (!pm->r) {
            fputs("vemu: out of memory\n", stderr);
            abort();
        }
    }
    memmove(&pm->r[pos + 1], &pm->r[pos], (pm->n - pos) * sizeof(*pm->r));
    pm->n++;
    Region *r = &pm->r[pos];
    memset(r, 0, sizeof(*r));
    r->name = strdup(name ? name : "?");
    r->kind = kind;
    r->base = base;
    r->size = size;
    return r;
}

static uint8_t *add_host_region(PhysMemory *pm, const char *name, RegionKind kind, uint64_t base, uint64_t size)
{
    size_t map = (size_t)((size + 4095) & ~(uint64_t)4095);
    /* anonymous memory: zero-filled, page aligned, committed lazily */
    uint8_t *host = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        fprintf(stderr, "vemu: cannot allocate %llu bytes of guest memory for '%s'\n", (unsigned long long)size,
                name);
        exit(1);
    }
    Region *r = add_region(pm, name, kind, base, size);
    r->host = host;
    r->map_size = map;
    return host;
}

uint8_t *phys_add_ram(PhysMemory *pm, const char *name, uint64_t base, uint64_t size)
{
    return add_host_region(pm, name, REGION_RAM, base, size);
}

uint8_t *phys_add_rom(PhysMemory *pm, const char *name, uint64_t base, uint64_t size)
{
    return add_host_region(pm, name, REGION_ROM, base, size);
}

void phys_add_mmio(PhysMemory *pm, const char *name, uint64_t base, uint64_t size, const MemoryRegionOps *ops,
                   void *opaque)
{
    Region *r = add_region(pm, name, REGION_MMIO, base, size);
    r->ops = ops;
    r->opaque = opaque;
}

void phys_add_alias(PhysMemory *pm, const char *name, uint64_t base, uint64_t size, uint64_t target)
{
    PhysSection t = phys_lookup(pm, target);
    if (t.kind == PHYS_UNASSIGNED || size > t.size - t.offset)
        layout_error("alias of a range not (wholly) placed", name, base, size);
    Region *r = add_region(pm, name, REGION_ALIAS, base, size);
    r->target = target;
}

static const Region *find(const PhysMemory *pm, uint64_t addr)
{
    unsigned lo = 0, hi = pm->n;
    while (lo < hi) {          /* the last region whose base <= addr */
        unsigned mid = (lo + hi) / 2;
        if (pm->r[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const Region *r = &pm->r[lo - 1];
    return addr - r->base < r->size ? r : NULL;
}

static PhysSection lookup_depth(const PhysMemory *pm, uint64_t addr, int depth)
{
    PhysSection s = { .kind = PHYS_UNASSIGNED, .name = "unassigned", .base = addr, .size = 1 };
    const Region *r = find(pm, addr);
    if (!r)
        return s;
    if (r->kind == REGION_ALIAS) {
        if (depth >= ALIAS_DEPTH) {
            fprintf(stderr, "vemu: physical memory: alias loop at 0x%llx\n", (unsigned long long)addr);
            abort();
        }
        /* the target's section, clipped to the alias window so callers
         * never run past the alias's end */
        uint64_t off = addr - r->base;
        s = lookup_depth(pm, r->target + off, depth + 1);
        if (s.kind != PHYS_UNASSIGNED && s.size - s.offset > r->size - off)
            s.size = s.offset + (r->size - off);
        return s;
    }
    s.kind = r->kind == REGION_RAM ? PHYS_RAM : r->kind == REGION_ROM ? PHYS_ROM : PHYS_MMIO;
    s.name = r->name;
    s.base = r->base;
    s.size = r->size;
    s.offset = addr - r->base;
    if (r->host)
        s.host = r->host + s.offset;
    s.ops = r->ops;
    s.opaque = r->opaque;
    return s;
}

PhysSection phys_lookup(const PhysMemory *pm, uint64_t addr)
{
    return lookup_depth(pm, addr, 0);
}

/* Bytes of the unassigned hole at addr, up to the next region (at most max). */
static uint64_t hole_len(const PhysMemory *pm, uint64_t addr, uint64_t max)
{
    for (unsigned i = 0; i < pm->n; i++)
        if (pm->r[i].base > addr)
            return pm->r[i].base - addr < max ? pm->r[i].base - addr : max;
    return max;
}

/* A device answers with the access's size of bits (a callback returning
 * more is cut to it). */
static uint64_t mmio_read(const PhysSection *s, uint64_t off, unsigned size)
{
    uint64_t v = s->ops && s->ops->read ? s->ops->read(s->opaque, off, size) : 0;
    return size >= 8 ? v : v & (((uint64_t)1 << (8 * size)) - 1);
}

static void mmio_write(const PhysSection *s, uint64_t off, uint64_t v, unsigned size)
{
    if (s->ops && s->ops->write)
        s->ops->write(s->opaque, off, v, size);
}

/* Copy len bytes at addr, in pieces that each lie in one section. */
static bool phys_rw(PhysMemory *pm, uint64_t addr, uint8_t *buf, size_t len, bool write)
{
    bool ok = true;
    while (len) {
        PhysSection s = phys_lookup(pm, addr);
        uint64_t n;
        switch (s.kind) {
        case PHYS_RAM:
        case PHYS_ROM:
            n = s.size - s.offset;
            if (n > len)
                n = len;
            if (!write)
                memcpy(buf, s.host, n);
            else if (s.kind == PHYS_RAM)
                memcpy(s.host, buf, n);
            /* ROM ignores writes (loaders use the host pointer) */
            break;
        case PHYS_MMIO: {
            uint64_t left = s.size - s.offset;
            unsigned size = (len >= 4 && left >= 4 && !(addr & 3)) ? 4 : 1;
            n = size;
            if (write) {
                uint64_t v = 0;
                for (unsigned i = 0; i < size; i++)
                    v |= (uint64_t)buf[i] << (8 * i);
                mmio_write(&s, s.offset, v, size);
            } else {
                uint64_t v = mmio_read(&s, s.offset, size);
                for (unsigned i = 0; i < size; i++)
                    buf[i] = (uint8_t)(v >> (8 * i));
            }
            break;
        }
        default:
            n = hole_len(pm, addr, len);
            if (!write)
                memset(buf, 0, n);
            ok = false;
            break;
        }
        buf += n;
        addr += n;
        len -= n;
    }
    return ok;
}

bool phys_read(PhysMemory *pm, uint64_t addr, void *buf, size_t len)
{
    return phys_rw(pm, addr, buf, len, false);
}

bool phys_write(PhysMemory *pm, uint64_t addr, const void *buf, size_t len)
{
    return phys_rw(pm, addr, (uint8_t *)buf, len, true);
}

uint64_t phys_load(PhysMemory *pm, uint64_t addr, unsigned size, bool *ok)
{
    PhysSection s = phys_lookup(pm, addr);
    bool fits = s.size - s.offset >= size;
    uint64_t v = 0;
    if (s.kind == PHYS_MMIO && fits) {
        *ok = true;
        return mmio_read(&s, s.offset, size);
    }
    if ((s.kind == PHYS_RAM || s.kind == PHYS_ROM) && fits) {
        memcpy(&v, s.host, size);        /* little-endian host */
        *ok = true;
        return v;
    }
    /* unassigned, or crossing out of the region: byte by byte */
    uint8_t b[8];
    *ok = phys_read(pm, addr, b, size);
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

void phys_store(PhysMemory *pm, uint64_t addr, uint64_t value, unsigned size, bool *ok)
{
    PhysSection s = phys_lookup(pm, addr);
    bool fits = s.size - s.offset >= size;
    if (s.kind == PHYS_MMIO && fits) {
        mmio_write(&s, s.offset, value, size);
        *ok = true;
        return;
    }
    if ((s.kind == PHYS_RAM || s.kind == PHYS_ROM) && fits) {
        if (s.kind == PHYS_RAM)
            memcpy(s.host, &value, size);
        *ok = true;
        return;
    }
    uint8_t b[8];
    for (unsigned i = 0; i < size; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    *ok = phys_write(pm, addr, b, size);
}

void phys_memory_dump(const PhysMemory *pm, void (*line)(void *opaque, const char *text), void *opaque)
{
    static const char *const kinds[] = { "ram", "rom", "i/o", "alias" };
    for (unsigned i = 0; i < pm->n; i++) {
        const Region *r = &pm->r[i];
        char text[256];
        if (r->kind == REGION_ALIAS)
            snprintf(text, sizeof(text), "%016llx-%016llx (prio 0, %s): %s @%016llx",
                     (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1), kinds[r->kind],
                     r->name, (unsigned long long)r->target);
        else
            snprintf(text, sizeof(text), "%016llx-%016llx (prio 0, %s): %s", (unsigned long long)r->base,
                     (unsigned long long)(r->base + r->size - 1), kinds[r->kind], r->name);
        line(opaque, text);
    }
}

void phys_memory_foreach_mmio(const PhysMemory *pm,
                              void (*fn)(void *opaque, const char *name, uint64_t base, uint64_t size),
                              void *opaque)
{
    for (unsigned i = 0; i < pm->n; i++)
        if (pm->r[i].kind == REGION_MMIO)
            fn(opaque, pm->r[i].name, pm->r[i].base, pm->r[i].size);
}
