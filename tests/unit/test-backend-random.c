/*
 * test-backend-random.c — a random differential test of the host backend's
 * integer code: seeded random IR blocks of every integer value op (both
 * widths, constants of edge values on either side, ops whose output is one
 * of their inputs), setcond/movcond/brcond with every condition and the
 * operand shapes that compare fusion cares about (against 0, single bits,
 * all ones, a value with itself, two constants), forward branches, counted
 * loops, exits, and more live values than the host has registers (spills).
 * Each block runs through backend_host (backend-rig.h) and through the IR
 * interpreter (ir_interp, the oracle); every global and the exit kind must
 * agree, and guest memory too in the blocks with loads and stores.
 *
 * It is host-neutral: on x86_64 it tests backend-x86_64, under qemu-aarch64
 * (tests/aarch64-host) backend-aarch64.  VEMU_RANDOM_SEED=n picks another
 * seed, VEMU_RANDOM_ITERS=n scales the number of blocks (default 1 = the
 * counts below); a failure prints the seed, the block's number, the globals
 * that differ and the block (ir_dump), so `VEMU_RANDOM_SEED=<seed>` replays
 * it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-rig.h"

/* ---- random numbers --------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
static unsigned rndn(unsigned n) { return (unsigned)(rnd() % n); }

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtoull(s, NULL, 0) : dflt;
}

/* Constants that sit on the edges of what the encoders hold: 12-bit
 * add/sub immediates and their shifted form, bitmask immediates and
 * their neighbours, powers of two (TBZ), the signed and unsigned extremes
 * of both widths, shift counts at the width. */
static const uint64_t edge[] = {
    0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001,
    0xfff000, 0xfff001, 0x1000000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff,
    0x100000000ull, 0xfffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    ~0ull, ~1ull, ~0xfffull, ~0x1000ull, -4095ull, -4096ull, -4097ull, 0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull, 0x00ff00ff00ff00ffull, 0x0f0f0f0f0f0f0f0full, 0xffff0000ffff0000ull,
    0x0000ffff00000000ull, 0xfffffffffffff000ull, 0x00000000ffff0000ull, 0x1234567887654321ull,
    0xffffffff00000000ull, 0x7ffffffeull, 0xfffffffeull,
};
#define N_EDGE (sizeof(edge) / sizeof(edge[0]))

static uint64_t rand_value(void)
{
    switch (rndn(6)) {
    case 0: return edge[rndn(N_EDGE)];
    case 1: return 1ull << rndn(64);
    case 2: return -(uint64_t)rndn(5000);
    case 3: return rndn(5000);
    case 4: return rnd() >> rndn(64);
    default: return rnd();
    }
}

/* ---- the block generator ------------------------------------------------------ */

#define POOL_MAX 48
typedef struct Pool { IRTemp t[POOL_MAX]; unsigned n; } Pool;
typedef struct Pools { Pool p[2]; } Pools;    /* [0] i32, [1] i64 */

typedef struct GenOpts {
    unsigned min_ops, max_ops;
    bool mem;          /* loads and stores into the guest window [0, 0x1000) */
    bool pressure;     /* keep every value live to the end (spills) */
} GenOpts;

static Pools pools;

static IRTemp konst(IRType ty, uint64_t v) { return ir_const(&blk, ty, ty == IR_I32 ? (uint32_t)v : v); }

static IRTemp global_of(IRType ty) { return ty == IR_I32 ? R[rndn(8)] : X[rndn(4)]; }

static IRTemp pick(IRType ty)
{
    Pool *p = &pools.p[ty == IR_I64];
    unsigned r = rndn(20);
    if (r < 3 || !p->n)
        return r < 2 ? konst(ty, edge[rndn(N_EDGE)]) : konst(ty, rand_value());
    if (r < 6)
        return global_of(ty);
    return p->t[rndn(p->n)];
}

/* A local (never a global or a constant) of type ty, or NONE. */
static IRTemp pick_local(IRType ty)
{
    Pool *p = &pools.p[ty == IR_I64];
    for (int k = 0; k < 4 && p->n; k++) {
        IRTemp t = p->t[rndn(p->n)];
        if (blk.temps[t].kind == IR_TEMP_LOCAL)
            return t;
    }
    return IR_TEMP_NONE;
}

static void add_val(IRTemp t)
{
    Pool *p = &pools.p[ir_temp_type(&blk, t) == IR_I64];
    for (unsigned i = 0; i < p->n; i++)
        if (p->t[i] == t)
            return;
    if (p->n < POOL_MAX)
        p->t[p->n++] = t;
    else
        p->t[rndn(POOL_MAX)] = t;
}

static IRCond rand_cond(void) { return (IRCond)rndn(IR_COND_COUNT); }

/* The operands of a comparison: shapes the backends treat specially. */
static void cmp_operands(IRType ty, IRTemp *a, IRTemp *b)
{
    *a = pick(ty);
    switch (rndn(10)) {
    case 0: *b = konst(ty, 0); break;
    case 1: *b = konst(ty, 1ull << rndn(ty == IR_I32 ? 32 : 64)); break;   /* one bit */
    case 2: *b = konst(ty, ~0ull); break;
    case 3: *b = *a; break;
    case 4: *b = *a; *a = konst(ty, rand_value()); break;                    /* constant first */
    case 5: *b = konst(ty, edge[rndn(N_EDGE)]); break;
    default: *b = pick(ty); break;
    }
}

/* A guest address in the window, aligned for size. */
static IRTemp rand_addr(unsigned size)
{
    IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
    IRTemp a = pick(ty);
    if (rnd() & 1)
        return ir_addi(&blk, ir_andi(&blk, a, 0xe00), (rndn(0x1f8)) & ~(uint64_t)(size - 1));
    return ir_andi(&blk, a, 0xff8 & ~(uint64_t)(size - 1));
}

static IRMemOp rand_memop(IRType ty, bool load)
{
    IRMemOp mo = (IRMemOp)rndn(16);
    if (!load)
        mo &= ~(IRMemOp)IR_MO_SIGN;
    if (ty == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
        mo &= ~(IRMemOp)IR_MO_SIZE;
    return mo;
}

static const IROpcode bin_ops[] = {
    IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_andc, IR_OP_shl, IR_OP_shr,
    IR_OP_sar, IR_OP_rotl, IR_OP_rotr, IR_OP_divs, IR_OP_divu, IR_OP_rems, IR_OP_remu,
};
static const IROpcode un_ops[] = {
    IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz, IR_OP_bswap, IR_OP_ext8s, IR_OP_ext8u, IR_OP_ext16s,
    IR_OP_ext16u, IR_OP_mov,
};

/* One value op; returns its (first) output or NONE. */
static IRTemp gen_value_op(IRType ty, const GenOpts *o)
{
    unsigned kind = rndn(100);
    unsigned w = ty == IR_I32 ? 32 : 64;
    if (rndn(10) == 0) {
        /* a shift by a constant used once by the next op (a shifted
         * register operand, ARM's "add r0, r1, r2, lsl #2"): sometimes
         * of a value that dies there, sometimes also the other operand,
         * sometimes kept (then it cannot be folded) */
        static const IROpcode shifts[] = { IR_OP_shl, IR_OP_shr, IR_OP_sar, IR_OP_rotr, IR_OP_rotl };
        static const IROpcode users[] = { IR_OP_add, IR_OP_sub, IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_andc };
        IRTemp x = rndn(3) == 0 ? ir_op2(&blk, IR_OP_add, pick(ty), pick(ty)) : pick(ty);
        IRTemp t = ir_op2(&blk, shifts[rndn(5)], x, konst(ty, rndn(4) ? 1 + rndn(w - 1) : rndn(2 * w)));
        IRTemp y = rndn(5) == 0 ? x : pick(ty);
        IROpcode u = users[rndn(6)];
        if (rndn(6) == 0)
            add_val(t);
        return rndn(4) ? ir_op2(&blk, u, y, t) : ir_op2(&blk, u, t, y);
    }
    if (kind < 36) {
        IROpcode opc = bin_ops[rndn(16)];
        IRTemp b = rndn(3) == 0 ? konst(ty, rndn(3) ? edge[rndn(N_EDGE)] : rand_value()) : pick(ty);
        return ir_op2(&blk, opc, pick(ty), b);
    }
    if (kind < 44) {
        /* an op whose output is one of its inputs (a reassigned local) */
        IRTemp t = pick_local(ty);
        if (t == IR_TEMP_NONE)
            return IR_TEMP_NONE;
        IRTemp x = pick(ty);
        if (rnd() & 1)
            ir_op2_to(&blk, bin_ops[rndn(16)], t, t, x);
        else
            ir_op2_to(&blk, bin_ops[rndn(16)], t, x, t);
        return t;
    }
    if (kind < 54)
        return ir_op1(&blk, un_ops[rndn(10)], pick(ty));
    if (kind < 62) {
        unsigned pos = rndn(w), len = 1 + rndn(w - pos);
        if (rnd() & 1) {                                    /* the common shapes */
            static const unsigned lens[] = { 1, 8, 16, 32 };
            len = lens[rndn(ty == IR_I32 ? 3 : 4)];
            pos = rnd() & 1 ? 0 : rndn(w - len + 1);
        }
        IRTemp a = pick(ty);
        switch (rndn(3)) {
        case 0: return ir_extract(&blk, a, pos, len);
        case 1: return ir_sextract(&blk, a, pos, len);
        default: return ir_deposit(&blk, a, pick(ty), pos, len);
        }
    }
    if (kind < 66) {
        /* several comparisons of one pair (ARM's flags), ops in between
         * that may or may not disturb the flags or the operands, and
         * sometimes a branch on it too */
        IRTemp a, b;
        cmp_operands(ty, &a, &b);
        IRTemp r = IR_TEMP_NONE;
        for (unsigned n = 1 + rndn(3); n; n--) {
            r = ir_setcond(&blk, rand_cond(), a, b);
            add_val(r);
            if (rnd() & 1)
                ir_mov_to(&blk, global_of(ty), r);
            if (rndn(3) == 0) {
                IRTemp t = pick_local(ty);
                if (t != IR_TEMP_NONE && (t == a || t == b || rnd() & 1))
                    ir_op2_to(&blk, IR_OP_add, t, t, konst(ty, 1));
                else if ((t = gen_value_op(rnd() & 1 ? IR_I32 : IR_I64, o)) != IR_TEMP_NONE)
                    add_val(t);
            }
        }
        if (rnd() & 1) {
            unsigned l = ir_label_new(&blk);
            ir_brcond(&blk, rand_cond(), a, b, l);
            ir_mov_to(&blk, global_of(ty), konst(ty, rand_value()));
            ir_set_label(&blk, l);
        }
        return r;
    }
    if (kind < 74) {
        IRTemp a, b;
        cmp_operands(ty, &a, &b);
        if (rnd() & 1)
            return ir_setcond(&blk, rand_cond(), a, b);
        IRType vty = rnd() & 1 ? IR_I32 : IR_I64;
        IRTemp vt = pick(vty), vf = pick(vty);
        if (rndn(4) == 0) {                                 /* 1/-1 vs 0: CSET/CSETM */
            vt = konst(vty, rnd() & 1 ? 1 : ~0ull);
            vf = konst(vty, 0);
        }
        return ir_movcond(&blk, rand_cond(), a, b, vt, vf);
    }
    if (kind < 80) {
        IRTemp lo, hi;
        ir_mul2(&blk, rnd() & 1, &lo, &hi, pick(ty), pick(ty));
        add_val(lo);
        return hi;
    }
    if (kind < 88) {
        switch (rndn(4)) {
        case 0: return ir_extu_i32_i64(&blk, pick(IR_I32));
        case 1: return ir_exts_i32_i64(&blk, pick(IR_I32));
        case 2: return ir_extrl_i64_i32(&blk, pick(IR_I64));
        default: return ir_extrh_i64_i32(&blk, pick(IR_I64));
        }
    }
    if (kind < 94 || !o->mem) {
        /* a local copied and incremented (two definitions of one temp) */
        IRTemp t = ir_temp_new(&blk, ty);
        ir_mov_to(&blk, t, pick(ty));
        ir_op2_to(&blk, IR_OP_add, t, t, konst(ty, rand_value()));
        return t;
    }
    if (kind < 97)
        return ir_ld(&blk, ty, rand_addr(8), rand_memop(ty, true));
    IRMemOp mo = rand_memop(ty, false);
    ir_st(&blk, pick(ty), rand_addr(ir_memop_bytes(mo)), mo);
    return IR_TEMP_NONE;
}

typedef struct OpenLabel { unsigned label, close_at; Pools saved; } OpenLabel;

static void gen_block(const GenOpts *o)
{
    pools = (Pools){ 0 };
    rig_begin();
    for (int i = 0; i < 4; i++) {
        add_val(R[i]);
        add_val(X[i]);
    }
    unsigned n_ops = o->min_ops + rndn(o->max_ops - o->min_ops + 1);
    /* forward branches nest: each open label keeps the pools to restore
     * when it is placed (values defined in a region that may be skipped
     * are undefined after it) */
    OpenLabel open[4];
    unsigned n_open = 0;
    bool in_loop = false, loop_down = false;
    unsigned loop_label = 0, loop_end = 0;
    IRTemp loop_i = IR_TEMP_NONE, loop_n = IR_TEMP_NONE;
    for (unsigned i = 0; i < n_ops; i++) {
        IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
        unsigned kind = rndn(100);
        IRTemp r = IR_TEMP_NONE;
        if (rndn(8) == 0)
            ir_insn_start(&blk, 0x1000 + 4 * i);
        if (kind < 78) {
            r = gen_value_op(ty, o);
        } else if (kind < 86) {
            /* a global written: a constant, a value, or an op's result directly */
            IRTemp g = global_of(ty);
            if (rndn(3) == 0)
                ir_op2_to(&blk, bin_ops[rndn(16)], g, pick(ty), pick(ty));
            else
                ir_mov_to(&blk, g, pick(ty));
        } else if (kind < 96) {
            IRTemp a, b;
            cmp_operands(ty, &a, &b);
            if (n_open && rndn(3) == 0) {           /* a second way into an open label */
                ir_brcond(&blk, rand_cond(), a, b, open[n_open - 1].label);
            } else if (n_open < 4) {
                unsigned l = ir_label_new(&blk);
                unsigned close_at = i + 1 + rndn(12);
                if (n_open && close_at > open[n_open - 1].close_at)
                    close_at = open[n_open - 1].close_at;
                open[n_open].label = l;
                open[n_open].close_at = close_at;
                open[n_open].saved = pools;
                n_open++;
                unsigned how = rndn(10);
                if (how == 0) {
                    ir_br(&blk, l);
                } else {
                    ir_brcond(&blk, rand_cond(), a, b, l);
                    if (how == 1)
                        ir_exit_tb(&blk, (IRExitKind)rndn(3));
                }
            }
        } else if (kind < 99) {
            /* a counted loop (2 or 3 iterations) around the next ops:
             * up to a limit (LTU) or down to zero (NE 0: CBNZ) */
            if (!in_loop && n_open == 0) {
                IRType lt = rnd() & 1 ? IR_I32 : IR_I64;
                uint64_t n = 2 + rndn(2);
                loop_down = rnd() & 1;
                loop_i = ir_temp_new(&blk, lt);
                loop_n = konst(lt, n);
                ir_mov_to(&blk, loop_i, konst(lt, loop_down ? n : 0));
                loop_label = ir_label_new(&blk);
                ir_set_label(&blk, loop_label);
                in_loop = true;
                loop_end = i + 2 + rndn(10);
            }
        } else {
            ir_exit_check(&blk);
        }
        if (r != IR_TEMP_NONE)
            add_val(r);
        while (n_open && i >= open[n_open - 1].close_at) {
            n_open--;
            ir_set_label(&blk, open[n_open].label);
            pools = open[n_open].saved;
        }
        if (in_loop && n_open == 0 && (i >= loop_end || i + 1 == n_ops)) {
            IRType lt = ir_temp_type(&blk, loop_i);
            if (loop_down) {
                ir_op2_to(&blk, IR_OP_sub, loop_i, loop_i, konst(lt, 1));
                ir_brcond(&blk, IR_COND_NE, loop_i, konst(lt, 0), loop_label);
            } else {
                ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, konst(lt, 1));
                ir_brcond(&blk, IR_COND_LTU, loop_i, loop_n, loop_label);
            }
            in_loop = false;
        }
    }
    while (n_open) {
        n_open--;
        ir_set_label(&blk, open[n_open].label);
        pools = open[n_open].saved;
    }
    if (in_loop) {
        IRType lt = ir_temp_type(&blk, loop_i);
        ir_op2_to(&blk, IR_OP_add, loop_i, loop_i, konst(lt, 1));
        ir_brcond(&blk, IR_COND_LTU, loop_i, loop_n, loop_label);
    }
    if (o->pressure) {
        /* every value still in the pools reaches a global: all of them are
         * live up to here */
        for (unsigned k = 0; k < 2; k++)
            for (unsigned i = 0; i < pools.p[k].n; i++) {
                IRTemp g = k ? X[4 + i % 4] : R[8 + i % 8];
                ir_op2_to(&blk, (i & 1) ? IR_OP_xor : IR_OP_add, g, g, pools.p[k].t[i]);
            }
    } else {
        for (int i = 0; i < 4; i++) {
            ir_mov_to(&blk, R[8 + i], pick(IR_I32));
            ir_mov_to(&blk, X[4 + i], pick(IR_I64));
        }
    }
    ir_exit_tb(&blk, (IRExitKind)rndn(3));
}

/* ---- running a block both ways ------------------------------------------------ */

#define MEM_WINDOW 0x1000

static unsigned iters_scaled(unsigned n)
{
    uint64_t scale = env_u64("VEMU_RANDOM_ITERS", 0);
    return scale ? (unsigned)scale : n;
}

static void report(uint64_t seed, unsigned iter, const FakeCPU *init, const FakeCPU *interp, unsigned ik,
                   uintptr_t ret, const uint8_t *interp_mem)
{
    fprintf(stderr, "seed %#llx block %u differs (exit kind: backend %lu, interpreter %u)\n",
            (unsigned long long)seed, iter, (unsigned long)(ret & IR_EXIT_KIND_MASK), ik);
    for (int i = 0; i < 16; i++)
        if (rig_cpu.r[i] != interp->r[i])
            fprintf(stderr, "  r%d: backend %#x interpreter %#x (initial %#x)\n", i, rig_cpu.r[i], interp->r[i],
                    init->r[i]);
    for (int i = 0; i < 8; i++)
        if (rig_cpu.x[i] != interp->x[i])
            fprintf(stderr, "  x%d: backend %#llx interpreter %#llx (initial %#llx)\n", i,
                    (unsigned long long)rig_cpu.x[i], (unsigned long long)interp->x[i],
                    (unsigned long long)init->x[i]);
    for (unsigned i = 0; i < MEM_WINDOW; i++)
        if (rig_mem[i] != interp_mem[i])
            fprintf(stderr, "  mem[%#x]: backend %#x interpreter %#x\n", i, rig_mem[i], interp_mem[i]);
    ir_dump(&blk, stderr);
}

static void run_random(uint64_t seed_base, unsigned iters, const GenOpts *o, bool quick)
{
    static FakeCPU init_cpu, interp_cpu;
    static uint8_t init_mem[MEM_WINDOW], interp_mem[MEM_WINDOW];
    uint64_t seed = env_u64("VEMU_RANDOM_SEED", seed_base);
    rng_state = seed ? seed : 1;
    iters = iters_scaled(iters);
    for (unsigned iter = 0; iter < iters; iter++) {
        gen_block(o);
        blk.quick = quick;
        rig_reset_cpu();
        for (int i = 0; i < 16; i++)
            rig_cpu.r[i] = (uint32_t)rand_value();
        for (int i = 0; i < 8; i++)
            rig_cpu.x[i] = rand_value();
        for (unsigned i = 0; i < MEM_WINDOW; i++)
            init_mem[i] = (uint8_t)rnd();
        init_cpu = rig_cpu;

        interp_cpu = init_cpu;
        memcpy(interp_mem, init_mem, MEM_WINDOW);
        IRInterpEnv ienv = {
            .cpu = &interp_cpu, .guest_base = (uintptr_t)interp_mem,
            .exception_offset = offsetof(CPUCommon, exception_index),
            .exit_request_offset = offsetof(CPUCommon, exit_request),
        };
        unsigned ik = ir_interp(&blk, &ienv);

        memcpy(rig_mem, init_mem, MEM_WINDOW);
        uintptr_t ret = rig_run();
        bool same = (ret & IR_EXIT_KIND_MASK) == ik && (ret & ~(uintptr_t)IR_EXIT_KIND_MASK) == RIG_TAG &&
                    memcmp(rig_cpu.r, interp_cpu.r, sizeof(rig_cpu.r)) == 0 &&
                    memcmp(rig_cpu.x, interp_cpu.x, sizeof(rig_cpu.x)) == 0 &&
                    rig_cpu.guard == 0x5a5a5a5a && memcmp(rig_mem, interp_mem, MEM_WINDOW) == 0;
        if (!same) {
            report(seed, iter, &init_cpu, &interp_cpu, ik, ret, interp_mem);
            fail();
        }
    }
}

static void test_random_int(void **state)
{
    (void)state;
    GenOpts o = { .min_ops = 10, .max_ops = 120 };
    run_random(0x5eed0001, 3000, &o, false);
}

static void test_random_int_tier0(void **state)
{
    (void)state;
    GenOpts o = { .min_ops = 10, .max_ops = 120 };
    run_random(0x5eed0002, 1000, &o, true);
}

/* More live values than registers: spills and reloads everywhere. */
static void test_random_pressure(void **state)
{
    (void)state;
    GenOpts o = { .min_ops = 80, .max_ops = 200, .pressure = true };
    run_random(0x5eed0003, 600, &o, false);
}

static void test_random_mem(void **state)
{
    (void)state;
    GenOpts o = { .min_ops = 10, .max_ops = 120, .mem = true };
    run_random(0x5eed0004, 1500, &o, false);
}

/* Every binary op with every pair of edge constants and with registers
 * holding them, both widths: the immediate paths of each emitter. */
static void test_edge_pairs(void **state)
{
    (void)state;
    static FakeCPU interp_cpu;
    for (unsigned k = 0; k < 2; k++) {
        IRType ty = k ? IR_I64 : IR_I32;
        for (unsigned opi = 0; opi < 16; opi++) {
            for (unsigned ai = 0; ai < N_EDGE; ai += 7) {
                rig_begin();
                IRTemp va = konst(ty, edge[ai]);
                IRTemp ga = k ? X[0] : R[0];
                ir_mov_to(&blk, ga, va);                    /* a register holding edge[ai] */
                for (unsigned bi = 0; bi < N_EDGE; bi++) {
                    IRTemp vb = konst(ty, edge[bi]);
                    IRTemp g = k ? X[1 + bi % 7] : R[1 + bi % 15];
                    IRTemp t1 = ir_op2(&blk, bin_ops[opi], ga, vb);      /* reg op imm */
                    IRTemp t2 = ir_op2(&blk, bin_ops[opi], vb, ga);      /* imm op reg */
                    IRTemp t3 = ir_op2(&blk, bin_ops[opi], va, vb);      /* imm op imm */
                    ir_op2_to(&blk, IR_OP_xor, g, g, t1);
                    ir_op2_to(&blk, IR_OP_add, g, g, t2);
                    ir_op2_to(&blk, IR_OP_xor, g, g, t3);
                    IRCond c = (IRCond)(2 + (bi + opi) % (IR_COND_COUNT - 2));
                    ir_op2_to(&blk, IR_OP_add, g, g, ir_setcond(&blk, c, ga, vb));
                    ir_op2_to(&blk, IR_OP_add, g, g, ir_setcond(&blk, c, vb, ga));
                }
                ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
                rig_reset_cpu();
                interp_cpu = rig_cpu;
                IRInterpEnv ienv = {
                    .cpu = &interp_cpu, .guest_base = (uintptr_t)rig_mem,
                    .exception_offset = offsetof(CPUCommon, exception_index),
                    .exit_request_offset = offsetof(CPUCommon, exit_request),
                };
                unsigned ik = ir_interp(&blk, &ienv);
                uintptr_t ret = rig_run();
                if ((ret & IR_EXIT_KIND_MASK) != ik || memcmp(rig_cpu.r, interp_cpu.r, sizeof(rig_cpu.r)) ||
                    memcmp(rig_cpu.x, interp_cpu.x, sizeof(rig_cpu.x))) {
                    report(0, opi, &interp_cpu, &interp_cpu, ik, ret, rig_mem);
                    fail();
                }
            }
        }
    }
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

static int teardown(void **state)
{
    (void)state;
    free(rig_mem);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_pairs),
        cmocka_unit_test(test_random_int),
        cmocka_unit_test(test_random_int_tier0),
        cmocka_unit_test(test_random_pressure),
        cmocka_unit_test(test_random_mem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
