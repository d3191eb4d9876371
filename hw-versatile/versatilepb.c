/*
 * versatilepb.c — the ARM Versatile PB board: its memory map, its
 * interrupt wiring and the kernel boot (ARM DUI 0224, "Versatile Platform
 * Baseboard for ARM926EJ-S User Guide", chapter 4 "Programmer's
 * Reference": memory map and interrupt sources; Linux's device-tree
 * bindings for the same board).
 *
 * Memory map (what is modelled):
 *   0x00000000  RAM, up to 256 MiB (-m; the devices start at 0x10000000)
 *   0x10000000  system registers                      (versatile-sysregs.c)
 *   0x10002000  I2C (SBCon) with a DS1338 RTC at 0x68     (versatile-i2c.c, ds1338.c)
 *   0x10003000  secondary interrupt controller, on VIC 31 (versatile-sic.c)
 *   0x10005000  MMCI0 (PL181) with the -sd card, SIC 22/23   (pl181.c, sd-card.c)
 *   0x1000b000  MMCI1 (PL181), an empty slot, SIC 1/2
 *   0x10006000  KMI0 (PL050) with a PS/2 keyboard, SIC 3  (pl050.c, ps2.c)
 *   0x10007000  KMI1 (PL050) with a PS/2 mouse, SIC 4
 *   0x10009000  UART3 (PL011), SIC 6
 *   0x10120000  CLCD (PL110, Versatile variant), VIC 16      (pl110.c)
 *   0x101e2000  timers 0/1 (SP804), VIC 4;  0x101e3000 timers 2/3, VIC 5
 *   0x101e8000  RTC (PL031), VIC 10
 *   0x101f1000  UART0/1/2 (PL011), VIC 12/13/14
 *   0x10140000  VIC (PL190), driving the cpu's IRQ and FIQ
 *   0x34000000  NOR flash, 64 MiB in 256 KiB blocks, CFI     (cfi-flash.c)
 * Placeholders (PrimeCell ID registers only, primecell-placeholder.c), so
 * a kernel's own device tree finds them and its drivers give up cleanly:
 *   0x10004000 AACI (PL041),
 *   0x1000a000 SCI1, 0x10130000 DMA (PL081), 0x10100000 SSMC (PL093),
 *   0x10110000 MPMC (PL176), 0x101e0000 system controller (SP810),
 *   0x101e1000 watchdog (SP805), 0x101e4000..0x101e7000 GPIO (PL061),
 *   0x101f0000 SCI0 (PL131), 0x101f4000 SSP (PL022).
 *   0x10001000  PCI host bridge, its windows at 0x41000000..0x7fffffff,
 *               PCI interrupts on SIC 27..30        (versatile-pci.c)
 *               with an LSI53C895A SCSI adapter and its -hda/-cdrom/-drive
 *               disks                  (hw-scsi/lsi53c895a.c, scsi-disk.c)
 * Unimplemented (reads 0, writes ignored, -d unimp logs them), because
 * the kernel's versatile-pb.dtb names them and an external abort in a
 * driver's probe would kill the boot: 0x10008000 character LCD, 0x10010000
 * Ethernet (SMC91C111).  Anything else is
 * unassigned: an access takes an external abort, as on the board.
 */
#include "hw-versatile/versatilepb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "hw-versatile/boot.h"
#include "hw-versatile/devices.h"
#include "hw-versatile/ps2.h"
#include "softmmu/net.h"
#include "hw-versatile/sd-card.h"
#include "hw-versatile/versatile-fdt.h"
#include "hw-versatile/versatile-pci.h"
#include "hw-scsi/lsi53c895a.h"
#include "hw-scsi/scsi-disk.h"
#include "softmmu/drive.h"
#include "softmmu/input.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define MiB (1024ull * 1024)

/* The SYS_ID the PB reports (manufacturer ARM, board HBI-0117 ... as the
 * guide's SYS_ID table describes) and the core tile's SYS_PROCID. */
#define VERSATILEPB_SYS_ID  0x41007004u
#define VERSATILEPB_PROC_ID 0x02000000u

typedef struct VersatilePB {
    Machine m;
    uint8_t *ram;
    uint64_t ram_size;
    ArmBootImage *boot;
    VersatileFdtConfig fdt_cfg;
} VersatilePB;

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

/* ---- unimplemented windows ---------------------------------------------- */

typedef struct Unimplemented {
    const char *name;
    uint64_t base;
} Unimplemented;

static uint64_t unimp_read(void *opaque, uint64_t offset, unsigned size)
{
    const Unimplemented *u = opaque;
    if (exec_log_enabled(LOG_UNIMP))
        exec_log("%s: unimplemented device read at 0x%llx (size %u)\n", u->name,
                 (unsigned long long)(u->base + offset), size);
    return 0;
}

static void unimp_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    const Unimplemented *u = opaque;
    if (exec_log_enabled(LOG_UNIMP))
        exec_log("%s: unimplemented device write 0x%llx at 0x%llx (size %u)\n", u->name,
                 (unsigned long long)value, (unsigned long long)(u->base + offset), size);
}

static const MemoryRegionOps unimp_ops = { .read = unimp_read, .write = unimp_write };

static void unimplemented(PhysMemory *pm, const char *name, uint64_t base, uint64_t size)
{
    Unimplemented *u = malloc(sizeof(*u));
    *u = (Unimplemented){ .name = name, .base = base };
    phys_add_mmio(pm, name, base, size, &unimp_ops, u);
}

/* ---- SCSI ------------------------------------------------------------------ */

static bool scsi_locked(void *dev) { return scsi_disk_locked(dev); }
static void scsi_eject(void *dev) { scsi_disk_eject(dev); }
static void scsi_insert(void *dev, BlockDriverState *bs, bool ro) { scsi_disk_insert(dev, bs, ro); }
static const DriveDeviceOps scsi_drive_ops = { scsi_locked, scsi_eject, scsi_insert };

static void guest_ejected(void *opaque)
{
    drive_guest_ejected(opaque);
}

/* The LSI53C895A on the PCI bus (always there, as on QEMU's versatilepb)
 * and the disks the command line put on it. */
static bool scsi_init(PCIBus *bus, char **err)
{
    LSI53C895A *lsi = lsi53c895a_new(bus, -1);
    DriveDevice plan[LSI_MAX_TARGETS + MAX_DRIVES];
    int n = drive_scsi_plan(plan, LSI_MAX_TARGETS + MAX_DRIVES, err);
    if (n < 0)
        return false;
    for (int i = 0; i < n; i++) {
        Drive *d = plan[i].drive;
        SCSIDevice *dev = scsi_disk_new(d ? d->bs : NULL, plan[i].cdrom, d ? d->read_only : true, d ? d->id : "");
        if (!lsi53c895a_attach(lsi, plan[i].scsi_id, dev)) {
            set_err(err, "SCSI id %d is already in use", plan[i].scsi_id);
            return false;
        }
        if (d) {
            scsi_disk_set_write_cache(dev, !d->writethrough);
            char where[64];
            snprintf(where, sizeof where, "lsi53c895a scsi-id %d", plan[i].scsi_id);
            drive_attach(d, where, &scsi_drive_ops, dev);
            scsi_disk_set_eject_notify(dev, guest_ejected, d);
        }
    }
    return true;
}

/* ---- the board ------------------------------------------------------------ */

static void boot_reset(void *opaque)
{
    VersatilePB *b = opaque;
    arm_boot_install(b->boot, b->ram, b->ram_size);
}

/* -M versatilepb,atags=on|off */
static bool parse_props(const char *props, bool *atags, char **err)
{
    *atags = false;
    if (!props || !*props)
        return true;
    char *copy = strdup(props), *save = NULL;
    bool ok = true;
    for (char *p = strtok_r(copy, ",", &save); p && ok; p = strtok_r(NULL, ",", &save)) {
        if (!strcmp(p, "atags=on") || !strcmp(p, "atags=yes") || !strcmp(p, "atags"))
            *atags = true;
        else if (!strcmp(p, "atags=off") || !strcmp(p, "atags=no"))
            *atags = false;
        else {
            set_err(err, "versatilepb: unknown machine property '%s' (the board has atags=on|off)", p);
            ok = false;
        }
    }
    free(copy);
    return ok;
}

/* input.h's keyboard sink: the KMI0 keyboard */
static void keyboard_scancode(void *opaque, const uint8_t *bytes, int n)
{
    ps2_keyboard_scancode(opaque, bytes, n);
}

/* input.h's mouse sink: the KMI1 mouse */
static void mouse_event(void *opaque, int dx, int dy, int dz, unsigned buttons)
{
    ps2_mouse_event(opaque, dx, -dy, dz, buttons);   /* PS/2 counts up as positive */
}

/* SYS_CLCD's mode bits drive the CLCD's 16 bpp multiplexer */
static void clcd_mode(void *opaque, unsigned mode)
{
    pl110_set_mux(opaque, mode);
}

static Machine *versatilepb_init(const MachineArgs *a, char **err)
{
    bool atags;
    if (!parse_props(a->props, &atags, err))
        return NULL;
    if (a->ram_size > 256 * MiB) {
        set_err(err, "versatilepb: RAM is at most 256 MiB (the devices start at 0x10000000)");
        return NULL;
    }
    VersatilePB *b = calloc(1, sizeof(*b));
    b->ram_size = a->ram_size;
    b->fdt_cfg.nic = a->nic;

    /* The kernel first: its errors are the user's most likely ones. */
    ArmBootConfig bc = {
        .kernel = a->kernel, .initrd = a->initrd, .dtb = a->dtb, .cmdline = a->append,
        .ram_base = 0, .ram_size = a->ram_size, .board_id = VERSATILEPB_BOARD_ID,
        .force_atags = atags, .make_dtb = versatile_fdt_build, .make_dtb_opaque = &b->fdt_cfg,
    };
    if (!(b->boot = arm_boot_prepare(&bc, err))) {
        free(b);
        return NULL;
    }

    SDCard *sd = NULL;
    if (a->sd_file && !(sd = sd_card_open(a->sd_file, a->sd_format, a->sd_readonly, err))) {
        arm_boot_free(b->boot);
        free(b);
        return NULL;
    }

    PhysMemory *pm = phys_memory_new();
    b->m.pm = pm;
    b->ram = phys_add_ram(pm, "versatile.ram", 0, a->ram_size);
    vmstate_register_ram("ram", 0, b->ram, a->ram_size);

    IRQLine cpu_irq, cpu_fiq;
    b->m.cpu = versatile_cpu_create(pm, a->cpu, &cpu_irq, &cpu_fiq, err);
    if (!b->m.cpu) {
        arm_boot_free(b->boot);
        phys_memory_free(pm);
        free(b);
        return NULL;
    }

    PL190 *vic = pl190_new(pm, 0x10140000, cpu_irq, cpu_fiq);
    VersatileSIC *sic = versatile_sic_new(pm, 0x10003000, vic, 31);
    VersatileSysregs *sysregs = versatile_sysregs_new(pm, 0x10000000, VERSATILEPB_SYS_ID, VERSATILEPB_PROC_ID);
    if (sd)   /* SYS_MCI: card present (and write protected) */
        versatile_sysregs_set_mci(sysregs, 1 | (a->sd_readonly ? 4 : 0));

    sp804_new(pm, 0x101e2000, pl190_input(vic, 4), 1000000);
    sp804_new(pm, 0x101e3000, pl190_input(vic, 5), 1000000);
    pl031_new(pm, 0x101e8000, pl190_input(vic, 10));

    pl011_new(pm, 0x101f1000, pl190_input(vic, 12), a->serial[0]);
    pl011_new(pm, 0x101f2000, pl190_input(vic, 13), a->serial[1]);
    pl011_new(pm, 0x101f3000, pl190_input(vic, 14), a->serial[2]);
    pl011_new(pm, 0x10009000, versatile_sic_input(sic, 6), a->serial[3]);

    PS2Device *kbd = ps2_keyboard_new();
    pl050_new(pm, 0x10006000, versatile_sic_input(sic, 3), kbd);
    input_register_keyboard(keyboard_scancode, kbd);   /* the monitor's sendkey */
    PS2Device *mouse = ps2_mouse_new();
    pl050_new(pm, 0x10007000, versatile_sic_input(sic, 4), mouse);
    input_register_mouse(mouse_event, mouse);   /* the window's and VNC's mouse */
    PL110 *clcd = pl110_new(pm, 0x10120000, pl190_input(vic, 16), PL110_VARIANT_VERSATILE);
    versatile_sysregs_on_clcd_mode(sysregs, clcd_mode, clcd);
    /* MMCI0 with the -sd card, MMCI1 an empty slot (as the device tree
     * wires them: SIC 22/23 and SIC 1/2) */
    pl181_new(pm, 0x10005000, versatile_sic_input(sic, 22), versatile_sic_input(sic, 23), sd);
    pl181_new(pm, 0x1000b000, versatile_sic_input(sic, 1), versatile_sic_input(sic, 2), NULL);
    ds1338_new(versatile_i2c_bus(versatile_i2c_new(pm, 0x10002000)), 0x68);

    static const struct {
        const char *name;
        uint32_t base, id;
    } placeholders[] = {
        { "aaci", 0x10004000, 0x00041041 },
        { "sci1", 0x1000a000, 0x00041131 },
        { "ssmc", 0x10100000, 0x00041093 },       { "mpmc", 0x10110000, 0x00041176 },
        { "dma", 0x10130000, 0x00041081 },
        { "sysctl", 0x101e0000, 0x00041810 },     { "watchdog", 0x101e1000, 0x00141805 },
        { "gpio0", 0x101e4000, 0x00041061 },      { "gpio1", 0x101e5000, 0x00041061 },
        { "gpio2", 0x101e6000, 0x00041061 },      { "gpio3", 0x101e7000, 0x00041061 },
        { "sci0", 0x101f0000, 0x00041131 },       { "ssp", 0x101f4000, 0x00041022 },
    };
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
        primecell_placeholder_new(pm, placeholders[i].name, placeholders[i].base, placeholders[i].id);

    const IRQLine pci_irqs[4] = { versatile_sic_input(sic, 27), versatile_sic_input(sic, 28),
                                  versatile_sic_input(sic, 29), versatile_sic_input(sic, 30) };
    if (!scsi_init(versatile_pci_bus(versatile_pci_new(pm, pci_irqs)), err))
        return NULL;
    unimplemented(pm, "char-lcd", 0x10008000, 0x1000);
    if (a->nic) {
        SMC91C111 *nic = smc91c111_new(pm, 0x10010000, pl190_input(vic, 25), a->nic_mac, "smc91c111.0");
        if (a->nic_backend)
            net_connect(smc91c111_net(nic), a->nic_backend);
    } else {
        unimplemented(pm, "smc91c111", 0x10010000, 0x10000);
    }
    cfi_flash_new(pm, 0x34000000, 64 * MiB, 256 * 1024);

    /* The images go into RAM now and again at every reset (after the
     * cpu's own reset has put pc at the stub). */
    device_register_reset(boot_reset, b);
    boot_reset(b);
    return &b->m;
}

static const char *const versatilepb_cpus[] = { "arm926", "arm1136", "arm1176", "cortex-a8", NULL };

const MachineClass versatilepb_machine = {
    .name = "versatilepb",
    .desc = "ARM Versatile/PB (ARM926EJ-S)",
    .default_ram_size = 128 * MiB,
    .max_ram_size = 256 * MiB,
    .max_ram_why = "the Versatile PB's devices start at 0x10000000",
    .default_cpu = "arm926",
    .cpus = versatilepb_cpus,
    .init = versatilepb_init,
};
