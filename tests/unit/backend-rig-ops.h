/*
 * backend-rig-ops.h — the IR's integer ops restated independently of the
 * IR interpreter, and checks that run one op through the rig's backend in
 * every operand form (globals, constants, dying locals, the same temp
 * twice, in place).  Include after backend-rig.h (or x86-backend-rig.h).
 */
#ifndef VEMU_BACKEND_RIG_OPS_H
#define VEMU_BACKEND_RIG_OPS_H

static const uint64_t vals[] = {
    0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x1234, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x100000000ull,
    0x123456789abcdef0ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xfffffffffffffffeull, ~0ull,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

static inline uint64_t tmask(IRType t) { return t == IR_I32 ? 0xffffffffull : ~0ull; }

/* The IR's semantics, restated (see ir-ops.def). */
static inline uint64_t ref_op(IROpcode opc, IRType t, uint64_t a, uint64_t b)
{
    unsigned w = t == IR_I32 ? 32 : 64;
    uint64_t m = tmask(t);
    a &= m;
    b &= m;
    int64_t sa = w == 32 ? (int64_t)(int32_t)a : (int64_t)a;
    int64_t sb = w == 32 ? (int64_t)(int32_t)b : (int64_t)b;
    unsigned sh = (unsigned)(b & (w - 1));
    uint64_t r = 0;
    switch (opc) {
    case IR_OP_add: r = a + b; break;
    case IR_OP_sub: r = a - b; break;
    case IR_OP_mul: r = a * b; break;
    case IR_OP_and: r = a & b; break;
    case IR_OP_or: r = a | b; break;
    case IR_OP_xor: r = a ^ b; break;
    case IR_OP_andc: r = a & ~b; break;
    case IR_OP_shl: r = a << sh; break;
    case IR_OP_shr: r = a >> sh; break;
    case IR_OP_sar: r = (uint64_t)(sa >> sh); break;
    case IR_OP_rotl: r = sh ? (a << sh) | (a >> (w - sh)) : a; break;
    case IR_OP_rotr: r = sh ? (a >> sh) | (a << (w - sh)) : a; break;
    case IR_OP_divu: r = b ? a / b : 0; break;
    case IR_OP_remu: r = b ? a % b : a; break;
    case IR_OP_divs: r = !b ? 0 : sb == -1 ? 0 - a : (uint64_t)(sa / sb); break;
    case IR_OP_rems: r = !b ? a : sb == -1 ? 0 : (uint64_t)(sa % sb); break;
    case IR_OP_neg: r = 0 - a; break;
    case IR_OP_not: r = ~a; break;
    case IR_OP_clz: r = a ? (unsigned)__builtin_clzll(a) - (64 - w) : w; break;
    case IR_OP_ctz: r = a ? (unsigned)__builtin_ctzll(a) : w; break;
    case IR_OP_bswap: r = w == 32 ? __builtin_bswap32((uint32_t)a) : __builtin_bswap64(a); break;
    case IR_OP_ext8s: r = (uint64_t)(int64_t)(int8_t)a; break;
    case IR_OP_ext8u: r = (uint8_t)a; break;
    case IR_OP_ext16s: r = (uint64_t)(int64_t)(int16_t)a; break;
    case IR_OP_ext16u: r = (uint16_t)a; break;
    case IR_OP_mov: r = a; break;
    default: fail();
    }
    return r & m;
}

static inline uint64_t get_g(IRType t, int i) { return t == IR_I32 ? rig_cpu.r[i] : rig_cpu.x[i]; }
static inline void set_g(IRType t, int i, uint64_t v)
{
    if (t == IR_I32)
        rig_cpu.r[i] = (uint32_t)v;
    else
        rig_cpu.x[i] = v;
}
static inline IRTemp G(IRType t, int i) { return t == IR_I32 ? R[i] : X[i]; }

#define EXPECT_EQ(got, want, fmt, ...)                                                               \
    do {                                                                                             \
        uint64_t g_ = (got), w_ = (want);                                                            \
        if (g_ != w_) {                                                                              \
            fprintf(stderr, "got %#llx want %#llx: " fmt "\n", (unsigned long long)g_,               \
                    (unsigned long long)w_, __VA_ARGS__);                                            \
            ir_dump(&blk, stderr);                                                                   \
            fail();                                                                                  \
        }                                                                                            \
    } while (0)

static inline void check_binop(IROpcode opc, IRType t, uint64_t a, uint64_t b)
{
    const char *name = ir_op_defs[opc].name;
    const char *tn = t == IR_I32 ? "i32" : "i64";
    for (int form = 0; form < 6; form++) {
        uint64_t want = ref_op(opc, t, a, b);
        rig_reset_cpu();
        set_g(t, 1, a);
        set_g(t, 2, b);
        set_g(t, 0, 0xdeadbeefcafef00dull);
        rig_begin();
        int out = 0;
        switch (form) {
        case 0: ir_op2_to(&blk, opc, G(t, 0), G(t, 1), G(t, 2)); break;
        case 1: ir_mov_to(&blk, G(t, 0), ir_op2(&blk, opc, G(t, 1), ir_const(&blk, t, b))); break;
        case 2: ir_op2_to(&blk, opc, G(t, 0), ir_const(&blk, t, a), G(t, 2)); break;
        case 3: {
            IRTemp la = ir_mov(&blk, G(t, 1)), lb = ir_mov(&blk, G(t, 2));
            ir_mov_to(&blk, G(t, 0), ir_op2(&blk, opc, la, lb));
            break;
        }
        case 4: ir_op2_to(&blk, opc, G(t, 1), G(t, 1), G(t, 2)); out = 1; break;
        case 5: {
            IRTemp la = ir_mov(&blk, G(t, 1));
            ir_mov_to(&blk, G(t, 0), ir_op2(&blk, opc, la, la));
            want = ref_op(opc, t, a, a);
            break;
        }
        }
        uintptr_t ret = rig_finish();
        assert_int_equal(ret, RIG_TAG | IR_EXIT_NOCHAIN);
        EXPECT_EQ(get_g(t, out), want, "%s %s form %d a=%#llx b=%#llx", name, tn, form,
                  (unsigned long long)a, (unsigned long long)b);
        assert_int_equal(rig_cpu.guard, 0x5a5a5a5a);
        if (out != 1)
            EXPECT_EQ(get_g(t, 1), a & tmask(t), "%s input clobbered", name);
    }
}

static inline void check_unop(IROpcode opc, IRType t, uint64_t a)
{
    for (int form = 0; form < 4; form++) {
        uint64_t want = ref_op(opc, t, a, 0);
        rig_reset_cpu();
        set_g(t, 1, a);
        rig_begin();
        int out = 0;
        switch (form) {
        case 0: ir_op1_to(&blk, opc, G(t, 0), G(t, 1)); break;
        case 1: ir_op1_to(&blk, opc, G(t, 0), ir_const(&blk, t, a)); break;
        case 2: ir_mov_to(&blk, G(t, 0), ir_op1(&blk, opc, ir_mov(&blk, G(t, 1)))); break;
        case 3: ir_op1_to(&blk, opc, G(t, 1), G(t, 1)); out = 1; break;
        }
        rig_finish();
        EXPECT_EQ(get_g(t, out), want, "%s %s form %d a=%#llx", ir_op_defs[opc].name,
                  t == IR_I32 ? "i32" : "i64", form, (unsigned long long)a);
    }
}

#endif
