/*
 * x86-vec-impl.h — private to the vector helpers (x86-vec-*.c): reading a
 * descriptor's operands into local copies and writing the result back with
 * the rules of the encoding (legacy SSE keeps bits 255:128, VEX.128 zeroes
 * them, MMX writes an x87 significand and marks the x87 stack as MMX).
 */
#ifndef VEMU_X86_VEC_IMPL_H
#define VEMU_X86_VEC_IMPL_H

#include <string.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-vec-helpers.h"

/* The operation's width in bytes: 8 (MMX), 16 or 32. */
static inline unsigned vec_bytes(uint32_t desc)
{
    return (desc & X86V_MMX) ? 8 : (desc & X86V_L256) ? 32 : 16;
}

/* A copy of register r, read as 64-bit pieces: generated code writes the
 * registers 64 bits at a time, and a wider load of a just-written register
 * would wait for those stores to retire (a failed store-to-load forward,
 * ~15 cycles on current x86 hosts).  The copy is written whole, so the
 * helper's own wide loads of it forward. */
static inline void vec_copy_in(X86Vec256 *v, const X86Vec256 *src, unsigned bytes)
{
#if defined(__x86_64__)
    for (unsigned i = 0; i < bytes; i += 16) {
        __m128i lo = _mm_loadl_epi64((const __m128i *)&src->b[i]);
        __m128i hi = _mm_loadl_epi64((const __m128i *)&src->b[i + 8]);
        _mm_store_si128((__m128i *)&v->b[i], _mm_unpacklo_epi64(lo, hi));
    }
#else
    memcpy(v, src, bytes);
#endif
}

/* Register r of the descriptor's register file: the bytes the operation
 * reads (8 MMX, 16, 32); the rest of *v is unspecified. */
static inline void vec_read(const X86CPU *cpu, uint32_t desc, unsigned r, X86Vec256 *v)
{
    if ((desc & X86V_MMX) && r < X86_VEC_NREGS) {
        memset(v, 0, sizeof(*v));
        v->q[0] = cpu->fpu.r[r & 7].mant;
    } else {
        vec_copy_in(v, &cpu->vec.ymm[r], (desc & X86V_L256) ? 32 : 16);
    }
}

/* An MMX instruction's effect on the x87 unit: TOP 0, every tag valid. */
static inline void vec_mmx_enter(X86CPU *cpu)
{
    cpu->fpu.top = 0;
    cpu->fpu.ftw = 0;
}

/* Write an MMX register: the significand, with the exponent all ones. */
static inline void vec_write_mmx(X86CPU *cpu, unsigned r, uint64_t val)
{
    cpu->fpu.r[r & 7].mant = val;
    cpu->fpu.r[r & 7].sign_exp = 0xffff;
    vec_mmx_enter(cpu);
}

/* Write the result r to d: `bytes` bytes of it (16: the low half, 32: all);
 * a VEX-encoded 128-bit write zeroes the upper half. */
static inline void vec_write_n(X86CPU *cpu, uint32_t desc, unsigned d, const X86Vec256 *r, unsigned bytes)
{
    if ((desc & X86V_MMX) && d < X86_VEC_NREGS) {
        vec_write_mmx(cpu, d, r->q[0]);
        return;
    }
    /* 64-bit pieces, through general registers: the helper's result may
     * have been stored in 8-byte pieces (and generated code reads 8 bytes) */
    X86Vec256 *dst = &cpu->vec.ymm[d];
    for (unsigned i = 0; i < bytes / 8; i++) {
        uint64_t t = r->q[i];
        __asm__("" : "+r"(t));
        dst->q[i] = t;
    }
    if (bytes == 16 && (desc & X86V_VEX))
        dst->q[2] = dst->q[3] = 0;
}

static inline void vec_write(X86CPU *cpu, uint32_t desc, const X86Vec256 *r)
{
    vec_write_n(cpu, desc, X86V_D(desc), r, (desc & X86V_L256) ? 32 : 16);
}

/* The usual shape: a = s1, b = s2. */
#define VEC_OPERANDS(cpu, desc, a, b) \
    X86Vec256 a, b; \
    vec_read(cpu, desc, X86V_S1(desc), &a); \
    vec_read(cpu, desc, X86V_S2(desc), &b)

static inline int64_t vec_sat(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

#endif
