/*
 * arm-mmu.c — the ARM MMU's translation table walk (Frontend.mmu_translate).
 *
 * Two formats, as the ARM ARM describes them:
 *   - ARMv5 (ARM926EJ-S, and ARMv6 with SCTLR.XP = 0; ARM ARM DDI 0100I
 *     B3.3-B3.6): first-level sections, coarse and fine second-level tables,
 *     large (64 KiB), small (4 KiB) and tiny (1 KiB) pages with four
 *     subpage AP fields, domains checked against the DACR, and the AP bits
 *     read with SCTLR.S and SCTLR.R;
 *   - the ARMv6/v7 VMSA (SCTLR.XP = 1, always on ARMv7; DDI 0406C B3.5):
 *     sections, supersections, large and small pages, APX/AP, XN, nG, and
 *     the TTBR0/TTBR1 split at TTBCR.N.
 * Memory attributes (TEX, C, B, TEX remap) do not change what an access
 * does here and are ignored; so are the ASID and nG: the soft TLB is
 * flushed whenever CONTEXTIDR changes (arm-cp15.c).  Page tables are read
 * through cpu->sys->phys_read, little-endian.
 *
 * A fault leaves its fault status (the model's FSR encoding: status in
 * bits 3:0 and 10, the domain in bits 7:4) in cp15.pending_fsr and the
 * address in cpu->fault_addr; do_exception copies them into DFSR/DFAR or
 * IFSR/IFAR.
 */
#include "frontend-arm/arm-cpu.h"

/* Fault status values (ARM ARM B3.13.3 / B4.6) */
enum {
    FSR_ALIGNMENT = 0x1,
    FSR_TRANS_SECTION = 0x5, FSR_TRANS_PAGE = 0x7,
    FSR_DOMAIN_SECTION = 0x9, FSR_DOMAIN_PAGE = 0xb,
    FSR_PERM_SECTION = 0xd, FSR_PERM_PAGE = 0xf,
    FSR_EXT_L1 = 0xc, FSR_EXT_L2 = 0xe,
};

#define SCTLR_M  (1u << 0)
#define SCTLR_S  (1u << 8)
#define SCTLR_R  (1u << 9)
#define SCTLR_XP (1u << 23)

#define PROT_RW  (EXEC_PROT_READ | EXEC_PROT_WRITE)
#define PROT_RO  EXEC_PROT_READ

typedef struct Walk {
    ARMCPU *cpu;
    uint32_t va;
    bool user;
    unsigned domain;
    uint32_t fsr;          /* on failure */
} Walk;

static bool read_desc(Walk *w, uint32_t addr, uint32_t *desc)
{
    CPUCommon *c = &w->cpu->common;
    uint8_t b[4];
    if (!c->sys || !c->sys->phys_read || !c->sys->phys_read(c, addr, b, 4))
        return false;
    *desc = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

/* The domain's DACR field: 0 no access, 1 client, 3 manager (2 reserved:
 * treated as no access). */
static unsigned domain_type(const Walk *w)
{
    return (w->cpu->cp15.dacr >> (2 * w->domain)) & 3;
}

/* ARMv5 AP (and v6 AP with APX = 0 in the old format) with SCTLR.S/R. */
static unsigned ap_v5_prot(const Walk *w, unsigned ap)
{
    uint32_t sctlr = w->cpu->cp15.sctlr;
    switch (ap & 3) {
    case 0:
        switch (sctlr & (SCTLR_S | SCTLR_R)) {
        case SCTLR_S: return w->user ? 0 : PROT_RO;
        case SCTLR_R: return PROT_RO;
        default: return 0;          /* no access (S = R = 1 is reserved) */
        }
    case 1: return w->user ? 0 : PROT_RW;
    case 2: return w->user ? PROT_RO : PROT_RW;
    default: return PROT_RW;
    }
}

/* ARMv6/v7 APX:AP[1:0] (AP[2:0], DDI 0406C table B3-8). */
static unsigned ap_v6_prot(const Walk *w, unsigned apx, unsigned ap)
{
    if (!apx)
        return ap == 0 ? 0 : ap == 1 ? (w->user ? 0 : PROT_RW) : ap == 2 ? (w->user ? PROT_RO : PROT_RW)
                                                                        : PROT_RW;
    switch (ap) {
    case 1: return w->user ? 0 : PROT_RO;
    case 2: case 3: return PROT_RO;
    default: return 0;              /* reserved */
    }
}

/* Apply the domain check and the AP-derived protection; false with the
 * fault status set when access is not allowed. */
static bool check_access(Walk *w, unsigned prot, bool xn, bool section, ExecAccess access, unsigned *out)
{
    unsigned dt = domain_type(w);
    if (dt == 0 || dt == 2) {
        w->fsr = section ? FSR_DOMAIN_SECTION : FSR_DOMAIN_PAGE;
        return false;
    }
    if (dt == 3) {
        prot = PROT_RW | EXEC_PROT_EXEC;    /* manager: no permission checks */
    } else {
        if (prot & EXEC_PROT_READ)
            prot |= EXEC_PROT_EXEC;
        if (xn)
            prot &= ~EXEC_PROT_EXEC;
    }
    unsigned need = access == EXEC_ACCESS_WRITE ? EXEC_PROT_WRITE
                  : access == EXEC_ACCESS_EXEC ? EXEC_PROT_EXEC : EXEC_PROT_READ;
    if (!(prot & need)) {
        w->fsr = section ? FSR_PERM_SECTION : FSR_PERM_PAGE;
        return false;
    }
    *out = prot;
    return true;
}

/* ---- ARMv5 (and v6 with XP = 0) ---------------------------------------------- */

static bool walk_v5(Walk *w, ExecAccess access, ExecTLBFill *out)
{
    ARMCPU *cpu = w->cpu;
    bool v6 = (cpu->features & ARM_FEATURE_V6) != 0;
    uint32_t va = w->va, l1;
    if (!read_desc(w, (cpu->cp15.ttbr0 & 0xffffc000u) | (va >> 20) << 2, &l1)) {
        w->fsr = FSR_EXT_L1;
        return false;
    }
    unsigned type = l1 & 3;
    if (type == 0 || (type == 3 && v6)) {
        w->fsr = FSR_TRANS_SECTION;
        return false;
    }
    w->domain = l1 >> 5 & 15;
    if (type == 2) {                                /* section, 1 MiB (bit 4 is no XN here) */
        if (!check_access(w, ap_v5_prot(w, l1 >> 10), false, true, access, &out->prot))
            return false;
        out->paddr = l1 & 0xfff00000u;
        out->page_bits = 20;
        return true;
    }
    uint32_t l2addr = type == 1 ? (l1 & 0xfffffc00u) | (va >> 12 & 0xff) << 2       /* coarse */
                                : (l1 & 0xfffff000u) | (va >> 10 & 0x3ff) << 2;     /* fine */
    uint32_t l2;
    if (!read_desc(w, l2addr, &l2)) {
        w->fsr = FSR_EXT_L2;
        return false;
    }
    unsigned ap, size_bits;
    switch (l2 & 3) {
    case 1:                                         /* large page, 64 KiB, 4 x 16 KiB subpages */
        ap = l2 >> (4 + 2 * (va >> 14 & 3));
        out->paddr = l2 & 0xffff0000u;
        size_bits = 16;
        out->page_bits = ((l2 >> 4 & 0xff) == (l2 >> 4 & 3) * 0x55u) ? 16 : 14;
        break;
    case 2:                                         /* small page, 4 KiB, 4 x 1 KiB subpages */
        ap = l2 >> (4 + 2 * (va >> 10 & 3));
        out->paddr = l2 & 0xfffff000u;
        size_bits = 12;
        out->page_bits = ((l2 >> 4 & 0xff) == (l2 >> 4 & 3) * 0x55u) ? 12 : 10;
        break;
    case 3:
        if (type == 3) {                            /* tiny page, 1 KiB (fine tables) */
            ap = l2 >> 4;
            out->paddr = l2 & 0xfffffc00u;
            size_bits = out->page_bits = 10;
            break;
        }
        if (v6) {                                   /* extended small page (v6, XP = 0) */
            ap = l2 >> 4;
            out->paddr = l2 & 0xfffff000u;
            size_bits = out->page_bits = 12;
            break;
        }
        /* not a valid descriptor in a coarse table */
        __attribute__((fallthrough));
    default:
        w->fsr = FSR_TRANS_PAGE;
        return false;
    }
    if (!check_access(w, ap_v5_prot(w, ap), false, false, access, &out->prot))
        return false;
    /* a subpage with its own AP is its own mapping */
    out->paddr = (out->paddr | (va & ((1u << size_bits) - 1))) & ~((1ull << out->page_bits) - 1);
    return true;
}

/* ---- ARMv6/v7 VMSA (XP = 1) ----------------------------------------------------- */

static bool walk_v6(Walk *w, ExecAccess access, ExecTLBFill *out)
{
    ARMCPU *cpu = w->cpu;
    uint32_t va = w->va, l1, l1addr;
    unsigned n = cpu->cp15.ttbcr & 7;
    if (n && (va >> (32 - n)) != 0)
        l1addr = (cpu->cp15.ttbr1 & 0xffffc000u) | (va >> 20) << 2;
    else
        l1addr = (cpu->cp15.ttbr0 & (0xffffc000u >> n)) | ((va << n) >> (20 + n)) << 2;
    if (!read_desc(w, l1addr, &l1)) {
        w->fsr = FSR_EXT_L1;
        return false;
    }
    unsigned type = l1 & 3;
    if (type == 0 || type == 3) {
        w->fsr = FSR_TRANS_SECTION;
        return false;
    }
    if (type == 2) {
        bool super = (l1 & (1u << 18)) != 0;
        w->domain = super ? 0 : (l1 >> 5 & 15);     /* supersections are in domain 0 */
        unsigned prot = ap_v6_prot(w, l1 >> 15 & 1, l1 >> 10 & 3);
        if (!check_access(w, prot, (l1 >> 4) & 1, true, access, &out->prot))
            return false;
        out->paddr = super ? (l1 & 0xff000000u) : (l1 & 0xfff00000u);
        out->page_bits = super ? 24 : 20;
        return true;
    }
    w->domain = l1 >> 5 & 15;
    uint32_t l2;
    if (!read_desc(w, (l1 & 0xfffffc00u) | (va >> 12 & 0xff) << 2, &l2)) {
        w->fsr = FSR_EXT_L2;
        return false;
    }
    bool xn;
    switch (l2 & 3) {
    case 0:
        w->fsr = FSR_TRANS_PAGE;
        return false;
    case 1:                                         /* large page, 64 KiB */
        xn = (l2 >> 15) & 1;
        out->paddr = l2 & 0xffff0000u;
        out->page_bits = 16;
        break;
    default:                                        /* small page, 4 KiB; bit 0 is XN */
        xn = l2 & 1;
        out->paddr = l2 & 0xfffff000u;
        out->page_bits = 12;
        break;
    }
    unsigned prot = ap_v6_prot(w, l2 >> 9 & 1, l2 >> 4 & 3);
    return check_access(w, prot, xn, false, access, &out->prot);
}

/* ---- the contract ------------------------------------------------------------------ */

bool arm_mmu_translate(CPUCommon *common, uint64_t vaddr, ExecAccess access, int mmu_idx, ExecTLBFill *out)
{
    ARMCPU *cpu = (ARMCPU *)common;
    uint32_t sctlr = cpu->cp15.sctlr;
    if (!(sctlr & SCTLR_M)) {
        out->paddr = vaddr & ~0xfffull;
        out->page_bits = 12;
        out->prot = EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC;
        return true;
    }
    Walk w = { .cpu = cpu, .va = (uint32_t)vaddr, .user = mmu_idx == ARM_MMU_IDX_USER };
    /* The FCSE: addresses below 32 MiB are relocated by the process ID. */
    if (!(w.va >> 25))
        w.va |= cpu->cp15.fcseidr;
    bool vmsa = (cpu->features & ARM_FEATURE_V7) ||
                ((cpu->features & ARM_FEATURE_V6) && (sctlr & SCTLR_XP));
    bool ok = vmsa ? walk_v6(&w, access, out) : walk_v5(&w, access, out);
    if (ok)
        return true;
    /* The domain field is valid except for a first-level translation
     * fault or an external abort on the first-level fetch. */
    uint32_t fsr = w.fsr;
    if (fsr != FSR_TRANS_SECTION && fsr != FSR_EXT_L1)
        fsr |= w.domain << 4;
    cpu->cp15.pending_fsr = fsr;
    cpu->cp15.pending_addr = (uint32_t)vaddr;
    cpu->cp15.pending_valid = 1;
    common->fault_addr = vaddr;
    common->fault_access = access;
    common->fault_reason = (w.fsr == FSR_TRANS_SECTION || w.fsr == FSR_TRANS_PAGE) ? EXEC_FAULT_UNMAPPED
                         : (w.fsr == FSR_EXT_L1 || w.fsr == FSR_EXT_L2) ? EXEC_FAULT_EXTERNAL
                         : EXEC_FAULT_PERMISSION;
    return false;
}
