/*
 * strace.h — `-strace`: each guest system call with decoded arguments and
 * result, one line per call, in strace's notation:
 *
 *     1234 openat(AT_FDCWD,"/etc/passwd",O_RDONLY|O_LARGEFILE) = 3
 *     1234 openat(AT_FDCWD,"/nonexistent",O_RDONLY) = -1 ENOENT (No such file or directory)
 *
 * How each argument is shown comes from a table (strace-table.c): one line
 * per system call name listing its argument kinds.  Calls without an entry
 * print their arguments in hex, as many as the target's table says.
 *
 * The dispatcher calls strace_syscall_enter() before the handler and
 * strace_syscall_exit() after it.  Usually the whole line is written after
 * the call (so output buffers can be shown); calls that never return (exit,
 * exit_group) are written before, and calls that may block are split into
 * "... <unfinished ...>" / "<... name resumed> ..." when the guest has more
 * than one thread, so one thread's blocking read does not hide another's
 * calls.  Each line is one write(2) to the log, so lines of different
 * threads and processes do not mix.
 */
#ifndef VEMU_LINUX_USER_STRACE_H
#define VEMU_LINUX_USER_STRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "linux-user/target.h"

struct StraceSpec;

/* One call in progress (lives on the dispatcher's stack). */
typedef struct StraceCall {
    uint32_t nr;
    const LinuxSyscallDef *def;
    const struct StraceSpec *spec;
    uint64_t a[7];
    unsigned next_arg;        /* first argument kind not yet printed */
    unsigned next_reg;        /* its register */
    uint32_t last_oflags;     /* for the mode that follows O_CREAT */
    bool entry_written;       /* "<unfinished ...>" already written */
    char text[2048];          /* the line so far */
    unsigned len;
} StraceCall;

void strace_syscall_enter(StraceCall *sc, uint32_t nr, const LinuxSyscallDef *def,
                          const uint64_t *a);
/* ret: the handler's result (-errno on failure). */
void strace_syscall_exit(StraceCall *sc, int64_t ret);
/* The registers were restored from a signal frame (sigreturn). */
void strace_syscall_exit_noreturn(StraceCall *sc);

#endif
