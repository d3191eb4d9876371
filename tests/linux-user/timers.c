/* POSIX timers: SIGEV_SIGNAL with sival_int, sival_ptr and the default
 * sigevent, periodic timers and overrun counts, SIGEV_THREAD_ID to one
 * thread, SIGEV_NONE counting down, SIGEV_THREAD through the C library,
 * every clock, TIMER_ABSTIME, deleting, the time64 calls and error cases.
 *
 * The output must not depend on timing or on the word size: it says only
 * what a correct kernel guarantees (a 50 us periodic timer blocked for
 * 60 ms has overrun at least 500 times; a timer armed for 10 s has at most 10 s
 * left) and prints errno names, not timer ids.  Compared with the same
 * program built for the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif
#ifndef CLOCK_BOOTTIME_ALARM
#define CLOCK_BOOTTIME_ALARM 9
#endif

static volatile sig_atomic_t hits;
static volatile int h_sig, h_code, h_timerid, h_overrun;
static volatile int h_int;
static void *volatile h_ptr;
static volatile pid_t h_tid;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    h_sig = sig;
    h_code = si->si_code;
    h_timerid = si->si_timerid;
    h_overrun = si->si_overrun;
    h_int = si->si_value.sival_int;
    h_ptr = si->si_value.sival_ptr;
    h_tid = (pid_t)syscall(SYS_gettid);
    hits++;
}

static void handle(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

/* With sig blocked: wait until the handler has run n times in all. */
static void wait_hits(int sig, int n)
{
    sigset_t open;
    sigprocmask(SIG_SETMASK, NULL, &open);
    sigdelset(&open, sig);
    while (hits < n)
        sigsuspend(&open);
}

static const char *err(int r)
{
    if (r == 0)
        return "ok";
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EPERM: return "EPERM";
    case ENOTSUP: return "ENOTSUP";
    case 524: return "ENOTSUPP";
    case EAGAIN: return "EAGAIN";
    default: return strerror(errno);
    }
}

static timer_t make(clockid_t clk, int notify, int sig, int val)
{
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = notify;
    ev.sigev_signo = sig;
    ev.sigev_value.sival_int = val;
    timer_t t;
    if (timer_create(clk, &ev, &t) < 0) {
        printf("timer_create failed: %s\n", err(-1));
        exit(1);
    }
    return t;
}

static void arm(timer_t t, int flags, long long val_ns, long long int_ns)
{
    struct itimerspec it = { { int_ns / 1000000000, int_ns % 1000000000 },
                             { val_ns / 1000000000, val_ns % 1000000000 } };
    if (timer_settime(t, flags, &it, NULL) < 0)
        printf("timer_settime failed: %s\n", err(-1));
}

static const char *yes(int c) { return c ? "yes" : "NO"; }

static int tid_of(timer_t t) { return (int)(intptr_t)t; }

static void test_signal(void)
{
    handle(SIGUSR1);
    block(SIGUSR1, SIG_BLOCK);
    hits = 0;
    timer_t t = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0x12345678);
    arm(t, 0, 5000000, 0);
    wait_hits(SIGUSR1, 1);
    printf("sival_int: sig %s, code %s, value 0x%x, timerid %s, overrun %d\n",
           h_sig == SIGUSR1 ? "SIGUSR1" : "other", h_code == SI_TIMER ? "SI_TIMER" : "other",
           (unsigned)h_int, yes(h_timerid == tid_of(t)), h_overrun);
    timer_delete(t);

    static int marker;
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 3;
    ev.sigev_value.sival_ptr = &marker;
    handle(SIGRTMIN + 3);
    block(SIGRTMIN + 3, SIG_BLOCK);
    timer_create(CLOCK_REALTIME, &ev, &t);
    arm(t, 0, 3000000, 0);
    wait_hits(SIGRTMIN + 3, 2);
    printf("sival_ptr: sig SIGRTMIN+%d, code %s, pointer %s, timerid %s\n", h_sig - SIGRTMIN,
           h_code == SI_TIMER ? "SI_TIMER" : "other", yes(h_ptr == &marker),
           yes(h_timerid == tid_of(t)));
    timer_delete(t);

    /* No sigevent: SIGALRM whose value is the timer's id. */
    handle(SIGALRM);
    block(SIGALRM, SIG_BLOCK);
    timer_create(CLOCK_MONOTONIC, NULL, &t);
    arm(t, 0, 2000000, 0);
    wait_hits(SIGALRM, 3);
    printf("default sigevent: sig %s, code %s, timerid %s, value %s\n",
           h_sig == SIGALRM ? "SIGALRM" : "other", h_code == SI_TIMER ? "SI_TIMER" : "other",
           yes(h_timerid == tid_of(t)), h_int == tid_of(t) ? "the id" : h_int == 0 ? "0" : "other");
    timer_delete(t);
}

/* One round: a periodic timer blocked for 60 ms.  Returns whether the
 * signal that finally arrives counts the expiries it stands for. */
static int overrun_round(int sig, int print)
{
    hits = 0;
    timer_t t = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, sig, 7);
    /* A short period, so that later expiries come while the first signal is
     * on its way to the handler: they must not replace its overrun count. */
    arm(t, 0, 1000000, 50000);
    struct timespec nap = { 0, 60000000 };
    while (nanosleep(&nap, &nap) < 0 && errno == EINTR) {
    }
    int before = timer_getoverrun(t);
    wait_hits(sig, 1);
    int ov = timer_getoverrun(t);
    struct itimerspec zero = { { 0, 0 }, { 0, 0 } }, old, cur;
    timer_settime(t, 0, &zero, &old);
    timer_gettime(t, &cur);
    if (print) {
        printf("overrun before delivery: %d\n", before);
        printf("periodic: value %d, si_overrun >= 500 %s, timer_getoverrun >= 500 %s\n", h_int,
               yes(h_overrun >= 500), yes(ov >= 500));
        printf("old interval %ld.%09ld, old value <= 50 us %s\n", (long)old.it_interval.tv_sec,
               old.it_interval.tv_nsec,
               yes(old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 50000));
        printf("disarmed: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    }
    timer_delete(t);
    return h_overrun >= 500 && ov >= 500;
}

static void test_overrun(void)
{
    int sig = SIGRTMIN + 2;
    handle(sig);
    block(sig, SIG_BLOCK);
    overrun_round(sig, 1);
    int ok = 0;
    for (int i = 0; i < 8; i++)
        ok += overrun_round(sig, 0);
    printf("periodic, 8 more rounds: %d counted every expiry\n", ok);
}

static pid_t worker_tid;
static sem_t ready;

static void *worker(void *arg)
{
    block(SIGUSR2, SIG_BLOCK);
    worker_tid = (pid_t)syscall(SYS_gettid);
    sem_post(&ready);
    wait_hits(SIGUSR2, 1);
    return NULL;
}

static void test_thread_id(void)
{
    handle(SIGUSR2);
    block(SIGUSR2, SIG_UNBLOCK);   /* the main thread could take it too */
    hits = 0;
    sem_init(&ready, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    sem_wait(&ready);
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_int = 99;
    ev.sigev_notify_thread_id = worker_tid;
    timer_t t;
    int r = timer_create(CLOCK_MONOTONIC, &ev, &t);
    printf("SIGEV_THREAD_ID create: %s\n", err(r));
    arm(t, 0, 5000000, 0);
    pthread_join(th, NULL);
    printf("SIGEV_THREAD_ID: delivered to the worker %s, value %d, code %s\n",
           yes(h_tid == worker_tid), h_int, h_code == SI_TIMER ? "SI_TIMER" : "other");
    timer_delete(t);
    /* A thread of another process, and a thread that has exited. */
    ev.sigev_notify_thread_id = getppid();
    printf("SIGEV_THREAD_ID to another process: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
}

static void test_none(void)
{
    timer_t t = make(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
    struct itimerspec a, b;
    timer_gettime(t, &a);
    printf("SIGEV_NONE unarmed: %ld.%09ld\n", (long)a.it_value.tv_sec, a.it_value.tv_nsec);
    arm(t, 0, 10000000000LL, 0);
    timer_gettime(t, &a);
    struct timespec nap = { 0, 2000000 };
    nanosleep(&nap, NULL);
    timer_gettime(t, &b);
    long long na = a.it_value.tv_sec * 1000000000LL + a.it_value.tv_nsec;
    long long nb = b.it_value.tv_sec * 1000000000LL + b.it_value.tv_nsec;
    printf("SIGEV_NONE: left <= 10 s %s, > 0 %s, counts down %s, interval %ld\n",
           yes(na <= 10000000000LL), yes(nb > 0), yes(nb < na), (long)a.it_interval.tv_nsec);
    printf("SIGEV_NONE overrun: %d\n", timer_getoverrun(t));

    /* TIMER_ABSTIME: 20 s from now reads as at most 20 s left. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec it = { { 0, 0 }, { now.tv_sec + 20, now.tv_nsec } }, old;
    timer_settime(t, TIMER_ABSTIME, &it, &old);
    timer_gettime(t, &a);
    na = a.it_value.tv_sec * 1000000000LL + a.it_value.tv_nsec;
    printf("TIMER_ABSTIME: left <= 20 s %s, > 10 s %s; old value <= 10 s %s\n",
           yes(na <= 20000000000LL), yes(na > 10000000000LL), yes(old.it_value.tv_sec <= 10));
    timer_delete(t);
    printf("deleted: gettime %s, delete %s\n", err(timer_gettime(t, &a)), err(timer_delete(t)));
}

static void test_abstime_signal(void)
{
    handle(SIGUSR1);
    block(SIGUSR1, SIG_BLOCK);
    hits = 0;
    timer_t t = make(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 5);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec it = { { 0, 0 }, { now.tv_sec, now.tv_nsec + 5000000 } };
    if (it.it_value.tv_nsec >= 1000000000) {
        it.it_value.tv_sec++;
        it.it_value.tv_nsec -= 1000000000;
    }
    timer_settime(t, TIMER_ABSTIME, &it, NULL);
    wait_hits(SIGUSR1, 1);
    it.it_value.tv_sec -= 100;    /* in the past: fires at once */
    timer_settime(t, TIMER_ABSTIME, &it, NULL);
    wait_hits(SIGUSR1, 2);
    printf("TIMER_ABSTIME signals: %d, value %d\n", (int)hits, h_int);
    timer_delete(t);
}

static sem_t notified;
static volatile int notify_value;
static volatile pthread_t notify_thread;

static void on_notify(union sigval v)
{
    notify_value = v.sival_int;
    notify_thread = pthread_self();
    sem_post(&notified);
}

static void test_sigev_thread(void)
{
    sem_init(&notified, 0, 0);
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_notify;
    ev.sigev_value.sival_int = 77;
    timer_t t;
    printf("SIGEV_THREAD create: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
    arm(t, 0, 3000000, 0);
    while (sem_wait(&notified) < 0 && errno == EINTR) {
    }
    printf("SIGEV_THREAD: value %d, in another thread %s\n", notify_value,
           yes(!pthread_equal(notify_thread, pthread_self())));
    /* Periodic: called again. */
    arm(t, 0, 1000000, 1000000);
    for (int i = 0; i < 3; i++)
        while (sem_wait(&notified) < 0 && errno == EINTR) {
        }
    printf("SIGEV_THREAD periodic: three more calls\n");
    printf("SIGEV_THREAD delete: %s\n", err(timer_delete(t)));
}

static void spin_until_hit(int n)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        for (volatile int i = 0; i < 10000; i++) {
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (hits < n && now.tv_sec - start.tv_sec < 20);
}

static void test_clocks(void)
{
    static const struct { clockid_t id; const char *name; } clocks[] = {
        { CLOCK_REALTIME, "CLOCK_REALTIME" }, { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
        { CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID" },
        { CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID" },
        { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
    };
    handle(SIGUSR1);
    block(SIGUSR1, SIG_UNBLOCK);
    for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        hits = 0;
        timer_t t = make(clocks[i].id, SIGEV_SIGNAL, SIGUSR1, (int)i);
        arm(t, 0, 2000000, 0);
        spin_until_hit(1);
        printf("%s: fired %s, value %d\n", clocks[i].name, yes(hits == 1), h_int);
        timer_delete(t);
    }
    /* The alarm clocks need CAP_WAKE_ALARM (and an RTC). */
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_NONE;
    timer_t t;
    int r = timer_create(CLOCK_REALTIME_ALARM, &ev, &t);
    printf("CLOCK_REALTIME_ALARM: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
    r = timer_create(CLOCK_BOOTTIME_ALARM, &ev, &t);
    printf("CLOCK_BOOTTIME_ALARM: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
    /* Another process's cpu clock, and our own by pid. */
    clockid_t c;
    clock_getcpuclockid(getppid(), &c);
    r = timer_create(c, &ev, &t);
    printf("parent's cpu clock: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
    clock_getcpuclockid(getpid(), &c);
    r = timer_create(c, &ev, &t);
    printf("own cpu clock by pid: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
    pthread_getcpuclockid(pthread_self(), &c);
    r = timer_create(c, &ev, &t);
    printf("own thread's cpu clock: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
    printf("bad clock: %s\n", err(timer_create(12345, &ev, &t)));
    printf("CLOCK_MONOTONIC_RAW: %s\n", err(timer_create(CLOCK_MONOTONIC_RAW, &ev, &t)));
}

static void test_errors(void)
{
    timer_t bad = (timer_t)(intptr_t)4242;
    struct itimerspec it = { { 0, 0 }, { 1, 0 } }, cur;
    printf("bad id: settime %s, gettime %s, getoverrun %s, delete %s\n",
           err(timer_settime(bad, 0, &it, NULL)), err(timer_gettime(bad, &cur)),
           err(timer_getoverrun(bad)), err(timer_delete(bad)));
    timer_t t = make(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
    it.it_value.tv_nsec = 1000000000;
    printf("nsec 1e9: %s\n", err(timer_settime(t, 0, &it, NULL)));
    it.it_value.tv_nsec = -1;
    printf("nsec -1: %s\n", err(timer_settime(t, 0, &it, NULL)));
    timer_delete(t);
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = 99;
    printf("bad notify: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    printf("signal 0: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
    ev.sigev_signo = 65;
    printf("signal 65: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
    /* SIGEV_NONE does not look at the signal. */
    ev.sigev_notify = SIGEV_NONE;
    int r = timer_create(CLOCK_MONOTONIC, &ev, &t);
    printf("SIGEV_NONE with signal 65: %s\n", err(r));
    if (r == 0)
        timer_delete(t);
}

/* The raw calls: 32-bit-time ones and time64 ones on ARM, where the C
 * library picks one of them; on the host, the one it has. */
static void test_raw_calls(void)
{
#if defined(__arm__)
    int id;
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_NONE;
    long r = syscall(__NR_timer_create, CLOCK_MONOTONIC, &ev, &id);
    int32_t its32[4] = { 0, 0, 5, 0 }, cur32[4];
    int64_t its64[4] = { 0, 0, 7, 0 }, cur64[4];
    int r1 = (int)syscall(__NR_timer_settime, id, 0, its32, NULL);
    int r2 = (int)syscall(__NR_timer_gettime, id, cur32);
    int ok32 = r == 0 && r1 == 0 && r2 == 0 && cur32[2] <= 5 && cur32[2] >= 4;
    int r3 = (int)syscall(__NR_timer_settime64, id, 0, its64, cur64);
    int ok_old = cur64[2] <= 5 && cur64[2] >= 4;
    int r4 = (int)syscall(__NR_timer_gettime64, id, cur64);
    int ok64 = r3 == 0 && r4 == 0 && cur64[2] <= 7 && cur64[2] >= 6;
    syscall(__NR_timer_delete, id);
#else
    timer_t t = make(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
    struct itimerspec a = { { 0, 0 }, { 5, 0 } }, b = { { 0, 0 }, { 7, 0 } }, c;
    int ok32 = timer_settime(t, 0, &a, NULL) == 0 && timer_gettime(t, &c) == 0 &&
               c.it_value.tv_sec <= 5 && c.it_value.tv_sec >= 4;
    int r3 = timer_settime(t, 0, &b, &c);
    int ok_old = c.it_value.tv_sec <= 5 && c.it_value.tv_sec >= 4;
    int ok64 = r3 == 0 && timer_gettime(t, &c) == 0 && c.it_value.tv_sec <= 7 &&
               c.it_value.tv_sec >= 6;
    timer_delete(t);
#endif
    printf("32-bit itimerspec: %s; time64 itimerspec: %s, old value %s\n", yes(ok32), yes(ok64),
           yes(ok_old));
    /* Bad pointers: EFAULT. */
    struct sigevent none;
    memset(&none, 0, sizeof(none));
    none.sigev_notify = SIGEV_NONE;
    errno = 0;
    long bad_id = syscall(SYS_timer_create, CLOCK_MONOTONIC, &none, (void *)8);
    printf("bad timer id pointer: %s\n", err((int)bad_id));
    int kid;
    long bad_ev = syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &kid);
    printf("bad sigevent pointer: %s\n", err((int)bad_ev));
    /* Ids are the kernel's: two timers created in a row get consecutive ones. */
    long c1 = syscall(SYS_timer_create, CLOCK_MONOTONIC, &none, &kid);
    int first = kid;
    long c2 = syscall(SYS_timer_create, CLOCK_MONOTONIC, &none, &kid);
    printf("two more timers: %s %s, consecutive ids %s\n", err((int)c1), err((int)c2),
           yes(kid == first + 1));
    syscall(SYS_timer_delete, first);
    syscall(SYS_timer_delete, kid);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_signal();
    test_overrun();
    test_thread_id();
    test_none();
    test_abstime_signal();
    test_sigev_thread();
    test_clocks();
    test_errors();
    test_raw_calls();
    return 0;
}
