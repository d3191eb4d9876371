/*
 * safe-syscall.c — blocking host system calls that a guest signal cannot
 * slip past.
 *
 * A guest signal's host handler only records it; the guest's handler runs
 * when the cpu loop gets control back.  If the signal arrives after the
 * last check for pending signals but before a blocking system call has
 * started, the call blocks as if nothing happened (a read() on an idle pipe
 * would wait forever although the guest's handler should run and the call
 * return EINTR).  So blocking calls go through safe_syscall(): a few
 * instructions that test the thread's "signal pending" flag and then
 * execute the syscall instruction.  The host signal handler, seeing the
 * interrupted pc between the test and the syscall instruction, moves it to
 * a path returning -EINTR; from the syscall instruction on, the kernel
 * itself returns EINTR (our handlers are installed without SA_RESTART).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "linux-user/process.h"

#if defined(__x86_64__)
/* long safe_syscall_base(volatile sig_atomic_t *pending, long nr,
 *                        long a1, long a2, long a3, long a4, long a5, long a6)
 * System V: rdi, rsi, rdx, rcx, r8, r9, then the stack; the kernel takes
 * rax = nr and rdi, rsi, rdx, r10, r8, r9.  rbx (callee-saved) keeps the
 * flag's address. */
__asm__(
    ".text\n"
    ".globl safe_syscall_base\n"
    ".type safe_syscall_base, @function\n"
    "safe_syscall_base:\n"
    "    .cfi_startproc\n"
    "    push %rbx\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rbx, 0\n"
    "    mov %rdi, %rbx\n"
    "    mov %rsi, %rax\n"
    "    mov %rdx, %rdi\n"
    "    mov %rcx, %rsi\n"
    "    mov %r8, %rdx\n"
    "    mov %r9, %r10\n"
    "    mov 16(%rsp), %r8\n"
    "    mov 24(%rsp), %r9\n"
    ".globl safe_syscall_start\n"
    "safe_syscall_start:\n"
    "    cmpl $0, (%rbx)\n"
    "    jnz safe_syscall_interrupted\n"
    "    syscall\n"
    ".globl safe_syscall_end\n"
    "safe_syscall_end:\n"
    "    pop %rbx\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbx\n"
    "    ret\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rbx, 0\n"
    ".globl safe_syscall_interrupted\n"
    "safe_syscall_interrupted:\n"
    "    mov $-4, %rax\n"            /* -EINTR */
    "    pop %rbx\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbx\n"
    "    ret\n"
    "    .cfi_endproc\n"
    ".size safe_syscall_base, .-safe_syscall_base\n");

extern long safe_syscall_base(volatile sig_atomic_t *pending, long nr, long a1, long a2, long a3,
                              long a4, long a5, long a6);
extern char safe_syscall_start[], safe_syscall_end[], safe_syscall_interrupted[];

void safe_syscall_check_pc(void *ucv)
{
    ucontext_t *uc = ucv;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (pc >= (uintptr_t)safe_syscall_start && pc < (uintptr_t)safe_syscall_end)
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)safe_syscall_interrupted;
}

long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    return safe_syscall_base(signal_pending_flag(), nr, a1, a2, a3, a4, a5, a6);
}

#else
/* Other hosts: a plain system call (the window stays open). */
void safe_syscall_check_pc(void *ucv) { (void)ucv; }

long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    if (*signal_pending_flag())
        return -EINTR;
    long r = syscall(nr, a1, a2, a3, a4, a5, a6);
    return r < 0 ? -errno : r;
}
#endif
