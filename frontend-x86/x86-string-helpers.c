/*
 * x86-string-helpers.c — the bulk part of REP MOVS and REP STOS with DF
 * clear (translate-string.c).  Generated code moves the first element of
 * each page itself, so a fault happens there, precisely, with rCX/rSI/rDI
 * as the hardware leaves them; these helpers then move the elements that
 * lie wholly in the same source and destination pages, which that element
 * has shown readable and writable.  User mode: guest memory is host
 * memory at guest_base.
 */
#include <string.h>

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-helpers.h"

static uint8_t *host(X86CPU *cpu, uint64_t addr)
{
    return (uint8_t *)(cpu->common.guest_base + (uintptr_t)addr);
}

/* one element (a constant size: a single load and store) */
static inline __attribute__((always_inline)) void copy_elem(uint8_t *d, const uint8_t *s, unsigned size)
{
    uint64_t v;
    memcpy(&v, s, size);
    memcpy(d, &v, size);
}

/* Element by element, in order: a destination that overlaps the source
 * from above sees the elements already moved (a repeating pattern), as on
 * the hardware.  memmove is that whenever no element reads bytes an
 * earlier one wrote. */
void x86_helper_rep_movs(void *env, uint64_t dst, uint64_t src, uint64_t n, uint32_t size)
{
    X86CPU *cpu = env;
    uint8_t *d = host(cpu, dst);
    const uint8_t *s = host(cpu, src);
    size_t bytes = (size_t)n * size;
    if (d <= s || d >= s + bytes) {
        memmove(d, s, bytes);
        return;
    }
    switch (size) {
    case 1: for (size_t i = 0; i < bytes; i++) d[i] = s[i]; break;
    case 2: for (size_t i = 0; i < bytes; i += 2) copy_elem(d + i, s + i, 2); break;
    case 4: for (size_t i = 0; i < bytes; i += 4) copy_elem(d + i, s + i, 4); break;
    default: for (size_t i = 0; i < bytes; i += 8) copy_elem(d + i, s + i, 8); break;
    }
}

void x86_helper_rep_stos(void *env, uint64_t dst, uint64_t val, uint64_t n, uint32_t size)
{
    X86CPU *cpu = env;
    uint8_t *d = host(cpu, dst);
    size_t bytes = (size_t)n * size;
    if (size == 1) {
        memset(d, (int)(val & 0xff), bytes);
        return;
    }
    /* the element repeated over 8 bytes, stored from the first element on:
     * 8 is a multiple of the element size, so every chunk starts on one */
    uint64_t pat = size == 2 ? (val & 0xffff) * 0x0001000100010001ull
                 : size == 4 ? (val & 0xffffffff) * 0x0000000100000001ull : val;
    size_t i = 0;
    for (; i + 8 <= bytes; i += 8)
        memcpy(d + i, &pat, 8);
    memcpy(d + i, &pat, bytes - i);
}
