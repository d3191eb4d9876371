/*
 * target.h — what a guest architecture provides to linux-user.
 *
 * Generic linux-user code (ELF loading, memory, syscalls, the cpu loop)
 * never names a guest architecture.  Everything that differs between
 * guests is reached through the one LinuxTarget that the program links:
 * linux-user/arm/ defines it for vemu-arm, another folder for vemu-i386.
 */
#ifndef VEMU_LINUX_USER_TARGET_H
#define VEMU_LINUX_USER_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/cpu-common.h"
#include "exec/frontend.h"

/* A syscall handler: a[] holds the raw argument registers (zero-extended
 * guest words); returns the result or -errno (guest errno == host errno on
 * every Linux target we support: all use the asm-generic numbers). */
typedef int64_t (*LinuxSyscallFn)(CPUCommon *cpu, const uint64_t *a);

typedef struct LinuxSyscallDef {
    uint32_t nr;
    const char *name;        /* for -strace, -d unimp and docs */
    LinuxSyscallFn fn;       /* NULL: known but unimplemented (-ENOSYS) */
    uint8_t n_args;          /* how many args -strace prints */
} LinuxSyscallDef;

/* What the ELF loader learned, for the initial stack and registers. */
typedef struct LinuxImageInfo {
    uint64_t load_bias;      /* ET_DYN: where the image was placed */
    uint64_t entry;          /* the program's entry (AT_ENTRY) */
    uint64_t start_pc;       /* where the cpu starts: the interpreter's entry or entry */
    uint64_t phdr_addr;      /* AT_PHDR */
    uint32_t phnum, phent;
    uint64_t interp_base;    /* AT_BASE (0 without PT_INTERP) */
    uint64_t start_code, end_code, start_data, end_data;
    uint64_t brk;            /* first byte after the highest segment, page-aligned */
    bool exec_stack;         /* PT_GNU_STACK with PF_X (or absent) */
    uint64_t stack_top, stack_limit;   /* filled by the stack setup */
    uint64_t sp;
    uint64_t vdso_base;      /* AT_SYSINFO_EHDR (0: no vDSO) */
    uint64_t sysinfo;        /* AT_SYSINFO: i386's system call entry in the vDSO (0: none) */
} LinuxImageInfo;

/* One flag bit (or field value) as the guest and the host number it. */
typedef struct LinuxFlagPair {
    uint32_t guest, host;
} LinuxFlagPair;

/* A guest signal disposition (rt_sigaction's struct, widened). */
typedef struct GuestSigAction {
    uint64_t handler;        /* 0 = SIG_DFL, 1 = SIG_IGN, else guest address */
    uint64_t flags;          /* SA_*: the same numbers on every Linux target */
    uint64_t restorer;
    uint64_t mask;
} GuestSigAction;

/* What a guest signal handler learns about its signal (siginfo_t). */
typedef struct GuestSiginfo {
    int32_t signo, errno_, code;
    uint32_t pid, uid;       /* SI_USER, SI_TKILL, SI_QUEUE, SIGCHLD */
    int32_t status;          /* SIGCHLD */
    uint64_t value;          /* SI_QUEUE, SI_TIMER: sigval (a pointer on LP64 guests) */
    int32_t timerid, overrun; /* SI_TIMER */
    uint64_t addr;           /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
} GuestSiginfo;

/* One system call convention of a guest, with the facts of its C ABI that
 * argument and struct conversion depend on.  ARM Linux has two, chosen per
 * call by the svc instruction (see arm/syscall-abi-arm.c): EABI, and the old ABI
 * (OABI) of pre-2006 binaries, which differ in the syscall table, in
 * register pairs and in the alignment of 64-bit members and of structs. */
typedef struct LinuxAbi {
    const char *name;                 /* "eabi", "oabi" */
    const LinuxSyscallDef *syscalls;  /* the table: sorted by nr */
    unsigned n_syscalls;
    /* The kernel aligns 64-bit syscall arguments to an even register pair
     * (ARM EABI) or not (ARM OABI, i386). */
    bool pair_align;
    /* Alignment of 64-bit members in the guest's C ABI (8 for ARM EABI,
     * 4 for ARM OABI and i386): shapes struct stat64, flock64,
     * epoll_event and friends. */
    unsigned llong_align;
    /* The least alignment (and size granule) of any struct: 4 in ARM's
     * old APCS, so OABI's struct sembuf has 8 bytes and sockaddr_un 112;
     * 1 elsewhere. */
    unsigned struct_align;
    /* Size of the guest's `long` and pointers: 4 (ILP32: ARM, i386) or 8
     * (LP64: x86_64).  0 reads as 4, so 32-bit ABIs need not say it. */
    unsigned long_size;
    /* 64-bit arguments come in one register (LP64) rather than a pair. */
    bool args64;
    /* struct epoll_event is packed (x86_64's kernel: 12 bytes). */
    bool epoll_packed;
} LinuxAbi;

typedef struct LinuxTarget {
    const char *name;               /* "arm" */
    const char *prog_name;          /* "vemu-arm" */
    const Frontend *fe;
    uint16_t elf_machine;           /* EM_ARM */
    uint8_t elf_class;              /* ELFCLASS32 */
    uint8_t elf_data;               /* ELFDATA2LSB */
    uint64_t guest_space_size;      /* bytes of guest address space (4 GiB) */
    uint64_t stack_top;             /* initial stack ends here */
    uint64_t et_dyn_base;           /* preferred load address of static-pie */
    uint64_t mmap_min_addr;         /* lowest address mmap hands out */
    /* open(2) flags that the guest numbers differently from the host;
     * every other bit passes through unchanged. */
    const LinuxFlagPair *open_flags;
    unsigned n_open_flags;

    /* Why the kernel would refuse an executable with these ELF e_flags
     * (NULL: it loads; may itself be NULL). */
    const char *(*elf_check_flags)(uint32_t e_flags);

    const char *default_cpu_model;
    int (*set_cpu_model)(CPUCommon *cpu, const char *name);
    const char *cpu_model_names;    /* for -cpu help */

    /* Registers at process start: pc, sp, and whatever the ABI says. */
    void (*init_thread)(CPUCommon *cpu, const LinuxImageInfo *info);
    /* Map special pages (ARM kuser helpers) for the cpu's model; 0 or -errno. */
    int (*setup_special_pages)(CPUCommon *cpu);
    /* The vDSO image (vdso.h; NULL: none), mapped after the program. */
    const struct LinuxVdsoImage *vdso;

    /* auxv and uname facts, truthful for the selected cpu model. */
    uint32_t (*hwcap)(const CPUCommon *cpu);
    uint32_t (*hwcap2)(const CPUCommon *cpu);
    const char *(*platform)(const CPUCommon *cpu);
    const char *(*uname_machine)(const CPUCommon *cpu);

    /* System call ABIs: the main one (the only one outside system calls,
     * e.g. in unit tests), and all of them (abis[0] == abi). */
    const LinuxAbi *abi;
    const LinuxAbi *const *abis;
    unsigned n_abis;
    /* The number of the system call the cpu just trapped with, and the ABI
     * it uses; LINUX_SYSCALL_NONE when the instruction is no system call
     * at all and the target has raised what the kernel raises (a signal). */
    uint32_t (*syscall_nr)(CPUCommon *cpu, const LinuxAbi **abi);
    void (*syscall_args)(const CPUCommon *cpu, uint64_t a[7]);
    void (*syscall_return)(CPUCommon *cpu, int64_t ret);

    /* TLS pointer (set_tls / clone): stored where the guest reads it. */
    void (*set_tls)(CPUCommon *cpu, uint64_t tls);
    uint64_t (*get_pc)(const CPUCommon *cpu);
    uint64_t (*get_sp)(const CPUCommon *cpu);
    void (*set_sp)(CPUCommon *cpu, uint64_t sp);

    /* Signals.  setup_signal_frame builds the frame below sp (already the
     * alternate stack when that applies), saving the registers and
     * old_mask, and points the cpu at the handler; 0 or -EFAULT.
     * restore_signal_frame undoes it for (rt_)sigreturn, returning the
     * saved mask; 0 or -EFAULT.  syscall_restart makes the cpu execute the
     * system call instruction again with its original first argument. */
    int (*setup_signal_frame)(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                              const GuestSiginfo *info, uint64_t old_mask, uint64_t sp);
    int (*restore_signal_frame)(CPUCommon *cpu, bool rt, uint64_t *mask);
    void (*syscall_restart)(CPUCommon *cpu, uint64_t orig_arg0);

    /* /proc/cpuinfo as a real machine with this cpu model prints it
     * (may be NULL: the host's file is shown). */
    void (*write_cpuinfo)(const CPUCommon *cpu, FILE *out);

    /* A code fetch failed (EXCP_MEM_FAULT with EXEC_ACCESS_EXEC): the
     * target may emulate what the kernel's fault handler does there
     * (x86_64's vsyscall page); true if handled (may be NULL). */
    bool (*fetch_fault)(CPUCommon *cpu);

    /* Frontend-private exception numbers; returns true if handled. */
    bool (*handle_exception)(CPUCommon *cpu, int excp);

    /* How the kernel reports an undefined instruction and a breakpoint
     * instruction: si_code (0: ILL_ILLOPC, TRAP_BRKPT as on ARM; x86 says
     * ILL_ILLOPN and SI_KERNEL), and whether si_addr is the pc (x86's
     * int3 gives no address). */
    int udef_si_code, bkpt_si_code;
    bool bkpt_no_addr;
} LinuxTarget;

#define LINUX_SYSCALL_NONE UINT32_MAX

/* The target linked into this program. */
extern const LinuxTarget linux_target;

/* The ABI of the system call this thread is carrying out (set by the
 * dispatcher; the target's main ABI before the first call). */
extern __thread const LinuxAbi *linux_cur_abi;
static inline const LinuxAbi *syscall_abi(void)
{
    return linux_cur_abi ? linux_cur_abi : linux_target.abi;
}

/* The guest's word (long, pointer, size_t) in bytes: 4 or 8. */
static inline unsigned guest_long_size(void)
{
    unsigned n = syscall_abi()->long_size;
    return n ? n : 4;
}

/* A guest `long` argument or value, sign-extended from its width. */
static inline int64_t guest_slong(uint64_t v)
{
    return guest_long_size() == 8 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
}

/* A guest `unsigned long`, pointer or size_t, truncated to its width. */
static inline uint64_t guest_ulong(uint64_t v)
{
    return guest_long_size() == 8 ? v : (uint32_t)v;
}

#endif
