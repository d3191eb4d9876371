/*
 * backend.h — what a host architecture provides to the engine.
 *
 * A backend turns an optimised IRBlock into host code in the code buffer.
 * Generated code is entered through the prologue as
 *     uintptr_t entry(CPUCommon *cpu, const void *host_code)
 * and returns (tb_tag | IRExitKind).
 *
 * Register conventions are the backend's own business, with three duties:
 *   - guest memory ops (ld/st/cmpxchg) in user mode access
 *     cpu->guest_base + zero-extended guest address;
 *   - ops flagged IR_OPF_MAY_FAULT are preceded by writing back every
 *     modified global, and each guest instruction's host offset is recorded
 *     so a host fault can be mapped to the guest pc (insn_off[]);
 *   - goto_tb emits a patchable direct jump that initially falls through;
 *   - a guest memory op whose memop has IR_MO_ALIGN or IR_MO_ALIGN4 tests
 *     the address (ir_memop_align_mask) before the access and, when it is
 *     misaligned, calls raise_unaligned(cpu, address) (globals written
 *     back as for a fault; the call's return address must lie in the
 *     guest instruction's host code, like a faulting access).
 */
#ifndef VEMU_BACKEND_H
#define VEMU_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "../ir/ir.h"

/* Dual-mapped code memory: written through rw, executed through rx, so the
 * buffer is never writable and executable at the same address (W^X). */
typedef struct CodeBuf {
    uint8_t *rw;
    const uint8_t *rx;
    size_t size;
    size_t used;
} CodeBuf;

static inline uintptr_t codebuf_rx_addr(const CodeBuf *cb, size_t off) { return (uintptr_t)cb->rx + off; }

typedef struct BackendEnv {
    /* Returns the host code (rx address) for cpu's current (pc, flags), or
     * NULL when nothing is translated yet: generated code then returns
     * IR_EXIT_NOCHAIN to the loop. */
    const void *(*lookup_code)(void *cpu);
    /* The guest's alignment fault at guest_addr (never returns). */
    void (*raise_unaligned)(void *cpu, uint64_t guest_addr);
    /* Offsets the backend needs inside CPUCommon. */
    uint32_t exit_request_offset;
    uint32_t exception_index_offset;
    uint32_t guest_base_offset;
    /* For an inline jump-cache probe at goto_lookup_pc (generated code may
     * skip the lookup_code call when the probe hits).  The cache pointer is
     * at jmp_cache_offset in CPUCommon; it has 1 << jmp_cache_bits entries
     * of jmp_cache_entry_size bytes (a power of two); the entry for pc is
     *     (pc ^ (pc >> 2) ^ (pc >> (2 + jmp_cache_bits))) & ((1 << jmp_cache_bits) - 1)
     * and holds the key — u64 pc, u64 cs_base, u64 flags — and the host
     * code pointer (NULL when invalid) at the given offsets.  A hit needs
     * all three key words equal and a non-NULL code pointer.  jmp_cache_bits
     * == 0: no probe (always call lookup_code). */
    uint32_t jmp_cache_offset;
    uint32_t jmp_cache_bits;
    uint32_t jmp_cache_entry_size;
    uint32_t jmp_cache_pc_offset, jmp_cache_cs_base_offset, jmp_cache_flags_offset, jmp_cache_code_offset;
} BackendEnv;

/* What emit_block reports back about the code it wrote. */
typedef struct BackendBlock {
    uintptr_t tb_tag;            /* in: value returned (| kind) by exits */
    size_t code_off;             /* out: start in the buffer */
    size_t code_size;            /* out */
    uint32_t jmp_insn_off[2];    /* out: offset (from code_off) of the patchable jump, or UINT32_MAX */
    uint32_t jmp_reset_off[2];   /* out: where the unpatched jump goes */
    uint32_t *insn_off;          /* in: array of n_insns entries, filled with host offsets of each insn_start */
    unsigned n_insns;            /* in: capacity of insn_off */
} BackendBlock;

typedef struct Backend {
    const char *name;
    int cs_arch, cs_mode;        /* capstone, for out_asm logs and tests */
    /* Write the prologue/epilogue at the start of the buffer (advancing
     * cb->used) and return the entry point's rx address, or 0 on failure.
     * Called again after every flush of the buffer. */
    uintptr_t (*init)(CodeBuf *cb, const BackendEnv *env);
    /* Returns 0, or -1 when the buffer is full (the caller flushes and retries). */
    int (*emit_block)(CodeBuf *cb, const IRBlock *b, BackendBlock *out);
    /* Point the jump at rx address jmp_addr to rx address target (atomic
     * with respect to other threads running the code). */
    void (*patch_jump)(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target);
} Backend;

extern const Backend backend_x86_64;

#endif
