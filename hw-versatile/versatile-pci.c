/*
 * versatile-pci.c — the Versatile PB's PCI host bridge, in the board's
 * FPGA (ARM DUI 0224, "PCI interface"; Linux's pci-versatile.c and the
 * "arm,versatile-pci" binding are what a guest expects of it):
 *   0x10001000  control: IMAP0..2 (0x00..0x08, bits 31:28 of the PCI
 *               address each cpu window hits), SELFID (0x0c), SMAP0..2
 *               (0x14..0x1c, the inbound windows' system address)
 *   0x41000000  configuration space as the bridge itself decodes it
 *               (the guest finds the bridge's own slot there)
 *   0x42000000  configuration space: bus << 16 | devfn << 8 | register
 *   0x43000000  PCI I/O, 64 KiB
 *   0x50000000, 0x60000000, 0x70000000  PCI memory windows, 256 MiB each
 * The bridge is a PCI function itself (vendor 0x10ee Xilinx, device
 * 0x0300, class 0x0b4000), in slot 11.  INTA..D of slot s reach the SIC
 * lines 27..30 rotated by the slot, as the board's device tree says
 * (interrupt-map: slot 0 INTA is SIC 29).
 * Not modelled: the inbound windows' translation — bus-master cycles go
 * to the same system address (the 1:1 mapping Linux sets up through the
 * bridge's BARs and SMAP), so a device reading a PCI window's address
 * reaches the window, i.e. another device's BAR, as peer-to-peer.
 */
#include "hw-versatile/versatile-pci.h"

#include <stdlib.h>

#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define VPB_PCI_SLOT 11

struct VersatilePCI {
    PCIBus *bus;
    PCIDevice self;
    uint32_t imap[3], smap[3], selfid;
    IRQLine irq[4];                /* SIC 27..30 */
    uint32_t levels[4];            /* per line: bit s = slot s asserts it */
};

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
    VersatilePCI *p = opaque;
    switch (off & ~3ull) {
    case 0x00: case 0x04: case 0x08: return p->imap[off / 4];
    case 0x0c: return p->selfid;
    case 0x14: case 0x18: case 0x1c: return p->smap[(off - 0x14) / 4];
    }
    return 0;
}

static void ctl_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    VersatilePCI *p = opaque;
    switch (off & ~3ull) {
    case 0x00: case 0x04: case 0x08: p->imap[off / 4] = v & 0xf; break;
    case 0x0c: p->selfid = v & 0x1f; break;
    case 0x14: case 0x18: case 0x1c: p->smap[(off - 0x14) / 4] = v & 0xf; break;
    }
}

static const MemoryRegionOps ctl_ops = { .read = ctl_read, .write = ctl_write };

static uint64_t cfg_read(void *opaque, uint64_t off, unsigned size)
{
    VersatilePCI *p = opaque;
    return pci_config_read(p->bus, off & 0xffffff, size);
}

static void cfg_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    VersatilePCI *p = opaque;
    pci_config_write(p->bus, off & 0xffffff, v, size);
}

static const MemoryRegionOps cfg_ops = { .read = cfg_read, .write = cfg_write };

static uint64_t io_read(void *opaque, uint64_t off, unsigned size)
{
    VersatilePCI *p = opaque;
    uint64_t v;
    pci_mem_access(p->bus, true, off, &v, size, false);
    return v;
}

static void io_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    VersatilePCI *p = opaque;
    pci_mem_access(p->bus, true, off, &v, size, true);
}

static const MemoryRegionOps io_ops = { .read = io_read, .write = io_write };

/* A memory window: opaque points at its IMAP register. */
typedef struct Window {
    VersatilePCI *p;
    int n;
} Window;

static uint32_t window_addr(const Window *w, uint64_t off)
{
    return w->p->imap[w->n] << 28 | (uint32_t)(off & 0x0fffffff);
}

static uint64_t mem_read(void *opaque, uint64_t off, unsigned size)
{
    Window *w = opaque;
    uint64_t v;
    pci_mem_access(w->p->bus, false, window_addr(w, off), &v, size, false);
    return v;
}

static void mem_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    Window *w = opaque;
    pci_mem_access(w->p->bus, false, window_addr(w, off), &v, size, true);
}

static const MemoryRegionOps mem_ops = { .read = mem_read, .write = mem_write };

static void route_irq(void *opaque, int slot, int pin, int level)
{
    VersatilePCI *p = opaque;
    int line = (slot + pin + 1) & 3;   /* slot 0 INTA -> SIC 29 */
    uint32_t was = p->levels[line];
    if (level)
        p->levels[line] |= 1u << slot;
    else
        p->levels[line] &= ~(1u << slot);
    if (!was != !p->levels[line])
        irq_set(&p->irq[line], p->levels[line] != 0);
}

static void vpb_pci_reset(void *opaque)
{
    VersatilePCI *p = opaque;
    for (int i = 0; i < 3; i++) {
        p->imap[i] = 5 + i;     /* windows at their own address until the guest says */
        p->smap[i] = 0;
    }
    p->selfid = VPB_PCI_SLOT;
    for (int s = 0; s < PCI_SLOTS; s++)
        if (p->bus->slots[s])
            pci_device_reset(p->bus->slots[s]);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* The bridge's own configuration space is the "pci-function" section of
 * its slot (pci.c); here the control registers and which slots assert
 * each line (the SIC saves the lines' levels itself). */
static const VMStateField vpb_pci_fields[] = {
    VMS_FIELD(VersatilePCI, imap),
    VMS_FIELD(VersatilePCI, smap),
    VMS_FIELD(VersatilePCI, selfid),
    VMS_FIELD(VersatilePCI, levels),
    VMS_END
};

static const VMStateDescription vpb_pci_vmsd = {
    .name = "versatile-pci",
    .version = 1,
    .fields = vpb_pci_fields,
};

VersatilePCI *versatile_pci_new(PhysMemory *pm, const IRQLine irq[4])
{
    VersatilePCI *p = calloc(1, sizeof(*p));
    for (int i = 0; i < 4; i++)
        p->irq[i] = irq[i];
    p->bus = pci_bus_new(pm, route_irq, p);
    pci_device_init(&p->self, p->bus, VPB_PCI_SLOT, "versatile-pci", 0x10ee, 0x0300, 0, 0x0b4000, 0);
    /* the bridge's BARs are the inbound windows; Linux writes the RAM's
     * base into BAR0..2 (sizes are not decoded here) */
    for (int n = 0; n < 3; n++)
        for (int i = 0; i < 4; i++)
            p->self.wmask[PCI_BAR0 + 4 * n + i] = i ? 0xff : 0xf0;

    phys_add_mmio(pm, "pci-control", 0x10001000, 0x1000, &ctl_ops, p);
    phys_add_mmio(pm, "pci-selfconfig", 0x41000000, 0x1000000, &cfg_ops, p);
    phys_add_mmio(pm, "pci-config", 0x42000000, 0x1000000, &cfg_ops, p);
    phys_add_mmio(pm, "pci-io", 0x43000000, 0x10000, &io_ops, p);
    static const char *const names[3] = { "pci-mem0", "pci-mem1", "pci-mem2" };
    for (int n = 0; n < 3; n++) {
        Window *w = malloc(sizeof(*w));
        *w = (Window){ p, n };
        phys_add_mmio(pm, names[n], 0x50000000 + 0x10000000ull * n, 0x10000000, &mem_ops, w);
    }
    device_register_reset(vpb_pci_reset, p);
    vpb_pci_reset(p);
    vmstate_register(&vpb_pci_vmsd, 0x10001000, p);
    return p;
}

PCIBus *versatile_pci_bus(VersatilePCI *p)
{
    return p->bus;
}
