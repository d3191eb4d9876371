/*
 * translate-sse-mask.c — the vector instructions that touch memory element
 * by element under a mask: MASKMOVQ, MASKMOVDQU (byte stores to DS:rDI),
 * VMASKMOVPS/PD and VPMASKMOVD/Q (loads and stores), and the AVX2 gathers.
 * Inline IR, one conditional access per element: an element whose mask bit
 * is clear is never touched, so it cannot fault (what makes these usable
 * for loop tails at a page end).
 */
#include "frontend-x86/translate-sse.h"

/* Element e (size 1 << esz bytes) of register r, as an i64 (ld) / from one. */
static uint32_t elem_off(unsigned r, unsigned esz, unsigned e)
{
    return vec_off(r, 0) + (e << esz);
}

static IRTemp ld_elem(DisasContext *s, unsigned r, unsigned esz, unsigned e, bool sign)
{
    return ir_ld_env(s->b, IR_I64, elem_off(r, esz, e), (IRMemOp)(esz | (sign ? IR_MO_SIGN : 0)));
}

static void st_elem(DisasContext *s, unsigned r, unsigned esz, unsigned e, IRTemp v)
{
    ir_st_env(s->b, v, elem_off(r, esz, e), (IRMemOp)esz);
}

/* Branch to a new label unless the top bit of mask element e is set. */
static unsigned skip_unless_msb(DisasContext *s, unsigned mreg, unsigned esz, unsigned e, bool mmx)
{
    unsigned label = ir_label_new(s->b);
    IRTemp m = mmx ? ir_ld_env(s->b, IR_I64, mmx_off(mreg) + e, IR_MO_8 | IR_MO_SIGN) : ld_elem(s, mreg, esz, e, true);
    ir_brcond(s->b, IR_COND_GE, m, ir_const(s->b, IR_I64, 0), label);
    return label;
}

static IRTemp addr_plus(DisasContext *s, IRTemp addr, unsigned off)
{
    return off ? ir_addi(s->b, addr, off) : addr;
}

/* ---- MASKMOVQ mm1, mm2 / MASKMOVDQU xmm1, xmm2: the bytes of the first
 * operand whose byte in the second has its top bit set, to DS:rDI ---- */
static bool gen_maskmov(DisasContext *s, X86Insn *d, bool mmx)
{
    unsigned src = d->op[0].reg, mask = d->op[1].reg, n = mmx ? 8 : 16;
    IRTemp di = x86_load_reg(s, s->aflag, X86_RDI, false);
    IRTemp addr = x86_gen_seg_addr(s, s->seg >= 0 ? s->seg : X86_SEG_DS, di);
    if (mmx)
        sse_mmx_enter(s);
    for (unsigned i = 0; i < n; i++) {
        unsigned skip = skip_unless_msb(s, mask, 0, i, mmx);
        IRTemp v = mmx ? ir_ld_env(s->b, IR_I32, mmx_off(src) + i, IR_MO_8)
                       : ir_ld_env(s->b, IR_I32, elem_off(src, 0, i), IR_MO_8);
        ir_st(s->b, v, addr_plus(s, addr, i), IR_MO_8);
        ir_set_label(s->b, skip);
    }
    return true;
}

bool x86_trans_MASKMOVQ(DisasContext *s, X86Insn *d) { return gen_maskmov(s, d, true); }
bool x86_trans_MASKMOVDQU(DisasContext *s, X86Insn *d) { return gen_maskmov(s, d, false); }

/* ---- VMASKMOVPS/PD, VPMASKMOVD/Q: load (V,H,M) or store (M,H,V) ---- */
static bool gen_vmaskmov(DisasContext *s, X86Insn *d, unsigned esz)
{
    bool store = d->op[0].is_mem;
    unsigned ot = store ? d->op[0].ot : d->op[2].ot;
    unsigned bytes = ot == X86_OT_256 ? 32 : 16, n = bytes >> esz;
    unsigned mask = d->op[1].reg;
    if (store) {
        unsigned src = d->op[2].reg;
        for (unsigned e = 0; e < n; e++) {
            unsigned skip = skip_unless_msb(s, mask, esz, e, false);
            IRTemp v = ld_elem(s, src, esz, e, false);
            ir_st(s->b, v, addr_plus(s, d->addr, e << esz), (IRMemOp)esz);
            ir_set_label(s->b, skip);
        }
        return true;
    }
    /* load into TMP0 (zero where the mask is clear), then the register: a
     * fault leaves the destination as it was */
    unsigned dst = d->op[0].reg;
    IRTemp z = ir_const(s->b, IR_I64, 0);
    for (unsigned q = 0; q < 4; q++)
        sse_stq(s, X86_VEC_TMP0, q, z);
    for (unsigned e = 0; e < n; e++) {
        unsigned skip = skip_unless_msb(s, mask, esz, e, false);
        IRTemp v = ir_ld(s->b, IR_I64, addr_plus(s, d->addr, e << esz), (IRMemOp)esz);
        st_elem(s, X86_VEC_TMP0, esz, e, v);
        ir_set_label(s->b, skip);
    }
    for (unsigned q = 0; q < 4; q++)
        sse_stq(s, dst, q, q < bytes / 8 ? sse_ldq(s, X86_VEC_TMP0, q) : z);
    return true;
}

bool x86_trans_VMASKMOVPS(DisasContext *s, X86Insn *d) { return gen_vmaskmov(s, d, 2); }
bool x86_trans_VMASKMOVPD(DisasContext *s, X86Insn *d) { return gen_vmaskmov(s, d, 3); }
bool x86_trans_VPMASKMOVD(DisasContext *s, X86Insn *d) { return gen_vmaskmov(s, d, 2); }
bool x86_trans_VPMASKMOVQ(DisasContext *s, X86Insn *d) { return gen_vmaskmov(s, d, 3); }

/* ---- the AVX2 gathers: dest V, memory VSIB, mask H ----
 * Element i (mask top bit set): dest[i] = [base + sext(index[i]) << scale +
 * disp], then mask[i] = 0, so a fault part-way leaves a restartable state,
 * as on the hardware; at the end the whole mask register is zero.  The
 * decoder read the SIB byte for a general index register (and dropped index
 * 4): the vector index register is re-read from the instruction bytes. */
static bool gen_gather(DisasContext *s, X86Insn *d, unsigned dsz, unsigned isz)
{
    IRBlock *b = s->b;
    if ((s->modrm & 7) != 4 || (s->modrm >> 6) == 3)
        return false;                         /* no SIB: #UD */
    unsigned mod = s->modrm >> 6;
    unsigned disp_len = mod == 1 ? 1 : mod == 2 ? 4 : s->mem_base == X86_MEM_NONE ? 4 : 0;
    uint8_t sib = s->bytes[s->len - disp_len - 1];
    unsigned xreg = ((sib >> 3) & 7) | s->rex_x;
    if (!s->code64)
        xreg &= 7;
    unsigned dst = d->op[0].reg, mask = d->op[2].reg;
    if (dst == mask || dst == xreg || mask == xreg)
        return false;                         /* #UD */
    bool l256 = s->vex_l;
    unsigned n = (l256 ? 32u : 16u) / (dsz > isz ? dsz : isz);
    unsigned desz = dsz == 8 ? 3 : 2, iesz = isz == 8 ? 3 : 2;

    IRTemp base = s->mem_base >= 0 ? cpu_regs[s->mem_base] : IR_TEMP_NONE;
    for (unsigned e = 0; e < n; e++) {
        unsigned skip = skip_unless_msb(s, mask, desz, e, false);
        IRTemp ix = ld_elem(s, xreg, iesz, e, true);
        if (s->tl == IR_I32)
            ix = ir_extrl_i64_i32(b, ix);
        if (s->mem_scale)
            ix = ir_shli(b, ix, s->mem_scale);
        IRTemp ea = base == IR_TEMP_NONE ? ix : ir_add(b, base, ix);
        if (s->disp)
            ea = ir_add(b, ea, tlc(s, (uint64_t)s->disp));
        if (s->aflag == X86_OT_32 && s->tl == IR_I64)
            ea = x86_zext(s, ea, X86_OT_32);
        IRTemp addr = x86_gen_seg_addr(s, s->seg >= 0 ? s->seg : X86_SEG_DS, ea);
        IRTemp v = ir_ld(b, IR_I64, addr, (IRMemOp)desz);
        st_elem(s, dst, desz, e, v);
        st_elem(s, mask, desz, e, ir_const(b, IR_I64, 0));
        ir_set_label(b, skip);
    }
    /* the mask register all zero; the destination zero above the data
     * (the bits 255:128 of a VEX.128 form, or above the narrow result of
     * the qword-index dword forms) */
    IRTemp z = ir_const(b, IR_I64, 0);
    for (unsigned q = 0; q < 4; q++)
        sse_stq(s, mask, q, z);
    for (unsigned q = (n << desz) / 8; q < 4; q++)
        sse_stq(s, dst, q, z);
    return true;
}

bool x86_trans_VPGATHERDD(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 4, 4); }
bool x86_trans_VPGATHERDQ(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 8, 4); }
bool x86_trans_VPGATHERQD(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 4, 8); }
bool x86_trans_VPGATHERQQ(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 8, 8); }
bool x86_trans_VGATHERDPS(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 4, 4); }
bool x86_trans_VGATHERDPD(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 8, 4); }
bool x86_trans_VGATHERQPS(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 4, 8); }
bool x86_trans_VGATHERQPD(DisasContext *s, X86Insn *d) { return gen_gather(s, d, 8, 8); }
