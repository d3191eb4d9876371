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

#include "host/host-safe-syscall.h"
#include "host/host-signal.h"
#include "linux-user/process.h"

#if HOST_SAFE_SYSCALL
/* The test-then-syscall sequence is the host's (host/host-safe-syscall-<host>.c). */
void safe_syscall_check_pc(void *ucv)
{
    ucontext_t *uc = ucv;
    uintptr_t pc = host_signal_pc(uc);
    if (pc >= (uintptr_t)host_safe_syscall_start && pc < (uintptr_t)host_safe_syscall_end)
        host_signal_set_pc(uc, (uintptr_t)host_safe_syscall_interrupted);
}

long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    return host_safe_syscall_base(signal_pending_flag(), nr, a1, a2, a3, a4, a5, a6);
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
