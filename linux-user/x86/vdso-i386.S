/*
 * vdso-i386.S — the vDSO vemu-i386 maps into every process (AT_SYSINFO_EHDR),
 * with the functions and versions of Linux's 32-bit vDSO (vdso-i386.map):
 *
 *   __kernel_vsyscall      the system call entry glibc calls for every
 *                          call (AT_SYSINFO points at it): int $0x80; ret.
 *                          Linux uses sysenter where the cpu has it; int
 *                          0x80 is its fallback and what vemu runs exactly.
 *   __kernel_sigreturn     where a signal handler returns to when it was
 *   __kernel_rt_sigreturn  installed without SA_RESTORER: glibc sets no
 *                          restorer of its own when a vDSO is present,
 *                          and the signal frame's return address points
 *                          here (linux-user/i386/signal-i386.c).  Their
 *                          bytes are the kernel's, which libgcc's and
 *                          gdb's unwinders recognize as signal frames;
 *                          no FDE covers them, so that the unwinders fall
 *                          back to that recognition.
 *   __vdso_clock_gettime and friends: the system call (see vdso-x86_64.S
 *                          for why), returning its result, -errno included.
 *
 * Built with -m32 -nostdlib -shared and vdso-layout.lds.
 */
#define NR_sigreturn 119
#define NR_rt_sigreturn 173
#define NR_time 13
#define NR_gettimeofday 78
#define NR_clock_gettime 265
#define NR_clock_getres 266
#define NR_getcpu 318
#define NR_clock_gettime64 403

#define FUNC(name)                          \
    .globl name;                            \
    .type name, @function;                  \
    .balign 16;                             \
name:                                       \
    .cfi_startproc

#define END(name)                           \
    .cfi_endproc;                           \
    .size name, . - name

/* cdecl arguments from the stack into ebx (callee-saved: kept), ecx, edx */
#define VDSO_SYSCALL1(name, nr)             \
FUNC(__vdso_##name);                        \
    push %ebx;                              \
    .cfi_adjust_cfa_offset 4;               \
    .cfi_rel_offset %ebx, 0;                \
    mov 8(%esp), %ebx;                      \
    mov $nr, %eax;                          \
    int $0x80;                              \
    pop %ebx;                               \
    .cfi_adjust_cfa_offset -4;              \
    .cfi_restore %ebx;                      \
    ret;                                    \
END(__vdso_##name)

#define VDSO_SYSCALL3(name, nr)             \
FUNC(__vdso_##name);                        \
    push %ebx;                              \
    .cfi_adjust_cfa_offset 4;               \
    .cfi_rel_offset %ebx, 0;                \
    mov 8(%esp), %ebx;                      \
    mov 12(%esp), %ecx;                     \
    mov 16(%esp), %edx;                     \
    mov $nr, %eax;                          \
    int $0x80;                              \
    pop %ebx;                               \
    .cfi_adjust_cfa_offset -4;              \
    .cfi_restore %ebx;                      \
    ret;                                    \
END(__vdso_##name)

    .text
/* The signal trampolines first, each after a byte no FDE covers (an
 * unwinder looks up the FDE of return address - 1). */
    .balign 32
    nop
    .globl __kernel_sigreturn
    .type __kernel_sigreturn, @function
__kernel_sigreturn:
    popl %eax
    movl $NR_sigreturn, %eax
    int $0x80
    .size __kernel_sigreturn, . - __kernel_sigreturn

    .balign 32
    nop
    .globl __kernel_rt_sigreturn
    .type __kernel_rt_sigreturn, @function
__kernel_rt_sigreturn:
    movl $NR_rt_sigreturn, %eax
    int $0x80
    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn

/* __kernel_vsyscall: eax and the argument registers are set by the
 * caller; the kernel preserves every register but eax. */
FUNC(__kernel_vsyscall)
    int $0x80
    ret
END(__kernel_vsyscall)

VDSO_SYSCALL3(clock_gettime, NR_clock_gettime)
VDSO_SYSCALL3(clock_gettime64, NR_clock_gettime64)
VDSO_SYSCALL3(gettimeofday, NR_gettimeofday)
VDSO_SYSCALL1(time, NR_time)
VDSO_SYSCALL3(getcpu, NR_getcpu)
VDSO_SYSCALL3(clock_getres, NR_clock_getres)

    .section .note.GNU-stack, "", @progbits
