/*
 * translate-ldst.c — A32 loads and stores (ARM ARM A5.3, A5.2.8, A5.5):
 * LDR STR LDRB STRB (and the T forms, which are ordinary accesses in user
 * mode and use the unprivileged mmu index in system mode), LDRH STRH LDRSB
 * LDRSH LDRD STRD, LDM/STM in all four modes, SWP, and the v6K exclusives
 * LDREX/STREX (+B/H/D) used by the kuser helpers.
 *
 * Every memory access is emitted before any register write of the same
 * instruction, so a fault leaves the registers untouched and the
 * instruction can be restarted (after a signal handler, say).
 */
#include "frontend-arm/arm-helpers.h"
#include "frontend-arm/arm-translate.h"

/* Address of an access and the value written back to Rn.  P: pre-indexed
 * (offset applied before the access); W or !P: write back. */
typedef struct AddrMode {
    IRTemp addr;
    IRTemp wb_value;
    bool writeback;
} AddrMode;

static AddrMode gen_addr_mode(DisasContext *s, int Rn, IRTemp offset, int P, int U, int W)
{
    AddrMode m;
    IRTemp base = load_reg(s, Rn);
    IRTemp offset_addr = gen_add_sub(s, base, offset, U);
    m.addr = P ? offset_addr : ir_mov(s->b, base);
    m.wb_value = offset_addr;
    m.writeback = !P || W;
    return m;
}

/* A load's destination and writeback, in the order that makes the loaded
 * value win when Rt == Rn (UNPREDICTABLE; this matches hardware). */
static void finish_load(DisasContext *s, const AddrMode *m, int Rn, int Rt, IRTemp val)
{
    if (m->writeback)
        store_reg(s, Rn, m->wb_value);
    store_reg_load(s, Rt, val);
}

static void finish_store(DisasContext *s, const AddrMode *m, int Rn)
{
    if (m->writeback)
        store_reg(s, Rn, m->wb_value);
}

/* LDR/STR/LDRB/STRB once the offset is known */
static bool gen_ldst_word_byte(DisasContext *s, int P, int U, int B, int W, int L, int Rn, int Rt,
                               IRTemp offset)
{
    IRMemOp mo = B ? IR_MO_UB : IR_MO_UL;
    AddrMode m = gen_addr_mode(s, Rn, offset, P, U, W);
    if (L) {
        IRTemp val = ir_ld(s->b, IR_I32, m.addr, mo);
        finish_load(s, &m, Rn, Rt, val);
    } else {
        /* STR pc stores the instruction's address + 8 */
        ir_st(s->b, load_reg(s, Rt), m.addr, mo);
        finish_store(s, &m, Rn);
    }
    return true;
}

/* Any single load or store (Thumb uses it for all its forms).  A Thumb
 * base of r15 is a literal: Align(PC, 4).  The caller checks the registers. */
void gen_ldst(DisasContext *s, IRMemOp mo, int L, int P, int U, int W, int Rn, int Rt, IRTemp offset)
{
    AddrMode m;
    if (Rn == 15 && s->thumb) {
        IRTemp base = c32(s, (s->pc + 4) & ~3u);
        m.addr = gen_add_sub(s, base, offset, U);
        m.wb_value = m.addr;
        m.writeback = false;
    } else {
        m = gen_addr_mode(s, Rn, offset, P, U, W);
    }
    if (L) {
        IRTemp val = ir_ld(s->b, IR_I32, m.addr, mo);
        finish_load(s, &m, Rn, Rt, val);
    } else {
        ir_st(s->b, load_reg(s, Rt), m.addr, mo);
        finish_store(s, &m, Rn);
    }
}

static bool ldst_valid(int P, int W, int Rn, int B, int L, int Rt)
{
    if ((!P || W) && Rn == 15)
        return false;   /* writeback to the pc */
    if (B && Rt == 15)
        return false;
    return true;
}

static bool do_ldst_imm(DisasContext *s, const arg_ldst_imm *a)
{
    if (!ldst_valid(a->P, a->W, a->Rn, a->B, a->L, a->Rt))
        return false;
    return gen_ldst_word_byte(s, a->P, a->U, a->B, a->W, a->L, a->Rn, a->Rt, c32(s, a->imm12));
}

bool trans_STRT_ri(DisasContext *s, const arg_STRT_ri *a) { s->insn_user = true; return do_ldst_imm(s, a); }
bool trans_LDRT_ri(DisasContext *s, const arg_LDRT_ri *a) { s->insn_user = true; return do_ldst_imm(s, a); }
bool trans_STRBT_ri(DisasContext *s, const arg_STRBT_ri *a) { s->insn_user = true; return do_ldst_imm(s, a); }
bool trans_LDRBT_ri(DisasContext *s, const arg_LDRBT_ri *a) { s->insn_user = true; return do_ldst_imm(s, a); }
bool trans_STR_ri(DisasContext *s, const arg_STR_ri *a) { return do_ldst_imm(s, a); }
bool trans_LDR_ri(DisasContext *s, const arg_LDR_ri *a) { return do_ldst_imm(s, a); }
bool trans_STRB_ri(DisasContext *s, const arg_STRB_ri *a) { return do_ldst_imm(s, a); }
bool trans_LDRB_ri(DisasContext *s, const arg_LDRB_ri *a) { return do_ldst_imm(s, a); }

static bool do_ldst_reg(DisasContext *s, const arg_ldst_reg *a)
{
    if (!ldst_valid(a->P, a->W, a->Rn, a->B, a->L, a->Rt) || a->Rm == 15)
        return false;
    IRTemp off = gen_shift_imm(s, load_reg(s, a->Rm), a->type, a->imm5, NULL);
    return gen_ldst_word_byte(s, a->P, a->U, a->B, a->W, a->L, a->Rn, a->Rt, off);
}

bool trans_STRT_rr(DisasContext *s, const arg_STRT_rr *a) { s->insn_user = true; return do_ldst_reg(s, a); }
bool trans_LDRT_rr(DisasContext *s, const arg_LDRT_rr *a) { s->insn_user = true; return do_ldst_reg(s, a); }
bool trans_STRBT_rr(DisasContext *s, const arg_STRBT_rr *a) { s->insn_user = true; return do_ldst_reg(s, a); }
bool trans_LDRBT_rr(DisasContext *s, const arg_LDRBT_rr *a) { s->insn_user = true; return do_ldst_reg(s, a); }
bool trans_STR_rr(DisasContext *s, const arg_STR_rr *a) { return do_ldst_reg(s, a); }
bool trans_LDR_rr(DisasContext *s, const arg_LDR_rr *a) { return do_ldst_reg(s, a); }
bool trans_STRB_rr(DisasContext *s, const arg_STRB_rr *a) { return do_ldst_reg(s, a); }
bool trans_LDRB_rr(DisasContext *s, const arg_LDRB_rr *a) { return do_ldst_reg(s, a); }

/* ---- halfword, signed byte/halfword, doubleword ------------------------------ */

static bool gen_ldst_extra(DisasContext *s, int P, int U, int W, int L, int Rn, int Rt, int op2,
                           IRTemp offset)
{
    IRBlock *b = s->b;
    bool dual = !L && op2 != 1;   /* LDRD (op2 10) and STRD (op2 11) */
    if ((!P || W) && Rn == 15)
        return false;
    if (dual) {
        if (!arm_has(s, ARM_FEATURE_V5TE) || (Rt & 1) || Rt == 14)
            return false;
    } else if (Rt == 15) {
        return false;
    }
    if (dual) {
        gen_ldst_dual(s, op2 == 2, P, U, W, Rn, Rt, Rt + 1, offset);
        return true;
    }
    AddrMode m = gen_addr_mode(s, Rn, offset, P, U, W);
    if (!L) {                 /* STRH */
        ir_st(b, load_reg(s, Rt), m.addr, IR_MO_UW);
        finish_store(s, &m, Rn);
    } else {                         /* LDRH, LDRSB, LDRSH */
        static const IRMemOp mos[4] = { 0, IR_MO_UW, IR_MO_SB, IR_MO_SW };
        IRTemp val = ir_ld(b, IR_I32, m.addr, mos[op2]);
        finish_load(s, &m, Rn, Rt, val);
    }
    return true;
}

void gen_ldst_dual(DisasContext *s, int L, int P, int U, int W, int Rn, int Rt, int Rt2,
                   IRTemp offset)
{
    IRBlock *b = s->b;
    AddrMode m;
    if (Rn == 15 && s->thumb) {     /* LDRD (literal): Align(PC, 4) */
        m.addr = gen_add_sub(s, c32(s, (s->pc + 4) & ~3u), offset, U);
        m.wb_value = m.addr;
        m.writeback = false;
    } else {
        m = gen_addr_mode(s, Rn, offset, P, U, W);
    }
    if (L) {
        IRTemp lo = ir_ld(b, IR_I32, m.addr, IR_MO_UL);
        IRTemp hi = ir_ld(b, IR_I32, ir_addi(b, m.addr, 4), IR_MO_UL);
        if (m.writeback)
            store_reg(s, Rn, m.wb_value);
        store_reg(s, Rt, lo);
        store_reg(s, Rt2, hi);
    } else {
        ir_st(b, load_reg(s, Rt), m.addr, IR_MO_UL);
        ir_st(b, load_reg(s, Rt2), ir_addi(b, m.addr, 4), IR_MO_UL);
        finish_store(s, &m, Rn);
    }
}

static bool do_ldst_extra_imm(DisasContext *s, const arg_ldst_extra_imm *a)
{
    return gen_ldst_extra(s, a->P, a->U, a->W, a->L, a->Rn, a->Rt, a->op2,
                          c32(s, (uint32_t)a->imm));
}

bool trans_STRH_ri(DisasContext *s, const arg_STRH_ri *a) { return do_ldst_extra_imm(s, a); }
bool trans_LDRD_ri(DisasContext *s, const arg_LDRD_ri *a) { return do_ldst_extra_imm(s, a); }
bool trans_STRD_ri(DisasContext *s, const arg_STRD_ri *a) { return do_ldst_extra_imm(s, a); }
bool trans_LDRH_ri(DisasContext *s, const arg_LDRH_ri *a) { return do_ldst_extra_imm(s, a); }
bool trans_LDRSB_ri(DisasContext *s, const arg_LDRSB_ri *a) { return do_ldst_extra_imm(s, a); }
bool trans_LDRSH_ri(DisasContext *s, const arg_LDRSH_ri *a) { return do_ldst_extra_imm(s, a); }

static bool do_ldst_extra_reg(DisasContext *s, const arg_ldst_extra_reg *a)
{
    if (a->Rm == 15)
        return false;
    return gen_ldst_extra(s, a->P, a->U, a->W, a->L, a->Rn, a->Rt, a->op2, load_reg(s, a->Rm));
}

bool trans_STRH_rr(DisasContext *s, const arg_STRH_rr *a) { return do_ldst_extra_reg(s, a); }
bool trans_LDRD_rr(DisasContext *s, const arg_LDRD_rr *a) { return do_ldst_extra_reg(s, a); }
bool trans_STRD_rr(DisasContext *s, const arg_STRD_rr *a) { return do_ldst_extra_reg(s, a); }
bool trans_LDRH_rr(DisasContext *s, const arg_LDRH_rr *a) { return do_ldst_extra_reg(s, a); }
bool trans_LDRSB_rr(DisasContext *s, const arg_LDRSB_rr *a) { return do_ldst_extra_reg(s, a); }
bool trans_LDRSH_rr(DisasContext *s, const arg_LDRSH_rr *a) { return do_ldst_extra_reg(s, a); }

/* ---- load/store multiple ------------------------------------------------------ */

static bool do_ldm_stm(DisasContext *s, const arg_ldm_stm *a)
{
    /* S (user registers / exception return) is UNPREDICTABLE in user mode */
    if (a->S && s->sys)
        return sys_ldm_stm_user(s, a->Rn, (unsigned)a->reglist, a->P, a->U, a->W, a->L);
    if (a->S || a->reglist == 0 || a->Rn == 15)
        return false;
    gen_ldm_stm(s, a->Rn, (unsigned)a->reglist, a->P, a->U, a->W, a->L);
    return true;
}

bool trans_STM(DisasContext *s, const arg_STM *a) { return do_ldm_stm(s, a); }
bool trans_LDM(DisasContext *s, const arg_LDM *a) { return do_ldm_stm(s, a); }

void gen_ldm_stm(DisasContext *s, int Rn, unsigned list, int P, int U, int W, int L)
{
    IRBlock *b = s->b;
    int n = __builtin_popcount(list);
    IRTemp base = load_reg(s, Rn);
    IRTemp start;
    if (U)
        start = P ? ir_addi(b, base, 4) : ir_mov(b, base);          /* IB : IA */
    else
        start = ir_addi(b, base, P ? -4u * n : -4u * n + 4);        /* DB : DA */
    IRTemp wb = ir_addi(b, base, U ? 4u * n : -4u * n);
    if (L) {
        IRTemp vals[16];
        int k = 0;
        for (int r = 0; r < 16; r++)
            if (list & (1u << r)) {
                IRTemp addr = k ? ir_addi(b, start, 4u * k) : start;
                vals[r] = ir_ld(b, IR_I32, addr, IR_MO_UL);
                k++;
            }
        /* With the base in the list the loaded value wins. */
        if (W && !(list & (1u << Rn)))
            store_reg(s, Rn, wb);
        for (int r = 0; r < 15; r++)
            if (list & (1u << r))
                store_reg(s, r, vals[r]);
        if (list & 0x8000)
            gen_bx(s, vals[15]);   /* LoadWritePC */
    } else {
        int k = 0;
        for (int r = 0; r < 16; r++)
            if (list & (1u << r)) {
                IRTemp addr = k ? ir_addi(b, start, 4u * k) : start;
                ir_st(b, load_reg(s, r), addr, IR_MO_UL);   /* the original Rn, even if written back */
                k++;
            }
        if (W)
            store_reg(s, Rn, wb);
    }
}

/* ---- SWP, SWPB ------------------------------------------------------------------ */

/* Atomic exchange for when the inline compare-and-exchange lost a race. */
/* SWP's exchange (helpers.def) */
uint32_t helper_arm_swp(void *env, uint32_t addr, uint32_t val, uint32_t byte)
{
    CPUCommon *cpu = env;
    void *host = (void *)(cpu->guest_base + addr);
    if (byte)
        return __atomic_exchange_n((uint8_t *)host, (uint8_t)val, __ATOMIC_SEQ_CST);
    return __atomic_exchange_n((uint32_t *)host, val, __ATOMIC_SEQ_CST);
}

static bool do_swp(DisasContext *s, const arg_swp *a)
{
    IRBlock *b = s->b;
    if (a->Rn == 15 || a->Rt == 15 || a->Rt2 == 15 || a->Rn == a->Rt || a->Rn == a->Rt2)
        return false;
    IRMemOp mo = a->B ? IR_MO_UB : IR_MO_UL;
    IRTemp addr = load_reg(s, a->Rn);
    IRTemp newv = load_reg(s, a->Rt2);
    if (s->sys) {
        /* System mode: one vcpu, and guest memory is behind the soft TLB
         * (the helper's guest_base does not apply): a load and a store. */
        IRTemp old = ir_ld(b, IR_I32, addr, mo);
        ir_st(b, newv, addr, mo);
        store_reg(s, a->Rt, old);
        return true;
    }
    /* The plain load faults precisely if the address is bad; the exchange
     * then usually succeeds at once. */
    IRTemp old = ir_ld(b, IR_I32, addr, mo);
    IRTemp got = ir_cmpxchg(b, addr, old, newv, mo);
    IRTemp res = ir_mov(b, old);
    unsigned done = ir_label_new(b);
    ir_brcond(b, IR_COND_EQ, got, old, done);
    IRTemp args[3] = { addr, newv, c32(s, a->B) };
    ir_mov_to(b, res, ir_call_helper(b, &arm_helper_swp, args));
    ir_set_label(b, done);
    store_reg(s, a->Rt, res);
    return true;
}

bool trans_SWP(DisasContext *s, const arg_SWP *a) { return do_swp(s, a); }
bool trans_SWPB(DisasContext *s, const arg_SWPB *a) { return do_swp(s, a); }

/* ---- exclusives -------------------------------------------------------------------- */

enum { EX_WORD, EX_DUAL, EX_BYTE, EX_HALF };

static bool exclusive_ok(DisasContext *s, int size, int Rt)
{
    if (!arm_has(s, size == EX_WORD ? (ARM_FEATURE_V6 | ARM_FEATURE_V6K) : ARM_FEATURE_V6K))
        return false;
    if (size == EX_DUAL)
        return !(Rt & 1) && Rt != 14;
    return Rt != 15;
}

/* Exclusives must be aligned to their size (LDREXD/STREXD to 8 bytes):
 * a misaligned one is an alignment fault the kernel does not fix up. */
static const IRMemOp ex_memop[4] = { IR_MO_UL | IR_MO_ALIGN, IR_MO_Q | IR_MO_ALIGN, IR_MO_UB,
                                     IR_MO_UW | IR_MO_ALIGN };
static const unsigned ex_bytes[4] = { 4, 8, 1, 2 };

static bool do_ldrex(DisasContext *s, const arg_ldrex *a)
{
    if (!exclusive_ok(s, a->size, a->Rt) || a->Rn == 15)
        return false;
    gen_load_exclusive(s, a->size, a->Rt, a->Rt + 1, load_reg(s, a->Rn));
    return true;
}

bool trans_LDREX(DisasContext *s, const arg_LDREX *a) { return do_ldrex(s, a); }
bool trans_LDREXD(DisasContext *s, const arg_LDREXD *a) { return do_ldrex(s, a); }
bool trans_LDREXB(DisasContext *s, const arg_LDREXB *a) { return do_ldrex(s, a); }
bool trans_LDREXH(DisasContext *s, const arg_LDREXH *a) { return do_ldrex(s, a); }

void gen_load_exclusive(DisasContext *s, int size, int Rt, int Rt2, IRTemp addr)
{
    IRBlock *b = s->b;
    if (size == EX_DUAL) {
        IRTemp v = ir_ld(b, IR_I64, addr, ex_memop[EX_DUAL]);
        ir_mov_to(b, cpu_exclusive_addr, ir_extu_i32_i64(b, addr));
        ir_mov_to(b, cpu_exclusive_val, v);
        store_reg(s, Rt, ir_extrl_i64_i32(b, v));
        store_reg(s, Rt2, ir_extrh_i64_i32(b, v));
    } else {
        IRTemp v = ir_ld(b, IR_I32, addr, ex_memop[size]);
        ir_mov_to(b, cpu_exclusive_addr, ir_extu_i32_i64(b, addr));
        ir_mov_to(b, cpu_exclusive_val, ir_extu_i32_i64(b, v));
        store_reg(s, Rt, v);
    }
}

/* STREX Rd, Rt, [Rn]: succeeds (Rd = 0) when the monitor holds this address
 * and memory still holds the value LDREX saw; the store is a cmpxchg
 * against that value, so another thread's store in between makes it fail. */
static bool do_strex(DisasContext *s, const arg_strex *a)
{
    if (!exclusive_ok(s, a->size, a->Rt) || a->Rn == 15 || a->Rd == 15 ||
        a->Rd == a->Rn || a->Rd == a->Rt || (a->size == EX_DUAL && a->Rd == a->Rt + 1))
        return false;
    gen_store_exclusive(s, a->size, a->Rd, a->Rt, a->Rt + 1, load_reg(s, a->Rn));
    return true;
}

bool trans_STREX(DisasContext *s, const arg_STREX *a) { return do_strex(s, a); }
bool trans_STREXD(DisasContext *s, const arg_STREXD *a) { return do_strex(s, a); }
bool trans_STREXB(DisasContext *s, const arg_STREXB *a) { return do_strex(s, a); }
bool trans_STREXH(DisasContext *s, const arg_STREXH *a) { return do_strex(s, a); }

void gen_store_exclusive(DisasContext *s, int size, int Rd, int Rt, int Rt2, IRTemp addr)
{
    IRBlock *b = s->b;
    IRTemp res = ir_temp_new(b, IR_I32);
    unsigned fail = ir_label_new(b), done = ir_label_new(b);
    /* even when the monitor fails: an explicit test before the branch */
    gen_align_check(s, addr, ex_bytes[size]);
    ir_brcond(b, IR_COND_NE, cpu_exclusive_addr, ir_extu_i32_i64(b, addr), fail);
    if (size == EX_DUAL) {
        IRTemp newv = ir_or(b, ir_shli(b, ir_extu_i32_i64(b, load_reg(s, Rt2)), 32),
                            ir_extu_i32_i64(b, load_reg(s, Rt)));
        IRTemp old = ir_cmpxchg(b, addr, cpu_exclusive_val, newv, ex_memop[EX_DUAL]);
        ir_mov_to(b, res, ir_extrl_i64_i32(b, ir_setcond(b, IR_COND_NE, old, cpu_exclusive_val)));
    } else {
        IRTemp expect = ir_extrl_i64_i32(b, cpu_exclusive_val);
        IRTemp old = ir_cmpxchg(b, addr, expect, load_reg(s, Rt), ex_memop[size]);
        ir_mov_to(b, res, ir_setcond(b, IR_COND_NE, old, expect));
    }
    ir_br(b, done);
    ir_set_label(b, fail);
    ir_mov_to(b, res, c32(s, 1));
    ir_set_label(b, done);
    ir_mov_to(b, cpu_exclusive_addr, ir_const64(b, UINT64_MAX));
    store_reg(s, Rd, res);
}

bool trans_CLREX(DisasContext *s, const arg_CLREX *a)
{
    if (!arm_has(s, ARM_FEATURE_V6K))
        return false;
    ir_mov_to(s->b, cpu_exclusive_addr, ir_const64(s->b, UINT64_MAX));
    return true;
}
