/*
 * ir-core.c — the op table, temps, and the generic op emitter.
 */
#include <stdlib.h>
#include <string.h>

#include "ir-opt-internal.h"

const IROpDef ir_op_defs[IR_OP_COUNT] = {
#define OP(name, nout, nin, nconst, flags) [IR_OP_##name] = { #name, nout, nin, nconst, flags },
#include "ir-ops.def"
#undef OP
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("vemu: out of memory\n", stderr);
        abort();
    }
    return q;
}

IRTemp ir_global_new(IRGlobalSet *gs, IRType type, uint32_t offset, const char *name)
{
    if (gs->n >= IR_MAX_GLOBALS) {
        fputs("vemu: too many IR globals\n", stderr);
        abort();
    }
    IRTempInfo *g = &gs->g[gs->n];
    memset(g, 0, sizeof(*g));
    g->kind = IR_TEMP_GLOBAL;
    g->type = type;
    g->offset = offset;
    g->name = name;
    static uint32_t serials;
    gs->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
    return gs->n++;
}

/* Storage of ops and temps: the heap, or the work regions, which never
 * move: growing is populating more of them, and the capacity is what is
 * populated (after a fork, where they are wiped, it starts small again). */
static void grow_ops(IRBlock *b, unsigned cap)
{
    if (b->work) {
        size_t usable;
        b->ops = ir_work_ops((size_t)cap * sizeof(*b->ops), &usable);
        if (!b->ops) {
            fputs("vemu: out of memory (IR ops)\n", stderr);
            abort();
        }
        b->cap_ops = (unsigned)(usable / sizeof(*b->ops));
    } else {
        b->ops = xrealloc(b->ops, (size_t)cap * sizeof(*b->ops));
        b->cap_ops = cap;
    }
}

static void grow_temps(IRBlock *b, unsigned cap)
{
    if (b->work) {
        size_t usable;
        b->temps = ir_work_temps((size_t)cap * sizeof(*b->temps), &usable);
        if (!b->temps) {
            fputs("vemu: out of memory (IR temps)\n", stderr);
            abort();
        }
        b->cap_temps = (unsigned)(usable / sizeof(*b->temps));
    } else {
        b->temps = xrealloc(b->temps, (size_t)cap * sizeof(*b->temps));
        b->cap_temps = cap;
    }
}

void ir_block_reset(IRBlock *b, uint64_t guest_pc)
{
    const IRGlobalSet *gs = b->globals;
    b->n_ops = 0;
    b->n_labels = 0;
    b->n_insns = 0;
    b->guest_pc = guest_pc;
    b->guest_lo = guest_pc;
    b->precise = false;
    b->quick = false;
    b->exit_hook = NULL;
    b->exit_hook_opaque = NULL;
    b->in_exit_hook = false;
    b->n_globals = gs ? gs->n : 0;
    if (b->work) {
        /* what is populated now (less after a fork): grown on demand */
        grow_ops(b, 1);
        grow_temps(b, b->n_globals + 64);
    } else if (b->cap_temps < b->n_globals + 64) {
        grow_temps(b, b->n_globals + 256);
    }
    /* The globals' temps with the lazy-at-fault ones numbered (for
     * IROp.fault_reads), prepared once per global set and thread: this
     * runs for every block, and a frontend has some hundred globals. */
    static __thread const IRGlobalSet *prep_gs;
    static __thread unsigned prep_n;
    static __thread uint32_t prep_serial;
    static __thread uint8_t prep_n_lazy, prep_lazy[IR_MAX_LAZY_GLOBALS];
    static __thread IRTempInfo prep[IR_MAX_GLOBALS];
    if (gs && (gs != prep_gs || gs->n != prep_n || gs->serial != prep_serial)) {
        memcpy(prep, gs->g, gs->n * sizeof(*prep));
        unsigned lazy = 0;
        for (unsigned g = 0; g < gs->n; g++) {
            IRTempInfo *ti = &prep[g];
            if (!(ti->gflags & IR_GLOBAL_LAZY_AT_FAULT))
                continue;
            if (lazy == IR_MAX_LAZY_GLOBALS) {
                ti->gflags &= ~IR_GLOBAL_LAZY_AT_FAULT;
            } else {
                ti->lazy_bit = lazy;
                prep_lazy[lazy++] = (uint8_t)g;
            }
        }
        prep_n_lazy = (uint8_t)lazy;
        prep_gs = gs;
        prep_n = gs->n;
        prep_serial = gs->serial;
    }
    b->n_lazy = 0;
    if (gs) {
        memcpy(b->temps, prep, gs->n * sizeof(*b->temps));
        b->n_lazy = prep_n_lazy;
        memcpy(b->lazy_g, prep_lazy, sizeof(b->lazy_g));
    }
    b->n_temps = b->n_globals;
}

void ir_block_init(IRBlock *b, const IRGlobalSet *gs, uint64_t guest_pc)
{
    memset(b, 0, sizeof(*b));
    b->globals = gs;
    ir_block_reset(b, guest_pc);
}

void ir_block_init_work(IRBlock *b, const IRGlobalSet *gs, uint64_t guest_pc)
{
    memset(b, 0, sizeof(*b));
    b->globals = gs;
    size_t usable;
    b->work = ir_work_ops(sizeof(IROp), &usable) && ir_work_temps(sizeof(IRTempInfo), &usable);
    ir_block_reset(b, guest_pc);
}

void ir_block_free(IRBlock *b)
{
    if (!b->work) {          /* the work regions stay the thread's */
        free(b->ops);
        free(b->temps);
    }
    memset(b, 0, sizeof(*b));
}

static IRTemp temp_alloc(IRBlock *b)
{
    if (b->n_temps == b->cap_temps)
        grow_temps(b, b->cap_temps ? b->cap_temps * 2 : 256);
    IRTemp t = b->n_temps++;
    memset(&b->temps[t], 0, sizeof(b->temps[t]));
    return t;
}

IRTemp ir_temp_new(IRBlock *b, IRType type)
{
    IRTemp t = temp_alloc(b);
    b->temps[t].kind = IR_TEMP_LOCAL;
    b->temps[t].type = type;
    return t;
}

static bool is_const_of(const IRBlock *b, IRTemp t, IRType type, uint64_t value)
{
    const IRTempInfo *ti = &b->temps[t];
    return ti->kind == IR_TEMP_CONST && ti->type == type && ti->value == value;
}

static IRTemp const_new(IRBlock *b, IRType type, uint64_t value)
{
    IRTemp t = temp_alloc(b);
    b->temps[t].kind = IR_TEMP_CONST;
    b->temps[t].type = type;
    b->temps[t].value = value;
    return t;
}

IRTemp ir_const(IRBlock *b, IRType type, uint64_t value)
{
    if (type == IR_I32)
        value = (uint32_t)value;
    if (b->quick) {
        /* Tier 0: one probe of a small table of the constants made so far
         * (the search below cost 780 instructions a block).  An entry
         * may be left from another block: it is used only when it names
         * a constant of this block with the same type and value, which
         * is then as good as a new one.  Tier 1 keeps the search, so that
         * its temps, and its logs, stay as they were. */
        static __thread IRTemp recent[64];
        unsigned h = (unsigned)((value * 0x9e3779b97f4a7c15ull) >> 58) ^ (unsigned)type;
        IRTemp r = recent[h];
        if (r >= b->n_globals && r < b->n_temps && is_const_of(b, r, type, value))
            return r;
        return recent[h] = const_new(b, type, value);
    }
    /* Reuse a recent identical constant: keeps blocks small without a hash. */
    unsigned lo = b->n_temps > 16 + b->n_globals ? b->n_temps - 16 : b->n_globals;
    for (unsigned i = b->n_temps; i-- > lo;)
        if (is_const_of(b, i, type, value))
            return i;
    return const_new(b, type, value);
}

unsigned ir_label_new(IRBlock *b)
{
    return b->n_labels++;
}

void ir_ops_reserve(IRBlock *b, unsigned n)
{
    if (n <= b->cap_ops)
        return;
    unsigned cap = b->cap_ops ? b->cap_ops : 512;
    while (cap < n)
        cap *= 2;
    grow_ops(b, cap);
}

static IROp *op_alloc(IRBlock *b)
{
    if (b->n_ops == b->cap_ops)
        grow_ops(b, b->cap_ops ? b->cap_ops * 2 : 512);
    /* No memset: the callers set the header and every argument the
     * counts cover, and nothing reads past them. */
    return &b->ops[b->n_ops++];
}

static bool hooked(const IRBlock *b, IROpcode opc)
{
    if (!b->exit_hook || b->in_exit_hook)
        return false;
    switch (opc) {
    case IR_OP_call: case IR_OP_goto_tb: case IR_OP_exit_tb: case IR_OP_goto_lookup:
    case IR_OP_goto_lookup_pc: case IR_OP_raise:
        return true;
    default:
        return false;
    }
}

static void run_hook(IRBlock *b, IROpcode opc, int phase)
{
    b->in_exit_hook = true;
    b->exit_hook(b, opc, phase, b->exit_hook_opaque);
    b->in_exit_hook = false;
}

static unsigned emit_op(IRBlock *b, IROpcode opc, const uint64_t *args);

unsigned ir_emit(IRBlock *b, IROpcode opc, const uint64_t *args)
{
    if (!hooked(b, opc))
        return emit_op(b, opc, args);
    run_hook(b, opc, IR_HOOK_BEFORE);
    unsigned i = emit_op(b, opc, args);
    run_hook(b, opc, IR_HOOK_AFTER);
    return i;
}

static unsigned emit_op(IRBlock *b, IROpcode opc, const uint64_t *args)
{
    const IROpDef *d = &ir_op_defs[opc];
    IROp *op = op_alloc(b);
    op->fault_reads = 0;
    memset(op->pad, 0, sizeof(op->pad));
    op->opc = opc;
    op->n_out = d->n_out;
    op->n_in = d->n_in;
    op->n_const = d->n_const;
    /* At most IR_MAX_ARGS words: copied inline (a memcpy call of a
     * variable size cost more than the copy, for every op of every block) */
    uint64_t *dst = op->args;
    switch (d->n_out + d->n_in + d->n_const) {
    case 10: dst[9] = args[9]; /* fallthrough */
    case 9: dst[8] = args[8]; /* fallthrough */
    case 8: dst[7] = args[7]; /* fallthrough */
    case 7: dst[6] = args[6]; /* fallthrough */
    case 6: dst[5] = args[5]; /* fallthrough */
    case 5: dst[4] = args[4]; /* fallthrough */
    case 4: dst[3] = args[3]; /* fallthrough */
    case 3: dst[2] = args[2]; /* fallthrough */
    case 2: dst[1] = args[1]; /* fallthrough */
    case 1: dst[0] = args[0]; /* fallthrough */
    default: break;
    }
    if (opc == IR_OP_insn_start)
        b->n_insns++;
    return (unsigned)(op - b->ops);
}

void ir_call(IRBlock *b, const IRHelper *h, IRTemp out, const IRTemp *in)
{
    bool hook = hooked(b, IR_OP_call);
    if (hook)
        run_hook(b, IR_OP_call, IR_HOOK_BEFORE);
    IROp *op = op_alloc(b);
    unsigned k = 0;
    op->fault_reads = 0;
    memset(op->pad, 0, sizeof(op->pad));
    op->opc = IR_OP_call;
    op->n_out = out != IR_TEMP_NONE;
    op->n_in = h->n_args;
    op->n_const = 1;
    if (out != IR_TEMP_NONE)
        op->args[k++] = out;
    for (unsigned i = 0; i < h->n_args; i++)
        op->args[k++] = in[i];
    op->args[k] = (uint64_t)(uintptr_t)h;
    if (hook)
        run_hook(b, IR_OP_call, IR_HOOK_AFTER);
}

/* ---- conditions ----------------------------------------------------------- */

static const char *const cond_names[IR_COND_COUNT] = {
    "never", "always", "eq", "ne", "lt", "ge", "le", "gt",
    "ltu", "geu", "leu", "gtu", "tsteq", "tstne",
};

const char *ir_cond_name(IRCond c)
{
    return c < IR_COND_COUNT ? cond_names[c] : "?";
}

IRCond ir_cond_invert(IRCond c)
{
    static const IRCond inv[IR_COND_COUNT] = {
        [IR_COND_NEVER] = IR_COND_ALWAYS, [IR_COND_ALWAYS] = IR_COND_NEVER,
        [IR_COND_EQ] = IR_COND_NE, [IR_COND_NE] = IR_COND_EQ,
        [IR_COND_LT] = IR_COND_GE, [IR_COND_GE] = IR_COND_LT,
        [IR_COND_LE] = IR_COND_GT, [IR_COND_GT] = IR_COND_LE,
        [IR_COND_LTU] = IR_COND_GEU, [IR_COND_GEU] = IR_COND_LTU,
        [IR_COND_LEU] = IR_COND_GTU, [IR_COND_GTU] = IR_COND_LEU,
        [IR_COND_TSTEQ] = IR_COND_TSTNE, [IR_COND_TSTNE] = IR_COND_TSTEQ,
    };
    return inv[c];
}

IRCond ir_cond_swap(IRCond c)
{
    static const IRCond sw[IR_COND_COUNT] = {
        [IR_COND_NEVER] = IR_COND_NEVER, [IR_COND_ALWAYS] = IR_COND_ALWAYS,
        [IR_COND_EQ] = IR_COND_EQ, [IR_COND_NE] = IR_COND_NE,
        [IR_COND_LT] = IR_COND_GT, [IR_COND_GE] = IR_COND_LE,
        [IR_COND_LE] = IR_COND_GE, [IR_COND_GT] = IR_COND_LT,
        [IR_COND_LTU] = IR_COND_GTU, [IR_COND_GEU] = IR_COND_LEU,
        [IR_COND_LEU] = IR_COND_GEU, [IR_COND_GTU] = IR_COND_LTU,
        [IR_COND_TSTEQ] = IR_COND_TSTEQ, [IR_COND_TSTNE] = IR_COND_TSTNE,
    };
    return sw[c];
}

bool ir_cond_eval(IRCond c, uint64_t a, uint64_t b, IRType t)
{
    int64_t sa, sb;
    if (t == IR_I32) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)a;
        sb = (int32_t)b;
    } else {
        sa = (int64_t)a;
        sb = (int64_t)b;
    }
    switch (c) {
    case IR_COND_NEVER: return false;
    case IR_COND_ALWAYS: return true;
    case IR_COND_EQ: return a == b;
    case IR_COND_NE: return a != b;
    case IR_COND_LT: return sa < sb;
    case IR_COND_GE: return sa >= sb;
    case IR_COND_LE: return sa <= sb;
    case IR_COND_GT: return sa > sb;
    case IR_COND_LTU: return a < b;
    case IR_COND_GEU: return a >= b;
    case IR_COND_LEU: return a <= b;
    case IR_COND_GTU: return a > b;
    case IR_COND_TSTEQ: return (a & b) == 0;
    case IR_COND_TSTNE: return (a & b) != 0;
    default: return false;
    }
}
