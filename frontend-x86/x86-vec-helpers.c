/*
 * x86-vec-helpers.c — the IRHelper descriptors of every helper in
 * vec-helpers.def.
 */
#include <stdbool.h>

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-vec-helpers.h"

#define X86VH_UNPAREN(...) __VA_ARGS__
#define X86VH_APPLY(m, args) m args
#define X86_VEC_HELPER(group, id, kind, ret, ...) \
    static const IRStateRange group##_reads_##id[] = { X86VH_APPLY(X86VH_UNPAREN, X86VH_RD_##kind) { 0, 0 } }; \
    static const IRStateRange group##_writes_##id[] = { X86VH_APPLY(X86VH_UNPAREN, X86VH_RD_##kind) { 0, 0 } }; \
    const IRHelper group##_helper_##id = { \
        .name = #group "_" #id, .fn = (void *)helper_##group##_##id, .flags = X86VH_FLAGS_##kind, \
        .n_args = X86VH_NARGS(__VA_ARGS__), .has_result = X86VH_RES_##ret, .ret_type = X86VH_IT_##ret, \
        .arg_types = { X86VH_IRTYPES(__VA_ARGS__) }, \
        .reads = group##_reads_##id, .writes = group##_writes_##id, \
    };
#include "frontend-x86/vec-helpers.def"
#undef X86_VEC_HELPER
