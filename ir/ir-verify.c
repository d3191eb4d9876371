/*
 * ir-verify.c — checks that an IRBlock is well formed.
 *
 * Run after the frontend and after every pass in debug builds (see
 * ir-opt.c), and by the unit tests.  It checks what the passes, the
 * interpreter and the backends take for granted, so that a malformed block
 * is reported where it was made instead of miscompiling later:
 *
 *   - every op's argument counts match the op table (calls: the helper's);
 *   - temps are in range, outputs are not constants, types fit the op;
 *   - memops, conditions, bitfields, exit kinds and goto_tb slots are valid;
 *   - every label is defined exactly once and every branch target exists;
 *   - locals are written before they are read (in program order);
 *   - goto_tb is followed by its exit_tb, and the block ends with an op
 *     that never falls through (IR_OPF_BLOCK_END).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "ir.h"

#define MAX_REPORTED 8

typedef struct Verifier {
    const IRBlock *b;
    FILE *err;
    unsigned errors;
    uint8_t *written;        /* per temp: assigned earlier in program order */
    uint8_t *label_defined;  /* per label: number of definitions (saturating) */
    uint8_t *label_used;
} Verifier;

static void __attribute__((format(printf, 4, 5)))
fail(Verifier *v, long idx, const IROp *op, const char *fmt, ...)
{
    v->errors++;
    if (!v->err || v->errors > MAX_REPORTED)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(v->err, "ir_verify: block 0x%08" PRIx64, v->b->guest_pc);
    if (idx >= 0)
        fprintf(v->err, ", op %ld", idx);
    fputs(": ", v->err);
    vfprintf(v->err, fmt, ap);
    fputc('\n', v->err);
    va_end(ap);
    if (op) {
        fputs("    ", v->err);
        ir_dump_op(v->b, op, v->err);
    }
}

static bool temp_ok(Verifier *v, unsigned idx, const IROp *op, uint64_t t, const char *what)
{
    if (t >= v->b->n_temps) {
        fail(v, idx, op, "%s temp %" PRIu64 " out of range (%u temps)", what, t, v->b->n_temps);
        return false;
    }
    return true;
}

static IRType ty(Verifier *v, uint64_t t) { return (IRType)v->b->temps[t].type; }

/* All listed temps have type t. */
static void need_type(Verifier *v, unsigned idx, const IROp *op, IRType t, const char *what, uint64_t temp)
{
    if (ty(v, temp) != t)
        fail(v, idx, op, "%s has type %s, expected %s", what,
             ty(v, temp) == IR_I32 ? "i32" : "i64", t == IR_I32 ? "i32" : "i64");
}

static void need_same(Verifier *v, unsigned idx, const IROp *op, uint64_t a, uint64_t c, const char *what)
{
    if (ty(v, a) != ty(v, c))
        fail(v, idx, op, "type mismatch: %s", what);
}

static void check_cond(Verifier *v, unsigned idx, const IROp *op, uint64_t c)
{
    if (c >= IR_COND_COUNT)
        fail(v, idx, op, "invalid condition %" PRIu64, c);
}

static void check_memop(Verifier *v, unsigned idx, const IROp *op, uint64_t mo, uint64_t value_temp)
{
    const uint64_t known = IR_MO_SIZE | IR_MO_SIGN | IR_MO_BSWAP | IR_MO_ALIGN | IR_MO_ALIGN4 | (0xfull << IR_MO_MMU_SHIFT);
    if (mo & ~known)
        fail(v, idx, op, "memop 0x%" PRIx64 " has unknown bits", mo);
    if ((mo & IR_MO_SIZE) == IR_MO_64 && ty(v, value_temp) == IR_I32)
        fail(v, idx, op, "64-bit memory access with an i32 value");
}

static void check_label_use(Verifier *v, unsigned idx, const IROp *op, uint64_t l)
{
    if (l >= v->b->n_labels)
        fail(v, idx, op, "label L%" PRIu64 " out of range (%u labels)", l, v->b->n_labels);
    else
        v->label_used[l] = 1;
}

static void check_bitfield(Verifier *v, unsigned idx, const IROp *op, uint64_t temp)
{
    uint64_t pos = ir_op_const(op, 0), len = ir_op_const(op, 1);
    unsigned w = ty(v, temp) == IR_I32 ? 32 : 64;
    if (len == 0 || pos >= w || len > w || pos + len > w)
        fail(v, idx, op, "bitfield pos %" PRIu64 " len %" PRIu64 " does not fit %u bits", pos, len, w);
}

/* A helper's flags are the coarse summary of its declared effects (code
 * that has not asked ir_helper_reads/writes_global yet tests them): they
 * must not claim that it leaves the globals alone when its lists say
 * otherwise. */
static void check_helper_effects(Verifier *v, unsigned idx, const IROp *op, const IRHelper *h)
{
    for (IRTemp g = 0; g < v->b->n_globals; g++) {
        const IRTempInfo *t = &v->b->temps[g];
        uint32_t size = t->type == IR_I64 ? 8 : 4;
        if ((h->flags & IR_HELPER_NO_READ_GLOBALS) && h->reads &&
            ir_state_ranges_touch(h->reads, t->offset, size))
            fail(v, idx, op, "helper %s is NO_READ_GLOBALS but reads global %s", h->name, t->name);
        if ((h->flags & IR_HELPER_NO_WRITE_GLOBALS) && h->writes &&
            ir_state_ranges_touch(h->writes, t->offset, size))
            fail(v, idx, op, "helper %s is NO_WRITE_GLOBALS but writes global %s", h->name, t->name);
    }
}

static void check_call(Verifier *v, unsigned idx, const IROp *op)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h || !h->fn) {
        fail(v, idx, op, "call without a helper function");
        return;
    }
    check_helper_effects(v, idx, op, h);
    if (op->n_in != h->n_args || h->n_args > IR_HELPER_MAX_ARGS)
        fail(v, idx, op, "call to %s has %u inputs, helper takes %u", h->name, op->n_in, h->n_args);
    if (op->n_out != (h->has_result ? 1 : 0))
        fail(v, idx, op, "call to %s has %u outputs, helper %s a result", h->name, op->n_out,
             h->has_result ? "returns" : "does not return");
    if (op->n_in == h->n_args) {
        for (unsigned i = 0; i < op->n_in; i++)
            if (ty(v, ir_op_in(op, i)) != h->arg_types[i])
                fail(v, idx, op, "call to %s: argument %u has the wrong type", h->name, i);
    }
    if (op->n_out == 1 && h->has_result && ty(v, ir_op_out(op, 0)) != h->ret_type)
        fail(v, idx, op, "call to %s: result temp has the wrong type", h->name);
}

/* A float op's fallback (const 0): none, or a helper taking the op's
 * inputs, returning its output type, touching no globals. */
static void check_float_fallback(Verifier *v, unsigned idx, const IROp *op)
{
    const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
    if (!h)
        return;
    if (!h->fn || h->n_args != op->n_in || !h->has_result ||
        h->ret_type != ty(v, ir_op_out(op, 0)))
        fail(v, idx, op, "fallback helper does not match the op's inputs and output");
    else if (ir_helper_reads_any_global(h, v->b) || ir_helper_writes_any_global(h, v->b) ||
             (h->flags & IR_HELPER_MAY_FAULT))
        fail(v, idx, op, "fallback helper %s may touch globals or fault", h->name);
    else
        check_helper_effects(v, idx, op, h);
    for (unsigned i = 0; i < op->n_in && i < h->n_args; i++)
        if (h->arg_types[i] != ty(v, ir_op_in(op, i)))
            fail(v, idx, op, "fallback helper %s: argument %u has the wrong type", h->name, i);
}

/* Type and constant rules of one op whose counts and temps are valid. */
static void check_op_types(Verifier *v, unsigned idx, const IROp *op)
{
    uint64_t o0 = op->n_out ? ir_op_out(op, 0) : 0;
    uint64_t i0 = op->n_in ? ir_op_in(op, 0) : 0;

    switch ((IROpcode)op->opc) {
    case IR_OP_mov: case IR_OP_neg: case IR_OP_not: case IR_OP_clz: case IR_OP_ctz:
    case IR_OP_bswap: case IR_OP_ext8s: case IR_OP_ext8u: case IR_OP_ext16s: case IR_OP_ext16u:
        need_same(v, idx, op, o0, i0, "output and input");
        break;
    case IR_OP_add: case IR_OP_sub: case IR_OP_mul: case IR_OP_and: case IR_OP_or:
    case IR_OP_xor: case IR_OP_andc: case IR_OP_shl: case IR_OP_shr: case IR_OP_sar:
    case IR_OP_rotl: case IR_OP_rotr: case IR_OP_divs: case IR_OP_divu: case IR_OP_rems:
    case IR_OP_remu:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the two inputs");
        need_same(v, idx, op, o0, i0, "output and inputs");
        break;
    case IR_OP_mulu2: case IR_OP_muls2:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the two inputs");
        need_same(v, idx, op, o0, i0, "low output and inputs");
        need_same(v, idx, op, ir_op_out(op, 1), i0, "high output and inputs");
        if (o0 == ir_op_out(op, 1))
            fail(v, idx, op, "both outputs are the same temp");
        break;
    case IR_OP_extract: case IR_OP_sextract:
        need_same(v, idx, op, o0, i0, "output and input");
        check_bitfield(v, idx, op, i0);
        break;
    case IR_OP_deposit:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the two inputs");
        need_same(v, idx, op, o0, i0, "output and inputs");
        check_bitfield(v, idx, op, i0);
        break;
    case IR_OP_extu_i32_i64: case IR_OP_exts_i32_i64:
        need_type(v, idx, op, IR_I32, "input", i0);
        need_type(v, idx, op, IR_I64, "output", o0);
        break;
    case IR_OP_extrl_i64_i32: case IR_OP_extrh_i64_i32:
        need_type(v, idx, op, IR_I64, "input", i0);
        need_type(v, idx, op, IR_I32, "output", o0);
        break;
    case IR_OP_setcond:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the compared inputs");
        need_same(v, idx, op, o0, i0, "output and inputs");
        check_cond(v, idx, op, ir_op_const(op, 0));
        break;
    case IR_OP_movcond:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the compared inputs");
        need_same(v, idx, op, ir_op_in(op, 2), ir_op_in(op, 3), "the two values");
        need_same(v, idx, op, o0, ir_op_in(op, 2), "output and values");
        check_cond(v, idx, op, ir_op_const(op, 0));
        break;
    case IR_OP_brcond:
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the compared inputs");
        check_cond(v, idx, op, ir_op_const(op, 0));
        check_label_use(v, idx, op, ir_op_const(op, 1));
        break;
    case IR_OP_br:
        check_label_use(v, idx, op, ir_op_const(op, 0));
        break;
    case IR_OP_label: {
        uint64_t l = ir_op_const(op, 0);
        if (l >= v->b->n_labels)
            fail(v, idx, op, "label L%" PRIu64 " out of range (%u labels)", l, v->b->n_labels);
        else if (v->label_defined[l]++)
            fail(v, idx, op, "label L%" PRIu64 " defined more than once", l);
        break;
    }
    case IR_OP_ld:
        check_memop(v, idx, op, ir_op_const(op, 0), o0);
        break;
    case IR_OP_st:
        check_memop(v, idx, op, ir_op_const(op, 0), i0);
        break;
    case IR_OP_cmpxchg:
        need_same(v, idx, op, ir_op_in(op, 1), ir_op_in(op, 2), "expected and new values");
        need_same(v, idx, op, o0, ir_op_in(op, 1), "output and values");
        check_memop(v, idx, op, ir_op_const(op, 0), o0);
        break;
    case IR_OP_ld_env:
        check_memop(v, idx, op, ir_op_const(op, 1), o0);
        break;
    case IR_OP_st_env:
        check_memop(v, idx, op, ir_op_const(op, 1), i0);
        break;
    case IR_OP_call:
        check_call(v, idx, op);
        break;
    case IR_OP_goto_tb:
        if (ir_op_const(op, 0) > 1)
            fail(v, idx, op, "goto_tb slot %" PRIu64 " (must be 0 or 1)", ir_op_const(op, 0));
        break;
    case IR_OP_exit_tb:
        if (ir_op_const(op, 0) > IR_EXIT_EXCEPTION)
            fail(v, idx, op, "exit_tb kind %" PRIu64 " is not an IRExitKind", ir_op_const(op, 0));
        break;
    case IR_OP_goto_lookup_pc:
        if (ir_temp_type(v->b, ir_op_in(op, 2)) != IR_I64)
            fail(v, idx, op, "goto_lookup_pc flags must be i64");
        break;
    case IR_OP_discard:
        if (ir_temp_is_const(v->b, i0))
            fail(v, idx, op, "discard of a constant");
        break;
    case IR_OP_fadd: case IR_OP_fsub: case IR_OP_fmul: case IR_OP_fdiv:
        check_float_fallback(v, idx, op);
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the two inputs");
        need_same(v, idx, op, o0, i0, "output and inputs");
        break;
    case IR_OP_fsqrt:
        check_float_fallback(v, idx, op);
        need_same(v, idx, op, o0, i0, "output and input");
        break;
    case IR_OP_fcmp:
        check_float_fallback(v, idx, op);
        need_same(v, idx, op, i0, ir_op_in(op, 1), "the compared inputs");
        need_type(v, idx, op, IR_I32, "output", o0);
        break;
    case IR_OP_fcvt_f32_f64: case IR_OP_fcvt_s32_f64:
        need_type(v, idx, op, IR_I32, "input", i0);
        need_type(v, idx, op, IR_I64, "output", o0);
        break;
    case IR_OP_fcvt_f64_f32: case IR_OP_fcvtz_f64_s32:
        check_float_fallback(v, idx, op);
        need_type(v, idx, op, IR_I64, "input", i0);
        need_type(v, idx, op, IR_I32, "output", o0);
        break;
    case IR_OP_fcvt_s32_f32: case IR_OP_fcvtz_f32_s32:
        if (op->opc == IR_OP_fcvtz_f32_s32)
            check_float_fallback(v, idx, op);
        need_type(v, idx, op, IR_I32, "input", i0);
        need_type(v, idx, op, IR_I32, "output", o0);
        break;
    default:
        break;
    }
}

static void check_temps(Verifier *v)
{
    const IRBlock *b = v->b;
    if (b->n_globals > b->n_temps)
        fail(v, -1, NULL, "%u globals but only %u temps", b->n_globals, b->n_temps);
    for (unsigned t = 0; t < b->n_temps; t++) {
        const IRTempInfo *ti = &b->temps[t];
        if (ti->type > IR_I64)
            fail(v, -1, NULL, "temp %u has invalid type %u", t, ti->type);
        if ((t < b->n_globals) != (ti->kind == IR_TEMP_GLOBAL))
            fail(v, -1, NULL, "temp %u: globals must be exactly temps 0..%u", t, b->n_globals);
        if (ti->kind > IR_TEMP_CONST)
            fail(v, -1, NULL, "temp %u has invalid kind %u", t, ti->kind);
        if (ti->kind == IR_TEMP_CONST && ti->type == IR_I32 && ti->value > 0xffffffffull)
            fail(v, -1, NULL, "i32 constant temp %u holds 0x%" PRIx64, t, ti->value);
    }
}

/* goto_tb N must be followed, with no control flow in between, by exit_tb N:
 * the backend patches the jump and the loop chains slot N. */
static void check_goto_tb(Verifier *v, unsigned idx, uint8_t *slot_seen)
{
    const IRBlock *b = v->b;
    const IROp *op = &b->ops[idx];
    uint64_t slot = ir_op_const(op, 0);
    if (slot > 1)
        return;
    if (slot_seen[slot]++)
        fail(v, idx, op, "goto_tb slot %" PRIu64 " used twice", slot);
    for (unsigned j = idx + 1; j < b->n_ops; j++) {
        const IROp *o = &b->ops[j];
        if (o->opc >= IR_OP_COUNT)
            return;
        if (o->opc == IR_OP_exit_tb) {
            if (ir_op_const(o, 0) != slot)
                fail(v, j, o, "exit_tb after goto_tb %" PRIu64 " must use kind chain%" PRIu64, slot, slot);
            return;
        }
        unsigned f = ir_op_defs[o->opc].flags;
        if (f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END) || o->opc == IR_OP_goto_tb) {
            fail(v, j, o, "goto_tb at op %u is not followed by its exit_tb", idx);
            return;
        }
    }
    fail(v, idx, op, "goto_tb is not followed by exit_tb");
}

int ir_verify(const IRBlock *b, FILE *err)
{
    Verifier v = { .b = b, .err = err };
    uint8_t slot_seen[2] = { 0, 0 };
    long last_real = -1;

    v.written = calloc(b->n_temps + 1, 1);
    v.label_defined = calloc(b->n_labels + 1, 1);
    v.label_used = calloc(b->n_labels + 1, 1);
    if (!v.written || !v.label_defined || !v.label_used) {
        fail(&v, -1, NULL, "out of memory");
        goto out;
    }

    check_temps(&v);
    if (v.errors)
        goto out;
    for (unsigned t = 0; t < b->n_temps; t++)
        v.written[t] = b->temps[t].kind != IR_TEMP_LOCAL;

    for (unsigned idx = 0; idx < b->n_ops; idx++) {
        const IROp *op = &b->ops[idx];
        if (op->opc >= IR_OP_COUNT) {
            fail(&v, idx, NULL, "invalid opcode %u", op->opc);
            continue;
        }
        const IROpDef *d = &ir_op_defs[op->opc];
        if (op->n_out + op->n_in + op->n_const > IR_MAX_ARGS) {
            fail(&v, idx, op, "too many arguments");
            continue;
        }
        if (d->flags & IR_OPF_VARARGS) {
            if (op->n_const != 1 || op->n_out > 1 || op->n_in > IR_HELPER_MAX_ARGS) {
                fail(&v, idx, op, "%s: bad argument counts", d->name);
                continue;
            }
        } else if (op->n_out != d->n_out || op->n_in != d->n_in || op->n_const != d->n_const) {
            fail(&v, idx, op, "%s: has %u/%u/%u out/in/const args, the op table says %u/%u/%u",
                 d->name, op->n_out, op->n_in, op->n_const, d->n_out, d->n_in, d->n_const);
            continue;
        }
        bool temps_ok = true;
        for (unsigned i = 0; i < op->n_in; i++)
            temps_ok &= temp_ok(&v, idx, op, ir_op_in(op, i), "input");
        for (unsigned i = 0; i < op->n_out; i++) {
            uint64_t t = ir_op_out(op, i);
            if (!temp_ok(&v, idx, op, t, "output")) {
                temps_ok = false;
            } else if (ir_temp_is_const(b, t)) {
                fail(&v, idx, op, "output %u is a constant", i);
                temps_ok = false;
            }
        }
        if (!temps_ok)
            continue;

        if (op->opc != IR_OP_discard) {
            for (unsigned i = 0; i < op->n_in; i++) {
                IRTemp t = ir_op_in(op, i);
                if (!v.written[t])
                    fail(&v, idx, op, "local t%u is read before it is written", t);
            }
        }
        for (unsigned i = 0; i < op->n_out; i++)
            v.written[ir_op_out(op, i)] = 1;

        check_op_types(&v, idx, op);
        if (op->opc == IR_OP_goto_tb)
            check_goto_tb(&v, idx, slot_seen);
        /* insn_start markers may trail the final exit: DCE keeps them in
         * unreachable code so that guest instructions stay numbered */
        if (op->opc != IR_OP_nop && op->opc != IR_OP_insn_start)
            last_real = idx;
    }

    for (unsigned l = 0; l < b->n_labels; l++)
        if (v.label_used[l] && !v.label_defined[l])
            fail(&v, -1, NULL, "branch to label L%u, which is never defined", l);

    if (last_real < 0)
        fail(&v, -1, NULL, "empty block (it must end with an exit)");
    else if (b->ops[last_real].opc < IR_OP_COUNT && b->ops[last_real].opc != IR_OP_br &&
             !(ir_op_defs[b->ops[last_real].opc].flags & IR_OPF_BLOCK_END))
        fail(&v, last_real, &b->ops[last_real],
             "the block does not end with an exit op or a branch back into it");

out:
    free(v.written);
    free(v.label_defined);
    free(v.label_used);
    if (v.errors && err && v.errors > MAX_REPORTED)
        fprintf(err, "ir_verify: ... %u errors in all\n", v.errors);
    return v.errors ? -1 : 0;
}
