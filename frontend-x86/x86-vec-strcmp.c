/*
 * x86-vec-strcmp.c — SSE4.2's packed string compares (pcmpestri,
 * pcmpestrm, pcmpistri, pcmpistrm) in portable C, following the SDM's
 * description (Vol. 2B, 4.1 "Imm8 Control Byte Operation for PCMPESTRI /
 * PCMPESTRM / PCMPISTRI / PCMPISTRM"): source format imm8[1:0], aggregation
 * imm8[3:2], polarity imm8[5:4], output selection imm8[6].  Operand a is
 * s1 (xmm1), b is s2 (xmm2/m128); i indexes a, j indexes b.
 */
#include "frontend-x86/x86-vec-impl.h"

typedef struct StrCmp {
    int32_t a[16], b[16];      /* elements, sign- or zero-extended */
    unsigned n;                /* 16 bytes or 8 words */
    unsigned la, lb;           /* valid elements */
} StrCmp;

static void strcmp_load(X86CPU *cpu, uint32_t desc, StrCmp *s)
{
    VEC_OPERANDS(cpu, desc & ~X86V_MMX, va, vb);
    unsigned fmt = X86V_IMM(desc) & 3;
    s->n = (fmt & 1) ? 8 : 16;
    for (unsigned i = 0; i < s->n; i++) {
        switch (fmt) {
        case 0: s->a[i] = va.b[i]; s->b[i] = vb.b[i]; break;
        case 1: s->a[i] = va.w[i]; s->b[i] = vb.w[i]; break;
        case 2: s->a[i] = va.sb[i]; s->b[i] = vb.sb[i]; break;
        default: s->a[i] = va.sw[i]; s->b[i] = vb.sw[i]; break;
        }
    }
}

/* Implicit length: up to the first zero element. */
static unsigned implicit_len(const int32_t *e, unsigned n)
{
    unsigned i = 0;
    while (i < n && e[i])
        i++;
    return i;
}

/* Explicit length: |len| saturated to n. */
static unsigned explicit_len(int64_t len, unsigned n)
{
    uint64_t mag = len < 0 ? -(uint64_t)len : (uint64_t)len;
    return mag > n ? n : (unsigned)mag;
}

/* IntRes2 and the flags: the bits in the low 16, EFLAGS in bits 63:32. */
static uint32_t strcmp_run(const StrCmp *s, unsigned imm, uint32_t *flags)
{
    unsigned n = s->n, la = s->la, lb = s->lb, agg = (imm >> 2) & 3;
    uint32_t res = 0;

    for (unsigned j = 0; j < n; j++) {
        bool bit = false;
        switch (agg) {
        case 0:                 /* equal any: b[j] is one of a's elements */
            for (unsigned i = 0; i < la && j < lb; i++)
                bit |= s->a[i] == s->b[j];
            break;
        case 1:                 /* ranges: a[i] <= b[j] <= a[i+1] for a pair */
            for (unsigned i = 0; i + 1 < la && j < lb; i += 2)
                bit |= s->a[i] <= s->b[j] && s->b[j] <= s->a[i + 1];
            break;
        case 2:                 /* equal each: a[j] == b[j]; both past the end is true */
            bit = (j < la && j < lb) ? s->a[j] == s->b[j] : (j >= la && j >= lb);
            break;
        default:                /* equal ordered: a occurs in b at j */
            bit = true;
            for (unsigned k = 0; k < n - j && k < la; k++)
                if (j + k >= lb || s->a[k] != s->b[j + k]) {
                    bit = false;
                    break;
                }
            break;
        }
        res |= (uint32_t)bit << j;
    }

    uint32_t all = (1u << n) - 1;
    switch ((imm >> 4) & 3) {
    case 1: res ^= all; break;                       /* negative */
    case 3: res ^= (1u << lb) - 1; break;            /* negative, masked: valid b only */
    default: break;
    }
    *flags = (res ? X86_EFLAGS_CF : 0) | (lb < n ? X86_EFLAGS_ZF : 0) | (la < n ? X86_EFLAGS_SF : 0) |
             ((res & 1) ? X86_EFLAGS_OF : 0);
    return res;
}

static uint64_t strcmp_index(const StrCmp *s, unsigned imm)
{
    uint32_t flags, res = strcmp_run(s, imm, &flags);
    uint32_t idx = !res ? s->n : (imm & 0x40) ? 31 - (uint32_t)__builtin_clz(res) : (uint32_t)__builtin_ctz(res);
    return (uint64_t)flags << 32 | idx;
}

static uint64_t strcmp_mask(X86CPU *cpu, uint32_t desc, const StrCmp *s)
{
    unsigned imm = X86V_IMM(desc);
    uint32_t flags, res = strcmp_run(s, imm, &flags);
    X86Vec256 r = { 0 };
    if (imm & 0x40) {
        for (unsigned i = 0; i < s->n; i++)
            if ((res >> i) & 1) {
                if (s->n == 16)
                    r.b[i] = 0xff;
                else
                    r.w[i] = 0xffff;
            }
    } else {
        r.w[0] = (uint16_t)res;
    }
    vec_write_n(cpu, desc & ~X86V_MMX, 0, &r, 16);
    return (uint64_t)flags << 32;
}

uint64_t helper_vec_pcmpistri(void *env, uint32_t desc)
{
    StrCmp s;
    strcmp_load(env, desc, &s);
    s.la = implicit_len(s.a, s.n);
    s.lb = implicit_len(s.b, s.n);
    return strcmp_index(&s, X86V_IMM(desc));
}

uint64_t helper_vec_pcmpistrm(void *env, uint32_t desc)
{
    StrCmp s;
    strcmp_load(env, desc, &s);
    s.la = implicit_len(s.a, s.n);
    s.lb = implicit_len(s.b, s.n);
    return strcmp_mask(env, desc, &s);
}

uint64_t helper_vec_pcmpestri(void *env, uint32_t desc, uint64_t rax, uint64_t rdx)
{
    StrCmp s;
    strcmp_load(env, desc, &s);
    s.la = explicit_len((int64_t)rax, s.n);
    s.lb = explicit_len((int64_t)rdx, s.n);
    return strcmp_index(&s, X86V_IMM(desc));
}

uint64_t helper_vec_pcmpestrm(void *env, uint32_t desc, uint64_t rax, uint64_t rdx)
{
    StrCmp s;
    strcmp_load(env, desc, &s);
    s.la = explicit_len((int64_t)rax, s.n);
    s.lb = explicit_len((int64_t)rdx, s.n);
    return strcmp_mask(env, desc, &s);
}
