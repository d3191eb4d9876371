/*
 * target-x86_64.c — the LinuxTarget of vemu-x86_64: 64-bit x86 programs.
 *
 * System calls: `syscall`, the number in rax, arguments in rdi rsi rdx
 * r10 r8 r9, the result in rax (rcx and r11 are clobbered by the
 * instruction: the frontend's part).  `int $0x80` runs the i386 calls
 * (the kernel's compat entry): the number in eax, 32-bit arguments in
 * ebx ecx edx esi edi ebp, mmap below 4 GiB.  LP64: longs, pointers and 64-bit
 * arguments are one register; struct epoll_event is packed.
 *
 * The guest address space is a 512 GiB reservation at guest_base (see
 * docs/linux-user.md, "64-bit guests"): guest addresses are smaller than
 * native ones, which no correct program notices.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <string.h>

#include "linux-user/guest-mem.h"
#include "linux-user/syscall.h"
#include "linux-user/x86/x86-user.h"
#include "linux-user/x86_64/target-x86_64.h"

#include "linux-user/x86_64/syscall-table-x86_64.inc"

const LinuxAbi x86_64_abi = {
    .name = "x86_64",
    .syscalls = x86_64_syscalls,
    .n_syscalls = sizeof(x86_64_syscalls) / sizeof(x86_64_syscalls[0]),
    .pair_align = false,
    .llong_align = 8,
    .struct_align = 1,
    .long_size = 8,
    .args64 = true,
    .epoll_packed = true,
};

/* the i386 ABI is int $0x80's (x86_user_syscall_nr) */
static const LinuxAbi *const x86_64_abis[2] = { &x86_64_abi, &i386_abi };

#define X86_64_SPACE (1ull << 39)

static void x86_64_init_thread(CPUCommon *cpu, const LinuxImageInfo *info)
{
    x86_user_init_thread(cpu, info, true);
}

static void x86_64_syscall_args(const CPUCommon *cpu, uint64_t a[7])
{
    static const int order[6] = { X86_RDI, X86_RSI, X86_RDX, X86_R10, X86_R8, X86_R9 };
    static const int order32[6] = { X86_RBX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_RBP };
    bool compat = x86_user_compat_call();
    for (int i = 0; i < 6; i++)
        a[i] = compat ? (uint32_t)cx86(cpu)->regs[order32[i]] : cx86(cpu)->regs[order[i]];
    a[6] = 0;
}

/* A compat call's result is a long of the kernel's: an error sign-extends,
 * a value (at most 32 bits) zero-extends. */
static void x86_64_syscall_return(CPUCommon *cpu, int64_t ret)
{
    x86(cpu)->regs[X86_RAX] = x86_user_compat_call() && ret >= 0 ? (uint32_t)ret : (uint64_t)ret;
}

static void x86_64_set_sp(CPUCommon *cpu, uint64_t sp) { x86(cpu)->regs[X86_RSP] = sp; }

/* clone(CLONE_SETTLS)'s tls is the new fs base; through int $0x80 it is
 * i386's struct user_desc for a GDT TLS entry (the kernel's set_new_tls
 * asks in_ia32_syscall()). */
static void x86_64_set_tls(CPUCommon *cpu, uint64_t tls)
{
    if (x86_user_compat_call())
        x86_set_thread_area(x86(cpu), tls, false);
    else
        x86(cpu)->seg_base[X86_SEG_FS] = tls;
}

/* arch_prctl (arch/x86/include/uapi/asm/prctl.h) */
enum {
    ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004,
    ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012,
};

int64_t x86_64_sys_arch_prctl(CPUCommon *cpu, const uint64_t *a)
{
    X86CPU *c = x86(cpu);
    switch ((int)a[0]) {
    case ARCH_SET_FS:
    case ARCH_SET_GS: {
        int seg = (int)a[0] == ARCH_SET_FS ? X86_SEG_FS : X86_SEG_GS;
        /* a base beyond the user address space is refused, as by Linux */
        if (a[1] >= (1ull << 47))
            return -EPERM;
        c->seg_base[seg] = a[1];
        c->seg_sel[seg] = 0;
        return 0;
    }
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
        uint64_t v = c->seg_base[(int)a[0] == ARCH_GET_FS ? X86_SEG_FS : X86_SEG_GS];
        return copy_to_guest(a[1], &v, 8);
    }
    case ARCH_GET_CPUID:
        return 1;                     /* cpuid is enabled */
    case ARCH_SET_CPUID:
        /* cpuid faulting would need the frontend to trap cpuid */
        return a[1] ? 0 : -ENODEV;
    default:
        return -EINVAL;
    }
}

/* clone(flags, newsp, parent_tid, child_tid, tls): x86_64 has the last
 * two the other way round from ARM and i386 (whose order the generic
 * handler takes). */
int64_t x86_64_sys_clone(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[5] = { a[0], a[1], a[2], a[4], a[3] };
    return sys_clone(cpu, b);
}

/* fadvise64(fd, offset, len, advice) */
int64_t x86_64_sys_fadvise64(CPUCommon *cpu, const uint64_t *a)
{
    return -posix_fadvise(sarg(a[0]), (off_t)a[1], (off_t)a[2], sarg(a[3]));
}

/* sync_file_range(fd, offset, nbytes, flags) */
int64_t x86_64_sys_sync_file_range(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(sync_file_range(sarg(a[0]), (off64_t)a[1], (off64_t)a[2], (unsigned)a[3]));
}

static const char *x86_64_platform(const CPUCommon *cpu) { return "x86_64"; }
static const char *x86_64_uname_machine(const CPUCommon *cpu) { return "x86_64"; }

const LinuxTarget linux_target = {
    .name = "x86_64",
    .prog_name = "vemu-x86_64",
    .fe = &x86_frontend_x86_64,
    .elf_machine = EM_X86_64,
    .elf_class = ELFCLASS64,
    .elf_data = ELFDATA2LSB,
    .guest_space_size = X86_64_SPACE,
    .stack_top = X86_64_SPACE - 0x1000,
    /* Linux's ELF_ET_DYN_BASE, two thirds of the space, for this space */
    .et_dyn_base = (X86_64_SPACE / 3 * 2) & ~0xfffffull,
    .mmap_min_addr = 0x10000,
    .open_flags = x86_open_flags,       /* x86's numbers to the host's */
    .n_open_flags = X86_N_OPEN_FLAGS,
    .default_cpu_model = NULL,
    .set_cpu_model = x86_user_set_model,
    .cpu_model_names = x86_user_cpu_model_names,
    .init_thread = x86_64_init_thread,
    .vdso = &x86_64_vdso,
    .hwcap = x86_user_hwcap,
    .hwcap2 = x86_user_hwcap2,
    .platform = x86_64_platform,
    .uname_machine = x86_64_uname_machine,
    .abi = &x86_64_abi,
    .abis = x86_64_abis,
    .n_abis = 2,
    .syscall_nr = x86_user_syscall_nr,
    .syscall_args = x86_64_syscall_args,
    .syscall_return = x86_64_syscall_return,
    .set_tls = x86_64_set_tls,
    .get_pc = x86_user_get_pc,
    .get_sp = x86_user_get_sp,
    .set_sp = x86_64_set_sp,
    .setup_signal_frame = x86_64_setup_signal_frame,
    .restore_signal_frame = x86_64_restore_signal_frame,
    .syscall_restart = x86_user_syscall_restart,
    .write_cpuinfo = x86_user_write_cpuinfo,
    .fetch_fault = x86_64_vsyscall_fault,
    .handle_exception = x86_user_handle_exception,
    .udef_si_code = ILL_ILLOPN,         /* do_error_trap(X86_TRAP_UD) */
    .bkpt_si_code = 0x80,               /* SI_KERNEL: int3 is do_int3's SIGTRAP */
    .bkpt_no_addr = true,
};
