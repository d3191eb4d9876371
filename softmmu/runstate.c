/*
 * runstate.c — the machine's run state and its events (runstate.h).
 *
 * The state is one atomic word; vm_stop() and vm_start() change it with
 * the machine lock held and kick the vcpu, which parks in its loop
 * (cpus.c) while runstate_vcpu_may_run() is false.  vm_stop waits for the
 * park so that `stop` answers only once no guest instruction runs (the
 * monitor then reads registers and memory of a cpu that stands still);
 * the lock is released during that wait since the vcpu may need it to
 * finish a device access.
 */
#include "softmmu/runstate.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "softmmu/device.h"
#include "softmmu/main-loop.h"
#include "softmmu/timer.h"

static _Atomic int state = RUN_STATE_RUNNING;
static _Atomic int pending_cause = SHUTDOWN_CAUSE_NONE;   /* of the request being carried out */
static _Atomic int reset_cause = SHUTDOWN_CAUSE_NONE;
static atomic_bool shutdown_notified;   /* SHUTDOWN went out at the request */

/* vcpu_parked and state are a Dekker pair (sequentially consistent
 * atomics): the vcpu clears vcpu_parked then reads state, vm_stop writes
 * state then reads vcpu_parked, so one of them sees the other. */
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static atomic_bool vcpu_parked = true;    /* not in guest code (not started yet) */
static atomic_int park_waiters;

#define MAX_NOTIFIERS 16
static struct {
    RunStateNotify *fn;
    void *opaque;
} notifiers[MAX_NOTIFIERS];
static int n_notifiers;

const char *shutdown_cause_name(ShutdownCause c)
{
    switch (c) {
    case SHUTDOWN_CAUSE_HOST_QMP_QUIT: return "host-qmp-quit";
    case SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET: return "host-qmp-system-reset";
    case SHUTDOWN_CAUSE_HOST_SIGNAL: return "host-signal";
    case SHUTDOWN_CAUSE_HOST_UI: return "host-ui";
    case SHUTDOWN_CAUSE_GUEST_SHUTDOWN: return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET: return "guest-reset";
    case SHUTDOWN_CAUSE_NONE: break;
    }
    return "none";
}

bool shutdown_cause_is_guest(ShutdownCause c)
{
    return c == SHUTDOWN_CAUSE_GUEST_SHUTDOWN || c == SHUTDOWN_CAUSE_GUEST_RESET;
}

RunState runstate_get(void)
{
    return (RunState)atomic_load(&state);
}

const char *runstate_name(RunState s)
{
    switch (s) {
    case RUN_STATE_PRELAUNCH: return "prelaunch";
    case RUN_STATE_RUNNING: return "running";
    case RUN_STATE_PAUSED: return "paused";
    case RUN_STATE_SHUTDOWN: return "shutdown";
    }
    return "unknown";
}

bool runstate_is_running(void)
{
    return runstate_get() == RUN_STATE_RUNNING;
}

static void notify(RunEvent ev, ShutdownCause cause)
{
    for (int i = 0; i < n_notifiers; i++)
        notifiers[i].fn(notifiers[i].opaque, ev, cause);
}

void runstate_add_notifier(RunStateNotify *fn, void *opaque)
{
    if (n_notifiers < MAX_NOTIFIERS)
        notifiers[n_notifiers++] = (typeof(notifiers[0])){ fn, opaque };
}

void runstate_remove_notifier(RunStateNotify *fn, void *opaque)
{
    for (int i = 0; i < n_notifiers; i++) {
        if (notifiers[i].fn == fn && notifiers[i].opaque == opaque) {
            notifiers[i] = notifiers[--n_notifiers];
            return;
        }
    }
}

void runstate_init(bool start_stopped)
{
    atomic_store(&state, start_stopped ? RUN_STATE_PRELAUNCH : RUN_STATE_RUNNING);
    if (start_stopped)
        clock_virtual_stop();
}

/* The vcpu leaves guest code when asked (machine_request_* kick it). */
static void kick(void)
{
    machine_kick_vcpu();
}

void vm_stop(void)
{
    int expect = RUN_STATE_RUNNING;
    if (!atomic_compare_exchange_strong(&state, &expect, RUN_STATE_PAUSED))
        return;
    clock_virtual_stop();
    kick();
    notify(RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
    /* Wait (a bounded time: the vcpu may be serving gdb) for the park,
     * without the machine lock the vcpu may be waiting for. */
    machine_unlock();
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 2;
    atomic_fetch_add(&park_waiters, 1);
    pthread_mutex_lock(&park_mu);
    while (!atomic_load(&vcpu_parked) && runstate_get() == RUN_STATE_PAUSED)
        if (pthread_cond_timedwait(&park_cond, &park_mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&park_mu);
    atomic_fetch_sub(&park_waiters, 1);
    machine_lock();
}

void vm_start(void)
{
    int s = atomic_load(&state);
    if (s != RUN_STATE_PAUSED && s != RUN_STATE_PRELAUNCH)
        return;
    if (!atomic_compare_exchange_strong(&state, &s, RUN_STATE_RUNNING))
        return;
    clock_virtual_start();
    kick();
    notify(RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
}

bool runstate_vcpu_may_run(void)
{
    return atomic_load(&state) == RUN_STATE_RUNNING;
}

void runstate_vcpu_parked(bool parked)
{
    /* gdb's resume may have started the clock of a stopped machine */
    if (parked && atomic_load(&state) != RUN_STATE_RUNNING)
        clock_virtual_stop();
    /* twice per exec_cpu_run: no lock unless vm_stop waits */
    atomic_store(&vcpu_parked, parked);
    if (parked && atomic_load(&park_waiters)) {
        pthread_mutex_lock(&park_mu);
        pthread_cond_broadcast(&park_cond);
        pthread_mutex_unlock(&park_mu);
    }
}

void runstate_request_shutdown(ShutdownCause cause, int exit_status)
{
    int none = SHUTDOWN_CAUSE_NONE;
    bool first = atomic_compare_exchange_strong(&pending_cause, &none, (int)cause);
    /* the event before the command's reply, as QEMU sends it */
    if (first && !atomic_exchange(&shutdown_notified, true))
        notify(RUN_EVENT_SHUTDOWN, cause);
    machine_request_shutdown(exit_status);
}

static void (*_Atomic vcpu_sync)(void);

void runstate_set_vcpu_sync(void (*sync)(void))
{
    atomic_store(&vcpu_sync, sync);
}

void runstate_wait_vcpu(void)
{
    void (*sync)(void) = atomic_load(&vcpu_sync);
    if (sync)
        sync();
}

void runstate_request_reset(ShutdownCause cause)
{
    atomic_store(&reset_cause, (int)cause);
    machine_request_reset();
}

void runstate_request_powerdown(void)
{
    notify(RUN_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
}

void runstate_did_reset(void)
{
    int c = atomic_exchange(&reset_cause, SHUTDOWN_CAUSE_NONE);
    notify(RUN_EVENT_RESET, c == SHUTDOWN_CAUSE_NONE ? SHUTDOWN_CAUSE_GUEST_RESET : (ShutdownCause)c);
}

void runstate_did_shutdown(void)
{
    atomic_store(&state, RUN_STATE_SHUTDOWN);
    if (atomic_exchange(&shutdown_notified, true))
        return;
    int c = atomic_load(&pending_cause);
    /* a request without a cause: the guest's (a reset under -no-reboot) */
    notify(RUN_EVENT_SHUTDOWN, c == SHUTDOWN_CAUSE_NONE ? SHUTDOWN_CAUSE_GUEST_RESET : (ShutdownCause)c);
}

void runstate_reset_for_test(void)
{
    atomic_store(&state, RUN_STATE_RUNNING);
    atomic_store(&pending_cause, SHUTDOWN_CAUSE_NONE);
    atomic_store(&reset_cause, SHUTDOWN_CAUSE_NONE);
    atomic_store(&shutdown_notified, false);
    n_notifiers = 0;
    atomic_store(&vcpu_parked, true);
}
