/*
 * backend-rig.h — a harness for running IR blocks through a host backend
 * (RIG_BACKEND: backend_host unless the test names another) in unit
 * tests: exec's code buffer (codebuf_init: written through one mapping,
 * executed through another where the host keeps them coherent), a fake
 * cpu state that starts with the real CPUCommon, and a guest memory
 * buffer.  The tests that use it hold
 * for every host (test-backend-host*.c); the x86_64 files add the checks
 * of x86 code.
 */
#ifndef VEMU_BACKEND_RIG_H
#define VEMU_BACKEND_RIG_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/backend.h"
#include "exec/cpu-common.h"
#include "exec/tb.h"
#include "ir/ir-build.h"

/* The backend under test (x86-backend-rig.h names backend_x86_64). */
#ifndef RIG_BACKEND
#define RIG_BACKEND backend_host
#endif

typedef struct FakeCPU {
    CPUCommon common;
    uint32_t r[16];
    uint64_t x[8];
    uint32_t env_word;
    uint64_t env_dword;
    uint32_t guard;
} FakeCPU;

#ifndef RIG_CODE_SIZE                  /* a test may ask for a larger buffer */
#define RIG_CODE_SIZE (8u << 20)
#endif
#define RIG_MEM_SIZE 65536u
#define RIG_TAG 0x12340u

static CodeBuf rig_cb;
static uintptr_t rig_entry;
static size_t rig_base_used;
static IRGlobalSet rig_gs;
static IRTemp R[16], X[8];
static FakeCPU rig_cpu;
static uint8_t *rig_mem;
static IRBlock blk;
static uint32_t rig_insn_off[256];
static BackendBlock rig_last;
static const void *(*rig_lookup_result)(void *cpu);
static unsigned rig_lookups;

static const void *rig_lookup(void *cpu)
{
    rig_lookups++;
    return rig_lookup_result ? rig_lookup_result(cpu) : NULL;
}

/* env.raise_unaligned: records the call and longjmps to rig_unaligned_jmp
 * (generated code never gets control back, as with exec's). */
static jmp_buf rig_unaligned_jmp;
static unsigned rig_unaligned_calls;
static uint64_t rig_unaligned_addr;
static uintptr_t rig_unaligned_ret;

static void rig_unaligned(void *cpu, uint64_t guest_addr)
{
    (void)cpu;
    rig_unaligned_calls++;
    rig_unaligned_addr = guest_addr;
    rig_unaligned_ret = (uintptr_t)__builtin_return_address(0);
    longjmp(rig_unaligned_jmp, 1);
}

static const char *const rig_rnames[16] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
                                            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const rig_xnames[8] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };

static BackendEnv rig_env = {
    .lookup_code = rig_lookup,
    .raise_unaligned = rig_unaligned,
    .exit_request_offset = offsetof(CPUCommon, exit_request),
    .exception_index_offset = offsetof(CPUCommon, exception_index),
    .guest_base_offset = offsetof(CPUCommon, guest_base),
};

static int rig_setup(void)
{
    /* exec's own buffer: dual-mapped where the host keeps the views
     * coherent (exec/codebuf.c) */
    if (codebuf_init(&rig_cb, RIG_CODE_SIZE) < 0)
        return -1;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);
    if (!rig_entry)
        return -1;
    rig_base_used = rig_cb.used;
    rig_mem = aligned_alloc(4096, RIG_MEM_SIZE);
    if (!rig_mem)
        return -1;
    memset(&rig_gs, 0, sizeof(rig_gs));
    for (int i = 0; i < 16; i++)
        R[i] = ir_global_new(&rig_gs, IR_I32, offsetof(FakeCPU, r) + 4 * i, rig_rnames[i]);
    for (int i = 0; i < 8; i++)
        X[i] = ir_global_new(&rig_gs, IR_I64, offsetof(FakeCPU, x) + 8 * i, rig_xnames[i]);
    ir_block_init(&blk, &rig_gs, 0x1000);
    return 0;
}

static inline void rig_reset_cpu(void)
{
    memset(&rig_cpu, 0, sizeof(rig_cpu));
    rig_cpu.common.guest_base = (uintptr_t)rig_mem;
    rig_cpu.guard = 0x5a5a5a5a;
}

static inline void rig_begin(void)
{
    ir_block_reset(&blk, 0x1000);
    ir_insn_start(&blk, 0x1000);
}

/* Translate blk at the current end of the code buffer; returns its rx address. */
static inline uintptr_t rig_emit(uintptr_t tag)
{
    if (ir_verify(&blk, stderr) != 0) {
        ir_dump(&blk, stderr);
        abort();
    }
    rig_last = (BackendBlock){ .tb_tag = tag, .insn_off = rig_insn_off, .n_insns = 256 };
    if (RIG_BACKEND.emit_block(&rig_cb, &blk, &rig_last) != 0) {
        fputs("emit_block failed\n", stderr);
        abort();
    }
    return (uintptr_t)rig_cb.rx + rig_last.code_off;
}

static inline uintptr_t rig_enter(uintptr_t code)
{
    uintptr_t (*fn)(void *, const void *) = (uintptr_t (*)(void *, const void *))rig_entry;
    return fn(&rig_cpu, (const void *)code);
}

/* Translate blk (reusing the buffer) and run it; returns tag | kind. */
static inline uintptr_t rig_run(void)
{
    rig_cb.used = rig_base_used;
    return rig_enter(rig_emit(RIG_TAG));
}

/* End with exit_tb(NOCHAIN) and run. */
static inline uintptr_t rig_finish(void)
{
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    return rig_run();
}

#endif
