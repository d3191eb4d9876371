/*
 * x87.c — the x87 stack machine: TOP, tags, sticky flags, stack faults,
 * around the exact arithmetic of host-x87.h (see x87.h, docs/x87.md).
 *
 * Stack faults follow SDM vol. 1, 8.5.1.1: reading an empty register is
 * an underflow (IE and SF, C1 cleared), pushing onto a full one an overflow
 * (IE, SF, C1 set).  With IE masked the destination gets the QNaN
 * indefinite and the instruction completes (its pops included); unmasked,
 * nothing but the status word changes and ES is set, so the next waiting
 * instruction raises #MF.
 *
 * An exception the host reports and the guest has unmasked: IE, DE and ZE
 * leave the operands alone and the stack unpopped (the host has already
 * left the destination as it was); OE, UE and PE still deliver a result
 * (the host's exponent-wrapped one for OE/UE) and complete.
 */
#include "frontend-x86/x87.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(X87Reg, mant) == offsetof(HostF80, mant) &&
               offsetof(X87Reg, sign_exp) == offsetof(HostF80, sign_exp) &&
               sizeof(X87Reg) == sizeof(HostF80), "X87Reg and HostF80 share a layout");

#define INDEF_MANT 0xc000000000000000ull
#define INDEF_SE   0xffffu
/* Exceptions that stop an instruction when unmasked. */
#define X87_BLOCKING (X87_SW_IE | X87_SW_DE | X87_SW_ZE)

static inline HostF80 *hreg(X87State *f, unsigned phys) { return (HostF80 *)&f->r[phys]; }

unsigned x87_tag_of(const X87Reg *r)
{
    unsigned exp = r->sign_exp & 0x7fff;
    if (exp == 0x7fff)
        return X87_TAG_SPECIAL;
    if (exp == 0)
        return r->mant == 0 ? X87_TAG_ZERO : X87_TAG_SPECIAL;
    return (r->mant >> 63) ? X87_TAG_VALID : X87_TAG_SPECIAL;   /* unnormals are special */
}

void x87_update_es(X87State *f)
{
    if (f->fsw & ~f->fcw & X87_SW_EXC)
        f->fsw |= X87_SW_ES | X87_SW_B;
    else
        f->fsw &= ~(X87_SW_ES | X87_SW_B);
}

void x87_sync_host_flags(X87State *f)
{
    unsigned exc = host_x87_status() & X87_SW_EXC;
    if (exc & ~f->fsw) {
        f->fsw |= (uint16_t)exc;
        x87_update_es(f);
    }
}

void x87_set_fsw(X87State *f, uint16_t sw)
{
    f->top = (sw >> 11) & 7;
    f->fsw = sw & ~0x3800u;
    host_x87_clear_flags();
    x87_update_es(f);
}

void x87_init(X87State *f)
{
    f->fcw = X87_CW_DEFAULT;
    f->fsw = 0;
    f->top = 0;
    f->ftw = 0xffff;
    f->fop = 0;
    f->fip = f->fdp = 0;
    f->fcs = f->fds = 0;
    host_x87_clear_flags();
}

int x87_fpe_code(const X87State *f)
{
    /* the kernel's choice (arch/x86/kernel/traps.c): the first of the
     * unmasked flags in this order; a stack fault is an invalid operation */
    unsigned err = f->fsw & ~f->fcw & X87_SW_EXC;
    if (err & X87_SW_IE)
        return FPE_FLTINV;
    if (err & X87_SW_ZE)
        return FPE_FLTDIV;
    if (err & X87_SW_OE)
        return FPE_FLTOVF;
    if (err & (X87_SW_UE | X87_SW_DE))
        return FPE_FLTUND;
    if (err & X87_SW_PE)
        return FPE_FLTRES;
    return 0;
}

int x86_fpu_fpe_code(const X86CPU *cpu) { return x87_fpe_code(&cpu->fpu); }

/* ---- internal building blocks ------------------------------------------ */

static void raise_exc(X87State *f, unsigned exc)
{
    f->fsw |= exc;
    x87_update_es(f);
}

/* Fold a host operation's status in: its condition codes replace ours. */
static void apply(X87State *f, uint16_t sw)
{
    f->fsw = (uint16_t)((f->fsw & ~X87_SW_CC) | (sw & X87_SW_CC));
    raise_exc(f, sw & X87_SW_EXC);
}

/* The same for an instruction that defines only C1 (C0 C2 C3 are
 * "undefined" in the manual and stay as they were on the hardware). */
static void apply_c1(X87State *f, uint16_t sw)
{
    f->fsw = (uint16_t)((f->fsw & ~X87_SW_C1) | (sw & X87_SW_C1));
    raise_exc(f, sw & X87_SW_EXC);
}

/* Did the host stop the instruction (an unmasked IE/DE/ZE)? */
static bool blocked(const X87State *f, uint16_t sw) { return (sw & ~f->fcw & X87_BLOCKING) != 0; }

static bool im_masked(const X87State *f) { return f->fcw & X87_SW_IE; }

/* A stack underflow: returns true if masked (the caller writes the
 * indefinite and completes). */
static bool underflow(X87State *f)
{
    f->fsw &= ~X87_SW_C1;
    raise_exc(f, X87_SW_IE | X87_SW_SF);
    return im_masked(f);
}

static bool overflow(X87State *f)
{
    f->fsw |= X87_SW_C1;
    raise_exc(f, X87_SW_IE | X87_SW_SF);
    return im_masked(f);
}

static bool empty(const X87State *f, unsigned i) { return x87_tag(f, x87_phys(f, i)) == X87_TAG_EMPTY; }

static void set_st(X87State *f, unsigned i, const HostF80 *v)
{
    unsigned p = x87_phys(f, i);
    f->r[p].mant = v->mant;
    f->r[p].sign_exp = v->sign_exp;
    x87_set_tag(f, p, x87_tag_of(&f->r[p]));
}

static void set_indef(X87State *f, unsigned i)
{
    HostF80 v = { .mant = INDEF_MANT, .sign_exp = INDEF_SE };
    set_st(f, i, &v);
}

static void retag(X87State *f, unsigned i)
{
    unsigned p = x87_phys(f, i);
    x87_set_tag(f, p, x87_tag_of(&f->r[p]));
}

static void pop(X87State *f)
{
    x87_set_tag(f, f->top, X87_TAG_EMPTY);
    f->top = (f->top + 1) & 7;
}

/* Room for a push (ST(7) empty)?  Otherwise the overflow: with IE masked
 * the indefinite is pushed, and false tells the caller it is done. */
static bool push_room(X87State *f)
{
    if (!empty(f, 7)) {
        if (overflow(f)) {
            f->top = (f->top - 1) & 7;
            set_indef(f, 0);
        }
        return false;
    }
    return true;
}

static void push(X87State *f, const HostF80 *v)
{
    f->top = (f->top - 1) & 7;
    set_st(f, 0, v);
}

/* ---- loads and stores ---------------------------------------------------- */

void x87_fld_mem(X87State *f, HostX87Fmt fmt, const HostF80 *src)
{
    if (!push_room(f))
        return;
    HostF80 v = { 0, 0, { 0 } };
    uint16_t sw = host_x87_load(f->fcw, &v, src, fmt);
    apply_c1(f, sw);
    if (!blocked(f, sw))
        push(f, &v);
}

void x87_fld_st(X87State *f, unsigned i)
{
    /* an empty source is an underflow before any overflow (as the host) */
    if (empty(f, i)) {
        if (underflow(f)) {
            f->top = (f->top - 1) & 7;
            set_indef(f, 0);
        }
        return;
    }
    if (!push_room(f))
        return;
    f->fsw &= ~X87_SW_C1;
    HostF80 v = *hreg(f, x87_phys(f, i));
    push(f, &v);
}

void x87_fld_const(X87State *f, HostX87Const k)
{
    if (!push_room(f))
        return;
    HostF80 v;
    uint16_t sw = host_x87_const(f->fcw, &v, k);
    apply_c1(f, sw);
    push(f, &v);
}

bool x87_fst_mem(X87State *f, HostX87Fmt fmt, bool truncate, bool do_pop, HostF80 *dst)
{
    if (empty(f, 0)) {
        if (!underflow(f))
            return false;
        /* the masked response stores the format's indefinite */
        memset(dst, 0, sizeof *dst);
        switch (fmt) {
        case HOST_X87_M32FP: dst->mant = 0xffc00000u; break;
        case HOST_X87_M64FP: dst->mant = 0xfff8000000000000ull; break;
        case HOST_X87_M16INT: dst->mant = 0x8000u; break;
        case HOST_X87_M32INT: dst->mant = 0x80000000u; break;
        case HOST_X87_M64INT: dst->mant = 0x8000000000000000ull; break;
        default: dst->mant = INDEF_MANT; dst->sign_exp = INDEF_SE; break;   /* m80, BCD */
        }
        if (do_pop)
            pop(f);
        return true;
    }
    uint16_t sw = host_x87_store(f->fcw, dst, hreg(f, f->top), fmt, truncate);
    apply_c1(f, sw);
    if (sw & ~f->fcw & (X87_BLOCKING | X87_SW_OE | X87_SW_UE))
        return false;   /* unmasked: memory keeps its value, nothing popped */
    if (do_pop)
        pop(f);
    return true;
}

void x87_fst_st(X87State *f, unsigned i, bool do_pop)
{
    f->fsw &= ~X87_SW_C1;
    if (empty(f, 0)) {
        if (!underflow(f))
            return;
        set_indef(f, i);
    } else {
        unsigned d = x87_phys(f, i), s = f->top;
        f->r[d].mant = f->r[s].mant;
        f->r[d].sign_exp = f->r[s].sign_exp;
        x87_set_tag(f, d, x87_tag(f, s));
    }
    if (do_pop)
        pop(f);
}

/* ---- arithmetic ---------------------------------------------------------- */

void x87_arith_st(X87State *f, HostX87Arith op, unsigned di, unsigned si, bool do_pop)
{
    if (empty(f, di) || empty(f, si)) {
        if (!underflow(f))
            return;
        set_indef(f, di);
    } else {
        uint16_t sw = host_x87_arith(op, f->fcw, hreg(f, x87_phys(f, di)),
                                     hreg(f, x87_phys(f, si)), HOST_X87_ST);
        apply_c1(f, sw);
        retag(f, di);
        if (blocked(f, sw))
            return;
    }
    if (do_pop)
        pop(f);
}

void x87_arith_mem(X87State *f, HostX87Arith op, HostX87Fmt fmt, const HostF80 *src)
{
    if (empty(f, 0)) {
        if (underflow(f))
            set_indef(f, 0);
        return;
    }
    uint16_t sw = host_x87_arith(op, f->fcw, hreg(f, f->top), src, fmt);
    apply_c1(f, sw);
    retag(f, 0);
}

/* ---- comparisons --------------------------------------------------------- */

static void pops(X87State *f, unsigned n)
{
    while (n--)
        pop(f);
}

void x87_fcom_st(X87State *f, unsigned i, bool unordered, unsigned n)
{
    if (empty(f, 0) || empty(f, i)) {
        f->fsw |= X87_SW_C0 | X87_SW_C2 | X87_SW_C3;
        if (underflow(f))
            pops(f, n);
        return;
    }
    uint16_t sw = host_x87_compare(unordered, f->fcw, hreg(f, f->top), hreg(f, x87_phys(f, i)),
                                   HOST_X87_ST);
    apply(f, sw);
    if (!blocked(f, sw))
        pops(f, n);
}

void x87_fcom_mem(X87State *f, HostX87Fmt fmt, const HostF80 *src, bool do_pop)
{
    if (empty(f, 0)) {
        f->fsw |= X87_SW_C0 | X87_SW_C2 | X87_SW_C3;
        if (underflow(f) && do_pop)
            pop(f);
        return;
    }
    uint16_t sw = host_x87_compare(false, f->fcw, hreg(f, f->top), src, fmt);
    apply(f, sw);
    if (!blocked(f, sw) && do_pop)
        pop(f);
}

uint32_t x87_fcomi(X87State *f, unsigned i, bool unordered, bool do_pop)
{
    /* FCOMI leaves C0 C2 C3 alone, and C1 too unless the stack underflows
     * (as the host does) */
    uint16_t cc;
    if (empty(f, 0) || empty(f, i)) {
        cc = X87_SW_C0 | X87_SW_C2 | X87_SW_C3;
        if (underflow(f) && do_pop)
            pop(f);
    } else {
        uint16_t sw = host_x87_compare(unordered, f->fcw, hreg(f, f->top),
                                       hreg(f, x87_phys(f, i)), HOST_X87_ST);
        raise_exc(f, sw & X87_SW_EXC);
        cc = sw;
        if (!blocked(f, sw) && do_pop)
            pop(f);
    }
    return ((cc & X87_SW_C3) ? X86_EFLAGS_ZF : 0) | ((cc & X87_SW_C2) ? X86_EFLAGS_PF : 0) |
           ((cc & X87_SW_C0) ? X86_EFLAGS_CF : 0);
}

void x87_ftst(X87State *f)
{
    if (empty(f, 0)) {
        f->fsw |= X87_SW_C0 | X87_SW_C2 | X87_SW_C3;
        underflow(f);
        return;
    }
    HostF80 zero = { 0, 0, { 0 } };
    apply(f, host_x87_compare(false, f->fcw, hreg(f, f->top), &zero, HOST_X87_ST));
}

void x87_fxam(X87State *f)
{
    const X87Reg *r = &f->r[f->top];
    unsigned exp = r->sign_exp & 0x7fff;
    uint16_t cc = (r->sign_exp & 0x8000) ? X87_SW_C1 : 0;
    bool integer_bit = r->mant >> 63;

    if (empty(f, 0))
        cc |= X87_SW_C3 | X87_SW_C0;                            /* empty 101 */
    else if (exp == 0)
        cc |= r->mant == 0 ? X87_SW_C3                          /* zero 100 */
                           : X87_SW_C3 | X87_SW_C2;             /* denormal 110 */
    else if (!integer_bit)
        ;                                                       /* unsupported 000 */
    else if (exp == 0x7fff)
        cc |= (r->mant << 1) == 0 ? X87_SW_C2 | X87_SW_C0       /* infinity 011 */
                                  : X87_SW_C0;                  /* NaN 001 */
    else
        cc |= X87_SW_C2;                                        /* normal 010 */
    f->fsw = (uint16_t)((f->fsw & ~X87_SW_CC) | cc);
}

/* ---- register moves ------------------------------------------------------ */

void x87_fxch(X87State *f, unsigned i)
{
    f->fsw &= ~X87_SW_C1;
    if (empty(f, 0) || empty(f, i)) {
        if (!underflow(f))
            return;
        if (empty(f, 0))
            set_indef(f, 0);
        if (empty(f, i))
            set_indef(f, i);
    }
    unsigned a = f->top, b = x87_phys(f, i);
    X87Reg t = f->r[a];
    f->r[a] = f->r[b];
    f->r[b] = t;
    unsigned ta = x87_tag(f, a);
    x87_set_tag(f, a, x87_tag(f, b));
    x87_set_tag(f, b, ta);
}

static bool unary_operand(X87State *f)
{
    f->fsw &= ~X87_SW_C1;
    if (!empty(f, 0))
        return true;
    if (underflow(f))
        set_indef(f, 0);
    return false;
}

void x87_fchs(X87State *f)
{
    if (unary_operand(f))
        f->r[f->top].sign_exp ^= 0x8000;
}

void x87_fabs(X87State *f)
{
    if (unary_operand(f))
        f->r[f->top].sign_exp &= 0x7fff;
}

void x87_fcmov(X87State *f, unsigned i, bool cond)
{
    /* an empty operand is an underflow whether or not the condition holds
     * (checked against the host): the masked response writes ST(0); C1
     * changes only with the underflow */
    if (empty(f, i) || empty(f, 0)) {
        if (underflow(f))
            set_indef(f, 0);
        return;
    }
    if (!cond)
        return;
    HostF80 v = *hreg(f, x87_phys(f, i));
    set_st(f, 0, &v);
}

void x87_ffree(X87State *f, unsigned i, bool do_pop)
{
    f->fsw &= ~X87_SW_C1;   /* "undefined": the host clears it */
    x87_set_tag(f, x87_phys(f, i), X87_TAG_EMPTY);
    if (do_pop)
        f->top = (f->top + 1) & 7;
}

void x87_fincstp(X87State *f)
{
    f->fsw &= ~X87_SW_C1;
    f->top = (f->top + 1) & 7;
}

void x87_fdecstp(X87State *f)
{
    f->fsw &= ~X87_SW_C1;
    f->top = (f->top - 1) & 7;
}

void x87_fldcw(X87State *f, uint16_t cw)
{
    f->fcw = cw;
    x87_update_es(f);
}

void x87_fnclex(X87State *f)
{
    f->fsw &= ~(X87_SW_EXC | X87_SW_SF | X87_SW_ES | X87_SW_B);
    host_x87_clear_flags();
}

/* ---- the transcendental and other stack functions ------------------------ */

/* a NaN, or a value the x87 does not support (unnormal, pseudo-NaN or
 * pseudo-infinity) */
static bool nan_or_unsupported(const X87Reg *r)
{
    unsigned e = r->sign_exp & 0x7fff;
    if (e != 0 && !(r->mant >> 63))
        return true;
    return e == 0x7fff && (r->mant << 1) != 0;
}

void x87_func(X87State *f, HostX87Func op)
{
    int nin = host_x87_func_inputs(op);
    bool pushes = op == HOST_X87_FPTAN || op == HOST_X87_FSINCOS || op == HOST_X87_FXTRACT;
    bool pops_one = op == HOST_X87_FYL2X || op == HOST_X87_FYL2XP1 || op == HOST_X87_FPATAN;

    if (empty(f, 0) || (nin == 2 && empty(f, 1)) || (pushes && !empty(f, 7))) {
        /* a stack fault clears C2 where it means "reduction incomplete"
         * (FSIN FCOS FPTAN FSINCOS FPREM FPREM1); the others keep it (both
         * as the host does) */
        if (op == HOST_X87_FSIN || op == HOST_X87_FCOS || op == HOST_X87_FPTAN ||
            op == HOST_X87_FSINCOS || op == HOST_X87_FPREM || op == HOST_X87_FPREM1)
            f->fsw &= ~X87_SW_C2;
        bool masked = (pushes && !empty(f, 7) && !empty(f, 0)) ? overflow(f) : underflow(f);
        if (!masked)
            return;
        if (pops_one) {
            set_indef(f, 1);
            pop(f);
        } else {
            set_indef(f, 0);
            if (pushes) {
                f->top = (f->top - 1) & 7;
                set_indef(f, 0);
            }
        }
        return;
    }
    HostF80 st[2];
    st[0] = *hreg(f, f->top);
    st[1] = *hreg(f, x87_phys(f, 1));
    int pushed = 0;
    uint16_t sw = host_x87_func(op, f->fcw, st, &pushed);
    if (op == HOST_X87_FPREM || op == HOST_X87_FPREM1) {
        /* without a quotient (a NaN or unsupported operand, an infinite
         * dividend, a zero divisor) C0 and C3 keep their values and C1 is
         * cleared (measured on the host).  Decided from the operands: with
         * masked exceptions the host's flags are sticky (host-x87.h). */
        const X87Reg *dv = &f->r[f->top], *ds = &f->r[x87_phys(f, 1)];
        bool no_quotient = nan_or_unsupported(dv) || nan_or_unsupported(ds) ||
                           (dv->sign_exp & 0x7fff) == 0x7fff ||        /* infinite dividend */
                           x87_tag_of(ds) == X87_TAG_ZERO;
        if (no_quotient)
            sw = (uint16_t)((sw & ~(X87_SW_C0 | X87_SW_C1 | X87_SW_C3)) |
                            (f->fsw & (X87_SW_C0 | X87_SW_C3)));
        apply(f, sw);
    }
    else if (op == HOST_X87_FSIN || op == HOST_X87_FCOS || op == HOST_X87_FPTAN ||
             op == HOST_X87_FSINCOS)
        apply(f, (uint16_t)((sw & ~(X87_SW_C0 | X87_SW_C3)) |
                            (f->fsw & (X87_SW_C0 | X87_SW_C3))));
    else
        apply_c1(f, sw);
    if (pushed > 0) {
        set_st(f, 0, &st[1]);
        push(f, &st[0]);
    } else if (pushed < 0) {
        set_st(f, 1, &st[0]);
        pop(f);
    } else {
        set_st(f, 0, &st[0]);
    }
}

/* ---- MMX ------------------------------------------------------------------ */

void x87_mmx_enter(X87State *f)
{
    f->top = 0;
    f->ftw = 0;
}

void x87_emms(X87State *f)
{
    f->ftw = 0xffff;
}
