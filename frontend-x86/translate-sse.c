/*
 * translate-sse.c — MMX, SSE..SSE4.2, AES-NI, PCLMULQDQ, AVX, AVX2, FMA3 and
 * F16C instructions (sse.decode, avx.decode) that call a vector helper
 * (vec-helpers.def).  The moves and bitwise logic are inline
 * (translate-sse-move.c).
 *
 * One path serves nearly all of them: the row's operands give the helper's
 * descriptor (x86-vec-helpers.h).  The first operand is the destination
 * (V, P, or H for VEX's shift-by-immediate forms; W/Q as a destination
 * means memory or a register written through scratch register TMP1); H
 * is the first source (legacy: the destination again); W/U/Q/N/M the
 * second, a memory operand first loaded into TMP0 at its own size; Ib the
 * imm8; L (is4) goes to imm8[7:4].  P/Q/N make it an MMX operation.
 */
#include "frontend-x86/translate-sse.h"
#include "frontend-x86/x86-vec-features.h"

typedef struct VecOps {
    uint32_t desc;
    int gpr;               /* the index of a general register / memory integer operand, or -1 */
    bool mem_dest;         /* the destination is memory: write TMP1, then store it */
    bool mmx;
} VecOps;

/* The row's operands as a helper descriptor; a memory source is loaded into
 * TMP0 (a legacy SSE m128 checked for 16-byte alignment unless unaligned). */
static VecOps vec_operands_ex(DisasContext *s, X86Insn *d, bool unaligned)
{
    VecOps v = { .gpr = -1 };
    unsigned dreg = 0, s1 = 32, s2 = 32, imm = 0;
    uint32_t flags = s->vex ? X86V_VEX : 0;

    for (unsigned i = 0; i < d->n; i++) {
        X86Operand *o = &d->op[i];
        bool vecop = true;
        unsigned r = o->reg;
        switch (o->kind) {
        case X86_OPK_P: case X86_OPK_Q: case X86_OPK_N:
            flags |= X86V_MMX;
            r &= 7;
            break;
        case X86_OPK_V: case X86_OPK_U: case X86_OPK_W: case X86_OPK_M: case X86_OPK_H:
            break;
        case X86_OPK_L:
            imm |= (unsigned)o->reg << 4;
            vecop = false;
            break;
        case X86_OPK_I:
            imm |= (unsigned)o->imm & 0xff;
            vecop = false;
            break;
        default:
            v.gpr = (int)i;
            vecop = false;
            break;
        }
        if (!vecop)
            continue;
        if (o->ot == X86_OT_256)
            flags |= X86V_L256;
        if (i == 0) {
            if (o->is_mem) {
                v.mem_dest = true;
                r = X86_VEC_TMP1;
            }
            dreg = r;
        } else if (o->kind == X86_OPK_H) {
            s1 = r;
        } else {
            if (o->is_mem) {
                if (!s->vex && !(flags & X86V_MMX) && o->ot == X86_OT_128 && !unaligned)
                    sse_check_align(s, d, 16);
                sse_load_tmp(s, d, o->ot, X86_VEC_TMP0);
                r = X86_VEC_TMP0;
            }
            s2 = r;
        }
    }
    if (s1 == 32)
        s1 = dreg;
    if (s2 == 32)
        s2 = dreg;
    v.mmx = (flags & X86V_MMX) != 0;
    v.desc = X86V_DESC(dreg, s1, s2, flags, imm);
    return v;
}

static VecOps vec_operands(DisasContext *s, X86Insn *d)
{
    return vec_operands_ex(s, d, false);
}

/* The memory destination of a helper that wrote TMP1. */
static void store_dest(DisasContext *s, X86Insn *d, const VecOps *v)
{
    if (!v->mem_dest)
        return;
    IRTemp q[4];
    for (unsigned i = 0; i < ot_qwords(d->op[0].ot); i++)
        q[i] = sse_ldq(s, X86_VEC_TMP1, i);
    sse_st_mem(s, d, d->op[0].ot, q);
}

/* A floating-point helper's status: nonzero is #XM (an unmasked MXCSR
 * exception), raised at this instruction. */
static void gen_check_xm(DisasContext *s, IRTemp status)
{
    IRBlock *b = s->b;
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_EQ, status, c32(s, 0), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_XM);
    ir_set_label(b, ok);
}

static bool gen_vec(DisasContext *s, X86Insn *d, const IRHelper *h, int imm_override)
{
    VecOps v = vec_operands(s, d);
    if (v.mmx)
        sse_mmx_enter(s);
    if (imm_override >= 0)
        v.desc = (v.desc & 0x00ffffffu) | (uint32_t)imm_override << 24;
    IRTemp args[1] = { c32(s, v.desc) };
    IRTemp status = ir_call_helper(s->b, h, args);
    if (h->has_result)
        gen_check_xm(s, status);
    store_dest(s, d, &v);
    return true;
}

#define VEC(NAME, id) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) { return gen_vec(s, d, &vec_helper_##id, -1); }

/* integer arithmetic and compares */
VEC(PADDB, paddb) VEC(PADDW, paddw) VEC(PADDD, paddd) VEC(PADDQ, paddq)
VEC(PSUBB, psubb) VEC(PSUBW, psubw) VEC(PSUBD, psubd) VEC(PSUBQ, psubq)
VEC(PADDSB, paddsb) VEC(PADDSW, paddsw) VEC(PADDUSB, paddusb) VEC(PADDUSW, paddusw)
VEC(PSUBSB, psubsb) VEC(PSUBSW, psubsw) VEC(PSUBUSB, psubusb) VEC(PSUBUSW, psubusw)
VEC(PCMPEQB, pcmpeqb) VEC(PCMPEQW, pcmpeqw) VEC(PCMPEQD, pcmpeqd) VEC(PCMPEQQ, pcmpeqq)
VEC(PCMPGTB, pcmpgtb) VEC(PCMPGTW, pcmpgtw) VEC(PCMPGTD, pcmpgtd) VEC(PCMPGTQ, pcmpgtq)
VEC(PMINUB, pminub) VEC(PMINUW, pminuw) VEC(PMINUD, pminud)
VEC(PMINSB, pminsb) VEC(PMINSW, pminsw) VEC(PMINSD, pminsd)
VEC(PMAXUB, pmaxub) VEC(PMAXUW, pmaxuw) VEC(PMAXUD, pmaxud)
VEC(PMAXSB, pmaxsb) VEC(PMAXSW, pmaxsw) VEC(PMAXSD, pmaxsd)
VEC(PAVGB, pavgb) VEC(PAVGW, pavgw)
VEC(PMULLW, pmullw) VEC(PMULHW, pmulhw) VEC(PMULHUW, pmulhuw) VEC(PMULLD, pmulld)
VEC(PMULUDQ, pmuludq) VEC(PMULDQ, pmuldq) VEC(PMADDWD, pmaddwd) VEC(PMADDUBSW, pmaddubsw)
VEC(PMULHRSW, pmulhrsw) VEC(PSADBW, psadbw)
VEC(PABSB, pabsb) VEC(PABSW, pabsw) VEC(PABSD, pabsd)
VEC(PSIGNB, psignb) VEC(PSIGNW, psignw) VEC(PSIGND, psignd)
VEC(PHADDW, phaddw) VEC(PHADDD, phaddd) VEC(PHADDSW, phaddsw)
VEC(PHSUBW, phsubw) VEC(PHSUBD, phsubd) VEC(PHSUBSW, phsubsw)
VEC(PSLLW, psllw) VEC(PSLLD, pslld) VEC(PSLLQ, psllq)
VEC(PSRLW, psrlw) VEC(PSRLD, psrld) VEC(PSRLQ, psrlq) VEC(PSRAW, psraw) VEC(PSRAD, psrad)
VEC(PSLLW_I, psllw_i) VEC(PSLLD_I, pslld_i) VEC(PSLLQ_I, psllq_i)
VEC(PSRLW_I, psrlw_i) VEC(PSRLD_I, psrld_i) VEC(PSRLQ_I, psrlq_i)
VEC(PSRAW_I, psraw_i) VEC(PSRAD_I, psrad_i) VEC(PSLLDQ_I, pslldq_i) VEC(PSRLDQ_I, psrldq_i)
VEC(VPSLLVD, psllvd) VEC(VPSLLVQ, psllvq) VEC(VPSRLVD, psrlvd) VEC(VPSRLVQ, psrlvq) VEC(VPSRAVD, psravd)
VEC(PHMINPOSUW, phminposuw) VEC(MPSADBW, mpsadbw)

/* shuffles, packs, blends, extensions */
VEC(PACKSSWB, packsswb) VEC(PACKSSDW, packssdw) VEC(PACKUSWB, packuswb) VEC(PACKUSDW, packusdw)
VEC(PUNPCKLBW, punpcklbw) VEC(PUNPCKLWD, punpcklwd) VEC(PUNPCKLDQ, punpckldq)
VEC(PUNPCKHBW, punpckhbw) VEC(PUNPCKHWD, punpckhwd)
VEC(PUNPCKHDQ, punpckhdq)
VEC(UNPCKLPS, punpckldq) VEC(UNPCKHPS, punpckhdq)
VEC(PSHUFD, pshufd) VEC(PSHUFHW, pshufhw) VEC(PSHUFLW, pshuflw) VEC(PSHUFW, pshufw)
VEC(PSHUFB, pshufb) VEC(PALIGNR, palignr) VEC(SHUFPS, shufps)
VEC(BLENDPS, blendps) VEC(BLENDPD, blendpd) VEC(PBLENDW, pblendw) VEC(VPBLENDD, pblendd)
VEC(BLENDVPS, blendvps) VEC(BLENDVPD, blendvpd) VEC(PBLENDVB, pblendvb)
VEC(MOVSLDUP, movsldup) VEC(MOVSHDUP, movshdup) VEC(MOVDDUP, movddup)
VEC(PMOVSXBW, pmovsxbw) VEC(PMOVSXBD, pmovsxbd) VEC(PMOVSXBQ, pmovsxbq)
VEC(PMOVSXWD, pmovsxwd) VEC(PMOVSXWQ, pmovsxwq) VEC(PMOVSXDQ, pmovsxdq)
VEC(PMOVZXBW, pmovzxbw) VEC(PMOVZXBD, pmovzxbd) VEC(PMOVZXBQ, pmovzxbq)
VEC(PMOVZXWD, pmovzxwd) VEC(PMOVZXWQ, pmovzxwq) VEC(PMOVZXDQ, pmovzxdq)

/* VBROADCASTSS/SD, VPBROADCASTB/W/D/Q inline (glibc's AVX2 string functions
 * start with one): the element, from the low end of an XMM register or
 * from memory, times the pattern 0x01..01 of its size in each qword */
static bool gen_broadcast(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    X86Operand *dst = &d->op[0], *src = &d->op[1];
    unsigned ot = src->ot, bits = ot_bits(ot);
    IRTemp e;
    if (src->is_mem) {
        IRTemp q[4];
        sse_ld_mem(s, d, ot, q);
        e = q[0];
    } else {
        e = sse_ldq(s, src->reg, 0);
    }
    if (bits < 64) {
        uint64_t pattern = bits == 8 ? 0x0101010101010101ull : bits == 16 ? 0x0001000100010001ull
                                                                          : 0x0000000100000001ull;
        e = ir_mul(b, ir_and(b, e, ir_const64(b, (1ull << bits) - 1)), ir_const64(b, pattern));
    }
    for (unsigned i = 0; i < ot_qwords(dst->ot); i++)
        sse_stq(s, dst->reg, i, e);
    if (dst->ot != X86_OT_256)
        sse_zero_upper(s, dst->reg);
    return true;
}

bool x86_trans_VBROADCASTSS(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }
bool x86_trans_VBROADCASTSD(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }
bool x86_trans_VPBROADCASTB(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }
bool x86_trans_VPBROADCASTW(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }
bool x86_trans_VPBROADCASTD(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }
bool x86_trans_VPBROADCASTQ(DisasContext *s, X86Insn *d) { return gen_broadcast(s, d); }

VEC(VBROADCASTF128, vbroadcast128) VEC(VBROADCASTI128, vbroadcast128)
VEC(VPERM2F128, vperm2f128) VEC(VPERM2I128, vperm2f128)
VEC(VINSERTF128, vinsert128) VEC(VINSERTI128, vinsert128)
VEC(VEXTRACTF128, vextract128) VEC(VEXTRACTI128, vextract128)
VEC(VPERMD, vpermd) VEC(VPERMPS, vpermd) VEC(VPERMQ, vpermq) VEC(VPERMPD, vpermq)
VEC(VPERMILPS, vpermilps) VEC(VPERMILPD, vpermilpd) VEC(VPERMILPS_I, vpermilps_i)
VEC(VPERMILPD_I, vpermilpd_i)

/* floating point */
   
   
   
   
VEC(MINPS, minps) VEC(MINPD, minpd) VEC(MINSS, minss) VEC(MINSD, minsd)
VEC(MAXPS, maxps) VEC(MAXPD, maxpd) VEC(MAXSS, maxss) VEC(MAXSD, maxsd)
VEC(SQRTPS, sqrtps) VEC(SQRTPD, sqrtpd)  
VEC(RCPPS, rcpps) VEC(RCPSS, rcpss) VEC(RSQRTPS, rsqrtps) VEC(RSQRTSS, rsqrtss)
VEC(ADDSUBPS, addsubps) VEC(ADDSUBPD, addsubpd) VEC(HADDPS, haddps) VEC(HADDPD, haddpd)
VEC(HSUBPS, hsubps) VEC(HSUBPD, hsubpd)
VEC(CMPPS, cmpps) VEC(CMPPD, cmppd) VEC(CMPSS, cmpss) VEC(CMPSD, cmpsd)
VEC(ROUNDPS, roundps) VEC(ROUNDPD, roundpd) VEC(ROUNDSS, roundss) VEC(ROUNDSD, roundsd)
VEC(DPPS, dpps) VEC(DPPD, dppd)
VEC(CVTSS2SD, cvtss2sd) VEC(CVTSD2SS, cvtsd2ss) VEC(CVTPS2PD, cvtps2pd) VEC(CVTPD2PS, cvtpd2ps)
VEC(CVTDQ2PS, cvtdq2ps) VEC(CVTPS2DQ, cvtps2dq) VEC(CVTTPS2DQ, cvttps2dq) VEC(CVTDQ2PD, cvtdq2pd)
VEC(CVTPD2DQ, cvtpd2dq) VEC(CVTTPD2DQ, cvttpd2dq)
VEC(CVTPI2PS, cvtpi2ps) VEC(CVTPI2PD, cvtpi2pd) VEC(CVTPS2PI, cvtps2pi) VEC(CVTTPS2PI, cvttps2pi)
VEC(CVTPD2PI, cvtpd2pi) VEC(CVTTPD2PI, cvttpd2pi)
VEC(CVTPH2PS, cvtph2ps) VEC(CVTPS2PH, cvtps2ph)

/* AES-NI, PCLMULQDQ */
VEC(AESENC, aesenc) VEC(AESENCLAST, aesenclast) VEC(AESDEC, aesdec) VEC(AESDECLAST, aesdeclast)
VEC(AESIMC, aesimc) VEC(AESKEYGENASSIST, aeskeygenassist) VEC(PCLMULQDQ, pclmulqdq)

/* FMA3: the operand order (132, 213, 231) as imm8 0, 1, 2 */
#define FMA(order, idx, kind) \
    VEC_FMA(VFMADD##order##kind, fmadd, idx, kind) VEC_FMA(VFMSUB##order##kind, fmsub, idx, kind) \
    VEC_FMA(VFNMADD##order##kind, fnmadd, idx, kind) VEC_FMA(VFNMSUB##order##kind, fnmsub, idx, kind)
#define VEC_FMA(NAME, op, idx, kind) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) { return gen_vec(s, d, &FMA_HELPER(op, kind), idx); }
#define FMA_HELPER(op, kind) FMA_HELPER_(op, kind)
#define FMA_HELPER_(op, kind) vec_helper_##op##kind
#define PS ps
#define PD pd
#define SS ss
#define SD sd
FMA(132, 0, PS) FMA(132, 0, PD) FMA(132, 0, SS) FMA(132, 0, SD)
FMA(213, 1, PS) FMA(213, 1, PD) FMA(213, 1, SS) FMA(213, 1, SD)
FMA(231, 2, PS) FMA(231, 2, PD) FMA(231, 2, SS) FMA(231, 2, SD)
VEC_FMA(VFMADDSUB132PS, fmaddsub, 0, PS) VEC_FMA(VFMADDSUB132PD, fmaddsub, 0, PD)
VEC_FMA(VFMADDSUB213PS, fmaddsub, 1, PS) VEC_FMA(VFMADDSUB213PD, fmaddsub, 1, PD)
VEC_FMA(VFMADDSUB231PS, fmaddsub, 2, PS) VEC_FMA(VFMADDSUB231PD, fmaddsub, 2, PD)
VEC_FMA(VFMSUBADD132PS, fmsubadd, 0, PS) VEC_FMA(VFMSUBADD132PD, fmsubadd, 0, PD)
VEC_FMA(VFMSUBADD213PS, fmsubadd, 1, PS) VEC_FMA(VFMSUBADD213PD, fmsubadd, 1, PD)
VEC_FMA(VFMSUBADD231PS, fmsubadd, 2, PS) VEC_FMA(VFMSUBADD231PD, fmsubadd, 2, PD)
#undef PS
#undef PD
#undef SS
#undef SD

static bool gen_vec_flags(DisasContext *s, X86Insn *d, const IRHelper *h);

/* ---- scalar arithmetic: inline while MXCSR has its default controls ----
 * ADD/SUB/MUL/DIV/SQRT SS/SD as the IR's float ops (the backend runs them
 * on the host's SSE; their fallback, the host instruction again, covers
 * NaNs, infinities and denormals), their flags left pending in the host's
 * MXCSR as the helpers' fast case leaves them (x86-vec-fp-host.h).  A guest
 * with other controls (rounding, FTZ/DAZ, an unmasked exception) takes the
 * helper, which honours them: one test of MXCSR per instruction. */
static bool gen_scalar_fp(DisasContext *s, X86Insn *d, IROpcode fop, const IRHelper *fb,
                          const IRHelper *slow, bool dbl)
{
    if (!x86_vec_fp_inline())
        return gen_vec(s, d, slow, -1);
    IRBlock *b = s->b;
    unsigned dst = d->op[0].reg;
    unsigned a_reg = d->n == 3 ? d->op[1].reg : dst;
    X86Operand *src = &d->op[d->n - 1];
    unsigned slow_label = ir_label_new(b), done = ir_label_new(b);
    IRTemp mx = ir_ld_env(b, IR_I32, offsetof(X86CPU, vec.mxcsr), IR_MO_32);
    ir_brcond(b, IR_COND_NE, ir_andi(b, mx, ~X86_MXCSR_FLAGS & 0xffffu), c32(s, X86_MXCSR_DEFAULT), slow_label);

    IRType t = dbl ? IR_I64 : IR_I32;
    IRMemOp mo = dbl ? IR_MO_64 : IR_MO_32;
    IRTemp bv = src->is_mem ? ir_ld(b, t, d->addr, mo) : ir_ld_env(b, t, vec_off(src->reg, 0), mo);
    IRTemp r = ir_temp_new(b, t);
    if (fop == IR_OP_fsqrt) {
        uint64_t args[3] = { r, bv, (uint64_t)(uintptr_t)fb };
        ir_emit(b, fop, args);
    } else {
        IRTemp av = ir_ld_env(b, t, vec_off(a_reg, 0), mo);
        uint64_t args[4] = { r, av, bv, (uint64_t)(uintptr_t)fb };
        ir_emit(b, fop, args);
    }
    if (s->vex) {
        /* d = [r, s1's bits 127:bits], bits 255:128 zeroed */
        if (dst != a_reg) {
            sse_stq(s, dst, 0, sse_ldq(s, a_reg, 0));
            sse_stq(s, dst, 1, sse_ldq(s, a_reg, 1));
        }
        sse_zero_upper(s, dst);
    }
    ir_st_env(b, r, vec_off(dst, 0), mo);
    ir_br(b, done);

    ir_set_label(b, slow_label);
    gen_vec(s, d, slow, -1);
    ir_set_label(b, done);
    return true;
}

#define SCALAR_FP(NAME, fop, id, dbl) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) \
    { return gen_scalar_fp(s, d, IR_OP_##fop, &vec_helper_fb_##id, &vec_helper_##id, dbl); }
SCALAR_FP(ADDSD, fadd, addsd, true) SCALAR_FP(SUBSD, fsub, subsd, true)
SCALAR_FP(MULSD, fmul, mulsd, true) SCALAR_FP(DIVSD, fdiv, divsd, true)
SCALAR_FP(SQRTSD, fsqrt, sqrtsd, true)
SCALAR_FP(ADDSS, fadd, addss, false) SCALAR_FP(SUBSS, fsub, subss, false)
SCALAR_FP(MULSS, fmul, mulss, false) SCALAR_FP(DIVSS, fdiv, divss, false)
SCALAR_FP(SQRTSS, fsqrt, sqrtss, false)

/* ---- packed arithmetic, the same way: one float op per element ---- */
static bool gen_packed_fp(DisasContext *s, X86Insn *d, IROpcode fop, const IRHelper *fb,
                          const IRHelper *slow, bool dbl)
{
    if (!x86_vec_fp_inline())
        return gen_vec(s, d, slow, -1);
    IRBlock *b = s->b;
    X86Operand *o0 = &d->op[0], *src = &d->op[d->n - 1];
    unsigned dst = o0->reg, a_reg = d->n == 3 ? d->op[1].reg : dst;
    unsigned bytes = o0->ot == X86_OT_256 ? 32 : 16, esz = dbl ? 8 : 4, n = bytes / esz;
    unsigned slow_label = ir_label_new(b), done = ir_label_new(b);
    IRTemp mx = ir_ld_env(b, IR_I32, offsetof(X86CPU, vec.mxcsr), IR_MO_32);
    ir_brcond(b, IR_COND_NE, ir_andi(b, mx, ~X86_MXCSR_FLAGS & 0xffffu), c32(s, X86_MXCSR_DEFAULT), slow_label);

    IRType t = dbl ? IR_I64 : IR_I32;
    IRMemOp mo = dbl ? IR_MO_64 : IR_MO_32;
    IRTemp r[8];
    if (src->is_mem && !s->vex)
        sse_check_align(s, d, 16);
    for (unsigned i = 0; i < n; i++) {
        IRTemp bv = src->is_mem ? ir_ld(b, t, i ? ir_addi(b, d->addr, esz * i) : d->addr, mo)
                                : ir_ld_env(b, t, vec_off(src->reg, 0) + esz * i, mo);
        IRTemp av = ir_ld_env(b, t, vec_off(a_reg, 0) + esz * i, mo);
        r[i] = ir_temp_new(b, t);
        uint64_t args[4] = { r[i], av, bv, (uint64_t)(uintptr_t)fb };
        ir_emit(b, fop, args);
    }
    for (unsigned i = 0; i < n; i++)
        ir_st_env(b, r[i], vec_off(dst, 0) + esz * i, mo);
    if (s->vex && bytes == 16)
        sse_zero_upper(s, dst);
    ir_br(b, done);

    ir_set_label(b, slow_label);
    gen_vec(s, d, slow, -1);
    ir_set_label(b, done);
    return true;
}

#define PACKED_FP(NAME, fop, fb, id, dbl) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) \
    { return gen_packed_fp(s, d, IR_OP_##fop, &vec_helper_fb_##fb, &vec_helper_##id, dbl); }
PACKED_FP(ADDPD, fadd, addsd, addpd, true) PACKED_FP(SUBPD, fsub, subsd, subpd, true)
PACKED_FP(MULPD, fmul, mulsd, mulpd, true) PACKED_FP(DIVPD, fdiv, divsd, divpd, true)
PACKED_FP(ADDPS, fadd, addss, addps, false) PACKED_FP(SUBPS, fsub, subss, subps, false)
PACKED_FP(MULPS, fmul, mulss, mulps, false) PACKED_FP(DIVPS, fdiv, divss, divps, false)

/* ---- COMIS/UCOMIS inline: the IR's fcmp (fallback: the host instruction,
 * which raises invalid for a signalling NaN, or any NaN for COMIS), its
 * neutral result turned into ZF PF CF ---- */
static bool gen_comis_fast(DisasContext *s, X86Insn *d, const IRHelper *fb, const IRHelper *slow, bool dbl)
{
    if (!x86_vec_fp_inline())
        return gen_vec_flags(s, d, slow);
    IRBlock *b = s->b;
    X86Operand *src = &d->op[1];
    unsigned slow_label = ir_label_new(b), done = ir_label_new(b);
    /* both paths record the flags: each from the cc_op known before them */
    uint32_t cc_op = s->cc_op;
    IRTemp mx = ir_ld_env(b, IR_I32, offsetof(X86CPU, vec.mxcsr), IR_MO_32);
    ir_brcond(b, IR_COND_NE, ir_andi(b, mx, ~X86_MXCSR_FLAGS & 0xffffu), c32(s, X86_MXCSR_DEFAULT), slow_label);
    IRType t = dbl ? IR_I64 : IR_I32;
    IRMemOp mo = dbl ? IR_MO_64 : IR_MO_32;
    IRTemp bv = src->is_mem ? ir_ld(b, t, d->addr, mo) : ir_ld_env(b, t, vec_off(src->reg, 0), mo);
    IRTemp av = ir_ld_env(b, t, vec_off(d->op[0].reg, 0), mo);
    IRTemp res = ir_temp_new(b, IR_I32);
    uint64_t args[4] = { res, av, bv, (uint64_t)(uintptr_t)fb };
    ir_emit(b, IR_OP_fcmp, args);
    /* LESS: CF; EQUAL: ZF; GREATER: none; UNORDERED: ZF PF CF */
    IRTemp fl = ir_andi(b, ir_shr(b, c32(s, 0x45004001u), ir_shli(b, res, 3)), 0xff);
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, s->tl == IR_I64 ? ir_extu_i32_i64(b, fl) : fl, IR_TEMP_NONE);
    ir_br(b, done);
    ir_set_label(b, slow_label);
    s->cc_op = cc_op;
    gen_vec_flags(s, d, slow);
    ir_set_label(b, done);
    /* the two paths stored the flags in different temps: the globals hold them */
    x86_cc_forget(s);
    return true;
}

#define COMIS_FP(NAME, id, dbl) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) \
    { return gen_comis_fast(s, d, &vec_helper_fb_##id, &vec_helper_##id, dbl); }

/* ---- helpers with a general-register side ---- */

/* The helper's i64 result into the general register or memory operand gi
 * (register: zero-extended to 32 bits, or 64 with REX.W). */
static void store_result(DisasContext *s, X86Insn *d, unsigned gi, IRTemp v)
{
    X86Operand *o = &d->op[gi];
    if (o->is_mem) {
        sse_st_mem(s, d, o->ot, &v);
        return;
    }
    /* r32/m8 operands (PEXTRB): the register is the whole general register */
    unsigned reg = o->high_byte ? o->reg + 4u : o->reg;
    unsigned ot = o->ot == X86_OT_64 ? X86_OT_64 : X86_OT_32;
    x86_store_reg(s, ot, reg, false, ot == X86_OT_64 ? v : sse_i64_to_tl(s, v));
}

static bool gen_vec_out(DisasContext *s, X86Insn *d, const IRHelper *h, int imm_override)
{
    VecOps v = vec_operands(s, d);
    if (v.mmx)
        sse_mmx_enter(s);
    if (imm_override >= 0)
        v.desc = (v.desc & 0x00ffffffu) | (uint32_t)imm_override << 24;
    IRTemp args[1] = { c32(s, v.desc) };
    IRTemp r = ir_call_helper(s->b, h, args);
    store_result(s, d, (unsigned)v.gpr, r);
    return true;
}

#define VEC_OUT(NAME, id) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) { return gen_vec_out(s, d, &vec_helper_##id, -1); }
VEC_OUT(PMOVMSKB, pmovmskb) VEC_OUT(MOVMSKPS, movmskps) VEC_OUT(MOVMSKPD, movmskpd)
VEC_OUT(PEXTRB, pextrb) VEC_OUT(PEXTRW, pextrw) VEC_OUT(EXTRACTPS, pextrd)

bool x86_trans_PEXTRD(DisasContext *s, X86Insn *d)
{
    return gen_vec_out(s, d, d->op[0].ot == X86_OT_64 ? &vec_helper_pextrq : &vec_helper_pextrd, -1);
}

/* float -> integer: imm8 says the width of the result */
#define VEC_CVT2SI(NAME, id) \
    bool x86_trans_##NAME(DisasContext *s, X86Insn *d) \
    { return gen_vec_out(s, d, &vec_helper_##id, d->op[0].ot == X86_OT_64); }
VEC_CVT2SI(CVTSS2SI, cvtss2si) VEC_CVT2SI(CVTTSS2SI, cvttss2si)
VEC_CVT2SI(CVTSD2SI, cvtsd2si) VEC_CVT2SI(CVTTSD2SI, cvttsd2si)

/* A general register or memory integer operand as an i64 helper argument. */
static IRTemp load_int_operand(DisasContext *s, X86Insn *d, unsigned gi)
{
    X86Operand *o = &d->op[gi];
    if (o->is_mem) {
        IRTemp v;
        sse_ld_mem(s, d, o->ot, &v);
        return v;
    }
    unsigned reg = o->high_byte ? o->reg + 4u : o->reg;
    unsigned ot = o->ot == X86_OT_64 ? X86_OT_64 : X86_OT_32;
    return sse_tl_to_i64(s, x86_load_reg(s, ot, reg, false));
}

static bool gen_vec_in(DisasContext *s, X86Insn *d, const IRHelper *h, int imm_override)
{
    /* the integer operand is read before any vector state changes */
    VecOps v = vec_operands(s, d);
    IRTemp val = load_int_operand(s, d, (unsigned)v.gpr);
    if (v.mmx)
        sse_mmx_enter(s);
    if (imm_override >= 0)
        v.desc = (v.desc & 0x00ffffffu) | (uint32_t)imm_override << 24;
    IRTemp args[2] = { c32(s, v.desc), val };
    ir_call_helper(s->b, h, args);
    return true;
}

bool x86_trans_PINSRB(DisasContext *s, X86Insn *d) { return gen_vec_in(s, d, &vec_helper_pinsrb, -1); }
bool x86_trans_PINSRW(DisasContext *s, X86Insn *d) { return gen_vec_in(s, d, &vec_helper_pinsrw, -1); }
bool x86_trans_PINSRD(DisasContext *s, X86Insn *d)
{
    return gen_vec_in(s, d, d->op[d->n - 2].ot == X86_OT_64 ? &vec_helper_pinsrq : &vec_helper_pinsrd, -1);
}

bool x86_trans_CVTSI2SS(DisasContext *s, X86Insn *d)
{
    return gen_vec_in(s, d, &vec_helper_cvtsi2ss, d->op[d->n - 1].ot == X86_OT_64);
}

bool x86_trans_CVTSI2SD(DisasContext *s, X86Insn *d)
{
    return gen_vec_in(s, d, &vec_helper_cvtsi2sd, d->op[d->n - 1].ot == X86_OT_64);
}

/* INSERTPS from memory: the dword loaded is element 0 of TMP0 */
bool x86_trans_INSERTPS(DisasContext *s, X86Insn *d)
{
    int imm = -1;
    if (d->op[d->n - 2].is_mem)
        imm = (int)((unsigned)d->op[d->n - 1].imm & 0x3f);
    return gen_vec(s, d, &vec_helper_insertps, imm);
}

/* ---- helpers that set EFLAGS ---- */
static void set_eflags(DisasContext *s, IRTemp flags64)
{
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, sse_i64_to_tl(s, flags64), IR_TEMP_NONE);
}

static bool gen_vec_flags(DisasContext *s, X86Insn *d, const IRHelper *h)
{
    VecOps v = vec_operands(s, d);
    /* the two sources are the operands (V is s1, not a destination) */
    v.desc = X86V_DESC(0, X86V_D(v.desc), X86V_S2(v.desc), v.desc & (X86V_L256 | X86V_VEX), 0);
    IRTemp args[1] = { c32(s, v.desc) };
    set_eflags(s, ir_call_helper(s->b, h, args));
    return true;
}

COMIS_FP(COMISS, comiss, false)
COMIS_FP(COMISD, comisd, true)
COMIS_FP(UCOMISS, ucomiss, false)
COMIS_FP(UCOMISD, ucomisd, true)
bool x86_trans_PTEST(DisasContext *s, X86Insn *d) { return gen_vec_flags(s, d, &vec_helper_ptest); }
bool x86_trans_VTESTPS(DisasContext *s, X86Insn *d) { return gen_vec_flags(s, d, &vec_helper_vtestps); }
bool x86_trans_VTESTPD(DisasContext *s, X86Insn *d) { return gen_vec_flags(s, d, &vec_helper_vtestpd); }

/* pcmpXstrX: index to ecx (the *stri forms), EFLAGS from bits 63:32; the
 * *strm forms write xmm0 in the helper.  Explicit lengths: rax and rdx
 * (eax and edx sign-extended without REX.W). */
static bool gen_pcmpstr(DisasContext *s, X86Insn *d, const IRHelper *h, bool explicit_len, bool index)
{
    VecOps v = vec_operands_ex(s, d, true);       /* no alignment required */
    v.desc = (v.desc & ~0x1fu);            /* d is xmm0 for the mask forms */
    IRTemp r;
    if (explicit_len) {
        unsigned ot = s->code64 && s->rex_w ? X86_OT_64 : X86_OT_32;
        IRTemp la = x86_load_reg(s, ot, X86_RAX, false), ld = x86_load_reg(s, ot, X86_RDX, false);
        if (ot == X86_OT_32) {
            la = s->tl == IR_I64 ? x86_sext(s, la, X86_OT_32) : ir_exts_i32_i64(s->b, la);
            ld = s->tl == IR_I64 ? x86_sext(s, ld, X86_OT_32) : ir_exts_i32_i64(s->b, ld);
        }
        IRTemp args[3] = { c32(s, v.desc), la, ld };
        r = ir_call_helper(s->b, h, args);
    } else {
        IRTemp args[1] = { c32(s, v.desc) };
        r = ir_call_helper(s->b, h, args);
    }
    if (index)
        x86_store_reg(s, X86_OT_32, X86_RCX, false, sse_i64_to_tl(s, r));
    set_eflags(s, ir_shri(s->b, r, 32));
    return true;
}

bool x86_trans_PCMPISTRI(DisasContext *s, X86Insn *d) { return gen_pcmpstr(s, d, &vec_helper_pcmpistri, false, true); }
bool x86_trans_PCMPISTRM(DisasContext *s, X86Insn *d) { return gen_pcmpstr(s, d, &vec_helper_pcmpistrm, false, false); }
bool x86_trans_PCMPESTRI(DisasContext *s, X86Insn *d) { return gen_pcmpstr(s, d, &vec_helper_pcmpestri, true, true); }
bool x86_trans_PCMPESTRM(DisasContext *s, X86Insn *d) { return gen_pcmpstr(s, d, &vec_helper_pcmpestrm, true, false); }

/* ---- VZEROUPPER / VZEROALL: the registers the mode has (8 in 32-bit code) ---- */
static bool gen_vzero(DisasContext *s, const IRHelper *h)
{
    IRTemp args[1] = { c32(s, X86V_DESC(0, 0, 0, 0, s->code64 ? 16 : 8)) };
    ir_call_helper(s->b, h, args);
    return true;
}

bool x86_trans_VZEROUPPER(DisasContext *s, X86Insn *d) { return gen_vzero(s, &vec_helper_vzeroupper); }
bool x86_trans_VZEROALL(DisasContext *s, X86Insn *d) { return gen_vzero(s, &vec_helper_vzeroall); }
