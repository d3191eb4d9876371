/*
 * x87-fast.h — the x87 fast path (translate-x87-fast.c, docs/x87.md "The
 * host x87 fast path"): on a backend that runs the IR's x87 op
 * (Backend.host_x87), a block keeps the guest's x87 registers on the host's
 * own x87 stack and runs the guest's x87 instructions as they are.
 *
 * It applies while the guest's control word is the default 0x37F (every
 * exception masked, round to nearest, 64-bit precision: the host's own)
 * and no exception is pending.  The block key then holds TOP and which
 * registers are empty (X86_TBF_X87*), so every stack fault is known when
 * translating, and the host's stack mirrors the guest's top registers:
 * host ST(j) = guest ST(j) for j < depth.
 */
#ifndef VEMU_X87_FAST_H
#define VEMU_X87_FAST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct X87Model {
    uint8_t top;          /* the guest's TOP */
    uint8_t empty;        /* bit p: guest physical register p is empty */
    uint8_t depth;        /* guest ST(0..depth-1) are the host's ST(0..depth-1) */
    uint8_t dirty;        /* bit j: the host's ST(j) is newer than the cpu state */
    bool state_dirty;     /* the cpu state's TOP and tag word may be stale */
    uint8_t env_top, env_empty;   /* what the cpu state holds (the key's at first) */
    bool exc_live;        /* the host's status word may hold new exception flags */
    uint16_t cc_live;     /* the status-word condition bits the host's holds */
    /* FIP/FOP of the last x87 instruction, not stored yet */
    bool ptr_pending;
    uint16_t ptr_fop;
    uint64_t ptr_pc;
} X87Model;

typedef struct X87Fast {
    bool on;              /* this block runs the fast path */
    bool dynamic;         /* the x87 state changed unpredictably: leave by lookup */
    bool exit_path;       /* emitting a block exit: `saved` is the model after it */
    bool in_call;
    X87Model m, saved;
} X87Fast;

/* The insn_start word (data[2]) that lets restore_state rebuild the guest
 * registers from the host stack at a fault: 0 when nothing is on it. */
#define X87_MAP_LIVE 1ull

struct DisasContext;
struct X86Insn;
struct X86CPU;

/* Block key bits of the current x87 state (x86_get_tb_key). */
uint64_t x87_fast_tb_flags(const struct X86CPU *cpu);
/* Block start (run_start): from the key's bits. */
void x87_fast_start(struct DisasContext *s, uint64_t flags);
/* The key bits the code after this point runs with. */
uint64_t x87_fast_exit_flags(const struct DisasContext *s);
/* Before an instruction's insn_start: empty what it needs empty; returns
 * the insn_start word.  *native: translate it with x87_fast_translate. */
uint64_t x87_fast_before(struct DisasContext *s, struct X86Insn *d, bool is_x87, bool *native);
bool x87_fast_translate(struct DisasContext *s, struct X86Insn *d);
/* After a slow-path x87 instruction (helpers on the cpu state). */
void x87_fast_after_slow(struct DisasContext *s);
/* Everything back to the cpu state, the host stack empty: exits (the
 * exception flags may stay in the host's status word: readers merge them,
 * x87_sync_host_flags). */
void x87_fast_flush(struct DisasContext *s);
/* The same with the host's flags merged too: before helpers and images
 * that read the status word. */
void x87_fast_sync(struct DisasContext *s);
/* The same when leaving the block: a live C1 is given up, the exception
 * flags stay in the host's status word (x87_sync_host_flags). */
void x87_fast_leave(struct DisasContext *s);
/* An MMX instruction took the registers (EMMS: emms). */
void x87_fast_mmx(struct DisasContext *s, bool emms);
/* translate-x87.c: FNSTSW's store of the status word to m16 or AX. */
void x87_gen_store_sw(struct DisasContext *s, struct X86Insn *d, uint32_t sw);
/* restore_state: the guest's registers from the host stack of a fault. */
void x87_fast_restore(struct X86CPU *cpu, uint64_t map);

#endif
