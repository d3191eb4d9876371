/*
 * gdb-signals.c — Linux signal numbers <-> gdb's own signal numbering.
 *
 * gdb numbers signals its own way (its "GDB_SIGNAL_*" list, fixed by the
 * protocol) so that a stop reply means the same on every host.  All our
 * user-mode guests use Linux's generic numbers (ARM, i386, x86_64 agree).
 */
#include "gdbstub/gdbstub.h"

/* Index: Linux signal 1..31; value: gdb's number. */
static const uint8_t linux_to_gdb[32] = {
    [1] = 1,    /* SIGHUP */
    [2] = 2,    /* SIGINT */
    [3] = 3,    /* SIGQUIT */
    [4] = 4,    /* SIGILL */
    [5] = 5,    /* SIGTRAP */
    [6] = 6,    /* SIGABRT */
    [7] = 10,   /* SIGBUS */
    [8] = 8,    /* SIGFPE */
    [9] = 9,    /* SIGKILL */
    [10] = 30,  /* SIGUSR1 */
    [11] = 11,  /* SIGSEGV */
    [12] = 31,  /* SIGUSR2 */
    [13] = 13,  /* SIGPIPE */
    [14] = 14,  /* SIGALRM */
    [15] = 15,  /* SIGTERM */
    [16] = 143, /* SIGSTKFLT: gdb has none */
    [17] = 20,  /* SIGCHLD */
    [18] = 19,  /* SIGCONT */
    [19] = 17,  /* SIGSTOP */
    [20] = 18,  /* SIGTSTP */
    [21] = 21,  /* SIGTTIN */
    [22] = 22,  /* SIGTTOU */
    [23] = 16,  /* SIGURG */
    [24] = 24,  /* SIGXCPU */
    [25] = 25,  /* SIGXFSZ */
    [26] = 26,  /* SIGVTALRM */
    [27] = 27,  /* SIGPROF */
    [28] = 28,  /* SIGWINCH */
    [29] = 23,  /* SIGIO */
    [30] = 32,  /* SIGPWR */
    [31] = 12,  /* SIGSYS */
};

/* gdb's real-time signals: 33..63 are 45..75 (32 is 76, 64 is 78). */
enum { GDB_SIG_RT33 = 45, GDB_SIG_RT32 = 76, GDB_SIG_RT64 = 78, GDB_SIG_UNKNOWN = 143 };

int gdbstub_signal_to_gdb(int sig)
{
    if (sig > 0 && sig < 32)
        return linux_to_gdb[sig];
    if (sig == 32)
        return GDB_SIG_RT32;
    if (sig >= 33 && sig <= 63)
        return GDB_SIG_RT33 + sig - 33;
    if (sig == 64)
        return GDB_SIG_RT64;
    return sig == 0 ? 0 : GDB_SIG_UNKNOWN;
}

int gdbstub_signal_from_gdb(int gsig)
{
    if (gsig <= 0)
        return 0;
    for (int sig = 1; sig < 32; sig++)
        if (linux_to_gdb[sig] == gsig && gsig != GDB_SIG_UNKNOWN)
            return sig;
    if (gsig == GDB_SIG_RT32)
        return 32;
    if (gsig >= GDB_SIG_RT33 && gsig <= GDB_SIG_RT33 + 30)
        return gsig - GDB_SIG_RT33 + 33;
    if (gsig == GDB_SIG_RT64)
        return 64;
    return 0;
}
