/*
 * iwmmxt-intrin.c — gcc's <mmintrin.h> iWMMXt intrinsics over a table of
 * operands, one "name hash" line per intrinsic (with "-v name": every
 * result of that one).  Built twice (tests/iwmmxt/run.sh):
 *   arm-linux-gnueabi-gcc -mcpu=iwmmxt: the intrinsics compile to iWMMXt
 *       instructions; run under vemu-arm and qemu-arm -cpu pxa270;
 *   the host's gcc: the same names implemented below in portable C from the
 *       Intel Wireless MMX Developer Guide's definitions, the reference where
 *       qemu-arm is known wrong (saturation, WSAD, WMAC, ...: docs/quirks.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __IWMMXT__
#include <mmintrin.h>
#else
typedef unsigned long long __m64;

static uint64_t lane(__m64 v, int i, int bits) { return (v >> (i * bits)) & (bits == 64 ? ~0ull : (1ull << bits) - 1); }
static int64_t slane(__m64 v, int i, int bits)
{
    uint64_t x = lane(v, i, bits);
    return bits < 64 && (x >> (bits - 1)) ? (int64_t)(x | ~((1ull << bits) - 1)) : (int64_t)x;
}
static __m64 put(__m64 r, int i, int bits, uint64_t x)
{
    return r | (x & (bits == 64 ? ~0ull : (1ull << bits) - 1)) << (i * bits);
}
static int64_t clamp(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : x > hi ? hi : x; }

/* lane-wise template: EXPR uses a, b (unsigned lanes) and sa, sb (signed) */
#define LANES(name, bits, EXPR)                                                   \
    static __m64 name(__m64 A, __m64 B)                                           \
    {                                                                             \
        __m64 r = 0;                                                              \
        for (int i = 0; i < 64 / bits; i++) {                                     \
            uint64_t a = lane(A, i, bits), b = lane(B, i, bits);                  \
            int64_t sa = slane(A, i, bits), sb = slane(B, i, bits);               \
            (void)a; (void)b; (void)sa; (void)sb;                                 \
            r = put(r, i, bits, (uint64_t)(EXPR));                                \
        }                                                                         \
        return r;                                                                 \
    }
LANES(_mm_add_pi8, 8, a + b)
LANES(_mm_add_pi16, 16, a + b)
LANES(_mm_add_pi32, 32, a + b)
LANES(_mm_sub_pi8, 8, a - b)
LANES(_mm_adds_pi8, 8, clamp(sa + sb, -128, 127))
LANES(_mm_adds_pu8, 8, clamp((int64_t)(a + b), 0, 255))
LANES(_mm_adds_pi16, 16, clamp(sa + sb, -32768, 32767))
LANES(_mm_adds_pu16, 16, clamp((int64_t)(a + b), 0, 65535))
LANES(_mm_adds_pi32, 32, clamp(sa + sb, INT32_MIN, INT32_MAX))
LANES(_mm_subs_pi16, 16, clamp(sa - sb, -32768, 32767))
LANES(_mm_subs_pu8, 8, clamp((int64_t)a - (int64_t)b, 0, 255))
LANES(_mm_subs_pu32, 32, clamp((int64_t)a - (int64_t)b, 0, UINT32_MAX))
LANES(_mm_mullo_pi16, 16, sa * sb)
LANES(_mm_mulhi_pi16, 16, (sa * sb) >> 16)
LANES(_mm_mulhi_pu16, 16, (a * b) >> 16)
LANES(_mm_cmpeq_pi8, 8, a == b ? ~0ull : 0)
LANES(_mm_cmpgt_pi16, 16, sa > sb ? ~0ull : 0)
LANES(_mm_cmpgt_pu8, 8, a > b ? ~0ull : 0)
LANES(_mm_cmpgt_pi32, 32, sa > sb ? ~0ull : 0)
LANES(_mm_min_pu8, 8, a < b ? a : b)
LANES(_mm_max_pi16, 16, sa > sb ? a : b)
LANES(_mm_min_pi32, 32, sa < sb ? a : b)
LANES(_mm_avg_pu8, 8, (a + b + 1) >> 1)
LANES(_mm_avg2_pu16, 16, (a + b) >> 1)

static __m64 _mm_and_si64(__m64 a, __m64 b) { return a & b; }
static __m64 _mm_andnot_si64(__m64 a, __m64 b) { return ~a & b; }
static __m64 _mm_or_si64(__m64 a, __m64 b) { return a | b; }
static __m64 _mm_xor_si64(__m64 a, __m64 b) { return a ^ b; }

static __m64 madd(__m64 A, __m64 B, int sign)
{
    __m64 r = 0;
    for (int i = 0; i < 2; i++) {
        int64_t s = sign ? slane(A, 2 * i, 16) * slane(B, 2 * i, 16) + slane(A, 2 * i + 1, 16) * slane(B, 2 * i + 1, 16)
                         : (int64_t)(lane(A, 2 * i, 16) * lane(B, 2 * i, 16) + lane(A, 2 * i + 1, 16) * lane(B, 2 * i + 1, 16));
        r = put(r, i, 32, (uint64_t)s);
    }
    return r;
}
static __m64 _mm_madd_pi16(__m64 a, __m64 b) { return madd(a, b, 1); }
static __m64 _mm_madd_pu16(__m64 a, __m64 b) { return madd(a, b, 0); }

static __m64 mac(__m64 acc, __m64 A, __m64 B, int sign)
{
    for (int i = 0; i < 4; i++)
        acc += sign ? (uint64_t)(slane(A, i, 16) * slane(B, i, 16)) : lane(A, i, 16) * lane(B, i, 16);
    return acc;
}
static __m64 _mm_mac_pi16(__m64 c, __m64 a, __m64 b) { return mac(c, a, b, 1); }
static __m64 _mm_mac_pu16(__m64 c, __m64 a, __m64 b) { return mac(c, a, b, 0); }

static __m64 sad(__m64 A, __m64 B, int bits)
{
    __m64 r = 0;
    for (int i = 0; i < 64 / bits; i++) {
        int64_t d = (int64_t)lane(A, i, bits) - (int64_t)lane(B, i, bits);
        r += (uint64_t)(d < 0 ? -d : d);
    }
    return r;
}
static __m64 _mm_sad_pu8(__m64 a, __m64 b) { return sad(a, b, 8); }
static __m64 _mm_sadz_pu16(__m64 a, __m64 b) { return sad(a, b, 16); }
static __m64 _mm_sada_pu8(__m64 acc, __m64 a, __m64 b) { return (acc & 0xffffffffu) + sad(a, b, 8); }

static __m64 pack(__m64 A, __m64 B, int bits, int sign)
{
    __m64 r = 0;
    int out = bits / 2, n = 64 / bits;
    int64_t lo = sign ? -(1ll << (out - 1)) : 0, hi = sign ? (1ll << (out - 1)) - 1 : (int64_t)((1ull << out) - 1);
    for (int i = 0; i < 2 * n; i++)
        r = put(r, i, out, (uint64_t)clamp(i < n ? slane(A, i, bits) : slane(B, i - n, bits), lo, hi));
    return r;
}
static __m64 _mm_packs_pi16(__m64 a, __m64 b) { return pack(a, b, 16, 1); }
static __m64 _mm_packs_pu16(__m64 a, __m64 b) { return pack(a, b, 16, 0); }
static __m64 _mm_packs_pi32(__m64 a, __m64 b) { return pack(a, b, 32, 1); }
static __m64 _mm_packs_pu64(__m64 a, __m64 b) { return pack(a, b, 64, 0); }

static __m64 interleave(__m64 A, __m64 B, int bits, int high)
{
    __m64 r = 0;
    int n = 32 / bits, base = high ? n : 0;
    for (int i = 0; i < n; i++) {
        r = put(r, 2 * i, bits, lane(A, base + i, bits));
        r = put(r, 2 * i + 1, bits, lane(B, base + i, bits));
    }
    return r;
}
static __m64 _mm_unpackhi_pi8(__m64 a, __m64 b) { return interleave(a, b, 8, 1); }
static __m64 _mm_unpacklo_pi16(__m64 a, __m64 b) { return interleave(a, b, 16, 0); }
static __m64 _mm_unpackhi_pi32(__m64 a, __m64 b) { return interleave(a, b, 32, 1); }

static __m64 extend(__m64 A, int bits, int high, int sign)
{
    __m64 r = 0;
    int n = 32 / bits, base = high ? n : 0;
    for (int i = 0; i < n; i++)
        r = put(r, i, 2 * bits, sign ? (uint64_t)slane(A, base + i, bits) : lane(A, base + i, bits));
    return r;
}
static __m64 _mm_unpackel_pi8(__m64 a) { return extend(a, 8, 0, 1); }
static __m64 _mm_unpackeh_pu16(__m64 a) { return extend(a, 16, 1, 0); }
static __m64 _mm_unpackeh_pi32(__m64 a) { return extend(a, 32, 1, 1); }

static __m64 shift(__m64 A, uint64_t n, int bits, int kind)   /* 0 sll 1 srl 2 sra 3 ror */
{
    __m64 r = 0;
    for (int i = 0; i < 64 / bits; i++) {
        uint64_t x = lane(A, i, bits);
        int64_t s = slane(A, i, bits);
        uint64_t y = kind == 0 ? (n >= (uint64_t)bits ? 0 : x << n)
                   : kind == 1 ? (n >= (uint64_t)bits ? 0 : x >> n)
                   : kind == 2 ? (uint64_t)(s >> (n >= (uint64_t)bits ? bits - 1 : (int)n))
                   : (n % bits ? (x >> (n % bits)) | (x << (bits - n % bits)) : x);
        r = put(r, i, bits, y);
    }
    return r;
}
static __m64 _mm_sll_pi16(__m64 a, __m64 n) { return shift(a, n & 0xff, 16, 0); }
static __m64 _mm_srl_pi32(__m64 a, __m64 n) { return shift(a, n & 0xff, 32, 1); }
static __m64 _mm_sra_pi16(__m64 a, __m64 n) { return shift(a, n & 0xff, 16, 2); }
static __m64 _mm_sra_pi32(__m64 a, __m64 n) { return shift(a, n & 0xff, 32, 2); }
static __m64 _mm_sll_si64(__m64 a, __m64 n) { return shift(a, n & 0xff, 64, 0); }
static __m64 _mm_ror_pi16(__m64 a, __m64 n) { return shift(a, n & 0xf, 16, 3); }
static __m64 _mm_ror_si64(__m64 a, __m64 n) { return shift(a, n & 0x3f, 64, 3); }
static __m64 _mm_srai_pi32(__m64 a, int n) { return shift(a, (uint64_t)n, 32, 2); }

static __m64 shuffle(__m64 A, int imm)
{
    __m64 r = 0;
    for (int i = 0; i < 4; i++)
        r = put(r, i, 16, lane(A, (imm >> (2 * i)) & 3, 16));
    return r;
}
#define _mm_shuffle_pi16(a, imm) shuffle(a, imm)
#define _mm_align_si64(a, b, n) ((n) ? ((a) >> (8 * (n)) | (b) << (64 - 8 * (n))) : (a))
static __m64 _mm_alignr1_si64(__m64 a, __m64 b) { return _mm_align_si64(a, b, 5); }

static __m64 _mm_acc_pu8(__m64 a) { return sad(a, 0, 8); }
static __m64 _mm_acc_pu16(__m64 a) { return sad(a, 0, 16); }
static __m64 _mm_mia_si64(__m64 acc, int a, int b) { return acc + (uint64_t)((int64_t)a * b); }
static __m64 _mm_miaph_si64(__m64 acc, int a, int b)
{
    return acc + (uint64_t)(int64_t)((int16_t)a * (int16_t)b) + (uint64_t)(int64_t)((int16_t)(a >> 16) * (int16_t)(b >> 16));
}
static __m64 _mm_miatb_si64(__m64 acc, int a, int b) { return acc + (uint64_t)(int64_t)((int16_t)(a >> 16) * (int16_t)b); }

static int movemask(__m64 A, int bits)
{
    int r = 0;
    for (int i = 0; i < 64 / bits; i++)
        r |= (int)((A >> ((i + 1) * bits - 1)) & 1) << i;
    return r;
}
#define _mm_movemask_pi8(a) movemask(a, 8)
#define _mm_movemask_pi16(a) movemask(a, 16)
#define _mm_movemask_pi32(a) movemask(a, 32)
#define _mm_extract_pi16(a, n) ((int)slane(a, n, 16))
#define _mm_extract_pu8(a, n) ((int)lane(a, n, 8))
#define _mm_insert_pi16(a, v, n) (((a) & ~(0xffffull << (16 * (n)))) | (uint64_t)((v) & 0xffff) << (16 * (n)))
#define _mm_set1_pi8(v) (0x0101010101010101ull * (uint8_t)(v))
#define _mm_set1_pi16(v) (0x0001000100010001ull * (uint16_t)(v))
#endif

/* ---- operands and the driver ---------------------------------------------------- */

#define NV 24
static __m64 vals[NV];

static void make_vals(void)
{
    static const uint64_t fixed[] = {
        0, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x7f7f7f7f7f7f7f7full,
        0x8080808080808080ull, 0x7fff7fff7fff7fffull, 0x8000800080008000ull, 0x00ff00ff00ff00ffull,
        0x0123456789abcdefull, 0xfedcba9876543210ull, 0x0000000100000001ull,
    };
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < NV; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        vals[i] = i < (int)(sizeof(fixed) / sizeof(fixed[0])) ? fixed[i] : x;
    }
}

static const char *verbose;
static uint64_t hash;
static const char *cur;

static void result(const char *name, unsigned i, unsigned j, uint64_t v)
{
    if (verbose && strcmp(verbose, name) == 0)
        printf("%s %u %u %016llx\n", name, i, j, (unsigned long long)v);
    hash = (hash ^ v) * 0x100000001b3ull;
    hash ^= hash >> 29;
}

static void begin(const char *name) { cur = name; hash = 0xcbf29ce484222325ull; }
static void end(void) { if (!verbose) printf("%s %016llx\n", cur, (unsigned long long)hash); }

#define OP2(f)                                                            \
    do {                                                                  \
        begin(#f);                                                        \
        for (unsigned i = 0; i < NV; i++)                                 \
            for (unsigned j = 0; j < NV; j++)                             \
                result(#f, i, j, (uint64_t)f(vals[i], vals[j]));          \
        end();                                                            \
    } while (0)
#define OP1(f)                                                            \
    do {                                                                  \
        begin(#f);                                                        \
        for (unsigned i = 0; i < NV; i++)                                 \
            result(#f, i, 0, (uint64_t)f(vals[i]));                       \
        end();                                                            \
    } while (0)
#define OP3(f)                                                            \
    do {                                                                  \
        begin(#f);                                                        \
        for (unsigned i = 0; i < NV; i++)                                 \
            for (unsigned j = 0; j < NV; j++)                             \
                result(#f, i, j, (uint64_t)f(vals[(i + j) % NV], vals[i], vals[j])); \
        end();                                                            \
    } while (0)
/* shift counts 0..70 */
#define OPSH(f)                                                           \
    do {                                                                  \
        begin(#f);                                                        \
        for (unsigned i = 0; i < NV; i++)                                 \
            for (unsigned n = 0; n <= 70; n += 3)                         \
                result(#f, i, n, (uint64_t)f(vals[i], (__m64)n));         \
        end();                                                            \
    } while (0)
#define OPIMM(name, expr)                                                 \
    do {                                                                  \
        begin(name);                                                      \
        for (unsigned i = 0; i < NV; i++)                                 \
            for (unsigned j = 0; j < NV; j++) {                           \
                __m64 a = vals[i], b = vals[j];                           \
                (void)a; (void)b;                                         \
                result(name, i, j, (uint64_t)(expr));                     \
            }                                                             \
        end();                                                            \
    } while (0)

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "-v") == 0)
        verbose = argv[2];
    make_vals();
#ifdef __IWMMXT__
    __asm__ volatile("tmcr wcgr1, %0" :: "r"(5));    /* the byte offset of WALIGNR1 */
#endif
    OP2(_mm_add_pi8); OP2(_mm_add_pi16); OP2(_mm_add_pi32); OP2(_mm_sub_pi8);
    OP2(_mm_adds_pi8); OP2(_mm_adds_pu8); OP2(_mm_adds_pi16); OP2(_mm_adds_pu16); OP2(_mm_adds_pi32);
    OP2(_mm_subs_pi16); OP2(_mm_subs_pu8); OP2(_mm_subs_pu32);
    OP2(_mm_mullo_pi16); OP2(_mm_mulhi_pi16); OP2(_mm_mulhi_pu16);
    OP2(_mm_madd_pi16); OP2(_mm_madd_pu16); OP3(_mm_mac_pi16); OP3(_mm_mac_pu16);
    OP2(_mm_sad_pu8); OP2(_mm_sadz_pu16); OP3(_mm_sada_pu8);
    OP2(_mm_cmpeq_pi8); OP2(_mm_cmpgt_pi16); OP2(_mm_cmpgt_pu8); OP2(_mm_cmpgt_pi32);
    OP2(_mm_min_pu8); OP2(_mm_max_pi16); OP2(_mm_min_pi32);
    OP2(_mm_avg_pu8); OP2(_mm_avg2_pu16);
    OP2(_mm_and_si64); OP2(_mm_andnot_si64); OP2(_mm_or_si64); OP2(_mm_xor_si64);
    OP2(_mm_packs_pi16); OP2(_mm_packs_pu16); OP2(_mm_packs_pi32); OP2(_mm_packs_pu64);
    OP2(_mm_unpackhi_pi8); OP2(_mm_unpacklo_pi16); OP2(_mm_unpackhi_pi32);
    OP1(_mm_unpackel_pi8); OP1(_mm_unpackeh_pu16); OP1(_mm_unpackeh_pi32);
    OP1(_mm_acc_pu8); OP1(_mm_acc_pu16);
    OPSH(_mm_sll_pi16); OPSH(_mm_srl_pi32); OPSH(_mm_sra_pi16); OPSH(_mm_sra_pi32);
    OPSH(_mm_sll_si64); OPSH(_mm_ror_pi16); OPSH(_mm_ror_si64);
    OPIMM("srai_pi32_7", _mm_srai_pi32(a, 7));
    OPIMM("shuffle_1b", _mm_shuffle_pi16(a, 0x1b));
    OPIMM("shuffle_e4", _mm_shuffle_pi16(a, 0xe4) ^ _mm_shuffle_pi16(b, 0x72));
    OPIMM("align_0", _mm_align_si64(a, b, 0));
    OPIMM("align_3", _mm_align_si64(a, b, 3));
    OPIMM("align_6", _mm_align_si64(a, b, 6));
    OP2(_mm_alignr1_si64);
    OPIMM("movemask_pi8", _mm_movemask_pi8(a));
    OPIMM("movemask_pi16", _mm_movemask_pi16(a));
    OPIMM("movemask_pi32", _mm_movemask_pi32(a));
    OPIMM("extract_pi16_3", _mm_extract_pi16(a, 3));
    OPIMM("extract_pu8_5", _mm_extract_pu8(a, 5));
    OPIMM("insert_pi16_2", _mm_insert_pi16(a, (int)b, 2));
    OPIMM("set1_pi8", _mm_set1_pi8((char)b) ^ a);
    OPIMM("set1_pi16", _mm_set1_pi16((short)b) ^ a);
    OPIMM("mia", _mm_mia_si64(a, (int)b, (int)(b >> 32)));
    OPIMM("miaph", _mm_miaph_si64(a, (int)b, (int)(b >> 32)));
    OPIMM("miatb", _mm_miatb_si64(a, (int)b, (int)(b >> 32)));
    return 0;
}
