/* Unit tests for the device-state stream (softmmu/vmstate.c): fields,
 * timers (their expiries on the virtual clock), free-form data with zero
 * pages, a real device (the PL011's FIFO and registers), and the errors a
 * load must find instead of loading garbage: another machine's devices,
 * another version, a field of another size, a truncated or foreign
 * stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/devices.h"
#include "softmmu/memory.h"
#include "softmmu/timer.h"
#include "softmmu/vmstate.h"

/* the stream in memory */
typedef struct Mem {
    uint8_t *buf;
    uint64_t len, cap;
    uint64_t limit;          /* reads past it fail (a truncated state) */
} Mem;

static int mem_write(void *opaque, const void *buf, uint64_t pos, uint64_t len)
{
    Mem *m = opaque;
    if (pos + len > m->cap) {
        m->cap = (pos + len) * 2;
        m->buf = realloc(m->buf, m->cap);
    }
    memcpy(m->buf + pos, buf, len);
    if (pos + len > m->len)
        m->len = pos + len;
    return 0;
}

static int mem_read(void *opaque, void *buf, uint64_t pos, uint64_t len)
{
    Mem *m = opaque;
    uint64_t end = m->limit ? m->limit : m->len;
    if (pos >= end)
        return -EINVAL;
    uint64_t have = end - pos < len ? end - pos : len;
    memcpy(buf, m->buf + pos, have);
    memset((uint8_t *)buf + have, 0, len - have);
    return 0;
}

typedef struct Dev {
    uint32_t a;
    uint8_t arr[5];
    int64_t big;
    void *pointer;           /* not saved */
    Timer *t, *idle;
    uint8_t *blob;
    uint64_t blob_len;
    int post_loads;
} Dev;

static void dev_cb(void *opaque) { (void)opaque; }

static void dev_save(void *opaque, VMStateOut *out)
{
    Dev *d = opaque;
    vms_put_u32(out, 0xfeedf00d);
    vms_put_pages(out, d->blob, d->blob_len);
}

static int dev_load(void *opaque, VMStateIn *in)
{
    Dev *d = opaque;
    if (vms_get_u32(in) != 0xfeedf00d)
        vms_in_error(in, "bad tag");
    vms_get_pages(in, d->blob, d->blob_len);
    return vms_in_failed(in) ? -1 : 0;
}

static void dev_post_load(void *opaque)
{
    ((Dev *)opaque)->post_loads++;
}

static const VMStateField dev_fields[] = {
    VMS_FIELD(Dev, a), VMS_FIELD(Dev, arr), VMS_FIELD(Dev, big),
    VMS_TIMER(Dev, t), VMS_TIMER(Dev, idle),
    VMS_END
};
static const VMStateDescription dev_vmsd = {
    .name = "testdev", .version = 3, .fields = dev_fields,
    .save = dev_save, .load = dev_load, .post_load = dev_post_load,
};

static Dev *dev_new(uint64_t id)
{
    Dev *d = calloc(1, sizeof(*d));
    d->t = timer_new(dev_cb, d);
    d->idle = timer_new(dev_cb, d);
    d->blob_len = 3 * 4096 + 100;
    d->blob = calloc(1, d->blob_len);
    vmstate_register(&dev_vmsd, id, d);
    return d;
}

static void dev_free(Dev *d)
{
    vmstate_unregister(d);
    timer_free(d->t);
    timer_free(d->idle);
    free(d->blob);
    free(d);
}

static void test_roundtrip(void **state)
{
    (void)state;
    clock_virtual_set_for_test(1000);
    Dev *d = dev_new(0x1000);
    uint8_t ram[8192] = { 0 };
    ram[5000] = 0x42;
    vmstate_register_ram("testram", 7, ram, sizeof(ram));
    d->a = 0x12345678;
    memcpy(d->arr, "abcde", 5);
    d->big = -5;
    d->pointer = d;
    timer_mod(d->t, 123456789);
    d->blob[4096 + 7] = 9;
    d->blob[3 * 4096 + 99] = 1;

    Mem m = { 0 };
    VMStateSink sink = { mem_write, &m };
    char *err = NULL;
    int64_t n = vmstate_save_all(&sink, 5555, &err);
    assert_null(err);
    assert_int_equal(n, (int64_t)m.len);
    /* zero pages take a byte: far less than the 8 KiB of RAM and 12 KiB of blob */
    assert_true(m.len < 4096 * 3 + 1000);

    /* everything changes, then comes back */
    d->a = 0;
    memset(d->arr, 0, 5);
    d->big = 0;
    d->pointer = NULL;
    timer_del(d->t);
    timer_mod(d->idle, 42);
    memset(d->blob, 0xff, d->blob_len);
    memset(ram, 0x77, sizeof(ram));
    VMStateSource src = { mem_read, &m };
    int64_t clock = 0;
    assert_int_equal(vmstate_load_all(&src, &clock, &err), 0);
    assert_null(err);
    assert_int_equal(clock, 5555);
    assert_int_equal(d->a, 0x12345678);
    assert_memory_equal(d->arr, "abcde", 5);
    assert_int_equal(d->big, -5);
    assert_null(d->pointer);                     /* not a field */
    assert_int_equal(timer_expire_ns(d->t), 123456789);
    assert_false(timer_pending(d->idle));
    assert_int_equal(d->blob[4096 + 7], 9);
    assert_int_equal(d->blob[3 * 4096 + 99], 1);
    assert_int_equal(d->blob[0], 0);
    assert_int_equal(ram[5000], 0x42);
    assert_int_equal(ram[0], 0);
    assert_int_equal(d->post_loads, 1);

    /* a truncated stream: an error, not a crash */
    m.limit = m.len / 2;
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_non_null(err);
    free(err);
    err = NULL;
    m.limit = 0;

    /* not a vemu state */
    m.buf[0] ^= 0xff;
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_non_null(strstr(err, "not vemu's"));
    free(err);
    err = NULL;
    m.buf[0] ^= 0xff;

    /* another machine: a device more */
    Dev *extra = dev_new(0x2000);
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_non_null(strstr(err, "nothing for device 'testdev' (instance 0x2000)"));
    free(err);
    err = NULL;
    dev_free(extra);

    /* ... a device less */
    vmstate_unregister(ram);
    dev_free(d);
    d = dev_new(0x1000);
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_non_null(strstr(err, "which this machine lacks"));
    free(err);
    err = NULL;
    dev_free(d);
    free(m.buf);
    clock_virtual_set_for_test(-1);
}

static const VMStateField old_fields[] = { VMS_FIELD(Dev, a), VMS_END };
static const VMStateDescription old_vmsd = { .name = "olddev", .version = 1, .fields = old_fields };
static const VMStateDescription new_vmsd = { .name = "olddev", .version = 2, .fields = old_fields };
static const VMStateField wide_fields[] = { VMS_FIELD_NAMED("a", Dev, big), VMS_END };
static const VMStateDescription wide_vmsd = { .name = "olddev", .version = 1, .fields = wide_fields };

static void test_mismatch(void **state)
{
    (void)state;
    Dev d = { .a = 1 };
    vmstate_register(&old_vmsd, 0, &d);
    Mem m = { 0 };
    VMStateSink sink = { mem_write, &m };
    VMStateSource src = { mem_read, &m };
    char *err = NULL;
    int64_t clock;
    assert_true(vmstate_save_all(&sink, 0, &err) > 0);
    vmstate_unregister(&d);

    vmstate_register(&new_vmsd, 0, &d);
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_string_equal(err, "device 'olddev': saved as version 1, this vemu loads version 2");
    free(err);
    err = NULL;
    vmstate_unregister(&d);

    vmstate_register(&wide_vmsd, 0, &d);
    assert_int_equal(vmstate_load_all(&src, &clock, &err), -1);
    assert_non_null(strstr(err, "field 'a': saved as kind 1 of 4 bytes"));
    free(err);
    vmstate_unregister(&d);
    free(m.buf);
}

static void st(PhysMemory *pm, uint64_t a, uint32_t v)
{
    bool ok;
    phys_store(pm, a, v, 4, &ok);
    assert_true(ok);
}

static uint32_t ld(PhysMemory *pm, uint64_t a)
{
    bool ok;
    return (uint32_t)phys_load(pm, a, 4, &ok);
}

/* A real device: the UART's receive FIFO and registers come back. */
static void test_pl011(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    PL011 *u = pl011_new(pm, 0x101f1000, (IRQLine){ 0 }, NULL);
    st(pm, 0x101f1000 + 0x38, 0x10);   /* IMSC: RX */
    st(pm, 0x101f1000 + 0x24, 0x27);   /* IBRD */
    Mem m = { 0 };
    VMStateSink sink = { mem_write, &m };
    VMStateSource src = { mem_read, &m };
    char *err = NULL;
    int64_t clock;
    assert_true(vmstate_save_all(&sink, 0, &err) > 0);
    st(pm, 0x101f1000 + 0x38, 0);
    st(pm, 0x101f1000 + 0x24, 1);
    assert_int_equal(vmstate_load_all(&src, &clock, &err), 0);
    assert_int_equal(ld(pm, 0x101f1000 + 0x38), 0x10);
    assert_int_equal(ld(pm, 0x101f1000 + 0x24), 0x27);
    phys_memory_free(pm);
    pl011_free(u);
    free(m.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_mismatch),
        cmocka_unit_test(test_pl011),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
