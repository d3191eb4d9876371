/*
 * versatile-fdt.c — vemu's own device tree for the Versatile PB.
 *
 * It names what versatilepb.c builds, with the compatibles and interrupt
 * numbers Linux's bindings use for this board (the facts come from ARM's
 * Versatile PB user guide, DUI 0224, and the kernel's binding documents;
 * the tree is written here, node by node):
 *   - the system registers at 0x10000000, seen twice as on the real board:
 *     as the core module's syscon ("arm,core-module-versatile": reboot,
 *     and how arch/arm/mach-versatile finds the registers) and as the FPGA
 *     sysreg ("arm,versatile-sysreg": the 24 MHz counter is sched_clock);
 *   - the PL190 VIC and the secondary controller (cascaded on VIC 31);
 *   - two SP804s (VIC 4, 5) clocked at 1 MHz, the PL031 RTC (VIC 10);
 *   - four PL011s: VIC 12, 13, 14 and the fourth on SIC 6;
 *   - the PL050 KMIs (SIC 3, 4) with their keyboard and mouse;
 *   - the I2C bus (SBCon) with the DS1338 clock at 0x68;
 *   - the CFI NOR flash at 0x34000000;
 *   - the PL181 MMCs (SIC 22/23, 1/2): placeholders, which their driver
 *     probes and gives up on cleanly (the MMC asks the system registers
 *     for a card and finds none).
 *   - the PCI host bridge at 0x10001000 ("arm,versatile-pci": config
 *     windows, I/O and memory ranges, the slots' INTA..D on SIC 27..30
 *     rotated by slot, as the board's interrupt-map says).
 *   - the PL110 CLCD (VIC 16) clocked by the core module's OSC4 (the
 *     "auxosc" ICST the clock driver programs through the syscon), its
 *     output going, as on the board (DUI 0225D figure 3-19), both to the
 *     Versatile panel connector (the panel driver asks SYS_CLCD which
 *     panel is fitted: none, the VGA id) and through the THS8134 VGA DAC
 *     to a VGA connector; the same graph as the kernel's versatile-ab.dts.
 * The other placeholders of the
 * board (GPIO, DMA, SSP, AACI, SCI, the system controller, ...) too: the
 * board places them for kernels that bring their own tree, but no driver
 * needs to see them.
 * Clocks: a 24 MHz crystal, the timers' 1 MHz and the APB clock.
 */
#include "hw-versatile/versatile-fdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    PH_VIC = 1, PH_SIC, PH_XTAL, PH_TIMCLK, PH_PCLK, PH_UART0,
    /* the CLCD's graph: its two output endpoints, the VGA DAC bridge's
     * ports, the connector and the panel; the CLCD clock */
    PH_OSC1, PH_CLCD_PANEL, PH_CLCD_VGA, PH_BRIDGE_IN, PH_BRIDGE_OUT, PH_VGA_IN, PH_PANEL_IN,
};

#define TRY(call)              \
    do {                       \
        if ((r = (call)) != 0) \
            goto bad;          \
    } while (0)

static int prop_cells(void *fdt, const char *name, const uint32_t *v, int n)
{
    uint32_t be[8];
    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(v[i]);
    return fdt_property(fdt, name, be, 4 * n);
}
#define CELLS(fdt, name, ...) \
    prop_cells(fdt, name, (const uint32_t[]){ __VA_ARGS__ }, sizeof((uint32_t[]){ __VA_ARGS__ }) / 4)

/* "a\0b\0": a string list property. */
static int prop_strings(void *fdt, const char *name, const char *const *s, int n)
{
    char buf[256];
    int len = 0;
    for (int i = 0; i < n; i++)
        len += snprintf(buf + len, sizeof(buf) - len, "%s", s[i]) + 1;
    return fdt_property(fdt, name, buf, len);
}
#define STRINGS(fdt, name, ...) \
    prop_strings(fdt, name, (const char *const[]){ __VA_ARGS__ }, \
                 sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static int begin(void *fdt, const char *name, uint64_t addr)
{
    char node[64];
    snprintf(node, sizeof(node), "%s@%llx", name, (unsigned long long)addr);
    return fdt_begin_node(fdt, node);
}

/* A PrimeCell on the AMBA bus: compatible, reg, one interrupt on the
 * VIC (sic_irq < 0) or on the SIC. */
static int primecell(void *fdt, const char *name, const char *part, uint32_t base, int vic_irq,
                     const int *sic_irqs, int nsic)
{
    int r;
    TRY(begin(fdt, name, base));
    if (part)
        TRY(STRINGS(fdt, "compatible", part, "arm,primecell"));
    else
        TRY(fdt_property_string(fdt, "compatible", "arm,primecell"));
    TRY(CELLS(fdt, "reg", base, 0x1000));
    if (vic_irq >= 0) {
        TRY(CELLS(fdt, "interrupts", vic_irq));
    } else if (nsic == 1) {
        TRY(CELLS(fdt, "interrupt-parent", PH_SIC));
        TRY(CELLS(fdt, "interrupts", sic_irqs[0]));
    } else if (nsic == 2) {
        TRY(CELLS(fdt, "interrupts-extended", PH_SIC, sic_irqs[0], PH_SIC, sic_irqs[1]));
    }
    return 0;
bad:
    return r;
}

static int uart(void *fdt, uint32_t base, int vic_irq, int sic_irq, uint32_t phandle)
{
    int r;
    TRY(primecell(fdt, "uart", "arm,pl011", base, vic_irq, &sic_irq, vic_irq < 0));
    TRY(CELLS(fdt, "clocks", PH_XTAL, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "uartclk", "apb_pclk"));
    if (phandle)
        TRY(CELLS(fdt, "phandle", phandle));
    return fdt_end_node(fdt);
bad:
    return r;
}

/* The PCI host bridge (versatile-pci.c): reg is the control registers and
 * the two configuration windows; ranges the I/O and memory windows. */
static int pci_node(void *fdt)
{
    int r;
    TRY(begin(fdt, "pci", 0x10001000));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-pci"));
    TRY(fdt_property_string(fdt, "device_type", "pci"));
    TRY(CELLS(fdt, "reg", 0x10001000, 0x1000, 0x41000000, 0x10000, 0x42000000, 0x100000));   /* 6 cells */
    TRY(CELLS(fdt, "bus-range", 0, 0xff));
    TRY(CELLS(fdt, "#address-cells", 3));
    TRY(CELLS(fdt, "#size-cells", 2));
    TRY(CELLS(fdt, "#interrupt-cells", 1));
    static const uint32_t ranges[] = {
        0x01000000, 0, 0x00000000, 0x43000000, 0, 0x00010000,   /* I/O */
        0x02000000, 0, 0x50000000, 0x50000000, 0, 0x10000000,   /* memory */
        0x42000000, 0, 0x60000000, 0x60000000, 0, 0x10000000,   /* prefetchable memory */
    };
    uint32_t rbe[18];              /* prop_cells takes at most 8 */
    for (int i = 0; i < 18; i++)
        rbe[i] = cpu_to_fdt32(ranges[i]);
    TRY(fdt_property(fdt, "ranges", rbe, sizeof rbe));
    TRY(CELLS(fdt, "interrupt-map-mask", 0x1800, 0, 0, 7));
    uint32_t map[16 * 6];
    int n = 0;
    for (int slot = 3; slot >= 0; slot--)
        for (int pin = 1; pin <= 4; pin++) {
            map[n++] = slot << 11, map[n++] = 0, map[n++] = 0, map[n++] = pin;
            map[n++] = PH_SIC;
            map[n++] = 27 + ((slot + pin + 1) & 3);   /* slot 0 INTA: SIC 29 */
        }
    uint32_t be[16 * 6];
    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(map[i]);
    TRY(fdt_property(fdt, "interrupt-map", be, 4 * n));
    return fdt_end_node(fdt);
bad:
    return r;
}

/* A graph port (number n, or a lone "port" when n < 0) holding one
 * endpoint (phandle self) linked to remote. */
static int endpoint_port(void *fdt, int n, uint32_t self, uint32_t remote)
{
    int r;
    char name[16];
    snprintf(name, sizeof(name), n < 0 ? "port" : "port@%d", n);
    TRY(fdt_begin_node(fdt, name));
    if (n >= 0)
        TRY(CELLS(fdt, "reg", (uint32_t)n));
    TRY(fdt_begin_node(fdt, "endpoint"));
    TRY(CELLS(fdt, "remote-endpoint", remote));
    TRY(CELLS(fdt, "phandle", self));
    TRY(fdt_end_node(fdt));
    return fdt_end_node(fdt);
bad:
    return r;
}

/* One of the CLCD's output endpoints (in its port@0). */
static int clcd_endpoint(void *fdt, uint32_t n, uint32_t self, uint32_t remote)
{
    int r;
    TRY(begin(fdt, "endpoint", n));
    TRY(CELLS(fdt, "reg", n));
    TRY(CELLS(fdt, "remote-endpoint", remote));
    TRY(CELLS(fdt, "arm,pl11x,tft-r0g0b0-pads", 0, 8, 16));
    TRY(CELLS(fdt, "phandle", self));
    return fdt_end_node(fdt);
bad:
    return r;
}

static int build(void *fdt, int cap, uint64_t ram_size, bool nic)
{
    int r;
    TRY(fdt_create(fdt, cap));
    TRY(fdt_finish_reservemap(fdt));
    TRY(fdt_begin_node(fdt, ""));
    TRY(fdt_property_string(fdt, "model", "ARM Versatile PB (vemu)"));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-pb"));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 1));
    TRY(CELLS(fdt, "interrupt-parent", PH_VIC));

    TRY(fdt_begin_node(fdt, "aliases"));
    TRY(fdt_property_string(fdt, "serial0", "/amba/uart@101f1000"));
    TRY(fdt_property_string(fdt, "serial1", "/amba/uart@101f2000"));
    TRY(fdt_property_string(fdt, "serial2", "/amba/uart@101f3000"));
    TRY(fdt_property_string(fdt, "serial3", "/amba/fpga/uart@10009000"));
    TRY(fdt_end_node(fdt));

    TRY(fdt_begin_node(fdt, "chosen"));
    TRY(fdt_property_string(fdt, "stdout-path", "serial0:115200n8"));
    TRY(fdt_end_node(fdt));

    TRY(fdt_begin_node(fdt, "memory"));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    TRY(CELLS(fdt, "reg", 0, (uint32_t)ram_size));
    TRY(fdt_end_node(fdt));

    /* Clocks: the 24 MHz crystal; the timers' 1 MHz (TIMCLK, selected by
     * the system controller) and the APB bus clock derive from it. */
    TRY(fdt_begin_node(fdt, "xtal24mhz"));
    TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
    TRY(CELLS(fdt, "#clock-cells", 0));
    TRY(CELLS(fdt, "clock-frequency", 24000000));
    TRY(CELLS(fdt, "phandle", PH_XTAL));
    TRY(fdt_end_node(fdt));
    TRY(fdt_begin_node(fdt, "timclk"));
    TRY(fdt_property_string(fdt, "compatible", "fixed-factor-clock"));
    TRY(CELLS(fdt, "#clock-cells", 0));
    TRY(CELLS(fdt, "clock-div", 24));
    TRY(CELLS(fdt, "clock-mult", 1));
    TRY(CELLS(fdt, "clocks", PH_XTAL));
    TRY(CELLS(fdt, "phandle", PH_TIMCLK));
    TRY(fdt_end_node(fdt));
    TRY(fdt_begin_node(fdt, "pclk"));
    TRY(fdt_property_string(fdt, "compatible", "fixed-factor-clock"));
    TRY(CELLS(fdt, "#clock-cells", 0));
    TRY(CELLS(fdt, "clock-div", 1));
    TRY(CELLS(fdt, "clock-mult", 1));
    TRY(CELLS(fdt, "clocks", PH_XTAL));
    TRY(CELLS(fdt, "phandle", PH_PCLK));
    TRY(fdt_end_node(fdt));

    /* The CLCD's VGA DAC and connector (a graph of ports and endpoints). */
    TRY(fdt_begin_node(fdt, "bridge"));
    TRY(STRINGS(fdt, "compatible", "ti,ths8134b", "ti,ths8134"));
    TRY(fdt_begin_node(fdt, "ports"));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 0));
    TRY(endpoint_port(fdt, 0, PH_BRIDGE_IN, PH_CLCD_VGA));
    TRY(endpoint_port(fdt, 1, PH_BRIDGE_OUT, PH_VGA_IN));
    TRY(fdt_end_node(fdt));   /* ports */
    TRY(fdt_end_node(fdt));   /* bridge */
    TRY(fdt_begin_node(fdt, "vga"));
    TRY(fdt_property_string(fdt, "compatible", "vga-connector"));
    TRY(endpoint_port(fdt, -1, PH_VGA_IN, PH_BRIDGE_OUT));
    TRY(fdt_end_node(fdt));

    /* The system registers as the core module's syscon, with OSC4 (the
     * CLCD clock) as the clock driver's "auxosc". */
    TRY(begin(fdt, "core-module", 0x10000000));
    TRY(STRINGS(fdt, "compatible", "arm,core-module-versatile", "syscon", "simple-mfd"));
    TRY(CELLS(fdt, "reg", 0x10000000, 0x200));
    TRY(fdt_begin_node(fdt, "cm_aux_osc"));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-cm-auxosc"));
    TRY(CELLS(fdt, "#clock-cells", 0));
    TRY(CELLS(fdt, "clocks", PH_XTAL));
    TRY(CELLS(fdt, "phandle", PH_OSC1));
    TRY(fdt_end_node(fdt));
    TRY(fdt_end_node(fdt));

    /* The bit-banged I2C bus with the DS1338 clock on it. */
    TRY(begin(fdt, "i2c", 0x10002000));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-i2c"));
    TRY(CELLS(fdt, "reg", 0x10002000, 0x1000));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 0));
    TRY(begin(fdt, "rtc", 0x68));
    TRY(fdt_property_string(fdt, "compatible", "dallas,ds1338"));
    TRY(CELLS(fdt, "reg", 0x68));
    TRY(fdt_end_node(fdt));
    TRY(fdt_end_node(fdt));

    /* The 64 MiB NOR flash, one x32 chip (the "arm,versatile-flash" part
     * of Linux's driver sets the write-protect through the syscon). */
    TRY(begin(fdt, "flash", 0x34000000));
    TRY(STRINGS(fdt, "compatible", "arm,versatile-flash", "cfi-flash"));
    TRY(CELLS(fdt, "reg", 0x34000000, 0x04000000));
    TRY(CELLS(fdt, "bank-width", 4));
    TRY(fdt_end_node(fdt));

    /* The Ethernet chip sits beside the AMBA bus, on the VIC (as in
     * Linux's versatile-ab.dts): only when the command line gave a NIC. */
    if (nic) {
        TRY(begin(fdt, "net", 0x10010000));
        TRY(fdt_property_string(fdt, "compatible", "smsc,lan91c111"));
        TRY(CELLS(fdt, "reg", 0x10010000, 0x10000));
        TRY(CELLS(fdt, "interrupt-parent", PH_VIC));
        TRY(CELLS(fdt, "interrupts", 25));
        TRY(fdt_end_node(fdt));
    }

    TRY(fdt_begin_node(fdt, "amba"));
    TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 1));
    TRY(fdt_property(fdt, "ranges", NULL, 0));

    TRY(begin(fdt, "interrupt-controller", 0x10140000));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-vic"));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(CELLS(fdt, "#interrupt-cells", 1));
    TRY(CELLS(fdt, "reg", 0x10140000, 0x1000));
    TRY(CELLS(fdt, "valid-mask", 0xffffffff));
    TRY(CELLS(fdt, "phandle", PH_VIC));
    TRY(fdt_end_node(fdt));

    TRY(begin(fdt, "interrupt-controller", 0x10003000));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-sic"));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(CELLS(fdt, "#interrupt-cells", 1));
    TRY(CELLS(fdt, "reg", 0x10003000, 0x1000));
    TRY(CELLS(fdt, "interrupt-parent", PH_VIC));
    TRY(CELLS(fdt, "interrupts", 31));
    TRY(CELLS(fdt, "clear-mask", 0xffffffff));
    /* the PB's SIC sources (user guide DUI 0224, "Secondary interrupt controller") */
    TRY(CELLS(fdt, "valid-mask", 0x7fe003ff));
    TRY(CELLS(fdt, "phandle", PH_SIC));
    TRY(fdt_end_node(fdt));

    TRY(uart(fdt, 0x101f1000, 12, 0, PH_UART0));
    TRY(uart(fdt, 0x101f2000, 13, 0, 0));
    TRY(uart(fdt, 0x101f3000, 14, 0, 0));

    for (uint32_t base = 0x101e2000; base <= 0x101e3000; base += 0x1000) {
        TRY(primecell(fdt, "timer", "arm,sp804", base, base == 0x101e2000 ? 4 : 5, NULL, 0));
        TRY(CELLS(fdt, "clocks", PH_TIMCLK, PH_TIMCLK, PH_PCLK));
        TRY(STRINGS(fdt, "clock-names", "timer0", "timer1", "apb_pclk"));
        TRY(fdt_end_node(fdt));
    }

    /* The CLCD: 800x600 at 16 bpp fits its bus bandwidth, as the kernel's
     * tree says; both outputs with the board's pad wiring (R0 G0 B0 on
     * pads 0, 8, 16). */
    TRY(primecell(fdt, "display", "arm,pl110", 0x10120000, 16, NULL, 0));
    TRY(CELLS(fdt, "clocks", PH_OSC1, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "clcdclk", "apb_pclk"));
    TRY(CELLS(fdt, "max-memory-bandwidth", 54000000));
    TRY(fdt_begin_node(fdt, "port@0"));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 0));
    TRY(clcd_endpoint(fdt, 0, PH_CLCD_PANEL, PH_PANEL_IN));
    TRY(clcd_endpoint(fdt, 1, PH_CLCD_VGA, PH_BRIDGE_IN));
    TRY(fdt_end_node(fdt));   /* port@0 */
    TRY(fdt_end_node(fdt));   /* display */

    TRY(primecell(fdt, "rtc", "arm,pl031", 0x101e8000, 10, NULL, 0));
    TRY(CELLS(fdt, "clocks", PH_PCLK));
    TRY(fdt_property_string(fdt, "clock-names", "apb_pclk"));
    TRY(fdt_end_node(fdt));

    /* The FPGA's peripherals, 0x10000000..0x1000ffff. */
    TRY(fdt_begin_node(fdt, "fpga"));
    TRY(STRINGS(fdt, "compatible", "arm,versatile-fpga", "simple-bus"));
    TRY(CELLS(fdt, "#address-cells", 1));
    TRY(CELLS(fdt, "#size-cells", 1));
    TRY(fdt_property(fdt, "ranges", NULL, 0));

    TRY(begin(fdt, "sysreg", 0x10000000));
    TRY(STRINGS(fdt, "compatible", "arm,versatile-sysreg", "syscon", "simple-mfd"));
    TRY(CELLS(fdt, "reg", 0x10000000, 0x1000));
    /* the panel connector, read through SYS_CLCD */
    TRY(fdt_begin_node(fdt, "display"));
    TRY(fdt_property_string(fdt, "compatible", "arm,versatile-tft-panel"));
    TRY(endpoint_port(fdt, -1, PH_PANEL_IN, PH_CLCD_PANEL));
    TRY(fdt_end_node(fdt));
    TRY(fdt_end_node(fdt));

    static const int mmc0_irqs[] = { 22, 23 }, mmc1_irqs[] = { 1, 2 };
    static const int kmi0_irq = 3, kmi1_irq = 4;
    TRY(primecell(fdt, "mmc", "arm,pl180", 0x10005000, -1, mmc0_irqs, 2));
    TRY(CELLS(fdt, "clocks", PH_XTAL, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "mclk", "apb_pclk"));
    TRY(fdt_end_node(fdt));
    TRY(primecell(fdt, "mmc", "arm,pl180", 0x1000b000, -1, mmc1_irqs, 2));
    TRY(CELLS(fdt, "clocks", PH_XTAL, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "mclk", "apb_pclk"));
    TRY(fdt_end_node(fdt));
    TRY(primecell(fdt, "kmi", "arm,pl050", 0x10006000, -1, &kmi0_irq, 1));
    TRY(CELLS(fdt, "clocks", PH_XTAL, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "KMIREFCLK", "apb_pclk"));
    TRY(fdt_end_node(fdt));
    TRY(primecell(fdt, "kmi", "arm,pl050", 0x10007000, -1, &kmi1_irq, 1));
    TRY(CELLS(fdt, "clocks", PH_XTAL, PH_PCLK));
    TRY(STRINGS(fdt, "clock-names", "KMIREFCLK", "apb_pclk"));
    TRY(fdt_end_node(fdt));
    TRY(uart(fdt, 0x10009000, -1, 6, 0));

    TRY(fdt_end_node(fdt));   /* fpga */
    TRY(fdt_end_node(fdt));   /* amba */
    TRY(pci_node(fdt));
    TRY(fdt_end_node(fdt));   /* / */
    TRY(fdt_finish(fdt));
    return 0;
bad:
    return r;
}

void *versatile_fdt_build(void *opaque, uint64_t ram_size, size_t *size, char **err)
{
    const VersatileFdtConfig *cfg = opaque;
    for (int cap = 8192; cap <= 1 << 20; cap *= 2) {
        void *fdt = malloc(cap);
        if (!fdt)
            break;
        int r = build(fdt, cap, ram_size, cfg && cfg->nic);
        if (r == 0) {
            *size = fdt_totalsize(fdt);
            return fdt;
        }
        free(fdt);
        if (r != -FDT_ERR_NOSPACE) {
            if (asprintf(err, "libfdt: %s", fdt_strerror(r)) < 0)
                *err = NULL;
            return NULL;
        }
    }
    if (asprintf(err, "libfdt: out of memory") < 0)
        *err = NULL;
    return NULL;
}
