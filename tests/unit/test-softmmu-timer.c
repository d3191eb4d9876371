/* Unit tests for the clocks, timers and the event loop: timers run in
 * expiry order on a virtual clock the test moves (clock_virtual_set_for_test),
 * timer_mod replaces, timer_del cancels, a callback may set its timer again;
 * the virtual clock stands still while stopped; the event-loop thread runs
 * timers and fd handlers with the machine lock held, and bottom halves;
 * the run-state requests and the vcpu kick.  Nothing asserts how long
 * anything took. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "softmmu/main-loop.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

static char order[64];
static int n_order;

static void note(void *opaque)
{
    order[n_order++] = *(const char *)opaque;
    order[n_order] = 0;
}

static int teardown(void **state)
{
    clock_virtual_set_for_test(-1);
    machine_clear_requests();
    machine_set_vcpu_kick(NULL);
    return 0;
}

static void test_timers_run_in_expiry_order(void **state)
{
    n_order = 0;
    order[0] = 0;
    clock_virtual_set_for_test(1000);
    Timer *a = timer_new(note, "a"), *b = timer_new(note, "b"), *c = timer_new(note, "c");
    assert_false(timer_pending(a));
    assert_int_equal(timer_expire_ns(a), -1);
    timer_mod(a, 3000);
    timer_mod(b, 2000);
    timer_mod(c, 5000);
    assert_true(timer_pending(a));
    assert_int_equal(timer_expire_ns(a), 3000);
    assert_int_equal(timers_deadline_ns(), 2000);

    assert_int_equal(timers_run_expired(), 0);
    clock_virtual_set_for_test(3000);
    assert_int_equal(timers_run_expired(), 2);
    assert_string_equal(order, "ba");
    assert_false(timer_pending(a));
    assert_int_equal(timers_deadline_ns(), 5000);

    timer_mod(c, 4000);                             /* replaces 5000 */
    timer_mod(a, 3500);
    timer_del(a);
    assert_int_equal(timers_deadline_ns(), 4000);
    clock_virtual_set_for_test(10000);
    assert_int_equal(timers_run_expired(), 1);
    assert_string_equal(order, "bac");
    assert_int_equal(timers_deadline_ns(), -1);

    timer_mod(b, 500);                              /* in the past: at once */
    assert_int_equal(timers_run_expired(), 1);
    assert_string_equal(order, "bacb");
    timer_free(a);
    timer_free(b);
    timer_mod(c, 20000);
    timer_free(c);                                  /* pending: freed from the list */
    assert_int_equal(timers_deadline_ns(), -1);
}

typedef struct Rearm {
    Timer *t;
    int runs;
    int64_t period;
} Rearm;

static void rearm(void *opaque)
{
    Rearm *r = opaque;
    r->runs++;
    if (r->runs < 3)
        timer_mod(r->t, clock_virtual_ns() + r->period);
}

static void test_timer_callback_sets_itself_again(void **state)
{
    clock_virtual_set_for_test(0);
    Rearm r = { .period = 100 };
    r.t = timer_new(rearm, &r);
    timer_mod(r.t, 100);
    clock_virtual_set_for_test(100);
    assert_int_equal(timers_run_expired(), 1);      /* set again for 200: not yet */
    assert_int_equal(timer_expire_ns(r.t), 200);
    clock_virtual_set_for_test(200);
    timers_run_expired();
    clock_virtual_set_for_test(300);
    timers_run_expired();
    assert_int_equal(r.runs, 3);
    assert_false(timer_pending(r.t));
    timer_free(r.t);
}

static void test_virtual_clock_stops(void **state)
{
    int64_t a = clock_virtual_ns();
    usleep(1000);
    int64_t b = clock_virtual_ns();
    assert_true(b > a);                             /* it runs with host time */

    clock_virtual_stop();
    int64_t s1 = clock_virtual_ns();
    usleep(2000);
    int64_t s2 = clock_virtual_ns();
    assert_int_equal(s1, s2);                       /* stands still */
    Timer *t = timer_new(note, "s");
    timer_mod(t, s1);
    assert_int_equal(timers_deadline_ns(), -1);     /* no timer runs while stopped */
    assert_int_equal(timers_run_expired(), 0);
    clock_virtual_start();
    int64_t c = clock_virtual_ns();
    assert_true(c >= s2);                           /* continues, no jump back */
    assert_int_equal(timers_run_expired(), 1);
    timer_free(t);

    int64_t r = clock_realtime_ns();
    time_t now = time(NULL);
    assert_true(r / 1000000000 >= now - 1 && r / 1000000000 <= now + 1);
}

/* ---- the event-loop thread ---- */

static pthread_mutex_t wait_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cv = PTHREAD_COND_INITIALIZER;
static int events;
static atomic_int lock_held_in_callback;

static void signal_event(void)
{
    pthread_mutex_lock(&wait_mu);
    events++;
    pthread_cond_broadcast(&wait_cv);
    pthread_mutex_unlock(&wait_mu);
}

static void wait_events(int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;   /* a bound for a broken loop, not a timing check */
    pthread_mutex_lock(&wait_mu);
    while (events < n && pthread_cond_timedwait(&wait_cv, &wait_mu, &until) == 0)
        ;
    int got = events;
    pthread_mutex_unlock(&wait_mu);
    assert_true(got >= n);
}

static void check_lock_held(void)
{
    /* the callback runs with the machine lock: trylock must fail */
    if (pthread_mutex_trylock(&rig_machine_mu) == 0) {
        pthread_mutex_unlock(&rig_machine_mu);
        atomic_store(&lock_held_in_callback, 0);
    }
}

static void timer_event(void *opaque)
{
    check_lock_held();
    signal_event();
}

static int pipe_fds[2];

static void fd_readable(void *opaque)
{
    check_lock_held();
    char c;
    ssize_t r = read(pipe_fds[0], &c, 1);
    (void)r;
    signal_event();
}

static void bh_event(void *opaque)
{
    check_lock_held();
    signal_event();
}

static void test_event_loop_thread(void **state)
{
    events = 0;
    atomic_store(&lock_held_in_callback, 1);
    assert_int_equal(main_loop_start(), 0);

    /* a timer set from another thread (holding the lock) wakes the loop */
    Timer *t = timer_new(timer_event, NULL);
    machine_lock();
    timer_mod(t, clock_virtual_ns() + 1000000);
    machine_unlock();
    wait_events(1);

    /* an fd handler */
    assert_int_equal(pipe(pipe_fds), 0);
    machine_lock();
    main_loop_set_fd_handler(pipe_fds[0], fd_readable, NULL, NULL);
    machine_unlock();
    assert_int_equal(write(pipe_fds[1], "x", 1), 1);
    wait_events(2);

    /* a bottom half */
    MainLoopBH *bh = main_loop_bh_new(bh_event, NULL);
    machine_lock();
    main_loop_bh_schedule(bh);
    main_loop_bh_schedule(bh);                      /* once per schedule */
    machine_unlock();
    wait_events(3);

    /* a timer far away does not hold up the stop */
    machine_lock();
    timer_mod(t, clock_virtual_ns() + 3600LL * 1000000000);
    main_loop_set_fd_handler(pipe_fds[0], NULL, NULL, NULL);
    machine_unlock();
    main_loop_stop();
    assert_int_equal(events, 3);
    assert_int_equal(atomic_load(&lock_held_in_callback), 1);
    timer_free(t);
    main_loop_bh_free(bh);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

/* ---- run-state requests ---- */

static int kicks;
static void kick(void) { kicks++; }

static void test_run_state_requests(void **state)
{
    machine_clear_requests();
    machine_set_vcpu_kick(kick);
    kicks = 0;
    int status = -1;
    assert_false(machine_shutdown_requested(&status));
    assert_false(machine_reset_requested());

    machine_request_reset();
    assert_int_equal(kicks, 1);
    assert_true(machine_reset_requested());
    assert_false(machine_reset_requested());        /* taken */

    machine_request_shutdown(3);
    machine_request_shutdown(5);                    /* the first one decides */
    assert_true(kicks >= 2);
    assert_true(machine_shutdown_requested(&status));
    assert_int_equal(status, 3);
    assert_true(machine_shutdown_requested(NULL));  /* stays pending */

    machine_clear_requests();
    machine_set_no_reboot(true);
    machine_request_reset();
    assert_false(machine_reset_requested());
    assert_true(machine_shutdown_requested(&status));
    assert_int_equal(status, 0);
    machine_set_no_reboot(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_timers_run_in_expiry_order, teardown),
        cmocka_unit_test_teardown(test_timer_callback_sets_itself_again, teardown),
        cmocka_unit_test_teardown(test_virtual_clock_stops, teardown),
        cmocka_unit_test_teardown(test_event_loop_thread, teardown),
        cmocka_unit_test_teardown(test_run_state_requests, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
