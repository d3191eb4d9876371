/*
 * fault.c — a guest fault while x87 values are on the stack: the signal
 * handler's context must show them (vemu's fast path keeps them on the
 * host's x87 stack, frontend-x86/x87-fast.h, and takes them back from the
 * host's signal context at the fault).  The handler prints the status
 * word's flags and condition bits, TOP, the tags and ST(0..3) from its
 * ucontext, then leaves.  Run natively (x86_64) and under vemu; for i386
 * against qemu-i386 and the x86_64 build.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static void show(const void *st10, int i)
{
    unsigned char b[10];
    memcpy(b, st10, 10);
    printf("st%d", i);
    for (int k = 9; k >= 0; k--)
        printf("%s%02x", k == 7 ? " " : "", b[k]);
    printf("\n");
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    printf("signal %d at %p\n", sig, si->si_addr);
#if defined(__x86_64__)
    const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
    printf("sw %04x tags %02x\n", fp->swd & 0x7fff, fp->ftw & 0xff);
    for (int i = 0; i < 4; i++)
        show(&fp->_st[i], i);
#else
    const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
    unsigned sw = fp->sw & 0x7fff, top = (sw >> 11) & 7, abridged = 0;
    for (unsigned p = 0; p < 8; p++)
        if (((fp->tag >> (2 * p)) & 3) != 3)
            abridged |= 1u << p;
    printf("sw %04x tags %02x\n", sw, abridged);
    (void)top;
    for (int i = 0; i < 4; i++)
        show(&fp->_st[i], i);
#endif
    fflush(stdout);
    _exit(0);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    volatile double a = 1.5, b = 2.75;
    double *bad = (double *)(argc > 5 ? (void *)argv : (void *)16);
    /* values computed and not yet stored when the load faults: a dirty
     * ST(0), a rounded product (C1), a loaded ST(1) and ST(2) */
    __asm__ volatile("fninit\n\t"
                     "fldpi\n\t"
                     "fldl %0\n\t"
                     "fmull %1\n\t"
                     "fdiv %%st(1), %%st\n\t"
                     "fldl (%2)\n\t"
                     : : "m"(a), "m"(b), "r"(bad) : "memory", "st", "st(1)", "st(2)");
    puts("no fault");
    return 1;
}
