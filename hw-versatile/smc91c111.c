/*
 * smc91c111.c — SMSC LAN91C111 10/100 Ethernet controller, after the
 * LAN91C111 datasheet (SMSC, rev. 2005), section 8 "Registers" and 7
 * "Packet format".  On the Versatile PB at 0x10010000, VIC input 25.
 *
 * Sixteen bytes of registers in four banks chosen by the bank select
 * register at 0xE (reads 0x33 in its high byte, which drivers check).
 * Every access is split into bytes, so 8-, 16- and 32-bit drivers all
 * work; the data register (bank 2, 0x8..0xB) moves one byte of packet
 * memory per byte accessed.
 *
 * Packet memory: 8 KiB as four 2 KiB packets, handed out by the MMU
 * (ALLOCATE, RELEASE, ENQUEUE, ...).  A packet in memory is a status
 * word, a byte count (status + count + data + control word), the data,
 * and a control word whose high byte says ODD (the low byte is then the
 * last data byte) and CRC.  Transmit sends the frame to the NetClient
 * peer at once (a host network is far faster than the wire); receive
 * takes a frame from the peer into a free packet and queues its number
 * on the RX FIFO.
 *
 * The internal PHY (IDs 0x0016/0xF840) is reached, as on the chip, by
 * bit-banging MII management frames through bank 3's MGMT register; it
 * reports a 100 Mb/s full-duplex link that is always up.
 *
 * Not modelled: collisions, the EEPROM (bank 1's station address is set
 * from the NIC's MAC at reset, as the EEPROM load would), the early
 * receive threshold, multicast filtering (ALMUL/multicast frames are all
 * accepted), loopback modes, PHY interrupts (MD_INT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/devices.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"
#include "softmmu/net.h"

#define NUM_PACKETS 4
#define PACKET_SIZE 2048

/* interrupt bits (bank 2, 0xC) */
#define INT_RCV      0x01
#define INT_TX       0x02
#define INT_TX_EMPTY 0x04
#define INT_ALLOC    0x08
#define INT_RX_OVRN  0x10
#define INT_EPH      0x20
#define INT_MD       0x80
#define INT_ACKABLE  (INT_TX | INT_TX_EMPTY | INT_RX_OVRN | INT_MD | 0x40)

/* TCR, RCR, CTR bits */
#define TCR_TXENA    0x0001
#define TCR_PAD_EN   0x0080
#define RCR_PRMS     0x0002
#define RCR_ALMUL    0x0004
#define RCR_RXEN     0x0100
#define RCR_STRIP_CRC 0x0200
#define RCR_SOFT_RST 0x8000
#define CTR_AUTO_RELEASE 0x0800

/* pointer register bits */
#define PTR_RCV      0x8000
#define PTR_AUTOINC  0x4000
#define PTR_READ     0x2000

/* packet status word bits */
#define RS_BRODCAST  0x4000
#define RS_ODDFRM    0x1000
#define RS_MULTICAST 0x0001
#define CTL_ODD      0x20
#define CTL_CRC      0x10

/* EPH status: link OK, and TX succeeded */
#define EPH_LINK_OK  0x4000
#define EPH_TX_SUC   0x0001

/* MII management register bits (bank 3, 0x8) */
#define MII_MDO  0x01
#define MII_MDI  0x02
#define MII_MCLK 0x04
#define MII_MDOE 0x08

#define PHY_ADDR 0

struct SMC91C111 {
    IRQLine irq;
    NetClient *nc;
    uint8_t mac[6];
    int irq_level;

    unsigned bank;
    uint16_t tcr, rcr, rpcr, config, base, ctr, gp;
    uint8_t ia[6], mcast[8];
    uint8_t pnr, arr;
    uint16_t ptr;
    uint8_t ist, msk;
    uint8_t ercv;

    uint8_t allocated;               /* bit n: packet n in use */
    int alloc_pending;               /* an ALLOCATE waits for free memory */
    uint8_t tx_fifo[NUM_PACKETS];    /* enqueued, not yet sent */
    int tx_count;
    uint8_t tx_done[NUM_PACKETS];    /* sent, not auto-released */
    int tx_done_count;
    uint8_t rx_fifo[NUM_PACKETS];    /* received packets */
    int rx_count;
    uint8_t mem[NUM_PACKETS][PACKET_SIZE];

    /* MII management: bits shifted in on rising MCLK, the reply out */
    uint16_t mgmt;
    uint32_t mii_in;
    int mii_ones, mii_bits, mii_state;   /* 0 idle, 1 header, 2 write data, 3 reading */
    uint32_t mii_out;
    int mii_out_bits;
    uint16_t phy[32];
};

enum { MII_IDLE, MII_HEADER, MII_WRITE, MII_READ };

static void update_irq(SMC91C111 *s)
{
    if (s->rx_count)
        s->ist |= INT_RCV;
    else
        s->ist &= ~INT_RCV;
    if (s->tx_done_count)
        s->ist |= INT_TX;
    int level = (s->ist & s->msk) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(&s->irq, level);
    }
}

static int free_pages(const SMC91C111 *s)
{
    int n = 0;
    for (int i = 0; i < NUM_PACKETS; i++)
        if (!(s->allocated & (1u << i)))
            n++;
    return n;
}

static int alloc_packet(SMC91C111 *s)
{
    for (int i = 0; i < NUM_PACKETS; i++)
        if (!(s->allocated & (1u << i))) {
            s->allocated |= 1u << i;
            return i;
        }
    return -1;
}

/* An ALLOCATE that could not be met is retried as memory comes free. */
static void try_alloc(SMC91C111 *s)
{
    if (!s->alloc_pending)
        return;
    int n = alloc_packet(s);
    if (n < 0)
        return;
    s->alloc_pending = 0;
    s->arr = (uint8_t)n;
    s->ist |= INT_ALLOC;
}

static void release_packet(SMC91C111 *s, int n)
{
    s->allocated &= ~(1u << (n & (NUM_PACKETS - 1)));
    try_alloc(s);
    if (s->nc)
        net_flush(s->nc);    /* a frame waiting for memory may fit now */
}

static void pop(uint8_t *fifo, int *count)
{
    if (*count == 0)
        return;
    memmove(fifo, fifo + 1, (size_t)(*count - 1));
    (*count)--;
}

static void transmit(SMC91C111 *s, int n)
{
    uint8_t *p = s->mem[n];
    unsigned count = (unsigned)(p[2] | p[3] << 8) & 0x7FE;   /* bit 0 reads as zero */
    if (count < 6)
        count = 6;
    unsigned len = count - 6;
    uint8_t ctl = p[count - 1];
    if (ctl & CTL_ODD)
        len++;
    if ((s->tcr & TCR_TXENA) && s->nc) {
        uint8_t frame[PACKET_SIZE];
        memcpy(frame, p + 4, len);
        if (len < 60 && (s->tcr & TCR_PAD_EN)) {
            memset(frame + len, 0, 60 - len);
            len = 60;
        }
        net_send(s->nc, frame, len);
    }
    /* the status word now holds the transmit's EPH status */
    p[0] = EPH_TX_SUC & 0xFF;
    p[1] = (EPH_LINK_OK | EPH_TX_SUC) >> 8;
    if (s->ctr & CTR_AUTO_RELEASE)
        release_packet(s, n);
    else if (s->tx_done_count < NUM_PACKETS)
        s->tx_done[s->tx_done_count++] = (uint8_t)n;
}

static void run_tx(SMC91C111 *s)
{
    while (s->tx_count) {
        int n = s->tx_fifo[0];
        pop(s->tx_fifo, &s->tx_count);
        transmit(s, n);
    }
    /* latched as the FIFO goes empty, cleared by acknowledging it */
    s->ist |= INT_TX_EMPTY;
}

static void mmu_command(SMC91C111 *s, uint8_t cmd)
{
    switch (cmd >> 5) {
    case 0: break;                                  /* no-op */
    case 1:                                         /* allocate */
        s->ist &= ~INT_ALLOC;
        s->arr = 0x80;                              /* FAILED until met */
        s->alloc_pending = 1;
        try_alloc(s);
        break;
    case 2:                                         /* reset MMU */
        s->allocated = 0;
        s->tx_count = s->tx_done_count = s->rx_count = 0;
        s->alloc_pending = 0;
        s->arr = 0x80;
        break;
    case 3:                                         /* remove RX top */
        pop(s->rx_fifo, &s->rx_count);
        break;
    case 4:                                         /* remove and release RX top */
        if (s->rx_count) {
            int n = s->rx_fifo[0];
            pop(s->rx_fifo, &s->rx_count);
            release_packet(s, n);
        }
        break;
    case 5:                                         /* release packet PNR */
        release_packet(s, s->pnr);
        break;
    case 6:                                         /* enqueue PNR for TX */
        if (s->tx_count < NUM_PACKETS)
            s->tx_fifo[s->tx_count++] = s->pnr & (NUM_PACKETS - 1);
        run_tx(s);
        break;
    case 7:                                         /* reset TX FIFOs */
        s->tx_count = s->tx_done_count = 0;
        break;
    }
}

/* The packet and byte the pointer register addresses. */
static uint8_t *data_byte(SMC91C111 *s)
{
    int n = (s->ptr & PTR_RCV) ? (s->rx_count ? s->rx_fifo[0] : 0) : s->pnr;
    uint8_t *b = &s->mem[n & (NUM_PACKETS - 1)][s->ptr & 0x7FF];
    if (s->ptr & PTR_AUTOINC)
        s->ptr = (uint16_t)((s->ptr & 0xF800) | ((s->ptr + 1) & 0x7FF));
    return b;
}

/* ---- the PHY, over MII management frames ---- */

static uint16_t phy_read(SMC91C111 *s, int reg)
{
    uint16_t v = s->phy[reg];
    if (reg == 18)
        s->phy[18] = 0;           /* interrupt status: clear on read */
    return v;
}

static void phy_write(SMC91C111 *s, int reg, uint16_t v)
{
    switch (reg) {
    case 0:
        /* reset and restart autonegotiation complete at once */
        s->phy[0] = v & ~(0x8000 | 0x0200);
        break;
    case 1: case 2: case 3: case 5: case 18:
        break;                    /* read-only */
    default:
        s->phy[reg] = v;
        break;
    }
}

static void phy_reset(SMC91C111 *s)
{
    memset(s->phy, 0, sizeof s->phy);
    s->phy[0] = 0x3000;           /* 100 Mb/s, autonegotiation enabled */
    s->phy[1] = 0x782D;           /* 10/100 half/full, AN complete, link up */
    s->phy[2] = 0x0016;
    s->phy[3] = 0xF840;
    s->phy[4] = 0x01E1;
    s->phy[5] = 0x45E1;           /* partner: ack, 10/100 half/full */
    s->phy[19] = 0xFFC0;
}

/* A rising MCLK edge: sample MDO when we listen, advance the reply. */
static void mii_clock(SMC91C111 *s, uint16_t mgmt)
{
    int bit = mgmt & MII_MDO ? 1 : 0;
    if (!(mgmt & MII_MDOE)) {
        if (s->mii_state == MII_READ && s->mii_out_bits > 0) {
            s->mii_out_bits--;
            if (s->mii_out_bits == 0)
                s->mii_state = MII_IDLE;
        }
        return;
    }
    switch (s->mii_state) {
    case MII_READ:
    case MII_IDLE:
        s->mii_state = MII_IDLE;
        if (bit) {
            s->mii_ones++;
        } else {
            /* a 0 after a 32-one preamble is the start code's first bit */
            if (s->mii_ones >= 32) {
                s->mii_state = MII_HEADER;
                s->mii_in = 0;
                s->mii_bits = 1;
            }
            s->mii_ones = 0;
        }
        break;
    case MII_HEADER:
        s->mii_in = s->mii_in << 1 | (uint32_t)bit;
        if (++s->mii_bits == 14) {
            /* start 01, op (10 read, 01 write), phy address, register */
            int op = (s->mii_in >> 10) & 3;
            int addr = (s->mii_in >> 5) & 31;
            int reg = s->mii_in & 31;
            if ((s->mii_in >> 12) != 1) {
                s->mii_state = MII_IDLE;
            } else if (op == 2) {
                s->mii_state = MII_READ;
                /* turnaround (two bits) then the register, MSB first;
                 * an absent PHY leaves MDI low */
                s->mii_out = addr == PHY_ADDR ? phy_read(s, reg) : 0;
                s->mii_out_bits = 18;
            } else if (op == 1) {
                s->mii_state = MII_WRITE;
                s->mii_bits = 0;
            } else {
                s->mii_state = MII_IDLE;
            }
        }
        break;
    case MII_WRITE:
        s->mii_in = s->mii_in << 1 | (uint32_t)bit;
        if (++s->mii_bits == 18) {
            /* the header's low 14 bits were shifted up by 18 */
            int addr = (int)((s->mii_in >> 23) & 31);
            int reg = (int)((s->mii_in >> 18) & 31);
            if (addr == PHY_ADDR)
                phy_write(s, reg, (uint16_t)s->mii_in);
            s->mii_state = MII_IDLE;
            s->mii_ones = 0;
        }
        break;
    }
}

static uint8_t mgmt_read(SMC91C111 *s)
{
    uint8_t v = (uint8_t)(s->mgmt & (MII_MDO | MII_MCLK | MII_MDOE));
    if (s->mii_state == MII_READ && s->mii_out_bits > 0 && s->mii_out_bits <= 16 &&
        ((s->mii_out >> (s->mii_out_bits - 1)) & 1))
        v |= MII_MDI;
    return v | 0x30;              /* MSK_CRS100 etc.: reads 0x3330 when idle */
}

static void mgmt_write(SMC91C111 *s, uint8_t v)
{
    uint16_t old = s->mgmt;
    s->mgmt = v;
    if (!(old & MII_MCLK) && (v & MII_MCLK))
        mii_clock(s, v);
}

/* ---- registers, one byte at a time ---- */

static uint8_t lo(uint16_t v) { return (uint8_t)v; }
static uint8_t hi(uint16_t v) { return (uint8_t)(v >> 8); }
static void set_lo(uint16_t *r, uint8_t v) { *r = (uint16_t)((*r & 0xFF00) | v); }
static void set_hi(uint16_t *r, uint8_t v) { *r = (uint16_t)((*r & 0x00FF) | v << 8); }

static uint8_t reg_readb(SMC91C111 *s, unsigned off)
{
    if (off == 0xE)
        return (uint8_t)s->bank;
    if (off == 0xF)
        return 0x33;
    switch (s->bank) {
    case 0:
        switch (off) {
        case 0x0: return lo(s->tcr);
        case 0x1: return hi(s->tcr);
        case 0x2: return lo(EPH_LINK_OK);
        case 0x3: return hi(EPH_LINK_OK);
        case 0x4: return lo(s->rcr);
        case 0x5: return hi(s->rcr);
        case 0x6: case 0x7: return 0;           /* collision counters */
        case 0x8: return NUM_PACKETS;           /* MIR: size in 2 KiB units */
        case 0x9: return (uint8_t)free_pages(s);
        case 0xA: return lo(s->rpcr);
        case 0xB: return hi(s->rpcr);
        default: return 0;
        }
    case 1:
        switch (off) {
        case 0x0: return lo(s->config);
        case 0x1: return hi(s->config);
        case 0x2: return lo(s->base);
        case 0x3: return hi(s->base);
        case 0x4: case 0x5: case 0x6: case 0x7: case 0x8: case 0x9:
            return s->ia[off - 4];
        case 0xA: return lo(s->gp);
        case 0xB: return hi(s->gp);
        case 0xC: return lo(s->ctr);
        case 0xD: return hi(s->ctr);
        default: return 0;
        }
    case 2:
        switch (off) {
        case 0x0: case 0x1: return 0;           /* MMU never busy */
        case 0x2: return s->pnr;
        case 0x3: return s->arr;
        case 0x4: return s->tx_done_count ? s->tx_done[0] : 0x80;   /* TEMPTY */
        case 0x5: return s->rx_count ? s->rx_fifo[0] : 0x80;        /* REMPTY */
        case 0x6: return lo(s->ptr);
        case 0x7: return hi(s->ptr) & ~0x08;    /* write FIFO never NOT_EMPTY */
        case 0x8: case 0x9: case 0xA: case 0xB: return *data_byte(s);
        case 0xC: return s->ist;
        case 0xD: return s->msk;
        default: return 0;
        }
    default:
        switch (off) {
        case 0x0: case 0x1: case 0x2: case 0x3: case 0x4: case 0x5: case 0x6: case 0x7:
            return s->mcast[off];
        case 0x8: return mgmt_read(s);
        case 0x9: return 0x33;
        case 0xA: return 0x91;                  /* chip 9 (LAN91C111), revision 1 */
        case 0xB: return 0x33;
        case 0xC: return s->ercv;
        default: return 0;
        }
    }
}

static void soft_reset(SMC91C111 *s);

static void reg_writeb(SMC91C111 *s, unsigned off, uint8_t v)
{
    if (off == 0xE) {
        s->bank = v & 3;
        return;
    }
    if (off == 0xF)
        return;
    switch (s->bank) {
    case 0:
        switch (off) {
        case 0x0: set_lo(&s->tcr, v); break;
        case 0x1: set_hi(&s->tcr, v); break;
        case 0x4: set_lo(&s->rcr, v); break;
        case 0x5:
            set_hi(&s->rcr, v);
            if (s->rcr & RCR_SOFT_RST)
                soft_reset(s);
            break;
        case 0xA: set_lo(&s->rpcr, v); break;
        case 0xB: set_hi(&s->rpcr, v); break;
        default: break;
        }
        break;
    case 1:
        switch (off) {
        case 0x0: set_lo(&s->config, v); break;
        case 0x1: set_hi(&s->config, v); break;
        case 0x2: set_lo(&s->base, v); break;
        case 0x3: set_hi(&s->base, v); break;
        case 0x4: case 0x5: case 0x6: case 0x7: case 0x8: case 0x9:
            s->ia[off - 4] = v;
            break;
        case 0xA: set_lo(&s->gp, v); break;
        case 0xB: set_hi(&s->gp, v); break;
        case 0xC: set_lo(&s->ctr, v & ~0x03); break;   /* STORE/RELOAD finish at once */
        case 0xD: set_hi(&s->ctr, v); break;
        default: break;
        }
        break;
    case 2:
        switch (off) {
        case 0x0: mmu_command(s, v); break;
        case 0x2: s->pnr = v & 0x3F; break;
        case 0x6: set_lo(&s->ptr, v); break;
        case 0x7: set_hi(&s->ptr, v); break;
        case 0x8: case 0x9: case 0xA: case 0xB: *data_byte(s) = v; break;
        case 0xC: s->ist &= (uint8_t)~(v & INT_ACKABLE); break;
        case 0xD: s->msk = v; break;
        default: break;
        }
        break;
    default:
        switch (off) {
        case 0x0: case 0x1: case 0x2: case 0x3: case 0x4: case 0x5: case 0x6: case 0x7:
            s->mcast[off] = v;
            break;
        case 0x8: mgmt_write(s, v); break;
        case 0xC: s->ercv = v; break;
        default: break;
        }
        break;
    }
}

/* Acknowledging TX_INT pops the completion FIFO's head, as the driver
 * expects after reading it (datasheet 8.18: TX INT is set again while
 * completions remain). */
static void ack_tx(SMC91C111 *s, uint8_t acked)
{
    if (acked & INT_TX) {
        pop(s->tx_done, &s->tx_done_count);
        if (!s->tx_done_count)
            s->ist &= ~INT_TX;
    }
}

static uint64_t smc_read(void *opaque, uint64_t offset, unsigned size)
{
    SMC91C111 *s = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)reg_readb(s, (unsigned)((offset + i) & 0xF)) << (8 * i);
    update_irq(s);
    return v;
}

static void smc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    SMC91C111 *s = opaque;
    for (unsigned i = 0; i < size; i++) {
        unsigned off = (unsigned)((offset + i) & 0xF);
        uint8_t b = (uint8_t)(value >> (8 * i));
        int ack = s->bank == 2 && off == 0xC;
        reg_writeb(s, off, b);
        if (ack)
            ack_tx(s, b);
    }
    update_irq(s);
}

static const MemoryRegionOps smc_ops = { .read = smc_read, .write = smc_write };

/* ---- receive ---- */

static bool smc_can_receive(NetClient *nc)
{
    SMC91C111 *s = nc->opaque;
    return (s->rcr & RCR_RXEN) && !(s->rcr & RCR_SOFT_RST);
}

static uint32_t crc32_le(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

static bool smc_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    SMC91C111 *s = nc->opaque;
    if (!smc_can_receive(nc))
        return false;
    if (len < 6)
        return true;   /* runt: dropped */
    if (!(s->rcr & RCR_PRMS) && !(buf[0] & 1) && memcmp(buf, s->ia, 6) != 0)
        return true;   /* not for us */
    size_t crc_len = (s->rcr & RCR_STRIP_CRC) ? 0 : 4;
    size_t total = len + crc_len;
    /* status + count + data (+CRC) + control word must fit in a packet */
    if (total + 6 > PACKET_SIZE)
        return true;
    int n = alloc_packet(s);
    if (n < 0 || s->rx_count >= NUM_PACKETS) {
        if (n >= 0)
            s->allocated &= ~(1u << n);
        s->ist |= INT_RX_OVRN;
        update_irq(s);
        return false;  /* waits in the peer's queue for memory */
    }
    uint8_t *p = s->mem[n];
    uint16_t status = 0;
    if (buf[0] & 1)
        status |= memcmp(buf, "\xff\xff\xff\xff\xff\xff", 6) == 0 ? RS_BRODCAST : RS_MULTICAST;
    if (total & 1)
        status |= RS_ODDFRM;
    uint16_t count = (uint16_t)((total & ~(size_t)1) + 6);
    p[0] = lo(status);
    p[1] = hi(status);
    p[2] = lo(count);
    p[3] = hi(count);
    memcpy(p + 4, buf, len);
    if (crc_len) {
        uint32_t crc = crc32_le(buf, len);
        for (int i = 0; i < 4; i++)
            p[4 + len + i] = (uint8_t)(crc >> (8 * i));
    }
    /* control word at count - 2: ODD in its high byte, the last data
     * byte (already in place) in its low byte */
    if (!(total & 1))
        p[count - 2] = 0;
    p[count - 1] = (total & 1) ? CTL_ODD : 0;
    s->rx_fifo[s->rx_count++] = (uint8_t)n;
    update_irq(s);
    return true;
}

static void smc_describe(NetClient *nc, char *buf, size_t size)
{
    const uint8_t *m = ((SMC91C111 *)nc->opaque)->mac;
    snprintf(buf, size, "type=nic,model=smc91c111,macaddr=%02x:%02x:%02x:%02x:%02x:%02x",
             m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const NetClientOps smc_net_ops = {
    .kind = "nic",
    .can_receive = smc_can_receive,
    .receive = smc_receive,
    .describe = smc_describe,
};

/* ---- reset and construction ---- */

static void soft_reset(SMC91C111 *s)
{
    s->tcr = 0;
    s->rcr &= RCR_SOFT_RST;    /* the bit itself stays until written 0 */
    s->rpcr = 0;
    s->config = 0xA0B1;
    /* The I/O base field (bits 12:8, from the EEPROM on a real card) reads
     * 0: smc91x compares it with the page offset of its mapping and warns
     * "IOADDR ... doesn't match configuration" otherwise (the datasheet's
     * ISA default 0x1801 would say 0x300); qemu-system-arm's chip draws
     * no warning either. */
    s->base = 0x0001;
    s->ctr = 0x1210;
    s->gp = 0;
    s->pnr = 0;
    s->arr = 0x80;
    s->ptr = 0;
    s->ist = INT_TX_EMPTY;
    s->msk = 0;
    s->ercv = 0x1F;
    s->allocated = 0;
    s->alloc_pending = 0;
    s->tx_count = s->tx_done_count = s->rx_count = 0;
    memset(s->mcast, 0, sizeof s->mcast);
    memcpy(s->ia, s->mac, 6);
    s->mgmt = 0;
    s->mii_state = MII_IDLE;
    s->mii_ones = 0;
    phy_reset(s);
}

static void smc_reset(void *opaque)
{
    SMC91C111 *s = opaque;
    s->rcr = 0;
    s->bank = 0;
    soft_reset(s);
    update_irq(s);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField smc_fields[] = {
    VMS_FIELD(SMC91C111, mac),
    VMS_FIELD(SMC91C111, irq_level),
    VMS_FIELD(SMC91C111, bank),
    VMS_FIELD(SMC91C111, tcr),
    VMS_FIELD(SMC91C111, rcr),
    VMS_FIELD(SMC91C111, rpcr),
    VMS_FIELD(SMC91C111, config),
    VMS_FIELD(SMC91C111, base),
    VMS_FIELD(SMC91C111, ctr),
    VMS_FIELD(SMC91C111, gp),
    VMS_FIELD(SMC91C111, ia),
    VMS_FIELD(SMC91C111, mcast),
    VMS_FIELD(SMC91C111, pnr),
    VMS_FIELD(SMC91C111, arr),
    VMS_FIELD(SMC91C111, ptr),
    VMS_FIELD(SMC91C111, ist),
    VMS_FIELD(SMC91C111, msk),
    VMS_FIELD(SMC91C111, ercv),
    VMS_FIELD(SMC91C111, allocated),
    VMS_FIELD(SMC91C111, alloc_pending),
    VMS_FIELD(SMC91C111, tx_fifo),
    VMS_FIELD(SMC91C111, tx_count),
    VMS_FIELD(SMC91C111, tx_done),
    VMS_FIELD(SMC91C111, tx_done_count),
    VMS_FIELD(SMC91C111, rx_fifo),
    VMS_FIELD(SMC91C111, rx_count),
    VMS_FIELD(SMC91C111, mem),
    VMS_FIELD(SMC91C111, mgmt),
    VMS_FIELD(SMC91C111, mii_in),
    VMS_FIELD(SMC91C111, mii_ones),
    VMS_FIELD(SMC91C111, mii_bits),
    VMS_FIELD(SMC91C111, mii_state),
    VMS_FIELD(SMC91C111, mii_out),
    VMS_FIELD(SMC91C111, mii_out_bits),
    VMS_FIELD(SMC91C111, phy),
    VMS_END
};

static const VMStateDescription smc_vmsd = {
    .name = "smc91c111",
    .version = 1,
    .fields = smc_fields,
};

SMC91C111 *smc91c111_new(PhysMemory *pm, uint64_t base, IRQLine irq, const uint8_t mac[6], const char *name)
{
    SMC91C111 *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->irq = irq;
    memcpy(s->mac, mac, 6);
    s->nc = net_client_new(&smc_net_ops, name ? name : "smc91c111", s);
    phys_add_mmio(pm, "smc91c111", base, 0x10000, &smc_ops, s);
    device_register_reset(smc_reset, s);
    vmstate_register(&smc_vmsd, base, s);
    smc_reset(s);
    return s;
}

NetClient *smc91c111_net(SMC91C111 *s)
{
    return s->nc;
}

void smc91c111_free(SMC91C111 *s)
{
    vmstate_unregister(s);
    if (!s)
        return;
    net_client_free(s->nc);
    free(s);
}
