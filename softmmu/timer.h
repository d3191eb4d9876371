/*
 * timer.h — guest clocks and timers.
 *
 * Guest time follows host time: the virtual clock is the host's
 * CLOCK_MONOTONIC since the machine started, stopped while the machine is
 * stopped (monitor `stop`).  The realtime clock is the host's wall clock
 * (for RTCs).  Timer callbacks run in the event-loop thread with the
 * machine lock held; timer_mod and timer_del may be called from any thread
 * holding the machine lock (devices do so from MMIO callbacks).
 */
#ifndef VEMU_SOFTMMU_TIMER_H
#define VEMU_SOFTMMU_TIMER_H

#include <stdbool.h>
#include <stdint.h>

int64_t clock_virtual_ns(void);
int64_t clock_realtime_ns(void);    /* ns since the Unix epoch */

/* Machine stop/continue (monitor): the virtual clock stands still between. */
void clock_virtual_stop(void);
void clock_virtual_start(void);
/* loadvm: the virtual clock reads ns from now on (it goes on from there
 * when it runs); timers keep their absolute expiries. */
void clock_virtual_set(int64_t ns);

typedef struct Timer Timer;

Timer *timer_new(void (*cb)(void *opaque), void *opaque);
void timer_free(Timer *t);
/* Fire at virtual time expire_ns (absolute; in the past: as soon as
 * possible); replaces an earlier expiry. */
void timer_mod(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
bool timer_pending(const Timer *t);
int64_t timer_expire_ns(const Timer *t);  /* -1 when not pending */

/* For the event loop (machine lock held): the virtual time of the earliest
 * pending timer (-1: none, or the clock is stopped), and running every
 * timer whose expiry has passed (returns how many callbacks ran). */
int64_t timers_deadline_ns(void);
int timers_run_expired(void);

/* Tests only: ns >= 0 holds the virtual clock at ns (it moves only when
 * the test sets it again; timers fire when the test runs
 * timers_run_expired or the event loop looks); -1 goes back to host time. */
void clock_virtual_set_for_test(int64_t ns);

#endif
