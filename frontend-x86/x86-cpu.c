/*
 * x86-cpu.c — the x86 cpu as the engine sees it: reset, the translation
 * key, fault restore, the register list, logs; and the two Frontends,
 * x86_frontend_i386 (32-bit code, vemu-i386) and x86_frontend_x86_64
 * (64-bit code, vemu-x86_64).
 */
#include <stddef.h>
#include <string.h>

#include "frontend-x86/x87-fast.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-cpuid.h"
#include "frontend-x86/x86-flags.h"
#include "frontend-x86/x86-translate.h"

void x86_disas_mode(uint64_t flags, int *cs_arch, int *cs_mode);   /* x86-disas.c */

static bool is64(const CPUCommon *c)
{
    return c->fe == &x86_frontend_x86_64;
}

/* Everything after CPUCommon: the state a Linux process starts with
 * (user code segment, flags 0x202, x87 and MXCSR defaults). */
static void x86_cpu_reset(CPUCommon *common)
{
    X86CPU *cpu = (X86CPU *)common;
    bool code64 = is64(common);
    memset((char *)cpu + offsetof(X86CPU, regs), 0, sizeof(X86CPU) - offsetof(X86CPU, regs));
    cpu->cc_op = X86_CC_EFLAGS;
    cpu->df = 1;
    cpu->eflags_rest = X86_EFLAGS_IF;
    /* Linux's user selectors: __USER_CS, __USER_DS (__USER32_CS for i386) */
    cpu->seg_sel[X86_SEG_CS] = code64 ? 0x33 : 0x23;
    cpu->seg_sel[X86_SEG_SS] = cpu->seg_sel[X86_SEG_DS] = cpu->seg_sel[X86_SEG_ES] = 0x2b;
    cpu->code_mode = code64 ? X86_TBF_CODE64 : X86_TBF_CODE32;
    cpu->fpu.fcw = 0x37f;
    cpu->fpu.ftw = 0xffff;
    cpu->vec.mxcsr = X86_MXCSR_DEFAULT;
    cpu->model = x86_cpu_model_default(code64);
}

static uint64_t x86_get_pc(const CPUCommon *cpu)
{
    return ((const X86CPU *)cpu)->rip;
}

static void x86_set_pc(CPUCommon *cpu, uint64_t pc)
{
    ((X86CPU *)cpu)->rip = is64(cpu) ? pc : (uint32_t)pc;
}

/* insn_start words: the pc, then the cc_op the translator knew there
 * (X86_CC_DYNAMIC: cc_op in the cpu is already right). */
static void x86_restore_state(CPUCommon *c, const uint64_t *data)
{
    X86CPU *cpu = (X86CPU *)c;
    cpu->rip = data[0];
    if (data[1] != X86_CC_DYNAMIC)
        cpu->cc_op = (uint32_t)data[1];
    if (data[2] & X87_MAP_LIVE)
        x87_fast_restore(cpu, data[2]);
}

uint64_t x86_cpu_tb_flags(const X86CPU *cpu)
{
    return cpu->code_mode | x87_fast_tb_flags(cpu);
}

static void x86_get_tb_key(const CPUCommon *c, uint64_t *pc, uint64_t *cs_base, uint64_t *flags)
{
    const X86CPU *cpu = (const X86CPU *)c;
    *pc = cpu->rip;
    *cs_base = 0;
    *flags = x86_cpu_tb_flags(cpu);
}

static void x86_dump_state(const CPUCommon *c, FILE *out)
{
    const X86CPU *cpu = (const X86CPU *)c;
    uint32_t f = x86_eflags_read(cpu);
    static const char *const n64[] = { "RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
                                       "R8 ", "R9 ", "R10", "R11", "R12", "R13", "R14", "R15" };
    static const char *const n32[] = { "EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI" };
    if (is64(c)) {
        for (int i = 0; i < 16; i++)
            fprintf(out, "%s=%016llx%c", n64[i], (unsigned long long)cpu->regs[i], (i & 3) == 3 ? '\n' : ' ');
        fprintf(out, "RIP=%016llx", (unsigned long long)cpu->rip);
    } else {
        for (int i = 0; i < 8; i++)
            fprintf(out, "%s=%08x%c", n32[i], (uint32_t)cpu->regs[i], (i & 3) == 3 ? '\n' : ' ');
        fprintf(out, "EIP=%08x", (uint32_t)cpu->rip);
    }
    fprintf(out, " EFL=%08x [%c%c%c%c%c%c%c] FS=%llx GS=%llx\n", f,
            f & X86_EFLAGS_OF ? 'O' : '-', f & X86_EFLAGS_DF ? 'D' : '-', f & X86_EFLAGS_SF ? 'S' : '-',
            f & X86_EFLAGS_ZF ? 'Z' : '-', f & X86_EFLAGS_AF ? 'A' : '-', f & X86_EFLAGS_PF ? 'P' : '-',
            f & X86_EFLAGS_CF ? 'C' : '-', (unsigned long long)cpu->seg_base[X86_SEG_FS],
            (unsigned long long)cpu->seg_base[X86_SEG_GS]);
}

/* The core registers in gdb's order (eflags and the segment registers are
 * not plain fields: the gdb stub reads them with x86_eflags_read and
 * seg_sel). */
#define R(name, reg, bits, type) { name, offsetof(X86CPU, regs) + 8 * (reg), bits, type }
static const FrontendReg x86_64_regs[] = {
    R("rax", X86_RAX, 64, "int64"), R("rbx", X86_RBX, 64, "int64"), R("rcx", X86_RCX, 64, "int64"),
    R("rdx", X86_RDX, 64, "int64"), R("rsi", X86_RSI, 64, "int64"), R("rdi", X86_RDI, 64, "int64"),
    R("rbp", X86_RBP, 64, "data_ptr"), R("rsp", X86_RSP, 64, "data_ptr"),
    R("r8", X86_R8, 64, "int64"), R("r9", X86_R9, 64, "int64"), R("r10", X86_R10, 64, "int64"),
    R("r11", X86_R11, 64, "int64"), R("r12", X86_R12, 64, "int64"), R("r13", X86_R13, 64, "int64"),
    R("r14", X86_R14, 64, "int64"), R("r15", X86_R15, 64, "int64"),
    { "rip", offsetof(X86CPU, rip), 64, "code_ptr" },
};
static const FrontendReg x86_32_regs[] = {
    R("eax", X86_RAX, 32, "int32"), R("ecx", X86_RCX, 32, "int32"), R("edx", X86_RDX, 32, "int32"),
    R("ebx", X86_RBX, 32, "int32"), R("esp", X86_RSP, 32, "data_ptr"), R("ebp", X86_RBP, 32, "data_ptr"),
    R("esi", X86_RSI, 32, "int32"), R("edi", X86_RDI, 32, "int32"),
    { "eip", offsetof(X86CPU, rip), 32, "code_ptr" },
};
#undef R

static void x86_init(void)
{
    x86_translate_init();
}

const Frontend x86_frontend_i386 = {
    .name = "i386",
    .guest_bits = 32,
    .cpu_size = sizeof(X86CPU),
    .globals = &x86_globals32,
    .init = x86_init,
    .cpu_reset = x86_cpu_reset,
    .get_pc = x86_get_pc,
    .set_pc = x86_set_pc,
    .restore_state = x86_restore_state,
    .n_mmu_idx = 1,
    .get_tb_key = x86_get_tb_key,
    .translator = &x86_translator_ops,
    .disas_mode = x86_disas_mode,
    .dump_state = x86_dump_state,
    .regs = x86_32_regs,
    .n_regs = sizeof(x86_32_regs) / sizeof(x86_32_regs[0]),
};

const Frontend x86_frontend_x86_64 = {
    .name = "x86_64",
    .guest_bits = 64,
    .cpu_size = sizeof(X86CPU),
    .globals = &x86_globals64,
    .init = x86_init,
    .cpu_reset = x86_cpu_reset,
    .get_pc = x86_get_pc,
    .set_pc = x86_set_pc,
    .restore_state = x86_restore_state,
    .n_mmu_idx = 1,
    .get_tb_key = x86_get_tb_key,
    .translator = &x86_translator_ops,
    .disas_mode = x86_disas_mode,
    .dump_state = x86_dump_state,
    .regs = x86_64_regs,
    .n_regs = sizeof(x86_64_regs) / sizeof(x86_64_regs[0]),
};
