/*
 * threads.c — POSIX threads on the guest: clone with TLS (each thread's
 * __thread variable is its own), mutexes and condition variables (futex),
 * atomics (LDREX/STREX or the kernel helpers on armel), join with return
 * values.  Output is deterministic: only totals and per-thread results in
 * thread-index order are printed.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NTHREADS 4
#define ITERS 200000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long shared_counter;
static int atomic_counter;
static int turn;
static __thread long tls_value;
static int order_log[NTHREADS * 3], order_len;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    tls_value = id * 1000;
    uint32_t h = 2166136261u ^ (uint32_t)id;
    for (int i = 0; i < ITERS; i++) {
        h = (h ^ (uint32_t)i) * 16777619u;
        tls_value++;
        __sync_fetch_and_add(&atomic_counter, 1);
        if ((i & 1023) == 0) {
            pthread_mutex_lock(&lock);
            shared_counter += i;
            pthread_mutex_unlock(&lock);
        }
    }
    /* take turns in index order, three rounds, through a condition variable */
    for (int round = 0; round < 3; round++) {
        pthread_mutex_lock(&lock);
        while (turn % NTHREADS != id)
            pthread_cond_wait(&turn_cv, &lock);
        order_log[order_len++] = id;
        turn++;
        pthread_cond_broadcast(&turn_cv);
        pthread_mutex_unlock(&lock);
    }
    return (void *)(uintptr_t)(h ^ (uint32_t)tls_value);
}

int main(void)
{
    pthread_t t[NTHREADS];
    tls_value = -1;
    for (int i = 0; i < NTHREADS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    for (int i = 0; i < NTHREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        printf("thread %d returned %08x\n", i, (unsigned)(uintptr_t)ret);
    }
    printf("main's tls_value still %ld\n", tls_value);
    printf("atomic counter %d (expect %d)\n", atomic_counter, NTHREADS * ITERS);
    printf("mutex counter %ld\n", shared_counter);
    printf("turn order:");
    for (int i = 0; i < order_len; i++)
        printf(" %d", order_log[i]);
    printf("\n");
    return 0;
}
