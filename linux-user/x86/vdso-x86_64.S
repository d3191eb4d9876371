/*
 * vdso-x86_64.S — the vDSO vemu-x86_64 maps into every process (its
 * address in AT_SYSINFO_EHDR), with the functions and versions of
 * Linux's x86_64 vDSO (vdso-x86_64.map).  glibc finds them there and
 * calls them instead of making the system calls itself.
 *
 * Linux answers these calls from a data page it keeps up to date; vemu's
 * functions make the system call instead, so that the answer is the one
 * the syscall path gives (the same clocks, -strace shows the call), only
 * one call instruction further away.  They return what the system call
 * returns, -errno included: that is the vDSO's contract with glibc.
 *
 * Built with -nostdlib -shared and vdso-layout.lds (linux-user/x86/module.mk).
 */
#define NR_gettimeofday 96
#define NR_time 201
#define NR_clock_gettime 228
#define NR_clock_getres 229
#define NR_getcpu 309

/* A function whose arguments are already where `syscall` wants them
 * (rdi rsi rdx); syscall clobbers rcx and r11, which the C ABI lets it. */
#define VDSO_SYSCALL(name, nr)              \
    .globl __vdso_##name;                   \
    .type __vdso_##name, @function;         \
    .weak name;                             \
    .set name, __vdso_##name;               \
    .balign 16;                             \
__vdso_##name:                              \
    .cfi_startproc;                         \
    mov $nr, %eax;                          \
    syscall;                                \
    ret;                                    \
    .cfi_endproc;                           \
    .size __vdso_##name, . - __vdso_##name

    .text
VDSO_SYSCALL(clock_gettime, NR_clock_gettime)
VDSO_SYSCALL(gettimeofday, NR_gettimeofday)
VDSO_SYSCALL(time, NR_time)
VDSO_SYSCALL(getcpu, NR_getcpu)
VDSO_SYSCALL(clock_getres, NR_clock_getres)

    .section .note.GNU-stack, "", @progbits
