/*
 * arm-media-helpers.c — C helpers for the ARMv6 SIMD-within-a-register
 * instructions whose inline IR would be long: parallel add/subtract (all
 * 36 forms), USAD8, SSAT16/USAT16.
 *
 * They are pure (no env, no globals): flag outputs come back in the high
 * word of a 64-bit result (GE bits or the Q "saturated" bit) and the
 * translator moves them into cpu_GE / ORs them into cpu_QF, so the
 * optimiser may keep every guest register in a host register across them.
 */
#include <stdint.h>

#include "frontend-arm/arm-media.h"

/* One lane of a parallel operation: a and b already extended (signed or
 * unsigned per kind) to int32_t; w is the lane width (8 or 16).  Returns
 * the lane's w-bit result; *ge gets the lane's GE condition. */
static uint32_t par_lane(int kind, bool sub, int32_t a, int32_t b, int w, bool *ge)
{
    int32_t r = sub ? a - b : a + b;
    int32_t smax = (1 << (w - 1)) - 1, smin = -(1 << (w - 1)), umax = (1 << w) - 1;
    *ge = false;
    switch (kind) {
    case ARM_PAR_S:
        *ge = r >= 0;
        break;
    case ARM_PAR_U:
        *ge = sub ? r >= 0 : r > umax;   /* no borrow / carry out */
        break;
    case ARM_PAR_Q:
        r = r > smax ? smax : r < smin ? smin : r;
        break;
    case ARM_PAR_UQ:
        r = r > umax ? umax : r < 0 ? 0 : r;
        break;
    case ARM_PAR_SH:
    case ARM_PAR_UH:
        r >>= 1;    /* arithmetic: an unsigned difference may be negative */
        break;
    }
    return (uint32_t)r & (uint32_t)umax;
}

static int32_t lane_ext(uint32_t v, int lane, int w, bool sign)
{
    uint32_t x = (v >> (lane * w)) & ((1u << w) - 1);
    if (sign && (x >> (w - 1)))
        return (int32_t)x - (1 << w);
    return (int32_t)x;
}

/* sel = op1 << 3 | op2 (A32 encoding).  Result: low word the value, high
 * word GE[3:0] (meaningful for the S and U kinds only). */
uint64_t helper_arm_parallel_addsub(uint32_t n, uint32_t m, uint32_t sel)
{
    int kind = sel >> 3, op = sel & 7;
    bool sign = kind < 4;
    int w = op >= ARM_PAR_ADD8 ? 8 : 16, lanes = 32 / w;
    uint32_t res = 0, ge = 0;
    for (int i = 0; i < lanes; i++) {
        bool sub, g;
        int j = i;                   /* lane of m */
        switch (op) {
        case ARM_PAR_ASX: sub = i == 0; j = 1 - i; break;
        case ARM_PAR_SAX: sub = i == 1; j = 1 - i; break;
        case ARM_PAR_SUB16: case ARM_PAR_SUB8: sub = true; break;
        default: sub = false; break;
        }
        uint32_t r = par_lane(kind, sub, lane_ext(n, i, w, sign), lane_ext(m, j, w, sign), w, &g);
        res |= r << (i * w);
        if (g)
            ge |= (w == 16 ? 3u : 1u) << (i * (w / 8));
    }
    return (uint64_t)ge << 32 | res;
}

uint32_t helper_arm_usad8(uint32_t n, uint32_t m)
{
    uint32_t sum = 0;
    for (int i = 0; i < 32; i += 8) {
        int32_t d = (int32_t)((n >> i) & 0xff) - (int32_t)((m >> i) & 0xff);
        sum += (uint32_t)(d < 0 ? -d : d);
    }
    return sum;
}

/* SSAT16 (is_unsigned = 0, bits 1..16) / USAT16 (1, bits 0..15) of both
 * halfwords.  High word: 1 when either half saturated (Q). */
uint64_t helper_arm_sat16(uint32_t v, uint32_t bits, uint32_t is_unsigned)
{
    int32_t max, min;
    if (is_unsigned) {
        max = (1 << bits) - 1;
        min = 0;
    } else {
        max = (1 << (bits - 1)) - 1;
        min = -(1 << (bits - 1));
    }
    uint32_t res = 0, q = 0;
    for (int i = 0; i < 2; i++) {
        int32_t x = (int16_t)(v >> (16 * i));
        int32_t r = x > max ? max : x < min ? min : x;
        q |= r != x;
        res |= ((uint32_t)r & 0xffff) << (16 * i);
    }
    return (uint64_t)q << 32 | res;
}

