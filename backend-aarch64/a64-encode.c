/*
 * a64-encode.c — AArch64 instruction encoding (see a64-encode.h).
 *
 * Each emitter ORs its operand fields into the instruction class's fixed
 * bits, as the Arm ARM's encoding diagrams lay them out (the constants are
 * the diagrams with every variable field zero).  Operand checks come first:
 * a register in a slot that cannot hold it, or an immediate that does not
 * fit, is a bug in the backend and stops with a message naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64-encode.h"

static void __attribute__((noreturn)) bad(const char *what, long long v)
{
    fprintf(stderr, "vemu: a64-encode: %s (%lld)\n", what, v);
    abort();
}

/* A register slot where 31 is the zero register. */
static uint32_t rz(int r)
{
    if (r < 0 || r > A64_ZR)
        bad("register not allowed where 31 is ZR", r);
    return (uint32_t)r;
}

/* A register slot where 31 is SP. */
static uint32_t rsp(int r)
{
    if (r == A64_SP)
        return 31;
    if (r < 0 || r > 30)
        bad("register not allowed where 31 is SP", r);
    return (uint32_t)r;
}

static uint32_t vr(int v)
{
    if (v < 0 || v > 31)
        bad("bad FP/SIMD register", v);
    return (uint32_t)v;
}

static uint32_t sfbit(bool sf) { return sf ? 1u << 31 : 0; }
static unsigned width(bool sf) { return sf ? 64 : 32; }

void a64_emit(BackendAsm *a, uint32_t insn)
{
    if (a->end - a->p >= 4) {
        uint8_t b[4] = { (uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16), (uint8_t)(insn >> 24) };
        memcpy(a->p, b, 4);
        a->p += 4;
    } else {
        a->overflow = true;
    }
}

void a64_nop(BackendAsm *a) { a64_emit(a, 0xD503201F); }
void a64_brk(BackendAsm *a, uint16_t imm) { a64_emit(a, 0xD4200000 | (uint32_t)imm << 5); }

/* ---- moves -------------------------------------------------------------- */

static void movwide(BackendAsm *a, uint32_t opc, bool sf, int rd, uint16_t imm16, unsigned shift)
{
    if (shift % 16 || shift >= width(sf))
        bad("MOVZ/MOVK/MOVN shift", shift);
    a64_emit(a, opc | sfbit(sf) | (shift / 16) << 21 | (uint32_t)imm16 << 5 | rz(rd));
}

void a64_movz(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift) { movwide(a, 0x52800000, sf, rd, imm16, shift); }
void a64_movk(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift) { movwide(a, 0x72800000, sf, rd, imm16, shift); }
void a64_movn(BackendAsm *a, bool sf, int rd, uint16_t imm16, unsigned shift) { movwide(a, 0x12800000, sf, rd, imm16, shift); }

unsigned a64_mov_imm(BackendAsm *a, bool sf, int rd, uint64_t imm)
{
    unsigned nh = sf ? 4 : 2;
    if (!sf)
        imm &= 0xffffffffu;
    uint64_t all = sf ? ~0ull : 0xffffffffull;
    unsigned zeros = 0, ones = 0;
    for (unsigned i = 0; i < nh; i++) {
        uint16_t h = (uint16_t)(imm >> 16 * i);
        zeros += h == 0;
        ones += h == 0xffff;
    }
    /* one instruction: MOVZ, MOVN, or ORR of a bitmask immediate */
    if (zeros >= nh - 1) {
        unsigned i = 0;
        while (i < nh - 1 && (uint16_t)(imm >> 16 * i) == 0)
            i++;
        a64_movz(a, sf, rd, (uint16_t)(imm >> 16 * i), 16 * i);
        return 1;
    }
    if (ones >= nh - 1) {
        uint64_t inv = ~imm & all;
        unsigned i = 0;
        while (i < nh - 1 && (uint16_t)(inv >> 16 * i) == 0)
            i++;
        a64_movn(a, sf, rd, (uint16_t)(inv >> 16 * i), 16 * i);
        return 1;
    }
    uint32_t enc;
    if (rd != A64_ZR && a64_logic_imm_encode(sf, imm, &enc)) {
        a64_emit(a, 0x32000000 | sfbit(sf) | enc << 10 | 31 << 5 | rsp(rd));
        return 1;
    }
    /* three or four MOVZ/MOVN/MOVKs: an ORR of a bitmask immediate that
     * matches all halfwords but one, then a MOVK of that one, is shorter */
    if (nh - (zeros > ones ? zeros : ones) >= 3 && rd != A64_ZR) {
        for (unsigned i = 0; i < nh; i++) {
            uint64_t hole = ~(0xffffull << 16 * i);
            /* what halfword i of a bitmask immediate can be, given the others:
             * a copy of another halfword (elements up to 32 bits), or, for a
             * 64-bit element (one run of ones), empty, full, or the run's end */
            uint16_t cand[4 + 2 + 2 * 15];
            unsigned nc = 0;
            for (unsigned j = 0; j < nh; j++)
                if (j != i)
                    cand[nc++] = (uint16_t)(imm >> 16 * j);
            cand[nc++] = 0;
            cand[nc++] = 0xffff;
            for (unsigned k = 1; k < 16; k++) {
                cand[nc++] = (uint16_t)((1u << k) - 1);
                cand[nc++] = (uint16_t)~((1u << k) - 1);
            }
            for (unsigned c = 0; c < nc; c++) {
                uint64_t v = (imm & hole) | (uint64_t)cand[c] << 16 * i;
                if (a64_logic_imm_encode(sf, v, &enc)) {
                    a64_emit(a, 0x32000000 | sfbit(sf) | enc << 10 | 31 << 5 | rsp(rd));
                    a64_movk(a, sf, rd, (uint16_t)(imm >> 16 * i), 16 * i);
                    return 2;
                }
            }
        }
    }
    /* MOVZ or MOVN for the first halfword that is not the background,
     * MOVK for each later one */
    bool inverted = ones > zeros;
    uint16_t background = inverted ? 0xffff : 0;
    unsigned n = 0;
    for (unsigned i = 0; i < nh; i++) {
        uint16_t h = (uint16_t)(imm >> 16 * i);
        if (h == background)
            continue;
        if (n == 0 && inverted)
            a64_movn(a, sf, rd, (uint16_t)~h, 16 * i);
        else if (n == 0)
            a64_movz(a, sf, rd, h, 16 * i);
        else
            a64_movk(a, sf, rd, h, 16 * i);
        n++;
    }
    return n;
}

void a64_mov_rr(BackendAsm *a, bool sf, int rd, int rm)
{
    if (rd == A64_SP || rm == A64_SP)
        a64_addsub_imm(a, A64_ADD, sf, rd, rm, 0);
    else
        a64_logic_reg(a, A64_ORR, sf, rd, A64_ZR, rm, A64_LSL, 0);
}

unsigned a64_mov_addr(BackendAsm *a, int rd, uintptr_t addr)
{
    if (a64_adr(a, rd, addr))
        return 1;
    if (a64_adrp(a, rd, addr)) {
        if ((addr & 0xfff) == 0)
            return 1;
        a64_addsub_imm(a, A64_ADD, true, rd, rd, addr & 0xfff);
        return 2;
    }
    return a64_mov_imm(a, true, rd, addr);
}

/* ---- add / subtract ----------------------------------------------------- */

bool a64_addsub_imm_ok(uint64_t imm)
{
    return imm <= 0xfff || ((imm & 0xfff) == 0 && imm <= 0xfff000);
}

/* Flag-setting forms write ZR where the others write SP. */
static uint32_t rd_addsub(A64AddSub op, int rd) { return (op & 1) ? rz(rd) : rsp(rd); }

void a64_addsub_imm(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, uint64_t imm)
{
    if (!a64_addsub_imm_ok(imm))
        bad("ADD/SUB immediate", (long long)imm);
    uint32_t sh = imm > 0xfff;
    uint32_t imm12 = (uint32_t)(sh ? imm >> 12 : imm);
    a64_emit(a, 0x11000000 | sfbit(sf) | (uint32_t)op << 29 | sh << 22 | imm12 << 10 | rsp(rn) << 5 | rd_addsub(op, rd));
}

void a64_addsub_reg(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm, A64Shift sh, unsigned amount)
{
    if (sh == A64_ROR || amount >= width(sf))
        bad("ADD/SUB shift", amount);
    a64_emit(a, 0x0B000000 | sfbit(sf) | (uint32_t)op << 29 | (uint32_t)sh << 22 | rz(rm) << 16 | amount << 10 |
                    rz(rn) << 5 | rz(rd));
}

void a64_addsub_ext(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm, A64Extend ext, unsigned amount)
{
    if (amount > 4)
        bad("ADD/SUB extend shift", amount);
    a64_emit(a, 0x0B200000 | sfbit(sf) | (uint32_t)op << 29 | rz(rm) << 16 | (uint32_t)ext << 13 | amount << 10 |
                    rsp(rn) << 5 | rd_addsub(op, rd));
}

void a64_cmp_imm(BackendAsm *a, bool sf, int rn, uint64_t imm) { a64_addsub_imm(a, A64_SUBS, sf, A64_ZR, rn, imm); }
void a64_cmn_imm(BackendAsm *a, bool sf, int rn, uint64_t imm) { a64_addsub_imm(a, A64_ADDS, sf, A64_ZR, rn, imm); }

/* CMP/CMN with SP as the first operand need the extended form. */
static void cmp_reg(BackendAsm *a, A64AddSub op, bool sf, int rn, int rm)
{
    if (rn == A64_SP)
        a64_addsub_ext(a, op, sf, A64_ZR, rn, rm, sf ? A64_UXTX : A64_UXTW, 0);
    else
        a64_addsub_reg(a, op, sf, A64_ZR, rn, rm, A64_LSL, 0);
}
void a64_cmp_reg(BackendAsm *a, bool sf, int rn, int rm) { cmp_reg(a, A64_SUBS, sf, rn, rm); }
void a64_cmn_reg(BackendAsm *a, bool sf, int rn, int rm) { cmp_reg(a, A64_ADDS, sf, rn, rm); }
void a64_neg(BackendAsm *a, bool sf, int rd, int rm) { a64_addsub_reg(a, A64_SUB, sf, rd, A64_ZR, rm, A64_LSL, 0); }

unsigned a64_add_const(BackendAsm *a, bool sf, int rd, int rn, int64_t imm, int scratch)
{
    if (!sf)
        imm = (int32_t)imm;
    A64AddSub op = imm < 0 ? A64_SUB : A64_ADD;
    uint64_t m = imm < 0 ? -(uint64_t)imm : (uint64_t)imm;
    if (!sf)
        m &= 0xffffffffu;
    if (a64_addsub_imm_ok(m)) {
        if (m == 0 && rd == rn)
            return 0;
        a64_addsub_imm(a, op, sf, rd, rn, m);
        return 1;
    }
    if (m < (1u << 24)) {
        a64_addsub_imm(a, op, sf, rd, rn, m & 0xfff000);
        a64_addsub_imm(a, op, sf, rd, rd, m & 0xfff);
        return 2;
    }
    if (scratch == rn || scratch == A64_SP || scratch == A64_ZR)
        bad("a64_add_const scratch", scratch);
    unsigned n = a64_mov_imm(a, sf, scratch, (uint64_t)imm);
    if (rd == A64_SP || rn == A64_SP)
        a64_addsub_ext(a, A64_ADD, sf, rd, rn, scratch, sf ? A64_UXTX : A64_UXTW, 0);
    else
        a64_addsub_reg(a, A64_ADD, sf, rd, rn, scratch, A64_LSL, 0);
    return n + 1;
}

void a64_adcsbc(BackendAsm *a, A64AddSub op, bool sf, int rd, int rn, int rm)
{
    a64_emit(a, 0x1A000000 | sfbit(sf) | (uint32_t)op << 29 | rz(rm) << 16 | rz(rn) << 5 | rz(rd));
}

/* ---- logical ------------------------------------------------------------ */

static uint64_t ones_mask(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

bool a64_logic_imm_encode(bool sf, uint64_t imm, uint32_t *enc)
{
    if (!sf)
        imm = (imm & 0xffffffffu) | imm << 32;
    if (imm == 0 || imm == ~0ull)
        return false;
    /* the smallest element that imm replicates */
    unsigned e = 64;
    while (e > 2) {
        unsigned half = e / 2;
        if ((imm & ones_mask(half)) != ((imm >> half) & ones_mask(half)))
            break;
        e = half;
    }
    uint64_t m = ones_mask(e), elt = imm & m;
    /* one run of ones, cyclically: exactly one set bit whose lower
     * neighbour (cyclically) is clear — that is where the run starts */
    uint64_t rotl1 = ((elt << 1) | (elt >> (e - 1))) & m;
    uint64_t starts = elt & ~rotl1;
    if (__builtin_popcountll(starts) != 1)
        return false;
    unsigned p = (unsigned)__builtin_ctzll(starts);
    unsigned ones = (unsigned)__builtin_popcountll(elt);
    uint32_t n = e == 64;
    uint32_t immr = (e - p) % e;
    uint32_t imms = ((0x3fu & ~(2 * e - 1)) | (ones - 1)) & 0x3f;
    *enc = n << 12 | immr << 6 | imms;
    return true;
}

void a64_logic_imm(BackendAsm *a, A64Logic op, bool sf, int rd, int rn, uint64_t imm)
{
    uint32_t enc;
    if (op & 1)
        bad("inverted logical ops have no immediate form", op);
    if (!a64_logic_imm_encode(sf, imm, &enc))
        bad("not a bitmask immediate", (long long)imm);
    uint32_t d = op == A64_ANDS ? rz(rd) : rsp(rd);
    a64_emit(a, 0x12000000 | sfbit(sf) | (uint32_t)(op >> 1) << 29 | enc << 10 | rz(rn) << 5 | d);
}

void a64_logic_reg(BackendAsm *a, A64Logic op, bool sf, int rd, int rn, int rm, A64Shift sh, unsigned amount)
{
    if (amount >= width(sf))
        bad("logical shift", amount);
    a64_emit(a, 0x0A000000 | sfbit(sf) | (uint32_t)(op >> 1) << 29 | (uint32_t)sh << 22 | (uint32_t)(op & 1) << 21 |
                    rz(rm) << 16 | amount << 10 | rz(rn) << 5 | rz(rd));
}

void a64_tst_imm(BackendAsm *a, bool sf, int rn, uint64_t imm) { a64_logic_imm(a, A64_ANDS, sf, A64_ZR, rn, imm); }
void a64_tst_reg(BackendAsm *a, bool sf, int rn, int rm) { a64_logic_reg(a, A64_ANDS, sf, A64_ZR, rn, rm, A64_LSL, 0); }
void a64_mvn(BackendAsm *a, bool sf, int rd, int rm) { a64_logic_reg(a, A64_ORN, sf, rd, A64_ZR, rm, A64_LSL, 0); }

/* ---- multiply / divide -------------------------------------------------- */

static void dp3(BackendAsm *a, uint32_t opc, int rd, int rn, int rm, int ra)
{
    a64_emit(a, opc | rz(rm) << 16 | rz(ra) << 10 | rz(rn) << 5 | rz(rd));
}

void a64_madd(BackendAsm *a, bool sf, int rd, int rn, int rm, int ra) { dp3(a, 0x1B000000 | sfbit(sf), rd, rn, rm, ra); }
void a64_msub(BackendAsm *a, bool sf, int rd, int rn, int rm, int ra) { dp3(a, 0x1B008000 | sfbit(sf), rd, rn, rm, ra); }
void a64_mul(BackendAsm *a, bool sf, int rd, int rn, int rm) { a64_madd(a, sf, rd, rn, rm, A64_ZR); }
void a64_umulh(BackendAsm *a, int rd, int rn, int rm) { dp3(a, 0x9BC00000, rd, rn, rm, A64_ZR); }
void a64_smulh(BackendAsm *a, int rd, int rn, int rm) { dp3(a, 0x9B400000, rd, rn, rm, A64_ZR); }
void a64_umaddl(BackendAsm *a, int rd, int rn, int rm, int ra) { dp3(a, 0x9BA00000, rd, rn, rm, ra); }
void a64_smaddl(BackendAsm *a, int rd, int rn, int rm, int ra) { dp3(a, 0x9B200000, rd, rn, rm, ra); }

static void dp2(BackendAsm *a, uint32_t opcode, bool sf, int rd, int rn, int rm)
{
    a64_emit(a, 0x1AC00000 | sfbit(sf) | rz(rm) << 16 | opcode << 10 | rz(rn) << 5 | rz(rd));
}

void a64_udiv(BackendAsm *a, bool sf, int rd, int rn, int rm) { dp2(a, 2, sf, rd, rn, rm); }
void a64_sdiv(BackendAsm *a, bool sf, int rd, int rn, int rm) { dp2(a, 3, sf, rd, rn, rm); }

/* ---- shifts and bitfields ----------------------------------------------- */

void a64_shiftv(BackendAsm *a, A64Shift sh, bool sf, int rd, int rn, int rm) { dp2(a, 8 + (uint32_t)sh, sf, rd, rn, rm); }

static void bitfield(BackendAsm *a, uint32_t opc, bool sf, int rd, int rn, unsigned immr, unsigned imms)
{
    if (immr >= width(sf) || imms >= width(sf))
        bad("bitfield immr/imms", immr > imms ? immr : imms);
    a64_emit(a, opc | sfbit(sf) | (sf ? 1u << 22 : 0) | immr << 16 | imms << 10 | rz(rn) << 5 | rz(rd));
}

void a64_ubfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms) { bitfield(a, 0x53000000, sf, rd, rn, immr, imms); }
void a64_sbfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms) { bitfield(a, 0x13000000, sf, rd, rn, immr, imms); }
void a64_bfm(BackendAsm *a, bool sf, int rd, int rn, unsigned immr, unsigned imms) { bitfield(a, 0x33000000, sf, rd, rn, immr, imms); }

void a64_extr(BackendAsm *a, bool sf, int rd, int rn, int rm, unsigned lsb)
{
    if (lsb >= width(sf))
        bad("EXTR lsb", lsb);
    a64_emit(a, 0x13800000 | sfbit(sf) | (sf ? 1u << 22 : 0) | rz(rm) << 16 | lsb << 10 | rz(rn) << 5 | rz(rd));
}

void a64_shift_imm(BackendAsm *a, A64Shift sh, bool sf, int rd, int rn, unsigned n)
{
    unsigned w = width(sf);
    if (n >= w)
        bad("shift amount", n);
    switch (sh) {
    case A64_LSL: a64_ubfm(a, sf, rd, rn, (w - n) % w, w - 1 - n); break;
    case A64_LSR: a64_ubfm(a, sf, rd, rn, n, w - 1); break;
    case A64_ASR: a64_sbfm(a, sf, rd, rn, n, w - 1); break;
    case A64_ROR: a64_extr(a, sf, rd, rn, rn, n); break;
    }
}

static void check_field(bool sf, unsigned lsb, unsigned w)
{
    if (w < 1 || lsb + w > width(sf))
        bad("bitfield lsb/width", (long long)lsb << 8 | w);
}

void a64_ubfx(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned w)
{
    check_field(sf, lsb, w);
    a64_ubfm(a, sf, rd, rn, lsb, lsb + w - 1);
}

void a64_sbfx(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned w)
{
    check_field(sf, lsb, w);
    a64_sbfm(a, sf, rd, rn, lsb, lsb + w - 1);
}

void a64_bfi(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned w)
{
    check_field(sf, lsb, w);
    a64_bfm(a, sf, rd, rn, (width(sf) - lsb) % width(sf), w - 1);
}

void a64_bfxil(BackendAsm *a, bool sf, int rd, int rn, unsigned lsb, unsigned w)
{
    check_field(sf, lsb, w);
    a64_bfm(a, sf, rd, rn, lsb, lsb + w - 1);
}

void a64_uxt(BackendAsm *a, unsigned size, int rd, int rn)
{
    if (size != 1 && size != 2)
        bad("UXT size", size);
    a64_ubfm(a, false, rd, rn, 0, 8 * size - 1);
}

void a64_sxt(BackendAsm *a, unsigned size, bool sf, int rd, int rn)
{
    if ((size != 1 && size != 2 && size != 4) || (size == 4 && !sf))
        bad("SXT size", size);
    a64_sbfm(a, sf, rd, rn, 0, 8 * size - 1);
}

/* ---- bit operations ----------------------------------------------------- */

static void dp1(BackendAsm *a, uint32_t opcode, bool sf, int rd, int rn)
{
    a64_emit(a, 0x5AC00000 | sfbit(sf) | opcode << 10 | rz(rn) << 5 | rz(rd));
}

void a64_rbit(BackendAsm *a, bool sf, int rd, int rn) { dp1(a, 0, sf, rd, rn); }
void a64_rev16(BackendAsm *a, bool sf, int rd, int rn) { dp1(a, 1, sf, rd, rn); }
void a64_rev32(BackendAsm *a, int rd, int rn) { dp1(a, 2, true, rd, rn); }
void a64_rev(BackendAsm *a, bool sf, int rd, int rn) { dp1(a, sf ? 3 : 2, sf, rd, rn); }
void a64_clz(BackendAsm *a, bool sf, int rd, int rn) { dp1(a, 4, sf, rd, rn); }
void a64_cls(BackendAsm *a, bool sf, int rd, int rn) { dp1(a, 5, sf, rd, rn); }

/* ---- conditional -------------------------------------------------------- */

void a64_csel(BackendAsm *a, A64CondSel op, bool sf, int rd, int rn, int rm, A64Cond cond)
{
    a64_emit(a, 0x1A800000 | sfbit(sf) | (uint32_t)(op >> 1) << 30 | rz(rm) << 16 | (uint32_t)cond << 12 |
                    (uint32_t)(op & 1) << 10 | rz(rn) << 5 | rz(rd));
}

void a64_cset(BackendAsm *a, bool sf, int rd, A64Cond cond)
{
    if (cond >= A64_AL)
        bad("CSET of AL/NV", cond);
    a64_csel(a, A64_CSINC, sf, rd, A64_ZR, A64_ZR, a64_cond_invert(cond));
}

void a64_csetm(BackendAsm *a, bool sf, int rd, A64Cond cond)
{
    if (cond >= A64_AL)
        bad("CSETM of AL/NV", cond);
    a64_csel(a, A64_CSINV, sf, rd, A64_ZR, A64_ZR, a64_cond_invert(cond));
}

static void ccmp(BackendAsm *a, uint32_t opc, bool cmn, bool sf, int rn, uint32_t rm_or_imm, unsigned nzcv,
                 A64Cond cond)
{
    if (nzcv > 15)
        bad("CCMP nzcv", nzcv);
    a64_emit(a, opc | sfbit(sf) | (cmn ? 0 : 1u << 30) | rm_or_imm << 16 | (uint32_t)cond << 12 | rz(rn) << 5 | nzcv);
}

void a64_ccmp_reg(BackendAsm *a, bool cmn, bool sf, int rn, int rm, unsigned nzcv, A64Cond cond)
{
    ccmp(a, 0x3A400000, cmn, sf, rn, rz(rm), nzcv, cond);
}

void a64_ccmp_imm(BackendAsm *a, bool cmn, bool sf, int rn, unsigned imm5, unsigned nzcv, A64Cond cond)
{
    if (imm5 > 31)
        bad("CCMP immediate", imm5);
    ccmp(a, 0x3A400800, cmn, sf, rn, imm5, nzcv, cond);
}

/* ---- loads and stores --------------------------------------------------- */

static void check_ldst(A64LdSt op, unsigned log2size)
{
    if (log2size > 3 || (op == A64_LDRS_X && log2size > 2) || (op == A64_LDRS_W && log2size > 1))
        bad("load/store size", log2size);
}

bool a64_ldst_imm_ok(unsigned log2size, int64_t off)
{
    if (off >= -256 && off <= 255)
        return true;
    return off >= 0 && (off & ((1 << log2size) - 1)) == 0 && (off >> log2size) <= 4095;
}

/* size:V:opc as placed by every single-register load/store. */
static uint32_t ldst_bits(A64LdSt op, unsigned log2size)
{
    check_ldst(op, log2size);
    return (uint32_t)log2size << 30 | (uint32_t)op << 22;
}

/* FP/SIMD: Q is size 00 with opc's high bit. */
static uint32_t fp_ldst_bits(bool load, unsigned log2size)
{
    if (log2size < 2 || log2size > 4)
        bad("FP load/store size", log2size);
    uint32_t size = log2size & 3, opc = (load ? 1 : 0) | (log2size == 4 ? 2 : 0);
    return size << 30 | 1u << 26 | opc << 22;
}

static void ldst_imm(BackendAsm *a, uint32_t bits, unsigned log2size, uint32_t rt, int rn, int64_t off)
{
    if (off >= 0 && (off & ((1 << log2size) - 1)) == 0 && (off >> log2size) <= 4095)
        a64_emit(a, 0x39000000 | bits | (uint32_t)(off >> log2size) << 10 | rsp(rn) << 5 | rt);
    else if (off >= -256 && off <= 255)
        a64_emit(a, 0x38000000 | bits | ((uint32_t)off & 0x1ff) << 12 | rsp(rn) << 5 | rt);
    else
        bad("load/store offset", (long long)off);
}

void a64_ldst_imm(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int64_t off)
{
    ldst_imm(a, ldst_bits(op, log2size), log2size, rz(rt), rn, off);
}

void a64_ldst_unscaled(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int off)
{
    if (off < -256 || off > 255)
        bad("LDUR/STUR offset", off);
    a64_emit(a, 0x38000000 | ldst_bits(op, log2size) | ((uint32_t)off & 0x1ff) << 12 | rsp(rn) << 5 | rz(rt));
}

static void ldst_reg(BackendAsm *a, uint32_t bits, uint32_t rt, int rn, int rm, A64Extend ext, bool scaled)
{
    if (ext != A64_UXTW && ext != A64_UXTX && ext != A64_SXTW && ext != A64_SXTX)
        bad("register offset extend", ext);
    a64_emit(a, 0x38200800 | bits | rz(rm) << 16 | (uint32_t)ext << 13 | (uint32_t)scaled << 12 | rsp(rn) << 5 | rt);
}

void a64_ldst_reg(BackendAsm *a, A64LdSt op, unsigned log2size, int rt, int rn, int rm, A64Extend ext, bool scaled)
{
    ldst_reg(a, ldst_bits(op, log2size), rz(rt), rn, rm, ext, scaled);
}

void a64_fp_ldst_imm(BackendAsm *a, bool load, unsigned log2size, int vt, int rn, int64_t off)
{
    ldst_imm(a, fp_ldst_bits(load, log2size), log2size, vr(vt), rn, off);
}

void a64_fp_ldst_reg(BackendAsm *a, bool load, unsigned log2size, int vt, int rn, int rm, A64Extend ext, bool scaled)
{
    ldst_reg(a, fp_ldst_bits(load, log2size), vr(vt), rn, rm, ext, scaled);
}

static void ldstp(BackendAsm *a, uint32_t opc_v, unsigned log2size, bool load, uint32_t rt, uint32_t rt2, int rn,
                  int off, A64Index idx)
{
    static const uint32_t mode[3] = { 2, 3, 1 };   /* offset, pre, post */
    int scaled = off / (1 << log2size);
    if (off % (1 << log2size) || scaled < -64 || scaled > 63 || idx > A64_POST)
        bad("LDP/STP offset", off);
    a64_emit(a, 0x28000000 | opc_v | mode[idx] << 23 | (uint32_t)load << 22 | ((uint32_t)scaled & 0x7f) << 15 |
                    rt2 << 10 | rsp(rn) << 5 | rt);
}

void a64_ldstp(BackendAsm *a, bool load, bool sf, int rt, int rt2, int rn, int off, A64Index idx)
{
    ldstp(a, sf ? 2u << 30 : 0, sf ? 3 : 2, load, rz(rt), rz(rt2), rn, off, idx);
}

void a64_fp_ldstp(BackendAsm *a, bool load, int vt, int vt2, int rn, int off, A64Index idx)
{
    ldstp(a, 1u << 30 | 1u << 26, 3, load, vr(vt), vr(vt2), rn, off, idx);
}

/* ---- atomics and barriers ----------------------------------------------- */

static uint32_t excl_size(unsigned log2size)
{
    if (log2size > 3)
        bad("exclusive size", log2size);
    return (uint32_t)log2size << 30;
}

void a64_ldxr(BackendAsm *a, unsigned log2size, bool acquire, int rt, int rn)
{
    a64_emit(a, 0x085F7C00 | excl_size(log2size) | (uint32_t)acquire << 15 | rsp(rn) << 5 | rz(rt));
}

void a64_stxr(BackendAsm *a, unsigned log2size, bool release, int ws, int rt, int rn)
{
    a64_emit(a, 0x08007C00 | excl_size(log2size) | rz(ws) << 16 | (uint32_t)release << 15 | rsp(rn) << 5 | rz(rt));
}

void a64_ldar(BackendAsm *a, unsigned log2size, int rt, int rn)
{
    a64_emit(a, 0x08DFFC00 | excl_size(log2size) | rsp(rn) << 5 | rz(rt));
}

void a64_stlr(BackendAsm *a, unsigned log2size, int rt, int rn)
{
    a64_emit(a, 0x089FFC00 | excl_size(log2size) | rsp(rn) << 5 | rz(rt));
}

void a64_cas(BackendAsm *a, unsigned log2size, bool acquire, bool release, int rs, int rt, int rn)
{
    a64_emit(a, 0x08A07C00 | excl_size(log2size) | (uint32_t)acquire << 22 | rz(rs) << 16 | (uint32_t)release << 15 |
                    rsp(rn) << 5 | rz(rt));
}

void a64_dmb(BackendAsm *a, A64Barrier opt) { a64_emit(a, 0xD50330BF | ((uint32_t)opt & 15) << 8); }
void a64_dsb(BackendAsm *a, A64Barrier opt) { a64_emit(a, 0xD503309F | ((uint32_t)opt & 15) << 8); }
void a64_isb(BackendAsm *a) { a64_emit(a, 0xD5033FDF); }

/* ---- control flow ------------------------------------------------------- */

/* The word offset from `from` to `to` when it fits a signed field of
 * `bits` bits. */
static bool word_offset(uintptr_t from, uintptr_t to, unsigned bits, int32_t *out)
{
    if ((from | to) & 3)
        bad("misaligned branch", (long long)(to & 3 ? to : from));
    int64_t d = (int64_t)(to - from) / 4;
    if (d < -(1ll << (bits - 1)) || d >= (1ll << (bits - 1)))
        return false;
    *out = (int32_t)d;
    return true;
}

bool a64_b_reaches(uintptr_t from, uintptr_t to) { int32_t d; return word_offset(from, to, 26, &d); }
bool a64_bcond_reaches(uintptr_t from, uintptr_t to) { int32_t d; return word_offset(from, to, 19, &d); }
bool a64_tbz_reaches(uintptr_t from, uintptr_t to) { int32_t d; return word_offset(from, to, 14, &d); }

static bool branch26(BackendAsm *a, uint32_t opc, uintptr_t target)
{
    int32_t d;
    if (!word_offset(a64_here(a), target, 26, &d))
        return false;
    a64_emit(a, opc | ((uint32_t)d & 0x3ffffff));
    return true;
}

bool a64_b(BackendAsm *a, uintptr_t target) { return branch26(a, 0x14000000, target); }
bool a64_bl(BackendAsm *a, uintptr_t target) { return branch26(a, 0x94000000, target); }

bool a64_b_cond(BackendAsm *a, A64Cond cond, uintptr_t target)
{
    int32_t d;
    if (!word_offset(a64_here(a), target, 19, &d))
        return false;
    a64_emit(a, 0x54000000 | ((uint32_t)d & 0x7ffff) << 5 | (uint32_t)cond);
    return true;
}

bool a64_cbz(BackendAsm *a, bool nonzero, bool sf, int rt, uintptr_t target)
{
    int32_t d;
    uint32_t r = rz(rt);
    if (!word_offset(a64_here(a), target, 19, &d))
        return false;
    a64_emit(a, 0x34000000 | sfbit(sf) | (uint32_t)nonzero << 24 | ((uint32_t)d & 0x7ffff) << 5 | r);
    return true;
}

bool a64_tbz(BackendAsm *a, bool nonzero, int rt, unsigned bit, uintptr_t target)
{
    int32_t d;
    uint32_t r = rz(rt);
    if (bit > 63)
        bad("TBZ bit", bit);
    if (!word_offset(a64_here(a), target, 14, &d))
        return false;
    a64_emit(a, 0x36000000 | (bit >> 5) << 31 | (uint32_t)nonzero << 24 | (bit & 31) << 19 |
                    ((uint32_t)d & 0x3fff) << 5 | r);
    return true;
}

bool a64_ldr_literal(BackendAsm *a, unsigned log2size, bool sign, int rt, uintptr_t target)
{
    int32_t d;
    uint32_t r = rz(rt);
    if ((log2size != 2 && log2size != 3) || (sign && log2size != 2))
        bad("LDR literal size", log2size);
    if (!word_offset(a64_here(a), target, 19, &d))
        return false;
    uint32_t opc = sign ? 2 : log2size == 3;
    a64_emit(a, 0x18000000 | opc << 30 | ((uint32_t)d & 0x7ffff) << 5 | r);
    return true;
}

void a64_br(BackendAsm *a, int rn) { a64_emit(a, 0xD61F0000 | rz(rn) << 5); }
void a64_blr(BackendAsm *a, int rn) { a64_emit(a, 0xD63F0000 | rz(rn) << 5); }
void a64_ret(BackendAsm *a) { a64_emit(a, 0xD65F03C0); }

static uint32_t adr_word(uint32_t opc, int64_t d, uint32_t rd)
{
    uint32_t u = (uint32_t)d & 0x1fffff;
    return opc | (u & 3) << 29 | (u >> 2) << 5 | rd;
}

bool a64_adr(BackendAsm *a, int rd, uintptr_t target)
{
    uint32_t r = rz(rd);
    int64_t d = (int64_t)(target - a64_here(a));
    if (d < -(1 << 20) || d >= (1 << 20))
        return false;
    a64_emit(a, adr_word(0x10000000, d, r));
    return true;
}

bool a64_adrp(BackendAsm *a, int rd, uintptr_t target)
{
    uint32_t r = rz(rd);
    int64_t d = (int64_t)((target >> 12) - (a64_here(a) >> 12));
    if (d < -(1 << 20) || d >= (1 << 20))
        return false;
    a64_emit(a, adr_word(0x90000000, d, r));
    return true;
}

bool a64_patch_branch_at(uint32_t *insn, uintptr_t pc, uintptr_t target)
{
    uint32_t w = __atomic_load_n(insn, __ATOMIC_RELAXED), nw;
    int32_t d;
    if ((w & 0x7C000000) == 0x14000000) {            /* B, BL */
        if (!word_offset(pc, target, 26, &d))
            return false;
        nw = (w & 0xFC000000) | ((uint32_t)d & 0x3ffffff);
    } else if ((w & 0xFF000010) == 0x54000000 ||     /* B.cond */
               (w & 0x7E000000) == 0x34000000 ||     /* CBZ, CBNZ */
               ((w & 0xBF000000) == 0x18000000) ||   /* LDR literal (W, X) */
               (w & 0xFF000000) == 0x98000000) {     /* LDRSW literal */
        if (!word_offset(pc, target, 19, &d))
            return false;
        nw = (w & 0xFF00001F) | ((uint32_t)d & 0x7ffff) << 5;
    } else if ((w & 0x7E000000) == 0x36000000) {     /* TBZ, TBNZ */
        if (!word_offset(pc, target, 14, &d))
            return false;
        nw = (w & 0xFFF8001F) | ((uint32_t)d & 0x3fff) << 5;
    } else if ((w & 0x1F000000) == 0x10000000) {     /* ADR, ADRP */
        int64_t dd = (w & 0x80000000) ? (int64_t)((target >> 12) - (pc >> 12)) : (int64_t)(target - pc);
        if (dd < -(1 << 20) || dd >= (1 << 20))
            return false;
        nw = adr_word(w & 0x9F00001F, dd, 0);
    } else {
        return false;
    }
    /* one aligned word: a thread running this code sees the old or the new
     * instruction, never a mix */
    __atomic_store_n(insn, nw, __ATOMIC_RELAXED);
    return true;
}

bool a64_patch_branch(BackendAsm *a, size_t off, uintptr_t target)
{
    if (off + 4 > (size_t)(a->p - a->start) || off % 4)
        return false;
    return a64_patch_branch_at((uint32_t *)(void *)(a->start + off), a->rx_start + off, target);
}

/* ---- system registers --------------------------------------------------- */

void a64_mrs(BackendAsm *a, int rt, A64SysReg reg) { a64_emit(a, 0xD5300000 | (uint32_t)reg << 5 | rz(rt)); }
void a64_msr(BackendAsm *a, A64SysReg reg, int rt) { a64_emit(a, 0xD5100000 | (uint32_t)reg << 5 | rz(rt)); }

/* ---- scalar floating point ---------------------------------------------- */

static uint32_t ftype(A64FType t)
{
    if (t != A64_S && t != A64_D)
        bad("FP type", t);
    return (uint32_t)t << 22;
}

void a64_fop2(BackendAsm *a, A64FOp2 op, A64FType t, int vd, int vn, int vm)
{
    if (op > A64_FNMUL)
        bad("FP two-source op", op);
    a64_emit(a, 0x1E200800 | ftype(t) | vr(vm) << 16 | (uint32_t)op << 12 | vr(vn) << 5 | vr(vd));
}

void a64_fop1(BackendAsm *a, A64FOp1 op, A64FType t, int vd, int vn)
{
    if (op > A64_FRINTI || (op > A64_FSQRT && op < A64_FRINTN) || op == 13)
        bad("FP one-source op", op);
    a64_emit(a, 0x1E204000 | ftype(t) | (uint32_t)op << 15 | vr(vn) << 5 | vr(vd));
}

void a64_fmadd(BackendAsm *a, bool neg_product, bool neg_addend, A64FType t, int vd, int vn, int vm, int va)
{
    uint32_t o1 = neg_addend, o0 = neg_product ^ neg_addend;
    a64_emit(a, 0x1F000000 | ftype(t) | o1 << 21 | vr(vm) << 16 | o0 << 15 | vr(va) << 10 | vr(vn) << 5 | vr(vd));
}

void a64_fcmp(BackendAsm *a, bool signaling, A64FType t, int vn, int vm)
{
    uint32_t opc = (signaling ? 0x10 : 0) | (vm < 0 ? 0x08 : 0);
    a64_emit(a, 0x1E202000 | ftype(t) | (vm < 0 ? 0 : vr(vm)) << 16 | vr(vn) << 5 | opc);
}

void a64_fcvt(BackendAsm *a, A64FType to, A64FType from, int vd, int vn)
{
    if (to == from)
        bad("FCVT to the same type", to);
    a64_emit(a, 0x1E204000 | ftype(from) | (4u | (uint32_t)to) << 15 | vr(vn) << 5 | vr(vd));
}

static void fp_int(BackendAsm *a, uint32_t rmode_opcode, bool sf, A64FType t, uint32_t rd, uint32_t rn)
{
    a64_emit(a, 0x1E200000 | sfbit(sf) | ftype(t) | rmode_opcode << 16 | rn << 5 | rd);
}

void a64_fcvtz(BackendAsm *a, bool is_unsigned, bool sf, A64FType t, int rd, int vn)
{
    fp_int(a, 0x18 | (uint32_t)is_unsigned, sf, t, rz(rd), vr(vn));
}

void a64_cvtf(BackendAsm *a, bool is_unsigned, A64FType t, bool sf, int vd, int rn)
{
    fp_int(a, 0x02 | (uint32_t)is_unsigned, sf, t, vr(vd), rz(rn));
}

void a64_fmov_gp(BackendAsm *a, bool to_fp, bool sf, int vreg, int rreg)
{
    A64FType t = sf ? A64_D : A64_S;
    if (to_fp)
        fp_int(a, 0x07, sf, t, vr(vreg), rz(rreg));
    else
        fp_int(a, 0x06, sf, t, rz(rreg), vr(vreg));
}

/* VFPExpandImm for double: sign a, exponent NOT(b):b*8:c:d, fraction efgh. */
static double fmov_expand(uint8_t imm8)
{
    uint64_t b = (imm8 >> 6) & 1;
    uint64_t exp = (b ^ 1) << 10 | (b ? 0xffull : 0) << 2 | ((imm8 >> 4) & 3);
    uint64_t bits = (uint64_t)(imm8 >> 7) << 63 | exp << 52 | (uint64_t)(imm8 & 15) << 48;
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

bool a64_fmov_imm_encode(A64FType t, double v, uint8_t *imm8)
{
    if (t == A64_S && (double)(float)v != v)
        return false;
    /* the exponent and fraction pick the candidate directly: v = +-(16+f)/16 * 2^r */
    uint64_t bits;
    memcpy(&bits, &v, 8);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    if (e < -3 || e > 4 || (bits & ((1ull << 48) - 1)))
        return false;
    uint8_t i = (uint8_t)((bits >> 63) << 7 | ((e + 3) ^ 4) << 4 | ((bits >> 48) & 15));
    if (fmov_expand(i) != v)
        return false;
    *imm8 = i;
    return true;
}

void a64_fmov_imm(BackendAsm *a, A64FType t, int vd, double v)
{
    uint8_t imm8;
    if (!a64_fmov_imm_encode(t, v, &imm8))
        bad("not an FMOV immediate", (long long)v);
    a64_emit(a, 0x1E201000 | ftype(t) | (uint32_t)imm8 << 13 | vr(vd));
}

void a64_fzero(BackendAsm *a, int vd) { a64_emit(a, 0x2F00E400 | vr(vd)); }

void a64_fcsel(BackendAsm *a, A64FType t, int vd, int vn, int vm, A64Cond cond)
{
    a64_emit(a, 0x1E200C00 | ftype(t) | vr(vm) << 16 | (uint32_t)cond << 12 | vr(vn) << 5 | vr(vd));
}
