/*
 * fpe.c — an unmasked x87 exception: feenableexcept(FE_DIVBYZERO), then a
 * long double division by zero; the next waiting x87 instruction traps and
 * Linux delivers SIGFPE with FPE_FLTDIV (prints "signal 8 code 3", exits
 * 3).  The oracle is the x86_64 build run natively: qemu-i386 7.2 raises
 * no x87 exceptions at all (docs/quirks.md).
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void h(int sig, siginfo_t *si, void *uc) { (void)uc; printf("signal %d code %d\n", sig, si->si_code); fflush(stdout); _exit(3); }
int main(void) {
    struct sigaction sa = { 0 }; sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO; sigaction(SIGFPE, &sa, 0);
    feenableexcept(FE_DIVBYZERO);
    volatile long double a = 1.0L, b = 0.0L;
    volatile long double c = a / b;
    printf("c %Lg\n", c);
    volatile long double d = c + 1;
    printf("d %Lg\n", d);
    return 0;
}
