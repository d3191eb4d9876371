/*
 * host-signal.h — the interrupted host context a signal handler gets (the
 * ucontext_t of an SA_SIGINFO handler), behind one host-neutral API.
 *
 * linux-user's fault handler (linux-user/fault.c) and safe_syscall
 * (linux-user/safe-syscall.c) read and move the interrupted pc and ask
 * whether a fault was a write; nothing outside host/ names a host's
 * registers (REG_RIP, mcontext.pc) or its fault syndrome (x86's error
 * code, aarch64's ESR).  Each host's file (host-signal-<host>.h) provides
 * the same static inline functions:
 *
 *   uintptr_t host_signal_pc(const ucontext_t *uc)     the interrupted pc
 *   void host_signal_set_pc(ucontext_t *uc, uintptr_t) where sigreturn resumes
 *   int host_signal_is_write(const ucontext_t *uc)     a SIGSEGV/SIGBUS was a
 *                                                      write (1), a read or an
 *                                                      instruction fetch (0),
 *                                                      or unknown (-1)
 */
#ifndef VEMU_HOST_SIGNAL_H
#define VEMU_HOST_SIGNAL_H

#include <stdint.h>
#include <ucontext.h>

#if defined(__x86_64__)
#include "host/host-signal-x86_64.h"
#elif defined(__aarch64__)
#include "host/host-signal-aarch64.h"
#else
#error "vemu: no host-signal-<host>.h for this host"
#endif

#endif
