/*
 * target-i386.c — the LinuxTarget of vemu-i386: 32-bit x86 programs as a
 * 64-bit Linux kernel runs them (its compat layer: selectors 0x23/0x2b,
 * TLS entries 12-14 in the GDT).
 *
 * System calls: int 0x80 (and sysenter, treated alike; glibc makes its
 * calls through the vDSO's __kernel_vsyscall, which uses int 0x80), the
 * number in eax, arguments in ebx ecx edx esi edi ebp, 64-bit arguments
 * in two registers without alignment.  The ABI and the i386-only calls
 * are linux-user/x86/x86-ia32.c's (vemu-x86_64 runs them too).
 */
#include <elf.h>
#include <signal.h>
#include <string.h>

#include "linux-user/i386/target-i386.h"
#include "linux-user/x86/x86-user.h"

static const LinuxAbi *const i386_abis[1] = { &i386_abi };

static void i386_init_thread(CPUCommon *cpu, const LinuxImageInfo *info)
{
    x86_user_init_thread(cpu, info, false);
    memset(x86(cpu)->tls_gdt, 0, sizeof(x86(cpu)->tls_gdt));
}

static void i386_syscall_args(const CPUCommon *cpu, uint64_t a[7])
{
    static const int order[6] = { X86_RBX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_RBP };
    for (int i = 0; i < 6; i++)
        a[i] = (uint32_t)cx86(cpu)->regs[order[i]];
    a[6] = 0;
}

static void i386_syscall_return(CPUCommon *cpu, int64_t ret)
{
    x86(cpu)->regs[X86_RAX] = (uint32_t)ret;
}

static void i386_set_sp(CPUCommon *cpu, uint64_t sp) { x86(cpu)->regs[X86_RSP] = (uint32_t)sp; }

/* clone(CLONE_SETTLS)'s tls argument is a struct user_desc. */
static void i386_set_tls(CPUCommon *cpu, uint64_t tls)
{
    x86_set_thread_area(x86(cpu), tls, false);
}

static const char *i386_platform(const CPUCommon *cpu) { return "i686"; }
static const char *i386_uname_machine(const CPUCommon *cpu) { return "i686"; }

const LinuxTarget linux_target = {
    .name = "i386",
    .prog_name = "vemu-i386",
    .fe = &x86_frontend_i386,
    .elf_machine = EM_386,
    .elf_class = ELFCLASS32,
    .elf_data = ELFDATA2LSB,
    .guest_space_size = 1ull << 32,
    /* a 64-bit kernel's TASK_SIZE for 32-bit tasks is 0xffffe000 */
    .stack_top = 0xffffe000ull,
    .et_dyn_base = 0x00400000,          /* ELF_ET_DYN_BASE for ia32 */
    .mmap_min_addr = 0x10000,
    .open_flags = x86_open_flags,       /* x86's numbers to the host's */
    .n_open_flags = X86_N_OPEN_FLAGS,
    .default_cpu_model = NULL,
    .set_cpu_model = x86_user_set_model,
    .cpu_model_names = x86_user_cpu_model_names,
    .init_thread = i386_init_thread,
    .vdso = &i386_vdso,
    .hwcap = x86_user_hwcap,
    .hwcap2 = x86_user_hwcap2,
    .platform = i386_platform,
    .uname_machine = i386_uname_machine,
    .abi = &i386_abi,
    .abis = i386_abis,
    .n_abis = 1,
    .syscall_nr = x86_user_syscall_nr,
    .syscall_args = i386_syscall_args,
    .syscall_return = i386_syscall_return,
    .set_tls = i386_set_tls,
    .get_pc = x86_user_get_pc,
    .get_sp = x86_user_get_sp,
    .set_sp = i386_set_sp,
    .setup_signal_frame = i386_setup_signal_frame,
    .restore_signal_frame = i386_restore_signal_frame,
    .syscall_restart = x86_user_syscall_restart,
    .write_cpuinfo = x86_user_write_cpuinfo,
    .handle_exception = x86_user_handle_exception,
    .udef_si_code = ILL_ILLOPN,         /* do_error_trap(X86_TRAP_UD) */
    .bkpt_si_code = 0x80,               /* SI_KERNEL: int3 is do_int3's SIGTRAP */
    .bkpt_no_addr = true,
};
