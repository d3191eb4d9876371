/*
 * host-safe-syscall-aarch64.c — host_safe_syscall_base on aarch64
 * (host/host-safe-syscall.h).
 *
 * AAPCS64 passes pending, nr, a1..a6 in x0..x7; the kernel takes x8 = nr
 * and x0..x5, and returns in x0.  The flag's address stays in x9 (a
 * temporary: nothing is called).  A signal that arrives with the pc at the
 * SVC has not let the call start: it is inside [start, end) and becomes
 * -EINTR; once the SVC has run, the kernel returns EINTR itself with the
 * pc at host_safe_syscall_end.
 */
#include "host/host-safe-syscall.h"

#if defined(__aarch64__)
__asm__(
    ".text\n"
    ".globl host_safe_syscall_base\n"
    ".type host_safe_syscall_base, %function\n"
    "host_safe_syscall_base:\n"
    "    .cfi_startproc\n"
    "    mov x9, x0\n"
    "    mov x8, x1\n"
    "    mov x0, x2\n"
    "    mov x1, x3\n"
    "    mov x2, x4\n"
    "    mov x3, x5\n"
    "    mov x4, x6\n"
    "    mov x5, x7\n"
    ".globl host_safe_syscall_start\n"
    "host_safe_syscall_start:\n"
    "    ldr w10, [x9]\n"
    "    cbnz w10, host_safe_syscall_interrupted\n"
    "    svc #0\n"
    ".globl host_safe_syscall_end\n"
    "host_safe_syscall_end:\n"
    "    ret\n"
    ".globl host_safe_syscall_interrupted\n"
    "host_safe_syscall_interrupted:\n"
    "    mov x0, #-4\n"              /* -EINTR */
    "    ret\n"
    "    .cfi_endproc\n"
    ".size host_safe_syscall_base, .-host_safe_syscall_base\n");
#else
typedef int host_safe_syscall_aarch64_unused;  /* not this host: nothing */
#endif
