/*
 * translate-misc.c — NOPs, flag instructions (CLC STC CMC CLD STD LAHF
 * SAHF), system calls and traps, CPUID, RDTSC, fences, and the
 * instructions user mode may not run (#GP, which Linux delivers as
 * SIGSEGV).
 */
#include "frontend-x86/x86-translate.h"

bool x86_trans_NOP(DisasContext *s, X86Insn *d)
{
    return true;
}

/* ---- flags ---- */

static void set_eflags_record(DisasContext *s, IRTemp f)
{
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, f, IR_TEMP_NONE);
}

bool x86_trans_CLC(DisasContext *s, X86Insn *d)
{
    set_eflags_record(s, ir_andi(s->b, x86_gen_eflags(s), ~(uint64_t)X86_EFLAGS_CF));
    return true;
}

bool x86_trans_STC(DisasContext *s, X86Insn *d)
{
    set_eflags_record(s, ir_or(s->b, x86_gen_eflags(s), tlc(s, X86_EFLAGS_CF)));
    return true;
}

bool x86_trans_CMC(DisasContext *s, X86Insn *d)
{
    set_eflags_record(s, ir_xor(s->b, x86_gen_eflags(s), tlc(s, X86_EFLAGS_CF)));
    return true;
}

bool x86_trans_CLD(DisasContext *s, X86Insn *d)
{
    ir_mov_to(s->b, cpu_df, c32(s, 1));
    return true;
}

bool x86_trans_STD(DisasContext *s, X86Insn *d)
{
    ir_mov_to(s->b, cpu_df, c32(s, (uint32_t)-1));
    return true;
}

#define LAHF_MASK (X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | X86_EFLAGS_CF)

/* LAHF / SAHF: in 64-bit code only with CPUID LAHF_LM */
bool x86_trans_LAHF(DisasContext *s, X86Insn *d)
{
    if (s->code64 && !x86_has(s, X86_FEAT_LAHF_LM))
        return false;
    IRTemp f = ir_or(s->b, ir_andi(s->b, x86_gen_eflags(s), LAHF_MASK), tlc(s, X86_EFLAGS_FIXED));
    x86_store_reg(s, X86_OT_8, X86_RAX, true, f);
    return true;
}

bool x86_trans_SAHF(DisasContext *s, X86Insn *d)
{
    if (s->code64 && !x86_has(s, X86_FEAT_LAHF_LM))
        return false;
    IRBlock *b = s->b;
    IRTemp ah = x86_load_reg(s, X86_OT_8, X86_RAX, true);
    IRTemp f = ir_or(b, ir_andi(b, x86_gen_eflags(s), X86_EFLAGS_OF), ir_andi(b, ah, LAHF_MASK));
    set_eflags_record(s, f);
    return true;
}

/* ---- system calls and traps ---- */

/* SYSCALL (64-bit code), INT 0x80, SYSENTER: linux-user reads the
 * registers; rip is after the instruction */
bool x86_trans_SYSCALL(DisasContext *s, X86Insn *d)
{
    x86_gen_exception_next(s, EXCP_SYSCALL);
    return true;
}

bool x86_trans_SYSENTER(DisasContext *s, X86Insn *d)
{
    x86_gen_exception_next(s, EXCP_SYSCALL);
    return true;
}

/* INT3 and INT1 (ICEBP) are traps: SIGTRAP with rip after them */
bool x86_trans_INT3(DisasContext *s, X86Insn *d)
{
    x86_gen_exception_next(s, EXCP_BKPT);
    return true;
}

bool x86_trans_INT1(DisasContext *s, X86Insn *d)
{
    x86_gen_exception_next(s, EXCP_BKPT);
    return true;
}

/* INT n: Linux's gates other than 0x80 and 3 are kernel-only: #GP */
bool x86_trans_INT(DisasContext *s, X86Insn *d)
{
    unsigned n = (unsigned)d->op[0].imm & 0xff;
    if (n == 0x80)
        x86_gen_exception_next(s, EXCP_SYSCALL);
    else if (n == 3)
        x86_gen_exception_next(s, EXCP_BKPT);
    else
        x86_gen_exception(s, X86_EXCP_GP);
    return true;
}

/* HLT, CLI/STI, IN/OUT/INS/OUTS, LGDT ... at CPL 3: #GP */
bool x86_trans_HLT(DisasContext *s, X86Insn *d)
{
    x86_gen_exception(s, X86_EXCP_GP);
    return true;
}

bool x86_trans_PRIV(DisasContext *s, X86Insn *d)
{
    x86_gen_exception(s, X86_EXCP_GP);
    return true;
}

/* UD2, UD1, UD0: #UD by definition */
bool x86_trans_UD(DisasContext *s, X86Insn *d)
{
    return false;
}

/* ---- identification and time ---- */

bool x86_trans_CPUID(DisasContext *s, X86Insn *d)
{
    ir_call_helper(s->b, &x86_h_cpuid, NULL);
    return true;
}

static void store_edx_eax(DisasContext *s, IRTemp v64)
{
    IRBlock *b = s->b;
    IRTemp lo = ir_extrl_i64_i32(b, v64), hi = ir_extrh_i64_i32(b, v64);
    if (s->tl == IR_I64) {
        lo = ir_extu_i32_i64(b, lo);
        hi = ir_extu_i32_i64(b, hi);
    }
    x86_store_reg(s, X86_OT_32, X86_RAX, false, lo);
    x86_store_reg(s, X86_OT_32, X86_RDX, false, hi);
}

bool x86_trans_RDTSC(DisasContext *s, X86Insn *d)
{
    store_edx_eax(s, ir_call_helper(s->b, &x86_h_rdtsc, NULL));
    return true;
}

/* RDTSCP: also IA32_TSC_AUX in ecx (Linux: the cpu number; one cpu here) */
bool x86_trans_RDTSCP(DisasContext *s, X86Insn *d)
{
    store_edx_eax(s, ir_call_helper(s->b, &x86_h_rdtsc, NULL));
    x86_store_reg(s, X86_OT_32, X86_RCX, false, tlc(s, 0));
    return true;
}

/* ---- ordering ---- */

bool x86_trans_MFENCE(DisasContext *s, X86Insn *d)
{
    ir_mb(s->b);
    return true;
}

bool x86_trans_LFENCE(DisasContext *s, X86Insn *d)
{
    ir_mb(s->b);
    return true;
}

bool x86_trans_SFENCE(DisasContext *s, X86Insn *d)
{
    ir_mb(s->b);
    return true;
}

/* CLFLUSH: no cache to flush; the line must be mapped */
bool x86_trans_CLFLUSH(DisasContext *s, X86Insn *d)
{
    x86_ld(s, X86_OT_8, d->addr);
    return true;
}
