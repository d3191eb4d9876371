/* tls.c — __thread variables (initialised and zeroed, in the executable;
 * the dynamic build also reaches libc's TLS: errno) in the main thread and
 * 4 threads; each sees its own copies, the main thread's stay untouched;
 * %fs/%gs-relative addressing of the thread pointer itself. */
#include "x86u.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static __thread int counter = 1000;
static __thread char name[16] = "main";
static __thread long big[64];

static void *tp(void)
{
    void *p;
#ifdef __x86_64__
    asm("mov %%fs:0, %0" : "=r"(p));
#else
    asm("mov %%gs:0, %0" : "=r"(p));
#endif
    return p;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    snprintf(name, sizeof name, "t%d", id);
    for (int i = 0; i < 1000 * (id + 1); i++) counter++;
    for (int i = 0; i < 64; i++) big[i] = id * 100 + i;
    errno = 100 + id;
    usleep(1000 * (4 - id));   /* let the others run meanwhile */
    long sum = 0;
    for (int i = 0; i < 64; i++) sum += big[i];
    char *r = malloc(100);
    snprintf(r, 100, "%s counter %d sum %ld errno %d tp-self %d", name, counter, sum, errno, tp() == (void *)pthread_self());
    return r;
}

int main(void)
{
    pthread_t t[4];
    errno = 7;
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < 4; i++) {
        char *r;
        pthread_join(t[i], (void **)&r);
        puts(r);
        free(r);
    }
    printf("%s counter %d big[5] %ld errno %d tp-self %d\n", name, counter, big[5], errno, tp() == (void *)pthread_self());
    return 0;
}
