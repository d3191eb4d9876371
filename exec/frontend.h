/*
 * frontend.h — what a guest architecture provides to the engine.
 *
 * A frontend decodes guest instructions into IR, one at a time, for exec's
 * block translator (translator.h), which shapes the blocks.  It does not
 * know whether it runs in user or system mode: it reads code through the
 * translator and reports faults and system calls by raising EXCP_* numbers.
 */
#ifndef VEMU_FRONTEND_H
#define VEMU_FRONTEND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu-common.h"
#include "../ir/ir.h"

/* A register of the guest's core set as debuggers and logs name it: the
 * gdbstub builds its core target description and register access from
 * these, the frontend names its IR globals after them. */
typedef struct FrontendReg {
    const char *name;
    uint32_t offset;      /* in the CPU state */
    uint8_t bits;         /* 32 or 64 */
    const char *gdb_type; /* in gdb's target description: "int", "data_ptr", "code_ptr" */
} FrontendReg;

typedef struct Frontend {
    const char *name;            /* "arm", "i386", "x86_64" */
    unsigned guest_bits;         /* 32 or 64: width of guest addresses */
    size_t cpu_size;             /* sizeof the CPU state struct */
    const IRGlobalSet *globals;  /* valid after init() */

    void (*init)(void);          /* declare globals, build tables; idempotent */
    void (*cpu_reset)(CPUCommon *cpu);

    uint64_t (*get_pc)(const CPUCommon *cpu);
    void (*set_pc)(CPUCommon *cpu, uint64_t pc);
    /* At a fault (or a raise from a helper) in guest instruction i of a
     * block: rebuild the state the instruction started with from the
     * IR_INSN_DATA_WORDS words of its insn_start, data[0] being its pc.
     * NULL: set_pc(data[0]) is enough (the frontend records nothing else). */
    void (*restore_state)(CPUCommon *cpu, const uint64_t *data);
    /* System mode: interrupt lines `pending` (CPUCommon.interrupt_request)
     * are raised.  Take one if the guest's state allows it (enter its
     * handler: pc, mode) and return true; false when all are masked.  A
     * frontend ends its block after every instruction that may unmask
     * interrupts (TR_END_AFTER), so the loop asks again.  NULL: the guest
     * has no interrupts (user mode). */
    bool (*exec_interrupt)(CPUCommon *cpu, uint32_t pending);
    /* System mode (NULL in user mode; exec's system owner, softmmu, calls
     * them).  mmu_translate: where the guest's page tables put vaddr for
     * access at mmu_idx.  True: *out says (the physical page, its size and
     * what mmu_idx may do there).  False: a guest fault; the frontend has
     * recorded it (cpu->fault_addr/access/reason and its own fault status
     * registers' values) for do_exception.  Reads page tables through
     * cpu->sys->phys_read.  mmu_translate NULL: physical = virtual, all
     * permissions. */
    bool (*mmu_translate)(CPUCommon *cpu, uint64_t vaddr, ExecAccess access, int mmu_idx,
                          struct ExecTLBFill *out);
    /* Enter the guest's handler for excp, as exec_cpu_run() returned it
     * (EXCP_SYSCALL, EXCP_UDEF, EXCP_BKPT, EXCP_MEM_FAULT, or one of the
     * frontend's own numbers): the guest's vectors take it. */
    void (*do_exception)(CPUCommon *cpu, int excp);
    unsigned n_mmu_idx;          /* mmu indexes its memops use (system mode) */
    /* System mode: the mmu index of cpu's code fetches (and ordinary data
     * accesses) in its current state, e.g. ARM's privileged or user index.
     * NULL: 0. */
    int (*cpu_mmu_index)(const CPUCommon *cpu);

    /* The translation-cache key of the code cpu runs next: its pc, the
     * code segment base (x86; 0 for guests without one) and the mode bits
     * that change how code decodes or what translation may assume (Thumb,
     * ITSTATE, the VFP mode, ...).  exec adds the physical page. */
    void (*get_tb_key)(const CPUCommon *cpu, uint64_t *pc, uint64_t *cs_base, uint64_t *flags);

    /* Translating: exec's block translator (exec/translator.h) calls these
     * hooks to translate one instruction at a time. */
    const struct TranslatorOps *translator;

    /* For logs: capstone arch/mode for code translated with these flags. */
    void (*disas_mode)(uint64_t flags, int *cs_arch, int *cs_mode);

    void (*dump_state)(const CPUCommon *cpu, FILE *out);

    const FrontendReg *regs;     /* the core registers (gdbstub, logs, IR names) */
    unsigned n_regs;
} Frontend;

/* Provided by exec for frontends: read guest code.  Returns false (and
 * fills nothing) when the bytes are not mapped executable. */
bool exec_code_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len);

/* Translate the block at (pc, flags) with fe into b (initialised with fe's
 * globals) as exec does, at most max_insns instructions (0: the default);
 * returns the guest bytes covered.  For tests and tools. */
uint32_t frontend_translate(const Frontend *fe, IRBlock *b, CPUCommon *cpu, uint64_t pc, uint64_t flags,
                            unsigned max_insns);

#endif
