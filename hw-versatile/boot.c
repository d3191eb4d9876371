/*
 * boot.c — loading a Linux kernel the way an ARM boot loader does (the
 * protocol of Linux's Documentation/arch/arm/booting.rst; the layout and
 * the device-tree-or-ATAGs rule are in boot.h).
 */
#include "hw-versatile/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MiB (1024ull * 1024)

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* The whole file, or NULL with *err naming what went wrong. */
static uint8_t *read_file(const char *what, const char *path, size_t *size, char **err)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        set_err(err, "could not load %s '%s': %s", what, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, "could not load %s '%s': not a regular file", what, path);
        close(fd);
        return NULL;
    }
    uint8_t *buf = malloc(st.st_size ? st.st_size : 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, st.st_size - got);
        if (n <= 0) {
            set_err(err, "could not load %s '%s': %s", what, path, n < 0 ? strerror(errno) : "short read");
            free(buf);
            close(fd);
            return NULL;
        }
        got += n;
    }
    close(fd);
    if (!buf) {
        set_err(err, "could not load %s '%s': out of memory", what, path);
        return NULL;
    }
    *size = got;
    return buf;
}

ArmKernelKind arm_boot_detect(const uint8_t *data, size_t size)
{
    if (size >= 0x30 && le32(data + 0x24) == ARM_BOOT_ZIMAGE_MAGIC)
        return ARM_KERNEL_ZIMAGE;
    if (size >= 4 && memcmp(data, ELFMAG, SELFMAG) == 0)
        return ARM_KERNEL_ELF;
    return ARM_KERNEL_IMAGE;
}

static ArmBootSegment *one_segment(uint64_t addr, uint8_t *data, uint64_t size)
{
    ArmBootSegment *s = calloc(1, sizeof(*s));
    if (s)
        *s = (ArmBootSegment){ .addr = addr, .data = data, .filesz = size, .memsz = size };
    return s;
}

/* A zImage's header: 0x28 the start address it was linked for (0 for a
 * position-independent one), 0x2c its end; 0x30 the endianness mark.
 * Bytes past the end are an appended device tree or junk. */
static bool load_zimage(ArmBootImage *img, const ArmBootConfig *cfg, uint8_t *data, size_t size,
                        char **err)
{
    uint32_t start = le32(data + 0x28), end = le32(data + 0x2c);
    if (end <= start) {
        set_err(err, "kernel '%s': zImage header says it ends (0x%x) before it starts (0x%x)", cfg->kernel,
                end, start);
        return false;
    }
    uint64_t len = end - start;
    if (len > size) {
        set_err(err, "kernel '%s' is truncated: its zImage header says %llu bytes, the file has %zu",
                cfg->kernel, (unsigned long long)len, size);
        return false;
    }
    if (le32(data + 0x30) == 0x01020304) {
        set_err(err, "kernel '%s' is a big-endian zImage; the Versatile PB runs little-endian", cfg->kernel);
        return false;
    }
    /* An appended tree starts with 0xd00dfeed, big-endian. */
    img->appended_dtb = size >= len + 8 && data[len] == 0xd0 && data[len + 1] == 0x0d &&
                        data[len + 2] == 0xfe && data[len + 3] == 0xed;
    img->entry = cfg->ram_base + ARM_BOOT_ZIMAGE_OFFSET;
    img->segs = one_segment(img->entry, data, size);
    img->nsegs = img->segs ? 1 : 0;
    img->kernel_low = img->entry;
    /* Room for the decompressed kernel: gzip/lzo/xz shrink a kernel well
     * under 4x, and the decompressor relocates itself above what it writes. */
    img->kernel_high = img->entry + 4 * (uint64_t)size;
    return true;
}

static bool load_image(ArmBootImage *img, const ArmBootConfig *cfg, uint8_t *data, size_t size, char **err)
{
    img->entry = cfg->ram_base + ARM_BOOT_IMAGE_OFFSET;
    img->segs = one_segment(img->entry, data, size);
    img->nsegs = img->segs ? 1 : 0;
    img->kernel_low = img->entry;
    img->kernel_high = img->entry + size;
    return true;
}

static bool load_elf(ArmBootImage *img, const ArmBootConfig *cfg, uint8_t *data, size_t size, char **err)
{
    bool ok = false;
    uint64_t *vaddr = NULL;
    elf_version(EV_CURRENT);
    Elf *e = elf_memory((char *)data, size);
    GElf_Ehdr eh;
    size_t phnum;
    if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &phnum) != 0) {
        set_err(err, "kernel '%s': bad ELF file: %s", cfg->kernel, elf_errmsg(-1));
        goto out;
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_ARM) {
        set_err(err, "kernel '%s' is not a little-endian 32-bit ARM ELF file", cfg->kernel);
        goto out;
    }
    img->segs = calloc(phnum ? phnum : 1, sizeof(*img->segs));
    vaddr = calloc(phnum ? phnum : 1, sizeof(*vaddr));
    if (!img->segs || !vaddr) {
        set_err(err, "out of memory");
        goto out;
    }
    uint64_t plow = UINT64_MAX, phigh = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, i, &ph)) {
            set_err(err, "kernel '%s': bad ELF program header %zu: %s", cfg->kernel, i, elf_errmsg(-1));
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > size || ph.p_filesz > size - ph.p_offset) {
            set_err(err, "kernel '%s' is truncated: segment %zu needs bytes 0x%llx..0x%llx, the file has 0x%zx",
                    cfg->kernel, i, (unsigned long long)ph.p_offset,
                    (unsigned long long)(ph.p_offset + ph.p_filesz), size);
            goto out;
        }
        vaddr[img->nsegs] = ph.p_vaddr;
        img->segs[img->nsegs++] = (ArmBootSegment){
            .addr = ph.p_paddr, .data = data + ph.p_offset, .filesz = ph.p_filesz, .memsz = ph.p_memsz,
        };
        plow = ph.p_paddr < plow ? ph.p_paddr : plow;
        phigh = ph.p_paddr + ph.p_memsz > phigh ? ph.p_paddr + ph.p_memsz : phigh;
    }
    if (img->nsegs == 0) {
        set_err(err, "kernel '%s': ELF file has nothing to load", cfg->kernel);
        goto out;
    }
    /* The entry point is virtual (e_entry); where it is loaded is physical. */
    uint64_t entry = eh.e_entry;
    for (int i = 0; i < img->nsegs; i++)
        if (eh.e_entry >= vaddr[i] && eh.e_entry - vaddr[i] < img->segs[i].memsz) {
            entry = img->segs[i].addr + (eh.e_entry - vaddr[i]);
            break;
        }
    if (plow < cfg->ram_base || phigh > cfg->ram_base + cfg->ram_size) {
        /* Linked for physical addresses elsewhere (a vmlinux says
         * PAGE_OFFSET + TEXT_OFFSET): keep the layout, moved so that its
         * 16 MiB-aligned base is the start of RAM. */
        uint64_t pbase = plow & ~0xffffffull;
        plow = UINT64_MAX, phigh = 0;
        for (int i = 0; i < img->nsegs; i++) {
            ArmBootSegment *s = &img->segs[i];
            s->addr = s->addr - pbase + cfg->ram_base;
            plow = s->addr < plow ? s->addr : plow;
            phigh = s->addr + s->memsz > phigh ? s->addr + s->memsz : phigh;
        }
        entry = entry - pbase + cfg->ram_base;
    }
    img->entry = entry;
    img->kernel_low = plow;
    img->kernel_high = phigh;
    ok = true;
out:
    free(vaddr);
    if (e)
        elf_end(e);
    return ok;
}

size_t arm_boot_write_atags(uint8_t *buf, size_t bufsize, uint64_t ram_base, uint64_t ram_size,
                            uint64_t initrd_addr, uint64_t initrd_size, const char *cmdline)
{
    size_t len = cmdline ? strlen(cmdline) : 0;
    size_t need = 4 * (5 + 4 + (initrd_size ? 4 : 0) + (len ? 2 + (len + 4) / 4 : 0) + 2);
    if (need > bufsize)
        return 0;
    memset(buf, 0, need);
    uint8_t *p = buf;
#define WORD(v) (put_le32(p, (v)), p += 4)
    WORD(5);                  /* ATAG_CORE: flags (read-only root), page size, root device */
    WORD(ATAG_CORE);
    WORD(1);
    WORD(4096);
    WORD(0);
    WORD(4);                  /* ATAG_MEM: size, start */
    WORD(ATAG_MEM);
    WORD((uint32_t)ram_size);
    WORD((uint32_t)ram_base);
    if (initrd_size) {        /* ATAG_INITRD2: physical start, size */
        WORD(4);
        WORD(ATAG_INITRD2);
        WORD((uint32_t)initrd_addr);
        WORD((uint32_t)initrd_size);
    }
    if (len) {                /* ATAG_CMDLINE: the string, NUL-padded to words */
        WORD(2 + (len + 4) / 4);
        WORD(ATAG_CMDLINE);
        memcpy(p, cmdline, len);
        p += 4 * ((len + 4) / 4);
    }
    WORD(0);                  /* ATAG_NONE */
    WORD(ATAG_NONE);
#undef WORD
    return p - buf;
}

/* Set a property to a value of the node's parent's cell sizes. */
static int set_cells(void *fdt, int node, const char *name, int cells, uint64_t v)
{
    uint32_t be[2];
    if (cells == 2) {
        be[0] = cpu_to_fdt32(v >> 32);
        be[1] = cpu_to_fdt32(v);
        return fdt_setprop(fdt, node, name, be, 8);
    }
    be[0] = cpu_to_fdt32(v);
    return fdt_setprop(fdt, node, name, be, 4);
}

void *arm_boot_fdt_setup(const void *fdt, size_t size, uint64_t ram_base, uint64_t ram_size,
                         uint64_t initrd_addr, uint64_t initrd_size, const char *cmdline,
                         size_t *out_size, char **err)
{
    if (size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
        set_err(err, "not a flattened device tree (no 0xd00dfeed magic)");
        return NULL;
    }
    int r = fdt_check_header(fdt);
    if (r != 0 || fdt_totalsize(fdt) > size) {
        set_err(err, "bad device tree: %s", r ? fdt_strerror(r) : "truncated");
        return NULL;
    }
    size_t cap = fdt_totalsize(fdt) + (cmdline ? strlen(cmdline) : 0) + 4096;
    void *out = malloc(cap);
    if (!out) {
        set_err(err, "out of memory");
        return NULL;
    }
    r = fdt_open_into(fdt, out, cap);
    if (r)
        goto bad;
    int acells = fdt_address_cells(out, 0), scells = fdt_size_cells(out, 0);
    if (acells < 1 || acells > 2 || scells < 1 || scells > 2) {
        set_err(err, "device tree: unsupported #address-cells %d / #size-cells %d at the root", acells, scells);
        free(out);
        return NULL;
    }
    /* /memory: the RAM this machine has, whatever the file said. */
    int mem = fdt_path_offset(out, "/memory");
    if (mem < 0) {
        mem = fdt_add_subnode(out, 0, "memory");
        if (mem < 0) {
            r = mem;
            goto bad;
        }
        if ((r = fdt_setprop_string(out, mem, "device_type", "memory")))
            goto bad;
    }
    uint32_t reg[4];
    int n = 0;
    if (acells == 2)
        reg[n++] = cpu_to_fdt32(ram_base >> 32);
    reg[n++] = cpu_to_fdt32(ram_base);
    if (scells == 2)
        reg[n++] = cpu_to_fdt32(ram_size >> 32);
    reg[n++] = cpu_to_fdt32(ram_size);
    if ((r = fdt_setprop(out, mem, "reg", reg, 4 * n)))
        goto bad;

    int chosen = fdt_path_offset(out, "/chosen");
    if (chosen < 0 && (chosen = fdt_add_subnode(out, 0, "chosen")) < 0) {
        r = chosen;
        goto bad;
    }
    if (cmdline && *cmdline && (r = fdt_setprop_string(out, chosen, "bootargs", cmdline)))
        goto bad;
    if (initrd_size) {
        if ((r = set_cells(out, chosen, "linux,initrd-start", acells, initrd_addr)) ||
            (r = set_cells(out, chosen, "linux,initrd-end", acells, initrd_addr + initrd_size)))
            goto bad;
    } else {
        /* a tree from a previous boot loader may name an initrd we do not pass */
        fdt_delprop(out, chosen, "linux,initrd-start");
        fdt_delprop(out, chosen, "linux,initrd-end");
    }
    if ((r = fdt_pack(out)))
        goto bad;
    *out_size = fdt_totalsize(out);
    return out;
bad:
    set_err(err, "device tree: %s", fdt_strerror(r));
    free(out);
    return NULL;
}

static bool fits(const ArmBootImage *img, uint64_t addr, uint64_t size)
{
    return addr >= img->ram_base && addr - img->ram_base <= img->ram_size &&
           size <= img->ram_size - (addr - img->ram_base);
}

ArmBootImage *arm_boot_prepare(const ArmBootConfig *cfg, char **err)
{
    *err = NULL;
    ArmBootImage *img = calloc(1, sizeof(*img));
    uint8_t *kernel = NULL, *dtbfile = NULL, *board_dtb = NULL;
    size_t ksize = 0, dsize = 0;
    if (!img) {
        set_err(err, "out of memory");
        return NULL;
    }
    img->ram_base = cfg->ram_base;
    img->ram_size = cfg->ram_size;
    if (!cfg->kernel) {
        set_err(err, "no kernel given");
        goto fail;
    }
    size_t cmdlen = cfg->cmdline ? strlen(cfg->cmdline) : 0;
    if (cmdlen >= ARM_BOOT_CMDLINE_MAX) {
        set_err(err, "kernel command line is %zu bytes; Linux takes at most %d", cmdlen,
                ARM_BOOT_CMDLINE_MAX - 1);
        goto fail;
    }
    if (!(kernel = read_file("kernel", cfg->kernel, &ksize, err)))
        goto fail;
    if (ksize < 64) {
        set_err(err, "kernel '%s' is %s (%zu bytes)", cfg->kernel, ksize ? "truncated" : "empty", ksize);
        goto fail;
    }
    img->kind = arm_boot_detect(kernel, ksize);
    img->file = kernel;   /* the segments point into it */
    kernel = NULL;
    bool ok = img->kind == ARM_KERNEL_ZIMAGE ? load_zimage(img, cfg, img->file, ksize, err)
              : img->kind == ARM_KERNEL_ELF  ? load_elf(img, cfg, img->file, ksize, err)
                                             : load_image(img, cfg, img->file, ksize, err);
    if (!ok)
        goto fail;
    if (!img->nsegs) {
        set_err(err, "out of memory");
        goto fail;
    }
    if (img->kernel_low < cfg->ram_base + ARM_BOOT_ATAGS_OFFSET + ARM_BOOT_CMDLINE_MAX + 128) {
        set_err(err, "kernel '%s' starts at 0x%llx, over the boot stub and parameters at RAM + 0..0x%x",
                cfg->kernel, (unsigned long long)img->kernel_low,
                ARM_BOOT_ATAGS_OFFSET + ARM_BOOT_CMDLINE_MAX + 128);
        goto fail;
    }
    if (!fits(img, img->kernel_low, img->kernel_high - img->kernel_low)) {
        set_err(err, "kernel '%s' (%llu bytes at 0x%llx) does not fit in %llu MiB of RAM", cfg->kernel,
                (unsigned long long)(img->kernel_high - img->kernel_low), (unsigned long long)img->kernel_low,
                (unsigned long long)(cfg->ram_size / MiB));
        goto fail;
    }

    /* The initrd, above anything the kernel unpacks itself into. */
    uint64_t low = cfg->ram_size / 2 < 128 * MiB ? cfg->ram_size / 2 : 128 * MiB;
    uint64_t initrd_addr = cfg->ram_base + low;
    if (initrd_addr < align_up(img->kernel_high, MiB))
        initrd_addr = align_up(img->kernel_high, MiB);
    if (cfg->initrd) {
        size_t isize;
        if (!(img->initrd = read_file("initrd", cfg->initrd, &isize, err)))
            goto fail;
        img->initrd_size = isize;
        img->initrd_addr = initrd_addr;
        if (!fits(img, initrd_addr, isize + 4096)) {
            set_err(err, "initrd '%s' is too large: %zu bytes at 0x%llx do not fit in %llu MiB of RAM "
                    "with the kernel and its parameters", cfg->initrd, isize, (unsigned long long)initrd_addr,
                    (unsigned long long)(cfg->ram_size / MiB));
            goto fail;
        }
    }

    /* The boot parameters. */
    if (cfg->dtb) {
        if (!(dtbfile = read_file("device tree", cfg->dtb, &dsize, err)))
            goto fail;
        char *why = NULL;
        img->params = arm_boot_fdt_setup(dtbfile, dsize, cfg->ram_base, cfg->ram_size, img->initrd_addr,
                                         img->initrd_size, cfg->cmdline, &dsize, &why);
        if (!img->params) {
            set_err(err, "device tree '%s': %s", cfg->dtb, why);
            free(why);
            goto fail;
        }
    } else if (cfg->force_atags || img->appended_dtb || !cfg->make_dtb) {
        uint8_t buf[ARM_BOOT_CMDLINE_MAX + 128];
        size_t n = arm_boot_write_atags(buf, sizeof(buf), cfg->ram_base, cfg->ram_size, img->initrd_addr,
                                        img->initrd_size, cfg->cmdline);
        img->atags = true;
        img->params = malloc(n);
        if (!n || !img->params) {
            set_err(err, "cannot build the ATAG list");
            goto fail;
        }
        memcpy(img->params, buf, n);
        dsize = n;
    } else {
        char *why = NULL;
        size_t bsize = 0;
        board_dtb = cfg->make_dtb(cfg->make_dtb_opaque, cfg->ram_size, &bsize, &why);
        if (!board_dtb) {
            set_err(err, "cannot build the board's device tree: %s", why ? why : "?");
            free(why);
            goto fail;
        }
        img->params = arm_boot_fdt_setup(board_dtb, bsize, cfg->ram_base, cfg->ram_size, img->initrd_addr,
                                         img->initrd_size, cfg->cmdline, &dsize, &why);
        if (!img->params) {
            set_err(err, "the board's device tree: %s", why);
            free(why);
            goto fail;
        }
    }
    img->params_size = dsize;
    if (img->atags) {
        img->params_addr = cfg->ram_base + ARM_BOOT_ATAGS_OFFSET;
    } else {
        img->params_addr = align_up(initrd_addr + img->initrd_size, 4096);
        if (!fits(img, img->params_addr, dsize)) {
            set_err(err, "%s: the device tree (%zu bytes) does not fit in RAM above 0x%llx",
                    cfg->initrd ? "initrd too large" : "RAM too small", dsize,
                    (unsigned long long)img->params_addr);
            goto fail;
        }
    }

    /* The stub: r0 = 0, r1 = board, r2 = parameters, pc = kernel. */
    img->stub[0] = 0xe3a00000;   /* mov r0, #0 */
    img->stub[1] = 0xe59f1004;   /* ldr r1, [pc, #4]  -> word 4 */
    img->stub[2] = 0xe59f2004;   /* ldr r2, [pc, #4]  -> word 5 */
    img->stub[3] = 0xe59ff004;   /* ldr pc, [pc, #4]  -> word 6 */
    img->stub[4] = cfg->board_id;
    img->stub[5] = (uint32_t)img->params_addr;
    img->stub[6] = (uint32_t)img->entry;
    free(dtbfile);
    free(board_dtb);
    return img;
fail:
    free(kernel);
    free(dtbfile);
    free(board_dtb);
    arm_boot_free(img);
    return NULL;
}

void arm_boot_install(const ArmBootImage *img, uint8_t *ram, uint64_t ram_size)
{
    uint64_t base = img->ram_base;
    for (int i = 0; i < 7; i++)
        put_le32(ram + ARM_BOOT_STUB_OFFSET + 4 * i, img->stub[i]);
    for (int i = 0; i < img->nsegs; i++) {
        const ArmBootSegment *s = &img->segs[i];
        memcpy(ram + (s->addr - base), s->data, s->filesz);
        memset(ram + (s->addr - base) + s->filesz, 0, s->memsz - s->filesz);
    }
    if (img->initrd_size)
        memcpy(ram + (img->initrd_addr - base), img->initrd, img->initrd_size);
    memcpy(ram + (img->params_addr - base), img->params, img->params_size);
    (void)ram_size;
}

void arm_boot_free(ArmBootImage *img)
{
    if (!img)
        return;
    free(img->file);
    free(img->segs);
    free(img->initrd);
    free(img->params);
    free(img);
}
