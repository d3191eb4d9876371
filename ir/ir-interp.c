/*
 * ir-interp.c — the reference interpreter for IR blocks.
 *
 * exec runs blocks here when no backend is selected, and backend tests use
 * it as the oracle: whatever a backend computes must equal what this file
 * computes.  So it favours obviousness over speed, but it is still careful
 * not to allocate: locals live in a VLA on the stack, which also keeps it
 * safe to leave with siglongjmp (guest faults, helpers raising exceptions).
 *
 * Value semantics of the arithmetic ops come from ir-eval.h, shared with
 * the constant folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir-eval.h"
#include "ir.h"

typedef uint64_t (*IRHelperFn0)(void);
typedef uint64_t (*IRHelperFn1)(uint64_t);
typedef uint64_t (*IRHelperFn2)(uint64_t, uint64_t);
typedef uint64_t (*IRHelperFn3)(uint64_t, uint64_t, uint64_t);
typedef uint64_t (*IRHelperFn4)(uint64_t, uint64_t, uint64_t, uint64_t);
typedef uint64_t (*IRHelperFn5)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
typedef uint64_t (*IRHelperFn6)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
typedef uint64_t (*IRHelperFn7)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

typedef struct Interp {
    const IRBlock *b;
    const IRInterpEnv *env;
    uint64_t *vals;          /* locals */
} Interp;

static uint64_t read_temp(const Interp *in, IRTemp t)
{
    const IRTempInfo *ti = &in->b->temps[t];
    switch (ti->kind) {
    case IR_TEMP_CONST:
        return ti->value;
    case IR_TEMP_GLOBAL: {
        const uint8_t *p = (const uint8_t *)in->env->cpu + ti->offset;
        if (ti->type == IR_I32) {
            uint32_t v;
            memcpy(&v, p, 4);
            return v;
        }
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    default:
        return in->vals[t];
    }
}

static void write_temp(Interp *in, IRTemp t, uint64_t v)
{
    const IRTempInfo *ti = &in->b->temps[t];
    if (ti->kind == IR_TEMP_GLOBAL) {
        uint8_t *p = (uint8_t *)in->env->cpu + ti->offset;
        if (ti->type == IR_I32) {
            uint32_t v32 = (uint32_t)v;
            memcpy(p, &v32, 4);
        } else {
            memcpy(p, &v, 8);
        }
    } else {
        in->vals[t] = ti->type == IR_I32 ? (uint32_t)v : v;
    }
}

/* Raw little-endian access of 1 << size bytes at host address p. */
static uint64_t load_raw(const void *p, unsigned size)
{
    switch (size) {
    case IR_MO_8: return *(const uint8_t *)p;
    case IR_MO_16: { uint16_t v; memcpy(&v, p, 2); return v; }
    case IR_MO_32: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static void store_raw(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case IR_MO_8: *(uint8_t *)p = (uint8_t)v; break;
    case IR_MO_16: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case IR_MO_32: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

/* Host address of a guest address held in temp t: i32 addresses wrap at 4 GiB. */
static void *guest_addr(const Interp *in, IRTemp t, IRMemOp mo, bool is_write, uint64_t *guest)
{
    uint64_t a = read_temp(in, t);
    if (ir_temp_type(in->b, t) == IR_I32)
        a = (uint32_t)a;
    *guest = a;
    if ((a & ir_memop_align_mask(mo)) && in->env->unaligned)
        in->env->unaligned(in->env->cpu, a, is_write);
    return (void *)(in->env->guest_base + (uintptr_t)a);
}

static uint64_t do_cmpxchg(void *p, IRMemOp mo, uint64_t expect, uint64_t newv)
{
    unsigned size = mo & IR_MO_SIZE;
    uint64_t e = ir_memop_store_value(mo, expect);
    uint64_t n = ir_memop_store_value(mo, newv);
    if ((uintptr_t)p & (ir_memop_bytes(mo) - 1)) {
        /* A misaligned host atomic is not portable: guests that need
         * atomicity use aligned addresses (or set IR_MO_ALIGN). */
        uint64_t old = load_raw(p, size);
        if (old == e)
            store_raw(p, size, n);
        return old;
    }
    switch (size) {
    case IR_MO_8: {
        uint8_t x = (uint8_t)e;
        __atomic_compare_exchange_n((uint8_t *)p, &x, (uint8_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return x;
    }
    case IR_MO_16: {
        uint16_t x = (uint16_t)e;
        __atomic_compare_exchange_n((uint16_t *)p, &x, (uint16_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return x;
    }
    case IR_MO_32: {
        uint32_t x = (uint32_t)e;
        __atomic_compare_exchange_n((uint32_t *)p, &x, (uint32_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return x;
    }
    default: {
        uint64_t x = e;
        __atomic_compare_exchange_n((uint64_t *)p, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return x;
    }
    }
}

static uint64_t call_helper(const Interp *in, const IROp *op, const IRHelper *h)
{
    uint64_t a[IR_HELPER_MAX_ARGS + 1];
    unsigned n = 0;
    if (h->flags & IR_HELPER_PASS_ENV)
        a[n++] = (uint64_t)(uintptr_t)in->env->cpu;
    for (unsigned i = 0; i < op->n_in; i++)
        a[n++] = read_temp(in, ir_op_in(op, i));
    /* Every helper argument and result is a uint32_t or uint64_t (ir.h); on
     * the supported hosts those are passed in 64-bit registers, so calling
     * through a uint64_t prototype of the same arity is what generated code
     * does too.  The result of an i32 helper is truncated below. */
    void *f = h->fn;
    switch (n) {
    case 0: return ((IRHelperFn0)f)();
    case 1: return ((IRHelperFn1)f)(a[0]);
    case 2: return ((IRHelperFn2)f)(a[0], a[1]);
    case 3: return ((IRHelperFn3)f)(a[0], a[1], a[2]);
    case 4: return ((IRHelperFn4)f)(a[0], a[1], a[2], a[3]);
    case 5: return ((IRHelperFn5)f)(a[0], a[1], a[2], a[3], a[4]);
    case 6: return ((IRHelperFn6)f)(a[0], a[1], a[2], a[3], a[4], a[5]);
    default: return ((IRHelperFn7)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    }
}

static void store_exception(const Interp *in, int32_t excp)
{
    memcpy((uint8_t *)in->env->cpu + in->env->exception_offset, &excp, 4);
}

unsigned ir_interp(const IRBlock *b, const IRInterpEnv *env)
{
    uint64_t vals[b->n_temps ? b->n_temps : 1];
    unsigned label_pos[b->n_labels ? b->n_labels : 1];
    Interp in = { .b = b, .env = env, .vals = vals };

    memset(vals, 0, sizeof(vals));
    for (unsigned i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc == IR_OP_label)
            label_pos[ir_op_const(&b->ops[i], 0)] = i;

    for (unsigned pc = 0; pc < b->n_ops; pc++) {
        const IROp *op = &b->ops[pc];
        const IROpcode opc = (IROpcode)op->opc;

        switch (opc) {
        case IR_OP_nop:
        case IR_OP_label:
        case IR_OP_discard:
        case IR_OP_goto_tb:     /* unpatched: falls through to pc update + exit_tb */
            break;

        case IR_OP_mulu2:
        case IR_OP_muls2: {
            IRTemp x = ir_op_in(op, 0);
            uint64_t lo, hi;
            ir_eval_mul2(opc == IR_OP_muls2, ir_temp_type(b, x), read_temp(&in, x),
                         read_temp(&in, ir_op_in(op, 1)), &lo, &hi);
            write_temp(&in, ir_op_out(op, 0), lo);
            write_temp(&in, ir_op_out(op, 1), hi);
            break;
        }

        case IR_OP_setcond: {
            IRTemp x = ir_op_in(op, 0);
            bool c = ir_cond_eval((IRCond)ir_op_const(op, 0), read_temp(&in, x),
                                  read_temp(&in, ir_op_in(op, 1)), ir_temp_type(b, x));
            write_temp(&in, ir_op_out(op, 0), c);
            break;
        }
        case IR_OP_movcond: {
            IRTemp x = ir_op_in(op, 0);
            bool c = ir_cond_eval((IRCond)ir_op_const(op, 0), read_temp(&in, x),
                                  read_temp(&in, ir_op_in(op, 1)), ir_temp_type(b, x));
            write_temp(&in, ir_op_out(op, 0), read_temp(&in, ir_op_in(op, c ? 2 : 3)));
            break;
        }

        case IR_OP_brcond: {
            IRTemp x = ir_op_in(op, 0);
            if (ir_cond_eval((IRCond)ir_op_const(op, 0), read_temp(&in, x),
                             read_temp(&in, ir_op_in(op, 1)), ir_temp_type(b, x)))
                pc = label_pos[ir_op_const(op, 1)];
            break;
        }
        case IR_OP_br:
            pc = label_pos[ir_op_const(op, 0)];
            break;

        case IR_OP_ld: {
            IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
            uint64_t ga;
            void *p = guest_addr(&in, ir_op_in(op, 0), mo, false, &ga);
            IRTemp out = ir_op_out(op, 0);
            uint64_t raw = env->mem ? env->mem->ld(env->cpu, ga, mo) : load_raw(p, mo & IR_MO_SIZE);
            write_temp(&in, out, ir_memop_extend(mo, raw, ir_temp_type(b, out)));
            break;
        }
        case IR_OP_st: {
            IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
            uint64_t v = read_temp(&in, ir_op_in(op, 0)), ga;
            void *p = guest_addr(&in, ir_op_in(op, 1), mo, true, &ga);
            if (env->mem)
                env->mem->st(env->cpu, ga, ir_memop_store_value(mo, v), mo);
            else
                store_raw(p, mo & IR_MO_SIZE, ir_memop_store_value(mo, v));
            break;
        }
        case IR_OP_cmpxchg: {
            IRMemOp mo = (IRMemOp)ir_op_const(op, 0);
            uint64_t ga;
            void *p = guest_addr(&in, ir_op_in(op, 0), mo, true, &ga);
            uint64_t old = env->mem ? env->mem->cmpxchg(env->cpu, ga, ir_memop_store_value(mo, read_temp(&in, ir_op_in(op, 1))),
                                                         ir_memop_store_value(mo, read_temp(&in, ir_op_in(op, 2))), mo)
                                    : do_cmpxchg(p, mo, read_temp(&in, ir_op_in(op, 1)), read_temp(&in, ir_op_in(op, 2)));
            IRTemp out = ir_op_out(op, 0);
            write_temp(&in, out, ir_memop_extend(mo, old, ir_temp_type(b, out)));
            break;
        }
        case IR_OP_mb:
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            break;

        case IR_OP_ld_env: {
            IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
            const uint8_t *p = (const uint8_t *)env->cpu + ir_op_const(op, 0);
            IRTemp out = ir_op_out(op, 0);
            write_temp(&in, out, ir_memop_extend(mo, load_raw(p, mo & IR_MO_SIZE), ir_temp_type(b, out)));
            break;
        }
        case IR_OP_st_env: {
            IRMemOp mo = (IRMemOp)ir_op_const(op, 1);
            uint8_t *p = (uint8_t *)env->cpu + ir_op_const(op, 0);
            store_raw(p, mo & IR_MO_SIZE, ir_memop_store_value(mo, read_temp(&in, ir_op_in(op, 0))));
            break;
        }

        case IR_OP_call: {
            const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
            uint64_t r = call_helper(&in, op, h);
            if (op->n_out)
                write_temp(&in, ir_op_out(op, 0), r);   /* truncates i32 results */
            break;
        }

        case IR_OP_insn_start:
            if (env->insn_data)
                for (unsigned w = 0; w < IR_INSN_DATA_WORDS; w++)
                    env->insn_data[w] = ir_op_const(op, w);
            break;
        case IR_OP_exit_check: {
            const int32_t *req = (const int32_t *)((const uint8_t *)env->cpu + env->exit_request_offset);
            if (__atomic_load_n(req, __ATOMIC_RELAXED)) {
                store_exception(&in, IR_EXCP_EXIT_REQUEST);
                return IR_EXIT_EXCEPTION;
            }
            break;
        }
        case IR_OP_tier_count: {
            int32_t *count = (int32_t *)((uint8_t *)env->cpu + (int32_t)ir_op_const(op, 0));
            if (--*count <= 0) {
                store_exception(&in, IR_EXCP_EXIT_REQUEST);
                return IR_EXIT_EXCEPTION;
            }
            break;
        }
        case IR_OP_exit_tb:
            return (unsigned)ir_op_const(op, 0);
        case IR_OP_goto_lookup:
        case IR_OP_goto_lookup_pc:
            return IR_EXIT_NOCHAIN;
        case IR_OP_raise:
            store_exception(&in, (int32_t)ir_op_const(op, 0));
            return IR_EXIT_EXCEPTION;
        case IR_OP_x87:
        case IR_OP_x87_mem:
            /* only for a backend with Backend.host_x87 (ir-ops.def) */
            fprintf(stderr, "vemu: internal error: the IR interpreter cannot run an x87 op\n");
            abort();

        default: {
            /* the single-output value ops */
            IRTemp x = ir_op_in(op, 0);
            uint64_t a = read_temp(&in, x);
            uint64_t c = op->n_in > 1 ? read_temp(&in, ir_op_in(op, 1)) : 0;
            uint64_t c0 = op->n_const > 0 ? ir_op_const(op, 0) : 0;
            uint64_t c1 = op->n_const > 1 ? ir_op_const(op, 1) : 0;
            uint64_t r = 0;
            ir_eval_value(opc, ir_temp_type(b, x), a, c, c0, c1, &r);
            /* float ops: the exact fallback helper (ir-ops.def) */
            if (c0 && ir_float_has_fallback(opc) &&
                !ir_float_plain(opc, ir_temp_type(b, ir_op_out(op, 0)), r))
                r = call_helper(&in, op, (const IRHelper *)(uintptr_t)c0);
            write_temp(&in, ir_op_out(op, 0), r);
            break;
        }
        }
    }
    /* Fell off the end (the verifier rejects such blocks): let the loop
     * look the pc up. */
    return IR_EXIT_NOCHAIN;
}
