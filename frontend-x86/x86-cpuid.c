/*
 * x86-cpuid.c — the x86 cpu models (-cpu pentium3, core2duo, haswell, max)
 * and the CPUID instruction's answers for them.
 *
 * A model lists the features the real part has (Intel's datasheets; the
 * signatures are the parts' family/model/stepping); what a guest sees is
 * that list ANDed with x86_feat_implemented, the instructions vemu
 * translates, so CPUID never promises an instruction that would be #UD.
 */
#include <stdio.h>
#include <string.h>

#include "frontend-x86/x86-cpuid.h"

#define B(f) (1u << ((f) % 32))

/* What frontend-x86 translates.  The SSE/AVX (x86simd) and x87 units add
 * their bits here when they land. */
const uint32_t x86_feat_implemented[X86_FEAT_WORDS] = {
    [X86_FW_1_EDX] = B(X86_FEAT_TSC) | B(X86_FEAT_CX8) | B(X86_FEAT_SEP) | B(X86_FEAT_CMOV) |
                     B(X86_FEAT_CLFSH) | B(X86_FEAT_PSE) | B(X86_FEAT_PAE) | B(X86_FEAT_PGE) |
                     B(X86_FEAT_PAT) | B(X86_FEAT_PSE36) | B(X86_FEAT_APIC) | B(X86_FEAT_MCE) |
                     B(X86_FEAT_MCA) | B(X86_FEAT_MTRR) | B(X86_FEAT_MSR) | B(X86_FEAT_DE) |
                     B(X86_FEAT_VME),
    [X86_FW_1_ECX] = B(X86_FEAT_CX16) | B(X86_FEAT_MOVBE) | B(X86_FEAT_POPCNT),
    [X86_FW_7_EBX] = B(X86_FEAT_BMI1) | B(X86_FEAT_BMI2) | B(X86_FEAT_ADX) | B(X86_FEAT_ERMS),
    [X86_FW_81_EDX] = B(X86_FEAT_SYSCALL) | B(X86_FEAT_NX) | B(X86_FEAT_RDTSCP) | B(X86_FEAT_LM),
    [X86_FW_81_ECX] = B(X86_FEAT_LAHF_LM) | B(X86_FEAT_ABM),
};

#define P6_EDX (B(X86_FEAT_FPU) | B(X86_FEAT_VME) | B(X86_FEAT_DE) | B(X86_FEAT_PSE) | \
                B(X86_FEAT_TSC) | B(X86_FEAT_MSR) | B(X86_FEAT_PAE) | B(X86_FEAT_MCE) | \
                B(X86_FEAT_CX8) | B(X86_FEAT_APIC) | B(X86_FEAT_SEP) | B(X86_FEAT_MTRR) | \
                B(X86_FEAT_PGE) | B(X86_FEAT_MCA) | B(X86_FEAT_CMOV) | B(X86_FEAT_PAT) | \
                B(X86_FEAT_PSE36) | B(X86_FEAT_MMX) | B(X86_FEAT_FXSR) | B(X86_FEAT_SSE))
#define CORE2_EDX (P6_EDX | B(X86_FEAT_CLFSH) | B(X86_FEAT_SSE2))
#define CORE2_ECX (B(X86_FEAT_SSE3) | B(X86_FEAT_SSSE3) | B(X86_FEAT_CX16))
#define HASWELL_ECX (CORE2_ECX | B(X86_FEAT_PCLMULQDQ) | B(X86_FEAT_FMA) | B(X86_FEAT_SSE41) | \
                     B(X86_FEAT_SSE42) | B(X86_FEAT_MOVBE) | B(X86_FEAT_POPCNT) | B(X86_FEAT_AES) | \
                     B(X86_FEAT_XSAVE) | B(X86_FEAT_OSXSAVE) | B(X86_FEAT_AVX) | B(X86_FEAT_F16C) | \
                     B(X86_FEAT_RDRAND))
#define HASWELL_7EBX (B(X86_FEAT_FSGSBASE) | B(X86_FEAT_BMI1) | B(X86_FEAT_AVX2) | B(X86_FEAT_BMI2) | \
                      B(X86_FEAT_ERMS))
#define LM_81EDX (B(X86_FEAT_SYSCALL) | B(X86_FEAT_NX) | B(X86_FEAT_LM))

static const X86CPUModel x86_models[] = {
    /* Pentium III (Katmai), family 6 model 7: MMX and SSE, no long mode */
    { "pentium3", "GenuineIntel", "", 6, 7, 3, 2, 0,
      { [X86_FW_1_EDX] = P6_EDX } },
    /* Core 2 Duo T7700 (Merom), family 6 model 15: SSSE3, long mode */
    { "core2duo", "GenuineIntel", "Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz", 6, 15, 11,
      10, 0x80000008,
      { [X86_FW_1_EDX] = CORE2_EDX, [X86_FW_1_ECX] = CORE2_ECX, [X86_FW_81_EDX] = LM_81EDX,
        [X86_FW_81_ECX] = B(X86_FEAT_LAHF_LM) } },
    /* Haswell client (family 6 model 60): x86-64-v3 */
    { "haswell", "GenuineIntel", "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz", 6, 60, 3, 0xd, 0x80000008,
      { [X86_FW_1_EDX] = CORE2_EDX, [X86_FW_1_ECX] = HASWELL_ECX, [X86_FW_7_EBX] = HASWELL_7EBX,
        [X86_FW_81_EDX] = LM_81EDX | B(X86_FEAT_RDTSCP),
        [X86_FW_81_ECX] = B(X86_FEAT_LAHF_LM) | B(X86_FEAT_ABM), [X86_FW_D1_EAX] = B(X86_FEAT_XSAVEOPT) } },
    /* everything vemu implements */
    { "max", "GenuineIntel", "vemu x86 cpu (max)", 6, 60, 3, 0xd, 0x80000008,
      { [X86_FW_1_EDX] = ~0u, [X86_FW_1_ECX] = ~0u & ~B(X86_FEAT_HYPERVISOR), [X86_FW_7_EBX] = ~0u,
        [X86_FW_7_ECX] = ~0u, [X86_FW_7_EDX] = ~0u, [X86_FW_81_EDX] = ~0u, [X86_FW_81_ECX] = ~0u,
        [X86_FW_D1_EAX] = ~0u } },
};

const X86CPUModel *x86_cpu_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof(x86_models) / sizeof(x86_models[0]); i++)
        if (strcmp(x86_models[i].name, name) == 0)
            return &x86_models[i];
    return NULL;
}

const X86CPUModel *x86_cpu_model_default(bool code64)
{
    (void)code64;
    return x86_cpu_model_find("max");
}

void x86_cpu_model_list(void (*print)(const char *name, const char *brand))
{
    for (size_t i = 0; i < sizeof(x86_models) / sizeof(x86_models[0]); i++)
        print(x86_models[i].name, x86_models[i].brand);
}

uint32_t x86_cpu_feature_word(const X86CPUModel *m, unsigned word)
{
    if (word >= X86_FEAT_WORDS)
        return 0;
    uint32_t w = m->feat[word] & x86_feat_implemented[word];
    /* OSXSAVE says the OS enabled XSAVE: Linux does when XSAVE exists */
    if (word == X86_FW_1_ECX && !(w & B(X86_FEAT_XSAVE)))
        w &= ~B(X86_FEAT_OSXSAVE);
    return w;
}

static uint32_t str4(const char *s)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | (uint8_t)(s[i]);
    return v;
}

void x86_cpuid(const X86CPUModel *m, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(uint32_t));
    if (leaf >= 0x80000000u ? leaf > m->max_ext_leaf : leaf > m->max_leaf) {
        if (leaf >= 0x80000000u && !m->max_ext_leaf && leaf == 0x80000000u)
            return;
        /* Intel: an out-of-range leaf answers as the highest basic leaf */
        if (leaf < 0x80000000u || m->max_ext_leaf)
            leaf = m->max_leaf;
        else
            return;
    }
    switch (leaf) {
    case 0:
        out[0] = m->max_leaf;
        out[1] = str4(m->vendor);
        out[3] = str4(m->vendor + 4);
        out[2] = str4(m->vendor + 8);
        break;
    case 1: {
        uint32_t fam = m->family, ext_fam = 0, model = m->model & 0xf, ext_model = m->model >> 4;
        if (fam > 15) {
            ext_fam = fam - 15;
            fam = 15;
        }
        out[0] = ext_fam << 20 | ext_model << 16 | fam << 8 | model << 4 | m->stepping;
        out[1] = 1u << 16 | 8u << 8;   /* one logical processor; CLFLUSH line 64 bytes */
        out[2] = x86_cpu_feature_word(m, X86_FW_1_ECX);
        out[3] = x86_cpu_feature_word(m, X86_FW_1_EDX);
        break;
    }
    case 2:
        /* cache and TLB descriptors: 64-byte-line caches of the Core era */
        out[0] = 0x00000001;
        out[1] = 0;
        out[2] = 0;
        out[3] = 0x002c307d;
        break;
    case 7:
        if (subleaf == 0) {
            out[1] = x86_cpu_feature_word(m, X86_FW_7_EBX);
            out[2] = x86_cpu_feature_word(m, X86_FW_7_ECX);
            out[3] = x86_cpu_feature_word(m, X86_FW_7_EDX);
        }
        break;
    case 0xd:
        if (subleaf == 1)
            out[0] = x86_cpu_feature_word(m, X86_FW_D1_EAX);
        break;
    case 0x80000000u:
        out[0] = m->max_ext_leaf;
        break;
    case 0x80000001u:
        out[2] = x86_cpu_feature_word(m, X86_FW_81_ECX);
        out[3] = x86_cpu_feature_word(m, X86_FW_81_EDX);
        break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u: {
        char brand[49] = { 0 };
        snprintf(brand, sizeof(brand), "%s", m->brand);
        for (int i = 0; i < 4; i++)
            out[i] = str4(brand + (leaf - 0x80000002u) * 16 + i * 4);
        break;
    }
    case 0x80000008u:
        out[0] = 0x3030;   /* 48-bit physical and virtual addresses */
        break;
    default:
        break;
    }
}
