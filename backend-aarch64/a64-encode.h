/*
 * a64-encode.h — an AArch64 (A64) instruction encoder.
 *
 * Every instruction is one little-endian 32-bit word written through the
 * backend core's code cursor (backend/backend-asm.h), which knows where the
 * bytes execute, so pc-relative branches and ADR/ADRP are computed from
 * run-time (rx) addresses.  A write past the end sets `overflow` and is
 * dropped, as for the x86_64 encoder.
 *
 * Registers.  General registers are 0..30 (X0..X30 / W0..W30).  Register
 * number 31 means the zero register in most operand slots and the stack
 * pointer in a few; the encoder keeps the two apart: A64_ZR (31) and A64_SP
 * (32) are distinct names, and an emitter given the one its slot cannot
 * hold stops the program with a message (that is a bug in the backend, not
 * a guest's doing).  FP/SIMD registers V0..V31 are plain 0..31.
 *
 * Width: `sf` true selects the 64-bit (X) form, false the 32-bit (W) form,
 * which zeroes the upper half of the destination.
 *
 * Immediates that an instruction cannot hold are a caller error too: the
 * *_ok / *_encodable predicates say beforehand whether a value fits, and
 * the branch emitters return false (emitting nothing) when the target is
 * out of reach so the caller can take the long way.
 */
#ifndef VEMU_A64_ENCODE_H
#define VEMU_A64_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend-asm.h"

enum {
    A64_X0 = 0, A64_X1, A64_X2, A64_X3, A64_X4, A64_X5, A64_X6, A64_X7,
    A64_X8, A64_X9, A64_X10, A64_X11, A64_X12, A64_X13, A64_X14, A64_X15,
    A64_X16, A64_X17, A64_X18, A64_X19, A64_X20, A64_X21, A64_X22, A64_X23,
    A64_X24, A64_X25, A64_X26, A64_X27, A64_X28, A64_X29, A64_X30,
    A64_ZR = 31,   /* XZR / WZR */
    A64_SP = 32,   /* SP / WSP (encoded as 31 where it is allowed) */
    A64_FP = A64_X29, A64_LR = A64_X30,
};

/* Condition codes (the manual's cond field). */
typedef enum A64Cond {
    A64_EQ = 0, A64_NE, A64_HS, A64_LO, A64_MI, A64_PL, A64_VS, A64_VC,
    A64_HI, A64_LS, A64_GE, A64_LT, A64_GT, A64_LE, A64_AL, A64_NV,
} A64Cond;
static inline A64Cond a64_cond_invert(A64Cond c) { return (A64Cond)(c ^ 1); }

/* Shift types of shifted-register operands and of the variable shifts. */
typedef enum A64Shift { A64_LSL = 0, A64_LSR = 1, A64_ASR = 2, A64_ROR = 3 } A64Shift;

/* Extend types of extended-register operands and register offsets. */
typedef enum A64Extend {
    A64_UXTB = 0, A64_UXTH, A64_UXTW, A64_UXTX, A64_SXTB, A64_SXTH, A64_SXTW, A64_SXTX,
} A64Extend;

/* Add/subtract: bit 1 = subtract, bit 0 = set flags (the op:S fields). */
typedef enum A64AddSub { A64_ADD = 0, A64_ADDS = 1, A64_SUB = 2, A64_SUBS = 3 } A64AddSub;

/* Logical: opc << 1 | N (N inverts the second operand; register form only
 * for the inverted ones). */
typedef enum A64Logic {
    A64_AND = 0, A64_BIC = 1, A64_ORR = 2, A64_ORN = 3,
    A64_EOR = 4, A64_EON = 5, A64_ANDS = 6, A64_BICS = 7,
} A64Logic;

/* Conditional select: op << 1 | o2. */
typedef enum A64CondSel { A64_CSEL = 0, A64_CSINC = 1, A64_CSINV = 2, A64_CSNEG = 3 } A64CondSel;

/* Integer loads and stores: the opc field.  LDRS_X sign-extends into an X
 * register (LDRSB/LDRSH/LDRSW), LDRS_W into a W register (LDRSB/LDRSH). */
typedef enum A64LdSt { A64_STR = 0, A64_LDR = 1, A64_LDRS_X = 2, A64_LDRS_W = 3 } A64LdSt;

/* Pair and writeback addressing. */
typedef enum A64Index { A64_OFFSET = 0, A64_PRE, A64_POST } A64Index;

/* Barrier options (CRm of DMB/DSB). */
typedef enum A64Barrier {
    A64_OSHLD = 1, A64_OSHST = 2, A64_OSH = 3, A64_NSHLD = 5, A64_NSHST = 6, A64_NSH = 7,
    A64_ISHLD = 9, A64_ISHST = 10, A64_ISH = 11, A64_LD = 13, A64_ST = 14, A64_SY = 15,
} A64Barrier;

/* System registers for MRS/MSR: op0:op1:CRn:CRm:op2 as the 15 bits the
 * instruction holds (bits 19..5 shifted down). */
#define A64_SYSREG(op0, op1, crn, crm, op2) \
    ((((op0) - 2) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
typedef enum A64SysReg {
    A64_NZCV = A64_SYSREG(3, 3, 4, 2, 0),
    A64_FPCR = A64_SYSREG(3, 3, 4, 4, 0),
    A64_FPSR = A64_SYSREG(3, 3, 4, 4, 1),
    A64_TPIDR_EL0 = A64_SYSREG(3, 3, 13, 0, 2),
} A64SysReg;

/* Scalar FP types: single, double. */
typedef enum A64FType { A64_S = 0, A64_D = 1 } A64FType;

/* FP two-source arithmetic: the opcode field. */
typedef enum A64FOp2 {
    A64_FMUL = 0, A64_FDIV = 1, A64_FADD = 2, A64_FSUB = 3, A64_FMAX = 4, A64_FMIN = 5,
    A64_FMAXNM = 6, A64_FMINNM = 7, A64_FNMUL = 8,
} A64FOp2;

/* FP one-source: the opcode field (FCVT is a64_fcvt). */
typedef enum A64FOp1 {
    A64_FMOV = 0, A64_FABS = 1, A64_FNEG = 2, A64_FSQRT = 3,
    A64_FRINTN = 8, A64_FRINTP = 9, A64_FRINTM = 10, A64_FRINTZ = 11,
    A64_FRINTA = 12, A64_FRINTX = 14, A64_FRINTI = 15,
} A64FOp1;

/* ---- raw words ---------------------------------------------------------- */

void a64_emit(BackendAsm *a, uint32_t insn);
void a64_nop(BackendAsm *a);
void a64_brk(BackendAsm *a, uint16_t imm);

/* ---- moves -------------------------------------------------------------- */

/* MOVZ/MOVK/MOVN rd, #imm16, LSL #shift (shift 0/16, and 32/48 when sf). */
void a64_movz(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift);
void a64_movk(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift);
void a64_movn(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift);
/* rd = imm by the shortest sequence: one MOVZ, MOVN or ORR of a bitmask
 * immediate when one does it, else MOVZ or MOVN (whichever leaves fewer
 * halfwords) then MOVKs.  !sf uses the low 32 bits.  Returns the number of
 * instructions (1..4). */
unsigned a64_mov_imm(BackendAsm *a, bool sf, int rd, uint64_t imm);
/* rd = rm (SP allowed on either side: ADD #0, else ORR from ZR). */
void a64_mov_rr(BackendAsm *a, bool sf, int rd, int rm);
/* rd = a host address: ADR within +-1 MiB, ADRP + ADD within +-4 GiB,
 * else as a64_mov_imm.  Returns the number of instructions. */
unsigned a64_mov_addr(BackendAsm *a, int rd, uintptr_t addr);

/* ---- add / subtract ----------------------------------------------------- */

/* The 12-bit immediate, optionally shifted left by 12. */
bool a64_addsub_imm_ok(uint64_t imm);
/* rd (SP unless a flag-setting op), rn (SP allowed) op imm. */
void a64_addsub_imm(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, uint64_t imm);
/* rd, rn, rm (ZR) with LSL/LSR/ASR #amount. */
void a64_addsub_reg(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm, A64Shift sh,
                    unsigned amount);
/* rd (SP unless flag-setting), rn (SP), rm extended then shifted left by
 * 0..4; rm is a W register unless ext is UXTX/SXTX. */
void a64_addsub_ext(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm, A64Extend ext,
                    unsigned amount);
/* Aliases. */
void a64_cmp_imm(BackendAsm *a, bool sf, int rn, uint64_t imm);
void a64_cmn_imm(BackendAsm *a, bool sf, int rn, uint64_t imm);
void a64_cmp_reg(BackendAsm *a, bool sf, int rn, int rm);
void a64_cmn_reg(BackendAsm *a, bool sf, int rn, int rm);
void a64_neg(BackendAsm *a, bool sf, int rd, int rm);
/* rd = rn + imm for any 64-bit (sf) or 32-bit constant, no flags: one
 * ADD/SUB, two when |imm| < 2^24 (high then low 12 bits), else the
 * constant into `scratch` (which must differ from rn) and ADD.  rd and rn
 * may be SP.  Returns the number of instructions. */
unsigned a64_add_const(BackendAsm *a, bool sf, int rd, int rn, int64_t imm, int scratch);
/* ADC/SBC and their flag-setting forms (op as for add/sub). */
void a64_adcsbc(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm);

/* ---- logical ------------------------------------------------------------ */

/* The bitmask-immediate encoder: true when imm (its low 32 bits when !sf)
 * is a rotated run of ones replicated in 2, 4 .. 64-bit elements, and
 * then *enc = N:immr:imms (13 bits). */
bool a64_logic_imm_encode(bool sf, uint64_t imm, uint32_t *enc);
/* op is AND/ORR/EOR/ANDS; rd may be SP unless ANDS. */
void a64_logic_imm(BackendAsm *a, A64Logic op, bool sf, int rd, int rn, uint64_t imm);
void a64_logic_reg(BackendAsm *a, A64Logic op, bool sf, int rd, int rn, int rm, A64Shift sh,
                   unsigned amount);
void a64_tst_imm(BackendAsm *a, bool sf, int rn, uint64_t imm);
void a64_tst_reg(BackendAsm *a, bool sf, int rn, int rm);
void a64_mvn(BackendAsm *a, bool sf, int rd, int rm);

/* ---- multiply / divide -------------------------------------------------- */

void a64_madd(BackendAsm *a, bool sf, int rd, int rn, int rm, int ra);
void a64_msub(BackendAsm *a, bool sf, int rd, int rn, int rm, int ra);
void a64_mul(BackendAsm *a, bool sf, int rd, int rn, int rm);
void a64_umulh(BackendAsm *a, int rd, int rn, int rm);
void a64_smulh(BackendAsm *a, int rd, int rn, int rm);
/* Xd = Xa + Wn * Wm (widening); ra = A64_ZR gives UMULL/SMULL. */
void a64_umaddl(BackendAsm *a, int rd, int rn, int rm, int ra);
void a64_smaddl(BackendAsm *a, int rd, int rn, int rm, int ra);
void a64_udiv(BackendAsm *a, bool sf, int rd, int rn, int rm);
void a64_sdiv(BackendAsm *a, bool sf, int rd, int rn, int rm);

/* ---- shifts and bitfields ----------------------------------------------- */

/* LSLV/LSRV/ASRV/RORV: the count is rm modulo the width. */
void a64_shiftv(BackendAsm *a, A64Shift sh, bool sf, int rd, int rn, int rm);
/* Immediate shifts (0 <= n < width): LSL/LSR by UBFM, ASR by SBFM, ROR by EXTR. */
void a64_shift_imm(BackendAsm *a, A64Shift sh, bool sf, int rd, int rn, unsigned n);
void a64_ubfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms);
void a64_sbfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms);
void a64_bfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms);
void a64_extr(BackendAsm *a, bool sf, int rd, int rn, int rm, unsigned lsb);
/* Field extracts and inserts (lsb + width <= register width, width >= 1). */
void a64_ubfx(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned width);
void a64_sbfx(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned width);
void a64_bfi(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned width);
void a64_bfxil(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned width);
/* Zero/sign extension of the low 1/2/4 bytes of rn (size 4 only when sf:
 * SXTW; a 32-bit zero extension is a64_mov_rr with !sf). */
void a64_uxt(BackendAsm *a, unsigned size, int rd, int rn);
void a64_sxt(BackendAsm *a, unsigned size, bool sf, int rd, int rn);

/* ---- bit operations ----------------------------------------------------- */

void a64_clz(BackendAsm *a, bool sf, int rd, int rn);
void a64_cls(BackendAsm *a, bool sf, int rd, int rn);
void a64_rbit(BackendAsm *a, bool sf, int rd, int rn);
void a64_rev(BackendAsm *a, bool sf, int rd, int rn);     /* whole register */
void a64_rev16(BackendAsm *a, bool sf, int rd, int rn);   /* bytes in each halfword */
void a64_rev32(BackendAsm *a, int rd, int rn);            /* bytes in each word (64-bit) */

/* ---- conditional -------------------------------------------------------- */

void a64_csel(BackendAsm *a, A64CondSel op, bool sf, int rd, int rn, int rm, A64Cond cond);
/* rd = cond ? 1 : 0, and rd = cond ? -1 : 0 (cond must not be AL/NV). */
void a64_cset(BackendAsm *a, bool sf, int rd, A64Cond cond);
void a64_csetm(BackendAsm *a, bool sf, int rd, A64Cond cond);
/* CCMP/CCMN: if cond then flags = rn - rm (rn + rm) else flags = nzcv. */
void a64_ccmp_reg(BackendAsm *a, bool cmn, bool sf, int rn, int rm, unsigned nzcv, A64Cond cond);
void a64_ccmp_imm(BackendAsm *a, bool cmn, bool sf, int rn, unsigned imm5, unsigned nzcv, A64Cond cond);

/* ---- loads and stores --------------------------------------------------- */

/* log2size 0..3 = byte, halfword, word, doubleword.  rt is ZR-capable, rn
 * SP-capable.  The valid (op, log2size) pairs: STR/LDR any, LDRS_X 0..2,
 * LDRS_W 0..1. */
/* An immediate offset that a64_ldst_imm can reach in one instruction:
 * unsigned scaled 0..4095 * size, or unscaled -256..255. */
bool a64_ldst_imm_ok(unsigned log2size, int64_t off);
/* [rn, #off]: the scaled unsigned-offset form when off fits it, else LDUR/STUR. */
void a64_ldst_imm(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int64_t off);
/* LDUR/STUR family: [rn, #off] with -256 <= off <= 255. */
void a64_ldst_unscaled(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int off);
/* [rn, rm, ext #(scaled ? log2size : 0)]; ext is UXTW, UXTX (printed LSL),
 * SXTW or SXTX.  Guest memory is a64_ldst_reg(.., guest_base, addr, A64_UXTW, false). */
void a64_ldst_reg(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int rm, A64Extend ext,
                  bool scaled);
/* LDP/STP of X (sf) or W registers: off a multiple of the size in
 * -64..63 * size. */
void a64_ldstp(BackendAsm *a, bool load, bool sf, int rt, int rt2, int rn, int off, A64Index idx);

/* FP/SIMD: log2size 2 = S, 3 = D, 4 = Q. */
void a64_fp_ldst_imm(BackendAsm *a, bool load, unsigned log2size, int vt, int rn, int64_t off);
void a64_fp_ldst_reg(BackendAsm *a, bool load, unsigned log2size, int vt, int rn, int rm, A64Extend ext,
                     bool scaled);
/* LDP/STP of D registers (the callee-saved d8..d15). */
void a64_fp_ldstp(BackendAsm *a, bool load, int vt, int vt2, int rn, int off, A64Index idx);

/* ---- atomics and barriers ----------------------------------------------- */

/* LDXR/LDAXR rt, [rn]; STXR/STLXR ws, rt, [rn] (ws = 0 on success). */
void a64_ldxr(BackendAsm *a, unsigned log2size, bool acquire, int rt, int rn);
void a64_stxr(BackendAsm *a, unsigned log2size, bool release, int ws, int rt, int rn);
/* LDAR/STLR. */
void a64_ldar(BackendAsm *a, unsigned log2size, int rt, int rn);
void a64_stlr(BackendAsm *a, unsigned log2size, int rt, int rn);
/* CAS{A}{L}{B,H} rs, rt, [rn] (LSE): if [rn] == rs then [rn] = rt; rs = old. */
void a64_cas(BackendAsm *a, unsigned log2size, bool acquire, bool release, int rs, int rt, int rn);
void a64_dmb(BackendAsm *a, A64Barrier opt);
void a64_dsb(BackendAsm *a, A64Barrier opt);
void a64_isb(BackendAsm *a);

/* ---- control flow ------------------------------------------------------- */

/* Reach of each pc-relative form from the instruction's own address. */
bool a64_b_reaches(uintptr_t from, uintptr_t to);       /* B/BL: +-128 MiB */
bool a64_bcond_reaches(uintptr_t from, uintptr_t to);   /* B.cond/CBZ/CBNZ/LDR literal/ADR: +-1 MiB */
bool a64_tbz_reaches(uintptr_t from, uintptr_t to);     /* TBZ/TBNZ: +-32 KiB */

/* Each returns false and emits nothing when target (an rx address, 4-byte
 * aligned) is out of reach.  To branch to a label not yet placed, emit with
 * the current address (a64_here) and patch once it is known. */
bool a64_b(BackendAsm *a, uintptr_t target);
bool a64_bl(BackendAsm *a, uintptr_t target);
bool a64_b_cond(BackendAsm *a, A64Cond cond, uintptr_t target);
bool a64_cbz(BackendAsm *a, bool nonzero, bool sf, int rt, uintptr_t target);
bool a64_tbz(BackendAsm *a, bool nonzero, int rt, unsigned bit, uintptr_t target);
/* LDR Xt/Wt (log2size 3/2) or LDRSW Xt (sign) from the literal at target
 * (+-1 MiB): the far-jump sequence LDR x16, lit; BR x16 reads its target
 * from a word that chaining can rewrite. */
bool a64_ldr_literal(BackendAsm *a, unsigned log2size, bool sign, int rt, uintptr_t target);
void a64_br(BackendAsm *a, int rn);
void a64_blr(BackendAsm *a, int rn);
void a64_ret(BackendAsm *a);
bool a64_adr(BackendAsm *a, int rd, uintptr_t target);
bool a64_adrp(BackendAsm *a, int rd, uintptr_t target);   /* +-4 GiB in pages */

static inline uintptr_t a64_here(const BackendAsm *a) { return backend_asm_rx_here(a); }

/* Retarget a B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, LDR literal, ADR or ADRP instruction in
 * place.  `insn` is its rw address, `pc` the address it executes at.
 * False (instruction unchanged) when target is out of its reach or the word
 * is none of those.  No cache maintenance: that is the caller's. */
bool a64_patch_branch_at(uint32_t *insn, uintptr_t pc, uintptr_t target);
/* The same for an instruction at offset `off` of the cursor's buffer. */
bool a64_patch_branch(BackendAsm *a, size_t off, uintptr_t target);

/* ---- system registers --------------------------------------------------- */

void a64_mrs(BackendAsm *a, int rt, A64SysReg reg);
void a64_msr(BackendAsm *a, A64SysReg reg, int rt);

/* ---- scalar floating point ---------------------------------------------- */

void a64_fop2(BackendAsm *a, A64FOp2 op, A64FType t, int vd, int vn, int vm);
void a64_fop1(BackendAsm *a, A64FOp1 op, A64FType t, int vd, int vn);
/* FMADD/FMSUB/FNMADD/FNMSUB: vd = +-va +- vn * vm. */
void a64_fmadd(BackendAsm *a, bool neg_product, bool neg_addend, A64FType t, int vd, int vn, int vm, int va);
/* FCMP/FCMPE vn, vm; vm < 0 compares with #0.0.  signaling: FCMPE. */
void a64_fcmp(BackendAsm *a, bool signaling, A64FType t, int vn, int vm);
/* FCVT between single and double: vd (to) = vn (from). */
void a64_fcvt(BackendAsm *a, A64FType to, A64FType from, int vd, int vn);
/* FCVTZS/FCVTZU rd (sf) = vn (t), rounding toward zero, saturating. */
void a64_fcvtz(BackendAsm *a, bool is_unsigned, bool sf, A64FType t, int rd, int vn);
/* SCVTF/UCVTF vd (t) = rn (sf). */
void a64_cvtf(BackendAsm *a, bool is_unsigned, A64FType t, bool sf, int vd, int rn);
/* FMOV between a general register and an FP register of the same width
 * (W <-> S, X <-> D): to_fp chooses the direction. */
void a64_fmov_gp(BackendAsm *a, bool to_fp, bool sf, int vreg, int rreg);
/* FMOV vd, #imm: the values +-n/16 * 2^r, n = 16..31, r = -3..4.
 * a64_fmov_imm_encode says whether a double (for A64_D) or float (A64_S,
 * given as a double that must convert exactly) is one and gives imm8. */
bool a64_fmov_imm_encode(A64FType t, double v, uint8_t *imm8);
void a64_fmov_imm(BackendAsm *a, A64FType t, int vd, double v);
/* vd = +0.0 as a whole 64-bit lane (MOVI Dd, #0; the upper lane cleared too). */
void a64_fzero(BackendAsm *a, int vd);
/* FCSEL vd = cond ? vn : vm. */
void a64_fcsel(BackendAsm *a, A64FType t, int vd, int vn, int vm, A64Cond cond);

#endif
