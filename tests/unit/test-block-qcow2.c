/* Unit tests for qcow2 internals: refcount entries of every width (1..64
 * bits) packed in a block, neighbours untouched, the sub-byte order (from
 * the least significant bit) and big-endian wide entries as the
 * specification lays them out; the metadata cache (hits, LRU eviction of
 * clean tables, make_room called only when every table is dirty, write-back
 * of dirty tables, new zeroed tables, dropped entries); the worker pool
 * (every request runs once, bounded queue, drain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "block/thread-pool.h"

static void test_refblock_widths(void **state)
{
    uint8_t block[512];
    for (int order = 0; order <= 6; order++) {
        int bits = 1 << order;
        uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
        uint64_t entries = sizeof(block) * 8 / bits;
        memset(block, 0, sizeof(block));
        for (uint64_t i = 0; i < entries; i++) {
            qcow2_refblock_set(block, order, i, (i * 2654435761ull) & max);
        }
        for (uint64_t i = 0; i < entries; i++) {
            assert_int_equal(qcow2_refblock_get(block, order, i), (i * 2654435761ull) & max);
        }
        /* setting one entry to its maximum leaves its neighbours alone */
        qcow2_refblock_set(block, order, 5, max);
        assert_int_equal(qcow2_refblock_get(block, order, 5), max);
        assert_int_equal(qcow2_refblock_get(block, order, 4), (4 * 2654435761ull) & max);
        assert_int_equal(qcow2_refblock_get(block, order, 6), (6 * 2654435761ull) & max);
    }
}

static void test_refblock_layout(void **state)
{
    uint8_t block[16];
    memset(block, 0, sizeof(block));
    qcow2_refblock_set(block, 0, 0, 1);       /* 1 bit: entry 0 is bit 0 of byte 0 */
    qcow2_refblock_set(block, 0, 9, 1);       /* entry 9 is bit 1 of byte 1 */
    assert_int_equal(block[0], 0x01);
    assert_int_equal(block[1], 0x02);
    memset(block, 0, sizeof(block));
    qcow2_refblock_set(block, 2, 1, 0xa);     /* 4 bits: entry 1 is the high nibble */
    assert_int_equal(block[0], 0xa0);
    memset(block, 0, sizeof(block));
    qcow2_refblock_set(block, 4, 1, 0x1234);  /* 16 bits big-endian */
    assert_int_equal(block[2], 0x12);
    assert_int_equal(block[3], 0x34);
    qcow2_refblock_set(block, 6, 1, 0x0102030405060708ull);
    assert_int_equal(block[8], 0x01);
    assert_int_equal(block[15], 0x08);
}

/* ---- the metadata cache over an in-memory "disk" ---- */
#define TS 64
typedef struct FakeDisk {
    uint8_t data[64 * TS];
    int reads, writes, make_room_calls;
    struct Qcow2Cache *cache;
} FakeDisk;

static int fd_read(void *opaque, uint64_t offset, void *buf, size_t len)
{
    FakeDisk *d = opaque;
    d->reads++;
    memcpy(buf, d->data + offset, len);
    return 0;
}

static int fd_write(void *opaque, uint64_t offset, const void *buf, size_t len)
{
    FakeDisk *d = opaque;
    d->writes++;
    memcpy(d->data + offset, buf, len);
    return 0;
}

static int fd_make_room(void *opaque)
{
    FakeDisk *d = opaque;
    d->make_room_calls++;
    return qcow2_cache_write_dirty(d->cache);
}

static void test_cache(void **state)
{
    FakeDisk *d = calloc(1, sizeof(*d));
    for (int i = 0; i < 64; i++) {
        memset(d->data + i * TS, i, TS);
    }
    Qcow2CacheIO io = { fd_read, fd_write, fd_make_room, d };
    Qcow2Cache *c = qcow2_cache_new(3, TS, &io);
    d->cache = c;
    uint8_t *t;
    assert_int_equal(qcow2_cache_get(c, 1 * TS, true, &t), 0);
    assert_int_equal(t[0], 1);
    assert_int_equal(qcow2_cache_get(c, 1 * TS, true, &t), 0);   /* a hit */
    assert_int_equal(d->reads, 1);
    assert_int_equal(qcow2_cache_hits(c), 1);
    qcow2_cache_get(c, 2 * TS, true, &t);
    qcow2_cache_get(c, 3 * TS, true, &t);
    qcow2_cache_get(c, 1 * TS, true, &t);        /* 1 is now the most recent */
    qcow2_cache_get(c, 4 * TS, true, &t);        /* evicts 2, the least recent */
    assert_int_equal(d->reads, 4);
    qcow2_cache_get(c, 1 * TS, true, &t);
    assert_int_equal(d->reads, 4);
    qcow2_cache_get(c, 2 * TS, true, &t);
    assert_int_equal(d->reads, 5);
    assert_int_equal(qcow2_cache_misses(c), 5);

    /* dirty tables are not evicted until make_room wrote them */
    qcow2_cache_get(c, 1 * TS, true, &t);
    t[0] = 0xee;
    qcow2_cache_mark_dirty(c, t);
    qcow2_cache_get(c, 2 * TS, true, &t);
    t[0] = 0xdd;
    qcow2_cache_mark_dirty(c, t);
    qcow2_cache_get(c, 9 * TS, false, &t);       /* a new table: zeroed, dirty */
    assert_int_equal(t[0], 0);
    assert_true(qcow2_cache_is_dirty(c));
    assert_int_equal(d->make_room_calls, 0);
    assert_int_equal(d->data[1 * TS], 1);        /* not written yet */
    qcow2_cache_get(c, 5 * TS, true, &t);        /* every table dirty: make room */
    assert_int_equal(d->make_room_calls, 1);
    assert_int_equal(d->data[1 * TS], 0xee);
    assert_int_equal(d->data[2 * TS], 0xdd);
    assert_int_equal(d->data[9 * TS], 0);
    assert_false(qcow2_cache_is_dirty(c));

    /* a dropped table is read again */
    int reads = d->reads;
    qcow2_cache_drop(c, 5 * TS);
    qcow2_cache_get(c, 5 * TS, true, &t);
    assert_int_equal(d->reads, reads + 1);
    assert_int_equal(qcow2_cache_get(c, 0, true, &t), -EINVAL);   /* offset 0 is the header */
    qcow2_cache_free(c);
    free(d);
}

/* ---- the worker pool ---- */
static int counter[1000];
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static int completed;

static int job(void *opaque)
{
    int i = (int)(intptr_t)opaque;
    __atomic_add_fetch(&counter[i], 1, __ATOMIC_SEQ_CST);
    return i;
}

static void job_done(void *opaque, int ret)
{
    assert_int_equal(ret, (int)(intptr_t)opaque);
    pthread_mutex_lock(&count_lock);
    completed++;
    pthread_mutex_unlock(&count_lock);
}

static void test_thread_pool(void **state)
{
    ThreadPool *p = thread_pool_new(4, 8);
    memset(counter, 0, sizeof(counter));
    completed = 0;
    for (int i = 0; i < 1000; i++) {
        thread_pool_submit(p, job, (void *)(intptr_t)i, job_done, (void *)(intptr_t)i);
    }
    thread_pool_drain(p);
    assert_int_equal(completed, 1000);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(counter[i], 1);
    }
    thread_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refblock_widths),
        cmocka_unit_test(test_refblock_layout),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_thread_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
