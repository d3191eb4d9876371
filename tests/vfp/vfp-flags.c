/*
 * vfp-flags.c — the cumulative FPSCR flags where vemu keeps them lazily in
 * the host FPU (docs/frontend-arm.md, "VFP fast path"): read after system
 * calls, cleared and set through <fenv.h> (VMSR/VMRS), across a signal
 * handler (sigreturn restores FPSCR from the frame), into the handler of a
 * fault raised in the same block as the operation, and with the rounding
 * mode switched back and forth in one loop.  Prints one line per check;
 * tests/vfp/run.sh compares the output with qemu-arm's.
 */
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile double one = 1.0, three = 3.0, huge = 1e308, tiny = 1e-308;
static volatile double sink;

static void show(const char *what)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf("%-28s inexact=%d underflow=%d overflow=%d divzero=%d invalid=%d\n", what,
           !!(e & FE_INEXACT), !!(e & FE_UNDERFLOW), !!(e & FE_OVERFLOW), !!(e & FE_DIVBYZERO),
           !!(e & FE_INVALID));
}

static void usr1(int sig)
{
    (void)sig;
    sink = huge * huge;        /* overflow inside the handler only */
    show("in handler");
}

static void segv(int sig)
{
    (void)sig;
    show("in fault handler");
    fflush(stdout);
    _exit(0);
}

int main(int argc, char **argv)
{
    (void)argv;
    feclearexcept(FE_ALL_EXCEPT);
    show("start");
    sink = one / three;
    show("after 1/3");
    write(1, "", 0);
    show("after a syscall");
    feclearexcept(FE_INEXACT);
    show("after clearing inexact");
    sink = tiny * tiny;
    show("after tiny*tiny");
    sink = one / (three - 3.0);
    show("after 1/0");
    feclearexcept(FE_ALL_EXCEPT);
    sink = (huge - huge) * 0.0 + huge * 0.0;
    show("exact ops");
    feraiseexcept(FE_INVALID);
    show("after feraiseexcept");
    feclearexcept(FE_ALL_EXCEPT);
    signal(SIGUSR1, usr1);
    raise(SIGUSR1);
    show("after the handler");
    /* the same translated loop body in two rounding modes */
    unsigned long long bits[4];
    for (int i = 0; i < 4; i++) {
        fesetround(i & 1 ? FE_DOWNWARD : FE_TONEAREST);
        double q = one / three;
        memcpy(&bits[i], &q, 8);
    }
    fesetround(FE_TONEAREST);
    printf("1/3 RN %llx RM %llx RN %llx RM %llx\n", bits[0], bits[1], bits[2], bits[3]);
    /* a fault right after an inexact operation */
    feclearexcept(FE_ALL_EXCEPT);
    signal(SIGSEGV, segv);
    volatile double c = one / (three + argc - 1);
    volatile int *p = (int *)(long)(argc - 1);
    *p = (int)c;
    return 1;
}
