/*
 * translate-x87.c — the rows of x87.decode: the x87 escapes D8-DF, FWAIT,
 * FXSAVE/FXRSTOR, the XSAVE family and XGETBV.
 *
 * Every x87 instruction is one helper call on the cpu's X87State
 * (x87-helpers.c), which runs the arithmetic bit-exactly (host-x87.h).
 * Around it the translator emits, inline:
 *   - the pending-exception check of a waiting instruction: if the status
 *     word's ES is set, #MF (X86_EXCP_MF) at this instruction;
 *   - the last-instruction pointers of a non-control instruction: FIP, FOP
 *     and, with a memory operand, FDP (FSTENV/FSAVE/FXSAVE show them);
 *   - memory operands as plain IR loads and stores (precise faults): the
 *     operand bytes go to the helper as values, and images (FNSTENV ...
 *     XSAVE) are copied between guest memory and fpu.image.
 */
#include <stddef.h>

#include "frontend-x86/x86-fxsave.h"
#include "frontend-x86/x86-translate.h"
#include "frontend-x86/x87-helpers.h"
#include "frontend-x86/x87.h"

#define FPU_OFF(field) ((uint32_t)(offsetof(X86CPU, fpu) + offsetof(X87State, field)))

static IRTemp call(DisasContext *s, const IRHelper *h, IRTemp a0, IRTemp a1, IRTemp a2)
{
    IRTemp in[3] = { a0, a1, a2 };
    return ir_call_helper(s->b, h, in);
}

static IRTemp k32(DisasContext *s, uint32_t v) { return ir_const32(s->b, v); }
static IRTemp k64(DisasContext *s, uint64_t v) { return ir_const(s->b, IR_I64, v); }

/* A waiting instruction first delivers a pending unmasked exception. */
static void gen_wait(DisasContext *s)
{
    IRBlock *b = s->b;
    IRTemp sw = ir_ld_env(b, IR_I32, FPU_OFF(fsw), IR_MO_UW);
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_TSTEQ, sw, k32(s, X87_SW_ES), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_MF);
    ir_set_label(b, ok);
}

/* FIP/FOP (and FDP with a memory operand) of a non-control instruction. */
static void gen_pointers(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    ir_st_env(b, k64(s, s->pc), FPU_OFF(fip), IR_MO_Q);
    /* FCS: the code segment's selector, which user mode never changes */
    ir_st_env(b, k32(s, ((const X86CPU *)s->cpu)->seg_sel[X86_SEG_CS]), FPU_OFF(fcs), IR_MO_UW);
    ir_st_env(b, k32(s, ((s->opcode & 7u) << 8) | s->modrm), FPU_OFF(fop), IR_MO_UW);
    if (d->n && d->op[0].is_mem)
        ir_st_env(b, x86_addr64(s, d->addr), FPU_OFF(fdp), IR_MO_Q);
}

/* The start of an ordinary (waiting, non-control) x87 instruction. */
static void gen_start(DisasContext *s, X86Insn *d)
{
    gen_wait(s);
    gen_pointers(s, d);
}

static IRTemp addr_plus(DisasContext *s, X86Insn *d, unsigned k)
{
    return k ? ir_addi(s->b, d->addr, k) : d->addr;
}

/* A memory operand of 2, 4 or 8 bytes as an i64 (zero-extended). */
static IRTemp gen_load_bits(DisasContext *s, X86Insn *d, unsigned bytes)
{
    IRBlock *b = s->b;
    if (bytes == 8)
        return ir_ld(b, IR_I64, d->addr, IR_MO_Q);
    IRTemp v = ir_ld(b, IR_I32, d->addr, bytes == 4 ? IR_MO_UL : IR_MO_UW);
    return ir_extu_i32_i64(b, v);
}

static void gen_store_bits(DisasContext *s, X86Insn *d, unsigned bytes, IRTemp v64)
{
    IRBlock *b = s->b;
    if (bytes == 8) {
        ir_st(b, v64, d->addr, IR_MO_Q);
        return;
    }
    ir_st(b, ir_extrl_i64_i32(b, v64), d->addr, bytes == 4 ? IR_MO_UL : IR_MO_UW);
}

/* The format of a memory operand: its size, and integer or not. */
static HostX87Fmt mem_fmt(X86Insn *d, bool integer)
{
    switch (d->op[0].size) {
    case X86_SZ_w: return HOST_X87_M16INT;
    case X86_SZ_d: return integer ? HOST_X87_M32INT : HOST_X87_M32FP;
    case X86_SZ_q: return integer ? HOST_X87_M64INT : HOST_X87_M64FP;
    case X86_SZ_bcd: return HOST_X87_M80BCD;
    default: return HOST_X87_M80FP;
    }
}

static unsigned fmt_bytes(HostX87Fmt f)
{
    switch (f) {
    case HOST_X87_M16INT: return 2;
    case HOST_X87_M32INT: case HOST_X87_M32FP: return 4;
    case HOST_X87_M64INT: case HOST_X87_M64FP: return 8;
    default: return 10;
    }
}

/* ST(i) of an F operand */
static unsigned sti(X86Insn *d, unsigned k) { return d->op[k].kind == X86_OPK_F ? d->op[k].reg & 7 : 0; }

/* ---- arithmetic ----------------------------------------------------------------- */

static bool gen_arith(DisasContext *s, X86Insn *d, HostX87Arith op, bool integer, bool pop)
{
    gen_start(s, d);
    if (d->op[0].is_mem) {
        HostX87Fmt f = mem_fmt(d, integer);
        IRTemp v = gen_load_bits(s, d, fmt_bytes(f));
        call(s, &x86_h_x87_arith_mem, k32(s, X87D_ARITH_MEM(op, f)), v, IR_TEMP_NONE);
        return true;
    }
    /* D8: ST0,Ft (ST(0) = ST(0) op ST(i)); DC/DE: Ft,ST0 (ST(i) = ST(i) op ST(0)) */
    unsigned di = sti(d, 0), si = sti(d, 1);
    call(s, &x86_h_x87_arith, k32(s, X87D_ARITH(op, di, si, pop)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FADD(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FADD, false, false); }
bool x86_trans_FMUL(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FMUL, false, false); }
bool x86_trans_FSUB(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUB, false, false); }
bool x86_trans_FSUBR(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUBR, false, false); }
bool x86_trans_FDIV(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIV, false, false); }
bool x86_trans_FDIVR(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIVR, false, false); }
bool x86_trans_FADDP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FADD, false, true); }
bool x86_trans_FMULP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FMUL, false, true); }
bool x86_trans_FSUBP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUB, false, true); }
bool x86_trans_FSUBRP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUBR, false, true); }
bool x86_trans_FDIVP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIV, false, true); }
bool x86_trans_FDIVRP(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIVR, false, true); }
bool x86_trans_FIADD(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FADD, true, false); }
bool x86_trans_FIMUL(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FMUL, true, false); }
bool x86_trans_FISUB(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUB, true, false); }
bool x86_trans_FISUBR(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FSUBR, true, false); }
bool x86_trans_FIDIV(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIV, true, false); }
bool x86_trans_FIDIVR(DisasContext *s, X86Insn *d) { return gen_arith(s, d, HOST_X87_FDIVR, true, false); }

/* ---- compares ------------------------------------------------------------------- */

static bool gen_fcom(DisasContext *s, X86Insn *d, bool integer, bool unordered, unsigned pops)
{
    gen_start(s, d);
    if (d->n && d->op[0].is_mem) {
        HostX87Fmt f = mem_fmt(d, integer);
        IRTemp v = gen_load_bits(s, d, fmt_bytes(f));
        call(s, &x86_h_x87_fcom_mem, k32(s, (unsigned)f | (pops ? X87D_POP : 0)), v, IR_TEMP_NONE);
        return true;
    }
    unsigned i = d->n ? sti(d, 0) : 1;   /* FCOMPP, FUCOMPP: ST(1) */
    call(s, &x86_h_x87_fcom, k32(s, X87D_COM(i, unordered, pops)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FCOM(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, false, 0); }
bool x86_trans_FCOMP(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, false, 1); }
bool x86_trans_FCOMPP(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, false, 2); }
bool x86_trans_FUCOM(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, true, 0); }
bool x86_trans_FUCOMP(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, true, 1); }
bool x86_trans_FUCOMPP(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, false, true, 2); }
bool x86_trans_FICOM(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, true, false, 0); }
bool x86_trans_FICOMP(DisasContext *s, X86Insn *d) { return gen_fcom(s, d, true, false, 1); }

/* FCOMI and friends: ZF PF CF from the compare, OF SF AF cleared. */
static bool gen_fcomi(DisasContext *s, X86Insn *d, bool unordered, bool pop)
{
    gen_start(s, d);
    IRTemp fl = call(s, &x86_h_x87_fcomi, k32(s, X87D_COM(sti(d, 1), unordered, pop ? 1 : 0)),
                     IR_TEMP_NONE, IR_TEMP_NONE);
    if (s->tl == IR_I64)
        fl = ir_extu_i32_i64(s->b, fl);
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, fl, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FCOMI(DisasContext *s, X86Insn *d) { return gen_fcomi(s, d, false, false); }
bool x86_trans_FCOMIP(DisasContext *s, X86Insn *d) { return gen_fcomi(s, d, false, true); }
bool x86_trans_FUCOMI(DisasContext *s, X86Insn *d) { return gen_fcomi(s, d, true, false); }
bool x86_trans_FUCOMIP(DisasContext *s, X86Insn *d) { return gen_fcomi(s, d, true, true); }

/* ---- loads and stores ------------------------------------------------------------ */

static bool gen_fld(DisasContext *s, X86Insn *d, bool integer)
{
    gen_start(s, d);
    if (!d->op[0].is_mem) {
        call(s, &x86_h_x87_op, k32(s, X87D_OP(X87_OP_FLD_ST, sti(d, 0))), IR_TEMP_NONE, IR_TEMP_NONE);
        return true;
    }
    HostX87Fmt f = mem_fmt(d, integer);
    IRTemp lo, hi;
    if (fmt_bytes(f) == 10) {
        lo = ir_ld(s->b, IR_I64, d->addr, IR_MO_Q);
        hi = ir_ld(s->b, IR_I32, addr_plus(s, d, 8), IR_MO_UW);
    } else {
        lo = gen_load_bits(s, d, fmt_bytes(f));
        hi = k32(s, 0);
    }
    call(s, &x86_h_x87_fld_mem, k32(s, f), lo, hi);
    return true;
}

bool x86_trans_FLD(DisasContext *s, X86Insn *d) { return gen_fld(s, d, false); }
bool x86_trans_FILD(DisasContext *s, X86Insn *d) { return gen_fld(s, d, true); }
bool x86_trans_FBLD(DisasContext *s, X86Insn *d) { return gen_fld(s, d, true); }

static bool gen_fst(DisasContext *s, X86Insn *d, bool integer, bool trunc, bool pop)
{
    gen_start(s, d);
    if (!d->op[0].is_mem) {
        unsigned op = pop ? X87_OP_FSTP_ST : X87_OP_FST_ST;
        call(s, &x86_h_x87_op, k32(s, X87D_OP(op, sti(d, 0))), IR_TEMP_NONE, IR_TEMP_NONE);
        return true;
    }
    HostX87Fmt f = mem_fmt(d, integer);
    unsigned desc = (unsigned)f | (trunc ? X87D_TRUNC : 0) | (pop ? X87D_POP : 0);
    IRTemp v = call(s, &x86_h_x87_fst_mem, k32(s, desc), IR_TEMP_NONE, IR_TEMP_NONE);
    /* an unmasked exception stops the store */
    IRTemp stored = ir_ld_env(s->b, IR_I32, FPU_OFF(image) + X87_IMAGE_STORE_FLAG, IR_MO_UB);
    unsigned skip = ir_label_new(s->b);
    ir_brcond(s->b, IR_COND_EQ, stored, k32(s, 0), skip);
    if (fmt_bytes(f) == 10) {
        IRTemp hi = ir_ld_env(s->b, IR_I32, FPU_OFF(image) + 8, IR_MO_UW);
        ir_st(s->b, v, d->addr, IR_MO_Q);
        ir_st(s->b, hi, addr_plus(s, d, 8), IR_MO_UW);
    } else {
        gen_store_bits(s, d, fmt_bytes(f), v);
    }
    ir_set_label(s->b, skip);
    return true;
}

bool x86_trans_FST(DisasContext *s, X86Insn *d) { return gen_fst(s, d, false, false, false); }
bool x86_trans_FSTP(DisasContext *s, X86Insn *d) { return gen_fst(s, d, false, false, true); }
bool x86_trans_FIST(DisasContext *s, X86Insn *d) { return gen_fst(s, d, true, false, false); }
bool x86_trans_FISTP(DisasContext *s, X86Insn *d) { return gen_fst(s, d, true, false, true); }
bool x86_trans_FISTTP(DisasContext *s, X86Insn *d) { return gen_fst(s, d, true, true, true); }
bool x86_trans_FBSTP(DisasContext *s, X86Insn *d) { return gen_fst(s, d, true, false, true); }

/* ---- everything that is one x87_op call -------------------------------------------- */

static bool gen_op(DisasContext *s, X86Insn *d, unsigned op, unsigned i)
{
    gen_start(s, d);
    call(s, &x86_h_x87_op, k32(s, X87D_OP(op, i)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FXCH(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FXCH, sti(d, 0)); }
bool x86_trans_FFREE(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FFREE, sti(d, 0)); }
bool x86_trans_FFREEP(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FFREEP, sti(d, 0)); }
bool x86_trans_FCHS(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FCHS, 0); }
bool x86_trans_FABS(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FABS, 0); }
bool x86_trans_FTST(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FTST, 0); }
bool x86_trans_FXAM(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FXAM, 0); }
bool x86_trans_FINCSTP(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FINCSTP, 0); }
bool x86_trans_FDECSTP(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FDECSTP, 0); }

bool x86_trans_FLD1(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LD1, 0); }
bool x86_trans_FLDL2T(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDL2T, 0); }
bool x86_trans_FLDL2E(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDL2E, 0); }
bool x86_trans_FLDPI(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDPI, 0); }
bool x86_trans_FLDLG2(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDLG2, 0); }
bool x86_trans_FLDLN2(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDLN2, 0); }
bool x86_trans_FLDZ(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_CONST + HOST_X87_LDZ, 0); }

#define FUNC(name, op) \
    bool x86_trans_##name(DisasContext *s, X86Insn *d) { return gen_op(s, d, X87_OP_FUNC + (op), 0); }
FUNC(F2XM1, HOST_X87_F2XM1)
FUNC(FYL2X, HOST_X87_FYL2X)
FUNC(FPTAN, HOST_X87_FPTAN)
FUNC(FPATAN, HOST_X87_FPATAN)
FUNC(FXTRACT, HOST_X87_FXTRACT)
FUNC(FPREM1, HOST_X87_FPREM1)
FUNC(FPREM, HOST_X87_FPREM)
FUNC(FYL2XP1, HOST_X87_FYL2XP1)
FUNC(FSQRT, HOST_X87_FSQRT)
FUNC(FSINCOS, HOST_X87_FSINCOS)
FUNC(FRNDINT, HOST_X87_FRNDINT)
FUNC(FSCALE, HOST_X87_FSCALE)
FUNC(FSIN, HOST_X87_FSIN)
FUNC(FCOS, HOST_X87_FCOS)
#undef FUNC

/* FNOP (and FENI/FDISI/FSETPM): waits, updates the pointers, nothing else */
bool x86_trans_FNOP(DisasContext *s, X86Insn *d)
{
    gen_start(s, d);
    return true;
}

/* FWAIT: only the pending-exception check */
bool x86_trans_FWAIT(DisasContext *s, X86Insn *d)
{
    gen_wait(s);
    return true;
}

/* FCMOVcc: the condition from the flags, the move in the helper */
static bool gen_fcmov(DisasContext *s, X86Insn *d, unsigned cc)
{
    gen_start(s, d);
    IRTemp c = x86_gen_setcc(s, cc);
    if (s->tl == IR_I64)
        c = ir_extrl_i64_i32(s->b, c);
    call(s, &x86_h_x87_fcmov, k32(s, sti(d, 1)), c, IR_TEMP_NONE);
    return true;
}

/* the jcc encodings: B 2, E 4, BE 6, P 10; NB NE NBE NP one more */
bool x86_trans_FCMOVB(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x2); }
bool x86_trans_FCMOVE(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x4); }
bool x86_trans_FCMOVBE(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x6); }
bool x86_trans_FCMOVU(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0xa); }
bool x86_trans_FCMOVNB(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x3); }
bool x86_trans_FCMOVNE(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x5); }
bool x86_trans_FCMOVNBE(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0x7); }
bool x86_trans_FCMOVNU(DisasContext *s, X86Insn *d) { return gen_fcmov(s, d, 0xb); }

/* ---- control: no wait, no pointer update ----------------------------------------- */

bool x86_trans_FNCLEX(DisasContext *s, X86Insn *d)
{
    call(s, &x86_h_x87_op, k32(s, X87D_OP(X87_OP_FNCLEX, 0)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FNINIT(DisasContext *s, X86Insn *d)
{
    call(s, &x86_h_x87_op, k32(s, X87D_OP(X87_OP_FNINIT, 0)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FLDCW(DisasContext *s, X86Insn *d)
{
    IRTemp cw = ir_ld(s->b, IR_I32, d->addr, IR_MO_UW);
    call(s, &x86_h_x87_fldcw, cw, IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FNSTCW(DisasContext *s, X86Insn *d)
{
    IRTemp cw = ir_ld_env(s->b, IR_I32, FPU_OFF(fcw), IR_MO_UW);
    ir_st(s->b, cw, d->addr, IR_MO_UW);
    return true;
}

/* FNSTSW's destination, m16 or AX (also the fast path's, x87-fast.h) */
void x87_gen_store_sw(DisasContext *s, X86Insn *d, IRTemp sw)
{
    if (d->n && d->op[0].is_mem) {
        ir_st(s->b, sw, d->addr, IR_MO_UW);
    } else {
        IRTemp v = s->tl == IR_I64 ? ir_extu_i32_i64(s->b, sw) : sw;
        x86_store_reg(s, X86_OT_16, X86_RAX, false, v);
    }
}

/* FNSTSW m16 and FNSTSW AX */
bool x86_trans_FNSTSW(DisasContext *s, X86Insn *d)
{
    x87_gen_store_sw(s, d, call(s, &x86_h_x87_fnstsw, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE));
    return true;
}

/* ---- images ------------------------------------------------------------------------- */

/* Copy n bytes between fpu.image + off and guest memory at addr + off. */
static void gen_copy_out(DisasContext *s, X86Insn *d, unsigned off, unsigned n)
{
    IRBlock *b = s->b;
    unsigned k = off, end = off + n;
    for (; k + 8 <= end; k += 8)
        ir_st(b, ir_ld_env(b, IR_I64, FPU_OFF(image) + k, IR_MO_Q), addr_plus(s, d, k), IR_MO_Q);
    for (; k + 4 <= end; k += 4)
        ir_st(b, ir_ld_env(b, IR_I32, FPU_OFF(image) + k, IR_MO_UL), addr_plus(s, d, k), IR_MO_UL);
    for (; k + 2 <= end; k += 2)
        ir_st(b, ir_ld_env(b, IR_I32, FPU_OFF(image) + k, IR_MO_UW), addr_plus(s, d, k), IR_MO_UW);
}

static void gen_copy_in(DisasContext *s, X86Insn *d, unsigned off, unsigned n)
{
    IRBlock *b = s->b;
    unsigned k = off, end = off + n;
    for (; k + 8 <= end; k += 8)
        ir_st_env(b, ir_ld(b, IR_I64, addr_plus(s, d, k), IR_MO_Q), FPU_OFF(image) + k, IR_MO_Q);
    for (; k + 4 <= end; k += 4)
        ir_st_env(b, ir_ld(b, IR_I32, addr_plus(s, d, k), IR_MO_UL), FPU_OFF(image) + k, IR_MO_UL);
    for (; k + 2 <= end; k += 2)
        ir_st_env(b, ir_ld(b, IR_I32, addr_plus(s, d, k), IR_MO_UW), FPU_OFF(image) + k, IR_MO_UW);
}

static unsigned fpu_flags(DisasContext *s)
{
    unsigned f = 0;
    if (s->dflag == X86_OT_16)
        f |= X86_FPU_OP16;
    if (s->rex_w)
        f |= X86_FPU_REXW;
    if (s->code64)
        f |= X86_FPU_XMM16;
    return f;
}

static unsigned xcr0_of(DisasContext *s)
{
    return (unsigned)(X86_XCR0_X87 | X86_XCR0_SSE | (x86_has(s, X86_FEAT_AVX) ? X86_XCR0_AVX : 0));
}

/* #GP when a load helper said -1 */
static void gen_gp_if(DisasContext *s, IRTemp r)
{
    IRBlock *b = s->b;
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_EQ, r, k32(s, 0), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_GP);
    ir_set_label(b, ok);
}

static unsigned env_bytes(DisasContext *s)
{
    return s->dflag == X86_OT_16 ? X86_FENV16_SIZE : X86_FENV32_SIZE;
}

bool x86_trans_FNSTENV(DisasContext *s, X86Insn *d)
{
    call(s, &x86_h_x87_image_store, k32(s, X87D_IMG(X87_IMG_FENV, fpu_flags(s), 0)), k64(s, 0),
         IR_TEMP_NONE);
    gen_copy_out(s, d, 0, env_bytes(s));
    /* then, as the instruction does, every exception masked */
    call(s, &x86_h_x87_op, k32(s, X87D_OP(X87_OP_MASKALL, 0)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FLDENV(DisasContext *s, X86Insn *d)
{
    gen_copy_in(s, d, 0, env_bytes(s));
    call(s, &x86_h_x87_image_load, k32(s, X87D_IMG(X87_IMG_FENV, fpu_flags(s), 0)), k64(s, 0),
         IR_TEMP_NONE);
    return true;
}

static unsigned save_bytes(DisasContext *s)
{
    return s->dflag == X86_OT_16 ? X86_FSAVE16_SIZE : X86_FSAVE32_SIZE;
}

bool x86_trans_FNSAVE(DisasContext *s, X86Insn *d)
{
    /* the image first, the reset after the stores: a fault in between
     * leaves the FPU as it was */
    call(s, &x86_h_x87_image_store, k32(s, X87D_IMG(X87_IMG_FSAVE, fpu_flags(s), 0)), k64(s, 0),
         IR_TEMP_NONE);
    gen_copy_out(s, d, 0, save_bytes(s));
    call(s, &x86_h_x87_op, k32(s, X87D_OP(X87_OP_FNINIT, 0)), IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_FRSTOR(DisasContext *s, X86Insn *d)
{
    gen_copy_in(s, d, 0, save_bytes(s));
    call(s, &x86_h_x87_image_load, k32(s, X87D_IMG(X87_IMG_FSAVE, fpu_flags(s), 0)), k64(s, 0),
         IR_TEMP_NONE);
    return true;
}

/* FXSAVE writes bytes 0-159 and the XMM registers of the mode */
static unsigned fx_bytes(DisasContext *s) { return s->code64 ? 416 : 288; }

bool x86_trans_FXSAVE(DisasContext *s, X86Insn *d)
{
    x87_fast_sync(s);       /* the status word exactly, C1 and all flags */
    call(s, &x86_h_x87_image_store, k32(s, X87D_IMG(X87_IMG_FXSAVE, fpu_flags(s), 0)), k64(s, 0),
         IR_TEMP_NONE);
    gen_copy_out(s, d, 0, fx_bytes(s));
    return true;
}

bool x86_trans_FXRSTOR(DisasContext *s, X86Insn *d)
{
    gen_copy_in(s, d, 0, fx_bytes(s));
    x87_fast_state_changed(s);
    IRTemp r = call(s, &x86_h_x87_image_load, k32(s, X87D_IMG(X87_IMG_FXSAVE, fpu_flags(s), 0)),
                    k64(s, 0), IR_TEMP_NONE);
    gen_gp_if(s, r);
    return true;
}

/* RFBM = EDX:EAX & XCR0, a 64-bit temp */
static IRTemp gen_rfbm(DisasContext *s)
{
    IRBlock *b = s->b;
    IRTemp eax = x86_load_reg(s, X86_OT_32, X86_RAX, false);
    if (s->tl == IR_I32)
        eax = ir_extu_i32_i64(b, eax);
    return ir_andi(b, eax, xcr0_of(s));   /* vemu's XCR0 has no bits in EDX */
}

/* The AVX part (bytes 576-831) moves only when RFBM asks for it: a
 * compacted area without it may be 576 bytes long. */
static void gen_xsave_copy(DisasContext *s, X86Insn *d, IRTemp rfbm, bool out)
{
    if (out)
        gen_copy_out(s, d, 0, X86_XSAVE_AVX_OFF);
    else
        gen_copy_in(s, d, 0, X86_XSAVE_AVX_OFF);
    if (!(xcr0_of(s) & X86_XCR0_AVX))
        return;
    IRBlock *b = s->b;
    unsigned skip = ir_label_new(b);
    ir_brcond(b, IR_COND_TSTEQ, rfbm, k64(s, X86_XCR0_AVX), skip);
    if (out)
        gen_copy_out(s, d, X86_XSAVE_AVX_OFF, X86_XSAVE_AVX_SIZE);
    else
        gen_copy_in(s, d, X86_XSAVE_AVX_OFF, X86_XSAVE_AVX_SIZE);
    ir_set_label(b, skip);
}

static bool gen_xsave(DisasContext *s, X86Insn *d, unsigned kind)
{
    x87_fast_sync(s);       /* the status word exactly, C1 and all flags */
    IRTemp rfbm = gen_rfbm(s);
    /* XSAVE keeps the XSTATE_BV bits outside RFBM: read the area first */
    gen_xsave_copy(s, d, rfbm, false);
    call(s, &x86_h_x87_image_store, k32(s, X87D_IMG(kind, fpu_flags(s), xcr0_of(s))), rfbm,
         IR_TEMP_NONE);
    gen_xsave_copy(s, d, rfbm, true);
    return true;
}

bool x86_trans_XSAVE(DisasContext *s, X86Insn *d) { return gen_xsave(s, d, X87_IMG_XSAVE); }
bool x86_trans_XSAVEOPT(DisasContext *s, X86Insn *d) { return gen_xsave(s, d, X87_IMG_XSAVEOPT); }
bool x86_trans_XSAVEC(DisasContext *s, X86Insn *d) { return gen_xsave(s, d, X87_IMG_XSAVEC); }

bool x86_trans_XRSTOR(DisasContext *s, X86Insn *d)
{
    IRTemp rfbm = gen_rfbm(s);
    gen_xsave_copy(s, d, rfbm, false);
    x87_fast_state_changed(s);
    IRTemp r = call(s, &x86_h_x87_image_load, k32(s, X87D_IMG(X87_IMG_XSAVE, fpu_flags(s), xcr0_of(s))),
                    rfbm, IR_TEMP_NONE);
    gen_gp_if(s, r);
    return true;
}

/* XGETBV: ECX = 0 reads XCR0 into EDX:EAX; any other ECX is #GP */
bool x86_trans_XGETBV(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp ecx = x86_load_reg(s, X86_OT_32, X86_RCX, false);
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_EQ, ecx, tlc(s, 0), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_GP);
    ir_set_label(b, ok);
    x86_store_reg(s, X86_OT_32, X86_RAX, false, tlc(s, xcr0_of(s)));
    x86_store_reg(s, X86_OT_32, X86_RDX, false, tlc(s, 0));
    return true;
}
