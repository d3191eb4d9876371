/* Unit tests for the LSI53C895A SCSI adapter (hw-scsi/lsi53c895a.c) and
 * scsi-hd/scsi-cd (hw-scsi/scsi-disk.c) behind the generic PCI bus
 * (softmmu/pci.c): small SCRIPTS programs, written as the SCRIPTS manual
 * encodes them (and sym53c8xx_2's sym_defs.h spells them), select a
 * target, send IDENTIFY and a CDB, move the data, status and message,
 * and stop with INT; the data is checked against the image on the host.
 * Phase mismatch, selection time-out, LOAD/STORE, register arithmetic
 * and the CTEST2 read that clears SIGP are what the Linux driver leans on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "block/block.h"
#include "hw-scsi/lsi53c895a.h"
#include "hw-scsi/scsi-disk.h"
#include "softmmu/memory.h"
#include "softmmu/pci.h"
#include "softmmu/vmstate.h"

#define REGS 0x50000000u
#define SRAM 0x50002000u
/* Scripts and buffers live in the adapter's SCRIPTS RAM (BAR2), which it
 * reaches without bus-master cycles; ram[] mirrors it (to_sram before a
 * run, from_sram after). */
#define SCRIPT (SRAM + 0x000u)
#define BUF (SRAM + 0x800u)
#define DATA (SRAM + 0x1000u)

static PhysMemory *pm;
static uint8_t mirror[8192];
static uint8_t *const ram = mirror - SRAM;   /* ram[SRAM + i] is mirror[i] */
static PCIBus *bus;
static LSI53C895A *lsi;
static BlockDriverState *bs;
static char image[64];
static int irq_level;

static void set_irq(void *opaque, int slot, int pin, int level) { (void)opaque, (void)slot, (void)pin; irq_level = level; }

static void wr8(unsigned r, uint8_t v) { uint64_t x = v; pci_mem_access(bus, false, REGS + r, &x, 1, true); }
static void wr32(unsigned r, uint32_t v) { uint64_t x = v; pci_mem_access(bus, false, REGS + r, &x, 4, true); }
static uint8_t rd8(unsigned r) { uint64_t x; pci_mem_access(bus, false, REGS + r, &x, 1, false); return x; }
static uint32_t rd32(unsigned r) { uint64_t x; pci_mem_access(bus, false, REGS + r, &x, 4, false); return x; }

static uint32_t *script;
static int nins;
static void ins(uint32_t a, uint32_t b) { script[nins++] = a; script[nins++] = b; }

static int setup(void **state)
{
    (void)state;
    pm = phys_memory_new();
    phys_add_ram(pm, "ram", 0, 1 << 20);
    memset(mirror, 0, sizeof mirror);
    bus = pci_bus_new(pm, set_irq, NULL);
    lsi = lsi53c895a_new(bus, 1);
    assert_non_null(lsi);
    PCIDevice *d = bus->slots[1];
    assert_int_equal(pci_config_read(bus, 1 << 11, 4), 0x00121000);   /* 53C895A */
    assert_int_equal(pci_config_read(bus, (1 << 11) | 8, 4) >> 8, 0x010000);
    pci_config_write(bus, (1 << 11) | 0x14, 0xffffffff, 4);            /* BAR1 sizing */
    assert_int_equal(pci_config_read(bus, (1 << 11) | 0x14, 4), 0xfffffc00);
    pci_config_write(bus, (1 << 11) | 0x14, REGS, 4);
    pci_config_write(bus, (1 << 11) | 0x18, SRAM, 4);
    pci_config_write(bus, (1 << 11) | 0x04, 0x0006, 2);                /* memory, master */
    assert_int_equal(pci_bar_address(d, 1), REGS);

    strcpy(image, "/tmp/vemu-lsi-XXXXXX");
    int fd = mkstemp(image);
    for (int i = 0; i < 64 * 1024; i++) {
        uint8_t b = (i * 7 + i / 512) & 0xff;
        assert_int_equal(write(fd, &b, 1), 1);
    }
    close(fd);
    bs = bdrv_open(image, "raw", BDRV_O_RDWR, NULL);
    assert_non_null(bs);
    assert_true(lsi53c895a_attach(lsi, 0, scsi_disk_new(bs, false, false, "s0")));
    script = (uint32_t *)mirror;
    nins = 0;
    wr8(0x39, 0xff);   /* DIEN */
    wr8(0x40, 0xff);   /* SIEN0 */
    wr8(0x41, 0xff);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bdrv_close(bs);
    unlink(image);
    return 0;
}

/* SELECT ATN id, IDENTIFY, the CDB, then a data move (phase, count),
 * STATUS, MESSAGE IN, CLEAR ACK, WAIT DISCONNECT, INT 0x1234. */
static void command_script(int id, const uint8_t *cdb, int cdblen, int phase, uint32_t count)
{
    ram[BUF] = 0x80;
    memcpy(ram + BUF + 0x10, cdb, cdblen);
    ins(0x41000000 | id << 16, SCRIPT + 0x200);          /* SELECT ATN id, alt */
    ins(0x0e000001, BUF);                                /* MOVE 1, WHEN MSG_OUT */
    ins(0x0a000000 | cdblen, BUF + 0x10);                /* MOVE n, WHEN COMMAND */
    if (count)
        ins(0x08000000 | phase << 24 | count, DATA);     /* MOVE count, WHEN DATA_x */
    ins(0x0b000001, BUF + 0x100);                        /* MOVE 1, WHEN STATUS */
    ins(0x0f000001, BUF + 0x101);                        /* MOVE 1, WHEN MSG_IN */
    ins(0x60000040, 0);                                  /* CLEAR ACK */
    ins(0x48000000, 0);                                  /* WAIT DISCONNECT */
    ins(0x98080000, 0x1234);                             /* INT 0x1234 */
}

static void run(void)
{
    for (unsigned i = 0; i < sizeof mirror; i += 4) {
        uint64_t v = mirror[i] | mirror[i + 1] << 8 | mirror[i + 2] << 16 | (uint64_t)mirror[i + 3] << 24;
        pci_mem_access(bus, false, SRAM + i, &v, 4, true);
    }
    wr32(0x2c, SCRIPT);                                  /* DSP: go */
    for (unsigned i = 0; i < sizeof mirror; i += 4) {
        uint64_t v;
        pci_mem_access(bus, false, SRAM + i, &v, 4, false);
        for (int k = 0; k < 4; k++)
            mirror[i + k] = v >> (8 * k);
    }
}

static void test_inquiry(void **state)
{
    (void)state;
    static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 };
    command_script(0, cdb, 6, 1, 36);
    run();
    assert_int_equal(rd8(0x14) & 0x01, 0x01);            /* ISTAT.DIP */
    assert_int_equal(irq_level, 1);
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);            /* DSTAT.SIR */
    assert_int_equal(rd32(0x30), 0x1234);                /* DSPS */
    assert_int_equal(irq_level, 0);
    assert_int_equal(rd32(0x2c), SCRIPT + 8 * nins / 2);
    assert_int_equal(ram[DATA], 0x00);                   /* direct access */
    assert_memory_equal(ram + DATA + 8, "VEMU    VEMU HARDDISK", 21);
    assert_int_equal(ram[BUF + 0x100], 0x00);            /* GOOD */
    assert_int_equal(ram[BUF + 0x101], 0x00);            /* COMMAND COMPLETE */
}

static void test_read_and_write(void **state)
{
    (void)state;
    static const uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0 };   /* READ(10) lba 3, 2 blocks */
    command_script(0, rd, 10, 1, 1024);
    run();
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);
    for (int i = 0; i < 1024; i++) {
        int o = 3 * 512 + i;
        assert_int_equal(ram[DATA + i], (o * 7 + o / 512) & 0xff);
    }
    nins = 0;
    static const uint8_t wr[10] = { 0x2a, 0, 0, 0, 0, 10, 0, 0, 1, 0 };  /* WRITE(10) lba 10, 1 block */
    command_script(0, wr, 10, 0, 512);
    memset(ram + DATA, 0xa5, 512);
    run();
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);
    assert_int_equal(ram[BUF + 0x100], 0x00);
    uint8_t back[512];
    assert_true(bdrv_pread(bs, 10 * 512, back, 512) >= 0);
    for (int i = 0; i < 512; i++)
        assert_int_equal(back[i], 0xa5);
}

static void test_phase_mismatch_and_check_condition(void **state)
{
    (void)state;
    /* READ(10) of one block into a 2048-byte move: MA with 1536 left */
    static const uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
    command_script(0, rd, 10, 1, 2048);
    run();
    assert_int_equal(rd8(0x42) & 0x80, 0x80);            /* SIST0.MA */
    assert_int_equal(rd32(0x24) & 0xffffff, 1536);       /* DBC */
    assert_int_equal(rd32(0x28), DATA + 512);            /* DNAD */
    assert_int_equal(rd8(0x0e) & 7, 3);                  /* SSTAT1: STATUS phase */
    /* a SCSI bus reset ends the command (SIST0.RST) */
    wr8(0x01, 0x08);
    assert_int_equal(rd8(0x0d) & 0x02, 0x02);            /* SSTAT0: RST asserted */
    wr8(0x01, 0x00);
    assert_int_equal(rd8(0x42) & 0x02, 0x02);
    assert_int_equal(rd8(0x14) & 0x08, 0);               /* ISTAT: not connected */
    /* an LBA past the end: CHECK CONDITION, then REQUEST SENSE says 05/21 */
    nins = 0;
    static const uint8_t bad[10] = { 0x28, 0, 0, 0, 0x10, 0, 0, 0, 1, 0 };
    command_script(0, bad, 10, 1, 0);
    run();
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);
    assert_int_equal(ram[BUF + 0x100], 0x02);
    nins = 0;
    static const uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 };
    command_script(0, rs, 6, 1, 18);
    run();
    assert_int_equal(ram[DATA + 2], 0x05);
    assert_int_equal(ram[DATA + 12], 0x21);
}

/* With CCNTL0.ENPMJ (sym53c8xx on the 895A) a mismatch jumps to PMJAD1
 * with IA, RBC and UA saying where the move was and what is left. */
static void test_phase_mismatch_jump(void **state)
{
    (void)state;
    static const uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
    command_script(0, rd, 10, 1, 2048);
    script[0x300 / 4] = 0x98080000;                      /* PM handler: INT 0x77 */
    script[0x300 / 4 + 1] = 0x77;
    wr8(0x56, 0x80);                                     /* CCNTL0.ENPMJ */
    wr32(0xc0, SCRIPT + 0x300);                          /* PMJAD1 */
    wr32(0xc4, SCRIPT + 0x300);
    run();
    assert_int_equal(rd8(0x42), 0);                      /* no MA interrupt */
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);
    assert_int_equal(rd32(0x30), 0x77);
    assert_int_equal(rd32(0xd4), SCRIPT + 3 * 8);        /* IA: the data move */
    assert_int_equal(rd32(0xc8), 1536);                  /* RBC */
    assert_int_equal(rd32(0xcc), DATA + 512);            /* UA */
}

static void test_selection_timeout(void **state)
{
    (void)state;
    ins(0x41000000 | 3 << 16, SCRIPT + 0x200);           /* SELECT ATN 3: nobody there */
    ins(0x78340000, 0);                                  /* MOVE 0 TO SCRATCHA0: runs on */
    ins(0x98030000 | 0x06 << 24, 0x99);                  /* INT IF NOT WHEN MSG_OUT: the wait */
    run();
    assert_int_equal(rd8(0x43) & 0x04, 0x04);            /* SIST1.STO */
    assert_int_equal(rd32(0x2c), SCRIPT + 24);           /* after the waiting instruction */
}

static void test_load_store_and_registers(void **state)
{
    (void)state;
    uint32_t v = 0x11223344;
    memcpy(ram + BUF, &v, 4);
    wr32(0x10, BUF);                                     /* DSA */
    ins(0xf1340004 | 0x02000000, 0);                     /* LOAD SCRATCHA, 4, DSA REL 0 */
    ins(0x78340100 | 0x06000000, 0);                     /* SCRATCHA0 += 1 (ADD) */
    ins(0xf01c0004 | 0x02000000, 8);                     /* STORE TEMP, 4, DSA REL 8: TEMP stays */
    ins(0xe0340004, BUF + 4);                            /* STORE SCRATCHA, 4, absolute */
    ins(0xc1000004, BUF + 4);                            /* COPY 4: memory to memory */
    script[nins++] = BUF + 12;
    ins(0x701a0000 | 0x02000000, 0);                     /* MOVE CTEST2 | 0 TO SFBR */
    ins(0x98080000, 0x42);
    wr8(0x14, 0x20);                                     /* ISTAT.SIGP */
    run();
    assert_int_equal(rd32(0x30), 0x42);
    uint32_t got;
    memcpy(&got, ram + BUF + 4, 4);
    assert_int_equal(got, 0x11223345);
    memcpy(&got, ram + BUF + 12, 4);
    assert_int_equal(got, 0x11223345);
    assert_int_equal(rd8(0x08) & 0x40, 0x40);            /* SFBR got SIGP from CTEST2 */
    assert_int_equal(rd8(0x14) & 0x20, 0);               /* and reading it cleared SIGP */
}

static void test_cdrom_medium(void **state)
{
    (void)state;
    SCSIDevice *cd = scsi_disk_new(NULL, true, true, "cd");
    assert_true(lsi53c895a_attach(lsi, 2, cd));
    static const uint8_t tur[6] = { 0x00 };
    command_script(2, tur, 6, 1, 0);
    run();
    assert_int_equal(ram[BUF + 0x100], 0x02);            /* no medium */
    scsi_disk_insert(cd, bs, true);
    nins = 0;
    static const uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 };
    command_script(2, rs, 6, 1, 18);
    run();
    assert_int_equal(ram[DATA + 2], 0x02);               /* NOT READY */
    assert_int_equal(ram[DATA + 12], 0x3a);              /* MEDIUM NOT PRESENT */
    nins = 0;
    command_script(2, tur, 6, 1, 0);
    run();
    assert_int_equal(ram[BUF + 0x100], 0x02);            /* UNIT ATTENTION once */
    nins = 0;
    command_script(2, tur, 6, 1, 0);
    run();
    assert_int_equal(ram[BUF + 0x100], 0x00);
    nins = 0;
    static const uint8_t cap[10] = { 0x25 };
    command_script(2, cap, 10, 1, 8);
    run();
    assert_int_equal(ram[DATA + 3], 64 * 1024 / 2048 - 1);
    assert_int_equal(ram[DATA + 6], 0x08);               /* 2048-byte blocks */
}

/* ---- savevm with a command in the middle of its phases ---- */

typedef struct Stream {
    uint8_t *buf;
    uint64_t len;
} Stream;

static int stream_write(void *opaque, const void *buf, uint64_t pos, uint64_t len)
{
    Stream *m = opaque;
    if (pos + len > m->len) {
        m->buf = realloc(m->buf, pos + len);
        m->len = pos + len;
    }
    memcpy(m->buf + pos, buf, len);
    return 0;
}

static int stream_read(void *opaque, void *buf, uint64_t pos, uint64_t len)
{
    Stream *m = opaque;      /* the loader reads ahead: past the end are zeroes */
    if (pos >= m->len)
        return -EINVAL;
    uint64_t have = m->len - pos < len ? m->len - pos : len;
    memcpy(buf, m->buf + pos, have);
    memset((uint8_t *)buf + have, 0, len - have);
    return 0;
}

/* The script stops (INT 0x55) with READ(10)'s data not yet moved: the
 * state is saved there, the chip is reset (the request is gone), the
 * state is loaded, and the script goes on to move the data, the status
 * and COMMAND COMPLETE as if nothing had happened. */
static void test_vmstate_pending_command(void **state)
{
    (void)state;
    static const uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 5, 0, 0, 2, 0 };   /* READ(10) lba 5, 2 blocks */
    ram[BUF] = 0x80;
    memcpy(ram + BUF + 0x10, rd, sizeof rd);
    ins(0x41000000, SCRIPT + 0x200);                     /* SELECT ATN 0 */
    ins(0x0e000001, BUF);                                /* MOVE 1, WHEN MSG_OUT */
    ins(0x0a00000a, BUF + 0x10);                         /* MOVE 10, WHEN COMMAND */
    ins(0x98080000, 0x55);                               /* INT 0x55 */
    uint32_t resume = SCRIPT + 8 * nins / 2;
    ins(0x09000400, DATA);                               /* MOVE 1024, WHEN DATA_IN */
    ins(0x0b000001, BUF + 0x100);                        /* MOVE 1, WHEN STATUS */
    ins(0x0f000001, BUF + 0x101);                        /* MOVE 1, WHEN MSG_IN */
    ins(0x60000040, 0);                                  /* CLEAR ACK */
    ins(0x48000000, 0);                                  /* WAIT DISCONNECT */
    ins(0x98080000, 0x1234);                             /* INT 0x1234 */
    run();
    assert_int_equal(rd32(0x30), 0x55);                  /* DSPS */
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);            /* DSTAT.SIR (read clears it) */
    assert_int_equal(rd8(0x14) & 0x08, 0x08);            /* ISTAT.CON: still connected */
    assert_int_equal(rd8(0x0e) & 7, 1);                  /* SSTAT1: DATA IN */
    assert_int_equal(rd32(0x2c), resume);

    Stream m = { 0 };
    VMStateSink sink = { stream_write, &m };
    char *err = NULL;
    assert_true(vmstate_save_all(&sink, 0, &err) > 0);

    wr8(0x14, 0x40);                                     /* ISTAT.SRST: the chip forgets it all */
    wr8(0x14, 0x00);
    assert_int_equal(rd8(0x14) & 0x08, 0);
    pci_config_write(bus, (1 << 11) | 0x04, 0, 2);       /* and the BARs are off */

    VMStateSource src = { stream_read, &m };
    int64_t clock;
    if (vmstate_load_all(&src, &clock, &err) != 0)
        fail_msg("load: %s", err);
    free(m.buf);
    assert_int_equal(pci_bar_address(bus->slots[1], 1), REGS);   /* the config space is back */
    assert_int_equal(rd8(0x14) & 0x08, 0x08);            /* connected */
    assert_int_equal(rd8(0x0e) & 7, 1);                  /* DATA IN */
    memset(ram + DATA, 0, 1024);
    ram[BUF + 0x100] = 0xff;
    ram[BUF + 0x101] = 0xff;
    for (unsigned i = 0; i < sizeof mirror; i += 4) {    /* the test's buffers */
        uint64_t v = mirror[i] | mirror[i + 1] << 8 | mirror[i + 2] << 16 | (uint64_t)mirror[i + 3] << 24;
        pci_mem_access(bus, false, SRAM + i, &v, 4, true);
    }
    wr32(0x2c, resume);                                  /* the driver restarts the script */
    for (unsigned i = 0; i < sizeof mirror; i += 4) {
        uint64_t v;
        pci_mem_access(bus, false, SRAM + i, &v, 4, false);
        for (int k = 0; k < 4; k++)
            mirror[i + k] = v >> (8 * k);
    }
    assert_int_equal(rd32(0x30), 0x1234);
    assert_int_equal(rd8(0x0c) & 0x7f, 0x04);
    for (int i = 0; i < 1024; i++) {
        int o = 5 * 512 + i;
        assert_int_equal(ram[DATA + i], (o * 7 + o / 512) & 0xff);
    }
    assert_int_equal(ram[BUF + 0x100], 0x00);            /* GOOD */
    assert_int_equal(ram[BUF + 0x101], 0x00);            /* COMMAND COMPLETE */
    assert_int_equal(rd8(0x14) & 0x08, 0);               /* disconnected */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_inquiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_and_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phase_mismatch_and_check_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phase_mismatch_jump, setup, teardown),
        cmocka_unit_test_setup_teardown(test_selection_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_store_and_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cdrom_medium, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vmstate_pending_command, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
