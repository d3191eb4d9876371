/*
 * backend.h — what a host architecture provides to the engine.
 *
 * A backend turns an optimised IRBlock into host code in the code buffer.
 * Generated code is entered through the prologue as
 *     uintptr_t entry(CPUCommon *cpu, const void *host_code)
 * and returns (tb_tag | IRExitKind), or with BackendEnv.exits_by_host_pc
 * (BACKEND_EXIT_BY_HOST_PC | host address in the block << 2 | IRExitKind).
 *
 * Register conventions are the backend's own business (the host-neutral
 * core in backend/ and docs/backend.md say how a host plugs in), with these
 * duties:
 *   - guest memory ops (ld/st/cmpxchg) reach memory as BackendEnv.mem
 *     describes: user mode = cpu->guest_base + zero-extended guest address;
 *     system mode = an inline soft-TLB probe with a slow path (BackendMem);
 *   - ops flagged IR_OPF_MAY_FAULT are preceded by writing back every
 *     modified global, and each guest instruction's host offset is recorded
 *     so a host fault can be mapped to the guest pc (insn_off[]);
 *   - goto_tb emits a patchable direct jump that initially falls through
 *     (with BackendBlock.exit_stores_by_exec: initially leaves with the
 *     slot's exit kind);
 *     once patched it must reach any address in the code buffer (the
 *     buffer can be as large as ExecConfig.code_buffer_size, up to 2 GiB):
 *     x86_64's jmp rel32 covers +-2 GiB; a host whose direct branch is
 *     shorter (aarch64 B: +-128 MiB) must emit a form that can become
 *     indirect (e.g. a literal-load + BR, or B to a veneer) when the target
 *     is out of direct range;
 *   - instruction-cache coherence: after emit_block writes a block and
 *     after patch_jump rewrites a jump, the host's instruction cache must
 *     see the new bytes before any thread runs them (through the rx view).
 *     The backend does this itself (aarch64: __builtin___clear_cache over
 *     the written rx range; x86_64 keeps instruction fetch coherent with
 *     stores, so nothing is needed there).  A patch must be a single
 *     atomic store of the instruction (or of the word an indirect form
 *     loads), so a thread running the code sees the old or the new target;
 *   - a guest memory op whose memop has IR_MO_ALIGN or IR_MO_ALIGN4 tests
 *     the address (ir_memop_align_mask) before the access and, when it is
 *     misaligned, calls raise_unaligned(cpu, address) (globals written
 *     back as for a fault; the call's return address must lie in the
 *     guest instruction's host code, like a faulting access).
 */
#ifndef VEMU_BACKEND_H
#define VEMU_BACKEND_H

#include <stdbool.h>
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
    size_t populated;            /* [0, populated) has page tables in both views */
} CodeBuf;

static inline uintptr_t codebuf_rx_addr(const CodeBuf *cb, size_t off) { return (uintptr_t)cb->rx + off; }

/* How generated code reaches guest memory (BackendEnv.mem). */
typedef enum BackendMemKind {
    /* Linux user mode: host address = cpu->guest_base (at guest_base_offset)
     * + the zero-extended guest address; the access itself may fault
     * (SIGSEGV/SIGBUS, mapped back to the guest pc through insn_off). */
    BACKEND_MEM_USER = 0,
    /* System mode: an inline soft-TLB probe (BackendSoftTLB), its slow path
     * a call to ld_slow/st_slow/cmpxchg_slow. */
    BACKEND_MEM_SOFTTLB = 1,
} BackendMemKind;

/*
 * The soft TLB as generated code sees it.  For a guest access of
 * `size` = ir_memop_bytes(memop) bytes at guest address addr with mmu
 * index m = ir_memop_mmu_idx(memop) (< n_mmu_idx):
 *
 *   table = *(uint8_t **)(cpu + table_offset + m * sizeof(void *))
 *           (one entry array per mmu index; exec may reallocate the arrays
 *           between blocks, never while generated code runs)
 *   entry = table + ((addr >> page_bits) & ((1 << entry_bits) - 1)) * entry_size
 *   tag   = *(uint64_t *)(entry + read_tag_offset)   for ld,
 *           *(uint64_t *)(entry + write_tag_offset)  for st and cmpxchg,
 *           (code_tag_offset: instruction fetch, used by exec, not by
 *           generated code)
 *   hit   = tag == ((addr + size - 1) & ~((1 << page_bits) - 1))
 *           (addr zero-extended to 64 bits; an access crossing a page
 *           misses because the index comes from addr's page)
 *   host  = addr + *(uintptr_t *)(entry + addend_offset)
 *
 * A tag is the page address with flag bits in its low page_bits bits: any
 * of tag_flag_mask (invalid, MMIO, watchpoint, code on the page...) makes
 * the compare fail, so those accesses take the slow path.  An alignment
 * demanded by the memop is checked before the probe as in user mode
 * (raise_unaligned), or folded into the compare by testing addr's low
 * bits too.  On a miss, generated code writes back the globals as for any
 * faulting op and calls
 *   uint64_t ld_slow(cpu, addr, memop, host_retaddr)
 *       the value extended to 64 bits as the memop says (sign or zero),
 *       already in host order (IR_MO_BSWAP applied);
 *   void st_slow(cpu, addr, value, memop, host_retaddr)
 *   uint64_t cmpxchg_slow(cpu, addr, expected, desired, memop, host_retaddr)
 *       the old value, zero-extended;
 * host_retaddr is the host address the call returns to: it lies inside
 * the guest instruction's host code (insn_off), so a slow path that raises
 * a guest fault (it does not return; it leaves through exec like a host
 * fault) finds the block and the instruction and restores precise state.
 * The slow path may refill the TLB; it must not invalidate the running
 * block's code (self-modifying stores end the block through exec).
 */
typedef struct BackendSoftTLB {
    uint32_t table_offset;       /* in CPUCommon: void *table[n_mmu_idx] */
    uint32_t n_mmu_idx;          /* <= 16 (the memop's 4 mmu bits) */
    uint32_t entry_bits;         /* 1 << entry_bits entries per mmu index */
    uint32_t entry_size;         /* a power of two */
    uint32_t read_tag_offset, write_tag_offset, code_tag_offset;   /* u64 tags */
    uint32_t addend_offset;      /* uintptr_t: host address - guest address */
    uint32_t page_bits;
    uint64_t tag_flag_mask;      /* low tag bits that force the slow path */
    uint64_t (*ld_slow)(void *cpu, uint64_t addr, uint32_t memop, uintptr_t host_retaddr);
    void (*st_slow)(void *cpu, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_retaddr);
    uint64_t (*cmpxchg_slow)(void *cpu, uint64_t addr, uint64_t expected, uint64_t desired,
                             uint32_t memop, uintptr_t host_retaddr);
} BackendSoftTLB;

typedef struct BackendMem {
    BackendMemKind kind;
    BackendSoftTLB tlb;          /* BACKEND_MEM_SOFTTLB only */
} BackendMem;

typedef struct BackendEnv {
    /* Returns the host code (rx address) for cpu's current (pc, flags), or
     * NULL when nothing is translated yet: generated code then returns
     * IR_EXIT_NOCHAIN to the loop. */
    const void *(*lookup_code)(void *cpu);
    /* The guest's alignment fault at guest_addr (never returns). */
    void (*raise_unaligned)(void *cpu, uint64_t guest_addr);
    /* How ld/st/cmpxchg reach guest memory.  A backend that cannot
     * generate a kind makes init() fail (return 0, with a message). */
    BackendMem mem;
    /* Offsets the backend needs inside CPUCommon. */
    uint32_t exit_request_offset;
    uint32_t exception_index_offset;
    uint32_t guest_base_offset;  /* BACKEND_MEM_USER: the uintptr_t guest_base */
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
    /* The frontend's globals (NULL: unknown), so a backend can lay out its
     * access to the cpu state for them (x86_64: a biased cpu pointer that
     * reaches them with 8-bit displacements).  Blocks may still use any
     * offset. */
    const IRGlobalSet *globals;
    /* The owner ignores the tag of an IR_EXIT_NOCHAIN return (it looks the
     * pc up in the cpu state): code shared by many blocks (x86_64: the
     * jump-cache probe of first-tier blocks) may then leave with any tag. */
    bool nochain_tag_unused;
    /* The owner also accepts exits that name the block by a host address
     * inside its code instead of its tag: BACKEND_EXIT_BY_HOST_PC |
     * (host address << 2) | kind, the address being at most the block's
     * end (exec finds the block the way a host fault does).  A block then
     * carries no tag in its code (x86_64: 4 bytes less per block). */
    bool exits_by_host_pc;
} BackendEnv;

#define BACKEND_EXIT_BY_HOST_PC (1ull << 63)

/*
 * References from a block's code to addresses outside it, recorded by the
 * host's encoder while it emits (BackendBlock.relocs), so the persistent
 * translation cache (exec/tb-persist.c) can move a block to another place
 * in another process.  The encoder records every place that may hold such
 * a reference; exec classifies them after the block is complete (a field
 * whose final value points inside the block is internal and needs nothing).
 * A host adds kinds for its own forms; a kind exec does not know makes the
 * block uncacheable, never wrong.
 */
typedef enum BackendRelocKind {
    /* 32-bit little-endian displacement relative to the end of the field
     * (x86 jmp/jcc/call rel32): target = field + 4 + disp. */
    BACKEND_RELOC_REL32 = 1,
    /* A 64-bit little-endian immediate that may be a host address (the tb
     * tag of an exit, a helper, or just a large constant). */
    BACKEND_RELOC_IMM64 = 2,
    /* A 64-bit little-endian immediate that is a host address (a call
     * through a register). */
    BACKEND_RELOC_ABS64 = 3,
    /* A reference exec cannot relocate (a short branch out of the block):
     * the block is not cached. */
    BACKEND_RELOC_FIXED = 4,
    /* aarch64's forms (decoded and rewritten by exec/backend-reloc.c, which
     * is host-neutral): */
    /* B or BL, imm26: target = field + 4 * imm26 (+-128 MiB). */
    BACKEND_RELOC_A64_B26 = 5,
    /* ADRP Xd, page; ADD Xd, Xd, #lo12 (8 bytes, +-4 GiB): Xd = the address
     * (always with the ADD, #0 included, so any address fits). */
    BACKEND_RELOC_A64_ADRP_ADD = 6,
    /* MOVZ Xd, #h0; MOVK Xd, #h1, LSL #16 [; MOVK ... LSL #32 [; ... #48]]
     * (1 to 4 words, halfwords 0, 1, ... in order, zeros included): Xd = a host
     * address (the block's tag, a helper), which must fit the words there. */
    BACKEND_RELOC_A64_MOVW = 7,
} BackendRelocKind;

typedef struct BackendReloc {
    uint32_t offset;             /* of the field, from the start of the block */
    uint32_t kind;               /* BackendRelocKind */
} BackendReloc;

typedef struct BackendRelocs {
    BackendReloc *r;             /* room for cap records */
    unsigned n, cap;
    bool overflow;               /* more than cap: the block is not cached */
} BackendRelocs;

/* Record a reference at offset off of the block being written (rs may be
 * NULL: nobody asked). */
static inline void backend_reloc_note(BackendRelocs *rs, size_t off, BackendRelocKind kind)
{
    if (!rs)
        return;
    if (rs->n == rs->cap) {
        rs->overflow = true;
        return;
    }
    rs->r[rs->n++] = (BackendReloc){ (uint32_t)off, (uint32_t)kind };
}

/* A constant store to the cpu state that exec makes when a block leaves
 * through a chain slot that is not chained (BackendBlock.exit_store). */
typedef struct BackendExitStore {
    uint64_t value;
    uint32_t offset;             /* from the cpu state, like IRTempInfo.offset */
    uint32_t size;               /* bytes, 4 or 8; 0: nothing to store */
} BackendExitStore;

/* What emit_block reports back about the code it wrote. */
typedef struct BackendBlock {
    uintptr_t tb_tag;            /* in: value returned (| kind) by exits */
    size_t code_off;             /* out: start in the buffer */
    size_t code_size;            /* out */
    uint32_t jmp_insn_off[2];    /* out: offset (from code_off) of the patchable jump, or UINT32_MAX */
    uint32_t jmp_reset_off[2];   /* out: where the unpatched jump goes */
    uint32_t *insn_off;          /* in: array of n_insns entries, filled with host offsets of each insn_start */
    unsigned n_insns;            /* in: capacity of insn_off */
    BackendRelocs *relocs;       /* in: NULL, or where the encoder records external references */
    /* in: exec completes unchained exits.  A chained exit `goto_tb s;
     * G = mov $c; exit_tb chain<s>` may then leave the store out of the
     * code and report it in exit_store[s] (out; size 0 when the code does
     * its own stores): when the block returns tag | IR_EXIT_CHAIN<s>, exec
     * makes the store before anything reads the cpu state.  The store is
     * what the chained-to block implies (its pc), so chained code, which
     * never ran it, is unaffected. */
    bool exit_stores_by_exec;
    BackendExitStore exit_store[2];
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
    /* A hash of whatever besides vemu's own build changes the code
     * emit_block writes on this machine (host cpu features the encoder
     * uses): saved translations are only reused under the same value.
     * NULL: nothing. */
    uint64_t (*code_signature)(void);
    /* Emits the IR's x87 op as the host's own x87 instruction (an x86_64
     * host).  Generated code then owns the host's x87 register stack inside
     * a block: it is empty when a block is entered or left and around every
     * helper call (frontend-x86 flushes it), and at a host fault in a block
     * the values still on it are taken from the signal context
     * (host/host-x87.h, host_x87_fault_snapshot). */
    bool host_x87;
} Backend;

/* The backend of the host vemu is built for: whichever backend-<host>/ the
 * program links defines it (backend-x86_64/backend.c). */
extern const Backend backend_host;

#endif
