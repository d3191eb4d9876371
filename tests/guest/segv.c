/*
 * segv.c — a store through a null pointer with no handler: the process must
 * be killed by SIGSEGV (the shell sees 139).  Then, in a child, the same
 * with a SIGSEGV handler that reports the fault address and exits cleanly.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    char msg[80];
    int n = snprintf(msg, sizeof msg, "handler: signal %d at address %p\n", sig, si->si_addr);
    write(1, msg, n);
    _exit(7);
}

int main(int argc, char **argv)
{
    volatile int *volatile p = (int *)(argc > 1 && strcmp(argv[1], "handled") == 0 ? 16 : 0);
    if (p) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
    }
    write(1, "storing through a bad pointer\n", 30);
    *p = 42;
    write(1, "not reached\n", 12);
    return 0;
}
