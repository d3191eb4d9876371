/*
 * versatile-sysregs.c — the Versatile PB's status and system control
 * registers, an FPGA block at 0x10000000, after the Versatile PB User
 * Guide (ARM DUI 0224), the Programmer's Reference chapter, "Status and
 * system control registers".
 *
 *   0x00 SYS_ID        board id, given by the board (0x41007004 on the PB)
 *   0x04 SYS_SW        user switches (all off)
 *   0x08 SYS_LED       user LEDs, bits 7:0
 *   0x0C..0x1C SYS_OSC0..4  ICST307 oscillator words (locked)
 *   0x20 SYS_LOCK      write 0xA05F to unlock, anything else locks;
 *                      reads LOCKED in bit 16 and the last value written
 *   0x24 SYS_100HZ     counts at 100 Hz since power-on
 *   0x28/0x2C SYS_CFGDATA1/2  general storage
 *   0x30 SYS_FLAGS (R) / SYS_FLAGSSET (W), 0x34 SYS_FLAGSCLR
 *   0x38 SYS_NVFLAGS (R) / SYS_NVFLAGSSET (W), 0x3C SYS_NVFLAGSCLR
 *                      (the NV flags survive a reset, as on the board)
 *   0x40 SYS_RESETCTL  locked; writing it with bit 8 set resets the board
 *                      (what Linux's versatile reboot writes: 0x105)
 *   0x44 SYS_PCICTL    bit 0 reads 1: a PCI backplane is present (versatile-pci.c;
 *                      Linux disables its PCI node when it reads 0)
 *   0x48 SYS_MCI       MMC card detect (bit 0, MCI0) and write protect (bit 2):
 *                      set by the board (versatile_sysregs_set_mci); Linux's
 *                      versatile platform code reads bit 0 as MCI0's card detect
 *   0x4C SYS_FLASH     stored
 *   0x50 SYS_CLCD      mode and power bits stored; CLCDID (12:8) reads
 *                      0x1F: no panel on the panel connector (Linux then
 *                      drives the VGA DAC: 800x600); bits 1:0 select the
 *                      CLCD's 16 bpp multiplexer (told to the board's
 *                      hook, versatile_sysregs_on_clcd_mode)
 *   0x54 SYS_CLCDSER, 0x58 SYS_BOOTCS (0), 0x60 SYS_MISC (0)
 *   0x5C SYS_24MHZ     counts at 24 MHz since power-on
 *   0x64..0x6C SYS_DMAPSR0..2, 0x70 SYS_IOSEL  stored
 *   0x84 SYS_PROCID0   the core tile's id (given by the board)
 *   0x88 SYS_PROCID1   0xFF000000: no second tile
 *   0x8C..0x9C SYS_OSCRESET0..4  stored (locked)
 * Both counters come from the virtual clock, so they stand still while
 * the machine is stopped and never go backwards.
 *
 * Not modelled: the oscillators do not change any clock (the CLCD is a
 * placeholder), SYS_VOLTAGE and SYS_TEST_OSC read as zero, and the
 * SYS_RESETCTL reset level is not distinguished (every level resets the
 * whole machine).
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"
#include "softmmu/main-loop.h"
#include "softmmu/timer.h"

#define LOCK_VALUE 0xA05Fu

struct VersatileSysregs {
    uint32_t sys_id, proc_id;
    uint32_t leds;
    uint32_t osc[5], osc_reset[5];
    uint16_t lockval;
    uint32_t cfgdata1, cfgdata2;
    uint32_t flags, nvflags;
    uint32_t resetctl;
    uint32_t flash, clcd, clcdser;
    uint32_t dmapsr[3], iosel;
    uint32_t mci;          /* SYS_MCI, from the board */
    void (*clcd_mode)(void *opaque, unsigned mode);
    void *clcd_mode_opaque;
};

static const uint32_t osc_power_on[5] = {
    0, 0, 0, 0,
    /* OSC4, the CLCD clock: VDW 42, RDW 22, OD 3 = 25 MHz from 24 MHz */
    0x00032C2A,
};

static bool unlocked(const VersatileSysregs *s)
{
    return s->lockval == LOCK_VALUE;
}

static uint64_t sysregs_read(void *opaque, uint64_t offset, unsigned size)
{
    VersatileSysregs *s = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (reg >= 0x0C && reg <= 0x1C) {
        val = s->osc[(reg - 0x0C) / 4];
    } else if (reg >= 0x8C && reg <= 0x9C) {
        val = s->osc_reset[(reg - 0x8C) / 4];
    } else if (reg >= 0x64 && reg <= 0x6C) {
        val = s->dmapsr[(reg - 0x64) / 4];
    } else {
        switch (reg) {
        case 0x00: val = s->sys_id; break;
        case 0x04: val = 0; break;
        case 0x08: val = s->leds; break;
        case 0x20: val = (unlocked(s) ? 0 : 1u << 16) | s->lockval; break;
        case 0x24: val = (uint32_t)((uint64_t)clock_virtual_ns() / 10000000); break;
        case 0x28: val = s->cfgdata1; break;
        case 0x2C: val = s->cfgdata2; break;
        case 0x30: val = s->flags; break;
        case 0x38: val = s->nvflags; break;
        case 0x40: val = s->resetctl; break;
        case 0x44: val = 1; break;
        case 0x48: val = s->mci; break;
        case 0x4C: val = s->flash; break;
        case 0x50: val = (s->clcd & ~0x1F00u) | 0x1F00u; break;
        case 0x54: val = s->clcdser; break;
        case 0x58: val = 0; break;
        case 0x5C: val = (uint32_t)((uint64_t)clock_virtual_ns() * 3 / 125); break;  /* 24/1000 */
        case 0x60: val = 0; break;
        case 0x70: val = s->iosel; break;
        case 0x84: val = s->proc_id; break;
        case 0x88: val = 0xFF000000u; break;
        default: val = 0; break;
        }
    }
    unsigned shift = (offset & 3) * 8;
    uint64_t v = val >> shift;
    return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}

static void sysregs_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    VersatileSysregs *s = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = (uint32_t)value;
    if (reg >= 0x0C && reg <= 0x1C) {
        if (unlocked(s))
            s->osc[(reg - 0x0C) / 4] = val;
        return;
    }
    if (reg >= 0x8C && reg <= 0x9C) {
        if (unlocked(s))
            s->osc_reset[(reg - 0x8C) / 4] = val;
        return;
    }
    if (reg >= 0x64 && reg <= 0x6C) {
        s->dmapsr[(reg - 0x64) / 4] = val;
        return;
    }
    switch (reg) {
    case 0x08: s->leds = val & 0xFF; break;
    case 0x20: s->lockval = (uint16_t)val; break;
    case 0x28: s->cfgdata1 = val; break;
    case 0x2C: s->cfgdata2 = val; break;
    case 0x30: s->flags |= val; break;
    case 0x34: s->flags &= ~val; break;
    case 0x38: s->nvflags |= val; break;
    case 0x3C: s->nvflags &= ~val; break;
    case 0x40:
        if (!unlocked(s))
            break;
        s->resetctl = val & 0x1FF;
        if (val & 0x100)
            machine_request_reset();
        break;
    case 0x4C: s->flash = val; break;
    case 0x50:
        s->clcd = val & ~0x1F00u;
        if (s->clcd_mode)
            s->clcd_mode(s->clcd_mode_opaque, s->clcd & 3);
        break;
    case 0x54: s->clcdser = val; break;
    case 0x70: s->iosel = val; break;
    default: break;   /* read-only and unmodelled registers */
    }
}

static const MemoryRegionOps sysregs_ops = { .read = sysregs_read, .write = sysregs_write };

static void sysregs_reset(void *opaque)
{
    VersatileSysregs *s = opaque;
    s->leds = 0;
    for (int i = 0; i < 5; i++)
        s->osc[i] = s->osc_reset[i] = osc_power_on[i];
    s->lockval = 0;
    s->cfgdata1 = s->cfgdata2 = 0;
    s->flags = 0;   /* nvflags survive */
    s->resetctl = 0;
    s->flash = s->clcd = s->clcdser = 0;
    if (s->clcd_mode)
        s->clcd_mode(s->clcd_mode_opaque, 0);
    s->dmapsr[0] = s->dmapsr[1] = s->dmapsr[2] = 0;
    s->iosel = 0;
}

void versatile_sysregs_on_clcd_mode(VersatileSysregs *s, void (*fn)(void *opaque, unsigned mode), void *opaque)
{
    s->clcd_mode = fn;
    s->clcd_mode_opaque = opaque;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField sysregs_fields[] = {
    VMS_FIELD(VersatileSysregs, sys_id),
    VMS_FIELD(VersatileSysregs, proc_id),
    VMS_FIELD(VersatileSysregs, leds),
    VMS_FIELD(VersatileSysregs, osc),
    VMS_FIELD(VersatileSysregs, osc_reset),
    VMS_FIELD(VersatileSysregs, lockval),
    VMS_FIELD(VersatileSysregs, cfgdata1),
    VMS_FIELD(VersatileSysregs, cfgdata2),
    VMS_FIELD(VersatileSysregs, flags),
    VMS_FIELD(VersatileSysregs, nvflags),
    VMS_FIELD(VersatileSysregs, resetctl),
    VMS_FIELD(VersatileSysregs, flash),
    VMS_FIELD(VersatileSysregs, clcd),
    VMS_FIELD(VersatileSysregs, clcdser),
    VMS_FIELD(VersatileSysregs, dmapsr),
    VMS_FIELD(VersatileSysregs, iosel),
    VMS_FIELD(VersatileSysregs, mci),
    VMS_END
};

static const VMStateDescription sysregs_vmsd = {
    .name = "versatile-sysregs",
    .version = 1,
    .fields = sysregs_fields,
};

VersatileSysregs *versatile_sysregs_new(PhysMemory *pm, uint64_t base, uint32_t sys_id, uint32_t proc_id)
{
    VersatileSysregs *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->sys_id = sys_id;
    s->proc_id = proc_id;
    sysregs_reset(s);
    phys_add_mmio(pm, "versatile-sysregs", base, 0x1000, &sysregs_ops, s);
    device_register_reset(sysregs_reset, s);
    vmstate_register(&sysregs_vmsd, base, s);
    return s;
}

void versatile_sysregs_free(VersatileSysregs *s)
{
    vmstate_unregister(s);
    free(s);
}

void versatile_sysregs_set_mci(VersatileSysregs *s, uint32_t bits)
{
    s->mci = bits;
}
