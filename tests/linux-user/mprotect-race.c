/*
 * mprotect-race.c — stores to read-write-execute pages that hold running
 * code, while other threads call mprotect on the same and nearby pages.
 *
 * Under an emulator a page holding translated code is write-protected in
 * the host; a store faults and the emulator lifts the protection.  Before
 * issue 10 two threads storing to such a page at once (or a store racing an
 * mprotect) could find the protection half changed and the guest got a
 * SIGSEGV (SEGV_ACCERR) it never deserved.  Here any SIGSEGV is a failure.
 * Checked by the program itself; prints "<case>: ok" lines.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ROUNDS 20000
#define PAGE 4096

static uint8_t *area;          /* 4 pages: code+data, data, code+data, data */
static atomic_int go, done_writers;
static volatile sig_atomic_t segv_seen;
static volatile uintptr_t segv_addr;
static volatile int segv_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    segv_seen = 1;
    segv_addr = (uintptr_t)si->si_addr;
    segv_code = si->si_code;
    /* Give write access back so the thread can go on and the test ends. */
    mprotect((void *)((uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1)), PAGE,
             PROT_READ | PROT_WRITE | PROT_EXEC);
}

typedef int (*fn)(int);

#if defined(__arm__)
/* r0 = r0 + k: add r0, r0, #k ; bx lr */
static fn put_code(uint32_t *at, unsigned k)
{
    at[0] = 0xe2800000 | (k & 0xff);
    at[1] = 0xe12fff1e;
    __builtin___clear_cache((char *)at, (char *)(at + 2));
    return (fn)(uintptr_t)at;
}
#else
static _Thread_local unsigned native_k;
static int native_add(int x) { return x + (int)native_k; }
static fn put_code(uint32_t *at, unsigned k)
{
    (void)at;
    native_k = k & 0xff;
    return native_add;
}
#endif

/* Writers: each has its own code slot and data words in pages 0 and 2,
 * shared with the other writer. */
static void *writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    long bad = 0;
    while (!atomic_load(&go))
        ;
    for (int i = 0; i < ROUNDS; i++) {
        uint8_t *page = area + (size_t)(i & 1 ? 2 : 0) * PAGE;
        uint32_t *code = (uint32_t *)(page + 64 * id);
        volatile uint32_t *data = (volatile uint32_t *)(page + 2048 + 64 * id);
        *data = (uint32_t)i;                        /* a store into a page with code */
        if ((i & 15) == 0) {
            fn f = put_code(code, (unsigned)i);     /* new code: translated again */
            if (f(1000) != 1000 + (i & 0xff))
                bad++;
        }
        if (*data != (uint32_t)i)
            bad++;
        ((volatile uint32_t *)(area + PAGE))[id] = (uint32_t)i;   /* a page without code */
    }
    atomic_fetch_add(&done_writers, 1);
    return (void *)bad;
}

/* mprotect the data pages around the code pages, and the code pages
 * themselves to the protection they already have. */
static void *protector(void *arg)
{
    int id = (int)(intptr_t)arg;
    long bad = 0;
    while (!atomic_load(&go))
        ;
    while (atomic_load(&done_writers) < 2) {
        if (mprotect(area + (size_t)(id ? 3 : 1) * PAGE, PAGE, PROT_READ | PROT_WRITE) != 0)
            bad++;
        if (mprotect(area + (size_t)(id ? 2 : 0) * PAGE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
            bad++;
        if (mprotect(area, 4 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
            bad++;
    }
    return (void *)bad;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    area = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    /* Code in pages 0 and 2 from the start. */
    for (int id = 0; id < 2; id++)
        for (int pg = 0; pg < 4; pg += 2)
            put_code((uint32_t *)(area + (size_t)pg * PAGE + 64 * id), 1)(0);

    pthread_t w[2], p[2];
    for (intptr_t i = 0; i < 2; i++) {
        pthread_create(&w[i], NULL, writer, (void *)i);
        pthread_create(&p[i], NULL, protector, (void *)i);
    }
    atomic_store(&go, 1);
    long wbad = 0, pbad = 0;
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(w[i], &r);
        wbad += (long)r;
        pthread_join(p[i], &r);
        pbad += (long)r;
    }
    if (segv_seen)
        printf("stores: FAILED (SIGSEGV code %d at page offset 0x%lx)\n", segv_code,
               (unsigned long)(segv_addr - (uintptr_t)area));
    else
        printf("stores: ok\n");
    printf("code: %s\n", wbad == 0 ? "ok" : "FAILED (wrong results from rewritten code)");
    printf("mprotect: %s\n", pbad == 0 ? "ok" : "FAILED (mprotect returned an error)");
    return segv_seen || wbad || pbad;
}
