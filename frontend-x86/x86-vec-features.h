/*
 * x86-vec-features.h — which vector extensions vemu can offer a guest on
 * this host.  The helpers in x86-vec-*-host-x86_64.c run the guest's own
 * instruction on the host, so an extension they serve exists for the guest
 * only when the host has it; the portable ones (integer, shuffles, AES-NI,
 * PCLMULQDQ, the string compares) always work.  The cpu model
 * (x86-cpuid.c) reports a CPUID bit only when its model has it AND this
 * says the host can run it.
 */
#ifndef VEMU_X86_VEC_FEATURES_H
#define VEMU_X86_VEC_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

enum {
    X86_VEC_FEAT_MMX    = 1u << 0,
    X86_VEC_FEAT_SSE    = 1u << 1,
    X86_VEC_FEAT_SSE2   = 1u << 2,
    X86_VEC_FEAT_SSE3   = 1u << 3,
    X86_VEC_FEAT_SSSE3  = 1u << 4,
    X86_VEC_FEAT_SSE41  = 1u << 5,
    X86_VEC_FEAT_SSE42  = 1u << 6,
    X86_VEC_FEAT_AES    = 1u << 7,
    X86_VEC_FEAT_PCLMUL = 1u << 8,
    X86_VEC_FEAT_AVX    = 1u << 9,
    X86_VEC_FEAT_AVX2   = 1u << 10,
    X86_VEC_FEAT_FMA    = 1u << 11,
    X86_VEC_FEAT_F16C   = 1u << 12,
};

/* The X86_VEC_FEAT_* bits this host can emulate (computed once). */
uint32_t x86_vec_host_features(void);
/* Whether scalar and packed SSE arithmetic may run inline as the IR's
 * float ops (translate-sse.c).  Only where the host's own flags are x86's
 * (x86_64): an inline op with a plain result never calls its fallback, so
 * DE for a denormal operand would come from nowhere else; other hosts take
 * the helpers (x86-vec-fp-soft.c). */
bool x86_vec_fp_inline(void);
/* For CPUID feature word `word` (x86-cpuid.h X86_FW_*): all ones except
 * the vector extensions this host cannot emulate. */
uint32_t x86_vec_cpuid_mask(unsigned word);

#endif
