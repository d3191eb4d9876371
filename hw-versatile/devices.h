/*
 * devices.h — the Versatile PB's devices as the board (versatilepb.c)
 * creates and wires them.  Each device lives in its own file, named after
 * the part; each maps its registers with phys_add_mmio, registers its
 * reset, and raises its interrupt through an IRQLine.
 *
 * The *_free functions are for unit tests (a board lives until exit):
 * they free the state but do not unmap the registers or unregister the
 * reset hook, so the test's address space must go first.
 */
#ifndef VEMU_HW_VERSATILE_DEVICES_H
#define VEMU_HW_VERSATILE_DEVICES_H

#include <stdint.h>

#include "softmmu/chardev.h"
#include "softmmu/irq.h"
#include "softmmu/memory.h"

/* PL190 vectored interrupt controller: 32 inputs, IRQ and FIQ outputs. */
typedef struct PL190 PL190;
PL190 *pl190_new(PhysMemory *pm, uint64_t base, IRQLine irq_out, IRQLine fiq_out);
IRQLine pl190_input(PL190 *vic, int n);
void pl190_free(PL190 *vic);

/* Versatile secondary interrupt controller (SIC): 32 inputs, its output
 * on a VIC input (31 on the PB); PIC enable lets inputs 21..30 also
 * reach VIC inputs 21..30 directly, as the board routes them. */
typedef struct VersatileSIC VersatileSIC;
VersatileSIC *versatile_sic_new(PhysMemory *pm, uint64_t base, PL190 *vic, int vic_input);
IRQLine versatile_sic_input(VersatileSIC *sic, int n);
void versatile_sic_free(VersatileSIC *sic);

/* System registers: ID, switches, LEDs, lock, 100 Hz and 24 MHz counters,
 * oscillators, reset control (a write there asks for machine reset). */
typedef struct VersatileSysregs VersatileSysregs;
VersatileSysregs *versatile_sysregs_new(PhysMemory *pm, uint64_t base, uint32_t sys_id, uint32_t proc_id);
void versatile_sysregs_free(VersatileSysregs *s);
/* SYS_MCI's bits: 1 MCI0 card present, 4 MCI0 card write protected. */
void versatile_sysregs_set_mci(VersatileSysregs *s, uint32_t bits);
/* fn(opaque, SYS_CLCD bits 1:0) on every write of SYS_CLCD and at reset:
 * the board wires it to the CLCD's multiplexer (pl110_set_mux). */
void versatile_sysregs_on_clcd_mode(VersatileSysregs *s, void (*fn)(void *opaque, unsigned mode), void *opaque);

/* SP804 dual timer, clocked at freq_hz (1 MHz on the PB); one IRQ for both. */
typedef struct SP804 SP804;
SP804 *sp804_new(PhysMemory *pm, uint64_t base, IRQLine irq, uint64_t freq_hz);
void sp804_free(SP804 *timer);

/* PL011 UART on a chardev (NULL: output discarded, no input). */
typedef struct PL011 PL011;
PL011 *pl011_new(PhysMemory *pm, uint64_t base, IRQLine irq, Chardev *chr);
void pl011_free(PL011 *uart);

/* PL031 real-time clock, from the host's wall clock. */
typedef struct PL031 PL031;
PL031 *pl031_new(PhysMemory *pm, uint64_t base, IRQLine irq);
void pl031_free(PL031 *rtc);

/* PL110 colour LCD controller: registers, palette and frame interrupts
 * (60 Hz while enabled); the display source (softmmu/display.h) showing
 * the frame at LCDUPBASE.  PL110_VARIANT_VERSATILE is the
 * Versatile PB's (PL110 ID, PL111 register order), PL110_VARIANT_PL111 a
 * PL111 (its ID; the cursor is not modelled). */
typedef struct PL110 PL110;
typedef enum PL110Variant { PL110_VARIANT_VERSATILE, PL110_VARIANT_PL111 } PL110Variant;
PL110 *pl110_new(PhysMemory *pm, uint64_t base, IRQLine irq, PL110Variant variant);
void pl110_free(PL110 *clcd);
/* The Versatile's 16 bpp multiplexer (SYS_CLCD bits 1:0): 0, 2 5:6:5,
 * 1 5:5:5, 3 5:6:5 with red and blue swapped. */
void pl110_set_mux(PL110 *clcd, unsigned mode);

/* PL050 keyboard/mouse interface with a PS/2 device (hw-versatile/ps2.h)
 * on its port; the KMI takes ownership of the device. */
typedef struct PL050 PL050;
typedef struct PS2Device PS2Device;
PL050 *pl050_new(PhysMemory *pm, uint64_t base, IRQLine irq, PS2Device *dev);
PS2Device *pl050_device(PL050 *kmi);
void pl050_free(PL050 *kmi);

/* The Versatile's bit-banged I2C controller (SBCon); devices attach to
 * its bus (hw-versatile/i2c-bus.h). */
typedef struct VersatileI2C VersatileI2C;
typedef struct I2CBus I2CBus;
VersatileI2C *versatile_i2c_new(PhysMemory *pm, uint64_t base);
I2CBus *versatile_i2c_bus(VersatileI2C *i2c);
void versatile_i2c_free(VersatileI2C *i2c);

/* DS1338 real-time clock (host wall-clock time) with 56 bytes of RAM, on
 * an I2C bus at addr (0x68 on the PB). */
typedef struct DS1338 DS1338;
DS1338 *ds1338_new(I2CBus *bus, uint8_t addr);
void ds1338_free(DS1338 *rtc);

/* NOR flash with the Intel command set and a CFI query table, one x32
 * chip of size bytes in blocks of block_size; starts erased. */
typedef struct CFIFlash CFIFlash;
CFIFlash *cfi_flash_new(PhysMemory *pm, uint64_t base, uint64_t size, uint64_t block_size);
void cfi_flash_free(CFIFlash *flash);

/* SMSC LAN91C111 Ethernet controller (64 KiB window, 16 bytes used) with
 * station address mac; its NetClient (softmmu/net.h), named name, is
 * the NIC end to connect to a backend. */
typedef struct SMC91C111 SMC91C111;
typedef struct NetClient NetClient;
SMC91C111 *smc91c111_new(PhysMemory *pm, uint64_t base, IRQLine irq, const uint8_t mac[6], const char *name);
NetClient *smc91c111_net(SMC91C111 *s);
void smc91c111_free(SMC91C111 *s);
/* PL181 MultiMedia Card Interface with an SD card (hw-versatile/sd-card.h;
 * NULL: an empty slot, commands time out).  irq0: MCIINTR0, irq1: MCIINTR1.
 * The card is not freed with the interface. */
typedef struct PL181 PL181;
typedef struct SDCard SDCard;
PL181 *pl181_new(PhysMemory *pm, uint64_t base, IRQLine irq0, IRQLine irq1, SDCard *card);
void pl181_free(PL181 *mci);

/* A PrimeCell the board places but does not model yet (PL050 KMI, PL181
 * MMC, PL110 CLCD, ...): its ID registers read true, so drivers find it,
 * and everything else reads as zero and ignores writes, so probing fails
 * cleanly.  periph_id: the part number and designer (e.g. 0x00041050). */
void primecell_placeholder_new(PhysMemory *pm, const char *name, uint64_t base, uint32_t periph_id);

#endif
