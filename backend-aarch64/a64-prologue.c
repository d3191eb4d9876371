/*
 * a64-prologue.c — entering and leaving generated code on an aarch64 host,
 * chaining, and the host features that change the code.
 *
 *   entry(cpu = x0, host_code = x1):            ; AAPCS64 call from exec
 *       stp  x29, x30, [sp, #-96]!
 *       mov  x29, sp
 *       stp  x19, x20, [sp, #16] ... stp x27, x28, [sp, #80]
 *       sub  sp, sp, #A64_FRAME_SIZE            ; spill slots [sp + 8*i]; 16-aligned
 *       mov  x19, x0                            ; cpu state, for the whole run
 *       ldr  x20, [x0, #guest_base_offset]      ; guest memory base
 *       br   x1
 *   epilogue:                                   ; x0 = tb_tag | kind
 *       add  sp, sp, #A64_FRAME_SIZE
 *       ldp  ... ; ldp x29, x30, [sp], #96
 *       ret
 *   exit_request:                               ; the blocks' exit-request stubs (by host pc)
 *       mov  w16, #IR_EXCP_EXIT_REQUEST; str w16, [x19, #exception_index]
 *   exit_pc[kind]:                              ; BackendEnv.exits_by_host_pc:
 *       lsl  x0, x30, #2                        ; a block's exit is `bl exit_pc[kind]`,
 *       orr  x0, x0, #kind                      ; its return address names the block
 *       orr  x0, x0, #(1 << 63)
 *       b    epilogue
 *   lookup:                                     ; goto_lookup's fallback: bl lookup
 *       mov  x22, x30; mov x0, x19; blr lookup_code
 *       cbz  x0, 1f; br x0                      ; found: on to that block
 *   1:  br   x22                                ; none: back to the block's exit
 *   probe_hash, probe_entry: the shared jump-cache probe of tier-0 blocks
 *       (see emit_shared_probe)
 *
 * Blocks jump to each other (goto_tb, goto_lookup) within the same frame,
 * so a chain of blocks runs without returning to C.  x30 is free inside
 * blocks: the prologue saved the caller's.
 */
#include <stdio.h>
#include <string.h>
#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ATOMICS
#define HWCAP_ATOMICS (1 << 8)
#endif
#endif

#include "a64-internal.h"

A64BackendState a64_state;

static bool detect_lse(void)
{
#if defined(__aarch64__)
    return (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0;
#else
    return false;       /* the unit tests on other hosts only encode */
#endif
}

/* The callee-saved pairs below x29/x30, at [sp + 16 * (i + 1)]. */
static const int saved_pairs[5][2] = {
    { A64_X19, A64_X20 }, { A64_X21, A64_X22 }, { A64_X23, A64_X24 }, { A64_X25, A64_X26 }, { A64_X27, A64_X28 },
};

/*
 * The jump-cache probe of tier-0 blocks, shared (a64-emit-block.c,
 * goto_lookup_pc in an IRBlock.quick block): branched to with x0 = pc,
 * x1 = cs_base, x2 = flags, each zero-extended as the entry holds it;
 * probe_hash hashes x0 into x3, probe_entry takes the entry's offset in
 * x3.  A hit branches to the code; a miss calls lookup_code and branches
 * to what it finds, or leaves with IR_EXIT_NOCHAIN and tag 0, which the
 * owner ignores (BackendEnv.nochain_tag_unused; without it there is no
 * shared probe).  A block pays a few instructions instead of the inline
 * probe's twenty.
 */
static void emit_shared_probe(BackendAsm *a, const BackendEnv *e)
{
    uint32_t esize = e->jmp_cache_entry_size;
    a64_state.probe_hash_rx = a64_state.probe_entry_rx = 0;
    if (!e->nochain_tag_unused || !e->jmp_cache_bits || !esize || (esize & (esize - 1)) ||
        !a64_ldst_imm_ok(3, e->jmp_cache_offset))
        return;
    while (backend_asm_offset(a) & 15)
        a64_brk(a, 0);
    unsigned bits = e->jmp_cache_bits;
    a64_state.probe_hash_rx = a64_here(a);
    a64_logic_reg(a, A64_EOR, true, A64_X3, A64_X0, A64_X0, A64_LSR, 2);
    a64_logic_reg(a, A64_EOR, true, A64_X3, A64_X3, A64_X0, A64_LSR, 2 + bits);
    a64_logic_imm(a, A64_AND, true, A64_X3, A64_X3, ((uint64_t)1 << bits) - 1);
    a64_shift_imm(a, A64_LSL, true, A64_X3, A64_X3, (unsigned)__builtin_ctz(esize));
    a64_state.probe_entry_rx = a64_here(a);
    a64_ldst_imm(a, A64_LDR, 3, A64_X4, A64_REG_CPU, e->jmp_cache_offset);
    a64_addsub_reg(a, A64_ADD, true, A64_X4, A64_X4, A64_X3, A64_LSL, 0);
    static const int key_reg[3] = { A64_X0, A64_X1, A64_X2 };
    uint32_t key_off[3] = { e->jmp_cache_pc_offset, e->jmp_cache_cs_base_offset, e->jmp_cache_flags_offset };
    size_t miss[4];
    for (int k = 0; k < 3; k++) {
        a64_ldst_imm(a, A64_LDR, 3, A64_X5, A64_X4, key_off[k]);
        a64_cmp_reg(a, true, A64_X5, key_reg[k]);
        miss[k] = backend_asm_offset(a);
        a64_b_cond(a, A64_NE, a64_here(a));
    }
    a64_ldst_imm(a, A64_LDR, 3, A64_X5, A64_X4, e->jmp_cache_code_offset);
    miss[3] = backend_asm_offset(a);
    a64_cbz(a, false, true, A64_X5, a64_here(a));
    a64_br(a, A64_X5);
    for (int k = 0; k < 4; k++)
        a64_patch_branch(a, miss[k], a64_here(a));
    /* sp is 16-byte aligned in blocks, as the call wants */
    a64_mov_rr(a, true, A64_X0, A64_REG_CPU);
    a64_mov_addr(a, A64_REG_TMP, (uintptr_t)e->lookup_code);
    a64_blr(a, A64_REG_TMP);
    size_t none = backend_asm_offset(a);
    a64_cbz(a, false, true, A64_X0, a64_here(a));
    a64_br(a, A64_X0);
    a64_patch_branch(a, none, a64_here(a));
    a64_mov_imm(a, true, A64_X0, IR_EXIT_NOCHAIN);
    a64_b(a, a64_state.epilogue_rx);
}

uintptr_t a64_init(CodeBuf *cb, const BackendEnv *env)
{
    static bool detected;
    if (!detected) {
        a64_state.lse = detect_lse();
        detected = true;
    }
    if (env->mem.kind != BACKEND_MEM_USER && !a64_softtlb_layout_ok(&env->mem)) {
        fprintf(stderr, "vemu: aarch64 backend: guest memory access kind %d is not supported (or its soft-TLB layout)\n",
                (int)env->mem.kind);
        return 0;
    }
    a64_state.env = *env;
    /* Beyond B's reach, a chained jump goes through its slot's veneer
     * (a64-emit-block.c, goto_tb); a smaller buffer never needs one. */
    a64_state.far_chain = cb->size >= A64_B_REACH;

    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + 1024 > cb->size)
        return 0;
    BackendAsm a;
    backend_asm_init(&a, cb->rw + start, (uintptr_t)cb->rx + start, cb->size - start);

    uintptr_t entry = a64_here(&a);
    a64_ldstp(&a, false, true, A64_FP, A64_LR, A64_SP, -96, A64_PRE);
    a64_mov_rr(&a, true, A64_FP, A64_SP);
    for (int i = 0; i < 5; i++)
        a64_ldstp(&a, false, true, saved_pairs[i][0], saved_pairs[i][1], A64_SP, 16 * (i + 1), A64_OFFSET);
    a64_addsub_imm(&a, A64_SUB, true, A64_SP, A64_SP, A64_FRAME_SIZE);
    a64_mov_rr(&a, true, A64_REG_CPU, A64_X0);
    if (a64_ldst_imm_ok(3, env->guest_base_offset)) {
        a64_ldst_imm(&a, A64_LDR, 3, A64_REG_GBASE, A64_X0, env->guest_base_offset);
    } else {
        a64_mov_imm(&a, true, A64_REG_TMP, env->guest_base_offset);
        a64_ldst_reg(&a, A64_LDR, 3, A64_REG_GBASE, A64_X0, A64_REG_TMP, A64_UXTX, false);
    }
    a64_br(&a, A64_X1);

    while (backend_asm_offset(&a) & 15)
        a64_brk(&a, 0);
    a64_state.epilogue_rx = a64_here(&a);
    a64_addsub_imm(&a, A64_ADD, true, A64_SP, A64_SP, A64_FRAME_SIZE);
    for (int i = 4; i >= 0; i--)
        a64_ldstp(&a, true, true, saved_pairs[i][0], saved_pairs[i][1], A64_SP, 16 * (i + 1), A64_OFFSET);
    a64_ldstp(&a, true, true, A64_FP, A64_LR, A64_SP, 96, A64_POST);
    a64_ret(&a);

    /* Exits by host pc: one shared tail per exit kind, reached by BL from
     * the block (one instruction per exit instead of a tag's two to four
     * and a branch).  The return address lies inside the block, at most
     * at its end, as exec wants. */
    memset(a64_state.exit_pc_rx, 0, sizeof(a64_state.exit_pc_rx));
    a64_state.exit_request_rx = 0;
    if (env->exits_by_host_pc) {
        for (unsigned k = 0; k < A64_EXIT_KINDS; k++) {
            if (k == IR_EXIT_EXCEPTION && a64_ldst_imm_ok(2, env->exception_index_offset)) {
                /* the exit-request stub of every block: `bl exit_request`
                 * (4 bytes a block instead of 12), falling into the
                 * exception kind's tail */
                a64_state.exit_request_rx = a64_here(&a);
                a64_mov_imm(&a, false, A64_REG_TMP, IR_EXCP_EXIT_REQUEST);
                a64_ldst_imm(&a, A64_STR, 2, A64_REG_TMP, A64_REG_CPU, env->exception_index_offset);
            }
            a64_state.exit_pc_rx[k] = a64_here(&a);
            a64_shift_imm(&a, A64_LSL, true, A64_X0, A64_LR, 2);
            if (k)
                a64_logic_imm(&a, A64_ORR, true, A64_X0, A64_X0, k);
            a64_logic_imm(&a, A64_ORR, true, A64_X0, A64_X0, BACKEND_EXIT_BY_HOST_PC);
            a64_b(&a, a64_state.epilogue_rx);
        }
    }

    /* The goto_lookup fallback shared by all blocks (a64-emit-block.c):
     * called by a block that is leaving (globals in memory, no live
     * register: x22 is free to keep the return address across the C
     * call); jumps to the code lookup_code finds, or returns to the
     * block, which exits with IR_EXIT_NOCHAIN. */
    while (backend_asm_offset(&a) & 15)
        a64_brk(&a, 0);
    a64_state.lookup_rx = a64_here(&a);
    a64_mov_rr(&a, true, A64_X22, A64_LR);          /* callee-saved, free between blocks */
    a64_mov_rr(&a, true, A64_X0, A64_REG_CPU);
    a64_mov_addr(&a, A64_REG_TMP, (uintptr_t)env->lookup_code);
    a64_blr(&a, A64_REG_TMP);
    size_t none = backend_asm_offset(&a);
    a64_cbz(&a, false, true, A64_X0, a64_here(&a));
    a64_br(&a, A64_X0);
    a64_patch_branch(&a, none, a64_here(&a));
    a64_br(&a, A64_X22);

    emit_shared_probe(&a, env);
    a64_softtlb_emit_stubs(&a, env);

    if (a.overflow)
        return 0;
    cb->used = start + backend_asm_offset(&a);
    __builtin___clear_cache((char *)entry, (char *)(uintptr_t)cb->rx + cb->used);
    return entry;
}

/*
 * Retarget goto_tb's patchable word (a B) at jmp_addr.  Within B's reach
 * the word becomes `B target`.  Beyond it (a code buffer of 128 MiB or
 * more), the slot's veneer right after the word — `LDR x16, lit; BR x16;
 * lit: .quad` — gets the target in its 8-byte literal first, and then the
 * word becomes `B veneer`.  Each store is a single aligned atomic store, so
 * a thread running the code sees the old or the new target, never a mix.
 */
void a64_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target)
{
    uint32_t *rw = (uint32_t *)(void *)(cb->rw + (jmp_addr - (uintptr_t)cb->rx));
    uint32_t insn;
    if (a64_b_reaches(jmp_addr, target)) {
        insn = 0x14000000u | (uint32_t)(((int64_t)(target - jmp_addr) >> 2) & 0x3ffffff);
    } else {
        /* the veneer: at jmp + 4 (jmp + 8 when padded so that the literal
         * is 8-byte aligned), emitted by goto_tb when far_chain */
        uintptr_t veneer = jmp_addr + 4;
        if ((veneer + 8) & 7)
            veneer += 4;
        uint64_t *lit = (uint64_t *)(void *)(cb->rw + (veneer + 8 - (uintptr_t)cb->rx));
        __atomic_store_n(lit, (uint64_t)target, __ATOMIC_RELEASE);
        insn = 0x14000000u | (uint32_t)(((int64_t)(veneer - jmp_addr) >> 2) & 0x3ffffff);
    }
    __atomic_store_n(rw, insn, __ATOMIC_RELEASE);
    __builtin___clear_cache((char *)jmp_addr, (char *)(jmp_addr + 4));
}

/* What else decides the code blocks hold (saved translations are reused
 * only under the same value):
 *   - LSE changes the code of cmpxchg (CAS instead of an LDAXR/STLXR loop);
 *   - far_chain: goto_tb has a veneer or not, and a64_patch_jump writes
 *     one where a far buffer expects it;
 *   - where init placed the shared stubs relative to each other: saved
 *     blocks branch to them by offset from the buffer's start
 *     (exec/tb-persist.c), and the prologue's length varies with how many
 *     words the address of a C function takes (a64_mov_addr: ADR, ADRP,
 *     or 2 to 4 MOV words, by where vemu's image lies this time), so two
 *     layouts of the same total length must not share saved code. */
uint64_t a64_code_signature(void)
{
    const A64BackendState *s = &a64_state;
    uint64_t h = 0x61363400u ^ ((uint64_t)detect_lse() << 32) ^ ((uint64_t)s->far_chain << 33);
    uintptr_t stubs[] = { s->lookup_rx, s->softtlb_ld_rx[0], s->softtlb_ld_rx[1], s->softtlb_st_rx,
                          s->exit_pc_rx[0], s->exit_pc_rx[1], s->exit_pc_rx[2], s->exit_pc_rx[3],
                          s->exit_request_rx, s->probe_hash_rx, s->probe_entry_rx };
    for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++)
        h = (h ^ (stubs[i] ? stubs[i] - s->epilogue_rx : 0)) * 0x100000001b3ull;
    return h;
}
