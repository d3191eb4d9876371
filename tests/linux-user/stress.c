/* Many threads contending on one mutex, a priority-inheritance mutex (the
 * FUTEX_LOCK_PI/UNLOCK_PI calls) and atomics; the counts must come out
 * exact every time. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define NT 16
#define ITERS 20000
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pthread_mutex_t pi;
static long pi_counter;
static atomic_long acounter;
static atomic_int spin;   /* a hand-made spinlock with compare-exchange */
static long spin_counter;

static void *work(void *arg)
{
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&m);
        counter++;
        pthread_mutex_unlock(&m);
        if (i % 4 == 0) {
            pthread_mutex_lock(&pi);
            pi_counter++;
            pthread_mutex_unlock(&pi);
        }
        atomic_fetch_add_explicit(&acounter, 2, memory_order_relaxed);
        int expected = 0;
        while (!atomic_compare_exchange_weak(&spin, &expected, 1))
            expected = 0;
        spin_counter++;
        atomic_store(&spin, 0);
    }
    return arg;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &at);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < NT; i++)
        pthread_join(t[i], NULL);
    printf("mutex %ld pi %ld atomic %ld spin %ld (expected %d %d %d %d)\n", counter, pi_counter,
           atomic_load(&acounter), spin_counter, NT * ITERS, NT * ITERS / 4, 2 * NT * ITERS, NT * ITERS);
    return counter == NT * ITERS && pi_counter == NT * ITERS / 4 && acounter == 2L * NT * ITERS &&
                   spin_counter == NT * ITERS ? 0 : 1;
}
