/*
 * ir-build.h — convenience builders for frontends.
 *
 * Value-returning forms allocate a fresh local for the result:
 *     IRTemp s = ir_add(b, x, y);
 * Assignment forms write an existing temp (usually a global):
 *     ir_mov_to(b, cpu_r[0], s);
 */
#ifndef VEMU_IR_BUILD_H
#define VEMU_IR_BUILD_H

#include "ir.h"

static inline void ir_op1_to(IRBlock *b, IROpcode opc, IRTemp out, IRTemp a)
{
    uint64_t args[2] = { out, a };
    ir_emit(b, opc, args);
}
static inline void ir_op2_to(IRBlock *b, IROpcode opc, IRTemp out, IRTemp a, IRTemp c)
{
    uint64_t args[3] = { out, a, c };
    ir_emit(b, opc, args);
}
static inline IRTemp ir_op1(IRBlock *b, IROpcode opc, IRTemp a)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, a));
    ir_op1_to(b, opc, r, a);
    return r;
}
static inline IRTemp ir_op2(IRBlock *b, IROpcode opc, IRTemp a, IRTemp c)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, a));
    ir_op2_to(b, opc, r, a, c);
    return r;
}

static inline void ir_mov_to(IRBlock *b, IRTemp out, IRTemp a) { ir_op1_to(b, IR_OP_mov, out, a); }
static inline IRTemp ir_mov(IRBlock *b, IRTemp a) { return ir_op1(b, IR_OP_mov, a); }

#define IR_BIN(name) \
    static inline IRTemp ir_##name(IRBlock *b, IRTemp x, IRTemp y) { return ir_op2(b, IR_OP_##name, x, y); }
IR_BIN(add) IR_BIN(sub) IR_BIN(mul) IR_BIN(and) IR_BIN(or) IR_BIN(xor) IR_BIN(andc)
IR_BIN(shl) IR_BIN(shr) IR_BIN(sar) IR_BIN(rotl) IR_BIN(rotr)
IR_BIN(divs) IR_BIN(divu) IR_BIN(rems) IR_BIN(remu)
#undef IR_BIN
#define IR_UN(name) \
    static inline IRTemp ir_##name(IRBlock *b, IRTemp x) { return ir_op1(b, IR_OP_##name, x); }
IR_UN(neg) IR_UN(not) IR_UN(clz) IR_UN(ctz) IR_UN(bswap)
IR_UN(ext8s) IR_UN(ext8u) IR_UN(ext16s) IR_UN(ext16u)
#undef IR_UN

static inline IRTemp ir_addi(IRBlock *b, IRTemp x, uint64_t imm) { return ir_add(b, x, ir_const(b, ir_temp_type(b, x), imm)); }
static inline IRTemp ir_andi(IRBlock *b, IRTemp x, uint64_t imm) { return ir_and(b, x, ir_const(b, ir_temp_type(b, x), imm)); }
static inline IRTemp ir_shli(IRBlock *b, IRTemp x, unsigned n) { return ir_shl(b, x, ir_const(b, ir_temp_type(b, x), n)); }
static inline IRTemp ir_shri(IRBlock *b, IRTemp x, unsigned n) { return ir_shr(b, x, ir_const(b, ir_temp_type(b, x), n)); }
static inline IRTemp ir_sari(IRBlock *b, IRTemp x, unsigned n) { return ir_sar(b, x, ir_const(b, ir_temp_type(b, x), n)); }

static inline void ir_mul2(IRBlock *b, bool sign, IRTemp *lo, IRTemp *hi, IRTemp x, IRTemp y)
{
    IRType t = ir_temp_type(b, x);
    *lo = ir_temp_new(b, t);
    *hi = ir_temp_new(b, t);
    uint64_t args[4] = { *lo, *hi, x, y };
    ir_emit(b, sign ? IR_OP_muls2 : IR_OP_mulu2, args);
}

static inline IRTemp ir_extract(IRBlock *b, IRTemp x, unsigned pos, unsigned len)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, x));
    uint64_t args[4] = { r, x, pos, len };
    ir_emit(b, IR_OP_extract, args);
    return r;
}
static inline IRTemp ir_sextract(IRBlock *b, IRTemp x, unsigned pos, unsigned len)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, x));
    uint64_t args[4] = { r, x, pos, len };
    ir_emit(b, IR_OP_sextract, args);
    return r;
}
static inline IRTemp ir_deposit(IRBlock *b, IRTemp x, IRTemp y, unsigned pos, unsigned len)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, x));
    uint64_t args[5] = { r, x, y, pos, len };
    ir_emit(b, IR_OP_deposit, args);
    return r;
}

#define IR_CONV(name, to)                                               \
    static inline IRTemp ir_##name(IRBlock *b, IRTemp x)                \
    {                                                                   \
        IRTemp r = ir_temp_new(b, to);                                  \
        ir_op1_to(b, IR_OP_##name, r, x);                               \
        return r;                                                       \
    }
IR_CONV(extu_i32_i64, IR_I64) IR_CONV(exts_i32_i64, IR_I64)
IR_CONV(extrl_i64_i32, IR_I32) IR_CONV(extrh_i64_i32, IR_I32)
#undef IR_CONV

static inline IRTemp ir_setcond(IRBlock *b, IRCond c, IRTemp x, IRTemp y)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, x));
    uint64_t args[4] = { r, x, y, c };
    ir_emit(b, IR_OP_setcond, args);
    return r;
}
static inline IRTemp ir_movcond(IRBlock *b, IRCond c, IRTemp x, IRTemp y, IRTemp vt, IRTemp vf)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, vt));
    uint64_t args[6] = { r, x, y, vt, vf, c };
    ir_emit(b, IR_OP_movcond, args);
    return r;
}

static inline void ir_brcond(IRBlock *b, IRCond c, IRTemp x, IRTemp y, unsigned label)
{
    uint64_t args[4] = { x, y, c, label };
    ir_emit(b, IR_OP_brcond, args);
}
static inline void ir_br(IRBlock *b, unsigned label) { uint64_t a = label; ir_emit(b, IR_OP_br, &a); }
static inline void ir_set_label(IRBlock *b, unsigned label) { uint64_t a = label; ir_emit(b, IR_OP_label, &a); }

static inline IRTemp ir_ld(IRBlock *b, IRType t, IRTemp addr, IRMemOp mo)
{
    IRTemp r = ir_temp_new(b, t);
    uint64_t args[3] = { r, addr, mo };
    ir_emit(b, IR_OP_ld, args);
    return r;
}
static inline void ir_st(IRBlock *b, IRTemp val, IRTemp addr, IRMemOp mo)
{
    uint64_t args[3] = { val, addr, mo };
    ir_emit(b, IR_OP_st, args);
}
static inline IRTemp ir_cmpxchg(IRBlock *b, IRTemp addr, IRTemp expect, IRTemp newv, IRMemOp mo)
{
    IRTemp r = ir_temp_new(b, ir_temp_type(b, newv));
    uint64_t args[5] = { r, addr, expect, newv, mo };
    ir_emit(b, IR_OP_cmpxchg, args);
    return r;
}
static inline void ir_mb(IRBlock *b) { uint64_t a = IR_MB_ALL; ir_emit(b, IR_OP_mb, &a); }

static inline IRTemp ir_ld_env(IRBlock *b, IRType t, uint32_t offset, IRMemOp mo)
{
    IRTemp r = ir_temp_new(b, t);
    uint64_t args[3] = { r, offset, mo };
    ir_emit(b, IR_OP_ld_env, args);
    return r;
}
static inline void ir_st_env(IRBlock *b, IRTemp val, uint32_t offset, IRMemOp mo)
{
    uint64_t args[3] = { val, offset, mo };
    ir_emit(b, IR_OP_st_env, args);
}

/* A guest instruction at pc starts; w1, w2: what the frontend's
 * restore_state needs besides the pc at a fault in it. */
static inline void ir_insn_start_data(IRBlock *b, uint64_t pc, uint64_t w1, uint64_t w2)
{
    uint64_t args[IR_INSN_DATA_WORDS] = { pc, w1, w2 };
    ir_emit(b, IR_OP_insn_start, args);
}
static inline void ir_insn_start(IRBlock *b, uint64_t pc) { ir_insn_start_data(b, pc, 0, 0); }
static inline void ir_exit_check(IRBlock *b) { ir_emit(b, IR_OP_exit_check, NULL); }
static inline void ir_tier_count(IRBlock *b, int32_t cpu_offset)
{
    uint64_t a = (uint64_t)(int64_t)cpu_offset;
    ir_emit(b, IR_OP_tier_count, &a);
}
static inline void ir_goto_tb(IRBlock *b, unsigned slot) { uint64_t a = slot; ir_emit(b, IR_OP_goto_tb, &a); }
static inline void ir_exit_tb(IRBlock *b, IRExitKind k) { uint64_t a = k; ir_emit(b, IR_OP_exit_tb, &a); }
static inline void ir_goto_lookup(IRBlock *b) { ir_emit(b, IR_OP_goto_lookup, NULL); }
static inline void ir_goto_lookup_pc(IRBlock *b, IRTemp pc, IRTemp cs_base, IRTemp flags)
{
    uint64_t args[3] = { pc, cs_base, flags };
    ir_emit(b, IR_OP_goto_lookup_pc, args);
}
static inline void ir_raise(IRBlock *b, int excp) { uint64_t a = (uint64_t)excp; ir_emit(b, IR_OP_raise, &a); }
static inline void ir_discard(IRBlock *b, IRTemp t) { uint64_t a = t; ir_emit(b, IR_OP_discard, &a); }

/* Call a helper with up to IR_HELPER_MAX_ARGS inputs; returns the result temp
 * (IR_TEMP_NONE when the helper returns nothing). */
static inline IRTemp ir_call_helper(IRBlock *b, const IRHelper *h, const IRTemp *in)
{
    IRTemp r = h->has_result ? ir_temp_new(b, h->ret_type) : IR_TEMP_NONE;
    ir_call(b, h, r, in);
    return r;
}

#endif
