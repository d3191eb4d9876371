/*
 * pci.h — a conventional PCI bus: 32 slots of single-function devices,
 * each with a 256-byte configuration space (PCI Local Bus Specification
 * 3.0, chapter 6), base address registers and an INTx pin.
 *
 * The host bridge (a board's part, e.g. hw-versatile/versatile-pci.c)
 * turns cpu accesses into configuration cycles (pci_config_read/write),
 * memory and I/O cycles (pci_mem_read/write, pci_io_read/write: the bus
 * finds the device whose enabled BAR decodes the address) and routes the
 * devices' INTx pins to its interrupt lines (PCIBus.map_irq).
 *
 * A device's BARs can move whenever the guest writes them, so they are
 * not regions of the physical address space: the host bridge's windows
 * are, and they dispatch through the bus.  All calls run with the machine
 * lock held (softmmu/device.h).
 */
#ifndef VEMU_SOFTMMU_PCI_H
#define VEMU_SOFTMMU_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/irq.h"
#include "softmmu/memory.h"

#define PCI_SLOTS 32
#define PCI_NUM_BARS 6

/* configuration-space offsets (PCI 3.0, 6.1) */
enum {
    PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
    PCI_REVISION_ID = 0x08, PCI_CLASS_PROG = 0x09, PCI_CACHE_LINE_SIZE = 0x0c,
    PCI_LATENCY_TIMER = 0x0d, PCI_HEADER_TYPE = 0x0e, PCI_BAR0 = 0x10,
    PCI_SUBSYSTEM_VENDOR_ID = 0x2c, PCI_SUBSYSTEM_ID = 0x2e,
    PCI_INTERRUPT_LINE = 0x3c, PCI_INTERRUPT_PIN = 0x3d,
};
enum { PCI_COMMAND_IO = 1, PCI_COMMAND_MEMORY = 2, PCI_COMMAND_MASTER = 4 };

typedef enum { PCI_BAR_NONE = 0, PCI_BAR_IO, PCI_BAR_MEM } PCIBarKind;

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

typedef struct PCIBar {
    PCIBarKind kind;
    uint32_t size;                 /* a power of two */
    const MemoryRegionOps *ops;    /* offsets are relative to the BAR */
    void *opaque;
} PCIBar;

struct PCIDevice {
    PCIBus *bus;
    int slot;
    const char *name;
    uint8_t config[256];
    uint8_t wmask[256];            /* bits the guest may write */
    PCIBar bars[PCI_NUM_BARS];
    int irq_level;
    /* Optional hooks after a config write (e.g. to notice COMMAND). */
    void (*config_written)(PCIDevice *d, unsigned offset, unsigned size);
};

struct PCIBus {
    PCIDevice *slots[PCI_SLOTS];
    PhysMemory *dma_space;         /* where bus-master cycles go (see pci_dma_*) */
    /* The bridge's routing of slot's pin (1 = INTA .. 4 = INTD) to a line. */
    void (*set_irq)(void *opaque, int slot, int pin, int level);
    void *irq_opaque;
};

PCIBus *pci_bus_new(PhysMemory *dma_space, void (*set_irq)(void *, int, int, int), void *irq_opaque);
/* The i-th bus made (NULL past the last): `info qtree`. */
PCIBus *pci_bus_at(int i);

/* Fills the header of a type-0 function: ids, class (24-bit class code),
 * interrupt pin (0: none).  Plugs it into slot (-1: the first free one at
 * or after 1).  False when the slot is taken. */
bool pci_device_init(PCIDevice *d, PCIBus *bus, int slot, const char *name, uint16_t vendor,
                     uint16_t device, uint8_t revision, uint32_t class_code, int irq_pin);
void pci_register_bar(PCIDevice *d, int n, PCIBarKind kind, uint32_t size,
                      const MemoryRegionOps *ops, void *opaque);
/* Asserts or releases the function's INTx pin. */
void pci_set_irq(PCIDevice *d, int level);
/* A BAR's current bus address (~0u: not decoded: disabled or unassigned). */
uint32_t pci_bar_address(const PCIDevice *d, int n);
/* Power-on state of the header (BARs and COMMAND cleared). */
void pci_device_reset(PCIDevice *d);

/* Configuration cycles: addr = bus << 16 | devfn << 8 | register.  An
 * empty slot reads all ones. */
uint32_t pci_config_read(PCIBus *bus, uint32_t addr, unsigned size);
void pci_config_write(PCIBus *bus, uint32_t addr, uint32_t value, unsigned size);

/* Memory and I/O cycles at a bus address; false when no BAR decodes it
 * (a master abort: reads give all ones). */
bool pci_mem_access(PCIBus *bus, bool io, uint32_t addr, uint64_t *value, unsigned size, bool write);

/* Bus-master DMA by a device (COMMAND.MASTER must be set; false if not
 * or the range is unassigned). */
bool pci_dma_read(PCIDevice *d, uint64_t addr, void *buf, uint32_t len);
bool pci_dma_write(PCIDevice *d, uint64_t addr, const void *buf, uint32_t len);

#endif
