/*
 * binfmt-arch.c — the architecture table and its ELF magic/mask patterns.
 *
 * The pattern follows the ELF specification's header layout:
 *   e_ident[0..3]  0x7f 'E' 'L' 'F'        matched exactly
 *   e_ident[4]     EI_CLASS                matched (32- or 64-bit)
 *   e_ident[5]     EI_DATA                 matched (byte order)
 *   e_ident[6]     EI_VERSION = EV_CURRENT matched
 *   e_ident[7]     EI_OSABI                ignored: toolchains write 0 (SYSV)
 *                                          or 3 (GNU/Linux) for the same ABI
 *   e_ident[8]     EI_ABIVERSION           ignored, like the kernel's own
 *   e_ident[9..15] padding                 ignored    ELF loader does
 *   e_type         ET_EXEC (2) / ET_DYN (3) the low bit is masked so both
 *                                          match, but not ET_REL/ET_CORE
 *   e_machine      EM_*                    matched exactly
 * Multi-byte fields are stored in the arch's own byte order.
 */
#include "tools/binfmt-arch.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vemu-i386 and vemu-x86_64 exist once frontend-x86 does (the build
 * defines VEMU_BINFMT_X86 then: tools/module.mk). */
#ifdef VEMU_BINFMT_X86
#define X86_BUILT true
#else
#define X86_BUILT false
#endif

/* Adding a guest is one line here (and flipping `built` once vemu-<arch>
 * exists). */
const BinfmtArch binfmt_arches[] = {
    { "arm",    "vemu-arm",    ELFCLASS32, ELFDATA2LSB, EM_ARM,    true  },
    { "i386",   "vemu-i386",   ELFCLASS32, ELFDATA2LSB, EM_386,    X86_BUILT },
    { "x86_64", "vemu-x86_64", ELFCLASS64, ELFDATA2LSB, EM_X86_64, X86_BUILT },
};
const size_t binfmt_n_arches = sizeof(binfmt_arches) / sizeof(binfmt_arches[0]);
_Static_assert(sizeof(binfmt_arches) / sizeof(binfmt_arches[0]) <= BINFMT_MAX_ARCHES,
               "raise BINFMT_MAX_ARCHES");

const BinfmtArch *binfmt_arch_find(const char *name)
{
    for (size_t i = 0; i < binfmt_n_arches; i++)
        if (!strcmp(binfmt_arches[i].name, name))
            return &binfmt_arches[i];
    return NULL;
}

const char *binfmt_arch_native_host(const BinfmtArch *a)
{
#if defined(__x86_64__)
    if (a->e_machine == EM_X86_64 || a->e_machine == EM_386)
        return "x86_64";
#elif defined(__i386__)
    if (a->e_machine == EM_386)
        return "i386";
#endif
    (void)a;
    return NULL;
}

static void put16(const BinfmtArch *a, uint8_t *p, uint16_t v)
{
    if (a->elf_data == ELFDATA2MSB) {
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
    } else {
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
    }
}

void binfmt_arch_pattern(const BinfmtArch *a, uint8_t magic[BINFMT_ELF_PATTERN_LEN],
                         uint8_t mask[BINFMT_ELF_PATTERN_LEN])
{
    memset(magic, 0, BINFMT_ELF_PATTERN_LEN);
    memset(mask, 0, BINFMT_ELF_PATTERN_LEN);
    memcpy(magic, ELFMAG, SELFMAG);
    magic[EI_CLASS] = a->elf_class;
    magic[EI_DATA] = a->elf_data;
    magic[EI_VERSION] = EV_CURRENT;
    memset(mask, 0xff, EI_VERSION + 1);         /* magic, class, data, version */
    /* ET_EXEC = 2 and ET_DYN = 3 differ only in bit 0. */
    put16(a, magic + 16, ET_EXEC);
    put16(a, mask + 16, (uint16_t)~1u);
    put16(a, magic + 18, a->e_machine);
    put16(a, mask + 18, 0xffff);
}

void binfmt_arch_sample_header(const BinfmtArch *a, uint16_t e_type,
                               uint8_t hdr[BINFMT_ELF_PATTERN_LEN])
{
    memset(hdr, 0, BINFMT_ELF_PATTERN_LEN);
    memcpy(hdr, ELFMAG, SELFMAG);
    hdr[EI_CLASS] = a->elf_class;
    hdr[EI_DATA] = a->elf_data;
    hdr[EI_VERSION] = EV_CURRENT;
    hdr[EI_OSABI] = ELFOSABI_SYSV;
    put16(a, hdr + 16, e_type);
    put16(a, hdr + 18, a->e_machine);
}

void binfmt_escape(const uint8_t *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 4 * i, "\\x%02x", bytes[i]);
    out[4 * n] = '\0';
}

char *binfmt_register_line(const BinfmtArch *a, const char *name, const char *interpreter,
                           const char *flags)
{
    uint8_t magic[BINFMT_ELF_PATTERN_LEN], mask[BINFMT_ELF_PATTERN_LEN];
    char magic_s[4 * BINFMT_ELF_PATTERN_LEN + 1], mask_s[4 * BINFMT_ELF_PATTERN_LEN + 1];
    binfmt_arch_pattern(a, magic, mask);
    binfmt_escape(magic, sizeof(magic), magic_s);
    binfmt_escape(mask, sizeof(mask), mask_s);
    char *line = NULL;
    if (asprintf(&line, ":%s:M::%s:%s:%s:%s", name, magic_s, mask_s, interpreter, flags) < 0)
        return NULL;
    return line;
}
