/*
 * x86-vec-shuffle.c — data movement between and within vector registers:
 * packs, unpacks, shuffles, blends, sign/zero extensions, inserts and
 * extracts, sign-bit masks, and AVX/AVX2's lane moves (broadcast, permute,
 * 128-bit insert/extract, vzeroupper).  Portable C.  Like the hardware,
 * the 256-bit forms of the SSE shuffles work on each 128-bit lane apart.
 */
#include "frontend-x86/x86-vec-impl.h"

/* ---- packs: a's elements narrowed with saturation, then b's, per lane ---- */
#define VEC_PACK(name, TS, fs, TD, fd, lo, hi) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        unsigned lane_bytes = (desc & X86V_MMX) ? 8 : 16, n = lane_bytes / sizeof(TS); \
        for (unsigned l = 0; l < vec_bytes(desc) / lane_bytes; l++) \
            for (unsigned i = 0; i < n; i++) { \
                r.fd[2 * n * l + i] = (TD)vec_sat(va.fs[n * l + i], lo, hi); \
                r.fd[2 * n * l + n + i] = (TD)vec_sat(vb.fs[n * l + i], lo, hi); \
            } \
        vec_write(cpu, desc, &r); \
    }

VEC_PACK(packsswb, int16_t, sw, int8_t, sb, INT8_MIN, INT8_MAX)
VEC_PACK(packssdw, int32_t, sl, int16_t, sw, INT16_MIN, INT16_MAX)
VEC_PACK(packuswb, int16_t, sw, uint8_t, b, 0, UINT8_MAX)
VEC_PACK(packusdw, int32_t, sl, uint16_t, w, 0, UINT16_MAX)

/* ---- unpacks: interleave the low (or high) halves of each lane ---- */
#define VEC_UNPACK(name, T, f, high) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        unsigned lane_bytes = (desc & X86V_MMX) ? 8 : 16, n = lane_bytes / sizeof(T); \
        for (unsigned l = 0; l < vec_bytes(desc) / lane_bytes; l++) \
            for (unsigned i = 0; i < n / 2; i++) { \
                unsigned src = n * l + (high ? n / 2 : 0) + i; \
                r.f[n * l + 2 * i] = va.f[src]; \
                r.f[n * l + 2 * i + 1] = vb.f[src]; \
            } \
        vec_write(cpu, desc, &r); \
    }

VEC_UNPACK(punpcklbw, uint8_t, b, 0)
VEC_UNPACK(punpcklwd, uint16_t, w, 0)
VEC_UNPACK(punpckldq, uint32_t, l, 0)
VEC_UNPACK(punpcklqdq, uint64_t, q, 0)
VEC_UNPACK(punpckhbw, uint8_t, b, 1)
VEC_UNPACK(punpckhwd, uint16_t, w, 1)
VEC_UNPACK(punpckhdq, uint32_t, l, 1)
VEC_UNPACK(punpckhqdq, uint64_t, q, 1)

/* ---- shuffles by imm8 ---- */
void helper_vec_pshufd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    unsigned imm = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        r.l[i] = va.l[(i & ~3u) + ((imm >> (2 * (i & 3))) & 3)];
    vec_write(cpu, desc, &r);
}

/* pshufw (MMX) is pshuflw of one 64-bit group; pshufhw of the high one. */
static void shuf_words(X86CPU *cpu, uint32_t desc, unsigned first)
{
    X86Vec256 va, r;
    unsigned imm = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    r = va;
    for (unsigned base = first; base < vec_bytes(desc) / 2; base += 8)
        for (unsigned i = 0; i < 4; i++)
            r.w[base + i] = va.w[base + ((imm >> (2 * i)) & 3)];
    vec_write(cpu, desc, &r);
}
void helper_vec_pshuflw(void *env, uint32_t desc) { shuf_words(env, desc, 0); }
void helper_vec_pshufhw(void *env, uint32_t desc) { shuf_words(env, desc, 4); }
void helper_vec_pshufw(void *env, uint32_t desc) { shuf_words(env, desc, 0); }

void helper_vec_shufps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    for (unsigned l = 0; l < vec_bytes(desc) / 4; l += 4) {
        r.l[l + 0] = va.l[l + (imm & 3)];
        r.l[l + 1] = va.l[l + ((imm >> 2) & 3)];
        r.l[l + 2] = vb.l[l + ((imm >> 4) & 3)];
        r.l[l + 3] = vb.l[l + ((imm >> 6) & 3)];
    }
    vec_write(cpu, desc, &r);
}

void helper_vec_shufpd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    for (unsigned l = 0; l < vec_bytes(desc) / 8; l += 2) {
        r.q[l] = va.q[l + ((imm >> l) & 1)];
        r.q[l + 1] = vb.q[l + ((imm >> (l + 1)) & 1)];
    }
    vec_write(cpu, desc, &r);
}

/* pshufb: each byte selects a byte of a's lane by b's low 4 bits (3 for
 * MMX), or is zero when b's top bit is set. */
void helper_vec_pshufb(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned mask = (desc & X86V_MMX) ? 7 : 15;
    for (unsigned i = 0; i < vec_bytes(desc); i++)
        r.b[i] = (vb.b[i] & 0x80) ? 0 : va.b[(i & ~15u) + (vb.b[i] & mask)];
    vec_write(cpu, desc, &r);
}

/* palignr: per lane, the concatenation a:b shifted right by imm8 bytes. */
void helper_vec_palignr(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned sh = X86V_IMM(desc), lane_bytes = (desc & X86V_MMX) ? 8 : 16;
    for (unsigned l = 0; l < vec_bytes(desc); l += lane_bytes)
        for (unsigned i = 0; i < lane_bytes; i++) {
            unsigned k = i + sh;
            r.b[l + i] = k < lane_bytes ? vb.b[l + k] : k < 2 * lane_bytes ? va.b[l + k - lane_bytes] : 0;
        }
    vec_write(cpu, desc, &r);
}

/* ---- blends ---- */
#define VEC_BLEND_IMM(name, T, f, bit) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        unsigned imm = X86V_IMM(desc); \
        for (unsigned i = 0; i < vec_bytes(desc) / sizeof(T); i++) \
            r.f[i] = ((imm >> (bit)) & 1) ? vb.f[i] : va.f[i]; \
        vec_write(cpu, desc, &r); \
    }

VEC_BLEND_IMM(blendps, uint32_t, l, i & 7)
VEC_BLEND_IMM(blendpd, uint64_t, q, i & 3)
VEC_BLEND_IMM(pblendw, uint16_t, w, i & 7)
VEC_BLEND_IMM(pblendd, uint32_t, l, i & 7)

/* Variable blends: the mask register is xmm0 (legacy) or imm8[7:4] (VEX). */
#define VEC_BLEND_VAR(name, T, f, sf) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        const X86Vec256 *m = &cpu->vec.ymm[(desc & X86V_VEX) ? X86V_IMM(desc) >> 4 : 0]; \
        for (unsigned i = 0; i < vec_bytes(desc) / sizeof(T); i++) \
            r.f[i] = m->sf[i] < 0 ? vb.f[i] : va.f[i]; \
        vec_write(cpu, desc, &r); \
    }

VEC_BLEND_VAR(blendvps, uint32_t, l, sl)
VEC_BLEND_VAR(blendvpd, uint64_t, q, sq)
VEC_BLEND_VAR(pblendvb, uint8_t, b, sb)

/* ---- duplicates ---- */
void helper_vec_movsldup(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        r.l[i] = va.l[i & ~1u];
    vec_write(cpu, desc, &r);
}

void helper_vec_movshdup(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        r.l[i] = va.l[i | 1];
    vec_write(cpu, desc, &r);
}

void helper_vec_movddup(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 8; i++)
        r.q[i] = va.q[i & ~1u];
    vec_write(cpu, desc, &r);
}

/* insertps: element imm8[7:6] of s2 (a register; a memory operand is the
 * loaded dword, element 0: the translator passes imm8 with 7:6 cleared)
 * into element imm8[5:4] of s1, then zero the elements in imm8[3:0]. */
void helper_vec_insertps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    unsigned imm = X86V_IMM(desc);
    X86Vec256 r = va;
    r.l[(imm >> 4) & 3] = vb.l[imm >> 6];
    for (unsigned i = 0; i < 4; i++)
        if (imm & (1u << i))
            r.l[i] = 0;
    vec_write(cpu, desc, &r);
}

/* ---- sign and zero extension of the low elements of s2 ---- */
#define VEC_EXTEND(name, TS, fs, TD, fd) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        for (unsigned i = 0; i < vec_bytes(desc) / sizeof(TD); i++) \
            r.fd[i] = (TD)va.fs[i]; \
        vec_write(cpu, desc, &r); \
    }

VEC_EXTEND(pmovsxbw, int8_t, sb, int16_t, sw)
VEC_EXTEND(pmovsxbd, int8_t, sb, int32_t, sl)
VEC_EXTEND(pmovsxbq, int8_t, sb, int64_t, sq)
VEC_EXTEND(pmovsxwd, int16_t, sw, int32_t, sl)
VEC_EXTEND(pmovsxwq, int16_t, sw, int64_t, sq)
VEC_EXTEND(pmovsxdq, int32_t, sl, int64_t, sq)
VEC_EXTEND(pmovzxbw, uint8_t, b, uint16_t, w)
VEC_EXTEND(pmovzxbd, uint8_t, b, uint32_t, l)
VEC_EXTEND(pmovzxbq, uint8_t, b, uint64_t, q)
VEC_EXTEND(pmovzxwd, uint16_t, w, uint32_t, l)
VEC_EXTEND(pmovzxwq, uint16_t, w, uint64_t, q)
VEC_EXTEND(pmovzxdq, uint32_t, l, uint64_t, q)

/* ---- sign-bit masks of s2 -> a general register ---- */
uint64_t helper_vec_pmovmskb(void *env, uint32_t desc)
{
#if defined(__x86_64__)
    if (!(desc & X86V_MMX)) {
        /* the host's pmovmskb, the lanes loaded in 64-bit pieces */
        const X86Vec256 *p = &((X86CPU *)env)->vec.ymm[X86V_S2(desc)];
        uint64_t m = 0;
        for (unsigned l = 0; l < ((desc & X86V_L256) ? 2u : 1u); l++) {
            __m128i x = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)&p->q[2 * l]),
                                           _mm_loadl_epi64((const __m128i *)&p->q[2 * l + 1]));
            m |= (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * l);
        }
        return m;
    }
#endif
    X86Vec256 va;
    uint64_t m = 0;
    vec_read(env, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc); i++)
        m |= (uint64_t)(va.b[i] >> 7) << i;
    return m;
}

uint64_t helper_vec_movmskps(void *env, uint32_t desc)
{
    X86Vec256 va;
    uint64_t m = 0;
    vec_read(env, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        m |= (uint64_t)(va.l[i] >> 31) << i;
    return m;
}

uint64_t helper_vec_movmskpd(void *env, uint32_t desc)
{
    X86Vec256 va;
    uint64_t m = 0;
    vec_read(env, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 8; i++)
        m |= (va.q[i] >> 63) << i;
    return m;
}

/* ---- element extract / insert (the index wraps at the element count) ---- */
uint64_t helper_vec_pextrb(void *env, uint32_t desc)
{
    X86Vec256 va;
    vec_read(env, desc, X86V_S2(desc), &va);
    return va.b[X86V_IMM(desc) & 15];
}
uint64_t helper_vec_pextrw(void *env, uint32_t desc)
{
    X86Vec256 va;
    vec_read(env, desc, X86V_S2(desc), &va);
    return va.w[X86V_IMM(desc) & ((desc & X86V_MMX) ? 3 : 7)];
}
uint64_t helper_vec_pextrd(void *env, uint32_t desc)
{
    X86Vec256 va;
    vec_read(env, desc, X86V_S2(desc), &va);
    return va.l[X86V_IMM(desc) & 3];
}
uint64_t helper_vec_pextrq(void *env, uint32_t desc)
{
    X86Vec256 va;
    vec_read(env, desc, X86V_S2(desc), &va);
    return va.q[X86V_IMM(desc) & 1];
}

#define VEC_INSERT(name, T, f, mask) \
    void helper_vec_##name(void *env, uint32_t desc, uint64_t val) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 r; \
        vec_read(cpu, desc, X86V_S1(desc), &r); \
        r.f[X86V_IMM(desc) & (mask)] = (T)val; \
        vec_write(cpu, desc, &r); \
    }

VEC_INSERT(pinsrb, uint8_t, b, 15)
VEC_INSERT(pinsrw, uint16_t, w, (desc & X86V_MMX) ? 3 : 7)
VEC_INSERT(pinsrd, uint32_t, l, 3)
VEC_INSERT(pinsrq, uint64_t, q, 1)

/* ---- AVX/AVX2 lane moves ---- */
/* Broadcast the low element of s2 to every element of d. */
#define VEC_BROADCAST(name, T, f) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        for (unsigned i = 0; i < vec_bytes(desc) / sizeof(T); i++) \
            r.f[i] = va.f[0]; \
        vec_write(cpu, desc, &r); \
    }

VEC_BROADCAST(vbroadcastb, uint8_t, b)
VEC_BROADCAST(vbroadcastw, uint16_t, w)
VEC_BROADCAST(vbroadcastd, uint32_t, l)
VEC_BROADCAST(vbroadcastq, uint64_t, q)

void helper_vec_vbroadcast128(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r;
    vec_read(cpu, desc, X86V_S2(desc), &va);
    r.q[0] = r.q[2] = va.q[0];
    r.q[1] = r.q[3] = va.q[1];
    vec_write(cpu, desc, &r);
}

/* vperm2f128 / vperm2i128: each lane of d picks one of the four lanes of
 * s1:s2 (imm8[1:0], imm8[5:4]) or is zeroed (imm8[3], imm8[7]). */
void helper_vec_vperm2f128(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r;
    unsigned imm = X86V_IMM(desc);
    for (unsigned l = 0; l < 2; l++) {
        unsigned c = imm >> (4 * l);
        const X86Vec256 *src = (c & 2) ? &vb : &va;
        r.q[2 * l] = (c & 8) ? 0 : src->q[2 * (c & 1)];
        r.q[2 * l + 1] = (c & 8) ? 0 : src->q[2 * (c & 1) + 1];
    }
    vec_write(cpu, desc, &r);
}

/* vinsertf128 / vinserti128: d = s1 with lane imm8[0] replaced by s2's low lane. */
void helper_vec_vinsert128(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    unsigned l = X86V_IMM(desc) & 1;
    va.q[2 * l] = vb.q[0];
    va.q[2 * l + 1] = vb.q[1];
    vec_write(cpu, desc, &va);
}

/* vextractf128 / vextracti128: lane imm8[0] of s2 into d's low 128 bits
 * (the upper half zeroed: the translator passes VEX without L, or stores
 * a scratch register's low half for a memory destination). */
void helper_vec_vextract128(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    unsigned l = X86V_IMM(desc) & 1;
    vec_read(cpu, desc, X86V_S2(desc), &va);
    r.q[0] = va.q[2 * l];
    r.q[1] = va.q[2 * l + 1];
    vec_write_n(cpu, desc | X86V_VEX, X86V_D(desc), &r, 16);
}

/* vpermd / vpermps: d[i] = s2[s1[i] & 7] (s1 holds the indices). */
void helper_vec_vpermd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r;
    for (unsigned i = 0; i < 8; i++)
        r.l[i] = vb.l[va.l[i] & 7];
    vec_write(cpu, desc, &r);
}

/* vpermq / vpermpd: d[i] = s2[imm8 field i]. */
void helper_vec_vpermq(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r;
    unsigned imm = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < 4; i++)
        r.q[i] = va.q[(imm >> (2 * i)) & 3];
    vec_write(cpu, desc, &r);
}

/* vpermilps/pd with a control register s2 (per lane) ... */
void helper_vec_vpermilps(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        r.l[i] = va.l[(i & ~3u) + (vb.l[i] & 3)];
    vec_write(cpu, desc, &r);
}

void helper_vec_vpermilpd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    for (unsigned i = 0; i < vec_bytes(desc) / 8; i++)
        r.q[i] = va.q[(i & ~1u) + ((vb.q[i] >> 1) & 1)];
    vec_write(cpu, desc, &r);
}

/* ... and with imm8 (source s2) */
void helper_vec_vpermilps_i(void *env, uint32_t desc)
{
    helper_vec_pshufd(env, desc);
}

void helper_vec_vpermilpd_i(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    unsigned imm = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned i = 0; i < vec_bytes(desc) / 8; i++)
        r.q[i] = va.q[(i & ~1u) + ((imm >> i) & 1)];
    vec_write(cpu, desc, &r);
}

/* vzeroupper: bits 255:128 of every register; vzeroall: all of them (of
 * the eight registers 32-bit code sees: imm8 is the count). */
void helper_vec_vzeroupper(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    unsigned n = X86V_IMM(desc) ? X86V_IMM(desc) : X86_VEC_NREGS;
    for (unsigned i = 0; i < n; i++)
        cpu->vec.ymm[i].q[2] = cpu->vec.ymm[i].q[3] = 0;
}

void helper_vec_vzeroall(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    unsigned n = X86V_IMM(desc) ? X86V_IMM(desc) : X86_VEC_NREGS;
    for (unsigned i = 0; i < n; i++)
        memset(&cpu->vec.ymm[i], 0, sizeof(cpu->vec.ymm[i]));
}
