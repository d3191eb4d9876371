/*
 * arm-translate.c — ARM instruction translation as exec's block translator
 * drives it (exec/translator.h): the IR globals, one instruction at a time
 * (fetch, insn_start, conditional execution, the decoders), and the
 * register/pc write rules every instruction class uses.  The instruction
 * classes live in translate-*.c; the decoders are generated from *.decode.
 * How blocks are shaped (their ends, branch following, loops, look-ahead)
 * is exec's business, the same for every guest.
 *
 * How ARM instructions leave a block:
 *   - a direct branch: tr_goto() to the target (exec emits the chained
 *     goto_tb, a branch inside a loop, or continues translating there);
 *   - the fall-through of a conditional instruction that left: tr_goto() to
 *     the next instruction, unless exec extends the block past it;
 *   - any write to the pc by a register value (BX, LDR pc, LDM {..pc},
 *     MOV pc, ...): pc (and the Thumb flag) set, then goto_lookup_pc;
 *   - SVC: pc = next insn, raise EXCP_SYSCALL; BKPT/UDF: pc = insn, raise;
 *   - an instruction that changes translation state (TR_END_AFTER), the
 *     budget or the page end: exec calls end_block(), a tr_goto() to the
 *     next instruction.
 * regs[15] is only written at those exits: inside a block reading r15 gives
 * the constant address of the instruction + 8.
 */
#include <stddef.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/arm-iwmmxt.h"
#include "exec/frontend.h"
#include "exec/translator.h"

/* The generated decoder a32_decode() (its arg structs and trans_
 * prototypes come with arm-translate.h). */
#include "frontend-arm/a32-decode.c.inc"

IRGlobalSet arm_globals;
IRTemp cpu_R[16];
IRTemp cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_GE, cpu_thumb;
IRTemp cpu_condexec;
IRTemp cpu_exclusive_addr, cpu_exclusive_val;

void arm_translate_init(void)
{
    if (arm_globals.n)
        return;
    for (int i = 0; i < 16; i++)
        cpu_R[i] = ir_global_new(&arm_globals, IR_I32, frontend_arm.regs[i].offset, frontend_arm.regs[i].name);
    cpu_NF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, NF), "NF");
    cpu_ZF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, ZF), "ZF");
    cpu_CF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, CF), "CF");
    cpu_VF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, VF), "VF");
    /* NZCV written by nearly every Thumb-16 ALU op and dead again at the
     * next compare: a load in between need not keep them exact (the
     * trade-off is in docs/architecture.md).  Most blocks set them before
     * reading them: exec looks ahead at direct exits (IR_GLOBAL_EXIT_LIVENESS). */
    arm_globals.g[cpu_NF].gflags |= IR_GLOBAL_LAZY_AT_FAULT | IR_GLOBAL_EXIT_LIVENESS;
    arm_globals.g[cpu_ZF].gflags |= IR_GLOBAL_LAZY_AT_FAULT | IR_GLOBAL_EXIT_LIVENESS;
    arm_globals.g[cpu_CF].gflags |= IR_GLOBAL_LAZY_AT_FAULT | IR_GLOBAL_EXIT_LIVENESS;
    arm_globals.g[cpu_VF].gflags |= IR_GLOBAL_LAZY_AT_FAULT | IR_GLOBAL_EXIT_LIVENESS;
    cpu_QF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, QF), "QF");
    cpu_GE = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, GE), "GE");
    cpu_thumb = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, thumb), "thumb");
    cpu_condexec = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, condexec), "condexec");
    cpu_exclusive_addr = ir_global_new(&arm_globals, IR_I64, offsetof(ARMCPU, exclusive_addr),
                                       "excl_addr");
    cpu_exclusive_val = ir_global_new(&arm_globals, IR_I64, offsetof(ARMCPU, exclusive_val),
                                      "excl_val");
    arm_vfp_init_globals();     /* d0..d31 */
    arm_iwmmxt_init_globals();  /* wr0..wr15 */
}

/* ---- registers and the pc ---------------------------------------------- */

IRTemp load_reg(DisasContext *s, int r)
{
    if (r == 15)
        return c32(s, s->pc + (s->thumb ? 4 : 8));
    return cpu_R[r];
}

IRTemp load_reg_copy(DisasContext *s, int r)
{
    return ir_mov(s->b, load_reg(s, r));
}

void store_reg(DisasContext *s, int r, IRTemp v)
{
    ir_mov_to(s->b, cpu_R[r], v);
}

void gen_condexec_exit(DisasContext *s)
{
    /* Not recorded in condexec_cpu: the exit ends this path only, a
     * conditional instruction's skip path still has the old value. */
    if (s->condexec_after != s->condexec_cpu)
        ir_mov_to(s->b, cpu_condexec, c32(s, s->condexec_after));
}

/* The tb_flags of the block an exit leads to, in Thumb state or not: the
 * bits other than Thumb and ITSTATE (the VFP mode) cannot change inside a
 * block, so they come from this block's own flags; ITSTATE is the one
 * after this instruction. */
static uint32_t exit_tb_flags(const DisasContext *s, bool to_thumb)
{
    uint32_t fixed = s->tb_flags & ~(ARM_TBFLAG_THUMB | 0xffu << ARM_TBFLAG_CONDEXEC_SHIFT);
    if (!to_thumb)
        return fixed;
    return fixed | ARM_TBFLAG_THUMB | (s->condexec_after & 0xffu) << ARM_TBFLAG_CONDEXEC_SHIFT;
}

/* The tb_flags the cpu will have after an exit whose Thumb bit is `thumb`
 * (a 0/1 temp): for the inline jump-cache probe of goto_lookup_pc.  The
 * bits other than Thumb and ITSTATE (the VFP mode) cannot change inside a
 * block, so they come from this block's own flags. */
static IRTemp gen_exit_tb_flags(DisasContext *s, IRTemp thumb)
{
    uint32_t fixed = exit_tb_flags(s, false), in_thumb = exit_tb_flags(s, true);
    if (ir_temp_is_const(s->b, thumb))
        return c32(s, s->b->temps[thumb].value ? in_thumb : fixed);
    if (in_thumb == (fixed | ARM_TBFLAG_THUMB))
        return fixed ? ir_or(s->b, thumb, c32(s, fixed)) : thumb;
    return ir_movcond(s->b, IR_COND_NE, thumb, c32(s, 0), c32(s, in_thumb), c32(s, fixed));
}

/* goto_lookup_pc to the pc just written: ARM has no code-segment base,
 * and its 32-bit tb_flags are the low half of the 64-bit key. */
static void gen_goto_lookup_pc(DisasContext *s, IRTemp flags)
{
    IRTemp flags64 = ir_temp_is_const(s->b, flags) ? ir_const64(s->b, s->b->temps[flags].value)
                                                    : ir_extu_i32_i64(s->b, flags);
    ir_goto_lookup_pc(s->b, cpu_R[15], ir_const32(s->b, 0), flags64);
}

void gen_bx(DisasContext *s, IRTemp addr)
{
    gen_condexec_exit(s);
    IRTemp thumb = ir_andi(s->b, addr, 1);
    ir_mov_to(s->b, cpu_thumb, thumb);
    ir_op2_to(s->b, IR_OP_andc, cpu_R[15], addr, c32(s, 1));
    gen_goto_lookup_pc(s, gen_exit_tb_flags(s, thumb));
    s->is_jmp = DISAS_NORETURN;
}

void gen_alu_write_pc(DisasContext *s, IRTemp addr)
{
    if (arm_has(s, ARM_FEATURE_V7) && !s->thumb) {
        gen_bx(s, addr);
        return;
    }
    /* Before v7 an ARM-state ALU write to the pc is a plain branch; in
     * Thumb state it always is (BranchWritePC: MOV pc, ADD pc, TBB ...). */
    gen_condexec_exit(s);
    ir_op2_to(s->b, IR_OP_andc, cpu_R[15], addr, c32(s, s->thumb ? 1 : 3));
    gen_goto_lookup_pc(s, gen_exit_tb_flags(s, c32(s, s->thumb)));
    s->is_jmp = DISAS_NORETURN;
}


/* A direct exit to dest in the same state: exec emits it (translator.h). */
static void gen_goto_tb(DisasContext *s, uint32_t dest, unsigned how)
{
    gen_condexec_exit(s);
    tr_goto(s->tr, dest, exit_tb_flags(s, s->thumb), how);
}

void gen_jump_direct(DisasContext *s, uint32_t dest, bool to_thumb)
{
    gen_condexec_exit(s);
    if (to_thumb != s->thumb)
        ir_mov_to(s->b, cpu_thumb, c32(s, to_thumb));
    /* an unconditional branch may be followed: the block goes on at dest */
    if (tr_goto(s->tr, dest, exit_tb_flags(s, to_thumb), s->cond_skip ? 0 : TR_GOTO_MAY_FOLLOW))
        return;
    s->is_jmp = DISAS_NORETURN;
}

void store_reg_alu(DisasContext *s, int r, IRTemp v)
{
    if (r == 15)
        gen_alu_write_pc(s, v);
    else
        store_reg(s, r, v);
}

void store_reg_load(DisasContext *s, int r, IRTemp v)
{
    if (r == 15)
        gen_bx(s, v);     /* LoadWritePC interworks from v5T on */
    else
        store_reg(s, r, v);
}

void gen_exception_insn(DisasContext *s, int excp)
{
    /* the undefined-instruction LR is the address after the instruction */
    if (s->sys && excp == EXCP_UDEF)
        ir_st_env(s->b, c32(s, s->len ? s->len : 4), offsetof(ARMCPU, cp15.udef_len), IR_MO_UL);
    ir_mov_to(s->b, cpu_R[15], c32(s, s->pc));
    ir_raise(s->b, excp);
    s->is_jmp = DISAS_NORETURN;
}

/* Alignment faults Linux does not fix up (exclusives, acquire/release, VFP
 * loads/stores): the kernel's alignment handler gives up on them and the
 * data abort becomes SIGBUS/BUS_ADRALN at the address.  The accesses carry
 * IR_MO_ALIGN; this explicit IR test is for STREX, whose store is skipped
 * when the monitor fails.  The fault path leaves through raise like any
 * guest exception, with the pc of this instruction (ITSTATE is already
 * precise). */
void gen_align_check(DisasContext *s, IRTemp addr, unsigned bytes)
{
    if (bytes <= 1)
        return;
    IRBlock *b = s->b;
    /* a known address (a VLDR literal at Align(PC, 4) + imm * 4) */
    if (ir_temp_is_const(b, addr) && !(b->temps[addr].value & (bytes - 1)))
        return;
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_TSTEQ, addr, c32(s, bytes - 1), ok);
    tr_gen_fault_info(b, ir_extu_i32_i64(b, addr), EXEC_ACCESS_WRITE, EXEC_FAULT_ALIGNMENT);
    ir_mov_to(b, cpu_R[15], c32(s, s->pc));
    ir_raise(b, EXCP_MEM_FAULT);
    ir_set_label(b, ok);
}

/* A block starting at an ARM-state pc with bit 1 set: reached through an
 * interworking branch (BX, BLX, LDR/POP pc, ALU writes on v7) to an address
 * whose low bits are 0b10.  ARMv7 calls it UNPREDICTABLE; ARMv8 (and
 * qemu-arm) take a PC alignment fault, which Linux (arm64 kernels running
 * AArch32 tasks, and qemu) delivers as SIGBUS/BUS_ADRALN at the pc. */
static void gen_pc_align_fault(DisasContext *s)
{
    ir_insn_start(s->b, s->pc);
    tr_gen_fault_info(s->b, ir_const64(s->b, s->pc), EXEC_ACCESS_EXEC, EXEC_FAULT_ALIGNMENT);
    gen_exception_insn(s, EXCP_MEM_FAULT);
}

void gen_svc(DisasContext *s)
{
    gen_condexec_exit(s);
    ir_mov_to(s->b, cpu_R[15], c32(s, s->pc + (s->thumb ? s->len : 4)));
    ir_raise(s->b, EXCP_SYSCALL);
    s->is_jmp = DISAS_NORETURN;
}

/* ---- conditions ---------------------------------------------------------- */

/* Branch to label when ARM condition cond (0..13) holds. */
static void gen_branch_if(DisasContext *s, unsigned cond, unsigned label)
{
    IRBlock *b = s->b;
    IRTemp zero = c32(s, 0), t;
    switch (cond) {
    case 0x0: ir_brcond(b, IR_COND_EQ, cpu_ZF, zero, label); break;   /* EQ: Z */
    case 0x1: ir_brcond(b, IR_COND_NE, cpu_ZF, zero, label); break;   /* NE */
    case 0x2: ir_brcond(b, IR_COND_NE, cpu_CF, zero, label); break;   /* CS */
    case 0x3: ir_brcond(b, IR_COND_EQ, cpu_CF, zero, label); break;   /* CC */
    case 0x4: ir_brcond(b, IR_COND_LT, cpu_NF, zero, label); break;   /* MI */
    case 0x5: ir_brcond(b, IR_COND_GE, cpu_NF, zero, label); break;   /* PL */
    case 0x6: ir_brcond(b, IR_COND_LT, cpu_VF, zero, label); break;   /* VS */
    case 0x7: ir_brcond(b, IR_COND_GE, cpu_VF, zero, label); break;   /* VC */
    case 0x8: case 0x9:   /* HI: C && !Z;  LS: !C || Z */
        t = ir_neg(b, cpu_CF);            /* all ones when C */
        ir_brcond(b, cond == 8 ? IR_COND_TSTNE : IR_COND_TSTEQ, t, cpu_ZF, label);
        break;
    case 0xa: case 0xb:   /* GE: N == V;  LT: N != V */
        t = ir_xor(b, cpu_NF, cpu_VF);
        ir_brcond(b, cond == 0xa ? IR_COND_GE : IR_COND_LT, t, zero, label);
        break;
    case 0xc: case 0xd:   /* GT: !Z && N == V;  LE: Z || N != V */
        t = ir_sari(b, ir_xor(b, cpu_NF, cpu_VF), 31);   /* 0 when N == V, else all ones */
        t = ir_andc(b, cpu_ZF, t);                        /* nonzero iff GT */
        ir_brcond(b, cond == 0xc ? IR_COND_NE : IR_COND_EQ, t, zero, label);
        break;
    default:
        ir_br(b, label);
        break;
    }
}

void gen_cond_skip(DisasContext *s, unsigned cond)
{
    s->skip_label = ir_label_new(s->b);
    s->cond_skip = true;
    gen_branch_if(s, cond ^ 1, s->skip_label);
}

/* ---- the block loop ------------------------------------------------------- */

static void disas_a32_insn(DisasContext *s, uint32_t insn)
{
    unsigned cond = insn >> 28;
    s->insn = insn;
    s->cond_skip = false;
    if (cond < 0xe) {
        s->skip_label = ir_label_new(s->b);
        s->cond_skip = true;
        gen_branch_if(s, cond ^ 1, s->skip_label);
    }
    if (!a32_decode(s, insn))
        gen_exception_insn(s, EXCP_UDEF);
}

/* The first instruction of a block cannot be fetched: a prefetch abort. */
static void gen_fetch_fault(DisasContext *s)
{
    ir_insn_start(s->b, s->pc);
    tr_gen_fault_info(s->b, ir_const64(s->b, s->pc), EXEC_ACCESS_EXEC, EXEC_FAULT_UNMAPPED);
    gen_exception_insn(s, EXCP_MEM_FAULT);
}

/* System mode: every guest access of the instruction just translated
 * (ops from first_op on) gets the mmu index of the block's privilege,
 * unless it chose one (the T forms: ARM_MMU_IDX_USER, which is nonzero),
 * and with SCTLR.A an alignment check.  One place, so that no load or
 * store of any instruction class can forget it. */
static void set_sys_memops(DisasContext *s, unsigned first_op)
{
    IRBlock *b = s->b;
    for (unsigned i = first_op; i < b->n_ops; i++) {
        IROp *op = &b->ops[i];
        if (op->opc != IR_OP_ld && op->opc != IR_OP_st && op->opc != IR_OP_cmpxchg)
            continue;
        uint64_t *mo = &op->args[op->n_out + op->n_in];
        if (!(*mo & IR_MO_MMU_MASK))
            *mo |= (uint64_t)(s->insn_user ? ARM_MMU_IDX_USER : s->mmu_idx) << IR_MO_MMU_SHIFT;
        if (s->align && (*mo & IR_MO_SIZE) != IR_MO_8 && !(*mo & (IR_MO_ALIGN | IR_MO_ALIGN4)))
            *mo |= IR_MO_ALIGN;
    }
}

void gen_exit_to_loop(DisasContext *s, IRTemp pc)
{
    gen_condexec_exit(s);
    if (pc != IR_TEMP_NONE)
        ir_mov_to(s->b, cpu_R[15], pc);
    ir_exit_tb(s->b, IR_EXIT_NOCHAIN);
    s->is_jmp = DISAS_NORETURN;
}

/* ---- the exec translator's hooks (exec/translator.h) ------------------------ */

static void arm_run_start(void *ctx, Translator *tr, uint64_t pc, uint64_t flags)
{
    DisasContext *s = ctx;
    const ARMCPU *env = (const ARMCPU *)tr_cpu(tr);
    *s = (DisasContext){
        .tr = tr,
        .b = tr_block(tr),
        .cpu = tr_cpu(tr),
        .pc = (uint32_t)pc,
        .features = env->features,
        .tb_flags = (uint32_t)flags,
        .thumb = (flags & ARM_TBFLAG_THUMB) != 0,
        .condexec_cpu = (flags >> ARM_TBFLAG_CONDEXEC_SHIFT) & 0xff,
        .vfp_fast = (flags & ARM_TBFLAG_VFP_FAST) != 0,
        .sys = (flags & ARM_TBFLAG_SYS) != 0,
        .user = (flags & ARM_TBFLAG_USER) != 0,
        .align = (flags & ARM_TBFLAG_ALIGN) != 0,
        .vfp_en = (flags & ARM_TBFLAG_VFP_EN) != 0,
        .mmu_idx = (flags & ARM_TBFLAG_USER) ? ARM_MMU_IDX_USER : ARM_MMU_IDX_PRIV,
    };
    s->condexec = s->condexec_after = s->condexec_cpu;
}

static TrStatus arm_translate_insn(void *ctx, uint64_t pc64, unsigned *len_out)
{
    DisasContext *s = ctx;
    IRBlock *b = s->b;
    bool may_fault = tr_first_insn(s->tr) && !tr_lookahead(s->tr);
    s->pc = (uint32_t)pc64;
    uint32_t insn = 0;
    unsigned len = s->thumb ? 2 : 4;
    if (!s->thumb && (s->pc & 3)) {
        if (!may_fault)
            return TR_STOP_BEFORE;
        gen_pc_align_fault(s);
        *len_out = 0;
        return TR_EXITED;
    }
    bool fetched = tr_code_read(s->tr, s->pc, &insn, len);
    if (fetched && s->thumb && thumb_insn_is_32bit(insn)) {
        uint32_t hw2 = 0;
        /* A 32-bit Thumb instruction may straddle into a bad page. */
        fetched = tr_code_read(s->tr, s->pc + 2, &hw2, 2);
        insn = insn << 16 | hw2;
        len = 4;
    }
    if (!fetched) {
        if (!may_fault)
            return TR_STOP_BEFORE;   /* end before it; the next block faults precisely */
        gen_fetch_fault(s);
        *len_out = 0;
        return TR_EXITED;
    }
    ir_insn_start(b, s->pc);
    s->is_jmp = DISAS_NEXT;
    s->len = len;
    unsigned first_op = b->n_ops;
    s->insn_user = false;
    if (s->thumb) {
        thumb_translate_insn(s, insn);
        s->condexec = s->condexec_after;
    } else {
        disas_a32_insn(s, insn);
    }
    if (s->sys)
        set_sys_memops(s, first_op);
    if (s->cond_skip) {
        ir_set_label(b, s->skip_label);
        /* Condition failed: the next instruction, in this block when exec
         * extends it past the exit (loop heads), else through an exit. */
        if (s->is_jmp == DISAS_NORETURN) {
            if (tr_cond_exit_continue(s->tr))
                s->is_jmp = DISAS_NEXT;
            else
                gen_goto_tb(s, s->pc + len, 0);
        }
    }
    *len_out = len;
    return s->is_jmp == DISAS_NORETURN ? TR_EXITED : s->is_jmp == DISAS_UPDATE ? TR_END_AFTER : TR_NEXT;
}

static void arm_end_block(void *ctx, uint64_t pc, bool state_changed)
{
    DisasContext *s = ctx;
    gen_goto_tb(s, (uint32_t)pc, state_changed ? TR_GOTO_FLAGS_UNKNOWN : 0);
}

static void arm_gen_set_pc(void *ctx, uint64_t dest)
{
    DisasContext *s = ctx;
    ir_mov_to(s->b, cpu_R[15], c32(s, (uint32_t)dest));
}

/* For exec's loop-head detection: the length of the instruction at pc and
 * whether it is a direct branch (B, Bcc, B.W, Bcc.W), read with probes. */
static unsigned arm_insn_branch(CPUCommon *cpu, uint64_t pc64, uint64_t flags, uint64_t *target,
                                bool *is_branch)
{
    uint32_t pc = (uint32_t)pc64, insn = 0, t = 0;
    unsigned len;
    if (!(flags & ARM_TBFLAG_THUMB)) {
        if (!tr_code_probe(cpu, pc, &insn, 4))
            return 0;
        len = 4;
    } else {
        uint16_t hw = 0, hw2 = 0;
        if (!tr_code_probe(cpu, pc, &hw, 2))
            return 0;
        insn = hw;
        len = 2;
        if (thumb_insn_is_32bit(hw)) {
            if (!tr_code_probe(cpu, pc + 2, &hw2, 2))
                return 0;
            insn = insn << 16 | hw2;
            len = 4;
        }
    }
    *is_branch = arm_insn_direct_branch(insn, len, (flags & ARM_TBFLAG_THUMB) != 0, pc, &t);
    *target = t;
    return len;
}

const TranslatorOps arm_translator_ops = {
    .ctx_size = sizeof(DisasContext),
    .run_start = arm_run_start,
    .translate_insn = arm_translate_insn,
    .end_block = arm_end_block,
    .gen_set_pc = arm_gen_set_pc,
    .insn_branch = arm_insn_branch,
};
