/*
 * cfi-flash.c — a NOR flash with the Intel/Sharp command set and a CFI
 * query table, one chip 32 bits wide: the Versatile PB's 64 MiB of flash
 * at 0x34000000 in 256 KiB blocks (ARM DUI 0224 "Memory map"; Linux's
 * versatile-pb.dts: "cfi-flash", bank-width 4).  After the Common Flash
 * Interface specification (JEDEC JESD68, the query structure) and the
 * Intel "Basic Command Set" every Intel-compatible NOR flash documents.
 *
 * Commands (the low byte of a write; the address does not matter except
 * for the block an erase hits):
 *   0xFF read array (also 0xF0, the AMD reset Linux's probe sends)
 *   0x90 read identifier: word 0 the manufacturer (0x89, Intel), word 1 the
 *        device (0x18), word 2 of a block its lock status (0: unlocked)
 *   0x98 CFI query: word n is byte n of the query table (below)
 *   0x70 read status register (0x80: ready; 0x10 program error, 0x20 erase
 *        error, both for a bad command sequence); 0x50 clears it
 *   0x40 or 0x10, then data: program (bits can only go from 1 to 0)
 *   0x20, then 0xD0: erase the block (all ones)
 *   0x60, then 0x01, 0xD0 or 0x2F: block lock, unlock, lock-down
 *   0xB0 suspend, 0xD0 resume (nothing is ever in progress)
 * "Word" is the chip's 32-bit width: word n is at byte offset 4 n.  After
 * program, erase and lock the chip reads its status register until a
 * read-array command.  Unknown commands return to read-array mode.
 *
 * The query table says: command set 0x0001 (Intel) with its extended table
 * "PRI" version 1.0 at 0x31 and no optional features, 2^26 bytes, a x32
 * interface, no write buffer (so Linux programs a word at a time), one
 * erase region of 256 blocks of 256 KiB.
 *
 * Everything happens at once: there are no busy periods.  Not modelled:
 * the write buffer (0xE8), block locking (the commands are accepted, no
 * block is ever locked), the protection (OTP) registers, the VPP input
 * (the board's SYS_FLASH bit).  The contents start erased and are not
 * kept across runs (there is no -pflash yet).
 */
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/devices.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define MANUFACTURER_INTEL 0x89
#define DEVICE_ID          0x18

#define SR_READY         0x80
#define SR_ERASE_ERROR   0x20
#define SR_PROGRAM_ERROR 0x10

typedef enum {
    MODE_ARRAY,
    MODE_ID,
    MODE_QUERY,
    MODE_STATUS,
    MODE_PROGRAM,       /* the next write is the data */
    MODE_ERASE,         /* the next write must be 0xD0 */
    MODE_LOCK,          /* the next write is 0x01, 0xD0 or 0x2F */
} FlashMode;

struct CFIFlash {
    uint8_t *inv;           /* the contents, complemented: calloc'd zeros are erased flash */
    uint64_t size, block_size;
    FlashMode mode;
    uint8_t status;
    uint8_t query[0x50];
};

static void build_query(CFIFlash *f)
{
    uint8_t *q = f->query;
    memset(q, 0, sizeof f->query);
    q[0x10] = 'Q'; q[0x11] = 'R'; q[0x12] = 'Y';
    q[0x13] = 0x01; q[0x14] = 0x00;          /* primary command set: Intel */
    q[0x15] = 0x31; q[0x16] = 0x00;          /* its extended table at 0x31 */
    q[0x1B] = 0x27; q[0x1C] = 0x36;          /* Vcc 2.7..3.6 V */
    q[0x1F] = 0x04;                          /* word program: 16 us typical */
    q[0x21] = 0x0A;                          /* block erase: 1 s typical */
    q[0x23] = 0x04;                          /* maxima: 16 x typical */
    q[0x25] = 0x04;
    unsigned log2size = 0;
    while ((1ull << log2size) < f->size)
        log2size++;
    q[0x27] = (uint8_t)log2size;
    q[0x28] = 0x03; q[0x29] = 0x00;          /* x32 interface */
    q[0x2A] = 0x00; q[0x2B] = 0x00;          /* no write buffer */
    q[0x2C] = 1;                             /* one erase region */
    uint64_t blocks = f->size / f->block_size;
    q[0x2D] = (uint8_t)(blocks - 1);
    q[0x2E] = (uint8_t)((blocks - 1) >> 8);
    q[0x2F] = (uint8_t)(f->block_size / 256);
    q[0x30] = (uint8_t)((f->block_size / 256) >> 8);
    /* the Intel extended table: "PRI" 1.0, no optional features */
    q[0x31] = 'P'; q[0x32] = 'R'; q[0x33] = 'I';
    q[0x34] = '1'; q[0x35] = '0';
    q[0x3D] = 0x33;                          /* Vcc optimum 3.3 V */
}

static uint32_t read_array(const CFIFlash *f, uint64_t offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)(uint8_t)~f->inv[offset + i] << (8 * i);
    return v;
}

static uint64_t flash_read(void *opaque, uint64_t offset, unsigned size)
{
    CFIFlash *f = opaque;
    if (size > 4 || offset + size > f->size)
        return 0;
    uint64_t word = offset / 4;
    uint32_t v = 0;
    switch (f->mode) {
    case MODE_ARRAY:
        return read_array(f, offset, size);
    case MODE_ID:
        /* word 2 of each block, its lock status, reads 0 (unlocked) */
        v = word == 0 ? MANUFACTURER_INTEL : word == 1 ? DEVICE_ID : 0;
        break;
    case MODE_QUERY:
        v = word < sizeof f->query ? f->query[word] : 0;
        break;
    default:
        v = f->status;
        break;
    }
    unsigned shift = (offset & 3) * 8;
    v >>= shift;
    return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}

static void program(CFIFlash *f, uint64_t offset, uint64_t value, unsigned size)
{
    /* a 1 bit can become 0; a 0 stays (complemented: OR) */
    for (unsigned i = 0; i < size; i++)
        f->inv[offset + i] |= (uint8_t)~(value >> (8 * i));
}

static void flash_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    CFIFlash *f = opaque;
    if (size > 4 || offset + size > f->size)
        return;
    uint8_t cmd = (uint8_t)value;
    switch (f->mode) {
    case MODE_PROGRAM:
        program(f, offset, value, size);
        f->status |= SR_READY;
        f->mode = MODE_STATUS;
        return;
    case MODE_ERASE:
        if (cmd == 0xD0)
            memset(f->inv + (offset & ~(f->block_size - 1)), 0, f->block_size);
        else
            f->status |= SR_ERASE_ERROR | SR_PROGRAM_ERROR;
        f->status |= SR_READY;
        f->mode = MODE_STATUS;
        return;
    case MODE_LOCK:
        if (cmd != 0x01 && cmd != 0xD0 && cmd != 0x2F)
            f->status |= SR_ERASE_ERROR | SR_PROGRAM_ERROR;
        f->status |= SR_READY;
        f->mode = MODE_STATUS;
        return;
    default:
        break;
    }
    switch (cmd) {
    case 0x90: f->mode = MODE_ID; break;
    case 0x98: f->mode = MODE_QUERY; break;
    case 0x70: f->mode = MODE_STATUS; break;
    case 0x50: f->status = SR_READY; break;
    case 0x40: case 0x10: f->mode = MODE_PROGRAM; break;
    case 0x20: f->mode = MODE_ERASE; break;
    case 0x60: f->mode = MODE_LOCK; break;
    case 0xB0: case 0xD0: f->mode = MODE_STATUS; break;
    default: f->mode = MODE_ARRAY; break;   /* 0xFF, 0xF0 and the unknown */
    }
}

static const MemoryRegionOps flash_ops = { .read = flash_read, .write = flash_write };

static void flash_reset(void *opaque)
{
    CFIFlash *f = opaque;
    f->mode = MODE_ARRAY;
    f->status = SR_READY;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* the contents (complemented: erased blocks are zero pages, one byte each) */
static void flash_save(void *opaque, VMStateOut *out)
{
    CFIFlash *f = opaque;
    vms_put_pages(out, f->inv, f->size);
}

static int flash_load(void *opaque, VMStateIn *in)
{
    CFIFlash *f = opaque;
    vms_get_pages(in, f->inv, f->size);
    return vms_in_failed(in) ? -1 : 0;
}

static const VMStateField flash_fields[] = {
    VMS_FIELD(CFIFlash, size),
    VMS_FIELD(CFIFlash, block_size),
    VMS_FIELD(CFIFlash, mode),
    VMS_FIELD(CFIFlash, status),
    VMS_FIELD(CFIFlash, query),
    VMS_END
};

static const VMStateDescription flash_vmsd = {
    .name = "cfi-flash",
    .version = 1,
    .fields = flash_fields,
    .save = flash_save,
    .load = flash_load,
};

CFIFlash *cfi_flash_new(PhysMemory *pm, uint64_t base, uint64_t size, uint64_t block_size)
{
    CFIFlash *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->size = size;
    f->block_size = block_size;
    /* zero pages from the OS: only what is written takes memory */
    f->inv = calloc(1, size);
    if (!f->inv)
        abort();
    build_query(f);
    flash_reset(f);
    phys_add_mmio(pm, "cfi-flash", base, size, &flash_ops, f);
    device_register_reset(flash_reset, f);
    vmstate_register(&flash_vmsd, base, f);
    return f;
}

void cfi_flash_free(CFIFlash *f)
{
    vmstate_unregister(f);
    if (!f)
        return;
    free(f->inv);
    free(f);
}
