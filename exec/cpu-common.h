/*
 * cpu-common.h — the part of every guest CPU state that the engine itself
 * reads.  Each frontend's CPU struct starts with a CPUCommon, so generated
 * code and the cpu loop find these fields at fixed offsets whatever the
 * guest architecture.
 */
#ifndef VEMU_CPU_COMMON_H
#define VEMU_CPU_COMMON_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

struct Frontend;
struct TBJumpCache;

/* Why the cpu loop returned to its caller.  The numbers are the engine's
 * own: linux-user maps them to signals (linux-user/cpu-loop.c), system mode
 * to the guest's exception vectors. */
enum {
    EXCP_NONE = 0,
    EXCP_SYSCALL,      /* guest system call instruction; pc already after it */
    EXCP_UDEF,         /* undefined instruction; pc at it */
    EXCP_BKPT,         /* breakpoint instruction; pc at it */
    EXCP_MEM_FAULT,    /* a data access or code fetch failed; pc at the
                          instruction, fault_addr/access/reason say how */
    EXCP_INTERRUPT,    /* exec_cpu_kick(): the owner asked (signal, flush, stop) */
    EXCP_HALT,         /* the guest stopped (system mode WFI, ...) */
    EXCP_DEBUG,        /* gdbstub single-step / breakpoint */
    EXCP_FRONTEND_BASE = 32, /* frontend-private numbers start here */
};

/* EXCP_MEM_FAULT: what the access was ... */
typedef enum ExecAccess {
    EXEC_ACCESS_READ,
    EXEC_ACCESS_WRITE,
    EXEC_ACCESS_EXEC,      /* an instruction fetch (a prefetch abort) */
} ExecAccess;

/* ... and why it failed. */
typedef enum ExecFaultReason {
    EXEC_FAULT_UNMAPPED,   /* nothing mapped there (translation fault) */
    EXEC_FAULT_PERMISSION, /* mapped, but not for this access */
    EXEC_FAULT_ALIGNMENT,  /* misaligned for an access that requires alignment */
    EXEC_FAULT_EXTERNAL,   /* mapped, but the access failed behind the mapping
                              (a file mapping past its end; a bus error) */
} ExecFaultReason;

/* exit_request bits */
enum {
    EXEC_EXIT_OWNER = 1,   /* return EXCP_INTERRUPT to the cpu's owner */
    EXEC_EXIT_IRQ   = 2,   /* look at interrupt_request, then go on */
};

/* System mode: mmu indexes a memop can name (IR_MO_MMU_MASK's 4 bits). */
#define EXEC_MMU_IDX_MAX 16

/* System mode: a guest mapping as the frontend's mmu_translate finds it. */
enum { EXEC_PROT_READ = 1, EXEC_PROT_WRITE = 2, EXEC_PROT_EXEC = 4 };
typedef struct ExecTLBFill {
    uint64_t paddr;               /* physical address of vaddr's page (of 1 << page_bits) */
    unsigned page_bits;           /* the mapping's size (ARM: 10 .. 24), for flushes */
    unsigned prot;                /* EXEC_PROT_* for the mmu index asked */
} ExecTLBFill;

/* System mode: what the machine offers a frontend (CPUCommon.sys; NULL in
 * user mode, which is how a frontend knows privileged state exists).
 * Called from helpers while generated code runs (pass the helper's
 * GETPC-style host return address where asked). */
typedef struct CPUCommon CPUCommon;
typedef struct ExecSysOps {
    /* Page-table walks and other physical reads/writes by the cpu itself. */
    bool (*phys_read)(CPUCommon *cpu, uint64_t paddr, void *buf, unsigned len);
    bool (*phys_write)(CPUCommon *cpu, uint64_t paddr, const void *buf, unsigned len);
    /* The guest changed its translation regime (TLB maintenance, TTBR,
     * DACR, SCTLR, ASID): drop cached mappings, all or of one page. */
    void (*tlb_flush)(CPUCommon *cpu);
    void (*tlb_flush_page)(CPUCommon *cpu, uint64_t vaddr);
} ExecSysOps;

struct CPUCommon {
    /* Read by generated code at each block entry (exit_check): nonzero
     * makes it leave for the loop.  EXEC_EXIT_* bits, set by signal handlers
     * and other threads (atomically), cleared by the loop. */
    volatile int32_t exit_request;
    /* Pending interrupt lines (system mode; the bits are the machine's,
     * e.g. ARM IRQ and FIQ), apart from exit_request: a kick for a flush
     * or a signal never delivers an interrupt, and clearing a kick never
     * loses one.  exec_cpu_interrupt() sets bits here and EXEC_EXIT_IRQ in
     * exit_request; the loop asks the frontend to take them. */
    volatile uint32_t interrupt_request;
    int32_t exception_index;
    volatile int32_t in_exec;     /* inside exec_cpu_run(): kicks are meant for it */
    uint64_t fault_addr;          /* EXCP_MEM_FAULT: the guest address */
    int32_t fault_access;         /* ExecAccess */
    int32_t fault_reason;         /* ExecFaultReason */
    uintptr_t guest_base;         /* user mode: host address of guest address 0 */
    struct TBJumpCache *jmp_cache;
    const struct Frontend *fe;
    void *opaque;                 /* owner's per-cpu data (linux-user task) */
    const ExecSysOps *sys;        /* system mode; NULL in user mode */
    sigjmp_buf jmp_env;           /* helpers that raise exceptions longjmp here */
    uint64_t insn_count;          /* statistics only */
    /* debugger (gdbstub): stop with EXCP_DEBUG after each instruction */
    int32_t singlestep;
    /* resuming at a breakpoint address must not stop there again at once */
    int32_t debug_skip_valid;
    uint64_t debug_skip_pc;
    /* System mode: the soft TLB's entry array of each mmu index, where
     * generated code finds it (BackendSoftTLB.table_offset; softmmu/tlb.c
     * owns the arrays).  Unused in user mode. */
    void *tlb_table[EXEC_MMU_IDX_MAX];
};

#endif
