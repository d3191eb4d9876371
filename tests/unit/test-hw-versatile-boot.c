/* Unit tests for the ARM boot loader (hw-versatile/boot.c) and vemu's own
 * Versatile PB device tree (hw-versatile/versatile-fdt.c).
 *
 * Oracles: the boot protocol of Linux's Documentation/arch/arm/booting.rst
 * (ATAG words, register values), the zImage header of
 * arch/arm/boot/compressed/head.S (magic 0x016f2818 at 0x24, start/end at
 * 0x28/0x2c), the ELF specification, and the kernel's device-tree bindings
 * for the Versatile (interrupt numbers from ARM's DUI 0224).  Kernels,
 * initrds and trees are made here as files in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw-versatile/boot.h"
#include "hw-versatile/versatile-fdt.h"

#define MiB (1024u * 1024)

static char tmpdir[64];

static int setup_dir(void **state)
{
    strcpy(tmpdir, "/tmp/vemu-boot-test.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int teardown_dir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
    static char paths[8][128];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

/* A zImage as far as a boot loader can tell: the header words and a
 * recognisable pattern; extra bytes after its end when trailer != NULL. */
static uint8_t *fake_zimage(size_t size, size_t header_end, const void *trailer, size_t tlen)
{
    uint8_t *z = malloc(size + tlen);
    for (size_t i = 0; i < size; i++)
        z[i] = (uint8_t)(i * 7 + 1);
    wr32(z + 0x24, 0x016f2818);
    wr32(z + 0x28, 0);
    wr32(z + 0x2c, header_end);
    wr32(z + 0x30, 0x04030201);
    if (trailer)
        memcpy(z + size, trailer, tlen);
    return z;
}

static ArmBootConfig config(const char *kernel, uint64_t ram_size)
{
    return (ArmBootConfig){
        .kernel = kernel, .ram_base = 0, .ram_size = ram_size, .board_id = 0x183,
        .make_dtb = versatile_fdt_build,
    };
}

static void test_atags_layout(void **state)
{
    uint8_t buf[256];
    memset(buf, 0xaa, sizeof(buf));
    size_t n = arm_boot_write_atags(buf, sizeof(buf), 0, 128 * MiB, 0x04000000, 0x12345,
                                    "console=ttyAMA0");
    static const uint32_t want[] = {
        5, 0x54410001, 1, 4096, 0,                    /* CORE: flags, pagesize, rootdev */
        4, 0x54410002, 0x08000000, 0,                 /* MEM: size, start */
        4, 0x54420005, 0x04000000, 0x12345,           /* INITRD2: start, size */
        6, 0x54410009,                                /* CMDLINE: 15 chars + NUL -> 4 words */
    };
    assert_int_equal(n, 4 * (5 + 4 + 4 + 6 + 2));
    for (size_t i = 0; i < sizeof(want) / 4; i++)
        assert_int_equal(rd32(buf + 4 * i), want[i]);
    assert_memory_equal(buf + 4 * 15, "console=ttyAMA0\0", 16);
    assert_int_equal(rd32(buf + 4 * 19), 0);          /* NONE */
    assert_int_equal(rd32(buf + 4 * 20), 0);
    assert_int_equal(buf[n], 0xaa);                   /* nothing past the end */

    /* A 4-byte command line takes two words (its NUL needs the second). */
    n = arm_boot_write_atags(buf, sizeof(buf), 0x20000000, 16 * MiB, 0, 0, "abcd");
    assert_int_equal(n, 4 * (5 + 4 + 4 + 2));
    assert_int_equal(rd32(buf + 4 * 7), 16 * MiB);
    assert_int_equal(rd32(buf + 4 * 8), 0x20000000);
    assert_int_equal(rd32(buf + 4 * 9), 4);
    assert_int_equal(rd32(buf + 4 * 10), 0x54410009);
    assert_memory_equal(buf + 44, "abcd\0\0\0\0", 8);

    /* No initrd, no command line: CORE, MEM, NONE. */
    n = arm_boot_write_atags(buf, sizeof(buf), 0, 64 * MiB, 0, 0, NULL);
    assert_int_equal(n, 4 * 11);
    assert_int_equal(rd32(buf + 36), 0);
    assert_int_equal(rd32(buf + 40), 0);
    /* Too small a buffer: nothing. */
    assert_int_equal(arm_boot_write_atags(buf, 40, 0, 64 * MiB, 0, 0, NULL), 0);
}

static void test_detect(void **state)
{
    uint8_t *z = fake_zimage(4096, 4096, NULL, 0);
    assert_int_equal(arm_boot_detect(z, 4096), ARM_KERNEL_ZIMAGE);
    wr32(z + 0x24, 0x016f2819);
    assert_int_equal(arm_boot_detect(z, 4096), ARM_KERNEL_IMAGE);
    memcpy(z, "\177ELF", 4);
    assert_int_equal(arm_boot_detect(z, 4096), ARM_KERNEL_ELF);
    /* the magic must lie inside the file */
    wr32(z + 0x24, 0x016f2818);
    memset(z, 0, 4);
    assert_int_equal(arm_boot_detect(z, 0x27), ARM_KERNEL_IMAGE);
    free(z);
}

/* Look up a /chosen or /memory property as a number. */
static uint64_t fdt_num(const void *fdt, const char *path, const char *prop, int index)
{
    int node = fdt_path_offset(fdt, path), len;
    assert_true(node >= 0);
    const fdt32_t *v = fdt_getprop(fdt, node, prop, &len);
    assert_non_null(v);
    assert_true(len >= 4 * (index + 1));
    return fdt32_to_cpu(v[index]);
}

static void test_zimage_with_board_dtb(void **state)
{
    uint8_t *z = fake_zimage(100000, 100000, NULL, 0);
    uint8_t initrd[5000];
    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i ^ 0x5a);
    ArmBootConfig cfg = config(write_file("zImage", z, 100000), 128 * MiB);
    cfg.initrd = write_file("initrd", initrd, sizeof(initrd));
    cfg.cmdline = "console=ttyAMA0 rdinit=/init";
    char *err = NULL;
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    assert_null(err);
    assert_non_null(img);
    assert_int_equal(img->kind, ARM_KERNEL_ZIMAGE);
    assert_false(img->appended_dtb);
    assert_false(img->atags);
    assert_int_equal(img->entry, 0x10000);
    /* min(RAM/2, 128 MiB) = 64 MiB is above the 4x room of a 100 KB zImage */
    assert_int_equal(img->initrd_addr, 64 * MiB);
    assert_int_equal(img->params_addr, 64 * MiB + 8192);   /* 4 KiB past the initrd */

    uint8_t *ram = calloc(1, 128 * MiB);
    memset(ram + img->initrd_addr + sizeof(initrd), 0xee, 16);
    arm_boot_install(img, ram, 128 * MiB);
    /* The stub: mov r0,#0; ldr r1/r2/pc from the words after it. */
    assert_int_equal(rd32(ram + 0), 0xe3a00000);
    assert_int_equal(rd32(ram + 4), 0xe59f1004);
    assert_int_equal(rd32(ram + 8), 0xe59f2004);
    assert_int_equal(rd32(ram + 12), 0xe59ff004);
    assert_int_equal(rd32(ram + 16), 0x183);
    assert_int_equal(rd32(ram + 20), img->params_addr);
    assert_int_equal(rd32(ram + 24), 0x10000);
    assert_memory_equal(ram + 0x10000, z, 100000);
    assert_memory_equal(ram + img->initrd_addr, initrd, sizeof(initrd));
    assert_int_equal(ram[img->initrd_addr + sizeof(initrd)], 0xee);   /* exactly the initrd */

    const void *fdt = ram + img->params_addr;
    assert_int_equal(fdt_check_header(fdt), 0);
    assert_int_equal(fdt_totalsize(fdt), img->params_size);
    int chosen = fdt_path_offset(fdt, "/chosen");
    assert_true(chosen >= 0);
    assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL), cfg.cmdline);
    assert_int_equal(fdt_num(fdt, "/chosen", "linux,initrd-start", 0), 64 * MiB);
    assert_int_equal(fdt_num(fdt, "/chosen", "linux,initrd-end", 0), 64 * MiB + sizeof(initrd));
    assert_int_equal(fdt_num(fdt, "/memory", "reg", 0), 0);
    assert_int_equal(fdt_num(fdt, "/memory", "reg", 1), 128 * MiB);

    /* A reset installs the same bytes again over whatever the guest did. */
    memset(ram, 0, 0x20000);
    arm_boot_install(img, ram, 128 * MiB);
    assert_int_equal(rd32(ram + 24), 0x10000);
    assert_memory_equal(ram + 0x10000, z, 100000);
    free(ram);
    arm_boot_free(img);
    free(z);
}

static void test_placement_small_ram(void **state)
{
    /* 16 MiB of RAM: RAM/2 = 8 MiB is below the zImage's 4x room, so the
     * initrd goes to the next MiB above that room. */
    size_t zsize = 3 * MiB;
    uint8_t *z = fake_zimage(zsize, zsize, NULL, 0);
    ArmBootConfig cfg = config(write_file("zImage-big", z, zsize), 16 * MiB);
    uint8_t initrd[100] = { 1 };
    cfg.initrd = write_file("initrd-small", initrd, sizeof(initrd));
    char *err = NULL;
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_int_equal(img->initrd_addr, 13 * MiB);   /* 0x10000 + 12 MiB, rounded up */
    assert_int_equal(img->params_addr, 13 * MiB + 4096);
    arm_boot_free(img);
    free(z);
}

static void test_image_placement(void **state)
{
    uint8_t image[8192];
    for (size_t i = 0; i < sizeof(image); i++)
        image[i] = (uint8_t)i;
    ArmBootConfig cfg = config(write_file("Image", image, sizeof(image)), 32 * MiB);
    char *err = NULL;
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_int_equal(img->kind, ARM_KERNEL_IMAGE);
    assert_int_equal(img->entry, 0x8000);
    assert_int_equal(img->initrd_addr, 0);   /* no initrd */
    assert_int_equal(img->params_addr, 16 * MiB);
    uint8_t *ram = calloc(1, 32 * MiB);
    arm_boot_install(img, ram, 32 * MiB);
    assert_memory_equal(ram + 0x8000, image, sizeof(image));
    assert_int_equal(rd32(ram + 24), 0x8000);
    assert_int_equal(fdt_check_header(ram + 16 * MiB), 0);
    /* no initrd: /chosen names none */
    int chosen = fdt_path_offset(ram + 16 * MiB, "/chosen");
    assert_null(fdt_getprop(ram + 16 * MiB, chosen, "linux,initrd-start", NULL));
    assert_null(fdt_getprop(ram + 16 * MiB, chosen, "bootargs", NULL));
    free(ram);
    arm_boot_free(img);
}

/* A 32-bit little-endian ARM ELF with two PT_LOADs. */
static size_t make_elf(uint8_t *buf, uint32_t vaddr, uint32_t paddr, uint32_t entry, int truncate)
{
    memset(buf, 0, 0x3000);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_ARM;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = sizeof(*eh);
    eh->e_ehsize = sizeof(*eh);
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = 2;
    Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(*eh));
    ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = vaddr, .p_paddr = paddr,
                          .p_filesz = 0x1000, .p_memsz = 0x1000, .p_flags = PF_R | PF_X, .p_align = 0x1000 };
    ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x2000, .p_vaddr = vaddr + 0x3000,
                          .p_paddr = paddr + 0x3000, .p_filesz = 0x800, .p_memsz = 0x2000,
                          .p_flags = PF_R | PF_W, .p_align = 0x1000 };
    memset(buf + 0x1000, 0x11, 0x1000);
    memset(buf + 0x2000, 0x22, 0x800);
    return truncate ? 0x2400 : 0x2800;
}

static void test_elf_placement(void **state)
{
    uint8_t elf[0x3000];
    char *err = NULL;
    uint8_t *ram = malloc(32 * MiB);

    /* Physical addresses in RAM: loaded there, entry as is. */
    size_t n = make_elf(elf, 0x00100000, 0x00100000, 0x00100040, 0);
    ArmBootConfig cfg = config(write_file("bare.elf", elf, n), 32 * MiB);
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_int_equal(img->kind, ARM_KERNEL_ELF);
    assert_int_equal(img->entry, 0x00100040);
    memset(ram, 0xff, 32 * MiB);
    arm_boot_install(img, ram, 32 * MiB);
    assert_int_equal(ram[0x100000], 0x11);
    assert_int_equal(ram[0x100fff], 0x11);
    assert_int_equal(ram[0x103000], 0x22);
    assert_int_equal(ram[0x1037ff], 0x22);
    assert_int_equal(ram[0x103800], 0);      /* bss zeroed */
    assert_int_equal(ram[0x104fff], 0);
    assert_int_equal(ram[0x105000], 0xff);   /* and no further */
    assert_int_equal(rd32(ram + 24), 0x00100040);
    arm_boot_free(img);

    /* A vmlinux: linked and "loaded" at PAGE_OFFSET + 0x8000, its second
     * segment (like the vectors page) linked at 0xffff0000. */
    n = make_elf(elf, 0xc0008000, 0xc0008000, 0xc0008000, 0);
    ((Elf32_Phdr *)(elf + sizeof(Elf32_Ehdr)))[1].p_vaddr = 0xffff0000;
    cfg.kernel = write_file("vmlinux", elf, n);
    img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_int_equal(img->entry, 0x8000);
    memset(ram, 0xff, 0x10000);
    arm_boot_install(img, ram, 32 * MiB);
    assert_int_equal(ram[0x8000], 0x11);
    assert_int_equal(ram[0xb000], 0x22);
    assert_int_equal(rd32(ram + 24), 0x8000);
    arm_boot_free(img);

    /* A segment past the end of the file. */
    n = make_elf(elf, 0x00100000, 0x00100000, 0x00100000, 1);
    cfg.kernel = write_file("truncated.elf", elf, n);
    assert_null(arm_boot_prepare(&cfg, &err));
    assert_non_null(strstr(err, "truncated"));
    free(err);
    err = NULL;

    /* Linked at 0, over the stub. */
    n = make_elf(elf, 0, 0, 0, 0);
    cfg.kernel = write_file("at0.elf", elf, n);
    assert_null(arm_boot_prepare(&cfg, &err));
    assert_non_null(strstr(err, "over the boot stub"));
    free(err);
    err = NULL;

    /* Not ARM. */
    n = make_elf(elf, 0x00100000, 0x00100000, 0x00100000, 0);
    ((Elf32_Ehdr *)elf)->e_machine = EM_386;
    cfg.kernel = write_file("x86.elf", elf, n);
    assert_null(arm_boot_prepare(&cfg, &err));
    assert_non_null(strstr(err, "not a little-endian 32-bit ARM ELF"));
    free(err);
    free(ram);
}

static void test_atags_when_chosen(void **state)
{
    uint8_t dtb_trailer[64] = { 0xd0, 0x0d, 0xfe, 0xed };
    uint8_t *z = fake_zimage(8192, 8192, dtb_trailer, sizeof(dtb_trailer));
    ArmBootConfig cfg = config(write_file("zImage-dtb", z, 8192 + sizeof(dtb_trailer)), 64 * MiB);
    uint8_t initrd[40] = { 9 };
    cfg.initrd = write_file("initrd-40", initrd, sizeof(initrd));
    cfg.cmdline = "console=ttyAMA0";
    char *err = NULL;
    /* zImage with a tree appended: ATAGs at 0x100 */
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_true(img->appended_dtb);
    assert_true(img->atags);
    assert_int_equal(img->params_addr, 0x100);
    uint8_t *ram = calloc(1, 64 * MiB);
    arm_boot_install(img, ram, 64 * MiB);
    assert_int_equal(rd32(ram + 20), 0x100);
    assert_int_equal(rd32(ram + 0x104), ATAG_CORE);
    assert_int_equal(rd32(ram + 0x118), ATAG_MEM);
    assert_int_equal(rd32(ram + 0x11c), 64 * MiB);
    assert_int_equal(rd32(ram + 0x128), ATAG_INITRD2);
    assert_int_equal(rd32(ram + 0x12c), img->initrd_addr);
    assert_int_equal(rd32(ram + 0x130), 40);
    assert_int_equal(rd32(ram + 0x138), ATAG_CMDLINE);
    assert_string_equal((char *)ram + 0x13c, "console=ttyAMA0");
    assert_memory_equal(ram + 0x10000 + 8192, dtb_trailer, sizeof(dtb_trailer));   /* kept */
    arm_boot_free(img);

    /* atags forced for a plain zImage */
    cfg.kernel = write_file("zImage-plain", z, 8192);
    cfg.force_atags = true;
    img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_false(img->appended_dtb);
    assert_true(img->atags);
    arm_boot_free(img);

    /* -dtb wins over both */
    size_t dsize;
    void *tree = versatile_fdt_build(NULL, 128 * MiB, &dsize, &err);
    assert_non_null(tree);
    cfg.dtb = write_file("board.dtb", tree, dsize);
    img = arm_boot_prepare(&cfg, &err);
    assert_non_null(img);
    assert_false(img->atags);
    memset(ram, 0, 64 * MiB);
    arm_boot_install(img, ram, 64 * MiB);
    const void *fdt = ram + img->params_addr;
    assert_int_equal(fdt_check_header(fdt), 0);
    /* the file said 128 MiB; the machine has 64 */
    assert_int_equal(fdt_num(fdt, "/memory", "reg", 1), 64 * MiB);
    assert_int_equal(fdt_num(fdt, "/chosen", "linux,initrd-start", 0), img->initrd_addr);
    arm_boot_free(img);
    free(tree);
    free(ram);
    free(z);
}

static void expect_error(ArmBootConfig *cfg, const char *substring)
{
    char *err = NULL;
    ArmBootImage *img = arm_boot_prepare(cfg, &err);
    assert_null(img);
    assert_non_null(err);
    if (!strstr(err, substring))
        fail_msg("error \"%s\" lacks \"%s\"", err, substring);
    free(err);
}

static void test_errors(void **state)
{
    ArmBootConfig cfg = config("/nonexistent/zImage", 128 * MiB);
    expect_error(&cfg, "could not load kernel '/nonexistent/zImage': No such file or directory");

    cfg.kernel = tmpdir;
    expect_error(&cfg, "not a regular file");

    cfg.kernel = write_file("empty", "", 0);
    expect_error(&cfg, "is empty");

    /* The header says 8192 bytes; the file has 5000. */
    uint8_t *z = fake_zimage(8192, 8192, NULL, 0);
    cfg.kernel = write_file("zImage-cut", z, 5000);
    expect_error(&cfg, "is truncated: its zImage header says 8192 bytes, the file has 5000");

    /* Big-endian zImage. */
    wr32(z + 0x30, 0x01020304);
    cfg.kernel = write_file("zImage-be", z, 8192);
    expect_error(&cfg, "big-endian");
    wr32(z + 0x30, 0x04030201);

    /* An initrd that does not fit: 16 MiB of RAM, 12 MiB of initrd at 8 MiB. */
    cfg = config(write_file("zImage-ok", z, 8192), 16 * MiB);
    size_t big = 12 * MiB;
    uint8_t *initrd = calloc(1, big);
    cfg.initrd = write_file("initrd-big", initrd, big);
    expect_error(&cfg, "is too large");
    free(initrd);

    cfg.initrd = "/nonexistent/initrd";
    expect_error(&cfg, "could not load initrd '/nonexistent/initrd'");
    cfg.initrd = NULL;

    cfg.dtb = write_file("garbage.dtb", "not a tree at all, really", 25);
    expect_error(&cfg, "no 0xd00dfeed magic");
    cfg.dtb = NULL;

    char longline[1100];
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = 0;
    cfg.cmdline = longline;
    expect_error(&cfg, "at most 1023");
    cfg.cmdline = NULL;

    /* A kernel larger than RAM. */
    cfg.ram_size = 1 * MiB;
    expect_error(&cfg, "does not fit");
    free(z);
}

/* ---- the device tree ---------------------------------------------------- */

static int node(const void *fdt, const char *path)
{
    int n = fdt_path_offset(fdt, path);
    if (n < 0)
        fail_msg("no node %s: %s", path, fdt_strerror(n));
    return n;
}

static uint32_t cell(const void *fdt, const char *path, const char *prop, int i)
{
    int len;
    const fdt32_t *v = fdt_getprop(fdt, node(fdt, path), prop, &len);
    if (!v || len < 4 * (i + 1))
        fail_msg("%s: no %s[%d]", path, prop, i);
    return fdt32_to_cpu(v[i]);
}

/* The interrupt controller a node's interrupts go to (its own
 * interrupt-parent or the nearest ancestor's). */
static const char *irq_parent(const void *fdt, int n)
{
    for (; n >= 0; n = fdt_parent_offset(fdt, n)) {
        const fdt32_t *p = fdt_getprop(fdt, n, "interrupt-parent", NULL);
        if (p)
            return fdt_get_name(fdt, fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p)), NULL);
    }
    return NULL;
}

static void check_device(const void *fdt, const char *path, const char *compat, uint32_t base,
                         const char *parent, int irq)
{
    int n = node(fdt, path);
    assert_int_equal(fdt_node_check_compatible(fdt, n, compat), 0);
    assert_int_equal(cell(fdt, path, "reg", 0), base);
    if (irq >= 0) {
        assert_int_equal(cell(fdt, path, "interrupts", 0), irq);
        assert_string_equal(irq_parent(fdt, n), parent);
    }
}

static void test_fdt_nodes(void **state)
{
    size_t size;
    char *err = NULL;
    void *fdt = versatile_fdt_build(NULL, 96 * MiB, &size, &err);
    assert_non_null(fdt);
    assert_int_equal(fdt_check_header(fdt), 0);
    assert_int_equal(fdt_totalsize(fdt), size);

    assert_int_equal(fdt_node_check_compatible(fdt, 0, "arm,versatile-pb"), 0);
    assert_int_equal(cell(fdt, "/", "#address-cells", 0), 1);
    assert_int_equal(cell(fdt, "/", "#size-cells", 0), 1);
    assert_int_equal(cell(fdt, "/memory", "reg", 0), 0);
    assert_int_equal(cell(fdt, "/memory", "reg", 1), 96 * MiB);
    assert_string_equal(fdt_getprop(fdt, node(fdt, "/memory"), "device_type", NULL), "memory");
    node(fdt, "/chosen");

    const char *vic = "interrupt-controller@10140000", *sic = "interrupt-controller@10003000";
    check_device(fdt, "/amba/interrupt-controller@10140000", "arm,versatile-vic", 0x10140000, NULL, -1);
    assert_non_null(fdt_getprop(fdt, node(fdt, "/amba/interrupt-controller@10140000"), "interrupt-controller", NULL));
    check_device(fdt, "/amba/interrupt-controller@10003000", "arm,versatile-sic", 0x10003000, vic, 31);
    assert_int_equal(cell(fdt, "/amba/interrupt-controller@10003000", "valid-mask", 0), 0x7fe003ff);
    check_device(fdt, "/core-module@10000000", "arm,core-module-versatile", 0x10000000, NULL, -1);
    check_device(fdt, "/amba/fpga/sysreg@10000000", "arm,versatile-sysreg", 0x10000000, NULL, -1);
    check_device(fdt, "/amba/uart@101f1000", "arm,pl011", 0x101f1000, vic, 12);
    check_device(fdt, "/amba/uart@101f2000", "arm,pl011", 0x101f2000, vic, 13);
    check_device(fdt, "/amba/uart@101f3000", "arm,pl011", 0x101f3000, vic, 14);
    check_device(fdt, "/amba/fpga/uart@10009000", "arm,pl011", 0x10009000, sic, 6);
    check_device(fdt, "/amba/timer@101e2000", "arm,sp804", 0x101e2000, vic, 4);
    check_device(fdt, "/amba/timer@101e3000", "arm,sp804", 0x101e3000, vic, 5);
    check_device(fdt, "/amba/rtc@101e8000", "arm,pl031", 0x101e8000, vic, 10);
    check_device(fdt, "/amba/fpga/kmi@10006000", "arm,pl050", 0x10006000, sic, 3);
    check_device(fdt, "/amba/fpga/kmi@10007000", "arm,pl050", 0x10007000, sic, 4);
    check_device(fdt, "/amba/fpga/mmc@10005000", "arm,pl180", 0x10005000, NULL, -1);
    /* every PrimeCell is one 4 KiB page and says so */
    assert_int_equal(cell(fdt, "/amba/uart@101f1000", "reg", 1), 0x1000);
    assert_int_equal(fdt_node_check_compatible(fdt, node(fdt, "/amba/rtc@101e8000"), "arm,primecell"), 0);
    /* the MMC's two interrupts, on the SIC */
    int sic_ph = fdt_get_phandle(fdt, node(fdt, "/amba/interrupt-controller@10003000"));
    assert_int_equal(cell(fdt, "/amba/fpga/mmc@10005000", "interrupts-extended", 0), sic_ph);
    assert_int_equal(cell(fdt, "/amba/fpga/mmc@10005000", "interrupts-extended", 1), 22);
    assert_int_equal(cell(fdt, "/amba/fpga/mmc@10005000", "interrupts-extended", 3), 23);

    /* Clocks: each phandle names a clock of the right rate. */
    uint32_t uartclk = cell(fdt, "/amba/uart@101f1000", "clocks", 0);
    int xtal = fdt_node_offset_by_phandle(fdt, uartclk);
    assert_true(xtal >= 0);
    assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, xtal, "clock-frequency", NULL)), 24000000);
    int timclk = fdt_node_offset_by_phandle(fdt, cell(fdt, "/amba/timer@101e2000", "clocks", 0));
    assert_true(timclk >= 0);
    assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, timclk, "clock-div", NULL)), 24);
    assert_int_equal(fdt_node_offset_by_phandle(fdt, cell(fdt, "/amba/rtc@101e8000", "clocks", 0)),
                     fdt_node_offset_by_phandle(fdt, cell(fdt, "/amba/uart@101f1000", "clocks", 1)));
    assert_string_equal(fdt_getprop(fdt, node(fdt, "/aliases"), "serial0", NULL), "/amba/uart@101f1000");
    node(fdt, fdt_getprop(fdt, node(fdt, "/aliases"), "serial3", NULL));

    /* The CLCD, its clock (the core module's OSC4) and its graph: each
     * endpoint's remote names an endpoint that names it back. */
    int clcd = node(fdt, "/amba/display@10120000");
    assert_int_equal(clcd, fdt_node_offset_by_compatible(fdt, -1, "arm,pl110"));
    assert_int_equal(cell(fdt, "/amba/display@10120000", "interrupts", 0), 16);
    int osc = fdt_node_offset_by_phandle(fdt, cell(fdt, "/amba/display@10120000", "clocks", 0));
    assert_true(osc >= 0);
    assert_string_equal(fdt_getprop(fdt, osc, "compatible", NULL), "arm,versatile-cm-auxosc");
    static const char *const endpoints[] = {
        "/amba/display@10120000/port@0/endpoint@0", "/amba/display@10120000/port@0/endpoint@1",
        "/bridge/ports/port@0/endpoint", "/bridge/ports/port@1/endpoint", "/vga/port/endpoint",
        "/amba/fpga/sysreg@10000000/display/port/endpoint",
    };
    for (size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
        int ep = node(fdt, endpoints[i]);
        int remote = fdt_node_offset_by_phandle(fdt, cell(fdt, endpoints[i], "remote-endpoint", 0));
        assert_true(remote >= 0);
        const fdt32_t *back = fdt_getprop(fdt, remote, "remote-endpoint", NULL);
        assert_non_null(back);
        assert_int_equal(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*back)), ep);
    }


    /* No network card without one (nic false); the PCI host bridge is
     * always there (hw-versatile/versatile-pci.c). */
    assert_true(fdt_node_offset_by_compatible(fdt, -1, "smsc,lan91c111") < 0);
    int pci = fdt_node_offset_by_compatible(fdt, -1, "arm,versatile-pci");
    assert_true(pci >= 0);
    assert_int_equal(cell(fdt, "/pci@10001000", "reg", 2), 0x41000000);
    assert_int_equal(cell(fdt, "/pci@10001000", "interrupt-map", 5), 28);   /* slot 3 INTA: SIC 28 */
    free(fdt);

    fdt = versatile_fdt_build(NULL, 256 * MiB, &size, &err);
    assert_int_equal(cell(fdt, "/memory", "reg", 1), 256 * MiB);
    free(fdt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atags_layout),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_zimage_with_board_dtb),
        cmocka_unit_test(test_placement_small_ram),
        cmocka_unit_test(test_image_placement),
        cmocka_unit_test(test_elf_placement),
        cmocka_unit_test(test_atags_when_chosen),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fdt_nodes),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
