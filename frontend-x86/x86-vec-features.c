/*
 * x86-vec-features.c — the vector extensions this host lets vemu offer
 * (x86-vec-features.h).
 */
#include <stdbool.h>

#include "frontend-x86/x86-cpuid.h"
#include "frontend-x86/x86-vec-features.h"

/* Served by portable C: no host requirement beyond the baseline. */
#define PORTABLE (X86_VEC_FEAT_MMX | X86_VEC_FEAT_SSSE3 | X86_VEC_FEAT_SSE42 | X86_VEC_FEAT_AES | \
                  X86_VEC_FEAT_PCLMUL | X86_VEC_FEAT_AVX2)

uint32_t x86_vec_host_features(void)
{
#if defined(__x86_64__)
    static uint32_t cached;
    if (cached)
        return cached;
    __builtin_cpu_init();
    /* SSE/SSE2 float math runs on the host's SSE2 (the x86_64 baseline);
     * SSE3 (haddps, addsubps), SSE4.1 (roundps, dpps ...) and the VEX-only
     * compare predicates (AVX) run the host's own instructions; a guest
     * extension built on one of them needs it. */
    uint32_t f = X86_VEC_FEAT_SSE | X86_VEC_FEAT_SSE2;
    bool sse3 = __builtin_cpu_supports("sse3"), sse41 = __builtin_cpu_supports("sse4.1");
    bool avx = __builtin_cpu_supports("avx");
    if (sse3)
        f |= X86_VEC_FEAT_SSE3;
    if (sse3 && sse41) {
        f |= X86_VEC_FEAT_SSE41;
        f |= PORTABLE & (X86_VEC_FEAT_MMX | X86_VEC_FEAT_SSSE3 | X86_VEC_FEAT_SSE42 | X86_VEC_FEAT_AES |
                         X86_VEC_FEAT_PCLMUL);
    }
    if ((f & X86_VEC_FEAT_SSE41) && avx) {
        f |= X86_VEC_FEAT_AVX | X86_VEC_FEAT_AVX2;
        if (__builtin_cpu_supports("fma"))
            f |= X86_VEC_FEAT_FMA;
        /* F16C: no __builtin_cpu_supports name in every compiler; CPUID.1:ECX[29] */
        unsigned a, b, c, d;
        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
        if (c & (1u << 29))
            f |= X86_VEC_FEAT_F16C;
    }
    f |= X86_VEC_FEAT_MMX;
    cached = f;
    return f;
#else
    /* Another host runs the floating point in portable C
     * (x86-vec-fp-soft*.c): every extension. */
    return PORTABLE | X86_VEC_FEAT_SSE | X86_VEC_FEAT_SSE2 | X86_VEC_FEAT_SSE3 | X86_VEC_FEAT_SSE41 |
           X86_VEC_FEAT_AVX | X86_VEC_FEAT_FMA | X86_VEC_FEAT_F16C;
#endif
}

bool x86_vec_fp_inline(void)
{
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
}

uint32_t x86_vec_cpuid_mask(unsigned word)
{
    static const struct { unsigned vec, feat; } map[] = {
        { X86_VEC_FEAT_MMX, X86_FEAT_MMX }, { X86_VEC_FEAT_SSE, X86_FEAT_SSE },
        { X86_VEC_FEAT_SSE2, X86_FEAT_SSE2 }, { X86_VEC_FEAT_SSE3, X86_FEAT_SSE3 },
        { X86_VEC_FEAT_SSSE3, X86_FEAT_SSSE3 }, { X86_VEC_FEAT_SSE41, X86_FEAT_SSE41 },
        { X86_VEC_FEAT_SSE42, X86_FEAT_SSE42 }, { X86_VEC_FEAT_AES, X86_FEAT_AES },
        { X86_VEC_FEAT_PCLMUL, X86_FEAT_PCLMULQDQ }, { X86_VEC_FEAT_AVX, X86_FEAT_AVX },
        { X86_VEC_FEAT_AVX2, X86_FEAT_AVX2 }, { X86_VEC_FEAT_FMA, X86_FEAT_FMA },
        { X86_VEC_FEAT_F16C, X86_FEAT_F16C },
    };
    /* every translation asks (x86_cpu_feature_word per word): the answer
     * is the host's, computed once (threads racing store the same words) */
    static uint32_t masks[X86_FEAT_WORDS];
    static int ready;
    if (word >= X86_FEAT_WORDS)
        return ~0u;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        uint32_t host = x86_vec_host_features();
        for (unsigned w = 0; w < X86_FEAT_WORDS; w++) {
            uint32_t mask = ~0u;
            for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (map[i].feat / 32 == w && !(host & map[i].vec))
                    mask &= ~(1u << (map[i].feat % 32));
            __atomic_store_n(&masks[w], mask, __ATOMIC_RELAXED);
        }
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&masks[word], __ATOMIC_RELAXED);
}
