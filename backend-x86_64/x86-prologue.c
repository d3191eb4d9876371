/*
 * x86-prologue.c — entering and leaving generated code, and chaining.
 *
 *   entry(cpu = rdi, host_code = rsi):
 *       push rbp, rbx, r12, r13, r14, r15    ; SysV callee-saved
 *       sub  rsp, X86_FRAME_SIZE             ; spill slots; rsp 16-aligned
 *       lea  rbp, [rdi + cpu_bias]           ; cpu state (biased), for the whole run
 *       mov  r14, [rdi + guest_base_offset]  ; guest memory base
 *       jmp  rsi
 *   lookup:                                  ; goto_lookup's fallback (call)
 *       sub rsp, 8; call lookup_code(cpu); add rsp, 8
 *       test rax, rax; jz 1f; add rsp, 8; jmp rax
 *   1:  ret                                  ; the block exits with NOCHAIN
 *   epilogue_cl:                             ; block exit tails: rax = tb_tag, cl = kind
 *       test cl, 4; jnz 2f                   ; (4: exit request, see x86-emit-block.c)
 *       or   al, cl
 *   epilogue:                                ; rax = tb_tag | kind
 *       add  rsp, X86_FRAME_SIZE
 *       pop  r15, r14, r13, r12, rbx, rbp
 *       ret
 *   2:  mov dword [cpu + exception_index], IR_EXCP_EXIT_REQUEST
 *       mov cl, IR_EXIT_EXCEPTION; or al, cl; jmp epilogue
 *   tail_tag:                                ; block tails: call tail_tag; dd rel32
 *       mov rax, [rsp]; movsxd rdx, [rax]; lea rax, [rax + rdx + 4]
 *       lea rdx, [rip + epilogue_cl]; mov [rsp], rdx; ret
 *   tail_pc:                                 ; block tails: call tail_pc (exits_by_host_pc)
 *       mov rax, [rsp]; shl rax, 2; bts rax, 63
 *       lea rdx, [rip + epilogue_cl]; mov [rsp], rdx; ret
 *   probe_hash[1], probe_hash[0], probe_entry: the shared jump-cache probe
 *       of tier-0 blocks (jumped to; see emit_shared_probe)
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

/*
 * rbp points cpu_bias bytes into the cpu state, so that the window
 * [rbp - 128, rbp + 127] that 8-bit displacements reach holds as many of
 * the frontend's globals as possible (ARM: r0..r15 and the flags lie
 * beyond the 288 bytes of CPUCommon; unbiased, each access took a disp32,
 * 3 bytes more; python3 -c pass: 13% of all code).  The few CPUCommon
 * fields generated code reads (exit_request, the jump cache) then take a
 * disp32 instead.
 */
static int32_t pick_cpu_bias(const IRGlobalSet *gs)
{
    if (!gs || !gs->n)
        return 0;
    int32_t best = 0;
    unsigned best_n = 0;
    for (unsigned i = 0; i < gs->n; i++) {
        int64_t lo = gs->g[i].offset;            /* a window starting at a global */
        unsigned n = 0;
        for (unsigned j = 0; j < gs->n; j++)
            if (gs->g[j].offset >= lo && gs->g[j].offset + 8 <= lo + 256)
                n++;
        if (n > best_n || (n == best_n && lo + 128 < best)) {
            best_n = n;
            best = (int32_t)(lo + 128);
        }
    }
    /* no gain unless the window reaches beyond what disp8 reaches unbiased */
    return best <= 128 ? 0 : best;
}

/*
 * The jump-cache probe of tier-0 blocks, shared (x86-emit-block.c,
 * goto_lookup_pc): jumped to (not called: no return address to drop, the
 * return-stack predictor stays balanced) with rax = pc, rcx = flags, rdi =
 * cs_base, each zero-extended as the entry holds it; probe_hash[w] hashes
 * rax into rdx (w: 64-bit shifts), probe_entry takes the entry's offset in
 * rdx.  A hit jumps to the code; a miss calls lookup_code and jumps to what
 * it finds, or leaves with IR_EXIT_NOCHAIN and tag 0, which the owner
 * ignores (BackendEnv.nochain_tag_unused; without it there is no shared
 * probe).  A block pays 10 to 20 bytes instead of the inline probe's 80.
 */
static void emit_shared_probe(X86Asm *a, const BackendEnv *e)
{
    uint32_t esize = e->jmp_cache_entry_size;
    x86_state.probe_hash_rx[0] = x86_state.probe_hash_rx[1] = x86_state.probe_entry_rx = 0;
    if (!e->nochain_tag_unused || !e->jmp_cache_bits || !esize || (esize & (esize - 1)))
        return;
    unsigned bits = e->jmp_cache_bits;
    size_t to_entry = 0;
    for (int w = 1; w >= 0; w--) {
        while (x86_offset(a) & 15)
            x86_byte(a, 0xcc);
        x86_state.probe_hash_rx[w] = x86_rx_here(a);
        x86_mov_rr(a, w, X86_RDX, X86_RAX);
        x86_shift_ri(a, X86_SHR, w, X86_RDX, 2);
        x86_alu_rr(a, X86_XOR, w, X86_RDX, X86_RAX);
        x86_mov_rr(a, w, X86_RSI, X86_RAX);
        x86_shift_ri(a, X86_SHR, w, X86_RSI, 2 + bits);
        x86_alu_rr(a, X86_XOR, false, X86_RDX, X86_RSI);
        x86_alu_ri(a, X86_AND, false, X86_RDX, (int32_t)((1u << bits) - 1));
        x86_shift_ri(a, X86_SHL, false, X86_RDX, (unsigned)__builtin_ctz(esize));
        if (w)
            to_entry = x86_jmp_rel8(a);
    }
    x86_state.probe_entry_rx = x86_rx_here(a);
    x86_patch_rel8(a, to_entry, x86_state.probe_entry_rx);
    x86_alu_rm(a, X86_ADD, true, X86_RDX, x86_cpu_mem(e->jmp_cache_offset));
    x86_alu_rm(a, X86_CMP, true, X86_RAX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_pc_offset));
    size_t miss1 = x86_jcc_rel8(a, X86_CC_NE);
    x86_alu_rm(a, X86_CMP, true, X86_RCX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_flags_offset));
    size_t miss2 = x86_jcc_rel8(a, X86_CC_NE);
    x86_alu_rm(a, X86_CMP, true, X86_RDI, x86_mem(X86_RDX, (int32_t)e->jmp_cache_cs_base_offset));
    size_t miss3 = x86_jcc_rel8(a, X86_CC_NE);
    x86_load(a, 8, false, true, X86_RDX, x86_mem(X86_RDX, (int32_t)e->jmp_cache_code_offset));
    x86_test_rr(a, true, X86_RDX, X86_RDX);
    size_t miss4 = x86_jcc_rel8(a, X86_CC_E);
    x86_jmp_r(a, X86_RDX);
    uintptr_t miss = x86_rx_here(a);
    x86_patch_rel8(a, miss1, miss);
    x86_patch_rel8(a, miss2, miss);
    x86_patch_rel8(a, miss3, miss);
    x86_patch_rel8(a, miss4, miss);
    /* rsp is 16-byte aligned in blocks, as the call wants */
    x86_cpu_ptr(a, X86_RDI);
    x86_call(a, (uintptr_t)e->lookup_code, X86_REG_SCRATCH);
    x86_test_rr(a, true, X86_RAX, X86_RAX);
    size_t none = x86_jcc_rel8(a, X86_CC_E);
    x86_jmp_r(a, X86_RAX);
    x86_patch_rel8(a, none, x86_rx_here(a));
    x86_mov_ri(a, false, X86_RAX, IR_EXIT_NOCHAIN);
    x86_jmp(a, x86_state.epilogue_rx);
}

static const int saved_regs[6] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };

uintptr_t x86_init(CodeBuf *cb, const BackendEnv *env)
{
    static bool detected;
    if (!detected) {
        detect_features(&x86_state.feat);
        detected = true;
    }
    if (env->mem.kind != BACKEND_MEM_USER && !x86_softtlb_layout_ok(&env->mem)) {
        fprintf(stderr, "vemu: x86_64 backend: guest memory access kind %d is not supported (or its soft-TLB layout)\n",
                (int)env->mem.kind);
        return 0;
    }
    x86_state.env = *env;
    x86_state.cpu_bias = pick_cpu_bias(env->globals);

    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + 512 > cb->size)
        return 0;
    X86Asm a;
    x86_asm_init(&a, cb->rw + start, (uintptr_t)cb->rx + start, cb->size - start);

    uintptr_t entry = x86_rx_here(&a);
    for (int i = 0; i < 6; i++)
        x86_push(&a, saved_regs[i]);
    x86_alu_ri(&a, X86_SUB, true, X86_RSP, X86_FRAME_SIZE);
    x86_lea(&a, true, X86_REG_CPU, x86_mem(X86_RDI, x86_state.cpu_bias));
    x86_load(&a, 8, false, true, X86_REG_GBASE, x86_mem(X86_RDI, (int32_t)env->guest_base_offset));
    x86_jmp_r(&a, X86_RSI);

    /* The goto_lookup fallback, shared by all blocks: called from a block
     * (rsp 8 below its 16-byte alignment); returns when nothing is
     * translated, else drops its return address and jumps to the code. */
    while (x86_offset(&a) & 15)
        x86_byte(&a, 0xcc);
    x86_state.lookup_rx = x86_rx_here(&a);
    x86_alu_ri(&a, X86_SUB, true, X86_RSP, 8);
    x86_cpu_ptr(&a, X86_RDI);
    x86_call(&a, (uintptr_t)env->lookup_code, X86_REG_SCRATCH);
    x86_alu_ri(&a, X86_ADD, true, X86_RSP, 8);
    x86_test_rr(&a, true, X86_RAX, X86_RAX);
    size_t none = x86_jcc_rel8(&a, X86_CC_E);
    x86_alu_ri(&a, X86_ADD, true, X86_RSP, 8);
    x86_jmp_r(&a, X86_RAX);
    x86_patch_rel8(&a, none, x86_rx_here(&a));
    x86_ret(&a);

    /* Block exit tails arrive with rax = tb_tag, cl = the exit kind, or
     * IR_EXIT_EXCEPTION | X86_EXIT_REQUEST_FLAG from exit_check's stub. */
    while ((x86_offset(&a) + 7) & 15)
        x86_byte(&a, 0xcc);
    x86_state.epilogue_cl_rx = x86_rx_here(&a);
    x86_test_ri(&a, false, X86_RCX, X86_EXIT_REQUEST_FLAG);
    size_t req = x86_jcc_rel8(&a, X86_CC_NE);
    x86_alu_rr8(&a, X86_OR, X86_RAX, X86_RCX);
    x86_state.epilogue_rx = x86_rx_here(&a);
    x86_alu_ri(&a, X86_ADD, true, X86_RSP, X86_FRAME_SIZE);
    for (int i = 5; i >= 0; i--)
        x86_pop(&a, saved_regs[i]);
    x86_ret(&a);
    x86_patch_rel8(&a, req, x86_rx_here(&a));
    x86_store_imm(&a, 4, IR_EXCP_EXIT_REQUEST, x86_cpu_mem(env->exception_index_offset));
    x86_mov_r8i(&a, X86_RCX, IR_EXIT_EXCEPTION);
    x86_alu_rr8(&a, X86_OR, X86_RAX, X86_RCX);
    x86_jmp(&a, x86_state.epilogue_rx);

    /* Block exit tails `call tail_tag; dd rel32` (x86-emit-block.c): the
     * return address points at the rel32, the tag lies rel32 past its end.
     * It leaves by `ret` to epilogue_cl, consuming the call's entry of the
     * return-stack predictor: one mispredicted return per exit, instead of
     * every return after the epilogue's. */
    x86_state.tail_tag_rx = x86_rx_here(&a);
    x86_load(&a, 8, false, true, X86_RAX, x86_mem(X86_RSP, 0));
    x86_load(&a, 4, true, true, X86_RDX, x86_mem(X86_RAX, 0));
    x86_lea(&a, true, X86_RAX, x86_mem_idx(X86_RAX, X86_RDX, 0, 4));
    x86_mov_addr(&a, X86_RDX, x86_state.epilogue_cl_rx);
    x86_store(&a, 8, X86_RDX, x86_mem(X86_RSP, 0));
    x86_ret(&a);

    /* Block exit tails `call tail_pc` (BackendEnv.exits_by_host_pc): the
     * return address, inside the block, names it (exec finds the block);
     * leaves like tail_tag, by `ret` to epilogue_cl. */
    x86_state.tail_pc_rx = 0;
    if (env->exits_by_host_pc) {
        x86_state.tail_pc_rx = x86_rx_here(&a);
        x86_load(&a, 8, false, true, X86_RAX, x86_mem(X86_RSP, 0));
        x86_shift_ri(&a, X86_SHL, true, X86_RAX, 2);
        x86_bts_ri(&a, true, X86_RAX, 63);
        x86_mov_addr(&a, X86_RDX, x86_state.epilogue_cl_rx);
        x86_store(&a, 8, X86_RDX, x86_mem(X86_RSP, 0));
        x86_ret(&a);
    }

    emit_shared_probe(&a, env);
    x86_softtlb_emit_stubs(&a, env);

    if (a.overflow)
        return 0;
    cb->used = start + x86_offset(&a);
    return entry;
}

void x86_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target)
{
    /* The rel32 after the E9 opcode is 4-byte aligned (host_goto_tb pads
     * for it) or at least within one 64-byte line (host_goto_tb_exit), so
     * one store replaces it atomically for threads executing it: x86
     * makes a store within a cache line atomic and keeps instruction fetch
     * coherent with stores. */
    int32_t rel = (int32_t)(target - (jmp_addr + 5));
    uint8_t *rw = cb->rw + (jmp_addr + 1 - (uintptr_t)cb->rx);
    if (!((uintptr_t)rw & 3)) {
        __atomic_store_n((int32_t *)(void *)rw, rel, __ATOMIC_RELEASE);
    } else {
        /* one mov (C would call a misaligned int32_t store undefined) */
        __asm__ volatile("movl %1, %0" : "=m"(*(uint8_t(*)[4])rw) : "r"(rel) : "memory");
    }
}

/* Host features change the code the encoder picks (lzcnt, andn): saved
 * translations are reused only on a host with the same ones. */
uint64_t x86_code_signature(void)
{
    X86HostFeatures f;
    detect_features(&f);
    return 0x78363634u ^ ((uint64_t)f.lzcnt << 32) ^ ((uint64_t)f.bmi1 << 33);
}
