/*
 * monitor-qtree.c — HMP `info qtree`: the machine's devices as a tree of
 * buses, in the layout of QEMU's listing:
 *   bus: main-system-bus         every device with registers in the
 *     dev: NAME, id ""           physical address map, with its windows
 *       mmio BASE/SIZE           ("mmio" lines, address order);
 *       bus: pci                 under the PCI host bridge (its windows
 *         dev: NAME, id ""       are the "pci-" regions), each function
 *           addr = SS.F          with its ids, class and BARs as the
 *           bar N: ...           guest programmed them;
 *           bus: scsi.0          under the SCSI adapter, each disk and
 *             dev: scsi-hd       CD-ROM with its drive and SCSI id.
 * Built from what the machine already records (the memory map, the PCI
 * buses, the drives' attachments), so it cannot drift from the devices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/drive.h"
#include "softmmu/memory.h"
#include "softmmu/monitor-qtree.h"
#include "softmmu/pci.h"
#include "softmmu/tlb.h"

typedef struct QtreeWalk {
    MonOut *out;
    bool bridge_done;       /* the PCI host bridge's windows seen: list it last */
} QtreeWalk;

static void class_name(uint32_t class24, char *buf, size_t n)
{
    switch (class24 >> 8) {
    case 0x0100: snprintf(buf, n, "SCSI controller"); break;
    case 0x0200: snprintf(buf, n, "Ethernet controller"); break;
    case 0x0300: snprintf(buf, n, "VGA controller"); break;
    case 0x0600: snprintf(buf, n, "Host bridge"); break;
    default: snprintf(buf, n, "Class %04x", class24 >> 8); break;
    }
}

static uint16_t cfg16(const PCIDevice *d, unsigned off) { return (uint16_t)(d->config[off] | d->config[off + 1] << 8); }

/* The disks and CD-ROMs attached to SCSI id N of an adapter ("lsi53c895a scsi-id N"). */
static void scsi_bus(MonOut *out, const char *adapter, const char *indent)
{
    bool any = false;
    for (int i = 0; i < drive_count(); i++) {
        const Drive *d = drive_at(i);
        size_t n = strlen(adapter);
        if (strncmp(d->attached_to, adapter, n) || strncmp(d->attached_to + n, " scsi-id ", 9))
            continue;
        if (!any) {
            monout_printf(out, "%sbus: scsi.0\n%s  type SCSI\n", indent, indent);
            any = true;
        }
        monout_printf(out, "%s  dev: %s, id \"%s\"\n", indent, d->cdrom ? "scsi-cd" : "scsi-hd",
                      d->claimed ? d->id : "");
        monout_printf(out, "%s    drive = \"%s\"\n", indent, d->id);
        monout_printf(out, "%s    scsi-id = %s\n", indent, d->attached_to + n + 9);
        monout_printf(out, "%s    lun = 0\n", indent);
        monout_printf(out, "%s    removable = %s\n", indent, d->cdrom ? "true" : "false");
    }
}

static void pci_buses(MonOut *out)
{
    for (int b = 0; pci_bus_at(b); b++) {
        PCIBus *bus = pci_bus_at(b);
        monout_printf(out, "    bus: pci\n      type PCI\n");
        for (int s = 0; s < PCI_SLOTS; s++) {
            PCIDevice *d = bus->slots[s];
            if (!d)
                continue;
            uint32_t class24 = d->config[9] | d->config[10] << 8 | (uint32_t)d->config[11] << 16;
            monout_printf(out, "      dev: %s, id \"\"\n", d->name);
            monout_printf(out, "        addr = %02x.0\n", d->slot);
            monout_printf(out, "        multifunction = false\n");
            char cls[32];
            class_name(class24, cls, sizeof cls);
            monout_printf(out, "        class %s, addr 00:%02x.0, pci id %04x:%04x (sub %04x:%04x)\n",
                          cls, d->slot, cfg16(d, 0), cfg16(d, 2), cfg16(d, 0x2c), cfg16(d, 0x2e));
            for (int n = 0; n < PCI_NUM_BARS; n++) {
                const PCIBar *bar = &d->bars[n];
                if (bar->kind == PCI_BAR_NONE)
                    continue;
                uint32_t a = pci_bar_address(d, n);
                monout_printf(out, "        bar %d: %s at 0x%x [0x%x]\n", n, bar->kind == PCI_BAR_IO ? "i/o" : "mem", a,
                              a + bar->size - 1);
            }
            scsi_bus(out, d->name, "        ");
        }
    }
}

static void region(void *opaque, const char *name, uint64_t base, uint64_t size)
{
    QtreeWalk *w = opaque;
    if (!strncmp(name, "pci-", 4)) {
        w->bridge_done = true;       /* the host bridge: listed last, with its buses */
        return;
    }
    monout_printf(w->out, "  dev: %s, id \"\"\n    mmio %016llx/%016llx\n", name, (unsigned long long)base,
                  (unsigned long long)size);
}

static void bridge_window(void *opaque, const char *name, uint64_t base, uint64_t size)
{
    QtreeWalk *w = opaque;
    if (!strncmp(name, "pci-", 4))
        monout_printf(w->out, "    mmio %016llx/%016llx\n", (unsigned long long)base, (unsigned long long)size);
}

int hmp_info_qtree(CPUCommon *cpu, MonOut *out)
{
    const PhysMemory *pm = tlb_cpu_phys(cpu);
    QtreeWalk w = { .out = out };
    monout_printf(out, "bus: main-system-bus\n  type System\n");
    /* every device but the bridge, then the bridge with its windows and buses */
    phys_memory_foreach_mmio(pm, region, &w);
    if (w.bridge_done) {
        monout_printf(out, "  dev: versatile_pci, id \"\"\n");
        phys_memory_foreach_mmio(pm, bridge_window, &w);
        pci_buses(out);
    }
    return 0;
}
