/*
 * lsi53c895a.c — the LSI Logic (Symbios) LSI53C895A PCI to Ultra2 SCSI
 * I/O processor, as Linux's sym53c8xx_2 driver drives it (LSI53C895A
 * Technical Manual: chapter 4 "Registers", chapter 5 "SCSI SCRIPTS
 * Instruction Set").  PCI function 1000h:0012h, class 010000h; BAR0 is
 * the registers in I/O space (256 bytes), BAR1 the same in memory space
 * (1 KiB), BAR2 the 8 KiB SCRIPTS RAM; INTA.
 *
 * The SCRIPTS processor runs on the cpu's thread when the guest starts
 * it (a write of DSP, DCNTL.STD, ISTAT.SIGP while waiting for a
 * reselection) until it stops: an interrupt instruction, an error, or
 * WAIT RESELECT (idle).  The SCSI bus is not timed: targets are the
 * scsi-hd/scsi-cd devices of hw-scsi/scsi.h, which answer at once (a
 * read's data is read from the image when the command phase ends, a
 * write goes to the image when its data-out phase ends), so a target
 * never disconnects and never reselects.  The target's side of the bus
 * phases is modelled here: selection (or a selection time-out, reported
 * when the script next waits for a phase, as on the chip), the messages
 * a target accepts (IDENTIFY, queue tags, ABORT, BUS DEVICE RESET;
 * synchronous/wide negotiation is answered with MESSAGE REJECT, so the
 * driver stays asynchronous and narrow), command, data, status and
 * COMMAND COMPLETE.  A data phase that ends before the block move's
 * count is a phase mismatch: with CCNTL0.ENPMJ (what sym53c8xx sets on
 * the 895A) the processor saves the move's address (IA), the bytes left
 * (RBC) and the next address (UA) and jumps to PMJAD1/PMJAD2; without it
 * SIST0.MA interrupts with DBC/DNAD telling what is left.
 * Registers are a byte array with side effects on the ones that have
 * them (ISTAT, DSTAT, SIST0/1, CTEST2, SCNTL1.RST, DSP, DCNTL, STIME1),
 * so LOAD/STORE and memory moves reach every register.
 * Not modelled: target mode, 64-bit (DAC) addressing, wide transfers,
 * the DMA FIFO (it always reads empty), single-step mode, parity, the general-purpose timer's
 * period (it expires at once), the serial EEPROM on GPIO (reads find none).
 */
#include "hw-scsi/lsi53c895a.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "softmmu/device.h"
#include "softmmu/options.h"
#include "softmmu/vmstate.h"

/* register offsets */
enum {
    SCNTL0 = 0x00, SCNTL1 = 0x01, SCNTL2 = 0x02, SCNTL3 = 0x03, SCID = 0x04, SXFER = 0x05,
    SDID = 0x06, GPREG = 0x07, SFBR = 0x08, SOCL = 0x09, SSID = 0x0a, SBCL = 0x0b,
    DSTAT = 0x0c, SSTAT0 = 0x0d, SSTAT1 = 0x0e, SSTAT2 = 0x0f, DSA = 0x10, ISTAT = 0x14,
    CTEST2 = 0x1a, CTEST3 = 0x1b, TEMP = 0x1c, DFIFO = 0x20, DBC = 0x24, DCMD = 0x27,
    DNAD = 0x28, DSP = 0x2c, DSPS = 0x30, DMODE = 0x38, DIEN = 0x39, DCNTL = 0x3b,
    SIEN0 = 0x40, SIEN1 = 0x41, SIST0 = 0x42, SIST1 = 0x43, STIME1 = 0x49, STEST4 = 0x52,
    SIDL = 0x50, SBDL = 0x58, CCNTL0 = 0x56, PMJAD1 = 0xc0, PMJAD2 = 0xc4, RBC = 0xc8, UA = 0xcc,
    IA = 0xd4,
};
enum { ISTAT_ABRT = 0x80, ISTAT_SRST = 0x40, ISTAT_SIGP = 0x20, ISTAT_SEM = 0x10, ISTAT_CON = 0x08,
       ISTAT_INTF = 0x04, ISTAT_SIP = 0x02, ISTAT_DIP = 0x01 };
enum { DSTAT_DFE = 0x80, DSTAT_ABRT = 0x10, DSTAT_SIR = 0x04, DSTAT_IID = 0x01 };
enum { SIST0_MA = 0x80, SIST0_UDC = 0x04, SIST0_RST = 0x02, SIST1_STO = 0x04, SIST1_GEN = 0x02 };
enum { SCNTL1_RST = 0x08, SCNTL1_CON = 0x10, DCNTL_STD = 0x04, DMODE_MAN = 0x01, SSTAT0_RST = 0x02 };
enum { SOCL_ATN = 0x08, CCNTL0_ENPMJ = 0x80, CCNTL0_PMJCTL = 0x40, SCNTL2_WSR = 0x01 };

/* bus phases (MSG, C/D, I/O) */
enum { PH_DATA_OUT = 0, PH_DATA_IN = 1, PH_COMMAND = 2, PH_STATUS = 3, PH_MSG_OUT = 6, PH_MSG_IN = 7 };

#define RAM_SIZE 8192

/* VEMU_LSI_TRACE=1 in the environment: every SCRIPTS instruction on stderr. */
static bool trace_scripts;
#define MAX_STEPS 1000000

struct LSI53C895A {
    PCIDevice pci;
    uint8_t regs[256];
    uint8_t ram[RAM_SIZE];
    SCSIDevice *targets[LSI_MAX_TARGETS];

    uint8_t istat, dstat, sist0, sist1;   /* interrupt state (ISTAT's SIGP/SEM in istat) */
    bool carry;
    bool running, stopped, waiting_reselect;
    uint32_t resel_alt;                   /* WAIT RESELECT's jump when SIGP is set */
    bool sel_timeout;                     /* a SELECT found no target: STO at the next phase wait */

    /* the connected target's side of the bus */
    bool connected;
    int target, lun, phase;
    bool have_req, status_sent;
    SCSIRequest req;
    uint8_t msgin[8];
    int msgin_len;
};

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static uint32_t sext24(uint32_t v) { return (uint32_t)((int32_t)(v << 8) >> 8); }

static uint32_t reg32(const LSI53C895A *s, int r) { return rd32(s->regs + r); }
static void set_reg32(LSI53C895A *s, int r, uint32_t v) { wr32(s->regs + r, v); }

static void guest_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void guest_error(const char *fmt, ...)
{
    if (!(sys_log_mask & SYS_LOG_GUEST_ERRORS))
        return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    exec_log("lsi53c895a: %s\n", buf);
}

/* ---- interrupts ------------------------------------------------------------ */

static uint8_t istat_value(const LSI53C895A *s)
{
    uint8_t v = s->istat & (ISTAT_SIGP | ISTAT_SEM | ISTAT_SRST | ISTAT_INTF);
    if (s->connected)
        v |= ISTAT_CON;
    if (s->dstat)
        v |= ISTAT_DIP;
    if (s->sist0 || s->sist1)
        v |= ISTAT_SIP;
    return v;
}

static void update_irq(LSI53C895A *s)
{
    bool level = (s->dstat & s->regs[DIEN]) || (s->sist0 & s->regs[SIEN0]) ||
                 (s->sist1 & s->regs[SIEN1]) || (s->istat & ISTAT_INTF);
    pci_set_irq(&s->pci, level);
}

static void dma_interrupt(LSI53C895A *s, uint8_t bits)
{
    s->dstat |= bits;
    s->stopped = true;
    update_irq(s);
}

static void scsi_interrupt(LSI53C895A *s, uint8_t b0, uint8_t b1)
{
    s->sist0 |= b0;
    s->sist1 |= b1;
    s->stopped = true;
    update_irq(s);
}

/* ---- the target's side ------------------------------------------------------ */

static void end_request(LSI53C895A *s)
{
    if (s->have_req)
        scsi_request_end(&s->req);
    s->have_req = false;
    s->status_sent = false;
}

static void disconnect(LSI53C895A *s)
{
    end_request(s);
    s->connected = false;
    s->msgin_len = 0;
    s->regs[SCNTL1] &= ~SCNTL1_CON;
}

static void queue_msgin(LSI53C895A *s, uint8_t b)
{
    if (s->msgin_len < (int)sizeof s->msgin)
        s->msgin[s->msgin_len++] = b;
}

/* Where the target goes next, when nothing interrupts it. */
static void next_phase(LSI53C895A *s)
{
    if (s->msgin_len)
        s->phase = PH_MSG_IN;
    else if (!s->have_req)
        s->phase = PH_COMMAND;
    else if (s->status_sent)
        s->phase = PH_MSG_IN;
    else if (s->req.done)
        s->phase = PH_STATUS;
    else
        s->phase = s->req.dir == SCSI_XFER_OUT ? PH_DATA_OUT : PH_DATA_IN;
}

static void reset_targets(LSI53C895A *s)
{
    for (int i = 0; i < LSI_MAX_TARGETS; i++)
        if (s->targets[i])
            scsi_device_reset(s->targets[i]);
}

static void message_out(LSI53C895A *s, const uint8_t *m, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b = m[i];
        if (b & 0x80) {                   /* IDENTIFY */
            s->lun = b & 7;
        } else if (b >= 0x20 && b <= 0x22) {   /* SIMPLE/HEAD OF QUEUE/ORDERED tag */
            i++;
        } else if (b == 0x01) {           /* extended: SDTR, WDTR, PPR */
            if (i + 1 < n)
                i += 1 + m[i + 1];
            queue_msgin(s, 0x07);         /* MESSAGE REJECT: stay async, narrow */
        } else if (b == 0x06 || b == 0x0d || b == 0x0e) {   /* ABORT (TAG), CLEAR QUEUE */
            disconnect(s);
            return;
        } else if (b == 0x0c) {           /* BUS DEVICE RESET */
            scsi_device_reset(s->targets[s->target]);
            disconnect(s);
            return;
        }
        /* MESSAGE REJECT, NO OPERATION, INITIATOR DETECTED ERROR ...: nothing to do */
    }
    s->regs[SOCL] &= ~SOCL_ATN;
    next_phase(s);
}

static void start_command(LSI53C895A *s, const uint8_t *cdb, uint32_t n)
{
    end_request(s);
    memset(&s->req, 0, sizeof s->req);
    memcpy(s->req.cdb, cdb, n > 16 ? 16 : n);
    s->req.lun = s->lun;
    s->have_req = true;
    scsi_command(s->targets[s->target], &s->req);
    if (s->req.dir == SCSI_XFER_NONE)
        s->req.done = true;
    next_phase(s);
}

/* ---- DMA: the SCRIPTS RAM short-cut, then the PCI bus ------------------------ */

static bool in_ram(LSI53C895A *s, uint32_t addr, uint32_t len, uint32_t *off)
{
    uint32_t base = pci_bar_address(&s->pci, 2);
    if (base == ~0u || addr < base || addr - base + (uint64_t)len > RAM_SIZE)
        return false;
    *off = addr - base;
    return true;
}

static void mem_read(LSI53C895A *s, uint32_t addr, void *buf, uint32_t len)
{
    uint32_t off;
    if (in_ram(s, addr, len, &off))
        memcpy(buf, s->ram + off, len);
    else if (!pci_dma_read(&s->pci, addr, buf, len))
        guest_error("DMA read of unassigned 0x%08x (%u bytes)", addr, len);
}

static void mem_write(LSI53C895A *s, uint32_t addr, const void *buf, uint32_t len)
{
    uint32_t off;
    if (in_ram(s, addr, len, &off))
        memcpy(s->ram + off, buf, len);
    else if (!pci_dma_write(&s->pci, addr, buf, len))
        guest_error("DMA write to unassigned 0x%08x (%u bytes)", addr, len);
}

static uint32_t mem_read32(LSI53C895A *s, uint32_t addr)
{
    uint8_t b[4];
    mem_read(s, addr, b, 4);
    return rd32(b);
}

/* ---- registers --------------------------------------------------------------- */

static void run_script(LSI53C895A *s);
static void chip_reset(LSI53C895A *s);

static uint8_t reg_read(LSI53C895A *s, unsigned r)
{
    uint8_t v;
    switch (r) {
    case SBCL:
        return s->connected ? s->phase : 0;
    case DSTAT:
        v = s->dstat | DSTAT_DFE;
        s->dstat = 0;
        update_irq(s);
        return v;
    case SSTAT0:
        return s->regs[SCNTL1] & SCNTL1_RST ? SSTAT0_RST : 0;
    case SSTAT1:
        return s->connected ? s->phase : 0;
    case SSTAT2:
        return 0;
    case ISTAT:
        return istat_value(s);
    case CTEST2:                         /* reading it clears SIGP (the scripts rely on it) */
        v = 0x11 | (s->istat & ISTAT_SIGP ? 0x40 : 0);   /* CM, DACK */
        s->istat &= ~ISTAT_SIGP;
        return v;
    case CTEST3:
        return s->regs[CTEST3] & 0x0f;   /* revision 0 in bits 7:4 */
    case DFIFO:
        return 0;
    case SIST0:
        v = s->sist0;
        s->sist0 = 0;
        update_irq(s);
        return v;
    case SIST1:
        v = s->sist1;
        s->sist1 = 0;
        update_irq(s);
        return v;
    case STEST4:
        return 0xa0;                     /* single-ended bus, clock multiplier locked */
    case SIDL: case SBDL:
        return s->regs[r];
    }
    return s->regs[r];
}

static void reg_write(LSI53C895A *s, unsigned r, uint8_t v)
{
    switch (r) {
    case SCNTL1:
        if ((v & SCNTL1_RST) && !(s->regs[SCNTL1] & SCNTL1_RST)) {
            /* asserting RST resets the bus: every target, and any connection */
            disconnect(s);
            reset_targets(s);
            s->regs[SCNTL1] = v;
            scsi_interrupt(s, SIST0_RST, 0);
            return;
        }
        s->regs[SCNTL1] = (v & ~SCNTL1_CON) | (s->regs[SCNTL1] & SCNTL1_CON);
        return;
    case DSTAT: case SSTAT0: case SSTAT1: case SSTAT2: case SIST0: case SIST1: case CTEST3:
        return;                          /* read-only */
    case ISTAT:
        if (v & ISTAT_SRST) {
            chip_reset(s);
            return;
        }
        if (v & ISTAT_INTF) {
            s->istat &= ~ISTAT_INTF;
            update_irq(s);
        }
        s->istat = (s->istat & ~ISTAT_SEM) | (v & ISTAT_SEM);
        if (v & ISTAT_ABRT) {
            s->waiting_reselect = false;
            dma_interrupt(s, DSTAT_ABRT);
        }
        if (v & ISTAT_SIGP) {
            s->istat |= ISTAT_SIGP;
            if (s->waiting_reselect && !s->running) {
                s->waiting_reselect = false;
                set_reg32(s, DSP, s->resel_alt);
                run_script(s);
            }
        }
        return;
    case DSP + 3:
        s->regs[r] = v;
        if (!(s->regs[DMODE] & DMODE_MAN) && !s->running)
            run_script(s);
        return;
    case DCNTL:
        s->regs[r] = v & ~DCNTL_STD;
        if ((v & DCNTL_STD) && !s->running)
            run_script(s);
        return;
    case STIME1:
        s->regs[r] = v & 0x0f;
        if (v & 0x0f) {                  /* the general-purpose timer expires at once */
            s->sist1 |= SIST1_GEN;
            update_irq(s);
        }
        return;
    case DIEN: case SIEN0: case SIEN1:
        s->regs[r] = v;
        update_irq(s);
        return;
    }
    s->regs[r] = v;
}

static void chip_reset(LSI53C895A *s)
{
    disconnect(s);
    memset(s->regs, 0, sizeof s->regs);
    s->regs[SCID] = 7;
    s->regs[DCNTL] = 0x01;               /* COM: compatibility with the 53C700 family off */
    s->istat = s->dstat = s->sist0 = s->sist1 = 0;
    s->carry = s->waiting_reselect = s->sel_timeout = false;
    s->phase = PH_DATA_OUT;
    update_irq(s);
}

/* ---- SCRIPTS ------------------------------------------------------------------ */

/* A phase-dependent instruction after a SELECT of no one: the time-out. */
static bool selection_timed_out(LSI53C895A *s)
{
    if (!s->sel_timeout)
        return false;
    s->sel_timeout = false;
    scsi_interrupt(s, 0, SIST1_STO);
    return true;
}

/* The target is not in the phase the block move at insn_addr wants. */
static void phase_mismatch(LSI53C895A *s, uint32_t insn_addr, bool out, uint32_t left, uint32_t next)
{
    uint8_t ccntl0 = s->regs[CCNTL0];
    if (!(ccntl0 & CCNTL0_ENPMJ)) {
        scsi_interrupt(s, SIST0_MA, 0);  /* DBC and DNAD say what is left */
        return;
    }
    set_reg32(s, IA, insn_addr);
    set_reg32(s, RBC, left);
    set_reg32(s, UA, next);
    bool second = (ccntl0 & CCNTL0_PMJCTL) ? !out : (s->regs[SCNTL2] & SCNTL2_WSR);
    set_reg32(s, DSP, reg32(s, second ? PMJAD2 : PMJAD1));
}

static void block_move(LSI53C895A *s, uint32_t insn, uint32_t addr)
{
    uint32_t insn_addr = reg32(s, DSP) - 8;
    uint32_t count = insn & 0xffffff;
    if (insn & (1u << 29))               /* indirect */
        addr = mem_read32(s, addr);
    if (insn & (1u << 28)) {             /* table indirect: count and address at DSA + offset */
        uint8_t t[8];
        mem_read(s, reg32(s, DSA) + sext24(addr), t, 8);
        count = rd32(t) & 0xffffff;      /* bits 31:24: DAC address bits, not modelled */
        addr = rd32(t + 4);
    }
    set_reg32(s, DNAD, addr);
    wr32(s->regs + DBC, (insn & 0xff000000) | count);
    if (selection_timed_out(s))
        return;
    if (!s->connected) {
        guest_error("block move while no target is connected");
        dma_interrupt(s, DSTAT_IID);
        return;
    }
    int want = (insn >> 24) & 7;
    bool out = !(want & 1);
    if (s->phase != want) {
        phase_mismatch(s, insn_addr, out, count, addr);
        return;
    }
    uint32_t moved = 0;
    switch (s->phase) {
    case PH_DATA_OUT: case PH_DATA_IN: {
        SCSIRequest *r = &s->req;
        uint32_t n = r->len - r->pos < count ? r->len - r->pos : count;
        if (s->phase == PH_DATA_IN)
            mem_write(s, addr, r->buf + r->pos, n);
        else
            mem_read(s, addr, r->buf + r->pos, n);
        r->pos += n;
        moved = n;
        if (r->pos == r->len) {
            if (s->phase == PH_DATA_OUT)
                scsi_write_data(s->targets[s->target], r);
            r->done = true;
            next_phase(s);
        }
        break;
    }
    case PH_COMMAND: {
        uint8_t cdb[16] = { 0 };
        moved = count > 16 ? 16 : count;
        mem_read(s, addr, cdb, moved);
        start_command(s, cdb, moved);
        break;
    }
    case PH_STATUS: {
        uint8_t st = s->req.status;
        mem_write(s, addr, &st, 1);
        s->regs[SFBR] = s->regs[SIDL] = st;
        moved = 1;
        s->status_sent = true;
        queue_msgin(s, 0x00);            /* COMMAND COMPLETE */
        next_phase(s);
        break;
    }
    case PH_MSG_OUT: {
        uint8_t m[64];
        moved = count > sizeof m ? sizeof m : count;
        mem_read(s, addr, m, moved);
        message_out(s, m, moved);
        break;
    }
    case PH_MSG_IN:
        moved = (uint32_t)s->msgin_len < count ? (uint32_t)s->msgin_len : count;
        if (!moved) {
            guest_error("message in with no message");
            dma_interrupt(s, DSTAT_IID);
            return;
        }
        mem_write(s, addr, s->msgin, moved);
        s->regs[SFBR] = s->msgin[0];
        s->regs[SIDL] = s->msgin[moved - 1];
        memmove(s->msgin, s->msgin + moved, s->msgin_len - moved);
        s->msgin_len -= moved;
        if (s->msgin_len || !s->status_sent)
            next_phase(s);
        break;
    default:
        dma_interrupt(s, DSTAT_IID);
        return;
    }
    count -= moved;
    set_reg32(s, DNAD, addr + moved);
    wr32(s->regs + DBC, (insn & 0xff000000) | count);
    if (count && s->connected && s->phase != want)   /* the target moved on before the count ran out */
        phase_mismatch(s, insn_addr, out, count, addr + moved);
}

static void io_instruction(LSI53C895A *s, uint32_t insn, uint32_t addr)
{
    int op = (insn >> 27) & 7;
    uint32_t id = (insn >> 16) & 0xf;
    if (insn & (1u << 25)) {             /* table indirect: id, SXFER and SCNTL3 at DSA + offset */
        uint32_t t = mem_read32(s, reg32(s, DSA) + sext24(insn));
        id = (t >> 16) & 0xf;
        s->regs[SXFER] = t >> 8;
        s->regs[SCNTL3] = t >> 24;
    }
    if (insn & (1u << 26))               /* relative jump address */
        addr = reg32(s, DSP) + sext24(addr);
    set_reg32(s, DNAD, addr);
    switch (op) {
    case 0:                              /* SELECT */
        if (s->connected) {
            set_reg32(s, DSP, addr);
            return;
        }
        s->regs[SDID] = id;
        if (id < LSI_MAX_TARGETS && s->targets[id]) {
            s->connected = true;
            s->target = id;
            s->lun = 0;
            s->msgin_len = 0;
            end_request(s);
            s->regs[SCNTL1] |= SCNTL1_CON;
            s->regs[SSID] = 0x80 | id;
            s->phase = (insn & (1u << 24)) ? PH_MSG_OUT : PH_COMMAND;
        } else {
            s->sel_timeout = true;
        }
        return;
    case 1:                              /* WAIT DISCONNECT */
        if (selection_timed_out(s))
            return;
        disconnect(s);
        return;
    case 2:                              /* WAIT RESELECT */
        if (selection_timed_out(s))
            return;
        if (s->istat & ISTAT_SIGP) {
            set_reg32(s, DSP, addr);
        } else {
            s->resel_alt = addr;
            s->waiting_reselect = true;
            s->stopped = true;
        }
        return;
    case 3: case 4: {                    /* SET, CLEAR */
        bool set = op == 3;
        if (insn & (1u << 10))
            s->carry = set;
        if (insn & (1u << 3)) {
            if (set) {
                s->regs[SOCL] |= SOCL_ATN;
                if (s->connected)
                    s->phase = PH_MSG_OUT;   /* the target honours ATN at once */
            } else {
                s->regs[SOCL] &= ~SOCL_ATN;
            }
        }
        return;
    }
    }
    guest_error("illegal I/O instruction 0x%08x", insn);
    dma_interrupt(s, DSTAT_IID);
}

static void register_op(LSI53C895A *s, uint32_t insn)
{
    int opcode = (insn >> 27) & 7, oper = (insn >> 24) & 7;
    unsigned reg = ((insn >> 16) & 0x7f) | (insn & 0x80);
    uint8_t data = (insn >> 8) & 0xff, op0 = 0, op1 = data;
    switch (opcode) {
    case 5: op0 = s->regs[SFBR]; break;                         /* reg = SFBR op data */
    case 6: if (oper) op0 = reg_read(s, reg); break;            /* SFBR = reg op data */
    case 7: if (oper) op0 = reg_read(s, reg);                   /* reg = reg op data */
            if (insn & (1u << 23)) op1 = s->regs[SFBR];
            break;
    }
    unsigned t;
    switch (oper) {
    case 0: op0 = op1; break;
    case 1: t = op0 >> 7; op0 = op0 << 1 | s->carry; s->carry = t; break;
    case 2: op0 |= op1; break;
    case 3: op0 ^= op1; break;
    case 4: op0 &= op1; break;
    case 5: t = op0 & 1; op0 = op0 >> 1 | s->carry << 7; s->carry = t; break;
    case 6: t = op0 + op1; op0 = t; s->carry = t > 0xff; break;
    case 7: t = op0 + op1 + s->carry; op0 = t; s->carry = t > 0xff; break;
    }
    if (opcode == 6)
        s->regs[SFBR] = op0;
    else
        reg_write(s, reg, op0);
}

static void transfer_control(LSI53C895A *s, uint32_t insn, uint32_t addr)
{
    if ((insn & (3u << 16)) && selection_timed_out(s))
        return;
    /* The tests that are enabled must all hold for the condition to be
     * true; "jump if false" with no test at all never jumps (SCR_NO_OP). */
    bool jmp = insn & (1u << 19), cond = true;
    if (insn & (1u << 21))
        cond = cond && s->carry;
    if (insn & (1u << 17))
        cond = cond && s->connected && s->phase == (int)((insn >> 24) & 7);
    if (insn & (1u << 18)) {
        uint8_t mask = ~(insn >> 8) & 0xff;
        cond = cond && (s->regs[SFBR] & mask) == (insn & mask);
    }
    if (cond != jmp)
        return;
    uint32_t dsp = reg32(s, DSP);
    uint32_t target = (insn & (1u << 23)) ? dsp + sext24(addr) : addr;
    switch ((insn >> 27) & 7) {
    case 0: set_reg32(s, DSP, target); return;                           /* JUMP */
    case 1: set_reg32(s, TEMP, dsp); set_reg32(s, DSP, target); return;  /* CALL */
    case 2: set_reg32(s, DSP, reg32(s, TEMP)); return;                   /* RETURN */
    case 3:                                                              /* INT, INTFLY */
        if (insn & (1u << 20)) {
            s->istat |= ISTAT_INTF;
            update_irq(s);
        } else {
            dma_interrupt(s, DSTAT_SIR);
        }
        return;
    }
    guest_error("illegal transfer control 0x%08x", insn);
    dma_interrupt(s, DSTAT_IID);
}

static void memory_op(LSI53C895A *s, uint32_t insn, uint32_t addr)
{
    if (!(insn & (1u << 29))) {          /* memory move: source, destination */
        uint32_t dest = mem_read32(s, reg32(s, DSP));
        set_reg32(s, DSP, reg32(s, DSP) + 4);
        uint32_t n = insn & 0xffffff;
        uint8_t buf[4096];
        while (n) {
            uint32_t k = n > sizeof buf ? sizeof buf : n;
            mem_read(s, addr, buf, k);
            mem_write(s, dest, buf, k);
            addr += k, dest += k, n -= k;
        }
        return;
    }
    unsigned reg = (insn >> 16) & 0xff, n = insn & 7;   /* LOAD / STORE */
    if (insn & (1u << 28))
        addr = reg32(s, DSA) + sext24(addr);
    if (!n || n > 4 || reg + n > 256) {
        dma_interrupt(s, DSTAT_IID);
        return;
    }
    uint8_t b[4];
    if (insn & (1u << 24)) {
        mem_read(s, addr, b, n);
        for (unsigned i = 0; i < n; i++)
            reg_write(s, reg + i, b[i]);
    } else {
        for (unsigned i = 0; i < n; i++)
            b[i] = reg_read(s, reg + i);
        mem_write(s, addr, b, n);
    }
}

static void run_script(LSI53C895A *s)
{
    s->running = true;
    s->stopped = false;
    s->waiting_reselect = false;
    for (long steps = 0; !s->stopped; steps++) {
        if (steps == MAX_STEPS) {
            guest_error("SCRIPTS loop: %d instructions without stopping", MAX_STEPS);
            dma_interrupt(s, DSTAT_IID);
            break;
        }
        uint32_t dsp = reg32(s, DSP);
        uint8_t fetch[8];
        mem_read(s, dsp, fetch, 8);
        uint32_t insn = rd32(fetch), addr = rd32(fetch + 4);
        set_reg32(s, DSP, dsp + 8);
        if (trace_scripts)
            fprintf(stderr, "lsi: %08x: %08x %08x phase %d conn %d\n", dsp, insn, addr, s->phase, s->connected);
        wr32(s->regs + DBC, insn);       /* DBC and DCMD */
        set_reg32(s, DSPS, addr);
        switch (insn >> 30) {
        case 0: block_move(s, insn, addr); break;
        case 1:
            if (((insn >> 27) & 7) >= 5)
                register_op(s, insn);
            else
                io_instruction(s, insn, addr);
            break;
        case 2: transfer_control(s, insn, addr); break;
        case 3: memory_op(s, insn, addr); break;
        }
    }
    s->running = false;
}

/* ---- the PCI function ----------------------------------------------------------- */

static uint64_t regs_read(void *opaque, uint64_t off, unsigned size)
{
    LSI53C895A *s = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)reg_read(s, (off + i) & 0xff) << (8 * i);
    return v;
}

static void regs_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    LSI53C895A *s = opaque;
    for (unsigned i = 0; i < size; i++)
        reg_write(s, (off + i) & 0xff, v >> (8 * i));
}

static const MemoryRegionOps regs_ops = { .read = regs_read, .write = regs_write };

static uint64_t ram_read(void *opaque, uint64_t off, unsigned size)
{
    LSI53C895A *s = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size && off + i < RAM_SIZE; i++)
        v |= (uint64_t)s->ram[off + i] << (8 * i);
    return v;
}

static void ram_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    LSI53C895A *s = opaque;
    for (unsigned i = 0; i < size && off + i < RAM_SIZE; i++)
        s->ram[off + i] = v >> (8 * i);
}

static const MemoryRegionOps ram_ops = { .read = ram_read, .write = ram_write };

static void lsi_reset(void *opaque)
{
    chip_reset(opaque);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ----------------------- */

/* savevm needs no drain: the SCRIPTS processor runs to its stop inside
 * the guest's register write, and the targets do their block I/O inside
 * the command (read) or data-out (write) phase, so with the vcpu parked
 * nothing is in flight.  What can be pending is a command the guest is
 * in the middle of (the script stopped for an interrupt with a target
 * connected): the bus side (phase, messages) is in the fields and the
 * request, with its data buffer, in the .save data, so the script goes
 * on from there after loadvm.  The PCI header is the "pci-function"
 * section of the slot (pci.c); the targets are "scsi-disk" sections. */
static const VMStateField lsi_fields[] = {
    VMS_FIELD(LSI53C895A, regs),
    VMS_FIELD(LSI53C895A, ram),
    VMS_FIELD(LSI53C895A, istat),
    VMS_FIELD(LSI53C895A, dstat),
    VMS_FIELD(LSI53C895A, sist0),
    VMS_FIELD(LSI53C895A, sist1),
    VMS_FIELD(LSI53C895A, carry),
    VMS_FIELD(LSI53C895A, waiting_reselect),
    VMS_FIELD(LSI53C895A, resel_alt),
    VMS_FIELD(LSI53C895A, sel_timeout),
    VMS_FIELD(LSI53C895A, connected),
    VMS_FIELD(LSI53C895A, target),
    VMS_FIELD(LSI53C895A, lun),
    VMS_FIELD(LSI53C895A, phase),
    VMS_FIELD(LSI53C895A, have_req),
    VMS_FIELD(LSI53C895A, status_sent),
    VMS_FIELD(LSI53C895A, msgin),
    VMS_FIELD(LSI53C895A, msgin_len),
    VMS_END
};

static void lsi_pre_save(void *opaque)
{
    LSI53C895A *s = opaque;
    /* the SCRIPTS processor only runs inside a register access: a
     * savevm in the middle of one is a bug in vemu, not the guest's */
    if (s->running) {
        fprintf(stderr, "vemu: lsi53c895a: savevm while the SCRIPTS processor runs\n");
        abort();
    }
}

/* The current request (valid when have_req): the CDB, where the data
 * phase is, the status, and the data buffer itself. */
static void lsi_save(void *opaque, VMStateOut *o)
{
    LSI53C895A *s = opaque;
    const SCSIRequest *r = &s->req;
    if (!s->have_req) {
        vms_put_u8(o, 0);
        return;
    }
    vms_put_u8(o, 1);
    vms_put_bytes(o, r->cdb, sizeof r->cdb);
    vms_put_u32(o, r->lun);
    vms_put_u32(o, r->dir);
    vms_put_u32(o, r->len);
    vms_put_u32(o, r->pos);
    vms_put_u8(o, r->status);
    vms_put_u8(o, r->done);
    vms_put_u64(o, r->lba);
    vms_put_u8(o, r->buf != NULL);
    if (r->buf)
        vms_put_bytes(o, r->buf, r->len);
}

static int lsi_load(void *opaque, VMStateIn *in)
{
    LSI53C895A *s = opaque;
    SCSIRequest *r = &s->req;
    /* the request this run had (the fields already carry the saved
     * have_req; buf is NULL whenever no request owns one) */
    scsi_request_end(r);
    memset(r, 0, sizeof *r);
    bool saved = vms_get_u8(in);
    if (saved != s->have_req) {
        vms_in_error(in, "lsi53c895a: request state does not match have_req");
        s->have_req = false;
        return -1;
    }
    if (!saved)
        return vms_in_failed(in) ? -1 : 0;
    vms_get_bytes(in, r->cdb, sizeof r->cdb);
    r->lun = vms_get_u32(in);
    uint32_t dir = vms_get_u32(in);
    r->len = vms_get_u32(in);
    r->pos = vms_get_u32(in);
    r->status = vms_get_u8(in);
    r->done = vms_get_u8(in);
    r->lba = vms_get_u64(in);
    bool has_buf = vms_get_u8(in);
    if (dir > SCSI_XFER_OUT || r->pos > r->len || r->len > (64u << 20) ||
        s->target < 0 || s->target >= LSI_MAX_TARGETS || s->msgin_len < 0 ||
        s->msgin_len > (int)sizeof s->msgin) {
        if (!vms_in_failed(in))
            vms_in_error(in, "lsi53c895a: bad request (dir %u, %u of %u bytes)", dir, r->pos, r->len);
        s->have_req = false;
        return -1;
    }
    r->dir = dir;
    if (has_buf) {
        r->buf = malloc(r->len ? r->len : 1);
        if (!r->buf)
            abort();
        vms_get_bytes(in, r->buf, r->len);
    }
    if (vms_in_failed(in)) {
        scsi_request_end(r);
        s->have_req = false;
        return -1;
    }
    return 0;
}

static void lsi_post_load(void *opaque)
{
    LSI53C895A *s = opaque;
    s->running = s->stopped = false;
    update_irq(s);
}

static const VMStateDescription lsi_vmsd = {
    .name = "lsi53c895a",
    .version = 1,
    .fields = lsi_fields,
    .save = lsi_save,
    .load = lsi_load,
    .pre_save = lsi_pre_save,
    .post_load = lsi_post_load,
};

LSI53C895A *lsi53c895a_new(PCIBus *bus, int slot)
{
    LSI53C895A *s = calloc(1, sizeof(*s));
    trace_scripts = getenv("VEMU_LSI_TRACE") != NULL;
    if (!pci_device_init(&s->pci, bus, slot, "lsi53c895a", 0x1000, 0x0012, 0x00, 0x010000, 1)) {
        free(s);
        return NULL;
    }
    s->pci.config[PCI_LATENCY_TIMER] = 0xff;
    pci_register_bar(&s->pci, 0, PCI_BAR_IO, 256, &regs_ops, s);
    pci_register_bar(&s->pci, 1, PCI_BAR_MEM, 1024, &regs_ops, s);
    pci_register_bar(&s->pci, 2, PCI_BAR_MEM, RAM_SIZE, &ram_ops, s);
    device_register_reset(lsi_reset, s);
    chip_reset(s);
    vmstate_register(&lsi_vmsd, s->pci.slot, s);
    return s;
}

bool lsi53c895a_attach(LSI53C895A *s, int id, SCSIDevice *dev)
{
    if (id < 0 || id >= LSI_MAX_TARGETS || s->targets[id])
        return false;
    s->targets[id] = dev;
    scsi_device_register_state(dev, (uint64_t)s->pci.slot << 8 | id);
    return true;
}

int lsi53c895a_free_id(const LSI53C895A *s)
{
    for (int i = 0; i < LSI_MAX_TARGETS; i++)
        if (!s->targets[i])
            return i;
    return -1;
}
