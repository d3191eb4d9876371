/*
 * pl011.c — ARM PrimeCell PL011 UART, after the PL011 Technical Reference
 * Manual (ARM DDI 0183), chapter 3 "Programmer's Model".  The Versatile PB
 * has three (UART0..2 at 0x101F1000, 0x101F2000, 0x101F3000) and Linux
 * uses UART0 as ttyAMA0.
 *
 *   0x000 UARTDR     read: the oldest received byte (no error bits);
 *                    write: transmit (to the chardev, at once)
 *   0x004 UARTRSR/ECR  no errors are ever recorded: reads 0, writes clear
 *   0x018 UARTFR     RXFE, RXFF, TXFE (always: transmission is instant),
 *                    TXFF and BUSY never
 *   0x020 UARTILPR, 0x024 UARTIBRD, 0x028 UARTFBRD, 0x02C UARTLCR_H,
 *   0x030 UARTCR, 0x034 UARTIFLS  stored and read back
 *   0x038 UARTIMSC, 0x03C UARTRIS, 0x040 UARTMIS, 0x044 UARTICR
 *   0x048 UARTDMACR  stored (no DMA)
 *   0xFE0.. PeriphID 0x00041011, PCellID 0xB105F00D
 *
 * Receive: the FIFO is 16 bytes deep with LCR_H.FEN set, otherwise a
 * single holding register; bytes come from the chardev only as far as
 * there is room, and reading UARTDR asks the chardev for more.  Changing
 * FEN empties the FIFO.  The receive interrupt (RXRIS) is set while the
 * FIFO holds at least the IFLS trigger level (one byte without the FIFO);
 * the receive timeout (RTRIS) stands for "data waiting below the trigger
 * level": it is set when bytes arrive or a read leaves bytes behind, and
 * cleared by an empty FIFO or UARTICR.  The real timeout waits 32 bit
 * periods; vemu has no line timing, so it fires at once.
 * Transmit: each byte written goes out at once, so the transmit FIFO is
 * always empty; TXRIS is set by every write to UARTDR (the FIFO has
 * drained through its level) and cleared by UARTICR.
 * With UARTCR.LBE (loopback) transmitted bytes are received instead.
 *
 * Not modelled: baud rate and line format (stored only), CR.UARTEN/TXE/RXE
 * (the UART always transmits and receives, as firmware would have enabled
 * it), break, parity/framing/overrun errors, modem lines (CTS, DSR, DCD,
 * RI read 0; their interrupts never set), IrDA, DMA requests.
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define PL011_PERIPH_ID 0x00041011u
#define FIFO_DEPTH 16

#define FR_RXFE 0x10
#define FR_TXFF 0x20
#define FR_RXFF 0x40
#define FR_TXFE 0x80

#define INT_RX 0x10
#define INT_TX 0x20
#define INT_RT 0x40
#define INT_ALL 0x7FF

#define LCRH_FEN 0x10
#define CR_LBE 0x80

struct PL011 {
    IRQLine irq;
    Chardev *chr;
    uint8_t fifo[FIFO_DEPTH];
    int head, count;
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
    int irq_level;
};

static int depth(const PL011 *u)
{
    return (u->lcr_h & LCRH_FEN) ? FIFO_DEPTH : 1;
}

static int rx_trigger(const PL011 *u)
{
    if (!(u->lcr_h & LCRH_FEN))
        return 1;
    switch ((u->ifls >> 3) & 7) {
    case 0: return 2;     /* 1/8 */
    case 1: return 4;     /* 1/4 */
    case 2: return 8;     /* 1/2 */
    case 3: return 12;    /* 3/4 */
    default: return 14;   /* 7/8 */
    }
}

static void update(PL011 *u)
{
    int level = (u->ris & u->imsc) != 0;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

/* After the FIFO level changed: RX follows the trigger level; arrived
 * says whether bytes came in (which starts the timeout). */
static void rx_levels(PL011 *u, bool restart_timeout)
{
    if (u->count >= rx_trigger(u))
        u->ris |= INT_RX;
    else
        u->ris &= ~INT_RX;
    if (u->count == 0)
        u->ris &= ~INT_RT;
    else if (restart_timeout)
        u->ris |= INT_RT;
}

static void rx_push(PL011 *u, const uint8_t *buf, int len)
{
    int d = depth(u);
    for (int i = 0; i < len && u->count < d; i++) {
        u->fifo[(u->head + u->count) % FIFO_DEPTH] = buf[i];
        u->count++;
    }
    rx_levels(u, true);
    update(u);
}

static int pl011_can_receive(void *opaque)
{
    PL011 *u = opaque;
    return depth(u) - u->count;
}

static void pl011_receive(void *opaque, const uint8_t *buf, int len)
{
    rx_push(opaque, buf, len);
}

static uint32_t read_dr(PL011 *u)
{
    if (!u->count)
        return 0;
    uint32_t c = u->fifo[u->head];
    u->head = (u->head + 1) % FIFO_DEPTH;
    u->count--;
    rx_levels(u, true);
    update(u);
    if (u->chr)
        chardev_accept_input(u->chr);
    return c;
}

static uint64_t pl011_read(void *opaque, uint64_t offset, unsigned size)
{
    PL011 *u = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, PL011_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    switch (reg) {
    case 0x000: val = read_dr(u); break;
    case 0x004: val = 0; break;
    case 0x018:
        val = FR_TXFE;
        if (u->count == 0)
            val |= FR_RXFE;
        if (u->count == depth(u))
            val |= FR_RXFF;
        break;
    case 0x020: val = u->ilpr; break;
    case 0x024: val = u->ibrd; break;
    case 0x028: val = u->fbrd; break;
    case 0x02C: val = u->lcr_h; break;
    case 0x030: val = u->cr; break;
    case 0x034: val = u->ifls; break;
    case 0x038: val = u->imsc; break;
    case 0x03C: val = u->ris; break;
    case 0x040: val = u->ris & u->imsc; break;
    case 0x048: val = u->dmacr; break;
    default: val = 0; break;
    }
    return primecell_narrow(val, offset, size);
}

static void transmit(PL011 *u, uint8_t c)
{
    if (u->cr & CR_LBE) {
        if (u->count < depth(u))
            rx_push(u, &c, 1);
    } else if (u->chr) {
        chardev_write(u->chr, &c, 1);
    }
    u->ris |= INT_TX;
}

static void pl011_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL011 *u = opaque;
    uint32_t val = (uint32_t)value;
    switch (offset & ~3ull) {
    case 0x000: transmit(u, (uint8_t)val); break;
    case 0x004: break;   /* UARTECR: clears errors, of which there are none */
    case 0x020: u->ilpr = val & 0xFF; break;
    case 0x024: u->ibrd = val & 0xFFFF; break;
    case 0x028: u->fbrd = val & 0x3F; break;
    case 0x02C: {
        uint32_t old = u->lcr_h;
        u->lcr_h = val & 0xFF;
        if ((old ^ u->lcr_h) & LCRH_FEN) {
            u->head = u->count = 0;
            rx_levels(u, false);
            if (u->chr)
                chardev_accept_input(u->chr);
        }
        break;
    }
    case 0x030: u->cr = val & 0xFF87; break;
    case 0x034: u->ifls = val & 0x3F; rx_levels(u, false); break;
    case 0x038: u->imsc = val & INT_ALL; break;
    case 0x044: u->ris &= ~val; break;
    case 0x048: u->dmacr = val & 7; break;
    default: break;
    }
    update(u);
}

static const MemoryRegionOps pl011_ops = { .read = pl011_read, .write = pl011_write };

static void pl011_reset(void *opaque)
{
    PL011 *u = opaque;
    u->head = u->count = 0;
    u->ilpr = u->ibrd = u->fbrd = u->lcr_h = 0;
    u->cr = 0x300;     /* TXE | RXE */
    u->ifls = 0x12;    /* both at 1/2 */
    u->imsc = u->ris = u->dmacr = 0;
    update(u);
    if (u->chr)
        chardev_accept_input(u->chr);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField pl011_fields[] = {
    VMS_FIELD(PL011, fifo),
    VMS_FIELD(PL011, head),
    VMS_FIELD(PL011, count),
    VMS_FIELD(PL011, ilpr),
    VMS_FIELD(PL011, ibrd),
    VMS_FIELD(PL011, fbrd),
    VMS_FIELD(PL011, lcr_h),
    VMS_FIELD(PL011, cr),
    VMS_FIELD(PL011, ifls),
    VMS_FIELD(PL011, imsc),
    VMS_FIELD(PL011, ris),
    VMS_FIELD(PL011, dmacr),
    VMS_FIELD(PL011, irq_level),
    VMS_END
};

static const VMStateDescription pl011_vmsd = {
    .name = "pl011",
    .version = 1,
    .fields = pl011_fields,
};

PL011 *pl011_new(PhysMemory *pm, uint64_t base, IRQLine irq, Chardev *chr)
{
    PL011 *u = calloc(1, sizeof *u);
    if (!u)
        abort();
    u->irq = irq;
    u->chr = chr;
    pl011_reset(u);
    phys_add_mmio(pm, "pl011", base, PRIMECELL_WINDOW, &pl011_ops, u);
    device_register_reset(pl011_reset, u);
    vmstate_register(&pl011_vmsd, base, u);
    if (chr)
        chardev_attach(chr, pl011_can_receive, pl011_receive, u);
    return u;
}

void pl011_free(PL011 *u)
{
    vmstate_unregister(u);
    if (!u)
        return;
    chardev_detach(u->chr, u);
    free(u);
}
