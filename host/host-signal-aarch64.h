/*
 * host-signal-aarch64.h — host-signal.h on aarch64.  Only host-signal.h
 * includes this.
 *
 * Whether a fault was a write: the kernel puts the fault's syndrome (ESR)
 * in an esr_context record of the signal frame's __reserved area, a chain
 * of {magic, size} records ending in a zero one (asm/sigcontext.h).  For a
 * data abort (EC 0x24 from EL0, 0x25) WnR, bit 6, is set for a write;
 * a cache maintenance instruction (CM, bit 8) reports WnR 1 but reads.
 * Without that record (an older kernel, or qemu-aarch64 7.2, whose signal
 * frames have none) the faulting instruction itself says it: the host's
 * own loads and stores (vemu's C code and generated code), decoded by
 * their class in the A64 load/store encoding space.  Anything not
 * recognised is "unknown" (the caller then treats the fault as possibly a
 * write, which is safe, see linux-user/guest-mem.c).
 */
#ifndef VEMU_HOST_SIGNAL_AARCH64_H
#define VEMU_HOST_SIGNAL_AARCH64_H

#include <asm/sigcontext.h>
#include <string.h>

static inline uintptr_t host_signal_pc(const ucontext_t *uc)
{
    return (uintptr_t)uc->uc_mcontext.pc;
}

static inline void host_signal_set_pc(ucontext_t *uc, uintptr_t pc)
{
    uc->uc_mcontext.pc = pc;
}

/* The ESR from the frame's records, or 0 when there is none. */
static inline uint64_t host_signal_esr(const ucontext_t *uc)
{
    const uint8_t *p = uc->uc_mcontext.__reserved;
    const uint8_t *end = p + sizeof uc->uc_mcontext.__reserved;
    while (p + sizeof(struct _aarch64_ctx) <= end) {
        struct _aarch64_ctx h;
        memcpy(&h, p, sizeof h);
        if (h.magic == 0 || h.size < sizeof h || h.size > (size_t)(end - p))
            break;
        if (h.magic == ESR_MAGIC && h.size >= sizeof(struct esr_context)) {
            struct esr_context e;
            memcpy(&e, p, sizeof e);
            return e.esr;
        }
        p += h.size;
    }
    return 0;
}

/* 1 store, 0 load or prefetch, -1 not a load/store this knows. */
static inline int host_a64_insn_is_store(uint32_t insn)
{
    if ((insn & 0x0a000000u) != 0x08000000u)        /* op0 x1x0: loads and stores */
        return -1;
    if ((insn & 0x3f000000u) == 0x08000000u) {      /* exclusive, acquire/release, CAS */
        if ((insn & 0x00a00000u) == 0x00a00000u)    /* o2 o1: compare and swap */
            return 1;
        return !(insn & (1u << 22));                /* L */
    }
    if ((insn & 0x3b000000u) == 0x18000000u)        /* literal load, PRFM literal */
        return 0;
    if ((insn & 0x38000000u) == 0x28000000u)        /* pairs: L is bit 22 */
        return !(insn & (1u << 22));
    if ((insn & 0x38000000u) == 0x38000000u) {      /* single registers */
        unsigned size = insn >> 30, v = (insn >> 26) & 1, opc = (insn >> 22) & 3;
        if ((insn & 0x3b200c00u) == 0x38200000u)   /* atomic memory ops: read-modify-write */
            return 1;
        if (opc == 0)
            return 1;                               /* STR/STUR (any size, SIMD too) */
        if (v && size == 0 && opc == 2)
            return 1;                               /* STR Qt */
        return 0;                                   /* LDR, LDRS*, PRFM, LDR Qt */
    }
    return -1;                                      /* SIMD structure loads/stores, tags */
}

static inline int host_signal_is_write(const ucontext_t *uc)
{
    uint64_t esr = host_signal_esr(uc);
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    if (ec == 0x24 || ec == 0x25)                   /* data abort */
        return (esr & (1u << 6)) && !(esr & (1u << 8));
    if (ec == 0x20 || ec == 0x21)                   /* instruction abort: a fetch */
        return 0;
    uint32_t insn;
    memcpy(&insn, (const void *)(uintptr_t)uc->uc_mcontext.pc, sizeof insn);
    return host_a64_insn_is_store(insn);
}

#endif
