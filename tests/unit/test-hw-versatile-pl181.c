/* Unit tests for the SD card (hw-versatile/sd-card.c, SD Physical Layer
 * Simplified Specification 2.00) and the PL181 MMCI in front of it
 * (hw-versatile/pl181.c, ARM DDI 0172): the card's state machine and
 * registers (OCR, CID, CSD, SCR, card status), and the MMCI's command
 * path, FIFO and data path, driven as Linux's mmci driver drives them,
 * with the card's data checked against the image file on the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "block/block.h"
#include "hw-versatile/devices.h"
#include "hw-versatile/sd-card.h"
#include "tests/unit/softmmu-test-rig.h"

#define MCI 0x10005000u
#define POWER 0x00
#define CLOCK 0x04
#define ARG 0x08
#define CMD 0x0C
#define RESPCMD 0x10
#define RESP0 0x14
#define DATALEN 0x28
#define DATACTRL 0x2C
#define DATACNT 0x30
#define STATUS 0x34
#define CLEAR 0x38
#define MASK0 0x3C
#define MASK1 0x40
#define FIFOCNT 0x48
#define FIFO 0x80

#define C_RESPONSE 0x40
#define C_LONG 0x80
#define C_ENABLE 0x400
#define S_CMD_TIMEOUT (1u << 2)
#define S_DATA_TIMEOUT (1u << 3)
#define S_CMD_RESP_END (1u << 6)
#define S_CMD_SENT (1u << 7)
#define S_DATA_END (1u << 8)
#define S_TX_HALF_EMPTY (1u << 14)
#define S_RX_HALF_FULL (1u << 15)
#define S_RX_AVAIL (1u << 21)

#define ST_ILLEGAL (1u << 22)
#define ST_OUT_OF_RANGE (1u << 31)
#define ST_WP (1u << 26)

static char image[64];

/* An image of size bytes whose byte i is (i * 7 + i / 512) & 0xff. */
static void make_image(uint64_t size, bool pattern)
{
    strcpy(image, "/tmp/vemu-sd-XXXXXX");
    int fd = mkstemp(image);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    if (pattern) {
        uint8_t *buf = malloc(size);
        for (uint64_t i = 0; i < size; i++)
            buf[i] = (uint8_t)(i * 7 + i / 512);
        assert_int_equal(pwrite(fd, buf, size, 0), (ssize_t)size);
        free(buf);
    }
    close(fd);
}

static uint8_t pattern_byte(uint64_t i)
{
    return (uint8_t)(i * 7 + i / 512);
}

static SDCard *open_card(bool ro)
{
    char *err = NULL;
    SDCard *c = sd_card_open(image, "raw", ro, &err);
    if (!c)
        fail_msg("%s", err);
    return c;
}

static uint32_t be32(const uint8_t *r)
{
    return (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
}

/* bits hi..lo of a big-endian register of n bytes */
static uint64_t bits(const uint8_t *reg, int n, int hi, int lo)
{
    uint64_t v = 0;
    for (int b = hi; b >= lo; b--)
        v = v << 1 | ((reg[n - 1 - b / 8] >> (b % 8)) & 1);
    return v;
}

static void test_crc7(void **state)
{
    /* the CRCs every SD host sends: CMD0 0x95, CMD8(0x1AA) 0x87 (byte = crc << 1 | 1) */
    static const uint8_t cmd0[] = { 0x40, 0, 0, 0, 0 }, cmd8[] = { 0x48, 0, 0, 1, 0xaa };
    static const uint8_t cmd17[] = { 0x51, 0, 0, 0, 0 };
    assert_int_equal(sd_crc7(cmd0, 5) << 1 | 1, 0x95);
    assert_int_equal(sd_crc7(cmd8, 5) << 1 | 1, 0x87);
    assert_int_equal(sd_crc7(cmd17, 5) << 1 | 1, 0x55);
}

/* The identification sequence of 4.2, as Linux's mmc core sends it. */
static uint16_t identify(SDCard *c, bool hcs, uint8_t cid[16], uint8_t csd[16])
{
    uint8_t r[16];
    assert_int_equal(sd_card_command(c, 0, 0, r), 0);
    assert_int_equal(sd_card_state(c), SD_IDLE);
    assert_int_equal(sd_card_command(c, 8, 0x1aa, r), 4);
    assert_int_equal(be32(r), 0x1aa);
    /* SDIO's CMD5: not an SD memory card's command */
    assert_int_equal(sd_card_command(c, 5, 0, r), 0);
    assert_int_equal(sd_card_command(c, 55, 0, r), 4);
    assert_true(be32(r) & ST_ILLEGAL);           /* CMD5 reported once */
    assert_true(be32(r) & (1u << 5));            /* APP_CMD */
    assert_int_equal(sd_card_command(c, 41, 0, r), 4);   /* inquiry */
    assert_int_equal(be32(r) & 0x00ff8000u, 0x00ff8000u);
    assert_int_equal(sd_card_state(c), SD_IDLE);
    assert_int_equal(sd_card_command(c, 55, 0, r), 4);
    assert_false(be32(r) & ST_ILLEGAL);          /* cleared once read */
    assert_int_equal(sd_card_command(c, 41, (hcs ? 1u << 30 : 0) | 0x00300000, r), 4);
    assert_true(be32(r) & (1u << 31));           /* powered up */
    assert_int_equal(sd_card_state(c), SD_READY);
    assert_int_equal(sd_card_command(c, 2, 0, r), 16);
    memcpy(cid, r, 16);
    assert_int_equal(sd_card_state(c), SD_IDENT);
    assert_int_equal(sd_card_command(c, 3, 0, r), 4);
    uint16_t rca = (uint16_t)(be32(r) >> 16);
    assert_int_not_equal(rca, 0);
    assert_int_equal((be32(r) >> 9) & 0xf, SD_IDENT);   /* state when it came */
    assert_int_equal(sd_card_state(c), SD_STBY);
    /* CSD to another RCA: silence */
    assert_int_equal(sd_card_command(c, 9, (uint32_t)(rca + 1) << 16, r), 0);
    assert_int_equal(sd_card_command(c, 9, (uint32_t)rca << 16, r), 16);
    memcpy(csd, r, 16);
    assert_int_equal(sd_card_command(c, 7, (uint32_t)rca << 16, r), 4);
    assert_int_equal(sd_card_state(c), SD_TRAN);
    assert_int_equal(sd_card_command(c, 13, (uint32_t)rca << 16, r), 4);
    assert_int_equal((be32(r) >> 9) & 0xf, SD_TRAN);
    assert_true(be32(r) & (1u << 8));            /* READY_FOR_DATA */
    return rca;
}

static void test_card_sdsc_registers(void **state)
{
    make_image(16 << 20, false);
    SDCard *c = open_card(false);
    uint8_t cid[16], csd[16], r[16];
    identify(c, true, cid, csd);
    /* CID: the CRC7 in its last byte, bit 0 set */
    assert_int_equal(cid[15], sd_crc7(cid, 15) << 1 | 1);
    assert_memory_equal(&cid[3], "VEMU ", 5);
    /* CSD version 1: capacity = (C_SIZE + 1) << (C_SIZE_MULT + 2) << READ_BL_LEN */
    assert_int_equal(csd[15], sd_crc7(csd, 15) << 1 | 1);
    assert_int_equal(bits(csd, 16, 127, 126), 0);
    uint64_t c_size = bits(csd, 16, 73, 62), mult = bits(csd, 16, 49, 47), bl = bits(csd, 16, 83, 80);
    assert_int_equal(((c_size + 1) << (mult + 2)) << bl, 16 << 20);
    assert_int_equal(bits(csd, 16, 95, 84) & 0x515, 0x515);   /* classes 0,2,4,8,10 */
    /* standard capacity: OCR without CCS */
    assert_int_equal(sd_card_command(c, 0, 0, r), 0);
    assert_int_equal(sd_card_command(c, 55, 0, r), 4);
    assert_int_equal(sd_card_command(c, 41, 0x40300000, r), 4);
    assert_false(be32(r) & (1u << 30));
    sd_card_free(c);
    unlink(image);
}

static void test_card_sdhc_registers(void **state)
{
    make_image(2ull << 30, false);   /* sparse */
    SDCard *c = open_card(false);
    uint8_t cid[16], csd[16], r[16];
    assert_int_equal(sd_card_command(c, 55, 0, r), 4);
    assert_int_equal(sd_card_command(c, 41, 0x40300000, r), 4);
    assert_true(be32(r) & (1u << 30));          /* CCS: SDHC */
    identify(c, true, cid, csd);
    assert_int_equal(bits(csd, 16, 127, 126), 1);   /* CSD version 2 */
    assert_int_equal((bits(csd, 16, 69, 48) + 1) * 512 * 1024, 2ull << 30);
    assert_int_equal(sd_card_capacity(c), 2ull << 30);
    /* SDHC: block length is 512, a block address in the argument */
    assert_int_equal(sd_card_command(c, 16, 1024, r), 4);
    assert_true(be32(r) & (1u << 29));           /* BLOCK_LEN_ERROR */
    assert_int_equal(sd_card_command(c, 24, 4194303, r), 4);   /* the last block */
    assert_false(be32(r) & ST_OUT_OF_RANGE);
    for (int i = 0; i < 512; i++)
        sd_card_write_byte(c, (uint8_t)(0xa0 ^ i));
    assert_int_equal(sd_card_state(c), SD_TRAN);
    assert_int_equal(sd_card_command(c, 17, 4194304, r), 4);   /* past the end */
    assert_true(be32(r) & ST_OUT_OF_RANGE);
    assert_int_equal(sd_card_state(c), SD_TRAN);
    sd_card_free(c);
    FILE *f = fopen(image, "rb");
    uint8_t blk[512];
    assert_int_equal(fseeko(f, (2ll << 30) - 512, SEEK_SET), 0);
    assert_int_equal(fread(blk, 1, 512, f), 512);
    fclose(f);
    for (int i = 0; i < 512; i++)
        assert_int_equal(blk[i], (uint8_t)(0xa0 ^ i));
    unlink(image);
}

static void test_card_scr_status_switch(void **state)
{
    make_image(1 << 20, false);
    SDCard *c = open_card(false);
    uint8_t cid[16], csd[16], r[16], scr[8], sw[64];
    uint16_t rca = identify(c, true, cid, csd);
    assert_int_equal(sd_card_command(c, 55, (uint32_t)rca << 16, r), 4);
    assert_int_equal(sd_card_command(c, 51, 0, r), 4);
    assert_int_equal(sd_card_state(c), SD_DATA);
    for (int i = 0; i < 8; i++) {
        assert_true(sd_card_data_out(c));
        scr[i] = sd_card_read_byte(c);
    }
    assert_false(sd_card_data_out(c));
    assert_int_equal(sd_card_state(c), SD_TRAN);
    assert_int_equal(bits(scr, 8, 59, 56), 2);      /* SD_SPEC 2.00 */
    assert_int_equal(bits(scr, 8, 51, 48), 5);      /* 1- and 4-bit bus */
    /* ACMD6 4-bit, then ACMD13 says so */
    assert_int_equal(sd_card_command(c, 55, (uint32_t)rca << 16, r), 4);
    assert_int_equal(sd_card_command(c, 6, 2, r), 4);
    assert_int_equal(sd_card_command(c, 55, (uint32_t)rca << 16, r), 4);
    assert_int_equal(sd_card_command(c, 13, 0, r), 4);
    uint8_t sst[64];
    for (int i = 0; i < 64; i++)
        sst[i] = sd_card_read_byte(c);
    assert_int_equal(bits(sst, 64, 511, 510), 2);
    /* CMD6 check mode for high speed (function 1 of group 1): not supported */
    assert_int_equal(sd_card_command(c, 6, 0x00fffff1, r), 4);
    for (int i = 0; i < 64; i++)
        sw[i] = sd_card_read_byte(c);
    assert_int_equal(bits(sw, 64, 415, 400), 0x8001);
    assert_int_equal(bits(sw, 64, 379, 376), 0xf);
    assert_int_equal(sd_card_state(c), SD_TRAN);
    /* deselect: back to standby, then data commands are illegal */
    assert_int_equal(sd_card_command(c, 7, 0, r), 0);
    assert_int_equal(sd_card_state(c), SD_STBY);
    assert_int_equal(sd_card_command(c, 17, 0, r), 0);
    assert_int_equal(sd_card_command(c, 13, (uint32_t)rca << 16, r), 4);
    assert_true(be32(r) & ST_ILLEGAL);
    sd_card_free(c);
    unlink(image);
}

static void test_card_read_only(void **state)
{
    make_image(1 << 20, true);
    SDCard *c = open_card(true);
    uint8_t cid[16], csd[16], r[16];
    identify(c, true, cid, csd);
    assert_int_equal(bits(csd, 16, 12, 12), 1);   /* TMP_WRITE_PROTECT */
    assert_int_equal(sd_card_command(c, 24, 0, r), 4);
    assert_true(be32(r) & ST_WP);
    assert_int_equal(sd_card_state(c), SD_TRAN);
    assert_false(sd_card_data_in(c));
    sd_card_free(c);
    unlink(image);
}

/* ---- through the PL181 ---------------------------------------------------- */

static PL181 *mci, *empty;

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    return 0;
}

/* A command as mmci_start_command writes it; returns MCIStatus. */
static uint32_t command(uint32_t base, int index, uint32_t arg, uint32_t flags)
{
    wr(base + CLEAR, 0x7ff);
    wr(base + ARG, arg);
    wr(base + CMD, (uint32_t)index | flags | C_ENABLE);
    return rd(base + STATUS);
}

static uint16_t mci_identify(void)
{
    wr(MCI + POWER, 0x83);
    wr(MCI + CLOCK, 0x1ff);
    assert_int_equal(command(MCI, 0, 0, 0) & (S_CMD_SENT | S_CMD_TIMEOUT), S_CMD_SENT);
    uint32_t s = command(MCI, 8, 0x1aa, C_RESPONSE);
    assert_true(s & S_CMD_RESP_END);
    assert_int_equal(rd(MCI + RESPCMD), 8);
    assert_int_equal(rd(MCI + RESP0), 0x1aa);
    assert_true(command(MCI, 5, 0, C_RESPONSE) & S_CMD_TIMEOUT);
    assert_true(command(MCI, 55, 0, C_RESPONSE) & S_CMD_RESP_END);
    assert_true(command(MCI, 41, 0x40300000, C_RESPONSE) & S_CMD_RESP_END);
    assert_true(rd(MCI + RESP0) & (1u << 31));
    assert_true(command(MCI, 2, 0, C_RESPONSE | C_LONG) & S_CMD_RESP_END);
    assert_int_equal(rd(MCI + RESP0) >> 24, 0xaa);   /* CID's MID first */
    assert_true(command(MCI, 3, 0, C_RESPONSE) & S_CMD_RESP_END);
    uint16_t rca = (uint16_t)(rd(MCI + RESP0) >> 16);
    assert_true(command(MCI, 7, (uint32_t)rca << 16, C_RESPONSE) & S_CMD_RESP_END);
    return rca;
}

/* mmci_pio_read's loop: the words in the FIFO are what the transfer still
 * needs minus MCIFifoCnt's words not yet in it. */
static void pio_read(uint8_t *buf, uint32_t len)
{
    uint32_t remain = len, done = 0;
    int spins = 0;
    while (remain && spins++ < 100000) {
        uint32_t status = rd(MCI + STATUS);
        if (!(status & S_RX_AVAIL))
            break;
        uint32_t count = remain - rd(MCI + FIFOCNT) * 4;
        assert_true(count > 0 && count <= 64);
        for (uint32_t i = 0; i < count; i += 4) {
            uint32_t w = rd(MCI + FIFO + (i % 64));
            memcpy(buf + done + i, &w, 4);
        }
        done += count;
        remain -= count;
    }
    assert_int_equal(remain, 0);
}

static void test_mci_read_write(void **state)
{
    make_image(4 << 20, true);
    SDCard *card = open_card(false);
    mci = pl181_new(NULL, MCI, rig_irq_line(22), rig_irq_line(23), card);
    mci_identify();
    assert_int_equal(rig_irq[22], 0);

    /* single block read at byte address 0x1200 (standard capacity), the
     * data path set up before the command as mmci_request does */
    wr(MCI + MASK0, S_CMD_RESP_END | S_CMD_TIMEOUT | S_DATA_TIMEOUT);
    wr(MCI + MASK1, S_RX_HALF_FULL);
    wr(MCI + DATALEN, 512);
    wr(MCI + DATACTRL, 0x93);   /* enable, from card, 512-byte blocks */
    assert_int_equal(rig_irq[23], 0);     /* nothing before the command */
    assert_int_equal(rd(MCI + FIFOCNT), 128);
    uint32_t s = command(MCI, 17, 0x1200, C_RESPONSE);
    assert_true(s & S_CMD_RESP_END);
    assert_true(s & S_RX_HALF_FULL);
    assert_int_equal(rig_irq[23], 1);     /* PIO interrupt */
    assert_int_equal(rd(MCI + FIFOCNT), 128 - 16);
    assert_int_equal(rd(MCI + DATACNT), 512 - 64);
    uint8_t buf[2048];
    pio_read(buf, 512);
    for (int i = 0; i < 512; i++)
        assert_int_equal(buf[i], pattern_byte(0x1200 + i));
    assert_true(rd(MCI + STATUS) & S_DATA_END);
    assert_int_equal(rig_irq[23], 0);
    assert_int_equal(rig_irq[22], 1);     /* CmdRespEnd still set */
    wr(MCI + CLEAR, 0x7ff);
    assert_int_equal(rig_irq[22], 0);
    wr(MCI + MASK0, S_DATA_END);          /* as mmci_pio_irq at the end */
    assert_int_equal(rig_irq[22], 0);     /* cleared */

    /* multiple block read, three blocks, then CMD12 */
    wr(MCI + DATALEN, 1536);
    wr(MCI + DATACTRL, 0x93);
    assert_true(command(MCI, 18, 0x10000, C_RESPONSE) & S_CMD_RESP_END);
    pio_read(buf, 1536);
    for (int i = 0; i < 1536; i++)
        assert_int_equal(buf[i], pattern_byte(0x10000 + i));
    assert_true(rd(MCI + STATUS) & S_DATA_END);
    assert_int_equal(rig_irq[22], 1);     /* DataEnd on MCIINTR0 */
    assert_true(command(MCI, 12, 0, C_RESPONSE) & S_CMD_RESP_END);
    assert_int_equal((rd(MCI + RESP0) >> 9) & 0xf, SD_DATA);
    assert_int_equal(sd_card_state(card), SD_TRAN);

    /* two-block write: the command first, then the data path, FIFO in
     * half-FIFO bursts while TxFifoHalfEmpty */
    wr(MCI + MASK0, 0);
    assert_true(command(MCI, 25, 0x2000, C_RESPONSE) & S_CMD_RESP_END);
    wr(MCI + DATALEN, 1024);
    wr(MCI + DATACTRL, 0x91);   /* enable, to card */
    for (int i = 0; i < 1024; i++)
        buf[i] = (uint8_t)(0x5a ^ i ^ (i >> 8));
    for (int off = 0; off < 1024;) {
        assert_true(rd(MCI + STATUS) & S_TX_HALF_EMPTY);
        for (int k = 0; k < 8; k++, off += 4) {
            uint32_t w;
            memcpy(&w, buf + off, 4);
            wr(MCI + FIFO, w);
        }
    }
    assert_true(rd(MCI + STATUS) & S_DATA_END);
    assert_int_equal(rd(MCI + DATACNT), 0);
    assert_true(command(MCI, 12, 0, C_RESPONSE) & S_CMD_RESP_END);
    assert_int_equal(sd_card_state(card), SD_TRAN);

    /* a read past the end of the card: OUT_OF_RANGE and a data timeout */
    wr(MCI + DATALEN, 512);
    wr(MCI + DATACTRL, 0x93);
    s = command(MCI, 17, 4 << 20, C_RESPONSE);
    assert_true(rd(MCI + RESP0) & ST_OUT_OF_RANGE);
    assert_true(s & S_DATA_TIMEOUT);

    pl181_free(mci);
    sd_card_free(card);   /* flushes */
    FILE *f = fopen(image, "rb");
    uint8_t back[1024];
    assert_int_equal(fseek(f, 0x2000, SEEK_SET), 0);
    assert_int_equal(fread(back, 1, 1024, f), 1024);
    fclose(f);
    assert_memory_equal(back, buf, 1024);
    unlink(image);
}

static void test_mci_empty_slot(void **state)
{
    empty = pl181_new(NULL, MCI, rig_irq_line(1), rig_irq_line(2), NULL);
    wr(MCI + MASK0, S_CMD_TIMEOUT | S_CMD_SENT);
    assert_true(command(MCI, 0, 0, 0) & S_CMD_SENT);
    assert_true(command(MCI, 8, 0x1aa, C_RESPONSE) & S_CMD_TIMEOUT);
    assert_int_equal(rig_irq[1], 1);
    wr(MCI + CLEAR, S_CMD_TIMEOUT | S_CMD_SENT);
    assert_int_equal(rig_irq[1], 0);
    /* PrimeCell IDs: PL181 */
    assert_int_equal(rd(MCI + 0xFE0), 0x81);
    assert_int_equal(rd(MCI + 0xFE4), 0x11);
    assert_int_equal(rd(MCI + 0xFE8), 0x04);
    assert_int_equal(rd(MCI + 0xFF0), 0x0D);
    assert_int_equal(rd(MCI + 0xFFC), 0xB1);
    pl181_free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc7),
        cmocka_unit_test_setup(test_card_sdsc_registers, setup),
        cmocka_unit_test_setup(test_card_sdhc_registers, setup),
        cmocka_unit_test_setup(test_card_scr_status_switch, setup),
        cmocka_unit_test_setup(test_card_read_only, setup),
        cmocka_unit_test_setup(test_mci_read_write, setup),
        cmocka_unit_test_setup(test_mci_empty_slot, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
