/*
 * forks.c — process creation under load, checked by the program itself.
 *
 * What broke before (issue 10): a forked child copied its parent's code
 * buffer while the parent went on translating and patching chained jumps
 * into it, so the child jumped into code that was not its own.  These cases
 * make that window as wide as we can:
 *   nested     fib(n) by forking two children per level, results through pipes
 *   storm      several threads fork many children at once
 *   jit        threads keep generating, running and rewriting code (a guest
 *              JIT: translation, chaining and invalidation all the time)
 *              while the main thread forks children that run that code too
 *   vfork      vfork + _exit and vfork + exec, posix_spawn
 *   spawn-error  posix_spawn of a missing program fails with ENOENT (the
 *              vfork child shares its parent's memory, as on Linux)
 *   clone      clone without CLONE_VM and with an exit signal other than
 *              SIGCHLD (waited for with __WCLONE)
 *   nested-mt  a child of a multithreaded parent makes threads and forks again
 * `forks N` runs the whole set N times (default 1) and then prints one line
 * per case, "<case>: ok" or why not (the first failure); the exit status is
 * 0 only if all are ok.  `forks N single` leaves out the cases that fork
 * while other threads run (storm, nested-mt, jit-threads): the
 * AddressSanitizer runtime of gcc 12 does not lock its allocator across
 * fork, so a child of a threaded parent can deadlock inside malloc under
 * it, whatever the program does (the sanitizer tier uses this mode).  The runner repeats the program too: the races are
 * timing dependent, and each run starts from a fresh address space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;

/* Cases in the order they run; the first failure of each is kept. */
static const char *const case_names[] = { "nested", "storm", "jit", "vfork", "spawn-error", "clone", "nested-mt", "jit-threads" };
#define N_CASES (sizeof(case_names) / sizeof(case_names[0]))
static char case_failure[N_CASES][160];
static bool single_threaded;
static const char *const threaded_cases[] = { "storm", "nested-mt", "jit-threads" };

static void report(const char *name, int ok, const char *why)
{
    for (unsigned i = 0; i < N_CASES; i++)
        if (strcmp(case_names[i], name) == 0 && !ok && !case_failure[i][0])
            snprintf(case_failure[i], sizeof(case_failure[i]), "%s", why);
    if (!ok)
        failures++;
}

static void print_results(void)
{
    for (unsigned i = 0; i < N_CASES; i++) {
        bool skipped = false;
        for (unsigned k = 0; single_threaded && k < sizeof(threaded_cases) / sizeof(threaded_cases[0]); k++)
            skipped |= strcmp(case_names[i], threaded_cases[k]) == 0;
        if (skipped)
            printf("%s: skipped (single-threaded run)\n", case_names[i]);
        else if (case_failure[i][0])
            printf("%s: FAILED (%s)\n", case_names[i], case_failure[i]);
        else
            printf("%s: ok\n", case_names[i]);
    }
}

/* ---- nested: fib by fork ---------------------------------------------------- */

static long fib_fork(int n)
{
    if (n < 2)
        return n;
    int fd[2][2];
    pid_t pid[2];
    for (int i = 0; i < 2; i++) {
        if (pipe(fd[i]) < 0)
            return -1000000;
        pid[i] = fork();
        if (pid[i] < 0)
            return -1000000;
        if (pid[i] == 0) {
            close(fd[i][0]);
            long r = fib_fork(n - 1 - i);
            ssize_t w = write(fd[i][1], &r, sizeof(r));
            _exit(w == sizeof(r) ? 0 : 1);
        }
        close(fd[i][1]);
    }
    long sum = 0;
    for (int i = 0; i < 2; i++) {
        long r = -1000000;
        if (read(fd[i][0], &r, sizeof(r)) != sizeof(r))
            r = -1000000;
        close(fd[i][0]);
        int st;
        if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            r = -1000000;
        sum += r;
    }
    return sum;
}

/* ---- code that keeps the translator busy --------------------------------------- */

/* A small ARM or Thumb function written at run time: returns x * k + c. */
typedef int (*jit_fn)(int);

static atomic_int stop_jit;

#if defined(__arm__)
static void *jit_page(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* movw r1,#c ; mul r0,r0,r2(k) ... kept simple: r0 = r0 * k + c with
 * mov r2,#k ; movw r1,#c ; mla r0,r0,r2,r1 ; bx lr (ARM state). */
static jit_fn jit_write(uint32_t *code, unsigned k, unsigned c)
{
    code[0] = 0xe3a02000 | (k & 0xff);                                  /* mov r2, #k */
    code[1] = 0xe3001000 | ((c & 0xf000) << 4) | (c & 0xfff);           /* movw r1, #c */
    code[2] = 0xe0201290;                                               /* mla r0, r0, r2, r1 */
    code[3] = 0xe12fff1e;                                               /* bx lr */
    __builtin___clear_cache((char *)code, (char *)(code + 4));
    return (jit_fn)(uintptr_t)code;
}
#else
/* Native runs (the reference) have no ARM code to write: same arithmetic in C. */
static unsigned native_k[64], native_c[64];
static int native_fn0(int x) { return x * (int)native_k[0] + (int)native_c[0]; }
static void *jit_page(void) { return native_k; }
static jit_fn jit_write(uint32_t *code, unsigned k, unsigned c)
{
    (void)code;
    native_k[0] = k & 0xff;
    native_c[0] = c & 0xffff;
    return native_fn0;
}
#endif

/* Many distinct small functions: running them translates many blocks. */
#define F(n) static __attribute__((noinline)) int work##n(int x) { \
        for (int i = 0; i < (n % 7) + 3; i++) { x = x * (n + 3) + (x >> (n % 5 + 1)) + i; } return x; }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)
F(16) F(17) F(18) F(19) F(20) F(21) F(22) F(23) F(24) F(25) F(26) F(27) F(28) F(29) F(30) F(31)
static int (*const works[32])(int) = {
    work0, work1, work2, work3, work4, work5, work6, work7, work8, work9, work10, work11,
    work12, work13, work14, work15, work16, work17, work18, work19, work20, work21, work22,
    work23, work24, work25, work26, work27, work28, work29, work30, work31,
};

static int work_all(int seed)
{
    int x = seed;
    for (int i = 0; i < 32; i++)
        x = works[(i * 7 + seed) & 31](x);
    return x;
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static void *jit_thread(void *arg)
{
    uint32_t *code = arg;
    unsigned round = 0;
    long bad = 0;
    while (!atomic_load(&stop_jit)) {
        unsigned k = (round % 200) + 1, c = (round * 37) & 0xffff;
        pthread_mutex_lock(&jit_lock);
        jit_fn f = jit_write(code, k, c);
        int r = f((int)round);
        pthread_mutex_unlock(&jit_lock);
        if (r != (int)(round * k + c))
            bad++;
        (void)work_all((int)round);
        round++;
    }
    return (void *)bad;
}

/* ---- main ------------------------------------------------------------------------ */

static int child_exit_code(int seed)
{
    return (int)((unsigned)work_all(seed) % 200u);
}

static void *storm_thread(void *arg)
{
    intptr_t base = (intptr_t)arg;
    long bad = 0;
    for (int i = 0; i < 6; i++) {
        int seed = (int)(base * 100 + i);
        pid_t p = fork();
        if (p < 0)
            return (void *)(intptr_t)1000;
        if (p == 0)
            _exit(child_exit_code(seed));
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != child_exit_code(seed))
            bad++;
    }
    return (void *)bad;
}

static int clone_child(void *arg)
{
    return child_exit_code((int)(intptr_t)arg);
}

static void run_mt_child(void)
{
    /* In a child of a multithreaded parent: threads again, then fork again. */
    pthread_t t[2];
    for (intptr_t i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, storm_thread, (void *)(i + 50)) != 0)
            _exit(90);
    long bad = 0;
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    _exit(bad == 0 && fib_fork(5) == 5 ? 0 : 91);
}

static void run_all(char **argv);

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "exit-with") == 0)
        return atoi(argv[2]);
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    single_threaded = argc > 2 && strcmp(argv[2], "single") == 0;
    for (int i = 0; i < rounds; i++)
        run_all(argv);
    print_results();
    return failures ? 1 : 0;
}

static void run_all(char **argv)
{
    char why[160];
    atomic_store(&stop_jit, 0);

    /* nested: fib(7) needs 2 * fib(8) - 1 = 41 processes, up to 6 levels deep */
    long f = fib_fork(7);
    snprintf(why, sizeof(why), "fib(7) by fork gave %ld", f);
    report("nested", f == 13, why);

    /* jit threads run from here on */
    uint32_t *page = jit_page();
    pthread_t jt[2];
    int njit = 0;
    if (page && !single_threaded) {
        for (int i = 0; i < 2; i++)
            if (pthread_create(&jt[njit], NULL, jit_thread, page + 16 * i) == 0)
                njit++;
    }

    /* storm: 3 threads x 6 forks while the jit threads translate */
    pthread_t st[3];
    long bad = 0;
    for (intptr_t i = 0; i < 3 && !single_threaded; i++)
        pthread_create(&st[i], NULL, storm_thread, (void *)i);
    for (int i = 0; i < 3 && !single_threaded; i++) {
        void *r;
        pthread_join(st[i], &r);
        bad += (long)r;
    }
    snprintf(why, sizeof(why), "%ld children exited with the wrong status", bad);
    report("storm", bad == 0, why);

    /* jit: children run freshly written code and the shared functions */
    bad = 0;
    for (int i = 0; i < 10; i++) {
        pid_t p = fork();
        if (p == 0) {
            jit_fn g = jit_write(page ? page + 64 : NULL, (unsigned)i + 2, 1000u + (unsigned)i);
            int r = g(i);
            _exit(r == i * (i + 2) + 1000 + i ? child_exit_code(i) : 255);
        }
        int s;
        if (p < 0 || waitpid(p, &s, 0) != p || !WIFEXITED(s) || WEXITSTATUS(s) != child_exit_code(i))
            bad++;
    }
    snprintf(why, sizeof(why), "%ld of 10 children failed", bad);
    report("jit", bad == 0, why);

    /* vfork: _exit, and exec of ourselves */
    bad = 0;
    for (int i = 0; i < 5; i++) {
        pid_t p = vfork();
        if (p == 0)
            _exit(i + 1);
        int s;
        if (p < 0 || waitpid(p, &s, 0) != p || !WIFEXITED(s) || WEXITSTATUS(s) != i + 1)
            bad++;
    }
    for (int i = 0; i < 2; i++) {
        char code[16];
        snprintf(code, sizeof(code), "%d", 40 + i);
        pid_t p = vfork();
        if (p == 0) {
            execl("/proc/self/exe", argv[0], "exit-with", code, (char *)NULL);
            _exit(127);
        }
        int s;
        if (p < 0 || waitpid(p, &s, 0) != p || !WIFEXITED(s) || WEXITSTATUS(s) != 40 + i)
            bad++;
        char *args[] = { argv[0], "exit-with", code, NULL };
        pid_t q;
        if (posix_spawn(&q, "/proc/self/exe", NULL, NULL, args, environ) != 0 ||
            waitpid(q, &s, 0) != q || !WIFEXITED(s) || WEXITSTATUS(s) != 40 + i)
            bad++;
    }
    snprintf(why, sizeof(why), "%ld of 9 vfork/spawn children failed", bad);
    report("vfork", bad == 0, why);

    /* A vfork child shares its parent's memory until it execs: glibc's
     * posix_spawn reports a failed exec through it. */
    char *nope[] = { "nope", NULL };
    pid_t q;
    int e = posix_spawn(&q, "/nonexistent/program", NULL, NULL, nope, environ);
    snprintf(why, sizeof(why), "posix_spawn of a missing program returned %d, not ENOENT", e);
    report("spawn-error", e == ENOENT, why);
    if (e == 0)
        waitpid(q, NULL, 0);

    /* clone without CLONE_VM, exit signal 0 (no SIGCHLD): wait with __WCLONE */
    bad = 0;
    static char stacks[4][16384] __attribute__((aligned(16)));
    for (int i = 0; i < 4; i++) {
        pid_t p = clone(clone_child, stacks[i] + sizeof(stacks[i]), 0, (void *)(intptr_t)(i + 7));
        int s;
        if (p < 0 || waitpid(p, &s, __WCLONE) != p || !WIFEXITED(s) ||
            WEXITSTATUS(s) != child_exit_code(i + 7))
            bad++;
    }
    snprintf(why, sizeof(why), "%ld of 4 clone children failed", bad);
    report("clone", bad == 0, why);

    /* nested-mt: a child of this multithreaded process makes threads, forks */
    pid_t p = single_threaded ? 1 : fork();
    if (p == 0)
        run_mt_child();
    int s = 0;
    int ok = single_threaded || (p > 0 && waitpid(p, &s, 0) == p && WIFEXITED(s) && WEXITSTATUS(s) == 0);
    snprintf(why, sizeof(why), "child status 0x%x", s);
    report("nested-mt", ok, why);

    atomic_store(&stop_jit, 1);
    long jbad = 0;
    for (int i = 0; i < njit; i++) {
        void *r;
        pthread_join(jt[i], &r);
        jbad += (long)r;
    }
    snprintf(why, sizeof(why), "%ld wrong results from generated code", jbad);
    report("jit-threads", jbad == 0 && (njit == 2 || !page || single_threaded), why);
    if (page)
        munmap(page, 4096);
}
