/*
 * x86-vec-int.c — MMX/SSE2..SSE4.2/AVX2 integer arithmetic, compares,
 * shifts and tests, in portable C.  One helper serves every width of an
 * instruction: the loops run over vec_bytes(desc) bytes (8 MMX, 16, 32).
 * Horizontal operations work per 128-bit lane (per 64 bits for MMX), as
 * the hardware does.
 */
#include "frontend-x86/x86-vec-impl.h"

/* r[i] = expr(a, b) element by element, a from s1, b from s2. */
#define VEC_BINOP(name, T, f, expr) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        unsigned n = vec_bytes(desc) / sizeof(T); \
        for (unsigned i = 0; i < n; i++) { \
            T a = va.f[i], b = vb.f[i]; \
            r.f[i] = (T)(expr); \
        } \
        vec_write(cpu, desc, &r); \
    }

/* r[i] = expr(a), a from s2. */
#define VEC_UNOP(name, T, f, expr) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va, r = { 0 }; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        unsigned n = vec_bytes(desc) / sizeof(T); \
        for (unsigned i = 0; i < n; i++) { \
            T a = va.f[i]; \
            r.f[i] = (T)(expr); \
        } \
        vec_write(cpu, desc, &r); \
    }

VEC_BINOP(paddb, uint8_t, b, a + b)
VEC_BINOP(paddw, uint16_t, w, a + b)
VEC_BINOP(paddd, uint32_t, l, a + b)
VEC_BINOP(paddq, uint64_t, q, a + b)
VEC_BINOP(psubb, uint8_t, b, a - b)
VEC_BINOP(psubw, uint16_t, w, a - b)
VEC_BINOP(psubd, uint32_t, l, a - b)
VEC_BINOP(psubq, uint64_t, q, a - b)
VEC_BINOP(paddsb, int8_t, sb, vec_sat((int)a + b, INT8_MIN, INT8_MAX))
VEC_BINOP(paddsw, int16_t, sw, vec_sat((int)a + b, INT16_MIN, INT16_MAX))
VEC_BINOP(paddusb, uint8_t, b, vec_sat((int)a + b, 0, UINT8_MAX))
VEC_BINOP(paddusw, uint16_t, w, vec_sat((int)a + b, 0, UINT16_MAX))
VEC_BINOP(psubsb, int8_t, sb, vec_sat((int)a - b, INT8_MIN, INT8_MAX))
VEC_BINOP(psubsw, int16_t, sw, vec_sat((int)a - b, INT16_MIN, INT16_MAX))
VEC_BINOP(psubusb, uint8_t, b, vec_sat((int)a - b, 0, UINT8_MAX))
VEC_BINOP(psubusw, uint16_t, w, vec_sat((int)a - b, 0, UINT16_MAX))
VEC_BINOP(pand, uint64_t, q, a & b)
VEC_BINOP(pandn, uint64_t, q, ~a & b)
VEC_BINOP(por, uint64_t, q, a | b)
VEC_BINOP(pxor, uint64_t, q, a ^ b)
#if defined(__x86_64__)
/* The string functions' hot operations, on an x86_64 host with its SSE2
 * (the baseline): each 16-byte lane loaded and stored in 64-bit pieces
 * (x86-vec-impl.h, vec_copy_in), MMX forms by the portable loop. */
#define VEC_BINOP_HOST(name, T, f, expr, intr) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        if (desc & X86V_MMX) { \
            VEC_OPERANDS(cpu, desc, va, vb); \
            X86Vec256 r = { 0 }; \
            for (unsigned i = 0; i < 8 / sizeof(T); i++) { \
                T a = va.f[i], b = vb.f[i]; \
                r.f[i] = (T)(expr); \
            } \
            vec_write(cpu, desc, &r); \
            return; \
        } \
        const X86Vec256 *pa = &cpu->vec.ymm[X86V_S1(desc)], *pb = &cpu->vec.ymm[X86V_S2(desc)]; \
        X86Vec256 *pd = &cpu->vec.ymm[X86V_D(desc)]; \
        __m128i res[2]; \
        unsigned lanes = (desc & X86V_L256) ? 2 : 1; \
        for (unsigned l = 0; l < lanes; l++) { \
            __m128i x = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)&pa->q[2 * l]), \
                                           _mm_loadl_epi64((const __m128i *)&pa->q[2 * l + 1])); \
            __m128i y = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)&pb->q[2 * l]), \
                                           _mm_loadl_epi64((const __m128i *)&pb->q[2 * l + 1])); \
            res[l] = intr(x, y); \
        } \
        for (unsigned l = 0; l < lanes; l++) { \
            _mm_storel_epi64((__m128i *)&pd->q[2 * l], res[l]); \
            _mm_storel_epi64((__m128i *)&pd->q[2 * l + 1], _mm_unpackhi_epi64(res[l], res[l])); \
        } \
        if (lanes == 1 && (desc & X86V_VEX)) \
            pd->q[2] = pd->q[3] = 0; \
    }
VEC_BINOP_HOST(pcmpeqb, uint8_t, b, a == b ? 0xff : 0, _mm_cmpeq_epi8)
VEC_BINOP_HOST(pcmpeqw, uint16_t, w, a == b ? 0xffff : 0, _mm_cmpeq_epi16)
VEC_BINOP_HOST(pcmpeqd, uint32_t, l, a == b ? ~0u : 0, _mm_cmpeq_epi32)
#else
VEC_BINOP(pcmpeqb, uint8_t, b, a == b ? 0xff : 0)
VEC_BINOP(pcmpeqw, uint16_t, w, a == b ? 0xffff : 0)
VEC_BINOP(pcmpeqd, uint32_t, l, a == b ? ~0u : 0)
#endif
VEC_BINOP(pcmpeqq, uint64_t, q, a == b ? ~0ull : 0)
VEC_BINOP(pcmpgtb, int8_t, sb, a > b ? -1 : 0)
VEC_BINOP(pcmpgtw, int16_t, sw, a > b ? -1 : 0)
VEC_BINOP(pcmpgtd, int32_t, sl, a > b ? -1 : 0)
VEC_BINOP(pcmpgtq, int64_t, sq, a > b ? -1 : 0)
#if defined(__x86_64__)
VEC_BINOP_HOST(pminub, uint8_t, b, a < b ? a : b, _mm_min_epu8)
#else
VEC_BINOP(pminub, uint8_t, b, a < b ? a : b)
#endif
VEC_BINOP(pminuw, uint16_t, w, a < b ? a : b)
VEC_BINOP(pminud, uint32_t, l, a < b ? a : b)
VEC_BINOP(pminsb, int8_t, sb, a < b ? a : b)
VEC_BINOP(pminsw, int16_t, sw, a < b ? a : b)
VEC_BINOP(pminsd, int32_t, sl, a < b ? a : b)
#if defined(__x86_64__)
VEC_BINOP_HOST(pmaxub, uint8_t, b, a > b ? a : b, _mm_max_epu8)
#else
VEC_BINOP(pmaxub, uint8_t, b, a > b ? a : b)
#endif
VEC_BINOP(pmaxuw, uint16_t, w, a > b ? a : b)
VEC_BINOP(pmaxud, uint32_t, l, a > b ? a : b)
VEC_BINOP(pmaxsb, int8_t, sb, a > b ? a : b)
VEC_BINOP(pmaxsw, int16_t, sw, a > b ? a : b)
VEC_BINOP(pmaxsd, int32_t, sl, a > b ? a : b)
VEC_BINOP(pavgb, uint8_t, b, ((unsigned)a + b + 1) >> 1)
VEC_BINOP(pavgw, uint16_t, w, ((unsigned)a + b + 1) >> 1)
VEC_BINOP(pmullw, int16_t, sw, (int32_t)a * b)
VEC_BINOP(pmulhw, int16_t, sw, ((int32_t)a * b) >> 16)
VEC_BINOP(pmulhuw, uint16_t, w, ((uint32_t)a * b) >> 16)
VEC_BINOP(pmulld, int32_t, sl, (int64_t)a * b)
VEC_BINOP(pmuludq, uint64_t, q, (a & 0xffffffffu) * (b & 0xffffffffu))
VEC_BINOP(pmuldq, int64_t, sq, (int64_t)(int32_t)a * (int32_t)b)
VEC_BINOP(pmulhrsw, int16_t, sw, ((((int32_t)a * b) >> 14) + 1) >> 1)
VEC_UNOP(pabsb, int8_t, sb, a < 0 ? -a : a)
VEC_UNOP(pabsw, int16_t, sw, a < 0 ? -a : a)
VEC_UNOP(pabsd, int32_t, sl, a < 0 ? -(uint32_t)a : (uint32_t)a)
VEC_BINOP(psignb, int8_t, sb, b < 0 ? -a : b == 0 ? 0 : a)
VEC_BINOP(psignw, int16_t, sw, b < 0 ? -a : b == 0 ? 0 : a)
VEC_BINOP(psignd, int32_t, sl, b < 0 ? -(uint32_t)a : b == 0 ? 0 : (uint32_t)a)

/* Per element shifts (AVX2): a count at or past the width gives 0 (sign
 * fill for vpsravd). */
VEC_BINOP(psllvd, uint32_t, l, b > 31 ? 0 : a << b)
VEC_BINOP(psllvq, uint64_t, q, b > 63 ? 0 : a << b)
VEC_BINOP(psrlvd, uint32_t, l, b > 31 ? 0 : a >> b)
VEC_BINOP(psrlvq, uint64_t, q, b > 63 ? 0 : a >> b)
VEC_BINOP(psravd, int32_t, sl, (uint32_t)b > 31 ? a >> 31 : a >> b)

/* Shifts of every element by one count: the low 64 bits of s2, or imm8. */
#define VEC_SHIFT(name, T, f, bits, expr) \
    static void shift_##name(X86CPU *cpu, uint32_t desc, const X86Vec256 *va, uint64_t cnt) \
    { \
        X86Vec256 r = { 0 }; \
        unsigned n = vec_bytes(desc) / sizeof(T); \
        for (unsigned i = 0; i < n; i++) { \
            T a = va->f[i]; \
            r.f[i] = (T)(expr); \
        } \
        vec_write(cpu, desc, &r); \
    } \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        shift_##name(cpu, desc, &va, vb.q[0]); \
    } \
    void helper_vec_##name##_i(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        X86Vec256 va; \
        vec_read(cpu, desc, X86V_S2(desc), &va); \
        shift_##name(cpu, desc, &va, X86V_IMM(desc)); \
    }

VEC_SHIFT(psllw, uint16_t, w, 16, cnt > 15 ? 0 : a << cnt)
VEC_SHIFT(pslld, uint32_t, l, 32, cnt > 31 ? 0 : a << cnt)
VEC_SHIFT(psllq, uint64_t, q, 64, cnt > 63 ? 0 : a << cnt)
VEC_SHIFT(psrlw, uint16_t, w, 16, cnt > 15 ? 0 : a >> cnt)
VEC_SHIFT(psrld, uint32_t, l, 32, cnt > 31 ? 0 : a >> cnt)
VEC_SHIFT(psrlq, uint64_t, q, 64, cnt > 63 ? 0 : a >> cnt)
VEC_SHIFT(psraw, int16_t, sw, 16, a >> (cnt > 15 ? 15 : cnt))
VEC_SHIFT(psrad, int32_t, sl, 32, a >> (cnt > 31 ? 31 : cnt))

/* Byte shifts of each 128-bit lane by imm8 (SSE2 only: no MMX form). */
void helper_vec_pslldq_i(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    unsigned sh = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned lane = 0; lane < vec_bytes(desc); lane += 16)
        for (unsigned i = sh; i < 16; i++)
            r.b[lane + i] = va.b[lane + i - sh];
    vec_write(cpu, desc, &r);
}

void helper_vec_psrldq_i(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    unsigned sh = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &va);
    for (unsigned lane = 0; lane < vec_bytes(desc); lane += 16)
        for (unsigned i = 0; i + sh < 16; i++)
            r.b[lane + i] = va.b[lane + i + sh];
    vec_write(cpu, desc, &r);
}

/* Pairs of elements, combined into one element of twice the width. */
void helper_vec_pmaddwd(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    for (unsigned i = 0; i < vec_bytes(desc) / 4; i++)
        r.l[i] = (uint32_t)((int32_t)va.sw[2 * i] * vb.sw[2 * i]) +
                 (uint32_t)((int32_t)va.sw[2 * i + 1] * vb.sw[2 * i + 1]);
    vec_write(cpu, desc, &r);
}

void helper_vec_pmaddubsw(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    for (unsigned i = 0; i < vec_bytes(desc) / 2; i++)
        r.sw[i] = (int16_t)vec_sat((int)va.b[2 * i] * vb.sb[2 * i] + (int)va.b[2 * i + 1] * vb.sb[2 * i + 1],
                                   INT16_MIN, INT16_MAX);
    vec_write(cpu, desc, &r);
}

/* Sum of absolute byte differences of each 64-bit group, into its low word. */
void helper_vec_psadbw(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    for (unsigned g = 0; g < vec_bytes(desc) / 8; g++) {
        unsigned sum = 0;
        for (unsigned i = 0; i < 8; i++) {
            int d = (int)va.b[8 * g + i] - vb.b[8 * g + i];
            sum += d < 0 ? -d : d;
        }
        r.q[g] = sum;
    }
    vec_write(cpu, desc, &r);
}

/* Horizontal add/subtract: within each lane (16 bytes; 8 for MMX) the
 * first half of the result comes from a's pairs, the second from b's. */
#define VEC_HORIZ(name, T, f, expr) \
    void helper_vec_##name(void *env, uint32_t desc) \
    { \
        X86CPU *cpu = env; \
        VEC_OPERANDS(cpu, desc, va, vb); \
        X86Vec256 r = { 0 }; \
        unsigned lane_bytes = (desc & X86V_MMX) ? 8 : 16; \
        unsigned n = lane_bytes / sizeof(T); \
        for (unsigned base = 0; base < vec_bytes(desc) / sizeof(T); base += n) \
            for (unsigned i = 0; i < n / 2; i++) { \
                T a, b; \
                a = va.f[base + 2 * i]; b = va.f[base + 2 * i + 1]; \
                r.f[base + i] = (T)(expr); \
                a = vb.f[base + 2 * i]; b = vb.f[base + 2 * i + 1]; \
                r.f[base + n / 2 + i] = (T)(expr); \
            } \
        vec_write(cpu, desc, &r); \
    }

VEC_HORIZ(phaddw, uint16_t, w, a + b)
VEC_HORIZ(phaddd, uint32_t, l, a + b)
VEC_HORIZ(phaddsw, int16_t, sw, vec_sat((int)a + b, INT16_MIN, INT16_MAX))
VEC_HORIZ(phsubw, uint16_t, w, a - b)
VEC_HORIZ(phsubd, uint32_t, l, a - b)
VEC_HORIZ(phsubsw, int16_t, sw, vec_sat((int)a - b, INT16_MIN, INT16_MAX))

/* ptest: ZF = (s1 AND s2) == 0, CF = (NOT s1 AND s2) == 0, over the bits
 * selected by sel (all, or the sign bits for vtestps/vtestpd). */
static uint64_t vec_test(X86CPU *cpu, uint32_t desc, uint64_t sel)
{
    VEC_OPERANDS(cpu, desc, va, vb);
    uint64_t and_ = 0, andn = 0;
    for (unsigned i = 0; i < vec_bytes(desc) / 8; i++) {
        and_ |= va.q[i] & vb.q[i] & sel;
        andn |= ~va.q[i] & vb.q[i] & sel;
    }
    return (and_ ? 0 : X86_EFLAGS_ZF) | (andn ? 0 : X86_EFLAGS_CF);
}

uint64_t helper_vec_ptest(void *env, uint32_t desc) { return vec_test(env, desc, ~0ull); }
uint64_t helper_vec_vtestps(void *env, uint32_t desc) { return vec_test(env, desc, 0x8000000080000000ull); }
uint64_t helper_vec_vtestpd(void *env, uint32_t desc) { return vec_test(env, desc, 0x8000000000000000ull); }

/* The smallest unsigned word of s2 and its index (the first if several). */
void helper_vec_phminposuw(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 va, r = { 0 };
    vec_read(cpu, desc, X86V_S2(desc), &va);
    unsigned idx = 0;
    for (unsigned i = 1; i < 8; i++)
        if (va.w[i] < va.w[idx])
            idx = i;
    r.w[0] = va.w[idx];
    r.w[1] = (uint16_t)idx;
    vec_write(cpu, desc, &r);
}

/* Sums of absolute differences of 4-byte groups: per lane, eight sliding
 * windows of s1 (from imm8[2]*4; lane 1: imm8[5]) against one group of s2
 * (imm8[1:0]; lane 1: imm8[4:3]). */
void helper_vec_mpsadbw(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    unsigned imm = X86V_IMM(desc);
    for (unsigned lane = 0; lane < vec_bytes(desc) / 16; lane++) {
        unsigned ctl = lane ? imm >> 3 : imm;
        unsigned a_off = 16 * lane + ((ctl >> 2) & 1) * 4, b_off = 16 * lane + (ctl & 3) * 4;
        for (unsigned i = 0; i < 8; i++) {
            unsigned sum = 0;
            for (unsigned j = 0; j < 4; j++) {
                int d = (int)va.b[a_off + i + j] - vb.b[b_off + j];
                sum += d < 0 ? -d : d;
            }
            r.w[8 * lane + i] = (uint16_t)sum;
        }
    }
    vec_write(cpu, desc, &r);
}
