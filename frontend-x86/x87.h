/*
 * x87.h — frontend-x86's x87 unit: the stack machine around host-x87.h.
 *
 * x87.c keeps the guest's stack (TOP, the full tag word), the sticky
 * exception flags with ES/B, stack overflow and underflow (IE + SF, C1 up
 * for overflow, down for underflow, the QNaN indefinite as the masked
 * response) and the deferred #MF (an unmasked exception is delivered at the
 * next waiting x87 instruction, as Linux's SIGFPE is).  The arithmetic
 * itself is host_x87_* (host/host-x87.h): bit-exact with an x87 unit.
 *
 * These functions are what translate-x87.c's helpers call; they are plain
 * C on the cpu state (unit-tested directly against the host's x87 in
 * tests/unit/test-x87.c).  Register operands are stack-relative (i of
 * ST(i)); memory operands arrive as their bytes (the translator loads them
 * with IR loads, so faults are precise) in X87State.image for the 80-bit
 * ones.
 */
#ifndef VEMU_X87_H
#define VEMU_X87_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-fpu.h"
#include "host/host-x87.h"

/* Status word bits (TOP, bits 13:11, lives in X87State.top). */
#define X87_SW_IE 0x0001u
#define X87_SW_DE 0x0002u
#define X87_SW_ZE 0x0004u
#define X87_SW_OE 0x0008u
#define X87_SW_UE 0x0010u
#define X87_SW_PE 0x0020u
#define X87_SW_SF 0x0040u
#define X87_SW_ES 0x0080u
#define X87_SW_C0 0x0100u
#define X87_SW_C1 0x0200u
#define X87_SW_C2 0x0400u
#define X87_SW_C3 0x4000u
#define X87_SW_B  0x8000u
#define X87_SW_CC (X87_SW_C0 | X87_SW_C1 | X87_SW_C2 | X87_SW_C3)
#define X87_SW_EXC 0x003fu

#define X87_CW_DEFAULT 0x037fu

/* X86_EXCP_MF: x86-fpu.h */

/* Tags (two bits per physical register in X87State.ftw). */
enum { X87_TAG_VALID = 0, X87_TAG_ZERO = 1, X87_TAG_SPECIAL = 2, X87_TAG_EMPTY = 3 };

static inline unsigned x87_phys(const X87State *f, unsigned i) { return (f->top + i) & 7; }
static inline unsigned x87_tag(const X87State *f, unsigned phys) { return (f->ftw >> (2 * phys)) & 3; }
static inline void x87_set_tag(X87State *f, unsigned phys, unsigned t)
{
    f->ftw = (uint16_t)((f->ftw & ~(3u << (2 * phys))) | (t << (2 * phys)));
}
/* The tag a value gets when written (FXRSTOR and FLDENV recompute it). */
unsigned x87_tag_of(const X87Reg *r);
/* The status word with TOP, as FNSTSW shows it. */
static inline uint16_t x87_fsw(const X87State *f) { return (uint16_t)((f->fsw & ~0x3800u) | ((f->top & 7) << 11)); }
/* Set the status word (FLDENV, FRSTOR, FXRSTOR): TOP goes to f->top; ES/B
 * are recomputed from the flags and the control word. */
void x87_set_fsw(X87State *f, uint16_t sw);
/* After fcw or the flags changed: ES and B = an unmasked flag is set. */
void x87_update_es(X87State *f);
/* Exception flags that guest instructions run on the host's x87 (the
 * fast path, x87-fast.h) left in the host's sticky status word, into
 * fsw: before C code reads the status word. */
void x87_sync_host_flags(X87State *f);

/* FNINIT's state. */
void x87_init(X87State *f);

/* An unmasked exception is pending (ES): the next waiting x87 instruction
 * raises #MF (x87_check_pending's caller raises it; linux-user delivers
 * SIGFPE with the si_code from x87_fpe_code). */
static inline bool x87_pending(const X87State *f) { return (f->fsw & X87_SW_ES) != 0; }
/* Linux's si_code for a pending exception (FPE_FLTINV ... as the kernel
 * picks it from the unmasked flags). */
int x87_fpe_code(const X87State *f);

/* ---- the instructions (return nothing unless said) --------------------- */
/* FLD m32/m64/m80, FILD m16/m32/m64, FBLD: push the converted value;
 * src holds the operand's bytes (m80 and BCD: all 10). */
void x87_fld_mem(X87State *f, HostX87Fmt fmt, const HostF80 *src);
/* FLD ST(i) */
void x87_fld_st(X87State *f, unsigned i);
/* FLD1 ... FLDZ */
void x87_fld_const(X87State *f, HostX87Const k);
/* FST/FSTP m32/m64/m80, FIST/FISTP/FISTTP, FBSTP: *dst = the bytes to
 * store (the caller stores the format's size from it).  Returns false if
 * nothing is to be stored (an unmasked exception: memory keeps its value). */
bool x87_fst_mem(X87State *f, HostX87Fmt fmt, bool truncate, bool pop, HostF80 *dst);
/* FST/FSTP ST(i) */
void x87_fst_st(X87State *f, unsigned i, bool pop);
/* FADD ... FDIVR: ST(di) = ST(di) op ST(si), then pop if asked */
void x87_arith_st(X87State *f, HostX87Arith op, unsigned di, unsigned si, bool pop);
/* the memory forms: ST(0) = ST(0) op m32/m64/m16int/m32int */
void x87_arith_mem(X87State *f, HostX87Arith op, HostX87Fmt fmt, const HostF80 *src);
/* FCOM/FCOMP/FCOMPP/FUCOM*, FICOM*: C3 C2 C0 from ST(0) vs ST(i) or the
 * memory operand, then pops (0, 1 or 2) */
void x87_fcom_st(X87State *f, unsigned i, bool unordered, unsigned pops);
void x87_fcom_mem(X87State *f, HostX87Fmt fmt, const HostF80 *src, bool pop);
/* FCOMI/FCOMIP/FUCOMI/FUCOMIP: returns EFLAGS' ZF PF CF (the others clear) */
uint32_t x87_fcomi(X87State *f, unsigned i, bool unordered, bool pop);
void x87_ftst(X87State *f);
void x87_fxam(X87State *f);
void x87_fxch(X87State *f, unsigned i);
void x87_fchs(X87State *f);
void x87_fabs(X87State *f);
/* FSQRT FRNDINT F2XM1 FSIN FCOS FPTAN FSINCOS FXTRACT FPREM FPREM1
 * FSCALE FYL2X FYL2XP1 FPATAN */
void x87_func(X87State *f, HostX87Func op);
/* FCMOVcc ST(0), ST(i): cond is the condition's value */
void x87_fcmov(X87State *f, unsigned i, bool cond);
void x87_ffree(X87State *f, unsigned i, bool pop);   /* FFREE / FFREEP */
void x87_fincstp(X87State *f);
void x87_fdecstp(X87State *f);
void x87_fldcw(X87State *f, uint16_t cw);
void x87_fnclex(X87State *f);

/* ---- MMX's view (for the MMX instructions of frontend-x86) -------------
 * An MMX instruction first makes the x87 unit MMX-shaped: TOP = 0 and every
 * tag valid; a write of mm<i> sets R[i]'s exponent field to all ones.
 * EMMS empties every tag. */
void x87_mmx_enter(X87State *f);
void x87_emms(X87State *f);
static inline void x87_mmx_write(X87State *f, unsigned i, uint64_t v)
{
    f->r[i & 7].mant = v;
    f->r[i & 7].sign_exp = 0xffff;
}

#endif
