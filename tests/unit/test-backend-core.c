/*
 * Unit tests for the host-neutral backend core (backend/), driven by a toy
 * host: a machine with only four registers whose "machine code" is an
 * array of fixed-size records that a tiny virtual machine here executes.
 * Random blocks (values of both widths, globals, forward branches, a
 * counted loop, helper calls) run on the toy host and on the IR
 * interpreter, and the final states must agree.  Four registers put the
 * allocator under constant pressure (spills, evictions, loop maps capped
 * to what the host has), and the toy host shows that the BackendHost
 * table is enough to build a backend on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend/backend-core.h"
#include "ir/ir-build.h"

/* ---- the toy machine ---------------------------------------------------------- */

enum { T_MOV, T_XCHG, T_MOVI, T_LD, T_ST, T_ALU, T_SETC, T_CMP, T_JMP, T_CALL, T_EXIT, T_RAISE, T_TESTREQ };

typedef struct ToyInsn {
    uint8_t op, rd, ra, rb;
    int32_t cc;          /* condition (-1: always), ALU opcode, or home kind */
    uint32_t w64;
    uint32_t pad;
    uint64_t imm;        /* constant, home offset, jump target (rx), function */
} ToyInsn;

#define TOY_REGS 4
#define TOY_SLOTS 512

typedef struct ToyCPU {
    int32_t exception_index, exit_request;
    uint32_t r[8];
    uint64_t x[4];
} ToyCPU;

static uint64_t trunc_to(bool w64, uint64_t v) { return w64 ? v : (uint32_t)v; }

static uint64_t toy_alu(unsigned opc, bool w64, uint64_t a, uint64_t b)
{
    switch (opc) {
    case IR_OP_add: return trunc_to(w64, a + b);
    case IR_OP_sub: return trunc_to(w64, a - b);
    case IR_OP_mul: return trunc_to(w64, a * b);
    case IR_OP_and: return a & b;
    case IR_OP_or:  return a | b;
    case IR_OP_xor: return a ^ b;
    default: fail(); return 0;
    }
}

/* Runs the code at rx address `entry` of buf; returns the exit kind. */
static unsigned toy_run(const uint8_t *buf, uintptr_t entry, ToyCPU *cpu)
{
    uint64_t reg[TOY_REGS] = { 0 }, slot[TOY_SLOTS];
    uint64_t cmp_a = 0, cmp_b = 0;
    bool cmp_w64 = false;
    const ToyInsn *pc = (const ToyInsn *)entry;
    memset(slot, 0x5a, sizeof(slot));
    for (unsigned steps = 0; steps < 100000; steps++) {
        const ToyInsn *i = pc++;
        assert_true((const uint8_t *)i >= buf);
        switch (i->op) {
        case T_MOV: reg[i->rd] = reg[i->ra]; break;
        case T_XCHG: { uint64_t t = reg[i->rd]; reg[i->rd] = reg[i->ra]; reg[i->ra] = t; break; }
        case T_MOVI: reg[i->rd] = trunc_to(i->w64, i->imm); break;
        case T_LD:
            if (i->cc) {
                reg[i->rd] = trunc_to(i->w64, slot[i->imm]);
            } else if (i->w64) {
                memcpy(&reg[i->rd], (uint8_t *)cpu + i->imm, 8);
            } else {
                uint32_t v;
                memcpy(&v, (uint8_t *)cpu + i->imm, 4);
                reg[i->rd] = v;
            }
            break;
        case T_ST:
            if (i->cc)
                slot[i->imm] = reg[i->rd];
            else
                memcpy((uint8_t *)cpu + i->imm, &reg[i->rd], i->w64 ? 8 : 4);
            break;
        case T_ALU: reg[i->rd] = toy_alu((unsigned)i->cc, i->w64, reg[i->ra], reg[i->rb]); break;
        case T_SETC:
            reg[i->rd] = ir_cond_eval((IRCond)i->cc, reg[i->ra], reg[i->rb], i->w64 ? IR_I64 : IR_I32);
            break;
        case T_CMP: cmp_a = reg[i->ra]; cmp_b = reg[i->rb]; cmp_w64 = i->w64; break;
        case T_JMP:
            if (i->cc < 0 || ir_cond_eval((IRCond)i->cc, cmp_a, cmp_b, cmp_w64 ? IR_I64 : IR_I32))
                pc = (const ToyInsn *)i->imm;
            break;
        case T_CALL: {
            /* the toy ABI: arguments in r0, r1 (r0 = cpu with PASS_ENV), result in r0;
             * r0 and r1 are caller-saved (the call scrambles them) */
            const IRHelper *h = (const IRHelper *)i->imm;
            uint64_t res;
            if (h->flags & IR_HELPER_PASS_ENV)
                res = ((uint64_t (*)(void *, uint64_t))h->fn)(cpu, reg[1]);
            else
                res = ((uint64_t (*)(uint64_t, uint64_t))h->fn)(reg[0], reg[1]);
            reg[0] = trunc_to(h->ret_type == IR_I64, res);
            reg[1] = 0xdeadbeefdeadbeefull;
            break;
        }
        case T_EXIT: return (unsigned)i->imm;
        case T_RAISE: cpu->exception_index = (int32_t)i->imm; return IR_EXIT_EXCEPTION;
        case T_TESTREQ: cmp_a = (uint64_t)(cpu->exit_request != 0); cmp_b = 0; cmp_w64 = false; break;
        default: fail();
        }
    }
    fail_msg("toy code does not terminate");
    return 0;
}

/* ---- the toy host --------------------------------------------------------------- */

struct BackendHostCtx { int unused; };
static struct BackendHostCtx toy_hctx;

static ToyInsn *toy_emit(BackendCtx *c, uint8_t op)
{
    if (backend_asm_room(&c->a) < sizeof(ToyInsn)) {
        c->a.overflow = true;
        static ToyInsn sink;
        return &sink;
    }
    ToyInsn *i = (ToyInsn *)c->a.p;
    memset(i, 0, sizeof(*i));
    i->op = op;
    c->a.p += sizeof(ToyInsn);
    return i;
}

static void toy_mov(BackendCtx *c, int d, int s) { ToyInsn *i = toy_emit(c, T_MOV); i->rd = (uint8_t)d; i->ra = (uint8_t)s; }
static void toy_xchg(BackendCtx *c, int d, int s) { ToyInsn *i = toy_emit(c, T_XCHG); i->rd = (uint8_t)d; i->ra = (uint8_t)s; }
static void toy_movi(BackendCtx *c, bool w64, int r, uint64_t v)
{
    ToyInsn *i = toy_emit(c, T_MOVI);
    i->rd = (uint8_t)r;
    i->w64 = w64;
    i->imm = v;
}
static void toy_home(BackendCtx *c, ToyInsn *i, int r, IRTemp t)
{
    i->rd = (uint8_t)r;
    i->w64 = ra_is_w64(c, t);
    if (c->b->temps[t].kind == IR_TEMP_GLOBAL) {
        i->imm = c->b->temps[t].offset;
    } else {
        i->cc = 1;
        i->imm = (uint64_t)c->t[t].slot;
    }
}
static void toy_load(BackendCtx *c, int r, IRTemp t) { toy_home(c, toy_emit(c, T_LD), r, t); }
static void toy_store(BackendCtx *c, int r, IRTemp t) { toy_home(c, toy_emit(c, T_ST), r, t); }
static int toy_invert(int cc) { return (int)ir_cond_invert((IRCond)cc); }
static void toy_jump(BackendCtx *c, int cc, uintptr_t target) { ToyInsn *i = toy_emit(c, T_JMP); i->cc = cc; i->imm = target; }
static uint32_t toy_jump_fwd(BackendCtx *c, int cc)
{
    uint32_t at = (uint32_t)backend_asm_offset(&c->a);
    toy_jump(c, cc, 0);
    return at;
}
static void toy_patch(BackendCtx *c, uint32_t handle, uintptr_t target)
{
    if (!c->a.overflow)
        ((ToyInsn *)(c->a.start + handle))->imm = target;
}
static int toy_compare(BackendCtx *c, IRCond cond, IRTemp a, IRTemp b)
{
    ToyInsn i = { .op = T_CMP, .w64 = ra_is_w64(c, a) };
    i.ra = (uint8_t)ra_load(c, a, ~(BackendRegSet)0);
    i.rb = (uint8_t)ra_load(c, b, ~(BackendRegSet)0);
    *toy_emit(c, T_CMP) = i;
    return (int)cond;
}
static void toy_begin(BackendCtx *c) { c->h = &toy_hctx; }

static bool toy_emit_op(BackendCtx *c, const IROp *op)
{
    const BackendRegSet all = ~(BackendRegSet)0;
    switch ((IROpcode)op->opc) {
    case IR_OP_mov: {
        IRTemp out = ir_op_out(op, 0);
        int r = ra_load(c, ir_op_in(op, 0), all);
        int d = ra_out(c, out, all);
        if (d != r)
            toy_mov(c, d, r);
        ra_bind(c, out, d);
        return true;
    }
    case IR_OP_add: case IR_OP_sub: case IR_OP_mul: case IR_OP_and: case IR_OP_or: case IR_OP_xor: {
        IRTemp out = ir_op_out(op, 0);
        ToyInsn i = { .op = T_ALU, .cc = op->opc, .w64 = ra_is_w64(c, out) };
        i.ra = (uint8_t)ra_load(c, ir_op_in(op, 0), all);
        i.rb = (uint8_t)ra_load(c, ir_op_in(op, 1), all);
        i.rd = (uint8_t)ra_out(c, out, all);
        *toy_emit(c, T_ALU) = i;
        ra_bind(c, out, i.rd);
        return true;
    }
    case IR_OP_setcond: {
        IRTemp out = ir_op_out(op, 0);
        ToyInsn i = { .op = T_SETC, .cc = (int32_t)ir_op_const(op, 0), .w64 = ra_is_w64(c, ir_op_in(op, 0)) };
        i.ra = (uint8_t)ra_load(c, ir_op_in(op, 0), all);
        i.rb = (uint8_t)ra_load(c, ir_op_in(op, 1), all);
        i.rd = (uint8_t)ra_out(c, out, all);
        *toy_emit(c, T_SETC) = i;
        ra_bind(c, out, i.rd);
        return true;
    }
    default:
        return false;
    }
}

static void toy_call_args(BackendCtx *c, const IROp *op, const IRHelper *h)
{
    unsigned first = (h->flags & IR_HELPER_PASS_ENV) ? 1 : 0;
    BackendMove mv[2];
    unsigned n = 0;
    for (unsigned k = 0; k < op->n_in; k++) {
        IRTemp t = ir_op_in(op, k);
        if (c->b->temps[t].kind != IR_TEMP_CONST && c->t[t].reg >= 0)
            mv[n++] = (BackendMove){ (int)(first + k), c->t[t].reg };
    }
    ra_parallel_moves(c, mv, n);
    for (unsigned k = 0; k < op->n_in; k++) {
        IRTemp t = ir_op_in(op, k);
        if (c->b->temps[t].kind == IR_TEMP_CONST)
            toy_movi(c, ra_is_w64(c, t), (int)(first + k), c->b->temps[t].value);
        else if (c->t[t].reg < 0)
            toy_load(c, (int)(first + k), t);
    }
}
static int toy_call_emit(BackendCtx *c, const IROp *op, const IRHelper *h)
{
    toy_emit(c, T_CALL)->imm = (uintptr_t)h;
    return op->n_out ? 0 : -1;
}
static void toy_exit_tb(BackendCtx *c, unsigned kind) { toy_emit(c, T_EXIT)->imm = kind; }
static void toy_raise(BackendCtx *c, int32_t excp) { toy_emit(c, T_RAISE)->imm = (uint64_t)(int64_t)excp; }
static uint32_t toy_exit_check(BackendCtx *c)
{
    toy_emit(c, T_TESTREQ);
    return toy_jump_fwd(c, IR_COND_NE);
}
static void toy_exit_stub(BackendCtx *c) { toy_raise(c, IR_EXCP_EXIT_REQUEST); }
static void toy_goto_tb(BackendCtx *c, uint32_t *jmp_off, uint32_t *reset_off)
{
    *jmp_off = (uint32_t)backend_asm_offset(&c->a);
    toy_jump(c, -1, backend_asm_rx_here(&c->a) + sizeof(ToyInsn));   /* falls through */
    *reset_off = (uint32_t)backend_asm_offset(&c->a);
}
static void toy_goto_lookup(BackendCtx *c, const IROp *op) { toy_exit_tb(c, IR_EXIT_NOCHAIN); }

static const BackendHost toy_host = {
    .name = "toy",
    .n_regs = TOY_REGS,
    .alloc_regs = 0xf,
    .caller_saved = 0x3,
    .n_spill_slots = TOY_SLOTS,
    .max_op_size = 64 * sizeof(ToyInsn),
    .code_align = sizeof(ToyInsn),
    .pad_byte = 0xff,
    .mov = toy_mov, .xchg = toy_xchg, .movi = toy_movi, .load = toy_load, .store = toy_store,
    .invert_cond = toy_invert, .jump = toy_jump, .jump_fwd = toy_jump_fwd, .patch = toy_patch,
    .compare = toy_compare,
    .begin_block = toy_begin, .emit_op = toy_emit_op,
    .call_args = toy_call_args, .call_emit = toy_call_emit,
    .exit_tb = toy_exit_tb, .raise = toy_raise, .exit_check = toy_exit_check,
    .exit_request_stub = toy_exit_stub, .goto_tb = toy_goto_tb, .goto_lookup = toy_goto_lookup,
};

/* ---- random blocks -------------------------------------------------------------- */

static IRGlobalSet gs;
static IRBlock blk;
static IRTemp R[8], X[4];

static uint64_t helper_pure(uint64_t a, uint64_t b) { return (uint32_t)(a * 7 + b * 3); }
/* reads r5, writes r6 */
static uint64_t helper_env(void *env, uint64_t a)
{
    ToyCPU *cpu = env;
    cpu->r[6] = cpu->r[5] + (uint32_t)a;
    return cpu->r[6] ^ 0x55;
}
static const IRHelper hpure = { .name = "helper_pure", .fn = (void *)helper_pure, .flags = IR_HELPER_PURE,
                                .n_args = 2, .has_result = true, .ret_type = IR_I32,
                                .arg_types = { IR_I32, IR_I32 } };
static const IRHelper henv = { .name = "helper_env", .fn = (void *)helper_env, .flags = IR_HELPER_PASS_ENV,
                               .n_args = 1, .has_result = true, .ret_type = IR_I32, .arg_types = { IR_I32 } };

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct Pool { IRTemp t[32]; unsigned n; } Pool;

static IRTemp pick(Pool *p, IRType ty)
{
    unsigned r = (unsigned)(rnd() % 10);
    if (r == 0)
        return ir_const(&blk, ty, rnd() >> (rnd() % 64));
    if (r < 4 || !p[ty == IR_I64].n)
        return ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 4];
    return p[ty == IR_I64].t[rnd() % p[ty == IR_I64].n];
}

static void add_val(Pool *p, IRTemp t)
{
    Pool *q = &p[ir_temp_type(&blk, t) == IR_I64];
    if (q->n < 32)
        q->t[q->n++] = t;
    else
        q->t[rnd() % 32] = t;
}

static void gen_block(void)
{
    static const IROpcode bin[] = { IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor };
    Pool p[2] = { { .n = 0 }, { .n = 0 } };
    ir_block_reset(&blk, 0x1000);
    ir_insn_start(&blk, 0x1000);
    ir_exit_check(&blk);
    struct { unsigned label, close_at; Pool p[2]; } open[3];
    unsigned n_open = 0;
    bool in_loop = false, looped = false;
    unsigned loop_label = 0, loop_end = 0, slots_used = 0;
    IRTemp loop_i = IR_TEMP_NONE;
    unsigned n_ops = 10 + (unsigned)(rnd() % 80);
    for (unsigned i = 0; i < n_ops; i++) {
        IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
        unsigned kind = (unsigned)(rnd() % 100);
        IRTemp r = IR_TEMP_NONE;
        if (kind < 45) {
            r = ir_op2(&blk, bin[rnd() % 6], pick(p, ty), pick(p, ty));
        } else if (kind < 52) {
            r = ir_setcond(&blk, (IRCond)(rnd() % IR_COND_COUNT), pick(p, ty), pick(p, ty));
        } else if (kind < 68) {
            IRTemp g = ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 4];
            ir_mov_to(&blk, g, pick(p, ty));
        } else if (kind < 74) {
            if (rnd() & 1) {
                IRTemp a[2] = { pick(p, IR_I32), pick(p, IR_I32) };
                r = ir_call_helper(&blk, &hpure, a);
            } else {
                IRTemp a[1] = { pick(p, IR_I32) };
                r = ir_call_helper(&blk, &henv, a);
            }
        } else if (kind < 86) {
            if (n_open && rnd() % 3 == 0) {
                ir_brcond(&blk, (IRCond)(rnd() % IR_COND_COUNT), pick(p, ty), pick(p, ty), open[n_open - 1].label);
            } else if (n_open < 3) {
                unsigned l = ir_label_new(&blk);
                unsigned close_at = i + 1 + (unsigned)(rnd() % 10);
                if (n_open && close_at > open[n_open - 1].close_at)
                    close_at = open[n_open - 1].close_at;
                open[n_open].label = l;
                open[n_open].close_at = close_at;
                memcpy(open[n_open].p, p, sizeof(p));
                n_open++;
                unsigned how = (unsigned)(rnd() % 8);
                if (how == 0) {
                    ir_br(&blk, l);
                } else {
                    ir_brcond(&blk, (IRCond)(rnd() % IR_COND_COUNT), pick(p, ty), pick(p, ty), l);
                    if (how == 1 && slots_used < 2) {
                        ir_goto_tb(&blk, slots_used);
                        ir_exit_tb(&blk, (IRExitKind)(IR_EXIT_CHAIN0 + slots_used));
                        slots_used++;
                    } else if (how == 1) {
                        ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
                    }
                }
            }
        } else if (kind < 90) {
            if (!in_loop && !looped && n_open == 0) {
                loop_i = ir_temp_new(&blk, IR_I32);
                ir_mov_to(&blk, loop_i, ir_const32(&blk, 0));
                loop_label = ir_label_new(&blk);
                ir_set_label(&blk, loop_label);
                in_loop = true;
                loop_end = i + 2 + (unsigned)(rnd() % 10);
            }
        } else if (kind < 92) {
            ir_insn_start(&blk, 0x1000 + 4 * i);
        } else {
            IRTemp t = ir_temp_new(&blk, ty);
            ir_mov_to(&blk, t, pick(p, ty));
            ir_op2_to(&blk, IR_OP_add, t, t, ir_const(&blk, ty, 1));   /* a reassigned local */
            r = t;
        }
        if (r != IR_TEMP_NONE)
            add_val(p, r);
        while (n_open && i >= open[n_open - 1].close_at) {
            n_open--;
            ir_set_label(&blk, open[n_open].label);
            memcpy(p, open[n_open].p, sizeof(p));
        }
        if (in_loop && n_open == 0 && i >= loop_end) {
            ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, ir_const32(&blk, 1));
            ir_brcond(&blk, IR_COND_LTU, loop_i, ir_const32(&blk, 3), loop_label);
            in_loop = false;
            looped = true;
        }
    }
    while (n_open) {
        n_open--;
        ir_set_label(&blk, open[n_open].label);
        memcpy(p, open[n_open].p, sizeof(p));
    }
    if (in_loop) {
        ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, ir_const32(&blk, 1));
        ir_brcond(&blk, IR_COND_LTU, loop_i, ir_const32(&blk, 3), loop_label);
    }
    for (int i = 0; i < 3; i++) {   /* publish some locals */
        ir_mov_to(&blk, R[i], pick(p, IR_I32));
        ir_mov_to(&blk, X[i], pick(p, IR_I64));
    }
    if (rnd() % 4 == 0)
        ir_raise(&blk, 3);
    else
        ir_exit_tb(&blk, (IRExitKind)(rnd() % 3));
}

static uint8_t code[1 << 20];

static void run_both(int iter)
{
    static ToyCPU init, toy, interp;
    memset(&init, 0, sizeof(init));
    for (int i = 0; i < 8; i++)
        init.r[i] = (uint32_t)rnd();
    for (int i = 0; i < 4; i++)
        init.x[i] = rnd() >> (rnd() % 64);
    init.exit_request = rnd() % 16 == 0;
    interp = init;
    IRInterpEnv ienv = {
        .cpu = &interp,
        .exception_offset = offsetof(ToyCPU, exception_index),
        .exit_request_offset = offsetof(ToyCPU, exit_request),
    };
    unsigned ik = ir_interp(&blk, &ienv);

    CodeBuf cb = { .rw = code, .rx = code, .size = sizeof(code), .used = 0 };
    BackendBlock out = { .tb_tag = 0 };
    uint32_t insn_off[128];
    out.insn_off = insn_off;
    out.n_insns = 128;
    assert_int_equal(backend_emit_block(&toy_host, &cb, &blk, &out), 0);
    toy = init;
    unsigned tk = toy_run(code, (uintptr_t)code + out.code_off, &toy);
    if (tk != ik || memcmp(&toy, &interp, sizeof(toy)) != 0) {
        fprintf(stderr, "iteration %d differs (exit %u vs %u)\n", iter, tk, ik);
        for (int i = 0; i < 8; i++)
            if (toy.r[i] != interp.r[i])
                fprintf(stderr, "  r%d: toy %#x interp %#x\n", i, toy.r[i], interp.r[i]);
        for (int i = 0; i < 4; i++)
            if (toy.x[i] != interp.x[i])
                fprintf(stderr, "  x%d: toy %#llx interp %#llx\n", i, (unsigned long long)toy.x[i],
                        (unsigned long long)interp.x[i]);
        ir_dump(&blk, stderr);
        fail();
    }
}

static void test_random_blocks_on_a_toy_host(void **state)
{
    (void)state;
    for (int iter = 0; iter < 3000; iter++) {
        gen_block();
        if (ir_verify(&blk, stderr) != 0) {
            ir_dump(&blk, stderr);
            fail();
        }
        run_both(iter);
    }
}

/* A full buffer is reported, not overrun. */
static void test_full_buffer(void **state)
{
    (void)state;
    ir_block_reset(&blk, 0x1000);
    ir_insn_start(&blk, 0x1000);
    for (int i = 0; i < 200; i++)
        ir_mov_to(&blk, R[i % 8], ir_add(&blk, R[(i + 1) % 8], R[(i + 3) % 8]));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    CodeBuf cb = { .rw = code, .rx = code, .size = 400 * sizeof(ToyInsn), .used = 0 };
    BackendBlock out = { .tb_tag = 0 };
    assert_int_equal(backend_emit_block(&toy_host, &cb, &blk, &out), -1);
    assert_int_equal(cb.used, 0);
}

static int setup(void **state)
{
    (void)state;
    memset(&gs, 0, sizeof(gs));
    static const char *const rn[8] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    static const char *const xn[4] = { "x0", "x1", "x2", "x3" };
    for (int i = 0; i < 8; i++)
        R[i] = ir_global_new(&gs, IR_I32, offsetof(ToyCPU, r) + 4 * i, rn[i]);
    for (int i = 0; i < 4; i++)
        X[i] = ir_global_new(&gs, IR_I64, offsetof(ToyCPU, x) + 8 * i, xn[i]);
    ir_block_init(&blk, &gs, 0x1000);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_blocks_on_a_toy_host),
        cmocka_unit_test(test_full_buffer),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
