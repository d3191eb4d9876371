/*
 * vsyscall.c — x86_64's legacy vsyscall page as a kernel with the default
 * vsyscall=xonly shows it: calling 0xffffffffff600000 (gettimeofday),
 * ...400 (time) and ...800 (getcpu) works and returns to the caller,
 * with results the system calls agree with; a bad user pointer gives SIGSEGV
 * SI_KERNEL (the call fails with EFAULT inside the kernel); a call into the middle of an entry SIGSEGV
 * SI_KERNEL.  (Reading the page, SIGSEGV on Linux, is not checked: vemu
 * does not catch it, docs/linux-user.md.)  Prints one line per check, the
 * same on Linux and vemu-x86_64 (run.sh compares them; on a host without
 * the emulation, vsyscall=none, the first call's SIGSEGV ends it).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define VSYSCALL 0xffffffffff600000ul

static sigjmp_buf env;
static volatile int got_code;
static volatile uintptr_t got_addr;

static void segv(int sig, siginfo_t *si, void *uc)
{
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

/* Run f; print how it ended. */
static void expect_segv(const char *what, void (*f)(void))
{
    got_code = -1;
    if (sigsetjmp(env, 1) == 0) {
        f();
        printf("%s: returned\n", what);
    } else {
        printf("%s: SIGSEGV code %d addr %#lx\n", what, got_code, (unsigned long)got_addr);
    }
}

static void bad_tv(void)
{
    long (*gtod)(void *, void *) = (void *)VSYSCALL;
    gtod((void *)16, NULL);
}

static void misaligned(void)
{
    long (*f)(void *) = (void *)(VSYSCALL + 0x401);
    f(NULL);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    long (*gtod)(struct timeval *, struct timezone *) = (void *)VSYSCALL;
    long (*vtime)(time_t *) = (void *)(VSYSCALL + 0x400);
    long (*vgetcpu)(unsigned *, unsigned *, void *) = (void *)(VSYSCALL + 0x800);

    struct timeval tv;
    struct timezone tz = { 99, 99 }, stz;
    long before = syscall(SYS_time, NULL);
    long r = gtod(&tv, &tz);
    long after = syscall(SYS_time, NULL);
    syscall(SYS_gettimeofday, NULL, &stz);
    printf("gettimeofday: %ld, in time %d, timezone %d\n", r, before <= tv.tv_sec && tv.tv_sec <= after,
           tz.tz_minuteswest == stz.tz_minuteswest && tz.tz_dsttime == stz.tz_dsttime);
    printf("gettimeofday(NULL, NULL): %ld\n", gtod(NULL, NULL));

    time_t t = 0;
    before = syscall(SYS_time, NULL);
    r = vtime(&t);
    after = syscall(SYS_time, NULL);
    printf("time: in time %d, stored %d\n", before <= r && r <= after, t == r);
    r = vtime(NULL);
    printf("time(NULL): in time %d\n", before <= r && r <= syscall(SYS_time, NULL));

    int same = 0;
    for (int i = 0; i < 100 && !same; i++) {
        unsigned cpu = ~0u, node = ~0u, scpu = ~1u, snode = ~1u;
        r = vgetcpu(&cpu, &node, NULL);
        syscall(SYS_getcpu, &scpu, &snode, NULL);
        same = r == 0 && cpu == scpu && node == snode;
    }
    printf("getcpu: the system call's %d\n", same);

    expect_segv("gettimeofday(16, NULL)", bad_tv);
    expect_segv("a call to 0xffffffffff600401", misaligned);
    /* the emulation must have left the cpu in order: a last call */
    printf("time after the faults: in time %d\n", vtime(NULL) >= before);
    return 0;
}
