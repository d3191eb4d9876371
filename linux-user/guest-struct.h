/*
 * guest-struct.h — building guest C structs field by field.
 *
 * A guest struct is written as a sequence of fields; each is placed at its
 * natural alignment in the guest's C ABI, where 64-bit members align to
 * syscall_abi()->llong_align (8 on ARM EABI, 4 on ARM OABI and i386).  One
 * description therefore serves every 32-bit guest ABI, e.g. struct stat64
 * comes out as 104 bytes on ARM EABI and 96 on ARM OABI and i386, as their
 * kernels define it.
 */
#ifndef VEMU_LINUX_USER_GUEST_STRUCT_H
#define VEMU_LINUX_USER_GUEST_STRUCT_H

#include <stdint.h>
#include <string.h>

#include "linux-user/target.h"

typedef struct GuestStruct {
    uint8_t buf[256];
    unsigned off;
    unsigned llalign;     /* alignment of 64-bit fields */
    unsigned maxalign;    /* the struct's own alignment */
    unsigned wsize;       /* the guest's long and pointer size (4 or 8) */
} GuestStruct;

static inline void gs_init(GuestStruct *s, unsigned llalign)
{
    memset(s, 0, sizeof(*s));
    s->llalign = llalign;
    s->maxalign = 1;
    s->wsize = guest_long_size();
}

/* With the current system call ABI's rules (the usual start). */
static inline void gs_init_abi(GuestStruct *s)
{
    gs_init(s, syscall_abi()->llong_align);
}

static inline void gs_align(GuestStruct *s, unsigned al)
{
    s->off = (s->off + al - 1) & ~(al - 1);
    if (al > s->maxalign)
        s->maxalign = al;
}

static inline void gs_u8(GuestStruct *s, uint8_t v) { s->buf[s->off++] = v; }
static inline void gs_u16(GuestStruct *s, uint16_t v) { gs_align(s, 2); memcpy(s->buf + s->off, &v, 2); s->off += 2; }
static inline void gs_u32(GuestStruct *s, uint32_t v) { gs_align(s, 4); memcpy(s->buf + s->off, &v, 4); s->off += 4; }
static inline void gs_u64(GuestStruct *s, uint64_t v) { gs_align(s, s->llalign); memcpy(s->buf + s->off, &v, 8); s->off += 8; }
static inline void gs_pad(GuestStruct *s, unsigned n) { s->off += n; }
/* long / unsigned long / pointer / size_t: 4 bytes on ILP32 guests, 8
 * (8-aligned) on LP64 ones; the value is truncated to the guest's width. */
static inline void gs_long(GuestStruct *s, int64_t v)
{
    if (s->wsize == 8) {
        gs_align(s, 8);
        memcpy(s->buf + s->off, &v, 8);
        s->off += 8;
    } else {
        gs_u32(s, (uint32_t)v);
    }
}
static inline void gs_ulong(GuestStruct *s, uint64_t v) { gs_long(s, (int64_t)v); }
static inline void gs_ptr(GuestStruct *s, uint64_t v) { gs_long(s, (int64_t)v); }
/* The size of the finished struct, padded to its alignment. */
static inline unsigned gs_size(GuestStruct *s) { gs_align(s, s->maxalign); return s->off; }

/* Reading a guest struct with the same layout rules. */
typedef struct GuestStructReader {
    const uint8_t *buf;
    unsigned off, llalign;
    unsigned wsize;       /* 0 reads as the current ABI's long size */
} GuestStructReader;

static inline uint16_t gsr_u16(GuestStructReader *r) { uint16_t v; r->off = (r->off + 1) & ~1u; memcpy(&v, r->buf + r->off, 2); r->off += 2; return v; }
static inline uint32_t gsr_u32(GuestStructReader *r) { uint32_t v; r->off = (r->off + 3) & ~3u; memcpy(&v, r->buf + r->off, 4); r->off += 4; return v; }
static inline uint64_t gsr_u64(GuestStructReader *r) { uint64_t v; r->off = (r->off + r->llalign - 1) & ~(r->llalign - 1); memcpy(&v, r->buf + r->off, 8); r->off += 8; return v; }
/* A guest long (sign-extended), unsigned long or pointer (zero-extended). */
static inline int64_t gsr_long(GuestStructReader *r)
{
    unsigned w = r->wsize ? r->wsize : guest_long_size();
    if (w == 8) {
        int64_t v;
        r->off = (r->off + 7) & ~7u;
        memcpy(&v, r->buf + r->off, 8);
        r->off += 8;
        return v;
    }
    return (int32_t)gsr_u32(r);
}
static inline uint64_t gsr_ulong(GuestStructReader *r)
{
    unsigned w = r->wsize ? r->wsize : guest_long_size();
    return w == 8 ? (uint64_t)gsr_long(r) : gsr_u32(r);
}
static inline uint64_t gsr_ptr(GuestStructReader *r) { return gsr_ulong(r); }

#endif
