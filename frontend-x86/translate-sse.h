/*
 * translate-sse.h — private to frontend-x86's vector translation
 * (translate-sse.c, translate-sse-move.c): where the registers live in
 * X86CPU, and the operand plumbing both files share.
 */
#ifndef VEMU_TRANSLATE_SSE_H
#define VEMU_TRANSLATE_SSE_H

#include <stddef.h>

#include "frontend-x86/x86-translate.h"
#include "frontend-x86/x86-vec-helpers.h"

/* Offsets in X86CPU: qword i of YMM r; MMX register r (an x87 significand). */
static inline uint32_t vec_off(unsigned r, unsigned q)
{
    return (uint32_t)(offsetof(X86CPU, vec.ymm) + r * sizeof(X86Vec256) + q * 8);
}
static inline uint32_t mmx_off(unsigned r)
{
    return (uint32_t)(offsetof(X86CPU, fpu.r) + (r & 7) * sizeof(X87Reg) + offsetof(X87Reg, mant));
}

/* The qword count of an operand size (1 for 64 bits and less). */
static inline unsigned ot_qwords(unsigned ot)
{
    return ot == X86_OT_256 ? 4 : ot == X86_OT_128 ? 2 : 1;
}

static inline bool opk_mmx(unsigned kind)
{
    return kind == X86_OPK_P || kind == X86_OPK_Q || kind == X86_OPK_N;
}

/* ---- vector and MMX registers as 64-bit IR values ---- */
IRTemp sse_ldq(DisasContext *s, unsigned r, unsigned q);
void sse_stq(DisasContext *s, unsigned r, unsigned q, IRTemp v);
/* VEX.128 writes zero bits 255:128 of r */
void sse_zero_upper(DisasContext *s, unsigned r);
IRTemp sse_ld_mmx(DisasContext *s, unsigned r);
/* write MMX register r (exponent all ones, x87 stack in MMX state) */
void sse_st_mmx(DisasContext *s, unsigned r, IRTemp v);
/* every MMX instruction: TOP = 0, all tags valid */
void sse_mmx_enter(DisasContext *s);

/* ---- memory ---- */
/* ot-sized guest memory at d->addr (+ offset) as i64 values: n qwords
 * (ot 64 and up) or one zero-extended value (ot 8, 16, 32). */
void sse_ld_mem(DisasContext *s, X86Insn *d, unsigned ot, IRTemp *q);
void sse_st_mem(DisasContext *s, X86Insn *d, unsigned ot, const IRTemp *q);
/* #GP (SIGSEGV) unless d->addr is aligned to `bytes`: legacy SSE m128
 * operands (all but the unaligned moves and the string compares) and the
 * aligned moves in every encoding */
void sse_check_align(DisasContext *s, X86Insn *d, unsigned bytes);
/* a memory operand into the scratch register tmp, all loads before any write */
void sse_load_tmp(DisasContext *s, X86Insn *d, unsigned ot, unsigned tmp);

/* ---- general registers ---- */
IRTemp sse_tl_to_i64(DisasContext *s, IRTemp v);
IRTemp sse_i64_to_tl(DisasContext *s, IRTemp v);

#endif
