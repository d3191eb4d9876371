/*
 * syscall.c — dispatching a guest system call through the target's table,
 * with -strace output and -d unimp logging.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux-user/process.h"
#include "linux-user/strace.h"
#include "linux-user/syscall.h"

__thread const LinuxAbi *linux_cur_abi;

const LinuxSyscallDef *linux_syscall_find(const LinuxAbi *abi, uint32_t nr)
{
    const LinuxSyscallDef *tab = abi->syscalls;
    unsigned lo = 0, hi = abi->n_syscalls;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (tab[mid].nr == nr)
            return &tab[mid];
        if (tab[mid].nr < nr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Calls Linux restarts after a handler with SA_RESTART (or no handler)
 * ran; the sleeping and waiting ones below return EINTR instead, and so
 * do the System V IPC waits (signal(7)), the old ABI's ipc() with them. */
static bool syscall_restartable(LinuxSyscallFn fn)
{
    static const LinuxSyscallFn never[] = {
        sys_nanosleep, sys_clock_nanosleep, sys_clock_nanosleep_time64, sys_poll,
        sys_ppoll_time64, sys_rt_sigsuspend, sys_pause, sys_ppoll, sys__newselect, sys_pselect6,
        sys_pselect6_time64, sys_select, sys_epoll_wait, sys_epoll_pwait, sys_epoll_pwait2,
        sys_rt_sigtimedwait, sys_rt_sigtimedwait_time64,
        sys_semop, sys_semtimedop, sys_semtimedop_time64, sys_msgsnd, sys_msgrcv, sys_ipc,
    };
    for (unsigned i = 0; i < sizeof(never) / sizeof(never[0]); i++)
        if (fn == never[i])
            return false;
    return true;
}

void linux_do_syscall(CPUCommon *cpu)
{
    const LinuxTarget *t = &linux_target;
    const LinuxAbi *abi = t->abi;
    uint32_t nr = t->syscall_nr(cpu, &abi);
    if (nr == LINUX_SYSCALL_NONE)
        return;
    linux_cur_abi = abi;
    uint64_t a[7];
    t->syscall_args(cpu, a);
    const LinuxSyscallDef *d = linux_syscall_find(abi, nr);
    bool strace = exec_log_enabled(LOG_STRACE);
    StraceCall sc;
    if (strace)
        strace_syscall_enter(&sc, nr, d, a);
    int64_t ret;
    if (d && d->fn) {
        ret = d->fn(cpu, a);
        if (ret == -EINTR && syscall_restartable(d->fn))
            note_interrupted_syscall(a[0]);
    } else {
        if (exec_log_enabled(LOG_UNIMP))
            exec_log("unimplemented syscall %u (%s)%s%s\n", nr, d ? d->name : "unknown",
                     abi == t->abi ? "" : " of ", abi == t->abi ? "" : abi->name);
        ret = -ENOSYS;
    }
    if (ret == SYSCALL_KEEP_REGS) {
        if (strace)
            strace_syscall_exit_noreturn(&sc);
        return;
    }
    if (strace)
        strace_syscall_exit(&sc, ret);
    t->syscall_return(cpu, ret);
}
