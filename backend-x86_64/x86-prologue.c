/*
 * x86-prologue.c — entering and leaving generated code, and chaining.
 *
 *   entry(cpu = rdi, host_code = rsi):
 *       push rbp, rbx, r12, r13, r14, r15    ; SysV callee-saved
 *       sub  rsp, X86_FRAME_SIZE             ; spill slots; rsp 16-aligned
 *       mov  rbp, rdi                        ; cpu state, for the whole run
 *       mov  r14, [rdi + guest_base_offset]  ; guest memory base
 *       jmp  rsi
 *   epilogue:                                ; blocks jump here with rax set
 *       add  rsp, X86_FRAME_SIZE
 *       pop  r15, r14, r13, r12, rbx, rbp
 *       ret
 *
 * Blocks jump to each other directly (goto_tb) with the same frame, so a
 * chain of blocks runs without returning to C.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#include "x86-internal.h"

X86BackendState x86_state;

static void detect_features(X86HostFeatures *f)
{
    unsigned eax, ebx, ecx, edx;
    memset(f, 0, sizeof(*f));
    if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx))
        f->lzcnt = (ecx >> 5) & 1;             /* ABM */
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        f->bmi1 = (ebx >> 3) & 1;
    }
}

static const int saved_regs[6] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };

uintptr_t x86_init(CodeBuf *cb, const BackendEnv *env)
{
    static bool detected;
    if (!detected) {
        detect_features(&x86_state.feat);
        detected = true;
    }
    if (env->mem.kind != BACKEND_MEM_USER) {
        /* the soft-TLB probe (system mode) is not generated yet */
        fprintf(stderr, "vemu: x86_64 backend: guest memory access kind %d (soft TLB) is not supported\n",
                (int)env->mem.kind);
        return 0;
    }
    x86_state.env = *env;

    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + 128 > cb->size)
        return 0;
    X86Asm a;
    x86_asm_init(&a, cb->rw + start, (uintptr_t)cb->rx + start, cb->size - start);

    uintptr_t entry = x86_rx_here(&a);
    for (int i = 0; i < 6; i++)
        x86_push(&a, saved_regs[i]);
    x86_alu_ri(&a, X86_SUB, true, X86_RSP, X86_FRAME_SIZE);
    x86_mov_rr(&a, true, X86_REG_CPU, X86_RDI);
    x86_load(&a, 8, false, true, X86_REG_GBASE, x86_mem(X86_RDI, (int32_t)env->guest_base_offset));
    x86_jmp_r(&a, X86_RSI);

    while (x86_offset(&a) & 15)
        x86_byte(&a, 0xcc);
    x86_state.epilogue_rx = x86_rx_here(&a);
    x86_alu_ri(&a, X86_ADD, true, X86_RSP, X86_FRAME_SIZE);
    for (int i = 5; i >= 0; i--)
        x86_pop(&a, saved_regs[i]);
    x86_ret(&a);

    if (a.overflow)
        return 0;
    cb->used = start + x86_offset(&a);
    return entry;
}

void x86_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target)
{
    /* The rel32 after the E9 opcode is 4-byte aligned (emit_goto_tb pads
     * for it), so one aligned store replaces it atomically for threads
     * executing it; x86 keeps instruction fetch coherent with stores. */
    int32_t rel = (int32_t)(target - (jmp_addr + 5));
    uint8_t *rw = cb->rw + (jmp_addr + 1 - (uintptr_t)cb->rx);
    __atomic_store_n((int32_t *)(void *)rw, rel, __ATOMIC_RELEASE);
}

/* Host features change the code the encoder picks (lzcnt, andn): saved
 * translations are reused only on a host with the same ones. */
uint64_t x86_code_signature(void)
{
    X86HostFeatures f;
    detect_features(&f);
    return 0x78363634u ^ ((uint64_t)f.lzcnt << 32) ^ ((uint64_t)f.bmi1 << 33);
}
