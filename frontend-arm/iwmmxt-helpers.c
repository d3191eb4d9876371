/*
 * iwmmxt-helpers.c — the lane-wise iWMMXt operations (Intel Wireless MMX
 * Technology Developer Guide; PXA27x Processor Family Developer's Manual).
 *
 * A 64-bit register holds 8 byte, 4 halfword, 2 word lanes or 1 doubleword
 * lane, lane 0 in the least significant bits.  Besides the result the
 * operations write two control registers:
 *   wCASF  the SIMD arithmetic flags: for a lane of w bits, lane i's N, Z,
 *          C, V flags are bits (i+1)*w/2 - 1 ... (i+1)*w/2 - 4 (byte lanes
 *          use nibbles, halfword lanes the upper nibble of each byte pair,
 *          word lanes bits 15:12 and 31:28, a doubleword bits 31:28).
 *          Which operations set which flags follows qemu-arm, the oracle:
 *          N and Z of each result lane (add, subtract, compare, min/max,
 *          unpack, pack, shift, shuffle), Z only (average); C and V stay 0.
 *   wCSSF  sticky saturation flags, one bit per byte position: a
 *          saturating lane sets the bits of the bytes it covers.
 * Saturating add/subtract and pack saturate (qemu-arm wraps: a quirk).
 */
#include <stdbool.h>

#include "frontend-arm/arm-iwmmxt.h"

static inline unsigned lane_bits(unsigned size) { return 8u << size; }
static inline uint64_t lane_mask(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

static inline uint64_t lane_u(uint64_t v, unsigned i, unsigned bits)
{
    return (v >> (i * bits)) & lane_mask(bits);
}

static inline int64_t lane_s(uint64_t v, unsigned i, unsigned bits)
{
    uint64_t x = lane_u(v, i, bits);
    if (bits < 64 && (x >> (bits - 1)))
        return (int64_t)(x | ~lane_mask(bits));
    return (int64_t)x;
}

/* N and Z (and optionally only Z) of every lane of r, as wCASF. */
static uint32_t casf_nz(uint64_t r, unsigned bits, bool z_only)
{
    uint32_t f = 0;
    unsigned half = bits / 2;
    for (unsigned i = 0; i < 64 / bits; i++) {
        uint64_t x = lane_u(r, i, bits);
        unsigned top = (i + 1) * half;
        if (!z_only && (x >> (bits - 1)) & 1)
            f |= 1u << (top - 1);
        if (x == 0)
            f |= 1u << (top - 2);
    }
    return f;
}

/* Saturate v to a signed or unsigned field of `bits`; *sat set when it did. */
static uint64_t saturate(__int128 v, unsigned bits, bool sign, bool *sat)
{
    __int128 lo = sign ? -((__int128)1 << (bits - 1)) : 0;
    __int128 hi = sign ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
    if (v < lo) {
        *sat = true;
        v = lo;
    } else if (v > hi) {
        *sat = true;
        v = hi;
    }
    return (uint64_t)v & lane_mask(bits);
}

/* wCSSF bits of lane i of `bits` (its byte positions). */
static inline uint32_t cssf_lane(unsigned i, unsigned bits)
{
    unsigned bytes = bits / 8;
    return ((1u << bytes) - 1) << (i * bytes);
}

static uint64_t lane_arith(ARMCPU *env, unsigned op, uint64_t a, uint64_t b, unsigned size)
{
    unsigned bits = lane_bits(size), n = 64 / bits;
    uint64_t r = 0;
    uint32_t cssf = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t ua = lane_u(a, i, bits), ub = lane_u(b, i, bits), x = 0;
        int64_t sa = lane_s(a, i, bits), sb = lane_s(b, i, bits);
        bool sat = false;
        switch (op) {
        case IW_ADD:    x = ua + ub; break;
        case IW_SUB:    x = ua - ub; break;
        case IW_ADDUS:  x = saturate((__int128)ua + ub, bits, false, &sat); break;
        case IW_SUBUS:  x = saturate((__int128)ua - ub, bits, false, &sat); break;
        case IW_ADDSS:  x = saturate((__int128)sa + sb, bits, true, &sat); break;
        case IW_SUBSS:  x = saturate((__int128)sa - sb, bits, true, &sat); break;
        case IW_CMPEQ:  x = ua == ub ? ~0ull : 0; break;
        case IW_CMPGTU: x = ua > ub ? ~0ull : 0; break;
        case IW_CMPGTS: x = sa > sb ? ~0ull : 0; break;
        case IW_MINU:   x = ua < ub ? ua : ub; break;
        case IW_MINS:   x = sa < sb ? ua : ub; break;
        case IW_MAXU:   x = ua > ub ? ua : ub; break;
        case IW_MAXS:   x = sa > sb ? ua : ub; break;
        case IW_AVG2:   x = (ua + ub) >> 1; break;
        case IW_AVG2R:  x = (ua + ub + 1) >> 1; break;
        }
        if (sat)
            cssf |= cssf_lane(i, bits);
        r |= (x & lane_mask(bits)) << (i * bits);
    }
    env->iwmmxt_wc[IWMMXT_wCSSF] |= cssf;
    env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, bits, op == IW_AVG2 || op == IW_AVG2R);
    return r;
}

/* Interleave the low (high) halves of a and b: a0 b0 a1 b1 ... */
static uint64_t unpack_interleave(uint64_t a, uint64_t b, unsigned size, bool high)
{
    unsigned bits = lane_bits(size), n = 32 / bits, base = high ? n : 0;
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        r |= lane_u(a, base + i, bits) << (2 * i * bits);
        r |= lane_u(b, base + i, bits) << ((2 * i + 1) * bits);
    }
    return r;
}

/* Widen the low (high) half's lanes of a to twice their size. */
static uint64_t unpack_extend(uint64_t a, unsigned size, bool high, bool sign)
{
    unsigned bits = lane_bits(size), n = 32 / bits, base = high ? n : 0;
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = sign ? (uint64_t)lane_s(a, base + i, bits) : lane_u(a, base + i, bits);
        r |= (x & lane_mask(2 * bits)) << (2 * i * bits);
    }
    return r;
}

/* Narrow the signed lanes of a (low half) and b (high half) to half size. */
static uint64_t pack(ARMCPU *env, uint64_t a, uint64_t b, unsigned size, bool sign)
{
    unsigned bits = lane_bits(size), out = bits / 2, n = 64 / bits;
    uint64_t r = 0;
    uint32_t cssf = 0;
    for (unsigned i = 0; i < 2 * n; i++) {
        bool sat = false;
        int64_t x = i < n ? lane_s(a, i, bits) : lane_s(b, i - n, bits);
        r |= saturate(x, out, sign, &sat) << (i * out);
        if (sat)
            cssf |= cssf_lane(i, out);
    }
    env->iwmmxt_wc[IWMMXT_wCSSF] |= cssf;
    env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, out, false);
    return r;
}

uint64_t iwmmxt_binop(ARMCPU *env, uint64_t a, uint64_t b, uint32_t desc)
{
    unsigned op = IW_OP(desc), size = IW_SIZE(desc);
    uint64_t r = 0;
    switch (op) {
    case IW_UNPCKIL: case IW_UNPCKIH:
        r = unpack_interleave(a, b, size, op == IW_UNPCKIH);
        env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, lane_bits(size), false);
        return r;
    case IW_UNPCKELU: case IW_UNPCKELS: case IW_UNPCKEHU: case IW_UNPCKEHS:
        r = unpack_extend(a, size, op >= IW_UNPCKEHU, op == IW_UNPCKELS || op == IW_UNPCKEHS);
        env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, lane_bits(size + 1), false);
        return r;
    case IW_PACKUS: case IW_PACKSS:
        return pack(env, a, b, size, op == IW_PACKSS);
    case IW_MULUL: case IW_MULUM: case IW_MULSL: case IW_MULSM:
        for (unsigned i = 0; i < 4; i++) {
            bool sign = op == IW_MULSL || op == IW_MULSM;
            int64_t p = sign ? lane_s(a, i, 16) * lane_s(b, i, 16)
                             : (int64_t)(lane_u(a, i, 16) * lane_u(b, i, 16));
            uint64_t x = (op == IW_MULUM || op == IW_MULSM) ? (uint64_t)p >> 16 : (uint64_t)p;
            r |= (x & 0xffff) << (16 * i);
        }
        return r;
    case IW_MADDU: case IW_MADDS:
        for (unsigned i = 0; i < 2; i++) {
            uint64_t s;
            if (op == IW_MADDS)
                s = (uint64_t)(lane_s(a, 2 * i, 16) * lane_s(b, 2 * i, 16) +
                               lane_s(a, 2 * i + 1, 16) * lane_s(b, 2 * i + 1, 16));
            else
                s = lane_u(a, 2 * i, 16) * lane_u(b, 2 * i, 16) +
                    lane_u(a, 2 * i + 1, 16) * lane_u(b, 2 * i + 1, 16);
            r |= (s & 0xffffffffu) << (32 * i);
        }
        return r;
    case IW_SADB: case IW_SADH: {
        unsigned bits = op == IW_SADB ? 8 : 16;
        for (unsigned i = 0; i < 64 / bits; i++) {
            int64_t d = (int64_t)lane_u(a, i, bits) - (int64_t)lane_u(b, i, bits);
            r += (uint64_t)(d < 0 ? -d : d);
        }
        return r;
    }
    case IW_MACU: case IW_MACS:
        /* the four 16x16 products summed to 64 bits (qemu-arm wraps the
         * sum at 32 bits: a quirk) */
        for (unsigned i = 0; i < 4; i++)
            r += op == IW_MACS ? (uint64_t)(lane_s(a, i, 16) * lane_s(b, i, 16))
                               : lane_u(a, i, 16) * lane_u(b, i, 16);
        return r;
    case IW_WACC:
        for (unsigned i = 0; i < 64 / lane_bits(size); i++)
            r += lane_u(a, i, lane_bits(size));
        return r;
    default:
        return lane_arith(env, op, a, b, size);
    }
}

uint64_t iwmmxt_shift(ARMCPU *env, uint64_t a, uint32_t n, uint32_t desc)
{
    unsigned op = IW_OP(desc), size = IW_SIZE(desc), bits = lane_bits(size);
    uint64_t r = 0;
    if (op == IW_SHUFH) {
        /* halfword i of the result is halfword (n >> 2i) & 3 of a */
        for (unsigned i = 0; i < 4; i++)
            r |= lane_u(a, (n >> (2 * i)) & 3, 16) << (16 * i);
        env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, 16, false);
        return r;
    }
    for (unsigned i = 0; i < 64 / bits; i++) {
        uint64_t x = lane_u(a, i, bits);
        int64_t sx = lane_s(a, i, bits);
        uint64_t y;
        switch (op) {
        case IW_SRL: y = n >= bits ? 0 : x >> n; break;
        case IW_SLL: y = n >= bits ? 0 : x << n; break;
        case IW_SRA: y = (uint64_t)(sx >> (n >= bits ? bits - 1 : n)); break;
        default: {   /* IW_ROR: the count is already reduced modulo the lane size */
            unsigned k = n % bits;
            y = k ? (x >> k) | (x << (bits - k)) : x;
            break;
        }
        }
        r |= (y & lane_mask(bits)) << (i * bits);
    }
    env->iwmmxt_wc[IWMMXT_wCASF] = casf_nz(r, bits, false);
    return r;
}

/* op: 0 TMIA (32 x 32), 1 TMIAPH (two 16 x 16 pairs), 4..7 TMIAxy with
 * bit 1 selecting the top half of Rm, bit 0 the top half of Rs. */
uint64_t iwmmxt_tmia(uint64_t acc, uint32_t rm, uint32_t rs, uint32_t op)
{
    if (op == 0)
        return acc + (uint64_t)((int64_t)(int32_t)rm * (int32_t)rs);
    if (op == 1)
        return acc + (uint64_t)(int64_t)((int16_t)rm * (int16_t)rs) +
               (uint64_t)(int64_t)((int16_t)(rm >> 16) * (int16_t)(rs >> 16));
    int16_t m = (int16_t)((op & 2) ? rm >> 16 : rm);
    int16_t s = (int16_t)((op & 1) ? rs >> 16 : rs);
    return acc + (uint64_t)(int64_t)(m * s);
}

uint32_t helper_iwmmxt_movmsk(uint64_t a, uint32_t size)
{
    unsigned bits = lane_bits(size);
    uint32_t r = 0;
    for (unsigned i = 0; i < 64 / bits; i++)
        r |= (uint32_t)((a >> ((i + 1) * bits - 1)) & 1) << i;
    return r;
}


/* The helpers generated code calls (helpers.def): the operations above with
 * the cpu state as a void pointer.  Only the control registers wCASF/wCSSF
 * (not IR globals) are touched. */
uint64_t helper_iwmmxt_binop(void *env, uint64_t a, uint64_t b, uint32_t desc) { return iwmmxt_binop(env, a, b, desc); }
uint64_t helper_iwmmxt_shift(void *env, uint64_t a, uint32_t n, uint32_t desc) { return iwmmxt_shift(env, a, n, desc); }
uint64_t helper_iwmmxt_tmia(uint64_t acc, uint32_t rm, uint32_t rs, uint32_t op) { return iwmmxt_tmia(acc, rm, rs, op); }
