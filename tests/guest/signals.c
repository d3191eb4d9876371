/*
 * signals.c — signal delivery to guest handlers: kill/raise to self,
 * sigprocmask blocking and later delivery, SA_SIGINFO fields, a handler
 * interrupting a computation and returning to it (the interrupted registers
 * must be intact), sigaltstack, and an alarm interrupting a busy loop.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t count, last_sig, last_code_ok;
static volatile int on_alt;
static char altstack[65536];

static void handler(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    count++;
    last_sig = sig;
    last_code_ok = si->si_signo == sig && (si->si_code == SI_USER || si->si_code == SI_TKILL);
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}

static volatile sig_atomic_t alarmed;
static void on_alarm(int sig) { (void)sig; alarmed = 1; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    raise(SIGUSR1);
    printf("after raise: count=%d sig=%s info_ok=%d\n", (int)count, last_sig == SIGUSR1 ? "USR1" : "?",
           (int)last_code_ok);
    kill(getpid(), SIGUSR2);
    printf("after kill: count=%d sig=%s\n", (int)count, last_sig == SIGUSR2 ? "USR2" : "?");

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("blocked: count=%d pending=%d\n", (int)count, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: count=%d\n", (int)count);

    /* a handler on an alternate stack */
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("altstack: count=%d on_alt=%d\n", (int)count, on_alt);

    /* signals arriving during a long computation must not disturb it */
    struct sigaction al;
    memset(&al, 0, sizeof al);
    al.sa_handler = on_alarm;
    sigaction(SIGALRM, &al, NULL);
    struct itimerval it = { { 0, 2000 }, { 0, 2000 } };   /* every 2 ms */
    setitimer(ITIMER_REAL, &it, NULL);
    uint32_t h = 2166136261u;
    uint64_t acc = 0;
    for (uint32_t i = 0; i < 30000000u && !(alarmed && i > 2000000u); i++) {
        h = (h ^ i) * 16777619u;
        acc += h >> 7;
    }
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    /* recompute without signals: the interrupted loop must agree with it */
    uint32_t h2 = 2166136261u;
    uint64_t acc2 = 0;
    uint32_t i;
    for (i = 0; i < 30000000u; i++) {
        if (h2 == h && acc2 == acc)
            break;
        h2 = (h2 ^ i) * 16777619u;
        acc2 += h2 >> 7;
    }
    printf("alarm seen: %d, interrupted loop consistent: %d\n", (int)alarmed, h2 == h && acc2 == acc);

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2 survived\n");
    return 0;
}
