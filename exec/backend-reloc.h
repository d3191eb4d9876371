/*
 * backend-reloc.h — reading and rewriting the address a relocation field
 * holds, for every BackendRelocKind (exec/backend.h), whatever the host vemu
 * runs on: the persistent translation cache (exec/tb-persist*.c) moves
 * blocks with it, and unit tests check each form on any build machine.
 *
 * A field lies in a block's code at host address `at` (where the code runs,
 * the rx address; the bytes may be read and written through another view).
 * The fields are little-endian, as both hosts are.  docs/translation-cache.md
 * lists the forms.
 */
#ifndef VEMU_BACKEND_RELOC_H
#define VEMU_BACKEND_RELOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* Bytes the field of kind k at p takes (at most avail bytes are looked at),
 * or 0 when the bytes there are not that form: a REL32 4, an IMM64/ABS64
 * 8, an A64_B26 4, an A64_ADRP_ADD 8, an A64_MOVW 4 per instruction. */
unsigned backend_reloc_size(uint32_t k, const uint8_t *p, size_t avail);

/* The value the field holds (the target address for the pc-relative
 * forms).  False when the bytes are not the form. */
bool backend_reloc_get(uint32_t k, const uint8_t *p, size_t avail, uint64_t at, uint64_t *value);

/* Can the field at `at` hold value (reach of a pc-relative form, width of
 * a MOVZ/MOVK sequence)?  Nothing is written. */
bool backend_reloc_fits(uint32_t k, const uint8_t *p, size_t avail, uint64_t at, uint64_t value);

/* Make the field hold value; false (nothing written) when it cannot. */
bool backend_reloc_set(uint32_t k, uint8_t *p, size_t avail, uint64_t at, uint64_t value);

#endif
