/*
 * x86-fxsave.h — the x86 FPU/SSE/AVX state in its architectural memory
 * images: the legacy FSAVE/FSTENV layouts, the 512-byte FXSAVE image and
 * the XSAVE area (public header of frontend-x86; x86-fxsave.c).
 *
 * Two users: the FNSAVE/FRSTOR/FXSAVE/FXRSTOR/XSAVE* instructions
 * (translate-x87.c calls these through helpers, after the guest memory has
 * been checked), and linux-user's signal frames (i386: a 108-byte FSAVE
 * image followed by an FXSAVE image; x86_64: an FXSAVE64 image with the
 * XSAVE header and the AVX component behind it).  Images are plain byte
 * arrays in guest (little-endian) byte order; the functions never touch
 * guest memory themselves.
 *
 * Loads return 0, or -1 where the instruction would raise #GP (a reserved
 * MXCSR bit, a malformed XSAVE header): the caller raises the fault (or a
 * sigreturn fails with SIGSEGV) and the cpu state is then unchanged.
 */
#ifndef VEMU_X86_FXSAVE_H
#define VEMU_X86_FXSAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-x86/x86-cpu.h"

/* ---- sizes ---------------------------------------------------------------- */
#define X86_FENV32_SIZE   28u    /* FNSTENV/FLDENV, 32-bit operand size */
#define X86_FENV16_SIZE   14u    /* the same with a 0x66 prefix (16-bit) */
#define X86_FSAVE32_SIZE  108u   /* FNSAVE/FRSTOR: environment + 8 x 10 bytes */
#define X86_FSAVE16_SIZE  94u
#define X86_FXSAVE_SIZE   512u

/* The XSAVE components vemu implements (XCR0 bits) and their places in the
 * standard (non-compacted) format.  The legacy region (x87, SSE) is the
 * FXSAVE image; the header follows it; AVX's upper YMM halves come next. */
#define X86_XCR0_X87      (1ull << 0)
#define X86_XCR0_SSE      (1ull << 1)
#define X86_XCR0_AVX      (1ull << 2)
#define X86_XCR0_SUPPORTED (X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX)
#define X86_XSAVE_HDR_OFF  512u  /* XSTATE_BV (8), XCOMP_BV (8), 48 zero bytes */
#define X86_XSAVE_AVX_OFF  576u  /* YMM_Hi128[16], 16 bytes each */
#define X86_XSAVE_AVX_SIZE 256u

/* Bytes an XSAVE area needs for the components in xcr0 (CPUID.(EAX=0DH,
 * ECX=0).EBX/ECX, XSAVEC's size for those components: with only x87, SSE
 * and AVX the compacted and standard layouts coincide). */
uint32_t x86_xsave_size(uint64_t xcr0);

/* ---- the x87 environment and FSAVE ------------------------------------------
 * flags: X86_FPU_OP16 for the 16-bit layouts (operand-size prefix in 32-bit
 * code); otherwise the 32-bit protected-mode layout (also what 64-bit code
 * uses).  The instruction and operand pointers are the low 32 bits of
 * fip/fdp, with fcs/fds and fop as the 32-bit layout has them. */
enum {
    X86_FPU_OP16 = 1u << 0,   /* 16-bit FSTENV/FSAVE layout */
    X86_FPU_REXW = 1u << 1,   /* FXSAVE64/FXRSTOR64/XSAVE64 ...: 64-bit FIP/FDP */
    X86_FPU_XMM16 = 1u << 2,  /* 64-bit mode: XMM8-15 are saved and restored */
};

/* FNSTENV's image (the instruction then masks all exceptions: the caller
 * sets fcw |= 0x3f), FLDENV's load. */
void x86_fstenv(const X86CPU *cpu, uint8_t *img, unsigned flags);
void x86_fldenv(X86CPU *cpu, const uint8_t *img, unsigned flags);
/* FNSAVE's image (environment and ST(0)..ST(7)); the instruction then
 * reinitialises the FPU (x86_fpu_finit).  FRSTOR's load. */
void x86_fsave(const X86CPU *cpu, uint8_t *img, unsigned flags);
void x86_frstor(X86CPU *cpu, const uint8_t *img, unsigned flags);

/* FNINIT: fcw 0x37f, fsw 0, all registers empty, pointers 0. */
void x86_fpu_finit(X86CPU *cpu);
/* The state of a new process: FNINIT plus MXCSR 0x1f80 and zeroed vector
 * registers. */
/* Before C code reads the x87 status word (signal frames, gdb): the
 * flags the fast path left in the host's x87 (x87_sync_host_flags).  The
 * cpu state is logically const: only the guest's true state is filled in. */
void x86_fpu_sync_host(const X86CPU *cpu);
void x86_fpu_reset(X86CPU *cpu);

/* ---- FXSAVE ------------------------------------------------------------------
 * flags: X86_FPU_REXW (FXSAVE64 layout), X86_FPU_XMM16 (64-bit mode).
 * The abridged tag byte is derived from the full tag word, and FXRSTOR
 * rebuilds the full tag from the abridged one and the register contents.
 * x86_fxrstor returns -1 (#GP, nothing changed) if MXCSR has reserved
 * bits set (outside x86_mxcsr_mask()). */
void x86_fxsave(const X86CPU *cpu, uint8_t img[X86_FXSAVE_SIZE], unsigned flags);
int x86_fxrstor(X86CPU *cpu, const uint8_t img[X86_FXSAVE_SIZE], unsigned flags);
/* The MXCSR_MASK FXSAVE reports (bits MXCSR may hold: 0xffff with DAZ). */
uint32_t x86_mxcsr_mask(void);

/* ---- XSAVE ---------------------------------------------------------------------
 * rfbm: the requested-feature bitmap, already ANDed with XCR0 by the caller
 * (EDX:EAX & XCR0).  img points to an area of x86_xsave_size(xcr0) bytes.
 *   X86_XSAVE_STD   XSAVE: standard format; XSTATE_BV's bits in rfbm are
 *                   set for the components written (vemu writes every
 *                   requested component and reports it in use)
 *   X86_XSAVE_OPT   XSAVEOPT: as XSAVE (the "modified" optimisation is
 *                   optional in the architecture and not taken)
 *   X86_XSAVE_C     XSAVEC: compacted format, XCOMP_BV = bit 63 | rfbm
 * XRSTOR loads the components in rfbm whose XSTATE_BV bit is set and puts
 * the others in rfbm into their initial state; -1 (#GP, nothing changed)
 * for a malformed header or MXCSR. */
typedef enum X86XsaveKind { X86_XSAVE_STD, X86_XSAVE_OPT, X86_XSAVE_C } X86XsaveKind;
void x86_xsave(const X86CPU *cpu, uint8_t *img, uint64_t rfbm, X86XsaveKind kind, unsigned flags);
int x86_xrstor(X86CPU *cpu, const uint8_t *img, uint64_t rfbm, uint64_t xcr0, unsigned flags);

#endif
