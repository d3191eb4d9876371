/*
 * host-x87-soft.c — the start of the portable, exact 80-bit arithmetic that
 * a host without an x87 unit (aarch64) needs behind host-x87.h.
 *
 * Implemented (host_x87_soft_*, host-x87-soft.h): FADD FSUB FSUBR FMUL
 * FDIV FDIVR and FSQRT on register operands, FCOM/FUCOM, in every
 * precision (24/53/64 bits) and rounding mode, with the flags IE DE ZE OE
 * UE PE and C1 (rounded up); FLD m32/m64, FILD, FBLD, FST m32/m64,
 * FIST/FISTTP, FBSTP; the constants, FRNDINT, FXTRACT, FSCALE, FPREM,
 * FPREM1; the memory forms of the arithmetic and compares; the unmasked
 * responses (destination kept, or the result scaled by 2^-+24576).  Tested
 * bit for bit against host-x87-x86_64.c on random operands
 * (tests/unit/test-x87-soft.c).  The transcendental instructions and
 * host_x87_soft_func are in host-x87-soft-trans.c.  What another host
 * still needs is the glue: host-x87.h's functions calling these
 * (docs/x87.md).
 *
 * Values are unpacked into sign, an unbounded binary exponent and a 128-bit
 * significand with the integer bit at bit 127; one rounding routine packs
 * them, rounding at bit 64 + (64 - precision) of that significand — the x87
 * rounds at a fixed place in its 64-bit significand field whatever the
 * exponent, also for denormal results — and detects tininess before
 * rounding, as the x87 does.
 */
#include "host/host-x87-soft.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef unsigned __int128 u128;

#define BIAS 16383
#define EXP_MAX 0x7fff
#define QNAN_BIT (1ull << 62)
#define INT_BIT (1ull << 63)
#define INDEF_BCD_MANT 0xc000000000000000ull

enum { K_ZERO, K_NORMAL, K_INF, K_QNAN, K_SNAN, K_INVALID };

typedef struct Unpacked {
    int kind;
    bool sign;
    bool denormal;    /* a denormal (or pseudo-denormal) operand: DE */
    int32_t exp;      /* unbiased: value = sig / 2^127 * 2^exp */
    u128 sig;         /* K_NORMAL: bit 127 set */
} Unpacked;

static int clz128(u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi)
        return __builtin_clzll(hi);
    return lo ? 64 + __builtin_clzll(lo) : 128;
}

static Unpacked unpack(const HostF80 *a)
{
    Unpacked u = { 0 };
    unsigned e = a->sign_exp & 0x7fff;
    uint64_t m = a->mant;
    u.sign = a->sign_exp >> 15;
    if (e == EXP_MAX) {
        if (!(m & INT_BIT))
            u.kind = K_INVALID;                     /* pseudo-infinity / pseudo-NaN */
        else if ((m << 1) == 0)
            u.kind = K_INF;
        else
            u.kind = (m & QNAN_BIT) ? K_QNAN : K_SNAN;
        u.sig = (u128)m << 64;
        return u;
    }
    if (e != 0 && !(m & INT_BIT)) {
        u.kind = K_INVALID;                         /* unnormal */
        return u;
    }
    if (m == 0) {
        u.kind = K_ZERO;
        return u;
    }
    u.kind = K_NORMAL;
    if (e == 0) {
        u.denormal = true;
        e = 1;                                      /* denormals and pseudo-denormals */
    }
    int sh = __builtin_clzll(m);
    u.sig = (u128)(m << sh) << 64;
    u.exp = (int32_t)e - BIAS - sh;
    return u;
}

static void pack_special(HostF80 *r, bool sign, unsigned e, uint64_t m)
{
    r->sign_exp = (uint16_t)((sign ? 0x8000 : 0) | e);
    r->mant = m;
}

static void indefinite(HostF80 *r) { pack_special(r, true, EXP_MAX, INT_BIT | QNAN_BIT); }

static unsigned precision(uint16_t fcw)
{
    switch ((fcw >> 8) & 3) {
    case 0: return 24;
    case 2: return 53;
    default: return 64;
    }
}

/* The exponent bias adjustment of an unmasked overflow's or underflow's
 * result (SDM vol. 1, 4.9.1.4-5) */
#define WRAP 0x6000

/* Round sign * sig * 2^(exp - 127) to the control word's precision and
 * rounding mode and pack it; sig != 0 (any normalisation).  Returns the
 * status bits OE UE PE C1.  With underflow unmasked in fcw a tiny value
 * (before rounding, exact or not) is delivered scaled by 2^24576, with
 * overflow unmasked an overflowing one by 2^-24576; one still out of
 * range after that becomes a zero (UE PE) or an infinity (OE PE C1)
 * whatever the rounding (measured with FSCALE). */
static uint16_t round_pack(HostF80 *r, bool sign, int32_t exp, u128 sig, uint16_t fcw)
{
    int lz = clz128(sig);
    sig <<= lz;
    exp -= lz;
    unsigned rc = (fcw >> 10) & 3;
    unsigned p = precision(fcw);
    int32_t e = exp + BIAS;                         /* biased, the integer bit at 127 */
    uint16_t st = 0;
    bool tiny = e < 1;
    if (tiny && !(fcw & HOST_X87_UE)) {
        e += WRAP;
        st |= HOST_X87_UE;
        if (e < 1) {
            pack_special(r, sign, 0, 0);
            return HOST_X87_UE | HOST_X87_PE;
        }
        tiny = false;
    }
    if (tiny) {
        /* denormalise: shift right to exponent 1, keeping a sticky bit */
        int32_t sh = 1 - e;
        if (sh >= 128)
            sig = 1;   /* only sticky left */
        else
            sig = (sig >> sh) | ((sig & (((u128)1 << sh) - 1)) != 0);
        e = 1;
    }
    unsigned lsb = 64 + (64 - p);
    u128 rmask = ((u128)1 << lsb) - 1, half = (u128)1 << (lsb - 1);
    u128 rem = sig & rmask;
    sig &= ~rmask;
    bool inc = false;
    if (rem) {
        st |= HOST_X87_PE;
        switch (rc) {
        case 0: inc = rem > half || (rem == half && ((sig >> lsb) & 1)); break;
        case 1: inc = sign; break;                  /* down */
        case 2: inc = !sign; break;                 /* up */
        default: inc = false; break;
        }
    }
    if (inc) {
        st |= HOST_X87_C1;
        u128 before = sig;
        sig += (u128)1 << lsb;
        if (sig < before) {                         /* carried out of bit 127 */
            sig = (u128)1 << 127;
            e++;
        }
    }
    if (tiny && (st & HOST_X87_PE))
        st |= HOST_X87_UE;
    uint64_t m = (uint64_t)(sig >> 64);
    if (e >= EXP_MAX && !(fcw & HOST_X87_OE)) {
        e -= WRAP;
        st |= HOST_X87_OE;
        if (e >= EXP_MAX) {
            pack_special(r, sign, EXP_MAX, INT_BIT);
            return HOST_X87_OE | HOST_X87_PE | HOST_X87_C1;
        }
    }
    if (e >= EXP_MAX) {
        st |= HOST_X87_OE | HOST_X87_PE;
        bool to_inf = rc == 0 || (rc == 1 && sign) || (rc == 2 && !sign);
        if (to_inf) {
            pack_special(r, sign, EXP_MAX, INT_BIT);
            st |= HOST_X87_C1;
        } else {
            uint64_t maxm = ~0ull << (64 - p);
            pack_special(r, sign, EXP_MAX - 1, maxm);
            st &= (uint16_t)~HOST_X87_C1;
        }
        return st;
    }
    if (e == 1 && !(m & INT_BIT))
        e = 0;                                      /* stayed denormal */
    pack_special(r, sign, (unsigned)e, m);
    return st;
}

uint16_t host_x87_soft_round_pack(HostF80 *r, bool sign, int32_t exp, unsigned __int128 sig,
                                  uint16_t fcw)
{
    r->pad[0] = r->pad[1] = r->pad[2] = 0;
    return round_pack(r, sign, exp, sig, fcw);
}

/* The NaN an operation with NaN operands returns (SDM vol. 1, table 4-7):
 * an SNaN is quieted (IE); of an SNaN and a QNaN the QNaN; of two of a kind
 * the one with the larger significand. */
static uint16_t nan_result(HostF80 *r, const HostF80 *a, const Unpacked *ua, const HostF80 *b,
                           const Unpacked *ub)
{
    uint16_t st = ((ua->kind == K_SNAN) || (ub && ub->kind == K_SNAN)) ? HOST_X87_IE : 0;
    bool an = ua->kind == K_QNAN || ua->kind == K_SNAN;
    bool bn = ub && (ub->kind == K_QNAN || ub->kind == K_SNAN);
    const HostF80 *pick;
    if (an && bn && ua->kind != ub->kind) {
        pick = ua->kind == K_QNAN ? a : b;          /* an SNaN and a QNaN: the QNaN */
    } else if (an && bn) {
        uint64_t ma = a->mant | QNAN_BIT, mb = b->mant | QNAN_BIT;
        if (ma != mb)
            pick = ma > mb ? a : b;
        else
            pick = (a->sign_exp & 0x8000) ? b : a;   /* equal: the positive one */
    } else {
        pick = an ? a : b;
    }
    pack_special(r, pick->sign_exp >> 15, EXP_MAX, pick->mant | QNAN_BIT);
    return st;
}

uint16_t host_x87_soft_nan_result(HostF80 *r, const HostF80 *a, const HostF80 *b)
{
    Unpacked ua = unpack(a), ub = b ? unpack(b) : ua;
    r->pad[0] = r->pad[1] = r->pad[2] = 0;
    return nan_result(r, a, &ua, b, b ? &ub : NULL);
}

/* operands that are neither NaN nor normal/zero/inf: invalid */
static bool any_invalid(const Unpacked *a, const Unpacked *b)
{
    return a->kind == K_INVALID || (b && b->kind == K_INVALID);
}

static bool is_nan(const Unpacked *u) { return u->kind == K_QNAN || u->kind == K_SNAN; }

static uint16_t denorm_flag(const Unpacked *a, const Unpacked *b)
{
    return (a->denormal || (b && b->denormal)) ? HOST_X87_DE : 0;
}

static uint16_t addsub(HostF80 *r, const HostF80 *a, const HostF80 *b, bool negate_b, uint16_t fcw)
{
    Unpacked ua = unpack(a), ub = unpack(b);
    if (any_invalid(&ua, &ub)) {
        indefinite(r);
        return HOST_X87_IE;
    }
    if (is_nan(&ua) || is_nan(&ub))
        return nan_result(r, a, &ua, b, &ub);
    bool sb = ub.sign ^ negate_b;
    uint16_t st = denorm_flag(&ua, &ub);
    unsigned rc = (fcw >> 10) & 3;
    if (ua.kind == K_INF || ub.kind == K_INF) {
        if (ua.kind == K_INF && ub.kind == K_INF && ua.sign != sb) {
            indefinite(r);
            return st | HOST_X87_IE;
        }
        pack_special(r, ua.kind == K_INF ? ua.sign : sb, EXP_MAX, INT_BIT);
        return st;
    }
    if (ua.kind == K_ZERO && ub.kind == K_ZERO) {
        bool s = (ua.sign == sb) ? ua.sign : (rc == 1);
        pack_special(r, s, 0, 0);
        return st;
    }
    if (ub.kind == K_ZERO)
        return st | round_pack(r, ua.sign, ua.exp, ua.sig, fcw);
    if (ua.kind == K_ZERO)
        return st | round_pack(r, sb, ub.exp, ub.sig, fcw);
    /* both finite non-zero: align on the larger exponent, one guard bit
     * below bit 127 kept free for the carry */
    Unpacked *x = &ua, *y = &ub;
    bool sx = ua.sign, sy = sb;
    if (ub.exp > ua.exp || (ub.exp == ua.exp && ub.sig > ua.sig)) {
        x = &ub, y = &ua;
        sx = sb, sy = ua.sign;
    }
    u128 mx = x->sig >> 1, my = y->sig >> 1;
    int32_t d = x->exp - y->exp;
    if (d >= 127)
        my = my != 0;
    else if (d > 0)
        my = (my >> d) | ((my & (((u128)1 << d) - 1)) != 0);
    u128 s;
    if (sx == sy) {
        s = mx + my;
    } else {
        s = mx - my;
        if (s == 0) {
            pack_special(r, rc == 1, 0, 0);
            return st;
        }
    }
    return st | round_pack(r, sx, x->exp + 1, s, fcw);
}

static uint16_t mul(HostF80 *r, const HostF80 *a, const HostF80 *b, uint16_t fcw)
{
    Unpacked ua = unpack(a), ub = unpack(b);
    if (any_invalid(&ua, &ub)) {
        indefinite(r);
        return HOST_X87_IE;
    }
    if (is_nan(&ua) || is_nan(&ub))
        return nan_result(r, a, &ua, b, &ub);
    uint16_t st = denorm_flag(&ua, &ub);
    bool s = ua.sign ^ ub.sign;
    if ((ua.kind == K_INF && ub.kind == K_ZERO) || (ua.kind == K_ZERO && ub.kind == K_INF)) {
        indefinite(r);
        return st | HOST_X87_IE;
    }
    if (ua.kind == K_INF || ub.kind == K_INF) {
        pack_special(r, s, EXP_MAX, INT_BIT);
        return st;
    }
    if (ua.kind == K_ZERO || ub.kind == K_ZERO) {
        pack_special(r, s, 0, 0);
        return st;
    }
    u128 p = (u128)(uint64_t)(ua.sig >> 64) * (uint64_t)(ub.sig >> 64);
    /* p = product of two 1.63 numbers: a 2.126 number */
    return st | round_pack(r, s, ua.exp + ub.exp + 1, p, fcw);
}

static uint16_t divide(HostF80 *r, const HostF80 *a, const HostF80 *b, uint16_t fcw)
{
    Unpacked ua = unpack(a), ub = unpack(b);
    if (any_invalid(&ua, &ub)) {
        indefinite(r);
        return HOST_X87_IE;
    }
    if (is_nan(&ua) || is_nan(&ub))
        return nan_result(r, a, &ua, b, &ub);
    uint16_t st = denorm_flag(&ua, &ub);
    bool s = ua.sign ^ ub.sign;
    if ((ua.kind == K_INF && ub.kind == K_INF) || (ua.kind == K_ZERO && ub.kind == K_ZERO)) {
        indefinite(r);
        return st | HOST_X87_IE;
    }
    if (ua.kind == K_INF || ub.kind == K_ZERO) {
        pack_special(r, s, EXP_MAX, INT_BIT);
        return st | (ub.kind == K_ZERO && ua.kind != K_INF ? HOST_X87_ZE : 0);
    }
    if (ua.kind == K_ZERO || ub.kind == K_INF) {
        pack_special(r, s, 0, 0);
        return st;
    }
    uint64_t ma = (uint64_t)(ua.sig >> 64), mb = (uint64_t)(ub.sig >> 64);
    int32_t exp = ua.exp - ub.exp;
    u128 num;
    if (ma >= mb) {
        num = (u128)ma << 63;
    } else {
        num = (u128)ma << 64;
        exp -= 1;
    }
    u128 q1 = num / mb, r1 = num % mb;                  /* q1 in [2^63, 2^64) */
    u128 q2 = (r1 << 64) / mb, r2 = (r1 << 64) % mb;
    u128 q = (q1 << 64) | q2 | (r2 != 0);
    return st | round_pack(r, s, exp, q, fcw);
}

static u128 isqrt128(u128 v, u128 *rem)
{
    u128 res = 0, bit = (u128)1 << 126;
    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= res + bit) {
            v -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *rem = v;
    return res;
}

static uint16_t sqrt80(HostF80 *r, const HostF80 *a, uint16_t fcw)
{
    Unpacked ua = unpack(a);
    if (ua.kind == K_INVALID) {
        indefinite(r);
        return HOST_X87_IE;
    }
    if (is_nan(&ua))
        return nan_result(r, a, &ua, NULL, NULL);
    uint16_t st = denorm_flag(&ua, NULL);
    if (ua.kind == K_ZERO) {
        pack_special(r, ua.sign, 0, 0);
        return st;
    }
    if (ua.sign) {
        indefinite(r);
        return st | HOST_X87_IE;
    }
    if (ua.kind == K_INF) {
        pack_special(r, false, EXP_MAX, INT_BIT);
        return st;
    }
    /* value = m * 2^(exp - 63) with m the 64-bit significand; make the
     * exponent even, then sqrt(m * 2^64 or 2^65) has 64 or 65 bits */
    uint64_t m = (uint64_t)(ua.sig >> 64);
    int32_t e = ua.exp - 63;
    u128 v;
    int32_t ve;
    if (e & 1) {
        v = (u128)m << 63;
        ve = e - 63;
    } else {
        v = (u128)m << 62;
        ve = e - 62;
    }
    /* the root of v, then more bits by the digit recurrence on (root,
     * remainder): each step appends two zero bits to the radicand */
    u128 rem;
    u128 res = isqrt128(v, &rem);                   /* 63 or 64 bits */
    int32_t re = ve / 2;
    while (!(res >> 100)) {                         /* 101 bits: 64 + guard bits */
        u128 trial = (res << 2) + 1;
        rem <<= 2;
        res <<= 1;
        if (rem >= trial) {
            rem -= trial;
            res |= 1;
        }
        re -= 1;
    }
    if (rem)
        res = (res << 1) | 1, re -= 1;              /* sticky below every rounding place */
    return st | round_pack(r, false, re + 127, res, fcw);
}

/* An invalid operation or a zero divide reports no denormal operand (the
 * hardware's priority). */
static uint16_t prio(uint16_t st)
{
    return (st & (HOST_X87_IE | HOST_X87_ZE)) ? (uint16_t)(st & ~HOST_X87_DE) : st;
}

/* An unmasked invalid operation, zero divide or denormal operand is found
 * before the result is written: the destination stays as it was and only
 * that flag is reported. */
#define PRE_EXC (HOST_X87_IE | HOST_X87_ZE | HOST_X87_DE)
static bool stopped(uint16_t st, uint16_t fcw) { return (st & ~fcw & PRE_EXC) != 0; }

uint16_t host_x87_soft_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src)
{
    HostF80 a = *dst, b = *src, r = { 0, 0, { 0 } };
    uint16_t st;
    switch (op) {
    case HOST_X87_FADD: st = addsub(&r, &a, &b, false, fcw); break;
    case HOST_X87_FSUB: st = addsub(&r, &a, &b, true, fcw); break;
    case HOST_X87_FSUBR: st = addsub(&r, &b, &a, true, fcw); break;
    case HOST_X87_FMUL: st = mul(&r, &a, &b, fcw); break;
    case HOST_X87_FDIV: st = divide(&r, &a, &b, fcw); break;
    default: st = divide(&r, &b, &a, fcw); break;
    }
    st = prio(st);
    if (stopped(st, fcw))
        return st & PRE_EXC;
    dst->mant = r.mant;
    dst->sign_exp = r.sign_exp;
    return st;
}

uint16_t host_x87_soft_sqrt(uint16_t fcw, HostF80 *v)
{
    HostF80 r = { 0, 0, { 0 } };
    uint16_t st = prio(sqrt80(&r, v, fcw));
    if (stopped(st, fcw))
        return st & PRE_EXC;
    v->mant = r.mant;
    v->sign_exp = r.sign_exp;
    return st;
}

uint16_t host_x87_soft_compare(bool unordered, const HostF80 *a, const HostF80 *b)
{
    Unpacked ua = unpack(a), ub = unpack(b);
    const uint16_t un = HOST_X87_C0 | HOST_X87_C2 | HOST_X87_C3;
    if (any_invalid(&ua, &ub))
        return un | HOST_X87_IE;
    if (is_nan(&ua) || is_nan(&ub)) {
        bool snan = ua.kind == K_SNAN || ub.kind == K_SNAN;
        return un | ((!unordered || snan) ? HOST_X87_IE : 0);
    }
    uint16_t st = denorm_flag(&ua, &ub);
    /* order as signed magnitudes: zeros are equal whatever their signs */
    int c;
    if (ua.kind == K_ZERO && ub.kind == K_ZERO) {
        c = 0;
    } else {
        int ka = ua.kind == K_INF ? 2 : ua.kind == K_ZERO ? 0 : 1;
        int kb = ub.kind == K_INF ? 2 : ub.kind == K_ZERO ? 0 : 1;
        /* magnitude comparison */
        int mag;
        if (ka != kb)
            mag = ka > kb ? 1 : -1;
        else if (ka != 1)
            mag = 0;
        else if (ua.exp != ub.exp)
            mag = ua.exp > ub.exp ? 1 : -1;
        else
            mag = ua.sig > ub.sig ? 1 : ua.sig < ub.sig ? -1 : 0;
        bool za = ua.kind == K_ZERO, zb = ub.kind == K_ZERO;
        bool sa = za ? false : ua.sign, sb = zb ? false : ub.sign;
        if (za)
            c = sb ? 1 : -1;
        else if (zb)
            c = sa ? -1 : 1;
        else if (sa != sb)
            c = sa ? -1 : 1;
        else
            c = sa ? -mag : mag;
    }
    if (c < 0)
        return st | HOST_X87_C0;
    if (c == 0)
        return st | HOST_X87_C3;
    return st;
}

/* ---- conversions: FLD m32/m64, FILD, FST m32/m64, FIST/FISTTP ---------------- */

typedef struct FloatFmt {
    unsigned bits, p, bias, emax;   /* total width, precision, bias, all-ones exponent */
} FloatFmt;

static const FloatFmt F32 = { 32, 24, 127, 0xff };
static const FloatFmt F64 = { 64, 53, 1023, 0x7ff };

/* host_x87_load: an unmasked invalid operand (an SNaN single or double)
 * stops the load, *dst unchanged; a denormal one is loaded (measured) */
uint16_t host_x87_soft_load_fcw(uint16_t fcw, HostF80 *dst, const HostF80 *src, HostX87Fmt fmt)
{
    HostF80 v;
    memset(&v, 0, sizeof v);
    uint16_t st = host_x87_soft_load(&v, src, fmt);
    if (st & ~fcw & HOST_X87_IE)
        return st & HOST_X87_IE;
    *dst = v;
    return st;
}

uint16_t host_x87_soft_load(HostF80 *dst, const HostF80 *src, HostX87Fmt fmt)
{
    uint64_t raw = src->mant;
    dst->pad[0] = dst->pad[1] = dst->pad[2] = 0;
    if (fmt == HOST_X87_M16INT || fmt == HOST_X87_M32INT || fmt == HOST_X87_M64INT) {
        int64_t v = fmt == HOST_X87_M16INT ? (int16_t)raw : fmt == HOST_X87_M32INT ? (int32_t)raw : (int64_t)raw;
        if (v == 0) {
            pack_special(dst, false, 0, 0);
            return 0;
        }
        uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        int sh = __builtin_clzll(mag);
        pack_special(dst, v < 0, (unsigned)(BIAS + 63 - sh), mag << sh);
        return 0;
    }
    if (fmt == HOST_X87_M80BCD) {
        /* 18 packed digits in bytes 0-8, the sign in bit 7 of byte 9 */
        uint64_t v = 0;
        for (int i = 8; i >= 0; i--) {
            unsigned byte = i < 8 ? (unsigned)(src->mant >> (8 * i)) & 0xff : src->sign_exp & 0xff;
            v = v * 100 + (byte >> 4) * 10 + (byte & 15);
        }
        bool neg = src->sign_exp & 0x8000;
        if (v == 0) {
            pack_special(dst, neg, 0, 0);
            return 0;
        }
        int sh = __builtin_clzll(v);
        pack_special(dst, neg, (unsigned)(BIAS + 63 - sh), v << sh);
        return 0;
    }
    const FloatFmt *f = fmt == HOST_X87_M32FP ? &F32 : &F64;
    unsigned fb = f->p - 1;
    bool sign = (raw >> (f->bits - 1)) & 1;
    unsigned e = (unsigned)(raw >> fb) & f->emax;
    uint64_t frac = raw & ((1ull << fb) - 1);
    if (e == f->emax) {
        if (frac == 0) {
            pack_special(dst, sign, EXP_MAX, INT_BIT);
            return 0;
        }
        bool snan = !((frac >> (fb - 1)) & 1);
        pack_special(dst, sign, EXP_MAX, INT_BIT | QNAN_BIT | (frac << (63 - fb)));
        return snan ? HOST_X87_IE : 0;
    }
    if (e == 0) {
        if (frac == 0) {
            pack_special(dst, sign, 0, 0);
            return 0;
        }
        int sh = __builtin_clzll(frac);             /* denormal: normalise */
        pack_special(dst, sign, (unsigned)(BIAS - (int)f->bias + 1 + (63 - sh) - (int)fb), frac << sh);
        return HOST_X87_DE;
    }
    pack_special(dst, sign, e - f->bias + BIAS, INT_BIT | (frac << (63 - fb)));
    return 0;
}

/* Round to a binary format's precision and exponent range. */
static uint16_t round_to_float(const FloatFmt *f, bool sign, int32_t exp, u128 sig, unsigned rc,
                               uint64_t *out)
{
    uint16_t st = 0;
    int32_t e = exp + (int32_t)f->bias;            /* the integer bit at 127 */
    bool tiny = e < 1;
    if (tiny) {
        int32_t sh = 1 - e;
        sig = sh >= 128 ? (sig != 0) : (sig >> sh) | ((sig & (((u128)1 << sh) - 1)) != 0);
        e = 1;
    }
    unsigned lsb = 128 - f->p;
    u128 rmask = ((u128)1 << lsb) - 1, half = (u128)1 << (lsb - 1);
    u128 rem = sig & rmask;
    sig &= ~rmask;
    bool inc = false;
    if (rem) {
        st |= HOST_X87_PE;
        switch (rc) {
        case 0: inc = rem > half || (rem == half && ((sig >> lsb) & 1)); break;
        case 1: inc = sign; break;
        case 2: inc = !sign; break;
        default: break;
        }
    }
    if (inc) {
        st |= HOST_X87_C1;
        u128 before = sig;
        sig += (u128)1 << lsb;
        if (sig < before) {
            sig = (u128)1 << 127;
            e++;
        }
    }
    if (tiny && (st & HOST_X87_PE))
        st |= HOST_X87_UE;
    uint64_t sbit = (uint64_t)sign << (f->bits - 1);
    if (e >= (int32_t)f->emax) {
        st |= HOST_X87_OE | HOST_X87_PE;
        bool to_inf = rc == 0 || (rc == 1 && sign) || (rc == 2 && !sign);
        if (to_inf) {
            *out = sbit | ((uint64_t)f->emax << (f->p - 1));
            st |= HOST_X87_C1;
        } else {
            *out = sbit | (((uint64_t)f->emax << (f->p - 1)) - 1);
            st &= (uint16_t)~HOST_X87_C1;
        }
        return st;
    }
    uint64_t m = (uint64_t)(sig >> lsb);            /* p bits with the integer bit */
    if (!(m >> (f->p - 1)))
        e = 0;
    *out = sbit | ((uint64_t)e << (f->p - 1)) | (m & ((1ull << (f->p - 1)) - 1));
    return st;
}

static uint16_t store_masked(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                             bool truncate)
{
    Unpacked u = unpack(src);
    unsigned rc = truncate ? 3 : (fcw >> 10) & 3;
    uint64_t out = 0;
    uint16_t st = 0;
    mem->mant = 0;
    mem->sign_exp = 0;
    if (fmt == HOST_X87_M32FP || fmt == HOST_X87_M64FP) {
        const FloatFmt *f = fmt == HOST_X87_M32FP ? &F32 : &F64;
        uint64_t sbit = (uint64_t)u.sign << (f->bits - 1);
        uint64_t expall = (uint64_t)f->emax << (f->p - 1);
        switch (u.kind) {
        case K_INVALID:
            out = sbit | expall | (1ull << (f->p - 2)) | ((uint64_t)1 << (f->bits - 1));
            st = HOST_X87_IE;
            break;
        case K_QNAN: case K_SNAN:
            out = sbit | expall | (1ull << (f->p - 2)) | ((src->mant << 1) >> (64 - (f->p - 1)));
            st = u.kind == K_SNAN ? HOST_X87_IE : 0;
            break;
        case K_INF: out = sbit | expall; break;
        case K_ZERO: out = sbit; break;
        default:
            st = round_to_float(f, u.sign, u.exp, u.sig, rc, &out);   /* no DE for stores */
            break;
        }
        mem->mant = out;
        return st;
    }
    /* integers; BCD is a 64-bit integer below 10^18 in 18 packed digits */
    bool bcd = fmt == HOST_X87_M80BCD;
    unsigned bits = fmt == HOST_X87_M16INT ? 16 : fmt == HOST_X87_M32INT ? 32 : 64;
    uint64_t indef = 1ull << (bits - 1);
    if (bcd) {
        HostF80 tmp = { 0, 0, { 0 } };
        uint16_t bst = store_masked(fcw, &tmp, src, HOST_X87_M64INT, truncate);
        int64_t v = (int64_t)tmp.mant;
        uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        if ((bst & HOST_X87_IE) || mag >= 1000000000000000000ull) {
            mem->mant = INDEF_BCD_MANT;
            mem->sign_exp = 0xffff;
            return (uint16_t)((bst & ~(HOST_X87_PE | HOST_X87_C1)) | HOST_X87_IE);
        }
        uint64_t out = 0;
        uint16_t top = 0;
        for (int i = 0; i < 9; i++) {
            unsigned byte = (unsigned)(mag % 10) | (unsigned)((mag / 10) % 10) << 4;
            mag /= 100;
            if (i < 8)
                out |= (uint64_t)byte << (8 * i);
            else
                top = (uint16_t)byte;
        }
        mem->mant = out;
        mem->sign_exp = (uint16_t)(top | (u.sign ? 0x8000 : 0));
        return bst;
    }
    if (u.kind == K_INVALID || u.kind == K_QNAN || u.kind == K_SNAN || u.kind == K_INF) {
        mem->mant = indef;
        return HOST_X87_IE;
    }
    if (u.kind == K_ZERO)
        return 0;
    /* |value| = sig * 2^(exp - 127): integer part and the rest */
    u128 ip, rem, half;
    int32_t sh = 127 - u.exp;
    if (sh <= 0) {
        mem->mant = indef;                          /* >= 2^127 */
        return HOST_X87_IE;
    }
    if (sh >= 128) {
        ip = 0;
        rem = 1;                                    /* below 2^-1: only sticky matters */
        half = 2;
        if (sh == 128) {
            rem = u.sig;                            /* [0.5, 1) */
            half = (u128)1 << 127;
        }
    } else {
        ip = u.sig >> sh;
        rem = u.sig & (((u128)1 << sh) - 1);
        half = (u128)1 << (sh - 1);
    }
    bool inc = false;
    if (rem) {
        st |= HOST_X87_PE;
        switch (rc) {
        case 0: inc = rem > half || (rem == half && (ip & 1)); break;
        case 1: inc = u.sign; break;
        case 2: inc = !u.sign; break;
        default: break;
        }
    }
    if (inc) {
        ip++;
        st |= HOST_X87_C1;
    }
    u128 lim = (u128)1 << (bits - 1);
    if (u.sign ? ip > lim : ip >= lim) {
        mem->mant = indef;
        return HOST_X87_IE;
    }
    uint64_t v = u.sign ? 0 - (uint64_t)ip : (uint64_t)ip;
    if (bits < 64)
        v &= (1ull << bits) - 1;
    mem->mant = v;
    return st;
}

/* An unmasked invalid operation stores nothing; nor does an unmasked
 * overflow or underflow (tininess alone) of a single or double store: no
 * scaled result fits the format. */
uint16_t host_x87_soft_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                             bool truncate)
{
    HostF80 v;
    memset(&v, 0, sizeof v);
    uint16_t st = store_masked(fcw, &v, src, fmt, truncate);
    if (st & ~fcw & HOST_X87_IE)
        return st & HOST_X87_IE;
    Unpacked u = unpack(src);
    if ((fmt == HOST_X87_M32FP || fmt == HOST_X87_M64FP) && u.kind == K_NORMAL) {
        int32_t bias = fmt == HOST_X87_M32FP ? 127 : 1023;
        if (!(fcw & HOST_X87_UE) && u.exp + bias < 1)
            return HOST_X87_UE;
        if (!(fcw & HOST_X87_OE) && (st & HOST_X87_OE))
            return HOST_X87_OE;
    }
    *mem = v;
    return st;
}

/* ---- constants, FRNDINT, FXTRACT ------------------------------------------- */

/* The constants to 128 bits (value = sig / 2^127 * 2^exp), rounded as the
 * control word's RC says to 64 bits whatever PC is. */
uint16_t host_x87_soft_const(uint16_t fcw, HostF80 *dst, HostX87Const k)
{
    static const struct { uint64_t hi, lo; int32_t exp; } c[] = {
        [HOST_X87_LDL2T] = { 0xd49a784bcd1b8afeull, 0x492bf6ff4dafdb4cull, 1 },
        [HOST_X87_LDL2E] = { 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull, 0 },
        [HOST_X87_LDPI] = { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, 1 },
        [HOST_X87_LDLG2] = { 0x9a209a84fbcff798ull, 0x8f8959ac0b7c9178ull, -2 },
        [HOST_X87_LDLN2] = { 0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull, -1 },
    };
    dst->pad[0] = dst->pad[1] = dst->pad[2] = 0;
    if (k == HOST_X87_LD1) {
        pack_special(dst, false, BIAS, INT_BIT);
        return 0;
    }
    if (k == HOST_X87_LDZ) {
        pack_special(dst, false, 0, 0);
        return 0;
    }
    u128 sig = ((u128)c[k].hi << 64) | c[k].lo;
    round_pack(dst, false, c[k].exp, sig, (uint16_t)(fcw | 0x300));
    return 0;   /* no flags, C1 clear */
}

uint16_t host_x87_soft_frndint(uint16_t fcw, HostF80 *v)
{
    Unpacked u = unpack(v);
    unsigned rc = (fcw >> 10) & 3;
    switch (u.kind) {
    case K_INVALID: indefinite(v); return HOST_X87_IE;
    case K_SNAN: v->mant |= QNAN_BIT; return HOST_X87_IE;
    case K_QNAN: case K_INF: case K_ZERO: return 0;
    default: break;
    }
    uint16_t st = u.denormal ? HOST_X87_DE : 0;
    if (u.exp >= 63)
        return st;                                  /* already an integer */
    u128 ip, rem, half;
    if (u.exp < 0) {
        ip = 0;
        rem = u.sig;
        half = u.exp == -1 ? (u128)1 << 127 : 0;    /* below 1/2: any rest is less than half */
    } else {
        int32_t sh = 127 - u.exp;
        ip = u.sig >> sh;
        rem = u.sig & (((u128)1 << sh) - 1);
        half = (u128)1 << (sh - 1);
    }
    bool inc = false;
    if (rem) {
        st |= HOST_X87_PE;
        switch (rc) {
        case 0: inc = half && (rem > half || (rem == half && (ip & 1))); break;
        case 1: inc = u.sign; break;
        case 2: inc = !u.sign; break;
        default: break;
        }
    }
    if (inc) {
        ip++;
        st |= HOST_X87_C1;
    }
    if (ip == 0) {
        pack_special(v, u.sign, 0, 0);
        return st;
    }
    uint64_t m = (uint64_t)ip;                      /* < 2^64 since exp < 63 */
    int sh = __builtin_clzll(m);
    pack_special(v, u.sign, (unsigned)(BIAS + 63 - sh), m << sh);
    return st;
}

/* FXTRACT: st[0] = the significand (exponent 0x3fff), st[1] = the exponent
 * as a value (ST(0) on top after the push: st[0] is the new ST(0)). */
uint16_t host_x87_soft_fxtract(const HostF80 *v, HostF80 st[2])
{
    Unpacked u = unpack(v);
    memset(st, 0, 2 * sizeof *st);
    switch (u.kind) {
    case K_INVALID: indefinite(&st[0]); indefinite(&st[1]); return HOST_X87_IE;
    case K_SNAN: case K_QNAN:
        pack_special(&st[0], v->sign_exp >> 15, EXP_MAX, v->mant | QNAN_BIT);
        st[1] = st[0];
        return u.kind == K_SNAN ? HOST_X87_IE : 0;
    case K_INF:
        pack_special(&st[0], u.sign, EXP_MAX, INT_BIT);
        pack_special(&st[1], false, EXP_MAX, INT_BIT);
        return 0;
    case K_ZERO:
        pack_special(&st[0], u.sign, 0, 0);
        pack_special(&st[1], true, EXP_MAX, INT_BIT);   /* -infinity, a zero divide */
        return HOST_X87_ZE;
    default: break;
    }
    pack_special(&st[0], u.sign, BIAS, (uint64_t)(u.sig >> 64));
    int64_t e = u.exp;
    if (e == 0) {
        pack_special(&st[1], false, 0, 0);
    } else {
        uint64_t mag = e < 0 ? (uint64_t)-e : (uint64_t)e;
        int sh = __builtin_clzll(mag);
        pack_special(&st[1], e < 0, (unsigned)(BIAS + 63 - sh), mag << sh);
    }
    return u.denormal ? HOST_X87_DE : 0;
}

/* FSCALE: *st0 = *st0 * 2^trunc(*st1), rounded (only an out-of-range
 * result rounds) as fcw says. */
uint16_t host_x87_soft_fscale(uint16_t fcw, HostF80 *st0, const HostF80 *st1)
{
    Unpacked a = unpack(st0), s = unpack(st1);
    HostF80 r = { 0, 0, { 0 } };
    uint16_t st;
    if (any_invalid(&a, &s)) {
        indefinite(st0);
        return HOST_X87_IE;
    }
    if (is_nan(&a) || is_nan(&s)) {
        st = nan_result(&r, st0, &a, st1, &s);
        *st0 = r;
        return st;
    }
    st = denorm_flag(&a, &s);
    if (s.kind == K_INF) {
        if ((a.kind == K_INF && s.sign) || (a.kind == K_ZERO && !s.sign)) {
            indefinite(st0);
            return prio(st | HOST_X87_IE);
        }
        if (a.kind == K_NORMAL)
            pack_special(st0, a.sign, s.sign ? 0 : EXP_MAX, s.sign ? 0 : INT_BIT);
        return st;
    }
    if (a.kind != K_NORMAL)
        return st;                                  /* zeros and infinities stay */
    int64_t n = 0;
    if (s.kind == K_NORMAL && s.exp >= 0) {
        if (s.exp > 30)
            n = 1 << 30;                            /* far out of range either way */
        else
            n = (int64_t)(s.sig >> (127 - s.exp));
        if (s.sign)
            n = -n;
    }
    st |= round_pack(&r, a.sign, a.exp + (int32_t)n, a.sig, (uint16_t)(fcw | 0x300));
    r.pad[0] = r.pad[1] = r.pad[2] = 0;
    *st0 = r;
    return st;
}

/* FPREM / FPREM1: *st0 = the partial remainder of *st0 / *st1; C2 set while
 * incomplete (an exponent difference of 64 or more reduces it by
 * 2^(D - N), N = 32 + D mod 32, as AMD documents), else C0 C3 C1 the
 * quotient's low three bits. */
uint16_t host_x87_soft_fprem(bool ieee, HostF80 *st0, const HostF80 *st1)
{
    Unpacked a = unpack(st0), b = unpack(st1);
    HostF80 r = { 0, 0, { 0 } };
    if (any_invalid(&a, &b)) {
        indefinite(st0);
        return HOST_X87_IE;
    }
    if (is_nan(&a) || is_nan(&b)) {
        uint16_t st = nan_result(&r, st0, &a, st1, &b);
        *st0 = r;
        return st;
    }
    uint16_t st = denorm_flag(&a, &b);
    if (a.kind == K_INF || b.kind == K_ZERO) {
        indefinite(st0);
        return prio(st | HOST_X87_IE);
    }
    if (a.kind == K_ZERO)
        return st;                                  /* the dividend stays, quotient 0 */
    if (b.kind == K_INF) {
        /* the dividend, canonical (a pseudo-denormal gets exponent 1) */
        round_pack(&r, a.sign, a.exp, a.sig, 0x37f);
        *st0 = r;
        return st;
    }
    uint64_t ma = (uint64_t)(a.sig >> 64), mb = (uint64_t)(b.sig >> 64);
    int32_t d = a.exp - b.exp;
    bool sign = a.sign;
    if (d >= 64) {
        int32_t n = 32 + d % 32;
        u128 rem = ((u128)ma << n) % mb;
        if (rem == 0)
            pack_special(&r, sign, 0, 0);
        else
            round_pack(&r, sign, a.exp - n, rem << 64, 0x37f);
        *st0 = r;
        return st | HOST_X87_C2;
    }
    u128 q, rem;
    if (d < 0) {
        q = 0;
        rem = ma;                                   /* in units of 2^(eb - 63 + d) */
    } else {
        u128 num = (u128)ma << d;
        q = num / mb;
        rem = num % mb;
    }
    int32_t rexp = b.exp + (d < 0 ? d : 0);          /* rem * 2^(rexp - 63) */
    if (ieee) {
        /* round the quotient to nearest: compare 2*rem with the divisor */
        if (d < -1) {
            /* |a| < |b|/2: nothing to adjust */
        } else {
            u128 twice = rem << 1, div = d < 0 ? (u128)mb << -d : mb;
            if (twice > div || (twice == div && (q & 1))) {
                rem = div - rem;
                q++;
                sign = !sign;
            }
        }
    }
    if (rem == 0)
        pack_special(&r, a.sign, 0, 0);
    else
        round_pack(&r, sign, rexp, rem << 64, 0x37f);
    *st0 = r;
    st |= (q & 4 ? HOST_X87_C0 : 0) | (q & 2 ? HOST_X87_C3 : 0) | (q & 1 ? HOST_X87_C1 : 0);
    return st;
}

/* The memory forms (m32fp, m64fp, m16int, m32int): the operand widened
 * exactly (an SNaN stays signalling, a denormal single or double becomes
 * a normal extended value and reports DE), then the register form. */
uint16_t host_x87_soft_arith_mem(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src,
                                 HostX87Fmt fmt)
{
    HostF80 w = { 0, 0, { 0 } };
    Unpacked d = unpack(dst);
    uint16_t lst = host_x87_soft_load(&w, src, fmt);
    if (lst & HOST_X87_IE)
        w.mant &= ~QNAN_BIT;                        /* keep it signalling */
    if (is_nan(&d))
        lst &= (uint16_t)~HOST_X87_DE;              /* a NaN operand: no DE, as in the register form */
    HostF80 r = *dst;
    uint16_t st = host_x87_soft_arith(op, (uint16_t)(fcw | PRE_EXC), &r, &w);
    st = prio((uint16_t)(st | (lst & HOST_X87_DE)));
    if (stopped(st, fcw))
        return st & PRE_EXC;
    *dst = r;
    return st;
}

/* FCOM/FCOMP m32fp/m64fp, FICOM/FICOMP m16int/m32int: the operand widened
 * exactly, then the register compare (ordered). */
uint16_t host_x87_soft_compare_mem(const HostF80 *a, const HostF80 *src, HostX87Fmt fmt)
{
    HostF80 w = { 0, 0, { 0 } };
    Unpacked ua = unpack(a);
    uint16_t lst = host_x87_soft_load(&w, src, fmt);
    if (lst & HOST_X87_IE)
        w.mant &= ~QNAN_BIT;
    if (is_nan(&ua) || ua.kind == K_INVALID)
        lst &= (uint16_t)~HOST_X87_DE;
    uint16_t st = host_x87_soft_compare(false, a, &w);
    return prio((uint16_t)(st | (lst & HOST_X87_DE)));
}
