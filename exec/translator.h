/*
 * translator.h — the engine's block translator, as frontends see it.
 *
 * exec drives the translation of a block; the frontend translates one guest
 * instruction at a time (TranslatorOps.translate_insn) and knows nothing of
 * how blocks are shaped.  Everything that is not about one instruction is
 * exec's, the same for every guest (exec/translator.c):
 *
 *   - where a block ends: the instruction budget, the guest page boundary,
 *     an instruction that changes translation state;
 *   - following direct branches: an unconditional branch to code in the
 *     block's first page continues the block there;
 *   - loop heads: when a direct branch ahead jumps back to the block's start,
 *     the block is translated as a loop (a branch to its own top, extended
 *     past conditional exits, optionally several parts: "regions");
 *   - chain slots: a block has two; further direct exits probe the jump cache;
 *   - look-ahead liveness: before a direct exit exec translates the first
 *     instructions at the target into a scratch block and finds the globals
 *     marked IR_GLOBAL_EXIT_LIVENESS (condition flags) that the target
 *     writes before it reads them; they get a `discard`, so DCE deletes
 *     their computation in this block.
 *
 * A frontend's direct jump calls tr_goto(); exec decides between following,
 * a branch inside the block, a chained exit and a jump-cache probe, and
 * asks the frontend (gen_set_pc) for the one guest-specific op of an exit.
 */
#ifndef VEMU_TRANSLATOR_H
#define VEMU_TRANSLATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu-common.h"
#include "../ir/ir.h"

typedef struct Translator Translator;

/* What translate_insn did with the instruction. */
typedef enum TrStatus {
    TR_NEXT,         /* go on with the next instruction */
    TR_END_AFTER,    /* it changed translation state: end the block after it */
    TR_EXITED,       /* it emitted its own exits: control never falls through */
    TR_STOP_BEFORE,  /* nothing emitted (code unreadable, misaligned, ...):
                        end the block before it; the next block starts there */
} TrStatus;

/* The frontend's side.  `ctx` is the frontend's own translation context,
 * ctx_size bytes that exec provides (on the stack: at most TR_CTX_MAX). */
#define TR_CTX_MAX 512

typedef struct TranslatorOps {
    size_t ctx_size;
    /* Begin a run of instructions at pc, translated for mode flags: the
     * block's start, another part of a loop region, or a look-ahead. */
    void (*run_start)(void *ctx, Translator *tr, uint64_t pc, uint64_t flags);
    /* Translate the instruction at pc (emitting its insn_start); *len is
     * its length in bytes (unless TR_STOP_BEFORE).  A direct jump calls
     * tr_goto().  Code is read with tr_code_read(). */
    TrStatus (*translate_insn)(void *ctx, uint64_t pc, unsigned *len);
    /* The block ends before pc (budget, page boundary, TR_END_AFTER,
     * TR_STOP_BEFORE): emit what leaving needs and tr_goto(pc).
     * state_changed: the last instruction returned TR_END_AFTER. */
    void (*end_block)(void *ctx, uint64_t pc, bool state_changed);
    /* Emit `pc <- dest` for an exit (the guest's pc global). */
    void (*gen_set_pc)(void *ctx, uint64_t dest);
    /* For loop-head detection, read-only (no IR): the length of the
     * instruction at pc in mode flags (0 when it cannot be read: use
     * tr_code_probe()) and, when it is a direct non-linking branch, its
     * target (*is_branch). */
    unsigned (*insn_branch)(CPUCommon *cpu, uint64_t pc, uint64_t flags, uint64_t *target, bool *is_branch);
} TranslatorOps;

/* ---- exec's services to translate_insn ---------------------------------- */

IRBlock *tr_block(const Translator *tr);
CPUCommon *tr_cpu(const Translator *tr);
/* The key of the block being translated: mode flags, pc, code segment
 * base (a direct jump stays in the block's code segment). */
uint64_t tr_block_flags(const Translator *tr);
uint64_t tr_block_pc(const Translator *tr);
uint64_t tr_block_cs_base(const Translator *tr);
/* A look-ahead translation: its IR is inspected, never run.  An unreadable
 * instruction then ends it (TR_STOP_BEFORE) rather than faulting. */
bool tr_lookahead(const Translator *tr);
/* The first instruction of this run: if it cannot be read or decoded the
 * block is a fault at it (a prefetch abort), not an empty block. */
bool tr_first_insn(const Translator *tr);

/* Read guest code.  Look-ahead reads are side-effect-free probes and stay
 * in the block's first page (a change there invalidates the block that
 * relied on them).  false: not readable as code. */
bool tr_code_read(Translator *tr, uint64_t addr, void *buf, unsigned len);
/* Side-effect-free read of code (never an MMIO read), for insn_branch. */
bool tr_code_probe(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len);

enum {
    TR_GOTO_MAY_FOLLOW    = 1 << 0,  /* unconditional: exec may continue at dest */
    TR_GOTO_FLAGS_UNKNOWN = 1 << 1,  /* dest_flags may not be what the target
                                        runs with (translation state changed):
                                        no look-ahead, no branch inside */
};
/* A direct jump to dest, which runs in mode dest_flags.  The frontend has
 * emitted everything the exit needs except the pc.  Returns true when exec
 * follows the branch (TR_GOTO_MAY_FOLLOW): emit nothing more and return
 * TR_NEXT; the next translate_insn is at dest.  Otherwise the exit (a
 * chained goto_tb, a branch inside a loop region, or a jump-cache probe)
 * has been emitted and the instruction returns TR_EXITED. */
bool tr_goto(Translator *tr, uint64_t dest, uint64_t dest_flags, unsigned how);
/* The fall-through of a conditional instruction whose taken path left the
 * block: true when the block goes on with the next instruction (loop
 * heads, a few times per block); false: the frontend ends it (end_block
 * semantics: emit its exit to the next instruction). */
bool tr_cond_exit_continue(Translator *tr);
/* Before raising EXCP_MEM_FAULT from generated code: store the fault's
 * guest address (an i64 temp), access kind and reason in the cpu state. */
void tr_gen_fault_info(IRBlock *b, IRTemp addr64, ExecAccess access, ExecFaultReason reason);

/* ---- exec's entry point (exec/translate.c) -------------------------------- */

/* Translate the block at (pc, flags) into b (initialised with the
 * frontend's globals); returns the guest bytes covered from pc.  Sets
 * b->guest_lo. */
uint32_t translator_run(const TranslatorOps *ops, IRBlock *b, CPUCommon *cpu, uint64_t pc, uint64_t cs_base,
                        uint64_t flags, unsigned max_insns, unsigned page_bits, unsigned guest_bits);

#endif
