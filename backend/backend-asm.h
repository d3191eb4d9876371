/*
 * backend-asm.h — where a backend writes machine code: a cursor into the
 * code buffer's rw view that knows where the bytes execute (the rx view),
 * so pc-relative branches are computed from run-time addresses.
 *
 * Writers never go past `end`: a write that would sets `overflow` and is
 * dropped, so emitters check once (the driver then reports "buffer full").
 */
#ifndef VEMU_BACKEND_ASM_H
#define VEMU_BACKEND_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct BackendRelocs;

typedef struct BackendAsm {
    uint8_t *start;        /* rw address of offset 0 */
    uint8_t *p;            /* next byte (rw) */
    uint8_t *end;          /* rw limit: never written */
    uintptr_t rx_start;    /* where offset 0 executes */
    bool overflow;
    /* NULL, or where the encoder records references that leave the block
     * (exec/backend.h: BackendRelocs) */
    struct BackendRelocs *relocs;
} BackendAsm;

static inline void backend_asm_init(BackendAsm *a, uint8_t *rw, uintptr_t rx, size_t size)
{
    a->start = a->p = rw;
    a->end = rw + size;
    a->rx_start = rx;
    a->overflow = false;
    a->relocs = NULL;
}
static inline size_t backend_asm_offset(const BackendAsm *a) { return (size_t)(a->p - a->start); }
static inline uintptr_t backend_asm_rx_here(const BackendAsm *a) { return a->rx_start + backend_asm_offset(a); }
static inline size_t backend_asm_room(const BackendAsm *a) { return (size_t)(a->end - a->p); }

#endif
