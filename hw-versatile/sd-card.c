/*
 * sd-card.c — an SD memory card, after the SD Physical Layer Simplified
 * Specification version 2.00: chapter 4 (card states, commands, card
 * status) and chapter 5 (the OCR, CID, CSD and SCR registers).
 *
 * What is modelled: the identification sequence (CMD0, CMD8, ACMD41, CMD2,
 * CMD3), selection (CMD7), the registers (CMD9 CSD, CMD10 CID, ACMD51 SCR,
 * ACMD13 SD status, CMD6 switch status: only function 0 of each group, so
 * no high speed), the card status (CMD13; error bits are reported once
 * and then cleared, as the specification's "clear on read" type), block
 * length (CMD16), single and multiple block reads and writes (CMD17/18,
 * CMD24/25, ended by CMD12) and the bus width (ACMD6, only remembered:
 * the host controller moves bytes, not bus lines).  A command the card
 * does not know, or one not allowed in its state, gets no response and
 * sets ILLEGAL_COMMAND for the next one, as the specification says.
 *
 * Not modelled: erase (class 5 is not in the CCC, so hosts do not try),
 * locking (class 7), SPI mode, the inactive state (CMD15), CRC errors.
 * Data moves at once: the card is never busy (PRG lasts no time).
 */
#include "hw-versatile/sd-card.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"
#include "softmmu/device.h"
#include "softmmu/drive.h"
#include "softmmu/vmstate.h"

#define KiB 1024ull
#define GiB (1024ull * 1024 * 1024)

/* card status bits (Table 4-35) */
#define ST_OUT_OF_RANGE    (1u << 31)
#define ST_ADDRESS_ERROR   (1u << 30)
#define ST_BLOCK_LEN_ERROR (1u << 29)
#define ST_WP_VIOLATION    (1u << 26)
#define ST_ILLEGAL_COMMAND (1u << 22)
#define ST_ERROR           (1u << 19)
#define ST_READY_FOR_DATA  (1u << 8)
#define ST_APP_CMD         (1u << 5)
/* bits that are cleared once a response has carried them */
#define ST_CLEAR_ON_READ   0xfdffe008u

#define OCR_BUSY   (1u << 31)   /* set: power-up finished */
#define OCR_CCS    (1u << 30)   /* card capacity status: SDHC */
#define OCR_VOLTS  0x00ff8000u  /* 2.7-3.6 V */

/* command classes 0 (basic), 2 (block read), 4 (block write),
 * 8 (application specific), 10 (switch) */
#define CSD_CCC 0x515u

struct SDCard {
    BlockDriverState *bs;
    bool read_only, sdhc;
    uint64_t capacity;          /* bytes */
    int state;
    uint32_t status;            /* the card status less CURRENT_STATE */
    uint16_t rca;
    bool app_cmd;               /* the next command is an ACMD */
    uint32_t blocklen;
    int bus_width;              /* 1 or 4 */
    uint8_t cid[16], csd[16], scr[8];
    /* the data phase */
    bool multi;                 /* CMD18/CMD25: until CMD12 */
    bool block_data;            /* the transfer is card memory (not a register) */
    uint64_t addr;              /* byte address of the block in buf */
    uint8_t buf[512];
    uint32_t len, pos;          /* bytes in buf, bytes moved */
};

uint8_t sd_crc7(const uint8_t *data, int n)
{
    uint8_t crc = 0;
    for (int i = 0; i < n; i++)
        for (int b = 7; b >= 0; b--) {
            int in = ((data[i] >> b) & 1) ^ ((crc >> 6) & 1);
            crc = (uint8_t)((crc << 1) & 0x7f);
            if (in)
                crc ^= 0x09;   /* x^7 + x^3 + 1 */
        }
    return crc;
}

/* Sets bits hi..lo of a big-endian register of n bytes (bit 0 is the
 * last byte's least significant bit), as the specification numbers them. */
static void set_bits(uint8_t *reg, int n, int hi, int lo, uint64_t value)
{
    for (int bit = lo; bit <= hi; bit++, value >>= 1) {
        uint8_t *byte = &reg[n - 1 - bit / 8];
        uint8_t mask = (uint8_t)(1u << (bit % 8));
        *byte = (value & 1) ? (*byte | mask) : (*byte & ~mask);
    }
}

static void finish_crc(uint8_t reg[16])
{
    reg[15] = (uint8_t)(sd_crc7(reg, 15) << 1 | 1);
}

static void build_registers(SDCard *c)
{
    /* CID (5.2): manufacturer 0xaa (not an assigned ID), OEM "VE",
     * product "VEMU ", revision 1.0, serial, made 2024-01 */
    memset(c->cid, 0, sizeof c->cid);
    c->cid[0] = 0xaa;
    memcpy(&c->cid[1], "VE", 2);
    memcpy(&c->cid[3], "VEMU ", 5);
    c->cid[8] = 0x10;
    set_bits(c->cid, 16, 55, 24, 0x12345678);
    set_bits(c->cid, 16, 19, 12, 24);   /* year - 2000 */
    set_bits(c->cid, 16, 11, 8, 1);     /* month */
    finish_crc(c->cid);

    /* CSD (5.3) */
    memset(c->csd, 0, sizeof c->csd);
    set_bits(c->csd, 16, 127, 126, c->sdhc ? 1 : 0);
    set_bits(c->csd, 16, 119, 112, 0x0e);   /* TAAC 1 ms */
    set_bits(c->csd, 16, 103, 96, 0x32);    /* TRAN_SPEED 25 MHz */
    set_bits(c->csd, 16, 95, 84, CSD_CCC);
    set_bits(c->csd, 16, 83, 80, 9);        /* READ_BL_LEN 512 */
    if (c->sdhc) {
        set_bits(c->csd, 16, 69, 48, c->capacity / (512 * KiB) - 1);
    } else {
        set_bits(c->csd, 16, 79, 79, 1);    /* READ_BL_PARTIAL */
        /* capacity = (C_SIZE + 1) * 2^(C_SIZE_MULT + 2) * 512: with
         * C_SIZE_MULT 7 one C_SIZE step is 256 KiB */
        set_bits(c->csd, 16, 73, 62, c->capacity / (256 * KiB) - 1);
        set_bits(c->csd, 16, 61, 50, 0x3f);     /* VDD currents */
        set_bits(c->csd, 16, 49, 47, 7);
    }
    set_bits(c->csd, 16, 46, 46, 1);        /* ERASE_BLK_EN */
    set_bits(c->csd, 16, 45, 39, 0x7f);     /* SECTOR_SIZE */
    set_bits(c->csd, 16, 28, 26, 2);        /* R2W_FACTOR */
    set_bits(c->csd, 16, 25, 22, 9);        /* WRITE_BL_LEN 512 */
    set_bits(c->csd, 16, 12, 12, c->read_only);   /* TMP_WRITE_PROTECT */
    finish_crc(c->csd);

    /* SCR (5.6): version 1.0 structure, SD spec 2.00, 1- and 4-bit bus */
    memset(c->scr, 0, sizeof c->scr);
    set_bits(c->scr, 8, 59, 56, 2);
    set_bits(c->scr, 8, 54, 52, c->sdhc ? 3 : 2);   /* SD_SECURITY */
    set_bits(c->scr, 8, 51, 48, 0x5);
}

static void card_reset(void *opaque)
{
    sd_card_reset(opaque);
}

void sd_card_reset(SDCard *c)
{
    c->state = SD_IDLE;
    c->status = 0;
    c->rca = 0;
    c->app_cmd = false;
    c->blocklen = 512;
    c->bus_width = 1;
    c->len = c->pos = 0;
    c->multi = c->block_data = false;
}

static char *fmt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_err(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

SDCard *sd_card_new(BlockDriverState *bs, bool read_only, char **err)
{
    int64_t len = bdrv_getlength(bs);
    if (len < 0) {
        *err = fmt_err("sd: cannot get the image size");
        return NULL;
    }
    SDCard *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->bs = bs;
    c->read_only = read_only;
    c->sdhc = (uint64_t)len > GiB;
    uint64_t unit = c->sdhc ? 512 * KiB : 256 * KiB;
    c->capacity = (uint64_t)len / unit * unit;
    /* CSD v2 holds up to 32 GiB in SDHC, CSD v1 4096 C_SIZE steps */
    if (c->capacity == 0 || c->capacity > 32 * GiB) {
        *err = fmt_err("sd: an SD card image must be between 256 KiB and 32 GiB (this one has %lld bytes)",
                       (long long)len);
        free(c);
        return NULL;
    }
    build_registers(c);
    sd_card_reset(c);
    device_register_reset(card_reset, c);
    return c;
}

/* The cards' images are closed at exit (a qcow2 image's caches written
 * and its dirty state cleared), after the machine has stopped: main
 * returns once the cpu is done. */
#define MAX_CARDS 4
static SDCard *open_cards[MAX_CARDS];

static void close_cards_at_exit(void)
{
    for (int i = 0; i < MAX_CARDS; i++) {
        SDCard *c = open_cards[i];
        open_cards[i] = NULL;
        sd_card_free(c);
    }
}

static void remember(SDCard *c)
{
    static bool registered;
    if (!registered) {
        registered = true;
        atexit(close_cards_at_exit);
    }
    for (int i = 0; i < MAX_CARDS; i++)
        if (!open_cards[i]) {
            open_cards[i] = c;
            return;
        }
}

SDCard *sd_card_open(const char *filename, const char *fmt, bool read_only, char **err)
{
    char *berr = NULL;
    BlockDriverState *bs = bdrv_open(filename, fmt, read_only ? 0 : BDRV_O_RDWR, &berr);
    if (!bs) {
        *err = fmt_err("sd: %s: %s", filename, berr ? berr : "cannot open");
        free(berr);
        return NULL;
    }
    SDCard *c = sd_card_new(bs, read_only, err);
    if (!c) {
        bdrv_close(bs);
    } else {
        remember(c);
        /* QEMU's name for the -sd drive: sd0, sd1, ... */
        char name[16];
        int n = 0;
        for (int i = 0; i < MAX_CARDS; i++)
            n += open_cards[i] != NULL;
        snprintf(name, sizeof(name), "sd%d", n - 1);
        drive_register(name, bs, read_only);
    }
    return c;
}

void sd_card_free(SDCard *c)
{
    if (!c)
        return;
    for (int i = 0; i < MAX_CARDS; i++)
        if (open_cards[i] == c)
            open_cards[i] = NULL;
    vmstate_unregister(c);
    drive_unregister(c->bs);
    bdrv_flush(c->bs);
    bdrv_close(c->bs);
    free(c);
}

int sd_card_state(const SDCard *c) { return c->state; }
uint64_t sd_card_capacity(const SDCard *c) { return c->capacity; }

/* ---- commands ------------------------------------------------------------ */

static uint32_t card_status(const SDCard *c)
{
    uint32_t s = c->status | (uint32_t)c->state << 9;
    if (c->state == SD_TRAN || c->state == SD_RCV)
        s |= ST_READY_FOR_DATA;
    if (c->app_cmd)
        s |= ST_APP_CMD;
    return s;
}

static int r1(SDCard *c, uint8_t resp[16], uint32_t status)
{
    resp[0] = (uint8_t)(status >> 24);
    resp[1] = (uint8_t)(status >> 16);
    resp[2] = (uint8_t)(status >> 8);
    resp[3] = (uint8_t)status;
    c->status &= ~ST_CLEAR_ON_READ;
    return 4;
}

static int r2(const uint8_t reg[16], uint8_t resp[16])
{
    memcpy(resp, reg, 16);
    return 16;
}

/* A register (SCR, SD status, switch status) as the data block. */
static void send_register(SDCard *c, const uint8_t *data, uint32_t len)
{
    memcpy(c->buf, data, len);
    c->len = len;
    c->pos = 0;
    c->multi = c->block_data = false;
    c->state = SD_DATA;
}

/* The byte address of a data command's argument, or false with the
 * error bits set when the block does not fit the card. */
static bool data_address(SDCard *c, uint32_t arg, uint64_t *addr)
{
    uint64_t a = c->sdhc ? (uint64_t)arg * 512 : arg;
    if (a + c->blocklen > c->capacity) {
        c->status |= ST_OUT_OF_RANGE;
        return false;
    }
    *addr = a;
    return true;
}

static void load_block(SDCard *c)
{
    if (bdrv_pread(c->bs, c->addr, c->buf, c->blocklen) < 0) {
        memset(c->buf, 0, c->blocklen);
        c->status |= ST_ERROR;
    }
    c->len = c->blocklen;
    c->pos = 0;
}

/* CMD6's 512-bit switch status (4.3.10): group 1..6 support only function
 * 0, and the selection function 0 (mode 0 and mode 1 alike: switching to
 * anything else fails with 0xf). */
static void switch_status(SDCard *c, uint32_t arg)
{
    uint8_t st[64] = { 0 };
    set_bits(st, 64, 511, 496, 100);                /* max current mA */
    for (int g = 0; g < 6; g++)
        set_bits(st, 64, 415 + 16 * g, 400 + 16 * g, 0x8001); /* fn 0 (and 15) */
    for (int g = 0; g < 6; g++) {
        unsigned want = (arg >> (4 * g)) & 0xf;
        set_bits(st, 64, 379 + 4 * g, 376 + 4 * g, want == 0 || want == 0xf ? 0 : 0xf);
    }
    set_bits(st, 64, 375, 368, 1);                  /* data structure version */
    send_register(c, st, 64);
}

static int app_command(SDCard *c, int index, uint32_t arg, uint8_t resp[16], bool *handled)
{
    *handled = true;
    uint32_t status = card_status(c);
    switch (index) {
    case 6:   /* SET_BUS_WIDTH */
        if (c->state != SD_TRAN)
            break;
        c->bus_width = (arg & 3) == 2 ? 4 : 1;
        return r1(c, resp, status);
    case 13: { /* SD_STATUS */
        if (c->state != SD_TRAN)
            break;
        uint8_t sst[64] = { 0 };
        set_bits(sst, 64, 511, 510, c->bus_width == 4 ? 2 : 0);
        set_bits(sst, 64, 495, 480, 0);             /* SD_CARD_TYPE: regular */
        send_register(c, sst, 64);
        return r1(c, resp, status);
    }
    case 22: case 23: case 42:   /* NUM_WR_BLOCKS / WR_BLK_ERASE_COUNT / CLR_CARD_DETECT */
        if (c->state != SD_TRAN || index == 22)
            break;
        return r1(c, resp, status);
    case 41: { /* SD_SEND_OP_COND */
        if (c->state != SD_IDLE)
            break;
        uint32_t ocr = OCR_BUSY | OCR_VOLTS | (c->sdhc ? OCR_CCS : 0);
        if (arg & OCR_VOLTS)   /* not an inquiry: power up */
            c->state = SD_READY;
        c->status &= ~ST_CLEAR_ON_READ;
        resp[0] = (uint8_t)(ocr >> 24); resp[1] = (uint8_t)(ocr >> 16);
        resp[2] = (uint8_t)(ocr >> 8);  resp[3] = (uint8_t)ocr;
        return 4;
    }
    case 51:  /* SEND_SCR */
        if (c->state != SD_TRAN)
            break;
        send_register(c, c->scr, 8);
        return r1(c, resp, status);
    default:
        *handled = false;   /* not an ACMD: the command of that index */
        return 0;
    }
    return -1;
}

int sd_card_command(SDCard *c, int index, uint32_t arg, uint8_t resp[16])
{
    bool addressed = (arg >> 16) == c->rca;
    if (c->app_cmd) {
        bool handled;
        int n = app_command(c, index, arg, resp, &handled);
        c->app_cmd = false;
        if (handled) {
            if (n < 0) {
                c->status |= ST_ILLEGAL_COMMAND;
                return 0;
            }
            return n;
        }
    }
    uint32_t status = card_status(c);
    switch (index) {
    case 0:   /* GO_IDLE_STATE */
        sd_card_reset(c);
        return 0;
    case 2:   /* ALL_SEND_CID */
        if (c->state != SD_READY)
            break;
        c->state = SD_IDENT;
        return r2(c->cid, resp);
    case 3:   /* SEND_RELATIVE_ADDR (R6) */
        if (c->state != SD_IDENT && c->state != SD_STBY)
            break;
        c->rca = 0xb368;
        c->state = SD_STBY;
        resp[0] = (uint8_t)(c->rca >> 8);
        resp[1] = (uint8_t)c->rca;
        {   /* status bits 23, 22, 19 and 12..0 */
            uint16_t low = (uint16_t)((status & 0x1fff) | ((status >> 23 & 1) << 15) |
                                      ((status >> 22 & 1) << 14) | ((status >> 19 & 1) << 13));
            resp[2] = (uint8_t)(low >> 8);
            resp[3] = (uint8_t)low;
        }
        c->status &= ~ST_CLEAR_ON_READ;
        return 4;
    case 6:   /* SWITCH_FUNC */
        if (c->state != SD_TRAN)
            break;
        switch_status(c, arg);
        return r1(c, resp, status);
    case 7:   /* SELECT/DESELECT_CARD */
        if (!addressed || c->rca == 0) {
            /* another card (or none) selected: this one lets go, silently */
            if (c->state == SD_TRAN || c->state == SD_DATA || c->state == SD_RCV)
                c->state = SD_STBY;
            return 0;
        }
        if (c->state == SD_STBY)
            c->state = SD_TRAN;
        else if (c->state != SD_TRAN)
            break;
        return r1(c, resp, status);
    case 8: { /* SEND_IF_COND (R7): 2.7-3.6 V accepted, the pattern echoed */
        if (c->state != SD_IDLE)
            break;
        uint32_t r7 = arg & 0xfff;
        if (((arg >> 8) & 0xf) != 1)
            r7 &= 0xff;   /* a voltage the card does not take: none accepted */
        resp[0] = 0; resp[1] = 0; resp[2] = (uint8_t)(r7 >> 8); resp[3] = (uint8_t)r7;
        return 4;
    }
    case 9: case 10:   /* SEND_CSD, SEND_CID */
        if (c->state != SD_STBY || !addressed)
            return 0;
        return r2(index == 9 ? c->csd : c->cid, resp);
    case 12:  /* STOP_TRANSMISSION */
        if (c->state != SD_DATA && c->state != SD_RCV)
            break;
        c->state = SD_TRAN;
        c->len = c->pos = 0;
        c->multi = false;
        return r1(c, resp, status);
    case 13:  /* SEND_STATUS */
        if (!addressed || c->state < SD_STBY)
            return 0;
        return r1(c, resp, status);
    case 16:  /* SET_BLOCKLEN */
        if (c->state != SD_TRAN)
            break;
        if (arg == 0 || arg > 512 || (c->sdhc && arg != 512))
            c->status |= ST_BLOCK_LEN_ERROR;
        else
            c->blocklen = arg;
        return r1(c, resp, status | (c->status & ST_BLOCK_LEN_ERROR));
    case 17: case 18: { /* READ_SINGLE_BLOCK, READ_MULTIPLE_BLOCK */
        if (c->state != SD_TRAN)
            break;
        uint64_t addr;
        if (!data_address(c, arg, &addr))
            return r1(c, resp, status | ST_OUT_OF_RANGE);
        c->addr = addr;
        c->multi = index == 18;
        c->block_data = true;
        c->state = SD_DATA;
        load_block(c);
        return r1(c, resp, status);
    }
    case 24: case 25: { /* WRITE_BLOCK, WRITE_MULTIPLE_BLOCK */
        if (c->state != SD_TRAN)
            break;
        if (c->read_only) {
            c->status |= ST_WP_VIOLATION;
            return r1(c, resp, status | ST_WP_VIOLATION);
        }
        uint64_t addr;
        if (!data_address(c, arg, &addr))
            return r1(c, resp, status | ST_OUT_OF_RANGE);
        c->addr = addr;
        c->multi = index == 25;
        c->block_data = true;
        c->state = SD_RCV;
        c->len = c->blocklen;
        c->pos = 0;
        return r1(c, resp, status);
    }
    case 55:  /* APP_CMD */
        if (!addressed && !(c->state == SD_IDLE && (arg >> 16) == 0))
            return 0;
        c->app_cmd = true;
        return r1(c, resp, status | ST_APP_CMD);
    default:
        break;
    }
    c->status |= ST_ILLEGAL_COMMAND;
    return 0;
}

/* ---- data ---------------------------------------------------------------- */

bool sd_card_data_out(const SDCard *c)
{
    if (c->state != SD_DATA)
        return false;
    if (c->pos < c->len)
        return true;
    return c->multi && c->addr + 2ull * c->blocklen <= c->capacity;
}

bool sd_card_data_in(const SDCard *c)
{
    return c->state == SD_RCV && c->pos < c->len;
}

uint8_t sd_card_read_byte(SDCard *c)
{
    if (c->state != SD_DATA)
        return 0;
    if (c->pos == c->len) {
        if (!sd_card_data_out(c))
            return 0;
        c->addr += c->blocklen;
        load_block(c);
    }
    uint8_t v = c->buf[c->pos++];
    if (c->pos == c->len && !c->multi)
        c->state = SD_TRAN;   /* the one block (or register) is out */
    else if (c->pos == c->len && c->addr + 2ull * c->blocklen > c->capacity)
        c->status |= ST_OUT_OF_RANGE;   /* a multiple read ran past the end */
    return v;
}

void sd_card_write_byte(SDCard *c, uint8_t value)
{
    if (!sd_card_data_in(c))
        return;
    c->buf[c->pos++] = value;
    if (c->pos < c->len)
        return;
    /* a whole block: programmed at once */
    if (bdrv_pwrite(c->bs, c->addr, c->buf, c->blocklen) < 0)
        c->status |= ST_ERROR;
    if (!c->multi) {
        c->state = SD_TRAN;
        return;
    }
    c->addr += c->blocklen;
    if (c->addr + c->blocklen > c->capacity) {
        c->status |= ST_OUT_OF_RANGE;
        c->len = 0;   /* takes nothing more until CMD12 */
    }
    c->pos = 0;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* The card protocol state; its contents are the drive's (savevm takes an
 * internal snapshot of the image). */
static const VMStateField card_fields[] = {
    VMS_FIELD(SDCard, state),
    VMS_FIELD(SDCard, status),
    VMS_FIELD(SDCard, rca),
    VMS_FIELD(SDCard, app_cmd),
    VMS_FIELD(SDCard, blocklen),
    VMS_FIELD(SDCard, bus_width),
    VMS_FIELD(SDCard, cid),
    VMS_FIELD(SDCard, csd),
    VMS_FIELD(SDCard, scr),
    VMS_FIELD(SDCard, multi),
    VMS_FIELD(SDCard, block_data),
    VMS_FIELD(SDCard, addr),
    VMS_FIELD(SDCard, buf),
    VMS_FIELD(SDCard, len),
    VMS_FIELD(SDCard, pos),
    VMS_END
};

static const VMStateDescription card_vmsd = { .name = "sd-card", .version = 1, .fields = card_fields };

void sd_card_vmstate_register(SDCard *c, uint64_t id)
{
    vmstate_register(&card_vmsd, id, c);
}
