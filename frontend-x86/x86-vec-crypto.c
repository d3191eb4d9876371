/*
 * x86-vec-crypto.c — AES-NI (aesenc, aesenclast, aesdec, aesdeclast,
 * aesimc, aeskeygenassist) and PCLMULQDQ in portable C, from FIPS-197 and
 * the SDM's pseudo-code.  The state is the register's 16 bytes in column
 * order (byte 4c + r is row r of column c), as the instructions define it.
 * The 128-bit forms only: VAES and VPCLMULQDQ (256-bit) are not offered.
 */
#include "frontend-x86/x86-vec-impl.h"

static uint8_t sbox[256], inv_sbox[256];

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t p = 0;
    while (b) {
        if (b & 1)
            p ^= a;
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return p;
}

/* The S-box from its definition: the inverse in GF(2^8), then the affine map. */
static void __attribute__((constructor)) aes_tables_init(void)
{
    for (unsigned x = 0; x < 256; x++) {
        uint8_t inv = 0;
        if (x) {
            /* x^254 = x^-1 */
            uint8_t p = 1, base = (uint8_t)x;
            for (unsigned e = 254; e; e >>= 1) {
                if (e & 1)
                    p = gf_mul(p, base);
                base = gf_mul(base, base);
            }
            inv = p;
        }
        uint8_t s = inv;
        for (unsigned k = 1; k < 5; k++)
            s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
        s ^= 0x63;
        sbox[x] = s;
        inv_sbox[s] = (uint8_t)x;
    }
}

static void shift_rows(uint8_t *st, bool inverse)
{
    uint8_t t[16];
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 4; r++)
            t[4 * c + r] = st[4 * ((inverse ? c + 4 - r : c + r) & 3) + r];
    memcpy(st, t, 16);
}

static void mix_columns(uint8_t *st, bool inverse)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, inv[4] = { 14, 11, 13, 9 };
    const uint8_t *m = inverse ? inv : fwd;
    for (unsigned c = 0; c < 4; c++) {
        uint8_t col[4], *p = st + 4 * c;
        memcpy(col, p, 4);
        for (unsigned r = 0; r < 4; r++)
            p[r] = gf_mul(col[r], m[0]) ^ gf_mul(col[(r + 1) & 3], m[1]) ^
                   gf_mul(col[(r + 2) & 3], m[2]) ^ gf_mul(col[(r + 3) & 3], m[3]);
    }
}

/* One round: state s1, round key s2. */
static void aes_round(X86CPU *cpu, uint32_t desc, bool decrypt, bool last)
{
    VEC_OPERANDS(cpu, desc, st, key);
    X86Vec256 r = { 0 };
    memcpy(r.b, st.b, 16);
    shift_rows(r.b, decrypt);
    for (unsigned i = 0; i < 16; i++)
        r.b[i] = decrypt ? inv_sbox[r.b[i]] : sbox[r.b[i]];
    if (!last)
        mix_columns(r.b, decrypt);
    r.q[0] ^= key.q[0];
    r.q[1] ^= key.q[1];
    vec_write_n(cpu, desc, X86V_D(desc), &r, 16);
}

void helper_vec_aesenc(void *env, uint32_t desc) { aes_round(env, desc, false, false); }
void helper_vec_aesenclast(void *env, uint32_t desc) { aes_round(env, desc, false, true); }
void helper_vec_aesdec(void *env, uint32_t desc) { aes_round(env, desc, true, false); }
void helper_vec_aesdeclast(void *env, uint32_t desc) { aes_round(env, desc, true, true); }

void helper_vec_aesimc(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 r = { 0 }, a;
    vec_read(cpu, desc, X86V_S2(desc), &a);
    memcpy(r.b, a.b, 16);
    mix_columns(r.b, true);
    vec_write_n(cpu, desc, X86V_D(desc), &r, 16);
}

static uint32_t sub_word(uint32_t w)
{
    return (uint32_t)sbox[w & 0xff] | (uint32_t)sbox[(w >> 8) & 0xff] << 8 |
           (uint32_t)sbox[(w >> 16) & 0xff] << 16 | (uint32_t)sbox[w >> 24] << 24;
}

void helper_vec_aeskeygenassist(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    X86Vec256 a, r = { 0 };
    uint32_t rcon = X86V_IMM(desc);
    vec_read(cpu, desc, X86V_S2(desc), &a);
    uint32_t x1 = sub_word(a.l[1]), x3 = sub_word(a.l[3]);
    r.l[0] = x1;
    r.l[1] = ((x1 >> 8) | (x1 << 24)) ^ rcon;
    r.l[2] = x3;
    r.l[3] = ((x3 >> 8) | (x3 << 24)) ^ rcon;
    vec_write_n(cpu, desc, X86V_D(desc), &r, 16);
}

/* Carry-less product of s1's qword imm8[0] and s2's qword imm8[4]. */
void helper_vec_pclmulqdq(void *env, uint32_t desc)
{
    X86CPU *cpu = env;
    VEC_OPERANDS(cpu, desc, va, vb);
    X86Vec256 r = { 0 };
    uint64_t x = va.q[X86V_IMM(desc) & 1], y = vb.q[(X86V_IMM(desc) >> 4) & 1], lo = 0, hi = 0;
    for (unsigned i = 0; i < 64; i++)
        if ((y >> i) & 1) {
            lo ^= x << i;
            hi ^= i ? x >> (64 - i) : 0;
        }
    r.q[0] = lo;
    r.q[1] = hi;
    vec_write_n(cpu, desc, X86V_D(desc), &r, 16);
}
