/*
 * ir-eval.h — the value semantics of IR ops, private to the ir/ room.
 *
 * The interpreter and the constant folder both evaluate ops through these
 * functions, so "what an op computes" is written down exactly once.  Values
 * travel as uint64_t; an i32 value is always kept zero-extended, and every
 * function here returns a value already truncated to its type's width.
 */
#ifndef VEMU_IR_EVAL_H
#define VEMU_IR_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

static inline unsigned ir_type_bits(IRType t) { return t == IR_I32 ? 32 : 64; }
static inline uint64_t ir_type_mask(IRType t) { return t == IR_I32 ? 0xffffffffull : ~0ull; }

/* Sign-extend the low `bits` bits of v to 64 bits (1 <= bits <= 64). */
static inline int64_t ir_sext(uint64_t v, unsigned bits)
{
    if (bits >= 64)
        return (int64_t)v;
    if (bits == 0)
        return 0;
    uint64_t sign = 1ull << (bits - 1);
    v &= (sign << 1) - 1;
    return (int64_t)((v ^ sign) - sign);
}

static inline uint64_t ir_len_mask(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

/* Ops with one output computed from inputs a, b (b ignored by unary ops)
 * and constants c0, c1 (bitfield position and length).  Returns false for an
 * opcode that is not a pure single-output value op. */
static inline bool ir_eval_value(IROpcode opc, IRType t, uint64_t a, uint64_t b,
                                 uint64_t c0, uint64_t c1, uint64_t *res)
{
    const uint64_t m = ir_type_mask(t);
    const unsigned w = ir_type_bits(t);
    uint64_t r;
    a &= m;
    b &= m;
    switch (opc) {
    case IR_OP_mov: r = a; break;
    case IR_OP_add: r = a + b; break;
    case IR_OP_sub: r = a - b; break;
    case IR_OP_mul: r = a * b; break;
    case IR_OP_and: r = a & b; break;
    case IR_OP_or: r = a | b; break;
    case IR_OP_xor: r = a ^ b; break;
    case IR_OP_andc: r = a & ~b; break;
    case IR_OP_shl: r = a << (b & (w - 1)); break;
    case IR_OP_shr: r = a >> (b & (w - 1)); break;
    case IR_OP_sar: r = (uint64_t)(ir_sext(a, w) >> (b & (w - 1))); break;
    case IR_OP_rotl: {
        unsigned n = b & (w - 1);
        r = n ? (a << n) | (a >> (w - n)) : a;
        break;
    }
    case IR_OP_rotr: {
        unsigned n = b & (w - 1);
        r = n ? (a >> n) | (a << (w - n)) : a;
        break;
    }
    case IR_OP_neg: r = -a; break;
    case IR_OP_not: r = ~a; break;
    case IR_OP_divs: {
        int64_t sa = ir_sext(a, w), sb = ir_sext(b, w);
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = -(uint64_t)sa;          /* INT_MIN / -1 == INT_MIN, without UB */
        else
            r = (uint64_t)(sa / sb);
        break;
    }
    case IR_OP_divu: r = b ? a / b : 0; break;
    case IR_OP_rems: {
        int64_t sa = ir_sext(a, w), sb = ir_sext(b, w);
        if (sb == 0)
            r = a;
        else if (sb == -1)
            r = 0;                      /* INT_MIN % -1 == 0, without UB */
        else
            r = (uint64_t)(sa % sb);
        break;
    }
    case IR_OP_remu: r = b ? a % b : a; break;
    case IR_OP_clz:
        if (!a)
            r = w;
        else
            r = (uint64_t)__builtin_clzll(a) - (64 - w);
        break;
    case IR_OP_ctz: r = a ? (uint64_t)__builtin_ctzll(a) : w; break;
    case IR_OP_bswap: r = w == 32 ? __builtin_bswap32((uint32_t)a) : __builtin_bswap64(a); break;
    case IR_OP_ext8s: r = (uint64_t)ir_sext(a, 8); break;
    case IR_OP_ext8u: r = a & 0xff; break;
    case IR_OP_ext16s: r = (uint64_t)ir_sext(a, 16); break;
    case IR_OP_ext16u: r = a & 0xffff; break;
    case IR_OP_extract: r = (a >> c0) & ir_len_mask((unsigned)c1); break;
    case IR_OP_sextract: r = (uint64_t)ir_sext(a >> c0, (unsigned)c1); break;
    case IR_OP_deposit: {
        uint64_t fm = ir_len_mask((unsigned)c1) << c0;
        r = (a & ~fm) | ((b << c0) & fm);
        break;
    }
    /* width changes: a was masked with the input type (i32 for extu/exts,
     * i64 for extrl/extrh), and t is the input type here */
    case IR_OP_extu_i32_i64: return *res = (uint32_t)a, true;
    case IR_OP_exts_i32_i64: return *res = (uint64_t)(int64_t)(int32_t)a, true;
    case IR_OP_extrl_i64_i32: return *res = (uint32_t)a, true;
    case IR_OP_extrh_i64_i32: return *res = a >> 32, true;
    default:
        return false;
    }
    *res = r & m;
    return true;
}

/* Double-width multiply of type t: lo and hi halves of a * b. */
static inline void ir_eval_mul2(bool sign, IRType t, uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    if (t == IR_I32) {
        uint64_t p = sign ? (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b)
                          : (uint64_t)(uint32_t)a * (uint32_t)b;
        *lo = (uint32_t)p;
        *hi = (uint32_t)(p >> 32);
    } else if (sign) {
        __int128 p = (__int128)(int64_t)a * (int64_t)b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)((unsigned __int128)p >> 64);
    } else {
        unsigned __int128 p = (unsigned __int128)a * b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)(p >> 64);
    }
}

/* The value a load of memop mo produces from the raw little-endian bytes
 * `raw` (already size-truncated), for an output of type t. */
static inline uint64_t ir_memop_extend(IRMemOp mo, uint64_t raw, IRType t)
{
    unsigned bits = 8u << (mo & IR_MO_SIZE);
    if ((mo & IR_MO_BSWAP) && bits > 8) {
        if (bits == 16)
            raw = __builtin_bswap16((uint16_t)raw);
        else if (bits == 32)
            raw = __builtin_bswap32((uint32_t)raw);
        else
            raw = __builtin_bswap64(raw);
    }
    if (mo & IR_MO_SIGN)
        raw = (uint64_t)ir_sext(raw, bits);
    else
        raw &= ir_len_mask(bits);
    return raw & ir_type_mask(t);
}

/* The bytes (as a little-endian integer) a store of memop mo writes for v. */
static inline uint64_t ir_memop_store_value(IRMemOp mo, uint64_t v)
{
    unsigned bits = 8u << (mo & IR_MO_SIZE);
    v &= ir_len_mask(bits);
    if ((mo & IR_MO_BSWAP) && bits > 8) {
        if (bits == 16)
            v = __builtin_bswap16((uint16_t)v);
        else if (bits == 32)
            v = __builtin_bswap32((uint32_t)v);
        else
            v = __builtin_bswap64(v);
    }
    return v;
}

#endif
