/*
 * versatile-pci.h — the Versatile PB's PCI host bridge (versatile-pci.c).
 */
#ifndef VEMU_HW_VERSATILE_PCI_H
#define VEMU_HW_VERSATILE_PCI_H

#include "softmmu/irq.h"
#include "softmmu/memory.h"
#include "softmmu/pci.h"

typedef struct VersatilePCI VersatilePCI;

/* Places the bridge's windows in pm; irq[0..3] are SIC 27..30. */
VersatilePCI *versatile_pci_new(PhysMemory *pm, const IRQLine irq[4]);
PCIBus *versatile_pci_bus(VersatilePCI *p);

#endif
