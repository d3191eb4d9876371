/* jmp.c — setjmp/longjmp across frames (callee-saved registers restored,
 * volatile locals kept), sigsetjmp/siglongjmp out of a signal handler with
 * the mask restored, and the _FORTIFY-free __builtin_setjmp pair. */
#include "x86u.h"
#include <setjmp.h>
#include <signal.h>

static jmp_buf jb;
static sigjmp_buf sjb;

__attribute__((noinline)) static void deep(int n)
{
    if (n <= 0) longjmp(jb, 7);
    else deep(n - 1);
    asm volatile("" ::: "memory");
}

static void on_usr1(int s) { (void)s; siglongjmp(sjb, 3); }

int main(void)
{
    volatile int count = 0;
    register long keep = 0x1234;
    int r = setjmp(jb);
    count++;
    if (r == 0) deep(50);
    printf("longjmp returned %d after %d setjmp returns, keep %lx\n", r, count, keep);

    signal(SIGUSR1, on_usr1);
    volatile int rounds = 0;
    if (sigsetjmp(sjb, 1) < 5 && rounds < 5) {
        rounds++;
        raise(SIGUSR1);
    }
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("siglongjmp from handler %d times, SIGUSR1 blocked after %d\n", rounds, sigismember(&cur, SIGUSR1));

    volatile double d = 1.5;
    if (setjmp(jb) == 0) { d *= 3; longjmp(jb, 0); }
    printf("longjmp(0) gives 1; d %.2f\n", d);
    return 0;
}
