/*
 * simd-mxcsr.c — MXCSR as programs see it: rounding modes through fesetround,
 * the sticky exception flags through fetestexcept, FTZ and DAZ through
 * _mm_setcsr, and an unmasked exception (feenableexcept) delivered as
 * SIGFPE with the si_code Linux gives (FPE_FLTDIV, FPE_FLTINV, ...) at the
 * faulting instruction, which does not write its destination.
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <immintrin.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile double vd[4] = { 1.0, 3.0, 0.0, 1e308 };
static volatile float vf[4] = { 1.0f, 3.0f, 1e-30f, 1e38f };
static sigjmp_buf jb;
static volatile int got_code;

static void on_fpe(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    got_code = si->si_code;
    siglongjmp(jb, 1);
}

static void flags(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-10s inexact %d div %d inv %d ovf %d unf %d mxcsr %04x\n", what, !!(f & FE_INEXACT),
           !!(f & FE_DIVBYZERO), !!(f & FE_INVALID), !!(f & FE_OVERFLOW), !!(f & FE_UNDERFLOW),
           _mm_getcsr() & ~0x3fu);
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void)
{
    static const int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        double q = vd[0] / vd[1];
        float qf = vf[0] / vf[1];
        long l = lrint(vd[1] / 2.0 + q);
        printf("mode %d %a %a %ld %a\n", m, q, (double)qf, l, (double)(float)(q * 1e10));
        flags("div");
    }
    fesetround(FE_TONEAREST);
    volatile double z = vd[0] / vd[2];
    flags("div0");
    z = vd[2] / vd[2];
    flags("0/0");
    z = vd[3] * 10.0;
    flags("overflow");
    z = vd[3] * 1e-308 * 1e-300 * 1e-300;
    flags("underflow");
    (void)z;

    /* FTZ and DAZ */
    unsigned old = _mm_getcsr();
    volatile float tiny = vf[2];
    _mm_setcsr(old | 0x8000);
    volatile float r1 = tiny * 1e-10f;
    _mm_setcsr(old | 0x0040);
    volatile float r2 = tiny * 1e-10f + 0.0f;
    volatile float r3 = r2 * 1.0f;
    _mm_setcsr(old);
    printf("ftz %a daz %a %a\n", (double)r1, (double)r2, (double)r3);

    /* unmasked exceptions: SIGFPE, destination unchanged */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    static const int excs[] = { FE_DIVBYZERO, FE_INVALID, FE_OVERFLOW, FE_INEXACT };
    for (int e = 0; e < 4; e++) {
        volatile double dst = 42.0;
        got_code = -1;
        feclearexcept(FE_ALL_EXCEPT);
        if (sigsetjmp(jb, 1) == 0) {
            feenableexcept(excs[e]);
            switch (e) {
            case 0: dst = vd[0] / vd[2]; break;
            case 1: dst = vd[2] / vd[2]; break;
            case 2: dst = vd[3] * vd[3]; break;
            default: dst = vd[0] / vd[1]; break;
            }
        }
        fedisableexcept(FE_ALL_EXCEPT);
        printf("unmasked %d: si_code %d dst %g\n", e, got_code, dst);
    }
    return 0;
}
