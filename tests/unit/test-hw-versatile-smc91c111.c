/* Unit tests for the SMSC LAN91C111 model (datasheet section 8), driven
 * the way Linux's smc91x driver drives it (16- and 32-bit accesses, the
 * MMU commands, the pointer/data registers, MII bit-banging), with a
 * capture backend as its network peer: reset values and IDs, transmit
 * (with and without auto-release, odd lengths, padding), receive
 * (status, byte count, CRC, address filter), memory exhaustion and the
 * peer queue, interrupts and the PHY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <zlib.h>

#include "hw-versatile/devices.h"
#include "softmmu/net.h"
#include "tests/unit/softmmu-test-rig.h"

#define BASE 0x10010000u
#define IRQN 25

static SMC91C111 *smc;
static NetClient *peer;
static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* the capture backend */
static uint8_t cap[8][2048];
static size_t cap_len[8];
static int n_cap;

static bool cap_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    (void)nc;
    assert_true(n_cap < 8);
    memcpy(cap[n_cap], buf, len);
    cap_len[n_cap++] = len;
    return true;
}
static const NetClientOps cap_ops = { .kind = "capture", .receive = cap_receive };

static uint16_t rd16(unsigned off) { return (uint16_t)rd_size(BASE + off, 2); }
static uint8_t rd8(unsigned off) { return (uint8_t)rd_size(BASE + off, 1); }
static void wr_n(unsigned off, uint32_t v, unsigned size)
{
    TestRegion *r = rig_region(BASE + off);
    r->ops->write(r->opaque, BASE + off - r->base, v, size);
}
static void wr16(unsigned off, uint16_t v) { wr_n(off, v, 2); }
static void wr8(unsigned off, uint8_t v) { wr_n(off, v, 1); }
static void bank(int b) { wr16(0xE, (uint16_t)b); }

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    n_cap = 0;
    smc = smc91c111_new(NULL, BASE, rig_irq_line(IRQN), mac, "nic0");
    peer = net_client_new(&cap_ops, "capture", NULL);
    net_connect(smc91c111_net(smc), peer);
    return 0;
}

static int teardown(void **state)
{
    net_client_free(peer);
    smc91c111_free(smc);
    return 0;
}

static void test_smc_reset_values_and_ids(void **state)
{
    assert_int_equal(rd16(0xE), 0x3300);
    bank(3);
    assert_int_equal(rd16(0xE), 0x3303);
    assert_int_equal(rd16(0xA), 0x3391);          /* LAN91C111 */
    assert_int_equal(rd16(0xC), 0x001F);          /* ERCV */
    bank(1);
    assert_int_equal(rd16(0x0), 0xA0B1);
    assert_int_equal(rd16(0x2) & 0x1F00, 0);      /* I/O base: matches a page-aligned window */
    assert_int_equal(rd16(0xC), 0x1210);
    for (int i = 0; i < 6; i++)
        assert_int_equal(rd8(4 + i), mac[i]);
    bank(0);
    assert_int_equal(rd16(0x8), 0x0404);          /* MIR: 4 x 2 KiB, all free */
    assert_int_equal(rd16(0x2) & 0x4000, 0x4000); /* EPH: link OK */
    bank(2);
    /* 32-bit read at 0xC: IST (TX_EMPTY), MSK, and the bank register */
    assert_int_equal(rd(BASE + 0xC), 0x33020004);
    assert_int_equal(rd16(0x4), 0x8080);          /* both FIFOs empty */
    assert_int_equal(rig_irq[IRQN], 0);
}

/* Allocate, fill and enqueue one frame as smc_hardware_send_packet does. */
static int send_frame(const uint8_t *buf, unsigned len)
{
    bank(2);
    wr16(0x0, 0x20 | (((len & ~1u) + 5) >> 8));   /* MC_ALLOC | pages */
    uint16_t ist = rd16(0xC);
    if (!(ist & 0x08))
        return -1;
    int pkt = rd8(0x3);
    assert_int_equal(pkt & 0x80, 0);
    wr8(0x2, (uint8_t)pkt);
    wr16(0x6, 0x4000);                            /* PTR_AUTOINC, write */
    wr(BASE + 0x8, (len + 6) << 16);              /* status 0, byte count */
    unsigned i = 0;
    for (; i + 4 <= (len & ~1u); i += 4)
        wr(BASE + 0x8, buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 | (uint32_t)buf[i + 3] << 24);
    for (; i < (len & ~1u); i += 2)
        wr16(0x8, (uint16_t)(buf[i] | buf[i + 1] << 8));
    wr16(0x8, (len & 1) ? (uint16_t)(0x2000 | buf[len - 1]) : 0);
    wr16(0x0, 0xC0);                              /* MC_ENQUEUE */
    return pkt;
}

static void fill(uint8_t *buf, unsigned len, uint8_t seed)
{
    for (unsigned i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed + i * 7);
}

static void enable_tx(uint16_t ctl)
{
    bank(1);
    wr16(0xC, ctl);
    bank(0);
    wr16(0x0, 0x0001);                            /* TXENA */
}

static void test_smc_transmit_auto_release(void **state)
{
    enable_tx(0x0800 | 0x0080);                   /* AUTO_RELEASE | LE_ENABLE */
    bank(2);
    wr16(0xC, 0x0400 | 0x04);                     /* ack TX_EMPTY, mask TX_EMPTY */
    assert_int_equal(rig_irq[IRQN], 0);
    uint8_t f[1514];
    fill(f, 61, 3);
    assert_true(send_frame(f, 61) >= 0);
    fill(f, 1514, 9);
    assert_true(send_frame(f, 1514) >= 0);
    assert_int_equal(n_cap, 2);
    assert_int_equal(cap_len[0], 61);
    fill(f, 61, 3);
    assert_memory_equal(cap[0], f, 61);
    fill(f, 1514, 9);
    assert_int_equal(cap_len[1], 1514);
    assert_memory_equal(cap[1], f, 1514);
    assert_int_equal(rig_irq[IRQN], 1);           /* TX FIFO went empty */
    assert_int_equal(rd16(0xC) & 0x06, 0x04);     /* no TX_INT: released */
    assert_int_equal(rd16(0x4) & 0xFF, 0x80);
    bank(0);
    assert_int_equal(rd16(0x8), 0x0404);          /* all memory free again */
    bank(2);
    wr8(0xC, 0x04);
    assert_int_equal(rig_irq[IRQN], 0);
}

static void test_smc_transmit_pads_short_frames(void **state)
{
    enable_tx(0x0800);
    bank(0);
    wr16(0x0, 0x0081);                            /* TXENA | PAD_EN */
    uint8_t f[20];
    fill(f, 20, 1);
    assert_true(send_frame(f, 20) >= 0);
    assert_int_equal(n_cap, 1);
    assert_int_equal(cap_len[0], 60);
    assert_memory_equal(cap[0], f, 20);
    for (int i = 20; i < 60; i++)
        assert_int_equal(cap[0][i], 0);
}

static void test_smc_transmit_completion_fifo(void **state)
{
    enable_tx(0x0000);                            /* no auto-release */
    bank(2);
    wr8(0xD, 0x02);                               /* mask TX_INT */
    uint8_t f[100];
    fill(f, 100, 5);
    int pkt = send_frame(f, 100);
    assert_true(pkt >= 0);
    assert_int_equal(n_cap, 1);
    assert_int_equal(rig_irq[IRQN], 1);
    assert_int_equal(rd16(0xC) & 0x02, 0x02);
    assert_int_equal(rd8(0x4), pkt);              /* TX done FIFO */
    bank(0);
    assert_int_equal(rd16(0x8), 0x0304);          /* still allocated */
    bank(2);
    /* the status word now holds the EPH status: TX_SUC, LINK_OK */
    wr8(0x2, (uint8_t)pkt);
    wr16(0x6, 0x6000);                            /* AUTOINC | READ */
    uint32_t hdr = rd(BASE + 0x8);
    assert_int_equal(hdr & 0xFFFF, 0x4001);
    assert_int_equal(hdr >> 16, 106);
    wr16(0x0, 0xA0);                              /* MC_FREEPKT */
    wr8(0xC, 0x02);                               /* ack TX_INT */
    assert_int_equal(rig_irq[IRQN], 0);
    assert_int_equal(rd8(0x4), 0x80);
    bank(0);
    assert_int_equal(rd16(0x8), 0x0404);
}

static void test_smc_transmit_disabled_sends_nothing(void **state)
{
    bank(1);
    wr16(0xC, 0x0800);
    uint8_t f[64];
    fill(f, 64, 0);
    assert_true(send_frame(f, 64) >= 0);          /* TXENA clear */
    assert_int_equal(n_cap, 0);
}

static void enable_rx(uint16_t rcr)
{
    bank(0);
    wr16(0x4, rcr);
    bank(2);
    wr8(0xD, 0x01);                               /* mask RCV */
}

/* Read the RX FIFO's head as smc_rcv does; returns the data length. */
static unsigned read_rx(uint16_t *status, uint8_t *out, unsigned *count_out)
{
    bank(2);
    assert_int_equal(rd8(0x5) & 0x80, 0);
    wr16(0x6, 0x8000 | 0x4000 | 0x2000);          /* RCV | AUTOINC | READ */
    uint32_t hdr = rd(BASE + 0x8);
    *status = (uint16_t)hdr;
    unsigned count = (hdr >> 16) & 0x7FF;
    *count_out = count;
    unsigned data_len = count - ((*status & 0x1000) ? 5 : 6);
    for (unsigned i = 0; i < ((data_len + 1) & ~1u); i += 2) {
        uint16_t w = rd16(0x8);
        out[i] = (uint8_t)w;
        if (i + 1 < data_len + 1)
            out[i + 1] = (uint8_t)(w >> 8);
    }
    /* the control word's high byte follows an even count */
    if (!(*status & 0x1000))
        assert_int_equal(rd16(0x8) >> 8, 0);
    else
        assert_int_equal(out[data_len], 0x20);   /* ODD control byte */
    return data_len;
}

static void test_smc_receive_odd_frame_strip_crc(void **state)
{
    enable_rx(0x0300);                            /* RXEN | STRIP_CRC */
    uint8_t f[61], got[2048];
    fill(f, 61, 11);
    memcpy(f, mac, 6);
    assert_true(net_send(peer, f, 61));
    assert_int_equal(rig_irq[IRQN], 1);
    uint16_t status;
    unsigned count;
    unsigned len = read_rx(&status, got, &count);
    assert_int_equal(status & 0x1000, 0x1000);    /* ODDFRM */
    assert_int_equal(count, 66);
    assert_int_equal(len, 61);
    assert_memory_equal(got, f, 61);
    wr16(0x0, 0x80);                              /* MC_RELEASE: remove and release */
    assert_int_equal(rig_irq[IRQN], 0);
    assert_int_equal(rd8(0x5), 0x80);
    bank(0);
    assert_int_equal(rd16(0x8), 0x0404);
}

static void test_smc_receive_with_crc_and_broadcast(void **state)
{
    enable_rx(0x0100);                            /* RXEN, CRC kept */
    uint8_t f[64], got[2048];
    fill(f, 64, 2);
    memset(f, 0xFF, 6);
    assert_true(net_send(peer, f, 64));
    uint16_t status;
    unsigned count;
    unsigned len = read_rx(&status, got, &count);
    assert_int_equal(status & 0x4000, 0x4000);    /* broadcast */
    assert_int_equal(count, 64 + 4 + 6);
    assert_int_equal(len, 68);
    assert_memory_equal(got, f, 64);
    uint32_t crc = (uint32_t)crc32(0, f, 64);
    assert_int_equal(got[64] | got[65] << 8 | got[66] << 16 | (uint32_t)got[67] << 24, crc);
}

static void test_smc_receive_filters_and_disabled(void **state)
{
    uint8_t f[64];
    fill(f, 64, 4);
    memcpy(f, "\x52\x54\x00\x99\x99\x99", 6);
    /* RX disabled: the frame waits in the peer's queue */
    assert_true(net_send(peer, f, 64));
    assert_int_equal(peer->queued, 1);
    enable_rx(0x0300);
    net_flush(smc91c111_net(smc));
    assert_int_equal(peer->queued, 0);
    bank(2);
    assert_int_equal(rd8(0x5), 0x80);             /* not our address: dropped */
    bank(0);
    wr16(0x4, 0x0302);                            /* promiscuous */
    assert_true(net_send(peer, f, 64));
    bank(2);
    assert_int_equal(rd8(0x5) & 0x80, 0);
}

static void test_smc_memory_exhaustion_and_queue(void **state)
{
    enable_rx(0x0300);
    uint8_t f[100];
    fill(f, 100, 6);
    memcpy(f, mac, 6);
    for (int i = 0; i < 4; i++) {
        f[6] = (uint8_t)i;
        assert_true(net_send(peer, f, 100));
    }
    bank(0);
    assert_int_equal(rd16(0x8), 0x0004);          /* no free memory */
    bank(2);
    wr16(0x0, 0x20);                              /* allocation fails */
    assert_int_equal(rd8(0x3) & 0x80, 0x80);
    assert_int_equal(rd16(0xC) & 0x08, 0);
    f[6] = 4;
    assert_true(net_send(peer, f, 100));          /* queued */
    assert_int_equal(peer->queued, 1);
    assert_int_equal(rd16(0xC) & 0x10, 0x10);     /* RX_OVRN */
    uint16_t status;
    unsigned count;
    uint8_t got[2048];
    for (int i = 0; i < 5; i++) {
        read_rx(&status, got, &count);
        assert_int_equal(got[6], i);
        wr16(0x0, 0x80);
        /* the first release satisfies the pending allocation ... */
        if (i == 0) {
            assert_int_equal(rd16(0xC) & 0x08, 0x08);
            assert_int_equal(rd8(0x3) & 0x80, 0);
            assert_int_equal(peer->queued, 1);    /* ... so the frame still waits */
            wr8(0x2, rd8(0x3));
            wr16(0x0, 0xA0);                      /* give that packet back */
            assert_int_equal(peer->queued, 0);
        }
    }
    assert_int_equal(rd8(0x5), 0x80);
    wr8(0xC, 0x10);
    assert_int_equal(rd16(0xC) & 0x10, 0);
}

/* MII management over bank 3's MGMT register, as smc_mii_out/in do. */
static void mii_out(uint32_t val, int bits)
{
    uint16_t reg = (rd16(0x8) & ~0x0F) | 0x08;    /* MDOE */
    for (uint32_t mask = 1u << (bits - 1); mask; mask >>= 1) {
        reg = (val & mask) ? (reg | 1) : (reg & ~1);
        wr16(0x8, reg);
        wr16(0x8, reg | 0x04);
    }
}

static uint32_t mii_in(int bits)
{
    uint16_t reg = rd16(0x8) & ~0x0F;
    uint32_t val = 0;
    wr16(0x8, reg);
    for (uint32_t mask = 1u << (bits - 1); mask; mask >>= 1) {
        if (rd16(0x8) & 0x02)
            val |= mask;
        wr16(0x8, reg);
        wr16(0x8, reg | 0x04);
    }
    return val;
}

static uint16_t phy_read(int addr, int reg)
{
    bank(3);
    mii_out(0xFFFFFFFF, 32);
    mii_out(6u << 10 | (unsigned)addr << 5 | (unsigned)reg, 14);
    uint32_t v = mii_in(18);
    wr16(0x8, rd16(0x8) & ~0x0D);
    return (uint16_t)v;
}

static void phy_write(int addr, int reg, uint16_t v)
{
    bank(3);
    mii_out(0xFFFFFFFF, 32);
    mii_out(5u << 28 | (unsigned)addr << 23 | (unsigned)reg << 18 | 2u << 16 | v, 32);
    wr16(0x8, rd16(0x8) & ~0x0D);
}

static void test_smc_phy_over_mii(void **state)
{
    bank(3);
    assert_int_equal(rd16(0x8) & 0xFFF0, 0x3330);
    assert_int_equal(phy_read(0, 2), 0x0016);
    assert_int_equal(phy_read(0, 3), 0xF840);
    assert_int_equal(phy_read(1, 2), 0x0000);    /* no PHY at 1 */
    assert_int_equal(phy_read(0, 1) & 0x0024, 0x0024);   /* link up, AN complete */
    phy_write(0, 4, 0x01E1);
    phy_write(0, 4, 0x0061);
    assert_int_equal(phy_read(0, 4), 0x0061);
    phy_write(0, 0, 0x8000);                      /* reset completes at once */
    assert_int_equal(phy_read(0, 0) & 0x8000, 0);
    phy_write(0, 0, 0x1200);                      /* AN enable | restart */
    assert_int_equal(phy_read(0, 0), 0x1000);
    phy_write(1, 4, 0x1234);                      /* other address: ignored */
    assert_int_equal(phy_read(0, 4), 0x0061);
}

static void test_smc_soft_reset(void **state)
{
    enable_tx(0x0800);
    bank(2);
    wr16(0x0, 0x20);
    bank(0);
    assert_int_equal(rd16(0x8), 0x0304);
    wr16(0x4, 0x8000);                            /* SOFT_RST */
    wr16(0x4, 0x0000);
    assert_int_equal(rd16(0x8), 0x0404);
    assert_int_equal(rd16(0x0), 0);
    bank(1);
    assert_int_equal(rd16(0xC), 0x1210);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_smc_reset_values_and_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_transmit_auto_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_transmit_pads_short_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_transmit_completion_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_transmit_disabled_sends_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_receive_odd_frame_strip_crc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_receive_with_crc_and_broadcast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_receive_filters_and_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_memory_exhaustion_and_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_phy_over_mii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smc_soft_reset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
