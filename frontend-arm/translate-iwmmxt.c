/*
 * translate-iwmmxt.c — XScale coprocessors 0 and 1: the Wireless MMX unit
 * of the PXA270 (iwmmxt.decode) and the DSP accumulator acc0 of the PXA25x.
 *
 * wR0..wR15 are i64 IR globals, so moves, logic, loads, stores and
 * transfers are plain IR; lane-wise arithmetic goes through the helpers of
 * iwmmxt-helpers.c, which also write wCASF and wCSSF (plain cpu fields, like
 * the other control registers).
 *
 * wCon: qemu-arm (the oracle) ORs 2 into wCon when an instruction writes a
 * data register and 1 when it writes a control register (the manual's MUP
 * and CUP bits), for the same instructions as we do here; TMCR to wCon or
 * wCSSF clears the bits written as 1; TMCR to wCID or wCASF is ignored.
 *
 * On the XScale models without iWMMXt only cp0's MIA/MIAPH/MIAxy/MAR/MRA
 * exist, on acc0 (wR0, 40 bits: MRA returns bits 39:32 zero-extended in
 * RdHi, as qemu-arm does); everything else in cp0/cp1 is undefined.
 */
#include <stddef.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-iwmmxt.h"

#include "frontend-arm/iwmmxt-decode.h.inc"
#include "frontend-arm/iwmmxt-decode.c.inc"

static IRTemp cpu_wR[16];

void arm_iwmmxt_init_globals(void)
{
    static const char *const names[16] = {
        "wr0", "wr1", "wr2", "wr3", "wr4", "wr5", "wr6", "wr7",
        "wr8", "wr9", "wr10", "wr11", "wr12", "wr13", "wr14", "wr15",
    };
    for (int i = 0; i < 16; i++)
        cpu_wR[i] = ir_global_new(&arm_globals, IR_I64, offsetof(ARMCPU, iwmmxt_wr[i]), names[i]);
}

void arm_iwmmxt_set_model(ARMCPU *cpu)
{
    /* wCID: implementer 0x69 (Intel), architecture 1, the iWMMXt of the
     * PXA270, revision 'Q' as qemu-arm reports it. */
    cpu->iwmmxt_wc[IWMMXT_wCID] = (cpu->features & ARM_FEATURE_IWMMXT) ? 0x69051000u | 'Q' : 0;
}

bool arm_translate_xscale(DisasContext *s, uint32_t insn)
{
    if (!arm_has(s, ARM_FEATURE_XSCALE))
        return false;
    /* The DSP accumulator lives in coprocessor 0 only. */
    if (!arm_has(s, ARM_FEATURE_IWMMXT) && ((insn >> 8) & 0xf) != 0)
        return false;
    return iwmmxt_decode(s, insn);
}

/* ---- state access ------------------------------------------------------------ */

static bool has_iwmmxt(DisasContext *s) { return arm_has(s, ARM_FEATURE_IWMMXT); }

static uint32_t wc_offset(int n) { return offsetof(ARMCPU, iwmmxt_wc) + 4 * n; }

static IRTemp load_wc(DisasContext *s, int n)
{
    return ir_ld_env(s->b, IR_I32, wc_offset(n), IR_MO_UL);
}

static void store_wc(DisasContext *s, int n, IRTemp v)
{
    ir_st_env(s->b, v, wc_offset(n), IR_MO_UL);
}

/* wCon |= bits (MUP 2: a data register written, CUP 1: a control register). */
static void set_wcon(DisasContext *s, uint32_t bits)
{
    store_wc(s, IWMMXT_wCon, ir_or(s->b, load_wc(s, IWMMXT_wCon), c32(s, bits)));
}

static void store_wr(DisasContext *s, int r, IRTemp v, uint32_t wcon_bits)
{
    ir_mov_to(s->b, cpu_wR[r], v);
    if (wcon_bits)
        set_wcon(s, wcon_bits);
}

static IRTemp call3(DisasContext *s, const IRHelper *h, IRTemp a, IRTemp b, uint32_t desc)
{
    IRTemp args[3] = { a, b, c32(s, desc) };
    return ir_call_helper(s->b, h, args);
}

/* A lane operation through iwmmxt_binop; the wCon bits as qemu-arm sets them. */
static bool gen_binop(DisasContext *s, int wRd, int wRn, int wRm, unsigned op, unsigned size,
                      uint32_t wcon_bits)
{
    if (!has_iwmmxt(s) || (size == 3 && op != IW_PACKUS && op != IW_PACKSS))
        return false;
    store_wr(s, wRd, call3(s, &iwmmxt_helper_binop, cpu_wR[wRn], cpu_wR[wRm], IW_DESC(op, size)),
             wcon_bits);
    return true;
}

#define MUP IWMMXT_WCON_MUP
#define CUP IWMMXT_WCON_CUP

/* ---- transfers --------------------------------------------------------------- */

bool trans_TMCRR(DisasContext *s, const arg_TMCRR *a)
{
    /* MAR acc0, RdLo, RdHi on the PXA25x: acc field in bits 2:0 */
    if (!has_iwmmxt(s) && a->wRm != 0)
        return false;
    IRTemp v = ir_or(s->b, ir_extu_i32_i64(s->b, load_reg(s, a->RdLo)),
                     ir_shli(s->b, ir_extu_i32_i64(s->b, load_reg(s, a->RdHi)), 32));
    store_wr(s, a->wRm, v, has_iwmmxt(s) ? MUP : 0);
    return true;
}

bool trans_TMRRC(DisasContext *s, const arg_TMRRC *a)
{
    if (a->RdLo == 15 || a->RdHi == 15 || (!has_iwmmxt(s) && a->wRm != 0))
        return false;
    IRTemp hi = ir_extrh_i64_i32(s->b, cpu_wR[a->wRm]);
    if (!has_iwmmxt(s))
        hi = ir_andi(s->b, hi, 0xff);     /* MRA: acc0 has 40 bits */
    store_reg(s, a->RdLo, ir_extrl_i64_i32(s->b, cpu_wR[a->wRm]));
    store_reg(s, a->RdHi, hi);
    return true;
}

bool trans_TMCR(DisasContext *s, const arg_TMCR *a)
{
    if (!has_iwmmxt(s))
        return false;
    switch (a->wC) {
    case IWMMXT_wCID:
    case IWMMXT_wCASF:
        return true;        /* read-only here, as in qemu-arm */
    case IWMMXT_wCon:
    case IWMMXT_wCSSF:
        /* write 1 to clear (wCon's CUP is set first, so it may be cleared too) */
        if (a->wC == IWMMXT_wCon)
            set_wcon(s, CUP);
        store_wc(s, a->wC, ir_andc(s->b, load_wc(s, a->wC), load_reg(s, a->Rd)));
        return true;
    case IWMMXT_wCGR0: case IWMMXT_wCGR1: case IWMMXT_wCGR2: case IWMMXT_wCGR3:
        set_wcon(s, CUP);
        store_wc(s, a->wC, load_reg(s, a->Rd));
        return true;
    default:
        return false;
    }
}

bool trans_TMRC(DisasContext *s, const arg_TMRC *a)
{
    if (!has_iwmmxt(s) || a->Rd == 15)
        return false;
    store_reg(s, a->Rd, load_wc(s, a->wC));
    return true;
}

static IRTemp broadcast(DisasContext *s, IRTemp v32, int size)
{
    IRBlock *b = s->b;
    IRTemp v = ir_extu_i32_i64(b, v32);
    if (size == 0)
        v = ir_mul(b, ir_andi(b, v, 0xff), ir_const64(b, 0x0101010101010101ull));
    else if (size == 1)
        v = ir_mul(b, ir_andi(b, v, 0xffff), ir_const64(b, 0x0001000100010001ull));
    else
        v = ir_or(b, v, ir_shli(b, v, 32));
    return v;
}

bool trans_TBCST(DisasContext *s, const arg_TBCST *a)
{
    if (!has_iwmmxt(s) || a->size == 3)
        return false;
    store_wr(s, a->wRd, broadcast(s, load_reg(s, a->Rn), a->size), MUP);
    return true;
}

bool trans_TINSR(DisasContext *s, const arg_TINSR *a)
{
    if (!has_iwmmxt(s) || a->size == 3)
        return false;
    unsigned bits = 8u << a->size, lane = a->imm & ((8u >> a->size) - 1);
    IRTemp v = ir_extu_i32_i64(s->b, load_reg(s, a->Rn));
    store_wr(s, a->wRd, ir_deposit(s->b, cpu_wR[a->wRd], v, lane * bits, bits), MUP);
    return true;
}

bool trans_TEXTRM(DisasContext *s, const arg_TEXTRM *a)
{
    if (!has_iwmmxt(s) || a->size == 3 || a->Rd == 15)
        return false;
    unsigned bits = 8u << a->size, lane = a->imm & ((8u >> a->size) - 1);
    IRTemp v = ir_extrl_i64_i32(s->b, ir_shri(s->b, cpu_wR[a->wRn], lane * bits));
    if (bits < 32)
        v = a->S ? ir_sextract(s->b, v, 0, bits) : ir_extract(s->b, v, 0, bits);
    store_reg(s, a->Rd, v);
    return true;
}

bool trans_TMOVMSK(DisasContext *s, const arg_TMOVMSK *a)
{
    if (!has_iwmmxt(s) || a->size == 3 || a->Rd == 15)
        return false;
    IRTemp args[2] = { cpu_wR[a->wRn], c32(s, a->size) };
    store_reg(s, a->Rd, ir_call_helper(s->b, &iwmmxt_helper_movmsk, args));
    return true;
}

/* CPSR.NZCV <- bits 31:28 of v */
static void set_nzcv(DisasContext *s, IRTemp v)
{
    ir_mov_to(s->b, cpu_NF, v);
    ir_op2_to(s->b, IR_OP_andc, cpu_ZF, c32(s, ARM_CPSR_Z), v);
    ir_mov_to(s->b, cpu_CF, ir_extract(s->b, v, 29, 1));
    ir_mov_to(s->b, cpu_VF, ir_shli(s->b, v, 3));
}

bool trans_TEXTRC(DisasContext *s, const arg_TEXTRC *a)
{
    if (!has_iwmmxt(s) || a->size == 3)
        return false;
    /* the flags nibble of lane imm: bits (imm+1)*w/2-1 .. -4 */
    unsigned half = 4u << a->size, lane = a->imm & ((8u >> a->size) - 1);
    unsigned pos = (lane + 1) * half - 4;
    set_nzcv(s, ir_shli(s->b, load_wc(s, IWMMXT_wCASF), 28 - pos));
    return true;
}

/* AND (or OR) the flags nibbles of every lane into bits 31:28. */
static bool gen_flags_reduce(DisasContext *s, int size, bool is_and)
{
    if (!has_iwmmxt(s) || size == 3)
        return false;
    IRBlock *b = s->b;
    IRTemp acc = load_wc(s, IWMMXT_wCASF), sh = acc;
    unsigned step = 4u << size;
    for (unsigned k = step; k < 32; k += step) {
        sh = ir_shli(b, sh, step);
        acc = is_and ? ir_and(b, acc, sh) : ir_or(b, acc, sh);
    }
    set_nzcv(s, acc);
    return true;
}

bool trans_TANDC(DisasContext *s, const arg_TANDC *a) { return gen_flags_reduce(s, a->size, true); }
bool trans_TORC(DisasContext *s, const arg_TORC *a) { return gen_flags_reduce(s, a->size, false); }

static bool gen_tmia(DisasContext *s, int wRd, int Rm, int Rs, unsigned op)
{
    if (Rm == 15 || Rs == 15 || (!has_iwmmxt(s) && wRd != 0))
        return false;
    IRTemp args[4] = { cpu_wR[wRd], load_reg(s, Rm), load_reg(s, Rs), c32(s, op) };
    store_wr(s, wRd, ir_call_helper(s->b, &iwmmxt_helper_tmia, args), has_iwmmxt(s) ? MUP : 0);
    return true;
}

bool trans_TMIA(DisasContext *s, const arg_TMIA *a) { return gen_tmia(s, a->wRd, a->Rm, a->Rs, 0); }
bool trans_TMIAPH(DisasContext *s, const arg_TMIAPH *a) { return gen_tmia(s, a->wRd, a->Rm, a->Rs, 1); }
bool trans_TMIAxy(DisasContext *s, const arg_TMIAxy *a)
{
    return gen_tmia(s, a->wRd, a->Rm, a->Rs, 4 | a->xy);
}

/* ---- loads and stores --------------------------------------------------------- */

/* The address of an iWMMXt load/store (LDC addressing: P = 1 pre-indexed,
 * P = 0 W = 1 post-indexed, P = 0 W = 0 U = 1 [Rn]); *wb is the value Rn
 * gets after the access when W (IR_TEMP_NONE otherwise).  False: undefined
 * (nothing emitted). */
static bool gen_iw_address(DisasContext *s, int P, int U, int W, int Rn, uint32_t off,
                           IRTemp *addr, IRTemp *wb)
{
    if ((!P && !W && !U) || (W && Rn == 15))
        return false;
    IRTemp base = load_reg_copy(s, Rn);
    IRTemp moved = U ? ir_addi(s->b, base, off) : ir_sub(s->b, base, c32(s, off));
    *addr = P ? moved : base;
    *wb = W ? moved : IR_TEMP_NONE;
    return true;
}

/* Rn is written back after the access, so a faulting one leaves it alone. */
static void gen_iw_writeback(DisasContext *s, int Rn, IRTemp wb)
{
    if (wb != IR_TEMP_NONE)
        store_reg(s, Rn, wb);
}

static bool gen_iw_ldst(DisasContext *s, int P, int U, int W, int L, int Rn, int wRd,
                        uint32_t imm8, IRMemOp mo)
{
    if (!has_iwmmxt(s))
        return false;
    unsigned scale = mo == IR_MO_UL || mo == IR_MO_Q ? 2 : 0;
    IRTemp addr, wb;
    if (!gen_iw_address(s, P, U, W, Rn, imm8 << scale, &addr, &wb))
        return false;
    if (L) {
        IRTemp v = mo == IR_MO_Q ? ir_ld(s->b, IR_I64, addr, mo)
                                 : ir_extu_i32_i64(s->b, ir_ld(s->b, IR_I32, addr, mo));
        store_wr(s, wRd, v, 0);   /* qemu-arm leaves wCon.MUP alone on loads */
    } else if (mo == IR_MO_Q) {
        ir_st(s->b, cpu_wR[wRd], addr, mo);
    } else {
        ir_st(s->b, ir_extrl_i64_i32(s->b, cpu_wR[wRd]), addr, mo);
    }
    gen_iw_writeback(s, Rn, wb);
    return true;
}

#define LDST(name, L, mo) \
    bool trans_##name(DisasContext *s, const arg_##name *a) \
    { return gen_iw_ldst(s, a->P, a->U, a->W, L, a->Rn, a->wRd, a->imm8, mo); }
LDST(WLDRB, 1, IR_MO_UB) LDST(WLDRH, 1, IR_MO_UW) LDST(WLDRW, 1, IR_MO_UL) LDST(WLDRD, 1, IR_MO_Q)
LDST(WSTRB, 0, IR_MO_UB) LDST(WSTRH, 0, IR_MO_UW) LDST(WSTRW, 0, IR_MO_UL) LDST(WSTRD, 0, IR_MO_Q)
#undef LDST

/* WLDRW/WSTRW of a control register: the unconditional (cond = 1111) form. */
static bool gen_iw_ldst_wc(DisasContext *s, int P, int U, int W, int L, int Rn, int wC, uint32_t imm8)
{
    IRTemp addr, wb;
    if (!has_iwmmxt(s) || !gen_iw_address(s, P, U, W, Rn, imm8 << 2, &addr, &wb))
        return false;
    if (L)
        store_wc(s, wC, ir_ld(s->b, IR_I32, addr, IR_MO_UL));
    else
        ir_st(s->b, load_wc(s, wC), addr, IR_MO_UL);
    gen_iw_writeback(s, Rn, wb);
    return true;
}

bool trans_WLDRW_wC(DisasContext *s, const arg_WLDRW_wC *a)
{
    return gen_iw_ldst_wc(s, a->P, a->U, a->W, 1, a->Rn, a->wC, a->imm8);
}

bool trans_WSTRW_wC(DisasContext *s, const arg_WSTRW_wC *a)
{
    return gen_iw_ldst_wc(s, a->P, a->U, a->W, 0, a->Rn, a->wC, a->imm8);
}

/* ---- logic, alignment ------------------------------------------------------------ */

/* wCASF <- N and Z of the 64-bit result (bits 31 and 30) */
static void set_casf_nz64(DisasContext *s, IRTemp v)
{
    IRBlock *b = s->b;
    IRTemp n = ir_andi(b, ir_extrh_i64_i32(b, v), 0x80000000u);
    IRTemp z = ir_movcond(b, IR_COND_EQ, v, ir_const64(b, 0), c32(s, 1u << 30), c32(s, 0));
    store_wc(s, IWMMXT_wCASF, ir_or(b, n, z));
}

static bool gen_logic(DisasContext *s, int wRd, IRTemp v)
{
    if (!has_iwmmxt(s))
        return false;
    set_casf_nz64(s, v);
    store_wr(s, wRd, v, MUP | CUP);
    return true;
}

bool trans_WOR(DisasContext *s, const arg_WOR *a)
{
    return gen_logic(s, a->wRd, ir_or(s->b, cpu_wR[a->wRn], cpu_wR[a->wRm]));
}
bool trans_WXOR(DisasContext *s, const arg_WXOR *a)
{
    return gen_logic(s, a->wRd, ir_xor(s->b, cpu_wR[a->wRn], cpu_wR[a->wRm]));
}
bool trans_WAND(DisasContext *s, const arg_WAND *a)
{
    return gen_logic(s, a->wRd, ir_and(s->b, cpu_wR[a->wRn], cpu_wR[a->wRm]));
}
/* wRn AND NOT wRm (qemu-arm negates wRm instead of inverting it: a quirk;
 * WZERO is WANDN wRd, wRd, wRd) */
bool trans_WANDN(DisasContext *s, const arg_WANDN *a)
{
    return gen_logic(s, a->wRd, ir_andc(s->b, cpu_wR[a->wRn], cpu_wR[a->wRm]));
}

/* bytes off..off+7 of the 16-byte value wRm:wRn */
static IRTemp gen_align(DisasContext *s, int wRn, int wRm, IRTemp off)
{
    IRBlock *b = s->b;
    IRTemp sh = ir_shli(b, ir_extu_i32_i64(b, off), 3);
    IRTemp lo = ir_shr(b, cpu_wR[wRn], sh);
    /* wRm << (64 - sh), 0 when sh = 0 (a shift by 64 is not defined) */
    IRTemp hi = ir_shl(b, ir_shl(b, cpu_wR[wRm], ir_sub(b, ir_const64(b, 63), sh)), ir_const64(b, 1));
    return ir_or(b, lo, hi);
}

bool trans_WALIGNI(DisasContext *s, const arg_WALIGNI *a)
{
    if (!has_iwmmxt(s))
        return false;
    store_wr(s, a->wRd, gen_align(s, a->wRn, a->wRm, c32(s, a->imm)), MUP);
    return true;
}

bool trans_WALIGNR(DisasContext *s, const arg_WALIGNR *a)
{
    if (!has_iwmmxt(s))
        return false;
    IRTemp off = ir_andi(s->b, load_wc(s, IWMMXT_wCGR0 + a->gr), 7);
    store_wr(s, a->wRd, gen_align(s, a->wRn, a->wRm, off), MUP);
    return true;
}

/* ---- lane arithmetic ---------------------------------------------------------- */

static bool gen_addsub(DisasContext *s, const arg_WADD *a, bool sub)
{
    static const unsigned ops[2][4] = {
        { IW_ADD, IW_ADDUS, 0, IW_ADDSS }, { IW_SUB, IW_SUBUS, 0, IW_SUBSS },
    };
    if (a->sat == 2)
        return false;
    return gen_binop(s, a->wRd, a->wRn, a->wRm, ops[sub][a->sat], a->size, MUP | CUP);
}

bool trans_WADD(DisasContext *s, const arg_WADD *a) { return gen_addsub(s, a, false); }
bool trans_WSUB(DisasContext *s, const arg_WSUB *a) { return gen_addsub(s, (const arg_WADD *)a, true); }

bool trans_WCMPEQ(DisasContext *s, const arg_WCMPEQ *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, IW_CMPEQ, a->size, MUP | CUP);
}
bool trans_WCMPGT(DisasContext *s, const arg_WCMPGT *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->S ? IW_CMPGTS : IW_CMPGTU, a->size, MUP | CUP);
}
bool trans_WMAX(DisasContext *s, const arg_WMAX *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->S ? IW_MAXS : IW_MAXU, a->size, MUP);
}
bool trans_WMIN(DisasContext *s, const arg_WMIN *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->S ? IW_MINS : IW_MINU, a->size, MUP);
}
bool trans_WAVG2(DisasContext *s, const arg_WAVG2 *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->R ? IW_AVG2R : IW_AVG2, a->H, MUP | CUP);
}
bool trans_WMUL(DisasContext *s, const arg_WMUL *a)
{
    static const unsigned ops[2][2] = { { IW_MULUL, IW_MULUM }, { IW_MULSL, IW_MULSM } };
    return gen_binop(s, a->wRd, a->wRn, a->wRm, ops[a->S][a->M], 1, MUP);
}
bool trans_WMADD(DisasContext *s, const arg_WMADD *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->S ? IW_MADDS : IW_MADDU, 1, MUP);
}

/* sum (of products, of absolute differences), accumulated unless Z */
static bool gen_accumulate(DisasContext *s, int wRd, int wRn, int wRm, unsigned op, bool Z,
                           bool low_word)
{
    if (!has_iwmmxt(s))
        return false;
    IRTemp v = call3(s, &iwmmxt_helper_binop, cpu_wR[wRn], cpu_wR[wRm], IW_DESC(op, 1));
    if (!Z) {
        IRTemp acc = low_word ? ir_andi(s->b, cpu_wR[wRd], 0xffffffffu) : cpu_wR[wRd];
        v = ir_add(s->b, v, acc);
    }
    store_wr(s, wRd, v, MUP);
    return true;
}

bool trans_WMAC(DisasContext *s, const arg_WMAC *a)
{
    return gen_accumulate(s, a->wRd, a->wRn, a->wRm, a->S ? IW_MACS : IW_MACU, a->Z, false);
}
/* WSAD accumulates into the low word (the sum has at most 20 bits) */
bool trans_WSAD(DisasContext *s, const arg_WSAD *a)
{
    return gen_accumulate(s, a->wRd, a->wRn, a->wRm, a->H ? IW_SADH : IW_SADB, a->Z, true);
}

bool trans_WACC(DisasContext *s, const arg_WACC *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRn, IW_WACC, a->size, MUP);
}

bool trans_WPACK(DisasContext *s, const arg_WPACK *a)
{
    if (a->size == 0)
        return false;
    return gen_binop(s, a->wRd, a->wRn, a->wRm, a->S ? IW_PACKSS : IW_PACKUS, a->size, MUP | CUP);
}

bool trans_WUNPCKEH(DisasContext *s, const arg_WUNPCKEH *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRn, a->S ? IW_UNPCKEHS : IW_UNPCKEHU, a->size, MUP | CUP);
}
bool trans_WUNPCKEL(DisasContext *s, const arg_WUNPCKEL *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRn, a->S ? IW_UNPCKELS : IW_UNPCKELU, a->size, MUP | CUP);
}
bool trans_WUNPCKIH(DisasContext *s, const arg_WUNPCKIH *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, IW_UNPCKIH, a->size, MUP | CUP);
}
bool trans_WUNPCKIL(DisasContext *s, const arg_WUNPCKIL *a)
{
    return gen_binop(s, a->wRd, a->wRn, a->wRm, IW_UNPCKIL, a->size, MUP | CUP);
}

/* ---- shifts ---------------------------------------------------------------------- */

/* Shift wRn's lanes by wRm[7:0] or wCGRm[7:0] (ROR: modulo the lane size). */
static bool gen_shift(DisasContext *s, const arg_WSRA *a, unsigned op)
{
    if (!has_iwmmxt(s) || a->size == 0)
        return false;
    IRTemp n;
    if (a->G) {
        if (a->wRm < IWMMXT_wCGR0 || a->wRm > IWMMXT_wCGR3)
            return false;
        n = load_wc(s, a->wRm);
    } else {
        n = ir_extrl_i64_i32(s->b, cpu_wR[a->wRm]);
    }
    n = ir_andi(s->b, n, op == IW_ROR ? (16u << a->size) - 1 : 0xff);
    IRTemp args[3] = { cpu_wR[a->wRn], n, c32(s, IW_DESC(op, a->size)) };
    store_wr(s, a->wRd, ir_call_helper(s->b, &iwmmxt_helper_shift, args), MUP | CUP);
    return true;
}

bool trans_WSRA(DisasContext *s, const arg_WSRA *a) { return gen_shift(s, a, IW_SRA); }
bool trans_WSLL(DisasContext *s, const arg_WSLL *a) { return gen_shift(s, (const arg_WSRA *)a, IW_SLL); }
bool trans_WSRL(DisasContext *s, const arg_WSRL *a) { return gen_shift(s, (const arg_WSRA *)a, IW_SRL); }
bool trans_WROR(DisasContext *s, const arg_WROR *a) { return gen_shift(s, (const arg_WSRA *)a, IW_ROR); }

bool trans_WSHUFH(DisasContext *s, const arg_WSHUFH *a)
{
    if (!has_iwmmxt(s))
        return false;
    IRTemp args[3] = { cpu_wR[a->wRn], c32(s, (uint32_t)a->imm), c32(s, IW_DESC(IW_SHUFH, 1)) };
    store_wr(s, a->wRd, ir_call_helper(s->b, &iwmmxt_helper_shift, args), MUP | CUP);
    return true;
}

/* ---- the hooks in a32.decode ------------------------------------------------------ */

bool trans_XSCALE_ldst(DisasContext *s, const arg_XSCALE_ldst *a)
{
    (void)a;
    return arm_translate_xscale(s, s->insn);
}

bool trans_XSCALE_cdp(DisasContext *s, const arg_XSCALE_cdp *a)
{
    (void)a;
    return arm_translate_xscale(s, s->insn);
}

bool trans_XSCALE_uncond(DisasContext *s, const arg_XSCALE_uncond *a)
{
    (void)a;
    return has_iwmmxt(s) && iwmmxt_decode(s, s->insn);
}
