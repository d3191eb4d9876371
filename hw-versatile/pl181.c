/*
 * pl181.c — ARM PrimeCell PL181 MultiMedia Card Interface, after the PL180
 * Technical Reference Manual (ARM DDI 0172), chapter 3 "Programmer's
 * Model".  On the Versatile PB at 0x10005000 (MCI0: SIC 22 and 23) and
 * 0x1000B000 (MCI1: SIC 1 and 2), as the board's device tree says.
 *
 *   0x00 MCIPower  0x04 MCIClock  0x08 MCIArgument  0x0C MMCCommand
 *   0x10 MCIRespCmd (RO)  0x14..0x20 MCIResponse0..3 (RO)
 *   0x24 MCIDataTimer  0x28 MCIDataLength  0x2C MCIDataCtrl
 *   0x30 MCIDataCnt (RO)  0x34 MCIStatus (RO)  0x38 MCIClear (WO)
 *   0x3C MCIMask0  0x40 MCIMask1  0x48 MCIFifoCnt (RO)
 *   0x80..0xBC MCIFIFO (16 words)
 *   0xFE0.. PeriphID 0x00041181, PCellID 0xB105F00D
 * MCIINTR0 is MCIStatus & MCIMask0, MCIINTR1 MCIStatus & MCIMask1 (Linux's
 * mmci puts the PIO FIFO interrupts on the second line).
 *
 * The card (sd-card.c) answers a command at once, so a command completes
 * within the write that starts it (CmdRespEnd, CmdSent or CmdTimeOut).  The
 * data path moves bytes between the card and the FIFO whenever the FIFO
 * has room (card to host) or words (host to card): after the data control
 * register is written, after each command and after each FIFO access.
 * MCIDataCnt and MCIFifoCnt count what is still to move between the card
 * and the FIFO (bytes and words), which is what Linux's mmci driver reads
 * MCIFifoCnt for (the words in the FIFO are its own count minus that).
 * When the whole length has moved and the FIFO is drained, DataEnd is set
 * and the data path disabled; DataBlockEnd is set at each block boundary.
 * A read whose card has no data (the command failed) ends in DataTimeOut,
 * as does a FIFO write the card does not take.
 *
 * Not modelled: DMA requests, stream mode (moves like block mode), CRC
 * errors, the command path's interrupt/pending modes (a command is sent at
 * once), the timer of MCIDataTimer (data never takes time).
 */
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "hw-versatile/sd-card.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define PL181_PERIPH_ID 0x00041181u
#define FIFO_WORDS 16

/* MCICommand */
#define CMD_RESPONSE (1u << 6)
#define CMD_LONGRSP  (1u << 7)
#define CMD_ENABLE   (1u << 10)
/* MCIDataCtrl */
#define DC_ENABLE    (1u << 0)
#define DC_FROM_CARD (1u << 1)
/* MCIStatus */
#define S_CMD_TIMEOUT     (1u << 2)
#define S_DATA_TIMEOUT    (1u << 3)
#define S_CMD_RESP_END    (1u << 6)
#define S_CMD_SENT        (1u << 7)
#define S_DATA_END        (1u << 8)
#define S_DATA_BLOCK_END  (1u << 10)
#define S_TX_ACTIVE       (1u << 12)
#define S_RX_ACTIVE       (1u << 13)
#define S_TX_HALF_EMPTY   (1u << 14)
#define S_RX_HALF_FULL    (1u << 15)
#define S_TX_FULL         (1u << 16)
#define S_RX_FULL         (1u << 17)
#define S_TX_EMPTY        (1u << 18)
#define S_RX_EMPTY        (1u << 19)
#define S_TX_AVAIL        (1u << 20)
#define S_RX_AVAIL        (1u << 21)
#define S_STATIC_MASK     0x7ffu   /* the bits MCIClear clears */

struct PL181 {
    IRQLine irq[2];
    int irq_level[2];
    SDCard *card;
    uint32_t power, clock, arg, cmd, respcmd, resp[4];
    uint32_t datatimer, datalength, datactrl, datacnt, fifocnt;
    uint32_t status;           /* the static bits 10..0 */
    uint32_t mask[2];
    uint32_t fifo[FIFO_WORDS];
    int fifo_head, fifo_count;
    uint32_t block_bytes;      /* moved in the current block */
};

static uint32_t full_status(const PL181 *m)
{
    uint32_t s = m->status;
    if (!(m->datactrl & DC_ENABLE))
        return s;
    int n = m->fifo_count;
    if (m->datactrl & DC_FROM_CARD) {
        s |= S_RX_ACTIVE;
        s |= n ? S_RX_AVAIL : S_RX_EMPTY;
        if (n >= FIFO_WORDS / 2)
            s |= S_RX_HALF_FULL;
        if (n == FIFO_WORDS)
            s |= S_RX_FULL;
    } else {
        s |= S_TX_ACTIVE;
        s |= n ? S_TX_AVAIL : S_TX_EMPTY;
        if (n <= FIFO_WORDS / 2)
            s |= S_TX_HALF_EMPTY;
        if (n == FIFO_WORDS)
            s |= S_TX_FULL;
    }
    return s;
}

static void update_irq(PL181 *m)
{
    uint32_t s = full_status(m);
    for (int i = 0; i < 2; i++) {
        int level = (s & m->mask[i]) != 0;
        if (level != m->irq_level[i]) {
            m->irq_level[i] = level;
            irq_set(&m->irq[i], level);
        }
    }
}

static void fifo_push(PL181 *m, uint32_t v)
{
    m->fifo[(m->fifo_head + m->fifo_count) % FIFO_WORDS] = v;
    m->fifo_count++;
}

static uint32_t fifo_pop(PL181 *m)
{
    uint32_t v = m->fifo[m->fifo_head];
    m->fifo_head = (m->fifo_head + 1) % FIFO_WORDS;
    m->fifo_count--;
    return v;
}

static void data_finish(PL181 *m, uint32_t why)
{
    m->status |= why;
    m->datactrl &= ~DC_ENABLE;
    m->fifo_count = m->fifo_head = 0;
}

/* count bytes moved to or from the card: DataBlockEnd at each block end */
static void moved(PL181 *m, uint32_t n)
{
    uint32_t blocksize = 1u << ((m->datactrl >> 4) & 0xf);
    m->datacnt -= n;
    m->fifocnt--;
    m->block_bytes += n;
    if (m->block_bytes >= blocksize) {
        m->block_bytes -= blocksize;
        m->status |= S_DATA_BLOCK_END;
    }
}

/* Moves what can move now; may_time_out: the command has been sent, so a
 * card with nothing to give (a read) is an error rather than early. */
static void data_run(PL181 *m, bool may_time_out)
{
    if (!(m->datactrl & DC_ENABLE))
        return;
    if (m->datactrl & DC_FROM_CARD) {
        while (m->datacnt > 0 && m->fifo_count < FIFO_WORDS && m->card &&
               sd_card_data_out(m->card)) {
            uint32_t n = m->datacnt < 4 ? m->datacnt : 4, word = 0;
            for (uint32_t i = 0; i < n && sd_card_data_out(m->card); i++)
                word |= (uint32_t)sd_card_read_byte(m->card) << (8 * i);
            fifo_push(m, word);
            moved(m, n);
        }
        if (m->datacnt == 0 && m->fifo_count == 0)
            data_finish(m, S_DATA_END | S_DATA_BLOCK_END);
        else if (m->datacnt > 0 && m->fifo_count == 0 && may_time_out &&
                 !(m->card && sd_card_data_out(m->card)))
            data_finish(m, S_DATA_TIMEOUT);
    } else {
        while (m->fifo_count > 0 && m->datacnt > 0 && m->card && sd_card_data_in(m->card)) {
            uint32_t n = m->datacnt < 4 ? m->datacnt : 4, word = fifo_pop(m);
            for (uint32_t i = 0; i < n; i++)
                sd_card_write_byte(m->card, (uint8_t)(word >> (8 * i)));
            moved(m, n);
        }
        if (m->datacnt == 0)
            data_finish(m, S_DATA_END | S_DATA_BLOCK_END);
        else if (m->fifo_count > 0 && may_time_out && !(m->card && sd_card_data_in(m->card)))
            data_finish(m, S_DATA_TIMEOUT);
    }
}

static void send_command(PL181 *m)
{
    uint8_t r[16] = { 0 };
    int index = m->cmd & 0x3f;
    int n = m->card ? sd_card_command(m->card, index, m->arg, r) : 0;
    m->cmd &= ~CMD_ENABLE;   /* the command path is idle again */
    if (!(m->cmd & CMD_RESPONSE)) {
        m->status |= S_CMD_SENT;
        return;
    }
    bool longrsp = (m->cmd & CMD_LONGRSP) != 0;
    if (n == 0 || (longrsp && n != 16) || (!longrsp && n != 4)) {
        m->status |= S_CMD_TIMEOUT;
        return;
    }
    memset(m->resp, 0, sizeof m->resp);
    for (int i = 0; i < n / 4; i++)
        m->resp[i] = (uint32_t)r[4 * i] << 24 | (uint32_t)r[4 * i + 1] << 16 |
                     (uint32_t)r[4 * i + 2] << 8 | r[4 * i + 3];
    /* a long response carries no command index (its field reads 0x3f) */
    m->respcmd = longrsp ? 0x3f : (uint32_t)index;
    m->status |= S_CMD_RESP_END;
}

static uint64_t pl181_read(void *opaque, uint64_t offset, unsigned size)
{
    PL181 *m = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, PL181_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    if (reg >= 0x80 && reg < 0xC0) {
        if ((m->datactrl & (DC_ENABLE | DC_FROM_CARD)) == (DC_ENABLE | DC_FROM_CARD) &&
            m->fifo_count > 0) {
            val = fifo_pop(m);
            data_run(m, true);
            update_irq(m);
        }
        return primecell_narrow(val, offset, size);
    }
    switch (reg) {
    case 0x00: val = m->power; break;
    case 0x04: val = m->clock; break;
    case 0x08: val = m->arg; break;
    case 0x0C: val = m->cmd; break;
    case 0x10: val = m->respcmd; break;
    case 0x14: case 0x18: case 0x1C: case 0x20: val = m->resp[(reg - 0x14) / 4]; break;
    case 0x24: val = m->datatimer; break;
    case 0x28: val = m->datalength; break;
    case 0x2C: val = m->datactrl; break;
    case 0x30: val = m->datacnt; break;
    case 0x34: val = full_status(m); break;
    case 0x3C: val = m->mask[0]; break;
    case 0x40: val = m->mask[1]; break;
    case 0x48: val = m->fifocnt; break;
    default: val = 0; break;
    }
    return primecell_narrow(val, offset, size);
}

static void pl181_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL181 *m = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = (uint32_t)value;
    (void)size;
    if (reg >= 0x80 && reg < 0xC0) {
        if ((m->datactrl & (DC_ENABLE | DC_FROM_CARD)) == DC_ENABLE && m->fifo_count < FIFO_WORDS) {
            fifo_push(m, val);
            data_run(m, true);
        }
        update_irq(m);
        return;
    }
    switch (reg) {
    case 0x00: m->power = val & 0xff; break;
    case 0x04: m->clock = val & 0xfff; break;
    case 0x08: m->arg = val; break;
    case 0x0C:
        m->cmd = val & 0x7ff;
        if (m->cmd & CMD_ENABLE) {
            send_command(m);
            data_run(m, true);
        }
        break;
    case 0x24: m->datatimer = val; break;
    case 0x28: m->datalength = val & 0xffff; break;
    case 0x2C:
        m->datactrl = val & 0xff;
        if (m->datactrl & DC_ENABLE) {
            m->datacnt = m->datalength;
            m->fifocnt = (m->datalength + 3) / 4;
            m->fifo_count = m->fifo_head = 0;
            m->block_bytes = 0;
            /* a read set up before its command waits for the command */
            data_run(m, false);
        }
        break;
    case 0x38: m->status &= ~(val & S_STATIC_MASK); break;
    case 0x3C: m->mask[0] = val & 0x3fffff; break;
    case 0x40: m->mask[1] = val & 0x3fffff; break;
    default: break;
    }
    update_irq(m);
}

static const MemoryRegionOps pl181_ops = { .read = pl181_read, .write = pl181_write };

static void pl181_reset(void *opaque)
{
    PL181 *m = opaque;
    SDCard *card = m->card;
    IRQLine irq0 = m->irq[0], irq1 = m->irq[1];
    int l0 = m->irq_level[0], l1 = m->irq_level[1];
    memset(m, 0, sizeof *m);
    m->card = card;
    m->irq[0] = irq0;
    m->irq[1] = irq1;
    m->irq_level[0] = l0;
    m->irq_level[1] = l1;
    update_irq(m);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField pl181_fields[] = {
    VMS_FIELD(PL181, irq_level),
    VMS_FIELD(PL181, power),
    VMS_FIELD(PL181, clock),
    VMS_FIELD(PL181, arg),
    VMS_FIELD(PL181, cmd),
    VMS_FIELD(PL181, respcmd),
    VMS_FIELD(PL181, resp),
    VMS_FIELD(PL181, datatimer),
    VMS_FIELD(PL181, datalength),
    VMS_FIELD(PL181, datactrl),
    VMS_FIELD(PL181, datacnt),
    VMS_FIELD(PL181, fifocnt),
    VMS_FIELD(PL181, status),
    VMS_FIELD(PL181, mask),
    VMS_FIELD(PL181, fifo),
    VMS_FIELD(PL181, fifo_head),
    VMS_FIELD(PL181, fifo_count),
    VMS_FIELD(PL181, block_bytes),
    VMS_END
};

static const VMStateDescription pl181_vmsd = {
    .name = "pl181",
    .version = 1,
    .fields = pl181_fields,
};

PL181 *pl181_new(PhysMemory *pm, uint64_t base, IRQLine irq0, IRQLine irq1, SDCard *card)
{
    PL181 *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    m->irq[0] = irq0;
    m->irq[1] = irq1;
    m->card = card;
    phys_add_mmio(pm, "pl181", base, PRIMECELL_WINDOW, &pl181_ops, m);
    device_register_reset(pl181_reset, m);
    vmstate_register(&pl181_vmsd, base, m);
    if (card)
        sd_card_vmstate_register(card, base);
    return m;
}

void pl181_free(PL181 *m)
{
    vmstate_unregister(m);
    free(m);
}
