/*
 * exec.h — the translation cache and the cpu loop.
 *
 * The owner of a cpu (linux-user, softmmu) calls exec_cpu_run() and gets
 * back an EXCP_* number each time something needs its attention (a system
 * call, a fault, an interrupt request).  In between, exec finds or
 * translates blocks (frontend -> IR -> passes -> backend), chains direct
 * exits, and runs them.
 */
#ifndef VEMU_EXEC_H
#define VEMU_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "backend.h"
#include "cpu-common.h"
#include "frontend.h"

/* What the cpu's owner tells exec about guest memory. */
typedef struct ExecHostOps {
    /* Copy guest code bytes; false when not mapped executable. */
    bool (*code_fetch)(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len);
    /* The same without side effects (no page protection, never an MMIO
     * read): for look-ahead, which may read code that is never run. */
    bool (*code_probe)(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len);
    /* System mode: the physical address of guest code at virtual address
     * vaddr in cpu's current address space (false: not mapped).  NULL in
     * user mode, where the two are the same.  Blocks are keyed and
     * invalidated by physical page. */
    bool (*code_phys_addr)(CPUCommon *cpu, uint64_t vaddr, uint64_t *paddr);
    /* A (physical) guest page now holds translated code: the owner
     * arranges to call exec_invalidate_range() before the page changes
     * (user mode: it write-protects the page and catches the fault; system
     * mode: the soft TLB sends stores to it through the slow path). */
    void (*code_page_added)(uint64_t page_addr);
} ExecHostOps;

typedef struct ExecConfig {
    const Frontend *fe;
    const Backend *be;           /* NULL: run blocks in the IR interpreter */
    const ExecHostOps *host;
    size_t code_buffer_size;     /* 0: default (64 MiB) */
    unsigned max_block_insns;    /* 0: default */
    unsigned guest_page_bits;    /* 12 for 4 KiB guest pages */
    bool optimize;               /* run the IR passes (default on) */
    bool precise_state;          /* exact guest state at every block boundary
                                    (no liveness across blocks): debugging */
    /* System mode (NULL in user mode): the soft TLB generated code probes
     * (BackendEnv.mem = BACKEND_MEM_SOFTTLB with this layout) and the
     * interpreter's guest accesses through the same TLB.  Its owner must
     * not enable the persistent translation cache. */
    const BackendSoftTLB *softtlb;
    const IRInterpMem *interp_mem;
    int tier_threshold;          /* entries of a first-tier block before it is
                                    translated again with the full optimiser;
                                    0: default, < 0: one tier (always full) */
} ExecConfig;

int exec_init(const ExecConfig *cfg);
bool exec_has_backend(void);     /* false in interpreter mode */
/* The backend runs the IR's x87 op on the host's x87 (Backend.host_x87). */
bool exec_backend_host_x87(void);

/* A fresh cpu state (frontend's cpu_size bytes, reset) with its jump cache. */
CPUCommon *exec_cpu_new(void);
void exec_cpu_free(CPUCommon *cpu);

/* Run translated code until something needs the owner; returns EXCP_*. */
int exec_cpu_run(CPUCommon *cpu);

/* Leave generated code with EXCP_INTERRUPT at the next block boundary
 * (async-signal-safe). */
static inline void exec_cpu_kick(CPUCommon *cpu)
{
    __atomic_or_fetch(&cpu->exit_request, EXEC_EXIT_OWNER, __ATOMIC_SEQ_CST);
}

/* Interrupt lines `mask` of cpu are pending (any thread; async-signal-safe):
 * generated code leaves at its next exit_check and the loop asks the
 * frontend (Frontend.exec_interrupt) to take one, without returning to the
 * owner.  exec_cpu_reset_interrupt(): the lines went low again. */
static inline void exec_cpu_interrupt(CPUCommon *cpu, uint32_t mask)
{
    __atomic_or_fetch(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    __atomic_or_fetch(&cpu->exit_request, EXEC_EXIT_IRQ, __ATOMIC_SEQ_CST);
}
static inline void exec_cpu_reset_interrupt(CPUCommon *cpu, uint32_t mask)
{
    __atomic_and_fetch(&cpu->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

/* Raise a guest exception from a helper or from the host fault handler
 * while generated code runs: restores the guest pc of the instruction
 * at host_pc (0: the cpu state is already precise) and longjmps to the
 * loop.  Never returns. */
_Noreturn void exec_raise(CPUCommon *cpu, int excp, uintptr_t host_pc);

/* Self-modifying code: a store at host_pc of generated code has written
 * guest_addr, in a page whose translations the owner has just invalidated
 * (user mode: the write-protection fault of a page holding code).  If
 * guest_addr is code of the block that is running there, the rest of that
 * block is stale: this restores the state of the storing instruction, makes
 * the next block translated on this thread one instruction long (the store
 * then completes in a block that ends after it, and the code after it is
 * translated from the new bytes) and returns true; the owner then leaves
 * with exec_raise(cpu, EXCP_INTERRUPT, 0).  False: the store may complete
 * and the block go on. */
bool exec_smc_store(CPUCommon *cpu, uintptr_t host_pc, uint64_t guest_addr);

/* Is host_pc inside generated code?  If so, set cpu's guest pc to the
 * guest instruction containing it and return true. */
bool exec_restore_state(CPUCommon *cpu, uintptr_t host_pc);
bool exec_host_pc_in_code(uintptr_t host_pc);

/* The cpu this thread is running in exec_cpu_run() (for signal handlers). */
CPUCommon *exec_current_cpu(void);
/* Make cpu this thread's current one again (after a vfork child, which ran
 * with this thread's thread-local variables, is gone). */
void exec_set_current_cpu(CPUCommon *cpu);

/* cpu's virtual-to-physical mapping changed (system mode: a TLB flush,
 * an address-space switch): forget its jump cache, which is by virtual pc. */
void exec_cpu_flush_jmp_cache(CPUCommon *cpu);
/* The same for the entries of virtual pcs in [start, end) only (a flush of
 * one page's mapping). */
void exec_cpu_flush_jmp_cache_range(CPUCommon *cpu, uint64_t start, uint64_t end);

/* Guest code in [start, end) changed or was unmapped: drop its translations.
 * Addresses are physical (user mode: guest addresses). */
void exec_invalidate_range(uint64_t start, uint64_t end);
/* The same, then then(opaque) before any thread may translate again (it
 * runs under the engine lock: it must not call back into exec). */
void exec_invalidate_range_then(uint64_t start, uint64_t end, void (*then)(void *), void *opaque);
bool exec_page_has_code(uint64_t page_addr);
/* The same inside an exec_invalidate_range_then() callback. */
bool exec_page_has_code_locked(uint64_t page_addr);
void exec_flush_all(void);

/* Forking a process that runs guest code, in three steps around the host
 * fork():
 *   exec_fork_prepare()   takes the engine lock (no thread translates,
 *                         chains or invalidates until the fork is over) and
 *                         snapshots the code buffer; 0 or -errno (then the
 *                         fork must not happen and nothing is held);
 *   exec_fork_parent()    in the parent (also when fork failed): releases;
 *   exec_fork_child(self) in the child: adopts the snapshot as its own code
 *                         buffer, starts the locks afresh and forgets the
 *                         cpus of threads that did not come along; `self`
 *                         is the forking thread's cpu.  0 or -1.
 * So the child's code buffer is exactly what its block tables describe,
 * whatever other threads of the parent were doing. */
int exec_fork_prepare(void);
void exec_fork_parent(void);
int exec_fork_child(CPUCommon *self);

/* ---- debugging (gdbstub) -----------------------------------------------
 * While any breakpoint or single-step is active, blocks hold one guest
 * instruction and are not chained, so the loop sees every instruction:
 * exec_cpu_run() returns EXCP_DEBUG before an instruction at a breakpoint
 * and after each instruction of a single-stepping cpu.  Slow, and only
 * while a debugger asks for it. */
int exec_breakpoint_insert(uint64_t pc);   /* 0, or -1 when the table is full */
int exec_breakpoint_remove(uint64_t pc);   /* 0, or -1 when there was none */
void exec_breakpoint_remove_all(void);
void exec_cpu_set_singlestep(CPUCommon *cpu, bool on);

/* ---- logging (-d, -D) ------------------------------------------------- */

enum {
    LOG_IN_ASM  = 1 << 0,   /* guest instructions per translated block */
    LOG_OP      = 1 << 1,   /* IR before optimisation */
    LOG_OP_OPT  = 1 << 2,   /* IR after optimisation */
    LOG_OUT_ASM = 1 << 3,   /* host code, interleaved with guest insns */
    LOG_EXEC    = 1 << 4,   /* each block executed */
    LOG_CPU     = 1 << 5,   /* cpu state before each block */
    LOG_UNIMP   = 1 << 6,   /* unimplemented syscalls and features */
    LOG_STRACE  = 1 << 7,
    LOG_INT     = 1 << 8,   /* exceptions and signals */
    LOG_NOCHAIN = 1 << 9,   /* do not chain blocks (debugging) */
    LOG_STATS   = 1 << 10,  /* translation statistics at exit */
};
extern unsigned exec_log_mask;
extern FILE *exec_log_file;      /* stderr unless -D */
/* Parse "in_asm,op,..." into a mask; -1 on an unknown item (message on stderr).
 * "help" lists the items and returns -2. */
int exec_log_parse(const char *spec);
int exec_log_set_file(const char *path);
#define exec_log_enabled(m) (exec_log_mask & (m))
void exec_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The process is about to end: print statistics if asked, flush the log. */
void exec_log_at_exit(void);

/* ---- statistics (make bench, -d stats) --------------------------------- */
typedef struct ExecStats {
    uint64_t blocks_translated, guest_insns_translated;
    uint64_t host_bytes;            /* generated code of those blocks */
    uint64_t tier0_blocks, promotions;  /* first-tier blocks, and those made hot */
    uint64_t translate_ns;
    uint64_t loop_lookups, code_lookups, code_lookup_misses, chains_made, flushes, invalidations;
    /* the persistent translation cache (tb-persist.h) */
    bool persist_on;
    uint64_t persist_hits, persist_misses, persist_moved, persist_rejected, persist_bad_files;
    uint64_t persist_saved, persist_unsaveable;
    uint64_t persist_far;           /* misses: a reference out of reach from where the block would go */
    uint64_t persist_load_ns;       /* finding, checking and placing loaded blocks */
    uint64_t persist_save_ns;       /* collecting, merging and writing saved blocks */
} ExecStats;
extern ExecStats exec_stats;
void exec_stats_print(FILE *out);
/* With -d stats and a stats file (VEMU_STATS_FILE, set by the caller and
 * inherited by every process of a workload): each process appends its own
 * statistics there, at exit and before it execs, so a tool can sum them
 * over a whole process tree.  NULL: -d stats prints to the log at exit. */
extern const char *exec_stats_file;
/* Append this process's statistics to exec_stats_file (if set and -d stats
 * is on) and zero them, so that what follows (an exec that fails, the
 * child of a fork) is counted once. */
void exec_stats_report(void);

#endif
