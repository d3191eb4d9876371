/*
 * ir-dump.c — textual form of IR blocks, for logs (-d op,op_opt), verifier
 * diagnostics and tests.
 *
 * One op per line:
 *      ---- 0x00008004                 insn_start
 *      t5 = add r1, $0x4               globals by name, locals tN, constants $0x..
 *      brcond ltu t3, $0x0, L2
 *     L2:
 *      t6 = ld.ul [t5]                 memops: size/sign, .be, .al, .mmuN
 *      t7 = call helper_name(t1, t2)
 */
#include <inttypes.h>

#include "ir.h"

static void put_temp(const IRBlock *b, uint64_t t, FILE *out)
{
    if (t >= b->n_temps) {
        fprintf(out, "?%" PRIu64, t);
        return;
    }
    const IRTempInfo *ti = &b->temps[t];
    switch (ti->kind) {
    case IR_TEMP_GLOBAL:
        if (ti->name)
            fputs(ti->name, out);
        else
            fprintf(out, "g%" PRIu64, t);
        break;
    case IR_TEMP_CONST:
        fprintf(out, "$0x%" PRIx64, ti->value);
        break;
    default:
        fprintf(out, "t%" PRIu64, t);
        break;
    }
}

static void put_memop(IRMemOp mo, FILE *out)
{
    static const char *const sizes[2][4] = {
        { "ub", "uw", "ul", "q" },
        { "sb", "sw", "sl", "q" },
    };
    fprintf(out, ".%s", sizes[!!(mo & IR_MO_SIGN)][mo & IR_MO_SIZE]);
    if (mo & IR_MO_BSWAP)
        fputs(".be", out);
    if (mo & IR_MO_ALIGN)
        fputs(".al", out);
    if (mo & IR_MO_ALIGN4)
        fputs(".al4", out);
    if ((mo >> IR_MO_MMU_SHIFT) & 0xf)
        fprintf(out, ".mmu%u", (unsigned)((mo >> IR_MO_MMU_SHIFT) & 0xf));
}

static const char *exit_kind_name(uint64_t k)
{
    switch (k) {
    case IR_EXIT_CHAIN0: return "chain0";
    case IR_EXIT_CHAIN1: return "chain1";
    case IR_EXIT_NOCHAIN: return "nochain";
    case IR_EXIT_EXCEPTION: return "exception";
    default: return "?";
    }
}

/* Writes "in0, in1, ..." starting from input `first`. */
static void put_inputs(const IRBlock *b, const IROp *op, unsigned first, FILE *out)
{
    for (unsigned i = first; i < op->n_in; i++) {
        if (i > first)
            fputs(", ", out);
        put_temp(b, ir_op_in(op, i), out);
    }
}

void ir_dump_op(const IRBlock *b, const IROp *op, FILE *out)
{
    const char *name = op->opc < IR_OP_COUNT ? ir_op_defs[op->opc].name : "?op";

    if (op->n_out + op->n_in + op->n_const > IR_MAX_ARGS) {
        fprintf(out, " <malformed %s: %u out, %u in, %u const>\n", name, op->n_out, op->n_in, op->n_const);
        return;
    }
    switch (op->opc) {
    case IR_OP_insn_start:
        fprintf(out, " ---- 0x%08" PRIx64, op->args[0]);
        if (op->args[1] || op->args[2])     /* the frontend's words */
            fprintf(out, " [0x%" PRIx64 " 0x%" PRIx64 "]", op->args[1], op->args[2]);
        fputc('\n', out);
        return;
    case IR_OP_label:
        fprintf(out, " L%" PRIu64 ":\n", op->args[0]);
        return;
    default:
        break;
    }

    fputc(' ', out);
    for (unsigned i = 0; i < op->n_out; i++) {
        if (i)
            fputs(", ", out);
        put_temp(b, ir_op_out(op, i), out);
    }
    if (op->n_out)
        fputs(" = ", out);
    fputs(name, out);

    switch (op->opc) {
    case IR_OP_setcond:
    case IR_OP_movcond:
        fprintf(out, " %s ", ir_cond_name((IRCond)ir_op_const(op, 0)));
        put_inputs(b, op, 0, out);
        break;
    case IR_OP_brcond:
        fprintf(out, " %s ", ir_cond_name((IRCond)ir_op_const(op, 0)));
        put_inputs(b, op, 0, out);
        fprintf(out, ", L%" PRIu64, ir_op_const(op, 1));
        break;
    case IR_OP_br:
        fprintf(out, " L%" PRIu64, ir_op_const(op, 0));
        break;
    case IR_OP_ld:
        put_memop((IRMemOp)ir_op_const(op, 0), out);
        fputs(" [", out);
        put_temp(b, ir_op_in(op, 0), out);
        fputc(']', out);
        break;
    case IR_OP_st:
        put_memop((IRMemOp)ir_op_const(op, 0), out);
        fputc(' ', out);
        put_temp(b, ir_op_in(op, 0), out);
        fputs(", [", out);
        put_temp(b, ir_op_in(op, 1), out);
        fputc(']', out);
        break;
    case IR_OP_cmpxchg:
        put_memop((IRMemOp)ir_op_const(op, 0), out);
        fputs(" [", out);
        put_temp(b, ir_op_in(op, 0), out);
        fputs("], ", out);
        put_inputs(b, op, 1, out);
        break;
    case IR_OP_ld_env:
        put_memop((IRMemOp)ir_op_const(op, 1), out);
        fprintf(out, " [env+0x%" PRIx64 "]", ir_op_const(op, 0));
        break;
    case IR_OP_st_env:
        put_memop((IRMemOp)ir_op_const(op, 1), out);
        fputc(' ', out);
        put_inputs(b, op, 0, out);
        fprintf(out, ", [env+0x%" PRIx64 "]", ir_op_const(op, 0));
        break;
    case IR_OP_call: {
        const IRHelper *h = (const IRHelper *)(uintptr_t)ir_op_const(op, 0);
        fprintf(out, " %s(", h && h->name ? h->name : "?helper");
        put_inputs(b, op, 0, out);
        fputc(')', out);
        break;
    }
    case IR_OP_exit_tb:
        fprintf(out, " %s", exit_kind_name(ir_op_const(op, 0)));
        break;
    case IR_OP_mb:
        break;
    default:
        /* generic: inputs, then raw constants in decimal (bitfield
         * positions, goto_tb slots, exception numbers) */
        if (op->n_in) {
            fputc(' ', out);
            put_inputs(b, op, 0, out);
        }
        for (unsigned i = 0; i < op->n_const; i++)
            fprintf(out, "%s%" PRIu64, (op->n_in || i) ? ", " : " ", ir_op_const(op, i));
        break;
    }
    fputc('\n', out);
}

void ir_dump(const IRBlock *b, FILE *out)
{
    fprintf(out, "IR block 0x%08" PRIx64 ": %u insns, %u ops, %u temps\n",
            b->guest_pc, b->n_insns, b->n_ops, b->n_temps);
    for (unsigned i = 0; i < b->n_ops; i++) {
        if (b->ops[i].opc != IR_OP_nop)
            ir_dump_op(b, &b->ops[i], out);
    }
}
