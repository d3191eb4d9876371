/*
 * x86-internal.h — state shared by the x86_64 backend's files (private to
 * backend-x86_64/).
 *
 * Register conventions of generated code (see docs/backend-x86_64.md):
 *   rbp  the cpu state pointer, for the whole run
 *   r14  cpu->guest_base, for the whole run
 *   rsp  16-byte aligned; [rsp + 8*i] is spill slot i
 *   r11  scratch of single instructions, never allocated
 *   the other 12 registers hold temps and globals, allocated per block.
 */
#ifndef VEMU_X86_INTERNAL_H
#define VEMU_X86_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend-core.h"
#include "exec/backend.h"
#include "ir/ir.h"
#include "x86-encode.h"

#define X86_REG_CPU      X86_RBP
#define X86_REG_GBASE    X86_R14
#define X86_REG_SCRATCH  X86_R11

#define X86_SPILL_SLOTS  2048
/* Frame below the six saved registers: spill slots plus 8 bytes so that
 * rsp is 16-byte aligned (return address + 6 pushes = 56 bytes). */
#define X86_FRAME_SIZE   (X86_SPILL_SLOTS * 8 + 8)

#define X86_N_REGS       16
#define RBIT(r) ((uint16_t)(1u << (r)))
/* Registers the allocator hands out. */
#define X86_ALLOC_REGS ((uint16_t)(0xffffu & ~(RBIT(X86_RSP) | RBIT(X86_RBP) | RBIT(X86_R14) | RBIT(X86_R11))))
/* SysV caller-saved registers (clobbered by helper calls). */
#define X86_CALLER_SAVED ((uint16_t)(RBIT(X86_RAX) | RBIT(X86_RCX) | RBIT(X86_RDX) | RBIT(X86_RSI) | \
                                     RBIT(X86_RDI) | RBIT(X86_R8) | RBIT(X86_R9) | RBIT(X86_R10) | \
                                     RBIT(X86_R11)))

/* Host features the encoder may use, detected once by init(). */
typedef struct X86HostFeatures {
    bool lzcnt, bmi1;
} X86HostFeatures;

/* In cl on the way to epilogue_cl: store IR_EXCP_EXIT_REQUEST as the
 * exception first (the kind is IR_EXIT_EXCEPTION). */
#define X86_EXIT_REQUEST_FLAG 4u

/* Soft-TLB slow-path stubs: one per memop's low six bits and mmu index. */
#define X86_SOFTTLB_STUB_KEYS (16 * 64)

/* Process-wide backend state: set by init(), read while emitting blocks. */
typedef struct X86BackendState {
    BackendEnv env;
    uintptr_t epilogue_rx;   /* returns rax to entry()'s caller */
    uintptr_t epilogue_cl_rx;  /* or al, cl; then the epilogue (block exit tails) */
    uintptr_t lookup_rx;     /* shared goto_lookup fallback (x86-prologue.c) */
    uintptr_t tail_tag_rx;   /* rax = the tag a block tail's call is followed by (x86-prologue.c) */
    uintptr_t tail_pc_rx;    /* rax = BACKEND_EXIT_BY_HOST_PC | return address << 2, or 0 */
    /* The jump-cache probe of tier-0 blocks, shared (x86-prologue.c), 0
     * when absent: jumped to with the key in rax (pc), rcx (flags), rdi
     * (cs_base); probe_hash[w] hashes rax (w: with 64-bit shifts),
     * probe_entry takes the entry's offset in rdx. */
    uintptr_t probe_hash_rx[2], probe_entry_rx;
    /* System mode: the soft-TLB slow paths shared by all blocks
     * (x86-emit-softtlb.c), by x86_softtlb_stub_key(memop); 0: none (the
     * block then carries its own).  ld by the output's width (i32, i64). */
    uintptr_t softtlb_ld_rx[2][X86_SOFTTLB_STUB_KEYS];
    uintptr_t softtlb_st_rx[X86_SOFTTLB_STUB_KEYS];
    X86HostFeatures feat;
    /* rbp = cpu + cpu_bias: chosen by init() so that the frontend's
     * globals lie in [rbp - 128, rbp + 127] and their accesses take a disp8
     * (3 bytes shorter than a disp32; x86-prologue.c pick_cpu_bias). */
    int32_t cpu_bias;
} X86BackendState;

extern X86BackendState x86_state;

/* A field of the cpu state at `offset` (rbp holds cpu + cpu_bias). */
static inline X86Mem x86_cpu_mem(uint32_t offset)
{
    return x86_mem(X86_REG_CPU, (int32_t)offset - x86_state.cpu_bias);
}
/* dst = the cpu state pointer (a helper's env argument). */
static inline void x86_cpu_ptr(X86Asm *a, int dst)
{
    if (x86_state.cpu_bias)
        x86_lea(a, true, dst, x86_mem(X86_REG_CPU, -x86_state.cpu_bias));
    else
        x86_mov_rr(a, true, dst, X86_REG_CPU);
}

/* One block's code generation: the host-neutral core's context
 * (backend/backend-core.h), whose ra_* allocator the emitters use. */
typedef BackendCtx X86Ctx;

/* The x86-specific part of a block's code generation (ctx->h). */
struct BackendHostCtx {
    /* The host flags as left by the last compare x86_cmp_emit() wrote,
     * while no instruction since has changed them (flags_valid). */
    bool flags_valid;
    uint8_t flags_kind;      /* which compare instruction (X86CmpKind) */
    bool flags_w64;
    int8_t flags_ra, flags_rb;
    int32_t flags_imm;
    IRTemp flags_ta, flags_tb;
    unsigned flags_op;       /* op index that set them */
    bool flags_from_result;  /* set by an and/or/xor writing flags_ta itself */
    /* "addr_t = add addr_base, $addr_disp" not emitted: the next op is a
     * guest access through addr_t, which uses [r14 + base + disp]
     * (addr_t == IR_TEMP_NONE: nothing pending). */
    IRTemp addr_t, addr_base;
    int32_t addr_disp;
    bool addr_base_dies;     /* a local whose last use was the add */
    /* "idx_t = shl idx_src, $idx_shift" not emitted: the next op is an add
     * of idx_t, emitted as lea [other + idx_src << idx_shift]. */
    IRTemp idx_t, idx_src;
    unsigned idx_shift;
    bool idx_src_dies;       /* a local whose last use was the shl */
    /* The block's exit tail (x86-emit-block.c, "exits"): the rel32 jumps
     * to it not yet patched, its address once placed, the last rel32 jump
     * to it (a later exit nearby hops there with a jmp rel8), and whether
     * the block's last op was an exit that falls into it. */
    uint32_t *tail_fix;
    unsigned n_tail_fix, cap_tail_fix;
    uintptr_t tail_rx, tail_jmp_rx;
    bool tail_next;
    /* goto_tb in tier 0 (x86-emit-block.c goto_tb_pre_exit): the exit's
     * constant stores (ops before pre_stores_end) and its `mov cl, kind`
     * (for the exit_tb at op pre_kind_op) emitted before the jmp instead
     * of padding */
    unsigned pre_stores_end, pre_kind_op;
    /* chain slots whose unpatched jump goes to the exit tail not yet placed
     * (goto_tb_exit): jmp_reset_off set by emit_tail */
    unsigned reset_at_tail;
};

/* The memory home of a temp: a global's place in the cpu state, a local's
 * spill slot (allocated on first use). */
X86Mem ra_home(X86Ctx *c, IRTemp t);

/* ---- operand helpers ---- */
static inline bool x86_is_const(const X86Ctx *c, IRTemp t) { return c->b->temps[t].kind == IR_TEMP_CONST; }
static inline uint64_t x86_const_val(const X86Ctx *c, IRTemp t) { return c->b->temps[t].value; }
/* Is t a constant usable as a (sign-extended) imm32 of its type's width? */
static inline bool x86_imm_of(const X86Ctx *c, IRTemp t, int32_t *imm)
{
    const IRTempInfo *ti = &c->b->temps[t];
    if (ti->kind != IR_TEMP_CONST)
        return false;
    if (ti->type == IR_I32 || (int64_t)ti->value == (int32_t)ti->value) {
        *imm = (int32_t)ti->value;
        return true;
    }
    return false;
}

/* ---- per-op code ---- */
/* x86-emit-alu.c: value ops (arithmetic, logic, shifts, bitfields,
 * comparisons).  Returns false for an op it does not handle. */
bool x86_emit_alu(X86Ctx *c, const IROp *op);
/* May op (a shl by 1..3) be left out and folded into the next op (an add)
 * as a scaled index? */
bool x86_defer_scaled_shift(X86Ctx *c, const IROp *op, const IROp *next);
/* Comparison operands, loaded before any flag-setting instruction. */
typedef struct X86Cmp {
    IRCond cond;
    bool w64, bimm;
    int ra, rb;
    int32_t imm;
    IRTemp ta, tb;           /* the IR operands (after swapping a constant right) */
} X86Cmp;
/* Returns false when the outcome is known at translation time (*known). */
bool x86_cmp_prep(X86Ctx *c, IRCond cond, IRTemp a, IRTemp b, X86Cmp *k, bool *known);
X86Cond x86_cmp_emit(X86Ctx *c, const X86Cmp *k);
/* Would x86_cmp_emit() emit nothing because the flags are already set? */
bool x86_cmp_flags_live(const X86Ctx *c, const X86Cmp *k);
/* x86-emit-fp.c: the floating-point ops (fadd ... fcvtz_f64_s32) with SSE2. */
bool x86_emit_fp(X86Ctx *c, const IROp *op);
/* x86-emit-mem.c: guest address temp addr as a host operand [gbase + addr]
 * (direct guest memory; not with the soft TLB). */
X86Mem x86_guest_mem(X86Ctx *c, IRTemp addr, uint16_t allowed);
/* x86-emit-x87.c: the x87 ops as the host's own instructions. */
bool x86_emit_x87(X86Ctx *c, const IROp *op);
/* x86-emit-mem.c: ld, st, cmpxchg, mb, ld_env, st_env. */
bool x86_emit_mem(X86Ctx *c, const IROp *op);
/* x86-emit-mem.c: a memop's alignment check of guest address register r
 * (w: 64-bit), calling raise_unaligned when a bit of mask is set. */
void x86_emit_align_test(X86Ctx *c, int r, bool w, unsigned mask);
/* x86-emit-softtlb.c: ld, st, cmpxchg through the soft TLB (system mode,
 * BACKEND_MEM_SOFTTLB): an inline probe and a slow-path call. */
void x86_softtlb_ld(X86Ctx *c, const IROp *op);
void x86_softtlb_st(X86Ctx *c, const IROp *op);
void x86_softtlb_cmpxchg(X86Ctx *c, const IROp *op);
/* Can the probe be generated for this layout (x86-emit-softtlb.c)? */
bool x86_softtlb_layout_ok(const BackendMem *mem);
/* Emit the shared slow-path stubs (x86_init, system mode). */
void x86_softtlb_emit_stubs(X86Asm *a, const BackendEnv *env);
static inline bool x86_mem_softtlb(void) { return x86_state.env.mem.kind == BACKEND_MEM_SOFTTLB; }
/* May op (an add) be left out and folded into the next op's guest address? */
bool x86_defer_address_add(X86Ctx *c, const IROp *op, const IROp *next);
/* x86-emit-block.c: the host table the core drives (compares and jumps,
 * calls, exits, the jump-cache probe, host-flag tracking). */
extern const BackendHost x86_host;

/* ---- prologue, epilogue, chaining (x86-prologue.c) ---- */
uintptr_t x86_init(CodeBuf *cb, const BackendEnv *env);
void x86_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target);
uint64_t x86_code_signature(void);

#endif
