/*
 * pci.c — a conventional PCI bus (pci.h): configuration space with
 * write masks, BAR sizing (the guest writes all ones and reads back the
 * size mask, PCI 3.0 section 6.2.5.1), memory/I/O decoding by BAR, INTx.
 * Not modelled: multi-function devices, bridges behind the host bridge,
 * expansion ROMs, capabilities, MSI, parity and error reporting.
 */
#include "softmmu/pci.h"

#include <stdlib.h>
#include <string.h>

#include "softmmu/dma.h"
#include "softmmu/vmstate.h"

/* A function's state is its configuration space (COMMAND, the BARs the
 * guest assigned, INTERRUPT_LINE, ...) and its INTx level; the write
 * masks and BAR sizes are the device's make, the same in every run.
 * One section per slot, instance id = the slot (one bus per machine). */
static const VMStateField pci_fields[] = {
    VMS_FIELD(PCIDevice, config),
    VMS_FIELD(PCIDevice, irq_level),
    VMS_END
};

static const VMStateDescription pci_vmsd = {
    .name = "pci-function",
    .version = 1,
    .fields = pci_fields,
};

/* Every bus made, for the monitor's `info qtree`. */
#define MAX_PCI_BUSES 4
static PCIBus *buses[MAX_PCI_BUSES];

PCIBus *pci_bus_new(PhysMemory *dma_space, void (*set_irq)(void *, int, int, int), void *irq_opaque)
{
    PCIBus *b = calloc(1, sizeof(*b));
    if (!b)
        abort();
    b->dma_space = dma_space;
    b->set_irq = set_irq;
    b->irq_opaque = irq_opaque;
    for (int i = 0; i < MAX_PCI_BUSES; i++)
        if (!buses[i]) {
            buses[i] = b;
            break;
        }
    return b;
}

PCIBus *pci_bus_at(int i)
{
    return i >= 0 && i < MAX_PCI_BUSES ? buses[i] : NULL;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

bool pci_device_init(PCIDevice *d, PCIBus *bus, int slot, const char *name, uint16_t vendor,
                     uint16_t device, uint8_t revision, uint32_t class_code, int irq_pin)
{
    if (slot < 0) {
        for (slot = 1; slot < PCI_SLOTS && bus->slots[slot]; slot++)
            ;
    }
    if (slot >= PCI_SLOTS || bus->slots[slot])
        return false;
    memset(d->config, 0, sizeof(d->config));
    memset(d->wmask, 0, sizeof(d->wmask));
    d->bus = bus;
    d->slot = slot;
    d->name = name;
    put16(d->config + PCI_VENDOR_ID, vendor);
    put16(d->config + PCI_DEVICE_ID, device);
    d->config[PCI_REVISION_ID] = revision;
    d->config[PCI_CLASS_PROG] = class_code;
    d->config[PCI_CLASS_PROG + 1] = class_code >> 8;
    d->config[PCI_CLASS_PROG + 2] = class_code >> 16;
    d->config[PCI_INTERRUPT_PIN] = irq_pin;
    /* COMMAND: I/O, memory, bus master, memory-write-and-invalidate,
     * parity, SERR, interrupt disable */
    put16(d->wmask + PCI_COMMAND, 0x0547);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[PCI_LATENCY_TIMER] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    bus->slots[slot] = d;
    vmstate_register(&pci_vmsd, slot, d);
    return true;
}

void pci_register_bar(PCIDevice *d, int n, PCIBarKind kind, uint32_t size,
                      const MemoryRegionOps *ops, void *opaque)
{
    d->bars[n] = (PCIBar){ .kind = kind, .size = size, .ops = ops, .opaque = opaque };
    put32(d->config + PCI_BAR0 + 4 * n, kind == PCI_BAR_IO ? 1 : 0);
    put32(d->wmask + PCI_BAR0 + 4 * n, ~(size - 1) & (kind == PCI_BAR_IO ? ~3u : ~15u));
}

void pci_device_reset(PCIDevice *d)
{
    put16(d->config + PCI_COMMAND, 0);
    put16(d->config + PCI_STATUS, 0);
    for (int n = 0; n < PCI_NUM_BARS; n++)
        if (d->bars[n].kind)
            put32(d->config + PCI_BAR0 + 4 * n, d->bars[n].kind == PCI_BAR_IO ? 1 : 0);
    d->config[PCI_INTERRUPT_LINE] = 0;
    pci_set_irq(d, 0);
}

void pci_set_irq(PCIDevice *d, int level)
{
    int pin = d->config[PCI_INTERRUPT_PIN];
    if (!pin || d->irq_level == level)
        return;
    d->irq_level = level;
    if (d->bus->set_irq)
        d->bus->set_irq(d->bus->irq_opaque, d->slot, pin, level);
}

uint32_t pci_bar_address(const PCIDevice *d, int n)
{
    const PCIBar *b = &d->bars[n];
    uint16_t cmd = d->config[PCI_COMMAND] | d->config[PCI_COMMAND + 1] << 8;
    if (!b->kind || !(cmd & (b->kind == PCI_BAR_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)))
        return ~0u;
    uint32_t v = get32(d->config + PCI_BAR0 + 4 * n) & ~(b->size - 1) & (b->kind == PCI_BAR_IO ? ~3u : ~15u);
    /* 0 is "not assigned" (Linux leaves unassigned BARs there) */
    return v ? v : ~0u;
}

static PCIDevice *config_target(PCIBus *bus, uint32_t addr)
{
    unsigned busnr = (addr >> 16) & 0xff, devfn = (addr >> 8) & 0xff;
    if (busnr != 0 || (devfn & 7))
        return NULL;
    return bus->slots[devfn >> 3];
}

uint32_t pci_config_read(PCIBus *bus, uint32_t addr, unsigned size)
{
    PCIDevice *d = config_target(bus, addr);
    unsigned reg = addr & 0xff;
    if (!d || reg + size > 256)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)d->config[reg + i] << (8 * i);
    return v;
}

void pci_config_write(PCIBus *bus, uint32_t addr, uint32_t value, unsigned size)
{
    PCIDevice *d = config_target(bus, addr);
    unsigned reg = addr & 0xff;
    if (!d || reg + size > 256)
        return;
    for (unsigned i = 0; i < size; i++) {
        uint8_t m = d->wmask[reg + i], b = value >> (8 * i);
        d->config[reg + i] = (d->config[reg + i] & ~m) | (b & m);
    }
    if (d->config_written)
        d->config_written(d, reg, size);
}

bool pci_mem_access(PCIBus *bus, bool io, uint32_t addr, uint64_t *value, unsigned size, bool write)
{
    for (int s = 0; s < PCI_SLOTS; s++) {
        PCIDevice *d = bus->slots[s];
        if (!d)
            continue;
        for (int n = 0; n < PCI_NUM_BARS; n++) {
            const PCIBar *b = &d->bars[n];
            if (b->kind != (io ? PCI_BAR_IO : PCI_BAR_MEM))
                continue;
            uint32_t base = pci_bar_address(d, n);
            if (base == ~0u || addr < base || addr - base + size > b->size)
                continue;
            if (write)
                b->ops->write(b->opaque, addr - base, *value, size);
            else
                *value = b->ops->read(b->opaque, addr - base, size);
            return true;
        }
    }
    if (!write)
        *value = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    return false;
}

static bool master_enabled(const PCIDevice *d)
{
    return d->config[PCI_COMMAND] & PCI_COMMAND_MASTER;
}

bool pci_dma_read(PCIDevice *d, uint64_t addr, void *buf, uint32_t len)
{
    if (!master_enabled(d)) {
        memset(buf, 0xff, len);
        return false;
    }
    return dma_read(d->bus->dma_space, addr, buf, len);
}

bool pci_dma_write(PCIDevice *d, uint64_t addr, const void *buf, uint32_t len)
{
    if (!master_enabled(d))
        return false;
    return dma_write(d->bus->dma_space, addr, buf, len);
}
