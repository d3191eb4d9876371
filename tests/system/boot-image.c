/*
 * boot-image.c — lays out a boot the way vemu-system-arm does
 * (hw-versatile/boot.c, and vemu's own device tree from
 * hw-versatile/versatile-fdt.c) and writes it as files plus the
 * qemu-system-arm options that load them: `-device loader,file=...,addr=...`
 * for each piece, no -kernel.  qemu-system-arm then starts at address 0,
 * in vemu's boot stub, with vemu's RAM contents: Debian's emulator and a
 * real kernel check vemu's loader and device tree before vemu's cpu can
 * (tests/system/run.sh, SYSTEM_EMU=qemu-vemuboot).
 *
 * usage: boot-image OUTDIR [-m SIZE] [-M versatilepb[,atags=on]] -kernel K
 *                   [-initrd I] [-append A] [-dtb D]
 * prints the qemu options, one per line; errors as vemu-system-arm says them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/boot.h"
#include "hw-versatile/versatile-fdt.h"

static void put(const char *dir, const char *name, uint64_t addr, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    printf("-device\nloader,file=%s,addr=0x%llx,force-raw=on\n", path, (unsigned long long)addr);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: boot-image OUTDIR [vemu-system-arm's boot options]\n");
        return 1;
    }
    ArmBootConfig cfg = { .ram_size = 128 << 20, .board_id = 0x183, .make_dtb = versatile_fdt_build };
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "-kernel"))
            cfg.kernel = v;
        else if (!strcmp(o, "-initrd"))
            cfg.initrd = v;
        else if (!strcmp(o, "-append"))
            cfg.cmdline = v;
        else if (!strcmp(o, "-dtb"))
            cfg.dtb = v;
        else if (!strcmp(o, "-m"))
            cfg.ram_size = strtoull(v, NULL, 0) << 20;
        else if (!strcmp(o, "-M"))
            cfg.force_atags = strstr(v, "atags=on") != NULL;
        else {
            fprintf(stderr, "boot-image: %s: invalid option\n", o);
            return 1;
        }
    }
    char *err = NULL;
    ArmBootImage *img = arm_boot_prepare(&cfg, &err);
    if (!img) {
        fprintf(stderr, "boot-image: %s\n", err);
        return 1;
    }
    uint8_t stub[28];
    for (int i = 0; i < 7; i++)
        for (int b = 0; b < 4; b++)
            stub[4 * i + b] = img->stub[i] >> (8 * b);
    put(argv[1], "stub.bin", 0, stub, sizeof(stub));
    for (int i = 0; i < img->nsegs; i++) {
        char name[32];
        snprintf(name, sizeof(name), "kernel%d.bin", i);
        const ArmBootSegment *s = &img->segs[i];
        uint8_t *buf = calloc(1, s->memsz);
        memcpy(buf, s->data, s->filesz);
        put(argv[1], name, s->addr, buf, s->memsz);
        free(buf);
    }
    if (img->initrd_size)
        put(argv[1], "initrd.bin", img->initrd_addr, img->initrd, img->initrd_size);
    put(argv[1], img->atags ? "atags.bin" : "tree.dtb", img->params_addr, img->params, img->params_size);
    arm_boot_free(img);
    return 0;
}
