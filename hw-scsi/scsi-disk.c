/*
 * scsi-disk.c — scsi-hd and scsi-cd: a SCSI disk (SBC-3 commands, 512-byte
 * blocks) and a CD/DVD-ROM drive (MMC-6 commands, 2048-byte blocks) on an
 * image opened by the block layer, so qcow2 overlays, backing files and
 * -snapshot work beneath them.  Commands follow SPC-3/SBC-3/MMC-6 (T10);
 * the answers are what Linux's sd and sr drivers ask for when they probe
 * and use a device:
 *   all:  TEST UNIT READY, REQUEST SENSE, INQUIRY (standard data, VPD
 *         pages 00h, 80h, 83h), MODE SENSE(6/10), REPORT LUNS, START STOP
 *         UNIT, PREVENT ALLOW MEDIUM REMOVAL, READ CAPACITY(10/16),
 *         READ(6/10/12/16), VERIFY(10/16), SYNCHRONIZE CACHE(10/16)
 *   disk: WRITE(6/10/12/16), WRITE SAME(10/16) of zeroes, MODE SENSE page
 *         08h (caching: WCE reflects cache=writethrough)
 *   cd:   READ TOC (formats 0 and 1, LBA or MSF), GET CONFIGURATION,
 *         READ DISC INFORMATION, GET EVENT STATUS NOTIFICATION (media
 *         class), MODE SENSE page 2Ah, SET CD SPEED; the tray (eject,
 *         lock) and UNIT ATTENTION after a medium change
 * Not modelled: logical units other than 0 (they answer "not supported"),
 * other mode pages, MODE SELECT (accepted, ignored), protection
 * information, UNMAP, audio and the writing commands of MMC.
 */
#include "hw-scsi/scsi-disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/vmstate.h"

struct SCSIDevice {
    BlockDriverState *bs;          /* NULL: no medium */
    bool cdrom, read_only, locked, tray_open, write_cache;
    uint32_t block_size;
    char serial[21];
    /* sense data for the next REQUEST SENSE (key 0: none) */
    uint8_t sense_key, asc, ascq;
    bool unit_attention;           /* medium changed: report 06/28/00 once */
    int media_event;               /* for GET EVENT STATUS NOTIFICATION: 0 none, 2 new, 3 removed */
    bool had_medium;               /* savevm: whether bs was there */
    void (*eject_notify)(void *);
    void *eject_opaque;
};

enum { NO_SENSE = 0, NOT_READY = 2, MEDIUM_ERROR = 3, ILLEGAL_REQUEST = 5, UNIT_ATTENTION = 6,
       DATA_PROTECT = 7 };

SCSIDevice *scsi_disk_new(BlockDriverState *bs, bool cdrom, bool read_only, const char *serial)
{
    SCSIDevice *d = calloc(1, sizeof(*d));
    d->bs = bs;
    d->cdrom = cdrom;
    d->read_only = read_only || cdrom;
    d->block_size = cdrom ? 2048 : 512;
    d->write_cache = true;
    snprintf(d->serial, sizeof d->serial, "%s", serial && *serial ? serial : "0");
    return d;
}

bool scsi_disk_is_cdrom(const SCSIDevice *d) { return d->cdrom; }
bool scsi_disk_locked(const SCSIDevice *d) { return d->locked; }
void scsi_disk_set_write_cache(SCSIDevice *d, bool on) { d->write_cache = on; }

void scsi_disk_set_eject_notify(SCSIDevice *d, void (*fn)(void *opaque), void *opaque)
{
    d->eject_notify = fn;
    d->eject_opaque = opaque;
}

void scsi_disk_eject(SCSIDevice *d)
{
    d->bs = NULL;
    d->tray_open = true;
    d->media_event = 3;
}

void scsi_disk_insert(SCSIDevice *d, BlockDriverState *bs, bool read_only)
{
    d->bs = bs;
    d->read_only = read_only || d->cdrom;
    d->tray_open = false;
    d->unit_attention = true;
    d->media_event = 2;
}

void scsi_device_reset(SCSIDevice *d)
{
    d->locked = false;
}

int scsi_cdb_length(uint8_t opcode)
{
    switch (opcode >> 5) {
    case 0: return 6;
    case 1: case 2: return 10;
    case 4: return 16;
    case 5: return 12;
    default: return 10;     /* vendor groups: what Linux sends is 10 */
    }
}

void scsi_request_end(SCSIRequest *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* ---- helpers ------------------------------------------------------------ */

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v >> 32); put32(p + 4, v); }
static uint32_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }

static void check(SCSIDevice *d, SCSIRequest *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    d->sense_key = key;
    d->asc = asc;
    d->ascq = ascq;
    r->status = SCSI_CHECK_CONDITION;
    r->dir = SCSI_XFER_NONE;
    free(r->buf);
    r->buf = NULL;
    r->len = 0;
    r->done = true;
}

static void good(SCSIRequest *r)
{
    r->status = SCSI_GOOD;
    r->done = true;
}

/* A data-in answer of n bytes, cut to the allocation length. */
static void reply(SCSIRequest *r, const uint8_t *data, uint32_t n, uint32_t alloc)
{
    if (n > alloc)
        n = alloc;
    r->buf = malloc(n ? n : 1);
    memcpy(r->buf, data, n);
    r->len = n;
    r->dir = n ? SCSI_XFER_IN : SCSI_XFER_NONE;
    if (!n)
        good(r);
}

static uint64_t nblocks(const SCSIDevice *d)
{
    if (!d->bs)
        return 0;
    int64_t len = bdrv_getlength(d->bs);
    return len > 0 ? (uint64_t)len / d->block_size : 0;
}

/* ---- INQUIRY ------------------------------------------------------------- */

static void inquiry(SCSIDevice *d, SCSIRequest *r)
{
    uint8_t b[96] = { 0 };
    uint32_t alloc = get16(r->cdb + 3);
    uint8_t type = d->cdrom ? 0x05 : 0x00;
    if (r->cdb[1] & 1) {          /* EVPD */
        b[0] = type;
        b[1] = r->cdb[2];
        int n;
        switch (r->cdb[2]) {
        case 0x00:
            b[4] = 0x00, b[5] = 0x80, b[6] = 0x83;
            n = 3;
            break;
        case 0x80:
            n = strlen(d->serial);
            memcpy(b + 4, d->serial, n);
            break;
        case 0x83:
            b[4] = 0x02;          /* ASCII */
            b[5] = 0x01;          /* T10 vendor id */
            n = snprintf((char *)b + 8, 40, "VEMU    %s", d->serial);
            b[7] = n;
            n += 4;
            break;
        default:
            check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);   /* invalid field in CDB */
            return;
        }
        put16(b + 2, n);
        reply(r, b, n + 4, alloc);
        return;
    }
    if (r->cdb[2]) {
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    b[0] = r->lun ? 0x7f : type;  /* 7fh: no logical unit here */
    b[1] = d->cdrom ? 0x80 : 0;   /* removable medium */
    b[2] = 5;                     /* SPC-3 */
    b[3] = 2;                     /* response data format */
    b[4] = 36 - 5;
    b[7] = 0x12;                  /* synchronous transfers, tagged queuing */
    memcpy(b + 8, "VEMU    ", 8);
    memcpy(b + 16, d->cdrom ? "VEMU CD-ROM     " : "VEMU HARDDISK   ", 16);
    memcpy(b + 32, "1.0 ", 4);
    reply(r, b, 36, alloc);
}

/* ---- MODE SENSE ---------------------------------------------------------- */

static int mode_page(SCSIDevice *d, int page, int pc, uint8_t *p)
{
    memset(p, 0, 32);
    if (page == 0x08 && !d->cdrom) {
        p[0] = 0x08, p[1] = 0x12;
        if (pc != 1 && d->write_cache)
            p[2] = 0x04;           /* WCE */
        return 20;
    }
    if (page == 0x2a && d->cdrom) {
        p[0] = 0x2a, p[1] = 0x14;
        if (pc == 1)
            return 22;
        p[2] = 0x3b;               /* reads CD-R, CD-RW, DVD-ROM, method 2 */
        p[4] = 0x71;               /* audio play, multisession, mode 2 forms */
        p[5] = 0xff;
        p[6] = 0x2d | (d->locked ? 0x02 : 0);   /* tray, eject, lock (state) */
        put16(p + 8, 50 * 176);    /* maximum speed (KB/s) */
        put16(p + 10, 2);          /* volume levels */
        put16(p + 12, 2048);       /* buffer */
        put16(p + 14, 50 * 176);   /* current speed */
        return 22;
    }
    return 0;
}

static void mode_sense(SCSIDevice *d, SCSIRequest *r, bool ten)
{
    uint8_t b[256] = { 0 };
    int page = r->cdb[2] & 0x3f, pc = r->cdb[2] >> 6;
    bool dbd = r->cdb[1] & 0x08;
    uint32_t alloc = ten ? get16(r->cdb + 7) : r->cdb[4];
    if (pc == 3) {
        check(d, r, ILLEGAL_REQUEST, 0x39, 0x00);   /* saving parameters not supported */
        return;
    }
    int hdr = ten ? 8 : 4, n = hdr;
    uint8_t devspec = (d->read_only ? 0x80 : 0) | (d->cdrom ? 0 : 0x10);
    if (!dbd && !d->cdrom) {
        uint64_t nb = nblocks(d);
        uint8_t *bd = b + n;
        put32(bd, nb > 0xffffff ? 0 : (uint32_t)nb);
        bd[0] = 0;                 /* density */
        put32(bd + 4, d->block_size);
        bd[4] = 0;
        n += 8;
    }
    static const int pages[] = { 0x08, 0x2a };
    bool found = false;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (page != 0x3f && page != pages[i])
            continue;
        int len = mode_page(d, pages[i], pc, b + n);
        n += len;
        found |= len > 0;
    }
    if (!found && page != 0x3f) {
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    if (ten) {
        put16(b, n - 2);
        b[3] = devspec;
        put16(b + 6, n > hdr && !dbd && !d->cdrom ? 8 : 0);
    } else {
        b[0] = n - 1;
        b[2] = devspec;
        b[3] = !dbd && !d->cdrom ? 8 : 0;
    }
    reply(r, b, n, alloc);
}

/* ---- CD-ROM ------------------------------------------------------------- */

static void put_addr(uint8_t *p, uint32_t lba, bool msf)
{
    if (!msf) {
        put32(p, lba);
        return;
    }
    lba += 150;
    p[0] = 0;
    p[1] = lba / (60 * 75);
    p[2] = lba / 75 % 60;
    p[3] = lba % 75;
}

static void read_toc(SCSIDevice *d, SCSIRequest *r)
{
    uint8_t b[64] = { 0 };
    bool msf = r->cdb[1] & 2;
    int format = r->cdb[2] & 0xf;
    if (!format)
        format = r->cdb[9] >> 6;   /* the older place (SFF-8020) */
    uint32_t alloc = get16(r->cdb + 7), end = nblocks(d);
    int start = r->cdb[6], n = 4;
    b[2] = 1, b[3] = 1;
    if (format == 0) {
        if (start > 1 && start != 0xaa) {
            check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
            return;
        }
        if (start <= 1) {
            b[n + 1] = 0x14, b[n + 2] = 1;          /* data track 1 */
            put_addr(b + n + 4, 0, msf);
            n += 8;
        }
        b[n + 1] = 0x14, b[n + 2] = 0xaa;           /* lead-out */
        put_addr(b + n + 4, end, msf);
        n += 8;
    } else if (format == 1) {                       /* session information */
        b[n + 1] = 0x14, b[n + 2] = 1;
        put_addr(b + n + 4, 0, msf);
        n += 8;
    } else {
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    put16(b, n - 2);
    reply(r, b, n, alloc);
}

static void get_configuration(SCSIDevice *d, SCSIRequest *r)
{
    uint8_t b[64] = { 0 };
    uint32_t alloc = get16(r->cdb + 7);
    uint16_t profile = !d->bs ? 0 : nblocks(d) * 2048ull > 800ull * 1024 * 1024 ? 0x0010 : 0x0008;
    int n = 8;
    put16(b + 6, profile);
    /* feature 0: the profile list (DVD-ROM, CD-ROM) */
    b[n + 2] = 0x03, b[n + 3] = 8;
    put16(b + n + 4, 0x0010), b[n + 6] = profile == 0x0010;
    put16(b + n + 8, 0x0008), b[n + 10] = profile == 0x0008;
    n += 12;
    /* feature 1: core (SCSI) */
    put16(b + n, 1), b[n + 2] = 0x0b, b[n + 3] = 8;
    put32(b + n + 4, 1), b[n + 8] = 1;
    n += 12;
    /* feature 3: removable medium (tray, eject, lock) */
    put16(b + n, 3), b[n + 2] = 0x03, b[n + 3] = 4;
    b[n + 4] = 0x29 | (d->locked ? 0x04 : 0);
    n += 8;
    put32(b, n - 4);
    reply(r, b, n, alloc);
}

static void disc_information(SCSIDevice *d, SCSIRequest *r)
{
    uint8_t b[34] = { 0 };
    if (r->cdb[1] & 7) {
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    put16(b, 32);
    b[2] = 0x0e;                   /* last session complete, disc finalized */
    b[3] = 1, b[4] = 1, b[5] = 1, b[6] = 1;
    b[7] = 0x20;                   /* unrestricted use */
    reply(r, b, sizeof b, get16(r->cdb + 7));
}

static void event_status(SCSIDevice *d, SCSIRequest *r)
{
    uint8_t b[8] = { 0 };
    if (!(r->cdb[1] & 1)) {        /* only polled operation */
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    b[3] = 0x10;                   /* supported classes: media */
    int n = 4;
    if (r->cdb[4] & 0x10) {
        b[2] = 0x04;
        b[4] = d->media_event;
        b[5] = (d->bs ? 0x02 : 0) | (d->tray_open ? 0x01 : 0);
        d->media_event = 0;
        n = 8;
    } else {
        b[2] = 0x80;               /* no event available */
    }
    put16(b, n - 2);
    reply(r, b, n, get16(r->cdb + 7));
}

static int write_same_data(SCSIDevice *d, SCSIRequest *r);

/* ---- reads and writes ---------------------------------------------------- */

static bool decode_rw(const uint8_t *cdb, uint64_t *lba, uint32_t *count)
{
    switch (cdb[0]) {
    case 0x08: case 0x0a:
        *lba = (cdb[1] & 0x1f) << 16 | cdb[2] << 8 | cdb[3];
        *count = cdb[4] ? cdb[4] : 256;
        return true;
    case 0x28: case 0x2a: case 0x2f: case 0x41:
        *lba = get32(cdb + 2);
        *count = get16(cdb + 7);
        return true;
    case 0xa8: case 0xaa:
        *lba = get32(cdb + 2);
        *count = get32(cdb + 6);
        return true;
    case 0x88: case 0x8a: case 0x8f: case 0x93:
        *lba = get64(cdb + 2);
        *count = get32(cdb + 10);
        return true;
    }
    return false;
}

#define MAX_TRANSFER (32u << 20)

static void rw(SCSIDevice *d, SCSIRequest *r, bool write)
{
    uint64_t lba;
    uint32_t count;
    decode_rw(r->cdb, &lba, &count);
    if (lba > nblocks(d) || count > nblocks(d) - lba) {
        check(d, r, ILLEGAL_REQUEST, 0x21, 0x00);   /* LBA out of range */
        return;
    }
    if (write && d->read_only) {
        check(d, r, DATA_PROTECT, 0x27, 0x00);      /* write protected */
        return;
    }
    uint64_t bytes = (uint64_t)count * d->block_size;
    if (bytes > MAX_TRANSFER) {
        check(d, r, ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    if (!count) {
        good(r);
        return;
    }
    r->lba = lba;
    r->len = bytes;
    r->buf = malloc(bytes);
    if (write) {
        r->dir = SCSI_XFER_OUT;
        return;
    }
    if (bdrv_pread(d->bs, lba * d->block_size, r->buf, bytes) < 0) {
        check(d, r, MEDIUM_ERROR, 0x11, 0x00);      /* unrecovered read error */
        return;
    }
    r->dir = SCSI_XFER_IN;
}

void scsi_write_data(SCSIDevice *d, SCSIRequest *r)
{
    int ret = -1;
    if (d->bs)
        ret = r->cdb[0] == 0x41 || r->cdb[0] == 0x93 ? write_same_data(d, r)
              : bdrv_pwrite(d->bs, r->lba * d->block_size, r->buf, r->len);
    if (ret >= 0 && !d->write_cache)
        ret = bdrv_flush(d->bs);
    if (ret < 0)
        check(d, r, MEDIUM_ERROR, 0x0c, 0x00);      /* write error */
    else
        good(r);
}

static void same_range(const uint8_t *cdb, uint64_t *lba, uint32_t *count)
{
    if (cdb[0] == 0x41)
        *lba = get32(cdb + 2), *count = get16(cdb + 7);
    else
        *lba = get64(cdb + 2), *count = get32(cdb + 10);
}

/* WRITE SAME: one block from the data-out phase, repeated (scsi_write_data
 * writes it: zeroes become bdrv_pwrite_zeroes). */
static void write_same(SCSIDevice *d, SCSIRequest *r)
{
    uint64_t lba;
    uint32_t count;
    same_range(r->cdb, &lba, &count);
    if (d->read_only) {
        check(d, r, DATA_PROTECT, 0x27, 0x00);
        return;
    }
    if (lba > nblocks(d) || count > nblocks(d) - lba) {
        check(d, r, ILLEGAL_REQUEST, 0x21, 0x00);
        return;
    }
    r->lba = lba;
    r->len = d->block_size;
    r->buf = malloc(d->block_size);
    r->dir = SCSI_XFER_OUT;
}

static int write_same_data(SCSIDevice *d, SCSIRequest *r)
{
    uint64_t lba;
    uint32_t count;
    same_range(r->cdb, &lba, &count);
    bool zero = true;
    for (uint32_t i = 0; i < r->len && zero; i++)
        zero = !r->buf[i];
    if (zero)
        return bdrv_pwrite_zeroes(d->bs, lba * d->block_size, (uint64_t)count * d->block_size,
                                  (r->cdb[1] & 0x08) ? BDRV_REQ_MAY_UNMAP : 0);
    for (uint32_t i = 0; i < count; i++) {
        int ret = bdrv_pwrite(d->bs, (lba + i) * d->block_size, r->buf, r->len);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* ---- dispatch ------------------------------------------------------------ */

static bool needs_medium(uint8_t op)
{
    switch (op) {
    case 0x12: case 0x03: case 0xa0: case 0x1e: case 0x1b: case 0x46: case 0x4a: case 0x1a: case 0x5a:
    case 0xbb: case 0x55: case 0x15:
        return false;
    }
    return true;
}

void scsi_command(SCSIDevice *d, SCSIRequest *r)
{
    const uint8_t *cdb = r->cdb;
    uint8_t op = cdb[0];
    r->dir = SCSI_XFER_NONE;
    r->done = false;
    r->buf = NULL;
    r->len = r->pos = 0;

    if (op == 0x03) {              /* REQUEST SENSE */
        uint8_t b[18] = { 0x70 };
        if (r->lun) {
            b[2] = ILLEGAL_REQUEST, b[12] = 0x25;   /* logical unit not supported */
        } else {
            b[2] = d->sense_key, b[12] = d->asc, b[13] = d->ascq;
            d->sense_key = d->asc = d->ascq = 0;
        }
        b[7] = 10;
        reply(r, b, sizeof b, cdb[4]);
        return;
    }
    if (op == 0x12) {
        inquiry(d, r);
        return;
    }
    if (op == 0xa0) {              /* REPORT LUNS: only 0 */
        uint8_t b[16] = { 0 };
        put32(b, 8);
        reply(r, b, sizeof b, get32(cdb + 6));
        return;
    }
    if (r->lun) {
        check(d, r, ILLEGAL_REQUEST, 0x25, 0x00);
        return;
    }
    if (d->unit_attention && op != 0x4a) {
        d->unit_attention = false;
        check(d, r, UNIT_ATTENTION, 0x28, 0x00);    /* not ready to ready change, medium may have changed */
        return;
    }
    if (needs_medium(op) && !d->bs) {
        check(d, r, NOT_READY, 0x3a, d->tray_open ? 0x02 : 0x01);   /* medium not present */
        return;
    }
    switch (op) {
    case 0x00:                     /* TEST UNIT READY */
    case 0x15: case 0x55:          /* MODE SELECT: nothing to change */
    case 0xbb:                     /* SET CD SPEED */
        good(r);
        return;
    case 0x1a: mode_sense(d, r, false); return;
    case 0x5a: mode_sense(d, r, true); return;
    case 0x25: {                   /* READ CAPACITY(10) */
        uint8_t b[8];
        uint64_t last = nblocks(d) - 1;
        put32(b, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
        put32(b + 4, d->block_size);
        reply(r, b, 8, 8);
        return;
    }
    case 0x9e:                     /* SERVICE ACTION IN(16) */
        if ((cdb[1] & 0x1f) == 0x10) {   /* READ CAPACITY(16) */
            uint8_t b[32] = { 0 };
            put64(b, nblocks(d) - 1);
            put32(b + 8, d->block_size);
            reply(r, b, sizeof b, get32(cdb + 10));
            return;
        }
        break;
    case 0x08: case 0x28: case 0xa8: case 0x88:
        rw(d, r, false);
        return;
    case 0x0a: case 0x2a: case 0xaa: case 0x8a:
        if (d->cdrom)
            break;
        rw(d, r, true);
        return;
    case 0x2f: case 0x8f: {        /* VERIFY: the medium is always readable */
        uint64_t lba;
        uint32_t count;
        decode_rw(cdb, &lba, &count);
        if (lba > nblocks(d) || count > nblocks(d) - lba)
            check(d, r, ILLEGAL_REQUEST, 0x21, 0x00);
        else
            good(r);
        return;
    }
    case 0x35: case 0x91:          /* SYNCHRONIZE CACHE */
        if (bdrv_flush(d->bs) < 0)
            check(d, r, MEDIUM_ERROR, 0x0c, 0x00);
        else
            good(r);
        return;
    case 0x41: case 0x93:          /* WRITE SAME */
        if (d->cdrom)
            break;
        write_same(d, r);
        return;
    case 0x1b:                     /* START STOP UNIT */
        if ((cdb[4] & 0x02) && d->cdrom) {   /* LoEj */
            if (cdb[4] & 0x01) {
                d->tray_open = false;        /* load: the tray closes, empty or not */
            } else if (d->locked) {
                check(d, r, ILLEGAL_REQUEST, 0x53, 0x02);   /* medium removal prevented */
                return;
            } else if (d->bs || !d->tray_open) {
                scsi_disk_eject(d);
                if (d->eject_notify)
                    d->eject_notify(d->eject_opaque);
            }
        }
        good(r);
        return;
    case 0x1e:                     /* PREVENT ALLOW MEDIUM REMOVAL */
        d->locked = cdb[4] & 1;
        good(r);
        return;
    }
    if (d->cdrom) {
        switch (op) {
        case 0x43: read_toc(d, r); return;
        case 0x46: get_configuration(d, r); return;
        case 0x51: disc_information(d, r); return;
        case 0x4a: event_status(d, r); return;
        }
    }
    check(d, r, ILLEGAL_REQUEST, 0x20, 0x00);       /* invalid command operation code */
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* What the guest changed: the tray and its lock, the sense data of the
 * last CHECK CONDITION, a pending UNIT ATTENTION and media event.  The
 * medium itself is the drive's (loadvm reverts a writable image to the
 * snapshot; a CD-ROM's medium is whatever is inserted now): when its
 * presence differs from the saved one, the guest is told as after a
 * change or an eject. */
static const VMStateField scsi_disk_fields[] = {
    VMS_FIELD(SCSIDevice, cdrom),
    VMS_FIELD(SCSIDevice, locked),
    VMS_FIELD(SCSIDevice, tray_open),
    VMS_FIELD(SCSIDevice, sense_key),
    VMS_FIELD(SCSIDevice, asc),
    VMS_FIELD(SCSIDevice, ascq),
    VMS_FIELD(SCSIDevice, unit_attention),
    VMS_FIELD(SCSIDevice, media_event),
    VMS_FIELD(SCSIDevice, had_medium),
    VMS_END
};

static void scsi_disk_pre_save(void *opaque)
{
    SCSIDevice *d = opaque;
    d->had_medium = d->bs != NULL;
}

static void scsi_disk_post_load(void *opaque)
{
    SCSIDevice *d = opaque;
    bool now = d->bs != NULL;
    if (now == d->had_medium)
        return;
    if (now) {
        d->tray_open = false;
        d->unit_attention = true;
        d->media_event = 2;
    } else {
        d->tray_open = true;
        d->media_event = 3;
    }
}

static const VMStateDescription scsi_disk_vmsd = {
    .name = "scsi-disk",
    .version = 1,
    .fields = scsi_disk_fields,
    .pre_save = scsi_disk_pre_save,
    .post_load = scsi_disk_post_load,
};

void scsi_device_register_state(SCSIDevice *d, uint64_t instance_id)
{
    vmstate_register(&scsi_disk_vmsd, instance_id, d);
}
