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
    for (size_t i = 0; i < bytes; i += size) {
        uint64_t v;
        memcpy(&v, s + i, size);
        memcpy(d + i, &v, size);
    }
}

void x86_helper_rep_stos(void *env, uint64_t dst, uint64_t val, uint64_t n, uint32_t size)
{
    X86CPU *cpu = env;
    uint8_t *d = host(cpu, dst);
    if (size == 1) {
        memset(d, (int)(val & 0xff), (size_t)n);
        return;
    }
    for (uint64_t i = 0; i < n; i++, d += size)
        memcpy(d, &val, size);
}
