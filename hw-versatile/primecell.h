/*
 * primecell.h — what the ARM PrimeCell parts share (private to
 * hw-versatile/): the identification registers at the top of their 4 KiB
 * window, and the rule for narrow accesses.
 *
 * Every PrimeCell ends its window with PeriphID0..3 at 0xFE0..0xFEC and
 * PCellID0..3 at 0xFF0..0xFFC, one byte of the 32-bit ID in the low 8 bits
 * of each register; PCellID is always 0xB105F00D.
 *
 * The registers are 32 bits wide.  A byte or halfword read returns the
 * matching part of the word (drivers read some registers 16 bits wide);
 * a narrower write is taken as a write of the whole register, zero-
 * extended, which is what the bus does for the registers these drivers
 * write narrow (PL011's DR, for one).
 */
#ifndef VEMU_HW_VERSATILE_PRIMECELL_H
#define VEMU_HW_VERSATILE_PRIMECELL_H

#include <stdbool.h>
#include <stdint.h>

#define PRIMECELL_WINDOW 0x1000
#define PRIMECELL_PCELL_ID 0xB105F00Du

/* True when offset (word aligned) is an ID register; *value its byte. */
static inline bool primecell_id_read(uint64_t offset, uint32_t periph_id, uint32_t *value)
{
    if (offset >= 0xFE0 && offset < 0xFF0) {
        *value = (periph_id >> (8 * ((offset - 0xFE0) / 4))) & 0xFF;
        return true;
    }
    if (offset >= 0xFF0 && offset < 0x1000) {
        *value = (PRIMECELL_PCELL_ID >> (8 * ((offset - 0xFF0) / 4))) & 0xFF;
        return true;
    }
    return false;
}

/* The part of a 32-bit register value a size-byte read at offset sees. */
static inline uint64_t primecell_narrow(uint32_t word, uint64_t offset, unsigned size)
{
    unsigned shift = (offset & 3) * 8;
    uint64_t v = word >> shift;
    if (size < 4)
        v &= (1u << (size * 8)) - 1;
    return v;
}

#endif
