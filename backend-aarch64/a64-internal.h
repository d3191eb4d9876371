/*
 * a64-internal.h — state shared by the aarch64 backend's files (private to
 * backend-aarch64/).
 *
 * Register conventions of generated code (docs/backend-aarch64.md):
 *   x19  the cpu state pointer, for the whole run
 *   x20  cpu->guest_base (user mode), for the whole run
 *   x21  reserved for the memory path (system mode: free for the soft-TLB
 *        probe's use; never allocated)
 *   x16, x17  scratch of single emitters (IP0/IP1), never allocated; x16
 *        also carries far branch targets (LDR x16, literal; BR x16)
 *   x18  the platform register: never touched
 *   x29, x30  frame pointer and link register, saved by the prologue
 *   sp   16-byte aligned; [sp + 8*i] is spill slot i
 *   the other 23 (x0..x15, x22..x28) hold temps and globals, allocated
 *   per block; x0..x15 are caller-saved (AAPCS64), x22..x28 callee-saved.
 *   i32 values: a register holding an i32 temp has its upper 32 bits
 *   clear (every W-form instruction writes them so), as on x86_64: i32 ops
 *   use W forms, extu_i32_i64 is at most a copy, LDR Wt and MOV Wd fit,
 *   and a 64-bit use of an i32 register (a guest address, UXTW) may rely
 *   on it.  Helpers returning an i32 in w0 do not promise it (AAPCS64):
 *   call_emit zero-extends.
 *   FP/SIMD registers hold no temps: the float emitters use v0..v7 and
 *   v16..v31 as scratch inside one op (floats live in integer temps as
 *   bit patterns, docs/ir.md); v8..v15 (callee-saved) are never used.
 *
 * Host condition codes given to the core (BackendHost.compare, jump,
 * jump_fwd, invert_cond): 0..15 are A64Cond; A64_CC_CBZ/CBNZ(reg, sf) are
 * "register is zero / not zero" (compare-and-branch fusion: CBZ/CBNZ), and
 * A64_CC_TBZ/TBNZ(reg, bit) "bit is clear / set" (TBZ/TBNZ).  The register
 * is read by the jump itself, which the core emits right after compare().
 */
#ifndef VEMU_A64_INTERNAL_H
#define VEMU_A64_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "a64-encode.h"
#include "backend/backend-core.h"
#include "exec/backend.h"
#include "ir/ir.h"

#define A64_REG_CPU      A64_X19
#define A64_REG_GBASE    A64_X20
#define A64_REG_MEM      A64_X21
#define A64_REG_TMP      A64_X16   /* scratch 0 */
#define A64_REG_TMP2     A64_X17   /* scratch 1 */

#define A64_SPILL_SLOTS  2048
#define A64_FRAME_SIZE   (A64_SPILL_SLOTS * 8)   /* below the saved registers */
#define A64_B_REACH      ((size_t)128 << 20)     /* B/BL: +-128 MiB */
#define A64_EXIT_KINDS   4                       /* IR_EXIT_CHAIN0 .. IR_EXIT_EXCEPTION */
#define A64_N_REGS       31

#define A64_RBIT(r) ((BackendRegSet)1 << (r))
#define A64_CALLER_SAVED ((BackendRegSet)0x3ffff)            /* x0..x17 */
#define A64_ALLOC_REGS   (((BackendRegSet)0xffff) | A64_RBIT(A64_X22) | A64_RBIT(A64_X23) | \
                          A64_RBIT(A64_X24) | A64_RBIT(A64_X25) | A64_RBIT(A64_X26) |   \
                          A64_RBIT(A64_X27) | A64_RBIT(A64_X28))

/* Pseudo condition codes (see the top of the file): the kind in bits
 * 12..15, the register in bits 0..4, and the bit number (TBZ/TBNZ, 0..63)
 * or sf (CBZ/CBNZ, 0/1) in bits 5..10.  Inverting one flips CBZ<->CBNZ,
 * TBZ<->TBNZ: a64_cc_invert. */
#define A64_CC_CBZ(reg, sf)   (0x1000 | ((sf) ? 0x20 : 0) | (reg))
#define A64_CC_CBNZ(reg, sf)  (0x2000 | ((sf) ? 0x20 : 0) | (reg))
#define A64_CC_TBZ(reg, bit)  (0x4000 | ((bit) << 5) | (reg))
#define A64_CC_TBNZ(reg, bit) (0x8000 | ((bit) << 5) | (reg))
static inline bool a64_cc_is_plain(int cc) { return cc >= 0 && cc < 16; }
static inline bool a64_cc_is_cbz(int cc) { return cc >= 0 && (cc & 0x3000); }    /* CBZ or CBNZ */
static inline bool a64_cc_is_tbz(int cc) { return cc >= 0 && (cc & 0xc000); }    /* TBZ or TBNZ */
static inline bool a64_cc_nonzero(int cc) { return (cc & 0xa000) != 0; }         /* CBNZ / TBNZ */
static inline int a64_cc_reg(int cc) { return cc & 31; }
static inline bool a64_cc_sf(int cc) { return (cc & 0x20) != 0; }                /* CBZ/CBNZ */
static inline unsigned a64_cc_bit(int cc) { return (unsigned)(cc >> 5) & 63; }   /* TBZ/TBNZ */
static inline int a64_cc_invert(int cc)
{
    if (a64_cc_is_plain(cc))
        return cc ^ 1;
    if (a64_cc_is_cbz(cc))
        return cc ^ 0x3000;
    return cc ^ 0xc000;
}

/* Process-wide backend state: set by init(), read while emitting blocks. */
typedef struct A64BackendState {
    BackendEnv env;
    uintptr_t epilogue_rx;     /* returns x0 to entry()'s caller */
    uintptr_t lookup_rx;       /* shared goto_lookup fallback */
    /* System mode: the soft-TLB slow paths shared by all blocks
     * (a64-emit-softtlb.c), 0 when absent: loads by the output's width
     * (i32, i64), stores. */
    uintptr_t softtlb_ld_rx[2], softtlb_st_rx;
    bool lse;                  /* the host has ARMv8.1 atomics (CAS) */
    /* a64-prologue.c / a64-emit-block.c: the code buffer is larger than
     * B reaches, so goto_tb emits a veneer per slot (a64_patch_jump) */
    bool far_chain;
    /* BackendEnv.exits_by_host_pc: the shared exit tails per kind, 0 when absent */
    uintptr_t exit_pc_rx[A64_EXIT_KINDS];
    uintptr_t exit_request_rx;      /* stores IR_EXCP_EXIT_REQUEST, then exit_pc_rx[EXCEPTION] */
    /* the shared jump-cache probe of tier-0 blocks, 0 when absent */
    uintptr_t probe_hash_rx, probe_entry_rx;
} A64BackendState;

extern A64BackendState a64_state;

static inline bool a64_mem_softtlb(void) { return a64_state.env.mem.kind == BACKEND_MEM_SOFTTLB; }

/* The aarch64-specific part of a block's code generation (ctx->h).  Each
 * emitter file owns the fields under its name. */
struct BackendHostCtx {
    /* a64-emit-block.c: exits */
    unsigned n_exits;
    /* a64-emit-mem.c: "addr_t = add addr_base, $addr_disp" left out and
     * folded into the next guest access (addr_t == IR_TEMP_NONE: none) */
    IRTemp addr_t, addr_base;
    int32_t addr_disp;
    bool addr_base_dies;
    /* a64-emit-alu.c: "sh_t = shl/shr/sar/rotr sh_src, $sh_amount" (op
     * sh_op of block sh_block) left out and folded into the next op as its
     * shifted register operand (a64_defer_shift); pending only at op
     * sh_op + 1 of the same block, so no reset is needed */
    const IRBlock *sh_block;
    unsigned sh_op;
    IRTemp sh_t, sh_src;
    uint8_t sh_type, sh_amount;
    bool sh_src_dies;
    /* a64-emit-alu.c: the host flags hold "CMP/TST fl_a, fl_b" (fl_w:
     * 64-bit, fl_tst: TST), set at op fl_op of block fl_block; a later
     * compare of the same operands reuses them when only ops that leave
     * the flags and both temps alone lie in between (flags_hold) */
    const IRBlock *fl_block;
    unsigned fl_op;
    IRTemp fl_a, fl_b;
    bool fl_w, fl_tst;
};

/* ---- operand helpers (a64-emit-block.c unless inline) ---- */
static inline bool a64_is_const(const BackendCtx *c, IRTemp t) { return c->b->temps[t].kind == IR_TEMP_CONST; }
static inline uint64_t a64_const_val(const BackendCtx *c, IRTemp t) { return c->b->temps[t].value; }
static inline bool a64_is_w64(const BackendCtx *c, IRTemp t) { return c->b->temps[t].type == IR_I64; }
/* t in any allocatable register, locked for the op. */
static inline int a64_in(BackendCtx *c, IRTemp t) { return ra_load(c, t, A64_ALLOC_REGS); }
/* A register for output temp out (bind it with ra_bind afterwards). */
static inline int a64_out(BackendCtx *c, IRTemp out) { return ra_out(c, out, A64_ALLOC_REGS); }

/* A load or store of `1 << log2size` bytes between rt and the cpu state at
 * `offset` (any value: far offsets go through A64_REG_TMP2). */
void a64_cpu_ldst(BackendCtx *c, A64LdSt op, unsigned log2size, int rt, int64_t offset);
/* The same for an FP/SIMD register (log2size 2 = S, 3 = D, 4 = Q). */
void a64_cpu_fp_ldst(BackendCtx *c, bool load, unsigned log2size, int vt, int64_t offset);
/* rd = the cpu state pointer + offset. */
void a64_cpu_addr(BackendCtx *c, int rd, int64_t offset);
/* Call host function fn (BL when in reach, else its address in x16 and
 * BLR x16), recording what the persistent cache needs. */
void a64_call(BackendCtx *c, uintptr_t fn);

/* ---- per-op code ---- */
/* a64-emit-alu.c: the integer value ops (mov, arithmetic, logic, shifts,
 * divisions, multiplies, bit counts, extensions, bitfields, width changes,
 * setcond, movcond).  False: not one of those. */
bool a64_emit_alu(BackendCtx *c, const IROp *op);
/* a64-emit-alu.c: BackendHost.compare (brcond): a host condition (above)
 * or BACKEND_CC_ALWAYS/NEVER. */
int a64_compare(BackendCtx *c, IRCond cond, IRTemp a, IRTemp b);
/* a64-emit-alu.c: may op (a shift by a constant) be left out and become
 * the shifted register operand of `next` (add/sub/and/or/xor/andc)?  To
 * be asked at every op (BackendHost.fold_op, through a64_fold_op). */
bool a64_defer_shift(BackendCtx *c, const IROp *op, const IROp *next);
/* a64-emit-mem.c: ld, st, cmpxchg, mb, ld_env, st_env (user mode, or the
 * soft-TLB emitters in system mode). */
bool a64_emit_mem(BackendCtx *c, const IROp *op);
/* a64-emit-mem.c: may op (an add) be left out and folded into the next
 * op's guest address?  (BackendHost.fold_op) */
bool a64_fold_op(BackendCtx *c, const IROp *op, const IROp *next);
/* a64-emit-mem.c: a memop's alignment check of guest address register r
 * (w: 64-bit), calling raise_unaligned when a bit of mask is set. */
void a64_emit_align_test(BackendCtx *c, int r, bool w, unsigned mask);
/* a64-emit-mem.c: pieces shared with the soft-TLB path.  The CAS at host
 * address x16 (x17 = old value; rs: status register without LSE); rd =
 * the low `size` bytes of rn reversed (a64_swap_reg); rd = raw value rs
 * swapped and/or sign-extended for a w (i64) output (a64_finish_value). */
void a64_emit_cas(BackendCtx *c, unsigned log2size, int re, int rn, int rs);
void a64_swap_reg(BackendCtx *c, unsigned size, bool w, int rd, int rn);
void a64_finish_value(BackendCtx *c, unsigned size, bool w, bool sign, bool swap, int rd, int rs);
unsigned a64_log2_size(unsigned size);
/* a64-emit-fp.c: the floating-point ops under the neutral float rule. */
bool a64_emit_fp(BackendCtx *c, const IROp *op);
/* a64-emit-fp.c: an inline slow path's register frame (the FP fallback,
 * the soft-TLB probe's miss): the caller-saved x0..x15 holding a value
 * (bound or locked) are stored in pairs below sp, restored by pop. */
typedef struct A64SlowFrame {
    int8_t regs[16];
    unsigned n;                /* an even count (A64_ZR pads) */
    uint32_t size;             /* bytes below the old sp */
} A64SlowFrame;
void a64_frame_push(BackendCtx *c, A64SlowFrame *f);
void a64_frame_pop(BackendCtx *c, const A64SlowFrame *f);
/* [sp + result] holds register r's saved value, or -1 (not saved). */
int32_t a64_frame_slot(const A64SlowFrame *f, int r);
/* dst = the value register src held when the frame was pushed. */
void a64_frame_arg(BackendCtx *c, const A64SlowFrame *f, int dst, int src);
/* a64-emit-softtlb.c: ld, st, cmpxchg through the soft TLB. */
void a64_softtlb_ld(BackendCtx *c, const IROp *op);
void a64_softtlb_st(BackendCtx *c, const IROp *op);
void a64_softtlb_cmpxchg(BackendCtx *c, const IROp *op);
bool a64_softtlb_layout_ok(const BackendMem *mem);
void a64_softtlb_emit_stubs(BackendAsm *a, const BackendEnv *env);

/* ---- the host table, prologue, chaining (a64-emit-block.c, a64-prologue.c) ---- */
extern const BackendHost a64_host;
uintptr_t a64_init(CodeBuf *cb, const BackendEnv *env);
void a64_patch_jump(CodeBuf *cb, uintptr_t jmp_addr, uintptr_t target);
uint64_t a64_code_signature(void);

#endif
