/*
 * tlb.c — the soft TLB (softmmu/tlb.h): fills through the frontend's page
 * walk, the slow paths generated code and the interpreter call, code
 * fetches, and the "has translations" bits that catch self-modifying code.
 *
 * The fast path (generated code, or tlb_interp_mem here) compares a tag and
 * adds the addend.  Everything else comes here with the host return address
 * of the access, so a fault is raised at the exact guest instruction:
 * a miss (fill, maybe a guest fault), an access crossing a TLB page (split
 * into bytes after checking both pages), a device or an unassigned address
 * (under the machine lock), a write to ROM (ignored) and a store to a page
 * holding translations (exec_invalidate_range on the physical bytes first).
 *
 * Mappings larger than a TLB page (ARM 4 KiB .. 64 KiB pages, 1 MiB
 * sections, 16 MiB supersections) are cached one TLB page at a time, so a
 * flush of one virtual page must find every TLB page of its mapping: pages
 * up to 64 KiB are flushed TLB page by TLB page (the largest such size seen
 * per mmu index), larger ones are remembered as one range per mmu index that
 * a page flush inside it turns into a flush of the whole index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "ir/ir-eval.h"
#include "tlb.h"

#define INVALID_TAG UINT64_MAX
/* Mappings up to this size are flushed page by page; larger: the range. */
#define SMALL_MAP_BITS 16
/* exec's guest_page_bits in system mode (cpus.c sets it): the unit of
 * translated-code tracking. */
#define CODE_PAGE_BITS 12
/* Fills remembered per mmu index between flushes (SysTLB.filled). */
#define TLB_FILL_LOG 512

typedef struct TLBFull {
    uint64_t paddr;              /* physical address of the TLB page */
    uint32_t prot;
} TLBFull;

typedef struct SysTLB {
    PhysMemory *pm;
    unsigned n_mmu;
    SoftTLBEntry *e[EXEC_MMU_IDX_MAX];
    TLBFull *full[EXEC_MMU_IDX_MAX];
    uint64_t large_addr[EXEC_MMU_IDX_MAX], large_mask[EXEC_MMU_IDX_MAX];  /* mask 0: none */
    unsigned small_bits[EXEC_MMU_IDX_MAX];   /* largest mapping <= SMALL_MAP_BITS cached */
    uint64_t addr_mask;          /* guest addresses wrap here (32-bit guests) */
    /* Entries filled since the last flush of each mmu index, so that a
     * flush (every context switch of an ARMv5 guest) rewrites those, not
     * the whole table; beyond TLB_FILL_LOG only counted (flush: all). */
    unsigned n_filled[EXEC_MMU_IDX_MAX];
    uint16_t filled[EXEC_MMU_IDX_MAX][TLB_FILL_LOG];
} SysTLB;
_Static_assert(TLB_ENTRY_BITS <= 16, "SysTLB.filled holds 16-bit indexes");

TLBStats tlb_stats;
void (*tlb_guest_error)(CPUCommon *cpu, const char *what, uint64_t paddr, unsigned size, bool is_write);
void (*tlb_mmu_log)(CPUCommon *cpu, uint64_t vaddr, ExecAccess acc, unsigned mmu_idx, const ExecTLBFill *f);
bool tlb_unassigned_abort = true;

static inline SysTLB *sys_tlb(const CPUCommon *cpu) { return cpu->opaque; }
static inline unsigned tlb_index(uint64_t addr) { return (unsigned)(addr >> TLB_PAGE_BITS) & (TLB_N_ENTRIES - 1); }
static inline bool tag_hit(uint64_t tag, uint64_t vpage) { return !(tag & TLB_INVALID) && (tag & ~TLB_FLAG_MASK) == vpage; }

static uint64_t *entry_tag(SoftTLBEntry *e, ExecAccess acc)
{
    return acc == EXEC_ACCESS_READ ? &e->read_tag : acc == EXEC_ACCESS_WRITE ? &e->write_tag : &e->code_tag;
}

/* ---- pages holding translations ---------------------------------------------- */

/* One bit per physical code page; only the vcpu thread changes it (from
 * code_page_added after a translation, and from a store's invalidation). */
static uint8_t *code_bits;
static uint64_t code_bits_pages;

/* The cpus whose TLBs code_page_added must mark (one vcpu today). */
#define MAX_TLBS 8
static SysTLB *all_tlbs[MAX_TLBS];
static unsigned n_all_tlbs;

static bool code_page_has(uint64_t paddr)
{
    uint64_t pn = paddr >> CODE_PAGE_BITS;
    return pn < code_bits_pages && (code_bits[pn >> 3] >> (pn & 7)) & 1;
}

static void code_page_set(uint64_t pn, bool on)
{
    if (pn >= code_bits_pages) {
        if (!on)
            return;
        uint64_t n = code_bits_pages ? code_bits_pages : 1 << 16;
        while (n <= pn)
            n *= 2;
        code_bits = realloc(code_bits, n / 8);
        if (!code_bits) {
            fputs("vemu: out of memory\n", stderr);
            abort();
        }
        memset(code_bits + code_bits_pages / 8, 0, (n - code_bits_pages) / 8);
        code_bits_pages = n;
    }
    if (on)
        code_bits[pn >> 3] |= (uint8_t)(1u << (pn & 7));
    else
        code_bits[pn >> 3] &= (uint8_t)~(1u << (pn & 7));
}

/* ExecHostOps.code_page_added: from now on, stores to the page take the
 * slow path (the write tags of entries already mapping it get TLB_CODE). */
static void code_page_added(uint64_t page_addr)
{
    uint64_t pn = page_addr >> CODE_PAGE_BITS;
    if (code_page_has(page_addr))
        return;
    code_page_set(pn, true);
    for (unsigned i = 0; i < n_all_tlbs; i++) {
        SysTLB *t = all_tlbs[i];
        for (unsigned m = 0; m < t->n_mmu; m++)
            for (unsigned k = 0; k < TLB_N_ENTRIES; k++) {
                SoftTLBEntry *e = &t->e[m][k];
                if (!(e->write_tag & (TLB_INVALID | TLB_MMIO)) && t->full[m][k].paddr >> CODE_PAGE_BITS == pn)
                    e->write_tag |= TLB_CODE;
            }
    }
}

/* Under exec's lock, after the invalidation: a page whose translations are
 * all gone no longer needs its stores checked. */
static void code_page_recheck(void *opaque)
{
    uint64_t paddr = *(const uint64_t *)opaque;
    if (!exec_page_has_code_locked(paddr & ~(((uint64_t)1 << CODE_PAGE_BITS) - 1)))
        code_page_set(paddr >> CODE_PAGE_BITS, false);
}

/* A store of size bytes at physical paddr may overwrite translated code. */
static void smc_invalidate(uint64_t paddr, unsigned size)
{
    uint64_t p = paddr;
    tlb_stats.smc_invalidations++;
    exec_invalidate_range_then(paddr, paddr + size, code_page_recheck, &p);
}

/* ---- fill ------------------------------------------------------------------ */

/* Remember a mapping of 1 << bits bytes at addr for page flushes. */
static void note_mapping_size(SysTLB *t, unsigned m, uint64_t addr, unsigned bits)
{
    if (bits <= TLB_PAGE_BITS)
        return;
    if (bits <= SMALL_MAP_BITS) {
        if (bits > t->small_bits[m])
            t->small_bits[m] = bits;
        return;
    }
    uint64_t mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    if (!t->large_mask[m]) {
        t->large_addr[m] = addr & ~mask;
        t->large_mask[m] = mask;
        return;
    }
    mask |= t->large_mask[m];
    while ((t->large_addr[m] ^ addr) & ~mask)
        mask = (mask << 1) | 1;
    t->large_mask[m] = mask;
    t->large_addr[m] &= ~mask;
}

/* Fill the entry of addr for acc at mmu index m.  A translation fault is
 * raised at host_ra (probe: false is returned instead). */
static SoftTLBEntry *tlb_fill(CPUCommon *cpu, uint64_t addr, ExecAccess acc, unsigned m, uintptr_t host_ra,
                              bool probe)
{
    SysTLB *t = sys_tlb(cpu);
    const Frontend *fe = cpu->fe;
    uint64_t vpage = addr & ~TLB_PAGE_MASK;
    ExecTLBFill f = { .paddr = vpage, .page_bits = TLB_PAGE_BITS,
                      .prot = EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC };
    if (fe->mmu_translate && !fe->mmu_translate(cpu, addr, acc, (int)m, &f)) {
        if (tlb_mmu_log && !probe)
            tlb_mmu_log(cpu, addr, acc, m, NULL);
        if (probe)
            return NULL;
        exec_raise(cpu, EXCP_MEM_FAULT, host_ra);
    }
    if (tlb_mmu_log)
        tlb_mmu_log(cpu, addr, acc, m, &f);
    tlb_stats.fills++;
    unsigned bits = f.page_bits < TLB_PAGE_BITS ? TLB_PAGE_BITS : f.page_bits;
    uint64_t map_mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t ppage = (f.paddr & ~map_mask) | (addr & map_mask & ~TLB_PAGE_MASK);
    note_mapping_size(t, m, addr, bits);

    PhysSection s = phys_lookup(t->pm, ppage);
    uint64_t flags = 0;
    uintptr_t addend = 0;
    if ((s.kind == PHYS_RAM || s.kind == PHYS_ROM) && s.size - s.offset >= TLB_PAGE_SIZE)
        addend = (uintptr_t)s.host - (uintptr_t)vpage;
    else
        flags = TLB_MMIO;          /* a device, a hole, or RAM not filling the page */
    uint64_t wflags = flags;
    if (!flags && s.kind == PHYS_ROM)
        wflags |= TLB_ROM;
    if (!flags && code_page_has(ppage))
        wflags |= TLB_CODE;

    unsigned idx = tlb_index(addr);
    SoftTLBEntry *e = &t->e[m][idx];
    if (t->n_filled[m] < TLB_FILL_LOG)
        t->filled[m][t->n_filled[m]] = (uint16_t)idx;
    if (t->n_filled[m] <= TLB_FILL_LOG)
        t->n_filled[m]++;
    /* mmu_translate said yes for acc: whatever prot says, that tag is set */
    e->read_tag = (f.prot & EXEC_PROT_READ) || acc == EXEC_ACCESS_READ ? vpage | flags : INVALID_TAG;
    e->write_tag = (f.prot & EXEC_PROT_WRITE) || acc == EXEC_ACCESS_WRITE ? vpage | wflags : INVALID_TAG;
    e->code_tag = (f.prot & EXEC_PROT_EXEC) || acc == EXEC_ACCESS_EXEC ? vpage | flags : INVALID_TAG;
    e->addend = addend;
    t->full[m][idx] = (TLBFull){ .paddr = ppage, .prot = f.prot };
    return e;
}

/* The entry mapping addr for acc at mmu index m, filled if needed. */
static SoftTLBEntry *tlb_entry(CPUCommon *cpu, uint64_t addr, ExecAccess acc, unsigned m, uintptr_t host_ra,
                               bool probe)
{
    SysTLB *t = sys_tlb(cpu);
    SoftTLBEntry *e = &t->e[m][tlb_index(addr)];
    if (tag_hit(*entry_tag(e, acc), addr & ~TLB_PAGE_MASK))
        return e;
    return tlb_fill(cpu, addr, acc, m, host_ra, probe);
}

static uint64_t entry_paddr(const CPUCommon *cpu, unsigned m, uint64_t addr)
{
    return sys_tlb(cpu)->full[m][tlb_index(addr)].paddr | (addr & TLB_PAGE_MASK);
}

/* An access to an unassigned physical address: logged; the Versatile PB's
 * bus answers with an error, which the cpu takes as an external abort (as
 * qemu-system-arm does), unless tlb_unassigned_abort is off. */
static void unassigned(CPUCommon *cpu, uint64_t vaddr, uint64_t paddr, unsigned size, ExecAccess acc,
                       uintptr_t host_ra)
{
    tlb_stats.unassigned++;
    if (tlb_guest_error)
        tlb_guest_error(cpu, "unassigned address", paddr, size, acc == EXEC_ACCESS_WRITE);
    if (!tlb_unassigned_abort)
        return;
    cpu->fault_addr = vaddr;
    cpu->fault_access = acc;
    cpu->fault_reason = EXEC_FAULT_EXTERNAL;
    exec_raise(cpu, EXCP_MEM_FAULT, host_ra);
}

/* ---- one access inside one TLB page ---------------------------------------- */

static uint64_t ld_page(CPUCommon *cpu, uint64_t addr, unsigned size, unsigned m, uintptr_t host_ra)
{
    SoftTLBEntry *e = tlb_entry(cpu, addr, EXEC_ACCESS_READ, m, host_ra, false);
    uint64_t v = 0;
    if (!(e->read_tag & TLB_MMIO)) {
        memcpy(&v, (void *)(uintptr_t)(addr + e->addend), size);
        return v;
    }
    uint64_t paddr = entry_paddr(cpu, m, addr);
    bool ok;
    tlb_stats.mmio++;
    machine_lock();
    v = phys_load(sys_tlb(cpu)->pm, paddr, size, &ok);
    machine_unlock();
    if (!ok)
        unassigned(cpu, addr, paddr, size, EXEC_ACCESS_READ, host_ra);
    return v;
}

/* The write side's slow cases for a RAM page: ROM ignores the store, a
 * page with translations has them dropped first.  False: do not store. */
static bool st_ram_prepare(CPUCommon *cpu, SoftTLBEntry *e, unsigned m, uint64_t addr, unsigned size)
{
    if (e->write_tag & TLB_ROM) {
        if (tlb_guest_error)
            tlb_guest_error(cpu, "write to ROM", entry_paddr(cpu, m, addr), size, true);
        return false;
    }
    if (e->write_tag & TLB_CODE) {
        uint64_t paddr = entry_paddr(cpu, m, addr);
        if (code_page_has(paddr))
            smc_invalidate(paddr, size);
        if (!code_page_has(paddr))
            e->write_tag &= ~(uint64_t)TLB_CODE;    /* nothing left to protect */
    }
    return true;
}

static void st_page(CPUCommon *cpu, uint64_t addr, uint64_t raw, unsigned size, unsigned m, uintptr_t host_ra)
{
    SoftTLBEntry *e = tlb_entry(cpu, addr, EXEC_ACCESS_WRITE, m, host_ra, false);
    if (!(e->write_tag & TLB_MMIO)) {
        if (st_ram_prepare(cpu, e, m, addr, size))
            memcpy((void *)(uintptr_t)(addr + e->addend), &raw, size);
        return;
    }
    uint64_t paddr = entry_paddr(cpu, m, addr);
    bool ok;
    tlb_stats.mmio++;
    machine_lock();
    phys_store(sys_tlb(cpu)->pm, paddr, raw, size, &ok);
    machine_unlock();
    if (!ok)
        unassigned(cpu, addr, paddr, size, EXEC_ACCESS_WRITE, host_ra);
}

static inline bool crosses_page(uint64_t addr, unsigned size)
{
    return (addr & TLB_PAGE_MASK) + size > TLB_PAGE_SIZE;
}

/* ---- raw accesses (memory order, zero-extended) ------------------------------ */

static uint64_t ld_raw(CPUCommon *cpu, uint64_t addr, unsigned size, unsigned m, uintptr_t host_ra)
{
    tlb_stats.slow++;
    if (!crosses_page(addr, size))
        return ld_page(cpu, addr, size, m, host_ra);
    uint64_t mask = sys_tlb(cpu)->addr_mask, v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= ld_page(cpu, (addr + i) & mask, 1, m, host_ra) << (8 * i);
    return v;
}

static void st_raw(CPUCommon *cpu, uint64_t addr, uint64_t raw, unsigned size, unsigned m, uintptr_t host_ra)
{
    tlb_stats.slow++;
    if (!crosses_page(addr, size)) {
        st_page(cpu, addr, raw, size, m, host_ra);
        return;
    }
    /* both pages must be writable before any byte is written */
    uint64_t mask = sys_tlb(cpu)->addr_mask;
    tlb_entry(cpu, addr, EXEC_ACCESS_WRITE, m, host_ra, false);
    tlb_entry(cpu, (addr + size - 1) & mask, EXEC_ACCESS_WRITE, m, host_ra, false);
    for (unsigned i = 0; i < size; i++)
        st_page(cpu, (addr + i) & mask, (raw >> (8 * i)) & 0xff, 1, m, host_ra);
}

static uint64_t cmpxchg_host(void *p, unsigned size, uint64_t e, uint64_t n)
{
    if ((uintptr_t)p & (size - 1)) {     /* misaligned: not atomic (ir-interp.c does the same) */
        uint64_t old = 0;
        memcpy(&old, p, size);
        if (old == e)
            memcpy(p, &n, size);
        return old;
    }
    switch (size) {
    case 1: { uint8_t x = (uint8_t)e; __atomic_compare_exchange_n((uint8_t *)p, &x, (uint8_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return x; }
    case 2: { uint16_t x = (uint16_t)e; __atomic_compare_exchange_n((uint16_t *)p, &x, (uint16_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return x; }
    case 4: { uint32_t x = (uint32_t)e; __atomic_compare_exchange_n((uint32_t *)p, &x, (uint32_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return x; }
    default: { uint64_t x = e; __atomic_compare_exchange_n((uint64_t *)p, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return x; }
    }
}

static uint64_t cmpxchg_raw(CPUCommon *cpu, uint64_t addr, uint64_t e_raw, uint64_t n_raw, unsigned size, unsigned m,
                            uintptr_t host_ra)
{
    tlb_stats.slow++;
    if (crosses_page(addr, size)) {
        /* not atomic across pages (a single vcpu cannot tell) */
        uint64_t old = ld_raw(cpu, addr, size, m, host_ra);
        tlb_entry(cpu, addr, EXEC_ACCESS_WRITE, m, host_ra, false);
        tlb_entry(cpu, (addr + size - 1) & sys_tlb(cpu)->addr_mask, EXEC_ACCESS_WRITE, m, host_ra, false);
        if (old == e_raw)
            st_raw(cpu, addr, n_raw, size, m, host_ra);
        return old;
    }
    tlb_entry(cpu, addr, EXEC_ACCESS_READ, m, host_ra, false);
    SoftTLBEntry *e = tlb_entry(cpu, addr, EXEC_ACCESS_WRITE, m, host_ra, false);
    if (!(e->write_tag & TLB_MMIO)) {
        if (!st_ram_prepare(cpu, e, m, addr, size)) {
            uint64_t old = 0;
            memcpy(&old, (void *)(uintptr_t)(addr + e->addend), size);
            return old;
        }
        return cmpxchg_host((void *)(uintptr_t)(addr + e->addend), size, e_raw, n_raw);
    }
    uint64_t paddr = entry_paddr(cpu, m, addr);
    bool ok, ok2 = true;
    tlb_stats.mmio++;
    machine_lock();
    uint64_t old = phys_load(sys_tlb(cpu)->pm, paddr, size, &ok);
    if (ok && old == e_raw)
        phys_store(sys_tlb(cpu)->pm, paddr, n_raw, size, &ok2);
    machine_unlock();
    if (!ok || !ok2)
        unassigned(cpu, addr, paddr, size, EXEC_ACCESS_WRITE, host_ra);
    return old;
}

/* ---- the backend's slow paths ---------------------------------------------- */

/* The alignment the memop demands: generated code folds it into the tag
 * compare (backend-x86_64/x86-emit-softtlb.c), so a misaligned access
 * arrives here, where the guest's alignment fault is raised; it comes
 * before any translation fault, as on ARM. */
static void check_align(CPUCommon *cpu, uint64_t addr, uint32_t memop, ExecAccess acc, uintptr_t host_ra)
{
    if (!(addr & ir_memop_align_mask(memop)))
        return;
    cpu->fault_addr = addr;
    cpu->fault_access = acc;
    cpu->fault_reason = EXEC_FAULT_ALIGNMENT;
    exec_raise(cpu, EXCP_MEM_FAULT, host_ra);
}

uint64_t tlb_ld_slow(void *opaque, uint64_t addr, uint32_t memop, uintptr_t host_retaddr)
{
    check_align(opaque, addr, memop, EXEC_ACCESS_READ, host_retaddr);
    uint64_t raw = ld_raw(opaque, addr, ir_memop_bytes(memop), ir_memop_mmu_idx(memop), host_retaddr);
    return ir_memop_extend(memop, raw, IR_I64);
}

void tlb_st_slow(void *opaque, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_retaddr)
{
    check_align(opaque, addr, memop, EXEC_ACCESS_WRITE, host_retaddr);
    st_raw(opaque, addr, ir_memop_store_value(memop, value), ir_memop_bytes(memop), ir_memop_mmu_idx(memop),
           host_retaddr);
}

uint64_t tlb_cmpxchg_slow(void *opaque, uint64_t addr, uint64_t expected, uint64_t desired, uint32_t memop,
                          uintptr_t host_retaddr)
{
    check_align(opaque, addr, memop, EXEC_ACCESS_WRITE, host_retaddr);
    uint64_t old = cmpxchg_raw(opaque, addr, ir_memop_store_value(memop, expected),
                               ir_memop_store_value(memop, desired), ir_memop_bytes(memop),
                               ir_memop_mmu_idx(memop), host_retaddr);
    return ir_memop_extend(memop & ~(uint32_t)IR_MO_SIGN, old, IR_I64);
}

const BackendSoftTLB *tlb_backend_layout(unsigned n_mmu_idx)
{
    static BackendSoftTLB l = {
        .table_offset = offsetof(CPUCommon, tlb_table),
        .entry_bits = TLB_ENTRY_BITS,
        .entry_size = sizeof(SoftTLBEntry),
        .read_tag_offset = offsetof(SoftTLBEntry, read_tag),
        .write_tag_offset = offsetof(SoftTLBEntry, write_tag),
        .code_tag_offset = offsetof(SoftTLBEntry, code_tag),
        .addend_offset = offsetof(SoftTLBEntry, addend),
        .page_bits = TLB_PAGE_BITS,
        .tag_flag_mask = TLB_FLAG_MASK,
        .ld_slow = tlb_ld_slow,
        .st_slow = tlb_st_slow,
        .cmpxchg_slow = tlb_cmpxchg_slow,
    };
    l.n_mmu_idx = n_mmu_idx ? n_mmu_idx : 1;
    return &l;
}

/* ---- the interpreter's accesses: the same probe in C ------------------------- */

static inline SoftTLBEntry *fast_entry(void *opaque, uint64_t addr, uint32_t memop)
{
    CPUCommon *cpu = opaque;
    return &((SoftTLBEntry *)cpu->tlb_table[ir_memop_mmu_idx(memop)])[tlb_index(addr)];
}

static inline uint64_t fast_tag(uint64_t addr, uint32_t memop)
{
    return (addr + ir_memop_bytes(memop) - 1) & ~TLB_PAGE_MASK;
}

static uint64_t interp_ld(void *opaque, uint64_t addr, uint32_t memop)
{
    SoftTLBEntry *e = fast_entry(opaque, addr, memop);
    if (e->read_tag == fast_tag(addr, memop)) {
        uint64_t v = 0;
        memcpy(&v, (void *)(uintptr_t)(addr + e->addend), ir_memop_bytes(memop));
        return v;
    }
    return ld_raw(opaque, addr, ir_memop_bytes(memop), ir_memop_mmu_idx(memop),
                  (uintptr_t)__builtin_return_address(0));
}

static void interp_st(void *opaque, uint64_t addr, uint64_t raw, uint32_t memop)
{
    SoftTLBEntry *e = fast_entry(opaque, addr, memop);
    if (e->write_tag == fast_tag(addr, memop)) {
        memcpy((void *)(uintptr_t)(addr + e->addend), &raw, ir_memop_bytes(memop));
        return;
    }
    st_raw(opaque, addr, raw, ir_memop_bytes(memop), ir_memop_mmu_idx(memop), (uintptr_t)__builtin_return_address(0));
}

static uint64_t interp_cmpxchg(void *opaque, uint64_t addr, uint64_t e_raw, uint64_t n_raw, uint32_t memop)
{
    SoftTLBEntry *e = fast_entry(opaque, addr, memop);
    if (e->write_tag == fast_tag(addr, memop) && e->read_tag == fast_tag(addr, memop))
        return cmpxchg_host((void *)(uintptr_t)(addr + e->addend), ir_memop_bytes(memop), e_raw, n_raw);
    return cmpxchg_raw(opaque, addr, e_raw, n_raw, ir_memop_bytes(memop), ir_memop_mmu_idx(memop),
                       (uintptr_t)__builtin_return_address(0));
}

const IRInterpMem tlb_interp_mem = { .ld = interp_ld, .st = interp_st, .cmpxchg = interp_cmpxchg };

/* ---- instruction fetch (ExecHostOps) ----------------------------------------- */

static unsigned fetch_mmu_idx(const CPUCommon *cpu)
{
    unsigned m = cpu->fe->cpu_mmu_index ? (unsigned)cpu->fe->cpu_mmu_index(cpu) : 0;
    if (m >= sys_tlb(cpu)->n_mmu) {
        fprintf(stderr, "vemu: %s: mmu index %u of a fetch, but Frontend.n_mmu_idx is %u\n", cpu->fe->name, m,
                sys_tlb(cpu)->n_mmu);
        abort();
    }
    return m;
}

/* Guest code bytes through the code tag.  A fetch that cannot be
 * translated returns false (exec makes the block raise the prefetch abort;
 * the frontend recorded the fault).  probe: never read a device. */
static bool code_read(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len, bool probe)
{
    unsigned m = fetch_mmu_idx(cpu);
    uint8_t *out = buf;
    while (len) {
        unsigned n = TLB_PAGE_SIZE - (unsigned)(addr & TLB_PAGE_MASK);
        if (n > len)
            n = len;
        SoftTLBEntry *e = tlb_entry(cpu, addr, EXEC_ACCESS_EXEC, m, 0, true);
        if (!e)
            return false;
        if (!(e->code_tag & TLB_MMIO)) {
            memcpy(out, (void *)(uintptr_t)(addr + e->addend), n);
        } else {
            uint64_t paddr = entry_paddr(cpu, m, addr);
            SysTLB *t = sys_tlb(cpu);
            if (probe || phys_lookup(t->pm, paddr).kind == PHYS_UNASSIGNED)
                return false;
            machine_lock();
            bool ok = phys_read(t->pm, paddr, out, n);
            machine_unlock();
            if (!ok)
                return false;
        }
        addr = (addr + n) & sys_tlb(cpu)->addr_mask;
        out += n;
        len -= n;
    }
    return true;
}

static bool code_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    return code_read(cpu, addr, buf, len, false);
}

static bool code_probe(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    return code_read(cpu, addr, buf, len, true);
}

static bool code_phys_addr(CPUCommon *cpu, uint64_t vaddr, uint64_t *paddr)
{
    unsigned m = fetch_mmu_idx(cpu);
    if (!tlb_entry(cpu, vaddr, EXEC_ACCESS_EXEC, m, 0, true))
        return false;
    *paddr = entry_paddr(cpu, m, vaddr);
    return true;
}

void tlb_refresh_fetch_fault(CPUCommon *cpu)
{
    const Frontend *fe = cpu->fe;
    unsigned m = fetch_mmu_idx(cpu);
    uint64_t addr = cpu->fault_addr;
    ExecTLBFill f;
    if (cpu->fault_access != EXEC_ACCESS_EXEC || cpu->fault_reason == EXEC_FAULT_ALIGNMENT)
        return;
    if (fe->mmu_translate && !fe->mmu_translate(cpu, addr, EXEC_ACCESS_EXEC, (int)m, &f))
        return;                          /* the frontend recorded it afresh */
    SoftTLBEntry *e = tlb_entry(cpu, addr, EXEC_ACCESS_EXEC, m, 0, true);
    if (e && phys_lookup(sys_tlb(cpu)->pm, entry_paddr(cpu, m, addr)).kind == PHYS_UNASSIGNED) {
        cpu->fault_reason = EXEC_FAULT_EXTERNAL;   /* translated; nothing answers there */
        return;
    }
    /* an instruction straddling into the next page, whose fetch failed */
    uint64_t next = (addr | TLB_PAGE_MASK) + 1;
    if (fe->mmu_translate && !fe->mmu_translate(cpu, next & sys_tlb(cpu)->addr_mask, EXEC_ACCESS_EXEC, (int)m, &f)) {
        cpu->fault_addr = addr;
        cpu->fault_access = EXEC_ACCESS_EXEC;
    }
}

const ExecHostOps tlb_host_ops = {
    .code_fetch = code_fetch,
    .code_probe = code_probe,
    .code_phys_addr = code_phys_addr,
    .code_page_added = code_page_added,
};

/* ---- ExecSysOps --------------------------------------------------------------- */

static bool sys_phys_read(CPUCommon *cpu, uint64_t paddr, void *buf, unsigned len)
{
    SysTLB *t = sys_tlb(cpu);
    PhysSection s = phys_lookup(t->pm, paddr);
    if ((s.kind == PHYS_RAM || s.kind == PHYS_ROM) && s.size - s.offset >= len) {
        memcpy(buf, s.host, len);           /* page tables: no device, no lock */
        return true;
    }
    machine_lock();
    bool ok = phys_read(t->pm, paddr, buf, len);
    machine_unlock();
    return ok;
}

static bool sys_phys_write(CPUCommon *cpu, uint64_t paddr, const void *buf, unsigned len)
{
    SysTLB *t = sys_tlb(cpu);
    for (uint64_t p = paddr & ~(((uint64_t)1 << CODE_PAGE_BITS) - 1); p < paddr + len; p += (uint64_t)1 << CODE_PAGE_BITS)
        if (code_page_has(p)) {
            smc_invalidate(paddr, len);
            break;
        }
    PhysSection s = phys_lookup(t->pm, paddr);
    if (s.kind == PHYS_RAM && s.size - s.offset >= len) {
        memcpy(s.host, buf, len);
        return true;
    }
    machine_lock();
    bool ok = phys_write(t->pm, paddr, buf, len);
    machine_unlock();
    return ok;
}

static void flush_mmu(SysTLB *t, unsigned m)
{
    if (t->n_filled[m] <= TLB_FILL_LOG) {
        for (unsigned k = 0; k < t->n_filled[m]; k++)
            memset(&t->e[m][t->filled[m][k]], 0xff, sizeof(SoftTLBEntry));
    } else {
        memset(t->e[m], 0xff, TLB_N_ENTRIES * sizeof(SoftTLBEntry));
    }
    t->n_filled[m] = 0;
    t->large_mask[m] = 0;
    t->small_bits[m] = 0;
}

void tlb_flush(CPUCommon *cpu)
{
    SysTLB *t = sys_tlb(cpu);
    tlb_stats.flushes++;
    for (unsigned m = 0; m < t->n_mmu; m++)
        flush_mmu(t, m);
    if (cpu->jmp_cache)              /* (a test's bare cpu has none) */
        exec_cpu_flush_jmp_cache(cpu);
}

void tlb_flush_page(CPUCommon *cpu, uint64_t vaddr)
{
    SysTLB *t = sys_tlb(cpu);
    bool all_jmp = false;
    unsigned jmp_bits = CODE_PAGE_BITS;
    tlb_stats.page_flushes++;
    for (unsigned m = 0; m < t->n_mmu; m++) {
        if (t->large_mask[m] && !((vaddr ^ t->large_addr[m]) & ~t->large_mask[m])) {
            flush_mmu(t, m);
            all_jmp = true;
            continue;
        }
        unsigned bits = t->small_bits[m] > TLB_PAGE_BITS ? t->small_bits[m] : TLB_PAGE_BITS;
        if (bits > jmp_bits)
            jmp_bits = bits;
        uint64_t start = vaddr & ~(((uint64_t)1 << bits) - 1);
        for (uint64_t a = start; a < start + ((uint64_t)1 << bits); a += TLB_PAGE_SIZE) {
            SoftTLBEntry *e = &t->e[m][tlb_index(a)];
            if (tag_hit(e->read_tag, a) || tag_hit(e->write_tag, a) || tag_hit(e->code_tag, a))
                memset(e, 0xff, sizeof(*e));
        }
    }
    if (all_jmp) {
        exec_cpu_flush_jmp_cache(cpu);
    } else {
        uint64_t start = vaddr & ~(((uint64_t)1 << jmp_bits) - 1);
        exec_cpu_flush_jmp_cache_range(cpu, start, start + ((uint64_t)1 << jmp_bits));
    }
}

static void sys_tlb_flush(CPUCommon *cpu) { tlb_flush(cpu); }
static void sys_tlb_flush_page(CPUCommon *cpu, uint64_t vaddr) { tlb_flush_page(cpu, vaddr); }

const ExecSysOps tlb_sys_ops = {
    .phys_read = sys_phys_read,
    .phys_write = sys_phys_write,
    .tlb_flush = sys_tlb_flush,
    .tlb_flush_page = sys_tlb_flush_page,
};

/* ---- per cpu ------------------------------------------------------------------ */

void tlb_cpu_init(CPUCommon *cpu, PhysMemory *pm)
{
    SysTLB *t = calloc(1, sizeof(*t));
    if (!t) {
        fputs("vemu: out of memory (soft TLB)\n", stderr);
        abort();
    }
    if (n_all_tlbs == MAX_TLBS) {
        fputs("vemu: too many cpus with a soft TLB\n", stderr);
        abort();
    }
    t->pm = pm;
    t->n_mmu = cpu->fe->n_mmu_idx ? cpu->fe->n_mmu_idx : 1;
    if (t->n_mmu > EXEC_MMU_IDX_MAX)
        t->n_mmu = EXEC_MMU_IDX_MAX;
    t->addr_mask = cpu->fe->guest_bits == 32 ? 0xffffffffu : UINT64_MAX;
    for (unsigned m = 0; m < t->n_mmu; m++) {
        t->e[m] = aligned_alloc(64, TLB_N_ENTRIES * sizeof(SoftTLBEntry));
        t->full[m] = calloc(TLB_N_ENTRIES, sizeof(TLBFull));
        if (!t->e[m] || !t->full[m]) {
            fputs("vemu: out of memory (soft TLB)\n", stderr);
            abort();
        }
        t->n_filled[m] = TLB_FILL_LOG + 1;     /* the first flush clears it all */
        flush_mmu(t, m);
        cpu->tlb_table[m] = t->e[m];
    }
    cpu->opaque = t;
    cpu->sys = &tlb_sys_ops;
    all_tlbs[n_all_tlbs++] = t;
}

void tlb_cpu_free(CPUCommon *cpu)
{
    SysTLB *t = sys_tlb(cpu);
    if (!t)
        return;
    for (unsigned i = 0; i < n_all_tlbs; i++)
        if (all_tlbs[i] == t) {
            all_tlbs[i] = all_tlbs[--n_all_tlbs];
            break;
        }
    for (unsigned m = 0; m < t->n_mmu; m++) {
        free(t->e[m]);
        free(t->full[m]);
        cpu->tlb_table[m] = NULL;
    }
    free(t);
    cpu->opaque = NULL;
    cpu->sys = NULL;
}

PhysMemory *tlb_cpu_phys(const CPUCommon *cpu)
{
    return sys_tlb(cpu)->pm;
}
