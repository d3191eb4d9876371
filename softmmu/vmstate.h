/*
 * vmstate.h — a device's state, described once, saved and loaded as a
 * versioned, self-describing stream (savevm/loadvm; docs/vmstate.md).
 *
 * Every stateful part of a machine registers one instance at creation:
 *
 *     static const VMStateField pl011_fields[] = {
 *         VMS_FIELD(PL011, fifo), VMS_FIELD(PL011, head), ...,
 *         VMS_END
 *     };
 *     static const VMStateDescription pl011_vmsd = {
 *         .name = "pl011", .version = 1, .fields = pl011_fields,
 *     };
 *     vmstate_register(&pl011_vmsd, base, u);   // in pl011_new
 *
 * A field is plain data at an offset of the device struct (integers,
 * bools, enums, arrays and structs of them: no pointers), or a Timer * whose
 * expiry (virtual clock, absolute) is what is saved.  What does not fit a
 * field (a pointer to a big buffer, RAM) goes through save/load callbacks
 * that write a free-form byte stream with the vms_put_* / vms_get_*
 * helpers.  post_load runs after every instance is loaded (re-driving
 * output lines, for example).
 *
 * The stream names every section (device name and instance id) and every
 * field (name, kind, size), so a load finds mismatches and says which
 * device and field is wrong instead of loading garbage.  Everything runs
 * with the machine stopped, on the vcpu thread, the machine lock held.
 */
#ifndef VEMU_SOFTMMU_VMSTATE_H
#define VEMU_SOFTMMU_VMSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum VMStateKind {
    VMS_KIND_DATA = 1,   /* size bytes at offset, copied as they are (little-endian hosts) */
    VMS_KIND_TIMER = 2,  /* a Timer * at offset: its expiry, or not pending */
} VMStateKind;

typedef struct VMStateField {
    const char *name;
    size_t offset, size;
    VMStateKind kind;
} VMStateField;

#define VMS_FIELD(Type, member) \
    { #member, offsetof(Type, member), sizeof(((Type *)0)->member), VMS_KIND_DATA }
/* a field of a member struct or an array element: a name of its own */
#define VMS_FIELD_NAMED(name, Type, member) \
    { name, offsetof(Type, member), sizeof(((Type *)0)->member), VMS_KIND_DATA }
#define VMS_TIMER(Type, member) \
    { #member, offsetof(Type, member), sizeof(void *), VMS_KIND_TIMER }
#define VMS_END { NULL, 0, 0, 0 }

typedef struct VMStateOut VMStateOut;
typedef struct VMStateIn VMStateIn;

typedef struct VMStateDescription {
    const char *name;
    uint32_t version;              /* a load accepts exactly this version */
    const VMStateField *fields;    /* VMS_END-terminated; NULL: none */
    /* free-form data after the fields (NULL: none); load returns 0 or -1
     * (with a message through vms_in_error) */
    void (*save)(void *opaque, VMStateOut *out);
    int (*load)(void *opaque, VMStateIn *in);
    void (*pre_save)(void *opaque);
    void (*post_load)(void *opaque);
} VMStateDescription;

/* Register an instance: (name, instance_id) must be unique (devices use
 * their base address; several of a kind at one address: 0, 1, ...). */
void vmstate_register(const VMStateDescription *vmsd, uint64_t instance_id, void *opaque);
/* Forget every instance of opaque (a unit test's device going away). */
void vmstate_unregister(void *opaque);

/* Where the stream goes / comes from: write/read len bytes at pos;
 * 0 or a negative errno. */
typedef struct VMStateSink {
    int (*write)(void *opaque, const void *buf, uint64_t pos, uint64_t len);
    void *opaque;
} VMStateSink;
typedef struct VMStateSource {
    int (*read)(void *opaque, void *buf, uint64_t pos, uint64_t len);
    void *opaque;
} VMStateSource;

/* The whole machine state: every registered instance, in registration
 * order, plus the virtual clock (vm_clock_ns, which the caller got from
 * the stopped clock and sets again on load).  Return the stream's size
 * (save) or 0 (load); on error -1 and *err (malloc'd). */
int64_t vmstate_save_all(const VMStateSink *sink, int64_t vm_clock_ns, char **err);
int vmstate_load_all(const VMStateSource *src, int64_t *vm_clock_ns, char **err);

/* Free-form data in a save/load callback. */
void vms_put_u8(VMStateOut *o, uint8_t v);
void vms_put_u32(VMStateOut *o, uint32_t v);
void vms_put_u64(VMStateOut *o, uint64_t v);
void vms_put_bytes(VMStateOut *o, const void *buf, size_t len);
/* A big buffer, page by page (4 KiB), all-zero pages as one byte: RAM, flash. */
void vms_put_pages(VMStateOut *o, const void *buf, uint64_t len);

uint8_t vms_get_u8(VMStateIn *in);
uint32_t vms_get_u32(VMStateIn *in);
uint64_t vms_get_u64(VMStateIn *in);
void vms_get_bytes(VMStateIn *in, void *buf, size_t len);
/* len must be what was saved (an error otherwise) */
void vms_get_pages(VMStateIn *in, void *buf, uint64_t len);
/* After an error, gets read zeroes; the load fails with the first message. */
void vms_in_error(VMStateIn *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool vms_in_failed(const VMStateIn *in);

/* A RAM block (host memory) as its own section "ram" (instance: id). */
void vmstate_register_ram(const char *name, uint64_t instance_id, void *host, uint64_t size);

#endif
