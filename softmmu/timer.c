/*
 * timer.c — the guest's clocks and the timers devices set on them.
 *
 * The virtual clock is CLOCK_MONOTONIC since the machine started, minus the
 * time it spent stopped, so a guest that is paused by the monitor does not
 * see the pause.  Timers are kept in one list sorted by expiry; the event
 * loop sleeps until the head's expiry (timers_deadline_ns) and runs what is
 * due (timers_run_expired).  Devices compute their counters from the clock
 * and set a timer only for the moment something happens (an interrupt),
 * never per tick.
 *
 * The list is protected by the machine lock (every caller holds it); the
 * clock itself by its own small lock, because the vcpu may read it from a
 * device callback while the monitor stops it.
 */
#include "softmmu/timer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "softmmu/main-loop.h"

struct Timer {
    void (*cb)(void *opaque);
    void *opaque;
    int64_t expire_ns;   /* -1: not in the list */
    Timer *next;
};

static pthread_mutex_t clock_mu = PTHREAD_MUTEX_INITIALIZER;
static bool clock_started;
static int64_t host_origin_ns;   /* host monotonic time at virtual 0, moved forward by pauses */
static bool clock_stopped;
static int64_t stopped_value_ns; /* the virtual time while stopped */
static int64_t test_ns = -1;

static Timer *active;            /* sorted by expire_ns, earliest first */

static int64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* clock_mu held */
static int64_t virtual_locked(void)
{
    if (test_ns >= 0)
        return test_ns;
    if (!clock_started) {
        host_origin_ns = host_monotonic_ns();
        clock_started = true;
    }
    if (clock_stopped)
        return stopped_value_ns;
    return host_monotonic_ns() - host_origin_ns;
}

int64_t clock_virtual_ns(void)
{
    pthread_mutex_lock(&clock_mu);
    int64_t ns = virtual_locked();
    pthread_mutex_unlock(&clock_mu);
    return ns;
}

int64_t clock_realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void clock_virtual_stop(void)
{
    pthread_mutex_lock(&clock_mu);
    if (!clock_stopped) {
        stopped_value_ns = virtual_locked();
        clock_stopped = true;
    }
    pthread_mutex_unlock(&clock_mu);
}

void clock_virtual_start(void)
{
    pthread_mutex_lock(&clock_mu);
    if (clock_stopped) {
        /* continue from where it stood: the pause is not guest time */
        host_origin_ns = host_monotonic_ns() - stopped_value_ns;
        clock_stopped = false;
    }
    pthread_mutex_unlock(&clock_mu);
    main_loop_wakeup();
}

void clock_virtual_set(int64_t ns)
{
    pthread_mutex_lock(&clock_mu);
    if (clock_stopped)
        stopped_value_ns = ns;
    else
        host_origin_ns = host_monotonic_ns() - ns;
    clock_started = true;
    pthread_mutex_unlock(&clock_mu);
    main_loop_wakeup();
}

void clock_virtual_set_for_test(int64_t ns)
{
    pthread_mutex_lock(&clock_mu);
    test_ns = ns < 0 ? -1 : ns;
    pthread_mutex_unlock(&clock_mu);
}

static bool clock_is_stopped(void)
{
    pthread_mutex_lock(&clock_mu);
    bool s = clock_stopped && test_ns < 0;
    pthread_mutex_unlock(&clock_mu);
    return s;
}

Timer *timer_new(void (*cb)(void *opaque), void *opaque)
{
    Timer *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->cb = cb;
    t->opaque = opaque;
    t->expire_ns = -1;
    return t;
}

static void unlink_timer(Timer *t)
{
    if (t->expire_ns < 0)
        return;
    for (Timer **pp = &active; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->expire_ns = -1;
}

void timer_free(Timer *t)
{
    if (!t)
        return;
    unlink_timer(t);
    free(t);
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    unlink_timer(t);
    if (expire_ns < 0)
        expire_ns = 0;
    t->expire_ns = expire_ns;
    Timer **pp = &active;
    while (*pp && (*pp)->expire_ns <= expire_ns)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    /* a new earliest expiry: the loop may be sleeping for longer */
    if (active == t)
        main_loop_wakeup();
}

void timer_del(Timer *t)
{
    unlink_timer(t);
}

bool timer_pending(const Timer *t)
{
    return t->expire_ns >= 0;
}

int64_t timer_expire_ns(const Timer *t)
{
    return t->expire_ns;
}

int64_t timers_deadline_ns(void)
{
    if (!active || clock_is_stopped())
        return -1;
    return active->expire_ns;
}

int timers_run_expired(void)
{
    if (clock_is_stopped())
        return 0;
    int64_t now = clock_virtual_ns();
    int ran = 0;
    /* A callback may set its timer again, even in the past; the bound
     * keeps one that always does from starving the loop (it runs again on
     * the next pass). */
    while (active && active->expire_ns <= now && ran < 1000) {
        Timer *t = active;
        active = t->next;
        t->next = NULL;
        t->expire_ns = -1;
        t->cb(t->opaque);
        ran++;
    }
    return ran;
}
