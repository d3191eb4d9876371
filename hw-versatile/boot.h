/*
 * boot.h — the ARM Linux boot protocol, as a boot loader does it: put the
 * kernel, the initrd and the boot parameters (a device tree or an ATAG
 * list) into RAM, and a small stub at the start of RAM that sets
 * r0 = 0, r1 = machine type, r2 = parameters' address and jumps to the
 * kernel (Linux's Documentation/arch/arm/booting.rst).
 *
 * Two steps, because a guest reboot must put the same images back:
 * arm_boot_prepare() reads and checks the files and decides the layout
 * (every error a user can cause is reported there, as a message), then
 * arm_boot_install() copies everything into RAM (at power-on and at every
 * machine reset).  The loader writes into the RAM's host memory, so it
 * needs nothing from softmmu and its unit tests need no machine.
 *
 * Placement (docs/system.md "Booting" says why):
 *   boot stub          RAM + 0
 *   ATAG list          RAM + 0x100 (when ATAGs are passed)
 *   zImage             RAM + 0x10000 (it decompresses itself to RAM + 0x8000)
 *   Image              RAM + 0x8000 (linked to run there; not relocatable)
 *   ELF                each PT_LOAD at p_paddr when all of them fit in RAM,
 *                      else at p_paddr - (lowest p_paddr & ~0xffffff) + RAM
 *                      (a vmlinux, whose p_paddr are PAGE_OFFSET-based);
 *                      the entry is e_entry's physical address, moved alike
 *   initrd             RAM + max(min(RAM size / 2, 128 MiB), end of the kernel
 *                      rounded up to 1 MiB; a zImage counts 4x its size for
 *                      the decompressed kernel)
 *   device tree        after the initrd (or where it would be), 4 KiB aligned
 *
 * Device tree or ATAGs:
 *   1. -dtb FILE given: that tree;
 *   2. atags forced (-M versatilepb,atags=on, for kernels without DT
 *      support): ATAGs;
 *   3. the kernel is a zImage with a device tree appended
 *      (CONFIG_ARM_APPENDED_DTB): ATAGs — such a kernel uses its own tree
 *      whatever r2 says, and folds ATAGs into it (CONFIG_ARM_ATAG_DTB_COMPAT);
 *   4. otherwise the board's own tree (make_dtb).
 * In every tree passed, /chosen gets bootargs (-append) and
 * linux,initrd-start/-end, and /memory's reg is set to the RAM.
 */
#ifndef VEMU_HW_VERSATILE_BOOT_H
#define VEMU_HW_VERSATILE_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ATAG tags (the values Linux's arch/arm/include/uapi/asm/setup.h names). */
#define ATAG_NONE    0x00000000u
#define ATAG_CORE    0x54410001u
#define ATAG_MEM     0x54410002u
#define ATAG_INITRD2 0x54420005u
#define ATAG_CMDLINE 0x54410009u

#define ARM_BOOT_STUB_OFFSET   0x0u
#define ARM_BOOT_ATAGS_OFFSET  0x100u
#define ARM_BOOT_ZIMAGE_OFFSET 0x10000u
#define ARM_BOOT_IMAGE_OFFSET  0x8000u
#define ARM_BOOT_ZIMAGE_MAGIC  0x016f2818u   /* the word at offset 0x24 */
#define ARM_BOOT_CMDLINE_MAX   1024          /* with its NUL: Linux's COMMAND_LINE_SIZE */

typedef enum ArmKernelKind {
    ARM_KERNEL_ZIMAGE,
    ARM_KERNEL_IMAGE,
    ARM_KERNEL_ELF,
} ArmKernelKind;

typedef struct ArmBootConfig {
    const char *kernel;        /* required */
    const char *initrd;        /* NULL: none */
    const char *dtb;           /* NULL: the rule above */
    const char *cmdline;       /* NULL or "": none */
    uint64_t ram_base, ram_size;
    uint32_t board_id;         /* r1: Linux machine type (0x183 for the Versatile PB) */
    bool force_atags;
    /* The board's device tree (rule 4): a malloc'd blob with /memory and
     * /chosen present, or NULL with *err set. */
    void *(*make_dtb)(void *opaque, uint64_t ram_size, size_t *size, char **err);
    void *make_dtb_opaque;
} ArmBootConfig;

typedef struct ArmBootSegment {
    uint64_t addr;             /* physical */
    uint8_t *data;             /* filesz bytes; the rest up to memsz is zeroed */
    uint64_t filesz, memsz;
} ArmBootSegment;

typedef struct ArmBootImage {
    ArmKernelKind kind;
    bool appended_dtb;         /* zImage with a device tree after its end */
    uint8_t *file;             /* the kernel file, which the segments point into */
    ArmBootSegment *segs;      /* the kernel: one segment, or an ELF's PT_LOADs */
    int nsegs;
    uint64_t kernel_low, kernel_high;   /* what the kernel occupies */
    uint64_t entry;
    uint8_t *initrd;
    uint64_t initrd_addr, initrd_size;
    bool atags;                /* params are an ATAG list, else a device tree */
    uint8_t *params;           /* the DTB or ATAG bytes */
    uint64_t params_addr, params_size;
    uint32_t stub[7];          /* the boot stub's words (little-endian ARM) */
    uint64_t ram_base, ram_size;
} ArmBootImage;

/* Read the files and lay out the boot; NULL with *err (malloc'd, no
 * trailing newline) on any error in the user's input. */
ArmBootImage *arm_boot_prepare(const ArmBootConfig *cfg, char **err);

/* Copy stub, parameters, kernel and initrd into RAM (ram = the host
 * address of ram_base; ram_size bytes).  The cpu then starts at ram_base
 * in SVC mode with MMU and interrupts off, as after reset. */
void arm_boot_install(const ArmBootImage *img, uint8_t *ram, uint64_t ram_size);

void arm_boot_free(ArmBootImage *img);

/* Parts, exposed for tests and the board. */
ArmKernelKind arm_boot_detect(const uint8_t *data, size_t size);
/* Write an ATAG list into buf (returns its size, 0 when it does not fit). */
size_t arm_boot_write_atags(uint8_t *buf, size_t bufsize, uint64_t ram_base, uint64_t ram_size,
                            uint64_t initrd_addr, uint64_t initrd_size, const char *cmdline);
/* Set /chosen (bootargs, initrd range) and /memory in a copy of fdt;
 * returns a malloc'd packed tree or NULL with *err. */
void *arm_boot_fdt_setup(const void *fdt, size_t size, uint64_t ram_base, uint64_t ram_size,
                         uint64_t initrd_addr, uint64_t initrd_size, const char *cmdline,
                         size_t *out_size, char **err);

#endif
