/*
 * tlb.h — the soft TLB: guest virtual pages to host memory, per cpu and
 * mmu index, behind exec's memory contract (exec/backend.h BackendSoftTLB).
 *
 * Each mmu index has a direct-mapped array of SoftTLBEntry (32 bytes: the
 * read, write and code tags and the host addend) that generated code probes
 * inline, and a parallel array of what only C needs (the physical page).
 * A tag is the virtual page address with flags in its low bits; any flag
 * makes generated code's compare fail and the access take the slow path:
 *
 *   TLB_INVALID  nothing cached (an empty entry's tags are all ones)
 *   TLB_MMIO     the page is not plain host memory: a device, an unassigned
 *                hole, or RAM that does not fill the whole TLB page
 *   TLB_ROM      write tag only: writes are ignored (and logged)
 *   TLB_CODE     write tag only: the physical page holds translated code;
 *                the slow path invalidates it before storing
 *
 * Fills go through cpu->fe->mmu_translate (NULL: identity, all
 * permissions); a failed translation raises EXCP_MEM_FAULT at the guest
 * instruction (exec_raise with the slow path's host return address).
 * Everything here runs on the cpu's own thread.
 */
#ifndef VEMU_SOFTMMU_TLB_H
#define VEMU_SOFTMMU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/exec.h"
#include "memory.h"

/* 1 KiB TLB pages: the smallest ARM mapping (ARMv5 tiny pages). */
#define TLB_PAGE_BITS   10
#define TLB_PAGE_SIZE   (1u << TLB_PAGE_BITS)
#define TLB_PAGE_MASK   ((uint64_t)TLB_PAGE_SIZE - 1)
/* 2048 entries per mmu index (64 KiB; 2 MiB of guest pages reach). */
#define TLB_ENTRY_BITS  11
#define TLB_N_ENTRIES   (1u << TLB_ENTRY_BITS)

/* Flags in a tag's low bits, above the alignment bits generated code
 * keeps in the compared address (up to 8-byte alignment: bits 0..2; see
 * backend-x86_64/x86-emit-softtlb.c), so a misaligned address never equals
 * a tag. */
enum {
    TLB_INVALID = 1 << 4,
    TLB_MMIO    = 1 << 5,
    TLB_ROM     = 1 << 6,
    TLB_CODE    = 1 << 7,
};
#define TLB_FLAG_MASK ((uint64_t)0xf0)

typedef struct SoftTLBEntry {
    uint64_t read_tag, write_tag, code_tag;
    uintptr_t addend;            /* host address - guest virtual address */
} SoftTLBEntry;

_Static_assert(sizeof(SoftTLBEntry) == 32, "a soft-TLB entry is 32 bytes (BackendSoftTLB.entry_size)");

/* The layout and slow paths exec hands the backend (ExecConfig.softtlb),
 * for frontends with n_mmu_idx mmu indexes, and the interpreter's accessors
 * through the same TLB (ExecConfig.interp_mem). */
const BackendSoftTLB *tlb_backend_layout(unsigned n_mmu_idx);
extern const IRInterpMem tlb_interp_mem;

/* The system-mode ExecHostOps (code fetch through the code tag, physical
 * pcs, code pages for self-modifying code) and ExecSysOps (CPUCommon.sys). */
extern const ExecHostOps tlb_host_ops;
extern const ExecSysOps tlb_sys_ops;

/* Give cpu its TLB over pm (all entries invalid) and set cpu->sys.
 * cpu->opaque is the TLB's from now on. */
void tlb_cpu_init(CPUCommon *cpu, PhysMemory *pm);
void tlb_cpu_free(CPUCommon *cpu);
PhysMemory *tlb_cpu_phys(const CPUCommon *cpu);

/* Before the guest takes a prefetch abort (EXCP_MEM_FAULT with
 * fault_access EXEC): the block that raised it may be an old translation,
 * so ask the frontend to record the fault of that fetch as it is now; a
 * fetch that translates but reaches nothing becomes EXEC_FAULT_EXTERNAL. */
void tlb_refresh_fetch_fault(CPUCommon *cpu);

/* Drop every mapping (all mmu indexes), or those of one virtual page
 * (and, when vaddr lies in a mapping larger than a TLB page that was
 * cached, all of its mmu index); the cpu's jump cache follows. */
void tlb_flush(CPUCommon *cpu);
void tlb_flush_page(CPUCommon *cpu, uint64_t vaddr);

/* The slow paths generated code calls (BackendSoftTLB.ld_slow ...). */
uint64_t tlb_ld_slow(void *cpu, uint64_t addr, uint32_t memop, uintptr_t host_retaddr);
void tlb_st_slow(void *cpu, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_retaddr);
uint64_t tlb_cmpxchg_slow(void *cpu, uint64_t addr, uint64_t expected, uint64_t desired, uint32_t memop,
                          uintptr_t host_retaddr);

/* Statistics and tests: fills, slow-path accesses, MMIO accesses,
 * unassigned accesses, code-page invalidations by stores. */
typedef struct TLBStats {
    uint64_t fills, slow, mmio, unassigned, smc_invalidations, flushes, page_flushes;
} TLBStats;
extern TLBStats tlb_stats;

/* Called for each access to an unassigned address or a write to ROM
 * (-d guest_errors): NULL logs nothing.  is_write, physical address, size. */
/* An unassigned physical address: true (the default, as qemu-system-arm's
 * Versatile PB) raises EXCP_MEM_FAULT with EXEC_FAULT_EXTERNAL at the
 * access (the guest's external abort); false lets it complete (reads 0). */
extern bool tlb_unassigned_abort;

extern void (*tlb_guest_error)(CPUCommon *cpu, const char *what, uint64_t paddr, unsigned size, bool is_write);

/* Called for each TLB fill (-d mmu): f is the mapping the frontend's walk
 * found, NULL when the walk faulted (the guest gets the abort).  NULL: no
 * log.  Fills happen on TLB misses only, so this is the walks, not every
 * access. */
extern void (*tlb_mmu_log)(CPUCommon *cpu, uint64_t vaddr, ExecAccess acc, unsigned mmu_idx, const ExecTLBFill *f);

#endif
