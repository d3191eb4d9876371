/*
 * x86-translate.c — x86 instruction translation as exec's block translator
 * drives it (exec/translator.h): the IR globals, one instruction at a time
 * (decode, insn_start with the statically known cc_op, the row's
 * translation function), and how instructions leave a block.
 *
 *   - direct jmp/jcc/call: tr_goto() (exec follows, loops or chains);
 *   - indirect jmp/call/ret: rip = target, goto_lookup_pc;
 *   - syscall, int 0x80, sysenter: rip = next, raise EXCP_SYSCALL;
 *   - #UD and the other faults: rip = this instruction, raise.
 * rip is only written at exits: inside a block the translator knows it.
 */
#include <stddef.h>
#include <string.h>

#include "frontend-x86/x86-translate.h"

IRGlobalSet x86_globals64, x86_globals32;
IRTemp cpu_regs[X86_NREGS], cpu_rip;
IRTemp cpu_cc_dst, cpu_cc_src, cpu_cc_src2, cpu_cc_op, cpu_df;

static const char *const reg_names64[X86_NREGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const reg_names32[X86_NREGS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};

static void init_set(IRGlobalSet *gs, IRType tl, const char *const *names, const char *pc_name)
{
    IRTemp t;
    for (int i = 0; i < X86_NREGS; i++) {
        t = ir_global_new(gs, tl, offsetof(X86CPU, regs) + 8 * (unsigned)i, names[i]);
        cpu_regs[i] = t;
    }
    cpu_rip = ir_global_new(gs, tl, offsetof(X86CPU, rip), pc_name);
    cpu_cc_dst = ir_global_new(gs, tl, offsetof(X86CPU, cc_dst), "cc_dst");
    cpu_cc_src = ir_global_new(gs, tl, offsetof(X86CPU, cc_src), "cc_src");
    cpu_cc_src2 = ir_global_new(gs, tl, offsetof(X86CPU, cc_src2), "cc_src2");
    cpu_cc_op = ir_global_new(gs, IR_I32, offsetof(X86CPU, cc_op), "cc_op");
    cpu_df = ir_global_new(gs, IR_I32, offsetof(X86CPU, df), "df");
    /* The lazy flags: most instructions overwrite them before anything
     * reads them; cc_op is rebuilt at a fault from insn_start's word. */
    IRTemp lazy[] = { cpu_cc_dst, cpu_cc_src, cpu_cc_src2, cpu_cc_op };
    for (unsigned i = 0; i < 4; i++)
        gs->g[lazy[i]].gflags |= IR_GLOBAL_LAZY_AT_FAULT | IR_GLOBAL_EXIT_LIVENESS;
}

void x86_translate_init(void)
{
    if (x86_globals64.n)
        return;
    init_set(&x86_globals32, IR_I32, reg_names32, "eip");
    init_set(&x86_globals64, IR_I64, reg_names64, "rip");
}

/* ---- exits ---------------------------------------------------------------- */

static IRTemp pc_const(DisasContext *s, uint64_t pc)
{
    return tlc(s, s->code64 ? pc : (uint32_t)pc);
}

void x86_gen_exception(DisasContext *s, int excp)
{
    ir_mov_to(s->b, cpu_rip, pc_const(s, s->pc));
    ir_raise(s->b, excp);
    s->is_jmp = X86_DISAS_NORETURN;
}

void x86_gen_exception_next(DisasContext *s, int excp)
{
    ir_mov_to(s->b, cpu_rip, pc_const(s, x86_next_pc(s)));
    ir_raise(s->b, excp);
    s->is_jmp = X86_DISAS_NORETURN;
}

bool x86_gen_jmp(DisasContext *s, uint64_t dest, bool may_follow)
{
    if (!s->code64)
        dest = (uint32_t)dest;
    /* a loop's back edge leaves C1 behind (reading the status word would
     * wait for the loop body's x87 work every turn); other exits keep it */
    if (dest <= s->pc)
        x87_fast_leave(s);
    else
        x87_fast_flush(s);
    if (tr_goto(s->tr, dest, x87_fast_exit_flags(s), may_follow ? TR_GOTO_MAY_FOLLOW : 0))
        return true;    /* exec goes on translating at dest */
    s->is_jmp = X86_DISAS_NORETURN;
    return false;
}

void x86_gen_jmp_indirect(DisasContext *s, IRTemp v)
{
    x87_fast_flush(s);
    ir_mov_to(s->b, cpu_rip, v);
    IRTemp zero = tlc(s, 0);
    ir_goto_lookup_pc(s->b, cpu_rip, zero, ir_const64(s->b, x87_fast_exit_flags(s)));
    s->is_jmp = X86_DISAS_NORETURN;
}

void x86_gen_jcc(DisasContext *s, X86Cond c, uint64_t dest)
{
    IRBlock *b = s->b;
    if (c.cond == IR_COND_NEVER)
        return;
    if (c.cond == IR_COND_ALWAYS) {
        x86_gen_jmp(s, dest, false);
        return;
    }
    unsigned not_taken = ir_label_new(b);
    ir_brcond(b, ir_cond_invert(c.cond), c.a, c.b, not_taken);
    /* the taken path writes the x87 registers back (x86_gen_jmp), the
     * other keeps them on the host stack */
    X87Fast x87 = s->x87;
    x86_gen_jmp(s, dest, false);
    s->x87 = x87;
    ir_set_label(b, not_taken);
    /* the fall-through: in this block when exec extends it (loop heads) */
    if (tr_cond_exit_continue(s->tr)) {
        s->is_jmp = X86_DISAS_NEXT;
        return;
    }
    x86_gen_jmp(s, x86_next_pc(s), false);
    s->is_jmp = X86_DISAS_NORETURN;
}

void x86_gen_end(DisasContext *s)
{
    if (s->is_jmp == X86_DISAS_NEXT)
        s->is_jmp = X86_DISAS_END;
}

/* ---- the exec translator's hooks (exec/translator.h) ------------------------- */

/* The cpu model's feature words (x86-cpuid.h), for every translation run
 * and loop-head probe: remembered per thread for the last model asked */
static void model_features(const X86CPU *cpu, bool code64, uint32_t *feat)
{
    static __thread const X86CPUModel *last;
    static __thread uint32_t words[X86_FEAT_WORDS];
    const X86CPUModel *m = cpu->model ? cpu->model : x86_cpu_model_default(code64);
    if (m != last) {
        for (unsigned w = 0; w < X86_FEAT_WORDS; w++)
            words[w] = x86_cpu_feature_word(m, w);
        last = m;
    }
    memcpy(feat, words, sizeof(words));
}

static void x86_run_start(void *ctx, Translator *tr, uint64_t pc, uint64_t flags)
{
    DisasContext *s = ctx;
    const X86CPU *cpu = (const X86CPU *)tr_cpu(tr);
    *s = (DisasContext){
        .tr = tr,
        .b = tr_block(tr),
        .cpu = tr_cpu(tr),
        .tb_flags = flags,
        .code64 = (flags & X86_TBF_CODE64) != 0,
        .cc_op = X86_CC_DYNAMIC,
    };
    s->tl = s->code64 ? IR_I64 : IR_I32;
    x86_cc_forget(s);
    x87_fast_start(s, flags);
    model_features(cpu, s->code64, s->feat);
    s->cc_op_guess = X86_CC_DYNAMIC;
    if (!s->code64)
        pc = (uint32_t)pc;
    if (!tr_lookahead(tr) && pc == cpu->rip && X86_CC_KIND(cpu->cc_op) < X86_CCK_COUNT)
        s->cc_op_guess = cpu->cc_op;
}

/* The first instruction of a block cannot be fetched: a fault at it. */
static void gen_fetch_fault(DisasContext *s, uint64_t addr)
{
    ir_insn_start_data(s->b, s->pc, s->cc_op, 0);
    tr_gen_fault_info(s->b, ir_const64(s->b, addr), EXEC_ACCESS_EXEC, EXEC_FAULT_UNMAPPED);
    x86_gen_exception(s, EXCP_MEM_FAULT);
}

static TrStatus x86_translate_insn(void *ctx, uint64_t pc, unsigned *len_out)
{
    DisasContext *s = ctx;
    IRBlock *b = s->b;
    X86Insn d;
    s->pc = s->code64 ? pc : (uint32_t)pc;
    const X86OpEntry *e = x86_decode(s, &d);
    if (s->fetch_failed) {
        if (!tr_first_insn(s->tr) || tr_lookahead(s->tr))
            return TR_STOP_BEFORE;   /* the next block faults precisely */
        gen_fetch_fault(s, s->pc + s->len);
        *len_out = 0;
        return TR_EXITED;
    }
    bool ok = e != NULL && !s->too_long;
    /* LOCK only with the rows that allow it, on a memory destination */
    if (ok && (s->prefixes & X86_PRE_LOCK) && (!(e->flags & X86_OPF_LOCK) || !d.n || !d.op[0].is_mem))
        ok = false;
    bool native = false;
    uint64_t x87_map = x87_fast_before(s, &d, ok && s->esc_x87, &native);
    ir_insn_start_data(b, s->pc, s->cc_op, x87_map);
    s->is_jmp = X86_DISAS_NEXT;
    *len_out = s->len;
    if (s->too_long) {
        x86_gen_exception(s, X86_EXCP_GP);
        return TR_EXITED;
    }
    if (ok) {
        x86_gen_address(s, &d);
        ok = native ? x87_fast_translate(s, &d) : e->trans(s, &d);
        if (ok && s->esc_x87 && !native)
            x87_fast_after_slow(s);
    }
    if (!ok)
        x86_gen_exception(s, EXCP_UDEF);
    return s->is_jmp == X86_DISAS_NORETURN ? TR_EXITED : s->is_jmp == X86_DISAS_END ? TR_END_AFTER : TR_NEXT;
}

static void x86_end_block(void *ctx, uint64_t pc, bool state_changed)
{
    DisasContext *s = ctx;
    if (!s->code64)
        pc = (uint32_t)pc;
    x87_fast_flush(s);
    if (s->x87.dynamic) {
        /* the x87 state is the cpu state's: look the next block up with the
         * key it gives (x86_h_tb_flags), never chain */
        ir_mov_to(s->b, cpu_rip, pc_const(s, pc));
        IRTemp flags = ir_call_helper(s->b, &x86_h_tb_flags, NULL);
        ir_goto_lookup_pc(s->b, cpu_rip, tlc(s, 0), flags);
        return;
    }
    tr_goto(s->tr, pc, x87_fast_exit_flags(s), state_changed ? TR_GOTO_FLAGS_UNKNOWN : 0);
}

static void x86_gen_set_pc(void *ctx, uint64_t dest)
{
    DisasContext *s = ctx;
    ir_mov_to(s->b, cpu_rip, pc_const(s, dest));
}

/* For exec's loop-head detection: the instruction's length and, for a
 * direct jmp or jcc, its target (decode phase 1 only, with probes). */
static unsigned x86_insn_branch(CPUCommon *cpu, uint64_t pc, uint64_t flags, uint64_t *target, bool *is_branch)
{
    DisasContext s = {
        .cpu = cpu,
        .tb_flags = flags,
        .code64 = (flags & X86_TBF_CODE64) != 0,
        .cc_op = X86_CC_DYNAMIC,
        .cc_op_guess = X86_CC_DYNAMIC,
    };
    X86Insn d;
    s.tl = s.code64 ? IR_I64 : IR_I32;
    x86_cc_forget(&s);
    model_features((const X86CPU *)cpu, s.code64, s.feat);
    s.pc = s.code64 ? pc : (uint32_t)pc;
    *is_branch = false;
    const X86OpEntry *e = x86_decode(&s, &d);
    if (s.fetch_failed)
        return 0;
    if (e && (e->trans == x86_trans_JMP || e->trans == x86_trans_JCC) && d.n &&
        d.op[d.n - 1].kind == X86_OPK_J) {
        *is_branch = true;
        *target = (uint64_t)d.op[d.n - 1].imm;
    }
    return s.len ? s.len : 1;
}

const TranslatorOps x86_translator_ops = {
    .ctx_size = sizeof(DisasContext),
    .run_start = x86_run_start,
    .translate_insn = x86_translate_insn,
    .end_block = x86_end_block,
    .gen_set_pc = x86_gen_set_pc,
    .insn_branch = x86_insn_branch,
};
