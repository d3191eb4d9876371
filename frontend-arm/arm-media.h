/*
 * arm-media.h — private to frontend-arm: the semantics of the ARMv6 and
 * ARMv7-A integer additions, shared by the A32 decoder (translate-media.c,
 * translate-mul-v6.c) and the T32 decoder (translate-thumb*.c).
 *
 * Each gen_ function emits the IR of one instruction class given the
 * register numbers and immediates its encoding decoded.  They do NOT check
 * features or UNPREDICTABLE register choices (r13/r15 rules differ between
 * A32 and T32): the caller's trans_ function does that before calling.
 * Unless said otherwise a register argument is r0..r14 (r15 reads as the
 * pc, but callers normally reject it); results go to r0..r14 via
 * store_reg().  Encoding-specific values (rotations, op fields) are the
 * A32 field values; the comments say how T32 fields map onto them.
 *
 * Flags: Q is sticky (cpu_QF |= 1 on saturation/overflow), GE (cpu_GE,
 * bits 3:0) is written only by the plain signed/unsigned parallel
 * add/subtract forms; SEL reads it.
 *
 * The v5TE multiplies and saturating additions (SMUL<x><y>, SMLA<x><y>,
 * SMULW<y>, SMLAW<y>, SMLAL<x><y>, QADD/QSUB/QDADD/QDSUB) live in
 * translate-mul.c: a T32 decoder can fill an arg_SMLAxy etc. and call the
 * A32 trans_ function (their checks are the same: no r15), or use
 * gen_sat_addsub() below.
 */
#ifndef VEMU_ARM_MEDIA_H
#define VEMU_ARM_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-helpers.h"

/* ---- move wide (v6T2) ---------------------------------------------------- */

/* MOVW: rd = imm16.  MOVT: rd = (rd & 0xffff) | imm16 << 16.
 * imm16 is imm4:imm12 (A32) or imm4:i:imm3:imm8 (T32). */
void gen_movw(DisasContext *s, int rd, uint32_t imm16);
void gen_movt(DisasContext *s, int rd, uint32_t imm16);

/* ---- bitfields (v6T2) ------------------------------------------------------ */

/* UBFX/SBFX: rd = bits [lsb, lsb+width) of rn, zero/sign extended.
 * width = widthm1 + 1 (1..32); the caller rejects lsb + width > 32. */
void gen_ubfx(DisasContext *s, int rd, int rn, int lsb, int width);
void gen_sbfx(DisasContext *s, int rd, int rn, int lsb, int width);
/* BFI: bits [lsb, lsb+width) of rd = low bits of rn; rn == 15 is BFC
 * (clears them).  width = msb - lsb + 1; the caller rejects msb < lsb. */
void gen_bfi(DisasContext *s, int rd, int rn, int lsb, int width);

/* ---- reversal -------------------------------------------------------------- */

/* REV (v6), REV16 (v6), REVSH (v6), RBIT (v6T2): rd = f(rm) */
void gen_rev(DisasContext *s, int rd, int rm);
void gen_rev16(DisasContext *s, int rd, int rm);
void gen_revsh(DisasContext *s, int rd, int rm);
void gen_rbit(DisasContext *s, int rd, int rm);

/* ---- extend (and add), v6 ---------------------------------------------------- */

/* What is extended: the A32 op field of SXTAB16/SXTAB/SXTAH (bits 21:20).
 * T32 op1 (bits 22:20 of 1111 1010 0 op1 ...): 000 H signed, 001 H unsigned,
 * 010 B16 signed, 011 B16 unsigned, 100 B signed, 101 B unsigned. */
enum {
    ARM_XT_B16 = 0,   /* bytes 0 and 2 into two halfwords (SXTB16, UXTAB16 ...) */
    ARM_XT_B   = 2,   /* byte 0 (SXTB, UXTAB ...) */
    ARM_XT_H   = 3,   /* halfword 0 (SXTH, UXTAH ...) */
};
/* rd = rn + extend(rm ROR 8*rot); rn == 15 means no addition (SXTB ...).
 * For ARM_XT_B16 the addition is done per halfword. rot: 0..3. */
void gen_extend(DisasContext *s, bool is_unsigned, int kind, int rd, int rn, int rm, int rot);

/* ---- parallel add/subtract, v6 ------------------------------------------------ */

/* op1 (A32 bits 22:20): the kind of arithmetic */
enum {
    ARM_PAR_S  = 1,   /* signed, modulo, sets GE */
    ARM_PAR_Q  = 2,   /* signed saturating */
    ARM_PAR_SH = 3,   /* signed halving */
    ARM_PAR_U  = 5,   /* unsigned, modulo, sets GE */
    ARM_PAR_UQ = 6,   /* unsigned saturating */
    ARM_PAR_UH = 7,   /* unsigned halving */
};
/* op2 (A32 bits 7:5): which lanes, which operation */
enum {
    ARM_PAR_ADD16 = 0,
    ARM_PAR_ASX   = 1,   /* lo = n.lo - m.hi, hi = n.hi + m.lo */
    ARM_PAR_SAX   = 2,   /* lo = n.lo + m.hi, hi = n.hi - m.lo */
    ARM_PAR_SUB16 = 3,
    ARM_PAR_ADD8  = 4,
    ARM_PAR_SUB8  = 7,
};
/* T32 (1111 1010 1 op1:3 Rn 1111 Rd 0 U:1 op2:2 Rm, A6.3.15/16) uses other
 * numbers: T32 op1 000 ADD8, 001 ADD16, 010 ASX, 100 SUB8, 101 SUB16,
 * 110 SAX; T32 op2 00 plain (GE), 01 saturating, 10 halving, with U
 * selecting unsigned.  Map them to the A32 values above.
 * arm_par_valid() says whether an (A32) op1/op2 pair is defined. */
bool arm_par_valid(int op1, int op2);
void gen_parallel_addsub(DisasContext *s, int op1, int op2, int rd, int rn, int rm);

/* SEL: each byte of rd from rn where GE[i] is set, else from rm. */
void gen_sel(DisasContext *s, int rd, int rn, int rm);
/* USAD8 / USADA8: rd = sum |rn.byte[i] - rm.byte[i]| (+ ra; ra == 15: none) */
void gen_usad8(DisasContext *s, int rd, int rn, int rm, int ra);

/* ---- packing ------------------------------------------------------------------ */

/* PKHBT (tb = 0): rd = rn[15:0] | (rm LSL imm5)[31:16]
 * PKHTB (tb = 1): rd = rn[31:16] | (rm ASR imm5)[15:0], imm5 = 0 means ASR #32.
 * (T32: imm5 = imm3:imm2, tb = bit 5 "tb".) */
void gen_pkh(DisasContext *s, int rd, int rn, int rm, bool tb, int imm5);

/* ---- saturation, v6 -------------------------------------------------------------- */

/* SSAT: rd = SignedSat(shift(rn), bits), bits 1..32 (= sat_imm + 1 in both
 * A32 and T32).  USAT: rd = UnsignedSat(shift(rn), bits), bits 0..31
 * (= sat_imm).  shift: sh = 0 LSL #imm5, sh = 1 ASR #imm5 (imm5 = 0: #32;
 * T32 passes imm3:imm2, and decodes sh = 1, imm = 0 as SSAT16/USAT16 first).
 * Q is set when the value saturates. */
void gen_ssat(DisasContext *s, int rd, int rn, int bits, int sh, int imm5);
void gen_usat(DisasContext *s, int rd, int rn, int bits, int sh, int imm5);
/* SSAT16 (bits 1..16 = sat_imm + 1), USAT16 (bits 0..15 = sat_imm) */
void gen_ssat16(DisasContext *s, int rd, int rn, int bits);
void gen_usat16(DisasContext *s, int rd, int rn, int bits);

/* QADD (op 0), QSUB (1), QDADD (2), QDSUB (3): rd = sat(rm +- sat(2 * rn)).
 * (T32: op = bits 5:4 of 1111 1010 1000 Rn 1111 Rd 10 op Rm, in the same order.) */
void gen_sat_addsub(DisasContext *s, int op, int rd, int rm, int rn);

/* ---- multiplies (v6, v6T2) ------------------------------------------------------- */

/* MLS (v6T2): rd = ra - rn * rm */
void gen_mls(DisasContext *s, int rd, int rn, int rm, int ra);
/* UMAAL (v6): rdhi:rdlo = rn * rm + rdlo + rdhi (unsigned 64-bit) */
void gen_umaal(DisasContext *s, int rdlo, int rdhi, int rn, int rm);
/* SMLAD/SMLSD (sub), X swaps rm's halves; ra == 15 gives SMUAD/SMUSD.
 * rd = rn.lo*rm.lo +- rn.hi*rm.hi (+ ra); Q on signed overflow. */
void gen_smlad(DisasContext *s, int rd, int rn, int rm, int ra, bool sub, bool swap);
/* SMLALD/SMLSLD: rdhi:rdlo += rn.lo*rm.lo +- rn.hi*rm.hi (64-bit, no flags) */
void gen_smlald(DisasContext *s, int rdlo, int rdhi, int rn, int rm, bool sub, bool swap);
/* SMMLA/SMMLS (sub), round adds 0x80000000 first; ra == 15 (add only) is SMMUL.
 * rd = ((ra << 32) +- rn * rm (+ round))[63:32] */
void gen_smmla(DisasContext *s, int rd, int rn, int rm, int ra, bool sub, bool round);
/* SDIV/UDIV (ARM_FEATURE_DIV): rd = rn / rm, rounding towards zero;
 * x / 0 = 0 (ARMv7-A, no divide-by-zero trap in user mode) and
 * INT_MIN / -1 = INT_MIN. */
void gen_div(DisasContext *s, int rd, int rn, int rm, bool is_unsigned);

/* ---- helpers (arm-media-helpers.c), pure ------------------------------------ */

/* arm_helper_parallel_addsub, _usad8 and _sat16 are declared in
 * helpers.def (arm-helpers.h). */

#endif
