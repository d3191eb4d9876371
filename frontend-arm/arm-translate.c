/*
 * arm-translate.c — the ARM block translator: globals, the per-block loop,
 * conditional execution, and the register/pc write rules every instruction
 * class uses.  The instruction classes live in translate-*.c; the decoder is
 * generated from a32.decode.
 *
 * Block ending rules:
 *   - a direct branch:  goto_tb(0); pc = target; exit_tb(CHAIN0)
 *   - the fall-through of a conditional instruction that ended the block:
 *                        goto_tb(1); pc = next;   exit_tb(CHAIN1)
 *   - any write to the pc by a register value (BX, LDR pc, LDM {..pc},
 *     MOV pc, ...): pc (and the Thumb flag) set, then goto_lookup
 *   - SVC: pc = next insn, raise EXCP_SYSCALL; BKPT/UDF: pc = insn, raise
 *   - max_insns reached, a 4 KiB page boundary, an instruction that changes
 *     translation state, or unfetchable code: goto_tb(0) to the next insn.
 * regs[15] is only written at those exits: inside a block reading r15 gives
 * the constant address of the instruction + 8.
 */
#include <signal.h>
#include <stddef.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-vfp.h"
#include "frontend-arm/arm-iwmmxt.h"
#include "exec/frontend.h"

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
    static const char *const names[16] = {
        "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
        "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc",
    };
    if (arm_globals.n)
        return;
    for (int i = 0; i < 16; i++)
        cpu_R[i] = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, regs[i]), names[i]);
    cpu_NF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, NF), "NF");
    cpu_ZF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, ZF), "ZF");
    cpu_CF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, CF), "CF");
    cpu_VF = ir_global_new(&arm_globals, IR_I32, offsetof(ARMCPU, VF), "VF");
    /* NZCV written by nearly every Thumb-16 ALU op and dead again at the
     * next compare: a load in between need not keep them exact (the
     * trade-off is in docs/architecture.md). */
    arm_globals.g[cpu_NF].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
    arm_globals.g[cpu_ZF].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
    arm_globals.g[cpu_CF].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
    arm_globals.g[cpu_VF].gflags |= IR_GLOBAL_LAZY_AT_FAULT;
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

/* The tb_flags the cpu will have after an exit whose Thumb bit is `thumb`
 * (a 0/1 temp): for the inline jump-cache probe of goto_lookup_pc.  The
 * bits other than Thumb and ITSTATE (the VFP mode) cannot change inside a
 * block, so they come from this block's own flags. */
static IRTemp gen_exit_tb_flags(DisasContext *s, IRTemp thumb)
{
    uint32_t fixed = s->tb_flags & ~(ARM_TBFLAG_THUMB | 0xffu << ARM_TBFLAG_CONDEXEC_SHIFT);
    uint32_t in_thumb = fixed | ARM_TBFLAG_THUMB | (s->condexec_after & 0xffu) << ARM_TBFLAG_CONDEXEC_SHIFT;
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

static void discard_dead_flags(DisasContext *s, uint32_t dest);

/* The tb_flags of the block a direct exit leads to (same Thumb state). */
static uint32_t direct_exit_tb_flags(const DisasContext *s)
{
    return (s->tb_flags & ~(0xffu << ARM_TBFLAG_CONDEXEC_SHIFT)) |
           (s->condexec_after & 0xffu) << ARM_TBFLAG_CONDEXEC_SHIFT;
}

static bool region_branch(DisasContext *s, uint32_t dest);
static bool take_chain_slot(DisasContext *s, unsigned *slot);

static void gen_goto_tb(DisasContext *s, unsigned slot, uint32_t dest)
{
    gen_condexec_exit(s);
    if (region_branch(s, dest))
        return;
    discard_dead_flags(s, dest);
    if (!take_chain_slot(s, &slot)) {
        /* more exits than chain slots: probe the jump cache (for the
         * target's state: BLX switches the Thumb bit) */
        bool thumb = s->exit_mode_switch ? !s->thumb : s->thumb;
        ir_mov_to(s->b, cpu_R[15], c32(s, dest));
        gen_goto_lookup_pc(s, gen_exit_tb_flags(s, c32(s, thumb)));
        return;
    }
    ir_goto_tb(s->b, slot);
    ir_mov_to(s->b, cpu_R[15], c32(s, dest));
    ir_exit_tb(s->b, slot ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
}

/* Following unconditional branches.  `b handler_done` at the end of an
 * interpreter's opcode handler, `b loop_head`, a `bl` to a small leaf:
 * instead of ending the block there, translation continues at the target,
 * so the code after the branch joins the block (its registers stay in host
 * registers, no chained jump, no block entry) and each copy of a dispatch
 * sequence ends in its own host indirect jump, which the host predicts per
 * handler.  Only targets in the block's first page (a change there
 * invalidates this block: exec checks [guest_lo, pc + size)), at most
 * FOLLOW_MAX per block, never into code the block already covers (no
 * unrolling), never with a mode switch or while debugging. */
#define FOLLOW_MAX 4

static bool try_follow_branch(DisasContext *s, uint32_t dest, bool to_thumb)
{
    if (!s->flags_liveness || s->peek || s->cond_skip || to_thumb != s->thumb ||
        s->n_follow >= FOLLOW_MAX || ((dest ^ s->block_start) & ~0xfffu) ||
        (dest >= s->run_start && dest < s->pc + s->len))
        return false;
    for (unsigned i = 0; i < s->n_follow; i++)
        if (dest >= s->done_lo[i] && dest < s->done_hi[i])
            return false;
    s->done_lo[s->n_follow] = s->run_start;
    s->done_hi[s->n_follow] = s->pc + s->len;
    s->run_start = dest;
    s->n_follow++;
    s->follow_pending = true;
    s->follow_dest = dest;
    return true;
}

void gen_jump_direct(DisasContext *s, uint32_t dest, bool to_thumb)
{
    if (try_follow_branch(s, dest, to_thumb))
        return;
    if (to_thumb != s->thumb)
        ir_mov_to(s->b, cpu_thumb, c32(s, to_thumb));
    s->exit_mode_switch = to_thumb != s->thumb;
    gen_goto_tb(s, 0, dest);
    s->exit_mode_switch = false;
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
    ir_st_env(b, ir_extu_i32_i64(b, addr), offsetof(CPUCommon, fault_addr), IR_MO_64);
    ir_mov_to(b, cpu_R[15], c32(s, s->pc));
    ir_raise(b, EXCP_BUS);
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
    ir_st_env(s->b, ir_const64(s->b, s->pc), offsetof(CPUCommon, fault_addr), IR_MO_64);
    gen_exception_insn(s, EXCP_BUS);
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
    ir_st_env(s->b, ir_const64(s->b, s->pc), offsetof(CPUCommon, fault_addr), IR_MO_64);
    ir_st_env(s->b, c32(s, SEGV_MAPERR), offsetof(CPUCommon, fault_code), IR_MO_32);
    ir_st_env(s->b, c32(s, 0), offsetof(CPUCommon, fault_is_write), IR_MO_32);
    gen_exception_insn(s, EXCP_SEGV);
}

/* Extended blocks: in a loop head (see "regions" below: a branch back to
 * the block's start lies ahead), translation goes on past up to this many
 * conditional exits (a conditional branch, return, svc ...), so a loop
 * body with early exits (`ldrh; cmp; bhs out; subs; beq out; ...; bne
 * top`, gzip's longest_match) becomes one block that loops inside itself.
 * Each exit takes a chain slot while there are (two), then a jump-cache
 * probe.  Outside loop heads it measured worse (hot mid-block exits lose
 * their chained jump), so it is not done there. */
#define COND_EXITS_MAX 3

/* Translate instructions from s->pc until the block ends (returns true:
 * s->is_jmp is DISAS_NORETURN, the exits are emitted) or should end before
 * the next instruction (false).  stop(s) is asked after each instruction. */
static bool translate_insns(DisasContext *s, unsigned max_insns, bool (*stop)(DisasContext *s))
{
    IRBlock *b = s->b;
    unsigned n = 0;             /* in this call */
    for (;;) {
        /* A followed branch's run reached code this block already has:
         * leave for it instead of translating it twice. */
        for (unsigned i = 0; i < s->n_follow; i++)
            if (s->pc >= s->done_lo[i] && s->pc < s->done_hi[i])
                return false;
        uint32_t insn = 0;
        unsigned len = s->thumb ? 2 : 4;
        if (!s->thumb && (s->pc & 3)) {
            if (n == 0 && !s->peek) {
                gen_pc_align_fault(s);
                return true;
            }
            return false;
        }
        bool fetched = (!s->peek || (s->pc & 0xfffu) <= 0x1000u - len) &&
                       exec_code_fetch(s->cpu, s->pc, &insn, len);
        if (fetched && s->thumb && thumb_insn_is_32bit(insn)) {
            uint32_t hw2 = 0;
            /* A 32-bit Thumb instruction may straddle into a bad page. */
            fetched = (!s->peek || ((s->pc + 2) & 0xfffu) != 0) &&
                      exec_code_fetch(s->cpu, s->pc + 2, &hw2, 2);
            insn = insn << 16 | hw2;
            len = 4;
        }
        if (!fetched) {
            if (n == 0 && !s->peek) {
                gen_fetch_fault(s);
                return true;
            }
            return false;    /* end before it; the next block faults precisely */
        }
        ir_insn_start(b, s->pc);
        if (s->pc < s->lo)
            s->lo = s->pc;
        s->is_jmp = DISAS_NEXT;
        s->len = len;
        s->cond_exit_pending = s->region && s->flags_liveness && !s->peek &&
                               s->n_cond_exits < COND_EXITS_MAX;
        if (s->thumb) {
            thumb_translate_insn(s, insn);
            s->condexec = s->condexec_after;
        } else {
            disas_a32_insn(s, insn);
        }
        n++;
        s->n_insns++;
        bool went_on = s->cond_exit_pending;
        s->cond_exit_pending = false;
        if (s->cond_skip) {
            ir_set_label(b, s->skip_label);
            if (s->is_jmp == DISAS_NORETURN) {
                /* Condition failed: the next instruction, in this block
                 * when it is an extended one (COND_EXITS_MAX). */
                if (went_on) {
                    s->n_cond_exits++;
                    s->is_jmp = DISAS_NEXT;
                } else {
                    gen_goto_tb(s, 1, s->pc + len);
                }
            }
        }
        s->pc += len;
        if (s->pc > s->hi)
            s->hi = s->pc;
        if (s->follow_pending) {
            s->follow_pending = false;
            s->pc = s->follow_dest;
            if (s->n_insns >= max_insns)
                return false;           /* the exit goes to the target */
            continue;
        }
        if (s->is_jmp == DISAS_NORETURN)
            return true;
        if (stop && stop(s))
            return false;
        /* stop at (or, for a straddling Thumb-2 insn, past) a page boundary */
        if (s->is_jmp == DISAS_UPDATE || s->n_insns >= max_insns || ((s->pc - len) ^ s->pc) & ~0xfffu)
            return false;
    }
}

/* ---- flags liveness across blocks ------------------------------------------
 *
 * Every flag-setting instruction writes NF, ZF, CF and VF, and at a block
 * exit all four must be in the cpu state because the next block may read
 * them: a `cmp; bhi` loop computed and stored all four on every iteration
 * although only the fused compare-and-branch needed them.  Most successors
 * (a loop's own head, the code after a compare) set the flags again before
 * anything reads them.  So before a direct exit we translate the first few
 * instructions at the target into a scratch block and look at its IR in
 * order: a flag written before it is read (on the straight-line path, before
 * the first branch, label, exit or helper that reads globals) is dead at the
 * exit and gets a `discard`, and DCE deletes its computation.
 *
 * Sound because:
 *   - the target is only looked at when it lies in this block's first page:
 *     code there that changes invalidates this block too (exec drops every
 *     block of a written code page), so the decision never outlives the code
 *     it was made on;
 *   - the target is translated with the tb_flags it will run with (Thumb
 *     bit, ITSTATE after the exit); exits that change the Thumb bit or the
 *     translation state (DISAS_UPDATE) are not optimised.
 * The trade-off, as in other fast translators: a signal delivered at the
 * start of the successor, or a fault inside it before it sets the flags,
 * shows the flags of an older instruction in the signal frame.  The program
 * cannot tell (it overwrites them before reading, and sigreturn resumes
 * there), only a handler that inspects uc_mcontext.arm_cpsr or a debugger
 * can; with the gdbstub in use exec asks for exact state and this is off.
 */
typedef struct FlagsPeek {
    unsigned scanned;       /* ops of the scratch block looked at so far */
    unsigned live, killed;  /* bit i: flag i read / written first */
    bool done;
} FlagsPeek;

/* How far the look-ahead goes: it stops earlier at the first branch or
 * when all four flags are decided; long straight-line loop bodies (a CRC
 * round) set the flags only at their end. */
#define PEEK_MAX_INSNS 8

static __thread IRBlock peek_block;
static __thread FlagsPeek peek;

static int flag_index(IRTemp t)
{
    if (t == cpu_NF) return 0;
    if (t == cpu_ZF) return 1;
    if (t == cpu_CF) return 2;
    if (t == cpu_VF) return 3;
    return -1;
}

static void peek_scan(const IRBlock *b)
{
    unsigned i;
    for (i = peek.scanned; i < b->n_ops && !peek.done; i++) {
        const IROp *op = &b->ops[i];
        unsigned f = ir_op_defs[op->opc].flags;
        if (op->opc == IR_OP_insn_start || op->opc == IR_OP_nop)
            continue;
        if ((op->opc == IR_OP_call && !(ir_op_helper(op)->flags & IR_HELPER_NO_READ_GLOBALS)) ||
            (f & IR_OPF_READS_STATE)) {
            peek.done = true;       /* may read any flag: the undecided stay live */
            break;
        }
        for (unsigned k = 0; k < op->n_in; k++) {
            int x = flag_index(ir_op_in(op, k));
            if (x >= 0 && !((peek.live | peek.killed) & 1u << x))
                peek.live |= 1u << x;
        }
        for (unsigned k = 0; k < op->n_out; k++) {
            int x = flag_index(ir_op_out(op, k));
            if (x >= 0 && !((peek.live | peek.killed) & 1u << x))
                peek.killed |= 1u << x;
        }
        if ((f & (IR_OPF_BRANCH | IR_OPF_LABEL | IR_OPF_BLOCK_END | IR_OPF_SYNC_GLOBALS)) ||
            (peek.live | peek.killed) == 0xf)
            peek.done = true;
    }
    peek.scanned = i;
}

static bool peek_stop(DisasContext *s)
{
    peek_scan(s->b);
    return peek.done;
}

static void discard_dead_flags(DisasContext *s, uint32_t dest)
{
    if (!s->flags_liveness || s->peek || s->is_jmp == DISAS_UPDATE || s->exit_mode_switch ||
        ((dest ^ s->block_start) & ~0xfffu))
        return;
    uint32_t it = s->condexec_after & 0xff;
    DisasContext p = {
        .b = &peek_block,
        .cpu = s->cpu,
        .pc = dest,
        .block_start = dest,
        .features = s->features,
        .tb_flags = direct_exit_tb_flags(s),
        .thumb = s->thumb,
        .condexec = it,
        .condexec_after = it,
        .condexec_cpu = it,
        .vfp_fast = s->vfp_fast,
        .peek = true,
    };
    if (!peek_block.globals)
        ir_block_init(&peek_block, &arm_globals, dest);
    else
        ir_block_reset(&peek_block, dest);
    peek = (FlagsPeek){ 0 };
    translate_insns(&p, PEEK_MAX_INSNS, peek_stop);
    peek_scan(&peek_block);
    static const IRTemp *const flag_temps[4] = { &cpu_NF, &cpu_ZF, &cpu_CF, &cpu_VF };
    for (int x = 0; x < 4; x++)
        if (peek.killed & 1u << x)
            ir_discard(s->b, *flag_temps[x]);
}

/* ---- regions: loops of several blocks -------------------------------------
 *
 * A loop whose body has branches inside it (Collatz: `tst; orreq; lsreq;
 * beq` → two paths → back) is several guest blocks.  Chained, each of them
 * loads the guest registers it uses from the cpu state and stores what it
 * changed, on every iteration.  When the block being translated is a loop
 * head (a direct branch within the next REGION_SPAN bytes of the same page
 * targets it), we translate the loop as one region instead: a direct exit to
 * an address in [entry, entry + REGION_SPAN) with the same translation state
 * becomes a branch to a label inside the block, and the code at that address
 * is translated later in the same block (at most REGION_MAX_PARTS parts).
 * The backend then keeps guest registers in host registers around the loop
 * (docs/backend-x86_64.md, "Loops") and DCE sees the flags across the parts.
 *
 * Rules that keep it exact:
 *   - a branch back to a part already placed (every cycle has one) first
 *     checks exit_request, so signals and exit requests still get through;
 *     for the entry that is exit_check (whose exit restarts the block at its
 *     start), for other parts an explicit test that leaves with the pc of
 *     the part;
 *   - every part lies at or after the entry, in its page: the block covers
 *     [entry, end of the last part), which is what invalidation looks at;
 *   - a region has two chain slots like any block; further exits probe the
 *     jump cache (goto_lookup_pc).
 */
#define REGION_SPAN 512
/* 1: only loops of one block.  Multi-part regions work (make
 * CFLAGS=-DREGION_MAX_PARTS=12) but measured no faster yet: see
 * docs/backend-x86_64.md, "Loops", for the numbers and what is missing. */
#ifndef REGION_MAX_PARTS
#define REGION_MAX_PARTS 1
#endif

typedef struct RegionPart {
    uint32_t pc;
    unsigned label;
    bool placed;
} RegionPart;

typedef struct ArmRegion {
    uint32_t entry, limit;      /* parts lie in [entry, limit) */
    unsigned n;
    bool closed;                /* out of budget: no more branches inside */
    RegionPart part[REGION_MAX_PARTS];
} ArmRegion;

/* Does a direct branch in [entry, limit) jump to entry?  A cheap look at
 * the encodings (B/Bcc; T16 B/Bcc, T32 B.W/Bcc.W), before translating. */
static bool branch_back_to(CPUCommon *cpu, uint32_t entry, uint32_t limit, bool thumb)
{
    uint32_t pc = entry;
    while (pc < limit) {
        uint32_t target = UINT32_MAX;
        if (!thumb) {
            uint32_t insn;
            if (!exec_code_fetch(cpu, pc, &insn, 4))
                return false;
            if ((insn & 0x0f000000u) == 0x0a000000u && (insn >> 28) != 0xf)
                target = pc + 8 + (uint32_t)(((int32_t)(insn << 8)) >> 6);
            pc += 4;
        } else {
            uint16_t hw = 0, hw2 = 0;
            if (!exec_code_fetch(cpu, pc, &hw, 2))
                return false;
            if (thumb_insn_is_32bit(hw)) {
                if (pc + 2 >= limit || !exec_code_fetch(cpu, pc + 2, &hw2, 2))
                    return false;
                uint32_t S = hw >> 10 & 1, J1 = hw2 >> 13 & 1, J2 = hw2 >> 11 & 1;
                if ((hw & 0xf800) == 0xf000 && (hw2 & 0xd000) == 0x8000 && ((hw >> 7) & 7) != 7) {
                    /* T3 Bcc.W */
                    uint32_t imm = S << 20 | J2 << 19 | J1 << 18 | (hw & 0x3fu) << 12 | (hw2 & 0x7ffu) << 1;
                    target = pc + 4 + (uint32_t)(((int32_t)(imm << 11)) >> 11);
                } else if ((hw & 0xf800) == 0xf000 && (hw2 & 0xd000) == 0x9000) {
                    /* T4 B.W */
                    uint32_t I1 = !(J1 ^ S), I2 = !(J2 ^ S);
                    uint32_t imm = S << 24 | I1 << 23 | I2 << 22 | (hw & 0x3ffu) << 12 | (hw2 & 0x7ffu) << 1;
                    target = pc + 4 + (uint32_t)(((int32_t)(imm << 7)) >> 7);
                }
                pc += 4;
            } else {
                if ((hw & 0xf000) == 0xd000 && ((hw >> 8) & 0xf) < 0xe)        /* T1 Bcc */
                    target = pc + 4 + (uint32_t)((int32_t)(int8_t)(hw & 0xff) * 2);
                else if ((hw & 0xf800) == 0xe000)                              /* T2 B */
                    target = pc + 4 + (uint32_t)(((int32_t)((uint32_t)hw << 21)) >> 20);
                pc += 2;
            }
        }
        if (target == entry)
            return true;
    }
    return false;
}

/* A direct exit to dest: a branch inside the region?  Emits it if so. */
static bool region_branch(DisasContext *s, uint32_t dest)
{
    ArmRegion *r = s->region;
    if (!r || r->closed || s->peek || s->is_jmp == DISAS_UPDATE || s->exit_mode_switch ||
        dest < r->entry || dest >= r->limit || direct_exit_tb_flags(s) != s->tb_flags)
        return false;
    RegionPart *p = NULL;
    for (unsigned i = 0; i < r->n && !p; i++)
        if (r->part[i].pc == dest)
            p = &r->part[i];
    if (!p) {
        if (r->n == REGION_MAX_PARTS)
            return false;
        p = &r->part[r->n++];
        *p = (RegionPart){ .pc = dest, .label = ir_label_new(s->b) };
    }
    discard_dead_flags(s, dest);            /* as for a chained exit */
    if (!p->placed) {
        ir_br(s->b, p->label);              /* forward: translated later */
    } else if (p == &r->part[0]) {
        ir_exit_check(s->b);                /* its exit restarts the block */
        ir_br(s->b, p->label);
    } else {
        IRTemp req = ir_ld_env(s->b, IR_I32, offsetof(CPUCommon, exit_request), IR_MO_32);
        ir_brcond(s->b, IR_COND_EQ, req, c32(s, 0), p->label);
        ir_mov_to(s->b, cpu_R[15], c32(s, dest));
        ir_exit_tb(s->b, IR_EXIT_NOCHAIN);
    }
    return true;
}

/* The chain slot for a direct exit: a block has two, handed out in the
 * order its exits are emitted (a block that continues past conditional
 * exits, or a region, may have more exits); false when both are taken. */
static bool take_chain_slot(DisasContext *s, unsigned *slot)
{
    for (unsigned k = 0; k < 2; k++)
        if (!(s->slots_used & 1u << k)) {
            s->slots_used |= 1u << k;
            *slot = k;
            return true;
        }
    return false;
}

uint32_t arm_translate_block(IRBlock *b, CPUCommon *cpu, uint64_t pc64, uint32_t flags,
                             unsigned max_insns)
{
    ARMCPU *env = (ARMCPU *)cpu;
    DisasContext s = {
        .b = b,
        .cpu = cpu,
        .pc = (uint32_t)pc64,
        .block_start = (uint32_t)pc64,
        .lo = (uint32_t)pc64,
        .hi = (uint32_t)pc64,
        .run_start = (uint32_t)pc64,
        .features = env->features,
        .tb_flags = flags,
        .thumb = (flags & ARM_TBFLAG_THUMB) != 0,
        .condexec_cpu = (flags >> ARM_TBFLAG_CONDEXEC_SHIFT) & 0xff,
        .vfp_fast = (flags & ARM_TBFLAG_VFP_FAST) != 0,
        .flags_liveness = !b->precise,
    };
    s.condexec = s.condexec_after = s.condexec_cpu;
    if (max_insns == 0)
        max_insns = 512;
    s.top_label = ir_label_new(b);
    ir_set_label(b, s.top_label);   /* DCE drops it when no loop uses it */

    ArmRegion region;
    uint32_t page_end = (s.block_start | 0xfffu) + 1;
    uint32_t limit = s.block_start + REGION_SPAN < page_end ? s.block_start + REGION_SPAN : page_end;
    if (s.flags_liveness && max_insns > 1 && limit > s.block_start &&
        branch_back_to(cpu, s.block_start, limit, s.thumb)) {
        region = (ArmRegion){ .entry = s.block_start, .limit = limit, .n = 1 };
        region.part[0] = (RegionPart){ .pc = s.block_start, .label = s.top_label, .placed = true };
        s.region = &region;
    }

    if (!translate_insns(&s, max_insns, NULL))
        gen_goto_tb(&s, 0, s.pc);
    /* the other parts of a region, in the order they were found */
    for (unsigned i = 1; s.region && i < region.n; i++) {
        RegionPart *p = &region.part[i];
        ir_set_label(b, p->label);
        p->placed = true;
        s.pc = p->pc;
        s.condexec = s.condexec_after = s.condexec_cpu = (flags >> ARM_TBFLAG_CONDEXEC_SHIFT) & 0xff;
        s.is_jmp = DISAS_NEXT;
        if (s.n_insns >= max_insns) {
            /* out of budget: leave for the part's address */
            region.closed = true;
            gen_goto_tb(&s, 0, p->pc);
            continue;
        }
        if (!translate_insns(&s, max_insns, NULL))
            gen_goto_tb(&s, 0, s.pc);
    }
    b->guest_lo = s.lo;
    return s.hi - s.block_start;
}
