/* Unit tests for the VM state of qcow2 snapshots (BlockDriver.save_vmstate
 * and load_vmstate): the bytes saved before a snapshot is created belong
 * to it (its VM state size is what was saved), they leave the active state
 * (unmapped after the snapshot), come back when the snapshot is applied,
 * survive later disk writes, other snapshots and reopening, and the image
 * stays consistent (check finds nothing).  Formats without snapshots say
 * -ENOTSUP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "block/options.h"

extern const BlockDriver bdrv_qcow2, bdrv_raw;

static char *make_image(const BlockDriver *drv, const char *opts, uint64_t size)
{
    char tmpl[] = "/tmp/vemu-vmstate-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    close(fd);
    BlockOpts *o = block_opts_new();
    char *err = NULL;
    if (opts) {
        assert_int_equal(block_opts_parse(o, opts, &err), 0);
    }
    assert_int_equal(bdrv_create(drv, tmpl, size, o, &err), 0);
    block_opts_free(o);
    return strdup(tmpl);
}

static void fill(uint8_t *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        buf[i] = (uint8_t)((i * 131 + seed * 7 + (i >> 9)) ^ seed);
    }
}

static void assert_clean(BlockDriverState *bs)
{
    BlockCheckResult res;
    memset(&res, 0, sizeof(res));
    assert_int_equal(bs->drv->check(bs, &res, 0), 0);
    assert_int_equal(res.corruptions, 0);
    assert_int_equal(res.leaks, 0);
}

static void vmstate_roundtrip(const char *create_opts)
{
    const uint64_t disk = 3 << 20, vm = 300000;   /* not a multiple of a cluster */
    char *name = make_image(&bdrv_qcow2, create_opts, disk);
    char *err = NULL;
    BlockDriverState *bs = bdrv_open(name, "qcow2", BDRV_O_RDWR, &err);
    assert_non_null(bs);
    uint8_t *state = malloc(vm), *got = malloc(vm), *data = malloc(65536);
    fill(state, vm, 1);
    fill(data, 65536, 2);
    assert_int_equal(bdrv_pwrite(bs, 4096, data, 65536), 0);
    /* saved in two pieces, out of order */
    assert_int_equal(bdrv_save_vmstate(bs, state + 100000, 100000, vm - 100000), 0);
    assert_int_equal(bdrv_save_vmstate(bs, state, 0, 100000), 0);
    assert_int_equal(bs->drv->snapshot_create(bs, "vm1", &err), 0);
    BlockSnapshotInfo *list = NULL;
    assert_int_equal(bs->drv->snapshot_list(bs, &list), 1);
    assert_int_equal(list[0].vm_state_size, vm);
    free(list);
    /* a snapshot without a saved state has none */
    assert_int_equal(bs->drv->snapshot_create(bs, "disk-only", &err), 0);
    assert_int_equal(bs->drv->snapshot_list(bs, &list), 2);
    assert_int_equal(list[1].vm_state_size, 0);
    free(list);
    /* the active state no longer holds it */
    memset(got, 0xee, vm);
    assert_int_equal(bdrv_load_vmstate(bs, got, 0, 4096), 0);
    for (int i = 0; i < 4096; i++) {
        assert_int_equal(got[i], 0);
    }
    /* later disk writes, then back to the snapshot */
    fill(data, 65536, 3);
    assert_int_equal(bdrv_pwrite(bs, 0, data, 65536), 0);
    assert_clean(bs);
    bdrv_close(bs);
    bs = bdrv_open(name, "qcow2", BDRV_O_RDWR, &err);
    assert_non_null(bs);
    assert_int_equal(bs->drv->snapshot_goto(bs, "vm1", &err), 0);
    memset(got, 0, vm);
    assert_int_equal(bdrv_load_vmstate(bs, got, 0, vm), 0);
    assert_memory_equal(got, state, vm);
    assert_int_equal(bdrv_load_vmstate(bs, got, 12345, 1000), 0);
    assert_memory_equal(got, state + 12345, 1000);
    fill(data, 65536, 2);
    uint8_t *disk_got = malloc(65536);
    assert_int_equal(bdrv_pread(bs, 4096, disk_got, 65536), 0);
    assert_memory_equal(disk_got, data, 65536);
    /* deleting another snapshot keeps it; so does overwriting it in the
     * active state (the snapshot has its own references) */
    assert_int_equal(bs->drv->snapshot_delete(bs, "disk-only", &err), 0);
    fill(state, 4096, 9);
    assert_int_equal(bdrv_save_vmstate(bs, state, 0, 4096), 0);
    assert_int_equal(bs->drv->snapshot_goto(bs, "vm1", &err), 0);
    fill(state, 4096, 1);
    assert_int_equal(bdrv_load_vmstate(bs, got, 0, vm), 0);
    assert_memory_equal(got, state, vm);
    assert_clean(bs);
    /* nothing past what the L1 table can reach */
    assert_int_equal(bdrv_load_vmstate(bs, got, 1ull << 40, 16), -EINVAL);
    bdrv_close(bs);
    unlink(name);
    free(name);
    free(state);
    free(got);
    free(data);
    free(disk_got);
}

static void test_vmstate(void **state)
{
    (void)state;
    vmstate_roundtrip(NULL);
}

static void test_vmstate_small_clusters(void **state)
{
    (void)state;
    vmstate_roundtrip("cluster_size=512,refcount_bits=4");
}

static void test_vmstate_extended_l2(void **state)
{
    (void)state;
    vmstate_roundtrip("extended_l2=on,cluster_size=16k,lazy_refcounts=on");
}

static void test_vmstate_unsupported(void **state)
{
    (void)state;
    char *name = make_image(&bdrv_raw, NULL, 1 << 20);
    char *err = NULL;
    BlockDriverState *bs = bdrv_open(name, "raw", BDRV_O_RDWR, &err);
    assert_non_null(bs);
    uint8_t b[16] = { 0 };
    assert_int_equal(bdrv_save_vmstate(bs, b, 0, sizeof(b)), -ENOTSUP);
    assert_int_equal(bdrv_load_vmstate(bs, b, 0, sizeof(b)), -ENOTSUP);
    bdrv_close(bs);
    unlink(name);
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vmstate),
        cmocka_unit_test(test_vmstate_small_clusters),
        cmocka_unit_test(test_vmstate_extended_l2),
        cmocka_unit_test(test_vmstate_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
