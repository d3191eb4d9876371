/*
 * host-x87.h — x87 arithmetic on 80-bit extended values, behind one
 * host-neutral interface.
 *
 * frontend-x86's x87 unit (frontend-x86/x87*.c) keeps the guest's stack,
 * tags, TOP and sticky flags itself and calls here for each operation that
 * computes: the operands as 80-bit values (or a memory operand's bytes),
 * the guest's control word (precision control, rounding control, exception
 * masks) in, the result and the status word that operation produced out.
 * Results must be bit-exact with an x87 unit: NaN choice, precision
 * control's double rounding of the exponent range, denormals, C1 (rounded
 * up), the transcendental instructions' exact values.
 *
 * On an x86_64 host (host-x87-x86_64.c) every operation runs the same
 * instruction on the host's own x87 unit, which makes it exact by
 * construction.  Another host (aarch64, a later issue) needs an exact
 * software implementation behind the same functions, tested against the
 * x86_64 one (tests/unit/test-x87-host.c has the cases to start from).
 *
 * The status word returned:
 *   - exception flags IE DE ZE OE UE PE (bits 0-5): those this operation
 *     raised; with every exception masked in fcw possibly also flags that
 *     earlier operations raised since the last host_x87_clear_flags() (the
 *     x86_64 host keeps them sticky because clearing costs more than the
 *     operation).  The caller ORs them into its sticky flags, which already
 *     hold the earlier ones, and calls host_x87_clear_flags() whenever it
 *     clears its own (FNCLEX, FNINIT, FLDENV ...).  With an exception
 *     unmasked the flags are exactly this operation's;
 *   - C0 C1 C2 C3 as the instruction leaves them (compare results, C1 =
 *     "rounded up", FPREM's quotient bits, C2 = "incomplete reduction");
 *   - never SF, ES, B or TOP: the host's stack is private (stack faults are
 *     the caller's business, it owns the guest's stack).
 * An exception the guest's control word leaves unmasked behaves as on the
 * hardware: the destination keeps its old value (invalid, zero divide,
 * denormal), or gets the exponent-wrapped result (overflow, underflow);
 * the trap itself is the caller's (the guest's next waiting instruction).
 */
#ifndef VEMU_HOST_X87_H
#define VEMU_HOST_X87_H

#include <stdbool.h>
#include <stdint.h>

/* An 80-bit extended value as the x87 stores it in memory: the first 10
 * bytes are its image (significand with the explicit integer bit, then sign
 * and exponent).  Same layout as frontend-x86's X87Reg.  As a memory
 * operand (HOST_X87_M*), the struct holds the operand's bytes from its
 * start: an m32's bits are the low 32 bits of mant, a BCD's 10 bytes are
 * mant and sign_exp. */
typedef struct HostF80 {
    uint64_t mant;
    uint16_t sign_exp;
    uint16_t pad[3];
} HostF80;

/* Status word bits (the x87's own positions). */
#define HOST_X87_IE 0x0001u
#define HOST_X87_DE 0x0002u
#define HOST_X87_ZE 0x0004u
#define HOST_X87_OE 0x0008u
#define HOST_X87_UE 0x0010u
#define HOST_X87_PE 0x0020u
#define HOST_X87_EXC 0x003fu
#define HOST_X87_C0 0x0100u
#define HOST_X87_C1 0x0200u
#define HOST_X87_C2 0x0400u
#define HOST_X87_C3 0x4000u
#define HOST_X87_CC (HOST_X87_C0 | HOST_X87_C1 | HOST_X87_C2 | HOST_X87_C3)

/* The caller's flags were cleared: forget the host's sticky ones. */
void host_x87_clear_flags(void);
/* The host's status word now (its sticky exception flags: code that runs
 * guest x87 instructions on the host leaves them there). 0 on hosts
 * without an x87. */
uint16_t host_x87_status(void);

/* Operand formats: a stack register, or a memory operand's type. */
typedef enum HostX87Fmt {
    HOST_X87_ST,        /* an 80-bit register value */
    HOST_X87_M32FP,
    HOST_X87_M64FP,
    HOST_X87_M80FP,     /* loads and stores of m80 are plain copies */
    HOST_X87_M16INT,
    HOST_X87_M32INT,
    HOST_X87_M64INT,
    HOST_X87_M80BCD,
} HostX87Fmt;

/* The six arithmetic operations, numbered as the ModRM reg field of D8/DC
 * numbers them (FCOM and FCOMP, 2 and 3, are host_x87_compare). */
typedef enum HostX87Arith {
    HOST_X87_FADD = 0, HOST_X87_FMUL = 1,
    HOST_X87_FSUB = 4, HOST_X87_FSUBR = 5, HOST_X87_FDIV = 6, HOST_X87_FDIVR = 7,
} HostX87Arith;

/* *dst = *dst op src (FSUBR: src - *dst), with *dst as the instruction's
 * destination operand and src its source (the roles decide which NaN
 * wins).  fmt: HOST_X87_ST, M32FP, M64FP, M16INT or M32INT. */
uint16_t host_x87_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src,
                        HostX87Fmt fmt);

/* Compare *a with src (FCOM/FUCOM, FICOM, FCOMI/FUCOMI through the caller):
 * C3 C2 C0 = 000 greater, 001 less, 100 equal, 111 unordered.  unordered:
 * the FUCOM form (a QNaN raises no invalid). */
uint16_t host_x87_compare(bool unordered, uint16_t fcw, const HostF80 *a, const HostF80 *src,
                          HostX87Fmt fmt);

/* FLD m32/m64/m80, FILD m16/m32/m64, FBLD: *dst = src converted.  Returns
 * the status; *dst is unchanged if an unmasked exception stopped the load
 * (then the return has that exception's bit and the caller must not push). */
uint16_t host_x87_load(uint16_t fcw, HostF80 *dst, const HostF80 *src, HostX87Fmt fmt);

/* FST/FSTP m32/m64/m80, FIST/FISTP m16/m32/m64, FISTTP (truncate), FBSTP:
 * *mem = *src converted, in the control word's rounding mode (FISTTP:
 * toward zero).  An invalid conversion stores the format's indefinite
 * (masked) or leaves *mem unchanged (unmasked). */
uint16_t host_x87_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                        bool truncate);

/* FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (D9 E8..EE), rounded as fcw
 * says (the x87 holds these constants to 66 bits). */
typedef enum HostX87Const {
    HOST_X87_LD1, HOST_X87_LDL2T, HOST_X87_LDL2E, HOST_X87_LDPI,
    HOST_X87_LDLG2, HOST_X87_LDLN2, HOST_X87_LDZ,
} HostX87Const;
uint16_t host_x87_const(uint16_t fcw, HostF80 *dst, HostX87Const k);

/* The other computing instructions, on the top of the stack:
 *   st[0] = ST(0), st[1] = ST(1) (read by the two-operand ones: FPREM,
 *   FPREM1, FSCALE, FYL2X, FYL2XP1, FPATAN) in; the stack afterwards
 *   (ST(0) first) out, and *pushed = its depth change:
 *     FSQRT FRNDINT F2XM1 FSIN FCOS FPREM FPREM1 FSCALE   0
 *     FPTAN FSINCOS FXTRACT                              +1 (st[1] = the old ST(0)'s place)
 *     FYL2X FYL2XP1 FPATAN                               -1 (result in st[0])
 *   as on the hardware, an unmasked exception may leave the stack as it was
 *   (*pushed = 0, values unchanged): the caller follows *pushed.
 *   The caller has checked the guest stack (empty operands, room to push). */
typedef enum HostX87Func {
    HOST_X87_FSQRT, HOST_X87_FRNDINT, HOST_X87_F2XM1, HOST_X87_FSIN, HOST_X87_FCOS,
    HOST_X87_FPREM, HOST_X87_FPREM1, HOST_X87_FSCALE,
    HOST_X87_FPTAN, HOST_X87_FSINCOS, HOST_X87_FXTRACT,
    HOST_X87_FYL2X, HOST_X87_FYL2XP1, HOST_X87_FPATAN,
} HostX87Func;
uint16_t host_x87_func(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed);

/* How many stack inputs an HostX87Func reads (1 or 2). */
static inline int host_x87_func_inputs(HostX87Func op)
{
    return (op == HOST_X87_FPREM || op == HOST_X87_FPREM1 || op == HOST_X87_FSCALE ||
            op == HOST_X87_FYL2X || op == HOST_X87_FYL2XP1 || op == HOST_X87_FPATAN) ? 2 : 1;
}

/* ---- Generated code's x87 stack ----------------------------------------
 * On a host whose backend runs the IR's x87 op (exec/backend.h,
 * Backend.host_x87), a block may hold guest values on the host's x87 stack
 * when a guest fault leaves it.  linux-user's fault handler notes the
 * stack of the interrupted code from the signal context before it leaves
 * the handler by longjmp; the frontend's restore_state then takes it:
 * the noted one, else the live host stack (a helper raised), which this
 * empties.  Other hosts: depth 0. */
typedef struct HostX87Stack {
    unsigned depth;     /* ST(0) .. ST(depth-1) are not empty */
    uint16_t sw;        /* the host's status word then */
    HostF80 st[8];      /* ST(j) */
} HostX87Stack;
void host_x87_note_signal(const void *ucontext);   /* NULL: forget */
void host_x87_take_stack(HostX87Stack *out);

#endif
