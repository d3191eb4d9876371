/*
 * binfmt-arch.h — the guest architectures vemu-binfmt knows, and the
 * binfmt_misc magic/mask pattern that recognises each one's ELF programs.
 *
 * One table drives everything: `vemu-binfmt install`, `status`, and the
 * systemd binfmt.d files generated at build time (`vemu-binfmt conf`), so
 * the hex strings exist in exactly one place — computed from the fields
 * below, never written out by hand.
 */
#ifndef VEMU_TOOLS_BINFMT_ARCH_H
#define VEMU_TOOLS_BINFMT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* binfmt_misc matches the first 20 bytes of the ELF header: e_ident (16),
 * e_type (2) and e_machine (2). */
#define BINFMT_ELF_PATTERN_LEN 20

/* Upper bound on the table (arrays indexed by arch, bitmasks of arches). */
#define BINFMT_MAX_ARCHES 16

typedef struct BinfmtArch {
    const char *name;       /* the ARCH argument: "arm" */
    const char *interp;     /* the translator program: "vemu-arm" */
    uint8_t elf_class;      /* ELFCLASS32 / ELFCLASS64 */
    uint8_t elf_data;       /* ELFDATA2LSB / ELFDATA2MSB */
    uint16_t e_machine;     /* EM_ARM, ... */
    bool built;             /* false: the guest does not exist yet, refuse it */
} BinfmtArch;

/* Does this host's cpu run the arch's programs itself?  An x86_64 host
 * runs i386 and x86_64 programs (an i386 host i386 ones): an entry for
 * them would capture every native program of the machine, so vemu-binfmt
 * refuses to register one.  Returns the host's name for messages, or
 * NULL when the arch is foreign here. */
const char *binfmt_arch_native_host(const BinfmtArch *a);

extern const BinfmtArch binfmt_arches[];
extern const size_t binfmt_n_arches;

const BinfmtArch *binfmt_arch_find(const char *name);

/* The magic and mask that match the arch's ET_EXEC and ET_DYN ELF files. */
void binfmt_arch_pattern(const BinfmtArch *a, uint8_t magic[BINFMT_ELF_PATTERN_LEN],
                         uint8_t mask[BINFMT_ELF_PATTERN_LEN]);

/* A typical ELF header of the arch with the given e_type (ET_EXEC, ET_DYN),
 * as the kernel would see it; used to ask "would this entry claim it?". */
void binfmt_arch_sample_header(const BinfmtArch *a, uint16_t e_type,
                               uint8_t hdr[BINFMT_ELF_PATTERN_LEN]);

/* Writes n bytes as binfmt_misc escapes ("\x7f\x45...") into out, which
 * must hold 4 * n + 1 bytes. */
void binfmt_escape(const uint8_t *bytes, size_t n, char *out);

/* The register line ":name:M::magic:mask:interpreter:flags" (malloc'd). */
char *binfmt_register_line(const BinfmtArch *a, const char *name, const char *interpreter,
                           const char *flags);

#endif
