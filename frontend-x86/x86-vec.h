/*
 * x86-vec.h — the SSE/AVX register file and MXCSR.
 *
 * Sixteen 256-bit YMM registers (eight are visible to 32-bit code); XMMn
 * is the low half of YMMn.  A legacy-SSE instruction leaves the upper half
 * alone, a VEX.128 one zeroes it.  The translator keeps no vector value in
 * IR temps across instructions: vector instructions call helpers that work
 * on these registers in place (env-based helpers, the guest register
 * numbers as arguments), and moves are done with 64-bit loads and stores
 * on the fields.  `tmp` holds a memory operand loaded for a helper.
 */
#ifndef VEMU_X86_VEC_H
#define VEMU_X86_VEC_H

#include <stdint.h>

typedef union X86Vec256 {
    uint8_t b[32];
    int8_t sb[32];
    uint16_t w[8 * 2];
    int16_t sw[8 * 2];
    uint32_t l[4 * 2];
    int32_t sl[4 * 2];
    uint64_t q[2 * 2];
    int64_t sq[2 * 2];
    float s[4 * 2];
    double d[2 * 2];
} __attribute__((aligned(32))) X86Vec256;

enum { X86_VEC_NREGS = 16, X86_VEC_TMP0 = 16, X86_VEC_TMP1 = 17 };

typedef struct X86VecState {
    /* ymm[0..15] the architectural registers; ymm[16], ymm[17] scratch
     * (X86_VEC_TMP0/1) for memory operands, so a helper always takes
     * register numbers */
    X86Vec256 ymm[X86_VEC_NREGS + 2];
    uint32_t mxcsr;
    uint32_t pad[7];
} X86VecState;

#define X86_MXCSR_DEFAULT 0x1f80u

#endif
