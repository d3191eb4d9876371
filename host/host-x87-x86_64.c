/*
 * host-x87-x86_64.c — host-x87.h on an x86_64 host: every operation runs
 * the very instruction the guest asked for on the host's own x87 unit, so
 * the result is the hardware's to the last bit (NaN choice, precision
 * control, denormals, C1, the transcendental functions' values).
 *
 * Each function is one asm block:
 *   fnstcw save; [fnclex]; fldcw guest-fcw; fld the operands; <the instruction>;
 *   fnstsw; [fnclex]; fstp the results; fldcw save
 * The host runs with the guest's exception masks: an unmasked exception
 * then leaves the destination as the hardware does (old value, or the
 * exponent-wrapped result for overflow/underflow) and sets ES; FNCLEX
 * clears it before the next waiting instruction (the stores), so the host
 * never traps.
 *
 * FNCLEX is slow (it serialises: 20-60 ns on the AMD EPYC this was measured
 * on, against ~10 ns for the rest), so with every exception masked (the
 * usual case: nothing can trap) it is left out, and the host's sticky flags
 * accumulate: the status returned then also holds flags of earlier
 * operations, which the caller already has (host-x87.h's contract; the
 * caller calls host_x87_clear_flags() when its own flags are cleared).  The status is read before FNCLEX (which leaves C0-C3
 * undefined).  Operations whose stack effect depends on an unmasked
 * exception (loads, FISTTP, FPTAN ...) measure the host stack's depth from
 * TOP afterwards and unload what is there.  With an unmasked guest mask,
 * the FNCLEX before FLDCW drops whatever flags were left in the host's
 * x87: they would trap at once.
 *
 * The ABI keeps the x87 stack empty at calls; vemu's C code uses no long
 * double between these blocks (and if it did, the compiler's x87 code
 * lives between our asm blocks, never inside them).
 */
#include "host/host-x87.h"

#include <string.h>

#if defined(__x86_64__)

#define RET_MASK (HOST_X87_EXC | HOST_X87_CC)

/* The host's own control word: the process starts with it and vemu never
 * changes it for long (fesetround() around C library calls puts the
 * rounding back; the precision is never touched).  A guest running with
 * the same word (Linux's default) needs no FLDCW at all. */
#define HOST_X87_CW_DEFAULT 0x037f
#define CW_PRE "fnstcw %[save]\n\tfldcw %[fcw]\n\t"
#define CW_PRE_CLEX "fnstcw %[save]\n\tfnclex\n\tfldcw %[fcw]\n\t"
#define CW_POST "fldcw %[save]"

static inline unsigned sw_top(uint16_t sw) { return (sw >> 11) & 7; }

/* Pop the host stack's depth values into out[] (ST(0) first); depth
 * beyond n is dropped (cannot happen for the operations here). */
static void unload(HostF80 *out, int depth, int n)
{
    for (int i = 0; i < depth; i++) {
        if (i < n)
            __asm__ volatile("fstpt %0" : "=m"(out[i]));
        else
            __asm__ volatile("fstp %%st(0)" ::: "memory");
    }
}

void host_x87_clear_flags(void)
{
    __asm__ volatile("fnclex");
}

uint16_t host_x87_status(void)
{
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    return sw;
}

/* ---- arithmetic --------------------------------------------------------- */

#define ARITH_ST_(pre, clex, post, insn)                                                               \
    __asm__ volatile(pre                           \
                     "fldt %[s]\n\tfldt %[d]\n\t" insn " %%st(1), %%st\n\t"          \
                     "fnstsw %[sw]\n\t" clex "fstpt %[d]\n\tfstp %%st(0)\n\t"     \
                     post                                                 \
                     : [d] "+m"(*dst), [sw] "=m"(sw), [save] "=m"(save)              \
                     : [s] "m"(*src), [fcw] "m"(fcw))
#define ARITH_ST(insn) do { if (fcw == HOST_X87_CW_DEFAULT) ARITH_ST_("", "", "", insn); else if (masked) ARITH_ST_(CW_PRE, "", CW_POST, insn); else ARITH_ST_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn); } while (0)

#define ARITH_MEM_(pre, clex, post, insn, m)                                                           \
    __asm__ volatile(pre                           \
                     "fldt %[d]\n\t" insn " %[mem]\n\t"                             \
                     "fnstsw %[sw]\n\t" clex "fstpt %[d]\n\t"                      \
                     post                                                 \
                     : [d] "+m"(*dst), [sw] "=m"(sw), [save] "=m"(save)              \
                     : [mem] "m"(m), [fcw] "m"(fcw))
#define ARITH_MEM(insn, m) do { if (fcw == HOST_X87_CW_DEFAULT) ARITH_MEM_("", "", "", insn, m); else if (masked) ARITH_MEM_(CW_PRE, "", CW_POST, insn, m); else ARITH_MEM_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn, m); } while (0)

uint16_t host_x87_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src,
                        HostX87Fmt fmt)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC;
    uint16_t sw = 0, save;
    uint16_t m16;
    uint32_t m32;
    uint64_t m64;
    memcpy(&m16, src, sizeof m16);
    memcpy(&m32, src, sizeof m32);
    memcpy(&m64, src, sizeof m64);

    switch (op) {
    case HOST_X87_FADD:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fadds", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("faddl", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fiadds", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fiaddl", m32); break;
        default: ARITH_ST("fadd"); break;
        }
        break;
    case HOST_X87_FMUL:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fmuls", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("fmull", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fimuls", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fimull", m32); break;
        default: ARITH_ST("fmul"); break;
        }
        break;
    case HOST_X87_FSUB:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fsubs", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("fsubl", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fisubs", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fisubl", m32); break;
        default: ARITH_ST("fsub"); break;   /* st0 = st0 - st1: no AT&T swap with %st as destination */
        }
        break;
    case HOST_X87_FSUBR:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fsubrs", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("fsubrl", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fisubrs", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fisubrl", m32); break;
        default: ARITH_ST("fsubr"); break;
        }
        break;
    case HOST_X87_FDIV:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fdivs", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("fdivl", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fidivs", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fidivl", m32); break;
        default: ARITH_ST("fdiv"); break;
        }
        break;
    case HOST_X87_FDIVR:
        switch (fmt) {
        case HOST_X87_M32FP: ARITH_MEM("fdivrs", m32); break;
        case HOST_X87_M64FP: ARITH_MEM("fdivrl", m64); break;
        case HOST_X87_M16INT: ARITH_MEM("fidivrs", m16); break;
        case HOST_X87_M32INT: ARITH_MEM("fidivrl", m32); break;
        default: ARITH_ST("fdivr"); break;
        }
        break;
    }
    return sw & RET_MASK;
}

/* ---- compare ------------------------------------------------------------ */

#define CMP_ST_(pre, clex, post, insn)                                                                 \
    __asm__ volatile(pre                           \
                     "fldt %[s]\n\tfldt %[a]\n\t" insn " %%st(1)\n\t"                \
                     "fnstsw %[sw]\n\t" clex "fstp %%st(0)\n\tfstp %%st(0)\n\t"   \
                     post                                                 \
                     : [sw] "=m"(sw), [save] "=m"(save)                              \
                     : [a] "m"(*a), [s] "m"(*src), [fcw] "m"(fcw))
#define CMP_ST(insn) do { if (fcw == HOST_X87_CW_DEFAULT) CMP_ST_("", "", "", insn); else if (masked) CMP_ST_(CW_PRE, "", CW_POST, insn); else CMP_ST_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn); } while (0)

#define CMP_MEM_(pre, clex, post, insn, m)                                                             \
    __asm__ volatile(pre                           \
                     "fldt %[a]\n\t" insn " %[mem]\n\t"                             \
                     "fnstsw %[sw]\n\t" clex "fstp %%st(0)\n\t"                    \
                     post                                                 \
                     : [sw] "=m"(sw), [save] "=m"(save)                              \
                     : [a] "m"(*a), [mem] "m"(m), [fcw] "m"(fcw))
#define CMP_MEM(insn, m) do { if (fcw == HOST_X87_CW_DEFAULT) CMP_MEM_("", "", "", insn, m); else if (masked) CMP_MEM_(CW_PRE, "", CW_POST, insn, m); else CMP_MEM_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn, m); } while (0)

uint16_t host_x87_compare(bool unordered, uint16_t fcw, const HostF80 *a, const HostF80 *src,
                          HostX87Fmt fmt)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC;
    uint16_t sw = 0, save;
    uint16_t m16;
    uint32_t m32;
    uint64_t m64;
    memcpy(&m16, src, sizeof m16);
    memcpy(&m32, src, sizeof m32);
    memcpy(&m64, src, sizeof m64);

    switch (fmt) {
    case HOST_X87_M32FP: CMP_MEM("fcoms", m32); break;
    case HOST_X87_M64FP: CMP_MEM("fcoml", m64); break;
    case HOST_X87_M16INT: CMP_MEM("ficoms", m16); break;
    case HOST_X87_M32INT: CMP_MEM("ficoml", m32); break;
    default:
        if (unordered)
            CMP_ST("fucom");
        else
            CMP_ST("fcom");
        break;
    }
    return sw & RET_MASK;
}

/* ---- loads and stores --------------------------------------------------- */

#define LOAD_(pre, clex, post, insn, m)                                              \
    __asm__ volatile(pre "fnstsw %[sw0]\n\t"                                         \
                     insn " %[mem]\n\tfnstsw %[sw]\n\t" clex                          \
                     : [sw] "=m"(sw), [sw0] "=m"(sw0), [save] "=m"(save)             \
                     : [mem] "m"(m), [fcw] "m"(fcw))
/* every exception masked: the load always pushes, store it right away */
#define LOADM_(pre, post, insn, m)                                                   \
    __asm__ volatile(pre insn " %[mem]\n\tfnstsw %[sw]\n\tfstpt %[d]\n\t" post       \
                     : [d] "=m"(*dst), [sw] "=m"(sw), [save] "=m"(save)              \
                     : [mem] "m"(m), [fcw] "m"(fcw))
#define LOAD(insn, m) do { if (fcw == HOST_X87_CW_DEFAULT) { LOADM_("", "", insn, m); fast = true; } \
                           else if (masked) { LOADM_(CW_PRE, CW_POST, insn, m); fast = true; } \
                           else LOAD_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn, m); } while (0)

uint16_t host_x87_load(uint16_t fcw, HostF80 *dst, const HostF80 *src, HostX87Fmt fmt)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC, fast = false;
    uint16_t sw = 0, sw0 = 0, save;
    uint16_t m16;
    uint32_t m32;
    uint64_t m64;
    memcpy(&m16, src, sizeof m16);
    memcpy(&m32, src, sizeof m32);
    memcpy(&m64, src, sizeof m64);
    struct { uint8_t b[10]; } m80;
    memcpy(&m80, src, sizeof m80);

    switch (fmt) {
    case HOST_X87_M32FP: LOAD("flds", m32); break;
    case HOST_X87_M64FP: LOAD("fldl", m64); break;
    case HOST_X87_M16INT: LOAD("filds", m16); break;
    case HOST_X87_M32INT: LOAD("fildl", m32); break;
    case HOST_X87_M64INT: LOAD("fildll", m64); break;
    case HOST_X87_M80BCD: LOAD("fbld", m80); break;
    default:
        /* m80 and register values: a plain copy, no exception */
        dst->mant = src->mant;
        dst->sign_exp = src->sign_exp;
        return 0;
    }
    if (fast)
        return sw & RET_MASK;
    unload(dst, (sw_top(sw0) - sw_top(sw)) & 7, 1);
    __asm__ volatile("fldcw %0" : : "m"(save));
    return sw & RET_MASK;
}

#define STORE_(pre, clex, post, insn, m)                                             \
    __asm__ volatile(pre "fnstsw %[sw0]\n\t"                                         \
                     "fldt %[s]\n\t" insn " %[mem]\n\tfnstsw %[sw]\n\t" clex          \
                     : [mem] "+m"(m), [sw] "=m"(sw), [sw0] "=m"(sw0), [save] "=m"(save) \
                     : [s] "m"(*src), [fcw] "m"(fcw))
/* every exception masked: the store always pops */
#define STOREM_(pre, post, insn, m)                                                  \
    __asm__ volatile(pre "fldt %[s]\n\t" insn " %[mem]\n\tfnstsw %[sw]\n\t" post     \
                     : [mem] "+m"(m), [sw] "=m"(sw), [save] "=m"(save)               \
                     : [s] "m"(*src), [fcw] "m"(fcw))
#define STORE(insn, m) do { if (fcw == HOST_X87_CW_DEFAULT) { STOREM_("", "", insn, m); fast = true; } \
                            else if (masked) { STOREM_(CW_PRE, CW_POST, insn, m); fast = true; } \
                            else STORE_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn, m); } while (0)

uint16_t host_x87_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                        bool truncate)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC, fast = false;
    uint16_t sw = 0, sw0 = 0, save;
    uint16_t m16;
    uint32_t m32;
    uint64_t m64;
    struct { uint8_t b[10]; } m80;
    memcpy(&m16, mem, sizeof m16);
    memcpy(&m32, mem, sizeof m32);
    memcpy(&m64, mem, sizeof m64);
    memcpy(&m80, mem, sizeof m80);

    switch (fmt) {
    case HOST_X87_M32FP: STORE("fstps", m32); memcpy(mem, &m32, sizeof m32); break;
    case HOST_X87_M64FP: STORE("fstpl", m64); memcpy(mem, &m64, sizeof m64); break;
    case HOST_X87_M16INT:
        if (truncate)
            STORE("fisttps", m16);
        else
            STORE("fistps", m16);
        memcpy(mem, &m16, sizeof m16);
        break;
    case HOST_X87_M32INT:
        if (truncate)
            STORE("fisttpl", m32);
        else
            STORE("fistpl", m32);
        memcpy(mem, &m32, sizeof m32);
        break;
    case HOST_X87_M64INT:
        if (truncate)
            STORE("fisttpll", m64);
        else
            STORE("fistpll", m64);
        memcpy(mem, &m64, sizeof m64);
        break;
    case HOST_X87_M80BCD: STORE("fbstp", m80); memcpy(mem, &m80, sizeof m80); break;
    default:
        mem->mant = src->mant;
        mem->sign_exp = src->sign_exp;
        return 0;
    }
    if (fast)
        return sw & RET_MASK;
    /* an unmasked exception leaves the value on the stack: drop it */
    unload(NULL, (sw_top(sw0) - sw_top(sw)) & 7, 0);
    __asm__ volatile("fldcw %0" : : "m"(save));
    return sw & RET_MASK;
}

/* ---- constants ---------------------------------------------------------- */

#define CONST_(pre, clex, post, insn)                                                                  \
    __asm__ volatile(pre insn "\n\t"               \
                     "fnstsw %[sw]\n\t" clex "fstpt %[d]\n\t" post        \
                     : [d] "=m"(*dst), [sw] "=m"(sw), [save] "=m"(save)              \
                     : [fcw] "m"(fcw))
#define CONST(insn) do { if (fcw == HOST_X87_CW_DEFAULT) CONST_("", "", "", insn); else if (masked) CONST_(CW_PRE, "", CW_POST, insn); else CONST_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn); } while (0)

uint16_t host_x87_const(uint16_t fcw, HostF80 *dst, HostX87Const k)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC;
    uint16_t sw = 0, save;
    switch (k) {
    case HOST_X87_LD1: CONST("fld1"); break;
    case HOST_X87_LDL2T: CONST("fldl2t"); break;
    case HOST_X87_LDL2E: CONST("fldl2e"); break;
    case HOST_X87_LDPI: CONST("fldpi"); break;
    case HOST_X87_LDLG2: CONST("fldlg2"); break;
    case HOST_X87_LDLN2: CONST("fldln2"); break;
    default: CONST("fldz"); break;
    }
    return sw & RET_MASK;
}

/* ---- the rest ----------------------------------------------------------- */

#define FUNC1_(pre, clex, post, insn)                                                                  \
    __asm__ volatile(pre "fnstsw %[sw0]\n\t"                                         \
                     "fldt %[a]\n\t" insn "\n\tfnstsw %[sw]\n\t" clex ""               \
                     : [sw] "=m"(sw), [sw0] "=m"(sw0), [save] "=m"(save)             \
                     : [a] "m"(st[0]), [fcw] "m"(fcw))
#define FUNC1(insn) do { if (fcw == HOST_X87_CW_DEFAULT) FUNC1_("", "", "", insn); else if (masked) FUNC1_(CW_PRE, "", CW_POST, insn); else FUNC1_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn); } while (0)
#define FUNC2_(pre, clex, post, insn)                                                                  \
    __asm__ volatile(pre "fnstsw %[sw0]\n\t"                                         \
                     "fldt %[b]\n\tfldt %[a]\n\t" insn "\n\tfnstsw %[sw]\n\t" clex ""  \
                     : [sw] "=m"(sw), [sw0] "=m"(sw0), [save] "=m"(save)             \
                     : [a] "m"(st[0]), [b] "m"(st[1]), [fcw] "m"(fcw))
#define FUNC2(insn) do { if (fcw == HOST_X87_CW_DEFAULT) FUNC2_("", "", "", insn); else if (masked) FUNC2_(CW_PRE, "", CW_POST, insn); else FUNC2_(CW_PRE_CLEX, "fnclex\n\t", CW_POST, insn); } while (0)

uint16_t host_x87_func(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed)
{
    bool masked = (fcw & HOST_X87_EXC) == HOST_X87_EXC;
    uint16_t sw = 0, sw0 = 0, save;
    int nin = host_x87_func_inputs(op);

    switch (op) {
    case HOST_X87_FSQRT: FUNC1("fsqrt"); break;
    case HOST_X87_FRNDINT: FUNC1("frndint"); break;
    case HOST_X87_F2XM1: FUNC1("f2xm1"); break;
    case HOST_X87_FSIN: FUNC1("fsin"); break;
    case HOST_X87_FCOS: FUNC1("fcos"); break;
    case HOST_X87_FPTAN: FUNC1("fptan"); break;
    case HOST_X87_FSINCOS: FUNC1("fsincos"); break;
    case HOST_X87_FXTRACT: FUNC1("fxtract"); break;
    case HOST_X87_FPREM: FUNC2("fprem"); break;
    case HOST_X87_FPREM1: FUNC2("fprem1"); break;
    case HOST_X87_FSCALE: FUNC2("fscale"); break;
    case HOST_X87_FYL2X: FUNC2("fyl2x"); break;
    case HOST_X87_FYL2XP1: FUNC2("fyl2xp1"); break;
    case HOST_X87_FPATAN: FUNC2("fpatan"); break;
    }
    int depth = (sw_top(sw0) - sw_top(sw)) & 7;
    unload(st, depth, 2);
    if (fcw != HOST_X87_CW_DEFAULT)
        __asm__ volatile("fldcw %0" : : "m"(save));
    *pushed = depth - nin;
    return sw & RET_MASK;
}

#endif
