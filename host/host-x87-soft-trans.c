/*
 * host-x87-soft-trans.c — the x87's transcendental instructions in portable
 * C, for a host without an x87 unit: F2XM1, FSIN, FCOS, FSINCOS, FPTAN,
 * FPATAN, FYL2X, FYL2XP1 (host_x87_soft_func, which also dispatches the
 * other HostX87Func operations to host-x87-soft.c).
 *
 * What the hardware does (measured on the x86_64 host, docs/x87.md):
 *   - the trigonometric instructions reduce their argument by multiples of
 *     pi/2 using the 66-bit pi of the SDM (0xC90FDAA2_2168C234_C / 2^66),
 *     not the true pi: for a huge argument the result is the sine of
 *     x - n * pi66/2 (exactly), not of x mod pi; FPATAN's quadrant
 *     corrections (pi - a, pi/2 - a) use pi66 too;
 *   - the results are rounded to 64 bits whatever the precision control,
 *     in the rounding control's direction;
 *   - the hardware's own approximations are faithful but not always
 *     correctly rounded: its value (and C1) is the correctly rounded one
 *     in about 96-99.3% of random cases and one unit in the last place
 *     away (or only C1 differs) in the others; which ones depends on its
 *     internal approximations, unknown;
 *   - exact and out-of-domain cases follow rules (see f2xm1, fyl2x, trig).
 * This file computes each function to about 120 bits and rounds once
 * (correct rounding of the model above), so it agrees with the hardware
 * whenever the hardware rounds correctly, and on every special operand
 * (zeros, denormals, infinities, NaNs, unsupported formats, out-of-range
 * arguments and their C2, exact results such as log2 of a power of two).
 *
 * The arithmetic is a small 128-bit floating point (Xf): a sign, an
 * unbounded exponent and a 128-bit significand, truncating with a sticky
 * last bit; the series lose a few of those bits, far below the 64 that get
 * rounded, and say which way their tail goes (xf_tiny_next).
 */
#include "host/host-x87-soft.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;

#define BIAS 16383
#define EXP_MAX 0x7fff
#define INT_BIT (1ull << 63)
#define QNAN_BIT (1ull << 62)
#define M64 (((u128)1 << 64) - 1)

/* value = (-1)^neg * sig * 2^(exp - 127); sig == 0 is zero, else bit 127 set */
typedef struct Xf {
    bool neg;
    int32_t exp;
    u128 sig;
} Xf;

static int clz128(u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi)
        return __builtin_clzll(hi);
    return lo ? 64 + __builtin_clzll(lo) : 128;
}

static Xf xf(bool neg, int32_t exp, u128 sig)
{
    Xf r = { neg, exp, sig };
    if (!sig)
        return (Xf){ false, 0, 0 };
    int lz = clz128(sig);
    r.sig <<= lz;
    r.exp -= lz;
    return r;
}

/* sign * v * 2^scale for an integer v */
static Xf xf_int(bool neg, u128 v, int32_t scale) { return xf(neg, 127 + scale, v); }

static Xf xf_neg(Xf a)
{
    a.neg = !a.neg;
    return a;
}

static Xf xf_mul(Xf a, Xf b)
{
    if (!a.sig || !b.sig)
        return (Xf){ false, 0, 0 };
    uint64_t a1 = (uint64_t)(a.sig >> 64), a0 = (uint64_t)a.sig;
    uint64_t b1 = (uint64_t)(b.sig >> 64), b0 = (uint64_t)b.sig;
    u128 hh = (u128)a1 * b1, hl = (u128)a1 * b0, lh = (u128)a0 * b1, ll = (u128)a0 * b0;
    u128 mid = (hl & M64) + (lh & M64) + (ll >> 64);
    u128 hi = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
    /* the low half matters only for an exact product of short significands */
    u128 lo = (mid << 64) | (ll & M64);
    Xf r = xf(a.neg != b.neg, a.exp + b.exp + 1, hi);
    if (r.exp != a.exp + b.exp + 1) {               /* shifted left by one: take a bit from lo */
        r.sig |= lo >> 127;
        lo <<= 1;
    }
    r.sig |= lo != 0;                               /* sticky */
    return r;
}

static Xf xf_add(Xf a, Xf b)
{
    if (!b.sig)
        return a;
    if (!a.sig)
        return b;
    if (b.exp > a.exp || (b.exp == a.exp && b.sig > a.sig)) {
        Xf t = a;
        a = b;
        b = t;
    }
    int32_t d = a.exp - b.exp;
    /* one guard bit: both shifted right by one first */
    u128 x = a.sig >> 1, y;
    if (d >= 126)
        y = 1;                                      /* sticky only */
    else
        y = ((b.sig >> 1) >> d) | (((b.sig >> 1) & ((((u128)1) << d) - 1)) != 0);
    if (a.neg == b.neg)
        return xf(a.neg, a.exp + 1, x + y);
    return xf(a.neg, a.exp + 1, x - y);
}

static Xf xf_sub(Xf a, Xf b) { return xf_add(a, xf_neg(b)); }

/* a / b, b != 0: 128 quotient bits by restoring division */
static Xf xf_div(Xf a, Xf b)
{
    if (!a.sig)
        return a;
    u128 r = a.sig, q = 0;
    bool carry = false;
    for (int i = 0; i < 128; i++) {
        q <<= 1;
        if (carry || r >= b.sig) {
            r -= b.sig;
            q |= 1;
        }
        carry = r >> 127;
        r <<= 1;
    }
    return xf(a.neg != b.neg, a.exp - b.exp, q | (r != 0 || carry));   /* sticky */
}

/* a / n for a small positive integer n */
static Xf xf_divn(Xf a, uint64_t n)
{
    u128 q1 = a.sig / n, r1 = a.sig % n;
    u128 q2 = (r1 << 64) / n, r2 = (r1 << 64) % n;  /* r1 < n < 2^64 */
    int lz = clz128(q1);
    u128 q = (q1 << lz) | (lz ? q2 >> (64 - lz) : 0);
    bool lost = r2 != 0 || (lz < 64 && (q2 & ((((u128)1) << (64 - lz)) - 1)) != 0);
    return (Xf){ a.neg, a.exp - lz, q | lost };
}

/* A series stops at a term below 2^-130 of the sum; the sum then moves
 * by one unit of its last bit toward that term, so that a sum equal to a
 * representable value (sin x for a tiny x is x itself) still rounds in
 * the direction of the true value. */
static bool xf_tiny_next(Xf term, Xf *sum)
{
    if (term.sig && term.exp >= sum->exp - 130)
        return false;
    if (term.sig) {
        if (term.neg == sum->neg)
            sum->sig |= 1;
        else if (sum->sig == (u128)1 << 127) {      /* 1 - tiny: all ones one binade down */
            sum->sig = ~(u128)0;
            sum->exp--;
        } else if (!(sum->sig & 1)) {
            sum->sig -= 1;                          /* (an odd sum already says "not exact") */
        }
    }
    return true;
}

/* constants to 128 bits */
static const Xf LOG2E = { false, 0, ((u128)0xb8aa3b295c17f0bbull << 64) | 0xbe87fed0691d3e88ull };
static const Xf LN2 = { false, -1, ((u128)0xb17217f7d1cf79abull << 64) | 0xc9e3b39803f2f6afull };
static const Xf ONE = { false, 0, (u128)1 << 127 };

/* The 66-bit pi of the x87 (SDM vol. 1, 8.3.8) over 2: P * 2^-65; FPATAN
 * too uses it for the quadrants (pi - a, pi/2 - a: measured, the true pi
 * there agrees with the hardware less often) */
static const u128 PI66_HALF = ((u128)0x3 << 64) | 0x243f6a8885a308d3ull;
static const Xf PI = { false, 1, PI66_HALF << 62 };

/* ---- operands ------------------------------------------------------------ */

enum { K_ZERO, K_NORMAL, K_INF, K_QNAN, K_SNAN, K_INVALID };

typedef struct Op {
    int kind;
    bool sign;
    bool denormal;
    Xf v;                                           /* K_NORMAL: the value */
} Op;

static Op op_unpack(const HostF80 *a)
{
    Op o = { 0 };
    unsigned e = a->sign_exp & 0x7fff;
    uint64_t m = a->mant;
    o.sign = a->sign_exp >> 15;
    if (e == EXP_MAX) {
        if (!(m & INT_BIT))
            o.kind = K_INVALID;
        else if ((m << 1) == 0)
            o.kind = K_INF;
        else
            o.kind = (m & QNAN_BIT) ? K_QNAN : K_SNAN;
        return o;
    }
    if (e != 0 && !(m & INT_BIT)) {
        o.kind = K_INVALID;                         /* unnormal */
        return o;
    }
    if (m == 0) {
        o.kind = K_ZERO;
        return o;
    }
    o.kind = K_NORMAL;
    if (e == 0) {
        o.denormal = true;
        e = 1;
    }
    o.v = xf_int(o.sign, m, (int32_t)e - BIAS - 63);
    return o;
}

static bool op_nan(const Op *o) { return o->kind == K_QNAN || o->kind == K_SNAN; }

static void put(HostF80 *r, bool sign, unsigned e, uint64_t m)
{
    memset(r, 0, sizeof *r);
    r->sign_exp = (uint16_t)((sign ? 0x8000 : 0) | e);
    r->mant = m;
}

static void put_indef(HostF80 *r) { put(r, true, EXP_MAX, INT_BIT | QNAN_BIT); }
static void put_inf(HostF80 *r, bool sign) { put(r, sign, EXP_MAX, INT_BIT); }
static void put_zero(HostF80 *r, bool sign) { put(r, sign, 0, 0); }
static void put_one(HostF80 *r, bool sign) { put(r, sign, BIAS, INT_BIT); }

/* Round v (inexact: an irrational value, or exact when !inexact) to 64
 * bits in fcw's rounding mode: precision control does not apply to the
 * transcendental instructions.  (Unmasked overflow and underflow: the
 * result scaled, as round_pack in host-x87-soft.c does.) */
static uint16_t put_xf(HostF80 *r, Xf v, bool inexact, uint16_t fcw)
{
    if (!v.sig) {
        put_zero(r, v.neg);
        return 0;
    }
    /* the computations keep a sticky bit and the direction of what they
     * dropped; a value that still looks exactly representable gets one */
    if (inexact && !(v.sig & (((u128)1 << 64) - 1)))
        v.sig |= 1;
    return host_x87_soft_round_pack(r, v.neg, v.exp, v.sig, (uint16_t)(fcw | 0x300));
}

/* An invalid operation or a zero divide reports no denormal operand. */
static uint16_t prio(uint16_t st)
{
    return (st & (HOST_X87_IE | HOST_X87_ZE)) ? (uint16_t)(st & ~HOST_X87_DE) : st;
}

/* ---- series -------------------------------------------------------------- */

/* sin r and cos r for |r| <= pi/4 (r != 0) */
static Xf sin_small(Xf r)
{
    Xf t = xf_mul(r, r), term = r, sum = r;
    for (uint64_t k = 1; k < 40; k++) {
        term = xf_neg(xf_divn(xf_mul(term, t), (2 * k) * (2 * k + 1)));
        if (xf_tiny_next(term, &sum))
            break;
        sum = xf_add(sum, term);
    }
    return sum;
}

static Xf cos_small(Xf r)
{
    Xf t = xf_mul(r, r), term = ONE, sum = ONE;
    for (uint64_t k = 1; k < 40; k++) {
        term = xf_neg(xf_divn(xf_mul(term, t), (2 * k - 1) * (2 * k)));
        if (xf_tiny_next(term, &sum))
            break;
        sum = xf_add(sum, term);
    }
    return sum;
}

/* atan(k / 32), k = 0..32, as 0.128 fixed point */
static const uint64_t ATAN_TAB[33][2] = {
    { 0x0000000000000000ull, 0x0000000000000000ull },
    { 0x07ff556eea5d892aull, 0x13bcebbb6ed46310ull },
    { 0x0ffaaddb967ef4e3ull, 0x6cb2792dc0e2e0d5ull },
    { 0x17ee182602f10e8cull, 0x126acfcf099f06ceull },
    { 0x1fd5ba9aac2f6dc6ull, 0x5912f313e7d111deull },
    { 0x27adddd18cc4d8b0ull, 0xd1d8674940d83fa1ull },
    { 0x2f72f6979cb6044dull, 0x1ec2d3e207271d21ull },
    { 0x3721aea524c14408ull, 0xbd88697072d54bc0ull },
    { 0x3eb6ebf25901bac5ull, 0x5b71e7bd7de885f9ull },
    { 0x462fd68c2fc5e098ull, 0x6523a458dfc414c6ull },
    { 0x4d89dcdc1faf2f34ull, 0xe2d5da4c693d7994ull },
    { 0x54c2b6654735276dull, 0x4cdbfbbdfbecf460ull },
    { 0x5bd86507937bc239ull, 0xc55190916e7f2241ull },
    { 0x62c934e5286c95b6ull, 0xd0ba3748fa85146eull },
    { 0x6993bb0f308ff2dbull, 0x213e4af4800f389bull },
    { 0x7036d3253b27be33ull, 0xe318f6cb3cc65c01ull },
    { 0x76b19c1586ed3da2ull, 0xb7f222f65e1d4681ull },
    { 0x7d03742d50505f2eull, 0x33691e3eaee47661ull },
    { 0x832bf4a6d9867e2aull, 0x4b6a09cb61a515c0ull },
    { 0x892aecdfde9547b5ull, 0x094478fc472b4afbull },
    { 0x8f005d5ef7f59f9bull, 0x5c835e1665c43747ull },
    { 0x94ac72c9847186f6ull, 0x18c4f393f78a32f8ull },
    { 0x9a2f80e671bdda20ull, 0x4226f8e2204ff3bcull },
    { 0x9f89fdc4f4b7a1ecull, 0xf8b492644f0701dfull },
    { 0xa4bc7d1934f70924ull, 0x19a87f2a457dac9eull },
    { 0xa9c7abdc4830f5c8ull, 0x916a84b5be7933f5ull },
    { 0xaeac4c38b4d8c080ull, 0x14725e2f3e52070aull },
    { 0xb36b31c91f043691ull, 0x590141744462f939ull },
    { 0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull },
    { 0xbc7b5deae98af280ull, 0xd4113006e80fb290ull },
    { 0xc0ce85b8ac526640ull, 0x89dd62c46e92fa24ull },
    { 0xc4ffaffabf8fbd54ull, 0x8cb43d10bc9e0221ull },
    { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
};

/* atan q for 0 < q <= 1: atan(c) + atan((q - c) / (1 + q c)), c = k/32
 * the nearest, and the series of the second for |d| <= 1/64 */
static Xf atan_unit(Xf q)
{
    uint64_t k = 0;
    if (q.exp >= -6) {
        int sh = 122 - q.exp;                       /* q * 32 = sig >> sh */
        k = (uint64_t)(((q.sig >> (sh - 1)) + 1) >> 1); /* rounded */
    }
    Xf c = xf_int(false, k, -5);
    Xf d = k ? xf_div(xf_sub(q, c), xf_add(ONE, xf_mul(q, c))) : q;
    Xf sum = d;
    if (d.sig) {
        Xf t = xf_neg(xf_mul(d, d)), pw = d;
        for (uint64_t n = 1; n < 40; n++) {
            pw = xf_mul(pw, t);
            Xf term = xf_divn(pw, 2 * n + 1);
            if (xf_tiny_next(term, &sum))
                break;
            sum = xf_add(sum, term);
        }
    }
    if (!k)
        return sum;
    Xf base = xf(false, -1, ((u128)ATAN_TAB[k][0] << 64) | ATAN_TAB[k][1]);
    return xf_add(base, sum);
}

/* log2 u for u > 0: u = m 2^E with m in [sqrt(2)/2, sqrt(2)), then
 * ln m = 2 atanh((m - 1) / (m + 1)) */
static Xf log2_xf(Xf u, bool *exact)
{
    int32_t e = u.exp;
    Xf m = u;
    m.neg = false;
    m.exp = 0;
    if ((uint64_t)(m.sig >> 64) > 0xb504f333f9de6484ull) {
        m.exp = -1;
        e++;
    }
    Xf s = xf_div(xf_sub(m, ONE), xf_add(m, ONE));
    *exact = !s.sig;
    Xf sum = s;
    if (s.sig) {
        Xf t = xf_mul(s, s), pw = s;
        for (uint64_t n = 1; n < 80; n++) {
            pw = xf_mul(pw, t);
            Xf term = xf_divn(pw, 2 * n + 1);
            if (xf_tiny_next(term, &sum))
                break;
            sum = xf_add(sum, term);
        }
        sum = xf_mul(sum, LOG2E);
        sum.exp++;                                  /* 2 atanh s / ln 2 */
    }
    return xf_add(xf_int(e < 0, (u128)(e < 0 ? -(int64_t)e : e), 0), sum);
}

/* log2(1 + x) for x > -1 */
static Xf log2p1_xf(Xf x, bool *exact)
{
    if (x.exp >= -2)                                /* |x| >= 1/4: 1 + x is precise enough */
        return log2_xf(xf_add(ONE, x), exact);
    Xf two = ONE;
    two.exp = 1;
    Xf s = xf_div(x, xf_add(two, x));
    Xf sum = s, t = xf_mul(s, s), pw = s;
    for (uint64_t n = 1; n < 80; n++) {
        pw = xf_mul(pw, t);
        Xf term = xf_divn(pw, 2 * n + 1);
        if (xf_tiny_next(term, &sum))
            break;
        sum = xf_add(sum, term);
    }
    *exact = false;
    sum = xf_mul(sum, LOG2E);
    sum.exp++;
    return sum;
}

/* 2^x - 1 = expm1(x ln 2), x != 0 */
static Xf exp2m1_xf(Xf x)
{
    Xf z = xf_mul(x, LN2), term = z, sum = z;
    for (uint64_t k = 2; k < 60; k++) {
        term = xf_divn(xf_mul(term, z), k);
        if (xf_tiny_next(term, &sum))
            break;
        sum = xf_add(sum, term);
    }
    return sum;
}

/* ---- the instructions ------------------------------------------------------ */

/* Reduce x (|x| < 2^63) by the nearest multiple n of pi66/2 exactly:
 * returns r = x - n pi66/2 and n mod 4. */
static Xf reduce(Xf x, unsigned *quadrant)
{
    *quadrant = 0;
    int32_t k = x.exp - 127;                        /* x = sig * 2^k */
    /* x = (sig >> 64) * 2^(k + 64) with 64 significant bits */
    int32_t sh = k + 64 + 65;                       /* N = x * 2^65 = M << sh */
    if (sh < 0)
        return x;                                   /* |x| < 2^-2 < pi/4 */
    u128 n = (u128)(uint64_t)(x.sig >> 64) << sh;    /* sh <= 64: x < 2^63 */
    u128 q = n / PI66_HALF, rem = n % PI66_HALF;
    bool neg = x.neg;
    if (rem > PI66_HALF / 2) {
        q++;
        rem = PI66_HALF - rem;
        neg = !neg;
    }
    *quadrant = (unsigned)(x.neg ? (0 - q) & 3 : q & 3);
    return xf_int(neg, rem, -65);
}

typedef enum { TRIG_SIN, TRIG_COS, TRIG_SINCOS, TRIG_TAN } Trig;

static uint16_t trig(Trig which, uint16_t fcw, HostF80 st[2], int *pushed)
{
    HostF80 a = st[0];
    Op o = op_unpack(&a);
    bool two = which == TRIG_SINCOS || which == TRIG_TAN;
    uint16_t s = 0;
    *pushed = 0;
    switch (o.kind) {
    case K_INVALID: case K_INF:
        put_indef(&st[0]);
        if (two) {
            st[1] = st[0];
            *pushed = 1;
        }
        return HOST_X87_IE;
    case K_QNAN: case K_SNAN:
        s = host_x87_soft_nan_result(&st[0], &a, NULL);
        if (two) {
            st[1] = st[0];
            *pushed = 1;
        }
        return s;
    default: break;
    }
    s = o.denormal ? HOST_X87_DE : 0;
    if (o.kind == K_NORMAL && o.v.exp >= 63)
        return s | HOST_X87_C2;                     /* out of range: unchanged */
    if (two)
        *pushed = 1;
    if (o.kind == K_ZERO) {
        switch (which) {
        case TRIG_SIN: put_zero(&st[0], o.sign); break;
        case TRIG_COS: put_one(&st[0], false); break;
        case TRIG_SINCOS: put_zero(&st[1], o.sign); put_one(&st[0], false); break;
        case TRIG_TAN: put_zero(&st[1], o.sign); put_one(&st[0], false); break;
        }
        return s;
    }
    unsigned quad;
    Xf r = reduce(o.v, &quad);
    /* only the series the result needs: sin x from sin r (even n) or
     * cos r (odd n), cos x the other way round */
    bool need_sin = which != TRIG_COS, need_cos = which != TRIG_SIN;
    bool odd = quad & 1;
    Xf sn = { false, 0, 0 }, cs = { false, 0, 0 }, rs, rc;
    if ((need_sin && !odd) || (need_cos && odd))
        sn = sin_small(r);
    if ((need_sin && odd) || (need_cos && !odd))
        cs = cos_small(r);
    switch (quad) {
    case 0: rs = sn; rc = cs; break;
    case 1: rs = cs; rc = xf_neg(sn); break;
    case 2: rs = xf_neg(sn); rc = xf_neg(cs); break;
    default: rs = xf_neg(cs); rc = sn; break;
    }
    switch (which) {
    case TRIG_SIN: return s | put_xf(&st[0], rs, true, fcw);
    case TRIG_COS: return s | put_xf(&st[0], rc, true, fcw);
    case TRIG_SINCOS: {
        uint16_t s1 = put_xf(&st[1], rs, true, fcw);
        uint16_t s0 = put_xf(&st[0], rc, true, fcw);
        return (uint16_t)(s | ((s0 | s1) & ~HOST_X87_C1) | (s1 & HOST_X87_C1));   /* C1: the sine's */
    }
    default:
        if (r.exp < -40) {
            /* tan r = r + r^3/3 + ...: the division of the two series
             * would lose which side of r the value is on */
            Xf t;
            if (!(quad & 1)) {
                t = xf_add(r, xf_divn(xf_mul(xf_mul(r, r), r), 3));
                t.sig |= 1;
            } else {
                /* the hardware returns -1/r itself when that is exact
                 * (r a power of two: x next to a multiple of pi66/2),
                 * reporting inexact (measured) */
                t = xf_neg(xf_div(ONE, r));
                if (!(t.sig & (((u128)1 << 64) - 1))) {
                    s |= put_xf(&st[1], t, false, fcw) | HOST_X87_PE;
                    put_one(&st[0], false);
                    return s;
                }
            }
            s |= put_xf(&st[1], t, true, fcw);
        } else {
            s |= put_xf(&st[1], xf_div(rs, rc), true, fcw);
        }
        put_one(&st[0], false);
        return s;
    }
}

/* FPATAN: st[0] = atan(st[1] / st[0]) in the quadrant of (st[0], st[1]) */
static uint16_t fpatan(uint16_t fcw, HostF80 st[2], int *pushed)
{
    HostF80 a = st[0], b = st[1];
    Op x = op_unpack(&a), y = op_unpack(&b);
    *pushed = -1;
    if (x.kind == K_INVALID || y.kind == K_INVALID) {
        put_indef(&st[0]);
        return HOST_X87_IE;
    }
    if (op_nan(&x) || op_nan(&y))
        return host_x87_soft_nan_result(&st[0], &a, &b);
    uint16_t s = (x.denormal || y.denormal) ? HOST_X87_DE : 0;
    Xf res;
    Xf half_pi = PI;
    half_pi.exp--;
    if (y.kind == K_ZERO) {
        if (x.sign) {                               /* -0, negatives, -inf */
            res = PI;
        } else {
            put_zero(&st[0], y.sign);
            return s;
        }
    } else if (y.kind == K_INF) {
        if (x.kind == K_INF) {
            res = PI;
            res.exp -= 2;                           /* pi/4 */
            if (x.sign)
                res = xf_mul(res, xf_int(false, 3, 0));
        } else {
            res = half_pi;
        }
    } else if (x.kind == K_ZERO) {
        res = half_pi;
    } else if (x.kind == K_INF) {
        if (!x.sign) {
            put_zero(&st[0], y.sign);
            return s;
        }
        res = PI;
    } else {
        Xf ax = x.v, ay = y.v;
        ax.neg = ay.neg = false;
        bool ylow = ay.exp < ax.exp || (ay.exp == ax.exp && ay.sig <= ax.sig);
        if (ylow)
            res = atan_unit(xf_div(ay, ax));
        else
            res = xf_sub(half_pi, atan_unit(xf_div(ax, ay)));
        if (x.sign)
            res = xf_sub(PI, res);
    }
    res.neg = y.sign;
    return s | put_xf(&st[0], res, true, fcw);
}

/* FYL2X (p1 false): st[0] = st[1] * log2(st[0]); FYL2XP1: log2(1 + st[0]) */
static uint16_t fyl2x(bool p1, uint16_t fcw, HostF80 st[2], int *pushed)
{
    HostF80 a = st[0], b = st[1];
    Op x = op_unpack(&a), y = op_unpack(&b);
    *pushed = -1;
    if (x.kind == K_INVALID || y.kind == K_INVALID) {
        put_indef(&st[0]);
        return HOST_X87_IE;
    }
    if (op_nan(&x) || op_nan(&y))
        return host_x87_soft_nan_result(&st[0], &a, &b);
    uint16_t s = (x.denormal || y.denormal) ? HOST_X87_DE : 0;
    /* the logarithm's class: -inf (zero divide), zero, finite, +inf */
    enum { L_NINF, L_ZERO, L_FIN, L_PINF } lk;
    bool lsign = false;
    Xf l = { false, 0, 0 };
    bool exact = false;
    if (!p1) {
        if (x.kind == K_ZERO) {
            lk = L_NINF;
        } else if (x.sign) {
            put_indef(&st[0]);
            return prio(s | HOST_X87_IE);
        } else if (x.kind == K_INF) {
            lk = L_PINF;
        } else {
            l = log2_xf(x.v, &exact);
            lk = l.sig ? L_FIN : L_ZERO;
            lsign = l.neg;
        }
    } else {
        if (x.kind == K_ZERO) {
            lk = L_ZERO;
            lsign = x.sign;
        } else if (x.kind == K_INF) {
            if (x.sign) {
                put_indef(&st[0]);
                return prio(s | HOST_X87_IE);
            }
            lk = L_PINF;
        } else {
            /* compare x with -1 */
            int c = -1;
            if (x.sign)
                c = x.v.exp != 0 ? (x.v.exp > 0 ? 1 : -1) : x.v.sig > ONE.sig ? 1 : x.v.sig < ONE.sig ? -1 : 0;
            if (c >= 0) {
                /* x <= -1: the hardware leaves x and reports inexact, but
                 * for a zero or infinite y returns -y (measured) */
                if (y.kind == K_ZERO || y.kind == K_INF) {
                    st[0] = b;
                    st[0].sign_exp ^= 0x8000;
                    return s;
                }
                return s | HOST_X87_PE;
            }
            {
                l = log2p1_xf(x.v, &exact);
                lk = L_FIN;
                lsign = l.neg;
            }
        }
    }
    switch (lk) {
    case L_NINF:
    case L_PINF: {
        bool ls = lk == L_NINF;
        if (y.kind == K_ZERO) {
            put_indef(&st[0]);
            return prio(s | HOST_X87_IE);
        }
        put_inf(&st[0], ls != y.sign);
        return prio(s | (lk == L_NINF && y.kind != K_INF ? HOST_X87_ZE : 0));
    }
    case L_ZERO:
        if (y.kind == K_INF) {
            put_indef(&st[0]);
            return prio(s | HOST_X87_IE);
        }
        put_zero(&st[0], lsign != y.sign);
        return s;
    default:
        break;
    }
    if (y.kind == K_ZERO) {
        put_zero(&st[0], lsign != y.sign);
        return s;
    }
    if (y.kind == K_INF) {
        put_inf(&st[0], lsign != y.sign);
        return s;
    }
    /* an exact product (x a power of two) still reports inexact, and so
     * underflow when it is tiny */
    Xf v = xf_mul(y.v, l);
    s |= put_xf(&st[0], v, !exact, fcw) | HOST_X87_PE;
    if (v.exp + BIAS < 1)
        s |= HOST_X87_UE;
    return s;
}

static uint16_t f2xm1(uint16_t fcw, HostF80 st[2])
{
    HostF80 a = st[0];
    Op x = op_unpack(&a);
    switch (x.kind) {
    case K_INVALID: put_indef(&st[0]); return HOST_X87_IE;
    case K_QNAN: case K_SNAN: return host_x87_soft_nan_result(&st[0], &a, NULL);
    case K_ZERO: return 0;
    case K_INF:
        if (x.sign)
            put_one(&st[0], true);
        return 0;
    default: break;
    }
    uint16_t s = x.denormal ? HOST_X87_DE : 0;
    if (x.v.exp >= 0) {
        /* |x| >= 1.  For 1 the hardware's value is not the exact 1 but
         * just below (inexact, and so rounded by the control word); for
         * -1 it is -1/2 but reported inexact; beyond the domain it leaves
         * the operand and reports inexact (measured) */
        if (x.v.exp == 0 && x.v.sig == ONE.sig) {
            if (x.sign) {
                put(&st[0], true, BIAS - 1, INT_BIT);
                return s | HOST_X87_PE;
            }
            return s | put_xf(&st[0], (Xf){ false, -1, ~(u128)0 }, true, fcw);
        }
        return s | HOST_X87_PE;
    }
    return s | put_xf(&st[0], exp2m1_xf(x.v), true, fcw);
}

static uint16_t func_masked(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed)
{
    *pushed = 0;
    switch (op) {
    case HOST_X87_FSQRT: return host_x87_soft_sqrt(fcw, &st[0]);
    case HOST_X87_FRNDINT: return host_x87_soft_frndint(fcw, &st[0]);
    case HOST_X87_FPREM: return host_x87_soft_fprem(false, &st[0], &st[1]);
    case HOST_X87_FPREM1: return host_x87_soft_fprem(true, &st[0], &st[1]);
    case HOST_X87_FSCALE: return host_x87_soft_fscale(fcw, &st[0], &st[1]);
    case HOST_X87_FXTRACT: {
        HostF80 v = st[0];
        uint16_t s = host_x87_soft_fxtract(&v, st);
        *pushed = 1;
        return s;
    }
    case HOST_X87_F2XM1: return f2xm1(fcw, st);
    case HOST_X87_FSIN: return trig(TRIG_SIN, fcw, st, pushed);
    case HOST_X87_FCOS: return trig(TRIG_COS, fcw, st, pushed);
    case HOST_X87_FSINCOS: return trig(TRIG_SINCOS, fcw, st, pushed);
    case HOST_X87_FPTAN: return trig(TRIG_TAN, fcw, st, pushed);
    case HOST_X87_FPATAN: return fpatan(fcw, st, pushed);
    case HOST_X87_FYL2X: return fyl2x(false, fcw, st, pushed);
    case HOST_X87_FYL2XP1: return fyl2x(true, fcw, st, pushed);
    }
    return 0;
}

/* The value of a normal or denormal HostF80 as sign, exponent, 128-bit
 * significand (for re-rounding it) */
static Xf f80_xf(const HostF80 *a)
{
    unsigned e = a->sign_exp & 0x7fff;
    return xf_int(a->sign_exp >> 15, a->mant, (int32_t)(e ? e : 1) - BIAS - 63);
}

uint16_t host_x87_soft_func(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed)
{
    HostF80 in[2] = { st[0], st[1] };
    uint16_t s = func_masked(op, fcw, st, pushed);
    uint16_t unmasked = (uint16_t)(~fcw & HOST_X87_EXC);
    if (s & unmasked & (HOST_X87_IE | HOST_X87_ZE | HOST_X87_DE)) {
        /* found before computing: the stack stays as it was */
        st[0] = in[0];
        st[1] = in[1];
        *pushed = 0;
        return s & (HOST_X87_IE | HOST_X87_ZE | HOST_X87_DE);
    }
    if (op == HOST_X87_FPREM || op == HOST_X87_FPREM1) {
        /* an exact remainder, but a tiny one is an underflow when that is
         * unmasked, delivered normalised and scaled by 2^24576 */
        if ((unmasked & HOST_X87_UE) && (st[0].sign_exp & 0x7fff) == 0 && st[0].mant) {
            put_xf(&st[0], f80_xf(&st[0]), false, fcw);
            s |= HOST_X87_UE;
        }
    }
    return s;
}
