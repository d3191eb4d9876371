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
#include <string.h>

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

/* ---- floating point on bit patterns (ir-ops.def, "IEEE 754 ...") ---- */

static inline float ir_f32_of(uint64_t v) { uint32_t w = (uint32_t)v; float f; memcpy(&f, &w, 4); return f; }
static inline double ir_f64_of(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint64_t ir_bits_f32(float f) { uint32_t w; memcpy(&w, &f, 4); return w; }
static inline uint64_t ir_bits_f64(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline bool ir_f32_nan(uint64_t a) { return (a & 0x7fffffffu) > 0x7f800000u; }
static inline bool ir_f64_nan(uint64_t a) { return (a & ~(1ull << 63)) > 0x7ff0000000000000ull; }

/* The interpreter's choice where ir-ops.def leaves a result unspecified
 * (a NaN made by an invalid operation, no fallback given): IEEE 754's
 * canonical quiet NaN, positive. */
#define IR_F32_INTERP_NAN 0x7fc00000u
#define IR_F64_INTERP_NAN 0x7ff8000000000000ull

/* Is r (the result of a float op with a fallback const, output type t) one
 * the op keeps?  Arithmetic: a zero, or a finite number with biased
 * exponent >= 2 (not NaN, infinity, denormal, nor below twice the smallest
 * normal).  fcvtz: anything but INT32_MIN (which ir_eval_float gives for
 * NaN and out-of-range inputs; the fallback also computes a true INT32_MIN
 * exactly).  fcmp: ordered. */
static inline bool ir_float_plain(IROpcode opc, IRType t, uint64_t r)
{
    if (opc == IR_OP_fcvtz_f32_s32 || opc == IR_OP_fcvtz_f64_s32)
        return (uint32_t)r != 0x80000000u;
    if (opc == IR_OP_fcmp)
        return r != IR_FCMP_UNORDERED;
    unsigned e = t == IR_I64 ? (unsigned)(r >> 52) & 0x7ff : (unsigned)(r >> 23) & 0xff;
    unsigned emax = t == IR_I64 ? 0x7ff : 0xff;
    bool zero = t == IR_I64 ? (r << 1) == 0 : ((uint32_t)r << 1) == 0;
    return zero || (e >= 2 && e < emax);
}

/* Does opc take a fallback helper (const 0)? */
static inline bool ir_float_has_fallback(IROpcode opc)
{
    switch (opc) {
    case IR_OP_fadd: case IR_OP_fsub: case IR_OP_fmul: case IR_OP_fdiv: case IR_OP_fsqrt:
    case IR_OP_fcvt_f64_f32: case IR_OP_fcvtz_f32_s32: case IR_OP_fcvtz_f64_s32: case IR_OP_fcmp:
        return true;
    default:
        return false;
    }
}

/* The value of a float op (a, b already masked to t), before any fallback.
 * The arithmetic is done by the C compiler on the host FPU in the default
 * state (host/host-fp.h), so plain results are exact and raise the flags
 * ir-ops.def promises.  Where ir-ops.def leaves the value unspecified the
 * interpreter picks: a NaN operand quieted (the first, else the second),
 * else IR_F32/F64_INTERP_NAN; INT32_MIN for fcvtz. */
static inline bool ir_eval_float(IROpcode opc, IRType t, uint64_t a, uint64_t b, uint64_t *res)
{
    const bool dbl = t == IR_I64;
    const uint64_t quiet = dbl ? 1ull << 51 : 1u << 22;
    bool (*const is_nan)(uint64_t) = dbl ? ir_f64_nan : ir_f32_nan;
    switch (opc) {
    case IR_OP_fadd: case IR_OP_fsub: case IR_OP_fmul: case IR_OP_fdiv: case IR_OP_fsqrt: {
        bool unary = opc == IR_OP_fsqrt;
        if (is_nan(a))
            return *res = a | quiet, true;
        if (!unary && is_nan(b))
            return *res = b | quiet, true;
        if (dbl) {
            double x = ir_f64_of(a), y = ir_f64_of(b), r;
            switch (opc) {
            case IR_OP_fadd: r = x + y; break;
            case IR_OP_fsub: r = x - y; break;
            case IR_OP_fmul: r = x * y; break;
            case IR_OP_fdiv: r = x / y; break;
            default: r = __builtin_sqrt(x); break;
            }
            *res = r != r ? IR_F64_INTERP_NAN : ir_bits_f64(r);
        } else {
            float x = ir_f32_of(a), y = ir_f32_of(b), r;
            switch (opc) {
            case IR_OP_fadd: r = x + y; break;
            case IR_OP_fsub: r = x - y; break;
            case IR_OP_fmul: r = x * y; break;
            case IR_OP_fdiv: r = x / y; break;
            default: r = __builtin_sqrtf(x); break;
            }
            *res = r != r ? IR_F32_INTERP_NAN : ir_bits_f32(r);
        }
        return true;
    }
    case IR_OP_fcmp:
        if (is_nan(a) || is_nan(b))
            return *res = IR_FCMP_UNORDERED, true;
        if (dbl) {
            double x = ir_f64_of(a), y = ir_f64_of(b);
            *res = x == y ? IR_FCMP_EQUAL : x < y ? IR_FCMP_LESS : IR_FCMP_GREATER;
        } else {
            float x = ir_f32_of(a), y = ir_f32_of(b);
            *res = x == y ? IR_FCMP_EQUAL : x < y ? IR_FCMP_LESS : IR_FCMP_GREATER;
        }
        return true;
    case IR_OP_fcvt_f32_f64:     /* NaN: sign and payload kept, made quiet */
        if (ir_f32_nan(a))
            return *res = (a >> 31) << 63 | 0x7ff8000000000000ull | (a & 0x3fffffu) << 29, true;
        return *res = ir_bits_f64((double)ir_f32_of(a)), true;
    case IR_OP_fcvt_f64_f32:     /* NaN: sign and the top payload bits, made quiet */
        if (ir_f64_nan(a))
            return *res = (a >> 63) << 31 | 0x7fc00000u | ((a >> 29) & 0x3fffffu), true;
        return *res = ir_bits_f32((float)ir_f64_of(a)), true;
    case IR_OP_fcvt_s32_f32: return *res = ir_bits_f32((float)(int32_t)a), true;
    case IR_OP_fcvt_s32_f64: return *res = ir_bits_f64((double)(int32_t)a), true;
    case IR_OP_fcvtz_f32_s32: case IR_OP_fcvtz_f64_s32: {
        double x = opc == IR_OP_fcvtz_f32_s32 ? (double)ir_f32_of(a) : ir_f64_of(a);
        if (!(x > -2147483649.0 && x < 2147483648.0))
            return *res = 0x80000000u, true;        /* NaN or out of range */
        return *res = (uint32_t)(int32_t)x, true;
    }
    default:
        return false;
    }
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
        return ir_eval_float(opc, t, a, b, res);
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
