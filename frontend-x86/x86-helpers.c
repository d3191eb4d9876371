/*
 * x86-helpers.c — the IRHelper descriptors of every helper in helpers.def,
 * and the small helpers that belong to no instruction class.
 */
#include <stdbool.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-cpuid.h"
#include "frontend-x86/x86-flags.h"
#include "frontend-x86/x86-helpers.h"

uint32_t x86_helper_cc_compute(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    return x86_cc_compute(cc_op, dst, src, src2);
}

void x86_helper_cpuid(void *env)
{
    X86CPU *cpu = env;
    uint32_t out[4];
    x86_cpuid(cpu->model ? cpu->model : x86_cpu_model_default(true), (uint32_t)cpu->regs[X86_RAX],
              (uint32_t)cpu->regs[X86_RCX], out);
    cpu->regs[X86_RAX] = out[0];
    cpu->regs[X86_RBX] = out[1];
    cpu->regs[X86_RCX] = out[2];
    cpu->regs[X86_RDX] = out[3];
}

uint64_t x86_helper_tb_flags(void *env)
{
    return x86_cpu_tb_flags(env);
}

uint64_t x86_helper_rdtsc(void *env)
{
    X86CPU *cpu = env;
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc() + cpu->tsc_offset;
#else
    /* hosts without a TSC: a nanosecond clock ticks as a 1 GHz one would */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + cpu->tsc_offset;
#endif
}

/* ---- descriptors ---- */

#define X86H_UNPAREN(...) __VA_ARGS__
#define X86_HELPER(id, kind, rd, wr, ret, ...) \
    static const IRStateRange x86_reads_##id[] = { X86H_UNPAREN rd { 0, 0 } }; \
    static const IRStateRange x86_writes_##id[] = { X86H_UNPAREN wr { 0, 0 } }; \
    const IRHelper x86_h_##id = { \
        .name = "x86_" #id, .fn = (void *)x86_helper_##id, .flags = X86H_FLAGS_##kind, \
        .n_args = X86H_NARGS(__VA_ARGS__), .has_result = X86H_RES_##ret, .ret_type = X86H_IT_##ret, \
        .arg_types = { X86H_IRTYPES(__VA_ARGS__) }, \
        .reads = x86_reads_##id, .writes = x86_writes_##id, \
    };
#include "frontend-x86/helpers.def"
#undef X86_HELPER

void x86_helper_write_eflags(void *env, uint32_t val, uint32_t mask)
{
    x86_eflags_write(env, val, mask);
}

uint32_t x86_helper_cmpxchg16b(void *env, uint64_t addr)
{
    X86CPU *cpu = env;
    unsigned __int128 *p = (unsigned __int128 *)(cpu->common.guest_base + (uintptr_t)addr);
    unsigned __int128 expect = (unsigned __int128)cpu->regs[X86_RDX] << 64 | cpu->regs[X86_RAX];
    unsigned __int128 nv = (unsigned __int128)cpu->regs[X86_RCX] << 64 | cpu->regs[X86_RBX];
    bool eq;
#if defined(__x86_64__)
    uint64_t lo = (uint64_t)expect, hi = (uint64_t)(expect >> 64);
    __asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
                     : "=q"(eq), "+m"(*p), "+a"(lo), "+d"(hi)
                     : "b"((uint64_t)nv), "c"((uint64_t)(nv >> 64))
                     : "memory", "cc");
    expect = (unsigned __int128)hi << 64 | lo;
#else
    /* The legacy __sync form: GCC expands it inline or to libgcc's
     * __aarch64_cas16_sync (CASP with LSE, else an LDAXP/STLXP loop), a
     * full barrier like LOCK; __atomic_compare_exchange_n on 16 bytes would
     * be a call into libatomic, a library the programs need nowhere else. */
    unsigned __int128 old = __sync_val_compare_and_swap(p, expect, nv);
    eq = old == expect;
    expect = old;
#endif
    if (!eq) {
        cpu->regs[X86_RAX] = (uint64_t)expect;
        cpu->regs[X86_RDX] = (uint64_t)(expect >> 64);
    }
    return eq;
}
