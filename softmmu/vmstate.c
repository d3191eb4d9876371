/*
 * vmstate.c — the registry of device state descriptions and the stream
 * they are saved to (softmmu/vmstate.h; the format is in docs/vmstate.md).
 *
 * The stream is written front to back through a buffer into a sink (the
 * VM-state area of a qcow2 image) and read back the same way, so a
 * machine's RAM never needs a second copy in memory.  Callback data goes
 * in chunks with a length each, ending with an empty chunk, so that a
 * reader knows where a section ends without the writer seeking back.
 */
#include "softmmu/vmstate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/timer.h"

#define VMS_MAGIC "VEMUVMS\n"
#define VMS_FORMAT_VERSION 1u
#define VMS_TAG_SECTION 'S'
#define VMS_TAG_END 'E'
#define VMS_END_MARK 0x21444e45u   /* "END!" */
#define BUF_SIZE (1u << 20)
#define CHUNK_SIZE (64u << 10)
#define PAGE 4096u

typedef struct Instance {
    const VMStateDescription *vmsd;
    uint64_t id;
    void *opaque;
    bool loaded;
} Instance;

static Instance *instances;
static size_t n_instances, cap_instances;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return p;
}

void vmstate_register(const VMStateDescription *vmsd, uint64_t instance_id, void *opaque)
{
    for (size_t i = 0; i < n_instances; i++) {
        if (!strcmp(instances[i].vmsd->name, vmsd->name) && instances[i].id == instance_id) {
            /* a device made again at the same place (unit tests build
             * many boards' worth of devices in one process): the newest */
            instances[i] = (Instance){ vmsd, instance_id, opaque, false };
            return;
        }
    }
    if (n_instances == cap_instances) {
        cap_instances = cap_instances ? cap_instances * 2 : 32;
        instances = xrealloc(instances, cap_instances * sizeof(*instances));
    }
    instances[n_instances++] = (Instance){ vmsd, instance_id, opaque, false };
}

/* A RAM block's instance (vmstate_register_ram). */
typedef struct RamBlock {
    VMStateDescription vmsd;
    void *host;
    uint64_t size;
} RamBlock;

static void ram_save(void *opaque, VMStateOut *out);

/* opaque is the instance's, or a RAM block's host memory */
static bool instance_of(const Instance *in, const void *opaque)
{
    if (in->opaque == opaque)
        return true;
    return in->vmsd->save == ram_save && ((const RamBlock *)in->opaque)->host == opaque;
}

void vmstate_unregister(void *opaque)
{
    size_t k = 0;
    for (size_t i = 0; i < n_instances; i++) {
        if (!instance_of(&instances[i], opaque)) {
            instances[k++] = instances[i];
        } else if (instances[i].vmsd->save == ram_save) {
            RamBlock *r = instances[i].opaque;   /* vmstate_register_ram's own */
            free((char *)r->vmsd.name);
            free(r);
        }
    }
    n_instances = k;
}

/* ---- writing ---------------------------------------------------------------- */

struct VMStateOut {
    const VMStateSink *sink;
    uint8_t *buf;
    size_t len;
    uint64_t pos;          /* stream offset of buf[0] */
    int error;             /* first sink error (negative errno) */
    uint8_t *chunk;
    size_t chunk_len;
};

static void out_flush(VMStateOut *o)
{
    if (o->len && !o->error) {
        int r = o->sink->write(o->sink->opaque, o->buf, o->pos, o->len);
        if (r < 0)
            o->error = r;
    }
    o->pos += o->len;
    o->len = 0;
}

static void raw_put(VMStateOut *o, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        size_t k = BUF_SIZE - o->len;
        if (k > n)
            k = n;
        memcpy(o->buf + o->len, b, k);
        o->len += k;
        b += k;
        n -= k;
        if (o->len == BUF_SIZE)
            out_flush(o);
    }
}

static void raw_u8(VMStateOut *o, uint8_t v) { raw_put(o, &v, 1); }
static void raw_u16(VMStateOut *o, uint16_t v) { uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) }; raw_put(o, b, 2); }
static void raw_u32(VMStateOut *o, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    raw_put(o, b, 4);
}
static void raw_u64(VMStateOut *o, uint64_t v)
{
    raw_u32(o, (uint32_t)v);
    raw_u32(o, (uint32_t)(v >> 32));
}
static void raw_str(VMStateOut *o, const char *s)
{
    size_t n = strlen(s);
    raw_u16(o, (uint16_t)n);
    raw_put(o, s, n);
}

static void chunk_flush(VMStateOut *o)
{
    if (!o->chunk_len)
        return;
    raw_u32(o, (uint32_t)o->chunk_len);
    raw_put(o, o->chunk, o->chunk_len);
    o->chunk_len = 0;
}

void vms_put_bytes(VMStateOut *o, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        size_t k = CHUNK_SIZE - o->chunk_len;
        if (k > n)
            k = n;
        memcpy(o->chunk + o->chunk_len, b, k);
        o->chunk_len += k;
        b += k;
        n -= k;
        if (o->chunk_len == CHUNK_SIZE)
            chunk_flush(o);
    }
}

void vms_put_u8(VMStateOut *o, uint8_t v) { vms_put_bytes(o, &v, 1); }
void vms_put_u32(VMStateOut *o, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    vms_put_bytes(o, b, 4);
}
void vms_put_u64(VMStateOut *o, uint64_t v)
{
    vms_put_u32(o, (uint32_t)v);
    vms_put_u32(o, (uint32_t)(v >> 32));
}

static bool all_zero(const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w)
            return false;
    }
    for (; i < n; i++)
        if (p[i])
            return false;
    return true;
}

void vms_put_pages(VMStateOut *o, const void *buf, uint64_t len)
{
    const uint8_t *p = buf;
    vms_put_u64(o, len);
    for (uint64_t off = 0; off < len && !o->error; off += PAGE) {
        size_t n = len - off < PAGE ? (size_t)(len - off) : PAGE;
        if (all_zero(p + off, n)) {
            vms_put_u8(o, 0);
        } else {
            vms_put_u8(o, 1);
            vms_put_bytes(o, p + off, n);
        }
    }
}

static void save_fields(VMStateOut *o, const Instance *in)
{
    uint32_t n = 0;
    const VMStateField *f = in->vmsd->fields;
    for (; f && f->name; f++)
        n++;
    raw_u32(o, n);
    for (f = in->vmsd->fields; f && f->name; f++) {
        const uint8_t *at = (const uint8_t *)in->opaque + f->offset;
        raw_str(o, f->name);
        raw_u8(o, (uint8_t)f->kind);
        if (f->kind == VMS_KIND_TIMER) {
            Timer *t = *(Timer *const *)at;
            raw_u32(o, 8);
            raw_u64(o, (uint64_t)(t && timer_pending(t) ? timer_expire_ns(t) : -1));
        } else {
            raw_u32(o, (uint32_t)f->size);
            raw_put(o, at, f->size);
        }
    }
}

int64_t vmstate_save_all(const VMStateSink *sink, int64_t vm_clock_ns, char **err)
{
    VMStateOut o = { .sink = sink, .buf = malloc(BUF_SIZE), .chunk = malloc(CHUNK_SIZE) };
    if (!o.buf || !o.chunk) {
        free(o.buf);
        free(o.chunk);
        if (asprintf(err, "out of memory") < 0)
            *err = NULL;
        return -1;
    }
    for (size_t i = 0; i < n_instances; i++)
        if (instances[i].vmsd->pre_save)
            instances[i].vmsd->pre_save(instances[i].opaque);
    raw_put(&o, VMS_MAGIC, 8);
    raw_u32(&o, VMS_FORMAT_VERSION);
    raw_u64(&o, (uint64_t)vm_clock_ns);
    raw_u32(&o, (uint32_t)n_instances);
    for (size_t i = 0; i < n_instances && !o.error; i++) {
        const Instance *in = &instances[i];
        raw_u8(&o, VMS_TAG_SECTION);
        raw_str(&o, in->vmsd->name);
        raw_u64(&o, in->id);
        raw_u32(&o, in->vmsd->version);
        save_fields(&o, in);
        if (in->vmsd->save)
            in->vmsd->save(in->opaque, &o);
        chunk_flush(&o);
        raw_u32(&o, 0);
    }
    raw_u8(&o, VMS_TAG_END);
    raw_u32(&o, VMS_END_MARK);
    out_flush(&o);
    free(o.buf);
    free(o.chunk);
    if (o.error) {
        if (asprintf(err, "Error while writing VM state: %s", strerror(-o.error)) < 0)
            *err = NULL;
        return -1;
    }
    return (int64_t)o.pos;
}

/* ---- reading ---------------------------------------------------------------- */

struct VMStateIn {
    const VMStateSource *src;
    uint8_t *buf;
    size_t len, off;       /* bytes in buf, read so far */
    uint64_t pos;          /* stream offset of buf[len] */
    char *error;
    uint32_t chunk_left;   /* bytes left of the current chunk */
    bool chunks_done;      /* the empty chunk was read */
    const char *section;   /* for messages */
};

void vms_in_error(VMStateIn *in, const char *fmt, ...)
{
    if (in->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    if (in->section && m) {
        char *t = NULL;
        if (asprintf(&t, "device '%s': %s", in->section, m) >= 0) {
            free(m);
            m = t;
        }
    }
    in->error = m ? m : strdup("error");
}

bool vms_in_failed(const VMStateIn *in)
{
    return in->error != NULL;
}

static void raw_get(VMStateIn *in, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        if (in->error) {
            memset(b, 0, n);
            return;
        }
        if (in->off == in->len) {
            int r = in->src->read(in->src->opaque, in->buf, in->pos, BUF_SIZE);
            if (r < 0) {
                /* near the end of the state the whole buffer may not exist: ask for less */
                size_t want = BUF_SIZE / 2;
                while (r < 0 && want >= 64) {
                    r = in->src->read(in->src->opaque, in->buf, in->pos, want);
                    if (r == 0) {
                        in->len = want;
                        break;
                    }
                    want /= 2;
                }
                if (r < 0) {
                    vms_in_error(in, "the VM state ends early (at byte %llu)", (unsigned long long)in->pos);
                    continue;
                }
            } else {
                in->len = BUF_SIZE;
            }
            in->off = 0;
            in->pos += in->len;
        }
        size_t k = in->len - in->off;
        if (k > n)
            k = n;
        memcpy(b, in->buf + in->off, k);
        in->off += k;
        b += k;
        n -= k;
    }
}

static uint8_t rget_u8(VMStateIn *in) { uint8_t v; raw_get(in, &v, 1); return v; }
static uint16_t rget_u16(VMStateIn *in) { uint8_t b[2]; raw_get(in, b, 2); return (uint16_t)(b[0] | b[1] << 8); }
static uint32_t rget_u32(VMStateIn *in)
{
    uint8_t b[4];
    raw_get(in, b, 4);
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint64_t rget_u64(VMStateIn *in)
{
    uint64_t lo = rget_u32(in);
    return lo | (uint64_t)rget_u32(in) << 32;
}
static void rget_str(VMStateIn *in, char *s, size_t cap)
{
    uint16_t n = rget_u16(in);
    if (n >= cap) {
        vms_in_error(in, "a name in the VM state is too long (%u bytes): not a vemu VM state", n);
        s[0] = 0;
        return;
    }
    raw_get(in, s, n);
    s[n] = 0;
}

void vms_get_bytes(VMStateIn *in, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        if (in->error) {
            memset(b, 0, n);
            return;
        }
        if (!in->chunk_left) {
            if (in->chunks_done) {
                vms_in_error(in, "its saved data ends early");
                continue;
            }
            in->chunk_left = rget_u32(in);
            if (!in->chunk_left) {
                in->chunks_done = true;
                continue;
            }
        }
        size_t k = in->chunk_left < n ? in->chunk_left : n;
        raw_get(in, b, k);
        in->chunk_left -= (uint32_t)k;
        b += k;
        n -= k;
    }
}

uint8_t vms_get_u8(VMStateIn *in) { uint8_t v; vms_get_bytes(in, &v, 1); return v; }
uint32_t vms_get_u32(VMStateIn *in)
{
    uint8_t b[4];
    vms_get_bytes(in, b, 4);
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
uint64_t vms_get_u64(VMStateIn *in)
{
    uint64_t lo = vms_get_u32(in);
    return lo | (uint64_t)vms_get_u32(in) << 32;
}

void vms_get_pages(VMStateIn *in, void *buf, uint64_t len)
{
    uint8_t *p = buf;
    uint64_t saved = vms_get_u64(in);
    if (saved != len) {
        vms_in_error(in, "%llu bytes were saved, the machine has %llu", (unsigned long long)saved,
                     (unsigned long long)len);
        return;
    }
    for (uint64_t off = 0; off < len && !in->error; off += PAGE) {
        size_t n = len - off < PAGE ? (size_t)(len - off) : PAGE;
        uint8_t flag = vms_get_u8(in);
        if (flag == 0)
            memset(p + off, 0, n);
        else if (flag == 1)
            vms_get_bytes(in, p + off, n);
        else
            vms_in_error(in, "bad page flag %u", flag);
    }
}

static Instance *find_instance(const char *name, uint64_t id)
{
    for (size_t i = 0; i < n_instances; i++)
        if (!strcmp(instances[i].vmsd->name, name) && instances[i].id == id)
            return &instances[i];
    return NULL;
}

static const VMStateField *find_field(const VMStateDescription *vmsd, const char *name)
{
    for (const VMStateField *f = vmsd->fields; f && f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

static void load_fields(VMStateIn *in, Instance *inst)
{
    uint32_t n = rget_u32(in);
    uint32_t expected = 0;
    for (const VMStateField *f = inst->vmsd->fields; f && f->name; f++)
        expected++;
    if (n != expected && !in->error) {
        vms_in_error(in, "%u fields were saved, the device has %u", n, expected);
        return;
    }
    for (uint32_t i = 0; i < n && !in->error; i++) {
        char name[128];
        rget_str(in, name, sizeof(name));
        uint8_t kind = rget_u8(in);
        uint32_t size = rget_u32(in);
        if (in->error)
            return;
        const VMStateField *f = find_field(inst->vmsd, name);
        if (!f) {
            vms_in_error(in, "the saved field '%s' is not the device's", name);
            return;
        }
        uint8_t *at = (uint8_t *)inst->opaque + f->offset;
        if (kind != f->kind || (f->kind == VMS_KIND_DATA && size != f->size) ||
            (f->kind == VMS_KIND_TIMER && size != 8)) {
            vms_in_error(in, "field '%s': saved as kind %u of %u bytes, the device's is kind %u of %zu",
                         name, kind, size, f->kind, f->kind == VMS_KIND_TIMER ? (size_t)8 : f->size);
            return;
        }
        if (f->kind == VMS_KIND_TIMER) {
            int64_t exp = (int64_t)rget_u64(in);
            Timer *t = *(Timer **)at;
            if (!in->error && t) {
                if (exp < 0)
                    timer_del(t);
                else
                    timer_mod(t, exp);
            }
        } else {
            raw_get(in, at, size);
        }
    }
}

int vmstate_load_all(const VMStateSource *src, int64_t *vm_clock_ns, char **err)
{
    VMStateIn in = { .src = src, .buf = malloc(BUF_SIZE) };
    if (!in.buf) {
        if (asprintf(err, "out of memory") < 0)
            *err = NULL;
        return -1;
    }
    for (size_t i = 0; i < n_instances; i++)
        instances[i].loaded = false;
    char magic[8];
    raw_get(&in, magic, 8);
    uint32_t version = rget_u32(&in);
    if (!in.error && memcmp(magic, VMS_MAGIC, 8))
        vms_in_error(&in, "the snapshot's VM state is not vemu's (no vemu header)");
    else if (!in.error && version != VMS_FORMAT_VERSION)
        vms_in_error(&in, "the VM state has format version %u, this vemu reads %u", version, VMS_FORMAT_VERSION);
    *vm_clock_ns = (int64_t)rget_u64(&in);
    uint32_t n = rget_u32(&in);
    for (uint32_t s = 0; s < n && !in.error; s++) {
        char name[128];
        if (rget_u8(&in) != VMS_TAG_SECTION) {
            vms_in_error(&in, "the VM state is damaged (section %u has no section mark)", s);
            break;
        }
        rget_str(&in, name, sizeof(name));
        uint64_t id = rget_u64(&in);
        uint32_t ver = rget_u32(&in);
        if (in.error)
            break;
        Instance *inst = find_instance(name, id);
        if (!inst || inst->loaded) {
            vms_in_error(&in, "the VM state has device '%s' (instance 0x%llx), which this machine %s", name,
                         (unsigned long long)id, inst ? "has only once" : "lacks");
            break;
        }
        in.section = name;
        if (ver != inst->vmsd->version) {
            vms_in_error(&in, "saved as version %u, this vemu loads version %u", ver, inst->vmsd->version);
            break;
        }
        load_fields(&in, inst);
        in.chunk_left = 0;
        in.chunks_done = false;
        if (inst->vmsd->load && !in.error && inst->vmsd->load(inst->opaque, &in) < 0 && !in.error)
            vms_in_error(&in, "its data does not load");
        /* the callback must have read everything */
        if (!in.error && (in.chunk_left || (!in.chunks_done && rget_u32(&in) != 0)))
            vms_in_error(&in, "more data was saved than it reads");
        inst->loaded = true;
        in.section = NULL;
    }
    if (!in.error && (rget_u8(&in) != VMS_TAG_END || rget_u32(&in) != VMS_END_MARK))
        vms_in_error(&in, "the VM state is damaged (no end mark)");
    for (size_t i = 0; i < n_instances && !in.error; i++)
        if (!instances[i].loaded)
            vms_in_error(&in, "the VM state has nothing for device '%s' (instance 0x%llx)",
                         instances[i].vmsd->name, (unsigned long long)instances[i].id);
    free(in.buf);
    if (in.error) {
        *err = in.error;
        return -1;
    }
    for (size_t i = 0; i < n_instances; i++)
        if (instances[i].vmsd->post_load)
            instances[i].vmsd->post_load(instances[i].opaque);
    return 0;
}

/* ---- RAM ---------------------------------------------------------------------- */

static void ram_save(void *opaque, VMStateOut *out)
{
    RamBlock *r = opaque;
    vms_put_pages(out, r->host, r->size);
}

static int ram_load(void *opaque, VMStateIn *in)
{
    RamBlock *r = opaque;
    vms_get_pages(in, r->host, r->size);
    return vms_in_failed(in) ? -1 : 0;
}

void vmstate_register_ram(const char *name, uint64_t instance_id, void *host, uint64_t size)
{
    RamBlock *r = calloc(1, sizeof(*r));
    if (!r)
        abort();
    r->vmsd = (VMStateDescription){ .name = strdup(name), .version = 1, .save = ram_save, .load = ram_load };
    r->host = host;
    r->size = size;
    vmstate_register(&r->vmsd, instance_id, r);
}
