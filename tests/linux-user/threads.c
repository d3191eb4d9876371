/* Threads: mutexes, condition variables, atomics, TLS, 64 threads at once. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 64
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int started, go;
static long shared_sum;
static atomic_int atomic_count;
static __thread int tls_value = 7;

static void *worker(void *arg)
{
    long id = (long)arg;
    tls_value += (int)id;          /* each thread its own copy */
    pthread_mutex_lock(&lock);
    started++;
    pthread_cond_broadcast(&cond);
    while (!go)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&lock);
        shared_sum += id;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomic_count, 1);
    }
    return (void *)(long)tls_value;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    pthread_mutex_lock(&lock);
    while (started < NTHREADS)
        pthread_cond_wait(&cond, &lock);
    go = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    long tls_ok = 1;
    for (long i = 0; i < NTHREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        if ((long)ret != 7 + i)
            tls_ok = 0;
    }
    printf("all %d threads started\n", started);
    printf("sum %ld (expected %ld)\n", shared_sum, 1000L * (NTHREADS - 1) * NTHREADS / 2);
    printf("atomic %d\n", atomic_load(&atomic_count));
    printf("tls per thread %s, main tls %d\n", tls_ok ? "ok" : "WRONG", tls_value);
    return 0;
}
