/*
 * x86-cpu.h — the x86 guest CPU state (public header of frontend-x86).
 *
 * One state serves both guests: vemu-i386 (32-bit protected mode, flat
 * segments) and vemu-x86_64 (64-bit long mode).  Registers are kept 64
 * bits wide; in 32-bit code their upper halves stay zero.
 *
 * The parts are owned by concept, each with its own header and code:
 *   - integer registers, rip, segments, lazy flags: this file, x86-flags.c
 *   - the x87 unit (and MMX, which aliases its registers): x87-state.h
 *   - SSE/AVX registers and MXCSR: x86-vec.h
 * fxsave/xsave images (signal frames, FXSAVE/XSAVE instructions) are built
 * from both by x86-fxsave.c.
 *
 * Flags are lazy (x86-flags.c): a flag-setting instruction records what it
 * did (cc_op, an X86CCOp) and its operands (cc_dst, cc_src, cc_src2); the
 * flags are computed only when something reads them.  x86_eflags_read()
 * and x86_eflags_write() convert to and from the architectural EFLAGS.
 */
#ifndef VEMU_X86_CPU_H
#define VEMU_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/cpu-common.h"
#include "exec/frontend.h"
#include "frontend-x86/x87-state.h"
#include "frontend-x86/x86-vec.h"

/* General-purpose registers, in encoding order. */
enum {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_NREGS
};

/* Segment registers, in encoding order (the sreg field of MOV Sw). */
enum { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS, X86_NSEGS };

/* EFLAGS bits */
#define X86_EFLAGS_CF   (1u << 0)
#define X86_EFLAGS_FIXED (1u << 1)   /* always 1 */
#define X86_EFLAGS_PF   (1u << 2)
#define X86_EFLAGS_AF   (1u << 4)
#define X86_EFLAGS_ZF   (1u << 6)
#define X86_EFLAGS_SF   (1u << 7)
#define X86_EFLAGS_TF   (1u << 8)
#define X86_EFLAGS_IF   (1u << 9)
#define X86_EFLAGS_DF   (1u << 10)
#define X86_EFLAGS_OF   (1u << 11)
#define X86_EFLAGS_IOPL (3u << 12)
#define X86_EFLAGS_NT   (1u << 14)
#define X86_EFLAGS_RF   (1u << 16)
#define X86_EFLAGS_VM   (1u << 17)
#define X86_EFLAGS_AC   (1u << 18)
#define X86_EFLAGS_VIF  (1u << 19)
#define X86_EFLAGS_VIP  (1u << 20)
#define X86_EFLAGS_ID   (1u << 21)
/* The six arithmetic flags the lazy representation covers. */
#define X86_EFLAGS_ARITH (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
                          X86_EFLAGS_SF | X86_EFLAGS_OF)

/* The frontend's own exception numbers (exec_cpu_run returns them beside
 * EXCP_SYSCALL, EXCP_UDEF (#UD), EXCP_BKPT and EXCP_MEM_FAULT), named after
 * the x86 vectors; linux-user turns them into the signals Linux sends:
 *   X86_EXCP_DE  divide error (DIV/IDIV by zero or overflow): SIGFPE FPE_INTDIV
 *   X86_EXCP_OF  INTO with OF set: SIGSEGV
 *   X86_EXCP_BR  BOUND out of range: SIGSEGV
 *   X86_EXCP_GP  general protection (privileged instructions, INT n other
 *                than 3 and 0x80, instructions over 15 bytes): SIGSEGV, SI_KERNEL
 *   X86_EXCP_XM  SIMD floating-point exception (an MXCSR exception the
 *                guest unmasked; the flags are set in MXCSR): SIGFPE, the
 *                si_code from the lowest unmasked flag raised
 * rip is at the instruction.  INT3 raises EXCP_BKPT with rip after it
 * (a trap, as the kernel reports it: SIGTRAP). */
enum {
    X86_EXCP_DE = EXCP_FRONTEND_BASE + 0,
    X86_EXCP_OF = EXCP_FRONTEND_BASE + 4,
    X86_EXCP_BR = EXCP_FRONTEND_BASE + 5,
    X86_EXCP_GP = EXCP_FRONTEND_BASE + 13,
    X86_EXCP_XM = EXCP_FRONTEND_BASE + 19,
};

/* Translation-mode bits of the block key (Frontend.get_tb_key's flags). */
enum {
    X86_TBF_CODE64 = 1 << 0,   /* 64-bit code (CS.L) */
    X86_TBF_CODE32 = 1 << 1,   /* 32-bit default operand/address size (CS.D) */
    /* the x87 fast path (x87-fast.h): control word 0x37F, nothing pending,
     * a backend with Backend.host_x87; then TOP and the empty registers */
    X86_TBF_X87 = 1 << 8,
    X86_TBF_X87_TOP_SHIFT = 9,     /* 3 bits */
    X86_TBF_X87_EMPTY_SHIFT = 12,  /* 8 bits: bit p, physical register p empty */
};

typedef struct X86CPU {
    CPUCommon common;          /* first: the engine's part */

    uint64_t regs[X86_NREGS];
    uint64_t rip;

    /* Lazy arithmetic flags (x86-flags.c): cc_op says how CF PF AF ZF SF
     * OF follow from cc_dst/cc_src/cc_src2.  Globals of the IR, lazy at
     * faults: insn_start records the cc_op the translator knew statically
     * so restore_state can rebuild it. */
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;
    /* DF as the string instructions use it: +1 (clear) or -1 (set). */
    int32_t df;
    /* EFLAGS bits outside the arithmetic six and DF (IF, TF, AC, ID ...). */
    uint32_t eflags_rest;

    /* Segments: user mode keeps flat code and data segments, fs and gs
     * with their bases (TLS through set_thread_area / arch_prctl). */
    uint16_t seg_sel[X86_NSEGS];
    uint64_t seg_base[X86_NSEGS];
    /* The code-size mode the cpu runs in (X86_TBF_CODE64 / _CODE32). */
    uint32_t code_mode;

    X87State fpu;              /* x87 and MMX (x87-state.h) */
    X86VecState vec;           /* XMM/YMM and MXCSR (x86-vec.h) */

    /* The cpu model (x86-cpuid.c): what CPUID reports and what decodes. */
    const struct X86CPUModel *model;
    uint64_t tsc_offset;       /* rdtsc = host tsc + offset */

    /* i386 user mode (added by linux-user): the three GDT TLS entries
     * (12, 13, 14) set_thread_area fills.  Loading their selector
     * (index << 3 | 3) into a segment register takes the base from here
     * (x86_user_seg_base); the null selector gives base 0. */
    struct X86TLSDesc {
        uint32_t base, limit;
        uint32_t flags;        /* X86_TLS_* as struct user_desc's bits */
        uint32_t present;
    } tls_gdt[3];
} X86CPU;

enum { X86_TLS_GDT_FIRST = 12, X86_TLS_GDT_N = 3 };
/* struct user_desc's flag bits (asm/ldt.h), after entry, base, limit */
enum {
    X86_TLS_SEG_32BIT = 1 << 0, X86_TLS_CONTENTS = 3 << 1, X86_TLS_READ_EXEC_ONLY = 1 << 3,
    X86_TLS_LIMIT_IN_PAGES = 1 << 4, X86_TLS_SEG_NOT_PRESENT = 1 << 5, X86_TLS_USEABLE = 1 << 6,
    X86_TLS_LM = 1 << 7,
};

/* User mode: the base a selector loaded into ds/es/fs/gs/ss gives, or
 * false when loading it faults (#GP: an index Linux does not give user
 * code, or an empty TLS entry).  The flat user selectors and the null
 * selector have base 0. */
static inline bool x86_user_seg_base(const struct X86CPU *cpu, uint16_t sel, uint64_t *base)
{
    unsigned idx = sel >> 3;
    *base = 0;
    if ((sel & ~3u) == 0)
        return true;                      /* null selector */
    if ((sel & 3) != 3 || (sel & 4))
        return false;                     /* not RPL 3, or an LDT selector */
    if (idx >= X86_TLS_GDT_FIRST && idx < X86_TLS_GDT_FIRST + X86_TLS_GDT_N) {
        const struct X86TLSDesc *d = &cpu->tls_gdt[idx - X86_TLS_GDT_FIRST];
        if (!d->present)
            return false;
        *base = d->base;
        return true;
    }
    /* a 64-bit kernel's __USER32_CS 0x23, __USER_DS 0x2b, __USER_CS 0x33,
     * which 32-bit programs see too */
    return idx == 4 || idx == 5 || idx == 6;
}

static inline X86CPU *x86_cpu(CPUCommon *c) { return (X86CPU *)c; }

/* EFLAGS as the architecture shows it (pushf, signal frames, gdb). */
/* The mode flags of the block key for cpu's state now (Frontend.get_tb_key;
 * also what a block that changed the x87 state looks its successor up with). */
uint64_t x86_cpu_tb_flags(const X86CPU *cpu);
uint32_t x86_eflags_read(const X86CPU *cpu);
/* Set the bits of mask from val (popf, sigreturn, gdb). */
void x86_eflags_write(X86CPU *cpu, uint32_t val, uint32_t mask);

/* The frontends: 32-bit (vemu-i386) and 64-bit (vemu-x86_64) guests. */
extern const Frontend x86_frontend_i386;
extern const Frontend x86_frontend_x86_64;

#endif
