/*
 * The VFP record in a signal frame (uc_regspace): a handler sees the
 * interrupted code's VFP registers, and what it writes there is what the
 * code resumes with (sigreturn restores it).  Built armel and armhf; the
 * register round trip needs the hard-float build.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile int seen_magic, seen_size;
static volatile uint64_t seen_d8;

static void handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    uint32_t *rs = (uint32_t *)uc->uc_regspace;
    seen_magic = rs[0] == 0x56465001u;
    seen_size = (int)rs[1];
    if (seen_magic) {
        uint64_t d8;
        memcpy(&d8, (char *)rs + 8 + 8 * 8, 8);
        seen_d8 = d8;
        d8 = 0x4045000000000000ull;   /* 42.0 */
        memcpy((char *)rs + 8 + 8 * 8, &d8, 8);
    }
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
#ifdef __ARM_PCS_VFP
    double before = 2.5, after;
    __asm__ volatile("vmov.f64 d8, %P1\n\t"
                     "mov r0, #0\n\t"
                     "bl getpid\n\t"
                     "mov r1, %2\n\t"
                     "bl kill\n\t"
                     "vmov.f64 %P0, d8\n\t"
                     : "=w"(after)
                     : "w"(before), "r"(SIGUSR1)
                     : "r0", "r1", "r2", "r3", "r12", "lr", "d8", "memory", "cc");
    printf("d8 seen by the handler: %s\n", seen_d8 == 0x4004000000000000ull ? "2.5" : "wrong");
    printf("d8 after sigreturn: %g\n", after);
#else
    raise(SIGUSR1);
#endif
    printf("vfp record: %s, size %d\n", seen_magic ? "present" : "absent", seen_size);
    return 0;
}
