/*
 * x86-cpuid.h — cpu models and their features (x86-cpuid.c).
 *
 * A feature is a CPUID bit: X86_FEAT_<NAME> = word * 32 + bit, the words
 * being the CPUID registers below, so CPUID returns a model's words as
 * they are and the decode tables' cpuid=NAME conditions test the same bits.
 * What a model reports is its own list ANDed with x86_feat_implemented:
 * the bits vemu translates.  A unit (SSE, AVX, x87) that lands switches
 * its bits on there, and only then do guests see them.
 */
#ifndef VEMU_X86_CPUID_H
#define VEMU_X86_CPUID_H

#include <stdbool.h>
#include <stdint.h>

enum {
    X86_FW_1_EDX,        /* CPUID.01H:EDX */
    X86_FW_1_ECX,        /* CPUID.01H:ECX */
    X86_FW_7_EBX,        /* CPUID.(EAX=07H,ECX=0):EBX */
    X86_FW_7_ECX,        /* CPUID.(EAX=07H,ECX=0):ECX */
    X86_FW_7_EDX,        /* CPUID.(EAX=07H,ECX=0):EDX */
    X86_FW_81_EDX,       /* CPUID.80000001H:EDX */
    X86_FW_81_ECX,       /* CPUID.80000001H:ECX */
    X86_FW_D1_EAX,       /* CPUID.(EAX=0DH,ECX=1):EAX */
    X86_FEAT_WORDS
};

#define X86_FEAT(word, bit) ((word) * 32 + (bit))
enum {
    X86_FEAT_FPU       = X86_FEAT(X86_FW_1_EDX, 0),
    X86_FEAT_VME       = X86_FEAT(X86_FW_1_EDX, 1),
    X86_FEAT_DE        = X86_FEAT(X86_FW_1_EDX, 2),
    X86_FEAT_PSE       = X86_FEAT(X86_FW_1_EDX, 3),
    X86_FEAT_TSC       = X86_FEAT(X86_FW_1_EDX, 4),
    X86_FEAT_MSR       = X86_FEAT(X86_FW_1_EDX, 5),
    X86_FEAT_PAE       = X86_FEAT(X86_FW_1_EDX, 6),
    X86_FEAT_MCE       = X86_FEAT(X86_FW_1_EDX, 7),
    X86_FEAT_CX8       = X86_FEAT(X86_FW_1_EDX, 8),
    X86_FEAT_APIC      = X86_FEAT(X86_FW_1_EDX, 9),
    X86_FEAT_SEP       = X86_FEAT(X86_FW_1_EDX, 11),
    X86_FEAT_MTRR      = X86_FEAT(X86_FW_1_EDX, 12),
    X86_FEAT_PGE       = X86_FEAT(X86_FW_1_EDX, 13),
    X86_FEAT_MCA       = X86_FEAT(X86_FW_1_EDX, 14),
    X86_FEAT_CMOV      = X86_FEAT(X86_FW_1_EDX, 15),
    X86_FEAT_PAT       = X86_FEAT(X86_FW_1_EDX, 16),
    X86_FEAT_PSE36     = X86_FEAT(X86_FW_1_EDX, 17),
    X86_FEAT_CLFSH     = X86_FEAT(X86_FW_1_EDX, 19),
    X86_FEAT_MMX       = X86_FEAT(X86_FW_1_EDX, 23),
    X86_FEAT_FXSR      = X86_FEAT(X86_FW_1_EDX, 24),
    X86_FEAT_SSE       = X86_FEAT(X86_FW_1_EDX, 25),
    X86_FEAT_SSE2      = X86_FEAT(X86_FW_1_EDX, 26),

    X86_FEAT_SSE3      = X86_FEAT(X86_FW_1_ECX, 0),
    X86_FEAT_PCLMULQDQ = X86_FEAT(X86_FW_1_ECX, 1),
    X86_FEAT_SSSE3     = X86_FEAT(X86_FW_1_ECX, 9),
    X86_FEAT_FMA       = X86_FEAT(X86_FW_1_ECX, 12),
    X86_FEAT_CX16      = X86_FEAT(X86_FW_1_ECX, 13),
    X86_FEAT_SSE41     = X86_FEAT(X86_FW_1_ECX, 19),
    X86_FEAT_SSE42     = X86_FEAT(X86_FW_1_ECX, 20),
    X86_FEAT_MOVBE     = X86_FEAT(X86_FW_1_ECX, 22),
    X86_FEAT_POPCNT    = X86_FEAT(X86_FW_1_ECX, 23),
    X86_FEAT_AES       = X86_FEAT(X86_FW_1_ECX, 25),
    X86_FEAT_XSAVE     = X86_FEAT(X86_FW_1_ECX, 26),
    X86_FEAT_OSXSAVE   = X86_FEAT(X86_FW_1_ECX, 27),
    X86_FEAT_AVX       = X86_FEAT(X86_FW_1_ECX, 28),
    X86_FEAT_F16C      = X86_FEAT(X86_FW_1_ECX, 29),
    X86_FEAT_RDRAND    = X86_FEAT(X86_FW_1_ECX, 30),
    X86_FEAT_HYPERVISOR = X86_FEAT(X86_FW_1_ECX, 31),

    X86_FEAT_FSGSBASE  = X86_FEAT(X86_FW_7_EBX, 0),
    X86_FEAT_BMI1      = X86_FEAT(X86_FW_7_EBX, 3),
    X86_FEAT_AVX2      = X86_FEAT(X86_FW_7_EBX, 5),
    X86_FEAT_BMI2      = X86_FEAT(X86_FW_7_EBX, 8),
    X86_FEAT_ERMS      = X86_FEAT(X86_FW_7_EBX, 9),
    X86_FEAT_ADX       = X86_FEAT(X86_FW_7_EBX, 19),

    X86_FEAT_SYSCALL   = X86_FEAT(X86_FW_81_EDX, 11),
    X86_FEAT_NX        = X86_FEAT(X86_FW_81_EDX, 20),
    X86_FEAT_RDTSCP    = X86_FEAT(X86_FW_81_EDX, 27),
    X86_FEAT_LM        = X86_FEAT(X86_FW_81_EDX, 29),

    X86_FEAT_LAHF_LM   = X86_FEAT(X86_FW_81_ECX, 0),
    X86_FEAT_ABM       = X86_FEAT(X86_FW_81_ECX, 5),   /* LZCNT */

    X86_FEAT_XSAVEOPT  = X86_FEAT(X86_FW_D1_EAX, 0),
    X86_FEAT_XSAVEC    = X86_FEAT(X86_FW_D1_EAX, 1),
};

typedef struct X86CPUModel {
    const char *name;
    char vendor[13];
    char brand[49];
    uint32_t family, model, stepping;
    uint32_t max_leaf, max_ext_leaf;
    uint32_t feat[X86_FEAT_WORDS];
} X86CPUModel;

/* The features vemu translates; units switch theirs on (x86-cpuid.c). */
extern const uint32_t x86_feat_implemented[X86_FEAT_WORDS];

/* The model called name, or NULL; x86_cpu_model_default() for -cpu absent. */
const X86CPUModel *x86_cpu_model_find(const char *name);
const X86CPUModel *x86_cpu_model_default(bool code64);
/* Print the model names (-cpu help). */
void x86_cpu_model_list(void (*print)(const char *name, const char *brand));
/* What the model reports and decodes: its features AND the implemented ones. */
uint32_t x86_cpu_feature_word(const X86CPUModel *m, unsigned word);
/* CPUID leaf/subleaf for a cpu of model m (eax..edx into out[0..3]) */
void x86_cpuid(const X86CPUModel *m, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif
