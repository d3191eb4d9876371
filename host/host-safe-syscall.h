/*
 * host-safe-syscall.h — the host half of linux-user's safe_syscall
 * (linux-user/safe-syscall.c explains the race it closes).
 *
 * Each host with a file host-safe-syscall-<host>.c provides, in assembly:
 *
 *   long host_safe_syscall_base(volatile sig_atomic_t *pending, long nr,
 *                               long a1, long a2, long a3, long a4, long a5, long a6)
 *       if *pending: -EINTR; else the system call nr, returning the kernel's
 *       raw result (-errno on failure);
 *   host_safe_syscall_start .. host_safe_syscall_end
 *       the code from the test of *pending up to and including the system
 *       call instruction: a signal handler that finds the interrupted pc
 *       there moves it to host_safe_syscall_interrupted (return -EINTR).
 * and defines HOST_SAFE_SYSCALL here.  Other hosts: linux-user falls back
 * to a plain syscall() with the window open.
 */
#ifndef VEMU_HOST_SAFE_SYSCALL_H
#define VEMU_HOST_SAFE_SYSCALL_H

#include <signal.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define HOST_SAFE_SYSCALL 1
#else
#define HOST_SAFE_SYSCALL 0
#endif

long host_safe_syscall_base(volatile sig_atomic_t *pending, long nr, long a1, long a2, long a3,
                            long a4, long a5, long a6);
extern char host_safe_syscall_start[], host_safe_syscall_end[], host_safe_syscall_interrupted[];

#endif
