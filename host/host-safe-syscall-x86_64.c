/*
 * host-safe-syscall-x86_64.c — host_safe_syscall_base on x86_64
 * (host/host-safe-syscall.h).
 *
 * System V passes pending, nr, a1..a4 in rdi, rsi, rdx, rcx, r8, r9 and
 * a5, a6 on the stack; the kernel takes rax = nr and rdi, rsi, rdx, r10,
 * r8, r9.  rbx (callee-saved) keeps the flag's address.
 */
#include "host/host-safe-syscall.h"

#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".globl host_safe_syscall_base\n"
    ".type host_safe_syscall_base, @function\n"
    "host_safe_syscall_base:\n"
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
    ".globl host_safe_syscall_start\n"
    "host_safe_syscall_start:\n"
    "    cmpl $0, (%rbx)\n"
    "    jnz host_safe_syscall_interrupted\n"
    "    syscall\n"
    ".globl host_safe_syscall_end\n"
    "host_safe_syscall_end:\n"
    "    pop %rbx\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbx\n"
    "    ret\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rbx, 0\n"
    ".globl host_safe_syscall_interrupted\n"
    "host_safe_syscall_interrupted:\n"
    "    mov $-4, %rax\n"            /* -EINTR */
    "    pop %rbx\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbx\n"
    "    ret\n"
    "    .cfi_endproc\n"
    ".size host_safe_syscall_base, .-host_safe_syscall_base\n");
#else
typedef int host_safe_syscall_x86_64_unused;   /* not this host: nothing */
#endif
